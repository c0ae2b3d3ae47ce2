/*
 * fuzz_vsa.c — verify-vsa's reading of a VSA file (al_vsa_check, verify/
 * vsa.c): a DSSE envelope or a Sigstore bundle holding one, checked under
 * a fixed Ed25519 key (RFC 8032 test 1), with and without the optional
 * verifier and level checks. The seeds are VSAs signed by that key.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "verify/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static const uint8_t spki[] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
				0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3,
				0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
				0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static al_pubkey key;
	static int ready;
	al_vsa_check_opts o = { .vsa_path = "fuzz", .key_path = "fuzz",
				.subject_digest = "sha256:46ff9e09a3aa7d227d5e4b28a259024a72e1b1791533e2fb58e8754e23bc55ac" };
	al_buf sum = { 0 };
	al_err err;

	if (!ready) {
		al_pubkey_init(&key);
		if (al_pubkey_from_spki(al_bytes_of(spki, sizeof(spki)), &key, &err) != AL_OK)
			__builtin_trap();
		ready = 1;
	}
	sink += al_vsa_check(al_bytes_of(data, size), &key, &o, &sum, &err) == AL_OK;
	o.verifier_id = "urn:airlock:verifier";
	o.level = "SLSA_BUILD_LEVEL_1";
	sink += al_vsa_check(al_bytes_of(data, size), &key, &o, NULL, &err) == AL_OK;
	al_buf_free(&sum);
	return 0;
}
