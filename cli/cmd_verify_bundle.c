/*
 * cmd_verify_bundle.c — `airlock verify-bundle`, the sigstore-conformance
 * CLI protocol:
 *   airlock verify-bundle --bundle F (--certificate-identity SAN
 *       --certificate-oidc-issuer ISS | --key PEM) [--trusted-root TR] FILE_OR_DIGEST
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "verify/verify.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: airlock verify-bundle --bundle FILE [--trusted-root FILE]\n"
		"           (--key PEM | --certificate-identity SAN | --certificate-identity-regexp RE)\n"
		"           [--certificate-oidc-issuer ISS | --certificate-oidc-issuer-regexp RE]\n"
		"           [--] FILE_OR_DIGEST\n"
		"       airlock verify-bundle --batch LIST [-j N] [the same policy options]\n\n"
		"Verifies a Sigstore bundle (v0.1, v0.2, v0.3) offline: transparency-log entries\n"
		"(inclusion proof, checkpoint, SET, entry body), timestamps, the signing certificate\n"
		"at the signed time or the given key, the signer identity, and the signature over\n"
		"FILE_OR_DIGEST — a file, or sha256:<64 hex>. For a DSSE bundle the artifact must be\n"
		"a subject of the in-toto statement.\n\n"
		"  --bundle FILE                       the Sigstore bundle (JSON)\n"
		"  --batch LIST                        many bundles under this one policy: each line of LIST\n"
		"                                      (- for stdin) is BUNDLE<TAB>FILE_OR_DIGEST ('#' lines\n"
		"                                      and blank lines skipped); one result line per bundle in\n"
		"                                      LIST's order (VERIFIED/FAILED, or a JSON report each with\n"
		"                                      -o json), then a summary; exit 0 only if all verified,\n"
		"                                      else the worst bundle's exit status\n"
		"  -j, --jobs N                        --batch workers (default: the CPUs this process may use)\n"
		"  --trusted-root FILE                 Sigstore trusted_root.json, or JSON Lines of several\n"
		"                                      (default: the embedded public-good root)\n"
		"  --key PEM                           verify with this public key (repeatable: any may match)\n"
		"  --certificate-identity SAN          expected certificate identity, exact\n"
		"  --certificate-identity-regexp RE    expected identity, anchored POSIX extended regex\n"
		"  --certificate-oidc-issuer ISS       expected OIDC issuer, exact\n"
		"  --certificate-oidc-issuer-regexp RE expected issuer, anchored regex\n"
		"  --max-trust-age D                   fail (exit 4) when the trust material is older than\n"
		"                                      D (90d, 12h, 2w; docs/trust.md)\n"
		"  --at TIME                           evaluate at this RFC 3339 time instead of the clock\n"
		"  --insecure-ignore-tlog              relaxation: accept a trusted root that lists no log\n"
		"                                      (GitHub's instance); its RFC 3161 timestamp is then\n"
		"                                      required, and the output says RELAXED\n"
		"  --insecure-ignore-sct               relaxation: no SCT is required of the certificate\n"
		"                                      (a trusted root with no CT log needs it)\n"
		"  cosign:        --certificate-github-workflow-repository|-ref|-sha|-name|-trigger V,\n"
		"                 --type T / --predicate-type T, --use-signed-timestamps\n"
		"  slsa-verifier: --source-uri U, --source-tag T | --source-branch B |\n"
		"                 --source-versioned-tag vX[.Y[.Z]], --builder-id ID, --build-workflow-input K=V\n"
		"  gh:            --owner O | --repo O/R, --signer-repo O/R, --signer-workflow W,\n"
		"                 --deny-self-hosted-runners (docs/policy.md §5)\n"
		"  -o, --output text|json              the result on stdout: text (default) or the JSON\n"
		"                                      report (docs/report.md)\n"
		"  --report FILE                       also write the JSON report to FILE (a new file)\n\n"
		"Every file named must be a regular file (a FIFO or device is refused).\n"
		"--help is honoured only as the sole argument; '--' ends the options.\n\n"
		"Exit: 0 verified, 1 verification failed, 2 usage or unreadable input,\n"
		"      4 trust material invalid or older than --max-trust-age.\n");
}

bool
al_cli_vb_line(const al_vb_result *res, bool warnings, al_buf *out)
{
	char which[1200] = "";
	bool ok;

	/* with --trusted-root FILE (one root) the line ends as it always has; the
	 * embedded root, the state folder's, and a root of JSON Lines, are named
	 * after the digest */
	if (res->trusted_root_embedded || res->trusted_root_state)
		snprintf(which, sizeof(which), " (%s)", res->trusted_root_source);
	else if (res->trusted_roots > 1)
		snprintf(which, sizeof(which), " (root %zu of %zu in %s)", res->trusted_root_index + 1,
			 res->trusted_roots, res->trusted_root_source);
	ok = al_buf_appendf(out, NULL, "%s over %s%s%s by %s; tlog: %s; %s; trusted root sha256:%.16s…%s",
			    res->is_dsse ? "DSSE envelope" : "message signature", res->artifact,
			    res->subject ? ", " : "", res->subject ? res->subject : "", res->signer, res->tlog,
			    res->time, res->trusted_root_sha256, which) == AL_OK;
	for (size_t i = 0; ok && warnings && i < res->nchecks; i++)
		if (res->checks[i].status == AL_ST_WARN && res->checks[i].reason)
			ok = al_buf_appendf(out, NULL, "; warning: %s", res->checks[i].reason) == AL_OK;
	/* a C string for the line writers */
	ok = ok && al_buf_append(out, "", 1, NULL) == AL_OK;
	if (ok)
		out->n--;
	return ok;
}

int
al_cmd_verify_bundle(int argc, char **argv)
{
	al_vb_opts o;
	al_vb_result res;
	al_err err;
	const char *keys[AL_MAX_KEYS_ARG];
	const char *max_age = NULL, *at = NULL, *output = NULL, *report_path = NULL, *batch = NULL, *jobs_s = NULL;
	unsigned jobs = 0;
	al_buf report = { 0 }, line = { 0 };
	bool json;
	al_rc rc;

	const char *types_v[AL_MAX_POLICY_ATTESTATIONS], *inputs_v[AL_MAX_POLICY_INPUTS];
	al_optlist types = { types_v, 0, AL_MAX_POLICY_ATTESTATIONS }, inputs = { inputs_v, 0, AL_MAX_POLICY_INPUTS };
	al_pol_flags *f = &o.flags;
	const al_opt opts[] = {
		{ "--bundle", &o.bundle_path, NULL, NULL },
		{ "--trusted-root", &o.trusted_root_path, NULL, NULL },
		AL_CLI_POLICY_OPTS(f, &types, &inputs),
		{ "--max-trust-age", &max_age, NULL, NULL },
		{ "--at", &at, NULL, NULL },
		{ "--output", &output, NULL, NULL },
		{ "-o", &output, NULL, NULL },
		{ "--report", &report_path, NULL, NULL },
		{ "--batch", &batch, NULL, NULL },
		{ "--jobs", &jobs_s, NULL, NULL },
		{ "-j", &jobs_s, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	size_t npos;
	int st;

	memset(&o, 0, sizeof(o));
	f->key_paths = keys;
	st = al_cli_parse("verify-bundle", argc, argv, opts, keys, &f->nkeys, AL_MAX_KEYS_ARG, &o.artifact, 1, &npos,
			  usage);
	if (st >= 0)
		return st;
	if (jobs_s != NULL && batch == NULL) {
		al_cli_errf("airlock verify-bundle: -j is the number of workers of --batch; give --batch LIST");
		return 2;
	}
	if ((st = al_cli_jobs_opt("verify-bundle", jobs_s, &jobs)) >= 0)
		return st;
	if (batch != NULL && (o.bundle_path != NULL || npos != 0 || report_path != NULL)) {
		al_cli_errf("airlock verify-bundle: --batch takes its bundles and artifacts from LIST: no --bundle, "
			    "no FILE_OR_DIGEST, and no --report (use -o json, one report per line, and redirect it)");
		return 2;
	}
	f->types = types_v;
	f->ntypes = types.n;
	f->build_inputs = inputs_v;
	f->ninputs = inputs.n;
	if ((st = al_cli_age_opt("verify-bundle", max_age, &o.max_trust_age)) >= 0 ||
	    (st = al_cli_at_opt("verify-bundle", at, &o.at)) >= 0 ||
	    (st = al_cli_output_opt("verify-bundle", output, &json)) >= 0)
		return st;
	al_cli_no_writes(report_path != NULL);
	if (batch != NULL) {
		return al_cli_vb_batch(&o, batch, jobs, json);
	}
	al_err_clear(&err);
	rc = al_verify_bundle_cmd(&o, &res, &err);
	if (json || report_path) {
		int code = rc == AL_OK ? 0 : al_rc_exit(err.code);
		bool ok = al_render_json_vb(&res, code, &err, &report);

		if (!ok)
			al_cli_errf("airlock: out of memory writing the JSON report");
		/* a report that did not reach its reader is not a verification */
		ok = ok && (report_path == NULL || al_cli_write_new_file("--report", report_path, al_buf_bytes(&report)));
		ok = ok && (!json || (al_cli_write_json(al_buf_bytes(&report)) && al_cli_flush()));
		al_buf_free(&report);
		if (!ok) {
			al_vb_result_free(&res);
			return 2;
		}
		if (json) {
			al_vb_result_free(&res);
			return rc == AL_OK ? 0 : al_cli_fail(&err);
		}
	}
	if (rc != AL_OK) {
		al_vb_result_free(&res);
		return al_cli_fail(&err);
	}
	if (!al_cli_vb_line(&res, false, &line)) {
		al_vb_result_free(&res);
		al_cli_errf("airlock: out of memory writing the result");
		return 2;
	}
	st = al_cli_outf("verified: %s", (const char *)line.p) ? 0 : 2;
	al_buf_free(&line);
	if (st == 0 && !al_cli_outf("trust material: %s", res.trust_age))
		st = 2;
	for (size_t i = 0; st == 0 && i < res.nchecks; i++)
		if (res.checks[i].status == AL_ST_WARN && res.checks[i].reason && !al_cli_outf("%s", res.checks[i].reason))
			st = 2;
	al_vb_result_free(&res);
	return st;
}
