/*
 * mbedTLS configuration for airlock.
 *
 * Only what a verifier needs: parsing X.509 and public keys, verifying
 * ECDSA (P-256/384/521), RSA PKCS#1 v1.5 and PSS, and SHA-1/224/256/384/512.
 * No TLS, no sockets, no file I/O, no entropy or RNG: airlock never talks to a
 * network, so that code is not compiled in. The one thing it signs is a
 * Verification Summary Attestation (docs/vsa.md), with RFC 6979
 * deterministic ECDSA: HMAC_DRBG here is seeded from the key and the
 * message hash only, never from entropy.
 *
 * SHA-1 exists only to match the ESSCertID hash of RFC 3161 signingCertificate
 * attributes; certificate profiles still reject SHA-1 signatures.
 */
#ifndef AIRLOCK_MBEDTLS_CONFIG_H
#define AIRLOCK_MBEDTLS_CONFIG_H

#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE

#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_ERROR_C
#define MBEDTLS_MD_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_RSA_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_VERSION_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE

/*
 * ECDSA verification speed: most of a Sigstore bundle's checks are ECDSA
 * verifications (six or seven P-256 ones for a keyless bundle), so these are
 * set for it. Each was measured with bench/crypto_bench.c (docs/performance.md,
 * "mbedTLS configuration"):
 *  - MBEDTLS_ECP_NIST_OPTIM (above): fast reduction modulo the NIST primes;
 *    without it P-256 verification is 3.4 times slower.
 *  - MBEDTLS_ECP_FIXED_POINT_OPTIM 1: mbedTLS's built-in precomputed tables for
 *    the base point, half of every verification; 0 makes verification 1.6
 *    times slower. A few KiB of read-only data.
 *  - MBEDTLS_ECP_WINDOW_SIZE 4 (mbedTLS's default): 2 and 3 are 6% and 3%
 *    slower; 5 to 7 gained nothing measurable. The window for the signer's
 *    point (multiplied from scratch each time) is capped by mbedTLS at 4 for
 *    P-256 and 5 for P-384, and at P-384 the larger table costs what the
 *    fewer additions save.
 * The build adds -O3 and link-time optimisation for mbedTLS (cmake/deps.cmake):
 * together 8 to 12% faster than -O2.
 */
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 1

/* The compression function is ours: SHA-NI when the CPU has it (crypto/sha256_ni.c). */
#define MBEDTLS_SHA256_PROCESS_ALT

/*
 * ECDSA verification is ours (crypto/p256/ecdsa_alt.c): P-256 by
 * crypto/p256/p256.c, about four times faster than mbedTLS's generic
 * bignum code; P-384 and P-521 by mbedTLS's own ECP arithmetic through its
 * public API, as before. Every caller gets it, X.509 chain verification
 * included (docs/verification.md, docs/performance.md §5.5).
 */
#define MBEDTLS_ECDSA_VERIFY_ALT

/* Fulcio chains are three certificates; allow some room, no more. */
#define MBEDTLS_X509_MAX_INTERMEDIATE_CA 8

#endif
