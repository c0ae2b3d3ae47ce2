/*
 * fuzz_oci_csig.c — the containers/image signature-file parser (0x00,
 * format name, "\n", sigstore-json body) and the OCI digest parser.
 */
#include <stddef.h>
#include <stdint.h>

#include "bundle/bundle.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_oci_csig s;
	al_oci_digest d;
	al_err err;

	al_err_clear(&err);
	if (al_oci_csig_parse(al_bytes_of(data, size), &s, &err) == AL_OK) {
		sink += s.payload.n + s.n_annotations;
		al_oci_csig_free(&s);
	}
	if (al_oci_digest_parse(al_bytes_of(data, size), &d, &err) == AL_OK) {
		char str[AL_OCI_DIGEST_STR_MAX];

		al_oci_digest_str(&d, str);
		sink += str[0];
	}
	return 0;
}
