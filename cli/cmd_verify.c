/*
 * cmd_verify.c — `airlock verify BUNDLE` and `airlock inspect BUNDLE`.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "verify/verify.h"

static void
verify_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock verify [policy] [--strict] [--max-bytes N] [--] BUNDLE\n\n"
		"Proves every image in an exported bundle — an OCI image layout (directory, or tar,\n"
		"tar.gz, tar.zst, tar.xz), a docker-archive, or a containers/image dir: — offline:\n"
		"every referenced blob present with the right size and digest, and every image (and\n"
		"every platform of an index) signed by an accepted authority: cosign signatures and\n"
		"attestations, OCI 1.1 referrer Sigstore bundles, containers/image signatures.\n\n"
		"policy:\n"
		"  --key PEM                           accept signatures by this key (repeatable)\n"
		"  --certificate-identity SAN          keyless: expected identity, exact\n"
		"  --certificate-identity-regexp RE    keyless: expected identity, anchored regex\n"
		"  --certificate-oidc-issuer ISS       keyless: expected OIDC issuer, exact\n"
		"  --certificate-oidc-issuer-regexp RE keyless: expected issuer, anchored regex\n"
		"  --trusted-root FILE                 Sigstore trusted_root.json (Rekor, Fulcio, CT, TSA), or\n"
		"                                      JSON Lines of several; default: the embedded\n"
		"                                      public-good root, in every mode ('airlock trust show')\n"
		"  --ca-roots PEM                      private PKI: certificate roots instead of Fulcio\n"
		"  --ca-intermediates PEM              private PKI: intermediate certificates\n"
		"  --allow-missing-blobs               relaxation: verify signatures over manifests even\n"
		"                                      when layers are absent (listed in the report)\n\n"
		"bundle:\n"
		"  --strict                            content the images do not reference (extra blobs,\n"
		"                                      orphan manifests) fails the bundle\n"
		"  --max-bytes N                       read at most N decompressed bytes (suffix K, M, G\n"
		"                                      or T: binary units; default 256G)\n"
		"  --max-trust-age D                   fail (exit 4) when the trust material is older than\n"
		"                                      D (90d, 12h, 2w; docs/trust.md)\n"
		"  --at TIME                           evaluate at this RFC 3339 time instead of the clock\n"
		"                                      (trust age, --ca-roots without a signed time)\n\n"
		"output:\n"
		"  -o, --output text|json              the report on stdout: text (default) or JSON\n"
		"                                      (docs/report.md)\n"
		"  --report FILE                       also write the JSON report to FILE (a new file)\n"
		"  --extract DIR                       after a pass, write every verified in-toto statement\n"
		"                                      to DIR/<subject digest>/<predicate type>-<n>.json\n\n"
		"--help is honoured only as the sole argument; '--' ends the options, so a\n"
		"bundle named like an option goes after it.\n"
		"Exit: 0 every image verified, 1 something failed, 2 usage or unreadable input,\n"
		"      3 nothing to verify (no image, or no signature at all), 4 trust material invalid.\n");
}

int
al_cmd_verify(int argc, char **argv)
{
	al_img_opts o;
	al_result res;
	const char *keys[AL_MAX_KEYS_ARG];
	const char *max_bytes = NULL, *max_age = NULL, *output = NULL, *report_path = NULL, *at = NULL;
	const char *extract = NULL;
	al_buf report = { 0 };
	al_err err;
	al_rc rc;
	bool json, extracted = false;
	int dfd = -1;

	const al_opt opts[] = {
		{ "--trusted-root", &o.trusted_root_path, NULL },
		{ "--certificate-identity", &o.identity, NULL },
		{ "--certificate-identity-regexp", &o.identity_regexp, NULL },
		{ "--certificate-oidc-issuer", &o.issuer, NULL },
		{ "--certificate-oidc-issuer-regexp", &o.issuer_regexp, NULL },
		{ "--ca-roots", &o.ca_roots, NULL },
		{ "--ca-intermediates", &o.ca_intermediates, NULL },
		{ "--allow-missing-blobs", NULL, &o.allow_missing_blobs },
		{ "--strict", NULL, &o.strict },
		{ "--max-bytes", &max_bytes, NULL },
		{ "--max-trust-age", &max_age, NULL },
		{ "--at", &at, NULL },
		{ "--output", &output, NULL },
		{ "-o", &output, NULL },
		{ "--report", &report_path, NULL },
		{ "--extract", &extract, NULL },
		{ NULL, NULL, NULL },
	};
	size_t npos;
	int st, code;
	bool written;

	memset(&o, 0, sizeof(o));
	o.key_paths = keys;
	st = al_cli_parse("verify", argc, argv, opts, keys, &o.nkeys, AL_MAX_KEYS_ARG, &o.bundle_path, 1, &npos,
			  verify_usage);
	if (st >= 0)
		return st;
	if ((st = al_cli_age_opt("verify", max_age, &o.max_trust_age)) >= 0 ||
	    (st = al_cli_at_opt("verify", at, &o.at)) >= 0 || (st = al_cli_output_opt("verify", output, &json)) >= 0)
		return st;
	if ((st = al_cli_size_opt("verify", "--max-bytes", max_bytes, &o.max_bytes)) >= 0)
		return st;
	if (o.bundle_path == NULL) {
		verify_usage(stderr);
		return 2;
	}
	if (extract != NULL) {
		if ((dfd = al_cli_extract_open(extract)) < 0)
			return 2;
		o.keep_statements = true;
	}
	al_cli_no_writes(report_path != NULL || extract != NULL);
	al_err_clear(&err);
	rc = al_verify_image_cmd(&o, &res, &err);
	/* statements leave only a bundle that verified */
	if (rc == AL_OK && dfd >= 0) {
		size_t n;

		if (!al_cli_extract(dfd, extract, &res, &n))
			rc = al_err_set(&err, AL_E_IO, "--extract %s: the statements were not all written", extract);
		else
			extracted = true;
	}
	if (dfd >= 0)
		close(dfd);
	code = rc == AL_OK ? 0 : al_rc_exit(err.code);
	if ((json || report_path) && !al_render_json(&res, "verify", code, &err, extracted, &report)) {
		al_result_free(&res);
		al_buf_free(&report);
		al_cli_errf("airlock: out of memory writing the JSON report");
		return 2;
	}
	/* a report that did not reach its reader is not a verification */
	if (report_path && !al_cli_write_new_file(report_path, al_buf_bytes(&report))) {
		al_result_free(&res);
		al_buf_free(&report);
		return 2;
	}
	if (json) {
		written = al_cli_write(report.p, report.n);
	} else {
		report.n = 0;
		(void)al_render_text(&res, &report);
		written = al_cli_write_report(al_buf_bytes(&report));
	}
	al_result_free(&res);
	al_buf_free(&report);
	if (!written || !al_cli_flush())
		return 2;
	if (rc != AL_OK) {
		st = al_cli_fail(&err);
		/* the last line on stdout is the verdict, as on success */
		if (!json && !al_cli_write_report(al_bytes_str(st == 3 ? "NOT VERIFIED (nothing to verify)" : "NOT VERIFIED")))
			return 2;
		return st;
	}
	return json || al_cli_write_report(al_bytes_str("VERIFIED")) ? 0 : 2;
}

static void
inspect_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock inspect [--max-bytes N] [--] BUNDLE\n\n"
		"Shows what is inside an exported bundle — images, platforms, signatures,\n"
		"attestations with predicate types, referrers — and what is missing or extra,\n"
		"without verifying signatures: the lint to run before carrying media across.\n"
		"Untrusted names and values are printed quoted and escaped.\n\n"
		"  --max-bytes N         read at most N decompressed bytes (suffix K, M, G or T:\n"
		"                        binary units; default 256G)\n"
		"  -o, --output text|json  text (default), or the JSON report (docs/report.md)\n"
		"  --report FILE         also write the JSON report to FILE (a new file)\n"
		"  --at TIME             the evaluation time the JSON report records (RFC 3339)\n\n"
		"--help is honoured only as the sole argument; '--' ends the options.\n");
}

int
al_cmd_inspect(int argc, char **argv)
{
	const char *path = NULL, *max_bytes = NULL, *output = NULL, *report_path = NULL, *at = NULL;
	uint64_t budget = 0;
	int64_t at_t = 0;
	al_buf report = { 0 };
	al_err err;
	al_rc rc;
	const al_opt opts[] = {
		{ "--max-bytes", &max_bytes, NULL },
		{ "--output", &output, NULL },
		{ "-o", &output, NULL },
		{ "--report", &report_path, NULL },
		{ "--at", &at, NULL },
		{ NULL, NULL, NULL },
	};
	size_t npos;
	int st;
	bool written, json;

	st = al_cli_parse("inspect", argc, argv, opts, NULL, NULL, 0, &path, 1, &npos, inspect_usage);
	if (st >= 0)
		return st;
	if ((st = al_cli_size_opt("inspect", "--max-bytes", max_bytes, &budget)) >= 0 ||
	    (st = al_cli_output_opt("inspect", output, &json)) >= 0 || (st = al_cli_at_opt("inspect", at, &at_t)) >= 0)
		return st;
	if (path == NULL) {
		inspect_usage(stderr);
		return 2;
	}
	al_cli_no_writes(report_path != NULL);
	al_err_clear(&err);
	if (json || report_path) {
		al_result res;
		bool ok;

		rc = al_inspect_result(path, budget, at_t, &res, &err);
		ok = al_render_json(&res, "inspect", rc == AL_OK ? 0 : al_rc_exit(err.code), &err, false, &report);
		al_result_free(&res);
		if (!ok)
			al_cli_errf("airlock: out of memory writing the JSON report");
		ok = ok && (report_path == NULL || al_cli_write_new_file(report_path, al_buf_bytes(&report)));
		ok = ok && (!json || (al_cli_write(report.p, report.n) && al_cli_flush()));
		al_buf_free(&report);
		if (!ok)
			return 2;
		if (json)
			return rc == AL_OK ? 0 : al_cli_fail(&err);
		al_err_clear(&err);
	}
	rc = al_inspect_cmd(path, budget, &report, &err);
	written = al_cli_write_report(al_buf_bytes(&report));
	al_buf_free(&report);
	if (!written || !al_cli_flush())
		return 2;
	return rc == AL_OK ? 0 : al_cli_fail(&err);
}
