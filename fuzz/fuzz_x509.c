/*
 * fuzz_x509.c — the strict DER reader, GeneralizedTime, certificate lists
 * (DER and PEM), extension lookup, identity extraction and chain
 * validation at a fixed time.
 *
 * The input is walked as DER (nested, bounded depth), parsed as a
 * GeneralizedTime, as one DER certificate and as a PEM chain; whatever
 * parses is asked for its SANs, Fulcio extensions and EKU, and validated
 * with itself as the trust anchor under both EKU rules.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/* results go here: gcc does not let (void) discard warn_unused_result */
static volatile unsigned sink;

static void
walk(al_bytes in, int depth)
{
	al_rd r = al_rd_of(in);
	al_der d;

	while (r.n > 0 && al_der_any(&r, &d)) {
		sink += d.tag;
		if ((d.tag & 0x20) && depth < 16)
			walk(d.val, depth + 1);
	}
}

static void
exercise(const al_certs *c)
{
	static const uint8_t eku[] = { 0x55, 0x1d, 0x25 };
	static const al_x509_opts code = { AL_EKU_CODE_SIGNING, true };
	static const al_x509_opts ts = { AL_EKU_TIME_STAMPING, false };
	al_x509_identity id;
	al_x509_path path;
	al_bytes v;
	bool present, critical;
	int64_t nb, na;
	char name[256];
	al_err err;

	al_err_clear(&err);
	for (size_t i = 0; i < c->n; i++) {
		const mbedtls_x509_crt *crt = al_certs_at(c, i);

		al_x509_describe(crt, name, sizeof(name));
		al_x509_validity(crt, &nb, &na);
		al_time_format(nb, name);
		sink += al_x509_identity_get(crt, &id, &err);
		for (unsigned arc = 1; arc <= 22; arc++)
			if (arc != 7)
				sink += al_x509_fulcio_ext(crt, arc, &v, &present, &err);
		sink += al_x509_ext(crt, al_bytes_of(eku, sizeof(eku)), &v, &critical, &present, &err);
		sink += al_x509_verify_at(c, c, nb, &code, &path, &err);
		sink += al_x509_verify_at(c, c, na, &ts, NULL, &err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_bytes in = al_bytes_of(data, size);
	al_certs c;
	int64_t t;
	uint32_t ns;
	al_err err;

	al_err_clear(&err);
	walk(in, 0);
	sink += al_asn1_gentime(in, &t, &ns, &err);
	al_certs_init(&c);
	if (al_certs_add_der(&c, in, &err) == AL_OK)
		exercise(&c);
	al_certs_free(&c);
	if (al_certs_add_pem(&c, in, &err) == AL_OK)
		exercise(&c);
	al_certs_free(&c);
	return 0;
}
