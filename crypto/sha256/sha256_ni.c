/*
 * sha256_ni.c — the SHA-256 compression function behind mbedTLS
 * (MBEDTLS_SHA256_PROCESS_ALT): Intel SHA extensions when cpuid reports
 * them, a portable C version otherwise. mbedTLS keeps padding and length
 * handling; this file only transforms one 64-byte block.
 *
 * Compiled into the mbedTLS library target (cmake/deps.cmake) because
 * mbedTLS calls it: linking it from a later library would leave the symbol
 * unresolved in a static link.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/sha256.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define AL_HAVE_X86 1
#endif

/* Exported for crypto/digest.c; declared in crypto/crypto.h. */
bool al_sha256_ni_available(void);
bool al_sha256_ni_in_use(void);
void al_sha256_ni_enable(bool on);

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* ---------------------------------------------------------------- portable */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
process_c(uint32_t st[8], const unsigned char blk[64])
{
	uint32_t w[64], a, b, c, d, e, f, g, h;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = ((uint32_t)blk[4 * i] << 24) | ((uint32_t)blk[4 * i + 1] << 16) |
		       ((uint32_t)blk[4 * i + 2] << 8) | blk[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0]; b = st[1]; c = st[2]; d = st[3];
	e = st[4]; f = st[5]; g = st[6]; h = st[7];
	for (i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	st[0] += a; st[1] += b; st[2] += c; st[3] += d;
	st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

/* ---------------------------------------------------------------- SHA-NI */

#ifdef AL_HAVE_X86
/*
 * The SHA-NI instructions keep the state as two registers, ABEF and CDGH,
 * and process four rounds per sha256rnds2 pair. Message schedule words are
 * built with sha256msg1/msg2; the K constants are added before each round
 * pair.
 */
__attribute__((target("sha,sse4.1")))
static void
process_ni(uint32_t st[8], const unsigned char blk[64])
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1, tmp, m0, m1, m2, m3, msg, abef_save, cdgh_save;

	tmp = _mm_loadu_si128((const __m128i *)(const void *)&st[0]);  /* DCBA */
	s1 = _mm_loadu_si128((const __m128i *)(const void *)&st[4]);   /* HGFE */
	tmp = _mm_shuffle_epi32(tmp, 0xB1);                            /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);                              /* EFGH */
	s0 = _mm_alignr_epi8(tmp, s1, 8);                              /* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);                           /* CDGH */
	abef_save = s0;
	cdgh_save = s1;

#define RND4(mi, k)                                                              \
	do {                                                                     \
		msg = _mm_add_epi32((mi), _mm_loadu_si128((const __m128i *)(const void *)&K[k])); \
		s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                         \
		msg = _mm_shuffle_epi32(msg, 0x0E);                              \
		s0 = _mm_sha256rnds2_epu32(s0, s1, msg);                         \
	} while (0)

	m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blk + 0)), bswap);
	m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blk + 16)), bswap);
	m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blk + 32)), bswap);
	m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blk + 48)), bswap);

	RND4(m0, 0);
	RND4(m1, 4);
	m0 = _mm_sha256msg1_epu32(m0, m1);
	RND4(m2, 8);
	m1 = _mm_sha256msg1_epu32(m1, m2);
	RND4(m3, 12);

	/* rounds 16..63: each group finishes one schedule word set and starts another */
#define SCHED(a, b, c, d, k)                                                     \
	do {                                                                     \
		tmp = _mm_alignr_epi8((d), (c), 4);                              \
		(a) = _mm_add_epi32((a), tmp);                                   \
		(a) = _mm_sha256msg2_epu32((a), (d));                            \
		RND4((a), k);                                                    \
		(c) = _mm_sha256msg1_epu32((c), (d));                            \
	} while (0)
	/* After SCHED, the freshly finished word set is `a`. Order cycles m0..m3. */
	SCHED(m0, m1, m2, m3, 16);
	SCHED(m1, m2, m3, m0, 20);
	SCHED(m2, m3, m0, m1, 24);
	SCHED(m3, m0, m1, m2, 28);
	SCHED(m0, m1, m2, m3, 32);
	SCHED(m1, m2, m3, m0, 36);
	SCHED(m2, m3, m0, m1, 40);
	SCHED(m3, m0, m1, m2, 44);
	SCHED(m0, m1, m2, m3, 48);
	SCHED(m1, m2, m3, m0, 52);
	SCHED(m2, m3, m0, m1, 56);
	SCHED(m3, m0, m1, m2, 60);
#undef SCHED
#undef RND4

	s0 = _mm_add_epi32(s0, abef_save);
	s1 = _mm_add_epi32(s1, cdgh_save);
	tmp = _mm_shuffle_epi32(s0, 0x1B);                             /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);                              /* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);                           /* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);                              /* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&st[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&st[4], s1);
}

static bool
cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 7)
		return false;
	__cpuid_count(7, 0, a, b, c, d);
	if (!(b & (1u << 29)))           /* SHA */
		return false;
	__cpuid(1, a, b, c, d);
	return (c & (1u << 19)) && (c & (1u << 9)); /* SSE4.1, SSSE3 */
}
#endif

/* ---------------------------------------------------------------- dispatch */

/*
 * 0 portable, 1 SHA-NI. Chosen before main (a constructor) so that threads
 * hashing layers in parallel only ever read it; al_sha256_ni_enable (tests)
 * is the one writer. Relaxed atomics: the value is a hint about the CPU,
 * and both backends compute the same function.
 */
static int backend;
static bool allow_ni = true;

static int
choose(void)
{
#ifdef AL_HAVE_X86
	if (allow_ni && cpu_has_sha_ni())
		return 1;
#endif
	return 0;
}

__attribute__((constructor))
static void
init_backend(void)
{
	__atomic_store_n(&backend, choose(), __ATOMIC_RELAXED);
}

bool
al_sha256_ni_available(void)
{
#ifdef AL_HAVE_X86
	return cpu_has_sha_ni();
#else
	return false;
#endif
}

bool
al_sha256_ni_in_use(void)
{
	return __atomic_load_n(&backend, __ATOMIC_RELAXED) == 1;
}

void
al_sha256_ni_enable(bool on)
{
	allow_ni = on;
	__atomic_store_n(&backend, choose(), __ATOMIC_RELAXED);
}

int
mbedtls_internal_sha256_process(mbedtls_sha256_context *ctx, const unsigned char data[64])
{
#ifdef AL_HAVE_X86
	if (__atomic_load_n(&backend, __ATOMIC_RELAXED) == 1) {
		process_ni(ctx->MBEDTLS_PRIVATE(state), data);
		return 0;
	}
#endif
	process_c(ctx->MBEDTLS_PRIVATE(state), data);
	return 0;
}
