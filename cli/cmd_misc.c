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

static bool
want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

int
al_cmd_version(int argc, char **argv)
{
	char mbed[64];
	bool limits = false;

	if (want_help(argc, argv)) {
		printf("usage: airlock version [--limits]\n\n"
		       "Prints airlock's version and git commit, the versions of the libraries\n"
		       "compiled in, and whether SHA-256 uses the CPU's SHA extensions.\n"
		       "  --limits   also print every bound airlock puts on untrusted input\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--limits") == 0) {
			limits = true;
		} else {
			fprintf(stderr, "airlock version: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	mbedtls_version_get_string_full(mbed);
	printf("airlock %s (commit %s)\n", AL_VERSION, AL_GIT_COMMIT);
	printf("mbedtls: %s\n", mbed);
	printf("cjson: %s\n", cJSON_Version());
	printf("libarchive: %s\n", archive_version_string());
	printf("libsodium: %s\n", sodium_version_string());
	printf("sha256: %s\n", al_sha256_ni_in_use() ? "sha-ni" : "portable");
	printf("sandbox: %s\n", al_sandbox_active() ? "seccomp: socket and exec system calls kill the process"
						       : "none (seccomp unavailable)");
	if (limits) {
#define L(x) printf("limit %-24s %llu\n", #x, (unsigned long long)(x))
		L(AL_MAX_JSON_DOC); L(AL_JSON_MAX_DEPTH); L(AL_MAX_JSON_MEMBERS); L(AL_MAX_PEM_FILE);
		L(AL_MAX_PEM_BLOCKS); L(AL_MAX_DER); L(AL_MAX_SIGNATURE); L(AL_MAX_PAYLOAD);
		L(AL_MAX_TLOG_ENTRIES); L(AL_MAX_TIMESTAMPS); L(AL_MAX_INTOTO_SUBJECTS);
		L(AL_MAX_SUBJECT_DIGESTS); L(AL_MAX_CHAIN_CERTS); L(AL_MAX_PROOF_HASHES);
		L(AL_MAX_CHECKPOINT); L(AL_MAX_NOTE_SIGS); L(AL_MAX_TRUST_ENTRIES);
		L(AL_MAX_ARCHIVE_ENTRIES); L(AL_MAX_PATH); L(AL_MAX_BLOBS); L(AL_MAX_MANIFEST);
		L(AL_MAX_LAYERS); L(AL_MAX_INDEX_ENTRIES); L(AL_MAX_INDEX_DEPTH); L(AL_MAX_SIGS_PER_IMAGE);
		L(AL_MAX_BLOB);
#undef L
	}
	return 0;
}

int
al_cmd_digest(int argc, char **argv)
{
	int status = 0, nfiles = 0;
	bool opts_done = false;

	if (want_help(argc, argv)) {
		printf("usage: airlock digest FILE...\n\n"
		       "Prints 'sha256:<hex>  FILE' for each file ('-' reads standard input).\n"
		       "Exit status 2 if any file cannot be read.\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *path = argv[i];
		uint8_t d[32];
		char hex[65];
		al_err err;

		if (!opts_done && strcmp(path, "--") == 0) {
			opts_done = true;
			continue;
		}
		if (!opts_done && path[0] == '-' && path[1] != '\0') {
			fprintf(stderr, "airlock digest: unknown option '%s'\n", path);
			return 2;
		}
		nfiles++;
		al_err_clear(&err);
		if (al_sha256_file(path, d, NULL, &err) != AL_OK) {
			status = al_cli_fail(&err);
			continue;
		}
		al_hex_encode(d, 32, hex);
		printf("sha256:%s  %s\n", hex, path);
	}
	if (nfiles == 0) {
		fprintf(stderr, "usage: airlock digest FILE...\n");
		return 2;
	}
	return status;
}
