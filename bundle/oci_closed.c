/*
 * oci_closed.c — the closed world (docs/design.md §3).
 *
 * A bundle verifies only if every image any consumer could load from it is
 * verified. Consumers (skopeo and podman through oci:, oci-archive:,
 * docker-archive: and dir:, docker load, containerd's ctr import, cosign
 * load) load whatever index.json names, whatever docker's manifest.json names,
 * and whatever a directory looks like to their own format detection. So this
 * file decides, after the graph is built and every blob is proven:
 *
 *  - the role of every index.json entry: an image (it must verify), or an
 *    artifact of an image in this same bundle (a cosign signature,
 *    attestation or SBOM, an OCI 1.1 referrer, a referrers index). An entry
 *    is an artifact only when it is bound to an image here, made only of the
 *    artifact media types of its role, non-runnable by content, and carries
 *    no other name a consumer could load it by; anything that fails one of
 *    these is an image, whatever it claims to be;
 *  - the role of every child of an index: image content (a platform), or a
 *    buildx attestation manifest bound to a sibling platform;
 *  - docker's view of a Docker 25+ archive: every manifest.json entry must
 *    load an image manifest of the OCI view (same config, same layers);
 *  - layouts that are also another format (a containers/image dir:
 *    manifest.json object, legacy docker image directories) are refused.
 *
 * Nothing here trusts a signature: verify/ does that, for every entry whose
 * role is image.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_internal.h"

#define MT_SIMPLESIG "application/vnd.dev.cosign.simplesigning.v1+json"
#define MT_DSSE "application/vnd.dsse.envelope.v1+json"
#define MT_INTOTO "application/vnd.in-toto+json"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_SIGSTORE_PREFIX "application/vnd.dev.sigstore.bundle"
#define KIND_IMAGE "dev.cosignproject.cosign/image"
#define KIND_INDEX "dev.cosignproject.cosign/imageIndex"
#define KIND_SIGS "dev.cosignproject.cosign/sigs"
#define KIND_ATTS "dev.cosignproject.cosign/atts"
#define KIND_SBOMS "dev.cosignproject.cosign/sboms"
#define ANN_CONTAINERD_NAME "io.containerd.image.name"
#define ANN_BUILDX_TYPE "vnd.docker.reference.type"
#define ANN_BUILDX_DIGEST "vnd.docker.reference.digest"

/* The SBOM media types cosign attach sbom and syft write. */
static const char *const sbom_types[] = {
	"text/spdx", "text/spdx+json", "text/spdx+xml", "application/spdx+json",
	"application/vnd.cyclonedx", "application/vnd.cyclonedx+json", "application/vnd.cyclonedx+xml",
	"application/vnd.syft+json", NULL,
};

typedef struct cw {
	al_oci *o;
	struct al_oci_priv *p;
	al_err *err;
	bool *content;              /* by node index: image content (an image or a platform of one) */
	const al_oci_ref **by_digest; /* o->refs sorted by descriptor digest, then position */
} cw;

static int
ref_digest_cmp(const void *a, const void *b)
{
	const al_oci_ref *x = *(const al_oci_ref *const *)a, *y = *(const al_oci_ref *const *)b;
	int c = oci_digest_cmp(&x->desc.digest, &y->desc.digest);

	return c ? c : x < y ? -1 : x > y;
}

static bool
in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *
cw_printf(cw *c, const char *fmt, ...) AL_PRINTF(2, 3);

static const char *
cw_printf(cw *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s = al_arena_strdup(&c->p->arena, al_bytes_str(line), c->err);
	return s ? s : "(out of memory)";
}

/* ================================================================ what content is */

/* A tar header block as Go's archive/tar accepts it: the checksum field
 * (octal, padded with spaces or NULs) equals the unsigned or the signed sum of
 * the block with that field read as spaces. JSON text can be crafted to pass
 * this, so a layer that does is runnable whatever its media type says. */
static bool
tar_header(al_bytes b)
{
	uint64_t want = 0, usum = 0;
	int64_t ssum = 0;
	size_t i = 148, end = 156;
	bool digits = false;

	if (b.n < 512)
		return false;
	while (i < end && (b.p[i] == ' ' || b.p[i] == '\0'))
		i++;
	while (end > i && (b.p[end - 1] == ' ' || b.p[end - 1] == '\0'))
		end--;
	for (; i < end; i++) {
		if (b.p[i] < '0' || b.p[i] > '7')
			return false;
		want = want * 8 + (uint64_t)(b.p[i] - '0');
		digits = true;
	}
	if (!digits)
		return false;
	for (size_t k = 0; k < 512; k++) {
		uint8_t v = k >= 148 && k < 156 ? ' ' : b.p[k];

		usum += v;
		ssum += (int8_t)v;
	}
	return want == usum || (int64_t)want == ssum;
}

/* Whether a consumer could unpack this blob as a layer: a tar, or a stream
 * in a compression format some consumer detects by its magic. */
static const char *
archive_kind(al_bytes b)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t n;
	} magics[] = {
		{ "gzip", "\x1f\x8b", 2 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "xz", "\xfd" "7zXZ\x00", 6 },
		{ "bzip2", "BZh", 3 },
		{ "lz4", "\x04\x22\x4d\x18", 4 },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(magics); i++)
		if (b.n >= magics[i].n && memcmp(b.p, magics[i].magic, magics[i].n) == 0)
			return magics[i].name;
	/* zstd skippable frames: 0x184D2A50..5F little-endian */
	if (b.n >= 4 && (b.p[0] & 0xf0) == 0x50 && b.p[1] == 0x2a && b.p[2] == 0x4d && b.p[3] == 0x18)
		return "zstd";
	return tar_header(b) ? "tar" : NULL;
}

/* ================================================================ artifacts */

static bool
layer_type_ok(al_oci_role role, const char *mt)
{
	switch (role) {
	case AL_OCI_ROLE_SIGS:
		return mt && strcmp(mt, MT_SIMPLESIG) == 0;
	case AL_OCI_ROLE_ATTS:
		return mt && strcmp(mt, MT_DSSE) == 0;
	case AL_OCI_ROLE_SBOM:
		return in_list(mt, sbom_types);
	case AL_OCI_ROLE_REFERRER:
		return has_prefix(mt, MT_SIGSTORE_PREFIX) || (mt && strcmp(mt, MT_DSSE) == 0) ||
		       (mt && strcmp(mt, MT_INTOTO) == 0) || in_list(mt, sbom_types);
	default:
		return false;
	}
}

/* Configs an artifact may have: the empty descriptor, the (inert, layerless
 * in effect) image configs cosign writes, and artifact types of the Sigstore
 * and in-toto namespaces. */
static bool
config_type_ok(const char *mt)
{
	return mt && (strcmp(mt, MT_EMPTY) == 0 || strcmp(mt, MT_OCI_CONFIG) == 0 ||
		      strcmp(mt, MT_DOCKER_CONFIG) == 0 || has_prefix(mt, "application/vnd.dev.cosign.") ||
		      has_prefix(mt, "application/vnd.dev.sigstore.") || strcmp(mt, MT_INTOTO) == 0);
}

/* NULL when n is a non-runnable artifact manifest of role (and, with
 * only_type, every layer of that media type); else why not. */
static const char *
not_inert(cw *c, const al_oci_node *n, al_oci_role role, const char *only_type)
{
	const char *rn = al_oci_role_name(role), *why = NULL;
	al_arena a = { 0 };
	al_oci_blobs b;
	al_err e;

	if (n == NULL)
		return "its manifest is not in the bundle";
	if (n->kind != AL_OCI_NODE_MANIFEST)
		return cw_printf(c, "it is an index, not a %s manifest", rn);
	if (n->n_layers == 0)
		return "it has no layers (an empty image, not an artifact)";
	if (!config_type_ok(n->config_media_type))
		return cw_printf(c, "its config of media type \"%.100s\" is not an artifact config",
				 n->config_media_type);
	/* the descriptors are read again (the model does not keep them): one
	 * that cannot be read cannot be shown to be inert, so it is an image */
	if (al_oci_node_blobs(c->o, n, &a, &b, &e) != AL_OK) {
		why = cw_printf(c, "its manifest cannot be read again (%.200s)", e.msg);
		goto out;
	}
	if (!b.config->present) {
		why = "its config is absent";
		goto out;
	}
	for (size_t i = 0; why == NULL && i < b.n_layers; i++) {
		const al_oci_desc *l = &b.layers[i];
		al_buf blob = { 0 };
		const char *ak;
		al_err scratch;

		if (!layer_type_ok(role, l->media_type)) {
			why = cw_printf(c, "layer %zu has media type \"%.100s\", not one of a %s artifact", i,
					l->media_type, rn);
			break;
		}
		if (!l->present || l->has_urls) {
			why = cw_printf(c, "layer %zu is not in the bundle, so it cannot be shown to be inert", i);
			break;
		}
		/* the content decides: a "signature" that unpacks as a tar is an image */
		if (l->size > AL_MAX_KEPT_BLOB ||
		    al_oci_blob_read(c->o, &l->digest, AL_MAX_KEPT_BLOB, &blob, &scratch) != AL_OK) {
			al_buf_free(&blob);
			why = cw_printf(c, "layer %zu (%llu bytes) cannot be read back to show it is not an image layer",
					i, (unsigned long long)l->size);
			break;
		}
		ak = archive_kind(al_buf_bytes(&blob));
		al_buf_free(&blob);
		if (ak != NULL)
			why = cw_printf(c, "layer %zu is typed \"%.100s\" but its content is a %s stream that "
					   "consumers unpack as an image layer", i, l->media_type, ak);
	}
	for (size_t i = 0; why == NULL && only_type != NULL && i < b.n_layers; i++)
		if (strcmp(b.layers[i].media_type, only_type) != 0)
			why = cw_printf(c, "layer %zu is not an in-toto statement", i);
out:
	al_arena_free(&a);
	return why;
}

/* A tag naming an artifact: sha256-<hex>.sig|.att|.sbom (cosign) or
 * sha256-<hex> (the OCI 1.1 referrers tag schema), possibly as the tag of a
 * full reference. */
static bool
tag_form(const char *name, al_oci_role *role, al_oci_digest *subject)
{
	static const struct {
		const char *suffix;
		al_oci_role role;
	} forms[] = {
		{ ".sig", AL_OCI_ROLE_SIGS },
		{ ".att", AL_OCI_ROLE_ATTS },
		{ ".sbom", AL_OCI_ROLE_SBOM },
		{ "", AL_OCI_ROLE_REFERRERS_INDEX },
	};
	const char *tag, *colon;
	size_t n;

	if (name == NULL || strchr(name, '@') != NULL)
		return false;
	colon = strrchr(name, ':');
	tag = colon && strchr(colon, '/') == NULL ? colon + 1 : name;
	n = strlen(tag);
	for (size_t i = 0; i < AL_ARRAY_LEN(forms); i++) {
		size_t sl = strlen(forms[i].suffix);
		char tmp[AL_OCI_DIGEST_STR_MAX];
		const char *dash;
		al_err e;

		if (n <= sl || strcmp(tag + n - sl, forms[i].suffix) != 0 || n - sl >= sizeof(tmp))
			continue;
		memcpy(tmp, tag, n - sl);
		tmp[n - sl] = '\0';
		if ((dash = strchr(tmp, '-')) == NULL)
			continue;
		tmp[dash - tmp] = ':';
		if (al_oci_digest_parse(al_bytes_str(tmp), subject, &e) != AL_OK)
			continue;
		*role = forms[i].role;
		return true;
	}
	return false;
}

static bool
kind_role(const char *kind, al_oci_role *role)
{
	if (kind == NULL)
		return false;
	if (strcmp(kind, KIND_SIGS) == 0)
		*role = AL_OCI_ROLE_SIGS;
	else if (strcmp(kind, KIND_ATTS) == 0)
		*role = AL_OCI_ROLE_ATTS;
	else if (strcmp(kind, KIND_SBOMS) == 0)
		*role = AL_OCI_ROLE_SBOM;
	else
		return false;
	return true;
}

static size_t
node_index(const cw *c, const al_oci_node *n)
{
	size_t i;

	return oci_node_index(c->o, n->digest, &i) ? i : (size_t)-1;
}

/* Marks n and every platform below it as image content. */
static void
mark_content(cw *c, const al_oci_node *n, unsigned depth)
{
	size_t i;

	if (n == NULL || depth > AL_MAX_INDEX_DEPTH || (i = node_index(c, n)) == (size_t)-1 || c->content[i])
		return;
	c->content[i] = true;
	for (size_t k = 0; k < n->n_manifests; k++)
		if (n->manifests[k].role == AL_OCI_ROLE_IMAGE)
			mark_content(c, n->manifests[k].node, depth + 1);
}

/* The children of an index: a buildx attestation manifest (in-toto layers,
 * platform unknown/unknown, bound to a sibling platform by digest) is an
 * artifact; every other child is image content. */
static void
classify_children(cw *c, al_oci_node *n)
{
	al_oci_desc *kids = oci_node_manifests_w(n);

	for (size_t k = 0; k < n->n_manifests; k++) {
		kids[k].role = AL_OCI_ROLE_IMAGE;
		kids[k].why = "image content: a platform of the index";
	}
	for (size_t k = 0; k < n->n_manifests; k++) {
		al_oci_desc *d = &kids[k];
		const char *type = al_oci_annotation(d->annotations, d->n_annotations, ANN_BUILDX_TYPE);
		const char *ref = al_oci_annotation(d->annotations, d->n_annotations, ANN_BUILDX_DIGEST);
		const char *bad = NULL;
		al_oci_digest sd;
		al_err e;
		bool sibling = false;

		if (type == NULL || strcmp(type, "attestation-manifest") != 0)
			continue;
		if (d->platform == NULL || d->platform->os == NULL || strcmp(d->platform->os, "unknown") != 0 ||
		    d->platform->architecture == NULL || strcmp(d->platform->architecture, "unknown") != 0 ||
		    d->platform->variant != NULL)
			bad = "a buildx attestation manifest must have platform unknown/unknown (a consumer choosing a "
			      "platform could otherwise pick it)";
		else if (ref == NULL || al_oci_digest_parse(al_bytes_str(ref), &sd, &e) != AL_OK)
			bad = "its " ANN_BUILDX_DIGEST " annotation does not name a digest";
		if (bad == NULL) {
			for (size_t s = 0; s < n->n_manifests; s++)
				if (s != k && al_oci_digest_eq(&kids[s].digest, &sd) &&
				    al_oci_annotation(kids[s].annotations, kids[s].n_annotations, ANN_BUILDX_TYPE) == NULL)
					sibling = true;
			if (!sibling)
				bad = "its " ANN_BUILDX_DIGEST " names no platform of this index";
		}
		if (bad == NULL) {
			/* in-toto statements as layers: the referrer rule without the other types */
			bad = not_inert(c, d->node, AL_OCI_ROLE_REFERRER, MT_INTOTO);
		}
		if (bad != NULL) {
			d->why = cw_printf(c, "image content: marked as a buildx attestation, but %s", bad);
			continue;
		}
		d->role = AL_OCI_ROLE_ATTS;
		d->why = cw_printf(c, "buildx attestation manifest of platform %.80s", ref);
	}
}

/* ================================================================ index.json entries */

typedef struct cand {
	al_oci_role role;           /* what it claims to be */
	bool pending;               /* an artifact claim not yet proven */
	const char *claim;          /* how it claims it */
} cand;

/* What an entry claims to be, and the subject it claims to belong to. Every
 * binding it carries must name the same subject. */
static const char *
claim(cw *c, al_oci_ref *r, const al_oci_ref *cosign_image, cand *k)
{
	al_oci_role tr = 0, kr = 0;
	al_oci_digest ts;
	const al_oci_digest *ns = NULL;
	bool has_tag, has_kind, has_node_subject;
	const char *cname = al_oci_annotation(r->desc.annotations, r->desc.n_annotations, ANN_CONTAINERD_NAME);
	const char *kind = al_oci_annotation(r->desc.annotations, r->desc.n_annotations, ANN_COSIGN_KIND);

	memset(k, 0, sizeof(*k));
	k->role = AL_OCI_ROLE_IMAGE;
	r->subject = NULL;
	has_tag = tag_form(r->ref_name, &tr, &ts);
	has_kind = kind_role(kind, &kr);
	has_node_subject = r->desc.node && r->desc.node->subject;
	if (has_node_subject)
		ns = &r->desc.node->subject->digest;
	if (kind && (strcmp(kind, KIND_IMAGE) == 0 || strcmp(kind, KIND_INDEX) == 0)) {
		if (has_tag || has_node_subject)
			return "it is marked as a cosign image and also as an artifact";
		return "an image (cosign save `kind` image annotation)";
	}
	if (!has_tag && !has_kind && !has_node_subject)
		return r->ref_name ? "an image (tagged)" : "an image";
	/* an artifact's only names are its artifact tags */
	if (r->ref_name && !has_tag)
		return cw_printf(c, "it claims to be an artifact but is also tagged \"%.100s\", a name a consumer "
				    "loads it by", r->ref_name);
	if (cname) {
		al_oci_role cr;
		al_oci_digest cs;

		if (!tag_form(cname, &cr, &cs) || (has_tag && (cr != tr || !al_oci_digest_eq(&cs, &ts))))
			return cw_printf(c, "it claims to be an artifact but carries the image name \"%.100s\" (%s)",
					 cname, ANN_CONTAINERD_NAME);
	}
	if (has_tag && has_kind && tr != kr)
		return "its tag and its cosign `kind` annotation name different roles";
	if (has_tag) {
		/* the node's own digest when the bundle has it (an artifact binds
		 * only to one it has): a copy per signature is 80 bytes */
		const al_oci_node *sn = al_oci_node_get(c->o, &ts);
		al_oci_digest *sp = NULL;

		if (sn == NULL && (sp = al_arena_alloc(&c->p->arena, sizeof(*sp), NULL)) == NULL)
			return "out of memory recording the subject its tag names";
		if (sp != NULL)
			*sp = ts;
		k->role = tr;
		r->subject = sn != NULL ? sn->digest : sp;
		k->claim = tr == AL_OCI_ROLE_REFERRERS_INDEX ? "referrers tag" : "cosign tag";
	} else if (has_kind) {
		k->role = kr;
		k->claim = "cosign save `kind` annotation";
		if (cosign_image != NULL)
			r->subject = &cosign_image->desc.digest;
	} else {
		k->role = AL_OCI_ROLE_REFERRER;
		k->claim = "OCI subject";
	}
	if (has_node_subject) {
		if (r->subject != NULL && !al_oci_digest_eq(ns, r->subject))
			return cw_printf(c, "its %s and its OCI subject name different images", k->claim);
		r->subject = ns;
		if (k->role == AL_OCI_ROLE_REFERRERS_INDEX)
			return "an index tagged as a referrers index must not have a subject of its own";
	}
	if (r->subject == NULL)
		return "it claims to be an artifact (cosign save `kind` annotation) but the layout does not hold "
		       "exactly one cosign image to bind it to";
	k->pending = true;
	return NULL;
}

/* Whether d is something an artifact may belong to: image content, or an
 * artifact already proven (a signature on an attestation). */
static bool
bindable(cw *c, const al_oci_digest *d, const cand *k)
{
	const al_oci_node *n = al_oci_node_get(c->o, d);
	size_t i, lo = 0, hi = c->o->n_refs;

	/* the entries with this digest: a binary search of c->by_digest, so
	 * that binding every entry is not quadratic in the entries */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (oci_digest_cmp(&c->by_digest[mid]->desc.digest, d) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t s = lo; s < c->o->n_refs && al_oci_digest_eq(&c->by_digest[s]->desc.digest, d); s++) {
		const al_oci_ref *r = c->by_digest[s];

		if (!k[r - c->o->refs].pending && r->role != 0)
			return true;
	}
	return n != NULL && (i = node_index(c, n)) != (size_t)-1 && c->content[i];
}

/* An artifact of role whose subject is proven bindable: NULL if it is one. */
static const char *
prove_artifact(cw *c, al_oci_ref *r, al_oci_role role)
{
	size_t ni = r->desc.node ? node_index(c, r->desc.node) : (size_t)-1;
	al_oci_node *n = ni == (size_t)-1 ? NULL : c->o->nodes[ni];
	al_oci_desc *kids;
	char sd[AL_OCI_DIGEST_STR_MAX];
	const char *why;

	al_oci_digest_str(r->subject, sd);
	if (role != AL_OCI_ROLE_REFERRERS_INDEX)
		return not_inert(c, n, role, NULL);
	if (n == NULL || n->kind != AL_OCI_NODE_INDEX)
		return "a referrers tag on something that is not an index";
	kids = oci_node_manifests_w(n);
	for (size_t k = 0; k < n->n_manifests; k++) {
		al_oci_desc *d = &kids[k];
		const al_oci_node *m = d->node;

		if (m == NULL || m->subject == NULL || !al_oci_digest_eq(&m->subject->digest, r->subject))
			return cw_printf(c, "its entry %zu is not a referrer of %s", k, sd);
		if ((why = not_inert(c, m, AL_OCI_ROLE_REFERRER, NULL)) != NULL)
			return cw_printf(c, "its entry %zu: %s", k, why);
		d->role = AL_OCI_ROLE_REFERRER;
		d->why = cw_printf(c, "referrer of %s", sd);
	}
	return NULL;
}

static al_rc
classify_refs(cw *c)
{
	al_oci *o = c->o;
	cand *k;
	const al_oci_ref *cosign_image = NULL;
	size_t n_cosign_images = 0;
	bool changed = true;
	unsigned rounds = 0;

	if (o->n_refs == 0)
		return AL_OK;
	if ((k = calloc(o->n_refs, sizeof(*k))) == NULL || (c->by_digest = malloc(o->n_refs * sizeof(*c->by_digest))) == NULL) {
		free(k);
		return al_err_set(c->err, AL_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < o->n_refs; i++)
		c->by_digest[i] = &o->refs[i];
	qsort(c->by_digest, o->n_refs, sizeof(*c->by_digest), ref_digest_cmp);
	for (size_t i = 0; i < o->n_refs; i++) {
		const char *kd = al_oci_annotation(o->refs[i].desc.annotations, o->refs[i].desc.n_annotations,
						   ANN_COSIGN_KIND);

		if (kd && (strcmp(kd, KIND_IMAGE) == 0 || strcmp(kd, KIND_INDEX) == 0)) {
			cosign_image = &o->refs[i];
			n_cosign_images++;
		}
	}
	if (n_cosign_images != 1)
		cosign_image = NULL;
	for (size_t i = 0; i < o->n_refs; i++) {
		al_oci_ref *r = &o->refs[i];
		const char *why;

		if (o->format != AL_OCI_FMT_LAYOUT) {
			r->role = AL_OCI_ROLE_IMAGE;
			r->why = o->format == AL_OCI_FMT_DOCKER_ARCHIVE ? "an image (docker-archive manifest.json entry)"
									: "an image (containers/image dir: manifest.json)";
			continue;
		}
		why = claim(c, r, cosign_image, &k[i]);
		if (!k[i].pending) {
			r->role = AL_OCI_ROLE_IMAGE;
			r->why = why && strncmp(why, "an image", 8) == 0 ? why : cw_printf(c, "an image: %s", why);
		} else {
			r->role = 0; /* undecided */
		}
	}
	/* artifacts bind to decided things only: images first, then artifacts of
	 * artifacts; whatever never binds is an image. The rounds are bounded: a
	 * chain of artifacts listed in reverse would otherwise cost one round per
	 * link, each quadratic in the entries (cubic in all). */
	while (changed) {
		bool bind = rounds++ < AL_MAX_BINDING_ROUNDS;

		changed = false;
		memset(c->content, 0, o->n_nodes * sizeof(*c->content));
		for (size_t i = 0; i < o->n_refs; i++)
			if (o->refs[i].role == AL_OCI_ROLE_IMAGE)
				mark_content(c, o->refs[i].desc.node, 0);
		for (size_t i = 0; i < o->n_refs; i++) {
			al_oci_ref *r = &o->refs[i];
			char sd[AL_OCI_DIGEST_STR_MAX];
			const char *why;

			if (!bind || !k[i].pending || !bindable(c, r->subject, k))
				continue;
			k[i].pending = false;
			changed = true;
			al_oci_digest_str(r->subject, sd);
			if ((why = prove_artifact(c, r, k[i].role)) != NULL) {
				r->role = AL_OCI_ROLE_IMAGE;
				r->why = cw_printf(c, "an image: it claims to be %s of %s (%s), but %s",
						   al_oci_role_name(k[i].role), sd, k[i].claim, why);
				continue;
			}
			r->role = k[i].role;
			r->why = k[i].claim; /* al_oci_ref_why: "<role> of <subject> (<claim>)" */
			r->why_of = true;
		}
		if (changed)
			continue;
		for (size_t i = 0; i < o->n_refs; i++) {
			al_oci_ref *r = &o->refs[i];
			char sd[AL_OCI_DIGEST_STR_MAX];

			if (!k[i].pending)
				continue;
			k[i].pending = false;
			changed = true;
			al_oci_digest_str(r->subject, sd);
			r->role = AL_OCI_ROLE_IMAGE;
			r->why = cw_printf(c, "an image: it claims to be %s of %s (%s), but no image of this bundle "
					      "has that digest", al_oci_role_name(k[i].role), sd, k[i].claim);
		}
	}
	memset(c->content, 0, o->n_nodes * sizeof(*c->content));
	for (size_t i = 0; i < o->n_refs; i++)
		if (o->refs[i].role == AL_OCI_ROLE_IMAGE)
			mark_content(c, o->refs[i].desc.node, 0);
	free(k);
	free(c->by_digest);
	c->by_digest = NULL;
	return AL_OK;
}

/* Two entries with one name: consumers pick one of them (skopeo refuses,
 * containerd keeps the last), so the name does not say which was verified.
 * The named entries are sorted by name (then position) so any two with one
 * name are neighbours: a comparison of every pair would be quadratic in the
 * entries (docs/performance.md §4). */
static int
ref_name_cmp(const void *a, const void *b)
{
	const al_oci_ref *x = *(const al_oci_ref *const *)a, *y = *(const al_oci_ref *const *)b;
	int c = strcmp(x->ref_name, y->ref_name);

	return c ? c : x < y ? -1 : x > y;
}

static al_rc
unique_names(cw *c)
{
	const al_oci *o = c->o;
	const al_oci_ref **v;
	size_t n = 0;
	al_rc rc = AL_OK;

	if (o->n_refs == 0)
		return AL_OK;
	if ((v = malloc(o->n_refs * sizeof(*v))) == NULL)
		return al_err_set(c->err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < o->n_refs; i++)
		if (o->refs[i].ref_name)
			v[n++] = &o->refs[i];
	qsort(v, n, sizeof(*v), ref_name_cmp);
	for (size_t i = 1; i < n; i++) {
		/* the first pair in sorted order; the message names both in index order */
		if (strcmp(v[i - 1]->ref_name, v[i]->ref_name) != 0)
			continue;
		rc = al_err_set(c->err, AL_E_BUNDLE_FORMAT,
				"index.json manifests[%zu] and manifests[%zu] are both tagged \"%.100s\": "
				"which one a consumer loads is not defined; refused", (size_t)(v[i - 1] - o->refs),
				(size_t)(v[i] - o->refs), v[i]->ref_name);
		break;
	}
	free(v);
	return rc;
}

/* ================================================================ other views of a layout */

/* "blobs/<alg>/<hex>" as docker's manifest.json writes it. */
static al_rc
blob_path_digest(cw *c, al_bytes path, const char *where, al_oci_digest *d)
{
	char tmp[AL_OCI_DIGEST_STR_MAX + 8];
	const char *alg, *hex;

	if (path.n < 8 || path.n >= sizeof(tmp) || memcmp(path.p, "blobs/", 6) != 0)
		return al_err_set(c->err, AL_E_BUNDLE_FORMAT, "%s: \"%.100s\" is not a blobs/<algorithm>/<hex> path",
				  where, (const char *)path.p);
	memcpy(tmp, path.p + 6, path.n - 6);
	tmp[path.n - 6] = '\0';
	alg = tmp;
	if ((hex = strchr(alg, '/')) == NULL)
		return al_err_set(c->err, AL_E_BUNDLE_FORMAT, "%s: \"%.100s\" is not a blobs/<algorithm>/<hex> path",
				  where, (const char *)path.p);
	tmp[hex - tmp] = ':';
	if (al_oci_digest_parse(al_bytes_str(tmp), d, c->err) != AL_OK)
		return al_err_prefix(c->err, "%s", where);
	return AL_OK;
}


/* What docker load would load, as one digest: the config's digest and
 * each layer's, in order (each digest's length follows from its algorithm,
 * so no two lists give the same bytes). Manifests' are compared this way as
 * the model does not keep their descriptors (docs/performance.md §4.8). */
static void
load_print(const al_oci_digest *cfg, const al_oci_desc *descs, const al_oci_digest *digests, size_t nl,
	   uint8_t out[32])
{
	al_hash_ctx h;
	uint8_t full[AL_HASH_MAX];
	uint64_t n = nl;

	al_hash_init(&h, AL_HASH_SHA256);
	al_hash_update(&h, &n, sizeof(n));
	for (size_t l = 0; l <= nl; l++) {
		const al_oci_digest *d = l == 0 ? cfg : descs ? &descs[l - 1].digest : &digests[l - 1];
		uint8_t alg = (uint8_t)d->alg;

		al_hash_update(&h, &alg, 1);
		al_hash_update(&h, d->d, al_hash_len(d->alg));
	}
	al_hash_final(&h, full);
	memcpy(out, full, 32);
}

static al_rc
docker_entries(cw *c, const al_json *arr, const uint8_t (*prints)[32]);

/* prints[k]: the load print of node k when it is a manifest of image
 * content (the only kind docker may load), all zero otherwise. */
static al_rc
docker_view(cw *c, const al_json *arr)
{
	al_oci *o = c->o;
	uint8_t (*prints)[32] = calloc(o->n_nodes ? o->n_nodes : 1, sizeof(*prints));
	al_rc rc = AL_OK;

	if (prints == NULL)
		return al_err_set(c->err, AL_E_NOMEM, "out of memory");
	for (size_t k = 0; k < o->n_nodes && rc == AL_OK; k++) {
		const al_oci_node *nd = o->nodes[k];
		al_arena a = { 0 };
		al_oci_blobs b;

		if (nd->kind != AL_OCI_NODE_MANIFEST || !c->content[k])
			continue;
		if ((rc = al_oci_node_blobs(o, nd, &a, &b, c->err)) == AL_OK)
			load_print(&b.config->digest, b.layers, NULL, b.n_layers, prints[k]);
		al_arena_free(&a);
	}
	if (rc == AL_OK)
		rc = docker_entries(c, arr, (const uint8_t (*)[32])prints);
	free(prints);
	return rc;
}

static al_rc
docker_entries(cw *c, const al_json *arr, const uint8_t (*prints)[32])
{
	al_oci *o = c->o;
	size_t n = al_json_arr_len(arr);
	al_rc rc;

	if (n == 0)
		return al_err_set(c->err, AL_E_BUNDLE_FORMAT, "manifest.json: no images");
	if (n > AL_MAX_INDEX_ENTRIES)
		return al_err_set(c->err, AL_E_LIMIT, "manifest.json: %zu images, more than the limit of %d", n,
				  AL_MAX_INDEX_ENTRIES);
	if ((o->docker = al_arena_alloc(&c->p->arena, n * sizeof(*o->docker), c->err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const al_json *it = al_json_arr_at(arr, i), *layers, *tags, *m;
		al_oci_docker_entry *de = &o->docker[i];
		al_oci_digest cfg, *ld = NULL;
		uint8_t want[32];
		al_bytes cp;
		size_t nl;
		al_jpath ip;

		al_jpath_idx(&ip, "manifest.json", i);
		if (!al_json_is_obj(it))
			return al_err_set(c->err, AL_E_BUNDLE_FORMAT, "%s: not an object", ip.s);
		if ((rc = al_json_check_fields(it, ip.s, oci_docker_fields, c->err)) != AL_OK)
			return al_err_recode(c->err, AL_E_BUNDLE_FORMAT, "docker's view");
		if (((m = al_json_member(it, "Parent")) != NULL && !(al_json_is_str(m) && al_json_str_bytes(m).n == 0)) ||
		    ((m = al_json_member(it, "LayerSources")) != NULL && al_json_first(m) != NULL))
			return al_err_set(c->err, AL_E_BUNDLE_FORMAT,
					  "%s: Parent or LayerSources (legacy or foreign layers) are not supported", ip.s);
		if ((rc = al_json_get_str(it, ip.s, "Config", true, &cp, c->err)) != AL_OK ||
		    (rc = al_json_get_arr(it, ip.s, "Layers", true, &layers, c->err)) != AL_OK ||
		    (rc = al_json_get_arr(it, ip.s, "RepoTags", false, &tags, c->err)) != AL_OK)
			return al_err_recode(c->err, AL_E_BUNDLE_FORMAT, "docker's view");
		if ((rc = blob_path_digest(c, cp, ip.s, &cfg)) != AL_OK)
			return rc;
		nl = al_json_arr_len(layers);
		if (nl > AL_MAX_LAYERS)
			return al_err_set(c->err, AL_E_LIMIT, "%s.Layers: more than %d layers", ip.s, AL_MAX_LAYERS);
		if (nl && (ld = al_arena_alloc(&c->p->arena, nl * sizeof(*ld), c->err)) == NULL)
			return AL_E_NOMEM;
		for (size_t l = 0; l < nl; l++) {
			const al_json *lj = al_json_arr_at(layers, l);
			char lw[AL_JPATH_MAX + 32];

			snprintf(lw, sizeof(lw), "%s.Layers[%zu]", ip.s, l);
			if (!al_json_is_str(lj))
				return al_err_set(c->err, AL_E_BUNDLE_FORMAT, "%s: not a string", lw);
			if ((rc = blob_path_digest(c, al_json_str_bytes(lj), lw, &ld[l])) != AL_OK)
				return rc;
		}
		/* the image docker loads must be one the OCI view describes */
		load_print(&cfg, NULL, ld, nl, want);
		for (size_t k = 0; k < o->n_nodes && de->node == NULL; k++)
			if (o->nodes[k]->kind == AL_OCI_NODE_MANIFEST && c->content[k] &&
			    o->nodes[k]->n_layers == nl && memcmp(prints[k], want, 32) == 0)
				de->node = o->nodes[k];
		if (de->node == NULL) {
			char cs[AL_OCI_DIGEST_STR_MAX], ls[4 * (AL_OCI_DIGEST_STR_MAX + 2) + 8] = "";

			al_oci_digest_str(&cfg, cs);
			for (size_t l = 0; l < nl && l < 4; l++) {
				char one[AL_OCI_DIGEST_STR_MAX];

				al_oci_digest_str(&ld[l], one);
				snprintf(ls + strlen(ls), sizeof(ls) - strlen(ls), "%s%s", l ? ", " : "", one);
			}
			return al_err_set(c->err, AL_E_BUNDLE_FORMAT,
					  "%s (config %s, layers %s%s): docker load would load an image that no image "
					  "of index.json describes (no image manifest there has this config and these "
					  "layers); refused", ip.s, cs, nl ? ls : "(none)", nl > 4 ? ", ..." : "");
		}
		if ((rc = oci_repo_tags(&c->p->arena, tags, ip.s, &de->repo_tags, &de->n_repo_tags, c->err)) != AL_OK)
			return rc;
		o->n_docker++;
	}
	return AL_OK;
}

static bool
hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A layout that another consumer would read as another format. */
static al_rc
other_views(cw *c)
{
	oci_store *s = &c->p->store;
	oci_entry *man = oci_store_find(s, "manifest.json");
	oci_entry *repos = oci_store_find(s, "repositories");
	al_buf raw = { 0 };
	al_json *j = NULL;
	al_rc rc = AL_OK;

	for (size_t i = 0; i < s->n; i++) {
		char pb[OCI_PATH_BUF];
		const char *p = oci_entry_path(&s->e[i], pb), *slash = strchr(p, '/');

		/* docker's legacy loader reads <id>/json and <id>/layer.tar */
		if (slash && hex64(p, (size_t)(slash - p)) &&
		    (strcmp(slash, "/json") == 0 || strcmp(slash, "/layer.tar") == 0 || strcmp(slash, "/VERSION") == 0))
			return al_err_set(c->err, AL_E_BUNDLE_FORMAT,
					  "%s: the layout also carries legacy docker image directories, which an older "
					  "docker load reads instead of the OCI view; refused", p);
	}
	if (man == NULL) {
		if (repos != NULL)
			return al_err_set(c->err, AL_E_BUNDLE_FORMAT,
					  "repositories: a legacy docker-archive file without docker's manifest.json: "
					  "docker's legacy loader would read this layout another way; refused");
		return AL_OK;
	}
	if ((rc = oci_store_read(s, man, AL_MAX_MANIFEST, &raw, c->err)) != AL_OK)
		return al_err_prefix(c->err, "manifest.json");
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, c->err)) != AL_OK) {
		rc = al_err_recode(c->err, AL_E_BUNDLE_FORMAT, "manifest.json");
		goto out;
	}
	if (!al_json_is_arr(j)) {
		rc = al_err_set(c->err, AL_E_BUNDLE_FORMAT,
				"manifest.json: an object, so this layout is also a containers/image dir: whose image "
				"skopeo would load from that manifest; refused");
		goto out;
	}
	rc = docker_view(c, j);
out:
	al_json_free(j);
	al_buf_free(&raw);
	return rc;
}

/* ================================================================ entry point */

al_rc
oci_closed_world(al_oci *o, al_err *err)
{
	cw c = { .o = o, .p = o->priv, .err = err };
	al_rc rc;

	if ((c.content = calloc(o->n_nodes ? o->n_nodes : 1, sizeof(*c.content))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < o->n_nodes; i++)
		if (o->nodes[i]->kind == AL_OCI_NODE_INDEX)
			classify_children(&c, o->nodes[i]);
	if ((rc = classify_refs(&c)) == AL_OK && o->format == AL_OCI_FMT_LAYOUT &&
	    (rc = unique_names(&c)) == AL_OK)
		rc = other_views(&c);
	free(c.content);
	return rc;
}
