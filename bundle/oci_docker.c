/*
 * oci_docker.c — the legacy docker-archive reader (docker save without an
 * OCI layout): manifest.json's images, each a config and its layer files,
 * the layers proven against the config's diff_ids, and the symbolic links
 * docker save writes resolved inside the archive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_graph.h"

const char *const oci_docker_fields[] = { "Config", "RepoTags", "Layers", "Parent", "LayerSources", NULL };

/* ================================================================ paths and links */

/* The scratch of resolving one link (some 28 KB), kept off the stack. */
typedef struct link_work {
	char joined[2 * AL_MAX_PATH + 2];
	char *parts[AL_MAX_PATH / 2 + 1];
	char target[AL_MAX_PATH + 1];
} link_work;

/* The regular file the symbolic link at norm names: its target taken
 * relative to the link's directory, "." and ".." resolved, never leaving
 * the archive, and no further link followed. */
static al_rc
docker_link(gctx *g, const char *norm, const oci_entry *link, oci_entry **out)
{
	const char *slash = strrchr(norm, '/');
	link_work *w;
	size_t np = 0;
	char *tok, *save = NULL;
	oci_entry *e;
	al_rc rc = AL_OK;

	if (oci_entry_link(link)[0] == '/')
		return al_err_set(g->err, AL_E_BUNDLE_UNSAFE, "%s: symbolic link to an absolute path (%.200s)",
				  norm, oci_entry_link(link));
	if ((w = malloc(sizeof(*w))) == NULL)
		return al_err_set(g->err, AL_E_NOMEM, "out of memory");
	snprintf(w->joined, sizeof(w->joined), "%.*s%s%s", slash ? (int)(slash - norm) : 0, norm,
		 slash ? "/" : "", oci_entry_link(link));
	for (tok = strtok_r(w->joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (np == 0) {
				rc = al_err_set(g->err, AL_E_BUNDLE_UNSAFE,
						"%s: symbolic link (to %.200s) escapes the bundle", norm, oci_entry_link(link));
				goto out;
			}
			np--;
			continue;
		}
		if (np >= AL_ARRAY_LEN(w->parts)) {
			rc = al_err_set(g->err, AL_E_BUNDLE_UNSAFE, "%s: link target too deep", norm);
			goto out;
		}
		w->parts[np++] = tok;
	}
	w->target[0] = '\0';
	for (size_t i = 0; i < np; i++) {
		size_t l = strlen(w->target);

		snprintf(w->target + l, sizeof(w->target) - l, "%s%s", i ? "/" : "", w->parts[i]);
	}
	e = oci_store_find(g->s, w->target);
	if (e == NULL || e->type != OCI_E_FILE)
		rc = al_err_set(g->err, AL_E_BUNDLE_UNSAFE,
				"%s: symbolic link (to %.200s) does not name a regular file in the archive", norm,
				w->target);
	else
		*out = e;
out:
	free(w);
	return rc;
}

/* Resolves a docker-archive path, following at most one symlink (docker
 * save links repeated layers to the first copy: <id>/layer.tar ->
 * ../<id0>/layer.tar). The target must stay inside and be a regular file. */
static al_rc
docker_entry(gctx *g, al_bytes pathj, const char *where, oci_entry **out)
{
	char raw[AL_MAX_PATH + 1], norm[AL_MAX_PATH + 1];
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
		oci_entry *link = e;

		link->used = true;
		if ((rc = docker_link(g, norm, link, &e)) != AL_OK)
			return rc;
	}
	if (e->type != OCI_E_FILE)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s (%s): not a regular file", norm, where);
	*out = e;
	return AL_OK;
}

al_rc
oci_docker_links(gctx *g)
{
	for (size_t i = 0; i < g->s->n; i++) {
		oci_entry *e = &g->s->e[i];
		oci_entry *t;
		char pb[OCI_PATH_BUF];
		al_rc rc;

		if (e->type != OCI_E_SYMLINK)
			continue;
		if ((rc = docker_entry(g, al_bytes_str(oci_entry_path(e, pb)), "docker-archive link", &t)) != AL_OK)
			return rc;
	}
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

/* ================================================================ images */

/* An image's config: the file manifest.json's Config names, read whole
 * (its bytes are the image ID's preimage, so no descriptor is needed). */
static al_rc
docker_config(gctx *g, const char *ip, al_bytes cfgp, oci_entry **ce, al_buf *cfg)
{
	al_rc rc;

	if ((rc = docker_entry(g, cfgp, ip, ce)) != AL_OK)
		return rc;
	if (*ce == NULL)
		return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s.Config: %.200s is missing from the archive", ip,
				  (const char *)cfgp.p);
	if ((rc = oci_store_read(g->s, *ce, AL_MAX_MANIFEST, cfg, g->err)) != AL_OK)
		return rc;
	(*ce)->used = true;
	(*ce)->checked = true;
	return AL_OK;
}

/* The image's node, keyed by its config digest (the image ID), whose name
 * must agree with the content when it claims a digest; *diff_ids (inside
 * *cj, which the caller frees) lists one diff_id per layer. */
static al_rc
docker_node(gctx *g, const char *ip, const oci_entry *ce, const al_buf *cfg, size_t nl, dnode **np,
	    al_json **cj, const al_json **diff_ids)
{
	const al_json *rootfs;
	al_oci_desc *cd;
	al_oci_digest named;
	char pb[OCI_PATH_BUF];
	const char *cpath = oci_entry_path(ce, pb);
	dnode *dn;
	gnode *n;
	al_rc rc;

	if ((dn = al_arena_alloc(&g->p->arena, sizeof(*dn), g->err)) == NULL ||
	    (cd = al_arena_alloc(&g->p->arena, sizeof(*cd), g->err)) == NULL)
		return AL_E_NOMEM;
	n = &dn->g;
	cd->media_type = MT_DOCKER_CONFIG;
	cd->size = cfg->n;
	cd->present = true;
	al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(cfg), &cd->digest);
	if (docker_name_digest(cpath, &named) && !al_oci_digest_eq(&named, &cd->digest)) {
		char gs[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(&cd->digest, gs);
		return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s.Config): digest mismatch: the content hashes to %s",
				  cpath, ip, gs);
	}
	if ((rc = al_json_parse(al_buf_bytes(cfg), cj, g->err)) != AL_OK)
		return oci_doc_fail(g->err, cpath);
	if ((rc = al_json_get_obj(*cj, cpath, "rootfs", true, &rootfs, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(rootfs, "rootfs", "diff_ids", true, diff_ids, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s", cpath);
	if (al_json_arr_len(*diff_ids) != nl)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
				  "%s: the config lists %zu layer diff_ids, manifest.json lists %zu layers", ip,
				  al_json_arr_len(*diff_ids), nl);
	n->pub.kind = AL_OCI_NODE_DOCKER;
	n->pub.digest = &cd->digest;
	n->pub.media_type = "docker-archive";
	n->pub.config_media_type = cd->media_type;
	dn->config = cd;
	n->pub.bytes = (uint32_t)cfg->n; /* read under AL_MAX_MANIFEST */
	if (oci_find_node(g, n->pub.digest) != NULL)
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: the same image is listed twice", ip);
	if ((rc = oci_add_node(g, n)) != AL_OK)
		return rc;
	*np = dn;
	return AL_OK;
}

/* Layers[i]: the file it names (following one link) proven against the
 * config's diff_ids[i], a layer as stored, uncompressed. One file is
 * proven once, so a second entry naming it must name the same diff_id. */
static al_rc
docker_layer(gctx *g, const char *ip, const char *cfg_path, size_t i, const al_json *lj, const al_json *dj,
	     al_oci_desc *ld)
{
	oci_entry *le;
	char lw[AL_JPATH_MAX + 32], pb[OCI_PATH_BUF];
	const char *lpath, *key;
	char *where;
	al_oci_digest *want;
	size_t at;
	al_rc rc;

	snprintf(lw, sizeof(lw), "%s.Layers[%zu]", ip, i);
	if (!al_json_is_str(lj) || !al_json_is_str(dj))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: layer path or diff_id is not a string", lw);
	if ((rc = al_oci_digest_parse(al_json_str_bytes(dj), &ld->digest, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s: rootfs.diff_ids[%zu]", cfg_path, i);
	ld->media_type = MT_DOCKER_LAYER;
	if ((rc = docker_entry(g, al_json_str_bytes(lj), lw, &le)) != AL_OK)
		return rc;
	if ((where = al_arena_printf(&g->where, g->err, "%s (%s)", lw,
				     (const char *)al_json_str_bytes(lj).p)) == NULL)
		return AL_E_NOMEM;
	if (le == NULL)
		return oci_add_missing(g, ld, where);
	lpath = oci_entry_path(le, pb);
	ld->size = le->size;
	ld->present = true;
	if (le->used) {
		/* one file can be proven against one diff_id only: a second
		 * Layers entry naming another diff_id would go unproven */
		if (!oci_map_get(&g->layer_checks, lpath, &at))
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
					  "%s: resolves to %s, which the archive already uses as something other "
					  "than a layer", where, lpath);
		al_oci_digest had;

		oci_check_want(&g->p->checks[at], &had);
		if (!al_oci_digest_eq(&had, &ld->digest)) {
			char a[AL_OCI_DIGEST_STR_MAX], b[AL_OCI_DIGEST_STR_MAX], wbuf[OCI_WHERE_MAX];

			al_oci_digest_str(&had, a);
			al_oci_digest_str(&ld->digest, b);
			return al_err_set(g->err, AL_E_BUNDLE_FORMAT,
					  "%s: resolves to %s, which %s already names with diff_id %s; one file "
					  "cannot be both %s and %s", where, lpath,
					  oci_check_where(&g->p->checks[at], wbuf, sizeof(wbuf)), a, a, b);
		}
		return AL_OK;
	}
	/* archives hash entries as they stream (sha256 outside blobs/sha512/);
	 * directories hash at proving time with the wanted algorithm */
	if (ld->digest.alg != AL_HASH_SHA256 || (g->s->archive && oci_store_ar(g->s, le)->alg != AL_HASH_SHA256))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: docker-archive layers are sha256", lw);
	/* the map keeps its keys by address: a copy, beside the where texts */
	if ((key = al_arena_strdup(&g->where, al_bytes_str(lpath), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_map_put(&g->layer_checks, key, g->p->n_checks, g->err)) != AL_OK)
		return rc;
	/* a layer file's path does not name its diff_id: the check keeps a
	 * copy, beside its where text */
	if ((want = al_arena_alloc(&g->where, sizeof(*want), g->err)) == NULL)
		return AL_E_NOMEM;
	*want = ld->digest;
	return oci_queue_check(g, le, want, where);
}

/* One entry of manifest.json: {Config, Layers, RepoTags}. */
static al_rc
docker_image(gctx *g, const al_json *item, size_t idx)
{
	const al_json *layers, *tags, *diff_ids = NULL;
	al_bytes cfgp;
	oci_entry *ce;
	char pb[OCI_PATH_BUF];
	al_buf cfg = { 0 };
	al_json *cj = NULL;
	al_oci_ref *r;
	dnode *n = NULL;
	al_oci_desc *ld = NULL;
	al_jpath ip;
	size_t nl, ntags;
	al_rc rc;

	al_jpath_idx(&ip, "manifest.json", idx);
	if (!al_json_is_obj(item))
		return al_err_set(g->err, AL_E_BUNDLE_FORMAT, "%s: not an object", ip.s);
	if ((rc = oci_fields_check(item, ip.s, oci_docker_fields, g->err)) != AL_OK)
		return al_err_recode(g->err, AL_E_BUNDLE_FORMAT, "docker-archive");
	if ((rc = al_json_get_str(item, ip.s, "Config", true, &cfgp, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(item, ip.s, "Layers", true, &layers, g->err)) != AL_OK ||
	    (rc = al_json_get_arr(item, ip.s, "RepoTags", false, &tags, g->err)) != AL_OK)
		return al_err_prefix(g->err, "docker-archive");
	nl = al_json_arr_len(layers);
	if (nl > AL_MAX_LAYERS)
		return al_err_set(g->err, AL_E_LIMIT, "%s.Layers: %zu layers, more than the limit of %d", ip.s, nl,
				  AL_MAX_LAYERS);
	if ((rc = docker_config(g, ip.s, cfgp, &ce, &cfg)) != AL_OK ||
	    (rc = oci_add_ref(g, &r)) != AL_OK ||
	    (rc = docker_node(g, ip.s, ce, &cfg, nl, &n, &cj, &diff_ids)) != AL_OK)
		goto out;
	if (nl > 0 && (ld = al_arena_alloc(&g->p->arena, nl * sizeof(*ld), g->err)) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nl; i++)
		if ((rc = docker_layer(g, ip.s, oci_entry_path(ce, pb), i, al_json_arr_at(layers, i), al_json_arr_at(diff_ids, i),
				       &ld[i])) != AL_OK)
			goto out;
	n->layers = nl ? ld : NULL;
	n->g.pub.n_layers = (uint32_t)nl; /* at most AL_MAX_LAYERS */
	r->desc = *n->config;
	r->desc.node = &n->g.pub;
	rc = oci_repo_tags(&g->p->arena, tags, ip.s, &r->repo_tags, &ntags, g->err);
	r->n_repo_tags = (uint16_t)ntags; /* at most AL_MAX_REPO_TAGS */
out:
	al_json_free(cj);
	al_buf_free(&cfg);
	return rc;
}

/* ================================================================ the archive */

al_rc
oci_load_docker(gctx *g, al_json *mj)
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
		char pb[OCI_PATH_BUF];
		const char *p = oci_entry_path(e, pb), *base = strrchr(p, '/');

		if (strcmp(p, "manifest.json") == 0 || strcmp(p, "repositories") == 0 ||
		    (base && (strcmp(base, "/json") == 0 || strcmp(base, "/VERSION") == 0)))
			e->used = true;
	}
	return AL_OK;
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
	if (nt > AL_MAX_REPO_TAGS)
		return al_err_set(err, AL_E_LIMIT, "%s.RepoTags: %zu tags, more than the limit of %d", path, nt,
				  AL_MAX_REPO_TAGS);
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
