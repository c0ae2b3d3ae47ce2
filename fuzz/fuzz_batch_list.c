/*
 * fuzz_batch_list.c — the LIST of verify-bundle --batch (verify/batch_list.c).
 *
 * Whatever the input, a LIST that parses gives lines whose two fields are
 * non-empty, hold no tab, newline or NUL, and lie inside the input, and no
 * more than AL_MAX_BATCH of them; one that does not gives a usage error
 * (exit 2), never another class (abort() otherwise).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

static void
field_ok(const char *f, const char *buf, size_t n)
{
	size_t len = strlen(f);

	if (len == 0 || f < buf || f + len > buf + n || strpbrk(f, "\t\n") != NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	al_batch_line *lines = NULL;
	size_t n = 0;
	al_err err;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	al_err_clear(&err);
	if (al_batch_list_parse(buf, size, &lines, &n, &err) == AL_OK) {
		if (n == 0 || n > AL_MAX_BATCH)
			abort();
		for (size_t i = 0; i < n; i++) {
			field_ok(lines[i].bundle, buf, size);
			field_ok(lines[i].artifact, buf, size);
			if (lines[i].bundle[0] == '#')
				abort();
		}
		free(lines);
	} else if (al_rc_exit(err.code) != 2 || lines != NULL || n != 0 || err.msg[0] == '\0') {
		abort();
	}
	free(buf);
	return 0;
}
