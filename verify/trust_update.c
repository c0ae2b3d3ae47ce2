/*
 * trust_update.c — `airlock trust update`: the TUF client of trust-roots/
 * run over a repository folder (removable media) and the appliance's state
 * folder (docs/trust.md, docs/verification.md §6). The trusted starting
 * point is the state folder's root.json when there is one, else the root
 * the operator names, else the TUF root embedded at build time. Nothing is
 * written until every requested target has verified; then the metadata is
 * installed root first, and the targets after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "trust-roots/trust.h"
#include "verify/verify.h"

static const struct {
	const char *name;
	size_t max;
} state_files[] = {
	{ "root.json", AL_MAX_TUF_ROOT },
	{ "timestamp.json", AL_MAX_TUF_TIMESTAMP },
	{ "snapshot.json", AL_MAX_TUF_SNAPSHOT },
	{ "targets.json", AL_MAX_TUF_TARGETS },
};

static al_rc
is_dir(const char *path, const char *what, al_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return al_err_set(err, AL_E_IO, "%s %s: %s%s", what, path, strerror(errno),
				  errno == ENOENT ? " (create it first)" : "");
	if (!S_ISDIR(st.st_mode))
		return al_err_set(err, AL_E_IO, "%s %s: not a folder", what, path);
	return AL_OK;
}

/* A target becomes a file of state/targets/: one plain name, nothing else. */
static bool
plain_target(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= AL_MAX_TUF_ROLE_NAME && strchr(s, '/') == NULL && strcmp(s, ".") != 0 &&
	       strcmp(s, "..") != 0 && s[0] != '.';
}

static al_rc
load_state(const char *state, al_buf bufs[4], al_tuf_state *st, bool *have_root, al_err *err)
{
	al_bytes *slot[4] = { &st->root, &st->timestamp, &st->snapshot, &st->targets };

	for (size_t i = 0; i < AL_ARRAY_LEN(state_files); i++) {
		bool found = false;
		al_rc rc = al_tuf_dir_read((void *)(uintptr_t)state, state_files[i].name, state_files[i].max, &bufs[i],
					   &found, err);

		if (rc != AL_OK)
			return al_err_prefix(err, "state folder %s: %s", state, state_files[i].name);
		*slot[i] = found ? al_buf_bytes(&bufs[i]) : (al_bytes){ NULL, 0 };
		if (i == 0)
			*have_root = found;
	}
	return AL_OK;
}

static void
record(al_trust_update_result *r, const al_tuf_result *res)
{
	r->root_was = res->root_version_was;
	r->root_now = res->root_version;
	r->timestamp = res->timestamp_version;
	r->snapshot = res->snapshot_version;
	r->targets = res->targets_version;
	r->nmeta = res->nfiles;
	r->ntargets = 0;
	for (size_t i = 0; i < res->ntargets && i < AL_ARRAY_LEN(r->target); i++) {
		al_trust_update_target *t = &r->target[r->ntargets++];

		snprintf(t->name, sizeof(t->name), "%.*s", (int)res->targets[i].name.n,
			 (const char *)res->targets[i].name.p);
		al_sha256(al_buf_bytes(&res->targets[i].bytes), t->sha256);
		t->size = res->targets[i].bytes.n;
	}
}

al_rc
al_trust_update_cmd(const al_trust_update_opts *o, al_trust_update_result *r, al_err *err)
{
	static const char *const dflt[] = { "trusted_root.json" };
	const char *const *targets = o->ntargets ? o->targets : dflt;
	size_t ntargets = o->ntargets ? o->ntargets : 1;
	al_buf bufs[4] = { { 0 } }, given = { 0 };
	al_tuf_state st = { 0 };
	al_tuf_result res;
	al_tuf_reader repo = { al_tuf_dir_read, (void *)(uintptr_t)o->tuf_repo };
	char tdir[AL_MAX_PATH + 16];
	bool have_root = false;
	al_rc rc;

	int64_t at = (int64_t)time(NULL);

	memset(r, 0, sizeof(*r));
	memset(&res, 0, sizeof(res));
	if (o->at != NULL) {
		uint32_t ns;

		if (al_rfc3339_parse(al_bytes_str(o->at), &at, &ns, err) != AL_OK)
			return al_err_recode(err, AL_E_USAGE, "--at '%.100s'", o->at);
	}
	if (ntargets > AL_MAX_TUF_REQUESTS)
		return al_err_set(err, AL_E_USAGE, "at most %d --target options", AL_MAX_TUF_REQUESTS);
	for (size_t i = 0; i < ntargets; i++)
		if (!plain_target(targets[i]))
			return al_err_set(err, AL_E_USAGE,
					  "--target '%.100s': give a target's plain file name (it is installed as "
					  "<state>/targets/<name>)",
					  targets[i]);
	if ((rc = is_dir(o->tuf_repo, "TUF repository", err)) != AL_OK ||
	    (rc = is_dir(o->state, "state folder", err)) != AL_OK)
		return rc;
	if (snprintf(tdir, sizeof(tdir), "%s/targets", o->state) >= (int)sizeof(tdir))
		return al_err_set(err, AL_E_USAGE, "state folder path too long");
	if ((rc = load_state(o->state, bufs, &st, &have_root, err)) != AL_OK)
		goto out;
	if (have_root) {
		snprintf(r->root_source, sizeof(r->root_source), "%s/root.json (the trusted local root)", o->state);
	} else if (o->tuf_root != NULL) {
		if ((rc = al_read_file(o->tuf_root, AL_MAX_TUF_ROOT, &given, err)) != AL_OK)
			goto out;
		st.root = al_buf_bytes(&given);
		snprintf(r->root_source, sizeof(r->root_source), "%s (--tuf-root)", o->tuf_root);
	} else {
		const al_trust_embedded *e = al_trust_embedded_get();

		st.root = e->tuf_root;
		snprintf(r->root_source, sizeof(r->root_source), "the embedded TUF root (%s)", e->source);
	}
	r->root_ignored = have_root && o->tuf_root != NULL;
	if ((rc = al_tuf_update(&repo, &st, at, targets, ntargets, &res, err)) != AL_OK)
		goto out;
	record(r, &res);
	/* the metadata first (root first, as al_tuf_install orders it): a crash
	 * before the targets land leaves a newer targets.json whose hashes the
	 * old target files do not match, which a reader refuses, never trusts */
	if ((rc = al_tuf_install(o->state, res.files, res.nfiles, err)) != AL_OK)
		goto out;
	if (mkdir(tdir, 0755) != 0 && errno != EEXIST) {
		rc = al_err_set(err, AL_E_IO, "%s: cannot create: %s", tdir, strerror(errno));
		goto out;
	}
	if ((rc = is_dir(tdir, "state targets folder", err)) != AL_OK)
		goto out;
	rc = al_tuf_install(tdir, res.targets, res.ntargets, err);
out:
	al_tuf_result_free(&res);
	for (size_t i = 0; i < 4; i++)
		al_buf_free(&bufs[i]);
	al_buf_free(&given);
	return rc;
}
