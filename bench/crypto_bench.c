/*
 * bench/crypto_bench.c — al-bench-crypto: ECDSA verification and in-process
 * verify-bundle speed, for tuning the mbedTLS configuration
 * (cmake/airlock_mbedtls_config.h; docs/performance.md).
 *
 *   al-bench-crypto [--runs N] [--ms M] [--only PREFIX] [SETB_DIR]
 *
 * Times, through the project's own crypto module (al_sig_verify, exactly
 * what every check calls):
 *   ecdsa_p256   one ECDSA P-256/SHA-256 signature verified (key parsed once)
 *   ecdsa_p384   one ECDSA P-384/SHA-384 signature verified
 * and, when SETB_DIR (../shared/generated/setB) is given, verify-bundle in
 * process (al_verify_bundle_cmd: trusted root, policy, bundle and artifact
 * read and checked each time, as one `airlock verify-bundle` does) of
 *   bundle_msg   msg-0000 (certificate, SCT, SET, inclusion proof, checkpoint, TSA)
 *   bundle_dsse  dsse-0000 (the same, over a DSSE envelope)
 *   bundle_key   key-0000 (a key, SET, inclusion proof, checkpoint, TSA)
 * Each operation runs N times (default 7) for M ms (default 300); the line
 * gives the median ops per second of CPU time (the figure to compare
 * configurations by on a shared machine), the range, and ops per second of
 * wall time. --only runs the operations whose name starts with PREFIX
 * (for a profile of one path: perf record al-bench-crypto --only bundle_msg).
 * Every operation must succeed, and a corrupted signature must
 * fail, or the program stops (exit 1): a fast wrong answer is no result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "verify/verify.h"

/* Test data made once with openssl (keys and signatures over MSG); public. */
static const char p256_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			       "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgIPL7zHK7L9hqAI9PN8Nfy3WTgQa\n"
			       "XWQmylAY1fE/YOtgQPBVQY1gVq5GCx3pgvk1pwsrQhGw6cfOhZhg8lGOSg==\n"
			       "-----END PUBLIC KEY-----\n";
static const char p384_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			       "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEf+11Iy9ekM9umx16fXvUhNlzFUK679oC\n"
			       "DESbyyr9gJ+5ATTlE+j16BOZ+/jIAR7JoTmaasd2wbYoH8u83HFXJFPte9rTvlUB\n"
			       "AbsMiLd0eK2U0usVion+d1j8U4pkjSUa\n"
			       "-----END PUBLIC KEY-----\n";
#define MSG "airlock bench: an ECDSA signature to verify\n"
static const uint8_t p256_sig[] = "\x30\x44\x02\x20\x21\xee\x33\x77\x3f\x69\x4b\x71\xf6\x04\xa2\xbc\x1c\x22\x69"
				  "\x9b\x25\x8c\x7b\xac\x73\xa0\xb5\x5d\x55\xe2\xfb\xd8\x3b\xa3\x3f\xa4\x02\x20"
				  "\x69\xab\xb0\x23\x6c\x80\x55\xd3\x1d\x9e\x4c\x11\xa7\x96\x10\x3e\x88\x35\xf1"
				  "\xd8\x89\x65\xbb\x62\xa0\x95\x78\x20\xfa\x9b\x3a\x01";
static const uint8_t p384_sig[] = "\x30\x65\x02\x30\x30\x13\x6e\xae\x8a\xac\x78\xea\xd2\xbd\xcb\x7a\xea\xa8\x49"
				  "\xcb\xe2\xa3\x79\xb6\x36\xd0\xc9\x12\xd9\x12\xaa\x99\x47\xba\x62\xba\x13\x45"
				  "\x0a\x85\xc7\xef\xd3\x0a\x21\x30\xf7\x9c\xf2\x37\xd8\x79\x02\x31\x00\xf0\xfc"
				  "\x37\xa5\x8f\x97\x3d\xb2\x87\x09\x88\xf3\x1c\x61\xd1\x5e\xdc\x74\xc8\x17\x37"
				  "\x9e\xdf\xf4\x67\xa1\x34\xca\xda\x38\x77\x0e\xb5\x29\xaf\xc3\x83\x9d\xda\xd3"
				  "\xc1\x74\x66\x37\x66\x05\xee\x6b";

typedef struct ecdsa_case {
	al_pubkey key;
	al_bytes sig;
} ecdsa_case;

typedef struct bundle_case {
	al_vb_opts o;
	const char *keys[1];
} bundle_case;

typedef bool (*op_fn)(void *ctx, char *why, size_t cap);

static bool
op_ecdsa(void *ctx, char *why, size_t cap)
{
	const ecdsa_case *c = ctx;
	al_err err;

	al_err_clear(&err);
	if (al_sig_verify(&c->key, AL_HASH_NONE, al_bytes_str(MSG), c->sig, &err) == AL_OK)
		return true;
	snprintf(why, cap, "%s", err.msg);
	return false;
}

static bool
op_bundle(void *ctx, char *why, size_t cap)
{
	bundle_case *c = ctx;
	al_vb_result res;
	al_err err;
	al_rc rc;

	al_err_clear(&err);
	rc = al_verify_bundle_cmd(&c->o, &res, &err);
	al_vb_result_free(&res);
	if (rc == AL_OK)
		return true;
	snprintf(why, cap, "%s", err.msg);
	return false;
}

static double
now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define MAX_RUNS 99

static const char *only = "";

static void
measure(const char *name, op_fn fn, void *ctx, int runs, int ms)
{
	double cpu_rate[MAX_RUNS], wall_rate[MAX_RUNS];
	char why[AL_ERR_MSG_MAX];

	if (strncmp(name, only, strlen(only)) != 0)
		return;
	for (int r = 0; r < runs; r++) {
		double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC), c1, w1;
		long n = 0;

		do {
			if (!fn(ctx, why, sizeof(why))) {
				fprintf(stderr, "al-bench-crypto: %s failed: %s\n", name, why);
				exit(1);
			}
			n++;
			c1 = now(CLOCK_PROCESS_CPUTIME_ID);
		} while (c1 - c0 < ms / 1000.0);
		w1 = now(CLOCK_MONOTONIC);
		cpu_rate[r] = (double)n / (c1 - c0);
		wall_rate[r] = (double)n / (w1 - w0);
	}
	qsort(cpu_rate, (size_t)runs, sizeof(double), cmp_double);
	qsort(wall_rate, (size_t)runs, sizeof(double), cmp_double);
	printf("%-12s %9.1f ops/s of CPU (median of %d; %.1f..%.1f)  %9.1f ops/s of wall\n", name,
	       cpu_rate[runs / 2], runs, cpu_rate[0], cpu_rate[runs - 1], wall_rate[runs / 2]);
	fflush(stdout);
}

static void
load_key(const char *pem, const uint8_t *sig, size_t n, ecdsa_case *c)
{
	al_err err;
	uint8_t bad[128];
	char why[AL_ERR_MSG_MAX];

	al_err_clear(&err);
	al_pubkey_init(&c->key);
	if (al_pubkey_from_pem(al_bytes_str(pem), &c->key, &err) != AL_OK) {
		fprintf(stderr, "al-bench-crypto: test key: %s\n", err.msg);
		exit(1);
	}
	/* a corrupted signature must not verify: the timed path really checks */
	memcpy(bad, sig, n);
	bad[n - 3] ^= 0x01;
	c->sig = al_bytes_of(bad, n);
	if (op_ecdsa(c, why, sizeof(why))) {
		fprintf(stderr, "al-bench-crypto: a corrupted signature verified\n");
		exit(1);
	}
	c->sig = al_bytes_of(sig, n);
}

/* dir/name+ext, never freed (the program's inputs) */
static const char *
path_of(const char *dir, const char *name, const char *ext)
{
	size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
	char *p = malloc(n);

	if (p == NULL) {
		fputs("al-bench-crypto: out of memory\n", stderr);
		exit(1);
	}
	snprintf(p, n, "%s/%s%s", dir, name, ext);
	return p;
}

static void
bundle_setup(bundle_case *c, const char *dir, const char *name, const char *ident, const char *issuer)
{
	memset(c, 0, sizeof(*c));
	c->o.bundle_path = path_of(dir, name, ".sigstore.json");
	c->o.trusted_root_path = path_of(dir, "trusted_root.json", "");
	if (ident != NULL) {
		c->o.flags.identity = ident;
		c->o.flags.issuer = issuer;
		c->o.artifact = path_of(dir, name, strncmp(name, "dsse", 4) == 0 ? ".subject.bin" : ".bin");
	} else {
		c->keys[0] = path_of(dir, "signing-key.pub.pem", "");
		c->o.flags.key_paths = c->keys;
		c->o.flags.nkeys = 1;
		c->o.artifact = path_of(dir, name, ".bin");
	}
}

int
main(int argc, char **argv)
{
	int runs = 7, ms = 300;
	const char *setb = NULL;
	ecdsa_case p256, p384;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
			ms = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			only = argv[++i];
		} else if (argv[i][0] != '-' && setb == NULL) {
			setb = argv[i];
		} else {
			fputs("usage: al-bench-crypto [--runs N] [--ms M] [--only PREFIX] [SETB_DIR]\n", stderr);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || ms < 10) {
		fputs("al-bench-crypto: --runs 1..99, --ms >= 10\n", stderr);
		return 2;
	}
	load_key(p256_pem, p256_sig, sizeof(p256_sig) - 1, &p256);
	load_key(p384_pem, p384_sig, sizeof(p384_sig) - 1, &p384);
	measure("ecdsa_p256", op_ecdsa, &p256, runs, ms);
	measure("ecdsa_p384", op_ecdsa, &p384, runs, ms);
	if (setb != NULL) {
		/* the identity and issuer of setB's manifest.json */
		static const char ident[] = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";
		static const char issuer[] = "https://token.actions.githubusercontent.com";
		bundle_case msg, dsse, key;

		bundle_setup(&msg, setb, "msg-0000", ident, issuer);
		bundle_setup(&dsse, setb, "dsse-0000", ident, issuer);
		bundle_setup(&key, setb, "key-0000", NULL, NULL);
		measure("bundle_msg", op_bundle, &msg, runs, ms);
		measure("bundle_dsse", op_bundle, &dsse, runs, ms);
		measure("bundle_key", op_bundle, &key, runs, ms);
	}
	al_pubkey_free(&p256.key);
	al_pubkey_free(&p384.key);
	return 0;
}
