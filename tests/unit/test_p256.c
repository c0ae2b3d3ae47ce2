/*
 * test_p256.c — airlock's own ECDSA verification (crypto/p256/): p256.c for
 * P-256 and the generic path (mbedTLS's ECP arithmetic) for P-384/P-521,
 * both behind mbedtls_ecdsa_verify.
 *
 *  - NIST CAVP SigVer vectors (FIPS 186-2 and 186-3: P-256, P-384, P-521,
 *    SHA-1 to SHA-512, so digests shorter and longer than the curve), read
 *    in place from Debian's python3-cryptography-vectors (scripts/setup
 *    installs it; skipped loudly when absent). Wycheproof's vectors are in
 *    no Debian package of this release.
 *  - Differential: random keys and digests signed by mbedTLS
 *    (mbedtls_ecdsa_sign), verified by p256.c and by the generic path, then
 *    the signature, digest and key each changed by one bit: both must say
 *    the same, code for code.
 *  - Edge cases built on purpose: r, s at and past their bounds; digests of
 *    zeros, of ones, equal to n; keys G and -G; signatures whose u1 G + u2 Q
 *    is the point at infinity, or adds a point to itself; a valid signature
 *    whose x(R) is at least n (r = x(R) - n), on a key chosen for it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "crypto/crypto.h"
#include "crypto/p256/p256.h"
#include "util/testutil.h"

#define CAVP_DIR "/usr/lib/python3/dist-packages/cryptography_vectors/asymmetric/ECDSA/"

/* ---------------------------------------------------------------- helpers */

/* deterministic "randomness" for mbedTLS's key generation and signing */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static int
test_rng(void *ctx, unsigned char *out, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		out[i] = (unsigned char)(rng_state >> 24);
	}
	return 0;
}

static uint32_t
rnd(uint32_t below)
{
	unsigned char b[4];

	test_rng(NULL, b, 4);
	return (((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3]) % below;
}

/* every verification of this file, and how many passed */
static int n_checked, n_valid;

/*
 * Verifies through mbedtls_ecdsa_verify (P-256: p256.c; others: generic)
 * and through the generic path, and for P-256 with al_p256_verify itself
 * when the inputs fit its byte form; all must agree. Returns the code.
 */
static int
verify_all(mbedtls_ecp_group *grp, const uint8_t *d, size_t dlen, const mbedtls_ecp_point *Q,
	   const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	int a = mbedtls_ecdsa_verify(grp, d, dlen, Q, r, s);
	int b = al_ecdsa_verify_generic(grp, d, dlen, Q, r, s);
	uint8_t qb[64], rb[32], sb[32];

	ck_assert_msg(a == b, "mbedtls_ecdsa_verify gives -0x%04x, the generic path -0x%04x",
		      (unsigned)-a, (unsigned)-b);
	if (grp->id == MBEDTLS_ECP_DP_SECP256R1 && mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Z), 1) == 0 &&
	    mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(X), 0) >= 0 &&
	    mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Y), 0) >= 0 && mbedtls_mpi_cmp_int(r, 0) >= 0 &&
	    mbedtls_mpi_cmp_int(s, 0) >= 0 && mbedtls_mpi_write_binary(&Q->MBEDTLS_PRIVATE(X), qb, 32) == 0 &&
	    mbedtls_mpi_write_binary(&Q->MBEDTLS_PRIVATE(Y), qb + 32, 32) == 0 &&
	    mbedtls_mpi_write_binary(r, rb, 32) == 0 && mbedtls_mpi_write_binary(s, sb, 32) == 0) {
		int c = al_p256_verify(d, dlen, qb, rb, sb);
		int want = a == 0 ? AL_P256_OK : a == MBEDTLS_ERR_ECP_INVALID_KEY ? AL_P256_BAD_KEY
										  : AL_P256_BAD_SIG;

		/* r or s out of range is decided first by both: BAD_SIG */
		ck_assert_msg(c == want, "al_p256_verify gives %d, mbedTLS's code -0x%04x", c, (unsigned)-a);
	}
	n_checked++;
	n_valid += a == 0;
	return a;
}

typedef struct key {
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	mbedtls_ecp_point Q;
} key;

static void
key_init(key *k, mbedtls_ecp_group_id id)
{
	mbedtls_ecp_group_init(&k->grp);
	mbedtls_mpi_init(&k->d);
	mbedtls_ecp_point_init(&k->Q);
	ck_assert_int_eq(mbedtls_ecp_group_load(&k->grp, id), 0);
}

static void
key_free(key *k)
{
	mbedtls_ecp_group_free(&k->grp);
	mbedtls_mpi_free(&k->d);
	mbedtls_ecp_point_free(&k->Q);
}

/* Q = d G for a small d (d < 0: d = n - |d|) */
static void
key_from_int(key *k, int d)
{
	if (d >= 0) {
		ck_assert_int_eq(mbedtls_mpi_lset(&k->d, d), 0);
	} else {
		ck_assert_int_eq(mbedtls_mpi_lset(&k->d, -d), 0);
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&k->d, &k->grp.N, &k->d), 0);
	}
	ck_assert_int_eq(mbedtls_ecp_mul(&k->grp, &k->Q, &k->d, &k->grp.G, test_rng, NULL), 0);
}

static void
mpi_hex(mbedtls_mpi *x, const char *hex)
{
	ck_assert_int_eq(mbedtls_mpi_read_string(x, 16, hex), 0);
}

/* x mod n as 32 big-endian bytes: a digest whose e is exactly x */
static void
mpi_digest(const mbedtls_mpi *x, uint8_t out[32])
{
	ck_assert_int_eq(mbedtls_mpi_write_binary(x, out, 32), 0);
}

/* ---------------------------------------------------------------- CAVP */

static int
hash_msg(const char *h, const uint8_t *m, size_t n, uint8_t out[64])
{
	if (strcmp(h, "SHA-1") == 0) {
		ck_assert_int_eq(mbedtls_sha1(m, n, out), 0);
		return 20;
	}
	if (strcmp(h, "SHA-224") == 0) {
		ck_assert_int_eq(mbedtls_sha256(m, n, out, 1), 0);
		return 28;
	}
	if (strcmp(h, "SHA-256") == 0) {
		ck_assert_int_eq(mbedtls_sha256(m, n, out, 0), 0);
		return 32;
	}
	if (strcmp(h, "SHA-384") == 0) {
		ck_assert_int_eq(mbedtls_sha512(m, n, out, 1), 0);
		return 48;
	}
	if (strcmp(h, "SHA-512") == 0) {
		ck_assert_int_eq(mbedtls_sha512(m, n, out, 0), 0);
		return 64;
	}
	ck_abort_msg("unknown hash %s", h);
	return 0;
}

/* Runs every P-256/384/521 vector of one SigVer.rsp; returns the number run. */
static int
cavp_file(const char *path, int *p256_run)
{
	FILE *f = fopen(path, "r");
	char line[4096], curve[16] = "", hash[16] = "SHA-1";
	char msg[1024] = "", qx[160] = "", qy[160] = "", r[160] = "", s[160] = "";
	int run = 0;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *v = strstr(line, " = ");
		mbedtls_ecp_group_id id = MBEDTLS_ECP_DP_NONE;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '[') {
			/* "[P-256,SHA-384]" (186-3) or "[P-256]" (186-2: SHA-1) */
			char *comma = strchr(line, ',');

			snprintf(curve, sizeof(curve), "%.*s", (int)strcspn(line + 1, ",]"), line + 1);
			snprintf(hash, sizeof(hash), "%.*s", comma ? (int)strcspn(comma + 1, "]") : 5,
				 comma ? comma + 1 : "SHA-1");
			continue;
		}
		if (v == NULL)
			continue;
		v += 3;
		if (strncmp(line, "Msg ", 4) == 0)
			snprintf(msg, sizeof(msg), "%s", v);
		else if (strncmp(line, "Qx ", 3) == 0)
			snprintf(qx, sizeof(qx), "%s", v);
		else if (strncmp(line, "Qy ", 3) == 0)
			snprintf(qy, sizeof(qy), "%s", v);
		else if (strncmp(line, "R ", 2) == 0)
			snprintf(r, sizeof(r), "%s", v);
		else if (strncmp(line, "S ", 2) == 0)
			snprintf(s, sizeof(s), "%s", v);
		if (strncmp(line, "Result ", 7) != 0)
			continue;
		if (strcmp(curve, "P-256") == 0)
			id = MBEDTLS_ECP_DP_SECP256R1;
		else if (strcmp(curve, "P-384") == 0)
			id = MBEDTLS_ECP_DP_SECP384R1;
		else if (strcmp(curve, "P-521") == 0)
			id = MBEDTLS_ECP_DP_SECP521R1;
		if (id == MBEDTLS_ECP_DP_NONE)
			continue;
		{
			key k;
			mbedtls_mpi mr, ms;
			al_buf m = al_test_hex(msg);
			uint8_t dg[64];
			int dl = hash_msg(hash, m.p, m.n, dg), ret;
			bool pass = v[0] == 'P';

			key_init(&k, id);
			mbedtls_mpi_init(&mr);
			mbedtls_mpi_init(&ms);
			mpi_hex(&k.Q.MBEDTLS_PRIVATE(X), qx);
			mpi_hex(&k.Q.MBEDTLS_PRIVATE(Y), qy);
			ck_assert_int_eq(mbedtls_mpi_lset(&k.Q.MBEDTLS_PRIVATE(Z), 1), 0);
			mpi_hex(&mr, r);
			mpi_hex(&ms, s);
			ret = verify_all(&k.grp, dg, (size_t)dl, &k.Q, &mr, &ms);
			ck_assert_msg(pass ? ret == 0 : ret != 0, "%s [%s,%s] Msg %.16s...: want %s, got -0x%04x",
				      path, curve, hash, msg, v, (unsigned)-ret);
			run++;
			if (id == MBEDTLS_ECP_DP_SECP256R1)
				(*p256_run)++;
			mbedtls_mpi_free(&mr);
			mbedtls_mpi_free(&ms);
			key_free(&k);
			al_buf_free(&m);
		}
	}
	fclose(f);
	return run;
}

START_TEST(cavp_sigver)
{
	static const char *files[] = { CAVP_DIR "FIPS_186-3/SigVer.rsp", CAVP_DIR "FIPS_186-2/SigVer.rsp" };
	struct stat st;
	int run = 0, p256 = 0;

	if (stat(files[0], &st) != 0) {
		al_test_skip("the NIST CAVP vectors of python3-cryptography-vectors (" CAVP_DIR
			     "), which is not installed: scripts/setup installs it");
		return;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		run += cavp_file(files[i], &p256);
	/* 15 P-256, P-384 and P-521 vectors for each of 5 hashes (186-3), 15 each with SHA-1 (186-2) */
	ck_assert_int_eq(run, 15 * 15 + 3 * 15);
	ck_assert_int_eq(p256, 5 * 15 + 15);
	fprintf(stderr, "test_p256: %d CAVP SigVer vectors (%d P-256), all as NIST says\n", run, p256);
}
END_TEST

/* ---------------------------------------------------------------- differential */

static void
flip(uint8_t *p, size_t n)
{
	uint32_t bit = rnd((uint32_t)(8 * n));

	p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void
mpi_flip(mbedtls_mpi *x, size_t bytes)
{
	uint32_t bit = rnd((uint32_t)(8 * bytes));

	ck_assert_int_eq(mbedtls_mpi_set_bit(x, bit, (unsigned char)!mbedtls_mpi_get_bit(x, bit)), 0);
}

static void
differential(mbedtls_ecp_group_id id, int rounds)
{
	static const size_t lens[] = { 0, 1, 20, 28, 31, 32, 33, 48, 64, 66, 100 };
	key k;
	size_t nb;

	key_init(&k, id);
	nb = (k.grp.nbits + 7) / 8;
	for (int i = 0; i < rounds; i++) {
		mbedtls_mpi r, s, t;
		mbedtls_ecp_point Q2;
		uint8_t dg[100], d2[100];
		size_t dl = lens[rnd(AL_ARRAY_LEN(lens))], used = dl < nb ? dl : nb;

		mbedtls_mpi_init(&r);
		mbedtls_mpi_init(&s);
		mbedtls_mpi_init(&t);
		mbedtls_ecp_point_init(&Q2);
		ck_assert_int_eq(mbedtls_ecp_gen_keypair(&k.grp, &k.d, &k.Q, test_rng, NULL), 0);
		test_rng(NULL, dg, sizeof(dg));
		ck_assert_int_eq(mbedtls_ecdsa_sign(&k.grp, &r, &s, &k.d, dg, dl, test_rng, NULL), 0);
		ck_assert_int_eq(verify_all(&k.grp, dg, dl, &k.Q, &r, &s), 0);

		/* one bit of r, of s */
		ck_assert_int_eq(mbedtls_mpi_copy(&t, &r), 0);
		mpi_flip(&t, nb);
		ck_assert_int_ne(verify_all(&k.grp, dg, dl, &k.Q, &t, &s), 0);
		ck_assert_int_eq(mbedtls_mpi_copy(&t, &s), 0);
		mpi_flip(&t, nb);
		ck_assert_int_ne(verify_all(&k.grp, dg, dl, &k.Q, &r, &t), 0);
		/* one bit of the digest: inside the bits used it fails (with
		 * P-521 the last used byte has bits that are shifted out, so
		 * only the agreement is checked there), beyond them nothing changes */
		if (dl > 0) {
			memcpy(d2, dg, dl);
			flip(d2, used);
			if (id != MBEDTLS_ECP_DP_SECP521R1)
				ck_assert_int_ne(verify_all(&k.grp, d2, dl, &k.Q, &r, &s), 0);
			else
				(void)verify_all(&k.grp, d2, dl, &k.Q, &r, &s);
		}
		if (dl > used) {
			memcpy(d2, dg, dl);
			flip(d2 + used, dl - used);
			ck_assert_int_eq(verify_all(&k.grp, d2, dl, &k.Q, &r, &s), 0);
		}
		/* one bit of the key: off the curve (INVALID_KEY) or another key */
		ck_assert_int_eq(mbedtls_ecp_copy(&Q2, &k.Q), 0);
		mpi_flip(rnd(2) ? &Q2.MBEDTLS_PRIVATE(X) : &Q2.MBEDTLS_PRIVATE(Y), nb);
		ck_assert_int_ne(verify_all(&k.grp, dg, dl, &Q2, &r, &s), 0);
		/* s replaced by n - s (the other valid s for -k) still verifies */
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&t, &k.grp.N, &s), 0);
		ck_assert_int_eq(verify_all(&k.grp, dg, dl, &k.Q, &r, &t), 0);

		mbedtls_mpi_free(&r);
		mbedtls_mpi_free(&s);
		mbedtls_mpi_free(&t);
		mbedtls_ecp_point_free(&Q2);
	}
	key_free(&k);
}

START_TEST(differential_p256)
{
	n_checked = n_valid = 0;
	differential(MBEDTLS_ECP_DP_SECP256R1, 150);
	fprintf(stderr, "test_p256: differential P-256: %d verifications agreed (%d valid)\n", n_checked,
		n_valid);
}
END_TEST

/* mbedtls_ecdsa_verify remembers P-256 signatures that verified
 * (ecdsa_alt.c): the same verification again passes; any input changed,
 * or a failure asked again, is decided afresh, never from what was
 * remembered. */
START_TEST(remembered_only_when_verified)
{
	key k, k2;
	mbedtls_mpi r, s, t;
	uint8_t dg[48], d2[48];

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	key_init(&k2, MBEDTLS_ECP_DP_SECP256R1);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_mpi_init(&t);
	ck_assert_int_eq(mbedtls_ecp_gen_keypair(&k.grp, &k.d, &k.Q, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_ecp_gen_keypair(&k2.grp, &k2.d, &k2.Q, test_rng, NULL), 0);
	test_rng(NULL, dg, sizeof(dg));
	ck_assert_int_eq(mbedtls_ecdsa_sign(&k.grp, &r, &s, &k.d, dg, 32, test_rng, NULL), 0);
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), 0);
		/* s flipped, asked twice: a failure is not remembered */
		ck_assert_int_eq(mbedtls_mpi_copy(&t, &s), 0);
		mpi_flip(&t, 32);
		ck_assert_int_ne(verify_all(&k.grp, dg, 32, &k.Q, &r, &t), 0);
		ck_assert_int_ne(verify_all(&k.grp, dg, 32, &k.Q, &r, &t), 0);
		/* r flipped */
		ck_assert_int_eq(mbedtls_mpi_copy(&t, &r), 0);
		mpi_flip(&t, 32);
		ck_assert_int_ne(verify_all(&k.grp, dg, 32, &k.Q, &t, &s), 0);
		/* the digest: one bit, and the same bytes one shorter */
		memcpy(d2, dg, sizeof(d2));
		flip(d2, 32);
		ck_assert_int_ne(verify_all(&k.grp, d2, 32, &k.Q, &r, &s), 0);
		ck_assert_int_ne(verify_all(&k.grp, dg, 31, &k.Q, &r, &s), 0);
		/* another key */
		ck_assert_int_ne(verify_all(&k2.grp, dg, 32, &k2.Q, &r, &s), 0);
	}
	/* a longer digest whose first 32 bytes are the signed ones verifies
	 * (SEC 1 truncation), remembered apart from the 32-byte one */
	ck_assert_int_eq(verify_all(&k.grp, dg, 48, &k.Q, &r, &s), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 48, &k.Q, &r, &s), 0);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&t);
	key_free(&k);
	key_free(&k2);
}
END_TEST

START_TEST(differential_p384_p521)
{
	differential(MBEDTLS_ECP_DP_SECP384R1, 15);
	differential(MBEDTLS_ECP_DP_SECP521R1, 10);
}
END_TEST

/* ---------------------------------------------------------------- edge cases */

/* A valid signature by key k over a digest we choose, with a chosen s:
 * k random, r = x(kG) mod n, e = s k - r d mod n (the digest is e). */
static void
sign_with_s(key *k, const mbedtls_mpi *s, mbedtls_mpi *r, uint8_t dg[32])
{
	mbedtls_mpi kk, e, t;
	mbedtls_ecp_point R;

	mbedtls_mpi_init(&kk);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&t);
	mbedtls_ecp_point_init(&R);
	ck_assert_int_eq(mbedtls_ecp_gen_privkey(&k->grp, &kk, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_ecp_mul(&k->grp, &R, &kk, &k->grp.G, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_mpi_mod_mpi(r, &R.MBEDTLS_PRIVATE(X), &k->grp.N), 0);
	ck_assert_int_eq(mbedtls_mpi_mul_mpi(&e, s, &kk), 0);
	ck_assert_int_eq(mbedtls_mpi_mul_mpi(&t, r, &k->d), 0);
	ck_assert_int_eq(mbedtls_mpi_sub_mpi(&e, &e, &t), 0);
	ck_assert_int_eq(mbedtls_mpi_mod_mpi(&e, &e, &k->grp.N), 0);
	mpi_digest(&e, dg);
	mbedtls_mpi_free(&kk);
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&t);
	mbedtls_ecp_point_free(&R);
}

START_TEST(edge_r_s_bounds)
{
	key k;
	mbedtls_mpi r, s, t, one;
	uint8_t dg[32];

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	key_from_int(&k, 7);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_mpi_init(&t);
	mbedtls_mpi_init(&one);
	ck_assert_int_eq(mbedtls_mpi_lset(&one, 1), 0);

	/* a valid signature with s = 1; then s + n, s = 0, s = n */
	sign_with_s(&k, &one, &r, dg);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &one), 0);
	ck_assert_int_eq(mbedtls_mpi_add_mpi(&t, &one, &k.grp.N), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &t), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(mbedtls_mpi_lset(&t, 0), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &t), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &k.grp.N), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(mbedtls_mpi_lset(&t, -1), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &t), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	/* r = -1, 0, n, n - 1 (with s = 1 and with s = n - 1), p - 1 */
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &t, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(mbedtls_mpi_lset(&t, 0), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &t, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &k.grp.N, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(mbedtls_mpi_sub_int(&t, &k.grp.N, 1), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &t, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &t, &t), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(mbedtls_mpi_sub_int(&t, &k.grp.P, 1), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &t, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	/* r out of range with a bad key: r decides (mbedTLS's order) */
	ck_assert_int_eq(mbedtls_mpi_add_int(&k.Q.MBEDTLS_PRIVATE(X), &k.Q.MBEDTLS_PRIVATE(X), 1), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &k.grp.N, &one), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &one), MBEDTLS_ERR_ECP_INVALID_KEY);

	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&t);
	mbedtls_mpi_free(&one);
	key_free(&k);
}
END_TEST

/* Signs digests whose e is 0 (zeros, and n itself), 2^256 - 1 (reduced
 * once) and n - 1, with mbedTLS, under the keys 1, -1 (G, -G) and a random one. */
START_TEST(edge_digests_and_keys)
{
	static const int ds[] = { 1, -1, 2, 0 };
	key k;
	mbedtls_mpi r, s;
	uint8_t dgs[4][32];

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	memset(dgs[0], 0, 32);
	mpi_digest(&k.grp.N, dgs[1]);
	memset(dgs[2], 0xff, 32);
	ck_assert_int_eq(mbedtls_mpi_sub_int(&r, &k.grp.N, 1), 0);
	mpi_digest(&r, dgs[3]);
	for (size_t i = 0; i < AL_ARRAY_LEN(ds); i++) {
		if (ds[i] == 0)
			ck_assert_int_eq(mbedtls_ecp_gen_keypair(&k.grp, &k.d, &k.Q, test_rng, NULL), 0);
		else
			key_from_int(&k, ds[i]);
		for (size_t j = 0; j < 4; j++) {
			uint8_t bad[32];

			ck_assert_int_eq(mbedtls_ecdsa_sign(&k.grp, &r, &s, &k.d, dgs[j], 32, test_rng, NULL), 0);
			ck_assert_int_eq(verify_all(&k.grp, dgs[j], 32, &k.Q, &r, &s), 0);
			memcpy(bad, dgs[j], 32);
			bad[31] ^= 2;
			ck_assert_int_eq(verify_all(&k.grp, bad, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_VERIFY_FAILED);
			/* the empty digest is e = 0, as all zeros */
			if (j == 0)
				ck_assert_int_eq(verify_all(&k.grp, NULL, 0, &k.Q, &r, &s), 0);
		}
	}
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	key_free(&k);
}
END_TEST

/*
 * Under the key G (d = 1): u1 G + u2 Q = (u1 + u2) G.
 *  - e = n - r: u1 = -u2, the sum is the point at infinity: must fail.
 *  - r = s = e: u1 = u2 = 1, R = G + G, an addition of a point to itself,
 *    valid when r = x(2G) mod n.
 *  - e = r, s = 2r/k: u1 = u2, R = kG, valid for r = x(kG) mod n.
 * Under the key -G: r = s = e gives u1 = u2 = 1, R = G - G = infinity.
 */
START_TEST(edge_infinity_and_doubling)
{
	key k;
	mbedtls_mpi r, s, e, kk, t;
	mbedtls_ecp_point R;
	uint8_t dg[32];

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	key_from_int(&k, 1);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&kk);
	mbedtls_mpi_init(&t);
	mbedtls_ecp_point_init(&R);

	for (int i = 0; i < 20; i++) {
		/* infinity: r, s random, e = n - r */
		ck_assert_int_eq(mbedtls_ecp_gen_privkey(&k.grp, &r, test_rng, NULL), 0);
		ck_assert_int_eq(mbedtls_ecp_gen_privkey(&k.grp, &s, test_rng, NULL), 0);
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&e, &k.grp.N, &r), 0);
		mpi_digest(&e, dg);
		ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_VERIFY_FAILED);
		/* u1 = u2: k random, r = x(kG), s = 2r/k, e = r */
		ck_assert_int_eq(mbedtls_ecp_gen_privkey(&k.grp, &kk, test_rng, NULL), 0);
		ck_assert_int_eq(mbedtls_ecp_mul(&k.grp, &R, &kk, &k.grp.G, test_rng, NULL), 0);
		ck_assert_int_eq(mbedtls_mpi_mod_mpi(&r, &R.MBEDTLS_PRIVATE(X), &k.grp.N), 0);
		ck_assert_int_eq(mbedtls_mpi_inv_mod(&t, &kk, &k.grp.N), 0);
		ck_assert_int_eq(mbedtls_mpi_mul_mpi(&s, &r, &t), 0);
		ck_assert_int_eq(mbedtls_mpi_mul_int(&s, &s, 2), 0);
		ck_assert_int_eq(mbedtls_mpi_mod_mpi(&s, &s, &k.grp.N), 0);
		mpi_digest(&r, dg);
		ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), 0);
	}
	/* u1 = u2 = 1: r = s = e = x(2G) */
	ck_assert_int_eq(mbedtls_mpi_lset(&kk, 2), 0);
	ck_assert_int_eq(mbedtls_ecp_mul(&k.grp, &R, &kk, &k.grp.G, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_mpi_mod_mpi(&r, &R.MBEDTLS_PRIVATE(X), &k.grp.N), 0);
	mpi_digest(&r, dg);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &r), 0);
	/* the same numbers under the key -G: G - G */
	key_from_int(&k, -1);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &r), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	/* u1 = 1, u2 = n - 1 under G: e = s, r = n - s */
	key_from_int(&k, 1);
	ck_assert_int_eq(mbedtls_mpi_lset(&s, 5), 0);
	ck_assert_int_eq(mbedtls_mpi_sub_int(&r, &k.grp.N, 5), 0);
	mpi_digest(&s, dg);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_VERIFY_FAILED);

	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&kk);
	mbedtls_mpi_free(&t);
	mbedtls_ecp_point_free(&R);
	key_free(&k);
}
END_TEST

/*
 * x(R) >= n. No one can find k with x(kG) >= n (about 2^-128 of them), but
 * the key may be any point: take Q = (x, y) with n <= x < p, e = 0 (u1 = 0)
 * and s = r = x - n (u2 = 1), so R = Q and x(R) mod n = r. That signature is
 * valid and needs the r + n comparison; (r + n, s') with s' = r + n mod n is
 * the same equation with r >= n, which must be refused.
 */
START_TEST(edge_x_at_least_n)
{
	key k;
	mbedtls_mpi x, rhs, y, t, exp, rn;
	uint8_t zero[32] = { 0 }, qb[64], rb[32], sb[32];
	int found = 0;

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&rhs);
	mbedtls_mpi_init(&y);
	mbedtls_mpi_init(&t);
	mbedtls_mpi_init(&exp);
	mbedtls_mpi_init(&rn);
	/* (p + 1) / 4: p = 3 mod 4, so a square's root is rhs^((p+1)/4) */
	ck_assert_int_eq(mbedtls_mpi_add_int(&exp, &k.grp.P, 1), 0);
	ck_assert_int_eq(mbedtls_mpi_shift_r(&exp, 2), 0);
	/* x from n + 1 up, and from p - 1 down (the largest r + n) */
	for (int dir = 0; dir < 2; dir++) {
		if (dir == 0)
			ck_assert_int_eq(mbedtls_mpi_add_int(&x, &k.grp.N, 1), 0);
		else
			ck_assert_int_eq(mbedtls_mpi_sub_int(&x, &k.grp.P, 1), 0);
		for (int tries = 0; tries < 200; tries++) {
			ck_assert_int_eq(mbedtls_mpi_mul_mpi(&rhs, &x, &x), 0);
			ck_assert_int_eq(mbedtls_mpi_sub_int(&rhs, &rhs, 3), 0);
			ck_assert_int_eq(mbedtls_mpi_mul_mpi(&rhs, &rhs, &x), 0);
			ck_assert_int_eq(mbedtls_mpi_add_mpi(&rhs, &rhs, &k.grp.B), 0);
			ck_assert_int_eq(mbedtls_mpi_mod_mpi(&rhs, &rhs, &k.grp.P), 0);
			ck_assert_int_eq(mbedtls_mpi_exp_mod(&y, &rhs, &exp, &k.grp.P, NULL), 0);
			ck_assert_int_eq(mbedtls_mpi_mul_mpi(&t, &y, &y), 0);
			ck_assert_int_eq(mbedtls_mpi_mod_mpi(&t, &t, &k.grp.P), 0);
			if (mbedtls_mpi_cmp_mpi(&t, &rhs) == 0)
				break;
			ck_assert_int_eq(dir == 0 ? mbedtls_mpi_add_int(&x, &x, 1) : mbedtls_mpi_sub_int(&x, &x, 1), 0);
		}
		ck_assert_int_eq(mbedtls_mpi_cmp_mpi(&t, &rhs), 0);
		ck_assert_int_eq(mbedtls_mpi_copy(&k.Q.MBEDTLS_PRIVATE(X), &x), 0);
		ck_assert_int_eq(mbedtls_mpi_copy(&k.Q.MBEDTLS_PRIVATE(Y), &y), 0);
		ck_assert_int_eq(mbedtls_mpi_lset(&k.Q.MBEDTLS_PRIVATE(Z), 1), 0);
		ck_assert_int_eq(mbedtls_ecp_check_pubkey(&k.grp, &k.Q), 0);
		/* r = s = x - n, digest 0 */
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&rn, &x, &k.grp.N), 0);
		ck_assert_int_eq(verify_all(&k.grp, zero, 32, &k.Q, &rn, &rn), 0);
		ck_assert_int_eq(verify_all(&k.grp, zero, 32, &k.Q, &rn, &x), MBEDTLS_ERR_ECP_VERIFY_FAILED);
		/* the byte form: r = x itself (>= n) with s = x - n is refused */
		ck_assert_int_eq(mbedtls_mpi_write_binary(&x, qb, 32), 0);
		ck_assert_int_eq(mbedtls_mpi_write_binary(&y, qb + 32, 32), 0);
		ck_assert_int_eq(mbedtls_mpi_write_binary(&x, rb, 32), 0);
		ck_assert_int_eq(mbedtls_mpi_write_binary(&rn, sb, 32), 0);
		ck_assert_int_eq(al_p256_verify(zero, 32, qb, rb, sb), AL_P256_BAD_SIG);
		ck_assert_int_eq(mbedtls_mpi_write_binary(&rn, rb, 32), 0);
		ck_assert_int_eq(al_p256_verify(zero, 32, qb, rb, sb), AL_P256_OK);
		found++;
	}
	ck_assert_int_eq(found, 2);
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&rhs);
	mbedtls_mpi_free(&y);
	mbedtls_mpi_free(&t);
	mbedtls_mpi_free(&exp);
	mbedtls_mpi_free(&rn);
	key_free(&k);
}
END_TEST

/* The comparison x(R) mod n == r alone, on numbers no signature can reach. */
START_TEST(edge_x_comparison)
{
	static const char *P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
	static const char *N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	mbedtls_mpi p, n, x, r, z;
	uint8_t xb[32], rb[32], zb[32];

	mbedtls_mpi_init(&p);
	mbedtls_mpi_init(&n);
	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&z);
	mpi_hex(&p, P);
	mpi_hex(&n, N);
#define BYTES(v, b) ck_assert_int_eq(mbedtls_mpi_write_binary(&(v), (b), 32), 0)
	for (int zi = 0; zi < 3; zi++) {
		/* z = 1, z = p - 1, z = 0x1234... */
		if (zi == 0)
			ck_assert_int_eq(mbedtls_mpi_lset(&z, 1), 0);
		else if (zi == 1)
			ck_assert_int_eq(mbedtls_mpi_sub_int(&z, &p, 1), 0);
		else
			mpi_hex(&z, "123456789abcdef0fedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0");
		BYTES(z, zb);
		/* x = n + 5: r = 5 matches, 6 does not */
		ck_assert_int_eq(mbedtls_mpi_add_int(&x, &n, 5), 0);
		BYTES(x, xb);
		ck_assert_int_eq(mbedtls_mpi_lset(&r, 5), 0);
		BYTES(r, rb);
		ck_assert(al_p256_test_x_matches(xb, zb, rb));
		ck_assert_int_eq(mbedtls_mpi_lset(&r, 6), 0);
		BYTES(r, rb);
		ck_assert(!al_p256_test_x_matches(xb, zb, rb));
		/* x = 5 matches r = 5 */
		ck_assert_int_eq(mbedtls_mpi_lset(&x, 5), 0);
		BYTES(x, xb);
		ck_assert_int_eq(mbedtls_mpi_lset(&r, 5), 0);
		BYTES(r, rb);
		ck_assert(al_p256_test_x_matches(xb, zb, rb));
		/* x = p - 1 matches r = p - 1 - n, the largest r with r + n < p */
		ck_assert_int_eq(mbedtls_mpi_sub_int(&x, &p, 1), 0);
		BYTES(x, xb);
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&r, &x, &n), 0);
		BYTES(r, rb);
		ck_assert(al_p256_test_x_matches(xb, zb, rb));
		/* r = p - n: r + n = p, which is 0 mod p; x = 0 must not match */
		ck_assert_int_eq(mbedtls_mpi_sub_mpi(&r, &p, &n), 0);
		BYTES(r, rb);
		ck_assert_int_eq(mbedtls_mpi_lset(&x, 0), 0);
		BYTES(x, xb);
		ck_assert(!al_p256_test_x_matches(xb, zb, rb));
		/* r = n - 1: r + n is past 2^256 (a carry), x = n - 1 matches, x = (2n - 1) mod 2^256 does not */
		ck_assert_int_eq(mbedtls_mpi_sub_int(&r, &n, 1), 0);
		BYTES(r, rb);
		ck_assert(al_p256_test_x_matches(rb, zb, rb));
		ck_assert_int_eq(mbedtls_mpi_add_mpi(&x, &r, &n), 0);
		ck_assert_int_eq(mbedtls_mpi_mod_mpi(&x, &x, &p), 0);
		BYTES(x, xb);
		ck_assert(!al_p256_test_x_matches(xb, zb, rb));
	}
#undef BYTES
	mbedtls_mpi_free(&p);
	mbedtls_mpi_free(&n);
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&z);
}
END_TEST

/* Keys that are not points of the curve are refused as keys, in the byte
 * form and through mbedTLS, before any arithmetic. */
START_TEST(edge_bad_keys)
{
	key k;
	mbedtls_mpi r, s;
	uint8_t dg[32] = { 1 }, qb[64], rb[32], sb[32];

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	key_from_int(&k, 3);
	ck_assert_int_eq(mbedtls_ecdsa_sign(&k.grp, &r, &s, &k.d, dg, 32, test_rng, NULL), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&r, rb, 32), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&s, sb, 32), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&k.Q.MBEDTLS_PRIVATE(X), qb, 32), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&k.Q.MBEDTLS_PRIVATE(Y), qb + 32, 32), 0);
	ck_assert_int_eq(al_p256_verify(dg, 32, qb, rb, sb), AL_P256_OK);
	/* y + p (not below p), off the curve, (0, 0), all ones */
	{
		uint8_t q2[64];

		memcpy(q2, qb, 64);
		q2[63] ^= 1;
		ck_assert_int_eq(al_p256_verify(dg, 32, q2, rb, sb), AL_P256_BAD_KEY);
		memset(q2, 0, 64);
		ck_assert_int_eq(al_p256_verify(dg, 32, q2, rb, sb), AL_P256_BAD_KEY);
		memset(q2, 0xff, 64);
		ck_assert_int_eq(al_p256_verify(dg, 32, q2, rb, sb), AL_P256_BAD_KEY);
	}
	ck_assert_int_eq(mbedtls_mpi_add_mpi(&k.Q.MBEDTLS_PRIVATE(Y), &k.Q.MBEDTLS_PRIVATE(Y), &k.grp.P), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_INVALID_KEY);
	/* the same point with Z = 2 (not affine), and the point at infinity */
	key_from_int(&k, 3);
	ck_assert_int_eq(mbedtls_mpi_lset(&k.Q.MBEDTLS_PRIVATE(Z), 2), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_INVALID_KEY);
	ck_assert_int_eq(mbedtls_ecp_set_zero(&k.Q), 0);
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_INVALID_KEY);
	/* a negative coordinate */
	key_from_int(&k, 3);
	k.Q.MBEDTLS_PRIVATE(X).MBEDTLS_PRIVATE(s) = -1;
	ck_assert_int_eq(verify_all(&k.grp, dg, 32, &k.Q, &r, &s), MBEDTLS_ERR_ECP_INVALID_KEY);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	key_free(&k);
}
END_TEST

/* The crypto module's path (al_sig_verify_p1363: the key parsed by
 * crypto/sig.c, the signature through mbedtls_ecdsa_read_signature) still
 * verifies, and refuses a changed message. */
START_TEST(module_round_trip)
{
	key k;
	mbedtls_mpi r, s;
	uint8_t dg[32], sig[64], spki[91];
	al_pubkey pk;
	al_err e;
	static const uint8_t hdr[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
				       0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
				       0x42, 0x00, 0x04 };

	key_init(&k, MBEDTLS_ECP_DP_SECP256R1);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ck_assert_int_eq(mbedtls_ecp_gen_keypair(&k.grp, &k.d, &k.Q, test_rng, NULL), 0);
	al_sha256(al_bytes_str("airlock p256"), dg);
	ck_assert_int_eq(mbedtls_ecdsa_sign(&k.grp, &r, &s, &k.d, dg, 32, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&r, sig, 32), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&s, sig + 32, 32), 0);
	memcpy(spki, hdr, sizeof(hdr));
	ck_assert_int_eq(mbedtls_mpi_write_binary(&k.Q.MBEDTLS_PRIVATE(X), spki + 27, 32), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&k.Q.MBEDTLS_PRIVATE(Y), spki + 59, 32), 0);
	al_pubkey_init(&pk);
	ck_assert_ok(al_pubkey_from_spki(al_bytes_of(spki, sizeof(spki)), &pk, &e), &e);
	ck_assert_ok(al_sig_verify_p1363(&pk, AL_HASH_SHA256, al_bytes_str("airlock p256"),
					 al_bytes_of(sig, sizeof(sig)), &e), &e);
	ck_assert_rc(al_sig_verify_p1363(&pk, AL_HASH_SHA256, al_bytes_str("airlock p257"),
					 al_bytes_of(sig, sizeof(sig)), &e), AL_E_CRYPTO_SIG, &e);
	al_pubkey_free(&pk);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	key_free(&k);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("p256");
	TCase *vec = tcase_create("vectors"), *diff = tcase_create("differential"),
	      *edge = tcase_create("edges");

	tcase_set_timeout(vec, 300);
	tcase_set_timeout(diff, 600);
	tcase_set_timeout(edge, 300);
	tcase_add_test(vec, cavp_sigver);
	tcase_add_test(diff, differential_p256);
	tcase_add_test(diff, differential_p384_p521);
	tcase_add_test(diff, remembered_only_when_verified);
	tcase_add_test(edge, edge_r_s_bounds);
	tcase_add_test(edge, edge_digests_and_keys);
	tcase_add_test(edge, edge_infinity_and_doubling);
	tcase_add_test(edge, edge_x_at_least_n);
	tcase_add_test(edge, edge_x_comparison);
	tcase_add_test(edge, edge_bad_keys);
	tcase_add_test(edge, module_round_trip);
	suite_add_tcase(s, vec);
	suite_add_tcase(s, diff);
	suite_add_tcase(s, edge);
	return al_test_run(s);
}
