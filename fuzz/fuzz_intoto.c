/*
 * fuzz_intoto.c — in-toto statements (al_intoto_parse) and subject
 * matching.
 *
 * The input is a statement; when it is instead a Sigstore bundle or a DSSE
 * envelope (the seeds from ../shared are), its payload is used, so the
 * corpus starts from real statements. Every digest of a parsed statement
 * is matched against itself and against a flipped copy.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sigstore/sigstore.h"

static volatile uint64_t sink;

static void
statement(al_bytes type, al_bytes payload)
{
	al_intoto_statement st;
	al_err err;

	al_err_clear(&err);
	if (al_intoto_parse(type, payload, &st, &err) == AL_OK) {
		for (size_t i = 0; i < st.nsubjects; i++) {
			const al_intoto_subject *s = &st.subjects[i];

			sink += s->name.n;
			for (size_t j = 0; j < s->ndigests; j++) {
				const al_intoto_digest *d = &s->digests[j];
				uint8_t x[AL_HASH_MAX];
				size_t at;

				sink += d->alg.n + d->value.n;
				if (d->hash == AL_HASH_NONE)
					continue;
				if (!al_intoto_match(&st, d->hash, d->d, &at) || at > i)
					__builtin_trap(); /* a subject's own digest must match it or an earlier one */
				memcpy(x, d->d, sizeof(x));
				x[0] ^= 1;
				sink += al_intoto_match(&st, d->hash, x, NULL);
			}
		}
		sink += st.predicate != NULL;
	}
	al_intoto_free(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_bytes in = al_bytes_of(data, size);
	al_sigstore_bundle b;
	al_dsse_envelope env;
	al_err err;

	statement(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), in);
	al_err_clear(&err);
	if (al_sigstore_bundle_parse(in, &b, &err) == AL_OK && b.is_dsse)
		statement(al_buf_bytes(&b.dsse.payload_type), al_buf_bytes(&b.dsse.payload));
	al_sigstore_bundle_free(&b);
	if (al_dsse_envelope_parse(in, &env, &err) == AL_OK)
		statement(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload));
	al_dsse_envelope_free(&env);
	return 0;
}
