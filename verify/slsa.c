/*
 * slsa.c — a verified SLSA provenance statement (v0.2 or v1) against the
 * policy's constraints, read where slsa-verifier reads them for GitHub
 * Actions builders (docs/policy.md §4.3): builder id, source repository,
 * source ref (tag, branch, versioned tag), build type, workflow inputs.
 * Only statements whose signature already verified reach here; the fields
 * are still untrusted text for messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "verify/internal.h"

static const cJSON *
at(const cJSON *o, const char *const *path)
{
	for (; o != NULL && *path != NULL; path++)
		o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, *path) : NULL;
	return o;
}

static const char *
str_at(const cJSON *o, const char *const *path)
{
	const cJSON *v = at(o, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "git+https://github.com/o/r@refs/tags/v1" -> repo "github.com/o/r", ref
 * "refs/tags/v1": scheme, git+ and a trailing .git are not part of the name.
 * A part that does not fit is emptied (it then matches nothing), never cut:
 * two long names cut to the same prefix must not compare equal. */
static void
split_uri(const char *uri, char *repo, size_t rcap, char *ref, size_t fcap)
{
	const char *p = uri, *atp;


	if (strncmp(p, "git+", 4) == 0)
		p += 4;
	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	atp = strchr(p, '@');
	repo[0] = ref[0] = '\0';
	if ((atp ? (size_t)(atp - p) : strlen(p)) >= rcap || (atp && strlen(atp + 1) >= fcap)) {
		/* a part that does not fit matches nothing (but an empty one) */
		snprintf(repo, rcap, "%s", "\x01too long");
		return;
	}
	snprintf(repo, rcap, "%.*s", (int)(atp ? (size_t)(atp - p) : strlen(p)), p);
	{
		size_t n = strlen(repo);

		if (n > 4 && strcmp(repo + n - 4, ".git") == 0)
			repo[n - 4] = '\0';
	}
	snprintf(ref, fcap, "%s", atp ? atp + 1 : "");
}

/* vMAJOR[.MINOR[.PATCH]] with optional pre-release/build; components
 * given, -1 for absent. */
static bool
semver(const char *s, long v[3])
{
	const char *p = s;

	v[0] = v[1] = v[2] = -1;
	if (*p == 'v')
		p++;
	for (int i = 0; i < 3; i++) {
		char *end;

		if (*p < '0' || *p > '9')
			return false;
		v[i] = strtol(p, &end, 10);
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	return *p == '\0' || *p == '-' || *p == '+';
}

static al_rc
fail(al_err *err, const char *field, const char *found, const char *want)
{
	return al_err_set(err, AL_E_VERIFY_POLICY, "SLSA provenance %s is \"%.200s\", the policy requires %s", field,
			  found ? found : "(absent)", want);
}

al_rc
al_slsa_check(const al_pol_att *att, al_bytes statement, al_err *err)
{
	static const char *const pt[] = { "predicateType", NULL };
	static const char *const b02[] = { "predicate", "builder", "id", NULL };
	static const char *const b1[] = { "predicate", "runDetails", "builder", "id", NULL };
	static const char *const bt02[] = { "predicate", "buildType", NULL };
	static const char *const bt1[] = { "predicate", "buildDefinition", "buildType", NULL };
	static const char *const cs02[] = { "predicate", "invocation", "configSource", "uri", NULL };
	static const char *const wr1[] = { "predicate", "buildDefinition", "externalParameters", "workflow", "repository", NULL };
	static const char *const wf1[] = { "predicate", "buildDefinition", "externalParameters", "workflow", "ref", NULL };
	static const char *const in02[] = { "predicate", "invocation", "environment", "github_event_payload", "inputs", NULL };
	static const char *const in1[] = { "predicate", "buildDefinition", "externalParameters", "inputs", NULL };
	static const char *const base02[] = { "predicate", "invocation", "environment", "github_event_payload", "base_ref", NULL };
	const al_pol_slsa *s = &att->s;
	const char *const lens[] = { s->source_uri, s->source_tag, s->source_branch, s->source_versioned_tag,
				     s->builder_id.exact };
	cJSON *doc;
	const char *type, *builder, *uri = NULL;
	char repo[1024] = "", ref[1024] = "", want[1100];
	bool v1;
	al_rc rc = AL_OK;

	/* every constraint is compared whole (buffers below hold 1000 bytes) */
	for (size_t i = 0; i < AL_ARRAY_LEN(lens); i++)
		if (lens[i] != NULL && strlen(lens[i]) > 1000)
			return al_err_set(err, AL_E_VERIFY_POLICY, "SLSA constraint of %zu bytes: longer than airlock "
					  "compares (1000)", strlen(lens[i]));
	if (statement.n > AL_MAX_PAYLOAD || (doc = cJSON_ParseWithLength((const char *)statement.p, statement.n)) == NULL)
		return al_err_set(err, AL_E_VERIFY_POLICY, "SLSA provenance: the statement is not JSON");
	type = str_at(doc, pt);
	v1 = type != NULL && strcmp(type, AL_PT_SLSA_V1) == 0;
	if (type == NULL || (!v1 && strcmp(type, AL_PT_SLSA_V02) != 0)) {
		rc = fail(err, "predicateType", type, "SLSA provenance v0.2 or v1");
		goto out;
	}
	builder = str_at(doc, v1 ? b1 : b02);
	if (s->builder_id.exact || s->builder_id.regexp) {
		const char *w = s->builder_id.exact;
		bool ok = false;

		if (builder != NULL && w != NULL) {
			/* an id without @ref accepts the builder at any ref (slsa-verifier) */
			size_t n = strlen(w);

			ok = strcmp(builder, w) == 0 || (strchr(w, '@') == NULL && strncmp(builder, w, n) == 0 && builder[n] == '@');
		} else if (builder != NULL) {
			al_identity_policy p = { NULL, s->builder_id.regexp, NULL, NULL, NULL, 0, false };
			al_err e;

			ok = al_identity_match(&p, al_bytes_str(builder), al_bytes_of(NULL, 0), &e) == AL_OK;
		}
		if (!ok) {
			snprintf(want, sizeof(want), "%s%s", w ? w : "a match of ", w ? "" : s->builder_id.regexp);
			rc = fail(err, "builder id", builder, want);
			goto out;
		}
	}
	if (v1) {
		const char *r = str_at(doc, wr1), *f = str_at(doc, wf1);
		const cJSON *deps = at(doc, (const char *const[]){ "predicate", "buildDefinition", "resolvedDependencies", NULL });

		if (r != NULL) {
			char dummy[1024];

			split_uri(r, repo, sizeof(repo), dummy, sizeof(dummy));
			snprintf(ref, sizeof(ref), "%s", f ? f : "");
			uri = r;
		} else if (cJSON_IsArray(deps) && cJSON_GetArraySize(deps) > 0) {
			const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(deps, 0), "uri");

			if (cJSON_IsString(u)) {
				uri = u->valuestring;
				split_uri(uri, repo, sizeof(repo), ref, sizeof(ref));
			}
		}
	} else {
		const cJSON *mats = at(doc, (const char *const[]){ "predicate", "materials", NULL });

		uri = str_at(doc, cs02);
		if (uri == NULL && cJSON_IsArray(mats) && cJSON_GetArraySize(mats) > 0) {
			const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(mats, 0), "uri");

			uri = cJSON_IsString(u) ? u->valuestring : NULL;
		}
		if (uri != NULL)
			split_uri(uri, repo, sizeof(repo), ref, sizeof(ref));
	}
	if (s->source_uri) {
		char wrepo[1024], wref[1024];

		split_uri(s->source_uri, wrepo, sizeof(wrepo), wref, sizeof(wref));
		if (uri == NULL || strcmp(repo, wrepo) != 0) {
			snprintf(want, sizeof(want), "%s", wrepo);
			rc = fail(err, "source repository", uri ? repo : NULL, want);
			goto out;
		}
	}
	if (s->source_tag) {
		snprintf(want, sizeof(want), "refs/tags/%s", s->source_tag);
		if (strcmp(ref, want) != 0) {
			rc = fail(err, "source ref", ref, want);
			goto out;
		}
	}
	if (s->source_branch) {
		const char *base = v1 ? NULL : str_at(doc, base02);

		snprintf(want, sizeof(want), "refs/heads/%s", s->source_branch);
		/* a tag pushed from a branch names the branch as the event's base_ref */
		if (strcmp(ref, want) != 0 && !(strncmp(ref, "refs/tags/", 10) == 0 && base && strcmp(base, want) == 0)) {
			rc = fail(err, "source branch", ref, want);
			goto out;
		}
	}
	if (s->source_versioned_tag) {
		long w[3], h[3];

		snprintf(want, sizeof(want), "a tag compatible with %s", s->source_versioned_tag);
		if (!semver(s->source_versioned_tag, w)) {
			rc = al_err_set(err, AL_E_USAGE, "source versioned tag '%.100s' is not vX[.Y[.Z]]",
					s->source_versioned_tag);
			goto out;
		}
		if (strncmp(ref, "refs/tags/", 10) != 0 || !semver(ref + 10, h) ||
		    h[0] != w[0] || (w[1] >= 0 && h[1] != w[1]) || (w[2] >= 0 && h[2] != w[2])) {
			rc = fail(err, "source ref", ref, want);
			goto out;
		}
	}
	if (s->build_type) {
		const char *bt = str_at(doc, v1 ? bt1 : bt02);

		if (bt == NULL || strcmp(bt, s->build_type) != 0) {
			rc = fail(err, "build type", bt, s->build_type);
			goto out;
		}
	}
	for (size_t i = 0; i < s->ninputs; i++) {
		const char *eq = strchr(s->inputs[i], '=');
		const cJSON *inputs = at(doc, v1 ? in1 : in02), *v;
		char key[256], have[512] = "";

		if ((size_t)(eq - s->inputs[i]) >= sizeof(key)) {
			rc = al_err_set(err, AL_E_VERIFY_POLICY, "SLSA workflow input name of %zu bytes: longer than "
					"airlock compares (%zu)", (size_t)(eq - s->inputs[i]), sizeof(key) - 1);
			goto out;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - s->inputs[i]), s->inputs[i]);
		v = cJSON_IsObject(inputs) ? cJSON_GetObjectItemCaseSensitive(inputs, key) : NULL;
		if (cJSON_IsString(v))
			snprintf(have, sizeof(have), "%s", v->valuestring);
		else if (cJSON_IsBool(v))
			snprintf(have, sizeof(have), "%s", cJSON_IsTrue(v) ? "true" : "false");
		else if (cJSON_IsNumber(v))
			snprintf(have, sizeof(have), "%g", v->valuedouble);
		/* strings whole; numbers and booleans as their text (short) */
		if (v == NULL || strcmp(cJSON_IsString(v) ? v->valuestring : have, eq + 1) != 0 ||
		    (!cJSON_IsString(v) && !cJSON_IsBool(v) && !cJSON_IsNumber(v))) {
			snprintf(want, sizeof(want), "\"%.400s\"", eq + 1);
			char field[300];

			snprintf(field, sizeof(field), "workflow input %s", key);
			rc = fail(err, field, v ? have : NULL, want);
			goto out;
		}
	}
out:
	cJSON_Delete(doc);
	return rc;
}
