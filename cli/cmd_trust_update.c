/*
 * cmd_trust_update.c — `airlock trust update`: takes Sigstore trust updates
 * from removable media, verified with TUF, never online (docs/trust.md).
 * Exit 0 when every requested target verified and was installed; 1 when
 * the repository does not verify (the message names the file and the
 * step); 2 for usage errors and folders or files that cannot be read or
 * written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "crypto/crypto.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: airlock trust update --tuf-repo DIR [--tuf-root ROOT.json] [--state DIR]\n"
		"                            [--at TIME] [--target NAME]...\n\n"
		"Verifies a TUF repository copied to removable media (metadata at DIR's top,\n"
		"targets under DIR/targets/) with the TUF 1.0 client workflow, from the trusted\n"
		"metadata in the state folder, and installs what verified there: root.json,\n"
		"timestamp.json, snapshot.json, targets.json and each target as\n"
		"targets/NAME. Nothing is written unless everything verified.\n\n"
		"  --tuf-repo DIR    the repository folder (required)\n"
		"  --tuf-root FILE   the initially trusted root.json, used only when the state\n"
		"                    folder has none (default: the TUF root embedded at build time)\n"
		"  --state DIR       the state folder (default $AIRLOCK_STATE, else /var/lib/airlock);\n"
		"                    it must exist\n"
		"  --at TIME         judge expiry at this RFC 3339 time instead of the clock\n"
		"                    (an appliance without a trustworthy clock)\n"
		"  --target NAME     a target to fetch, a plain file name; repeatable\n"
		"                    (default: trusted_root.json)\n\n"
		"--help is honoured only as the sole argument.\n"
		"Exit: 0 installed, 1 the repository does not verify (rollback, expiry, signatures,\n"
		"hashes), 2 usage error or unreadable/unwritable folder.\n");
}

int
al_cmd_trust_update(int argc, char **argv)
{
	const char *repo = NULL, *root = NULL, *state = NULL, *at = NULL;
	const al_opt opts[] = {
		{ "--tuf-repo", &repo, NULL, NULL },
		{ "--tuf-root", &root, NULL, NULL },
		{ "--state", &state, NULL, NULL },
		{ "--at", &at, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	const char *targets[AL_MAX_TUF_REQUESTS];
	size_t ntargets = 0, npos = 0;
	al_trust_update_opts o = { 0 };
	al_trust_update_result *r;
	al_err err;
	al_rc rc;
	int st;

	st = al_cli_parse_rep("trust update", argc, argv, opts, "--target", targets, &ntargets, AL_MAX_TUF_REQUESTS,
			      NULL, 0, &npos, usage);
	if (st >= 0)
		return st;
	if (repo == NULL) {
		al_cli_errf("airlock trust update: --tuf-repo DIR is required");
		return 2;
	}
	al_err_clear(&err);
	o.tuf_repo = repo;
	o.tuf_root = root;
	o.state = state ? state : getenv("AIRLOCK_STATE");
	if (o.state == NULL || o.state[0] == '\0')
		o.state = "/var/lib/airlock";
	o.targets = targets;
	o.ntargets = ntargets;
	o.at = at;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		al_cli_errf("airlock trust update: out of memory");
		return 2;
	}
	rc = al_trust_update_cmd(&o, r, &err);
	if (rc == AL_OK) {
		if (r->root_ignored)
			al_cli_errf("airlock trust update: note: the state folder has a root.json; --tuf-root is "
				    "not used");
		al_cli_outf("trusted from: %s", r->root_source);
		if (r->root_now != r->root_was)
			al_cli_outf("root: version %lld (rotated from %lld)", (long long)r->root_now,
				    (long long)r->root_was);
		else
			al_cli_outf("root: version %lld (unchanged)", (long long)r->root_now);
		al_cli_outf("timestamp: version %lld; snapshot: version %lld; targets: version %lld",
			    (long long)r->timestamp, (long long)r->snapshot, (long long)r->targets);
		for (size_t i = 0; i < r->ntargets; i++) {
			char hex[65];

			al_hex_encode(r->target[i].sha256, 32, hex);
			al_cli_outf("installed: %s/targets/%s sha256:%s (%zu bytes)", o.state, r->target[i].name, hex,
				    r->target[i].size);
		}
		al_cli_outf("updated: %zu metadata files and %zu targets in %s", r->nmeta, r->ntargets, o.state);
		st = 0;
	} else {
		/* a repository that does not verify is a failed verification (1),
		 * not unusable trust material on the appliance (4): the state is
		 * untouched and still trusted */
		if (rc == AL_E_TRUST_INVALID || rc == AL_E_TRUST_STALE || rc == AL_E_LIMIT)
			rc = al_err_recode(&err, AL_E_VERIFY_FAILED, "TUF update refused");
		st = al_cli_fail(&err);
	}
	free(r);
	return st;
}
