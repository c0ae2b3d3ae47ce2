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
	/* name holds the whole input: nothing longer than AL_MAX_REFERENCE is
	 * an image reference airlock reads (docker's own maximum, a 255-byte
	 * name with a tag and a sha512 digest, is longer than that buffer) */
	if (n == 0 || n > AL_MAX_REFERENCE)
		return al_err_set(err, AL_E_USAGE, "'%.80s': not an image reference (empty or longer than %u bytes)", s,
				  AL_MAX_REFERENCE);
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
	{
		/* every part is measured before it is written: buf holds the domain,
		 * the repository, the tag and the digest, each NUL-terminated, and
		 * full must hold the whole reference untruncated (a cut-off digest
		 * would compare equal to another) */
		size_t dn = strlen(domain), rn = dn + 1 + (library ? 8 : 0) + strlen(rest);
		size_t tn = colon ? strlen(colon) : 0, an = at ? strlen(at) : 0;
		size_t fn = rn + (colon ? 1 + tn : 0) + (at ? 1 + an : 0);

		if (rn > 255)
			return al_err_set(err, AL_E_USAGE, "'%.80s': the name is longer than 255 characters", s);
		if (dn + 1 + rn + 1 + (colon ? tn + 1 : 0) + (at ? an + 1 : 0) > sizeof(r->buf) || fn >= sizeof(r->full))
			return al_err_set(err, AL_E_USAGE, "'%.80s': too long", s);
		used = (size_t)snprintf(r->buf, sizeof(r->buf), "%s", domain) + 1;
		r->domain = r->buf;
		r->repository = r->buf + used;
		used += (size_t)snprintf(r->buf + used, sizeof(r->buf) - used, "%s/%s%s", domain,
					 library ? "library/" : "", rest) + 1;
		if (colon) {
			r->tag = r->buf + used;
			used += (size_t)snprintf(r->buf + used, sizeof(r->buf) - used, "%s", colon) + 1;
		}
		if (at) {
			r->digest = r->buf + used;
			snprintf(r->buf + used, sizeof(r->buf) - used, "%s", at);
		}
	}
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

/* One row of the match table, not backtracking: row[j] says whether the
 * glob read so far matches the first j bytes of s. Backtracking to the last
 * star alone forgets where an earlier '**' could have ended ("**" then "*"
 * must be able to move both), and a glob that wrongly fails to match hands
 * the image to a later, perhaps weaker, rule. No recursion, no allocation:
 * O(|glob| * |s|) with |s| bounded by AL_MAX_REFERENCE. */
bool
al_glob_match(const char *g, const char *s)
{
	bool row[AL_MAX_REFERENCE + 1];
	size_t n = strlen(s);

	/* longer than any name al_ref_parse accepts: not an image name */
	if (n > AL_MAX_REFERENCE)
		return false;
	row[0] = true;
	for (size_t j = 1; j <= n; j++)
		row[j] = false;
	while (*g) {
		bool alive = false;

		if (g[0] == '*') {
			bool any = g[1] == '*';

			g += any ? 2 : 1;
			alive = row[0];
			for (size_t j = 1; j <= n; j++) {
				row[j] = row[j] || (row[j - 1] && (any || s[j - 1] != '/'));
				alive |= row[j];
			}
		} else {
			for (size_t j = n; j > 0; j--) {
				row[j] = row[j - 1] && (g[0] == '?' ? s[j - 1] != '/' : s[j - 1] == g[0]);
				alive |= row[j];
			}
			row[0] = false;
			g++;
		}
		if (!alive)
			return false;
	}
	return row[n];
}

/* ---------------------------------------------------------------- docker scopes */

int
al_docker_scope_rank(const char *scope, const al_ref *r)
{
	char ident[AL_MAX_REFERENCE + 16];
	size_t n, rn = strlen(r->repository);

	/* "": the whole transport, less specific than any other scope */
	if (scope[0] == '\0')
		return 1;
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
	/* a tag is mutable, so the signature must name it (and the digest too,
	 * when the name has both); a digest pins the content, so a signature for
	 * the repository will do, but only one that names an image: as in
	 * containers/image, a bare repository (what cosign signs) is not an
	 * exact identity and is accepted only by matchRepository and
	 * exactRepository */
	if (img->tag != NULL)
		return exact(img, sig);
	if (img->digest != NULL)
		return (sig->tag != NULL || sig->digest != NULL) && same_repo(img, sig);
	return false;
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
		/* a reference with neither tag nor digest names no one image */
		return ident->reference && al_ref_parse(ident->reference, &want, NULL) == AL_OK &&
		       (want.tag != NULL || want.digest != NULL) && strcmp(want.full, sig.full) == 0;
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
