/*
 * oci_tar.c — a strict tar reader over its own decompression (oci_decomp.c:
 * zlib, libzstd, liblzma): Go archive/tar's reading of names and sizes on
 * the subset of headers every common reader reads the same way, and a
 * refusal for everything else (oci_tar.h says why this exists beside
 * libarchive).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_decomp.h"
#include "bundle/oci_tar.h"

#define TAR_BLOCK   512u

struct oci_tar {
	const char *label;
	oci_decomp *dec;            /* the decompressed stream */
	bool started, done;
	bool medium;                /* stop at the end-of-archive marker (oci_tar_set_medium) */
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

/* ================================================================ opening */

static al_rc
tar_new(oci_tar **out, const char *label, al_err *err)
{
	oci_tar *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	t->label = label;
	*out = t;
	return AL_OK;
}

al_rc
oci_tar_open_fd(oci_tar **out, int fd, const char *label, uint64_t max_bytes, al_err *err)
{
	oci_tar *t;
	al_rc rc;

	if ((rc = tar_new(&t, label, err)) != AL_OK)
		return rc;
	if ((rc = oci_decomp_open_fd(&t->dec, fd, label, max_bytes, err)) != AL_OK) {
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

	if ((rc = tar_new(&t, "archive", err)) != AL_OK)
		return rc;
	if ((rc = oci_decomp_open_mem(&t->dec, mem, "archive", max_bytes, err)) != AL_OK) {
		oci_tar_free(t);
		return rc;
	}
	*out = t;
	return AL_OK;
}

void
oci_tar_set_medium(oci_tar *t)
{
	t->medium = true;
}

void
oci_tar_free(oci_tar *t)
{
	if (t == NULL)
		return;
	oci_decomp_free(t->dec);
	al_buf_free(&t->meta);
	free(t);
}

const char *
oci_tar_compression(const oci_tar *t)
{
	return oci_decomp_name(t->dec);
}

bool
oci_tar_source_sha256(const oci_tar *t, uint8_t out[32])
{
	return oci_decomp_source_sha256(t->dec, out);
}

al_rc
oci_tar_source_to(oci_tar *t, al_rc (*fn)(void *ctx, const uint8_t *p, size_t n, al_err *err), void *ctx,
		  al_err *err)
{
	return oci_decomp_source_to(t->dec, fn, ctx, err);
}

bool
oci_tar_source_end(const oci_tar *t)
{
	return oci_decomp_source_end(t->dec);
}

bool
oci_tar_seek_on(oci_tar *t, uint64_t *base, uint64_t *end)
{
	return oci_decomp_seek_on(t->dec, base, end);
}

uint64_t
oci_tar_data_pos(const oci_tar *t)
{
	return oci_decomp_pos(t->dec);
}

uint64_t
oci_tar_bytes_out(const oci_tar *t)
{
	return oci_decomp_out(t->dec);
}

uint64_t
oci_tar_bytes_in(const oci_tar *t)
{
	return oci_decomp_in(t->dec);
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
	if ((rc = oci_decomp_take(t->dec, t->meta.p, size, &got, err)) != AL_OK)
		return rc;
	if (got == size && (rc = oci_decomp_take(t->dec, NULL, pad, &got, err)) == AL_OK && got == pad) {
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

	if ((rc = oci_decomp_take(t->dec, blk, TAR_BLOCK, &got, err)) != AL_OK)
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
	/* a medium's archive ends at its marker: the rest of the device is old
	 * data nobody reads (docs/appliance.md §2) */
	if (t->medium) {
		t->done = true;
		return AL_OK;
	}
	for (;;) {
		uint64_t at = oci_decomp_pos(t->dec);
		const uint8_t *p;
		size_t n;

		if ((rc = oci_decomp_next(t->dec, UINT64_MAX, &p, &n, err)) != AL_OK)
			return rc;
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			if (p[i] != 0)
				return al_err_set(err, AL_E_BUNDLE_UNSAFE,
						  "%s: trailing data after the archive (a non-zero byte at offset %llu, "
						  "after the end-of-archive marker)",
						  t->label, (unsigned long long)(at + i));
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
	if ((rc = oci_decomp_take(t->dec, NULL, want, &got, err)) != AL_OK)
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

/* What the extended headers before an entry said. */
typedef struct tar_ext {
	tar_pax px;
	bool have_pax, have_long, have_longlink;
	uint64_t first;             /* offset of the entry's first header */
} tar_ext;

/* One extended header (PAX 'x' or 'g', GNU 'L' or 'K') at off, read into x,
 * t->name or t->link; meta: one came before it for this entry. */
static al_rc
ext_header(oci_tar *t, const tar_hdr *h, uint64_t off, bool meta, tar_ext *x, al_err *err)
{
	al_rc rc;

	switch (h->type) {
	case 'x':
	case 'g': {
		tar_pax p;

		if (x->have_pax || (h->type == 'g' && meta))
			return al_err_set(err, AL_E_BUNDLE_UNSAFE,
					  "PAX header at offset %llu: %s (readers keep different ones)",
					  (unsigned long long)off,
					  h->type == 'g' ? "a global header between an extended header and its entry"
							 : "a second extended header for one entry");
		if ((rc = read_meta(t, h->size, off, "PAX header", err)) != AL_OK)
			return rc;
		if ((rc = parse_pax(t, al_buf_bytes(&t->meta), h->type == 'g', off, &p, err)) != AL_OK)
			return rc;
		if (h->type == 'g')
			return AL_OK;
		x->px = p;
		x->have_pax = true;
		break;
	}
	default: {
		bool is_name = h->type == 'L';
		const char *what = is_name ? "GNU long name" : "GNU long link name";

		if (is_name ? x->have_long : x->have_longlink)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s at offset %llu: a second one for one entry",
					  what, (unsigned long long)off);
		if ((rc = read_meta(t, h->size, off, what, err)) != AL_OK)
			return rc;
		if ((rc = gnu_long(t, is_name ? t->name : t->link, off, what, err)) != AL_OK)
			return rc;
		if (is_name)
			x->have_long = true;
		else
			x->have_longlink = true;
		break;
	}
	}
	if ((x->px.seen & PAX_PATH) && x->have_long)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "entry at offset %llu: both a PAX path and a GNU long name (readers pick different ones)",
				  (unsigned long long)x->first);
	if ((x->px.seen & PAX_LINKPATH) && x->have_longlink)
		return al_err_set(err, AL_E_BUNDLE_UNSAFE,
				  "entry at offset %llu: both a PAX linkpath and a GNU long link name "
				  "(readers pick different ones)",
				  (unsigned long long)x->first);
	return AL_OK;
}

/* The headers of the next entry: its extended headers into x (and t->name,
 * t->link), its own header into h. At the end-of-archive marker the end is
 * checked and t->done set instead. */
static al_rc
read_headers(oci_tar *t, tar_hdr *h, tar_ext *x, al_err *err)
{
	uint8_t blk[TAR_BLOCK];
	al_rc rc;

	memset(x, 0, sizeof(*x));
	for (;;) {
		uint64_t off = oci_decomp_pos(t->dec), got;
		bool meta = x->have_pax || x->have_long || x->have_longlink;

		if ((rc = oci_decomp_take(t->dec, blk, TAR_BLOCK, &got, err)) != AL_OK)
			return rc;
		if (!meta)
			x->first = off;
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
						  (unsigned long long)x->first);
			t->started = true;
			return finish(t, off, err);
		}
		if ((rc = parse_block(t, blk, off, h, err)) != AL_OK)
			return rc;
		if (h->type != 'x' && h->type != 'g' && h->type != 'L' && h->type != 'K')
			return AL_OK;
		if ((rc = ext_header(t, h, off, meta, x, err)) != AL_OK)
			return rc;
	}
}

/* The entry h and x describe, as Go reads it, into t->ent. */
static al_rc
make_entry(oci_tar *t, tar_hdr *h, const tar_ext *x, al_err *err)
{
	/* Go: PAX path/linkpath/size replace the header's; GNU long names replace both */
	if (!x->have_long && !(x->px.seen & PAX_PATH))
		memcpy(t->name, h->name, h->name_n + 1);
	if (!x->have_longlink && !(x->px.seen & PAX_LINKPATH))
		memcpy(t->link, h->link, strlen(h->link) + 1);
	if (x->px.seen & PAX_SIZE)
		h->size = x->px.size;
	if (t->name[0] == '\0')
		return al_err_set(err, AL_E_BUNDLE_UNSAFE, "entry at offset %llu without a name",
				  (unsigned long long)x->first);
	if (!oci_utf8_valid(t->name, strlen(t->name)))
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"the name is not valid UTF-8 (readers convert other charsets differently)", err);
	if (strchr(t->name, '\\') != NULL)
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"a backslash in the name (a path separator where Windows extracts)", err);
	memset(&t->ent, 0, sizeof(t->ent));
	t->ent.name = t->name;
	t->ent.offset = x->first;
	switch (h->type) {
	case '0':
		if (t->name[strlen(t->name) - 1] == '/')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE,
					"a regular file whose name ends in '/' (libarchive reads a directory)", err);
		if (t->link[0] != '\0')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "a regular file with a link name", err);
		t->ent.type = '0';
		t->ent.size = h->size;
		t->data_left = h->size;
		t->pad_left = (TAR_BLOCK - h->size % TAR_BLOCK) % TAR_BLOCK;
		break;
	case '5':
	case '2':
		if (h->size != 0)
			return name_err(t->name, AL_E_BUNDLE_UNSAFE,
					h->type == '5' ? "a directory with a non-zero size (Go reads no data for it, others may)"
						       : "a symbolic link with a non-zero size (Go reads no data for it, others may)",
					err);
		if (h->type == '5' && t->link[0] != '\0')
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "a directory with a link name", err);
		if (h->type == '2' && !oci_utf8_valid(t->link, strlen(t->link)))
			return name_err(t->name, AL_E_BUNDLE_UNSAFE, "the link target is not valid UTF-8", err);
		t->ent.type = h->type;
		break;
	case '1':
	case '3':
	case '4':
	case '6':
		/* header-only types (as Go reads them); the store refuses them by name */
		t->ent.type = h->type;
		break;
	case 'S':
		return name_err(t->name, AL_E_BUNDLE_UNSAFE, "sparse file in the archive", err);
	case '7':
		return name_err(t->name, AL_E_BUNDLE_UNSAFE,
				"a contiguous file (type '7'; readers differ on it)", err);
	default: {
		char m[96];

		snprintf(m, sizeof(m), "unsupported entry type '%c' (0x%02x)",
			 h->type >= 0x20 && h->type < 0x7f ? h->type : '?', (unsigned)(uint8_t)h->type);
		return name_err(t->name, AL_E_BUNDLE_UNSAFE, m, err);
	}
	}
	t->ent.link = t->link;
	return AL_OK;
}

al_rc
oci_tar_next(oci_tar *t, const oci_tar_entry **out, al_err *err)
{
	tar_hdr h;
	tar_ext x;
	al_rc rc;

	*out = NULL;
	if (t->done)
		return AL_OK;
	if ((rc = skip_rest(t, err)) != AL_OK)
		return rc;
	t->name[0] = t->link[0] = '\0';
	if ((rc = read_headers(t, &h, &x, err)) != AL_OK || t->done)
		return rc;
	if ((rc = make_entry(t, &h, &x, err)) != AL_OK)
		return rc;
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
	if ((rc = oci_decomp_next(t->dec, t->data_left, p, n, err)) != AL_OK)
		return rc;
	if (*n == 0)
		return skip_rest(t, err); /* reports the truncation */
	t->data_left -= *n;
	return AL_OK;
}
