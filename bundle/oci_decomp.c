/*
 * oci_decomp.c — the decompressed byte stream under the tar reader: input
 * from a file descriptor or memory, the decoder chosen from the first bytes
 * (none, gzip, zstd, xz: zlib, libzstd and liblzma driven directly, so the
 * exact end of every compressed stream is known and nothing after it goes
 * unread), and the budget of decompressed bytes with the expansion ratio
 * that stops a decompression bomb. oci_tar.c reads tar blocks from it;
 * oci_tar.c's header says which streams are accepted and why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lzma.h>
#define ZLIB_CONST /* next_in is a pointer to const */
#include <zlib.h>
#include <zstd.h>

#include "bundle/oci_decomp.h"
#include "crypto/crypto.h"

#define DEC_IN_CAP  (1u << 20)
#define DEC_OUT_CAP (1u << 20)

enum dec_comp { COMP_NONE, COMP_GZIP, COMP_ZSTD, COMP_XZ };

struct oci_decomp {
	const char *label;
	/* the compressed source */
	int fd;                     /* -1: memory */
	uint8_t *inbuf;             /* fd sources */
	const uint8_t *ip;          /* unconsumed input */
	size_t ia;
	bool src_eof;
	uint64_t in_total;          /* bytes taken from the source */
	al_hash_ctx src_hash;       /* SHA-256 of the source as read (evidence) */
	oci_decomp_source_fn *src_fn; /* or the bytes go there (oci_decomp_source_to) */
	void *src_ctx;
	/* the decoder */
	enum dec_comp comp;
	z_stream z;
	bool z_init, z_member_end;
	uint64_t z_members;
	ZSTD_DCtx *zd;
	bool zs_frame_end;
	lzma_stream lz;
	bool lz_init, lz_end;
	bool out_eof;               /* all output produced, the stream's end checked */
	uint8_t *outbuf;
	const uint8_t *op;          /* unconsumed output */
	size_t on;
	uint64_t out_total;         /* produced */
	uint64_t pos;               /* consumed: the offset of op */
	uint64_t budget;
	/* a plain stream in a regular file (oci_decomp_seek_on): data skipped
	 * by lseek, never past file_end, the size fstat saw once at open */
	int64_t file_base;          /* the fd's offset at open, -1: not seekable */
	uint64_t file_end;
	bool seek;
	bool skipped;               /* bytes were skipped unread: no digest of the source */
};

/* ================================================================ source */

/* Reads more input after what is left (kept at the front of the buffer). */
static al_rc
src_fill(oci_decomp *d, al_err *err)
{
	size_t want;
	ssize_t n;

	if (d->src_eof)
		return AL_OK;
	if (d->ia > 0 && d->ip != d->inbuf)
		memmove(d->inbuf, d->ip, d->ia);
	d->ip = d->inbuf;
	if (d->ia == DEC_IN_CAP)
		return AL_OK;
	want = DEC_IN_CAP - d->ia;
	if (d->seek) {
		/* never past the size seen at open: what was skipped and what is
		 * read end at the same place, whatever the file does meanwhile */
		uint64_t at = (uint64_t)d->file_base + d->in_total;
		uint64_t left = d->file_end > at ? d->file_end - at : 0;

		if (left < want)
			want = (size_t)left;
	}
	do
		n = want > 0 ? read(d->fd, d->inbuf + d->ia, want) : 0;
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return al_err_set(err, AL_E_IO, "%s: read error: %s", d->label, strerror(errno));
	if (n == 0)
		d->src_eof = true;
	if (d->src_fn != NULL) {
		al_rc rc;

		if (n > 0 && (rc = d->src_fn(d->src_ctx, d->inbuf + d->ia, (size_t)n, err)) != AL_OK)
			return rc;
	} else {
		al_hash_update(&d->src_hash, d->inbuf + d->ia, (size_t)n);
	}
	d->ia += (size_t)n;
	d->in_total += (uint64_t)n;
	return AL_OK;
}

/* ================================================================ decoders */

static al_rc
trailing(oci_decomp *d, const char *what, al_err *err)
{
	return al_err_set(err, AL_E_BUNDLE_FORMAT,
			  "%s: trailing data after the %s stream (at compressed offset %llu): "
			  "other readers would ignore it or read it differently",
			  d->label, what, (unsigned long long)(d->in_total - d->ia));
}

static al_rc
truncated(oci_decomp *d, const char *what, al_err *err)
{
	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the %s stream is truncated (after %llu compressed bytes)",
			  d->label, what, (unsigned long long)d->in_total);
}

static al_rc
gz_step(oci_decomp *d, al_err *err)
{
	uInt avail = (uInt)(d->ia > UINT32_MAX ? UINT32_MAX : d->ia);
	int r;

	if (d->z_member_end) {
		if (d->ia == 0) {
			d->out_eof = true; /* the caller filled: the source is at its end */
			return AL_OK;
		}
		/* Go's gzip.Reader is multistream: a following member continues the data */
		if (inflateReset(&d->z) != Z_OK)
			return al_err_set(err, AL_E_INTERNAL, "inflateReset failed");
		d->z_member_end = false;
	}
	d->z.next_in = d->ip;
	d->z.avail_in = avail;
	d->z.next_out = d->outbuf;
	d->z.avail_out = DEC_OUT_CAP;
	r = inflate(&d->z, Z_NO_FLUSH);
	d->ip += avail - d->z.avail_in;
	d->ia -= avail - d->z.avail_in;
	d->op = d->outbuf;
	d->on = DEC_OUT_CAP - d->z.avail_out;
	if (r == Z_STREAM_END) {
		d->z_member_end = true;
		d->z_members++;
		return AL_OK;
	}
	if (r == Z_OK)
		return AL_OK;
	if (r == Z_BUF_ERROR) {
		if (d->ia == 0 && d->src_eof)
			return truncated(d, "gzip", err);
		return AL_OK;
	}
	if (d->z_members > 0 && d->z.total_in < 10)
		return trailing(d, "gzip", err);
	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt gzip stream: %s", d->label,
			  d->z.msg ? d->z.msg : "inflate error");
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define ZSTD_SKIPPABLE_MASK 0xfffffff0u
#define ZSTD_SKIPPABLE_MAGIC 0x184d2a50u

static al_rc
zstd_step(oci_decomp *d, al_err *err)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer out = { d->outbuf, DEC_OUT_CAP, 0 };
	size_t r;
	al_rc rc;

	if (d->zs_frame_end) {
		uint32_t m;

		if (d->ia == 0) {
			d->out_eof = true;
			return AL_OK;
		}
		if (d->ia < 4 && !d->src_eof)
			return src_fill(d, err);
		m = d->ia >= 4 ? le32(d->ip) : 0;
		if ((m & ZSTD_SKIPPABLE_MASK) == ZSTD_SKIPPABLE_MAGIC)
			return al_err_set(err, AL_E_BUNDLE_FORMAT,
					  "%s: zstd skippable frame at compressed offset %llu: refused (data no reader checks)",
					  d->label, (unsigned long long)(d->in_total - d->ia));
		if (m != ZSTD_MAGICNUMBER)
			return trailing(d, "zstd", err);
		d->zs_frame_end = false; /* another frame: klauspost decodes it as more of the stream */
	}
	in.src = d->ip;
	in.size = d->ia;
	in.pos = 0;
	r = ZSTD_decompressStream(d->zd, &out, &in);
	if (ZSTD_isError(r))
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt zstd stream: %s", d->label, ZSTD_getErrorName(r));
	d->ip += in.pos;
	d->ia -= in.pos;
	d->op = d->outbuf;
	d->on = out.pos;
	if (r == 0) {
		d->zs_frame_end = true;
		return AL_OK;
	}
	if (in.pos == 0 && out.pos == 0) {
		if (d->ia == 0 && d->src_eof)
			return truncated(d, "zstd", err);
		if (d->src_eof)
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the zstd stream makes no progress", d->label);
		if ((rc = src_fill(d, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
xz_step(oci_decomp *d, al_err *err)
{
	lzma_ret r;
	size_t ia0 = d->ia;

	if (d->lz_end) {
		if (d->ia > 0)
			return trailing(d, "xz", err);
		d->out_eof = true;
		return AL_OK;
	}
	d->lz.next_in = d->ip;
	d->lz.avail_in = d->ia;
	d->lz.next_out = d->outbuf;
	d->lz.avail_out = DEC_OUT_CAP;
	r = lzma_code(&d->lz, d->ia == 0 && d->src_eof ? LZMA_FINISH : LZMA_RUN);
	d->ip = d->lz.next_in;
	d->ia = d->lz.avail_in;
	d->op = d->outbuf;
	d->on = DEC_OUT_CAP - d->lz.avail_out;
	switch (r) {
	case LZMA_STREAM_END:
		d->lz_end = true;
		return AL_OK;
	case LZMA_OK:
		if (ia0 == d->ia && d->on == 0 && d->ia == 0 && d->src_eof)
			return truncated(d, "xz", err);
		return AL_OK;
	case LZMA_BUF_ERROR:
		return truncated(d, "xz", err);
	case LZMA_MEMLIMIT_ERROR:
		return al_err_set(err, AL_E_LIMIT, "%s: the xz stream needs more than %u bytes of decoder memory",
				  d->label, AL_MAX_DECODER_WINDOW);
	default:
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt xz stream (liblzma error %d)", d->label, (int)r);
	}
}

/* Counts output against the budget and the expansion ratio. */
static al_rc
account(oci_decomp *d, al_err *err)
{
	uint64_t in;

	d->out_total += d->on;
	if (d->out_total > d->budget)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: more than %llu bytes after decompression, the budget for one run "
				  "(--max-bytes raises it)",
				  d->label, (unsigned long long)d->budget);
	in = d->in_total - d->ia;
	if (d->comp != COMP_NONE && d->out_total > AL_EXPANSION_FREE && d->out_total / AL_MAX_EXPANSION > in)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: decompression bomb: %llu bytes from %llu compressed bytes, more than %u:1 "
				  "past the first %llu bytes",
				  d->label, (unsigned long long)d->out_total, (unsigned long long)in,
				  (unsigned)AL_MAX_EXPANSION, (unsigned long long)AL_EXPANSION_FREE);
	return AL_OK;
}

/* More decompressed bytes (d->on > 0), or d->out_eof at the checked end. */
static al_rc
dec_more(oci_decomp *d, al_err *err)
{
	al_rc rc;

	while (d->on == 0 && !d->out_eof) {
		rc = AL_OK;
		if (d->ia == 0 && !d->src_eof && (rc = src_fill(d, err)) != AL_OK)
			return rc;
		switch (d->comp) {
		case COMP_NONE:
			if (d->ia == 0) {
				d->out_eof = true;
				break;
			}
			d->op = d->ip;
			d->on = d->ia;
			d->ip += d->ia;
			d->ia = 0;
			rc = AL_OK;
			break;
		case COMP_GZIP:
			rc = gz_step(d, err);
			break;
		case COMP_ZSTD:
			rc = zstd_step(d, err);
			break;
		case COMP_XZ:
			rc = xz_step(d, err);
			break;
		}
		if (rc != AL_OK)
			return rc;
		if (d->on > 0 && (rc = account(d, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

/* ================================================================ output */

/* Skips up to n bytes of a plain source by moving the file offset, bounded
 * by the size seen at open: a skip that reaches it is the end of the
 * source, exactly as a read would have found it (the caller then reports
 * the truncation it reports for a stream). */
static al_rc
seek_skip(oci_decomp *d, uint64_t n, uint64_t *got, al_err *err)
{
	uint64_t at = (uint64_t)d->file_base + d->in_total;
	uint64_t left = d->file_end > at ? d->file_end - at : 0;
	uint64_t k = n < left ? n : left;

	if (k > 0 && lseek(d->fd, (off_t)(at + k), SEEK_SET) < 0)
		return al_err_set(err, AL_E_IO, "%s: seek error: %s", d->label, strerror(errno));
	if (k < n)
		d->src_eof = true;
	d->skipped = true;
	d->in_total += k;
	d->out_total += k;
	d->pos += k;
	*got += k;
	/* oci_decomp_seek_on needs the whole file within the budget, so this
	 * never fires; it is the same bound as account's */
	if (d->out_total > d->budget)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: more than %llu bytes after decompression, the budget for one run "
				  "(--max-bytes raises it)",
				  d->label, (unsigned long long)d->budget);
	return AL_OK;
}

al_rc
oci_decomp_take(oci_decomp *d, uint8_t *dst, uint64_t n, uint64_t *got, al_err *err)
{
	al_rc rc;

	*got = 0;
	while (*got < n) {
		size_t k;

		if (d->on == 0 && dst == NULL && d->seek && d->ia == 0 && !d->src_eof) {
			if ((rc = seek_skip(d, n - *got, got, err)) != AL_OK)
				return rc;
			continue;
		}
		if (d->on == 0) {
			if ((rc = dec_more(d, err)) != AL_OK)
				return rc;
			if (d->on == 0)
				break;
		}
		k = n - *got < d->on ? (size_t)(n - *got) : d->on;
		if (dst)
			memcpy(dst + *got, d->op, k);
		d->op += k;
		d->on -= k;
		d->pos += k;
		*got += k;
	}
	return AL_OK;
}

al_rc
oci_decomp_next(oci_decomp *d, uint64_t max, const uint8_t **p, size_t *n, al_err *err)
{
	al_rc rc;

	*p = NULL;
	*n = 0;
	if (d->on == 0) {
		if ((rc = dec_more(d, err)) != AL_OK)
			return rc;
		if (d->on == 0)
			return AL_OK;
	}
	*n = max < d->on ? (size_t)max : d->on;
	*p = d->op;
	d->op += *n;
	d->on -= *n;
	d->pos += *n;
	return AL_OK;
}

uint64_t
oci_decomp_pos(const oci_decomp *d)
{
	return d->pos;
}

uint64_t
oci_decomp_out(const oci_decomp *d)
{
	return d->out_total;
}

uint64_t
oci_decomp_in(const oci_decomp *d)
{
	return d->in_total - d->ia;
}

static const char *const comp_names[] = { "none", "gzip", "zstd", "xz" };

const char *
oci_decomp_name(const oci_decomp *d)
{
	return comp_names[d->comp];
}

/* ================================================================ opening */

/* Chooses the decoder from the first bytes. */
static al_rc
detect(oci_decomp *d, al_err *err)
{
	al_rc rc;
	const uint8_t *p;

	while (d->ia < 6 && !d->src_eof)
		if ((rc = src_fill(d, err)) != AL_OK)
			return rc;
	p = d->ip;
	if (d->ia >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		/* 16 + 15: gzip wrapper only, the largest window */
		if (inflateInit2(&d->z, 16 + 15) != Z_OK)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		d->z_init = true;
		d->comp = COMP_GZIP;
	} else if (d->ia >= 4 && le32(p) == ZSTD_MAGICNUMBER) {
		d->zd = ZSTD_createDCtx();
		if (d->zd == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		if (ZSTD_isError(ZSTD_DCtx_setParameter(d->zd, ZSTD_d_windowLogMax, 27)))
			return al_err_set(err, AL_E_INTERNAL, "zstd: cannot bound the window");
		d->comp = COMP_ZSTD;
	} else if (d->ia >= 4 && (le32(p) & ZSTD_SKIPPABLE_MASK) == ZSTD_SKIPPABLE_MAGIC) {
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "%s: starts with a zstd skippable frame: refused (data no reader checks)", d->label);
	} else if (d->ia >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) {
		lzma_stream init = LZMA_STREAM_INIT;

		d->lz = init;
		/* no LZMA_CONCATENATED: a second stream or padding is trailing data */
		if (lzma_stream_decoder(&d->lz, AL_MAX_DECODER_WINDOW, 0) != LZMA_OK)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		d->lz_init = true;
		d->comp = COMP_XZ;
	} else {
		d->comp = COMP_NONE;
	}
	return AL_OK;
}

static al_rc
dec_new(oci_decomp **out, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_decomp *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (d == NULL || (d->outbuf = malloc(DEC_OUT_CAP)) == NULL) {
		free(d);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	d->label = label;
	d->fd = -1;
	al_hash_init(&d->src_hash, AL_HASH_SHA256);
	d->budget = max_bytes ? max_bytes : AL_MAX_READ_BYTES;
	*out = d;
	return AL_OK;
}

al_rc
oci_decomp_open_fd(oci_decomp **out, int fd, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_decomp *d;
	al_rc rc;

	if ((rc = dec_new(&d, label, max_bytes, err)) != AL_OK)
		return rc;
	d->fd = fd;
	d->inbuf = malloc(DEC_IN_CAP);
	if (d->inbuf == NULL) {
		oci_decomp_free(d);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	d->ip = d->inbuf;
	d->file_base = -1;
	{
		struct stat st;
		off_t at = lseek(fd, 0, SEEK_CUR);

		if (at >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= at) {
			d->file_base = (int64_t)at;
			d->file_end = (uint64_t)st.st_size;
		}
	}
	if ((rc = detect(d, err)) != AL_OK) {
		oci_decomp_free(d);
		return rc;
	}
	*out = d;
	return AL_OK;
}

al_rc
oci_decomp_open_mem(oci_decomp **out, al_bytes mem, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_decomp *d;
	al_rc rc;

	if ((rc = dec_new(&d, label, max_bytes, err)) != AL_OK)
		return rc;
	d->ip = mem.p;
	d->ia = mem.n;
	al_hash_update(&d->src_hash, mem.p, mem.n);
	d->in_total = mem.n;
	d->src_eof = true;
	if ((rc = detect(d, err)) != AL_OK) {
		oci_decomp_free(d);
		return rc;
	}
	*out = d;
	return AL_OK;
}

bool
oci_decomp_source_sha256(const oci_decomp *d, uint8_t out[32])
{
	al_hash_ctx c = d->src_hash;
	uint8_t h[AL_HASH_MAX];

	if (!d->src_eof || d->src_fn != NULL || d->skipped)
		return false;
	al_hash_final(&c, h);
	memcpy(out, h, 32);
	return true;
}

al_rc
oci_decomp_source_to(oci_decomp *d, oci_decomp_source_fn *fn, void *ctx, al_err *err)
{
	/* nothing taken yet: what was read is all still in the buffer */
	if (d->pos != 0 || d->out_total != 0 || d->in_total != d->ia)
		return al_err_set(err, AL_E_INTERNAL, "oci_decomp_source_to after the first read");
	d->src_fn = fn;
	d->src_ctx = ctx;
	return d->ia > 0 ? fn(ctx, d->ip, d->ia, err) : AL_OK;
}

bool
oci_decomp_seek_on(oci_decomp *d, uint64_t *base, uint64_t *end)
{
	/* in_total: detect's first read, which the bound did not limit yet */
	if (d->file_base < 0 || d->comp != COMP_NONE || d->pos != 0 ||
	    d->file_end - (uint64_t)d->file_base > d->budget ||
	    d->in_total > d->file_end - (uint64_t)d->file_base)
		return false;
	d->seek = true;
	*base = (uint64_t)d->file_base;
	*end = d->file_end;
	return true;
}

bool
oci_decomp_source_end(const oci_decomp *d)
{
	return d->src_eof;
}

void
oci_decomp_free(oci_decomp *d)
{
	if (d == NULL)
		return;
	if (d->z_init)
		inflateEnd(&d->z);
	ZSTD_freeDCtx(d->zd);
	if (d->lz_init)
		lzma_end(&d->lz);
	free(d->inbuf);
	free(d->outbuf);
	free(d);
}
