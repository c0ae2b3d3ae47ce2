/*
 * fuzz_p256.c — airlock's P-256 verifier (crypto/p256/p256.c, behind
 * mbedtls_ecdsa_verify) against the generic path (al_ecdsa_verify_generic:
 * mbedTLS's own ECP arithmetic), which must give the same code for every
 * input; a disagreement aborts.
 *
 * Input: a header of three bytes, then the numbers each mode takes
 * (missing bytes read as zero).
 *   key  byte % 6: G, -G, 2G, 0x1234...G (fixed), d G for d from the input,
 *        or raw X || Y from the input (almost always off the curve)
 *   sig  byte % 4:
 *        0  raw r, s and digest from the input
 *        1  (u1, u2) from the input; R = u1 G + u2 Q by mbedTLS, r = x(R)
 *           mod n, s = r / u2, e = u1 s: a signature that verifies (unless
 *           R is the point at infinity or r = 0), then possibly changed
 *        2  (u1, u2) and s from the input, r = u2 s, e = u1 s: whatever
 *           u1 G + u2 Q is (with keys that are multiples of G this reaches
 *           sums that are the point at infinity or double a point)
 *        3  as 1, then r replaced by r + n and s by n - s, or one bit flipped
 *   len  digest length: byte % 70 bytes (modes 1 to 3 put e first, left-aligned)
 * Scalars are read as: a control byte, then 32 bytes; control % 4 picks
 * the 32 bytes, a small number (the next byte), n minus a small number, or
 * a power of two plus or minus a small number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>

#include "crypto/p256/p256.h"

typedef struct rd {
	const uint8_t *p;
	size_t n;
} rd;

static uint8_t
u8(rd *r)
{
	uint8_t v = 0;

	if (r->n > 0) {
		v = r->p[0];
		r->p++;
		r->n--;
	}
	return v;
}

static void
bytes(rd *r, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = u8(r);
}

/* deterministic bytes for mbedTLS's blinding (the results do not depend on them) */
static int
fuzz_rng(void *ctx, unsigned char *out, size_t n)
{
	uint32_t *st = ctx;

	for (size_t i = 0; i < n; i++) {
		*st = *st * 1103515245u + 12345u;
		out[i] = (unsigned char)(*st >> 16);
	}
	return 0;
}

static mbedtls_ecp_group grp;
static uint32_t rng_state = 1;
static mbedtls_ecp_point fixed[4];
static bool fixed_ready;

#define CHK(x)                  \
	do {                    \
		if ((x) != 0)   \
			abort(); \
	} while (0)

/* a scalar mod n as the header describes */
static void
scalar(rd *r, mbedtls_mpi *x)
{
	uint8_t c = u8(r), b[32];
	uint8_t small = 0;

	bytes(r, b, sizeof(b));
	small = b[0];
	switch (c % 4) {
	case 0:
		CHK(mbedtls_mpi_read_binary(x, b, sizeof(b)));
		break;
	case 1:
		CHK(mbedtls_mpi_lset(x, small));
		break;
	case 2:
		CHK(mbedtls_mpi_sub_int(x, &grp.N, small));
		break;
	default:
		CHK(mbedtls_mpi_lset(x, 1));
		CHK(mbedtls_mpi_shift_l(x, b[1] % 256));
		CHK((b[2] & 1) ? mbedtls_mpi_add_int(x, x, small) : mbedtls_mpi_sub_int(x, x, small));
		break;
	}
	CHK(mbedtls_mpi_mod_mpi(x, x, &grp.N));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd in = { data, size };
	uint8_t kmode = u8(&in), smode = u8(&in), dlen = u8(&in) % 70;
	uint8_t dg[70] = { 0 }, xy[64];
	mbedtls_mpi d, r, s, u1, u2, e, t;
	mbedtls_ecp_point Q, R;
	bool expect_valid = false;
	int a, b;

	if (grp.id == MBEDTLS_ECP_DP_NONE)
		CHK(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1));
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_mpi_init(&u1);
	mbedtls_mpi_init(&u2);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&t);
	mbedtls_ecp_point_init(&Q);
	mbedtls_ecp_point_init(&R);

	/* the four fixed keys are made once: a scalar multiplication per
	 * input would be most of the run's time */
	if (!fixed_ready) {
		for (int i = 0; i < 4; i++) {
			mbedtls_ecp_point_init(&fixed[i]);
			switch (i) {
			case 0: CHK(mbedtls_mpi_lset(&d, 1)); break;
			case 1: CHK(mbedtls_mpi_sub_int(&d, &grp.N, 1)); break;
			case 2: CHK(mbedtls_mpi_lset(&d, 2)); break;
			default:
				CHK(mbedtls_mpi_read_string(&d, 16, "123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
				break;
			}
			CHK(mbedtls_ecp_mul(&grp, &fixed[i], &d, &grp.G, fuzz_rng, &rng_state));
		}
		fixed_ready = true;
	}
	if (kmode % 6 < 4) {
		CHK(mbedtls_ecp_copy(&Q, &fixed[kmode % 6]));
	} else if (kmode % 6 == 4) {
		scalar(&in, &d);
		if (mbedtls_mpi_cmp_int(&d, 0) == 0)
			CHK(mbedtls_mpi_lset(&d, 3));
		CHK(mbedtls_ecp_mul(&grp, &Q, &d, &grp.G, fuzz_rng, &rng_state));
	} else {
		bytes(&in, xy, sizeof(xy));
		CHK(mbedtls_mpi_read_binary(&Q.MBEDTLS_PRIVATE(X), xy, 32));
		CHK(mbedtls_mpi_read_binary(&Q.MBEDTLS_PRIVATE(Y), xy + 32, 32));
		CHK(mbedtls_mpi_lset(&Q.MBEDTLS_PRIVATE(Z), 1));
	}

	if (smode % 4 == 0) {
		uint8_t rb[32], sb[32];

		bytes(&in, rb, 32);
		bytes(&in, sb, 32);
		bytes(&in, dg, dlen);
		CHK(mbedtls_mpi_read_binary(&r, rb, 32));
		CHK(mbedtls_mpi_read_binary(&s, sb, 32));
	} else {
		scalar(&in, &u1);
		scalar(&in, &u2);
		if (mbedtls_mpi_cmp_int(&u2, 0) == 0)
			CHK(mbedtls_mpi_lset(&u2, 1));
		if (smode % 4 == 2) {
			scalar(&in, &s);
			CHK(mbedtls_mpi_mul_mpi(&r, &u2, &s));
			CHK(mbedtls_mpi_mod_mpi(&r, &r, &grp.N));
		} else if (kmode % 6 != 5 &&
			   mbedtls_ecp_muladd(&grp, &R, &u1, &grp.G, &u2, &Q) == 0 && !mbedtls_ecp_is_zero(&R)) {
			/* r = x(R) mod n, s = r / u2: then r / s = u2, and e = u1 s gives e / s = u1 */
			CHK(mbedtls_mpi_mod_mpi(&r, &R.MBEDTLS_PRIVATE(X), &grp.N));
			if (mbedtls_mpi_cmp_int(&r, 0) != 0) {
				CHK(mbedtls_mpi_inv_mod(&t, &u2, &grp.N));
				CHK(mbedtls_mpi_mul_mpi(&s, &r, &t));
				CHK(mbedtls_mpi_mod_mpi(&s, &s, &grp.N));
				expect_valid = true;
			}
		}
		CHK(mbedtls_mpi_mul_mpi(&e, &u1, &s));
		CHK(mbedtls_mpi_mod_mpi(&e, &e, &grp.N));
		/* e as the digest's leftmost 32 bytes; a shorter digest takes its
		 * top bytes, which changes e (and the verdict: both must agree) */
		{
			uint8_t eb[32];

			CHK(mbedtls_mpi_write_binary(&e, eb, 32));
			memcpy(dg, eb, dlen < 32 ? dlen : 32);
			if (dlen < 32)
				expect_valid = false;
			else
				bytes(&in, dg + 32, (size_t)dlen - 32);
		}
		if (smode % 4 == 3 && expect_valid) {
			uint8_t how = u8(&in);

			expect_valid = false;
			if (how % 3 == 0) {
				CHK(mbedtls_mpi_add_mpi(&r, &r, &grp.N));
			} else if (how % 3 == 1) {
				CHK(mbedtls_mpi_sub_mpi(&s, &grp.N, &s));
				expect_valid = true; /* (r, -s) verifies too */
			} else {
				size_t bit = u8(&in);
				mbedtls_mpi *x = (how & 8) ? &r : &s;

				CHK(mbedtls_mpi_set_bit(x, bit, (unsigned char)!mbedtls_mpi_get_bit(x, bit)));
			}
		}
	}

	a = mbedtls_ecdsa_verify(&grp, dg, dlen, &Q, &r, &s);
	b = al_ecdsa_verify_generic(&grp, dg, dlen, &Q, &r, &s);
	if (a != b)
		abort();
	if (expect_valid && a != 0)
		abort();

	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&u1);
	mbedtls_mpi_free(&u2);
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&t);
	mbedtls_ecp_point_free(&Q);
	mbedtls_ecp_point_free(&R);
	return 0;
}
