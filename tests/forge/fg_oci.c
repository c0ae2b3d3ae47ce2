/*
 * fg_oci.c — small real images (gzip'd tar layers, config, manifest),
 * multi-platform indexes, OCI image layouts as `cosign save` and skopeo
 * write them, their tar forms, and `docker save` archives.
 *
 * Tars are ustar with fixed owners, modes and mtime; entries are written in
 * a fixed order. gzip and zstd output depends only on the input (and the
 * library version), so two runs give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha512.h>
#include <zlib.h>
#include <zstd.h>

#include "forge.h"

#define TAR_MTIME (AL_FG_T0 - 1800)

/* ================================================================ tar, gzip, zstd */

static void
tar_header_link(al_fg_buf *tar, const char *name, size_t size, unsigned mode, char type, const char *link)
{
	uint8_t h[512];
	unsigned sum = 0;

	if (strlen(name) >= 100) {
		/* a pax extended header carries the long name (sha512 blob names) */
		static const uint8_t zero[512];
		const char *rec;
		size_t n = strlen(name) + strlen(" path=\n"), len = n + 1;

		while (strlen(al_fg_sprintf("%zu", len)) + n != len)
			len++;
		rec = al_fg_sprintf("%zu path=%s\n", len, name);
		tar_header_link(tar, "PaxHeader", len, 0644, 'x', NULL);
		al_fg_put(tar, rec, len);
		if (len % 512)
			al_fg_put(tar, zero, 512 - len % 512);
		name = al_fg_sprintf("%.99s", name);
	}
	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));
	snprintf((char *)h + 100, 8, "%07o", mode);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)TAR_MTIME);
	memset(h + 148, ' ', 8);
	h[156] = (uint8_t)type;
	if (link != NULL) {
		if (strlen(link) >= 100)
			al_fg_die("tar link target too long: %s", link);
		memcpy(h + 157, link, strlen(link));
	}
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	snprintf((char *)h + 329, 8, "%07o", 0);
	snprintf((char *)h + 337, 8, "%07o", 0);
	for (size_t i = 0; i < sizeof(h); i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	al_fg_put(tar, h, sizeof(h));
}

static void
tar_header(al_fg_buf *tar, const char *name, size_t size, unsigned mode, char type)
{
	tar_header_link(tar, name, size, mode, type, NULL);
}

void
al_fg_tar_header(al_fg_buf *tar, const char *name, size_t size, unsigned mode, char type)
{
	tar_header(tar, name, size, mode, type);
}

void
al_fg_tar_symlink(al_fg_buf *tar, const char *name, const char *target)
{
	tar_header_link(tar, name, 0, 0777, '2', target);
}

void
al_fg_tar_file(al_fg_buf *tar, const char *name, al_bytes data, unsigned mode)
{
	static const uint8_t zero[512];

	tar_header(tar, name, data.n, mode, '0');
	al_fg_put(tar, data.p, data.n);
	if (data.n % 512)
		al_fg_put(tar, zero, 512 - data.n % 512);
}

void
al_fg_tar_dir(al_fg_buf *tar, const char *name)
{
	tar_header(tar, name, 0, 0755, '5');
}

void
al_fg_tar_end(al_fg_buf *tar)
{
	static const uint8_t zero[1024];

	al_fg_put(tar, zero, sizeof(zero));
}

al_bytes
al_fg_gzip(al_bytes in)
{
	z_stream z;
	uint8_t *out;
	uLong cap;
	size_t n;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip wrapper with mtime 0 and no file name */
	if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		al_fg_die("deflateInit2 failed");
	cap = deflateBound(&z, (uLong)in.n);
	out = al_fg_alloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in.p; /* zlib does not write its input */
	z.avail_in = (uInt)in.n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		al_fg_die("deflate failed");
	n = cap - z.avail_out;
	deflateEnd(&z);
	return al_bytes_of(out, n);
}

al_bytes
al_fg_zstd(al_bytes in)
{
	size_t cap = ZSTD_compressBound(in.n), n;
	uint8_t *out = al_fg_alloc(cap);

	n = ZSTD_compress(out, cap, in.p, in.n, 3);
	if (ZSTD_isError(n))
		al_fg_die("zstd: %s", ZSTD_getErrorName(n));
	return al_bytes_of(out, n);
}

/* ================================================================ layouts */

al_fg_layout *
al_fg_layout_new(void)
{
	al_fg_layout *l = al_fg_alloc(sizeof(*l));

	l->index = al_fg_jarr_new();
	return l;
}

al_fg_blob *
al_fg_layout_find(al_fg_layout *l, const char *digest)
{
	for (size_t i = 0; i < l->nblobs; i++)
		if (strcmp(l->blobs[i].digest, digest) == 0)
			return &l->blobs[i];
	return NULL;
}

char *
al_fg_digest512(al_bytes in)
{
	uint8_t d[64];

	al_fg_mbed(mbedtls_sha512(in.p, in.n, d, 0), "sha512");
	return al_fg_sprintf("sha512:%s", al_fg_hex(d, sizeof(d)));
}

/* "sha256:<hex>" -> "blobs/sha256/<hex>" (any algorithm). */
static char *
blob_path(const char *digest)
{
	const char *colon = strchr(digest, ':');

	if (colon == NULL)
		al_fg_die("digest without an algorithm: %s", digest);
	return al_fg_sprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

al_fg_desc
al_fg_layout_blob(al_fg_layout *l, const char *media_type, al_bytes data)
{
	al_fg_desc d = { media_type, l->sha512 ? al_fg_digest512(data) : al_fg_digest(data), data.n };

	if (al_fg_layout_find(l, d.digest) == NULL) {
		l->blobs = al_fg_realloc(l->blobs, (l->nblobs + 1) * sizeof(*l->blobs));
		l->blobs[l->nblobs].digest = d.digest;
		l->blobs[l->nblobs].data = al_fg_dup(data);
		l->blobs[l->nblobs].dropped = false;
		l->nblobs++;
	}
	return d;
}

cJSON *
al_fg_desc_json(const al_fg_desc *d)
{
	cJSON *j = al_fg_jnew();

	al_fg_jstr(j, "mediaType", d->media_type);
	al_fg_jstr(j, "digest", d->digest);
	al_fg_jint(j, "size", (int64_t)d->size);
	return j;
}

cJSON *
al_fg_desc_json_ggcr(const al_fg_desc *d)
{
	cJSON *j = al_fg_jnew();

	al_fg_jstr(j, "mediaType", d->media_type);
	al_fg_jint(j, "size", (int64_t)d->size);
	al_fg_jstr(j, "digest", d->digest);
	return j;
}

cJSON *
al_fg_annot(const char *key, const char *value)
{
	cJSON *a = al_fg_jnew();

	al_fg_jstr(a, key, value);
	return a;
}

void
al_fg_layout_ref(al_fg_layout *l, const al_fg_desc *d, cJSON *annotations, const char *artifact_type)
{
	cJSON *j = l->skopeo ? al_fg_desc_json(d) : al_fg_desc_json_ggcr(d);

	if (artifact_type != NULL)
		al_fg_jstr(j, "artifactType", artifact_type);
	if (annotations != NULL)
		al_fg_jput(j, "annotations", annotations);
	al_fg_jpush(l->index, j);
}

static al_bytes index_json(const al_fg_layout *l);

void
al_fg_layout_extra(al_fg_layout *l, const char *name, al_bytes data)
{
	l->extra_names = al_fg_realloc(l->extra_names, (l->nextra + 1) * sizeof(*l->extra_names));
	l->extra = al_fg_realloc(l->extra, (l->nextra + 1) * sizeof(*l->extra));
	l->extra_dirs = al_fg_realloc(l->extra_dirs, (l->nextra + 1) * sizeof(*l->extra_dirs));
	l->extra_names[l->nextra] = name;
	l->extra[l->nextra] = data;
	/* a directory entry before the first file of each new top-level directory */
	l->extra_dirs[l->nextra] = false;
	if (strchr(name, '/') != NULL) {
		bool seen = false;

		for (size_t i = 0; i < l->nextra; i++)
			if (strchr(l->extra_names[i], '/') != NULL &&
			    strncmp(l->extra_names[i], name, (size_t)(strrchr(name, '/') - name) + 1) == 0)
				seen = true;
		l->extra_dirs[l->nextra] = !seen;
	}
	l->nextra++;
}

al_bytes
al_fg_layout_index_json(const al_fg_layout *l)
{
	return index_json(l);
}

void
al_fg_layout_flip(al_fg_layout *l, const char *digest, size_t offset)
{
	al_fg_blob *b = al_fg_layout_find(l, digest);
	uint8_t *p;

	if (b == NULL || offset >= b->data.n)
		al_fg_die("no blob %s to tamper with", digest);
	p = al_fg_alloc(b->data.n);
	memcpy(p, b->data.p, b->data.n);
	p[offset] ^= 0x01;
	b->data = al_bytes_of(p, b->data.n);
}

void
al_fg_layout_drop(al_fg_layout *l, const char *digest)
{
	al_fg_blob *b = al_fg_layout_find(l, digest);

	if (b == NULL)
		al_fg_die("no blob %s to drop", digest);
	b->dropped = true;
}

static al_bytes
index_json(const al_fg_layout *l)
{
	cJSON *j;

	if (l->index_raw.p != NULL)
		return l->index_raw;
	j = al_fg_jnew();

	al_fg_jint(j, "schemaVersion", 2);
	if (!l->skopeo)
		al_fg_jstr(j, "mediaType", AL_FG_MT_INDEX);
	al_fg_jput(j, "manifests", cJSON_Duplicate(l->index, 1));
	return al_bytes_str(al_fg_jprint(j));
}

static const char oci_layout[] = "{\"imageLayoutVersion\": \"1.0.0\"}";

void
al_fg_layout_write_dir(const al_fg_layout *l, const char *dir)
{
	al_fg_rmtree(dir);
	al_fg_mkdirs(al_fg_sprintf("%s/blobs/sha256", dir));
	al_fg_write(al_fg_sprintf("%s/oci-layout", dir), al_bytes_str(oci_layout));
	al_fg_write(al_fg_sprintf("%s/index.json", dir), index_json(l));
	for (size_t i = 0; i < l->nblobs; i++) {
		const char *bp = blob_path(l->blobs[i].digest);

		if (l->blobs[i].dropped)
			continue;
		if (strncmp(bp, "blobs/sha256/", 13) != 0)
			al_fg_mkdirs(al_fg_sprintf("%s/%.*s", dir, (int)(strrchr(bp, '/') - bp), bp));
		al_fg_write(al_fg_sprintf("%s/%s", dir, bp), l->blobs[i].data);
	}
	for (size_t i = 0; i < l->nextra; i++) {
		const char *slash = strrchr(l->extra_names[i], '/');

		if (slash != NULL)
			al_fg_mkdirs(al_fg_sprintf("%s/%.*s", dir, (int)(slash - l->extra_names[i]), l->extra_names[i]));
		al_fg_write(al_fg_sprintf("%s/%s", dir, l->extra_names[i]), l->extra[i]);
	}
}

static int
cmp_blob(const void *a, const void *b)
{
	return strcmp((*(const al_fg_blob *const *)a)->digest, (*(const al_fg_blob *const *)b)->digest);
}

void
al_fg_layout_tar(const al_fg_layout *l, const char *const *extra_names, const al_bytes *extra, size_t nextra,
		 al_fg_buf *out)
{
	const al_fg_blob **sorted = al_fg_alloc((l->nblobs + 1) * sizeof(*sorted));
	const char *dir = "blobs/sha256/";

	for (size_t i = 0; i < l->nblobs; i++)
		sorted[i] = &l->blobs[i];
	qsort(sorted, l->nblobs, sizeof(*sorted), cmp_blob);
	al_fg_tar_dir(out, "blobs/");
	al_fg_tar_dir(out, "blobs/sha256/");
	for (size_t i = 0; i < l->nblobs; i++) {
		const char *bp = blob_path(sorted[i]->digest);
		size_t dn = (size_t)(strrchr(bp, '/') - bp) + 1;

		if (sorted[i]->dropped)
			continue;
		if (strncmp(bp, dir, dn) != 0 || dir[dn] != '\0') {
			dir = al_fg_sprintf("%.*s", (int)dn, bp);
			al_fg_tar_dir(out, dir);
		}
		al_fg_tar_file(out, bp, sorted[i]->data, 0644);
	}
	al_fg_tar_file(out, "index.json", index_json(l), 0644);
	for (size_t i = 0; i < l->nextra; i++) {
		if (l->extra_dirs[i])
			al_fg_tar_dir(out, al_fg_sprintf("%.*s/", (int)(strrchr(l->extra_names[i], '/') - l->extra_names[i]),
							 l->extra_names[i]));
		al_fg_tar_file(out, l->extra_names[i], l->extra[i], 0644);
	}
	for (size_t i = 0; i < nextra; i++)
		al_fg_tar_file(out, extra_names[i], extra[i], 0644);
	al_fg_tar_file(out, "oci-layout", al_bytes_str(oci_layout), 0644);
	al_fg_tar_end(out);
}

/* ================================================================ images */

static al_bytes
layer_tar(int which, const char *seed, const char *arch)
{
	al_fg_buf t = { 0 };

	if (which == 0) {
		al_fg_tar_dir(&t, "bin/");
		al_fg_tar_file(&t, "bin/hello",
			       al_bytes_str(al_fg_sprintf("#!/bin/sh\necho 'hello from %s (%s)'\n", seed, arch)), 0755);
		al_fg_tar_dir(&t, "etc/");
		al_fg_tar_file(&t, "etc/os-release",
			       al_bytes_str("NAME=\"Airlock Forge Linux\"\nID=forge\nVERSION_ID=1\n"), 0644);
	} else {
		al_fg_tar_dir(&t, "app/");
		al_fg_tar_file(&t, "app/README",
			       al_bytes_str(al_fg_sprintf("%s: a test image made by al-forge for airlock.\n", seed)),
			       0644);
		al_fg_tar_file(&t, "app/config.json",
			       al_bytes_str(al_fg_sprintf("{\"name\":\"%s\",\"arch\":\"%s\",\"build\":1}\n", seed, arch)),
			       0644);
	}
	al_fg_tar_end(&t);
	return al_fg_bytes(&t);
}

const al_fg_image *
al_fg_image_make(const char *name, const char *arch, const char *variant, const char *seed, bool uncompressed)
{
	al_fg_image *img = al_fg_alloc(sizeof(*img));
	cJSON *cfg = al_fg_jnew(), *c, *arr, *rootfs, *hist, *m;
	const char *created = al_fg_time_rfc3339(TAR_MTIME);

	img->name = name;
	img->arch = arch;
	img->variant = variant;
	img->nlayers = 2;
	for (size_t i = 0; i < img->nlayers; i++) {
		img->layers_tar[i] = layer_tar((int)i, seed, arch);
		img->layers[i] = uncompressed ? img->layers_tar[i] : al_fg_gzip(img->layers_tar[i]);
		img->layer_desc[i].media_type = uncompressed ? AL_FG_MT_LAYER_TAR : AL_FG_MT_LAYER_GZ;
		img->layer_desc[i].digest = al_fg_digest(img->layers[i]);
		img->layer_desc[i].size = img->layers[i].n;
	}

	al_fg_jstr(cfg, "architecture", arch);
	c = al_fg_jobj(cfg, "config");
	arr = al_fg_jarr(c, "Env");
	al_fg_jpush_str(arr, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	arr = al_fg_jarr(c, "Cmd");
	al_fg_jpush_str(arr, "/bin/hello");
	al_fg_jstr(c, "WorkingDir", "/app");
	al_fg_jstr(cfg, "created", created);
	hist = al_fg_jarr(cfg, "history");
	for (size_t i = 0; i < img->nlayers; i++) {
		cJSON *h = al_fg_jnew();

		al_fg_jstr(h, "created", created);
		al_fg_jstr(h, "created_by", i == 0 ? "al-forge: base layer" : "al-forge: app layer");
		al_fg_jpush(hist, h);
	}
	al_fg_jstr(cfg, "os", "linux");
	rootfs = al_fg_jobj(cfg, "rootfs");
	al_fg_jstr(rootfs, "type", "layers");
	arr = al_fg_jarr(rootfs, "diff_ids");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush_str(arr, al_fg_digest(img->layers_tar[i]));
	if (variant != NULL)
		al_fg_jstr(cfg, "variant", variant);
	img->config = al_bytes_str(al_fg_jprint(cfg));
	img->config_desc = (al_fg_desc){ AL_FG_MT_CONFIG, al_fg_digest(img->config), img->config.n };

	m = al_fg_jnew();
	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jput(m, "config", al_fg_desc_json(&img->config_desc));
	arr = al_fg_jarr(m, "layers");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush(arr, al_fg_desc_json(&img->layer_desc[i]));
	img->manifest = al_bytes_str(al_fg_jprint(m));
	img->desc = (al_fg_desc){ AL_FG_MT_MANIFEST, al_fg_digest(img->manifest), img->manifest.n };
	return img;
}

void
al_fg_image_put(al_fg_layout *l, const al_fg_image *img)
{
	al_fg_layout_blob(l, AL_FG_MT_CONFIG, img->config);
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_layout_blob(l, img->layer_desc[i].media_type, img->layers[i]);
	al_fg_layout_blob(l, AL_FG_MT_MANIFEST, img->manifest);
}

const al_fg_index *
al_fg_index_make(const char *name, const al_fg_image *const *imgs, size_t n)
{
	al_fg_index *ix = al_fg_alloc(sizeof(*ix));
	cJSON *j = al_fg_jnew(), *arr;

	if (n > AL_ARRAY_LEN(ix->images))
		al_fg_die("too many platforms");
	ix->name = name;
	ix->nimages = n;
	al_fg_jint(j, "schemaVersion", 2);
	al_fg_jstr(j, "mediaType", AL_FG_MT_INDEX);
	arr = al_fg_jarr(j, "manifests");
	for (size_t i = 0; i < n; i++) {
		cJSON *d = al_fg_desc_json(&imgs[i]->desc), *p;

		ix->images[i] = imgs[i];
		p = al_fg_jobj(d, "platform");
		al_fg_jstr(p, "architecture", imgs[i]->arch);
		al_fg_jstr(p, "os", "linux");
		if (imgs[i]->variant != NULL)
			al_fg_jstr(p, "variant", imgs[i]->variant);
		al_fg_jpush(arr, d);
	}
	ix->raw = al_bytes_str(al_fg_jprint(j));
	ix->desc = (al_fg_desc){ AL_FG_MT_INDEX, al_fg_digest(ix->raw), ix->raw.n };
	return ix;
}

void
al_fg_index_put(al_fg_layout *l, const al_fg_index *ix)
{
	for (size_t i = 0; i < ix->nimages; i++)
		al_fg_image_put(l, ix->images[i]);
	al_fg_layout_blob(l, AL_FG_MT_INDEX, ix->raw);
}

/* ================================================================ docker save */

void
al_fg_docker_legacy(const al_fg_image *img, const char *tag, al_fg_buf *tar)
{
	al_fg_docker_legacy_ex(img, tag, false, tar);
}

const char *
al_fg_docker_legacy_ex(const al_fg_image *img, const char *tag, bool link_last, al_fg_buf *tar)
{
	const char *parent = NULL, *ids[2];
	const char *cfg_hex = img->config_desc.digest + 7;
	cJSON *man = al_fg_jarr_new(), *m, *arr, *repos, *r;

	for (size_t i = 0; i < img->nlayers; i++) {
		const char *diff = al_fg_digest(img->layers_tar[i]);
		cJSON *js = al_fg_jnew(), *cc;

		/* v1 layer IDs chain the parent, as docker derives them */
		ids[i] = al_fg_digest(al_bytes_str(al_fg_sprintf("%s\n%s", parent ? parent : "", diff))) + 7;
		al_fg_jstr(js, "id", ids[i]);
		if (parent != NULL)
			al_fg_jstr(js, "parent", parent);
		al_fg_jstr(js, "created", al_fg_time_rfc3339(TAR_MTIME));
		cc = al_fg_jobj(js, "container_config");
		al_fg_jnull(cc, "Cmd");
		al_fg_jstr(js, "os", "linux");
		al_fg_tar_dir(tar, al_fg_sprintf("%s/", ids[i]));
		al_fg_tar_file(tar, al_fg_sprintf("%s/VERSION", ids[i]), al_bytes_str("1.0"), 0644);
		al_fg_tar_file(tar, al_fg_sprintf("%s/json", ids[i]), al_bytes_str(al_fg_jprint(js)), 0644);
		if (link_last && i > 0 && i + 1 == img->nlayers)
			/* docker's link for a repeated layer, here to a layer with another diff_id */
			al_fg_tar_symlink(tar, al_fg_sprintf("%s/layer.tar", ids[i]), al_fg_sprintf("../%s/layer.tar", ids[0]));
		else
			al_fg_tar_file(tar, al_fg_sprintf("%s/layer.tar", ids[i]), img->layers_tar[i], 0644);
		parent = ids[i];
	}
	al_fg_tar_file(tar, al_fg_sprintf("%s.json", cfg_hex), img->config, 0644);

	m = al_fg_jnew();
	al_fg_jstr(m, "Config", al_fg_sprintf("%s.json", cfg_hex));
	arr = al_fg_jarr(m, "RepoTags");
	al_fg_jpush_str(arr, al_fg_sprintf("%s:%s", img->name, tag));
	arr = al_fg_jarr(m, "Layers");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush_str(arr, al_fg_sprintf("%s/layer.tar", ids[i]));
	al_fg_jpush(man, m);
	al_fg_tar_file(tar, "manifest.json", al_bytes_str(al_fg_jprint(man)), 0644);

	repos = al_fg_jnew();
	r = al_fg_jobj(repos, img->name);
	al_fg_jstr(r, tag, parent);
	al_fg_tar_file(tar, "repositories", al_bytes_str(al_fg_jprint(repos)), 0644);
	al_fg_tar_end(tar);
	return al_fg_sprintf("%s/layer.tar", ids[img->nlayers - 1]);
}

void
al_fg_docker_oci(const al_fg_layout *l, const al_fg_image *img, const char *tag, al_fg_buf *tar)
{
	cJSON *man = al_fg_jarr_new(), *m, *arr, *repos, *r;
	const char *names[2] = { "manifest.json", "repositories" };
	al_bytes data[2];

	m = al_fg_jnew();
	al_fg_jstr(m, "Config", al_fg_sprintf("blobs/sha256/%s", img->config_desc.digest + 7));
	arr = al_fg_jarr(m, "RepoTags");
	al_fg_jpush_str(arr, al_fg_sprintf("%s:%s", img->name, tag));
	arr = al_fg_jarr(m, "Layers");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush_str(arr, al_fg_sprintf("blobs/sha256/%s", img->layer_desc[i].digest + 7));
	al_fg_jpush(man, m);
	data[0] = al_bytes_str(al_fg_jprint(man));

	repos = al_fg_jnew();
	r = al_fg_jobj(repos, img->name);
	al_fg_jstr(r, tag, img->config_desc.digest + 7);
	data[1] = al_bytes_str(al_fg_jprint(repos));
	al_fg_layout_tar(l, names, data, 2, tar);
}
