/*
 * testutil.h — helpers shared by the Check suites.
 */
#ifndef AL_TESTUTIL_H
#define AL_TESTUTIL_H

#include <check.h>

#include "common/common.h"

/* Path of ../shared (from AL_SHARED), or NULL when it is absent. The first
 * call that finds it absent prints a loud SKIPPED line naming the suite. */
const char *al_test_shared(const char *suite);
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
/* Runs a suite and returns the process exit status. */
int al_test_run(Suite *s);

#define ck_assert_rc(expr, want, errp)                                                  \
	do {                                                                            \
		al_rc _rc = (expr);                                                     \
		ck_assert_msg(_rc == (want), "%s: got %s (0x%x) want %s: %s", #expr,    \
			      al_rc_name(_rc), (unsigned)_rc, al_rc_name(want),         \
			      al_test_errmsg(errp));                               \
	} while (0)
#define ck_assert_ok(expr, errp) ck_assert_rc(expr, AL_OK, errp)

#endif
