/*
 * trust_state.c — the trusted root that `airlock trust update` installed in
 * the appliance's state folder (docs/trust.md §1, §6). The update verified
 * it with TUF before writing it; at load the target is held against the
 * installed targets.json once more (length and every hash airlock can
 * compute), so a target replaced on its own, or left from an update that
 * stopped between the metadata and the targets, is refused, never used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "trust-roots/trust.h"

#define TARGET "trusted_root.json"

const char *
al_trust_state_dir(void)
{
	const char *d = getenv("AIRLOCK_STATE");

	return d != NULL && d[0] != '\0' ? d : "/var/lib/airlock";
}

/* signed.targets[TARGET] of targets.json: its length and hashes. */
static al_rc
expected(al_bytes targets_json, const char *where, int64_t *len, const al_json **hashes, al_json **doc,
	 al_err *err)
{
	const al_json *sg, *tg, *t;
	al_rc rc;

	if ((rc = al_json_parse(targets_json, doc, err)) != AL_OK ||
	    (rc = al_json_get_obj(*doc, "", "signed", true, &sg, err)) != AL_OK ||
	    (rc = al_json_get_obj(sg, "signed", "targets", true, &tg, err)) != AL_OK)
		return al_err_recode(err, AL_E_TRUST_INVALID, "%s", where);
	if ((t = al_json_member(tg, TARGET)) == NULL || !al_json_is_obj(t))
		return al_err_set(err, AL_E_TRUST_INVALID, "%s: does not list %s", where, TARGET);
	if ((rc = al_json_get_i64(t, "signed.targets." TARGET, "length", true, len, NULL, err)) != AL_OK ||
	    (rc = al_json_get_obj(t, "signed.targets." TARGET, "hashes", true, hashes, err)) != AL_OK)
		return al_err_recode(err, AL_E_TRUST_INVALID, "%s", where);
	return AL_OK;
}

static al_rc
check_target(al_bytes target, int64_t len, const al_json *hashes, const char *where, al_err *err)
{
	static const al_hash algs[] = { AL_HASH_SHA256, AL_HASH_SHA512 };
	size_t checked = 0;

	if (len < 0 || (uint64_t)len != target.n)
		return al_err_set(err, AL_E_TRUST_INVALID, "%s: %zu bytes, but targets.json says %lld", where, target.n,
				  (long long)len);
	for (size_t i = 0; i < AL_ARRAY_LEN(algs); i++) {
		const al_json *h = al_json_member(hashes, al_hash_name(algs[i]));
		uint8_t want[AL_HASH_MAX], got[AL_HASH_MAX];
		al_err e;

		if (h == NULL)
			continue;
		if (!al_json_is_str(h) ||
		    al_hex_decode(al_json_str_bytes(h), want, al_hash_len(algs[i]), &e) != AL_OK)
			return al_err_set(err, AL_E_TRUST_INVALID, "%s: targets.json's %s is not a hex digest", where,
					  al_hash_name(algs[i]));
		al_hash_bytes(algs[i], target, got);
		if (!al_ct_eq(got, want, al_hash_len(algs[i])))
			return al_err_set(err, AL_E_TRUST_INVALID,
					  "%s: its %s differs from the one targets.json lists (hash mismatch)", where,
					  al_hash_name(algs[i]));
		checked++;
	}
	if (checked == 0)
		return al_err_set(err, AL_E_TRUST_INVALID, "%s: targets.json lists no sha256 or sha512 for it", where);
	return AL_OK;
}

al_rc
al_trust_set_load_state(const char *dir, al_trust_set *s, bool *found, al_err *err)
{
	char tpath[AL_MAX_PATH + 64], mpath[AL_MAX_PATH + 64];
	al_buf meta = { 0 }, target = { 0 };
	al_json *doc = NULL;
	const al_json *hashes = NULL;
	struct stat st;
	int64_t len = 0;
	al_rc rc;

	memset(s, 0, sizeof(*s));
	*found = false;
	if (snprintf(tpath, sizeof(tpath), "%s/targets/" TARGET, dir) >= (int)sizeof(tpath) ||
	    snprintf(mpath, sizeof(mpath), "%s/targets.json", dir) >= (int)sizeof(mpath))
		return al_err_set(err, AL_E_USAGE, "state folder path too long");
	if (stat(tpath, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return AL_OK; /* no update installed: the embedded root */
		return al_err_set(err, AL_E_IO, "%s: %s", tpath, strerror(errno));
	}
	*found = true;
	if ((rc = al_read_file(mpath, AL_MAX_TUF_TARGETS, &meta, err)) != AL_OK ||
	    (rc = al_read_file(tpath, AL_MAX_TUF_TARGET_FILE, &target, err)) != AL_OK)
		goto out;
	if ((rc = expected(al_buf_bytes(&meta), mpath, &len, &hashes, &doc, err)) != AL_OK ||
	    (rc = check_target(al_buf_bytes(&target), len, hashes, tpath, err)) != AL_OK)
		goto out;
	if ((rc = al_trust_set_parse(al_buf_bytes(&target), s, err)) != AL_OK) {
		al_err_prefix(err, "%s", tpath);
		goto out;
	}
	snprintf(s->source_buf, sizeof(s->source_buf), "%s (TUF update in the state folder)", tpath);
	s->source = s->source_buf;
	s->file = target;
	target = (al_buf){ 0 };
	s->bytes = al_buf_bytes(&s->file);
	s->from_state = true;
	s->updated = (int64_t)st.st_mtime;
out:
	if (rc != AL_OK)
		rc = al_err_prefix(err, "trust update in %s (run airlock trust update again, or give "
				   "--trusted-root)", dir);
	al_json_free(doc);
	al_buf_free(&meta);
	al_buf_free(&target);
	return rc;
}
