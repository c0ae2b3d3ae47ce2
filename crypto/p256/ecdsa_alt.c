/*
 * ecdsa_alt.c — mbedtls_ecdsa_verify, airlock's (MBEDTLS_ECDSA_VERIFY_ALT).
 *
 * Every ECDSA verification mbedTLS makes comes here: airlock's own
 * (crypto/sig.c, through mbedtls_ecdsa_read_signature) and the signatures
 * of certificate chains (mbedtls_x509_crt_verify_with_profile). P-256 goes
 * to p256.c; every other group to al_ecdsa_verify_generic, which is
 * mbedTLS's algorithm (SEC 1 4.1.4) on its public ECP and bignum API, as
 * fast as mbedTLS's own. The results are mbedTLS's, code for code, so
 * nothing above this can tell which one ran (docs/verification.md).
 */
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/sha256.h>

#include "crypto/p256/p256.h"

/* SEC 1 4.1.3 step 5: the leftmost nbits of the digest, reduced mod n once
 * (mbedTLS's rule, which is static in its ecdsa.c) */
static int
derive_e(const mbedtls_ecp_group *grp, mbedtls_mpi *e, const unsigned char *buf, size_t blen)
{
	size_t n_size = (grp->nbits + 7) / 8;
	size_t use = blen > n_size ? n_size : blen;
	int ret;

	if ((ret = mbedtls_mpi_read_binary(e, buf, use)) != 0)
		return ret;
	if (use * 8 > grp->nbits && (ret = mbedtls_mpi_shift_r(e, use * 8 - grp->nbits)) != 0)
		return ret;
	if (mbedtls_mpi_cmp_mpi(e, &grp->N) >= 0)
		return mbedtls_mpi_sub_mpi(e, e, &grp->N);
	return 0;
}

int
al_ecdsa_verify_generic(mbedtls_ecp_group *grp, const unsigned char *buf, size_t blen,
			const mbedtls_ecp_point *Q, const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	mbedtls_mpi e, sinv, u1, u2;
	mbedtls_ecp_point R;
	int ret;

	if (!mbedtls_ecdsa_can_do(grp->id) || grp->N.MBEDTLS_PRIVATE(p) == NULL)
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	/* step 1: r and s in 1..n-1 */
	if (mbedtls_mpi_cmp_int(r, 1) < 0 || mbedtls_mpi_cmp_mpi(r, &grp->N) >= 0 ||
	    mbedtls_mpi_cmp_int(s, 1) < 0 || mbedtls_mpi_cmp_mpi(s, &grp->N) >= 0)
		return MBEDTLS_ERR_ECP_VERIFY_FAILED;

	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&sinv);
	mbedtls_mpi_init(&u1);
	mbedtls_mpi_init(&u2);
	mbedtls_ecp_point_init(&R);
	/* steps 3-4: u1 = e/s, u2 = r/s mod n */
	if ((ret = derive_e(grp, &e, buf, blen)) != 0 ||
	    (ret = mbedtls_mpi_inv_mod(&sinv, s, &grp->N)) != 0 ||
	    (ret = mbedtls_mpi_mul_mpi(&u1, &e, &sinv)) != 0 ||
	    (ret = mbedtls_mpi_mod_mpi(&u1, &u1, &grp->N)) != 0 ||
	    (ret = mbedtls_mpi_mul_mpi(&u2, r, &sinv)) != 0 ||
	    (ret = mbedtls_mpi_mod_mpi(&u2, &u2, &grp->N)) != 0)
		goto out;
	/* step 5: R = u1 G + u2 Q; muladd checks Q is on the curve
	 * (MBEDTLS_ERR_ECP_INVALID_KEY otherwise) */
	if ((ret = mbedtls_ecp_muladd(grp, &R, &u1, &grp->G, &u2, Q)) != 0)
		goto out;
	if (mbedtls_ecp_is_zero(&R)) {
		ret = MBEDTLS_ERR_ECP_VERIFY_FAILED;
		goto out;
	}
	/* steps 6-8: x(R) mod n == r */
	if ((ret = mbedtls_mpi_mod_mpi(&R.MBEDTLS_PRIVATE(X), &R.MBEDTLS_PRIVATE(X), &grp->N)) != 0)
		goto out;
	if (mbedtls_mpi_cmp_mpi(&R.MBEDTLS_PRIVATE(X), r) != 0)
		ret = MBEDTLS_ERR_ECP_VERIFY_FAILED;
out:
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&sinv);
	mbedtls_mpi_free(&u1);
	mbedtls_mpi_free(&u2);
	mbedtls_ecp_point_free(&R);
	return ret;
}

/*
 * Signatures that verified, remembered per thread: a batch of Sigstore
 * bundles checks the same certificate signatures over and over (the
 * intermediate under the root, the TSA's certificate), each as costly as
 * a new one (docs/performance.md §5.6). An entry is the SHA-256 of every
 * input of the verification (key, digest and its length, r, s), so a hit
 * is the very same verification, decided before; failures are never
 * remembered. Per thread: no lock, and a batch worker sees only its own.
 */
#define SEEN_SLOTS 256

static _Thread_local uint8_t seen[SEEN_SLOTS][32];
static _Thread_local uint8_t seen_used[SEEN_SLOTS];

static void
seen_key(uint8_t out[32], const uint8_t *buf, size_t blen, const uint8_t qb[64], const uint8_t rb[32],
	 const uint8_t sb[32])
{
	mbedtls_sha256_context c;
	uint8_t len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)((uint64_t)blen >> (56 - 8 * i));
	mbedtls_sha256_init(&c);
	(void)mbedtls_sha256_starts(&c, 0);
	(void)mbedtls_sha256_update(&c, (const unsigned char *)"airlock p256 verified", 21);
	(void)mbedtls_sha256_update(&c, qb, 64);
	(void)mbedtls_sha256_update(&c, rb, 32);
	(void)mbedtls_sha256_update(&c, sb, 32);
	(void)mbedtls_sha256_update(&c, len, sizeof(len));
	(void)mbedtls_sha256_update(&c, buf, blen);
	(void)mbedtls_sha256_finish(&c, out);
	mbedtls_sha256_free(&c);
}

/* constant time, as every digest comparison in airlock is */
static bool
seen_has(const uint8_t k[32])
{
	unsigned slot = k[0];
	uint8_t acc = 0;

	for (int i = 0; i < 32; i++)
		acc |= (uint8_t)(seen[slot][i] ^ k[i]);
	return seen_used[slot] && acc == 0;
}

static void
seen_add(const uint8_t k[32])
{
	memcpy(seen[k[0]], k, 32);
	seen_used[k[0]] = 1;
}

/* P-256 through p256.c, with mbedTLS's order of checks and its codes: r and
 * s first (VERIFY_FAILED), then the key as mbedtls_ecp_check_pubkey sees it
 * (INVALID_KEY), then the equation (VERIFY_FAILED). */
static int
verify_p256(const mbedtls_ecp_group *grp, const unsigned char *buf, size_t blen,
	    const mbedtls_ecp_point *Q, const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	uint8_t rb[32], sb[32], qb[64], key[32];
	int ret;

	if (mbedtls_mpi_cmp_int(r, 1) < 0 || mbedtls_mpi_cmp_mpi(r, &grp->N) >= 0 ||
	    mbedtls_mpi_cmp_int(s, 1) < 0 || mbedtls_mpi_cmp_mpi(s, &grp->N) >= 0 ||
	    mbedtls_mpi_write_binary(r, rb, sizeof(rb)) != 0 ||
	    mbedtls_mpi_write_binary(s, sb, sizeof(sb)) != 0)
		return MBEDTLS_ERR_ECP_VERIFY_FAILED;
	/* affine, non-negative, and (write_binary) below 2^256; p256.c
	 * checks below p and on the curve */
	if (mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Z), 1) != 0 ||
	    mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(X), 0) < 0 ||
	    mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Y), 0) < 0 ||
	    mbedtls_mpi_write_binary(&Q->MBEDTLS_PRIVATE(X), qb, 32) != 0 ||
	    mbedtls_mpi_write_binary(&Q->MBEDTLS_PRIVATE(Y), qb + 32, 32) != 0)
		return MBEDTLS_ERR_ECP_INVALID_KEY;
	seen_key(key, buf, blen, qb, rb, sb);
	if (seen_has(key))
		return 0;
	switch (al_p256_verify(buf, blen, qb, rb, sb)) {
	case AL_P256_OK:
		seen_add(key);
		ret = 0;
		break;
	case AL_P256_BAD_KEY: ret = MBEDTLS_ERR_ECP_INVALID_KEY; break;
	default: ret = MBEDTLS_ERR_ECP_VERIFY_FAILED; break;
	}
	return ret;
}

int
mbedtls_ecdsa_verify(mbedtls_ecp_group *grp, const unsigned char *buf, size_t blen,
		     const mbedtls_ecp_point *Q, const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	if (grp->id == MBEDTLS_ECP_DP_SECP256R1 && grp->N.MBEDTLS_PRIVATE(p) != NULL)
		return verify_p256(grp, buf, blen, Q, r, s);
	return al_ecdsa_verify_generic(grp, buf, blen, Q, r, s);
}
