/*
 * cmd_trust.c — `airlock trust list` and `airlock trust show [--json]`: the
 * trust material a run would use (--trusted-root FILE, else the embedded
 * root; docs/trust.md). Every line goes through the escaping of out.c: a
 * trusted root given on the command line is operator input, and its names
 * and URLs are printed as untrusted text.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "verify/verify.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: airlock trust list [--trusted-root FILE]\n"
		"       airlock trust show [--json] [--trusted-root FILE]\n"
		"       airlock trust update --tuf-repo DIR [...]   (see 'airlock trust update --help')\n\n"
		"The trust material a verification uses: the --trusted-root file (one Sigstore\n"
		"trusted_root.json, or JSON Lines of several), else the trusted root embedded at\n"
		"build time (see 'airlock version' for its provenance).\n\n"
		"  list      one line per transparency log, CA, CT log and TSA: kind, URL or\n"
		"            subject, log ID or certificate fingerprint, validity window, source\n"
		"  show      the whole trust material, readable; with --json, the JSON itself\n"
		"            (byte for byte; JSON Lines stay JSON Lines)\n\n"
		"--help is honoured only as the sole argument.\n"
		"Exit: 0 shown, 2 usage or unreadable file, 4 trust material invalid.\n");
}

/* "embedded (...)" or "FILE" (one root) or "FILE root 2 of 3" (JSON Lines) */
static void
source_of(const al_trust_info *t, size_t root, char *out, size_t cap)
{
	if (t->nroots > 1)
		snprintf(out, cap, "%s root %zu of %zu", t->source, root + 1, t->nroots);
	else
		snprintf(out, cap, "%s", t->source);
}

static bool
list(const al_trust_info *t)
{
	bool ok = true;

	for (size_t i = 0; i < t->nentries && ok; i++) {
		const al_trust_entry *e = &t->entries[i];
		char src[1200];

		source_of(t, e->root, src, sizeof(src));
		ok = al_cli_outf("%-5s  %s  %s  %s .. %s  %s", e->kind, e->name, e->id, e->valid_from, e->valid_until,
				 src);
	}
	return ok;
}

static bool
show(const al_trust_info *t)
{
	al_trust_provenance p;
	bool ok;

	ok = al_cli_outf("source: %s", t->source) && al_cli_outf("sha256: %s", t->sha256);
	if (ok && t->embedded) {
		al_trust_provenance_get(&p);
		ok = al_cli_outf("provenance: npm package %s %s, integrity %s", p.package, p.version, p.integrity) &&
		     al_cli_outf("provenance: TUF repository %s, root.json version %u, expires %s", p.tuf_repository,
				 p.tuf_root_version, p.tuf_root_expires);
	}
	if (ok && t->jsonl)
		ok = al_cli_outf("format: JSON Lines, %zu trusted roots (each tried in turn)", t->nroots);
	for (size_t k = 0; k < t->nroots && ok; k++) {
		ok = al_cli_outf("trusted root %zu of %zu: sha256:%s, %s, newest entry valid from %s", k + 1, t->nroots,
				 t->root_sha256[k], t->media_type[k], t->newest[k]);
		for (size_t i = 0; i < t->nentries && ok; i++) {
			const al_trust_entry *e = &t->entries[i];

			if (e->root != k)
				continue;
			ok = al_cli_outf("  %s %s", e->kind, e->name) && al_cli_outf("    %s", e->id) &&
			     al_cli_outf("    valid %s .. %s", e->valid_from, e->valid_until) &&
			     al_cli_outf("    %s", e->detail);
		}
	}
	return ok;
}

int
al_cmd_trust(int argc, char **argv)
{
	const char *root = NULL;
	bool json = false;
	const al_opt opts[] = {
		{ "--trusted-root", &root, NULL, NULL },
		{ "--json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	const char *sub[1] = { NULL };
	size_t npos;
	al_trust_info t;
	al_err err;
	int st;
	bool ok;

	if (argc >= 2 && strcmp(argv[1], "update") == 0)
		return al_cmd_trust_update(argc - 1, argv + 1);
	st = al_cli_parse("trust", argc, argv, opts, NULL, NULL, 0, sub, 1, &npos, usage);
	if (st >= 0)
		return st;
	if (sub[0] == NULL || (strcmp(sub[0], "list") != 0 && strcmp(sub[0], "show") != 0)) {
		if (sub[0] != NULL)
			al_cli_errf("airlock trust: unknown subcommand '%s' (list, show or update)", sub[0]);
		usage(stderr);
		return 2;
	}
	if (json && strcmp(sub[0], "show") != 0) {
		al_cli_errf("airlock trust: --json is an option of 'trust show'");
		return 2;
	}
	al_err_clear(&err);
	if (al_trust_info_cmd(root, &t, &err) != AL_OK)
		return al_cli_fail(&err);
	if (json)
		ok = al_cli_write_report(t.json);
	else if (strcmp(sub[0], "list") == 0)
		ok = list(&t);
	else
		ok = show(&t);
	al_trust_info_free(&t);
	return ok ? 0 : 2;
}
