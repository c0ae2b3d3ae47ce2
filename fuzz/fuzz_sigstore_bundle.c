/*
 * fuzz_sigstore_bundle.c — Sigstore bundles (al_sigstore_bundle_parse) and
 * standalone DSSE envelopes (al_dsse_envelope_parse).
 *
 * A bundle that parses has its model read end to end (every byte field
 * touched, so ASan sees any length that lies), and a DSSE payload is handed
 * on to the in-toto parser, as verify/ does.
 */
#include <stddef.h>
#include <stdint.h>

#include "sigstore/sigstore.h"

static volatile uint64_t sink;

static void
touch(al_bytes b)
{
	for (size_t i = 0; i < b.n; i++)
		sink += b.p[i];
}

static void
walk(const al_sigstore_bundle *b)
{
	al_intoto_statement st;
	al_err err;

	touch(al_buf_bytes(&b->media_type));
	touch(al_sigstore_bundle_signature(b));
	touch(al_buf_bytes(&b->digest));
	touch(al_buf_bytes(&b->key_hint));
	for (size_t i = 0; i < b->ncerts; i++)
		touch(al_buf_bytes(&b->certs[i]));
	for (size_t i = 0; i < b->nts; i++)
		touch(al_buf_bytes(&b->ts[i]));
	for (size_t i = 0; i < b->ntlog; i++) {
		const al_sigstore_tlog_entry *e = &b->tlog[i];

		touch(al_buf_bytes(&e->log_id));
		touch(al_buf_bytes(&e->kind));
		touch(al_buf_bytes(&e->version));
		touch(al_buf_bytes(&e->body));
		touch(al_buf_bytes(&e->set));
		touch(al_buf_bytes(&e->proof.checkpoint));
		touch(al_bytes_of(e->proof.hashes, e->proof.nhashes * 32));
		sink += (uint64_t)e->log_index + (uint64_t)e->integrated_time + (uint64_t)e->proof.tree_size;
	}
	if (b->is_dsse) {
		for (size_t i = 0; i < b->dsse.nsigs; i++)
			touch(al_buf_bytes(&b->dsse.sigs[i].keyid));
		al_err_clear(&err);
		if (al_intoto_parse(al_buf_bytes(&b->dsse.payload_type), al_buf_bytes(&b->dsse.payload), &st,
				    &err) == AL_OK)
			sink += st.nsubjects;
		al_intoto_free(&st);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_sigstore_bundle b;
	al_dsse_envelope env;
	al_err err;

	al_err_clear(&err);
	sink += (uint64_t)al_sigstore_bundle_version(al_bytes_of(data, size));
	if (al_sigstore_bundle_parse(al_bytes_of(data, size), &b, &err) == AL_OK)
		walk(&b);
	al_sigstore_bundle_free(&b);
	if (al_dsse_envelope_parse(al_bytes_of(data, size), &env, &err) == AL_OK) {
		touch(al_buf_bytes(&env.payload));
		for (size_t i = 0; i < env.nsigs; i++)
			touch(al_buf_bytes(&env.sigs[i].sig));
	}
	al_dsse_envelope_free(&env);
	return 0;
}
