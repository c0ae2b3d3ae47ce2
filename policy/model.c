/*
 * model.c — the policy model's life: reading a file and telling its format
 * apart, the strict getters every reader uses, the checks every policy
 * passes whatever its format (al_policy_validate), and the canonical form
 * (docs/policy.md §2, §6).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "policy/internal.h"

/* ---------------------------------------------------------------- names */

/* sigstore-go's names for Fulcio's extensions 1.3.6.1.4.1.57264.1.<arc>
 * (its certificate.Extensions JSON). Arc 1 (the v1 issuer) and 7 (OtherName
 * SAN) are not constraints a policy states this way. */
static const struct {
	unsigned arc;
	const char *name;
} fulcio_ext[] = {
	{ 2, "githubWorkflowTrigger" },   { 3, "githubWorkflowSHA" },
	{ 4, "githubWorkflowName" },      { 5, "githubWorkflowRepository" },
	{ 6, "githubWorkflowRef" },       { 8, "issuer" },
	{ 9, "buildSignerURI" },          { 10, "buildSignerDigest" },
	{ 11, "runnerEnvironment" },      { 12, "sourceRepositoryURI" },
	{ 13, "sourceRepositoryDigest" }, { 14, "sourceRepositoryRef" },
	{ 15, "sourceRepositoryIdentifier" }, { 16, "sourceRepositoryOwnerURI" },
	{ 17, "sourceRepositoryOwnerIdentifier" }, { 18, "buildConfigURI" },
	{ 19, "buildConfigDigest" },      { 20, "buildTrigger" },
	{ 21, "runInvocationURI" },       { 22, "sourceRepositoryVisibilityAtSigning" },
};

unsigned
al_fulcio_ext_arc(const char *name)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(fulcio_ext); i++)
		if (strcmp(fulcio_ext[i].name, name) == 0)
			return fulcio_ext[i].arc;
	/* the OID itself names it too */
	if (strncmp(name, "1.3.6.1.4.1.57264.1.", 20) == 0) {
		char *end;
		unsigned long arc = strtoul(name + 20, &end, 10);

		for (size_t i = 0; *end == '\0' && i < AL_ARRAY_LEN(fulcio_ext); i++)
			if (fulcio_ext[i].arc == arc)
				return (unsigned)arc;
	}
	return 0;
}

const char *
al_fulcio_ext_name(unsigned arc)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(fulcio_ext); i++)
		if (fulcio_ext[i].arc == arc)
			return fulcio_ext[i].name;
	return NULL;
}

const char *
al_relax_name(unsigned bit)
{
	switch (bit) {
	case AL_RELAX_TLOG: return "insecure-ignore-tlog";
	case AL_RELAX_SCT: return "insecure-ignore-sct";
	case AL_RELAX_ACCEPT: return "insecure-accept-anything";
	default: return "?";
	}
}

/* ---------------------------------------------------------------- getters */

al_rc
al_pp_fail(al_pctx *c, const char *path, const char *fmt, ...)
{
	char msg[AL_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path == NULL || path[0] == '\0')
		return al_err_set(c->err, AL_E_USAGE, "%s: %s", c->source, msg);
	return al_err_set(c->err, AL_E_USAGE, "%s: %s: %s", c->source, path, msg);
}

void *
al_pp_alloc(al_pctx *c, size_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (size != 0 && n > SIZE_MAX / size) {
		al_err_set(c->err, AL_E_NOMEM, "out of memory");
		return NULL;
	}
	return al_arena_alloc(&c->p->arena, n * size, c->err);
}

const char *
al_pp_dup(al_pctx *c, al_bytes s)
{
	return al_arena_strdup(&c->p->arena, s, c->err);
}

al_rc
al_pp_only(al_pctx *c, const al_json *obj, const char *path, const char *const *keys)
{
	if (!al_json_is_obj(obj))
		return al_pp_fail(c, path, "not an object");
	for (const al_json *m = al_json_first(obj); m; m = al_json_next(m)) {
		const char *k = al_json_key(m);
		bool known = false;
		char list[512] = "";
		size_t len = 0;
		al_jpath p;

		for (size_t i = 0; keys[i] && !known; i++)
			known = k && strcmp(k, keys[i]) == 0;
		if (known)
			continue;
		for (size_t i = 0; keys[i] && len < sizeof(list); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", keys[i]);
		al_jpath_key(&p, path, k ? k : "");
		return al_pp_fail(c, p.s, "unknown key (this object takes: %s); a misspelt requirement is "
			       "refused, not ignored", list);
	}
	return AL_OK;
}

static const char *
child(al_jpath *p, const char *path, const char *key)
{
	al_jpath_key(p, path, key);
	return p->s;
}

al_rc
al_pp_obj(al_pctx *c, const al_json *obj, const char *path, const char *key, const al_json **out)
{
	const al_json *m = al_json_member(obj, key);
	al_jpath p;

	*out = NULL;
	if (m == NULL)
		return AL_OK;
	if (!al_json_is_obj(m))
		return al_pp_fail(c, child(&p, path, key), "must be an object");
	*out = m;
	return AL_OK;
}

al_rc
al_pp_arr(al_pctx *c, const al_json *obj, const char *path, const char *key, size_t max, const al_json **out)
{
	const al_json *m = al_json_member(obj, key);
	al_jpath p;

	*out = NULL;
	if (m == NULL)
		return AL_OK;
	if (!al_json_is_arr(m))
		return al_pp_fail(c, child(&p, path, key), "must be an array");
	if (al_json_arr_len(m) > max)
		return al_pp_fail(c, child(&p, path, key), "%zu entries; at most %zu are accepted",
				  al_json_arr_len(m), max);
	*out = m;
	return AL_OK;
}

static al_rc
str_value(al_pctx *c, const al_json *v, const char *path, size_t max, const char **out)
{
	al_bytes s;

	if (!al_json_is_str(v))
		return al_pp_fail(c, path, "must be a string");
	s = al_json_str_bytes(v);
	if (max < AL_MAX_POLICY_STRING)
		max = AL_MAX_POLICY_STRING;
	if (s.n > max)
		return al_pp_fail(c, path, "%zu bytes; at most %zu are accepted", s.n, max);
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == 0 || (s.p[i] < 0x20 && s.p[i] != '\n' && s.p[i] != '\r' && s.p[i] != '\t') ||
		    s.p[i] == 0x7f)
			return al_pp_fail(c, path, "contains a control character (byte %zu)", i);
	if ((*out = al_pp_dup(c, s)) == NULL)
		return c->err ? c->err->code : AL_E_NOMEM;
	return AL_OK;
}

al_rc
al_pp_str(al_pctx *c, const al_json *obj, const char *path, const char *key, size_t max, const char **out)
{
	const al_json *m = al_json_member(obj, key);
	al_jpath p;

	*out = NULL;
	if (m == NULL)
		return AL_OK;
	return str_value(c, m, child(&p, path, key), max, out);
}

al_rc
al_pp_str_at(al_pctx *c, const al_json *arr, const char *path, size_t i, size_t max, const char **out)
{
	al_jpath p;

	al_jpath_idx(&p, path, i);
	return str_value(c, al_json_arr_at(arr, i), p.s, max, out);
}

al_rc
al_pp_uint(al_pctx *c, const al_json *obj, const char *path, const char *key, uint64_t max, uint64_t *out,
	   bool *present)
{
	int64_t v = 0;
	bool have = false;
	al_err e;
	al_jpath p;

	if (al_json_get_i64(obj, path, key, false, &v, &have, &e) != AL_OK)
		return al_pp_fail(c, child(&p, path, key), "must be an integer");
	if (present)
		*present = have;
	if (!have)
		return AL_OK;
	if (v < 0 || (uint64_t)v > max)
		return al_pp_fail(c, child(&p, path, key), "%lld is out of range (0 to %llu)", (long long)v,
				  (unsigned long long)max);
	*out = (uint64_t)v;
	return AL_OK;
}

al_rc
al_pp_bool(al_pctx *c, const al_json *obj, const char *path, const char *key, bool *out, bool *present)
{
	al_err e;
	al_jpath p;

	if (al_json_get_bool(obj, path, key, false, out, present, &e) != AL_OK)
		return al_pp_fail(c, child(&p, path, key), "must be true or false");
	return AL_OK;
}

const char *
al_pp_path(al_pctx *c, const char *path)
{
	if (path == NULL || path[0] == '/' || c->dir == NULL || c->dir[0] == '\0')
		return path;
	return al_arena_printf(&c->p->arena, c->err, "%s/%s", c->dir, path);
}

al_rc
al_pp_regexp(al_pctx *c, const char *path, const char *re)
{
	size_t n = strlen(re);
	char *anchored;
	regex_t rx;
	int rc;

	if ((anchored = malloc(n + 5)) == NULL)
		return al_err_set(c->err, AL_E_NOMEM, "out of memory");
	/* the same anchoring verify/identity.c matches with */
	snprintf(anchored, n + 5, "^(%s)$", re);
	rc = regcomp(&rx, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc != 0) {
		char msg[128];

		regerror(rc, &rx, msg, sizeof(msg));
		return al_pp_fail(c, path, "not a POSIX extended regular expression: %s", msg);
	}
	regfree(&rx);
	return AL_OK;
}

void
al_pol_rule_defaults(al_pol_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->action = AL_PACT_VERIFY;
	r->mode = AL_PMODE_ENFORCE;
	r->threshold = 1;
	r->tlog_min = 1;
}

/* ---------------------------------------------------------------- loading */

al_rc
al_policy_parse(al_bytes json, const char *source, const char *dir, al_policy **out, al_err *err)
{
	al_policy *p = calloc(1, sizeof(*p));
	al_json *doc = NULL;
	al_pctx c;
	al_rc rc;

	*out = NULL;
	if (p == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	c = (al_pctx){ p, source ? source : "policy", dir, err };
	if ((p->source = al_pp_dup(&c, al_bytes_str(c.source))) == NULL) {
		rc = AL_E_NOMEM;
		goto out;
	}
	if (json.n > AL_MAX_POLICY_FILE) {
		rc = al_pp_fail(&c, NULL, "%zu bytes; a policy file is at most %u", json.n, AL_MAX_POLICY_FILE);
		goto out;
	}
	if ((rc = al_json_parse(json, &doc, err)) != AL_OK) {
		rc = al_err_recode(err, AL_E_USAGE, "%s: not a JSON document", c.source);
		goto out;
	}
	if (!al_json_is_obj(doc)) {
		rc = al_pp_fail(&c, NULL, "not a policy: the document is not a JSON object");
		goto out;
	}
	{
		const al_json *kind = al_json_member(doc, "kind");
		const al_json *def = al_json_member(doc, "default");

		if (al_json_member(doc, "version") != NULL) {
			p->format = "airlock";
			rc = al_policy_read_airlock(&c, doc);
		} else if (kind != NULL || al_json_member(doc, "apiVersion") != NULL) {
			p->format = "ClusterImagePolicy";
			rc = al_policy_read_cip(&c, doc);
		} else if (al_json_member(doc, "transports") != NULL || (def != NULL && al_json_is_arr(def))) {
			p->format = "containers-policy.json";
			rc = al_policy_read_containers(&c, doc);
		} else {
			rc = al_pp_fail(&c, NULL,
					"not a policy airlock reads: an airlock policy has \"version\": 1, a "
					"containers-policy.json \"default\" or \"transports\", a ClusterImagePolicy "
					"\"apiVersion\" and \"kind\" (docs/policy.md)");
		}
	}
	if (rc == AL_OK)
		rc = al_policy_validate(p, err);
out:
	al_json_free(doc);
	if (rc != AL_OK) {
		al_policy_free(p);
		return rc;
	}
	*out = p;
	return AL_OK;
}

al_rc
al_policy_load(const char *path, al_policy **out, al_err *err)
{
	al_buf b = { 0 };
	char dir[AL_MAX_PATH];
	const char *slash = strrchr(path, '/');
	al_rc rc;

	*out = NULL;
	if ((rc = al_read_file(path, AL_MAX_POLICY_FILE, &b, err)) != AL_OK)
		return rc;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	rc = al_policy_parse(al_buf_bytes(&b), path, dir, out, err);
	if (rc == AL_OK)
		al_sha256(al_buf_bytes(&b), (*out)->sha256);
	al_buf_free(&b);
	return rc;
}

void
al_policy_free(al_policy *p)
{
	if (p == NULL)
		return;
	al_arena_free(&p->arena);
	free(p);
}
