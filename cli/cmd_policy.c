/*
 * cmd_policy.c — `airlock policy check FILE` (validate and print the
 * normalised policy) and `airlock policy explain FILE BUNDLE` (which rule
 * each image of a bundle falls under, and which of its requirements it
 * meets). docs/policy.md §7.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "verify/verify.h"

static void
policy_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock policy check FILE\n"
		"       airlock policy explain FILE [--reference NAME] [--trusted-root T] [--at TIME]\n"
		"                                   [--allow-missing-blobs] [--] BUNDLE\n\n"
		"check    reads a policy in any format airlock takes (its own, containers-policy.json,\n"
		"         a Sigstore ClusterImagePolicy), refuses anything it cannot enforce, and prints\n"
		"         the normalised policy (airlock's own schema, RFC 8785 JSON) on stdout\n"
		"explain  verifies BUNDLE under the policy and says, for every image, the name it was\n"
		"         judged under, the rule that applied, and each requirement met or not\n\n"
		"Exit: check: 0 valid, 2 invalid (the message names the JSON path);\n"
		"      explain: as 'airlock verify'. docs/policy.md.\n");
}

static int
check(int argc, char **argv)
{
	const char *file = NULL;
	size_t npos;
	al_policy *p = NULL;
	al_buf canon = { 0 };
	al_err err;
	int st;
	char hex[65];
	bool ok;

	st = al_cli_parse("policy check", argc, argv, NULL, NULL, NULL, 0, &file, 1, &npos, policy_usage);
	if (st >= 0)
		return st;
	if (file == NULL) {
		policy_usage(stderr);
		return 2;
	}
	al_err_clear(&err);
	if (al_policy_load(file, &p, &err) != AL_OK)
		return al_cli_fail(&err);
	if (al_policy_canonical(p, &canon, &err) != AL_OK || al_buf_append(&canon, "\n", 1, &err) != AL_OK) {
		al_policy_free(p);
		al_buf_free(&canon);
		return al_cli_fail(&err);
	}
	al_hex_encode(p->sha256, 32, hex);
	al_cli_errf("airlock policy check: %s: valid %s policy, %zu rule%s, sha256:%s", file, p->format, p->nrules,
		    p->nrules == 1 ? "" : "s", hex);
	ok = al_cli_write_json(al_buf_bytes(&canon)) && al_cli_flush();
	al_policy_free(p);
	al_buf_free(&canon);
	return ok ? 0 : 2;
}

static int
explain(int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *at = NULL;
	al_img_opts o;
	al_result res;
	al_buf out = { 0 };
	al_err err;
	al_rc rc;
	size_t npos;
	int st;
	const al_opt opts[] = {
		{ "--reference", &o.reference, NULL, NULL },
		{ "--trusted-root", &o.trusted_root_path, NULL, NULL },
		{ "--at", &at, NULL, NULL },
		{ "--allow-missing-blobs", NULL, &o.allow_missing_blobs, NULL },
		{ NULL, NULL, NULL, NULL },
	};

	memset(&o, 0, sizeof(o));
	st = al_cli_parse("policy explain", argc, argv, opts, NULL, NULL, 0, pos, 2, &npos, policy_usage);
	if (st >= 0)
		return st;
	if (npos != 2) {
		policy_usage(stderr);
		return 2;
	}
	if ((st = al_cli_at_opt("policy explain", at, &o.at)) >= 0)
		return st;
	o.policy_path = pos[0];
	o.bundle_path = pos[1];
	o.no_inventory = true; /* the explanation names no blob */
	al_cli_no_writes(false);
	al_err_clear(&err);
	rc = al_verify_image_cmd(&o, &res, &err);
	if (!al_render_explain(&res, &out) || !al_cli_write_report(al_buf_bytes(&out)) || !al_cli_flush()) {
		al_result_free(&res);
		al_buf_free(&out);
		return 2;
	}
	al_result_free(&res);
	al_buf_free(&out);
	if (rc != AL_OK)
		return al_cli_fail(&err);
	return 0;
}

int
al_cmd_policy(int argc, char **argv)
{
	if (argc == 2 && al_cli_is_help(argv[1])) {
		policy_usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "explain") == 0)
		return explain(argc - 1, argv + 1);
	if (argc >= 2 && al_cli_is_help(argv[1]))
		return al_cli_help_misplaced("policy", argv[1]);
	al_cli_errf("airlock policy: expected 'check' or 'explain'");
	policy_usage(stderr);
	return 2;
}
