/*
 * tuf_meta.c — TUF 1.0 metadata: strict parsing into tuf_md, the canonical
 * JSON its signatures are over, key parsing, threshold counting, file
 * length and hash checks, delegation path matching.
 *
 * Metadata arrives on the same media as the repository it describes, so
 * every file is hostile input until its signatures verify: every list is
 * bounded (common/limits.h), every number must be an exact JSON integer,
 * and names that later become file paths are checked to be safe here.
 * Unknown fields are tolerated (the specification asks for it) and, being
 * inside "signed", covered by the signatures. docs/verification.md §6.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "trust-roots/tuf_internal.h"

#define INV AL_E_TRUST_INVALID

static const char *const kind_names[] = { "root", "timestamp", "snapshot", "targets" };

const char *
tuf_show(char dst[TUF_SHOW], al_bytes s)
{
	al_text_line(dst, TUF_SHOW, s);
	return dst;
}

/* ---------------------------------------------------------------- canonical JSON */

static int
cmp_members(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	/* byte order of UTF-8 is code point order, as securesystemslib sorts */
	return strcmp(x->string, y->string);
}

static al_rc
canon_str(const char *s, al_buf *out, al_err *err)
{
	al_rc rc = al_buf_append(out, "\"", 1, err);

	for (; rc == AL_OK && *s; s++) {
		if (*s == '"' || *s == '\\')
			rc = al_buf_append(out, "\\", 1, err);
		if (rc == AL_OK)
			rc = al_buf_append(out, s, 1, err);
	}
	return rc != AL_OK ? rc : al_buf_append(out, "\"", 1, err);
}

static al_rc
canon_obj(const cJSON *j, al_buf *out, al_err *err)
{
	const cJSON **m = NULL;
	size_t n = 0, i;
	al_rc rc;

	for (const cJSON *c = j->child; c != NULL; c = c->next)
		n++;
	if (n > 0 && (m = calloc(n, sizeof(*m))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "canonical JSON: out of memory");
	i = 0;
	for (const cJSON *c = j->child; c != NULL; c = c->next)
		m[i++] = c;
	if (n > 1)
		qsort(m, n, sizeof(*m), cmp_members);
	rc = al_buf_append(out, "{", 1, err);
	for (i = 0; i < n && rc == AL_OK; i++) {
		if (i > 0)
			rc = al_buf_append(out, ",", 1, err);
		if (rc == AL_OK)
			rc = canon_str(m[i]->string, out, err);
		if (rc == AL_OK)
			rc = al_buf_append(out, ":", 1, err);
		if (rc == AL_OK)
			rc = al_tuf_canonical(m[i], out, err);
	}
	free(m);
	return rc != AL_OK ? rc : al_buf_append(out, "}", 1, err);
}

al_rc
al_tuf_canonical(const al_json *j, al_buf *out, al_err *err)
{
	al_rc rc = AL_OK;

	if (cJSON_IsObject(j))
		return canon_obj(j, out, err);
	if (cJSON_IsArray(j)) {
		rc = al_buf_append(out, "[", 1, err);
		for (const cJSON *c = j->child; c != NULL && rc == AL_OK; c = c->next) {
			if (c != j->child)
				rc = al_buf_append(out, ",", 1, err);
			if (rc == AL_OK)
				rc = al_tuf_canonical(c, out, err);
		}
		return rc != AL_OK ? rc : al_buf_append(out, "]", 1, err);
	}
	if (cJSON_IsString(j))
		return canon_str(j->valuestring, out, err);
	if (cJSON_IsTrue(j))
		return al_buf_append(out, "true", 4, err);
	if (cJSON_IsFalse(j))
		return al_buf_append(out, "false", 5, err);
	if (cJSON_IsNull(j))
		return al_buf_append(out, "null", 4, err);
	if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;

		/* canonical JSON has integers only; a double is exact to 2^53 */
		if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || d != (double)(int64_t)d)
			return al_err_set(err, INV, "canonical JSON: %g is not an integer", d);
		return al_buf_appendf(out, err, "%lld", (long long)(int64_t)d);
	}
	return al_err_set(err, AL_E_INTERNAL, "canonical JSON: unknown node type");
}

/* ---------------------------------------------------------------- typed members */

/* Recodes common's JSON errors (which carry the path) as trust errors. */
static al_rc
jrc(al_rc rc, al_err *err)
{
	if (rc == AL_E_JSON && err != NULL)
		err->code = INV;
	return rc == AL_E_JSON ? INV : rc;
}

/* A JSON number that is an exact integer in [min, 2^53]; strings are not
 * numbers here (python-tuf refuses them). */
static al_rc
get_int(const al_json *obj, const char *path, const char *key, bool required, int64_t min,
	int64_t *out, bool *present, al_err *err)
{
	const cJSON *n = al_json_member(obj, key);
	double d;

	*out = 0;
	if (present)
		*present = false;
	if (n == NULL) {
		if (required)
			return al_err_set(err, INV, "%s.%s: missing", path, key);
		return AL_OK;
	}
	d = cJSON_IsNumber(n) ? n->valuedouble : -1e300;
	if (!(d >= (double)min && d <= 9007199254740992.0) || d != (double)(int64_t)d)
		return al_err_set(err, INV, "%s.%s: not an integer of at least %lld", path, key,
				  (long long)min);
	*out = (int64_t)d;
	if (present)
		*present = true;
	return AL_OK;
}

static al_rc
get_bool(const al_json *obj, const char *path, const char *key, bool required, bool *out,
	 al_err *err)
{
	bool present;

	*out = false;
	return jrc(al_json_get_bool(obj, path, key, required, out, &present, err), err);
}

/* An object whose member count is at most max. */
static al_rc
get_obj_max(const al_json *obj, const char *path, const char *key, bool required, size_t max,
	    const al_json **out, size_t *count, al_err *err)
{
	al_rc rc = jrc(al_json_get_obj(obj, path, key, required, out, err), err);

	*count = 0;
	if (rc != AL_OK || *out == NULL)
		return rc;
	for (const al_json *m = al_json_first(*out); m != NULL; m = al_json_next(m))
		if (++*count > max)
			return al_err_set(err, AL_E_LIMIT, "%s.%s: more than %zu members", path, key, max);
	return AL_OK;
}

static al_rc
get_arr_max(const al_json *obj, const char *path, const char *key, size_t max, const al_json **out,
	    al_err *err)
{
	al_rc rc = jrc(al_json_get_arr(obj, path, key, true, out, err), err);

	if (rc == AL_OK && al_json_arr_len(*out) > max)
		return al_err_set(err, AL_E_LIMIT, "%s.%s: %zu entries, at most %zu", path, key,
				  al_json_arr_len(*out), max);
	return rc;
}

/* ---------------------------------------------------------------- keys */

static const uint8_t spki_p256[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
				     0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
				     0x03, 0x01, 0x07, 0x03, 0x42, 0x00 };
static const uint8_t spki_p384[] = { 0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
				     0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22,
				     0x03, 0x62, 0x00 };
static const uint8_t spki_ed25519[] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
					0x03, 0x21, 0x00 };

/* A raw public value (hex) wrapped in the one SPKI header of its kind: early
 * Sigstore roots (go-tuf) wrote ECDSA keys as the hex of the uncompressed
 * point, and TUF writes Ed25519 keys as the hex of the 32 bytes. */
static al_rc
key_from_hex(al_bytes hex, const uint8_t *prefix, size_t plen, size_t raw, al_pubkey *k,
	     al_err *err)
{
	uint8_t der[128];

	if (hex.n != 2 * raw || plen + raw > sizeof(der))
		return al_err_set(err, AL_E_CRYPTO_KEY, "public value of %zu hex digits, expected %zu",
				  hex.n, 2 * raw);
	memcpy(der, prefix, plen);
	if (al_hex_decode(hex, der + plen, raw, err) != AL_OK)
		return AL_E_CRYPTO_KEY;
	return al_pubkey_from_spki(al_bytes_of(der, plen + raw), k, err);
}

typedef struct key_scheme {
	const char *scheme;
	const char *type1, *type2; /* keytypes that may carry it */
	al_key_kind kind;
	al_hash hash;
} key_scheme;

static const key_scheme schemes[] = {
	{ "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", "ecdsa", AL_KEY_ECDSA_P256, AL_HASH_SHA256 },
	{ "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384", "ecdsa", AL_KEY_ECDSA_P384, AL_HASH_SHA384 },
	{ "ed25519", "ed25519", NULL, AL_KEY_ED25519, AL_HASH_NONE },
	{ "rsassa-pss-sha256", "rsa", NULL, AL_KEY_RSA_PSS, AL_HASH_SHA256 },
};

static al_rc
parse_key_value(const key_scheme *ks, al_bytes pub, al_pubkey *k, al_err *err)
{
	bool pem = pub.n >= 10 && memcmp(pub.p, "-----BEGIN", 10) == 0;
	al_rc rc;

	if (pem)
		rc = al_pubkey_from_pem(pub, k, err);
	else if (ks->kind == AL_KEY_ECDSA_P256)
		rc = key_from_hex(pub, spki_p256, sizeof(spki_p256), 65, k, err);
	else if (ks->kind == AL_KEY_ECDSA_P384)
		rc = key_from_hex(pub, spki_p384, sizeof(spki_p384), 97, k, err);
	else if (ks->kind == AL_KEY_ED25519)
		rc = key_from_hex(pub, spki_ed25519, sizeof(spki_ed25519), 32, k, err);
	else
		rc = al_err_set(err, AL_E_CRYPTO_KEY, "an RSA key must be PEM");
	if (rc != AL_OK)
		return rc;
	if (k->kind != ks->kind && !(ks->kind == AL_KEY_RSA_PSS && k->kind == AL_KEY_RSA_ANY))
		return al_err_set(err, AL_E_CRYPTO_KEY, "a %s key, but the scheme is %s",
				  al_key_kind_name(k->kind), ks->scheme);
	return al_pubkey_set_scheme(k, ks->kind, ks->hash, err);
}

/* One KEY object. A type or scheme airlock does not know leaves the key
 * unusable (it then signs nothing, as in python-tuf); a known one that does
 * not parse makes the file invalid. */
static al_rc
parse_key(const al_json *o, const char *path, tuf_key *k, al_err *err)
{
	const al_json *kv;
	al_bytes type, scheme, pub;
	const key_scheme *ks = NULL;
	char show[TUF_SHOW];
	al_jpath kp;
	al_rc rc;

	al_pubkey_init(&k->key);
	if ((rc = jrc(al_json_get_str(o, path, "keytype", true, &type, err), err)) != AL_OK ||
	    (rc = jrc(al_json_get_str(o, path, "scheme", true, &scheme, err), err)) != AL_OK ||
	    (rc = jrc(al_json_get_obj(o, path, "keyval", true, &kv, err), err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < AL_ARRAY_LEN(schemes); i++)
		if (al_bytes_eq_str(scheme, schemes[i].scheme) &&
		    (al_bytes_eq_str(type, schemes[i].type1) ||
		     (schemes[i].type2 && al_bytes_eq_str(type, schemes[i].type2))))
			ks = &schemes[i];
	if (ks == NULL)
		return AL_OK;
	al_jpath_key(&kp, path, "keyval");
	if ((rc = jrc(al_json_get_str(kv, kp.s, "public", true, &pub, err), err)) != AL_OK)
		return rc;
	if ((rc = parse_key_value(ks, pub, &k->key, err)) != AL_OK)
		return al_err_recode(err, INV, "%s: %s key \"%s\"", path, ks->scheme,
				     tuf_show(show, k->id));
	k->usable = true;
	k->hash = ks->hash;
	return AL_OK;
}

static al_rc
parse_keys(tuf_md *md, const al_json *obj, const char *path, al_err *err)
{
	const al_json *keys;
	size_t n, i = 0;
	al_jpath p;
	al_rc rc;

	if ((rc = get_obj_max(obj, path, "keys", true, AL_MAX_TUF_KEYS, &keys, &n, err)) != AL_OK)
		return rc;
	if (n > 0 && (md->keys = al_arena_alloc(&md->arena, n * sizeof(tuf_key), err)) == NULL)
		return AL_E_NOMEM;
	al_jpath_key(&p, path, "keys");
	for (const al_json *m = al_json_first(keys); m != NULL; m = al_json_next(m), i++) {
		char show[TUF_SHOW];
		al_jpath q;

		md->keys[i].id = al_bytes_str(al_json_key(m));
		md->nkeys = i + 1;
		al_jpath_key(&q, p.s, tuf_show(show, md->keys[i].id));
		if (!al_json_is_obj(m))
			return al_err_set(err, INV, "%s: not an object", q.s);
		if ((rc = parse_key(m, q.s, &md->keys[i], err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static const tuf_key *
find_key(const tuf_md *md, al_bytes id)
{
	for (size_t i = 0; i < md->nkeys; i++)
		if (al_bytes_eq(md->keys[i].id, id))
			return &md->keys[i];
	return NULL;
}

/* ---------------------------------------------------------------- roles */

/* keyids and threshold; every keyid must name a key of the same file (a
 * dangling one is a malformed file, not a key that silently never signs). */
static al_rc
parse_role_keys(tuf_md *md, const al_json *o, const char *path, tuf_role *r, al_err *err)
{
	const al_json *ids;
	al_rc rc;

	if ((rc = get_arr_max(o, path, "keyids", AL_MAX_TUF_KEYS, &ids, err)) != AL_OK)
		return rc;
	if ((rc = get_int(o, path, "threshold", true, 1, &r->threshold, NULL, err)) != AL_OK)
		return rc;
	r->keys = al_arena_alloc(&md->arena, (al_json_arr_len(ids) + 1) * sizeof(*r->keys), err);
	if (r->keys == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < al_json_arr_len(ids); i++) {
		const al_json *e = al_json_arr_at(ids, i);
		const tuf_key *k;
		char show[TUF_SHOW];
		bool dup = false;

		if (!al_json_is_str(e))
			return al_err_set(err, INV, "%s.keyids[%zu]: not a string", path, i);
		if ((k = find_key(md, al_json_str_bytes(e))) == NULL)
			return al_err_set(err, INV, "%s.keyids[%zu]: key \"%s\" is not in keys", path, i,
					  tuf_show(show, al_json_str_bytes(e)));
		for (size_t j = 0; j < r->nkeyids; j++)
			dup |= r->keys[j] == k;
		if (!dup)
			r->keys[r->nkeyids++] = k;
	}
	return AL_OK;
}

static al_rc
parse_root(tuf_md *md, const al_json *s, al_err *err)
{
	const al_json *roles;
	size_t n;
	al_rc rc;

	if ((rc = parse_keys(md, s, "signed", err)) != AL_OK)
		return rc;
	if ((rc = get_obj_max(s, "signed", "roles", true, AL_MAX_TUF_DELEGATIONS, &roles, &n, err)) != AL_OK)
		return rc;
	for (int i = 0; i < 4; i++) {
		const al_json *o = al_json_member(roles, kind_names[i]);
		al_jpath p;

		al_jpath_key(&p, "signed.roles", kind_names[i]);
		if (!al_json_is_obj(o))
			return al_err_set(err, INV, "%s: missing or not an object", p.s);
		md->roles[i].name = al_bytes_str(kind_names[i]);
		if ((rc = parse_role_keys(md, o, p.s, &md->roles[i], err)) != AL_OK)
			return rc;
	}
	return get_bool(s, "signed", "consistent_snapshot", false, &md->consistent_snapshot, err);
}

/* ---------------------------------------------------------------- file infos */

static al_rc
parse_hashes(tuf_md *md, const al_json *o, const char *path, bool required, tuf_fileinfo *fi,
	     al_err *err)
{
	const al_json *hs;
	size_t n, i = 0;
	al_rc rc;

	if ((rc = get_obj_max(o, path, "hashes", required, AL_MAX_TUF_HASHES, &hs, &n, err)) != AL_OK ||
	    hs == NULL)
		return rc;
	if (n == 0)
		return al_err_set(err, INV, "%s.hashes: empty", path);
	if ((fi->hashes = al_arena_alloc(&md->arena, n * sizeof(tuf_hash), err)) == NULL)
		return AL_E_NOMEM;
	for (const al_json *m = al_json_first(hs); m != NULL; m = al_json_next(m), i++) {
		tuf_hash *h = &fi->hashes[i];
		char show[TUF_SHOW];

		h->alg = al_bytes_str(al_json_key(m));
		h->hex = al_json_str_bytes(m);
		h->h = al_hash_by_name(h->alg);
		if (!al_json_is_str(m) || h->hex.n == 0 || h->hex.n > 2 * 128)
			return al_err_set(err, INV, "%s.hashes.%s: not a hex digest", path,
					  tuf_show(show, h->alg));
		for (size_t j = 0; j < h->hex.n; j++)
			if (!((h->hex.p[j] >= '0' && h->hex.p[j] <= '9') ||
			      (h->hex.p[j] >= 'a' && h->hex.p[j] <= 'f')))
				return al_err_set(err, INV, "%s.hashes.%s: not lowercase hex", path,
						  tuf_show(show, h->alg));
		if (h->h != AL_HASH_NONE &&
		    (h->hex.n != 2 * al_hash_len(h->h) ||
		     al_hex_decode(h->hex, h->d, al_hash_len(h->h), err) != AL_OK))
			return al_err_set(err, INV, "%s.hashes.%s: not a %s digest", path,
					  al_hash_name(h->h), al_hash_name(h->h));
		fi->nhashes = i + 1;
	}
	return AL_OK;
}

/* version (snapshot.json's and the roles' entries), length, hashes. */
static al_rc
parse_fileinfo(tuf_md *md, const al_json *o, const char *path, bool target, tuf_fileinfo *fi,
	       al_err *err)
{
	int64_t len;
	al_rc rc;

	if (!al_json_is_obj(o))
		return al_err_set(err, INV, "%s: not an object", path);
	if (!target && (rc = get_int(o, path, "version", true, 1, &fi->version, &fi->has_version,
				     err)) != AL_OK)
		return rc;
	if ((rc = get_int(o, path, "length", target, 0, &len, &fi->has_length, err)) != AL_OK)
		return rc;
	fi->length = (uint64_t)len;
	return parse_hashes(md, o, path, target, fi, err);
}

/* timestamp and snapshot: "meta", each entry a METAFILES value. */
static al_rc
parse_meta(tuf_md *md, const al_json *s, al_err *err)
{
	const al_json *meta;
	const char *need = md->kind == TUF_TIMESTAMP ? "snapshot.json" : "targets.json";
	size_t n, i = 0;
	al_rc rc;

	if ((rc = get_obj_max(s, "signed", "meta", true, AL_MAX_TUF_META_ENTRIES, &meta, &n, err)) != AL_OK)
		return rc;
	if (n > 0 && (md->meta = al_arena_alloc(&md->arena, n * sizeof(tuf_fileinfo), err)) == NULL)
		return AL_E_NOMEM;
	for (const al_json *m = al_json_first(meta); m != NULL; m = al_json_next(m), i++) {
		char show[TUF_SHOW];
		al_jpath p;

		md->meta[i].name = al_bytes_str(al_json_key(m));
		al_jpath_key(&p, "signed.meta", tuf_show(show, md->meta[i].name));
		if ((rc = parse_fileinfo(md, m, p.s, false, &md->meta[i], err)) != AL_OK)
			return rc;
		md->nmeta = i + 1;
	}
	if (tuf_find(md->meta, md->nmeta, al_bytes_str(need)) == NULL)
		return al_err_set(err, INV, "signed.meta: no entry for %s", need);
	return AL_OK;
}

/* ---------------------------------------------------------------- targets */

/* Role names become file names ("<name>.json", "<version>.<name>.json"),
 * so only a conservative alphabet is accepted; python-tuf would escape
 * others, airlock refuses them (fail closed). */
static bool
safe_role_name(al_bytes n)
{
	if (n.n == 0 || n.n > AL_MAX_TUF_ROLE_NAME || n.p[0] == '.')
		return false;
	for (size_t i = 0; i < n.n; i++)
		if (!((n.p[i] >= 'a' && n.p[i] <= 'z') || (n.p[i] >= 'A' && n.p[i] <= 'Z') ||
		      (n.p[i] >= '0' && n.p[i] <= '9') || n.p[i] == '-' || n.p[i] == '_' || n.p[i] == '.'))
			return false;
	for (int i = 0; i < 4; i++)
		if (al_bytes_eq_str(n, kind_names[i]))
			return false;
	return true;
}

static al_rc
parse_role_paths(tuf_md *md, const al_json *o, const char *path, tuf_role *r, al_err *err)
{
	const al_json *paths = al_json_member(o, "paths"), *pre = al_json_member(o, "path_hash_prefixes");
	const al_json *list = paths != NULL ? paths : pre;
	al_rc rc;

	if ((paths == NULL) == (pre == NULL))
		return al_err_set(err, INV, "%s: exactly one of paths and path_hash_prefixes is needed%s",
				  path, al_json_member(o, "succinct_roles") ? " (succinct_roles is not supported)" : "");
	r->hash_prefixes = pre != NULL;
	if ((rc = get_arr_max(o, path, paths != NULL ? "paths" : "path_hash_prefixes", AL_MAX_TUF_PATHS,
			      &list, err)) != AL_OK)
		return rc;
	r->npaths = al_json_arr_len(list);
	if ((r->paths = al_arena_alloc(&md->arena, (r->npaths + 1) * sizeof(al_bytes), err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < r->npaths; i++) {
		if (!al_json_is_str(al_json_arr_at(list, i)))
			return al_err_set(err, INV, "%s: pattern %zu is not a string", path, i);
		r->paths[i] = al_json_str_bytes(al_json_arr_at(list, i));
	}
	return AL_OK;
}

static al_rc
parse_delegations(tuf_md *md, const al_json *s, al_err *err)
{
	const al_json *d, *roles;
	al_rc rc;

	if ((rc = jrc(al_json_get_obj(s, "signed", "delegations", false, &d, err), err)) != AL_OK ||
	    d == NULL)
		return rc;
	if ((rc = parse_keys(md, d, "signed.delegations", err)) != AL_OK)
		return rc;
	if ((rc = get_arr_max(d, "signed.delegations", "roles", AL_MAX_TUF_DELEGATIONS, &roles, err)) != AL_OK)
		return rc;
	md->deleg = al_arena_alloc(&md->arena, (al_json_arr_len(roles) + 1) * sizeof(tuf_role), err);
	if (md->deleg == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < al_json_arr_len(roles); i++) {
		const al_json *o = al_json_arr_at(roles, i);
		tuf_role *r = &md->deleg[i];
		char show[TUF_SHOW];
		al_jpath p;

		al_jpath_idx(&p, "signed.delegations.roles", i);
		if (!al_json_is_obj(o))
			return al_err_set(err, INV, "%s: not an object", p.s);
		if ((rc = jrc(al_json_get_str(o, p.s, "name", true, &r->name, err), err)) != AL_OK)
			return rc;
		if (!safe_role_name(r->name))
			return al_err_set(err, INV, "%s.name: \"%s\" is not a role name airlock accepts "
					  "(letters, digits, '-', '_', '.'; not a top-level role)", p.s,
					  tuf_show(show, r->name));
		for (size_t j = 0; j < i; j++)
			if (al_bytes_eq(md->deleg[j].name, r->name))
				return al_err_set(err, INV, "%s.name: \"%s\" delegated twice", p.s,
						  tuf_show(show, r->name));
		if ((rc = parse_role_keys(md, o, p.s, r, err)) != AL_OK ||
		    (rc = get_bool(o, p.s, "terminating", true, &r->terminating, err)) != AL_OK ||
		    (rc = parse_role_paths(md, o, p.s, r, err)) != AL_OK)
			return rc;
		md->ndeleg = i + 1;
	}
	return AL_OK;
}

static al_rc
parse_targets(tuf_md *md, const al_json *s, al_err *err)
{
	const al_json *t;
	size_t n, i = 0;
	al_rc rc;

	if ((rc = get_obj_max(s, "signed", "targets", true, AL_MAX_TUF_TARGET_ENTRIES, &t, &n, err)) != AL_OK)
		return rc;
	if (n > 0 && (md->targets = al_arena_alloc(&md->arena, n * sizeof(tuf_fileinfo), err)) == NULL)
		return AL_E_NOMEM;
	for (const al_json *m = al_json_first(t); m != NULL; m = al_json_next(m), i++) {
		tuf_fileinfo *fi = &md->targets[i];
		char show[TUF_SHOW];
		al_jpath p;

		fi->name = al_bytes_str(al_json_key(m));
		al_jpath_key(&p, "signed.targets", tuf_show(show, fi->name));
		/* target paths become file paths: one that could escape the
		 * folder makes the whole file invalid */
		if (!tuf_safe_path(fi->name))
			return al_err_set(err, INV, "%s: not a safe relative target path (\"..\", an "
					  "absolute path, an empty component or a control character)", p.s);
		if ((rc = parse_fileinfo(md, m, p.s, true, fi, err)) != AL_OK)
			return rc;
		md->ntargets = i + 1;
	}
	return parse_delegations(md, s, err);
}

/* ---------------------------------------------------------------- the envelope */

static al_rc
parse_sigs(tuf_md *md, const al_json *doc, al_err *err)
{
	const al_json *sigs;
	al_rc rc;

	if ((rc = get_arr_max(doc, "", "signatures", AL_MAX_TUF_SIGNATURES, &sigs, err)) != AL_OK)
		return rc;
	md->nsigs = al_json_arr_len(sigs);
	if ((md->sigs = al_arena_alloc(&md->arena, (md->nsigs + 1) * sizeof(tuf_sig), err)) == NULL)
		return AL_E_NOMEM;
	for (size_t i = 0; i < md->nsigs; i++) {
		const al_json *o = al_json_arr_at(sigs, i);
		al_jpath p;

		al_jpath_idx(&p, "signatures", i);
		if (!al_json_is_obj(o))
			return al_err_set(err, INV, "%s: not an object", p.s);
		if ((rc = jrc(al_json_get_str(o, p.s, "keyid", true, &md->sigs[i].keyid, err), err)) != AL_OK ||
		    (rc = jrc(al_json_get_str(o, p.s, "sig", true, &md->sigs[i].hex, err), err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
parse_common(tuf_md *md, const al_json *s, tuf_kind want, al_err *err)
{
	al_bytes type, spec, exp;
	char show[TUF_SHOW];
	al_rc rc;

	if ((rc = jrc(al_json_get_str(s, "signed", "_type", true, &type, err), err)) != AL_OK)
		return rc;
	md->kind = TUF_ANY;
	for (int i = 0; i < 4; i++)
		if (al_bytes_eq_str(type, kind_names[i]))
			md->kind = (tuf_kind)i;
	if (md->kind == TUF_ANY || (want != TUF_ANY && md->kind != want))
		return al_err_set(err, INV, "signed._type: \"%s\", expected %s", tuf_show(show, type),
				  want == TUF_ANY ? "root, timestamp, snapshot or targets" : kind_names[want]);
	if ((rc = jrc(al_json_get_str(s, "signed", "spec_version", true, &spec, err), err)) != AL_OK)
		return rc;
	/* any 1.x: minor versions only add what older clients may ignore */
	if (spec.n < 2 || spec.p[0] != '1' || spec.p[1] != '.')
		return al_err_set(err, INV, "signed.spec_version: \"%s\", airlock reads TUF 1.x",
				  tuf_show(show, spec));
	if ((rc = get_int(s, "signed", "version", true, 1, &md->version, NULL, err)) != AL_OK)
		return rc;
	if ((rc = jrc(al_json_get_str(s, "signed", "expires", true, &exp, err), err)) != AL_OK)
		return rc;
	if ((rc = al_rfc3339_parse(exp, &md->expires, &md->expires_ns, err)) != AL_OK)
		return al_err_recode(err, INV, "signed.expires");
	return AL_OK;
}

static al_rc
parse_doc(al_bytes json, tuf_kind want, tuf_md *md, al_err *err)
{
	const al_json *s;
	al_rc rc;

	if ((rc = al_json_parse(json, &md->doc, err)) != AL_OK)
		return rc == AL_E_JSON ? al_err_recode(err, INV, "%s", "not JSON") : rc;
	if (!al_json_is_obj(md->doc))
		return al_err_set(err, INV, "not a JSON object");
	if ((rc = jrc(al_json_get_obj(md->doc, "", "signed", true, &s, err), err)) != AL_OK)
		return rc;
	if ((rc = parse_sigs(md, md->doc, err)) != AL_OK || (rc = parse_common(md, s, want, err)) != AL_OK)
		return rc;
	switch (md->kind) {
	case TUF_ROOT:
		rc = parse_root(md, s, err);
		break;
	case TUF_TIMESTAMP:
	case TUF_SNAPSHOT:
		rc = parse_meta(md, s, err);
		break;
	default:
		rc = parse_targets(md, s, err);
		break;
	}
	if (rc == AL_OK)
		rc = al_tuf_canonical(s, &md->canon, err);
	return rc;
}

al_rc
tuf_md_parse(al_bytes json, const char *file, tuf_kind want, tuf_md *md, al_err *err)
{
	al_rc rc;

	memset(md, 0, sizeof(*md));
	snprintf(md->file, sizeof(md->file), "%s", file);
	if ((rc = parse_doc(json, want, md, err)) != AL_OK)
		return al_err_prefix(err, "%s", file);
	return AL_OK;
}

void
tuf_md_free(tuf_md *md)
{
	for (size_t i = 0; i < md->nkeys; i++)
		al_pubkey_free(&md->keys[i].key);
	al_json_free(md->doc);
	al_buf_free(&md->canon);
	al_arena_free(&md->arena);
	memset(md, 0, sizeof(*md));
}

al_rc
al_tuf_inspect(al_bytes json, al_tuf_info *info, al_err *err)
{
	tuf_md md;
	al_rc rc = tuf_md_parse(json, "metadata", TUF_ANY, &md, err);

	memset(info, 0, sizeof(*info));
	if (rc == AL_OK) {
		snprintf(info->type, sizeof(info->type), "%s", kind_names[md.kind]);
		info->version = md.version;
		info->expires = md.expires;
		info->nsignatures = md.nsigs;
	}
	tuf_md_free(&md);
	return rc;
}

/* ---------------------------------------------------------------- checks */

/* One signature by k over md's canonical bytes; a malformed hex value is a
 * signature that does not verify, as in python-tuf. */
static bool
sig_ok(const tuf_key *k, const tuf_sig *s, const tuf_md *md)
{
	uint8_t sig[AL_MAX_SIGNATURE];
	al_err e;

	if (s->hex.n == 0 || s->hex.n % 2 != 0 || s->hex.n / 2 > sizeof(sig) ||
	    al_hex_decode(s->hex, sig, s->hex.n / 2, &e) != AL_OK)
		return false;
	return al_sig_verify(&k->key, k->hash, al_buf_bytes(&md->canon),
			     al_bytes_of(sig, s->hex.n / 2), &e) == AL_OK;
}

al_rc
tuf_verify(const tuf_role *role, const char *who, const tuf_md *md, al_err *err)
{
	const tuf_key *counted[AL_MAX_TUF_KEYS];
	size_t n = 0;

	for (size_t i = 0; i < role->nkeyids && n < AL_MAX_TUF_KEYS; i++) {
		const tuf_key *k = role->keys[i];
		bool seen = false;

		if (!k->usable)
			continue;
		/* one key value counts once, whatever keyids it is listed under */
		for (size_t j = 0; j < n; j++)
			seen |= al_pubkey_eq(&counted[j]->key, &k->key);
		if (seen)
			continue;
		for (size_t s = 0; s < md->nsigs; s++)
			if (al_bytes_eq(md->sigs[s].keyid, k->id) && sig_ok(k, &md->sigs[s], md)) {
				counted[n++] = k;
				break;
			}
	}
	if ((int64_t)n >= role->threshold)
		return AL_OK;
	return al_err_set(err, INV, "%s: signed by %zu of the %zu keys of %s, threshold %lld",
			  md->file, n, role->nkeyids, who, (long long)role->threshold);
}

bool
tuf_expired(const tuf_md *md, int64_t now)
{
	return now > md->expires || (now == md->expires && md->expires_ns == 0);
}

al_rc
tuf_check_file(const char *file, al_bytes data, const tuf_fileinfo *fi, al_err *err)
{
	size_t supported = 0;

	if (fi->has_length && data.n != fi->length)
		return al_err_set(err, INV, "%s: %zu bytes, but the metadata says %llu (length mismatch)",
				  file, data.n, (unsigned long long)fi->length);
	for (size_t i = 0; i < fi->nhashes; i++) {
		const tuf_hash *h = &fi->hashes[i];
		uint8_t d[AL_HASH_MAX];

		if (h->h == AL_HASH_NONE)
			continue;
		supported++;
		al_hash_bytes(h->h, data, d);
		if (!al_ct_eq(d, h->d, al_hash_len(h->h)))
			return al_err_set(err, INV, "%s: %s digest differs from the metadata (hash mismatch)",
					  file, al_hash_name(h->h));
	}
	if (fi->nhashes > 0 && supported == 0)
		return al_err_set(err, INV, "%s: none of the metadata's hash algorithms is supported "
				  "(sha256, sha384, sha512)", file);
	return AL_OK;
}

const tuf_fileinfo *
tuf_find(const tuf_fileinfo *list, size_t n, al_bytes name)
{
	for (size_t i = 0; i < n; i++)
		if (al_bytes_eq(list[i].name, name))
			return &list[i];
	return NULL;
}
