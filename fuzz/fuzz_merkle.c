/*
 * fuzz_merkle.c — RFC 6962 / RFC 9162 Merkle proofs (tlog/merkle.c) against
 * an independent reference written here the way RFC 6962 §2.1 states it
 * (recursive MTH, PATH and SUBPROOF on the largest power of two below n),
 * hashing through the project's SHA-256 (al_hash_*) but not through
 * al_merkle_leaf_hash / al_merkle_node_hash.
 *
 * Input: a header, then up to MAXOPS commands.
 *   header   n = 1 + byte % MAXN leaves; a seed of byte % 16 bytes; leaf i is
 *            be32(i) || seed, so no two leaves (and no two subtrees) hash alike
 *   op % 6 == 0  a correct inclusion proof of leaf m in the tree of the first
 *                s leaves, built by the reference: it must verify and give
 *                the reference root; every single-byte change of the proof,
 *                the leaf hash or the root, a hash of 31 bytes, a proof one
 *                hash shorter or longer, another leaf's hash must fail; and
 *                the proof verifies under another (index, size) exactly when
 *                that pair has the same path shape (the sequence of
 *                left/right siblings, which is all an inclusion proof binds:
 *                the checkpoint binds the size)
 *   op % 6 == 1  the same for a correct consistency proof from s1 to s2, where
 *                another (size1, size2) must verify exactly when the reference
 *                verifier accepts it
 *   op % 6 == 2  an arbitrary (index, size, leaf, proof, root): hashes are
 *                taken from the tree (any subtree hash), raw bytes, or bytes
 *                of a wrong length; merkle.c must accept exactly when the
 *                reference verifier does, and agree on the root it computes
 *   op % 6 == 3  an arbitrary (size1, size2, root1, root2, proof), likewise
 *   op % 6 == 4  a correct inclusion proof after a few edits (a hash replaced
 *                by another subtree hash, two swapped, one dropped or
 *                repeated, index or size moved): merkle.c must agree with the
 *                reference verifier
 *   op % 6 == 5  the same for a consistency proof
 *
 * Every call must also leave the heap alone (docs: hash and proof code does
 * not allocate): under a sanitizer runtime a malloc hook counts allocations
 * around each call. A rejection must be AL_E_TLOG_PROOF or AL_E_LIMIT with a
 * message, never AL_E_INTERNAL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/tlog.h"

#define HL AL_TLOG_HASH_LEN
#define MAXN 72                 /* leaves: a little past 64, so sizes cross a power of two */
#define MAXOPS 12
#define MAXP (AL_MAX_PROOF_HASHES + 6)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---------------------------------------------------------------- allocation watch */

extern int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
						     void (*f)(const volatile void *)) __attribute__((weak));
static volatile unsigned long n_allocs;

static void
on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	n_allocs++;
}

static void
on_free(const volatile void *p)
{
	(void)p;
}

static void
fail(const char *what)
{
	fprintf(stderr, "merkle property broken: %s\n", what);
	abort();
}

static void
check(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

/* ---------------------------------------------------------------- reference (RFC 6962 §2.1) */

typedef struct tree {
	size_t n;
	uint8_t leaf[MAXN][HL];
	/* memo of MTH(D[start:start+len]) */
	uint8_t memo[MAXN][MAXN + 1][HL];
	uint8_t have[MAXN][MAXN + 1];
} tree;

static tree T;

static void
ref_leaf(const uint8_t *p, size_t n, uint8_t out[HL])
{
	uint8_t full[AL_HASH_MAX], z = 0x00;
	al_hash_ctx c;

	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, &z, 1);
	al_hash_update(&c, p, n);
	al_hash_final(&c, full);
	memcpy(out, full, HL);
}

static void
ref_node(const uint8_t *l, const uint8_t *r, uint8_t out[HL])
{
	uint8_t full[AL_HASH_MAX], one = 0x01;
	al_hash_ctx c;

	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, &one, 1);
	al_hash_update(&c, l, HL);
	al_hash_update(&c, r, HL);
	al_hash_final(&c, full);
	memcpy(out, full, HL);
}

/* The largest power of two below n (n >= 2), without overflow for any n. */
static uint64_t
split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

static const uint8_t *
mth(size_t start, size_t len)
{
	if (!T.have[start][len]) {
		if (len == 1) {
			memcpy(T.memo[start][len], T.leaf[start], HL);
		} else {
			size_t k = (size_t)split(len);
			uint8_t l[HL], r[HL];

			memcpy(l, mth(start, k), HL);
			memcpy(r, mth(start + k, len - k), HL);
			ref_node(l, r, T.memo[start][len]);
		}
		T.have[start][len] = 1;
	}
	return T.memo[start][len];
}

/* PATH(m, D[start:start+len]), leaf to root. */
static void
ref_path(size_t m, size_t start, size_t len, uint8_t out[][HL], size_t *cnt)
{
	size_t k;

	if (len == 1)
		return;
	k = (size_t)split(len);
	if (m < k) {
		ref_path(m, start, k, out, cnt);
		memcpy(out[(*cnt)++], mth(start + k, len - k), HL);
	} else {
		ref_path(m - k, start + k, len - k, out, cnt);
		memcpy(out[(*cnt)++], mth(start, k), HL);
	}
}

/* SUBPROOF(m, D[start:start+len], b). */
static void
ref_subproof(size_t m, size_t start, size_t len, int b, uint8_t out[][HL], size_t *cnt)
{
	size_t k;

	if (m == len) {
		if (!b)
			memcpy(out[(*cnt)++], mth(start, len), HL);
		return;
	}
	k = (size_t)split(len);
	if (m <= k) {
		ref_subproof(m, start, k, b, out, cnt);
		memcpy(out[(*cnt)++], mth(start + k, len - k), HL);
	} else {
		ref_subproof(m - k, start + k, len - k, 0, out, cnt);
		memcpy(out[(*cnt)++], mth(start, k), HL);
	}
}

/* The path shape of (m, n): bit i set when sibling i (leaf to root) is on
 * the left. */
static void
ref_shape(uint64_t m, uint64_t n, uint64_t *bits, unsigned *len)
{
	uint64_t k;

	if (n == 1) {
		*bits = 0;
		*len = 0;
		return;
	}
	k = split(n);
	if (m < k) {
		ref_shape(m, k, bits, len);
	} else {
		ref_shape(m - k, n - k, bits, len);
		*bits |= (uint64_t)1 << *len;
	}
	(*len)++;
}

static int
all_hl(const al_bytes *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].n != HL)
			return 0;
	return 1;
}

/* The root an inclusion proof implies, by RFC 6962's recursion: 1 when the
 * proof has the right length. */
static int
ref_root(uint64_t m, uint64_t n, const uint8_t *leaf, const al_bytes *proof, size_t len, uint8_t out[HL])
{
	uint8_t t[HL];
	uint64_t k;

	if (n == 1) {
		if (len != 0)
			return 0;
		memcpy(out, leaf, HL);
		return 1;
	}
	if (len == 0)
		return 0;
	k = split(n);
	if (m < k) {
		if (!ref_root(m, k, leaf, proof, len - 1, t))
			return 0;
		ref_node(t, proof[len - 1].p, out);
	} else {
		if (!ref_root(m - k, n - k, leaf, proof, len - 1, t))
			return 0;
		ref_node(proof[len - 1].p, t, out);
	}
	return 1;
}

/* What al_merkle_root_from_inclusion must do: 1 and the root, or 0. */
static int
ref_inclusion(uint64_t m, uint64_t n, al_bytes leaf, const al_bytes *proof, size_t len, uint8_t out[HL])
{
	if (n == 0 || n > AL_MAX_TREE_SIZE || m >= n || leaf.n != HL || len > AL_MAX_PROOF_HASHES ||
	    !all_hl(proof, len))
		return 0;
	return ref_root(m, n, leaf.p, proof, len, out);
}

/* The old and new roots a consistency proof implies (SUBPROOF read back). */
static int
ref_cons_walk(uint64_t m, uint64_t n, int b, const uint8_t *root1, const al_bytes *proof, size_t len,
	      uint8_t old[HL], uint8_t nw[HL])
{
	uint8_t o[HL], w[HL];
	uint64_t k;

	if (m == n) {
		if (b) {
			if (len != 0)
				return 0;
			memcpy(old, root1, HL);
			memcpy(nw, root1, HL);
		} else {
			if (len != 1)
				return 0;
			memcpy(old, proof[0].p, HL);
			memcpy(nw, proof[0].p, HL);
		}
		return 1;
	}
	if (len == 0)
		return 0;
	k = split(n);
	if (m <= k) {
		if (!ref_cons_walk(m, k, b, root1, proof, len - 1, o, w))
			return 0;
		memcpy(old, o, HL);
		ref_node(w, proof[len - 1].p, nw);
	} else {
		if (!ref_cons_walk(m - k, n - k, 0, root1, proof, len - 1, o, w))
			return 0;
		ref_node(proof[len - 1].p, o, old);
		ref_node(proof[len - 1].p, w, nw);
	}
	return 1;
}

static int
ref_consistency(uint64_t s1, uint64_t s2, al_bytes r1, al_bytes r2, const al_bytes *proof, size_t len)
{
	uint8_t old[HL], nw[HL];

	if (s1 == 0 || s2 < s1 || s2 > AL_MAX_TREE_SIZE || len > AL_MAX_PROOF_HASHES || !all_hl(proof, len))
		return 0;
	if (s1 == s2) /* merkle.c: an empty proof and equal roots (of any equal length) */
		return len == 0 && r1.n == r2.n && (r1.n == 0 || memcmp(r1.p, r2.p, r1.n) == 0);
	if (r1.n != HL || r2.n != HL)
		return 0;
	if (!ref_cons_walk(s1, s2, 1, r1.p, proof, len, old, nw))
		return 0;
	return memcmp(old, r1.p, HL) == 0 && memcmp(nw, r2.p, HL) == 0;
}

/* ---------------------------------------------------------------- calls under watch */

static void
rejected_well(al_rc rc, const al_err *err)
{
	check(rc == AL_E_TLOG_PROOF || rc == AL_E_LIMIT, "a rejection with a code other than tlog-proof or limit");
	check(err->msg[0] != '\0', "a rejection without a message");
}

static al_rc
incl(uint64_t m, uint64_t n, al_bytes leaf, const al_bytes *proof, size_t len, al_bytes root)
{
	unsigned long before = n_allocs;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_merkle_verify_inclusion(m, n, leaf, proof, len, root, &err);
	check(n_allocs == before, "al_merkle_verify_inclusion allocated");
	if (rc != AL_OK)
		rejected_well(rc, &err);
	return rc;
}

static al_rc
incl_root(uint64_t m, uint64_t n, al_bytes leaf, const al_bytes *proof, size_t len, uint8_t out[HL])
{
	unsigned long before = n_allocs;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_merkle_root_from_inclusion(m, n, leaf, proof, len, out, &err);
	check(n_allocs == before, "al_merkle_root_from_inclusion allocated");
	if (rc != AL_OK)
		rejected_well(rc, &err);
	return rc;
}

static al_rc
cons(uint64_t s1, uint64_t s2, al_bytes r1, al_bytes r2, const al_bytes *proof, size_t len)
{
	unsigned long before = n_allocs;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_merkle_verify_consistency(s1, s2, r1, r2, proof, len, &err);
	check(n_allocs == before, "al_merkle_verify_consistency allocated");
	if (rc != AL_OK)
		rejected_well(rc, &err);
	return rc;
}

/* ---------------------------------------------------------------- input */

typedef struct cur {
	const uint8_t *p;
	size_t n, at;
} cur;

static uint8_t
u8(cur *c)
{
	return c->at < c->n ? c->p[c->at++] : 0;
}

static uint64_t
u64v(cur *c)
{
	uint8_t sel = u8(c);
	uint64_t v = 0;

	switch (sel % 5) {
	case 0:
		return u8(c);
	case 1: /* around a power of two */
		v = (uint64_t)1 << (u8(c) % 64);
		return v + (uint64_t)(int64_t)(int8_t)u8(c);
	case 2:
		for (int i = 0; i < 8; i++)
			v = v << 8 | u8(c);
		return v;
	case 3: /* around the tree size limit */
		return (uint64_t)AL_MAX_TREE_SIZE + (uint64_t)(int64_t)(int8_t)u8(c);
	default:
		return UINT64_MAX - u8(c);
	}
}

/* One hash for an arbitrary tuple, into slot (64 bytes): a subtree hash, raw
 * bytes, bytes of a wrong length, or the previous one with a bit flipped. */
static al_bytes
any_hash(cur *c, uint8_t slot[64], const uint8_t prev[HL])
{
	uint8_t sel = u8(c);

	switch (sel % 8) {
	default: {
		size_t start = u8(c) % T.n;
		size_t len = 1 + u8(c) % (T.n - start);

		memcpy(slot, mth(start, len), HL);
		return al_bytes_of(slot, HL);
	}
	case 5:
		for (size_t i = 0; i < HL; i++)
			slot[i] = u8(c);
		return al_bytes_of(slot, HL);
	case 6: {
		size_t n = u8(c) % 65;

		for (size_t i = 0; i < n; i++)
			slot[i] = u8(c);
		return al_bytes_of(n ? slot : NULL, n);
	}
	case 7: {
		uint8_t b = u8(c);

		memcpy(slot, prev, HL);
		slot[b % HL] ^= (uint8_t)(1u << (b / HL % 8));
		return al_bytes_of(slot, HL);
	}
	}
}

/* ---------------------------------------------------------------- properties */

static uint8_t P[MAXP][64];
static al_bytes PB[MAXP];

static void
set_proof(uint8_t src[][HL], size_t len)
{
	for (size_t i = 0; i < len; i++) {
		memcpy(P[i], src[i], HL);
		PB[i] = al_bytes_of(P[i], HL);
	}
}

static void
op_inclusion(cur *c)
{
	uint8_t path[MAXP][HL], root[HL], leaf[HL], got[HL], extra[HL];
	size_t s = 1 + u8(c) % T.n, m = u8(c) % s, len = 0;
	uint8_t mask = (uint8_t)(1 + u8(c) % 255);
	uint64_t bits, vb;
	unsigned blen, vl;
	al_bytes lb, rb;

	ref_path(m, 0, s, path, &len);
	memcpy(root, mth(0, s), HL);
	memcpy(leaf, T.leaf[m], HL);
	lb = al_bytes_of(leaf, HL);
	rb = al_bytes_of(root, HL);
	set_proof(path, len);
	check(incl(m, s, lb, PB, len, rb) == AL_OK, "a correct inclusion proof does not verify");
	check(incl_root(m, s, lb, PB, len, got) == AL_OK && memcmp(got, root, HL) == 0,
	      "a correct inclusion proof gives another root");
	ref_shape(m, s, &bits, &blen);
	check(blen == len, "reference: path length and shape disagree");

	/* any single changed byte of the proof */
	for (size_t i = 0; i < len; i++)
		for (size_t b = 0; b < HL; b++) {
			P[i][b] ^= mask;
			check(incl(m, s, lb, PB, len, rb) != AL_OK, "an inclusion proof with a changed byte verifies");
			P[i][b] ^= mask;
		}
	/* of the leaf hash and of the root */
	for (size_t b = 0; b < HL; b++) {
		leaf[b] ^= mask;
		check(incl(m, s, lb, PB, len, rb) != AL_OK, "an inclusion proof verifies for a changed leaf hash");
		leaf[b] ^= mask;
		root[b] ^= mask;
		check(incl(m, s, lb, PB, len, rb) != AL_OK, "an inclusion proof verifies against a changed root");
		root[b] ^= mask;
	}
	/* a hash one byte short, at each position */
	for (size_t i = 0; i < len; i++) {
		PB[i].n = HL - 1;
		check(incl(m, s, lb, PB, len, rb) != AL_OK, "an inclusion proof with a 31-byte hash verifies");
		PB[i].n = HL;
	}
	/* truncated, extended */
	if (len > 0)
		check(incl(m, s, lb, PB, len - 1, rb) != AL_OK, "a truncated inclusion proof verifies");
	if (len > 0)
		check(incl(m, s, lb, PB + 1, len - 1, rb) != AL_OK, "an inclusion proof without its first hash verifies");
	memcpy(extra, mth(u8(c) % T.n, 1), HL);
	memcpy(P[len], extra, HL);
	PB[len] = al_bytes_of(P[len], HL);
	check(incl(m, s, lb, PB, len + 1, rb) != AL_OK, "an extended inclusion proof verifies");
	/* another leaf's hash (leaves are distinct) */
	if (s > 1) {
		size_t j = (m + 1 + u8(c) % (s - 1)) % s;

		check(incl(m, s, al_bytes_of(T.leaf[j], HL), PB, len, rb) != AL_OK,
		      "an inclusion proof verifies for another leaf");
	}
	/* other (index, size): verifies exactly when the shape is the same */
	{
		uint64_t pairs[12][2] = {
			{ m + 1, s }, { m - 1, s }, { m, s + 1 }, { m, s - 1 }, { m + 1, s + 1 }, { m - 1, s - 1 },
			{ m, 2 * s }, { m + s, 2 * s },
		};
		size_t np = 8;

		while (np < 12) {
			pairs[np][0] = u64v(c);
			pairs[np][1] = u64v(c);
			np++;
		}
		for (size_t i = 0; i < np; i++) {
			uint64_t mi = pairs[i][0], si = pairs[i][1];
			int same = 0;

			if (si >= 1 && si <= AL_MAX_TREE_SIZE && mi < si) {
				ref_shape(mi, si, &vb, &vl);
				same = vl == blen && vb == bits;
			}
			if (incl(mi, si, lb, PB, len, rb) == AL_OK) {
				if (!same) {
					fprintf(stderr, "proof of leaf %zu of %zu verifies as leaf %llu of %llu\n", m, s,
						(unsigned long long)mi, (unsigned long long)si);
					fail("an inclusion proof verifies under an (index, size) of another shape");
				}
			} else if (same) {
				fprintf(stderr, "proof of leaf %zu of %zu fails as leaf %llu of %llu (same shape)\n", m, s,
					(unsigned long long)mi, (unsigned long long)si);
				fail("an inclusion proof fails under an (index, size) of the same shape");
			}
		}
	}
}

static void
op_consistency(cur *c)
{
	uint8_t proof[MAXP][HL], r1[HL], r2[HL];
	size_t s2 = 1 + u8(c) % T.n, s1 = 1 + u8(c) % s2, len = 0;
	uint8_t mask = (uint8_t)(1 + u8(c) % 255);
	al_bytes b1, b2;

	ref_subproof(s1, 0, s2, 1, proof, &len);
	memcpy(r1, mth(0, s1), HL);
	memcpy(r2, mth(0, s2), HL);
	b1 = al_bytes_of(r1, HL);
	b2 = al_bytes_of(r2, HL);
	set_proof(proof, len);
	check(ref_consistency(s1, s2, b1, b2, PB, len), "reference: its own consistency proof does not verify");
	if (cons(s1, s2, b1, b2, PB, len) != AL_OK) {
		fprintf(stderr, "sizes %zu -> %zu, %zu hashes\n", s1, s2, len);
		fail("a correct consistency proof does not verify");
	}
	for (size_t i = 0; i < len; i++)
		for (size_t b = 0; b < HL; b++) {
			P[i][b] ^= mask;
			check(cons(s1, s2, b1, b2, PB, len) != AL_OK, "a consistency proof with a changed byte verifies");
			P[i][b] ^= mask;
		}
	for (size_t b = 0; b < HL; b++) {
		r1[b] ^= mask;
		check(cons(s1, s2, b1, b2, PB, len) != AL_OK, "a consistency proof verifies for a changed old root");
		r1[b] ^= mask;
		r2[b] ^= mask;
		check(cons(s1, s2, b1, b2, PB, len) != AL_OK, "a consistency proof verifies for a changed new root");
		r2[b] ^= mask;
	}
	for (size_t i = 0; i < len; i++) {
		PB[i].n = HL + 1;
		check(cons(s1, s2, b1, b2, PB, len) != AL_OK, "a consistency proof with a 33-byte hash verifies");
		PB[i].n = HL;
	}
	if (len > 0)
		check(cons(s1, s2, b1, b2, PB, len - 1) != AL_OK, "a truncated consistency proof verifies");
	memcpy(P[len], mth(u8(c) % T.n, 1), HL);
	PB[len] = al_bytes_of(P[len], HL);
	check(cons(s1, s2, b1, b2, PB, len + 1) != AL_OK, "an extended consistency proof verifies");
	check(cons(0, s2, b1, b2, PB, len) != AL_OK, "a consistency proof from the empty tree verifies");
	{
		uint64_t pairs[10][2] = {
			{ s1 + 1, s2 }, { s1 - 1, s2 }, { s1, s2 + 1 }, { s1, s2 - 1 }, { s2, s1 }, { s1, 2 * s2 },
		};
		size_t np = 6;

		while (np < 10) {
			pairs[np][0] = u64v(c);
			pairs[np][1] = u64v(c);
			np++;
		}
		for (size_t i = 0; i < np; i++) {
			int want = ref_consistency(pairs[i][0], pairs[i][1], b1, b2, PB, len);

			if ((cons(pairs[i][0], pairs[i][1], b1, b2, PB, len) == AL_OK) != want) {
				fprintf(stderr, "proof %zu -> %zu read as %llu -> %llu: reference says %d\n", s1, s2,
					(unsigned long long)pairs[i][0], (unsigned long long)pairs[i][1], want);
				fail("merkle.c and the reference disagree on a consistency proof under other sizes");
			}
		}
	}
}

static void
op_any_inclusion(cur *c)
{
	uint8_t leafs[64], roots[64], want[HL], got[HL], prev[HL];
	uint64_t m = u64v(c), n = u64v(c);
	size_t len = u8(c) % MAXP;
	al_bytes lb, rb;
	int ok;

	memcpy(prev, mth(0, T.n), HL);
	lb = any_hash(c, leafs, prev);
	for (size_t i = 0; i < len; i++) {
		PB[i] = any_hash(c, P[i], prev);
		if (PB[i].n == HL)
			memcpy(prev, PB[i].p, HL);
	}
	rb = any_hash(c, roots, prev);
	ok = ref_inclusion(m, n, lb, PB, len, want);
	if ((incl_root(m, n, lb, PB, len, got) == AL_OK) != ok)
		fail("merkle.c and the reference disagree on whether an inclusion proof has a root");
	if (ok)
		check(memcmp(got, want, HL) == 0, "merkle.c and the reference compute different roots");
	ok = ok && rb.n == HL && memcmp(want, rb.p, HL) == 0;
	if ((incl(m, n, lb, PB, len, rb) == AL_OK) != ok) {
		fprintf(stderr, "leaf %llu of %llu, %zu hashes: reference says %d\n", (unsigned long long)m,
			(unsigned long long)n, len, ok);
		fail("merkle.c and the reference disagree on an inclusion proof");
	}
}

static void
op_any_consistency(cur *c)
{
	uint8_t r1s[64], r2s[64], prev[HL];
	uint64_t s1 = u64v(c), s2 = u64v(c);
	size_t len = u8(c) % MAXP;
	al_bytes b1, b2;
	int ok;

	memcpy(prev, mth(0, T.n), HL);
	b1 = any_hash(c, r1s, prev);
	if (b1.n == HL)
		memcpy(prev, b1.p, HL);
	for (size_t i = 0; i < len; i++) {
		PB[i] = any_hash(c, P[i], prev);
		if (PB[i].n == HL)
			memcpy(prev, PB[i].p, HL);
	}
	b2 = any_hash(c, r2s, prev);
	ok = ref_consistency(s1, s2, b1, b2, PB, len);
	if ((cons(s1, s2, b1, b2, PB, len) == AL_OK) != ok) {
		fprintf(stderr, "sizes %llu -> %llu, %zu hashes: reference says %d\n", (unsigned long long)s1,
			(unsigned long long)s2, len, ok);
		fail("merkle.c and the reference disagree on a consistency proof");
	}
}

/* Edits of a correct proof: a hash replaced by another subtree hash, two
 * hashes swapped, one dropped or repeated, the sizes or the index moved. */
static void
edit_proof(cur *c, size_t *len, uint64_t *a, uint64_t *b)
{
	int edits = 1 + u8(c) % 4;

	for (int e = 0; e < edits; e++) {
		uint8_t op = u8(c), x = u8(c), y = u8(c);
		size_t i = *len ? x % *len : 0, j = *len ? y % *len : 0;
		uint8_t t[64];

		switch (op % 6) {
		case 0:
			if (*len) {
				size_t start = x % T.n, l = 1 + y % (T.n - start);

				memcpy(P[i], mth(start, l), HL);
			}
			break;
		case 1:
			if (*len) {
				memcpy(t, P[i], HL);
				memcpy(P[i], P[j], HL);
				memcpy(P[j], t, HL);
			}
			break;
		case 2:
			if (*len) {
				memmove(P[i], P[i + 1], (*len - i - 1) * sizeof(P[0]));
				(*len)--;
			}
			break;
		case 3:
			if (*len && *len + 1 < MAXP) {
				memmove(P[i + 1], P[i], (*len - i) * sizeof(P[0]));
				(*len)++;
			}
			break;
		case 4:
			*a += (uint64_t)(int64_t)(int8_t)x;
			break;
		default:
			*b += (uint64_t)(int64_t)(int8_t)x;
			break;
		}
	}
	for (size_t k = 0; k < *len; k++)
		PB[k] = al_bytes_of(P[k], HL);
}

static void
op_edited_inclusion(cur *c)
{
	uint8_t path[MAXP][HL], root[HL], want[HL], got[HL];
	size_t s = 1 + u8(c) % T.n, m0 = u8(c) % s, len = 0;
	uint64_t m = m0, n = s;
	al_bytes lb = al_bytes_of(T.leaf[m0], HL), rb;
	int ok;

	ref_path(m0, 0, s, path, &len);
	memcpy(root, mth(0, s), HL);
	rb = al_bytes_of(root, HL);
	set_proof(path, len);
	edit_proof(c, &len, &m, &n);
	ok = ref_inclusion(m, n, lb, PB, len, want);
	if ((incl_root(m, n, lb, PB, len, got) == AL_OK) != ok)
		fail("merkle.c and the reference disagree on whether an edited inclusion proof has a root");
	if (ok)
		check(memcmp(got, want, HL) == 0, "merkle.c and the reference compute different roots (edited proof)");
	ok = ok && memcmp(want, root, HL) == 0;
	if ((incl(m, n, lb, PB, len, rb) == AL_OK) != ok) {
		fprintf(stderr, "leaf %zu of %zu edited to %llu of %llu, %zu hashes: reference says %d\n", m0, s,
			(unsigned long long)m, (unsigned long long)n, len, ok);
		fail("merkle.c and the reference disagree on an edited inclusion proof");
	}
}

static void
op_edited_consistency(cur *c)
{
	uint8_t proof[MAXP][HL], r1[HL], r2[HL];
	size_t s2 = 1 + u8(c) % T.n, s1 = 1 + u8(c) % s2, len = 0;
	uint64_t a = s1, b = s2;
	al_bytes b1 = al_bytes_of(r1, HL), b2 = al_bytes_of(r2, HL);
	int ok;

	ref_subproof(s1, 0, s2, 1, proof, &len);
	memcpy(r1, mth(0, s1), HL);
	memcpy(r2, mth(0, s2), HL);
	set_proof(proof, len);
	edit_proof(c, &len, &a, &b);
	ok = ref_consistency(a, b, b1, b2, PB, len);
	if ((cons(a, b, b1, b2, PB, len) == AL_OK) != ok) {
		fprintf(stderr, "sizes %zu -> %zu edited to %llu -> %llu, %zu hashes: reference says %d\n", s1, s2,
			(unsigned long long)a, (unsigned long long)b, len, ok);
		fail("merkle.c and the reference disagree on an edited consistency proof");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int hooked;
	cur c = { data, size, 0 };
	uint8_t seed[16], leafdata[4 + sizeof(seed)], h[HL];
	size_t seedlen;

	if (!hooked) {
		hooked = 1;
		if (__sanitizer_install_malloc_and_free_hooks)
			__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	}
	if (size > 4096)
		return 0;
	memset(T.have, 0, sizeof(T.have));
	T.n = 1 + u8(&c) % MAXN;
	seedlen = u8(&c) % sizeof(seed);
	for (size_t i = 0; i < seedlen; i++)
		seed[i] = u8(&c);
	for (size_t i = 0; i < T.n; i++) {
		leafdata[0] = (uint8_t)(i >> 24);
		leafdata[1] = (uint8_t)(i >> 16);
		leafdata[2] = (uint8_t)(i >> 8);
		leafdata[3] = (uint8_t)i;
		memcpy(leafdata + 4, seed, seedlen);
		ref_leaf(leafdata, 4 + seedlen, T.leaf[i]);
		if (i < 2) {
			al_merkle_leaf_hash(al_bytes_of(leafdata, 4 + seedlen), h);
			check(memcmp(h, T.leaf[i], HL) == 0, "al_merkle_leaf_hash differs from SHA-256(0x00 || leaf)");
		}
	}
	if (T.n >= 2) {
		al_merkle_node_hash(T.leaf[0], T.leaf[1], h);
		check(memcmp(h, mth(0, 2), HL) == 0, "al_merkle_node_hash differs from SHA-256(0x01 || l || r)");
	}
	for (int ops = 0; ops < MAXOPS && c.at < c.n; ops++) {
		switch (u8(&c) % 6) {
		case 0:
			op_inclusion(&c);
			break;
		case 1:
			op_consistency(&c);
			break;
		case 2:
			op_any_inclusion(&c);
			break;
		case 3:
			op_any_consistency(&c);
			break;
		case 4:
			op_edited_inclusion(&c);
			break;
		default:
			op_edited_consistency(&c);
			break;
		}
	}
	return 0;
}
