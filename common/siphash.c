/*
 * siphash.c — SipHash-2-4 (Aumasson and Bernstein, 2012), keyed once per
 * process, for the hash tables that index names an attacker chooses.
 *
 * A bundle's entry names, directory names and digests are placed in open
 * addressing tables; with an unkeyed hash (FNV was used) names that share a
 * slot are cheap to make offline, and 30,000 of them in a tar took 31 s of
 * CPU to list, 100,000 several minutes: quadratic probing, an appliance
 * stalled by a USB stick. Keyed with 128 bits from getrandom, a slot cannot
 * be predicted without the key (docs/threat-model.md).
 */
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

uint64_t
al_siphash24(const uint8_t key[16], al_bytes m)
{
	const uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull, k0 ^ 0x6c7967656e657261ull,
			  k1 ^ 0x7465646279746573ull };
	uint64_t last = (uint64_t)m.n << 56, w;
	size_t full = m.n - m.n % 8;

	for (size_t i = 0; i < full; i += 8) {
		w = le64(m.p + i);
		v[3] ^= w;
		sipround(v);
		sipround(v);
		v[0] ^= w;
	}
	for (size_t i = full; i < m.n; i++)
		last |= (uint64_t)m.p[i] << (8 * (i - full));
	v[3] ^= last;
	sipround(v);
	sipround(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint8_t process_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void
key_init(void)
{
	size_t got = 0;

	/* blocks only until the kernel's generator is first seeded, which
	 * Linux >= 5.4 does within about a second of boot (jitter entropy),
	 * the appliance's case too */
	while (got < sizeof(process_key)) {
		ssize_t n = getrandom(process_key + got, sizeof(process_key) - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(process_key)) {
		/* no getrandom (a kernel older than 3.17): an unpredictable
		 * enough key from what differs between runs; still keyed, so
		 * slots differ from one run to the next */
		struct timespec ts;
		uint64_t a, b;

		clock_gettime(CLOCK_REALTIME, &ts);
		a = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 48;
		b = al_monotonic_ns() ^ (uint64_t)(uintptr_t)&ts;
		memcpy(process_key, &a, 8);
		memcpy(process_key + 8, &b, 8);
	}
}

uint64_t
al_keyed_hash(al_bytes m)
{
	pthread_once(&key_once, key_init);
	return al_siphash24(process_key, m);
}
