/*
 * image.c — `airlock verify BUNDLE`: every image in an exported bundle, and
 * every platform of an index, needs at least one signature or attestation
 * that verifies under the operator's policy. Blob integrity (presence, size
 * and digest of everything reachable) is proven by al_oci_open before any
 * signature is looked at.
 *
 * Sources of signatures, per subject digest D:
 *   - cosign `.sig` manifests: simple-signing layers (payload binds D through
 *     critical.image.docker-manifest-digest), signature annotation,
 *     certificate/chain, Rekor SET bundle, RFC 3161 annotations;
 *   - cosign `.att` manifests: DSSE envelopes of in-toto statements whose
 *     subject is D;
 *   - OCI 1.1 referrers with a Sigstore bundle (v0.3) whose artifact is D;
 *   - containers/image dir: signature-N files (sigstore-json).
 * A signature that does not verify does not make an image fail when another
 * one verifies (as cosign and containers/image decide), but it is reported.
 * An image with signatures none of which verifies fails (exit 1); a bundle
 * with no signature at all has nothing to verify (exit 3).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify/internal.h"

#define AT_SIGSTORE "application/vnd.dev.sigstore.bundle.v0.3+json"

#define PUSH(c, vec, n, cap) al_vec_push(&(c)->res->arena, (void **)&(vec), &(n), &(cap), sizeof(*(vec)), &(c)->tree.oom)
/* A list whose length is known before it is filled, allocated at that
 * length: grown by doubling in an arena it would leave its smaller copies
 * behind (a bundle of 50,000 signatures has 50,000 artifacts) */
#define RESERVE(c, vec, cap, count)                                                                   \
	do {                                                                                          \
		(cap) = 0;                                                                            \
		if ((count) > 0 && ((vec) = al_arena_alloc(&(c)->res->arena, (count) * sizeof(*(vec)), NULL)) != NULL) \
			(cap) = (count);                                                              \
	} while (0)

/* ---------------------------------------------------------------- per subject */

typedef struct subj_build {
	al_item *items;
	size_t n, cap;
} subj_build;

/* One item of a subject: its checks were recorded in rec while it ran.
 * Returns it (NULL when memory ran out: the tree records that). */
static al_item *
add_item(al_ictx *c, subj_build *sb, al_item_kind kind, const char *where, const char *digest, al_rc rc,
	 const char *what, const al_err *e, const al_rec *rec)
{
	al_item *it = PUSH(c, sb->items, sb->n, sb->cap);

	c->found++;
	if (rc == AL_OK)
		c->verified++;
	else if (al_rc_is_policy(rc))
		c->not_accepted++;
	else
		c->failed++;
	if (it == NULL)
		return NULL;
	it->kind = kind;
	it->where = al_rec_str(&c->tree, where);
	it->digest = al_rec_str(&c->tree, digest);
	it->status = rc == AL_OK ? AL_ST_PASS : al_rc_is_policy(rc) ? AL_ST_SKIP : AL_ST_FAIL;
	it->text = al_rec_str(&c->tree, rc == AL_OK ? what : e->msg);
	it->checks = rec->v;
	it->nchecks = rec->n;
	if (rec->oom)
		c->tree.oom = true;
	return it;
}

/* What an item met (verify_item): which authorities, and what it signed. */
typedef struct item_met {
	uint32_t mask;
	const char *authority;
	const char *signed_ref;
	const al_sigstore_result *sigstore;
} item_met;

static void
set_met(al_item *it, const item_met *m)
{
	if (it == NULL || it->status != AL_ST_PASS)
		return;
	it->authorities = m->mask;
	it->authority = m->authority;
	it->signed_ref = m->signed_ref;
	it->sigstore = m->sigstore;
}

/* The in-toto statement of a verified attestation or referrer, read again
 * from the very bytes that verified: its predicate type and digest for the
 * report, and (for --extract) the bytes. A referrer that is a message
 * signature carries none. */
static void
keep_statement(al_ictx *c, al_item *it, al_item_kind kind, al_bytes blob)
{
	al_dsse_envelope env;
	al_sigstore_bundle b;
	const al_dsse_envelope *d = NULL;
	al_intoto_statement st;
	uint8_t h[AL_HASH_MAX];
	al_err e;

	if (it == NULL || it->status != AL_ST_PASS)
		return;
	memset(&env, 0, sizeof(env));
	memset(&b, 0, sizeof(b));
	if (kind == AL_ITEM_ATTESTATION && al_dsse_envelope_parse(blob, &env, &e) == AL_OK)
		d = &env;
	else if (kind == AL_ITEM_REFERRER && al_sigstore_bundle_parse(blob, &b, &e) == AL_OK && b.is_dsse)
		d = &b.dsse;
	if (d != NULL && al_intoto_parse(al_buf_bytes(&d->payload_type), al_buf_bytes(&d->payload), &st, &e) == AL_OK) {
		it->predicate_type = al_rec_printf(&c->tree, "%.*s", (int)st.predicate_type.n,
						   (const char *)st.predicate_type.p);
		al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&d->payload), h);
		al_hex_encode(h, 32, it->statement_sha256);
		if (c->keep) {
			uint8_t *p = al_arena_alloc(&c->res->arena, d->payload.n, NULL);

			if (p == NULL) {
				c->tree.oom = true;
			} else {
				memcpy(p, d->payload.p, d->payload.n);
				it->statement = p;
				it->statement_len = d->payload.n;
			}
		}
		al_intoto_free(&st);
	}
	if (kind == AL_ITEM_ATTESTATION)
		al_dsse_envelope_free(&env);
	else
		al_sigstore_bundle_free(&b);
}

static void
add_note(al_ictx *c, subj_build *sb, al_status st, const char *text)
{
	al_item *it = PUSH(c, sb->items, sb->n, sb->cap);

	if (it == NULL)
		return;
	it->kind = AL_ITEM_NOTE;
	it->status = st;
	it->text = al_rec_str(&c->tree, text);
}

/* One signature, attestation or referrer bundle, under one trusted root
 * (al_under_roots). */
typedef struct item_in {
	al_ictx *c;
	al_item_kind kind;
	const al_oci_digest *subject;
	al_bytes blob;
	const al_oci_kv *ann;
	size_t nann;
	char *what;
	size_t cap;
} item_in;

static al_rc
item_under(const al_trust_root *root, void *arg, al_rec *rec, al_err *err)
{
	item_in *in = arg;
	al_ictx *c = in->c;
	al_rc rc;

	c->root = root;
	c->rec = rec;
	in->what[0] = '\0';
	if (in->kind == AL_ITEM_SIGNATURE)
		rc = al_verify_simplesig(c, in->subject, in->blob, in->ann, in->nann, in->what, in->cap, err);
	else if (in->kind == AL_ITEM_ATTESTATION)
		rc = al_verify_attestation(c, in->subject, in->blob, in->ann, in->nann, in->what, in->cap, err);
	else
		rc = al_verify_referrer_bundle(c, in->subject, in->blob, in->what, in->cap, err);
	c->rec = NULL;
	c->root = NULL;
	return rc;
}

/* An item under one authority, under its trusted roots; with several
 * roots, the report names the one that decided it. */
static al_rc
item_under_authority(al_ictx *c, item_in *in, al_rec *rec, al_err *err)
{
	const al_trust_set *set = al_eval_trust(c);
	size_t which = 0;
	al_rc rc = al_under_roots(set, item_under, in, rec, &which, err);

	if (set->n > 1) {
		const uint8_t *h = set->roots[which].sha256;
		size_t len = strlen(in->what);

		if (rc == AL_OK)
			snprintf(in->what + len, in->cap - len, "; trusted root %zu of %zu (sha256:%02x%02x%02x%02x…)",
				 which + 1, set->n, h[0], h[1], h[2], h[3]);
		else
			al_err_prefix(err, "under trusted root %zu of %zu (sha256:%02x%02x%02x%02x…)", which + 1,
				      set->n, h[0], h[1], h[2], h[3]);
	}
	if (rc == AL_OK)
		rc = al_eval_evidence(c, in->kind, rec, err);
	return rc;
}

/*
 * An item under every authority of the rule (docs/policy.md §4): it meets
 * each one under which it verifies and shows the evidence the rule asks.
 * The report shows the checks of the first authority it met; when it met
 * none, the most telling failure: one that claims an authority and does not
 * verify (FAILED) over another signer's (not accepted).
 */
static al_rc
verify_item(al_ictx *c, item_in *in, al_rec *rec, item_met *met, al_err *err)
{
	const al_pol_rule *r = c->rule;
	al_auth *auths = c->auths[c->rule_idx];
	al_rec best = { .arena = rec->arena };
	al_err best_err;
	al_rc best_rc = AL_E_INTERNAL;
	int best_rank = -1;
	const char *best_what = NULL;

	memset(met, 0, sizeof(*met));
	al_err_clear(&best_err);
	for (size_t a = 0; a < r->nauth; a++) {
		al_rec ra = { .arena = rec->arena };
		al_err ea;
		al_rc rc;

		al_err_clear(&ea);
		c->au = &auths[a];
		c->item_has_time = false;
		c->item_signed_ref[0] = '\0';
		c->last_sigstore = NULL;
		in->what[0] = '\0';
		rc = item_under_authority(c, in, &ra, &ea);
		c->au = NULL;
		if (rc == AL_OK) {
			met->mask |= 1u << a;
			if (best_rank == 2)
				continue;
			best_rank = 2;
			best = ra;
			best_rc = AL_OK;
			met->authority = al_rec_str(&c->tree, r->auth[a].name);
			met->signed_ref = c->item_signed_ref[0] ? al_rec_str(&c->tree, c->item_signed_ref) : NULL;
			met->sigstore = c->last_sigstore;
			if (r->nauth > 1)
				best_what = al_rec_printf(&c->tree, "%s; authority %s", in->what, r->auth[a].name);
			else
				best_what = al_rec_str(&c->tree, in->what);
			continue;
		}
		if (best_rank < (al_rc_is_policy(rc) ? 0 : 1)) {
			best_rank = al_rc_is_policy(rc) ? 0 : 1;
			best = ra;
			best_rc = rc;
			best_err = ea;
			if (r->nauth > 1)
				al_err_prefix(&best_err, "authority %s", r->auth[a].name);
		}
	}
	c->last_sigstore = NULL;
	*rec = best;
	if (best_rc == AL_OK)
		snprintf(in->what, in->cap, "%s", best_what ? best_what : "");
	else if (err != NULL)
		*err = best_err;
	return best_rc;
}

/* The layers of a signature, attestation or referrer manifest, read again
 * into a (the model does not keep them); when they cannot be, false, and
 * a failed item of kind in sb: the manifest is not verified. */
static bool
manifest_layers(al_ictx *c, subj_build *sb, const al_oci *o, const al_oci_node *m, al_item_kind kind, al_arena *a,
		al_oci_blobs *bl)
{
	al_rec rec = { .arena = &c->res->arena };
	char md[AL_OCI_DIGEST_STR_MAX], where[64];
	al_err e;
	al_rc rc;

	al_err_clear(&e);
	if ((rc = al_oci_node_blobs(o, m, a, bl, &e)) == AL_OK)
		return true;
	al_oci_digest_str(m->digest, md);
	snprintf(where, sizeof(where), "%.20s… manifest", md);
	c->rec = &rec;
	al_rec_rc(&rec, AL_CK_BLOB_READ, md, rc, &e);
	c->rec = NULL;
	add_item(c, sb, kind, where, md, rc, "", &e, &rec);
	return false;
}

/* Verifies everything attached to subject into out. */
static void
verify_subject(al_ictx *c, const al_oci *o, const al_oci_node *node, const al_oci_digest *subject, al_subject *out)
{
	const al_oci_node *att[AL_MAX_SIGS_PER_IMAGE];
	subj_build sb = { 0 };
	al_item *it;
	size_t before_v = c->verified, n;
	char what[1536], where[256], ds[AL_OCI_DIGEST_STR_MAX];
	al_err e;
	al_rc rc;

	al_oci_digest_str(subject, ds);
	out->digest = al_rec_str(&c->tree, ds);
	for (int role = AL_OCI_ROLE_SIGS; role <= AL_OCI_ROLE_ATTS; role++) {
		n = al_oci_find_attached(o, subject, (al_oci_role)role, att, AL_ARRAY_LEN(att));
		if (n > AL_ARRAY_LEN(att)) {
			add_note(c, &sb, AL_ST_WARN,
				 al_rec_printf(&c->tree, "%zu %s manifests; only the first %zu are checked", n,
				      role == AL_OCI_ROLE_SIGS ? "signature" : "attestation", AL_ARRAY_LEN(att)));
			n = AL_ARRAY_LEN(att);
		}
		for (size_t i = 0; i < n; i++) {
			/* for this manifest only */
			al_arena blobs_arena = { 0 };
			al_oci_blobs bl;

			if (!manifest_layers(c, &sb, o, att[i],
					     role == AL_OCI_ROLE_SIGS ? AL_ITEM_SIGNATURE : AL_ITEM_ATTESTATION,
					     &blobs_arena, &bl)) {
				al_arena_free(&blobs_arena);
				continue;
			}
			for (size_t l = 0; l < bl.n_layers; l++) {
				const al_oci_desc *ld = &bl.layers[l];
				al_buf blob = { 0 };
				char ld_s[AL_OCI_DIGEST_STR_MAX];
				al_rec rec = { .arena = &c->res->arena };
				item_met met = { 0 };

				al_oci_digest_str(&ld->digest, ld_s);
				snprintf(where, sizeof(where), "%.20s… layer %zu", ld_s, l);
				al_err_clear(&e);
				what[0] = '\0';
				c->rec = &rec;
				rc = al_oci_blob_read(o, &ld->digest, AL_MAX_PAYLOAD, &blob, &e);
				if (rc == AL_OK && ld->media_type &&
				    strcmp(ld->media_type, role == AL_OCI_ROLE_SIGS ? MT_SIMPLESIG : MT_DSSE) != 0) {
					c->rec = NULL;
					al_buf_free(&blob);
					continue; /* not a signature or attestation layer */
				}
				if (rc != AL_OK) {
					al_rec_rc(&rec, AL_CK_BLOB_READ, ld_s, rc, &e);
				} else {
					item_in in = { c, role == AL_OCI_ROLE_SIGS ? AL_ITEM_SIGNATURE : AL_ITEM_ATTESTATION,
						       subject, al_buf_bytes(&blob), ld->annotations, ld->n_annotations,
						       what, sizeof(what) };

					rc = verify_item(c, &in, &rec, &met, &e);
				}
				c->rec = NULL;
				it = add_item(c, &sb, role == AL_OCI_ROLE_SIGS ? AL_ITEM_SIGNATURE : AL_ITEM_ATTESTATION,
					      where, ld_s, rc, what, &e, &rec);
				set_met(it, &met);
				if (rc == AL_OK && role != AL_OCI_ROLE_SIGS)
					keep_statement(c, it, AL_ITEM_ATTESTATION, al_buf_bytes(&blob));
				al_buf_free(&blob);
			}
			al_arena_free(&blobs_arena);
		}
	}
	n = al_oci_find_referrers(o, subject, AT_SIGSTORE, att, AL_ARRAY_LEN(att));
	if (n > AL_ARRAY_LEN(att))
		n = AL_ARRAY_LEN(att);
	for (size_t i = 0; i < n; i++) {
		al_arena blobs_arena = { 0 };
		al_oci_blobs bl;

		if (!manifest_layers(c, &sb, o, att[i], AL_ITEM_REFERRER, &blobs_arena, &bl)) {
			al_arena_free(&blobs_arena);
			continue;
		}
		for (size_t l = 0; l < bl.n_layers; l++) {
			const al_oci_desc *ld = &bl.layers[l];
			al_buf blob = { 0 };
			char rd[AL_OCI_DIGEST_STR_MAX], ld_s[AL_OCI_DIGEST_STR_MAX];
			al_rec rec = { .arena = &c->res->arena };
			item_met met = { 0 };

			al_oci_digest_str(att[i]->digest, rd);
			al_oci_digest_str(&ld->digest, ld_s);
			snprintf(where, sizeof(where), "%.20s… layer %zu", rd, l);
			al_err_clear(&e);
			c->rec = &rec;
			rc = al_oci_blob_read(o, &ld->digest, AL_MAX_JSON_DOC, &blob, &e);
			c->last_sigstore = NULL;
			if (rc == AL_OK) {
				item_in in = { c, AL_ITEM_REFERRER, subject, al_buf_bytes(&blob), NULL, 0, what,
					       sizeof(what) };

				rc = verify_item(c, &in, &rec, &met, &e);
			} else {
				al_rec_rc(&rec, AL_CK_BLOB_READ, rd, rc, &e);
			}
			c->rec = NULL;
			it = add_item(c, &sb, AL_ITEM_REFERRER, where, ld_s, rc, what, &e, &rec);
			set_met(it, &met);
			if (rc == AL_OK)
				keep_statement(c, it, AL_ITEM_REFERRER, al_buf_bytes(&blob));
			al_buf_free(&blob);
		}
		al_arena_free(&blobs_arena);
	}
	/* containers/image dir: signature-N files */
	for (size_t i = 0; node && i < node->n_csigs; i++) {
		const al_oci_csig *cs = &node->csigs[i];
		al_rec rec = { .arena = &c->res->arena };
		item_met met = { 0 };
		uint8_t fh[32];
		char fs[7 + 65];

		al_err_clear(&e);
		if (cs->format == AL_OCI_CSIG_SIGSTORE && strcmp((const char *)cs->mime_type.p, MT_SIMPLESIG) != 0) {
			/* an attachment, not a signature: neither counts nor fails */
			add_note(c, &sb, AL_ST_SKIP,
				 al_rec_printf(&c->tree, "%s is an attachment of type %.100s, not a signature", cs->file,
				      (const char *)cs->mime_type.p));
			continue;
		}
		c->rec = &rec;
		if (cs->format != AL_OCI_CSIG_SIGSTORE) {
			rc = al_err_set(&e, AL_E_VERIFY_FAILED, "GPG simple signing is not supported; "
				       "only sigstore signatures are verified");
			al_rec_rc(&rec, AL_CK_SIGNATURE_FORMAT, cs->file, rc, &e);
		} else {
			item_in in = { c, AL_ITEM_SIGNATURE, subject, al_buf_bytes(&cs->payload), cs->annotations,
				       cs->n_annotations, what, sizeof(what) };

			rc = verify_item(c, &in, &rec, &met, &e);
		}
		c->rec = NULL;
		al_sha256(al_buf_bytes(&cs->raw), fh);
		memcpy(fs, "sha256:", 7);
		al_hex_encode(fh, 32, fs + 7);
		set_met(add_item(c, &sb, AL_ITEM_SIGNATURE, cs->file, fs, rc, what, &e, &rec), &met);
	}
	out->items = sb.items;
	out->nitems = sb.n;
	out->verified = c->verified - before_v;
	for (size_t i = 0; i < sb.n; i++)
		out->found += sb.items[i].kind != AL_ITEM_NOTE;
	al_eval_subject(c, out);
}

static const char *
platform_str(const al_oci_platform *p, char *out, size_t cap)
{
	if (p == NULL || p->os == NULL)
		snprintf(out, cap, "(no platform)");
	else
		snprintf(out, cap, "%s/%s%s%s", p->os, p->architecture ? p->architecture : "?", p->variant ? "/" : "",
			 p->variant ? p->variant : "");
	return out;
}

/* ---------------------------------------------------------------- evidence */

/* Input digests are few (bundle, root, policy, its keys and PKI files): an
 * array with room for all of them, in the arena; a policy that names more
 * files is recorded as far as it goes. */
#define MAX_INPUTS 64

void
al_eval_add_input(al_ictx *c, const char *role, const char *path, const char *of, const uint8_t sha256[32])
{
	al_result *res = c->res;
	al_input_digest *in;

	/* the array and its strings outlive an image's own arena */
	if (c->image_arena) {
		c->tree.oom = true;
		return;
	}
	if (c->inputs == NULL) {
		c->inputs = al_arena_alloc(&res->arena, MAX_INPUTS * sizeof(*c->inputs), NULL);
		if (c->inputs == NULL) {
			c->tree.oom = true;
			return;
		}
		res->inputs = c->inputs;
	}
	if (res->ninputs == MAX_INPUTS)
		return;
	in = &c->inputs[res->ninputs++];
	in->role = role;
	in->path = path ? al_rec_str(&c->tree, path) : NULL;
	in->of = of;
	al_hex_encode(sha256, 32, in->sha256);
}

typedef struct blob_seen {
	al_blob_entry e;
	size_t seq;              /* discovery order: the first reference wins */
} blob_seen;

static int
blob_cmp(const void *a, const void *b)
{
	const blob_seen *x = a, *y = b;
	int r = strcmp(x->e.digest, y->e.digest);

	return r ? r : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
add_blob(al_ictx *c, blob_seen **v, size_t *n, size_t *cap, const al_oci_desc *d, const char *where)
{
	blob_seen *b = al_vec_push(&c->res->arena, (void **)v, n, cap, sizeof(**v), &c->tree.oom);
	char ds[AL_OCI_DIGEST_STR_MAX];

	if (b == NULL)
		return;
	al_oci_digest_str(&d->digest, ds);
	b->seq = *n;
	b->e.digest = al_rec_str(&c->tree, ds);
	b->e.size = d->size;
	b->e.media_type = d->media_type ? al_rec_str(&c->tree, d->media_type) : NULL;
	b->e.state = d->present ? "proven" : d->has_urls ? "foreign" : "absent";
	b->e.where = where;
}

/* Every blob a document of the bundle references, once, sorted by digest
 * (deterministic), with the first place it is referenced from. */
static void
inventory(al_ictx *c, const al_oci *oci)
{
	blob_seen *v = NULL;
	size_t n = 0, cap = 0, k = 0;
	al_blob_entry *out;

	for (size_t i = 0; i < oci->n_refs; i++)
		add_blob(c, &v, &n, &cap, &oci->refs[i].desc,
			 al_rec_printf(&c->tree, "%s manifests[%zu]", oci->format == AL_OCI_FMT_LAYOUT ? "index.json"
												: "manifest.json", i));
	for (size_t i = 0; i < oci->n_nodes; i++) {
		const al_oci_node *nd = oci->nodes[i];
		char ds[AL_OCI_DIGEST_STR_MAX];
		al_arena a = { 0 };
		al_oci_blobs bl;
		al_err e;

		al_oci_digest_str(nd->digest, ds);
		if (al_oci_node_blobs(oci, nd, &a, &bl, &e) != AL_OK) {
			/* the manifest changed after it was proven: no evidence
			 * can be made of it, and the run fails */
			c->inventory_failed = true;
			snprintf(c->inventory_err, sizeof(c->inventory_err), "%s", e.msg);
		} else {
			if (bl.config)
				add_blob(c, &v, &n, &cap, bl.config, al_rec_printf(&c->tree, "%s config", ds));
			for (size_t l = 0; l < bl.n_layers; l++)
				add_blob(c, &v, &n, &cap, &bl.layers[l],
					 al_rec_printf(&c->tree, "%s layers[%zu]", ds, l));
		}
		al_arena_free(&a);
		for (size_t m = 0; m < nd->n_manifests; m++)
			add_blob(c, &v, &n, &cap, &nd->manifests[m],
				 al_rec_printf(&c->tree, "%s manifests[%zu]", ds, m));
	}
	if (n == 0 || c->tree.oom)
		return;
	qsort(v, n, sizeof(*v), blob_cmp);
	if ((out = al_arena_alloc(&c->res->arena, n * sizeof(*out), NULL)) == NULL) {
		c->tree.oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		/* the same digest referenced twice is one blob; a second reference
		 * that saw it absent (a relaxation) keeps the first's state */
		if (k > 0 && strcmp(out[k - 1].digest, v[i].e.digest) == 0)
			continue;
		out[k++] = v[i].e;
	}
	c->res->blobs = out;
	c->res->nblobs = k;
}

/* ---------------------------------------------------------------- command */

/* Why a subject that has signatures does not meet the rule: the first
 * requirement it misses. */
static const char *
unmet(al_ictx *c, const al_subject *s)
{
	for (size_t i = 0; i < s->noutcomes; i++)
		if (s->outcomes[i].status == AL_ST_FAIL)
			return al_rec_printf(&c->tree, "%s not met: %s", s->outcomes[i].requirement, s->outcomes[i].detail);
	return s->verified ? "the policy's requirements are not met" : "no signature or attestation verified";
}

/* One image of the bundle under its rule: its own signatures, or for an
 * index, the index's signature (which names every platform by digest) or
 * every platform's own. Children that are artifacts (buildx attestation
 * manifests) need none. */
static void
verify_image(al_ictx *c, const al_oci *oci, const al_oci_ref *r, al_image_result *img)
{
	const al_oci_node *n = r->desc.node;
	bool ok;

	img->why_not = NULL;
	verify_subject(c, oci, n, &r->desc.digest, &img->top);
	ok = img->top.satisfied;
	img->found = img->top.found;
	if (!ok && img->top.verified)
		img->why_not = unmet(c, &img->top);
	if (n && n->kind == AL_OCI_NODE_INDEX) {
		al_child *kids = NULL;
		size_t nk = 0, cap = 0, nplat = 0;
		bool all = true;
		const char *first_unmet = NULL;

		for (size_t m = 0; m < n->n_manifests; m++) {
			const al_oci_desc *md = &n->manifests[m];
			al_child *k = PUSH(c, kids, nk, cap);
			char ms[AL_OCI_DIGEST_STR_MAX], ps[128];

			if (k == NULL)
				break;
			al_oci_digest_str(&md->digest, ms);
			k->media_type = md->media_type ? al_rec_str(&c->tree, md->media_type) : NULL;
			if (md->role != AL_OCI_ROLE_IMAGE) {
				k->is_image = false;
				k->subject.digest = al_rec_str(&c->tree, ms);
				k->why = al_rec_str(&c->tree, md->why ? md->why : "an artifact");
				continue;
			}
			k->is_image = true;
			c->res->platforms++;
			nplat++;
			k->platform = al_rec_str(&c->tree, platform_str(md->platform, ps, sizeof(ps)));
			verify_subject(c, oci, md->node, &md->digest, &k->subject);
			img->found += k->subject.found;
			if (k->subject.satisfied) {
				k->status = AL_ST_PASS;
			} else if (ok) {
				k->status = AL_ST_PASS;
				k->covered = true;
				/* the index's signatures decide; the platform's own do not apply */
				k->subject.outcomes = NULL;
				k->subject.noutcomes = 0;
			} else {
				k->status = AL_ST_FAIL;
				all = false;
				if (first_unmet == NULL && k->subject.verified)
					first_unmet = unmet(c, &k->subject);
			}
		}
		img->children = kids;
		img->nchildren = nk;
		if (!all) {
			ok = false;
			if (img->top.verified)
				img->why_not = al_rec_printf(&c->tree, "%s; the index's signatures do not meet the policy, "
							     "and its platforms are not verified on their own",
							     unmet(c, &img->top));
			else if (first_unmet)
				img->why_not = al_rec_printf(&c->tree, "a platform does not meet the policy: %s", first_unmet);
			else
				img->why_not = "a platform is neither signed nor covered by a verified signature of the index";
		} else if (!ok && nplat > 0) {
			ok = true; /* every platform verified on its own */
			img->why_not = NULL;
		}
	}
	img->status = ok ? AL_ST_PASS : AL_ST_FAIL;
	if (ok)
		img->why_not = NULL;
	else if (img->why_not == NULL)
		img->why_not = img->found ? "no signature or attestation verified" : "no signature or attestation found";
}

static const char *
ref_kind(const al_oci_node *n)
{
	if (n == NULL)
		return "absent";
	return n->kind == AL_OCI_NODE_INDEX ? "index" : n->kind == AL_OCI_NODE_DOCKER ? "docker image" : "manifest";
}

/* The bundle's own facts, before any signature: format, blobs, what is
 * extra, and what each index.json entry is (the closed world). */
static void
describe_bundle(al_ictx *c, const al_oci *oci)
{
	al_result *res = c->res;
	al_absent_blob *absent = NULL;
	al_extra_entry *extra = NULL;
	al_artifact_entry *arts = NULL;
	al_docker_entry *docker = NULL;
	size_t cap = 0, nart = 0;

	res->format = oci->format == AL_OCI_FMT_LAYOUT ? "OCI image layout" :
		      oci->format == AL_OCI_FMT_DOCKER_ARCHIVE ? "docker-archive" : "containers/image dir";
	res->compression = oci->archive ? al_rec_str(&c->tree, oci->compression) : NULL;
	res->bytes_hashed = oci->bytes_hashed;
	res->relaxed_missing = oci->n_missing > 0;
	RESERVE(c, absent, cap, oci->n_missing);
	for (size_t i = 0; i < oci->n_missing; i++) {
		al_absent_blob *a = PUSH(c, absent, res->nabsent, cap);
		char ms[AL_OCI_DIGEST_STR_MAX];

		if (a == NULL)
			break;
		al_oci_digest_str(&oci->missing[i].digest, ms);
		a->digest = al_rec_str(&c->tree, ms);
		a->where = al_rec_str(&c->tree, oci->missing[i].where);
	}
	RESERVE(c, extra, cap, oci->n_extra);
	for (size_t i = 0; i < oci->n_extra; i++) {
		al_extra_entry *x = PUSH(c, extra, res->nextra, cap);

		if (x == NULL)
			break;
		x->path = al_rec_str(&c->tree, oci->extra[i].path);
		x->size = oci->extra[i].size;
		x->name_mismatch = oci->extra[i].name_mismatch;
	}
	/* the head on_artifact may render first is complete */
	res->absent = absent;
	res->extra = extra;
	for (size_t i = 0; i < oci->n_refs; i++)
		nart += oci->refs[i].role != AL_OCI_ROLE_IMAGE;
	/* handed over one at a time, straight from the model, or kept */
	if (c->o == NULL || c->o->on_artifact == NULL)
		RESERVE(c, arts, cap, nart);
	for (size_t i = 0; i < oci->n_refs; i++) {
		const al_oci_ref *r = &oci->refs[i];
		al_artifact_entry *a, one;
		char ds[AL_OCI_DIGEST_STR_MAX], why[AL_OCI_WHY_MAX];

		if (r->role == AL_OCI_ROLE_IMAGE)
			continue;
		al_oci_digest_str(&r->desc.digest, ds);
		if (c->o != NULL && c->o->on_artifact != NULL) {
			one.digest = ds;
			one.ref_name = r->ref_name;
			one.why = al_oci_ref_why(r, why, sizeof(why));
			res->nartifacts++;
			c->o->on_artifact(c->o->on_image_ctx, res, &one);
			continue;
		}
		if ((a = PUSH(c, arts, res->nartifacts, cap)) == NULL)
			break;
		a->digest = al_rec_str(&c->tree, ds);
		a->ref_name = al_rec_str(&c->tree, r->ref_name);
		a->why = al_rec_str(&c->tree, al_oci_ref_why(r, why, sizeof(why)));
	}
	RESERVE(c, docker, cap, oci->n_docker);
	for (size_t i = 0; i < oci->n_docker; i++) {
		al_docker_entry *d = PUSH(c, docker, res->ndocker, cap);
		char ds[AL_OCI_DIGEST_STR_MAX];

		if (d == NULL)
			break;
		al_oci_digest_str(oci->docker[i].node->digest, ds);
		d->digest = al_rec_str(&c->tree, ds);
		d->names = oci->docker[i].repo_tags; /* copied below: the model is freed first */
		d->nnames = oci->docker[i].n_repo_tags;
		if (d->nnames) {
			const char **nm = al_arena_alloc(&res->arena, d->nnames * sizeof(*nm), NULL);

			if (nm == NULL) {
				c->tree.oom = true;
				d->nnames = 0;
			} else {
				for (size_t t = 0; t < d->nnames; t++)
					nm[t] = al_rec_str(&c->tree, oci->docker[i].repo_tags[t]);
			}
			d->names = nm;
		}
	}
	res->artifacts = arts;
	res->docker = docker;
}

/* What verify and inspect both report before any signature: the bundle's
 * digests, its own facts and (unless no output shows it) its blob
 * inventory. */
static void
bundle_facts(al_ictx *c, const al_oci *oci, const char *path, bool with_inventory)
{
	c->res->opened = true;
	if (oci->has_archive_sha256)
		al_eval_add_input(c, "bundle", path, "archive stream", oci->archive_sha256);
	if (oci->top_name != NULL)
		al_eval_add_input(c, "bundle", path, oci->top_name, oci->top_sha256);
	describe_bundle(c, oci);
	if (with_inventory)
		inventory(c, oci);
}

/* An image's own facts: digest, tag, kind, media type, why it is one, and
 * docker-archive names. */
static void
image_facts(al_ictx *c, const al_oci_ref *r, al_image_result *img)
{
	char ds[AL_OCI_DIGEST_STR_MAX], why[AL_OCI_WHY_MAX];

	al_oci_digest_str(&r->desc.digest, ds);
	img->digest = al_rec_str(&c->tree, ds);
	img->ref_name = al_rec_str(&c->tree, r->ref_name);
	img->kind = ref_kind(r->desc.node);
	img->media_type = r->desc.media_type ? al_rec_str(&c->tree, r->desc.media_type) : NULL;
	img->why = al_rec_str(&c->tree, al_oci_ref_why(r, why, sizeof(why)));
	if (r->n_repo_tags) {
		const char **nm = al_arena_alloc(&c->res->arena, r->n_repo_tags * sizeof(*nm), NULL);

		if (nm == NULL) {
			c->tree.oom = true;
		} else {
			for (size_t t = 0; t < r->n_repo_tags; t++)
				nm[t] = al_rec_str(&c->tree, r->repo_tags[t]);
			img->names = nm;
			img->nnames = r->n_repo_tags;
		}
	}
}

/* The names an image is judged under (docs/policy.md §3): --reference, else
 * the full references the bundle gives it (an OCI ref.name that names a
 * registry, docker-archive RepoTags); none, and it is judged unnamed. */
static size_t
image_names(al_ictx *c, const al_oci_ref *r, al_ref *names, const char **source)
{
	size_t n = 0;

	*source = NULL;
	if (c->o->reference) {
		if (al_ref_parse(c->o->reference, &names[0], NULL) == AL_OK) {
			*source = "--reference";
			return 1;
		}
		return 0;
	}
	if (r->ref_name && al_ref_is_full(r->ref_name) && al_ref_parse(r->ref_name, &names[n], NULL) == AL_OK) {
		n++;
		*source = "index.json org.opencontainers.image.ref.name";
	}
	for (size_t t = 0; t < r->n_repo_tags && n < AL_MAX_IMAGE_NAMES; t++)
		if (al_ref_parse(r->repo_tags[t], &names[n], NULL) == AL_OK) {
			n++;
			*source = *source ? "index.json ref.name and RepoTags" : "RepoTags";
		}
	return n;
}

/* The rule for an image: the one every name selects. Names that select
 * different rules fail the image (which rule a consumer meets would depend
 * on the name it uses). Returns why the image fails, or NULL. */
static const char *
image_rule(al_ictx *c, const al_oci *oci, const al_oci_ref *r, al_ref *names, size_t *nnames,
	   al_image_result *img)
{
	const al_pol_rule *rule = NULL;
	const char *source;
	al_pol_subject subj = { NULL, c->bundle_abs, NULL };

	subj.transport = oci->format == AL_OCI_FMT_LAYOUT ? (oci->archive ? "oci-archive" : "oci") :
			 oci->format == AL_OCI_FMT_DOCKER_ARCHIVE ? "docker-archive" : "dir";
	*nnames = image_names(c, r, names, &source);
	img->name_source = source;
	if (*nnames > 0)
		img->name = al_rec_str(&c->tree, names[0].full);
	for (size_t i = 0; i < (*nnames ? *nnames : 1); i++) {
		const al_pol_rule *ri;

		subj.name = *nnames ? &names[i] : NULL;
		ri = al_policy_rule_for(c->policy, &subj);
		if (i > 0 && ri != rule)
			return al_rec_printf(&c->tree, "its names %s and %s fall under different rules (%s, %s): give "
					     "--reference with the name it will be used as", names[0].full, names[i].full,
					     rule ? rule->name : "none", ri ? ri->name : "none");
		rule = ri;
	}
	if (rule == NULL)
		return al_rec_printf(&c->tree, "no rule of the policy applies to %s, and the policy has no default rule",
				     *nnames ? names[0].full : "an image without a name");
	c->rule = rule;
	c->rule_idx = (size_t)(rule - c->policy->rules);
	img->rule = al_rec_str(&c->tree, rule->name);
	if (rule->relax) {
		const char **v = al_arena_alloc(&c->res->arena, 3 * sizeof(*v), NULL);

		if (v == NULL) {
			c->tree.oom = true;
		} else {
			for (unsigned bit = 1; bit <= AL_RELAX_ACCEPT; bit <<= 1)
				if (rule->relax & bit)
					v[img->nrelaxed++] = al_relax_name(bit);
			img->relaxed = v;
		}
	}
	return NULL;
}

al_rc
al_verify_image_cmd(const al_img_opts *o, al_result *res, al_err *err)
{
	al_ictx c;
	al_oci *oci = NULL;
	size_t images = 0, unsigned_images = 0, failed_images = 0, judged = 0, cap = 0, nimg = 0;
	al_image_result *imgs = NULL;
	al_ref *names = NULL;
	char first_bad[AL_OCI_DIGEST_STR_MAX + 160] = "";
	al_rc rc;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.o = o;
	c.res = res;
	c.tree.arena = &res->arena;
	c.keep = o->keep_statements;
	res->strict = o->strict;
	res->verdict = AL_ST_FAIL;
	res->eval_time = al_eval_time(o->at);
	res->eval_time_given = o->at != 0;
	if (o->bundle_path == NULL) {
		rc = al_err_set(err, AL_E_USAGE, "no bundle given");
		goto out;
	}
	res->bundle_path = al_rec_str(&c.tree, o->bundle_path);
	if (o->reference != NULL) {
		al_ref tmp;

		if ((rc = al_ref_parse(o->reference, &tmp, err)) != AL_OK) {
			al_err_prefix(err, "--reference");
			goto out;
		}
	}
	{
		char *abs = realpath(o->bundle_path, NULL);

		c.bundle_abs = al_rec_str(&c.tree, abs ? abs : o->bundle_path);
		free(abs);
	}
	if ((names = calloc(AL_MAX_IMAGE_NAMES, sizeof(*names))) == NULL) {
		rc = al_err_set(err, AL_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = al_eval_load(&c, err)) != AL_OK || (rc = al_vsa_policy_json(&c, &res->policy, err)) != AL_OK)
		goto out;
	{
		al_oci_opts oo = { .flags = (o->allow_missing_blobs ? AL_OCI_ALLOW_MISSING : 0) |
					    (o->no_archive_digest ? AL_OCI_NO_ARCHIVE_DIGEST : 0),
				   .max_bytes = o->max_bytes,
				   .jobs = o->jobs, .progress = o->progress, .progress_ctx = o->progress_ctx };

		if ((rc = al_oci_open_opts(o->bundle_path, &oo, &oci, err)) != AL_OK)
			goto out;
	}
	bundle_facts(&c, oci, o->bundle_path, !o->no_inventory);
	if (c.inventory_failed) {
		rc = al_err_set(err, AL_E_BUNDLE_BLOB, "%s: %s", o->bundle_path, c.inventory_err);
		goto out;
	}
	for (size_t i = 0; i < oci->n_refs; i++)
		nimg += oci->refs[i].role == AL_OCI_ROLE_IMAGE;
	if (!o->drop_images)
		RESERVE(&c, imgs, cap, nimg);
	for (size_t i = 0; i < oci->n_refs; i++) {
		const al_oci_ref *r = &oci->refs[i];
		al_image_result *img, one;
		const char *why;
		char ds[AL_OCI_DIGEST_STR_MAX];
		size_t nnames = 0;
		al_arena kept = { 0 };

		if (r->role != AL_OCI_ROLE_IMAGE)
			continue;
		images++;
		if (o->drop_images) {
			/* nothing of the image is kept: all it makes goes to an
			 * arena of its own, freed after on_image */
			memset(&one, 0, sizeof(one));
			img = &one;
			res->nimages++;
			kept = res->arena;
			memset(&res->arena, 0, sizeof(res->arena));
			c.image_arena = true;
		} else {
			if ((img = PUSH(&c, imgs, res->nimages, cap)) == NULL)
				break;
			res->images = imgs;
		}
		image_facts(&c, r, img);
		al_oci_digest_str(&r->desc.digest, ds);
		c.rule = NULL;
		if ((why = image_rule(&c, oci, r, names, &nnames, img)) != NULL) {
			img->status = AL_ST_FAIL;
			img->why_not = why;
		} else if (c.rule->action == AL_PACT_REJECT) {
			img->status = AL_ST_FAIL;
			img->why_not = al_rec_printf(&c.tree, "rejected by policy rule %s", c.rule->name);
		} else if (c.rule->action == AL_PACT_ACCEPT) {
			img->status = AL_ST_PASS;
		} else {
			c.names = names;
			c.nnames = nnames;
			judged++;
			verify_image(&c, oci, r, img);
			c.names = NULL;
			c.nnames = 0;
		}
		if (img->status != AL_ST_PASS && c.rule != NULL && c.rule->mode == AL_PMODE_WARN) {
			/* warn mode: reported, never the verdict */
			img->status = AL_ST_WARN;
			res->warned++;
		} else if (img->status != AL_ST_PASS) {
			if (img->found == 0 && c.rule != NULL && c.rule->action == AL_PACT_VERIFY)
				unsigned_images++;
			else
				failed_images++;
			if (first_bad[0] == '\0')
				snprintf(first_bad, sizeof(first_bad), "%s%s%.120s", ds, r->ref_name ? " tag " : "",
					 r->ref_name ? r->ref_name : "");
		}
		if (o->on_image != NULL)
			o->on_image(o->on_image_ctx, res, img);
		if (o->drop_images) {
			al_arena_free(&res->arena);
			res->arena = kept;
			c.image_arena = false;
		}
	}
	res->found = c.found;
	res->verified = c.verified;
	res->failed = c.failed;
	res->not_accepted = c.not_accepted;
	if (c.trust.n > 0) {
		res->trusted_root_path = al_rec_str(&c.tree, c.trust.source);
		res->trusted_root_embedded = c.trust.embedded;
		res->trusted_roots = c.trust.n;
		al_hex_encode(c.trust.sha256, 32, res->trusted_root_sha256);
		snprintf(res->trust_age, sizeof(res->trust_age), "%s", c.trust_age);
	}
	if (c.tree.oom) {
		rc = al_err_set(err, AL_E_NOMEM, "%s: out of memory recording the result", o->bundle_path);
	} else if (images == 0) {
		rc = al_err_set(err, AL_E_VERIFY_NOTHING, "%s: no image in the bundle: nothing to verify", o->bundle_path);
	} else if (c.found == 0 && judged > 0 && failed_images == 0 && unsigned_images == judged) {
		rc = al_err_set(err, AL_E_VERIFY_NOTHING,
				"%s: no signature or attestation found for any image: nothing to verify", o->bundle_path);
	} else if (failed_images || unsigned_images) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "%s: %zu of %zu images not verified (first: image %s)",
				o->bundle_path, failed_images + unsigned_images, images, first_bad);
	} else if (o->strict && oci->n_extra > 0) {
		rc = al_err_set(err, AL_E_VERIFY_POLICY, "%s: %zu unreferenced entries (first: %s) and --strict",
				o->bundle_path, oci->n_extra, oci->extra[0].path);
	} else {
		res->verdict = AL_ST_PASS;
	}
out:
	free(names);
	al_oci_free(oci);
	al_trust_set_free(&c.trust);
	al_eval_free(&c);
	return rc;
}

al_rc
al_inspect_result(const char *path, uint64_t max_bytes, int64_t at, al_result *res, al_err *err)
{
	al_ictx c;
	al_oci *oci = NULL;
	al_image_result *imgs = NULL;
	size_t cap = 0, nimg = 0;
	al_rc rc;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.res = res;
	c.tree.arena = &res->arena;
	res->eval_time = al_eval_time(at);
	res->eval_time_given = at != 0;
	res->bundle_path = al_rec_str(&c.tree, path);
	if ((rc = al_oci_open(path, AL_OCI_ALLOW_MISSING, max_bytes, &oci, err)) != AL_OK)
		return rc;
	bundle_facts(&c, oci, path, true);
	if (c.inventory_failed) {
		al_oci_free(oci);
		return al_err_set(err, AL_E_BUNDLE_BLOB, "%s: %s", path, c.inventory_err);
	}
	/* the images as verify would find them, without their signatures */
	for (size_t i = 0; i < oci->n_refs; i++)
		nimg += oci->refs[i].role == AL_OCI_ROLE_IMAGE;
	RESERVE(&c, imgs, cap, nimg);
	for (size_t i = 0; i < oci->n_refs; i++) {
		const al_oci_ref *r = &oci->refs[i];
		al_image_result *img;

		if (r->role != AL_OCI_ROLE_IMAGE || (img = PUSH(&c, imgs, res->nimages, cap)) == NULL)
			continue;
		res->images = imgs;
		image_facts(&c, r, img);
	}
	al_oci_free(oci);
	if (c.tree.oom)
		return al_err_set(err, AL_E_NOMEM, "%s: out of memory recording the result", path);
	return AL_OK;
}

al_rc
al_inspect_cmd(const char *path, uint64_t max_bytes, al_buf *report, al_err *err)
{
	al_oci *oci = NULL;
	al_rc rc;

	if ((rc = al_oci_open(path, AL_OCI_ALLOW_MISSING, max_bytes, &oci, err)) != AL_OK)
		return rc;
	rc = al_oci_describe(oci, report, err);
	al_oci_free(oci);
	return rc;
}
