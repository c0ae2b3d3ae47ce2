/*
 * canonical.c — what every policy must be whatever its format
 * (al_policy_validate), the policy in airlock's own schema as RFC 8785 JSON
 * (al_policy_canonical: `airlock policy check`, the report's policy digest,
 * docs/policy.md §6), and which rule decides for an image.
 */
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "crypto/crypto.h"
#include "policy/internal.h"

/* ---------------------------------------------------------------- validation */

static al_rc
bad(al_err *err, const al_policy *p, const char *rule, const char *fmt, const char *detail)
{
	return al_err_set(err, AL_E_USAGE, "%s: rule %s: %s%s", p->source, rule, fmt, detail ? detail : "");
}

static al_rc
check_str(const al_policy *p, const al_pol_rule *r, const al_pol_str *s, const char *what, bool required,
	  al_err *err)
{
	al_pctx c = { (al_policy *)(uintptr_t)p, p->source, NULL, err };
	char path[256];

	if (s->exact && s->regexp)
		return bad(err, p, r->name, "give either an exact value or a regexp for ", what);
	if (required && !s->exact && !s->regexp)
		return bad(err, p, r->name, "a keyless authority needs ", what);
	if (s->regexp) {
		snprintf(path, sizeof(path), "rule %s: %s", r->name, what);
		return al_pp_regexp(&c, path, s->regexp);
	}
	return AL_OK;
}

static al_rc
check_pem(const al_policy *p, const al_pol_rule *r, const al_pol_pem *m, const char *what, bool required,
	  al_err *err)
{
	if (m->path && m->data)
		return bad(err, p, r->name, "give either a path or inline data for ", what);
	if (required && !m->path && !m->data)
		return bad(err, p, r->name, "missing ", what);
	return AL_OK;
}

static al_rc
check_authority(const al_policy *p, const al_pol_rule *r, const al_pol_authority *a, al_err *err)
{
	al_rc rc;

	switch (a->kind) {
	case AL_PAUTH_KEY:
		if (a->nkeys == 0 || a->nkeys > AL_MAX_POLICY_KEYS)
			return bad(err, p, r->name, "a key authority names no key: ", a->name);
		for (size_t i = 0; i < a->nkeys; i++)
			if ((rc = check_pem(p, r, &a->keys[i], "a key", true, err)) != AL_OK)
				return rc;
		return AL_OK;
	case AL_PAUTH_KEYLESS:
		if ((rc = check_str(p, r, &a->identity, "an identity (the certificate's SAN)", true, err)) != AL_OK ||
		    (rc = check_str(p, r, &a->issuer, "an OIDC issuer", true, err)) != AL_OK ||
		    (rc = check_pem(p, r, &a->ca_roots, "caRoots", false, err)) != AL_OK)
			return rc;
		for (size_t i = 0; i < a->next; i++) {
			if (a->ext[i].arc == 0 || al_fulcio_ext_name(a->ext[i].arc) == NULL)
				return bad(err, p, r->name, "unknown certificate extension ", a->ext[i].name);
			if ((rc = check_str(p, r, &a->ext[i].value, a->ext[i].name, true, err)) != AL_OK)
				return rc;
		}
		return AL_OK;
	case AL_PAUTH_PKI:
		if ((rc = check_pem(p, r, &a->ca_roots, "caRoots (the private CA's roots)", true, err)) != AL_OK ||
		    (rc = check_pem(p, r, &a->ca_intermediates, "caIntermediates", false, err)) != AL_OK ||
		    (rc = check_str(p, r, &a->identity, "identity", false, err)) != AL_OK ||
		    (rc = check_str(p, r, &a->issuer, "issuer", false, err)) != AL_OK)
			return rc;
		return AL_OK;
	}
	return bad(err, p, r->name, "an authority of no known kind: ", a->name);
}

al_rc
al_policy_validate(const al_policy *p, al_err *err)
{
	al_rc rc;

	if (p->nrules > AL_MAX_POLICY_RULES)
		return al_err_set(err, AL_E_USAGE, "%s: %zu rules; at most %u", p->source, p->nrules, AL_MAX_POLICY_RULES);
	for (size_t i = 0; i < p->nrules; i++) {
		const al_pol_rule *r = &p->rules[i];

		if (r->scope == AL_PSCOPE_DEFAULT && i + 1 != p->nrules)
			return bad(err, p, r->name, "the default rule must come last", NULL);
		if (r->scope != AL_PSCOPE_DEFAULT && r->npatterns == 0)
			return bad(err, p, r->name, "names no image (images, scopes or paths)", NULL);
		if (r->action == AL_PACT_ACCEPT && !(r->relax & AL_RELAX_ACCEPT))
			return bad(err, p, r->name, "accepts unsigned images without the relaxation ",
				   al_relax_name(AL_RELAX_ACCEPT));
		if (r->action != AL_PACT_VERIFY)
			continue;
		if (r->nauth == 0)
			return bad(err, p, r->name, "verifies with no authority: name at least one signer", NULL);
		if (r->nauth > AL_MAX_POLICY_AUTHORITIES)
			return bad(err, p, r->name, "too many authorities", NULL);
		if (r->threshold < 1 || r->threshold > r->nauth)
			return bad(err, p, r->name, "threshold must be between 1 and the number of authorities", NULL);
		if (r->all_of && r->threshold != r->nauth)
			return bad(err, p, r->name, "allOf needs every authority", NULL);
		if (r->tlog_min == 0 && !(r->relax & AL_RELAX_TLOG))
			return bad(err, p, r->name, "asks for no transparency-log entry without the relaxation ",
				   al_relax_name(AL_RELAX_TLOG));
		if (r->tlog_min > AL_MAX_TLOG_ENTRIES || r->tsa_min > AL_MAX_TIMESTAMPS)
			return bad(err, p, r->name, "asks for more log entries or timestamps than a signature may carry",
				   NULL);
		if (r->ntlog_keys > AL_MAX_POLICY_KEYS)
			return bad(err, p, r->name, "too many Rekor keys", NULL);
		for (size_t k = 0; k < r->ntlog_keys; k++)
			if ((rc = check_pem(p, r, &r->tlog_keys[k], "a Rekor key", true, err)) != AL_OK)
				return rc;
		for (size_t a = 0; a < r->nauth; a++)
			if ((rc = check_authority(p, r, &r->auth[a], err)) != AL_OK)
				return rc;
		for (size_t a = 0; a < r->natt; a++) {
			if (r->att[a].predicate_type == NULL || r->att[a].predicate_type[0] == '\0')
				return bad(err, p, r->name, "an attestation requirement names no predicateType", NULL);
			if (r->att[a].slsa && (rc = check_str(p, r, &r->att[a].s.builder_id, "builderId", false, err)) != AL_OK)
				return rc;
		}
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- canonical form */

static bool oom;

static cJSON *
add(cJSON *o, const char *k, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObject(o, k, v)) {
		oom = true;
		cJSON_Delete(v);
	}
	return v;
}

static void
add_s(cJSON *o, const char *k, const char *s)
{
	if (s != NULL)
		add(o, k, cJSON_CreateString(s));
}

static void
add_n(cJSON *o, const char *k, double n)
{
	add(o, k, cJSON_CreateNumber(n));
}

static void
push(cJSON *a, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToArray(a, v)) {
		oom = true;
		cJSON_Delete(v);
	}
}

static cJSON *
str_json(const al_pol_str *s)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	if (s->exact)
		add_s(o, "exact", s->exact);
	else if (s->regexp)
		add_s(o, "regexp", s->regexp);
	return o;
}

static cJSON *
pem_json(const al_pol_pem *m)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_s(o, "path", m->path);
	add_s(o, "data", m->data);
	return o;
}

static cJSON *
authority_json(const al_pol_authority *a)
{
	cJSON *o = cJSON_CreateObject(), *k, *x;

	if (o == NULL)
		return NULL;
	add_s(o, "name", a->name);
	switch (a->kind) {
	case AL_PAUTH_KEY:
		if ((k = add(o, "keys", cJSON_CreateArray())) != NULL)
			for (size_t i = 0; i < a->nkeys; i++)
				push(k, pem_json(&a->keys[i]));
		break;
	case AL_PAUTH_KEYLESS:
		if ((k = add(o, "keyless", cJSON_CreateObject())) == NULL)
			break;
		add(k, "identity", str_json(&a->identity));
		add(k, "issuer", str_json(&a->issuer));
		if (a->ca_roots.path || a->ca_roots.data)
			add(k, "caRoots", pem_json(&a->ca_roots));
		if ((x = add(k, "extensions", cJSON_CreateObject())) != NULL)
			for (size_t i = 0; i < a->next; i++)
				add(x, al_fulcio_ext_name(a->ext[i].arc), str_json(&a->ext[i].value));
		break;
	case AL_PAUTH_PKI:
		if ((k = add(o, "pki", cJSON_CreateObject())) == NULL)
			break;
		add(k, "caRoots", pem_json(&a->ca_roots));
		if (a->ca_intermediates.path || a->ca_intermediates.data)
			add(k, "caIntermediates", pem_json(&a->ca_intermediates));
		if (a->identity.exact || a->identity.regexp)
			add(k, "identity", str_json(&a->identity));
		if (a->issuer.exact || a->issuer.regexp)
			add(k, "issuer", str_json(&a->issuer));
		add_s(k, "subjectEmail", a->subject_email);
		add_s(k, "subjectHostname", a->subject_hostname);
		add_s(k, "subjectUri", a->subject_uri);
		break;
	}
	return o;
}

static cJSON *
att_json(const al_pol_att *t)
{
	cJSON *o = cJSON_CreateObject(), *s, *in;

	if (o == NULL)
		return NULL;
	add_s(o, "predicateType", t->predicate_type);
	if (!t->slsa || (s = add(o, "slsa", cJSON_CreateObject())) == NULL)
		return o;
	if (t->s.builder_id.exact || t->s.builder_id.regexp)
		add(s, "builderId", str_json(&t->s.builder_id));
	add_s(s, "sourceUri", t->s.source_uri);
	add_s(s, "sourceTag", t->s.source_tag);
	add_s(s, "sourceBranch", t->s.source_branch);
	add_s(s, "sourceVersionedTag", t->s.source_versioned_tag);
	add_s(s, "buildType", t->s.build_type);
	if (t->s.ninputs && (in = add(s, "workflowInputs", cJSON_CreateObject())) != NULL) {
		for (size_t i = 0; i < t->s.ninputs; i++) {
			const char *eq = strchr(t->s.inputs[i], '=');
			char key[AL_MAX_POLICY_STRING + 1];

			if (eq == NULL)
				continue;
			snprintf(key, sizeof(key), "%.*s", (int)(eq - t->s.inputs[i]), t->s.inputs[i]);
			add_s(in, key, eq + 1);
		}
	}
	return o;
}

static const char *const ident_names[] = {
	[AL_PID_ANY] = NULL,
	[AL_PID_MATCH_REPO_DIGEST_OR_EXACT] = "matchRepoDigestOrExact",
	[AL_PID_MATCH_REPOSITORY] = "matchRepository",
	[AL_PID_MATCH_EXACT] = "matchExact",
	[AL_PID_EXACT_REFERENCE] = "exactReference",
	[AL_PID_EXACT_REPOSITORY] = "exactRepository",
	[AL_PID_REMAP] = "remapIdentity",
};

const char *
al_pol_ident_name(al_pol_ident t)
{
	return (size_t)t < AL_ARRAY_LEN(ident_names) ? ident_names[t] : NULL;
}

static cJSON *
rule_json(const al_pol_rule *r)
{
	cJSON *o = cJSON_CreateObject(), *a;
	static const char *const scope_key[] = { [AL_PSCOPE_GLOB] = "images", [AL_PSCOPE_DOCKER] = "scopes",
						 [AL_PSCOPE_PATH] = "paths" };

	if (o == NULL)
		return NULL;
	add_s(o, "name", r->name);
	if (r->scope != AL_PSCOPE_DEFAULT && (a = add(o, scope_key[r->scope], cJSON_CreateArray())) != NULL)
		for (size_t i = 0; i < r->npatterns; i++)
			push(a, cJSON_CreateString(r->patterns[i]));
	add_s(o, "transport", r->transport);
	add_s(o, "action", r->action == AL_PACT_REJECT ? "reject" : r->action == AL_PACT_ACCEPT ? "accept" : "verify");
	add_s(o, "mode", r->mode == AL_PMODE_WARN ? "warn" : "enforce");
	if ((a = add(o, "relax", cJSON_CreateArray())) != NULL)
		for (unsigned bit = 1; bit <= AL_RELAX_ACCEPT; bit <<= 1)
			if (r->relax & bit)
				push(a, cJSON_CreateString(al_relax_name(bit)));
	if (r->action != AL_PACT_VERIFY)
		return o;
	if ((a = add(o, "authorities", cJSON_CreateArray())) != NULL)
		for (size_t i = 0; i < r->nauth; i++)
			push(a, authority_json(&r->auth[i]));
	add_n(o, "threshold", (double)r->threshold);
	if (r->all_of)
		add(o, "allOf", cJSON_CreateTrue());
	if (r->signatures_only)
		add(o, "signaturesOnly", cJSON_CreateTrue());
	if ((a = add(o, "attestations", cJSON_CreateArray())) != NULL)
		for (size_t i = 0; i < r->natt; i++)
			push(a, att_json(&r->att[i]));
	if ((a = add(o, "transparency", cJSON_CreateObject())) != NULL) {
		cJSON *k;

		add_n(a, "minEntries", (double)r->tlog_min);
		if (r->ntlog_logs && (k = add(a, "logs", cJSON_CreateArray())) != NULL)
			for (size_t i = 0; i < r->ntlog_logs; i++)
				push(k, cJSON_CreateString(r->tlog_logs[i]));
		if (r->ntlog_keys && (k = add(a, "rekorKeys", cJSON_CreateArray())) != NULL)
			for (size_t i = 0; i < r->ntlog_keys; i++)
				push(k, pem_json(&r->tlog_keys[i]));
	}
	if ((a = add(o, "timestamps", cJSON_CreateObject())) != NULL)
		add_n(a, "minCount", (double)r->tsa_min);
	if (r->max_age) {
		char s[32];

		snprintf(s, sizeof(s), "%llds", (long long)r->max_age);
		add_s(o, "maxAge", s);
	}
	if (r->ident.type != AL_PID_ANY && (a = add(o, "signedIdentity", cJSON_CreateObject())) != NULL) {
		add_s(a, "type", al_pol_ident_name(r->ident.type));
		add_s(a, "reference", r->ident.reference);
		add_s(a, "prefix", r->ident.prefix);
		add_s(a, "signedPrefix", r->ident.signed_prefix);
	}
	return o;
}

al_rc
al_policy_canonical(const al_policy *p, al_buf *out, al_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *rules;
	const al_pol_rule *def = NULL;
	al_rc rc;

	oom = doc == NULL;
	if (doc != NULL) {
		add_n(doc, "version", 1);
		if ((rules = add(doc, "rules", cJSON_CreateArray())) != NULL) {
			for (size_t i = 0; i < p->nrules; i++) {
				if (p->rules[i].scope == AL_PSCOPE_DEFAULT)
					def = &p->rules[i];
				else
					push(rules, rule_json(&p->rules[i]));
			}
		}
		if (def != NULL)
			add(doc, "default", rule_json(def));
	}
	if (oom) {
		cJSON_Delete(doc);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	rc = al_json_canonical(doc, out, err);
	cJSON_Delete(doc);
	return rc;
}

/* ---------------------------------------------------------------- which rule */

static bool
path_scope_match(const char *scope, const char *path)
{
	size_t n = strlen(scope);

	/* containers/image: the scope is the path or a parent folder of it */
	if (n == 0)
		return true;
	while (n > 1 && scope[n - 1] == '/')
		n--;
	return strncmp(scope, path, n) == 0 && (path[n] == '\0' || path[n] == '/' || path[n] == ':' || scope[n - 1] == '/');
}

const al_pol_rule *
al_policy_rule_for(const al_policy *p, const al_pol_subject *s)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const al_pol_rule *r = &p->rules[i];

		switch (r->scope) {
		case AL_PSCOPE_DEFAULT:
			return r;
		case AL_PSCOPE_GLOB:
			if (s->name == NULL)
				break;
			for (size_t k = 0; k < r->npatterns; k++) {
				/* a glob with a tag or digest part is matched against the
				 * full reference, any other against the repository */
				const char *slash = strrchr(r->patterns[k], '/');
				const char *last = slash ? slash : r->patterns[k];
				bool full = strchr(last, ':') != NULL || strchr(r->patterns[k], '@') != NULL;

				if (al_glob_match(r->patterns[k], full ? s->name->full : s->name->repository))
					return r;
			}
			break;
		case AL_PSCOPE_DOCKER: {
			/* the most specific scope of all docker rules decides, wherever it is */
			const al_pol_rule *best = NULL;
			int best_rank = 0;

			if (s->name == NULL)
				break;
			for (size_t j = i; j < p->nrules; j++) {
				if (p->rules[j].scope != AL_PSCOPE_DOCKER)
					continue;
				for (size_t k = 0; k < p->rules[j].npatterns; k++) {
					int rank = al_docker_scope_rank(p->rules[j].patterns[k], s->name);

					if (rank > best_rank) {
						best_rank = rank;
						best = &p->rules[j];
					}
				}
			}
			if (best != NULL)
				return best;
			break;
		}
		case AL_PSCOPE_PATH:
			if (s->name != NULL || s->bundle_path == NULL || s->transport == NULL || r->transport == NULL ||
			    strcmp(s->transport, r->transport) != 0)
				break;
			for (size_t k = 0; k < r->npatterns; k++)
				if (path_scope_match(r->patterns[k], s->bundle_path))
					return r;
			break;
		}
	}
	return NULL;
}
