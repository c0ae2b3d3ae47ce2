/*
 * internal.h — declarations shared by the verify module files only. Not part of the
 * module's public interface (verify/verify.h).
 */
#ifndef AL_VERIFY_INTERNAL_H
#define AL_VERIFY_INTERNAL_H

#include "bundle/bundle.h"
#include "crypto/crypto.h"
#include "sigstore/sigstore.h"
#include "policy/policy.h"
#include "tlog/tlog.h"
#include "trust-roots/trust.h"
#include "verify/verify.h"

/* ---------------------------------------------------------------- recorder */

/* Where checks are recorded as they run (result.c). Allocation failure sets
 * oom, and a result with oom set is not a verdict (the caller fails). */
typedef struct al_rec {
	al_arena *arena;
	al_check *v;
	size_t n, cap;
	bool oom;
	bool unlisted;   /* the failure is that the trust root lacks the log the
			  * signature names (al_under_roots tries the next root) */
} al_rec;

/* One check; evidence follows as key, value pairs (values copied, empty
 * ones left out), ended by NULL. */
void al_rec_check(al_rec *r, const char *name, al_status st, const char *subject, const char *reason, ...);
/* PASS for AL_OK; otherwise SKIP when rc says another signer (al_rc_is_policy),
 * else FAIL, with err's message as the reason. Returns rc. */
al_rc al_rec_rc(al_rec *r, const char *name, const char *subject, al_rc rc, const al_err *err);
const char *al_rec_str(al_rec *r, const char *s);
const char *al_rec_printf(al_rec *r, const char *fmt, ...) AL_PRINTF(2, 3);
/* Whether rc means "signed by someone the policy does not accept" rather
 * than "does not verify": another key, another identity. */
bool al_rc_is_policy(al_rc rc);
/* Appends a zeroed element of size bytes to the arena vector *v. */
void *al_vec_push(al_arena *a, void **v, size_t *n, size_t *cap, size_t size, bool *oom);

/* ---------------------------------------------------------------- artifact */

/* What the signature is checked against: a file (hashed on demand, with
 * whatever algorithm the bundle names) or a digest given on the command line. */
typedef struct al_artifact {
	const char *path;              /* NULL for digest input */
	al_hash given_alg;             /* digest input only */
	bool have[4];                  /* indexed by al_hash */
	uint8_t d[4][AL_HASH_MAX];
} al_artifact;

/* "sha256:<64 hex>" (also sha384/sha512) is a digest; anything else a path to
 * a regular file. Errors: AL_E_USAGE, AL_E_IO. */
al_rc al_artifact_init(al_artifact *a, const char *arg, al_err *err) AL_MUST_USE;
/* The artifact's digest with alg. For digest input, only the given
 * algorithm is available (AL_E_VERIFY_FAILED otherwise). */
al_rc al_artifact_digest(al_artifact *a, al_hash alg, const uint8_t **out, al_err *err) AL_MUST_USE;
/* The whole file, for pure Ed25519 (which signs the message, not a digest). */
al_rc al_artifact_bytes(const al_artifact *a, al_buf *out, al_err *err) AL_MUST_USE;
/* "sha256:<hex>" of the artifact for messages. */
void al_artifact_describe(const al_artifact *a, char *out, size_t cap);

/* ---------------------------------------------------------------- identity */

typedef struct al_identity_policy {
	const char *san;
	const char *san_regexp;
	const char *issuer;
	const char *issuer_regexp;
	const al_pol_ext *ext;    /* Fulcio extensions that must match */
	size_t next;
	bool ignore_sct;          /* the rule relaxes SCTs (AL_RELAX_SCT) */
} al_identity_policy;

/* Checks a policy is complete: one of san/san_regexp and one of
 * issuer/issuer_regexp, regexes compile. AL_E_USAGE otherwise. */
al_rc al_identity_policy_check(const al_identity_policy *p, al_err *err) AL_MUST_USE;
/* Matches a certificate's SAN and issuer (exact, or anchored regex); a part
 * the policy leaves unnamed (only with --ca-roots) is not judged.
 * AL_E_VERIFY_IDENTITY with both expected and found values on mismatch. */
al_rc al_identity_match(const al_identity_policy *p, al_bytes san, al_bytes issuer, al_err *err) AL_MUST_USE;

/* Every extension constraint of p against the certificate: exact or
 * anchored regexp, an absent extension never matches.
 * AL_E_VERIFY_IDENTITY naming the extension, expected and found. */
al_rc al_extensions_match(const al_identity_policy *p, const mbedtls_x509_crt *crt, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- verified times */

typedef enum al_time_source {
	AL_TIME_SET = 1,          /* integratedTime under a verified SET */
	AL_TIME_TSA,              /* genTime of a verified RFC 3161 timestamp */
} al_time_source;

typedef struct al_vtime {
	int64_t t;
	al_time_source src;
	char what[160];           /* "Rekor SET, log rekor.sigstore.dev" */
	char uri[128];            /* the log's or TSA's name in the trusted root */
} al_vtime;

/* The verified times of one signature, each (time, source) once, at most
 * AL_MAX_VTIMES. A zeroed al_vtimes is empty; the entries are on the heap
 * (11 KB when full: too much for the stack frames that hold one), so free
 * it with al_vtimes_free. */
typedef struct al_vtimes {
	size_t n;
	al_vtime *v;
} al_vtimes;

void al_vtimes_free(al_vtimes *times);

/* ---------------------------------------------------------------- signer */

/* Who signed: a trusted key (key mode) or a leaf certificate whose key,
 * chain and identity are checked (certificate mode). */
typedef struct al_signer {
	const al_pubkey *key;     /* the key signatures are verified with */
	al_pubkey cert_key;       /* certificate mode: the leaf's key (owned) */
	al_certs leaf;            /* certificate mode: the leaf alone */
	bool is_cert;
	al_bytes cert_der;        /* certificate mode: the leaf DER */
	al_x509_identity id;      /* certificate mode */
} al_signer;

/* Parses a leaf certificate into s (certificate mode). */
al_rc al_signer_from_cert(al_signer *s, al_bytes der, al_err *err) AL_MUST_USE;
void al_signer_free(al_signer *s);

/*
 * The checks every Sigstore-style signature shares (bundles and cosign
 * image signatures alike), after the signature itself verified:
 *   - al_check_timestamps: RFC 3161 tokens over sig, each from a TSA of
 *     the trust root, genTime in the TSA's validFor; adds their times.
 *   - al_check_certificate: certificate mode only: the leaf chains to a
 *     trusted CA valid at every verified time, with codeSigning, has a
 *     verified SCT, and its identity matches the policy.
 */
al_rc al_check_timestamps(const al_trust_root *root, const al_buf *ts, size_t nts, al_bytes sig,
			  al_vtimes *times, al_rec *rec, al_err *err) AL_MUST_USE;
al_rc al_check_certificate(const al_trust_root *root, const al_signer *s, const al_vtimes *times,
			   const al_identity_policy *idp, al_rec *rec, al_err *err) AL_MUST_USE;
/* Verifies a SET over a Rekor v1 entry body with the log from the trust
 * root (found by log_id; AL_E_TLOG_SET when unknown), then that the log's
 * key is valid at integrated_time, now a signed time. On success records it
 * as a verified time; integrated_time is never used before the SET verifies. */
al_rc al_check_set(const al_trust_root *root, al_bytes body, int64_t integrated_time, al_bytes log_id,
		   int64_t log_index, al_bytes set, al_vtimes *times, al_err *err) AL_MUST_USE;
/* A signer's description for reports: identity and issuer, or the key's
 * kind and fingerprint. */
void al_signer_describe(const al_signer *s, char *out, size_t cap);
/* The trust material's age (docs/trust.md §4) into age ("as of <date> (N
 * days old; <basis>)"); AL_E_TRUST_STALE when it is older than max_age
 * seconds (max_age 0: no bound). */
al_rc al_trust_fresh(const al_trust_set *t, int64_t now, int64_t max_age, char *age, size_t cap,
		     al_err *err) AL_MUST_USE;
/* The evaluation time: --at when given (non-zero), else the wall clock. */
int64_t al_eval_time(int64_t at);
/* A simple-signing payload (cosign.c) must be a container image signature
 * (critical.type) naming subject (critical.image.docker-manifest-digest);
 * its docker-reference, if any, goes to ref. AL_E_CRYPTO_DIGEST for another
 * image, AL_E_VERIFY_FAILED for another type, AL_E_JSON when malformed. */
al_rc al_simplesig_check_payload(al_bytes payload, const al_oci_digest *subject, char *ref, size_t cap,
				 al_err *err) AL_MUST_USE;
/* What a Rekor entry must log for a signature sig by s (its certificate, or
 * the key's SPKI); the rest of *x is zeroed for the caller to fill. */
void al_rekor_expect_signer(al_rekor_expect *x, const al_signer *s, al_bytes sig);

/* ---------------------------------------------------------------- several trusted roots */

/* One verification under one trusted root, recording its checks in rec. */
typedef al_rc (*al_root_fn)(const al_trust_root *root, void *arg, al_rec *rec, al_err *err);

/*
 * Runs fn under each root of set, in file order, until one verifies (a
 * --trusted-root file of JSON Lines holds several; docs/trust.md). A root
 * hands the signature on to the next only when it lacks the material to
 * judge it: the failing check is certificate.chain (none of its CAs issued
 * the certificate at the signed time), tlog.trusted (none of the entries is
 * from one of its logs) or a SET from a log it does not list (rec.unlisted).
 * Any other failure — the signature, an entry of one of its own logs, a
 * timestamp, the identity — is the verdict, from the root that judged it, so
 * another root can never mask it. When every root lacks the material, the
 * first root's failure is reported. *rec receives the checks of the root
 * that decided, *which its index. With one root, fn runs once.
 */
al_rc al_under_roots(const al_trust_set *set, al_root_fn fn, void *arg, al_rec *rec, size_t *which,
		     al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- Sigstore bundles */

/* What a bundle's verification established, for the one-line result. */
typedef struct al_outcome {
	size_t entries;           /* verified tlog entries */
	size_t skipped;           /* entries from logs the trust root does not know */
	char tlog[512];
	char subject[256];
} al_outcome;

/* Verifies a parsed Sigstore bundle against an artifact: key mode when
 * nkeys > 0 (idp ignored), else certificate mode with idp. s, times and o
 * receive what was established (free s with al_signer_free). */
al_rc al_verify_sigstore(const al_trust_root *root, const al_sigstore_bundle *b, const al_pubkey *keys,
			 size_t nkeys, const al_identity_policy *idp, al_artifact *a, al_signer *s,
			 al_vtimes *times, al_outcome *o, al_rec *rec, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- image verification */

#define MT_SIMPLESIG "application/vnd.dev.cosign.simplesigning.v1+json"
#define MT_DSSE "application/vnd.dsse.envelope.v1+json"

/* One authority of a policy rule, loaded: its keys read, its identity
 * policy and private CAs ready (image.c loads every rule's at the start, so
 * an unreadable key is a usage error before anything is verified). */
typedef struct al_auth {
	const al_pol_authority *pa;
	al_pubkey keys[AL_MAX_POLICY_KEYS];
	size_t nkeys;
	al_identity_policy idp;
	bool have_idp;
	al_certs pki_roots;      /* PKI: the roots */
	al_certs pki_inter;      /* PKI: intermediates */
	bool pki;
	const char *ca_label;    /* PKI: where the roots came from (the report) */
	al_trust_set own;        /* a rule with its own Rekor keys or an authority with
				  * its own Fulcio CAs: a trust set made from them */
	bool has_own;
} al_auth;

/* Everything the policy needs, loaded once. */
typedef struct al_ictx {
	const al_img_opts *o;
	al_trust_set trust;      /* --trusted-root, else the embedded root */
	char trust_age[160];        /* al_trust_fresh: how old it is */
	const al_trust_root *root; /* the root of trust the item is judged under */
	al_policy *policy;       /* --policy, else the command line's */
	al_auth **auths;         /* per rule of policy: its authorities, loaded */
	const al_pol_rule *rule; /* the rule being evaluated */
	size_t rule_idx;
	const char *bundle_abs;  /* the bundle's absolute path (containers path scopes) */
	const al_ref *names;     /* the names the image is judged under (none: unnamed) */
	size_t nnames;
	const al_auth *au;       /* the authority an item is being tried under */
	bool keep;               /* keep verified statements (SLSA constraints, --extract) */
	al_result *res;          /* the tree being built */
	al_input_digest *inputs; /* res->inputs, writable */
	al_rec *rec;             /* the checks of the item being verified */
	al_rec tree;             /* the result's strings (tree.oom: it lost one, not a verdict) */
	bool image_arena;        /* res->arena is the judged image's own (drop_images) */
	/* a manifest the blob inventory could not read again: the run fails */
	bool inventory_failed;
	char inventory_err[AL_ERR_MSG_MAX];
	size_t found, verified, failed, not_accepted;
	const al_sigstore_result *last_sigstore; /* set by a referrer bundle that verified */
	/* what the item that just verified established (cosign.c) */
	int64_t item_first_time; /* its earliest verified signed time */
	bool item_has_time;
	char item_signed_ref[256]; /* a simple-signing payload's docker-reference */
	char item_set_log[128];  /* the log host of the SET that just verified */
} al_ictx;

/* One cosign simple-signing layer (or containers/image signature-N file),
 * one cosign DSSE attestation layer, one referrer Sigstore bundle, all of
 * subject (cosign.c). what says what verified, for the report; the checks go
 * to c->rec. */
al_rc al_verify_simplesig(al_ictx *c, const al_oci_digest *subject, al_bytes payload, const al_oci_kv *ann,
			  size_t nann, char *what, size_t cap, al_err *err) AL_MUST_USE;
al_rc al_verify_attestation(al_ictx *c, const al_oci_digest *subject, al_bytes blob, const al_oci_kv *ann,
			    size_t nann, char *what, size_t cap, al_err *err) AL_MUST_USE;
al_rc al_verify_referrer_bundle(al_ictx *c, const al_oci_digest *subject, al_bytes blob, char *what, size_t cap,
				al_err *err) AL_MUST_USE;
/* What a verified bundle established (al_sigstore_result), in rec's arena;
 * NULL (and rec->oom) when memory ran out. */
const al_sigstore_result *al_sigstore_result_make(const al_sigstore_bundle *b, const al_signer *s,
						  const al_vtimes *times, const al_identity_policy *idp,
						  al_rec *rec);
/* ---------------------------------------------------------------- the policy (evaluate.c) */

/* Loads the policy (--policy, else the flags'), the trust material, and
 * every rule's authorities (keys, CAs, own trusted roots). */
al_rc al_eval_load(al_ictx *c, al_err *err) AL_MUST_USE;
void al_eval_free(al_ictx *c);
/* The trusted roots an item is judged under: the authority's own (a rule's
 * Rekor keys, an authority's Fulcio CAs), else the run's. */
const al_trust_set *al_eval_trust(const al_ictx *c);
/* After an item verified under c->au: the rule's evidence (log entries,
 * signed timestamps, maximum age, signed identity), recorded in rec. */
al_rc al_eval_evidence(al_ictx *c, al_item_kind kind, al_rec *rec, al_err *err) AL_MUST_USE;
/* Whether the subject's items meet c->rule; fills s->outcomes. */
bool al_eval_subject(al_ictx *c, al_subject *s);
/* Records one input's SHA-256 for the report (image.c). */
void al_eval_add_input(al_ictx *c, const char *role, const char *path, const char *of, const uint8_t sha256[32]);

/* SLSA provenance v0.2 or v1 (statement: the in-toto statement's JSON)
 * against att's constraints, as slsa-verifier reads them (slsa.c).
 * AL_E_VERIFY_POLICY naming the field, what it is and what was required. */
al_rc al_slsa_check(const al_pol_att *att, al_bytes statement, al_err *err) AL_MUST_USE;

/* The command-line policy of c in canonical form (vsa.c; docs/vsa.md §4),
 * allocated in the result's arena. */
al_rc al_vsa_policy_json(const al_ictx *c, const char **out, al_err *err) AL_MUST_USE;

#endif
