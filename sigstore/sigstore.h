/*
 * sigstore.h — Sigstore bundles (v0.1 .. v0.3), DSSE envelopes and in-toto
 * statements: parsers that turn untrusted documents into typed models.
 *
 * Parsers only: they produce typed models of untrusted documents and apply
 * every structural rule (docs/design.md §7), but verify no
 * signature, proof or certificate (verify/ does, with trust-roots/, tlog/
 * and crypto/). Every string in these models is a
 * NUL-terminated copy (strict JSON has no embedded NUL) and untrusted text;
 * every byte field is decoded base64. Each model owns all it points to and
 * is freed by its *_free function (NULL and a zeroed model are fine); after
 * a failed parse the model is empty and safe to free.
 *
 * Sigstore bundles (protobuf JSON of dev.sigstore.bundle.v1.Bundle):
 *  - mediaType application/vnd.dev.sigstore.bundle+json;version=0.{1,2,3} or
 *    application/vnd.dev.sigstore.bundle.v0.{1,2,3}+json; anything else
 *    (0.4, 99.9, a patch version, garbage) is rejected.
 *  - Unknown fields are rejected (protojson's default; a field airlock does
 *    not read could carry meaning it would then ignore). Names are the
 *    camelCase JSON names; null counts as absent; int64 may be a string or
 *    an exact number; an absent int64 is 0 (proto3 default).
 *  - Exactly one of messageSignature / dsseEnvelope; exactly one of
 *    publicKey / certificate / x509CertificateChain; a chain has
 *    1..AL_MAX_CHAIN_CERTS certificates; v0.3 forbids the chain.
 *  - Tlog entries (<= AL_MAX_TLOG_ENTRIES): logIndex >= 0, logId.keyId,
 *    kindVersion.kind/version and canonicalizedBody present, the body's
 *    "kind"/"apiVersion" equal to kindVersion (sigstore-go
 *    ParseTransparencyLogEntry), integratedTime >= 0, no two entries with
 *    the same (logId, logIndex); v0.1 needs an inclusion promise per entry,
 *    v0.2+ an inclusion proof per entry; a proof needs a non-empty
 *    checkpoint envelope, a 32-byte rootHash, 32-byte hashes
 *    (<= AL_MAX_PROOF_HASHES) and 0 <= logIndex < treeSize. In a v0.1
 *    bundle a proof without a checkpoint (CPython's 2024 release bundles)
 *    is left out of the model (has_proof false): it can prove nothing, and
 *    v0.1 entries are verified through their SETs.
 *  - RFC 3161 timestamps: <= AL_MAX_TIMESTAMPS, each one DER SEQUENCE, no
 *    two identical (sigstore-python rejects duplicates).
 *  - DSSE: 1..AL_MAX_DSSE_SIGS signatures are parsed; that a bundle's
 *    envelope has exactly one (protobuf-specs, sigstore-go) is checked by
 *    verify/, which reports it as such.
 *  - Not checked here: which kinds/versions are acceptable, certificates as
 *    X.509 (only "one DER SEQUENCE"), whether a chain includes a root.
 * Errors: AL_E_BUNDLE_FORMAT with the JSON path
 * ("verificationMaterial.tlogEntries[0].logIndex: negative"); AL_E_LIMIT
 * when a bound of limits.h is exceeded; AL_E_IO from al_sigstore_bundle_load
 * when the file cannot be read.
 *
 * in-toto statements: see al_intoto_parse.
 */
#ifndef AL_SIGSTORE_H
#define AL_SIGSTORE_H

#include "common/common.h"
#include "crypto/crypto.h"

/* ---- DSSE envelopes */

typedef struct al_dsse_sig {
	al_buf sig;             /* decoded signature */
	al_buf keyid;           /* unauthenticated hint, may be empty */
} al_dsse_sig;

typedef struct al_dsse_envelope {
	al_buf payload_type;
	al_buf payload;         /* decoded payload (<= AL_MAX_PAYLOAD, non-empty) */
	size_t nsigs;           /* 1..AL_MAX_DSSE_SIGS */
	al_dsse_sig sigs[AL_MAX_DSSE_SIGS];
} al_dsse_envelope;

/* A standalone DSSE envelope JSON document (a cosign attestation layer):
 * {"payloadType","payload","signatures":[{"keyid","sig"}]}. Unknown fields
 * are ignored here (the DSSE spec does not forbid extensions); inside a
 * Sigstore bundle they are not. Errors: AL_E_BUNDLE_FORMAT, AL_E_LIMIT. */
al_rc al_dsse_envelope_parse(al_bytes json, al_dsse_envelope *env, al_err *err) AL_MUST_USE;
void al_dsse_envelope_free(al_dsse_envelope *env);

/* ---- Sigstore bundles */

typedef enum al_sigstore_vm {
	AL_SIGSTORE_VM_NONE = 0,
	AL_SIGSTORE_VM_PUBLIC_KEY,   /* publicKey{hint}: the key comes out of band (--key) */
	AL_SIGSTORE_VM_CERTIFICATE,  /* certificate: the leaf alone */
	AL_SIGSTORE_VM_CHAIN,        /* x509CertificateChain: leaf first (v0.1, v0.2) */
} al_sigstore_vm;

typedef struct al_sigstore_proof {
	int64_t log_index;           /* index in the tree the proof is for (not the global one) */
	int64_t tree_size;
	uint8_t root_hash[32];
	size_t nhashes;              /* 0..AL_MAX_PROOF_HASHES, leaf to root */
	uint8_t hashes[AL_MAX_PROOF_HASHES][32];
	al_buf checkpoint;           /* checkpoint.envelope: the signed note text */
} al_sigstore_proof;

typedef struct al_sigstore_tlog_entry {
	int64_t log_index;           /* global index (Rekor v1: across shards); SET input */
	al_buf log_id;               /* logId.keyId, 1..AL_HASH_MAX bytes */
	al_buf kind;                 /* kindVersion.kind, e.g. "hashedrekord" */
	al_buf version;              /* kindVersion.version, e.g. "0.0.1" */
	int64_t integrated_time;     /* 0 when absent (Rekor v2); a trusted time only
				      * once the SET over it verifies */
	al_buf body;                 /* canonicalizedBody, exact bytes */
	bool has_promise;
	al_buf set;                  /* inclusionPromise.signedEntryTimestamp */
	bool has_proof;
	al_sigstore_proof proof;
} al_sigstore_tlog_entry;

typedef struct al_sigstore_bundle {
	int version;                 /* minor version: 1, 2 or 3 (v0.1 .. v0.3) */
	al_buf media_type;
	bool is_dsse;                /* content: dsseEnvelope, else messageSignature */
	al_hash digest_alg;          /* messageSignature.messageDigest.algorithm;
				      * AL_HASH_NONE when messageDigest is absent */
	al_buf digest;               /* messageDigest.digest, al_hash_len(digest_alg) bytes */
	al_buf signature;            /* messageSignature.signature */
	al_dsse_envelope dsse;       /* when is_dsse */
	al_sigstore_vm vm;
	al_buf key_hint;             /* publicKey.hint, may be empty */
	size_t ncerts;               /* 0 (public key), 1 (certificate), 1..AL_MAX_CHAIN_CERTS */
	al_buf certs[AL_MAX_CHAIN_CERTS]; /* DER; certs[0] is the signing leaf */
	size_t ntlog;
	al_sigstore_tlog_entry *tlog; /* ntlog entries */
	size_t nts;
	al_buf ts[AL_MAX_TIMESTAMPS]; /* rfc3161Timestamps[].signedTimestamp: DER TimeStampResp */
	uint8_t sha256[32];          /* of the JSON document parsed (report evidence) */
} al_sigstore_bundle;

/* Bundle minor version (1..3) for a media type, 0 when it is not one of
 * the six accepted spellings. */
int al_sigstore_bundle_version(al_bytes media_type);
/* Parses a bundle held in memory. */
al_rc al_sigstore_bundle_parse(al_bytes json, al_sigstore_bundle *b, al_err *err) AL_MUST_USE;
/* Reads (<= AL_MAX_JSON_DOC) and parses a file; messages start with the path. */
al_rc al_sigstore_bundle_load(const char *path, al_sigstore_bundle *b, al_err *err) AL_MUST_USE;
void al_sigstore_bundle_free(al_sigstore_bundle *b);
/* The signature bytes the content carries (messageSignature.signature or
 * dsseEnvelope.signatures[0].sig): what RFC 3161 imprints cover. Borrowed. */
al_bytes al_sigstore_bundle_signature(const al_sigstore_bundle *b);

/* ---- in-toto statements */

#define AL_INTOTO_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define AL_INTOTO_STATEMENT_V01 "https://in-toto.io/Statement/v0.1"
#define AL_INTOTO_STATEMENT_V1 "https://in-toto.io/Statement/v1"

typedef struct al_intoto_digest {
	al_buf alg;                  /* DigestSet key as written ("sha256") */
	al_buf value;                /* the value as written */
	al_hash hash;                /* SHA-256/384/512 for "sha256"/"sha384"/"sha512";
				      * AL_HASH_NONE for algorithms airlock does not
				      * compute (kept for policy, never matched) */
	uint8_t d[AL_HASH_MAX];      /* decoded value, al_hash_len(hash) bytes, when hash != NONE */
} al_intoto_digest;

typedef struct al_intoto_subject {
	al_buf name;                 /* may be empty */
	size_t ndigests;             /* 1..AL_MAX_SUBJECT_DIGESTS */
	al_intoto_digest *digests;
} al_intoto_subject;

typedef struct al_intoto_statement {
	int version;                 /* 1 for Statement/v0.1, 2 for Statement/v1 */
	al_buf type;                 /* _type */
	al_buf predicate_type;
	size_t nsubjects;            /* 1..AL_MAX_INTOTO_SUBJECTS */
	al_intoto_subject *subjects;
	const al_json *predicate;    /* the predicate value (an object), NULL when absent;
				      * points into doc */
	al_json *doc;                /* owned parse of the payload */
} al_intoto_statement;

/*
 * Parses an in-toto Statement from a DSSE payload. The payload type is
 * checked here: it must be AL_INTOTO_PAYLOAD_TYPE, so a caller cannot
 * forget to bind it. _type must be Statement v0.1 or v1; subject is a
 * non-empty array of objects each with a non-empty digest object;
 * predicateType a non-empty string; predicate, when present, an object.
 * Digests for sha256/sha384/sha512 must be hex of the right length (a
 * malformed one rejects the statement); other algorithms are kept as
 * written. Unknown fields are ignored (in-toto parsing rules). The
 * statement does not borrow payload. Errors: AL_E_BUNDLE_FORMAT with a
 * path ("subject[2].digest.sha256: ..."), AL_E_LIMIT.
 */
al_rc al_intoto_parse(al_bytes payload_type, al_bytes payload, al_intoto_statement *st,
		      al_err *err) AL_MUST_USE;
void al_intoto_free(al_intoto_statement *st);
/* Whether some subject has a digest for alg equal to digest (al_hash_len(alg)
 * bytes, compared in constant time). *subject (may be NULL) receives the
 * index of the first matching subject. */
bool al_intoto_match(const al_intoto_statement *st, al_hash alg, const uint8_t *digest,
		     size_t *subject);

#endif
