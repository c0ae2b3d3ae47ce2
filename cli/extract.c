/*
 * extract.c — `airlock verify --extract DIR`: after a pass, every verified
 * in-toto statement (SLSA provenance, SPDX, CycloneDX, any predicate) as a
 * file, so scanners and policy engines inside the enclave read only what
 * verified (docs/report.md §6). The bytes written are the DSSE payload that
 * verified, unchanged; the report gives each file's name and SHA-256.
 *
 * The folder is opened before any input is read and every name below it is
 * made with O_EXCL and without following links: nothing is written over,
 * and nothing outside DIR.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

/* The predicate type as a file name: the scheme dropped, every run of
 * characters other than [A-Za-z0-9.] one '-', at most 96 characters, never
 * empty and never starting with '.'. */
static void
slug(const char *pt, char *out, size_t cap)
{
	size_t n = 0;
	bool dash = false;

	if (strncmp(pt, "https://", 8) == 0)
		pt += 8;
	else if (strncmp(pt, "http://", 7) == 0)
		pt += 7;
	for (; *pt && n + 2 < cap && n < 96; pt++) {
		char ch = *pt;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			  (ch == '.' && n > 0);

		if (ok) {
			out[n++] = ch;
			dash = false;
		} else if (!dash && n > 0) {
			out[n++] = '-';
			dash = true;
		}
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	if (n == 0)
		n = (size_t)snprintf(out, cap, "statement");
	out[n] = '\0';
}

bool
al_extract_file(const al_subject *s, size_t i, char *out, size_t cap)
{
	char me[128], other[128];
	size_t nth = 1;
	const char *hex;

	if (i >= s->nitems || s->items[i].predicate_type == NULL || s->digest == NULL)
		return false;
	slug(s->items[i].predicate_type, me, sizeof(me));
	for (size_t k = 0; k < i; k++) {
		if (s->items[k].predicate_type == NULL)
			continue;
		slug(s->items[k].predicate_type, other, sizeof(other));
		nth += strcmp(me, other) == 0;
	}
	hex = strchr(s->digest, ':');
	snprintf(out, cap, "%.*s-%s/%s-%zu.json", hex ? (int)(hex - s->digest) : 0, s->digest, hex ? hex + 1 : "",
		 me, nth);
	return true;
}

int
al_cli_extract_open(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		al_cli_errf("airlock: --extract %s: %s%s", dir, strerror(errno),
			    errno == ENOENT ? " (create it first)" : errno == ELOOP ? " (a symbolic link)" : "");
	return fd;
}

/* One subject's statements into dfd/<algo>-<hex>/. */
static bool
extract_subject(int dfd, const char *dir, const al_subject *s, size_t *count)
{
	char name[300], sub[160];
	int sfd = -1;
	bool ok = true;

	for (size_t i = 0; ok && i < s->nitems; i++) {
		const al_item *it = &s->items[i];
		const char *slash;
		al_err e;

		if (it->statement == NULL || !al_extract_file(s, i, name, sizeof(name)))
			continue;
		slash = strchr(name, '/');
		if (sfd < 0) {
			snprintf(sub, sizeof(sub), "%.*s", (int)(slash - name), name);
			if (mkdirat(dfd, sub, 0755) != 0) {
				al_cli_errf("airlock: --extract %s/%s: %s%s", dir, sub, strerror(errno),
					    errno == EEXIST ? " (extract into a folder that does not hold it yet)" : "");
				return false;
			}
			sfd = openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sfd < 0) {
				al_cli_errf("airlock: --extract %s/%s: %s", dir, sub, strerror(errno));
				return false;
			}
		}
		/* the folder is new and ours: each file is written whole under a
		 * temporary name and renamed, never over a name (common/file.c) */
		al_err_clear(&e);
		if (al_dir_write_tmp(sfd, ".airlock-extract.tmp", al_bytes_of(it->statement, it->statement_len), &e) !=
			    AL_OK ||
		    al_dir_rename(sfd, ".airlock-extract.tmp", slash + 1, true, &e) != AL_OK) {
			(void)unlinkat(sfd, ".airlock-extract.tmp", 0);
			al_cli_errf("airlock: --extract %s/%s: %s", dir, name, e.msg);
			ok = false;
			break;
		}
		(*count)++;
	}
	if (sfd >= 0) {
		if (ok && fsync(sfd) != 0) {
			al_cli_errf("airlock: --extract %s/%s: %s", dir, sub, strerror(errno));
			ok = false;
		}
		close(sfd);
	}
	return ok;
}

/* Every subject of the result in order: each image's own, then its
 * children's. An index.json may list one manifest under two names: a digest
 * that came before is written once. */
bool
al_cli_extract(int dfd, const char *dir, const al_result *r, size_t *count)
{
	const al_subject **v;
	size_t n = 0, k = 0;
	bool ok = true;

	*count = 0;
	for (size_t i = 0; i < r->nimages; i++)
		n += 1 + r->images[i].nchildren;
	if (n == 0)
		return true;
	if ((v = calloc(n, sizeof(*v))) == NULL) {
		al_cli_errf("airlock: --extract %s: out of memory", dir);
		return false;
	}
	for (size_t i = 0; i < r->nimages; i++) {
		v[k++] = &r->images[i].top;
		for (size_t c = 0; c < r->images[i].nchildren; c++)
			v[k++] = &r->images[i].children[c].subject;
	}
	for (size_t j = 0; ok && j < n; j++) {
		bool dup = v[j]->digest == NULL;

		for (size_t e = 0; !dup && e < j; e++)
			dup = v[e]->digest != NULL && strcmp(v[e]->digest, v[j]->digest) == 0;
		if (!dup)
			ok = extract_subject(dfd, dir, v[j], count);
	}
	free(v);
	if (!ok)
		return false;
	if (fsync(dfd) != 0) {
		al_cli_errf("airlock: --extract %s: %s", dir, strerror(errno));
		return false;
	}
	return true;
}
