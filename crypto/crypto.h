/*
 * crypto.h — digests, public keys and signature verification.
 *
 * Everything airlock proves ends in one of these calls. Keys come from
 * trust material (trusted_root.json, PEM files, certificates) or from the
 * bundle being verified (a leaf certificate); this module does not decide
 * which keys are trusted, only whether a signature verifies under a key.
 *
 * SECURITY CONSIDERATIONS
 *  - ECDSA signatures are ASN.1 DER (as Sigstore and cosign write them);
 *    al_sig_verify_p1363 exists only for raw r||s producers.
 *  - A key carries its scheme: an RSA key parsed for PKCS#1 v1.5 is never
 *    used for PSS and the reverse, unless the key came from a PEM file that
 *    names no scheme (AL_KEY_RSA_ANY).
 *  - Hash and proof code does not allocate.
 */
#ifndef AL_CRYPTO_H
#define AL_CRYPTO_H

#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "common/common.h"

/* ================================================================ digests */

typedef enum al_hash {
	AL_HASH_NONE = 0,
	AL_HASH_SHA256,
	AL_HASH_SHA384,
	AL_HASH_SHA512,
} al_hash;

#define AL_HASH_MAX 64

size_t al_hash_len(al_hash h);                 /* 32, 48, 64; 0 for NONE */
const char *al_hash_name(al_hash h);           /* "sha256", "sha384", "sha512" */
/* Accepts "sha256"/"SHA2_256"/"SHA256" and the same for 384 and 512. */
al_hash al_hash_from_name(al_bytes name);

typedef struct al_hash_ctx {
	al_hash alg;
	union {
		mbedtls_sha256_context s256;
		mbedtls_sha512_context s512;
	} u;
} al_hash_ctx;

void al_hash_init(al_hash_ctx *c, al_hash alg);
void al_hash_update(al_hash_ctx *c, const void *p, size_t n);
void al_hash_final(al_hash_ctx *c, uint8_t out[AL_HASH_MAX]);
void al_hash_bytes(al_hash alg, al_bytes in, uint8_t out[AL_HASH_MAX]);
static inline void al_sha256(al_bytes in, uint8_t out[32])
{
	uint8_t tmp[AL_HASH_MAX];

	al_hash_bytes(AL_HASH_SHA256, in, tmp);
	for (int i = 0; i < 32; i++)
		out[i] = tmp[i];
}

/* SHA-256 compression backends (crypto/sha256/sha256_ni.c). */
bool al_sha256_ni_available(void);             /* CPU has SHA-NI (cpuid) */
bool al_sha256_ni_in_use(void);                /* and it is being used */
/* Tests only: force the portable path (false) or automatic selection (true). */
void al_sha256_ni_enable(bool on);

/* Hashes a whole file with SHA-256, streaming. Errors: AL_E_IO. */
al_rc al_sha256_file(const char *path, uint8_t out[32], uint64_t *size, al_err *err) AL_MUST_USE;

/* ================================================================ keys */

typedef enum al_key_kind {
	AL_KEY_NONE = 0,
	AL_KEY_ECDSA_P256,
	AL_KEY_ECDSA_P384,
	AL_KEY_ECDSA_P521,
	AL_KEY_RSA_PKCS1V15,
	AL_KEY_RSA_PSS,
	AL_KEY_RSA_ANY,      /* RSA key whose scheme the source did not say (PEM) */
	AL_KEY_ED25519,
} al_key_kind;

typedef struct al_pubkey {
	al_key_kind kind;
	al_hash hash;            /* hash the source named (trusted_root keyDetails), or NONE */
	mbedtls_pk_context pk;   /* ECDSA and RSA */
	uint8_t ed25519[32];
	uint8_t spki_sha256[32]; /* SHA-256 of the SPKI DER: the Rekor/CT log ID */
	al_buf spki;             /* the SPKI DER, owned */
} al_pubkey;

void al_pubkey_init(al_pubkey *k);
void al_pubkey_free(al_pubkey *k);
/* SubjectPublicKeyInfo DER: EC (P-256/384/521), RSA (2048..4096 bits), Ed25519. */
al_rc al_pubkey_from_spki(al_bytes der, al_pubkey *k, al_err *err) AL_MUST_USE;
/* PKCS#1 RSAPublicKey DER (trusted_root PKCS1_RSA_PKCS1V5). */
al_rc al_pubkey_from_pkcs1_rsa(al_bytes der, al_pubkey *k, al_err *err) AL_MUST_USE;
/* A PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1) file. */
al_rc al_pubkey_from_pem(al_bytes pem, al_pubkey *k, al_err *err) AL_MUST_USE;
/* Restricts a parsed key to a scheme named by trust material (e.g. an RSA key
 * whose keyDetails say PSS); fails when the key is not of that family. */
al_rc al_pubkey_set_scheme(al_pubkey *k, al_key_kind kind, al_hash hash, al_err *err) AL_MUST_USE;
const char *al_key_kind_name(al_key_kind kind);
/* Default hash of a key: P-256 -> SHA-256, P-384 -> SHA-384, P-521 -> SHA-512,
 * RSA -> SHA-256 (or k->hash when set), Ed25519 -> NONE. */
al_hash al_pubkey_default_hash(const al_pubkey *k);
/* Constant-time-irrelevant equality of two keys (same SPKI). */
bool al_pubkey_eq(const al_pubkey *a, const al_pubkey *b);

/* ================================================================ signatures */

/* Verifies sig over msg. ECDSA/RSA hash msg with h (AL_HASH_NONE: the key's
 * default); Ed25519 verifies the message itself (pure Ed25519, h ignored).
 * Errors: AL_E_CRYPTO_SIG (does not verify), AL_E_CRYPTO_KEY (unusable key or
 * hash for the key). */
al_rc al_sig_verify(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err) AL_MUST_USE;
/* Verifies sig over a digest computed with h (prehashed). Not for Ed25519. */
al_rc al_sig_verify_digest(const al_pubkey *k, al_hash h, const uint8_t *digest, size_t dlen,
			   al_bytes sig, al_err *err) AL_MUST_USE;
/* ECDSA with an IEEE P1363 (r||s) signature. */
al_rc al_sig_verify_p1363(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err) AL_MUST_USE;

/* ================================================================ DSSE */

/* PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body. */
al_rc al_dsse_pae(al_bytes payload_type, al_bytes payload, al_buf *out, al_err *err) AL_MUST_USE;

/* ================================================================ X.509 at a given time, SCT, RFC 3161
 * (crypto/x509.c, crypto/sct.c, crypto/tsa.c) */

/* ================================================================ end X.509 section */

#endif
