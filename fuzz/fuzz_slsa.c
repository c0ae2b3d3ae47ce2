/*
 * fuzz_slsa.c — SLSA provenance constraints (verify/slsa.c) on any
 * statement bytes: every constraint kind at once, and each alone, with
 * exact and regexp builder ids. A statement reaches this code only after
 * its signature verified, but its signer may still be hostile.
 */
#include <stddef.h>
#include <stdint.h>

#include "verify/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile int sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const inputs[] = { "mode=release", "n=3", "=x" };
	const al_pol_slsa sets[] = {
		{ { "https://b/w.yml", NULL }, "github.com/o/r", "v1.2.3", NULL, NULL, "bt", inputs, 3 },
		{ { NULL, "https://b/.*" }, "https://github.com/o/r.git", NULL, "main", NULL, NULL, NULL, 0 },
		{ { NULL, NULL }, NULL, NULL, NULL, "v1", NULL, NULL, 0 },
		{ { "https://b/w.yml@refs/tags/v2.0.0", NULL }, NULL, NULL, NULL, "v1.2.3-rc.1", NULL, inputs, 1 },
	};
	al_err err;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		al_pol_att att = { AL_PT_SLSA_ANY, true, sets[i] };

		sink += al_slsa_check(&att, al_bytes_of(data, size), &err) == AL_OK;
	}
	return 0;
}
