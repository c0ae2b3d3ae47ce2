#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "trust-roots/trust.h"
#include "util/testutil.h"

const char *
al_test_shared(const char *suite)
{
	static int warned;
	const char *s = getenv("AL_SHARED");
	struct stat st;

	if (s && stat(s, &st) == 0 && S_ISDIR(st.st_mode))
		return s;
	if (!warned++)
		fprintf(stderr, "\n*** SKIPPED: %s: ../shared is absent (AL_SHARED=%s); "
				"its external-vector tests did not run ***\n\n",
			suite, s ? s : "(unset)");
	return NULL;
}

const char *
al_test_shared_path(const char *rel)
{
	static char buf[4096];
	const char *s = getenv("AL_SHARED");

	snprintf(buf, sizeof(buf), "%s/%s", s ? s : "../shared", rel);
	return buf;
}

const char *
al_test_src_path(const char *rel)
{
	static char buf[4096];
	const char *s = getenv("AL_SRC");

	snprintf(buf, sizeof(buf), "%s/%s", s ? s : ".", rel);
	return buf;
}

al_buf
al_test_read(const char *path)
{
	al_buf b = { 0 };
	al_err err;

	al_err_clear(&err);
	if (al_read_file(path, (size_t)1 << 30, &b, &err) != AL_OK)
		ck_abort_msg("cannot read %s: %s", path, err.msg);
	return b;
}

al_buf
al_test_hex(const char *hex)
{
	al_buf b = { 0 };
	al_err err;
	size_t n = strlen(hex) / 2;

	al_err_clear(&err);
	ck_assert(al_buf_reserve(&b, n, &err) == AL_OK);
	ck_assert_msg(al_hex_decode(al_bytes_str(hex), b.p, n, &err) == AL_OK, "bad hex: %s", err.msg);
	b.n = n;
	return b;
}

int
al_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *
al_test_errmsg(const al_err *e)
{
	return e ? e->msg : "";
}

char *
al_test_mutate(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n;
	char *out;

	ck_assert_msg(at != NULL, "template lacks \"%s\"", from);
	ck_assert_msg(strstr(at + 1, from) == NULL, "template has \"%s\" twice", from);
	n = strlen(s) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, s, (size_t)(at - s));
	strcpy(out + (at - s), to);
	strcat(out, at + strlen(from));
	return out;
}

bool
al_test_load_json(const char *path, al_buf *buf, al_json **j)
{
	al_err e;

	*j = NULL;
	al_err_clear(&e);
	if (al_read_file(path, AL_MAX_JSON_DOC, buf, &e) != AL_OK)
		return false;
	return al_json_parse(al_buf_bytes(buf), j, &e) == AL_OK;
}

int64_t
al_test_rfc3339(al_bytes s)
{
	int64_t t = 0;
	uint32_t ns = 0;
	al_err e;

	al_err_clear(&e);
	ck_assert_ok(al_rfc3339_parse(s, &t, &ns, &e), &e);
	return t;
}

void
al_test_valid_for(const al_json *obj, int64_t *start, int64_t *end)
{
	const al_json *vf = al_json_member(obj, "validFor");
	al_bytes s;
	al_err e;

	*start = INT64_MIN;
	*end = INT64_MAX;
	if (vf == NULL)
		return;
	al_err_clear(&e);
	ck_assert_ok(al_json_get_str(vf, "validFor", "start", false, &s, &e), &e);
	if (s.p)
		*start = al_test_rfc3339(s);
	ck_assert_ok(al_json_get_str(vf, "validFor", "end", false, &s, &e), &e);
	if (s.p)
		*end = al_test_rfc3339(s);
}

bool
al_test_bundle_leaf(const al_json *b, al_buf *der)
{
	const al_json *vm = al_json_member(b, "verificationMaterial"), *c, *chain, *certs;
	al_err e;

	if (vm == NULL)
		return false;
	c = al_json_member(vm, "certificate");
	if (c == NULL && (chain = al_json_member(vm, "x509CertificateChain")) != NULL &&
	    (certs = al_json_member(chain, "certificates")) != NULL && al_json_arr_len(certs) > 0)
		c = al_json_arr_at(certs, 0);
	if (c == NULL)
		return false;
	al_err_clear(&e);
	ck_assert_ok(al_json_get_b64(c, "cert", "rawBytes", true, der, &e), &e);
	return true;
}

al_buf
al_test_pki_fixture(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/data/pki/%s", name);
	return al_test_read(al_test_src_path(rel));
}

void
al_test_pki_add(struct al_certs *c, const char *name)
{
	al_buf b = al_test_pki_fixture(name);
	al_err e;

	al_err_clear(&e);
	ck_assert_ok(al_certs_add_der(c, al_buf_bytes(&b), &e), &e);
	al_buf_free(&b);
}
