/*
 * sig.c — public keys and signature verification.
 *
 * Trusts nothing it is given. Keys come from trust material or from the
 * bundle under verification (a leaf certificate's SPKI); signatures come
 * from the bundle. Whether a key is *trusted* is decided elsewhere; this
 * file only answers "does sig verify under this key".
 *
 * Key DER is parsed strictly here (minimal lengths, minimal positive
 * INTEGERs, nothing trailing) before mbedTLS sees it: one key then has
 * exactly one accepted encoding, so SHA-256(SPKI) is a stable log ID and
 * key equality is byte equality. mbedTLS does the mathematics (point on the
 * curve, RSA key sanity, the verification itself; its ECDSA verification is
 * airlock's crypto/p256/, docs/design.md §2); libsodium does Ed25519.
 * ECDSA signatures get the same strict DER treatment, because BER leniency
 * would give one signature several encodings.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/error.h>
#include <mbedtls/rsa.h>
#include <sodium.h>

#include "crypto/crypto.h"

/* ================================================================ OIDs */

static const uint8_t OID_EC_PUBKEY[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t OID_ED25519[] = { 0x2b, 0x65, 0x70 };
static const uint8_t OID_P256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t OID_P384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t OID_P521[] = { 0x2b, 0x81, 0x04, 0x00, 0x23 };

static const struct curve {
	const uint8_t *oid;
	size_t oid_n;
	al_key_kind kind;
	size_t coord; /* bytes per coordinate, and per r or s */
	unsigned bits;
} curves[] = {
	{ OID_P256, sizeof(OID_P256), AL_KEY_ECDSA_P256, 32, 256 },
	{ OID_P384, sizeof(OID_P384), AL_KEY_ECDSA_P384, 48, 384 },
	{ OID_P521, sizeof(OID_P521), AL_KEY_ECDSA_P521, 66, 521 },
};

/* Names for algorithms and curves we refuse, so the error says what the key was. */
static const struct {
	const char *dotted;
	const char *name;
} oid_names[] = {
	{ "1.2.840.10045.2.1", "id-ecPublicKey" },
	{ "1.2.840.113549.1.1.1", "rsaEncryption" },
	{ "1.2.840.113549.1.1.10", "RSASSA-PSS (PSS-only RSA key)" },
	{ "1.2.840.10040.4.1", "DSA" },
	{ "1.3.101.110", "X25519" },
	{ "1.3.101.111", "X448" },
	{ "1.3.101.112", "Ed25519" },
	{ "1.3.101.113", "Ed448" },
	{ "1.2.840.10045.3.1.1", "P-192" },
	{ "1.2.840.10045.3.1.7", "P-256" },
	{ "1.3.132.0.33", "P-224" },
	{ "1.3.132.0.34", "P-384" },
	{ "1.3.132.0.35", "P-521" },
	{ "1.3.132.0.10", "secp256k1" },
	{ "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1" },
	{ "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1" },
	{ "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1" },
	{ "1.2.156.10197.1.301", "SM2" },
};

static bool
bytes_is(al_bytes b, const uint8_t *lit, size_t n)
{
	return b.n == n && memcmp(b.p, lit, n) == 0;
}

/* Dotted form of an OID's contents, "(malformed)" when it does not decode. */
static void
oid_dotted(al_bytes oid, char *out, size_t cap)
{
	al_rd r = al_rd_of(oid);
	uint64_t v = 0;
	size_t len = 0;
	bool first = true, pending = false;

	out[0] = '\0';
	while (r.n > 0) {
		uint8_t b = al_rd_u8(&r);
		int w;

		/* a sub-identifier over 2^57 is not one any algorithm uses */
		if (v >> 57)
			goto bad;
		v = (v << 7) | (b & 0x7f);
		pending = (b & 0x80) != 0;
		if (pending)
			continue;
		if (first) {
			unsigned x = v < 40 ? 0 : v < 80 ? 1 : 2;

			w = snprintf(out + len, cap - len, "%u.%llu", x, (unsigned long long)(v - 40u * x));
			first = false;
		} else {
			w = snprintf(out + len, cap - len, ".%llu", (unsigned long long)v);
		}
		if (w < 0 || (size_t)w >= cap - len)
			return; /* truncated is still informative */
		len += (size_t)w;
		v = 0;
	}
	if (!pending && !first)
		return;
bad:
	snprintf(out, cap, "(malformed)");
}

/* "secp256k1 (1.3.132.0.10)" or just the dotted OID. */
static void
oid_describe(al_bytes oid, char *out, size_t cap)
{
	char dotted[96];

	oid_dotted(oid, dotted, sizeof(dotted));
	for (size_t i = 0; i < AL_ARRAY_LEN(oid_names); i++)
		if (strcmp(oid_names[i].dotted, dotted) == 0) {
			snprintf(out, cap, "%s (%s)", oid_names[i].name, dotted);
			return;
		}
	snprintf(out, cap, "%s", dotted);
}

/* ================================================================ strict DER (reading: al_der_take, crypto/x509.c) */

/*
 * A DER INTEGER's contents that must be positive and minimal; returns the
 * magnitude without the sign byte in *mag. Zero is "00" and has an empty
 * magnitude.
 */
static bool
der_uint(al_bytes v, al_bytes *mag)
{
	al_rd r = al_rd_of(v);
	uint8_t first;

	if (v.n == 0)
		return false;
	first = v.p[0];
	if (first & 0x80)
		return false;              /* negative */
	if (first == 0) {
		if (v.n > 1 && !(v.p[1] & 0x80))
			return false;      /* non-minimal leading zero */
		(void)al_rd_u8(&r);
	}
	*mag = al_rd_take(&r, r.n);
	return true;
}

/* Writes a DER length (minimal form); returns the bytes written. */
static size_t
der_len(uint8_t out[3], size_t n)
{
	if (n < 0x80) {
		out[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		out[0] = 0x81;
		out[1] = (uint8_t)n;
		return 2;
	}
	out[0] = 0x82;
	out[1] = (uint8_t)(n >> 8);
	out[2] = (uint8_t)n;
	return 3;
}

/* ================================================================ libsodium */

/* libsodium declares message pointers nonnull even for empty messages */
static const uint8_t empty[1];

static atomic_int sodium_state; /* 0 not yet, 1 ready, -1 failed */

/* libsodium is initialised by the first Ed25519 operation, here; nothing
 * earlier needs it, and the seccomp sandbox (common/sandbox.c) refuses only
 * sockets and exec, not the kernel randomness sodium_init reads. */
static al_rc
sodium_ready(al_err *err)
{
	/* sodium_init is itself thread-safe and idempotent; the flag only
	 * saves the call. */
	if (atomic_load(&sodium_state) == 0)
		atomic_store(&sodium_state, sodium_init() < 0 ? -1 : 1);
	if (atomic_load(&sodium_state) < 0)
		return al_err_set(err, AL_E_INTERNAL, "libsodium failed to initialize");
	return AL_OK;
}

/* ================================================================ keys */

void
al_pubkey_init(al_pubkey *k)
{
	memset(k, 0, sizeof(*k));
	mbedtls_pk_init(&k->pk);
}

void
al_pubkey_free(al_pubkey *k)
{
	if (k == NULL)
		return;
	mbedtls_pk_free(&k->pk);
	al_buf_free(&k->spki);
	al_pubkey_init(k);
}

const char *
al_key_kind_name(al_key_kind kind)
{
	switch (kind) {
	case AL_KEY_ECDSA_P256: return "ECDSA P-256";
	case AL_KEY_ECDSA_P384: return "ECDSA P-384";
	case AL_KEY_ECDSA_P521: return "ECDSA P-521";
	case AL_KEY_RSA_PKCS1V15: return "RSA PKCS#1 v1.5";
	case AL_KEY_RSA_PSS: return "RSA PSS";
	case AL_KEY_RSA_ANY: return "RSA";
	case AL_KEY_ED25519: return "Ed25519";
	default: return "none";
	}
}

static bool
is_ecdsa(al_key_kind kind)
{
	return kind == AL_KEY_ECDSA_P256 || kind == AL_KEY_ECDSA_P384 || kind == AL_KEY_ECDSA_P521;
}

static bool
is_rsa(al_key_kind kind)
{
	return kind == AL_KEY_RSA_PKCS1V15 || kind == AL_KEY_RSA_PSS || kind == AL_KEY_RSA_ANY;
}

static const struct curve *
curve_of(al_key_kind kind)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(curves); i++)
		if (curves[i].kind == kind)
			return &curves[i];
	return NULL;
}

/* Hands the (already strictly checked) SPKI in k->spki to mbedTLS, which
 * checks the key itself: the point is on the curve, N and e are sane. */
static al_rc
mbed_parse(al_pubkey *k, const char *what, al_err *err)
{
	unsigned char *p = k->spki.p, *end = k->spki.p + k->spki.n;
	char why[128];
	int ret = mbedtls_pk_parse_subpubkey(&p, end, &k->pk);

	if (ret == 0 && p == end)
		return AL_OK;
	if (ret == 0)
		snprintf(why, sizeof(why), "trailing data");
	else
		mbedtls_strerror(ret, why, sizeof(why));
	return al_err_set(err, AL_E_CRYPTO_KEY, "%s key is invalid: %s", what, why);
}

static al_rc
parse_ec(al_pubkey *k, al_bytes params, al_bytes point, al_err *err)
{
	al_rd pr = al_rd_of(params);
	al_bytes oid = al_der_take(&pr, 0x06);
	const struct curve *c = NULL;
	char desc[128];
	al_rc rc;

	if (!al_rd_done(&pr) || oid.n == 0)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "EC key: parameters are not a named-curve OID (explicit curves are not supported)");
	for (size_t i = 0; i < AL_ARRAY_LEN(curves); i++)
		if (bytes_is(oid, curves[i].oid, curves[i].oid_n))
			c = &curves[i];
	if (c == NULL) {
		oid_describe(oid, desc, sizeof(desc));
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "EC key on curve %s is not supported: need P-256, P-384 or P-521", desc);
	}
	/* SEC 1 uncompressed point: 0x04 || X || Y */
	if (point.n != 1 + 2 * c->coord || point.p[0] != 0x04)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "%s key: point is %zu bytes, expected an uncompressed point of %zu bytes",
				  al_key_kind_name(c->kind), point.n, 1 + 2 * c->coord);
	if ((rc = mbed_parse(k, al_key_kind_name(c->kind), err)) != AL_OK)
		return rc;
	k->kind = c->kind;
	k->bits = c->bits;
	return AL_OK;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, strict. */
static al_rc
check_pkcs1(al_bytes der, al_err *err)
{
	al_rd r = al_rd_of(der), seq;
	al_bytes n, e, nmag, emag;

	seq = al_rd_of(al_der_take(&r, 0x30));
	n = al_der_take(&seq, 0x02);
	e = al_der_take(&seq, 0x02);
	if (!al_rd_done(&r) || !al_rd_done(&seq))
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "RSA key: RSAPublicKey is not a DER SEQUENCE of two INTEGERs");
	if (!der_uint(n, &nmag) || !der_uint(e, &emag))
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "RSA key: modulus or exponent is negative or not minimally encoded");
	return AL_OK;
}

static al_rc
parse_rsa(al_pubkey *k, al_bytes params, al_bytes pkcs1, al_err *err)
{
	static const uint8_t null_der[] = { 0x05, 0x00 };
	uint8_t one[512], out[512];
	mbedtls_rsa_context *rsa;
	size_t bits;
	al_rc rc;

	/* RFC 3279: the parameters field MUST be NULL (Go rejects absent too) */
	if (!bytes_is(params, null_der, sizeof(null_der)))
		return al_err_set(err, AL_E_CRYPTO_KEY, "RSA key: algorithm parameters must be NULL");
	if ((rc = check_pkcs1(pkcs1, err)) != AL_OK)
		return rc;
	if ((rc = mbed_parse(k, "RSA", err)) != AL_OK)
		return rc;
	bits = mbedtls_pk_get_bitlen(&k->pk);
	if (bits < AL_MIN_RSA_BITS || bits > AL_MAX_RSA_BITS)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "RSA key of %zu bits is not supported: need %d..%d bits", bits, AL_MIN_RSA_BITS,
				  AL_MAX_RSA_BITS);
	/*
	 * mbedTLS computes the Montgomery constant of N lazily, in the first
	 * public operation, and stores it in the key. Doing one operation now
	 * means verification never writes to a parsed key, so a const key
	 * really is read-only (and safe to share between threads).
	 */
	rsa = mbedtls_pk_rsa(k->pk);
	memset(one, 0, sizeof(one));
	one[mbedtls_rsa_get_len(rsa) - 1] = 2;
	if (mbedtls_rsa_public(rsa, one, out) != 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "RSA key: public operation failed");
	k->kind = AL_KEY_RSA_PKCS1V15;
	k->bits = (unsigned)bits;
	return AL_OK;
}

static al_rc
parse_ed25519(al_pubkey *k, al_bytes params, al_bytes key, al_err *err)
{
	al_rc rc;

	if (params.n != 0)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "Ed25519 key: algorithm parameters must be absent (RFC 8410)");
	if (key.n != 32)
		return al_err_set(err, AL_E_CRYPTO_KEY, "Ed25519 key is %zu bytes, expected 32", key.n);
	if ((rc = sodium_ready(err)) != AL_OK)
		return rc;
	/* canonical, on the curve, not of small order, in the prime-order subgroup */
	if (!crypto_core_ed25519_is_valid_point(key.p))
		return al_err_set(err, AL_E_CRYPTO_KEY, "Ed25519 key is not a valid curve point");
	memcpy(k->ed25519, key.p, 32);
	k->kind = AL_KEY_ED25519;
	k->bits = 256;
	return AL_OK;
}

al_rc
al_pubkey_from_spki(al_bytes der, al_pubkey *k, al_err *err)
{
	al_rd r, spki, alg, bits;
	al_bytes oid, params, key;
	char desc[128];
	al_rc rc;

	al_pubkey_free(k);
	if (der.n == 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "public key: empty SubjectPublicKeyInfo");
	if (der.n > AL_MAX_DER)
		return al_err_set(err, AL_E_LIMIT, "public key: %zu bytes exceeds the limit of %u",
				  der.n, AL_MAX_DER);
	/* parse from our own copy: mbedTLS wants a mutable cursor */
	if ((rc = al_buf_dup(&k->spki, der, err)) != AL_OK)
		goto out;

	r = al_rd_of(al_buf_bytes(&k->spki));
	spki = al_rd_of(al_der_take(&r, 0x30));
	alg = al_rd_of(al_der_take(&spki, 0x30));
	bits = al_rd_of(al_der_take(&spki, 0x03));
	oid = al_der_take(&alg, 0x06);
	params = al_rd_take(&alg, alg.n);
	if (!al_rd_done(&r) || !al_rd_done(&spki) || !al_rd_done(&alg) || !al_rd_ok(&bits) ||
	    oid.n == 0) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY,
				"public key: not a DER SubjectPublicKeyInfo (SEQUENCE { AlgorithmIdentifier, BIT STRING })");
		goto out;
	}
	if (al_rd_u8(&bits) != 0 || !al_rd_ok(&bits)) {
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "public key: BIT STRING is empty or has unused bits");
		goto out;
	}
	key = al_rd_take(&bits, bits.n);

	if (bytes_is(oid, OID_EC_PUBKEY, sizeof(OID_EC_PUBKEY))) {
		rc = parse_ec(k, params, key, err);
	} else if (bytes_is(oid, OID_RSA, sizeof(OID_RSA))) {
		rc = parse_rsa(k, params, key, err);
	} else if (bytes_is(oid, OID_ED25519, sizeof(OID_ED25519))) {
		rc = parse_ed25519(k, params, key, err);
	} else {
		oid_describe(oid, desc, sizeof(desc));
		rc = al_err_set(err, AL_E_CRYPTO_KEY,
				"public key algorithm %s is not supported: need ECDSA (P-256/P-384/P-521), RSA or Ed25519",
				desc);
	}
	if (rc != AL_OK)
		goto out;
	al_sha256(al_buf_bytes(&k->spki), k->spki_sha256);
out:
	if (rc != AL_OK)
		al_pubkey_free(k);
	return rc;
}

al_rc
al_pubkey_from_pkcs1_rsa(al_bytes der, al_pubkey *k, al_err *err)
{
	/* AlgorithmIdentifier { rsaEncryption, NULL } */
	static const uint8_t alg[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
				       0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };
	uint8_t l1[3], l2[3];
	size_t n1, n2;
	al_buf spki = { 0 };
	al_rc rc;

	al_pubkey_free(k);
	if (der.n == 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "PKCS#1 RSA public key: empty");
	/* room for the SPKI wrapper (at most 23 bytes) within AL_MAX_DER */
	if (der.n > AL_MAX_DER - 32)
		return al_err_set(err, AL_E_LIMIT, "PKCS#1 RSA public key: %zu bytes exceeds the limit of %u",
				  der.n, AL_MAX_DER - 32);
	if ((rc = check_pkcs1(der, err)) != AL_OK)
		return al_err_prefix(err, "PKCS#1");
	/* SEQUENCE { alg, BIT STRING { 0 unused bits, RSAPublicKey } } */
	n2 = der_len(l2, der.n + 1);
	n1 = der_len(l1, sizeof(alg) + 1 + n2 + 1 + der.n);
	if ((rc = al_buf_append(&spki, "\x30", 1, err)) != AL_OK ||
	    (rc = al_buf_append(&spki, l1, n1, err)) != AL_OK ||
	    (rc = al_buf_append(&spki, alg, sizeof(alg), err)) != AL_OK ||
	    (rc = al_buf_append(&spki, "\x03", 1, err)) != AL_OK ||
	    (rc = al_buf_append(&spki, l2, n2, err)) != AL_OK ||
	    (rc = al_buf_append(&spki, "\x00", 1, err)) != AL_OK ||
	    (rc = al_buf_append(&spki, der.p, der.n, err)) != AL_OK)
		goto out;
	if ((rc = al_pubkey_from_spki(al_buf_bytes(&spki), k, err)) != AL_OK)
		al_err_prefix(err, "PKCS#1");
out:
	al_buf_free(&spki);
	return rc;
}

al_rc
al_pubkey_from_pem(al_bytes pem, al_pubkey *k, al_err *err)
{
	al_bytes rest = pem;
	al_buf der = { 0 }, extra = { 0 };
	char label[AL_MAX_PEM_LABEL + 1];
	al_rc rc;

	al_pubkey_free(k);
	if (pem.n > AL_MAX_PEM_FILE)
		return al_err_set(err, AL_E_LIMIT, "public key PEM: %zu bytes exceeds the limit of %u",
				  pem.n, AL_MAX_PEM_FILE);
	/* al_pem_one, but the label decides which parser runs */
	if ((rc = al_pem_next(&rest, NULL, label, &der, err)) != AL_OK)
		goto out;
	if (der.n == 0) {
		rc = al_err_set(err, AL_E_DECODE, "PEM: no \"PUBLIC KEY\" block found");
		goto out;
	}
	if ((rc = al_pem_next(&rest, NULL, NULL, &extra, err)) != AL_OK)
		goto out;
	if (extra.n != 0) {
		rc = al_err_set(err, AL_E_DECODE, "PEM: more than one block, expected one public key");
		goto out;
	}
	if (strcmp(label, "PUBLIC KEY") == 0) {
		rc = al_pubkey_from_spki(al_buf_bytes(&der), k, err);
	} else if (strcmp(label, "RSA PUBLIC KEY") == 0) {
		rc = al_pubkey_from_pkcs1_rsa(al_buf_bytes(&der), k, err);
	} else {
		rc = al_err_set(err, AL_E_CRYPTO_KEY,
				"PEM block is \"%s\", expected \"PUBLIC KEY\" or \"RSA PUBLIC KEY\"", label);
		goto out;
	}
	/* a PEM file names no signature scheme */
	if (rc == AL_OK && is_rsa(k->kind))
		k->kind = AL_KEY_RSA_ANY;
out:
	al_buf_free(&der);
	al_buf_free(&extra);
	return rc;
}

al_rc
al_pubkey_set_scheme(al_pubkey *k, al_key_kind kind, al_hash hash, al_err *err)
{
	bool ok;

	if (hash != AL_HASH_NONE && al_hash_len(hash) == 0)
		return al_err_set(err, AL_E_CRYPTO_KEY, "unknown hash %d for %s key", (int)hash,
				  al_key_kind_name(k->kind));
	if (is_rsa(k->kind))
		ok = is_rsa(kind);
	else
		ok = k->kind != AL_KEY_NONE && kind == k->kind;
	if (!ok)
		return al_err_set(err, AL_E_CRYPTO_KEY, "key is %s, but the trust material says %s",
				  al_key_kind_name(k->kind), al_key_kind_name(kind));
	if (kind == AL_KEY_ED25519 && hash != AL_HASH_NONE)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "Ed25519 takes no hash (got %s); Ed25519ph is al_sig_verify_ed25519ph",
				  al_hash_name(hash));
	k->kind = kind;
	k->hash = hash;
	return AL_OK;
}

al_hash
al_pubkey_default_hash(const al_pubkey *k)
{
	if (k->hash != AL_HASH_NONE && k->kind != AL_KEY_ED25519)
		return k->hash;
	switch (k->kind) {
	case AL_KEY_ECDSA_P256: return AL_HASH_SHA256;
	case AL_KEY_ECDSA_P384: return AL_HASH_SHA384;
	case AL_KEY_ECDSA_P521: return AL_HASH_SHA512;
	case AL_KEY_RSA_PKCS1V15:
	case AL_KEY_RSA_PSS:
	case AL_KEY_RSA_ANY: return AL_HASH_SHA256;
	default: return AL_HASH_NONE;
	}
}

bool
al_pubkey_eq(const al_pubkey *a, const al_pubkey *b)
{
	return a->kind != AL_KEY_NONE && b->kind != AL_KEY_NONE &&
	       al_bytes_eq(al_buf_bytes(&a->spki), al_buf_bytes(&b->spki));
}

/* ================================================================ signatures */

static const char *
hash_disp(al_hash h)
{
	switch (h) {
	case AL_HASH_SHA256: return "SHA-256";
	case AL_HASH_SHA384: return "SHA-384";
	case AL_HASH_SHA512: return "SHA-512";
	default: return "no hash";
	}
}

static mbedtls_md_type_t
md_of(al_hash h)
{
	switch (h) {
	case AL_HASH_SHA256: return MBEDTLS_MD_SHA256;
	case AL_HASH_SHA384: return MBEDTLS_MD_SHA384;
	case AL_HASH_SHA512: return MBEDTLS_MD_SHA512;
	default: return MBEDTLS_MD_NONE;
	}
}

/* "ECDSA P-256/SHA-256", "RSA-2048 PSS/SHA-256", "RSA-4096 (PKCS#1 v1.5 or PSS)/SHA-512" */
static void
alg_name(const al_pubkey *k, al_hash h, char *out, size_t cap)
{
	switch (k->kind) {
	case AL_KEY_RSA_PKCS1V15:
		snprintf(out, cap, "RSA-%u PKCS#1 v1.5/%s", k->bits, hash_disp(h));
		break;
	case AL_KEY_RSA_PSS:
		snprintf(out, cap, "RSA-%u PSS/%s", k->bits, hash_disp(h));
		break;
	case AL_KEY_RSA_ANY:
		snprintf(out, cap, "RSA-%u (PKCS#1 v1.5 or PSS)/%s", k->bits, hash_disp(h));
		break;
	case AL_KEY_ED25519:
		snprintf(out, cap, "Ed25519");
		break;
	default:
		snprintf(out, cap, "%s/%s", al_key_kind_name(k->kind), hash_disp(h));
		break;
	}
}

/* Checks what every path shares: a usable key, a hash it allows, a sane length. */
static al_rc
precheck(const al_pubkey *k, al_hash *h, al_bytes sig, al_err *err)
{
	if (k == NULL || k->kind == AL_KEY_NONE)
		return al_err_set(err, AL_E_CRYPTO_KEY, "no public key to verify with");
	if (k->kind != AL_KEY_ED25519) {
		if (*h == AL_HASH_NONE)
			*h = al_pubkey_default_hash(k);
		if (al_hash_len(*h) == 0)
			return al_err_set(err, AL_E_CRYPTO_KEY, "unknown hash %d", (int)*h);
		if (k->hash != AL_HASH_NONE && *h != k->hash)
			return al_err_set(err, AL_E_CRYPTO_KEY,
					  "%s key is restricted to %s by its trust material, signature uses %s",
					  al_key_kind_name(k->kind), hash_disp(k->hash), hash_disp(*h));
	}
	if (sig.n == 0)
		return al_err_set(err, AL_E_CRYPTO_SIG, "%s signature is empty", al_key_kind_name(k->kind));
	if (sig.n > AL_MAX_SIGNATURE)
		return al_err_set(err, AL_E_LIMIT, "%s signature of %zu bytes exceeds the limit of %u",
				  al_key_kind_name(k->kind), sig.n, AL_MAX_SIGNATURE);
	return AL_OK;
}

/* Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, strict DER, r and s
 * no longer than the group order. */
static bool
ecdsa_der_ok(al_bytes sig, size_t coord)
{
	al_rd r = al_rd_of(sig), seq;
	al_bytes ri, si, rm, sm;

	seq = al_rd_of(al_der_take(&r, 0x30));
	ri = al_der_take(&seq, 0x02);
	si = al_der_take(&seq, 0x02);
	return al_rd_done(&r) && al_rd_done(&seq) && der_uint(ri, &rm) && der_uint(si, &sm) &&
	       rm.n <= coord && sm.n <= coord;
}

/* 2 + 66 + 1 per INTEGER (P-521 with a sign byte), 3 for the SEQUENCE header */
#define ECDSA_DER_MAX (3 + 2 * (2 + 67))

/* One P1363 half as a minimal DER INTEGER appended at out[*n]. */
static void
der_put_uint(uint8_t *out, size_t *n, al_bytes mag)
{
	al_rd r = al_rd_of(mag);
	bool pad;
	al_bytes m;

	while (r.n > 0 && r.p[0] == 0)
		(void)al_rd_u8(&r);
	m = al_rd_take(&r, r.n);
	pad = m.n == 0 || (m.p[0] & 0x80);
	out[(*n)++] = 0x02;
	out[(*n)++] = (uint8_t)(m.n + pad);
	if (pad)
		out[(*n)++] = 0;
	if (m.n)
		memcpy(&out[*n], m.p, m.n);
	*n += m.n;
}

static al_rc
verify_ecdsa(const al_pubkey *k, al_hash h, const uint8_t *d, size_t dlen, al_bytes sig, bool p1363,
	     al_err *err)
{
	const struct curve *c = curve_of(k->kind);
	uint8_t buf[ECDSA_DER_MAX], body[ECDSA_DER_MAX], l[3];
	size_t bn = 0, n = 0, ln;
	char name[96];
	int ret;

	alg_name(k, h, name, sizeof(name));
	if (p1363) {
		al_rd r = al_rd_of(sig);

		if (sig.n != 2 * c->coord)
			return al_err_set(err, AL_E_CRYPTO_SIG,
					  "%s signature is %zu bytes, expected %zu (r||s)", name, sig.n,
					  2 * c->coord);
		der_put_uint(body, &bn, al_rd_take(&r, c->coord));
		der_put_uint(body, &bn, al_rd_take(&r, c->coord));
		buf[n++] = 0x30;
		ln = der_len(l, bn);
		memcpy(&buf[n], l, ln);
		n += ln;
		memcpy(&buf[n], body, bn);
		n += bn;
		sig = al_bytes_of(buf, n);
	} else if (!ecdsa_der_ok(sig, c->coord)) {
		return al_err_set(err, AL_E_CRYPTO_SIG,
				  "%s signature is not a DER SEQUENCE of two minimal positive INTEGERs", name);
	}
	ret = mbedtls_ecdsa_read_signature(mbedtls_pk_ec(k->pk), d, dlen, sig.p, sig.n);
	if (ret != 0)
		return al_err_set(err, AL_E_CRYPTO_SIG, "%s signature does not verify", name);
	return AL_OK;
}

static al_rc
verify_rsa(const al_pubkey *k, al_hash h, const uint8_t *d, size_t dlen, al_bytes sig, al_err *err)
{
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
	mbedtls_md_type_t md = md_of(h);
	size_t len = mbedtls_rsa_get_len(rsa);
	char name[96];
	int ret = -1;

	alg_name(k, h, name, sizeof(name));
	/* mbedTLS reads exactly len bytes and does not know sig.n: check it here */
	if (sig.n != len)
		return al_err_set(err, AL_E_CRYPTO_SIG, "%s signature is %zu bytes, expected %zu", name,
				  sig.n, len);
	if (k->kind == AL_KEY_RSA_PKCS1V15 || k->kind == AL_KEY_RSA_ANY)
		ret = mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, md, (unsigned)dlen, d, sig.p);
	if (ret != 0 && (k->kind == AL_KEY_RSA_PSS || k->kind == AL_KEY_RSA_ANY))
		ret = mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, (unsigned)dlen, d, md,
							MBEDTLS_RSA_SALT_LEN_ANY, sig.p);
	if (ret != 0)
		return al_err_set(err, AL_E_CRYPTO_SIG, "%s signature does not verify", name);
	return AL_OK;
}

static al_rc
verify_digest(const al_pubkey *k, al_hash h, const uint8_t *d, size_t dlen, al_bytes sig, bool p1363,
	      al_err *err)
{
	if (dlen != al_hash_len(h))
		return al_err_set(err, AL_E_CRYPTO_DIGEST, "%s digest is %zu bytes, expected %zu",
				  hash_disp(h), dlen, al_hash_len(h));
	if (is_ecdsa(k->kind))
		return verify_ecdsa(k, h, d, dlen, sig, p1363, err);
	if (p1363)
		return al_err_set(err, AL_E_CRYPTO_KEY, "a P1363 (r||s) signature needs an ECDSA key, not %s",
				  al_key_kind_name(k->kind));
	if (is_rsa(k->kind))
		return verify_rsa(k, h, d, dlen, sig, err);
	return al_err_set(err, AL_E_CRYPTO_KEY, "%s key cannot verify a prehashed digest",
			  al_key_kind_name(k->kind));
}

static al_rc
verify_ed25519(const al_pubkey *k, al_bytes msg, al_bytes sig, al_err *err)
{
	al_rc rc;

	if ((rc = sodium_ready(err)) != AL_OK)
		return rc;
	if (sig.n != crypto_sign_ed25519_BYTES)
		return al_err_set(err, AL_E_CRYPTO_SIG, "Ed25519 signature is %zu bytes, expected %u",
				  sig.n, (unsigned)crypto_sign_ed25519_BYTES);
	if (crypto_sign_ed25519_verify_detached(sig.p, msg.n ? msg.p : empty, msg.n, k->ed25519) != 0)
		return al_err_set(err, AL_E_CRYPTO_SIG, "Ed25519 signature does not verify");
	return AL_OK;
}

al_rc
al_sig_verify(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err)
{
	uint8_t d[AL_HASH_MAX];
	al_rc rc;

	if ((rc = precheck(k, &h, sig, err)) != AL_OK)
		return rc;
	if (k->kind == AL_KEY_ED25519)
		return verify_ed25519(k, msg, sig, err);
	al_hash_bytes(h, msg, d);
	return verify_digest(k, h, d, al_hash_len(h), sig, false, err);
}

al_rc
al_sig_verify_digest(const al_pubkey *k, al_hash h, const uint8_t *digest, size_t dlen, al_bytes sig,
		     al_err *err)
{
	al_rc rc;

	if (k != NULL && k->kind == AL_KEY_ED25519)
		return al_err_set(err, AL_E_CRYPTO_KEY,
				  "Ed25519 cannot verify a prehashed digest: pure Ed25519 signs the message itself");
	if ((rc = precheck(k, &h, sig, err)) != AL_OK)
		return rc;
	return verify_digest(k, h, digest, dlen, sig, false, err);
}

al_rc
al_sig_verify_p1363(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err)
{
	uint8_t d[AL_HASH_MAX];
	al_rc rc;

	if (k != NULL && k->kind != AL_KEY_NONE && !is_ecdsa(k->kind))
		return al_err_set(err, AL_E_CRYPTO_KEY, "a P1363 (r||s) signature needs an ECDSA key, not %s",
				  al_key_kind_name(k->kind));
	if ((rc = precheck(k, &h, sig, err)) != AL_OK)
		return rc;
	al_hash_bytes(h, msg, d);
	return verify_digest(k, h, d, al_hash_len(h), sig, true, err);
}

al_rc
al_sig_verify_ed25519ph(const al_pubkey *k, al_bytes msg, al_bytes sig, al_err *err)
{
	crypto_sign_ed25519ph_state st;
	al_hash none = AL_HASH_NONE;
	al_rc rc;

	if (k != NULL && k->kind != AL_KEY_NONE && k->kind != AL_KEY_ED25519)
		return al_err_set(err, AL_E_CRYPTO_KEY, "Ed25519ph needs an Ed25519 key, not %s",
				  al_key_kind_name(k->kind));
	if ((rc = precheck(k, &none, sig, err)) != AL_OK)
		return rc;
	if ((rc = sodium_ready(err)) != AL_OK)
		return rc;
	if (sig.n != crypto_sign_ed25519_BYTES)
		return al_err_set(err, AL_E_CRYPTO_SIG, "Ed25519ph signature is %zu bytes, expected %u",
				  sig.n, (unsigned)crypto_sign_ed25519_BYTES);
	crypto_sign_ed25519ph_init(&st);
	crypto_sign_ed25519ph_update(&st, msg.n ? msg.p : empty, msg.n);
	if (crypto_sign_ed25519ph_final_verify(&st, sig.p, k->ed25519) != 0)
		return al_err_set(err, AL_E_CRYPTO_SIG, "Ed25519ph signature does not verify");
	return AL_OK;
}
