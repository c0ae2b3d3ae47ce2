/*
 * fuzz_pubkey.c — public-key parsers (SPKI DER, PKCS#1 DER, PEM) and the
 * signature decoders behind al_sig_verify.
 *
 * The input is tried as each key encoding; a key that parses is then used
 * to verify the input itself as a signature (exercising the RSA length
 * checks, Ed25519 and the key's own paths). The input is also verified as
 * a DER and as a P1363 ECDSA signature under a fixed P-256 key, which
 * drives the strict DER signature parser.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/* SPKI of a P-256 key (fuzz/corpus/pubkey/p256.spki.der) */
static const uint8_t p256_spki[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
	0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x91, 0xd0, 0x35, 0x54, 0x07,
	0xbf, 0x6d, 0xb4, 0xc4, 0xcd, 0x06, 0x4c, 0x11, 0xe7, 0xa1, 0x41, 0x72, 0xff, 0x88, 0x4e, 0x62,
	0x25, 0x5c, 0x40, 0xb7, 0x4e, 0x4d, 0xa8, 0x29, 0x86, 0x00, 0x15, 0x2a, 0x5e, 0x1f, 0x86, 0xb2,
	0xfc, 0xb6, 0x45, 0x63, 0x2d, 0x13, 0x75, 0x65, 0xf6, 0x09, 0xa4, 0xe6, 0x87, 0x9d, 0xc9, 0xf6,
	0x2a, 0x7c, 0x1c, 0xc8, 0x7b, 0x90, 0xef, 0x76, 0x11, 0x8e, 0x14,
};

/* results go here: gcc does not let (void) discard warn_unused_result */
static volatile unsigned sink;

static void
exercise(const al_pubkey *k, al_bytes in)
{
	uint8_t d[AL_HASH_MAX];
	al_err err;

	al_err_clear(&err);
	(void)al_pubkey_default_hash(k);
	(void)al_key_kind_name(k->kind);
	(void)al_pubkey_eq(k, k);
	sink += al_sig_verify(k, AL_HASH_NONE, al_bytes_str("message"), in, &err);
	sink += al_sig_verify(k, AL_HASH_SHA512, in, in, &err);
	al_hash_bytes(AL_HASH_SHA384, in, d);
	sink += al_sig_verify_digest(k, AL_HASH_SHA384, d, 48, in, &err);
	sink += al_sig_verify_p1363(k, AL_HASH_SHA256, in, in, &err);
	sink += al_sig_verify_ed25519ph(k, in, in, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static al_pubkey fixed;
	static bool have_fixed;
	al_bytes in = al_bytes_of(data, size);
	al_pubkey k;
	al_err err;

	al_err_clear(&err);
	if (!have_fixed) {
		al_pubkey_init(&fixed);
		if (al_pubkey_from_spki(al_bytes_of(p256_spki, sizeof(p256_spki)), &fixed, &err) != AL_OK)
			__builtin_trap();
		have_fixed = true;
	}
	sink += al_sig_verify(&fixed, AL_HASH_SHA256, al_bytes_str("m"), in, &err);
	sink += al_sig_verify_p1363(&fixed, AL_HASH_SHA256, al_bytes_str("m"), in, &err);

	al_pubkey_init(&k);
	if (al_pubkey_from_spki(in, &k, &err) == AL_OK)
		exercise(&k, in);
	if (al_pubkey_from_pkcs1_rsa(in, &k, &err) == AL_OK) {
		exercise(&k, in);
		sink += al_pubkey_set_scheme(&k, AL_KEY_RSA_PSS, AL_HASH_SHA256, &err);
		exercise(&k, in);
	}
	if (al_pubkey_from_pem(in, &k, &err) == AL_OK)
		exercise(&k, in);
	al_pubkey_free(&k);
	return 0;
}
