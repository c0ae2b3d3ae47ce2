/*
 * key_details.c — protobuf dev.sigstore.common.v1.PublicKeyDetails: the one
 * table of its values, what each means to crypto/, and how trust material
 * encodes such a key. trust-roots/ reads keyDetails through it, tlog/ names
 * a key's keyDetails for a rebuilt Rekor v2 entry through it.
 */
#include "crypto/crypto.h"

static const al_key_details table[] = {
	{ 0, "PUBLIC_KEY_DETAILS_UNSPECIFIED", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 1, "PKCS1_RSA_PKCS1V5", AL_KEY_ENC_PKCS1, AL_KEY_RSA_PKCS1V15, AL_HASH_SHA256, 0 },
	{ 2, "PKCS1_RSA_PSS", AL_KEY_ENC_PKCS1, AL_KEY_RSA_PSS, AL_HASH_SHA256, 0 },
	{ 3, "PKIX_RSA_PKCS1V5", AL_KEY_ENC_SPKI, AL_KEY_RSA_PKCS1V15, AL_HASH_SHA256, 0 },
	{ 4, "PKIX_RSA_PSS", AL_KEY_ENC_SPKI, AL_KEY_RSA_PSS, AL_HASH_SHA256, 0 },
	{ 5, "PKIX_ECDSA_P256_SHA_256", AL_KEY_ENC_SPKI, AL_KEY_ECDSA_P256, AL_HASH_SHA256, 0 },
	{ 6, "PKIX_ECDSA_P256_HMAC_SHA_256", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 7, "PKIX_ED25519", AL_KEY_ENC_SPKI, AL_KEY_ED25519, AL_HASH_NONE, 0 },
	/* Ed25519ph: verifiable (al_sig_verify_ed25519ph), but never a key of
	 * trust material; Rekor v2 names a bundle's Ed25519 key so */
	{ 8, "PKIX_ED25519_PH", AL_KEY_ENC_NONE, AL_KEY_ED25519, AL_HASH_SHA512, 0 },
	{ 9, "PKIX_RSA_PKCS1V15_2048_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PKCS1V15, AL_HASH_SHA256, 2048 },
	{ 10, "PKIX_RSA_PKCS1V15_3072_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PKCS1V15, AL_HASH_SHA256, 3072 },
	{ 11, "PKIX_RSA_PKCS1V15_4096_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PKCS1V15, AL_HASH_SHA256, 4096 },
	{ 12, "PKIX_ECDSA_P384_SHA_384", AL_KEY_ENC_SPKI, AL_KEY_ECDSA_P384, AL_HASH_SHA384, 0 },
	{ 13, "PKIX_ECDSA_P521_SHA_512", AL_KEY_ENC_SPKI, AL_KEY_ECDSA_P521, AL_HASH_SHA512, 0 },
	{ 14, "LMS_SHA256", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 15, "LMOTS_SHA256", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 16, "PKIX_RSA_PSS_2048_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PSS, AL_HASH_SHA256, 2048 },
	{ 17, "PKIX_RSA_PSS_3072_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PSS, AL_HASH_SHA256, 3072 },
	{ 18, "PKIX_RSA_PSS_4096_SHA256", AL_KEY_ENC_SPKI, AL_KEY_RSA_PSS, AL_HASH_SHA256, 4096 },
	{ 19, "PKIX_ECDSA_P384_SHA_256", AL_KEY_ENC_SPKI, AL_KEY_ECDSA_P384, AL_HASH_SHA256, 0 },
	{ 20, "PKIX_ECDSA_P521_SHA_256", AL_KEY_ENC_SPKI, AL_KEY_ECDSA_P521, AL_HASH_SHA256, 0 },
	{ 21, "ML_DSA_65", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 22, "ML_DSA_87", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
	{ 23, "ML_DSA_44", AL_KEY_ENC_NONE, AL_KEY_NONE, AL_HASH_NONE, 0 },
};

const al_key_details *
al_key_details_at(size_t i)
{
	return i < AL_ARRAY_LEN(table) ? &table[i] : NULL;
}

const al_key_details *
al_key_details_find(al_key_kind kind, al_hash hash, unsigned rsa_bits)
{
	for (size_t i = 0; i < AL_ARRAY_LEN(table); i++)
		if (kind != AL_KEY_NONE && table[i].kind == kind && table[i].hash == hash &&
		    table[i].rsa_bits == rsa_bits)
			return &table[i];
	return NULL;
}
