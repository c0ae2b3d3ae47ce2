/*
 * oci_tar_diff.c — the differential test of oci_tar against libarchive, an
 * independent tar reader with its own decompression. Wherever oci_tar
 * accepts an archive, libarchive must see the same entries with the same
 * names, types, sizes, link targets and content; a difference means a rule
 * of oci_tar's accepted subset is missing. Used by the unit tests and the
 * fuzz harness, never by the verifier itself (which reads once, with oci_tar).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle/oci_tar.h"
#include "crypto/crypto.h"

typedef struct diff_entry {
	char *name;
	char type;
	char *link;
	uint64_t size;
	uint8_t hash[AL_HASH_MAX];
} diff_entry;

typedef struct diff_list {
	diff_entry *e;
	size_t n, cap;
} diff_list;

static void
list_free(diff_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].name);
		free(l->e[i].link);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static diff_entry *
list_add(diff_list *l, const char *name, char type, const char *link)
{
	diff_entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		diff_entry *ne = realloc(l->e, cap * sizeof(*ne));

		if (ne == NULL)
			return NULL;
		l->e = ne;
		l->cap = cap;
	}
	e = &l->e[l->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name ? name : "");
	e->link = strdup(link ? link : "");
	e->type = type;
	if (e->name == NULL || e->link == NULL) {
		free(e->name);
		free(e->link);
		return NULL;
	}
	l->n++;
	return e;
}

/* Our reading; *accepted false when oci_tar refuses. Stops after the first
 * header-only entry the store refuses by type (hard link, device, FIFO). */
static al_rc
read_ours(al_bytes mem, diff_list *l, bool *accepted, al_err *err)
{
	oci_tar *t;
	al_err mine;
	al_rc rc;

	*accepted = false;
	if (oci_tar_open_mem(&t, mem, 0, &mine) != AL_OK)
		return AL_OK;
	for (;;) {
		const oci_tar_entry *te;
		diff_entry *e;
		al_hash_ctx hc;

		if (oci_tar_next(t, &te, &mine) != AL_OK)
			goto refused;
		if (te == NULL)
			break;
		e = list_add(l, te->name, te->type, te->type == '2' || te->type == '1' ? te->link : "");
		if (e == NULL) {
			rc = al_err_set(err, AL_E_NOMEM, "out of memory");
			oci_tar_free(t);
			return rc;
		}
		if (te->type == '1' || te->type == '3' || te->type == '4' || te->type == '6')
			break;
		al_hash_init(&hc, AL_HASH_SHA256);
		for (;;) {
			const uint8_t *p;
			size_t n;

			if (oci_tar_data(t, &p, &n, &mine) != AL_OK) {
				al_hash_final(&hc, e->hash);
				goto refused;
			}
			if (n == 0)
				break;
			al_hash_update(&hc, p, n);
			e->size += n;
		}
		al_hash_final(&hc, e->hash);
	}
	*accepted = true;
refused:
	oci_tar_free(t);
	return AL_OK;
}

static char
la_type(struct archive_entry *ae)
{
	if (archive_entry_hardlink(ae) != NULL)
		return '1';
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG: return '0';
	case AE_IFDIR: return '5';
	case AE_IFLNK: return '2';
	case AE_IFCHR: return '3';
	case AE_IFBLK: return '4';
	case AE_IFIFO: return '6';
	default: return '?';
	}
}

static al_rc
differ(al_err *err, size_t i, const char *what, const char *ours, const char *theirs)
{
	return al_err_set(err, AL_E_INTERNAL, "entry %zu: %s differs: oci_tar \"%.200s\", libarchive \"%.200s\"", i,
			  what, ours, theirs);
}

al_rc
oci_tar_differential(al_bytes mem, bool *accepted, al_err *err)
{
	diff_list ours = { 0 };
	struct archive *a = NULL;
	struct archive_entry *ae;
	al_rc rc;
	size_t i;

	if ((rc = read_ours(mem, &ours, accepted, err)) != AL_OK || !*accepted) {
		list_free(&ours);
		return rc;
	}
	a = archive_read_new();
	if (a == NULL || archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK || archive_read_support_filter_zstd(a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(a) != ARCHIVE_OK) {
		rc = al_err_set(err, AL_E_INTERNAL, "libarchive: cannot set up the reader");
		goto out;
	}
	if (archive_read_open_memory(a, mem.p, mem.n) != ARCHIVE_OK) {
		rc = al_err_set(err, AL_E_INTERNAL, "libarchive refuses what oci_tar accepts: %s",
				archive_error_string(a) ? archive_error_string(a) : "?");
		goto out;
	}
	for (i = 0;; i++) {
		int r = archive_read_next_header(a, &ae);
		const diff_entry *e = i < ours.n ? &ours.e[i] : NULL;
		const char *name, *link;
		char t, ts[2] = { 0 }, os[2] = { 0 };
		al_hash_ctx hc;
		uint8_t h[AL_HASH_MAX];
		uint64_t size = 0;

		if (r == ARCHIVE_EOF) {
			if (e != NULL)
				rc = differ(err, i, "the entry list", e->name, "(end of archive)");
			goto out;
		}
		if (r < ARCHIVE_WARN) {
			rc = al_err_set(err, AL_E_INTERNAL, "entry %zu (%.200s): libarchive refuses what oci_tar accepts: %s",
					i, e ? e->name : "after the end", archive_error_string(a) ? archive_error_string(a) : "?");
			goto out;
		}
		name = archive_entry_pathname_utf8(ae);
		if (name == NULL)
			name = archive_entry_pathname(ae);
		if (e == NULL) {
			rc = differ(err, i, "the entry list", "(end of archive)", name ? name : "(no name)");
			goto out;
		}
		if (name == NULL || strcmp(name, e->name) != 0) {
			rc = differ(err, i, "the name", e->name, name ? name : "(no name)");
			goto out;
		}
		t = la_type(ae);
		if (t != e->type) {
			ts[0] = t;
			os[0] = e->type;
			rc = differ(err, i, "the type", os, ts);
			goto out;
		}
		if (t == '1' || t == '3' || t == '4' || t == '6') {
			rc = AL_OK; /* the store refuses these: ours stopped here too */
			goto out;
		}
		if (t == '2' || t == '1') {
			link = t == '2' ? archive_entry_symlink_utf8(ae) : archive_entry_hardlink_utf8(ae);
			if (link == NULL || strcmp(link, e->link) != 0) {
				rc = differ(err, i, "the link target", e->link, link ? link : "(none)");
				goto out;
			}
		}
		al_hash_init(&hc, AL_HASH_SHA256);
		for (;;) {
			const void *buf;
			size_t n;
			la_int64_t off;
			int dr = archive_read_data_block(a, &buf, &n, &off);

			if (dr == ARCHIVE_EOF)
				break;
			if (dr < ARCHIVE_WARN) {
				al_hash_final(&hc, h);
				rc = al_err_set(err, AL_E_INTERNAL, "%.200s: libarchive cannot read data oci_tar read: %s",
						e->name, archive_error_string(a) ? archive_error_string(a) : "?");
				goto out;
			}
			if (off < 0 || (uint64_t)off != size) {
				al_hash_final(&hc, h);
				rc = al_err_set(err, AL_E_INTERNAL, "%.200s: libarchive reads holes (sparse)", e->name);
				goto out;
			}
			al_hash_update(&hc, buf, n);
			size += n;
		}
		al_hash_final(&hc, h);
		if (size != e->size || memcmp(h, e->hash, 32) != 0) {
			char a1[32], a2[32];

			snprintf(a1, sizeof(a1), "%llu bytes", (unsigned long long)e->size);
			snprintf(a2, sizeof(a2), "%llu bytes", (unsigned long long)size);
			rc = differ(err, i, size != e->size ? "the size" : "the content", a1, a2);
			goto out;
		}
	}
out:
	if (a != NULL)
		archive_read_free(a);
	list_free(&ours);
	return rc;
}
