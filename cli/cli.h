/*
 * cli.h — subcommands of the airlock command line. Each takes its own
 * argv (argv[0] is the subcommand name) and returns an exit status.
 */
#ifndef AL_CLI_H
#define AL_CLI_H

#include <stdio.h>

#include "common/common.h"

int al_cmd_version(int argc, char **argv);
int al_cmd_digest(int argc, char **argv);
int al_cmd_verify_bundle(int argc, char **argv);
int al_cmd_verify(int argc, char **argv);
int al_cmd_inspect(int argc, char **argv);

/* An option: `value` for one that takes a value, `flag` for a boolean. */
typedef struct al_opt {
	const char *name;
	const char **value;
	bool *flag;
} al_opt;

/* Parses argv[1..] against opts (terminated by a NULL name), a repeatable
 * --key (when keys is not NULL) and up to max_pos positional arguments.
 * Returns -1 when parsing succeeded, else the exit status to return (0
 * after --help, 2 after a usage error, which it has printed). */
int al_cli_parse(const char *cmd, int argc, char **argv, const al_opt *opts, const char **keys, size_t *nkeys,
		 size_t max_keys, const char **pos, size_t max_pos, size_t *npos, void (*usage)(FILE *));

/* Prints "airlock: <message>" to stderr and returns the exit status of err. */
int al_cli_fail(const al_err *err);

#endif
