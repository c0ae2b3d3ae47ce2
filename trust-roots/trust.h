/*
 * trust.h — trust material: Sigstore trusted_root.json, PEM public keys,
 * the RFC 3339 time strings they carry, and the offline TUF client that
 * brings new trust material across the gap (last section).
 *
 * A trusted root names every transparency log, certificate authority,
 * CT log and timestamp authority airlock may rely on, each with the window
 * in which it may be relied on. This module parses it strictly into a
 * typed model; it verifies no signature (verify/ does, with crypto/ and
 * tlog/) except those of TUF metadata, in the TUF client. Lookups here
 * only find candidates: an entry found by its log ID is trusted for a time
 * t only if al_validity_contains(&e->valid_for, t).
 *
 * Parsing rules for trusted_root.json (protobuf JSON of
 * dev.sigstore.trustroot.v1.TrustedRoot), and why:
 *  - mediaType must be application/vnd.dev.sigstore.trustedroot+json;version=0.1
 *    or application/vnd.dev.sigstore.trustedroot.v0.{1,2}+json.
 *  - Unknown fields are rejected. protobuf JSON readers may ignore them, but
 *    a field airlock does not understand may restrict what the root trusts
 *    (a new validity constraint, say); ignoring it would widen trust. The
 *    cost, a root from a newer schema being refused until airlock learns
 *    the field, is the fail-closed side. Field names are the camelCase JSON
 *    names only.
 *  - Every tlog and ctlog needs baseUrl (with a host), hashAlgorithm
 *    SHA2_256, logId.keyId, publicKey.rawBytes, publicKey.keyDetails and
 *    publicKey.validFor with a start (sigstore-go ParseTransparencyLogs;
 *    conformance trust-root-tlog-missing-validity-start_fail). Log IDs are
 *    unique within tlogs and within ctlogs: two keys under one ID would make
 *    the lookup ambiguous.
 *  - Key formats follow keyDetails (crypto/'s al_key_details table lists
 *    them: PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384,
 *    PKIX_ECDSA_P521_SHA_512, PKIX_ECDSA_P384_SHA_256,
 *    PKIX_ECDSA_P521_SHA_256, PKIX_RSA_PKCS1V15_{2048,3072,4096}_SHA256,
 *    PKIX_RSA_PSS_{2048,3072,4096}_SHA256, PKIX_RSA_PKCS1V5, PKIX_RSA_PSS,
 *    PKCS1_RSA_PKCS1V5, PKCS1_RSA_PSS, PKIX_ED25519, the entries with an
 *    encoding). A key that does not parse, or does not match its keyDetails
 *    (curve, RSA size), makes the whole root invalid; so does a keyDetails
 *    value airlock cannot verify with (Ed25519ph, LMS, ML-DSA, the HMAC
 *    ECDSA variant, UNSPECIFIED). sigstore-python skips such entries;
 *    airlock fails closed instead, because no real Sigstore root carries
 *    them and a root airlock cannot fully read is not one it should trust.
 *  - CAs and TSAs need certChain.certificates with 1..AL_MAX_CHAIN_CERTS
 *    DER certificates (each checked to be one DER SEQUENCE, not parsed as
 *    X.509 here); validFor, start and end are optional.
 *  - Times are protobuf Timestamp strings (RFC 3339), parsed by
 *    al_rfc3339_parse. A window whose end precedes its start is invalid.
 *  - Each list holds at most AL_MAX_TRUST_ENTRIES entries.
 * All content errors are AL_E_TRUST_INVALID (exit 4) and name the JSON path
 * ("tlogs[1].publicKey.validFor.start: missing"); a file that cannot be read
 * is AL_E_IO (exit 2).
 *
 * SECURITY CONSIDERATIONS
 *  - validFor windows are closed intervals. A bound that is absent is open
 *    (no start for a CA means "always"; tlogs and ctlogs always have one).
 *  - Comparisons are exact to the nanosecond: a whole-second time t is
 *    inside [start, end] only if start <= t.000000000 <= end.
 *  - The root's SHA-256 (al_trust_root.sha256) is over the exact bytes
 *    parsed; reports name trust material by it.
 */
#ifndef AL_TRUST_H
#define AL_TRUST_H

#include "common/common.h"
#include "crypto/crypto.h"

/* ================================================================ time */

/*
 * Parses an RFC 3339 date-time as protobuf's Timestamp JSON writes it:
 * "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)", 'T' and 'Z' uppercase,
 * years 0001..9999, no leap second (":60"), calendar-checked days. The
 * result is UTC seconds since 1970-01-01 and the nanoseconds within that
 * second. Independent of locale and TZ. Errors: AL_E_DECODE.
 */
al_rc al_rfc3339_parse(al_bytes s, int64_t *sec, uint32_t *nsec, al_err *err) AL_MUST_USE;
/* Formats UTC seconds as "YYYY-MM-DDTHH:MM:SSZ" (out >= 21 bytes). */
void al_rfc3339_format(int64_t sec, char out[21]);

/* A closed time window; an absent bound is open. */
typedef struct al_validity {
	bool has_start;
	bool has_end;
	int64_t start;          /* UTC seconds */
	int64_t end;
	uint32_t start_ns;      /* nanoseconds within those seconds */
	uint32_t end_ns;
} al_validity;

/* Whether the instant t (whole UTC seconds) lies in v. */
bool al_validity_contains(const al_validity *v, int64_t t);
/* Same for an instant with a fraction of a second (nsec < 10^9). */
bool al_validity_contains_ns(const al_validity *v, int64_t sec, uint32_t nsec);

/* ================================================================ trusted root */

/* A transparency log (Rekor) or a certificate transparency log. */
typedef struct al_trust_log {
	al_buf base_url;          /* as written; NUL-terminated */
	al_buf host;              /* hostname of base_url: no scheme, userinfo, port or
				   * path; the Rekor v2 checkpoint origin and note key name */
	al_buf operator_name;     /* "operator"; may be empty */
	al_buf log_id;            /* logId.keyId (1..AL_HASH_MAX bytes) */
	al_buf checkpoint_key_id; /* checkpointKeyId.keyId; may be empty */
	al_hash tree_hash;        /* hashAlgorithm; always AL_HASH_SHA256 */
	const char *key_details;  /* keyDetails name, static string */
	al_pubkey key;            /* parsed per keyDetails, scheme set */
	al_validity valid_for;    /* publicKey.validFor; has_start is always true */
} al_trust_log;

/* A certificate authority (Fulcio) or a timestamp authority. */
typedef struct al_trust_ca {
	al_buf uri;               /* may be empty; NUL-terminated like all strings here */
	al_buf organization;      /* subject.organization */
	al_buf common_name;       /* subject.commonName */
	al_buf operator_name;
	size_t ncerts;            /* 1..AL_MAX_CHAIN_CERTS */
	al_buf certs[AL_MAX_CHAIN_CERTS]; /* DER, file order: the last is the trust
					   * anchor, the ones before it intermediates (for
					   * a TSA the first may be the TSA's leaf) */
	al_validity valid_for;    /* optional bounds */
} al_trust_ca;

typedef struct al_trust_root {
	uint8_t sha256[32];       /* of the bytes parsed */
	char media_type[80];
	size_t ntlogs, nctlogs, ncas, ntsas;
	al_trust_log *tlogs;
	al_trust_log *ctlogs;
	al_trust_ca *cas;
	al_trust_ca *tsas;
} al_trust_root;

/*
 * Parses trusted_root.json held in memory. On success *r owns everything it
 * points to (nothing points into json); free with al_trust_root_free. On
 * failure *r is left empty (safe to free). Errors: AL_E_TRUST_INVALID.
 */
al_rc al_trust_root_parse(al_bytes json, al_trust_root *r, al_err *err) AL_MUST_USE;
/* Reads and parses a file; messages start with the path. Errors: AL_E_IO
 * (cannot read), AL_E_TRUST_INVALID. */
al_rc al_trust_root_load(const char *path, al_trust_root *r, al_err *err) AL_MUST_USE;
/* Frees what r owns and zeroes it. NULL and a zeroed root are fine. */
void al_trust_root_free(al_trust_root *r);

/* The tlog / ctlog whose logId.keyId equals id, or NULL. The result lives
 * as long as r. Validity at a time is the caller's check. */
const al_trust_log *al_trust_tlog_by_id(const al_trust_root *r, al_bytes id);
const al_trust_log *al_trust_ctlog_by_id(const al_trust_root *r, al_bytes id);

/*
 * Iterates the CAs (or TSAs) whose validFor contains t, in file order:
 *     size_t pos = 0;
 *     for (const al_trust_ca *ca; (ca = al_trust_ca_at(r, t, &pos)) != NULL;)
 * *pos is the iteration state; start it at 0.
 */
const al_trust_ca *al_trust_ca_at(const al_trust_root *r, int64_t t, size_t *pos);
const al_trust_ca *al_trust_tsa_at(const al_trust_root *r, int64_t t, size_t *pos);


/* ================================================================ embedded trust roots */

/*
 * The Sigstore public-good trust roots built into airlock: the TUF root.json
 * and trusted_root.json of the pinned npm package's seeds.json, byte for byte,
 * with their provenance (docs/trust.md). Generated at build time by
 * trust-roots/embed_gen.py from what scripts/setup fetched and checked.
 */
typedef struct al_trust_embedded {
	const char *package;             /* "@sigstore/tuf" */
	const char *version;             /* its pinned version */
	const char *integrity;           /* npm's "sha512-<base64>" of the package tarball */
	const char *tuf_repository;      /* the TUF repository the seeds are for */
	unsigned tuf_root_version;       /* root.json signed.version */
	const char *tuf_root_expires;    /* root.json signed.expires, RFC 3339 */
	const char *source;              /* "embedded (@sigstore/tuf V, TUF root vN)" */
	al_bytes trusted_root;           /* trusted_root.json */
	const char *trusted_root_sha256; /* its SHA-256 (hex), recorded by the generator */
	al_bytes tuf_root;               /* root.json */
	const char *tuf_root_sha256;
} al_trust_embedded;

const al_trust_embedded *al_trust_embedded_get(void);

/* ================================================================ the trust material of a run */

/*
 * Which trust material a run uses, in order (docs/trust.md): the file named
 * by --trusted-root; else the TUF-verified trusted root in the state folder
 * (comes with the TUF update work); else the embedded one.
 *
 * A --trusted-root file holds one trusted_root.json, or JSON Lines of
 * several (as `gh attestation trusted-root` writes them: one root per line,
 * public-good first). The file is JSON Lines when it is not one JSON
 * document and its first non-blank line is; blank lines are ignored; at
 * most AL_MAX_TRUSTED_ROOTS roots. Errors name the line ("line 3: tlogs[0]
 * ..."). How a signature is judged against several roots: verify/.
 */
typedef struct al_trust_set {
	al_trust_root *roots;     /* file order; n >= 1 once loaded */
	size_t n;
	bool embedded;            /* the embedded root (no --trusted-root) */
	bool jsonl;               /* the file was JSON Lines */
	const char *source;       /* the path as given (the caller's string), or
				   * al_trust_embedded_get()->source */
	uint8_t sha256[32];       /* of the whole file, or of the embedded
				   * trusted_root.json (then equal to roots[0].sha256) */
	al_bytes bytes;           /* what was parsed: the file (owned, in file) or
				   * the embedded trusted_root.json */
	al_buf file;
	bool from_state;          /* the state folder's TUF-installed root */
	int64_t updated;          /* from_state: when it was installed (file time) */
	char source_buf[AL_MAX_PATH + 160]; /* source, when it is made here */
} al_trust_set;

/* One root or JSON Lines of roots held in memory; s->source is left NULL.
 * Errors: AL_E_TRUST_INVALID, AL_E_NOMEM. */
al_rc al_trust_set_parse(al_bytes data, al_trust_set *s, al_err *err) AL_MUST_USE;
/* path != NULL: reads and parses that file (messages start with the path;
 * AL_E_IO when it cannot be read); path == NULL: the state folder's
 * TUF-installed root when there is one (al_trust_set_load_state on
 * al_trust_state_dir()), else the embedded root. */
al_rc al_trust_set_load(const char *path, al_trust_set *s, al_err *err) AL_MUST_USE;
/* Frees what s owns and zeroes it. NULL and a zeroed set are fine. */
void al_trust_set_free(al_trust_set *s);
/* How recent the material of s is (docs/trust.md §4), UTC seconds: when the
 * state folder's root was installed, else the latest validFor start of any
 * entry of any of its roots. *basis says which. */
int64_t al_trust_set_as_of(const al_trust_set *s, const char **basis);
/* The appliance's state folder: $AIRLOCK_STATE, else /var/lib/airlock. */
const char *al_trust_state_dir(void);
/* The trusted root `airlock trust update` installed in dir
 * (targets/trusted_root.json), held against dir/targets.json's length and
 * hashes. *found is false, and AL_OK returned, when none is installed.
 * Errors: AL_E_TRUST_INVALID (mismatch, unparsable), AL_E_IO, AL_E_NOMEM. */
al_rc al_trust_set_load_state(const char *dir, al_trust_set *s, bool *found, al_err *err) AL_MUST_USE;
/* The latest validFor start of any log, CA, CT log or TSA of r (UTC
 * seconds; 0 when none has one): how recent the material is. */
int64_t al_trust_root_newest(const al_trust_root *r);

/* ================================================================ PEM keys */

/*
 * Loads a PEM public key file (--key): "PUBLIC KEY" (SPKI) or
 * "RSA PUBLIC KEY" (PKCS#1). *k must be initialised (al_pubkey_init); the
 * caller frees it with al_pubkey_free. Messages name the file. Errors:
 * AL_E_IO (cannot read), AL_E_TRUST_INVALID (not a usable key).
 */
al_rc al_trust_load_pem_key(const char *path, al_pubkey *k, al_err *err) AL_MUST_USE;

/* ================================================================ TUF (tuf_meta.c, tuf_client.c, tuf_install.c) */

/*
 * An offline TUF 1.0 client (docs/verification.md §6, "TUF updates"): the
 * update workflow of the TUF specification §5.3-§5.7 as pure functions over
 * bytes. Files come from a repository folder through a reader callback (no
 * network code exists); the trusted state comes in as bytes and the new one
 * goes out as bytes, installed by al_tuf_install.
 *
 * Supported keys: keytype "ecdsa-sha2-nistp256"/"ecdsa-sha2-nistp384" or
 * "ecdsa" with the matching scheme (public key PEM SPKI, or the hex of the
 * uncompressed point as early Sigstore roots wrote it), "ed25519" (hex),
 * "rsa" with scheme "rsassa-pss-sha256" (PEM). A key of another type or
 * scheme is kept but never verifies, so it counts toward no threshold. A
 * threshold counts distinct key values: one key listed under two keyids, or
 * signing twice, counts once. Signatures are over the canonical JSON of
 * "signed" (al_tuf_canonical). Unknown fields are tolerated (and signed).
 *
 * Errors: AL_E_TRUST_INVALID (malformed, unsigned, mismatched),
 * AL_E_TRUST_STALE (expired, rolled back), AL_E_LIMIT (a bound of limits.h),
 * AL_E_IO (the reader or the state folder failed). Messages start with the
 * file ("2.root.json: ...", "targets/a.txt: ...").
 */

/* Reads the repository file name ("timestamp.json", "3.root.json",
 * "targets/<hex>.trusted_root.json": '/'-separated, never "..", absolute or
 * empty components) into out (overwritten). At most max bytes: a longer file
 * is AL_E_LIMIT. A file that does not exist is AL_OK with *found false. */
typedef struct al_tuf_reader {
	al_rc (*read)(void *ctx, const char *name, size_t max, al_buf *out, bool *found,
		      al_err *err);
	void *ctx;
} al_tuf_reader;

/* A reader of a folder: ctx is its path (const char *). Every component is
 * opened with O_NOFOLLOW, so no symbolic link leads out; the file must be a
 * regular file. */
al_rc al_tuf_dir_read(void *ctx, const char *name, size_t max, al_buf *out, bool *found,
		      al_err *err) AL_MUST_USE;

/* The trusted metadata. root is required (the embedded or installed
 * root.json); the others may be empty ({NULL, 0}): they only set the floors
 * that rollback is judged against, and one that does not verify under the
 * final root is ignored (TUF §5.3.11). */
typedef struct al_tuf_state {
	al_bytes root, timestamp, snapshot, targets;
} al_tuf_state;

/* One file: a metadata file to install ("root.json", "timestamp.json",
 * "snapshot.json", "targets.json", "<role>.json") or a verified target
 * (its target path). name is NUL-terminated. */
typedef struct al_tuf_file {
	al_buf name;
	al_buf bytes;
} al_tuf_file;

typedef struct al_tuf_result {
	int64_t root_version;     /* of the final trusted root */
	int64_t root_version_was; /* of the trusted root passed in */
	int64_t timestamp_version, snapshot_version, targets_version;
	size_t nfiles;            /* metadata, in the order al_tuf_install renames them */
	al_tuf_file *files;
	size_t ntargets;          /* the asked-for targets, in the order asked */
	al_tuf_file *targets;
} al_tuf_result;

/*
 * Runs one update at reference time now (UTC seconds: --at or the clock):
 * root rotation, timestamp, snapshot, targets (top-level, then delegations
 * as needed) and each of the ntargets target paths asked for, which must all
 * be found and verified. On success *out holds the new trusted metadata and
 * the targets' bytes; on failure it is empty. Free with al_tuf_result_free.
 */
al_rc al_tuf_update(const al_tuf_reader *repo, const al_tuf_state *trusted, int64_t now,
		    const char *const *targets, size_t ntargets, al_tuf_result *out,
		    al_err *err) AL_MUST_USE;
void al_tuf_result_free(al_tuf_result *r);

/*
 * Installs files (plain names, no '/') into the folder dir atomically per
 * file: every file is written to a temporary in dir and fsynced first (any
 * failure removes them all and leaves dir as it was), then each is renamed
 * over its name in the order given, the folder fsynced after each rename.
 * Pass al_tuf_result.files in its order (root first): a crash part-way
 * leaves older floors, never a state the next update cannot judge.
 */
al_rc al_tuf_install(const char *dir, const al_tuf_file *files, size_t n, al_err *err) AL_MUST_USE;

/* What one metadata file says, parsed strictly by its "_type" (no
 * signature is checked): for `airlock trust` and the fuzz harness. */
typedef struct al_tuf_info {
	char type[16];            /* "root", "timestamp", "snapshot", "targets" */
	int64_t version;
	int64_t expires;          /* UTC seconds */
	size_t nsignatures;
} al_tuf_info;
al_rc al_tuf_inspect(al_bytes json, al_tuf_info *info, al_err *err) AL_MUST_USE;

/* Appends the canonical JSON of j as securesystemslib writes it for
 * signing (OLPC canonical JSON: keys sorted by bytes, no whitespace, only
 * '"' and '\\' escaped, integers only). Errors: AL_E_TRUST_INVALID (a
 * non-integer number), AL_E_NOMEM. */
al_rc al_tuf_canonical(const al_json *j, al_buf *out, al_err *err) AL_MUST_USE;

#endif
