/*
 * oci_props.h — properties of the closed-world classification
 * (bundle/oci_closed.c) that every accepted bundle must have, checked by the
 * OCI harnesses (fuzz_oci_graph.c, fuzz_oci_dir.c) on each model al_oci_open
 * returns. A violation prints what broke and aborts, so libFuzzer reports it.
 *
 *  1. every index.json entry gets exactly one role: the model has one ref per
 *     entry of index.json's manifests array, in order, with the same digest,
 *     and each has a valid role and a non-empty reason (docker-archive and
 *     dir: entries are images);
 *  2. every child of every index has one valid role (image content, a
 *     buildx attestation, a referrer) and a non-empty reason;
 *  3. nothing is both image and artifact: an entry has one role, and the
 *     cosign lookups verify/ uses (al_oci_find_attached) return exactly the
 *     entries of that artifact role bound to that subject, never an image
 *     entry. (One manifest listed twice, once as an artifact and once under
 *     an image name, is allowed: the image entry is verified as an image on
 *     its own; seed oci_classify/dup-sig-as-image.)
 *  4. every artifact is bound: its subject is image content (an image entry,
 *     whose manifest may be missing when missing blobs are allowed, or a
 *     platform below one) or an artifact entry that is itself bound,
 *     with no cycle (computed here by a fixpoint, independently of
 *     oci_closed.c's rounds);
 *  5. a referrers index holds only referrers of its subject; a buildx
 *     attestation child names a sibling platform that is image content.
 */
#ifndef AL_FUZZ_OCI_PROPS_H
#define AL_FUZZ_OCI_PROPS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"

#define OCI_PROPS_UNUSED __attribute__((unused))

static void
oci_prop(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "classification property broken: %s\n", what);
		abort();
	}
}

static bool
oci_prop_valid_role(int role)
{
	return role >= AL_OCI_ROLE_IMAGE && role <= AL_OCI_ROLE_REFERRERS_INDEX;
}

static size_t
oci_prop_node_pos(const al_oci *o, const al_oci_node *n)
{
	for (size_t i = 0; i < o->n_nodes; i++)
		if (o->nodes[i] == n)
			return i;
	return (size_t)-1;
}

/* Marks n and every image-role child below it as image content. */
static void
oci_prop_mark(const al_oci *o, const al_oci_node *n, bool *content, unsigned depth)
{
	size_t i;

	if (n == NULL || depth > AL_MAX_INDEX_DEPTH + 1 || (i = oci_prop_node_pos(o, n)) == (size_t)-1 || content[i])
		return;
	content[i] = true;
	for (size_t k = 0; k < n->n_manifests; k++)
		if (n->manifests[k].role == AL_OCI_ROLE_IMAGE)
			oci_prop_mark(o, n->manifests[k].node, content, depth + 1);
}

/* An image entry (its manifest may be missing under AL_OCI_ALLOW_MISSING)
 * or a manifest below one. */
static bool
oci_prop_is_content(const al_oci *o, const bool *content, const al_oci_digest *d)
{
	for (size_t i = 0; i < o->n_refs; i++)
		if (o->refs[i].role == AL_OCI_ROLE_IMAGE && al_oci_digest_eq(&o->refs[i].desc.digest, d))
			return true;
	for (size_t i = 0; i < o->n_nodes; i++)
		if (content[i] && al_oci_digest_eq(o->nodes[i]->digest, d))
			return true;
	return false;
}

/* 1: one ref per index.json entry, in order, same digest. */
static void
oci_prop_index_entries(const al_oci *o, al_bytes index_json)
{
	al_json *j = NULL;
	const al_json *m;
	al_err e;
	size_t n;

	oci_prop(al_json_parse(index_json, &j, &e) == AL_OK, "an accepted layout whose index.json does not parse");
	m = al_json_member(j, "manifests");
	n = m ? al_json_arr_len(m) : 0;
	if (n != o->n_refs) {
		fprintf(stderr, "index.json has %zu entries, the model %zu\n", n, o->n_refs);
		al_json_free(j);
		oci_prop(false, "index.json entries and refs differ in number");
	}
	for (size_t i = 0; i < n; i++) {
		const al_json *d = al_json_member(al_json_arr_at(m, i), "digest");
		char ds[AL_OCI_DIGEST_STR_MAX];
		al_bytes s = d && al_json_is_str(d) ? al_json_str_bytes(d) : al_bytes_of(NULL, 0);

		al_oci_digest_str(&o->refs[i].desc.digest, ds);
		if (s.n != strlen(ds) || memcmp(s.p, ds, s.n) != 0) {
			al_json_free(j);
			oci_prop(false, "a ref is not the index.json entry at its position");
		}
	}
	al_json_free(j);
}

/* Every property above; index_json is the layout's index.json as read (NULL
 * p when the caller does not have it). */
static OCI_PROPS_UNUSED void
oci_props_check(const al_oci *o, al_bytes index_json)
{
	bool *content = calloc(o->n_nodes + 1, sizeof(*content));
	bool *bound = calloc(o->n_refs + 1, sizeof(*bound));
	bool changed = true;

	oci_prop(content != NULL && bound != NULL, "out of memory");
	if (o->format == AL_OCI_FMT_LAYOUT && index_json.p != NULL)
		oci_prop_index_entries(o, index_json);
	/* 1 */
	for (size_t i = 0; i < o->n_refs; i++) {
		const al_oci_ref *r = &o->refs[i];

		oci_prop(oci_prop_valid_role((int)r->role), "an index.json entry without a valid role");
		oci_prop(r->why != NULL && r->why[0] != '\0', "an index.json entry without a reason");
		if (o->format != AL_OCI_FMT_LAYOUT)
			oci_prop(r->role == AL_OCI_ROLE_IMAGE, "a docker-archive or dir: entry that is not an image");
	}
	/* 2 */
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];

		for (size_t k = 0; k < n->n_manifests; k++) {
			int role = n->manifests[k].role;

			oci_prop(role == AL_OCI_ROLE_IMAGE || role == AL_OCI_ROLE_ATTS || role == AL_OCI_ROLE_REFERRER,
				 "an index child without a valid role");
			oci_prop(n->manifests[k].why != NULL && n->manifests[k].why[0] != '\0',
				 "an index child without a reason");
		}
	}
	/* image content, as verify/ walks it */
	for (size_t i = 0; i < o->n_refs; i++)
		if (o->refs[i].role == AL_OCI_ROLE_IMAGE)
			oci_prop_mark(o, o->refs[i].desc.node, content, 0);
	/* 4: bound artifacts, by fixpoint */
	while (changed) {
		changed = false;
		for (size_t i = 0; i < o->n_refs; i++) {
			const al_oci_ref *r = &o->refs[i];
			bool ok;

			if (r->role == AL_OCI_ROLE_IMAGE || bound[i] || r->subject == NULL)
				continue;
			ok = oci_prop_is_content(o, content, r->subject);
			for (size_t t = 0; !ok && t < o->n_refs; t++)
				ok = t != i && bound[t] && al_oci_digest_eq(&o->refs[t].desc.digest, r->subject);
			if (ok) {
				bound[i] = true;
				changed = true;
			}
		}
	}
	for (size_t i = 0; i < o->n_refs; i++) {
		const al_oci_ref *r = &o->refs[i];
		char sd[AL_OCI_DIGEST_STR_MAX];

		if (r->role == AL_OCI_ROLE_IMAGE)
			continue;
		oci_prop(r->subject != NULL, "an artifact bound to nothing");
		oci_prop(r->desc.node != NULL, "an artifact whose manifest is absent");
		if (!bound[i]) {
			char wb[AL_OCI_WHY_MAX];

			al_oci_digest_str(r->subject, sd);
			fprintf(stderr, "ref %zu (%s) is bound to %s: %s\n", i, al_oci_role_name(r->role), sd,
				al_oci_ref_why(r, wb, sizeof(wb)));
			oci_prop(false, "an artifact whose subject is neither image content nor a bound artifact");
		}
		/* 5: a referrers index */
		if (r->role == AL_OCI_ROLE_REFERRERS_INDEX) {
			const al_oci_node *n = r->desc.node;

			oci_prop(n->kind == AL_OCI_NODE_INDEX, "a referrers index that is not an index");
			for (size_t k = 0; k < n->n_manifests; k++) {
				const al_oci_desc *d = &n->manifests[k];

				oci_prop(d->role == AL_OCI_ROLE_REFERRER, "a referrers index child that is not a referrer");
				oci_prop(d->node != NULL && d->node->subject != NULL &&
					 al_oci_digest_eq(&d->node->subject->digest, r->subject),
					 "a referrers index child bound to another subject");
			}
		}
	}
	/* 5: buildx attestation children name an image-content sibling */
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];

		for (size_t k = 0; k < n->n_manifests; k++) {
			const al_oci_desc *d = &n->manifests[k];
			const char *ref;
			al_oci_digest sd;
			al_err e;
			bool sib = false;

			if (d->role != AL_OCI_ROLE_ATTS)
				continue;
			ref = al_oci_annotation(d->annotations, d->n_annotations, "vnd.docker.reference.digest");
			oci_prop(ref != NULL && al_oci_digest_parse(al_bytes_str(ref), &sd, &e) == AL_OK,
				 "a buildx attestation child without a reference digest");
			for (size_t s = 0; s < n->n_manifests; s++)
				sib = sib || (s != k && n->manifests[s].role == AL_OCI_ROLE_IMAGE &&
					      al_oci_digest_eq(&n->manifests[s].digest, &sd));
			oci_prop(sib, "a buildx attestation child bound to no image sibling");
			oci_prop(d->platform && d->platform->os && strcmp(d->platform->os, "unknown") == 0 &&
				 d->platform->architecture && strcmp(d->platform->architecture, "unknown") == 0,
				 "a buildx attestation child a platform choice could pick");
		}
	}
	/* 3: the lookups verify/ uses hand out exactly the artifacts of a role */
	for (size_t i = 0; i < o->n_refs; i++) {
		static const al_oci_role roles[] = { AL_OCI_ROLE_SIGS, AL_OCI_ROLE_ATTS, AL_OCI_ROLE_SBOM };
		const al_oci_digest *subj = o->refs[i].subject != NULL ? o->refs[i].subject : &o->refs[i].desc.digest;

		for (size_t q = 0; q < AL_ARRAY_LEN(roles); q++) {
			const al_oci_node *out[16];
			size_t got = al_oci_find_attached(o, subj, roles[q], out, AL_ARRAY_LEN(out)), want = 0;

			for (size_t t = 0; t < o->n_refs; t++) {
				const al_oci_ref *r = &o->refs[t];

				if (r->role == roles[q] && r->subject != NULL && r->desc.node != NULL &&
				    al_oci_digest_eq(r->subject, subj))
					want++;
			}
			oci_prop(got == want, "al_oci_find_attached and the roles disagree");
			for (size_t g = 0; g < got && g < AL_ARRAY_LEN(out); g++) {
				bool is_artifact = false;

				for (size_t t = 0; t < o->n_refs; t++)
					is_artifact = is_artifact || (o->refs[t].desc.node == out[g] && o->refs[t].role == roles[q]);
				oci_prop(is_artifact, "al_oci_find_attached returns a manifest of no entry of that role");
			}
		}
	}
	free(content);
	free(bound);
}

#endif
