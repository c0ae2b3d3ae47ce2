/*
 * main.c — airlock's entry point: subcommand dispatch and exit codes.
 *
 * Exit codes (stable, documented in docs/airlock.1 and the README):
 *   0 verified · 1 verification failed · 2 usage error or unreadable input ·
 *   3 nothing to verify · 4 trust material invalid or stale.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const struct cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} cmds[] = {
	{ "verify", al_cmd_verify, "verify every image in an exported bundle (OCI layout, archive)" },
	{ "inspect", al_cmd_inspect, "show what is inside a bundle and what is missing" },
	{ "digest", al_cmd_digest, "print sha256:<hex> of files, at hardware speed" },
	{ "verify-vsa", al_cmd_verify_vsa, "check a Verification Summary Attestation that verify wrote" },
	{ "sign-blob", al_cmd_sign_blob, "sign a file with a site's own key (the firmware's SHA256SUMS)" },
	{ "verify-bundle", al_cmd_verify_bundle, "verify a Sigstore bundle against an artifact or digest" },
	{ "policy", al_cmd_policy, "check a policy file, or explain which rule each image of a bundle meets" },
	{ "trust", al_cmd_trust, "list or show the trust material in use (trusted root)" },
	{ "media", al_cmd_media, "write a delivery medium (bundles, a TUF update) or an evidence medium" },
	{ "appliance", al_cmd_appliance, "verify a delivery medium as the appliance does, print the verdict" },
	{ "version", al_cmd_version, "print version, build, library versions, trust root provenance" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: airlock <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < AL_ARRAY_LEN(cmds); i++)
		fprintf(f, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nRun 'airlock <command> --help' for a command's options. Help is only given when\n"
		   "it is the sole argument; elsewhere it is a usage error ('--' ends options).\n"
		   "Exit codes: 0 verified, 1 verification failed, 2 usage error or unreadable input,\n"
		   "            3 nothing to verify, 4 trust material invalid or stale.\n");
}

static int
run(int argc, char **argv)
{
	al_err err;

	al_err_clear(&err);
	/* before any input is opened; on a kernel without seccomp, say so and go on */
	if (al_sandbox_enter(&err) != AL_OK)
		al_cli_errf("airlock: warning: %s; running without the sandbox", err.msg);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (al_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		if (argc != 2)
			return al_cli_help_misplaced("", argv[1]);
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		if (argc != 2) {
			al_cli_errf("airlock: --version takes no arguments (see 'airlock version --help')");
			return 2;
		}
		return al_cmd_version(1, (char *[]){ "version", NULL });
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	al_cli_errf("airlock: unknown command '%s'", argv[1]);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	int st;

	/* the firmware's /init (docs/appliance.md) */
	if (getpid() == 1)
		al_appliance_init(argc, argv);
	st = al_cli_stdio_check();

	if (st >= 0)
		return st;
	return al_cli_finish(run(argc, argv));
}
