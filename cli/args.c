/*
 * args.c — one option parser for the subcommands: named options that take
 * one value (each at most once), boolean flags, a repeatable --key, and
 * positional arguments.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int
al_cli_parse(const char *cmd, int argc, char **argv, const al_opt *opts, const char **keys, size_t *nkeys,
	     size_t max_keys, const char **pos, size_t max_pos, size_t *npos, void (*usage)(FILE *))
{
	*npos = 0;
	if (nkeys)
		*nkeys = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const al_opt *o = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		for (const al_opt *p = opts; p && p->name; p++)
			if (strcmp(a, p->name) == 0)
				o = p;
		if (o != NULL && o->flag != NULL) {
			*o->flag = true;
			continue;
		}
		if (o != NULL || (keys != NULL && strcmp(a, "--key") == 0)) {
			if (i + 1 >= argc) {
				fprintf(stderr, "airlock %s: %s needs a value\n", cmd, a);
				return 2;
			}
			if (o == NULL) {
				if (*nkeys == max_keys) {
					fprintf(stderr, "airlock %s: at most %zu --key options\n", cmd, max_keys);
					return 2;
				}
				keys[(*nkeys)++] = argv[++i];
			} else if (*o->value != NULL) {
				fprintf(stderr, "airlock %s: %s given twice\n", cmd, a);
				return 2;
			} else {
				*o->value = argv[++i];
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "airlock %s: unknown option '%s'\n\n", cmd, a);
			usage(stderr);
			return 2;
		}
		if (*npos == max_pos) {
			fprintf(stderr, "airlock %s: unexpected argument '%s'\n", cmd, a);
			return 2;
		}
		pos[(*npos)++] = a;
	}
	return -1;
}
