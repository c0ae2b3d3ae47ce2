/*
 * cli.h — subcommands of the airlock command line. Each takes its own
 * argv (argv[0] is the subcommand name) and returns an exit status.
 */
#ifndef AL_CLI_H
#define AL_CLI_H

#include <stdio.h>

#include "common/common.h"
#include "verify/verify.h"

int al_cmd_version(int argc, char **argv);
int al_cmd_digest(int argc, char **argv);
int al_cmd_verify_bundle(int argc, char **argv);
int al_cmd_verify(int argc, char **argv);
int al_cmd_verify_vsa(int argc, char **argv);
int al_cmd_sign_blob(int argc, char **argv);
int al_cmd_inspect(int argc, char **argv);
int al_cmd_trust(int argc, char **argv);
int al_cmd_policy(int argc, char **argv);
int al_cmd_media(int argc, char **argv);
int al_cmd_appliance(int argc, char **argv);
/* PID 1 of the firmware (appliance.c): never returns. */
void al_appliance_init(int argc, char **argv) __attribute__((noreturn));

/* A repeatable option's values. */
typedef struct al_optlist {
	const char **v;
	size_t n, max;
} al_optlist;

/* An option: `value` for one that takes a value, `flag` for a boolean,
 * `list` for one that may be repeated. */
typedef struct al_opt {
	const char *name;
	const char **value;
	bool *flag;
	al_optlist *list;
} al_opt;

/* The policy flags `verify` and `verify-bundle` share, named as cosign,
 * slsa-verifier and gh name them (docs/policy.md §5): entries of an al_opt
 * table over an al_pol_flags f and the lists of --type and
 * --build-workflow-input values. */
#define AL_CLI_POLICY_OPTS(f, types, inputs)                                                            \
	{ "--certificate-identity", &(f)->identity, NULL, NULL },                                        \
	{ "--certificate-identity-regexp", &(f)->identity_regexp, NULL, NULL },                          \
	{ "--certificate-oidc-issuer", &(f)->issuer, NULL, NULL },                                       \
	{ "--certificate-oidc-issuer-regexp", &(f)->issuer_regexp, NULL, NULL },                         \
	{ "--certificate-github-workflow-repository", &(f)->gh_workflow_repository, NULL, NULL },        \
	{ "--certificate-github-workflow-ref", &(f)->gh_workflow_ref, NULL, NULL },                      \
	{ "--certificate-github-workflow-sha", &(f)->gh_workflow_sha, NULL, NULL },                      \
	{ "--certificate-github-workflow-name", &(f)->gh_workflow_name, NULL, NULL },                    \
	{ "--certificate-github-workflow-trigger", &(f)->gh_workflow_trigger, NULL, NULL },              \
	{ "--type", NULL, NULL, (types) },                                                               \
	{ "--predicate-type", NULL, NULL, (types) },                                                     \
	{ "--insecure-ignore-tlog", NULL, &(f)->ignore_tlog, NULL },                                     \
	{ "--insecure-ignore-sct", NULL, &(f)->ignore_sct, NULL },                                       \
	{ "--use-signed-timestamps", NULL, &(f)->signed_timestamps, NULL },                              \
	{ "--private-infrastructure", NULL, &(f)->private_infrastructure, NULL },                        \
	{ "--source-uri", &(f)->source_uri, NULL, NULL },                                                \
	{ "--source-tag", &(f)->source_tag, NULL, NULL },                                                \
	{ "--source-branch", &(f)->source_branch, NULL, NULL },                                          \
	{ "--source-versioned-tag", &(f)->source_versioned_tag, NULL, NULL },                            \
	{ "--builder-id", &(f)->builder_id, NULL, NULL },                                                \
	{ "--build-workflow-input", NULL, NULL, (inputs) },                                              \
	{ "--owner", &(f)->owner, NULL, NULL },                                                          \
	{ "--repo", &(f)->repo, NULL, NULL },                                                            \
	{ "--signer-workflow", &(f)->signer_workflow, NULL, NULL },                                      \
	{ "--signer-repo", &(f)->signer_repo, NULL, NULL },                                              \
	{ "--deny-self-hosted-runners", NULL, &(f)->deny_self_hosted, NULL }

/* Parses argv[1..] against opts (terminated by a NULL name), a repeatable
 * --key (when keys is not NULL) and up to max_pos positional arguments.
 * "--help"/"-h" print usage and succeed only as the sole argument; anywhere
 * else before "--" they are a usage error. "--" ends the options: what
 * follows is positional. Returns -1 when parsing succeeded, else the exit
 * status to return (0 after help, 2 after a usage error, which it has
 * printed). */
int al_cli_parse(const char *cmd, int argc, char **argv, const al_opt *opts, const char **keys, size_t *nkeys,
		 size_t max_keys, const char **pos, size_t max_pos, size_t *npos, void (*usage)(FILE *));
/* The same with the repeatable option named rep ("--target") instead of --key. */
int al_cli_parse_rep(const char *cmd, int argc, char **argv, const al_opt *opts, const char *rep, const char **keys,
		     size_t *nkeys, size_t max_keys, const char **pos, size_t max_pos, size_t *npos,
		     void (*usage)(FILE *));
/* `airlock trust update` (cmd_trust_update.c), reached through `airlock trust`. */
int al_cmd_trust_update(int argc, char **argv);
bool al_cli_is_help(const char *arg);
/* Says that help must be the sole argument; returns 2. */
int al_cli_help_misplaced(const char *cmd, const char *arg);
/* Parses a --max-bytes style value (al_parse_size) when value is not NULL.
 * Returns -1 on success (or when value is NULL: *out is 0), else 2 after
 * saying what is wrong. */
/* -j/--jobs N, 1..AL_MAX_THREADS (NULL: *out 0, one per CPU). -1 when
 * good, else 2 after saying why. */
int al_cli_jobs_opt(const char *cmd, const char *value, unsigned *out);
int al_cli_size_opt(const char *cmd, const char *name, const char *value, uint64_t *out);
/* Parses --max-trust-age (al_parse_duration, not zero) into seconds; *out
 * is 0 (no bound) when value is NULL. Returns -1 on success, else 2 after saying why. */
int al_cli_age_opt(const char *cmd, const char *value, int64_t *out);
/* --at TIME (RFC 3339) into seconds; 0 when value is NULL. -1 on success, else 2. */
int al_cli_at_opt(const char *cmd, const char *value, int64_t *out);
/* Unless the command writes files (writes), installs the no-write filter
 * (al_sandbox_no_writes) before any input is read. */
void al_cli_no_writes(bool writes);
/* -o/--output text|json (NULL: text). -1 on success, else 2. */
int al_cli_output_opt(const char *cmd, const char *value, bool *json);
/* Writes data to a new file at path: never over an existing file or
 * through a symbolic link, synced before it counts; a partial file is
 * removed. False after saying why on stderr, naming the option opt. */
bool al_cli_write_new_file(const char *opt, const char *path, al_bytes data);

/* Output (out.c). Every line goes through al_text_line, so untrusted text
 * in it stays on that line. */
/* One diagnostic line on stderr. */
void al_cli_errf(const char *fmt, ...) AL_PRINTF(1, 2);
/* One result line on stdout; false once any write to stdout has failed. */
bool al_cli_outf(const char *fmt, ...) AL_PRINTF(1, 2);
/* Bytes already made safe (a report built with al_text_escape) to stdout;
 * false once any write to stdout has failed. */
bool al_cli_write(const void *p, size_t n);
/* A multi-line report to stdout, line by line: lines that al_text_clean
 * passes are written unchanged, any other is escaped with al_text_line.
 * Every line ends with '\n'. False once any write to stdout has failed. */
bool al_cli_write_report(al_bytes report);
/* A JSON report (one line, from al_json_canonical) to stdout. At a terminal
 * every hidden code point (al_text_hidden: bidi overrides, C1, separators)
 * is written as a JSON \u escape, the same value, so a name in the report
 * cannot reorder or hide what the terminal shows; a pipe or a file gets the
 * canonical bytes. False once any write to stdout has failed. */
bool al_cli_write_json(al_bytes json);
/* Flushes stdout (before a diagnostic, so the two interleave in order);
 * false once any write to stdout has failed. */
bool al_cli_flush(void);
/* Prints "airlock: <message>" (escaped, one line) to stderr and returns the
 * exit status of err. */
int al_cli_fail(const al_err *err);
/* The result of `airlock verify` as the text report (render.c); false
 * when the report could not grow (the verdict still stands). */
/* `airlock policy explain`: per image, its name and where it came from,
 * the rule, each requirement met or not, and the result. */
bool al_render_explain(const al_result *r, al_buf *b);
bool al_render_text(const al_result *r, al_buf *out);
/* The same in three parts, for a report written as the images are judged
 * (al_img_opts.on_image): the bundle's lines (its artifact entries last),
 * one image's evidence, then the lines on every image, the summary and the
 * trust material. al_render_text is the three in that order. A head
 * rendered before the artifacts are handed over (al_img_opts.on_artifact)
 * is followed by each one's line (al_render_text_artifact). */
bool al_render_text_head(const al_result *r, al_buf *out);
bool al_render_text_artifact(const al_artifact_entry *a, al_buf *out);
bool al_render_text_image(const al_image_result *img, al_buf *out);
/* An image's one line of the tail ("FAILED image …", "WARN image …",
 * "verified image …"): the tail writes them, failures first, from
 * r->images; without them (al_img_opts.drop_images) the caller collects
 * them as the images are judged and writes them before the tail. */
bool al_render_text_line(const al_image_result *img, al_buf *out);
/* sink NULL: the tail's lines all go to out; else out is handed to sink
 * (al_cli_write_report) every 64 KiB of lines and emptied, and what is
 * left is the caller's to write. false also when sink failed. */
bool al_render_text_tail(const al_result *r, al_buf *out, bool (*sink)(al_bytes));
/* The JSON report (render_json.c; docs/report.md), RFC 8785 canonical, one
 * line: of `verify` or `inspect` (command), and of `verify-bundle`. The exit
 * status and the error decide the verdict; false when it could not be made
 * (or sink failed). sink NULL: the whole report goes to out; else, while
 * its images, blobs and artifacts are written, out is handed to sink
 * (al_cli_write_json) every 64 KiB and emptied, and what is left is the
 * caller's to write: stdout gets the same bytes without the report ever
 * being one buffer (docs/performance.md §4.7). */
#define AL_REPORT_MEDIA_TYPE "application/vnd.airlock.report.v1+json"
bool al_render_json(const al_result *r, const char *command, int exit_code, const al_err *err, bool extracted,
		    al_buf *out, bool (*sink)(al_bytes));
/* --extract (extract.c): the file a verified statement is written to, under
 * DIR: "<algorithm>-<hex of the subject's digest>/<predicate-type slug>-<n>.json"
 * (n counts that slug within the subject, from 1); false when item i of s
 * has no verified statement. */
bool al_extract_file(const al_subject *s, size_t i, char *out, size_t cap);
/* Opens DIR (a folder, not a link) before any input is read; -1 after
 * saying why. */
int al_cli_extract_open(const char *dir);
/* Writes every verified statement of r under dfd (never over a file, never
 * through a link, synced); *count says how many. False after saying why. */
bool al_cli_extract(int dfd, const char *dir, const al_result *r, size_t *count);
bool al_render_json_vb(const al_vb_result *r, int exit_code, const al_err *err, al_buf *out);
/* The progress display of a long run (progress.c): one line on stderr,
 * redrawn in place, only when stderr is a terminal and not quiet. begin
 * says whether there is one (then pass al_cli_progress_draw with pg as the
 * progress callback of al_img_opts); end clears the line, before anything
 * else is written to the terminal. */
struct al_oci_progress;
typedef struct al_cli_progress {
	uint64_t start_ns;
	size_t shown;               /* bytes of the line on screen */
} al_cli_progress;
bool al_cli_progress_begin(al_cli_progress *pg, bool quiet);
void al_cli_progress_draw(void *ctx, const struct al_oci_progress *p);
void al_cli_progress_end(al_cli_progress *pg);
/* A verified bundle's result on one line, NUL-terminated, without the
 * leading word: what was signed, by whom, the log, the signed time and the
 * trusted root, then (warnings) each warning as "; warning: ...". */
bool al_cli_vb_line(const al_vb_result *res, bool warnings, al_buf *out);
/* `verify-bundle --batch LIST` (vb_batch.c): every line of LIST under o's
 * policy, on jobs workers (0: the CPU count); returns the exit status. */
int al_cli_vb_batch(const al_vb_opts *o, const char *list, unsigned jobs, bool json);
/* Before any work: -1 when stdout is open (and fills closed fds 0 and 2
 * with /dev/null), else 2 after saying that stdout is closed. */
int al_cli_stdio_check(void);
/* At exit: flushes and closes stdout; any write error on it, now or
 * earlier, makes the status 2 with a message on stderr. */
int al_cli_finish(int status);

#endif
