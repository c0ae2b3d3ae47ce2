/*
 * checks.c — the checks every Sigstore-style signature shares: the signer
 * (key or certificate), RFC 3161 timestamps, the certificate chain at the
 * verified times with its SCTs and identity, and SETs. Used for Sigstore
 * bundles and for cosign image signatures alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify/internal.h"

/* ---------------------------------------------------------------- signer */

al_rc
al_signer_from_cert(al_signer *s, al_bytes der, al_err *err)
{
	const mbedtls_x509_crt *crt;
	al_rc rc;

	memset(s, 0, sizeof(*s));
	al_pubkey_init(&s->cert_key);
	al_certs_init(&s->leaf);
	s->is_cert = true;
	s->cert_der = der;
	if ((rc = al_certs_add_der(&s->leaf, der, err)) != AL_OK)
		return al_err_prefix(err, "signing certificate");
	crt = al_certs_at(&s->leaf, 0);
	if ((rc = al_pubkey_from_spki(al_x509_spki(crt), &s->cert_key, err)) != AL_OK)
		return al_err_prefix(err, "signing certificate: public key");
	s->key = &s->cert_key;
	if ((rc = al_x509_identity_get(crt, &s->id, err)) != AL_OK)
		return al_err_prefix(err, "signing certificate");
	return AL_OK;
}

void
al_signer_free(al_signer *s)
{
	if (s == NULL || !s->is_cert)
		return;
	al_pubkey_free(&s->cert_key);
	al_certs_free(&s->leaf);
	s->is_cert = false;
}

/* ---------------------------------------------------------------- times */

static al_rc
add_time(al_vtimes *times, int64_t t, al_time_source src, const char *what, const char *uri, al_err *err)
{
	for (size_t i = 0; i < times->n; i++)
		if (times->v[i].t == t && times->v[i].src == src)
			return AL_OK;
	if (times->n == AL_MAX_VTIMES)
		return AL_OK;
	if (times->v == NULL && (times->v = calloc(AL_MAX_VTIMES, sizeof(*times->v))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	times->v[times->n].t = t;
	times->v[times->n].src = src;
	snprintf(times->v[times->n].what, sizeof(times->v[0].what), "%s", what);
	snprintf(times->v[times->n].uri, sizeof(times->v[0].uri), "%s", uri);
	times->n++;
	return AL_OK;
}

void
al_vtimes_free(al_vtimes *times)
{
	free(times->v);
	times->v = NULL;
	times->n = 0;
}

al_rc
al_eval_time_parse(const char *s, int64_t *t, al_err *err)
{
	uint32_t ns;

	if (al_rfc3339_parse(al_bytes_str(s), t, &ns, err) != AL_OK)
		return al_err_recode(err, AL_E_USAGE, "--at '%.100s'", s);
	if (*t <= 0)
		return al_err_set(err, AL_E_USAGE, "--at '%.100s': a time after 1970-01-01T00:00:00Z is needed", s);
	return AL_OK;
}

int64_t
al_eval_time(int64_t at)
{
	return at != 0 ? at : (int64_t)time(NULL);
}

al_rc
al_trust_fresh(const al_trust_set *t, int64_t now, int64_t max_age, char *age, size_t cap, al_err *err)
{
	const char *basis;
	int64_t asof = al_trust_set_as_of(t, &basis), old = now - asof;
	char when[32];

	al_time_format(asof, when);
	snprintf(age, cap, "as of %s (%lld days old; %s)", when, (long long)(old > 0 ? old / 86400 : 0), basis);
	if (max_age > 0 && old > max_age)
		return al_err_set(err, AL_E_TRUST_STALE,
				  "the trust material %s is %s, older than --max-trust-age (%lld days): update it "
				  "(airlock trust update), or give a fresher --trusted-root",
				  t->source ? t->source : "in use", age, (long long)(max_age / 86400));
	return AL_OK;
}

void
al_rekor_expect_signer(al_rekor_expect *x, const al_signer *s, al_bytes sig)
{
	memset(x, 0, sizeof(*x));
	x->sig = sig;
	if (s->is_cert)
		x->cert_der = s->cert_der;
	else
		x->spki_der = al_buf_bytes(&s->key->spki);
}

void
al_signer_describe(const al_signer *s, char *out, size_t cap)
{
	if (s->is_cert)
		snprintf(out, cap, "%.*s (issuer %.*s)", (int)(s->id.san.n > 200 ? 200 : s->id.san.n),
			 (const char *)s->id.san.p, (int)(s->id.issuer.n > 200 ? 200 : s->id.issuer.n),
			 s->id.issuer.n ? (const char *)s->id.issuer.p : "");
	else
		snprintf(out, cap, "key %s sha256:%02x%02x%02x%02x%02x%02x…", al_key_kind_name(s->key->kind),
			 s->key->spki_sha256[0], s->key->spki_sha256[1], s->key->spki_sha256[2],
			 s->key->spki_sha256[3], s->key->spki_sha256[4], s->key->spki_sha256[5]);
}

/* ---------------------------------------------------------------- SET */

al_rc
al_check_set(const al_trust_root *root, al_bytes body, int64_t integrated_time, al_bytes log_id,
	     int64_t log_index, al_bytes set, al_vtimes *times, al_err *err)
{
	const al_trust_log *log = al_trust_tlog_by_id(root, log_id);
	char when[32], what[160];
	al_rc rc;

	if (log == NULL) {
		char hex[2 * AL_HASH_MAX + 1];

		al_hex_encode(log_id.p, log_id.n > AL_HASH_MAX ? AL_HASH_MAX : log_id.n, hex);
		return al_err_set(err, AL_E_TLOG_SET, "SET is from log %s, which the trusted root does not list",
				  hex);
	}
	/* The signature first: until it verifies, integrated_time is whatever the
	 * bundle says, and no window is judged at a time nobody signed. The log
	 * is found by its ID alone, never by which key's window the time falls
	 * in, so a forged time cannot pick a key. */
	rc = al_set_verify(&log->key, body, integrated_time, log_id, log_index, set, err);
	if (rc != AL_OK)
		return al_err_prefix(err, "log %s", (const char *)log->host.p);
	al_time_format(integrated_time, when);
	if (!al_validity_contains(&log->valid_for, integrated_time))
		return al_err_set(err, AL_E_TLOG_SET,
				  "SET-verified integratedTime %s is outside the validity of log %s's key in the "
				  "trusted root", when, (const char *)log->host.p);
	snprintf(what, sizeof(what), "Rekor SET integratedTime, log %s", (const char *)log->host.p);
	return add_time(times, integrated_time, AL_TIME_SET, what, (const char *)log->host.p, err);
}

/* ---------------------------------------------------------------- RFC 3161 */

/*
 * A CA or TSA of the trust root as the two lists a path is built from:
 * chain, the leaf (when one is given) and then every certificate of the
 * entry but its last, and anchor, the last. The one builder of these lists:
 * the TSA check, the chain check and the SCT check (which needs the issuer
 * of the verified path, so the lists live as long as the path) share it.
 */
typedef struct ca_path {
	const al_trust_ca *ca;
	al_certs chain, anchor;
	al_x509_path path;        /* after a verification through the lists */
} ca_path;

static void
ca_path_free(ca_path *p)
{
	al_certs_free(&p->chain);
	al_certs_free(&p->anchor);
}

/* Builds p's lists for ca (leaf.p NULL: none). On error both are freed and
 * *bad is the index in ca->certs of the certificate that failed (SIZE_MAX:
 * the leaf). */
static al_rc
ca_path_lists(const al_trust_ca *ca, al_bytes leaf, ca_path *p, size_t *bad, al_err *err)
{
	al_rc rc = AL_OK;

	memset(&p->path, 0, sizeof(p->path));
	p->ca = ca;
	al_certs_init(&p->chain);
	al_certs_init(&p->anchor);
	*bad = SIZE_MAX;
	if (leaf.p != NULL)
		rc = al_certs_add_der(&p->chain, leaf, err);
	for (size_t i = 0; rc == AL_OK && i + 1 < ca->ncerts; i++)
		if ((rc = al_certs_add_der(&p->chain, al_buf_bytes(&ca->certs[i]), err)) != AL_OK)
			*bad = i;
	if (rc == AL_OK &&
	    (rc = al_certs_add_der(&p->anchor, al_buf_bytes(&ca->certs[ca->ncerts - 1]), err)) != AL_OK)
		*bad = ca->ncerts - 1;
	if (rc != AL_OK)
		ca_path_free(p);
	return rc;
}

static const char *
ca_name(const al_trust_ca *ca)
{
	if (ca == NULL)
		return "(none)";
	if (ca->uri.n)
		return (const char *)ca->uri.p;
	if (ca->common_name.n)
		return (const char *)ca->common_name.p;
	return "(unnamed)";
}

al_rc
al_check_timestamps(const al_trust_root *root, const al_buf *ts, size_t nts, al_bytes sig,
		    al_vtimes *times, al_rec *rec, al_err *err)
{
	for (size_t i = 0; i < nts; i++) {
		al_err last;
		bool ok = false;

		al_err_clear(&last);
		al_err_set(&last, AL_E_CRYPTO_TSA, "the trusted root lists no timestamp authority");
		for (size_t k = 0; k < root->ntsas && !ok; k++) {
			const al_trust_ca *tsa = &root->tsas[k];
			ca_path cp;
			al_timestamp tv;
			size_t bad;
			al_rc rc;

			if (tsa->ncerts == 0)
				continue;
			if (ca_path_lists(tsa, al_bytes_of(NULL, 0), &cp, &bad, err) != AL_OK)
				return bad == tsa->ncerts - 1
					       ? al_err_recode(err, AL_E_TRUST_INVALID, "trusted root: anchor certificate")
					       : al_err_recode(err, AL_E_TRUST_INVALID, "trusted root: certificate %zu", bad);
			rc = al_tsa_verify(al_buf_bytes(&ts[i]), sig, &cp.chain, &cp.anchor, &tv, &last);
			ca_path_free(&cp);
			if (rc != AL_OK) {
				al_err_prefix(&last, "TSA %s", ca_name(tsa));
				continue;
			}
			if (!al_validity_contains_ns(&tsa->valid_for, tv.gen_time, tv.gen_time_ns)) {
				char when[32];

				al_time_format(tv.gen_time, when);
				al_err_set(&last, AL_E_CRYPTO_TSA,
					   "TSA %s: genTime %s is outside the TSA's validFor in the trusted root",
					   ca_name(tsa), when);
				continue;
			}
			{
				char what[160], when[32];

				snprintf(what, sizeof(what), "RFC 3161 genTime, TSA %s", ca_name(tsa));
				if ((rc = add_time(times, tv.gen_time, AL_TIME_TSA, what, ca_name(tsa), err)) != AL_OK)
					return rc;
				al_time_format(tv.gen_time, when);
				al_rec_check(rec, AL_CK_TIMESTAMP_RFC3161, AL_ST_PASS, al_rec_printf(rec, "timestamp %zu", i),
					     NULL, "tsa", ca_name(tsa), "genTime", when, NULL);
			}
			ok = true;
		}
		if (!ok) {
			al_rc rc = last.code == AL_OK ? AL_E_CRYPTO_TSA : last.code;

			al_err_prefix(&last, "RFC 3161 timestamp %zu: no trusted TSA verifies it", i);
			al_rec_rc(rec, AL_CK_TIMESTAMP_RFC3161, al_rec_printf(rec, "timestamp %zu", i), rc, &last);
			if (err)
				*err = last;
			return rc;
		}
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- certificate */

/* The leaf chains to some trusted CA whose validFor contains t, at time t.
 * On success p holds that CA, its lists and the verified path; on failure
 * p is empty (ca NULL). Either way ca_path_free may be called. */
static al_rc
chain_at(const al_trust_root *root, const al_signer *s, int64_t t, ca_path *p, al_err *err)
{
	static const al_x509_opts opts = { AL_EKU_CODE_SIGNING, false };
	size_t pos = 0, bad;
	const al_trust_ca *ca;
	al_err last;
	char when[32];

	memset(p, 0, sizeof(*p));
	al_certs_init(&p->chain);
	al_certs_init(&p->anchor);
	al_time_format(t, when);
	al_err_clear(&last);
	al_err_set(&last, AL_E_CRYPTO_CERT, "no certificate authority in the trusted root is valid at %s", when);
	while ((ca = al_trust_ca_at(root, t, &pos)) != NULL) {
		if (ca->ncerts == 0)
			continue;
		if (ca_path_lists(ca, s->cert_der, p, &bad, err) != AL_OK) {
			p->ca = NULL;
			return al_err_prefix(err, "CA %s", ca_name(ca));
		}
		if (al_x509_verify_at(&p->chain, &p->anchor, t, &opts, &p->path, &last) == AL_OK)
			return AL_OK;
		ca_path_free(p);
		p->ca = NULL;
		al_err_prefix(&last, "CA %s", ca_name(ca));
	}
	if (err)
		*err = last;
	al_err_prefix(err, "signing certificate at %s", when);
	return last.code;
}

/* The leaf's SCTs against the trust root's CT logs, with the issuer of a
 * path chain_at verified. */
static al_rc
check_sct(const al_trust_root *root, const ca_path *p, al_err *err)
{
	al_ct_log logs[AL_MAX_TRUST_ENTRIES];
	size_t nlogs = 0;
	al_rc rc;

	for (size_t i = 0; i < root->nctlogs && nlogs < AL_ARRAY_LEN(logs); i++) {
		const al_trust_log *l = &root->ctlogs[i];

		if (l->log_id.n != 32)
			continue;
		memcpy(logs[nlogs].log_id, l->log_id.p, 32);
		logs[nlogs].key = &l->key;
		logs[nlogs].not_before = l->valid_for.has_start ? l->valid_for.start : INT64_MIN;
		logs[nlogs].not_after = l->valid_for.has_end ? l->valid_for.end : INT64_MAX;
		nlogs++;
	}
	if (p->path.n < 2)
		rc = al_err_set(err, AL_E_CRYPTO_SCT, "signing certificate has no issuer in its path");
	else
		rc = al_sct_verify(p->path.crt[0], p->path.crt[1], logs, nlogs, 1, NULL, err);
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "signing certificate");
}

al_rc
al_check_certificate(const al_trust_root *root, const al_signer *s, const al_vtimes *times,
		     const al_identity_policy *idp, al_rec *rec, al_err *err)
{
	ca_path first = { 0 }, other; /* zeroed lists are empty ones */
	int64_t nb, na;
	char a[32], b[32];
	al_rc rc;

	if (!s->is_cert)
		return AL_OK;
	al_x509_validity(al_certs_at(&s->leaf, 0), &nb, &na);
	al_time_format(nb, a);
	al_time_format(na, b);
	if (times->n == 0) {
		rc = al_err_set(err, AL_E_CRYPTO_TIME,
				"no verified time to judge the signing certificate at: the bundle has no "
				"verified SET and no verified RFC 3161 timestamp");
		return al_rec_rc(rec, AL_CK_CERTIFICATE_VALIDITY, "signing certificate", rc, err);
	}
	/* the path at the first verified time is kept for the SCT check */
	for (size_t i = 0; i < times->n; i++) {
		ca_path *cp = i == 0 ? &first : &other;
		char when[32];

		al_time_format(times->v[i].t, when);
		if (times->v[i].t < nb || times->v[i].t > na) {
			rc = al_err_set(err, AL_E_CRYPTO_TIME, "signing certificate is valid %s to %s, but was used at %s (%s)",
					a, b, when, times->v[i].what);
			rc = al_rec_rc(rec, AL_CK_CERTIFICATE_VALIDITY, "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(rec, AL_CK_CERTIFICATE_VALIDITY, AL_ST_PASS, "signing certificate", NULL, "notBefore", a,
			     "notAfter", b, "at", when, "timeSource", times->v[i].what, NULL);
		if ((rc = chain_at(root, s, times->v[i].t, cp, err)) != AL_OK) {
			rc = al_rec_rc(rec, AL_CK_CERTIFICATE_CHAIN, "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(rec, AL_CK_CERTIFICATE_CHAIN, AL_ST_PASS, "signing certificate", NULL, "ca",
			     ca_name(cp->ca), "at", when, NULL);
		if (i > 0)
			ca_path_free(cp);
	}
	/* a root with no CT log (GitHub's instance) issues certificates that
	 * no CT log saw: there is nothing to hold an SCT against (docs/trust.md §5) */
	if (root->nctlogs == 0 && !(idp != NULL && idp->ignore_sct)) {
		/* nothing to hold an SCT against, and the policy asks for one
		 * (docs/policy.md §4.5): the relaxation must be said */
		ca_path_free(&first);
		return al_rec_rc(rec, AL_CK_CERTIFICATE_SCT, "signing certificate",
				 al_err_set(err, AL_E_CRYPTO_SCT, "the trusted root lists no CT log, and the policy "
					    "requires an SCT"),
				 err);
	} else if (root->nctlogs == 0) {
		ca_path_free(&first);
		al_rec_check(rec, AL_CK_CERTIFICATE_SCT, AL_ST_WARN, "signing certificate",
			     "RELAXED (insecure-ignore-sct): the trusted root lists no CT log; no SCT was required", NULL);
	} else if (idp != NULL && idp->ignore_sct) {
		ca_path_free(&first);
		al_rec_check(rec, AL_CK_CERTIFICATE_SCT, AL_ST_WARN, "signing certificate",
			     "RELAXED (insecure-ignore-sct): the certificate's SCT was not checked", NULL);
	} else {
		rc = check_sct(root, &first, err);
		ca_path_free(&first);
		if (rc != AL_OK)
			return al_rec_rc(rec, AL_CK_CERTIFICATE_SCT, "signing certificate", rc, err);
		al_rec_check(rec, AL_CK_CERTIFICATE_SCT, AL_ST_PASS, "signing certificate", NULL, NULL);
	}
	if (idp != NULL) {
		rc = al_identity_match(idp, s->id.san, s->id.issuer, err);
		if (rc != AL_OK)
			return al_rec_rc(rec, AL_CK_CERTIFICATE_IDENTITY, "signing certificate", rc, err);
		al_rec_check(rec, AL_CK_CERTIFICATE_IDENTITY, AL_ST_PASS, "signing certificate", NULL, "identity",
			     al_rec_printf(rec, "%.*s", (int)s->id.san.n, (const char *)s->id.san.p), "issuer",
			     al_rec_printf(rec, "%.*s", (int)s->id.issuer.n, (const char *)s->id.issuer.p), NULL);
		if (idp->next > 0) {
			rc = al_extensions_match(idp, al_certs_at(&s->leaf, 0), err);
			if (rc != AL_OK)
				return al_rec_rc(rec, AL_CK_CERTIFICATE_EXTENSIONS, "signing certificate", rc, err);
			al_rec_check(rec, AL_CK_CERTIFICATE_EXTENSIONS, AL_ST_PASS, "signing certificate", NULL,
				     "matched", al_rec_printf(rec, "%zu", idp->next), NULL);
		}
	}
	return AL_OK;
out:
	ca_path_free(&first);
	return rc;
}

/* ---------------------------------------------------------------- several trusted roots */

/* Whether a failed attempt failed only because its root lacks the material
 * to judge the signature (al_under_roots, internal.h). */
static bool
unvouched(const al_rec *r)
{
	const al_check *last = r->n ? &r->v[r->n - 1] : NULL;

	if (r->unlisted)
		return true;
	return last != NULL && last->status == AL_ST_FAIL &&
	       (strcmp(last->name, AL_CK_CERTIFICATE_CHAIN) == 0 || strcmp(last->name, AL_CK_TLOG_TRUSTED) == 0);
}

al_rc
al_under_roots(const al_trust_set *set, al_root_fn fn, void *arg, al_rec *rec, size_t *which, al_err *err)
{
	al_rec first = { .arena = rec->arena };
	al_err first_err;
	al_rc first_rc = AL_E_INTERNAL;

	al_err_clear(&first_err);
	*which = 0;
	for (size_t k = 0; k < set->n; k++) {
		al_rec r = { .arena = rec->arena };
		al_rc rc = fn(&set->roots[k], arg, &r, err);

		if (rc == AL_OK || set->n == 1 || !unvouched(&r)) {
			r.oom |= first.oom;
			*rec = r;
			*which = k;
			return rc;
		}
		if (k == 0) {
			first = r;
			if (err != NULL)
				first_err = *err;
			first_rc = rc;
		}
	}
	*rec = first;
	if (err != NULL)
		*err = first_err;
	return first_rc;
}
