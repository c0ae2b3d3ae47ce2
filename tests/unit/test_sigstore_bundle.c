/*
 * test_sigstore_bundle.c — Sigstore bundle and DSSE envelope parsing.
 *
 * A synthetic bundle exercises every structural rule with an accepted
 * variant and a rejected twin; then every bundle of the external test vectors (AL_SHARED) is parsed:
 * the conformance *_fail cases that are structural must be rejected (with
 * the reason), all other bundles must parse.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "util/testutil.h"
#include "sigstore/sigstore.h"

static al_err err;

#define BF_ AL_E_BUNDLE_FORMAT

/* ---------------------------------------------------------------- helpers */

/* base64 of a string, in a static buffer (one at a time) */
static const char *
b64(const char *s)
{
	static al_buf out;

	out.n = 0;
	ck_assert_ok(al_b64_encode(al_bytes_str(s), &out, &err), &err);
	return (const char *)out.p;
}

static al_rc
parse_str(const char *json, al_sigstore_bundle *b)
{
	al_err_clear(&err);
	return al_sigstore_bundle_parse(al_bytes_str(json), b, &err);
}

#define H11 "ERERERERERERERERERERERERERERERERERERERERERE="
#define H22 "IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI="
#define H33 "MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM="
#define H44 "REREREREREREREREREREREREREREREREREREREREREQ="
#define LOGID "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="
#define CHECKPOINT "rekor.sigstore.dev - 2605736670972794746\\n23083062\\n" H44 "\\n\\n\\u2014 rekor.sigstore.dev wNI9ajBFAiBT\\n"
#define BODY "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{}}"

/* v0.2, messageSignature, a chain of two stand-in certificates (the parser
 * checks only that each is one DER SEQUENCE), one tlog entry with promise
 * and proof, one timestamp. @BODY@ is replaced by base64(BODY). */
static const char *base_tmpl =
	"{\n"
	" \"mediaType\": \"application/vnd.dev.sigstore.bundle+json;version=0.2\",\n"
	" \"verificationMaterial\": {\n"
	"  \"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]},\n"
	"  \"tlogEntries\": [{\n"
	"   \"logIndex\": \"27246492\",\n"
	"   \"logId\": {\"keyId\": \"" LOGID "\"},\n"
	"   \"kindVersion\": {\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"},\n"
	"   \"integratedTime\": \"1689177396\",\n"
	"   \"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"},\n"
	"   \"inclusionProof\": {\"logIndex\": \"23083061\", \"rootHash\": \"" H44 "\", \"treeSize\": \"23083062\",\n"
	"     \"hashes\": [\"" H11 "\", \"" H22 "\"],\n"
	"     \"checkpoint\": {\"envelope\": \"" CHECKPOINT "\"}},\n"
	"   \"canonicalizedBody\": \"@BODY@\"\n"
	"  }],\n"
	"  \"timestampVerificationData\": {\"rfc3161Timestamps\": [{\"signedTimestamp\": \"MAMCAQA=\"}]}\n"
	" },\n"
	" \"messageSignature\": {\"messageDigest\": {\"algorithm\": \"SHA2_256\", \"digest\": \"" H33 "\"},\n"
	"   \"signature\": \"MEUCIQ==\"}\n"
	"}\n";

static const char *dsse_content =
	"\"dsseEnvelope\": {\"payload\": \"aGVsbG8=\", \"payloadType\": \"application/vnd.in-toto+json\",\n"
	"   \"signatures\": [{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}]}";
static const char *msg_content =
	"\"messageSignature\": {\"messageDigest\": {\"algorithm\": \"SHA2_256\", \"digest\": \"" H33 "\"},\n"
	"   \"signature\": \"MEUCIQ==\"}";

static char *
base_bundle(void)
{
	return al_test_mutate(base_tmpl, "@BODY@", b64(BODY));
}

/* ---------------------------------------------------------------- the model */

START_TEST(bundle_model)
{
	char *j = base_bundle();
	al_sigstore_bundle b;
	const al_sigstore_tlog_entry *e;
	al_buf h;

	ck_assert_ok(parse_str(j, &b), &err);
	ck_assert_int_eq(b.version, 2);
	ck_assert_str_eq((const char *)b.media_type.p, "application/vnd.dev.sigstore.bundle+json;version=0.2");
	ck_assert(!b.is_dsse);
	ck_assert_int_eq(b.digest_alg, AL_HASH_SHA256);
	ck_assert_uint_eq(b.digest.n, 32);
	ck_assert_uint_eq(b.digest.p[0], 0x33);
	ck_assert_uint_eq(b.signature.n, 4);
	ck_assert(al_bytes_eq(al_sigstore_bundle_signature(&b), al_buf_bytes(&b.signature)));
	ck_assert_int_eq(b.vm, AL_SIGSTORE_VM_CHAIN);
	ck_assert_uint_eq(b.ncerts, 2);
	ck_assert_uint_eq(b.certs[0].n, 5);
	ck_assert_uint_eq(b.ntlog, 1);
	e = &b.tlog[0];
	ck_assert_int_eq(e->log_index, 27246492);
	h = al_test_hex("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
	ck_assert(al_bytes_eq(al_buf_bytes(&e->log_id), al_buf_bytes(&h)));
	al_buf_free(&h);
	ck_assert_str_eq((const char *)e->kind.p, "hashedrekord");
	ck_assert_str_eq((const char *)e->version.p, "0.0.1");
	ck_assert_int_eq(e->integrated_time, 1689177396);
	ck_assert(al_bytes_eq_str(al_buf_bytes(&e->body), BODY));
	ck_assert(e->has_promise && e->set.n == 4);
	ck_assert(e->has_proof);
	ck_assert_int_eq(e->proof.log_index, 23083061);
	ck_assert_int_eq(e->proof.tree_size, 23083062);
	ck_assert_uint_eq(e->proof.root_hash[0], 0x44);
	ck_assert_uint_eq(e->proof.nhashes, 2);
	ck_assert_uint_eq(e->proof.hashes[0][31], 0x11);
	ck_assert_uint_eq(e->proof.hashes[1][0], 0x22);
	ck_assert_str_eq((const char *)e->proof.checkpoint.p,
			 "rekor.sigstore.dev - 2605736670972794746\n23083062\n" H44 "\n\n"
			 "\xe2\x80\x94 rekor.sigstore.dev wNI9ajBFAiBT\n");
	ck_assert_uint_eq(b.nts, 1);
	ck_assert_uint_eq(b.ts[0].n, 5);
	al_sigstore_bundle_free(&b);
	al_sigstore_bundle_free(&b);
	al_sigstore_bundle_free(NULL);
	free(j);
}
END_TEST

START_TEST(bundle_model_dsse_and_key)
{
	char *j0 = base_bundle();
	char *j1 = al_test_mutate(j0, msg_content, dsse_content);
	char *j2 = al_test_mutate(j1, "\"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}",
			  "\"publicKey\": {\"hint\": \"SHA256:abc\"}");
	al_sigstore_bundle b;

	ck_assert_ok(parse_str(j2, &b), &err);
	ck_assert(b.is_dsse);
	ck_assert_int_eq(b.digest_alg, AL_HASH_NONE);
	ck_assert_str_eq((const char *)b.dsse.payload_type.p, "application/vnd.in-toto+json");
	ck_assert(al_bytes_eq_str(al_buf_bytes(&b.dsse.payload), "hello"));
	ck_assert_uint_eq(b.dsse.nsigs, 1);
	ck_assert_str_eq((const char *)b.dsse.sigs[0].keyid.p, "");
	ck_assert(al_bytes_eq(al_sigstore_bundle_signature(&b), al_buf_bytes(&b.dsse.sigs[0].sig)));
	ck_assert_int_eq(b.vm, AL_SIGSTORE_VM_PUBLIC_KEY);
	ck_assert_uint_eq(b.ncerts, 0);
	ck_assert_str_eq((const char *)b.key_hint.p, "SHA256:abc");
	al_sigstore_bundle_free(&b);
	free(j0);
	free(j1);
	free(j2);
}
END_TEST

/* ---------------------------------------------------------------- accepted variants */

static const struct variant {
	const char *from, *to;
} accepted[] = {
	/* every accepted media type spelling (v0.2 needs proofs, which the base has;
	 * v0.1 needs promises, which it has too) */
	{ "bundle+json;version=0.2", "bundle+json;version=0.1" },
	{ "bundle+json;version=0.2", "bundle.v0.1+json" },
	{ "bundle+json;version=0.2", "bundle.v0.2+json" },
	/* int64 as numbers; an absent int64 is 0 */
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": 27246492" },
	{ "\"logIndex\": \"27246492\",\n", "" },
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": \"0\"" },
	{ "\"integratedTime\": \"1689177396\",\n", "" },
	{ "\"logIndex\": \"23083061\", ", "" },
	/* null is absent */
	{ "\"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"}", "\"inclusionPromise\": null" },
	{ "{\"rfc3161Timestamps\": [{\"signedTimestamp\": \"MAMCAQA=\"}]}", "null" },
	{ "{\"rfc3161Timestamps\": [{\"signedTimestamp\": \"MAMCAQA=\"}]}", "{}" },
	{ "{\"rfc3161Timestamps\": [{\"signedTimestamp\": \"MAMCAQA=\"}]}", "{\"rfc3161Timestamps\": []}" },
	/* a proof for a tree of one leaf has no hashes */
	{ "\"hashes\": [\"" H11 "\", \"" H22 "\"],", "\"hashes\": []," },
	/* enum by number; messageDigest absent */
	{ "\"algorithm\": \"SHA2_256\"", "\"algorithm\": 1" },
	{ "\"messageDigest\": {\"algorithm\": \"SHA2_256\", \"digest\": \"" H33 "\"},", "" },
	/* the leaf alone, and a key hint (or none) */
	{ "\"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}",
	  "\"certificate\": {\"rawBytes\": \"MAMCAQE=\"}" },
	{ "\"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}",
	  "\"publicKey\": {}" },
	/* URL-safe base64 (protobuf JSON readers accept it) */
	{ "\"signature\": \"MEUCIQ==\"", "\"signature\": \"-_8=\"" },
};

START_TEST(bundle_accepted_variants)
{
	char *base = base_bundle();

	for (size_t i = 0; i < AL_ARRAY_LEN(accepted); i++) {
		char *j = al_test_mutate(base, accepted[i].from, accepted[i].to);
		al_sigstore_bundle b;

		ck_assert_msg(parse_str(j, &b) == AL_OK, "variant %zu rejected: %s", i, err.msg);
		if (i == 4)
			ck_assert_int_eq(b.tlog[0].log_index, 0);
		if (i == 6)
			ck_assert_int_eq(b.tlog[0].integrated_time, 0);
		if (i == 12)
			ck_assert_uint_eq(b.tlog[0].proof.nhashes, 0);
		if (i == 14)
			ck_assert_int_eq(b.digest_alg, AL_HASH_NONE);
		if (i == 15)
			ck_assert(b.vm == AL_SIGSTORE_VM_CERTIFICATE && b.ncerts == 1);
		if (i == 16)
			ck_assert(b.vm == AL_SIGSTORE_VM_PUBLIC_KEY && b.key_hint.n == 0);
		if (i == 17)
			ck_assert(b.signature.n == 2 && b.signature.p[0] == 0xFB && b.signature.p[1] == 0xFF);
		al_sigstore_bundle_free(&b);
		free(j);
	}
	free(base);
}
END_TEST

/* v0.3: the chain is forbidden, the leaf alone is fine; v0.1: promise
 * needed, proof optional. */
START_TEST(bundle_version_rules)
{
	static const char *chain = "\"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}";
	static const char *cert = "\"certificate\": {\"rawBytes\": \"MAMCAQE=\"}";
	static const char *promise = "\"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"},\n";
	char *base = base_bundle();
	char *v3[2], *v3c[2], *v1, *v1np, *v1nproof, *v2np;
	al_sigstore_bundle b;

	v3[0] = al_test_mutate(base, "bundle+json;version=0.2", "bundle+json;version=0.3");
	v3[1] = al_test_mutate(base, "bundle+json;version=0.2", "bundle.v0.3+json");
	for (int i = 0; i < 2; i++) {
		ck_assert_rc(parse_str(v3[i], &b), AL_E_BUNDLE_FORMAT, &err);
		ck_assert_str_eq(err.msg, "verificationMaterial.x509CertificateChain: not allowed in a "
				 "v0.3 bundle (v0.3 carries the leaf alone in \"certificate\")");
		v3c[i] = al_test_mutate(v3[i], chain, cert);
		ck_assert_ok(parse_str(v3c[i], &b), &err);
		ck_assert_int_eq(b.version, 3);
		al_sigstore_bundle_free(&b);
	}
	/* v0.1 without a promise: rejected; with a promise and no proof: fine */
	v1 = al_test_mutate(base, "bundle+json;version=0.2", "bundle+json;version=0.1");
	v1np = al_test_mutate(v1, promise, "");
	ck_assert_rc(parse_str(v1np, &b), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_str_eq(err.msg, "verificationMaterial.tlogEntries[0].inclusionPromise: missing "
			 "(required in a v0.1 bundle)");
	{
		char *s = strstr(v1, "   \"inclusionProof\""), *e = strstr(v1, "   \"canonicalizedBody\"");

		v1nproof = strdup(v1);
		memmove(v1nproof + (s - v1), v1nproof + (e - v1), strlen(e) + 1);
	}
	ck_assert_ok(parse_str(v1nproof, &b), &err);
	ck_assert(!b.tlog[0].has_proof && b.tlog[0].has_promise);
	al_sigstore_bundle_free(&b);
	/* v0.1 with a proof that has no checkpoint (CPython 3.12.5's bundle):
	 * the proof is left out, the SET remains */
	{
		char *nocp = al_test_mutate(v1, ",\n     \"checkpoint\": {\"envelope\": \"" CHECKPOINT "\"}", "");

		ck_assert_ok(parse_str(nocp, &b), &err);
		ck_assert(!b.tlog[0].has_proof && b.tlog[0].has_promise && b.tlog[0].proof.nhashes == 0);
		al_sigstore_bundle_free(&b);
		free(nocp);
	}
	/* twin: v0.2 without the proof */
	v2np = al_test_mutate(v1nproof, "bundle+json;version=0.1", "bundle+json;version=0.2");
	ck_assert_rc(parse_str(v2np, &b), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_str_eq(err.msg, "verificationMaterial.tlogEntries[0].inclusionProof: missing "
			 "(required from bundle v0.2 on)");
	/* no tlog entries at all (a TSA-only bundle; verify/ decides if that is enough) */
	{
		char *nt = strdup(base), *s0 = strstr(nt, "\"tlogEntries\": [{"), *e0 = strstr(nt, "  }],\n");

		memmove(s0, e0 + 6, strlen(e0 + 6) + 1);
		ck_assert_ok(parse_str(nt, &b), &err);
		ck_assert(b.ntlog == 0 && b.tlog == NULL && b.nts == 1);
		al_sigstore_bundle_free(&b);
		free(nt);
	}
	for (int i = 0; i < 2; i++) {
		free(v3[i]);
		free(v3c[i]);
	}
	free(v1);
	free(v1np);
	free(v1nproof);
	free(v2np);
	free(base);
}
END_TEST

/* ---------------------------------------------------------------- rejected twins */

static const struct twin {
	const char *from, *to, *want;
	al_rc rc;
} rejected[] = {
	/* media types */
	{ "bundle+json;version=0.2", "bundle+json;version=0.4", "mediaType: \"application/vnd.dev.sigstore.bundle+json;version=0.4\" is not", BF_ },
	{ "bundle+json;version=0.2", "bundle+json;version=99.9", "is not a bundle version airlock reads", BF_ },
	{ "bundle+json;version=0.2", "bundle.v0.3.1+json", "mediaType", BF_ },
	{ "bundle+json;version=0.2", "bundle.v0.4+json", "mediaType", BF_ },
	{ "bundle+json;version=0.2", "bundle+json;version=0.0", "mediaType", BF_ },
	{ "application/vnd.dev.sigstore.bundle+json;version=0.2", "this is completely wrong", "mediaType", BF_ },
	{ " \"mediaType\": \"application/vnd.dev.sigstore.bundle+json;version=0.2\",\n", "", "mediaType: missing", BF_ },
	/* content */
	{ " \"messageSignature\"", " \"dsseEnvelope\": {}, \"messageSignature\"", "exactly one of messageSignature and dsseEnvelope is required, found both", BF_ },
	{ " \"messageSignature\"", " \"x\"", "x: unknown field", BF_ },
	{ "\"signature\": \"MEUCIQ==\"", "\"signature\": \"INVALID!!!BASE64!!!ENCODING====\"", "messageSignature.signature: invalid base64", BF_ },
	{ "\"signature\": \"MEUCIQ==\"", "\"signature\": \"MEUCIQ\"", "messageSignature.signature: invalid base64", BF_ },
	{ "\"signature\": \"MEUCIQ==\"", "\"signature\": \"MEUCIR==\"", "messageSignature.signature: invalid base64", BF_ },
	{ "\"signature\": \"MEUCIQ==\"", "\"signature\": \"\"", "messageSignature.signature: empty", BF_ },
	{ ",\n   \"signature\": \"MEUCIQ==\"", "", "messageSignature.signature: missing", BF_ },
	{ "\"algorithm\": \"SHA2_256\"", "\"algorithm\": \"SHA3_256\"", "messageSignature.messageDigest.algorithm: unsupported \"SHA3_256\"", BF_ },
	{ "\"algorithm\": \"SHA2_256\"", "\"algorithm\": 4", "messageSignature.messageDigest.algorithm: unsupported value 4", BF_ },
	{ "\"algorithm\": \"SHA2_256\", ", "", "messageSignature.messageDigest.algorithm: missing", BF_ },
	{ "\"algorithm\": \"SHA2_256\"", "\"algorithm\": \"SHA2_384\"", "messageSignature.messageDigest.digest: 32 bytes, expected 48", BF_ },
	{ "\"digest\": \"" H33 "\"", "\"digest\": \"\"", "messageSignature.messageDigest.digest: 0 bytes, expected 32", BF_ },
	/* verification material */
	{ "\"x509CertificateChain\": {\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]},",
	  "", "verificationMaterial: exactly one of publicKey, certificate and x509CertificateChain is required, found 0", BF_ },
	{ "\"x509CertificateChain\"", "\"publicKey\": {}, \"x509CertificateChain\"", "found 2", BF_ },
	{ "\"x509CertificateChain\"", "\"certificate\": {\"rawBytes\": \"MAA=\"}, \"x509CertificateChain\"", "found 2", BF_ },
	{ "{\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}", "{\"certificates\": []}",
	  "verificationMaterial.x509CertificateChain.certificates: empty certificate chain", BF_ },
	{ "{\"certificates\": [{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]}", "{}", "empty certificate chain", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[{\"rawBytes\": \"MAMCAQE=\"}, {}]",
	  "verificationMaterial.x509CertificateChain.certificates[1].rawBytes: missing", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[{\"rawBytes\": \"aGVsbG8=\"}]",
	  "verificationMaterial.x509CertificateChain.certificates[0].rawBytes: not a DER structure", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[{\"rawBytes\": \"MAMCAQEA\"}]", "not a DER", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[{\"rawBytes\": \"MAMCAQ==\"}]", "not a DER", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[{\"rawBytes\": \"MAA=\", \"x\": 1}]",
	  "verificationMaterial.x509CertificateChain.certificates[0].x: unknown field", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]", "[\"MAA=\"]",
	  "verificationMaterial.x509CertificateChain.certificates[0]: not an object", BF_ },
	{ "[{\"rawBytes\": \"MAMCAQE=\"}, {\"rawBytes\": \"MAA=\"}]",
	  "[{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},"
	  "{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"},{\"rawBytes\": \"MAA=\"}]",
	  "verificationMaterial.x509CertificateChain.certificates: 9 elements, more than the limit of 8", AL_E_LIMIT },
	{ "\"verificationMaterial\": {", "\"verificationMaterial\": {\"extra\": true, ", "verificationMaterial.extra: unknown field", BF_ },
	/* tlog entries */
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": \"-1\"", "verificationMaterial.tlogEntries[0].logIndex: negative", BF_ },
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": -5", "verificationMaterial.tlogEntries[0].logIndex: negative", BF_ },
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": \"27x\"", "verificationMaterial.tlogEntries[0].logIndex: not an integer", BF_ },
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": 1.5", "not an integer", BF_ },
	{ "\"logIndex\": \"27246492\"", "\"logIndex\": \"99999999999999999999\"", "not a 64-bit integer", BF_ },
	{ "\"integratedTime\": \"1689177396\"", "\"integratedTime\": \"-1689177396\"", "verificationMaterial.tlogEntries[0].integratedTime: negative", BF_ },
	{ "\"logId\": {\"keyId\": \"" LOGID "\"},\n", "", "verificationMaterial.tlogEntries[0].logId: missing", BF_ },
	{ "{\"keyId\": \"" LOGID "\"}", "{\"keyId\": \"\"}", "verificationMaterial.tlogEntries[0].logId.keyId: empty", BF_ },
	{ "{\"keyId\": \"" LOGID "\"}", "{}", "verificationMaterial.tlogEntries[0].logId.keyId: missing", BF_ },
	{ "\"kindVersion\": {\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"},\n", "", "verificationMaterial.tlogEntries[0].kindVersion: missing", BF_ },
	{ "{\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"}", "{\"kind\": \"\", \"version\": \"0.0.1\"}", "kindVersion.kind: empty", BF_ },
	{ "{\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"}", "{\"kind\": \"hashedrekord\"}", "kindVersion.version: missing", BF_ },
	{ "{\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"}", "{\"kind\": \"dsse\", \"version\": \"0.0.1\"}",
	  "verificationMaterial.tlogEntries[0].canonicalizedBody: entry is hashedrekord/0.0.1 but kindVersion says dsse/0.0.1", BF_ },
	{ "{\"kind\": \"hashedrekord\", \"version\": \"0.0.1\"}", "{\"kind\": \"hashedrekord\", \"version\": \"0.0.2\"}",
	  "but kindVersion says hashedrekord/0.0.2", BF_ },
	{ "\"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"}", "\"inclusionPromise\": {}",
	  "verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp: missing", BF_ },
	{ "\"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"}", "\"inclusionPromise\": {\"signedEntryTimestamp\": \"\"}",
	  "signedEntryTimestamp: empty", BF_ },
	{ "\"inclusionPromise\": {\"signedEntryTimestamp\": \"MEUCIQ==\"}", "\"inclusionPromise\": \"MEUCIQ==\"",
	  "verificationMaterial.tlogEntries[0].inclusionPromise: not an object", BF_ },
	{ "\"canonicalizedBody\": ", "\"x\": 1, \"canonicalizedBody\": ", "verificationMaterial.tlogEntries[0].x: unknown field", BF_ },
	/* inclusion proofs */
	{ ",\n     \"checkpoint\": {\"envelope\": \"" CHECKPOINT "\"}", "",
	  "verificationMaterial.tlogEntries[0].inclusionProof.checkpoint: missing or empty (an inclusion proof needs a checkpoint)", BF_ },
	{ "{\"envelope\": \"" CHECKPOINT "\"}", "{\"envelope\": \"\"}",
	  "verificationMaterial.tlogEntries[0].inclusionProof.checkpoint: missing or empty", BF_ },
	{ "{\"envelope\": \"" CHECKPOINT "\"}", "{}", "inclusionProof.checkpoint: missing or empty", BF_ },
	{ "\"rootHash\": \"" H44 "\"", "\"rootHash\": \"EREREREREREREREREREREREREREREREREREREREREQ==\"",
	  "verificationMaterial.tlogEntries[0].inclusionProof.rootHash: 31 bytes, expected 32", BF_ },
	{ "\"rootHash\": \"" H44 "\", ", "", "inclusionProof.rootHash: missing", BF_ },
	{ "[\"" H11 "\", \"" H22 "\"]", "[\"" H11 "\", \"ERERERERERERERERERERERERERERERERERERERERERER\"]",
	  "verificationMaterial.tlogEntries[0].inclusionProof.hashes[1]: 33 bytes, expected 32", BF_ },
	{ "[\"" H11 "\", \"" H22 "\"]", "[\"" H11 "\", 7]", "inclusionProof.hashes[1]: not a string", BF_ },
	{ "[\"" H11 "\", \"" H22 "\"]", "[\"" H11 "\", \"!\"]", "inclusionProof.hashes[1]: invalid base64", BF_ },
	{ "\"treeSize\": \"23083062\"", "\"treeSize\": \"23083061\"",
	  "verificationMaterial.tlogEntries[0].inclusionProof: logIndex 23083061 is not inside a tree of size 23083061", BF_ },
	{ "\"treeSize\": \"23083062\"", "\"treeSize\": \"-1\"", "inclusionProof.treeSize: negative", BF_ },
	{ "\"logIndex\": \"23083061\"", "\"logIndex\": \"-23083061\"", "inclusionProof.logIndex: negative", BF_ },
	{ "\"treeSize\": \"23083062\",", "", "logIndex 23083061 is not inside a tree of size 0", BF_ },
	{ "{\"envelope\": \"", "{\"x\": 1, \"envelope\": \"", "inclusionProof.checkpoint.x: unknown field", BF_ },
	/* bodies */
	{ "\"canonicalizedBody\": \"@BODY@\"", "\"canonicalizedBody\": \"\"", "verificationMaterial.tlogEntries[0].canonicalizedBody: empty", BF_ },
	{ ",\n   \"canonicalizedBody\": \"@BODY@\"", "", "verificationMaterial.tlogEntries[0].canonicalizedBody: missing", BF_ },
	{ "\"canonicalizedBody\": \"@BODY@\"", "\"canonicalizedBody\": \"aGVsbG8=\"", "verificationMaterial.tlogEntries[0].canonicalizedBody: not a Rekor entry", BF_ },
	{ "\"canonicalizedBody\": \"@BODY@\"", "\"canonicalizedBody\": \"eyJraW5kIjoiaGFzaGVkcmVrb3JkIn0=\"", "canonicalizedBody: not a Rekor entry", BF_ },
	/* timestamps */
	{ "[{\"signedTimestamp\": \"MAMCAQA=\"}]", "[{\"signedTimestamp\": \"MAMCAQA=\"}, {\"signedTimestamp\": \"MAMCAQA=\"}]",
	  "verificationMaterial.timestampVerificationData.rfc3161Timestamps[1]: duplicate of rfc3161Timestamps[0]", BF_ },
	{ "[{\"signedTimestamp\": \"MAMCAQA=\"}]", "[{\"signedTimestamp\": \"aGVsbG8=\"}]",
	  "verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp: not a DER structure", BF_ },
	{ "[{\"signedTimestamp\": \"MAMCAQA=\"}]", "[{}]", "rfc3161Timestamps[0].signedTimestamp: missing", BF_ },
	{ "[{\"signedTimestamp\": \"MAMCAQA=\"}]", "[{\"signedTimestamp\": \"MAMCAQA=\", \"x\": 1}]", "rfc3161Timestamps[0].x: unknown field", BF_ },
	{ "{\"rfc3161Timestamps\": [", "{\"x\": 1, \"rfc3161Timestamps\": [", "timestampVerificationData.x: unknown field", BF_ },
	/* the document */
	{ "\n}\n", "\n", "JSON: syntax error", BF_ },
	{ "\n}\n", "\n}\n{}", "JSON: unexpected data", BF_ },
	{ "\"mediaType\"", "\"mediaType\": 1, \"mediaType\"", "JSON: duplicate key", BF_ },
};

START_TEST(bundle_rejected_twins)
{
	char *base = base_bundle();

	for (size_t i = 0; i < AL_ARRAY_LEN(rejected); i++) {
		char *j0 = al_test_mutate(base_tmpl, rejected[i].from, rejected[i].to);
		char *j = strstr(j0, "@BODY@") ? al_test_mutate(j0, "@BODY@", b64(BODY)) : strdup(j0);
		al_sigstore_bundle b;
		al_rc rc = parse_str(j, &b);

		ck_assert_msg(rc == rejected[i].rc, "twin %zu: got %s: %s", i, al_rc_name(rc), err.msg);
		ck_assert_int_eq(al_rc_exit(rc), 1);
		ck_assert_msg(strstr(err.msg, rejected[i].want) != NULL, "twin %zu: \"%s\" lacks \"%s\"",
			      i, err.msg, rejected[i].want);
		ck_assert(b.tlog == NULL && b.ntlog == 0 && b.media_type.p == NULL); /* left empty */
		al_sigstore_bundle_free(&b);
		free(j0);
		free(j);
	}
	free(base);
}
END_TEST

/* Entries: no two with the same log and index; at most AL_MAX_TLOG_ENTRIES;
 * at most AL_MAX_TIMESTAMPS timestamps. */
START_TEST(bundle_entry_counts)
{
	char *base = base_bundle();
	const char *s = strstr(base, "{\n   \"logIndex\""), *e = strstr(base, "\n  }],\n");
	size_t elen = (size_t)(e + 4 - s);
	al_buf j = { 0 };
	al_sigstore_bundle b;

	/* two entries, same log, same index: rejected; different index: fine */
	for (int twin = 0; twin < 2; twin++) {
		char *entry2 = strndup(s, elen);
		char *entry2b = twin ? al_test_mutate(entry2, "\"logIndex\": \"27246492\"", "\"logIndex\": \"27246493\"")
				     : strdup(entry2);

		j.n = 0;
		ck_assert_ok(al_buf_append(&j, base, (size_t)(e + 4 - base), &err), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, ", %s", entry2b), &err);
		ck_assert_ok(al_buf_appendf(&j, &err, "%s", e + 4), &err);
		if (twin == 0) {
			ck_assert_rc(parse_str((const char *)j.p, &b), AL_E_BUNDLE_FORMAT, &err);
			ck_assert_str_eq(err.msg, "verificationMaterial.tlogEntries[1]: same log and "
					 "logIndex as tlogEntries[0]");
		} else {
			ck_assert_ok(parse_str((const char *)j.p, &b), &err);
			ck_assert_uint_eq(b.ntlog, 2);
			al_sigstore_bundle_free(&b);
		}
		free(entry2);
		free(entry2b);
	}
	/* AL_MAX_TLOG_ENTRIES entries (distinct indexes), then one more */
	for (int n = AL_MAX_TLOG_ENTRIES; n <= AL_MAX_TLOG_ENTRIES + 1; n++) {
		j.n = 0;
		ck_assert_ok(al_buf_append(&j, base, (size_t)(s - base), &err), &err);
		for (int i = 0; i < n; i++) {
			char idx[64], *ent, *one = strndup(s, elen);

			snprintf(idx, sizeof(idx), "\"logIndex\": \"%d\"", 1000 + i);
			ent = al_test_mutate(one, "\"logIndex\": \"27246492\"", idx);
			ck_assert_ok(al_buf_appendf(&j, &err, "%s%s", i ? ", " : "", ent), &err);
			free(ent);
			free(one);
		}
		ck_assert_ok(al_buf_appendf(&j, &err, "%s", e + 4), &err);
		al_err_clear(&err);
		if (n == AL_MAX_TLOG_ENTRIES) {
			ck_assert_ok(parse_str((const char *)j.p, &b), &err);
			ck_assert_uint_eq(b.ntlog, (size_t)n);
			al_sigstore_bundle_free(&b);
		} else {
			ck_assert_rc(parse_str((const char *)j.p, &b), AL_E_LIMIT, &err);
			ck_assert(strstr(err.msg, "verificationMaterial.tlogEntries: 33 elements, more than "
					 "the limit of 32") != NULL);
		}
	}
	/* timestamps: 32 distinct, then 33 (sigstore-python many_timestamp) */
	for (int n = AL_MAX_TIMESTAMPS; n <= AL_MAX_TIMESTAMPS + 1; n++) {
		char *ts;

		j.n = 0;
		for (int i = 0; i < n; i++) {
			uint8_t der[3] = { 0x30, 0x01, (uint8_t)i };
			al_buf enc = { 0 };

			ck_assert_ok(al_b64_encode(al_bytes_of(der, 3), &enc, &err), &err);
			ck_assert_ok(al_buf_appendf(&j, &err, "%s{\"signedTimestamp\": \"%s\"}", i ? "," : "",
						    (const char *)enc.p), &err);
			al_buf_free(&enc);
		}
		ck_assert_ok(al_buf_append(&j, "", 1, &err), &err);
		ts = al_test_mutate(base, "{\"signedTimestamp\": \"MAMCAQA=\"}", (const char *)j.p);
		if (n == AL_MAX_TIMESTAMPS) {
			ck_assert_ok(parse_str(ts, &b), &err);
			ck_assert_uint_eq(b.nts, (size_t)n);
			al_sigstore_bundle_free(&b);
		} else {
			ck_assert_rc(parse_str(ts, &b), AL_E_LIMIT, &err);
		}
		free(ts);
	}
	/* proof hashes: AL_MAX_PROOF_HASHES, then one more */
	for (int n = AL_MAX_PROOF_HASHES; n <= AL_MAX_PROOF_HASHES + 1; n++) {
		char *pj;

		j.n = 0;
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s\"%s\"", i ? "," : "", H11), &err);
		pj = al_test_mutate(base, "\"" H11 "\", \"" H22 "\"", (const char *)j.p);
		ck_assert_rc(parse_str(pj, &b), n == AL_MAX_PROOF_HASHES ? AL_OK : AL_E_LIMIT, &err);
		al_sigstore_bundle_free(&b);
		free(pj);
	}
	al_buf_free(&j);
	free(base);
}
END_TEST

/* ---------------------------------------------------------------- DSSE */

START_TEST(dsse_in_bundle_and_standalone)
{
	static const struct twin d[] = {
		{ "\"payload\": \"aGVsbG8=\", ", "", "dsseEnvelope.payload: missing", BF_ },
		{ "\"payload\": \"aGVsbG8=\"", "\"payload\": \"\"", "dsseEnvelope.payload: empty", BF_ },
		{ "\"payload\": \"aGVsbG8=\"", "\"payload\": \"aGVsbG8\"", "dsseEnvelope.payload: invalid base64", BF_ },
		{ "\"payloadType\": \"application/vnd.in-toto+json\"", "\"payloadType\": \"\"", "dsseEnvelope.payloadType: empty", BF_ },
		{ "\"payloadType\": \"application/vnd.in-toto+json\",", "", "dsseEnvelope.payloadType: missing", BF_ },
		{ "[{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}]", "[]", "dsseEnvelope.signatures: no signatures", BF_ },
		{ "[{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}]", "[{\"keyid\": \"\"}]", "dsseEnvelope.signatures[0].sig: missing", BF_ },
		{ "[{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}]", "[{\"sig\": \"MEUCIQ==\"}, {\"sig\": \"@@\"}]",
		  "dsseEnvelope.signatures[1].sig: invalid base64", BF_ },
		{ "[{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}]", "[{\"sig\": \"MEUCIQ==\", \"keyid\": 5}]",
		  "dsseEnvelope.signatures[0].keyid: not a string", BF_ },
		{ "\"keyid\": \"\"", "\"keyid\": \"\", \"extension\": {}", "dsseEnvelope.signatures[0].extension: unknown field", BF_ },
		{ "{\"payload\"", "{\"x\": 1, \"payload\"", "dsseEnvelope.x: unknown field", BF_ },
	};
	char *base = base_bundle(), *dj = al_test_mutate(base, msg_content, dsse_content);
	al_sigstore_bundle b;
	al_dsse_envelope env;
	al_buf j = { 0 };

	for (size_t i = 0; i < AL_ARRAY_LEN(d); i++) {
		char *t = al_test_mutate(dj, d[i].from, d[i].to);
		al_rc rc = parse_str(t, &b);

		ck_assert_msg(rc == d[i].rc && strstr(err.msg, d[i].want), "dsse twin %zu: %s", i, err.msg);
		free(t);
	}
	/* two signatures parse (exactly one is verify/'s rule); AL_MAX_DSSE_SIGS + 1 do not */
	for (int n = 2; n <= AL_MAX_DSSE_SIGS + 1; n += AL_MAX_DSSE_SIGS - 1) {
		char *t;

		j.n = 0;
		for (int i = 0; i < n; i++)
			ck_assert_ok(al_buf_appendf(&j, &err, "%s{\"sig\": \"MEUCIQ==\"}", i ? "," : ""), &err);
		t = al_test_mutate(dj, "{\"sig\": \"MEUCIQ==\", \"keyid\": \"\"}", (const char *)j.p);
		if (n == 2) {
			ck_assert_ok(parse_str(t, &b), &err);
			ck_assert_uint_eq(b.dsse.nsigs, 2);
			al_sigstore_bundle_free(&b);
		} else {
			ck_assert_rc(parse_str(t, &b), AL_E_LIMIT, &err);
		}
		free(t);
	}
	/* standalone (cosign attestation layer): extensions ignored, same rules otherwise */
	al_err_clear(&err);
	ck_assert_ok(al_dsse_envelope_parse(al_bytes_str("{\"payloadType\": \"text/plain\", \"payload\": "
				"\"aGVsbG8=\", \"signatures\": [{\"keyid\": \"k1\", \"sig\": \"MEUCIQ==\", "
				"\"extension\": {}}], \"x\": 1}"), &env, &err), &err);
	ck_assert_str_eq((const char *)env.payload_type.p, "text/plain");
	ck_assert_str_eq((const char *)env.sigs[0].keyid.p, "k1");
	ck_assert(al_bytes_eq_str(al_buf_bytes(&env.payload), "hello"));
	al_dsse_envelope_free(&env);
	ck_assert_rc(al_dsse_envelope_parse(al_bytes_str("{\"payloadType\": \"text/plain\", \"payload\": "
				"\"aGVsbG8=\", \"signatures\": []}"), &env, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_str_eq(err.msg, "signatures: no signatures");
	ck_assert_rc(al_dsse_envelope_parse(al_bytes_str("[1]"), &env, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert_rc(al_dsse_envelope_parse(al_bytes_str("{"), &env, &err), AL_E_BUNDLE_FORMAT, &err);
	ck_assert(env.nsigs == 0 && env.payload.p == NULL);
	al_dsse_envelope_free(&env);
	al_dsse_envelope_free(NULL);
	al_buf_free(&j);
	free(base);
	free(dj);
}
END_TEST

START_TEST(media_type_versions)
{
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("application/vnd.dev.sigstore.bundle+json;version=0.1")), 1);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("application/vnd.dev.sigstore.bundle.v0.2+json")), 2);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("application/vnd.dev.sigstore.bundle.v0.3+json")), 3);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("application/vnd.dev.sigstore.bundle.v0.3+jsonx")), 0);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("application/vnd.dev.sigstore.bundle.v0.3")), 0);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_of("application/vnd.dev.sigstore.bundle.v0.3+json", 44)), 0);
	ck_assert_int_eq(al_sigstore_bundle_version(al_bytes_str("")), 0);
}
END_TEST

/* ---------------------------------------------------------------- external test vectors */

/* Parses every bundle a file holds: one JSON document, JSON lines, or an
 * npm attestations document ({"attestations":[{"bundle":{...}}]}).
 * Returns the number of bundles, -1 if the first failure is in *first. */
static int
parse_file(const char *path, al_rc *rc_out, char *msg, size_t msgcap)
{
	al_buf f = al_test_read(path);
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts((const char *)f.p, f.n, &end, 0), *atts;

	/* one document only if nothing but whitespace follows it */
	while (doc && end && end < (const char *)f.p + f.n && *end && strchr(" \t\r\n", *end))
		end++;
	if (doc && end != (const char *)f.p + f.n) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	atts = doc ? cJSON_GetObjectItemCaseSensitive(doc, "attestations") : NULL;
	int count = 0;
	al_sigstore_bundle b;
	al_rc rc = AL_OK;

	msg[0] = '\0';
	if (cJSON_IsArray(atts)) {
		cJSON *a;

		cJSON_ArrayForEach(a, atts) {
			char *s = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a, "bundle"));

			al_err_clear(&err);
			rc = al_sigstore_bundle_parse(al_bytes_str(s), &b, &err);
			free(s);
			al_sigstore_bundle_free(&b);
			count++;
			if (rc != AL_OK)
				break;
		}
	} else if (doc != NULL) {
		al_err_clear(&err);
		rc = al_sigstore_bundle_parse(al_buf_bytes(&f), &b, &err);
		al_sigstore_bundle_free(&b);
		count = 1;
	} else {
		/* JSON lines, or a malformed document (parsed whole so its error shows) */
		char *save = NULL, *copy = strndup((const char *)f.p, f.n);
		int nl = 0;

		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			nl++;
		free(copy);
		if (nl < 2) {
			al_err_clear(&err);
			rc = al_sigstore_bundle_parse(al_buf_bytes(&f), &b, &err);
			al_sigstore_bundle_free(&b);
			count = 1;
		} else {
			copy = strndup((const char *)f.p, f.n);
			for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
				al_err_clear(&err);
				rc = al_sigstore_bundle_parse(al_bytes_str(l), &b, &err);
				al_sigstore_bundle_free(&b);
				count++;
				if (rc != AL_OK)
					break;
			}
			free(copy);
		}
	}
	if (rc != AL_OK)
		snprintf(msg, msgcap, "%s", err.msg);
	*rc_out = rc;
	cJSON_Delete(doc);
	al_buf_free(&f);
	return count;
}

/* Conformance: structural *_fail cases must be rejected by the parser (for
 * the stated reason); every other case must parse. */
START_TEST(shared_conformance_cases)
{
	static const struct {
		const char *dir, *want;
	} structural[] = {
		{ "bundle-malformed-json_fail", "JSON: syntax error" },
		{ "bundle-unknown-version_fail", "mediaType: \"application/vnd.dev.sigstore.bundle+json;version=99.9\" is not a bundle version" },
		{ "bundle-invalid-base64-signature_fail", "messageSignature.signature: invalid base64" },
		{ "bundle-empty-certificate-chain_fail", "verificationMaterial.x509CertificateChain.certificates: empty certificate chain" },
		{ "bundle-negative-log-index_fail", "verificationMaterial.tlogEntries[0].logIndex: negative" },
		{ "intoto-missing-inclusion-proof_fail", "verificationMaterial.tlogEntries[0].inclusionProof: missing (required from bundle v0.2 on)" },
		{ "rekor2-no-inclusion-proof_fail", "verificationMaterial.tlogEntries[0].inclusionProof: missing (required from bundle v0.2 on)" },
		{ "invalid-inclusion-proof_fail", "verificationMaterial.tlogEntries[0].inclusionProof.checkpoint: missing" },
		/* rekor2-timestamp-with-incorrect-time_fail is not structural: its
		 * timestamp is base64 wrapped at 76 columns, which Go's protojson
		 * (and so common's JSON bytes getter) unwraps; it parses and fails
		 * at verification, its TSA time being outside the leaf's validity. */
	};
	const char *sh = al_test_shared("test_sigstore_bundle");
	char dir[2048], path[4400], msg[AL_ERR_MSG_MAX];
	DIR *d;
	struct dirent *de;
	int nparsed = 0, nrejected = 0;

	if (sh == NULL)
		return;
	snprintf(dir, sizeof(dir), "%s/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify", sh);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		const char *want = NULL;
		al_rc rc;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/bundle.sigstore.json", dir, de->d_name);
		if (access(path, R_OK) != 0)
			continue;
		for (size_t i = 0; i < AL_ARRAY_LEN(structural); i++)
			if (strcmp(de->d_name, structural[i].dir) == 0)
				want = structural[i].want;
		parse_file(path, &rc, msg, sizeof(msg));
		if (want != NULL) {
			ck_assert_msg(rc == AL_E_BUNDLE_FORMAT && strstr(msg, want) != NULL,
				      "%s: expected a structural rejection (%s), got %s: %s", de->d_name,
				      want, al_rc_name(rc), msg);
			nrejected++;
		} else {
			ck_assert_msg(rc == AL_OK, "%s: %s", de->d_name, msg);
			nparsed++;
		}
	}
	closedir(d);
	printf("conformance bundles: %d parsed, %d rejected as structurally invalid\n", nparsed, nrejected);
	ck_assert_int_ge(nparsed + nrejected, 50);
	ck_assert_int_ge(nrejected, 7);
}
END_TEST

/* The generated sets: every bundle parses. */
START_TEST(shared_generated_sets)
{
	static const char *const pats[] = {
		"generated/setB/*.sigstore.json",
		"generated/intoto/*.sigstore.json",
	};
	const char *sh = al_test_shared("test_sigstore_bundle");
	char pat[4096], msg[AL_ERR_MSG_MAX];
	int counts[2] = { 0, 0 };

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
			al_rc rc;

			parse_file(g.gl_pathv[i], &rc, msg, sizeof(msg));
			ck_assert_msg(rc == AL_OK, "%s: %s", g.gl_pathv[i], msg);
			counts[p]++;
		}
		globfree(&g);
	}
	printf("generated bundles parsed: setB %d, intoto %d\n", counts[0], counts[1]);
	ck_assert_int_ge(counts[0], 1500);
}
END_TEST

/* Client fixtures listed in vectors/INVENTORY.md, with what the parser
 * must say. Rejections are the structural ones; everything else (expired
 * certificates, bad signatures, no log entry, two DSSE signatures) is
 * verify/'s to reject. */
START_TEST(shared_client_fixtures)
{
	static const struct {
		const char *pat;
		al_rc rc;
		const char *want;
	} fx[] = {
		{ "vectors/sigstore__sigstore-python/test/assets/bundle_invalid_version.txt.sigstore", BF_, "mediaType: \"this is completely wrong\"" },
		{ "vectors/sigstore__sigstore-python/test/assets/bundle_no_cert_v1.txt.sigstore", BF_, "empty certificate chain" },
		{ "vectors/sigstore__sigstore-python/test/assets/bundle_no_checkpoint.txt.sigstore", BF_, "inclusionProof.checkpoint: missing" },
		{ "vectors/sigstore__sigstore-python/test/assets/tsa/bundle.many_timestamp.sigstore", AL_E_LIMIT, "rfc3161Timestamps: 33 elements" },
		{ "vectors/sigstore__sigstore-python/test/assets/tsa/bundle.duplicate.sigstore", BF_, "duplicate of rfc3161Timestamps[0]" },
		{ "vectors/cli__cli/pkg/cmd/attestation/test/data/github_provenance_demo-0.0.12-py3-none-any-bundle-missing-verification-material.jsonl", BF_, "verificationMaterial: missing" },
		{ "vectors/cli__cli/pkg/cmd/attestation/test/data/github_provenance_demo-0.0.12-py3-none-any-bundle-missing-cert.jsonl", BF_, "exactly one of messageSignature and dsseEnvelope is required, found neither" },
		/* everything else must parse */
		{ "vectors/sigstore__sigstore-python/test/assets/*.sigstore*", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-python/test/assets/integration/*.sigstore", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-python/test/assets/tsa/*.sigstore", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-go/examples/bundle-*.json", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-go/pkg/testing/data/bundles/*.json", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-js/tests/bundles/*.sigstore", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/*bundles*.json", AL_OK, NULL },
		{ "vectors/sigstore__cosign/pkg/cosign/testdata/*.sigstore.json", AL_OK, NULL },
		{ "vectors/sigstore__sigstore-rs/tests/data/bundle_v03.json", AL_OK, NULL },
		{ "vectors/cli__cli/pkg/cmd/attestation/test/data/*bundle*.json*", AL_OK, NULL },
		{ "vectors/cli__cli/pkg/cmd/attestation/test/data/*.sigstore.json", AL_OK, NULL },
		{ "vectors/cli__cli/pkg/cmd/attestation/test/data/sigstoreBundle-invalid-signature.json", AL_OK, NULL },
		{ "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_*/v*/*.slsa", AL_OK, NULL },
		{ "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_*/v*/*.intoto.sigstore", AL_OK, NULL },
		{ "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_*/v*/*.intoto.jsonl", AL_OK, NULL },
		{ "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/bcr/*.intoto.jsonl", AL_OK, NULL },
		{ "vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/npm/gha/*.tgz.json", AL_OK, NULL },
		{ "vectors/derived/cosign-empty-image-bundle-referrer-ocilayout/blobs/sha256/a6c1fc36d2a9d6c7844bdb3caf052947fc48b4360e421d637d4647db40d4f9b0", AL_OK, NULL },
		{ "generated/oci-referrer/layout/blobs/sha256/43b24930d30cf733b49e43b2c27435ca7be0cdca0713c8055cb629722ff09728", AL_OK, NULL },
	};
	const char *sh = al_test_shared("test_sigstore_bundle");
	char pat[4096], msg[AL_ERR_MSG_MAX];
	char done[256][256];
	int ndone = 0, nfiles = 0, nbundles = 0, nrej = 0;

	if (sh == NULL)
		return;
	for (size_t p = 0; p < AL_ARRAY_LEN(fx); p++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s", sh, fx[p].pat);
		if (glob(pat, 0, NULL, &g) != 0) {
			al_test_shared_missing(fx[p].pat);
			continue;
		}
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *f = g.gl_pathv[i];
			bool seen = false;
			al_rc rc;
			int n;

			/* an explicit expectation listed earlier wins over a later pattern */
			for (int k = 0; k < ndone; k++)
				if (strcmp(done[k], f + strlen(sh)) == 0)
					seen = true;
			if (seen)
				continue;
			ck_assert_int_lt(ndone, 256);
			snprintf(done[ndone++], sizeof(done[0]), "%s", f + strlen(sh));
			n = parse_file(f, &rc, msg, sizeof(msg));
			nfiles++;
			nbundles += n;
			if (fx[p].rc == AL_OK) {
				ck_assert_msg(rc == AL_OK, "%s: %s", f, msg);
			} else {
				ck_assert_msg(rc == fx[p].rc && strstr(msg, fx[p].want) != NULL,
					      "%s: expected %s (%s), got %s: %s", f, al_rc_name(fx[p].rc),
					      fx[p].want, al_rc_name(rc), msg);
				nrej++;
			}
		}
		globfree(&g);
	}
	printf("client fixtures: %d files, %d bundles, %d rejected as expected\n", nfiles, nbundles, nrej);
	ck_assert_int_ge(nfiles, 90);
}
END_TEST

/* A real bundle's model: conformance happy-path-v0.1 (numbers from its
 * README in the conformance vectors). */
START_TEST(shared_happy_path_model)
{
	const char *sh = al_test_shared("test_sigstore_bundle");
	al_sigstore_bundle b;

	if (sh == NULL)
		return;
	al_err_clear(&err);
	ck_assert_ok(al_sigstore_bundle_load(al_test_shared_path("vectors/sigstore__sigstore-conformance/test/"
					     "assets/bundle-verify/happy-path-v0.1/bundle.sigstore.json"), &b, &err), &err);
	ck_assert_int_eq(b.version, 1);
	ck_assert_uint_eq(b.ntlog, 1);
	ck_assert_int_eq(b.tlog[0].log_index, 27246492);
	ck_assert_int_eq(b.tlog[0].proof.log_index, 23083061);
	ck_assert_int_eq(b.tlog[0].proof.tree_size, 23083062);
	ck_assert_str_eq((const char *)b.tlog[0].kind.p, "hashedrekord");
	ck_assert(b.vm == AL_SIGSTORE_VM_CHAIN && b.ncerts >= 1);
	al_sigstore_bundle_free(&b);
	/* load errors name the file */
	ck_assert_rc(al_sigstore_bundle_load(al_test_shared_path("vectors/sigstore__sigstore-conformance/test/"
					     "assets/bundle-verify/bundle-unknown-version_fail/bundle.sigstore.json"), &b, &err),
		     AL_E_BUNDLE_FORMAT, &err);
	ck_assert(strstr(err.msg, "bundle-unknown-version_fail/bundle.sigstore.json: mediaType") != NULL);
	ck_assert_rc(al_sigstore_bundle_load("/nonexistent/bundle.json", &b, &err), AL_E_IO, &err);
}
END_TEST

/* The fuzz seeds stay what they claim to be. */
START_TEST(fuzz_seeds)
{
	static const char *const seeds[] = { "v01-key.json", "v02-message.json", "v03-dsse.json" };
	al_sigstore_bundle b;
	al_dsse_envelope env;
	al_buf f;

	for (size_t i = 0; i < AL_ARRAY_LEN(seeds); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "fuzz/corpus/sigstore_bundle/%s", seeds[i]);
		al_err_clear(&err);
		ck_assert_ok(al_sigstore_bundle_load(al_test_src_path(rel), &b, &err), &err);
		ck_assert_int_eq(b.version, (int)i + 1);
		al_sigstore_bundle_free(&b);
	}
	f = al_test_read(al_test_src_path("fuzz/corpus/sigstore_bundle/envelope.json"));
	ck_assert_ok(al_dsse_envelope_parse(al_buf_bytes(&f), &env, &err), &err);
	al_dsse_envelope_free(&env);
	al_buf_free(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sigstore_bundle");
	TCase *tc = tcase_create("sigstore_bundle");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, bundle_model);
	tcase_add_test(tc, bundle_model_dsse_and_key);
	tcase_add_test(tc, bundle_accepted_variants);
	tcase_add_test(tc, bundle_version_rules);
	tcase_add_test(tc, bundle_rejected_twins);
	tcase_add_test(tc, bundle_entry_counts);
	tcase_add_test(tc, dsse_in_bundle_and_standalone);
	tcase_add_test(tc, media_type_versions);
	tcase_add_test(tc, fuzz_seeds);
	tcase_add_test(tc, shared_conformance_cases);
	tcase_add_test(tc, shared_generated_sets);
	tcase_add_test(tc, shared_client_fixtures);
	tcase_add_test(tc, shared_happy_path_model);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
