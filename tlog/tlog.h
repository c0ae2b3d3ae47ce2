/*
 * tlog.h — transparency-log proofs: RFC 6962/9162 Merkle proofs,
 * checkpoints (C2SP signed notes), signed entry timestamps (SETs) and
 * Rekor entry bodies.
 *
 * This module proves statements about log data under a key it is given; it
 * never chooses keys. verify/ finds the log in the trust root (by the
 * entry's logId), passes its al_pubkey and name here, and decides what a
 * failure means for the entry (skip it, or fail the bundle).
 *
 * The steps of checking a Rekor entry (verify/ runs them in the order docs/verification.md §3.3 gives):
 *   1. body      al_rekor_body_parse(canonicalizedBody, kindVersion)
 *   2. SET       al_set_verify (Rekor v1 entries with an inclusion promise)
 *   3. proof     leaf = al_merkle_leaf_hash(leaf bytes);
 *                al_merkle_verify_inclusion with the *proof's* logIndex and
 *                treeSize (not the entry's global logIndex)
 *   4. note      al_checkpoint_parse + al_checkpoint_verify, then
 *                al_checkpoint_matches(size, root of the proof)
 *   5. binding   Rekor v1: al_rekor_body_matches (signature, key or
 *                certificate, digest or payload hash) against the bundle.
 *                Rekor v2: the leaf is rebuilt from bundle data
 *                (al_rekor_v2_hashedrekord / al_rekor_v2_dsse) and the proof
 *                in step 3 is checked against SHA-256(0x00 || rebuilt), as
 *                sigstore-go does (Rekor v2 spec §6.1.4 option 1). When the
 *                rebuilt body differs from canonicalizedBody, call
 *                al_rekor_body_matches on the parsed body first: it names
 *                the field that differs, which a failed proof cannot.
 *
 * SECURITY CONSIDERATIONS
 *  - Hash and Merkle proof code does not allocate. Every hash is passed as a
 *    slice whose length is checked, so a proof of the wrong shape fails
 *    with a message instead of reading out of bounds.
 *  - Digest and root comparisons are constant time (al_ct_eq).
 *  - Nothing read from a checkpoint is meaningful before
 *    al_checkpoint_verify returns AL_OK.
 *  - canonicalizedBody is never re-serialized: the SET is over its bytes
 *    (base64-encoded), the Rekor v1 leaf is its bytes.
 *  - Rekor v2 rebuilt bodies are byte-exact copies of what rekor-tiles
 *    writes (protobuf JSON, keys sorted per RFC 8785, standard padded
 *    base64), checked against real log entries in tests/unit/test_tlog.c.
 */
#ifndef AL_TLOG_H
#define AL_TLOG_H

#include "common/common.h"
#include "crypto/crypto.h"

#define AL_TLOG_HASH_LEN 32 /* RFC 6962 with SHA-256, the only tree hash in use */

/* ================================================================ Merkle (RFC 6962 / RFC 9162) */

/* SHA-256(0x00 || leaf). */
void al_merkle_leaf_hash(al_bytes leaf, uint8_t out[AL_TLOG_HASH_LEN]);
/* SHA-256(0x01 || left || right). */
void al_merkle_node_hash(const uint8_t left[AL_TLOG_HASH_LEN], const uint8_t right[AL_TLOG_HASH_LEN],
			 uint8_t out[AL_TLOG_HASH_LEN]);

/*
 * The root hash an inclusion proof implies (RFC 9162 §2.1.3.2) for the leaf
 * at index in a tree of size leaves. leaf_hash and every proof hash must be
 * 32 bytes; the proof must have exactly the length the (index, size) pair
 * calls for. Errors: AL_E_TLOG_PROOF (index >= size, size 0, wrong proof
 * length, a hash of the wrong length), AL_E_LIMIT (more than
 * AL_MAX_PROOF_HASHES hashes, size > AL_MAX_TREE_SIZE).
 */
al_rc al_merkle_root_from_inclusion(uint64_t index, uint64_t size, al_bytes leaf_hash,
				    const al_bytes *proof, size_t nproof,
				    uint8_t root[AL_TLOG_HASH_LEN], al_err *err) AL_MUST_USE;
/* As above, then the computed root must equal root (32 bytes).
 * Errors: those above; AL_E_TLOG_PROOF when the roots differ. */
al_rc al_merkle_verify_inclusion(uint64_t index, uint64_t size, al_bytes leaf_hash,
				 const al_bytes *proof, size_t nproof, al_bytes root,
				 al_err *err) AL_MUST_USE;
/*
 * Consistency proof from a tree of size1 leaves with root1 to one of size2
 * with root2 (RFC 9162 §2.1.4.2). Requires 0 < size1 <= size2; equal sizes
 * need an empty proof and equal roots. Errors: AL_E_TLOG_PROOF, AL_E_LIMIT.
 */
al_rc al_merkle_verify_consistency(uint64_t size1, uint64_t size2, al_bytes root1, al_bytes root2,
				   const al_bytes *proof, size_t nproof, al_err *err) AL_MUST_USE;

/* ================================================================ checkpoints (C2SP signed notes) */

/* One signature line "— <name> base64(key ID || signature)". */
typedef struct al_note_sig {
	al_bytes name;          /* key name; points into the note */
	uint32_t key_id;        /* the first 4 bytes, big-endian */
	al_bytes sig;           /* the signature after the key ID; points into cp->sigbuf */
	al_bytes line;          /* the line without "— " and "\n"; points into the note */
} al_note_sig;

/*
 * A parsed checkpoint. Slices point into the input given to
 * al_checkpoint_parse (which must outlive it) or into sigbuf (owned).
 * It is about 6 KiB (al_rekor_body about 2.5 KiB): allocate rather than
 * nest them in deep call chains.
 */
typedef struct al_checkpoint {
	al_bytes text;          /* the signed note text, final "\n" included, blank line excluded */
	al_bytes origin;        /* first line */
	uint64_t size;          /* second line */
	uint8_t root[AL_TLOG_HASH_LEN]; /* third line, decoded */
	al_bytes extensions;    /* lines after the third, each ending in "\n"; may be empty */
	size_t n_extensions;
	size_t nsigs;           /* 1..AL_MAX_NOTE_SIGS */
	al_note_sig sigs[AL_MAX_NOTE_SIGS];
	al_buf sigbuf;
} al_checkpoint;

/*
 * Parses a checkpoint strictly. The note (at most AL_MAX_CHECKPOINT bytes)
 * must be UTF-8 without control characters other than "\n"; text and
 * signatures split at the last "\n\n"; at least one signature line, each
 * "— " + a key name (non-empty, no spaces, no '+') + " " + canonical
 * standard base64 of at least 5 bytes, each ending in "\n"; at most
 * AL_MAX_NOTE_SIGS lines. The text has an origin (non-empty), a tree size
 * (decimal without leading zeros, <= AL_MAX_TREE_SIZE), a root hash
 * (base64 of 32 bytes) and optional non-empty extension lines. Parsing
 * checks no signature. On failure *cp is left empty (safe to free).
 * Errors: AL_E_TLOG_CHECKPOINT, AL_E_LIMIT, AL_E_NOMEM.
 */
al_rc al_checkpoint_parse(al_bytes note, al_checkpoint *cp, al_err *err) AL_MUST_USE;
void al_checkpoint_free(al_checkpoint *cp);

/*
 * Whether the origin has Rekor v1's shape "<host> - <decimal tree ID>"
 * (sigstore-go hasRekorV1STH: `.* - [0-9]+$`). Rekor v1 checkpoints are
 * verified with AL_NOTE_REKOR_V1, all others with AL_NOTE_C2SP.
 */
bool al_checkpoint_is_rekor_v1(const al_checkpoint *cp);

typedef enum al_note_profile {
	/*
	 * Rekor v1 (rekor pkg/util SignedNote.Verify): every signature line
	 * must carry the key ID SHA-256(SPKI DER)[:4] of the log key and
	 * verify (ECDSA or RSA over the text hashed with the key's hash,
	 * al_pubkey_default_hash; Ed25519 over the text). Key names are not
	 * checked; Rekor writes the host there.
	 */
	AL_NOTE_REKOR_V1 = 1,
	/*
	 * C2SP signed note as Rekor v2 (rekor-tiles) writes it: the origin
	 * must equal the log's name (its hostname); the log's lines are those
	 * with that name and the key ID al_note_key_hash gives; each of them
	 * must verify, repeats are skipped, and at least one is required.
	 * Lines from any other (name, key ID), such as witness cosignatures,
	 * are ignored and reported.
	 */
	AL_NOTE_C2SP,
} al_note_profile;

typedef enum al_note_sig_status {
	AL_NOTE_SIG_IGNORED = 0,  /* unknown (name, key ID) */
	AL_NOTE_SIG_VERIFIED,     /* by the log key, verified */
	AL_NOTE_SIG_REPEATED,     /* by the log key again: skipped (note.Open) */
	AL_NOTE_SIG_COSIGNATURE,  /* unknown key, shaped as a tlog-cosignature/v1
				   * Ed25519 cosignature (72 bytes); not verified */
} al_note_sig_status;

typedef struct al_note_report {
	size_t verified;          /* lines verified under the log key */
	size_t ignored;           /* lines from other keys (cosignatures included) */
	size_t cosignatures;      /* of those, tlog-cosignature/v1 shaped */
	al_note_sig_status status[AL_MAX_NOTE_SIGS]; /* per cp->sigs[i] */
	uint64_t cosig_time[AL_MAX_NOTE_SIGS];       /* POSIX seconds, for COSIGNATURE lines */
} al_note_report;

/*
 * Verifies cp's signatures under the log key per profile. log_name is the
 * log's note name (Rekor v2: the hostname of the trust root's baseUrl); it
 * is required for AL_NOTE_C2SP and ignored for AL_NOTE_REKOR_V1. rep may
 * be NULL. Errors: AL_E_TLOG_CHECKPOINT (a key ID that is not the log's
 * under REKOR_V1, a signature by the log key that does not verify, no
 * signature by the log key, origin != log_name), AL_E_CRYPTO_KEY (a key
 * type no note signature is defined for).
 */
al_rc al_checkpoint_verify(const al_checkpoint *cp, al_note_profile profile, const al_pubkey *log_key,
			   al_bytes log_name, al_note_report *rep, al_err *err) AL_MUST_USE;

/*
 * Verifies signature line i of cp as a tlog-cosignature/v1 Ed25519
 * cosignature by a witness: its name must be name, its key ID
 * SHA-256(name || 0x0A || 0x04 || public key)[:4], and its 72 bytes a
 * timestamp (< 2^63) and an Ed25519 signature over "cosignature/v1\n" ||
 * "time <timestamp>\n" || cp->text. On success *timestamp is the
 * timestamp (POSIX seconds). Which witnesses to require is policy, not
 * this module's. Errors: AL_E_TLOG_CHECKPOINT, AL_E_CRYPTO_KEY (not an
 * Ed25519 key), AL_E_NOMEM.
 */
al_rc al_cosignature_verify(const al_checkpoint *cp, size_t i, const al_pubkey *witness, al_bytes name,
			    uint64_t *timestamp, al_err *err) AL_MUST_USE;

/* After verification: the checkpoint must commit to the inclusion proof's
 * tree (size and root hash). Errors: AL_E_TLOG_CHECKPOINT. */
al_rc al_checkpoint_matches(const al_checkpoint *cp, uint64_t size, al_bytes root, al_err *err) AL_MUST_USE;

/*
 * The full 32-byte key hash of a log's note key under name (the key ID is
 * its first 4 bytes; for Rekor v2 it is also the trust root's logId):
 *   Ed25519  SHA-256(name || 0x0A || 0x01 || 32-byte public key)  (C2SP)
 *   ECDSA    SHA-256(SPKI DER)                                    (rekor-tiles)
 *   RSA      SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || SPKI DER)
 * Errors: AL_E_CRYPTO_KEY.
 */
al_rc al_note_key_hash(const al_pubkey *k, al_bytes name, uint8_t out[32], al_err *err) AL_MUST_USE;

/* ================================================================ signed entry timestamps */

/*
 * The RFC 8785 canonical JSON a Rekor v1 SET signs (and cosign's
 * dev.sigstore.cosign/bundle annotation carries):
 *   {"body":"<base64 of body>","integratedTime":N,"logID":"<hex of log_id>","logIndex":N}
 * body is the entry body bytes (canonicalizedBody decoded), log_id the
 * entry's logId.keyId bytes, log_index the entry's (global) logIndex.
 * Appends to out. Errors: AL_E_TLOG_SET (a negative number, or one above
 * 2^53 that RFC 8785 cannot represent exactly), AL_E_NOMEM.
 */
al_rc al_set_payload(al_bytes body, int64_t integrated_time, al_bytes log_id, int64_t log_index,
		     al_buf *out, al_err *err) AL_MUST_USE;
/* Verifies a SET (DER ECDSA; the hash is the key's, al_pubkey_default_hash,
 * SHA-256 for Rekor's P-256 keys) over al_set_payload(...) with the log
 * key. Whether integrated_time lies in the log key's validity window is the
 * caller's check. Errors: AL_E_TLOG_SET, AL_E_CRYPTO_KEY, AL_E_NOMEM. */
al_rc al_set_verify(const al_pubkey *log_key, al_bytes body, int64_t integrated_time, al_bytes log_id,
		    int64_t log_index, al_bytes set, al_err *err) AL_MUST_USE;

/* ================================================================ Rekor entry bodies */

typedef enum al_rekor_kind {
	AL_REKOR_UNKNOWN = 0,
	AL_REKOR_HASHEDREKORD_V001, /* Rekor v1 */
	AL_REKOR_DSSE_V001,         /* Rekor v1 */
	AL_REKOR_INTOTO_V001,       /* Rekor v1, legacy cosign attestations */
	AL_REKOR_INTOTO_V002,       /* Rekor v1 */
	AL_REKOR_HASHEDREKORD_V002, /* Rekor v2 */
	AL_REKOR_DSSE_V002,         /* Rekor v2 (sigstore-go rejects it; policy is verify/'s) */
} al_rekor_kind;

/* The kind of an entry's kindVersion ("hashedrekord", "0.0.1"), or
 * AL_REKOR_UNKNOWN for one this module does not parse. */
al_rekor_kind al_rekor_kind_of(al_bytes kind, al_bytes version);

typedef enum al_rekor_verifier {
	AL_RV_NONE = 0,
	AL_RV_PEM_CERT,  /* Rekor v1: a PEM CERTIFICATE; der is its DER */
	AL_RV_PEM_KEY,   /* Rekor v1: a PEM PUBLIC KEY; der is the SPKI DER */
	AL_RV_X509,      /* Rekor v2: x509Certificate.rawBytes */
	AL_RV_SPKI,      /* Rekor v2: publicKey.rawBytes */
} al_rekor_verifier;

typedef struct al_rekor_sig {
	al_buf sig;              /* signature bytes; empty for intoto/0.0.1 (none logged) */
	al_rekor_verifier form;
	al_buf der;              /* certificate DER or SPKI DER */
	al_buf pem;              /* Rekor v1: the PEM text as logged; empty for v2 */
	char key_details[AL_MAX_KEY_DETAILS + 1]; /* Rekor v2 keyDetails ("PKIX_ECDSA_P256_SHA_256"); "" for v1 */
} al_rekor_sig;

typedef struct al_rekor_digest {
	al_hash alg;             /* AL_HASH_NONE when the body has none */
	uint8_t v[AL_HASH_MAX];
	size_t n;                /* al_hash_len(alg) */
} al_rekor_digest;

typedef struct al_rekor_body {
	al_rekor_kind kind;
	al_rekor_digest data;          /* hashedrekord: the signed digest (artifact, or PAE for DSSE in v2) */
	al_rekor_digest payload_hash;  /* dsse, intoto: hash of the DSSE payload */
	al_rekor_digest envelope_hash; /* dsse/0.0.1 envelopeHash; intoto content.hash */
	size_t nsigs;                  /* 1..AL_MAX_DSSE_SIGS */
	al_rekor_sig sigs[AL_MAX_DSSE_SIGS];
} al_rekor_body;

/*
 * Parses a canonicalizedBody (decoded bytes) with strict JSON into *b.
 * kind and version are the entry's kindVersion; the body's kind and
 * apiVersion must equal them. Supported: hashedrekord 0.0.1 and 0.0.2,
 * dsse 0.0.1 and 0.0.2, intoto 0.0.1 and 0.0.2 (whose envelope signature
 * and payload are base64 twice over). When an intoto/0.0.2 body logs the
 * payload, its hash must equal payloadHash. Nothing in *b points into
 * body. On failure *b is left empty (safe to free).
 * Errors: AL_E_TLOG_BODY (naming the JSON path), AL_E_LIMIT, AL_E_NOMEM.
 */
al_rc al_rekor_body_parse(al_bytes body, al_bytes kind, al_bytes version, al_rekor_body *b,
			  al_err *err) AL_MUST_USE;
void al_rekor_body_free(al_rekor_body *b);

/* What the bundle says, to hold a parsed body against. */
typedef struct al_rekor_expect {
	al_bytes sig;       /* the bundle's signature bytes (messageSignature.signature
			     * or the DSSE envelope's signature) */
	al_bytes cert_der;  /* the leaf certificate DER, or {NULL, 0} ... */
	al_bytes spki_der;  /* ... in key mode, the trusted key's SPKI DER */
	al_hash digest_alg; /* hashedrekord: the signed digest (messageDigest, or, for
			     * a DSSE bundle in Rekor v2, H(PAE(type, payload))) */
	al_bytes digest;
	al_bytes payload;   /* dsse, intoto: the DSSE payload bytes (decoded) */
	al_bytes envelope;  /* intoto/0.0.1 only: the envelope bytes content.hash covers */
} al_rekor_expect;

/*
 * Checks that the body logs what the bundle carries (CVE-2022-36056):
 *   hashedrekord  signature == x->sig; verifier == cert (or key); data
 *                 algorithm and digest == x->digest_alg, x->digest
 *   dsse, intoto/0.0.2  payloadHash == H(x->payload) with the body's
 *                 algorithm; some logged signature == x->sig, and the
 *                 verifier logged with it == cert (or key)
 *   intoto/0.0.1  payloadHash as above; content.hash == SHA-256(x->envelope)
 *                 (this is what binds the signature); verifier == cert/key
 * A certificate in the body never matches a key-mode bundle, nor a key a
 * certificate bundle. Errors: AL_E_TLOG_BODY naming the field that differs
 * ("hashedrekord/0.0.1 body: spec.data.hash.value: a0cf… differs from the
 * bundle's digest 9f86…").
 */
al_rc al_rekor_body_matches(const al_rekor_body *b, const al_rekor_expect *x, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- Rekor v2 leaf reconstruction */

/* One signature with its verifier, as a Rekor v2 body logs it. */
typedef struct al_rekor_v2_sig {
	al_bytes sig;             /* signature bytes */
	const char *key_details;  /* PublicKeyDetails name, e.g. "PKIX_ECDSA_P256_SHA_256" */
	bool is_cert;             /* der is an X.509 certificate (else an SPKI) */
	al_bytes der;
} al_rekor_v2_sig;

/*
 * The keyDetails and prehash sigstore-go assigns a bundle's key when it
 * rebuilds a Rekor v2 entry (sigstore GetDefaultAlgorithmDetails with
 * Ed25519ph): P-256 -> PKIX_ECDSA_P256_SHA_256 / SHA-256, P-384 ->
 * PKIX_ECDSA_P384_SHA_384 / SHA-384, P-521 -> PKIX_ECDSA_P521_SHA_512 /
 * SHA-512, RSA of 2048/3072/4096 bits -> PKIX_RSA_PKCS1V15_<bits>_SHA256 /
 * SHA-256 (also for a PSS key: sigstore-go does not distinguish), Ed25519 ->
 * PKIX_ED25519_PH / SHA-512.
 * Errors: AL_E_CRYPTO_KEY.
 */
al_rc al_rekor_v2_key_details(const al_pubkey *k, const char **key_details, al_hash *prehash,
			      al_err *err) AL_MUST_USE;

/*
 * Appends the canonical hashedrekord/0.0.2 body:
 *   {"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":
 *    {"data":{"algorithm":"SHA2_256","digest":B64},"signature":{"content":B64,
 *    "verifier":{"keyDetails":KD,"x509Certificate":{"rawBytes":B64}}}}}}
 * ("publicKey":{"rawBytes":B64} for a key). digest is the signed digest
 * (messageDigest, or H(PAE) for a DSSE bundle). On error out is left as
 * it was. Errors: AL_E_TLOG_BODY (digest length, empty fields, key details
 * that are not a plain name), AL_E_NOMEM.
 */
al_rc al_rekor_v2_hashedrekord(al_hash alg, al_bytes digest, const al_rekor_v2_sig *s, al_buf *out,
			       al_err *err) AL_MUST_USE;
/*
 * Appends the canonical dsse/0.0.2 body:
 *   {"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{"payloadHash":
 *    {"algorithm":"SHA2_256","digest":B64},"signatures":[{"content":B64,
 *    "verifier":{...}}, ...]}}}
 * payload_hash is H(payload). Errors as above.
 */
al_rc al_rekor_v2_dsse(al_hash alg, al_bytes payload_hash, const al_rekor_v2_sig *sigs, size_t nsigs,
		       al_buf *out, al_err *err) AL_MUST_USE;

#endif
