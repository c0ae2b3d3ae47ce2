/*
 * args.c — one option parser for the subcommands: named options that take
 * one value (each at most once), boolean flags, a repeatable --key, and
 * positional arguments.
 *
 * Help is honoured only as the sole argument. A script that runs
 * `airlock verify "$f" ... && import "$f"` must not get exit 0 without a
 * verification because $f (or a trailing argument) happens to be "--help" or
 * "-h"; anywhere else help is a usage error, and "--" ends the options so a
 * bundle really named "--help" can still be verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

bool
al_cli_is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

int
al_cli_help_misplaced(const char *cmd, const char *a)
{
	const char *sp = cmd[0] ? " " : "";
	/* only commands that take file names can have one that looks like help */
	bool files = cmd[0] && strcmp(cmd, "version") != 0;

	al_cli_errf("airlock%s%s: %s is a usage error unless it is the only argument ('airlock%s%s %s')%s%s%s",
		    sp, cmd, a, sp, cmd, a, files ? "; a file named '" : "", files ? a : "",
		    files ? "' goes after '--'" : "");
	return 2;
}

int
al_cli_parse(const char *cmd, int argc, char **argv, const al_opt *opts, const char **keys, size_t *nkeys,
	     size_t max_keys, const char **pos, size_t max_pos, size_t *npos, void (*usage)(FILE *))
{
	return al_cli_parse_rep(cmd, argc, argv, opts, "--key", keys, nkeys, max_keys, pos, max_pos, npos, usage);
}

int
al_cli_parse_rep(const char *cmd, int argc, char **argv, const al_opt *opts, const char *rep, const char **keys,
		 size_t *nkeys, size_t max_keys, const char **pos, size_t max_pos, size_t *npos,
		 void (*usage)(FILE *))
{
	bool opts_done = false;

	*npos = 0;
	if (nkeys)
		*nkeys = 0;
	if (argc == 2 && al_cli_is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	/* misplaced help is named as such, whatever else is wrong on the line;
	 * an option's value is skipped, it is taken literally below */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (al_cli_is_help(argv[i]))
			return al_cli_help_misplaced(cmd, argv[i]);
		bool takes_value = keys != NULL && strcmp(argv[i], rep) == 0;

		for (const al_opt *p = opts; p && p->name; p++)
			if ((p->value != NULL || p->list != NULL) && strcmp(argv[i], p->name) == 0)
				takes_value = true;
		if (takes_value)
			i++;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const al_opt *o = NULL;

		if (!opts_done) {
			if (strcmp(a, "--") == 0) {
				opts_done = true;
				continue;
			}
			if (al_cli_is_help(a))
				return al_cli_help_misplaced(cmd, a);
			for (const al_opt *p = opts; p && p->name; p++)
				if (strcmp(a, p->name) == 0)
					o = p;
			if (o != NULL && o->flag != NULL) {
				*o->flag = true;
				continue;
			}
			if (o != NULL || (keys != NULL && strcmp(a, rep) == 0)) {
				/* an option's value is taken literally, whatever it looks like */
				if (i + 1 >= argc) {
					al_cli_errf("airlock %s: %s needs a value", cmd, a);
					return 2;
				}
				if (o != NULL && o->list != NULL) {
					if (o->list->n == o->list->max) {
						al_cli_errf("airlock %s: at most %zu %s options", cmd, o->list->max, a);
						return 2;
					}
					o->list->v[o->list->n++] = argv[++i];
				} else if (o == NULL) {
					if (*nkeys == max_keys) {
						al_cli_errf("airlock %s: at most %zu %s options", cmd, max_keys, rep);
						return 2;
					}
					keys[(*nkeys)++] = argv[++i];
				} else if (*o->value != NULL) {
					al_cli_errf("airlock %s: %s given twice", cmd, a);
					return 2;
				} else {
					*o->value = argv[++i];
				}
				continue;
			}
			if (a[0] == '-' && a[1] != '\0') {
				al_cli_errf("airlock %s: unknown option '%s'", cmd, a);
				fputc('\n', stderr);
				usage(stderr);
				return 2;
			}
		}
		if (*npos == max_pos) {
			al_cli_errf("airlock %s: unexpected argument '%s'", cmd, a);
			return 2;
		}
		pos[(*npos)++] = a;
	}
	return -1;
}

/* -j N: 1..AL_MAX_THREADS; NULL: 0, one per CPU (al_cpu_count). */
int
al_cli_jobs_opt(const char *cmd, const char *value, unsigned *out)
{
	unsigned long n = 0;
	char *end = NULL;

	*out = 0;
	if (value == NULL)
		return -1;
	/* a leading digit: strtoul would take signs and spaces */
	if (value[0] >= '1' && value[0] <= '9')
		n = strtoul(value, &end, 10);
	if (end == NULL || *end != '\0' || n > AL_MAX_THREADS) {
		al_cli_errf("airlock %s: -j '%s': expected a number of threads from 1 to %d", cmd, value,
			    AL_MAX_THREADS);
		return 2;
	}
	*out = (unsigned)n;
	return -1;
}

int
al_cli_size_opt(const char *cmd, const char *name, const char *value, uint64_t *out)
{
	al_err err;

	*out = 0;
	if (value == NULL)
		return -1;
	al_err_clear(&err);
	if (al_parse_size(value, out, &err) != AL_OK) {
		al_cli_errf("airlock %s: %s '%s': %s", cmd, name, value, err.msg);
		return 2;
	}
	return -1;
}

int
al_cli_at_opt(const char *cmd, const char *value, int64_t *out)
{
	al_err err;

	*out = 0;
	if (value == NULL)
		return -1;
	al_err_clear(&err);
	if (al_eval_time_parse(value, out, &err) != AL_OK) {
		al_cli_errf("airlock %s: %s", cmd, err.msg);
		return 2;
	}
	return -1;
}

void
al_cli_no_writes(bool writes)
{
	al_err err;

	if (writes || !al_sandbox_active())
		return;
	al_err_clear(&err);
	if (al_sandbox_no_writes(&err) != AL_OK)
		al_cli_errf("airlock: warning: %s; running without the no-write filter", err.msg);
}

int
al_cli_output_opt(const char *cmd, const char *value, bool *json)
{
	*json = false;
	if (value == NULL || strcmp(value, "text") == 0)
		return -1;
	if (strcmp(value, "json") == 0) {
		*json = true;
		return -1;
	}
	al_cli_errf("airlock %s: --output '%s': expected text or json", cmd, value);
	return 2;
}

int
al_cli_age_opt(const char *cmd, const char *value, int64_t *out)
{
	al_err err;

	*out = 0;
	if (value == NULL)
		return -1;
	al_err_clear(&err);
	if (al_parse_duration(value, out, &err) == AL_OK && *out == 0)
		al_err_set(&err, AL_E_USAGE, "a bound of zero fails all trust material");
	if (err.code != AL_OK) {
		al_cli_errf("airlock %s: --max-trust-age '%s': %s", cmd, value, err.msg);
		return 2;
	}
	return -1;
}
