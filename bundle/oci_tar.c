/*
 * oci_tar.c — a strict tar reader with its own decompression (zlib, libzstd,
 * liblzma): Go archive/tar's reading of names and sizes on the subset of
 * headers every common reader reads the same way, and a refusal for
 * everything else (oci_tar.h says why this exists beside libarchive).
 *
 * The accepted subset, and why each rule:
 *  - ustar ("ustar\0" "00") and GNU ("ustar  \0") headers only; v7 and
 *    unknown magics are refused (readers disagree on what fields they hold).
 *  - The checksum must match (unsigned or signed sum: Go, libarchive and GNU
 *    tar all take either).
 *  - Every numeric field Go parses (mode, uid, gid, size, mtime, devmajor,
 *    devminor, chksum) must be spaces, octal digits, then only NULs or spaces
 *    — the one spelling on which Go's trim-then-parse and libarchive's
 *    skip-spaces-then-digits give the same value — or positive base-256.
 *  - ustar: name = prefix "/" name (Go, libarchive), the prefix not ending in
 *    '/' (libarchive then adds none, Go does). A star trailer ("tar\0" at 508)
 *    makes Go read only 131 prefix bytes: refused unless the prefix area is
 *    all zero.
 *  - GNU: the prefix area holds atime/ctime/sparse data. Go takes it as a
 *    prefix when atime/ctime do not parse, so they must parse (or be empty),
 *    and the sparse/multivolume bytes (369..500) must be zero.
 *  - PAX 'x' records: canonical "len key=value\n" records filling the data
 *    exactly, no duplicate keys, and only keys that change nothing about
 *    names, types or sizes in any reader, besides path/linkpath/size
 *    themselves: no GNU.sparse.*, hdrcharset, SCHILY.realsize or vendor keys.
 *    Global 'g' records may not carry path, linkpath or size (GNU tar applies
 *    them to later entries, Go and libarchive do not).
 *  - GNU 'L'/'K': the name and one NUL, nothing else; not together with a PAX
 *    path/linkpath (readers disagree on which wins). At most one of each
 *    kind of extended header per entry.
 *  - Types: regular ('0', '\0'), directory, symlink, and the types the store
 *    refuses with their own message (hard link, devices, FIFO). Sparse 'S',
 *    contiguous '7', volume and multi-volume headers are refused. Directories
 *    and symlinks must have size 0 (Go reads no data for them, libarchive
 *    may); regular files may not end in '/' (libarchive makes them
 *    directories) or carry a link name.
 *  - Names: valid UTF-8 (readers convert other charsets differently), no
 *    backslash (a separator where Windows extracts).
 *  - The end: two zero blocks; a zero block followed by a non-zero one is
 *    refused (Go errors, others read on); after the marker only zeros up to
 *    the end of the decompressed stream; and nothing after the compressed
 *    stream: concatenated gzip members are read as one stream (Go's
 *    multistream default), concatenated zstd frames too (klauspost decodes
 *    them in sequence), zstd skippable frames and a second xz stream are
 *    refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "bundle/oci_tar.h"

#define TAR_IN_CAP  (1u << 20)
#define TAR_OUT_CAP (1u << 20)
#define TAR_BLOCK   512u

enum tar_comp { COMP_NONE, COMP_GZIP, COMP_ZSTD, COMP_XZ };

struct oci_tar {
	const char *label;
	/* the compressed source */
	int fd;                     /* -1: memory */
	uint8_t *inbuf;             /* fd sources */
	const uint8_t *ip;          /* unconsumed input */
	size_t ia;
	bool src_eof;
	uint64_t in_total;          /* bytes taken from the source */
	/* the decoder */
	enum tar_comp comp;
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
	/* tar */
	bool started, done;
	oci_tar_entry ent;
	char name[AL_MAX_PATH + 1];
	char link[AL_MAX_PATH + 1];
	uint64_t data_left, pad_left;
	al_buf meta;
};

/* ================================================================ messages */

/* Untrusted text for a message: at most 120 bytes, non-printables as '?'. */
static const char *
show(const char *s, size_t n, char out[121])
{
	size_t k = n > 120 ? 120 : n;

	for (size_t i = 0; i < k; i++)
		out[i] = (uint8_t)s[i] >= 0x20 && (uint8_t)s[i] < 0x7f ? s[i] : '?';
	out[k] = '\0';
	return out;
}

/* ================================================================ source */

/* Reads more input after what is left (kept at the front of the buffer). */
static al_rc
src_fill(oci_tar *t, al_err *err)
{
	ssize_t n;

	if (t->src_eof)
		return AL_OK;
	if (t->ia > 0 && t->ip != t->inbuf)
		memmove(t->inbuf, t->ip, t->ia);
	t->ip = t->inbuf;
	if (t->ia == TAR_IN_CAP)
		return AL_OK;
	do
		n = read(t->fd, t->inbuf + t->ia, TAR_IN_CAP - t->ia);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return al_err_set(err, AL_E_IO, "%s: read error: %s", t->label, strerror(errno));
	if (n == 0)
		t->src_eof = true;
	t->ia += (size_t)n;
	t->in_total += (uint64_t)n;
	return AL_OK;
}

/* ================================================================ decoders */

static al_rc
trailing(oci_tar *t, const char *what, al_err *err)
{
	return al_err_set(err, AL_E_BUNDLE_FORMAT,
			  "%s: trailing data after the %s stream (at compressed offset %llu): "
			  "other readers would ignore it or read it differently",
			  t->label, what, (unsigned long long)(t->in_total - t->ia));
}

static al_rc
truncated(oci_tar *t, const char *what, al_err *err)
{
	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the %s stream is truncated (after %llu compressed bytes)",
			  t->label, what, (unsigned long long)t->in_total);
}

static al_rc
gz_step(oci_tar *t, al_err *err)
{
	uInt avail = (uInt)(t->ia > UINT32_MAX ? UINT32_MAX : t->ia);
	int r;

	if (t->z_member_end) {
		if (t->ia == 0) {
			t->out_eof = true; /* the caller filled: the source is at its end */
			return AL_OK;
		}
		/* Go's gzip.Reader is multistream: a following member continues the data */
		if (inflateReset(&t->z) != Z_OK)
			return al_err_set(err, AL_E_INTERNAL, "inflateReset failed");
		t->z_member_end = false;
	}
	t->z.next_in = (Bytef *)(uintptr_t)t->ip;
	t->z.avail_in = avail;
	t->z.next_out = t->outbuf;
	t->z.avail_out = TAR_OUT_CAP;
	r = inflate(&t->z, Z_NO_FLUSH);
	t->ip += avail - t->z.avail_in;
	t->ia -= avail - t->z.avail_in;
	t->op = t->outbuf;
	t->on = TAR_OUT_CAP - t->z.avail_out;
	if (r == Z_STREAM_END) {
		t->z_member_end = true;
		t->z_members++;
		return AL_OK;
	}
	if (r == Z_OK)
		return AL_OK;
	if (r == Z_BUF_ERROR) {
		if (t->ia == 0 && t->src_eof)
			return truncated(t, "gzip", err);
		return AL_OK;
	}
	if (t->z_members > 0 && t->z.total_in < 10)
		return trailing(t, "gzip", err);
	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt gzip stream: %s", t->label,
			  t->z.msg ? t->z.msg : "inflate error");
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define ZSTD_SKIPPABLE_MASK 0xfffffff0u
#define ZSTD_SKIPPABLE_MAGIC 0x184d2a50u

static al_rc
zstd_step(oci_tar *t, al_err *err)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer out = { t->outbuf, TAR_OUT_CAP, 0 };
	size_t r;
	al_rc rc;

	if (t->zs_frame_end) {
		uint32_t m;

		if (t->ia == 0) {
			t->out_eof = true;
			return AL_OK;
		}
		if (t->ia < 4 && !t->src_eof)
			return src_fill(t, err);
		m = t->ia >= 4 ? le32(t->ip) : 0;
		if ((m & ZSTD_SKIPPABLE_MASK) == ZSTD_SKIPPABLE_MAGIC)
			return al_err_set(err, AL_E_BUNDLE_FORMAT,
					  "%s: zstd skippable frame at compressed offset %llu: refused (data no reader checks)",
					  t->label, (unsigned long long)(t->in_total - t->ia));
		if (m != ZSTD_MAGICNUMBER)
			return trailing(t, "zstd", err);
		t->zs_frame_end = false; /* another frame: klauspost decodes it as more of the stream */
	}
	in.src = t->ip;
	in.size = t->ia;
	in.pos = 0;
	r = ZSTD_decompressStream(t->zd, &out, &in);
	if (ZSTD_isError(r))
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt zstd stream: %s", t->label, ZSTD_getErrorName(r));
	t->ip += in.pos;
	t->ia -= in.pos;
	t->op = t->outbuf;
	t->on = out.pos;
	if (r == 0) {
		t->zs_frame_end = true;
		return AL_OK;
	}
	if (in.pos == 0 && out.pos == 0) {
		if (t->ia == 0 && t->src_eof)
			return truncated(t, "zstd", err);
		if (t->src_eof)
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the zstd stream makes no progress", t->label);
		if ((rc = src_fill(t, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
xz_step(oci_tar *t, al_err *err)
{
	lzma_ret r;
	size_t ia0 = t->ia;

	if (t->lz_end) {
		if (t->ia > 0)
			return trailing(t, "xz", err);
		t->out_eof = true;
		return AL_OK;
	}
	t->lz.next_in = t->ip;
	t->lz.avail_in = t->ia;
	t->lz.next_out = t->outbuf;
	t->lz.avail_out = TAR_OUT_CAP;
	r = lzma_code(&t->lz, t->ia == 0 && t->src_eof ? LZMA_FINISH : LZMA_RUN);
	t->ip = t->lz.next_in;
	t->ia = t->lz.avail_in;
	t->op = t->outbuf;
	t->on = TAR_OUT_CAP - t->lz.avail_out;
	switch (r) {
	case LZMA_STREAM_END:
		t->lz_end = true;
		return AL_OK;
	case LZMA_OK:
		if (ia0 == t->ia && t->on == 0 && t->ia == 0 && t->src_eof)
			return truncated(t, "xz", err);
		return AL_OK;
	case LZMA_BUF_ERROR:
		return truncated(t, "xz", err);
	case LZMA_MEMLIMIT_ERROR:
		return al_err_set(err, AL_E_LIMIT, "%s: the xz stream needs more than %u bytes of decoder memory",
				  t->label, AL_MAX_DECODER_WINDOW);
	default:
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: corrupt xz stream (liblzma error %d)", t->label, (int)r);
	}
}

/* Counts output against the budget and the expansion ratio. */
static al_rc
account(oci_tar *t, al_err *err)
{
	uint64_t in;

	t->out_total += t->on;
	if (t->out_total > t->budget)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: more than %llu bytes after decompression, the budget for one run "
				  "(--max-bytes raises it)",
				  t->label, (unsigned long long)t->budget);
	in = t->in_total - t->ia;
	if (t->comp != COMP_NONE && t->out_total > AL_EXPANSION_FREE && t->out_total / AL_MAX_EXPANSION > in)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: decompression bomb: %llu bytes from %llu compressed bytes, more than %u:1 "
				  "past the first %llu bytes",
				  t->label, (unsigned long long)t->out_total, (unsigned long long)in,
				  (unsigned)AL_MAX_EXPANSION, (unsigned long long)AL_EXPANSION_FREE);
	return AL_OK;
}

/* More decompressed bytes (t->on > 0), or t->out_eof at the checked end. */
static al_rc
dec_more(oci_tar *t, al_err *err)
{
	al_rc rc;

	while (t->on == 0 && !t->out_eof) {
		rc = AL_OK;
		if (t->ia == 0 && !t->src_eof && (rc = src_fill(t, err)) != AL_OK)
			return rc;
		switch (t->comp) {
		case COMP_NONE:
			if (t->ia == 0) {
				t->out_eof = true;
				break;
			}
			t->op = t->ip;
			t->on = t->ia;
			t->ip += t->ia;
			t->ia = 0;
			rc = AL_OK;
			break;
		case COMP_GZIP:
			rc = gz_step(t, err);
			break;
		case COMP_ZSTD:
			rc = zstd_step(t, err);
			break;
		case COMP_XZ:
			rc = xz_step(t, err);
			break;
		}
		if (rc != AL_OK)
			return rc;
		if (t->on > 0 && (rc = account(t, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

/* Copies (dst != NULL) or skips up to n decompressed bytes; *got short only at the end. */
static al_rc
take(oci_tar *t, uint8_t *dst, uint64_t n, uint64_t *got, al_err *err)
{
	al_rc rc;

	*got = 0;
	while (*got < n) {
		size_t k;

		if (t->on == 0) {
			if ((rc = dec_more(t, err)) != AL_OK)
				return rc;
			if (t->on == 0)
				break;
		}
		k = n - *got < t->on ? (size_t)(n - *got) : t->on;
		if (dst)
			memcpy(dst + *got, t->op, k);
		t->op += k;
		t->on -= k;
		t->pos += k;
		*got += k;
	}
	return AL_OK;
}

static const char *const comp_names[] = { "none", "gzip", "zstd", "xz" };

const char *
oci_tar_compression(const oci_tar *t)
{
	return comp_names[t->comp];
}

uint64_t
oci_tar_bytes_out(const oci_tar *t)
{
	return t->out_total;
}

/* Chooses the decoder from the first bytes. */
static al_rc
detect(oci_tar *t, al_err *err)
{
	al_rc rc;
	const uint8_t *p;

	while (t->ia < 6 && !t->src_eof)
		if ((rc = src_fill(t, err)) != AL_OK)
			return rc;
	p = t->ip;
	if (t->ia >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		/* 16 + 15: gzip wrapper only, the largest window */
		if (inflateInit2(&t->z, 16 + 15) != Z_OK)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		t->z_init = true;
		t->comp = COMP_GZIP;
	} else if (t->ia >= 4 && le32(p) == ZSTD_MAGICNUMBER) {
		t->zd = ZSTD_createDCtx();
		if (t->zd == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		if (ZSTD_isError(ZSTD_DCtx_setParameter(t->zd, ZSTD_d_windowLogMax, 27)))
			return al_err_set(err, AL_E_INTERNAL, "zstd: cannot bound the window");
		t->comp = COMP_ZSTD;
	} else if (t->ia >= 4 && (le32(p) & ZSTD_SKIPPABLE_MASK) == ZSTD_SKIPPABLE_MAGIC) {
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "%s: starts with a zstd skippable frame: refused (data no reader checks)", t->label);
	} else if (t->ia >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) {
		lzma_stream init = LZMA_STREAM_INIT;

		t->lz = init;
		/* no LZMA_CONCATENATED: a second stream or padding is trailing data */
		if (lzma_stream_decoder(&t->lz, AL_MAX_DECODER_WINDOW, 0) != LZMA_OK)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		t->lz_init = true;
		t->comp = COMP_XZ;
	} else {
		t->comp = COMP_NONE;
	}
	return AL_OK;
}

static al_rc
tar_new(oci_tar **out, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_tar *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL || (t->outbuf = malloc(TAR_OUT_CAP)) == NULL) {
		free(t);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	t->label = label;
	t->fd = -1;
	t->budget = max_bytes ? max_bytes : AL_MAX_READ_BYTES;
	*out = t;
	return AL_OK;
}

al_rc
oci_tar_open_fd(oci_tar **out, int fd, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_tar *t;
	al_rc rc;

	if ((rc = tar_new(&t, label, max_bytes, err)) != AL_OK)
		return rc;
	t->fd = fd;
	t->inbuf = malloc(TAR_IN_CAP);
	if (t->inbuf == NULL) {
		oci_tar_free(t);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	t->ip = t->inbuf;
	if ((rc = detect(t, err)) != AL_OK) {
		oci_tar_free(t);
		return rc;
	}
	*out = t;
	return AL_OK;
}

al_rc
oci_tar_open_mem(oci_tar **out, al_bytes mem, uint64_t max_bytes, al_err *err)
{
	oci_tar *t;
	al_rc rc;

	if ((rc = tar_new(&t, "archive", max_bytes, err)) != AL_OK)
		return rc;
	t->ip = mem.p;
	t->ia = mem.n;
	t->in_total = mem.n;
	t->src_eof = true;
	if ((rc = detect(t, err)) != AL_OK) {
		oci_tar_free(t);
		return rc;
	}
	*out = t;
	return AL_OK;
}

void
oci_tar_free(oci_tar *t)
{
	if (t == NULL)
		return;
	if (t->z_init)
		inflateEnd(&t->z);
	ZSTD_freeDCtx(t->zd);
	if (t->lz_init)
		lzma_end(&t->lz);
	free(t->inbuf);
	free(t->outbuf);
	al_buf_free(&t->meta);
	free(t);
}

/* ================================================================ header fields */

/* The one numeric spelling every reader parses alike: spaces, octal digits,
 * then only NULs and spaces (all NUL/space is 0); or, when b256, a positive
 * base-256 number below 2^63. */
static bool
parse_num(const uint8_t *f, size_t n, bool b256, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	if (n > 0 && (f[0] & 0x80)) {
		if (!b256 || f[0] != 0x80)
			return false;
		for (i = 1; i < n; i++) {
			if (v >> 55)
				return false;
			v = v << 8 | f[i];
		}
		if (v >> 63)
			return false;
		*out = v;
		return true;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return false;
	*out = v;
	return true;
}

static size_t
cstrlen(const uint8_t *f, size_t n)
{
	const uint8_t *z = memchr(f, 0, n);

	return z ? (size_t)(z - f) : n;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The fields of one header block, as Go reads them. */
typedef struct tar_hdr {
	char type;
	uint64_t size;
	bool gnu;
	char name[256 + 1];         /* prefix "/" name */
	size_t name_n;
	char link[100 + 1];
} tar_hdr;

static al_rc
hdr_err(oci_tar *t, uint64_t off, al_err *err, const char *what)
{
	/* the first block decides whether this is a tar at all */
	if (off == 0 && !t->started)
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "not a directory, nor a tar archive (plain, gzip, zstd or xz): %s", what);
	return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: entry header at offset %llu: %s", t->label,
			  (unsigned long long)off, what);
}

static al_rc
parse_block(oci_tar *t, const uint8_t *b, uint64_t off, tar_hdr *h, al_err *err)
{
	static const struct { size_t at, n; const char *name; } nums[] = {
		{ 100, 8, "mode" }, { 108, 8, "uid" }, { 116, 8, "gid" }, { 136, 12, "mtime" },
		{ 329, 8, "devmajor" }, { 337, 8, "devminor" },
	};
	uint64_t sum, v;
	uint64_t usum = 0;
	int64_t ssum = 0;
	size_t pn;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < TAR_BLOCK; i++) {
		uint8_t c = i >= 148 && i < 156 ? ' ' : b[i];

		usum += c;
		ssum += (int8_t)c;
	}
	if (!parse_num(b + 148, 8, false, &sum))
		return hdr_err(t, off, err, "the checksum field is not an octal number");
	if (sum != usum && (int64_t)sum != ssum)
		return hdr_err(t, off, err, "header checksum mismatch");
	if (memcmp(b + 257, "ustar\0" "00", 8) == 0) {
		h->gnu = false;
	} else if (memcmp(b + 257, "ustar  \0", 8) == 0) {
		h->gnu = true;
	} else {
		return hdr_err(t, off, err,
			       "not a ustar, PAX or GNU header (v7 and other formats are read differently "
			       "by different readers)");
	}
	t->started = true;
	for (size_t i = 0; i < AL_ARRAY_LEN(nums); i++) {
		if (!parse_num(b + nums[i].at, nums[i].n, true, &v)) {
			char m[96];

			snprintf(m, sizeof(m), "the %s field is not a canonical number", nums[i].name);
			return hdr_err(t, off, err, m);
		}
	}
	if (!parse_num(b + 124, 12, true, &h->size))
		return hdr_err(t, off, err, "the size field is not a canonical number");
	h->type = b[156] == '\0' ? '0' : (char)b[156];
	h->name_n = cstrlen(b, 100);
	if (!h->gnu) {
		bool star = memcmp(b + 508, "tar\0", 4) == 0;

		pn = cstrlen(b + 345, 155);
		if (star && !all_zero(b + 345, 155))
			return hdr_err(t, off, err,
				       "a star header with a prefix (Go reads 131 prefix bytes, others 155)");
		if (pn > 0 && b[345 + pn - 1] == '/')
			return hdr_err(t, off, err,
				       "the ustar prefix ends in '/' (readers join it to the name differently)");
		if (pn > 0) {
			memcpy(h->name, b + 345, pn);
			h->name[pn] = '/';
			memcpy(h->name + pn + 1, b, h->name_n);
			h->name_n += pn + 1;
		} else {
			memcpy(h->name, b, h->name_n);
		}
	} else {
		/* Go falls back to reading a prefix here when atime/ctime do not parse */
		if ((b[345] != 0 && !parse_num(b + 345, 12, true, &v)) ||
		    (b[357] != 0 && !parse_num(b + 357, 12, true, &v)))
			return hdr_err(t, off, err,
				       "a GNU header whose atime/ctime do not parse (Go then reads them as a name prefix)");
		if (!all_zero(b + 369, 500 - 369))
			return hdr_err(t, off, err,
				       "a GNU header with sparse or multi-volume fields (offset, sparse map, realsize)");
		memcpy(h->name, b, h->name_n);
	}
	h->name[h->name_n] = '\0';
	memcpy(h->link, b + 157, cstrlen(b + 157, 100));
	h->link[cstrlen(b + 157, 100)] = '\0';
	return AL_OK;
}

/* ================================================================ PAX records */

enum {
	PAX_PATH = 1u << 0, PAX_LINKPATH = 1u << 1, PAX_SIZE = 1u << 2, PAX_MTIME = 1u << 3,
	PAX_ATIME = 1u << 4, PAX_CTIME = 1u << 5, PAX_UID = 1u << 6, PAX_GID = 1u << 7,
	PAX_UNAME = 1u << 8, PAX_GNAME = 1u << 9, PAX_COMMENT = 1u << 10,
};

typedef struct tar_pax {
	unsigned seen;              /* PAX_* keys present */
	uint64_t size;
	/* path and linkpath are written straight into t->name / t->link */
} tar_pax;

static bool
is_decimal(al_bytes v, bool sign)
{
	size_t i = 0;

	if (sign && v.n > 0 && v.p[0] == '-')
		i++;
	if (i == v.n || v.n - i > 19)
		return false;
	for (; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
	return true;
}

/* [-]digits[.digits], Go's parsePAXTime on canonical input. */
static bool
is_pax_time(al_bytes v)
{
	const uint8_t *dot = v.n ? memchr(v.p, '.', v.n) : NULL;
	size_t ip = dot ? (size_t)(dot - v.p) : v.n;

	if (!is_decimal(al_bytes_of(v.p, ip), true))
		return false;
	if (dot == NULL)
		return true;
	if (v.n - ip - 1 == 0)
		return false;
	for (size_t i = ip + 1; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
	return true;
}

static bool
starts_with(al_bytes k, const char *pre)
{
	size_t n = strlen(pre);

	return k.n > n && memcmp(k.p, pre, n) == 0;
}

static al_rc
pax_err(uint64_t off, al_err *err, const char *what, al_bytes key)
{
	char s[121];

	return al_err_set(err, AL_E_BUNDLE_UNSAFE, "PAX header at offset %llu: key \"%s\": %s",
			  (unsigned long long)off, show((const char *)key.p, key.n, s), what);
}

static al_rc
pax_path(al_bytes v, char *dst, uint64_t off, al_bytes key, al_err *err)
{
	if (v.n > AL_MAX_PATH)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "PAX header at offset %llu: a %zu-byte name exceeds the limit of %d",
				  (unsigned long long)off, v.n, AL_MAX_PATH);
	if (memchr(v.p, 0, v.n) != NULL)
		return pax_err(off, err, "a NUL in the value (Go refuses it, others truncate)", key);
	memcpy(dst, v.p, v.n);
	dst[v.n] = '\0';
	return AL_OK;
}

/* Parses a PAX data block into px (and t->name / t->link); global headers
 * may not carry path, linkpath, size or xattrs. */
static al_rc
parse_pax(oci_tar *t, al_bytes d, bool global, uint64_t off, tar_pax *px, al_err *err)
{
	static const struct { const char *k; unsigned bit; } keys[] = {
		{ "path", PAX_PATH }, { "linkpath", PAX_LINKPATH }, { "size", PAX_SIZE },
		{ "mtime", PAX_MTIME }, { "atime", PAX_ATIME }, { "ctime", PAX_CTIME },
		{ "uid", PAX_UID }, { "gid", PAX_GID }, { "uname", PAX_UNAME }, { "gname", PAX_GNAME },
		{ "comment", PAX_COMMENT },
	};
	size_t i = 0;

	memset(px, 0, sizeof(*px));
	while (i < d.n) {
		size_t j = i, len = 0, eq;
		al_bytes key, val;
		unsigned bit = 0;
		al_rc rc;

		/* "<len> <key>=<value>\n", len canonical decimal counting the whole record */
		if (d.p[j] < '1' || d.p[j] > '9')
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "PAX header at offset %llu: malformed record length",
					  (unsigned long long)off);
		for (; j < d.n && d.p[j] >= '0' && d.p[j] <= '9' && j - i < 8; j++)
			len = len * 10 + (size_t)(d.p[j] - '0');
		if (j >= d.n || d.p[j] != ' ' || len < 5 || len > d.n - i || d.p[i + len - 1] != '\n')
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "PAX header at offset %llu: malformed record",
					  (unsigned long long)off);
		j++;
		for (eq = j; eq < i + len - 1 && d.p[eq] != '='; eq++)
			;
		if (eq == i + len - 1 || eq == j)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "PAX header at offset %llu: record without a key",
					  (unsigned long long)off);
		key = al_bytes_of(d.p + j, eq - j);
		val = al_bytes_of(d.p + eq + 1, i + len - 1 - (eq + 1));
		i += len;
		if (memchr(key.p, 0, key.n) != NULL)
			return pax_err(off, err, "a NUL in the key", key);
		for (size_t k = 0; k < AL_ARRAY_LEN(keys); k++)
			if (al_bytes_eq_str(key, keys[k].k))
				bit = keys[k].bit;
		if (bit == 0) {
			/* extended attributes change no name, type or size in any reader */
			if (!global && (starts_with(key, "SCHILY.xattr.") || starts_with(key, "LIBARCHIVE.xattr.")))
				continue;
			return pax_err(off, err,
				       "not a key airlock can read the same way as every other reader "
				       "(sparse, charset and vendor keys change names or sizes in some)",
				       key);
		}
		if (px->seen & bit)
			return pax_err(off, err, "appears twice (readers keep different ones)", key);
		px->seen |= bit;
		if (global && (bit & (PAX_PATH | PAX_LINKPATH | PAX_SIZE)))
			return pax_err(off, err, "in a global header (GNU tar applies it to later entries, Go does not)",
				       key);
		switch (bit) {
		case PAX_PATH:
			if ((rc = pax_path(val, t->name, off, key, err)) != AL_OK)
				return rc;
			break;
		case PAX_LINKPATH:
			if ((rc = pax_path(val, t->link, off, key, err)) != AL_OK)
				return rc;
			break;
		case PAX_SIZE:
			if (!is_decimal(val, false) || (val.n > 1 && val.p[0] == '0'))
				return pax_err(off, err, "not a canonical decimal size", key);
			px->size = 0;
			for (size_t k = 0; k < val.n; k++)
				px->size = px->size * 10 + (uint64_t)(val.p[k] - '0');
			if (px->size >> 63)
				return pax_err(off, err, "size out of range", key);
			break;
		case PAX_MTIME:
		case PAX_ATIME:
		case PAX_CTIME:
			if (!is_pax_time(val))
				return pax_err(off, err, "not a canonical time", key);
			break;
		case PAX_UID:
		case PAX_GID:
			if (!is_decimal(val, false))
				return pax_err(off, err, "not a decimal number", key);
			break;
		default:
			if (bit != PAX_COMMENT && memchr(val.p, 0, val.n) != NULL)
				return pax_err(off, err, "a NUL in the value", key);
			break;
		}
	}
	return AL_OK;
}

/* ================================================================ entries */

/* Reads a metadata entry's data (and its padding) into t->meta. */
static al_rc
read_meta(oci_tar *t, uint64_t size, uint64_t off, const char *what, al_err *err)
{
	uint64_t got, pad = (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
	al_rc rc;

	if (size > AL_MAX_TAR_META)
		return al_err_set(err, AL_E_LIMIT, "%s at offset %llu: %llu bytes, more than the limit of %u", what,
				  (unsigned long long)off, (unsigned long long)size, AL_MAX_TAR_META);
	t->meta.n = 0;
	if ((rc = al_buf_reserve(&t->meta, (size_t)size + 1, err)) != AL_OK)
		return rc;
	if ((rc = take(t, t->meta.p, size, &got, err)) != AL_OK)
		return rc;
	if (got == size && (rc = take(t, NULL, pad, &got, err)) == AL_OK && got == pad) {
		t->meta.n = (size_t)size;
		return AL_OK;
	}
	if (rc != AL_OK)
		return rc;
	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s at offset %llu: the archive ends inside it (truncated)", what,
			  (unsigned long long)off);
}

/* A GNU long name or link: the name and exactly one NUL. */
static al_rc
gnu_long(oci_tar *t, char *dst, uint64_t off, const char *what, al_err *err)
{
	size_t n = t->meta.n;

	if (n == 0 || t->meta.p[n - 1] != '\0' || memchr(t->meta.p, 0, n - 1) != NULL)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "%s at offset %llu: not a name followed by one NUL (readers cut it differently)", what,
				  (unsigned long long)off);
	if (n - 1 > AL_MAX_PATH)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s at offset %llu: a %zu-byte name exceeds the limit of %d",
				  what, (unsigned long long)off, n - 1, AL_MAX_PATH);
	memcpy(dst, t->meta.p, n);
	return AL_OK;
}

/* Checks the end: the second zero block, then zeros to the end of the
 * decompressed stream, whose own end the decoder checks. */
static al_rc
finish(oci_tar *t, uint64_t off, al_err *err)
{
	uint8_t blk[TAR_BLOCK];
	uint64_t got;
	al_rc rc;

	if ((rc = take(t, blk, TAR_BLOCK, &got, err)) != AL_OK)
		return rc;
	if (got < TAR_BLOCK)
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "%s: one zero block at offset %llu and then the end: the end-of-archive marker "
				  "is two zero blocks (truncated?)",
				  t->label, (unsigned long long)off);
	if (!all_zero(blk, TAR_BLOCK))
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "%s: a zero block at offset %llu followed by a non-zero block: Go stops with an error, "
				  "other readers read on",
				  t->label, (unsigned long long)off);
	for (;;) {
		if (t->on == 0) {
			if ((rc = dec_more(t, err)) != AL_OK)
				return rc;
			if (t->on == 0)
				break;
		}
		for (size_t i = 0; i < t->on; i++)
			if (t->op[i] != 0)
				return al_err_set(err, AL_E_BUNDLE_UNSAFE,
						  "%s: trailing data after the archive (a non-zero byte at offset %llu, "
						  "after the end-of-archive marker)",
						  t->label, (unsigned long long)(t->pos + i));
		t->pos += t->on;
		t->op += t->on;
		t->on = 0;
	}
	t->done = true;
	return AL_OK;
}

static al_rc
skip_rest(oci_tar *t, al_err *err)
{
	uint64_t want = t->data_left + t->pad_left, got;
	al_rc rc;

	if (want == 0)
		return AL_OK;
	if ((rc = take(t, NULL, want, &got, err)) != AL_OK)
		return rc;
	if (got < want) {
		char s[121];

		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the archive ends inside the entry's data (truncated)",
				  show(t->ent.name, strlen(t->ent.name), s));
	}
	t->data_left = t->pad_left = 0;
	return AL_OK;
}

static al_rc
name_err(const char *name, al_rc code, const char *what, al_err *err)
{
	char s[121];

	return al_err_set(err, code, "%s: %s", show(name, strlen(name), s), what);
}

al_rc
oci_tar_next(oci_tar *t, const oci_tar_entry **out, al_err *err)
{
	uint8_t blk[TAR_BLOCK];
	tar_hdr h;
	tar_pax px = { 0 };
	bool have_pax = false, have_long = false, have_longlink = false;
	uint64_t first = 0;
	al_rc rc;

	*out = NULL;
	if (t->done)
		return AL_OK;
	if ((rc = skip_rest(t, err)) != AL_OK)
		return rc;
	t->name[0] = t->link[0] = '\0';
	for (;;) {
		uint64_t off = t->pos, got;
		bool meta = have_pax || have_long || have_longlink;

		if ((rc = take(t, blk, TAR_BLOCK, &got, err)) != AL_OK)
			return rc;
		if (!meta)
			first = off;
		if (got < TAR_BLOCK) {
			if (!t->started)
				return al_err_set(err, AL_E_BUNDLE_FORMAT,
						  "not a directory, nor a tar archive (plain, gzip, zstd or xz): %s",
						  got == 0 ? "no data" : "shorter than one tar block");
			if (got == 0 && !meta)
				return al_err_set(err, AL_E_BUNDLE_FORMAT,
						  "%s: the archive ends at offset %llu without its end-of-archive marker "
						  "(truncated?)",
						  t->label, (unsigned long long)off);
			return al_err_set(err, AL_E_BUNDLE_FORMAT,
					  "%s: the archive ends inside a header at offset %llu (truncated)", t->label,
					  (unsigned long long)off);
		}
		if (all_zero(blk, TAR_BLOCK)) {
			if (meta)
				return al_err_set(err, AL_E_BUNDLE_UNSAFE,
						  "%s: extended header at offset %llu not followed by an entry", t->label,
						  (unsigned long long)first);
			t->started = true;
			return finish(t, off, err);
		}
		if ((rc = parse_block(t, blk, off, &h, err)) != AL_OK)
			return rc;
		switch (h.type) {
		case 'x':
		case 'g': {
			tar_pax p;

			if (have_pax || (h.type == 'g' && meta))
				return al_err_set(err, AL_E_BUNDLE_UNSAFE,
						  "PAX header at offset %llu: %s (readers keep different ones)",
						  (unsigned long long)off,
						  h.type == 'g' ? "a global header between an extended header and its entry"
								: "a second extended header for one entry");
			if ((rc = read_meta(t, h.size, off, "PAX header", err)) != AL_OK)
				return rc;
			if ((rc = parse_pax(t, al_buf_bytes(&t->meta), h.type == 'g', off, &p, err)) != AL_OK)
				return rc;
			if (h.type == 'g')
				continue;
			px = p;
			have_pax = true;
			break;
		}
		case 'L':
		case 'K': {
			bool is_name = h.type == 'L';
			const char *what = is_name ? "GNU long name" : "GNU long link name";

			if (is_name ? have_long : have_longlink)
				return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s at offset %llu: a second one for one entry",
						  what, (unsigned long long)off);
			if ((rc = read_meta(t, h.size, off, what, err)) != AL_OK)
				return rc;
			if ((rc = gnu_long(t, is_name ? t->name : t->link, off, what, err)) != AL_OK)
				return rc;
			if (is_name)
				have_long = true;
			else
				have_longlink = true;
			break;
		}
		default:
			goto entry;
		}
		if ((px.seen & PAX_PATH) && have_long)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE,
					  "entry at offset %llu: both a PAX path and a GNU long name (readers pick different ones)",
					  (unsigned long long)first);
		if ((px.seen & PAX_LINKPATH) && have_longlink)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE,
					  "entry at offset %llu: both a PAX linkpath and a GNU long link name "
					  "(readers pick different ones)",
					  (unsigned long long)first);
	}
entry:
	/* Go: PAX path/linkpath/size replace the header's; GNU long names replace both */
	if (!have_long && !(px.seen & PAX_PATH))
		memcpy(t->name, h.name, h.name_n + 1);
	if (!have_longlink && !(px.seen & PAX_LINKPATH))
		memcpy(t->link, h.link, strlen(h.link) + 1);
	if (px.seen & PAX_SIZE)
		h.size = px.size;
	if (t->name[0] == '\0')
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "entry at offset %llu without a name", (unsigned long long)first);
	if (!oci_utf8_valid(t->name, strlen(t->name)))
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"the name is not valid UTF-8 (readers convert other charsets differently)", err);
	if (strchr(t->name, '\\') != NULL)
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"a backslash in the name (a path separator where Windows extracts)", err);
	memset(&t->ent, 0, sizeof(t->ent));
	t->ent.name = t->name;
	t->ent.offset = first;
	switch (h.type) {
	case '0':
		if (t->name[strlen(t->name) - 1] == '/')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE,
					"a regular file whose name ends in '/' (libarchive reads a directory)", err);
		if (t->link[0] != '\0')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "a regular file with a link name", err);
		t->ent.type = '0';
		t->ent.size = h.size;
		t->data_left = h.size;
		t->pad_left = (TAR_BLOCK - h.size % TAR_BLOCK) % TAR_BLOCK;
		break;
	case '5':
	case '2':
		if (h.size != 0)
			return name_err(t->name, AL_E_BUNDLE_UNSAFE,
					h.type == '5' ? "a directory with a non-zero size (Go reads no data for it, others may)"
						      : "a symbolic link with a non-zero size (Go reads no data for it, others may)",
					err);
		if (h.type == '5' && t->link[0] != '\0')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "a directory with a link name", err);
		if (h.type == '2' && !oci_utf8_valid(t->link, strlen(t->link)))
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "the link target is not valid UTF-8", err);
		t->ent.type = h.type;
		break;
	case '1':
	case '3':
	case '4':
	case '6':
		/* header-only types (as Go reads them); the store refuses them by name */
		t->ent.type = h.type;
		break;
	case 'S':
		return name_err(t->name, AL_E_BUNDLE_UNSAFE, "sparse file in the archive", err);
	case '7':
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"a contiguous file (type '7'; readers differ on it)", err);
	default: {
		char m[96];

		snprintf(m, sizeof(m), "unsupported entry type '%c' (0x%02x)",
			 h.type >= 0x20 && h.type < 0x7f ? h.type : '?', (unsigned)(uint8_t)h.type);
		return name_err(t->name, AL_E_BUNDLE_UNSAFE, m, err);
	}
	}
	t->ent.link = t->link;
	*out = &t->ent;
	return AL_OK;
}

al_rc
oci_tar_data(oci_tar *t, const uint8_t **p, size_t *n, al_err *err)
{
	al_rc rc;

	*p = NULL;
	*n = 0;
	if (t->data_left == 0)
		return skip_rest(t, err);
	if (t->on == 0) {
		if ((rc = dec_more(t, err)) != AL_OK)
			return rc;
		if (t->on == 0)
			return skip_rest(t, err); /* reports the truncation */
	}
	*n = t->data_left < t->on ? (size_t)t->data_left : t->on;
	*p = t->op;
	t->op += *n;
	t->on -= *n;
	t->pos += *n;
	t->data_left -= *n;
	return AL_OK;
}
