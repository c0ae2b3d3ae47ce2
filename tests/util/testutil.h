/*
 * testutil.h — helpers shared by the Check suites.
 */
#ifndef AL_TESTUTIL_H
#define AL_TESTUTIL_H

#include <check.h>

#include "common/common.h"

/*
 * Tests that need ../shared (external vectors, read in place). Skips are
 * never silent:
 *  - al_test_shared(what): the path of ../shared (AL_SHARED), or NULL when it
 *    is absent; then the calling test is recorded as skipped, a loud
 *    "*** SKIPPED: ... ***" line names it, and it must return.
 *  - al_test_shared_has(rel): whether ../shared holds rel (a file or folder);
 *    when it does not, the calling test is recorded as skipped and leaves that
 *    part out. al_test_shared_missing(what) records the same for a need the
 *    caller checked itself (a glob that matched nothing).
 *  - under AL_TEST_STRICT=1 with ../shared present, a missing part fails the
 *    test instead: then nothing should be missing.
 * al_test_run ends with "N external tests SKIPPED" when some were, and exits
 * 77 (ctest SKIP_RETURN_CODE: reported as skipped, never as passed) when every
 * test that ran was skipped. Skips are counted across Check's fork per test.
 */
#define al_test_shared(what) al_test_shared_at(__func__, (what))
#define al_test_shared_has(rel) al_test_shared_has_at(__func__, (rel))
#define al_test_shared_missing(what) al_test_shared_missing_at(__func__, (what))
/* A test whose input is not on this machine (a package's files, read in
 * place): records the test as skipped with a loud line naming what it
 * needs; the test must then return. */
#define al_test_skip(what) al_test_skip_at(__func__, (what))
void al_test_skip_at(const char *test, const char *what);
const char *al_test_shared_at(const char *test, const char *what);
bool al_test_shared_has_at(const char *test, const char *rel);
void al_test_shared_missing_at(const char *test, const char *what);
/* AL_SHARED-relative path into a static buffer (one at a time). */
const char *al_test_shared_path(const char *rel);
/* Source-tree-relative path into a static buffer (one at a time). */
const char *al_test_src_path(const char *rel);
/* Reads a file; fails the test if it cannot. */
al_buf al_test_read(const char *path);
/* Decodes hex; fails the test on bad input. Returns a buffer. */
al_buf al_test_hex(const char *hex);
/* The message of an error, or "" for NULL. */
const char *al_test_errmsg(const al_err *e);
/* A copy (malloc) of s with its one occurrence of from replaced by to; the
 * test fails when from is absent or appears twice. */
char *al_test_mutate(const char *s, const char *from, const char *to);
/* Reads and strictly parses a JSON file; false when either fails. */
bool al_test_load_json(const char *path, al_buf *buf, al_json **j);
/* Seconds of an RFC 3339 time (the test fails on a malformed one). */
int64_t al_test_rfc3339(al_bytes s);
/* obj.validFor {start, end} in seconds; absent ends are INT64_MIN / INT64_MAX. */
void al_test_valid_for(const al_json *obj, int64_t *start, int64_t *end);
/* The signing certificate (DER) of a Sigstore bundle document; false when
 * it carries none. */
bool al_test_bundle_leaf(const al_json *b, al_buf *der);
/* tests/data/pki/<name>, read; and appended to a certificate list. */
al_buf al_test_pki_fixture(const char *name);
struct al_certs;
void al_test_pki_add(struct al_certs *c, const char *name);

/* Runs a suite and returns the process exit status: 0 passed, 1 failed, 77
 * every test that ran was skipped (see al_test_shared). */
int al_test_run(Suite *s);

#define ck_assert_rc(expr, want, errp)                                                  \
	do {                                                                            \
		al_rc _rc = (expr);                                                     \
		ck_assert_msg(_rc == (want), "%s: got %s (0x%x) want %s: %s", #expr,    \
			      al_rc_name(_rc), (unsigned)_rc, al_rc_name(want),         \
			      al_test_errmsg(errp));                               \
	} while (0)
#define ck_assert_ok(expr, errp) ck_assert_rc(expr, AL_OK, errp)
/* The error's message names what it must (the field, the value). */
#define ck_assert_err_has(errp, s)                                                      \
	ck_assert_msg(strstr((errp)->msg, (s)) != NULL, "message \"%s\" lacks \"%s\"", \
		      (errp)->msg, (s))

#endif
