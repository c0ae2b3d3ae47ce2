/*
 * tuf_client.c — the TUF 1.0 client update workflow (specification §5.3 to
 * §5.7) over a repository reader, with no network: root rotation one
 * version at a time, the freeze check on the final root, fast-forward
 * recovery, timestamp, snapshot, targets, delegated roles in preorder
 * depth-first order, and the target files asked for.
 *
 * Each step, its order and why: docs/verification.md §6. Everything read
 * from the repository is bounded before it is read (by the length the
 * signed metadata gives, else by common/limits.h) and parsed by
 * tuf_meta.c; nothing read is trusted before its signatures verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust-roots/tuf_internal.h"

#define INV AL_E_TRUST_INVALID
#define STALE AL_E_TRUST_STALE

/* A delegated role loaded in this update (once, whoever delegates it). */
typedef struct loaded_role {
	al_bytes name;
	tuf_md md;
	al_buf raw;
} loaded_role;

typedef struct upd {
	const al_tuf_reader *repo;
	int64_t now;
	tuf_md first;             /* the trusted root passed in */
	tuf_md root;              /* the final trusted root (empty when first is final) */
	tuf_md old_ts, old_snap, old_targets; /* trusted floors (kind TUF_ANY when absent) */
	bool have_ts, have_snap, have_targets;
	tuf_md ts, snap, targets; /* the new ones */
	al_buf raw_root, raw_ts, raw_snap, raw_targets;
	size_t nroles;
	loaded_role roles[AL_MAX_TUF_ROLES_VISITED];
} upd;

static const tuf_md *
final_root(const upd *u)
{
	return u->root.doc != NULL ? &u->root : &u->first;
}

static void
fmt_time(int64_t t, char out[21])
{
	al_rfc3339_format(t, out);
}

static al_rc
check_expiry(const upd *u, const tuf_md *md, const char *hint, al_err *err)
{
	char e[21], n[21];

	if (!tuf_expired(md, u->now))
		return AL_OK;
	fmt_time(md->expires, e);
	fmt_time(u->now, n);
	return al_err_set(err, STALE, "%s: version %lld expired at %s (reference time %s)%s", md->file,
			  (long long)md->version, e, n, hint);
}

/*
 * Reads one repository file. max_from_meta: max is the length signed
 * metadata gives, so a longer file is a length mismatch, not a bound.
 * A missing file is *found false when found is not NULL, else an error.
 */
static al_rc
fetch(const upd *u, const char *name, size_t max, bool max_from_meta, al_buf *out, bool *found,
      al_err *err)
{
	bool here = false;
	char show[TUF_SHOW];
	al_rc rc;

	tuf_show(show, al_bytes_str(name));
	rc = u->repo->read(u->repo->ctx, name, max, out, &here, err);
	if (rc == AL_OK && here && out->n > max)
		rc = al_err_set(err, AL_E_LIMIT, "more than %zu bytes", max);
	if (rc == AL_E_LIMIT && max_from_meta)
		return al_err_set(err, INV, "%s: longer than the %zu bytes the metadata gives "
				  "(length mismatch)", show, max);
	if (rc == AL_E_LIMIT)
		return al_err_set(err, AL_E_LIMIT, "%s: larger than airlock's bound of %zu bytes for "
				  "this file", show, max);
	if (rc != AL_OK)
		return al_err_prefix(err, "%s", show);
	if (found != NULL)
		*found = here;
	else if (!here)
		return al_err_set(err, INV, "%s: missing from the repository", show);
	return AL_OK;
}

/* The read bound of a file the metadata describes: its signed length, or
 * airlock's bound when none is given. A signed length above the bound is a
 * limit, not a promise to read that much. */
static al_rc
bound(const tuf_fileinfo *fi, size_t cap, const char *name, size_t *max, bool *from_meta, al_err *err)
{
	*from_meta = fi->has_length;
	*max = cap;
	if (!fi->has_length)
		return AL_OK;
	if (fi->length > cap)
		return al_err_set(err, AL_E_LIMIT, "%s: the metadata gives %llu bytes, more than "
				  "airlock's bound of %zu", name, (unsigned long long)fi->length, cap);
	*max = (size_t)fi->length;
	return AL_OK;
}

/* ---------------------------------------------------------------- root (§5.2, §5.3) */

static al_rc
load_trusted_root(upd *u, al_bytes raw, al_err *err)
{
	char who[64];
	al_rc rc;

	if (raw.n == 0)
		return al_err_set(err, INV, "root.json (trusted): missing; a trusted root is required");
	if (raw.n > AL_MAX_TUF_ROOT)
		return al_err_set(err, AL_E_LIMIT, "root.json (trusted): more than %u bytes", AL_MAX_TUF_ROOT);
	if ((rc = tuf_md_parse(raw, "root.json (trusted)", TUF_ROOT, &u->first, err)) != AL_OK)
		return rc;
	snprintf(who, sizeof(who), "root version %lld (itself)", (long long)u->first.version);
	if ((rc = tuf_verify(&u->first.roles[TUF_ROOT], who, &u->first, err)) != AL_OK)
		return rc;
	return al_buf_dup(&u->raw_root, raw, err);
}

/* One step: N+1.root.json, signed by a threshold of root N's root keys and
 * of its own, with exactly version N+1. */
static al_rc
rotate_once(upd *u, const char *name, al_buf *raw, al_err *err)
{
	const tuf_md *cur = final_root(u);
	tuf_md next;
	char who[64];
	al_rc rc;

	if ((rc = tuf_md_parse(al_buf_bytes(raw), name, TUF_ROOT, &next, err)) != AL_OK)
		goto fail;
	snprintf(who, sizeof(who), "root version %lld", (long long)cur->version);
	if ((rc = tuf_verify(&cur->roles[TUF_ROOT], who, &next, err)) != AL_OK)
		goto fail;
	snprintf(who, sizeof(who), "root version %lld (itself)", (long long)next.version);
	if ((rc = tuf_verify(&next.roles[TUF_ROOT], who, &next, err)) != AL_OK)
		goto fail;
	if (next.version != cur->version + 1) {
		rc = al_err_set(err, next.version <= cur->version ? STALE : INV,
				"%s: version %lld, but root version %lld must be followed by %lld (%s)", name,
				(long long)next.version, (long long)cur->version,
				(long long)cur->version + 1,
				next.version <= cur->version ? "rollback" : "a version was skipped");
		goto fail;
	}
	if (u->root.doc != NULL)
		tuf_md_free(&u->root);
	u->root = next;
	al_buf_free(&u->raw_root);
	u->raw_root = *raw;
	memset(raw, 0, sizeof(*raw));
	return AL_OK;
fail:
	tuf_md_free(&next);
	return rc;
}

static al_rc
rotate(upd *u, al_err *err)
{
	for (size_t i = 0;; i++) {
		char name[40];
		al_buf raw = { 0 };
		bool found;
		al_rc rc;

		snprintf(name, sizeof(name), "%lld.root.json", (long long)final_root(u)->version + 1);
		rc = fetch(u, name, AL_MAX_TUF_ROOT, false, &raw, &found, err);
		if (rc == AL_OK && found && i == AL_MAX_TUF_ROOT_ROTATIONS)
			rc = al_err_set(err, AL_E_LIMIT, "%s: more than %u new root versions in one update",
					name, AL_MAX_TUF_ROOT_ROTATIONS);
		if (rc == AL_OK && found)
			rc = rotate_once(u, name, &raw, err);
		al_buf_free(&raw);
		if (rc != AL_OK || !found)
			return rc;
	}
}

/* Whether some key of the old role is gone from the new one: then floors
 * signed with it may be an attacker's (TUF §5.3.11, fast-forward attack
 * recovery) and are dropped. */
static bool
role_rotated(const tuf_role *old, const tuf_role *new)
{
	for (size_t i = 0; i < old->nkeyids; i++) {
		bool kept = false;

		for (size_t j = 0; j < new->nkeyids; j++)
			kept |= al_pubkey_eq(&old->keys[i]->key, &new->keys[j]->key) &&
				old->keys[i]->usable == new->keys[j]->usable;
		if (!kept)
			return true;
	}
	return false;
}

/* A trusted floor: kept only when it parses and verifies under the final
 * root; otherwise it is ignored, as python-tuf ignores a local file that
 * does not verify (so a rotated key drops it too). */
static bool
load_floor(const upd *u, al_bytes raw, const char *name, tuf_kind kind, tuf_md *md)
{
	al_err e;

	if (raw.n == 0 || tuf_md_parse(raw, name, kind, md, &e) != AL_OK ||
	    tuf_verify(&final_root(u)->roles[kind], "the trusted root", md, &e) != AL_OK) {
		tuf_md_free(md);
		return false;
	}
	return true;
}

static void
load_floors(upd *u, const al_tuf_state *st)
{
	const tuf_md *a = &u->first, *b = final_root(u);
	bool drop_ts = role_rotated(&a->roles[TUF_TIMESTAMP], &b->roles[TUF_TIMESTAMP]) ||
		       role_rotated(&a->roles[TUF_SNAPSHOT], &b->roles[TUF_SNAPSHOT]);
	bool drop_targets = role_rotated(&a->roles[TUF_TARGETS], &b->roles[TUF_TARGETS]);

	if (!drop_ts)
		u->have_ts = load_floor(u, st->timestamp, "timestamp.json (trusted)", TUF_TIMESTAMP, &u->old_ts);
	if (!drop_ts && !drop_targets)
		u->have_snap = load_floor(u, st->snapshot, "snapshot.json (trusted)", TUF_SNAPSHOT, &u->old_snap);
	if (!drop_targets)
		u->have_targets = load_floor(u, st->targets, "targets.json (trusted)", TUF_TARGETS,
					     &u->old_targets);
}

/* ---------------------------------------------------------------- timestamp (§5.4) */

static al_rc
update_timestamp(upd *u, al_err *err)
{
	const tuf_md *root = final_root(u);
	const tuf_fileinfo *nm, *om;
	al_rc rc;

	if ((rc = fetch(u, "timestamp.json", AL_MAX_TUF_TIMESTAMP, false, &u->raw_ts, NULL, err)) != AL_OK ||
	    (rc = tuf_md_parse(al_buf_bytes(&u->raw_ts), "timestamp.json", TUF_TIMESTAMP, &u->ts, err)) != AL_OK ||
	    (rc = tuf_verify(&root->roles[TUF_TIMESTAMP], "the timestamp role", &u->ts, err)) != AL_OK)
		return rc;
	if (u->have_ts) {
		if (u->ts.version < u->old_ts.version)
			return al_err_set(err, STALE, "timestamp.json: version %lld is older than the "
					  "trusted version %lld (rollback)", (long long)u->ts.version,
					  (long long)u->old_ts.version);
		nm = tuf_find(u->ts.meta, u->ts.nmeta, al_bytes_str("snapshot.json"));
		om = tuf_find(u->old_ts.meta, u->old_ts.nmeta, al_bytes_str("snapshot.json"));
		if (nm->version < om->version)
			return al_err_set(err, STALE, "timestamp.json: names snapshot.json version %lld, "
					  "older than the trusted timestamp's %lld (rollback)",
					  (long long)nm->version, (long long)om->version);
	}
	return check_expiry(u, &u->ts, "", err);
}

/* ---------------------------------------------------------------- snapshot (§5.5) */

static al_rc
snapshot_rollback(const upd *u, al_err *err)
{
	for (size_t i = 0; u->have_snap && i < u->old_snap.nmeta; i++) {
		const tuf_fileinfo *o = &u->old_snap.meta[i];
		const tuf_fileinfo *n = tuf_find(u->snap.meta, u->snap.nmeta, o->name);
		char show[TUF_SHOW];

		if (n == NULL)
			return al_err_set(err, STALE, "snapshot.json: %s is listed by the trusted "
					  "snapshot but not by the new one (rollback)", tuf_show(show, o->name));
		if (n->version < o->version)
			return al_err_set(err, STALE, "snapshot.json: %s version %lld is older than the "
					  "trusted snapshot's %lld (rollback)", tuf_show(show, o->name),
					  (long long)n->version, (long long)o->version);
	}
	return AL_OK;
}

static al_rc
update_snapshot(upd *u, al_err *err)
{
	const tuf_fileinfo *fi = tuf_find(u->ts.meta, u->ts.nmeta, al_bytes_str("snapshot.json"));
	char name[48];
	size_t max;
	bool from_meta;
	al_rc rc;

	if (final_root(u)->consistent_snapshot)
		snprintf(name, sizeof(name), "%lld.snapshot.json", (long long)fi->version);
	else
		snprintf(name, sizeof(name), "snapshot.json");
	if ((rc = bound(fi, AL_MAX_TUF_SNAPSHOT, name, &max, &from_meta, err)) != AL_OK ||
	    (rc = fetch(u, name, max, from_meta, &u->raw_snap, NULL, err)) != AL_OK ||
	    (rc = tuf_check_file(name, al_buf_bytes(&u->raw_snap), fi, err)) != AL_OK ||
	    (rc = tuf_md_parse(al_buf_bytes(&u->raw_snap), name, TUF_SNAPSHOT, &u->snap, err)) != AL_OK ||
	    (rc = tuf_verify(&final_root(u)->roles[TUF_SNAPSHOT], "the snapshot role", &u->snap, err)) != AL_OK)
		return rc;
	if (u->snap.version != fi->version)
		return al_err_set(err, INV, "%s: version %lld, but timestamp.json names version %lld",
				  name, (long long)u->snap.version, (long long)fi->version);
	if ((rc = snapshot_rollback(u, err)) != AL_OK)
		return rc;
	return check_expiry(u, &u->snap, "", err);
}

/* ---------------------------------------------------------------- targets (§5.6) */

/* One targets file (targets.json or a delegated role) as snapshot.json
 * describes it, verified under role (whose keys are in its delegator). */
static al_rc
load_targets_file(upd *u, al_bytes role_name, const tuf_role *role, const char *who, tuf_md *md,
		  al_buf *raw, al_err *err)
{
	char meta_name[AL_MAX_TUF_ROLE_NAME + 8], name[AL_MAX_TUF_ROLE_NAME + 32];
	const tuf_fileinfo *fi;
	size_t max;
	bool from_meta;
	al_rc rc;

	snprintf(meta_name, sizeof(meta_name), "%.*s.json", (int)role_name.n, (const char *)role_name.p);
	if ((fi = tuf_find(u->snap.meta, u->snap.nmeta, al_bytes_str(meta_name))) == NULL)
		return al_err_set(err, INV, "snapshot.json: does not list %s, delegated by %s", meta_name, who);
	if (final_root(u)->consistent_snapshot)
		snprintf(name, sizeof(name), "%lld.%s", (long long)fi->version, meta_name);
	else
		snprintf(name, sizeof(name), "%s", meta_name);
	if ((rc = bound(fi, AL_MAX_TUF_TARGETS, name, &max, &from_meta, err)) != AL_OK ||
	    (rc = fetch(u, name, max, from_meta, raw, NULL, err)) != AL_OK ||
	    (rc = tuf_check_file(name, al_buf_bytes(raw), fi, err)) != AL_OK ||
	    (rc = tuf_md_parse(al_buf_bytes(raw), name, TUF_TARGETS, md, err)) != AL_OK ||
	    (rc = tuf_verify(role, who, md, err)) != AL_OK)
		return rc;
	if (md->version != fi->version)
		return al_err_set(err, INV, "%s: version %lld, but snapshot.json names version %lld", name,
				  (long long)md->version, (long long)fi->version);
	return check_expiry(u, md, "", err);
}

static al_rc
update_targets(upd *u, al_err *err)
{
	al_rc rc = load_targets_file(u, al_bytes_str("targets"), &final_root(u)->roles[TUF_TARGETS],
				     "the targets role", &u->targets, &u->raw_targets, err);

	if (rc == AL_OK && u->have_targets && u->targets.version < u->old_targets.version)
		return al_err_set(err, STALE, "%s: version %lld is older than the trusted version %lld "
				  "(rollback)", u->targets.file, (long long)u->targets.version,
				  (long long)u->old_targets.version);
	return rc;
}

/* A delegated role, loaded once per update; a second delegator's keys are
 * checked against the same file too. */
static al_rc
delegated(upd *u, const tuf_md *parent, const tuf_role *r, const tuf_md **out, al_err *err)
{
	char who[AL_MAX_TUF_ROLE_NAME + 96];
	loaded_role *l;
	al_rc rc;

	snprintf(who, sizeof(who), "delegated role \"%.*s\" of %s", (int)r->name.n,
		 (const char *)r->name.p, parent->file);
	for (size_t i = 0; i < u->nroles; i++)
		if (al_bytes_eq(u->roles[i].name, r->name)) {
			*out = &u->roles[i].md;
			return tuf_verify(r, who, *out, err);
		}
	if (u->nroles == AL_MAX_TUF_ROLES_VISITED)
		return al_err_set(err, AL_E_LIMIT, "targets: more than %u delegated roles in one update",
				  AL_MAX_TUF_ROLES_VISITED);
	l = &u->roles[u->nroles++];
	memset(l, 0, sizeof(*l));
	/* r lives in its parent's document, which lives as long as u */
	l->name = r->name;
	rc = load_targets_file(u, r->name, r, who, &l->md, &l->raw, err);
	*out = &l->md;
	return rc;
}

/* ---------------------------------------------------------------- target search (§5.7) */

bool
tuf_safe_path(al_bytes p)
{
	size_t start = 0;

	if (p.n == 0 || p.n > AL_MAX_PATH)
		return false;
	for (size_t i = 0; i <= p.n; i++) {
		if (i < p.n && (p.p[i] < 0x20 || p.p[i] == 0x7f || p.p[i] == '\\'))
			return false;
		if (i == p.n || p.p[i] == '/') {
			size_t len = i - start;

			if (len == 0 || (len == 1 && p.p[start] == '.') ||
			    (len == 2 && p.p[start] == '.' && p.p[start + 1] == '.'))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/* fnmatch without flags on one path component: '*' any run, '?' one byte,
 * "[...]" a set ("[!...]" its complement, ranges a-z), as Python's fnmatch
 * reads a pattern; no backslash escapes. */
static bool
glob_match(const uint8_t *p, size_t pn, const uint8_t *s, size_t sn)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star_p = ++pi;
			star_s = si;
			continue;
		}
		if (pi < pn && p[pi] == '[') {
			size_t j = pi + 1;
			bool neg = j < pn && p[j] == '!', hit = false;

			j += neg;
			/* a ']' right after '[' or '[!' is a member */
			for (size_t first = j; j < pn && (p[j] != ']' || j == first); j++) {
				if (j + 2 < pn && p[j + 1] == '-' && p[j + 2] != ']') {
					hit |= s[si] >= p[j] && s[si] <= p[j + 2];
					j += 2;
				} else {
					hit |= s[si] == p[j];
				}
			}
			if (j < pn && hit != neg) {
				pi = j + 1;
				si++;
				continue;
			}
			if (j >= pn && s[si] == '[') { /* unclosed: a literal '[' */
				pi++;
				si++;
				continue;
			}
		} else if (pi < pn && (p[pi] == '?' || p[pi] == s[si])) {
			pi++;
			si++;
			continue;
		}
		if (star_p == SIZE_MAX)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* The specification's PATHPATTERN: shell-style, and '*' does not cross a
 * '/': pattern and path have the same number of components, matched one by
 * one (python-tuf's _is_target_in_pathpattern). */
static bool
path_match(al_bytes pat, al_bytes path)
{
	size_t a = 0, b = 0;

	for (;;) {
		size_t ae = a, be = b;

		while (ae < pat.n && pat.p[ae] != '/')
			ae++;
		while (be < path.n && path.p[be] != '/')
			be++;
		if (!glob_match(pat.p + a, ae - a, path.p + b, be - b))
			return false;
		if (ae == pat.n || be == path.n)
			return ae == pat.n && be == path.n;
		a = ae + 1;
		b = be + 1;
	}
}

bool
tuf_role_covers(const tuf_role *r, al_bytes target)
{
	uint8_t d[AL_HASH_MAX];
	char hex[2 * 32 + 1];

	if (r->hash_prefixes) {
		al_hash_bytes(AL_HASH_SHA256, target, d);
		al_hex_encode(d, 32, hex);
	}
	for (size_t i = 0; i < r->npaths; i++) {
		al_bytes p = r->paths[i];

		if (r->hash_prefixes ? p.n <= 64 && memcmp(hex, p.p, p.n) == 0 : path_match(p, target))
			return true;
	}
	return false;
}


typedef struct visit {
	const tuf_md *parent;     /* NULL: targets.json itself */
	const tuf_role *role;
	size_t depth;
} visit;

/* Preorder depth-first search from targets.json, as python-tuf walks:
 * a role's own targets first, then the roles it delegates the path to,
 * in order; a terminating role ends the search after its subtree. A role
 * is loaded (and judged) only when the walk reaches it. */
static al_rc
find_target(upd *u, al_bytes name, const tuf_fileinfo **fi, al_err *err)
{
	visit stack[AL_MAX_TUF_ROLES_VISITED + AL_MAX_TUF_DELEGATIONS + 1];
	const tuf_md *seen[AL_MAX_TUF_ROLES_VISITED + 1];
	size_t sp = 0, nseen = 0;
	char show[TUF_SHOW];

	stack[sp++] = (visit){ NULL, NULL, 0 };
	while (sp > 0) {
		visit v = stack[--sp];
		const tuf_md *md = &u->targets;
		size_t first = sp;
		bool again = false;
		al_rc rc;

		if (v.parent != NULL && (rc = delegated(u, v.parent, v.role, &md, err)) != AL_OK)
			return rc;
		for (size_t i = 0; i < nseen; i++)
			again |= seen[i] == md;
		if (again)
			continue;
		if ((*fi = tuf_find(md->targets, md->ntargets, name)) != NULL)
			return AL_OK;
		if (nseen == AL_MAX_TUF_ROLES_VISITED + 1)
			return al_err_set(err, AL_E_LIMIT, "targets: more than %u roles searched for \"%s\"",
					  AL_MAX_TUF_ROLES_VISITED, tuf_show(show, name));
		seen[nseen++] = md;
		for (size_t i = 0; i < md->ndeleg; i++) {
			const tuf_role *r = &md->deleg[i];

			if (!tuf_role_covers(r, name))
				continue;
			if (v.depth + 1 > AL_MAX_TUF_DELEGATION_DEPTH)
				return al_err_set(err, AL_E_LIMIT, "%s: delegations deeper than %u roles for "
						  "\"%s\"", md->file, AL_MAX_TUF_DELEGATION_DEPTH,
						  tuf_show(show, name));
			if (r->terminating) {
				/* nothing but this role's children is searched any more */
				memmove(stack, stack + first, (sp - first) * sizeof(stack[0]));
				sp -= first;
				first = 0;
			}
			if (sp == AL_ARRAY_LEN(stack))
				return al_err_set(err, AL_E_LIMIT, "targets: too many delegations for \"%s\"",
						  tuf_show(show, name));
			stack[sp++] = (visit){ md, r, v.depth + 1 };
			if (r->terminating)
				break;
		}
		/* children pushed in order; reverse them so the first is popped first */
		for (size_t a = first, b = sp; b > a + 1; a++, b--) {
			visit t = stack[a];

			stack[a] = stack[b - 1];
			stack[b - 1] = t;
		}
	}
	return al_err_set(err, INV, "target \"%s\": not listed by targets.json or by any role "
			  "delegated the path", tuf_show(show, name));
}

/* The target's file: "targets/<path>", or with consistent snapshots
 * "targets/<dir>/<hex>.<base>" with the first hash the metadata lists (as
 * python-tuf names it). */
static void
target_file(const upd *u, al_bytes name, const tuf_fileinfo *fi, char *out, size_t size)
{
	const uint8_t *slash = NULL;
	size_t dir;

	for (size_t i = 0; i < name.n; i++)
		if (name.p[i] == '/')
			slash = name.p + i;
	dir = slash == NULL ? 0 : (size_t)(slash - name.p) + 1;
	if (!final_root(u)->consistent_snapshot || fi->nhashes == 0)
		snprintf(out, size, "targets/%.*s", (int)name.n, (const char *)name.p);
	else
		snprintf(out, size, "targets/%.*s%.*s.%.*s", (int)dir, (const char *)name.p,
			 (int)fi->hashes[0].hex.n, (const char *)fi->hashes[0].hex.p, (int)(name.n - dir),
			 (const char *)name.p + dir);
}

static al_rc
get_target(upd *u, const char *want, al_tuf_file *out, al_err *err)
{
	al_bytes name = al_bytes_str(want);
	const tuf_fileinfo *fi;
	char show[TUF_SHOW], file[AL_MAX_PATH + 2 * 128 + 16];
	size_t max;
	bool from_meta;
	al_rc rc;

	if (!tuf_safe_path(name))
		return al_err_set(err, AL_E_USAGE, "target \"%s\": not a safe relative path (no \"..\", "
				  "absolute path, empty component or control character)", tuf_show(show, name));
	if ((rc = find_target(u, name, &fi, err)) != AL_OK)
		return rc;
	target_file(u, name, fi, file, sizeof(file));
	tuf_show(show, al_bytes_str(file));
	if ((rc = bound(fi, AL_MAX_TUF_TARGET_FILE, show, &max, &from_meta, err)) != AL_OK ||
	    (rc = fetch(u, file, max, from_meta, &out->bytes, NULL, err)) != AL_OK ||
	    (rc = tuf_check_file(show, al_buf_bytes(&out->bytes), fi, err)) != AL_OK)
		return rc;
	return al_buf_dup(&out->name, name, err);
}

/* ---------------------------------------------------------------- the update */

static void
upd_free(upd *u)
{
	tuf_md *mds[] = { &u->first, &u->root, &u->old_ts, &u->old_snap, &u->old_targets,
			  &u->ts, &u->snap, &u->targets };

	for (size_t i = 0; i < AL_ARRAY_LEN(mds); i++)
		tuf_md_free(mds[i]);
	for (size_t i = 0; i < u->nroles; i++) {
		tuf_md_free(&u->roles[i].md);
		al_buf_free(&u->roles[i].raw);
	}
	al_buf_free(&u->raw_root);
	al_buf_free(&u->raw_ts);
	al_buf_free(&u->raw_snap);
	al_buf_free(&u->raw_targets);
}

static al_rc
add_file(al_tuf_result *r, const char *name, al_buf *raw, al_err *err)
{
	al_tuf_file *f = &r->files[r->nfiles];
	al_rc rc = al_buf_dup(&f->name, al_bytes_str(name), err);

	if (rc != AL_OK)
		return rc;
	f->bytes = *raw;
	memset(raw, 0, sizeof(*raw));
	r->nfiles++;
	return AL_OK;
}

/* The new trusted metadata in install order: root first (every other file
 * is judged by it), then the files that carry floors from the top down;
 * docs/verification.md §6 says why a crash between renames is safe. */
static al_rc
collect(upd *u, al_tuf_result *r, al_err *err)
{
	al_rc rc;

	r->root_version = final_root(u)->version;
	r->root_version_was = u->first.version;
	r->timestamp_version = u->ts.version;
	r->snapshot_version = u->snap.version;
	r->targets_version = u->targets.version;
	if ((r->files = calloc(4 + u->nroles, sizeof(*r->files))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	if ((rc = add_file(r, "root.json", &u->raw_root, err)) != AL_OK ||
	    (rc = add_file(r, "timestamp.json", &u->raw_ts, err)) != AL_OK ||
	    (rc = add_file(r, "snapshot.json", &u->raw_snap, err)) != AL_OK ||
	    (rc = add_file(r, "targets.json", &u->raw_targets, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < u->nroles; i++) {
		char name[AL_MAX_TUF_ROLE_NAME + 8];

		snprintf(name, sizeof(name), "%.*s.json", (int)u->roles[i].name.n,
			 (const char *)u->roles[i].name.p);
		if ((rc = add_file(r, name, &u->roles[i].raw, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
run(upd *u, const al_tuf_state *st, const char *const *targets, size_t ntargets, al_tuf_result *out,
    al_err *err)
{
	al_rc rc;

	if (ntargets > AL_MAX_TUF_REQUESTS)
		return al_err_set(err, AL_E_LIMIT, "%zu targets asked for, at most %u", ntargets,
				  AL_MAX_TUF_REQUESTS);
	if ((rc = load_trusted_root(u, st->root, err)) != AL_OK || (rc = rotate(u, err)) != AL_OK)
		return rc;
	/* §5.3.10: the final root must be fresh; an attacker who can only
	 * withhold new roots must not keep an old one alive (freeze) */
	if ((rc = check_expiry(u, final_root(u), "; the repository has no newer root (freeze attack, "
			       "or media older than the reference time)", err)) != AL_OK)
		return rc;
	load_floors(u, st);
	if ((rc = update_timestamp(u, err)) != AL_OK || (rc = update_snapshot(u, err)) != AL_OK ||
	    (rc = update_targets(u, err)) != AL_OK)
		return rc;
	if (ntargets > 0 && (out->targets = calloc(ntargets, sizeof(*out->targets))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	/* counted at once, so a failure part-way frees what was read */
	out->ntargets = ntargets;
	for (size_t i = 0; i < ntargets; i++)
		if ((rc = get_target(u, targets[i], &out->targets[i], err)) != AL_OK)
			return rc;
	return collect(u, out, err);
}

al_rc
al_tuf_update(const al_tuf_reader *repo, const al_tuf_state *trusted, int64_t now,
	      const char *const *targets, size_t ntargets, al_tuf_result *out, al_err *err)
{
	upd *u = calloc(1, sizeof(*u));
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if (u == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	u->repo = repo;
	u->now = now;
	rc = run(u, trusted, targets, ntargets, out, err);
	upd_free(u);
	free(u);
	if (rc != AL_OK)
		al_tuf_result_free(out);
	return rc;
}

void
al_tuf_result_free(al_tuf_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nfiles; i++) {
		al_buf_free(&r->files[i].name);
		al_buf_free(&r->files[i].bytes);
	}
	for (size_t i = 0; i < r->ntargets; i++) {
		al_buf_free(&r->targets[i].name);
		al_buf_free(&r->targets[i].bytes);
	}
	free(r->files);
	free(r->targets);
	memset(r, 0, sizeof(*r));
}
