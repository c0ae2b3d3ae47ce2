/*
 * oci_decomp.h — shared between bundle/oci_tar*.c only (not a public
 * header): the decompressed byte stream the tar reader reads (oci_decomp.c).
 */
#ifndef AL_OCI_DECOMP_H
#define AL_OCI_DECOMP_H

#include "common/common.h"

typedef struct oci_decomp oci_decomp;

/* A stream over a file descriptor (not closed) or memory (borrowed); the
 * decoder (none, gzip, zstd, xz) is chosen from the first bytes. max_bytes
 * is the budget of decompressed bytes (0: AL_MAX_READ_BYTES); label names
 * the input in messages. Errors: AL_E_NOMEM, AL_E_IO, AL_E_BUNDLE_FORMAT
 * (a zstd skippable frame first). */
al_rc oci_decomp_open_fd(oci_decomp **d, int fd, const char *label, uint64_t max_bytes, al_err *err) AL_MUST_USE;
al_rc oci_decomp_open_mem(oci_decomp **d, al_bytes mem, const char *label, uint64_t max_bytes,
			  al_err *err) AL_MUST_USE;
void oci_decomp_free(oci_decomp *d);

/* Copies (dst != NULL) or skips up to n decompressed bytes; *got is short
 * only at the end, which is reported only once the end of the compressed
 * stream is checked (nothing after it). Errors: AL_E_BUNDLE_FORMAT (corrupt,
 * truncated, trailing data), AL_E_LIMIT (budget, bomb, decoder memory),
 * AL_E_IO. */
al_rc oci_decomp_take(oci_decomp *d, uint8_t *dst, uint64_t n, uint64_t *got, al_err *err) AL_MUST_USE;
/* Borrows and consumes the next piece of output, at most max bytes (valid
 * until the next call); *n == 0 at the end. Errors as oci_decomp_take. */
al_rc oci_decomp_next(oci_decomp *d, uint64_t max, const uint8_t **p, size_t *n, al_err *err) AL_MUST_USE;
/* Decompressed bytes consumed (the offset of the next byte), and produced. */
uint64_t oci_decomp_pos(const oci_decomp *d);
uint64_t oci_decomp_out(const oci_decomp *d);
/* Bytes of the source (compressed) taken by the decoder so far. */
uint64_t oci_decomp_in(const oci_decomp *d);
/* "none", "gzip", "zstd" or "xz". */
const char *oci_decomp_name(const oci_decomp *d);
/* The SHA-256 of the whole source as read, once it was read to its end
 * (else false: a hash of part of a file is no evidence of the file), unless
 * the source's bytes go to a function (false). */
bool oci_decomp_source_sha256(const oci_decomp *d, uint8_t out[32]);
/* Before anything is taken: from now on every byte of the source goes to fn
 * (once, in order) instead of the SHA-256 kept here, the bytes read already
 * at once, for a caller that hashes them elsewhere; fn's error ends the
 * read it happens in. source_end: whether the source was read to its end. */
typedef al_rc oci_decomp_source_fn(void *ctx, const uint8_t *p, size_t n, al_err *err);
al_rc oci_decomp_source_to(oci_decomp *d, oci_decomp_source_fn *fn, void *ctx, al_err *err) AL_MUST_USE;
bool oci_decomp_source_end(const oci_decomp *d);
/* Before anything is taken, for a plain (uncompressed) stream in a regular
 * file no larger than the budget: from now on data skipped (take with
 * dst == NULL) moves the file offset instead of reading, never past the
 * size fstat saw at open (*end, an offset in the file; reaching it is the
 * end of the stream, so a truncated entry fails as when read). *base: the
 * file offset of the stream's first byte (decompressed offset o is file
 * offset *base + o). false: not such a stream, nothing changed. The
 * source's digest is then not computed (bytes go unread). */
bool oci_decomp_seek_on(oci_decomp *d, uint64_t *base, uint64_t *end);

#endif
