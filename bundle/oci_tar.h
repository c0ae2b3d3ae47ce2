/*
 * oci_tar.h — shared between bundle/oci_*.c only (not a public header): our
 * own strict reader of tar streams (plain, gzip, zstd, xz), and the name
 * rules every store applies (UTF-8, case-folding collisions).
 *
 * Why our own reader and not libarchive: what airlock verifies must be what
 * the consumers load, and those (docker load, containers/image, containerd)
 * all read archives with Go's archive/tar and compress/gzip and klauspost
 * zstd. libarchive reads some headers differently from Go (star prefixes,
 * GNU headers whose prefix area Go may take as a name, PAX and GNU long
 * names together, sparse and charset keys, global headers, lenient numbers)
 * and stops at the end-of-archive marker without looking at what follows.
 * A second reader can only be made to agree with Go by knowing exactly which
 * bytes it took as what, so the reader here implements Go's name and size
 * semantics on a small accepted subset and refuses every header outside it;
 * it drives zlib / libzstd / liblzma itself (oci_decomp.c) so the exact end
 * of every compressed stream is known and nothing after it goes unread. libarchive
 * stays as the independent second reading in the differential test
 * (oci_tar_differential), which must agree wherever this reader accepts.
 */
#ifndef AL_OCI_TAR_H
#define AL_OCI_TAR_H

#include "common/common.h"

/* ---------------------------------------------------------------- tar stream */

/* Entry types as the tar typeflag: regular files are always '0'. */
typedef struct oci_tar_entry {
	const char *name;           /* Go's hdr.Name: valid UTF-8, no '\\', NUL-terminated */
	char type;                  /* '0' file, '5' directory, '2' symlink, '1' hard link,
				     * '3' char device, '4' block device, '6' FIFO */
	const char *link;           /* '1' and '2': Go's hdr.Linkname (may be "") */
	uint64_t size;              /* '0': data bytes; 0 for every other type */
	uint64_t offset;            /* offset of its first header in the decompressed stream */
} oci_tar_entry;

typedef struct oci_tar oci_tar;

/* A reader over a file descriptor (not closed) or memory (borrowed). max_bytes
 * is the budget of decompressed bytes (0: AL_MAX_READ_BYTES); label names the
 * input in messages. */
al_rc oci_tar_open_fd(oci_tar **t, int fd, const char *label, uint64_t max_bytes, al_err *err) AL_MUST_USE;
al_rc oci_tar_open_mem(oci_tar **t, al_bytes mem, uint64_t max_bytes, al_err *err) AL_MUST_USE;
void oci_tar_free(oci_tar *t);
/* Medium mode (docs/appliance.md §2): the stream ends at the end-of-archive
 * marker; what follows it (the rest of a USB stick, a compressed stream's
 * tail) is not read and not judged. Set before the first oci_tar_next. */
void oci_tar_set_medium(oci_tar *t);

/* The next entry, or *e == NULL at the end. The end is reported only once the
 * end-of-archive marker, everything after it up to the end of the
 * decompressed stream (zeros only), and the end of the compressed stream
 * (nothing after it) are checked. Data of the previous entry not read is
 * skipped. Errors: AL_E_BUNDLE_FORMAT / AL_E_BUNDLE_UNSAFE naming the entry
 * or the offset, AL_E_LIMIT (budget, bomb, meta size), AL_E_IO. */
al_rc oci_tar_next(oci_tar *t, const oci_tar_entry **e, al_err *err) AL_MUST_USE;
/* The next piece of the current entry's data; *n == 0 when all is read. */
al_rc oci_tar_data(oci_tar *t, const uint8_t **p, size_t *n, al_err *err) AL_MUST_USE;
/* "none", "gzip", "zstd" or "xz"; known once oci_tar_next returned. */
const char *oci_tar_compression(const oci_tar *t);
/* oci_decomp_source_sha256 of the archive's source. */
bool oci_tar_source_sha256(const oci_tar *t, uint8_t out[32]);
/* oci_decomp_source_to and oci_decomp_source_end of the archive's source:
 * its bytes hashed elsewhere (before the first oci_tar_next). */
al_rc oci_tar_source_to(oci_tar *t, al_rc (*fn)(void *ctx, const uint8_t *p, size_t n, al_err *err), void *ctx,
			al_err *err) AL_MUST_USE;
bool oci_tar_source_end(const oci_tar *t);
/* oci_decomp_seek_on of the archive's stream (before the first
 * oci_tar_next): data not read with oci_tar_data is then skipped by seeking. */
bool oci_tar_seek_on(oci_tar *t, uint64_t *base, uint64_t *end);
/* The offset in the decompressed stream of the current entry's next data
 * byte (its first, right after oci_tar_next). */
uint64_t oci_tar_data_pos(const oci_tar *t);
/* Decompressed bytes produced so far. */
uint64_t oci_tar_bytes_out(const oci_tar *t);
/* Bytes of the archive (compressed) read so far. */
uint64_t oci_tar_bytes_in(const oci_tar *t);

/* The differential test: reads mem with oci_tar and, when it accepts every
 * header up to the verified end (or up to the first entry that the store
 * refuses by type), with libarchive, and compares the entries (names, types,
 * sizes, link targets, content digests). AL_OK when oci_tar refuses or both
 * agree; AL_E_INTERNAL describing the first difference otherwise.
 * *accepted tells whether oci_tar accepted. For tests and fuzzing. */
al_rc oci_tar_differential(al_bytes mem, bool *accepted, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- names */

/* Whether s[0..n) is valid UTF-8 (shortest forms, no surrogates, <= U+10FFFF). */
bool oci_utf8_valid(const char *s, size_t n);
/* The case-insensitive comparison key of valid UTF-8 s, into out
 * (NUL-terminated): two names get the same key iff they are equal under
 * Unicode simple case folding. The key is Go's fold (al_fold_rune), so not
 * lower case ("ABC" and "abc" both key as "ABC"), and never longer than s
 * (cap >= n + 1). Returns the length. */
size_t oci_casefold(const char *s, size_t n, char *out);
/* The Unicode version of the folding table (al_fold_unicode). */
const char *oci_casefold_unicode(void);

#endif
