/*
 * evaluate.c — the policy, applied: every rule's authorities loaded before
 * anything is verified; the evidence a rule asks of each signature that
 * verified (log entries, signed timestamps, age, signed identity); and
 * whether the signatures of a subject meet the rule (k of n distinct
 * authorities, required attestations). docs/policy.md §4.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "verify/internal.h"

/* ---------------------------------------------------------------- loading */

static const char *
pem_label(al_ictx *c, const al_pol_pem *m, const char *what)
{
	return m->path ? al_rec_str(&c->tree, m->path) : al_rec_printf(&c->tree, "%s (inline in the policy)", what);
}

/* The PEM bytes a policy names (a file, or inline), and their SHA-256 as an
 * input of the report. */
static al_rc
pem_read(al_ictx *c, const al_pol_pem *m, const char *role, al_buf *out, al_err *err)
{
	uint8_t h[32];
	al_rc rc;

	if (m->path) {
		if ((rc = al_read_file(m->path, AL_MAX_PEM_FILE, out, err)) != AL_OK)
			return rc;
	} else if ((rc = al_buf_dup(out, al_bytes_str(m->data), err)) != AL_OK) {
		return rc;
	}
	/* a key is named by its SubjectPublicKeyInfo, whatever its PEM looks like */
	if (role != NULL) {
		al_sha256(al_buf_bytes(out), h);
		al_eval_add_input(c, role, m->path ? m->path : "(inline in the policy)", "file", h);
	}
	return AL_OK;
}

static al_rc
load_certs(al_ictx *c, const al_pol_pem *m, const char *role, al_certs *out, al_err *err)
{
	al_buf pem = { 0 };
	al_rc rc;

	if ((rc = pem_read(c, m, role, &pem, err)) != AL_OK)
		return rc;
	rc = al_certs_add_pem(out, al_buf_bytes(&pem), err);
	al_buf_free(&pem);
	if (rc != AL_OK && rc != AL_E_NOMEM)
		rc = al_err_recode(err, AL_E_TRUST_INVALID, "%s", m->path ? m->path : "inline certificates");
	return rc;
}

static const char *
key_details(const al_pubkey *k)
{
	switch (k->kind) {
	case AL_KEY_ECDSA_P256: return "PKIX_ECDSA_P256_SHA_256";
	case AL_KEY_ECDSA_P384: return "PKIX_ECDSA_P384_SHA_384";
	case AL_KEY_ECDSA_P521: return "PKIX_ECDSA_P521_SHA_512";
	case AL_KEY_ED25519: return "PKIX_ED25519";
	default: return NULL;
	}
}

static cJSON *
b64_json(al_bytes b, al_err *err)
{
	al_buf e = { 0 };
	cJSON *s = NULL;

	if (al_b64_encode(b, &e, err) == AL_OK && al_buf_append(&e, "", 1, err) == AL_OK)
		s = cJSON_CreateString((const char *)e.p);
	al_buf_free(&e);
	return s;
}

static void
validity_json(cJSON *o, const al_validity *v)
{
	cJSON *vf = cJSON_AddObjectToObject(o, "validFor");
	char t[21];

	/* nanoseconds are dropped: a window only widens by less than a second */
	al_rfc3339_format(v->has_start ? v->start : 0, t);
	cJSON_AddStringToObject(vf, "start", t);
	if (v->has_end) {
		al_rfc3339_format(v->end + (v->end_ns > 0), t);
		cJSON_AddStringToObject(vf, "end", t);
	}
}

static cJSON *
log_json(const char *url, al_bytes spki, const char *details, const al_validity *v, al_bytes id, al_err *err)
{
	cJSON *t = cJSON_CreateObject(), *pk, *li;

	cJSON_AddStringToObject(t, "baseUrl", url);
	cJSON_AddStringToObject(t, "hashAlgorithm", "SHA2_256");
	pk = cJSON_AddObjectToObject(t, "publicKey");
	cJSON_AddItemToObject(pk, "rawBytes", b64_json(spki, err));
	cJSON_AddStringToObject(pk, "keyDetails", details);
	validity_json(pk, v);
	li = cJSON_AddObjectToObject(t, "logId");
	cJSON_AddItemToObject(li, "keyId", b64_json(id, err));
	return t;
}

static cJSON *
ca_json(const al_trust_ca *ca, al_err *err)
{
	cJSON *a = cJSON_CreateObject(), *sub, *arr;

	sub = cJSON_AddObjectToObject(a, "subject");
	cJSON_AddStringToObject(sub, "organization", ca->organization.p ? (const char *)ca->organization.p : "");
	cJSON_AddStringToObject(sub, "commonName", ca->common_name.p ? (const char *)ca->common_name.p : "");
	cJSON_AddStringToObject(a, "uri", ca->uri.p ? (const char *)ca->uri.p : "");
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(a, "certChain"), "certificates");
	for (size_t i = 0; i < ca->ncerts; i++) {
		cJSON *cert = cJSON_CreateObject();

		cJSON_AddItemToObject(cert, "rawBytes", b64_json(al_buf_bytes(&ca->certs[i]), err));
		cJSON_AddItemToArray(arr, cert);
	}
	validity_json(a, &ca->valid_for);
	return a;
}

/*
 * A rule's own Rekor keys (containers-policy.json rekorPublicKey*,
 * transparency.rekorKeys): each trusted root of the run with its logs
 * replaced by those keys. Written as trusted_root.json and read by the one
 * parser trust material has, so the policy's keys are held to the same rules
 * as the root's.
 */
static al_rc
own_trust(al_ictx *c, const al_pol_rule *r, al_auth *au, al_err *err)
{
	static const al_validity always = { true, false, 0, 0, 0, 0 };
	al_buf lines = { 0 };
	al_pubkey keys[AL_MAX_POLICY_KEYS];
	size_t nkeys = 0;
	al_rc rc = AL_OK;

	if (r->ntlog_keys == 0)
		return AL_OK;
	for (size_t i = 0; rc == AL_OK && i < r->ntlog_keys && i < AL_MAX_POLICY_KEYS; i++) {
		al_buf pem = { 0 };

		al_pubkey_init(&keys[nkeys++]);
		if ((rc = pem_read(c, &r->tlog_keys[i], "rekorKey", &pem, err)) == AL_OK &&
		    (rc = al_pubkey_from_pem(al_buf_bytes(&pem), &keys[i], err)) != AL_OK && rc != AL_E_NOMEM)
			rc = al_err_recode(err, AL_E_TRUST_INVALID, "%s: not a usable Rekor public key",
					   pem_label(c, &r->tlog_keys[i], "Rekor key"));
		if (rc == AL_OK && key_details(&keys[i]) == NULL)
			rc = al_err_set(err, AL_E_TRUST_INVALID, "%s: a %s Rekor key; airlock reads ECDSA and Ed25519 "
					"log keys", pem_label(c, &r->tlog_keys[i], "Rekor key"), al_key_kind_name(keys[i].kind));
		al_buf_free(&pem);
	}
	for (size_t k = 0; rc == AL_OK && k < c->trust.n; k++) {
		const al_trust_root *root = &c->trust.roots[k];
		cJSON *doc = cJSON_CreateObject(), *tl, *cas, *ct, *tsa;
		char *text;

		cJSON_AddStringToObject(doc, "mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
		tl = cJSON_AddArrayToObject(doc, "tlogs");
		cas = cJSON_AddArrayToObject(doc, "certificateAuthorities");
		ct = cJSON_AddArrayToObject(doc, "ctlogs");
		tsa = cJSON_AddArrayToObject(doc, "timestampAuthorities");
		for (size_t i = 0; i < nkeys; i++) {
			uint8_t id[32];

			al_sha256(al_buf_bytes(&keys[i].spki), id);
			cJSON_AddItemToArray(tl, log_json("https://rekor.policy-key.invalid", al_buf_bytes(&keys[i].spki),
							  key_details(&keys[i]), &always, al_bytes_of(id, 32), err));
		}
		for (size_t i = 0; nkeys == 0 && i < root->ntlogs; i++) {
			const al_trust_log *l = &root->tlogs[i];

			cJSON_AddItemToArray(tl, log_json((const char *)l->base_url.p, al_buf_bytes(&l->key.spki),
							  l->key_details, &l->valid_for, al_buf_bytes(&l->log_id), err));
		}
		for (size_t i = 0; i < root->ncas; i++)
			cJSON_AddItemToArray(cas, ca_json(&root->cas[i], err));
		for (size_t i = 0; i < root->nctlogs; i++) {
			const al_trust_log *l = &root->ctlogs[i];

			cJSON_AddItemToArray(ct, log_json((const char *)l->base_url.p, al_buf_bytes(&l->key.spki),
							  l->key_details, &l->valid_for, al_buf_bytes(&l->log_id), err));
		}
		for (size_t i = 0; i < root->ntsas; i++)
			cJSON_AddItemToArray(tsa, ca_json(&root->tsas[i], err));
		if ((text = cJSON_PrintUnformatted(doc)) == NULL)
			rc = al_err_set(err, AL_E_NOMEM, "out of memory");
		if (rc == AL_OK && (rc = al_buf_append(&lines, text, strlen(text), err)) == AL_OK)
			rc = al_buf_append(&lines, "\n", 1, err);
		free(text);
		cJSON_Delete(doc);
	}
	if (rc == AL_OK && (rc = al_trust_set_parse(al_buf_bytes(&lines), &au->own, err)) != AL_OK)
		al_err_prefix(err, "%s: rule %s: the trusted root made with its Rekor keys", c->policy->source,
			      r->name);
	if (rc == AL_OK) {
		au->has_own = true;
		au->own.source = "the trusted root with the policy's Rekor keys";
	}
	for (size_t i = 0; i < nkeys; i++)
		al_pubkey_free(&keys[i]);
	al_buf_free(&lines);
	return rc;
}

static al_rc
load_authority(al_ictx *c, const al_pol_rule *r, const al_pol_authority *pa, al_auth *au, al_err *err)
{
	al_rc rc;

	au->pa = pa;
	al_certs_init(&au->pki_roots);
	al_certs_init(&au->pki_inter);
	for (size_t i = 0; i < pa->nkeys; i++) {
		al_buf pem = { 0 };

		al_pubkey_init(&au->keys[i]);
		au->nkeys = i + 1;
		if ((rc = pem_read(c, &pa->keys[i], NULL, &pem, err)) == AL_OK &&
		    (rc = al_pubkey_from_pem(al_buf_bytes(&pem), &au->keys[i], err)) != AL_OK && rc != AL_E_NOMEM)
			rc = al_err_recode(err, AL_E_TRUST_INVALID, "%s: not a usable PEM public key",
					   pem_label(c, &pa->keys[i], "key"));
		al_buf_free(&pem);
		if (rc != AL_OK)
			return rc;
		/* the key's identity, whatever its PEM text looks like */
		al_eval_add_input(c, "key", pa->keys[i].path ? pa->keys[i].path : "(inline in the policy)",
				  "SubjectPublicKeyInfo", au->keys[i].spki_sha256);
	}
	au->idp = (al_identity_policy){ pa->identity.exact, pa->identity.regexp, pa->issuer.exact, pa->issuer.regexp,
					 pa->ext, pa->next, (r->relax & AL_RELAX_SCT) != 0 };
	au->have_idp = pa->identity.exact || pa->identity.regexp || pa->issuer.exact || pa->issuer.regexp;
	/* a keyless authority with its own Fulcio CA (containers-policy.json
	 * fulcio.caPath) is judged as containers/image judges it: through the
	 * signature's carried intermediates to those roots, at the signed times */
	if (pa->kind == AL_PAUTH_PKI || pa->ca_roots.path || pa->ca_roots.data) {
		au->pki = true;
		au->ca_label = pem_label(c, &pa->ca_roots, "caRoots");
		if ((rc = load_certs(c, &pa->ca_roots, pa->kind == AL_PAUTH_PKI ? "caRoots" : "fulcioRoots",
				     &au->pki_roots, err)) != AL_OK)
			return rc;
		if ((pa->ca_intermediates.path || pa->ca_intermediates.data) &&
		    (rc = load_certs(c, &pa->ca_intermediates, "caIntermediates", &au->pki_inter, err)) != AL_OK)
			return rc;
	}
	return own_trust(c, r, au, err);
}

al_rc
al_eval_load(al_ictx *c, al_err *err)
{
	const al_img_opts *o = c->o;
	al_rc rc;

	if (o->policy_path != NULL) {
		if (al_pol_flags_any(&o->flags))
			return al_err_set(err, AL_E_USAGE, "--policy %s states the policy: give its requirements and "
					  "relaxations there, not as flags too", o->policy_path);
		rc = al_policy_load(o->policy_path, &c->policy, err);
	} else {
		rc = al_policy_from_flags(&o->flags, &c->policy, err);
	}
	if (rc != AL_OK)
		return rc;
	c->res->policy_source = al_rec_str(&c->tree, c->policy->source);
	c->res->policy_format = c->policy->format;
	al_hex_encode(c->policy->sha256, 32, c->res->policy_sha256);
	if (o->policy_path)
		al_eval_add_input(c, "policy", o->policy_path, "file", c->policy->sha256);
	/* --trusted-root, else the embedded root, in every mode (docs/trust.md):
	 * a key signature's Rekor SET and RFC 3161 timestamp, and a private-PKI
	 * signature's, are checked against it too */
	if ((rc = al_trust_set_load(o->trusted_root_path, &c->trust, err)) != AL_OK ||
	    (rc = al_trust_fresh(&c->trust, c->res->eval_time, o->max_trust_age, c->trust_age, sizeof(c->trust_age),
				 err)) != AL_OK)
		return rc;
	al_eval_add_input(c, "trustedRoot", c->trust.embedded ? NULL : c->trust.source,
			  c->trust.embedded ? "embedded trusted_root.json" : c->trust.jsonl ? "JSON Lines file" : "file",
			  c->trust.sha256);
	if ((c->auths = calloc(c->policy->nrules, sizeof(*c->auths))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < c->policy->nrules; i++) {
		const al_pol_rule *r = &c->policy->rules[i];

		for (size_t a = 0; a < r->natt; a++)
			c->keep |= r->att[a].slsa;
		if (r->nauth == 0)
			continue;
		if ((c->auths[i] = calloc(r->nauth, sizeof(**c->auths))) == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		for (size_t a = 0; a < r->nauth; a++)
			if ((rc = load_authority(c, r, &r->auth[a], &c->auths[i][a], err)) != AL_OK)
				return rc;
	}
	return AL_OK;
}

void
al_eval_free(al_ictx *c)
{
	for (size_t i = 0; c->policy && c->auths && i < c->policy->nrules; i++) {
		for (size_t a = 0; c->auths[i] && a < c->policy->rules[i].nauth; a++) {
			al_auth *au = &c->auths[i][a];

			for (size_t k = 0; k < au->nkeys; k++)
				al_pubkey_free(&au->keys[k]);
			al_certs_free(&au->pki_roots);
			al_certs_free(&au->pki_inter);
			if (au->has_own)
				al_trust_set_free(&au->own);
		}
		free(c->auths[i]);
	}
	free(c->auths);
	c->auths = NULL;
	al_policy_free(c->policy);
	c->policy = NULL;
}

const al_trust_set *
al_eval_trust(const al_ictx *c)
{
	return c->au != NULL && c->au->has_own ? &c->au->own : &c->trust;
}

/* ---------------------------------------------------------------- evidence */

static size_t
count_pass(const al_rec *rec, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->n; i++)
		n += rec->v[i].status == AL_ST_PASS && strcmp(rec->v[i].name, name) == 0;
	return n;
}

/* Verified log entries, of the rule's logs when it names them. */
static size_t
count_entries(const al_pol_rule *r, const al_rec *rec)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->n; i++) {
		const al_check *k = &rec->v[i];
		const char *log = NULL;
		bool listed = r->ntlog_logs == 0;

		if (k->status != AL_ST_PASS || (strcmp(k->name, AL_CK_TLOG_SET) != 0 && strcmp(k->name, AL_CK_TLOG_ENTRY) != 0))
			continue;
		for (size_t e = 0; e < k->nev; e++)
			if (strcmp(k->ev[e].key, "log") == 0)
				log = k->ev[e].value;
		for (size_t l = 0; !listed && log != NULL && l < r->ntlog_logs; l++)
			listed = strcmp(log, r->tlog_logs[l]) == 0;
		n += listed;
	}
	return n;
}

al_rc
al_eval_evidence(al_ictx *c, al_item_kind kind, al_rec *rec, al_err *err)
{
	const al_pol_rule *r = c->rule;
	size_t ntlog = count_entries(r, rec);
	size_t ntsa = count_pass(rec, AL_CK_TIMESTAMP_RFC3161);
	al_rc rc;

	if (ntlog < r->tlog_min) {
		rc = al_err_set(err, AL_E_TLOG_NONE,
				"%zu verified transparency-log entr%s%s; rule %s requires %zu for every signature%s",
				ntlog, ntlog == 1 ? "y" : "ies", r->ntlog_logs ? " of the logs it names" : "", r->name,
				r->tlog_min, c->au->nkeys ? " (a key's signature too, as cosign requires)" : "");
		return al_rec_rc(rec, AL_CK_POLICY_TLOG, "signature", rc, err);
	}
	if ((r->relax & AL_RELAX_TLOG) && ntlog == 0)
		al_rec_check(rec, AL_CK_POLICY_TLOG, AL_ST_WARN, "signature",
			     "RELAXED (insecure-ignore-tlog): no transparency-log entry, none required", NULL);
	else
		al_rec_check(rec, AL_CK_POLICY_TLOG, AL_ST_PASS, "signature", NULL, "entries",
			     al_rec_printf(rec, "%zu", ntlog), "required", al_rec_printf(rec, "%zu", r->tlog_min), NULL);
	if (r->tsa_min > 0) {
		if (ntsa < r->tsa_min) {
			rc = al_err_set(err, AL_E_VERIFY_FAILED,
					"%zu verified RFC 3161 timestamp%s; rule %s requires %zu", ntsa, ntsa == 1 ? "" : "s",
					r->name, r->tsa_min);
			return al_rec_rc(rec, AL_CK_POLICY_TIMESTAMPS, "signature", rc, err);
		}
		al_rec_check(rec, AL_CK_POLICY_TIMESTAMPS, AL_ST_PASS, "signature", NULL, "timestamps",
			     al_rec_printf(rec, "%zu", ntsa), "required", al_rec_printf(rec, "%zu", r->tsa_min), NULL);
	}
	if (r->max_age > 0) {
		char when[32];

		if (!c->item_has_time) {
			rc = al_err_set(err, AL_E_CRYPTO_TIME, "no verified signed time, so its age cannot be judged; "
					"rule %s bounds it (maxAge %llds)", r->name, (long long)r->max_age);
			return al_rec_rc(rec, AL_CK_POLICY_AGE, "signature", rc, err);
		}
		al_time_format(c->item_first_time, when);
		if (c->res->eval_time - c->item_first_time > r->max_age) {
			rc = al_err_set(err, AL_E_CRYPTO_TIME,
					"signed at %s, %lld days before the evaluation time; rule %s allows %lld days", when,
					(long long)((c->res->eval_time - c->item_first_time) / 86400), r->name,
					(long long)(r->max_age / 86400));
			return al_rec_rc(rec, AL_CK_POLICY_AGE, "signature", rc, err);
		}
		al_rec_check(rec, AL_CK_POLICY_AGE, AL_ST_PASS, "signature", NULL, "signedAt", when, NULL);
	}
	if (r->ident.type != AL_PID_ANY && kind == AL_ITEM_SIGNATURE) {
		const char *sref = c->item_signed_ref;
		bool ok = false;

		for (size_t i = 0; i < c->nnames && !ok; i++)
			ok = al_signed_identity_match(&r->ident, &c->names[i], sref);
		if (c->nnames == 0)
			ok = al_signed_identity_match(&r->ident, NULL, sref);
		if (!ok) {
			rc = al_err_set(err, AL_E_VERIFY_IDENTITY,
					"signed for docker-reference \"%.200s\", which %s does not accept for %s%.200s",
					sref[0] ? sref : "(none)", al_pol_ident_name(r->ident.type),
					c->nnames ? "the image's name " : "an image without a name",
					c->nnames ? c->names[0].full : "");
			return al_rec_rc(rec, AL_CK_POLICY_SIGNED_IDENTITY, "simple-signing payload", rc, err);
		}
		al_rec_check(rec, AL_CK_POLICY_SIGNED_IDENTITY, AL_ST_PASS, "simple-signing payload", NULL,
			     "docker-reference", sref, "rule", al_pol_ident_name(r->ident.type), NULL);
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- a subject against the rule */

typedef struct outs {
	al_outcome_line *v;
	size_t n, cap;
} outs;

static void
outcome(al_ictx *c, outs *o, const char *req, al_status st, const char *detail)
{
	al_outcome_line *l = al_vec_push(&c->res->arena, (void **)&o->v, &o->n, &o->cap, sizeof(*o->v), &c->tree.oom);

	if (l == NULL)
		return;
	l->requirement = req;
	l->status = st;
	l->detail = detail;
}

/* Kuhn's augmenting paths: authority a takes item i, displacing the item's
 * holder when it can move on. Authorities are at most
 * AL_MAX_POLICY_AUTHORITIES, so the recursion is that deep at most. */
static bool
augment(const al_subject *s, const bool *usable, size_t a, bool *seen, long *owner)
{
	for (size_t i = 0; i < s->nitems; i++) {
		if (!usable[i] || !(s->items[i].authorities & (1u << a)) || seen[i])
			continue;
		seen[i] = true;
		if (owner[i] < 0 || augment(s, usable, (size_t)owner[i], seen, owner)) {
			owner[i] = (long)a;
			return true;
		}
	}
	return false;
}

static bool
att_type_match(const char *want, const char *have)
{
	if (have == NULL)
		return false;
	if (strcmp(want, AL_PT_SLSA_ANY) == 0)
		return strcmp(have, AL_PT_SLSA_V02) == 0 || strcmp(have, AL_PT_SLSA_V1) == 0;
	return strcmp(want, have) == 0;
}

bool
al_eval_subject(al_ictx *c, al_subject *s)
{
	const al_pol_rule *r = c->rule;
	outs o = { 0 };
	bool *usable = NULL, *seen = NULL, ok = true;
	long *owner = NULL;
	size_t met = 0, n = s->nitems ? s->nitems : 1;

	usable = calloc(n, sizeof(*usable));
	seen = calloc(n, sizeof(*seen));
	owner = calloc(n, sizeof(*owner));
	if (usable == NULL || seen == NULL || owner == NULL) {
		c->tree.oom = true;
		free(usable);
		free(seen);
		free(owner);
		return false;
	}
	for (size_t i = 0; i < s->nitems; i++) {
		const al_item *it = &s->items[i];

		owner[i] = -1;
		usable[i] = it->kind != AL_ITEM_NOTE && it->status == AL_ST_PASS &&
			    (!r->signatures_only || it->kind == AL_ITEM_SIGNATURE ||
			     (it->kind == AL_ITEM_REFERRER && it->predicate_type == NULL));
	}
	for (size_t a = 0; a < r->nauth; a++) {
		const char *by = NULL;
		bool got;

		for (size_t i = 0; i < s->nitems && by == NULL; i++)
			if (usable[i] && (s->items[i].authorities & (1u << a)))
				by = s->items[i].where;
		if (r->all_of) {
			/* containers-policy.json: each requirement on its own */
			got = by != NULL;
		} else {
			/* k of n: each authority met by a signature of its own */
			memset(seen, 0, n * sizeof(*seen));
			got = augment(s, usable, a, seen, owner);
		}
		met += got;
		if (r->nauth > 1 || r->auth[a].name[0] != 'c' || strcmp(r->auth[a].name, "command line") != 0)
			outcome(c, &o, al_rec_printf(&c->tree, "authority %s", r->auth[a].name), got ? AL_ST_PASS : AL_ST_FAIL,
				got ? al_rec_printf(&c->tree, "met by %s", by) :
				      by ? "its only signatures already meet another authority" : "no signature of it verified");
	}
	if (met < r->threshold)
		ok = false;
	if (r->nauth > 1)
		outcome(c, &o, al_rec_printf(&c->tree, "%s%zu of %zu authorities", r->all_of ? "all: " : "", r->threshold,
					     r->nauth),
			met >= r->threshold ? AL_ST_PASS : AL_ST_FAIL,
			al_rec_printf(&c->tree, "%zu met%s", met, r->all_of ? "" : " by distinct signatures"));
	for (size_t t = 0; t < r->natt; t++) {
		const al_pol_att *att = &r->att[t];
		const char *by = NULL, *why = NULL;

		for (size_t i = 0; i < s->nitems && by == NULL; i++) {
			const al_item *it = &s->items[i];
			al_err e;

			if (it->status != AL_ST_PASS || !att_type_match(att->predicate_type, it->predicate_type))
				continue;
			if (att->slsa) {
				if (it->statement == NULL) {
					why = "the statement was not kept";
					continue;
				}
				al_err_clear(&e);
				if (al_slsa_check(att, al_bytes_of(it->statement, it->statement_len), &e) != AL_OK) {
					why = al_rec_printf(&c->tree, "%s: %s", it->where, e.msg);
					continue;
				}
			}
			by = it->where;
		}
		if (by == NULL)
			ok = false;
		outcome(c, &o, al_rec_printf(&c->tree, "attestation %s%s", att->predicate_type, att->slsa ? " (SLSA constraints)" : ""),
			by ? AL_ST_PASS : AL_ST_FAIL,
			by ? al_rec_printf(&c->tree, "met by %s", by) : why ? why : "no verified attestation of this type");
	}
	free(usable);
	free(seen);
	free(owner);
	s->outcomes = o.v;
	s->noutcomes = o.n;
	s->satisfied = ok;
	return ok;
}
