/*
 * al-forge — writes deterministic signed image bundles for airlock's tests.
 *
 *   al-forge OUTDIR          every case (OUTDIR/cases.tsv lists them)
 *   al-forge --demo OUTDIR   one signed image and a tampered copy (demo.tsv)
 *   al-forge --big OUTDIR --size-mib N --layers K [--archives]
 *   al-forge --many OUTDIR --images N
 *                            benchmark inputs (bench/run; fg_bench.c)
 *
 * Test-only: the keys are derived from public constants.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge.h"

static void
usage(FILE *f)
{
	fputs("usage: al-forge [--demo] OUTDIR\n"
	      "       al-forge --big OUTDIR --size-mib N --layers K [--archives]\n"
	      "       al-forge --many OUTDIR --images N\n"
	      "  Writes test trust material (OUTDIR/trust), signed and tampered image\n"
	      "  bundles (OUTDIR/cases, OUTDIR/archives) and OUTDIR/cases.tsv:\n"
	      "  name<TAB>path<TAB>expected exit<TAB>must-name<TAB>reason<TAB>airlock verify\n"
	      "  arguments... (must-name: what a rejection must name; reason: a fragment of\n"
	      "  the rejecting check's message; - for none)\n"
	      "  --demo  one signed image (key and keyless) and a tampered copy, listed\n"
	      "          in OUTDIR/demo.tsv\n"
	      "  --big   one key-signed image with K layers of random content, N MiB in\n"
	      "          all, as OUTDIR/layout (with --archives also OUTDIR/layout.tar and\n"
	      "          layout.tar.zst), listed in OUTDIR/bench.tsv; prints the verify arguments\n"
	      "  --many  OUTDIR/layout whose index.json lists N key-signed images and their\n"
	      "          N signatures, listed in OUTDIR/bench.tsv; prints the verify arguments\n"
	      "Output is deterministic: two runs write identical bytes.\n",
	      f);
}

/* A positive decimal number of at most 10^6 for option opt, or 0 (usage error). */
static unsigned
count_arg(int argc, char **argv, int *i)
{
	char *end;
	unsigned long v;

	if (*i + 1 >= argc)
		return 0;
	v = strtoul(argv[++*i], &end, 10);
	if (*end != '\0' || argv[*i][0] < '0' || argv[*i][0] > '9' || v == 0 || v > 1000000)
		return 0;
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	bool demo = false, big = false, many = false, archives = false;
	unsigned size_mib = 0, layers = 0, images = 0;
	const char *out = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--demo") == 0) {
			demo = true;
		} else if (strcmp(argv[i], "--big") == 0) {
			big = true;
		} else if (strcmp(argv[i], "--many") == 0) {
			many = true;
		} else if (strcmp(argv[i], "--archives") == 0) {
			archives = true;
		} else if (strcmp(argv[i], "--size-mib") == 0) {
			if ((size_mib = count_arg(argc, argv, &i)) == 0) {
				usage(stderr);
				return 2;
			}
		} else if (strcmp(argv[i], "--layers") == 0) {
			if ((layers = count_arg(argc, argv, &i)) == 0) {
				usage(stderr);
				return 2;
			}
		} else if (strcmp(argv[i], "--images") == 0) {
			if ((images = count_arg(argc, argv, &i)) == 0) {
				usage(stderr);
				return 2;
			}
		} else if (argv[i][0] == '-' || out != NULL) {
			usage(stderr);
			return 2;
		} else {
			out = argv[i];
		}
	}
	if (out == NULL || demo + big + many > 1 || (big && (size_mib == 0 || layers == 0)) ||
	    (many && images == 0) || (!big && (size_mib || layers || archives)) || (!many && images)) {
		usage(stderr);
		return 2;
	}
	al_fg_arena_init();
	if (big)
		al_fg_build_big(out, size_mib, layers, archives);
	else if (many)
		al_fg_build_many(out, images);
	else if (demo)
		al_fg_build_demo(out);
	else
		al_fg_build_all(out);
	al_fg_keys_free();
	al_fg_free_all();
	return 0;
}
