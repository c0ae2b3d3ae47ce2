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
 *  - Keys and ECDSA signatures must be strict DER (minimal lengths and
 *    INTEGERs, nothing trailing): one key has one encoding, so SHA-256 of its
 *    SPKI is a stable log ID, and a signature cannot be re-encoded into a
 *    second valid form.
 *  - Supported: ECDSA P-256/P-384/P-521, RSA 2048..4096 bits, Ed25519 (and
 *    Ed25519ph only through its own function). Everything else is refused
 *    with an error naming what the key was (e.g. secp256k1, RSA-1024).
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
/* The reverse of al_hash_name, exactly ("sha256", ...); AL_HASH_NONE otherwise. */
al_hash al_hash_by_name(al_bytes name);

/* protobuf dev.sigstore.common.v1.HashAlgorithm, one entry of the one table
 * of its names and numbers. Values airlock does not compute (SHA3) are
 * listed with hash AL_HASH_NONE, so a reader can say "unsupported" rather
 * than "unknown". */
typedef struct al_pb_hash {
	int num;
	const char *name;        /* "SHA2_256" */
	al_hash hash;
} al_pb_hash;

/* The i-th entry, or NULL past the end. */
const al_pb_hash *al_pb_hash_at(size_t i);
/* The entry with this exact name, or with this number; NULL when none. */
const al_pb_hash *al_pb_hash_by_name(al_bytes name);
const al_pb_hash *al_pb_hash_by_num(int64_t num);
/* "SHA2_256", "SHA2_384", "SHA2_512"; NULL for AL_HASH_NONE. */
const char *al_hash_pb_name(al_hash h);

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

/*
 * Read size of al_hash_fd. Large enough that the syscall cost per read is
 * noise next to hashing it, small enough to stay in L2 between the kernel's
 * copy and the hash reading it (measured with bench/digest.sh).
 */
#define AL_HASH_READ_BUF (256u << 10)

/*
 * The one loop that hashes a file: reads fd to its end and hashes what it
 * read with alg. The read buffer (AL_HASH_READ_BUF bytes, or max + 1 when
 * that is less) is allocated for the call, never static, so several threads
 * may hash at once. More than
 * max bytes is AL_E_LIMIT (UINT64_MAX: no bound). *size (may be NULL) is
 * the number of bytes hashed; out and *size are written only on success.
 * fd is left open. Messages do not name the file: callers prefix it.
 * Errors: AL_E_IO ("read error: ..."), AL_E_NOMEM, AL_E_LIMIT.
 */
al_rc al_hash_fd(int fd, al_hash alg, uint64_t max, uint8_t out[AL_HASH_MAX], uint64_t *size,
		 al_err *err) AL_MUST_USE;
/* Hashes a whole file ("-": stdin) with SHA-256 through al_hash_fd.
 * Errors: AL_E_IO, AL_E_NOMEM. */
al_rc al_sha256_file(const char *path, uint8_t out[32], uint64_t *size, al_err *err) AL_MUST_USE;

/* ================================================================ keys */

/*
 * Key kinds. A key parsed from an SPKI or PKCS#1 structure is usable only
 * for the scheme its kind names:
 *   from_spki / from_pkcs1_rsa  ECDSA keys get their curve's kind, RSA keys
 *                               AL_KEY_RSA_PKCS1V15 (Sigstore's default),
 *                               Ed25519 keys AL_KEY_ED25519;
 *   from_pem                    RSA keys AL_KEY_RSA_ANY: a PEM file names
 *                               no scheme, so v1.5 and PSS are both tried;
 *   al_pubkey_set_scheme        what trust material says (keyDetails).
 */
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

/*
 * A parsed public key. Fields are read-only for callers; build one with
 * al_pubkey_init + al_pubkey_from_*, release it with al_pubkey_free. A
 * parsed key is not modified by verification, so one key may verify from
 * several threads at once.
 */
typedef struct al_pubkey {
	al_key_kind kind;
	al_hash hash;            /* hash the source named (trusted_root keyDetails), or NONE */
	unsigned bits;           /* RSA modulus / EC field size in bits; 256 for Ed25519 */
	mbedtls_pk_context pk;   /* ECDSA and RSA */
	uint8_t ed25519[32];
	uint8_t spki_sha256[32]; /* SHA-256 of the SPKI DER: the Rekor/CT log ID */
	al_buf spki;             /* the SPKI DER (canonical), owned */
} al_pubkey;

/* Makes k empty (kind NONE). */
void al_pubkey_init(al_pubkey *k);
/* Releases k and leaves it empty; a NULL or empty key is a no-op. */
void al_pubkey_free(al_pubkey *k);

/*
 * SubjectPublicKeyInfo DER: EC (P-256/384/521, named curve, uncompressed
 * point on the curve), RSA (2048..4096 bits, NULL parameters), Ed25519 (RFC
 * 8410: no parameters, 32 bytes, a valid point). The DER must be canonical
 * (minimal lengths and INTEGERs, nothing after the SEQUENCE), so one key has
 * one encoding and spki_sha256 is its log ID. k is reset first; on error it
 * is left empty. Errors: AL_E_CRYPTO_KEY (malformed or unsupported, the
 * message says which algorithm, curve or size), AL_E_LIMIT (> AL_MAX_DER).
 */
al_rc al_pubkey_from_spki(al_bytes der, al_pubkey *k, al_err *err) AL_MUST_USE;
/* PKCS#1 RSAPublicKey DER (trusted_root PKCS1_RSA_PKCS1V5). k->spki is the
 * equivalent SPKI (rsaEncryption, NULL parameters), so spki_sha256 is the
 * SPKI hash as for any other key. Errors as al_pubkey_from_spki. */
al_rc al_pubkey_from_pkcs1_rsa(al_bytes der, al_pubkey *k, al_err *err) AL_MUST_USE;
/* Exactly one PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1) block;
 * text around it is allowed. RSA keys get AL_KEY_RSA_ANY. Errors as above,
 * AL_E_DECODE for bad PEM or base64, AL_E_LIMIT (> AL_MAX_PEM_FILE). */
al_rc al_pubkey_from_pem(al_bytes pem, al_pubkey *k, al_err *err) AL_MUST_USE;
/* Restricts a parsed key to a scheme named by trust material (e.g. an RSA key
 * whose keyDetails say PSS) and records the hash it names (NONE: no
 * restriction). An RSA key takes any RSA kind; an ECDSA key only its own
 * curve's kind; Ed25519 only AL_KEY_ED25519 with AL_HASH_NONE. Once a hash is
 * recorded, verifying with another hash fails. Errors: AL_E_CRYPTO_KEY
 * (family or curve mismatch; the key is unchanged). */
al_rc al_pubkey_set_scheme(al_pubkey *k, al_key_kind kind, al_hash hash, al_err *err) AL_MUST_USE;
/* "ECDSA P-256", "RSA PKCS#1 v1.5", "RSA PSS", "RSA", "Ed25519", "none". */
const char *al_key_kind_name(al_key_kind kind);
/* Default hash of a key: k->hash when set; else P-256 -> SHA-256,
 * P-384 -> SHA-384, P-521 -> SHA-512, RSA -> SHA-256, Ed25519 -> NONE. */
al_hash al_pubkey_default_hash(const al_pubkey *k);
/* Same key (same canonical SPKI). Keys are public: not constant time. */
bool al_pubkey_eq(const al_pubkey *a, const al_pubkey *b);

/*
 * protobuf dev.sigstore.common.v1.PublicKeyDetails: one entry of the one
 * table of its values (crypto/key_details.c), with the scheme and hash each
 * names and how trust material encodes such a key.
 */
typedef enum al_key_enc {
	AL_KEY_ENC_NONE = 0,     /* named by the schema; never a key of trust material */
	AL_KEY_ENC_SPKI,         /* SubjectPublicKeyInfo DER */
	AL_KEY_ENC_PKCS1,        /* PKCS#1 RSAPublicKey DER */
} al_key_enc;

typedef struct al_key_details {
	int num;
	const char *name;        /* "PKIX_ECDSA_P256_SHA_256" */
	al_key_enc enc;
	al_key_kind kind;        /* AL_KEY_NONE: a scheme airlock cannot verify */
	al_hash hash;            /* the hash it names; NONE for pure Ed25519 */
	unsigned rsa_bits;       /* the RSA size it requires; 0: any the key parser accepts */
} al_key_details;

/* The i-th entry, or NULL past the end. */
const al_key_details *al_key_details_at(size_t i);
/* The first entry with exactly this kind, hash and rsa_bits (0 for non-RSA
 * keys), or NULL. */
const al_key_details *al_key_details_find(al_key_kind kind, al_hash hash, unsigned rsa_bits);

/* ================================================================ signatures */


/*
 * Verifies sig over msg. ECDSA/RSA hash msg with h (AL_HASH_NONE: the key's
 * default hash); Ed25519 verifies the message itself (pure Ed25519, h
 * ignored). ECDSA signatures are strict DER (minimal, positive INTEGERs,
 * nothing trailing); RSA signatures are exactly the modulus length; PSS
 * takes any salt length and MGF1 with h; AL_KEY_RSA_ANY accepts PKCS#1 v1.5
 * or PSS. Signatures are at most AL_MAX_SIGNATURE bytes.
 * Errors: AL_E_CRYPTO_SIG (does not verify or malformed; the message names
 * the algorithm, e.g. "ECDSA P-256/SHA-256 signature does not verify"),
 * AL_E_CRYPTO_KEY (empty key, or h differs from the hash set by
 * al_pubkey_set_scheme), AL_E_LIMIT (signature too long).
 */
al_rc al_sig_verify(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err) AL_MUST_USE;
/* Verifies sig over a digest computed with h (prehashed; h NONE: the key's
 * default hash; dlen must be that hash's length, else AL_E_CRYPTO_DIGEST).
 * Not for Ed25519 (AL_E_CRYPTO_KEY): pure Ed25519 signs the message. */
al_rc al_sig_verify_digest(const al_pubkey *k, al_hash h, const uint8_t *digest, size_t dlen,
			   al_bytes sig, al_err *err) AL_MUST_USE;
/* ECDSA with an IEEE P1363 (r||s, each the curve's size) signature. Other
 * keys: AL_E_CRYPTO_KEY. */
al_rc al_sig_verify_p1363(const al_pubkey *k, al_hash h, al_bytes msg, al_bytes sig, al_err *err) AL_MUST_USE;
/* Ed25519ph (RFC 8032, empty context) over msg, for an Ed25519 key. Never
 * chosen implicitly: only callers that know the signer used Ed25519ph
 * (keyDetails PKIX_ED25519_PH) call it. */
al_rc al_sig_verify_ed25519ph(const al_pubkey *k, al_bytes msg, al_bytes sig, al_err *err) AL_MUST_USE;

/* ================================================================ signing (crypto/sign.c) */

#include <mbedtls/ecp.h>

/*
 * A private key, for the one thing airlock signs: its Verification Summary
 * Attestations (docs/vsa.md). Ed25519 or ECDSA P-256 only, from PKCS#8.
 * Signing is deterministic and needs no randomness: Ed25519 (RFC 8032), and
 * ECDSA with RFC 6979 nonces and SHA-256. Secrets are wiped on free.
 */
typedef struct al_privkey {
	al_key_kind kind;          /* AL_KEY_ED25519, AL_KEY_ECDSA_P256, or NONE */
	uint8_t ed25519_sk[64];    /* libsodium's form: seed, then public key */
	mbedtls_ecp_group grp;     /* P-256 */
	mbedtls_mpi d;             /* P-256 private scalar */
	mbedtls_ecp_point q;       /* P-256 public point */
	al_pubkey pub;             /* the public half, parsed as a verifier would */
} al_privkey;

/* Every al_privkey is initialised once before any other call on it. */
void al_privkey_init(al_privkey *k);
/* Wipes and releases k, leaving it empty (as after init). */
void al_privkey_free(al_privkey *k);
/* Exactly one PEM "PRIVATE KEY" (PKCS#8, as `openssl genpkey` writes it)
 * block. Refused with a message saying what it was: "ENCRYPTED PRIVATE KEY",
 * traditional "EC PRIVATE KEY" / "RSA PRIVATE KEY", RSA, curves other than
 * P-256, malformed DER, a public key that is not the private key's.
 * Errors: AL_E_CRYPTO_KEY, AL_E_DECODE (bad PEM), AL_E_LIMIT. */
al_rc al_privkey_from_pem(al_bytes pem, al_privkey *k, al_err *err) AL_MUST_USE;
/* PKCS#8 / OneAsymmetricKey DER (RFC 5958): Ed25519 (RFC 8410) or
 * id-ecPublicKey P-256 with an ECPrivateKey (RFC 5915). Errors as above. */
al_rc al_privkey_from_pkcs8(al_bytes der, al_privkey *k, al_err *err) AL_MUST_USE;
/* Signs msg: pure Ed25519 (64 bytes), or ECDSA P-256 over SHA-256(msg) with
 * an RFC 6979 nonce, as strict DER. The signature is verified under k->pub
 * before it is returned. sig is overwritten. Errors: AL_E_CRYPTO_KEY (no
 * key), AL_E_INTERNAL, AL_E_NOMEM. */
al_rc al_sign(const al_privkey *k, al_bytes msg, al_buf *sig, al_err *err) AL_MUST_USE;

/* ================================================================ DSSE */

/* PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body,
 * lengths in ASCII decimal. out is overwritten. Errors: AL_E_LIMIT (payload
 * over AL_MAX_PAYLOAD or type over AL_MAX_PAYLOAD), AL_E_NOMEM. */
al_rc al_dsse_pae(al_bytes payload_type, al_bytes payload, al_buf *out, al_err *err) AL_MUST_USE;

/* ================================================================ X.509 at a given time, SCT, RFC 3161
 * (crypto/x509.c, crypto/sct.c, crypto/tsa.c) */

#include <mbedtls/x509_crt.h>

/*
 * SECURITY CONSIDERATIONS (this section)
 *  - Certificates are judged at a time the caller names (a verified signed
 *    time: SET integratedTime, RFC 3161 genTime), never at the wall clock.
 *    mbedTLS builds and checks the path; only its two validity flags are
 *    recomputed against that time, for every certificate of the path.
 *  - Trust is what the caller passes as roots. Certificates in the chain
 *    list are untrusted intermediates, whatever they claim.
 *  - Slices returned by these functions point into certificate DER owned by
 *    an al_certs (or into the caller's input) and live as long as it does.
 */

/* ---------------------------------------------------------------- DER */

/*
 * A strict DER reader on al_rd: one-byte tags, definite lengths in minimal
 * form (at most 4 length octets). Reading a malformed element, or an
 * element with another tag than the one asked for, poisons the reader as
 * every al_rd read does; callers check al_rd_ok/al_rd_done once.
 */
typedef struct al_der {
	uint8_t tag;
	al_bytes val;          /* contents */
	al_bytes tlv;          /* the whole element: tag, length and contents */
} al_der;

/* Reads the next element, whatever its tag. False (and r poisoned) on error. */
bool al_der_any(al_rd *r, al_der *out);
/* Reads the next element, which must have tag; returns its contents. */
al_bytes al_der_take(al_rd *r, uint8_t tag);
/* True when the next element starts with tag (consumes nothing). */
bool al_der_peek(const al_rd *r, uint8_t tag);

/* ---------------------------------------------------------------- certificates */

/*
 * A list of parsed X.509 certificates, in the order added. mbedTLS holds a
 * private copy of each DER. At most AL_MAX_CHAIN_CERTS; each at most
 * AL_MAX_DER bytes, exactly one certificate with nothing after it.
 */
typedef struct al_certs {
	mbedtls_x509_crt crt;  /* first of an mbedTLS linked list (next) */
	size_t n;
} al_certs;

void al_certs_init(al_certs *c);
/* Releases every certificate; c is then empty and may be reused. */
void al_certs_free(al_certs *c);
/* Appends one DER certificate. Errors: AL_E_CRYPTO_CERT (does not parse,
 * or an unsupported critical extension), AL_E_LIMIT. */
al_rc al_certs_add_der(al_certs *c, al_bytes der, al_err *err) AL_MUST_USE;
/* Appends every "CERTIFICATE" block of a PEM text, in order (at least one).
 * Errors: as al_certs_add_der, AL_E_DECODE (bad PEM, another block type). */
al_rc al_certs_add_pem(al_certs *c, al_bytes pem, al_err *err) AL_MUST_USE;
/* The i-th certificate, or NULL past the end. */
const mbedtls_x509_crt *al_certs_at(const al_certs *c, size_t i);

/*
 * What callers outside crypto/ read of a certificate, so that none of them
 * reads mbedTLS's struct fields: its DER (the copy the al_certs owns), its
 * SubjectPublicKeyInfo DER, and whether it is self-issued.
 */
al_bytes al_x509_der(const mbedtls_x509_crt *crt);
al_bytes al_x509_spki(const mbedtls_x509_crt *crt);
/* Subject and issuer are the same bytes: a root, or a certificate posing as
 * one. The one self-signed test: al_x509_verify_at's reject_self_signed,
 * the bundle chain rule and the --ca-roots chain annotation all use it. */
bool al_x509_self_signed(const mbedtls_x509_crt *crt);
/* Validity window in seconds since the epoch (both ends inclusive). */
void al_x509_validity(const mbedtls_x509_crt *crt, int64_t *not_before, int64_t *not_after);
/* Names a certificate for messages: its subject DN, or "serial <hex>" when
 * the subject is empty (Fulcio leaves). Always NUL-terminated. */
void al_x509_describe(const mbedtls_x509_crt *crt, char *out, size_t cap);
/* The issuer's distinguished name as text ("CN=sigstore-intermediate,
 * O=sigstore.dev"); empty when it cannot be written. */
void al_x509_issuer_dn(const mbedtls_x509_crt *crt, char *out, size_t cap);
/* "2025-06-12T12:02:20Z" (out >= 32 bytes). */
void al_time_format(int64_t t, char out[32]);
/* Days from 1970-01-01 to y-m-d (m 1..12, d 1..31, not range-checked) in
 * the proleptic Gregorian calendar (H. Hinnant's days_from_civil): the one
 * civil-to-epoch conversion, for X.509, GeneralizedTime and RFC 3339 times.
 * Exact for years 0000..9999. */
int64_t al_days_from_civil(int64_t y, int m, int d);

/*
 * Looks up the extension oid (the OID's contents, without tag and length)
 * in crt. *present tells whether it is there; value is the extnValue
 * contents (the DER inside the OCTET STRING); critical may be NULL.
 * Errors: AL_E_CRYPTO_CERT (malformed extensions, the OID twice).
 */
al_rc al_x509_ext(const mbedtls_x509_crt *crt, al_bytes oid, al_bytes *value, bool *critical,
		  bool *present, al_err *err) AL_MUST_USE;

/* Extended key usage the leaf must carry. */
typedef enum al_eku {
	AL_EKU_CODE_SIGNING = 1,  /* Fulcio: EKU present and includes codeSigning */
	AL_EKU_TIME_STAMPING,     /* TSA (RFC 3161 §2.3): EKU critical and exactly
				   * timeStamping, and the leaf is not a CA */
	AL_EKU_CODE_SIGNING_IF_PRESENT, /* private PKI: codeSigning when the leaf has an
				   * EKU extension; none at all means any usage, as
				   * Go's crypto/x509 (and so cosign) decides */
} al_eku;

typedef struct al_x509_opts {
	al_eku eku;
	/* Reject a chain list holding a self-signed certificate (a bundle that
	 * ships its own root; only the caller's roots may anchor a path). */
	bool reject_self_signed;
} al_x509_opts;

/* A verified path: crt[0] is the leaf, crt[n-1] the trust anchor (one of
 * the roots). Pointers into the caller's al_certs. */
typedef struct al_x509_path {
	size_t n;
	const mbedtls_x509_crt *crt[AL_MAX_CHAIN_CERTS + 2];
} al_x509_path;

/*
 * Validates chain[0] (the leaf), using chain[1..] as untrusted
 * intermediates, up to one of roots, at time t: every certificate of the
 * path has notBefore <= t <= notAfter; names, CA bits, key usage, path
 * length and signatures are mbedTLS's (default profile: SHA-256 and up,
 * RSA >= 2048, P-256/384/521); the leaf has the EKU of opts->eku and, when
 * it has a key usage extension, digitalSignature. path may be NULL.
 * Errors: AL_E_CRYPTO_TIME (a certificate outside its window at t),
 * AL_E_CRYPTO_CERT (anything else); the message names the certificate by
 * position and subject and says what failed.
 */
al_rc al_x509_verify_at(const al_certs *chain, const al_certs *roots, int64_t t,
			const al_x509_opts *opts, al_x509_path *path, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- identity */

typedef enum al_san_kind {
	AL_SAN_NONE = 0,
	AL_SAN_URI,
	AL_SAN_EMAIL,
	AL_SAN_OTHERNAME,         /* Fulcio username, otherName 1.3.6.1.4.1.57264.1.7 */
	AL_SAN_DNS,               /* dNSName (al_x509_has_san only) */
} al_san_kind;

/* The signer identity of a Fulcio certificate. */
typedef struct al_x509_identity {
	al_san_kind san_kind;
	al_bytes san;             /* the first URI, else email, else Fulcio otherName
				   * (sigstore-go's order); raw bytes, not NUL-terminated */
	al_bytes issuer;          /* OIDC issuer: 1.3.6.1.4.1.57264.1.8 (UTF8String),
				   * else .1.1 (raw); empty when neither is present */
} al_x509_identity;

/* Whether any SAN of that kind (URI, email, DNS) equals want (DNS names
 * without case). No SAN extension: not found. AL_E_CRYPTO_CERT when malformed. */
al_rc al_x509_has_san(const mbedtls_x509_crt *crt, al_san_kind kind, al_bytes want, bool *found,
		      al_err *err) AL_MUST_USE;
/* Errors: AL_E_CRYPTO_CERT (no SAN extension, no usable SAN, malformed). */
al_rc al_x509_identity_get(const mbedtls_x509_crt *crt, al_x509_identity *id, al_err *err) AL_MUST_USE;
/* Fulcio extension 1.3.6.1.4.1.57264.1.<arc> (arc 1..63, not 7): arcs 1-6
 * are raw strings, 8 and up a DER UTF8String, returned decoded. Errors:
 * AL_E_CRYPTO_CERT (malformed), AL_E_INTERNAL (arc out of range). */
al_rc al_x509_fulcio_ext(const mbedtls_x509_crt *crt, unsigned arc, al_bytes *value, bool *present,
			 al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- SCT (RFC 6962 §3.2) */

/* One SignedCertificateTimestamp as it appears in the list (slices into it). */
typedef struct al_sct {
	uint8_t version;          /* 0 = v1; other versions are skipped unparsed */
	uint8_t log_id[32];
	uint64_t timestamp_ms;
	al_bytes extensions;
	uint8_t hash_alg;         /* TLS HashAlgorithm: 4 sha256, 5 sha384, 6 sha512 */
	uint8_t sig_alg;          /* TLS SignatureAlgorithm: 1 rsa, 3 ecdsa */
	al_bytes sig;
} al_sct;

/* A CT log the caller trusts (trusted_root.json ctlogs[]). */
typedef struct al_ct_log {
	uint8_t log_id[32];       /* logId.keyId (SHA-256 of the log's SPKI) */
	const al_pubkey *key;
	int64_t not_before;       /* validFor, seconds, closed; INT64_MIN when open */
	int64_t not_after;        /* INT64_MAX when open */
} al_ct_log;

/* Parses the TLS SignedCertificateTimestampList (the bytes inside the
 * extension's inner OCTET STRING). Errors: AL_E_CRYPTO_SCT, AL_E_LIMIT
 * (more than cap entries). */
al_rc al_sct_list_parse(al_bytes list, al_sct *out, size_t cap, size_t *n, al_err *err) AL_MUST_USE;
/* Rebuilds the precertificate TBSCertificate: tbs (DER) without the SCT list
 * extension, lengths re-encoded. out is overwritten. Errors:
 * AL_E_CRYPTO_SCT (malformed, no SCT extension), AL_E_NOMEM. */
al_rc al_sct_precert_tbs(al_bytes tbs, al_buf *out, al_err *err) AL_MUST_USE;
/*
 * Verifies the embedded SCTs of leaf, issued by issuer (the leaf's parent
 * in a verified path), against logs. SCTs from unknown logs, with a
 * timestamp outside their log's window, or whose signature fails are
 * skipped. *verified (may be NULL) is the number that verified.
 * Errors: AL_E_CRYPTO_SCT (malformed list, or fewer than need verified;
 * the message says why each SCT was skipped).
 */
al_rc al_sct_verify(const mbedtls_x509_crt *leaf, const mbedtls_x509_crt *issuer,
		    const al_ct_log *logs, size_t nlogs, size_t need, size_t *verified,
		    al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- RFC 3161 */

typedef struct al_timestamp {
	int64_t gen_time;         /* TSTInfo genTime, seconds since the epoch */
	uint32_t gen_time_ns;     /* its fraction of a second (first 9 digits) */
	al_hash imprint_hash;     /* messageImprint hash algorithm */
	bool embedded_cert;       /* the token carried its signing certificate */
} al_timestamp;

/*
 * Parses a GeneralizedTime ("YYYYMMDDHHMMSS[.f+]Z", UTC, any number of
 * fraction digits, at least one when the dot is there). Errors: AL_E_DECODE.
 */
al_rc al_asn1_gentime(al_bytes s, int64_t *t, uint32_t *ns, al_err *err) AL_MUST_USE;

/*
 * Verifies a DER TimeStampResp (status granted, one SignerInfo, signed
 * attributes) over msg (the bytes that were timestamped, e.g. a signature):
 * messageImprint == H(msg) with SHA-256/384/512; contentType and
 * messageDigest attributes; ESS signingCertificate(V2) naming the signer;
 * the signature over the signed attributes re-tagged as a SET OF.
 * tsa_chain is the TSA's chain from trust material without its root:
 * [0] the signing certificate, then intermediates. A certificate embedded
 * in the token must be identical to tsa_chain[0]; when tsa_chain is empty
 * the token must embed its signer. The signer and intermediates are then
 * validated up to roots at genTime (an expired-now chain is fine) with
 * AL_EKU_TIME_STAMPING. out may be NULL.
 * Errors: AL_E_CRYPTO_TSA (malformed, mismatch, bad signature),
 * AL_E_CRYPTO_CERT / AL_E_CRYPTO_TIME (chain at genTime), AL_E_LIMIT.
 */
al_rc al_tsa_verify(al_bytes resp, al_bytes msg, const al_certs *tsa_chain, const al_certs *roots,
		    al_timestamp *out, al_err *err) AL_MUST_USE;

/* ================================================================ end X.509 section */

#endif
