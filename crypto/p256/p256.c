/*
 * p256.c — ECDSA P-256 signature verification, variable time.
 *
 * Why it exists: a keyless Sigstore bundle takes about eight P-256
 * verifications, and mbedTLS's generic bignum code made them ~90% of a
 * bundle's time (docs/performance.md §3, §5.3). Every input here is public
 * (key, signature, digest), so nothing needs to be constant time; what must
 * hold is the right answer for every input an attacker can choose, edge
 * cases included (docs/verification.md, "Own P-256 verifier").
 *
 * Representation: field elements mod p and scalars mod n are four 64-bit
 * limbs, least significant first, in Montgomery form (x * 2^256 mod m) and
 * always fully reduced (0 <= x < m), so equality and zero are limb tests.
 * Points are Jacobian (X, Y, Z) = (X/Z^2, Y/Z^3); Z == 0 is the point at
 * infinity. Every addition checks for the point at infinity and for equal
 * or opposite inputs explicitly (the textbook formulas divide by zero
 * there), so the result is right for all inputs, not only for likely ones.
 *
 * R = u1*G + u2*Q is one interleaved (Shamir) double-and-add over the width-w
 * NAFs of u1 and u2: a table of odd multiples of G, affine, made once per
 * process (pthread_once), and one of odd multiples of Q made per call.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/p256/p256.h"

typedef unsigned __int128 u128;
typedef uint64_t fe[4];

/* ---------------------------------------------------------------- constants (SEC 2, FIPS 186-4 D.1.2.3) */

static const fe P_M = { 0xffffffffffffffffu, 0x00000000ffffffffu, 0x0000000000000000u, 0xffffffff00000001u };
static const fe N_M = { 0xf3b9cac2fc632551u, 0xbce6faada7179e84u, 0xffffffffffffffffu, 0xffffffff00000000u };
static const fe CURVE_B = { 0x3bce3c3e27d2604bu, 0x651d06b0cc53b0f6u, 0xb3ebbd55769886bcu, 0x5ac635d8aa3a93e7u };
static const fe G_X = { 0xf4a13945d898c296u, 0x77037d812deb33a0u, 0xf8bce6e563a440f2u, 0x6b17d1f2e12c4247u };
static const fe G_Y = { 0xcbb6406837bf51f5u, 0x2bce33576b315eceu, 0x8ee7eb4a7c0f9e16u, 0x4fe342e2fe1a7f9bu };

/* A modulus and what Montgomery arithmetic modulo it needs. */
typedef struct modulus {
	fe m;
	uint64_t n0; /* -m^-1 mod 2^64 */
	fe one;      /* 2^256 mod m: 1 in Montgomery form */
	fe rr;       /* 2^512 mod m: converts into Montgomery form */
	fe m_2;      /* m - 2: the exponent of an inversion (Fermat; m is prime) */
} modulus;

static const fe FE_ZERO = { 0 };

/* Filled by init(), read-only after it. */
static modulus PM, NM;
static fe B_MONT;

/* ---------------------------------------------------------------- limbs */

static void
fe_copy(fe o, const fe a)
{
	memcpy(o, a, sizeof(fe));
}

static bool
fe_is_zero(const fe a)
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static bool
fe_eq(const fe a, const fe b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

/* a < b as integers */
static bool
fe_lt(const fe a, const fe b)
{
	for (int i = 3; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i];
	return false;
}

/* o = a - b mod 2^256; returns the borrow */
static uint64_t
sub_raw(fe o, const fe a, const fe b)
{
	uint64_t borrow = 0;

	for (int i = 0; i < 4; i++) {
		u128 d = (u128)a[i] - b[i] - borrow;

		o[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

/* o = a + b mod 2^256; returns the carry */
static uint64_t
add_raw(fe o, const fe a, const fe b)
{
	u128 c = 0;

	for (int i = 0; i < 4; i++) {
		c += (u128)a[i] + b[i];
		o[i] = (uint64_t)c;
		c >>= 64;
	}
	return (uint64_t)c;
}

static void
from_be(fe o, const uint8_t b[32])
{
	for (int i = 0; i < 4; i++) {
		uint64_t v = 0;

		for (int j = 0; j < 8; j++)
			v = (v << 8) | b[8 * i + j];
		o[3 - i] = v;
	}
}

/* ---------------------------------------------------------------- arithmetic mod m (inputs < m, outputs < m) */

static void
mod_add(fe o, const fe a, const fe b, const modulus *m)
{
	fe t, u;
	uint64_t carry = add_raw(t, a, b);
	uint64_t borrow = sub_raw(u, t, m->m);

	/* a + b < 2m: subtract m once when the sum reached it */
	fe_copy(o, (carry || !borrow) ? u : t);
}

static void
mod_sub(fe o, const fe a, const fe b, const modulus *m)
{
	fe t, u;

	if (sub_raw(t, a, b)) {
		(void)add_raw(u, t, m->m);
		fe_copy(o, u);
	} else {
		fe_copy(o, t);
	}
}

/*
 * o = a * b / 2^256 mod m (Montgomery multiplication, operand scanning).
 * Needs a * b < m * 2^256, which holds when b < m and a < 2^256; the result
 * before the last subtraction is then below 2m. Inlined with m and n0 as
 * constants (the field multiplication), the compiler drops the products by
 * p's zero limb and turns those by its all-ones limbs into shifts.
 */
static inline __attribute__((always_inline)) void
mont_mul_c(fe o, const fe a, const fe b, const fe mm, uint64_t n0)
{
	uint64_t t[6] = { 0 };
	fe u;

	for (int i = 0; i < 4; i++) {
		u128 c = 0;
		uint64_t k;

		for (int j = 0; j < 4; j++) {
			c += (u128)a[j] * b[i] + t[j];
			t[j] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[4] = (uint64_t)c;
		t[5] = (uint64_t)(c >> 64);

		k = t[0] * n0;
		c = (u128)k * mm[0] + t[0];
		c >>= 64;
		for (int j = 1; j < 4; j++) {
			c += (u128)k * mm[j] + t[j];
			t[j - 1] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[3] = (uint64_t)c;
		t[4] = t[5] + (uint64_t)(c >> 64);
	}
	if (sub_raw(u, t, mm) == 0 || t[4] != 0)
		fe_copy(o, u);
	else
		fe_copy(o, t);
}

static void
mont_mul(fe o, const fe a, const fe b, const modulus *m)
{
	mont_mul_c(o, a, b, m->m, m->n0);
}

/* p = -1 mod 2^64, so -p^-1 mod 2^64 is 1 (init() checks it against neg_inv64) */
#define P_N0 1u

/* the field multiplication: p as a constant */
static void
fmul(fe o, const fe a, const fe b)
{
	mont_mul_c(o, a, b, P_M, P_N0);
}

static void
mont_sqr(fe o, const fe a, const modulus *m)
{
	mont_mul(o, a, a, m);
}

/* a (< m) into Montgomery form */
static void
to_mont(fe o, const fe a, const modulus *m)
{
	mont_mul(o, a, m->rr, m);
}

/* o = a^-1 in Montgomery form (a != 0, Montgomery form), as a^(m-2) with a
 * fixed 4-bit window; variable time is fine for public values. */
static void
mont_inv(fe o, const fe a, const modulus *m)
{
	fe tab[16], acc;

	fe_copy(tab[0], m->one);
	for (int i = 1; i < 16; i++)
		mont_mul(tab[i], tab[i - 1], a, m);
	fe_copy(acc, m->one);
	for (int i = 63; i >= 0; i--) {
		unsigned nib = (unsigned)(m->m_2[i / 16] >> (4 * (i % 16))) & 15;

		for (int k = 0; k < 4; k++)
			mont_sqr(acc, acc, m);
		if (nib)
			mont_mul(acc, acc, tab[nib], m);
	}
	fe_copy(o, acc);
}

/* -m0^-1 mod 2^64 by Newton's iteration: x = m0 is right to 3 bits for any
 * odd m0, and each step doubles the correct bits (3, 6, ..., 96). */
static uint64_t
neg_inv64(uint64_t m0)
{
	uint64_t x = m0;

	for (int i = 0; i < 5; i++)
		x *= 2 - m0 * x;
	return (uint64_t)0 - x;
}

static void
modulus_init(modulus *m, const fe v)
{
	static const fe two = { 2, 0, 0, 0 };

	fe_copy(m->m, v);
	m->n0 = neg_inv64(v[0]);
	/* 2^256 - m, already below m because m > 2^255 */
	(void)sub_raw(m->one, FE_ZERO, v);
	/* 2^256 doubled 256 times */
	fe_copy(m->rr, m->one);
	for (int i = 0; i < 256; i++)
		mod_add(m->rr, m->rr, m->rr, m);
	(void)sub_raw(m->m_2, v, two);
}

/* ---------------------------------------------------------------- field shorthands (mod p) */

#define F_MUL(o, a, b) fmul((o), (a), (b))
#define F_SQR(o, a) fmul((o), (a), (a))
#define F_ADD(o, a, b) mod_add((o), (a), (b), &PM)
#define F_SUB(o, a, b) mod_sub((o), (a), (b), &PM)

/* ---------------------------------------------------------------- points */

typedef struct jac {
	fe x, y, z; /* z == 0: the point at infinity */
} jac;

typedef struct aff {
	fe x, y;
} aff;

static void
set_inf(jac *o)
{
	memset(o, 0, sizeof(*o));
}

/* o = 2a (a = -3; "dbl-2001-b" of the Explicit-Formulas Database). Right
 * for the point at infinity (Z stays 0); P-256 has no point with Y == 0. */
static void
pt_dbl(jac *o, const jac *a)
{
	fe delta, gamma, beta, alpha, t1, t2;

	if (fe_is_zero(a->z)) {
		set_inf(o);
		return;
	}
	F_SQR(delta, a->z);
	F_SQR(gamma, a->y);
	F_MUL(beta, a->x, gamma);
	F_SUB(t1, a->x, delta);
	F_ADD(t2, a->x, delta);
	F_MUL(alpha, t1, t2);
	F_ADD(t1, alpha, alpha);
	F_ADD(alpha, t1, alpha);     /* 3 (X - Z^2)(X + Z^2) */
	F_ADD(t1, a->y, a->z);
	F_SQR(t1, t1);
	F_SUB(t1, t1, gamma);
	F_SUB(o->z, t1, delta);      /* 2YZ; a->z is not read after this */
	F_ADD(t2, beta, beta);
	F_ADD(t2, t2, t2);           /* 4 beta */
	F_SQR(t1, alpha);
	F_SUB(t1, t1, t2);
	F_SUB(o->x, t1, t2);         /* alpha^2 - 8 beta */
	F_SUB(t2, t2, o->x);
	F_MUL(t2, alpha, t2);
	F_SQR(t1, gamma);
	F_ADD(t1, t1, t1);
	F_ADD(t1, t1, t1);
	F_ADD(t1, t1, t1);           /* 8 gamma^2 */
	F_SUB(o->y, t2, t1);
}

/* o = a + b, general Jacobian ("add-2007-bl"), with the cases the formula
 * cannot take handled first: either at infinity, a == b (double), a == -b. */
static void
pt_add(jac *o, const jac *a, const jac *b)
{
	fe z1z1, z2z2, u1, u2, s1, s2, h, r, i, j, v, t;

	if (fe_is_zero(a->z)) {
		*o = *b;
		return;
	}
	if (fe_is_zero(b->z)) {
		*o = *a;
		return;
	}
	F_SQR(z1z1, a->z);
	F_SQR(z2z2, b->z);
	F_MUL(u1, a->x, z2z2);
	F_MUL(u2, b->x, z1z1);
	F_MUL(t, b->z, z2z2);
	F_MUL(s1, a->y, t);
	F_MUL(t, a->z, z1z1);
	F_MUL(s2, b->y, t);
	F_SUB(h, u2, u1);
	F_SUB(r, s2, s1);
	if (fe_is_zero(h)) {
		/* same x: the same point, or opposite ones */
		if (fe_is_zero(r))
			pt_dbl(o, a);
		else
			set_inf(o);
		return;
	}
	F_ADD(r, r, r);
	F_ADD(i, h, h);
	F_SQR(i, i);                 /* (2H)^2 */
	F_MUL(j, h, i);
	F_MUL(v, u1, i);
	F_ADD(t, a->z, b->z);
	F_SQR(t, t);
	F_SUB(t, t, z1z1);
	F_SUB(t, t, z2z2);
	F_MUL(o->z, t, h);           /* a, b are not read after this */
	F_SQR(t, r);
	F_SUB(t, t, j);
	F_SUB(t, t, v);
	F_SUB(o->x, t, v);           /* r^2 - J - 2V */
	F_SUB(t, v, o->x);
	F_MUL(t, r, t);
	F_MUL(s1, s1, j);
	F_ADD(s1, s1, s1);
	F_SUB(o->y, t, s1);          /* r (V - X3) - 2 S1 J */
}

/* o = a + b with b affine ("madd-2007-bl"), with the same explicit cases.
 * neg: add -b instead. */
static void
pt_add_aff(jac *o, const jac *a, const aff *b, bool neg)
{
	fe by, z1z1, u2, s2, h, hh, r, i, j, v, t, y1;

	if (neg)
		F_SUB(by, FE_ZERO, b->y);
	else
		fe_copy(by, b->y);
	if (fe_is_zero(a->z)) {
		fe_copy(o->x, b->x);
		fe_copy(o->y, by);
		fe_copy(o->z, PM.one);
		return;
	}
	F_SQR(z1z1, a->z);
	F_MUL(u2, b->x, z1z1);
	F_MUL(t, a->z, z1z1);
	F_MUL(s2, by, t);
	F_SUB(h, u2, a->x);
	F_SUB(r, s2, a->y);
	if (fe_is_zero(h)) {
		if (fe_is_zero(r))
			pt_dbl(o, a);
		else
			set_inf(o);
		return;
	}
	F_ADD(r, r, r);
	F_SQR(hh, h);
	F_ADD(i, hh, hh);
	F_ADD(i, i, i);              /* 4 HH */
	F_MUL(j, h, i);
	F_MUL(v, a->x, i);
	fe_copy(y1, a->y);
	F_ADD(t, a->z, h);
	F_SQR(t, t);
	F_SUB(t, t, z1z1);
	F_SUB(o->z, t, hh);          /* 2 Z1 H; a->z, a->x are not read after this */
	F_SQR(t, r);
	F_SUB(t, t, j);
	F_SUB(t, t, v);
	F_SUB(o->x, t, v);
	F_SUB(t, v, o->x);
	F_MUL(t, r, t);
	F_MUL(y1, y1, j);
	F_ADD(y1, y1, y1);
	F_SUB(o->y, t, y1);
}

/* ---------------------------------------------------------------- the G table */

/* Width of the NAF of u1 (G's scalar) and of u2 (Q's): G's table is made
 * once, so it can be larger; Q's is made per call, where 5 costs least. */
#define G_W 7
#define Q_W 5
#define G_TAB (1 << (G_W - 2)) /* odd multiples 1, 3, ..., 2^(w-1) - 1 */
#define Q_TAB (1 << (Q_W - 2))

static aff g_tab[G_TAB];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Jacobian points (none at infinity) to affine, with one inversion for all
 * (each 1/Z_i from the inverse of the product of all Z). */
static void
batch_affine(aff *out, const jac *in, int n, fe *scratch)
{
	fe inv, zi, zi2, t;

	fe_copy(scratch[0], in[0].z);
	for (int i = 1; i < n; i++)
		F_MUL(scratch[i], scratch[i - 1], in[i].z);
	mont_inv(inv, scratch[n - 1], &PM);
	for (int i = n - 1; i >= 0; i--) {
		if (i > 0) {
			F_MUL(zi, inv, scratch[i - 1]);
			F_MUL(inv, inv, in[i].z);
		} else {
			fe_copy(zi, inv);
		}
		F_SQR(zi2, zi);
		F_MUL(out[i].x, in[i].x, zi2);
		F_MUL(t, zi2, zi);
		F_MUL(out[i].y, in[i].y, t);
	}
}

static void
init(void)
{
	jac tab[G_TAB], g2;
	fe scratch[G_TAB];

	modulus_init(&PM, P_M);
	if (PM.n0 != P_N0)
		abort();
	modulus_init(&NM, N_M);
	to_mont(B_MONT, CURVE_B, &PM);
	to_mont(tab[0].x, G_X, &PM);
	to_mont(tab[0].y, G_Y, &PM);
	fe_copy(tab[0].z, PM.one);
	pt_dbl(&g2, &tab[0]);
	for (int i = 1; i < G_TAB; i++)
		pt_add(&tab[i], &tab[i - 1], &g2);
	batch_affine(g_tab, tab, G_TAB, scratch);
}

/* ---------------------------------------------------------------- scalars */

/* 256 bits have a width-w NAF of at most 257 digits */
#define NAF_MAX 258

/* Width-w NAF of k (< 2^256): out[i] is the digit of 2^i, odd or zero, in
 * (-2^(w-1), 2^(w-1)); returns the number of digits. */
static int
wnaf(int8_t out[NAF_MAX], const fe k, int w)
{
	uint64_t t[5] = { k[0], k[1], k[2], k[3], 0 };
	const uint64_t mask = ((uint64_t)1 << w) - 1;
	int len = 0;

	memset(out, 0, NAF_MAX);
	while ((t[0] | t[1] | t[2] | t[3] | t[4]) != 0 && len < NAF_MAX) {
		int d = 0;

		if (t[0] & 1) {
			d = (int)(t[0] & mask);
			if (d >= (1 << (w - 1)))
				d -= 1 << w;
			/* t -= d: t becomes a multiple of 2^w */
			if (d > 0) {
				uint64_t borrow = (uint64_t)d;

				for (int i = 0; i < 5 && borrow; i++) {
					uint64_t old = t[i];

					t[i] -= borrow;
					borrow = old < borrow;
				}
			} else {
				uint64_t carry = (uint64_t)-d;

				for (int i = 0; i < 5 && carry; i++) {
					t[i] += carry;
					carry = t[i] < carry;
				}
			}
		}
		out[len++] = (int8_t)d;
		for (int i = 0; i < 4; i++)
			t[i] = (t[i] >> 1) | (t[i + 1] << 63);
		t[4] >>= 1;
	}
	return len;
}

/* ---------------------------------------------------------------- verification */

/*
 * Whether the affine x of (X, ., Z) (Z != 0) is r modulo n, without an
 * inversion: x = X / Z^2, and x mod n == r means x == r or x == r + n (x < p
 * < 2n), the second possible only when r + n < p.
 */
static bool
x_matches(const fe X, const fe Z, const fe r)
{
	fe z2, rm, t, rn;

	F_SQR(z2, Z);
	to_mont(rm, r, &PM);         /* r < n < p */
	F_MUL(t, rm, z2);
	if (fe_eq(t, X))
		return true;
	if (add_raw(rn, r, N_M) || !fe_lt(rn, P_M))
		return false;
	to_mont(rm, rn, &PM);
	F_MUL(t, rm, z2);
	return fe_eq(t, X);
}

/* y^2 == x^3 - 3x + b, Montgomery form */
static bool
on_curve(const fe x, const fe y)
{
	fe l, rgt, t;

	F_SQR(l, y);
	F_SQR(t, x);
	F_MUL(rgt, t, x);
	F_ADD(t, x, x);
	F_ADD(t, t, x);
	F_SUB(rgt, rgt, t);
	F_ADD(rgt, rgt, B_MONT);
	return fe_eq(l, rgt);
}

int
al_p256_verify(const uint8_t *digest, size_t dlen, const uint8_t q[64], const uint8_t r[32],
	       const uint8_t s[32])
{
	fe rl, sl, e, qx, qy, sinv, u1, u2;
	uint8_t eb[32] = { 0 };
	size_t use = dlen < 32 ? dlen : 32;
	int8_t n1[NAF_MAX], n2[NAF_MAX];
	jac qtab[Q_TAB], q2, acc;
	int top;

	pthread_once(&once, init);

	/* SEC 1 4.1.4 step 1: r and s in 1..n-1 */
	from_be(rl, r);
	from_be(sl, s);
	if (fe_is_zero(rl) || !fe_lt(rl, N_M) || fe_is_zero(sl) || !fe_lt(sl, N_M))
		return AL_P256_BAD_SIG;

	/* The key: coordinates below p, on the curve. A point on the curve
	 * is not the point at infinity (which has no affine form) and has
	 * order n (the cofactor is 1), so it is a valid public key. */
	from_be(qx, q);
	from_be(qy, q + 32);
	if (!fe_lt(qx, P_M) || !fe_lt(qy, P_M))
		return AL_P256_BAD_KEY;
	to_mont(qtab[0].x, qx, &PM);
	to_mont(qtab[0].y, qy, &PM);
	fe_copy(qtab[0].z, PM.one);
	if (!on_curve(qtab[0].x, qtab[0].y))
		return AL_P256_BAD_KEY;

	/* step 3: e is the leftmost 256 bits of the digest (a shorter digest
	 * is all of it), reduced mod n: e < 2^256 < 2n, one subtraction */
	if (use > 0)
		memcpy(eb + 32 - use, digest, use);
	from_be(e, eb);
	if (!fe_lt(e, N_M))
		(void)sub_raw(e, e, N_M);

	/* step 4: u1 = e/s, u2 = r/s mod n. sinv is s^-1 in Montgomery form,
	 * so a Montgomery product with it leaves plain u1, u2 */
	to_mont(sinv, sl, &NM);
	mont_inv(sinv, sinv, &NM);
	mont_mul(u1, e, sinv, &NM);
	mont_mul(u2, rl, sinv, &NM);

	/* step 5: R = u1 G + u2 Q */
	pt_dbl(&q2, &qtab[0]);
	for (int i = 1; i < Q_TAB; i++)
		pt_add(&qtab[i], &qtab[i - 1], &q2);
	{
		int l1 = wnaf(n1, u1, G_W), l2 = wnaf(n2, u2, Q_W);

		top = (l1 > l2 ? l1 : l2) - 1;
	}
	set_inf(&acc);
	for (int i = top; i >= 0; i--) {
		pt_dbl(&acc, &acc);
		if (n1[i] != 0)
			pt_add_aff(&acc, &acc, &g_tab[(n1[i] < 0 ? -n1[i] : n1[i]) / 2], n1[i] < 0);
		if (n2[i] > 0) {
			pt_add(&acc, &acc, &qtab[n2[i] / 2]);
		} else if (n2[i] < 0) {
			jac neg = qtab[-n2[i] / 2];

			F_SUB(neg.y, FE_ZERO, neg.y);
			pt_add(&acc, &acc, &neg);
		}
	}

	/* the point at infinity has no x: the signature fails */
	if (fe_is_zero(acc.z))
		return AL_P256_BAD_SIG;
	/* steps 6-8: x(R) mod n == r */
	return x_matches(acc.x, acc.z, rl) ? AL_P256_OK : AL_P256_BAD_SIG;
}

bool
al_p256_test_x_matches(const uint8_t x[32], const uint8_t z[32], const uint8_t r[32])
{
	fe xl, zl, rl, xm, zm, z2, X;

	pthread_once(&once, init);
	from_be(xl, x);
	from_be(zl, z);
	from_be(rl, r);
	if (!fe_lt(xl, P_M) || !fe_lt(zl, P_M) || fe_is_zero(zl) || !fe_lt(rl, N_M))
		return false;
	to_mont(xm, xl, &PM);
	to_mont(zm, zl, &PM);
	F_SQR(z2, zm);
	F_MUL(X, xm, z2);
	return x_matches(X, zm, rl);
}
