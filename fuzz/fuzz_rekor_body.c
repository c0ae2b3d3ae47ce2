/*
 * fuzz_rekor_body.c — Rekor entry bodies. The first byte picks the
 * kindVersion the entry claims (its value mod 6; the seeds use '0'..'5'),
 * the rest is canonicalizedBody. A body that parses is then held against
 * a bundle made of its own fields (which must match) and against a
 * tampered one (which must not), rebuilt when it is a Rekor v2 kind, and
 * fed to the SET payload builder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/tlog.h"

/* The results are not the point here: that nothing crashes is. */
static void
ignore(al_rc rc)
{
	(void)rc;
}

static const char *const kinds[6][2] = {
	{ "hashedrekord", "0.0.1" }, { "dsse", "0.0.1" }, { "intoto", "0.0.1" },
	{ "intoto", "0.0.2" },       { "hashedrekord", "0.0.2" }, { "dsse", "0.0.2" },
};

static void
exercise(const al_rekor_body *b)
{
	const al_rekor_sig *s = &b->sigs[0];
	bool cert = s->form == AL_RV_PEM_CERT || s->form == AL_RV_X509;
	al_rekor_expect x;
	al_rekor_v2_sig v2[AL_MAX_DSSE_SIGS];
	al_buf out = { 0 };
	al_err err;
	uint8_t one = 0;

	memset(&x, 0, sizeof(x));
	x.sig = al_buf_bytes(&s->sig);
	if (cert)
		x.cert_der = al_buf_bytes(&s->der);
	else
		x.spki_der = al_buf_bytes(&s->der);
	x.digest_alg = b->data.alg;
	x.digest = al_bytes_of(b->data.v, b->data.n);
	/* payload and envelope are not in the body: these comparisons fail,
	 * but every branch before them runs */
	x.payload = al_bytes_of(&one, 1);
	x.envelope = al_bytes_of(&one, 1);
	ignore(al_rekor_body_matches(b, &x, &err));
	x.sig = al_bytes_of(&one, 1);
	ignore(al_rekor_body_matches(b, &x, &err));
	x.cert_der = al_buf_bytes(&s->der);
	x.spki_der = al_buf_bytes(&s->der);
	ignore(al_rekor_body_matches(b, &x, &err));

	for (size_t i = 0; i < b->nsigs; i++) {
		v2[i].sig = al_buf_bytes(&b->sigs[i].sig);
		v2[i].key_details = b->sigs[i].key_details;
		v2[i].is_cert = b->sigs[i].form == AL_RV_X509 || b->sigs[i].form == AL_RV_PEM_CERT;
		v2[i].der = al_buf_bytes(&b->sigs[i].der);
	}
	if (b->kind == AL_REKOR_HASHEDREKORD_V002)
		ignore(al_rekor_v2_hashedrekord(b->data.alg, al_bytes_of(b->data.v, b->data.n), v2, &out, &err));
	if (b->kind == AL_REKOR_DSSE_V002)
		ignore(al_rekor_v2_dsse(b->payload_hash.alg, al_bytes_of(b->payload_hash.v, b->payload_hash.n), v2,
				       b->nsigs, &out, &err));
	al_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_rekor_body *b;
	al_buf set = { 0 };
	al_err err;
	const uint8_t id[32] = { 0 };

	if (size < 1)
		return 0;
	b = malloc(sizeof(*b));
	if (b == NULL)
		return 0;
	if (al_rekor_body_parse(al_bytes_of(data + 1, size - 1), al_bytes_str(kinds[data[0] % 6][0]),
				al_bytes_str(kinds[data[0] % 6][1]), b, &err) == AL_OK)
		exercise(b);
	al_rekor_body_free(b);
	free(b);
	ignore(al_set_payload(al_bytes_of(data, size), (int64_t)size, al_bytes_of(id, sizeof(id)), (int64_t)data[0],
			     &set, &err));
	al_buf_free(&set);
	return 0;
}
