/*
 * oci_graph.c — the image graph: index.json -> manifests and nested indexes
 * (every platform) -> config and layers, for OCI layouts, legacy
 * docker-archives and containers/image dir: directories (each read by its
 * own reader: oci_layout.c, oci_docker.c, oci_dir.c); orphan referrers; the
 * entries nothing references; and oci_build, which runs it all.
 *
 * Every document is checked against its descriptor (size, then digest)
 * before it is parsed, so a parsed manifest is always the one its parent
 * names. Manifests and indexes are parsed strictly: schemaVersion 2, a
 * media type that agrees with the descriptor, and no document that could be
 * read both as a manifest and as an index (CVE-2021-41190). Layer and config
 * blobs are collected and proven together at the end (oci_store_prove), so a
 * directory source can hash them on several threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_graph.h"

/* ================================================================ manifests and indexes */

al_rc
oci_add_node(gctx *g, gnode *n)
{
	al_oci *o = g->o;
	al_rc rc;

	if (o->n_nodes >= AL_MAX_BLOBS)
		return al_err_set(g->err, AL_E_LIMIT, "more than %d manifests in the bundle", AL_MAX_BLOBS);
	if ((rc = oci_grow((void **)&o->nodes, &g->p->nodes_cap, o->n_nodes, sizeof(*o->nodes), g->err)) != AL_OK)
		return rc;
	o->nodes[o->n_nodes] = &n->pub;
	if ((rc = oci_node_put(o, o->n_nodes, g->err)) != AL_OK)
		return rc;
	o->n_nodes++;
	return AL_OK;
}

gnode *
oci_find_node(gctx *g, const al_oci_digest *d)
{
	size_t i;

	/* every node is the head of a gnode */
	return oci_node_index(g->o, d, &i) ? (gnode *)g->o->nodes[i] : NULL;
}

static al_rc
parse_common(gctx *g, gnode *n, const al_json *j, const char *where)
{
	const al_json *sj;
	al_oci_desc *subject;
	size_t na;
	al_rc rc;

	if ((rc = oci_get_cstr(g, j, where, "artifactType", false, &n->pub.artifact_type)) != AL_OK)
		return rc;
	if ((rc = oci_parse_annotations(g, j, where, &n->pub.annotations, &na)) != AL_OK)
		return rc;
	n->pub.n_annotations = (uint32_t)na; /* bounded by the document's size */
	if ((rc = al_json_get_obj(j, where, "subject", false, &sj, g->err)) != AL_OK)
		return rc;
	if (sj != NULL) {
		al_jpath sp;

		al_jpath_key(&sp, where, "subject");
		if ((subject = al_arena_alloc(&g->p->arena, sizeof(*subject), g->err)) == NULL)
			return AL_E_NOMEM;
		if ((rc = oci_parse_desc(g, sj, sp.s, subject)) != AL_OK)
			return rc;
		n->pub.subject = subject;
	}
	return AL_OK;
}

const char *
oci_child_where(char *out, const char *where, const char *field, size_t i, const al_oci_digest *d)
{
	char ds[AL_OCI_DIGEST_STR_MAX];

	al_oci_digest_str(d, ds);
	if (i == (size_t)-1)
		snprintf(out, OCI_WHERE_MAX, "%s > %s (%s)", where, field, ds);
	else
		snprintf(out, OCI_WHERE_MAX, "%s > %s[%zu] (%s)", where, field, i, ds);
	return out;
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

	oci_manifest_path(g->o, &d->digest, path, sizeof(path));
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
al_rc
oci_index_child_type(gctx *g, const al_oci_desc *d, const char *where)
{
	if (oci_is_index_mt(d->media_type) || oci_is_manifest_mt(d->media_type))
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
		char w[OCI_WHERE_MAX];

		oci_child_where(w, where, field, i, &kids[i].digest);
		/* below a manifest everything is a plain blob, whatever its type says */
		if (n->pub.kind == AL_OCI_NODE_INDEX) {
			g->link_up = n;
			g->link_field = field;
			g->link_idx = i;
			if ((rc = oci_index_child_type(g, &kids[i], w)) != AL_OK ||
			    (rc = oci_load_node(g, &kids[i], NULL, w, depth + 1, &kids[i].node)) != AL_OK)
				return rc;
		} else if ((rc = oci_want_blob(g, &kids[i], w, &n->pub, field, i)) != AL_OK) {
			return rc;
		}
	}
	return AL_OK;
}

static al_rc
build_node(gctx *g, gnode *n, const al_json *j, const char *where, unsigned depth)
{
	al_oci_node *pub = &n->pub;
	const al_json *arr;
	al_oci_desc *descs, *config, *layers;
	al_arena blobs = { 0 };
	size_t nd, nl;
	al_jpath ap;
	al_rc rc;

	if ((rc = oci_check_doc_kind(g, j, pub->media_type, pub->kind == AL_OCI_NODE_INDEX, where)) != AL_OK)
		return rc;
	if ((rc = parse_common(g, n, j, where)) != AL_OK)
		return rc;
	if (pub->kind == AL_OCI_NODE_INDEX) {
		if (depth >= AL_MAX_INDEX_DEPTH)
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
					  "%s: indexes nested deeper than the limit of %d", where, AL_MAX_INDEX_DEPTH);
		if ((rc = al_json_get_arr(j, where, "manifests", true, &arr, g->err)) != AL_OK)
			return rc;
		al_jpath_key(&ap, where, "manifests");
		if ((rc = oci_parse_desc_array(g, arr, ap.s, AL_MAX_INDEX_ENTRIES, &descs, &nd)) != AL_OK)
			return rc;
		pub->manifests = descs;
		pub->n_manifests = (uint32_t)nd; /* at most AL_MAX_INDEX_ENTRIES */
		return walk_children(g, n, descs, nd, "manifests", depth, where);
	}
	/* a manifest's config and layers are proven and dropped: the model
	 * keeps what the closed world and verify ask of them without reading
	 * the manifest again (docs/performance.md §4.8) */
	g->arena = &blobs;
	rc = oci_parse_blobs(g, j, where, &config, &layers, &nl);
	g->arena = &g->p->arena;
	if (rc == AL_OK &&
	    (pub->config_media_type = al_arena_intern(&g->p->arena, al_bytes_str(config->media_type), g->err)) == NULL)
		rc = AL_E_NOMEM;
	pub->n_layers = (uint32_t)nl; /* at most AL_MAX_LAYERS */
	if (rc == AL_OK)
		rc = walk_children(g, n, config, 1, "config", depth, where);
	if (rc == AL_OK)
		rc = walk_children(g, n, layers, nl, "layers", depth, where);
	al_arena_free(&blobs);
	return rc;
}

/* Loads the manifest or index d names (entry e, or found by digest). A
 * missing document is recorded, not an error here. */
al_rc
oci_load_node(gctx *g, al_oci_desc *d, oci_entry *e, const char *where, unsigned depth, const al_oci_node **out)
{
	char path[AL_MAX_PATH + 1];
	al_buf raw = { 0 };
	al_json *j = NULL;
	gnode *n;
	al_rc rc;

	*out = NULL;
	if ((n = oci_find_node(g, &d->digest)) != NULL) {
		if (n->busy)
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: a cycle of nested indexes", where);
		if (n->pub.kind != (oci_is_index_mt(d->media_type) ? AL_OCI_NODE_INDEX : AL_OCI_NODE_MANIFEST))
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
		oci_manifest_path(g->o, &d->digest, path, sizeof(path));
		e = oci_store_find(g->s, path);
		if (e == NULL || e->type != OCI_E_FILE)
			return oci_add_missing(g, d, where);
	}
	if ((rc = oci_read_proven(g, e, d, where, &raw)) != AL_OK)
		goto out;
	d->present = true;
	if ((g->p->doc_total += raw.n) > AL_MAX_KEPT_TOTAL) {
		rc = al_err_set(g->err, AL_E_LIMIT, "%s: the bundle's manifests exceed %llu bytes in total", where,
				(unsigned long long)AL_MAX_KEPT_TOTAL);
		goto out;
	}
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, g->err)) != AL_OK) {
		rc = oci_doc_fail(g->err, where);
		goto out;
	}
	if ((n = al_arena_alloc(&g->p->arena, sizeof(*n), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	n->pub.kind = oci_is_index_mt(d->media_type) ? AL_OCI_NODE_INDEX : AL_OCI_NODE_MANIFEST;
	/* the node keeps its digest where d has it: in the model's arena, or
	 * in a ref, which must then not move (oci_add_ref) */
	n->pub.digest = &d->digest;
	if (g->o->refs != NULL &&
	    (uintptr_t)d - (uintptr_t)g->o->refs < g->p->refs_cap * sizeof(*g->o->refs)) /* no UB across objects */
		g->p->refs_pinned = true;
	n->pub.media_type = d->media_type;
	n->pub.depth = (uint16_t)depth; /* at most AL_MAX_INDEX_DEPTH */
	n->pub.orphan = g->in_orphan;
	n->pub.bytes = (uint32_t)raw.n; /* read under AL_MAX_MANIFEST */
	n->entry = (uint32_t)(e - g->s->e) + 1;
	n->up = g->link_up;
	n->up_index = g->link_field != NULL;
	n->up_idx = (uint32_t)g->link_idx;
	if ((rc = oci_add_node(g, n)) != AL_OK)
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

al_rc
oci_reserve_refs(gctx *g, size_t n)
{
	al_oci_ref *r;

	if (n <= g->p->refs_cap)
		return AL_OK;
	if (g->p->refs_pinned)
		return al_err_set(g->err, AL_E_INTERNAL, "the refs would move while nodes point into them");
	if ((r = realloc(g->o->refs, n * sizeof(*r))) == NULL)
		return al_err_set(g->err, AL_E_NOMEM, "out of memory");
	g->o->refs = r;
	g->p->refs_cap = n;
	return AL_OK;
}

al_rc
oci_add_ref(gctx *g, al_oci_ref **out)
{
	al_rc rc;

	if (g->p->refs_pinned && g->o->n_refs == g->p->refs_cap)
		return al_err_set(g->err, AL_E_INTERNAL, "the refs would move while nodes point into them");
	if ((rc = oci_grow((void **)&g->o->refs, &g->p->refs_cap, g->o->n_refs, sizeof(**out), g->err)) != AL_OK)
		return rc;
	*out = &g->o->refs[g->o->n_refs++];
	memset(*out, 0, sizeof(**out));
	return AL_OK;
}

/* ================================================================ orphans and extras */

static int
cmp_entry_path(const void *a, const void *b)
{
	char pa[OCI_PATH_BUF], pb[OCI_PATH_BUF];

	return strcmp(oci_entry_path(*(oci_entry *const *)a, pa), oci_entry_path(*(oci_entry *const *)b, pb));
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
		char *where, pb[OCI_PATH_BUF];
		bool ok;
		al_err scratch;

		if (e->used || e->size > AL_MAX_MANIFEST || (g->s->archive && !oci_store_ar(g->s, e)->has_kept))
			continue;
		if ((d = al_arena_alloc(&g->p->arena, sizeof(*d), g->err)) == NULL)
			return AL_E_NOMEM;
		{
			char tmp[AL_OCI_DIGEST_STR_MAX];
			const char *alg = oci_entry_path(e, pb) + 6, *hex = strchr(alg, '/');

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
		if ((where = al_arena_printf(&g->where, g->err, "orphan %s", oci_entry_path(e, pb))) == NULL)
			return AL_E_NOMEM;
		g->in_orphan = true;
		g->link_up = NULL;
		g->link_field = NULL;
		rc = oci_load_node(g, d, e, where, 0, &node);
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

	/* only what the graph left unused can be an orphan or an extra: a large
	 * index's every blob need not be listed and sorted (docs/performance.md §4.9) */
	for (size_t i = 0; i < g->s->n; i++)
		if (g->s->e[i].type != OCI_E_DIR && !g->s->e[i].used)
			nc++;
	if (nc > 0 && (cand = malloc(nc * sizeof(*cand))) == NULL)
		return al_err_set(g->err, AL_E_NOMEM, "out of memory");
	nc = 0;
	for (size_t i = 0; i < g->s->n; i++)
		if (g->s->e[i].type != OCI_E_DIR && !g->s->e[i].used)
			cand[nc++] = &g->s->e[i];
	if (nc > 0) /* cand is NULL when every entry is used: qsort must not see it */
		qsort(cand, nc, sizeof(*cand), cmp_entry_path);
	if (o->format == AL_OCI_FMT_LAYOUT) {
		oci_entry **blobs = malloc((nc ? nc : 1) * sizeof(*blobs));
		size_t nb = 0;

		if (blobs == NULL) {
			free(cand);
			return al_err_set(g->err, AL_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < nc; i++) {
			char pb[OCI_PATH_BUF];
			const char *p = oci_entry_path(cand[i], pb);

			if (cand[i]->type == OCI_E_FILE && strncmp(p, "blobs/", 6) == 0 && strchr(p + 6, '/') != NULL)
				blobs[nb++] = cand[i];
		}
		rc = adopt_orphans(g, blobs, nb);
		free(blobs);
	}
	for (size_t i = 0; i < nc && rc == AL_OK; i++) {
		oci_entry *e = cand[i];
		char pb[OCI_PATH_BUF];
		const char *path = oci_entry_path(e, pb);
		al_oci_extra *x;

		if (e->used)
			continue; /* below an orphan */
		if ((rc = oci_grow((void **)&o->extra, &g->p->extra_cap, o->n_extra, sizeof(*x), g->err)) != AL_OK)
			break;
		x = &o->extra[o->n_extra++];
		memset(x, 0, sizeof(*x));
		if ((x->path = al_arena_strdup(&g->p->arena, al_bytes_str(path), g->err)) == NULL) {
			rc = AL_E_NOMEM;
			break;
		}
		x->size = e->size;
		x->hashed = g->s->archive && oci_store_ar(g->s, e)->hashed;
		if (x->hashed && o->format == AL_OCI_FMT_LAYOUT && strncmp(path, "blobs/", 6) == 0) {
			const oci_arent *a = oci_store_ar(g->s, e);
			char hex[AL_HASH_MAX * 2 + 1];
			const char *name = strrchr(path, '/') + 1;

			al_hex_encode(a->hash, al_hash_len(a->alg), hex);
			x->name_mismatch = strcmp(name, hex) != 0;
		}
	}
	free(cand);
	return rc;
}

/* ================================================================ build */

/* The writable array behind n->manifests (oci_closed.c records roles in it). */
al_oci_desc *
oci_node_manifests_w(al_oci_node *n)
{
	/* the model's own array, made writable by the walk (build_node) */
	return (al_oci_desc *)(uintptr_t)n->manifests;
}

al_rc
oci_build(al_oci *o, al_err *err)
{
	struct al_oci_priv *p = o->priv;
	gctx g = { .o = o, .p = p, .arena = &p->arena, .s = &p->store, .err = err };
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
		if ((rc = oci_read_doc(&g, "manifest.json", AL_MAX_MANIFEST, &mbuf, &mj)) != AL_OK)
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
			char pb[OCI_PATH_BUF];

			rc = al_err_set(err, AL_E_BUNDLE_UNSAFE,
					"%s: symbolic link (to %.200s); links are not allowed in an image layout",
					oci_entry_path(&g.s->e[i], pb), oci_entry_link(&g.s->e[i]));
			goto out;
		}
	}
	if (o->format == AL_OCI_FMT_LAYOUT)
		rc = oci_load_layout(&g);
	else if (o->format == AL_OCI_FMT_DOCKER_ARCHIVE)
		rc = oci_load_docker(&g, mj);
	else
		rc = oci_load_containers_dir(&g);
	if (rc == AL_OK && o->format == AL_OCI_FMT_DOCKER_ARCHIVE)
		rc = oci_docker_links(&g);
	if (rc != AL_OK)
		goto out;
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
	if ((rc = oci_store_prove(g.s, p->checks, p->n_checks, err)) != AL_OK)
		goto out;
	/* proven: the list and its texts are not needed again */
	free(p->checks);
	p->checks = NULL;
	p->n_checks = p->checks_cap = 0;
	/* subjects present in the bundle point at their node */
	for (size_t i = 0; i < o->n_nodes; i++) {
		/* the walk's own copy (parse_common), so writable */
		al_oci_desc *subject = (al_oci_desc *)(uintptr_t)o->nodes[i]->subject;

		if (subject != NULL)
			subject->node = al_oci_node_get(o, &subject->digest);
	}
	o->bytes_hashed = g.s->bytes_hashed;
	if (g.s->top_name != NULL) {
		memcpy(o->top_sha256, g.s->top_sha256, 32);
		o->top_name = g.s->top_name;
	}
	if (g.s->has_archive_sha256) {
		memcpy(o->archive_sha256, g.s->archive_sha256, 32);
		o->has_archive_sha256 = true;
	}
	if ((rc = oci_closed_world(o, err)) == AL_OK)
		rc = oci_index_subjects(o, err);
out:
	oci_map_free(&g.layer_checks);
	al_arena_free(&g.where);
	al_json_free(mj);
	al_buf_free(&mbuf);
	return rc;
}
