/*
 * test_tlog_merkle.c — RFC 6962/9162 inclusion and consistency proofs.
 *
 * Three sources of truth: an independent recursive implementation of RFC
 * 6962 §2.1 (MTH, PATH, PROOF) over synthetic trees, checked for every
 * (index, size) and (size1, size2) pair up to 70 leaves with every failing
 * twin transparency-dev's own tests use; the transparency-dev/merkle
 * testdata vectors (all of them, each with its wantErr); and the RFC 6962
 * reference tree from transparency-dev's testonly/constants.go.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tlog/tlog.h"
#include "util/testutil.h"

static al_err err;

#define N_MAX 70
#define HL AL_TLOG_HASH_LEN

typedef struct hash {
	uint8_t h[HL];
} hash;

static hash leaves[N_MAX];

static void
make_leaves(void)
{
	for (int i = 0; i < N_MAX; i++) {
		char s[32];

		snprintf(s, sizeof(s), "leaf %d", i);
		al_merkle_leaf_hash(al_bytes_str(s), leaves[i].h);
	}
}

static uint64_t
split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* RFC 6962 §2.1 MTH over leaves[lo, lo+n) */
static hash
mth(uint64_t lo, uint64_t n)
{
	hash r, a, b;
	uint64_t k;

	if (n == 0) {
		al_sha256(al_bytes_of("", 0), r.h);
		return r;
	}
	if (n == 1)
		return leaves[lo];
	k = split_point(n);
	a = mth(lo, k);
	b = mth(lo + k, n - k);
	al_merkle_node_hash(a.h, b.h, r.h);
	return r;
}

/* RFC 6962 §2.1.1 PATH(m, D[lo, lo+n)), appended to out */
static void
path(uint64_t m, uint64_t lo, uint64_t n, hash *out, size_t *len)
{
	uint64_t k;

	if (n == 1)
		return;
	k = split_point(n);
	if (m < k) {
		path(m, lo, k, out, len);
		out[(*len)++] = mth(lo + k, n - k);
	} else {
		path(m - k, lo + k, n - k, out, len);
		out[(*len)++] = mth(lo, k);
	}
}

/* RFC 6962 §2.1.2 SUBPROOF(m, D[lo, lo+n), b) */
static void
subproof(uint64_t m, uint64_t lo, uint64_t n, bool b, hash *out, size_t *len)
{
	uint64_t k;

	if (m == n) {
		if (!b)
			out[(*len)++] = mth(lo, n);
		return;
	}
	k = split_point(n);
	if (m <= k) {
		subproof(m, lo, k, b, out, len);
		out[(*len)++] = mth(lo + k, n - k);
	} else {
		subproof(m - k, lo + k, n - k, false, out, len);
		out[(*len)++] = mth(lo, k);
	}
}

static void
to_slices(hash *h, size_t n, al_bytes *s)
{
	for (size_t i = 0; i < n; i++)
		s[i] = al_bytes_of(h[i].h, HL);
}

static bool
incl_ok(uint64_t idx, uint64_t size, al_bytes leaf, const al_bytes *p, size_t n, al_bytes root)
{
	al_err_clear(&err);
	return al_merkle_verify_inclusion(idx, size, leaf, p, n, root, &err) == AL_OK;
}

static bool
cons_ok(uint64_t s1, uint64_t s2, al_bytes r1, al_bytes r2, const al_bytes *p, size_t n)
{
	al_err_clear(&err);
	return al_merkle_verify_consistency(s1, s2, r1, r2, p, n, &err) == AL_OK;
}

/* ---------------------------------------------------------------- generated trees */

START_TEST(inclusion_all_pairs_and_twins)
{
	static const uint8_t some[HL] = { 0xab, 0xac, 0xab, 0xa0, [29] = 0x12, 0x34, 0x56 };
	size_t checked = 0, twins = 0;

	make_leaves();
	for (uint64_t n = 1; n <= N_MAX; n++) {
		hash root = mth(0, n);
		al_bytes r = al_bytes_of(root.h, HL);

		for (uint64_t m = 0; m < n; m++) {
			hash pr[AL_MAX_PROOF_HASHES + 2];
			al_bytes p[AL_MAX_PROOF_HASHES + 2], q[AL_MAX_PROOF_HASHES + 2];
			al_bytes leaf = al_bytes_of(leaves[m].h, HL);
			uint8_t got[HL], flip[HL];
			size_t len = 0;

			path(m, 0, n, pr, &len);
			to_slices(pr, len, p);
			ck_assert_msg(incl_ok(m, n, leaf, p, len, r), "leaf %llu of %llu: %s",
				      (unsigned long long)m, (unsigned long long)n, err.msg);
			ck_assert_ok(al_merkle_root_from_inclusion(m, n, leaf, p, len, got, &err), &err);
			ck_assert(memcmp(got, root.h, HL) == 0);
			checked++;

			/* failing twins (transparency-dev corruptInclusionProof) */
			ck_assert(!incl_ok(m - 1, n, leaf, p, len, r));
			ck_assert(!incl_ok(m + 1, n, leaf, p, len, r));
			ck_assert(!incl_ok(m ^ 2, n, leaf, p, len, r));
			ck_assert(!incl_ok(m, n * 2, leaf, p, len, r));
			ck_assert(!incl_ok(m, n / 2, leaf, p, len, r));
			ck_assert(!incl_ok(m, n, al_bytes_str("WrongLeaf"), p, len, r));
			ck_assert(!incl_ok(m, n, al_bytes_of(some, HL), p, len, r));
			ck_assert(!incl_ok(m, n, leaf, p, len, al_bytes_of(some, HL)));
			ck_assert(!incl_ok(m, n, leaf, p, len, al_bytes_of(leaves[m].h, 0)));
			memcpy(q, p, len * sizeof(*p));
			q[len] = al_bytes_of(NULL, 0);                 /* trailing garbage */
			ck_assert(!incl_ok(m, n, leaf, q, len + 1, r));
			q[len] = r;                                    /* trailing root */
			ck_assert(!incl_ok(m, n, leaf, q, len + 1, r));
			q[0] = r;                                      /* preceding root */
			memcpy(q + 1, p, len * sizeof(*p));
			ck_assert(!incl_ok(m, n, leaf, q, len + 1, r));
			if (len > 0)                                   /* removed component */
				ck_assert(!incl_ok(m, n, leaf, p, len - 1, r));
			if (len > 1) {                                 /* inserted component */
				q[0] = p[0];
				q[1] = al_bytes_of(some, HL);
				memcpy(q + 2, p + 1, (len - 1) * sizeof(*p));
				ck_assert(!incl_ok(m, n, leaf, q, len + 1, r));
			}
			/* a flipped bit in every proof hash, the leaf and the root */
			for (size_t i = 0; i < len; i++) {
				for (int bit = 0; bit < 8 * HL; bit += 37) {
					memcpy(q, p, len * sizeof(*p));
					memcpy(flip, pr[i].h, HL);
					flip[bit / 8] ^= (uint8_t)(1u << (bit % 8));
					q[i] = al_bytes_of(flip, HL);
					ck_assert_msg(!incl_ok(m, n, leaf, q, len, r), "flip proof[%zu] bit %d", i, bit);
					ck_assert_int_eq(err.code, AL_E_TLOG_PROOF);
					twins++;
				}
			}
			memcpy(flip, leaves[m].h, HL);
			flip[HL - 1] ^= 1;
			ck_assert(!incl_ok(m, n, al_bytes_of(flip, HL), p, len, r));
			memcpy(flip, root.h, HL);
			flip[0] ^= 0x80;
			ck_assert(!incl_ok(m, n, leaf, p, len, al_bytes_of(flip, HL)));
			twins += 16;
		}
	}
	ck_assert_uint_eq(checked, N_MAX * (N_MAX + 1) / 2);
	fprintf(stderr, "merkle: %zu inclusion proofs verified, %zu tampered twins rejected\n", checked, twins);
}
END_TEST

START_TEST(consistency_all_pairs_and_twins)
{
	size_t checked = 0;

	make_leaves();
	for (uint64_t n = 1; n <= N_MAX; n++) {
		hash r2h = mth(0, n);
		al_bytes r2 = al_bytes_of(r2h.h, HL);

		for (uint64_t m = 1; m <= n; m++) {
			hash r1h = mth(0, m), pr[AL_MAX_PROOF_HASHES + 2];
			al_bytes r1 = al_bytes_of(r1h.h, HL);
			al_bytes p[AL_MAX_PROOF_HASHES + 2], q[AL_MAX_PROOF_HASHES + 2];
			uint8_t flip[HL];
			size_t len = 0;

			subproof(m, 0, n, true, pr, &len);
			to_slices(pr, len, p);
			ck_assert_msg(cons_ok(m, n, r1, r2, p, len), "%llu -> %llu: %s", (unsigned long long)m,
				      (unsigned long long)n, err.msg);
			checked++;
			if (len == 0)
				continue;
			/* failing twins (transparency-dev corruptConsistencyProof) */
			ck_assert(!cons_ok(m - 1, n, r1, r2, p, len));
			ck_assert(!cons_ok(m + 1, n, r1, r2, p, len));
			ck_assert(!cons_ok(m ^ 2, n, r1, r2, p, len));
			ck_assert(!cons_ok(m, n * 2, r1, r2, p, len));
			ck_assert(!cons_ok(m, n / 2, r1, r2, p, len));
			ck_assert(!cons_ok(m, n, al_bytes_str("WrongRoot"), r2, p, len));
			ck_assert(!cons_ok(m, n, r1, al_bytes_str("WrongRoot"), p, len));
			/* roots of the right length, one bit off: the root comparisons
			 * themselves, not the length check, must refuse them */
			memcpy(flip, r1h.h, HL);
			flip[HL - 1] ^= 0x01;
			ck_assert(!cons_ok(m, n, al_bytes_of(flip, HL), r2, p, len));
			memcpy(flip, r2h.h, HL);
			flip[HL - 1] ^= 0x01;
			ck_assert(!cons_ok(m, n, r1, al_bytes_of(flip, HL), p, len));
			ck_assert(!cons_ok(m, n, r2, r1, p, len));
			ck_assert(!cons_ok(m, n, r1, r2, p, 0));
			ck_assert(!cons_ok(m, n, r1, r2, p, len - 1));
			memcpy(q, p, len * sizeof(*p));
			q[len] = r1;
			ck_assert(!cons_ok(m, n, r1, r2, q, len + 1));
			q[len] = al_bytes_of(NULL, 0);
			ck_assert(!cons_ok(m, n, r1, r2, q, len + 1));
			q[0] = p[0];
			memcpy(q + 1, p, len * sizeof(*p));
			ck_assert(!cons_ok(m, n, r1, r2, q, len + 1));
			for (size_t i = 0; i < len; i++) {
				memcpy(q, p, len * sizeof(*p));
				memcpy(flip, pr[i].h, HL);
				flip[i % HL] ^= 16;
				q[i] = al_bytes_of(flip, HL);
				ck_assert_msg(!cons_ok(m, n, r1, r2, q, len), "%llu -> %llu flip proof[%zu]",
					      (unsigned long long)m, (unsigned long long)n, i);
			}
		}
	}
	fprintf(stderr, "merkle: %zu consistency proofs verified\n", checked);
}
END_TEST

START_TEST(inclusion_edge_cases)
{
	uint8_t h[HL] = { 1 }, root[HL];
	al_bytes leaf = al_bytes_of(h, HL), big[AL_MAX_PROOF_HASHES + 1];

	/* size 0, index == size, index > size */
	ck_assert_rc(al_merkle_verify_inclusion(0, 0, leaf, NULL, 0, leaf, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_inclusion(1, 1, leaf, NULL, 0, leaf, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_inclusion(UINT64_MAX, 5, leaf, NULL, 0, leaf, &err), AL_E_TLOG_PROOF, &err);
	/* a single-leaf tree: the root is the leaf hash, the proof empty */
	ck_assert_ok(al_merkle_verify_inclusion(0, 1, leaf, NULL, 0, leaf, &err), &err);
	ck_assert_rc(al_merkle_verify_inclusion(0, 1, leaf, &leaf, 1, leaf, &err), AL_E_TLOG_PROOF, &err);
	/* sizes beyond the limit, proofs beyond the limit */
	ck_assert_rc(al_merkle_verify_inclusion(0, UINT64_MAX, leaf, NULL, 0, leaf, &err), AL_E_LIMIT, &err);
	for (size_t i = 0; i < AL_ARRAY_LEN(big); i++)
		big[i] = leaf;
	ck_assert_rc(al_merkle_root_from_inclusion(0, 2, leaf, big, AL_ARRAY_LEN(big), root, &err), AL_E_LIMIT,
		     &err);
	/* the largest tree: index 0 needs 62 hashes, the last leaf 62 too */
	ck_assert_ok(al_merkle_root_from_inclusion(0, AL_MAX_TREE_SIZE, leaf, big, 62, root, &err), &err);
	ck_assert_ok(al_merkle_root_from_inclusion(AL_MAX_TREE_SIZE - 1, AL_MAX_TREE_SIZE, leaf, big, 62, root,
						   &err), &err);
	ck_assert_rc(al_merkle_root_from_inclusion(0, AL_MAX_TREE_SIZE, leaf, big, 61, root, &err),
		     AL_E_TLOG_PROOF, &err);
	ck_assert(strstr(err.msg, "needs 62") != NULL);
	/* short hashes anywhere */
	ck_assert_rc(al_merkle_verify_inclusion(0, 1, al_bytes_of(h, 31), NULL, 0, leaf, &err), AL_E_TLOG_PROOF,
		     &err);
	big[1] = al_bytes_of(h, 33);
	ck_assert_rc(al_merkle_verify_inclusion(0, 4, leaf, big, 2, leaf, &err), AL_E_TLOG_PROOF, &err);
	ck_assert(strstr(err.msg, "hash 1 is 33 bytes") != NULL);
}
END_TEST

START_TEST(consistency_edge_cases)
{
	uint8_t a[HL] = { 1 }, b[HL] = { 2 };
	al_bytes ra = al_bytes_of(a, HL), rb = al_bytes_of(b, HL);

	ck_assert_ok(al_merkle_verify_consistency(5, 5, ra, ra, NULL, 0, &err), &err);
	ck_assert_rc(al_merkle_verify_consistency(5, 5, ra, rb, NULL, 0, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(5, 5, ra, ra, &ra, 1, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(0, 0, ra, ra, NULL, 0, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(0, 3, ra, rb, &ra, 1, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(4, 3, ra, rb, &ra, 1, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(3, 4, ra, rb, NULL, 0, &err), AL_E_TLOG_PROOF, &err);
	ck_assert_rc(al_merkle_verify_consistency(1, UINT64_MAX, ra, rb, &ra, 1, &err), AL_E_LIMIT, &err);
}
END_TEST

/* ---------------------------------------------------------------- transparency-dev vectors */

static al_buf
b64(const char *what, al_bytes s)
{
	al_buf out = { 0 };

	ck_assert_msg(al_b64_decode(s, false, &out, &err) == AL_OK, "%s: %s", what, err.msg);
	return out;
}

typedef struct counts {
	size_t pass, fail;
} counts;

/* Vector sizes are uint64 (one is 2^64-1, an index that underflowed): read
 * the digits from the document text, as strict JSON getters stop at 2^53. */
static uint64_t
get_u64(al_bytes doc, const char *key)
{
	char pat[64], buf[32];
	const char *at;
	size_t k = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	at = memmem(doc.p, doc.n, pat, strlen(pat));
	ck_assert_msg(at != NULL, "no %s", key);
	at += strlen(pat);
	while (*at == ' ')
		at++;
	while (k + 1 < sizeof(buf) && at[k] >= '0' && at[k] <= '9') {
		buf[k] = at[k];
		k++;
	}
	buf[k] = '\0';
	ck_assert_msg(k > 0, "%s is not a number", key);
	return strtoull(buf, NULL, 10);
}

static void
run_vector(const char *file, bool consistency, counts *c)
{
	al_buf doc = al_test_read(file), r1 = { 0 }, r2 = { 0 }, lh = { 0 }, ph[AL_MAX_PROOF_HASHES + 4];
	al_bytes p[AL_MAX_PROOF_HASHES + 4];
	al_json *j;
	const al_json *arr;
	uint64_t a, b;
	bool want_err, present;
	size_t n;
	al_rc rc;

	ck_assert_msg(al_json_parse(al_buf_bytes(&doc), &j, &err) == AL_OK, "%s: %s", file, err.msg);
	ck_assert_ok(al_json_get_bool(j, "", "wantErr", true, &want_err, &present, &err), &err);
	/* "proof": null is an empty proof (Go's nil slice) */
	ck_assert_ok(al_json_get_arr(j, "", "proof", false, &arr, &err), &err);
	n = al_json_arr_len(arr);
	ck_assert_uint_le(n, AL_MAX_PROOF_HASHES + 4);
	for (size_t i = 0; i < n; i++) {
		ph[i] = b64(file, al_json_str_bytes(al_json_arr_at(arr, i)));
		p[i] = al_buf_bytes(&ph[i]);
	}
	if (consistency) {
		al_bytes s;

		a = get_u64(al_buf_bytes(&doc), "size1");
		b = get_u64(al_buf_bytes(&doc), "size2");
		ck_assert_ok(al_json_get_str(j, "", "root1", true, &s, &err), &err);
		r1 = b64(file, s);
		ck_assert_ok(al_json_get_str(j, "", "root2", true, &s, &err), &err);
		r2 = b64(file, s);
		al_err_clear(&err);
		rc = al_merkle_verify_consistency(a, b, al_buf_bytes(&r1), al_buf_bytes(&r2), p,
						  n, &err);
	} else {
		al_bytes s;

		a = get_u64(al_buf_bytes(&doc), "leafIdx");
		b = get_u64(al_buf_bytes(&doc), "treeSize");
		ck_assert_ok(al_json_get_str(j, "", "root", true, &s, &err), &err);
		r1 = b64(file, s);
		ck_assert_ok(al_json_get_str(j, "", "leafHash", true, &s, &err), &err);
		lh = b64(file, s);
		al_err_clear(&err);
		rc = al_merkle_verify_inclusion(a, b, al_buf_bytes(&lh), p, n, al_buf_bytes(&r1),
						&err);
	}
	ck_assert_msg((rc != AL_OK) == want_err, "%s: want %s, got %s (%s)", file, want_err ? "error" : "success",
		      al_rc_name(rc), err.msg);
	if (rc != AL_OK)
		ck_assert_msg(rc == AL_E_TLOG_PROOF, "%s: %s", file, al_rc_name(rc));
	if (want_err)
		c->fail++;
	else
		c->pass++;
	for (size_t i = 0; i < n; i++)
		al_buf_free(&ph[i]);
	al_buf_free(&r1);
	al_buf_free(&r2);
	al_buf_free(&lh);
	al_json_free(j);
	al_buf_free(&doc);
}

static void
run_dir(const char *dir, bool consistency, counts *c)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		char sub[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		ck_assert(stat(sub, &st) == 0);
		if (S_ISDIR(st.st_mode))
			run_dir(sub, consistency, c);
		else if (strstr(e->d_name, ".json") != NULL)
			run_vector(sub, consistency, c);
	}
	closedir(d);
}

START_TEST(transparency_dev_inclusion_vectors)
{
	counts c = { 0, 0 };
	char dir[4096];

	if (!al_test_shared("tlog merkle vectors"))
		return;
	snprintf(dir, sizeof(dir), "%s", al_test_shared_path("vectors/transparency-dev__merkle/testdata/inclusion"));
	run_dir(dir, false, &c);
	fprintf(stderr, "merkle: transparency-dev inclusion vectors: %zu accepted, %zu rejected, all as expected\n",
		c.pass, c.fail);
	ck_assert_uint_eq(c.pass + c.fail, 98);
	ck_assert_uint_eq(c.pass, 5 + 1);
}
END_TEST

START_TEST(transparency_dev_consistency_vectors)
{
	counts c = { 0, 0 };
	char dir[4096];

	if (!al_test_shared("tlog merkle vectors"))
		return;
	snprintf(dir, sizeof(dir), "%s", al_test_shared_path("vectors/transparency-dev__merkle/testdata/consistency"));
	run_dir(dir, true, &c);
	fprintf(stderr, "merkle: transparency-dev consistency vectors: %zu accepted, %zu rejected, all as expected\n",
		c.pass, c.fail);
	ck_assert_uint_eq(c.pass + c.fail, 98);
	ck_assert_uint_eq(c.pass, 5 + 1);
}
END_TEST

START_TEST(rfc6962_reference_tree)
{
	al_buf doc;
	al_json *j;
	const al_json *inputs, *levels, *roots;
	uint8_t hashes[4][8][HL];
	size_t nleaves;

	if (!al_test_shared("tlog merkle vectors"))
		return;
	doc = al_test_read(al_test_shared_path("vectors/transparency-dev__merkle/extracted/rfc6962-reference-tree.json"));
	ck_assert_ok(al_json_parse(al_buf_bytes(&doc), &j, &err), &err);
	ck_assert_ok(al_json_get_arr(j, "", "leafInputsHex", true, &inputs, &err), &err);
	ck_assert_ok(al_json_get_arr(j, "", "nodeHashesByLevelHex", true, &levels, &err), &err);
	ck_assert_ok(al_json_get_arr(j, "", "rootHashesBySizeHex", true, &roots, &err), &err);
	nleaves = al_json_arr_len(inputs);
	ck_assert_uint_eq(nleaves, 8);
	/* leaf hashes (level 0) from the inputs */
	for (size_t i = 0; i < nleaves; i++) {
		al_buf in = al_test_hex((const char *)al_json_str_bytes(al_json_arr_at(inputs, i)).p);
		al_buf want = al_test_hex((const char *)al_json_str_bytes(al_json_arr_at(al_json_arr_at(levels, 0), i)).p);

		al_merkle_leaf_hash(al_buf_bytes(&in), hashes[0][i]);
		ck_assert_msg(memcmp(want.p, hashes[0][i], HL) == 0, "leaf %zu", i);
		memcpy(leaves[i].h, hashes[0][i], HL);
		al_buf_free(&want);
		al_buf_free(&in);
	}
	/* interior nodes */
	for (size_t lvl = 1; lvl < 4; lvl++) {
		const al_json *row = al_json_arr_at(levels, lvl);

		for (size_t i = 0; i < al_json_arr_len(row); i++) {
			al_buf want = al_test_hex((const char *)al_json_str_bytes(al_json_arr_at(row, i)).p);

			al_merkle_node_hash(hashes[lvl - 1][2 * i], hashes[lvl - 1][2 * i + 1], hashes[lvl][i]);
			ck_assert_msg(memcmp(want.p, hashes[lvl][i], HL) == 0, "level %zu node %zu", lvl, i);
			al_buf_free(&want);
		}
	}
	/* roots of every prefix, and every inclusion proof in them */
	ck_assert_uint_eq(al_json_arr_len(roots), 9);
	for (uint64_t n = 0; n <= 8; n++) {
		al_buf want = al_test_hex((const char *)al_json_str_bytes(al_json_arr_at(roots, n)).p);
		hash r = mth(0, n);

		ck_assert_msg(memcmp(want.p, r.h, HL) == 0, "root of size %llu", (unsigned long long)n);
		for (uint64_t m = 0; m < n; m++) {
			hash pr[8];
			al_bytes p[8];
			size_t len = 0;

			path(m, 0, n, pr, &len);
			to_slices(pr, len, p);
			ck_assert(incl_ok(m, n, al_bytes_of(leaves[m].h, HL), p, len, al_buf_bytes(&want)));
		}
		al_buf_free(&want);
	}
	al_json_free(j);
	al_buf_free(&doc);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tlog_merkle");
	TCase *t = tcase_create("merkle");

	tcase_set_timeout(t, 600);
	tcase_add_test(t, inclusion_all_pairs_and_twins);
	tcase_add_test(t, consistency_all_pairs_and_twins);
	tcase_add_test(t, inclusion_edge_cases);
	tcase_add_test(t, consistency_edge_cases);
	tcase_add_test(t, transparency_dev_inclusion_vectors);
	tcase_add_test(t, transparency_dev_consistency_vectors);
	tcase_add_test(t, rfc6962_reference_tree);
	suite_add_tcase(s, t);
	return al_test_run(s);
}
