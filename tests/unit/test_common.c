/* O_TMPFILE, for the no-write sandbox test */
#define _GNU_SOURCE
/*
 * test_common.c — errors, reader, base64, hex, PEM, UTF-8, Go's fold and
 * strict JSON, the arena's shared strings.
 * Every accepting case has a rejecting twin.
 */
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "util/testutil.h"

static al_err err;

/* ---------------------------------------------------------------- errors */

START_TEST(err_prefix_and_exit)
{
	al_err_clear(&err);
	ck_assert_int_eq(al_err_set(&err, AL_E_CRYPTO_DIGEST, "digest mismatch"), AL_E_CRYPTO_DIGEST);
	al_err_prefix(&err, "layer %u", 3);
	al_err_prefix(&err, "bundle");
	ck_assert_str_eq(err.msg, "bundle: layer 3: digest mismatch");
	ck_assert_int_eq(al_rc_exit(err.code), 1);
	al_err_recode(&err, AL_E_TRUST_INVALID, "trusted_root.json");
	ck_assert_int_eq(al_rc_exit(err.code), 4);
	ck_assert_str_eq(err.msg, "trusted_root.json: bundle: layer 3: digest mismatch");
	ck_assert_int_eq(al_rc_exit(AL_OK), 0);
	ck_assert_int_eq(al_rc_exit(AL_E_USAGE), 2);
	ck_assert_int_eq(al_rc_exit(AL_E_IO), 2);
	ck_assert_int_eq(al_rc_exit(AL_E_VERIFY_NOTHING), 3);
	ck_assert_int_eq(al_rc_exit(AL_E_TLOG_PROOF), 1);
	ck_assert_int_eq(al_rc_exit((al_rc)0x7777), 1); /* unknown codes never pass */
	/* a NULL err: every setter is a safe no-op; set and recode return their
	 * code, prefix (which has none) a failure, never AL_OK */
	ck_assert_int_eq(al_err_set(NULL, AL_E_CRYPTO_SIG, "x"), AL_E_CRYPTO_SIG);
	ck_assert_int_eq(al_err_recode(NULL, AL_E_TRUST_INVALID, "x"), AL_E_TRUST_INVALID);
	ck_assert_int_ne(al_err_prefix(NULL, "x"), AL_OK);
	al_err_clear(NULL);
}
END_TEST

START_TEST(err_long_messages_truncate_safely)
{
	char big[3000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	al_err_set(&err, AL_E_JSON, "%s", big);
	al_err_prefix(&err, "outer");
	ck_assert_uint_eq(strlen(err.msg), AL_ERR_MSG_MAX - 1);
	ck_assert(strncmp(err.msg, "outer: xxx", 10) == 0);
}
END_TEST

/* ---------------------------------------------------------------- reader */

/* al_arena_intern shares an equal string only when it is exactly equal
 * (length, bytes), never across arenas, and never for a string the cache
 * cannot hold whole */
START_TEST(arena_intern_shares_only_equal_strings)
{
	al_arena a = { 0 }, b = { 0 };
	char longs[400];
	const char *x, *y, *z;

	x = al_arena_intern(&a, al_bytes_str("rekor.airlock.test"), &err);
	y = al_arena_intern(&a, al_bytes_str("rekor.airlock.test"), &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_eq(x, y);
	ck_assert_str_eq(x, "rekor.airlock.test");
	/* a prefix, a longer string, another arena: copies of their own */
	z = al_arena_intern(&a, al_bytes_str("rekor.airlock.tes"), &err);
	ck_assert_ptr_ne(z, x);
	ck_assert_str_eq(z, "rekor.airlock.tes");
	ck_assert_str_eq(x, "rekor.airlock.test");
	z = al_arena_intern(&a, al_bytes_str("rekor.airlock.test2"), &err);
	ck_assert_ptr_ne(z, x);
	z = al_arena_intern(&b, al_bytes_str("rekor.airlock.test"), &err);
	ck_assert_ptr_ne(z, x);
	ck_assert_str_eq(z, "rekor.airlock.test");
	/* empty, and bytes with a NUL (copied whole, never matched by strlen) */
	z = al_arena_intern(&a, al_bytes_of(NULL, 0), &err);
	ck_assert_str_eq(z, "");
	z = al_arena_intern(&a, al_bytes_of("ab\0cd", 5), &err);
	ck_assert_mem_eq(z, "ab\0cd", 6);
	ck_assert_ptr_ne(al_arena_intern(&a, al_bytes_of("ab\0cd", 5), &err), z);
	/* past the cache's length: equal content, separate copies */
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	x = al_arena_intern(&a, al_bytes_str(longs), &err);
	y = al_arena_intern(&a, al_bytes_str(longs), &err);
	ck_assert_ptr_ne(x, y);
	ck_assert_str_eq(y, longs);
	/* many distinct strings: every one comes back with its own bytes */
	for (int i = 0; i < 2000; i++) {
		char t[32];

		snprintf(t, sizeof(t), "s%d", i % 700);
		ck_assert_str_eq(al_arena_intern(&a, al_bytes_str(t), &err), t);
	}
	al_arena_free(&a);
	ck_assert_ptr_null(a.recent);
	x = al_arena_intern(&a, al_bytes_str("after free"), &err);
	ck_assert_str_eq(x, "after free");
	al_arena_free(&a);
	al_arena_free(&b);
}
END_TEST

/* SipHash-2-4, the reference vectors (key 00..0f, message 00..n-1, n < 16:
 * the tail alone, and one block and a tail); the process key differs from
 * run to run, so only its properties are checked */
START_TEST(siphash_vectors_and_process_key)
{
	static const uint64_t want[16] = {
		0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull, 0x85676696d7fb7e2dull,
		0xcf2794e0277187b7ull, 0x18765564cd99a68dull, 0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull,
		0x93f5f5799a932462ull, 0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
		0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull, 0xa129ca6149be45e5ull,
	};
	uint8_t key[16], msg[16];

	for (int i = 0; i < 16; i++)
		key[i] = msg[i] = (uint8_t)i;
	for (size_t n = 0; n < 16; n++)
		ck_assert_msg(al_siphash24(key, al_bytes_of(msg, n)) == want[n], "length %zu", n);
	/* keyed: the same bytes under the process key are not the zero key's,
	 * and stay the same within the process */
	ck_assert(al_keyed_hash(al_bytes_of(msg, 15)) == al_keyed_hash(al_bytes_of(msg, 15)));
	memset(key, 0, sizeof(key));
	ck_assert(al_keyed_hash(al_bytes_of(msg, 15)) != al_siphash24(key, al_bytes_of(msg, 15)));
	ck_assert(al_keyed_hash(al_bytes_of(msg, 15)) != al_keyed_hash(al_bytes_of(msg, 14)));
}
END_TEST

START_TEST(reader_bounds_are_sticky)
{
	const uint8_t in[] = { 1, 0, 2, 0, 0, 3, 0xAA, 0xBB, 0xCC, 0x02, 'h', 'i' };
	al_rd r = al_rd_of(al_bytes_of(in, sizeof(in)));
	al_bytes v;

	ck_assert_uint_eq(al_rd_u8(&r), 1);
	ck_assert_uint_eq(al_rd_be16(&r), 2);
	ck_assert_uint_eq(al_rd_be24(&r), 3);
	v = al_rd_take(&r, 3);
	ck_assert_uint_eq(v.n, 3);
	ck_assert_uint_eq(v.p[2], 0xCC);
	v = al_rd_take_vec(&r, 1);
	ck_assert(al_bytes_eq_str(v, "hi"));
	ck_assert(al_rd_done(&r));
	/* failing twin: one byte too many poisons the reader for good */
	(void)al_rd_u8(&r);
	ck_assert(!al_rd_ok(&r));
	r.p = in;
	r.n = sizeof(in);
	ck_assert(!al_rd_ok(&r));
	ck_assert_uint_eq(al_rd_u8(&r), 0);
}
END_TEST

START_TEST(reader_vec_longer_than_input)
{
	const uint8_t in[] = { 0x00, 0x05, 'a', 'b' };
	al_rd r = al_rd_of(al_bytes_of(in, sizeof(in)));
	al_bytes v = al_rd_take_vec(&r, 2);

	ck_assert_ptr_null(v.p);
	ck_assert(!al_rd_ok(&r));
}
END_TEST

START_TEST(reader_until)
{
	al_rd r = al_rd_of(al_bytes_str("origin\n42\n"));

	ck_assert(al_bytes_eq_str(al_rd_until(&r, '\n'), "origin"));
	ck_assert(al_bytes_eq_str(al_rd_until(&r, '\n'), "42"));
	ck_assert(al_rd_done(&r));
	r = al_rd_of(al_bytes_str("no newline"));
	(void)al_rd_until(&r, '\n');
	ck_assert(!al_rd_ok(&r));
}
END_TEST

/* ---------------------------------------------------------------- base64 */

static const struct { const char *plain, *b64; } rfc4648[] = {
	{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
};

START_TEST(base64_rfc4648_vectors)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(rfc4648); i++) {
		al_buf out = { 0 }, enc = { 0 };

		ck_assert_ok(al_b64_decode(al_bytes_str(rfc4648[i].b64), false, &out, &err), &err);
		ck_assert(al_bytes_eq_str(al_buf_bytes(&out), rfc4648[i].plain));
		ck_assert_ok(al_b64_encode(al_bytes_str(rfc4648[i].plain), &enc, &err), &err);
		ck_assert(al_bytes_eq_str(al_buf_bytes(&enc), rfc4648[i].b64));
		al_buf_free(&out);
		al_buf_free(&enc);
	}
}
END_TEST

START_TEST(base64_rejects_noncanonical)
{
	static const char *bad[] = {
		"Zg=",     /* short padding */
		"Zg",      /* missing padding, standard alphabet */
		"Zh==",    /* non-zero trailing bits: canonical is Zg== */
		"Zm9=",    /* non-zero trailing bits: canonical is Zm8= */
		"Zm 9v",   /* whitespace */
		"Zm9v\n",  /* newline */
		"Z===",    /* too much padding */
		"Zg==Zg==", /* data after padding */
		"Zm9-",    /* URL alphabet in standard mode */
		"!!!!",
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		al_buf out = { 0 };

		ck_assert_msg(al_b64_decode(al_bytes_str(bad[i]), false, &out, &err) == AL_E_DECODE,
			      "accepted \"%s\"", bad[i]);
		al_buf_free(&out);
	}
}
END_TEST

START_TEST(base64_url)
{
	al_buf out = { 0 };

	ck_assert_ok(al_b64_decode(al_bytes_str("-_8"), true, &out, &err), &err);
	ck_assert_uint_eq(out.n, 2);
	ck_assert_uint_eq(out.p[0], 0xfb);
	ck_assert_uint_eq(out.p[1], 0xff);
	ck_assert_ok(al_b64_decode(al_bytes_str("-_8="), true, &out, &err), &err);
	ck_assert_rc(al_b64_decode(al_bytes_str("+/8="), true, &out, &err), AL_E_DECODE, &err);
	ck_assert_rc(al_b64_decode(al_bytes_str("-_9"), true, &out, &err), AL_E_DECODE, &err);
	al_buf_free(&out);
}
END_TEST

/* ---------------------------------------------------------------- hex */

START_TEST(hex_roundtrip_and_rejects)
{
	uint8_t out[4];
	char s[9];

	ck_assert_ok(al_hex_decode(al_bytes_str("00fFa5B0"), out, 4, &err), &err);
	ck_assert_uint_eq(out[1], 0xff);
	al_hex_encode(out, 4, s);
	ck_assert_str_eq(s, "00ffa5b0");
	ck_assert_rc(al_hex_decode(al_bytes_str("00ffa5b"), out, 4, &err), AL_E_DECODE, &err);
	ck_assert_rc(al_hex_decode(al_bytes_str("00ffa5bg"), out, 4, &err), AL_E_DECODE, &err);
	ck_assert_rc(al_hex_decode(al_bytes_str("00ffa5b000"), out, 4, &err), AL_E_DECODE, &err);
}
END_TEST

/* ---------------------------------------------------------------- PEM */

static const char pem_two[] =
	"junk before\n"
	"-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n"
	"-----BEGIN PUBLIC KEY-----\nBAUG\n-----END PUBLIC KEY-----\n";

START_TEST(pem_blocks_and_labels)
{
	al_bytes rest = al_bytes_str(pem_two);
	al_buf der = { 0 };
	char label[64];

	ck_assert_ok(al_pem_next(&rest, NULL, label, &der, &err), &err);
	ck_assert_str_eq(label, "CERTIFICATE");
	ck_assert_uint_eq(der.n, 4);
	ck_assert_uint_eq(der.p[3], 3);
	ck_assert_ok(al_pem_next(&rest, "PUBLIC KEY", label, &der, &err), &err);
	ck_assert_uint_eq(der.n, 3);
	ck_assert_ok(al_pem_next(&rest, NULL, label, &der, &err), &err);
	ck_assert_uint_eq(der.n, 0); /* no more blocks */
	/* failing twins: wrong type, more than one, mismatched END, bad base64 */
	ck_assert_rc(al_pem_one(al_bytes_str(pem_two), "PUBLIC KEY", &der, &err), AL_E_DECODE, &err);
	ck_assert_rc(al_pem_one(al_bytes_str(pem_two), "CERTIFICATE", &der, &err), AL_E_DECODE, &err);
	ck_assert_rc(al_pem_one(al_bytes_str("-----BEGIN A-----\nAAEC\n-----END B-----\n"), "A", &der, &err),
		     AL_E_DECODE, &err);
	ck_assert_rc(al_pem_one(al_bytes_str("-----BEGIN A-----\nAAE\n-----END A-----\n"), "A", &der, &err),
		     AL_E_DECODE, &err);
	ck_assert_rc(al_pem_one(al_bytes_str("-----BEGIN A-----\nAAEC\n"), "A", &der, &err),
		     AL_E_DECODE, &err);
	ck_assert_rc(al_pem_one(al_bytes_str("no pem here"), "A", &der, &err), AL_E_DECODE, &err);
	ck_assert_ok(al_pem_one(al_bytes_str("-----BEGIN A-----\nAAEC\n-----END A-----\n"), "A", &der, &err),
		     &err);
	al_buf_free(&der);
}
END_TEST

/* ---------------------------------------------------------------- JSON */

static al_rc
parse(const char *s, al_json **j)
{
	al_err_clear(&err);
	return al_json_parse(al_bytes_str(s), j, &err);
}

START_TEST(json_strict_rejects)
{
	static const char *bad[] = {
		"",
		"{",
		"{\"a\":1,\"a\":2}",            /* duplicate key */
		"{\"x\":{\"b\":1,\"c\":2,\"b\":3}}",
		"{\"a\":1} x",                  /* trailing data */
		"{\"a\":\"\xff\"}",             /* invalid UTF-8 */
		"{\"a\":\"\xc0\x80\"}",         /* overlong NUL */
		"{\"a\":\"\xed\xa0\x80\"}",     /* surrogate */
		"{\"a\\u0000\":1}",             /* escaped NUL */
		"{\"a\":\"tab\there\"}",        /* raw control character */
		"{\"a\":1}\f",                 /* a form feed: cJSON's whitespace, not JSON's */
		"{\"a\":\v1}",
		"[1,\x01 2]",
		"[01]",                           /* a leading zero: no such number in JSON */
		"{\"size\":-012}",
		"[1,00]",
		"[1.]",                           /* a fraction with no digit */
		"{\"a\":-1.e5}",
		"[1.",
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		al_json *j = NULL;

		ck_assert_msg(parse(bad[i], &j) != AL_OK, "accepted case %zu", i);
		ck_assert_ptr_null(j);
	}
	{
		/* a NUL where whitespace may be (found by fuzz_common: cJSON
		 * skipped it, so "[ NUL ]" was the empty array) */
		static const uint8_t nul[] = "{\"manifests\":[ \0 ]}";
		al_json *j = NULL;

		al_err_clear(&err);
		ck_assert_rc(al_json_parse(al_bytes_of(nul, sizeof(nul) - 1), &j, &err), AL_E_JSON, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "control character outside a string at byte 15"));
		ck_assert_ptr_null(j);
	}
	/* the four that are whitespace */
	{
		al_json *j = NULL;

		ck_assert_ok(parse(" \t\r\n{ \"a\" :\n\t1 }\r\n ", &j), &err);
		al_json_free(j);
	}
	/* zeros that are JSON: alone, before a fraction, in an exponent, after
	 * another digit, in a string */
	{
		al_json *j = NULL;

		ck_assert_ok(parse("[0,-0,0.01,-0.5,1e01,1E-00,10,100,\"007\",{\"a\":0}]", &j), &err);
		al_json_free(j);
		ck_assert_rc(parse("[1, 02]", &j), AL_E_JSON, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "a number with a leading zero at byte 4"));
		ck_assert_rc(parse("{\"a\":1.}", &j), AL_E_JSON, &err);
		ck_assert_ptr_nonnull(strstr(err.msg, "a fraction with no digit at byte 6"));
		ck_assert_ok(parse("[1.5,-0.0,2.25e3,\"1.\",{\"x.\":1}]", &j), &err);
		al_json_free(j);
	}
}
END_TEST

START_TEST(json_depth_limit)
{
	char deep[400];
	al_json *j = NULL;
	size_t n = 0;

	for (int i = 0; i < 70; i++)
		deep[n++] = '[';
	for (int i = 0; i < 70; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	ck_assert(parse(deep, &j) != AL_OK);
	n = 0;
	for (int i = 0; i < 60; i++)
		deep[n++] = '[';
	for (int i = 0; i < 60; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	ck_assert_ok(parse(deep, &j), &err);
	al_json_free(j);
}
END_TEST

START_TEST(json_typed_getters_with_paths)
{
	al_json *j = NULL;
	const al_json *vm, *arr, *e0;
	int64_t v;
	bool present;
	al_bytes s;
	al_buf b = { 0 };
	al_jpath p;

	ck_assert_ok(parse("{\"verificationMaterial\":{\"tlogEntries\":[{\"logIndex\":\"12\",\"n\":7,"
			   "\"big\":\"9223372036854775807\",\"bad\":\"1x\",\"f\":1.5,\"neg\":\"-3\","
			   "\"over\":\"9223372036854775808\",\"b\":\"aGk=\",\"bb\":\"aGk\",\"nul\":null}]},"
			   "\"s\":\"str\"}", &j), &err);
	ck_assert_ok(al_json_get_obj(j, "", "verificationMaterial", true, &vm, &err), &err);
	ck_assert_ok(al_json_get_arr(vm, "verificationMaterial", "tlogEntries", true, &arr, &err), &err);
	ck_assert_uint_eq(al_json_arr_len(arr), 1);
	e0 = al_json_arr_at(arr, 0);
	al_jpath_idx(&p, "verificationMaterial.tlogEntries", 0);
	ck_assert_ok(al_json_get_i64(e0, p.s, "logIndex", true, &v, &present, &err), &err);
	ck_assert_int_eq(v, 12);
	ck_assert_ok(al_json_get_i64(e0, p.s, "n", true, &v, &present, &err), &err);
	ck_assert_int_eq(v, 7);
	ck_assert_ok(al_json_get_i64(e0, p.s, "big", true, &v, &present, &err), &err);
	ck_assert(v == INT64_MAX);
	ck_assert_ok(al_json_get_i64(e0, p.s, "neg", true, &v, &present, &err), &err);
	ck_assert_int_eq(v, -3);
	ck_assert_rc(al_json_get_i64(e0, p.s, "bad", true, &v, &present, &err), AL_E_JSON, &err);
	ck_assert_str_eq(err.msg, "verificationMaterial.tlogEntries[0].bad: not an integer");
	ck_assert_rc(al_json_get_i64(e0, p.s, "f", true, &v, &present, &err), AL_E_JSON, &err);
	ck_assert_rc(al_json_get_i64(e0, p.s, "over", true, &v, &present, &err), AL_E_JSON, &err);
	ck_assert_rc(al_json_get_i64(e0, p.s, "missing", true, &v, &present, &err), AL_E_JSON, &err);
	ck_assert_str_eq(err.msg, "verificationMaterial.tlogEntries[0].missing: missing");
	ck_assert_ok(al_json_get_i64(e0, p.s, "nul", false, &v, &present, &err), &err);
	ck_assert(!present); /* null counts as absent */
	ck_assert_ok(al_json_get_b64(e0, p.s, "b", true, &b, &err), &err);
	ck_assert(al_bytes_eq_str(al_buf_bytes(&b), "hi"));
	ck_assert_rc(al_json_get_b64(e0, p.s, "bb", true, &b, &err), AL_E_JSON, &err);
	al_json_free(j);
	/* wrapped base64 (Go's decoder skips CR/LF) is unwrapped; bad characters still fail */
	ck_assert_ok(parse("{\"w\":\"aG\\nk=\",\"x\":\"a!k=\",\"y\":\"aG\\r\\n\"}", &j), &err);
	ck_assert_ok(al_json_get_b64(j, "", "w", true, &b, &err), &err);
	ck_assert(al_bytes_eq_str(al_buf_bytes(&b), "hi"));
	ck_assert_rc(al_json_get_b64(j, "", "x", true, &b, &err), AL_E_JSON, &err);
	ck_assert_rc(al_json_get_b64(j, "", "y", true, &b, &err), AL_E_JSON, &err);
	al_json_free(j);
	ck_assert_ok(parse("{\"verificationMaterial\":{\"tlogEntries\":[{\"n\":7}]},\"s\":\"str\"}", &j), &err);
	ck_assert_ok(al_json_get_obj(j, "", "verificationMaterial", true, &vm, &err), &err);
	ck_assert_ok(al_json_get_arr(vm, "verificationMaterial", "tlogEntries", true, &arr, &err), &err);
	e0 = al_json_arr_at(arr, 0);
	ck_assert_ok(al_json_get_str(j, "", "s", true, &s, &err), &err);
	ck_assert(al_bytes_eq_str(s, "str"));
	ck_assert_rc(al_json_get_str(e0, p.s, "n", true, &s, &err), AL_E_JSON, &err);
	ck_assert_rc(al_json_get_obj(j, "", "s", true, &vm, &err), AL_E_JSON, &err);
	{
		static const char *const keys[] = { "verificationMaterial", NULL };

		ck_assert_rc(al_json_only_keys(j, "", keys, &err), AL_E_JSON, &err);
		ck_assert_str_eq(err.msg, "s: unknown field");
	}
	al_buf_free(&b);
	al_json_free(j);
}
END_TEST

START_TEST(ct_eq)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 };

	ck_assert(al_ct_eq(a, b, 32));
	b[31] = 1;
	ck_assert(!al_ct_eq(a, b, 32));
	b[31] = 0;
	b[0] = 0x80;
	ck_assert(!al_ct_eq(a, b, 32));
}
END_TEST

/* ---------------------------------------------------------------- sandbox */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int
in_sandboxed_child(int what)
{
	pid_t pid = fork();
	int st = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		al_err e;

		if (al_sandbox_enter(&e) != AL_OK)
			_exit(3);
		if (what >= 10 && al_sandbox_no_writes(&e) != AL_OK)
			_exit(6);
		if (what == 10) {
			/* reading still works: a file, and a folder as the store opens it */
			int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC), dfd = open("/", O_RDONLY | O_DIRECTORY);

			_exit(fd >= 0 && dfd >= 0 ? 0 : 7);
		} else if (what == 11) {
			char p[] = "/tmp/airlock-no-writes-XXXXXX";

			_exit(mkstemp(p) >= 0 ? 0 : 8);
		} else if (what == 12) {
			_exit(open("/tmp", O_WRONLY | O_TMPFILE, 0600) >= 0 ? 0 : 9);
		} else if (what == 13) {
			_exit(rename("/tmp/airlock-a-name-that-is-not-there", "/tmp/airlock-b") == 0 ? 0 : 10);
		} else if (what == 14) {
			_exit(open("/dev/null", O_WRONLY) >= 0 ? 0 : 11);
		} else if (what == 15) {
			_exit(mkdir("/tmp/airlock-no-writes-dir", 0700) == 0 ? 0 : 12);
		}
		if (what == 0) {
			int fd = socket(AF_UNIX, SOCK_STREAM, 0);

			_exit(fd >= 0 ? 0 : 4);
		} else if (what == 1) {
			char *argv[] = { (char *)"/bin/true", NULL };

			execv("/bin/true", argv);
			_exit(5);
		}
		_exit(0); /* ordinary work goes on */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* A run that writes nothing cannot open, create, rename or make anything for
 * writing; reading goes on. */
START_TEST(sandbox_no_writes)
{
	int st = in_sandboxed_child(10);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "reading under the no-write filter failed: status %d", st);
	for (int what = 11; what <= 15; what++) {
		st = in_sandboxed_child(what);
		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "case %d: a write was not stopped: status %d",
			      what, st);
	}
}
END_TEST

START_TEST(sandbox_kills_socket_and_exec)
{
	int st;

	st = in_sandboxed_child(2);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sandboxed child could not run: status %d", st);
	/* the failing twins: a socket, an exec */
	st = in_sandboxed_child(0);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "socket() was not stopped: status %d", st);
#ifndef __SANITIZE_ADDRESS__
	st = in_sandboxed_child(1);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "execve() was not stopped: status %d", st);
#endif
}
END_TEST


/* ---------------------------------------------------------------- text */

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* The escaped form of n bytes of s, uncapped in practice. */
static char *
esc(const char *s, size_t n, unsigned flags)
{
	static char out[8192];
	al_buf b = { 0 };

	ck_assert_ok(al_text_escape(&b, al_bytes_of(s, n), sizeof(out) - 1, flags, &err), &err);
	ck_assert_uint_lt(b.n, sizeof(out));
	memcpy(out, b.p, b.n + 1);
	al_buf_free(&b);
	return out;
}
#define ESC(lit) esc(lit, sizeof(lit) - 1, 0)

/* What a terminal or a grep would be fooled by: any byte below 0x20, DEL,
 * invalid UTF-8, or a hidden/bidi code point. */
static bool
printable_one_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = (uint8_t)s[i];
		uint32_t cp;
		size_t len;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (len == 0 || i + len > n)
			return false;
		cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (size_t k = 1; k < len; k++) {
			if (((uint8_t)s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | ((uint8_t)s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		if (cp <= 0x9F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE007F))
			return false;
		i += len;
	}
	return true;
}

START_TEST(text_forged_report_lines_stay_one_line)
{
	const char *o;

	/* the attack: an excerpt that prints a fake verdict on lines of its own */
	o = ESC("ref\n  result: verified\nVERIFIED");
	ck_assert_str_eq(o, "ref\\x0a  result: verified\\x0aVERIFIED");
	ck_assert_ptr_null(strchr(o, '\n'));
	ck_assert_str_eq(ESC("a\r\nVERIFIED"), "a\\x0d\\x0aVERIFIED");
	/* terminal control: clear screen, cursor up, OSC title */
	ck_assert_str_eq(ESC("\x1b[2J\x1b[1A"), "\\x1b[2J\\x1b[1A");
	ck_assert_str_eq(ESC("\x1b]0;t\x07"), "\\x1b]0;t\\x07");
	ck_assert_str_eq(ESC("del\x7f"), "del\\x7f");
	ck_assert_str_eq(ESC("tab\there"), "tab\\x09here");
	/* NUL inside the slice does not end it */
	ck_assert_str_eq(esc("a\0b", 3, 0), "a\\x00b");
	/* backslash is escaped, so a literal "\x1b" in the input cannot pass for an escape */
	ck_assert_str_eq(ESC("a\\b"), "a\\\\b");
	ck_assert_str_eq(ESC("\\x1b"), "\\\\x1b");
	/* quotes only when asked (values printed between quotes) */
	ck_assert_str_eq(ESC("say \"hi\""), "say \"hi\"");
	ck_assert_str_eq(esc("a\" tag=\"b", 9, AL_TEXT_QUOTED), "a\\x22 tag=\\x22b");
	/* empty and NULL */
	ck_assert_str_eq(esc(NULL, 0, 0), "");
}
END_TEST

START_TEST(text_unicode_controls_and_invalid_utf8)
{
	/* valid text passes through */
	ck_assert_str_eq(ESC("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91"),
			 "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91");
	/* bidi overrides and isolates: "sha256:abc<RLO>fed" would display reversed */
	ck_assert_str_eq(ESC("x\xe2\x80\xaey"), "x\\u{202E}y");
	ck_assert_str_eq(ESC("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
			 "\\u{202A}\\u{202B}\\u{202C}\\u{202D}");
	ck_assert_str_eq(ESC("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
			 "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
	ck_assert_str_eq(ESC("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"), "\\u{200E}\\u{200F}\\u{061C}");
	/* C1 controls (U+0085 NEL is a line break to some terminals; U+009B is CSI) */
	ck_assert_str_eq(ESC("a\xc2\x85" "b\xc2\x9b" "2J"), "a\\u{0085}b\\u{009B}2J");
	ck_assert_str_eq(ESC("\xc2\xa0"), "\xc2\xa0"); /* U+00A0 is visible enough: passes */
	/* Unicode line and paragraph separators, zero-width, BOM, tags */
	ck_assert_str_eq(ESC("a\xe2\x80\xa8" "b\xe2\x80\xa9"), "a\\u{2028}b\\u{2029}");
	ck_assert_str_eq(ESC("\xe2\x80\x8b\xef\xbb\xbf"), "\\u{200B}\\u{FEFF}");
	ck_assert_str_eq(ESC("\xf3\xa0\x81\x81"), "\\u{E0041}");
	/* invalid UTF-8: each bad byte on its own */
	ck_assert_str_eq(ESC("\xff"), "\\xff");
	ck_assert_str_eq(ESC("\xc0\x80"), "\\xc0\\x80");         /* overlong NUL */
	ck_assert_str_eq(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
	ck_assert_str_eq(ESC("\xe2\x80"), "\\xe2\\x80");         /* truncated */
	ck_assert_str_eq(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
	ck_assert_str_eq(ESC("\x80z"), "\\x80z");
}
END_TEST

START_TEST(text_truncation_is_bounded_and_marked)
{
	char big[5000], line[64];
	al_buf b = { 0 };
	size_t mk = strlen(AL_TEXT_TRUNCATED), n;

	memset(big, 'a', sizeof(big));
	ck_assert_ok(al_text_escape(&b, al_bytes_of(big, sizeof(big)), 100, 0, &err), &err);
	ck_assert_uint_eq(b.n, 100);
	ck_assert_str_eq((char *)b.p + 100 - mk, AL_TEXT_TRUNCATED);
	/* an exact fit is not truncated */
	b.n = 0;
	ck_assert_ok(al_text_escape(&b, al_bytes_of(big, 100), 100, 0, &err), &err);
	ck_assert_uint_eq(b.n, 100);
	ck_assert_ptr_null(strstr((char *)b.p, AL_TEXT_TRUNCATED));
	/* escapes are never cut in half */
	memset(big, 0x1b, sizeof(big));
	b.n = 0;
	ck_assert_ok(al_text_escape(&b, al_bytes_of(big, sizeof(big)), 41, 0, &err), &err);
	ck_assert_uint_le(b.n, 41);
	n = b.n - mk;
	ck_assert_uint_eq(n % 4, 0);
	for (size_t i = 0; i < n; i += 4)
		ck_assert(memcmp(b.p + i, "\\x1b", 4) == 0);
	/* a cap far beyond the input reserves only what the input can need */
	b.n = 0;
	ck_assert_ok(al_text_escape(&b, al_bytes_str("ok\n"), SIZE_MAX, 0, &err), &err);
	ck_assert_str_eq((char *)b.p, "ok\\x0a");
	/* appends after what is there */
	b.n = 0;
	ck_assert_ok(al_buf_append(&b, "x=", 2, &err), &err);
	ck_assert_ok(al_text_escape(&b, al_bytes_str("\n"), 50, 0, &err), &err);
	ck_assert_str_eq((char *)b.p, "x=\\x0a");
	al_buf_free(&b);
	/* the fixed-buffer form for one formatted line */
	n = al_text_line(line, sizeof(line), al_bytes_str("airlock: bad\n  result: verified\nVERIFIED"));
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_str_eq(line, "airlock: bad\\x0a  result: verified\\x0aVERIFIED");
	memset(big, '\n', 200);
	n = al_text_line(line, sizeof(line), al_bytes_of(big, 200));
	ck_assert_uint_le(n, sizeof(line) - 1);
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_str_eq(line + n - mk, AL_TEXT_TRUNCATED);
	ck_assert_uint_eq(al_text_line(line, 4, al_bytes_str("abc")), 0); /* no room for the marker */
	ck_assert_str_eq(line, "");
}
END_TEST

START_TEST(text_clean_accepts_escaped_text_only)
{
	static const char *dirty[] = { "a\nb", "\x1b[2J", "x\xe2\x80\xae", "\xff", "\xc2\x85", "tab\t", "\x7f" };
	char out[256];
	size_t n;

	ck_assert(al_text_clean(al_bytes_str("")));
	ck_assert(al_text_clean(al_bytes_str("image sha256:ab verified: \"caf\xc3\xa9\" \\x0a\\u{202E}")));
	for (size_t i = 0; i < AL_ARRAY_LEN(dirty); i++) {
		ck_assert_msg(!al_text_clean(al_bytes_str(dirty[i])), "case %zu passed as clean", i);
		/* what the escaper makes of it is clean */
		n = al_text_line(out, sizeof(out), al_bytes_str(dirty[i]));
		ck_assert(al_text_clean(al_bytes_of(out, n)));
	}
}
END_TEST

START_TEST(text_random_bytes_always_one_safe_line)
{
	uint32_t x = 0x12345678;
	char in[300], out[200];

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 300), got;

		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			/* bias towards the interesting: controls, UTF-8 lead bytes, E2 80 xx */
			switch ((x >> 28) & 3) {
			case 0: in[i] = (char)(x >> 16); break;
			case 1: in[i] = (char)(0xE2 + ((x >> 16) & 1)); break;
			case 2: in[i] = (char)(0x80 + ((x >> 16) & 0x3F)); break;
			default: in[i] = (char)((x >> 16) & 0x7F); break;
			}
		}
		got = al_text_line(out, sizeof(out), al_bytes_of(in, n));
		ck_assert_uint_lt(got, sizeof(out));
		ck_assert_uint_eq(strlen(out), got);
		ck_assert_msg(printable_one_line(out, got), "round %d: unsafe output", round);
		ck_assert_msg(al_text_clean(al_bytes_of(out, got)), "round %d: output not clean", round);
		ck_assert(printable_one_line(in, n) || !al_text_clean(al_bytes_of(in, n)));
	}
}
END_TEST

START_TEST(parse_size_units_and_rejects)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "1", 1 }, { "4096", 4096 }, { "1K", 1024 }, { "3m", 3u << 20 }, { "2G", 2ull << 30 },
		{ "1T", 1ull << 40 }, { "256G", 256ull << 30 }, { "18446744073709551615", UINT64_MAX },
		{ "16777215T", 16777215ull << 40 },
	};
	static const char *bad[] = {
		"0", "0K", "", "-1", "+1", " 1", "1 ", "1KB", "1.5G", "K", "1k2", "0x10", "1P",
		"18446744073709551616", "16777216T", "99999999999999999999999",
	};
	uint64_t v;

	for (size_t i = 0; i < AL_ARRAY_LEN(good); i++) {
		ck_assert_ok(al_parse_size(good[i].s, &v, &err), &err);
		ck_assert_msg(v == good[i].v, "%s: %llu", good[i].s, (unsigned long long)v);
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		ck_assert_msg(al_parse_size(bad[i], &v, &err) == AL_E_USAGE, "accepted '%s'", bad[i]);
		ck_assert_uint_eq(v, 0);
	}
}
END_TEST

/* ---------------------------------------------------------------- JSON limits before cJSON */

/* n comma-separated copies of item inside open/close. Caller frees. */
static char *
repeat_doc(const char *open, const char *item, size_t n, const char *close, size_t *len)
{
	size_t il = strlen(item), ol = strlen(open), cl = strlen(close);
	size_t cap = ol + n * (il + 1) + cl + 1, at = 0;
	char *d = malloc(cap);

	ck_assert_ptr_nonnull(d);
	memcpy(d, open, ol);
	at = ol;
	for (size_t i = 0; i < n; i++) {
		if (i)
			d[at++] = ',';
		memcpy(d + at, item, il);
		at += il;
	}
	memcpy(d + at, close, cl);
	at += cl;
	d[at] = '\0';
	*len = at;
	return d;
}

START_TEST(json_value_limit_exact)
{
	al_json *j = NULL;
	size_t len;
	char *d;

	/* exactly the limit passes; one more is refused with the old message */
	d = repeat_doc("[", "0", AL_MAX_JSON_MEMBERS, "]", &len);
	ck_assert_ok(al_json_parse(al_bytes_of(d, len), &j, &err), &err);
	al_json_free(j);
	free(d);
	d = repeat_doc("[", "0", AL_MAX_JSON_MEMBERS + 1, "]", &len);
	ck_assert_rc(al_json_parse(al_bytes_of(d, len), &j, &err), AL_E_LIMIT, &err);
	ck_assert_ptr_null(j);
	ck_assert_str_eq(err.msg, "JSON: more than 100000 values");
	free(d);
	/* keys are not values: an object of 50000 members holding [0] each is
	 * 100000 values; whitespace before ':' and tricky strings are keys too */
	{
		al_buf b = { 0 };

		ck_assert_ok(al_buf_append(&b, "{", 1, &err), &err);
		for (int i = 0; i < AL_MAX_JSON_MEMBERS / 2; i++)
			ck_assert_ok(al_buf_appendf(&b, &err, "%s\"k\\\"]:%d\" \t:[\"v,]}\\\\\"]", i ? "," : "", i), &err);
		ck_assert_ok(al_buf_append(&b, "}", 1, &err), &err);
		ck_assert_ok(al_json_parse(al_buf_bytes(&b), &j, &err), &err);
		al_json_free(j);
		b.n--;
		ck_assert_ok(al_buf_append(&b, ",\"x\":1}", 7, &err), &err);
		ck_assert_rc(al_json_parse(al_buf_bytes(&b), &j, &err), AL_E_LIMIT, &err);
		al_buf_free(&b);
	}
}
END_TEST

START_TEST(json_depth_limit_before_cjson)
{
	char d[400];
	al_json *j = NULL;
	size_t n = 0;

	/* 64 containers are allowed; a value inside the 64th is at depth 65 */
	for (int i = 0; i < 64; i++)
		d[n++] = '[';
	for (int i = 0; i < 64; i++)
		d[n++] = ']';
	ck_assert_ok(al_json_parse(al_bytes_of(d, n), &j, &err), &err);
	al_json_free(j);
	memmove(d + 65, d + 64, 64);
	d[64] = '1';
	ck_assert_rc(al_json_parse(al_bytes_of(d, 129), &j, &err), AL_E_LIMIT, &err);
	ck_assert_str_eq(err.msg, "JSON: nesting deeper than 64");
	/* 65 containers, mixed: refused for depth before cJSON sees them */
	n = 0;
	for (int i = 0; i < 65; i++) {
		if (i % 2) {
			d[n++] = '[';
		} else {
			memcpy(d + n, "{\"k\":", 5);
			n += 5;
		}
	}
	ck_assert_rc(al_json_parse(al_bytes_of(d, n), &j, &err), AL_E_LIMIT, &err);
	ck_assert_str_eq(err.msg, "JSON: nesting deeper than 64");
	/* brackets inside strings are not nesting */
	ck_assert_ok(parse("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]", &j), &err);
	al_json_free(j);
}
END_TEST

/* Peak RSS (KiB) of a child that parses doc; *rc_out is the parse result. */
static long
child_peak_kib(const char *doc, size_t len, al_rc *rc_out)
{
	struct rusage ru;
	int st = 0;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		al_json *j = NULL;
		al_err e;
		al_rc rc = al_json_parse(al_bytes_of(doc, len), &j, &e);

		al_json_free(j);
		_exit(rc == AL_OK ? 0 : rc == AL_E_LIMIT ? 1 : 2);
	}
	ck_assert_int_eq(wait4(pid, &st, 0, &ru), pid);
	ck_assert(WIFEXITED(st));
	*rc_out = WEXITSTATUS(st) == 0 ? AL_OK : WEXITSTATUS(st) == 1 ? AL_E_LIMIT : AL_E_JSON;
	return ru.ru_maxrss;
}

START_TEST(json_memory_bounded_before_allocation)
{
	/* the bound: 64 MiB + 4x the largest document accepted (AL_MAX_JSON_DOC) */
	const long bound_kib = (64L << 10) + 4L * (AL_MAX_JSON_DOC >> 10);
	size_t len, n = (AL_MAX_JSON_DOC - 2) / 2;
	long base, kib;
	al_rc rc;
	char *d;

	base = child_peak_kib("0", 1, &rc);
	ck_assert_int_eq(rc, AL_OK);
	/* 8M elements in 16 MiB: refused before cJSON builds 8M nodes */
	d = repeat_doc("[", "0", n, "]", &len);
	ck_assert_uint_le(len, AL_MAX_JSON_DOC);
	kib = child_peak_kib(d, len, &rc);
	free(d);
	fprintf(stderr, "json RSS: baseline %ld KiB, 16 MiB / %zu-element array %ld KiB (bound %ld KiB)\n", base, n,
		kib, bound_kib);
	ck_assert_int_eq(rc, AL_E_LIMIT);
	ck_assert_int_lt(kib, bound_kib);
	/* the largest accepted kind of document: 16 MiB, the most values allowed */
	{
		char item[166];

		memset(item, 'x', sizeof(item));
		item[0] = item[sizeof(item) - 2] = '"';
		item[sizeof(item) - 1] = '\0';
		d = repeat_doc("[", item, AL_MAX_JSON_MEMBERS, "]", &len);
		ck_assert_uint_le(len, AL_MAX_JSON_DOC);
		kib = child_peak_kib(d, len, &rc);
		free(d);
		fprintf(stderr, "json RSS: %zu-byte document of %d strings accepted at %ld KiB\n", len,
			AL_MAX_JSON_MEMBERS, kib);
		ck_assert_int_eq(rc, AL_OK);
		ck_assert_int_lt(kib, bound_kib);
	}
}
END_TEST

/* ---------------------------------------------------------------- Go's key folding */

static const char *const desc_fields[] = { "mediaType", "digest", "size", "annotations", NULL };

static al_rc
check_fields(const char *doc, const char *const *fields)
{
	al_json *j = NULL;
	al_rc rc;

	ck_assert_ok(parse(doc, &j), &err);
	al_err_clear(&err);
	rc = al_json_check_fields(j, "index.json manifests[0]", fields, &err);
	al_json_free(j);
	return rc;
}

/* RFC 8785: keys sorted by UTF-16 code units (U+1F600 is a surrogate pair,
 * so it sorts before U+FB01, unlike in UTF-8 byte order), JCS escapes,
 * integers, and invalid UTF-8 as U+FFFD. */
START_TEST(json_canonical_rfc8785)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{ "{\"b\":1,\"a\":[true,false,null],\"c\":{\"y\":\"\",\"x\":-7}}",
		  "{\"a\":[true,false,null],\"b\":1,\"c\":{\"x\":-7,\"y\":\"\"}}" },
		/* RFC 8785 §3.2.3's order: \r, 1, \u0080, \u00f6, \u20ac, \ud83d\ude00, \ufb33 */
		{ "{\"\\u20ac\":1,\"\\r\":2,\"\\ufb33\":3,\"1\":4,\"\\ud83d\\ude00\":5,\"\\u0080\":6,\"\\u00f6\":7}",
		  "{\"\\r\":2,\"1\":4,\"\xc2\x80\":6,\"\xc3\xb6\":7,\"\xe2\x82\xac\":1,\"\xf0\x9f\x98\x80\":5,"
		  "\"\xef\xac\xb3\":3}" },
		{ "[\"\\u0001\\b\\t\\n\\f\\r\\u001f\\\"\\\\/\\u007f\\u2028\"]",
		  "[\"\\u0001\\b\\t\\n\\f\\r\\u001f\\\"\\\\/\x7f\xe2\x80\xa8\"]" },
		{ "[0,9007199254740992,-9007199254740992,1e3]", "[0,9007199254740992,-9007199254740992,1000]" },
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(v); i++) {
		al_json *j = NULL;
		al_buf out = { 0 };

		ck_assert_ok(al_json_parse(al_bytes_str(v[i].in), &j, &err), &err);
		ck_assert_ok(al_json_canonical(j, &out, &err), &err);
		ck_assert_msg(out.n == strlen(v[i].want) && memcmp(out.p, v[i].want, out.n) == 0, "case %zu: got %.*s",
			      i, (int)out.n, (const char *)out.p);
		al_json_free(j);
		al_buf_free(&out);
	}
	/* not an exact integer: refused, never rounded */
	{
		al_json *j = NULL;
		al_buf out = { 0 };

		ck_assert_ok(al_json_parse(al_bytes_str("[1.5]"), &j, &err), &err);
		ck_assert_int_eq(al_json_canonical(j, &out, &err), AL_E_INTERNAL);
		al_json_free(j);
		al_buf_free(&out);
	}
	/* a string that is not UTF-8 (made in memory: the parser refuses such
	 * input) is written with U+FFFD and stays one valid string */
	{
		al_json *j = cJSON_CreateObject();
		al_buf out = { 0 };
		static const char want[] = "{\"k\":\"a\xef\xbf\xbd(\\\"b\"}";

		ck_assert_ptr_nonnull(cJSON_AddStringToObject(j, "k", "a\xc3\x28\"b"));
		ck_assert_ok(al_json_canonical(j, &out, &err), &err);
		ck_assert_msg(out.n == strlen(want) && memcmp(out.p, want, out.n) == 0, "got %.*s", (int)out.n,
			      (const char *)out.p);
		cJSON_Delete(j);
		al_buf_free(&out);
	}
}
END_TEST

/* The writer of a spliced placeholder: the array [1,...,n] for key "n<k>",
 * an error for "bad" (the tree with the array spliced must give the same
 * bytes as the whole tree) */
static al_rc
splice_ints(void *ctx, const al_json *ph, al_buf *out, al_err *e)
{
	int *calls = ctx;
	al_rc rc;

	(*calls)++;
	if (strcmp(ph->string, "bad") == 0)
		return al_err_set(e, AL_E_NOMEM, "out of memory");
	rc = al_buf_append(out, "[", 1, e);
	for (int i = 1; i <= ph->string[1] - '0' && rc == AL_OK; i++)
		rc = al_buf_appendf(out, e, "%s%d", i > 1 ? "," : "", i);
	return rc == AL_OK ? al_buf_append(out, "]", 1, e) : rc;
}

/* al_json_parse_elems against al_json_parse on one document: both accept
 * or both refuse, and when they accept, the same elements in the same
 * order and the same other members. Returns whether the array was lifted
 * out of the tree (-1: refused). */
static int
elems_agree(const char *doc)
{
	al_bytes in = al_bytes_str(doc);
	al_json *full = NULL, *rest = NULL;
	al_json_elems v;
	const al_json *e, *arr;
	al_err e1, e2;
	al_rc r1, r2;
	size_t k = 0;
	int lifted;

	al_err_clear(&e1);
	al_err_clear(&e2);
	r1 = al_json_parse(in, &full, &e1);
	r2 = al_json_parse_elems(in, "manifests", &rest, &v, &e2);
	arr = r1 == AL_OK ? al_json_member(full, "manifests") : NULL;
	while (r2 == AL_OK && (r2 = al_json_elems_next(&v, &e, &e2)) == AL_OK && e != NULL) {
		al_buf a = { 0 }, b = { 0 };

		ck_assert_msg(r1 == AL_OK, "%s: an element of a refused document: %s", doc, e1.msg);
		ck_assert_msg(al_json_is_arr(arr) && k < al_json_arr_len(arr), "%s: element %zu too many", doc, k);
		ck_assert_ok(al_json_canonical(al_json_arr_at(arr, k), &a, &e1), &e1);
		ck_assert_ok(al_json_canonical(e, &b, &e1), &e1);
		ck_assert_msg(a.n == b.n && memcmp(a.p, b.p, a.n) == 0, "%s: element %zu differs", doc, k);
		al_buf_free(&a);
		al_buf_free(&b);
		k++;
	}
	ck_assert_msg((r1 == AL_OK) == (r2 == AL_OK), "%s: parse %s (%s), elements %s (%s)", doc,
		      r1 == AL_OK ? "accepts" : "refuses", e1.msg, r2 == AL_OK ? "accept" : "refuse", e2.msg);
	if (r1 != AL_OK) {
		/* refused as a document is: the same code */
		ck_assert_int_eq(r1, r2);
		lifted = -1;
	} else {
		al_buf a = { 0 }, b = { 0 };
		const al_json *ra = al_json_member(rest, "manifests");

		ck_assert_uint_eq(k, al_json_is_arr(arr) ? al_json_arr_len(arr) : 0);
		lifted = v.tree == NULL && al_json_is_arr(arr);
		/* the rest is the document, the lifted array empty */
		if (lifted) {
			ck_assert(al_json_is_arr(ra) && al_json_arr_len(ra) == 0);
			ck_assert_ok(al_json_canonical(rest, &a, &e1), &e1);
			ck_assert_uint_gt(a.n, 0);
		}
		al_buf_free(&a);
		al_buf_free(&b);
	}
	al_json_elems_free(&v);
	al_json_free(full);
	al_json_free(rest);
	return lifted;
}

/* A document read an element at a time has bounds of its own: beyond
 * al_json_parse's values (refused there), within AL_MAX_JSON_STREAM_MEMBERS,
 * it is read when its array is lifted; not lifted (an escaped key), or with
 * one more value than its bound, or with the rest or one element beyond a
 * whole tree's bounds, it is refused, before any tree is built. */
START_TEST(json_elems_bounds)
{
	static const struct {
		const char *open, *item, *close;
		size_t n;
		al_rc want;
	} c[] = {
		{ "{\"manifests\":[", "0", "]}", AL_MAX_JSON_MEMBERS + 10, AL_OK },
		{ "{\"manif\\u0065sts\":[", "0", "]}", AL_MAX_JSON_MEMBERS + 10, AL_E_LIMIT },
		/* the member "manifests" is one value, its elements the rest */
		{ "{\"manifests\":[", "0", "]}", AL_MAX_JSON_STREAM_MEMBERS - 1, AL_OK },
		{ "{\"manifests\":[", "0", "]}", AL_MAX_JSON_STREAM_MEMBERS, AL_E_LIMIT },
		{ "{\"manifests\":[],\"x\":[", "0", "]}", AL_MAX_JSON_MEMBERS + 1, AL_E_LIMIT },
		{ "{\"manifests\":[[", "0", "]]}", AL_MAX_JSON_MEMBERS + 1, AL_E_LIMIT },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(c); i++) {
		size_t len, k = 0;
		char *d = repeat_doc(c[i].open, c[i].item, c[i].n, c[i].close, &len);
		al_json *j = NULL, *rest = NULL;
		al_json_elems v;
		const al_json *e;
		al_rc rc;

		ck_assert_rc(al_json_parse(al_bytes_of(d, len), &j, &err), AL_E_LIMIT, &err);
		rc = al_json_parse_elems(al_bytes_of(d, len), "manifests", &rest, &v, &err);
		ck_assert_msg(rc == c[i].want, "case %zu: %s, want %s: %s", i, al_rc_name(rc), al_rc_name(c[i].want),
			      err.msg);
		while (rc == AL_OK && (rc = al_json_elems_next(&v, &e, &err)) == AL_OK && e != NULL)
			k++;
		ck_assert_uint_eq(k, c[i].want == AL_OK ? c[i].n : 0);
		al_json_elems_free(&v);
		al_json_free(rest);
		free(d);
	}
}
END_TEST

START_TEST(json_elems_same_as_parse)
{
	/* lifted: the array is read an element at a time */
	ck_assert_int_eq(elems_agree("{\"schemaVersion\":2,\"manifests\":[]}"), 1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[{\"a\":1},{\"b\":[1,2,{\"c\":\"]\\\"[\"}]}],\"x\":\"y\"}"), 1);
	ck_assert_int_eq(elems_agree(" { \"m\" : { \"manifests\" : [1] } , \"manifests\" : [ 1 , \"2\" , null , true , -3 ] } "), 1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[[[[]]],{},\"\\u00e9\"]}"), 1);
	/* not lifted, the same answer from the tree: an escaped key, no such
	 * key, not an array, not an object */
	ck_assert_int_eq(elems_agree("{\"manif\\u0065sts\":[{\"a\":1},{\"a\":2}]}"), 0);
	ck_assert_int_eq(elems_agree("{\"other\":[1]}"), 0);
	ck_assert_int_eq(elems_agree("{\"manifests\":{\"a\":1}}"), 0);
	ck_assert_int_eq(elems_agree("[1,2]"), 0);
	/* refused by both, whatever part is wrong */
	ck_assert_int_eq(elems_agree("{\"manifests\":[{\"a\":1,\"a\":2}]}"), -1);         /* duplicate key in an element */
	ck_assert_int_eq(elems_agree("{\"manifests\":[],\"manifests\":[1]}"), -1);         /* the key twice */
	ck_assert_int_eq(elems_agree("{\"manifests\":[1],\"manif\\u0065sts\":[2]}"), -1);  /* twice, once escaped */
	ck_assert_int_eq(elems_agree("{\"manifests\":[1,]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[,1]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[1 2]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[{\"a\":}]}"), -1);                  /* inside an element */
	/* a later element wrong: nothing is handed out before the document is judged */
	ck_assert_int_eq(elems_agree("{\"manifests\":[1,{\"a\":}]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[{},{\"a\":1,\"a\":2}]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[tru]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[1]} x"), -1);                       /* after the document */
	ck_assert_int_eq(elems_agree("{\"manifests\":[1],}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[1] \"x\":1}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[\"a\\u0000b\"]}"), -1);             /* escaped NUL */
	ck_assert_int_eq(elems_agree("{\"manifests\":[\"\xff\"]}"), -1);                  /* not UTF-8 */
	ck_assert_int_eq(elems_agree("{\"manifests\":[1]"), -1);
	/* brackets closed by the other kind (found by fuzz_common: a scan
	 * that only counted them took "[ }" for an empty array) */
	ck_assert_int_eq(elems_agree("{\"m\":[1],\"manifests\" : [ }}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[{\"a\":[1}]}]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[{\"a\":1]]}"), -1);
	/* a byte-order mark inside: cJSON skips one that starts what it parses */
	ck_assert_int_eq(elems_agree("{\"manifests\":[\xef\xbb\xbf" "64]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[1,\xef\xbb\xbf{}]}"), -1);
	ck_assert_int_eq(elems_agree("{\"manifests\":[1}"), -1);
	{
		/* nesting: the limit counts from the document's root, not the
		 * element's (the root 1, the array 2, its element 3) */
		char doc[512];

		for (int extra = 0; extra < 2; extra++) {
			int levels = AL_JSON_MAX_DEPTH - 2 + extra; /* brackets inside the array */
			size_t n = (size_t)snprintf(doc, sizeof(doc), "{\"manifests\":[");

			for (int i = 0; i < levels; i++)
				doc[n++] = '[';
			for (int i = 0; i < levels; i++)
				doc[n++] = ']';
			snprintf(doc + n, sizeof(doc) - n, "]}");
			ck_assert_int_eq(elems_agree(doc), extra ? -1 : 1);
		}
	}
}
END_TEST

START_TEST(json_canonical_splice_same_bytes)
{
	al_json *whole = NULL, *parts = cJSON_CreateObject();
	al_buf a = { 0 }, b = { 0 };
	int calls = 0;

	/* placeholders sort among the keys like any member */
	ck_assert_ok(al_json_parse(al_bytes_str("{\"z\":{\"n3\":[1,2,3]},\"n0\":[],\"a\":\"x\"}"), &whole, &err),
		     &err);
	ck_assert(cJSON_AddItemToObject(parts, "z", cJSON_CreateObject()));
	ck_assert(cJSON_AddItemToObject(cJSON_GetObjectItem(parts, "z"), "n3", cJSON_CreateRaw("")));
	ck_assert(cJSON_AddItemToObject(parts, "n0", cJSON_CreateRaw("")));
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(parts, "a", "x"));
	ck_assert_ok(al_json_canonical(whole, &a, &err), &err);
	ck_assert_ok(al_json_canonical_splice(parts, splice_ints, &calls, &b, &err), &err);
	ck_assert_int_eq(calls, 2);
	ck_assert_msg(a.n == b.n && memcmp(a.p, b.p, a.n) == 0, "%.*s != %.*s", (int)a.n, (const char *)a.p,
		      (int)b.n, (const char *)b.p);
	/* a placeholder and no writer, or a writer that fails: an error, not a document */
	b.n = 0;
	ck_assert_int_eq(al_json_canonical(parts, &b, &err), AL_E_INTERNAL);
	ck_assert(cJSON_AddItemToObject(parts, "bad", cJSON_CreateRaw("")));
	ck_assert_int_eq(al_json_canonical_splice(parts, splice_ints, &calls, &b, &err), AL_E_NOMEM);
	al_json_free(whole);
	cJSON_Delete(parts);
	al_buf_free(&a);
	al_buf_free(&b);
}
END_TEST

START_TEST(json_go_fold_ascii_case)
{
	ck_assert_ok(check_fields("{\"mediaType\":\"a\",\"digest\":\"b\",\"size\":1}", desc_fields), &err);
	/* the spelling Go would take last */
	ck_assert_rc(check_fields("{\"digest\":\"A\",\"Digest\":\"B\"}", desc_fields), AL_E_JSON, &err);
	ck_assert_str_eq(err.msg,
			 "index.json manifests[0]: key \"Digest\" is read as \"digest\" by Go consumers; refused");
	/* a folded spelling alone is refused too: Go reads it, airlock would not */
	ck_assert_rc(check_fields("{\"DIGEST\":\"B\"}", desc_fields), AL_E_JSON, &err);
	ck_assert_rc(check_fields("{\"MediaType\":\"x\"}", desc_fields), AL_E_JSON, &err);
	ck_assert_rc(check_fields("{\"mediatype\":\"x\"}", desc_fields), AL_E_JSON, &err);
}
END_TEST

START_TEST(json_go_fold_unicode)
{
	static const char *const key_fields[] = { "key", "keyid", NULL };

	/* U+017F LATIN SMALL LETTER LONG S folds to 'S' */
	ck_assert_rc(check_fields("{\"digest\":\"A\",\"dige\xc5\xbft\":\"B\"}", desc_fields), AL_E_JSON, &err);
	ck_assert_str_eq(err.msg,
			 "index.json manifests[0]: key \"dige\xc5\xbft\" is read as \"digest\" by Go consumers; refused");
	ck_assert_rc(check_fields("{\"\\u017fize\":1}", desc_fields), AL_E_JSON, &err);
	/* U+212A KELVIN SIGN folds to 'K' */
	ck_assert_rc(check_fields("{\"\xe2\x84\xaa" "ey\":\"x\"}", key_fields), AL_E_JSON, &err);
	ck_assert_rc(check_fields("{\"\\u212Aeyid\":\"x\"}", key_fields), AL_E_JSON, &err);
	ck_assert_ok(check_fields("{\"key\":\"x\",\"keyid\":\"y\"}", key_fields), &err);
}
END_TEST

START_TEST(json_go_fold_duplicates_and_different_keys)
{
	/* two keys that fold together, neither a field: still one key to Go */
	ck_assert_rc(check_fields("{\"foo\":1,\"FOO\":2}", desc_fields), AL_E_JSON, &err);
	ck_assert(strstr(err.msg, "are the same key to Go consumers") != NULL);
	ck_assert_rc(check_fields("{\"caf\xc3\xa9\":1,\"CAF\xc3\x89\":2}", NULL), AL_E_JSON, &err);  /* é, É */
	ck_assert_rc(check_fields("{\"\xce\xa9\":1,\"\xe2\x84\xa6\":2}", NULL), AL_E_JSON, &err);      /* Ω, OHM SIGN */
	ck_assert_rc(check_fields("{\"\xc3\x9f\":1,\"\xe1\xba\x9e\":2}", NULL), AL_E_JSON, &err);      /* ß, ẞ */
	ck_assert_rc(check_fields("{\"\xcf\x83\":1,\"\xcf\x82\":2}", NULL), AL_E_JSON, &err);          /* σ, ς */
	/* untrusted keys are escaped in the message */
	ck_assert_rc(check_fields("{\"a\\u001b[2J\":1,\"A\\u001b[2J\":2}", NULL), AL_E_JSON, &err);
	ck_assert_ptr_null(strchr(err.msg, 0x1b));
	ck_assert(strstr(err.msg, "\\x1b[2J") != NULL);
	/* genuinely different keys pass: near misses, and letters that only look
	 * alike (dotless i U+0131 and dotted I U+0130 have no simple folding) */
	ck_assert_ok(check_fields("{\"digests\":1,\"dig\":2,\"digest_\":3,\"d\xc4\xb1gest\":4,\"D\xc4\xb0GEST\":5,"
				  "\"size\":6,\"sizes\":7}",
				  desc_fields),
		     &err);
	ck_assert_ok(check_fields("{}", desc_fields), &err);
	ck_assert_ok(check_fields("{\"a\":1,\"b\":2,\"\xc3\xa9\":3,\"e\":4}", NULL), &err);
	/* not an object */
	ck_assert_rc(check_fields("[1]", desc_fields), AL_E_JSON, &err);
}
END_TEST

/* ---------------------------------------------------------------- UTF-8 and the fold */

/* al_utf8_decode on a C string literal (which may hold NULs: n is explicit). */
static size_t
dec(const char *s, size_t n, uint32_t *cp)
{
	return al_utf8_decode((const uint8_t *)s, n, cp);
}

START_TEST(utf8_decode_well_formed_and_each_malformation)
{
	static const struct {
		const char *s;
		size_t n, len;
		uint32_t cp;
	} ok[] = {
		{ "\x00", 1, 1, 0x0 },                  { "\x7f", 1, 1, 0x7F },
		{ "\xc2\x80", 2, 2, 0x80 },             { "\xdf\xbf", 2, 2, 0x7FF },
		{ "\xe0\xa0\x80", 3, 3, 0x800 },        { "\xed\x9f\xbf", 3, 3, 0xD7FF },
		{ "\xee\x80\x80", 3, 3, 0xE000 },       { "\xef\xbf\xbd", 3, 3, 0xFFFD },
		{ "\xef\xbf\xbf", 3, 3, 0xFFFF },       { "\xf0\x90\x80\x80", 4, 4, 0x10000 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF }, { "\xc3\xa9zz", 4, 2, 0xE9 }, /* one sequence only */
	};
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{ "\x80", 1 }, { "\xbf\x80", 2 },                             /* stray continuation */
		{ "\xf8\x88\x80\x80\x80", 5 }, { "\xfe", 1 }, { "\xff", 1 },  /* no such leading byte */
		{ "\xc3\x28", 2 }, { "\xe2\x28\xa1", 3 }, { "\xe2\x82\x28", 3 },
		{ "\xf0\x9f\x98\x28", 4 }, { "\xc3\xc3\xa9", 3 },            /* bad continuation */
		{ "\xc3", 1 }, { "\xe2\x82", 2 }, { "\xf0\x9f\x98", 3 },      /* truncated */
		{ "\xc0\xaf", 2 }, { "\xc1\xbf", 2 }, { "\xe0\x80\xaf", 3 },
		{ "\xe0\x9f\xbf", 3 }, { "\xf0\x80\x80\xaf", 4 },
		{ "\xf0\x8f\xbf\xbf", 4 },                                    /* overlong */
		{ "\xed\xa0\x80", 3 }, { "\xed\xbf\xbf", 3 },                 /* surrogate */
		{ "\xf4\x90\x80\x80", 4 }, { "\xf5\x80\x80\x80", 4 },
		{ "\xf7\xbf\xbf\xbf", 4 },                                    /* above U+10FFFF */
	};
	uint32_t cp;
	size_t at;

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		cp = 0xDEADBEEF;
		ck_assert_uint_eq(dec(ok[i].s, ok[i].n, &cp), ok[i].len);
		ck_assert_uint_eq(cp, ok[i].cp);
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		cp = 0xDEADBEEF;
		ck_assert_msg(dec(bad[i].s, bad[i].n, &cp) == 0, "bad[%zu] accepted", i);
		ck_assert_uint_eq(cp, 0xDEADBEEF);
		ck_assert(!al_utf8_valid(al_bytes_of(bad[i].s, bad[i].n), NULL));
	}
	/* no bytes is no sequence (though an empty input is valid text) */
	ck_assert_uint_eq(dec("", 0, &cp), 0);

	/* validity of whole inputs, and where the first bad sequence starts */
	ck_assert(al_utf8_valid(al_bytes_of(NULL, 0), NULL));
	ck_assert(al_utf8_valid(al_bytes_str("caf\xc3\xa9 \xe2\x84\xaa \xf0\x9f\x98\x80"), &at));
	ck_assert(!al_utf8_valid(al_bytes_str("ab\xc3\xa9\xed\xa0\x80z"), &at));
	ck_assert_uint_eq(at, 4);
	ck_assert(!al_utf8_valid(al_bytes_str("abc\xe2\x82"), &at));
	ck_assert_uint_eq(at, 3);
	ck_assert(!al_utf8_valid(al_bytes_str("\x80"), &at));
	ck_assert_uint_eq(at, 0);
}
END_TEST

START_TEST(utf8_round_trip_and_exhaustive_short_inputs)
{
	uint8_t b[4];
	uint32_t cp;

	/* Over a million cases: each ck_assert is a message to check's parent
	 * process, so the loops test plainly and abort on the first miss. */

	/* every scalar value encodes to the length RFC 3629 gives and back */
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		size_t n, want;

		if (c == 0xD800)
			c = 0xE000;
		want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		n = al_utf8_encode(c, b);
		cp = 0xDEADBEEF;
		if (n != want || al_utf8_decode(b, n, &cp) != n || cp != c)
			ck_abort_msg("U+%04X: encoded in %zu bytes, decoded as U+%04X", (unsigned)c, n, (unsigned)cp);
		/* one byte short is truncated */
		if (n > 1 && al_utf8_decode(b, n - 1, &cp) != 0)
			ck_abort_msg("U+%04X: a truncated encoding was accepted", (unsigned)c);
	}
	/* every input of two bytes and every three-byte one led by 0xE0-0xEF:
	 * whatever is accepted is a scalar value's one encoding (so no overlong,
	 * no surrogate slips through); the round trip above gives the converse */
	for (uint32_t v = 0; v < 0x10000 + 0x100000; v++) {
		uint8_t in[3];
		size_t n, k;
		uint8_t again[4];

		if (v < 0x10000) {
			in[0] = (uint8_t)(v >> 8), in[1] = (uint8_t)v, n = 2;
		} else {
			uint32_t w = v - 0x10000;

			in[0] = (uint8_t)(0xE0 | w >> 16), in[1] = (uint8_t)(w >> 8), in[2] = (uint8_t)w, n = 3;
		}
		k = al_utf8_decode(in, n, &cp);
		if (k == 0)
			continue;
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || al_utf8_encode(cp, again) != k ||
		    memcmp(again, in, k) != 0)
			ck_abort_msg("%02x %02x %02x: accepted as U+%04X, which is not its encoding", in[0], in[1],
				     n > 2 ? in[2] : 0, (unsigned)cp);
	}
}
END_TEST

START_TEST(fold_rune_go_classes)
{
	uint8_t a[4], b[4];

	ck_assert_uint_eq(al_fold_rune(0x017F), 'S');        /* ſ LONG S */
	ck_assert_uint_eq(al_fold_rune('s'), 'S');
	ck_assert_uint_eq(al_fold_rune(0x212A), 'K');        /* KELVIN SIGN */
	ck_assert_uint_eq(al_fold_rune('k'), 'K');
	ck_assert_uint_eq(al_fold_rune('K'), 'K');
	ck_assert_uint_eq(al_fold_rune(0xE9), al_fold_rune(0xC9));   /* é, É */
	ck_assert_uint_eq(al_fold_rune(0x3C3), al_fold_rune(0x3C2)); /* σ, ς */
	ck_assert_uint_eq(al_fold_rune(0x3C2), al_fold_rune(0x3A3)); /* ς, Σ */
	ck_assert_uint_eq(al_fold_rune(0x1E9E), al_fold_rune(0xDF)); /* ẞ, ß */
	/* dotless ı and dotted İ fold to i only under Turkish or full folding */
	ck_assert_uint_ne(al_fold_rune(0x131), al_fold_rune('i'));
	ck_assert_uint_ne(al_fold_rune(0x130), al_fold_rune('i'));
	ck_assert_uint_ne(al_fold_rune(0x131), al_fold_rune(0x130));
	/* not letters, or letters without case: themselves */
	ck_assert_uint_eq(al_fold_rune('1'), '1');
	ck_assert_uint_eq(al_fold_rune('@'), '@');
	ck_assert_uint_eq(al_fold_rune(0x4E00), 0x4E00);
	ck_assert_uint_eq(al_fold_rune(0xFFFD), 0xFFFD);
	ck_assert_uint_gt(strlen(al_fold_unicode), 0);
	/* a key, not a mapping: folding a key changes nothing, and never makes
	 * the UTF-8 longer (callers size buffers by the input) */
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		uint32_t f;

		if (c == 0xD800)
			c = 0xE000;
		f = al_fold_rune(c);
		if (f > c || al_fold_rune(f) != f || al_utf8_encode(f, a) > al_utf8_encode(c, b))
			ck_abort_msg("U+%04X folds to U+%04X: not the smallest of a class, or longer", (unsigned)c,
				     (unsigned)f);
	}
}
END_TEST

/* ---------------------------------------------------------------- regular files only */

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

START_TEST(read_file_refuses_fifo_and_devices_at_once)
{
	char dir[] = "/tmp/al_test_common_XXXXXX", fifo[64], reg[64];
	al_buf b = { 0 };
	time_t t0;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(reg, sizeof(reg), "%s/reg", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* no writer ever comes: a blocking open would hang here (and the test time out) */
	t0 = time(NULL);
	ck_assert_rc(al_read_file(fifo, 1024, &b, &err), AL_E_IO, &err);
	ck_assert(strstr(err.msg, "is a FIFO, expected a regular file") != NULL);
	ck_assert_rc(al_read_file("/dev/zero", 1024, &b, &err), AL_E_IO, &err);
	ck_assert(strstr(err.msg, "is a device") != NULL);
	ck_assert_rc(al_read_file(dir, 1024, &b, &err), AL_E_IO, &err);
	ck_assert(strstr(err.msg, "is a directory") != NULL);
	ck_assert_rc(al_open_regular(fifo, "artifact ", &fd, &err), AL_E_IO, &err);
	ck_assert_int_eq(fd, -1);
	ck_assert(strncmp(err.msg, "artifact ", 9) == 0);
	ck_assert_int_le(time(NULL) - t0, 1);
	/* the twin: a regular file reads, and its descriptor is blocking again */
	fd = open(reg, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "abc", 3), 3);
	close(fd);
	ck_assert_ok(al_read_file(reg, 1024, &b, &err), &err);
	ck_assert(al_bytes_eq_str(al_buf_bytes(&b), "abc"));
	ck_assert_ok(al_open_regular(reg, "", &fd, &err), &err);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	al_buf_free(&b);
	unlink(fifo);
	unlink(reg);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, err_prefix_and_exit);
	tcase_add_test(tc, err_long_messages_truncate_safely);
	tcase_add_test(tc, reader_bounds_are_sticky);
	tcase_add_test(tc, reader_vec_longer_than_input);
	tcase_add_test(tc, reader_until);
	tcase_add_test(tc, base64_rfc4648_vectors);
	tcase_add_test(tc, base64_rejects_noncanonical);
	tcase_add_test(tc, base64_url);
	tcase_add_test(tc, hex_roundtrip_and_rejects);
	tcase_add_test(tc, pem_blocks_and_labels);
	tcase_add_test(tc, json_strict_rejects);
	tcase_add_test(tc, json_depth_limit);
	tcase_add_test(tc, json_typed_getters_with_paths);
	tcase_add_test(tc, ct_eq);
	tcase_add_test(tc, sandbox_kills_socket_and_exec);
	tcase_add_test(tc, sandbox_no_writes);
	tcase_add_test(tc, text_forged_report_lines_stay_one_line);
	tcase_add_test(tc, text_unicode_controls_and_invalid_utf8);
	tcase_add_test(tc, text_truncation_is_bounded_and_marked);
	tcase_add_test(tc, text_clean_accepts_escaped_text_only);
	tcase_add_test(tc, text_random_bytes_always_one_safe_line);
	tcase_add_test(tc, parse_size_units_and_rejects);
	tcase_add_test(tc, json_value_limit_exact);
	tcase_add_test(tc, json_depth_limit_before_cjson);
	tcase_add_test(tc, json_memory_bounded_before_allocation);
	tcase_add_test(tc, json_canonical_rfc8785);
	tcase_add_test(tc, json_go_fold_ascii_case);
	tcase_add_test(tc, json_go_fold_unicode);
	tcase_add_test(tc, json_go_fold_duplicates_and_different_keys);
	tcase_add_test(tc, utf8_decode_well_formed_and_each_malformation);
	tcase_add_test(tc, utf8_round_trip_and_exhaustive_short_inputs);
	tcase_add_test(tc, fold_rune_go_classes);
	tcase_add_test(tc, read_file_refuses_fifo_and_devices_at_once);
	tcase_add_test(tc, arena_intern_shares_only_equal_strings);
	tcase_add_test(tc, json_canonical_splice_same_bytes);
	tcase_add_test(tc, json_elems_same_as_parse);
	tcase_add_test(tc, json_elems_bounds);
	tcase_add_test(tc, siphash_vectors_and_process_key);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return al_test_run(s);
}
