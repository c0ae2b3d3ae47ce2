/*
 * mbedTLS configuration for test tools only (the test forge): everything the
 * appliance has, plus signing, certificate writing and a deterministic DRBG.
 * Never linked into build/bin/airlock.
 */
#ifndef AIRLOCK_MBEDTLS_TEST_CONFIG_H
#define AIRLOCK_MBEDTLS_TEST_CONFIG_H
#include "airlock_mbedtls_config.h"
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_AES_C
#define MBEDTLS_GENPRIME
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PEM_WRITE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CRT_WRITE_C
#endif
