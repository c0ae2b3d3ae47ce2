/*
 * fuzz_common.c — common/'s parsers: strict JSON (and its typed getters),
 * base64 in both alphabets, hex, PEM blocks, and the bounded reader.
 */
#include <stdint.h>
#include <string.h>

#include "common/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_bytes in = al_bytes_of(data, size);
	al_buf out = { 0 }, der = { 0 };
	al_json *j = NULL;
	al_err err;

	al_err_clear(&err);
	if (al_json_parse(in, &j, &err) == AL_OK) {
		/* walk the top level with every getter */
		for (const al_json *m = al_json_first(j); m; m = al_json_next(m)) {
			const char *k = al_json_key(m);
			const al_json *o;
			al_bytes s;
			int64_t v;
			bool b, present;

			if (al_json_get_obj(j, "", k, false, &o, &err) != AL_OK)
				al_err_clear(&err);
			if (al_json_get_arr(j, "", k, false, &o, &err) != AL_OK)
				al_err_clear(&err);
			if (al_json_get_str(j, "", k, false, &s, &err) != AL_OK)
				al_err_clear(&err);
			if (al_json_get_i64(j, "", k, false, &v, &present, &err) != AL_OK)
				al_err_clear(&err);
			if (al_json_get_bool(j, "", k, false, &b, &present, &err) != AL_OK)
				al_err_clear(&err);
			if (al_json_get_b64(j, "", k, false, &out, &err) != AL_OK)
				al_err_clear(&err);
		}
		al_json_free(j);
	}
	if (al_b64_decode(in, false, &out, &err) != AL_OK)
				al_err_clear(&err);
	if (al_b64_decode(in, true, &out, &err) != AL_OK)
				al_err_clear(&err);
	if (size <= 128) {
		uint8_t h[64];

		if (al_hex_decode(in, h, size / 2, &err) != AL_OK)
				al_err_clear(&err);
	}
	{
		al_bytes rest = in;
		char label[64];

		for (int i = 0; i < 20 && rest.n > 0; i++) {
			if (al_pem_next(&rest, NULL, label, &der, &err) != AL_OK || der.n == 0)
				break;
		}
	}
	{
		al_rd r = al_rd_of(in);

		while (al_rd_ok(&r) && r.n > 0) {
			(void)al_rd_take_vec(&r, 1 + (unsigned)(r.n % 3));
			(void)al_rd_until(&r, '\n');
		}
	}
	al_buf_free(&out);
	al_buf_free(&der);
	return 0;
}
