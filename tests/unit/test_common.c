/*
 * test_common.c — errors, reader, base64, hex, PEM and strict JSON.
 * Every accepting case has a rejecting twin.
 */
#include <string.h>

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
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		al_json *j = NULL;

		ck_assert_msg(parse(bad[i], &j) != AL_OK, "accepted case %zu", i);
		ck_assert_ptr_null(j);
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

#include <signal.h>
#include <sys/socket.h>
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
	suite_add_tcase(s, tc);
	return al_test_run(s);
}
