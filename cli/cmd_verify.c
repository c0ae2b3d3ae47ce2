/*
 * cmd_verify.c — `airlock verify BUNDLE` and `airlock inspect BUNDLE`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "verify/verify.h"

static void
verify_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock verify [policy] [--strict] [--max-bytes N] [-j N] [-q] [--] BUNDLE\n\n"
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
		"                                      when layers are absent (listed in the report)\n"
		"  --policy FILE                       the policy: airlock's own, containers-policy.json or a\n"
		"                                      ClusterImagePolicy (docs/policy.md); excludes the\n"
		"                                      policy flags here\n"
		"  --reference NAME                    the name the images will be known by (scopes and\n"
		"                                      signed identities; default: the names the bundle gives)\n"
		"  cosign:        --certificate-github-workflow-repository|-ref|-sha|-name|-trigger V,\n"
		"                 --type T / --predicate-type T (repeatable), --insecure-ignore-tlog,\n"
		"                 --insecure-ignore-sct, --use-signed-timestamps, --private-infrastructure\n"
		"  slsa-verifier: --source-uri U, --source-tag T | --source-branch B |\n"
		"                 --source-versioned-tag vX[.Y[.Z]], --builder-id ID,\n"
		"                 --build-workflow-input K=V (repeatable), --print-provenance\n"
		"  gh:            --owner O | --repo O/R, --signer-repo O/R, --signer-workflow W,\n"
		"                 --deny-self-hosted-runners\n"
		"                 (docs/policy.md §5 says what each becomes; relaxations are reported)\n\n"
		"bundle:\n"
		"  --strict                            content the images do not reference (extra blobs,\n"
		"                                      orphan manifests) fails the bundle\n"
		"  --max-bytes N                       read at most N decompressed bytes (suffix K, M, G\n"
		"                                      or T: binary units; default 256G)\n"
		"  -j, --jobs N                        threads that hash blobs at once (1 to %d; default:\n"
		"                                      one per CPU this process may run on)\n"
		"  --max-trust-age D                   fail (exit 4) when the trust material is older than\n"
		"                                      D (90d, 12h, 2w; docs/trust.md)\n"
		"  --at TIME                           evaluate at this RFC 3339 time instead of the clock\n"
		"                                      (trust age, --ca-roots without a signed time)\n\n"
		"output:\n"
		"  -o, --output text|json              the report on stdout: text (default) or JSON\n"
		"                                      (docs/report.md)\n"
		"  --report FILE                       also write the JSON report to FILE (a new file)\n"
		"  --extract DIR                       after a pass, write every verified in-toto statement\n"
		"                                      to DIR/<subject digest>/<predicate type>-<n>.json\n"
		"  -q, --quiet                         no progress line while the bundle is read (it is\n"
		"                                      shown only when stderr is a terminal)\n\n"
		"verification summary attestations (docs/vsa.md):\n"
		"  --vsa-out DIR                       write a signed SLSA VSA per image into DIR (which must\n"
		"                                      exist): <hex>.vsa.dsse.json and <hex>.vsa.sigstore.json;\n"
		"                                      existing files are never overwritten; timeVerified is\n"
		"                                      the evaluation time (--at, else the clock)\n"
		"  --vsa-key KEY                       PKCS#8 PEM private key (Ed25519 or ECDSA P-256), read\n"
		"                                      before anything is verified\n"
		"  --verifier-id URI                   verifier.id (default " AL_VSA_VERIFIER_ID ")\n"
		"  --policy-uri URI                    policy.uri (default " AL_VSA_POLICY_URI ")\n\n"
		"--help is honoured only as the sole argument; '--' ends the options, so a\n"
		"bundle named like an option goes after it.\n"
		"Exit: 0 every image verified, 1 something failed, 2 usage or unreadable input,\n"
		"      3 nothing to verify (no image, or no signature at all), 4 trust material invalid.\n",
		AL_MAX_THREADS);
}

/* The plain text report, written as the images are judged: each image's
 * evidence as soon as it is judged, after which verify frees it, so a
 * bundle of many images costs the memory of one (docs/performance.md
 * §4.5). The bundle's lines go first, with the first image. */
typedef struct text_stream {
	al_cli_progress *pg;
	bool head;                 /* the bundle's lines are written */
	bool ok;                   /* every write reached stdout */
	al_buf b;
	/* each image's one line for the tail, failures apart: verify keeps
	 * nothing of an image (~80 bytes a line instead of ~300 an image).
	 * In rest, a verified image without a tag is a record (TAIL_SHA256 and
	 * the digest's 32 bytes), its line written when the tail is: a large
	 * index has one per image (docs/performance.md §4.9) */
	al_buf fails, rest;
} text_stream;

/* No rendered line holds this byte: al_text_escape writes it as \x01. */
#define TAIL_SHA256 0x01
#define TAIL_REC (1 + 32)

/* Img's tail line as a record, when it is a plain verified one. */
static bool
tail_record(const al_image_result *img, uint8_t rec[TAIL_REC])
{
	const char *d = img->digest;

	if (img->status != AL_ST_PASS || img->ref_name != NULL || d == NULL || strncmp(d, "sha256:", 7) != 0 ||
	    strlen(d + 7) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((d[7 + i] >= '0' && d[7 + i] <= '9') || (d[7 + i] >= 'a' && d[7 + i] <= 'f')))
			return false; /* only what reads back to the same text */
	rec[0] = TAIL_SHA256;
	return al_hex_decode(al_bytes_of(d + 7, 64), rec + 1, 32, NULL) == AL_OK;
}

/* Writes rest, each record as the line al_render_text_line makes. */
static bool
tail_write(const al_buf *rest)
{
	al_buf out = { 0 };
	bool ok = true;
	size_t i = 0;

	while (i < rest->n && ok) {
		if (rest->p[i] == TAIL_SHA256 && rest->n - i >= TAIL_REC) {
			char ds[7 + 64 + 1] = "sha256:";
			al_image_result img = { .digest = ds, .status = AL_ST_PASS };

			al_hex_encode(rest->p + i + 1, 32, ds + 7);
			ok = al_render_text_line(&img, &out);
			i += TAIL_REC;
		} else {
			const uint8_t *nl = memchr(rest->p + i, '\n', rest->n - i);
			size_t n = nl ? (size_t)(nl - (rest->p + i)) + 1 : rest->n - i;

			ok = al_buf_append(&out, rest->p + i, n, NULL) == AL_OK;
			i += n;
		}
		if (ok && (out.n >= (64u << 10) || i >= rest->n)) {
			ok = al_cli_write_report(al_buf_bytes(&out));
			out.n = 0;
		}
	}
	al_buf_free(&out);
	return ok;
}

/* One image's evidence or one artifact's line (img NULL), after the
 * bundle's lines, which the first of them brings. */
static void
text_part(text_stream *ts, const al_result *res, const al_image_result *img, const al_artifact_entry *a)
{
	/* the progress line is done with: the bundle is read */
	al_cli_progress_end(ts->pg);
	ts->b.n = 0;
	if (!ts->head) {
		ts->head = true;
		(void)al_render_text_head(res, &ts->b);
	}
	if (img != NULL)
		(void)al_render_text_image(img, &ts->b);
	else
		(void)al_render_text_artifact(a, &ts->b);
	if (!al_cli_write_report(al_buf_bytes(&ts->b)))
		ts->ok = false;
	if (img != NULL) {
		uint8_t rec[TAIL_REC];

		if (tail_record(img, rec)) {
			if (al_buf_append(&ts->rest, rec, sizeof(rec), NULL) != AL_OK)
				ts->ok = false;
		} else if (!al_render_text_line(img, img->status == AL_ST_FAIL ? &ts->fails : &ts->rest)) {
			ts->ok = false; /* out of memory: the report would lack a line */
		}
	}
}

static void
text_image(void *ctx, const al_result *res, const al_image_result *img)
{
	text_part(ctx, res, img, NULL);
}

static void
text_artifact(void *ctx, const al_result *res, const al_artifact_entry *a)
{
	text_part(ctx, res, NULL, a);
}

int
al_cmd_verify(int argc, char **argv)
{
	al_img_opts o;
	al_result res;
	const char *keys[AL_MAX_KEYS_ARG];
	const char *max_bytes = NULL, *max_age = NULL, *output = NULL, *report_path = NULL, *at = NULL;
	const char *extract = NULL, *jobs = NULL;
	al_cli_progress pg;
	al_vsa_opts vo;
	al_vsa_writer vw;
	al_buf report = { 0 }, vsa_report = { 0 };
	text_stream ts = { .ok = true };
	al_err err;
	al_rc rc;
	bool json, extracted = false, quiet = false, stream;
	int dfd = -1;

	const char *types_v[AL_MAX_POLICY_ATTESTATIONS], *inputs_v[AL_MAX_POLICY_INPUTS];
	al_optlist types = { types_v, 0, AL_MAX_POLICY_ATTESTATIONS }, inputs = { inputs_v, 0, AL_MAX_POLICY_INPUTS };
	bool print_provenance = false;
	al_pol_flags *f = &o.flags;
	const al_opt opts[] = {
		{ "--trusted-root", &o.trusted_root_path, NULL, NULL },
		{ "--policy", &o.policy_path, NULL, NULL },
		{ "--reference", &o.reference, NULL, NULL },
		AL_CLI_POLICY_OPTS(f, &types, &inputs),
		{ "--print-provenance", NULL, &print_provenance, NULL },
		{ "--ca-roots", &f->ca_roots, NULL, NULL },
		{ "--ca-intermediates", &f->ca_intermediates, NULL, NULL },
		{ "--allow-missing-blobs", NULL, &o.allow_missing_blobs, NULL },
		{ "--strict", NULL, &o.strict, NULL },
		{ "--max-bytes", &max_bytes, NULL, NULL },
		{ "--max-trust-age", &max_age, NULL, NULL },
		{ "--at", &at, NULL, NULL },
		{ "--output", &output, NULL, NULL },
		{ "-o", &output, NULL, NULL },
		{ "--report", &report_path, NULL, NULL },
		{ "--extract", &extract, NULL, NULL },
		{ "--vsa-out", &vo.out_dir, NULL, NULL },
		{ "--vsa-key", &vo.key_path, NULL, NULL },
		{ "--verifier-id", &vo.verifier_id, NULL, NULL },
		{ "--policy-uri", &vo.policy_uri, NULL, NULL },
		{ "--jobs", &jobs, NULL, NULL },
		{ "-j", &jobs, NULL, NULL },
		{ "--quiet", NULL, &quiet, NULL },
		{ "-q", NULL, &quiet, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	size_t npos;
	int st, code;
	bool written, vsa;

	memset(&o, 0, sizeof(o));
	memset(&vo, 0, sizeof(vo));
	f->key_paths = keys;
	st = al_cli_parse("verify", argc, argv, opts, keys, &f->nkeys, AL_MAX_KEYS_ARG, &o.bundle_path, 1, &npos,
			  verify_usage);
	if (st >= 0)
		return st;
	f->types = types_v;
	f->ntypes = types.n;
	f->build_inputs = inputs_v;
	f->ninputs = inputs.n;
	/* slsa-verifier --print-provenance: the verified statements, as --extract keeps them */
	if (print_provenance)
		o.keep_statements = true;
	if ((st = al_cli_age_opt("verify", max_age, &o.max_trust_age)) >= 0 ||
	    (st = al_cli_at_opt("verify", at, &o.at)) >= 0 || (st = al_cli_output_opt("verify", output, &json)) >= 0)
		return st;
	if ((st = al_cli_size_opt("verify", "--max-bytes", max_bytes, &o.max_bytes)) >= 0 ||
	    (st = al_cli_jobs_opt("verify", jobs, &o.jobs)) >= 0)
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
	al_err_clear(&err);
	vsa = vo.out_dir || vo.key_path || vo.verifier_id || vo.policy_uri;
	/* the signing key and the folder before anything is verified
	 * (docs/vsa.md §2) */
	if (vsa && al_vsa_begin(&vo, &vw, &err) != AL_OK) {
		if (dfd >= 0)
			close(dfd);
		if (err.code == AL_E_USAGE)
			verify_usage(stderr);
		return al_cli_fail(&err);
	}
	al_cli_no_writes(report_path != NULL || extract != NULL || vsa);
	/* only the JSON report and VSAs carry the archive file's digest: a
	 * plain verify does not make a second pass over every byte for it
	 * (docs/performance.md §5) */
	o.no_archive_digest = !json && report_path == NULL && !vsa;
	/* only the JSON report lists every blob */
	o.no_inventory = !json && report_path == NULL;
	if (al_cli_progress_begin(&pg, quiet)) {
		o.progress = al_cli_progress_draw;
		o.progress_ctx = &pg;
	}
	/* only the plain text report can be written before the verdict: the
	 * JSON report, VSAs, --extract and --print-provenance are made from
	 * every image's whole result at the end */
	stream = !json && report_path == NULL && dfd < 0 && !vsa && !print_provenance;
	if (stream) {
		ts.pg = &pg;
		o.on_image = text_image;
		o.on_artifact = text_artifact;
		o.on_image_ctx = &ts;
		o.drop_images = true;
	}
	rc = al_verify_image_cmd(&o, &res, &err);
	al_cli_progress_end(&pg);
	al_buf_free(&ts.b);
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
	/* VSAs for every image judged, passed or failed (docs/vsa.md §3) */
	if (vsa) {
		al_err verr;

		al_err_clear(&verr);
		if (al_vsa_write(&vw, &res, &vsa_report, &verr) != AL_OK) {
			/* the verdict counts for nothing without its evidence */
			al_vsa_end(&vw);
			al_result_free(&res);
			al_buf_free(&vsa_report);
			(void)al_cli_fail(&verr);
			return 2;
		}
		al_vsa_end(&vw);
		/* the files written, before the report, whose last line is the verdict */
		if (!json && (!al_cli_write_report(al_buf_bytes(&vsa_report)) || !al_cli_flush())) {
			al_result_free(&res);
			al_buf_free(&vsa_report);
			return 2;
		}
		al_buf_free(&vsa_report);
	}
	code = rc == AL_OK ? 0 : al_rc_exit(err.code);
	/* to stdout alone, the report is written as it is made; a report that
	 * also goes to --report is one buffer, written to both */
	if ((json || report_path) &&
	    !al_render_json(&res, "verify", code, &err, extracted, &report,
			    json && report_path == NULL ? al_cli_write_json : NULL)) {
		al_result_free(&res);
		al_buf_free(&report);
		al_cli_errf("airlock: the JSON report could not be made (out of memory) or written to stdout");
		return 2;
	}
	/* a report that did not reach its reader is not a verification */
	if (report_path && !al_cli_write_new_file("--report", report_path, al_buf_bytes(&report))) {
		al_result_free(&res);
		al_buf_free(&report);
		return 2;
	}
	/* slsa-verifier --print-provenance: the provenance that verified, before
	 * the report (whose last line stays the verdict) */
	if (print_provenance && rc == AL_OK && !json) {
		for (size_t i = 0; i < res.nimages; i++) {
			const al_image_result *img = &res.images[i];

			for (size_t k = 0; k <= img->nchildren; k++) {
				const al_subject *sub = k == 0 ? &img->top : &img->children[k - 1].subject;

				for (size_t j = 0; j < sub->nitems; j++) {
					const al_item *it = &sub->items[j];
					al_buf one = { 0 };
					bool ok;

					if (it->status != AL_ST_PASS || it->statement == NULL || it->predicate_type == NULL ||
					    strncmp(it->predicate_type, "https://slsa.dev/provenance/", 28) != 0)
						continue;
					ok = al_buf_append(&one, it->statement, it->statement_len, NULL) == AL_OK &&
					     al_buf_append(&one, "\n", 1, NULL) == AL_OK && al_cli_write_json(al_buf_bytes(&one));
					al_buf_free(&one);
					if (!ok) {
						al_result_free(&res);
						al_buf_free(&report);
						return 2;
					}
				}
			}
		}
	}
	if (json) {
		written = al_cli_write_json(al_buf_bytes(&report));
	} else if (stream) {
		/* the images' evidence is out: the rest of the same report */
		report.n = 0;
		if (!ts.head)
			(void)al_render_text_head(&res, &report);
		written = al_cli_write_report(al_buf_bytes(&report)) && al_cli_write_report(al_buf_bytes(&ts.fails)) &&
			  tail_write(&ts.rest);
		al_buf_free(&ts.fails);
		al_buf_free(&ts.rest);
		report.n = 0;
		written = al_render_text_tail(&res, &report, al_cli_write_report) && written;
		written = al_cli_write_report(al_buf_bytes(&report)) && written && ts.ok;
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
		{ "--max-bytes", &max_bytes, NULL, NULL },
		{ "--output", &output, NULL, NULL },
		{ "-o", &output, NULL, NULL },
		{ "--report", &report_path, NULL, NULL },
		{ "--at", &at, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
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
		ok = al_render_json(&res, "inspect", rc == AL_OK ? 0 : al_rc_exit(err.code), &err, false, &report,
				    json && report_path == NULL ? al_cli_write_json : NULL);
		al_result_free(&res);
		if (!ok)
			al_cli_errf("airlock: the JSON report could not be made (out of memory) or written to stdout");
		ok = ok && (report_path == NULL || al_cli_write_new_file("--report", report_path, al_buf_bytes(&report)));
		ok = ok && (!json || (al_cli_write_json(al_buf_bytes(&report)) && al_cli_flush()));
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

static void
verify_vsa_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock verify-vsa --vsa FILE --key PUB --subject-digest sha256:HEX\n"
		"                          [--verifier-id URI] [--verified-level LEVEL]\n\n"
		"Checks a Verification Summary Attestation (SLSA VSA v1), as 'airlock verify\n"
		"--vsa-out' writes them: a DSSE envelope or a Sigstore bundle holding one (docs/vsa.md).\n"
		"In order: the signature under the key over the DSSE PAE, payloadType in-toto,\n"
		"_type Statement v1, predicateType VSA v1, the digest among the subjects,\n"
		"verifier.id (when given), verificationResult PASSED, verifiedLevels (when given:\n"
		"that level or a higher one of its track).\n\n"
		"  --vsa FILE              the VSA (<hex>.vsa.dsse.json or <hex>.vsa.sigstore.json)\n"
		"  --key PUB               PEM public key of the verifier that signed it\n"
		"  --subject-digest D      the image's digest, sha256:<hex>\n"
		"  --verifier-id URI       the verifier.id it must carry\n"
		"  --verified-level L      a level it must include (SLSA_BUILD_LEVEL_0 ...)\n\n"
		"--help is honoured only as the sole argument.\n"
		"Exit: 0 verified, 1 the VSA does not verify (the message names the field),\n"
		"      2 usage or unreadable input.\n");
}

int
al_cmd_verify_vsa(int argc, char **argv)
{
	al_vsa_check_opts o;
	const char *keys[1] = { NULL }, *pos[1];
	size_t nkeys = 0, npos;
	al_buf summary = { 0 };
	al_err err;
	al_rc rc;
	int st;
	const al_opt opts[] = {
		{ "--vsa", &o.vsa_path, NULL, NULL },
		{ "--subject-digest", &o.subject_digest, NULL, NULL },
		{ "--verifier-id", &o.verifier_id, NULL, NULL },
		{ "--verified-level", &o.level, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};

	memset(&o, 0, sizeof(o));
	st = al_cli_parse("verify-vsa", argc, argv, opts, keys, &nkeys, 1, pos, 0, &npos, verify_vsa_usage);
	if (st >= 0)
		return st;
	o.key_path = keys[0];
	if (o.vsa_path == NULL || o.key_path == NULL || o.subject_digest == NULL) {
		verify_vsa_usage(stderr);
		return 2;
	}
	al_err_clear(&err);
	rc = al_vsa_verify_cmd(&o, &summary, &err);
	if (rc != AL_OK) {
		al_buf_free(&summary);
		return al_cli_fail(&err);
	}
	st = al_cli_outf("%.*s", (int)summary.n, (const char *)summary.p) && al_cli_outf("VERIFIED") ? 0 : 2;
	al_buf_free(&summary);
	return st;
}

static void
sign_blob_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock sign-blob --key KEY --bundle OUT [--] FILE\n\n"
		"Signs FILE with a site's own key and writes a Sigstore bundle (v0.3, a message\n"
		"signature with the key's hint, no transparency-log entry) to OUT, a new file.\n"
		"scripts/firmware uses it to sign the firmware's SHA256SUMS (docs/appliance.md §8).\n"
		"Check it with:\n"
		"  airlock verify-bundle --key PUB --bundle OUT --insecure-ignore-tlog \\\n"
		"      --trusted-root NOLOG-ROOT FILE\n\n"
		"  --key KEY     PKCS#8 PEM private key: Ed25519 or ECDSA P-256 (openssl genpkey)\n"
		"  --bundle OUT  the bundle to write; an existing file is not overwritten\n\n"
		"FILE is at most %llu bytes. Signing is deterministic (Ed25519; ECDSA with\n"
		"RFC 6979 nonces): the same key and file give the same bundle.\n\n"
		"Exit: 0 written, 2 not written: usage, an unreadable or too large file, a key\n"
		"      airlock cannot sign with, or OUT exists.\n",
		(unsigned long long)AL_MAX_SIGN_BLOB);
}

int
al_cmd_sign_blob(int argc, char **argv)
{
	const char *keys[1] = { NULL }, *pos[1] = { NULL }, *out = NULL;
	size_t nkeys = 0, npos = 0;
	al_buf bundle = { 0 };
	al_err err;
	int st;
	const al_opt opts[] = {
		{ "--bundle", &out, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};

	st = al_cli_parse("sign-blob", argc, argv, opts, keys, &nkeys, 1, pos, 1, &npos, sign_blob_usage);
	if (st >= 0)
		return st;
	if (keys[0] == NULL || out == NULL || npos != 1) {
		sign_blob_usage(stderr);
		return 2;
	}
	al_err_clear(&err);
	/* nothing was signed, whatever the reason: never exit 1, which says
	 * "verification failed" everywhere else */
	if (al_sign_blob_cmd(keys[0], pos[0], &bundle, &err) != AL_OK)
		st = (al_cli_fail(&err), 2);
	else
		st = al_cli_write_new_file("--bundle", out, al_buf_bytes(&bundle)) ? 0 : 2;
	al_buf_free(&bundle);
	return st;
}
