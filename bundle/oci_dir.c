/*
 * oci_dir.c — the containers/image dir: reader (skopeo copy ... dir:): its
 * manifest.json, the per-instance manifests of a copied list, and the
 * signature-N files beside them, with the parser of those files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_graph.h"

/* ================================================================ containers/image signature files */

void
al_oci_csig_free(al_oci_csig *sig)
{
	if (sig == NULL)
		return;
	al_buf_free(&sig->raw);
	al_buf_free(&sig->mime_type);
	al_buf_free(&sig->payload);
	free(sig->annotations); /* and the strings after the array (csig_annotations) */
	memset(sig, 0, sizeof(*sig));
}

/* The annotations in one allocation: the array, then every key and value
 * (NUL-terminated) after it, freed with the array. */
static al_rc
csig_annotations(const al_json *ann, al_oci_csig *sig, al_err *err)
{
	const al_json *m;
	size_t n = 0, bytes = 0;
	char *s;

	for (m = al_json_first(ann); m; m = al_json_next(m)) {
		if (!al_json_is_str(m))
			return al_err_set(err, AL_E_BUNDLE_FORMAT,
					  "sigstore-json signature: annotations.%.100s: not a string", al_json_key(m));
		bytes += strlen(al_json_key(m)) + 1 + strlen((const char *)al_json_str_bytes(m).p) + 1;
		n++;
	}
	if (n == 0)
		return AL_OK;
	if ((sig->annotations = malloc(n * sizeof(*sig->annotations) + bytes)) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	s = (char *)(sig->annotations + n);
	for (m = al_json_first(ann); m; m = al_json_next(m)) {
		al_oci_kv *kv = &sig->annotations[sig->n_annotations++];
		const char *v = (const char *)al_json_str_bytes(m).p;
		size_t kn = strlen(al_json_key(m)) + 1, vn = strlen(v) + 1;

		kv->key = memcpy(s, al_json_key(m), kn);
		kv->value = memcpy(s + kn, v, vn);
		s += kn + vn;
	}
	return AL_OK;
}

static al_rc
csig_sigstore(al_bytes body, al_oci_csig *sig, al_err *err)
{
	static const char *const keys[] = { "mimeType", "payload", "annotations", NULL };
	al_json *j = NULL;
	const al_json *ann;
	al_bytes mt;
	al_rc rc;

	if ((rc = al_json_parse(body, &j, err)) != AL_OK)
		return err && err->code == AL_E_JSON ? al_err_recode(err, AL_E_BUNDLE_FORMAT, "sigstore-json signature")
					      : al_err_prefix(err, "sigstore-json signature");
	if (!al_json_is_obj(j)) {
		rc = al_err_set(err, AL_E_BUNDLE_FORMAT, "sigstore-json signature: not a JSON object");
		goto out;
	}
	if ((rc = al_json_only_keys(j, "", keys, err)) != AL_OK ||
	    (rc = al_json_get_str(j, "", "mimeType", true, &mt, err)) != AL_OK ||
	    (rc = al_json_get_obj(j, "", "annotations", false, &ann, err)) != AL_OK)
		goto json_err;
	{
		al_bytes ps;

		if ((rc = al_json_get_str(j, "", "payload", true, &ps, err)) != AL_OK)
			goto json_err;
		/* Go's encoding/json writes []byte as standard padded base64 */
		if (ps.n / 4 * 3 > AL_MAX_PAYLOAD + 3) {
			rc = al_err_set(err, AL_E_LIMIT, "sigstore-json signature: payload exceeds %u bytes",
					AL_MAX_PAYLOAD);
			goto out;
		}
		if ((rc = al_b64_decode(ps, false, &sig->payload, err)) != AL_OK) {
			rc = al_err_recode(err, AL_E_BUNDLE_FORMAT, "sigstore-json signature: payload");
			goto out;
		}
		if (sig->payload.n > AL_MAX_PAYLOAD) {
			rc = al_err_set(err, AL_E_LIMIT, "sigstore-json signature: payload exceeds %u bytes",
					AL_MAX_PAYLOAD);
			goto out;
		}
	}
	if ((rc = al_buf_dup(&sig->mime_type, mt, err)) != AL_OK)
		goto out;
	rc = csig_annotations(ann, sig, err);
	goto out;
json_err:
	rc = al_err_recode(err, AL_E_BUNDLE_FORMAT, "sigstore-json signature");
out:
	al_json_free(j);
	return rc;
}

al_rc
al_oci_csig_parse(al_bytes raw, al_oci_csig *sig, al_err *err)
{
	al_rd r = al_rd_of(raw);
	al_bytes name;
	al_rc rc;

	memset(sig, 0, sizeof(*sig));
	if (raw.n == 0)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "empty signature file");
	if (raw.n > AL_MAX_SIG_FILE)
		return al_err_set(err, AL_E_LIMIT, "signature file of %zu bytes exceeds the limit of %u", raw.n,
				  AL_MAX_SIG_FILE);
	if ((rc = al_buf_dup(&sig->raw, raw, err)) != AL_OK)
		return rc;
	/* containers/image: a 0x00 byte, a format name, "\n"; no prefix = legacy GPG */
	if (raw.p[0] != 0x00) {
		sig->format = AL_OCI_CSIG_SIMPLE_SIGNING;
		return AL_OK;
	}
	(void)al_rd_u8(&r);
	name = al_rd_until(&r, '\n');
	if (!al_rd_ok(&r) || name.n > AL_MAX_SIG_FORMAT_NAME) {
		al_oci_csig_free(sig);
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "signature file: no format name after the 0x00 byte");
	}
	if (al_bytes_eq_str(name, "simple-signing")) {
		sig->format = AL_OCI_CSIG_SIMPLE_SIGNING;
		return AL_OK;
	}
	if (!al_bytes_eq_str(name, "sigstore-json")) {
		al_oci_csig_free(sig);
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "signature file: unknown format \"%.*s\"", (int)name.n,
				  (const char *)name.p);
	}
	sig->format = AL_OCI_CSIG_SIGSTORE;
	if ((rc = csig_sigstore(al_bytes_of(r.p, r.n), sig, err)) != AL_OK) {
		al_oci_csig_free(sig);
		return rc;
	}
	return AL_OK;
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
	if ((rc = oci_grow((void **)&g->p->csigs, &g->p->csigs_cap, g->p->n_csigs + cnt, sizeof(*g->p->csigs),
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

al_rc
oci_load_containers_dir(gctx *g)
{
	oci_entry *e = oci_store_find(g->s, "manifest.json");
	al_buf raw = { 0 };
	al_json *j = NULL;
	al_bytes mt;
	al_oci_ref *r;
	int64_t sv;
	bool present;
	al_rc rc;

	if ((rc = oci_store_read(g->s, e, AL_MAX_MANIFEST, &raw, g->err)) == AL_OK)
		oci_store_note_top(g->s, "manifest.json", al_buf_bytes(&raw));
	if (rc != AL_OK)
		goto out;
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, g->err)) != AL_OK) {
		rc = oci_doc_fail(g->err, "manifest.json");
		goto out;
	}
	if ((rc = oci_add_ref(g, &r)) != AL_OK)
		goto out;
	/* no descriptor names this manifest: its type comes from itself */
	if ((rc = al_json_get_str(j, "manifest.json", "mediaType", false, &mt, g->err)) != AL_OK ||
	    (rc = oci_get_num(j, "manifest.json", "schemaVersion", true, &sv, &present, g->err)) != AL_OK)
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
	if (!oci_is_index_mt(r->desc.media_type) && !oci_is_manifest_mt(r->desc.media_type)) {
		rc = al_err_set(g->err, AL_E_BUNDLE_FORMAT, "manifest.json: unsupported mediaType \"%.100s\"",
				r->desc.media_type);
		goto out;
	}
	r->desc.size = raw.n;
	al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(&raw), &r->desc.digest);
	g->link_up = NULL;
	g->link_field = NULL;
	if ((rc = oci_load_node(g, &r->desc, e, "manifest.json", 0, &r->desc.node)) != AL_OK)
		goto out;
	/* the node just loaded, writable */
	if ((rc = load_csigs(g, oci_find_node(g, &r->desc.digest), "")) != AL_OK)
		goto out;
	/* per-instance manifests and signatures of a copied list (--all) */
	for (size_t i = 0; i < g->o->n_nodes; i++) {
		char hex[AL_HASH_MAX * 2 + 1];

		if (g->o->nodes[i] == r->desc.node)
			continue;
		oci_digest_hex(g->o->nodes[i]->digest, hex);
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
