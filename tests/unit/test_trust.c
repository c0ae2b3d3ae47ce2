/*
 * test_trust.c — RFC 3339 times, validity windows, trusted_root.json and
 * PEM key files. Every accepting case has a rejecting twin; every real
 * trusted root under ../shared must parse.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/testutil.h"
#include "trust-roots/trust.h"

static al_err err;

/* ---------------------------------------------------------------- helpers */

static al_rc
parse_str(const char *json, al_trust_root *r)
{
	al_err_clear(&err);
	return al_trust_root_parse(al_bytes_str(json), r, &err);
}

#define P256_REKOR "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw=="
#define P256_REKOR_ID "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="
#define ED25519_REKOR "MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244="
#define P256_CT "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiPSlFi0CmFTfEjCUqF9HuCEcYXNKAaYalIJmBZ8yyezPjTqhxrKBpMnaocVtLJBI1eM3uXnQzQGAJdJ4gs9Fyw=="

/* A small root using the public-good log keys (public data) and stand-in
 * certificates: the parser only checks that a certificate is one DER
 * SEQUENCE ("MAA=" is 30 00). */
static const char *base_root =
	"{\n"
	" \"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\",\n"
	" \"tlogs\": [\n"
	"  {\"baseUrl\": \"https://rekor.example.dev\", \"hashAlgorithm\": \"SHA2_256\",\n"
	"   \"publicKey\": {\"rawBytes\": \"" P256_REKOR "\",\n"
	"     \"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\",\n"
	"     \"validFor\": {\"start\": \"2021-01-12T11:53:27Z\"}},\n"
	"   \"logId\": {\"keyId\": \"" P256_REKOR_ID "\"}},\n"
	"  {\"baseUrl\": \"https://log2025-1.rekor.example.dev:8443/api\", \"hashAlgorithm\": \"SHA2_256\",\n"
	"   \"publicKey\": {\"rawBytes\": \"" ED25519_REKOR "\", \"keyDetails\": \"PKIX_ED25519\",\n"
	"     \"validFor\": {\"start\": \"2025-09-23T00:00:00Z\", \"end\": null}},\n"
	"   \"logId\": {\"keyId\": \"zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=\"},\n"
	"   \"checkpointKeyId\": {\"keyId\": \"zxGZFQ==\"}, \"operator\": \"example.dev\"}\n"
	" ],\n"
	" \"certificateAuthorities\": [\n"
	"  {\"subject\": {\"organization\": \"example\", \"commonName\": \"ca\"},\n"
	"   \"uri\": \"https://ca.example.dev\",\n"
	"   \"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]},\n"
	"   \"validFor\": {\"start\": \"2021-03-07T03:20:29Z\", \"end\": \"2022-12-31T23:59:59.999Z\"}},\n"
	"  {\"uri\": \"https://ca2.example.dev\",\n"
	"   \"certChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]},\n"
	"   \"validFor\": {\"start\": \"2022-04-13T20:06:15Z\"}}\n"
	" ],\n"
	" \"ctlogs\": [\n"
	"  {\"baseUrl\": \"https://ctfe.example.dev/2022\", \"hashAlgorithm\": \"SHA2_256\",\n"
	"   \"publicKey\": {\"rawBytes\": \"" P256_CT "\", \"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\",\n"
	"     \"validFor\": {\"start\": \"2022-10-20T00:00:00Z\"}},\n"
	"   \"logId\": {\"keyId\": \"3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=\"}}\n"
	" ],\n"
	" \"timestampAuthorities\": [\n"
	"  {\"uri\": \"https://tsa.example.dev\", \"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]},\n"
	"   \"validFor\": {\"start\": \"2025-07-04T00:00:00Z\"}}\n"
	" ]\n"
	"}\n";

static int64_t
t_of(const char *s)
{
	int64_t sec;
	uint32_t ns;

	al_err_clear(&err);
	ck_assert_ok(al_rfc3339_parse(al_bytes_str(s), &sec, &ns, &err), &err);
	return sec;
}

/* ---------------------------------------------------------------- RFC 3339 */

START_TEST(rfc3339_valid)
{
	static const struct {
		const char *s;
		int64_t sec;
		uint32_t ns;
	} ok[] = {
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2021-01-12T11:53:27Z", 1610452407, 0 },
		{ "2021-01-12T11:53:27.000Z", 1610452407, 0 },
		{ "2022-10-31T23:59:59.999Z", 1667260799, 999000000 },
		{ "2022-10-31T23:59:59.999000Z", 1667260799, 999000000 },
		{ "2026-11-27T16:41:22.245123456Z", 1795797682, 245123456 },
		{ "2021-01-12T12:53:27+01:00", 1610452407, 0 },
		{ "2021-01-12T06:23:27-05:30", 1610452407, 0 },
		{ "1969-12-31T23:59:59.5Z", -1, 500000000 },
		{ "2000-02-29T00:00:00Z", 951782400, 0 },
		{ "2024-02-29T12:00:00Z", 1709208000, 0 },
		{ "0001-01-01T00:00:00Z", -62135596800LL, 0 },
		{ "9999-12-31T23:59:59.999999999Z", 253402300799LL, 999999999 },
		{ "0001-01-01T00:59:00+00:59", -62135596800LL, 0 },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		int64_t sec;
		uint32_t ns;

		al_err_clear(&err);
		ck_assert_ok(al_rfc3339_parse(al_bytes_str(ok[i].s), &sec, &ns, &err), &err);
		ck_assert_msg(sec == ok[i].sec && ns == ok[i].ns, "%s: got %lld.%09u", ok[i].s,
			      (long long)sec, ns);
	}
}
END_TEST

START_TEST(rfc3339_invalid)
{
	static const char *const bad[] = {
		"", "2021", "2021-01-12", "2021-01-12T11:53:27", "2021-01-12 11:53:27Z",
		"2021-01-12t11:53:27Z", "2021-01-12T11:53:27z", "2021-1-12T11:53:27Z",
		"2021-01-12T11:53Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
		"2021-13-01T00:00:00Z", "2021-00-01T00:00:00Z", "2021-04-31T00:00:00Z",
		"2021-01-32T00:00:00Z", "2021-01-00T00:00:00Z", "2021-01-12T24:00:00Z",
		"2021-01-12T11:60:00Z", "2016-12-31T23:59:60Z", "2021-01-12T11:53:27.Z",
		"2021-01-12T11:53:27.1234567891Z", "2021-01-12T11:53:27+24:00",
		"2021-01-12T11:53:27+01", "2021-01-12T11:53:27+0100", "2021-01-12T11:53:27+01:60",
		"2021-01-12T11:53:27ZZ", "2021-01-12T11:53:27Z ", " 2021-01-12T11:53:27Z",
		"0000-12-31T00:00:00Z", "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01",
		"+2021-01-12T11:53:27Z", "2021-01-12T11:53:27.1e3Z", "２021-01-12T11:53:27Z",
		"2021-01-12T11:53:2AZ", "2021-01-12T-1:53:27Z",
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		int64_t sec = 7;
		uint32_t ns = 7;

		al_err_clear(&err);
		ck_assert_msg(al_rfc3339_parse(al_bytes_str(bad[i]), &sec, &ns, &err) == AL_E_DECODE,
			      "accepted \"%s\"", bad[i]);
		ck_assert(sec == 0 && ns == 0);
		ck_assert(strstr(err.msg, "time \"") != NULL);
	}
	/* a slice is read to its length, not to a NUL */
	{
		int64_t sec;
		uint32_t ns;

		ck_assert_ok(al_rfc3339_parse(al_bytes_of("2021-01-12T11:53:27Zjunk", 20), &sec, &ns,
					      &err), &err);
		ck_assert_int_eq(sec, 1610452407);
	}
}
END_TEST

START_TEST(rfc3339_format_roundtrip)
{
	static const char *const s[] = { "1970-01-01T00:00:00Z", "2021-01-12T11:53:27Z",
					 "2000-02-29T23:59:59Z", "0001-01-01T00:00:00Z",
					 "9999-12-31T23:59:59Z", "1969-07-20T20:17:40Z" };
	char out[21];

	for (size_t i = 0; i < AL_ARRAY_LEN(s); i++) {
		al_rfc3339_format(t_of(s[i]), out);
		ck_assert_str_eq(out, s[i]);
	}
	/* every day of four centuries: parse(format(t)) == t */
	for (int64_t t = -2208988800LL; t < 10413792000LL; t += 86400 + 3601) {
		al_rfc3339_format(t, out);
		ck_assert_int_eq(t_of(out), t);
	}
	al_rfc3339_format(253402300800LL, out);
	ck_assert_str_eq(out, "(out of range)");
}
END_TEST

START_TEST(validity_closed_intervals)
{
	al_validity v = { 0 };
	uint32_t ns;

	/* no bounds: always */
	ck_assert(al_validity_contains(&v, -5));
	v.has_start = true;
	ck_assert_ok(al_rfc3339_parse(al_bytes_str("2021-01-12T11:53:27Z"), &v.start, &ns, &err), &err);
	v.start_ns = ns;
	ck_assert(al_validity_contains(&v, 1610452407));       /* start itself: closed */
	ck_assert(!al_validity_contains(&v, 1610452406));      /* twin: one second early */
	ck_assert(al_validity_contains(&v, 4102444800LL));     /* open end */
	v.has_end = true;
	ck_assert_ok(al_rfc3339_parse(al_bytes_str("2023-07-12T15:56:36Z"), &v.end, &ns, &err), &err);
	v.end_ns = ns;
	ck_assert(al_validity_contains(&v, 1689177396));       /* end itself: closed */
	ck_assert(!al_validity_contains(&v, 1689177397));      /* twin: one second late */
	ck_assert(al_validity_contains_ns(&v, 1689177396, 0));
	ck_assert(!al_validity_contains_ns(&v, 1689177396, 1)); /* a nanosecond late */
	/* fractional bounds: a whole second inside only if really inside */
	v.start_ns = 500000000;
	ck_assert(!al_validity_contains(&v, 1610452407));
	ck_assert(al_validity_contains_ns(&v, 1610452407, 500000000));
	ck_assert(al_validity_contains(&v, 1610452408));
	v.end_ns = 999000000;
	ck_assert(al_validity_contains_ns(&v, 1689177396, 999000000));
	ck_assert(!al_validity_contains_ns(&v, 1689177396, 999000001));
}
END_TEST

/* ---------------------------------------------------------------- synthetic roots */

START_TEST(root_synthetic_model)
{
	al_trust_root r;
	al_buf id;
	const al_trust_log *l;
	const al_trust_ca *ca;
	size_t pos;

	ck_assert_ok(parse_str(base_root, &r), &err);
	ck_assert_str_eq(r.media_type, "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
	ck_assert_uint_eq(r.ntlogs, 2);
	ck_assert_uint_eq(r.nctlogs, 1);
	ck_assert_uint_eq(r.ncas, 2);
	ck_assert_uint_eq(r.ntsas, 1);
	ck_assert_str_eq((const char *)r.tlogs[0].host.p, "rekor.example.dev");
	ck_assert_str_eq((const char *)r.tlogs[1].host.p, "log2025-1.rekor.example.dev");
	ck_assert_str_eq((const char *)r.tlogs[1].base_url.p, "https://log2025-1.rekor.example.dev:8443/api");
	ck_assert_str_eq((const char *)r.tlogs[1].operator_name.p, "example.dev");
	ck_assert_str_eq((const char *)r.tlogs[0].operator_name.p, "");
	ck_assert_uint_eq(r.tlogs[1].checkpoint_key_id.n, 4);
	ck_assert_uint_eq(r.tlogs[0].checkpoint_key_id.n, 0);
	ck_assert_int_eq(r.tlogs[0].key.kind, AL_KEY_ECDSA_P256);
	ck_assert_int_eq(r.tlogs[1].key.kind, AL_KEY_ED25519);
	ck_assert_str_eq(r.tlogs[0].key_details, "PKIX_ECDSA_P256_SHA_256");
	ck_assert_int_eq(r.tlogs[0].tree_hash, AL_HASH_SHA256);
	ck_assert(r.tlogs[1].valid_for.has_start && !r.tlogs[1].valid_for.has_end); /* null = absent */
	/* lookups by log ID: Rekor v1 log ID = SHA-256 of the key's SPKI */
	l = al_trust_tlog_by_id(&r, al_bytes_of(r.tlogs[0].key.spki_sha256, 32));
	ck_assert_ptr_eq(l, &r.tlogs[0]);
	id = al_test_hex("cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0");
	ck_assert_ptr_eq(al_trust_tlog_by_id(&r, al_buf_bytes(&id)), &r.tlogs[1]);
	ck_assert_ptr_null(al_trust_ctlog_by_id(&r, al_buf_bytes(&id))); /* twin: wrong list */
	id.p[31] ^= 1;
	ck_assert_ptr_null(al_trust_tlog_by_id(&r, al_buf_bytes(&id)));   /* twin: one bit off */
	ck_assert_ptr_null(al_trust_tlog_by_id(&r, al_bytes_of(id.p, 31))); /* twin: a prefix */
	ck_assert_ptr_eq(al_trust_ctlog_by_id(&r, al_bytes_of(r.ctlogs[0].key.spki_sha256, 32)),
			 &r.ctlogs[0]);
	al_buf_free(&id);
	/* CAs by time: the first until 2022-12-31T23:59:59.999, the second from 2022-04-13 */
	pos = 0;
	ca = al_trust_ca_at(&r, t_of("2022-01-01T00:00:00Z"), &pos);
	ck_assert_ptr_eq(ca, &r.cas[0]);
	ck_assert_ptr_null(al_trust_ca_at(&r, t_of("2022-01-01T00:00:00Z"), &pos));
	pos = 0;
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2022-06-01T00:00:00Z"), &pos), &r.cas[0]);
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2022-06-01T00:00:00Z"), &pos), &r.cas[1]);
	ck_assert_ptr_null(al_trust_ca_at(&r, t_of("2022-06-01T00:00:00Z"), &pos));
	pos = 0;
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2022-12-31T23:59:59Z"), &pos), &r.cas[0]);
	pos = 0;
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2023-01-01T00:00:00Z"), &pos), &r.cas[1]);
	pos = 0;
	ck_assert_ptr_null(al_trust_ca_at(&r, t_of("2021-03-07T03:20:28Z"), &pos));
	ck_assert_uint_eq(r.cas[1].ncerts, 2);
	ck_assert_str_eq((const char *)r.cas[0].organization.p, "example");
	ck_assert_str_eq((const char *)r.cas[1].organization.p, "");
	/* TSAs: start inclusive */
	pos = 0;
	ck_assert_ptr_eq(al_trust_tsa_at(&r, t_of("2025-07-04T00:00:00Z"), &pos), &r.tsas[0]);
	pos = 0;
	ck_assert_ptr_null(al_trust_tsa_at(&r, t_of("2025-07-03T23:59:59Z"), &pos));
	/* the digest is of the exact bytes */
	{
		uint8_t d[32];

		al_sha256(al_bytes_str(base_root), d);
		ck_assert(memcmp(d, r.sha256, 32) == 0);
	}
	al_trust_root_free(&r);
	al_trust_root_free(&r); /* idempotent */
	al_trust_root_free(NULL);
}
END_TEST

START_TEST(root_synthetic_accepted_variants)
{
	static const struct {
		const char *from, *to;
	} ok[] = {
		/* enums as numbers (protobuf JSON readers accept them) */
		{ "\"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\",\n     \"validFor\": {\"start\": \"2021",
		  "\"keyDetails\": 5,\n     \"validFor\": {\"start\": \"2021" },
		{ "\"hashAlgorithm\": \"SHA2_256\",\n   \"publicKey\": {\"rawBytes\": \"" P256_REKOR,
		  "\"hashAlgorithm\": 1,\n   \"publicKey\": {\"rawBytes\": \"" P256_REKOR },
		/* the other media type spellings */
		{ "trustedroot+json;version=0.1", "trustedroot.v0.1+json" },
		{ "trustedroot+json;version=0.1", "trustedroot.v0.2+json" },
		/* empty lists and absent lists */
		{ "\"timestampAuthorities\": [\n  {\"uri\": \"https://tsa.example.dev\", \"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]},\n   \"validFor\": {\"start\": \"2025-07-04T00:00:00Z\"}}\n ]",
		  "\"timestampAuthorities\": []" },
		/* a CA without validFor: always valid */
		{ ",\n   \"validFor\": {\"start\": \"2022-04-13T20:06:15Z\"}}", "}" },
		/* scheme-less base URL and an IPv6 literal */
		{ "https://rekor.example.dev", "rekor.example.dev/api" },
		{ "https://ctfe.example.dev/2022", "http://[::1]:8080/ct" },
		/* offsets in times */
		{ "2021-01-12T11:53:27Z", "2021-01-12T12:53:27+01:00" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		char *j = al_test_mutate(base_root, ok[i].from, ok[i].to);
		al_trust_root r;

		ck_assert_msg(parse_str(j, &r) == AL_OK, "variant %zu rejected: %s", i, err.msg);
		if (i == 6)
			ck_assert_str_eq((const char *)r.tlogs[0].host.p, "rekor.example.dev");
		if (i == 7)
			ck_assert_str_eq((const char *)r.ctlogs[0].host.p, "::1");
		if (i == 8)
			ck_assert_int_eq(r.tlogs[0].valid_for.start, 1610452407);
		al_trust_root_free(&r);
		free(j);
	}
}
END_TEST

/* Each twin changes one thing and must be rejected with exit 4 and a
 * message naming where. */
START_TEST(root_synthetic_rejected_twins)
{
	static const struct {
		const char *from, *to, *want;
	} bad[] = {
		/* the conformance rule: a log key needs the start of its validity */
		{ "\"validFor\": {\"start\": \"2021-01-12T11:53:27Z\"}", "\"validFor\": {}",
		  "tlogs[0].publicKey.validFor.start: missing" },
		{ ",\n     \"validFor\": {\"start\": \"2021-01-12T11:53:27Z\"}", "",
		  "tlogs[0].publicKey.validFor: missing" },
		{ "\"validFor\": {\"start\": \"2022-10-20T00:00:00Z\"}", "\"validFor\": {\"end\": \"2030-01-01T00:00:00Z\"}",
		  "ctlogs[0].publicKey.validFor.start: missing" },
		/* keys */
		{ P256_REKOR, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw=!",
		  "tlogs[0].publicKey.rawBytes: invalid base64" },
		{ P256_REKOR, "MAA=", "tlogs[0].publicKey.rawBytes" },
		{ P256_REKOR, "", "tlogs[0].publicKey.rawBytes" },
		{ "\"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\",\n     \"validFor\": {\"start\": \"2021",
		  "\"keyDetails\": \"PKIX_ECDSA_P384_SHA_384\",\n     \"validFor\": {\"start\": \"2021",
		  "tlogs[0].publicKey.rawBytes: a " },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PKIX_ECDSA_P256_SHA_256\"",
		  "tlogs[1].publicKey.rawBytes: a " },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PKIX_RSA_PKCS1V15_2048_SHA256\"",
		  "tlogs[1].publicKey.rawBytes: a " },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PKIX_ED25519_PH\"",
		  "tlogs[1].publicKey.keyDetails: PKIX_ED25519_PH keys are not supported" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"ML_DSA_65\"",
		  "tlogs[1].publicKey.keyDetails: ML_DSA_65 keys are not supported" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PUBLIC_KEY_DETAILS_UNSPECIFIED\"",
		  "not supported" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PKIX_ED25519_XYZ\"",
		  "tlogs[1].publicKey.keyDetails: unknown value \"PKIX_ED25519_XYZ\"" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": 99",
		  "tlogs[1].publicKey.keyDetails: unknown value 99" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"7\"", "unknown value \"7\"" },
		{ "\"keyDetails\": \"PKIX_ED25519\",", "", "tlogs[1].publicKey.keyDetails: missing" },
		/* logs */
		{ "\"hashAlgorithm\": \"SHA2_256\",\n   \"publicKey\": {\"rawBytes\": \"" ED25519_REKOR,
		  "\"hashAlgorithm\": \"SHA2_384\",\n   \"publicKey\": {\"rawBytes\": \"" ED25519_REKOR,
		  "tlogs[1].hashAlgorithm: SHA2_384" },
		{ "\"hashAlgorithm\": \"SHA2_256\",\n   \"publicKey\": {\"rawBytes\": \"" P256_CT,
		  "\"publicKey\": {\"rawBytes\": \"" P256_CT, "ctlogs[0].hashAlgorithm: missing" },
		{ "zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=", P256_REKOR_ID,
		  "tlogs[1].logId: same keyId as tlogs[0]" },
		{ ",\n   \"logId\": {\"keyId\": \"" P256_REKOR_ID "\"}", "", "tlogs[0].logId: missing" },
		{ "{\"keyId\": \"" P256_REKOR_ID "\"}", "{}", "tlogs[0].logId.keyId: missing" },
		{ "{\"keyId\": \"zxGZFQ==\"}", "{\"keyId\": \"\"}", "tlogs[1].checkpointKeyId.keyId: 0 bytes" },
		{ "\"https://rekor.example.dev\"", "\"https://\"", "tlogs[0].baseUrl: no host name" },
		{ "\"https://rekor.example.dev\"", "\"\"", "tlogs[0].baseUrl: no host name" },
		{ "\"https://rekor.example.dev\"", "\"https://user@rekor.example.dev\"",
		  "tlogs[0].baseUrl: user information" },
		{ "\"https://rekor.example.dev\"", "\"https://rekor.example.dev:port\"",
		  "tlogs[0].baseUrl: bad port" },
		{ "\"https://rekor.example.dev\"", "\"https://rek or.example.dev\"",
		  "tlogs[0].baseUrl: invalid character" },
		{ "\"baseUrl\": \"https://rekor.example.dev\", ", "", "tlogs[0].baseUrl: missing" },
		/* times */
		{ "2021-01-12T11:53:27Z", "2021-01-12", "tlogs[0].publicKey.validFor.start: time" },
		{ "2021-01-12T11:53:27Z", "2021-02-30T11:53:27Z", "tlogs[0].publicKey.validFor.start: time" },
		{ "2022-12-31T23:59:59.999Z", "2022-12-31T23:59:59.999", "certificateAuthorities[0].validFor.end: time" },
		{ "2022-12-31T23:59:59.999Z", "2021-03-07T03:20:28.999Z", "certificateAuthorities[0].validFor: end is before start" },
		{ "\"start\": \"2021-01-12T11:53:27Z\"", "\"start\": 1610452407", "validFor.start: not a string" },
		/* unknown fields, at every level */
		{ "\"mediaType\"", "\"extra\": 1, \"mediaType\"", "extra: unknown field" },
		{ "{\"baseUrl\": \"https://rekor.example.dev\"", "{\"base_url\": \"x\", \"baseUrl\": \"https://rekor.example.dev\"",
		  "tlogs[0].base_url: unknown field" },
		{ "\"keyDetails\": \"PKIX_ED25519\"", "\"keyDetails\": \"PKIX_ED25519\", \"x\": 1",
		  "tlogs[1].publicKey.x: unknown field" },
		{ "{\"start\": \"2025-07-04T00:00:00Z\"}", "{\"start\": \"2025-07-04T00:00:00Z\", \"x\": 1}",
		  "timestampAuthorities[0].validFor.x: unknown field" },
		{ "\"commonName\": \"ca\"", "\"commonName\": \"ca\", \"country\": \"x\"",
		  "certificateAuthorities[0].subject.country: unknown field" },
		/* media type */
		{ "trustedroot+json;version=0.1", "trustedroot+json;version=0.9", "mediaType:" },
		{ "\"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\",", "",
		  "mediaType: missing" },
		/* CAs and TSAs */
		{ "{\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}",
		  "{\"certificates\": []}", "certificateAuthorities[1].certChain.certificates: empty" },
		{ "{\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}", "{}",
		  "certificateAuthorities[1].certChain.certificates: missing" },
		{ "\"MAMCAQE=\"", "\"MAMCAQ==\"", "certificateAuthorities[1].certChain.certificates[0].rawBytes: not a DER" },
		{ "\"MAMCAQE=\"", "\"MIEAAwIBAQ==\"", "not a DER" },
		{ "\"MAMCAQE=\"", "\"bm90IGRlcg==\"", "not a DER" },
		{ "\"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]},\n   \"validFor\": {\"start\": \"2025",
		  "\"validFor\": {\"start\": \"2025", "timestampAuthorities[0].certChain: missing" },
		/* types */
		{ "\"timestampAuthorities\": [\n  {\"uri\": \"https://tsa.example.dev\", \"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]},\n   \"validFor\": {\"start\": \"2025-07-04T00:00:00Z\"}}\n ]",
		  "\"timestampAuthorities\": {}", "timestampAuthorities: not an array" },
		{ "\"ctlogs\": [\n  {", "\"ctlogs\": [\n  7, {", "ctlogs[0]: not an object" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		char *j = al_test_mutate(base_root, bad[i].from, bad[i].to);
		al_trust_root r;
		al_rc rc = parse_str(j, &r);

		ck_assert_msg(rc == AL_E_TRUST_INVALID, "twin %zu: got %s: %s", i, al_rc_name(rc), err.msg);
		ck_assert_int_eq(al_rc_exit(rc), 4);
		ck_assert_msg(strstr(err.msg, bad[i].want) != NULL, "twin %zu: \"%s\" lacks \"%s\"", i,
			      err.msg, bad[i].want);
		ck_assert(r.tlogs == NULL && r.ntlogs == 0); /* left empty */
		al_trust_root_free(&r);
		free(j);
	}
}
END_TEST

START_TEST(root_limits)
{
	al_buf j = { 0 };
	al_trust_root r;
	const char *ca = "{\"certChain\": {\"certificates\": [{\"rawBytes\": \"MAA=\"}]}}";

	/* AL_MAX_TRUST_ENTRIES CAs are fine; one more is not */
	for (int n = AL_MAX_TRUST_ENTRIES; n <= AL_MAX_TRUST_ENTRIES + 1; n++) {
		j.n = 0;
		ck_assert_ok(al_buf_appendf(&j, &err, "{\"mediaType\": \"application/vnd.dev.sigstore."
					    "trustedroot+json;version=0.1\", \"certificateAuthorities\": ["), &err);
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s%s", i ? "," : "", ca), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, "]}"), &err);
		al_err_clear(&err);
		if (n == AL_MAX_TRUST_ENTRIES) {
			ck_assert_ok(al_trust_root_parse(al_buf_bytes(&j), &r, &err), &err);
			ck_assert_uint_eq(r.ncas, (size_t)n);
			al_trust_root_free(&r);
		} else {
			ck_assert_rc(al_trust_root_parse(al_buf_bytes(&j), &r, &err), AL_E_TRUST_INVALID, &err);
			ck_assert(strstr(err.msg, "certificateAuthorities: 65 entries") != NULL);
		}
	}
	/* AL_MAX_CHAIN_CERTS certificates in one chain, then one more */
	for (int n = AL_MAX_CHAIN_CERTS; n <= AL_MAX_CHAIN_CERTS + 1; n++) {
		j.n = 0;
		ck_assert_ok(al_buf_appendf(&j, &err, "{\"mediaType\": \"application/vnd.dev.sigstore."
					    "trustedroot+json;version=0.1\", \"timestampAuthorities\": "
					    "[{\"certChain\": {\"certificates\": ["), &err);
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s{\"rawBytes\": \"MAA=\"}", i ? "," : ""), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, "]}}]}"), &err);
		al_err_clear(&err);
		ck_assert_rc(al_trust_root_parse(al_buf_bytes(&j), &r, &err),
			     n == AL_MAX_CHAIN_CERTS ? AL_OK : AL_E_TRUST_INVALID, &err);
		al_trust_root_free(&r);
	}
	/* not JSON, not an object, empty */
	ck_assert_rc(parse_str("{\"mediaType\": ", &r), AL_E_TRUST_INVALID, &err);
	ck_assert_rc(parse_str("[]", &r), AL_E_TRUST_INVALID, &err);
	ck_assert_rc(parse_str("", &r), AL_E_TRUST_INVALID, &err);
	ck_assert(strncmp(err.msg, "trusted root: ", 14) == 0);
	al_buf_free(&j);
}
END_TEST

/* ---------------------------------------------------------------- files */

static char tmpdir[64];

static const char *
write_tmp(const char *name, const char *content)
{
	static char path[128];
	FILE *f;

	if (tmpdir[0] == '\0') {
		strcpy(tmpdir, "/tmp/al_test_trust.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	return path;
}

static void
rm_tmp(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
}

START_TEST(root_load_file)
{
	al_trust_root r;
	const char *p = write_tmp("root.json", base_root);
	char *bad = al_test_mutate(base_root, "2025-07-04T00:00:00Z", "2025-07-04");
	char path[128];

	strcpy(path, p);
	al_err_clear(&err);
	ck_assert_ok(al_trust_root_load(path, &r, &err), &err);
	ck_assert_uint_eq(r.ntlogs, 2);
	al_trust_root_free(&r);
	/* twin: the same file with one bad time names the file and the path */
	strcpy(path, write_tmp("bad.json", bad));
	ck_assert_rc(al_trust_root_load(path, &r, &err), AL_E_TRUST_INVALID, &err);
	ck_assert(strncmp(err.msg, path, strlen(path)) == 0);
	ck_assert(strstr(err.msg, "timestampAuthorities[0].validFor.start: time \"2025-07-04\"") != NULL);
	/* a file that is not there is an operator error (exit 2), not bad trust */
	strcat(path, ".missing");
	ck_assert_rc(al_trust_root_load(path, &r, &err), AL_E_IO, &err);
	ck_assert_int_eq(al_rc_exit(err.code), 2);
	rm_tmp("root.json");
	rm_tmp("bad.json");
	free(bad);
}
END_TEST

START_TEST(pem_key_file)
{
	static const char pem[] =
		"-----BEGIN PUBLIC KEY-----\n"
		"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwr\n"
		"kBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==\n"
		"-----END PUBLIC KEY-----\n";
	al_pubkey k;
	char path[128];
	char *bad = al_test_mutate(pem, "kBbm", "kBb!");

	al_pubkey_init(&k);
	strcpy(path, write_tmp("k.pem", pem));
	al_err_clear(&err);
	ck_assert_ok(al_trust_load_pem_key(path, &k, &err), &err);
	ck_assert_int_eq(k.kind, AL_KEY_ECDSA_P256);
	al_pubkey_free(&k);
	/* twins: corrupted base64 (conformance managed-key-wrong-key), not PEM, missing */
	al_pubkey_init(&k);
	strcpy(path, write_tmp("bad.pem", bad));
	ck_assert_rc(al_trust_load_pem_key(path, &k, &err), AL_E_TRUST_INVALID, &err);
	ck_assert(strstr(err.msg, path) != NULL);
	al_pubkey_free(&k);
	al_pubkey_init(&k);
	strcpy(path, write_tmp("notpem.pem", "hello\n"));
	ck_assert_rc(al_trust_load_pem_key(path, &k, &err), AL_E_TRUST_INVALID, &err);
	al_pubkey_free(&k);
	al_pubkey_init(&k);
	strcat(path, ".missing");
	ck_assert_rc(al_trust_load_pem_key(path, &k, &err), AL_E_IO, &err);
	al_pubkey_free(&k);
	rm_tmp("k.pem");
	rm_tmp("bad.pem");
	rm_tmp("notpem.pem");
	rmdir(tmpdir);
	tmpdir[0] = '\0';
	free(bad);
}
END_TEST

/* ---------------------------------------------------------------- ../shared */

static int nroots, nroots_failed;

static int
visit_root(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + ftw->base;
	al_trust_root r;
	al_rc rc;
	bool want_fail;

	(void)st;
	if (type != FTW_F || strncmp(name, "trusted_root", 12) != 0 ||
	    strcmp(name + strlen(name) - 5, ".json") != 0)
		return 0;
	/* the one malformed root in the suite (tlog validFor without start) */
	want_fail = strstr(path, "trust-root-tlog-missing-validity-start_fail") != NULL;
	al_err_clear(&err);
	rc = al_trust_root_load(path, &r, &err);
	nroots++;
	if (want_fail) {
		if (rc != AL_E_TRUST_INVALID ||
		    strstr(err.msg, "tlogs[1].publicKey.validFor.start: missing") == NULL) {
			fprintf(stderr, "%s: not rejected as expected: %s\n", path, err.msg);
			nroots_failed++;
		}
	} else if (rc != AL_OK) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		nroots_failed++;
	} else {
		uint8_t d[32];
		uint64_t size;

		/* the digest reports name the root by is of the file */
		ck_assert_ok(al_sha256_file(path, d, &size, &err), &err);
		if (memcmp(d, r.sha256, 32) != 0)
			nroots_failed++;
		if (r.ntlogs == 0 || r.ncas == 0) {
			fprintf(stderr, "%s: no tlogs or CAs\n", path);
			nroots_failed++;
		}
	}
	al_trust_root_free(&r);
	return 0;
}

START_TEST(shared_all_trusted_roots)
{
	const char *sh = al_test_shared("test_trust");
	char dir[4096];

	if (sh == NULL)
		return;
	nroots = nroots_failed = 0;
	snprintf(dir, sizeof(dir), "%s/vectors", sh);
	ck_assert_int_eq(nftw(dir, visit_root, 16, FTW_PHYS), 0);
	snprintf(dir, sizeof(dir), "%s/generated", sh);
	ck_assert_int_eq(nftw(dir, visit_root, 16, FTW_PHYS), 0);
	printf("trusted_root*.json under ../shared: %d parsed as expected, %d not\n",
	       nroots - nroots_failed, nroots_failed);
	ck_assert_int_ge(nroots, 36);
	ck_assert_int_eq(nroots_failed, 0);
}
END_TEST

/* Other trusted roots in ../shared, not named trusted_root*.json. */
START_TEST(shared_other_roots)
{
	static const struct {
		const char *path;
		const char *want_err; /* NULL: must parse */
	} roots[] = {
		{ "vectors/sigstore__sigstore-go/examples/trusted-root-public-good.json", NULL },
		{ "vectors/sigstore__sigstore-go/pkg/testing/data/trusted-roots/public-good.json", NULL },
		{ "vectors/sigstore__sigstore-go/pkg/testing/data/trusted-roots/scaffolding.json", NULL },
		{ "vectors/sigstore__sigstore-go/pkg/testing/data/trusted-roots/public-key-validity.json", NULL },
		{ "vectors/sigstore__sigstore-python/test/assets/trusted_root/trustedroot.v1.json", NULL },
		{ "vectors/sigstore__sigstore-python/test/assets/trusted_root/trustedroot.v1.local_tlog_ed25519_rekor-tiles.json", NULL },
		/* sigstore-js unit fixtures give tlogs no validFor: airlock, like
		 * sigstore-go, refuses a log key without a validity start */
		{ "vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/client-trust__trustedRoot.json",
		  "tlogs[0].publicKey.validFor: missing" },
		{ "vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/verify-trust__trustedRoot.json",
		  "tlogs[0].publicKey.validFor: missing" },
	};

	if (al_test_shared("test_trust") == NULL)
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(roots); i++) {
		const char *p = al_test_shared_path(roots[i].path);
		al_trust_root r;
		al_rc rc;

		if (!al_test_shared_has(roots[i].path))
			continue;
		al_err_clear(&err);
		rc = al_trust_root_load(p, &r, &err);
		if (roots[i].want_err == NULL)
			ck_assert_msg(rc == AL_OK, "%s: %s", roots[i].path, err.msg);
		else
			ck_assert_msg(rc == AL_E_TRUST_INVALID && strstr(err.msg, roots[i].want_err),
				      "%s: %s", roots[i].path, err.msg);
		al_trust_root_free(&r);
	}
}
END_TEST

START_TEST(shared_production_root)
{
	const char *sh = al_test_shared("test_trust");
	al_trust_root r;
	al_buf id;
	size_t pos = 0;

	if (sh == NULL)
		return;
	al_err_clear(&err);
	ck_assert_ok(al_trust_root_load(al_test_shared_path("vectors/sigstore__root-signing/targets/trusted_root.json"),
					&r, &err), &err);
	ck_assert_uint_eq(r.ntlogs, 2);
	ck_assert_uint_eq(r.nctlogs, 2);
	ck_assert_uint_eq(r.ncas, 2);
	ck_assert_uint_eq(r.ntsas, 1);
	ck_assert_str_eq((const char *)r.tlogs[0].host.p, "rekor.sigstore.dev");
	ck_assert_str_eq((const char *)r.tlogs[1].host.p, "log2025-1.rekor.sigstore.dev");
	ck_assert_str_eq((const char *)r.ctlogs[0].host.p, "ctfe.sigstore.dev");
	ck_assert_int_eq(r.tlogs[1].key.kind, AL_KEY_ED25519);
	/* Rekor v1 log ID = SHA-256(SPKI) (happy-path bundles name c0d23d6a...) */
	id = al_test_hex("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
	ck_assert_ptr_eq(al_trust_tlog_by_id(&r, al_buf_bytes(&id)), &r.tlogs[0]);
	ck_assert(memcmp(r.tlogs[0].key.spki_sha256, id.p, 32) == 0);
	al_buf_free(&id);
	/* Fulcio v1 CA until 2022-12-31T23:59:59.999, the current one from 2022-04-13 */
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2021-06-01T00:00:00Z"), &pos), &r.cas[0]);
	ck_assert_ptr_null(al_trust_ca_at(&r, t_of("2021-06-01T00:00:00Z"), &pos));
	pos = 0;
	ck_assert_ptr_eq(al_trust_ca_at(&r, t_of("2024-06-01T00:00:00Z"), &pos), &r.cas[1]);
	ck_assert_uint_eq(r.cas[1].ncerts, 2);
	ck_assert_uint_eq(r.tsas[0].ncerts, 2);
	al_trust_root_free(&r);

	/* staging: the retired CT key is a PKCS#1 RSAPublicKey, not SPKI */
	ck_assert_ok(al_trust_root_load(al_test_shared_path("vectors/sigstore__root-signing-staging/targets/trusted_root.json"),
					&r, &err), &err);
	ck_assert_str_eq(r.ctlogs[0].key_details, "PKCS1_RSA_PKCS1V5");
	ck_assert_int_eq(r.ctlogs[0].key.kind, AL_KEY_RSA_PKCS1V15);
	ck_assert_ptr_eq(al_trust_ctlog_by_id(&r, al_buf_bytes(&r.ctlogs[0].log_id)), &r.ctlogs[0]);
	al_trust_root_free(&r);
}
END_TEST

/* The conformance root without a tlog validity start, and its twin: the
 * same file with the start restored parses. */
START_TEST(shared_missing_start_twin)
{
	const char *sh = al_test_shared("test_trust");
	al_buf b;
	al_trust_root r;
	char *fixed;

	if (sh == NULL)
		return;
	b = al_test_read(al_test_shared_path("vectors/sigstore__sigstore-conformance/test/assets/"
					     "bundle-verify/trust-root-tlog-missing-validity-start_fail/trusted_root.json"));
	al_err_clear(&err);
	ck_assert_rc(al_trust_root_parse(al_buf_bytes(&b), &r, &err), AL_E_TRUST_INVALID, &err);
	ck_assert_str_eq(err.msg, "trusted root: tlogs[1].publicKey.validFor.start: missing (a log "
			 "key needs the start of its validity)");
	ck_assert_ptr_nonnull(strstr((const char *)b.p, "\"validFor\": {}"));
	fixed = al_test_mutate((const char *)b.p, "\"validFor\": {}", "\"validFor\": {\"start\": \"2025-04-16T00:00:00Z\"}");
	ck_assert_ok(parse_str(fixed, &r), &err);
	al_trust_root_free(&r);
	free(fixed);
	al_buf_free(&b);
}
END_TEST

/* The fuzz seeds stay what they claim to be. */
START_TEST(fuzz_seeds)
{
	al_trust_root r;

	al_err_clear(&err);
	ck_assert_ok(al_trust_root_load(al_test_src_path("fuzz/corpus/trusted_root/synthetic.json"), &r, &err), &err);
	ck_assert_uint_eq(r.ntlogs, 2);
	al_trust_root_free(&r);
	ck_assert_rc(al_trust_root_load(al_test_src_path("fuzz/corpus/trusted_root/missing-start.json"), &r, &err),
		     AL_E_TRUST_INVALID, &err);
}
END_TEST


/* ---------------------------------------------------------------- embedded root, JSON Lines */

/* The embedded root parses, and its recorded provenance agrees with the
 * bytes embedded (docs/trust.md). */
START_TEST(embedded_root)
{
	const al_trust_embedded *e = al_trust_embedded_get();
	al_trust_set s;
	al_json *doc = NULL;
	const al_json *signed_;
	al_bytes expires;
	int64_t version;
	uint8_t h[32];
	char hex[65];

	ck_assert_str_eq(e->package, "@sigstore/tuf");
	ck_assert(strncmp(e->integrity, "sha512-", 7) == 0);
	ck_assert(strlen(e->version) > 0);
	al_sha256(e->trusted_root, h);
	al_hex_encode(h, 32, hex);
	ck_assert_str_eq(hex, e->trusted_root_sha256);
	al_sha256(e->tuf_root, h);
	al_hex_encode(h, 32, hex);
	ck_assert_str_eq(hex, e->tuf_root_sha256);
	/* the TUF root's version and expiry are what root.json says */
	al_err_clear(&err);
	ck_assert_ok(al_json_parse(e->tuf_root, &doc, &err), &err);
	ck_assert_ok(al_json_get_obj(doc, "", "signed", true, &signed_, &err), &err);
	ck_assert_ok(al_json_get_i64(signed_, "signed", "version", true, &version, NULL, &err), &err);
	ck_assert_int_eq(version, e->tuf_root_version);
	ck_assert_ok(al_json_get_str(signed_, "signed", "expires", true, &expires, &err), &err);
	ck_assert(al_bytes_eq_str(expires, e->tuf_root_expires));
	al_json_free(doc);
	{
		char want[128];

		snprintf(want, sizeof(want), "embedded (%s %s, TUF root v%u)", e->package, e->version,
			 e->tuf_root_version);
		ck_assert_str_eq(e->source, want);
	}
	/* and the trusted root is one airlock accepts, with both Rekor logs */
	ck_assert_ok(al_trust_set_load(NULL, &s, &err), &err);
	ck_assert(s.embedded);
	ck_assert(!s.jsonl);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.source, e->source);
	ck_assert_mem_eq(s.sha256, s.roots[0].sha256, 32);
	al_hex_encode(s.sha256, 32, hex);
	ck_assert_str_eq(hex, e->trusted_root_sha256);
	ck_assert_uint_ge(s.roots[0].ntlogs, 2);
	ck_assert_uint_ge(s.roots[0].ncas, 1);
	ck_assert_ptr_nonnull(al_trust_tlog_by_id(&s.roots[0], al_buf_bytes(&s.roots[0].tlogs[0].log_id)));
	{
		bool rekor = false, log2025 = false;

		for (size_t i = 0; i < s.roots[0].ntlogs; i++) {
			rekor |= strcmp((const char *)s.roots[0].tlogs[i].host.p, "rekor.sigstore.dev") == 0;
			log2025 |= strcmp((const char *)s.roots[0].tlogs[i].host.p, "log2025-1.rekor.sigstore.dev") == 0;
		}
		ck_assert(rekor && log2025);
	}
	ck_assert_int_gt(al_trust_root_newest(&s.roots[0]), 0);
	al_trust_set_free(&s);
}
END_TEST

/* base_root on one line (its newlines are all between tokens) */
static char *
one_line(const char *json)
{
	char *s = strdup(json);

	ck_assert_ptr_nonnull(s);
	for (char *p = s; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return s;
}

/* JSON Lines as `gh attestation trusted-root` writes them: several roots,
 * each its own SHA-256; blank lines are skipped. */
START_TEST(jsonl_two_roots)
{
	char *line = one_line(base_root), *data;
	al_trust_set s;
	uint8_t h[32];

	ck_assert_int_gt(asprintf(&data, "%s\n\n%s\n", line, line), 0);
	al_err_clear(&err);
	ck_assert_ok(al_trust_set_parse(al_bytes_str(data), &s, &err), &err);
	ck_assert(s.jsonl);
	ck_assert_uint_eq(s.n, 2);
	al_sha256(al_bytes_str(line), h);
	ck_assert_mem_eq(s.roots[0].sha256, h, 32);
	ck_assert_mem_eq(s.roots[1].sha256, h, 32);
	al_sha256(al_bytes_str(data), h);
	ck_assert_mem_eq(s.sha256, h, 32);
	ck_assert_uint_eq(s.roots[1].ntlogs, s.roots[0].ntlogs);
	al_trust_set_free(&s);
	free(data);
	/* one root on one line is just a root */
	ck_assert_ok(al_trust_set_parse(al_bytes_str(line), &s, &err), &err);
	ck_assert(!s.jsonl);
	ck_assert_uint_eq(s.n, 1);
	al_trust_set_free(&s);
	/* a pretty-printed root stays one document */
	ck_assert_ok(al_trust_set_parse(al_bytes_str(base_root), &s, &err), &err);
	ck_assert(!s.jsonl);
	al_trust_set_free(&s);
	free(line);
}
END_TEST

/* The rejecting twins: a bad line is named by its number; too many roots;
 * a single malformed document keeps its own message. */
START_TEST(jsonl_malformed_line)
{
	char *line = one_line(base_root), *data;
	al_trust_set s;

	ck_assert_int_gt(asprintf(&data, "%s\n\n{\"mediaType\": 1}\n", line), 0);
	al_err_clear(&err);
	ck_assert_rc(al_trust_set_parse(al_bytes_str(data), &s, &err), AL_E_TRUST_INVALID, &err);
	ck_assert_msg(strncmp(err.msg, "line 3: ", 8) == 0, "%s", err.msg);
	ck_assert_uint_eq(s.n, 0);
	free(data);
	ck_assert_int_gt(asprintf(&data, "%s\n{broken\n", line), 0);
	ck_assert_rc(al_trust_set_parse(al_bytes_str(data), &s, &err), AL_E_TRUST_INVALID, &err);
	ck_assert_msg(strncmp(err.msg, "line 2: ", 8) == 0, "%s", err.msg);
	free(data);
	{
		al_buf b = { 0 };

		for (int i = 0; i <= AL_MAX_TRUSTED_ROOTS; i++) {
			ck_assert_ok(al_buf_append(&b, line, strlen(line), &err), &err);
			ck_assert_ok(al_buf_append(&b, "\n", 1, &err), &err);
		}
		ck_assert_rc(al_trust_set_parse(al_buf_bytes(&b), &s, &err), AL_E_TRUST_INVALID, &err);
		ck_assert_msg(strstr(err.msg, "more than") != NULL, "%s", err.msg);
		al_buf_free(&b);
	}
	/* not JSON Lines: the first line is not a document */
	ck_assert_rc(al_trust_set_parse(al_bytes_str("{\n \"mediaType\": \n"), &s, &err), AL_E_TRUST_INVALID, &err);
	ck_assert_msg(strncmp(err.msg, "trusted root: ", 14) == 0, "%s", err.msg);
	ck_assert_rc(al_trust_set_parse(al_bytes_str("\n\n"), &s, &err), AL_E_TRUST_INVALID, &err);
	free(line);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("trust");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rfc3339_valid);
	tcase_add_test(tc, rfc3339_invalid);
	tcase_add_test(tc, rfc3339_format_roundtrip);
	tcase_add_test(tc, validity_closed_intervals);
	tcase_add_test(tc, root_synthetic_model);
	tcase_add_test(tc, root_synthetic_accepted_variants);
	tcase_add_test(tc, root_synthetic_rejected_twins);
	tcase_add_test(tc, root_limits);
	tcase_add_test(tc, root_load_file);
	tcase_add_test(tc, pem_key_file);
	tcase_add_test(tc, fuzz_seeds);
	tcase_add_test(tc, embedded_root);
	tcase_add_test(tc, jsonl_two_roots);
	tcase_add_test(tc, jsonl_malformed_line);
	tcase_add_test(tc, shared_all_trusted_roots);
	tcase_add_test(tc, shared_other_roots);
	tcase_add_test(tc, shared_production_root);
	tcase_add_test(tc, shared_missing_start_twin);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
