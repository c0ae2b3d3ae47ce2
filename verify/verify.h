/*
 * verify.h — orchestration: everything airlock proves is decided here,
 * from parsed inputs (bundle/), trust material (trust-roots/), log proofs
 * (tlog/) and cryptography (crypto/). Order of checks:
 * /work/shared/docs/verification-algorithm.md §2.
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

#define AL_MAX_KEYS_ARG 16

/* Options of `airlock verify-bundle` (paths as the operator gave them). */
typedef struct al_vb_opts {
	const char *bundle_path;
	const char *trusted_root_path;
	const char *const *key_paths;
	size_t nkeys;
	const char *identity;          /* exact SAN */
	const char *identity_regexp;   /* anchored POSIX ERE */
	const char *issuer;            /* exact OIDC issuer */
	const char *issuer_regexp;     /* anchored POSIX ERE */
	const char *artifact;          /* a path, or sha256:<64 hex> */
} al_vb_opts;

typedef struct al_vb_result {
	char line[2048];               /* one line saying what was verified */
} al_vb_result;

/* Loads everything the options name and verifies. Usage problems are
 * AL_E_USAGE (exit 2), unreadable files AL_E_IO (2), bad trust material
 * AL_E_TRUST_* (4), anything else a failed verification (1). */
al_rc al_verify_bundle_cmd(const al_vb_opts *o, al_vb_result *res, al_err *err) AL_MUST_USE;

/* Options of `airlock verify BUNDLE`. */
typedef struct al_img_opts {
	const char *bundle_path;
	const char *trusted_root_path;  /* optional for key and private-PKI policies */
	const char *const *key_paths;
	size_t nkeys;
	const char *identity, *identity_regexp, *issuer, *issuer_regexp;
	const char *ca_roots;           /* private PKI instead of Fulcio (PEM file) */
	const char *ca_intermediates;
	bool allow_missing_blobs;       /* relaxation: absent blobs are listed, not failed */
	bool strict;                    /* unreferenced content fails the bundle */
	uint64_t max_bytes;             /* decompressed-bytes budget (--max-bytes); 0 = AL_MAX_READ_BYTES */
} al_img_opts;

/* Verifies every image of an exported bundle; the report (one line per
 * finding) is appended to report even when verification fails. Exit class
 * of the result: 0 all verified, 1 failed, 3 nothing to verify, 2/4 as above. */
al_rc al_verify_image_cmd(const al_img_opts *o, al_buf *report, al_err *err) AL_MUST_USE;
/* A description of what is inside a bundle and what is missing (absent
 * blobs are listed, not failed). max_bytes is the decompressed-bytes budget
 * (--max-bytes); 0 = AL_MAX_READ_BYTES. */
al_rc al_inspect_cmd(const char *path, uint64_t max_bytes, al_buf *report, al_err *err) AL_MUST_USE;

#endif
