/*
 * cmd_media.c — `airlock media create|list`: delivery media for the
 * appliance (bundles and a TUF update, one raw archive to write to a USB
 * stick with dd) and blank evidence media (docs/appliance.md §2, §5).
 */
#define _GNU_SOURCE /* pipe2, O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "cli/cli.h"

static void
media_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock media create BUNDLE... --out IMAGE [--tuf-repo DIR] [--iso]\n"
		"       airlock media create --evidence --out IMAGE [--size SIZE]\n"
		"       airlock media list IMAGE\n\n"
		"create     writes a delivery medium for the airlock appliance: the label\n"
		"           AIRLOCK-MEDIUM, the TUF repository DIR (metadata at its top, targets/)\n"
		"           as tuf/, then every BUNDLE as bundles/<name> (an archive as it is; a\n"
		"           layout folder packed as <name>.tar). A raw tar stream by default, ISO 9660\n"
		"           with --iso. Write it to a stick with dd (docs/appliance.md).\n"
		"           With --evidence: a blank evidence medium the appliance writes its report\n"
		"           and VSAs to (SIZE, default 64M, is the image's size).\n"
		"list       says whether IMAGE (a file or a block device) is an airlock medium and\n"
		"           lists what it carries.\n\n"
		"IMAGE is a new file: an existing one is never overwritten. Owners, modes and\n"
		"times are fixed (SOURCE_DATE_EPOCH, else 0): the same inputs give the same medium.\n"
		"Exit: 0 written / a valid medium, 1 not a medium, 2 usage error or unreadable input.\n");
}

static int64_t
medium_mtime(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && v >= 0 ? (int64_t)v : 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of folder dfd, sorted (byte order): the same tree, the same archive. */
static char **
sorted_names(int dfd, size_t *n, al_err *err)
{
	int dup_fd = dup(dfd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		(void)al_err_set(err, AL_E_IO, "cannot list: %s", strerror(errno));
		return NULL;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*v));

			if (nv == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), name_cmp);
	return v == NULL ? calloc(1, sizeof(*v)) : v;
nomem:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*n = 0;
	(void)al_err_set(err, AL_E_NOMEM, "out of memory");
	return NULL;
}

static void
free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Writes folder dfd below prefix: regular files and folders only, never
 * following a link (a link would put content on the medium from outside
 * what was named). */
static al_rc
write_tree(al_medium_writer *w, int dfd, const char *shown, const char *prefix, unsigned depth, al_err *err)
{
	size_t n;
	char **names = sorted_names(dfd, &n, err);
	al_rc rc = AL_OK;

	if (names == NULL)
		return err->code;
	for (size_t i = 0; i < n && rc == AL_OK; i++) {
		char path[AL_MAX_PATH + 1];
		struct stat st;
		int fd;

		if (snprintf(path, sizeof(path), "%s%s", prefix, names[i]) >= (int)sizeof(path)) {
			rc = al_err_set(err, AL_E_LIMIT, "%s/%s: path too long", shown, names[i]);
			break;
		}
		fd = openat(dfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st) != 0) {
			rc = al_err_set(err, errno == ELOOP ? AL_E_BUNDLE_UNSAFE : AL_E_IO, "%s/%s: %s", shown, path,
					errno == ELOOP ? "a symbolic link: refused" : strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			char sub[AL_MAX_PATH + 2];

			if (depth >= 8) {
				rc = al_err_set(err, AL_E_LIMIT, "%s/%s: folders nested too deep", shown, path);
			} else {
				snprintf(sub, sizeof(sub), "%s/", path);
				if ((rc = al_medium_write_dir(w, sub, err)) == AL_OK)
					rc = write_tree(w, fd, shown, sub, depth + 1, err);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = al_medium_write_fd(w, path, fd, (uint64_t)st.st_size, err);
		} else {
			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE, "%s/%s: not a regular file or folder: refused", shown, path);
		}
		if (fd >= 0)
			close(fd);
	}
	free_names(names, n);
	return rc;
}

/* A layout folder as an uncompressed tar in an unnamed temporary file. */
static al_rc
pack_dir(int dfd, const char *shown, int *out, uint64_t *size, al_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	al_medium_writer *w;
	struct stat st;
	al_rc rc;
	int fd = open(tmpdir && *tmpdir ? tmpdir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	*out = -1;
	if (fd < 0)
		return al_err_set(err, AL_E_IO, "%s: cannot make a temporary file to pack it: %s", shown, strerror(errno));
	if ((rc = al_medium_write_open(fd, shown, AL_MEDIUM_W_PLAIN, medium_mtime(), &w, err)) == AL_OK) {
		rc = write_tree(w, dfd, shown, "", 0, err);
		if (rc != AL_OK)
			al_medium_write_abort(w);
		else
			rc = al_medium_write_close(w, err);
	}
	if (rc == AL_OK && (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0))
		rc = al_err_set(err, AL_E_IO, "%s: %s", shown, strerror(errno));
	if (rc != AL_OK) {
		close(fd);
		return rc;
	}
	*out = fd;
	*size = (uint64_t)st.st_size;
	return AL_OK;
}

static al_rc
add_bundle(al_medium_writer *w, const char *path, char names[][AL_MAX_MEDIUM_NAME + 16], size_t i, al_err *err)
{
	const char *base;
	char trimmed[AL_MAX_PATH + 1], member[AL_MAX_MEDIUM_NAME + 16];
	struct stat st;
	size_t len = strlen(path);
	int fd, packed = -1;
	uint64_t size = 0;
	al_rc rc;

	if (len == 0 || len > AL_MAX_PATH)
		return al_err_set(err, AL_E_USAGE, "'%s': not a bundle path", path);
	memcpy(trimmed, path, len + 1);
	while (len > 1 && trimmed[len - 1] == '/')
		trimmed[--len] = '\0';
	base = strrchr(trimmed, '/') ? strrchr(trimmed, '/') + 1 : trimmed;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 || fstat(fd, &st) != 0) {
		rc = al_err_set(err, AL_E_IO, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (snprintf(member, sizeof(member), "%s%s", base, S_ISDIR(st.st_mode) ? ".tar" : "") >= (int)sizeof(member) ||
	    !al_medium_name_ok(member)) {
		close(fd);
		return al_err_set(err, AL_E_USAGE,
				  "%s: '%s' cannot be a name on the medium (one plain file name of letters, digits "
				  "and . _ - +, up to %d bytes): rename or copy it",
				  path, member, AL_MAX_MEDIUM_NAME);
	}
	for (size_t k = 0; k < i; k++)
		if (strcmp(names[k], member) == 0) {
			close(fd);
			return al_err_set(err, AL_E_USAGE, "%s: a second bundle named '%s' on the medium", path, member);
		}
	memcpy(names[i], member, strlen(member) + 1);
	if (S_ISDIR(st.st_mode)) {
		rc = pack_dir(fd, path, &packed, &size, err);
		close(fd);
		if (rc != AL_OK)
			return rc;
		fd = packed;
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else {
		close(fd);
		return al_err_set(err, AL_E_USAGE, "%s: not a bundle folder or archive file", path);
	}
	{
		char full[AL_MAX_MEDIUM_NAME + 32];

		snprintf(full, sizeof(full), "bundles/%s", member);
		rc = al_medium_write_fd(w, full, fd, size, err);
	}
	close(fd);
	return rc;
}

/* A new output file; an existing one is never overwritten. */
static int
open_out(const char *out)
{
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		al_cli_errf("airlock media create: --out %s: %s%s", out, strerror(errno),
			    errno == EEXIST ? ": give a new file name" : "");
	return fd;
}

static int
finish_out(int fd, const char *out, al_rc rc, const al_err *err)
{
	if (rc == AL_OK && fsync(fd) != 0) {
		al_cli_errf("airlock media create: --out %s: %s", out, strerror(errno));
		rc = AL_E_IO;
	}
	close(fd);
	if (rc != AL_OK) {
		/* a partial medium must not be mistaken for one */
		unlink(out);
		if (err != NULL && err->code != 0)
			(void)al_cli_fail(err);
		return 2;
	}
	return 0;
}

static int
create(int argc, char **argv)
{
	const char *pos[AL_MAX_MEDIUM_BUNDLES + 1] = { 0 };
	const char *out = NULL, *tuf = NULL, *size_s = NULL;
	bool iso = false, evidence = false;
	static char names[AL_MAX_MEDIUM_BUNDLES][AL_MAX_MEDIUM_NAME + 16];
	const al_opt opts[] = {
		{ "--out", &out, NULL, NULL },
		{ "--tuf-repo", &tuf, NULL, NULL },
		{ "--iso", NULL, &iso, NULL },
		{ "--evidence", NULL, &evidence, NULL },
		{ "--size", &size_s, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	al_medium_writer *w;
	uint64_t size = 64ull << 20;
	size_t npos;
	al_err err;
	al_rc rc;
	int st, fd;

	st = al_cli_parse("media create", argc, argv, opts, NULL, NULL, 0, pos, AL_MAX_MEDIUM_BUNDLES + 1, &npos,
			  media_usage);
	if (st >= 0)
		return st;
	if (out == NULL) {
		al_cli_errf("airlock media create: --out IMAGE is required");
		return 2;
	}
	if (npos > AL_MAX_MEDIUM_BUNDLES) {
		al_cli_errf("airlock media create: more than %d bundles for one medium", AL_MAX_MEDIUM_BUNDLES);
		return 2;
	}
	if (evidence) {
		if (npos > 0 || tuf || iso) {
			al_cli_errf("airlock media create --evidence: takes no bundles, --tuf-repo or --iso");
			return 2;
		}
		if ((st = al_cli_size_opt("media create", "--size", size_s, &size)) >= 0)
			return st;
		if (size_s == NULL)
			size = 64ull << 20;
		if (size < (1u << 20) || size % 512 != 0) {
			al_cli_errf("airlock media create: --size %s: at least 1M and a multiple of 512", size_s);
			return 2;
		}
	} else if (size_s != NULL) {
		al_cli_errf("airlock media create: --size is for --evidence media");
		return 2;
	} else if (npos == 0) {
		al_cli_errf("airlock media create: no BUNDLE given (a medium without a bundle verifies nothing)");
		return 2;
	}
	if ((fd = open_out(out)) < 0)
		return 2;
	al_err_clear(&err);
	rc = al_medium_write_open(fd, out, evidence ? AL_MEDIUM_W_EVIDENCE : iso ? AL_MEDIUM_W_ISO : AL_MEDIUM_W_TAR,
				  medium_mtime(), &w, &err);
	if (rc == AL_OK && tuf != NULL) {
		int dfd = open(tuf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd < 0) {
			rc = al_err_set(&err, AL_E_IO, "--tuf-repo %s: %s", tuf, strerror(errno));
		} else {
			if ((rc = al_medium_write_dir(w, "tuf/", &err)) == AL_OK)
				rc = write_tree(w, dfd, tuf, "tuf/", 1, &err);
			close(dfd);
		}
	}
	if (rc == AL_OK && npos > 0)
		rc = al_medium_write_dir(w, "bundles/", &err);
	for (size_t i = 0; rc == AL_OK && i < npos; i++)
		rc = add_bundle(w, pos[i], names, i, &err);
	if (w != NULL) {
		if (rc == AL_OK)
			rc = al_medium_write_close(w, &err);
		else
			al_medium_write_abort(w);
	}
	/* an evidence medium is the size of the stick it stands for */
	if (rc == AL_OK && evidence) {
		struct stat sb;

		if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size > size || ftruncate(fd, (off_t)size) != 0)
			rc = al_err_set(&err, AL_E_IO, "--out %s: cannot make it %llu bytes", out, (unsigned long long)size);
	}
	st = finish_out(fd, out, rc, &err);
	if (st == 0)
		al_cli_errf("airlock media create: wrote %s (%s%s, %zu bundle%s%s)", out,
			    evidence ? "evidence medium" : "delivery medium, ", evidence ? "" : iso ? "ISO 9660" : "tar",
			    npos, npos == 1 ? "" : "s", tuf ? ", a TUF repository" : "");
	return st;
}

static int
list(int argc, char **argv)
{
	const char *path = NULL;
	size_t npos;
	al_medium *m;
	const al_medium_entry *e;
	al_err err;
	al_rc rc;
	int st, fd;
	char line[AL_MAX_MEDIUM_NAME + 128];

	st = al_cli_parse("media list", argc, argv, NULL, NULL, NULL, 0, &path, 1, &npos, media_usage);
	if (st >= 0)
		return st;
	if (path == NULL) {
		media_usage(stderr);
		return 2;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		al_cli_errf("airlock media list: %s: %s", path, strerror(errno));
		return 2;
	}
	al_cli_no_writes(false);
	al_err_clear(&err);
	if (al_medium_probe_evidence(fd, path, &err) == AL_OK) {
		close(fd);
		return al_cli_write_report(al_bytes_str("an airlock evidence medium")) && al_cli_flush() ? 0 : 2;
	}
	al_err_clear(&err);
	if (lseek(fd, 0, SEEK_SET) != 0 || (rc = al_medium_open(fd, path, &m, &err)) != AL_OK) {
		close(fd);
		if (err.code == 0)
			(void)al_err_set(&err, AL_E_IO, "%s: %s", path, strerror(errno));
		st = al_cli_fail(&err);
		return st == 3 ? 1 : st;
	}
	snprintf(line, sizeof(line), "an airlock delivery medium (%s)", al_medium_format(m));
	st = al_cli_write_report(al_bytes_str(line)) ? 0 : 2;
	while (st == 0 && (rc = al_medium_next(m, &e, &err)) == AL_OK && e != NULL) {
		snprintf(line, sizeof(line), "%-7s %s (%llu bytes)", e->kind == AL_MEDIUM_BUNDLE ? "bundle" : "tuf", e->name,
			 (unsigned long long)e->size);
		if (!al_cli_write_report(al_bytes_str(line)))
			st = 2;
	}
	al_medium_free(m);
	close(fd);
	if (st == 0 && rc != AL_OK)
		st = al_cli_fail(&err);
	return al_cli_flush() ? st : 2;
}

int
al_cmd_media(int argc, char **argv)
{
	if (argc == 2 && al_cli_is_help(argv[1])) {
		media_usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "create") == 0)
		return create(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (argc >= 2 && al_cli_is_help(argv[1]))
		return al_cli_help_misplaced("media", argv[1]);
	al_cli_errf("airlock media: expected 'create' or 'list'");
	media_usage(stderr);
	return 2;
}
