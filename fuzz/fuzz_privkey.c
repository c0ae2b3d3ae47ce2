/*
 * fuzz_privkey.c — PKCS#8 private keys for VSA signing (crypto/sign.c):
 * the input as PEM and as DER. A key that parses must sign, and al_sign
 * verifies its own signature under the key's public half, so a parse that
 * pairs a private key with another public key traps here.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(al_privkey *k, al_rc rc)
{
	al_buf sig = { 0 };
	al_err err;

	if (rc == AL_OK && al_sign(k, al_bytes_str("fuzz"), &sig, &err) != AL_OK)
		__builtin_trap();
	al_buf_free(&sig);
	al_privkey_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_privkey k;
	al_err err;

	al_privkey_init(&k);
	one(&k, al_privkey_from_pem(al_bytes_of(data, size), &k, &err));
	one(&k, al_privkey_from_pkcs8(al_bytes_of(data, size), &k, &err));
	return 0;
}
