/*
 * containers.c — containers-policy.json(5), the signature policy of podman,
 * skopeo and CRI-O (containers/image), read into the model (docs/policy.md).
 *
 * What each part becomes:
 *  - every scope of transports.docker is one AL_PSCOPE_DOCKER rule (the most
 *    specific scope decides, as in containers/image); every scope of the
 *    oci, oci-archive, docker-archive and dir transports one AL_PSCOPE_PATH
 *    rule, most specific first; "default" is the last rule. A rule is named
 *    by its JSON path: transports.docker["example.com/app"].
 *  - the requirements of a scope must all hold: each sigstoreSigned
 *    requirement is one authority of an all-of rule (signatures only);
 *    reject anywhere in the list makes the rule reject; insecureAcceptAnything
 *    adds nothing, and a list of nothing else accepts unsigned images under
 *    the named relaxation insecure-accept-anything.
 *  - scopes of every other transport (docker-daemon, containers-storage,
 *    atomic, ...) are read, so a typo or an unsupported requirement there is
 *    still refused, but make no rule: airlock never reads images through them.
 *
 * Refused when the policy loads, never passed: signedBy (GPG and X.509
 * simple signing) and signedBaseLayer, which airlock cannot check.
 *
 * Where the model is coarser than the file:
 *  - one signedIdentity per rule: the sigstoreSigned requirements of a scope
 *    that verifies must state the same one (absent is matchRepoDigestOrExact),
 *    else the policy is refused;
 *  - one transparency-log requirement per rule: once any requirement of a
 *    scope names a Rekor key, every signature needs a log entry, from any of
 *    the keys the scope names; when none does, containers/image requires no
 *    entry, and the rule says so with the relaxation insecure-ignore-tlog;
 *  - containers/image checks no SCT on Fulcio certificates: a rule with a
 *    fulcio requirement carries insecure-ignore-sct.
 */
#include <stdio.h>
#include <string.h>

#include "policy/internal.h"

static const char *const path_transports[] = { "oci", "oci-archive", "docker-archive", "dir", NULL };

/* The transport's name as a static string (rules point at it), or NULL. */
static const char *
path_transport(const char *name)
{
	for (size_t i = 0; path_transports[i]; i++)
		if (strcmp(name, path_transports[i]) == 0)
			return path_transports[i];
	return NULL;
}

/* ---------------------------------------------------------------- paths */

/* parent["key"] (or parent.key when bare and the key is a plain word), the
 * key escaped as JSON escapes it: a scope is operator text, and a control
 * character in it must reach neither a message nor a report raw. In the
 * arena, untruncated: it is also the rule's name. */
static const char *
member_path(al_pctx *c, const char *parent, const char *key, bool bare)
{
	size_t n = strlen(parent) + 4, len = 0;
	char *out;

	for (const char *k = key; *k; k++) {
		unsigned char ch = (unsigned char)*k;

		n += ch < 0x20 || ch == 0x7f ? 6 : ch == '"' || ch == '\\' ? 2 : 1;
		bare &= (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
			ch == '_';
	}
	bare &= key[0] != '\0';
	if ((out = al_pp_alloc(c, n + 1, 1)) == NULL)
		return NULL;
	len = (size_t)snprintf(out, n + 1, bare ? "%s." : "%s[\"", parent);
	for (const char *k = key; *k; k++) {
		unsigned char ch = (unsigned char)*k;

		if (ch < 0x20 || ch == 0x7f)
			len += (size_t)snprintf(out + len, n + 1 - len, "\\u%04x", ch);
		else if (ch == '"' || ch == '\\')
			len += (size_t)snprintf(out + len, n + 1 - len, "\\%c", ch);
		else
			out[len++] = (char)ch;
	}
	if (!bare)
		snprintf(out + len, n + 1 - len, "\"]");
	return out;
}

static const char *
kpath(al_jpath *p, const char *path, const char *key)
{
	al_jpath_key(p, path, key);
	return p->s;
}

/* ---------------------------------------------------------------- scopes */

/* A scope (a JSON key) as airlock keeps any policy string: bounded, no
 * control characters. */
static al_rc
check_text(al_pctx *c, const char *path, const char *s)
{
	size_t n = strlen(s);

	if (n > AL_MAX_POLICY_STRING)
		return al_pp_fail(c, path, "%zu bytes; at most %u are accepted", n, AL_MAX_POLICY_STRING);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return al_pp_fail(c, path, "contains a control character (byte %zu)", i);
	return AL_OK;
}

static bool
alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* host[:port] as docker references spell it: dot-separated labels of
 * letters, digits and inner '-', or a bracketed IPv6 address. */
static bool
domain_ok(const char *s, size_t n)
{
	size_t i = 0, port;

	if (n == 0)
		return false;
	if (s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			if (!(alnum(s[i]) || s[i] == ':'))
				return false;
		if (i == n || i == 1)
			return false;
		i++;
	} else {
		while (i < n && s[i] != ':') {
			size_t start = i;

			while (i < n && (alnum(s[i]) || s[i] == '-'))
				i++;
			if (i == start || s[start] == '-' || s[i - 1] == '-')
				return false;
			if (i < n && s[i] == '.') {
				i++;
				if (i == n || s[i] == ':')
					return false;
			} else if (i < n && s[i] != ':') {
				return false;
			}
		}
	}
	if (i == n)
		return true;
	if (s[i] != ':')
		return false;
	for (port = ++i; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return i > port && i - port <= 5;
}

/* A registry host, not the first component of a docker.io short name. */
static bool
is_host(const char *s, size_t n)
{
	return memchr(s, '.', n) || memchr(s, ':', n) || s[0] == '[' || (n == 9 && strncmp(s, "localhost", 9) == 0);
}

/* A repository path below a host: '/'-separated components of lower-case
 * letters, digits and . _ - that begin and end with a letter or digit. */
static bool
repo_path_ok(const char *s)
{
	while (*s) {
		const char *start = s;

		while (*s && *s != '/') {
			if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
				return false;
			s++;
		}
		if (s == start || !alnum(start[0]) || !alnum(s[-1]))
			return false;
		if (*s == '/' && *++s == '\0')
			return false;
	}
	return true;
}

/* transports.docker scopes as containers/image matches them: the fully
 * expanded reference (host[:port]/path[:tag|@digest]), its repository, a
 * namespace, the host, "*.domain", or "" for the whole transport.
 * containers/image accepts any string here and a malformed scope then
 * never matches; airlock refuses it, so an operator who wrote "busybox" for
 * "docker.io/library/busybox" is told instead of silently not protected. */
static al_rc
check_docker_scope(al_pctx *c, const char *path, const char *scope)
{
	size_t n = strlen(scope), host;
	const char *slash;
	al_ref r;
	al_err e;

	if (n == 0)
		return AL_OK;
	if (strstr(scope, "://") != NULL)
		return al_pp_fail(c, path, "a docker scope names no scheme: host[:port][/namespace/repository][:tag|@digest]");
	if (scope[0] == '*') {
		if (n < 3 || scope[1] != '.' || !domain_ok(scope + 2, n - 2) || strchr(scope + 2, ':') != NULL ||
		    scope[2] == '[')
			return al_pp_fail(c, path, "a wildcard scope is \"*.domain\" (every registry host under the "
					  "domain, without a port), as in containers-policy.json(5)");
		return AL_OK;
	}
	if (strchr(scope, '*') != NULL)
		return al_pp_fail(c, path, "'*' may only begin a scope, as \"*.example.com\"");
	if (scope[n - 1] == '/')
		return al_pp_fail(c, path, "a scope does not end with '/'");
	slash = strchr(scope, '/');
	host = slash ? (size_t)(slash - scope) : n;
	if (!domain_ok(scope, host) || !is_host(scope, host))
		return al_pp_fail(c, path, "names no registry host: a docker scope is written fully expanded, as "
				  "\"docker.io/library/busybox\" for busybox (containers-policy.json(5))");
	if (host == 15 && strncmp(scope, "index.docker.io", 15) == 0)
		return al_pp_fail(c, path, "containers/image names Docker Hub \"docker.io\": write the scope with "
				  "docker.io");
	if (slash == NULL)
		return AL_OK;
	if (al_ref_parse(scope, &r, &e) != AL_OK)
		return al_pp_fail(c, path, "not a docker reference: %s", e.msg);
	if (r.tag != NULL && r.digest != NULL)
		return al_pp_fail(c, path, "a scope names a tag or a digest, not both (containers/image never "
				  "matches such a scope)");
	if (strcmp(r.full, scope) != 0)
		return al_pp_fail(c, path, "not in the fully expanded form containers/image matches: write \"%s\"",
				  r.full);
	return AL_OK;
}

/* Scopes of the path transports: an absolute, clean path ("/" is refused in
 * favour of "", as containers/image does); oci and oci-archive scopes may
 * add ":reference"; docker-archive takes no scope but "". */
static al_rc
check_path_scope(al_pctx *c, const char *path, const char *transport, const char *scope)
{
	size_t n = strlen(scope);
	const char *colon;

	if (n == 0)
		return AL_OK;
	if (strcmp(transport, "docker-archive") == 0)
		return al_pp_fail(c, path, "docker-archive takes no scope but \"\" (the whole transport), as in "
				  "containers/image");
	if ((strcmp(transport, "oci") == 0 || strcmp(transport, "oci-archive") == 0) &&
	    (colon = strchr(scope, ':')) != NULL) {
		if (colon[1] == '\0')
			return al_pp_fail(c, path, "nothing follows ':' (write /path or /path:reference)");
		n = (size_t)(colon - scope);
	}
	if (scope[0] != '/')
		return al_pp_fail(c, path, "a %s scope is an absolute path", transport);
	if (n == 1)
		return al_pp_fail(c, path, "\"/\" is refused as containers/image refuses it: \"\" is the whole transport");
	for (size_t i = 1; i <= n; i++) {
		size_t start = i;

		while (i < n && scope[i] != '/')
			i++;
		if (i == start || (i - start == 1 && scope[start] == '.') ||
		    (i - start == 2 && scope[start] == '.' && scope[start + 1] == '.'))
			return al_pp_fail(c, path, "not a clean path (no empty, '.' or '..' component and no trailing "
					  "'/'), as containers/image requires");
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- key material */

/* keyData, caData, ...: base64 (how Go writes []byte in JSON: the standard
 * alphabet, line breaks skipped) of PEM text. Kept decoded, the text verify/
 * loads; PEM is ASCII, and anything else is refused here. */
static al_rc
b64_text(al_pctx *c, const al_json *v, const char *path, const char **out)
{
	al_buf b = { 0 };
	al_bytes s;
	al_err e;

	if (!al_json_is_str(v))
		return al_pp_fail(c, path, "must be a string (the base64 of PEM text)");
	s = al_json_str_bytes(v);
	if (s.n == 0)
		return al_pp_fail(c, path, "empty");
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '-' || s.p[i] == '_')
			return al_pp_fail(c, path, "not base64 in the standard alphabet (what Go writes for []byte)");
	al_err_clear(&e);
	if (al_b64_decode_lenient(s, &b, &e) != AL_OK) {
		al_buf_free(&b);
		if (e.code == AL_E_NOMEM)
			return al_err_set(c->err, AL_E_NOMEM, "out of memory");
		return al_pp_fail(c, path, "not base64: %s", e.msg);
	}
	if (b.n == 0 || b.n > AL_MAX_PEM_FILE) {
		size_t n = b.n;

		al_buf_free(&b);
		return al_pp_fail(c, path, "decodes to %zu bytes; PEM text of 1 to %u bytes is expected", n,
				  AL_MAX_PEM_FILE);
	}
	for (size_t i = 0; i < b.n; i++)
		if ((b.p[i] < 0x20 && b.p[i] != '\n' && b.p[i] != '\r' && b.p[i] != '\t') || b.p[i] >= 0x7f) {
			unsigned byte = b.p[i];

			al_buf_free(&b);
			return al_pp_fail(c, path, "does not decode to PEM text (byte %zu is 0x%02x)", i, byte);
		}
	*out = al_pp_dup(c, al_buf_bytes(&b));
	al_buf_free(&b);
	return *out ? AL_OK : AL_E_NOMEM;
}

static al_rc
file_path(al_pctx *c, const char *path, const char *s, const char **out)
{
	if (s[0] == '\0')
		return al_pp_fail(c, path, "an empty path");
	return (*out = al_pp_path(c, s)) ? AL_OK : AL_E_NOMEM;
}

/* The four spellings of a key list: one path, paths, one base64 text, texts. */
typedef struct key_names {
	const char *path, *paths, *data, *datas;
} key_names;

static const key_names signer_keys = { "keyPath", "keyPaths", "keyData", "keyDatas" };
static const key_names rekor_keys = { "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData",
				      "rekorPublicKeyDatas" };

/* Appends what any of the four members of o name to v (room for cap; *n
 * grows); *given is how many of the four members are present. */
static al_rc
read_keys(al_pctx *c, const al_json *o, const char *path, const key_names *kn, al_pol_pem *v, size_t cap,
	  size_t *n, int *given)
{
	const char *const names[4] = { kn->path, kn->paths, kn->data, kn->datas };
	al_rc rc;

	*given = 0;
	for (int k = 0; k < 4; k++) {
		const al_json *m = al_json_member(o, names[k]);
		bool list = k == 1 || k == 3, data = k >= 2;
		size_t count;
		al_jpath p;

		if (m == NULL)
			continue;
		(*given)++;
		kpath(&p, path, names[k]);
		if (list && !al_json_is_arr(m))
			return al_pp_fail(c, p.s, "must be an array");
		count = list ? al_json_arr_len(m) : 1;
		if (count == 0)
			return al_pp_fail(c, p.s, "lists nothing (containers/image refuses an empty list)");
		if (count > cap - *n)
			return al_pp_fail(c, p.s, "more keys than the %zu accepted here", cap);
		for (size_t i = 0; i < count; i++) {
			al_pol_pem *out = &v[(*n)++];
			const char *s = NULL;
			al_jpath q;

			al_jpath_idx(&q, p.s, i);
			memset(out, 0, sizeof(*out));
			if (data)
				rc = b64_text(c, list ? al_json_arr_at(m, i) : m, list ? q.s : p.s, &out->data);
			else if (list)
				rc = al_pp_str_at(c, m, p.s, i, 0, &s);
			else
				rc = al_pp_str(c, o, path, names[k], 0, &s);
			if (rc == AL_OK && !data)
				rc = file_path(c, list ? q.s : p.s, s, &out->path);
			if (rc != AL_OK)
				return rc;
		}
	}
	return AL_OK;
}

/* PEM given as one of a path member and a base64 member; *given says
 * whether either was. */
static al_rc
read_pem_pair(al_pctx *c, const al_json *o, const char *path, const char *pkey, const char *dkey, al_pol_pem *out,
	      bool *given)
{
	const al_json *d = al_json_member(o, dkey);
	const char *s = NULL;
	al_jpath p;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = al_pp_str(c, o, path, pkey, 0, &s)) != AL_OK)
		return rc;
	*given = s != NULL || d != NULL;
	if (s != NULL && d != NULL)
		return al_pp_fail(c, path, "give one of \"%s\" and \"%s\", not both", pkey, dkey);
	if (s != NULL)
		return file_path(c, kpath(&p, path, pkey), s, &out->path);
	if (d != NULL)
		return b64_text(c, d, kpath(&p, path, dkey), &out->data);
	return AL_OK;
}

/* A string member that must be present and not empty. */
static al_rc
need_str(al_pctx *c, const al_json *o, const char *path, const char *key, const char *what, const char **out)
{
	al_rc rc = al_pp_str(c, o, path, key, 0, out);

	if (rc == AL_OK && (*out == NULL || (*out)[0] == '\0'))
		return al_pp_fail(c, path, "needs \"%s\" (%s)", key, what);
	return rc;
}

/* fulcio: certificates from a Fulcio instance (caPath or caData), for one
 * OIDC issuer and one email SAN, all three required as containers/image
 * requires them. */
static al_rc
read_fulcio(al_pctx *c, const al_json *f, const char *path, al_pol_authority *a)
{
	static const char *const keys[] = { "caPath", "caData", "oidcIssuer", "subjectEmail", NULL };
	bool given;
	al_rc rc;

	a->kind = AL_PAUTH_KEYLESS;
	if ((rc = al_pp_only(c, f, path, keys)) != AL_OK ||
	    (rc = read_pem_pair(c, f, path, "caPath", "caData", &a->ca_roots, &given)) != AL_OK)
		return rc;
	if (!given)
		return al_pp_fail(c, path, "needs \"caPath\" or \"caData\" (the Fulcio CA certificates)");
	if ((rc = need_str(c, f, path, "oidcIssuer", "the OIDC issuer", &a->issuer.exact)) != AL_OK ||
	    (rc = need_str(c, f, path, "subjectEmail", "the certificate's email SAN", &a->identity.exact)) != AL_OK)
		return rc;
	return AL_OK;
}

/* pki: certificates from a private CA, for an email or host name SAN. */
static al_rc
read_pki(al_pctx *c, const al_json *o, const char *path, al_pol_authority *a)
{
	static const char *const keys[] = { "caRootsPath",  "caRootsData",	   "caIntermediatesPath",
					    "caIntermediatesData", "subjectEmail", "subjectHostname", NULL };
	bool given;
	al_rc rc;

	a->kind = AL_PAUTH_PKI;
	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK ||
	    (rc = read_pem_pair(c, o, path, "caRootsPath", "caRootsData", &a->ca_roots, &given)) != AL_OK)
		return rc;
	if (!given)
		return al_pp_fail(c, path, "needs \"caRootsPath\" or \"caRootsData\" (the CA's root certificates)");
	if ((rc = read_pem_pair(c, o, path, "caIntermediatesPath", "caIntermediatesData", &a->ca_intermediates,
				&given)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "subjectEmail", 0, &a->subject_email)) != AL_OK ||
	    (rc = al_pp_str(c, o, path, "subjectHostname", 0, &a->subject_hostname)) != AL_OK)
		return rc;
	if (a->subject_email && a->subject_email[0] == '\0')
		a->subject_email = NULL;
	if (a->subject_hostname && a->subject_hostname[0] == '\0')
		a->subject_hostname = NULL;
	if (a->subject_email == NULL && a->subject_hostname == NULL)
		return al_pp_fail(c, path, "needs \"subjectEmail\" or \"subjectHostname\" (containers/image requires "
				  "one)");
	return AL_OK;
}

/* ---------------------------------------------------------------- signedIdentity */

/* remapIdentity prefixes: a host[:port], or a host followed by a
 * repository namespace or repository (no tag, no digest). */
static bool
remap_prefix_ok(const char *s)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL)
		return domain_ok(s, strlen(s));
	return domain_ok(s, (size_t)(slash - s)) && is_host(s, (size_t)(slash - s)) && repo_path_ok(slash + 1);
}

static al_rc
read_ident(al_pctx *c, const al_json *o, const char *path, al_pol_signed_identity *id)
{
	static const char *const k_type[] = { "type", NULL };
	static const char *const k_ref[] = { "type", "dockerReference", NULL };
	static const char *const k_repo[] = { "type", "dockerRepository", NULL };
	static const char *const k_remap[] = { "type", "prefix", "signedPrefix", NULL };
	const char *type = NULL;
	al_ref r;
	al_err e;
	al_jpath p;
	al_rc rc;

	memset(id, 0, sizeof(*id));
	if (!al_json_is_obj(o))
		return al_pp_fail(c, path, "must be an object");
	if ((rc = al_pp_str(c, o, path, "type", 0, &type)) != AL_OK)
		return rc;
	for (int t = AL_PID_MATCH_REPO_DIGEST_OR_EXACT; type && t <= AL_PID_REMAP; t++)
		if (strcmp(type, al_pol_ident_name((al_pol_ident)t)) == 0)
			id->type = (al_pol_ident)t;
	switch (id->type) {
	case AL_PID_ANY:
		return al_pp_fail(c, kpath(&p, path, "type"), "must be matchRepoDigestOrExact, matchRepository, "
				  "matchExact, exactReference, exactRepository or remapIdentity (containers-policy.json(5))");
	case AL_PID_MATCH_REPO_DIGEST_OR_EXACT:
	case AL_PID_MATCH_REPOSITORY:
	case AL_PID_MATCH_EXACT:
		return al_pp_only(c, o, path, k_type);
	case AL_PID_EXACT_REFERENCE:
		if ((rc = al_pp_only(c, o, path, k_ref)) != AL_OK ||
		    (rc = need_str(c, o, path, "dockerReference", "the reference signatures must name",
				   &id->reference)) != AL_OK)
			return rc;
		if (al_ref_parse(id->reference, &r, &e) != AL_OK)
			return al_pp_fail(c, kpath(&p, path, "dockerReference"), "%s", e.msg);
		if (r.tag == NULL && r.digest == NULL)
			return al_pp_fail(c, kpath(&p, path, "dockerReference"), "names neither a tag nor a digest "
					  "(containers/image refuses it; exactRepository names a repository)");
		return AL_OK;
	case AL_PID_EXACT_REPOSITORY:
		if ((rc = al_pp_only(c, o, path, k_repo)) != AL_OK ||
		    (rc = need_str(c, o, path, "dockerRepository", "the repository signatures must name",
				   &id->reference)) != AL_OK)
			return rc;
		if (al_ref_parse(id->reference, &r, &e) != AL_OK)
			return al_pp_fail(c, kpath(&p, path, "dockerRepository"), "%s", e.msg);
		return AL_OK;
	case AL_PID_REMAP:
		if ((rc = al_pp_only(c, o, path, k_remap)) != AL_OK ||
		    (rc = need_str(c, o, path, "prefix", "the prefix of the image's name", &id->prefix)) != AL_OK ||
		    (rc = need_str(c, o, path, "signedPrefix", "what signatures name instead", &id->signed_prefix)) != AL_OK)
			return rc;
		if (!remap_prefix_ok(id->prefix))
			return al_pp_fail(c, kpath(&p, path, "prefix"), "a host[:port], or a host and a repository "
					  "namespace, fully expanded, without tag or digest");
		if (!remap_prefix_ok(id->signed_prefix))
			return al_pp_fail(c, kpath(&p, path, "signedPrefix"), "a host[:port], or a host and a "
					  "repository namespace, fully expanded, without tag or digest");
		return AL_OK;
	}
	return AL_OK;
}

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool
ident_eq(const al_pol_signed_identity *a, const al_pol_signed_identity *b)
{
	return a->type == b->type && str_eq(a->reference, b->reference) && str_eq(a->prefix, b->prefix) &&
	       str_eq(a->signed_prefix, b->signed_prefix);
}

/* ---------------------------------------------------------------- requirements */

/* One scope's requirements, as read. */
typedef struct reqs {
	bool reject;
	al_pol_authority *auth;         /* one per sigstoreSigned requirement */
	size_t nauth;
	al_pol_pem *tlog;               /* the Rekor keys of all of them */
	size_t ntlog;
	bool fulcio;
	al_pol_signed_identity ident;   /* the first requirement's */
	const char *conflict;           /* the first requirement that states another */
} reqs;

static al_rc
read_sigstore(al_pctx *c, const al_json *o, const char *path, reqs *q)
{
	static const char *const keys[] = { "type",		  "keyPath",		 "keyPaths",
					    "keyData",		  "keyDatas",		 "fulcio",
					    "pki",		  "rekorPublicKeyPath",	 "rekorPublicKeyPaths",
					    "rekorPublicKeyData", "rekorPublicKeyDatas", "signedIdentity",
					    NULL };
	al_pol_authority *a = &q->auth[q->nauth];
	const al_json *fulcio, *pki, *sid;
	al_pol_signed_identity id = { AL_PID_MATCH_REPO_DIGEST_OR_EXACT, NULL, NULL, NULL };
	al_pol_pem *kv;
	int given, rekor;
	al_jpath p;
	al_rc rc;

	memset(a, 0, sizeof(*a));
	if ((a->name = al_pp_dup(c, al_bytes_str(path))) == NULL ||
	    (kv = al_pp_alloc(c, AL_MAX_POLICY_KEYS, sizeof(*kv))) == NULL)
		return AL_E_NOMEM;
	if ((rc = al_pp_only(c, o, path, keys)) != AL_OK ||
	    (rc = read_keys(c, o, path, &signer_keys, kv, AL_MAX_POLICY_KEYS, &a->nkeys, &given)) != AL_OK ||
	    (rc = al_pp_obj(c, o, path, "fulcio", &fulcio)) != AL_OK || (rc = al_pp_obj(c, o, path, "pki", &pki)) != AL_OK)
		return rc;
	if (given + (fulcio != NULL) + (pki != NULL) != 1)
		return al_pp_fail(c, path, "give exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki "
				  "(containers/image's rule)");
	if ((rc = read_keys(c, o, path, &rekor_keys, q->tlog, AL_MAX_POLICY_KEYS, &q->ntlog, &rekor)) != AL_OK)
		return rc;
	if (rekor > 1)
		return al_pp_fail(c, path, "give at most one of rekorPublicKeyPath, rekorPublicKeyPaths, "
				  "rekorPublicKeyData and rekorPublicKeyDatas");
	if (fulcio != NULL) {
		if (rekor == 0)
			return al_pp_fail(c, path, "a fulcio requirement needs a Rekor key (rekorPublicKeyPath, ...), "
					  "as containers/image requires");
		if ((rc = read_fulcio(c, fulcio, kpath(&p, path, "fulcio"), a)) != AL_OK)
			return rc;
		q->fulcio = true;
	} else if (pki != NULL) {
		if ((rc = read_pki(c, pki, kpath(&p, path, "pki"), a)) != AL_OK)
			return rc;
	} else {
		a->kind = AL_PAUTH_KEY;
		a->keys = kv;
	}
	if ((rc = al_pp_obj(c, o, path, "signedIdentity", &sid)) != AL_OK ||
	    (sid != NULL && (rc = read_ident(c, sid, kpath(&p, path, "signedIdentity"), &id)) != AL_OK))
		return rc;
	if (q->nauth == 0)
		q->ident = id;
	else if (q->conflict == NULL && !ident_eq(&q->ident, &id))
		q->conflict = a->name;
	q->nauth++;
	return AL_OK;
}

/* The requirement list at path (one scope, or "default"). */
static al_rc
read_reqs(al_pctx *c, const al_json *list, const char *path, reqs *q)
{
	static const char *const k_type[] = { "type", NULL };
	size_t n;
	al_rc rc;

	memset(q, 0, sizeof(*q));
	if (!al_json_is_arr(list))
		return al_pp_fail(c, path, "must be an array of requirements");
	if ((n = al_json_arr_len(list)) == 0)
		return al_pp_fail(c, path, "no requirement (containers/image refuses an empty list): write "
				  "[{\"type\": \"reject\"}] or [{\"type\": \"insecureAcceptAnything\"}]");
	if (n > AL_MAX_POLICY_AUTHORITIES)
		return al_pp_fail(c, path, "%zu requirements; at most %u are accepted", n, AL_MAX_POLICY_AUTHORITIES);
	if ((q->auth = al_pp_alloc(c, n, sizeof(*q->auth))) == NULL ||
	    (q->tlog = al_pp_alloc(c, AL_MAX_POLICY_KEYS, sizeof(*q->tlog))) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const al_json *o = al_json_arr_at(list, i);
		const char *type = NULL;
		al_jpath p, t;

		al_jpath_idx(&p, path, i);
		if (!al_json_is_obj(o))
			return al_pp_fail(c, p.s, "must be an object (a requirement)");
		if ((rc = al_pp_str(c, o, p.s, "type", 0, &type)) != AL_OK)
			return rc;
		if (type == NULL)
			return al_pp_fail(c, p.s, "a requirement needs \"type\"");
		if (strcmp(type, "reject") == 0) {
			if ((rc = al_pp_only(c, o, p.s, k_type)) != AL_OK)
				return rc;
			q->reject = true;
		} else if (strcmp(type, "insecureAcceptAnything") == 0) {
			if ((rc = al_pp_only(c, o, p.s, k_type)) != AL_OK)
				return rc;
		} else if (strcmp(type, "sigstoreSigned") == 0) {
			if ((rc = read_sigstore(c, o, p.s, q)) != AL_OK)
				return rc;
		} else if (strcmp(type, "signedBy") == 0) {
			const char *kt = NULL;

			if (al_pp_str(c, o, p.s, "keyType", 0, &kt) != AL_OK)
				kt = NULL;
			return al_pp_fail(c, p.s, "%s signedBy requirements are not supported by airlock; it verifies "
					  "sigstore signatures only — a requirement it cannot check is refused, never "
					  "passed", kt && strstr(kt, "X509") ? "X.509" : "GPG");
		} else if (strcmp(type, "signedBaseLayer") == 0) {
			return al_pp_fail(c, p.s, "signedBaseLayer requirements are not supported by airlock; it "
					  "verifies sigstore signatures only — a requirement it cannot check is refused, "
					  "never passed");
		} else {
			return al_pp_fail(c, kpath(&t, p.s, "type"), "unknown requirement type \"%s\" "
					  "(containers-policy.json(5): insecureAcceptAnything, reject, signedBy, "
					  "signedBaseLayer, sigstoreSigned)", type);
		}
	}
	return AL_OK;
}

/* The rule a scope's requirements make (name, scope and patterns are the
 * caller's). */
static al_rc
make_rule(al_pctx *c, reqs *q, al_pol_rule *r)
{
	/* all must hold: with reject, nothing can */
	if (q->reject) {
		r->action = AL_PACT_REJECT;
		return AL_OK;
	}
	if (q->nauth == 0) {
		r->action = AL_PACT_ACCEPT;
		r->relax |= AL_RELAX_ACCEPT;
		return AL_OK;
	}
	if (q->conflict != NULL)
		return al_pp_fail(c, q->conflict, "states a signedIdentity other than %s's; airlock keeps one "
				  "signedIdentity per scope, so the requirements of a scope must state the same one "
				  "(absent is matchRepoDigestOrExact)", q->auth[0].name);
	r->action = AL_PACT_VERIFY;
	r->auth = q->auth;
	r->nauth = q->nauth;
	r->threshold = q->nauth;
	r->all_of = true;
	r->signatures_only = true;
	r->ident = q->ident;
	r->tlog_keys = q->tlog;
	r->ntlog_keys = q->ntlog;
	if (q->ntlog == 0) {
		r->tlog_min = 0;
		r->relax |= AL_RELAX_TLOG;
	} else {
		r->tlog_min = 1;
	}
	if (q->fulcio)
		r->relax |= AL_RELAX_SCT;
	return AL_OK;
}

/* ---------------------------------------------------------------- rule order */

/* Docker rules first, in the file's order (the most specific scope among
 * all of them decides, wherever it stands); then path rules by transport,
 * the longer scope first: the scopes that match a path are that path and
 * its parents, so the first match is the most specific, as containers/image
 * chooses. */
static int
rule_order(const al_pol_rule *a, const al_pol_rule *b)
{
	int t;

	if (a->scope != b->scope)
		return a->scope == AL_PSCOPE_DOCKER ? -1 : 1;
	if (a->scope != AL_PSCOPE_PATH)
		return 0;
	if ((t = strcmp(a->transport, b->transport)) != 0)
		return t;
	return strlen(b->patterns[0]) > strlen(a->patterns[0]) ? 1 :
	       strlen(b->patterns[0]) < strlen(a->patterns[0]) ? -1 : 0;
}

/* Insertion sort: stable, and at most AL_MAX_POLICY_RULES rules. */
static void
sort_rules(al_pol_rule *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		al_pol_rule r = v[i];
		size_t j = i;

		for (; j > 0 && rule_order(&v[j - 1], &r) > 0; j--)
			v[j] = v[j - 1];
		v[j] = r;
	}
}

/* ---------------------------------------------------------------- the file */

static al_rc
read_transports(al_pctx *c, const al_json *tr, al_pol_rule *rules, size_t *k)
{
	for (const al_json *t = al_json_first(tr); t; t = al_json_next(t)) {
		const char *name = al_json_key(t), *tpath;
		const char *ptr = path_transport(name);
		bool docker = strcmp(name, "docker") == 0;
		al_rc rc;

		if ((tpath = member_path(c, "transports", name, true)) == NULL)
			return AL_E_NOMEM;
		if ((rc = check_text(c, "transports", name)) != AL_OK)
			return rc;
		if (!al_json_is_obj(t))
			return al_pp_fail(c, tpath, "must be an object (scope: requirements)");
		for (const al_json *s = al_json_first(t); s; s = al_json_next(s)) {
			const char *scope = al_json_key(s), *spath;
			const char **pat;
			al_pol_rule *r;
			reqs q;

			if ((spath = member_path(c, tpath, scope, false)) == NULL)
				return AL_E_NOMEM;
			/* the path names the rule and, with "[N]", its authorities:
			 * names airlock's own reader takes back (the canonical form) */
			if (strlen(spath) + 8 > AL_MAX_POLICY_STRING)
				return al_pp_fail(c, tpath, "a scope whose path is %zu bytes; at most %u are accepted",
						  strlen(spath), AL_MAX_POLICY_STRING - 8);
			if ((rc = check_text(c, spath, scope)) != AL_OK ||
			    (docker && (rc = check_docker_scope(c, spath, scope)) != AL_OK) ||
			    (ptr && (rc = check_path_scope(c, spath, ptr, scope)) != AL_OK) ||
			    (rc = read_reqs(c, s, spath, &q)) != AL_OK)
				return rc;
			if (!docker && ptr == NULL)
				continue;
			r = &rules[(*k)++];
			al_pol_rule_defaults(r);
			r->name = spath;
			r->scope = docker ? AL_PSCOPE_DOCKER : AL_PSCOPE_PATH;
			r->transport = ptr;
			if ((pat = al_pp_alloc(c, 1, sizeof(*pat))) == NULL ||
			    (pat[0] = al_pp_dup(c, al_bytes_str(scope))) == NULL)
				return AL_E_NOMEM;
			r->patterns = pat;
			r->npatterns = 1;
			if ((rc = make_rule(c, &q, r)) != AL_OK)
				return rc;
		}
	}
	return AL_OK;
}

al_rc
al_policy_read_containers(al_pctx *c, const al_json *doc)
{
	static const char *const keys[] = { "default", "transports", NULL };
	const al_json *def = al_json_member(doc, "default"), *tr;
	al_pol_rule *rules;
	size_t n = 0, k = 0;
	reqs qd;
	al_rc rc;

	if ((rc = al_pp_only(c, doc, "", keys)) != AL_OK || (rc = al_pp_obj(c, doc, "", "transports", &tr)) != AL_OK)
		return rc;
	if (def == NULL)
		return al_pp_fail(c, "default", "missing: containers-policy.json requires the global \"default\" "
				  "requirements (write [{\"type\": \"reject\"}] to refuse every other image)");
	/* count first: one allocation, and the bound before any work */
	for (const al_json *t = tr ? al_json_first(tr) : NULL; t; t = al_json_next(t))
		if (al_json_is_obj(t) && (strcmp(al_json_key(t), "docker") == 0 || path_transport(al_json_key(t))))
			for (const al_json *s = al_json_first(t); s; s = al_json_next(s))
				n++;
	if (n + 1 > AL_MAX_POLICY_RULES)
		return al_pp_fail(c, "transports", "%zu scopes; at most %u are accepted", n, AL_MAX_POLICY_RULES - 1);
	if ((rules = al_pp_alloc(c, n + 1, sizeof(*rules))) == NULL)
		return AL_E_NOMEM;
	/* in the file's order, so the first problem named is the first written */
	for (const al_json *m = al_json_first(doc); m; m = al_json_next(m)) {
		if (strcmp(al_json_key(m), "default") == 0)
			rc = read_reqs(c, def, "default", &qd);
		else if (tr != NULL)
			rc = read_transports(c, tr, rules, &k);
		if (rc != AL_OK)
			return rc;
	}
	sort_rules(rules, k);
	al_pol_rule_defaults(&rules[k]);
	rules[k].name = "default";
	rules[k].scope = AL_PSCOPE_DEFAULT;
	if ((rc = make_rule(c, &qd, &rules[k])) != AL_OK)
		return rc;
	c->p->rules = rules;
	c->p->nrules = k + 1;
	return AL_OK;
}
