/*
 * test_policy_formats.c — the policy readers other than airlock's own:
 * containers-policy.json(5) (policy/containers.c) and Sigstore
 * policy-controller ClusterImagePolicy (policy/cip.c), each feature with a
 * passing case and a failing twin; the canonical form of what they read
 * taken back by airlock's reader; which rule decides for an image; and the
 * names they rest on (policy/names.c: references, globs, signedIdentity).
 *
 * The policies are the test's own, written with ' for " (JSON has no single
 * quotes, and no string below needs one). containers/image's fixture
 * policy.json is read in place from ../shared.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "util/testutil.h"
#include "policy/policy.h"

/* made for this test with `openssl ecparam -genkey -name prime256v1` */
static const char PEM[] = "-----BEGIN PUBLIC KEY-----\n"
			  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5zYYEu3QYwuaXPBnExH5x93ZxQCn\n"
			  "ys8XWZbkopxPEmtR8j1LlzMQScJCHlvUIXRmTU7rZ/Rni+9c3HVM1NnvOg==\n"
			  "-----END PUBLIC KEY-----\n";
/* the same as a JSON string's content */
#define PEM_J                                                                    \
	"-----BEGIN PUBLIC KEY-----\\n"                                          \
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5zYYEu3QYwuaXPBnExH5x93ZxQCn\\n"    \
	"ys8XWZbkopxPEmtR8j1LlzMQScJCHlvUIXRmTU7rZ/Rni+9c3HVM1NnvOg==\\n"        \
	"-----END PUBLIC KEY-----\\n"
#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ---------------------------------------------------------------- helpers */

/* The policy text with ' turned into ". */
static char *
J(const char *s)
{
	char *o = strdup(s);

	ck_assert_ptr_nonnull(o);
	for (char *p = o; *p; p++)
		if (*p == '\'')
			*p = '"';
	return o;
}

static char *
fmt(const char *f, ...) AL_PRINTF(1, 2);

static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *o = NULL;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&o, f, ap), 0);
	va_end(ap);
	return o;
}

/* base64 of s, as containers-policy.json keyData carries PEM */
static char *
b64(const char *s)
{
	al_buf b = { 0 };
	al_err e;
	char *o;

	al_err_clear(&e);
	ck_assert_ok(al_b64_encode(al_bytes_str(s), &b, &e), &e);
	o = strndup((const char *)b.p, b.n);
	al_buf_free(&b);
	return o;
}

static al_policy *
load_at(const char *text, const char *dir, int line)
{
	char *j = J(text);
	al_policy *p = NULL;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_policy_parse(al_bytes_str(j), "t.json", dir, &p, &err);
	ck_assert_msg(rc == AL_OK && p != NULL, "line %d: %s: %s", line, j, err.msg);
	free(j);
	return p;
}
#define load(text) load_at((text), NULL, __LINE__)

static void
refused_at(const char *text, const char *const *want, int line)
{
	char *j = J(text);
	al_policy *p = NULL;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_policy_parse(al_bytes_str(j), "t.json", NULL, &p, &err);
	ck_assert_msg(rc == AL_E_USAGE && p == NULL, "line %d: %s: got %s (%s)", line, j, al_rc_name(rc), err.msg);
	ck_assert_msg(al_rc_exit(rc) == 2, "line %d: exit %d", line, al_rc_exit(rc));
	for (; *want; want++)
		ck_assert_msg(strstr(err.msg, *want) != NULL, "line %d: message \"%s\" lacks \"%s\"", line, err.msg,
			      *want);
	free(j);
}
#define refused(text, ...) refused_at((text), (const char *const[]){ __VA_ARGS__, NULL }, __LINE__)

/* Free-standing format strings (fmt) are refused through this one. */
static void
refused_free(char *text, const char *want, int line)
{
	const char *const w[] = { want, NULL };

	refused_at(text, w, line);
	free(text);
}

static const al_pol_rule *
rule_named(const al_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].name, name) == 0)
			return &p->rules[i];
	ck_abort_msg("no rule %s", name);
	return NULL;
}

/* The canonical form, read back by airlock's own reader, is the same
 * canonical form. */
static void
roundtrip(const al_policy *p)
{
	al_buf a = { 0 }, b = { 0 };
	al_policy *q = NULL;
	al_err err;

	al_err_clear(&err);
	ck_assert_ok(al_policy_canonical(p, &a, &err), &err);
	ck_assert_ok(al_policy_parse(al_buf_bytes(&a), "canonical", NULL, &q, &err), &err);
	ck_assert_str_eq(q->format, "airlock");
	ck_assert_ok(al_policy_canonical(q, &b, &err), &err);
	ck_assert_msg(al_bytes_eq(al_buf_bytes(&a), al_buf_bytes(&b)), "canonical forms differ:\n%.*s\n%.*s",
		      (int)a.n, (const char *)a.p, (int)b.n, (const char *)b.p);
	al_policy_free(q);
	al_buf_free(&a);
	al_buf_free(&b);
}

static bool
has(const al_buf *b, const char *s)
{
	return memmem(b->p, b->n, s, strlen(s)) != NULL;
}

/* The name of the rule that decides for an image name (NULL: none). */
static const char *
decides(const al_policy *p, const char *image)
{
	al_ref r;
	al_err err;
	al_pol_subject s = { &r, NULL, NULL };
	const al_pol_rule *rule;

	al_err_clear(&err);
	ck_assert_ok(al_ref_parse(image, &r, &err), &err);
	rule = al_policy_rule_for(p, &s);
	return rule ? rule->name : NULL;
}

/* ... and for a bundle read from a path. */
static const char *
decides_path(const al_policy *p, const char *transport, const char *path)
{
	al_pol_subject s = { NULL, path, transport };
	const al_pol_rule *rule = al_policy_rule_for(p, &s);

	return rule ? rule->name : NULL;
}

#define REJECT_DEFAULT "'default':[{'type':'reject'}]"
#define KEYREQ "{'type':'sigstoreSigned','keyPath':'/keys/a.pub'}"
/* A policy with one docker scope "example.com" and these requirements. */
#define DOCKER1(reqs) "{" REJECT_DEFAULT ",'transports':{'docker':{'example.com':[" reqs "]}}}"
#define SCOPE1 "transports.docker[\"example.com\"]"

/* ================================================================ containers-policy.json */

START_TEST(containers_model)
{
	al_policy *p = load("{" REJECT_DEFAULT ",'transports':{'docker':{"
			    "'example.com/app':[{'type':'sigstoreSigned','keyPath':'/keys/a.pub',"
			    "'rekorPublicKeyPath':'/keys/rekor.pub'}],"
			    "'example.com/open':[{'type':'insecureAcceptAnything'}]}}}");
	const al_pol_rule *r;

	ck_assert_str_eq(p->format, "containers-policy.json");
	ck_assert_uint_eq(p->nrules, 3);
	r = &p->rules[0];
	ck_assert_str_eq(r->name, "transports.docker[\"example.com/app\"]");
	ck_assert_int_eq(r->scope, AL_PSCOPE_DOCKER);
	ck_assert_uint_eq(r->npatterns, 1);
	ck_assert_str_eq(r->patterns[0], "example.com/app");
	ck_assert_int_eq(r->action, AL_PACT_VERIFY);
	ck_assert_int_eq(r->mode, AL_PMODE_ENFORCE);
	ck_assert(r->all_of && r->signatures_only);
	ck_assert_uint_eq(r->nauth, 1);
	ck_assert_uint_eq(r->threshold, 1);
	ck_assert_str_eq(r->auth[0].name, "transports.docker[\"example.com/app\"][0]");
	ck_assert_int_eq(r->auth[0].kind, AL_PAUTH_KEY);
	ck_assert_uint_eq(r->auth[0].nkeys, 1);
	ck_assert_str_eq(r->auth[0].keys[0].path, "/keys/a.pub");
	ck_assert_ptr_null(r->auth[0].keys[0].data);
	ck_assert_int_eq(r->ident.type, AL_PID_MATCH_REPO_DIGEST_OR_EXACT);
	ck_assert_uint_eq(r->ntlog_keys, 1);
	ck_assert_str_eq(r->tlog_keys[0].path, "/keys/rekor.pub");
	ck_assert_uint_eq(r->tlog_min, 1);
	ck_assert_uint_eq(r->relax, 0);
	ck_assert_uint_eq(r->natt, 0);
	r = &p->rules[1];
	ck_assert_str_eq(r->name, "transports.docker[\"example.com/open\"]");
	ck_assert_int_eq(r->action, AL_PACT_ACCEPT);
	ck_assert_uint_eq(r->relax, AL_RELAX_ACCEPT);
	r = &p->rules[2];
	ck_assert_str_eq(r->name, "default");
	ck_assert_int_eq(r->scope, AL_PSCOPE_DEFAULT);
	ck_assert_int_eq(r->action, AL_PACT_REJECT);
	roundtrip(p);
	al_policy_free(p);
}
END_TEST

START_TEST(containers_unknown_keys)
{
	/* the passing twins of each: containers_model and the tests below */
	refused("{" REJECT_DEFAULT ",'transport':{}}", "t.json: transport: unknown key", "default, transports");
	refused("{'default':[{'type':'reject','reason':'x'}]}", "default[0].reason: unknown key");
	refused("{'default':[{'type':'insecureAcceptAnything','keyPath':'/k'}]}", "default[0].keyPath: unknown key");
	refused("{'default':[{'type':'sigstoreSigned','keyPth':'/k'}]}", "default[0].keyPth: unknown key");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'oidcIssuer':'https://i','subjectEmail':'a@b','subjectEmial':'x'}}"),
		SCOPE1 "[0].fulcio.subjectEmial: unknown key");
	refused(DOCKER1("{'type':'sigstoreSigned','pki':{'caRoot':'/ca','subjectEmail':'a@b'}}"),
		SCOPE1 "[0].pki.caRoot: unknown key");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'matchExact',"
			"'dockerReference':'example.com/a:1'}}"),
		SCOPE1 "[0].signedIdentity.dockerReference: unknown key");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'remapIdentity',"
			"'prefix':'example.com','signedPrefix':'example.org','extra':1}}"),
		SCOPE1 "[0].signedIdentity.extra: unknown key");
}
END_TEST

START_TEST(containers_requirement_types)
{
	al_policy *p = load("{'default':[{'type':'insecureAcceptAnything'}]}");

	ck_assert_uint_eq(p->nrules, 1);
	ck_assert_int_eq(p->rules[0].action, AL_PACT_ACCEPT);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_ACCEPT);
	roundtrip(p);
	al_policy_free(p);
	p = load("{'default':[" KEYREQ "]}");
	ck_assert_int_eq(p->rules[0].action, AL_PACT_VERIFY);
	al_policy_free(p);

	refused(DOCKER1("{'type':'signedBy','keyType':'GPGKeys','keyPath':'/k.gpg'}"),
		SCOPE1 "[0]: GPG signedBy requirements are not supported by airlock",
		"sigstore signatures only", "refused, never passed");
	refused(DOCKER1(KEYREQ ",{'type':'signedBy','keyType':'X509Certificates','keyPath':'/c'}"),
		SCOPE1 "[1]: X.509 signedBy requirements are not supported");
	refused(DOCKER1("{'type':'signedBaseLayer','baseLayerIdentity':{'type':'matchRepository'}}"),
		SCOPE1 "[0]: signedBaseLayer requirements are not supported");
	refused(DOCKER1("{'type':'sigstoreSignd','keyPath':'/k'}"),
		SCOPE1 "[0].type: unknown requirement type \"sigstoreSignd\"");
	refused(DOCKER1("{'keyPath':'/k'}"), SCOPE1 "[0]: a requirement needs \"type\"");
	refused(DOCKER1("'reject'"), SCOPE1 "[0]: must be an object");
	refused(DOCKER1(""), SCOPE1 ": no requirement");
	refused("{'default':[]}", "default: no requirement");
	refused("{'default':{},'transports':{}}", "default: must be an array");
	refused("{'transports':{}}", "default: missing");
	refused("{" REJECT_DEFAULT ",'transports':{'docker':{'example.com':{}}}}", SCOPE1 ": must be an array");
	refused("{" REJECT_DEFAULT ",'transports':{'docker':[]}}", "transports.docker: must be an object");
}
END_TEST

START_TEST(containers_keys)
{
	char *data = b64(PEM), *data2 = b64("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
	char *bin = b64("\x01\x02\x03");
	char *t;
	al_policy *p;
	const al_pol_authority *a;

	/* a relative path is the policy file's folder's */
	p = load_at(DOCKER1("{'type':'sigstoreSigned','keyPath':'keys/a.pub'}"), "/etc/pol", __LINE__);
	ck_assert_str_eq(p->rules[0].auth[0].keys[0].path, "/etc/pol/keys/a.pub");
	al_policy_free(p);
	/* keyPaths: one authority, any of its keys */
	p = load(DOCKER1("{'type':'sigstoreSigned','keyPaths':['/a.pub','/b.pub']}"));
	a = &p->rules[0].auth[0];
	ck_assert_uint_eq(p->rules[0].nauth, 1);
	ck_assert_int_eq(a->kind, AL_PAUTH_KEY);
	ck_assert_uint_eq(a->nkeys, 2);
	ck_assert_str_eq(a->keys[1].path, "/b.pub");
	al_policy_free(p);
	/* keyData: base64 of the PEM text, kept decoded */
	t = fmt(DOCKER1("{'type':'sigstoreSigned','keyData':'%s'}"), data);
	p = load(t);
	a = &p->rules[0].auth[0];
	ck_assert_ptr_null(a->keys[0].path);
	ck_assert_str_eq(a->keys[0].data, PEM);
	roundtrip(p);
	al_policy_free(p);
	free(t);
	t = fmt(DOCKER1("{'type':'sigstoreSigned','keyDatas':['%s','%s']}"), data, data2);
	p = load(t);
	a = &p->rules[0].auth[0];
	ck_assert_uint_eq(a->nkeys, 2);
	ck_assert_str_eq(a->keys[0].data, PEM);
	ck_assert_str_eq(a->keys[1].data, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
	al_policy_free(p);
	free(t);
	/* Go's base64 reader skips line breaks */
	p = load(DOCKER1("{'type':'sigstoreSigned','keyData':'bm9u\\nc2Vuc2U='}"));
	ck_assert_str_eq(p->rules[0].auth[0].keys[0].data, "nonsense");
	al_policy_free(p);

	refused(DOCKER1("{'type':'sigstoreSigned','keyData':'@@@@'}"), SCOPE1 "[0].keyData: not base64");
	refused(DOCKER1("{'type':'sigstoreSigned','keyData':'bm9uc2Vuc2U'}"), SCOPE1 "[0].keyData: not base64");
	refused(DOCKER1("{'type':'sigstoreSigned','keyData':'ab-_'}"), "standard alphabet");
	refused(DOCKER1("{'type':'sigstoreSigned','keyData':''}"), SCOPE1 "[0].keyData: empty");
	refused(DOCKER1("{'type':'sigstoreSigned','keyData':7}"), SCOPE1 "[0].keyData: must be a string");
	refused_free(fmt(DOCKER1("{'type':'sigstoreSigned','keyData':'%s'}"), bin), "does not decode to PEM text",
		     __LINE__);
	refused_free(fmt(DOCKER1("{'type':'sigstoreSigned','keyDatas':['%s','@']}"), data),
		     SCOPE1 "[0].keyDatas[1]: not base64", __LINE__);
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/a','keyData':'bm9uc2Vuc2U='}"),
		"give exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki");
	refused(DOCKER1("{'type':'sigstoreSigned'}"), SCOPE1 "[0]: give exactly one of keyPath");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPaths':[]}"), SCOPE1 "[0].keyPaths: lists nothing");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPaths':'/a'}"), SCOPE1 "[0].keyPaths: must be an array");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPaths':['/a',1]}"), SCOPE1 "[0].keyPaths[1]: must be a string");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':''}"), SCOPE1 "[0].keyPath: an empty path");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPaths':['/1','/2','/3','/4','/5','/6','/7','/8','/9','/10',"
			"'/11','/12','/13','/14','/15','/16','/17']}"),
		SCOPE1 "[0].keyPaths: more keys than the 16 accepted");
	free(data);
	free(data2);
	free(bin);
}
END_TEST

START_TEST(containers_fulcio)
{
	char *ca = b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), *t;
	al_policy *p = load(DOCKER1("{'type':'sigstoreSigned','fulcio':{'caPath':'/fulcio.pem',"
				    "'oidcIssuer':'https://issuer.example','subjectEmail':'dev@example.com'},"
				    "'rekorPublicKeyPath':'/rekor.pub'}"));
	const al_pol_rule *r = &p->rules[0];
	const al_pol_authority *a = &r->auth[0];

	ck_assert_int_eq(a->kind, AL_PAUTH_KEYLESS);
	ck_assert_str_eq(a->ca_roots.path, "/fulcio.pem");
	ck_assert_str_eq(a->identity.exact, "dev@example.com");
	ck_assert_ptr_null(a->identity.regexp);
	ck_assert_str_eq(a->issuer.exact, "https://issuer.example");
	ck_assert_uint_eq(a->next, 0);
	/* containers/image checks no SCT; the log entry it requires */
	ck_assert_uint_eq(r->relax, AL_RELAX_SCT);
	ck_assert_uint_eq(r->tlog_min, 1);
	ck_assert_uint_eq(r->ntlog_keys, 1);
	roundtrip(p);
	al_policy_free(p);
	t = fmt(DOCKER1("{'type':'sigstoreSigned','fulcio':{'caData':'%s','oidcIssuer':'https://i',"
			"'subjectEmail':'a@b'},'rekorPublicKeyPath':'/rekor.pub'}"), ca);
	p = load(t);
	ck_assert_str_eq(p->rules[0].auth[0].ca_roots.data, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
	al_policy_free(p);
	free(t);

	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'oidcIssuer':'https://i'}}"), SCOPE1 "[0].fulcio: needs \"subjectEmail\"");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'oidcIssuer':'https://i','subjectEmail':''}}"), "needs \"subjectEmail\"");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'subjectEmail':'a@b'}}"), SCOPE1 "[0].fulcio: needs \"oidcIssuer\"");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'oidcIssuer':'https://i',"
			"'subjectEmail':'a@b'}}"), SCOPE1 "[0].fulcio: needs \"caPath\" or \"caData\"");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'caData':'bm9uc2Vuc2U=','oidcIssuer':'https://i','subjectEmail':'a@b'}}"), "not both");
	refused(DOCKER1("{'type':'sigstoreSigned','fulcio':{'caPath':'/ca','oidcIssuer':'https://i',"
			"'subjectEmail':'a@b'}}"), SCOPE1 "[0]: a fulcio requirement needs a Rekor key");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyPath':'/r','fulcio':{'caPath':'/ca',"
			"'oidcIssuer':'https://i','subjectEmail':'a@b'}}"), "give exactly one of keyPath");
	refused(DOCKER1("{'type':'sigstoreSigned','rekorPublicKeyPath':'/r','fulcio':'x'}"),
		SCOPE1 "[0].fulcio: must be an object");
	free(ca);
}
END_TEST

START_TEST(containers_pki)
{
	char *mid = b64("-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"), *t;
	al_policy *p;
	const al_pol_authority *a;

	t = fmt(DOCKER1("{'type':'sigstoreSigned','pki':{'caRootsPath':'/roots.pem','caIntermediatesData':'%s',"
			"'subjectHostname':'build.example.com'}}"), mid);
	p = load(t);
	a = &p->rules[0].auth[0];
	ck_assert_int_eq(a->kind, AL_PAUTH_PKI);
	ck_assert_str_eq(a->ca_roots.path, "/roots.pem");
	ck_assert_str_eq(a->ca_intermediates.data, "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n");
	ck_assert_str_eq(a->subject_hostname, "build.example.com");
	ck_assert_ptr_null(a->subject_email);
	/* no Rekor key: no log entry, said as a relaxation; no SCT to relax */
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_TLOG);
	ck_assert_uint_eq(p->rules[0].tlog_min, 0);
	roundtrip(p);
	al_policy_free(p);
	free(t);
	p = load(DOCKER1("{'type':'sigstoreSigned','pki':{'caRootsData':'bm9uc2Vuc2U=','subjectEmail':'a@b'}}"));
	ck_assert_str_eq(p->rules[0].auth[0].ca_roots.data, "nonsense");
	ck_assert_str_eq(p->rules[0].auth[0].subject_email, "a@b");
	al_policy_free(p);

	refused(DOCKER1("{'type':'sigstoreSigned','pki':{'subjectEmail':'a@b'}}"),
		SCOPE1 "[0].pki: needs \"caRootsPath\" or \"caRootsData\"");
	refused(DOCKER1("{'type':'sigstoreSigned','pki':{'caRootsPath':'/r'}}"),
		SCOPE1 "[0].pki: needs \"subjectEmail\" or \"subjectHostname\"");
	refused(DOCKER1("{'type':'sigstoreSigned','pki':{'caRootsPath':'/r','caRootsData':'bm9uc2Vuc2U=',"
			"'subjectEmail':'a@b'}}"), "give one of \"caRootsPath\" and \"caRootsData\", not both");
	refused(DOCKER1("{'type':'sigstoreSigned','pki':{'caRootsPath':'/r','caIntermediatesPath':'/i',"
			"'caIntermediatesData':'bm9uc2Vuc2U=','subjectEmail':'a@b'}}"), "not both");
	free(mid);
}
END_TEST

START_TEST(containers_rekor)
{
	char *rk = b64(PEM), *t;
	al_policy *p;
	const al_pol_rule *r;

	t = fmt(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyData':'%s'}"), rk);
	p = load(t);
	r = &p->rules[0];
	ck_assert_uint_eq(r->ntlog_keys, 1);
	ck_assert_str_eq(r->tlog_keys[0].data, PEM);
	ck_assert_uint_eq(r->tlog_min, 1);
	ck_assert_uint_eq(r->relax, 0);
	al_policy_free(p);
	free(t);
	/* the Rekor keys of every requirement of the scope, appended */
	p = load(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k1','rekorPublicKeyPaths':['/r1','/r2']},"
			 "{'type':'sigstoreSigned','keyPath':'/k2','rekorPublicKeyPath':'/r3'}"));
	r = &p->rules[0];
	ck_assert_uint_eq(r->nauth, 2);
	ck_assert_uint_eq(r->threshold, 2);
	ck_assert_uint_eq(r->ntlog_keys, 3);
	ck_assert_str_eq(r->tlog_keys[2].path, "/r3");
	ck_assert_uint_eq(r->tlog_min, 1);
	roundtrip(p);
	al_policy_free(p);
	/* once one requirement names a log, every signature needs an entry */
	p = load(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k1','rekorPublicKeyPath':'/r1'}," KEYREQ));
	ck_assert_uint_eq(p->rules[0].tlog_min, 1);
	ck_assert_uint_eq(p->rules[0].relax, 0);
	al_policy_free(p);
	/* none names one: containers/image requires no entry, and the rule says so */
	p = load(DOCKER1(KEYREQ));
	ck_assert_uint_eq(p->rules[0].tlog_min, 0);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_TLOG);
	ck_assert_uint_eq(p->rules[0].ntlog_keys, 0);
	al_policy_free(p);

	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyPath':'/r',"
			"'rekorPublicKeyData':'bm9uc2Vuc2U='}"), SCOPE1 "[0]: give at most one of rekorPublicKeyPath");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyDatas':[]}"),
		SCOPE1 "[0].rekorPublicKeyDatas: lists nothing");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyData':'%%%%'}"),
		SCOPE1 "[0].rekorPublicKeyData: not base64");
	free(rk);
}
END_TEST

START_TEST(containers_signed_identity)
{
	static const struct {
		const char *json;
		al_pol_ident type;
		const char *ref, *prefix, *signed_prefix;
	} ok[] = {
		{ "{'type':'matchExact'}", AL_PID_MATCH_EXACT, NULL, NULL, NULL },
		{ "{'type':'matchRepository'}", AL_PID_MATCH_REPOSITORY, NULL, NULL, NULL },
		{ "{'type':'matchRepoDigestOrExact'}", AL_PID_MATCH_REPO_DIGEST_OR_EXACT, NULL, NULL, NULL },
		{ "{'type':'exactReference','dockerReference':'example.com/a:1'}", AL_PID_EXACT_REFERENCE,
		  "example.com/a:1", NULL, NULL },
		{ "{'type':'exactReference','dockerReference':'example.com/a@sha256:" D64 "'}", AL_PID_EXACT_REFERENCE,
		  "example.com/a@sha256:" D64, NULL, NULL },
		{ "{'type':'exactRepository','dockerRepository':'example.com/a'}", AL_PID_EXACT_REPOSITORY,
		  "example.com/a", NULL, NULL },
		{ "{'type':'remapIdentity','prefix':'private-mirror:5000/vendor-mirror','signedPrefix':"
		  "'vendor.example.com'}", AL_PID_REMAP, NULL, "private-mirror:5000/vendor-mirror", "vendor.example.com" },
		{ "{'type':'remapIdentity','prefix':'docker.io/library','signedPrefix':'example.com:5000'}", AL_PID_REMAP,
		  NULL, "docker.io/library", "example.com:5000" },
	};
	al_policy *p;

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		char *t = fmt(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':%s}"), ok[i].json);
		const al_pol_signed_identity *id;

		p = load(t);
		id = &p->rules[0].ident;
		ck_assert_int_eq(id->type, ok[i].type);
		ck_assert_pstr_eq(id->reference, ok[i].ref);
		ck_assert_pstr_eq(id->prefix, ok[i].prefix);
		ck_assert_pstr_eq(id->signed_prefix, ok[i].signed_prefix);
		roundtrip(p);
		al_policy_free(p);
		free(t);
	}
	/* the same identity stated twice, or once and once by default */
	p = load(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k1','signedIdentity':{'type':'matchRepository'}},"
			 "{'type':'sigstoreSigned','keyPath':'/k2','signedIdentity':{'type':'matchRepository'}}"));
	ck_assert_int_eq(p->rules[0].ident.type, AL_PID_MATCH_REPOSITORY);
	al_policy_free(p);
	p = load(DOCKER1(KEYREQ ",{'type':'sigstoreSigned','keyPath':'/k2','signedIdentity':"
			 "{'type':'matchRepoDigestOrExact'}}"));
	ck_assert_int_eq(p->rules[0].ident.type, AL_PID_MATCH_REPO_DIGEST_OR_EXACT);
	al_policy_free(p);
	/* different ones do not fit one rule, unless the rule rejects anyway */
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k1','signedIdentity':{'type':'matchRepository'}},"
			"{'type':'sigstoreSigned','keyPath':'/k2','signedIdentity':{'type':'matchExact'}}"),
		SCOPE1 "[1]: states a signedIdentity other than " SCOPE1 "[0]'s", "one signedIdentity per scope");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k1','signedIdentity':{'type':'exactRepository',"
			"'dockerRepository':'example.com/a'}},{'type':'sigstoreSigned','keyPath':'/k2','signedIdentity':"
			"{'type':'exactRepository','dockerRepository':'example.com/b'}}"),
		"states a signedIdentity other than");
	p = load(DOCKER1("{'type':'reject'},{'type':'sigstoreSigned','keyPath':'/k1','signedIdentity':"
			 "{'type':'matchRepository'}},{'type':'sigstoreSigned','keyPath':'/k2'}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_REJECT);
	al_policy_free(p);

	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'exactReference',"
			"'dockerReference':'example.com/a'}}"),
		SCOPE1 "[0].signedIdentity.dockerReference: names neither a tag nor a digest");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'exactReference',"
			"'dockerReference':'Example.com/A:1'}}"), SCOPE1 "[0].signedIdentity.dockerReference:");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'exactReference'}}"),
		SCOPE1 "[0].signedIdentity: needs \"dockerReference\"");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'exactRepository',"
			"'dockerRepository':'a b'}}"), SCOPE1 "[0].signedIdentity.dockerRepository:");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'remapIdentity',"
			"'prefix':'https://example.com','signedPrefix':'example.org'}}"),
		SCOPE1 "[0].signedIdentity.prefix:");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'remapIdentity',"
			"'prefix':'example.com/a:tag','signedPrefix':'example.org'}}"),
		SCOPE1 "[0].signedIdentity.prefix:");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'remapIdentity',"
			"'prefix':'example.com','signedPrefix':'vendor/x'}}"), SCOPE1 "[0].signedIdentity.signedPrefix:");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'matchAnything'}}"),
		SCOPE1 "[0].signedIdentity.type: must be matchRepoDigestOrExact");
	refused(DOCKER1("{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':'matchExact'}"),
		SCOPE1 "[0].signedIdentity: must be an object");
}
END_TEST

START_TEST(containers_and_semantics)
{
	al_policy *p;
	const al_pol_rule *r;

	/* AND with reject is reject, wherever it stands */
	p = load(DOCKER1(KEYREQ ",{'type':'reject'}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_REJECT);
	ck_assert_uint_eq(p->rules[0].nauth, 0);
	roundtrip(p);
	al_policy_free(p);
	p = load(DOCKER1("{'type':'insecureAcceptAnything'},{'type':'reject'}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_REJECT);
	al_policy_free(p);
	/* AND with accept-anything is neutral */
	p = load(DOCKER1("{'type':'insecureAcceptAnything'}," KEYREQ));
	r = &p->rules[0];
	ck_assert_int_eq(r->action, AL_PACT_VERIFY);
	ck_assert_uint_eq(r->nauth, 1);
	ck_assert_uint_eq(r->relax & AL_RELAX_ACCEPT, 0);
	al_policy_free(p);
	p = load(DOCKER1("{'type':'insecureAcceptAnything'},{'type':'insecureAcceptAnything'}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_ACCEPT);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_ACCEPT);
	al_policy_free(p);
	/* every sigstoreSigned requirement must hold: all of them */
	p = load(DOCKER1(KEYREQ ",{'type':'sigstoreSigned','pki':{'caRootsPath':'/r','subjectEmail':'a@b'}},"
			 "{'type':'sigstoreSigned','keyPaths':['/x','/y']}"));
	r = &p->rules[0];
	ck_assert_int_eq(r->action, AL_PACT_VERIFY);
	ck_assert_uint_eq(r->nauth, 3);
	ck_assert_uint_eq(r->threshold, 3);
	ck_assert(r->all_of && r->signatures_only);
	ck_assert_int_eq(r->auth[1].kind, AL_PAUTH_PKI);
	ck_assert_str_eq(r->auth[2].name, SCOPE1 "[2]");
	roundtrip(p);
	al_policy_free(p);
}
END_TEST

START_TEST(containers_scopes)
{
	static const char *const docker_ok[] = {
		"", "example.com", "example.com:5000", "localhost", "localhost:5000/x", "example.com/ns/repo",
		"example.com/repo:tag", "example.com/repo@sha256:" D64, "*.example.com", "*.com",
		"docker.io/library/busybox", "[::1]:5000/x", "my-registry.example.com/a/b_c/d.e",
	};
	static const struct {
		const char *scope, *want;
	} docker_bad[] = {
		{ "busybox", "names no registry host" },
		{ "myhost/x", "names no registry host" },
		{ "https://example.com/x", "names no scheme" },
		{ "example.com/x/", "does not end with '/'" },
		{ "docker.io/busybox", "write \"docker.io/library/busybox\"" },
		{ "index.docker.io/library/x", "docker.io" },
		{ "index.docker.io", "docker.io" },
		{ "*.example.com:5000", "a wildcard scope is" },
		{ "*example.com", "a wildcard scope is" },
		{ "*.", "a wildcard scope is" },
		{ "ex*ample.com", "'*' may only begin a scope" },
		{ "example.com/Repo", "not a docker reference" },
		{ "example.com/x:t@sha256:" D64, "not both" },
		{ "example..com/x", "names no registry host" },
		{ "-example.com/x", "names no registry host" },
		{ "example.com:/x", "names no registry host" },
		{ "example.com/x\\u0001", "contains a control character" },
	};
	static const struct {
		const char *transport, *scope, *want;
	} path_bad[] = {
		{ "dir", "srv/images", "a dir scope is an absolute path" },
		{ "dir", "/", "\"\" is the whole transport" },
		{ "dir", "/a/../b", "not a clean path" },
		{ "dir", "/a/./b", "not a clean path" },
		{ "dir", "/a/", "not a clean path" },
		{ "dir", "/a//b", "not a clean path" },
		{ "oci", "/a/..:tag", "not a clean path" },
		{ "oci", "/a:", "nothing follows ':'" },
		{ "oci-archive", "a.tar", "an absolute path" },
		{ "docker-archive", "/x.tar", "docker-archive takes no scope but \"\"" },
	};
	al_policy *p;

	for (size_t i = 0; i < AL_ARRAY_LEN(docker_ok); i++) {
		char *t = fmt("{" REJECT_DEFAULT ",'transports':{'docker':{'%s':[" KEYREQ "]}}}", docker_ok[i]);

		p = load(t);
		ck_assert_uint_eq(p->nrules, 2);
		ck_assert_str_eq(p->rules[0].patterns[0], docker_ok[i]);
		roundtrip(p);
		al_policy_free(p);
		free(t);
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(docker_bad); i++)
		refused_free(fmt("{" REJECT_DEFAULT ",'transports':{'docker':{'%s':[" KEYREQ "]}}}", docker_bad[i].scope),
			     docker_bad[i].want, __LINE__);
	/* a control character reaches the message escaped */
	refused("{" REJECT_DEFAULT ",'transports':{'docker':{'example.com/x\\u001b[31m':[" KEYREQ "]}}}",
		"transports.docker[\"example.com/x\\u001b[31m\"]: contains a control character");
	/* path transports */
	p = load("{" REJECT_DEFAULT ",'transports':{'dir':{'':[{'type':'insecureAcceptAnything'}],'/srv/images':["
		 KEYREQ "]},'oci':{'/srv/oci:v1':[" KEYREQ "]},'oci-archive':{'/srv/a.tar':[" KEYREQ "]},"
		 "'docker-archive':{'':[{'type':'reject'}]}}}");
	ck_assert_uint_eq(p->nrules, 6);
	{
		const al_pol_rule *r = rule_named(p, "transports.dir[\"/srv/images\"]");

		ck_assert_int_eq(r->scope, AL_PSCOPE_PATH);
		ck_assert_str_eq(r->transport, "dir");
		ck_assert_str_eq(r->patterns[0], "/srv/images");
		r = rule_named(p, "transports.oci-archive[\"/srv/a.tar\"]");
		ck_assert_str_eq(r->transport, "oci-archive");
		r = rule_named(p, "transports.docker-archive[\"\"]");
		ck_assert_int_eq(r->action, AL_PACT_REJECT);
		ck_assert_str_eq(r->patterns[0], "");
	}
	roundtrip(p);
	al_policy_free(p);
	for (size_t i = 0; i < AL_ARRAY_LEN(path_bad); i++)
		refused_free(fmt("{" REJECT_DEFAULT ",'transports':{'%s':{'%s':[" KEYREQ "]}}}", path_bad[i].transport,
				 path_bad[i].scope),
			     path_bad[i].want, __LINE__);
	/* other transports are read, and make no rule */
	p = load("{" REJECT_DEFAULT ",'transports':{'docker-daemon':{'':[{'type':'insecureAcceptAnything'}]},"
		 "'containers-storage':{'x':[" KEYREQ "]}}}");
	ck_assert_uint_eq(p->nrules, 1);
	al_policy_free(p);
	refused("{" REJECT_DEFAULT ",'transports':{'containers-storage':{'':[{'type':'signedBy','keyType':'GPGKeys',"
		"'keyPath':'/k'}]}}}",
		"transports.containers-storage[\"\"][0]: GPG signedBy");
	refused("{" REJECT_DEFAULT ",'transports':{'atomic':{'example.com':[{'type':'sigstoreSigned'}]}}}",
		"transports.atomic[\"example.com\"][0]: give exactly one of");
	refused("{" REJECT_DEFAULT ",'transports':{'docker daemon':{'':[{'type':'rejekt'}]}}}",
		"transports[\"docker daemon\"][\"\"][0].type: unknown requirement type");
}
END_TEST

START_TEST(containers_rule_for)
{
	al_policy *p = load("{" REJECT_DEFAULT ",'transports':{"
			    "'docker':{'*.com':[{'type':'reject'}],"
			    "'example.com':[{'type':'sigstoreSigned','keyPath':'/k1'}],"
			    "'':[{'type':'insecureAcceptAnything'}],"
			    "'example.com/a/b:tag':[{'type':'sigstoreSigned','keyPath':'/k3'}],"
			    "'*.example.com':[{'type':'sigstoreSigned','keyPath':'/k4'}],"
			    "'example.com/a':[{'type':'sigstoreSigned','keyPath':'/k2'}],"
			    "'example.com/a/b@sha256:" D64 "':[{'type':'sigstoreSigned','keyPath':'/k5'}]},"
			    "'dir':{'':[{'type':'insecureAcceptAnything'}],'/srv':[" KEYREQ "],'/srv/img':[" KEYREQ "]},"
			    "'oci':{'/srv/oci':[" KEYREQ "],'/srv/oci:v1':[" KEYREQ "]}}}");
	al_policy *q;

	/* the most specific docker scope decides, wherever it stands */
	ck_assert_str_eq(decides(p, "example.com/a/b:tag"), "transports.docker[\"example.com/a/b:tag\"]");
	ck_assert_str_eq(decides(p, "example.com/a/b@sha256:" D64), "transports.docker[\"example.com/a/b@sha256:" D64 "\"]");
	ck_assert_str_eq(decides(p, "example.com/a/b:other"), "transports.docker[\"example.com/a\"]");
	ck_assert_str_eq(decides(p, "example.com/a/b"), "transports.docker[\"example.com/a\"]");
	ck_assert_str_eq(decides(p, "example.com/a:1"), "transports.docker[\"example.com/a\"]");
	ck_assert_str_eq(decides(p, "example.com/ab:1"), "transports.docker[\"example.com\"]");
	ck_assert_str_eq(decides(p, "example.com/z"), "transports.docker[\"example.com\"]");
	ck_assert_str_eq(decides(p, "reg.example.com/x"), "transports.docker[\"*.example.com\"]");
	ck_assert_str_eq(decides(p, "a.b.example.com/x"), "transports.docker[\"*.example.com\"]");
	ck_assert_str_eq(decides(p, "other.com/x"), "transports.docker[\"*.com\"]");
	ck_assert_str_eq(decides(p, "example.org/x"), "transports.docker[\"\"]");
	ck_assert_str_eq(decides(p, "alpine"), "transports.docker[\"\"]");
	/* path scopes: the most specific folder */
	ck_assert_str_eq(decides_path(p, "dir", "/srv/img"), "transports.dir[\"/srv/img\"]");
	ck_assert_str_eq(decides_path(p, "dir", "/srv/img/x"), "transports.dir[\"/srv/img\"]");
	ck_assert_str_eq(decides_path(p, "dir", "/srv/imgx"), "transports.dir[\"/srv\"]");
	ck_assert_str_eq(decides_path(p, "dir", "/srv/other"), "transports.dir[\"/srv\"]");
	ck_assert_str_eq(decides_path(p, "dir", "/tmp/x"), "transports.dir[\"\"]");
	ck_assert_str_eq(decides_path(p, "oci", "/srv/oci:v1"), "transports.oci[\"/srv/oci:v1\"]");
	ck_assert_str_eq(decides_path(p, "oci", "/srv/oci:v2"), "transports.oci[\"/srv/oci\"]");
	ck_assert_str_eq(decides_path(p, "oci", "/srv/oci/x"), "transports.oci[\"/srv/oci\"]");
	/* no scope of the transport: the default */
	ck_assert_str_eq(decides_path(p, "oci", "/tmp/y"), "default");
	ck_assert_str_eq(decides_path(p, "docker-archive", "/srv/x.tar"), "default");
	roundtrip(p);
	al_policy_free(p);
	/* without the transport's "" scope, the default */
	q = load("{" REJECT_DEFAULT ",'transports':{'docker':{'example.com':[" KEYREQ "]}}}");
	ck_assert_str_eq(decides(q, "example.com/x:1"), SCOPE1);
	ck_assert_str_eq(decides(q, "example.org/x:1"), "default");
	ck_assert_str_eq(decides_path(q, "dir", "/srv"), "default");
	al_policy_free(q);
}
END_TEST

START_TEST(containers_roundtrip)
{
	char *k = b64(PEM), *t;
	al_policy *p;
	al_buf a = { 0 };
	al_err err;

	t = fmt("{'default':[{'type':'sigstoreSigned','keyPaths':['/k1','/k2'],'rekorPublicKeyPath':'/rekor.pub'}],"
		"'transports':{'docker':{"
		"'example.com/keyed':[{'type':'sigstoreSigned','keyData':'%s','signedIdentity':"
		"{'type':'remapIdentity','prefix':'example.com','signedPrefix':'upstream.example.org'}}],"
		"'example.com/keyless':[{'type':'sigstoreSigned','fulcio':{'caData':'%s','oidcIssuer':'https://i',"
		"'subjectEmail':'a@b'},'rekorPublicKeyData':'%s'},{'type':'insecureAcceptAnything'}],"
		"'example.com/pki':[{'type':'sigstoreSigned','pki':{'caRootsPath':'/roots','caIntermediatesPath':'/mid',"
		"'subjectEmail':'a@b','subjectHostname':'h'},'signedIdentity':{'type':'exactRepository',"
		"'dockerRepository':'example.com/pki'}}],"
		"'*.example.net':[{'type':'reject'}],'example.com/open':[{'type':'insecureAcceptAnything'}]},"
		"'dir':{'/srv':[{'type':'sigstoreSigned','keyPath':'/k','signedIdentity':{'type':'exactReference',"
		"'dockerReference':'example.com/x:1'}}]}}}",
		k, k, k);
	p = load(t);
	roundtrip(p);
	al_err_clear(&err);
	ck_assert_ok(al_policy_canonical(p, &a, &err), &err);
	ck_assert_ptr_nonnull(al_buf_bytes(&a).p);
	/* what airlock's reader takes for exactly this */
	ck_assert(has(&a, "\"scopes\":[\"example.com/keyed\"]"));
	ck_assert(has(&a, "\"paths\":[\"/srv\"]"));
	ck_assert(has(&a, "\"transport\":\"dir\""));
	ck_assert(has(&a, "\"allOf\":true"));
	ck_assert(has(&a, "\"signaturesOnly\":true"));
	ck_assert(has(&a, "\"signedIdentity\":{\"prefix\":\"example.com\""));
	ck_assert(has(&a, "insecure-ignore-sct"));
	al_buf_free(&a);
	al_policy_free(p);
	free(t);
	free(k);
}
END_TEST

/* containers/image's own example policy: refused for its GPG and base-layer
 * requirements and for nothing else. */
START_TEST(containers_fixture)
{
	static const char rel[] = "vectors/containers__image/signature/fixtures/policy.json";
	const char *sh = al_test_shared("containers/image fixture policy.json");
	al_policy *p = NULL;
	al_buf b;
	cJSON *doc, *tr, *t, *s;
	char *text;
	al_err err;

	if (sh == NULL || !al_test_shared_has(rel))
		return;
	al_err_clear(&err);
	ck_assert_rc(al_policy_load(al_test_shared_path(rel), &p, &err), AL_E_USAGE, &err);
	ck_assert_ptr_null(p);
	ck_assert_err_has(&err, "transports.docker[\"example.com/production\"][0]: GPG signedBy requirements are "
			  "not supported by airlock");
	/* the same file without them loads */
	b = al_test_read(al_test_shared_path(rel));
	doc = cJSON_ParseWithLength((const char *)b.p, b.n);
	ck_assert_ptr_nonnull(doc);
	tr = cJSON_GetObjectItemCaseSensitive(doc, "transports");
	cJSON_ArrayForEach(t, tr) {
		for (s = t->child; s != NULL;) {
			cJSON *next = s->next;

			for (int i = cJSON_GetArraySize(s) - 1; i >= 0; i--) {
				const char *type = cJSON_GetStringValue(
					cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(s, i), "type"));

				if (strcmp(type, "signedBy") == 0 || strcmp(type, "signedBaseLayer") == 0)
					cJSON_DeleteItemFromArray(s, i);
			}
			if (cJSON_GetArraySize(s) == 0)
				cJSON_DeleteItemFromObjectCaseSensitive(t, s->string);
			s = next;
		}
	}
	text = cJSON_PrintUnformatted(doc);
	ck_assert_ptr_nonnull(text);
	ck_assert_ok(al_policy_parse(al_bytes_str(text), "stripped", "/", &p, &err), &err);
	ck_assert_int_eq(rule_named(p, "transports.dir[\"\"]")->action, AL_PACT_ACCEPT);
	ck_assert_int_eq(rule_named(p, "transports.docker[\"example.com/playground\"]")->action, AL_PACT_ACCEPT);
	ck_assert_str_eq(rule_named(p, "transports.docker[\"example.com/sigstore/key-data-example\"]")->auth[0].keys[0].data,
			 "nonsense");
	ck_assert_int_eq(rule_named(p, "transports.docker[\"example.com/sigstore/key-path-example\"]")->ident.type,
			 AL_PID_MATCH_REPOSITORY);
	ck_assert_int_eq(rule_named(p, "default")->action, AL_PACT_REJECT);
	ck_assert_str_eq(decides(p, "example.com/playground/x:1"), "transports.docker[\"example.com/playground\"]");
	ck_assert_str_eq(decides(p, "registry.access.redhat.com/ubi9:1"), "default");
	al_policy_free(p);
	cJSON_free(text);
	cJSON_Delete(doc);
	al_buf_free(&b);
}
END_TEST

/* ================================================================ ClusterImagePolicy */

#define CIP_HEAD "{'apiVersion':'policy.sigstore.dev/v1beta1','kind':'ClusterImagePolicy','metadata':{'name':'prod'},"
#define KEYLESS_AUTH                                                                                         \
	"{'name':'gha','keyless':{'url':'https://fulcio.sigstore.dev','identities':[{'issuer':"              \
	"'https://token.actions.githubusercontent.com','subject':'https://github.com/org/repo/.github/"      \
	"workflows/release.yml@refs/heads/main'}]}}"
#define KEY_AUTH "{'name':'release-key','key':{'data':'" PEM_J "'}}"
/* A CIP over every image under ghcr.io/org with these authorities. */
#define CIP(auths) CIP_HEAD "'spec':{'images':[{'glob':'ghcr.io/org/**'}],'authorities':[" auths "]}}"

START_TEST(cip_model)
{
	al_policy *p = load(CIP(KEYLESS_AUTH));
	const al_pol_rule *r;
	const al_pol_authority *a;

	ck_assert_str_eq(p->format, "ClusterImagePolicy");
	ck_assert_uint_eq(p->nrules, 1);
	r = &p->rules[0];
	ck_assert_str_eq(r->name, "prod");
	ck_assert_int_eq(r->scope, AL_PSCOPE_GLOB);
	ck_assert_uint_eq(r->npatterns, 1);
	ck_assert_str_eq(r->patterns[0], "ghcr.io/org/**");
	ck_assert_int_eq(r->action, AL_PACT_VERIFY);
	ck_assert_int_eq(r->mode, AL_PMODE_ENFORCE);
	/* any one authority admits, as policy-controller admits */
	ck_assert_uint_eq(r->threshold, 1);
	ck_assert(!r->all_of);
	ck_assert(r->signatures_only);
	/* strict evidence by default: a log entry, an SCT */
	ck_assert_uint_eq(r->tlog_min, 1);
	ck_assert_uint_eq(r->tsa_min, 0);
	ck_assert_uint_eq(r->relax, 0);
	ck_assert_int_eq(r->ident.type, AL_PID_ANY);
	ck_assert_uint_eq(r->nauth, 1);
	a = &r->auth[0];
	ck_assert_str_eq(a->name, "gha");
	ck_assert_int_eq(a->kind, AL_PAUTH_KEYLESS);
	ck_assert_str_eq(a->issuer.exact, "https://token.actions.githubusercontent.com");
	ck_assert_str_eq(a->identity.exact, "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main");
	ck_assert_ptr_null(a->ca_roots.data);
	ck_assert_ptr_null(a->ca_roots.path);
	roundtrip(p);
	al_policy_free(p);
	/* v1alpha1, the same */
	p = load("{'apiVersion':'policy.sigstore.dev/v1alpha1','kind':'ClusterImagePolicy','metadata':{'name':'a'},"
		 "'spec':{'images':[{'glob':'**'}],'authorities':[" KEY_AUTH "]}}");
	ck_assert_str_eq(p->rules[0].auth[0].keys[0].data, PEM);
	ck_assert_str_eq(p->rules[0].auth[0].name, "release-key");
	al_policy_free(p);
}
END_TEST

START_TEST(cip_keys)
{
	al_policy *p = load(CIP("{'key':{'data':'" PEM_J "','hashAlgorithm':'sha256'}}"));

	ck_assert_int_eq(p->rules[0].auth[0].kind, AL_PAUTH_KEY);
	ck_assert_uint_eq(p->rules[0].auth[0].nkeys, 1);
	/* policy-controller's default name */
	ck_assert_str_eq(p->rules[0].auth[0].name, "authority-0");
	roundtrip(p);
	al_policy_free(p);

	refused(CIP("{'key':{'kms':'awskms:///arn:aws:kms:us-east-1:1:key/k'}}"),
		"spec.authorities[0].key.kms: a KMS key needs the network");
	refused(CIP("{'key':{'secretRef':{'name':'k'}}}"), "spec.authorities[0].key.secretRef: a Kubernetes Secret");
	refused(CIP("{'key':{'data':'" PEM_J "','kms':'gcpkms://x'}}"),
		"spec.authorities[0].key: give exactly one of \"data\", \"kms\" and \"secretRef\"");
	refused(CIP("{'key':{}}"), "spec.authorities[0].key: give exactly one");
	refused(CIP("{'key':{'data':'" PEM_J "','hashAlgorithm':'sha512'}}"),
		"spec.authorities[0].key.hashAlgorithm: \"sha512\"");
	refused(CIP("{'key':{'data':'x','keyData':'y'}}"), "spec.authorities[0].key.keyData: unknown key");
	refused(CIP("{'key':{'data':'" PEM_J "'},'keyless':{'url':'https://f','identities':[{'issuer':'i','subject':'s'}]}}"),
		"spec.authorities[0]: an authority is exactly one of");
	refused(CIP("{'name':'nothing'}"), "spec.authorities[0]: an authority is exactly one of");
}
END_TEST

START_TEST(cip_keyless)
{
	al_policy *p;
	const al_pol_rule *r;

	/* several identities: any of them, one authority each */
	p = load(CIP("{'name':'ci','keyless':{'ca-cert':{'data':'" PEM_J "'},'identities':["
		     "{'issuer':'https://a','subject':'x@example.com'},"
		     "{'issuerRegExp':'https://.*\\\\.example\\\\.com','subjectRegExp':'.*@example\\\\.com'}]}},"
		     KEY_AUTH));
	r = &p->rules[0];
	ck_assert_uint_eq(r->nauth, 3);
	ck_assert_uint_eq(r->threshold, 1);
	ck_assert_str_eq(r->auth[0].name, "ci.identities[0]");
	ck_assert_str_eq(r->auth[1].name, "ci.identities[1]");
	ck_assert_str_eq(r->auth[2].name, "release-key");
	ck_assert_str_eq(r->auth[0].identity.exact, "x@example.com");
	ck_assert_str_eq(r->auth[1].issuer.regexp, "https://.*\\.example\\.com");
	ck_assert_str_eq(r->auth[1].identity.regexp, ".*@example\\.com");
	ck_assert_ptr_null(r->auth[1].identity.exact);
	ck_assert_str_eq(r->auth[1].ca_roots.data, PEM);
	ck_assert_int_eq(r->auth[2].kind, AL_PAUTH_KEY);
	roundtrip(p);
	al_policy_free(p);
	/* insecureIgnoreSCT: said as the relaxation */
	p = load(CIP("{'keyless':{'url':'https://f','insecureIgnoreSCT':true,'identities':[{'issuer':'i','subject':'s'}]}}"));
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_SCT);
	al_policy_free(p);

	refused(CIP("{'keyless':{'url':'https://f','ca-cert':{'data':'" PEM_J "'},'identities':[{'issuer':'i',"
		    "'subject':'s'}]}}"), "spec.authorities[0].keyless: give exactly one of \"url\"");
	refused(CIP("{'keyless':{'identities':[{'issuer':'i','subject':'s'}]}}"),
		"spec.authorities[0].keyless: give exactly one of \"url\"");
	refused(CIP("{'keyless':{'trustRootRef':'corp','identities':[{'issuer':'i','subject':'s'}]}}"),
		"spec.authorities[0].keyless.trustRootRef: a TrustRoot resource");
	refused(CIP("{'keyless':{'url':'https://f','identities':[]}}"), "spec.authorities[0].keyless: needs \"identities\"");
	refused(CIP("{'keyless':{'url':'https://f'}}"), "needs \"identities\"");
	refused(CIP("{'keyless':{'url':'https://f','identities':[{'subject':'s'}]}}"),
		"spec.authorities[0].keyless.identities[0]: needs \"issuer\" or \"issuerRegExp\"");
	refused(CIP("{'keyless':{'url':'https://f','identities':[{'issuer':'i'}]}}"),
		"spec.authorities[0].keyless.identities[0]: needs \"subject\" or \"subjectRegExp\"");
	refused(CIP("{'keyless':{'url':'https://f','identities':[{'issuer':'i','issuerRegExp':'i','subject':'s'}]}}"),
		"give one of \"issuer\" and \"issuerRegExp\", not both");
	refused(CIP("{'keyless':{'url':'https://f','identities':[{'issuer':'i','subjectRegExp':'(a'}]}}"),
		"spec.authorities[0].keyless.identities[0].subjectRegExp: not a POSIX extended regular expression");
	refused(CIP("{'keyless':{'url':'https://f','identities':[{'issuer':'i','subjekt':'s'}]}}"),
		"spec.authorities[0].keyless.identities[0].subjekt: unknown key");
	refused(CIP("{'keyless':{'url':'https://f','ca-cert':{'data':'x'},'identities':[{'issuer':'i','subject':'s'}]}}"),
		"give exactly one of \"url\"");
	refused(CIP("{'keyless':{'ca-cert':{'secretRef':{'name':'ca'}},'identities':[{'issuer':'i','subject':'s'}]}}"),
		"spec.authorities[0].keyless.ca-cert.secretRef: a Kubernetes Secret");
	refused(CIP("{'keyless':{'url':'https://f','insecureIgnoreSCT':'yes','identities':[{'issuer':'i','subject':'s'}]}}"),
		"spec.authorities[0].keyless.insecureIgnoreSCT: must be true or false");
	/* one SCT requirement per rule */
	refused(CIP("{'keyless':{'url':'https://f','insecureIgnoreSCT':true,'identities':[{'issuer':'i','subject':'s'}]}},"
		    "{'keyless':{'url':'https://f','identities':[{'issuer':'i','subject':'t'}]}}"),
		"spec.authorities[1]: keyless authorities of one policy must agree on insecureIgnoreSCT");
}
END_TEST

START_TEST(cip_static)
{
	al_policy *p;

	p = load(CIP("{'static':{'action':'pass'}}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_ACCEPT);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_ACCEPT);
	roundtrip(p);
	al_policy_free(p);
	p = load(CIP("{'static':{'action':'fail','message':'frozen'}}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_REJECT);
	roundtrip(p);
	al_policy_free(p);
	/* any one authority admits: a failing one adds nothing beside others, a
	 * passing one admits everything */
	p = load(CIP("{'static':{'action':'fail'}}," KEY_AUTH));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_VERIFY);
	ck_assert_uint_eq(p->rules[0].nauth, 1);
	ck_assert_str_eq(p->rules[0].auth[0].name, "release-key");
	al_policy_free(p);
	p = load(CIP(KEY_AUTH ",{'static':{'action':'pass'}}"));
	ck_assert_int_eq(p->rules[0].action, AL_PACT_ACCEPT);
	al_policy_free(p);

	refused(CIP("{'static':{'action':'allow'}}"), "spec.authorities[0].static.action: \"pass\" or \"fail\"");
	refused(CIP("{'static':{}}"), "spec.authorities[0].static.action: \"pass\" or \"fail\"");
	refused(CIP("{'static':{'action':'pass','reason':'x'}}"), "spec.authorities[0].static.reason: unknown key");
	refused(CIP("{'static':{'action':'pass'},'ctlog':{'url':'https://r'}}"),
		"spec.authorities[0]: a static authority takes no attestations, source or ctlog");
	/* a misspelt key beside a passing authority is still refused */
	refused(CIP("{'static':{'action':'pass'}},{'keyless':{'url':'https://f','identities':[{'issuer':'i',"
		    "'subjct':'s'}]}}"), "spec.authorities[1].keyless.identities[0].subjct: unknown key");
}
END_TEST

START_TEST(cip_attestations)
{
	static const struct {
		const char *name, *uri;
	} types[] = {
		{ "custom", "https://cosign.sigstore.dev/attestation/v1" },
		{ "slsaprovenance", "https://slsa.dev/provenance/v0.2" },
		{ "slsaprovenance02", "https://slsa.dev/provenance/v0.2" },
		{ "slsaprovenance1", "https://slsa.dev/provenance/v1" },
		{ "link", "https://in-toto.io/Link/v1" },
		{ "spdx", "https://spdx.dev/Document" },
		{ "spdxjson", "https://spdx.dev/Document" },
		{ "cyclonedx", "https://cyclonedx.org/bom" },
		{ "vuln", "https://cosign.sigstore.dev/attestation/vuln/v1" },
		{ "openvex", "https://openvex.dev/ns" },
		{ "https://example.com/predicate/v1", "https://example.com/predicate/v1" },
	};
	al_policy *p;

	for (size_t i = 0; i < AL_ARRAY_LEN(types); i++) {
		char *t = fmt(CIP("{'key':{'data':'" PEM_J "'},'attestations':[{'name':'a','predicateType':'%s'}]}"),
			      types[i].name);

		p = load(t);
		ck_assert_uint_eq(p->rules[0].natt, 1);
		ck_assert_str_eq(p->rules[0].att[0].predicate_type, types[i].uri);
		ck_assert(!p->rules[0].att[0].slsa);
		/* what the authority must have signed: attestations meet it */
		ck_assert(!p->rules[0].signatures_only);
		al_policy_free(p);
		free(t);
	}
	p = load(CIP("{'name':'ci','keyless':{'url':'https://f','identities':[{'issuer':'i','subject':'s'},"
		     "{'issuer':'i','subject':'t'}]},'attestations':[{'name':'prov','predicateType':'slsaprovenance1'},"
		     "{'name':'sbom','predicateType':'cyclonedx'}]},{'static':{'action':'fail'}}"));
	ck_assert_uint_eq(p->rules[0].nauth, 2);
	ck_assert_uint_eq(p->rules[0].natt, 2);
	roundtrip(p);
	al_policy_free(p);

	refused(CIP("{'key':{'data':'x'},'attestations':[{'name':'a','predicateType':'slsa'}]}"),
		"spec.authorities[0].attestations[0].predicateType: \"slsa\" is neither a predicate type");
	refused(CIP("{'key':{'data':'x'},'attestations':[{'name':'a','predicateType':'custom','policy':"
		    "{'type':'cue','data':'predicateType: \\\"x\\\"'}}]}"),
		"spec.authorities[0].attestations[0].policy: CUE/Rego attestation policies are not evaluated by airlock",
		"remove the policy or express it in airlock's own format");
	refused(CIP("{'key':{'data':'x'},'attestations':[{'predicateType':'custom'}]}"),
		"spec.authorities[0].attestations[0]: needs \"name\"");
	refused(CIP("{'key':{'data':'x'},'attestations':[{'name':'a'}]}"),
		"spec.authorities[0].attestations[0]: needs \"predicateType\"");
	refused(CIP("{'key':{'data':'x'},'attestations':[{'name':'a','predicateType':'custom','type':'x'}]}"),
		"spec.authorities[0].attestations[0].type: unknown key");
	refused(CIP(KEY_AUTH ",{'key':{'data':'x'},'attestations':[{'name':'a','predicateType':'custom'}]}"),
		"spec.authorities[1]: attestations under one of several authorities");
}
END_TEST

START_TEST(cip_spec)
{
	static const struct {
		const char *glob, *want;
	} globs[] = {
		{ "ghcr.io/org/*", "ghcr.io/org/*" },
		{ "**", "**" },
		{ "*", "docker.io/library/*" },
		{ "*/*", "docker.io/*/*" },
		{ "nginx", "docker.io/library/nginx" },
		{ "myorg/app", "docker.io/myorg/app" },
		{ "index.docker.io/library/nginx:**", "docker.io/library/nginx:**" },
		{ "localhost:5000/x", "localhost:5000/x" },
		{ "*.example.com/**", "*.example.com/**" },
	};
	al_policy *p;

	for (size_t i = 0; i < AL_ARRAY_LEN(globs); i++) {
		char *t = fmt(CIP_HEAD "'spec':{'images':[{'glob':'%s'}],'authorities':[" KEY_AUTH "]}}", globs[i].glob);

		p = load(t);
		ck_assert_str_eq(p->rules[0].patterns[0], globs[i].want);
		al_policy_free(p);
		free(t);
	}
	/* mode, match, Kubernetes metadata and status */
	p = load("{'apiVersion':'policy.sigstore.dev/v1beta1','kind':'ClusterImagePolicy','metadata':{'name':'w',"
		 "'labels':{'team':'x'},'annotations':{'a':'b'},'resourceVersion':'7'},'status':{'conditions':[]},"
		 "'spec':{'mode':'warn','match':[{'resource':'pods','version':'v1'}],"
		 "'images':[{'glob':'ghcr.io/a/*'},{'glob':'ghcr.io/b/*'}],'authorities':[" KEY_AUTH "]}}");
	ck_assert_int_eq(p->rules[0].mode, AL_PMODE_WARN);
	ck_assert_uint_eq(p->rules[0].npatterns, 2);
	roundtrip(p);
	al_policy_free(p);
	/* evidence: ctlog {} turns the log off, rfc3161timestamp asks for a timestamp */
	p = load(CIP("{'key':{'data':'x'},'ctlog':{}}"));
	ck_assert_uint_eq(p->rules[0].tlog_min, 0);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_TLOG);
	roundtrip(p);
	al_policy_free(p);
	p = load(CIP("{'key':{'data':'x'},'ctlog':{'url':'https://rekor.example'},'rfc3161timestamp':"
		     "{'trustRootRef':'corp'}}"));
	ck_assert_uint_eq(p->rules[0].tlog_min, 1);
	ck_assert_uint_eq(p->rules[0].tsa_min, 1);
	ck_assert_uint_eq(p->rules[0].relax, 0);
	roundtrip(p);
	al_policy_free(p);

	refused(CIP_HEAD "'spec':{'mode':'audit','images':[{'glob':'**'}],'authorities':[" KEY_AUTH "]}}",
		"spec.mode: \"enforce\" or \"warn\"");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**'}],'authorities':[" KEY_AUTH "],'policy':{'type':'cue',"
		"'data':'x'}}}", "spec.policy: CUE/Rego attestation policies are not evaluated by airlock");
	refused(CIP_HEAD "'spec':{'imagez':[{'glob':'**'}],'authorities':[" KEY_AUTH "]}}", "spec.imagez: unknown key");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**','regex':'x'}],'authorities':[" KEY_AUTH "]}}",
		"spec.images[0].regex: unknown key");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**'}],'authorities':[" KEY_AUTH "],'match':[{'resourse':'pods'}]}}",
		"spec.match[0].resourse: unknown key");
	refused(CIP("{'key':{'data':'x'},'ctlog':{'url':'https://r','uri':'x'}}"),
		"spec.authorities[0].ctlog.uri: unknown key");
	refused(CIP("{'key':{'data':'x'},'source':[{'oci':'ghcr.io/sigs','tag':'x'}]}"),
		"spec.authorities[0].source[0].tag: unknown key");
	refused(CIP("{'key':{'data':'x'},'signatureFormat':'protobuf'}"),
		"spec.authorities[0].signatureFormat: \"legacy\" or \"bundle\"");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**'}],'authorities':[" KEY_AUTH "]},'extra':1}",
		"t.json: extra: unknown key");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'ghcr.io/[ab]'}],'authorities':[" KEY_AUTH "]}}",
		"spec.images[0].glob: a glob has letters");
	refused(CIP_HEAD "'spec':{'images':[],'authorities':[" KEY_AUTH "]}}", "spec: needs \"images\"");
	refused(CIP_HEAD "'spec':{'images':[{}],'authorities':[" KEY_AUTH "]}}", "spec.images[0]: needs \"glob\"");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**'}]}}", "spec: needs \"authorities\"");
	refused(CIP_HEAD "'spec':{'images':[{'glob':'**'}],'authorities':[]}}", "spec: needs \"authorities\"");
	refused("{'apiVersion':'v1','kind':'List','items':[]}", "kind: a List of policies",
		"one ClusterImagePolicy per file");
	refused("{'apiVersion':'policy.sigstore.dev/v1beta1','kind':'ImagePolicy','metadata':{'name':'x'},'spec':{}}",
		"kind: must be \"ClusterImagePolicy\"");
	refused("{'apiVersion':'policy.sigstore.dev/v1','kind':'ClusterImagePolicy','metadata':{'name':'x'},'spec':{}}",
		"apiVersion: must be");
	refused("{'apiVersion':'policy.sigstore.dev/v1beta1','kind':'ClusterImagePolicy','metadata':{},'spec':{}}",
		"metadata: needs \"name\"");
	refused("{'apiVersion':'policy.sigstore.dev/v1beta1','kind':'ClusterImagePolicy','metadata':{'name':'x'}}",
		"needs \"spec\"");
	/* one set of evidence per rule */
	refused(CIP(KEY_AUTH ",{'key':{'data':'x'},'ctlog':{}}"),
		"spec.authorities[1]: states other transparency-log or timestamp requirements");
	refused(CIP(KEY_AUTH ",{'key':{'data':'x'},'rfc3161timestamp':{}}"),
		"spec.authorities[1]: states other transparency-log or timestamp requirements");
}
END_TEST

START_TEST(cip_rule_for)
{
	al_policy *p = load(CIP_HEAD "'spec':{'images':[{'glob':'ghcr.io/org/*'},{'glob':'nginx'},"
			    "{'glob':'registry.example.com/team/**'}],'authorities':[" KEY_AUTH "]}}");

	ck_assert_str_eq(decides(p, "ghcr.io/org/app:1.0"), "prod");
	ck_assert_str_eq(decides(p, "ghcr.io/org/app@sha256:" D64), "prod");
	ck_assert_str_eq(decides(p, "nginx:1.25"), "prod");
	ck_assert_str_eq(decides(p, "docker.io/library/nginx"), "prod");
	ck_assert_str_eq(decides(p, "registry.example.com/team/a/b/c:1"), "prod");
	/* no glob matches: no rule, the image is refused */
	ck_assert_ptr_null(decides(p, "ghcr.io/org/sub/app:1.0"));
	ck_assert_ptr_null(decides(p, "ghcr.io/other/app"));
	ck_assert_ptr_null(decides(p, "myorg/nginx"));
	ck_assert_ptr_null(decides_path(p, "oci", "/srv/x"));
	al_policy_free(p);
}
END_TEST

/* ================================================================ seeds */

/* The fuzz seeds say what they were written to say: each format's seeds
 * load (and read back), the refused ones are refused for their reason. */
START_TEST(fuzz_seeds)
{
	static const struct {
		const char *file, *format, *refused;
		size_t nrules;
	} seeds[] = {
		{ "airlock_rules.json", "airlock", NULL, 3 },
		{ "airlock_scopes.json", "airlock", NULL, 3 },
		{ "containers_reject.json", "containers-policy.json", NULL, 1 },
		{ "containers_docker.json", "containers-policy.json", NULL, 8 },
		{ "containers_paths.json", "containers-policy.json", NULL, 7 },
		{ "containers_signedby.json", NULL, "GPG signedBy", 0 },
		{ "cip_keyless.json", "ClusterImagePolicy", NULL, 1 },
		{ "cip_attestations.json", "ClusterImagePolicy", NULL, 1 },
		{ "cip_static.json", "ClusterImagePolicy", NULL, 1 },
		{ "cip_list.json", NULL, "one ClusterImagePolicy per file", 0 },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(seeds); i++) {
		char rel[128];
		al_policy *p = NULL;
		al_err err;
		al_rc rc;

		snprintf(rel, sizeof(rel), "fuzz/corpus/policy/%s", seeds[i].file);
		al_err_clear(&err);
		rc = al_policy_load(al_test_src_path(rel), &p, &err);
		if (seeds[i].refused != NULL) {
			ck_assert_msg(rc == AL_E_USAGE && strstr(err.msg, seeds[i].refused), "%s: %s", rel, err.msg);
			continue;
		}
		ck_assert_msg(rc == AL_OK, "%s: %s", rel, err.msg);
		ck_assert_str_eq(p->format, seeds[i].format);
		ck_assert_msg(p->nrules == seeds[i].nrules, "%s: %zu rules", rel, p->nrules);
		roundtrip(p);
		al_policy_free(p);
	}
}
END_TEST

/* ================================================================ names */

START_TEST(names_ref_parse)
{
	static const struct {
		const char *in, *domain, *repository, *tag, *digest, *full;
	} ok[] = {
		{ "alpine", "docker.io", "docker.io/library/alpine", NULL, NULL, "docker.io/library/alpine" },
		{ "alpine:3.19", "docker.io", "docker.io/library/alpine", "3.19", NULL, "docker.io/library/alpine:3.19" },
		{ "user/app", "docker.io", "docker.io/user/app", NULL, NULL, "docker.io/user/app" },
		{ "docker.io/alpine", "docker.io", "docker.io/library/alpine", NULL, NULL, "docker.io/library/alpine" },
		{ "index.docker.io/user/app:1", "docker.io", "docker.io/user/app", "1", NULL, "docker.io/user/app:1" },
		{ "localhost:5000/x:1", "localhost:5000", "localhost:5000/x", "1", NULL, "localhost:5000/x:1" },
		{ "localhost/x", "localhost", "localhost/x", NULL, NULL, "localhost/x" },
		{ "example.com/a/b@sha256:" D64, "example.com", "example.com/a/b", NULL, "sha256:" D64,
		  "example.com/a/b@sha256:" D64 },
		{ "example.com:443/a:v1@sha256:" D64, "example.com:443", "example.com:443/a", "v1", "sha256:" D64,
		  "example.com:443/a:v1@sha256:" D64 },
		{ "localhost:5000", "docker.io", "docker.io/library/localhost", "5000", NULL,
		  "docker.io/library/localhost:5000" },
	};
	static const char *const bad[] = {
		"", "Alpine", "example.com/A", "x@sha256:abc", "x@md5:" D64, "x:", "x:-a", "x:.a", "/x", "x/",
		"x//y", "example.com/", "exa mple.com/x",
	};
	char big[1100];
	al_ref r;
	al_err err;

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		al_err_clear(&err);
		ck_assert_ok(al_ref_parse(ok[i].in, &r, &err), &err);
		ck_assert_str_eq(r.domain, ok[i].domain);
		ck_assert_str_eq(r.repository, ok[i].repository);
		ck_assert_pstr_eq(r.tag, ok[i].tag);
		ck_assert_pstr_eq(r.digest, ok[i].digest);
		ck_assert_str_eq(r.full, ok[i].full);
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++)
		ck_assert_msg(al_ref_parse(bad[i], &r, &err) == AL_E_USAGE, "'%s' parsed", bad[i]);
	/* lengths: refused, never written past the buffers (ASan) */
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	ck_assert_rc(al_ref_parse(big, &r, &err), AL_E_USAGE, &err);
	for (size_t n = 500; n < 530; n++) {
		big[n] = '\0';
		ck_assert_rc(al_ref_parse(big, &r, &err), AL_E_USAGE, &err);
		big[n] = 'a';
	}
	/* a 255-byte name with a 128-byte tag and a sha512 digest is longer
	 * than any reference airlock keeps */
	snprintf(big, sizeof(big), "example.com/%0243d:%0128d@sha512:%s%s", 0, 0, D64, D64);
	ck_assert_rc(al_ref_parse(big, &r, &err), AL_E_USAGE, &err);
	/* a long registry name, a long tag and a digest, within the bounds */
	snprintf(big, sizeof(big), "%0238d.example.com/x:%0100d@sha256:%s", 0, 0, D64);
	ck_assert_rc(al_ref_parse(big, &r, &err), AL_E_USAGE, &err);
	snprintf(big, sizeof(big), "%060d.example.com/%0100d:%0100d@sha256:%s", 0, 0, 0, D64);
	ck_assert_ok(al_ref_parse(big, &r, &err), &err);
	ck_assert_str_eq(r.full, big);
	/* the longest name docker takes */
	snprintf(big, sizeof(big), "example.com/%0243d", 0);
	ck_assert_ok(al_ref_parse(big, &r, &err), &err);
	snprintf(big, sizeof(big), "example.com/%0244d", 0);
	ck_assert_rc(al_ref_parse(big, &r, &err), AL_E_USAGE, &err);
	ck_assert_err_has(&err, "longer than 255");

	ck_assert(al_ref_is_full("example.com/x"));
	ck_assert(al_ref_is_full("localhost/x:1"));
	ck_assert(al_ref_is_full("host:5000/x"));
	ck_assert(!al_ref_is_full("alpine"));
	ck_assert(!al_ref_is_full("user/app"));
	ck_assert(!al_ref_is_full("example.com/A"));
}
END_TEST

START_TEST(names_glob)
{
	static const struct {
		const char *glob, *s;
		bool match;
	} cases[] = {
		{ "*", "a", true },
		{ "*", "a/b", false },
		{ "*", "", true },
		{ "**", "a/b/c", true },
		{ "?", "a", true },
		{ "?", "/", false },
		{ "?", "", false },
		{ "a*b", "a/b", false },
		{ "a*b", "axxb", true },
		{ "a**b", "a/x/b", true },
		{ "docker.io/library/*", "docker.io/library/alpine", true },
		{ "docker.io/library/*", "docker.io/library/a/b", false },
		{ "ghcr.io/org/*", "ghcr.io/org/app:1", true },
		{ "", "", true },
		{ "", "a", false },
		{ "a", "", false },
		{ "a**", "a", true },
		{ "abc", "abd", false },
		/* a '*' after a '**': both must be able to move */
		{ "**/x*y", "a/b/x1/x2y", true },
		{ "**/prod-*", "reg.io/team/app/prod-1", true },
		{ "**/prod-*", "reg.io/team/prod-1/app", false },
		{ "*/**/b*", "a/c/d/b1", true },
		{ "a*/b*/c", "ax/by/c", true },
		{ "a*/b*/c", "ax/by/z/c", false },
		{ "**a*b", "x/a/yb", false },
		{ "**a*b", "x/ayb", true },
		{ "***", "a/b", true },
	};
	char big[AL_MAX_REFERENCE + 2];

	for (size_t i = 0; i < AL_ARRAY_LEN(cases); i++)
		ck_assert_msg(al_glob_match(cases[i].glob, cases[i].s) == cases[i].match, "'%s' on '%s'", cases[i].glob,
			      cases[i].s);
	memset(big, 'a', sizeof(big));
	big[AL_MAX_REFERENCE] = '\0';
	ck_assert(al_glob_match("**", big));
	ck_assert(al_glob_match("a*a", big));
	big[AL_MAX_REFERENCE] = 'a';
	big[AL_MAX_REFERENCE + 1] = '\0';
	ck_assert(!al_glob_match("**", big));
}
END_TEST

static bool
ident_ok(const al_pol_signed_identity *id, const char *image, const char *signed_ref)
{
	al_ref r;
	al_err err;

	if (image == NULL)
		return al_signed_identity_match(id, NULL, signed_ref);
	ck_assert_ok(al_ref_parse(image, &r, &err), &err);
	return al_signed_identity_match(id, &r, signed_ref);
}

START_TEST(names_signed_identity)
{
	const al_pol_signed_identity any = { AL_PID_ANY, NULL, NULL, NULL };
	const al_pol_signed_identity exact = { AL_PID_MATCH_EXACT, NULL, NULL, NULL };
	const al_pol_signed_identity rdoe = { AL_PID_MATCH_REPO_DIGEST_OR_EXACT, NULL, NULL, NULL };
	const al_pol_signed_identity repo = { AL_PID_MATCH_REPOSITORY, NULL, NULL, NULL };
	const al_pol_signed_identity eref = { AL_PID_EXACT_REFERENCE, "example.com/a:1", NULL, NULL };
	const al_pol_signed_identity eref_bare = { AL_PID_EXACT_REFERENCE, "example.com/a", NULL, NULL };
	const al_pol_signed_identity erepo = { AL_PID_EXACT_REPOSITORY, "example.com/a", NULL, NULL };
	const al_pol_signed_identity remap = { AL_PID_REMAP, NULL, "mirror.local/vendor", "vendor.example.com" };

	ck_assert(ident_ok(&any, NULL, "anything"));
	/* matchExact: the same reference, tag and digest */
	ck_assert(ident_ok(&exact, "example.com/a:1", "example.com/a:1"));
	ck_assert(!ident_ok(&exact, "example.com/a:1", "example.com/a:2"));
	ck_assert(!ident_ok(&exact, "example.com/a:1", "example.com/a"));
	ck_assert(!ident_ok(&exact, "example.com/a", "example.com/a"));
	ck_assert(!ident_ok(&exact, "example.com/a@sha256:" D64, "example.com/a:1"));
	ck_assert(!ident_ok(&exact, NULL, "example.com/a:1"));
	ck_assert(!ident_ok(&exact, "example.com/a:1", ""));
	ck_assert(!ident_ok(&exact, "example.com/a:1", "not a reference"));
	/* matchRepoDigestOrExact: a tag exactly; a digest, any image of the
	 * repository; a bare repository never (what cosign signs) */
	ck_assert(ident_ok(&rdoe, "example.com/a:1", "example.com/a:1"));
	ck_assert(!ident_ok(&rdoe, "example.com/a:1", "example.com/a:2"));
	ck_assert(ident_ok(&rdoe, "example.com/a@sha256:" D64, "example.com/a:1"));
	ck_assert(ident_ok(&rdoe, "example.com/a@sha256:" D64, "example.com/a@sha256:" D64));
	ck_assert(!ident_ok(&rdoe, "example.com/a@sha256:" D64, "example.com/a"));
	ck_assert(!ident_ok(&rdoe, "example.com/a@sha256:" D64, "example.com/b:1"));
	ck_assert(ident_ok(&rdoe, "example.com/a:1@sha256:" D64, "example.com/a:1@sha256:" D64));
	ck_assert(!ident_ok(&rdoe, "example.com/a:1@sha256:" D64, "example.com/a:1"));
	ck_assert(!ident_ok(&rdoe, "example.com/a", "example.com/a"));
	/* matchRepository */
	ck_assert(ident_ok(&repo, "example.com/a:1", "example.com/a"));
	ck_assert(ident_ok(&repo, "example.com/a:1", "example.com/a:9"));
	ck_assert(ident_ok(&repo, "alpine:3", "docker.io/library/alpine"));
	ck_assert(!ident_ok(&repo, "example.com/a:1", "example.com/b"));
	ck_assert(!ident_ok(&repo, NULL, "example.com/a"));
	/* exactReference: the reference given, whatever the image is called */
	ck_assert(ident_ok(&eref, NULL, "example.com/a:1"));
	ck_assert(ident_ok(&eref, "other.io/x:7", "example.com/a:1"));
	ck_assert(!ident_ok(&eref, NULL, "example.com/a:2"));
	ck_assert(!ident_ok(&eref, NULL, "example.com/a"));
	ck_assert(!ident_ok(&eref_bare, NULL, "example.com/a"));
	/* exactRepository */
	ck_assert(ident_ok(&erepo, NULL, "example.com/a:5"));
	ck_assert(ident_ok(&erepo, NULL, "example.com/a"));
	ck_assert(!ident_ok(&erepo, NULL, "example.com/b:5"));
	/* remapIdentity: the prefix replaced, then matchRepoDigestOrExact */
	ck_assert(ident_ok(&remap, "mirror.local/vendor/app:1", "vendor.example.com/app:1"));
	ck_assert(!ident_ok(&remap, "mirror.local/vendor/app:1", "mirror.local/vendor/app:1"));
	ck_assert(!ident_ok(&remap, "mirror.local/vendor/app:1", "vendor.example.com/app:2"));
	ck_assert(ident_ok(&remap, "mirror.local/vendor/app@sha256:" D64, "vendor.example.com/app:1"));
	ck_assert(ident_ok(&remap, "other.io/app:1", "other.io/app:1"));
	ck_assert(!ident_ok(&remap, "mirror.local/vendorx/app:1", "vendor.example.comx/app:1"));
	ck_assert(ident_ok(&remap, "mirror.local/vendorx/app:1", "mirror.local/vendorx/app:1"));
	ck_assert(!ident_ok(&remap, NULL, "vendor.example.com/app:1"));
}
END_TEST

START_TEST(names_docker_scope_rank)
{
	al_ref r;
	al_err err;
	int whole, wild, host, ns, repo, ref;

	ck_assert_ok(al_ref_parse("example.com/a/b:tag", &r, &err), &err);
	whole = al_docker_scope_rank("", &r);
	wild = al_docker_scope_rank("*.com", &r);
	host = al_docker_scope_rank("example.com", &r);
	ns = al_docker_scope_rank("example.com/a", &r);
	repo = al_docker_scope_rank("example.com/a/b", &r);
	ref = al_docker_scope_rank("example.com/a/b:tag", &r);
	ck_assert_int_gt(whole, 0);
	ck_assert_int_gt(wild, whole);
	ck_assert_int_gt(host, wild);
	ck_assert_int_gt(ns, host);
	ck_assert_int_gt(repo, ns);
	ck_assert_int_gt(ref, repo);
	/* a wildcard names the hosts under a domain, not the domain */
	ck_assert_int_eq(al_docker_scope_rank("*.example.com", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("example.com/a/b:other", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("example.com/a/b:other", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("example.com/a/bc", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("example.co", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("*.org", &r), 0);
	ck_assert_ok(al_ref_parse("reg.example.com/a:1", &r, &err), &err);
	ck_assert_int_gt(al_docker_scope_rank("*.example.com", &r), al_docker_scope_rank("*.com", &r));
	ck_assert_int_gt(al_docker_scope_rank("*.com", &r), al_docker_scope_rank("", &r));
	ck_assert_int_eq(al_docker_scope_rank("*.example.com:5000", &r), 0);
	ck_assert_int_eq(al_docker_scope_rank("*.reg.example.com", &r), 0);
	/* an untagged name is :latest to containers/image */
	ck_assert_ok(al_ref_parse("example.com/a/b", &r, &err), &err);
	ck_assert_int_gt(al_docker_scope_rank("example.com/a/b:latest", &r), al_docker_scope_rank("example.com/a/b", &r));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("policy_formats");
	TCase *tc = tcase_create("policy_formats");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, containers_model);
	tcase_add_test(tc, containers_unknown_keys);
	tcase_add_test(tc, containers_requirement_types);
	tcase_add_test(tc, containers_keys);
	tcase_add_test(tc, containers_fulcio);
	tcase_add_test(tc, containers_pki);
	tcase_add_test(tc, containers_rekor);
	tcase_add_test(tc, containers_signed_identity);
	tcase_add_test(tc, containers_and_semantics);
	tcase_add_test(tc, containers_scopes);
	tcase_add_test(tc, containers_rule_for);
	tcase_add_test(tc, containers_roundtrip);
	tcase_add_test(tc, containers_fixture);
	tcase_add_test(tc, cip_model);
	tcase_add_test(tc, cip_keys);
	tcase_add_test(tc, cip_keyless);
	tcase_add_test(tc, cip_static);
	tcase_add_test(tc, cip_attestations);
	tcase_add_test(tc, cip_spec);
	tcase_add_test(tc, cip_rule_for);
	tcase_add_test(tc, fuzz_seeds);
	tcase_add_test(tc, names_ref_parse);
	tcase_add_test(tc, names_glob);
	tcase_add_test(tc, names_signed_identity);
	tcase_add_test(tc, names_docker_scope_rank);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
