/*
 * cip.c — a Sigstore policy-controller ClusterImagePolicy
 * (policy.sigstore.dev/v1beta1 or v1alpha1), written as JSON, read into one
 * rule (docs/policy.md).
 *
 * Semantics, as policy-controller admits an image:
 *  - spec.images globs scope the rule; images no glob matches have no rule
 *    and are refused (policy-controller's no-match behaviour is a cluster
 *    setting; offline, the strict one). Globs are normalised to airlock's
 *    names: "index.docker.io/..." is "docker.io/...", and a Docker Hub short
 *    name gets its "docker.io/" (and "library/") as policy-controller
 *    resolves it.
 *  - any ONE authority that verifies admits the image (policy-controller:
 *    "we just need one authority to pass checks"; requiring more is the job
 *    of a CIP-level CUE/Rego policy, which airlock refuses): threshold 1 of n.
 *    A keyless authority with several identities accepts any of them, so
 *    each identity becomes an authority of its own, which one of n keeps
 *    exact.
 *  - static: "pass" admits everything (one passing authority is enough):
 *    the rule accepts, under the relaxation insecure-accept-anything;
 *    "fail" never passes, so it adds nothing beside other authorities and,
 *    alone, makes the rule reject.
 *  - attestations listed under an authority are what that authority must
 *    have signed, and then its signatures are not looked at: they become the
 *    rule's attestations, met by attestations as well as signatures. The
 *    model has one list per rule, so attestations are taken only when one
 *    authority signs (several authorities with attestations are refused).
 *  - evidence: a log entry per signature unless the authority's ctlog is
 *    {} (insecure-ignore-tlog); an RFC 3161 timestamp when rfc3161timestamp
 *    is given; an SCT on Fulcio certificates unless insecureIgnoreSCT
 *    (insecure-ignore-sct). These are per rule in the model: the authorities
 *    of one policy must agree on them.
 *
 * Offline, so: keyless.url, ctlog.url, ctlog.trustRootRef and
 * rfc3161timestamp.trustRootRef are accepted, and airlock's trusted root
 * stands in for the services they name (a private instance then fails,
 * never passes); authority source and signatureFormat, spec.match and
 * metadata other than name are not about what is signed and are not used.
 * Refused: KMS keys, Kubernetes Secrets and TrustRoot resources (nothing to
 * read them from), CUE/Rego policies (not evaluated), identities without
 * issuer or subject (policy-controller only warns; airlock does not accept
 * every signer of a Fulcio instance), and a List of policies.
 *
 * Regular expressions (issuerRegExp, subjectRegExp) are matched anchored,
 * as airlock matches every regexp; policy-controller's are unanchored, so
 * an expression meant as a substring must say ".*" itself.
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

static bool
is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

/* ---------------------------------------------------------------- globs */

/* spec.images[].glob: policy-controller's characters, and the name
 * airlock's image names are written in. */
static al_rc
read_glob(al_pctx *c, const char *path, const char *g, const char **out)
{
	const char *slash, *first_end;
	size_t n = strlen(g);

	if (n == 0)
		return al_pp_fail(c, path, "an empty glob");
	for (size_t i = 0; i < n; i++) {
		char ch = g[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_' || ch == ':' || ch == '/' || ch == '*' || ch == '.'))
			return al_pp_fail(c, path, "a glob has letters, digits and - _ : / * . only (as "
					  "policy-controller requires)");
	}
	/* policy-controller's own rewrites of its shortest globs */
	if (strcmp(g, "*") == 0)
		g = "docker.io/library/*";
	else if (strcmp(g, "*/*") == 0)
		g = "docker.io/*/*";
	slash = strchr(g, '/');
	first_end = slash ? slash : g + strlen(g);
	if (strncmp(g, "index.docker.io/", 16) == 0)
		*out = al_arena_printf(&c->p->arena, c->err, "docker.io/%s", g + 16);
	else if (memchr(g, '*', (size_t)(first_end - g)) || memchr(g, '.', (size_t)(first_end - g)) ||
		 memchr(g, ':', (size_t)(first_end - g)) || (first_end - g == 9 && strncmp(g, "localhost", 9) == 0))
		*out = al_pp_dup(c, al_bytes_str(g));
	else
		*out = al_arena_printf(&c->p->arena, c->err, "docker.io/%s%s", slash ? "" : "library/", g);
	if (*out == NULL)
		return AL_E_NOMEM;
	/* a pattern airlock's own reader takes back (the canonical form) */
	if (strlen(*out) > AL_MAX_POLICY_STRING)
		return al_pp_fail(c, path, "%zu bytes; at most %u are accepted", n, AL_MAX_POLICY_STRING - 18);
	return AL_OK;
}

/* ---------------------------------------------------------------- predicate types */

/* policy-controller takes cosign's short names (al_predicate_type_for) or a
 * URI with a scheme; anything else is refused. */
static const char *
predicate_uri(const char *t)
{
	const char *uri = al_predicate_type_for(t);

	if (uri != t)
		return uri;
	return strstr(t, "://") != NULL && t[0] != ':' ? t : NULL;
}

static al_rc
no_cue(al_pctx *c, const char *path)
{
	return al_pp_fail(c, path, "CUE/Rego attestation policies are not evaluated by airlock; remove the policy or "
			  "express it in airlock's own format (docs/policy.md)");
}

/* ---------------------------------------------------------------- authorities */

/* One authority of the CIP as read, before identities are split. */
typedef struct cip_auth {
	const char *path;
	const char *name;
	bool is_static, pass;           /* static: pass or fail */
	al_pol_authority a;             /* KEY or KEYLESS, identity unset */
	const al_json *identities;      /* KEYLESS */
	bool tlog_off, tsa, sct_off;
	al_pol_att *att;
	size_t natt;
} cip_auth;

/* A KeyRef ({data | kms | secretRef}): its PEM text. */
static al_rc
read_keyref(al_pctx *c, const al_json *o, const char *path, bool hash_ok, const char **data)
{
	static const char *const keys[] = { "data", "kms", "secretRef", "hashAlgorithm", NULL };
	static const char *const keys_nohash[] = { "data", "kms", "secretRef", NULL };
	const char *hash = NULL, *kms = NULL;
	const al_json *secret;
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_only(c, o, path, hash_ok ? keys : keys_nohash)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "data", AL_MAX_PEM_FILE, data)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "kms", 0, &kms)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "secretRef", &secret)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "hashAlgorithm", 0, &hash)) != AL_OK)
		return rc;
	if ((*data != NULL && (*data)[0] != '\0') + (kms != NULL) + (secret != NULL) != 1)
		return al_pp_fail(c, path, "give exactly one of \"data\", \"kms\" and \"secretRef\"");
	if (kms != NULL)
		return al_pp_fail(c, kpath(&p, path, "kms"), "a KMS key needs the network and airlock verifies "
				  "offline: export the public key and give it as \"data\"");
	if (secret != NULL)
		return al_pp_fail(c, kpath(&p, path, "secretRef"), "a Kubernetes Secret is nothing airlock can read: "
				  "give the public key as \"data\"");
	if (hash != NULL && strcmp(hash, "sha256") != 0)
		return al_pp_fail(c, kpath(&p, path, "hashAlgorithm"), "\"%s\": airlock verifies key signatures over "
				  "SHA-256 digests only (the default)", hash);
	return AL_OK;
}

static al_rc read_identity(al_pctx *c, const al_json *o, const char *path, al_pol_authority *a);

static al_rc
read_keyless(al_pctx *c, const al_json *o, const char *path, cip_auth *ca)
{
	static const char *const keys[] = { "url", "identities", "ca-cert", "trustRootRef", "insecureIgnoreSCT", NULL };
	const al_json *cacert, *trust = al_json_member(o, "trustRootRef");
	const char *url = NULL;
	bool ignore_sct = false;
	al_jpath p;
	al_rc rc;

	ca->a.kind = AL_PAUTH_KEYLESS;
	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK)
		return rc;
	if (trust != NULL)
		return al_pp_fail(c, kpath(&p, path, "trustRootRef"), "a TrustRoot resource is nothing airlock can "
				  "read: give the Fulcio CA as \"ca-cert\", or \"url\" to use airlock's trusted root");
	if ((rc = al_pp_str(c, o, path, "url", 0, &url)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "ca-cert", &cacert)) != AL_OK ||
	    (rc = al_pp_bool(c, o, path, "insecureIgnoreSCT", &ignore_sct, NULL)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "identities", AL_MAX_POLICY_AUTHORITIES, &ca->identities)) != AL_OK)
		return rc;
	if ((url != NULL) == (cacert != NULL))
		return al_pp_fail(c, path, "give exactly one of \"url\" (the Fulcio instance; offline, airlock's "
				  "trusted root stands in for it) and \"ca-cert\"");
	if (cacert != NULL && (rc = read_keyref(c, cacert, kpath(&p, path, "ca-cert"), false, &ca->a.ca_roots.data)) != AL_OK)
		return rc;
	if (ca->identities == NULL || al_json_arr_len(ca->identities) == 0)
		return al_pp_fail(c, path, "needs \"identities\": airlock does not accept every signer a Fulcio "
				  "instance certifies");
	/* read now, so a misspelt identity is refused even where the rule
	 * ends up not verifying (a static pass beside it) */
	kpath(&p, path, "identities");
	for (size_t i = 0; i < al_json_arr_len(ca->identities); i++) {
		al_pol_authority scratch = ca->a;
		al_jpath q;

		al_jpath_idx(&q, p.s, i);
		if ((rc = read_identity(c, al_json_arr_at(ca->identities, i), q.s, &scratch)) != AL_OK)
			return rc;
	}
	ca->sct_off = ignore_sct;
	return AL_OK;
}

/* identities[i] into a (a copy of the authority's other fields). */
static al_rc
read_identity(al_pctx *c, const al_json *o, const char *path, al_pol_authority *a)
{
	static const char *const keys[] = { "issuer", "subject", "issuerRegExp", "subjectRegExp", NULL };
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "issuer", 0, &a->issuer.exact)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "subject", 0, &a->identity.exact)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "issuerRegExp", 0, &a->issuer.regexp)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "subjectRegExp", 0, &a->identity.regexp)) != AL_OK)
		return rc;
	if (a->issuer.exact && a->issuer.regexp)
		return al_pp_fail(c, path, "give one of \"issuer\" and \"issuerRegExp\", not both");
	if (a->identity.exact && a->identity.regexp)
		return al_pp_fail(c, path, "give one of \"subject\" and \"subjectRegExp\", not both");
	if (!a->issuer.exact && !a->issuer.regexp)
		return al_pp_fail(c, path, "needs \"issuer\" or \"issuerRegExp\" (the OIDC issuer): without one "
				  "policy-controller accepts any issuer, airlock does not");
	if (!a->identity.exact && !a->identity.regexp)
		return al_pp_fail(c, path, "needs \"subject\" or \"subjectRegExp\" (the certificate's SAN): without one "
				  "policy-controller accepts any signer, airlock does not");
	if ((a->issuer.regexp && (rc = al_pp_regexp(c, kpath(&p, path, "issuerRegExp"), a->issuer.regexp)) != AL_OK) ||
	    (a->identity.regexp && (rc = al_pp_regexp(c, kpath(&p, path, "subjectRegExp"), a->identity.regexp)) != AL_OK))
		return rc;
	return AL_OK;
}

static al_rc
read_attestations(al_pctx *c, const al_json *arr, const char *path, cip_auth *ca)
{
	static const char *const keys[] = { "name", "predicateType", "policy", NULL };
	size_t n = al_json_arr_len(arr);
	al_rc rc;

	if ((ca->att = al_pp_alloc(c, n, sizeof(*ca->att))) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const al_json *o = al_json_arr_at(arr, i);
		const char *name = NULL, *type = NULL;
		al_jpath p, q;

		al_jpath_idx(&p, path, i);
		if ((rc = al_pp_only(c, o, p.s, keys)) != AL_OK)
			return rc;
		if (al_json_member(o, "policy") != NULL)
			return no_cue(c, kpath(&q, p.s, "policy"));
		if ((rc = al_pp_str(c, o, p.s, "name", 0, &name)) != AL_OK ||
		    (rc = al_pp_str(c, o, p.s, "predicateType", 0, &type)) != AL_OK)
			return rc;
		if (name == NULL || name[0] == '\0')
			return al_pp_fail(c, p.s, "needs \"name\" (policy-controller requires one)");
		if (type == NULL)
			return al_pp_fail(c, p.s, "needs \"predicateType\"");
		if ((ca->att[i].predicate_type = predicate_uri(type)) == NULL)
			return al_pp_fail(c, kpath(&q, p.s, "predicateType"), "\"%s\" is neither a predicate type "
					  "policy-controller names (custom, slsaprovenance, slsaprovenance02, "
					  "slsaprovenance1, spdx, spdxjson, cyclonedx, link, vuln, openvex) nor a URI", type);
	}
	ca->natt = n;
	return AL_OK;
}

/* Members read only so that a misspelt key is still refused. */
static al_rc
read_sources(al_pctx *c, const al_json *o, const char *path)
{
	static const char *const keys[] = { "oci", "signaturePullSecrets", "tagPrefix", NULL };
	const al_json *arr;
	al_jpath p;
	al_rc rc;

	if ((rc = al_pp_arr(c, o, path, "source", AL_MAX_POLICY_PATTERNS, &arr)) != AL_OK || arr == NULL)
		return rc;
	kpath(&p, path, "source");
	for (size_t i = 0; i < al_json_arr_len(arr); i++) {
		al_jpath q;

		al_jpath_idx(&q, p.s, i);
		if ((rc = al_pp_only(c, al_json_arr_at(arr, i), q.s, keys)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
read_authority(al_pctx *c, const al_json *o, const char *path, size_t idx, cip_auth *ca)
{
	static const char *const keys[] = { "name",   "key",	      "keyless",	  "static",	    "source",
					    "ctlog",  "attestations", "rfc3161timestamp", "signatureFormat", NULL };
	static const char *const k_static[] = { "action", "message", NULL };
	static const char *const k_ctlog[] = { "url", "trustRootRef", NULL };
	static const char *const k_tsa[] = { "trustRootRef", NULL };
	const al_json *key, *keyless, *st, *ctlog, *tsa, *att;
	const char *format = NULL;
	al_jpath p;
	al_rc rc;

	ca->path = path;
	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK || (rc = al_pp_str(c, o, path, "name", 0, &ca->name)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "key", &key)) != AL_OK || (rc = al_pp_obj(c, o, path, "keyless", &keyless)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "static", &st)) != AL_OK || (rc = al_pp_obj(c, o, path, "ctlog", &ctlog)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "rfc3161timestamp", &tsa)) != AL_OK ||
	    (rc = al_pp_arr(c, o, path, "attestations", AL_MAX_POLICY_ATTESTATIONS, &att)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "signatureFormat", 0, &format)) != AL_OK || (rc = read_sources(c, o, path)) != AL_OK)
		return rc;
	/* policy-controller's default name */
	if ((ca->name == NULL || ca->name[0] == '\0') &&
	    (ca->name = al_arena_printf(&c->p->arena, c->err, "authority-%zu", idx)) == NULL)
		return AL_E_NOMEM;
	/* room for ".identities[N]": names airlock's own reader takes back */
	if (strlen(ca->name) > AL_MAX_POLICY_STRING - 32)
		return al_pp_fail(c, kpath(&p, path, "name"), "%zu bytes; at most %u are accepted", strlen(ca->name),
				  AL_MAX_POLICY_STRING - 32);
	if ((key != NULL) + (keyless != NULL) + (st != NULL) != 1)
		return al_pp_fail(c, path, "an authority is exactly one of \"key\", \"keyless\" and \"static\"");
	if (format != NULL && !is(format, "legacy") && !is(format, "bundle"))
		return al_pp_fail(c, kpath(&p, path, "signatureFormat"), "\"legacy\" or \"bundle\"");
	if (st != NULL) {
		const char *action = NULL, *msg = NULL;

		kpath(&p, path, "static");
		if ((rc = al_pp_only(c, st, p.s, k_static)) != AL_OK ||
		    (rc = al_pp_str(c, st, p.s, "action", 0, &action)) != AL_OK ||
		    (rc = al_pp_str(c, st, p.s, "message", 0, &msg)) != AL_OK)
			return rc;
		if (!is(action, "pass") && !is(action, "fail")) {
			al_jpath q;

			return al_pp_fail(c, kpath(&q, p.s, "action"), "\"pass\" or \"fail\"");
		}
		if (att != NULL || ctlog != NULL || al_json_member(o, "source") != NULL)
			return al_pp_fail(c, path, "a static authority takes no attestations, source or ctlog (as "
					  "policy-controller requires)");
		ca->is_static = true;
		ca->pass = is(action, "pass");
		return AL_OK;
	}
	if (key != NULL) {
		al_pol_pem *k = al_pp_alloc(c, 1, sizeof(*k));

		if (k == NULL)
			return AL_E_NOMEM;
		ca->a.kind = AL_PAUTH_KEY;
		if ((rc = read_keyref(c, key, kpath(&p, path, "key"), true, &k->data)) != AL_OK)
			return rc;
		ca->a.keys = k;
		ca->a.nkeys = 1;
	} else if ((rc = read_keyless(c, keyless, kpath(&p, path, "keyless"), ca)) != AL_OK) {
		return rc;
	}
	if (ctlog != NULL) {
		const char *url = NULL, *trust = NULL;

		kpath(&p, path, "ctlog");
		if ((rc = al_pp_only(c, ctlog, p.s, k_ctlog)) != AL_OK || (rc = al_pp_str(c, ctlog, p.s, "url", 0, &url)) != AL_OK ||
		    (rc = al_pp_str(c, ctlog, p.s, "trustRootRef", 0, &trust)) != AL_OK)
			return rc;
		/* policy-controller: ctlog without either turns log verification off */
		ca->tlog_off = url == NULL && trust == NULL;
	}
	if (tsa != NULL) {
		const char *trust = NULL;

		kpath(&p, path, "rfc3161timestamp");
		if ((rc = al_pp_only(c, tsa, p.s, k_tsa)) != AL_OK ||
		    (rc = al_pp_str(c, tsa, p.s, "trustRootRef", 0, &trust)) != AL_OK)
			return rc;
		ca->tsa = true;
	}
	if (att != NULL && (rc = read_attestations(c, att, kpath(&p, path, "attestations"), ca)) != AL_OK)
		return rc;
	return AL_OK;
}

/* ---------------------------------------------------------------- the rule */

static al_rc
read_spec_rule(al_pctx *c, const al_json *spec, const char *name, al_pol_rule *r)
{
	static const char *const keys[] = { "images", "authorities", "policy", "mode", "match", NULL };
	static const char *const k_image[] = { "glob", NULL };
	static const char *const k_match[] = { "group", "version", "resource", "selector", NULL };
	const al_json *images, *auth, *match;
	const char *mode = NULL, **pat;
	cip_auth *ca;
	const cip_auth *first = NULL;
	al_pol_authority *v;
	size_t n, nsign = 0, total = 0;
	bool pass = false;
	al_rc rc;

	al_pol_rule_defaults(r);
	r->name = name;
	r->scope = AL_PSCOPE_GLOB;
	if ((rc = al_pp_only(c, spec, "spec", keys)) != AL_OK)
		return rc;
	if (al_json_member(spec, "policy") != NULL)
		return no_cue(c, "spec.policy");
	if ((rc = al_pp_arr(c, spec, "spec", "images", AL_MAX_POLICY_PATTERNS, &images)) != AL_OK ||
	    (rc = al_pp_arr(c, spec, "spec", "authorities", AL_MAX_POLICY_AUTHORITIES, &auth)) != AL_OK ||
	    (rc = al_pp_arr(c, spec, "spec", "match", AL_MAX_POLICY_PATTERNS, &match)) != AL_OK ||
	    (rc = al_pp_str(c, spec, "spec", "mode", 0, &mode)) != AL_OK)
		return rc;
	if (mode == NULL || is(mode, "enforce"))
		r->mode = AL_PMODE_ENFORCE;
	else if (is(mode, "warn"))
		r->mode = AL_PMODE_WARN;
	else
		return al_pp_fail(c, "spec.mode", "\"enforce\" or \"warn\"");
	for (size_t i = 0; match && i < al_json_arr_len(match); i++) {
		al_jpath p;

		al_jpath_idx(&p, "spec.match", i);
		if ((rc = al_pp_only(c, al_json_arr_at(match, i), p.s, k_match)) != AL_OK)
			return rc;
	}
	if (images == NULL || (n = al_json_arr_len(images)) == 0)
		return al_pp_fail(c, "spec", "needs \"images\" (globs of the image names the policy covers)");
	if ((pat = al_pp_alloc(c, n, sizeof(*pat))) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *g = NULL;
		al_jpath p, q;

		al_jpath_idx(&p, "spec.images", i);
		if ((rc = al_pp_only(c, al_json_arr_at(images, i), p.s, k_image)) != AL_OK ||
		    (rc = al_pp_str(c, al_json_arr_at(images, i), p.s, "glob", 0, &g)) != AL_OK)
			return rc;
		if (g == NULL)
			return al_pp_fail(c, p.s, "needs \"glob\"");
		if ((rc = read_glob(c, kpath(&q, p.s, "glob"), g, &pat[i])) != AL_OK)
			return rc;
	}
	r->patterns = pat;
	r->npatterns = n;

	if (auth == NULL || (n = al_json_arr_len(auth)) == 0)
		return al_pp_fail(c, "spec", "needs \"authorities\" (who may sign)");
	if ((ca = al_pp_alloc(c, n, sizeof(*ca))) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		al_jpath p;
		const char *path;

		al_jpath_idx(&p, "spec.authorities", i);
		if ((path = al_pp_dup(c, al_bytes_str(p.s))) == NULL)
			return AL_E_NOMEM;
		if ((rc = read_authority(c, al_json_arr_at(auth, i), path, i, &ca[i])) != AL_OK)
			return rc;
		if (ca[i].is_static) {
			pass |= ca[i].pass;
			continue;
		}
		total += ca[i].a.kind == AL_PAUTH_KEYLESS ? al_json_arr_len(ca[i].identities) : 1;
		if (first == NULL) {
			first = &ca[i];
		} else if (ca[i].tlog_off != first->tlog_off || ca[i].tsa != first->tsa) {
			return al_pp_fail(c, path, "states other transparency-log or timestamp requirements (ctlog, "
					  "rfc3161timestamp) than %s; airlock keeps one set per policy, so its "
					  "authorities must agree", first->path);
		}
		nsign++;
	}
	/* a passing authority admits every image, whatever the others say */
	if (pass) {
		r->action = AL_PACT_ACCEPT;
		r->relax |= AL_RELAX_ACCEPT;
		return AL_OK;
	}
	if (nsign == 0) {
		r->action = AL_PACT_REJECT;
		return AL_OK;
	}
	if (total > AL_MAX_POLICY_AUTHORITIES)
		return al_pp_fail(c, "spec.authorities", "%zu authorities and identities; at most %u are accepted", total,
				  AL_MAX_POLICY_AUTHORITIES);
	if ((v = al_pp_alloc(c, total, sizeof(*v))) == NULL)
		return AL_E_NOMEM;
	r->action = AL_PACT_VERIFY;
	r->auth = v;
	r->threshold = 1;
	r->all_of = false;
	r->signatures_only = true;
	r->tlog_min = first->tlog_off ? 0 : 1;
	r->relax |= first->tlog_off ? AL_RELAX_TLOG : 0;
	r->tsa_min = first->tsa ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		const cip_auth *x = &ca[i];
		size_t nid;
		al_jpath p;

		if (x->is_static)
			continue;
		if (x->natt > 0) {
			if (nsign > 1)
				return al_pp_fail(c, x->path, "attestations under one of several authorities: airlock "
						  "requires a policy's attestations of all its signers, so list them in a "
						  "policy with one signing authority");
			r->att = x->att;
			r->natt = x->natt;
			r->signatures_only = false;
		}
		if (x->a.kind == AL_PAUTH_KEY) {
			v[r->nauth] = x->a;
			v[r->nauth++].name = x->name;
			continue;
		}
		if (x->sct_off)
			r->relax |= AL_RELAX_SCT;
		kpath(&p, x->path, "keyless.identities");
		nid = al_json_arr_len(x->identities);
		for (size_t k = 0; k < nid; k++) {
			al_pol_authority *a = &v[r->nauth];
			al_jpath q;

			al_jpath_idx(&q, p.s, k);
			*a = x->a;
			if ((rc = read_identity(c, al_json_arr_at(x->identities, k), q.s, a)) != AL_OK)
				return rc;
			a->name = nid == 1 ? x->name :
					     al_arena_printf(&c->p->arena, c->err, "%s.identities[%zu]", x->name, k);
			if (a->name == NULL)
				return AL_E_NOMEM;
			r->nauth++;
		}
	}
	/* the SCT relaxation is per rule: keyless authorities must agree on it */
	for (size_t i = 0; i < n; i++)
		if (!ca[i].is_static && ca[i].a.kind == AL_PAUTH_KEYLESS &&
		    ca[i].sct_off != ((r->relax & AL_RELAX_SCT) != 0))
			return al_pp_fail(c, ca[i].path, "keyless authorities of one policy must agree on "
					  "insecureIgnoreSCT: airlock keeps one SCT requirement per policy");
	return AL_OK;
}

al_rc
al_policy_read_cip(al_pctx *c, const al_json *doc)
{
	static const char *const keys[] = { "apiVersion", "kind", "metadata", "spec", "status", NULL };
	const char *api = NULL, *kind = NULL, *name = NULL;
	const al_json *meta, *spec;
	al_pol_rule *r;
	al_rc rc;

	if ((rc = al_pp_str(c, doc, "", "kind", 0, &kind)) != AL_OK ||
	    (rc = al_pp_str(c, doc, "", "apiVersion", 0, &api)) != AL_OK)
		return rc;
	if (is(kind, "List") || is(kind, "ClusterImagePolicyList"))
		return al_pp_fail(c, "kind", "a %s of policies: airlock reads one ClusterImagePolicy per file (write "
				  "each to its own file)", kind);
	if (!is(kind, "ClusterImagePolicy"))
		return al_pp_fail(c, "kind", "must be \"ClusterImagePolicy\"");
	if (!is(api, "policy.sigstore.dev/v1beta1") && !is(api, "policy.sigstore.dev/v1alpha1"))
		return al_pp_fail(c, "apiVersion", "must be \"policy.sigstore.dev/v1beta1\" or "
				  "\"policy.sigstore.dev/v1alpha1\"");
	if ((rc = al_pp_only(c, doc, "", keys)) != AL_OK || (rc = al_pp_obj(c, doc, "", "metadata", &meta)) != AL_OK ||
	    (rc = al_pp_obj(c, doc, "", "spec", &spec)) != AL_OK)
		return rc;
	/* metadata.name only: Kubernetes tooling adds labels, annotations,
	 * resourceVersion, ... that say nothing about signatures */
	if (meta != NULL && (rc = al_pp_str(c, meta, "metadata", "name", 0, &name)) != AL_OK)
		return rc;
	if (name == NULL || name[0] == '\0')
		return al_pp_fail(c, "metadata", "needs \"name\" (it names the rule)");
	if (spec == NULL)
		return al_pp_fail(c, NULL, "a ClusterImagePolicy needs \"spec\"");
	if ((r = al_pp_alloc(c, 1, sizeof(*r))) == NULL)
		return AL_E_NOMEM;
	if ((rc = read_spec_rule(c, spec, name, r)) != AL_OK)
		return rc;
	c->p->rules = r;
	c->p->nrules = 1;
	return AL_OK;
}
