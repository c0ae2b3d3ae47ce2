#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "trust-roots/trust.h"
#include "util/testutil.h"

/* ---------------------------------------------------------------- skips */

/* Check runs every test in a child process of its own, so the count lives
 * in memory shared with the runner (set up by al_test_run); a skip outside
 * al_test_run counts locally. */
static int skips_local;
static int *skips = &skips_local;
/* the test that last counted a skip, so a test counts once however often it
 * skips a part: a forked test is its own pid, a test run without fork
 * (CK_FORK=no) its own name */
static pid_t skip_pid;
static const char *skip_test;

static const char *
shared_dir(void)
{
	const char *s = getenv("AL_SHARED");
	struct stat st;

	return s && stat(s, &st) == 0 && S_ISDIR(st.st_mode) ? s : NULL;
}

static bool
strict(void)
{
	const char *v = getenv("AL_TEST_STRICT");

	return v != NULL && strcmp(v, "1") == 0;
}

/* "name_fn" (what START_TEST calls the function) as the test's name */
static void
test_name(const char *fn, char *out, size_t n)
{
	size_t len = strlen(fn);

	if (len > 3 && strcmp(fn + len - 3, "_fn") == 0)
		len -= 3;
	snprintf(out, n, "%.*s", (int)len, fn);
}

static void
count_skip(const char *test)
{
	pid_t pid = getpid();

	if (pid == skip_pid && skip_test != NULL && strcmp(skip_test, test) == 0)
		return;
	skip_pid = pid;
	skip_test = test;
	__atomic_add_fetch(skips, 1, __ATOMIC_SEQ_CST);
}

void
al_test_skip_at(const char *test, const char *what)
{
	char name[128];

	test_name(test, name, sizeof(name));
	fprintf(stderr, "*** SKIPPED: %s: %s: needs %s ***\n", program_invocation_short_name, name, what);
	count_skip(test);
}

const char *
al_test_shared_at(const char *test, const char *what)
{
	const char *s = shared_dir();
	const char *env = getenv("AL_SHARED");
	char name[128];

	if (s != NULL)
		return s;
	test_name(test, name, sizeof(name));
	fprintf(stderr, "*** SKIPPED: %s: %s: needs ../shared (%s), which is absent (AL_SHARED=%s) ***\n",
		program_invocation_short_name, name, what, env ? env : "(unset)");
	count_skip(test);
	return NULL;
}

void
al_test_shared_missing_at(const char *test, const char *what)
{
	char name[128];

	test_name(test, name, sizeof(name));
	if (strict() && shared_dir() != NULL)
		ck_abort_msg("%s: ../shared lacks %s, and AL_TEST_STRICT=1 allows no skip when ../shared "
			     "is present", name, what);
	fprintf(stderr, "*** SKIPPED: %s: %s: ../shared lacks %s; that part did not run ***\n",
		program_invocation_short_name, name, what);
	count_skip(test);
}

bool
al_test_shared_has_at(const char *test, const char *rel)
{
	struct stat st;

	if (shared_dir() == NULL)
		return al_test_shared_at(test, rel) != NULL;
	if (stat(al_test_shared_path(rel), &st) == 0)
		return true;
	al_test_shared_missing_at(test, rel);
	return false;
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
	int *shm = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int failed, run, skipped;

	if (shm == MAP_FAILED) {
		fprintf(stderr, "al_test_run: mmap: %s\n", strerror(errno));
		srunner_free(sr);
		return EXIT_FAILURE;
	}
	*shm = 0;
	skips = shm;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	run = srunner_ntests_run(sr);
	skipped = *shm;
	skips = &skips_local;
	munmap(shm, sizeof(int));
	srunner_free(sr);
	if (skipped > 0)
		printf("*** %s: %d external test%s SKIPPED (of %d run): see the SKIPPED lines above ***\n",
		       program_invocation_short_name, skipped, skipped == 1 ? "" : "s", run);
	if (failed)
		return EXIT_FAILURE;
	/* nothing ran but skips: 77, which ctest shows as skipped */
	return run > 0 && skipped >= run ? 77 : EXIT_SUCCESS;
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
