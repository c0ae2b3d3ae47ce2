/*
 * verify.h — orchestration: everything airlock proves is decided here,
 * from parsed inputs (bundle/, sigstore/), trust material (trust-roots/),
 * log proofs (tlog/) and cryptography (crypto/). Every check, its order and
 * where it comes from: docs/verification.md.
 *
 * Results are a tree (al_result): bundle → images → platforms →
 * signatures/attestations → checks. verify/ decides; cli/ renders the tree,
 * and every output format renders the same tree.
 *
 * SECURITY CONSIDERATIONS
 *  - Fail closed: any check that fails on an entry from a trusted log, a
 *    timestamp from a trusted TSA, or the signature itself rejects the whole
 *    bundle. Only entries from logs the trust root does not know are skipped,
 *    and then at least one other entry must verify.
 *  - Certificates are judged at verified signed times (SET integratedTime,
 *    RFC 3161 genTime), never at the wall clock.
 */
#ifndef AL_VERIFY_H
#define AL_VERIFY_H

#include "common/common.h"
#include "policy/policy.h"

/* ---------------------------------------------------------------- results */

typedef enum al_status {
	AL_ST_PASS = 1,  /* ran, and holds */
	AL_ST_FAIL,      /* ran, and does not hold: claims to match the policy and does not verify */
	AL_ST_SKIP,      /* not applicable, or not accepted by the policy (another signer) */
	AL_ST_WARN,      /* holds only under a relaxation, or was cut short by a limit */
} al_status;

const char *al_status_name(al_status s); /* "pass", "fail", "skip", "warn" */

typedef struct al_evidence {
	const char *key;     /* "logIndex", "integratedTime", "identity", ... */
	const char *value;
} al_evidence;

/* The check names (al_check.name; docs/verification.md), each spelled once:
 * here. */
#define AL_CK_ARTIFACT_DIGEST           "artifact.digest"
#define AL_CK_BLOB_READ                 "blob.read"
#define AL_CK_BUNDLE_PARSE              "bundle.parse"
#define AL_CK_CERTIFICATE_CARRIED_CHAIN "certificate.carried-chain"
#define AL_CK_CERTIFICATE_CHAIN         "certificate.chain"
#define AL_CK_CERTIFICATE_EXTENSIONS    "certificate.extensions"
#define AL_CK_CERTIFICATE_IDENTITY      "certificate.identity"
#define AL_CK_CERTIFICATE_SCT           "certificate.sct"
#define AL_CK_CERTIFICATE_VALIDITY      "certificate.validity"
#define AL_CK_PAYLOAD_BINDING           "payload.binding"
#define AL_CK_PKI_CHAIN                 "pki.chain"
#define AL_CK_POLICY_AGE                "policy.age"
#define AL_CK_POLICY_ATTESTATION        "policy.attestation"
#define AL_CK_POLICY_SIGNED_IDENTITY    "policy.signed-identity"
#define AL_CK_POLICY_TIMESTAMPS         "policy.timestamps"
#define AL_CK_POLICY_TLOG               "policy.tlog"
#define AL_CK_SIGNATURE                 "signature"
#define AL_CK_SIGNATURE_ENCODING        "signature.encoding"
#define AL_CK_SIGNATURE_FORMAT          "signature.format"
#define AL_CK_SIGNER_MODE               "signer.mode"
#define AL_CK_STATEMENT_PARSE           "statement.parse"
#define AL_CK_STATEMENT_SUBJECT         "statement.subject"
#define AL_CK_TIMESTAMP_RFC3161         "timestamp.rfc3161"
#define AL_CK_TLOG_ENTRY                "tlog.entry"
#define AL_CK_TLOG_LOG_KEY_TIME         "tlog.log-key-time"
#define AL_CK_TLOG_SET                  "tlog.set"
#define AL_CK_TLOG_TRUSTED              "tlog.trusted"

/* One check: its stable name (docs/verification.md), what it was about,
 * and what it established. reason is NULL when it passed. */
typedef struct al_check {
	const char *name;
	al_status status;
	const char *subject;
	const char *reason;
	const al_evidence *ev;
	size_t nev;
} al_check;

/* One verified time (sigstore-go's TimestampVerificationResult). */
typedef struct al_vtime_info {
	const char *type;               /* "Tlog" (a verified SET) or "TimestampAuthority" */
	const char *uri;                /* the log's host or the TSA's name in the trusted root */
	const char *timestamp;          /* RFC 3339 */
} al_vtime_info;

/* What verifying one Sigstore bundle established, in sigstore-go's
 * VerificationResult terms (docs/report.md §4): for verify-bundle, and for
 * each referrer bundle that `verify` verified. */
typedef struct al_sigstore_result {
	const char *statement;         /* DSSE: the in-toto statement (JSON text), else NULL */
	const al_evidence *cert;       /* certificate summary: certificateIssuer, subjectAlternativeName,
					* issuer, Fulcio extensions by sigstore-go's names */
	size_t ncert;
	const char *key_sha256;        /* key mode: SHA-256 of the key's SubjectPublicKeyInfo */
	const al_vtime_info *vtimes;   /* every verified time */
	size_t nvtimes;
	/* the identity policy that matched (certificate mode) */
	const char *san, *san_regexp, *issuer, *issuer_regexp;
} al_sigstore_result;

typedef enum al_item_kind {
	AL_ITEM_SIGNATURE = 1,   /* cosign simple signing, containers/image signature-N */
	AL_ITEM_ATTESTATION,     /* cosign DSSE attestation */
	AL_ITEM_REFERRER,        /* OCI 1.1 referrer carrying a Sigstore bundle */
	AL_ITEM_NOTE,            /* not a signature: a remark on the subject */
} al_item_kind;

/* One signature, attestation or referrer of a subject, or a note. PASS:
 * verified (text says what and by whom); FAIL: does not verify; SKIP: not
 * accepted by the policy (another key or identity; text says who, when
 * known); a note is SKIP (not a signature) or WARN (a limit cut a list). */
typedef struct al_item {
	al_item_kind kind;
	const char *where;       /* "sha256:…… layer 0", "signature-1" */
	al_status status;
	const char *text;
	const al_check *checks;
	size_t nchecks;
	/* a verified attestation or DSSE referrer: its in-toto statement */
	const char *predicate_type;   /* NULL when the item carries no verified statement */
	char statement_sha256[65];    /* of the statement's bytes (the DSSE payload) */
	const uint8_t *statement;     /* those bytes, kept only with al_img_opts.keep_statements */
	size_t statement_len;
	const char *digest;      /* "sha256:<hex>" of the blob it came from (the layer, the
				  * signature-N file); NULL for notes (VSA inputAttestations) */
	const al_sigstore_result *sigstore; /* a verified referrer bundle's result, else NULL */
	const char *authority;   /* PASS: the first authority of the rule it met */
	uint32_t authorities;    /* PASS: every authority of the rule it met (bit i: auth[i]) */
	const char *signed_ref;  /* a simple-signing payload's docker-reference, else NULL */
} al_item;

/* One requirement of the rule, judged for a subject: an authority, the
 * threshold, an attestation, a relaxation that took effect. */
typedef struct al_outcome_line {
	const char *requirement;   /* "authority release-key", "2 of 3 authorities",
				    * "attestation https://slsa.dev/provenance/v1" */
	al_status status;          /* PASS met, FAIL not met, WARN relaxed */
	const char *detail;        /* what met it, or why not */
} al_outcome_line;

/* What an image's manifest, index or platform has attached. */
typedef struct al_subject {
	const char *digest;
	const al_item *items;
	size_t nitems;
	size_t found;            /* items that are signatures, attestations or referrers (not notes) */
	size_t verified;         /* items that PASS */
	const al_outcome_line *outcomes; /* the rule's requirements, judged on these items */
	size_t noutcomes;
	bool satisfied;          /* every requirement is met */
} al_subject;

/* A child of an index: a platform (image content) or an artifact. */
typedef struct al_child {
	bool is_image;
	const char *why;         /* artifacts: what it is */
	const char *platform;    /* "linux/amd64", "(no platform)" */
	const char *media_type;  /* as the index's descriptor says */
	al_subject subject;
	al_status status;        /* PASS on its own, or covered by the index's signature; FAIL */
	bool covered;            /* verified only through the index's signature */
} al_child;

typedef struct al_image_result {
	const char *digest;
	const char *ref_name;           /* index.json tag, or NULL */
	const char *kind;               /* "manifest", "index", "docker image", "absent" */
	const char *media_type;         /* as index.json's descriptor says */
	const char *why;                /* why it is an image (the closed world) */
	const char *const *names;       /* docker-archive RepoTags */
	size_t nnames;
	al_subject top;
	const al_child *children;
	size_t nchildren;
	al_status status;               /* PASS verified, FAIL otherwise; WARN: failed under a
					 * rule in warn mode (exit 0, reported) */
	const char *why_not;            /* FAIL, WARN: the reason */
	size_t found;                   /* signatures/attestations seen */
	const char *rule;               /* the policy rule that decided, NULL when none applied */
	const char *name;               /* the name it was judged under, NULL when none */
	const char *name_source;        /* where the name came from: "--reference",
					 * "index.json ref.name", "RepoTags" */
	const char *const *relaxed;     /* relaxations that applied to it, by name */
	size_t nrelaxed;
} al_image_result;

typedef struct al_artifact_entry {
	const char *digest, *ref_name, *why;
} al_artifact_entry;

typedef struct al_absent_blob {
	const char *digest, *where;
} al_absent_blob;

typedef struct al_extra_entry {
	const char *path;
	uint64_t size;
	bool name_mismatch;
} al_extra_entry;

typedef struct al_docker_entry {
	const char *digest;
	const char *const *names;
	size_t nnames;
} al_docker_entry;

/* One blob the bundle's documents reference (the report's inventory). */
typedef struct al_blob_entry {
	const char *digest;
	uint64_t size;                  /* as the referencing descriptor says */
	const char *media_type;
	const char *state;              /* "proven" (present, size and digest checked),
					 * "absent", "foreign" (has URLs, not carried) */
	const char *where;              /* the first reference: "index.json manifests[0]",
					 * "sha256:<hex> layers[2]" */
} al_blob_entry;

/* The SHA-256 of one input, as evidence of what was verified against what. */
typedef struct al_input_digest {
	const char *role;               /* "bundle", "trustedRoot", "key", "caRoots", "caIntermediates",
					 * "artifact" */
	const char *path;               /* as the operator gave it; NULL for the embedded root */
	const char *of;                 /* what the digest is of: "file", "archive stream",
					 * "index.json", "manifest.json", "SubjectPublicKeyInfo",
					 * "trusted_root.json", "artifact" */
	char sha256[65];
} al_input_digest;

/* The result of `airlock verify`: everything the text, JSON and console
 * outputs say, and nothing they would have to work out again. */
typedef struct al_result {
	al_arena arena;                 /* owns every string and array below */
	const char *bundle_path;
	const char *format;             /* "OCI image layout", "docker-archive", ... */
	const char *compression;        /* archives only, else NULL */
	uint64_t bytes_hashed;
	bool opened;                    /* the bundle was read and its blobs proven */
	bool relaxed_missing;           /* --allow-missing-blobs took effect */
	bool strict;
	const al_absent_blob *absent;
	size_t nabsent;
	const al_extra_entry *extra;
	size_t nextra;
	const al_artifact_entry *artifacts; /* NULL when handed to al_img_opts.on_artifact */
	size_t nartifacts;
	const al_image_result *images;  /* NULL with al_img_opts.drop_images */
	size_t nimages;
	const al_docker_entry *docker;
	size_t ndocker;
	size_t platforms, found, verified, failed, not_accepted;
	const char *trusted_root_path;  /* the trust material used: the --trusted-root
					 * path, or "embedded (@sigstore/tuf V, TUF root vN)";
					 * NULL only when verification stopped before it loaded */
	bool trusted_root_embedded;
	size_t trusted_roots;           /* roots in it (JSON Lines: several; each item's
					 * text then names the one that decided it) */
	char trusted_root_sha256[65];   /* of the file, or of the embedded trusted_root.json */
	char trust_age[160];            /* "as of <date> (N days old; <basis>)" */
	al_status verdict;              /* PASS only when the exit status is 0 */
	int64_t eval_time;              /* the evaluation time (--at, else the clock) */
	bool eval_time_given;           /* it came from --at */
	const al_input_digest *inputs;  /* every input's SHA-256 */
	size_t ninputs;
	const al_blob_entry *blobs;     /* every referenced blob, sorted by digest */
	size_t nblobs;
	const char *policy;             /* the policy in canonical form (docs/vsa.md §4): sorted-key
					 * JSON, no whitespace; NULL when the policy did not load */
	const char *policy_source;      /* the --policy path, or "command line" */
	const char *policy_format;      /* "airlock", "containers-policy.json", ... */
	char policy_sha256[65];         /* of the policy file as read (command line: of its
					 * canonical form) */
	size_t warned;                  /* images that failed under a warn-mode rule */
} al_result;

void al_result_free(al_result *r);

/* --at TIME: an RFC 3339 time after 1970 (AL_E_USAGE otherwise). */
al_rc al_eval_time_parse(const char *s, int64_t *t, al_err *err) AL_MUST_USE;

/* Options of `airlock verify-bundle` (paths as the operator gave them). */
typedef struct al_vb_opts {
	const char *bundle_path;
	const char *trusted_root_path; /* NULL: the embedded root (docs/trust.md) */
	al_pol_flags flags;            /* the policy: --key, --certificate-identity[-regexp],
					* --certificate-oidc-issuer[-regexp], and cosign's, gh's and
					* slsa-verifier's flags (docs/policy.md §5); not --ca-roots */
	const char *artifact;          /* a path, or sha256:<64 hex> */
	int64_t max_trust_age;         /* --max-trust-age in seconds; 0: no bound */
	int64_t at;                    /* --at: the evaluation time; 0: the clock */
} al_vb_opts;

/* The result of `airlock verify-bundle` (strings owned by arena). */
typedef struct al_vb_result {
	al_arena arena;
	bool is_dsse;                  /* DSSE envelope, else a message signature */
	const char *artifact;          /* "sha256:<hex>" of what was verified */
	const char *subject;           /* DSSE: in-toto subject and predicate; else NULL */
	const char *signer;            /* certificate identity and issuer, or key fingerprint */
	const char *tlog;              /* the verified log entries */
	const char *time;              /* the signed time used, and its source */
	const char *trusted_root_source; /* the --trusted-root path, or the embedded root's name */
	bool trusted_root_embedded;
	bool trusted_root_state;       /* the state folder's TUF-installed root */
	size_t trusted_root_index;     /* the root that verified it (0-based) ... */
	size_t trusted_roots;          /* ... of this many in the file (JSON Lines) */
	char trusted_root_sha256[65];  /* of the root that verified it */
	const char *trust_age;         /* "as of <time> (N days old; basis)" */
	const al_check *checks;        /* every check, in order, the failing one last */
	size_t nchecks;
	int64_t eval_time;             /* the evaluation time (--at, else the clock) */
	bool eval_time_given;
	const al_input_digest *inputs; /* every input's SHA-256 */
	size_t ninputs;
	const al_sigstore_result *vr;  /* what a pass established; NULL when it did not pass */
} al_vb_result;

void al_vb_result_free(al_vb_result *r);

/* Loads everything the options name and verifies. Usage problems are
 * AL_E_USAGE (exit 2), unreadable files AL_E_IO (2), bad trust material
 * AL_E_TRUST_* (4), anything else a failed verification (1). */
al_rc al_verify_bundle_cmd(const al_vb_opts *o, al_vb_result *res, al_err *err) AL_MUST_USE;

/* The same in two steps, for many bundles under one policy (`verify-bundle
 * --batch`): a session reads the policy, keys and trust set once (o's bundle
 * and artifact are not used), then verifies any number of bundles. A session
 * is used by one thread at a time; a batch opens one per worker, so no
 * mbedTLS context is ever shared between threads. Errors as above. */
typedef struct al_vb_session al_vb_session;
al_rc al_vb_session_open(const al_vb_opts *o, al_vb_session **s, al_err *err) AL_MUST_USE;
al_rc al_vb_session_verify(al_vb_session *s, const char *bundle_path, const char *artifact, al_vb_result *res,
			   al_err *err) AL_MUST_USE;
void al_vb_session_close(al_vb_session *s);
/* One line of a `verify-bundle --batch` LIST: BUNDLE<TAB>FILE_OR_DIGEST. */
typedef struct al_batch_line {
	const char *bundle, *artifact;
} al_batch_line;
/* Splits LIST's text in place (text[len] must be a writable NUL): every
 * line not blank and not starting with '#' is one bundle. *out (free it)
 * points into text. Errors, all AL_E_USAGE and naming the line: no tab or
 * more than one, an empty field, a NUL byte, more than AL_MAX_BATCH
 * bundles, none at all; AL_E_NOMEM. */
al_rc al_batch_list_parse(char *text, size_t len, al_batch_line **out, size_t *nout, al_err *err) AL_MUST_USE;

/* How old the session's trust material is ("trust material: ..." of a
 * verify-bundle run), valid until the session is closed. */
const char *al_vb_session_trust_age(const al_vb_session *s);

/* Options of `airlock verify BUNDLE`. */
struct al_oci_progress; /* bundle/bundle.h */

typedef struct al_img_opts {
	const char *bundle_path;
	const char *trusted_root_path;  /* NULL: the embedded root (docs/trust.md) */
	const char *policy_path;        /* --policy FILE (any format policy/ reads) */
	al_pol_flags flags;             /* a policy stated by flags (not with --policy) */
	const char *reference;          /* --reference NAME: the name every image is judged under */
	bool allow_missing_blobs;       /* relaxation: absent blobs are listed, not failed */
	bool strict;                    /* unreferenced content fails the bundle */
	uint64_t max_bytes;             /* decompressed-bytes budget (--max-bytes); 0 = AL_MAX_READ_BYTES */
	int64_t max_trust_age;          /* --max-trust-age in seconds; 0: no bound */
	int64_t at;                     /* --at: the evaluation time; 0: the clock */
	bool keep_statements;           /* keep verified statements' bytes (--extract) */
	unsigned jobs;                  /* -j: threads hashing blobs; 0: one per CPU (al_oci_opts) */
	/* no output will show the archive file's own SHA-256 (res->inputs): it
	 * is not computed (AL_OCI_NO_ARCHIVE_DIGEST) */
	bool no_archive_digest;
	/* no output will show the blob inventory (res->blobs, the JSON report's
	 * "blobs"): it is not built. It is the largest part of the result after
	 * the images (~1.5 KiB an image: docs/performance.md §4.4). */
	bool no_inventory;
	/* a progress display while the bundle is read (al_oci_opts); NULL: none */
	void (*progress)(void *ctx, const struct al_oci_progress *p);
	void *progress_ctx;
	/* called with each image as soon as it is judged, in index.json
	 * order, with its whole tree (res: the bundle's facts so far) */
	void (*on_image)(void *ctx, const struct al_result *res, const struct al_image_result *img);
	void *on_image_ctx;
	/* NULL, or called (with on_image_ctx) with each artifact entry, in
	 * index.json order, before the first image, its strings valid during
	 * the call only. They are not kept: res->artifacts stays NULL and
	 * res->nartifacts counts them (~300 bytes a signature of a large
	 * index: docs/performance.md §4.8). */
	void (*on_artifact)(void *ctx, const struct al_result *res, const struct al_artifact_entry *a);
	/* after on_image, free the image, its signatures, checks and evidence:
	 * a bundle of many images is then judged in the memory of one, for the
	 * outputs that on_image has written (docs/performance.md §4.5, §4.8).
	 * res->images stays NULL; res->nimages and the counts are kept. */
	bool drop_images;
} al_img_opts;

/* Verifies every image of an exported bundle into res (filled as far as
 * verification got, even when it fails; free with al_result_free). Exit
 * class of the result: 0 all verified, 1 failed, 3 nothing to verify, 2/4
 * as above. */
al_rc al_verify_image_cmd(const al_img_opts *o, al_result *res, al_err *err) AL_MUST_USE;
/* A description of what is inside a bundle and what is missing (absent
 * blobs are listed, not failed). max_bytes is the decompressed-bytes budget
 * (--max-bytes); 0 = AL_MAX_READ_BYTES. */
al_rc al_inspect_cmd(const char *path, uint64_t max_bytes, al_buf *report, al_err *err) AL_MUST_USE;
/* The same facts as a result tree (for the JSON report): the bundle, its
 * inputs' digests, blob inventory, unreferenced entries, artifacts and
 * images, with no signature verified (no verdict). at: --at, 0 the clock. */
al_rc al_inspect_result(const char *path, uint64_t max_bytes, int64_t at, al_result *res, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- VSAs (vsa.c; docs/vsa.md) */

#define AL_VSA_PREDICATE_TYPE "https://slsa.dev/verification_summary/v1"
#define AL_VSA_VERIFIER_ID "urn:airlock:verifier"                /* --verifier-id default */
#define AL_VSA_POLICY_URI "urn:airlock:policy:command-line"      /* --policy-uri default */

struct al_privkey;
struct al_pubkey;

/* `airlock verify ... --vsa-out DIR --vsa-key KEY`. */
typedef struct al_vsa_opts {
	const char *out_dir;        /* an existing folder; the VSA files are its only writes */
	const char *key_path;       /* PKCS#8 PEM: Ed25519 or ECDSA P-256 */
	const char *verifier_id;    /* NULL: AL_VSA_VERIFIER_ID */
	const char *policy_uri;     /* NULL: AL_VSA_POLICY_URI */
} al_vsa_opts;

/* What al_vsa_begin loaded, before verification starts. */
typedef struct al_vsa_writer {
	struct al_privkey *key;
	int dfd;                    /* the folder, open */
	const char *dir, *verifier_id, *policy_uri;
} al_vsa_writer;

/* Reads the key and opens the folder (both before anything is verified).
 * Errors: AL_E_USAGE (no key, a key airlock cannot sign with),
 * AL_E_IO (the key or the folder cannot be read or opened), AL_E_NOMEM. */
al_rc al_vsa_begin(const al_vsa_opts *o, al_vsa_writer *w, al_err *err) AL_MUST_USE;
/* One VSA per image of r (PASSED or FAILED: docs/vsa.md §3), timeVerified
 * r->eval_time (--at, else the clock), each as
 * DIR/<hex>.vsa.dsse.json and DIR/<hex>.vsa.sigstore.json; nothing when the
 * bundle did not open. No file is written when any target name exists.
 * Appends one line per file to report. Errors: AL_E_IO, AL_E_NOMEM,
 * AL_E_INTERNAL. */
al_rc al_vsa_write(al_vsa_writer *w, const al_result *r, al_buf *report, al_err *err) AL_MUST_USE;
void al_vsa_end(al_vsa_writer *w);

/* The fields of one VSA statement (al_vsa_statement). */
typedef struct al_vsa_input {
	const char *const *subject_names; /* the image's names (tags), or its digest: one subject each */
	size_t nnames;
	const char *subject_digest; /* "sha256:<hex>" */
	const char *verifier_id, *time_verified, *resource_uri, *policy_uri;
	const char *policy_digest;  /* "sha256:<hex>" */
	const char *const *inputs;  /* "sha256:<hex>" of each verified signature/attestation */
	const char *const *input_types; /* its media type, per input */
	size_t ninputs;
	bool passed;
	const char *level;          /* "SLSA_BUILD_LEVEL_0"; unused when !passed */
} al_vsa_input;

/* The in-toto Statement v1 of a VSA: sorted keys, no whitespace. */
al_rc al_vsa_statement(const al_vsa_input *in, al_buf *out, al_err *err) AL_MUST_USE;
/* Signs payload as a DSSE envelope (PAE of payload_type and payload) and
 * writes it twice: the envelope JSON, and a Sigstore bundle v0.3 holding it
 * with a public-key hint (either may be NULL). Deterministic. */
al_rc al_vsa_sign(const struct al_privkey *k, al_bytes payload_type, al_bytes payload, al_buf *dsse,
		  al_buf *bundle, al_err *err) AL_MUST_USE;

/* A PKCS#8 PEM private key file (al_privkey_from_pem), the PEM wiped once
 * parsed; k is initialised by the caller. Errors: AL_E_IO (unreadable),
 * AL_E_USAGE (a key airlock cannot sign with; the message says why),
 * AL_E_LIMIT, AL_E_NOMEM. */
al_rc al_privkey_load(const char *path, struct al_privkey *k, al_err *err) AL_MUST_USE;
/* `airlock sign-blob` (docs/appliance.md §8): a Sigstore bundle v0.3 whose
 * message signature is the key's over the file (at most AL_MAX_SIGN_BLOB
 * bytes), with the key's public-key hint and no log entry (a site's own key
 * needs none). Deterministic. Errors: al_privkey_load's, AL_E_IO,
 * AL_E_LIMIT, AL_E_NOMEM, AL_E_INTERNAL. */
al_rc al_sign_blob_cmd(const char *key_path, const char *file_path, al_buf *bundle, al_err *err) AL_MUST_USE;

/* `airlock verify-vsa` (the semantics of slsa-verifier verify-vsa). */
typedef struct al_vsa_check_opts {
	const char *vsa_path;       /* a DSSE envelope or a Sigstore bundle holding one */
	const char *key_path;       /* PEM public key */
	const char *subject_digest; /* "sha256:<hex>" (or sha384/sha512) */
	const char *verifier_id;    /* NULL: not checked */
	const char *level;          /* NULL: not checked */
} al_vsa_check_opts;

/* Checks one VSA file's bytes under key, in order: signature over the PAE,
 * payloadType, _type, predicateType, subject, verifier.id,
 * verificationResult, verifiedLevels. The first that fails ends it; its
 * message names the field. summary (may be NULL) gets a line on success.
 * Errors: AL_E_CRYPTO_SIG, AL_E_VERIFY_FAILED (exit 1), AL_E_USAGE. */
al_rc al_vsa_check(al_bytes file, const struct al_pubkey *key, const al_vsa_check_opts *o, al_buf *summary,
		   al_err *err) AL_MUST_USE;
/* Reads the files the options name and runs al_vsa_check. Unreadable
 * files and bad arguments are exit 2 (AL_E_IO, AL_E_USAGE). */
al_rc al_vsa_verify_cmd(const al_vsa_check_opts *o, al_buf *summary, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- trust material */

/* One log, CA, CT log or TSA of the trust material (`airlock trust list`). */
typedef struct al_trust_entry {
	const char *kind;         /* "tlog", "ca", "ctlog", "tsa" */
	const char *name;         /* logs: base URL; CAs and TSAs: subject (and URI) */
	const char *id;           /* logs: "logID <hex>"; CAs and TSAs: "cert sha256:<hex>"
				   * of the chain's last (anchor) certificate */
	const char *valid_from;   /* RFC 3339, or "-" when open */
	const char *valid_until;  /* RFC 3339, or "-" when open */
	const char *detail;       /* for `trust show`: key type, operator, chain, checkpoint key */
	size_t root;              /* which root of the file (0-based) */
} al_trust_entry;

/* The trust material a run would use, described (`airlock trust`,
 * `airlock version`). Strings are owned by arena. */
typedef struct al_trust_info {
	al_arena arena;
	const char *source;       /* the --trusted-root path, or the embedded root's name */
	bool embedded;
	bool jsonl;
	size_t nroots;
	char sha256[65];          /* of the file, or of the embedded trusted_root.json */
	const char *const *root_sha256;  /* per root (hex) */
	const char *const *media_type;   /* per root */
	const char *const *newest;       /* per root: latest validFor start (RFC 3339), "-" if none */
	const al_trust_entry *entries;
	size_t nentries;
	al_bytes json;            /* the file's bytes, or the embedded trusted_root.json */
	al_buf file;              /* owns json when it was read from a file */
} al_trust_info;

/* Loads the trust material (path NULL: the embedded root) and describes it.
 * Errors: AL_E_IO (2), AL_E_TRUST_INVALID (4), AL_E_NOMEM. */
al_rc al_trust_info_cmd(const char *trusted_root_path, al_trust_info *out, al_err *err) AL_MUST_USE;
void al_trust_info_free(al_trust_info *t);

/* The embedded root's provenance (`airlock version`; docs/trust.md). */
typedef struct al_trust_provenance {
	const char *package, *version, *integrity, *tuf_repository;
	unsigned tuf_root_version;
	const char *tuf_root_expires, *source, *trusted_root_sha256, *tuf_root_sha256;
} al_trust_provenance;

void al_trust_provenance_get(al_trust_provenance *p);

/* ---------------------------------------------------------------- trust update (trust_update.c) */

typedef struct al_trust_update_opts {
	const char *tuf_repo;            /* the repository folder (removable media) */
	const char *tuf_root;            /* initial root when the state has none; NULL: embedded */
	const char *state;               /* the state folder; it must exist */
	const char *at;                  /* reference time for expiry, RFC 3339; NULL: the clock */
	const char *const *targets;      /* plain names; none: trusted_root.json */
	size_t ntargets;
} al_trust_update_opts;

typedef struct al_trust_update_target {
	char name[AL_MAX_TUF_ROLE_NAME + 1];
	uint8_t sha256[32];
	size_t size;
} al_trust_update_target;

typedef struct al_trust_update_result {
	char root_source[AL_MAX_PATH + 96]; /* where the trusted starting root came from */
	bool root_ignored;                  /* --tuf-root given, but the state has a root */
	int64_t root_was, root_now, timestamp, snapshot, targets;
	size_t nmeta;                       /* metadata files installed */
	size_t ntargets;
	al_trust_update_target target[AL_MAX_TUF_REQUESTS];
} al_trust_update_result;

/* Verifies the TUF repository o->tuf_repo from the trusted state and
 * installs the new metadata and the targets into o->state (targets under
 * targets/), or writes nothing. Errors: AL_E_USAGE, AL_E_IO (a folder or
 * file cannot be read or written), AL_E_TRUST_INVALID / AL_E_TRUST_STALE /
 * AL_E_LIMIT (the repository does not verify; the message names the file
 * and step), AL_E_NOMEM. */
al_rc al_trust_update_cmd(const al_trust_update_opts *o, al_trust_update_result *r, al_err *err) AL_MUST_USE;

#endif
