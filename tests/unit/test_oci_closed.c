/*
 * test_oci_closed.c — the closed world (docs/design.md §3): which index.json
 * entries are images that must verify and which are artifacts of an image of
 * the same bundle; media types decided by content; docker's view of a Docker
 * 25+ archive; layouts that are also another format; Go's case-insensitive
 * JSON keys. Each accepting case has a rejecting twin built from the same
 * bytes with one thing changed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "util/testutil.h"

static al_err err;

/* ================================================================ a layout in a temporary directory */

typedef struct lay {
	char dir[256];
	char entries[8192];     /* index.json manifests, comma-separated */
	char app[AL_OCI_DIGEST_STR_MAX];           /* the app image manifest digest */
	char app_cfg[AL_OCI_DIGEST_STR_MAX], app_layer[AL_OCI_DIGEST_STR_MAX];
} lay;

static void
mkdirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void
put_file(const lay *l, const char *rel, const void *p, size_t n)
{
	char path[1024], parent[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", l->dir, rel);
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	ck_assert_msg((f = fopen(path, "wb")) != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* blobs/sha256/<hex>; returns "sha256:<hex>" in out. */
static void
blob(const lay *l, const void *p, size_t n, char out[AL_OCI_DIGEST_STR_MAX])
{
	al_oci_digest d;
	char rel[256];

	al_oci_digest_of(AL_HASH_SHA256, al_bytes_of(p, n), &d);
	al_oci_digest_str(&d, out);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", out + 7);
	put_file(l, rel, p, n);
}

static void
blob_str(const lay *l, const char *s, char out[AL_OCI_DIGEST_STR_MAX])
{
	blob(l, s, strlen(s), out);
}

static size_t
blob_size(const lay *l, const char *digest)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", l->dir, digest + 7);
	ck_assert_int_eq(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* A manifest with one config and one layer; returns its digest. */
static void
manifest(const lay *l, const char *cfg_mt, const char *cfg, const char *layer_mt, const void *layer,
	 size_t layer_n, const char *extra, char out[AL_OCI_DIGEST_STR_MAX])
{
	char cd[AL_OCI_DIGEST_STR_MAX], ld[AL_OCI_DIGEST_STR_MAX], doc[2048];

	blob_str(l, cfg, cd);
	blob(l, layer, layer_n, ld);
	snprintf(doc, sizeof(doc),
		 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		 "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu},"
		 "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}]%s}",
		 cfg_mt, cd, strlen(cfg), layer_mt, ld, layer_n, extra ? extra : "");
	blob_str(l, doc, out);
}

#define MT_CFG "application/vnd.oci.image.config.v1+json"
#define MT_TGZ "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_SS "application/vnd.dev.cosign.simplesigning.v1+json"
#define MT_MAN "application/vnd.oci.image.manifest.v1+json"
#define MT_IDX "application/vnd.oci.image.index.v1+json"

static const char gz_layer[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03 a layer, as far as anyone checks";

/* A runnable image: a real config and a gzip layer; distinct per seed. */
static void
image(const lay *l, int seed, char out[AL_OCI_DIGEST_STR_MAX])
{
	char cfg[256], layer[128];

	snprintf(cfg, sizeof(cfg),
		 "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/app%d\"]},"
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", seed);
	memcpy(layer, gz_layer, sizeof(gz_layer));
	layer[sizeof(gz_layer) - 2] = (char)('0' + seed);
	manifest(l, MT_CFG, cfg, MT_TGZ, layer, sizeof(gz_layer) - 1, NULL, out);
}

/* A cosign signature manifest over subject. */
static void
sig_manifest(const lay *l, const char *subject, char out[AL_OCI_DIGEST_STR_MAX])
{
	char payload[512];

	snprintf(payload, sizeof(payload),
		 "{\"critical\":{\"identity\":{\"docker-reference\":\"example.test/app\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
		 "\"optional\":null}", subject);
	manifest(l, MT_CFG, "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\"}}",
		 MT_SS, payload, strlen(payload), NULL, out);
}

static void
entry(lay *l, const char *mt, const char *digest, const char *annotations)
{
	char e[1024];

	snprintf(e, sizeof(e), "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu%s%s}",
		 l->entries[0] ? "," : "", mt, digest, blob_size(l, digest), annotations ? ",\"annotations\":" : "",
		 annotations ? annotations : "");
	ck_assert_uint_lt(strlen(l->entries) + strlen(e), sizeof(l->entries));
	strcat(l->entries, e);
}

static void
tagged(lay *l, const char *digest, const char *tag)
{
	char ann[256];

	snprintf(ann, sizeof(ann), "{\"org.opencontainers.image.ref.name\":\"%s\"}", tag);
	entry(l, MT_MAN, digest, ann);
}

static const char *
sig_tag(const char *subject, const char *suffix)
{
	static char t[2][512];
	static int k;
	char *o = t[k++ % 2];

	snprintf(o, 512, "sha256-%s%s", subject + 7, suffix);
	return o;
}

static void
lay_init(lay *l)
{
	const char *t = getenv("TMPDIR");

	memset(l, 0, sizeof(*l));
	snprintf(l->dir, sizeof(l->dir), "%s/al-closed-XXXXXX", t && t[0] ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(l->dir));
	put_file(l, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	image(l, 0, l->app);
}

static void
lay_write(lay *l)
{
	char doc[9000];

	snprintf(doc, sizeof(doc), "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s]}", MT_IDX,
		 l->entries);
	put_file(l, "index.json", doc, strlen(doc));
}

static void
lay_free(lay *l)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", l->dir);
	(void)system(cmd);
}

/* Opens l; returns the model or fails the test. */
static al_oci *
open_ok(lay *l)
{
	al_oci *o = NULL;

	lay_write(l);
	al_err_clear(&err);
	ck_assert_msg(al_oci_open(l->dir, AL_OCI_NO_THREADS, 0, &o, &err) == AL_OK, "open: %s", err.msg);
	return o;
}

/* Opens l expecting code, with want in the message. */
static void
open_fails(lay *l, al_rc code, const char *want)
{
	al_oci *o = NULL;
	al_rc rc;

	lay_write(l);
	al_err_clear(&err);
	rc = al_oci_open(l->dir, AL_OCI_NO_THREADS, 0, &o, &err);
	ck_assert_msg(rc == code, "rc %s, want %s: %s", al_rc_name(rc), al_rc_name(code), err.msg);
	ck_assert_msg(strstr(err.msg, want) != NULL, "\"%s\" not in: %s", want, err.msg);
	ck_assert_ptr_null(o);
}

static const al_oci_ref *
ref_of(const al_oci *o, const char *digest)
{
	for (size_t i = 0; i < o->n_refs; i++) {
		char ds[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(&o->refs[i].desc.digest, ds);
		if (strcmp(ds, digest) == 0)
			return &o->refs[i];
	}
	ck_abort_msg("no ref %s", digest);
	return NULL;
}

#define ck_role(o, digest, want, why_part)                                                                  \
	do {                                                                                                \
		const al_oci_ref *r_ = ref_of((o), (digest));                                               \
		char wb_[AL_OCI_WHY_MAX];                                                                   \
		const char *w_ = al_oci_ref_why(r_, wb_, sizeof(wb_));                                      \
		ck_assert_msg(r_->role == (want), "%s: role %s, want %s (%s)", (digest),                   \
			      al_oci_role_name(r_->role), al_oci_role_name(want), w_);                      \
		ck_assert_msg(w_ && strstr(w_, (why_part)), "why \"%s\" lacks \"%s\"", w_, (why_part));     \
	} while (0)

/* ================================================================ artifacts and images */

START_TEST(signed_app_and_its_sig)
{
	lay l;
	char s[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;

	lay_init(&l);
	sig_manifest(&l, l.app, s);
	tagged(&l, l.app, "v1");
	tagged(&l, s, sig_tag(l.app, ".sig"));
	o = open_ok(&l);
	ck_role(o, l.app, AL_OCI_ROLE_IMAGE, "an image");
	ck_role(o, s, AL_OCI_ROLE_SIGS, "cosign tag");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

/* an image dressed as a signature by its tag, its subject, its kind */
START_TEST(runnable_image_dressed_as_artifact)
{
	static const char *const disguises[] = { ".sig", ".att", ".sbom" };

	for (size_t i = 0; i < AL_ARRAY_LEN(disguises); i++) {
		lay l;
		char b[AL_OCI_DIGEST_STR_MAX];
		al_oci *o;

		lay_init(&l);
		image(&l, 1, b);
		tagged(&l, l.app, "v1");
		tagged(&l, b, sig_tag(l.app, disguises[i]));
		o = open_ok(&l);
		ck_role(o, b, AL_OCI_ROLE_IMAGE, "media type");
		al_oci_free(o);
		lay_free(&l);
	}
}
END_TEST

/* A signature tag is not enough: the manifest must be shaped like an
 * artifact. A config media type no artifact uses (a runtime may read it, as
 * a WebAssembly runtime reads its own) or a manifest with no layers at all
 * (an image nobody signed, however empty) is an image to verify. */
START_TEST(artifact_shape_is_checked)
{
	char payload[512], cd[AL_OCI_DIGEST_STR_MAX], doc[2048];
	char wasm[AL_OCI_DIGEST_STR_MAX], empty[AL_OCI_DIGEST_STR_MAX];
	lay l;
	al_oci *o;

	lay_init(&l);
	snprintf(payload, sizeof(payload),
		 "{\"critical\":{\"identity\":{\"docker-reference\":\"example.test/app\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
		 "\"optional\":null}", l.app);
	manifest(&l, "application/vnd.wasm.config.v0+json", "{\"architecture\":\"wasm\",\"os\":\"wasip1\"}", MT_SS,
		 payload, strlen(payload), NULL, wasm);
	blob_str(&l, "{}", cd);
	snprintf(doc, sizeof(doc),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":"
		 "\"application/vnd.oci.empty.v1+json\",\"digest\":\"%s\",\"size\":2},\"layers\":[]}", MT_MAN, cd);
	blob_str(&l, doc, empty);
	tagged(&l, l.app, "v1");
	tagged(&l, wasm, sig_tag(l.app, ".sig"));
	tagged(&l, empty, sig_tag(l.app, ".att"));
	o = open_ok(&l);
	ck_role(o, wasm, AL_OCI_ROLE_IMAGE, "not an artifact config");
	ck_role(o, empty, AL_OCI_ROLE_IMAGE, "no layers");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

/* Every binding an entry carries must name one image: a signature tagged
 * for the app whose OCI subject is another image belongs to neither; and
 * an entry cosign marked as an image is one, whatever tag it also wears. */
START_TEST(bindings_must_agree)
{
	lay l;
	char other[AL_OCI_DIGEST_STR_MAX], s[AL_OCI_DIGEST_STR_MAX], extra[256], ann[512];
	char payload[512];
	al_oci *o;

	lay_init(&l);
	image(&l, 3, other);
	tagged(&l, l.app, "v1");
	tagged(&l, other, "other");
	snprintf(extra, sizeof(extra), ",\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", MT_MAN,
		 other, blob_size(&l, other));
	snprintf(payload, sizeof(payload),
		 "{\"critical\":{\"identity\":{\"docker-reference\":\"example.test/app\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
		 "\"optional\":null}", l.app);
	manifest(&l, "application/vnd.oci.empty.v1+json", "{}", MT_SS, payload, strlen(payload), extra, s);
	tagged(&l, s, sig_tag(l.app, ".sig"));
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "name different images");
	al_oci_free(o);
	lay_free(&l);

	lay_init(&l);
	sig_manifest(&l, l.app, s);
	entry(&l, MT_MAN, l.app, "{\"kind\":\"dev.cosignproject.cosign/image\"}");
	snprintf(ann, sizeof(ann), "{\"kind\":\"dev.cosignproject.cosign/image\",\"org.opencontainers.image.ref.name\":"
		 "\"%s\"}", sig_tag(l.app, ".sig"));
	entry(&l, MT_MAN, s, ann);
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "marked as a cosign image and also as an artifact");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(runnable_image_with_subject)
{
	lay l;
	char b[AL_OCI_DIGEST_STR_MAX], extra[256];
	al_oci *o;

	lay_init(&l);
	snprintf(extra, sizeof(extra), ",\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", MT_MAN,
		 l.app, blob_size(&l, l.app));
	manifest(&l, MT_CFG, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", MT_TGZ, gz_layer,
		 sizeof(gz_layer) - 1, extra, b);
	tagged(&l, l.app, "v1");
	entry(&l, MT_MAN, b, NULL);
	o = open_ok(&l);
	ck_role(o, b, AL_OCI_ROLE_IMAGE, "OCI subject");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(kind_annotation_binds_only_inert_manifests)
{
	lay l;
	char s[AL_OCI_DIGEST_STR_MAX], b[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;

	lay_init(&l);
	sig_manifest(&l, l.app, s);
	image(&l, 1, b);
	entry(&l, MT_MAN, l.app, "{\"kind\":\"dev.cosignproject.cosign/image\"}");
	entry(&l, MT_MAN, s, "{\"kind\":\"dev.cosignproject.cosign/sigs\"}");
	entry(&l, MT_MAN, b, "{\"kind\":\"dev.cosignproject.cosign/sigs\"}");
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_SIGS, "kind");
	ck_role(o, b, AL_OCI_ROLE_IMAGE, "media type");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(artifact_with_another_name_is_an_image)
{
	lay l;
	char s[AL_OCI_DIGEST_STR_MAX], ann[512];
	al_oci *o;

	lay_init(&l);
	sig_manifest(&l, l.app, s);
	tagged(&l, l.app, "v1");
	snprintf(ann, sizeof(ann), "{\"kind\":\"dev.cosignproject.cosign/sigs\",\"org.opencontainers.image.ref.name\":"
				   "\"latest\"}");
	entry(&l, MT_MAN, s, ann);
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "latest");
	al_oci_free(o);
	lay_free(&l);

	lay_init(&l);
	sig_manifest(&l, l.app, s);
	tagged(&l, l.app, "v1");
	snprintf(ann, sizeof(ann), "{\"org.opencontainers.image.ref.name\":\"%s\",\"io.containerd.image.name\":"
				   "\"docker.io/library/app:latest\"}", sig_tag(l.app, ".sig"));
	entry(&l, MT_MAN, s, ann);
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "io.containerd.image.name");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(artifact_of_nothing_here_is_an_image)
{
	lay l;
	char s[AL_OCI_DIGEST_STR_MAX];
	const char *nowhere = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
	al_oci *o;

	lay_init(&l);
	sig_manifest(&l, nowhere, s);
	tagged(&l, l.app, "v1");
	tagged(&l, s, sig_tag(nowhere, ".sig"));
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "no image of this bundle");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

/* A JSON document that Go's archive/tar also reads as a tar header. */
static size_t
json_tar_polyglot(char *out, size_t cap)
{
	unsigned sum = 0;
	size_t n;

	ck_assert_uint_ge(cap, 1024);
	memset(out, 'a', 1023);
	memcpy(out, "{\"x\":\"", 6);
	memcpy(out + 100, "0000644 ", 8);      /* mode */
	memcpy(out + 108, "0000000 0000000 ", 16); /* uid, gid */
	memcpy(out + 124, "00000000001 ", 12); /* size: 1 byte */
	memcpy(out + 136, "00000000000 ", 12); /* mtime */
	memcpy(out + 148, "        ", 8);
	out[156] = '0';                          /* regular file */
	for (size_t i = 0; i < 512; i++)
		sum += (uint8_t)out[i];
	snprintf(out + 148, 9, "%06o ", sum);
	out[155] = ' ';
	memcpy(out + 1020, "\"}", 2);
	n = 1022;
	out[n] = '\0';
	return n;
}

START_TEST(signature_whose_content_is_a_tar)
{
	lay l;
	char s[AL_OCI_DIGEST_STR_MAX], poly[1100];
	size_t pn = json_tar_polyglot(poly, sizeof(poly));
	al_json *j = NULL;
	al_oci *o;

	/* it is JSON... */
	ck_assert_ok(al_json_parse(al_bytes_of(poly, pn), &j, &err), &err);
	al_json_free(j);
	lay_init(&l);
	manifest(&l, MT_CFG, "{}", MT_SS, poly, pn, NULL, s);
	tagged(&l, l.app, "v1");
	tagged(&l, s, sig_tag(l.app, ".sig"));
	o = open_ok(&l);
	/* ...and a tar */
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "tar stream");
	al_oci_free(o);
	lay_free(&l);

	lay_init(&l);
	manifest(&l, MT_CFG, "{}", MT_SS, gz_layer, sizeof(gz_layer) - 1, NULL, s);
	tagged(&l, l.app, "v1");
	tagged(&l, s, sig_tag(l.app, ".sig"));
	o = open_ok(&l);
	ck_role(o, s, AL_OCI_ROLE_IMAGE, "gzip stream");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(referrers_index_with_an_image_inside)
{
	lay l;
	char b[AL_OCI_DIGEST_STR_MAX], idx[AL_OCI_DIGEST_STR_MAX], doc[1024], extra[256];
	al_oci *o;

	lay_init(&l);
	snprintf(extra, sizeof(extra), ",\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", MT_MAN,
		 l.app, blob_size(&l, l.app));
	manifest(&l, MT_CFG, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", MT_TGZ, gz_layer,
		 sizeof(gz_layer) - 1, extra, b);
	snprintf(doc, sizeof(doc), "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":\"%s\","
				   "\"digest\":\"%s\",\"size\":%zu}]}", MT_IDX, MT_MAN, b, blob_size(&l, b));
	blob_str(&l, doc, idx);
	tagged(&l, l.app, "v1");
	{
		char ann[256];

		snprintf(ann, sizeof(ann), "{\"org.opencontainers.image.ref.name\":\"%s\"}", sig_tag(l.app, ""));
		entry(&l, MT_IDX, idx, ann);
	}
	o = open_ok(&l);
	ck_role(o, idx, AL_OCI_ROLE_IMAGE, "entry 0");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

START_TEST(duplicate_tags_refused)
{
	lay l;
	char b[AL_OCI_DIGEST_STR_MAX];

	lay_init(&l);
	image(&l, 1, b);
	tagged(&l, l.app, "v1");
	tagged(&l, b, "v1");
	open_fails(&l, AL_E_BUNDLE_FORMAT, "both tagged \"v1\"");
	lay_free(&l);
}
END_TEST

/* ================================================================ media types */

START_TEST(index_entry_types_decided_by_content)
{
	static const char *const types[] = {
		"application/vnd.oci.image.layer.v1.tar+gzip", "application/octet-stream",
		"application/vnd.docker.distribution.manifest.v1+prettyjws", "application/x-unknown",
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(types); i++) {
		lay l;

		lay_init(&l);
		entry(&l, types[i], l.app, NULL);
		open_fails(&l, AL_E_BUNDLE_FORMAT, "index.json manifests[0]");
		ck_assert_msg(strstr(err.msg, "an image manifest"), "%s", err.msg);
		lay_free(&l);
	}
}
END_TEST

START_TEST(nested_child_types_decided_by_content)
{
	lay l;
	char idx[AL_OCI_DIGEST_STR_MAX], doc[1024];

	lay_init(&l);
	snprintf(doc, sizeof(doc), "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":"
				   "\"application/octet-stream\",\"digest\":\"%s\",\"size\":%zu,\"platform\":"
				   "{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}", MT_IDX, l.app, blob_size(&l, l.app));
	blob_str(&l, doc, idx);
	entry(&l, MT_IDX, idx, NULL);
	open_fails(&l, AL_E_BUNDLE_FORMAT, "manifests[0]");
	ck_assert_msg(strstr(err.msg, "an image manifest"), "%s", err.msg);
	lay_free(&l);
}
END_TEST

/* ================================================================ buildx attestation manifests */

/* An index of the app image and a buildx attestation child of platform
 * os_arch that names ref (NULL: the app image) as its platform. */
static void
buildx_of(lay *l, const char *os_arch, const char *ref, char idx[AL_OCI_DIGEST_STR_MAX],
	  char att[AL_OCI_DIGEST_STR_MAX])
{
	char doc[2048], st[] = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}";
	const char *os = os_arch, *slash = strchr(os_arch, '/');

	manifest(l, MT_CFG, "{\"architecture\":\"unknown\",\"os\":\"unknown\"}", "application/vnd.in-toto+json", st,
		 strlen(st), NULL, att);
	snprintf(doc, sizeof(doc),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
		 "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"os\":\"linux\",\"architecture\":"
		 "\"amd64\"}},"
		 "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"os\":\"%.*s\",\"architecture\":"
		 "\"%s\"},\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\","
		 "\"vnd.docker.reference.digest\":\"%s\"}}]}",
		 MT_IDX, MT_MAN, l->app, blob_size(l, l->app), MT_MAN, att, blob_size(l, att), (int)(slash - os), os,
		 slash + 1, ref ? ref : l->app);
	blob_str(l, doc, idx);
	entry(l, MT_IDX, idx, "{\"org.opencontainers.image.ref.name\":\"v1\"}");
}

static void
buildx(lay *l, const char *os_arch, char idx[AL_OCI_DIGEST_STR_MAX], char att[AL_OCI_DIGEST_STR_MAX])
{
	buildx_of(l, os_arch, NULL, idx, att);
}

/* The child is image content unless it is shaped as buildx writes it:
 * what does not hold is named. */
static void
buildx_is_image(const char *os_arch, bool other_ref, bool self_ref, const char *why)
{
	lay l;
	char idx[AL_OCI_DIGEST_STR_MAX], att[AL_OCI_DIGEST_STR_MAX], other[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;
	const al_oci_node *n;

	lay_init(&l);
	image(&l, 7, other);
	tagged(&l, other, "other");
	if (self_ref) {
		/* the child's own digest is known only once it is written */
		buildx_of(&l, os_arch, NULL, idx, att);
		l.entries[0] = '\0';
		tagged(&l, other, "other");
		buildx_of(&l, os_arch, att, idx, att);
	} else {
		buildx_of(&l, os_arch, other_ref ? other : NULL, idx, att);
	}
	o = open_ok(&l);
	n = ref_of(o, idx)->desc.node;
	ck_assert_int_eq(n->manifests[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_msg(n->manifests[1].role == AL_OCI_ROLE_IMAGE, "%s: %s", os_arch, n->manifests[1].why);
	ck_assert_msg(strstr(n->manifests[1].why, why), "\"%s\" lacks \"%s\"", n->manifests[1].why, why);
	al_oci_free(o);
	lay_free(&l);
}

/* Each condition of a buildx attestation on its own: either half of the
 * platform, and a platform reference to anything but a sibling. */
START_TEST(buildx_attestation_twins)
{
	buildx_is_image("linux/unknown", false, false, "unknown/unknown");
	buildx_is_image("unknown/amd64", false, false, "unknown/unknown");
	buildx_is_image("unknown/unknown", true, false, "names no platform of this index");
	buildx_is_image("unknown/unknown", false, true, "names no platform of this index");
}
END_TEST

START_TEST(buildx_attestation_manifest)
{
	lay l;
	char idx[AL_OCI_DIGEST_STR_MAX], att[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;
	const al_oci_node *n;

	lay_init(&l);
	buildx(&l, "unknown/unknown", idx, att);
	o = open_ok(&l);
	n = ref_of(o, idx)->desc.node;
	ck_assert_int_eq(n->manifests[0].role, AL_OCI_ROLE_IMAGE);
	ck_assert_int_eq(n->manifests[1].role, AL_OCI_ROLE_ATTS);
	al_oci_free(o);
	lay_free(&l);

	/* a platform a consumer could choose: image content */
	lay_init(&l);
	buildx(&l, "linux/amd64", idx, att);
	o = open_ok(&l);
	n = ref_of(o, idx)->desc.node;
	ck_assert_int_eq(n->manifests[1].role, AL_OCI_ROLE_IMAGE);
	ck_assert_msg(strstr(n->manifests[1].why, "unknown/unknown"), "%s", n->manifests[1].why);
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

/* ================================================================ Go's JSON keys */

START_TEST(keys_that_fold_onto_fields)
{
	static const char *const from[] = { "\"size\"", "\"digest\"", "\"mediaType\"" };
	static const char *const to[] = { "\"Size\"", "\"dig\xc5\xbf" "est\"", "\"MEDIATYPE\"" };

	for (size_t i = 0; i < AL_ARRAY_LEN(from); i++) {
		lay l;
		char *mut;

		lay_init(&l);
		tagged(&l, l.app, "v1");
		mut = al_test_mutate(l.entries, from[i], to[i]);
		snprintf(l.entries, sizeof(l.entries), "%s", mut);
		free(mut);
		open_fails(&l, AL_E_JSON, "index.json manifests[0]");
		lay_free(&l);
	}
}
END_TEST

START_TEST(a_second_digest_key_is_refused)
{
	lay l;
	char b[AL_OCI_DIGEST_STR_MAX], e[512];

	lay_init(&l);
	image(&l, 1, b);
	snprintf(e, sizeof(e), "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,\"Digest\":\"%s\"}", MT_MAN, l.app,
		 blob_size(&l, l.app), b);
	snprintf(l.entries, sizeof(l.entries), "%s", e);
	open_fails(&l, AL_E_JSON, "Digest");
	lay_free(&l);
}
END_TEST

/* ================================================================ other views */

static void
docker_manifest(lay *l, const char *cfg, const char *layer, const char *key)
{
	char doc[1024];

	snprintf(doc, sizeof(doc), "[{\"%s\":\"blobs/sha256/%s\",\"RepoTags\":[\"example.test/app:v1\"],"
				   "\"Layers\":[\"blobs/sha256/%s\"]}]", key, cfg + 7, layer + 7);
	put_file(l, "manifest.json", doc, strlen(doc));
}

/* the config and layer digests of the app manifest */
static void
app_parts(lay *l, char cfg[AL_OCI_DIGEST_STR_MAX], char layer[AL_OCI_DIGEST_STR_MAX])
{
	al_oci *o = open_ok(l);
	const al_oci_node *n = ref_of(o, l->app)->desc.node;
	al_arena a = { 0 };
	al_oci_blobs b;

	ck_assert_ok(al_oci_node_blobs(o, n, &a, &b, &err), &err);
	al_oci_digest_str(&b.config->digest, cfg);
	al_oci_digest_str(&b.layers[0].digest, layer);
	al_arena_free(&a);
	al_oci_free(o);
}

START_TEST(docker25_views_agree)
{
	lay l;
	char cfg[AL_OCI_DIGEST_STR_MAX], layer[AL_OCI_DIGEST_STR_MAX], b[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;

	lay_init(&l);
	tagged(&l, l.app, "v1");
	app_parts(&l, cfg, layer);
	docker_manifest(&l, cfg, layer, "Config");
	put_file(&l, "repositories", "{}", 2);
	o = open_ok(&l);
	ck_assert_uint_eq(o->n_docker, 1);
	ck_assert_ptr_eq(o->docker[0].node, ref_of(o, l.app)->desc.node);
	ck_assert_str_eq(o->docker[0].repo_tags[0], "example.test/app:v1");
	al_oci_free(o);

	/* docker load would load another config: a present blob that is no
	 * OCI manifest's config beside app's layer */
	image(&l, 1, b);
	docker_manifest(&l, b, layer, "Config");
	open_fails(&l, AL_E_BUNDLE_FORMAT, "manifest.json[0]");
	/* a key docker reads as Config */
	docker_manifest(&l, cfg, layer, "config");
	open_fails(&l, AL_E_BUNDLE_FORMAT, "manifest.json[0]");
	lay_free(&l);
}
END_TEST

START_TEST(layout_that_is_also_another_format)
{
	lay l;

	lay_init(&l);
	tagged(&l, l.app, "v1");
	put_file(&l, "manifest.json", "{\"schemaVersion\":2}", 19);
	open_fails(&l, AL_E_BUNDLE_FORMAT, "containers/image dir:");
	lay_free(&l);

	lay_init(&l);
	tagged(&l, l.app, "v1");
	put_file(&l, "repositories", "{}", 2);
	open_fails(&l, AL_E_BUNDLE_FORMAT, "repositories");
	lay_free(&l);

	lay_init(&l);
	tagged(&l, l.app, "v1");
	put_file(&l, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/layer.tar", "x", 1);
	open_fails(&l, AL_E_BUNDLE_FORMAT, "legacy docker image directories");
	lay_free(&l);
}
END_TEST

/* ================================================================ legacy docker-archive */

START_TEST(docker_layers_resolving_to_one_file)
{
	lay l;
	char cfgd[AL_OCI_DIGEST_STR_MAX], doc[1024], cfg[512];
	const char *d1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	const char *d2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
	al_oci *o = NULL;

	al_oci_digest d;

	/* a docker-archive directory: no oci-layout, no blobs/ */
	lay_init(&l);
	snprintf(doc, sizeof(doc), "rm -rf '%s/oci-layout' '%s/blobs'", l.dir, l.dir);
	ck_assert_int_eq(system(doc), 0);
	snprintf(cfg, sizeof(cfg), "{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\",\"%s\"]}}", d1,
		 d2);
	al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(cfg), &d);
	al_oci_digest_str(&d, cfgd);
	snprintf(doc, sizeof(doc), "%s.json", cfgd + 7);
	put_file(&l, doc, cfg, strlen(cfg));
	put_file(&l, "aaaa/layer.tar", "layer bytes", 11);
	snprintf(doc, sizeof(doc), "[{\"Config\":\"%s.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"aaaa/layer.tar\","
				   "\"aaaa/layer.tar\"]}]", cfgd + 7);
	put_file(&l, "manifest.json", doc, strlen(doc));
	al_err_clear(&err);
	ck_assert_int_eq(al_oci_open(l.dir, AL_OCI_NO_THREADS, 0, &o, &err), AL_E_BUNDLE_FORMAT);
	ck_assert_msg(strstr(err.msg, "Layers[1]") && strstr(err.msg, "aaaa/layer.tar"), "%s", err.msg);
	lay_free(&l);
}
END_TEST

/* A chain of signatures on signatures listed in reverse binds one link per
 * round; rounds are bounded (AL_MAX_BINDING_ROUNDS), so a long chain costs
 * no more than a few passes and its tail is treated as images. */
START_TEST(artifact_chains_are_bounded)
{
	lay l;
	char s[AL_MAX_BINDING_ROUNDS + 2][AL_OCI_DIGEST_STR_MAX];
	al_oci *o;
	int n = AL_MAX_BINDING_ROUNDS + 2;

	lay_init(&l);
	for (int i = 0; i < n; i++)
		sig_manifest(&l, i ? s[i - 1] : l.app, s[i]);
	for (int i = n - 1; i >= 0; i--)
		tagged(&l, s[i], sig_tag(i ? s[i - 1] : l.app, ".sig"));
	tagged(&l, l.app, "v1");
	o = open_ok(&l);
	ck_role(o, s[AL_MAX_BINDING_ROUNDS - 1], AL_OCI_ROLE_SIGS, "cosign tag");
	ck_role(o, s[AL_MAX_BINDING_ROUNDS], AL_OCI_ROLE_IMAGE, "no image of this bundle");
	al_oci_free(o);
	lay_free(&l);
}
END_TEST

/* ================================================================ a large index, and one at AL_MAX_INDEX_ENTRIES */

/* Images of the large index: 8,192 entries, as many as the bound was until
 * it rose to 100,000 (at which bench/run verifies one; writing 200,000 files
 * for each case here would cost minutes of every test run). */
#define BIG_IMAGES 4096

/* n_img images, each with its cosign .sig entry, in an index.json written
 * here (the lay buffer holds a few entries); extra: one more entry after
 * them, or NULL; dup_tag: the last signature entry also carries the first
 * one's tag. Returns the image digests (n_img of them). */
static char (*big_index(lay *l, size_t n_img, const char *extra, bool dup_tag))[AL_OCI_DIGEST_STR_MAX]
{
	char (*img)[AL_OCI_DIGEST_STR_MAX] = calloc(n_img, sizeof(*img));
	size_t cap = (n_img * 2 + 2) * 400 + 256, n = 0;
	char *doc = malloc(cap);

	ck_assert_ptr_nonnull(img);
	ck_assert_ptr_nonnull(doc);
	n += (size_t)snprintf(doc + n, cap - n, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[", MT_IDX);
	for (size_t i = 0; i < n_img; i++) {
		char sd[AL_OCI_DIGEST_STR_MAX];
		const char *tag;

		image(l, (int)i, img[i]);
		sig_manifest(l, img[i], sd);
		/* the first image's signature tag, once more, on the last one */
		tag = sig_tag(dup_tag && i + 1 == n_img ? img[0] : img[i], ".sig");
		n += (size_t)snprintf(doc + n, cap - n,
				      "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu},"
				      "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":"
				      "{\"org.opencontainers.image.ref.name\":\"%s\"}}",
				      i ? "," : "", MT_MAN, img[i], blob_size(l, img[i]), MT_MAN, sd, blob_size(l, sd), tag);
		ck_assert_uint_lt(n, cap);
	}
	if (extra != NULL)
		n += (size_t)snprintf(doc + n, cap - n, ",{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", MT_MAN,
				      extra, blob_size(l, extra));
	n += (size_t)snprintf(doc + n, cap - n, "]}");
	ck_assert_uint_lt(n, cap);
	put_file(l, "index.json", doc, n);
	free(doc);
	return img;
}

static al_oci *
big_open(lay *l, al_rc want)
{
	al_oci *o = NULL;
	al_rc rc;

	al_err_clear(&err);
	rc = al_oci_open(l->dir, AL_OCI_NO_THREADS, 0, &o, &err);
	ck_assert_msg(rc == want, "rc %s, want %s: %s", al_rc_name(rc), al_rc_name(want), err.msg);
	return o;
}

/* A large index opens, and every lookup the sorted indexes answer
 * (signatures by subject, entries by digest for binding, tags by name)
 * finds what it should, at the start and at the end. */
START_TEST(index_large)
{
	const size_t n_img = BIG_IMAGES;
	lay l;
	char (*img)[AL_OCI_DIGEST_STR_MAX];
	al_oci *o;

	lay_init(&l);
	img = big_index(&l, n_img, NULL, false);
	o = big_open(&l, AL_OK);
	ck_assert_uint_eq(o->n_refs, 2 * n_img);
	for (size_t i = 0; i < n_img; i += n_img - 1) {
		const al_oci_node *sig[2];
		al_oci_digest d;

		ck_assert_ok(al_oci_digest_parse(al_bytes_str(img[i]), &d, &err), &err);
		ck_assert_int_eq(o->refs[2 * i].role, AL_OCI_ROLE_IMAGE);
		ck_assert_int_eq(o->refs[2 * i + 1].role, AL_OCI_ROLE_SIGS);
		ck_assert_uint_eq(al_oci_find_attached(o, &d, AL_OCI_ROLE_SIGS, sig, 2), 1);
		ck_assert_ptr_eq(sig[0], o->refs[2 * i + 1].desc.node);
		ck_assert_uint_eq(al_oci_find_attached(o, &d, AL_OCI_ROLE_ATTS, sig, 2), 0);
	}
	al_oci_free(o);
	free(img);
	lay_free(&l);
}
END_TEST

/* Exactly AL_MAX_INDEX_ENTRIES entries open (each names the same image:
 * the bound is on entries), and one more is refused naming index.json and
 * the limit, before any is read. */
START_TEST(index_at_the_limit)
{
	char want[256], img[AL_OCI_DIGEST_STR_MAX], ent[512];
	size_t cap, n;
	char *doc;
	lay l;
	al_oci *o;

	lay_init(&l);
	image(&l, 1, img);
	n = (size_t)snprintf(ent, sizeof(ent), "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}", MT_MAN, img,
			     blob_size(&l, img));
	cap = (AL_MAX_INDEX_ENTRIES + 1) * (n + 1) + 256;
	doc = malloc(cap);
	ck_assert_ptr_nonnull(doc);
	for (int more = 0; more <= 1; more++) {
		size_t k = (size_t)snprintf(doc, cap, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[", MT_IDX);

		for (size_t i = 0; i < (size_t)AL_MAX_INDEX_ENTRIES + (size_t)more; i++) {
			if (i)
				doc[k++] = ',';
			memcpy(doc + k, ent, n);
			k += n;
		}
		k += (size_t)snprintf(doc + k, cap - k, "]}");
		ck_assert_uint_lt(k, cap);
		put_file(&l, "index.json", doc, k);
		o = big_open(&l, more ? AL_E_LIMIT : AL_OK);
		if (!more) {
			ck_assert_uint_eq(o->n_refs, AL_MAX_INDEX_ENTRIES);
			ck_assert_ptr_eq(o->refs[0].desc.node, o->refs[AL_MAX_INDEX_ENTRIES - 1].desc.node);
			ck_assert_int_eq(o->refs[AL_MAX_INDEX_ENTRIES - 1].role, AL_OCI_ROLE_IMAGE);
			al_oci_free(o);
			continue;
		}
		ck_assert_ptr_null(o);
		snprintf(want, sizeof(want), "index.json: %d manifests, more than the limit of %d",
			 AL_MAX_INDEX_ENTRIES + 1, AL_MAX_INDEX_ENTRIES);
		ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
		ck_assert_msg(strstr(err.msg, l.dir) != NULL, "%s", err.msg);
	}
	free(doc);
	lay_free(&l);
}
END_TEST

/* The large index's twins: the last entry tagged as the first is refused
 * naming both; and a blob of the last image changed on disk is reported by
 * its path. */
START_TEST(index_large_twins)
{
	const size_t n_img = BIG_IMAGES;
	char want[256], rel[256], cfg[256];
	lay l;
	char (*img)[AL_OCI_DIGEST_STR_MAX];

	lay_init(&l);
	free(big_index(&l, n_img, NULL, true));
	ck_assert_ptr_null(big_open(&l, AL_E_BUNDLE_FORMAT));
	snprintf(want, sizeof(want), "index.json manifests[1] and manifests[%zu] are both tagged", 2 * n_img - 1);
	ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);

	/* the last image's config (image() makes it distinct per seed), tampered */
	img = big_index(&l, n_img, NULL, false);
	snprintf(cfg, sizeof(cfg),
		 "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/app%d\"]},"
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", (int)n_img - 1);
	{
		al_oci_digest d;
		char ds[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(cfg), &d);
		al_oci_digest_str(&d, ds);
		snprintf(rel, sizeof(rel), "blobs/sha256/%s", ds + 7);
		cfg[strlen(cfg) - 3] = 'X'; /* same size, other bytes */
		put_file(&l, rel, cfg, strlen(cfg));
	}
	ck_assert_ptr_null(big_open(&l, AL_E_BUNDLE_BLOB));
	ck_assert_msg(strstr(err.msg, rel) != NULL && strstr(err.msg, "digest mismatch") != NULL, "%s", err.msg);
	snprintf(want, sizeof(want), "manifests[%zu]", 2 * n_img - 2);
	ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
	free(img);
	lay_free(&l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oci_closed");
	TCase *t = tcase_create("closed");

	tcase_set_timeout(t, 300);
	tcase_add_test(t, signed_app_and_its_sig);
	tcase_add_test(t, runnable_image_dressed_as_artifact);
	tcase_add_test(t, runnable_image_with_subject);
	tcase_add_test(t, artifact_shape_is_checked);
	tcase_add_test(t, bindings_must_agree);
	tcase_add_test(t, kind_annotation_binds_only_inert_manifests);
	tcase_add_test(t, artifact_with_another_name_is_an_image);
	tcase_add_test(t, artifact_of_nothing_here_is_an_image);
	tcase_add_test(t, signature_whose_content_is_a_tar);
	tcase_add_test(t, referrers_index_with_an_image_inside);
	tcase_add_test(t, duplicate_tags_refused);
	tcase_add_test(t, artifact_chains_are_bounded);
	tcase_add_test(t, index_entry_types_decided_by_content);
	tcase_add_test(t, nested_child_types_decided_by_content);
	tcase_add_test(t, buildx_attestation_manifest);
	tcase_add_test(t, buildx_attestation_twins);
	tcase_add_test(t, keys_that_fold_onto_fields);
	tcase_add_test(t, a_second_digest_key_is_refused);
	tcase_add_test(t, docker25_views_agree);
	tcase_add_test(t, layout_that_is_also_another_format);
	tcase_add_test(t, docker_layers_resolving_to_one_file);
	tcase_add_test(t, index_large);
	tcase_add_test(t, index_large_twins);
	tcase_add_test(t, index_at_the_limit);
	suite_add_tcase(s, t);
	return al_test_run(s);
}
