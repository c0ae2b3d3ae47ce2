/*
 * file.c — the one way airlock writes a file: into a folder it holds open,
 * under a temporary name created exclusively and never through a symbolic
 * link, synced, then renamed into place and the folder synced, so that a
 * crash leaves either the old state or the complete new file. Used by the
 * TUF install (docs/trust.md §6), the VSA writer (docs/vsa.md), --report and
 * --extract (docs/report.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

al_rc
al_dir_write_tmp(int dfd, const char *tmp, al_bytes data, al_err *err)
{
	size_t off = 0;
	int fd;

	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return al_err_set(err, AL_E_IO, "cannot create a temporary: %s", strerror(errno));
	while (off < data.n) {
		ssize_t w = write(fd, data.p + off, data.n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			al_err_set(err, AL_E_IO, "write: %s", w < 0 ? strerror(errno) : "no progress");
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		al_err_set(err, AL_E_IO, "fsync: %s", strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		al_err_set(err, AL_E_IO, "close: %s", strerror(errno));
		goto fail;
	}
	return AL_OK;
fail:
	if (fd >= 0)
		close(fd);
	(void)unlinkat(dfd, tmp, 0);
	return err ? err->code : AL_E_IO;
}

al_rc
al_dir_rename(int dfd, const char *tmp, const char *name, bool noreplace, al_err *err)
{
	if (!noreplace) {
		if (renameat(dfd, tmp, dfd, name) != 0)
			return al_err_set(err, AL_E_IO, "rename: %s", strerror(errno));
	} else if (renameat2(dfd, tmp, dfd, name, RENAME_NOREPLACE) != 0) {
		/* a file system without RENAME_NOREPLACE: a hard link never
		 * replaces what is there either (and does not follow a link) */
		if (errno != EINVAL && errno != ENOSYS)
			return al_err_set(err, AL_E_IO, "%s", errno == EEXIST ? "exists (never overwritten)" : strerror(errno));
		if (linkat(dfd, tmp, dfd, name, 0) != 0)
			return al_err_set(err, AL_E_IO, "%s", errno == EEXIST ? "exists (never overwritten)" : strerror(errno));
		(void)unlinkat(dfd, tmp, 0);
	}
	/* the rename durable before the caller goes on, so a crash keeps the order */
	if (fsync(dfd) != 0)
		return al_err_set(err, AL_E_IO, "fsync of the folder: %s", strerror(errno));
	return AL_OK;
}
