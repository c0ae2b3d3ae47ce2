/*
 * policy.h — what an operator requires of each image, as one model that
 * every way of saying it becomes: airlock's own policy file, the
 * containers-policy.json(5) of podman, skopeo and CRI-O, Sigstore
 * policy-controller ClusterImagePolicy documents, and the command line's
 * flags (cosign, slsa-verifier and gh names). docs/policy.md is the schema
 * and the semantics.
 *
 * Parsing and naming only: no key is loaded and no signature is seen here;
 * verify/ loads the keys the model names and evaluates it.
 *
 * SECURITY CONSIDERATIONS
 *  - Unknown keys are refused with their JSON path, never ignored: a typo
 *    in a requirement must not silently drop it.
 *  - Defaults are strict (a transparency-log entry, an SCT for Fulcio
 *    certificates); anything weaker exists only as a named relaxation, and
 *    relaxations are listed in every report.
 *  - A requirement airlock cannot check (GPG signedBy, CUE or Rego
 *    policies) is refused when the policy loads, never passed.
 */
#ifndef AL_POLICY_H
#define AL_POLICY_H

#include "common/common.h"

/* A string constraint: exact, or an anchored POSIX ERE; both NULL: any. */
typedef struct al_pol_str {
	const char *exact;
	const char *regexp;
} al_pol_str;

/* PEM material: a file (resolved against the policy file's folder) or
 * inline text; exactly one is set. */
typedef struct al_pol_pem {
	const char *path;
	const char *data;
} al_pol_pem;

/* A Fulcio certificate extension (OID 1.3.6.1.4.1.57264.1.<arc>) and the
 * value it must have. */
typedef struct al_pol_ext {
	const char *name;       /* sigstore-go's name: "githubWorkflowRepository" */
	unsigned arc;
	al_pol_str value;
} al_pol_ext;

typedef enum al_pol_auth_kind {
	AL_PAUTH_KEY = 1,       /* a signature verifies under one of keys */
	AL_PAUTH_KEYLESS,       /* a Fulcio certificate: identity, issuer, extensions */
	AL_PAUTH_PKI,           /* a certificate from a private CA (ca_roots) */
} al_pol_auth_kind;

/* One signer a rule accepts. */
typedef struct al_pol_authority {
	const char *name;               /* as the policy names it, else "authorities[N]" */
	al_pol_auth_kind kind;
	const al_pol_pem *keys;         /* KEY: any one of them */
	size_t nkeys;
	al_pol_str identity;            /* KEYLESS: the SAN (required); PKI: optional */
	al_pol_str issuer;              /* KEYLESS: the OIDC issuer (required); PKI: optional */
	const al_pol_ext *ext;          /* KEYLESS: extensions that must match */
	size_t next;
	al_pol_pem ca_roots;            /* PKI: the roots (required); KEYLESS: the Fulcio
					 * CAs instead of the trusted root's (optional) */
	al_pol_pem ca_intermediates;    /* PKI: optional */
	const char *subject_email;      /* PKI: exact SAN values (optional) */
	const char *subject_hostname;
	const char *subject_uri;
} al_pol_authority;

/* SLSA provenance (v0.2 and v1) constraints, as slsa-verifier names them. */
typedef struct al_pol_slsa {
	al_pol_str builder_id;          /* exact: "id" or "id@ref" (ref-less matches any ref) */
	const char *source_uri;         /* "github.com/org/repo" (scheme and git+ optional) */
	const char *source_tag;         /* refs/tags/<tag> */
	const char *source_branch;      /* refs/heads/<branch> */
	const char *source_versioned_tag; /* semver "vX[.Y[.Z]]": tags compatible with it */
	const char *build_type;
	const char *const *inputs;      /* workflow inputs: "key=value" */
	size_t ninputs;
} al_pol_slsa;

/* An attestation the rule requires: a verified statement of this
 * predicate type, signed by one of the rule's authorities. */
typedef struct al_pol_att {
	const char *predicate_type;
	bool slsa;                      /* the SLSA constraints apply */
	al_pol_slsa s;
} al_pol_att;

/* containers-policy.json signedIdentity: which docker-reference a
 * simple-signing payload may carry for the image's name. */
typedef enum al_pol_ident {
	AL_PID_ANY = 0,                 /* not judged (airlock's own rules) */
	AL_PID_MATCH_REPO_DIGEST_OR_EXACT,
	AL_PID_MATCH_REPOSITORY,
	AL_PID_MATCH_EXACT,
	AL_PID_EXACT_REFERENCE,
	AL_PID_EXACT_REPOSITORY,
	AL_PID_REMAP,
} al_pol_ident;

typedef struct al_pol_signed_identity {
	al_pol_ident type;
	const char *reference;          /* EXACT_REFERENCE, EXACT_REPOSITORY */
	const char *prefix, *signed_prefix; /* REMAP */
} al_pol_signed_identity;

/* Relaxations (bit flags), each listed in every report that used it. */
#define AL_RELAX_TLOG     0x01u   /* no transparency-log entry required (cosign --insecure-ignore-tlog) */
#define AL_RELAX_SCT      0x02u   /* no SCT required on Fulcio certificates (--insecure-ignore-sct) */
#define AL_RELAX_ACCEPT   0x04u   /* the image is accepted unsigned (insecureAcceptAnything) */
/* Names as policies and reports spell them. */
const char *al_relax_name(unsigned bit);

typedef enum al_pol_action {
	AL_PACT_VERIFY = 1,             /* the requirements below */
	AL_PACT_REJECT,                 /* every image it matches fails */
	AL_PACT_ACCEPT,                 /* accepted without a signature: AL_RELAX_ACCEPT */
} al_pol_action;

typedef enum al_pol_mode {
	AL_PMODE_ENFORCE = 1,
	AL_PMODE_WARN,                  /* a failure is reported as WARN and exits 0 */
} al_pol_mode;

/* How a rule's scope names images. */
typedef enum al_pol_scope {
	AL_PSCOPE_GLOB = 1,             /* images: globs on the image's name */
	AL_PSCOPE_DOCKER,               /* containers-policy.json transports.docker scopes */
	AL_PSCOPE_PATH,                 /* containers-policy.json oci/oci-archive/docker-archive/dir
					 * scopes: the bundle's path */
	AL_PSCOPE_DEFAULT,              /* every image (the last rule) */
} al_pol_scope;

typedef struct al_pol_rule {
	const char *name;               /* "rules[N]" unless named; "default" */
	al_pol_scope scope;
	const char *const *patterns;    /* GLOB, DOCKER, PATH: any one matches */
	size_t npatterns;
	const char *transport;          /* PATH: "oci", "oci-archive", "docker-archive", "dir" */
	al_pol_action action;
	al_pol_mode mode;
	const al_pol_authority *auth;
	size_t nauth;
	size_t threshold;               /* distinct authorities required, 1..nauth */
	bool all_of;                    /* containers-policy.json: every authority, each
					 * judged on its own (one signature may meet several) */
	bool signatures_only;           /* only signatures meet an authority, not attestations */
	const al_pol_att *att;
	size_t natt;
	size_t tlog_min;                /* verified log entries per signature (0 only with AL_RELAX_TLOG) */
	const al_pol_pem *tlog_keys;    /* Rekor keys instead of the trusted root's logs */
	size_t ntlog_keys;
	const char *const *tlog_logs;   /* count only entries of these logs (their host in the
					 * trusted root: "rekor.sigstore.dev"); none: any log */
	size_t ntlog_logs;
	size_t tsa_min;                 /* verified RFC 3161 timestamps per signature */
	int64_t max_age;                /* seconds between the earliest signed time and the
					 * evaluation time; 0: no bound */
	al_pol_signed_identity ident;
	unsigned relax;                 /* AL_RELAX_* */
} al_pol_rule;

typedef struct al_policy {
	al_arena arena;                 /* owns everything below */
	const char *source;             /* the file's path, or "command line" */
	const char *format;             /* "airlock", "containers-policy.json",
					 * "ClusterImagePolicy", "command line" */
	const al_pol_rule *rules;       /* in order; the first that matches decides */
	size_t nrules;
	uint8_t sha256[32];             /* of the file as read (command line: of the canonical form) */
} al_policy;

/* Reads a policy file in any of the formats above (told apart by their
 * top-level keys). Errors: AL_E_IO (unreadable), AL_E_USAGE (any problem
 * with the content, with the JSON path and what to do: exit 2), AL_E_NOMEM. */
al_rc al_policy_load(const char *path, al_policy **out, al_err *err) AL_MUST_USE;
/* The same from bytes; dir resolves relative paths (NULL: the current folder). */
al_rc al_policy_parse(al_bytes json, const char *source, const char *dir, al_policy **out,
		      al_err *err) AL_MUST_USE;
void al_policy_free(al_policy *p);
/* The policy in airlock's own schema, RFC 8785 canonical: what
 * `airlock policy check` prints, and what a report's policy digest is of. */
al_rc al_policy_canonical(const al_policy *p, al_buf *out, al_err *err) AL_MUST_USE;
/* Checks a model built in memory (the command line's) as a file would be. */
al_rc al_policy_validate(const al_policy *p, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- the command line */

/* A policy stated by flags, named as the tools operators know name them
 * (docs/policy.md §5). It becomes one default rule with one authority. */
typedef struct al_pol_flags {
	const char *const *key_paths;   /* --key (any one of them) */
	size_t nkeys;
	const char *identity, *identity_regexp, *issuer, *issuer_regexp;
	const char *ca_roots, *ca_intermediates;     /* --ca-roots: a pki authority */
	/* cosign */
	const char *gh_workflow_repository, *gh_workflow_ref, *gh_workflow_sha, *gh_workflow_name,
		*gh_workflow_trigger;
	const char *const *types;       /* --type / --predicate-type: required attestations */
	size_t ntypes;
	bool ignore_tlog, ignore_sct, signed_timestamps, private_infrastructure;
	/* slsa-verifier */
	const char *source_uri, *source_tag, *source_branch, *source_versioned_tag, *builder_id;
	const char *const *build_inputs; /* --build-workflow-input k=v */
	size_t ninputs;
	/* gh attestation */
	const char *owner, *repo, *signer_workflow, *signer_repo;
	bool deny_self_hosted;
} al_pol_flags;

/* The policy the flags state (AL_E_USAGE naming the flag when they
 * contradict each other or say too little). */
al_rc al_policy_from_flags(const al_pol_flags *f, al_policy **out, al_err *err) AL_MUST_USE;
/* Whether any flag that states a policy is given (a --policy file then
 * excludes them). */
bool al_pol_flags_any(const al_pol_flags *f);

/* cosign's --type names ("slsaprovenance", "spdx", ...) as predicate type
 * URIs; any other value is returned as given. */
const char *al_predicate_type_for(const char *name);
/* A predicate type that stands for SLSA provenance v0.2 and v1 alike (what
 * slsa-verifier's flags require). */
#define AL_PT_SLSA_ANY "https://slsa.dev/provenance/*"
#define AL_PT_SLSA_V02 "https://slsa.dev/provenance/v0.2"
#define AL_PT_SLSA_V1 "https://slsa.dev/provenance/v1"

/* ---------------------------------------------------------------- names */

/* A docker reference, normalised as docker does ("alpine" is
 * "docker.io/library/alpine"). Strings point into buf. */
typedef struct al_ref {
	char buf[AL_MAX_REFERENCE + 1];
	const char *domain;             /* "docker.io" */
	const char *repository;         /* "docker.io/library/alpine" (domain included) */
	const char *tag;                /* NULL when none */
	const char *digest;             /* "sha256:<hex>", NULL when none */
	char full[AL_MAX_REFERENCE + 1];  /* repository[:tag][@digest] */
} al_ref;

/* Parses s (AL_E_USAGE naming what is wrong). */
al_rc al_ref_parse(const char *s, al_ref *r, al_err *err) AL_MUST_USE;
/* Whether s is a full reference: it names a registry (a first component
 * with '.' or ':', or "localhost") and parses. */
bool al_ref_is_full(const char *s);

/* What an image is called, and where the name came from. */
typedef struct al_pol_subject {
	const al_ref *name;             /* NULL: the image has no usable name */
	const char *bundle_path;        /* for PATH scopes */
	const char *transport;          /* the bundle's form: "oci", "oci-archive",
					 * "docker-archive", "dir" */
} al_pol_subject;

/* The rule that decides for s: the first that matches (the default, when
 * the policy has one), else NULL (no rule: rejected). */
const al_pol_rule *al_policy_rule_for(const al_policy *p, const al_pol_subject *s);

/* glob: '*' any run of characters but '/', '**' any run, '?' one character
 * but '/'; everything else literal. */
bool al_glob_match(const char *glob, const char *s);
/* containers-policy.json docker scope: "host[:port]/ns/repo[:tag|@digest]"
 * (the reference, its repository or a namespace of it), or "*.domain".
 * 0 when it does not match r; otherwise larger for a more specific scope
 * (the most specific matching scope decides, as in containers/image). */
int al_docker_scope_rank(const char *scope, const al_ref *r);
/* Whether the signed docker-reference is acceptable for the image's name
 * under ident (containers/image semantics). name may be NULL (no name:
 * only EXACT_* and ANY can hold). */
bool al_signed_identity_match(const al_pol_signed_identity *ident, const al_ref *name, const char *signed_ref);

/* "matchRepoDigestOrExact", ...; NULL for AL_PID_ANY. */
const char *al_pol_ident_name(al_pol_ident t);

/* Fulcio extensions by sigstore-go's name: the arc, or 0 when unknown. */
unsigned al_fulcio_ext_arc(const char *name);
const char *al_fulcio_ext_name(unsigned arc);

#endif
