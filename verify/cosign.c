/*
 * cosign.c — one signature, attestation or referrer bundle of a subject,
 * under the operator's policy: cosign simple signing (payload binding,
 * signature, Rekor SET annotation, RFC 3161 annotation, certificate or
 * private PKI), cosign DSSE attestations, and OCI 1.1 referrer Sigstore
 * bundles. Every step is recorded in the item's checks (c->rec); the order
 * is docs/verification.md §4.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "verify/internal.h"

#define ANN_SIG "dev.cosignproject.cosign/signature"
#define ANN_CERT "dev.sigstore.cosign/certificate"
#define ANN_CHAIN "dev.sigstore.cosign/chain"
#define ANN_BUNDLE "dev.sigstore.cosign/bundle"
#define ANN_TSA "dev.sigstore.cosign/rfc3161timestamp"

/* ---------------------------------------------------------------- shared pieces */

/* What a signature that verified established, for the rule's evidence
 * requirements (image.c): its earliest verified signed time. */
static void
note_times(al_ictx *c, const al_vtimes *times)
{
	for (size_t i = 0; i < times->n; i++) {
		if (!c->item_has_time || times->v[i].t < c->item_first_time)
			c->item_first_time = times->v[i].t;
		c->item_has_time = true;
	}
}

/* The SET annotation ({"SignedEntryTimestamp","Payload":{body,integratedTime,
 * logIndex,logID}}): the SET verifies under a trusted log, and the body logs
 * what this signature carries. */
static al_rc
check_set_annotation(al_ictx *c, const char *json, const al_rekor_expect *x, al_vtimes *times, char *what,
		     size_t cap, al_rekor_body *claim, al_err *err)
{
	al_json *j = NULL;
	const al_json *p;
	al_buf set = { 0 }, body = { 0 }, logid = { 0 };
	al_bytes logid_hex, kind, ver;
	al_json *bj = NULL;
	int64_t it = 0, idx = 0;
	al_rekor_body rb;
	al_rc rc;

	memset(&rb, 0, sizeof(rb));
	if ((rc = al_json_parse(al_bytes_str(json), &j, err)) != AL_OK)
		goto out;
	if ((rc = al_json_get_b64(j, ANN_BUNDLE, "SignedEntryTimestamp", true, &set, err)) != AL_OK ||
	    (rc = al_json_get_obj(j, ANN_BUNDLE, "Payload", true, &p, err)) != AL_OK ||
	    (rc = al_json_get_b64(p, ANN_BUNDLE ".Payload", "body", true, &body, err)) != AL_OK ||
	    (rc = al_json_get_i64(p, ANN_BUNDLE ".Payload", "integratedTime", true, &it, NULL, err)) != AL_OK ||
	    (rc = al_json_get_i64(p, ANN_BUNDLE ".Payload", "logIndex", true, &idx, NULL, err)) != AL_OK ||
	    (rc = al_json_get_str(p, ANN_BUNDLE ".Payload", "logID", true, &logid_hex, err)) != AL_OK)
		goto out;
	if (logid_hex.n == 0 || logid_hex.n % 2 || logid_hex.n > 2 * AL_HASH_MAX) {
		rc = al_err_set(err, AL_E_JSON, ANN_BUNDLE ".Payload.logID: not a hex log ID");
		goto out;
	}
	if ((rc = al_buf_reserve(&logid, logid_hex.n / 2, err)) != AL_OK)
		goto out;
	if ((rc = al_hex_decode(logid_hex, logid.p, logid_hex.n / 2, err)) != AL_OK)
		goto out;
	logid.n = logid_hex.n / 2;
	/* another trusted root may list the log (al_under_roots) */
	if (al_trust_tlog_by_id(c->root, al_buf_bytes(&logid)) == NULL)
		c->rec->unlisted = true;
	rc = al_check_set(c->root, al_buf_bytes(&body), it, al_buf_bytes(&logid), idx, al_buf_bytes(&set), times,
			  err);
	if (rc != AL_OK)
		goto out;
	/* the body says its own kind; al_rekor_body_parse checks it again */
	if ((rc = al_json_parse(al_buf_bytes(&body), &bj, err)) != AL_OK ||
	    (rc = al_json_get_str(bj, "body", "kind", true, &kind, err)) != AL_OK ||
	    (rc = al_json_get_str(bj, "body", "apiVersion", true, &ver, err)) != AL_OK)
		goto out;
	if ((rc = al_rekor_body_parse(al_buf_bytes(&body), kind, ver, &rb, err)) != AL_OK)
		goto out;
	if (claim != NULL) {
		/* only who the log says signed: the caller judges the claim */
		*claim = rb;
		memset(&rb, 0, sizeof(rb));
		goto out;
	}
	if ((rc = al_rekor_body_matches(&rb, x, err)) != AL_OK)
		goto out;
	{
		char when[32];

		const al_trust_log *log = al_trust_tlog_by_id(c->root, al_buf_bytes(&logid));

		/* which log, for a rule that names the logs it accepts */
		snprintf(c->item_set_log, sizeof(c->item_set_log), "%s", log ? (const char *)log->host.p : "");
		al_time_format(it, when);
		snprintf(what, cap, "Rekor %.*s/%.*s entry %lld, SET verified, integrated %s", (int)kind.n,
			 (const char *)kind.p, (int)ver.n, (const char *)ver.p, (long long)idx, when);
	}
out:
	if (rc != AL_OK)
		al_err_prefix(err, "Rekor bundle annotation");
	al_rekor_body_free(&rb);
	al_json_free(bj);
	al_json_free(j);
	al_buf_free(&set);
	al_buf_free(&body);
	al_buf_free(&logid);
	return rc;
}

static al_rc
check_tsa_annotation(al_ictx *c, const char *json, al_bytes stamped, al_vtimes *times, al_err *err)
{
	al_json *j = NULL;
	al_buf ts = { 0 };
	al_rc rc;

	if ((rc = al_json_parse(al_bytes_str(json), &j, err)) == AL_OK &&
	    (rc = al_json_get_b64(j, ANN_TSA, "SignedRFC3161Timestamp", true, &ts, err)) == AL_OK)
		rc = al_check_timestamps(c->root, &ts, 1, stamped, times, c->rec, err);
	al_json_free(j);
	al_buf_free(&ts);
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "RFC 3161 annotation");
}

/* Certificate mode with a private PKI (--ca-roots): the leaf chains through
 * the carried chain and --ca-intermediates to --ca-roots, at every verified
 * time — or, when the signature carries no verified time, at the wall
 * clock, which --ca-roots asks for (said in the report). */
static al_rc
check_pki(al_ictx *c, const al_signer *s, const char *chain_pem, const al_vtimes *times, char *when_src,
	  size_t cap, al_err *err)
{
	static const al_x509_opts opts = { AL_EKU_CODE_SIGNING_IF_PRESENT, true };
	al_certs chain;
	const mbedtls_x509_crt *crt;
	al_rc rc;
	int64_t ts[AL_MAX_VTIMES];
	size_t nt = 0;

	al_certs_init(&chain);
	if ((rc = al_certs_add_der(&chain, s->cert_der, err)) != AL_OK)
		goto out;
	if (chain_pem) {
		/* the annotation carries intermediates and, as cosign writes it, the
		 * root: roots come only from --ca-roots, so self-signed ones are dropped */
		al_certs carried;

		al_certs_init(&carried);
		rc = al_certs_add_pem(&carried, al_bytes_str(chain_pem), err);
		for (size_t i = 0; rc == AL_OK && (crt = al_certs_at(&carried, i)) != NULL; i++) {
			if (al_x509_self_signed(crt))
				continue;
			rc = al_certs_add_der(&chain, al_x509_der(crt), err);
		}
		al_certs_free(&carried);
		if (rc != AL_OK) {
			al_err_prefix(err, "certificate chain annotation");
			goto out;
		}
	}
	for (size_t i = 0; (crt = al_certs_at(&c->au->pki_inter, i)) != NULL; i++)
		if ((rc = al_certs_add_der(&chain, al_x509_der(crt), err)) != AL_OK)
			goto out;
	for (size_t i = 0; i < times->n; i++)
		ts[nt++] = times->v[i].t;
	if (nt == 0) {
		ts[nt++] = c->res->eval_time;
		snprintf(when_src, cap, "%s (no signed time; private PKI)", c->o->at ? "--at" : "wall clock");
	}
	for (size_t i = 0; i < nt; i++) {
		char when[32];

		al_time_format(ts[i], when);
		if ((rc = al_x509_verify_at(&chain, &c->au->pki_roots, ts[i], &opts, NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, AL_CK_PKI_CHAIN, "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(c->rec, AL_CK_PKI_CHAIN, AL_ST_PASS, "signing certificate", NULL, "roots", c->au->ca_label,
			     "at", when, "timeSource", times->n ? times->v[i].what : when_src, NULL);
	}
	if (c->au->have_idp) {
		/* a private certificate may carry no OIDC issuer: a policy that
		 * names none does not judge it (al_identity_match) */
		if ((rc = al_identity_match(&c->au->idp, s->id.san, s->id.issuer, err)) != AL_OK) {
			al_rec_rc(c->rec, AL_CK_CERTIFICATE_IDENTITY, "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(c->rec, AL_CK_CERTIFICATE_IDENTITY, AL_ST_PASS, "signing certificate", NULL, "identity",
			     al_rec_printf(c->rec, "%.*s", (int)s->id.san.n, (const char *)s->id.san.p), NULL);
		if (c->au->idp.next > 0) {
			if ((rc = al_extensions_match(&c->au->idp, al_certs_at(&s->leaf, 0), err)) != AL_OK) {
				al_rec_rc(c->rec, AL_CK_CERTIFICATE_EXTENSIONS, "signing certificate", rc, err);
				goto out;
			}
			al_rec_check(c->rec, AL_CK_CERTIFICATE_EXTENSIONS, AL_ST_PASS, "signing certificate", NULL,
				     "matched", al_rec_printf(c->rec, "%zu", c->au->idp.next), NULL);
		}
	}
	{
		/* containers-policy.json pki: subjectEmail, subjectHostname among the SANs */
		const al_pol_authority *pa = c->au->pa;
		const struct {
			const char *want, *what;
			al_san_kind kind;
		} subj[] = { { pa ? pa->subject_email : NULL, "email", AL_SAN_EMAIL },
			     { pa ? pa->subject_hostname : NULL, "DNS name", AL_SAN_DNS },
			     { pa ? pa->subject_uri : NULL, "URI", AL_SAN_URI } };

		for (size_t i = 0; i < AL_ARRAY_LEN(subj); i++) {
			bool found = false;

			if (subj[i].want == NULL)
				continue;
			if ((rc = al_x509_has_san(al_certs_at(&s->leaf, 0), subj[i].kind, al_bytes_str(subj[i].want), &found,
						  err)) == AL_OK &&
			    !found)
				rc = al_err_set(err, AL_E_VERIFY_IDENTITY, "the certificate has no %s SAN \"%s\"",
						subj[i].what, subj[i].want);
			if (rc != AL_OK) {
				al_rec_rc(c->rec, AL_CK_CERTIFICATE_IDENTITY, "signing certificate", rc, err);
				goto out;
			}
			al_rec_check(c->rec, AL_CK_CERTIFICATE_IDENTITY, AL_ST_PASS, "signing certificate", NULL,
				     subj[i].what, subj[i].want, NULL);
		}
	}
out:
	al_certs_free(&chain);
	return rc;
}

/* The signer of one signature: a key (key mode: the first key under which
 * fn succeeds) or the certificate the signature carries. arg is fn's own
 * state, which fn may update (dsse_verify records the signature that
 * verified). */
typedef al_rc (*sig_check_fn)(const al_pubkey *k, void *arg, al_err *err);

static al_rc
choose_signer(al_ictx *c, const char *cert_pem, sig_check_fn fn, void *arg, al_signer *s, al_err *err)
{
	al_rc rc = AL_E_CRYPTO_SIG;

	memset(s, 0, sizeof(*s));
	if (c->au->nkeys > 0) {
		al_err last;

		al_err_clear(&last);
		for (size_t i = 0; i < c->au->nkeys; i++) {
			if ((rc = fn(&c->au->keys[i], arg, &last)) == AL_OK) {
				s->key = &c->au->keys[i];
				return AL_OK;
			}
		}
		if (err)
			*err = last;
		/* no key of the policy verifies it: someone else's signature (or
		 * a broken one: without the signer's key the two look alike) */
		return al_err_recode(err, AL_E_VERIFY_NOTSIGNER, "not signed by %s",
				     c->au->nkeys == 1 ? "the given key" : "any given key");
	}
	if (cert_pem == NULL)
		return al_err_set(err, AL_E_VERIFY_POLICY,
				  "signed with a key, not a certificate: verify with --key");
	{
		al_buf der = { 0 };

		rc = al_pem_one(al_bytes_str(cert_pem), "CERTIFICATE", &der, err);
		if (rc == AL_OK)
			rc = al_signer_from_cert(s, al_buf_bytes(&der), err);
		if (rc == AL_OK) {
			/* s->cert_der points into der: keep a private copy alive in the signer */
			s->cert_der = al_x509_der(al_certs_at(&s->leaf, 0));
		}
		al_buf_free(&der);
		if (rc != AL_OK)
			return al_err_prefix(err, "certificate annotation");
	}
	return fn(s->key, arg, err);
}

/*
 * Key mode, when no given key verifies a signature: is it someone else's, or
 * a broken one of ours? Only a claim can tell. The signature's Rekor SET
 * annotation, once its SET verifies under a trusted log, says which key or
 * certificate the log saw sign: one of the given keys makes it a signature
 * that claims the policy and does not verify (FAILED); anything else is
 * another signer's (not accepted by policy). Without a verified claim it
 * stays "not signed by the given key", which is all that is known.
 */
static al_rc
judge_claim(al_ictx *c, const char *set, al_rc rc, al_err *err)
{
	al_rekor_body rb;
	al_vtimes scratch;
	al_err e;
	char what[256];

	if (rc != AL_E_VERIFY_NOTSIGNER || set == NULL)
		return rc;
	memset(&rb, 0, sizeof(rb));
	memset(&scratch, 0, sizeof(scratch));
	if (check_set_annotation(c, set, NULL, &scratch, what, sizeof(what), &rb, &e) == AL_OK && rb.nsigs > 0) {
		const al_rekor_sig *rs = &rb.sigs[0];
		bool ours = false;

		for (size_t i = 0; i < c->au->nkeys && rs->form != AL_RV_PEM_CERT && rs->form != AL_RV_X509; i++)
			ours |= al_bytes_eq(al_buf_bytes(&rs->der), al_buf_bytes(&c->au->keys[i].spki));
		if (ours) {
			rc = al_err_recode(err, AL_E_CRYPTO_SIG,
					   "its verified Rekor entry names the given key as the signer, yet the "
					   "signature does not verify");
		} else {
			uint8_t h[32];

			al_sha256(al_buf_bytes(&rs->der), h);
			bool cert = rs->form == AL_RV_PEM_CERT || rs->form == AL_RV_X509;

			al_err_prefix(err, "signed %s (its verified Rekor entry names %s sha256:%02x%02x%02x%02x%02x%02x…)",
				      cert ? "with a certificate" : "by another key", cert ? "certificate" : "key", h[0],
				      h[1], h[2], h[3], h[4], h[5]);
		}
	}
	al_vtimes_free(&scratch);
	al_rekor_body_free(&rb);
	return rc;
}

/* Certificate mode after the signature: times, chain, SCT, identity. */
static al_rc
check_signer(al_ictx *c, const al_signer *s, const char *chain_pem, al_vtimes *times, char *timesrc, size_t cap,
	     al_err *err)
{
	if (!s->is_cert)
		return AL_OK;
	if (c->au->pki)
		return check_pki(c, s, chain_pem, times, timesrc, cap, err);
	return al_check_certificate(c->root, s, times, &c->au->idp, c->rec, err);
}

/* ---------------------------------------------------------------- simple signing */

typedef struct simplesig_arg {
	al_bytes payload;
	al_bytes sig;
} simplesig_arg;

static al_rc
simplesig_verify(const al_pubkey *k, void *arg, al_err *err)
{
	const simplesig_arg *a = arg;

	return al_sig_verify(k, AL_HASH_NONE, a->payload, a->sig, err);
}

al_rc
al_simplesig_check_payload(al_bytes payload, const al_oci_digest *subject, char *ref, size_t cap, al_err *err)
{
	al_json *j = NULL;
	const al_json *crit, *img, *ident;
	al_bytes dmd, type, dref;
	al_oci_digest d;
	al_rc rc;

	ref[0] = '\0';
	if ((rc = al_json_parse(payload, &j, err)) != AL_OK)
		return al_err_prefix(err, "simple-signing payload");
	if ((rc = al_json_get_obj(j, "", "critical", true, &crit, err)) != AL_OK ||
	    (rc = al_json_get_obj(crit, "critical", "image", true, &img, err)) != AL_OK ||
	    (rc = al_json_get_str(img, "critical.image", "docker-manifest-digest", true, &dmd, err)) != AL_OK ||
	    (rc = al_json_get_str(crit, "critical", "type", true, &type, err)) != AL_OK ||
	    (rc = al_json_get_obj(crit, "critical", "identity", false, &ident, err)) != AL_OK)
		goto out;
	if (!al_bytes_eq_str(type, "cosign container image signature") &&
	    !al_bytes_eq_str(type, "atomic container signature")) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "critical.type \"%.*s\" is not a container image signature",
				(int)(type.n > 100 ? 100 : type.n), (const char *)type.p);
		goto out;
	}
	if ((rc = al_oci_digest_parse(dmd, &d, err)) != AL_OK)
		goto out;
	if (!al_oci_digest_eq(&d, subject)) {
		char want[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(subject, want);
		rc = al_err_set(err, AL_E_CRYPTO_DIGEST,
				"signed for another image: docker-manifest-digest %.*s, this image is %s",
				(int)dmd.n, (const char *)dmd.p, want);
		goto out;
	}
	if (ident && al_json_get_str(ident, "critical.identity", "docker-reference", false, &dref, NULL) == AL_OK &&
	    dref.p)
		snprintf(ref, cap, "%.*s", (int)(dref.n > 200 ? 200 : dref.n), (const char *)dref.p);
out:
	al_json_free(j);
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "simple-signing payload");
}

/* The annotations cosign writes on a signature or attestation layer. */
typedef struct cosign_ann {
	const char *sig, *cert, *chain, *set, *tsa;
} cosign_ann;

static cosign_ann
ann_of(const al_oci_kv *ann, size_t nann)
{
	return (cosign_ann){ al_oci_annotation(ann, nann, ANN_SIG), al_oci_annotation(ann, nann, ANN_CERT),
			     al_oci_annotation(ann, nann, ANN_CHAIN), al_oci_annotation(ann, nann, ANN_BUNDLE),
			     al_oci_annotation(ann, nann, ANN_TSA) };
}

al_rc
al_verify_simplesig(al_ictx *c, const al_oci_digest *subject, al_bytes payload, const al_oci_kv *ann, size_t nann,
		 char *what, size_t cap, al_err *err)
{
	const cosign_ann an = ann_of(ann, nann);
	al_buf sig = { 0 };
	simplesig_arg arg;
	al_signer s;
	al_vtimes times;
	char ref[256], setwhat[256] = "", timesrc[128] = "", who[512];
	al_rc rc = AL_OK;

	memset(&s, 0, sizeof(s));
	memset(&times, 0, sizeof(times));
	if (an.sig == NULL || an.sig[0] == '\0')
		return al_err_set(err, AL_E_VERIFY_FAILED, "no %s annotation", ANN_SIG);
	{
		/* Go's base64 decoder skips CR and LF, and some cosign flows wrap the
		 * annotation at 76 columns: unwrap, then decode strictly */
		al_buf flat = { 0 };

		for (const char *p = an.sig; *p && rc == AL_OK; p++)
			if (*p != '\n' && *p != '\r')
				rc = al_buf_append(&flat, p, 1, err);
		if (rc == AL_OK)
			rc = al_b64_decode(al_buf_bytes(&flat), false, &sig, err);
		al_buf_free(&flat);
		if (rc != AL_OK) {
			al_buf_free(&sig);
			return al_rec_rc(c->rec, AL_CK_SIGNATURE_ENCODING, ANN_SIG,
					 al_err_recode(err, AL_E_VERIFY_FAILED, "%s annotation", ANN_SIG), err);
		}
	}
	if ((rc = al_simplesig_check_payload(payload, subject, ref, sizeof(ref), err)) != AL_OK) {
		al_rec_rc(c->rec, AL_CK_PAYLOAD_BINDING, "simple-signing payload", rc, err);
		goto out;
	}
	{
		char want[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(subject, want);
		al_rec_check(c->rec, AL_CK_PAYLOAD_BINDING, AL_ST_PASS, "simple-signing payload", NULL,
			     "docker-manifest-digest", want, "docker-reference", ref, NULL);
	}
	arg.payload = payload;
	arg.sig = al_buf_bytes(&sig);
	if ((rc = choose_signer(c, c->au->nkeys ? NULL : an.cert, simplesig_verify, &arg, &s, err)) != AL_OK) {
		rc = judge_claim(c, an.set, rc, err);
		al_rec_rc(c->rec, AL_CK_SIGNATURE, "simple-signing payload", rc, err);
		goto out;
	}
	al_signer_describe(&s, who, sizeof(who));
	al_rec_check(c->rec, AL_CK_SIGNATURE, AL_ST_PASS, "simple-signing payload", NULL, "signer", who, NULL);
	if (an.set) {
		al_rekor_expect x;
		uint8_t d[32];

		al_sha256(payload, d);
		al_rekor_expect_signer(&x, &s, al_buf_bytes(&sig));
		x.digest_alg = AL_HASH_SHA256;
		x.digest = al_bytes_of(d, 32);
		if ((rc = check_set_annotation(c, an.set, &x, &times, setwhat, sizeof(setwhat), NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, AL_CK_TLOG_SET, ANN_BUNDLE, rc, err);
			goto out;
		}
		al_rec_check(c->rec, AL_CK_TLOG_SET, AL_ST_PASS, ANN_BUNDLE, NULL, "entry", setwhat, "log", c->item_set_log,
			     NULL);
	}
	if (an.tsa && (rc = check_tsa_annotation(c, an.tsa, al_buf_bytes(&sig), &times, err)) != AL_OK)
		goto out;
	if ((rc = check_signer(c, &s, an.chain, &times, timesrc, sizeof(timesrc), err)) != AL_OK)
		goto out;
	note_times(c, &times);
	snprintf(c->item_signed_ref, sizeof(c->item_signed_ref), "%s", ref);
	snprintf(what, cap, "signed by %s%s%s%s%s%s%s", who, ref[0] ? "; docker-reference " : "", ref,
		 setwhat[0] ? "; " : (s.is_cert ? "" : "; no Rekor entry"), setwhat,
		 timesrc[0] ? "; time: " : "", timesrc);
out:
	al_vtimes_free(&times);
	al_signer_free(&s);
	al_buf_free(&sig);
	return rc;
}

/* ---------------------------------------------------------------- attestations */

typedef struct dsse_arg {
	al_bytes pae;
	const al_dsse_envelope *env;
	size_t which;            /* out: the signature that verified */
} dsse_arg;

static al_rc
dsse_verify(const al_pubkey *k, void *arg, al_err *err)
{
	dsse_arg *a = arg;
	al_rc rc = AL_E_CRYPTO_SIG;

	for (size_t i = 0; i < a->env->nsigs; i++) {
		if ((rc = al_sig_verify(k, AL_HASH_NONE, a->pae, al_buf_bytes(&a->env->sigs[i].sig), err)) == AL_OK) {
			a->which = i;
			return AL_OK;
		}
	}
	return rc;
}

al_rc
al_verify_attestation(al_ictx *c, const al_oci_digest *subject, al_bytes blob, const al_oci_kv *ann, size_t nann,
		   char *what, size_t cap, al_err *err)
{
	const cosign_ann an = ann_of(ann, nann);
	al_dsse_envelope env;
	al_intoto_statement st;
	al_buf pae = { 0 };
	dsse_arg arg;
	al_signer s;
	al_vtimes times;
	char setwhat[256] = "", timesrc[128] = "", who[512], want[AL_OCI_DIGEST_STR_MAX];
	al_rc rc;

	memset(&env, 0, sizeof(env));
	memset(&st, 0, sizeof(st));
	memset(&s, 0, sizeof(s));
	memset(&times, 0, sizeof(times));
	if ((rc = al_dsse_envelope_parse(blob, &env, err)) != AL_OK)
		return al_rec_rc(c->rec, AL_CK_STATEMENT_PARSE, "DSSE envelope", al_err_prefix(err, "DSSE envelope"), err);
	if ((rc = al_intoto_parse(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), &st, err)) != AL_OK) {
		al_rec_rc(c->rec, AL_CK_STATEMENT_PARSE, "in-toto statement", rc, err);
		goto out;
	}
	al_oci_digest_str(subject, want);
	if (!al_intoto_match(&st, subject->alg, subject->d, NULL)) {
		rc = al_err_set(err, AL_E_CRYPTO_DIGEST, "the in-toto statement's subjects do not include this image %s",
				want);
		al_rec_rc(c->rec, AL_CK_STATEMENT_SUBJECT, "in-toto statement", rc, err);
		goto out;
	}
	al_rec_check(c->rec, AL_CK_STATEMENT_SUBJECT, AL_ST_PASS, "in-toto statement", NULL, "subject", want,
		     "predicateType", (const char *)st.predicate_type.p, NULL);
	if ((rc = al_dsse_pae(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), &pae, err)) != AL_OK)
		goto out;
	arg.pae = al_buf_bytes(&pae);
	arg.env = &env;
	arg.which = 0;
	if ((rc = choose_signer(c, c->au->nkeys ? NULL : an.cert, dsse_verify, &arg, &s, err)) != AL_OK) {
		rc = judge_claim(c, an.set, rc, err);
		al_err_prefix(err, "DSSE signature");
		al_rec_rc(c->rec, AL_CK_SIGNATURE, "DSSE envelope", rc, err);
		goto out;
	}
	al_signer_describe(&s, who, sizeof(who));
	al_rec_check(c->rec, AL_CK_SIGNATURE, AL_ST_PASS, "DSSE envelope", NULL, "signer", who, NULL);
	if (an.set) {
		al_rekor_expect x;

		al_rekor_expect_signer(&x, &s, al_buf_bytes(&env.sigs[arg.which].sig));
		x.payload = al_buf_bytes(&env.payload);
		x.envelope = blob;
		if ((rc = check_set_annotation(c, an.set, &x, &times, setwhat, sizeof(setwhat), NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, AL_CK_TLOG_SET, ANN_BUNDLE, rc, err);
			goto out;
		}
		al_rec_check(c->rec, AL_CK_TLOG_SET, AL_ST_PASS, ANN_BUNDLE, NULL, "entry", setwhat, "log", c->item_set_log,
			     NULL);
	}
	/* cosign timestamps an attestation's envelope (it has no detached signature) */
	if (an.tsa && (rc = check_tsa_annotation(c, an.tsa, blob, &times, err)) != AL_OK)
		goto out;
	if ((rc = check_signer(c, &s, an.chain, &times, timesrc, sizeof(timesrc), err)) != AL_OK)
		goto out;
	note_times(c, &times);
	snprintf(what, cap, "predicate %.200s, signed by %s%s%s%s%s", (const char *)st.predicate_type.p, who,
		 setwhat[0] ? "; " : "", setwhat, timesrc[0] ? "; time: " : "", timesrc);
out:
	al_vtimes_free(&times);
	al_signer_free(&s);
	al_buf_free(&pae);
	al_intoto_free(&st);
	al_dsse_envelope_free(&env);
	return rc;
}

/* ---------------------------------------------------------------- referrer bundles */

al_rc
al_verify_referrer_bundle(al_ictx *c, const al_oci_digest *subject, al_bytes blob, char *what, size_t cap, al_err *err)
{
	al_sigstore_bundle b;
	al_artifact a;
	al_signer s;
	al_vtimes times;
	al_outcome oc;
	char who[512];
	al_rc rc;

	/* a Sigstore bundle's certificate is judged against the trusted root's
	 * Fulcio CAs and identity policy: under --ca-roots there is neither, and
	 * accepting it would let any Fulcio identity stand in for the private PKI */
	if (c->au->pki)
		return al_rec_rc(c->rec, AL_CK_SIGNER_MODE, "Sigstore bundle",
				 al_err_set(err, AL_E_VERIFY_POLICY,
					    "a Sigstore bundle is verified against Fulcio, not --ca-roots: not accepted "
					    "under a private-PKI policy (to accept it, verify with --trusted-root, "
					    "--certificate-identity and --certificate-oidc-issuer)"),
				 err);
	memset(&b, 0, sizeof(b));
	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	memset(&times, 0, sizeof(times));
	memset(&oc, 0, sizeof(oc));
	a.given_alg = subject->alg;
	a.have[subject->alg] = true;
	memcpy(a.d[subject->alg], subject->d, al_hash_len(subject->alg));
	if ((rc = al_sigstore_bundle_parse(blob, &b, err)) != AL_OK)
		return al_rec_rc(c->rec, AL_CK_BUNDLE_PARSE, "Sigstore bundle", al_err_prefix(err, "Sigstore bundle"), err);
	rc = al_verify_sigstore(c->root, &b, c->au->keys, c->au->nkeys, c->au->nkeys ? NULL : &c->au->idp, &a, &s, &times,
				&oc, c->rec, err);
	c->last_sigstore = NULL;
	if (rc == AL_OK) {
		al_signer_describe(&s, who, sizeof(who));
		snprintf(what, cap, "Sigstore bundle v0.%d (%s%s%s), signed by %s; tlog: %s", b.version,
			 b.is_dsse ? "DSSE" : "message signature", oc.subject[0] ? ", " : "", oc.subject, who, oc.tlog);
		c->last_sigstore = al_sigstore_result_make(&b, &s, &times, c->au->nkeys ? NULL : &c->au->idp, c->rec);
		note_times(c, &times);
	}
	al_vtimes_free(&times);
	al_signer_free(&s);
	al_sigstore_bundle_free(&b);
	return rc;
}

