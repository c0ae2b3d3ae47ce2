/*
 * fuzz_oci_dir.c — image bundles read from a directory (bundle/oci_source.c:
 * the directory walk, O_NOFOLLOW opens one component at a time, the refusal
 * of links, FIFOs and devices; then the graph and the closed world), through
 * the entry points `airlock verify` and `airlock inspect` use: al_oci_open
 * on the directory (without, then with AL_OCI_ALLOW_MISSING, as verify and
 * al_inspect_cmd do) and al_inspect_cmd itself.
 *
 * The input is the records of oci_records.h. They are written into a fresh
 * directory made by mkdtemp under /tmp, which holds the bundle ("b") and a
 * directory beside it ("o", the "o" records) that symbolic links may point
 * into (${O} in a link target is its absolute path), so that links out of
 * the bundle, dangling links, links to directories, hard links, FIFOs and
 * subdirectories are all in the repertoire. Names are reduced to safe
 * components ([A-Za-z0-9._+:-], no "." or ".."), every path is created one
 * component at a time with O_NOFOLLOW, and the whole tree is removed after
 * each input, links unfollowed: nothing is ever written outside it.
 *
 * Properties, besides no crash and no leak:
 *  - every accepted model has the classification properties of oci_props.h;
 *  - links are never followed: the bundle is opened again after the outside
 *    directory is emptied, and every result (code, message, description)
 *    must be the same;
 *  - what the model calls present is there: in a layout (or a dir:) every
 *    present blob is a regular file at its blobs/<alg>/<hex> path, reached
 *    through no link, whose content has that digest;
 *  - al_inspect_cmd reports exactly what al_oci_open(AL_OCI_ALLOW_MISSING)
 *    and al_oci_describe give, and a bundle verify's open accepts is
 *    described the same way by both;
 *  - every refusal has a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "verify/verify.h"
#include "oci_props.h"
#include "oci_records.h"

#define MAX_COMPONENTS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the tree of the input being run, removed on a property failure too */
static char cur_root[64];
static int cur_rfd = -1;

static void empty_dir(int dfd);

static void
fail(const char *what)
{
	fprintf(stderr, "oci_dir property broken: %s\n", what);
	if (cur_rfd >= 0) {
		empty_dir(cur_rfd);
		(void)rmdir(cur_root);
	}
	abort();
}

/* ---------------------------------------------------------------- the tree */

/* name reduced to safe components joined by '/'; false when nothing is left */
static bool
safe_path(const char *name, char *out, size_t cap)
{
	size_t n = 0, comps = 0;
	const char *p = name;

	while (*p && comps < MAX_COMPONENTS) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len > 0 && !(len == 1 && p[0] == '.') && !(len == 2 && p[0] == '.' && p[1] == '.') &&
		    n + len + 2 < cap && len <= 200) {
			if (n)
				out[n++] = '/';
			for (size_t i = 0; i < len; i++) {
				char c = p[i];
				bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
					  c == '.' || c == '_' || c == '-' || c == '+' || c == ':';

				out[n++] = ok ? c : '_';
			}
			comps++;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	out[n] = '\0';
	return n > 0;
}

/* The directory that holds the last component of path (below base, created
 * as needed, no link followed); *last points at that component. -1 when a
 * component is not a directory. */
static int
open_parent(int base, char *path, char **last)
{
	int fd = dup(base);
	char *p = path, *slash;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		int next;

		*slash = '\0';
		(void)mkdirat(fd, p, 0755);
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

static void
materialise(const orecs *rs, int bfd, int ofd)
{
	for (size_t k = 0; k < rs->n; k++) {
		const orec *r = &rs->r[k];
		char path[1024], tpath[1024], *last, *tlast;
		int dfd, fd, tfd;

		if (!safe_path((const char *)r->name.p, path, sizeof(path)))
			continue;
		if ((dfd = open_parent(r->type == 'o' ? ofd : bfd, path, &last)) < 0)
			continue;
		switch (r->type) {
		case 'f':
		case 'o':
			fd = openat(dfd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd >= 0) {
				if (r->content.n && write(fd, r->content.p, r->content.n) != (ssize_t)r->content.n)
					fail("cannot write a file of the bundle");
				close(fd);
			}
			break;
		case 'd':
			(void)mkdirat(dfd, last, 0755);
			break;
		case 'l':
			(void)symlinkat((const char *)r->target.p, dfd, last);
			break;
		case 'p':
			(void)mkfifoat(dfd, last, 0644);
			break;
		case 'h':
			/* the target is a bundle path too, reached without links */
			if (safe_path((const char *)r->target.p, tpath, sizeof(tpath)) &&
			    (tfd = open_parent(bfd, tpath, &tlast)) >= 0) {
				(void)linkat(tfd, tlast, dfd, last, 0);
				close(tfd);
			}
			break;
		default:
			break;
		}
		close(dfd);
	}
}

/* Removes everything below dfd, following no link. */
static void
empty_dir(int dfd)
{
	for (int pass = 0; pass < 8; pass++) {
		int d2 = dup(dfd);
		DIR *d = d2 >= 0 ? fdopendir(d2) : NULL;
		struct dirent *de;
		bool any = false;

		if (d == NULL) {
			if (d2 >= 0)
				close(d2);
			return;
		}
		while ((de = readdir(d)) != NULL) {
			struct stat st;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			any = true;
			if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
				int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

				if (sub >= 0) {
					empty_dir(sub);
					close(sub);
				}
				(void)unlinkat(dfd, de->d_name, AT_REMOVEDIR);
			} else {
				(void)unlinkat(dfd, de->d_name, 0);
			}
		}
		closedir(d);
		if (!any)
			return;
	}
}

/* ---------------------------------------------------------------- presence */

/* A present blob is a regular file at its path, reached through no link,
 * with the digest it is named by. */
static void
check_present(int bfd, const al_oci *o, const al_oci_digest *d)
{
	char hex[AL_HASH_MAX * 2 + 1], path[300], *p = path, *slash;
	int fd = dup(bfd);
	struct stat st;
	al_hash_ctx hc;
	uint8_t buf[4096], got[AL_HASH_MAX];
	ssize_t n;

	al_hex_encode(d->d, al_hash_len(d->alg), hex);
	if (o->format == AL_OCI_FMT_CONTAINERS_DIR)
		snprintf(path, sizeof(path), "%s", hex);
	else
		snprintf(path, sizeof(path), "blobs/%s/%s", al_hash_name(d->alg), hex);
	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		int next;

		*slash = '\0';
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	if (fd >= 0) {
		int dir = fd;

		fd = openat(dir, p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		close(dir);
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s\n", path);
		fail("a blob the model calls present is not a regular file in the bundle");
	}
	al_hash_init(&hc, d->alg);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		al_hash_update(&hc, buf, (size_t)n);
	close(fd);
	al_hash_final(&hc, got);
	if (memcmp(got, d->d, al_hash_len(d->alg)) != 0) {
		fprintf(stderr, "%s\n", path);
		fail("a blob the model calls present does not have its digest");
	}
}

static void
check_presence(int bfd, const al_oci *o)
{
	if (o->format != AL_OCI_FMT_LAYOUT && o->format != AL_OCI_FMT_CONTAINERS_DIR)
		return;
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];
		al_arena a = { 0 };
		al_oci_blobs bl;
		al_err err;

		if (o->format == AL_OCI_FMT_LAYOUT)
			check_present(bfd, o, n->digest);
		if (al_oci_node_blobs(o, n, &a, &bl, &err) != AL_OK) {
			fprintf(stderr, "%s\n", err.msg);
			fail("a manifest of the model cannot be read again");
		}
		if (bl.config && bl.config->present)
			check_present(bfd, o, &bl.config->digest);
		for (size_t k = 0; k < bl.n_layers; k++)
			if (bl.layers[k].present)
				check_present(bfd, o, &bl.layers[k].digest);
		al_arena_free(&a);
		for (size_t k = 0; k < n->n_manifests && o->format == AL_OCI_FMT_LAYOUT; k++)
			if (n->manifests[k].present)
				check_present(bfd, o, &n->manifests[k].digest);
	}
}

/* index.json as it lies in the bundle (records may name one path twice) */
static void
read_index(int bfd, al_buf *out)
{
	int fd = openat(bfd, "index.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	uint8_t buf[4096];
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		orec_put(out, buf, (size_t)n);
	close(fd);
}

/* ---------------------------------------------------------------- one reading */

typedef struct reading {
	al_rc verify_rc, inspect_rc;
	al_err verify_err, inspect_err;
	al_buf verify_desc, inspect_desc, inspect_report;
} reading;

static void
read_bundle(const char *dir, int bfd, reading *rd, bool deep)
{
	al_oci *o = NULL;
	al_buf index = { 0 };
	al_err err;
	al_rc rc;

	memset(rd, 0, sizeof(*rd));
	if (deep)
		read_index(bfd, &index);
	/* verify: al_oci_open(path, 0, ...) */
	al_err_clear(&rd->verify_err);
	rd->verify_rc = al_oci_open(dir, 0, 0, &o, &rd->verify_err);
	if (rd->verify_rc == AL_OK) {
		if (deep) {
			oci_props_check(o, index.n ? al_buf_bytes(&index) : al_bytes_of(NULL, 0));
			check_presence(bfd, o);
		}
		if (o->n_missing != 0)
			fail("an open without AL_OCI_ALLOW_MISSING accepted missing blobs");
		if (al_oci_describe(o, &rd->verify_desc, &err) != AL_OK)
			fail("describe failed");
		al_oci_free(o);
		o = NULL;
	} else if (rd->verify_err.msg[0] == '\0') {
		fail("a refusal without a message");
	}
	/* inspect: al_oci_open(path, AL_OCI_ALLOW_MISSING, ...) + describe */
	al_err_clear(&rd->inspect_err);
	rd->inspect_rc = al_oci_open(dir, AL_OCI_ALLOW_MISSING, 0, &o, &rd->inspect_err);
	if (rd->inspect_rc == AL_OK) {
		if (deep) {
			oci_props_check(o, index.n ? al_buf_bytes(&index) : al_bytes_of(NULL, 0));
			check_presence(bfd, o);
		}
		if (al_oci_describe(o, &rd->inspect_desc, &err) != AL_OK)
			fail("describe failed");
		al_oci_free(o);
		if (rd->verify_rc == AL_OK && (rd->verify_desc.n != rd->inspect_desc.n ||
					       memcmp(rd->verify_desc.p, rd->inspect_desc.p, rd->verify_desc.n) != 0))
			fail("verify's and inspect's opens describe the same directory differently");
	} else {
		if (rd->inspect_err.msg[0] == '\0')
			fail("a refusal without a message");
		if (rd->verify_rc == AL_OK)
			fail("a directory accepted without missing blobs is refused when they are allowed");
	}
	al_buf_free(&index);
	/* and the inspect command itself (first reading only: it opens the same way) */
	if (!deep)
		return;
	al_err_clear(&err);
	rc = al_inspect_cmd(dir, 0, &rd->inspect_report, &err);
	if ((rc == AL_OK) != (rd->inspect_rc == AL_OK) ||
	    (rc == AL_OK && (rd->inspect_report.n != rd->inspect_desc.n ||
			     memcmp(rd->inspect_report.p, rd->inspect_desc.p, rd->inspect_report.n) != 0)) ||
	    (rc != AL_OK && strcmp(err.msg, rd->inspect_err.msg) != 0))
		fail("al_inspect_cmd and al_oci_open + al_oci_describe disagree");
}

static void
reading_free(reading *rd)
{
	al_buf_free(&rd->verify_desc);
	al_buf_free(&rd->inspect_desc);
	al_buf_free(&rd->inspect_report);
}

static bool
same_buf(const al_buf *a, const al_buf *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static orecs rs;
	char root[] = "/tmp/al-fuzz-oci-dir.XXXXXX", bdir[64], odir[64];
	int rfd, bfd, ofd;
	reading r1, r2;

	if (!mkdtemp(root))
		fail("mkdtemp");
	snprintf(bdir, sizeof(bdir), "%s/b", root);
	snprintf(odir, sizeof(odir), "%s/o", root);
	if (!orecs_parse(data, size, odir, &rs)) {
		orecs_free(&rs);
		rmdir(root);
		return 0;
	}
	snprintf(cur_root, sizeof(cur_root), "%s", root);
	if ((rfd = cur_rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || mkdirat(rfd, "b", 0755) != 0 ||
	    mkdirat(rfd, "o", 0755) != 0 ||
	    (bfd = openat(rfd, "b", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (ofd = openat(rfd, "o", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		fail("cannot set up the temporary directory");
	materialise(&rs, bfd, ofd);

	read_bundle(bdir, bfd, &r1, true);
	/* links are not followed: without what lies outside, nothing changes */
	empty_dir(ofd);
	read_bundle(bdir, bfd, &r2, false);
	if (r1.verify_rc != r2.verify_rc || r1.inspect_rc != r2.inspect_rc ||
	    strcmp(r1.verify_err.msg, r2.verify_err.msg) != 0 || strcmp(r1.inspect_err.msg, r2.inspect_err.msg) != 0 ||
	    !same_buf(&r1.verify_desc, &r2.verify_desc) || !same_buf(&r1.inspect_desc, &r2.inspect_desc)) {
		fprintf(stderr, "with outside: %s / %s\nwithout: %s / %s\n", r1.verify_err.msg, r1.inspect_err.msg,
			r2.verify_err.msg, r2.inspect_err.msg);
		fail("what lies outside the bundle directory changed the result: a link was followed");
	}
	reading_free(&r1);
	reading_free(&r2);

	empty_dir(bfd);
	close(bfd);
	close(ofd);
	(void)unlinkat(rfd, "b", AT_REMOVEDIR);
	(void)unlinkat(rfd, "o", AT_REMOVEDIR);
	close(rfd);
	cur_rfd = -1;
	if (rmdir(root) != 0)
		fail("the temporary directory could not be removed");
	orecs_free(&rs);
	return 0;
}
