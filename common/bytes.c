/*
 * bytes.c — slices, owned buffers, constant-time comparison, file reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

al_bytes
al_bytes_str(const char *s)
{
	return al_bytes_of(s, s ? strlen(s) : 0);
}

bool
al_bytes_eq(al_bytes a, al_bytes b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool
al_bytes_eq_str(al_bytes a, const char *s)
{
	return al_bytes_eq(a, al_bytes_str(s));
}

bool
al_ct_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	/* volatile keeps the compiler from turning the loop into an early exit */
	const volatile uint8_t *va = a;
	const volatile uint8_t *vb = b;
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(va[i] ^ vb[i]);
	return acc == 0;
}

al_rc
al_buf_reserve(al_buf *b, size_t extra, al_err *err)
{
	size_t need, cap;
	uint8_t *p;

	/* one spare byte keeps room for a terminating NUL */
	if (extra > SIZE_MAX - b->n - 1)
		return al_err_set(err, AL_E_NOMEM, "buffer size overflow");
	need = b->n + extra + 1;
	if (need <= b->cap)
		return AL_OK;
	/* the first reservation is taken at its word: a caller that knows the
	 * size (a file read whole) gets that, not the next power of two, which
	 * for a 22 MB index.json was 32 MiB (docs/performance.md §4.7) */
	if (b->cap == 0)
		cap = need > 64 ? need : 64;
	else
		for (cap = b->cap; cap < need;)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory (%zu bytes)", cap);
	b->p = p;
	b->cap = cap;
	return AL_OK;
}

al_rc
al_buf_append(al_buf *b, const void *p, size_t n, al_err *err)
{
	al_rc rc = al_buf_reserve(b, n, err);

	if (rc != AL_OK)
		return rc;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return AL_OK;
}

al_rc
al_buf_appendf(al_buf *b, al_err *err, const char *fmt, ...)
{
	va_list ap;
	int n;
	al_rc rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return al_err_set(err, AL_E_INTERNAL, "format error");
	rc = al_buf_reserve(b, (size_t)n, err);
	if (rc != AL_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
	return AL_OK;
}

al_rc
al_buf_dup(al_buf *dst, al_bytes src, al_err *err)
{
	dst->n = 0;
	return al_buf_append(dst, src.p, src.n, err);
}

void
al_buf_free(al_buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

al_rc
al_open_regular(const char *path, const char *what, int *fd_out, al_err *err)
{
	struct stat st;
	int fd, fl;

	*fd_out = -1;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, forever. O_NOCTTY: a terminal device must not become ours. The
	 * fstat after open judges the file actually opened, not a name that may
	 * have been swapped since. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return al_err_set(err, AL_E_IO, "%s%s: cannot open: %s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return al_err_set(err, AL_E_IO, "%s%s: cannot stat: %s", what, path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return al_err_set(err, AL_E_IO, "%s%s: %s, expected a regular file", what, path,
				  S_ISDIR(st.st_mode) ? "is a directory" : S_ISFIFO(st.st_mode) ? "is a FIFO"
				  : S_ISSOCK(st.st_mode) ? "is a socket" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
				  ? "is a device" : "is not a regular file");
	}
	/* reads of a regular file never block; clearing the flag keeps any
	 * later reader from seeing EAGAIN semantics it does not expect */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		int e = errno;

		close(fd);
		return al_err_set(err, AL_E_IO, "%s%s: cannot open: %s", what, path, strerror(e));
	}
	*fd_out = fd;
	return AL_OK;
}

al_rc
al_read_fd(int fd, const char *name, size_t max, al_buf *out, al_err *err)
{
	al_rc rc;

	out->n = 0;
	for (;;) {
		ssize_t got;

		/* a caller that reserved the expected size first reads it in place,
		 * and the read that returns 0 needs one spare byte, not 64 KiB */
		if (out->cap - out->n < 2 && (rc = al_buf_reserve(out, 65536, err)) != AL_OK)
			return rc;
		got = read(fd, out->p + out->n, out->cap - out->n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return al_err_set(err, AL_E_IO, "%s: read error: %s", name, strerror(errno));
		}
		if (got == 0)
			break;
		out->n += (size_t)got;
		if (out->n > max)
			return al_err_set(err, AL_E_LIMIT, "%s: more than the limit of %zu bytes", name, max);
	}
	out->p[out->n] = '\0';
	return AL_OK;
}

al_rc
al_read_file(const char *path, size_t max, al_buf *out, al_err *err)
{
	int fd;
	struct stat st;
	al_rc rc = AL_OK;
	bool is_stdin = strcmp(path, "-") == 0;

	out->n = 0;
	if (is_stdin) {
		/* "-" is the operator's explicit choice of a stream: a pipe is fine */
		fd = STDIN_FILENO;
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
			return al_err_set(err, AL_E_IO, "%s: is a directory, expected a file", path);
	} else {
		if ((rc = al_open_regular(path, "", &fd, err)) != AL_OK)
			return rc;
		if (fstat(fd, &st) != 0) {
			rc = al_err_set(err, AL_E_IO, "%s: cannot stat: %s", path, strerror(errno));
			goto out;
		}
		if ((unsigned long long)st.st_size > max) {
			rc = al_err_set(err, AL_E_LIMIT, "%s: %lld bytes, more than the limit of %zu",
					path, (long long)st.st_size, max);
			goto out;
		}
	}
	rc = al_read_fd(fd, path, max, out, err);
out:
	if (!is_stdin)
		close(fd);
	if (rc != AL_OK)
		al_buf_free(out);
	return rc;
}
