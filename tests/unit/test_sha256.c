/*
 * test_sha256.c — SHA-256/384/512: FIPS 180-4 example vectors on both SHA-256
 * backends, SHA-NI against the portable compression function on random
 * inputs with random chunking, both against an independent reference
 * written here from FIPS 180-4, and the streaming file hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "util/testutil.h"

static al_err err;

/* ---------------------------------------------------------------- vectors */

static const char M448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char M896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static const struct {
	const char *msg;   /* NULL: one million 'a' */
	al_hash h;
	const char *hex;
} vectors[] = {
	{ "", AL_HASH_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", AL_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ M448, AL_HASH_SHA256, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ M896, AL_HASH_SHA256, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ NULL, AL_HASH_SHA256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	{ "abc", AL_HASH_SHA384,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	  "8086072ba1e7cc2358baeca134c825a7" },
	{ M448, AL_HASH_SHA384,
	  "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6"
	  "b0455a8520bc4e6f5fe95b1fe3c8452b" },
	{ M896, AL_HASH_SHA384,
	  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
	  "fcc7c71a557e2db966c3e9fa91746039" },
	{ NULL, AL_HASH_SHA384,
	  "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
	  "07b8b3dc38ecc4ebae97ddd87f3d8985" },
	{ "abc", AL_HASH_SHA512,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ M448, AL_HASH_SHA512,
	  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
	  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
	{ M896, AL_HASH_SHA512,
	  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
	{ NULL, AL_HASH_SHA512,
	  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
};

/* ---------------------------------------------------------------- reference SHA-256 */

/*
 * A deliberately plain SHA-256 (FIPS 180-4 §6.2), one byte at a time, so the
 * two library backends are checked against code that shares nothing with
 * them but the constants.
 */
static uint32_t
ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
ref_block(uint32_t H[8], const uint8_t blk[64])
{
	static const uint32_t K[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
		0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
		0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
		0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
		0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
		0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
		0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
		0xc67178f2,
	};
	uint32_t W[64], v[8];

	for (int t = 0; t < 64; t++) {
		if (t < 16)
			W[t] = (uint32_t)blk[4 * t] << 24 | (uint32_t)blk[4 * t + 1] << 16 |
			       (uint32_t)blk[4 * t + 2] << 8 | blk[4 * t + 3];
		else
			W[t] = (ror(W[t - 2], 17) ^ ror(W[t - 2], 19) ^ (W[t - 2] >> 10)) + W[t - 7] +
			       (ror(W[t - 15], 7) ^ ror(W[t - 15], 18) ^ (W[t - 15] >> 3)) + W[t - 16];
	}
	memcpy(v, H, sizeof(v));
	for (int t = 0; t < 64; t++) {
		uint32_t T1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + K[t] + W[t];
		uint32_t T2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));

		memmove(&v[1], &v[0], 7 * sizeof(uint32_t));
		v[4] += T1;
		v[0] = T1 + T2;
	}
	for (int i = 0; i < 8; i++)
		H[i] += v[i];
}

static void
ref_sha256(const uint8_t *m, size_t n, uint8_t out[32])
{
	uint32_t H[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	uint8_t blk[64];
	size_t fill = 0;
	uint64_t bits = (uint64_t)n * 8;

	for (size_t i = 0; i < n; i++) {
		blk[fill++] = m[i];
		if (fill == 64) {
			ref_block(H, blk);
			fill = 0;
		}
	}
	blk[fill++] = 0x80;
	if (fill > 56) {
		memset(blk + fill, 0, 64 - fill);
		ref_block(H, blk);
		fill = 0;
	}
	memset(blk + fill, 0, 56 - fill);
	for (int i = 0; i < 8; i++)
		blk[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	ref_block(H, blk);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(H[i] >> 24);
		out[4 * i + 1] = (uint8_t)(H[i] >> 16);
		out[4 * i + 2] = (uint8_t)(H[i] >> 8);
		out[4 * i + 3] = (uint8_t)H[i];
	}
}

/* ---------------------------------------------------------------- helpers */

/* Deterministic xorshift64*: the same "random" inputs on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void
fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rng() >> 56);
}

/* Hashes m in random-sized chunks (0..max_chunk bytes, zero-length included). */
static void
hash_chunked(al_hash h, const uint8_t *m, size_t n, size_t max_chunk, uint8_t out[AL_HASH_MAX])
{
	al_hash_ctx c;
	size_t off = 0;

	al_hash_init(&c, h);
	while (off < n) {
		size_t take = (size_t)(rng() % (max_chunk + 1));

		if (take > n - off)
			take = n - off;
		al_hash_update(&c, m + off, take);
		off += take;
	}
	al_hash_final(&c, out);
}

static void
hash_million_a(al_hash h, uint8_t out[AL_HASH_MAX])
{
	uint8_t a[1000];
	al_hash_ctx c;

	memset(a, 'a', sizeof(a));
	al_hash_init(&c, h);
	for (int i = 0; i < 1000; i++)
		al_hash_update(&c, a, sizeof(a));
	al_hash_final(&c, out);
}

static void
backend_note(void)
{
	if (al_sha256_ni_available())
		fprintf(stderr, "test_sha256: CPU has SHA-NI: comparing SHA-NI, portable and the reference\n");
	else
		fprintf(stderr, "\n*** test_sha256: this CPU has no SHA-NI: the SHA-NI path is NOT tested here; "
				"comparing the portable path with the reference and known digests ***\n\n");
}

/* ---------------------------------------------------------------- tests */

START_TEST(fips_vectors_both_backends)
{
	for (int ni = 0; ni < 2; ni++) {
		al_sha256_ni_enable(ni == 1);
		ck_assert(al_sha256_ni_in_use() == (ni == 1 && al_sha256_ni_available()));
		for (size_t i = 0; i < AL_ARRAY_LEN(vectors); i++) {
			uint8_t got[AL_HASH_MAX], ref[32];
			al_buf want = al_test_hex(vectors[i].hex);

			if (vectors[i].msg)
				al_hash_bytes(vectors[i].h, al_bytes_str(vectors[i].msg), got);
			else
				hash_million_a(vectors[i].h, got);
			ck_assert_uint_eq(want.n, al_hash_len(vectors[i].h));
			ck_assert_msg(memcmp(got, want.p, want.n) == 0, "vector %zu (%s, ni=%d)", i,
				      al_hash_name(vectors[i].h), ni);
			/* the unused tail of the output is zeroed */
			for (size_t j = want.n; j < AL_HASH_MAX; j++)
				ck_assert_uint_eq(got[j], 0);
			if (vectors[i].h == AL_HASH_SHA256 && vectors[i].msg) {
				ref_sha256((const uint8_t *)vectors[i].msg, strlen(vectors[i].msg), ref);
				ck_assert(memcmp(ref, want.p, 32) == 0);
				al_sha256(al_bytes_str(vectors[i].msg), ref);
				ck_assert(memcmp(ref, want.p, 32) == 0);
			}
			/* failing twin: one bit of input changed */
			if (vectors[i].msg && vectors[i].msg[0]) {
				al_buf m = { 0 };

				ck_assert_ok(al_buf_dup(&m, al_bytes_str(vectors[i].msg), &err), &err);
				m.p[m.n - 1] ^= 1;
				al_hash_bytes(vectors[i].h, al_buf_bytes(&m), got);
				ck_assert(memcmp(got, want.p, want.n) != 0);
				al_buf_free(&m);
			}
			al_buf_free(&want);
		}
	}
	al_sha256_ni_enable(true);
}
END_TEST

START_TEST(backends_agree_every_length)
{
	static uint8_t buf[1024 + 64];
	uint8_t a[AL_HASH_MAX], b[AL_HASH_MAX], ref[32];

	fill_random(buf, sizeof(buf));
	for (size_t len = 0; len <= 1024; len++) {
		/* unaligned starts too: SHA-NI loads are unaligned */
		const uint8_t *m = buf + (len % 61);

		ref_sha256(m, len, ref);
		al_sha256_ni_enable(false);
		hash_chunked(AL_HASH_SHA256, m, len, 1 + len % 130, a);
		al_sha256_ni_enable(true);
		hash_chunked(AL_HASH_SHA256, m, len, 1 + (len * 7) % 200, b);
		ck_assert_msg(memcmp(a, ref, 32) == 0, "portable != reference at length %zu", len);
		ck_assert_msg(memcmp(b, ref, 32) == 0, "SHA-NI != reference at length %zu", len);
	}
}
END_TEST

START_TEST(backends_agree_on_megabytes)
{
	size_t n = (3u << 20) + 17;
	uint8_t *m = malloc(n);
	uint8_t a[AL_HASH_MAX], b[AL_HASH_MAX], c[AL_HASH_MAX], ref[32];

	ck_assert_ptr_nonnull(m);
	fill_random(m, n);
	ref_sha256(m, n, ref);
	al_sha256_ni_enable(false);
	al_hash_bytes(AL_HASH_SHA256, al_bytes_of(m, n), a);
	al_sha256_ni_enable(true);
	al_hash_bytes(AL_HASH_SHA256, al_bytes_of(m, n), b);
	hash_chunked(AL_HASH_SHA256, m, n, 100000, c);
	ck_assert(memcmp(a, ref, 32) == 0);
	ck_assert(memcmp(b, ref, 32) == 0);
	ck_assert(memcmp(c, ref, 32) == 0);
	/* failing twin: a flipped bit deep inside changes the digest on both paths */
	m[n / 2] ^= 0x08;
	al_hash_bytes(AL_HASH_SHA256, al_bytes_of(m, n), b);
	al_sha256_ni_enable(false);
	al_hash_bytes(AL_HASH_SHA256, al_bytes_of(m, n), a);
	al_sha256_ni_enable(true);
	ck_assert(memcmp(b, ref, 32) != 0);
	ck_assert(memcmp(a, b, 32) == 0);
	free(m);
}
END_TEST

START_TEST(sha384_512_chunking)
{
	static uint8_t buf[777];
	uint8_t a[AL_HASH_MAX], b[AL_HASH_MAX];

	fill_random(buf, sizeof(buf));
	for (al_hash h = AL_HASH_SHA384; h <= AL_HASH_SHA512; h++) {
		al_hash_bytes(h, al_bytes_of(buf, sizeof(buf)), a);
		for (int round = 0; round < 20; round++) {
			hash_chunked(h, buf, sizeof(buf), 1 + (size_t)round * 13, b);
			ck_assert(memcmp(a, b, AL_HASH_MAX) == 0);
		}
	}
}
END_TEST

START_TEST(names_and_lengths)
{
	ck_assert_uint_eq(al_hash_len(AL_HASH_SHA256), 32);
	ck_assert_uint_eq(al_hash_len(AL_HASH_SHA384), 48);
	ck_assert_uint_eq(al_hash_len(AL_HASH_SHA512), 64);
	ck_assert_uint_eq(al_hash_len(AL_HASH_NONE), 0);
	ck_assert_str_eq(al_hash_name(AL_HASH_SHA384), "sha384");
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("sha512")), AL_HASH_SHA512);
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("sha384")), AL_HASH_SHA384);
	ck_assert_int_eq(al_pb_hash_by_name(al_bytes_str("SHA2_256"))->hash, AL_HASH_SHA256);
	ck_assert_int_eq(al_pb_hash_by_num(3)->hash, AL_HASH_SHA512);
	ck_assert_str_eq(al_hash_pb_name(AL_HASH_SHA384), "SHA2_384");
	/* named by the schema, not computed: listed, with no hash */
	ck_assert_int_eq(al_pb_hash_by_name(al_bytes_str("SHA3_256"))->hash, AL_HASH_NONE);
	/* failing twins: near misses and the other table's spellings are not names */
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("SHA2_256")), AL_HASH_NONE);
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("SHA384")), AL_HASH_NONE);
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("sha-256")), AL_HASH_NONE);
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("sha1")), AL_HASH_NONE);
	ck_assert_int_eq(al_hash_by_name(al_bytes_str("sha2561")), AL_HASH_NONE);
	ck_assert_int_eq(al_hash_by_name(al_bytes_of("sha256", 5)), AL_HASH_NONE);
	ck_assert_ptr_null(al_pb_hash_by_name(al_bytes_str("sha256")));
	ck_assert_ptr_null(al_pb_hash_by_num(6));
	ck_assert_ptr_null(al_hash_pb_name(AL_HASH_NONE));
}
END_TEST

START_TEST(file_hash)
{
	char path[] = "/tmp/al_test_sha256_XXXXXX";
	size_t n = (1u << 20) * 2 + 333; /* more than one read buffer */
	uint8_t *m = malloc(n), want[32], got[32];
	uint64_t size = 0;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(m);
	fill_random(m, n);
	ck_assert_int_eq(write(fd, m, n), (ssize_t)n);
	close(fd);
	ref_sha256(m, n, want);
	ck_assert_ok(al_sha256_file(path, got, &size, &err), &err);
	ck_assert(memcmp(got, want, 32) == 0);
	ck_assert_uint_eq(size, n);
	/* failing twins: a missing file, a directory */
	unlink(path);
	ck_assert_rc(al_sha256_file(path, got, NULL, &err), AL_E_IO, &err);
	ck_assert(strstr(err.msg, path) != NULL);
	ck_assert_rc(al_sha256_file("/tmp", got, NULL, &err), AL_E_IO, &err);
	ck_assert(strstr(err.msg, "directory") != NULL);
	free(m);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");

	backend_note();
	tcase_add_test(tc, fips_vectors_both_backends);
	tcase_add_test(tc, backends_agree_every_length);
	tcase_add_test(tc, backends_agree_on_megabytes);
	tcase_add_test(tc, sha384_512_chunking);
	tcase_add_test(tc, names_and_lengths);
	tcase_add_test(tc, file_hash);
	suite_add_tcase(s, tc);
	return al_test_run(s);
}
