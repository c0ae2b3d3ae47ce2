/*
 * test_oci.c — image bundles: OCI layouts (directory and tar, tar.gz,
 * tar.zst, tar.xz), docker-archives, containers/image dir:, the image
 * graph, cosign / referrer discovery.
 *
 * Fixtures are built at test time in a temporary directory (layouts written
 * from C, archives with libarchive's writer), so every accepting case has a
 * rejecting twin made from the same bytes with one thing changed. Real
 * layouts from ../shared are read in place and skipped loudly when absent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle/bundle.h"
#include "util/testutil.h"

static al_err err;

/* ================================================================ file helpers */

static char *
tmpdir(void)
{
	static char buf[512];
	const char *t = getenv("TMPDIR");

	snprintf(buf, sizeof(buf), "%s/al-oci-XXXXXX", t && t[0] ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	return strdup(buf);
}

static void
rmtree(const char *d)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", d, d);
	(void)system(cmd);
}

static void
mkdirs(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	mkdir(tmp, 0755);
}

static void
put_file(const char *dir, const char *rel, const void *p, size_t n)
{
	char path[4096], parent[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void
put_str(const char *dir, const char *rel, const char *s)
{
	put_file(dir, rel, s, strlen(s));
}

static al_buf
get_file(const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return al_test_read(path);
}

/* Writes data as blobs/sha256/<hex> and returns "sha256:<hex>" (static, rotating). */
static const char *
put_blob(const char *dir, const void *p, size_t n)
{
	static char ring[8][80];
	static int k;
	char *out = ring[k++ % 8];
	al_oci_digest d;
	char rel[1024];

	al_oci_digest_of(AL_HASH_SHA256, al_bytes_of(p, n), &d);
	al_oci_digest_str(&d, out);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", out + 7);
	put_file(dir, rel, p, n);
	return out;
}

static const char *
put_blob_str(const char *dir, const char *s)
{
	return put_blob(dir, s, strlen(s));
}

static char *
desc_json(const char *mt, const char *digest, size_t size, const char *extra)
{
	char *s;

	ck_assert_int_ge(asprintf(&s, "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu%s%s}", mt, digest,
				  size, extra ? "," : "", extra ? extra : ""), 0);
	return s;
}

/* n's config and layers, read again (al_oci_node_blobs) into tb_arena,
 * which the fixture frees after each test */
static al_arena tb_arena;

static al_oci_blobs
tb(const al_oci *o, const al_oci_node *n)
{
	al_oci_blobs b;
	al_err e;

	ck_assert_ok(al_oci_node_blobs(o, n, &tb_arena, &b, &e), &e);
	return b;
}

static void
tb_free(void)
{
	al_arena_free(&tb_arena);
}

/* ================================================================ the synthetic layout */

#define MT_MAN "application/vnd.oci.image.manifest.v1+json"
#define MT_IDX "application/vnd.oci.image.index.v1+json"
#define MT_CFG "application/vnd.oci.image.config.v1+json"
#define MT_GZ  "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_SS  "application/vnd.dev.cosign.simplesigning.v1+json"
/* 320 bytes: a signature layer's annotations as long as cosign's */
#define LONG_SET "MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9MEUCIQDx0bA4k2J9"
#define MT_BUNDLE "application/vnd.dev.sigstore.bundle.v0.3+json"

typedef struct fixture {
	char *dir;
	char image_index[80];       /* the multi-arch index (tag v1) */
	char amd64[80], arm64[80];  /* its platform manifests */
	char big_layer[80];         /* 100 KiB binary layer */
	char small_layer[80];
	char sig_manifest[80];
	char referrer[80];
	char bundle_blob[80];
	char ss_payload[80];
	size_t index_size;
} fixture;

static size_t
blob_size(const char *dir, const char *digest)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, digest + 7);
	ck_assert_int_eq(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/*
 * index.json: [0] tag v1 -> image index -> {amd64, arm64 manifests}
 *             [1] tag sha256-<index>.sig -> cosign signature manifest
 *             [2] a referrer manifest (subject = the image index) carrying
 *                 a Sigstore bundle layer
 * plus one unreferenced blob (an extra).
 */
static void
make_fixture(fixture *f)
{
	uint8_t *big = malloc(100 << 10);
	char *cfg, *m, *idx, *tmp, *d1, *d2, *d3;
	const char *cfgd, *emptyd;
	uint32_t x = 12345;

	f->dir = tmpdir();
	put_str(f->dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	for (size_t i = 0; i < (100u << 10); i++) {
		x = x * 1103515245u + 12345u;
		big[i] = (uint8_t)(x >> 16);
	}
	big[0] = 0x1f; /* looks like gzip, not JSON */
	snprintf(f->big_layer, sizeof(f->big_layer), "%s", put_blob(f->dir, big, 100u << 10));
	free(big);
	snprintf(f->small_layer, sizeof(f->small_layer), "%s", put_blob_str(f->dir, "small layer bytes\n"));
	cfg = strdup("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
	cfgd = put_blob_str(f->dir, cfg);
	d1 = desc_json(MT_CFG, cfgd, strlen(cfg), NULL);
	d2 = desc_json(MT_GZ, f->big_layer, 100u << 10, NULL);
	d3 = desc_json(MT_GZ, f->small_layer, strlen("small layer bytes\n"), NULL);
	ck_assert_int_ge(asprintf(&m, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":%s,\"layers\":[%s,%s]}",
				  MT_MAN, d1, d2, d3), 0);
	snprintf(f->amd64, sizeof(f->amd64), "%s", put_blob_str(f->dir, m));
	free(d1);
	free(d2);
	free(d3);
	free(cfg);
	{
		size_t amd_size = strlen(m);
		char *m2, *c2 = strdup("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
		const char *c2d = put_blob_str(f->dir, c2);
		char *e1 = desc_json(MT_CFG, c2d, strlen(c2), NULL);
		char *e2 = desc_json(MT_GZ, f->small_layer, strlen("small layer bytes\n"), NULL);
		char *p1, *p2;

		ck_assert_int_ge(asprintf(&m2, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":%s,\"layers\":[%s]}",
					  MT_MAN, e1, e2), 0);
		snprintf(f->arm64, sizeof(f->arm64), "%s", put_blob_str(f->dir, m2));
		p1 = desc_json(MT_MAN, f->amd64, amd_size, "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}");
		p2 = desc_json(MT_MAN, f->arm64, strlen(m2),
			       "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}");
		ck_assert_int_ge(asprintf(&idx, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s,%s]}",
					  MT_IDX, p1, p2), 0);
		snprintf(f->image_index, sizeof(f->image_index), "%s", put_blob_str(f->dir, idx));
		f->index_size = strlen(idx);
		free(idx);
		free(e1);
		free(e2);
		free(p1);
		free(p2);
		free(c2);
		free(m2);
		free(m);
	}
	/* a cosign signature manifest, found by its tag */
	{
		char *payload, *sm, *l, *c;
		const char *pd;

		ck_assert_int_ge(asprintf(&payload,
					  "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/app\"},"
					  "\"image\":{\"docker-manifest-digest\":\"%s\"},"
					  "\"type\":\"cosign container image signature\"},\"optional\":null}",
					  f->image_index), 0);
		pd = put_blob_str(f->dir, payload);
		snprintf(f->ss_payload, sizeof(f->ss_payload), "%s", pd);
		emptyd = put_blob_str(f->dir, "{}");
		c = desc_json(MT_CFG, emptyd, 2, NULL);
		/* a Rekor bundle as long as cosign's: read again with its layer */
		l = desc_json(MT_SS, pd, strlen(payload),
			      "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQ==\","
			      "\"dev.sigstore.cosign/bundle\":\"{\\\"SignedEntryTimestamp\\\":\\\"" LONG_SET "\\\"}\"}");
		ck_assert_int_ge(asprintf(&sm, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":%s,\"layers\":[%s]}",
					  MT_MAN, c, l), 0);
		snprintf(f->sig_manifest, sizeof(f->sig_manifest), "%s", put_blob_str(f->dir, sm));
		free(payload);
		free(l);
		free(c);
		tmp = sm;
	}
	/* an OCI 1.1 referrer carrying a Sigstore bundle */
	{
		char *rm, *c, *l, *s;
		const char *bd = put_blob_str(f->dir, "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}");

		snprintf(f->bundle_blob, sizeof(f->bundle_blob), "%s", bd);
		c = desc_json("application/vnd.oci.empty.v1+json", emptyd, 2, NULL);
		l = desc_json(MT_BUNDLE, bd, blob_size(f->dir, bd), NULL);
		s = desc_json(MT_IDX, f->image_index, f->index_size, NULL);
		ck_assert_int_ge(asprintf(&rm,
					  "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"%s\",\"config\":%s,"
					  "\"layers\":[%s],\"subject\":%s}", MT_MAN, MT_BUNDLE, c, l, s), 0);
		snprintf(f->referrer, sizeof(f->referrer), "%s", put_blob_str(f->dir, rm));
		free(c);
		free(l);
		free(s);
		{
			char *i0 = desc_json(MT_IDX, f->image_index, f->index_size,
					     "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}");
			char ann[200];
			char *i1, *i2, *top;

			snprintf(ann, sizeof(ann), "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-%s.sig\"}",
				 f->image_index + 7);
			i1 = desc_json(MT_MAN, f->sig_manifest, strlen(tmp), ann);
			i2 = desc_json(MT_MAN, f->referrer, strlen(rm), "\"artifactType\":\"" MT_BUNDLE "\"");
			ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s,%s,%s]}",
						  MT_IDX, i0, i1, i2), 0);
			put_str(f->dir, "index.json", top);
			free(i0);
			free(i1);
			free(i2);
			free(top);
		}
		free(rm);
	}
	free(tmp);
	put_blob_str(f->dir, "an unreferenced blob");
}

static void
free_fixture(fixture *f)
{
	rmtree(f->dir);
	free(f->dir);
}

static al_oci_digest
dg(const char *s)
{
	al_oci_digest d;
	al_err e;

	ck_assert_msg(al_oci_digest_parse(al_bytes_str(s), &d, &e) == AL_OK, "%s: %s", s, e.msg);
	return d;
}

static char *
describe(const al_oci *o)
{
	al_buf b = { 0 };

	ck_assert_ok(al_oci_describe(o, &b, &err), &err);
	return (char *)b.p;
}

/* ================================================================ archives from C */

static struct archive *
arch_begin(const char *path, const char *filter)
{
	struct archive *a = archive_write_new();

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	if (strcmp(filter, "gz") == 0)
		ck_assert_int_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	else if (strcmp(filter, "zst") == 0)
		ck_assert_int_eq(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	else if (strcmp(filter, "xz") == 0)
		ck_assert_int_eq(archive_write_add_filter_xz(a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	return a;
}

static void
arch_entry(struct archive *a, const char *name, mode_t type, const void *p, size_t n, const char *link,
	   bool hard)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)n : 0);
	if (link && hard)
		archive_entry_set_hardlink(e, link);
	else if (link)
		archive_entry_set_symlink(e, link);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, 0x0103);
	ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
	if (type == AE_IFREG && n > 0)
		ck_assert_int_eq(archive_write_data(a, p, n), (la_ssize_t)n);
	archive_entry_free(e);
}

static void
arch_file(struct archive *a, const char *name, const void *p, size_t n)
{
	arch_entry(a, name, AE_IFREG, p, n, NULL, false);
}

static void
arch_end(struct archive *a)
{
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* Adds every file under dir/rel (depth first, readdir order: arbitrary, as
 * tar order is), names prefixed with prefix ("./" like tar -C dir .). */
static void
arch_tree(struct archive *a, const char *dir, const char *rel, const char *prefix, bool dirs)
{
	char path[2048];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		char sub[2048], full[4096], name[4096];
		struct stat st;

		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", dir, sub);
		snprintf(name, sizeof(name), "%s%s", prefix, sub);
		ck_assert_int_eq(lstat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			if (dirs) {
				char dn[4100];

				snprintf(dn, sizeof(dn), "%s/", name);
				arch_entry(a, dn, AE_IFDIR, NULL, 0, NULL, false);
			}
			arch_tree(a, dir, sub, prefix, dirs);
		} else if (S_ISLNK(st.st_mode)) {
			char t[1024];
			ssize_t tl = readlink(full, t, sizeof(t) - 1);

			ck_assert_int_ge(tl, 0);
			t[tl] = '\0';
			arch_entry(a, name, AE_IFLNK, NULL, 0, t, false);
		} else {
			al_buf b = al_test_read(full);

			arch_file(a, name, b.p, b.n);
			al_buf_free(&b);
		}
	}
	closedir(d);
}

static char *
tar_of(const char *dir, const char *outdir, const char *name, const char *filter, const char *prefix)
{
	char *path;
	struct archive *a;

	ck_assert_int_ge(asprintf(&path, "%s/%s", outdir, name), 0);
	a = arch_begin(path, filter);
	if (prefix[0])
		arch_entry(a, "./", AE_IFDIR, NULL, 0, NULL, false);
	arch_tree(a, dir, "", prefix, true);
	arch_end(a);
	return path;
}

/* ================================================================ digests */

START_TEST(digest_parse_and_twins)
{
	al_oci_digest d, e;
	char s[AL_OCI_DIGEST_STR_MAX];
	const char *good = "sha256:e0a0a765d690a5104331cfbac88ebbbf01736c1f87aaa3cd455c516a5ea586a5";
	char sha512[7 + 128 + 1] = "sha512:";

	ck_assert_ok(al_oci_digest_parse(al_bytes_str(good), &d, &err), &err);
	ck_assert_int_eq(d.alg, AL_HASH_SHA256);
	al_oci_digest_str(&d, s);
	ck_assert_str_eq(s, good);
	memset(sha512 + 7, 'a', 128);
	sha512[135] = '\0';
	ck_assert_ok(al_oci_digest_parse(al_bytes_str(sha512), &e, &err), &err);
	ck_assert_int_eq(e.alg, AL_HASH_SHA512);
	ck_assert(!al_oci_digest_eq(&d, &e));
	ck_assert(al_oci_digest_eq(&d, &d));
	/* twins */
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("sha256:E0A0A765D690A5104331CFBAC88EBBBF01736C1F87AAA3CD455C516A5EA586A5"),
					 &d, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "lowercase"));
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("sha384:e0a0a765d690a5104331cfbac88ebbbf01736c1f87aaa3cd455c516a5ea586a5"),
					 &d, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "unsupported algorithm"));
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("md5:d41d8cd98f00b204e9800998ecf8427e"), &d, &err),
		     AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("sha256:e0a0"), &d, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("e0a0a765d690a5104331cfbac88ebbbf01736c1f87aaa3cd455c516a5ea586a5"),
					 &d, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_oci_digest_parse(al_bytes_str("sha256+b64:e0a0a765d690a5104331cfbac88ebbbf01736c1f87aaa3cd455c516a5ea586a5"),
					 &d, &err), AL_E_BUNDLE_FORMAT, &err);
}
END_TEST

/* ================================================================ the synthetic layout */

static void
check_fixture_model(const fixture *f, const al_oci *o)
{
	al_oci_digest idx = dg(f->image_index);
	const al_oci_node *n, *out[4];

	ck_assert_int_eq(o->format, AL_OCI_FMT_LAYOUT);
	ck_assert_uint_eq(o->n_refs, 3);
	ck_assert_int_eq(o->refs[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_str_eq(o->refs[0].ref_name, "v1");
	ck_assert_int_eq(o->refs[1].role, AL_OCI_ROLE_SIGS);
	ck_assert_ptr_nonnull(o->refs[1].subject);
	ck_assert(al_oci_digest_eq(o->refs[1].subject, &idx));
	ck_assert_int_eq(o->refs[2].role, AL_OCI_ROLE_REFERRER);
	ck_assert_str_eq(o->refs[2].desc.artifact_type, MT_BUNDLE);
	/* the graph: every platform */
	n = al_oci_node_get(o, &idx);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->kind, AL_OCI_NODE_INDEX);
	ck_assert_uint_eq(n->n_manifests, 2);
	ck_assert_str_eq(n->manifests[1].platform->variant, "v8");
	ck_assert_ptr_nonnull(n->manifests[0].node);
	ck_assert_uint_eq(n->manifests[0].node->n_layers, 2);
	ck_assert(tb(o, n->manifests[0].node).layers[0].present);
	ck_assert_uint_eq(tb(o, n->manifests[0].node).layers[0].size, 100u << 10);
	/* discovery */
	ck_assert_uint_eq(al_oci_find_attached(o, &idx, AL_OCI_ROLE_SIGS, out, 4), 1);
	ck_assert(al_oci_digest_eq(out[0]->digest, &o->refs[1].desc.digest));
	/* the signature layer, read again with all of its annotations */
	{
		al_oci_blobs b = tb(o, out[0]);

		ck_assert_uint_eq(b.n_layers, 1);
		ck_assert_str_eq(b.layers[0].media_type, MT_SS);
		ck_assert(b.layers[0].present);
		ck_assert_uint_eq(b.layers[0].n_annotations, 2);
		ck_assert_str_eq(al_oci_annotation(b.layers[0].annotations, 2, "dev.cosignproject.cosign/signature"),
				 "MEUCIQ==");
		ck_assert_str_eq(al_oci_annotation(b.layers[0].annotations, 2, "dev.sigstore.cosign/bundle"),
				 "{\"SignedEntryTimestamp\":\"" LONG_SET "\"}");
		ck_assert_str_eq(b.config->media_type, MT_CFG);
		ck_assert(b.config->present);
		ck_assert_str_eq(out[0]->config_media_type, MT_CFG);
	}
	ck_assert_uint_eq(al_oci_find_attached(o, &idx, AL_OCI_ROLE_ATTS, out, 4), 0);
	ck_assert_uint_eq(al_oci_find_referrers(o, &idx, MT_BUNDLE, out, 4), 1);
	ck_assert_ptr_eq(out[0]->subject->node, n);
	ck_assert_uint_eq(al_oci_find_referrers(o, &idx, "application/other", out, 4), 0);
	/* the unreferenced blob */
	ck_assert_uint_eq(o->n_extra, 1);
	ck_assert_uint_eq(o->extra[0].size, strlen("an unreferenced blob"));
	ck_assert_uint_eq(o->n_missing, 0);
}

START_TEST(layout_dir_model)
{
	fixture f;
	al_oci *o;
	al_buf b = { 0 };

	make_fixture(&f);
	ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
	check_fixture_model(&f, o);
	ck_assert(!o->archive);
	/* blob reads for verify/ */
	ck_assert_rc(al_oci_blob_read(o, &(al_oci_digest){ 0 }, 10, &b, &err), AL_E_BUNDLE_BLOB, &err);
	ck_assert_ok(al_oci_blob_read(o, o->nodes[0]->digest, AL_MAX_PAYLOAD, &b, &err), &err);
	ck_assert_uint_eq(b.n, o->nodes[0]->bytes);
	{
		al_oci_digest got;

		/* the model keeps no bytes: these were read and proven again */
		al_oci_digest_of(o->nodes[0]->digest->alg, al_buf_bytes(&b), &got);
		ck_assert(al_oci_digest_eq(&got, o->nodes[0]->digest));
	}
	{
		al_oci_digest pd = dg(f.ss_payload);

		ck_assert_ok(al_oci_blob_read(o, &pd, AL_MAX_PAYLOAD, &b, &err), &err);
		ck_assert_ptr_nonnull(strstr((const char *)b.p, "docker-manifest-digest"));
		/* twin: more than the caller accepts */
		ck_assert_rc(al_oci_blob_read(o, &pd, 10, &b, &err), AL_E_BUNDLE_BLOB, &err);
	}
	{
		/* twin: the signature manifest changed after the model was built;
		 * its layers, read again, are refused, not taken */
		al_oci_digest sd = dg(f.sig_manifest);
		const al_oci_node *sn = al_oci_node_get(o, &sd);
		al_arena a = { 0 };
		al_oci_blobs bl;
		char rel[1024];
		al_buf m;
		char *at;

		ck_assert_ptr_nonnull(sn);
		snprintf(rel, sizeof(rel), "blobs/sha256/%s", f.sig_manifest + 7);
		m = get_file(f.dir, rel);
		ck_assert_ptr_nonnull(at = strstr((char *)m.p, "MEUCIQ=="));
		at[0] = 'N'; /* another signature, the same length */
		put_file(f.dir, rel, m.p, m.n);
		al_buf_free(&m);
		ck_assert_rc(al_oci_node_blobs(o, sn, &a, &bl, &err), AL_E_BUNDLE_BLOB, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "digest mismatch"));
		/* and says what it means, and what to do */
		ck_assert_ptr_nonnull(strstr(err.msg, "changed after it was proven"));
		/* and which file */
		ck_assert_ptr_nonnull(strstr(err.msg, rel));
		ck_assert_ptr_nonnull(strstr(err.msg, "verify a read-only copy"));
		ck_assert_ptr_null(bl.layers);
		ck_assert_ptr_null(bl.config);
		ck_assert_uint_eq(bl.n_layers, 0);
		al_arena_free(&a);
	}
	al_buf_free(&b);
	al_oci_free(o);
	free_fixture(&f);
}
END_TEST

START_TEST(layout_archives_same_model)
{
	static const char *filters[] = { "none", "gz", "zst", "xz" };
	fixture f;
	al_oci *o;
	char *want, *out = tmpdir();

	make_fixture(&f);
	ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
	want = describe(o);
	al_oci_free(o);
	for (size_t i = 0; i < AL_ARRAY_LEN(filters); i++) {
		for (int pfx = 0; pfx < 2; pfx++) {
			char name[64];
			char *path, *got;
			al_buf b = { 0 };

			snprintf(name, sizeof(name), "layout-%d.tar.%s", pfx, filters[i]);
			path = tar_of(f.dir, out, name, filters[i], pfx ? "./" : "");
			ck_assert_ok(al_oci_open(path, 0, 0, &o, &err), &err);
			ck_assert(o->archive);
			ck_assert_str_eq(o->compression, i == 0 ? "none" : i == 1 ? "gzip" : i == 2 ? "zstd" : "xz");
			got = describe(o);
			ck_assert_msg(strcmp(got, want) == 0, "%s:\n%s\n---- directory:\n%s", name, got, want);
			check_fixture_model(&f, o);
			/* small JSON blobs are kept; the 100 KiB binary layer is not */
			{
				al_oci_digest pd = dg(f.ss_payload), big = dg(f.big_layer);

				ck_assert_ok(al_oci_blob_read(o, &pd, AL_MAX_PAYLOAD, &b, &err), &err);
				ck_assert_rc(al_oci_blob_read(o, &big, AL_MAX_PAYLOAD, &b, &err), AL_E_BUNDLE_BLOB, &err);
				ck_assert_ptr_nonnull(strstr(err.msg, "not kept"));
			}
			al_buf_free(&b);
			free(got);
			free(path);
			al_oci_free(o);
		}
	}
	/* in memory, as the fuzzer reads it */
	{
		char *path = tar_of(f.dir, out, "mem.tar", "none", "");
		al_buf b = al_test_read(path);
		char *got;

		ck_assert_ok(al_oci_open_mem(al_buf_bytes(&b), 0, 0, &o, &err), &err);
		got = describe(o);
		ck_assert_str_eq(got, want);
		free(got);
		al_oci_free(o);
		al_buf_free(&b);
		free(path);
	}
	free(want);
	rmtree(out);
	free(out);
	free_fixture(&f);
}
END_TEST

/* ---------------------------------------------------------------- graph twins */

/* Opens dir and its tar; both must fail with code and a message naming what. */
static void
expect_both(const char *dir, al_rc code, const char *needle, unsigned flags)
{
	char *out = tmpdir();
	char *path = tar_of(dir, out, "twin.tar.gz", "gz", "./");
	al_oci *o = NULL;

	ck_assert_rc(al_oci_open(dir, flags, 0, &o, &err), code, &err);
	ck_assert_ptr_null(o);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "dir: \"%s\" not in: %s", needle, err.msg);
	ck_assert_rc(al_oci_open(path, flags, 0, &o, &err), code, &err);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "tar: \"%s\" not in: %s", needle, err.msg);
	free(path);
	rmtree(out);
	free(out);
}

START_TEST(twin_layer_byte_changed)
{
	fixture f;
	char rel[1024];
	al_buf b;

	make_fixture(&f);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", f.big_layer + 7);
	b = get_file(f.dir, rel);
	b.p[5000] ^= 1;
	put_file(f.dir, rel, b.p, b.n);
	al_buf_free(&b);
	{
		/* the whole way to it, through the nested index, though the walk
		 * kept no text for it (made again from the nodes' links) */
		char want[600];

		snprintf(want, sizeof(want), "(index.json manifests[0] (%s) > manifests[0] (%s) > layers[0] (%s)): digest "
			 "mismatch", f.image_index, f.amd64, f.big_layer);
		expect_both(f.dir, AL_E_BUNDLE_BLOB, want, 0);
	}
	/* one thread or two: the same first error */
	ck_assert_rc(al_oci_open(f.dir, AL_OCI_NO_THREADS, 0, &(al_oci *){ NULL }, &err), AL_E_BUNDLE_BLOB, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, f.big_layer + 7));
	free_fixture(&f);
}
END_TEST

START_TEST(twin_manifest_byte_changed)
{
	fixture f;
	char rel[1024];
	al_buf b;

	make_fixture(&f);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", f.arm64 + 7);
	b = get_file(f.dir, rel);
	b.p[b.n - 3] = ' ';
	put_file(f.dir, rel, b.p, b.n);
	al_buf_free(&b);
	expect_both(f.dir, AL_E_BUNDLE_BLOB, "digest mismatch", 0);
	ck_assert_ptr_nonnull(strstr(err.msg, f.arm64 + 7));
	free_fixture(&f);
}
END_TEST

START_TEST(twin_missing_blob)
{
	fixture f;
	char path[4096];
	al_oci *o;

	make_fixture(&f);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", f.dir, f.small_layer + 7);
	ck_assert_int_eq(unlink(path), 0);
	expect_both(f.dir, AL_E_BUNDLE_BLOB, "is missing", 0);
	ck_assert_ptr_nonnull(strstr(err.msg, f.small_layer));
	/* listed, not fatal, when asked */
	ck_assert_ok(al_oci_open(f.dir, AL_OCI_ALLOW_MISSING, 0, &o, &err), &err);
	ck_assert_uint_eq(o->n_missing, 1);
	ck_assert_ptr_nonnull(strstr(o->missing[0].where, "layers[1]"));
	ck_assert(!tb(o, o->nodes[1]).layers[1].present);
	al_oci_free(o);
	free_fixture(&f);
}
END_TEST

START_TEST(twin_size_mismatch)
{
	fixture f;
	char rel[1024];
	al_buf b;

	make_fixture(&f);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", f.small_layer + 7);
	b = get_file(f.dir, rel);
	ck_assert_ok(al_buf_append(&b, "x", 1, &err), &err);
	put_file(f.dir, rel, b.p, b.n);
	al_buf_free(&b);
	expect_both(f.dir, AL_E_BUNDLE_BLOB, "size mismatch", 0);
	ck_assert_ptr_nonnull(strstr(err.msg, f.small_layer + 7));
	free_fixture(&f);
}
END_TEST

START_TEST(twin_index_json)
{
	fixture f;
	char *big = malloc(AL_MAX_JSON_STREAM_DOC + 64);
	char *w;

	make_fixture(&f);
	/* oversize: index.json has a bound of its own (read an element at a time) */
	memset(big, ' ', AL_MAX_JSON_STREAM_DOC + 63);
	memcpy(big, "{\"schemaVersion\":2,\"manifests\":[]}", 34);
	big[AL_MAX_JSON_STREAM_DOC + 63] = '\0';
	put_str(f.dir, "index.json", big);
	expect_both(f.dir, AL_E_LIMIT, "index.json", 0);
	free(big);
	/* malformed */
	put_str(f.dir, "index.json", "{\"schemaVersion\":2,\"manifests\":[}");
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "index.json", 0);
	/* duplicate key */
	put_str(f.dir, "index.json", "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}");
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "duplicate key", 0);
	/* schemaVersion */
	put_str(f.dir, "index.json", "{\"schemaVersion\":1,\"manifests\":[]}");
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "schemaVersion", 0);
	/* unknown digest algorithm */
	ck_assert_int_ge(asprintf(&w, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":"
				  "\"sha384:%s\",\"size\":1}]}", MT_MAN, f.arm64 + 7), 0);
	put_str(f.dir, "index.json", w);
	free(w);
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "unsupported algorithm", 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "manifests[0].digest"));
	/* uppercase hex */
	ck_assert_int_ge(asprintf(&w, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":"
				  "\"sha256:%.63sA\",\"size\":1}]}", MT_MAN, f.arm64 + 7), 0);
	put_str(f.dir, "index.json", w);
	free(w);
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "lowercase", 0);
	/* size as a string */
	ck_assert_int_ge(asprintf(&w, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":"
				  "\"%s\",\"size\":\"12\"}]}", MT_MAN, f.arm64), 0);
	put_str(f.dir, "index.json", w);
	free(w);
	expect_both(f.dir, AL_E_JSON, "size: not a number", 0);
	/* no index.json but an oci-layout */
	{
		char p[1024];

		snprintf(p, sizeof(p), "%s/index.json", f.dir);
		unlink(p);
		expect_both(f.dir, AL_E_BUNDLE_FORMAT, "index.json: missing", 0);
	}
	free_fixture(&f);
}
END_TEST

START_TEST(twin_oci_layout_file)
{
	fixture f;

	make_fixture(&f);
	put_str(f.dir, "oci-layout", "{\"imageLayoutVersion\":\"2.0.0\"}");
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "imageLayoutVersion", 0);
	free_fixture(&f);
}
END_TEST

/* A chain of nested indexes one deeper than AL_MAX_INDEX_DEPTH allows. */
START_TEST(twin_index_depth)
{
	fixture f;
	char digest[80], *doc;
	size_t size;

	for (int depth = AL_MAX_INDEX_DEPTH; depth <= AL_MAX_INDEX_DEPTH + 1; depth++) {
		al_oci *o;

		make_fixture(&f);
		snprintf(digest, sizeof(digest), "%s", f.image_index);
		size = f.index_size;
		/* the image index is level 1; wrap it until there are `depth` levels */
		for (int i = 1; i < depth; i++) {
			char *d = desc_json(MT_IDX, digest, size, NULL);

			ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s]}",
						  MT_IDX, d), 0);
			snprintf(digest, sizeof(digest), "%s", put_blob_str(f.dir, doc));
			size = strlen(doc);
			free(doc);
			free(d);
		}
		{
			char *d = desc_json(MT_IDX, digest, size, NULL);

			ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
			put_str(f.dir, "index.json", doc);
			free(doc);
			free(d);
		}
		if (depth == AL_MAX_INDEX_DEPTH) {
			ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
			al_oci_free(o);
		} else {
			expect_both(f.dir, AL_E_BUNDLE_FORMAT, "nested deeper", 0);
		}
		free_fixture(&f);
	}
}
END_TEST

START_TEST(twin_ambiguous_and_mismatched_documents)
{
	fixture f;
	char *doc, *d;
	const char *dd;

	/* a manifest that also has "manifests" (CVE-2021-41190) */
	make_fixture(&f);
	dd = put_blob_str(f.dir, "{}");
	d = desc_json(MT_CFG, dd, 2, NULL);
	ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"config\":%s,\"layers\":[],\"manifests\":[]}", d), 0);
	free(d);
	dd = put_blob_str(f.dir, doc);
	d = desc_json(MT_MAN, dd, strlen(doc), NULL);
	free(doc);
	ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(f.dir, "index.json", doc);
	free(doc);
	free(d);
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "ambiguous", 0);
	free_fixture(&f);

	/* descriptor says index, document says manifest */
	make_fixture(&f);
	d = desc_json(MT_IDX, f.amd64, blob_size(f.dir, f.amd64), NULL);
	ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(f.dir, "index.json", doc);
	free(doc);
	free(d);
	expect_both(f.dir, AL_E_BUNDLE_FORMAT, "differs from its descriptor", 0);
	free_fixture(&f);
}
END_TEST

START_TEST(twin_symlink_in_layout_dir)
{
	fixture f;
	char path[4096];

	make_fixture(&f);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", f.dir, f.small_layer + 7);
	unlink(path);
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	expect_both(f.dir, AL_E_BUNDLE_UNSAFE, "symbolic link", 0);
	ck_assert_ptr_nonnull(strstr(err.msg, f.small_layer + 7));
	free_fixture(&f);
}
END_TEST

/* ---------------------------------------------------------------- unsafe archive entries */

static void
unsafe_twin(const char *label, void (*add)(struct archive *a), const char *needle)
{
	fixture f;
	char *out = tmpdir(), path[1024];
	struct archive *a;
	al_oci *o = NULL;

	make_fixture(&f);
	snprintf(path, sizeof(path), "%s/unsafe.tar", out);
	a = arch_begin(path, "none");
	arch_tree(a, f.dir, "", "", false);
	add(a);
	arch_end(a);
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "%s: \"%s\" not in: %s", label, needle, err.msg);
	ck_assert_ptr_null(o);
	rmtree(out);
	free(out);
	free_fixture(&f);
}

static void add_dotdot(struct archive *a) { arch_file(a, "blobs/../../x", "x", 1); }
static void add_dotdot_lead(struct archive *a) { arch_file(a, "../x", "x", 1); }
static void add_abs(struct archive *a) { arch_file(a, "/abs", "x", 1); }
static void add_symlink(struct archive *a) { arch_entry(a, "blobs/sha256/link", AE_IFLNK, NULL, 0, "/etc/passwd", false); }
static void add_hardlink(struct archive *a) { arch_entry(a, "blobs/sha256/hard", AE_IFREG, NULL, 0, "index.json", true); }
static void add_chardev(struct archive *a) { arch_entry(a, "dev", AE_IFCHR, NULL, 0, NULL, false); }
static void add_fifo(struct archive *a) { arch_entry(a, "fifo", AE_IFIFO, NULL, 0, NULL, false); }
static void add_dup(struct archive *a) { arch_file(a, "./index.json", "{}", 2); }
static void add_ctrl(struct archive *a) { arch_file(a, "a\nb", "x", 1); }
static void add_empty_comp(struct archive *a) { arch_file(a, "blobs//x", "x", 1); }

START_TEST(twin_archive_dotdot) { unsafe_twin("..", add_dotdot, "escapes the bundle"); unsafe_twin("../x", add_dotdot_lead, "../x"); }
END_TEST
START_TEST(twin_archive_absolute) { unsafe_twin("/abs", add_abs, "/abs: absolute path"); }
END_TEST
START_TEST(twin_archive_symlink) { unsafe_twin("symlink", add_symlink, "blobs/sha256/link: symbolic link"); }
END_TEST
START_TEST(twin_archive_hardlink) { unsafe_twin("hardlink", add_hardlink, "blobs/sha256/hard: hard link"); }
END_TEST
START_TEST(twin_archive_device) { unsafe_twin("chardev", add_chardev, "dev: character device"); unsafe_twin("fifo", add_fifo, "fifo: FIFO"); }
END_TEST
START_TEST(twin_archive_duplicate) { unsafe_twin("dup", add_dup, "index.json: duplicate entry"); }
END_TEST
START_TEST(twin_archive_odd_paths) { unsafe_twin("ctrl", add_ctrl, "control character"); unsafe_twin("//", add_empty_comp, "empty path component"); }
END_TEST

START_TEST(twin_not_an_archive)
{
	char *out = tmpdir(), path[1024];
	al_oci *o;

	snprintf(path, sizeof(path), "%s/garbage.bin", out);
	put_str(out, "garbage.bin", "this is not a tar archive at all, just some text that is long enough..");
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a directory, nor a tar archive"));
	snprintf(path, sizeof(path), "%s/absent.tar", out);
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_IO, &err);
	/* an empty directory is not a bundle */
	ck_assert_rc(al_oci_open(out, 0, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an image bundle"));
	rmtree(out);
	free(out);
}
END_TEST

/* A truncated compressed archive fails cleanly. */
START_TEST(twin_truncated_archive)
{
	fixture f;
	char *out = tmpdir(), *path;
	al_buf b;
	al_oci *o;

	make_fixture(&f);
	path = tar_of(f.dir, out, "t.tar.zst", "zst", "");
	b = al_test_read(path);
	ck_assert_rc(al_oci_open_mem(al_bytes_of(b.p, b.n / 2), 0, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
	al_buf_free(&b);
	free(path);
	rmtree(out);
	free(out);
	free_fixture(&f);
}
END_TEST

/* ---------------------------------------------------------------- orphans, cosign kinds, sha512 */

START_TEST(orphan_referrer_is_adopted)
{
	fixture f;
	char *doc, *c, *l, *s, *top;
	const char *rd, *emptyd;
	al_oci *o;
	const al_oci_node *out[4];
	al_oci_digest idx;

	make_fixture(&f);
	idx = dg(f.image_index);
	emptyd = put_blob_str(f.dir, "{}");
	c = desc_json("application/vnd.oci.empty.v1+json", emptyd, 2, NULL);
	l = desc_json("application/vnd.dsse.envelope.v1+json", f.bundle_blob, blob_size(f.dir, f.bundle_blob), NULL);
	s = desc_json(MT_IDX, f.image_index, f.index_size, NULL);
	ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"application/x-att\","
				  "\"config\":%s,\"layers\":[%s],\"subject\":%s}", MT_MAN, c, l, s), 0);
	rd = put_blob_str(f.dir, doc);
	/* only the image is listed: the referrer is an orphan blob */
	top = desc_json(MT_IDX, f.image_index, f.index_size, NULL);
	free(doc);
	ck_assert_int_ge(asprintf(&doc, "{\"schemaVersion\":2,\"manifests\":[%s]}", top), 0);
	put_str(f.dir, "index.json", doc);
	ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
	ck_assert_uint_eq(al_oci_find_referrers(o, &idx, "application/x-att", out, 4), 1);
	ck_assert(out[0]->orphan);
	{
		al_oci_digest rdd = dg(rd);

		ck_assert(al_oci_digest_eq(out[0]->digest, &rdd));
	}
	ck_assert(tb(o, out[0]).layers[0].present);
	al_oci_free(o);
	free(doc);
	free(c);
	free(l);
	free(s);
	free(top);
	free_fixture(&f);
}
END_TEST

START_TEST(cosign_kind_annotations)
{
	fixture f;
	char *i0, *i1, *top;
	al_oci *o;
	const al_oci_node *out[2];
	al_oci_digest idx;

	make_fixture(&f);
	idx = dg(f.image_index);
	i0 = desc_json(MT_IDX, f.image_index, f.index_size, "\"annotations\":{\"kind\":\"dev.cosignproject.cosign/imageIndex\"}");
	i1 = desc_json(MT_MAN, f.sig_manifest, blob_size(f.dir, f.sig_manifest),
		       "\"annotations\":{\"kind\":\"dev.cosignproject.cosign/sigs\"}");
	ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s,%s]}", MT_IDX,
				  i0, i1), 0);
	put_str(f.dir, "index.json", top);
	ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
	ck_assert_int_eq(o->refs[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_int_eq(o->refs[1].role, AL_OCI_ROLE_SIGS);
	ck_assert_uint_eq(al_oci_find_attached(o, &idx, AL_OCI_ROLE_SIGS, out, 2), 1);
	ck_assert_uint_eq(al_oci_find_attached(o, &idx, AL_OCI_ROLE_ATTS, out, 2), 0);
	al_oci_free(o);
	free(i0);
	free(i1);
	free(top);
	free_fixture(&f);
}
END_TEST

START_TEST(sha512_blobs)
{
	char *dir = tmpdir(), *top, *m, *d;
	const char *cfg = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
	al_oci_digest cd, md;
	char cs[AL_OCI_DIGEST_STR_MAX], ms[AL_OCI_DIGEST_STR_MAX], rel[256];
	al_oci *o;

	put_str(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	al_oci_digest_of(AL_HASH_SHA512, al_bytes_str(cfg), &cd);
	al_oci_digest_str(&cd, cs);
	snprintf(rel, sizeof(rel), "blobs/sha512/%s", cs + 7);
	put_str(dir, rel, cfg);
	d = desc_json(MT_CFG, cs, strlen(cfg), NULL);
	ck_assert_int_ge(asprintf(&m, "{\"schemaVersion\":2,\"config\":%s,\"layers\":[]}", d), 0);
	free(d);
	al_oci_digest_of(AL_HASH_SHA512, al_bytes_str(m), &md);
	al_oci_digest_str(&md, ms);
	snprintf(rel, sizeof(rel), "blobs/sha512/%s", ms + 7);
	put_str(dir, rel, m);
	d = desc_json(MT_MAN, ms, strlen(m), NULL);
	ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(dir, "index.json", top);
	ck_assert_ok(al_oci_open(dir, 0, 0, &o, &err), &err);
	ck_assert_int_eq(o->nodes[0]->digest->alg, AL_HASH_SHA512);
	ck_assert(tb(o, o->nodes[0]).config->present);
	al_oci_free(o);
	{
		char *out = tmpdir(), *p = tar_of(dir, out, "x.tar.xz", "xz", "");

		ck_assert_ok(al_oci_open(p, 0, 0, &o, &err), &err);
		al_oci_free(o);
		free(p);
		rmtree(out);
		free(out);
	}
	/* twin: the sha512 config changed */
	snprintf(rel, sizeof(rel), "blobs/sha512/%s", cs + 7);
	put_str(dir, rel, "{\"architecture\":\"arm64\",\"os\":\"linux\"}");
	expect_both(dir, AL_E_BUNDLE_BLOB, "digest mismatch", 0);
	free(d);
	free(m);
	free(top);
	rmtree(dir);
	free(dir);
}
END_TEST

/* Enough bytes that two threads hash them; the model and errors do not change. */
START_TEST(threads_same_result)
{
	char *dir = tmpdir(), *top, *m, *ls = NULL;
	const char *cfgd;
	al_oci *o1, *o2;
	char *a, *b;
	size_t nlayers = 6, sz = 3u << 20;
	uint8_t *blob = malloc(sz);
	char layer_digests[6][80];

	put_str(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	cfgd = put_blob_str(dir, "{}");
	for (size_t i = 0; i < nlayers; i++) {
		char *d, *n;

		memset(blob, (int)(0x40 + i), sz);
		snprintf(layer_digests[i], sizeof(layer_digests[i]), "%s", put_blob(dir, blob, sz));
		d = desc_json(MT_GZ, layer_digests[i], sz, NULL);
		ck_assert_int_ge(asprintf(&n, "%s%s%s", ls ? ls : "", ls ? "," : "", d), 0);
		free(ls);
		free(d);
		ls = n;
	}
	{
		char *c = desc_json(MT_CFG, cfgd, 2, NULL), *d;

		ck_assert_int_ge(asprintf(&m, "{\"schemaVersion\":2,\"config\":%s,\"layers\":[%s]}", c, ls), 0);
		d = desc_json(MT_MAN, put_blob_str(dir, m), strlen(m), NULL);
		ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
		put_str(dir, "index.json", top);
		free(c);
		free(d);
	}
	ck_assert_ok(al_oci_open(dir, 0, 0, &o1, &err), &err);
	ck_assert_ok(al_oci_open(dir, AL_OCI_NO_THREADS, 0, &o2, &err), &err);
	a = describe(o1);
	b = describe(o2);
	ck_assert_str_eq(a, b);
	ck_assert_uint_ge(o1->bytes_hashed, nlayers * sz);
	ck_assert_uint_eq(o1->bytes_hashed, o2->bytes_hashed);
	al_oci_free(o1);
	al_oci_free(o2);
	free(a);
	free(b);
	/* twin: the last two layers changed: the error names the first of them, always */
	for (size_t i = 4; i < 6; i++) {
		char rel[1024];

		memset(blob, (int)(0x40 + i), sz);
		blob[sz - 1] ^= 0xff;
		snprintf(rel, sizeof(rel), "blobs/sha256/%s", layer_digests[i] + 7);
		put_file(dir, rel, blob, sz);
	}
	for (int k = 0; k < 4; k++) {
		ck_assert_rc(al_oci_open(dir, 0, 0, &o1, &err), AL_E_BUNDLE_BLOB, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, layer_digests[4] + 7));
	}
	free(blob);
	free(ls);
	free(m);
	free(top);
	rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ docker-archive */

/* RepoTags of the fixture's image: example.com/app:v1, :v2, ... */
static unsigned fixture_tags = 1;

static void
docker_fixture(const char *path, bool tamper_layer, bool bad_link, bool escape_link)
{
	struct archive *a = arch_begin(path, "none");
	const char *layer = "pretend this is an uncompressed layer tar";
	al_oci_digest ld, cd;
	char ls[AL_OCI_DIGEST_STR_MAX], cs[AL_OCI_DIGEST_STR_MAX], *cfg, *man, name[512];

	al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(layer), &ld);
	al_oci_digest_str(&ld, ls);
	ck_assert_int_ge(asprintf(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
				  "\"diff_ids\":[\"%s\",\"%s\"]}}", ls, ls), 0);
	al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(cfg), &cd);
	al_oci_digest_str(&cd, cs);
	/* the layer is repeated: docker save links the second copy to the first */
	{
		al_buf tags = { 0 };

		for (unsigned i = 1; i <= fixture_tags; i++)
			ck_assert_ok(al_buf_appendf(&tags, &err, "%s\"example.com/app:v%u\"", i > 1 ? "," : "", i), &err);
		ck_assert_int_ge(asprintf(&man, "[{\"Config\":\"%s.json\",\"RepoTags\":[%s],"
					  "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]}]", cs + 7,
					  tags.p ? (const char *)tags.p : ""), 0);
		al_buf_free(&tags);
	}
	arch_file(a, "bbb/VERSION", "1.0", 3);
	arch_entry(a, "bbb/layer.tar", AE_IFLNK, NULL, 0,
		   escape_link ? "../../aaa/layer.tar" : bad_link ? "../aaa/nothing" : "../aaa/layer.tar", false);
	arch_file(a, "aaa/layer.tar", tamper_layer ? "Pretend this is an uncompressed layer tar" : layer, strlen(layer));
	arch_file(a, "aaa/json", "{}", 2);
	snprintf(name, sizeof(name), "%s.json", cs + 7);
	arch_file(a, name, cfg, strlen(cfg));
	arch_file(a, "manifest.json", man, strlen(man));
	arch_file(a, "repositories", "{}", 2);
	arch_end(a);
	free(cfg);
	free(man);
}

/* AL_MAX_REPO_TAGS tags on one image are read; one more is refused,
 * naming the entry and the limit. */
START_TEST(docker_repo_tags_limit)
{
	char *out = tmpdir(), path[1024], want[128];
	al_oci *o = NULL;

	snprintf(path, sizeof(path), "%s/docker.tar", out);
	fixture_tags = AL_MAX_REPO_TAGS;
	docker_fixture(path, false, false, false);
	ck_assert_ok(al_oci_open(path, 0, 0, &o, &err), &err);
	ck_assert_uint_eq(o->refs[0].n_repo_tags, AL_MAX_REPO_TAGS);
	snprintf(want, sizeof(want), "example.com/app:v%d", AL_MAX_REPO_TAGS);
	ck_assert_str_eq(o->refs[0].repo_tags[AL_MAX_REPO_TAGS - 1], want);
	al_oci_free(o);
	o = NULL;
	fixture_tags = AL_MAX_REPO_TAGS + 1;
	docker_fixture(path, false, false, false);
	fixture_tags = 1;
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_LIMIT, &err);
	ck_assert_ptr_null(o);
	snprintf(want, sizeof(want), "manifest.json[0].RepoTags: %d tags, more than the limit of %d",
		 AL_MAX_REPO_TAGS + 1, AL_MAX_REPO_TAGS);
	ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
	rmtree(out);
	free(out);
}
END_TEST

START_TEST(docker_archive_legacy)
{
	char *out = tmpdir(), path[1024];
	al_oci *o;

	snprintf(path, sizeof(path), "%s/docker.tar", out);
	docker_fixture(path, false, false, false);
	ck_assert_ok(al_oci_open(path, 0, 0, &o, &err), &err);
	ck_assert_int_eq(o->format, AL_OCI_FMT_DOCKER_ARCHIVE);
	ck_assert_uint_eq(o->n_refs, 1);
	ck_assert_uint_eq(o->refs[0].n_repo_tags, 1);
	ck_assert_str_eq(o->refs[0].repo_tags[0], "example.com/app:v1");
	ck_assert_int_eq(o->nodes[0]->kind, AL_OCI_NODE_DOCKER);
	ck_assert_uint_eq(o->nodes[0]->n_layers, 2);
	ck_assert(tb(o, o->nodes[0]).layers[1].present);
	ck_assert_uint_eq(o->n_extra, 0);
	al_oci_free(o);
	/* twins */
	docker_fixture(path, true, false, false);
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_BUNDLE_BLOB, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "aaa/layer.tar"));
	ck_assert_ptr_nonnull(strstr(err.msg, "digest mismatch"));
	docker_fixture(path, false, true, false);
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "bbb/layer.tar"));
	docker_fixture(path, false, false, true);
	ck_assert_rc(al_oci_open(path, 0, 0, &o, &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "escapes the bundle"));
	rmtree(out);
	free(out);
}
END_TEST

/* ================================================================ containers/image dir: */

static const char *csig_body =
	"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"aGVsbG8=\","
	"\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQ==\"}}";

static al_buf
csig_file(const char *format, const char *body)
{
	al_buf b = { 0 };

	ck_assert_ok(al_buf_append(&b, "\0", 1, &err), &err);
	ck_assert_ok(al_buf_appendf(&b, &err, "%s\n%s", format, body), &err);
	return b;
}

START_TEST(csig_parse_and_twins)
{
	al_oci_csig s;
	al_buf b = csig_file("sigstore-json", csig_body);

	ck_assert_ok(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), &err);
	ck_assert_int_eq(s.format, AL_OCI_CSIG_SIGSTORE);
	ck_assert_str_eq((const char *)s.mime_type.p, "application/vnd.dev.cosign.simplesigning.v1+json");
	ck_assert(al_bytes_eq_str(al_buf_bytes(&s.payload), "hello"));
	ck_assert_uint_eq(s.n_annotations, 1);
	ck_assert_str_eq(al_oci_annotation(s.annotations, s.n_annotations, "dev.cosignproject.cosign/signature"),
			 "MEUCIQ==");
	ck_assert_uint_eq(s.raw.n, b.n);
	al_oci_csig_free(&s);
	al_buf_free(&b);
	/* legacy GPG: kept raw */
	ck_assert_ok(al_oci_csig_parse(al_bytes_str("\x89\x01\x02 gpg"), &s, &err), &err);
	ck_assert_int_eq(s.format, AL_OCI_CSIG_SIMPLE_SIGNING);
	al_oci_csig_free(&s);
	/* twins */
	b = csig_file("sigstore-xml", csig_body);
	ck_assert_rc(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown format"));
	al_buf_free(&b);
	b = csig_file("sigstore-json", "{\"mimeType\":\"x\",\"payload\":\"aGVsbG8\"}");
	ck_assert_rc(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "payload"));
	al_buf_free(&b);
	b = csig_file("sigstore-json", "{\"mimeType\":\"x\",\"payload\":\"aGVsbG8=\",\"extra\":1}");
	ck_assert_rc(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "extra"));
	al_buf_free(&b);
	b = csig_file("sigstore-json", "{\"mimeType\":\"x\",\"payload\":\"aGVsbG8=\",\"annotations\":{\"a\":1}}");
	ck_assert_rc(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "annotations.a"));
	al_buf_free(&b);
	b = csig_file("sigstore-json", "{\"payload\":\"aGVsbG8=\"}");
	ck_assert_rc(al_oci_csig_parse(al_buf_bytes(&b), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "mimeType"));
	al_buf_free(&b);
	ck_assert_rc(al_oci_csig_parse(al_bytes_of("\0sigstore-json", 14), &s, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_oci_csig_parse(al_bytes_of("", 0), &s, &err), AL_E_BUNDLE_FORMAT, &err);
}
END_TEST

START_TEST(containers_dir_synthetic)
{
	char *dir = tmpdir(), *m, *c;
	const char *cfg = "{\"os\":\"linux\"}";
	al_oci_digest cd;
	char cs[AL_OCI_DIGEST_STR_MAX];
	al_buf s1 = csig_file("sigstore-json", csig_body);
	al_oci *o;

	al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(cfg), &cd);
	al_oci_digest_str(&cd, cs);
	put_str(dir, cs + 7, cfg);
	c = desc_json("application/vnd.docker.container.image.v1+json", cs, strlen(cfg), NULL);
	ck_assert_int_ge(asprintf(&m, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
				  "\"config\":%s,\"layers\":[]}", c), 0);
	put_str(dir, "manifest.json", m);
	put_str(dir, "version", "Directory Transport Version: 1.1\n");
	put_file(dir, "signature-1", s1.p, s1.n);
	put_file(dir, "signature-2", s1.p, s1.n);
	put_file(dir, "signature-4", s1.p, s1.n); /* not contiguous: not read */
	ck_assert_ok(al_oci_open(dir, 0, 0, &o, &err), &err);
	ck_assert_int_eq(o->format, AL_OCI_FMT_CONTAINERS_DIR);
	ck_assert_uint_eq(o->nodes[0]->n_csigs, 2);
	ck_assert_str_eq(o->nodes[0]->csigs[1].file, "signature-2");
	ck_assert(tb(o, o->nodes[0]).config->present);
	ck_assert_uint_eq(o->n_extra, 1);
	ck_assert_str_eq(o->extra[0].path, "signature-4");
	{
		al_oci_digest md;

		al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(m), &md);
		ck_assert(al_oci_digest_eq(&o->refs[0].desc.digest, &md));
	}
	al_oci_free(o);
	/* twins: a changed config blob; a malformed signature file names it */
	put_str(dir, cs + 7, "{\"os\":\"linuX\"}");
	expect_both(dir, AL_E_BUNDLE_BLOB, "digest mismatch", 0);
	put_str(dir, cs + 7, cfg);
	put_file(dir, "signature-2", "\0bogus\n{}", 9);
	expect_both(dir, AL_E_BUNDLE_FORMAT, "signature-2", 0);
	free(m);
	free(c);
	al_buf_free(&s1);
	rmtree(dir);
	free(dir);
}
END_TEST

/* The containers/image fixtures keep upstream symlinks as files holding the
 * link text; materialise them in a temporary copy. */
static char *
materialise_fixture(const char *name)
{
	char *dir = tmpdir(), src[1024];
	DIR *d;
	struct dirent *de;

	snprintf(src, sizeof(src), "%s", al_test_shared_path("vectors/containers__image/signature/fixtures"));
	{
		char sd[1100];

		snprintf(sd, sizeof(sd), "%s/%s", src, name);
		d = opendir(sd);
		ck_assert_ptr_nonnull(d);
		while ((de = readdir(d)) != NULL) {
			char p[1400];
			al_buf b;

			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", sd, de->d_name);
			b = al_test_read(p);
			if (b.n > 3 && b.n < 200 && memcmp(b.p, "../", 3) == 0) {
				char q[1400];

				snprintf(q, sizeof(q), "%s/%.*s", sd, (int)b.n, (const char *)b.p);
				al_buf_free(&b);
				b = al_test_read(q);
			}
			put_file(dir, de->d_name, b.p, b.n);
			al_buf_free(&b);
		}
		closedir(d);
	}
	return dir;
}

START_TEST(shared_containers_image_fixtures)
{
	static const struct {
		const char *name;
		size_t sigs;
	} ok[] = {
		{ "dir-img-cosign-valid", 1 },
		{ "dir-img-cosign-valid-2", 2 },
		{ "dir-img-cosign-valid-with-tag", 1 },
		{ "dir-img-cosign-key-rekor-valid", 1 },
		{ "dir-img-cosign-fulcio-rekor-valid", 1 },
		{ "dir-img-cosign-pki-valid", 1 },
		{ "dir-img-cosign-mixed", 2 },
		{ "dir-img-cosign-modified-manifest", 1 },
		{ "dir-img-cosign-other-attachment", 1 },
	};

	if (al_test_shared("test_oci") == NULL)
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		char *dir = materialise_fixture(ok[i].name);
		al_oci *o;
		const al_oci_node *n;

		/* dir: fixtures carry the manifest and signatures, not the blobs */
		ck_assert_msg(al_oci_open(dir, AL_OCI_ALLOW_MISSING, 0, &o, &err) == AL_OK, "%s: %s", ok[i].name, err.msg);
		ck_assert_int_eq(o->format, AL_OCI_FMT_CONTAINERS_DIR);
		n = o->refs[0].desc.node;
		ck_assert_ptr_nonnull(n);
		ck_assert_uint_eq(n->n_csigs, ok[i].sigs);
		for (size_t k = 0; k < n->n_csigs; k++) {
			ck_assert_int_eq(n->csigs[k].format, AL_OCI_CSIG_SIGSTORE);
			ck_assert_uint_gt(n->csigs[k].payload.n, 0);
			ck_assert_ptr_nonnull(al_oci_annotation(n->csigs[k].annotations, n->csigs[k].n_annotations,
							    "dev.cosignproject.cosign/signature"));
		}
		if (strcmp(ok[i].name, "dir-img-cosign-valid") == 0) {
			/* the signed payload names this manifest's digest */
			char ds[AL_OCI_DIGEST_STR_MAX];

			al_oci_digest_str(n->digest, ds);
			ck_assert_str_eq(ds, "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00");
			ck_assert_ptr_nonnull(memmem(n->csigs[0].payload.p, n->csigs[0].payload.n, ds, strlen(ds)));
			ck_assert_uint_gt(o->n_missing, 0);
			/* strict open: the missing layers are named */
			al_oci_free(o);
			ck_assert_rc(al_oci_open(dir, 0, 0, &o, &err), AL_E_BUNDLE_BLOB, &err);
			ck_assert_ptr_nonnull(strstr(err.msg, "is missing"));
		}
		if (strcmp(ok[i].name, "dir-img-cosign-fulcio-rekor-valid") == 0) {
			const al_oci_csig *c = &n->csigs[0];

			ck_assert_ptr_nonnull(al_oci_annotation(c->annotations, c->n_annotations,
								"dev.sigstore.cosign/certificate"));
			ck_assert_ptr_nonnull(al_oci_annotation(c->annotations, c->n_annotations,
								"dev.sigstore.cosign/bundle"));
		}
		al_oci_free(o);
		rmtree(dir);
		free(dir);
	}
	/* schema 1 manifest: refused; no manifest: not a bundle */
	{
		char *dir = materialise_fixture("dir-img-cosign-manifest-digest-error");
		al_oci *o;

		ck_assert_rc(al_oci_open(dir, AL_OCI_ALLOW_MISSING, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "schema 1"));
		rmtree(dir);
		free(dir);
		dir = materialise_fixture("dir-img-cosign-no-manifest");
		ck_assert_rc(al_oci_open(dir, AL_OCI_ALLOW_MISSING, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "not an image bundle"));
		rmtree(dir);
		free(dir);
	}
}
END_TEST

/* ================================================================ real layouts from ../shared */

/* the slsa-verifier releases whose cosign save layout ../shared carries;
 * NSLSA_NEEDED of them must be there (a missing one is a skip, and a failure
 * under AL_TEST_STRICT=1), the later ones are not in every copy of ../shared
 * and are verified when they are */
static const char *slsa_versions[] = { "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0", "v1.8.0", "v1.9.0", "v1.10.0",
				       "v2.0.0", "v2.1.0" };
#define NSLSA_NEEDED 7

START_TEST(shared_slsa_cosign_save_layouts)
{
	size_t found = 0;

	if (al_test_shared("test_oci") == NULL)
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(slsa_versions); i++) {
		char rel[512], dpath[600];
		al_oci *o;
		al_buf dig;
		al_oci_digest want;
		const al_oci_node *atts[4];
		size_t na;

		snprintf(rel, sizeof(rel),
			 "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/%s/"
			 "container_workflow_dispatch", slsa_versions[i]);
		if (i >= NSLSA_NEEDED && access(al_test_shared_path(rel), F_OK) != 0) {
			fprintf(stderr, "n/a: %s: not in this copy of ../shared (optional)\n", slsa_versions[i]);
			continue;
		}
		if (!al_test_shared_has(rel))
			continue;
		found++;
		snprintf(dpath, sizeof(dpath), "%s.digest", al_test_shared_path(rel));
		dig = al_test_read(dpath);
		while (dig.n && (dig.p[dig.n - 1] == '\n' || dig.p[dig.n - 1] == ' '))
			dig.n--;
		ck_assert_ok(al_oci_digest_parse(al_buf_bytes(&dig), &want, &err), &err);
		al_buf_free(&dig);
		ck_assert_msg(al_oci_open(al_test_shared_path(rel), 0, 0, &o, &err) == AL_OK, "%s: %s", slsa_versions[i],
			      err.msg);
		ck_assert_uint_eq(o->n_missing, 0);
		ck_assert_uint_eq(o->n_extra, 0);
		/* cosign save: the image entry and its attestations, bound by `kind` */
		ck_assert(al_oci_digest_eq(&o->refs[0].desc.digest, &want));
		ck_assert_int_eq(o->refs[0].role, AL_OCI_ROLE_IMAGE);
		na = al_oci_find_attached(o, &want, AL_OCI_ROLE_ATTS, atts, 4);
		ck_assert_uint_eq(na, 1);
		ck_assert_str_eq(tb(o, atts[0]).layers[0].media_type, "application/vnd.dsse.envelope.v1+json");
		/* cosign before 1.6-era layouts (v1.4.0, v1.5.0 here) wrote no predicateType */
		{
			al_arena a = { 0 };
			const al_oci_kv *kv;
			size_t nkv;
			const char *pt;

			al_oci_blobs b;

			ck_assert_ok(al_oci_node_blobs(o, atts[0], &a, &b, &err), &err);
			kv = b.layers[0].annotations;
			nkv = b.layers[0].n_annotations;
			pt = al_oci_annotation(kv, nkv, "predicateType");
			ck_assert(pt == NULL || strcmp(pt, "https://slsa.dev/provenance/v0.2") == 0);
			ck_assert_ptr_nonnull(al_oci_annotation(kv, nkv, "dev.sigstore.cosign/bundle"));
			al_arena_free(&a);
		}
		{
			al_buf env = { 0 };

			ck_assert_ok(al_oci_blob_read(o, &tb(o, atts[0]).layers[0].digest, AL_MAX_PAYLOAD, &env, &err), &err);
			ck_assert_ptr_nonnull(strstr((const char *)env.p, "payloadType"));
			al_buf_free(&env);
		}
		ck_assert_uint_gt(o->bytes_hashed, 100000);
		al_oci_free(o);
	}
	ck_assert_uint_ge(found, 1);
}
END_TEST

/* The same layouts as archives in every compression give the same model. */
START_TEST(shared_slsa_archives)
{
	static const char *filters[] = { "none", "gz", "zst", "xz" };
	const char *rel = "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/"
			  "v1.10.0/container_workflow_dispatch";
	char *out, *want;
	al_oci *o;

	if (al_test_shared("test_oci") == NULL)
		return;
	if (!al_test_shared_has(rel))
		return;
	ck_assert_ok(al_oci_open(al_test_shared_path(rel), 0, 0, &o, &err), &err);
	want = describe(o);
	al_oci_free(o);
	out = tmpdir();
	for (size_t i = 0; i < AL_ARRAY_LEN(filters); i++) {
		char name[64], *path, *got;

		snprintf(name, sizeof(name), "slsa.tar.%s", filters[i]);
		path = tar_of(al_test_shared_path(rel), out, name, filters[i], "./");
		ck_assert_ok(al_oci_open(path, 0, 0, &o, &err), &err);
		got = describe(o);
		ck_assert_msg(strcmp(got, want) == 0, "%s:\n%s\n----\n%s", name, got, want);
		free(got);
		free(path);
		al_oci_free(o);
	}
	free(want);
	rmtree(out);
	free(out);
}
END_TEST

START_TEST(shared_oci_referrer)
{
	const char *rel = "generated/oci-referrer/layout";
	const al_oci_node *out[4];
	al_oci_digest img = dg("sha256:fcabd679161a4a27e8fa7b75deea5201c9d9d7ce99b294f05c97469195a0a8b5");
	al_oci *o;
	al_buf b = { 0 };
	char *tdir, *p, *want, *got;

	if (al_test_shared("test_oci") == NULL)
		return;
	ck_assert_ok(al_oci_open(al_test_shared_path(rel), 0, 0, &o, &err), &err);
	ck_assert_uint_eq(o->n_refs, 2);
	ck_assert_int_eq(o->refs[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_int_eq(o->refs[1].role, AL_OCI_ROLE_REFERRERS_INDEX);
	ck_assert(al_oci_digest_eq(o->refs[1].subject, &img));
	ck_assert_uint_eq(al_oci_find_referrers(o, &img, MT_BUNDLE, out, 4), 1);
	ck_assert_str_eq(tb(o, out[0]).layers[0].media_type, MT_BUNDLE);
	ck_assert_ok(al_oci_blob_read(o, &tb(o, out[0]).layers[0].digest, AL_MAX_PAYLOAD, &b, &err), &err);
	ck_assert_ptr_nonnull(strstr((const char *)b.p, "verificationMaterial"));
	al_buf_free(&b);
	ck_assert_uint_eq(o->n_extra, 0);
	want = describe(o);
	al_oci_free(o);
	tdir = tmpdir();
	p = tar_of(al_test_shared_path(rel), tdir, "ref.tar.zst", "zst", "");
	ck_assert_ok(al_oci_open(p, 0, 0, &o, &err), &err);
	got = describe(o);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(al_oci_find_referrers(o, &img, NULL, out, 4), 1);
	ck_assert_ok(al_oci_blob_read(o, &tb(o, out[0]).layers[0].digest, AL_MAX_PAYLOAD, &b, &err), &err);
	al_buf_free(&b);
	al_oci_free(o);
	free(got);
	free(want);
	free(p);
	rmtree(tdir);
	free(tdir);
}
END_TEST

START_TEST(shared_unsigned_archives)
{
	al_oci *o;
	const al_oci_node *out[2];
	al_oci_digest img = dg("sha256:fcabd679161a4a27e8fa7b75deea5201c9d9d7ce99b294f05c97469195a0a8b5");

	if (al_test_shared("test_oci") == NULL)
		return;
	ck_assert_ok(al_oci_open(al_test_shared_path("generated/oci-referrer/unsigned-oci-archive.tar"), 0, 0, &o, &err),
		     &err);
	ck_assert_int_eq(o->format, AL_OCI_FMT_LAYOUT);
	ck_assert(o->archive);
	ck_assert_uint_eq(o->n_refs, 1);
	ck_assert(al_oci_digest_eq(&o->refs[0].desc.digest, &img));
	ck_assert_uint_eq(al_oci_find_attached(o, &img, AL_OCI_ROLE_SIGS, out, 2), 0);
	ck_assert_uint_eq(al_oci_find_referrers(o, &img, NULL, out, 2), 0);
	al_oci_free(o);
	ck_assert_ok(al_oci_open(al_test_shared_path("generated/oci-referrer/unsigned-docker-archive.tar"), 0, 0, &o,
				 &err), &err);
	ck_assert_int_eq(o->format, AL_OCI_FMT_DOCKER_ARCHIVE);
	ck_assert_uint_eq(o->n_refs, 1);
	ck_assert_str_eq(o->refs[0].repo_tags[0], "example.com/peer/img:v1");
	/* docker-archive: the image ID is the config digest */
	{
		al_oci_digest cfg = dg("sha256:15df778f553720f632810d8738cc110d022226d524d56cd2c768a155b3aec66f");

		ck_assert(al_oci_digest_eq(o->nodes[0]->digest, &cfg));
	}
	ck_assert(tb(o, o->nodes[0]).layers[0].present);
	al_oci_free(o);
}
END_TEST

START_TEST(shared_derived_referrer_layout)
{
	al_oci *o;
	const al_oci_node *out[2];
	al_oci_digest img = dg("sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4");

	if (al_test_shared("test_oci") == NULL)
		return;
	ck_assert_ok(al_oci_open(al_test_shared_path("vectors/derived/cosign-empty-image-bundle-referrer-ocilayout"), 0, 0,
				 &o, &err), &err);
	ck_assert_int_eq(o->refs[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_int_eq(o->refs[1].role, AL_OCI_ROLE_REFERRER);
	ck_assert_uint_eq(al_oci_find_referrers(o, &img, MT_BUNDLE, out, 2), 1);
	ck_assert_int_eq(o->nodes[0]->kind, AL_OCI_NODE_MANIFEST);
	ck_assert_str_eq(o->nodes[0]->media_type, "application/vnd.docker.distribution.manifest.v2+json");
	al_oci_free(o);
}
END_TEST

/* OCI 1.1 embedded data must match its descriptor; Docker 25+ manifest.json
 * beside a layout is not an extra; an oversize manifest descriptor is refused. */
START_TEST(embedded_data_docker25_oversize)
{
	fixture f;
	char *top, *d;
	al_oci *o;

	make_fixture(&f);
	{
		/* a manifest carried inline, as its descriptor's data */
		char rel[1024], *data;
		al_buf raw, b64 = { 0 };

		snprintf(rel, sizeof(rel), "blobs/sha256/%s", f.amd64 + 7);
		raw = get_file(f.dir, rel);
		ck_assert_ok(al_b64_encode(al_buf_bytes(&raw), &b64, &err), &err);
		ck_assert_int_ge(asprintf(&data, "\"data\":\"%s\"", (const char *)b64.p), 0);
		d = desc_json(MT_MAN, f.amd64, raw.n, data);
		al_buf_free(&raw);
		al_buf_free(&b64);
		free(data);
	}
	ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(f.dir, "index.json", top);
	ck_assert_ok(al_oci_open(f.dir, 0, 0, &o, &err), &err);
	ck_assert(o->refs[0].desc.present);
	al_oci_free(o);
	free(top);
	free(d);
	/* twin: data that is not what the digest names */
	d = desc_json("application/vnd.oci.empty.v1+json", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		      2, "\"data\":\"W10=\"");
	ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(f.dir, "index.json", top);
	expect_both(f.dir, AL_E_BUNDLE_BLOB, "embedded data", 0);
	free(top);
	free(d);
	/* twin: a manifest descriptor larger than AL_MAX_MANIFEST */
	d = desc_json(MT_MAN, f.amd64, (size_t)AL_MAX_MANIFEST + 1, NULL);
	ck_assert_int_ge(asprintf(&top, "{\"schemaVersion\":2,\"manifests\":[%s]}", d), 0);
	put_str(f.dir, "index.json", top);
	expect_both(f.dir, AL_E_LIMIT, "exceeds the limit", 0);
	free(top);
	free(d);
	free_fixture(&f);
}
END_TEST

/* The fuzz seeds must reach the deep code: each one opens. */
START_TEST(fuzz_seeds_open)
{
	static const char *seeds[] = { "layout.tar", "layout-dot.tar.gz", "nested.tar.xz", "docker.tar",
				       "containers-dir.tar" };

	for (size_t i = 0; i < AL_ARRAY_LEN(seeds); i++) {
		char rel[256];
		al_buf b;
		al_oci *o;

		snprintf(rel, sizeof(rel), "fuzz/corpus/oci_archive/%s", seeds[i]);
		b = al_test_read(al_test_src_path(rel));
		ck_assert_msg(al_oci_open_mem(al_buf_bytes(&b), AL_OCI_ALLOW_MISSING, 0, &o, &err) == AL_OK, "%s: %s",
			      seeds[i], err.msg);
		ck_assert_uint_gt(o->n_nodes, 0);
		al_oci_free(o);
		al_buf_free(&b);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oci");
	TCase *tc = tcase_create("oci");

	tcase_add_checked_fixture(tc, NULL, tb_free);

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, digest_parse_and_twins);
	tcase_add_test(tc, layout_dir_model);
	tcase_add_test(tc, layout_archives_same_model);
	tcase_add_test(tc, twin_layer_byte_changed);
	tcase_add_test(tc, twin_manifest_byte_changed);
	tcase_add_test(tc, twin_missing_blob);
	tcase_add_test(tc, twin_size_mismatch);
	tcase_add_test(tc, twin_index_json);
	tcase_add_test(tc, twin_oci_layout_file);
	tcase_add_test(tc, twin_index_depth);
	tcase_add_test(tc, twin_ambiguous_and_mismatched_documents);
	tcase_add_test(tc, twin_symlink_in_layout_dir);
	tcase_add_test(tc, twin_archive_dotdot);
	tcase_add_test(tc, twin_archive_absolute);
	tcase_add_test(tc, twin_archive_symlink);
	tcase_add_test(tc, twin_archive_hardlink);
	tcase_add_test(tc, twin_archive_device);
	tcase_add_test(tc, twin_archive_duplicate);
	tcase_add_test(tc, twin_archive_odd_paths);
	tcase_add_test(tc, twin_not_an_archive);
	tcase_add_test(tc, twin_truncated_archive);
	tcase_add_test(tc, orphan_referrer_is_adopted);
	tcase_add_test(tc, cosign_kind_annotations);
	tcase_add_test(tc, sha512_blobs);
	tcase_add_test(tc, threads_same_result);
	tcase_add_test(tc, docker_archive_legacy);
	tcase_add_test(tc, docker_repo_tags_limit);
	tcase_add_test(tc, csig_parse_and_twins);
	tcase_add_test(tc, containers_dir_synthetic);
	tcase_add_test(tc, shared_containers_image_fixtures);
	tcase_add_test(tc, shared_slsa_cosign_save_layouts);
	tcase_add_test(tc, shared_slsa_archives);
	tcase_add_test(tc, shared_oci_referrer);
	tcase_add_test(tc, shared_unsigned_archives);
	tcase_add_test(tc, shared_derived_referrer_layout);
	tcase_add_test(tc, fuzz_seeds_open);
	tcase_add_test(tc, embedded_data_docker25_oversize);
	suite_add_tcase(s, tc);
	return al_test_run(s);
}
