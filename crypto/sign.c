/*
 * sign.c — the one thing airlock signs: its own Verification Summary
 * Attestations (docs/vsa.md), with a private key the operator names.
 *
 * Signing must be deterministic (the same inputs give the same VSA bytes)
 * and must need no randomness (the appliance has no entropy source worth
 * trusting, and mbedTLS is built without one): Ed25519 is deterministic by
 * construction (RFC 8032), and ECDSA P-256 takes its nonce from RFC 6979.
 * mbedTLS asks for a second generator to blind the scalar multiplication;
 * blinding does not change the signature, so it is an HMAC_DRBG seeded from
 * the key and the message hash as well, never from entropy.
 *
 * Keys are PKCS#8 PEM ("PRIVATE KEY"), as `openssl genpkey` writes them,
 * parsed strictly with the DER reader of x509.c; everything else (RSA,
 * another curve, an encrypted or traditional-format key) is refused with a
 * message that says what the key was and what to do.
 */
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/platform_util.h>
#include <sodium.h>

#include "crypto/crypto.h"

static const uint8_t OID_EC_PUBKEY[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t OID_ED25519[] = { 0x2b, 0x65, 0x70 };
static const uint8_t OID_P256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t OID_P384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t OID_P521[] = { 0x2b, 0x81, 0x04, 0x00, 0x23 };

/* SubjectPublicKeyInfo DER up to the key bytes (RFC 5480, RFC 8410). */
static const uint8_t SPKI_P256[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
				     0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
				     0x42, 0x00 };
static const uint8_t SPKI_ED25519[] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

static bool
is(al_bytes b, const uint8_t *lit, size_t n)
{
	return b.n == n && memcmp(b.p, lit, n) == 0;
}

void
al_privkey_init(al_privkey *k)
{
	memset(k, 0, sizeof(*k));
	mbedtls_ecp_group_init(&k->grp);
	mbedtls_mpi_init(&k->d);
	mbedtls_ecp_point_init(&k->q);
	al_pubkey_init(&k->pub);
}

void
al_privkey_free(al_privkey *k)
{
	if (k == NULL)
		return;
	mbedtls_ecp_group_free(&k->grp);
	mbedtls_mpi_free(&k->d); /* zeroizes the limbs */
	mbedtls_ecp_point_free(&k->q);
	al_pubkey_free(&k->pub);
	mbedtls_platform_zeroize(k->ed25519_sk, sizeof(k->ed25519_sk));
	k->kind = AL_KEY_NONE;
	al_privkey_init(k);
}

/* The blinding generator and the public-key multiplication's: an HMAC_DRBG
 * seeded from the secret scalar, the data and a label (see the top). */
static int
drbg_seed(mbedtls_hmac_drbg_context *g, const mbedtls_mpi *d, const uint8_t *data, size_t n, const char *label)
{
	uint8_t seed[32 + 32 + 32];
	size_t ln = strlen(label);
	int ret;

	if (n > 32 || ln > 32 || mbedtls_mpi_write_binary(d, seed, 32) != 0)
		return -1;
	if (n > 0) /* memcpy's source may not be NULL even for 0 bytes */
		memcpy(seed + 32, data, n);
	memcpy(seed + 32 + n, label, ln);
	ret = mbedtls_hmac_drbg_seed_buf(g, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, 32 + n + ln);
	mbedtls_platform_zeroize(seed, sizeof(seed));
	return ret;
}

static al_rc
ec_key(al_privkey *k, al_bytes inner, al_err *err)
{
	/* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
	 *   parameters [0] OPTIONAL, publicKey [1] BIT STRING OPTIONAL } (RFC 5915) */
	al_rd r = al_rd_of(inner), s;
	al_bytes ver, d, pub = { NULL, 0 };
	uint8_t q[65];
	size_t qn = 0;
	mbedtls_hmac_drbg_context g;
	al_buf spki = { 0 };
	al_rc rc;
	int ret;

	s = al_rd_of(al_der_take(&r, 0x30));
	ver = al_der_take(&s, 0x02);
	d = al_der_take(&s, 0x04);
	if (al_der_peek(&s, 0xa0)) {
		al_rd p = al_rd_of(al_der_take(&s, 0xa0));

		if (!is(al_der_take(&p, 0x06), OID_P256, sizeof(OID_P256)) || !al_rd_done(&p))
			return al_err_set(err, AL_E_CRYPTO_KEY, "ECPrivateKey parameters name another curve than P-256");
	}
	if (al_der_peek(&s, 0xa1)) {
		al_rd p = al_rd_of(al_der_take(&s, 0xa1));
		al_bytes bits = al_der_take(&p, 0x03);

		if (!al_rd_done(&p) || bits.n != 66 || bits.p[0] != 0)
			return al_err_set(err, AL_E_CRYPTO_KEY, "ECPrivateKey: malformed publicKey");
		pub = al_bytes_of(bits.p + 1, 65);
	}
	if (!al_rd_done(&s) || !al_rd_done(&r) || ver.n != 1 || ver.p[0] != 1 || d.n != 32)
		return al_err_set(err, AL_E_CRYPTO_KEY, "malformed ECPrivateKey (RFC 5915) in the PKCS#8 key");
	if (mbedtls_ecp_group_load(&k->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
	    mbedtls_mpi_read_binary(&k->d, d.p, d.n) != 0)
		return al_err_set(err, AL_E_NOMEM, "ECDSA P-256 key: out of memory");
	if (mbedtls_ecp_check_privkey(&k->grp, &k->d) != 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "ECDSA P-256 private scalar is out of range");
	mbedtls_hmac_drbg_init(&g);
	ret = drbg_seed(&g, &k->d, NULL, 0, "airlock public key");
	if (ret == 0)
		ret = mbedtls_ecp_mul(&k->grp, &k->q, &k->d, &k->grp.G, mbedtls_hmac_drbg_random, &g);
	mbedtls_hmac_drbg_free(&g);
	if (ret == 0)
		ret = mbedtls_ecp_point_write_binary(&k->grp, &k->q, MBEDTLS_ECP_PF_UNCOMPRESSED, &qn, q, sizeof(q));
	if (ret != 0 || qn != 65)
		return al_err_set(err, AL_E_CRYPTO_KEY, "ECDSA P-256 key: the public point cannot be computed");
	/* a key file whose public half is not its private half's is not one key */
	if (pub.p != NULL && !is(pub, q, 65))
		return al_err_set(err, AL_E_CRYPTO_KEY, "ECPrivateKey: publicKey does not belong to the private key");
	if ((rc = al_buf_append(&spki, SPKI_P256, sizeof(SPKI_P256), err)) == AL_OK &&
	    (rc = al_buf_append(&spki, q, 65, err)) == AL_OK)
		rc = al_pubkey_from_spki(al_buf_bytes(&spki), &k->pub, err);
	al_buf_free(&spki);
	if (rc != AL_OK)
		return rc;
	k->kind = AL_KEY_ECDSA_P256;
	return AL_OK;
}

static al_rc
ed_key(al_privkey *k, al_bytes inner, al_bytes pub, al_err *err)
{
	/* CurvePrivateKey ::= OCTET STRING (RFC 8410 §7): the 32-byte seed */
	al_rd r = al_rd_of(inner);
	al_bytes seed = al_der_take(&r, 0x04);
	uint8_t pk[32];
	al_buf spki = { 0 };
	al_rc rc;

	if (!al_rd_done(&r) || seed.n != 32)
		return al_err_set(err, AL_E_CRYPTO_KEY, "malformed Ed25519 private key (RFC 8410): want a 32-byte seed");
	if (sodium_init() < 0)
		return al_err_set(err, AL_E_INTERNAL, "libsodium failed to initialize");
	if (crypto_sign_seed_keypair(pk, k->ed25519_sk, seed.p) != 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "Ed25519 key: the public key cannot be computed");
	if (pub.p != NULL && !is(pub, pk, 32))
		return al_err_set(err, AL_E_CRYPTO_KEY, "PKCS#8 publicKey does not belong to the private key");
	if ((rc = al_buf_append(&spki, SPKI_ED25519, sizeof(SPKI_ED25519), err)) == AL_OK &&
	    (rc = al_buf_append(&spki, pk, 32, err)) == AL_OK)
		rc = al_pubkey_from_spki(al_buf_bytes(&spki), &k->pub, err);
	al_buf_free(&spki);
	if (rc != AL_OK)
		return rc;
	k->kind = AL_KEY_ED25519;
	return AL_OK;
}

al_rc
al_privkey_from_pkcs8(al_bytes der, al_privkey *k, al_err *err)
{
	/* OneAsymmetricKey ::= SEQUENCE { version 0|1, AlgorithmIdentifier,
	 *   privateKey OCTET STRING, attributes [0] OPTIONAL,
	 *   publicKey [1] IMPLICIT BIT STRING OPTIONAL } (RFC 5958) */
	al_rd r = al_rd_of(der), s, alg;
	al_bytes ver, oid, params = { NULL, 0 }, inner, pub = { NULL, 0 };
	al_rc rc;

	al_privkey_free(k);
	if (der.n > AL_MAX_DER)
		return al_err_set(err, AL_E_LIMIT, "private key of %zu bytes exceeds the limit of %u", der.n, AL_MAX_DER);
	s = al_rd_of(al_der_take(&r, 0x30));
	ver = al_der_take(&s, 0x02);
	alg = al_rd_of(al_der_take(&s, 0x30));
	oid = al_der_take(&alg, 0x06);
	if (alg.n > 0) {
		al_der p;

		if (al_der_any(&alg, &p))
			params = p.tlv;
	}
	inner = al_der_take(&s, 0x04);
	if (al_der_peek(&s, 0xa0))
		(void)al_der_take(&s, 0xa0);
	if (al_der_peek(&s, 0x81)) {
		al_bytes bits = al_der_take(&s, 0x81);

		if (bits.n < 1 || bits.p[0] != 0)
			return al_err_set(err, AL_E_CRYPTO_KEY, "PKCS#8: malformed publicKey");
		pub = al_bytes_of(bits.p + 1, bits.n - 1);
	}
	if (!al_rd_done(&s) || !al_rd_done(&r) || !al_rd_done(&alg) || ver.n != 1 || ver.p[0] > 1)
		return al_err_set(err, AL_E_CRYPTO_KEY, "not a PKCS#8 private key (malformed DER)");
	if (is(oid, OID_ED25519, sizeof(OID_ED25519))) {
		if (params.p != NULL)
			return al_err_set(err, AL_E_CRYPTO_KEY, "Ed25519 key with algorithm parameters (RFC 8410 forbids them)");
		rc = ed_key(k, inner, pub, err);
	} else if (is(oid, OID_EC_PUBKEY, sizeof(OID_EC_PUBKEY))) {
		al_rd p = al_rd_of(params);
		al_bytes curve = al_der_take(&p, 0x06);

		if (is(curve, OID_P384, sizeof(OID_P384)) || is(curve, OID_P521, sizeof(OID_P521)))
			return al_err_set(err, AL_E_CRYPTO_KEY, "ECDSA key on %s: only P-256 (or Ed25519) signs VSAs",
					  is(curve, OID_P384, sizeof(OID_P384)) ? "P-384" : "P-521");
		if (!al_rd_done(&p) || !is(curve, OID_P256, sizeof(OID_P256)))
			return al_err_set(err, AL_E_CRYPTO_KEY, "ECDSA key on another curve than P-256 "
					  "(only P-256 or Ed25519 sign VSAs)");
		if (pub.p != NULL)
			return al_err_set(err, AL_E_CRYPTO_KEY, "PKCS#8 v2 publicKey on an EC key (it belongs in ECPrivateKey)");
		rc = ec_key(k, inner, err);
	} else if (is(oid, OID_RSA, sizeof(OID_RSA))) {
		return al_err_set(err, AL_E_CRYPTO_KEY, "RSA keys do not sign VSAs: use Ed25519 or ECDSA P-256");
	} else {
		return al_err_set(err, AL_E_CRYPTO_KEY, "unsupported private key algorithm: use Ed25519 or ECDSA P-256");
	}
	if (rc != AL_OK)
		al_privkey_free(k);
	return rc;
}

al_rc
al_privkey_from_pem(al_bytes pem, al_privkey *k, al_err *err)
{
	char label[AL_MAX_PEM_LABEL + 1];
	al_bytes rest = pem;
	al_buf der = { 0 }, more = { 0 };
	al_rc rc;

	al_privkey_free(k);
	if (pem.n > AL_MAX_PEM_FILE)
		return al_err_set(err, AL_E_LIMIT, "key file exceeds %u bytes", AL_MAX_PEM_FILE);
	if ((rc = al_pem_next(&rest, NULL, label, &der, err)) != AL_OK)
		goto out;
	if (der.n == 0) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "no PEM block: want a PKCS#8 \"PRIVATE KEY\"");
		goto out;
	}
	if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "encrypted private keys are not supported (there is no "
				"passphrase prompt): write it unencrypted with 'openssl pkey'");
		goto out;
	}
	if (strcmp(label, "PRIVATE KEY") != 0) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "a \"%s\" PEM block: want PKCS#8 \"PRIVATE KEY\" "
				"('openssl genpkey' writes one; 'openssl pkcs8 -topk8 -nocrypt' converts)", label);
		goto out;
	}
	if ((rc = al_pem_next(&rest, NULL, NULL, &more, err)) != AL_OK)
		goto out;
	if (more.n != 0) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "more than one PEM block: want exactly one private key");
		goto out;
	}
	rc = al_privkey_from_pkcs8(al_buf_bytes(&der), k, err);
out:
	if (der.p)
		mbedtls_platform_zeroize(der.p, der.n);
	al_buf_free(&der);
	al_buf_free(&more);
	return rc;
}

/* Minimal positive DER INTEGER of a 32-byte big-endian value. */
static al_rc
der_int(al_buf *out, const uint8_t v[32], al_err *err)
{
	size_t i = 0;
	uint8_t hdr[3];
	size_t hn = 0;
	bool pad;
	al_rc rc;

	while (i < 31 && v[i] == 0)
		i++;
	pad = (v[i] & 0x80) != 0;
	hdr[hn++] = 0x02;
	hdr[hn++] = (uint8_t)(32 - i + pad);
	if (pad)
		hdr[hn++] = 0;
	if ((rc = al_buf_append(out, hdr, hn, err)) != AL_OK)
		return rc;
	return al_buf_append(out, v + i, 32 - i, err);
}

static al_rc
sign_p256(const al_privkey *k, al_bytes msg, al_buf *sig, al_err *err)
{
	uint8_t h[32], rb[32], sb[32];
	mbedtls_ecp_group grp; /* the sign call takes a mutable group: a copy */
	mbedtls_mpi r, s;
	mbedtls_hmac_drbg_context g;
	al_buf body = { 0 };
	al_rc rc = AL_OK;
	int ret;

	al_sha256(msg, h);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_hmac_drbg_init(&g);
	mbedtls_ecp_group_init(&grp);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (ret == 0)
		ret = drbg_seed(&g, &k->d, h, sizeof(h), "airlock blinding");
	if (ret == 0)
		ret = mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &k->d, h, sizeof(h),
						 MBEDTLS_MD_SHA256, mbedtls_hmac_drbg_random, &g);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&r, rb, 32);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&s, sb, 32);
	mbedtls_hmac_drbg_free(&g);
	mbedtls_ecp_group_free(&grp);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	if (ret != 0)
		return al_err_set(err, AL_E_INTERNAL, "ECDSA P-256 signing failed (mbedTLS -0x%04x)", (unsigned)-ret);
	if ((rc = der_int(&body, rb, err)) == AL_OK && (rc = der_int(&body, sb, err)) == AL_OK) {
		uint8_t hdr[2] = { 0x30, (uint8_t)body.n };

		sig->n = 0;
		if ((rc = al_buf_append(sig, hdr, 2, err)) == AL_OK)
			rc = al_buf_append(sig, body.p, body.n, err);
	}
	al_buf_free(&body);
	return rc;
}

al_rc
al_sign(const al_privkey *k, al_bytes msg, al_buf *sig, al_err *err)
{
	al_rc rc;

	if (k->kind == AL_KEY_ED25519) {
		uint8_t s[crypto_sign_BYTES];
		static const uint8_t empty[1];

		if (crypto_sign_detached(s, NULL, msg.n ? msg.p : empty, msg.n, k->ed25519_sk) != 0)
			return al_err_set(err, AL_E_INTERNAL, "Ed25519 signing failed");
		sig->n = 0;
		rc = al_buf_append(sig, s, sizeof(s), err);
	} else if (k->kind == AL_KEY_ECDSA_P256) {
		rc = sign_p256(k, msg, sig, err);
	} else {
		return al_err_set(err, AL_E_CRYPTO_KEY, "no private key");
	}
	if (rc != AL_OK)
		return rc;
	/* a signature that its own public key does not verify is never written */
	return al_sig_verify(&k->pub, AL_HASH_NONE, msg, al_buf_bytes(sig), err);
}
