/*
 * tuf_install.c — the file system side of TUF updates: reading a
 * repository folder, and installing new trusted metadata into a state
 * folder so that no crash leaves a state the next update cannot judge.
 *
 * Only local files: the repository is a folder on the media the operator
 * carried across the gap (docs/design.md §5). docs/verification.md §6
 * explains the install order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust-roots/tuf_internal.h"

/* Opens name under dir one component at a time with O_NOFOLLOW, so that no
 * symbolic link on the media leads out of the repository folder. */
static al_rc
open_under(const char *dir, const char *name, int *fd, bool *found, al_err *err)
{
	int cur = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *p = name;

	*fd = -1;
	if (cur < 0)
		return al_err_set(err, AL_E_IO, "repository folder: %s", strerror(errno));
	for (;;) {
		const char *slash = strchr(p, '/');
		char comp[AL_MAX_PATH + 1];
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		int next;

		if (n == 0 || n > AL_MAX_PATH) {
			close(cur);
			return al_err_set(err, AL_E_IO, "a bad path");
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(cur, comp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
					 (slash ? O_DIRECTORY : 0));
		close(cur);
		if (next < 0 && errno == ENOENT) {
			*found = false;
			return AL_OK;
		}
		if (next < 0)
			return al_err_set(err, AL_E_IO, "%s", errno == ELOOP ? "a symbolic link" : strerror(errno));
		if (slash == NULL) {
			*fd = next;
			*found = true;
			return AL_OK;
		}
		cur = next;
		p = slash + 1;
	}
}

al_rc
al_tuf_dir_read(void *ctx, const char *name, size_t max, al_buf *out, bool *found, al_err *err)
{
	struct stat st;
	int fd;
	al_rc rc;

	*found = false;
	if (!tuf_safe_path(al_bytes_str(name)))
		return al_err_set(err, AL_E_INTERNAL, "not a safe repository path");
	if ((rc = open_under((const char *)ctx, name, &fd, found, err)) != AL_OK || !*found)
		return rc;
	/* a FIFO or a device would make the read wait or never end */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return al_err_set(err, AL_E_IO, "not a regular file");
	}
	if (fcntl(fd, F_SETFL, 0) != 0) {
		close(fd);
		return al_err_set(err, AL_E_IO, "%s", strerror(errno));
	}
	rc = al_read_fd(fd, "", max, out, err);
	close(fd);
	return rc;
}

/* ---------------------------------------------------------------- install */

static bool
plain_name(const char *s)
{
	al_bytes b = al_bytes_str(s);

	return tuf_safe_path(b) && strchr(s, '/') == NULL && s[0] != '.' && b.n <= AL_MAX_TUF_ROLE_NAME + 8;
}

static void
tmp_name(const char *name, char *out, size_t size)
{
	snprintf(out, size, ".%s.airlock-tmp", name);
}

static al_rc
write_tmp(int dfd, const al_tuf_file *f, al_err *err)
{
	char tmp[AL_MAX_TUF_ROLE_NAME + 40];
	const char *name = (const char *)f->name.p;

	tmp_name(name, tmp, sizeof(tmp));
	/* a temporary left by a crash is ours to replace */
	(void)unlinkat(dfd, tmp, 0);
	if (al_dir_write_tmp(dfd, tmp, al_buf_bytes(&f->bytes), err) != AL_OK)
		return al_err_prefix(err, "%s", name);
	return AL_OK;
}

static void
remove_tmps(int dfd, const al_tuf_file *files, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		char tmp[AL_MAX_TUF_ROLE_NAME + 40];

		tmp_name((const char *)files[i].name.p, tmp, sizeof(tmp));
		(void)unlinkat(dfd, tmp, 0);
	}
}

al_rc
al_tuf_install(const char *dir, const al_tuf_file *files, size_t n, al_err *err)
{
	int dfd;
	al_rc rc = AL_OK;
	size_t i;

	for (i = 0; i < n; i++)
		if (files[i].name.p == NULL || !plain_name((const char *)files[i].name.p))
			return al_err_set(err, AL_E_INTERNAL, "install: file %zu has no plain name", i);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return al_err_set(err, AL_E_IO, "%s: cannot open the state folder: %s", dir, strerror(errno));
	/* every new file complete and durable before any trusted file changes */
	for (i = 0; i < n && rc == AL_OK; i++)
		rc = write_tmp(dfd, &files[i], err);
	if (rc != AL_OK) {
		remove_tmps(dfd, files, 0, i);
		close(dfd);
		return al_err_prefix(err, "%s: nothing installed", dir);
	}
	for (i = 0; i < n; i++) {
		char tmp[AL_MAX_TUF_ROLE_NAME + 40];
		const char *name = (const char *)files[i].name.p;

		tmp_name(name, tmp, sizeof(tmp));
		/* each rename durable before the next, so a crash keeps the order */
		if ((rc = al_dir_rename(dfd, tmp, name, false, err)) != AL_OK) {
			al_err_prefix(err, "%s: %s (%zu of %zu files installed; the state is older but consistent)",
				      dir, name, i, n);
			break;
		}
	}
	if (rc != AL_OK)
		remove_tmps(dfd, files, i, n);
	close(dfd);
	return rc;
}
