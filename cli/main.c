/*
 * main.c — airlock's entry point: subcommand dispatch and exit codes.
 *
 * Exit codes (stable, documented in docs/airlock.1 and the README):
 *   0 verified · 1 verification failed · 2 usage error or unreadable input ·
 *   3 nothing to verify · 4 trust material invalid or stale.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} cmds[] = {
	{ "verify", al_cmd_verify, "verify every image in an exported bundle (OCI layout, archive)" },
	{ "inspect", al_cmd_inspect, "show what is inside a bundle and what is missing" },
	{ "digest", al_cmd_digest, "print sha256:<hex> of files, at hardware speed" },
	{ "verify-bundle", al_cmd_verify_bundle, "verify a Sigstore bundle against an artifact or digest" },
	{ "version", al_cmd_version, "print version, build and library versions" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: airlock <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < AL_ARRAY_LEN(cmds); i++)
		fprintf(f, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nRun 'airlock <command> --help' for a command's options.\n"
		   "Exit codes: 0 verified, 1 verification failed, 2 usage error or unreadable input,\n"
		   "            3 nothing to verify, 4 trust material invalid or stale.\n");
}

int
al_cli_fail(const al_err *err)
{
	fprintf(stderr, "airlock: %s\n", err->msg[0] ? err->msg : al_rc_name(err->code));
	return al_rc_exit(err->code);
}

int
main(int argc, char **argv)
{
	al_err err;

	al_err_clear(&err);
	/* before any input is opened; on a kernel without seccomp, say so and go on */
	if (al_sandbox_enter(&err) != AL_OK)
		fprintf(stderr, "airlock: warning: %s; running without the sandbox\n", err.msg);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return al_cmd_version(1, (char *[]){ "version", NULL });
	for (size_t i = 0; i < AL_ARRAY_LEN(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "airlock: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
