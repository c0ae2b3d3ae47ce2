/*
 * oci_doc.c — manifests, indexes and descriptors as JSON: the strict
 * reading of the fields the image graph is built from (descriptors,
 * platforms, annotations, a document's own kind), with the key spellings Go
 * consumers would read differently refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bundle/oci_graph.h"

/* ================================================================ keys */

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

/* A refused key: the message also shows what a Go consumer would take
 * from it when that is a string (the digest or media type it would load). */
al_rc
oci_fields_check(const al_json *obj, const char *path, const char *const *fields, al_err *err)
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

/* ================================================================ JSON pieces */

/* A document that does not parse is a malformed bundle; limits stay limits. */
al_rc
oci_doc_fail(al_err *err, const char *what)
{
	if (err != NULL && err->code == AL_E_JSON)
		return al_err_recode(err, AL_E_BUNDLE_FORMAT, "%s", what);
	return al_err_prefix(err, "%s", what);
}

/* A JSON integer that is a number, not a string (OCI sizes are numbers). */
al_rc
oci_get_num(const al_json *obj, const char *path, const char *key, bool required, int64_t *out, bool *present,
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

al_rc
oci_get_cstr(gctx *g, const al_json *obj, const char *path, const char *key, bool required, const char **out)
{
	al_bytes v;
	al_rc rc = al_json_get_str(obj, path, key, required, &v, g->err);

	*out = NULL;
	if (rc != AL_OK || v.p == NULL)
		return rc;
	*out = al_arena_intern(g->arena, v, g->err);
	return *out ? AL_OK : AL_E_NOMEM;
}

al_rc
oci_parse_annotations(gctx *g, const al_json *obj, const char *path, const al_oci_kv **kv, size_t *n)
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
	al_jpath_key(&ap, path, "annotations");
	for (m = al_json_first(a); m; m = al_json_next(m), cnt++) {
		if (!al_json_is_str(m)) {
			al_jpath kp;

			al_jpath_key(&kp, ap.s, al_json_key(m));
			return al_err_set(g->err, AL_E_JSON, "%s: not a string", kp.s);
		}
	}
	if (cnt == 0)
		return AL_OK;
	out = al_arena_alloc(g->arena, cnt * sizeof(*out), g->err);
	if (out == NULL)
		return AL_E_NOMEM;
	for (m = al_json_first(a); m; m = al_json_next(m), i++) {
		out[i].key = al_arena_intern(g->arena, al_bytes_str(al_json_key(m)), g->err);
		out[i].value = al_arena_intern(g->arena, al_json_str_bytes(m), g->err);
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
	if ((rc = oci_fields_check(pj, pp.s, platform_fields, g->err)) != AL_OK)
		return rc;
	if ((p = al_arena_alloc(g->arena, sizeof(*p), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_get_cstr(g, pj, pp.s, "architecture", true, &p->architecture)) != AL_OK ||
	    (rc = oci_get_cstr(g, pj, pp.s, "os", true, &p->os)) != AL_OK ||
	    (rc = oci_get_cstr(g, pj, pp.s, "variant", false, &p->variant)) != AL_OK ||
	    (rc = oci_get_cstr(g, pj, pp.s, "os.version", false, &p->os_version)) != AL_OK)
		return rc;
	*out = p;
	return AL_OK;
}

/* ================================================================ descriptors */

/* An OCI / Docker v2 descriptor. Unknown members are allowed (the spec
 * says so); the ones that mean something are checked. */
al_rc
oci_parse_desc(gctx *g, const al_json *d, const char *path, al_oci_desc *out)
{
	const al_json *urls;
	al_bytes dg;
	size_t na;
	int64_t size;
	bool present;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	/* memory follows descriptors: bound them, not just the input's size
	 * (a reading again, with no p, was counted when the model was built) */
	if (g->p != NULL && ++g->p->n_descs > AL_MAX_BLOBS)
		return al_err_set(g->err, AL_E_LIMIT, "%s: more than %d descriptors in the bundle", path,
				  AL_MAX_BLOBS);
	if (!al_json_is_obj(d))
		return al_err_set(g->err, AL_E_JSON, "%s: not an object", path);
	if ((rc = oci_fields_check(d, path, desc_fields, g->err)) != AL_OK)
		return rc;
	if ((rc = oci_get_cstr(g, d, path, "mediaType", true, &out->media_type)) != AL_OK)
		return rc;
	if ((rc = al_json_get_str(d, path, "digest", true, &dg, g->err)) != AL_OK)
		return rc;
	if ((rc = al_oci_digest_parse(dg, &out->digest, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s.digest", path);
	if ((rc = oci_get_num(d, path, "size", true, &size, &present, g->err)) != AL_OK)
		return rc;
	if (size < 0 || (unsigned long long)size > AL_MAX_BLOB)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s.size: %lld is out of range", path, (long long)size);
	out->size = (uint64_t)size;
	if ((rc = oci_get_cstr(g, d, path, "artifactType", false, &out->artifact_type)) != AL_OK)
		return rc;
	if ((rc = al_json_get_arr(d, path, "urls", false, &urls, g->err)) != AL_OK)
		return rc;
	for (size_t i = 0; urls && i < al_json_arr_len(urls); i++) {
		if (!al_json_is_str(al_json_arr_at(urls, i)))
			return al_err_set(g->err, AL_E_JSON, "%s.urls[%zu]: not a string", path, i);
	}
	out->has_urls = urls && al_json_arr_len(urls) > 0;
	if ((rc = oci_parse_annotations(g, d, path, &out->annotations, &na)) != AL_OK)
		return rc;
	out->n_annotations = (uint32_t)na; /* bounded by the document's size */
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

al_rc
oci_parse_desc_array(gctx *g, const al_json *arr, const char *path, size_t max, al_oci_desc **out, size_t *n)
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
	if ((d = al_arena_alloc(g->arena, cnt * sizeof(*d), g->err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < cnt; i++) {
		al_jpath ip;

		al_jpath_idx(&ip, path, i);
		if ((rc = oci_parse_desc(g, al_json_arr_at(arr, i), ip.s, &d[i])) != AL_OK)
			return rc;
	}
	*out = d;
	*n = cnt;
	return AL_OK;
}

al_rc
oci_parse_blobs(gctx *g, const al_json *j, const char *where, al_oci_desc **config, al_oci_desc **layers,
		size_t *n_layers)
{
	const al_json *arr, *cj;
	al_oci_desc *cfg;
	al_jpath ap;
	al_rc rc;

	*config = *layers = NULL;
	*n_layers = 0;
	if ((rc = al_json_get_obj(j, where, "config", true, &cj, g->err)) != AL_OK)
		return rc;
	al_jpath_key(&ap, where, "config");
	if ((cfg = al_arena_alloc(g->arena, sizeof(*cfg), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_parse_desc(g, cj, ap.s, cfg)) != AL_OK)
		return rc;
	if ((rc = al_json_get_arr(j, where, "layers", true, &arr, g->err)) != AL_OK)
		return rc;
	al_jpath_key(&ap, where, "layers");
	*config = cfg;
	return oci_parse_desc_array(g, arr, ap.s, AL_MAX_LAYERS, layers, n_layers);
}

/* ================================================================ documents */

bool
oci_is_index_mt(const char *mt)
{
	return strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0;
}

bool
oci_is_manifest_mt(const char *mt)
{
	return strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0;
}

/* Checks the document's own mediaType against the descriptor's and that it
 * cannot be read as the other kind of document. */
al_rc
oci_check_doc_kind(gctx *g, const al_json *j, const char *mt, bool index, const char *where)
{
	al_bytes dmt;
	int64_t sv;
	bool present;
	al_rc rc;

	if (!al_json_is_obj(j))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: not a JSON object", where);
	if ((rc = oci_fields_check(j, where, doc_fields, g->err)) != AL_OK)
		return rc;
	if ((rc = oci_get_num(j, where, "schemaVersion", true, &sv, &present, g->err)) != AL_OK)
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
read_doc(gctx *g, const char *path, size_t max, al_buf *out, const char *key, al_json **j, al_json_elems *v)
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
	if (strcmp(path, "index.json") == 0 || strcmp(path, "manifest.json") == 0)
		oci_store_note_top(g->s, path, al_buf_bytes(out));
	rc = key ? al_json_parse_elems(al_buf_bytes(out), key, j, v, g->err) : al_json_parse(al_buf_bytes(out), j, g->err);
	if (rc != AL_OK)
		return oci_doc_fail(g->err, path);
	return AL_OK;
}

al_rc
oci_read_doc(gctx *g, const char *path, size_t max, al_buf *out, al_json **j)
{
	return read_doc(g, path, max, out, NULL, j, NULL);
}

al_rc
oci_read_doc_elems(gctx *g, const char *path, size_t max, al_buf *out, const char *key, al_json **j,
		   al_json_elems *v)
{
	memset(v, 0, sizeof(*v));
	return read_doc(g, path, max, out, key, j, v);
}
