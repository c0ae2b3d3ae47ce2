/*
 * test_intoto.c — in-toto Statements (v0.1, v1) from DSSE payloads, and
 * subject matching. Every accepted statement has a rejected twin; the DSSE
 * payloads of every generated and fixture bundle under ../shared must
 * parse and bind their artifacts.
 */
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "util/testutil.h"
#include "sigstore/sigstore.h"

static al_err err;

static al_rc
parse_str(const char *json, al_intoto_statement *st)
{
	al_err_clear(&err);
	return al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_bytes_str(json), st, &err);
}

#define D256 "ed0a2c3fbeb8978bdc746d4a1e9864cb4ac501138f5f7d3a96b606bae8246aeb"
#define D512 "0fb3a6f0d1b5d4b55f6a3d1b8f8f2f7c7e9f2c0a5d3b1e4f6a7b8c9d0e1f2a3b" \
	     "4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b"

static const char *base_stmt =
	"{\"_type\": \"https://in-toto.io/Statement/v1\",\n"
	" \"subject\": [\n"
	"  {\"name\": \"app.tar\", \"digest\": {\"sha256\": \"" D256 "\"}},\n"
	"  {\"name\": \"app.zip\", \"digest\": {\"sha512\": \"" D512 "\", \"gitCommit\": \"abc\"},\n"
	"   \"annotations\": {\"x\": 1}}\n"
	" ],\n"
	" \"predicateType\": \"https://slsa.dev/provenance/v1\",\n"
	" \"predicate\": {\"buildDefinition\": {\"buildType\": \"https://example.com/mock@v1\"}},\n"
	" \"extra\": \"ignored\"\n"
	"}\n";

START_TEST(statement_model_and_match)
{
	al_intoto_statement st;
	al_buf d = al_test_hex(D256), d5 = al_test_hex(D512);
	size_t which = 99;
	const al_json *bd;
	al_bytes bt;

	ck_assert_ok(parse_str(base_stmt, &st), &err);
	ck_assert_int_eq(st.version, 2);
	ck_assert_str_eq((const char *)st.type.p, AL_INTOTO_STATEMENT_V1);
	ck_assert_str_eq((const char *)st.predicate_type.p, "https://slsa.dev/provenance/v1");
	ck_assert_uint_eq(st.nsubjects, 2);
	ck_assert_str_eq((const char *)st.subjects[0].name.p, "app.tar");
	ck_assert_uint_eq(st.subjects[0].ndigests, 1);
	ck_assert_int_eq(st.subjects[0].digests[0].hash, AL_HASH_SHA256);
	ck_assert_str_eq((const char *)st.subjects[0].digests[0].alg.p, "sha256");
	ck_assert_str_eq((const char *)st.subjects[0].digests[0].value.p, D256);
	ck_assert_uint_eq(st.subjects[1].ndigests, 2);
	ck_assert_int_eq(st.subjects[1].digests[1].hash, AL_HASH_NONE); /* gitCommit: kept, not matched */
	ck_assert_str_eq((const char *)st.subjects[1].digests[1].value.p, "abc");
	/* the predicate is there for policy checks */
	ck_assert_ptr_nonnull(st.predicate);
	ck_assert_ok(al_json_get_obj(st.predicate, "predicate", "buildDefinition", true, &bd, &err), &err);
	ck_assert_ok(al_json_get_str(bd, "predicate.buildDefinition", "buildType", true, &bt, &err), &err);
	ck_assert(al_bytes_eq_str(bt, "https://example.com/mock@v1"));
	/* matching: the right digest with the right algorithm, and the twins */
	ck_assert(al_intoto_match(&st, AL_HASH_SHA256, d.p, &which));
	ck_assert_uint_eq(which, 0);
	ck_assert(al_intoto_match(&st, AL_HASH_SHA512, d5.p, &which));
	ck_assert_uint_eq(which, 1);
	ck_assert(al_intoto_match(&st, AL_HASH_SHA512, d5.p, NULL));
	ck_assert(!al_intoto_match(&st, AL_HASH_SHA512, d.p, NULL));     /* digest under another alg */
	ck_assert(!al_intoto_match(&st, AL_HASH_SHA384, d5.p, NULL));    /* alg not in the statement */
	ck_assert(!al_intoto_match(&st, AL_HASH_NONE, d.p, NULL));
	ck_assert(!al_intoto_match(&st, AL_HASH_SHA256, NULL, NULL));
	d.p[31] ^= 0x01;
	ck_assert(!al_intoto_match(&st, AL_HASH_SHA256, d.p, NULL));     /* one bit off */
	d.p[31] ^= 0x01;
	d.p[0] ^= 0x80;
	ck_assert(!al_intoto_match(&st, AL_HASH_SHA256, d.p, NULL));
	al_intoto_free(&st);
	al_intoto_free(&st);
	al_intoto_free(NULL);
	al_buf_free(&d);
	al_buf_free(&d5);
}
END_TEST

START_TEST(statement_accepted_variants)
{
	static const struct {
		const char *from, *to;
	} ok[] = {
		{ "https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1" },
		/* name is optional; predicate is optional (and null is absent) */
		{ "\"name\": \"app.tar\", ", "" },
		{ ",\n \"predicate\": {\"buildDefinition\": {\"buildType\": \"https://example.com/mock@v1\"}}", "" },
		{ "{\"buildDefinition\": {\"buildType\": \"https://example.com/mock@v1\"}}", "null" },
		/* uppercase hex decodes to the same bytes */
		{ D256, "ED0A2C3FBEB8978BDC746D4A1E9864CB4AC501138F5F7D3A96B606BAE8246AEB" },
		/* only unknown algorithms: kept, never matched */
		{ "{\"sha256\": \"" D256 "\"}", "{\"dirHash1\": \"2a1b\", \"sha1\": \"00\"}" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		char *j = al_test_mutate(base_stmt, ok[i].from, ok[i].to);
		al_intoto_statement st;
		al_buf d = al_test_hex(D256);

		ck_assert_msg(parse_str(j, &st) == AL_OK, "variant %zu: %s", i, err.msg);
		if (i == 0)
			ck_assert_int_eq(st.version, 1);
		if (i == 1)
			ck_assert_str_eq((const char *)st.subjects[0].name.p, "");
		if (i == 2 || i == 3)
			ck_assert_ptr_null(st.predicate);
		if (i == 4)
			ck_assert(al_intoto_match(&st, AL_HASH_SHA256, d.p, NULL));
		if (i == 5)
			ck_assert(!al_intoto_match(&st, AL_HASH_SHA256, d.p, NULL));
		al_intoto_free(&st);
		al_buf_free(&d);
		free(j);
	}
}
END_TEST

START_TEST(statement_rejected_twins)
{
	static const struct {
		const char *from, *to, *want;
	} bad[] = {
		{ "https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v2",
		  "_type: \"https://in-toto.io/Statement/v2\" is not an in-toto Statement v0.1 or v1" },
		{ "https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v1/", "_type" },
		{ "\"_type\": \"https://in-toto.io/Statement/v1\",", "", "_type: missing" },
		{ "\"_type\": \"https://in-toto.io/Statement/v1\"", "\"_type\": 1", "_type: not a string" },
		{ "\"predicateType\": \"https://slsa.dev/provenance/v1\",", "", "predicateType: missing" },
		{ "\"predicateType\": \"https://slsa.dev/provenance/v1\"", "\"predicateType\": \"\"", "predicateType: empty" },
		{ "{\"buildDefinition\": {\"buildType\": \"https://example.com/mock@v1\"}}", "[1]", "predicate: not an object" },
		{ "{\"buildDefinition\": {\"buildType\": \"https://example.com/mock@v1\"}}", "\"x\"", "predicate: not an object" },
		/* subjects */
		{ "\"subject\": [", "\"subjects\": [", "subject: missing" },
		{ "\"subject\": [\n  {\"name\": \"app.tar\", \"digest\": {\"sha256\": \"" D256 "\"}},\n"
		  "  {\"name\": \"app.zip\", \"digest\": {\"sha512\": \"" D512 "\", \"gitCommit\": \"abc\"},\n"
		  "   \"annotations\": {\"x\": 1}}\n ]", "\"subject\": []", "subject: empty (the statement binds no artifact)" },
		{ "\"subject\": [\n  {\"name\"", "\"subject\": [\n  7, {\"name\"", "subject[0]: not an object" },
		{ "\"name\": \"app.tar\"", "\"name\": 5", "subject[0].name: not a string" },
		{ "\"name\": \"app.tar\", \"digest\": {\"sha256\": \"" D256 "\"}", "\"name\": \"app.tar\"", "subject[0].digest: missing" },
		{ "{\"sha256\": \"" D256 "\"}", "{}", "subject[0].digest: empty digest set" },
		{ "{\"sha256\": \"" D256 "\"}", "[\"" D256 "\"]", "subject[0].digest: not an object" },
		{ "{\"sha256\": \"" D256 "\"}", "{\"sha256\": 5}", "subject[0].digest.sha256: not a string" },
		{ D256, "ed0a2c3fbeb8978bdc746d4a1e9864cb4ac501138f5f7d3a96b606bae8246ae",
		  "subject[0].digest.sha256: \"ed0a2c3fbeb8978bdc746d4a1e9864cb4ac501138f5f7d3a96b606bae8246ae\" is not a sha256 digest" },
		{ D256, "sha256:ed0a2c3fbeb8978bdc746d4a1e9864cb4ac501138f5f7d3a96b606bae8246a", "is not a sha256 digest" },
		{ D256, "ed0a2c3fbeb8978bdc746d4a1e9864cb4ac501138f5f7d3a96b606bae8246aeg", "is not a sha256 digest" },
		{ D256, "", "subject[0].digest.sha256: \"\" is not a sha256 digest" },
		{ "\"sha512\": \"" D512 "\"", "\"sha512\": \"" D256 "\"", "subject[1].digest.sha512:" },
		{ "\"sha512\": \"" D512 "\"", "\"sha384\": \"" D256 "\"", "subject[1].digest.sha384:" },
		{ "\"sha512\": \"" D512 "\"", "\"sha256\": \"" D256 "\", \"sha256\": \"" D256 "\"", "duplicate key" },
		/* documents */
		{ "\n}\n", "\n", "JSON: syntax error" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		char *j = al_test_mutate(base_stmt, bad[i].from, bad[i].to);
		al_intoto_statement st;
		al_rc rc = parse_str(j, &st);

		ck_assert_msg(rc == AL_E_BUNDLE_FORMAT, "twin %zu: got %s: %s", i, al_rc_name(rc), err.msg);
		ck_assert_msg(strstr(err.msg, bad[i].want) != NULL, "twin %zu: \"%s\" lacks \"%s\"", i,
			      err.msg, bad[i].want);
		ck_assert(st.doc == NULL && st.subjects == NULL);
		al_intoto_free(&st);
		free(j);
	}
}
END_TEST

START_TEST(statement_payload_type_and_limits)
{
	al_intoto_statement st;
	al_buf j = { 0 };

	/* the payload type is bound here */
	al_err_clear(&err);
	ck_assert_rc(al_intoto_parse(al_bytes_str("application/json"), al_bytes_str(base_stmt), &st, &err),
		     AL_E_BUNDLE_FORMAT, &err);
	ck_assert_str_eq(err.msg, "payloadType \"application/json\" is not application/vnd.in-toto+json");
	ck_assert_rc(al_intoto_parse(al_bytes_str("application/vnd.in-toto+json; charset=utf-8"),
				     al_bytes_str(base_stmt), &st, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_bytes_str("[]"), &st, &err),
		     AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_bytes_of("", 0), &st, &err),
		     AL_E_BUNDLE_FORMAT, &err);
	/* AL_MAX_INTOTO_SUBJECTS subjects, then one more */
	for (int n = AL_MAX_INTOTO_SUBJECTS; n <= AL_MAX_INTOTO_SUBJECTS + 1; n++) {
		j.n = 0;
		ck_assert_ok(al_buf_appendf(&j, &err, "{\"_type\": \"%s\", \"predicateType\": \"p\", \"subject\": [",
					    AL_INTOTO_STATEMENT_V1), &err);
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s{\"digest\": {\"sha256\": \"%064x\"}}",
						    i ? "," : "", i), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, "]}"), &err);
		al_err_clear(&err);
		if (n == AL_MAX_INTOTO_SUBJECTS) {
			uint8_t want[32] = { 0 };

			ck_assert_ok(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&j), &st,
						     &err), &err);
			want[30] = 0x03;
			want[31] = 0xFF;
			ck_assert(al_intoto_match(&st, AL_HASH_SHA256, want, NULL)); /* the last one */
			al_intoto_free(&st);
		} else {
			ck_assert_rc(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&j), &st,
						     &err), AL_E_LIMIT, &err);
			ck_assert(strstr(err.msg, "subject: 1025 entries") != NULL);
		}
	}
	/* AL_MAX_SUBJECT_DIGESTS digests in one set, then one more */
	for (int n = AL_MAX_SUBJECT_DIGESTS; n <= AL_MAX_SUBJECT_DIGESTS + 1; n++) {
		j.n = 0;
		ck_assert_ok(al_buf_appendf(&j, &err, "{\"_type\": \"%s\", \"predicateType\": \"p\", "
					    "\"subject\": [{\"digest\": {", AL_INTOTO_STATEMENT_V1), &err);
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s\"alg%d\": \"00\"", i ? "," : "", i), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, "}}]}"), &err);
		al_err_clear(&err);
		ck_assert_rc(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&j), &st, &err),
			     n == AL_MAX_SUBJECT_DIGESTS ? AL_OK : AL_E_LIMIT, &err);
		al_intoto_free(&st);
	}
	al_buf_free(&j);
}
END_TEST

/* ---------------------------------------------------------------- ../shared */

/* Generated DSSE bundles: the statement parses and names the artifact that
 * sits next to it (dsse-NNNN.subject.bin). */
START_TEST(shared_generated_statements_bind_artifacts)
{
	static const char *const pats[] = { "generated/setB/dsse-*.sigstore.json",
					    "generated/intoto/dsse-*.sigstore.json" };
	const char *sh = al_test_shared("test_intoto");
	char pat[4096];
	int n = 0;

	if (sh == NULL)
		return;
	for (size_t p = 0; p < AL_ARRAY_LEN(pats); p++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s", sh, pats[p]);
		if (glob(pat, 0, NULL, &g) != 0) {
			al_test_shared_missing(pats[p]);
			continue;
		}
		for (size_t i = 0; i < g.gl_pathc; i++) {
			al_sigstore_bundle b;
			al_intoto_statement st;
			char art[4200];
			uint8_t d[32];
			uint64_t size;

			al_err_clear(&err);
			ck_assert_ok(al_sigstore_bundle_load(g.gl_pathv[i], &b, &err), &err);
			ck_assert(b.is_dsse);
			ck_assert_msg(al_intoto_parse(al_buf_bytes(&b.dsse.payload_type), al_buf_bytes(&b.dsse.payload),
						      &st, &err) == AL_OK, "%s: %s", g.gl_pathv[i], err.msg);
			snprintf(art, sizeof(art), "%.*s.subject.bin", (int)(strlen(g.gl_pathv[i]) - 14),
				 g.gl_pathv[i]);
			ck_assert_ok(al_sha256_file(art, d, &size, &err), &err);
			ck_assert_msg(al_intoto_match(&st, AL_HASH_SHA256, d, NULL), "%s: artifact not a subject",
				      g.gl_pathv[i]);
			d[5] ^= 1; /* twin */
			ck_assert(!al_intoto_match(&st, AL_HASH_SHA256, d, NULL));
			al_intoto_free(&st);
			al_sigstore_bundle_free(&b);
			n++;
		}
		globfree(&g);
	}
	printf("generated DSSE statements bound to their artifacts: %d\n", n);
	ck_assert_int_ge(n, 500);
}
END_TEST

/* Every in-toto DSSE payload in the conformance and client fixtures
 * parses; the conformance happy path binds a.txt. */
START_TEST(shared_fixture_statements)
{
	static const char *const pats[] = {
		"vectors/sigstore__sigstore-conformance/test/assets/bundle-verify/*/bundle.sigstore.json",
		"vectors/sigstore__sigstore-js/tests/bundles/*.sigstore",
		"vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/*bundles*.json",
		"vectors/sigstore__sigstore-go/examples/bundle-*.json",
		"vectors/sigstore__sigstore-go/pkg/testing/data/bundles/*.json",
		"vectors/sigstore__sigstore-python/test/assets/*.sigstore*",
		"vectors/sigstore__cosign/pkg/cosign/testdata/*.sigstore.json",
		"vectors/sigstore__sigstore-rs/tests/data/bundle_v03.json",
		"vectors/cli__cli/pkg/cmd/attestation/test/data/*.sigstore.json",
		"vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_*/v*/*.slsa",
		"vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_*/v*/*.intoto.jsonl",
	};
	const char *sh = al_test_shared("test_intoto");
	char pat[4096];
	int n = 0, other = 0;

	if (sh == NULL)
		return;
	for (size_t p = 0; p < AL_ARRAY_LEN(pats); p++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s", sh, pats[p]);
		if (glob(pat, 0, NULL, &g) != 0) {
			al_test_shared_missing(pats[p]);
			continue;
		}
		for (size_t i = 0; i < g.gl_pathc; i++) {
			al_sigstore_bundle b;
			al_intoto_statement st;

			al_err_clear(&err);
			if (al_sigstore_bundle_load(g.gl_pathv[i], &b, &err) != AL_OK)
				continue; /* structural failures are test_sigstore_bundle's */
			if (b.is_dsse && al_bytes_eq_str(al_buf_bytes(&b.dsse.payload_type), AL_INTOTO_PAYLOAD_TYPE)) {
				ck_assert_msg(al_intoto_parse(al_buf_bytes(&b.dsse.payload_type),
							      al_buf_bytes(&b.dsse.payload), &st, &err) == AL_OK,
					      "%s: %s", g.gl_pathv[i], err.msg);
				if (strstr(g.gl_pathv[i], "/happy-path-intoto-in-dsse-v3/")) {
					uint8_t d[32];
					uint64_t size;

					ck_assert_ok(al_sha256_file(al_test_shared_path("vectors/sigstore__sigstore-"
							"conformance/test/assets/bundle-verify/a.txt"), d, &size, &err), &err);
					ck_assert(al_intoto_match(&st, AL_HASH_SHA256, d, NULL));
				}
				al_intoto_free(&st);
				n++;
			} else if (b.is_dsse) {
				/* twin: a DSSE payload of another type is refused as a statement */
				ck_assert_rc(al_intoto_parse(al_buf_bytes(&b.dsse.payload_type),
							     al_buf_bytes(&b.dsse.payload), &st, &err),
					     AL_E_BUNDLE_FORMAT, &err);
				other++;
			}
			al_sigstore_bundle_free(&b);
		}
		globfree(&g);
	}
	printf("fixture in-toto statements parsed: %d (other payload types refused: %d)\n", n, other);
	ck_assert_int_ge(n, 40);
}
END_TEST

/* cosign save layouts: attestation layers are standalone DSSE envelopes
 * whose statements name the image manifest. */
START_TEST(shared_cosign_layout_envelopes)
{
	const char *sh = al_test_shared("test_intoto");
	char pat[4096];
	glob_t g;
	int n = 0;

	if (sh == NULL)
		return;
	snprintf(pat, sizeof(pat), "%s/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/"
		 "gha_generic_container/v*/container_workflow_dispatch/blobs/sha256/*", sh);
	if (glob(pat, 0, NULL, &g) != 0) {
		al_test_shared_missing("slsa-verifier gha_generic_container layouts");
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		al_buf f = { 0 };
		al_dsse_envelope env;
		al_intoto_statement st;
		char dpath[4200], *slash;
		al_buf want;
		al_buf hex = { 0 };

		al_err_clear(&err);
		if (al_read_file(g.gl_pathv[i], 1 << 20, &f, &err) != AL_OK ||
		    strstr((const char *)f.p, "\"payloadType\"") == NULL) {
			al_buf_free(&f);
			continue;
		}
		ck_assert_ok(al_dsse_envelope_parse(al_buf_bytes(&f), &env, &err), &err);
		ck_assert_ok(al_intoto_parse(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), &st, &err),
			     &err);
		/* the expected image digest is in ../container_workflow_dispatch.digest */
		snprintf(dpath, sizeof(dpath), "%s", g.gl_pathv[i]);
		slash = strstr(dpath, "/container_workflow_dispatch/blobs/");
		strcpy(slash, "/container_workflow_dispatch.digest");
		hex = al_test_read(dpath);
		while (hex.n && (hex.p[hex.n - 1] == '\n' || hex.p[hex.n - 1] == '\r'))
			hex.p[--hex.n] = '\0';
		want = al_test_hex(strchr((const char *)hex.p, ':') ? strchr((const char *)hex.p, ':') + 1
								   : (const char *)hex.p);
		ck_assert_msg(al_intoto_match(&st, AL_HASH_SHA256, want.p, NULL), "%s", g.gl_pathv[i]);
		al_buf_free(&want);
		al_buf_free(&hex);
		al_intoto_free(&st);
		al_dsse_envelope_free(&env);
		al_buf_free(&f);
		n++;
	}
	globfree(&g);
	printf("cosign save attestation envelopes parsed and bound: %d\n", n);
	ck_assert_int_ge(n, 7);
}
END_TEST

/* The fuzz seeds stay what they claim to be. */
START_TEST(fuzz_seeds)
{
	static const char *const seeds[] = { "statement-v01.json", "statement-v1.json" };
	al_intoto_statement st;

	for (size_t i = 0; i < AL_ARRAY_LEN(seeds); i++) {
		char rel[128];
		al_buf f;

		snprintf(rel, sizeof(rel), "fuzz/corpus/intoto/%s", seeds[i]);
		f = al_test_read(al_test_src_path(rel));
		al_err_clear(&err);
		ck_assert_ok(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&f), &st, &err), &err);
		ck_assert_int_eq(st.version, (int)i + 1);
		al_intoto_free(&st);
		al_buf_free(&f);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("intoto");
	TCase *tc = tcase_create("intoto");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, statement_model_and_match);
	tcase_add_test(tc, statement_accepted_variants);
	tcase_add_test(tc, statement_rejected_twins);
	tcase_add_test(tc, statement_payload_type_and_limits);
	tcase_add_test(tc, fuzz_seeds);
	tcase_add_test(tc, shared_generated_statements_bind_artifacts);
	tcase_add_test(tc, shared_fixture_statements);
	tcase_add_test(tc, shared_cosign_layout_envelopes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
