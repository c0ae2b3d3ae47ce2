/*
 * cli.h — subcommands of the airlock command line. Each takes its own
 * argv (argv[0] is the subcommand name) and returns an exit status.
 */
#ifndef AL_CLI_H
#define AL_CLI_H

#include "common/common.h"

int al_cmd_version(int argc, char **argv);
int al_cmd_digest(int argc, char **argv);
int al_cmd_verify_bundle(int argc, char **argv);
int al_cmd_verify(int argc, char **argv);
int al_cmd_inspect(int argc, char **argv);

/* Prints "airlock: <message>" to stderr and returns the exit status of err. */
int al_cli_fail(const al_err *err);

#endif
