/*
 * medium.c — delivery and evidence media (docs/appliance.md §2, §5): the
 * raw archive an operator writes to a USB stick with dd, read back without
 * any filesystem, and the archive the appliance writes as its evidence.
 *
 * A delivery medium is an archive whose first member is the label
 * AIRLOCK-MEDIUM, then the TUF repository it carries (tuf/...), then the
 * bundles (bundles/<name>, each one archive file). The tar form is read
 * by the same strict tar reader as every bundle archive (oci_tar.c), in
 * medium mode: the stream ends at its end-of-archive marker, because a
 * stick is larger than what dd wrote and the rest is old data. The ISO
 * 9660 form is read by libarchive, with only that format registered.
 *
 * Why a closed list of members: whatever is on the medium and is not a
 * bundle the appliance verifies or the TUF update it applies would be
 * content that a consumer of the stick might load and nobody judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle/bundle.h"
#include "bundle/oci_tar.h"

static const char medium_label[] = "airlock-medium 1\n";
static const char evidence_label[] = "airlock-evidence 1\n";

struct al_medium {
	const char *label;
	oci_tar *tar;               /* the tar form */
	struct archive *iso;        /* the ISO 9660 form */
	bool iso_eof, seen_bundle, ended;
	uint64_t iso_left, iso_off;
	const uint8_t *iso_p;       /* data of the current ISO block not yet handed out */
	size_t iso_n;
	size_t nbundles, ntuf;
	uint64_t tuf_bytes;
	al_medium_entry ent;
	char name[AL_MAX_MEDIUM_NAME + 16];
	char names[AL_MAX_MEDIUM_BUNDLES + AL_MAX_MEDIUM_TUF_FILES][AL_MAX_MEDIUM_NAME + 16];
	size_t nnames;
};

/* Untrusted text for a message: at most 120 bytes, non-printables as '?'. */
static const char *
show(const char *s, char out[121])
{
	size_t k = strlen(s);

	if (k > 120)
		k = 120;
	for (size_t i = 0; i < k; i++)
		out[i] = (uint8_t)s[i] >= 0x20 && (uint8_t)s[i] < 0x7f ? s[i] : '?';
	out[k] = '\0';
	return out;
}

/* One path component of a medium name: what every filesystem and shell
 * takes as it is, so the name printed is the name a consumer sees. */
static bool
component_ok(const char *s, size_t n)
{
	if (n == 0 || n > AL_MAX_MEDIUM_NAME || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-' || c == '+'))
			return false;
	}
	return true;
}

bool
al_medium_name_ok(const char *name)
{
	return component_ok(name, strlen(name));
}

/* ================================================================ reading */

static al_rc
iso_err(al_medium *m, const char *what, al_err *err)
{
	const char *s = archive_error_string(m->iso);
	char shown[121];

	return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: ISO 9660: %s: %s", m->label, what,
			  show(s ? s : "unreadable", shown));
}

/* The next raw member: name, type ('0' file, '5' directory, other: refused)
 * and size; *name == NULL at the end. */
static al_rc
raw_next(al_medium *m, const char **name, char *type, uint64_t *size, al_err *err)
{
	*name = NULL;
	if (m->tar != NULL) {
		const oci_tar_entry *e;
		al_rc rc = oci_tar_next(m->tar, &e, err);

		if (rc != AL_OK || e == NULL)
			return rc;
		*name = e->name;
		*type = e->type;
		*size = e->size;
		return AL_OK;
	}
	if (m->iso_eof)
		return AL_OK;
	for (;;) {
		struct archive_entry *ae;
		int r = archive_read_next_header(m->iso, &ae);
		const char *p;
		mode_t t;

		if (r == ARCHIVE_EOF) {
			m->iso_eof = true;
			return AL_OK;
		}
		if (r != ARCHIVE_OK)
			return iso_err(m, "cannot read the next entry", err);
		p = archive_entry_pathname(ae);
		if (p == NULL)
			return iso_err(m, "an entry without a name", err);
		/* libarchive names the root "." in some images */
		if (strcmp(p, ".") == 0 || strcmp(p, "./") == 0)
			continue;
		if (strncmp(p, "./", 2) == 0)
			p += 2;
		if (strlen(p) >= sizeof(m->name))
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: an entry name longer than %d bytes", m->label,
					  AL_MAX_MEDIUM_NAME);
		memcpy(m->name, p, strlen(p) + 1);
		t = archive_entry_filetype(ae);
		*type = t == AE_IFREG ? '0' : t == AE_IFDIR ? '5' : t == AE_IFLNK ? '2' : '?';
		*size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
		if (*type == '0' && archive_entry_nlink(ae) > 1)
			*type = '1';
		m->iso_left = *size;
		m->iso_off = 0;
		m->iso_n = 0;
		*name = m->name;
		return AL_OK;
	}
}

static al_rc
raw_data(al_medium *m, const uint8_t **p, size_t *n, al_err *err)
{
	*p = NULL;
	*n = 0;
	if (m->tar != NULL)
		return oci_tar_data(m->tar, p, n, err);
	if (m->iso_n == 0 && m->iso_left > 0) {
		const void *b;
		size_t bn;
		la_int64_t off;
		int r = archive_read_data_block(m->iso, &b, &bn, &off);

		if (r == ARCHIVE_EOF)
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: %s: ends %llu bytes early", m->label, m->ent.name,
					  (unsigned long long)m->iso_left);
		if (r != ARCHIVE_OK)
			return iso_err(m, "cannot read a file's data", err);
		/* ISO 9660 files are contiguous: a hole would be data nobody wrote */
		if (off < 0 || (uint64_t)off != m->iso_off || bn > m->iso_left)
			return al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s: %s: data out of order or longer than its size",
					  m->label, m->ent.name);
		m->iso_p = b;
		m->iso_n = bn;
	}
	*p = m->iso_p;
	*n = m->iso_n;
	m->iso_off += m->iso_n;
	m->iso_left -= m->iso_n;
	m->iso_n = 0;
	return AL_OK;
}

/* Reads a whole small member into buf (NUL-terminated); refuses more than cap. */
static al_rc
raw_small(al_medium *m, uint64_t size, char *buf, size_t cap, al_err *err)
{
	size_t got = 0;

	if (size >= cap)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the label is %llu bytes, more than %zu", m->label,
				  (unsigned long long)size, cap - 1);
	for (;;) {
		const uint8_t *p;
		size_t n;
		al_rc rc = raw_data(m, &p, &n, err);

		if (rc != AL_OK)
			return rc;
		if (n == 0)
			break;
		if (n > cap - 1 - got)
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the label is longer than its size", m->label);
		memcpy(buf + got, p, n);
		got += n;
	}
	buf[got] = '\0';
	return AL_OK;
}

/* Whether the first sectors look like ISO 9660: "CD001" in the primary
 * volume descriptor at 32 KiB (ECMA-119 §8.1). */
static bool
looks_iso(int fd)
{
	uint8_t b[6];

	return pread(fd, b, sizeof(b), 32768) == (ssize_t)sizeof(b) && memcmp(b + 1, "CD001", 5) == 0;
}

/* A tuf/ path: components as component_ok, at most three deep. */
static bool
tuf_path_ok(const char *p)
{
	unsigned depth = 0;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (!component_ok(p, n) || ++depth > 3)
			return false;
		if (!slash)
			break;
		p = slash + 1;
		if (*p == '\0')
			return false;
	}
	return depth > 0;
}

static al_rc
open_label(al_medium *m, const char *want_name, const char *want, al_err *err)
{
	char buf[AL_MAX_MEDIUM_LABEL + 1], shown[121];
	const char *name;
	uint64_t size;
	char type;
	al_rc rc;

	/* libarchive lists an ISO 9660 image's folders before its files */
	do {
		if ((rc = raw_next(m, &name, &type, &size, err)) != AL_OK)
			return rc;
	} while (m->iso != NULL && name != NULL && type == '5' &&
		 (strcmp(name, "bundles") == 0 || strcmp(name, "tuf") == 0 ||
		  (strncmp(name, "tuf/", 4) == 0 && tuf_path_ok(name + 4))));
	if (name == NULL)
		return al_err_set(err, AL_E_VERIFY_NOTHING, "%s: an empty archive, no %s label", m->label, want_name);
	if (strcmp(name, want_name) != 0 || type != '0')
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "%s: not an airlock %s: its first member is '%s', not the label %s (write the medium "
				  "with 'airlock media create')",
				  m->label, strcmp(want_name, "AIRLOCK-MEDIUM") == 0 ? "medium" : "evidence medium",
				  show(name, shown), want_name);
	if ((rc = raw_small(m, size, buf, sizeof(buf), err)) != AL_OK)
		return rc;
	if (strcmp(buf, want) != 0)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s: the label %s says '%s', expected '%.*s' (a newer format?)",
				  m->label, want_name, show(buf, shown), (int)strlen(want) - 1, want);
	return AL_OK;
}

static al_rc
medium_open(int fd, const char *label, const char *want_name, const char *want, al_medium **out, al_err *err)
{
	al_medium *m = calloc(1, sizeof(*m));
	al_rc rc;

	*out = NULL;
	if (m == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	m->label = label;
	if (looks_iso(fd)) {
		m->iso = archive_read_new();
		if (m->iso == NULL || archive_read_support_format_iso9660(m->iso) != ARCHIVE_OK) {
			al_medium_free(m);
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		}
		if (lseek(fd, 0, SEEK_SET) != 0 || archive_read_open_fd(m->iso, fd, 64 << 10) != ARCHIVE_OK) {
			rc = iso_err(m, "cannot open", err);
			al_medium_free(m);
			return rc;
		}
	} else {
		if ((rc = oci_tar_open_fd(&m->tar, fd, label, 0, err)) != AL_OK) {
			al_medium_free(m);
			return rc;
		}
		oci_tar_set_medium(m->tar);
	}
	if ((rc = open_label(m, want_name, want, err)) != AL_OK) {
		al_medium_free(m);
		return rc;
	}
	*out = m;
	return AL_OK;
}

al_rc
al_medium_open(int fd, const char *label, al_medium **out, al_err *err)
{
	return medium_open(fd, label, "AIRLOCK-MEDIUM", medium_label, out, err);
}

al_rc
al_medium_probe_evidence(int fd, const char *label, al_err *err)
{
	al_medium *m;
	al_rc rc = medium_open(fd, label, "AIRLOCK-EVIDENCE", evidence_label, &m, err);

	al_medium_free(m);
	return rc;
}

const char *
al_medium_format(const al_medium *m)
{
	if (m->iso != NULL)
		return "iso9660";
	return strcmp(oci_tar_compression(m->tar), "none") == 0 ? "tar" : oci_tar_compression(m->tar);
}

static al_rc
unexpected(al_medium *m, const char *name, const char *why, al_err *err)
{
	char shown[121];

	return al_err_set(err, AL_E_BUNDLE_UNSAFE,
			  "%s: '%s': %s (a medium holds AIRLOCK-MEDIUM, then tuf/..., then bundles/<name>, "
			  "and nothing else)",
			  m->label, show(name, shown), why);
}

al_rc
al_medium_next(al_medium *m, const al_medium_entry **out, al_err *err)
{
	*out = NULL;
	for (;;) {
		const char *name;
		char type;
		uint64_t size;
		size_t n;
		al_rc rc;

		if (m->ended)
			return AL_OK;
		if ((rc = raw_next(m, &name, &type, &size, err)) != AL_OK)
			return rc;
		if (name == NULL) {
			m->ended = true;
			return AL_OK;
		}
		n = strlen(name);
		if (type == '5') {
			/* the folders themselves carry nothing */
			if (strcmp(name, "bundles/") == 0 || strcmp(name, "bundles") == 0 || strcmp(name, "tuf/") == 0 ||
			    strcmp(name, "tuf") == 0)
				continue;
			if (strncmp(name, "tuf/", 4) == 0) {
				char d[AL_MAX_MEDIUM_NAME + 16];

				if (n >= sizeof(d))
					return unexpected(m, name, "a name too long", err);
				memcpy(d, name, n + 1);
				if (n > 4 && d[n - 1] == '/')
					d[n - 1] = '\0';
				if (tuf_path_ok(d + 4))
					continue;
			}
			return unexpected(m, name, "an unexpected folder", err);
		}
		if (type != '0')
			return unexpected(m, name, "not a regular file (links, devices and FIFOs are refused)", err);
		if (n >= sizeof(m->ent.name))
			return unexpected(m, name, "a name too long", err);
		for (size_t i = 0; i < m->nnames; i++)
			if (strcmp(m->names[i], name) == 0)
				return unexpected(m, name, "listed twice", err);
		if (strncmp(name, "bundles/", 8) == 0 && component_ok(name + 8, n - 8)) {
			if (m->nbundles >= AL_MAX_MEDIUM_BUNDLES)
				return al_err_set(err, AL_E_LIMIT, "%s: more than %d bundles", m->label,
						  AL_MAX_MEDIUM_BUNDLES);
			m->nbundles++;
			m->seen_bundle = true;
			m->ent.kind = AL_MEDIUM_BUNDLE;
		} else if (strncmp(name, "tuf/", 4) == 0 && tuf_path_ok(name + 4)) {
			if (m->seen_bundle)
				return unexpected(m, name,
						  "a TUF file after a bundle (the update must come first, so that it "
						  "applies before anything is verified)",
						  err);
			if (m->ntuf >= AL_MAX_MEDIUM_TUF_FILES)
				return al_err_set(err, AL_E_LIMIT, "%s: more than %d files under tuf/", m->label,
						  AL_MAX_MEDIUM_TUF_FILES);
			if (size > AL_MAX_MEDIUM_TUF_BYTES - m->tuf_bytes)
				return al_err_set(err, AL_E_LIMIT, "%s: the files under tuf/ are more than %llu bytes",
						  m->label, (unsigned long long)AL_MAX_MEDIUM_TUF_BYTES);
			m->ntuf++;
			m->tuf_bytes += size;
			m->ent.kind = AL_MEDIUM_TUF;
		} else if (strcmp(name, "AIRLOCK-MEDIUM") == 0) {
			return unexpected(m, name, "a second label", err);
		} else {
			return unexpected(m, name,
					  strncmp(name, "bundles/", 8) == 0
						  ? "a bundle name must be one plain file name (letters, digits, . _ - +)"
						  : "not a bundle or TUF file",
					  err);
		}
		memcpy(m->names[m->nnames++], name, n + 1);
		memcpy(m->ent.name, name, n + 1);
		m->ent.size = size;
		*out = &m->ent;
		return AL_OK;
	}
}

al_rc
al_medium_data(al_medium *m, const uint8_t **p, size_t *n, al_err *err)
{
	return raw_data(m, p, n, err);
}

void
al_medium_free(al_medium *m)
{
	if (m == NULL)
		return;
	oci_tar_free(m->tar);
	if (m->iso != NULL)
		archive_read_free(m->iso);
	free(m);
}

/* ================================================================ writing
 *
 * The tar forms are written here, as plain ustar (names split into prefix
 * and name, sizes past 8 GiB in base-256): the subset the strict reader
 * takes and every tar reads the same way. libarchive writes only the ISO
 * 9660 form (its tar writers would pull every format it has into the
 * static binary).
 */

#define W_BLOCK 512u

struct al_medium_writer {
	struct archive *a;          /* ISO 9660 only */
	int fd;
	int64_t mtime;
	const char *label;
	uint64_t written, limit;
	uint64_t pad;               /* bytes to pad the current tar member with */
};

static al_rc
wr_err(al_medium_writer *w, const char *what, al_err *err)
{
	const char *s = w->a ? archive_error_string(w->a) : NULL;
	char shown[121];

	return al_err_set(err, AL_E_IO, "%s: %s: %s", w->label, what, show(s ? s : "write error", shown));
}

static al_rc
put(al_medium_writer *w, const void *p, size_t n, al_err *err)
{
	const uint8_t *b = p;

	if (w->a != NULL)
		return archive_write_data(w->a, p, n) == (la_ssize_t)n ? AL_OK : wr_err(w, "write", err);
	while (n > 0) {
		ssize_t k = write(w->fd, b, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return al_err_set(err, AL_E_IO, "%s: write error: %s", w->label, k < 0 ? strerror(errno) : "no space");
		b += k;
		n -= (size_t)k;
	}
	return AL_OK;
}

static void
octal(char *f, size_t width, uint64_t v)
{
	/* width-1 digits and a NUL, as GNU tar and Go write them */
	for (size_t i = width - 1; i-- > 0; v >>= 3)
		f[i] = (char)('0' + (v & 7));
	f[width - 1] = '\0';
}

static al_rc
tar_header(al_medium_writer *w, const char *name, uint64_t size, bool dir, al_err *err)
{
	uint8_t h[W_BLOCK];
	size_t n = strlen(name), cut = 0;
	unsigned sum = 0;

	memset(h, 0, sizeof(h));
	if (n > 100) {
		/* prefix "/" name: the last '/' that leaves at most 100 bytes after it */
		for (size_t i = n - 1; i > 0; i--)
			if (name[i] == '/' && n - i - 1 <= 100 && n - i - 1 > 0 && i <= 155) {
				cut = i;
				break;
			}
		if (cut == 0)
			return al_err_set(err, AL_E_LIMIT, "%s: '%s' is too long for a ustar name", w->label, name);
		memcpy(h + 345, name, cut);
		memcpy(h, name + cut + 1, n - cut - 1);
	} else {
		memcpy(h, name, n);
	}
	octal((char *)h + 100, 8, dir ? 0755 : 0644);
	octal((char *)h + 108, 8, 0);
	octal((char *)h + 116, 8, 0);
	if (size < (1ull << 33)) {
		octal((char *)h + 124, 12, size);
	} else {
		h[124] = 0x80;
		for (int i = 11; i >= 4; i--, size >>= 8)
			h[124 + i] = (uint8_t)(size & 0xff);
	}
	octal((char *)h + 136, 12, w->mtime > 0 ? (uint64_t)w->mtime : 0);
	memset(h + 148, ' ', 8);
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (size_t i = 0; i < sizeof(h); i++)
		sum += h[i];
	octal((char *)h + 148, 7, sum);
	h[155] = ' ';
	return put(w, h, sizeof(h), err);
}

static al_rc
end_member(al_medium_writer *w, al_err *err)
{
	static const uint8_t zero[W_BLOCK];
	uint64_t pad = w->pad;

	w->pad = 0;
	return pad ? put(w, zero, (size_t)pad, err) : AL_OK;
}

static al_rc
wr_header(al_medium_writer *w, const char *name, uint64_t size, bool dir, al_err *err)
{
	struct archive_entry *e;
	al_rc rc;
	int r;

	if ((rc = end_member(w, err)) != AL_OK)
		return rc;
	if (w->limit && (size > w->limit || w->written > w->limit - size))
		return al_err_set(err, AL_E_LIMIT, "%s: %s would pass the limit of %llu bytes", w->label, name,
				  (unsigned long long)w->limit);
	w->written += size + W_BLOCK;
	if (w->a == NULL) {
		w->pad = (W_BLOCK - size % W_BLOCK) % W_BLOCK;
		return tar_header(w, name, size, dir, err);
	}
	if ((e = archive_entry_new()) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	/* fixed owners, modes and times: the same inputs make the same medium */
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : (la_int64_t)size);
	archive_entry_set_mtime(e, w->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	r = archive_write_header(w->a, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? AL_OK : wr_err(w, name, err);
}

al_rc
al_medium_write_open(int fd, const char *label, unsigned kind, int64_t mtime, al_medium_writer **out, al_err *err)
{
	al_medium_writer *w = calloc(1, sizeof(*w));
	bool ev = kind == AL_MEDIUM_W_EVIDENCE;
	al_rc rc;

	*out = NULL;
	if (w == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	w->fd = fd;
	w->label = label;
	w->mtime = mtime;
	w->limit = ev ? AL_MAX_EVIDENCE_BYTES : 0;
	if (kind == AL_MEDIUM_W_ISO) {
		if ((w->a = archive_write_new()) == NULL) {
			free(w);
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		}
		if (archive_write_set_format_iso9660(w->a) != ARCHIVE_OK ||
		    archive_write_set_format_option(w->a, "iso9660", "volume-id", "AIRLOCK_MEDIUM") != ARCHIVE_OK ||
		    archive_write_add_filter_none(w->a) != ARCHIVE_OK || archive_write_open_fd(w->a, fd) != ARCHIVE_OK) {
			rc = wr_err(w, "cannot start the ISO 9660 image", err);
			archive_write_free(w->a);
			free(w);
			return rc;
		}
	}
	*out = w;
	if (kind == AL_MEDIUM_W_PLAIN)
		return AL_OK;
	if ((rc = al_medium_write_mem(w, ev ? "AIRLOCK-EVIDENCE" : "AIRLOCK-MEDIUM",
				      al_bytes_str(ev ? evidence_label : medium_label), err)) != AL_OK) {
		al_medium_write_abort(w);
		*out = NULL;
		return rc;
	}
	return AL_OK;
}

al_rc
al_medium_write_dir(al_medium_writer *w, const char *name, al_err *err)
{
	return wr_header(w, name, 0, true, err);
}

al_rc
al_medium_write_mem(al_medium_writer *w, const char *name, al_bytes data, al_err *err)
{
	al_rc rc = wr_header(w, name, data.n, false, err);

	if (rc != AL_OK)
		return rc;
	return data.n > 0 ? put(w, data.p, data.n, err) : AL_OK;
}

al_rc
al_medium_write_fd(al_medium_writer *w, const char *name, int fd, uint64_t size, al_err *err)
{
	uint8_t *buf = malloc(1u << 16);
	uint64_t left = size;
	al_rc rc = buf ? wr_header(w, name, size, false, err) : al_err_set(err, AL_E_NOMEM, "out of memory");

	while (rc == AL_OK && left > 0) {
		ssize_t n = read(fd, buf, left < (1u << 16) ? (size_t)left : (1u << 16));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = al_err_set(err, AL_E_IO, "%s: read error: %s", name, strerror(errno));
		else if (n == 0)
			rc = al_err_set(err, AL_E_IO, "%s: shrank while it was copied (%llu bytes short)", name,
					(unsigned long long)left);
		else if ((rc = put(w, buf, (size_t)n, err)) == AL_OK)
			left -= (uint64_t)n;
	}
	free(buf);
	return rc;
}

al_rc
al_medium_write_close(al_medium_writer *w, al_err *err)
{
	static const uint8_t zero[2 * W_BLOCK];
	al_rc rc = AL_OK;

	if (w->a != NULL) {
		if (archive_write_close(w->a) != ARCHIVE_OK)
			rc = wr_err(w, "cannot finish the ISO 9660 image", err);
		archive_write_free(w->a);
	} else if ((rc = end_member(w, err)) == AL_OK) {
		rc = put(w, zero, sizeof(zero), err);
	}
	free(w);
	return rc;
}

void
al_medium_write_abort(al_medium_writer *w)
{
	if (w == NULL)
		return;
	if (w->a != NULL) {
		archive_write_fail(w->a);
		archive_write_free(w->a);
	}
	free(w);
}
