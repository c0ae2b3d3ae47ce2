/*
 * p256.h — airlock's own ECDSA verification (internal to the crypto module).
 *
 * mbedTLS calls mbedtls_ecdsa_verify (MBEDTLS_ECDSA_VERIFY_ALT,
 * cmake/airlock_mbedtls_config.h) for every ECDSA verification, airlock's
 * own (crypto/sig.c) and its X.509 chain checks alike; ecdsa_alt.c provides
 * it. P-256 goes to p256.c, verification only, variable time (every input is
 * public: key, signature, digest); P-384 and P-521 go to mbedTLS's algorithm
 * written again on its public ECP and bignum API (ECDSA_VERIFY_ALT replaces
 * mbedTLS's own for every curve). docs/verification.md says why and
 * how the two are checked against each other.
 *
 * Both files are compiled into the mbedTLS library target (cmake/deps.cmake),
 * because mbedTLS calls them.
 */
#ifndef AL_CRYPTO_P256_H
#define AL_CRYPTO_P256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

/* Results of al_p256_verify. */
enum {
	AL_P256_OK = 0,
	AL_P256_BAD_SIG = 1,   /* r or s out of 1..n-1, or the equation fails */
	AL_P256_BAD_KEY = 2,   /* q is not a point of the curve (or a coordinate >= p) */
};

/*
 * ECDSA P-256 verification of a signature (r, s) over a digest under the
 * public key q = X || Y (big-endian, 32 bytes each, affine). The digest may
 * have any length, 0 included (digest may then be NULL): its leftmost 256
 * bits are used, as SEC 1 4.1.4 says (a SHA-384 or SHA-512 digest under a
 * P-256 key is legal). r and s are big-endian 32-byte integers. r and s are
 * checked before the key, as mbedTLS does. Does not allocate.
 */
int al_p256_verify(const uint8_t *digest, size_t dlen, const uint8_t q[64], const uint8_t r[32],
		   const uint8_t s[32]);

/*
 * The generic verification, on mbedTLS's public ECP and bignum API, for any
 * short Weierstrass group; what mbedtls_ecdsa_verify does for P-384 and
 * P-521, and the reference p256.c is compared with (tests, fuzz/fuzz_p256.c).
 * Same results as mbedTLS's own: 0, MBEDTLS_ERR_ECP_VERIFY_FAILED for a
 * signature that does not verify, MBEDTLS_ERR_ECP_BAD_INPUT_DATA for a group
 * ECDSA cannot use, MBEDTLS_ERR_ECP_INVALID_KEY for a key off the curve, or
 * an mbedTLS bignum error.
 */
int al_ecdsa_verify_generic(mbedtls_ecp_group *grp, const unsigned char *buf, size_t blen,
			    const mbedtls_ecp_point *Q, const mbedtls_mpi *r, const mbedtls_mpi *s);

/*
 * Tests only: the final comparison of the verification, on numbers a test
 * can choose. x and z (big-endian, each < p) stand for the Jacobian point
 * (x * z^2, ., z); the result is whether x mod n == r for the affine x, as
 * the verifier decides it without an inversion (r < n). A real x in [n, p)
 * needs a signature no test can make (about 2^-128 of the points).
 */
bool al_p256_test_x_matches(const uint8_t x[32], const uint8_t z[32], const uint8_t r[32]);

#endif
