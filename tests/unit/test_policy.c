/*
 * test_policy.c — airlock's own policy file (docs/policy.md §2), the
 * command line's policy (§5), rule selection, and SLSA provenance
 * constraints (§2.2): each feature with the input that must be refused.
 * The other formats (containers-policy.json, ClusterImagePolicy) and image
 * names are test_policy_formats.c's.
 */
#include <stdio.h>
#include <string.h>

#include "util/testutil.h"
#include "policy/policy.h"
#include "verify/verify.h"

/* verify/internal.h's, for the SLSA constraints */
al_rc al_slsa_check(const al_pol_att *att, al_bytes statement, al_err *err);

static al_policy *
parse_ok(const char *json)
{
	al_policy *p = NULL;
	al_err err;

	al_err_clear(&err);
	ck_assert_msg(al_policy_parse(al_bytes_str(json), "p.json", "/etc/airlock", &p, &err) == AL_OK, "%s: %s", json,
		      err.msg);
	return p;
}

/* The policy is refused (exit 2) with a message that contains want. */
static void
parse_bad(const char *json, const char *want)
{
	al_policy *p = NULL;
	al_err err;

	al_err_clear(&err);
	ck_assert_msg(al_policy_parse(al_bytes_str(json), "p.json", NULL, &p, &err) == AL_E_USAGE, "%s: accepted",
		      json);
	ck_assert_int_eq(al_rc_exit(err.code), 2);
	ck_assert_msg(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", json, err.msg, want);
	ck_assert_ptr_null(p);
}

#define KEY "{\"key\":{\"path\":\"k.pub\"}}"

START_TEST(minimal_policy_and_strict_defaults)
{
	al_policy *p = parse_ok("{\"version\":1,\"default\":{\"authorities\":[" KEY "]}}");
	const al_pol_rule *r = &p->rules[0];

	ck_assert_str_eq(p->format, "airlock");
	ck_assert_uint_eq(p->nrules, 1);
	ck_assert_int_eq(r->scope, AL_PSCOPE_DEFAULT);
	ck_assert_int_eq(r->action, AL_PACT_VERIFY);
	ck_assert_int_eq(r->mode, AL_PMODE_ENFORCE);
	ck_assert_uint_eq(r->threshold, 1);
	/* a log entry per signature unless a relaxation says otherwise */
	ck_assert_uint_eq(r->tlog_min, 1);
	ck_assert_uint_eq(r->relax, 0);
	/* relative paths resolve against the policy's folder */
	ck_assert_str_eq(r->auth[0].keys[0].path, "/etc/airlock/k.pub");
	al_policy_free(p);
}
END_TEST

START_TEST(unknown_keys_are_refused_by_path)
{
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "]},\"extra\":1}", "p.json: extra: unknown key");
	parse_bad("{\"version\":1,\"default\":{\"authoritys\":[" KEY "]}}", "default.authoritys: unknown key");
	parse_bad("{\"version\":1,\"rules\":[{\"images\":[\"a/*\"],\"authorities\":[{\"key\":{\"pth\":\"k\"}}]}]}",
		  "rules[0].authorities[0].key.pth: unknown key");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\"a\",\"issuer\":\"b\","
		  "\"extensions\":{\"githubWorkflowRepo\":\"x\"}}}]}}",
		  "default.authorities[0].keyless.extensions.githubWorkflowRepo: not a Fulcio certificate extension");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"attestations\":[{\"predicateType\":\"x\","
		  "\"slsa\":{\"sourceURI\":\"y\"}}]}}",
		  "default.attestations[0].slsa.sourceURI: unknown key");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"transparency\":{\"min\":1}}}",
		  "default.transparency.min: unknown key");
}
END_TEST

START_TEST(what_a_policy_must_say)
{
	parse_bad("{\"version\":2,\"default\":{\"authorities\":[" KEY "]}}", "this airlock reads version 1");
	parse_bad("{\"version\":1}", "no rule and no default");
	parse_bad("{\"version\":1,\"default\":{}}", "needs \"authorities\"");
	parse_bad("{\"version\":1,\"rules\":[{\"authorities\":[" KEY "]}]}", "a rule needs \"images\"");
	parse_bad("{\"version\":1,\"default\":{\"images\":[\"x\"],\"authorities\":[" KEY "]}}", "it takes no");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"threshold\":2}}",
		  "it must be between 1 and the 1 authorities listed");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\"a\"}}]}}",
		  "needs \"issuer\"");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":{\"regexp\":\"(\"},"
		  "\"issuer\":\"b\"}}]}}",
		  "not a POSIX extended regular expression");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[{\"key\":{\"path\":\"a\",\"data\":\"b\"}}]}}",
		  "exactly one of \"path\" and \"data\"");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[{\"key\":{\"path\":\"a\"},\"pki\":{\"caRoots\":"
		  "{\"path\":\"r\"}}}]}}",
		  "exactly one of");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"maxAge\":\"soon\"}}", "not a duration");
	parse_bad("{\"version\":1,\"default\":{\"mode\":\"audit\",\"authorities\":[" KEY "]}}", "\"enforce\" or \"warn\"");
	parse_bad("[]", "not a JSON object");
	parse_bad("{\"rules\":[]}", "not a policy airlock reads");
}
END_TEST

START_TEST(relaxations_exist_only_when_named)
{
	al_policy *p;

	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"transparency\":{\"minEntries\":0}}}",
		  "0 needs the relaxation");
	parse_bad("{\"version\":1,\"default\":{\"action\":\"accept\"}}", "admits unsigned images");
	parse_bad("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"relax\":[\"skip-everything\"]}}",
		  "not a relaxation");
	p = parse_ok("{\"version\":1,\"default\":{\"authorities\":[" KEY "],\"relax\":[\"insecure-ignore-tlog\"]}}");
	ck_assert_uint_eq(p->rules[0].tlog_min, 0);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_TLOG);
	al_policy_free(p);
	p = parse_ok("{\"version\":1,\"default\":{\"action\":\"accept\",\"relax\":[\"insecure-accept-anything\"]}}");
	ck_assert_int_eq(p->rules[0].action, AL_PACT_ACCEPT);
	al_policy_free(p);
}
END_TEST

START_TEST(canonical_form_reads_back_the_same)
{
	const char *json =
		"{\"version\":1,\"rules\":[{\"name\":\"a\",\"images\":[\"r.example/a/*\"],\"mode\":\"warn\","
		"\"authorities\":[{\"name\":\"k\",\"keys\":[{\"path\":\"/k1.pub\"},{\"data\":\"-----BEGIN PUBLIC KEY-----\\n\"}]},"
		"{\"name\":\"ci\",\"keyless\":{\"identity\":{\"regexp\":\"https://x/.*\"},\"issuer\":\"https://i\","
		"\"extensions\":{\"1.3.6.1.4.1.57264.1.5\":\"o/r\"}}}],\"threshold\":2,\"attestations\":[{"
		"\"predicateType\":\"https://slsa.dev/provenance/v1\",\"slsa\":{\"sourceUri\":\"github.com/o/r\","
		"\"workflowInputs\":{\"a\":\"1\"}}}],\"timestamps\":{\"minCount\":1},\"maxAge\":\"2w\"}],"
		"\"default\":{\"action\":\"reject\"}}";
	al_policy *p = parse_ok(json), *q;
	al_buf one = { 0 }, two = { 0 };
	al_err err;

	ck_assert(al_policy_canonical(p, &one, &err) == AL_OK);
	ck_assert(al_buf_append(&one, "", 1, &err) == AL_OK);
	/* the extension is named by sigstore-go's name, every default said */
	ck_assert_ptr_nonnull(strstr((const char *)one.p, "\"githubWorkflowRepository\":{\"exact\":\"o/r\"}"));
	ck_assert_ptr_nonnull(strstr((const char *)one.p, "\"maxAge\":\"1209600s\""));
	ck_assert_ptr_nonnull(strstr((const char *)one.p, "\"transparency\":{\"minEntries\":1}"));
	q = parse_ok((const char *)one.p);
	ck_assert(al_policy_canonical(q, &two, &err) == AL_OK);
	ck_assert(al_buf_append(&two, "", 1, &err) == AL_OK);
	ck_assert_str_eq((const char *)one.p, (const char *)two.p);
	al_buf_free(&one);
	al_buf_free(&two);
	al_policy_free(p);
	al_policy_free(q);
}
END_TEST

static const al_pol_rule *
rule_for(const al_policy *p, const char *name)
{
	al_ref r;
	al_pol_subject s = { NULL, "/b", "oci" };

	if (name != NULL) {
		ck_assert(al_ref_parse(name, &r, NULL) == AL_OK);
		s.name = &r;
	}
	return al_policy_rule_for(p, &s);
}

START_TEST(the_first_rule_that_matches_decides)
{
	al_policy *p = parse_ok("{\"version\":1,\"rules\":["
				"{\"name\":\"exact\",\"images\":[\"r.example/team/app:1.0\"],\"authorities\":[" KEY "]},"
				"{\"name\":\"team\",\"images\":[\"r.example/team/*\"],\"authorities\":[" KEY "]},"
				"{\"name\":\"deep\",\"images\":[\"r.example/**\"],\"authorities\":[" KEY "]}],"
				"\"default\":{\"action\":\"reject\"}}");
	al_policy *nodef = parse_ok("{\"version\":1,\"rules\":[{\"name\":\"team\",\"images\":[\"r.example/team/*\"],"
				    "\"authorities\":[" KEY "]}]}");

	ck_assert_str_eq(rule_for(p, "r.example/team/app:1.0")->name, "exact");
	ck_assert_str_eq(rule_for(p, "r.example/team/app:2.0")->name, "team");
	ck_assert_str_eq(rule_for(p, "r.example/team/app@sha256:" "0123456789012345678901234567890123456789012345678901234567890123")->name,
			 "team");
	/* '*' stays within one path component; '**' does not */
	ck_assert_str_eq(rule_for(p, "r.example/team/sub/app:1")->name, "deep");
	ck_assert_str_eq(rule_for(p, "other.example/team/app:1")->name, "default");
	/* no name: only the default */
	ck_assert_str_eq(rule_for(p, NULL)->name, "default");
	ck_assert_ptr_null(rule_for(nodef, NULL));
	ck_assert_ptr_null(rule_for(nodef, "other.example/x:1"));
	al_policy_free(p);
	al_policy_free(nodef);
}
END_TEST

START_TEST(globs)
{
	ck_assert(al_glob_match("a/*", "a/b"));
	ck_assert(!al_glob_match("a/*", "a/b/c"));
	ck_assert(al_glob_match("a/**", "a/b/c"));
	ck_assert(al_glob_match("a/?", "a/b"));
	ck_assert(!al_glob_match("a/?", "a//"));
	ck_assert(!al_glob_match("a/b", "a/bc"));
	ck_assert(al_glob_match("*.example/x", "r.example/x"));
	ck_assert(!al_glob_match("*.example/x", "r/s.example/x"));
	ck_assert(al_glob_match("**", ""));
}
END_TEST

START_TEST(flags_state_one_rule)
{
	const char *keys[] = { "a.pub", "b.pub" }, *types[] = { "slsaprovenance1", "https://x/y" };
	al_pol_flags f;
	al_policy *p;
	al_err err;

	memset(&f, 0, sizeof(f));
	ck_assert(!al_pol_flags_any(&f));
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "no policy"));
	f.key_paths = keys;
	f.nkeys = 2;
	f.types = types;
	f.ntypes = 2;
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_OK);
	ck_assert_uint_eq(p->rules[0].auth[0].nkeys, 2);
	ck_assert_uint_eq(p->rules[0].tlog_min, 1);
	ck_assert_str_eq(p->rules[0].att[0].predicate_type, "https://slsa.dev/provenance/v1");
	ck_assert_str_eq(p->rules[0].att[1].predicate_type, "https://x/y");
	al_policy_free(p);
	f.ignore_tlog = true;
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_OK);
	ck_assert_uint_eq(p->rules[0].tlog_min, 0);
	ck_assert_uint_eq(p->rules[0].relax, AL_RELAX_TLOG);
	al_policy_free(p);
	f.identity = "x";
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "either --key or a certificate policy"));
}
END_TEST

START_TEST(gh_and_slsa_flags)
{
	al_pol_flags f;
	al_policy *p;
	al_err err;
	const al_pol_authority *a;

	memset(&f, 0, sizeof(f));
	f.owner = "my.org";
	f.deny_self_hosted = true;
	ck_assert_msg(al_policy_from_flags(&f, &p, &err) == AL_OK, "%s", err.msg);
	a = &p->rules[0].auth[0];
	ck_assert_int_eq(a->kind, AL_PAUTH_KEYLESS);
	/* the owner's dot is a literal dot, the match anchored */
	ck_assert_str_eq(a->identity.regexp, "https://github\\.com/my\\.org/.*");
	ck_assert_str_eq(a->issuer.exact, "https://token.actions.githubusercontent.com");
	ck_assert_str_eq(a->ext[0].name, "sourceRepositoryOwnerURI");
	ck_assert_str_eq(a->ext[0].value.exact, "https://github.com/my.org");
	ck_assert_str_eq(a->ext[1].name, "runnerEnvironment");
	ck_assert_str_eq(p->rules[0].att[0].predicate_type, "https://slsa.dev/provenance/v1");
	al_policy_free(p);
	f.owner = "evil/../x";
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_E_USAGE);
	memset(&f, 0, sizeof(f));
	f.builder_id = "https://b";
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "need --source-uri"));
	f.source_uri = "github.com/o/r";
	ck_assert(al_policy_from_flags(&f, &p, &err) == AL_OK);
	ck_assert(p->rules[0].att[0].slsa);
	ck_assert_str_eq(p->rules[0].att[0].predicate_type, AL_PT_SLSA_ANY);
	ck_assert_ptr_nonnull(p->rules[0].auth[0].identity.regexp);
	al_policy_free(p);
}
END_TEST

/* ---------------------------------------------------------------- SLSA */

static const char V1[] =
	"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
	"\"predicate\":{\"buildDefinition\":{\"buildType\":\"bt\",\"externalParameters\":{\"workflow\":{"
	"\"repository\":\"https://github.com/o/r\",\"ref\":\"refs/tags/v1.2.3\"},\"inputs\":{\"mode\":\"release\","
	"\"n\":3}}},\"runDetails\":{\"builder\":{\"id\":\"https://b/w.yml@refs/tags/v2.0.0\"}}}}";
static const char V02[] =
	"{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\","
	"\"predicate\":{\"builder\":{\"id\":\"https://b/w.yml@refs/tags/v2.0.0\"},\"buildType\":\"bt2\","
	"\"invocation\":{\"configSource\":{\"uri\":\"git+https://github.com/o/r@refs/tags/v1.2.3\"},"
	"\"environment\":{\"github_event_payload\":{\"base_ref\":\"refs/heads/main\",\"inputs\":{\"mode\":\"release\"}}}}}}";

static bool
slsa_ok(const char *stmt, al_pol_slsa s, const char *want_msg)
{
	al_pol_att att = { AL_PT_SLSA_ANY, true, s };
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_slsa_check(&att, al_bytes_str(stmt), &err);
	if (rc != AL_OK && want_msg != NULL)
		ck_assert_msg(strstr(err.msg, want_msg) != NULL, "\"%s\" lacks \"%s\"", err.msg, want_msg);
	return rc == AL_OK;
}

START_TEST(slsa_constraints_v1_and_v02)
{
	const char *in_ok[] = { "mode=release" }, *in_bad[] = { "mode=debug" }, *in_num[] = { "n=3" };

	for (int v = 0; v < 2; v++) {
		const char *st = v ? V02 : V1;

		ck_assert(slsa_ok(st, (al_pol_slsa){ .source_uri = "github.com/o/r" }, NULL));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .source_uri = "https://github.com/o/r.git" }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_uri = "github.com/o/rr" }, "source repository"));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_uri = "github.com/o" }, "source repository"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .source_tag = "v1.2.3" }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_tag = "v1.2" }, "source ref"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .source_versioned_tag = "v1" }, NULL));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .source_versioned_tag = "v1.2" }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_versioned_tag = "v1.3" }, "compatible with v1.3"));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_versioned_tag = "v2" }, "compatible with v2"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .builder_id = { "https://b/w.yml", NULL } }, NULL));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .builder_id = { "https://b/w.yml@refs/tags/v2.0.0", NULL } }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .builder_id = { "https://b/w.yml@refs/tags/v2.0.1", NULL } }, "builder id"));
		/* a prefix that is not the whole id before '@' is another builder */
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .builder_id = { "https://b/w", NULL } }, "builder id"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .builder_id = { NULL, "https://b/.*" } }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .builder_id = { NULL, "https://c/.*" } }, "builder id"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .inputs = in_ok, .ninputs = 1 }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .inputs = in_bad, .ninputs = 1 }, "workflow input mode"));
		ck_assert(slsa_ok(st, (al_pol_slsa){ .build_type = v ? "bt2" : "bt" }, NULL));
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .build_type = "other" }, "build type"));
	}
	ck_assert(slsa_ok(V1, (al_pol_slsa){ .inputs = in_num, .ninputs = 1 }, NULL));
	{
		/* a constraint longer than airlock compares is refused, never cut to a prefix */
		static char longuri[1200];

		memset(longuri, 'a', sizeof(longuri) - 1);
		ck_assert(!slsa_ok(V1, (al_pol_slsa){ .source_uri = longuri }, "longer than airlock compares"));
	}
	{
		/* a statement's repository that does not fit is no prefix of anything */
		static char st[3000], pre[1001];

		memset(pre, 'a', 1000);
		snprintf(st, sizeof(st), "{\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{"
			 "\"buildDefinition\":{\"externalParameters\":{\"workflow\":{\"repository\":\"%s%s\"}}}}}",
			 pre, pre);
		ck_assert(!slsa_ok(st, (al_pol_slsa){ .source_uri = pre }, "source repository"));
	}
	/* a tag pushed from main: v0.2 names the branch in the push event */
	ck_assert(slsa_ok(V02, (al_pol_slsa){ .source_branch = "main" }, NULL));
	ck_assert(!slsa_ok(V02, (al_pol_slsa){ .source_branch = "dev" }, "source branch"));
	ck_assert(!slsa_ok(V1, (al_pol_slsa){ .source_branch = "main" }, "source branch"));
	ck_assert(!slsa_ok("{\"predicateType\":\"https://x\"}", (al_pol_slsa){ .source_uri = "a" }, "predicateType"));
	ck_assert(!slsa_ok("not json", (al_pol_slsa){ .source_uri = "a" }, "not JSON"));
	ck_assert(!slsa_ok("{\"predicateType\":\"https://slsa.dev/provenance/v1\"}", (al_pol_slsa){ .source_uri = "a" },
			   "(absent)"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy");
	TCase *t = tcase_create("airlock");

	tcase_add_test(t, minimal_policy_and_strict_defaults);
	tcase_add_test(t, unknown_keys_are_refused_by_path);
	tcase_add_test(t, what_a_policy_must_say);
	tcase_add_test(t, relaxations_exist_only_when_named);
	tcase_add_test(t, canonical_form_reads_back_the_same);
	tcase_add_test(t, the_first_rule_that_matches_decides);
	tcase_add_test(t, globs);
	suite_add_tcase(s, t);
	t = tcase_create("flags");
	tcase_add_test(t, flags_state_one_rule);
	tcase_add_test(t, gh_and_slsa_flags);
	suite_add_tcase(s, t);
	t = tcase_create("slsa");
	tcase_add_test(t, slsa_constraints_v1_and_v02);
	suite_add_tcase(s, t);
	return al_test_run(s);
}
