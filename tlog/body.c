/*
 * body.c — Rekor entry bodies: parsing canonicalizedBody into a typed model,
 * binding it to the bundle, and rebuilding Rekor v2 bodies.
 *
 * The body is what the log committed to; the bundle is what the signer
 * handed over. A verifier that checks the bundle's signature and the log's
 * proof but not that both talk about the same signature, key and digest
 * accepts a real log entry stapled to a forged signature (CVE-2022-36056).
 * Every field the binding uses is parsed here, strictly, with its JSON path
 * kept for the error message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tlog/tlog.h"

/* ---------------------------------------------------------------- kinds */

static const struct {
	al_rekor_kind kind;
	const char *name, *version, *full;
	/* where the binding fields live, for messages; %zu is the signature index */
	const char *sig_path, *verifier_path, *digest_path;
} kinds[] = {
	{ AL_REKOR_HASHEDREKORD_V001, "hashedrekord", "0.0.1", "hashedrekord/0.0.1",
	  "spec.signature.content", "spec.signature.publicKey.content", "spec.data.hash" },
	{ AL_REKOR_DSSE_V001, "dsse", "0.0.1", "dsse/0.0.1",
	  "spec.signatures[%zu].signature", "spec.signatures[%zu].verifier", "spec.payloadHash" },
	{ AL_REKOR_INTOTO_V001, "intoto", "0.0.1", "intoto/0.0.1",
	  "(none)", "spec.publicKey", "spec.content.payloadHash" },
	{ AL_REKOR_INTOTO_V002, "intoto", "0.0.2", "intoto/0.0.2",
	  "spec.content.envelope.signatures[%zu].sig", "spec.content.envelope.signatures[%zu].publicKey",
	  "spec.content.payloadHash" },
	{ AL_REKOR_HASHEDREKORD_V002, "hashedrekord", "0.0.2", "hashedrekord/0.0.2",
	  "spec.hashedRekordV002.signature.content", "spec.hashedRekordV002.signature.verifier",
	  "spec.hashedRekordV002.data" },
	{ AL_REKOR_DSSE_V002, "dsse", "0.0.2", "dsse/0.0.2",
	  "spec.dsseV002.signatures[%zu].content", "spec.dsseV002.signatures[%zu].verifier",
	  "spec.dsseV002.payloadHash" },
};

static int
kind_idx(al_rekor_kind k)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == k)
			return (int)i;
	return -1;
}

al_rekor_kind
al_rekor_kind_of(al_bytes kind, al_bytes version)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(kinds); i++)
		if (al_bytes_eq_str(kind, kinds[i].name) && al_bytes_eq_str(version, kinds[i].version))
			return kinds[i].kind;
	return AL_REKOR_UNKNOWN;
}

/* ---------------------------------------------------------------- small helpers */

static al_rc AL_PRINTF(3, 4)
berr(al_err *err, const char *kname, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	al_err_vset(err, AL_E_TLOG_BODY, fmt, ap);
	va_end(ap);
	al_err_prefix(err, "%s body", kname);
	return AL_E_TLOG_BODY;
}

/* {"algorithm": "sha256", "value": "<hex>"} (Rekor v1). */
static al_rc
hex_digest(const al_json *obj, const char *path, const char *key, bool required, al_rekor_digest *d,
	   al_err *err)
{
	const al_json *o;
	al_bytes alg, val;
	al_jpath p;
	al_rc rc;

	if ((rc = al_json_get_obj(obj, path, key, required, &o, err)) != AL_OK || o == NULL)
		return rc;
	al_jpath_key(&p, path, key);
	if ((rc = al_json_get_str(o, p.s, "algorithm", true, &alg, err)) != AL_OK ||
	    (rc = al_json_get_str(o, p.s, "value", true, &val, err)) != AL_OK)
		return rc;
	d->alg = al_hash_by_name(alg); /* Rekor v1 schemas: lowercase names */
	if (d->alg == AL_HASH_NONE)
		return al_err_set(err, AL_E_JSON, "%s.algorithm: unsupported \"%.*s\"", p.s,
				  (int)(alg.n > 32 ? 32 : alg.n), (const char *)alg.p);
	d->n = al_hash_len(d->alg);
	if (al_hex_decode(val, d->v, d->n, err) != AL_OK)
		return al_err_recode(err, AL_E_JSON, "%s.value", p.s);
	return AL_OK;
}

/* {"algorithm": "SHA2_256", "digest": "<base64>"} (Rekor v2 HashOutput). */
static al_rc
b64_digest(const al_json *obj, const char *path, const char *key, al_rekor_digest *d, al_err *err)
{
	const al_json *o;
	al_bytes alg;
	al_buf v = { 0 };
	al_jpath p;
	al_rc rc;

	if ((rc = al_json_get_obj(obj, path, key, true, &o, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, key);
	if ((rc = al_json_get_str(o, p.s, "algorithm", true, &alg, err)) != AL_OK)
		return rc;
	/* protobuf HashAlgorithm names */
	d->alg = al_pb_hash_by_name(alg) ? al_pb_hash_by_name(alg)->hash : AL_HASH_NONE;
	if (d->alg == AL_HASH_NONE)
		return al_err_set(err, AL_E_JSON, "%s.algorithm: unsupported \"%.*s\"", p.s,
				  (int)(alg.n > 32 ? 32 : alg.n), (const char *)alg.p);
	d->n = al_hash_len(d->alg);
	if ((rc = al_json_get_b64(o, p.s, "digest", true, &v, err)) != AL_OK)
		goto out;
	if (v.n != d->n) {
		rc = al_err_set(err, AL_E_JSON, "%s.digest: %zu bytes, want %zu for %s", p.s, v.n, d->n,
				al_hash_name(d->alg));
		goto out;
	}
	memcpy(d->v, v.p, d->n);
out:
	al_buf_free(&v);
	return rc;
}

/* A required, non-empty base64 member. */
static al_rc
b64_nonempty(const al_json *obj, const char *path, const char *key, al_buf *out, al_err *err)
{
	al_jpath p;
	al_rc rc = al_json_get_b64(obj, path, key, true, out, err);

	if (rc == AL_OK && out->n == 0) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, AL_E_JSON, "%s: empty", p.s);
	}
	return rc;
}

/* intoto/0.0.2 stores envelope fields as base64 of their base64 text. */
static al_rc
b64_twice(const al_json *obj, const char *path, const char *key, bool required, al_buf *out, al_err *err)
{
	al_buf inner = { 0 };
	al_jpath p;
	al_rc rc;

	out->n = 0;
	if ((rc = al_json_get_b64(obj, path, key, required, &inner, err)) != AL_OK || inner.n == 0)
		goto out;
	if ((rc = al_b64_decode_lenient(al_buf_bytes(&inner), out, err)) != AL_OK) {
		al_jpath_key(&p, path, key);
		rc = al_err_recode(err, AL_E_JSON, "%s: inner base64", p.s);
	}
out:
	al_buf_free(&inner);
	return rc;
}

/* A Rekor v1 verifier: base64 of a PEM certificate or public key. */
static al_rc
pem_verifier(const al_json *obj, const char *path, const char *key, al_rekor_sig *s, al_err *err)
{
	char label[AL_MAX_PEM_LABEL + 1];
	al_bytes rest;
	al_buf extra = { 0 };
	al_jpath p;
	al_rc rc;

	if ((rc = b64_nonempty(obj, path, key, &s->pem, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, key);
	rest = al_buf_bytes(&s->pem);
	if ((rc = al_pem_next(&rest, NULL, label, &s->der, err)) != AL_OK)
		return al_err_recode(err, AL_E_JSON, "%s", p.s);
	if (s->der.n == 0)
		return al_err_set(err, AL_E_JSON, "%s: no PEM block", p.s);
	if (strcmp(label, "CERTIFICATE") == 0)
		s->form = AL_RV_PEM_CERT;
	else if (strcmp(label, "PUBLIC KEY") == 0)
		s->form = AL_RV_PEM_KEY;
	else
		return al_err_set(err, AL_E_JSON, "%s: PEM \"%s\" is neither a certificate nor a public key",
				  p.s, label);
	/* one verifier per signature: a chain here would leave the key ambiguous */
	rc = al_pem_next(&rest, NULL, NULL, &extra, err);
	if (rc == AL_OK && extra.n != 0)
		rc = al_err_set(err, AL_E_JSON, "%s: more than one PEM block", p.s);
	else if (rc != AL_OK)
		rc = al_err_recode(err, AL_E_JSON, "%s", p.s);
	al_buf_free(&extra);
	return rc;
}

/* A Rekor v2 verifier {"keyDetails", "x509Certificate"|"publicKey": {"rawBytes"}}. */
static al_rc
v2_verifier(const al_json *sig, const char *path, al_rekor_sig *s, al_err *err)
{
	static const char *const vkeys[] = { "keyDetails", "x509Certificate", "publicKey", NULL };
	const al_json *v, *cert, *pk;
	al_bytes kd;
	al_jpath p, q;
	al_rc rc;

	if ((rc = al_json_get_obj(sig, path, "verifier", true, &v, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "verifier");
	if ((rc = al_json_only_keys(v, p.s, vkeys, err)) != AL_OK ||
	    (rc = al_json_get_str(v, p.s, "keyDetails", true, &kd, err)) != AL_OK ||
	    (rc = al_json_get_obj(v, p.s, "x509Certificate", false, &cert, err)) != AL_OK ||
	    (rc = al_json_get_obj(v, p.s, "publicKey", false, &pk, err)) != AL_OK)
		return rc;
	if (kd.n == 0 || kd.n >= sizeof(s->key_details))
		return al_err_set(err, AL_E_JSON, "%s.keyDetails: %zu characters", p.s, kd.n);
	for (size_t i = 0; i < kd.n; i++)
		if (!((kd.p[i] >= 'A' && kd.p[i] <= 'Z') || (kd.p[i] >= '0' && kd.p[i] <= '9') || kd.p[i] == '_'))
			return al_err_set(err, AL_E_JSON, "%s.keyDetails: not an enum name", p.s);
	memcpy(s->key_details, kd.p, kd.n);
	s->key_details[kd.n] = '\0';
	if ((cert == NULL) == (pk == NULL))
		return al_err_set(err, AL_E_JSON, "%s: needs exactly one of x509Certificate and publicKey", p.s);
	al_jpath_key(&q, p.s, cert ? "x509Certificate" : "publicKey");
	s->form = cert ? AL_RV_X509 : AL_RV_SPKI;
	return b64_nonempty(cert ? cert : pk, q.s, "rawBytes", &s->der, err);
}

static al_rc
sig_array(const al_json *spec, const char *path, const char *key, const al_json **arr, size_t *n, al_err *err)
{
	al_jpath p;
	al_rc rc;

	if ((rc = al_json_get_arr(spec, path, key, true, arr, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, key);
	*n = al_json_arr_len(*arr);
	if (*n == 0)
		return al_err_set(err, AL_E_JSON, "%s: no signatures", p.s);
	if (*n > AL_MAX_DSSE_SIGS)
		return al_err_set(err, AL_E_LIMIT, "%s: %zu signatures, more than the limit of %d", p.s, *n,
				  AL_MAX_DSSE_SIGS);
	return AL_OK;
}

static al_rc
check_payload(const al_rekor_digest *d, al_bytes payload, const char *path, al_err *err)
{
	uint8_t h[AL_HASH_MAX];

	al_hash_bytes(d->alg, payload, h);
	if (!al_ct_eq(h, d->v, d->n))
		return al_err_set(err, AL_E_JSON, "%s: does not match the hash of the logged payload", path);
	return AL_OK;
}

/* ---------------------------------------------------------------- per kind */

static al_rc
parse_hashedrekord_v001(const al_json *spec, al_rekor_body *b, al_err *err)
{
	const al_json *data, *sig, *pk;
	al_rc rc;

	if ((rc = al_json_get_obj(spec, "spec", "data", true, &data, err)) != AL_OK ||
	    (rc = hex_digest(data, "spec.data", "hash", true, &b->data, err)) != AL_OK ||
	    (rc = al_json_get_obj(spec, "spec", "signature", true, &sig, err)) != AL_OK ||
	    (rc = b64_nonempty(sig, "spec.signature", "content", &b->sigs[0].sig, err)) != AL_OK ||
	    (rc = al_json_get_obj(sig, "spec.signature", "publicKey", true, &pk, err)) != AL_OK ||
	    (rc = pem_verifier(pk, "spec.signature.publicKey", "content", &b->sigs[0], err)) != AL_OK)
		return rc;
	b->nsigs = 1;
	return AL_OK;
}

static al_rc
parse_dsse_v001(const al_json *spec, al_rekor_body *b, al_err *err)
{
	const al_json *arr;
	size_t n;
	al_rc rc;

	if ((rc = hex_digest(spec, "spec", "payloadHash", true, &b->payload_hash, err)) != AL_OK ||
	    (rc = hex_digest(spec, "spec", "envelopeHash", false, &b->envelope_hash, err)) != AL_OK ||
	    (rc = sig_array(spec, "spec", "signatures", &arr, &n, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const al_json *e = al_json_arr_at(arr, i);
		al_jpath p;

		al_jpath_idx(&p, "spec.signatures", i);
		if (!al_json_is_obj(e))
			return al_err_set(err, AL_E_JSON, "%s: not an object", p.s);
		if ((rc = b64_nonempty(e, p.s, "signature", &b->sigs[i].sig, err)) != AL_OK ||
		    (rc = pem_verifier(e, p.s, "verifier", &b->sigs[i], err)) != AL_OK)
			return rc;
		b->nsigs++;
	}
	return AL_OK;
}

static al_rc
parse_intoto_v001(const al_json *spec, al_rekor_body *b, al_err *err)
{
	const al_json *content;
	al_rc rc;

	if ((rc = al_json_get_obj(spec, "spec", "content", true, &content, err)) != AL_OK ||
	    (rc = hex_digest(content, "spec.content", "hash", true, &b->envelope_hash, err)) != AL_OK ||
	    (rc = hex_digest(content, "spec.content", "payloadHash", true, &b->payload_hash, err)) != AL_OK ||
	    (rc = pem_verifier(spec, "spec", "publicKey", &b->sigs[0], err)) != AL_OK)
		return rc;
	b->nsigs = 1;
	return AL_OK;
}

static al_rc
parse_intoto_v002(const al_json *spec, al_rekor_body *b, al_err *err)
{
	const al_json *content, *env, *arr;
	al_buf payload = { 0 };
	size_t n;
	al_rc rc;

	if ((rc = al_json_get_obj(spec, "spec", "content", true, &content, err)) != AL_OK ||
	    (rc = hex_digest(content, "spec.content", "hash", false, &b->envelope_hash, err)) != AL_OK ||
	    (rc = hex_digest(content, "spec.content", "payloadHash", true, &b->payload_hash, err)) != AL_OK ||
	    (rc = al_json_get_obj(content, "spec.content", "envelope", true, &env, err)) != AL_OK ||
	    (rc = sig_array(env, "spec.content.envelope", "signatures", &arr, &n, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const al_json *e = al_json_arr_at(arr, i);
		al_jpath p;

		al_jpath_idx(&p, "spec.content.envelope.signatures", i);
		if (!al_json_is_obj(e))
			return al_err_set(err, AL_E_JSON, "%s: not an object", p.s);
		if ((rc = b64_twice(e, p.s, "sig", true, &b->sigs[i].sig, err)) != AL_OK)
			return rc;
		if (b->sigs[i].sig.n == 0)
			return al_err_set(err, AL_E_JSON, "%s.sig: empty", p.s);
		if ((rc = pem_verifier(e, p.s, "publicKey", &b->sigs[i], err)) != AL_OK)
			return rc;
		b->nsigs++;
	}
	/* a logged payload must be the one payloadHash names, or the body
	 * would say two different things */
	if ((rc = b64_twice(env, "spec.content.envelope", "payload", false, &payload, err)) == AL_OK &&
	    al_json_member(env, "payload") != NULL)
		rc = check_payload(&b->payload_hash, al_buf_bytes(&payload), "spec.content.payloadHash", err);
	al_buf_free(&payload);
	return rc;
}

static al_rc
parse_hashedrekord_v002(const al_json *spec, al_rekor_body *b, al_err *err)
{
	static const char *const skeys[] = { "hashedRekordV002", NULL };
	const al_json *h, *sig;
	al_rc rc;

	if ((rc = al_json_only_keys(spec, "spec", skeys, err)) != AL_OK ||
	    (rc = al_json_get_obj(spec, "spec", "hashedRekordV002", true, &h, err)) != AL_OK ||
	    (rc = b64_digest(h, "spec.hashedRekordV002", "data", &b->data, err)) != AL_OK ||
	    (rc = al_json_get_obj(h, "spec.hashedRekordV002", "signature", true, &sig, err)) != AL_OK ||
	    (rc = b64_nonempty(sig, "spec.hashedRekordV002.signature", "content", &b->sigs[0].sig, err)) != AL_OK ||
	    (rc = v2_verifier(sig, "spec.hashedRekordV002.signature", &b->sigs[0], err)) != AL_OK)
		return rc;
	b->nsigs = 1;
	return AL_OK;
}

static al_rc
parse_dsse_v002(const al_json *spec, al_rekor_body *b, al_err *err)
{
	static const char *const skeys[] = { "dsseV002", NULL };
	const al_json *d, *arr;
	size_t n;
	al_rc rc;

	if ((rc = al_json_only_keys(spec, "spec", skeys, err)) != AL_OK ||
	    (rc = al_json_get_obj(spec, "spec", "dsseV002", true, &d, err)) != AL_OK ||
	    (rc = b64_digest(d, "spec.dsseV002", "payloadHash", &b->payload_hash, err)) != AL_OK ||
	    (rc = sig_array(d, "spec.dsseV002", "signatures", &arr, &n, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const al_json *e = al_json_arr_at(arr, i);
		al_jpath p;

		al_jpath_idx(&p, "spec.dsseV002.signatures", i);
		if (!al_json_is_obj(e))
			return al_err_set(err, AL_E_JSON, "%s: not an object", p.s);
		if ((rc = b64_nonempty(e, p.s, "content", &b->sigs[i].sig, err)) != AL_OK ||
		    (rc = v2_verifier(e, p.s, &b->sigs[i], err)) != AL_OK)
			return rc;
		b->nsigs++;
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- parse */

al_rc
al_rekor_body_parse(al_bytes body, al_bytes kind, al_bytes version, al_rekor_body *b, al_err *err)
{
	static const char *const top[] = { "apiVersion", "kind", "spec", NULL };
	al_json *doc = NULL;
	const al_json *spec;
	al_bytes bk, bv;
	const char *kname = "rekor entry";
	int ki = -1;
	al_rc rc;

	memset(b, 0, sizeof(*b));
	if ((rc = al_json_parse(body, &doc, err)) != AL_OK)
		goto out;
	if (!al_json_is_obj(doc)) {
		rc = al_err_set(err, AL_E_JSON, "not a JSON object");
		goto out;
	}
	if ((rc = al_json_get_str(doc, "", "kind", true, &bk, err)) != AL_OK ||
	    (rc = al_json_get_str(doc, "", "apiVersion", true, &bv, err)) != AL_OK)
		goto out;
	/* the bundle's kindVersion picks the parser; the body must agree */
	if (!al_bytes_eq(bk, kind) || !al_bytes_eq(bv, version)) {
		rc = al_err_set(err, AL_E_TLOG_BODY, "the body is %.*s/%.*s but the entry's kindVersion says %.*s/%.*s",
				(int)(bk.n > 32 ? 32 : bk.n), (const char *)bk.p, (int)(bv.n > 16 ? 16 : bv.n),
				(const char *)bv.p, (int)(kind.n > 32 ? 32 : kind.n), (const char *)kind.p,
				(int)(version.n > 16 ? 16 : version.n), (const char *)version.p);
		goto out;
	}
	ki = kind_idx(al_rekor_kind_of(bk, bv));
	if (ki < 0) {
		rc = al_err_set(err, AL_E_TLOG_BODY, "unsupported entry type %.*s/%.*s",
				(int)(bk.n > 32 ? 32 : bk.n), (const char *)bk.p, (int)(bv.n > 16 ? 16 : bv.n),
				(const char *)bv.p);
		goto out;
	}
	kname = kinds[ki].full;
	b->kind = kinds[ki].kind;
	if ((rc = al_json_only_keys(doc, "", top, err)) != AL_OK ||
	    (rc = al_json_get_obj(doc, "", "spec", true, &spec, err)) != AL_OK)
		goto out;
	switch (b->kind) {
	case AL_REKOR_HASHEDREKORD_V001:
		rc = parse_hashedrekord_v001(spec, b, err);
		break;
	case AL_REKOR_DSSE_V001:
		rc = parse_dsse_v001(spec, b, err);
		break;
	case AL_REKOR_INTOTO_V001:
		rc = parse_intoto_v001(spec, b, err);
		break;
	case AL_REKOR_INTOTO_V002:
		rc = parse_intoto_v002(spec, b, err);
		break;
	case AL_REKOR_HASHEDREKORD_V002:
		rc = parse_hashedrekord_v002(spec, b, err);
		break;
	case AL_REKOR_DSSE_V002:
		rc = parse_dsse_v002(spec, b, err);
		break;
	default:
		rc = al_err_set(err, AL_E_INTERNAL, "unhandled entry kind");
		break;
	}
out:
	al_json_free(doc);
	if (rc != AL_OK) {
		al_rekor_body_free(b);
		/* the getters' JSON errors carry the path; they become body errors */
		if (rc == AL_E_JSON || rc == AL_E_DECODE)
			rc = al_err_recode(err, AL_E_TLOG_BODY, "%s body", kname);
		else
			al_err_prefix(err, "%s body", kname);
	}
	return rc;
}

void
al_rekor_body_free(al_rekor_body *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < AL_MAX_DSSE_SIGS; i++) {
		al_buf_free(&b->sigs[i].sig);
		al_buf_free(&b->sigs[i].der);
		al_buf_free(&b->sigs[i].pem);
	}
	memset(b, 0, sizeof(*b));
}

/* ---------------------------------------------------------------- binding */

static void
fmt_path(char *out, size_t n, const char *fmt, size_t i)
{
	/* the table's formats take at most one %zu; -Wformat-nonliteral is
	 * off for this call only because the table is constant */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(out, n, fmt, i);
#pragma GCC diagnostic pop
}

static void
short_hex(const uint8_t *p, size_t n, char out[2 * AL_HASH_MAX + 1])
{
	al_hex_encode(p, n > AL_HASH_MAX ? AL_HASH_MAX : n, out);
}

static al_rc
match_verifier(const al_rekor_sig *s, const al_rekor_expect *x, int ki, size_t i, al_err *err)
{
	const char *kname = kinds[ki].full;
	bool body_cert = s->form == AL_RV_PEM_CERT || s->form == AL_RV_X509;
	char path[128];

	fmt_path(path, sizeof(path), kinds[ki].verifier_path, i);
	if ((x->cert_der.n > 0) == (x->spki_der.n > 0))
		return al_err_set(err, AL_E_INTERNAL, "%s body: give exactly one of a certificate and a key to "
				  "compare %s with", kname, path);
	if (body_cert && x->spki_der.n > 0)
		return berr(err, kname, "%s: logs a certificate, but the bundle is verified with a public key", path);
	if (!body_cert && x->cert_der.n > 0)
		return berr(err, kname, "%s: logs a public key, but the bundle carries a certificate", path);
	if (!al_bytes_eq(al_buf_bytes(&s->der), body_cert ? x->cert_der : x->spki_der))
		return berr(err, kname, "%s: the logged %s differs from the bundle's", path,
			    body_cert ? "certificate" : "public key");
	return AL_OK;
}

static al_rc
match_payload(const al_rekor_body *b, const al_rekor_expect *x, int ki, al_err *err)
{
	uint8_t h[AL_HASH_MAX];
	char a[2 * AL_HASH_MAX + 1], c[2 * AL_HASH_MAX + 1];

	if (b->payload_hash.alg == AL_HASH_NONE)
		return berr(err, kinds[ki].full, "%s: missing", kinds[ki].digest_path);
	al_hash_bytes(b->payload_hash.alg, x->payload, h);
	if (!al_ct_eq(h, b->payload_hash.v, b->payload_hash.n)) {
		short_hex(b->payload_hash.v, b->payload_hash.n, a);
		short_hex(h, b->payload_hash.n, c);
		return berr(err, kinds[ki].full, "%s: %s %s differs from the %s of the bundle's DSSE payload, %s",
			    kinds[ki].digest_path, al_hash_name(b->payload_hash.alg), a,
			    al_hash_name(b->payload_hash.alg), c);
	}
	return AL_OK;
}

al_rc
al_rekor_body_matches(const al_rekor_body *b, const al_rekor_expect *x, al_err *err)
{
	int ki = kind_idx(b->kind);
	const char *kname;
	char path[128], a[2 * AL_HASH_MAX + 1], c[2 * AL_HASH_MAX + 1];
	uint8_t h[AL_HASH_MAX];
	al_rc rc;

	if (ki < 0 || b->nsigs == 0)
		return al_err_set(err, AL_E_INTERNAL, "rekor entry body: not parsed");
	kname = kinds[ki].full;
	switch (b->kind) {
	case AL_REKOR_HASHEDREKORD_V001:
	case AL_REKOR_HASHEDREKORD_V002:
		if (!al_bytes_eq(al_buf_bytes(&b->sigs[0].sig), x->sig))
			return berr(err, kname, "%s: the logged signature differs from the bundle's", kinds[ki].sig_path);
		if ((rc = match_verifier(&b->sigs[0], x, ki, 0, err)) != AL_OK)
			return rc;
		if (b->data.alg != x->digest_alg)
			return berr(err, kname, "%s: algorithm %s differs from the bundle's %s", kinds[ki].digest_path,
				    al_hash_name(b->data.alg), x->digest_alg ? al_hash_name(x->digest_alg) : "(none)");
		if (x->digest.n != b->data.n || !al_ct_eq(b->data.v, x->digest.p, b->data.n)) {
			short_hex(b->data.v, b->data.n, a);
			short_hex(x->digest.p, x->digest.n, c);
			return berr(err, kname, "%s: %s differs from the bundle's digest %s", kinds[ki].digest_path, a, c);
		}
		return AL_OK;

	case AL_REKOR_DSSE_V001:
	case AL_REKOR_DSSE_V002:
	case AL_REKOR_INTOTO_V002:
		if ((rc = match_payload(b, x, ki, err)) != AL_OK)
			return rc;
		for (size_t i = 0; i < b->nsigs; i++)
			if (al_bytes_eq(al_buf_bytes(&b->sigs[i].sig), x->sig))
				return match_verifier(&b->sigs[i], x, ki, i, err);
		fmt_path(path, sizeof(path), kinds[ki].sig_path, (size_t)0);
		return berr(err, kname, "%s: the bundle's signature is not among the %zu logged", path, b->nsigs);

	case AL_REKOR_INTOTO_V001:
		if ((rc = match_payload(b, x, ki, err)) != AL_OK)
			return rc;
		/* this kind logs no signature: content.hash over the envelope is
		 * the only thing tying the entry to the signature */
		if (x->envelope.p == NULL)
			return berr(err, kname, "spec.content.hash: the envelope bytes are needed to bind the signature");
		al_hash_bytes(b->envelope_hash.alg, x->envelope, h);
		if (!al_ct_eq(h, b->envelope_hash.v, b->envelope_hash.n)) {
			short_hex(b->envelope_hash.v, b->envelope_hash.n, a);
			short_hex(h, b->envelope_hash.n, c);
			return berr(err, kname, "spec.content.hash: %s differs from the %s of the envelope, %s", a,
				    al_hash_name(b->envelope_hash.alg), c);
		}
		return match_verifier(&b->sigs[0], x, ki, 0, err);

	default:
		return al_err_set(err, AL_E_INTERNAL, "rekor entry body: unhandled kind");
	}
}

/* ---------------------------------------------------------------- Rekor v2 rebuild */

al_rc
al_rekor_v2_key_details(const al_pubkey *k, const char **key_details, al_hash *prehash, al_err *err)
{
	al_key_kind kind = k->kind;
	const al_key_details *kd;
	unsigned bits = 0;
	al_hash h;

	switch (k->kind) {
	case AL_KEY_ECDSA_P256:
		h = AL_HASH_SHA256;
		break;
	case AL_KEY_ECDSA_P384:
		h = AL_HASH_SHA384;
		break;
	case AL_KEY_ECDSA_P521:
	case AL_KEY_ED25519:
		/* hashedrekord needs a prehash: Ed25519ph, with SHA-512 */
		h = AL_HASH_SHA512;
		break;
	case AL_KEY_RSA_PKCS1V15:
	case AL_KEY_RSA_PSS:
	case AL_KEY_RSA_ANY:
		kind = AL_KEY_RSA_PKCS1V15;
		h = AL_HASH_SHA256;
		bits = k->bits;
		break;
	default:
		return al_err_set(err, AL_E_CRYPTO_KEY, "Rekor v2: no key details for a %s key",
				  al_key_kind_name(k->kind));
	}
	if ((kd = al_key_details_find(kind, h, bits)) == NULL)
		return al_err_set(err, AL_E_CRYPTO_KEY, "Rekor v2: no key details for a %u-bit RSA key", bits);
	*key_details = kd->name;
	*prehash = h;
	return AL_OK;
}

static void
buf_truncate(al_buf *b, size_t n)
{
	b->n = n;
	if (b->p)
		b->p[n] = '\0';
}

static al_rc
v2_check_sig(const al_rekor_v2_sig *s, const char *kname, al_err *err)
{
	size_t n;

	if (s->sig.n == 0 || s->der.n == 0)
		return berr(err, kname, "rebuild: empty signature or verifier");
	n = s->key_details ? strlen(s->key_details) : 0;
	if (n == 0 || n > AL_MAX_KEY_DETAILS)
		return berr(err, kname, "rebuild: missing key details");
	for (size_t i = 0; i < n; i++) {
		char c = s->key_details[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return berr(err, kname, "rebuild: key details \"%s\" is not an enum name", s->key_details);
	}
	return AL_OK;
}

static al_rc
v2_append_hash(al_buf *out, al_hash alg, al_bytes digest, const char *kname, al_err *err)
{
	const char *name = al_hash_pb_name(alg);
	al_rc rc;

	if (name == NULL || digest.n != al_hash_len(alg))
		return berr(err, kname, "rebuild: a %zu-byte digest is not a %s digest", digest.n,
			    name ? al_hash_name(alg) : "supported");
	if ((rc = al_buf_appendf(out, err, "{\"algorithm\":\"%s\",\"digest\":\"", name)) != AL_OK ||
	    (rc = al_b64_encode(digest, out, err)) != AL_OK)
		return rc;
	return al_buf_append(out, "\"}", 2, err);
}

/* {"content":B64,"verifier":{"keyDetails":KD,"publicKey"|"x509Certificate":{"rawBytes":B64}}}
 * Member order is RFC 8785's: keyDetails < publicKey < x509Certificate. */
static al_rc
v2_append_sig(al_buf *out, const al_rekor_v2_sig *s, al_err *err)
{
	al_rc rc;

	if ((rc = al_buf_append(out, "{\"content\":\"", 12, err)) != AL_OK ||
	    (rc = al_b64_encode(s->sig, out, err)) != AL_OK ||
	    (rc = al_buf_appendf(out, err, "\",\"verifier\":{\"keyDetails\":\"%s\",\"%s\":{\"rawBytes\":\"",
				 s->key_details, s->is_cert ? "x509Certificate" : "publicKey")) != AL_OK ||
	    (rc = al_b64_encode(s->der, out, err)) != AL_OK)
		return rc;
	return al_buf_append(out, "\"}}}", 4, err);
}

al_rc
al_rekor_v2_hashedrekord(al_hash alg, al_bytes digest, const al_rekor_v2_sig *s, al_buf *out, al_err *err)
{
	static const char kname[] = "hashedrekord/0.0.2";
	static const char head[] = "{\"apiVersion\":\"0.0.2\",\"kind\":\"hashedrekord\",\"spec\":{\"hashedRekordV002\":{\"data\":";
	size_t start = out->n;
	al_rc rc;

	if ((rc = v2_check_sig(s, kname, err)) != AL_OK)
		return rc;
	if ((rc = al_buf_append(out, head, sizeof(head) - 1, err)) != AL_OK ||
	    (rc = v2_append_hash(out, alg, digest, kname, err)) != AL_OK ||
	    (rc = al_buf_append(out, ",\"signature\":", 13, err)) != AL_OK ||
	    (rc = v2_append_sig(out, s, err)) != AL_OK ||
	    (rc = al_buf_append(out, "}}}", 3, err)) != AL_OK)
		buf_truncate(out, start); /* nothing half-built is left behind */
	return rc;
}

al_rc
al_rekor_v2_dsse(al_hash alg, al_bytes payload_hash, const al_rekor_v2_sig *sigs, size_t nsigs, al_buf *out,
		 al_err *err)
{
	static const char kname[] = "dsse/0.0.2";
	static const char head[] = "{\"apiVersion\":\"0.0.2\",\"kind\":\"dsse\",\"spec\":{\"dsseV002\":{\"payloadHash\":";
	size_t start = out->n;
	al_rc rc;

	if (nsigs == 0 || nsigs > AL_MAX_DSSE_SIGS)
		return berr(err, kname, "rebuild: %zu signatures (1..%d)", nsigs, AL_MAX_DSSE_SIGS);
	for (size_t i = 0; i < nsigs; i++)
		if ((rc = v2_check_sig(&sigs[i], kname, err)) != AL_OK)
			return rc;
	if ((rc = al_buf_append(out, head, sizeof(head) - 1, err)) != AL_OK ||
	    (rc = v2_append_hash(out, alg, payload_hash, kname, err)) != AL_OK ||
	    (rc = al_buf_append(out, ",\"signatures\":[", 15, err)) != AL_OK)
		goto fail;
	for (size_t i = 0; i < nsigs; i++) {
		if (i > 0 && (rc = al_buf_append(out, ",", 1, err)) != AL_OK)
			goto fail;
		if ((rc = v2_append_sig(out, &sigs[i], err)) != AL_OK)
			goto fail;
	}
	if ((rc = al_buf_append(out, "]}}}", 4, err)) == AL_OK)
		return AL_OK;
fail:
	buf_truncate(out, start);
	return rc;
}
