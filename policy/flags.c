/*
 * flags.c — a policy stated on the command line, with the names the tools
 * operators already use: cosign's (--key, --certificate-identity,
 * --certificate-github-workflow-*, --type, --insecure-ignore-tlog, ...),
 * slsa-verifier's (--source-uri, --builder-id, ...) and gh attestation's
 * (--owner, --repo, --signer-workflow, ...). It becomes one default rule
 * with one authority, judged like a policy file's (docs/policy.md §5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "policy/internal.h"

#define GITHUB_ISSUER "https://token.actions.githubusercontent.com"
/* slsa-verifier's trusted builders: the SLSA GitHub generator's reusable
 * workflows, at a release tag */
#define SLSA_GENERATOR_RE                                                                                       \
	"https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/[A-Za-z0-9_.-]+\\.yml@"  \
	"refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+(-rc\\.[0-9]+)?"

const char *
al_predicate_type_for(const char *name)
{
	static const struct {
		const char *name, *uri;
	} types[] = {
		{ "slsaprovenance", AL_PT_SLSA_V02 },
		{ "slsaprovenance02", AL_PT_SLSA_V02 },
		{ "slsaprovenance1", AL_PT_SLSA_V1 },
		{ "link", "https://in-toto.io/Link/v1" },
		{ "spdx", "https://spdx.dev/Document" },
		{ "spdxjson", "https://spdx.dev/Document" },
		{ "cyclonedx", "https://cyclonedx.org/bom" },
		{ "vuln", "https://cosign.sigstore.dev/attestation/vuln/v1" },
		{ "openvex", "https://openvex.dev/ns" },
		{ "custom", "https://cosign.sigstore.dev/attestation/v1" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return types[i].uri;
	return name;
}

bool
al_pol_flags_any(const al_pol_flags *f)
{
	return f->nkeys || f->identity || f->identity_regexp || f->issuer || f->issuer_regexp || f->ca_roots ||
	       f->ca_intermediates || f->gh_workflow_repository || f->gh_workflow_ref || f->gh_workflow_sha ||
	       f->gh_workflow_name || f->gh_workflow_trigger || f->ntypes || f->ignore_tlog || f->ignore_sct ||
	       f->signed_timestamps || f->private_infrastructure || f->source_uri || f->source_tag ||
	       f->source_branch || f->source_versioned_tag || f->builder_id || f->ninputs || f->owner || f->repo ||
	       f->signer_workflow || f->signer_repo || f->deny_self_hosted;
}

/* A GitHub owner or owner/repo as gh accepts it, regexp-escaped into out. */
static al_rc
gh_name(al_pctx *c, const char *flag, const char *v, bool with_repo, char *out, size_t cap)
{
	size_t n = 0, slashes = 0;

	if (v[0] == '\0')
		return al_pp_fail(c, flag, "empty");
	for (const char *p = v; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
			  *p == '_' || *p == '.' || (*p == '/' && with_repo);

		if (!ok)
			return al_pp_fail(c, flag, "'%s' is not a GitHub %s", v, with_repo ? "owner/repository" : "owner");
		slashes += *p == '/';
		if (n + 3 >= cap)
			return al_pp_fail(c, flag, "too long");
		if (*p == '.')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n] = '\0';
	if (with_repo && slashes != 1)
		return al_pp_fail(c, flag, "'%s' is not owner/repository", v);
	return AL_OK;
}

static al_rc
add_ext(al_pctx *c, al_pol_ext *v, size_t *n, const char *name, const char *exact, const char *regexp)
{
	if (*n == AL_MAX_POLICY_EXTENSIONS)
		return al_pp_fail(c, name, "too many extension constraints");
	v[*n].arc = al_fulcio_ext_arc(name);
	v[*n].name = al_fulcio_ext_name(v[*n].arc);
	v[*n].value.exact = exact ? al_pp_dup(c, al_bytes_str(exact)) : NULL;
	v[*n].value.regexp = regexp ? al_pp_dup(c, al_bytes_str(regexp)) : NULL;
	(*n)++;
	return AL_OK;
}

static const char *
dup(al_pctx *c, const char *s)
{
	return s ? al_pp_dup(c, al_bytes_str(s)) : NULL;
}

static al_rc
build(al_pctx *c, const al_pol_flags *f)
{
	al_pol_rule *r = al_pp_alloc(c, 1, sizeof(*r));
	al_pol_authority *a = al_pp_alloc(c, 1, sizeof(*a));
	al_pol_ext *ext = al_pp_alloc(c, AL_MAX_POLICY_EXTENSIONS, sizeof(*ext));
	al_pol_att *att = al_pp_alloc(c, AL_MAX_POLICY_ATTESTATIONS, sizeof(*att));
	bool gh = f->owner || f->repo || f->signer_workflow || f->signer_repo || f->deny_self_hosted;
	bool slsa = f->source_uri || f->source_tag || f->source_branch || f->source_versioned_tag || f->builder_id ||
		    f->ninputs;
	bool keyless = f->identity || f->identity_regexp || f->issuer || f->issuer_regexp || gh || slsa ||
		       f->gh_workflow_repository || f->gh_workflow_ref || f->gh_workflow_sha || f->gh_workflow_name ||
		       f->gh_workflow_trigger;
	char re[600], name[300];
	al_rc rc;

	if (r == NULL || a == NULL || ext == NULL || att == NULL)
		return AL_E_NOMEM;
	al_pol_rule_defaults(r);
	r->name = "command line";
	r->scope = AL_PSCOPE_DEFAULT;
	r->auth = a;
	r->nauth = 1;
	a->name = "command line";
	if (f->nkeys && (keyless || f->ca_roots))
		return al_pp_fail(c, "--key", "give either --key or a certificate policy, not both");
	if (!f->nkeys && !keyless && !f->ca_roots)
		return al_pp_fail(c, NULL, "no policy: give --key, or --certificate-identity[-regexp] with "
				  "--certificate-oidc-issuer[-regexp] (or gh's --owner / --repo, or slsa-verifier's "
				  "--source-uri); 'airlock verify' also takes --ca-roots or --policy FILE (docs/policy.md)");
	if (f->ca_intermediates && !f->ca_roots)
		return al_pp_fail(c, "--ca-intermediates", "needs --ca-roots");
	if (f->nkeys) {
		al_pol_pem *k = al_pp_alloc(c, f->nkeys, sizeof(*k));

		if (k == NULL)
			return AL_E_NOMEM;
		if (f->nkeys > AL_MAX_POLICY_KEYS)
			return al_pp_fail(c, "--key", "at most %u keys", AL_MAX_POLICY_KEYS);
		for (size_t i = 0; i < f->nkeys; i++)
			k[i].path = dup(c, f->key_paths[i]);
		a->kind = AL_PAUTH_KEY;
		a->keys = k;
		a->nkeys = f->nkeys;
	} else if (f->ca_roots) {
		a->kind = AL_PAUTH_PKI;
		a->ca_roots.path = dup(c, f->ca_roots);
		a->ca_intermediates.path = dup(c, f->ca_intermediates);
		a->identity = (al_pol_str){ dup(c, f->identity), dup(c, f->identity_regexp) };
		a->issuer = (al_pol_str){ dup(c, f->issuer), dup(c, f->issuer_regexp) };
		if (gh || slsa)
			return al_pp_fail(c, "--ca-roots", "GitHub and SLSA flags name Fulcio identities, not a private PKI");
	} else {
		a->kind = AL_PAUTH_KEYLESS;
		a->identity = (al_pol_str){ dup(c, f->identity), dup(c, f->identity_regexp) };
		a->issuer = (al_pol_str){ dup(c, f->issuer), dup(c, f->issuer_regexp) };
	}
	if (f->identity && f->identity_regexp)
		return al_pp_fail(c, "--certificate-identity", "give either --certificate-identity or "
				  "--certificate-identity-regexp");
	if (f->issuer && f->issuer_regexp)
		return al_pp_fail(c, "--certificate-oidc-issuer", "give either --certificate-oidc-issuer or "
				  "--certificate-oidc-issuer-regexp");
	/* gh attestation verify: the signer is a workflow of the owner or
	 * repository, or the workflow or repository named, on GitHub Actions */
	if (gh) {
		if (!f->owner && !f->repo)
			return al_pp_fail(c, "--owner", "gh's flags need --owner or --repo");
		if (f->owner && f->repo)
			return al_pp_fail(c, "--owner", "give either --owner or --repo");
		if (!a->issuer.exact && !a->issuer.regexp)
			a->issuer.exact = GITHUB_ISSUER;
		if (f->repo) {
			if ((rc = gh_name(c, "--repo", f->repo, true, name, sizeof(name))) != AL_OK)
				return rc;
			snprintf(re, sizeof(re), "https://github.com/%s", f->repo);
			if ((rc = add_ext(c, ext, &a->next, "sourceRepositoryURI", re, NULL)) != AL_OK)
				return rc;
			snprintf(re, sizeof(re), "https://github\\.com/%s/.*", name);
		} else {
			if ((rc = gh_name(c, "--owner", f->owner, false, name, sizeof(name))) != AL_OK)
				return rc;
			snprintf(re, sizeof(re), "https://github.com/%s", f->owner);
			if ((rc = add_ext(c, ext, &a->next, "sourceRepositoryOwnerURI", re, NULL)) != AL_OK)
				return rc;
			snprintf(re, sizeof(re), "https://github\\.com/%s/.*", name);
		}
		if (f->signer_repo) {
			if ((rc = gh_name(c, "--signer-repo", f->signer_repo, true, name, sizeof(name))) != AL_OK)
				return rc;
			snprintf(re, sizeof(re), "https://github\\.com/%s/.*", name);
		} else if (f->signer_workflow) {
			/* "owner/repo/.github/workflows/x.yml" or with the host; any ref */
			const char *w = f->signer_workflow;

			if (strncmp(w, "https://", 8) == 0)
				w += 8;
			if (strncmp(w, "github.com/", 11) == 0)
				w += 11;
			{
				size_t n = 0;

				for (const char *p = w; *p; p++) {
					bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
						  (*p >= '0' && *p <= '9') || strchr("-_./", *p) != NULL;

					if (!ok || n + 3 >= sizeof(name))
						return al_pp_fail(c, "--signer-workflow", "'%s' is not "
								  "owner/repo/.github/workflows/file.yml", f->signer_workflow);
					if (*p == '.')
						name[n++] = '\\';
					name[n++] = *p;
				}
				name[n] = '\0';
			}
			snprintf(re, sizeof(re), "https://github\\.com/%s@.*", name);
		}
		if (a->identity.exact || a->identity.regexp)
			return al_pp_fail(c, "--certificate-identity", "gh's --owner/--repo/--signer-* state the "
					  "identity; do not give it twice");
		a->identity.regexp = dup(c, re);
		if (f->deny_self_hosted && (rc = add_ext(c, ext, &a->next, "runnerEnvironment", "github-hosted", NULL)) != AL_OK)
			return rc;
		/* gh verifies SLSA provenance v1 unless told another type */
		if (f->ntypes == 0) {
			att[r->natt].predicate_type = AL_PT_SLSA_V1;
			r->natt++;
		}
	}
	if (slsa) {
		al_pol_att *t = &att[r->natt++];

		if (!f->source_uri)
			return al_pp_fail(c, "--source-uri", "slsa-verifier's flags need --source-uri");
		if ((f->source_tag != NULL) + (f->source_branch != NULL) + (f->source_versioned_tag != NULL) > 1)
			return al_pp_fail(c, "--source-tag", "give at most one of --source-tag, --source-branch and "
					  "--source-versioned-tag");
		t->predicate_type = AL_PT_SLSA_ANY;
		t->slsa = true;
		t->s.source_uri = dup(c, f->source_uri);
		t->s.source_tag = dup(c, f->source_tag);
		t->s.source_branch = dup(c, f->source_branch);
		t->s.source_versioned_tag = dup(c, f->source_versioned_tag);
		t->s.builder_id.exact = dup(c, f->builder_id);
		if (f->ninputs) {
			const char **in = al_pp_alloc(c, f->ninputs, sizeof(*in));

			if (in == NULL)
				return AL_E_NOMEM;
			if (f->ninputs > AL_MAX_POLICY_INPUTS)
				return al_pp_fail(c, "--build-workflow-input", "at most %u", AL_MAX_POLICY_INPUTS);
			for (size_t i = 0; i < f->ninputs; i++) {
				if (strchr(f->build_inputs[i], '=') == NULL || f->build_inputs[i][0] == '=')
					return al_pp_fail(c, "--build-workflow-input", "'%s' is not key=value",
							  f->build_inputs[i]);
				in[i] = dup(c, f->build_inputs[i]);
			}
			t->s.inputs = in;
			t->s.ninputs = f->ninputs;
		}
		/* slsa-verifier trusts the SLSA generator's builders unless told
		 * which identity signs */
		if (!a->identity.exact && !a->identity.regexp)
			a->identity.regexp = SLSA_GENERATOR_RE;
		if (!a->issuer.exact && !a->issuer.regexp)
			a->issuer.exact = GITHUB_ISSUER;
	}
	for (size_t i = 0; i < f->ntypes; i++) {
		if (r->natt == AL_MAX_POLICY_ATTESTATIONS)
			return al_pp_fail(c, "--type", "at most %u", AL_MAX_POLICY_ATTESTATIONS);
		att[r->natt++].predicate_type = dup(c, al_predicate_type_for(f->types[i]));
	}
	{
		const struct {
			const char *flag, *ext, *v;
		} wf[] = {
			{ "--certificate-github-workflow-repository", "githubWorkflowRepository", f->gh_workflow_repository },
			{ "--certificate-github-workflow-ref", "githubWorkflowRef", f->gh_workflow_ref },
			{ "--certificate-github-workflow-sha", "githubWorkflowSHA", f->gh_workflow_sha },
			{ "--certificate-github-workflow-name", "githubWorkflowName", f->gh_workflow_name },
			{ "--certificate-github-workflow-trigger", "githubWorkflowTrigger", f->gh_workflow_trigger },
		};

		for (size_t i = 0; i < AL_ARRAY_LEN(wf); i++) {
			if (wf[i].v == NULL)
				continue;
			if (a->kind != AL_PAUTH_KEYLESS)
				return al_pp_fail(c, wf[i].flag, "is a keyless (Fulcio certificate) constraint");
			if ((rc = add_ext(c, ext, &a->next, wf[i].ext, wf[i].v, NULL)) != AL_OK)
				return rc;
		}
	}
	if (a->kind == AL_PAUTH_KEYLESS && (!a->identity.exact && !a->identity.regexp))
		return al_pp_fail(c, "--certificate-identity", "keyless verification needs --certificate-identity or "
				  "--certificate-identity-regexp");
	if (a->kind == AL_PAUTH_KEYLESS && (!a->issuer.exact && !a->issuer.regexp))
		return al_pp_fail(c, "--certificate-oidc-issuer", "keyless verification needs --certificate-oidc-issuer "
				  "or --certificate-oidc-issuer-regexp");
	if (a->next)
		a->ext = ext;
	if (r->natt)
		r->att = att;
	/* cosign: --private-infrastructure skips the log as --insecure-ignore-tlog does */
	if (f->ignore_tlog || f->private_infrastructure) {
		r->relax |= AL_RELAX_TLOG;
		r->tlog_min = 0;
	}
	if (f->ignore_sct)
		r->relax |= AL_RELAX_SCT;
	if (f->signed_timestamps)
		r->tsa_min = 1;
	if (a->identity.regexp && (rc = al_pp_regexp(c, "--certificate-identity-regexp", a->identity.regexp)) != AL_OK)
		return rc;
	if (a->issuer.regexp && (rc = al_pp_regexp(c, "--certificate-oidc-issuer-regexp", a->issuer.regexp)) != AL_OK)
		return rc;
	c->p->rules = r;
	c->p->nrules = 1;
	return AL_OK;
}

al_rc
al_policy_from_flags(const al_pol_flags *f, al_policy **out, al_err *err)
{
	al_policy *p = calloc(1, sizeof(*p));
	al_pctx c = { p, "command line", NULL, err };
	al_buf canon = { 0 };
	al_rc rc;

	*out = NULL;
	if (p == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	p->source = "command line";
	p->format = "command line";
	if ((rc = build(&c, f)) == AL_OK && (rc = al_policy_validate(p, err)) == AL_OK &&
	    (rc = al_policy_canonical(p, &canon, err)) == AL_OK)
		al_sha256(al_buf_bytes(&canon), p->sha256);
	al_buf_free(&canon);
	if (rc != AL_OK) {
		al_policy_free(p);
		return rc;
	}
	*out = p;
	return AL_OK;
}
