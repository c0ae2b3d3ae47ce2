/*
 * al-forge — writes deterministic signed image bundles for airlock's tests.
 *
 *   al-forge OUTDIR          every case (OUTDIR/cases.tsv lists them)
 *   al-forge --demo OUTDIR   one signed image and a tampered copy (demo.tsv)
 *
 * Test-only: the keys are derived from public constants.
 */
#include <stdio.h>
#include <string.h>

#include "forge.h"

static void
usage(FILE *f)
{
	fputs("usage: al-forge [--demo] OUTDIR\n"
	      "  Writes test trust material (OUTDIR/trust), signed and tampered image\n"
	      "  bundles (OUTDIR/cases, OUTDIR/archives) and OUTDIR/cases.tsv:\n"
	      "  name<TAB>path<TAB>expected exit<TAB>must-name<TAB>reason<TAB>airlock verify\n"
	      "  arguments... (must-name: what a rejection must name; reason: a fragment of\n"
	      "  the rejecting check's message; - for none)\n"
	      "  --demo  one signed image (key and keyless) and a tampered copy, listed\n"
	      "          in OUTDIR/demo.tsv\n"
	      "Output is deterministic: two runs write identical bytes.\n",
	      f);
}

int
main(int argc, char **argv)
{
	bool demo = false;
	const char *out = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--demo") == 0) {
			demo = true;
		} else if (argv[i][0] == '-' || out != NULL) {
			usage(stderr);
			return 2;
		} else {
			out = argv[i];
		}
	}
	if (out == NULL) {
		usage(stderr);
		return 2;
	}
	al_fg_arena_init();
	if (demo)
		al_fg_build_demo(out);
	else
		al_fg_build_all(out);
	al_fg_keys_free();
	al_fg_free_all();
	return 0;
}
