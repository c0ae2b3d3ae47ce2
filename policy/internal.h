/*
 * internal.h — what the policy readers share (policy/ only): one parse
 * context, strict getters whose errors name the JSON path and what to do,
 * and the arena the model lives in. Every reader (airlock.c,
 * containers.c, cip.c) builds an al_policy with these and nothing else, and
 * al_policy_validate (model.c) then judges the result the same way for all.
 */
#ifndef AL_POLICY_INTERNAL_H
#define AL_POLICY_INTERNAL_H

#include "policy/policy.h"

typedef struct al_pctx {
	al_policy *p;
	const char *source;     /* the file, for messages */
	const char *dir;        /* relative paths resolve here; NULL: as given */
	al_err *err;
} al_pctx;

/* AL_E_USAGE: "<source>: <path>: <message>" (exit 2). Returns AL_E_USAGE. */
al_rc al_pp_fail(al_pctx *c, const char *path, const char *fmt, ...) AL_PRINTF(3, 4);
/* Zeroed arena memory for n elements (AL_E_NOMEM). */
void *al_pp_alloc(al_pctx *c, size_t n, size_t size);
/* An arena copy of s, NUL-terminated; NULL when out of memory (err set). */
const char *al_pp_dup(al_pctx *c, al_bytes s);
/* obj is an object whose keys are all in keys (NULL-terminated); else the
 * first unknown key, by path, and the keys that are known. */
al_rc al_pp_only(al_pctx *c, const al_json *obj, const char *path, const char *const *keys) AL_MUST_USE;
/* Member key of obj: absent (NULL, AL_OK) or of the given JSON type. */
al_rc al_pp_obj(al_pctx *c, const al_json *obj, const char *path, const char *key, const al_json **out) AL_MUST_USE;
al_rc al_pp_arr(al_pctx *c, const al_json *obj, const char *path, const char *key, size_t max,
		const al_json **out) AL_MUST_USE;
/* A string member: text of at most AL_MAX_POLICY_STRING bytes (max, when
 * the caller gives a larger one, for PEM), without NUL or control
 * characters other than newline; NULL when absent. */
al_rc al_pp_str(al_pctx *c, const al_json *obj, const char *path, const char *key, size_t max,
		const char **out) AL_MUST_USE;
/* A string array element (same rules). */
al_rc al_pp_str_at(al_pctx *c, const al_json *arr, const char *path, size_t i, size_t max,
		   const char **out) AL_MUST_USE;
/* A non-negative integer member at most max; *present says whether it was given. */
al_rc al_pp_uint(al_pctx *c, const al_json *obj, const char *path, const char *key, uint64_t max, uint64_t *out,
		 bool *present) AL_MUST_USE;
al_rc al_pp_bool(al_pctx *c, const al_json *obj, const char *path, const char *key, bool *out,
		 bool *present) AL_MUST_USE;
/* A file path as the policy gives it, resolved against c->dir when relative. */
const char *al_pp_path(al_pctx *c, const char *path);
/* A regexp (anchored POSIX ERE, as airlock matches every regexp) that compiles. */
al_rc al_pp_regexp(al_pctx *c, const char *path, const char *re) AL_MUST_USE;

/* The readers. Each fills c->p from doc (its top level already told apart). */
al_rc al_policy_read_airlock(al_pctx *c, const al_json *doc) AL_MUST_USE;
al_rc al_policy_read_containers(al_pctx *c, const al_json *doc) AL_MUST_USE;
al_rc al_policy_read_cip(al_pctx *c, const al_json *doc) AL_MUST_USE;

/* A rule with the strict defaults every reader starts from: action verify,
 * mode enforce, threshold 1, one log entry, no relaxation. */
void al_pol_rule_defaults(al_pol_rule *r);

#endif
