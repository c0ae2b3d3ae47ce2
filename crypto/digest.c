/*
 * digest.c — SHA-256/384/512 through mbedTLS (whose SHA-256 block function
 * is ours, crypto/sha256/sha256_ni.c). The hash functions do not allocate:
 * contexts live on the caller's stack. al_hash_fd, the one loop that
 * hashes a file, allocates its read buffer once per call.
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
al_hash_by_name(al_bytes name)
{
	for (al_hash h = AL_HASH_SHA256; h <= AL_HASH_SHA512; h++)
		if (al_bytes_eq_str(name, al_hash_name(h)))
			return h;
	return AL_HASH_NONE;
}

/* protobuf dev.sigstore.common.v1.HashAlgorithm: the one table of its names */
static const al_pb_hash pb_hashes[] = {
	{ 0, "HASH_ALGORITHM_UNSPECIFIED", AL_HASH_NONE },
	{ 1, "SHA2_256", AL_HASH_SHA256 },
	{ 2, "SHA2_384", AL_HASH_SHA384 },
	{ 3, "SHA2_512", AL_HASH_SHA512 },
	{ 4, "SHA3_256", AL_HASH_NONE },
	{ 5, "SHA3_384", AL_HASH_NONE },
};

const al_pb_hash *
al_pb_hash_at(size_t i)
{
	return i < AL_ARRAY_LEN(pb_hashes) ? &pb_hashes[i] : NULL;
}

const al_pb_hash *
al_pb_hash_by_name(al_bytes name)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(pb_hashes); i++)
		if (al_bytes_eq_str(name, pb_hashes[i].name))
			return &pb_hashes[i];
	return NULL;
}

const al_pb_hash *
al_pb_hash_by_num(int64_t num)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(pb_hashes); i++)
		if (pb_hashes[i].num == num)
			return &pb_hashes[i];
	return NULL;
}

const char *
al_hash_pb_name(al_hash h)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(pb_hashes); i++)
		if (h != AL_HASH_NONE && pb_hashes[i].hash == h)
			return pb_hashes[i].name;
	return NULL;
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

al_rc
al_hash_fd(int fd, al_hash alg, uint64_t max, uint8_t out[AL_HASH_MAX], uint64_t *size, al_err *err)
{
	uint8_t full[AL_HASH_MAX], *buf;
	size_t bufsz;
	al_hash_ctx c;
	uint64_t total = 0;
	al_rc rc = AL_OK;

	/* per call, not static: files are hashed from several threads at once;
	 * no larger than a bounded file needs (one byte over shows it grew) */
	bufsz = max < AL_HASH_READ_BUF ? (size_t)max + 1 : AL_HASH_READ_BUF;
	buf = malloc(bufsz);
	if (buf == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory for the read buffer");
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	al_hash_init(&c, alg);
	for (;;) {
		ssize_t got = read(fd, buf, bufsz);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = al_err_set(err, AL_E_IO, "read error: %s", strerror(errno));
			break;
		}
		if (got == 0)
			break;
		if ((uint64_t)got > max - total) {
			rc = al_err_set(err, AL_E_LIMIT, "more than the limit of %llu bytes", (unsigned long long)max);
			break;
		}
		al_hash_update(&c, buf, (size_t)got);
		total += (uint64_t)got;
	}
	al_hash_final(&c, full);
	free(buf);
	if (rc != AL_OK)
		return rc;
	memcpy(out, full, AL_HASH_MAX);
	if (size)
		*size = total;
	return AL_OK;
}

al_rc
al_sha256_file(const char *path, uint8_t out[32], uint64_t *size, al_err *err)
{
	uint8_t full[AL_HASH_MAX];
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	al_rc rc;
	int fd;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return al_err_set(err, AL_E_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		rc = al_err_set(err, AL_E_IO, "%s: is a directory", path);
	else if ((rc = al_hash_fd(fd, AL_HASH_SHA256, UINT64_MAX, full, size, err)) != AL_OK)
		al_err_prefix(err, "%s", path);
	else
		memcpy(out, full, 32);
	if (!is_stdin)
		close(fd);
	return rc;
}
