#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
