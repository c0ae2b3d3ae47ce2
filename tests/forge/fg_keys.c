/*
 * fg_keys.c — deterministic test keys and signing.
 *
 * Each key is generated from an HMAC_DRBG (SHA-256) seeded with a constant
 * string naming it, so the same label always gives the same key. ECDSA
 * signatures are RFC 6979 (MBEDTLS_ECDSA_DETERMINISTIC); the random
 * function mbedTLS still asks for only blinds the computation.
 */
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/rsa.h>

#include "forge.h"

#define MAX_KEYS 64

static al_fg_key *keys[MAX_KEYS];
static size_t nkeys;

static mbedtls_hmac_drbg_context blind;
static bool blind_ready;

int
al_fg_rng(void *ctx, unsigned char *out, size_t n)
{
	(void)ctx;
	if (!blind_ready) {
		static const char seed[] = "airlock-forge blinding";

		mbedtls_hmac_drbg_init(&blind);
		al_fg_mbed(mbedtls_hmac_drbg_seed_buf(&blind, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
						      (const unsigned char *)seed, sizeof(seed) - 1),
			   "blinding DRBG");
		blind_ready = true;
	}
	return mbedtls_hmac_drbg_random(&blind, out, n);
}

static void
finish_key(al_fg_key *k)
{
	unsigned char buf[2048];
	int len;

	len = mbedtls_pk_write_pubkey_der(&k->pk, buf, sizeof(buf));
	if (len <= 0)
		al_fg_mbed(len ? len : -1, "write SPKI");
	k->spki = al_fg_dup(al_bytes_of(buf + sizeof(buf) - (size_t)len, (size_t)len));
	al_fg_sha256(k->spki, k->spki_sha256);
	al_fg_mbed(mbedtls_pk_write_pubkey_pem(&k->pk, buf, sizeof(buf)), "write public key PEM");
	k->pub_pem = al_fg_strdup((const char *)buf);
}

const al_fg_key *
al_fg_key_get(const char *label, al_fg_key_type type)
{
	mbedtls_hmac_drbg_context drbg;
	al_fg_key *k;
	char *seed;

	for (size_t i = 0; i < nkeys; i++) {
		if (strcmp(keys[i]->label, label) == 0) {
			if (keys[i]->type != type)
				al_fg_die("key %s requested with two types", label);
			return keys[i];
		}
	}
	if (nkeys == MAX_KEYS)
		al_fg_die("too many keys");
	k = al_fg_alloc(sizeof(*k));
	k->label = al_fg_strdup(label);
	k->type = type;
	mbedtls_pk_init(&k->pk);
	keys[nkeys++] = k;

	seed = al_fg_sprintf("airlock-forge key %s", label);
	mbedtls_hmac_drbg_init(&drbg);
	al_fg_mbed(mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
					      (const unsigned char *)seed, strlen(seed)),
		   "key DRBG");
	if (type == AL_FG_RSA2048) {
		al_fg_mbed(mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "pk setup");
		al_fg_mbed(mbedtls_rsa_gen_key(mbedtls_pk_rsa(k->pk), mbedtls_hmac_drbg_random, &drbg, 2048, 65537),
			   "RSA key generation");
	} else {
		mbedtls_ecp_group_id g = type == AL_FG_P384 ? MBEDTLS_ECP_DP_SECP384R1 : MBEDTLS_ECP_DP_SECP256R1;

		al_fg_mbed(mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "pk setup");
		al_fg_mbed(mbedtls_ecp_gen_key(g, mbedtls_pk_ec(k->pk), mbedtls_hmac_drbg_random, &drbg),
			   "EC key generation");
	}
	mbedtls_hmac_drbg_free(&drbg);
	finish_key(k);
	return k;
}

void
al_fg_keys_free(void)
{
	for (size_t i = 0; i < nkeys; i++)
		mbedtls_pk_free(&keys[i]->pk);
	nkeys = 0;
	if (blind_ready) {
		mbedtls_hmac_drbg_free(&blind);
		blind_ready = false;
	}
}

mbedtls_md_type_t
al_fg_key_md(const al_fg_key *k)
{
	return k->type == AL_FG_P384 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA256;
}

al_bytes
al_fg_sign_digest(const al_fg_key *k, mbedtls_md_type_t md, al_bytes digest)
{
	unsigned char sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t slen = 0;

	/* pk_sign does not modify a key; mbedTLS's prototype is not const */
	al_fg_mbed(mbedtls_pk_sign((mbedtls_pk_context *)(uintptr_t)&k->pk, md, digest.p, digest.n, sig, sizeof(sig),
				   &slen, al_fg_rng, NULL),
		   "sign");
	return al_fg_dup(al_bytes_of(sig, slen));
}

al_bytes
al_fg_sign(const al_fg_key *k, mbedtls_md_type_t md, al_bytes data)
{
	const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(md);
	unsigned char hash[64];

	if (mi == NULL)
		al_fg_die("unknown digest");
	al_fg_mbed(mbedtls_md(mi, data.p, data.n, hash), "digest");
	return al_fg_sign_digest(k, md, al_bytes_of(hash, mbedtls_md_get_size(mi)));
}
