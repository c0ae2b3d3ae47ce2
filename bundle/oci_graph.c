/*
 * oci_graph.c — the image graph: index.json -> manifests and nested indexes
 * (every platform) -> config and layers, for OCI layouts, legacy
 * docker-archives and containers/image dir: directories.
 *
 * Every document is checked against its descriptor (size, then digest)
 * before it is parsed, so a parsed manifest is always the one its parent
 * names. Manifests and indexes are parsed strictly: schemaVersion 2, a
 * media type that agrees with the descriptor, and no document that could be
 * read both as a manifest and as an index (CVE-2021-41190). Layer and config
 * blobs are collected and proven together at the end (oci_store_prove), so a
 * directory source can hash them on two threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bundle/oci_internal.h"


typedef struct gnode {
	al_oci_node pub;            /* first: an al_oci_node * is a gnode * */
	bool busy;                  /* on the current walk path: a cycle if met again */
	al_oci_desc *subject_w;     /* writable views of pub's arrays */
	al_oci_desc *manifests_w;
} gnode;

typedef struct gctx {
	al_oci *o;
	struct al_oci_priv *p;
	oci_store *s;
	al_err *err;
	bool in_orphan;
	oci_map layer_checks;       /* docker-archive: layer file path -> index in p->checks */
} gctx;

/* The fields of the Go structs consumers decode each object into. Go's
 * encoding/json matches keys to them without regard to case (with Unicode
 * folding) and keeps the last match, so a key that folds onto one of them is
 * what a consumer reads: every such key must be spelled exactly. */
static const char *const doc_fields[] = { "schemaVersion", "mediaType", "artifactType", "config", "layers",
					  "manifests", "subject", "annotations", NULL };
static const char *const desc_fields[] = { "mediaType", "digest", "size", "urls", "annotations", "data",
					   "platform", "artifactType", NULL };
static const char *const platform_fields[] = { "architecture", "os", "os.version", "os.features", "variant",
					       "features", NULL };
static const char *const layout_fields[] = { "imageLayoutVersion", NULL };
const char *const oci_docker_fields[] = { "Config", "RepoTags", "Layers", "Parent", "LayerSources", NULL };

/* A refused key: the message also shows what a Go consumer would take
 * from it when that is a string (the digest or media type it would load). */
static al_rc
fields_check(const al_json *obj, const char *path, const char *const *fields, al_err *err)
{
	char was[sizeof(err->msg)];
	al_rc rc = al_json_check_fields(obj, path, fields, err);

	if (rc != AL_OK && rc != AL_E_NOMEM) {
		for (const al_json *m = al_json_first(obj); m; m = al_json_next(m)) {
			const char *k = al_json_key(m);
			bool known = false, like = false;

			for (const char *const *f = fields; *f && !known; f++) {
				known = strcmp(k, *f) == 0;
				like = like || strcasecmp(k, *f) == 0;
			}
			for (const char *q = k; *q && !like; q++)
				like = (unsigned char)*q >= 0x80; /* folds through Unicode */
			if (known || !like || !al_json_is_str(m))
				continue;
			snprintf(was, sizeof(was), "%s", err->msg);
			return al_err_set(err, rc, "%s (that key's value: \"%.140s\")", was,
					  (const char *)al_json_str_bytes(m).p);
		}
	}
	return rc;
}

static bool
is_index_mt(const char *mt)
{
	return strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0;
}

static bool
is_manifest_mt(const char *mt)
{
	return strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0;
}

static al_rc
grow(void **arr, size_t *cap, size_t n, size_t elem, al_err *err)
{
	void *p;
	size_t c;

	if (n < *cap)
		return AL_OK;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * elem);
	if (p == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	*arr = p;
	*cap = c;
	return AL_OK;
}

/* ================================================================ JSON pieces */

/* A document that does not parse is a malformed bundle; limits stay limits. */
static al_rc
doc_fail(al_err *err, const char *what)
{
	if (err != NULL && err->code == AL_E_JSON)
		return al_err_recode(err, AL_E_BUNDLE_FORMAT, "%s", what);
	return al_err_prefix(err, "%s", what);
}

/* A JSON integer that is a number, not a string (OCI sizes are numbers). */
static al_rc
get_num(const al_json *obj, const char *path, const char *key, bool required, int64_t *out, bool *present,
	al_err *err)
{
	const al_json *m = al_json_member(obj, key);

	*present = false;
	*out = 0;
	if (m == NULL && !required)
		return AL_OK;
	if (m != NULL && al_json_is_str(m)) {
		al_jpath p;

		al_jpath_key(&p, path, key);
		return al_err_set(err, AL_E_JSON, "%s: not a number", p.s);
	}
	return al_json_get_i64(obj, path, key, required, out, present, err);
}

static al_rc
get_cstr(gctx *g, const al_json *obj, const char *path, const char *key, bool required, const char **out)
{
	al_bytes v;
	al_rc rc = al_json_get_str(obj, path, key, required, &v, g->err);

	*out = NULL;
	if (rc != AL_OK || v.p == NULL)
		return rc;
	*out = al_arena_strdup(&g->p->arena, v, g->err);
	return *out ? AL_OK : AL_E_NOMEM;
}

static al_rc
parse_annotations(gctx *g, const al_json *obj, const char *path, const al_oci_kv **kv, size_t *n)
{
	const al_json *a, *m;
	al_oci_kv *out;
	size_t cnt = 0, i = 0;
	al_jpath ap;
	al_rc rc;

	*kv = NULL;
	*n = 0;
	if ((rc = al_json_get_obj(obj, path, "annotations", false, &a, g->err)) != AL_OK || a == NULL)
		return rc;
	for (m = al_json_first(a); m; m = al_json_next(m))
		cnt++;
	if (cnt == 0)
		return AL_OK;
	out = al_arena_alloc(&g->p->arena, cnt * sizeof(*out), g->err);
	if (out == NULL)
		return AL_E_NOMEM;
	al_jpath_key(&ap, path, "annotations");
	for (m = al_json_first(a); m; m = al_json_next(m), i++) {
		if (!al_json_is_str(m)) {
			al_jpath kp;

			al_jpath_key(&kp, ap.s, al_json_key(m));
			return al_err_set(g->err, AL_E_JSON, "%s: not a string", kp.s);
		}
		out[i].key = al_arena_strdup(&g->p->arena, al_bytes_str(al_json_key(m)), g->err);
		out[i].value = al_arena_strdup(&g->p->arena, al_json_str_bytes(m), g->err);
		if (out[i].key == NULL || out[i].value == NULL)
			return AL_E_NOMEM;
	}
	*kv = out;
	*n = cnt;
	return AL_OK;
}

static al_rc
parse_platform(gctx *g, const al_json *obj, const char *path, const al_oci_platform **out)
{
	const al_json *pj;
	al_oci_platform *p;
	al_jpath pp;
	al_rc rc;

	*out = NULL;
	if ((rc = al_json_get_obj(obj, path, "platform", false, &pj, g->err)) != AL_OK || pj == NULL)
		return rc;
	al_jpath_key(&pp, path, "platform");
	if ((rc = fields_check(pj, pp.s, platform_fields, g->err)) != AL_OK)
		return rc;
	if ((p = al_arena_alloc(&g->p->arena, sizeof(*p), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = get_cstr(g, pj, pp.s, "architecture", true, &p->architecture)) != AL_OK ||
	    (rc = get_cstr(g, pj, pp.s, "os", true, &p->os)) != AL_OK ||
	    (rc = get_cstr(g, pj, pp.s, "variant", false, &p->variant)) != AL_OK ||
	    (rc = get_cstr(g, pj, pp.s, "os.version", false, &p->os_version)) != AL_OK)
		return rc;
	*out = p;
	return AL_OK;
}

/* An OCI / Docker v2 descriptor. Unknown members are allowed (the spec
 * says so); the ones that mean something are checked. */
static al_rc
parse_desc(gctx *g, const al_json *d, const char *path, al_oci_desc *out)
{
	const al_json *urls;
	al_bytes dg;
	int64_t size;
	bool present;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	/* memory follows descriptors: bound them, not just the input's size */
	if (++g->p->n_descs > AL_MAX_BLOBS)
		return al_err_set(g->err, AL_E_LIMIT, "%s: more than %d descriptors in the bundle", path,
				  AL_MAX_BLOBS);
	if (!al_json_is_obj(d))
		return al_err_set(g->err, AL_E_JSON, "%s: not an object", path);
	if ((rc = fields_check(d, path, desc_fields, g->err)) != AL_OK)
		return rc;
	if ((rc = get_cstr(g, d, path, "mediaType", true, &out->media_type)) != AL_OK)
		return rc;
	if ((rc = al_json_get_str(d, path, "digest", true, &dg, g->err)) != AL_OK)
		return rc;
	if ((rc = al_oci_digest_parse(dg, &out->digest, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s.digest", path);
	if ((rc = get_num(d, path, "size", true, &size, &present, g->err)) != AL_OK)
		return rc;
	if (size < 0 || (unsigned long long)size > AL_MAX_BLOB)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s.size: %lld is out of range", path, (long long)size);
	out->size = (uint64_t)size;
	if ((rc = get_cstr(g, d, path, "artifactType", false, &out->artifact_type)) != AL_OK)
		return rc;
	if ((rc = al_json_get_arr(d, path, "urls", false, &urls, g->err)) != AL_OK)
		return rc;
	for (size_t i = 0; urls && i < al_json_arr_len(urls); i++) {
		if (!al_json_is_str(al_json_arr_at(urls, i)))
			return al_err_set(g->err, AL_E_JSON, "%s.urls[%zu]: not a string", path, i);
	}
	out->has_urls = urls && al_json_arr_len(urls) > 0;
	if ((rc = parse_annotations(g, d, path, &out->annotations, &out->n_annotations)) != AL_OK)
		return rc;
	if ((rc = parse_platform(g, d, path, &out->platform)) != AL_OK)
		return rc;
	if (al_json_member(d, "data") != NULL) {
		/* OCI 1.1 embedded content: it must be what the digest names */
		al_buf data = { 0 };
		al_oci_digest got;

		if ((rc = al_json_get_b64(d, path, "data", false, &data, g->err)) != AL_OK)
			return rc;
		al_oci_digest_of(out->digest.alg, al_buf_bytes(&data), &got);
		if (data.n != out->size || !al_oci_digest_eq(&got, &out->digest)) {
			al_buf_free(&data);
			return al_err_set(g->err, AL_E_BUNDLE_BLOB,
					  "%s.data: embedded data does not match the descriptor's size and digest",
					  path);
		}
		al_buf_free(&data);
	}
	return AL_OK;
}

static al_rc
parse_desc_array(gctx *g, const al_json *arr, const char *path, size_t max, al_oci_desc **out, size_t *n)
{
	size_t cnt = al_json_arr_len(arr);
	al_oci_desc *d;
	al_rc rc;

	*out = NULL;
	*n = 0;
	if (cnt > max)
		return al_err_set(g->err, AL_E_LIMIT, "%s: %zu entries, more than the limit of %zu", path, cnt, max);
	if (cnt == 0)
		return AL_OK;
	if ((d = al_arena_alloc(&g->p->arena, cnt * sizeof(*d), g->err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < cnt; i++) {
		al_jpath ip;

		al_jpath_idx(&ip, path, i);
		if ((rc = parse_desc(g, al_json_arr_at(arr, i), ip.s, &d[i])) != AL_OK)
			return rc;
	}
	*out = d;
	*n = cnt;
	return AL_OK;
}

/* ================================================================ blob lookups */

static void
blob_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap)
{
	char hex[AL_HASH_MAX * 2 + 1];

	oci_digest_hex(d, hex);
	if (o->format == AL_OCI_FMT_CONTAINERS_DIR)
		snprintf(out, cap, "%s", hex);
	else
		snprintf(out, cap, "blobs/%s/%s", al_hash_name(d->alg), hex);
}

static void
manifest_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap)
{
	char hex[AL_HASH_MAX * 2 + 1];

	if (o->format != AL_OCI_FMT_CONTAINERS_DIR) {
		blob_path(o, d, out, cap);
		return;
	}
	oci_digest_hex(d, hex);
	snprintf(out, cap, "%s.manifest.json", hex);
}

static al_rc
add_missing(gctx *g, const al_oci_desc *d, const char *where)
{
	al_oci *o = g->o;
	al_oci_missing *m;
	char ds[AL_OCI_DIGEST_STR_MAX], *key;
	size_t at;
	al_rc rc;

	al_oci_digest_str(&d->digest, ds);
	if (oci_map_get(&g->p->missing, ds, &at))
		return AL_OK;
	if ((key = al_arena_strdup(&g->p->arena, al_bytes_str(ds), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_map_put(&g->p->missing, key, o->n_missing, g->err)) != AL_OK)
		return rc;
	if ((rc = grow((void **)&o->missing, &g->p->missing_cap, o->n_missing, sizeof(*m), g->err)) != AL_OK)
		return rc;
	m = &o->missing[o->n_missing++];
	memset(m, 0, sizeof(*m));
	m->digest = d->digest;
	m->size = d->size;
	m->media_type = d->media_type;
	m->where = where;
	m->has_urls = d->has_urls;
	m->in_orphan = g->in_orphan;
	return AL_OK;
}

static al_rc
size_mismatch(gctx *g, const oci_entry *e, const al_oci_desc *d, const char *where)
{
	return al_err_set(g->err, AL_E_BUNDLE_BLOB,
			  "%s (%s): size mismatch: the descriptor says %llu bytes, the blob has %llu", e->path,
			  where, (unsigned long long)d->size, (unsigned long long)e->size);
}

/* Queues a plain blob (config, layer, unknown media type) for proving. */
static al_rc
want_blob(gctx *g, al_oci_desc *d, const char *where)
{
	char path[AL_MAX_PATH + 1];
	oci_entry *e;
	oci_check *c;
	struct al_oci_priv *p = g->p;
	al_rc rc;

	blob_path(g->o, &d->digest, path, sizeof(path));
	e = oci_store_find(g->s, path);
	if (e == NULL || e->type != OCI_E_FILE) {
		if (e != NULL && e->type == OCI_E_DIR)
			return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s): a directory, expected a blob", path,
					  where);
		return add_missing(g, d, where);
	}
	if (e->size != d->size)
		return size_mismatch(g, e, d, where);
	d->present = true;
	if (e->used)
		return AL_OK; /* proven already, or queued */
	e->used = true;
	if ((rc = grow((void **)&p->checks, &p->checks_cap, p->n_checks, sizeof(*c), g->err)) != AL_OK)
		return rc;
	c = &p->checks[p->n_checks++];
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->want = d->digest;
	c->where = where;
	return AL_OK;
}

/* Reads a document entry and proves it against d. */
static al_rc
read_proven(gctx *g, oci_entry *e, const al_oci_desc *d, const char *where, al_buf *out)
{
	al_oci_digest got;
	al_rc rc;

	if (e->size != d->size)
		return size_mismatch(g, e, d, where);
	if ((rc = oci_store_read(g->s, e, AL_MAX_MANIFEST, out, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s", where);
	if (out->n != d->size)
		return size_mismatch(g, e, d, where);
	al_oci_digest_of(d->digest.alg, al_buf_bytes(out), &got);
	if (!al_oci_digest_eq(&got, &d->digest)) {
		char gs[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(&got, gs);
		return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s): digest mismatch: the content hashes to %s",
				  e->path, where, gs);
	}
	e->used = true;
	e->checked = true;
	return AL_OK;
}

/* ================================================================ manifests and indexes */

static al_rc load_node(gctx *g, al_oci_desc *d, oci_entry *e, const char *where, unsigned depth,
		       const al_oci_node **out);

static al_rc
add_node(gctx *g, gnode *n)
{
	char key[AL_OCI_DIGEST_STR_MAX];
	al_oci *o = g->o;
	char *k;
	al_rc rc;

	if (o->n_nodes >= AL_MAX_BLOBS)
		return al_err_set(g->err, AL_E_LIMIT, "more than %d manifests in the bundle", AL_MAX_BLOBS);
	if ((rc = grow((void **)&o->nodes, &g->p->nodes_cap, o->n_nodes, sizeof(*o->nodes), g->err)) != AL_OK)
		return rc;
	al_oci_digest_str(&n->pub.digest, key);
	if ((k = al_arena_strdup(&g->p->arena, al_bytes_str(key), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_map_put(&g->p->nodes, k, o->n_nodes, g->err)) != AL_OK)
		return rc;
	o->nodes[o->n_nodes++] = &n->pub;
	return AL_OK;
}

static gnode *
find_node(gctx *g, const al_oci_digest *d)
{
	return (gnode *)(uintptr_t)al_oci_node_get(g->o, d);
}

/* Checks the document's own mediaType against the descriptor's and that it
 * cannot be read as the other kind of document. */
static al_rc
check_doc_kind(gctx *g, const al_json *j, const char *mt, bool index, const char *where)
{
	al_bytes dmt;
	int64_t sv;
	bool present;
	al_rc rc;

	if (!al_json_is_obj(j))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: not a JSON object", where);
	if ((rc = fields_check(j, where, doc_fields, g->err)) != AL_OK)
		return rc;
	if ((rc = get_num(j, where, "schemaVersion", true, &sv, &present, g->err)) != AL_OK)
		return rc;
	if (sv != 2)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: schemaVersion %lld, expected 2", where,
				  (long long)sv);
	if ((rc = al_json_get_str(j, where, "mediaType", false, &dmt, g->err)) != AL_OK)
		return rc;
	if (dmt.p != NULL && !al_bytes_eq_str(dmt, mt))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				  "%s: the document's mediaType \"%.100s\" differs from its descriptor's \"%s\"",
				  where, (const char *)dmt.p, mt);
	if (index && (al_json_member(j, "layers") || al_json_member(j, "config")))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				  "%s: an index with \"layers\" or \"config\" is ambiguous; refused", where);
	if (!index && al_json_member(j, "manifests"))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				  "%s: a manifest with \"manifests\" is ambiguous; refused", where);
	return AL_OK;
}

static al_rc
parse_common(gctx *g, gnode *n, const al_json *j, const char *where)
{
	const al_json *sj;
	al_rc rc;

	if ((rc = get_cstr(g, j, where, "artifactType", false, &n->pub.artifact_type)) != AL_OK)
		return rc;
	if ((rc = parse_annotations(g, j, where, &n->pub.annotations, &n->pub.n_annotations)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(j, where, "subject", false, &sj, g->err)) != AL_OK)
		return rc;
	if (sj != NULL) {
		al_jpath sp;

		al_jpath_key(&sp, where, "subject");
		if ((n->subject_w = al_arena_alloc(&g->p->arena, sizeof(*n->subject_w), g->err)) == NULL)
			return AL_E_NOMEM;
		if ((rc = parse_desc(g, sj, sp.s, n->subject_w)) != AL_OK)
			return rc;
		n->pub.subject = n->subject_w;
	}
	return AL_OK;
}

static char *
child_where(gctx *g, const char *where, const char *field, size_t i, const al_oci_digest *d)
{
	char ds[AL_OCI_DIGEST_STR_MAX];

	al_oci_digest_str(d, ds);
	if (i == (size_t)-1)
		return al_arena_printf(&g->p->arena, g->err, "%s > %s (%s)", where, field, ds);
	return al_arena_printf(&g->p->arena, g->err, "%s > %s[%zu] (%s)", where, field, i, ds);
}

/* What a blob's content is, whatever its descriptor says: consumers that
 * meet an unexpected media type read the document itself (containers/image
 * guesses the type from the content), so an error should say what they find. */
static const char *
sniff(gctx *g, const al_oci_desc *d)
{
	char path[AL_MAX_PATH + 1];
	oci_entry *e;
	al_buf raw = { 0 };
	al_json *j = NULL;
	const char *what = "not a manifest or an index";
	int64_t sv = 0;
	al_err scratch;

	manifest_path(g->o, &d->digest, path, sizeof(path));
	e = oci_store_find(g->s, path);
	if (e == NULL || e->type != OCI_E_FILE)
		return "absent from the bundle";
	if (e->size > AL_MAX_MANIFEST || oci_store_read(g->s, e, AL_MAX_MANIFEST, &raw, &scratch) != AL_OK)
		return "not readable as a document";
	if (al_json_parse(al_buf_bytes(&raw), &j, &scratch) == AL_OK && al_json_is_obj(j)) {
		if (al_json_get_i64(j, "", "schemaVersion", false, &sv, NULL, &scratch) == AL_OK && sv == 1)
			what = "a Docker schema 1 manifest";
		else if (al_json_member(j, "manifests"))
			what = "an image index";
		else if (al_json_member(j, "config") || al_json_member(j, "layers"))
			what = "an image manifest";
	}
	al_json_free(j);
	al_buf_free(&raw);
	return what;
}

/* An index names manifests and indexes, nothing else: an entry of another
 * type would be skipped by a verifier that trusts the type, yet loaded by a
 * consumer that reads the content, so it is refused (closed world). */
static al_rc
index_child_type(gctx *g, const al_oci_desc *d, const char *where)
{
	if (is_index_mt(d->media_type) || is_manifest_mt(d->media_type))
		return AL_OK;
	if (strcmp(d->media_type, MT_DOCKER_V1) == 0 || strcmp(d->media_type, MT_DOCKER_V1_JWS) == 0)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				  "%s: a Docker schema 1 manifest (content: %s); only schema 2 and OCI are supported",
				  where, sniff(g, d));
	return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
			  "%s: an index entry of media type \"%.100s\", which is not a manifest or an index "
			  "(content: %s); consumers read such an entry by its content, so it is refused",
			  where, d->media_type, sniff(g, d));
}

/* The descriptors below an index or manifest: nested documents are
 * loaded now (they must be read to be walked), plain blobs are queued. */
static al_rc
walk_children(gctx *g, gnode *n, al_oci_desc *kids, size_t nk, const char *field, unsigned depth,
	      const char *where)
{
	al_rc rc;

	for (size_t i = 0; i < nk; i++) {
		char *w = child_where(g, where, field, i, &kids[i].digest);

		if (w == NULL)
			return AL_E_NOMEM;
		/* below a manifest everything is a plain blob, whatever its type says */
		if (n->pub.kind == AL_OCI_NODE_INDEX) {
			if ((rc = index_child_type(g, &kids[i], w)) != AL_OK ||
			    (rc = load_node(g, &kids[i], NULL, w, depth + 1, &kids[i].node)) != AL_OK)
				return rc;
		} else if ((rc = want_blob(g, &kids[i], w)) != AL_OK) {
			return rc;
		}
	}
	return AL_OK;
}

static al_rc
build_node(gctx *g, gnode *n, const al_json *j, const char *where, unsigned depth)
{
	al_oci_node *pub = &n->pub;
	bool index = pub->kind == AL_OCI_NODE_INDEX;
	const al_json *arr, *cj;
	al_oci_desc *descs;
	size_t nd;
	al_jpath ap;
	al_rc rc;

	if ((rc = check_doc_kind(g, j, pub->media_type, index, where)) != AL_OK)
		return rc;
	if ((rc = parse_common(g, n, j, where)) != AL_OK)
		return rc;
	if (index) {
		if (depth >= AL_MAX_INDEX_DEPTH)
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
					  "%s: indexes nested deeper than the limit of %d", where, AL_MAX_INDEX_DEPTH);
		if ((rc = al_json_get_arr(j, where, "manifests", true, &arr, g->err)) != AL_OK)
			return rc;
		al_jpath_key(&ap, where, "manifests");
		if ((rc = parse_desc_array(g, arr, ap.s, AL_MAX_INDEX_ENTRIES, &descs, &nd)) != AL_OK)
			return rc;
		pub->manifests = descs;
		n->manifests_w = descs;
		pub->n_manifests = nd;
		return walk_children(g, n, descs, nd, "manifests", depth, where);
	}
	if ((rc = al_json_get_obj(j, where, "config", true, &cj, g->err)) != AL_OK)
		return rc;
	al_jpath_key(&ap, where, "config");
	if ((descs = al_arena_alloc(&g->p->arena, sizeof(*descs), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = parse_desc(g, cj, ap.s, descs)) != AL_OK)
		return rc;
	pub->config = descs;
	if ((rc = walk_children(g, n, descs, 1, "config", depth, where)) != AL_OK)
		return rc;
	if ((rc = al_json_get_arr(j, where, "layers", true, &arr, g->err)) != AL_OK)
		return rc;
	al_jpath_key(&ap, where, "layers");
	if ((rc = parse_desc_array(g, arr, ap.s, AL_MAX_LAYERS, &descs, &nd)) != AL_OK)
		return rc;
	pub->layers = descs;
	pub->n_layers = nd;
	return walk_children(g, n, descs, nd, "layers", depth, where);
}

/* Loads the manifest or index d names (entry e, or found by digest). A
 * missing document is recorded, not an error here. */
static al_rc
load_node(gctx *g, al_oci_desc *d, oci_entry *e, const char *where, unsigned depth, const al_oci_node **out)
{
	char path[AL_MAX_PATH + 1];
	al_buf raw = { 0 };
	al_json *j = NULL;
	gnode *n;
	al_rc rc;

	*out = NULL;
	if ((n = find_node(g, &d->digest)) != NULL) {
		if (n->busy)
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: a cycle of nested indexes", where);
		if (n->pub.kind != (is_index_mt(d->media_type) ? AL_OCI_NODE_INDEX : AL_OCI_NODE_MANIFEST))
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
					  "%s: the same document is named as an index and as a manifest", where);
		d->present = true;
		*out = &n->pub;
		return AL_OK;
	}
	if (d->size > AL_MAX_MANIFEST)
		return al_err_set(g->err, AL_E_LIMIT, "%s: a manifest of %llu bytes exceeds the limit of %u", where,
				  (unsigned long long)d->size, AL_MAX_MANIFEST);
	if (e == NULL) {
		manifest_path(g->o, &d->digest, path, sizeof(path));
		e = oci_store_find(g->s, path);
		if (e == NULL || e->type != OCI_E_FILE)
			return add_missing(g, d, where);
	}
	if ((rc = read_proven(g, e, d, where, &raw)) != AL_OK)
		goto out;
	d->present = true;
	if ((g->p->raw_total += raw.n) > AL_MAX_KEPT_TOTAL) {
		rc = al_err_set(g->err, AL_E_LIMIT, "%s: the bundle's manifests exceed %llu bytes in total", where,
				(unsigned long long)AL_MAX_KEPT_TOTAL);
		goto out;
	}
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, g->err)) != AL_OK) {
		rc = doc_fail(g->err, where);
		goto out;
	}
	if ((n = al_arena_alloc(&g->p->arena, sizeof(*n), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	n->pub.kind = is_index_mt(d->media_type) ? AL_OCI_NODE_INDEX : AL_OCI_NODE_MANIFEST;
	n->pub.digest = d->digest;
	n->pub.media_type = d->media_type;
	n->pub.depth = depth;
	n->pub.orphan = g->in_orphan;
	if ((n->pub.raw.p = (const uint8_t *)al_arena_strdup(&g->p->arena, al_buf_bytes(&raw), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	n->pub.raw.n = raw.n;
	if ((rc = add_node(g, n)) != AL_OK)
		goto out;
	n->busy = true;
	rc = build_node(g, n, j, where, depth);
	n->busy = false;
	if (rc == AL_OK)
		*out = &n->pub;
out:
	al_json_free(j);
	al_buf_free(&raw);
	return rc;
}

/* ================================================================ OCI layout */

static al_rc
read_doc(gctx *g, const char *path, size_t max, al_buf *out, al_json **j)
{
	oci_entry *e = oci_store_find(g->s, path);
	al_rc rc;

	*j = NULL;
	if (e == NULL)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: missing", path);
	if (e->size > max)
		return al_err_set(g->err, AL_E_LIMIT, "%s: %llu bytes, more than the limit of %zu", path,
				  (unsigned long long)e->size, max);
	if ((rc = oci_store_read(g->s, e, max, out, g->err)) != AL_OK)
		return rc;
	e->used = true;
	if ((rc = al_json_parse(al_buf_bytes(out), j, g->err)) != AL_OK)
		return doc_fail(g->err, path);
	return AL_OK;
}

static al_rc
add_ref(gctx *g, al_oci_ref **out)
{
	al_rc rc;

	if ((rc = grow((void **)&g->o->refs, &g->p->refs_cap, g->o->n_refs, sizeof(**out), g->err)) != AL_OK)
		return rc;
	*out = &g->o->refs[g->o->n_refs++];
	memset(*out, 0, sizeof(**out));
	return AL_OK;
}

static al_rc
load_layout(gctx *g)
{
	al_buf buf = { 0 };
	al_json *j = NULL;
	const al_json *arr;
	al_bytes v;
	size_t n;
	al_rc rc;

	if ((rc = read_doc(g, "oci-layout", AL_MAX_OCI_LAYOUT, &buf, &j)) != AL_OK)
		goto out;
	if (!al_json_is_obj(j)) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "oci-layout: not a JSON object");
		goto out;
	}
	if ((rc = fields_check(j, "oci-layout", layout_fields, g->err)) != AL_OK)
		goto out;
	if ((rc = al_json_get_str(j, "oci-layout", "imageLayoutVersion", true, &v, g->err)) != AL_OK)
		goto out;
	if (!al_bytes_eq_str(v, "1.0.0")) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "oci-layout: imageLayoutVersion \"%.32s\", expected \"1.0.0\"",
				(const char *)v.p);
		goto out;
	}
	al_json_free(j);
	j = NULL;
	if ((rc = read_doc(g, "index.json", AL_MAX_MANIFEST, &buf, &j)) != AL_OK)
		goto out;
	/* index.json is an image index like any other, minus the descriptor */
	if ((rc = check_doc_kind(g, j, MT_OCI_INDEX, true, "index.json")) != AL_OK)
		goto out;
	if ((rc = al_json_get_arr(j, "index.json", "manifests", true, &arr, g->err)) != AL_OK)
		goto out;
	n = al_json_arr_len(arr);
	if (n > AL_MAX_INDEX_ENTRIES) {
		rc = al_err_set(g->err, AL_E_LIMIT, "index.json: %zu manifests, more than the limit of %d", n,
				AL_MAX_INDEX_ENTRIES);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		al_oci_ref *r;
		al_jpath ip;
		char *w;

		al_jpath_idx(&ip, "index.json manifests", i);
		if ((rc = add_ref(g, &r)) != AL_OK)
			goto out;
		if ((rc = parse_desc(g, al_json_arr_at(arr, i), ip.s, &r->desc)) != AL_OK)
			goto out;
		r->ref_name = al_oci_annotation(r->desc.annotations, r->desc.n_annotations, ANN_REF_NAME);
		r->cosign_kind = al_oci_annotation(r->desc.annotations, r->desc.n_annotations, "kind");
		if ((w = child_where(g, "index.json", "manifests", i, &r->desc.digest)) == NULL) {
			rc = AL_E_NOMEM;
			goto out;
		}
		w += strlen("index.json > ");
		w = al_arena_printf(&g->p->arena, g->err, "index.json %s", w);
		if (w == NULL) {
			rc = AL_E_NOMEM;
			goto out;
		}
		if ((rc = index_child_type(g, &r->desc, w)) != AL_OK ||
		    (rc = load_node(g, &r->desc, NULL, w, 0, &r->desc.node)) != AL_OK)
			goto out;
	}
	/* Docker 25+ writes its manifest.json next to the layout */
	if (oci_store_find(g->s, "manifest.json") != NULL) {
		g->o->docker_manifest = true;
		oci_store_find(g->s, "manifest.json")->used = true;
		if (oci_store_find(g->s, "repositories") != NULL)
			oci_store_find(g->s, "repositories")->used = true;
	}
out:
	al_json_free(j);
	al_buf_free(&buf);
	return rc;
}

/* ================================================================ containers/image dir: */

static al_rc
load_csigs(gctx *g, gnode *n, const char *prefix)
{
	al_oci_csig *arr = NULL;
	size_t cnt = 0;
	al_rc rc;

	for (;;) {
		char name[AL_MAX_SIG_FILE_NAME];
		oci_entry *e;

		snprintf(name, sizeof(name), "%s%ssignature-%zu", prefix, prefix[0] ? "." : "", cnt + 1);
		e = oci_store_find(g->s, name);
		if (e == NULL)
			break;
		if (cnt >= AL_MAX_SIGS_PER_IMAGE)
			return al_err_set(g->err, AL_E_LIMIT, "%s: more than %d signatures on one image", name,
					  AL_MAX_SIGS_PER_IMAGE);
		cnt++;
	}
	if (cnt == 0)
		return AL_OK;
	if ((arr = al_arena_alloc(&g->p->arena, cnt * sizeof(*arr), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = grow((void **)&g->p->csigs, &g->p->csigs_cap, g->p->n_csigs + cnt, sizeof(*g->p->csigs),
		       g->err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < cnt; i++) {
		char name[AL_MAX_SIG_FILE_NAME];
		al_buf raw = { 0 };
		oci_entry *e;

		snprintf(name, sizeof(name), "%s%ssignature-%zu", prefix, prefix[0] ? "." : "", i + 1);
		e = oci_store_find(g->s, name);
		g->p->csigs[g->p->n_csigs++] = &arr[i];
		if ((rc = oci_store_read(g->s, e, AL_MAX_SIG_FILE, &raw, g->err)) != AL_OK)
			return rc;
		e->used = true;
		rc = al_oci_csig_parse(al_buf_bytes(&raw), &arr[i], g->err);
		al_buf_free(&raw);
		if (rc != AL_OK)
			return al_err_prefix(g->err, "%s", name);
		snprintf(arr[i].file, sizeof(arr[i].file), "%s", name);
	}
	n->pub.csigs = arr;
	n->pub.n_csigs = cnt;
	return AL_OK;
}

static al_rc
load_containers_dir(gctx *g)
{
	oci_entry *e = oci_store_find(g->s, "manifest.json");
	al_buf raw = { 0 };
	al_json *j = NULL;
	al_bytes mt;
	al_oci_ref *r;
	int64_t sv;
	bool present;
	al_rc rc;

	if ((rc = oci_store_read(g->s, e, AL_MAX_MANIFEST, &raw, g->err)) != AL_OK)
		goto out;
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, g->err)) != AL_OK) {
		rc = doc_fail(g->err, "manifest.json");
		goto out;
	}
	if ((rc = add_ref(g, &r)) != AL_OK)
		goto out;
	/* no descriptor names this manifest: its type comes from itself */
	if ((rc = al_json_get_str(j, "manifest.json", "mediaType", false, &mt, g->err)) != AL_OK ||
	    (rc = get_num(j, "manifest.json", "schemaVersion", true, &sv, &present, g->err)) != AL_OK)
		goto out;
	if (sv == 1 || (mt.p && (al_bytes_eq_str(mt, MT_DOCKER_V1) || al_bytes_eq_str(mt, MT_DOCKER_V1_JWS)))) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				"manifest.json: a Docker schema 1 manifest; only schema 2 and OCI are supported");
		goto out;
	}
	if (mt.p)
		r->desc.media_type = al_arena_strdup(&g->p->arena, mt, g->err);
	else
		r->desc.media_type = al_json_member(j, "manifests") ? MT_OCI_INDEX : MT_OCI_MANIFEST;
	if (r->desc.media_type == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	if (!is_index_mt(r->desc.media_type) && !is_manifest_mt(r->desc.media_type)) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "manifest.json: unsupported mediaType \"%.100s\"",
				r->desc.media_type);
		goto out;
	}
	r->desc.size = raw.n;
	al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(&raw), &r->desc.digest);
	if ((rc = load_node(g, &r->desc, e, "manifest.json", 0, &r->desc.node)) != AL_OK)
		goto out;
	if ((rc = load_csigs(g, (gnode *)(uintptr_t)r->desc.node, "")) != AL_OK)
		goto out;
	/* per-instance manifests and signatures of a copied list (--all) */
	for (size_t i = 0; i < g->o->n_nodes; i++) {
		char hex[AL_HASH_MAX * 2 + 1];

		if (g->o->nodes[i] == r->desc.node)
			continue;
		oci_digest_hex(&g->o->nodes[i]->digest, hex);
		if ((rc = load_csigs(g, (gnode *)g->o->nodes[i], hex)) != AL_OK)
			goto out;
	}
	if ((e = oci_store_find(g->s, "version")) != NULL)
		e->used = true;
out:
	al_json_free(j);
	al_buf_free(&raw);
	return rc;
}

/* ================================================================ legacy docker-archive */

/* Resolves a docker-archive path, following at most one symlink (docker
 * save links repeated layers to the first copy: <id>/layer.tar ->
 * ../<id0>/layer.tar). The target must stay inside and be a regular file. */
static al_rc
docker_entry(gctx *g, al_bytes pathj, const char *where, oci_entry **out)
{
	char raw[AL_MAX_PATH + 1], norm[AL_MAX_PATH + 1], joined[2 * AL_MAX_PATH + 2];
	oci_entry *e;
	al_rc rc;

	*out = NULL;
	if (pathj.n == 0 || pathj.n > AL_MAX_PATH)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: empty or too long path", where);
	memcpy(raw, pathj.p, pathj.n);
	raw[pathj.n] = '\0';
	if ((rc = oci_path_normalize(raw, norm, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s", where);
	e = oci_store_find(g->s, norm);
	if (e == NULL)
		return AL_OK;
	if (e->type == OCI_E_SYMLINK) {
		const char *slash = strrchr(norm, '/');
		char *parts[AL_MAX_PATH / 2 + 1];
		size_t np = 0;
		char *tok, *save = NULL;

		e->used = true;
		if (e->link[0] == '/')
			return al_err_set(g->err, AL_E_BUNDLE_UNSAFE, "%s: symbolic link to an absolute path (%.200s)",
					  norm, e->link);
		snprintf(joined, sizeof(joined), "%.*s%s%s", slash ? (int)(slash - norm) : 0, norm,
			 slash ? "/" : "", e->link);
		for (tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
			if (strcmp(tok, ".") == 0)
				continue;
			if (strcmp(tok, "..") == 0) {
				if (np == 0)
					return al_err_set(g->err, AL_E_BUNDLE_UNSAFE,
							  "%s: symbolic link (to %.200s) escapes the bundle", norm, e->link);
				np--;
				continue;
			}
			if (np >= AL_ARRAY_LEN(parts))
				return al_err_set(g->err, AL_E_BUNDLE_UNSAFE, "%s: link target too deep", norm);
			parts[np++] = tok;
		}
		raw[0] = '\0';
		for (size_t i = 0; i < np; i++) {
			size_t l = strlen(raw);

			snprintf(raw + l, sizeof(raw) - l, "%s%s", i ? "/" : "", parts[i]);
		}
		e = oci_store_find(g->s, raw);
		if (e == NULL || e->type != OCI_E_FILE)
			return al_err_set(g->err, AL_E_BUNDLE_UNSAFE,
					  "%s: symbolic link (to %.200s) does not name a regular file in the archive",
					  norm, raw);
	}
	if (e->type != OCI_E_FILE)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s (%s): not a regular file", norm, where);
	*out = e;
	return AL_OK;
}

/* "<64 hex>.json" or "blobs/sha256/<64 hex>": the name claims a digest. */
static bool
docker_name_digest(const char *path, al_oci_digest *d)
{
	const char *base = strrchr(path, '/');
	char tmp[8 + 64 + 1];
	al_err e;

	base = base ? base + 1 : path;
	if (strncmp(path, "blobs/sha256/", 13) == 0 && strlen(base) == 64) {
		snprintf(tmp, sizeof(tmp), "sha256:%s", base);
	} else if (strlen(base) == 69 && strcmp(base + 64, ".json") == 0) {
		snprintf(tmp, sizeof(tmp), "sha256:%.64s", base);
	} else {
		return false;
	}
	return al_oci_digest_parse(al_bytes_str(tmp), d, &e) == AL_OK;
}

static al_rc
docker_image(gctx *g, const al_json *item, size_t idx)
{
	const al_json *layers, *tags, *rootfs, *diff_ids;
	al_bytes cfgp;
	oci_entry *ce;
	al_buf cfg = { 0 };
	al_json *cj = NULL;
	al_oci_ref *r;
	gnode *n;
	al_oci_desc *cd, *ld = NULL;
	al_oci_digest named;
	al_jpath ip;
	size_t nl;
	char *where;
	al_rc rc;

	al_jpath_idx(&ip, "manifest.json", idx);
	if (!al_json_is_obj(item))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: not an object", ip.s);
	if ((rc = fields_check(item, ip.s, oci_docker_fields, g->err)) != AL_OK)
		return al_err_recode(g->err, AL_E_BUNDLE_FORMAT, "docker-archive");
	if ((rc = al_json_get_str(item, ip.s, "Config", true, &cfgp, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(item, ip.s, "Layers", true, &layers, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(item, ip.s, "RepoTags", false, &tags, g->err)) != AL_OK)
		return al_err_prefix(g->err, "docker-archive");
	nl = al_json_arr_len(layers);
	if (nl > AL_MAX_LAYERS)
		return al_err_set(g->err, AL_E_LIMIT, "%s.Layers: %zu layers, more than the limit of %d", ip.s, nl,
				  AL_MAX_LAYERS);
	if ((rc = docker_entry(g, cfgp, ip.s, &ce)) != AL_OK)
		return rc;
	if (ce == NULL)
		return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s.Config: %.200s is missing from the archive", ip.s,
				  (const char *)cfgp.p);
	if ((rc = oci_store_read(g->s, ce, AL_MAX_MANIFEST, &cfg, g->err)) != AL_OK)
		goto out;
	if ((g->p->raw_total += cfg.n) > AL_MAX_KEPT_TOTAL) {
		rc = al_err_set(g->err, AL_E_LIMIT, "%s: the archive's configs exceed %llu bytes in total", ip.s,
				(unsigned long long)AL_MAX_KEPT_TOTAL);
		goto out;
	}
	ce->used = true;
	ce->checked = true;
	if ((rc = add_ref(g, &r)) != AL_OK)
		goto out;
	if ((n = al_arena_alloc(&g->p->arena, sizeof(*n), g->err)) == NULL ||
	    (cd = al_arena_alloc(&g->p->arena, sizeof(*cd), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	cd->media_type = MT_DOCKER_CONFIG;
	cd->size = cfg.n;
	cd->present = true;
	al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(&cfg), &cd->digest);
	if (docker_name_digest(ce->path, &named) && !al_oci_digest_eq(&named, &cd->digest)) {
		char gs[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(&cd->digest, gs);
		rc = al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s.Config): digest mismatch: the content hashes to %s",
				ce->path, ip.s, gs);
		goto out;
	}
	if ((rc = al_json_parse(al_buf_bytes(&cfg), &cj, g->err)) != AL_OK) {
		rc = doc_fail(g->err, ce->path);
		goto out;
	}
	if ((rc = al_json_get_obj(cj, ce->path, "rootfs", true, &rootfs, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(rootfs, "rootfs", "diff_ids", true, &diff_ids, g->err)) != AL_OK) {
		rc = al_err_prefix(g->err, "%s", ce->path);
		goto out;
	}
	if (al_json_arr_len(diff_ids) != nl) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				"%s: the config lists %zu layer diff_ids, manifest.json lists %zu layers", ip.s,
				al_json_arr_len(diff_ids), nl);
		goto out;
	}
	n->pub.kind = AL_OCI_NODE_DOCKER;
	n->pub.digest = cd->digest;
	n->pub.media_type = "docker-archive";
	n->pub.config = cd;
	if ((n->pub.raw.p = (const uint8_t *)al_arena_strdup(&g->p->arena, al_buf_bytes(&cfg), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	n->pub.raw.n = cfg.n;
	if (find_node(g, &n->pub.digest) != NULL) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: the same image is listed twice", ip.s);
		goto out;
	}
	if ((rc = add_node(g, n)) != AL_OK)
		goto out;
	if (nl > 0 && (ld = al_arena_alloc(&g->p->arena, nl * sizeof(*ld), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nl; i++) {
		const al_json *lj = al_json_arr_at(layers, i), *dj = al_json_arr_at(diff_ids, i);
		oci_entry *le;
		oci_check *c;
		char lw[AL_JPATH_MAX + 32];

		snprintf(lw, sizeof(lw), "%s.Layers[%zu]", ip.s, i);
		if (!al_json_is_str(lj) || !al_json_is_str(dj)) {
			rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: layer path or diff_id is not a string", lw);
			goto out;
		}
		if ((rc = al_oci_digest_parse(al_json_str_bytes(dj), &ld[i].digest, g->err)) != AL_OK) {
			rc = al_err_prefix(g->err, "%s: rootfs.diff_ids[%zu]", ce->path, i);
			goto out;
		}
		ld[i].media_type = MT_DOCKER_LAYER;
		if ((rc = docker_entry(g, al_json_str_bytes(lj), lw, &le)) != AL_OK)
			goto out;
		if ((where = al_arena_printf(&g->p->arena, g->err, "%s (%s)", lw,
					 (const char *)al_json_str_bytes(lj).p)) == NULL) {
			rc = AL_E_NOMEM;
			goto out;
		}
		if (le == NULL) {
			if ((rc = add_missing(g, &ld[i], where)) != AL_OK)
				goto out;
			continue;
		}
		ld[i].size = le->size;
		ld[i].present = true;
		if (le->used) {
			size_t at;

			/* one file can be proven against one diff_id only: a second
			 * Layers entry naming another diff_id would go unproven */
			if (!oci_map_get(&g->layer_checks, le->path, &at)) {
				rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT,
						"%s: resolves to %s, which the archive already uses as something other "
						"than a layer", where, le->path);
				goto out;
			}
			if (!al_oci_digest_eq(&g->p->checks[at].want, &ld[i].digest)) {
				char a[AL_OCI_DIGEST_STR_MAX], b[AL_OCI_DIGEST_STR_MAX];

				al_oci_digest_str(&g->p->checks[at].want, a);
				al_oci_digest_str(&ld[i].digest, b);
				rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT,
						"%s: resolves to %s, which %s already names with diff_id %s; one file "
						"cannot be both %s and %s", where, le->path, g->p->checks[at].where, a, a, b);
				goto out;
			}
			continue;
		}
		le->used = true;
		/* archives hash entries as they stream (sha256 outside blobs/sha512/);
		 * directories hash at proving time with the wanted algorithm */
		if (ld[i].digest.alg != AL_HASH_SHA256 || (g->s->archive && le->alg != AL_HASH_SHA256)) {
			rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: docker-archive layers are sha256", lw);
			goto out;
		}
		if ((rc = grow((void **)&g->p->checks, &g->p->checks_cap, g->p->n_checks, sizeof(*c), g->err)) !=
		    AL_OK)
			goto out;
		if ((rc = oci_map_put(&g->layer_checks, le->path, g->p->n_checks, g->err)) != AL_OK)
			goto out;
		c = &g->p->checks[g->p->n_checks++];
		memset(c, 0, sizeof(*c));
		c->e = le;
		c->want = ld[i].digest;
		c->where = where;
	}
	n->pub.layers = nl ? ld : NULL;
	n->pub.n_layers = nl;
	r->desc = *cd;
	r->desc.node = &n->pub;
	rc = oci_repo_tags(&g->p->arena, tags, ip.s, &r->repo_tags, &r->n_repo_tags, g->err);
out:
	al_json_free(cj);
	al_buf_free(&cfg);
	return rc;
}

static al_rc
load_docker(gctx *g, al_json *mj)
{
	size_t n = al_json_arr_len(mj);
	al_rc rc;

	if (n == 0)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "manifest.json: no images");
	if (n > AL_MAX_INDEX_ENTRIES)
		return al_err_set(g->err, AL_E_LIMIT, "manifest.json: %zu images, more than the limit of %d", n,
				  AL_MAX_INDEX_ENTRIES);
	for (size_t i = 0; i < n; i++)
		if ((rc = docker_image(g, al_json_arr_at(mj, i), i)) != AL_OK)
			return rc;
	/* v1 metadata docker writes beside each layer; nothing verifies it */
	for (size_t i = 0; i < g->s->n; i++) {
		oci_entry *e = &g->s->e[i];
		const char *base = strrchr(e->path, '/');

		if (strcmp(e->path, "manifest.json") == 0 || strcmp(e->path, "repositories") == 0 ||
		    (base && (strcmp(base, "/json") == 0 || strcmp(base, "/VERSION") == 0)))
			e->used = true;
	}
	return AL_OK;
}

/* ================================================================ orphans and extras */

static int
cmp_entry_path(const void *a, const void *b)
{
	return strcmp((*(oci_entry *const *)a)->path, (*(oci_entry *const *)b)->path);
}

/* Unreferenced blobs that are OCI manifests with a subject (referrers that
 * cosign save leaves out of index.json) join the graph as orphans. */
static al_rc
adopt_orphans(gctx *g, oci_entry **cand, size_t nc)
{
	al_rc rc;

	for (size_t i = 0; i < nc; i++) {
		oci_entry *e = cand[i];
		al_oci_desc *d;
		al_buf raw = { 0 };
		al_json *j = NULL;
		al_bytes mt;
		al_oci_digest got;
		const al_oci_node *node;
		char *where;
		bool ok;
		al_err scratch;

		if (e->used || e->size > AL_MAX_MANIFEST || (g->s->archive && !e->has_kept))
			continue;
		if ((d = al_arena_alloc(&g->p->arena, sizeof(*d), g->err)) == NULL)
			return AL_E_NOMEM;
		{
			char tmp[AL_OCI_DIGEST_STR_MAX];
			const char *alg = e->path + 6, *hex = strchr(alg, '/');

			snprintf(tmp, sizeof(tmp), "%.*s:%s", (int)(hex - alg), alg, hex + 1);
			if (al_oci_digest_parse(al_bytes_str(tmp), &d->digest, &scratch) != AL_OK)
				continue;
		}
		if (oci_store_read(g->s, e, AL_MAX_MANIFEST, &raw, &scratch) != AL_OK)
			continue;
		al_oci_digest_of(d->digest.alg, al_buf_bytes(&raw), &got);
		ok = al_oci_digest_eq(&got, &d->digest) && al_json_parse(al_buf_bytes(&raw), &j, &scratch) == AL_OK &&
		     al_json_get_str(j, "", "mediaType", true, &mt, &scratch) == AL_OK &&
		     al_json_member(j, "subject") != NULL &&
		     (al_bytes_eq_str(mt, MT_OCI_MANIFEST) || al_bytes_eq_str(mt, MT_OCI_INDEX));
		if (ok)
			d->media_type = al_arena_strdup(&g->p->arena, mt, g->err);
		al_json_free(j);
		al_buf_free(&raw);
		if (!ok)
			continue;
		if (d->media_type == NULL)
			return AL_E_NOMEM;
		d->size = e->size;
		if ((where = al_arena_printf(&g->p->arena, g->err, "orphan %s", e->path)) == NULL)
			return AL_E_NOMEM;
		g->in_orphan = true;
		rc = load_node(g, d, e, where, 0, &node);
		g->in_orphan = false;
		if (rc != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
collect_extras(gctx *g)
{
	al_oci *o = g->o;
	oci_entry **cand = NULL;
	size_t nc = 0;
	al_rc rc = AL_OK;

	if (g->s->n > 0 && (cand = malloc(g->s->n * sizeof(*cand))) == NULL)
		return al_err_set(g->err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < g->s->n; i++)
		if (g->s->e[i].type != OCI_E_DIR)
			cand[nc++] = &g->s->e[i];
	qsort(cand, nc, sizeof(*cand), cmp_entry_path);
	if (o->format == AL_OCI_FMT_LAYOUT) {
		oci_entry **blobs = malloc((nc ? nc : 1) * sizeof(*blobs));
		size_t nb = 0;

		if (blobs == NULL) {
			free(cand);
			return al_err_set(g->err, AL_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < nc; i++)
			if (cand[i]->type == OCI_E_FILE && strncmp(cand[i]->path, "blobs/", 6) == 0 &&
			    strchr(cand[i]->path + 6, '/') != NULL)
				blobs[nb++] = cand[i];
		rc = adopt_orphans(g, blobs, nb);
		free(blobs);
	}
	for (size_t i = 0; i < nc && rc == AL_OK; i++) {
		oci_entry *e = cand[i];
		al_oci_extra *x;

		if (e->used)
			continue;
		if ((rc = grow((void **)&o->extra, &g->p->extra_cap, o->n_extra, sizeof(*x), g->err)) != AL_OK)
			break;
		x = &o->extra[o->n_extra++];
		memset(x, 0, sizeof(*x));
		if ((x->path = al_arena_strdup(&g->p->arena, al_bytes_str(e->path), g->err)) == NULL) {
			rc = AL_E_NOMEM;
			break;
		}
		x->size = e->size;
		x->hashed = e->hashed;
		if (e->hashed && o->format == AL_OCI_FMT_LAYOUT && strncmp(e->path, "blobs/", 6) == 0) {
			char hex[AL_HASH_MAX * 2 + 1];
			const char *name = strrchr(e->path, '/') + 1;

			al_hex_encode(e->hash, al_hash_len(e->alg), hex);
			x->name_mismatch = strcmp(name, hex) != 0;
		}
	}
	free(cand);
	return rc;
}

al_rc
oci_repo_tags(al_arena *a, const al_json *tags, const char *path, const char *const **out, size_t *n, al_err *err)
{
	size_t nt = tags ? al_json_arr_len(tags) : 0;
	const char **t;

	*out = NULL;
	*n = 0;
	if (nt == 0)
		return AL_OK;
	if ((t = al_arena_alloc(a, nt * sizeof(*t), err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < nt; i++) {
		if (!al_json_is_str(al_json_arr_at(tags, i)))
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "%s.RepoTags[%zu]: not a string", path, i);
		if ((t[i] = al_arena_strdup(a, al_json_str_bytes(al_json_arr_at(tags, i)), err)) == NULL)
			return AL_E_NOMEM;
	}
	*out = t;
	*n = nt;
	return AL_OK;
}

/* ================================================================ build */

al_oci_desc *
oci_node_manifests_w(al_oci_node *n)
{
	return ((gnode *)n)->manifests_w; /* every node is the head of a gnode */
}

al_rc
oci_build(al_oci *o, al_err *err)
{
	struct al_oci_priv *p = o->priv;
	gctx g = { .o = o, .p = p, .s = &p->store, .err = err };
	oci_entry *idx = oci_store_find(g.s, "index.json");
	oci_entry *man = oci_store_find(g.s, "manifest.json");
	oci_entry *lay = oci_store_find(g.s, "oci-layout");
	al_json *mj = NULL;
	al_buf mbuf = { 0 };
	al_rc rc;

	o->archive = g.s->archive;
	snprintf(o->compression, sizeof(o->compression), "%s", g.s->archive ? g.s->compression : "none");
	if (idx != NULL || lay != NULL) {
		o->format = AL_OCI_FMT_LAYOUT;
	} else if (man != NULL) {
		/* docker save writes an array, containers/image a manifest object */
		if ((rc = read_doc(&g, "manifest.json", AL_MAX_MANIFEST, &mbuf, &mj)) != AL_OK)
			goto out;
		o->format = al_json_is_arr(mj) ? AL_OCI_FMT_DOCKER_ARCHIVE : AL_OCI_FMT_CONTAINERS_DIR;
	} else {
		rc = al_err_set(err, AL_E_BUNDLE_FORMAT,
				"not an image bundle: no index.json or oci-layout (OCI layout) and no manifest.json "
				"(docker-archive, dir:)");
		goto out;
	}
	/* links mean nothing in a layout; only docker save writes them */
	for (size_t i = 0; i < g.s->n && o->format != AL_OCI_FMT_DOCKER_ARCHIVE; i++) {
		if (g.s->e[i].type == OCI_E_SYMLINK) {
			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE,
					"%s: symbolic link (to %.200s); links are not allowed in an image layout",
					g.s->e[i].path, g.s->e[i].link);
			goto out;
		}
	}
	if (o->format == AL_OCI_FMT_LAYOUT)
		rc = load_layout(&g);
	else if (o->format == AL_OCI_FMT_DOCKER_ARCHIVE)
		rc = load_docker(&g, mj);
	else
		rc = load_containers_dir(&g);
	if (rc != AL_OK)
		goto out;
	if (o->format == AL_OCI_FMT_DOCKER_ARCHIVE) {
		for (size_t i = 0; i < g.s->n; i++) {
			oci_entry *e = &g.s->e[i];
			oci_entry *t;
			al_rc r2;

			/* every link must be safe, used or not */
			if (e->type != OCI_E_SYMLINK)
				continue;
			r2 = docker_entry(&g, al_bytes_str(e->path), "docker-archive link", &t);
			if (r2 != AL_OK) {
				rc = r2;
				goto out;
			}
		}
	}
	if ((rc = collect_extras(&g)) != AL_OK)
		goto out;
	/* fail fast on a missing blob before hashing gigabytes */
	if (!(p->flags & AL_OCI_ALLOW_MISSING)) {
		for (size_t i = 0; i < o->n_missing; i++) {
			const al_oci_missing *m = &o->missing[i];
			char ds[AL_OCI_DIGEST_STR_MAX];

			if (m->in_orphan)
				continue;
			al_oci_digest_str(&m->digest, ds);
			rc = al_err_set(err, AL_E_BUNDLE_BLOB, "%s (%s): blob %s is missing from the bundle%s",
					m->media_type, m->where, ds,
					m->has_urls ? " (a foreign layer: its descriptor names URLs)" : "");
			goto out;
		}
	}
	if ((rc = oci_store_prove(g.s, p->checks, p->n_checks, !(p->flags & AL_OCI_NO_THREADS), err)) != AL_OK)
		goto out;
	/* subjects present in the bundle point at their node */
	for (size_t i = 0; i < o->n_nodes; i++) {
		gnode *n = (gnode *)o->nodes[i];

		if (n->subject_w != NULL)
			n->subject_w->node = al_oci_node_get(o, &n->subject_w->digest);
	}
	o->bytes_hashed = g.s->bytes_hashed;
	rc = oci_closed_world(o, err);
out:
	oci_map_free(&g.layer_checks);
	al_json_free(mj);
	al_buf_free(&mbuf);
	return rc;
}
