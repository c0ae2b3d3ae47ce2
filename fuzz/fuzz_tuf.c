/*
 * fuzz_tuf.c — TUF metadata (trust-roots/tuf_meta.c) and the update
 * workflow's first steps.
 *
 * The input is parsed by its own "_type" (al_tuf_inspect), serialised as
 * canonical JSON, and then used as the trusted root of an update over a
 * repository that holds the same bytes as every file it is asked for, so
 * the self-signature check, rotation, timestamp and snapshot parsing all
 * see hostile bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "trust-roots/trust.h"

static volatile uintptr_t sink;

/* Every repository file is the input itself. */
static al_rc
read_same(void *ctx, const char *name, size_t max, al_buf *out, bool *found, al_err *err)
{
	const al_bytes *in = ctx;

	(void)name;
	*found = true;
	if (in->n > max)
		return al_err_set(err, AL_E_LIMIT, "too large");
	return al_buf_dup(out, *in, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_bytes in = al_bytes_of(data, size);
	al_tuf_reader rd = { read_same, &in };
	al_tuf_state st = { in, in, in, in };
	const char *targets[] = { "a/b.txt" };
	al_tuf_result res;
	al_tuf_info info;
	al_json *j = NULL;
	al_err err;

	al_err_clear(&err);
	if (al_tuf_inspect(in, &info, &err) == AL_OK)
		sink += (uintptr_t)info.version + info.nsignatures + (uintptr_t)info.type[0];
	if (al_json_parse(in, &j, &err) == AL_OK) {
		al_buf canon = { 0 };

		if (al_tuf_canonical(j, &canon, &err) == AL_OK)
			sink += canon.n;
		al_buf_free(&canon);
	}
	al_json_free(j);
	/* 2026-01-15T10:00:00Z */
	if (al_tuf_update(&rd, &st, INT64_C(1768471200), targets, 1, &res, &err) == AL_OK)
		sink += res.nfiles;
	al_tuf_result_free(&res);
	return 0;
}
