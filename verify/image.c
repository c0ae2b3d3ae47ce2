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
#include <string.h>
#include <time.h>

#include "verify/internal.h"

#define ANN_SIG "dev.cosignproject.cosign/signature"
#define ANN_CERT "dev.sigstore.cosign/certificate"
#define ANN_CHAIN "dev.sigstore.cosign/chain"
#define ANN_BUNDLE "dev.sigstore.cosign/bundle"
#define ANN_TSA "dev.sigstore.cosign/rfc3161timestamp"
#define ANN_PREDICATE "predicateType"
#define MT_SIMPLESIG "application/vnd.dev.cosign.simplesigning.v1+json"
#define MT_DSSE "application/vnd.dsse.envelope.v1+json"
#define AT_SIGSTORE "application/vnd.dev.sigstore.bundle.v0.3+json"

/* Everything the policy needs, loaded once. */
typedef struct ictx {
	const al_img_opts *o;
	al_trust_root root;
	bool have_root;
	al_pubkey keys[AL_MAX_KEYS_ARG];
	size_t nkeys;
	al_identity_policy idp;
	bool have_idp;
	al_certs pki_roots;      /* --ca-roots */
	al_certs pki_inter;      /* --ca-intermediates */
	bool pki;
	al_result *res;          /* the tree being built */
	al_rec *rec;             /* the checks of the item being verified */
	bool oom;                /* the tree lost something: not a verdict */
	size_t found, verified, failed, not_accepted;
} ictx;

static const char *
dup(ictx *c, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = al_arena_strdup(&c->res->arena, al_bytes_str(s), NULL)) == NULL)
		c->oom = true;
	return p;
}

static const char *dupf(ictx *c, const char *fmt, ...) AL_PRINTF(2, 3);
static const char *
dupf(ictx *c, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return dup(c, buf);
}

#define PUSH(c, vec, n, cap) al_vec_push(&(c)->res->arena, (void **)&(vec), &(n), &(cap), sizeof(*(vec)), &(c)->oom)

/* ---------------------------------------------------------------- shared pieces */

/* The SET annotation ({"SignedEntryTimestamp","Payload":{body,integratedTime,
 * logIndex,logID}}): the SET verifies under a trusted log, and the body logs
 * what this signature carries. */
static al_rc
check_set_annotation(ictx *c, const char *json, const al_rekor_expect *x, al_vtimes *times, char *what,
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
	if (!c->have_root)
		return al_err_set(err, AL_E_USAGE,
				  "it carries a Rekor SET, but no --trusted-root was given to check it against");
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
	rc = al_check_set(&c->root, al_buf_bytes(&body), it, al_buf_bytes(&logid), idx, al_buf_bytes(&set), times,
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
check_tsa_annotation(ictx *c, const char *json, al_bytes stamped, al_vtimes *times, al_err *err)
{
	al_json *j = NULL;
	al_buf ts = { 0 };
	al_rc rc;

	if (!c->have_root)
		return al_rec_rc(c->rec, "timestamp.rfc3161", "RFC 3161 annotation",
				 al_err_set(err, AL_E_USAGE,
					    "it carries an RFC 3161 timestamp, but no --trusted-root names the TSA"),
				 err);
	if ((rc = al_json_parse(al_bytes_str(json), &j, err)) == AL_OK &&
	    (rc = al_json_get_b64(j, ANN_TSA, "SignedRFC3161Timestamp", true, &ts, err)) == AL_OK)
		rc = al_check_timestamps(&c->root, &ts, 1, stamped, times, c->rec, err);
	al_json_free(j);
	al_buf_free(&ts);
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "RFC 3161 annotation");
}

/* Certificate mode with a private PKI (--ca-roots): the leaf chains through
 * the carried chain and --ca-intermediates to --ca-roots, at every verified
 * time — or, when the signature carries no verified time, at the wall
 * clock, which --ca-roots asks for (said in the report). */
static al_rc
check_pki(ictx *c, const al_signer *s, const char *chain_pem, const al_vtimes *times, char *when_src,
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
		for (crt = al_certs_at(&carried, 0); rc == AL_OK && crt && crt->raw.p; crt = crt->next) {
			if (crt->issuer_raw.len == crt->subject_raw.len &&
			    memcmp(crt->issuer_raw.p, crt->subject_raw.p, crt->subject_raw.len) == 0)
				continue;
			rc = al_certs_add_der(&chain, al_bytes_of(crt->raw.p, crt->raw.len), err);
		}
		al_certs_free(&carried);
		if (rc != AL_OK) {
			al_err_prefix(err, "certificate chain annotation");
			goto out;
		}
	}
	for (crt = al_certs_at(&c->pki_inter, 0); crt && crt->raw.p; crt = crt->next)
		if ((rc = al_certs_add_der(&chain, al_bytes_of(crt->raw.p, crt->raw.len), err)) != AL_OK)
			goto out;
	for (size_t i = 0; i < times->n; i++)
		ts[nt++] = times->v[i].t;
	if (nt == 0) {
		ts[nt++] = (int64_t)time(NULL);
		snprintf(when_src, cap, "wall clock (no signed time; --ca-roots)");
	}
	for (size_t i = 0; i < nt; i++) {
		char when[32];

		al_time_format(ts[i], when);
		if ((rc = al_x509_verify_at(&chain, &c->pki_roots, ts[i], &opts, NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, "pki.chain", "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(c->rec, "pki.chain", AL_ST_PASS, "signing certificate", NULL, "roots", c->o->ca_roots,
			     "at", when, "timeSource", times->n ? times->v[i].what : when_src, NULL);
	}
	if (c->have_idp) {
		/* a private certificate may carry no OIDC issuer: a policy that
		 * names none does not judge it (al_identity_match) */
		if ((rc = al_identity_match(&c->idp, s->id.san, s->id.issuer, err)) != AL_OK) {
			al_rec_rc(c->rec, "certificate.identity", "signing certificate", rc, err);
			goto out;
		}
		al_rec_check(c->rec, "certificate.identity", AL_ST_PASS, "signing certificate", NULL, "identity",
			     al_rec_printf(c->rec, "%.*s", (int)s->id.san.n, (const char *)s->id.san.p), NULL);
	}
out:
	al_certs_free(&chain);
	return rc;
}

/* The signer of one signature: a key (key mode: the first key under which
 * verify_fn succeeds) or the certificate the signature carries. */
typedef al_rc (*sig_check_fn)(const al_pubkey *k, const void *arg, al_err *err);

static al_rc
choose_signer(ictx *c, const char *cert_pem, sig_check_fn fn, const void *arg, al_signer *s, al_err *err)
{
	al_rc rc = AL_E_CRYPTO_SIG;

	memset(s, 0, sizeof(*s));
	if (c->nkeys > 0) {
		al_err last;

		al_err_clear(&last);
		for (size_t i = 0; i < c->nkeys; i++) {
			if ((rc = fn(&c->keys[i], arg, &last)) == AL_OK) {
				s->key = &c->keys[i];
				return AL_OK;
			}
		}
		if (err)
			*err = last;
		/* no key of the policy verifies it: someone else's signature (or
		 * a broken one: without the signer's key the two look alike) */
		return al_err_recode(err, AL_E_VERIFY_NOTSIGNER, "not signed by %s",
				     c->nkeys == 1 ? "the given key" : "any given key");
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
			s->cert_der = al_bytes_of(al_certs_at(&s->leaf, 0)->raw.p, al_certs_at(&s->leaf, 0)->raw.len);
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
judge_claim(ictx *c, const char *set, al_rc rc, al_err *err)
{
	al_rekor_body rb;
	al_vtimes scratch;
	al_err e;
	char what[256];

	if (rc != AL_E_VERIFY_NOTSIGNER || set == NULL || !c->have_root)
		return rc;
	memset(&rb, 0, sizeof(rb));
	memset(&scratch, 0, sizeof(scratch));
	if (check_set_annotation(c, set, NULL, &scratch, what, sizeof(what), &rb, &e) == AL_OK && rb.nsigs > 0) {
		const al_rekor_sig *rs = &rb.sigs[0];
		bool ours = false;

		for (size_t i = 0; i < c->nkeys && rs->form != AL_RV_PEM_CERT && rs->form != AL_RV_X509; i++)
			ours |= al_bytes_eq(al_buf_bytes(&rs->der), al_buf_bytes(&c->keys[i].spki));
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
	al_rekor_body_free(&rb);
	return rc;
}

/* Certificate mode after the signature: times, chain, SCT, identity. */
static al_rc
check_signer(ictx *c, const al_signer *s, const char *chain_pem, al_vtimes *times, char *timesrc, size_t cap,
	     al_err *err)
{
	if (!s->is_cert)
		return AL_OK;
	if (c->pki)
		return check_pki(c, s, chain_pem, times, timesrc, cap, err);
	if (!c->have_root)
		return al_rec_rc(c->rec, "certificate.chain", "signing certificate",
				 al_err_set(err, AL_E_USAGE, "a keyless signature needs --trusted-root (or --ca-roots)"),
				 err);
	return al_check_certificate(&c->root, s, times, &c->idp, c->rec, err);
}

/* ---------------------------------------------------------------- simple signing */

typedef struct simplesig_arg {
	al_bytes payload;
	al_bytes sig;
} simplesig_arg;

static al_rc
simplesig_verify(const al_pubkey *k, const void *arg, al_err *err)
{
	const simplesig_arg *a = arg;

	return al_sig_verify(k, AL_HASH_NONE, a->payload, a->sig, err);
}

/* The simple-signing payload must name the subject; returns docker-reference. */
static al_rc
check_simplesig_payload(al_bytes payload, const al_oci_digest *subject, char *ref, size_t cap, al_err *err)
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

static al_rc
verify_simplesig(ictx *c, const al_oci_digest *subject, al_bytes payload, const al_oci_kv *ann, size_t nann,
		 char *what, size_t cap, al_err *err)
{
	const char *sig_b64 = al_oci_annotation(ann, nann, ANN_SIG);
	const char *cert = al_oci_annotation(ann, nann, ANN_CERT);
	const char *chain = al_oci_annotation(ann, nann, ANN_CHAIN);
	const char *set = al_oci_annotation(ann, nann, ANN_BUNDLE);
	const char *tsa = al_oci_annotation(ann, nann, ANN_TSA);
	al_buf sig = { 0 };
	simplesig_arg arg;
	al_signer s;
	al_vtimes times;
	char ref[256], setwhat[256] = "", timesrc[128] = "", who[512];
	al_rc rc = AL_OK;

	memset(&s, 0, sizeof(s));
	memset(&times, 0, sizeof(times));
	if (sig_b64 == NULL || sig_b64[0] == '\0')
		return al_err_set(err, AL_E_VERIFY_FAILED, "no %s annotation", ANN_SIG);
	{
		/* Go's base64 decoder skips CR and LF, and some cosign flows wrap the
		 * annotation at 76 columns: unwrap, then decode strictly */
		al_buf flat = { 0 };

		for (const char *p = sig_b64; *p && rc == AL_OK; p++)
			if (*p != '\n' && *p != '\r')
				rc = al_buf_append(&flat, p, 1, err);
		if (rc == AL_OK)
			rc = al_b64_decode(al_buf_bytes(&flat), false, &sig, err);
		al_buf_free(&flat);
		if (rc != AL_OK) {
			al_buf_free(&sig);
			return al_rec_rc(c->rec, "signature.encoding", ANN_SIG,
					 al_err_recode(err, AL_E_VERIFY_FAILED, "%s annotation", ANN_SIG), err);
		}
	}
	if ((rc = check_simplesig_payload(payload, subject, ref, sizeof(ref), err)) != AL_OK) {
		al_rec_rc(c->rec, "payload.binding", "simple-signing payload", rc, err);
		goto out;
	}
	{
		char want[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(subject, want);
		al_rec_check(c->rec, "payload.binding", AL_ST_PASS, "simple-signing payload", NULL,
			     "docker-manifest-digest", want, "docker-reference", ref, NULL);
	}
	arg.payload = payload;
	arg.sig = al_buf_bytes(&sig);
	if ((rc = choose_signer(c, c->nkeys ? NULL : cert, simplesig_verify, &arg, &s, err)) != AL_OK) {
		rc = judge_claim(c, set, rc, err);
		al_rec_rc(c->rec, "signature", "simple-signing payload", rc, err);
		goto out;
	}
	al_signer_describe(&s, who, sizeof(who));
	al_rec_check(c->rec, "signature", AL_ST_PASS, "simple-signing payload", NULL, "signer", who, NULL);
	if (set) {
		al_rekor_expect x;
		uint8_t d[32];

		memset(&x, 0, sizeof(x));
		al_sha256(payload, d);
		x.sig = al_buf_bytes(&sig);
		if (s.is_cert)
			x.cert_der = s.cert_der;
		else
			x.spki_der = al_buf_bytes(&s.key->spki);
		x.digest_alg = AL_HASH_SHA256;
		x.digest = al_bytes_of(d, 32);
		if ((rc = check_set_annotation(c, set, &x, &times, setwhat, sizeof(setwhat), NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, "tlog.set", ANN_BUNDLE, rc, err);
			goto out;
		}
		al_rec_check(c->rec, "tlog.set", AL_ST_PASS, ANN_BUNDLE, NULL, "entry", setwhat, NULL);
	}
	if (tsa && (rc = check_tsa_annotation(c, tsa, al_buf_bytes(&sig), &times, err)) != AL_OK)
		goto out;
	if ((rc = check_signer(c, &s, chain, &times, timesrc, sizeof(timesrc), err)) != AL_OK)
		goto out;
	snprintf(what, cap, "signed by %s%s%s%s%s%s%s", who, ref[0] ? "; docker-reference " : "", ref,
		 setwhat[0] ? "; " : (s.is_cert || !c->have_root ? "" : "; no Rekor entry"), setwhat,
		 timesrc[0] ? "; time: " : "", timesrc);
out:
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
dsse_verify(const al_pubkey *k, const void *argp, al_err *err)
{
	dsse_arg *a = (dsse_arg *)(uintptr_t)argp;
	al_rc rc = AL_E_CRYPTO_SIG;

	for (size_t i = 0; i < a->env->nsigs; i++) {
		if ((rc = al_sig_verify(k, AL_HASH_NONE, a->pae, al_buf_bytes(&a->env->sigs[i].sig), err)) == AL_OK) {
			a->which = i;
			return AL_OK;
		}
	}
	return rc;
}

static al_rc
verify_attestation(ictx *c, const al_oci_digest *subject, al_bytes blob, const al_oci_kv *ann, size_t nann,
		   char *what, size_t cap, al_err *err)
{
	const char *cert = al_oci_annotation(ann, nann, ANN_CERT);
	const char *chain = al_oci_annotation(ann, nann, ANN_CHAIN);
	const char *set = al_oci_annotation(ann, nann, ANN_BUNDLE);
	const char *tsa = al_oci_annotation(ann, nann, ANN_TSA);
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
		return al_rec_rc(c->rec, "statement.parse", "DSSE envelope", al_err_prefix(err, "DSSE envelope"), err);
	if ((rc = al_intoto_parse(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), &st, err)) != AL_OK) {
		al_rec_rc(c->rec, "statement.parse", "in-toto statement", rc, err);
		goto out;
	}
	al_oci_digest_str(subject, want);
	if (!al_intoto_match(&st, subject->alg, subject->d, NULL)) {
		rc = al_err_set(err, AL_E_CRYPTO_DIGEST, "the in-toto statement's subjects do not include this image %s",
				want);
		al_rec_rc(c->rec, "statement.subject", "in-toto statement", rc, err);
		goto out;
	}
	al_rec_check(c->rec, "statement.subject", AL_ST_PASS, "in-toto statement", NULL, "subject", want,
		     "predicateType", (const char *)st.predicate_type.p, NULL);
	if ((rc = al_dsse_pae(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), &pae, err)) != AL_OK)
		goto out;
	arg.pae = al_buf_bytes(&pae);
	arg.env = &env;
	arg.which = 0;
	if ((rc = choose_signer(c, c->nkeys ? NULL : cert, dsse_verify, &arg, &s, err)) != AL_OK) {
		rc = judge_claim(c, set, rc, err);
		al_err_prefix(err, "DSSE signature");
		al_rec_rc(c->rec, "signature", "DSSE envelope", rc, err);
		goto out;
	}
	al_signer_describe(&s, who, sizeof(who));
	al_rec_check(c->rec, "signature", AL_ST_PASS, "DSSE envelope", NULL, "signer", who, NULL);
	if (set) {
		al_rekor_expect x;

		memset(&x, 0, sizeof(x));
		x.sig = al_buf_bytes(&env.sigs[arg.which].sig);
		if (s.is_cert)
			x.cert_der = s.cert_der;
		else
			x.spki_der = al_buf_bytes(&s.key->spki);
		x.payload = al_buf_bytes(&env.payload);
		x.envelope = blob;
		if ((rc = check_set_annotation(c, set, &x, &times, setwhat, sizeof(setwhat), NULL, err)) != AL_OK) {
			al_rec_rc(c->rec, "tlog.set", ANN_BUNDLE, rc, err);
			goto out;
		}
		al_rec_check(c->rec, "tlog.set", AL_ST_PASS, ANN_BUNDLE, NULL, "entry", setwhat, NULL);
	}
	/* cosign timestamps an attestation's envelope (it has no detached signature) */
	if (tsa && (rc = check_tsa_annotation(c, tsa, blob, &times, err)) != AL_OK)
		goto out;
	if ((rc = check_signer(c, &s, chain, &times, timesrc, sizeof(timesrc), err)) != AL_OK)
		goto out;
	snprintf(what, cap, "predicate %.200s, signed by %s%s%s%s%s", (const char *)st.predicate_type.p, who,
		 setwhat[0] ? "; " : "", setwhat, timesrc[0] ? "; time: " : "", timesrc);
out:
	al_signer_free(&s);
	al_buf_free(&pae);
	al_intoto_free(&st);
	al_dsse_envelope_free(&env);
	return rc;
}

/* ---------------------------------------------------------------- referrer bundles */

static al_rc
verify_referrer_bundle(ictx *c, const al_oci_digest *subject, al_bytes blob, char *what, size_t cap, al_err *err)
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
	if (c->pki)
		return al_rec_rc(c->rec, "signer.mode", "Sigstore bundle",
				 al_err_set(err, AL_E_VERIFY_POLICY,
					    "a Sigstore bundle is verified against Fulcio, not --ca-roots: not accepted "
					    "under a private-PKI policy"),
				 err);
	if (!c->have_root)
		return al_rec_rc(c->rec, "bundle.parse", "Sigstore bundle",
				 al_err_set(err, AL_E_USAGE, "a Sigstore bundle needs --trusted-root"), err);
	memset(&b, 0, sizeof(b));
	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	memset(&times, 0, sizeof(times));
	memset(&oc, 0, sizeof(oc));
	a.given_alg = subject->alg;
	a.have[subject->alg] = true;
	memcpy(a.d[subject->alg], subject->d, al_hash_len(subject->alg));
	if ((rc = al_sigstore_bundle_parse(blob, &b, err)) != AL_OK)
		return al_rec_rc(c->rec, "bundle.parse", "Sigstore bundle", al_err_prefix(err, "Sigstore bundle"), err);
	rc = al_verify_sigstore(&c->root, &b, c->keys, c->nkeys, c->nkeys ? NULL : &c->idp, &a, &s, &times, &oc, c->rec,
				err);
	if (rc == AL_OK) {
		al_signer_describe(&s, who, sizeof(who));
		snprintf(what, cap, "Sigstore bundle v0.%d (%s%s%s), signed by %s; tlog: %s", b.version,
			 b.is_dsse ? "DSSE" : "message signature", oc.subject[0] ? ", " : "", oc.subject, who, oc.tlog);
	}
	al_signer_free(&s);
	al_sigstore_bundle_free(&b);
	return rc;
}

/* ---------------------------------------------------------------- per subject */

typedef struct subj_build {
	al_item *items;
	size_t n, cap;
} subj_build;

/* One item of a subject: its checks were recorded in rec while it ran. */
static void
add_item(ictx *c, subj_build *sb, al_item_kind kind, const char *where, al_rc rc, const char *what,
	 const al_err *e, const al_rec *rec)
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
		return;
	it->kind = kind;
	it->where = dup(c, where);
	it->status = rc == AL_OK ? AL_ST_PASS : al_rc_is_policy(rc) ? AL_ST_SKIP : AL_ST_FAIL;
	it->text = dup(c, rc == AL_OK ? what : e->msg);
	it->checks = rec->v;
	it->nchecks = rec->n;
	if (rec->oom)
		c->oom = true;
}

static void
add_note(ictx *c, subj_build *sb, al_status st, const char *text)
{
	al_item *it = PUSH(c, sb->items, sb->n, sb->cap);

	if (it == NULL)
		return;
	it->kind = AL_ITEM_NOTE;
	it->status = st;
	it->text = dup(c, text);
}

/* Verifies everything attached to subject into out. */
static void
verify_subject(ictx *c, const al_oci *o, const al_oci_node *node, const al_oci_digest *subject, al_subject *out)
{
	const al_oci_node *att[AL_MAX_SIGS_PER_IMAGE];
	subj_build sb = { 0 };
	size_t before_v = c->verified, n;
	char what[1536], where[256], ds[AL_OCI_DIGEST_STR_MAX];
	al_err e;
	al_rc rc;

	al_oci_digest_str(subject, ds);
	out->digest = dup(c, ds);
	for (int role = AL_OCI_ROLE_SIGS; role <= AL_OCI_ROLE_ATTS; role++) {
		n = al_oci_find_attached(o, subject, (al_oci_role)role, att, AL_ARRAY_LEN(att));
		if (n > AL_ARRAY_LEN(att)) {
			add_note(c, &sb, AL_ST_WARN,
				 dupf(c, "%zu %s manifests; only the first %zu are checked", n,
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
					al_rec_rc(&rec, "blob.read", ld_s, rc, &e);
				if (rc == AL_OK && role == AL_OCI_ROLE_SIGS) {
					if (ld->media_type && strcmp(ld->media_type, MT_SIMPLESIG) != 0) {
						al_buf_free(&blob);
						continue; /* not a signature layer */
					}
					rc = verify_simplesig(c, subject, al_buf_bytes(&blob), ld->annotations,
							      ld->n_annotations, what, sizeof(what), &e);
				} else if (rc == AL_OK) {
					if (ld->media_type && strcmp(ld->media_type, MT_DSSE) != 0) {
						al_buf_free(&blob);
						continue;
					}
					rc = verify_attestation(c, subject, al_buf_bytes(&blob), ld->annotations,
								ld->n_annotations, what, sizeof(what), &e);
				}
				al_buf_free(&blob);
				c->rec = NULL;
				add_item(c, &sb, role == AL_OCI_ROLE_SIGS ? AL_ITEM_SIGNATURE : AL_ITEM_ATTESTATION, where,
					 rc, what, &e, &rec);
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
			char rd[AL_OCI_DIGEST_STR_MAX];
			al_rec rec = { .arena = &c->res->arena };

			al_oci_digest_str(&att[i]->digest, rd);
			snprintf(where, sizeof(where), "%.20s… layer %zu", rd, l);
			al_err_clear(&e);
			c->rec = &rec;
			rc = al_oci_blob_read(o, &ld->digest, AL_MAX_JSON_DOC, &blob, &e);
			if (rc == AL_OK)
				rc = verify_referrer_bundle(c, subject, al_buf_bytes(&blob), what, sizeof(what), &e);
			else
				al_rec_rc(&rec, "blob.read", rd, rc, &e);
			al_buf_free(&blob);
			c->rec = NULL;
			add_item(c, &sb, AL_ITEM_REFERRER, where, rc, what, &e, &rec);
		}
	}
	/* containers/image dir: signature-N files */
	for (size_t i = 0; node && i < node->n_csigs; i++) {
		const al_oci_csig *cs = &node->csigs[i];
		al_rec rec = { .arena = &c->res->arena };

		al_err_clear(&e);
		if (cs->format == AL_OCI_CSIG_SIGSTORE && strcmp((const char *)cs->mime_type.p, MT_SIMPLESIG) != 0) {
			/* an attachment, not a signature: neither counts nor fails */
			add_note(c, &sb, AL_ST_SKIP,
				 dupf(c, "%s is an attachment of type %.100s, not a signature", cs->file,
				      (const char *)cs->mime_type.p));
			continue;
		}
		c->rec = &rec;
		if (cs->format != AL_OCI_CSIG_SIGSTORE) {
			rc = al_err_set(&e, AL_E_VERIFY_FAILED, "GPG simple signing is not supported; "
				       "only sigstore signatures are verified");
			al_rec_rc(&rec, "signature.format", cs->file, rc, &e);
		} else {
			rc = verify_simplesig(c, subject, al_buf_bytes(&cs->payload), cs->annotations, cs->n_annotations,
					      what, sizeof(what), &e);
		}
		c->rec = NULL;
		add_item(c, &sb, AL_ITEM_SIGNATURE, cs->file, rc, what, &e, &rec);
	}
	out->items = sb.items;
	out->nitems = sb.n;
	out->verified = c->verified - before_v;
}

static size_t
count_found(const al_subject *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nitems; i++)
		n += s->items[i].kind != AL_ITEM_NOTE;
	return n;
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

/* ---------------------------------------------------------------- command */

static al_rc
load_policy(ictx *c, const al_img_opts *o, al_err *err)
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
	if (!o->nkeys && !o->ca_roots && !o->trusted_root_path)
		return al_err_set(err, AL_E_USAGE, "keyless verification needs --trusted-root");
	for (; c->nkeys < o->nkeys; c->nkeys++) {
		al_pubkey_init(&c->keys[c->nkeys]);
		if ((rc = al_trust_load_pem_key(o->key_paths[c->nkeys], &c->keys[c->nkeys], err)) != AL_OK) {
			al_pubkey_free(&c->keys[c->nkeys]);
			return rc;
		}
	}
	if (o->trusted_root_path) {
		if ((rc = al_trust_root_load(o->trusted_root_path, &c->root, err)) != AL_OK)
			return rc;
		c->have_root = true;
	}
	if (o->ca_roots) {
		c->pki = true;
		if ((rc = al_read_file(o->ca_roots, AL_MAX_PEM_FILE, &pem, err)) != AL_OK)
			return rc;
		rc = al_certs_add_pem(&c->pki_roots, al_buf_bytes(&pem), err);
		al_buf_free(&pem);
		if (rc != AL_OK)
			return al_err_recode(err, AL_E_TRUST_INVALID, "%s", o->ca_roots);
	}
	if (o->ca_intermediates) {
		if ((rc = al_read_file(o->ca_intermediates, AL_MAX_PEM_FILE, &pem, err)) != AL_OK)
			return rc;
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
verify_image(ictx *c, const al_oci *oci, const al_oci_ref *r, al_image_result *img)
{
	const al_oci_node *n = r->desc.node;
	size_t ok;

	img->why_not = NULL;
	verify_subject(c, oci, n, &r->desc.digest, &img->top);
	ok = img->top.verified;
	img->found = count_found(&img->top);
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
			if (md->role != AL_OCI_ROLE_IMAGE) {
				k->is_image = false;
				k->subject.digest = dup(c, ms);
				k->why = dup(c, md->why ? md->why : "an artifact");
				continue;
			}
			k->is_image = true;
			c->res->platforms++;
			nplat++;
			k->platform = dup(c, platform_str(md->platform, ps, sizeof(ps)));
			verify_subject(c, oci, md->node, &md->digest, &k->subject);
			img->found += count_found(&k->subject);
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
describe_bundle(ictx *c, const al_oci *oci)
{
	al_result *res = c->res;
	al_absent_blob *absent = NULL;
	al_extra_entry *extra = NULL;
	al_artifact_entry *arts = NULL;
	al_docker_entry *docker = NULL;
	size_t cap = 0;

	res->format = oci->format == AL_OCI_FMT_LAYOUT ? "OCI image layout" :
		      oci->format == AL_OCI_FMT_DOCKER_ARCHIVE ? "docker-archive" : "containers/image dir";
	res->compression = oci->archive ? dup(c, oci->compression) : NULL;
	res->bytes_hashed = oci->bytes_hashed;
	res->relaxed_missing = oci->n_missing > 0;
	for (size_t i = 0; i < oci->n_missing; i++) {
		al_absent_blob *a = PUSH(c, absent, res->nabsent, cap);
		char ms[AL_OCI_DIGEST_STR_MAX];

		if (a == NULL)
			break;
		al_oci_digest_str(&oci->missing[i].digest, ms);
		a->digest = dup(c, ms);
		a->where = dup(c, oci->missing[i].where);
	}
	cap = 0;
	for (size_t i = 0; i < oci->n_extra; i++) {
		al_extra_entry *x = PUSH(c, extra, res->nextra, cap);

		if (x == NULL)
			break;
		x->path = dup(c, oci->extra[i].path);
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
		a->digest = dup(c, ds);
		a->ref_name = dup(c, r->ref_name);
		a->why = dup(c, r->why);
	}
	cap = 0;
	for (size_t i = 0; i < oci->n_docker; i++) {
		al_docker_entry *d = PUSH(c, docker, res->ndocker, cap);
		char ds[AL_OCI_DIGEST_STR_MAX];

		if (d == NULL)
			break;
		al_oci_digest_str(&oci->docker[i].node->digest, ds);
		d->digest = dup(c, ds);
		d->names = oci->docker[i].repo_tags; /* copied below: the model is freed first */
		d->nnames = oci->docker[i].n_repo_tags;
		if (d->nnames) {
			const char **nm = al_arena_alloc(&res->arena, d->nnames * sizeof(*nm), NULL);

			if (nm == NULL) {
				c->oom = true;
				d->nnames = 0;
			} else {
				for (size_t t = 0; t < d->nnames; t++)
					nm[t] = dup(c, oci->docker[i].repo_tags[t]);
			}
			d->names = nm;
		}
	}
	res->absent = absent;
	res->extra = extra;
	res->artifacts = arts;
	res->docker = docker;
}

al_rc
al_verify_image_cmd(const al_img_opts *o, al_result *res, al_err *err)
{
	ictx c;
	al_oci *oci = NULL;
	size_t images = 0, unsigned_images = 0, failed_images = 0, cap = 0;
	al_image_result *imgs = NULL;
	char first_bad[AL_OCI_DIGEST_STR_MAX + 160] = "";
	al_rc rc;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.o = o;
	c.res = res;
	res->strict = o->strict;
	res->verdict = AL_ST_FAIL;
	if (o->bundle_path == NULL) {
		rc = al_err_set(err, AL_E_USAGE, "no bundle given");
		goto out;
	}
	res->bundle_path = dup(&c, o->bundle_path);
	if ((rc = load_policy(&c, o, err)) != AL_OK)
		goto out;
	if ((rc = al_oci_open(o->bundle_path, o->allow_missing_blobs ? AL_OCI_ALLOW_MISSING : 0, o->max_bytes, &oci,
			      err)) != AL_OK)
		goto out;
	res->opened = true;
	describe_bundle(&c, oci);
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
		al_oci_digest_str(&r->desc.digest, ds);
		img->digest = dup(&c, ds);
		img->ref_name = dup(&c, r->ref_name);
		img->kind = ref_kind(r->desc.node);
		img->why = dup(&c, r->why);
		if (r->n_repo_tags) {
			const char **nm = al_arena_alloc(&res->arena, r->n_repo_tags * sizeof(*nm), NULL);

			if (nm == NULL) {
				c.oom = true;
			} else {
				for (size_t t = 0; t < r->n_repo_tags; t++)
					nm[t] = dup(&c, r->repo_tags[t]);
				img->names = nm;
				img->nnames = r->n_repo_tags;
			}
		}
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
	if (c.have_root) {
		res->trusted_root_path = dup(&c, o->trusted_root_path);
		al_hex_encode(c.root.sha256, 32, res->trusted_root_sha256);
	}
	if (c.oom) {
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
	al_trust_root_free(&c.root);
	for (size_t i = 0; i < c.nkeys; i++)
		al_pubkey_free(&c.keys[i]);
	al_certs_free(&c.pki_roots);
	al_certs_free(&c.pki_inter);
	return rc;
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
