/*
 * fg_util.c — the forge's arena, buffers, encodings, JSON building and
 * file writing. Nothing here reads untrusted input.
 */
#include <errno.h>
#include <stddef.h>
#include <time.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <mbedtls/error.h>
#include <mbedtls/sha256.h>

#include "forge.h"

/* ================================================================ errors */

void
al_fg_die(const char *fmt, ...)
{
	va_list ap;

	fputs("al-forge: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void
al_fg_mbed(int rc, const char *what)
{
	char msg[160];

	if (rc == 0)
		return;
	mbedtls_strerror(rc, msg, sizeof(msg));
	al_fg_die("%s: mbedTLS error -0x%04x: %s", what, (unsigned)-rc, msg);
}

/* ================================================================ arena */

/*
 * Every block carries list links ahead of its payload, so al_fg_realloc can
 * move a block and al_fg_free_all can release everything at exit (the
 * sanitizer build checks that nothing leaks).
 */
typedef struct blk {
	struct blk *prev, *next;
	max_align_t align[];
} blk;

static blk *arena;

static void
link_blk(blk *b)
{
	b->prev = NULL;
	b->next = arena;
	if (arena != NULL)
		arena->prev = b;
	arena = b;
}

static void
unlink_blk(blk *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		arena = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
}

void *
al_fg_alloc(size_t n)
{
	blk *b = calloc(1, sizeof(blk) + n);

	if (b == NULL)
		al_fg_die("out of memory (%zu bytes)", n);
	link_blk(b);
	return b->align;
}

void *
al_fg_realloc(void *p, size_t n)
{
	blk *b, *nb;

	if (p == NULL)
		return al_fg_alloc(n);
	b = (blk *)((char *)p - offsetof(blk, align));
	unlink_blk(b);
	nb = realloc(b, sizeof(blk) + n);
	if (nb == NULL)
		al_fg_die("out of memory (%zu bytes)", n);
	link_blk(nb);
	return nb->align;
}

void
al_fg_free(void *p)
{
	blk *b;

	if (p == NULL)
		return;
	b = (blk *)((char *)p - offsetof(blk, align));
	unlink_blk(b);
	free(b);
}

static void *
cjson_malloc(size_t n)
{
	return al_fg_alloc(n);
}

void
al_fg_arena_init(void)
{
	/* cJSON trees (layout indexes live across calls) come from the arena too */
	cJSON_Hooks h = { cjson_malloc, al_fg_free };

	cJSON_InitHooks(&h);
}

void
al_fg_free_all(void)
{
	while (arena != NULL) {
		blk *next = arena->next;

		free(arena);
		arena = next;
	}
}

char *
al_fg_strdup(const char *s)
{
	size_t n = strlen(s);
	char *d = al_fg_alloc(n + 1);

	memcpy(d, s, n);
	return d;
}

char *
al_fg_sprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		al_fg_die("bad format");
	s = al_fg_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

al_bytes
al_fg_dup(al_bytes b)
{
	uint8_t *p = al_fg_alloc(b.n + 1);

	if (b.n > 0)
		memcpy(p, b.p, b.n);
	return al_bytes_of(p, b.n);
}

/* ================================================================ buffers */

void
al_fg_put(al_fg_buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = al_fg_realloc(b->p, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0; /* text buffers stay NUL-terminated */
}

void
al_fg_put_u8(al_fg_buf *b, uint8_t v)
{
	al_fg_put(b, &v, 1);
}

void
al_fg_put_be(al_fg_buf *b, uint64_t v, unsigned nbytes)
{
	for (unsigned i = nbytes; i > 0; i--)
		al_fg_put_u8(b, (uint8_t)(v >> (8 * (i - 1))));
}

void
al_fg_puts(al_fg_buf *b, const char *s)
{
	al_fg_put(b, s, strlen(s));
}

void
al_fg_printf(al_fg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		al_fg_die("bad format");
	s = al_fg_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	al_fg_put(b, s, (size_t)n);
}

/* ================================================================ encodings */

void
al_fg_sha256(al_bytes in, uint8_t out[32])
{
	al_fg_mbed(mbedtls_sha256(in.p, in.n, out, 0), "SHA-256");
}

char *
al_fg_b64(al_bytes in)
{
	al_buf out = { 0 };
	al_err err;
	char *s;

	if (al_b64_encode(in, &out, &err) != AL_OK)
		al_fg_die("base64: %s", err.msg);
	s = al_fg_alloc(out.n + 1);
	if (out.n > 0)
		memcpy(s, out.p, out.n);
	al_buf_free(&out);
	return s;
}

char *
al_fg_hex(const uint8_t *p, size_t n)
{
	char *s = al_fg_alloc(2 * n + 1);

	al_hex_encode(p, n, s);
	return s;
}

char *
al_fg_digest(al_bytes in)
{
	uint8_t d[32];
	char hex[65];

	al_fg_sha256(in, d);
	al_hex_encode(d, 32, hex);
	return al_fg_sprintf("sha256:%s", hex);
}

char *
al_fg_time_rfc3339(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	if (gmtime_r(&tt, &tm) == NULL)
		al_fg_die("time %lld out of range", (long long)t);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return al_fg_strdup(s);
}

/* ================================================================ JSON */

static cJSON *
jcheck(cJSON *j)
{
	if (j == NULL)
		al_fg_die("out of memory (JSON)");
	return j;
}

cJSON *
al_fg_jnew(void)
{
	return jcheck(cJSON_CreateObject());
}

cJSON *
al_fg_jarr_new(void)
{
	return jcheck(cJSON_CreateArray());
}

cJSON *
al_fg_jobj(cJSON *obj, const char *key)
{
	return jcheck(cJSON_AddObjectToObject(obj, key));
}

cJSON *
al_fg_jarr(cJSON *obj, const char *key)
{
	return jcheck(cJSON_AddArrayToObject(obj, key));
}

void
al_fg_jstr(cJSON *obj, const char *key, const char *v)
{
	jcheck(cJSON_AddStringToObject(obj, key, v));
}

void
al_fg_jint(cJSON *obj, const char *key, int64_t v)
{
	char s[32];

	/* cJSON prints numbers through double/int: raw text keeps int64 exact */
	snprintf(s, sizeof(s), "%lld", (long long)v);
	jcheck(cJSON_AddRawToObject(obj, key, s));
}

void
al_fg_jnull(cJSON *obj, const char *key)
{
	jcheck(cJSON_AddNullToObject(obj, key));
}

void
al_fg_jput(cJSON *obj, const char *key, cJSON *item)
{
	if (!cJSON_AddItemToObject(obj, key, item))
		al_fg_die("out of memory (JSON)");
}

void
al_fg_jpush(cJSON *arr, cJSON *item)
{
	if (!cJSON_AddItemToArray(arr, item))
		al_fg_die("out of memory (JSON)");
}

void
al_fg_jpush_str(cJSON *arr, const char *v)
{
	al_fg_jpush(arr, jcheck(cJSON_CreateString(v)));
}

char *
al_fg_jtext(const cJSON *j)
{
	char *p = cJSON_PrintUnformatted(j), *s;

	if (p == NULL)
		al_fg_die("out of memory (JSON print)");
	s = al_fg_strdup(p);
	cJSON_free(p);
	return s;
}

char *
al_fg_jprint(cJSON *j)
{
	char *p = cJSON_PrintUnformatted(j), *s;

	if (p == NULL)
		al_fg_die("out of memory (JSON print)");
	s = al_fg_strdup(p);
	cJSON_free(p);
	cJSON_Delete(j);
	return s;
}

/* ================================================================ files */

void
al_fg_mkdirs(const char *path)
{
	char *p = al_fg_strdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			al_fg_die("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		al_fg_die("mkdir %s: %s", p, strerror(errno));
}

void
al_fg_write(const char *path, al_bytes data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		al_fg_die("create %s: %s", path, strerror(errno));
	while (off < data.n) {
		ssize_t w = write(fd, data.p + off, data.n - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			al_fg_die("write %s: %s", path, strerror(errno));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		al_fg_die("close %s: %s", path, strerror(errno));
}

void
al_fg_rmtree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return;
		al_fg_die("stat %s: %s", path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0)
			al_fg_die("unlink %s: %s", path, strerror(errno));
		return;
	}
	if ((d = opendir(path)) == NULL)
		al_fg_die("opendir %s: %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		al_fg_rmtree(al_fg_sprintf("%s/%s", path, e->d_name));
	}
	closedir(d);
	if (rmdir(path) != 0)
		al_fg_die("rmdir %s: %s", path, strerror(errno));
}
