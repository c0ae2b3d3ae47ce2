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
		if (c->o->keep_statements) {
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

/* An item under the run's trusted roots; with several, the report names the
 * one that decided it. */
static al_rc
verify_item(al_ictx *c, item_in *in, al_rec *rec, al_err *err)
{
	size_t which = 0;
	al_rc rc = al_under_roots(&c->trust, item_under, in, rec, &which, err);

	if (c->trust.n > 1) {
		const uint8_t *h = c->trust.roots[which].sha256;
		size_t len = strlen(in->what);

		if (rc == AL_OK)
			snprintf(in->what + len, in->cap - len, "; trusted root %zu of %zu (sha256:%02x%02x%02x%02x…)",
				 which + 1, c->trust.n, h[0], h[1], h[2], h[3]);
		else
			al_err_prefix(err, "under trusted root %zu of %zu (sha256:%02x%02x%02x%02x…)", which + 1,
				      c->trust.n, h[0], h[1], h[2], h[3]);
	}
	return rc;
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
			for (size_t l = 0; l < att[i]->n_layers; l++) {
				const al_oci_desc *ld = &att[i]->layers[l];
				al_buf blob = { 0 };
				char ld_s[AL_OCI_DIGEST_STR_MAX];
				al_rec rec = { .arena = &c->res->arena };

				al_oci_digest_str(&ld->digest, ld_s);
				snprintf(where, sizeof(where), "%.20s… layer %zu", ld_s, l);
				al_err_clear(&e);
				what[0] = '\0';
				c->rec = &rec;
				rc = al_oci_blob_read(o, &ld->digest, AL_MAX_PAYLOAD, &blob, &e);
				if (rc != AL_OK)
					al_rec_rc(&rec, AL_CK_BLOB_READ, ld_s, rc, &e);
				if (rc == AL_OK && role == AL_OCI_ROLE_SIGS) {
					if (ld->media_type && strcmp(ld->media_type, MT_SIMPLESIG) != 0) {
						al_buf_free(&blob);
						continue; /* not a signature layer */
					}
					item_in in = { c, AL_ITEM_SIGNATURE, subject, al_buf_bytes(&blob),
						       ld->annotations, ld->n_annotations, what, sizeof(what) };

					rc = verify_item(c, &in, &rec, &e);
				} else if (rc == AL_OK) {
					if (ld->media_type && strcmp(ld->media_type, MT_DSSE) != 0) {
						al_buf_free(&blob);
						continue;
					}
					item_in in = { c, AL_ITEM_ATTESTATION, subject, al_buf_bytes(&blob),
						       ld->annotations, ld->n_annotations, what, sizeof(what) };

					rc = verify_item(c, &in, &rec, &e);
				}
				c->rec = NULL;
				it = add_item(c, &sb, role == AL_OCI_ROLE_SIGS ? AL_ITEM_SIGNATURE : AL_ITEM_ATTESTATION,
					      where, ld_s, rc, what, &e, &rec);
				if (rc == AL_OK && role != AL_OCI_ROLE_SIGS)
					keep_statement(c, it, AL_ITEM_ATTESTATION, al_buf_bytes(&blob));
				al_buf_free(&blob);
			}
		}
	}
	n = al_oci_find_referrers(o, subject, AT_SIGSTORE, att, AL_ARRAY_LEN(att));
	if (n > AL_ARRAY_LEN(att))
		n = AL_ARRAY_LEN(att);
	for (size_t i = 0; i < n; i++) {
		for (size_t l = 0; l < att[i]->n_layers; l++) {
			const al_oci_desc *ld = &att[i]->layers[l];
			al_buf blob = { 0 };
			char rd[AL_OCI_DIGEST_STR_MAX], ld_s[AL_OCI_DIGEST_STR_MAX];
			al_rec rec = { .arena = &c->res->arena };

			al_oci_digest_str(&att[i]->digest, rd);
			al_oci_digest_str(&ld->digest, ld_s);
			snprintf(where, sizeof(where), "%.20s… layer %zu", rd, l);
			al_err_clear(&e);
			c->rec = &rec;
			rc = al_oci_blob_read(o, &ld->digest, AL_MAX_JSON_DOC, &blob, &e);
			c->last_sigstore = NULL;
			if (rc == AL_OK) {
				item_in in = { c, AL_ITEM_REFERRER, subject, al_buf_bytes(&blob), NULL, 0, what,
					       sizeof(what) };

				rc = verify_item(c, &in, &rec, &e);
			} else {
				al_rec_rc(&rec, AL_CK_BLOB_READ, rd, rc, &e);
			}
			c->rec = NULL;
			it = add_item(c, &sb, AL_ITEM_REFERRER, where, ld_s, rc, what, &e, &rec);
			if (rc == AL_OK) {
				keep_statement(c, it, AL_ITEM_REFERRER, al_buf_bytes(&blob));
				if (it != NULL)
					it->sigstore = c->last_sigstore;
			}
			c->last_sigstore = NULL;
			al_buf_free(&blob);
		}
	}
	/* containers/image dir: signature-N files */
	for (size_t i = 0; node && i < node->n_csigs; i++) {
		const al_oci_csig *cs = &node->csigs[i];
		al_rec rec = { .arena = &c->res->arena };
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

			rc = verify_item(c, &in, &rec, &e);
		}
		c->rec = NULL;
		al_sha256(al_buf_bytes(&cs->raw), fh);
		memcpy(fs, "sha256:", 7);
		al_hex_encode(fh, 32, fs + 7);
		add_item(c, &sb, AL_ITEM_SIGNATURE, cs->file, fs, rc, what, &e, &rec);
	}
	out->items = sb.items;
	out->nitems = sb.n;
	out->verified = c->verified - before_v;
	for (size_t i = 0; i < sb.n; i++)
		out->found += sb.items[i].kind != AL_ITEM_NOTE;
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

/* Input digests are few (bundle, root, keys, PKI files): an array with room
 * for all of them, in the arena. */
#define MAX_INPUTS (4 + AL_MAX_KEYS_ARG)

static void
add_input(al_ictx *c, const char *role, const char *path, const char *of, const uint8_t sha256[32])
{
	al_result *res = c->res;
	al_input_digest *in;

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

		al_oci_digest_str(&nd->digest, ds);
		if (nd->config)
			add_blob(c, &v, &n, &cap, nd->config, al_rec_printf(&c->tree, "%s config", ds));
		for (size_t l = 0; l < nd->n_layers; l++)
			add_blob(c, &v, &n, &cap, &nd->layers[l], al_rec_printf(&c->tree, "%s layers[%zu]", ds, l));
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

static al_rc
load_policy(al_ictx *c, const al_img_opts *o, al_err *err)
{
	al_buf pem = { 0 };
	al_rc rc;

	c->idp.san = o->identity;
	c->idp.san_regexp = o->identity_regexp;
	c->idp.issuer = o->issuer;
	c->idp.issuer_regexp = o->issuer_regexp;
	c->have_idp = o->identity || o->identity_regexp || o->issuer || o->issuer_regexp;
	al_certs_init(&c->pki_roots);
	al_certs_init(&c->pki_inter);
	if (o->nkeys && (c->have_idp || o->ca_roots))
		return al_err_set(err, AL_E_USAGE, "give either --key or a certificate policy, not both");
	if (!o->nkeys && !c->have_idp && !o->ca_roots)
		return al_err_set(err, AL_E_USAGE,
				  "no policy: give --key, or --certificate-identity[-regexp] with "
				  "--certificate-oidc-issuer[-regexp] (and --trusted-root), or --ca-roots");
	if (c->have_idp && !o->ca_roots && (rc = al_identity_policy_check(&c->idp, err)) != AL_OK)
		return rc;
	if (o->ca_intermediates && !o->ca_roots)
		return al_err_set(err, AL_E_USAGE, "--ca-intermediates needs --ca-roots");
	for (; c->nkeys < o->nkeys; c->nkeys++) {
		al_pubkey_init(&c->keys[c->nkeys]);
		if ((rc = al_trust_load_pem_key(o->key_paths[c->nkeys], &c->keys[c->nkeys], err)) != AL_OK) {
			al_pubkey_free(&c->keys[c->nkeys]);
			return rc;
		}
		add_input(c, "key", o->key_paths[c->nkeys], "SubjectPublicKeyInfo", c->keys[c->nkeys].spki_sha256);
	}
	/* --trusted-root, else the embedded root, in every mode (docs/trust.md):
	 * a key signature's Rekor SET and RFC 3161 timestamp, and a private-PKI
	 * signature's, are checked against it too */
	if ((rc = al_trust_set_load(o->trusted_root_path, &c->trust, err)) != AL_OK ||
	    (rc = al_trust_fresh(&c->trust, c->res->eval_time, o->max_trust_age, c->trust_age, sizeof(c->trust_age), err)) != AL_OK)
		return rc;
	add_input(c, "trustedRoot", c->trust.embedded ? NULL : c->trust.source,
		  c->trust.embedded ? "embedded trusted_root.json" : c->trust.jsonl ? "JSON Lines file" : "file",
		  c->trust.sha256);
	if (o->ca_roots) {
		uint8_t h[AL_HASH_MAX];

		c->pki = true;
		if ((rc = al_read_file(o->ca_roots, AL_MAX_PEM_FILE, &pem, err)) != AL_OK)
			return rc;
		al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&pem), h);
		memcpy(c->ca_roots_sha256, h, 32);
		add_input(c, "caRoots", o->ca_roots, "file", h);
		rc = al_certs_add_pem(&c->pki_roots, al_buf_bytes(&pem), err);
		al_buf_free(&pem);
		if (rc != AL_OK)
			return al_err_recode(err, AL_E_TRUST_INVALID, "%s", o->ca_roots);
	}
	if (o->ca_intermediates) {
		uint8_t h[AL_HASH_MAX];

		if ((rc = al_read_file(o->ca_intermediates, AL_MAX_PEM_FILE, &pem, err)) != AL_OK)
			return rc;
		al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&pem), h);
		memcpy(c->ca_inter_sha256, h, 32);
		add_input(c, "caIntermediates", o->ca_intermediates, "file", h);
		rc = al_certs_add_pem(&c->pki_inter, al_buf_bytes(&pem), err);
		al_buf_free(&pem);
		if (rc != AL_OK)
			return al_err_recode(err, AL_E_TRUST_INVALID, "%s", o->ca_intermediates);
	}
	return AL_OK;
}

/* One image of the bundle: its own signatures, or for an index, the index's
 * signature (which names every platform by digest) or every platform's own.
 * Children that are artifacts (buildx attestation manifests) need none. */
static void
verify_image(al_ictx *c, const al_oci *oci, const al_oci_ref *r, al_image_result *img)
{
	const al_oci_node *n = r->desc.node;
	size_t ok;

	img->why_not = NULL;
	verify_subject(c, oci, n, &r->desc.digest, &img->top);
	ok = img->top.verified;
	img->found = img->top.found;
	if (n && n->kind == AL_OCI_NODE_INDEX) {
		al_child *kids = NULL;
		size_t nk = 0, cap = 0, nplat = 0;
		bool all = true;

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
			if (k->subject.verified > 0) {
				k->status = AL_ST_PASS;
			} else if (ok > 0) {
				k->status = AL_ST_PASS;
				k->covered = true;
			} else {
				k->status = AL_ST_FAIL;
				all = false;
			}
		}
		img->children = kids;
		img->nchildren = nk;
		if (!all) {
			ok = 0;
			img->why_not = "a platform is neither signed nor covered by a verified signature of the index";
		} else if (ok == 0 && nplat > 0) {
			ok = 1; /* every platform verified on its own */
		}
	}
	img->status = ok > 0 ? AL_ST_PASS : AL_ST_FAIL;
	if (img->status == AL_ST_FAIL && img->why_not == NULL)
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
	size_t cap = 0;

	res->format = oci->format == AL_OCI_FMT_LAYOUT ? "OCI image layout" :
		      oci->format == AL_OCI_FMT_DOCKER_ARCHIVE ? "docker-archive" : "containers/image dir";
	res->compression = oci->archive ? al_rec_str(&c->tree, oci->compression) : NULL;
	res->bytes_hashed = oci->bytes_hashed;
	res->relaxed_missing = oci->n_missing > 0;
	for (size_t i = 0; i < oci->n_missing; i++) {
		al_absent_blob *a = PUSH(c, absent, res->nabsent, cap);
		char ms[AL_OCI_DIGEST_STR_MAX];

		if (a == NULL)
			break;
		al_oci_digest_str(&oci->missing[i].digest, ms);
		a->digest = al_rec_str(&c->tree, ms);
		a->where = al_rec_str(&c->tree, oci->missing[i].where);
	}
	cap = 0;
	for (size_t i = 0; i < oci->n_extra; i++) {
		al_extra_entry *x = PUSH(c, extra, res->nextra, cap);

		if (x == NULL)
			break;
		x->path = al_rec_str(&c->tree, oci->extra[i].path);
		x->size = oci->extra[i].size;
		x->name_mismatch = oci->extra[i].name_mismatch;
	}
	cap = 0;
	for (size_t i = 0; i < oci->n_refs; i++) {
		const al_oci_ref *r = &oci->refs[i];
		al_artifact_entry *a;
		char ds[AL_OCI_DIGEST_STR_MAX];

		if (r->role == AL_OCI_ROLE_IMAGE)
			continue;
		if ((a = PUSH(c, arts, res->nartifacts, cap)) == NULL)
			break;
		al_oci_digest_str(&r->desc.digest, ds);
		a->digest = al_rec_str(&c->tree, ds);
		a->ref_name = al_rec_str(&c->tree, r->ref_name);
		a->why = al_rec_str(&c->tree, r->why);
	}
	cap = 0;
	for (size_t i = 0; i < oci->n_docker; i++) {
		al_docker_entry *d = PUSH(c, docker, res->ndocker, cap);
		char ds[AL_OCI_DIGEST_STR_MAX];

		if (d == NULL)
			break;
		al_oci_digest_str(&oci->docker[i].node->digest, ds);
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
	res->absent = absent;
	res->extra = extra;
	res->artifacts = arts;
	res->docker = docker;
}

/* What verify and inspect both report before any signature: the bundle's
 * digests, its own facts and its blob inventory. */
static void
bundle_facts(al_ictx *c, const al_oci *oci, const char *path)
{
	c->res->opened = true;
	if (oci->has_archive_sha256)
		add_input(c, "bundle", path, "archive stream", oci->archive_sha256);
	if (oci->top_name != NULL)
		add_input(c, "bundle", path, oci->top_name, oci->top_sha256);
	describe_bundle(c, oci);
	inventory(c, oci);
}

/* An image's own facts: digest, tag, kind, media type, why it is one, and
 * docker-archive names. */
static void
image_facts(al_ictx *c, const al_oci_ref *r, al_image_result *img)
{
	char ds[AL_OCI_DIGEST_STR_MAX];

	al_oci_digest_str(&r->desc.digest, ds);
	img->digest = al_rec_str(&c->tree, ds);
	img->ref_name = al_rec_str(&c->tree, r->ref_name);
	img->kind = ref_kind(r->desc.node);
	img->media_type = r->desc.media_type ? al_rec_str(&c->tree, r->desc.media_type) : NULL;
	img->why = al_rec_str(&c->tree, r->why);
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

al_rc
al_verify_image_cmd(const al_img_opts *o, al_result *res, al_err *err)
{
	al_ictx c;
	al_oci *oci = NULL;
	size_t images = 0, unsigned_images = 0, failed_images = 0, cap = 0;
	al_image_result *imgs = NULL;
	char first_bad[AL_OCI_DIGEST_STR_MAX + 160] = "";
	al_rc rc;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.o = o;
	c.res = res;
	c.tree.arena = &res->arena;
	res->strict = o->strict;
	res->verdict = AL_ST_FAIL;
	res->eval_time = al_eval_time(o->at);
	res->eval_time_given = o->at != 0;
	if (o->bundle_path == NULL) {
		rc = al_err_set(err, AL_E_USAGE, "no bundle given");
		goto out;
	}
	res->bundle_path = al_rec_str(&c.tree, o->bundle_path);
	if ((rc = load_policy(&c, o, err)) != AL_OK || (rc = al_vsa_policy_json(&c, &res->policy, err)) != AL_OK)
		goto out;
	if ((rc = al_oci_open(o->bundle_path, o->allow_missing_blobs ? AL_OCI_ALLOW_MISSING : 0, o->max_bytes, &oci,
			      err)) != AL_OK)
		goto out;
	bundle_facts(&c, oci, o->bundle_path);
	for (size_t i = 0; i < oci->n_refs; i++) {
		const al_oci_ref *r = &oci->refs[i];
		al_image_result *img;
		char ds[AL_OCI_DIGEST_STR_MAX];

		if (r->role != AL_OCI_ROLE_IMAGE)
			continue;
		images++;
		if ((img = PUSH(&c, imgs, res->nimages, cap)) == NULL)
			break;
		res->images = imgs;
		image_facts(&c, r, img);
		al_oci_digest_str(&r->desc.digest, ds);
		verify_image(&c, oci, r, img);
		if (img->status == AL_ST_PASS)
			continue;
		if (img->found == 0)
			unsigned_images++;
		else
			failed_images++;
		if (first_bad[0] == '\0')
			snprintf(first_bad, sizeof(first_bad), "%s%s%.120s", ds, r->ref_name ? " tag " : "",
				 r->ref_name ? r->ref_name : "");
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
	} else if (c.found == 0) {
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
	al_oci_free(oci);
	al_trust_set_free(&c.trust);
	for (size_t i = 0; i < c.nkeys; i++)
		al_pubkey_free(&c.keys[i]);
	al_certs_free(&c.pki_roots);
	al_certs_free(&c.pki_inter);
	return rc;
}

al_rc
al_inspect_result(const char *path, uint64_t max_bytes, int64_t at, al_result *res, al_err *err)
{
	al_ictx c;
	al_oci *oci = NULL;
	al_image_result *imgs = NULL;
	size_t cap = 0;
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
	bundle_facts(&c, oci, path);
	/* the images as verify would find them, without their signatures */
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
