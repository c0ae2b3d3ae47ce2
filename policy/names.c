/*
 * names.c — image names: docker references normalised as docker and
 * containers/image normalise them, the globs airlock's rules scope by,
 * containers-policy.json docker scopes, and signedIdentity (which
 * docker-reference a signature may carry for an image's name).
 * docs/policy.md §3.
 */
#include <stdio.h>
#include <string.h>

#include "policy/internal.h"

static bool
path_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' || ch == '/';
}

static bool
domain_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '-' || ch == ':' || ch == '[' || ch == ']';
}

static bool
tag_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.' || ch == '-';
}

static bool
hex_str(const char *s, size_t want)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == want;
}

al_rc
al_ref_parse(const char *s, al_ref *r, al_err *err)
{
	char name[AL_MAX_REFERENCE + 1], *at, *colon, *slash, *rest;
	const char *domain = "docker.io";
	size_t n = strlen(s), used;
	bool library = false;

	memset(r, 0, sizeof(*r));
	if (n == 0 || n > 255 + 1 + 128 + 1 + 7 + 128)
		return al_err_set(err, AL_E_USAGE, "'%.80s': not an image reference (empty or too long)", s);
	memcpy(name, s, n + 1);
	if ((at = strchr(name, '@')) != NULL) {
		*at++ = '\0';
		if (strncmp(at, "sha256:", 7) == 0 ? !hex_str(at + 7, 64) :
		    strncmp(at, "sha512:", 7) == 0 ? !hex_str(at + 7, 128) : true)
			return al_err_set(err, AL_E_USAGE, "'%.80s': the digest is not sha256:<64 hex> or sha512:<128 hex>", s);
	}
	slash = strrchr(name, '/');
	colon = strrchr(slash ? slash : name, ':');
	if (colon != NULL) {
		*colon++ = '\0';
		if (colon[0] == '\0' || strlen(colon) > 128 || colon[0] == '.' || colon[0] == '-')
			return al_err_set(err, AL_E_USAGE, "'%.80s': not a valid tag", s);
		for (const char *p = colon; *p; p++)
			if (!tag_char(*p))
				return al_err_set(err, AL_E_USAGE, "'%.80s': not a valid tag", s);
	}
	rest = name;
	slash = strchr(name, '/');
	if (slash != NULL && (memchr(name, '.', (size_t)(slash - name)) || memchr(name, ':', (size_t)(slash - name)) ||
			      (slash - name == 9 && strncmp(name, "localhost", 9) == 0) ||
			      memchr(name, '[', (size_t)(slash - name)))) {
		*slash = '\0';
		domain = name;
		rest = slash + 1;
		for (const char *p = domain; *p; p++)
			if (!domain_char(*p))
				return al_err_set(err, AL_E_USAGE, "'%.80s': not a valid registry host", s);
	}
	if (strcmp(domain, "index.docker.io") == 0)
		domain = "docker.io";
	if (rest[0] == '\0' || rest[0] == '/' || rest[strlen(rest) - 1] == '/' || strstr(rest, "//"))
		return al_err_set(err, AL_E_USAGE, "'%.80s': not a valid repository path", s);
	for (const char *p = rest; *p; p++)
		if (!path_char(*p))
			return al_err_set(err, AL_E_USAGE,
					  "'%.80s': a repository path has only lower-case letters, digits and . _ - /", s);
	if (strcmp(domain, "docker.io") == 0 && strchr(rest, '/') == NULL)
		library = true;
	used = (size_t)snprintf(r->buf, sizeof(r->buf), "%s", domain) + 1;
	if (used >= sizeof(r->buf))
		return al_err_set(err, AL_E_USAGE, "'%.80s': too long", s);
	r->domain = r->buf;
	r->repository = r->buf + used;
	used += (size_t)snprintf(r->buf + used, sizeof(r->buf) - used, "%s/%s%s", domain, library ? "library/" : "",
				 rest) + 1;
	if (used >= sizeof(r->buf) || strlen(r->repository) > 255)
		return al_err_set(err, AL_E_USAGE, "'%.80s': the name is longer than 255 characters", s);
	if (colon) {
		r->tag = r->buf + used;
		used += (size_t)snprintf(r->buf + used, sizeof(r->buf) - used, "%s", colon) + 1;
	}
	if (at) {
		r->digest = r->buf + used;
		used += (size_t)snprintf(r->buf + used, sizeof(r->buf) - used, "%s", at) + 1;
	}
	if (used > sizeof(r->buf))
		return al_err_set(err, AL_E_USAGE, "'%.80s': too long", s);
	snprintf(r->full, sizeof(r->full), "%s%s%s%s%s", r->repository, r->tag ? ":" : "", r->tag ? r->tag : "",
		 r->digest ? "@" : "", r->digest ? r->digest : "");
	return AL_OK;
}

bool
al_ref_is_full(const char *s)
{
	const char *slash = strchr(s, '/');
	al_ref r;

	if (slash == NULL)
		return false;
	if (!memchr(s, '.', (size_t)(slash - s)) && !memchr(s, ':', (size_t)(slash - s)) &&
	    !(slash - s == 9 && strncmp(s, "localhost", 9) == 0))
		return false;
	return al_ref_parse(s, &r, NULL) == AL_OK;
}

/* ---------------------------------------------------------------- globs */

/* Iterative with one backtrack point per star kind: linear-ish, and no
 * recursion an attacker's name could deepen. */
bool
al_glob_match(const char *g, const char *s)
{
	const char *star_g = NULL, *star_s = NULL;
	bool star_any = false;

	while (*s) {
		if (g[0] == '*' && g[1] == '*') {
			star_any = true;
			star_g = g += 2;
			star_s = s;
			continue;
		}
		if (g[0] == '*') {
			star_any = false;
			star_g = ++g;
			star_s = s;
			continue;
		}
		if ((g[0] == '?' && *s != '/') || (g[0] != '?' && g[0] == *s)) {
			g++;
			s++;
			continue;
		}
		if (star_g != NULL && (star_any || *star_s != '/')) {
			g = star_g;
			s = ++star_s;
			continue;
		}
		return false;
	}
	while (*g == '*')
		g++;
	return *g == '\0';
}

/* ---------------------------------------------------------------- docker scopes */

int
al_docker_scope_rank(const char *scope, const al_ref *r)
{
	char ident[AL_MAX_REFERENCE + 16];
	size_t n, rn = strlen(r->repository);

	if (scope[0] == '*' && scope[1] == '.') {
		/* "*.example.com": a registry host under that domain, less specific
		 * than any named scope, and more specific the longer it is */
		size_t dn = strlen(r->domain), sn = strlen(scope + 1);

		if (dn > sn && strcmp(r->domain + dn - sn, scope + 1) == 0)
			return 1 + (int)sn;
		return 0;
	}
	/* the reference itself (containers/image names an untagged one :latest) */
	if (r->digest)
		snprintf(ident, sizeof(ident), "%s@%s", r->repository, r->digest);
	else
		snprintf(ident, sizeof(ident), "%s:%s", r->repository, r->tag ? r->tag : "latest");
	if (strcmp(scope, ident) == 0)
		return 100000;
	if (r->digest && r->tag) {
		snprintf(ident, sizeof(ident), "%s:%s", r->repository, r->tag);
		if (strcmp(scope, ident) == 0)
			return 100000;
	}
	/* the repository, or a namespace of it ending at a '/' */
	n = strlen(scope);
	while (n > 0 && scope[n - 1] == '/')
		n--;
	if (n == 0 || n > rn || strncmp(scope, r->repository, n) != 0 || (n < rn && r->repository[n] != '/'))
		return 0;
	return 1000 + (int)n;
}

/* ---------------------------------------------------------------- signedIdentity */

static bool
same_repo(const al_ref *a, const al_ref *b)
{
	return strcmp(a->repository, b->repository) == 0;
}

/* Both references name the same thing: equal repository and equal tag and
 * digest (the image's name must carry one: containers/image rejects a
 * name that has neither for an exact match). */
static bool
exact(const al_ref *img, const al_ref *sig)
{
	if (!same_repo(img, sig) || (img->tag == NULL && img->digest == NULL))
		return false;
	if ((img->tag == NULL) != (sig->tag == NULL) || (img->digest == NULL) != (sig->digest == NULL))
		return false;
	return (img->tag == NULL || strcmp(img->tag, sig->tag) == 0) &&
	       (img->digest == NULL || strcmp(img->digest, sig->digest) == 0);
}

static bool
repo_digest_or_exact(const al_ref *img, const al_ref *sig)
{
	/* a digest pins the content, so any signature for the repository
	 * will do; a tag is mutable, so the signature must name it */
	if (img->digest != NULL)
		return same_repo(img, sig);
	return exact(img, sig);
}

bool
al_signed_identity_match(const al_pol_signed_identity *ident, const al_ref *name, const char *signed_ref)
{
	al_ref sig, want, remapped;

	if (ident->type == AL_PID_ANY)
		return true;
	if (signed_ref == NULL || signed_ref[0] == '\0' || al_ref_parse(signed_ref, &sig, NULL) != AL_OK)
		return false;
	switch (ident->type) {
	case AL_PID_ANY:
		return true;
	case AL_PID_MATCH_EXACT:
		return name != NULL && exact(name, &sig);
	case AL_PID_MATCH_REPO_DIGEST_OR_EXACT:
		return name != NULL && repo_digest_or_exact(name, &sig);
	case AL_PID_MATCH_REPOSITORY:
		return name != NULL && same_repo(name, &sig);
	case AL_PID_EXACT_REFERENCE:
		return ident->reference && al_ref_parse(ident->reference, &want, NULL) == AL_OK &&
		       strcmp(want.full, sig.full) == 0;
	case AL_PID_EXACT_REPOSITORY:
		return ident->reference && al_ref_parse(ident->reference, &want, NULL) == AL_OK &&
		       same_repo(&want, &sig);
	case AL_PID_REMAP: {
		char buf[2 * AL_MAX_REFERENCE + 2];
		size_t pn;

		if (name == NULL || ident->prefix == NULL || ident->signed_prefix == NULL)
			return false;
		pn = strlen(ident->prefix);
		/* the prefix must end at a boundary of the name */
		if (strncmp(name->full, ident->prefix, pn) != 0 ||
		    (name->full[pn] != '\0' && name->full[pn] != '/' && name->full[pn] != ':' && name->full[pn] != '@'))
			return repo_digest_or_exact(name, &sig);
		snprintf(buf, sizeof(buf), "%s%s", ident->signed_prefix, name->full + pn);
		if (al_ref_parse(buf, &remapped, NULL) != AL_OK)
			return false;
		return repo_digest_or_exact(&remapped, &sig);
	}
	}
	return false;
}
