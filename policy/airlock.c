/*
 * airlock.c — airlock's own policy file (docs/policy.md §2): rules that
 * scope images by glob, each with its authorities (k of n), required
 * attestations with SLSA provenance constraints, evidence (log entries,
 * signed timestamps, maximum age), a mode, and explicit relaxations. Every
 * object is read with the list of keys it takes, so an unknown key is an
 * error that names its path.
 */
#include <stdio.h>
#include <string.h>

#include "policy/internal.h"

static const char *
kpath(al_jpath *p, const char *path, const char *key)
{
	al_jpath_key(p, path, key);
	return p->s;
}

/* A string constraint: "text" (exact) or {"exact": ...} or {"regexp": ...}. */
static al_rc
read_strc(al_pctx *c, const al_json *obj, const char *path, const char *key, al_pol_str *out)
{
	static const char *const keys[] = { "exact", "regexp", NULL };
	const al_json *m = al_json_member(obj, key);
	al_jpath p;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if (m == NULL)
		return AL_OK;
	if (al_json_is_str(m))
		return al_pp_str(c, obj, path, key, 0, &out->exact);
	kpath(&p, path, key);
	if ((rc = al_pp_only(c, m, p.s, keys)) != AL_OK || (rc = al_pp_str(c, m, p.s, "exact", 0, &out->exact)) != AL_OK ||
	    (rc = al_pp_str(c, m, p.s, "regexp", 0, &out->regexp)) != AL_OK)
		return rc;
	if (!out->exact == !out->regexp)
		return al_pp_fail(c, p.s, "give exactly one of \"exact\" and \"regexp\"");
	if (out->regexp) {
		al_jpath q;

		return al_pp_regexp(c, kpath(&q, p.s, "regexp"), out->regexp);
	}
	return AL_OK;
}

/* PEM material: {"path": ...} or {"data": "-----BEGIN ..."}. */
static al_rc
read_pem_value(al_pctx *c, const al_json *m, const char *path, al_pol_pem *out)
{
	static const char *const keys[] = { "path", "data", NULL };
	const char *file = NULL;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = al_pp_only(c, m, path, keys)) != AL_OK || (rc = al_pp_str(c, m, path, "path", 0, &file)) != AL_OK ||
	    (rc = al_pp_str(c, m, path, "data", AL_MAX_PEM_FILE, &out->data)) != AL_OK)
		return rc;
	if (!file == !out->data)
		return al_pp_fail(c, path, "give exactly one of \"path\" and \"data\"");
	if (file && (out->path = al_pp_path(c, file)) == NULL)
		return AL_E_NOMEM;
	return AL_OK;
}

static al_rc
read_pem(al_pctx *c, const al_json *obj, const char *path, const char *key, al_pol_pem *out)
{
	const al_json *m;
	al_jpath p;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = al_pp_obj(c, obj, path, key, &m)) != AL_OK || m == NULL)
		return rc;
	return read_pem_value(c, m, kpath(&p, path, key), out);
}

static al_rc
read_keyless(al_pctx *c, const al_json *k, const char *path, al_pol_authority *a)
{
	static const char *const keys[] = { "identity", "issuer", "extensions", "caRoots", NULL };
	const al_json *ext;
	al_rc rc;

	a->kind = AL_PAUTH_KEYLESS;
	if ((rc = al_pp_only(c, k, path, keys)) != AL_OK || (rc = read_strc(c, k, path, "identity", &a->identity)) != AL_OK ||
	    (rc = read_strc(c, k, path, "issuer", &a->issuer)) != AL_OK ||
	    (rc = read_pem(c, k, path, "caRoots", &a->ca_roots)) != AL_OK || (rc = al_pp_obj(c, k, path, "extensions", &ext)) != AL_OK)
		return rc;
	if (!a->identity.exact && !a->identity.regexp)
		return al_pp_fail(c, path, "a keyless authority needs \"identity\" (the certificate's SAN)");
	if (!a->issuer.exact && !a->issuer.regexp)
		return al_pp_fail(c, path, "a keyless authority needs \"issuer\" (the OIDC issuer)");
	if (ext != NULL) {
		al_pol_ext *v = al_pp_alloc(c, AL_MAX_POLICY_EXTENSIONS, sizeof(*v));
		al_jpath ep;

		if (v == NULL)
			return AL_E_NOMEM;
		kpath(&ep, path, "extensions");
		for (const al_json *m = al_json_first(ext); m; m = al_json_next(m)) {
			const char *name = al_json_key(m);

			if (a->next == AL_MAX_POLICY_EXTENSIONS)
				return al_pp_fail(c, ep.s, "at most %u extensions", AL_MAX_POLICY_EXTENSIONS);
			if ((v[a->next].arc = al_fulcio_ext_arc(name)) == 0) {
				al_jpath q;

				return al_pp_fail(c, kpath(&q, ep.s, name),
						  "not a Fulcio certificate extension (sigstore-go's names: "
						  "githubWorkflowRepository, sourceRepositoryURI, buildSignerURI, ... "
						  "or the OID 1.3.6.1.4.1.57264.1.N)");
			}
			v[a->next].name = al_fulcio_ext_name(v[a->next].arc);
			if ((rc = read_strc(c, ext, ep.s, name, &v[a->next].value)) != AL_OK)
				return rc;
			a->next++;
		}
		a->ext = v;
	}
	return AL_OK;
}

static al_rc
read_pki(al_pctx *c, const al_json *k, const char *path, al_pol_authority *a)
{
	static const char *const keys[] = { "caRoots",	    "caIntermediates", "identity",   "issuer",
					    "subjectEmail", "subjectHostname", "subjectUri", NULL };
	al_rc rc;

	a->kind = AL_PAUTH_PKI;
	if ((rc = al_pp_only(c, k, path, keys)) != AL_OK || (rc = read_pem(c, k, path, "caRoots", &a->ca_roots)) != AL_OK ||
	    (rc = read_pem(c, k, path, "caIntermediates", &a->ca_intermediates)) != AL_OK ||
	    (rc = read_strc(c, k, path, "identity", &a->identity)) != AL_OK ||
	    (rc = read_strc(c, k, path, "issuer", &a->issuer)) != AL_OK ||
	    (rc = al_pp_str(c, k, path, "subjectEmail", 0, &a->subject_email)) != AL_OK ||
	    (rc = al_pp_str(c, k, path, "subjectHostname", 0, &a->subject_hostname)) != AL_OK ||
	    (rc = al_pp_str(c, k, path, "subjectUri", 0, &a->subject_uri)) != AL_OK)
		return rc;
	if (!a->ca_roots.path && !a->ca_roots.data)
		return al_pp_fail(c, path, "a pki authority needs \"caRoots\"");
	return AL_OK;
}

static al_rc
read_authority(al_pctx *c, const al_json *o, const char *path, size_t idx, al_pol_authority *a)
{
	static const char *const keys[] = { "name", "key", "keys", "keyless", "pki", NULL };
	const al_json *key, *ks, *kl, *pki;
	size_t kinds;
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK || (rc = al_pp_str(c, o, path, "name", 0, &a->name)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "key", &key)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "keys", AL_MAX_POLICY_KEYS, &ks)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "keyless", &kl)) != AL_OK || (rc = al_pp_obj(c, o, path, "pki", &pki)) != AL_OK)
		return rc;
	if (a->name == NULL && (a->name = al_arena_printf(&c->p->arena, c->err, "authorities[%zu]", idx)) == NULL)
		return AL_E_NOMEM;
	kinds = (key || ks) + !!kl + !!pki;
	if (kinds != 1 || (key && ks))
		return al_pp_fail(c, path, "an authority is exactly one of \"key\", \"keys\", \"keyless\" and \"pki\"");
	if (kl)
		return read_keyless(c, kl, kpath(&p, path, "keyless"), a);
	if (pki)
		return read_pki(c, pki, kpath(&p, path, "pki"), a);
	a->kind = AL_PAUTH_KEY;
	{
		al_pol_pem *v = al_pp_alloc(c, ks ? al_json_arr_len(ks) : 1, sizeof(*v));

		if (v == NULL)
			return AL_E_NOMEM;
		if (key) {
			if ((rc = read_pem_value(c, key, kpath(&p, path, "key"), &v[0])) != AL_OK)
				return rc;
			a->nkeys = 1;
		} else {
			kpath(&p, path, "keys");
			for (size_t i = 0; i < al_json_arr_len(ks); i++) {
				al_jpath q;

				al_jpath_idx(&q, p.s, i);
				if ((rc = read_pem_value(c, al_json_arr_at(ks, i), q.s, &v[i])) != AL_OK)
					return rc;
			}
			a->nkeys = al_json_arr_len(ks);
			if (a->nkeys == 0)
				return al_pp_fail(c, p.s, "names no key");
		}
		a->keys = v;
	}
	return AL_OK;
}

static al_rc
read_slsa(al_pctx *c, const al_json *o, const char *path, al_pol_slsa *s)
{
	static const char *const keys[] = { "builderId",	  "sourceUri", "sourceTag",	 "sourceBranch",
					    "sourceVersionedTag", "buildType", "workflowInputs", NULL };
	const al_json *in;
	al_rc rc;

	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK || (rc = read_strc(c, o, path, "builderId", &s->builder_id)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "sourceUri", 0, &s->source_uri)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "sourceTag", 0, &s->source_tag)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "sourceBranch", 0, &s->source_branch)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "sourceVersionedTag", 0, &s->source_versioned_tag)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "buildType", 0, &s->build_type)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "workflowInputs", &in)) != AL_OK)
		return rc;
	if ((s->source_tag != NULL) + (s->source_branch != NULL) + (s->source_versioned_tag != NULL) > 1)
		return al_pp_fail(c, path, "give at most one of sourceTag, sourceBranch and sourceVersionedTag");
	if (in != NULL) {
		const char **v = al_pp_alloc(c, AL_MAX_POLICY_INPUTS, sizeof(*v));
		al_jpath ip;

		if (v == NULL)
			return AL_E_NOMEM;
		kpath(&ip, path, "workflowInputs");
		for (const al_json *m = al_json_first(in); m; m = al_json_next(m)) {
			const char *val;

			if (s->ninputs == AL_MAX_POLICY_INPUTS)
				return al_pp_fail(c, ip.s, "at most %u inputs", AL_MAX_POLICY_INPUTS);
			if ((rc = al_pp_str(c, in, ip.s, al_json_key(m), 0, &val)) != AL_OK)
				return rc;
			if (strchr(al_json_key(m), '=') != NULL)
				return al_pp_fail(c, ip.s, "an input name cannot contain '='");
			if ((v[s->ninputs++] = al_arena_printf(&c->p->arena, c->err, "%s=%s", al_json_key(m), val)) == NULL)
				return AL_E_NOMEM;
		}
		s->inputs = v;
	}
	return AL_OK;
}

static al_rc
read_att(al_pctx *c, const al_json *o, const char *path, al_pol_att *t)
{
	static const char *const keys[] = { "predicateType", "slsa", NULL };
	const al_json *s;
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "predicateType", 0, &t->predicate_type)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "slsa", &s)) != AL_OK)
		return rc;
	if (t->predicate_type == NULL)
		return al_pp_fail(c, path, "an attestation requirement needs \"predicateType\"");
	if (s != NULL) {
		t->slsa = true;
		return read_slsa(c, s, kpath(&p, path, "slsa"), &t->s);
	}
	return AL_OK;
}

static al_rc
read_relax(al_pctx *c, const al_json *o, const char *path, unsigned *relax)
{
	const al_json *a;
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_arr(c, o, path, "relax", 8, &a)) != AL_OK || a == NULL)
		return rc;
	kpath(&p, path, "relax");
	for (size_t i = 0; i < al_json_arr_len(a); i++) {
		const char *name;
		unsigned bit;

		if ((rc = al_pp_str_at(c, a, p.s, i, 0, &name)) != AL_OK)
			return rc;
		for (bit = 1; bit <= AL_RELAX_ACCEPT; bit <<= 1)
			if (strcmp(name, al_relax_name(bit)) == 0)
				break;
		if (bit > AL_RELAX_ACCEPT) {
			al_jpath q;

			al_jpath_idx(&q, p.s, i);
			return al_pp_fail(c, q.s, "not a relaxation (insecure-ignore-tlog, insecure-ignore-sct, "
					  "insecure-accept-anything)");
		}
		*relax |= bit;
	}
	return AL_OK;
}

static al_rc
read_rule(al_pctx *c, const al_json *o, const char *path, bool is_default, size_t idx, al_pol_rule *r)
{
	static const char *const keys[] = { "name",	    "images",	    "action",	  "mode",
					    "authorities",  "threshold",    "attestations", "transparency",
					    "timestamps",   "maxAge",	    "relax",	  "scopes",
					    "paths",	    "transport",    "allOf",	  "signaturesOnly",
					    "signedIdentity", NULL };
	static const char *const tkeys[] = { "minEntries", "rekorKeys", "logs", NULL };
	static const char *const skeys[] = { "minCount", NULL };
	const al_json *images, *scopes, *paths, *auth, *att, *tl, *ts, *sid;
	const char *action = NULL, *mode = NULL, *age = NULL;
	uint64_t v;
	bool have;
	al_jpath p;
	al_rc rc;

	al_pol_rule_defaults(r);
	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK || (rc = al_pp_str(c, o, path, "name", 0, &r->name)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "images", AL_MAX_POLICY_PATTERNS, &images)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "scopes", AL_MAX_POLICY_PATTERNS, &scopes)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "paths", AL_MAX_POLICY_PATTERNS, &paths)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "transport", 0, &r->transport)) != AL_OK ||
	    (rc = al_pp_bool(c, o, path, "allOf", &r->all_of, NULL)) != AL_OK ||
	    (rc = al_pp_bool(c, o, path, "signaturesOnly", &r->signatures_only, NULL)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "signedIdentity", &sid)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "action", 0, &action)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "mode", 0, &mode)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "authorities", AL_MAX_POLICY_AUTHORITIES, &auth)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "attestations", AL_MAX_POLICY_ATTESTATIONS, &att)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "transparency", &tl)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "timestamps", &ts)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "maxAge", 0, &age)) != AL_OK || (rc = read_relax(c, o, path, &r->relax)) != AL_OK)
		return rc;
	if (r->name == NULL) {
		r->name = is_default ? "default" : al_arena_printf(&c->p->arena, c->err, "rules[%zu]", idx);
		if (r->name == NULL)
			return AL_E_NOMEM;
	}
	if (is_default) {
		if (images != NULL || scopes != NULL || paths != NULL)
			return al_pp_fail(c, path, "the default rule applies to every image; it takes no \"images\", "
					  "\"scopes\" or \"paths\"");
		r->scope = AL_PSCOPE_DEFAULT;
	} else {
		const al_json *list = images ? images : scopes ? scopes : paths;
		const char *key = images ? "images" : scopes ? "scopes" : "paths";
		const char **pat;

		if ((images != NULL) + (scopes != NULL) + (paths != NULL) != 1 || al_json_arr_len(list) == 0)
			return al_pp_fail(c, path, "a rule needs \"images\" (globs on image names; or containers-policy "
					  "\"scopes\" or \"paths\", one of them); use \"default\" for every other image");
		r->scope = images ? AL_PSCOPE_GLOB : scopes ? AL_PSCOPE_DOCKER : AL_PSCOPE_PATH;
		if ((r->scope == AL_PSCOPE_PATH) != (r->transport != NULL))
			return al_pp_fail(c, path, "\"paths\" and \"transport\" go together");
		r->npatterns = al_json_arr_len(list);
		if ((pat = al_pp_alloc(c, r->npatterns, sizeof(*pat))) == NULL)
			return AL_E_NOMEM;
		kpath(&p, path, key);
		for (size_t i = 0; i < r->npatterns; i++)
			if ((rc = al_pp_str_at(c, list, p.s, i, 0, &pat[i])) != AL_OK)
				return rc;
		r->patterns = pat;
	}
	if (sid != NULL) {
		static const char *const idkeys[] = { "type", "reference", "prefix", "signedPrefix", NULL };
		const char *type = NULL;
		bool known = false;

		kpath(&p, path, "signedIdentity");
		if ((rc = al_pp_only(c, sid, p.s, idkeys)) != AL_OK || (rc = al_pp_str(c, sid, p.s, "type", 0, &type)) != AL_OK ||
		    (rc = al_pp_str(c, sid, p.s, "reference", 0, &r->ident.reference)) != AL_OK ||
		    (rc = al_pp_str(c, sid, p.s, "prefix", 0, &r->ident.prefix)) != AL_OK ||
		    (rc = al_pp_str(c, sid, p.s, "signedPrefix", 0, &r->ident.signed_prefix)) != AL_OK)
			return rc;
		for (int t = AL_PID_MATCH_REPO_DIGEST_OR_EXACT; type && t <= AL_PID_REMAP && !known; t++)
			if (strcmp(type, al_pol_ident_name((al_pol_ident)t)) == 0) {
				r->ident.type = (al_pol_ident)t;
				known = true;
			}
		if (!known)
			return al_pp_fail(c, p.s, "\"type\" must be matchRepoDigestOrExact, matchRepository, matchExact, "
					  "exactReference, exactRepository or remapIdentity");
	}
	if (action == NULL || strcmp(action, "verify") == 0)
		r->action = AL_PACT_VERIFY;
	else if (strcmp(action, "reject") == 0)
		r->action = AL_PACT_REJECT;
	else if (strcmp(action, "accept") == 0)
		r->action = AL_PACT_ACCEPT;
	else
		return al_pp_fail(c, kpath(&p, path, "action"), "\"verify\", \"reject\" or \"accept\"");
	if (mode == NULL || strcmp(mode, "enforce") == 0)
		r->mode = AL_PMODE_ENFORCE;
	else if (strcmp(mode, "warn") == 0)
		r->mode = AL_PMODE_WARN;
	else
		return al_pp_fail(c, kpath(&p, path, "mode"), "\"enforce\" or \"warn\"");
	if (r->action != AL_PACT_VERIFY && (auth || att || tl || ts || age))
		return al_pp_fail(c, path, "a rule that does not verify takes no authorities, attestations or evidence");
	if (r->action == AL_PACT_ACCEPT && !(r->relax & AL_RELAX_ACCEPT))
		return al_pp_fail(c, kpath(&p, path, "action"),
				  "\"accept\" admits unsigned images: say so with \"relax\": [\"insecure-accept-anything\"]");
	if (r->action != AL_PACT_VERIFY)
		return AL_OK;
	if (auth == NULL || al_json_arr_len(auth) == 0)
		return al_pp_fail(c, path, "a rule that verifies needs \"authorities\" (who may sign)");
	{
		al_pol_authority *a = al_pp_alloc(c, al_json_arr_len(auth), sizeof(*a));

		if (a == NULL)
			return AL_E_NOMEM;
		kpath(&p, path, "authorities");
		for (size_t i = 0; i < al_json_arr_len(auth); i++) {
			al_jpath q;

			al_jpath_idx(&q, p.s, i);
			if ((rc = read_authority(c, al_json_arr_at(auth, i), q.s, i, &a[i])) != AL_OK)
				return rc;
		}
		r->auth = a;
		r->nauth = al_json_arr_len(auth);
	}
	if ((rc = al_pp_uint(c, o, path, "threshold", AL_MAX_POLICY_AUTHORITIES, &v, &have)) != AL_OK)
		return rc;
	if (have) {
		if (v < 1 || v > r->nauth)
			return al_pp_fail(c, kpath(&p, path, "threshold"), "%llu; it must be between 1 and the %zu "
					  "authorities listed", (unsigned long long)v, r->nauth);
		r->threshold = (size_t)v;
	}
	if (att != NULL) {
		al_pol_att *t = al_pp_alloc(c, al_json_arr_len(att), sizeof(*t));

		if (t == NULL)
			return AL_E_NOMEM;
		kpath(&p, path, "attestations");
		for (size_t i = 0; i < al_json_arr_len(att); i++) {
			al_jpath q;

			al_jpath_idx(&q, p.s, i);
			if ((rc = read_att(c, al_json_arr_at(att, i), q.s, &t[i])) != AL_OK)
				return rc;
		}
		r->att = t;
		r->natt = al_json_arr_len(att);
	}
	if (tl != NULL) {
		const al_json *keys_arr;

		kpath(&p, path, "transparency");
		if ((rc = al_pp_only(c, tl, p.s, tkeys)) != AL_OK ||
		    (rc = al_pp_uint(c, tl, p.s, "minEntries", AL_MAX_TLOG_ENTRIES, &v, &have)) != AL_OK ||
		    (rc = al_pp_arr(c, tl, p.s, "rekorKeys", AL_MAX_POLICY_KEYS, &keys_arr)) != AL_OK)
			return rc;
		if (have) {
			if (v == 0 && !(r->relax & AL_RELAX_TLOG)) {
				al_jpath q;

				return al_pp_fail(c, kpath(&q, p.s, "minEntries"),
						  "0 needs the relaxation: \"relax\": [\"insecure-ignore-tlog\"]");
			}
			r->tlog_min = (size_t)v;
		}
		{
			const al_json *logs;

			if ((rc = al_pp_arr(c, tl, p.s, "logs", AL_MAX_TRUST_ENTRIES, &logs)) != AL_OK)
				return rc;
			if (logs != NULL && al_json_arr_len(logs) > 0) {
				const char **names = al_pp_alloc(c, al_json_arr_len(logs), sizeof(*names));
				al_jpath q;

				if (names == NULL)
					return AL_E_NOMEM;
				kpath(&q, p.s, "logs");
				for (size_t i = 0; i < al_json_arr_len(logs); i++)
					if ((rc = al_pp_str_at(c, logs, q.s, i, 0, &names[i])) != AL_OK)
						return rc;
				r->tlog_logs = names;
				r->ntlog_logs = al_json_arr_len(logs);
			}
		}
		if (keys_arr != NULL) {
			al_pol_pem *k = al_pp_alloc(c, al_json_arr_len(keys_arr), sizeof(*k));
			al_jpath q;

			if (k == NULL)
				return AL_E_NOMEM;
			kpath(&q, p.s, "rekorKeys");
			for (size_t i = 0; i < al_json_arr_len(keys_arr); i++) {
				al_jpath e;

				al_jpath_idx(&e, q.s, i);
				if ((rc = read_pem_value(c, al_json_arr_at(keys_arr, i), e.s, &k[i])) != AL_OK)
					return rc;
			}
			r->tlog_keys = k;
			r->ntlog_keys = al_json_arr_len(keys_arr);
		}
	}
	if (r->relax & AL_RELAX_TLOG)
		r->tlog_min = 0;
	if (ts != NULL) {
		kpath(&p, path, "timestamps");
		if ((rc = al_pp_only(c, ts, p.s, skeys)) != AL_OK ||
		    (rc = al_pp_uint(c, ts, p.s, "minCount", AL_MAX_TIMESTAMPS, &v, &have)) != AL_OK)
			return rc;
		if (have)
			r->tsa_min = (size_t)v;
	}
	if (age != NULL) {
		al_err e;

		if (al_parse_duration(age, &r->max_age, &e) != AL_OK || r->max_age <= 0)
			return al_pp_fail(c, kpath(&p, path, "maxAge"), "%s", e.msg);
	}
	return AL_OK;
}

al_rc
al_policy_read_airlock(al_pctx *c, const al_json *doc)
{
	static const char *const keys[] = { "version", "rules", "default", NULL };
	const al_json *rules, *def;
	al_pol_rule *v;
	uint64_t version = 0;
	bool have;
	size_t n;
	al_rc rc;

	if ((rc = al_pp_only(c, doc, "", keys)) != AL_OK ||
	    (rc = al_pp_uint(c, doc, "", "version", 1000, &version, &have)) != AL_OK)
		return rc;
	if (version != 1)
		return al_pp_fail(c, "version", "%llu; this airlock reads version 1", (unsigned long long)version);
	if ((rc = al_pp_arr(c, doc, "", "rules", AL_MAX_POLICY_RULES - 1, &rules)) != AL_OK ||
	    (rc = al_pp_obj(c, doc, "", "default", &def)) != AL_OK)
		return rc;
	n = (rules ? al_json_arr_len(rules) : 0) + (def != NULL);
	if (n == 0)
		return al_pp_fail(c, NULL, "no rule and no default: every image would be rejected; give "
				  "\"rules\" or \"default\"");
	if ((v = al_pp_alloc(c, n, sizeof(*v))) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; rules && i < al_json_arr_len(rules); i++) {
		al_jpath p;

		al_jpath_idx(&p, "rules", i);
		if ((rc = read_rule(c, al_json_arr_at(rules, i), p.s, false, i, &v[i])) != AL_OK)
			return rc;
	}
	if (def != NULL && (rc = read_rule(c, def, "default", true, 0, &v[n - 1])) != AL_OK)
		return rc;
	c->p->rules = v;
	c->p->nrules = n;
	return AL_OK;
}
