/*
 * oci_layout.c — the OCI image layout reader: oci-layout, then index.json,
 * whose every entry is an image or an artifact for the graph to walk.
 */
#include <stdio.h>
#include <string.h>

#include "bundle/oci_graph.h"

/* The fields of the Go struct consumers read oci-layout into (oci_doc.c
 * says why every key that folds onto one must be spelled exactly). */
static const char *const layout_fields[] = { "imageLayoutVersion", NULL };

/* "index.json manifests[i] (digest)" */
static const char *
index_where(char out[OCI_WHERE_MAX], size_t i, const al_oci_digest *d)
{
	oci_child_where(out, "index.json", "manifests", i, d);
	memmove(out + strlen("index.json "), out + strlen("index.json > "),
		strlen(out + strlen("index.json > ")) + 1);
	return out;
}

al_rc
oci_load_layout(gctx *g)
{
	al_buf buf = { 0 };
	al_json *j = NULL;
	al_json_elems ev;
	const al_json *arr, *ent;
	al_bytes v;
	size_t n, base;
	al_rc rc;

	memset(&ev, 0, sizeof(ev));
	if ((rc = oci_read_doc(g, "oci-layout", AL_MAX_OCI_LAYOUT, &buf, &j)) != AL_OK)
		goto out;
	if (!al_json_is_obj(j)) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "oci-layout: not a JSON object");
		goto out;
	}
	if ((rc = oci_fields_check(j, "oci-layout", layout_fields, g->err)) != AL_OK)
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
	/* its manifests an entry at a time: as one cJSON tree a large index
	 * costs ~10 times its text (docs/performance.md §4.6) */
	if ((rc = oci_read_doc_elems(g, "index.json", AL_MAX_JSON_STREAM_DOC, &buf, "manifests", &j, &ev)) != AL_OK)
		goto out;
	/* index.json is an image index like any other, minus the descriptor */
	if ((rc = oci_check_doc_kind(g, j, MT_OCI_INDEX, true, "index.json")) != AL_OK)
		goto out;
	if ((rc = al_json_get_arr(j, "index.json", "manifests", true, &arr, g->err)) != AL_OK)
		goto out;
	n = ev.tree ? al_json_arr_len(arr) : ev.n;
	if (n > AL_MAX_INDEX_ENTRIES) {
		rc = al_err_set(g->err, AL_E_LIMIT, "index.json: %zu manifests, more than the limit of %d", n,
				AL_MAX_INDEX_ENTRIES);
		goto out;
	}
	if ((rc = oci_reserve_refs(g, n)) != AL_OK)
		goto out;
	base = g->o->n_refs;
	for (size_t i = 0; i < n; i++) {
		al_oci_ref *r;
		al_jpath ip;
		char wbuf[OCI_WHERE_MAX];
		const char *w;

		if ((rc = al_json_elems_next(&ev, &ent, g->err)) != AL_OK) {
			rc = oci_doc_fail(g->err, "index.json");
			goto out;
		}
		if (ent == NULL) {
			rc = al_err_set(g->err, AL_E_INTERNAL, "index.json: manifests[%zu] went missing", i);
			goto out;
		}
		al_jpath_idx(&ip, "index.json manifests", i);
		if ((rc = oci_add_ref(g, &r)) != AL_OK)
			goto out;
		if ((rc = oci_parse_desc(g, ent, ip.s, &r->desc)) != AL_OK)
			goto out;
		r->ref_name = al_oci_annotation(r->desc.annotations, r->desc.n_annotations, ANN_REF_NAME);
		w = index_where(wbuf, i, &r->desc.digest);
		if ((rc = oci_index_child_type(g, &r->desc, w)) != AL_OK)
			goto out;
	}
	/* every entry is read: the text and its parse go before the walk, which
	 * holds the rest of the model (docs/performance.md §4.7) */
	al_json_elems_free(&ev);
	al_json_free(j);
	j = NULL;
	al_buf_free(&buf);
	for (size_t i = 0; i < n; i++) {
		al_oci_ref *r = &g->o->refs[base + i];
		char wbuf[OCI_WHERE_MAX];
		const char *w = index_where(wbuf, i, &r->desc.digest);

		g->link_up = NULL;
		g->link_field = "manifests";
		g->link_idx = i;
		if ((rc = oci_load_node(g, &r->desc, NULL, w, 0, &r->desc.node)) != AL_OK)
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
	al_json_elems_free(&ev);
	al_json_free(j);
	al_buf_free(&buf);
	return rc;
}
