/*
 * oci_source.c — where bundle bytes come from: a directory, or a tar stream
 * (plain, gzip, zstd, xz) read once through our strict reader (oci_tar.c).
 *
 * Trusts nothing in the input: paths are normalised and checked before
 * anything else looks at them, archive entries that could mean something on
 * a filesystem (links, devices, absolute or `..` paths) are refused, and
 * directory files are opened one component at a time with O_NOFOLLOW so no
 * link inside the bundle is ever followed. Names that are one file on a
 * case-insensitive filesystem are refused in both kinds of store. Memory is
 * bounded by limits.h:
 * an archive keeps only small entries (AL_MAX_KEPT_*), everything else is
 * hashed as it streams and dropped: by other threads (oci_hashq.c) while
 * this one reads on, through at most AL_HASHQ_BUFS buffers. Proving the
 * blobs the graph names against their digests is oci_prove.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/oci_internal.h"
#include "bundle/oci_tar.h"

/* ================================================================ paths */

al_rc
oci_path_normalize(const char *in, char *out, al_err *err)
{
	size_t n = strlen(in), i = 0, o = 0;

	if (n > AL_MAX_PATH)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "entry path of %zu bytes exceeds the limit of %d",
				  n, AL_MAX_PATH);
	for (size_t k = 0; k < n; k++) {
		uint8_t c = (uint8_t)in[k];

		if (c < 0x20 || c == 0x7f)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE,
					  "entry path has a control character (byte 0x%02x at %zu)", c, k);
	}
	if (in[0] == '/')
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: absolute path in the bundle", in);
	/* tar -C dir -cf x.tar . writes "./", "./blobs/", "./blobs/sha256/<hex>" */
	while (in[i] == '.' && in[i + 1] == '/')
		i += 2;
	if (strcmp(in + i, ".") == 0)
		i = n;
	if (i < n && in[n - 1] == '/')
		n--; /* a directory entry's one trailing slash */
	while (i < n) {
		size_t j = i;

		while (j < n && in[j] != '/')
			j++;
		if (j == i)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: empty path component", in);
		if (j - i == 2 && in[i] == '.' && in[i + 1] == '.')
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: \"..\" in the path escapes the bundle", in);
		if (j - i == 1 && in[i] == '.')
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: \".\" inside the path", in);
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, in + i, j - i);
		o += j - i;
		if (j < n && j + 1 == n)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: empty path component", in);
		i = j + 1;
	}
	out[o] = '\0';
	return AL_OK;
}

/* ================================================================ store */

/* Packed names (oci_entry_path): a tag byte that no path starts with
 * (oci_path_normalize refuses control characters), then the digest. */
#define NAME_SHA256 1
#define NAME_SHA512 2
#define NAME_PREFIX_LEN 13 /* "blobs/sha256/" */

/* The packed form of path into out, and its length; 0: kept as text (not
 * a layout blob's name, or hex that is not lowercase, which names another
 * file than the digest's own). */
static size_t
name_pack(const char *path, uint8_t out[1 + AL_HASH_MAX])
{
	const char *hex = path + NAME_PREFIX_LEN;
	size_t hl;

	if (strncmp(path, "blobs/sha256/", NAME_PREFIX_LEN) == 0) {
		out[0] = NAME_SHA256;
		hl = al_hash_len(AL_HASH_SHA256);
	} else if (strncmp(path, "blobs/sha512/", NAME_PREFIX_LEN) == 0) {
		out[0] = NAME_SHA512;
		hl = al_hash_len(AL_HASH_SHA512);
	} else {
		return 0;
	}
	if (strlen(hex) != 2 * hl)
		return 0;
	for (size_t i = 0; i < 2 * hl; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return 0;
	if (al_hex_decode(al_bytes_of(hex, 2 * hl), out + 1, hl, NULL) != AL_OK)
		return 0;
	return 1 + hl;
}

const char *
oci_entry_path(const oci_entry *e, char buf[OCI_PATH_BUF])
{
	const uint8_t *p = (const uint8_t *)e->name;
	size_t hl;

	if (p[0] != NAME_SHA256 && p[0] != NAME_SHA512)
		return e->name;
	hl = al_hash_len(p[0] == NAME_SHA256 ? AL_HASH_SHA256 : AL_HASH_SHA512);
	memcpy(buf, p[0] == NAME_SHA256 ? "blobs/sha256/" : "blobs/sha512/", NAME_PREFIX_LEN);
	al_hex_encode(p + 1, hl, buf + NAME_PREFIX_LEN);
	return buf;
}

/* A name into the store's pool, packed when it can be; a link's as
 * "path\0target" (oci_entry_link), the target made printable (it ends up
 * in messages; such a target then names nothing and fails to resolve, as
 * it should). */
static const char *
pool_name(oci_store *s, const char *path, const char *link, al_err *err)
{
	uint8_t packed[1 + AL_HASH_MAX];
	size_t n, pn, ln;
	char *both, *c;

	if (link == NULL) {
		n = name_pack(path, packed);
		return n ? al_arena_strdup(&s->names, al_bytes_of(packed, n), err) : al_arena_strdup(&s->names, al_bytes_str(path), err);
	}
	pn = strlen(path);
	ln = strlen(link);
	if ((both = malloc(pn + 1 + ln + 1)) == NULL) {
		al_err_set(err, AL_E_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(both, path, pn + 1);
	memcpy(both + pn + 1, link, ln + 1);
	c = al_arena_strdup(&s->names, al_bytes_of(both, pn + 1 + ln), err);
	free(both);
	for (char *p = c ? c + pn + 1 : NULL; p && *p; p++)
		if ((uint8_t)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return c;
}

const char *
oci_entry_link(const oci_entry *e)
{
	return e->type == OCI_E_SYMLINK ? e->name + strlen(e->name) + 1 : NULL;
}

/* A link target for a message, before it is in a store. */
static char *
dup_printable(const char *t)
{
	char *c = strdup(t ? t : "");

	for (char *p = c; p && *p; p++)
		if ((uint8_t)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return c;
}

/* ---------------------------------------------------------------- the path index */

/* Paths to entries: open addressing over 32-bit slots (1 + the entry's
 * index; 0 is free), the key being the entry's own path, so a name costs
 * its slots and nothing more (a string map would add a key pointer and a
 * value per slot: docs/performance.md §4). A path is placed by the hash of
 * its case folding (oci_casefold), so names that are one file on a
 * case-insensitive filesystem share a probe sequence and the collision
 * check finds them here without a second map of every name. */
_Static_assert(AL_MAX_ARCHIVE_ENTRIES < UINT32_MAX / 4, "entry indexes and the index's capacity fit 32 bits");

typedef char fold_buf[2 * AL_MAX_PATH + 1];

/* Keyed: names are the attacker's, and names sharing a slot would make
 * every insert probe all of them (al_keyed_hash). */
static uint64_t
fold_hash(const char *key, size_t kn)
{
	return al_keyed_hash(al_bytes_of(key, kn));
}

/* The entry whose path is exactly the n bytes at p (exact), or whose
 * path's folding is the kn bytes at key (!exact); NULL if none. */
static oci_entry *
path_probe(const oci_store *s, const char *key, size_t kn, const char *p, size_t n, bool exact)
{
	if (s->by_path_cap == 0)
		return NULL;
	for (size_t j = fold_hash(key, kn) & (s->by_path_cap - 1); s->by_path[j]; j = (j + 1) & (s->by_path_cap - 1)) {
		oci_entry *e = &s->e[s->by_path[j] - 1];
		char pb[OCI_PATH_BUF];
		const char *ep = oci_entry_path(e, pb);

		if (exact) {
			if (strncmp(ep, p, n) == 0 && ep[n] == '\0')
				return e;
		} else {
			fold_buf ek;
			size_t en = oci_casefold(ep, strlen(ep), ek);

			if (en == kn && memcmp(ek, key, kn) == 0)
				return e;
		}
	}
	return NULL;
}

static void
path_slot(uint32_t *slots, size_t cap, const oci_entry *e, uint32_t v)
{
	fold_buf key;
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(e, pb);
	size_t kn = oci_casefold(path, strlen(path), key), j;

	for (j = fold_hash(key, kn) & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
		;
	slots[j] = v;
}

/* Indexes entry i (its path not yet indexed); load factor <= 1/2. */
static al_rc
path_put(oci_store *s, size_t i, al_err *err)
{
	if ((i + 1) * 2 > s->by_path_cap) {
		size_t cap = s->by_path_cap ? s->by_path_cap * 2 : 256;
		uint32_t *slots = calloc(cap, sizeof(*slots));

		if (slots == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		for (size_t k = 0; k < i; k++)
			path_slot(slots, cap, &s->e[k], (uint32_t)k + 1);
		free(s->by_path);
		s->by_path = slots;
		s->by_path_cap = cap;
	}
	path_slot(s->by_path, s->by_path_cap, &s->e[i], (uint32_t)i + 1);
	return AL_OK;
}

oci_entry *
oci_store_find(const oci_store *s, const char *path)
{
	fold_buf key;
	size_t n = strlen(path), kn;

	if (n > AL_MAX_PATH)
		return NULL;
	kn = oci_casefold(path, n, key);
	return path_probe(s, key, kn, path, n, true);
}

oci_arent *
oci_store_ar(const oci_store *s, const oci_entry *e)
{
	return &s->ar[e - s->e];
}

/* Directory prefixes seen ("blobs" of "blobs/sha256/..."), folded, each with
 * the exact prefix it stands for, so "Blobs/x" collides with "blobs/y"'s
 * directory as well as "A" with "a" (they merge on exFAT, NTFS, APFS).
 * Whole names are not recorded here: the path index finds them by their
 * folding. Prefixes are few (a layout has blobs and blobs/<alg>). */
struct oci_fold {
	oci_map map;                /* folded -> index in strs */
	char **strs;                /* folded NUL exact NUL */
	size_t n, cap;
};

static void
fold_free(struct oci_fold *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->strs[i]);
	free(f->strs);
	oci_map_free(&f->map);
	free(f);
}

static al_rc
fold_collision(const char *path, size_t n, const char *exact, al_err *err)
{
	return al_err_set(err, AL_E_BUNDLE_UNSAFE,
			  "%.*s: collides with \"%s\" when names are compared without case "
			  "(one file on exFAT, NTFS and APFS; Unicode %s simple case folding)",
			  (int)n, path, exact, oci_casefold_unicode());
}

/* One name: a directory prefix of a path (n bytes of it), or the whole
 * path (whole), which store_add then puts in the path index. */
static al_rc
fold_one(oci_store *s, const char *path, size_t n, bool whole, al_err *err)
{
	struct oci_fold *f = s->fold;
	fold_buf key;
	size_t kn = oci_casefold(path, n, key), i;
	const oci_entry *same;
	char *rec;
	al_rc rc;

	if (oci_map_get(&f->map, key, &i)) {
		const char *exact = f->strs[i] + kn + 1;

		if (strlen(exact) == n && memcmp(exact, path, n) == 0)
			return AL_OK;
		return fold_collision(path, n, exact, err);
	}
	if ((same = path_probe(s, key, kn, NULL, 0, false)) != NULL) {
		char pb[OCI_PATH_BUF];
		const char *sp = oci_entry_path(same, pb);

		if (strlen(sp) == n && memcmp(sp, path, n) == 0)
			return AL_OK;
		return fold_collision(path, n, sp, err);
	}
	if (whole)
		return AL_OK;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **ns = realloc(f->strs, cap * sizeof(*ns));

		if (ns == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		f->strs = ns;
		f->cap = cap;
	}
	rec = malloc(kn + 1 + n + 1);
	if (rec == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	memcpy(rec, key, kn + 1);
	memcpy(rec + kn + 1, path, n);
	rec[kn + 1 + n] = '\0';
	f->strs[f->n] = rec;
	if ((rc = oci_map_put(&f->map, rec, f->n, err)) != AL_OK) {
		free(rec);
		return rc;
	}
	f->n++;
	return AL_OK;
}

static al_rc
fold_check(oci_store *s, const char *path, al_err *err)
{
	size_t n = strlen(path);
	al_rc rc;

	if (!oci_utf8_valid(path, n))
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "%s: the name is not valid UTF-8 (names are compared without case, which needs "
				  "one reading of the bytes)", path);
	if (s->fold == NULL && (s->fold = calloc(1, sizeof(*s->fold))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i <= n; i++)
		if ((i == n || path[i] == '/') && (rc = fold_one(s, path, i, i == n, err)) != AL_OK)
			return rc;
	return AL_OK;
}

static al_rc
store_add(oci_store *s, const char *path, enum oci_etype type, const char *link, oci_entry **out, al_err *err)
{
	oci_entry *e;
	al_rc rc;

	if (oci_store_find(s, path) != NULL)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "%s: duplicate entry: the same path appears twice in the bundle", path);
	if ((rc = fold_check(s, path, err)) != AL_OK)
		return rc;
	if (s->n >= AL_MAX_ARCHIVE_ENTRIES)
		return al_err_set(err, AL_E_LIMIT, "more than %d entries in the bundle (the limit AL_MAX_ARCHIVE_ENTRIES)",
				  AL_MAX_ARCHIVE_ENTRIES);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		oci_entry *ne = realloc(s->e, cap * sizeof(*ne));

		if (ne == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		s->e = ne;
		if (s->archive) {
			oci_arent *na = realloc(s->ar, cap * sizeof(*na));

			if (na == NULL)
				return al_err_set(err, AL_E_NOMEM, "out of memory");
			s->ar = na;
		}
		s->cap = cap;
	}
	e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	if (s->archive)
		memset(&s->ar[s->n], 0, sizeof(s->ar[s->n]));
	if ((e->name = pool_name(s, path, type == OCI_E_SYMLINK ? (link ? link : "") : NULL, err)) == NULL)
		return AL_E_NOMEM;
	e->type = (uint8_t)type;
	if ((rc = path_put(s, s->n, err)) != AL_OK)
		return rc;
	s->n++;
	*out = e;
	return AL_OK;
}

void
oci_store_free(oci_store *s)
{
	for (size_t i = 0; s->ar != NULL && i < s->n; i++)
		al_buf_free(&s->ar[i].kept);
	free(s->e);
	free(s->ar);
	free(s->by_path);
	al_arena_free(&s->names);
	fold_free(s->fold);
	if (!s->archive && s->dirfd >= 0)
		close(s->dirfd);
	memset(s, 0, sizeof(*s));
	s->dirfd = -1;
}

/* blobs/sha512/... (OCI) and a top-level 128-hex name (containers/image
 * dir:) are hashed with SHA-512, everything else with SHA-256. */
static al_hash
alg_for_path(const char *path)
{
	size_t n = strlen(path);

	if (strncmp(path, "blobs/sha512/", 13) == 0)
		return AL_HASH_SHA512;
	if (n == 128 && strspn(path, "0123456789abcdef") == 128)
		return AL_HASH_SHA512;
	return AL_HASH_SHA256;
}

/* ---------------------------------------------------------------- directory */

/* Opens path below dirfd without following any link, one component at a
 * time (openat2's RESOLVE_NO_SYMLINKS is not everywhere). */
static int
open_nofollow(int dirfd, const char *path, int *eno)
{
	char comp[AL_MAX_PATH + 1];
	const char *p = path;
	int fd = dirfd, next;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len == 0 || len > AL_MAX_PATH) {
			*eno = EINVAL;
			if (fd != dirfd)
				close(fd);
			return -1;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		/* O_NONBLOCK: opening a FIFO must not hang; fstat rejects it after */
		next = openat(fd, comp, (slash ? O_DIRECTORY : O_NONBLOCK) | O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		*eno = errno;
		if (fd != dirfd)
			close(fd);
		if (next < 0)
			return -1;
		fd = next;
		if (!slash)
			return fd;
		p = slash + 1;
	}
}

al_rc
oci_open_regular(oci_store *s, const char *path, int *fdp, uint64_t *size, al_err *err)
{
	struct stat st;
	int eno = 0;
	int fd = open_nofollow(s->dirfd, path, &eno);

	if (fd < 0) {
		if (eno == ELOOP || eno == ENOTDIR)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE,
					  "%s: a symbolic link on the path; links inside a bundle are not followed",
					  path);
		return al_err_set(err, AL_E_IO, "%s: cannot open: %s", path, strerror(eno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: not a regular file", path);
	}
	*fdp = fd;
	*size = (uint64_t)st.st_size;
	return AL_OK;
}

static al_rc
list_dir(oci_store *s, int dfd, const char *prefix, unsigned depth, al_err *err)
{
	DIR *d;
	struct dirent *de;
	al_rc rc = AL_OK;
	int dup_fd = dup(dfd);

	if (dup_fd < 0)
		return al_err_set(err, AL_E_IO, "%s: %s", prefix, strerror(errno));
	d = fdopendir(dup_fd);
	if (d == NULL) {
		close(dup_fd);
		return al_err_set(err, AL_E_IO, "%s: cannot list: %s", prefix[0] ? prefix : ".", strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		char path[AL_MAX_PATH + 1], norm[AL_MAX_PATH + 1];
		struct stat st;
		oci_entry *e;
		int n;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n = snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "/" : "", de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			rc = al_err_set(err, AL_E_LIMIT, "%s: path too long", prefix);
			break;
		}
		if ((rc = oci_path_normalize(path, norm, err)) != AL_OK)
			break;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = al_err_set(err, AL_E_IO, "%s: %s", path, strerror(errno));
			break;
		}
		if (S_ISREG(st.st_mode)) {
			if ((rc = store_add(s, norm, OCI_E_FILE, NULL, &e, err)) != AL_OK)
				break;
			e->size = (uint64_t)st.st_size;
		} else if (S_ISLNK(st.st_mode)) {
			char target[AL_MAX_PATH + 1];
			ssize_t tl = readlinkat(dfd, de->d_name, target, sizeof(target) - 1);

			target[tl < 0 ? 0 : tl] = '\0';
			if ((rc = store_add(s, norm, OCI_E_SYMLINK, target, &e, err)) != AL_OK)
				break;
		} else if (S_ISDIR(st.st_mode)) {
			int sub;

			if ((rc = store_add(s, norm, OCI_E_DIR, NULL, &e, err)) != AL_OK)
				break;
			/* blobs/<alg>/<hex> and docker's <id>/layer.tar are the deepest paths */
			if (depth >= AL_MAX_DIR_DEPTH)
				continue;
			sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = al_err_set(err, AL_E_IO, "%s: cannot open: %s", path, strerror(errno));
				break;
			}
			rc = list_dir(s, sub, norm, depth + 1, err);
			close(sub);
			if (rc != AL_OK)
				break;
		} else {
			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: a device node, FIFO or socket in the bundle", path);
			break;
		}
	}
	closedir(d);
	return rc;
}

/* Empties a store, keeping the settings of the run (budget, threads,
 * progress display). */
static void
store_reset(oci_store *s)
{
	oci_store keep = *s;

	memset(s, 0, sizeof(*s));
	s->max_bytes = keep.max_bytes;
	s->threads = keep.threads;
	s->no_archive_digest = keep.no_archive_digest;
	s->progress = keep.progress;
	s->dirfd = -1;
}

al_rc
oci_store_dir(oci_store *s, const char *path, al_err *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		store_reset(s);
		return al_err_set(err, AL_E_IO, "cannot open directory: %s", strerror(errno));
	}
	return oci_store_dir_fd(s, fd, path, err);
}

/* Once a store is filled, its arrays at their length: doubling left up to
 * half of them unused, 2 MiB of 8 for 200,000 names (docs/performance.md
 * §4.7). Nothing holds an entry's address yet. A failed shrink keeps the
 * larger array, which is still right. */
static void
store_fit(oci_store *s)
{
	oci_entry *ne;
	oci_arent *na;

	if (s->n == 0 || s->n == s->cap)
		return;
	if ((ne = realloc(s->e, s->n * sizeof(*ne))) == NULL)
		return;
	s->e = ne;
	if (s->archive) {
		if ((na = realloc(s->ar, s->n * sizeof(*na))) == NULL) {
			/* e is shrunk and ar is not: cap must not claim room e lacks */
			s->cap = s->n;
			return;
		}
		s->ar = na;
	}
	s->cap = s->n;
}

al_rc
oci_store_dir_fd(oci_store *s, int fd, const char *label, al_err *err)
{
	al_rc rc;

	store_reset(s);
	s->label = label;
	s->dirfd = fd;
	if ((rc = list_dir(s, s->dirfd, "", 0, err)) == AL_OK)
		store_fit(s);
	return rc;
}

/* ---------------------------------------------------------------- archive */

static bool
is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A buffer being filled for one job of the queue. */
typedef struct qfill {
	unsigned job, b;
	uint8_t *p;                 /* NULL: none held */
	size_t n;
} qfill;

/* An entry whose data the header pass skipped (a plain tar in a regular
 * file): where its data lies in the file, hashed after the pass. */
typedef struct seek_ent {
	size_t idx;                 /* in s->e */
	uint64_t off, size;         /* file offset of its data, its size */
} seek_ent;

/* The pass over an archive: the tar reader, and the queue to the threads
 * that hash its entries and the archive's own bytes. */
typedef struct pass {
	oci_store *s;
	oci_tar *t;
	oci_hashq *q;
	bool seek;                  /* large entries' data skipped, into v */
	uint64_t base, end;         /* file offset of the archive's byte 0, the file's size seen */
	seek_ent *v;
	size_t nv, capv;
	qfill ent;                  /* the entry being read */
	qfill src;                  /* the archive's bytes as read */
	bool src_on, src_done;
	uint8_t src_digest[AL_HASH_MAX];
} pass;

/* The tag of the archive's own digest (entries are tagged by index). */
#define OCI_TAG_ARCHIVE SIZE_MAX

/* Entries this small are hashed on the reading thread: handing one over
 * costs about what hashing it does. */
#define OCI_HASH_HERE (16u << 10)

/* A digest from the hashing threads (on the reading thread). */
static void
hashed_sink(void *ctx, size_t tag, const uint8_t digest[AL_HASH_MAX])
{
	pass *ps = ctx;
	oci_arent *e;

	if (tag == OCI_TAG_ARCHIVE) {
		memcpy(ps->src_digest, digest, sizeof(ps->src_digest));
		ps->src_done = true;
		return;
	}
	e = &ps->s->ar[tag];
	memcpy(e->hash, digest, sizeof(e->hash));
	e->hashed = true;
}

/* Copies one piece of a job's data into the buffers, queuing each full one
 * when more is to come (so the last goes with the end, not alone after it).
 * name: the entry, for the display. */
static al_rc
queue_data(pass *ps, qfill *f, const char *name, const uint8_t *p, size_t n, al_err *err)
{
	al_rc rc;

	while (n > 0) {
		size_t k;

		if (f->n == AL_HASHQ_BUF) {
			oci_hashq_put(ps->q, f->job, f->b, f->n, false);
			f->p = NULL;
			f->n = 0;
			if (name != NULL)
				oci_progress_tick(ps->s->progress, oci_tar_bytes_in(ps->t), name);
		}
		if (f->p == NULL && (rc = oci_hashq_buf(ps->q, &f->b, &f->p, err)) != AL_OK)
			return rc;
		k = AL_HASHQ_BUF - f->n < n ? AL_HASHQ_BUF - f->n : n;
		memcpy(f->p + f->n, p, k);
		f->n += k;
		p += k;
		n -= k;
	}
	return AL_OK;
}

/* Queues a job's last piece (empty for an empty stream): the thread then
 * finishes its digest. */
static al_rc
queue_end(pass *ps, qfill *f, al_err *err)
{
	al_rc rc;

	if (f->p == NULL && (rc = oci_hashq_buf(ps->q, &f->b, &f->p, err)) != AL_OK)
		return rc;
	oci_hashq_put(ps->q, f->job, f->b, f->n, true);
	f->p = NULL;
	f->n = 0;
	return AL_OK;
}

/* The archive's bytes as the decoder reads them (oci_tar_source_to). */
static al_rc
archive_bytes(void *ctx, const uint8_t *p, size_t n, al_err *err)
{
	pass *ps = ctx;

	return queue_data(ps, &ps->src, NULL, p, n, err);
}

/* Where the archive's bytes go when nobody asked for its digest: nowhere,
 * so that the decoder does not hash them on the reading thread. */
static al_rc
archive_bytes_unused(void *ctx, const uint8_t *p, size_t n, al_err *err)
{
	(void)ctx;
	(void)p;
	(void)n;
	(void)err;
	return AL_OK;
}

/* Streams one regular entry: hash all of it (here when it is small, else on
 * a hashing thread: its digest reaches e through hashed_sink by the end of
 * the pass), keep it when small. */
/* The largest entry kept: index.json, read an element at a time, may be
 * as large as a directory's (AL_MAX_JSON_STREAM_DOC), so that a large index
 * gets the same verdict from an archive as from a directory. */
static uint64_t
kept_max(const char *path)
{
	return strcmp(path, "index.json") == 0 ? AL_MAX_JSON_STREAM_DOC : AL_MAX_KEPT_BLOB;
}

static al_rc
stream_entry(pass *ps, size_t idx, uint64_t declared, al_err *err)
{
	oci_store *s = ps->s;
	oci_entry *e = &s->e[idx];
	oci_arent *a = &s->ar[idx];
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(e, pb);
	al_hash_ctx hc;
	uint64_t total = 0;
	/* keep: 0 undecided, 1 keep, -1 drop */
	int keep = declared <= kept_max(path) ? 0 : -1;
	bool json = false, here = declared <= OCI_HASH_HERE;
	al_rc rc = AL_OK;

	if (declared > AL_MAX_BLOB)
		return al_err_set(err, AL_E_LIMIT, "%s: %llu bytes, larger than the limit of %llu bytes", path,
				  (unsigned long long)declared, (unsigned long long)AL_MAX_BLOB);
	a->alg = alg_for_path(path);
	if (here)
		al_hash_init(&hc, a->alg);
	else
		ps->ent.job = oci_hashq_begin(ps->q, a->alg, idx, false);
	for (;;) {
		const uint8_t *buf;
		size_t n;

		if ((rc = oci_tar_data(ps->t, &buf, &n, err)) != AL_OK)
			goto out;
		if (n == 0)
			break;
		if (here)
			al_hash_update(&hc, buf, n);
		else if ((rc = queue_data(ps, &ps->ent, path, buf, n, err)) != AL_OK)
			goto out;
		if (keep == 0) {
			size_t i = 0;

			while (i < n && is_ws(buf[i]))
				i++;
			if (i < n) {
				json = buf[i] == '{' || buf[i] == '[';
				keep = json || declared <= AL_MAX_KEPT_BINARY ? 1 : -1;
				if (keep < 0)
					al_buf_free(&a->kept);
			}
		}
		if (keep >= 0 && (rc = al_buf_append(&a->kept, buf, n, err)) != AL_OK)
			goto out;
		total += n;
	}
	if (!here && (rc = queue_end(ps, &ps->ent, err)) != AL_OK)
		goto out;
	if (keep >= 0) {
		if (s->kept_total + total > AL_MAX_KEPT_TOTAL) {
			if (json) {
				rc = al_err_set(err, AL_E_LIMIT,
						"%s: the archive's JSON documents exceed %llu bytes in total",
						path, (unsigned long long)AL_MAX_KEPT_TOTAL);
				goto out;
			}
			al_buf_free(&a->kept);
		} else {
			a->has_kept = true;
			s->kept_total += total;
		}
	}
	e->size = total;
	s->bytes_hashed += total;
out:
	if (here) {
		uint8_t full[AL_HASH_MAX];

		al_hash_final(&hc, full);
		memcpy(a->hash, full, sizeof(a->hash));
		a->hashed = rc == AL_OK;
		oci_progress_add(s->progress, total);
	}
	if (!a->has_kept)
		al_buf_free(&a->kept);
	return rc;
}

/* Entries too large to be kept, in a plain tar in a regular file: the data
 * is not read here (oci_tar_next skips it by seeking, and reports a data
 * region that runs past the end of the file as the truncation it is);
 * where it lies is recorded, for hash_skipped. Checks what stream_entry
 * checks before reading. */
static al_rc
skip_entry(pass *ps, size_t idx, uint64_t declared, al_err *err)
{
	oci_store *s = ps->s;
	oci_entry *e = &s->e[idx];
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(e, pb);
	seek_ent *v;
	al_rc rc;

	if (declared > AL_MAX_BLOB)
		return al_err_set(err, AL_E_LIMIT, "%s: %llu bytes, larger than the limit of %llu bytes", path,
				  (unsigned long long)declared, (unsigned long long)AL_MAX_BLOB);
	s->ar[idx].alg = alg_for_path(path);
	if ((rc = oci_grow((void **)&ps->v, &ps->capv, ps->nv, sizeof(*v), err)) != AL_OK)
		return rc;
	v = &ps->v[ps->nv++];
	v->idx = idx;
	v->off = ps->base + oci_tar_data_pos(ps->t);
	v->size = declared;
	/* what stream_entry sets once all of it is read; the pass fails
	 * before anything looks at it when the data is not all there */
	e->size = declared;
	s->bytes_hashed += declared;
	return AL_OK;
}

static al_rc
read_entries(pass *ps, al_err *err)
{
	oci_store *s = ps->s;
	oci_tar *t = ps->t;
	al_rc rc = AL_OK;
	bool any = false;

	for (;;) {
		char norm[AL_MAX_PATH + 1];
		const oci_tar_entry *te;
		oci_entry *e;

		if ((rc = oci_tar_next(t, &te, err)) != AL_OK)
			break;
		snprintf(s->compression, sizeof(s->compression), "%s", oci_tar_compression(t));
		if (te == NULL)
			break;
		any = true;
		if ((rc = oci_path_normalize(te->name, norm, err)) != AL_OK)
			break;
		if (te->type == '1') {
			char *lt = dup_printable(te->link);

			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: hard link (to %.200s) in the archive", norm,
					lt ? lt : "?");
			free(lt);
			break;
		}
		if (te->type == '5') {
			if (norm[0] == '\0')
				continue; /* the root "./" */
			/* directories may repeat harmlessly, files may not */
			e = oci_store_find(s, norm);
			if (e != NULL && e->type == OCI_E_DIR)
				continue;
			if ((rc = store_add(s, norm, OCI_E_DIR, NULL, &e, err)) != AL_OK)
				break;
		} else if (te->type == '2') {
			if ((rc = store_add(s, norm, OCI_E_SYMLINK, te->link, &e, err)) != AL_OK)
				break;
		} else if (te->type == '0') {
			if (norm[0] == '\0') {
				rc = al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: regular file named \".\"", te->name);
				break;
			}
			if ((rc = store_add(s, norm, OCI_E_FILE, NULL, &e, err)) != AL_OK)
				break;
			if (ps->seek && te->size > kept_max(norm))
				rc = skip_entry(ps, (size_t)(e - s->e), te->size, err);
			else
				rc = stream_entry(ps, (size_t)(e - s->e), te->size, err);
			if (rc != AL_OK)
				break;
			oci_progress_tick(s->progress, oci_tar_bytes_in(t), norm);
		} else {
			const char *what = te->type == '3' ? "character device" : te->type == '4' ? "block device"
				: te->type == '6' ? "FIFO" : "special file";

			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: %s in the archive", norm, what);
			break;
		}
	}
	if (rc == AL_OK && !any)
		rc = al_err_set(err, AL_E_BUNDLE_FORMAT, "empty archive");
	return rc;
}

/* Hashing the skipped entries: threads take them in order, each its own
 * entries, reading with pread (no shared file offset). Every read is
 * bounded by the size seen at open; data that is not there (the file
 * shrank after the header pass) fails naming the entry. As in oci_prove.c,
 * the failure kept is the first in entry order, so the message does not
 * depend on thread timing, and digests reach the store on this thread. */
typedef struct seek_job {
	oci_store *s;
	int fd;
	uint64_t end;
	const seek_ent *v;
	size_t n;
	uint8_t (*digest)[AL_HASH_MAX];
	pthread_mutex_t mu;
	size_t next;                /* next entry to take */
	size_t first;               /* lowest failing index, n when none */
	al_rc rc;
	al_err err;                 /* its message */
	bool tick_here;             /* the calling thread redraws the display */
	pthread_t caller;
} seek_job;

static al_rc
hash_range(seek_job *j, size_t i, uint8_t *buf, al_err *err)
{
	const seek_ent *v = &j->v[i];
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(&j->s->e[v->idx], pb);
	al_hash_ctx hc;
	uint64_t done = 0;

	if (v->off > j->end || v->size > j->end - v->off)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the archive ends inside the entry's data (truncated)",
				  path);
	al_hash_init(&hc, j->s->ar[v->idx].alg);
	while (done < v->size) {
		size_t want = v->size - done < AL_HASH_READ_BUF ? (size_t)(v->size - done) : AL_HASH_READ_BUF;
		ssize_t n = pread(j->fd, buf, want, (off_t)(v->off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return al_err_set(err, AL_E_IO, "%s: read error: %s", path, strerror(errno));
		if (n == 0)
			return al_err_set(err, AL_E_IO,
					  "%s: the archive changed while it was read: its data ends after %llu of "
					  "%llu bytes",
					  path, (unsigned long long)done, (unsigned long long)v->size);
		al_hash_update(&hc, buf, (size_t)n);
		done += (uint64_t)n;
		oci_progress_add(j->s->progress, (uint64_t)n);
		if (j->tick_here && pthread_equal(pthread_self(), j->caller))
			oci_progress_tick(j->s->progress, j->end, path);
	}
	al_hash_final(&hc, j->digest[i]);
	return AL_OK;
}

static void *
seek_worker(void *arg)
{
	seek_job *j = arg;
	uint8_t *buf = malloc(AL_HASH_READ_BUF);
	size_t first = SIZE_MAX;
	al_rc frc = AL_OK;
	al_err mine, scratch;

	al_err_clear(&mine);
	for (;;) {
		size_t i;
		al_rc rc;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			break;
		al_err_clear(&scratch);
		if (buf == NULL)
			rc = al_err_set(first == SIZE_MAX ? &mine : &scratch, AL_E_NOMEM, "out of memory");
		else
			rc = hash_range(j, i, buf, first == SIZE_MAX ? &mine : &scratch);
		if (rc != AL_OK && first == SIZE_MAX) {
			first = i;
			frc = rc;
		}
	}
	free(buf);
	pthread_mutex_lock(&j->mu);
	if (first < j->first) {
		j->first = first;
		j->rc = frc;
		j->err = mine;
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static al_rc
hash_skipped(pass *ps, int fd, al_err *err)
{
	oci_store *s = ps->s;
	seek_job j = { .s = s, .fd = fd, .end = ps->end, .v = ps->v, .n = ps->nv, .first = ps->nv };
	pthread_t t[AL_MAX_THREADS];
	size_t more = 0, want = s->threads > 1 ? s->threads - 1 : 0;

	if (ps->nv == 0)
		return AL_OK;
	if (want > ps->nv - 1)
		want = ps->nv - 1; /* no more threads than entries */
	if (want > AL_MAX_THREADS)
		want = AL_MAX_THREADS;
	if ((j.digest = calloc(ps->nv, sizeof(*j.digest))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	j.tick_here = s->progress != NULL;
	j.caller = pthread_self();
	pthread_mutex_init(&j.mu, NULL);
	/* the SHA-256 backend is chosen once; choose before threads race on it */
	(void)al_sha256_ni_in_use();
	while (more < want && pthread_create(&t[more], NULL, seek_worker, &j) == 0)
		more++;
	seek_worker(&j);
	for (size_t i = 0; i < more; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&j.mu);
	if (j.first < ps->nv) {
		free(j.digest);
		if (err)
			*err = j.err;
		return j.rc;
	}
	for (size_t i = 0; i < ps->nv; i++) {
		oci_arent *a = &s->ar[ps->v[i].idx];

		memcpy(a->hash, j.digest[i], sizeof(a->hash));
		a->hashed = true;
	}
	free(j.digest);
	return AL_OK;
}

/* Reads every entry, hashing on s->threads threads besides this one, and
 * (digest) the archive's own bytes on one more: its SHA-256 is as long to
 * compute as all the entries'. Any failure stops them: every thread has
 * ended when this returns. */
static al_rc
read_archive(oci_store *s, oci_tar *t, bool digest, int fd, al_err *err)
{
	pass ps = { .s = s, .t = t };
	al_rc rc;

	/* A plain tar in a regular file, whose own digest nobody asked for
	 * (that needs every byte read in order anyway): the header pass skips
	 * the large entries' data, then threads hash them by offset, each its
	 * own entries, as a directory's files are (oci_prove.c).
	 * docs/performance.md §5.8. */
	if (!digest && fd >= 0)
		ps.seek = oci_tar_seek_on(t, &ps.base, &ps.end);
	if ((rc = oci_hashq_new(&ps.q, s->threads, s->progress, hashed_sink, &ps, err)) != AL_OK)
		return rc;
	if (digest) {
		ps.src.job = oci_hashq_begin(ps.q, AL_HASH_SHA256, OCI_TAG_ARCHIVE, true);
		ps.src_on = true;
		rc = oci_tar_source_to(t, archive_bytes, &ps, err);
	} else {
		rc = oci_tar_source_to(t, archive_bytes_unused, NULL, err);
	}
	if (rc == AL_OK)
		rc = read_entries(&ps, err);
	/* the end of the archive was checked: every byte of it was passed on */
	if (rc == AL_OK && ps.src_on)
		rc = queue_end(&ps, &ps.src, err);
	if (rc == AL_OK)
		oci_hashq_drain(ps.q);
	oci_hashq_free(ps.q);
	if (rc == AL_OK)
		rc = hash_skipped(&ps, fd, err);
	free(ps.v);
	/* a hash of part of a file is no evidence of the file */
	if (rc == AL_OK && ps.src_done && oci_tar_source_end(t)) {
		memcpy(s->archive_sha256, ps.src_digest, sizeof(s->archive_sha256));
		s->has_archive_sha256 = true;
	}
	return rc;
}

static void
archive_store_init(oci_store *s, const char *label)
{
	store_reset(s);
	s->archive = true;
	s->label = label;
}

al_rc
oci_store_archive_fd(oci_store *s, int fd, const char *label, al_err *err)
{
	oci_tar *t;
	al_rc rc;

	archive_store_init(s, label);
	/* messages get the bundle path from the caller; "archive" names the stream */
	if ((rc = oci_tar_open_fd(&t, fd, "archive", s->max_bytes, err)) != AL_OK)
		return rc;
	rc = read_archive(s, t, !s->no_archive_digest, fd, err);
	oci_tar_free(t);
	if (rc == AL_OK)
		store_fit(s);
	return rc;
}

al_rc
oci_store_archive_mem(oci_store *s, al_bytes mem, al_err *err)
{
	oci_tar *t;
	al_rc rc;

	archive_store_init(s, "(memory)");
	if ((rc = oci_tar_open_mem(&t, mem, s->max_bytes, err)) != AL_OK)
		return rc;
	rc = read_archive(s, t, false, -1, err);
	oci_tar_free(t);
	if (rc == AL_OK)
		store_fit(s);
	return rc;
}

/* ---------------------------------------------------------------- reading */

void
oci_store_note_top(oci_store *s, const char *name, al_bytes raw)
{
	uint8_t h[AL_HASH_MAX];

	if (s->top_name != NULL && strcmp(s->top_name, "index.json") == 0)
		return;
	al_hash_bytes(AL_HASH_SHA256, raw, h);
	memcpy(s->top_sha256, h, 32);
	s->top_name = strcmp(name, "index.json") == 0 ? "index.json" : "manifest.json";
}

al_rc
oci_store_read(oci_store *s, oci_entry *e, size_t max, al_buf *out, al_err *err)
{
	uint64_t size;
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(e, pb);
	int fd;
	al_rc rc;

	out->n = 0;
	if (e->type != OCI_E_FILE)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: not a regular file", path);
	if (e->size > max)
		return al_err_set(err, AL_E_LIMIT, "%s: %llu bytes, more than the limit of %zu", path,
				  (unsigned long long)e->size, max);
	if (s->archive) {
		const oci_arent *a = oci_store_ar(s, e);

		if (!a->has_kept)
			return al_err_set(err, AL_E_BUNDLE_BLOB,
					  "%s: %llu bytes and not JSON, so not kept in memory from the archive",
					  path, (unsigned long long)e->size);
		return al_buf_dup(out, al_buf_bytes(&a->kept), err);
	}
	if ((rc = oci_open_regular(s, path, &fd, &size, err)) != AL_OK)
		return rc;
	if (size > max) {
		close(fd);
		return al_err_set(err, AL_E_LIMIT, "%s: %llu bytes, more than the limit of %zu", path,
				  (unsigned long long)size, max);
	}
	/* read to the end, not to the size seen: a file that grows meanwhile is
	 * caught by the bound. A buffer too small for it is let go first: grown,
	 * it would double past the size (index.json read into oci-layout's
	 * buffer took 32 MiB for 21 MB: docs/performance.md §4.9) */
	if (out->cap < (size_t)size + 2)
		al_buf_free(out);
	if ((rc = al_buf_reserve(out, (size_t)size + 1, err)) == AL_OK)
		rc = al_read_fd(fd, path, max, out, err);
	close(fd);
	return rc;
}
