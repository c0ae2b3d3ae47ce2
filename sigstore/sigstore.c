/*
 * sigstore.c — Sigstore bundles (v0.1 .. v0.3) and DSSE envelopes into
 * typed models.
 *
 * Everything here is attacker-controlled: a bundle is whatever came with
 * the artifact. The parser's job is to turn it into a model with no
 * ambiguity left (one content, one kind of key material, every byte field
 * decoded, every count bounded) and to reject, before any cryptography,
 * the shapes that docs/design.md §7 calls invalid. The rules and
 * their sources are listed in sigstore.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sigstore/sigstore.h"

#define BF AL_E_BUNDLE_FORMAT

/* ---------------------------------------------------------------- helpers */

/* At most 80 bytes of an untrusted string, for messages. */
#define SHOW(s) (int)((s).n > 80 ? 80 : (s).n), (const char *)(s).p

static al_rc
get_str_copy(const al_json *obj, const char *path, const char *key, bool required,
	     bool nonempty, al_buf *out, al_err *err)
{
	al_bytes s;
	al_jpath p;
	al_rc rc = al_json_get_str(obj, path, key, required, &s, err);

	if (rc != AL_OK)
		return rc;
	if (nonempty && s.n == 0) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, BF, "%s: empty", p.s);
	}
	return al_buf_dup(out, s, err);
}

/* A base64 member decoded into out with 1..max bytes (exactly max when
 * exact). Absent and not required: out stays empty. */
static al_rc
get_bytes(const al_json *obj, const char *path, const char *key, bool required, size_t max,
	  bool exact, al_buf *out, al_err *err)
{
	al_jpath p;
	bool present = al_json_member(obj, key) != NULL;
	al_rc rc = al_json_get_b64(obj, path, key, required, out, err);

	if (rc != AL_OK || !present)
		return rc;
	al_jpath_key(&p, path, key);
	if (exact && out->n != max)
		return al_err_set(err, BF, "%s: %zu bytes, expected %zu", p.s, out->n, max);
	if (out->n == 0)
		return al_err_set(err, BF, "%s: empty", p.s);
	if (out->n > max)
		return al_err_set(err, AL_E_LIMIT, "%s: %zu bytes, more than the limit of %zu", p.s,
				  out->n, max);
	return AL_OK;
}

/* A base64 array element (a string node), as al_json_get_b64 decodes. */
static al_rc
b64_node(const al_json *n, const char *path, al_buf *out, al_err *err)
{
	if (!al_json_is_str(n))
		return al_err_set(err, BF, "%s: not a string", path);
	if (al_b64_decode_lenient(al_json_str_bytes(n), out, err) != AL_OK)
		return al_err_recode(err, BF, "%s: invalid base64", path);
	return AL_OK;
}

/* An int64 member that must not be negative; absent is 0 (proto3). */
static al_rc
get_nonneg(const al_json *obj, const char *path, const char *key, int64_t *out, al_err *err)
{
	al_jpath p;
	al_rc rc = al_json_get_i64(obj, path, key, false, out, NULL, err);

	if (rc != AL_OK)
		return rc;
	if (*out < 0) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, BF, "%s: negative (%lld)", p.s, (long long)*out);
	}
	return AL_OK;
}

/* An array member with at most max elements (absent: NULL, 0). */
static al_rc
get_arr(const al_json *obj, const char *path, const char *key, bool required, size_t max,
	const al_json **arr, size_t *n, al_err *err)
{
	al_jpath p;
	al_rc rc = al_json_get_arr(obj, path, key, required, arr, err);

	*n = 0;
	if (rc != AL_OK || *arr == NULL)
		return rc;
	*n = al_json_arr_len(*arr);
	if (*n > max) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, AL_E_LIMIT, "%s: %zu elements, more than the limit of %zu", p.s,
				  *n, max);
	}
	return AL_OK;
}

/* Element i of an array, which must be an object. */
static al_rc
obj_at(const al_json *arr, const char *path, const char *key, size_t i, const al_json **out,
       al_jpath *ep, al_err *err)
{
	al_jpath p;

	al_jpath_key(&p, path, key);
	al_jpath_idx(ep, p.s, i);
	*out = al_json_arr_at(arr, i);
	if (!al_json_is_obj(*out))
		return al_err_set(err, BF, "%s: not an object", ep->s);
	return AL_OK;
}

/* One DER element, a SEQUENCE with a minimal definite length spanning the
 * whole input: certificates and TimeStampResps are checked for this much
 * here, and parsed for real by crypto/. */
static bool
der_is_sequence(al_bytes der)
{
	al_rd r = al_rd_of(der);
	al_der e;

	/* crypto's strict DER reader: minimal definite lengths, nothing after */
	return al_der_any(&r, &e) && e.tag == 0x30 && al_rd_done(&r);
}

static al_rc
get_der(const al_json *obj, const char *path, const char *key, al_buf *out, al_err *err)
{
	al_jpath p;
	al_rc rc = get_bytes(obj, path, key, true, AL_MAX_DER, false, out, err);

	if (rc != AL_OK)
		return rc;
	if (!der_is_sequence(al_buf_bytes(out))) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, BF, "%s: not a DER structure (SEQUENCE)", p.s);
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- DSSE */

static void
dsse_free(al_dsse_envelope *env)
{
	al_buf_free(&env->payload_type);
	al_buf_free(&env->payload);
	for (size_t i = 0; i < AL_MAX_DSSE_SIGS; i++) {
		al_buf_free(&env->sigs[i].sig);
		al_buf_free(&env->sigs[i].keyid);
	}
	env->nsigs = 0;
}

void
al_dsse_envelope_free(al_dsse_envelope *env)
{
	if (env != NULL)
		dsse_free(env);
}

static al_rc
parse_dsse(const al_json *o, const char *path, bool strict, al_dsse_envelope *env, al_err *err)
{
	static const char *const keys[] = { "payload", "payloadType", "signatures", NULL };
	static const char *const sig_keys[] = { "sig", "keyid", NULL };
	const al_json *sigs;
	size_t n;
	al_jpath p;
	al_rc rc;

	if (strict && (rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(o, path, "payloadType", true, true, &env->payload_type, err)) != AL_OK)
		return rc;
	if ((rc = get_bytes(o, path, "payload", true, AL_MAX_PAYLOAD, false, &env->payload, err)) !=
	    AL_OK)
		return rc;
	if ((rc = get_arr(o, path, "signatures", true, AL_MAX_DSSE_SIGS, &sigs, &n, err)) != AL_OK)
		return rc;
	if (n == 0) {
		al_jpath_key(&p, path, "signatures");
		return al_err_set(err, BF, "%s: no signatures", p.s);
	}
	for (size_t i = 0; i < n; i++) {
		const al_json *s;

		if ((rc = obj_at(sigs, path, "signatures", i, &s, &p, err)) != AL_OK)
			return rc;
		if (strict && (rc = al_json_only_keys(s, p.s, sig_keys, err)) != AL_OK)
			return rc;
		env->nsigs = i + 1;
		if ((rc = get_bytes(s, p.s, "sig", true, AL_MAX_SIGNATURE, false, &env->sigs[i].sig,
				    err)) != AL_OK)
			return rc;
		if ((rc = get_str_copy(s, p.s, "keyid", false, false, &env->sigs[i].keyid, err)) !=
		    AL_OK)
			return rc;
	}
	return AL_OK;
}

/* JSON and codec errors of a document this module parses are format errors
 * of that document; limits and memory keep their codes. */
static al_rc
reclass(al_err *err, al_rc rc)
{
	if (rc == AL_E_JSON || rc == AL_E_DECODE)
		return al_err_recode(err, BF, "%s", "");
	return rc;
}

al_rc
al_dsse_envelope_parse(al_bytes json, al_dsse_envelope *env, al_err *err)
{
	al_json *doc = NULL;
	al_rc rc;

	memset(env, 0, sizeof(*env));
	rc = al_json_parse(json, &doc, err);
	if (rc == AL_OK && !al_json_is_obj(doc))
		rc = al_err_set(err, BF, "DSSE envelope: not a JSON object");
	if (rc == AL_OK)
		rc = parse_dsse(doc, "", false, env, err);
	al_json_free(doc);
	if (rc != AL_OK) {
		dsse_free(env);
		return reclass(err, rc);
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- media types */

int
al_sigstore_bundle_version(al_bytes mt)
{
	static const char *const names[][2] = {
		{ "application/vnd.dev.sigstore.bundle+json;version=0.1",
		  "application/vnd.dev.sigstore.bundle.v0.1+json" },
		{ "application/vnd.dev.sigstore.bundle+json;version=0.2",
		  "application/vnd.dev.sigstore.bundle.v0.2+json" },
		{ "application/vnd.dev.sigstore.bundle+json;version=0.3",
		  "application/vnd.dev.sigstore.bundle.v0.3+json" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(names); i++)
		if (al_bytes_eq_str(mt, names[i][0]) || al_bytes_eq_str(mt, names[i][1]))
			return (int)i + 1;
	return 0;
}

/* ---------------------------------------------------------------- content */

static al_rc
parse_message_signature(const al_json *o, const char *path, al_sigstore_bundle *b, al_err *err)
{
	static const char *const keys[] = { "messageDigest", "signature", NULL };
	static const char *const md_keys[] = { "algorithm", "digest", NULL };
	const al_json *md, *alg;
	al_jpath p, pa;
	al_rc rc;

	if ((rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_bytes(o, path, "signature", true, AL_MAX_SIGNATURE, false, &b->signature,
			    err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "messageDigest", false, &md, err)) != AL_OK || md == NULL)
		return rc;
	al_jpath_key(&p, path, "messageDigest");
	if ((rc = al_json_only_keys(md, p.s, md_keys, err)) != AL_OK)
		return rc;
	al_jpath_key(&pa, p.s, "algorithm");
	/* protobuf JSON writes the enum's name; readers also take its number */
	alg = al_json_member(md, "algorithm");
	if (alg == NULL)
		return al_err_set(err, BF, "%s: missing (HASH_ALGORITHM_UNSPECIFIED)", pa.s);
	if (al_json_is_str(alg)) {
		al_bytes s = al_json_str_bytes(alg);

		const al_pb_hash *h = al_pb_hash_by_name(s);

		b->digest_alg = h ? h->hash : AL_HASH_NONE;
		if (b->digest_alg == AL_HASH_NONE)
			return al_err_set(err, BF, "%s: unsupported \"%.*s\" (expected SHA2_256, "
					  "SHA2_384 or SHA2_512)", pa.s, SHOW(s));
	} else {
		int64_t v;
		const al_pb_hash *h;

		if ((rc = al_json_get_i64(md, p.s, "algorithm", true, &v, NULL, err)) != AL_OK)
			return al_err_set(err, BF, "%s: not an enum name or number", pa.s);
		h = al_pb_hash_by_num(v);
		b->digest_alg = h ? h->hash : AL_HASH_NONE;
		if (b->digest_alg == AL_HASH_NONE)
			return al_err_set(err, BF, "%s: unsupported value %lld", pa.s, (long long)v);
	}
	return get_bytes(md, p.s, "digest", true, al_hash_len(b->digest_alg), true, &b->digest, err);
}

/* ---------------------------------------------------------------- tlog entries */

/* The Rekor body names its own kind and apiVersion; they must be the
 * kindVersion the bundle claims, or the entry means two things. */
static al_rc
check_body_kind(const al_sigstore_tlog_entry *e, const char *path, al_err *err)
{
	al_json *doc = NULL;
	al_bytes kind, ver;
	al_rc rc;

	rc = al_json_parse(al_buf_bytes(&e->body), &doc, err);
	if (rc == AL_OK && !al_json_is_obj(doc))
		rc = al_err_set(err, BF, "not a JSON object");
	if (rc == AL_OK)
		rc = al_json_get_str(doc, "", "kind", true, &kind, err);
	if (rc == AL_OK)
		rc = al_json_get_str(doc, "", "apiVersion", true, &ver, err);
	if (rc != AL_OK) {
		al_json_free(doc);
		return al_err_recode(err, rc == AL_E_NOMEM ? rc : BF,
				     "%s.canonicalizedBody: not a Rekor entry", path);
	}
	if (!al_bytes_eq(kind, al_buf_bytes(&e->kind)) || !al_bytes_eq(ver, al_buf_bytes(&e->version)))
		rc = al_err_set(err, BF, "%s.canonicalizedBody: entry is %.*s/%.*s but kindVersion "
				"says %s/%s", path, SHOW(kind), SHOW(ver), (const char *)e->kind.p,
				(const char *)e->version.p);
	al_json_free(doc);
	return rc;
}

/* *has_cp tells whether the proof carries a (non-empty) checkpoint; the
 * caller decides what a proof without one means. */
static al_rc
parse_proof(const al_json *o, const char *path, al_sigstore_proof *pr, bool *has_cp, al_err *err)
{
	static const char *const keys[] = { "logIndex", "rootHash", "treeSize", "hashes",
					    "checkpoint", NULL };
	static const char *const cp_keys[] = { "envelope", NULL };
	const al_json *hashes, *cp;
	al_buf tmp = { 0 };
	al_jpath p;
	size_t n;
	al_rc rc;

	if ((rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_nonneg(o, path, "logIndex", &pr->log_index, err)) != AL_OK ||
	    (rc = get_nonneg(o, path, "treeSize", &pr->tree_size, err)) != AL_OK)
		return rc;
	if (pr->log_index >= pr->tree_size)
		return al_err_set(err, BF, "%s: logIndex %lld is not inside a tree of size %lld", path,
				  (long long)pr->log_index, (long long)pr->tree_size);
	if ((rc = get_bytes(o, path, "rootHash", true, 32, true, &tmp, err)) != AL_OK)
		goto out;
	memcpy(pr->root_hash, tmp.p, 32);
	if ((rc = get_arr(o, path, "hashes", false, AL_MAX_PROOF_HASHES, &hashes, &n, err)) != AL_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		al_jpath ph;

		al_jpath_key(&p, path, "hashes");
		al_jpath_idx(&ph, p.s, i);
		if ((rc = b64_node(al_json_arr_at(hashes, i), ph.s, &tmp, err)) != AL_OK)
			goto out;
		if (tmp.n != 32) {
			rc = al_err_set(err, BF, "%s: %zu bytes, expected 32", ph.s, tmp.n);
			goto out;
		}
		memcpy(pr->hashes[i], tmp.p, 32);
		pr->nhashes = i + 1;
	}
	*has_cp = false;
	al_jpath_key(&p, path, "checkpoint");
	if ((rc = al_json_get_obj(o, path, "checkpoint", false, &cp, err)) != AL_OK || cp == NULL)
		goto out;
	if ((rc = al_json_only_keys(cp, p.s, cp_keys, err)) != AL_OK)
		goto out;
	if ((rc = get_str_copy(cp, p.s, "envelope", false, false, &pr->checkpoint, err)) != AL_OK)
		goto out;
	*has_cp = pr->checkpoint.n > 0;
	if (pr->checkpoint.n > AL_MAX_CHECKPOINT)
		rc = al_err_set(err, AL_E_LIMIT, "%s.envelope: %zu bytes, more than the limit of %u",
				p.s, pr->checkpoint.n, AL_MAX_CHECKPOINT);
out:
	al_buf_free(&tmp);
	return rc;
}

static al_rc
parse_tlog_entry(const al_json *o, const char *path, int version, al_sigstore_tlog_entry *e,
		 al_err *err)
{
	static const char *const keys[] = { "logIndex", "logId", "kindVersion", "integratedTime",
					    "inclusionPromise", "inclusionProof",
					    "canonicalizedBody", NULL };
	static const char *const id_keys[] = { "keyId", NULL };
	static const char *const kv_keys[] = { "kind", "version", NULL };
	static const char *const ip_keys[] = { "signedEntryTimestamp", NULL };
	const al_json *id, *kv, *prom, *proof;
	al_jpath p;
	al_rc rc;

	if ((rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_nonneg(o, path, "logIndex", &e->log_index, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "logId", true, &id, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "logId");
	if ((rc = al_json_only_keys(id, p.s, id_keys, err)) != AL_OK ||
	    (rc = get_bytes(id, p.s, "keyId", true, AL_HASH_MAX, false, &e->log_id, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "kindVersion", true, &kv, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "kindVersion");
	if ((rc = al_json_only_keys(kv, p.s, kv_keys, err)) != AL_OK ||
	    (rc = get_str_copy(kv, p.s, "kind", true, true, &e->kind, err)) != AL_OK ||
	    (rc = get_str_copy(kv, p.s, "version", true, true, &e->version, err)) != AL_OK)
		return rc;
	if ((rc = get_nonneg(o, path, "integratedTime", &e->integrated_time, err)) != AL_OK)
		return rc;
	if ((rc = get_bytes(o, path, "canonicalizedBody", true, AL_MAX_JSON_DOC, false, &e->body,
			    err)) != AL_OK)
		return rc;
	if ((rc = check_body_kind(e, path, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "inclusionPromise", false, &prom, err)) != AL_OK)
		return rc;
	if (prom != NULL) {
		al_jpath_key(&p, path, "inclusionPromise");
		if ((rc = al_json_only_keys(prom, p.s, ip_keys, err)) != AL_OK ||
		    (rc = get_bytes(prom, p.s, "signedEntryTimestamp", true, AL_MAX_SIGNATURE, false,
				    &e->set, err)) != AL_OK)
			return rc;
		e->has_promise = true;
	}
	if ((rc = al_json_get_obj(o, path, "inclusionProof", false, &proof, err)) != AL_OK)
		return rc;
	if (proof != NULL) {
		bool has_cp = false;

		al_jpath_key(&p, path, "inclusionProof");
		if ((rc = parse_proof(proof, p.s, &e->proof, &has_cp, err)) != AL_OK)
			return rc;
		/* An inclusion proof is only as good as the signed tree head it
		 * ends in. From v0.2 on a proof without one is an error
		 * (sigstore-go, sigstore-python); early v0.1 bundles (CPython
		 * releases) carry such proofs next to the SET they are verified
		 * by, so there the unusable proof is left out of the model. */
		if (has_cp)
			e->has_proof = true;
		else if (version >= 2)
			return al_err_set(err, BF, "%s.checkpoint: missing or empty (an inclusion "
					  "proof needs a checkpoint)", p.s);
		else {
			al_buf_free(&e->proof.checkpoint);
			memset(&e->proof, 0, sizeof(e->proof));
		}
	}
	/* v0.1 bundles are verified through their SETs; from v0.2 on, offline
	 * verification rests on the inclusion proof */
	if (version == 1 && !e->has_promise)
		return al_err_set(err, BF, "%s.inclusionPromise: missing (required in a v0.1 bundle)",
				  path);
	if (version >= 2 && !e->has_proof)
		return al_err_set(err, BF, "%s.inclusionProof: missing (required from bundle v0.2 on)",
				  path);
	return AL_OK;
}

static void
tlog_entry_free(al_sigstore_tlog_entry *e)
{
	al_buf_free(&e->log_id);
	al_buf_free(&e->kind);
	al_buf_free(&e->version);
	al_buf_free(&e->body);
	al_buf_free(&e->set);
	al_buf_free(&e->proof.checkpoint);
}

/* ---------------------------------------------------------------- verification material */

static al_rc
parse_certs(const al_json *vm, const char *path, al_sigstore_bundle *b, al_err *err)
{
	static const char *const chain_keys[] = { "certificates", NULL };
	static const char *const cert_keys[] = { "rawBytes", NULL };
	const al_json *c, *chain, *certs;
	al_jpath p, pe;
	size_t n;
	al_rc rc;

	if ((rc = al_json_get_obj(vm, path, "certificate", false, &c, err)) != AL_OK)
		return rc;
	if (c != NULL) {
		al_jpath_key(&p, path, "certificate");
		if ((rc = al_json_only_keys(c, p.s, cert_keys, err)) != AL_OK)
			return rc;
		b->vm = AL_SIGSTORE_VM_CERTIFICATE;
		b->ncerts = 1;
		return get_der(c, p.s, "rawBytes", &b->certs[0], err);
	}
	if ((rc = al_json_get_obj(vm, path, "x509CertificateChain", true, &chain, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "x509CertificateChain");
	if (b->version >= 3)
		return al_err_set(err, BF, "%s: not allowed in a v0.3 bundle (v0.3 carries the leaf "
				  "alone in \"certificate\")", p.s);
	if ((rc = al_json_only_keys(chain, p.s, chain_keys, err)) != AL_OK)
		return rc;
	if ((rc = get_arr(chain, p.s, "certificates", false, AL_MAX_CHAIN_CERTS, &certs, &n, err)) !=
	    AL_OK)
		return rc;
	if (n == 0)
		return al_err_set(err, BF, "%s.certificates: empty certificate chain", p.s);
	b->vm = AL_SIGSTORE_VM_CHAIN;
	for (size_t i = 0; i < n; i++) {
		if ((rc = obj_at(certs, p.s, "certificates", i, &c, &pe, err)) != AL_OK ||
		    (rc = al_json_only_keys(c, pe.s, cert_keys, err)) != AL_OK)
			return rc;
		b->ncerts = i + 1;
		if ((rc = get_der(c, pe.s, "rawBytes", &b->certs[i], err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
parse_timestamps(const al_json *vm, const char *path, al_sigstore_bundle *b, al_err *err)
{
	static const char *const tvd_keys[] = { "rfc3161Timestamps", NULL };
	static const char *const ts_keys[] = { "signedTimestamp", NULL };
	const al_json *tvd, *arr, *t;
	al_jpath p, pe;
	size_t n;
	al_rc rc;

	if ((rc = al_json_get_obj(vm, path, "timestampVerificationData", false, &tvd, err)) != AL_OK ||
	    tvd == NULL)
		return rc;
	al_jpath_key(&p, path, "timestampVerificationData");
	if ((rc = al_json_only_keys(tvd, p.s, tvd_keys, err)) != AL_OK)
		return rc;
	if ((rc = get_arr(tvd, p.s, "rfc3161Timestamps", false, AL_MAX_TIMESTAMPS, &arr, &n, err)) !=
	    AL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = obj_at(arr, p.s, "rfc3161Timestamps", i, &t, &pe, err)) != AL_OK ||
		    (rc = al_json_only_keys(t, pe.s, ts_keys, err)) != AL_OK)
			return rc;
		b->nts = i + 1;
		if ((rc = get_der(t, pe.s, "signedTimestamp", &b->ts[i], err)) != AL_OK)
			return rc;
		/* the same token twice would count one TSA's word twice */
		for (size_t j = 0; j < i; j++)
			if (al_bytes_eq(al_buf_bytes(&b->ts[j]), al_buf_bytes(&b->ts[i])))
				return al_err_set(err, BF, "%s: duplicate of rfc3161Timestamps[%zu]",
						  pe.s, j);
	}
	return AL_OK;
}

static al_rc
parse_vm(const al_json *vm, const char *path, al_sigstore_bundle *b, al_err *err)
{
	static const char *const keys[] = { "publicKey", "x509CertificateChain", "certificate",
					    "tlogEntries", "timestampVerificationData", NULL };
	static const char *const pk_keys[] = { "hint", NULL };
	const al_json *pk, *arr, *e;
	unsigned nmat;
	al_jpath p;
	size_t n;
	al_rc rc;

	if ((rc = al_json_only_keys(vm, path, keys, err)) != AL_OK)
		return rc;
	pk = al_json_member(vm, "publicKey");
	nmat = (pk != NULL) + (al_json_member(vm, "x509CertificateChain") != NULL) +
	       (al_json_member(vm, "certificate") != NULL);
	if (nmat != 1)
		return al_err_set(err, BF, "%s: exactly one of publicKey, certificate and "
				  "x509CertificateChain is required, found %u", path, nmat);
	if (pk != NULL) {
		al_jpath_key(&p, path, "publicKey");
		if (!al_json_is_obj(pk))
			return al_err_set(err, BF, "%s: not an object", p.s);
		if ((rc = al_json_only_keys(pk, p.s, pk_keys, err)) != AL_OK ||
		    (rc = get_str_copy(pk, p.s, "hint", false, false, &b->key_hint, err)) != AL_OK)
			return rc;
		b->vm = AL_SIGSTORE_VM_PUBLIC_KEY;
	} else if ((rc = parse_certs(vm, path, b, err)) != AL_OK) {
		return rc;
	}
	if ((rc = get_arr(vm, path, "tlogEntries", false, AL_MAX_TLOG_ENTRIES, &arr, &n, err)) != AL_OK)
		return rc;
	if (n > 0) {
		b->tlog = calloc(n, sizeof(*b->tlog));
		if (b->tlog == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = obj_at(arr, path, "tlogEntries", i, &e, &p, err)) != AL_OK)
			return rc;
		b->ntlog = i + 1;
		if ((rc = parse_tlog_entry(e, p.s, b->version, &b->tlog[i], err)) != AL_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (b->tlog[j].log_index == b->tlog[i].log_index &&
			    al_bytes_eq(al_buf_bytes(&b->tlog[j].log_id), al_buf_bytes(&b->tlog[i].log_id)))
				return al_err_set(err, BF, "%s: same log and logIndex as tlogEntries[%zu]",
						  p.s, j);
	}
	return parse_timestamps(vm, path, b, err);
}

/* ---------------------------------------------------------------- the bundle */

void
al_sigstore_bundle_free(al_sigstore_bundle *b)
{
	if (b == NULL)
		return;
	al_buf_free(&b->media_type);
	al_buf_free(&b->digest);
	al_buf_free(&b->signature);
	dsse_free(&b->dsse);
	al_buf_free(&b->key_hint);
	for (size_t i = 0; i < AL_MAX_CHAIN_CERTS; i++)
		al_buf_free(&b->certs[i]);
	for (size_t i = 0; b->tlog && i < b->ntlog; i++)
		tlog_entry_free(&b->tlog[i]);
	free(b->tlog);
	for (size_t i = 0; i < AL_MAX_TIMESTAMPS; i++)
		al_buf_free(&b->ts[i]);
	memset(b, 0, sizeof(*b));
}

static al_rc
parse_bundle(const al_json *doc, al_sigstore_bundle *b, al_err *err)
{
	static const char *const keys[] = { "mediaType", "verificationMaterial", "messageSignature",
					    "dsseEnvelope", NULL };
	const al_json *vm, *ms, *de;
	al_rc rc;

	if (!al_json_is_obj(doc))
		return al_err_set(err, BF, "not a JSON object");
	if ((rc = al_json_only_keys(doc, "", keys, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(doc, "", "mediaType", true, false, &b->media_type, err)) != AL_OK)
		return rc;
	b->version = al_sigstore_bundle_version(al_buf_bytes(&b->media_type));
	if (b->version == 0)
		return al_err_set(err, BF, "mediaType: \"%.*s\" is not a bundle version airlock reads "
				  "(v0.1, v0.2, v0.3)", SHOW(al_buf_bytes(&b->media_type)));
	if ((rc = al_json_get_obj(doc, "", "messageSignature", false, &ms, err)) != AL_OK ||
	    (rc = al_json_get_obj(doc, "", "dsseEnvelope", false, &de, err)) != AL_OK)
		return rc;
	if ((ms == NULL) == (de == NULL))
		return al_err_set(err, BF, "exactly one of messageSignature and dsseEnvelope is "
				  "required, found %s", ms ? "both" : "neither");
	if (ms != NULL)
		rc = parse_message_signature(ms, "messageSignature", b, err);
	else {
		b->is_dsse = true;
		rc = parse_dsse(de, "dsseEnvelope", true, &b->dsse, err);
	}
	if (rc != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(doc, "", "verificationMaterial", true, &vm, err)) != AL_OK)
		return rc;
	return parse_vm(vm, "verificationMaterial", b, err);
}

al_rc
al_sigstore_bundle_parse(al_bytes json, al_sigstore_bundle *b, al_err *err)
{
	al_json *doc = NULL;
	al_rc rc;

	memset(b, 0, sizeof(*b));
	{
		uint8_t h[AL_HASH_MAX];

		al_hash_bytes(AL_HASH_SHA256, json, h);
		memcpy(b->sha256, h, 32);
	}
	rc = al_json_parse(json, &doc, err);
	if (rc == AL_OK)
		rc = parse_bundle(doc, b, err);
	al_json_free(doc);
	if (rc != AL_OK) {
		al_sigstore_bundle_free(b);
		return reclass(err, rc);
	}
	return AL_OK;
}

al_rc
al_sigstore_bundle_load(const char *path, al_sigstore_bundle *b, al_err *err)
{
	al_buf buf = { 0 };
	al_rc rc;

	memset(b, 0, sizeof(*b));
	rc = al_read_file(path, AL_MAX_JSON_DOC, &buf, err);
	if (rc == AL_OK && (rc = al_sigstore_bundle_parse(al_buf_bytes(&buf), b, err)) != AL_OK)
		al_err_prefix(err, "%s", path);
	al_buf_free(&buf);
	return rc;
}

al_bytes
al_sigstore_bundle_signature(const al_sigstore_bundle *b)
{
	if (b->is_dsse)
		return b->dsse.nsigs > 0 ? al_buf_bytes(&b->dsse.sigs[0].sig) : al_bytes_of(NULL, 0);
	return al_buf_bytes(&b->signature);
}
