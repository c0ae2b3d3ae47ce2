/*
 * sigstore.c — verifying a Sigstore bundle (checks and order: docs/verification.md §3):
 * structure (parser), signer mode, signature and artifact binding,
 * transparency-log entries, timestamps, certificate at the verified times,
 * SCTs and identity. Any failure rejects the bundle; see verify.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/internal.h"


static void appendf(char *dst, size_t cap, const char *fmt, ...) AL_PRINTF(3, 4);
static void
appendf(char *dst, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(dst);
	va_list ap;

	va_start(ap, fmt);
	if (n < cap)
		vsnprintf(dst + n, cap - n, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- signature */

static al_rc
check_message_signature(const al_sigstore_bundle *b, const al_pubkey *k, al_artifact *a, const char **stage,
			al_err *err)
{
	al_hash alg = b->digest_alg != AL_HASH_NONE ? b->digest_alg : al_pubkey_default_hash(k);
	const uint8_t *d;
	al_rc rc;

	if (alg == AL_HASH_NONE)
		alg = AL_HASH_SHA256;
	if ((rc = al_artifact_digest(a, alg, &d, err)) != AL_OK)
		return rc;
	if (b->digest_alg != AL_HASH_NONE &&
	    (b->digest.n != al_hash_len(alg) || !al_ct_eq(d, b->digest.p, b->digest.n))) {
		char have[2 * AL_HASH_MAX + 1], want[2 * AL_HASH_MAX + 1];

		al_hex_encode(d, al_hash_len(alg), have);
		al_hex_encode(b->digest.p, b->digest.n, want);
		*stage = AL_CK_ARTIFACT_DIGEST;
		return al_err_set(err, AL_E_CRYPTO_DIGEST,
				  "artifact %s:%s does not match the bundle's messageDigest %s:%s",
				  al_hash_name(alg), have, al_hash_name(alg), want);
	}
	if (k->kind == AL_KEY_ED25519) {
		/* pure Ed25519 signs the message itself */
		al_buf msg = { 0 };

		if ((rc = al_artifact_bytes(a, &msg, err)) == AL_OK)
			rc = al_sig_verify(k, AL_HASH_NONE, al_buf_bytes(&msg), al_buf_bytes(&b->signature), err);
		al_buf_free(&msg);
	} else {
		rc = al_sig_verify_digest(k, alg, d, al_hash_len(alg), al_buf_bytes(&b->signature), err);
	}
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "messageSignature");
}

static al_rc
check_dsse(const al_sigstore_bundle *b, const al_pubkey *k, al_artifact *a, al_outcome *o, const char **stage,
	   al_err *err)
{
	const al_dsse_envelope *env = &b->dsse;
	al_intoto_statement st;
	al_buf pae = { 0 };
	bool matched = false;
	size_t subj = 0;
	al_rc rc;

	if (env->nsigs != 1)
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "dsseEnvelope: %zu signatures; a Sigstore bundle's envelope must carry exactly one",
				  env->nsigs);
	if ((rc = al_dsse_pae(al_buf_bytes(&env->payload_type), al_buf_bytes(&env->payload), &pae, err)) != AL_OK)
		return rc;
	rc = al_sig_verify(k, AL_HASH_NONE, al_buf_bytes(&pae), al_buf_bytes(&env->sigs[0].sig), err);
	al_buf_free(&pae);
	if (rc != AL_OK)
		return al_err_prefix(err, "dsseEnvelope signature over PAE");
	memset(&st, 0, sizeof(st));
	rc = al_intoto_parse(al_buf_bytes(&env->payload_type), al_buf_bytes(&env->payload), &st, err);
	if (rc != AL_OK) {
		*stage = AL_CK_STATEMENT_PARSE;
		return al_err_prefix(err, "dsseEnvelope payload");
	}
	/* hash the artifact with every algorithm some subject names, until one matches */
	for (size_t i = 0; i < st.nsubjects && !matched; i++) {
		for (size_t j = 0; j < st.subjects[i].ndigests && !matched; j++) {
			al_hash h = st.subjects[i].digests[j].hash;
			const uint8_t *d;
			al_err ignore;

			if (h == AL_HASH_NONE)
				continue;
			if (al_artifact_digest(a, h, &d, &ignore) != AL_OK)
				continue;
			matched = al_intoto_match(&st, h, d, &subj);
		}
	}
	if (!matched) {
		char desc[256];

		al_artifact_describe(a, desc, sizeof(desc));
		rc = al_err_set(err, AL_E_CRYPTO_DIGEST,
				"artifact %s is not a subject of the in-toto statement (%zu subjects, predicate %s)",
				desc, st.nsubjects, (const char *)st.predicate_type.p);
		*stage = AL_CK_STATEMENT_SUBJECT;
	} else {
		snprintf(o->subject, sizeof(o->subject), "in-toto subject \"%.100s\", predicate %.120s",
			 (const char *)st.subjects[subj].name.p, (const char *)st.predicate_type.p);
	}
	al_intoto_free(&st);
	return rc;
}

/* ---------------------------------------------------------------- tlog */

/* The Rekor v2 leaf, rebuilt from what the bundle carries (sigstore-go
 * reconstructV2EntryHash), so the proof binds the bundle's own data. */
static al_rc
rebuild_v2(const al_sigstore_bundle *b, const al_signer *s, al_buf *out, al_err *err)
{
	const char *kd;
	al_hash prehash;
	al_rekor_v2_sig sig;
	al_rc rc;

	if ((rc = al_rekor_v2_key_details(s->key, &kd, &prehash, err)) != AL_OK)
		return rc;
	sig.key_details = kd;
	sig.is_cert = s->is_cert;
	sig.der = s->is_cert ? s->cert_der : al_buf_bytes(&s->key->spki);
	if (b->is_dsse) {
		uint8_t d[AL_HASH_MAX];
		al_buf pae = { 0 };

		sig.sig = al_buf_bytes(&b->dsse.sigs[0].sig);
		if ((rc = al_dsse_pae(al_buf_bytes(&b->dsse.payload_type), al_buf_bytes(&b->dsse.payload),
				      &pae, err)) != AL_OK)
			return rc;
		al_hash_bytes(prehash, al_buf_bytes(&pae), d);
		al_buf_free(&pae);
		return al_rekor_v2_hashedrekord(prehash, al_bytes_of(d, al_hash_len(prehash)), &sig, out, err);
	}
	sig.sig = al_buf_bytes(&b->signature);
	return al_rekor_v2_hashedrekord(b->digest_alg, al_buf_bytes(&b->digest), &sig, out, err);
}

static al_rc
check_binding(const al_sigstore_bundle *b, const al_signer *s, const al_rekor_body *body, al_err *err)
{
	al_rekor_expect x;
	uint8_t d[AL_HASH_MAX];
	al_buf pae = { 0 };
	al_rc rc;

	al_rekor_expect_signer(&x, s, al_sigstore_bundle_signature(b));
	if (b->is_dsse) {
		x.payload = al_buf_bytes(&b->dsse.payload);
		if (body->kind == AL_REKOR_HASHEDREKORD_V002) {
			/* Rekor v2 logs DSSE as a hashedrekord of H(PAE) */
			if ((rc = al_dsse_pae(al_buf_bytes(&b->dsse.payload_type), x.payload, &pae, err)) != AL_OK)
				return rc;
			x.digest_alg = body->data.alg;
			al_hash_bytes(x.digest_alg, al_buf_bytes(&pae), d);
			x.digest = al_bytes_of(d, al_hash_len(x.digest_alg));
		}
	} else {
		x.digest_alg = b->digest_alg;
		x.digest = al_buf_bytes(&b->digest);
	}
	rc = al_rekor_body_matches(body, &x, err);
	al_buf_free(&pae);
	return rc;
}

static al_rc
check_proof(const al_sigstore_tlog_entry *e, const al_trust_log *log, al_bytes leaf, al_err *err)
{
	const al_sigstore_proof *p = &e->proof;
	al_bytes hashes[AL_MAX_PROOF_HASHES];
	uint8_t lh[AL_TLOG_HASH_LEN];
	al_checkpoint cp;
	al_rc rc;

	for (size_t i = 0; i < p->nhashes; i++)
		hashes[i] = al_bytes_of(p->hashes[i], 32);
	al_merkle_leaf_hash(leaf, lh);
	rc = al_merkle_verify_inclusion((uint64_t)p->log_index, (uint64_t)p->tree_size, al_bytes_of(lh, 32),
					hashes, p->nhashes, al_bytes_of(p->root_hash, 32), err);
	if (rc != AL_OK)
		return al_err_prefix(err, "inclusion proof");
	memset(&cp, 0, sizeof(cp));
	if ((rc = al_checkpoint_parse(al_buf_bytes(&p->checkpoint), &cp, err)) != AL_OK)
		return rc;
	rc = al_checkpoint_verify(&cp, al_checkpoint_is_rekor_v1(&cp) ? AL_NOTE_REKOR_V1 : AL_NOTE_C2SP,
				  &log->key, al_buf_bytes(&log->host), NULL, err);
	if (rc == AL_OK)
		rc = al_checkpoint_matches(&cp, (uint64_t)p->tree_size, al_bytes_of(p->root_hash, 32), err);
	al_checkpoint_free(&cp);
	return rc;
}

/*
 * What an integratedTime that no SET covers may do (a proof-only entry:
 * Rekor v1 without inclusion promise, or any Rekor v2 entry). It is the
 * bundle's own claim, so it is never a verified time: it selects no trust
 * material, opens no validity window and never makes a check pass; the log
 * key is judged at the RFC 3161 times instead (al_verify_sigstore). When
 * the claim is present (non-zero) and contradicts a window it would have to
 * lie in (the log key's validFor, the leaf's notBefore..notAfter), the
 * bundle is rejected: sigstore-go does the same for the leaf ("integrated
 * time outside certificate validity" for every entry with a non-zero time,
 * SET or not), and for the log key airlock goes one step further, on the
 * fail-closed side: a bundle that contradicts itself about when it was
 * logged is not one to vouch for. Such a rejection only ever turns a
 * VERIFIED into a failure, never the reverse.
 */

/* One entry. *skip is set (and AL_OK returned) for a log the trust root
 * does not know; every other failure rejects the bundle. *proof_only says
 * the entry verified without a SET: its time is unsigned. */
static al_rc
check_entry(const al_trust_root *root, const al_sigstore_bundle *b, const al_sigstore_tlog_entry *e,
	    const al_signer *s, al_vtimes *times, bool *proof_only, bool *skip, al_outcome *o, al_rec *rec,
	    al_err *err)
{
	const al_trust_log *log = al_trust_tlog_by_id(root, al_buf_bytes(&e->log_id));
	al_rekor_kind kind = al_rekor_kind_of(al_buf_bytes(&e->kind), al_buf_bytes(&e->version));
	bool is_v2 = kind == AL_REKOR_HASHEDREKORD_V002;
	al_rekor_body body;
	al_buf rebuilt = { 0 };
	al_bytes leaf = al_buf_bytes(&e->body);
	al_rc rc;

	*skip = false;
	*proof_only = !e->has_promise;
	if (log == NULL) {
		char hex[2 * AL_HASH_MAX + 1];

		al_hex_encode(e->log_id.p, e->log_id.n > AL_HASH_MAX ? AL_HASH_MAX : e->log_id.n, hex);
		*skip = true;
		al_rec_check(rec, AL_CK_TLOG_ENTRY, AL_ST_SKIP, al_rec_printf(rec, "log entry %lld", (long long)e->log_index),
			     "from a log the trusted root does not list", "logID", hex, NULL);
		return AL_OK;
	}
	if (kind != AL_REKOR_HASHEDREKORD_V001 && kind != AL_REKOR_DSSE_V001 && kind != AL_REKOR_INTOTO_V002 &&
	    kind != AL_REKOR_HASHEDREKORD_V002)
		return al_err_set(err, AL_E_TLOG_BODY, "entry kind %s/%s is not accepted (hashedrekord 0.0.1/0.0.2, "
				  "dsse 0.0.1, intoto 0.0.2)", (const char *)e->kind.p, (const char *)e->version.p);
	/* a message signature is logged as a hashedrekord; a DSSE envelope as
	 * dsse or intoto (Rekor v1) or as a hashedrekord of H(PAE) (Rekor v2) */
	if ((!b->is_dsse && kind != AL_REKOR_HASHEDREKORD_V001 && kind != AL_REKOR_HASHEDREKORD_V002) ||
	    (b->is_dsse && kind == AL_REKOR_HASHEDREKORD_V001))
		return al_err_set(err, AL_E_TLOG_BODY, "entry kind %s does not fit a %s bundle",
				  (const char *)e->kind.p, b->is_dsse ? "DSSE" : "messageSignature");
	memset(&body, 0, sizeof(body));
	if ((rc = al_rekor_body_parse(leaf, al_buf_bytes(&e->kind), al_buf_bytes(&e->version), &body, err)) != AL_OK)
		return rc;
	if ((rc = check_binding(b, s, &body, err)) != AL_OK)
		goto out;
	if (is_v2) {
		if (e->has_promise) {
			rc = al_err_set(err, AL_E_TLOG_SET, "a Rekor v2 entry cannot carry an inclusion promise");
			goto out;
		}
		if (!e->has_proof) {
			rc = al_err_set(err, AL_E_TLOG_PROOF, "Rekor v2 entry has no inclusion proof");
			goto out;
		}
		if ((rc = rebuild_v2(b, s, &rebuilt, err)) != AL_OK)
			goto out;
		leaf = al_buf_bytes(&rebuilt);
	}
	if (e->has_promise) {
		rc = al_check_set(root, al_buf_bytes(&e->body), e->integrated_time, al_buf_bytes(&e->log_id),
				  e->log_index, al_buf_bytes(&e->set), times, err);
		if (rc != AL_OK)
			goto out;
	} else if (!e->has_proof) {
		/* the parser requires one or the other; without both, nothing binds the entry */
		rc = al_err_set(err, AL_E_TLOG_PROOF, "entry has neither an inclusion promise nor an inclusion proof");
		goto out;
	} else if (e->integrated_time != 0 && !al_validity_contains(&log->valid_for, e->integrated_time)) {
		char when[32];

		/* a contradiction, not a time: see the comment above check_entry */
		al_time_format(e->integrated_time, when);
		rc = al_err_set(err, AL_E_TLOG_PROOF,
				"integratedTime %s (not signed: the entry has no SET) is outside the validity of "
				"log %s's key in the trusted root", when, (const char *)log->host.p);
		goto out;
	}
	if (e->has_proof && (rc = check_proof(e, log, leaf, err)) != AL_OK)
		goto out;
	o->entries++;
	{
		char idx[64], when[32] = "";

		if (e->integrated_time != 0)
			al_time_format(e->integrated_time, when);
		snprintf(idx, sizeof(idx), "%lld", (long long)e->log_index);
		al_rec_check(rec, AL_CK_TLOG_ENTRY, AL_ST_PASS, al_rec_printf(rec, "log entry %s", idx), NULL, "log",
			     (const char *)log->host.p, "logIndex", idx, "kind",
			     al_rec_printf(rec, "%s/%s", (const char *)e->kind.p, (const char *)e->version.p),
			     "integratedTime", when, "integratedTimeSource",
			     e->integrated_time == 0 ? "" : e->has_promise ? "SET (signed)" : "bundle (unsigned)",
			     "inclusionPromise", e->has_promise ? "verified" : "", "inclusionProof",
			     e->has_proof ? al_rec_printf(rec, "verified, tree size %lld", (long long)e->proof.tree_size) : "",
			     NULL);

		snprintf(idx, sizeof(idx), "%lld", (long long)e->log_index);
		appendf(o->tlog, sizeof(o->tlog), "%s%s", o->tlog[0] ? "; " : "", (const char *)log->host.p);
		appendf(o->tlog, sizeof(o->tlog), " #%s (%s", idx, e->has_proof ? "inclusion proof + checkpoint" : "");
		appendf(o->tlog, sizeof(o->tlog), "%s%s)", e->has_proof && e->has_promise ? " + " : "",
			e->has_promise ? "SET" : "");
	}
out:
	al_rekor_body_free(&body);
	al_buf_free(&rebuilt);
	return rc;
}

/* ---------------------------------------------------------------- bundle */

/* The signer: the mode the operator asked for must be the bundle's; a
 * certificate chain carries no root. */
static al_rc
step_signer(const al_sigstore_bundle *b, size_t nkeys, al_signer *s, al_rec *rec, al_err *err)
{
	al_rc rc = AL_OK;

	/* --- the signer: the mode the operator asked for must be the bundle's */
	if (nkeys > 0) {
		if (b->vm != AL_SIGSTORE_VM_PUBLIC_KEY)
			return al_rec_rc(rec, AL_CK_SIGNER_MODE, "bundle",
					 al_err_set(err, AL_E_VERIFY_POLICY,
						    "the bundle is signed with a certificate, but --key was given: verify "
						    "it with --certificate-identity and --certificate-oidc-issuer"),
					 err);
	} else {
		if (b->vm == AL_SIGSTORE_VM_PUBLIC_KEY)
			return al_rec_rc(rec, AL_CK_SIGNER_MODE, "bundle",
					 al_err_set(err, AL_E_VERIFY_POLICY,
						    "the bundle is signed with a key (publicKey), not a certificate: "
						    "verify it with --key"),
					 err);
		for (size_t i = 1; i < b->ncerts; i++) {
			al_certs c;
			const mbedtls_x509_crt *crt;

			al_certs_init(&c);
			if ((rc = al_certs_add_der(&c, al_buf_bytes(&b->certs[i]), err)) != AL_OK) {
				al_certs_free(&c);
				return al_err_prefix(err, "x509CertificateChain[%zu]", i);
			}
			crt = al_certs_at(&c, 0);
			if (al_x509_self_signed(crt)) {
				al_certs_free(&c);
				return al_rec_rc(rec, AL_CK_CERTIFICATE_CARRIED_CHAIN, "x509CertificateChain",
						 al_err_set(err, AL_E_CRYPTO_CERT,
							    "x509CertificateChain[%zu] is a self-signed root: roots come "
							    "only from the trusted root, never from the bundle", i),
						 err);
			}
			al_certs_free(&c);
		}
		if ((rc = al_signer_from_cert(s, al_buf_bytes(&b->certs[0]), err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

/* The signature over the artifact (key mode: any of the keys). */
static al_rc
step_signature(const al_sigstore_bundle *b, const al_pubkey *keys, size_t nkeys, al_artifact *a, al_signer *s,
	       al_outcome *o, al_rec *rec, al_err *err)
{
	al_rc rc = AL_OK;

	/* --- the signature over the artifact (key mode: any of the keys); a
	 * DSSE statement is read, and its subject matched, once it verifies */
	{
		const char *what = b->is_dsse ? "DSSE envelope" : "message signature";
		const char *stage = AL_CK_SIGNATURE;
		char who[600];

		for (size_t i = 0; i < (nkeys ? nkeys : 1); i++) {
			if (nkeys)
				s->key = &keys[i];
			stage = AL_CK_SIGNATURE;
			rc = b->is_dsse ? check_dsse(b, s->key, a, o, &stage, err)
					: check_message_signature(b, s->key, a, &stage, err);
			if (rc == AL_OK || (rc != AL_E_CRYPTO_SIG && rc != AL_E_CRYPTO_KEY))
				break;
		}
		if (rc != AL_OK && nkeys && (rc == AL_E_CRYPTO_SIG || rc == AL_E_CRYPTO_KEY))
			rc = al_err_recode(err, AL_E_VERIFY_NOTSIGNER, "not signed by %s",
					   nkeys == 1 ? "the given key" : "any given key");
		if (rc != AL_OK && strcmp(stage, AL_CK_ARTIFACT_DIGEST) == 0)
			return al_rec_rc(rec, stage, "messageDigest", rc, err);
		if (rc != AL_OK && strcmp(stage, AL_CK_SIGNATURE) == 0)
			return al_rec_rc(rec, stage, what, rc, err);
		al_signer_describe(s, who, sizeof(who));
		if (!b->is_dsse)
			al_rec_check(rec, AL_CK_ARTIFACT_DIGEST, AL_ST_PASS, "messageDigest", NULL, NULL);
		al_rec_check(rec, AL_CK_SIGNATURE, AL_ST_PASS, what, NULL, "signer", who, NULL);
		if (rc != AL_OK)
			return al_rec_rc(rec, stage, "in-toto statement", rc, err);
		if (b->is_dsse)
			al_rec_check(rec, AL_CK_STATEMENT_SUBJECT, AL_ST_PASS, "in-toto statement", NULL, "subject", o->subject,
				     NULL);
	}
	return AL_OK;
}

/* Every entry; at least one from a trusted log, none failing. */
static al_rc
step_tlog(const al_trust_root *root, const al_sigstore_bundle *b, const al_signer *s, al_vtimes *times,
	  bool *proof_only, al_outcome *o, al_rec *rec, al_err *err)
{
	al_rc rc = AL_OK;

	/* --- transparency log: at least one entry from a trusted log, none failing */
	if (b->ntlog > AL_MAX_TLOG_ENTRIES)
		return al_err_set(err, AL_E_LIMIT, "%zu tlog entries, at most %d", b->ntlog, AL_MAX_TLOG_ENTRIES);
	for (size_t i = 0; i < b->ntlog; i++) {
		bool skip, po;

		rc = check_entry(root, b, &b->tlog[i], s, times, &po, &skip, o, rec, err);
		if (rc != AL_OK) {
			al_err_prefix(err, "tlog entry %zu (%s/%s, logIndex %lld)", i, (const char *)b->tlog[i].kind.p,
				      (const char *)b->tlog[i].version.p, (long long)b->tlog[i].log_index);
			return al_rec_rc(rec, AL_CK_TLOG_ENTRY, al_rec_printf(rec, "log entry %lld",
									    (long long)b->tlog[i].log_index),
					 rc, err);
		}
		o->skipped += skip;
		proof_only[i] = po && !skip;
	}
	/* a root that lists no log (GitHub's instance): its timestamp
	 * authorities stand in, judged in step_tsa_instead */
	if (root->ntlogs == 0)
		return AL_OK;
	if (b->ntlog == 0)
		return al_rec_rc(rec, AL_CK_TLOG_TRUSTED, "bundle",
				 al_err_set(err, AL_E_TLOG_NONE,
					    "no transparency-log entry verified: the bundle has none, and the "
					    "trusted root lists transparency logs"),
				 err);
	if (o->entries == 0)
		return al_rec_rc(rec, AL_CK_TLOG_TRUSTED, "bundle",
				 al_err_set(err, AL_E_TLOG_NONE,
					    "no transparency-log entry verified: %zu of %zu entries are from logs "
					    "the trusted root does not list", o->skipped, b->ntlog),
				 err);
	al_rec_check(rec, AL_CK_TLOG_TRUSTED, AL_ST_PASS, "bundle", NULL, "verifiedEntries",
		     al_rec_printf(rec, "%zu", o->entries), NULL);
	return AL_OK;
}

/* Under a trusted root that lists no transparency log (docs/trust.md §5),
 * nothing could be logged where this root looks, so "logged" cannot be
 * required; what it asks instead is a verified RFC 3161 timestamp from one of
 * its TSAs, the only signed time such an instance gives. Recorded as
 * tlog.trusted either way, so a root that cannot vouch hands the signature
 * on (al_under_roots).
 *
 * A root that lists no timestamp authority either can date nothing. A
 * certificate is then refused (it is valid only in a window), but a key has
 * no window: its signature alone is checked, as a site's own key is used
 * (docs/trust.md §5); the policy still needs its relaxation for the missing
 * log entry (vb_policy, evaluate.c), so this is never a silent pass. */
static al_rc
step_tsa_instead(const al_trust_root *root, const al_signer *s, const al_vtimes *times, al_outcome *o, al_rec *rec,
		 al_err *err)
{
	size_t ntsa = 0;

	if (root->ntlogs != 0)
		return AL_OK;
	for (size_t k = 0; k < times->n; k++)
		ntsa += times->v[k].src == AL_TIME_TSA;
	if (ntsa == 0 && !s->is_cert && root->ntsas == 0) {
		al_rec_check(rec, AL_CK_TLOG_TRUSTED, AL_ST_SKIP, "bundle",
			     "not applicable: a key signer, and the trusted root lists no transparency log and no "
			     "timestamp authority; nothing dates or logs the signature, the signature alone is checked",
			     NULL);
		appendf(o->tlog, sizeof(o->tlog), "%snone (key signer; the trusted root lists no log and no "
			"timestamp authority)", o->tlog[0] ? "; " : "");
		return AL_OK;
	}
	if (ntsa == 0)
		return al_rec_rc(rec, AL_CK_TLOG_TRUSTED, "bundle",
				 al_err_set(err, AL_E_TLOG_NONE,
					    "the trusted root lists no transparency log, so the bundle needs a "
					    "verified RFC 3161 timestamp from one of its timestamp authorities, "
					    "and has none"),
				 err);
	al_rec_check(rec, AL_CK_TLOG_TRUSTED, AL_ST_SKIP, "bundle",
		     "not applicable: the trusted root lists no transparency log; its timestamp authorities date "
		     "the signature instead", "verifiedTimestamps", al_rec_printf(rec, "%zu", ntsa), NULL);
	appendf(o->tlog, sizeof(o->tlog), "%snone required (the trusted root lists no log; %zu RFC 3161 "
		"timestamp%s)", o->tlog[0] ? "; " : "", ntsa, ntsa == 1 ? "" : "s");
	return AL_OK;
}

static al_rc
step_log_keys(const al_trust_root *root, const al_sigstore_bundle *b, const bool *proof_only,
	      const al_vtimes *times, al_rec *rec, al_err *err)
{
	al_rc rc = AL_OK;

	/* --- log keys of proof-only entries, at the RFC 3161 times: a checkpoint
	 * signature says nothing about when it was made, and the entry's
	 * integratedTime is unsigned, so a TSA's genTime is the only time the
	 * key can be judged at (SET times belong to other logs' entries) */
	for (size_t i = 0; i < b->ntlog; i++) {
		const al_trust_log *log;
		bool have_tsa = false;

		if (!proof_only[i])
			continue;
		log = al_trust_tlog_by_id(root, al_buf_bytes(&b->tlog[i].log_id));
		if (log == NULL)
			continue;
		for (size_t k = 0; k < times->n; k++) {
			char when[32];

			if (times->v[k].src != AL_TIME_TSA)
				continue;
			have_tsa = true;
			if (al_validity_contains(&log->valid_for, times->v[k].t))
				continue;
			al_time_format(times->v[k].t, when);
			return al_rec_rc(rec, AL_CK_TLOG_LOG_KEY_TIME, "log key",
					 al_err_set(err, AL_E_TLOG_PROOF,
						    "tlog entry %zu: log %s's key is not valid at the timestamped time "
						    "%s (%s)", i, (const char *)log->host.p, when, times->v[k].what),
					 err);
		}
		if (have_tsa)
			continue;
		if (al_rekor_kind_of(al_buf_bytes(&b->tlog[i].kind), al_buf_bytes(&b->tlog[i].version)) ==
		    AL_REKOR_HASHEDREKORD_V002)
			rc = al_err_set(err, AL_E_CRYPTO_TSA,
					"a Rekor v2 entry has no integrated time: the bundle needs a verified "
					"RFC 3161 timestamp, and has none");
		else
			rc = al_err_set(err, AL_E_CRYPTO_TSA,
					"tlog entry %zu has no inclusion promise, so its integratedTime is not signed: "
					"judging log %s's key needs a verified RFC 3161 timestamp, and the bundle has "
					"none", i, (const char *)log->host.p);
		return al_rec_rc(rec, AL_CK_TLOG_LOG_KEY_TIME, "log key", rc, err);
	}
	return AL_OK;
}

static al_rc
step_integrated_times(const al_sigstore_bundle *b, const al_signer *s, al_rec *rec, al_err *err)
{
	al_rc rc = AL_OK;

	/* --- certificate at every verified time, SCT, identity. A non-zero
	 * integratedTime outside the leaf's validity rejects even when no SET
	 * signs it (a contradiction, see check_entry; as sigstore-go does) */
	if (s->is_cert) {
		int64_t nb, na;

		al_x509_validity(al_certs_at(&s->leaf, 0), &nb, &na);
		for (size_t i = 0; i < b->ntlog; i++) {
			int64_t it = b->tlog[i].integrated_time;

			if (it != 0 && (it < nb || it > na)) {
				char when[32];

				al_time_format(it, when);
				rc = al_err_set(err, AL_E_CRYPTO_TIME,
						"tlog entry %zu: integratedTime %s%s is outside the signing "
						"certificate's validity", i, when,
						b->tlog[i].has_promise ? "" : " (not signed: the entry has no SET)");
				return al_rec_rc(rec, AL_CK_CERTIFICATE_VALIDITY, "signing certificate", rc, err);
			}
		}
	}
	return AL_OK;
}

al_rc
al_verify_sigstore(const al_trust_root *root, const al_sigstore_bundle *b, const al_pubkey *keys, size_t nkeys,
	      const al_identity_policy *idp, al_artifact *a, al_signer *s, al_vtimes *times, al_outcome *o,
	      al_rec *rec, al_err *err)
{
	bool proof_only[AL_MAX_TLOG_ENTRIES] = { false };
	al_rc rc;

	if ((rc = step_signer(b, nkeys, s, rec, err)) != AL_OK ||
	    (rc = step_signature(b, keys, nkeys, a, s, o, rec, err)) != AL_OK ||
	    (rc = step_tlog(root, b, s, times, proof_only, o, rec, err)) != AL_OK ||
	    (rc = al_check_timestamps(root, b->ts, b->nts, al_sigstore_bundle_signature(b), times, rec, err)) != AL_OK ||
	    (rc = step_tsa_instead(root, s, times, o, rec, err)) != AL_OK ||
	    (rc = step_log_keys(root, b, proof_only, times, rec, err)) != AL_OK ||
	    (rc = step_integrated_times(b, s, rec, err)) != AL_OK)
		return rc;
	return al_check_certificate(root, s, times, idp, rec, err);
}

/* One verify-bundle attempt under one root (al_under_roots): what it
 * establishes is kept only from the attempt that decides. */
typedef struct vb_try {
	const al_sigstore_bundle *b;
	const al_pubkey *keys;
	size_t nkeys;
	const al_identity_policy *idp;
	al_artifact *a;
	al_signer signer;
	al_vtimes times;
	al_outcome oc;
} vb_try;

/* Fulcio's extensions 1.3.6.1.4.1.57264.1.<arc> that sigstore-go's
 * certificate summary lists by name (arcs 9 and up; policy/ names them). */
#define FULCIO_SUMMARY_FIRST 9
#define FULCIO_SUMMARY_LAST 22

const al_sigstore_result *
al_sigstore_result_make(const al_sigstore_bundle *b, const al_signer *s, const al_vtimes *times,
			const al_identity_policy *idp, al_rec *rec)
{
	al_sigstore_result *vr = al_arena_alloc(rec->arena, sizeof(*vr), NULL);
	al_evidence *ev;
	size_t n = 0;

	if (vr == NULL) {
		rec->oom = true;
		return NULL;
	}
	if (b->is_dsse)
		vr->statement = al_rec_printf(rec, "%.*s", (int)b->dsse.payload.n, (const char *)b->dsse.payload.p);
	if (s->is_cert) {
		const mbedtls_x509_crt *crt = al_certs_at(&s->leaf, 0);
		char dn[512];

		if ((ev = al_arena_alloc(rec->arena, (3 + FULCIO_SUMMARY_LAST) * sizeof(*ev), NULL)) == NULL) {
			rec->oom = true;
			return NULL;
		}
		al_x509_issuer_dn(crt, dn, sizeof(dn));
		ev[n++] = (al_evidence){ "certificateIssuer", al_rec_str(rec, dn) };
		ev[n++] = (al_evidence){ "subjectAlternativeName",
					 al_rec_printf(rec, "%.*s", (int)s->id.san.n, (const char *)s->id.san.p) };
		ev[n++] = (al_evidence){ "issuer",
					 al_rec_printf(rec, "%.*s", (int)s->id.issuer.n, (const char *)s->id.issuer.p) };
		for (unsigned arc = FULCIO_SUMMARY_FIRST; arc <= FULCIO_SUMMARY_LAST; arc++) {
			al_bytes v;
			bool present = false;
			al_err e;

			if (al_fulcio_ext_name(arc) != NULL && al_x509_fulcio_ext(crt, arc, &v, &present, &e) == AL_OK &&
			    present)
				ev[n++] = (al_evidence){ al_fulcio_ext_name(arc),
							 al_rec_printf(rec, "%.*s", (int)v.n, (const char *)v.p) };
		}
		vr->cert = ev;
		vr->ncert = n;
		if (idp != NULL) {
			vr->san = idp->san ? al_rec_str(rec, idp->san) : NULL;
			vr->san_regexp = idp->san_regexp ? al_rec_str(rec, idp->san_regexp) : NULL;
			vr->issuer = idp->issuer ? al_rec_str(rec, idp->issuer) : NULL;
			vr->issuer_regexp = idp->issuer_regexp ? al_rec_str(rec, idp->issuer_regexp) : NULL;
		}
	} else if (s->key != NULL) {
		char hex[65];

		al_hex_encode(s->key->spki_sha256, 32, hex);
		vr->key_sha256 = al_rec_str(rec, hex);
	}
	if (times->n) {
		al_vtime_info *vt = al_arena_alloc(rec->arena, times->n * sizeof(*vt), NULL);

		if (vt == NULL) {
			rec->oom = true;
			return NULL;
		}
		for (size_t i = 0; i < times->n; i++) {
			char when[32];

			al_time_format(times->v[i].t, when);
			vt[i] = (al_vtime_info){ times->v[i].src == AL_TIME_TSA ? "TimestampAuthority" : "Tlog",
						 al_rec_str(rec, times->v[i].uri), al_rec_str(rec, when) };
		}
		vr->vtimes = vt;
		vr->nvtimes = times->n;
	}
	return vr;
}

/* The inputs' digests, for the report (docs/report.md). */
static void
vb_inputs(const char *bundle_path, const al_pol_authority *a, const al_trust_set *trust, const al_sigstore_bundle *b,
	  const al_artifact *art, const al_pubkey *keys, size_t nkeys, al_rec *rec, al_vb_result *res)
{
	al_input_digest *in = al_arena_alloc(rec->arena, (3 + AL_MAX_POLICY_KEYS) * sizeof(*in), NULL);
	size_t n = 0;

	if (in == NULL) {
		rec->oom = true;
		return;
	}
	in[n] = (al_input_digest){ "bundle", al_rec_str(rec, bundle_path), "file", "" };
	al_hex_encode(b->sha256, 32, in[n++].sha256);
	in[n] = (al_input_digest){ "trustedRoot", trust->embedded ? NULL : al_rec_str(rec, trust->source),
				   trust->embedded ? "embedded trusted_root.json" : trust->jsonl ? "JSON Lines file" : "file",
				   "" };
	al_hex_encode(trust->sha256, 32, in[n++].sha256);
	if (art->have[AL_HASH_SHA256]) {
		in[n] = (al_input_digest){ "artifact", art->path ? al_rec_str(rec, art->path) : NULL,
					   art->path ? "file" : "digest given", "" };
		al_hex_encode(art->d[AL_HASH_SHA256], 32, in[n++].sha256);
	}
	for (size_t i = 0; i < nkeys; i++) {
		in[n] = (al_input_digest){ "key", al_rec_str(rec, a->keys[i].path), "SubjectPublicKeyInfo", "" };
		al_hex_encode(keys[i].spki_sha256, 32, in[n++].sha256);
	}
	res->inputs = in;
	res->ninputs = n;
}

static al_rc
vb_under(const al_trust_root *root, void *arg, al_rec *rec, al_err *err)
{
	vb_try *t = arg;

	al_vtimes_free(&t->times);
	al_signer_free(&t->signer);
	memset(&t->signer, 0, sizeof(t->signer));
	memset(&t->oc, 0, sizeof(t->oc));
	return al_verify_sigstore(root, t->b, t->keys, t->nkeys, t->idp, t->a, &t->signer, &t->times, &t->oc, rec,
				  err);
}

/* What the flags' rule asks of a bundle that verified (docs/policy.md §4.2,
 * §4.3): log entries, signed timestamps, attestations. */
static al_rc
vb_policy(const al_pol_rule *r, const al_sigstore_bundle *b, al_rec *rec, al_err *err)
{
	size_t ntlog = 0, ntsa = 0;
	al_rc rc;

	for (size_t i = 0; i < rec->n; i++) {
		ntlog += rec->v[i].status == AL_ST_PASS && strcmp(rec->v[i].name, AL_CK_TLOG_ENTRY) == 0;
		ntsa += rec->v[i].status == AL_ST_PASS && strcmp(rec->v[i].name, AL_CK_TIMESTAMP_RFC3161) == 0;
	}
	if (ntlog < r->tlog_min)
		return al_rec_rc(rec, AL_CK_POLICY_TLOG, "bundle",
				 al_err_set(err, AL_E_TLOG_NONE,
					    "no transparency-log entry: the trusted root lists no log, and the "
					    "policy requires an entry (docs/policy.md §4.5)"),
				 err);
	if (ntlog == 0)
		al_rec_check(rec, AL_CK_POLICY_TLOG, AL_ST_WARN, "bundle",
			     "RELAXED (insecure-ignore-tlog): no transparency-log entry, none required", NULL);
	if (ntsa < r->tsa_min)
		return al_rec_rc(rec, AL_CK_POLICY_TIMESTAMPS, "bundle",
				 al_err_set(err, AL_E_VERIFY_FAILED, "%zu verified RFC 3161 timestamp%s; the policy "
					    "requires %zu", ntsa, ntsa == 1 ? "" : "s", r->tsa_min),
				 err);
	for (size_t k = 0; k < r->natt; k++) {
		const al_pol_att *att = &r->att[k];
		al_intoto_statement st;
		bool match = false;

		if (!b->is_dsse)
			return al_rec_rc(rec, AL_CK_POLICY_ATTESTATION, "bundle",
					 al_err_set(err, AL_E_VERIFY_POLICY, "the policy requires an attestation (%s), and "
						    "this bundle is a message signature", att->predicate_type),
					 err);
		memset(&st, 0, sizeof(st));
		if ((rc = al_intoto_parse(al_buf_bytes(&b->dsse.payload_type), al_buf_bytes(&b->dsse.payload), &st, err)) !=
		    AL_OK)
			return al_rec_rc(rec, AL_CK_POLICY_ATTESTATION, "in-toto statement", rc, err);
		if (strcmp(att->predicate_type, AL_PT_SLSA_ANY) == 0)
			match = al_bytes_eq_str(al_buf_bytes(&st.predicate_type), AL_PT_SLSA_V02) ||
				al_bytes_eq_str(al_buf_bytes(&st.predicate_type), AL_PT_SLSA_V1);
		else
			match = al_bytes_eq_str(al_buf_bytes(&st.predicate_type), att->predicate_type);
		if (!match)
			rc = al_err_set(err, AL_E_VERIFY_POLICY, "the statement's predicate type is %.200s, the policy "
					"requires %s", (const char *)st.predicate_type.p, att->predicate_type);
		else if (att->slsa)
			rc = al_slsa_check(att, al_buf_bytes(&b->dsse.payload), err);
		al_intoto_free(&st);
		if (rc != AL_OK)
			return al_rec_rc(rec, AL_CK_POLICY_ATTESTATION, "in-toto statement", rc, err);
		al_rec_check(rec, AL_CK_POLICY_ATTESTATION, AL_ST_PASS, "in-toto statement", NULL, "predicateType",
			     att->predicate_type, NULL);
	}
	return AL_OK;
}

/* What every bundle of a run shares (al_vb_session_open): the policy of the
 * flags, its keys and the trust set, read once. */
struct al_vb_session {
	al_policy *pol;
	const al_pol_rule *r;
	const al_pol_authority *a;
	al_identity_policy idp;
	al_pubkey keys[AL_MAX_POLICY_KEYS];
	size_t nkeys;
	al_trust_set trust;
	char age[160];
	int64_t eval_time;
	bool eval_time_given;
};

al_rc
al_vb_session_open(const al_vb_opts *o, al_vb_session **out, al_err *err)
{
	al_vb_session *s;
	al_rc rc;

	*out = NULL;
	if (o->flags.ca_roots || o->flags.ca_intermediates)
		return al_err_set(err, AL_E_USAGE, "a Sigstore bundle is verified against Fulcio or a key; --ca-roots is "
				  "for image signatures ('airlock verify')");
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	s->eval_time = al_eval_time(o->at);
	s->eval_time_given = o->at != 0;
	/* the same policy the flags state for `verify` (docs/policy.md §5) */
	if ((rc = al_policy_from_flags(&o->flags, &s->pol, err)) != AL_OK)
		goto fail;
	s->r = &s->pol->rules[0];
	s->a = &s->r->auth[0];
	s->idp = (al_identity_policy){ s->a->identity.exact, s->a->identity.regexp, s->a->issuer.exact,
				       s->a->issuer.regexp, s->a->ext, s->a->next, (s->r->relax & AL_RELAX_SCT) != 0 };
	for (; s->nkeys < s->a->nkeys; s->nkeys++) {
		al_pubkey_init(&s->keys[s->nkeys]);
		if ((rc = al_trust_load_pem_key(s->a->keys[s->nkeys].path, &s->keys[s->nkeys], err)) != AL_OK) {
			al_pubkey_free(&s->keys[s->nkeys]);
			goto fail;
		}
	}
	if ((rc = al_trust_set_load(o->trusted_root_path, &s->trust, err)) != AL_OK ||
	    (rc = al_trust_fresh(&s->trust, s->eval_time, o->max_trust_age, s->age, sizeof(s->age), err)) != AL_OK)
		goto fail;
	*out = s;
	return AL_OK;
fail:
	al_vb_session_close(s);
	return rc;
}

const char *
al_vb_session_trust_age(const al_vb_session *s)
{
	return s->age;
}

void
al_vb_session_close(al_vb_session *s)
{
	if (s == NULL)
		return;
	al_trust_set_free(&s->trust);
	for (size_t i = 0; i < s->nkeys; i++)
		al_pubkey_free(&s->keys[i]);
	al_policy_free(s->pol);
	free(s);
}

al_rc
al_vb_session_verify(al_vb_session *s, const char *bundle_path, const char *artifact, al_vb_result *res,
		     al_err *err)
{
	const al_trust_set *trust = &s->trust;
	al_sigstore_bundle b;
	al_artifact art;
	vb_try t;
	al_rec rec;
	size_t which = 0;
	char desc[256];
	al_rc rc;

	memset(&t, 0, sizeof(t));
	memset(&b, 0, sizeof(b));
	memset(res, 0, sizeof(*res));
	memset(&rec, 0, sizeof(rec));
	rec.arena = &res->arena;
	res->eval_time = s->eval_time;
	res->eval_time_given = s->eval_time_given;
	if (bundle_path == NULL)
		return al_err_set(err, AL_E_USAGE, "--bundle is required");
	if ((rc = al_artifact_init(&art, artifact, err)) != AL_OK)
		goto out;
	if ((rc = al_sigstore_bundle_load(bundle_path, &b, err)) != AL_OK) {
		/* a bundle that does not parse is a failed verification, not a usage error */
		if (rc != AL_E_IO)
			rc = al_err_recode(err, rc == AL_E_LIMIT ? AL_E_LIMIT : AL_E_BUNDLE_FORMAT, "bundle");
		goto out;
	}
	t.b = &b;
	t.keys = s->keys;
	t.nkeys = s->nkeys;
	t.idp = s->nkeys ? NULL : &s->idp;
	t.a = &art;
	rc = al_under_roots(trust, vb_under, &t, &rec, &which, err);
	if (rc == AL_OK)
		rc = vb_policy(s->r, &b, &rec, err);
	res->checks = rec.v;
	res->nchecks = rec.n;
	if (rc != AL_OK) {
		if (trust->n > 1)
			al_err_prefix(err, "under trusted root %zu of %zu", which + 1, trust->n);
		al_err_prefix(err, "%s", bundle_path);
		goto out;
	}
	al_artifact_describe(&art, desc, sizeof(desc));
	al_hex_encode(trust->roots[which].sha256, 32, res->trusted_root_sha256);
	res->trusted_root_source = al_rec_str(&rec, trust->source);
	res->trusted_root_embedded = trust->embedded;
	res->trusted_root_state = trust->from_state;
	res->trusted_root_index = which;
	res->trusted_roots = trust->n;
	res->trust_age = al_rec_str(&rec, s->age);
	res->is_dsse = b.is_dsse;
	res->artifact = al_rec_str(&rec, desc);
	res->subject = t.oc.subject[0] ? al_rec_str(&rec, t.oc.subject) : NULL;
	res->tlog = al_rec_str(&rec, t.oc.tlog);
	if (t.signer.is_cert)
		res->signer = al_rec_printf(&rec, "certificate identity %.*s (issuer %.*s)", (int)t.signer.id.san.n,
					    (const char *)t.signer.id.san.p, (int)t.signer.id.issuer.n,
					    (const char *)t.signer.id.issuer.p);
	else
		res->signer = al_rec_printf(&rec, "key %s sha256:%02x%02x%02x%02x…", al_key_kind_name(t.signer.key->kind),
					    t.signer.key->spki_sha256[0], t.signer.key->spki_sha256[1],
					    t.signer.key->spki_sha256[2], t.signer.key->spki_sha256[3]);
	if (t.times.n) {
		char when[32];

		al_time_format(t.times.v[0].t, when);
		res->time = al_rec_printf(&rec, "signed at %s (%s)", when, t.times.v[0].what);
	} else {
		res->time = al_rec_str(&rec, "no signed time (key mode, none in the bundle)");
	}
	vb_inputs(bundle_path, s->a, trust, &b, &art, s->keys, s->nkeys, &rec, res);
	res->vr = al_sigstore_result_make(&b, &t.signer, &t.times, t.idp, &rec);
	res->checks = rec.v;
	res->nchecks = rec.n;
	if (rec.oom)
		rc = al_err_set(err, AL_E_NOMEM, "out of memory recording the result");
out:
	al_vtimes_free(&t.times);
	al_signer_free(&t.signer);
	al_sigstore_bundle_free(&b);
	return rc;
}

al_rc
al_verify_bundle_cmd(const al_vb_opts *o, al_vb_result *res, al_err *err)
{
	al_vb_session *s;
	al_rc rc;

	memset(res, 0, sizeof(*res));
	res->eval_time = al_eval_time(o->at);
	res->eval_time_given = o->at != 0;
	if (o->bundle_path == NULL)
		return al_err_set(err, AL_E_USAGE, "--bundle is required");
	if ((rc = al_vb_session_open(o, &s, err)) != AL_OK)
		return rc;
	rc = al_vb_session_verify(s, o->bundle_path, o->artifact, res, err);
	al_vb_session_close(s);
	return rc;
}
