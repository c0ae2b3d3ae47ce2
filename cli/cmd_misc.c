/*
 * cmd_misc.c — `airlock version` and `airlock digest`.
 */
#include <stdio.h>
#include <string.h>

#include <archive.h>
#include <cJSON.h>
#include <mbedtls/version.h>
#include <sodium.h>

#include "al_version.h"
#include "cli/cli.h"
#include "crypto/crypto.h"

static void
version_usage(FILE *f)
{
	fprintf(f, "usage: airlock version [--limits]\n\n"
		   "Prints airlock's version and git commit, the versions of the libraries\n"
		   "compiled in, whether SHA-256 uses the CPU's SHA extensions, and the\n"
		   "provenance of the embedded trust roots (npm package, version, integrity,\n"
		   "TUF root version, SHA-256 of each embedded file; docs/trust.md).\n"
		   "  --limits   also print every bound airlock puts on untrusted input\n");
}

/* The embedded trust roots and where they come from (docs/trust.md). */
static bool
version_trust(void)
{
	al_trust_provenance p;
	al_trust_info t;
	al_err err;
	bool ok;

	al_trust_provenance_get(&p);
	al_err_clear(&err);
	if (al_trust_info_cmd(NULL, &t, &err) != AL_OK) {
		al_cli_fail(&err);
		return false;
	}
	ok = al_cli_outf("trust: %s", p.source) &&
	     al_cli_outf("trust: npm package %s %s, integrity %s", p.package, p.version, p.integrity) &&
	     al_cli_outf("trust: TUF root.json version %u, expires %s, sha256:%s", p.tuf_root_version,
			 p.tuf_root_expires, p.tuf_root_sha256) &&
	     al_cli_outf("trust: trusted_root.json sha256:%s, newest entry valid from %s", p.trusted_root_sha256,
			 t.newest[0]);
	al_trust_info_free(&t);
	return ok;
}

int
al_cmd_version(int argc, char **argv)
{
	char mbed[64];
	bool limits = false;
	const al_opt opts[] = {
		{ "--limits", NULL, &limits, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	size_t npos;
	int st = al_cli_parse("version", argc, argv, opts, NULL, NULL, 0, NULL, 0, &npos, version_usage);

	if (st >= 0)
		return st;
	mbedtls_version_get_string_full(mbed);
	printf("airlock %s (commit %s)\n", AL_VERSION, AL_GIT_COMMIT);
	printf("mbedtls: %s\n", mbed);
	printf("cjson: %s\n", cJSON_Version());
	printf("libarchive: %s\n", archive_version_string());
	printf("libsodium: %s\n", sodium_version_string());
	printf("sha256: %s\n", al_sha256_ni_in_use() ? "sha-ni" : "portable");
	printf("sandbox: %s\n", al_sandbox_active() ? "seccomp: socket and exec system calls kill the process; "
							 "verify, verify-bundle and inspect without --report also any write"
						       : "none (seccomp unavailable)");
	if (!version_trust())
		return 2;
	if (limits) {
#define L(x) printf("limit %-24s %llu\n", #x, (unsigned long long)(x));
		AL_LIMITS(L)
#undef L
	}
	return 0;
}

static void
digest_usage(FILE *f)
{
	fprintf(f, "usage: airlock digest [--] FILE...\n\n"
		   "Prints 'sha256:<hex>  FILE' for each file ('-' reads standard input).\n"
		   "File names are printed escaped (control bytes, invalid UTF-8 and bidi\n"
		   "controls as \\xNN or \\u{NNNN}, backslash as \\\\).\n"
		   "Exit status 2 if any file cannot be read.\n");
}

int
al_cmd_digest(int argc, char **argv)
{
	int status = 0, nfiles = 0;
	bool opts_done = false;

	if (argc == 2 && al_cli_is_help(argv[1])) {
		digest_usage(stdout);
		return 0;
	}
	/* the whole command line is checked before any file is read */
	for (int i = 1; i < argc && !opts_done; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			opts_done = true;
		else if (al_cli_is_help(a))
			return al_cli_help_misplaced("digest", a);
		else if (a[0] == '-' && a[1] != '\0') {
			al_cli_errf("airlock digest: unknown option '%s'", a);
			return 2;
		}
	}
	opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *path = argv[i];
		uint8_t d[32];
		char hex[65];
		al_err err;

		if (!opts_done && strcmp(path, "--") == 0) {
			opts_done = true;
			continue;
		}
		nfiles++;
		al_err_clear(&err);
		if (al_sha256_file(path, d, NULL, &err) != AL_OK) {
			status = al_cli_fail(&err);
			continue;
		}
		al_hex_encode(d, 32, hex);
		if (!al_cli_outf("sha256:%s  %s", hex, path))
			return 2;
	}
	if (nfiles == 0) {
		digest_usage(stderr);
		return 2;
	}
	return status;
}
