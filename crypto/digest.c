/*
 * digest.c — SHA-256/384/512 through mbedTLS (whose SHA-256 block function
 * is ours, crypto/sha256/sha256_ni.c). The hash functions do not allocate:
 * contexts live on the caller's stack. al_sha256_file allocates its read
 * buffer, once per file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"

size_t
al_hash_len(al_hash h)
{
	switch (h) {
	case AL_HASH_SHA256: return 32;
	case AL_HASH_SHA384: return 48;
	case AL_HASH_SHA512: return 64;
	default: return 0;
	}
}

const char *
al_hash_name(al_hash h)
{
	switch (h) {
	case AL_HASH_SHA256: return "sha256";
	case AL_HASH_SHA384: return "sha384";
	case AL_HASH_SHA512: return "sha512";
	default: return "none";
	}
}

al_hash
al_hash_from_name(al_bytes name)
{
	static const struct { const char *s; al_hash h; } names[] = {
		{ "sha256", AL_HASH_SHA256 }, { "SHA2_256", AL_HASH_SHA256 }, { "SHA256", AL_HASH_SHA256 },
		{ "sha384", AL_HASH_SHA384 }, { "SHA2_384", AL_HASH_SHA384 }, { "SHA384", AL_HASH_SHA384 },
		{ "sha512", AL_HASH_SHA512 }, { "SHA2_512", AL_HASH_SHA512 }, { "SHA512", AL_HASH_SHA512 },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(names); i++)
		if (al_bytes_eq_str(name, names[i].s))
			return names[i].h;
	return AL_HASH_NONE;
}

void
al_hash_init(al_hash_ctx *c, al_hash alg)
{
	c->alg = alg;
	switch (alg) {
	case AL_HASH_SHA256:
		mbedtls_sha256_init(&c->u.s256);
		mbedtls_sha256_starts(&c->u.s256, 0);
		break;
	case AL_HASH_SHA384:
	case AL_HASH_SHA512:
		mbedtls_sha512_init(&c->u.s512);
		mbedtls_sha512_starts(&c->u.s512, alg == AL_HASH_SHA384);
		break;
	default:
		break;
	}
}

void
al_hash_update(al_hash_ctx *c, const void *p, size_t n)
{
	if (n == 0)
		return;
	switch (c->alg) {
	case AL_HASH_SHA256:
		mbedtls_sha256_update(&c->u.s256, p, n);
		break;
	case AL_HASH_SHA384:
	case AL_HASH_SHA512:
		mbedtls_sha512_update(&c->u.s512, p, n);
		break;
	default:
		break;
	}
}

void
al_hash_final(al_hash_ctx *c, uint8_t out[AL_HASH_MAX])
{
	memset(out, 0, AL_HASH_MAX);
	switch (c->alg) {
	case AL_HASH_SHA256:
		mbedtls_sha256_finish(&c->u.s256, out);
		mbedtls_sha256_free(&c->u.s256);
		break;
	case AL_HASH_SHA384:
	case AL_HASH_SHA512:
		mbedtls_sha512_finish(&c->u.s512, out);
		mbedtls_sha512_free(&c->u.s512);
		break;
	default:
		break;
	}
}

void
al_hash_bytes(al_hash alg, al_bytes in, uint8_t out[AL_HASH_MAX])
{
	al_hash_ctx c;

	al_hash_init(&c, alg);
	al_hash_update(&c, in.p, in.n);
	al_hash_final(&c, out);
}

/*
 * Read size for al_sha256_file. Large enough that the syscall cost per read
 * is noise next to hashing it, small enough to stay in L2 between the
 * kernel's copy and the hash reading it (measured with bench/digest.sh).
 */
#define AL_DIGEST_READ (256u << 10)

al_rc
al_sha256_file(const char *path, uint8_t out[32], uint64_t *size, al_err *err)
{
	uint8_t full[AL_HASH_MAX], *buf = NULL;
	al_hash_ctx c;
	uint64_t total = 0;
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	al_rc rc = AL_OK;
	int fd;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return al_err_set(err, AL_E_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = al_err_set(err, AL_E_IO, "%s: is a directory", path);
		goto out;
	}
	/* per call, not static: layers may be hashed from several threads */
	buf = malloc(AL_DIGEST_READ);
	if (buf == NULL) {
		rc = al_err_set(err, AL_E_NOMEM, "%s: out of memory for the read buffer", path);
		goto out;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	al_hash_init(&c, AL_HASH_SHA256);
	for (;;) {
		ssize_t got = read(fd, buf, AL_DIGEST_READ);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = al_err_set(err, AL_E_IO, "%s: read error: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		al_hash_update(&c, buf, (size_t)got);
		total += (uint64_t)got;
	}
	al_hash_final(&c, full);
	if (rc == AL_OK) {
		memcpy(out, full, 32);
		if (size)
			*size = total;
	}
out:
	free(buf);
	if (!is_stdin)
		close(fd);
	return rc;
}
