/*
 * identity.c — who signed: the certificate's SAN and OIDC issuer against
 * the operator's policy. Exact strings, or POSIX extended regular
 * expressions that must match the whole value (anchored), so that
 * "https://github.com/org/" cannot match "https://github.com/org/../evil".
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/internal.h"

static al_rc
compile(const char *re, regex_t *out, al_err *err)
{
	size_t n = strlen(re);
	char *anchored = malloc(n + 5);
	int rc;

	if (anchored == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	/* ^(...)$ anchors alternations too: "a|b" must not become "^a|b$" */
	snprintf(anchored, n + 5, "^(%s)$", re);
	rc = regcomp(out, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc != 0) {
		char msg[128];

		regerror(rc, out, msg, sizeof(msg));
		return al_err_set(err, AL_E_USAGE, "regular expression '%s': %s", re, msg);
	}
	return AL_OK;
}

al_rc
al_identity_policy_check(const al_identity_policy *p, al_err *err)
{
	regex_t re;
	al_rc rc;

	if (!p->san == !p->san_regexp)
		return al_err_set(err, AL_E_USAGE,
				  "give exactly one of --certificate-identity and --certificate-identity-regexp");
	if (!p->issuer == !p->issuer_regexp)
		return al_err_set(err, AL_E_USAGE,
				  "give exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp");
	if (p->san_regexp) {
		if ((rc = compile(p->san_regexp, &re, err)) != AL_OK)
			return rc;
		regfree(&re);
	}
	if (p->issuer_regexp) {
		if ((rc = compile(p->issuer_regexp, &re, err)) != AL_OK)
			return rc;
		regfree(&re);
	}
	return AL_OK;
}

/* The value must be a C string without NUL bytes for regexec; a NUL inside a
 * certificate string is itself a reason to refuse it. */
static al_rc
match_one(const char *what, const char *exact, const char *regexp, al_bytes found, al_err *err)
{
	char *s;
	regex_t re;
	bool ok;
	al_rc rc;

	if (exact == NULL && regexp == NULL)
		return AL_OK; /* the policy does not name this one (a private PKI's issuer) */
	if (memchr(found.p, '\0', found.n) != NULL)
		return al_err_set(err, AL_E_VERIFY_IDENTITY, "certificate %s contains a NUL byte", what);
	if (exact != NULL) {
		if (al_bytes_eq_str(found, exact))
			return AL_OK;
		return al_err_set(err, AL_E_VERIFY_IDENTITY, "certificate %s is \"%.*s\", expected \"%s\"",
				  what, (int)(found.n > 300 ? 300 : found.n), (const char *)found.p, exact);
	}
	s = malloc(found.n + 1);
	if (s == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	if (found.n)
		memcpy(s, found.p, found.n);
	s[found.n] = '\0';
	if ((rc = compile(regexp, &re, err)) != AL_OK) {
		free(s);
		return rc;
	}
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	if (!ok)
		rc = al_err_set(err, AL_E_VERIFY_IDENTITY,
				"certificate %s \"%.300s\" does not match the expression '%s' (anchored)",
				what, s, regexp);
	free(s);
	return rc;
}

al_rc
al_identity_match(const al_identity_policy *p, al_bytes san, al_bytes issuer, al_err *err)
{
	al_rc rc;

	/* a private PKI's policy may name the SAN alone: then the issuer is not
	 * judged (its certificates carry none) */
	if (p->issuer == NULL && p->issuer_regexp == NULL) {
		if (san.p == NULL || san.n == 0)
			return al_err_set(err, AL_E_VERIFY_IDENTITY, "certificate has no subject alternative name");
		return match_one("identity (SAN)", p->san, p->san_regexp, san, err);
	}
	if (issuer.p == NULL || issuer.n == 0)
		return al_err_set(err, AL_E_VERIFY_IDENTITY,
				  "certificate has no OIDC issuer extension (1.3.6.1.4.1.57264.1.8 or .1.1)");
	if (san.p == NULL || san.n == 0)
		return al_err_set(err, AL_E_VERIFY_IDENTITY, "certificate has no subject alternative name");
	if ((rc = match_one("identity (SAN)", p->san, p->san_regexp, san, err)) != AL_OK)
		return rc;
	return match_one("OIDC issuer", p->issuer, p->issuer_regexp, issuer, err);
}

al_rc
al_extensions_match(const al_identity_policy *p, const mbedtls_x509_crt *crt, al_err *err)
{
	for (size_t i = 0; i < p->next; i++) {
		const al_pol_ext *x = &p->ext[i];
		char what[96];
		al_bytes v;
		bool present = false;
		al_rc rc;

		if ((rc = al_x509_fulcio_ext(crt, x->arc, &v, &present, err)) != AL_OK)
			return rc;
		snprintf(what, sizeof(what), "extension %s (1.3.6.1.4.1.57264.1.%u)", x->name, x->arc);
		if (!present)
			return al_err_set(err, AL_E_VERIFY_IDENTITY, "certificate has no %s; the policy requires it", what);
		if ((rc = match_one(what, x->value.exact, x->value.regexp, v, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}
