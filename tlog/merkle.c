/*
 * merkle.c — RFC 6962 hashing and RFC 9162 inclusion and consistency proofs.
 *
 * Everything here is hostile input: indexes, sizes and every hash of a
 * proof come from the bundle. The algorithms are RFC 9162's, step for step,
 * with the proof length also checked up front so that a wrong proof says
 * how long it should have been. No allocation: hashes live on the stack.
 */
#include <string.h>

#include "tlog/tlog.h"

#define HL AL_TLOG_HASH_LEN

void
al_merkle_leaf_hash(al_bytes leaf, uint8_t out[HL])
{
	static const uint8_t prefix = 0x00;
	uint8_t full[AL_HASH_MAX];
	al_hash_ctx c;

	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, &prefix, 1);
	al_hash_update(&c, leaf.p, leaf.n);
	al_hash_final(&c, full);
	memcpy(out, full, HL);
}

void
al_merkle_node_hash(const uint8_t left[HL], const uint8_t right[HL], uint8_t out[HL])
{
	static const uint8_t prefix = 0x01;
	uint8_t full[AL_HASH_MAX];
	al_hash_ctx c;

	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, &prefix, 1);
	al_hash_update(&c, left, HL);
	al_hash_update(&c, right, HL);
	al_hash_final(&c, full);
	/* out may alias left or right: it is written only after both are read */
	memcpy(out, full, HL);
}

/* ---------------------------------------------------------------- helpers */

static unsigned
bit_len(uint64_t x)
{
	unsigned n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

static unsigned
pop_count(uint64_t x)
{
	unsigned n = 0;

	while (x) {
		n += (unsigned)(x & 1);
		x >>= 1;
	}
	return n;
}

static unsigned
trailing_zeros(uint64_t x)
{
	unsigned n = 0;

	if (x == 0)
		return 64;
	while (!(x & 1)) {
		n++;
		x >>= 1;
	}
	return n;
}

/*
 * Length of the inclusion proof for index in a tree of size leaves: the
 * hashes below the point where the paths to index and to size-1 split
 * ("inner"), plus one per left sibling above it ("border").
 */
static size_t
inclusion_len(uint64_t index, uint64_t size, unsigned *inner_out)
{
	unsigned inner = bit_len(index ^ (size - 1));

	if (inner_out)
		*inner_out = inner;
	return inner + pop_count(index >> inner);
}

static al_rc
check_hashes(const char *what, const al_bytes *proof, size_t nproof, al_err *err)
{
	if (nproof > AL_MAX_PROOF_HASHES)
		return al_err_set(err, AL_E_LIMIT, "%s has %zu hashes, more than the limit of %d", what,
				  nproof, AL_MAX_PROOF_HASHES);
	if (nproof && proof == NULL)
		return al_err_set(err, AL_E_INTERNAL, "%s: no hashes given", what);
	for (size_t i = 0; i < nproof; i++)
		if (proof[i].n != HL || proof[i].p == NULL)
			return al_err_set(err, AL_E_TLOG_PROOF, "%s hash %zu is %zu bytes, want %d", what, i,
					  proof[i].n, HL);
	return AL_OK;
}

static void
hex_prefix(const uint8_t *h, size_t n, char out[2 * HL + 1])
{
	al_hex_encode(h, n > HL ? HL : n, out);
}

/* ---------------------------------------------------------------- inclusion */

al_rc
al_merkle_root_from_inclusion(uint64_t index, uint64_t size, al_bytes leaf_hash, const al_bytes *proof,
			      size_t nproof, uint8_t root[HL], al_err *err)
{
	uint8_t r[HL];
	uint64_t fn, sn;
	size_t want;
	al_rc rc;

	if (size == 0)
		return al_err_set(err, AL_E_TLOG_PROOF, "inclusion proof: tree size 0 includes no leaf");
	if (size > AL_MAX_TREE_SIZE)
		return al_err_set(err, AL_E_LIMIT, "inclusion proof: tree size %llu exceeds the limit of %llu",
				  (unsigned long long)size, (unsigned long long)AL_MAX_TREE_SIZE);
	if (index >= size)
		return al_err_set(err, AL_E_TLOG_PROOF,
				  "inclusion proof: leaf index %llu is not below the tree size %llu",
				  (unsigned long long)index, (unsigned long long)size);
	if (leaf_hash.n != HL || leaf_hash.p == NULL)
		return al_err_set(err, AL_E_TLOG_PROOF, "inclusion proof: leaf hash is %zu bytes, want %d",
				  leaf_hash.n, HL);
	if ((rc = check_hashes("inclusion proof", proof, nproof, err)) != AL_OK)
		return rc;
	want = inclusion_len(index, size, NULL);
	if (nproof != want)
		return al_err_set(err, AL_E_TLOG_PROOF,
				  "inclusion proof has %zu hashes; leaf %llu of a tree of size %llu needs %zu",
				  nproof, (unsigned long long)index, (unsigned long long)size, want);

	/* RFC 9162 §2.1.3.2 */
	memcpy(r, leaf_hash.p, HL);
	fn = index;
	sn = size - 1;
	for (size_t i = 0; i < nproof; i++) {
		if (sn == 0)
			return al_err_set(err, AL_E_TLOG_PROOF, "inclusion proof: too many hashes");
		if ((fn & 1) || fn == sn) {
			al_merkle_node_hash(proof[i].p, r, r);
			/* fn is the last node of its level: climb past the levels
			 * where it has no right sibling */
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			al_merkle_node_hash(r, proof[i].p, r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return al_err_set(err, AL_E_TLOG_PROOF, "inclusion proof: too few hashes");
	memcpy(root, r, HL);
	return AL_OK;
}

al_rc
al_merkle_verify_inclusion(uint64_t index, uint64_t size, al_bytes leaf_hash, const al_bytes *proof,
			   size_t nproof, al_bytes root, al_err *err)
{
	uint8_t got[HL];
	char hg[2 * HL + 1], hw[2 * HL + 1];
	al_rc rc;

	if (root.n != HL || root.p == NULL)
		return al_err_set(err, AL_E_TLOG_PROOF, "inclusion proof: root hash is %zu bytes, want %d",
				  root.n, HL);
	rc = al_merkle_root_from_inclusion(index, size, leaf_hash, proof, nproof, got, err);
	if (rc != AL_OK)
		return rc;
	if (!al_ct_eq(got, root.p, HL)) {
		hex_prefix(got, HL, hg);
		hex_prefix(root.p, HL, hw);
		return al_err_set(err, AL_E_TLOG_PROOF,
				  "inclusion proof for leaf %llu of %llu gives root %s, not the expected %s",
				  (unsigned long long)index, (unsigned long long)size, hg, hw);
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- consistency */

static al_rc
consistency_root(const uint8_t got[HL], al_bytes want, const char *which, uint64_t size, al_err *err)
{
	char hg[2 * HL + 1], hw[2 * HL + 1];

	if (al_ct_eq(got, want.p, HL))
		return AL_OK;
	hex_prefix(got, HL, hg);
	hex_prefix(want.p, HL, hw);
	return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof gives %s root %s (size %llu), not the expected %s",
			  which, hg, (unsigned long long)size, hw);
}

al_rc
al_merkle_verify_consistency(uint64_t size1, uint64_t size2, al_bytes root1, al_bytes root2,
			     const al_bytes *proof, size_t nproof, al_err *err)
{
	uint8_t fr[HL], sr[HL];
	uint64_t fn, sn;
	unsigned inner, shift;
	size_t want, start, border;
	al_rc rc;

	if (size2 < size1)
		return al_err_set(err, AL_E_TLOG_PROOF,
				  "consistency proof: the new tree size %llu is below the old %llu",
				  (unsigned long long)size2, (unsigned long long)size1);
	if (size2 > AL_MAX_TREE_SIZE)
		return al_err_set(err, AL_E_LIMIT, "consistency proof: tree size %llu exceeds the limit of %llu",
				  (unsigned long long)size2, (unsigned long long)AL_MAX_TREE_SIZE);
	/* every tree extends the empty one, so such a proof would prove nothing */
	if (size1 == 0)
		return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof from an empty tree is meaningless");
	if ((rc = check_hashes("consistency proof", proof, nproof, err)) != AL_OK)
		return rc;
	if (size1 == size2) {
		if (nproof != 0)
			return al_err_set(err, AL_E_TLOG_PROOF,
					  "consistency proof between equal sizes must be empty, has %zu hashes",
					  nproof);
		/* byte equality, as RFC 9162 clients do (the transparency-dev
		 * vectors compare roots of any length here); callers hand in
		 * checkpoint roots, which are always 32 bytes */
		if (root1.n != root2.n || (root1.n && !al_ct_eq(root1.p, root2.p, root1.n)))
			return al_err_set(err, AL_E_TLOG_PROOF,
					  "consistency proof: trees of equal size %llu have different roots",
					  (unsigned long long)size1);
		return AL_OK;
	}
	if (root1.n != HL || root1.p == NULL || root2.n != HL || root2.p == NULL)
		return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof: root hashes are %zu and %zu bytes, want %d",
				  root1.n, root2.n, HL);
	if (nproof == 0)
		return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof is empty");

	/* The proof is the inclusion proof of leaf size1-1 in the new tree,
	 * cut below the largest complete subtree that ends at size1, preceded
	 * by that subtree's hash unless it is the whole old tree. */
	border = inclusion_len(size1 - 1, size2, &inner) - inner;
	shift = trailing_zeros(size1);
	if (shift >= inner) /* cannot happen for size1 < size2; keeps the subtraction safe */
		return al_err_set(err, AL_E_INTERNAL, "consistency proof: bad decomposition");
	start = (size1 == (uint64_t)1 << shift) ? 0 : 1;
	want = start + (inner - shift) + border;
	if (nproof != want)
		return al_err_set(err, AL_E_TLOG_PROOF,
				  "consistency proof has %zu hashes; sizes %llu to %llu need %zu",
				  nproof, (unsigned long long)size1, (unsigned long long)size2, want);

	/* RFC 9162 §2.1.4.2; step 2 ("prepend first_hash") is the seed choice */
	if (start == 0) {
		memcpy(fr, root1.p, HL);
	} else {
		memcpy(fr, proof[0].p, HL);
	}
	memcpy(sr, fr, HL);
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (size_t i = start; i < nproof; i++) {
		const uint8_t *c = proof[i].p;

		if (sn == 0)
			return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof: too many hashes");
		if ((fn & 1) || fn == sn) {
			al_merkle_node_hash(c, fr, fr);
			al_merkle_node_hash(c, sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			al_merkle_node_hash(sr, c, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return al_err_set(err, AL_E_TLOG_PROOF, "consistency proof: too few hashes");
	if ((rc = consistency_root(fr, root1, "old", size1, err)) != AL_OK)
		return rc;
	return consistency_root(sr, root2, "new", size2, err);
}
