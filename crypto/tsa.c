/*
 * tsa.c — RFC 3161 timestamp responses: a CMS SignedData (RFC 5652) whose
 * content is a TSTInfo, signed through signed attributes.
 *
 * mbedTLS has no CMS that handles signed attributes, so this walks the DER
 * itself with the strict reader. What is proved, in order (docs/verification.md §3.4):
 *   1. the response says granted and carries one SignedData with one
 *      SignerInfo over an id-ct-TSTInfo;
 *   2. the TSTInfo's messageImprint is the hash of the caller's bytes
 *      (SHA-256/384/512; SHA-1 imprints are refused);
 *   3. the signer is the TSA certificate from trust material (a certificate
 *      the token embeds must be that same certificate), named by the
 *      SignerInfo and by the ESS signingCertificate(V2) attribute;
 *   4. contentType and messageDigest attributes bind the TSTInfo bytes;
 *   5. the signature over the signed attributes (re-tagged SET OF) holds;
 *   6. the signer's chain is valid at genTime (not now: a TSA certificate
 *      may expire, the timestamps it made stay good).
 * The time a caller may then trust is genTime.
 */
#include <string.h>

#include <mbedtls/sha1.h>

#include "crypto/crypto.h"


#define OID(a) al_bytes_of((a), sizeof(a))

static const uint8_t oid_signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_tstinfo[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04 };
static const uint8_t oid_content_type[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t oid_message_digest[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const uint8_t oid_signing_cert[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0c };
static const uint8_t oid_signing_cert_v2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f };
static const uint8_t oid_sha1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const uint8_t oid_sha384[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 };
static const uint8_t oid_sha512[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 };
static const uint8_t oid_ecdsa_sha256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const uint8_t oid_ecdsa_sha384[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const uint8_t oid_ecdsa_sha512[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };
static const uint8_t oid_ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t oid_rsa_sha256[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b };
static const uint8_t oid_rsa_sha384[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c };
static const uint8_t oid_rsa_sha512[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d };

enum sig_family { SIG_NONE, SIG_ECDSA, SIG_RSA };

/* The parts of a token the checks need; slices into the response. */
struct token {
	al_bytes tstinfo;                 /* eContent: the TSTInfo DER */
	al_bytes certs[AL_MAX_CHAIN_CERTS];
	size_t ncerts;
	bool sid_ski;                     /* SignerIdentifier form */
	al_bytes sid_issuer;              /* Name element (issuerAndSerialNumber) */
	al_bytes sid_serial;              /* INTEGER contents */
	al_bytes sid_key_id;              /* subjectKeyIdentifier */
	al_hash digest;                   /* SignerInfo digestAlgorithm */
	al_bytes attrs_tlv;               /* signedAttrs as encoded ([0] IMPLICIT) */
	enum sig_family family;
	al_bytes signature;
};

static al_rc
bad(al_err *err, const char *what)
{
	return al_err_set(err, AL_E_CRYPTO_TSA, "%s", what);
}

/* AlgorithmIdentifier contents: the OID; parameters absent or NULL. */
static bool
alg_oid(al_bytes seq, al_bytes *oid)
{
	al_rd r = al_rd_of(seq);

	*oid = al_der_take(&r, 0x06);
	if (al_der_peek(&r, 0x05)) {
		al_bytes null = al_der_take(&r, 0x05);

		if (null.n != 0)
			return false;
	}
	return al_rd_done(&r);
}

static al_hash
hash_of_oid(al_bytes oid)
{
	if (al_bytes_eq(oid, OID(oid_sha256)))
		return AL_HASH_SHA256;
	if (al_bytes_eq(oid, OID(oid_sha384)))
		return AL_HASH_SHA384;
	if (al_bytes_eq(oid, OID(oid_sha512)))
		return AL_HASH_SHA512;
	return AL_HASH_NONE;
}

/*
 * The signature algorithm only names the family: like Go's pkcs7 (which
 * sigstore's TSA verification uses), the hash is the SignerInfo's
 * digestAlgorithm.
 */
static enum sig_family
family_of_oid(al_bytes oid)
{
	if (al_bytes_eq(oid, OID(oid_ecdsa_sha256)) || al_bytes_eq(oid, OID(oid_ecdsa_sha384)) ||
	    al_bytes_eq(oid, OID(oid_ecdsa_sha512)) || al_bytes_eq(oid, OID(oid_ec_public_key)))
		return SIG_ECDSA;
	if (al_bytes_eq(oid, OID(oid_rsa)) || al_bytes_eq(oid, OID(oid_rsa_sha256)) ||
	    al_bytes_eq(oid, OID(oid_rsa_sha384)) || al_bytes_eq(oid, OID(oid_rsa_sha512)))
		return SIG_RSA;
	return SIG_NONE;
}

/* ================================================================ structure */

static al_rc
parse_signer_info(al_bytes si, struct token *t, al_err *err)
{
	al_rd r = al_rd_of(si);
	al_bytes version, dalg, salg, oid;
	al_der attrs;

	version = al_der_take(&r, 0x02);
	if (!al_rd_ok(&r) || version.n != 1 || (version.p[0] != 1 && version.p[0] != 3))
		return bad(err, "SignerInfo: version is not 1 or 3");
	if (al_der_peek(&r, 0x30)) {
		al_rd s = al_rd_of(al_der_take(&r, 0x30));
		al_der name;

		if (!al_der_any(&s, &name) || name.tag != 0x30)
			return bad(err, "SignerInfo: malformed issuerAndSerialNumber");
		t->sid_issuer = name.tlv;
		t->sid_serial = al_der_take(&s, 0x02);
		if (!al_rd_done(&s) || t->sid_serial.n == 0)
			return bad(err, "SignerInfo: malformed issuerAndSerialNumber");
	} else if (al_der_peek(&r, 0x80)) {
		t->sid_ski = true;
		t->sid_key_id = al_der_take(&r, 0x80);
	} else {
		return bad(err, "SignerInfo: unknown signer identifier");
	}
	dalg = al_der_take(&r, 0x30);
	if (!al_rd_ok(&r) || !alg_oid(dalg, &oid))
		return bad(err, "SignerInfo: malformed digestAlgorithm");
	t->digest = hash_of_oid(oid);
	if (t->digest == AL_HASH_NONE)
		return bad(err, al_bytes_eq(oid, OID(oid_sha1)) ? "SignerInfo: SHA-1 digest algorithm refused"
							   : "SignerInfo: unsupported digest algorithm");
	/* RFC 3161 requires the ESS signingCertificate attribute, so there are
	 * always signed attributes; without them the signature would be over
	 * the TSTInfo itself and name no certificate. */
	if (!al_der_peek(&r, 0xa0))
		return bad(err, "SignerInfo: no signed attributes");
	if (!al_der_any(&r, &attrs))
		return bad(err, "SignerInfo: malformed signed attributes");
	t->attrs_tlv = attrs.tlv;
	salg = al_der_take(&r, 0x30);
	if (!al_rd_ok(&r) || !alg_oid(salg, &oid))
		return bad(err, "SignerInfo: malformed signatureAlgorithm");
	t->family = family_of_oid(oid);
	if (t->family == SIG_NONE)
		return bad(err, "SignerInfo: unsupported signature algorithm (ECDSA and RSA PKCS#1 v1.5 only)");
	t->signature = al_der_take(&r, 0x04);
	if (al_der_peek(&r, 0xa1))
		(void)al_der_take(&r, 0xa1); /* unsigned attributes: not covered by the signature, not used */
	if (!al_rd_done(&r) || t->signature.n == 0)
		return bad(err, "SignerInfo: malformed signature or trailing data");
	return AL_OK;
}

static al_rc
parse_token(al_bytes resp, struct token *t, al_err *err)
{
	al_rd r = al_rd_of(resp), tsr, status, ci, ci0, sd, eci, ec0, sis;
	al_bytes st, oid, version;

	memset(t, 0, sizeof(*t));
	if (resp.n > AL_MAX_DER)
		return al_err_set(err, AL_E_LIMIT, "TimeStampResp: %zu bytes exceeds %u", resp.n, AL_MAX_DER);
	tsr = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return bad(err, "TimeStampResp: not one DER SEQUENCE");
	/* PKIStatusInfo: status, then statusString and failInfo we do not read */
	status = al_rd_of(al_der_take(&tsr, 0x30));
	st = al_der_take(&status, 0x02);
	if (!al_rd_ok(&tsr) || !al_rd_ok(&status) || st.n != 1)
		return bad(err, "TimeStampResp: malformed status");
	if (st.p[0] != 0)
		return al_err_set(err, AL_E_CRYPTO_TSA, "TimeStampResp: status %u, not granted (0)", st.p[0]);
	if (tsr.n == 0)
		return bad(err, "TimeStampResp: granted but no timeStampToken");
	/* ContentInfo */
	ci = al_rd_of(al_der_take(&tsr, 0x30));
	if (!al_rd_done(&tsr))
		return bad(err, "TimeStampResp: malformed timeStampToken or trailing data");
	oid = al_der_take(&ci, 0x06);
	ci0 = al_rd_of(al_der_take(&ci, 0xa0));
	if (!al_rd_done(&ci) || !al_bytes_eq(oid, OID(oid_signed_data)))
		return bad(err, "timeStampToken: not a CMS SignedData ContentInfo");
	sd = al_rd_of(al_der_take(&ci0, 0x30));
	if (!al_rd_done(&ci0))
		return bad(err, "timeStampToken: malformed SignedData");
	/* SignedData */
	version = al_der_take(&sd, 0x02);
	(void)al_der_take(&sd, 0x31); /* digestAlgorithms: the SignerInfo names its own */
	eci = al_rd_of(al_der_take(&sd, 0x30));
	if (!al_rd_ok(&sd) || version.n != 1)
		return bad(err, "SignedData: malformed version, digestAlgorithms or encapContentInfo");
	oid = al_der_take(&eci, 0x06);
	if (!al_rd_ok(&eci) || !al_bytes_eq(oid, OID(oid_tstinfo)))
		return bad(err, "SignedData: content type is not id-ct-TSTInfo");
	ec0 = al_rd_of(al_der_take(&eci, 0xa0));
	/* DER: a primitive OCTET STRING (a constructed one would be BER) */
	t->tstinfo = al_der_take(&ec0, 0x04);
	if (!al_rd_done(&eci) || !al_rd_done(&ec0) || t->tstinfo.n == 0)
		return bad(err, "SignedData: eContent is missing or not a DER OCTET STRING");
	if (al_der_peek(&sd, 0xa0)) {
		al_rd cs = al_rd_of(al_der_take(&sd, 0xa0));

		while (cs.n > 0) {
			al_der c;

			/* CertificateChoices: only plain certificates */
			if (!al_der_any(&cs, &c) || c.tag != 0x30)
				return bad(err, "SignedData: malformed or unsupported certificate entry");
			if (t->ncerts >= AL_ARRAY_LEN(t->certs))
				return al_err_set(err, AL_E_LIMIT, "SignedData: more than %d certificates",
						  AL_MAX_CHAIN_CERTS);
			t->certs[t->ncerts++] = c.tlv;
		}
	}
	if (al_der_peek(&sd, 0xa1))
		(void)al_der_take(&sd, 0xa1); /* CRLs: revocation is not checked offline */
	sis = al_rd_of(al_der_take(&sd, 0x31));
	if (!al_rd_done(&sd))
		return bad(err, "SignedData: malformed signerInfos or trailing data");
	{
		al_bytes si = al_der_take(&sis, 0x30);

		if (!al_rd_ok(&sis))
			return bad(err, "SignedData: malformed SignerInfo");
		if (sis.n != 0)
			return bad(err, "SignedData: more than one SignerInfo");
		return parse_signer_info(si, t, err);
	}
}

/* ================================================================ TSTInfo */

static al_rc
check_tstinfo(al_bytes der, al_bytes msg, al_timestamp *ts, al_err *err)
{
	al_rd r = al_rd_of(der), in, mi;
	al_bytes version, alg, oid, hashed, gt;
	uint8_t h[AL_HASH_MAX];
	al_rc rc;

	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return bad(err, "TSTInfo: not one DER SEQUENCE");
	version = al_der_take(&in, 0x02);
	(void)al_der_take(&in, 0x06); /* policy */
	mi = al_rd_of(al_der_take(&in, 0x30));
	alg = al_der_take(&mi, 0x30);
	hashed = al_der_take(&mi, 0x04);
	(void)al_der_take(&in, 0x02); /* serialNumber */
	gt = al_der_take(&in, 0x18);
	if (!al_rd_ok(&in) || !al_rd_done(&mi) || version.n != 1 || version.p[0] != 1)
		return bad(err, "TSTInfo: malformed version, policy, messageImprint, serialNumber or genTime");
	/* optional accuracy, ordering, nonce, tsa, extensions, in this order */
	{
		static const uint8_t opt[] = { 0x30, 0x01, 0x02, 0xa0, 0xa1 };

		for (size_t i = 0; i < sizeof(opt); i++)
			if (al_der_peek(&in, opt[i]))
				(void)al_der_take(&in, opt[i]);
		if (!al_rd_done(&in))
			return bad(err, "TSTInfo: malformed optional fields or trailing data");
	}
	if (!alg_oid(alg, &oid))
		return bad(err, "TSTInfo: malformed messageImprint hashAlgorithm");
	ts->imprint_hash = hash_of_oid(oid);
	if (ts->imprint_hash == AL_HASH_NONE)
		return bad(err, al_bytes_eq(oid, OID(oid_sha1)) ? "TSTInfo: SHA-1 message imprint refused"
							   : "TSTInfo: unsupported message imprint hash");
	if (hashed.n != al_hash_len(ts->imprint_hash))
		return al_err_set(err, AL_E_CRYPTO_TSA, "TSTInfo: %s message imprint is %zu bytes",
				  al_hash_name(ts->imprint_hash), hashed.n);
	al_hash_bytes(ts->imprint_hash, msg, h);
	if (!al_ct_eq(h, hashed.p, hashed.n))
		return al_err_set(err, AL_E_CRYPTO_TSA,
				  "TSTInfo: message imprint is not the %s of the timestamped bytes (%zu bytes)",
				  al_hash_name(ts->imprint_hash), msg.n);
	if ((rc = al_asn1_gentime(gt, &ts->gen_time, &ts->gen_time_ns, err)) != AL_OK)
		return al_err_recode(err, AL_E_CRYPTO_TSA, "TSTInfo genTime");
	return AL_OK;
}

/* ================================================================ signer */

static bool
raw_eq(const mbedtls_x509_buf *b, al_bytes v)
{
	return b->len == v.n && (v.n == 0 || memcmp(b->p, v.p, v.n) == 0);
}

static bool
sid_names(const struct token *t, const mbedtls_x509_crt *c)
{
	if (t->sid_ski)
		return c->subject_key_id.len > 0 && raw_eq(&c->subject_key_id, t->sid_key_id);
	return raw_eq(&c->issuer_raw, t->sid_issuer) && raw_eq(&c->serial, t->sid_serial);
}

/*
 * IssuerSerial of an ESSCertID(v2): GeneralNames holding the issuer's
 * directoryName, and the serial. When present it must name the signer.
 */
static bool
issuer_serial_ok(al_rd *r, const mbedtls_x509_crt *signer)
{
	al_rd is, gns, dn;
	al_bytes serial, name;

	if (r->n == 0)
		return true;
	is = al_rd_of(al_der_take(r, 0x30));
	gns = al_rd_of(al_der_take(&is, 0x30));
	serial = al_der_take(&is, 0x02);
	dn = al_rd_of(al_der_take(&gns, 0xa4));
	{
		al_der d;

		if (!al_der_any(&dn, &d) || d.tag != 0x30)
			return false;
		name = d.tlv;
	}
	return al_rd_done(r) && al_rd_done(&is) && al_rd_done(&gns) && al_rd_done(&dn) &&
	       raw_eq(&signer->issuer_raw, name) && raw_eq(&signer->serial, serial);
}

/* SigningCertificate(V2) value: its first ESSCertID must be the signer. */
static al_rc
check_ess(al_bytes value, bool v2, const mbedtls_x509_crt *signer, al_err *err)
{
	const char *what = v2 ? "signingCertificateV2" : "signingCertificate";
	al_rd r = al_rd_of(value), sc, ids, id;
	al_bytes hash;
	al_hash alg = AL_HASH_SHA256;
	uint8_t want[AL_HASH_MAX];
	size_t hlen;

	sc = al_rd_of(al_der_take(&r, 0x30));
	ids = al_rd_of(al_der_take(&sc, 0x30));
	id = al_rd_of(al_der_take(&ids, 0x30));
	if (!al_rd_done(&r) || !al_rd_ok(&sc) || !al_rd_ok(&ids))
		return al_err_set(err, AL_E_CRYPTO_TSA, "%s attribute: malformed", what);
	if (v2 && al_der_peek(&id, 0x30)) {
		al_bytes oid;

		/* hashAlgorithm DEFAULT sha256 */
		if (!alg_oid(al_der_take(&id, 0x30), &oid) || (alg = hash_of_oid(oid)) == AL_HASH_NONE)
			return al_err_set(err, AL_E_CRYPTO_TSA, "%s attribute: unsupported certificate hash", what);
	}
	hash = al_der_take(&id, 0x04);
	if (!al_rd_ok(&id))
		return al_err_set(err, AL_E_CRYPTO_TSA, "%s attribute: malformed ESSCertID", what);
	if (v2) {
		hlen = al_hash_len(alg);
		al_hash_bytes(alg, al_bytes_of(signer->raw.p, signer->raw.len), want);
	} else {
		/* ESSCertID is SHA-1 by definition (RFC 2634); the only SHA-1 airlock computes */
		hlen = 20;
		if (mbedtls_sha1(signer->raw.p, signer->raw.len, want) != 0)
			return al_err_set(err, AL_E_INTERNAL, "SHA-1 failed");
	}
	if (hash.n != hlen || !al_ct_eq(hash.p, want, hlen))
		return al_err_set(err, AL_E_CRYPTO_TSA,
				  "%s attribute: certificate hash does not match the signing certificate", what);
	if (!issuer_serial_ok(&id, signer))
		return al_err_set(err, AL_E_CRYPTO_TSA,
				  "%s attribute: issuerSerial does not name the signing certificate", what);
	return AL_OK;
}

/* The one value of a single-valued attribute. */
static bool
single_value(al_bytes set, al_der *v)
{
	al_rd r = al_rd_of(set);

	return al_der_any(&r, v) && al_rd_done(&r);
}

static al_rc
check_attrs(const struct token *t, const mbedtls_x509_crt *signer, al_err *err)
{
	al_bytes types[AL_MAX_CMS_ATTRS];
	bool have_ct = false, have_md = false, have_ess = false;
	al_rd r = al_rd_of(t->attrs_tlv), in;
	size_t n = 0;
	al_rc rc;

	in = al_rd_of(al_der_take(&r, 0xa0));
	if (!al_rd_done(&r) || in.n == 0)
		return bad(err, "signed attributes: malformed or empty");
	while (in.n > 0) {
		al_rd a = al_rd_of(al_der_take(&in, 0x30));
		al_bytes type = al_der_take(&a, 0x06), values = al_der_take(&a, 0x31);
		al_der v;

		if (!al_rd_ok(&in) || !al_rd_done(&a))
			return al_err_set(err, AL_E_CRYPTO_TSA, "signed attribute %zu: malformed", n);
		if (n >= AL_ARRAY_LEN(types))
			return al_err_set(err, AL_E_LIMIT, "signed attributes: more than %d", AL_MAX_CMS_ATTRS);
		for (size_t i = 0; i < n; i++)
			if (al_bytes_eq(types[i], type))
				return al_err_set(err, AL_E_CRYPTO_TSA, "signed attribute %zu: type appears twice", n);
		types[n] = type;
		if (al_bytes_eq(type, OID(oid_content_type))) {
			if (!single_value(values, &v) || v.tag != 0x06 || !al_bytes_eq(v.val, OID(oid_tstinfo)))
				return bad(err, "contentType attribute is not id-ct-TSTInfo");
			have_ct = true;
		} else if (al_bytes_eq(type, OID(oid_message_digest))) {
			uint8_t h[AL_HASH_MAX];

			if (!single_value(values, &v) || v.tag != 0x04)
				return bad(err, "messageDigest attribute: malformed");
			al_hash_bytes(t->digest, t->tstinfo, h);
			if (v.val.n != al_hash_len(t->digest) || !al_ct_eq(h, v.val.p, v.val.n))
				return al_err_set(err, AL_E_CRYPTO_TSA,
						  "messageDigest attribute is not the %s of the TSTInfo",
						  al_hash_name(t->digest));
			have_md = true;
		} else if (al_bytes_eq(type, OID(oid_signing_cert)) || al_bytes_eq(type, OID(oid_signing_cert_v2))) {
			if (!single_value(values, &v))
				return bad(err, "signingCertificate attribute: not exactly one value");
			rc = check_ess(v.tlv, al_bytes_eq(type, OID(oid_signing_cert_v2)), signer, err);
			if (rc != AL_OK)
				return rc;
			have_ess = true;
		}
		n++;
	}
	if (!have_ct)
		return bad(err, "signed attributes: no contentType");
	if (!have_md)
		return bad(err, "signed attributes: no messageDigest");
	if (!have_ess)
		return bad(err, "signed attributes: no signingCertificate or signingCertificateV2");
	return AL_OK;
}

static al_rc
check_signature(const struct token *t, const mbedtls_x509_crt *signer, al_err *err)
{
	al_pubkey key;
	al_buf set = { 0 };
	al_rc rc;
	bool ec;

	al_pubkey_init(&key);
	if ((rc = al_pubkey_from_spki(al_bytes_of(signer->pk_raw.p, signer->pk_raw.len), &key, err)) != AL_OK) {
		rc = al_err_recode(err, AL_E_CRYPTO_TSA, "TSA signing certificate key");
		goto out;
	}
	ec = key.kind == AL_KEY_ECDSA_P256 || key.kind == AL_KEY_ECDSA_P384 || key.kind == AL_KEY_ECDSA_P521;
	if ((t->family == SIG_ECDSA) != ec) {
		rc = al_err_set(err, AL_E_CRYPTO_TSA, "SignerInfo: signature algorithm does not match the %s key",
				al_key_kind_name(key.kind));
		goto out;
	}
	/* RFC 5652 §5.4: the signature covers the attributes' DER with the
	 * EXPLICIT SET OF tag, not the [0] IMPLICIT tag they travel with. */
	if ((rc = al_buf_append(&set, t->attrs_tlv.p, t->attrs_tlv.n, err)) != AL_OK)
		goto out;
	set.p[0] = 0x31;
	if ((rc = al_sig_verify(&key, t->digest, al_buf_bytes(&set), t->signature, err)) != AL_OK)
		rc = al_err_recode(err, AL_E_CRYPTO_TSA, "SignerInfo signature over the signed attributes");
out:
	al_buf_free(&set);
	al_pubkey_free(&key);
	return rc;
}

/* ================================================================ entry point */

al_rc
al_tsa_verify(al_bytes resp, al_bytes msg, const al_certs *tsa_chain, const al_certs *roots,
	      al_timestamp *out, al_err *err)
{
	static const al_x509_opts opts = { AL_EKU_TIME_STAMPING, false };
	struct token t;
	al_timestamp ts;
	al_certs emb, own;
	const mbedtls_x509_crt *signer = NULL, *embedded = NULL;
	const al_certs *chain;
	al_rc rc;

	memset(&ts, 0, sizeof(ts));
	if (out)
		memset(out, 0, sizeof(*out));
	al_certs_init(&emb);
	al_certs_init(&own);
	if ((rc = parse_token(resp, &t, err)) != AL_OK)
		goto out;
	if ((rc = check_tstinfo(t.tstinfo, msg, &ts, err)) != AL_OK)
		goto out;
	for (size_t i = 0; i < t.ncerts; i++) {
		if ((rc = al_certs_add_der(&emb, t.certs[i], err)) != AL_OK) {
			rc = al_err_recode(err, rc == AL_E_LIMIT ? AL_E_LIMIT : AL_E_CRYPTO_TSA,
					   "embedded certificate %zu", i);
			goto out;
		}
		if (embedded == NULL && sid_names(&t, al_certs_at(&emb, i)))
			embedded = al_certs_at(&emb, i);
	}
	ts.embedded_cert = embedded != NULL;
	if (tsa_chain->n > 0) {
		signer = al_certs_at(tsa_chain, 0);
		if (embedded && !raw_eq(&signer->raw, al_bytes_of(embedded->raw.p, embedded->raw.len))) {
			rc = al_err_set(err, AL_E_CRYPTO_TSA,
					"the embedded signing certificate is not the trusted TSA certificate");
			goto out;
		}
		if (!sid_names(&t, signer)) {
			rc = al_err_set(err, AL_E_CRYPTO_TSA,
					"SignerInfo names another certificate than the trusted TSA certificate");
			goto out;
		}
		chain = tsa_chain;
	} else {
		if (embedded == NULL) {
			rc = al_err_set(err, AL_E_CRYPTO_TSA,
					"no TSA certificate: none in trust material and none embedded names the signer");
			goto out;
		}
		if ((rc = al_certs_add_der(&own, al_bytes_of(embedded->raw.p, embedded->raw.len), err)) != AL_OK)
			goto out;
		signer = al_certs_at(&own, 0);
		chain = &own;
	}
	if ((rc = check_attrs(&t, signer, err)) != AL_OK)
		goto out;
	if ((rc = check_signature(&t, signer, err)) != AL_OK)
		goto out;
	if ((rc = al_x509_verify_at(chain, roots, ts.gen_time, &opts, NULL, err)) != AL_OK) {
		char when[32];

		al_time_format(ts.gen_time, when);
		al_err_prefix(err, "TSA chain at genTime %s", when);
		goto out;
	}
	if (out)
		*out = ts;
out:
	al_certs_free(&emb);
	al_certs_free(&own);
	return rc;
}
