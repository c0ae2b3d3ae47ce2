/*
 * fuzz_common.c — common/'s parsers: strict JSON (and its typed getters),
 * RFC 8785 canonical output (a fixed point), base64 in both alphabets, hex, PEM blocks, and the bounded reader;
 * al_json_parse_elems must accept exactly what al_json_parse accepts, with the same elements
 * (within al_json_parse's bounds: beyond them it has its own, AL_MAX_JSON_STREAM_*).
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
		/* canonical output is a fixed point: it parses strictly, and
		 * canonicalizing it again gives the same bytes (integers only; other
		 * numbers are refused, never rounded) */
		{
			al_buf c1 = { 0 }, c2 = { 0 };
			al_json *j2 = NULL;

			if (al_json_canonical(j, &c1, &err) == AL_OK) {
				if (al_json_parse(al_buf_bytes(&c1), &j2, &err) != AL_OK ||
				    al_json_canonical(j2, &c2, &err) != AL_OK || c1.n != c2.n ||
				    memcmp(c1.p, c2.p, c1.n) != 0)
					__builtin_trap();
			}
			al_err_clear(&err);
			al_json_free(j2);
			al_buf_free(&c1);
			al_buf_free(&c2);
		}
		al_json_free(j);
	}
	{
		al_json *full = NULL, *rest = NULL;
		al_json_elems v;
		const al_json *e, *arr = NULL, *at = NULL;
		al_rc r1, r2;

		r1 = al_json_parse(in, &full, &err);
		al_err_clear(&err);
		r2 = al_json_parse_elems(in, "manifests", &rest, &v, &err);
		if (r1 == AL_OK && al_json_is_arr(arr = al_json_member(full, "manifests")))
			at = al_json_first(arr);
		while (r2 == AL_OK && (r2 = al_json_elems_next(&v, &e, &err)) == AL_OK && e != NULL) {
			al_buf a = { 0 }, b = { 0 };
			al_rc c1, c2;

			if (r1 == AL_E_LIMIT)
				break; /* beyond a whole tree's bounds, within those of one read an element at a time */
			if (r1 != AL_OK || at == NULL)
				__builtin_trap(); /* an element of a refused document, or one too many */
			c1 = al_json_canonical(at, &a, &err);
			c2 = al_json_canonical(e, &b, &err);
			if (c1 != c2 || (c1 == AL_OK && (a.n != b.n || memcmp(a.p, b.p, a.n) != 0)))
				__builtin_trap(); /* another value */
			al_buf_free(&a);
			al_buf_free(&b);
			at = al_json_next(at);
		}
		al_err_clear(&err);
		if (r1 != AL_E_LIMIT && ((r1 == AL_OK) != (r2 == AL_OK) || (r2 == AL_OK && at != NULL)))
			__builtin_trap(); /* one accepts what the other refuses, or an element is missing */
		al_json_elems_free(&v);
		al_json_free(rest);
		al_json_free(full);
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
