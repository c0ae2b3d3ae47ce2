/*
 * test_tuf.c — the offline TUF client (trust-roots/tuf_*.c).
 *
 * A small repository generator makes keys (ECDSA P-256 with mbedTLS,
 * Ed25519 with libsodium), signs the canonical JSON of "signed" and keeps
 * the files in memory (one case writes them to a folder and installs the
 * result). Every accepting case has an attack twin that must be refused
 * with the right code and a message naming the step. The real Sigstore root
 * chains under ../shared are verified from version 1 to the last, with
 * tampered twins.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <mbedtls/ecdsa.h>
#include <sodium.h>

#include "util/testutil.h"
#include "trust-roots/trust.h"

static al_err err;

#define DAY 86400
/* 2026-01-15T10:00:00Z: the reference time of the synthetic cases */
#define NOW INT64_C(1768471200)

/* ---------------------------------------------------------------- keys */

typedef struct tkey {
	bool ed;                     /* Ed25519, else ECDSA P-256 */
	bool hex;                    /* P-256 written as hex of the point (early Sigstore) */
	mbedtls_ecp_keypair ec;
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	uint8_t pk[65];
	size_t pkn;
	char id[65];
} tkey;

static int
rng(void *ctx, unsigned char *out, size_t n)
{
	(void)ctx;
	randombytes_buf(out, n);
	return 0;
}

static void
key_make(tkey *k, bool ed, bool hex)
{
	uint8_t d[32];

	memset(k, 0, sizeof(*k));
	k->ed = ed;
	k->hex = hex;
	if (ed) {
		ck_assert_int_eq(crypto_sign_keypair(k->pk, k->sk), 0);
		k->pkn = 32;
	} else {
		mbedtls_ecp_keypair_init(&k->ec);
		ck_assert_int_eq(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, &k->ec, rng, NULL), 0);
		ck_assert_int_eq(mbedtls_ecp_write_public_key(&k->ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &k->pkn,
							      k->pk, sizeof(k->pk)), 0);
	}
	al_sha256(al_bytes_of(k->pk, k->pkn), d);
	al_hex_encode(d, 32, k->id);
}

static void
key_free(tkey *k)
{
	if (!k->ed)
		mbedtls_ecp_keypair_free(&k->ec);
}

/* The KEY object of the specification. */
static cJSON *
key_json(const tkey *k)
{
	cJSON *o = cJSON_CreateObject(), *kv = cJSON_AddObjectToObject(o, "keyval");
	char hex[2 * 65 + 1];

	al_hex_encode(k->pk, k->pkn, hex);
	if (k->ed) {
		cJSON_AddStringToObject(o, "keytype", "ed25519");
		cJSON_AddStringToObject(o, "scheme", "ed25519");
		cJSON_AddStringToObject(kv, "public", hex);
	} else if (k->hex) {
		cJSON_AddStringToObject(o, "keytype", "ecdsa-sha2-nistp256");
		cJSON_AddStringToObject(o, "scheme", "ecdsa-sha2-nistp256");
		cJSON_AddStringToObject(kv, "public", hex);
	} else {
		static const uint8_t pre[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
					       0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
					       0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00 };
		al_buf der = { 0 }, b64 = { 0 }, pem = { 0 };

		ck_assert_ok(al_buf_append(&der, pre, sizeof(pre), &err), &err);
		ck_assert_ok(al_buf_append(&der, k->pk, k->pkn, &err), &err);
		ck_assert_ok(al_b64_encode(al_buf_bytes(&der), &b64, &err), &err);
		ck_assert_ok(al_buf_appendf(&pem, &err, "-----BEGIN PUBLIC KEY-----\n"), &err);
		for (size_t i = 0; i < b64.n; i += 64)
			ck_assert_ok(al_buf_appendf(&pem, &err, "%.*s\n", (int)(b64.n - i > 64 ? 64 : b64.n - i),
						    (const char *)b64.p + i), &err);
		ck_assert_ok(al_buf_appendf(&pem, &err, "-----END PUBLIC KEY-----\n"), &err);
		cJSON_AddStringToObject(o, "keytype", "ecdsa");
		cJSON_AddStringToObject(o, "scheme", "ecdsa-sha2-nistp256");
		cJSON_AddStringToObject(kv, "public", (const char *)pem.p);
		al_buf_free(&der);
		al_buf_free(&b64);
		al_buf_free(&pem);
	}
	return o;
}

/* Hex signature by k over msg. */
static char *
key_sign(const tkey *k, al_bytes msg)
{
	uint8_t sig[MBEDTLS_ECDSA_MAX_LEN], h[32];
	size_t n = 0;
	char *hex;

	if (k->ed) {
		crypto_sign_detached(sig, NULL, msg.p, msg.n, k->sk);
		n = crypto_sign_BYTES;
	} else {
		al_sha256(msg, h);
		ck_assert_int_eq(mbedtls_ecdsa_write_signature((mbedtls_ecdsa_context *)(uintptr_t)&k->ec, MBEDTLS_MD_SHA256,
							       h, 32, sig, sizeof(sig), &n, rng, NULL), 0);
	}
	hex = malloc(2 * n + 1);
	al_hex_encode(sig, n, hex);
	return hex;
}

/* ---------------------------------------------------------------- signing */

/* {"signatures": [...], "signed": s}, each signer signing the canonical
 * form; sigid (may be NULL) overrides the keyid written for signer i. */
static al_buf
envelope(cJSON *s, const tkey *const *signers, size_t n, const char *const *sigid)
{
	cJSON *doc = cJSON_CreateObject(), *sigs = cJSON_AddArrayToObject(doc, "signatures");
	al_buf canon = { 0 }, out = { 0 };
	char *txt;

	ck_assert_ok(al_tuf_canonical(s, &canon, &err), &err);
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char *hex = key_sign(signers[i], al_buf_bytes(&canon));

		cJSON_AddStringToObject(o, "keyid", sigid && sigid[i] ? sigid[i] : signers[i]->id);
		cJSON_AddStringToObject(o, "sig", hex);
		cJSON_AddItemToArray(sigs, o);
		free(hex);
	}
	cJSON_AddItemToObject(doc, "signed", s);
	txt = cJSON_Print(doc);
	ck_assert_ok(al_buf_dup(&out, al_bytes_str(txt), &err), &err);
	free(txt);
	cJSON_Delete(doc);
	al_buf_free(&canon);
	return out;
}

static void
add_common(cJSON *s, const char *type, int64_t version, int64_t expires)
{
	char t[21];

	al_rfc3339_format(expires, t);
	cJSON_AddStringToObject(s, "_type", type);
	cJSON_AddStringToObject(s, "spec_version", "1.0.31");
	cJSON_AddNumberToObject(s, "version", (double)version);
	cJSON_AddStringToObject(s, "expires", t);
}

static cJSON *
role_json(const tkey *const *keys, size_t n, int threshold)
{
	cJSON *o = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(o, "keyids");

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(keys[i]->id));
	cJSON_AddNumberToObject(o, "threshold", threshold);
	return o;
}

/* fileinfo: version (0: none), and the length and sha256/sha512 of data
 * when data is given */
static cJSON *
fileinfo(int64_t version, const al_buf *data)
{
	cJSON *o = cJSON_CreateObject();

	if (version > 0)
		cJSON_AddNumberToObject(o, "version", (double)version);
	if (data != NULL) {
		cJSON *h = cJSON_AddObjectToObject(o, "hashes");
		uint8_t d[AL_HASH_MAX];
		char hex[2 * AL_HASH_MAX + 1];

		cJSON_AddNumberToObject(o, "length", (double)data->n);
		al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(data), d);
		al_hex_encode(d, 32, hex);
		cJSON_AddStringToObject(h, "sha256", hex);
		al_hash_bytes(AL_HASH_SHA512, al_buf_bytes(data), d);
		al_hex_encode(d, 64, hex);
		cJSON_AddStringToObject(h, "sha512", hex);
	}
	return o;
}

/* ---------------------------------------------------------------- an in-memory repository */

#define MAXF 64

typedef struct repo {
	size_t n;
	char name[MAXF][256];
	al_buf data[MAXF];
} repo;

static void
repo_put(repo *r, const char *name, al_buf data)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0) {
			al_buf_free(&r->data[i]);
			r->data[i] = data;
			return;
		}
	ck_assert_uint_lt(r->n, MAXF);
	snprintf(r->name[r->n], sizeof(r->name[0]), "%s", name);
	r->data[r->n++] = data;
}

static al_buf *
repo_get(repo *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0)
			return &r->data[i];
	ck_abort_msg("no file %s", name);
	return NULL;
}

static void
repo_del(repo *r, const char *name)
{
	al_buf *b = repo_get(r, name);

	size_t i = (size_t)(b - r->data);

	al_buf_free(b);
	*b = r->data[r->n - 1];
	if (i != r->n - 1)
		memcpy(r->name[i], r->name[r->n - 1], sizeof(r->name[0]));
	r->n--;
}

static void
repo_free(repo *r)
{
	for (size_t i = 0; i < r->n; i++)
		al_buf_free(&r->data[i]);
	r->n = 0;
}

static al_rc
repo_read(void *ctx, const char *name, size_t max, al_buf *out, bool *found, al_err *e)
{
	repo *r = ctx;

	*found = false;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0) {
			*found = true;
			if (r->data[i].n > max)
				return al_err_set(e, AL_E_LIMIT, "more than %zu bytes", max);
			return al_buf_dup(out, al_buf_bytes(&r->data[i]), e);
		}
	return AL_OK;
}

/* ---------------------------------------------------------------- the standard world */

/*
 * Keys: 0-2 root (threshold 2), 3 timestamp, 4 snapshot, 5 targets,
 * 6 delegated role "deleg" (paths d/STAR), 7 delegated role "other"
 * (paths d/STAR and e/STAR), 8-9 spare for rotations.
 */
#define NK 10
static tkey K[NK];

static void
keys_setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	for (int i = 0; i < NK; i++)
		key_make(&K[i], i == 1 || i == 4 || i == 7, i == 2);
}

static void
keys_teardown(void)
{
	for (int i = 0; i < NK; i++)
		key_free(&K[i]);
}

typedef struct world {
	int64_t root_v, ts_v, snap_v, targets_v, deleg_v;
	int64_t snap_in_ts, targets_in_snap, deleg_in_snap; /* 0: the real version */
	int64_t root_exp, ts_exp, snap_exp, targets_exp, deleg_exp;
	bool consistent;
	bool ts_hashes, snap_hashes; /* hashes and lengths in meta */
	bool terminating;
	bool no_deleg_in_snap;
	const tkey *root_keys[3];
	const tkey *ts_key;
	const char *content;       /* of d/file.txt */
} world;

static world
world_default(void)
{
	world w = { 0 };

	w.root_v = 1;
	w.ts_v = w.snap_v = w.targets_v = w.deleg_v = 1;
	w.root_exp = w.ts_exp = w.snap_exp = w.targets_exp = w.deleg_exp = NOW + 30 * DAY;
	w.consistent = true;
	w.ts_hashes = w.snap_hashes = true;
	w.root_keys[0] = &K[0];
	w.root_keys[1] = &K[1];
	w.root_keys[2] = &K[2];
	w.ts_key = &K[3];
	w.content = "hello, air gap\n";
	return w;
}

static cJSON *
root_signed(const world *w)
{
	cJSON *s = cJSON_CreateObject(), *keys, *roles;
	const tkey *ts[] = { w->ts_key }, *sn[] = { &K[4] }, *tg[] = { &K[5] };

	add_common(s, "root", w->root_v, w->root_exp);
	cJSON_AddBoolToObject(s, "consistent_snapshot", w->consistent);
	keys = cJSON_AddObjectToObject(s, "keys");
	for (int i = 0; i < 3; i++)
		if (cJSON_GetObjectItem(keys, w->root_keys[i]->id) == NULL)
			cJSON_AddItemToObject(keys, w->root_keys[i]->id, key_json(w->root_keys[i]));
	cJSON_AddItemToObject(keys, w->ts_key->id, key_json(w->ts_key));
	cJSON_AddItemToObject(keys, K[4].id, key_json(&K[4]));
	cJSON_AddItemToObject(keys, K[5].id, key_json(&K[5]));
	roles = cJSON_AddObjectToObject(s, "roles");
	cJSON_AddItemToObject(roles, "root", role_json(w->root_keys, 3, 2));
	cJSON_AddItemToObject(roles, "timestamp", role_json(ts, 1, 1));
	cJSON_AddItemToObject(roles, "snapshot", role_json(sn, 1, 1));
	cJSON_AddItemToObject(roles, "targets", role_json(tg, 1, 1));
	cJSON_AddStringToObject(s, "x-unknown-field", "tolerated");
	return s;
}

static al_buf
root_file(const world *w)
{
	return envelope(root_signed(w), w->root_keys, 3, NULL);
}

static void
target_name(const world *w, const char *path, const al_buf *data, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	uint8_t d[AL_HASH_MAX];
	char hex[65];

	if (!w->consistent) {
		snprintf(out, size, "targets/%s", path);
		return;
	}
	al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(data), d);
	al_hex_encode(d, 32, hex);
	snprintf(out, size, "targets/%.*s%s.%s", slash ? (int)(slash - path + 1) : 0, path, hex,
		 slash ? slash + 1 : path);
}

static void
add_target(repo *r, const world *w, cJSON *targets, const char *path, const char *content)
{
	al_buf data = { 0 };
	char name[256];

	ck_assert_ok(al_buf_dup(&data, al_bytes_str(content), &err), &err);
	cJSON_AddItemToObject(targets, path, fileinfo(0, &data));
	target_name(w, path, &data, name, sizeof(name));
	repo_put(r, name, data);
}

static const char *
mname(const world *w, int64_t v, const char *base, char *buf, size_t size)
{
	if (w->consistent)
		snprintf(buf, size, "%lld.%s", (long long)v, base);
	else
		snprintf(buf, size, "%s", base);
	return buf;
}

static cJSON *
delegations(void)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddObjectToObject(d, "keys");
	cJSON_AddArrayToObject(d, "roles");
	return d;
}

static void
delegate(cJSON *d, const char *name, const tkey *k, bool terminating, const char *const *paths)
{
	const tkey *ks[] = { k };
	cJSON *r = role_json(ks, 1, 1), *p = cJSON_AddArrayToObject(r, "paths");

	if (cJSON_GetObjectItem(cJSON_GetObjectItem(d, "keys"), k->id) == NULL)
		cJSON_AddItemToObject(cJSON_GetObjectItem(d, "keys"), k->id, key_json(k));
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddBoolToObject(r, "terminating", terminating);
	for (; *paths; paths++)
		cJSON_AddItemToArray(p, cJSON_CreateString(*paths));
	cJSON_AddItemToArray(cJSON_GetObjectItem(d, "roles"), r);
}

/* Writes the non-root metadata and targets of w into r (the root files are
 * written by the caller: root_file). */
static void
world_build(repo *r, const world *w)
{
	static const char *const dpaths[] = { "d/*", NULL }, *const opaths[] = { "d/*", "e/*", NULL };
	const tkey *sn[] = { &K[4] }, *tg[] = { &K[5] }, *dk[] = { &K[6] }, *ok[] = { &K[7] };
	const tkey *ts[] = { w->ts_key };
	cJSON *tgs, *t, *dl, *ot, *sm, *snap, *tsj, *tm, *d;
	al_buf deleg, other, targets, snapshot, timestamp;
	char n[128];

	/* delegated roles */
	dl = cJSON_CreateObject();
	add_common(dl, "targets", w->deleg_v, w->deleg_exp);
	t = cJSON_AddObjectToObject(dl, "targets");
	add_target(r, w, t, "d/file.txt", w->content);
	add_target(r, w, t, "x/evil.txt", "outside the delegated paths\n");
	deleg = envelope(dl, dk, 1, NULL);
	ot = cJSON_CreateObject();
	add_common(ot, "targets", 1, NOW + 30 * DAY);
	t = cJSON_AddObjectToObject(ot, "targets");
	add_target(r, w, t, "d/other.txt", "from the other role\n");
	add_target(r, w, t, "e/sub/deep.txt", "deeper\n");
	other = envelope(ot, ok, 1, NULL);
	/* targets.json */
	tgs = cJSON_CreateObject();
	add_common(tgs, "targets", w->targets_v, w->targets_exp);
	t = cJSON_AddObjectToObject(tgs, "targets");
	add_target(r, w, t, "top.txt", "top-level target\n");
	d = delegations();
	delegate(d, "deleg", &K[6], w->terminating, dpaths);
	delegate(d, "other", &K[7], false, opaths);
	cJSON_AddItemToObject(tgs, "delegations", d);
	targets = envelope(tgs, tg, 1, NULL);
	/* snapshot.json */
	snap = cJSON_CreateObject();
	add_common(snap, "snapshot", w->snap_v, w->snap_exp);
	sm = cJSON_AddObjectToObject(snap, "meta");
	cJSON_AddItemToObject(sm, "targets.json", fileinfo(w->targets_in_snap ? w->targets_in_snap : w->targets_v,
							   w->snap_hashes ? &targets : NULL));
	if (!w->no_deleg_in_snap)
		cJSON_AddItemToObject(sm, "deleg.json", fileinfo(w->deleg_in_snap ? w->deleg_in_snap : w->deleg_v,
								 w->snap_hashes ? &deleg : NULL));
	cJSON_AddItemToObject(sm, "other.json", fileinfo(1, NULL));
	snapshot = envelope(snap, sn, 1, NULL);
	/* timestamp.json */
	tsj = cJSON_CreateObject();
	add_common(tsj, "timestamp", w->ts_v, w->ts_exp);
	tm = cJSON_AddObjectToObject(tsj, "meta");
	cJSON_AddItemToObject(tm, "snapshot.json", fileinfo(w->snap_in_ts ? w->snap_in_ts : w->snap_v,
							    w->ts_hashes ? &snapshot : NULL));
	timestamp = envelope(tsj, ts, 1, NULL);

	repo_put(r, mname(w, w->deleg_in_snap ? w->deleg_in_snap : w->deleg_v, "deleg.json", n, sizeof(n)), deleg);
	repo_put(r, mname(w, 1, "other.json", n, sizeof(n)), other);
	repo_put(r, mname(w, w->targets_in_snap ? w->targets_in_snap : w->targets_v, "targets.json", n, sizeof(n)),
		 targets);
	repo_put(r, mname(w, w->snap_in_ts ? w->snap_in_ts : w->snap_v, "snapshot.json", n, sizeof(n)), snapshot);
	repo_put(r, "timestamp.json", timestamp);
}

/* ---------------------------------------------------------------- running */

static al_tuf_result res;

static al_rc
update_at(repo *r, const al_tuf_state *st, int64_t now, const char *const *targets, size_t n)
{
	al_tuf_reader rd = { repo_read, r };

	al_tuf_result_free(&res);
	al_err_clear(&err);
	return al_tuf_update(&rd, st, now, targets, n, &res, &err);
}

static al_rc
update1(repo *r, const al_tuf_state *st, const char *target)
{
	const char *t[] = { target };

	return update_at(r, st, NOW, t, target ? 1 : 0);
}

static al_tuf_state
state_root(const al_buf *root)
{
	al_tuf_state st = { 0 };

	st.root = al_buf_bytes(root);
	return st;
}

static const al_buf *
res_file(const char *name)
{
	for (size_t i = 0; i < res.nfiles; i++)
		if (strcmp((const char *)res.files[i].name.p, name) == 0)
			return &res.files[i].bytes;
	return NULL;
}

/* The state after a successful update, copied (res is reused). */
typedef struct saved {
	al_buf root, ts, snap, targets;
} saved;

static saved
save_state(void)
{
	saved s = { 0 };

	ck_assert_ok(al_buf_dup(&s.root, al_buf_bytes(res_file("root.json")), &err), &err);
	ck_assert_ok(al_buf_dup(&s.ts, al_buf_bytes(res_file("timestamp.json")), &err), &err);
	ck_assert_ok(al_buf_dup(&s.snap, al_buf_bytes(res_file("snapshot.json")), &err), &err);
	ck_assert_ok(al_buf_dup(&s.targets, al_buf_bytes(res_file("targets.json")), &err), &err);
	return s;
}

static al_tuf_state
state_of(const saved *s)
{
	al_tuf_state st = { al_buf_bytes(&s->root), al_buf_bytes(&s->ts), al_buf_bytes(&s->snap),
			    al_buf_bytes(&s->targets) };

	return st;
}

static void
saved_free(saved *s)
{
	al_buf_free(&s->root);
	al_buf_free(&s->ts);
	al_buf_free(&s->snap);
	al_buf_free(&s->targets);
}

/* A fresh repository for w, its root as 1.root.json-less state. */
static void
make(repo *r, const world *w, al_buf *root)
{
	repo_free(r);
	*root = root_file(w);
	world_build(r, w);
}

#define EXPECT(call, code, frag)                       \
	do {                                           \
		ck_assert_rc((call), (code), &err);    \
		ck_assert_err_has(&err, (frag));       \
	} while (0)

/* ---------------------------------------------------------------- canonical JSON */

START_TEST(canonical_json)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "{\"b\":1,\"a\":[true,false,null],\"A\":\"x\"}", "{\"A\":\"x\",\"a\":[true,false,null],\"b\":1}" },
		{ "{ \"s\" : \"q\\\"b\\\\n\\n\\u00e9\" }", "{\"s\":\"q\\\"b\\\\n\n\xc3\xa9\"}" },
		{ "[-5, 0, 9007199254740992, 1e2]", "[-5,0,9007199254740992,100]" },
		{ "{\"\xc3\xa9\":1,\"z\":2}", "{\"z\":2,\"\xc3\xa9\":1}" },
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(v); i++) {
		al_json *j;
		al_buf out = { 0 };

		ck_assert_ok(al_json_parse(al_bytes_str(v[i].in), &j, &err), &err);
		ck_assert_ok(al_tuf_canonical(j, &out, &err), &err);
		ck_assert_str_eq((const char *)out.p, v[i].out);
		al_buf_free(&out);
		al_json_free(j);
	}
	{
		al_json *j;
		al_buf out = { 0 };

		ck_assert_ok(al_json_parse(al_bytes_str("{\"v\":1.5}"), &j, &err), &err);
		EXPECT(al_tuf_canonical(j, &out, &err), AL_E_TRUST_INVALID, "not an integer");
		al_buf_free(&out);
		al_json_free(j);
	}
}
END_TEST

/* ---------------------------------------------------------------- the happy paths */

START_TEST(update_fresh_consistent)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	const char *t[] = { "top.txt", "d/file.txt", "d/other.txt" };

	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(update_at(&r, &st, NOW, t, 3), &err);
	ck_assert_uint_eq(res.ntargets, 3);
	ck_assert_str_eq((const char *)res.targets[1].name.p, "d/file.txt");
	ck_assert_mem_eq(res.targets[1].bytes.p, w.content, strlen(w.content));
	ck_assert_int_eq(res.root_version, 1);
	ck_assert_int_eq(res.targets_version, 1);
	/* root, timestamp, snapshot, targets, then the delegated roles visited */
	ck_assert_uint_eq(res.nfiles, 6);
	ck_assert_str_eq((const char *)res.files[0].name.p, "root.json");
	ck_assert_str_eq((const char *)res.files[3].name.p, "targets.json");
	ck_assert_str_eq((const char *)res.files[4].name.p, "deleg.json");
	ck_assert_str_eq((const char *)res.files[5].name.p, "other.json");
	/* no target asked: metadata only */
	ck_assert_ok(update1(&r, &st, NULL), &err);
	ck_assert_uint_eq(res.nfiles, 4);
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

START_TEST(update_plain_names)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	w.consistent = false;
	w.ts_hashes = w.snap_hashes = false;
	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	/* twin: with consistent snapshots the versioned names are needed */
	w.consistent = true;
	al_buf_free(&root);
	root = root_file(&w);
	st = state_root(&root);
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "1.snapshot.json: missing");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- root rotation */

/* root v2 and v3 with new keys: 1 -> 2 -> 3 */
START_TEST(root_rotation_chain)
{
	world w = world_default(), w2, w3;
	repo r = { 0 };
	al_buf root1, root2, root3;
	al_tuf_state st;
	const tkey *s2[] = { &K[0], &K[1], &K[2], &K[8], &K[1] };
	const tkey *s3[] = { &K[8], &K[1], &K[9], &K[0] };

	make(&r, &w, &root1);
	w2 = w;
	w2.root_v = 2;
	w2.root_keys[2] = &K[8];           /* K2 out, K8 in */
	w3 = w2;
	w3.root_v = 3;
	w3.root_keys[0] = &K[9];           /* K0 out, K9 in */
	root2 = envelope(root_signed(&w2), s2, 5, NULL);
	root3 = envelope(root_signed(&w3), s3, 4, NULL);
	repo_put(&r, "2.root.json", root2);
	repo_put(&r, "3.root.json", root3);
	st = state_root(&root1);
	ck_assert_ok(update1(&r, &st, "top.txt"), &err);
	ck_assert_int_eq(res.root_version, 3);
	ck_assert_int_eq(res.root_version_was, 1);
	ck_assert_mem_eq(res_file("root.json")->p, repo_get(&r, "3.root.json")->p, res_file("root.json")->n);

	/* twin: 3.root.json signed by the new keys only (K8, K9: one old key of v2) */
	{
		const tkey *bad[] = { &K[8], &K[9] };

		repo_put(&r, "3.root.json", envelope(root_signed(&w3), bad, 2, NULL));
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
		       "3.root.json: signed by 1 of the 3 keys of root version 2, threshold 2");
	}
	/* twin: signed by the old keys only, not by a threshold of its own */
	{
		const tkey *bad[] = { &K[0], &K[2], &K[1] };
		world wx = w2;

		wx.root_v = 3;
		wx.root_keys[0] = &K[9];
		wx.root_keys[1] = &K[7];
		repo_put(&r, "3.root.json", envelope(root_signed(&wx), bad, 3, NULL));
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "3.root.json: signed by 0 of the 3 keys of root version 3 (itself), threshold 2");
	}
	/* twin: 2.root.json below threshold of root 1 (one of its keys) */
	{
		const tkey *bad[] = { &K[0], &K[8], &K[9] };

		w2.root_keys[1] = &K[9];
		repo_put(&r, "2.root.json", envelope(root_signed(&w2), bad, 3, NULL));
		repo_del(&r, "3.root.json");
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
		       "2.root.json: signed by 1 of the 3 keys of root version 1, threshold 2");
	}
	/* twin: a version skipped (2.root.json says version 3) */
	{
		world wx = w;

		wx.root_v = 3;
		repo_put(&r, "2.root.json", envelope(root_signed(&wx), w.root_keys, 3, NULL));
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
		       "2.root.json: version 3, but root version 1 must be followed by 2 (a version was skipped)");
		/* and a rollback (version 1 again) */
		wx.root_v = 1;
		repo_put(&r, "2.root.json", envelope(root_signed(&wx), w.root_keys, 3, NULL));
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "(rollback)");
	}
	/* twin: a trusted root that does not sign itself */
	{
		al_buf bad = envelope(root_signed(&w), w.root_keys, 1, NULL);
		al_tuf_state b = state_root(&bad);

		EXPECT(update1(&r, &b, NULL), AL_E_TRUST_INVALID,
		       "root.json (trusted): signed by 1 of the 3 keys of root version 1 (itself), threshold 2");
		al_buf_free(&bad);
	}
	al_buf_free(&root1);
	repo_free(&r);
}
END_TEST

/* A rotated timestamp key drops the trusted timestamp (fast-forward
 * recovery): an attacker-inflated version no longer blocks updates. */
START_TEST(fast_forward_recovery)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root1;
	al_tuf_state st;
	saved sv;

	w.ts_v = 1000;                    /* a fast-forwarded timestamp */
	make(&r, &w, &root1);
	st = state_root(&root1);
	ck_assert_ok(update1(&r, &st, NULL), &err);
	sv = save_state();
	/* the repository recovers: new timestamp key, version back to 2 */
	w.ts_v = 2;
	w.root_v = 2;
	w.ts_key = &K[9];
	world_build(&r, &w);
	repo_put(&r, "2.root.json", root_file(&w));
	st = state_of(&sv);
	ck_assert_ok(update1(&r, &st, NULL), &err);
	ck_assert_int_eq(res.timestamp_version, 2);
	/* twin: without the rotation the old floor holds */
	repo_del(&r, "2.root.json");
	w.ts_key = &K[3];
	world_build(&r, &w);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE,
	       "timestamp.json: version 2 is older than the trusted version 1000 (rollback)");
	saved_free(&sv);
	al_buf_free(&root1);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- rollback of each role */

START_TEST(rollback_each_role)
{
	world w = world_default(), w1;
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	saved sv;

	w.ts_v = 5;
	w.snap_v = 5;
	w.targets_v = 5;
	w.deleg_v = 5;
	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	sv = save_state();
	st = state_of(&sv);
	/* the same repository again is fine (equal versions) */
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	/* a newer one too */
	w1 = w;
	w1.ts_v = w1.snap_v = w1.targets_v = w1.deleg_v = 6;
	world_build(&r, &w1);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);

	w1 = w;
	w1.ts_v = 3;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE,
	       "timestamp.json: version 3 is older than the trusted version 5 (rollback)");
	w1 = w;
	w1.ts_v = 6;
	w1.snap_v = 4;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE,
	       "timestamp.json: names snapshot.json version 4, older than the trusted timestamp's 5 (rollback)");
	w1 = w;
	w1.ts_v = w1.snap_v = 6;
	w1.targets_v = 4;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE,
	       "snapshot.json: targets.json version 4 is older than the trusted snapshot's 5 (rollback)");
	w1 = w;
	w1.ts_v = w1.snap_v = 6;
	w1.deleg_v = 2;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_STALE,
	       "snapshot.json: deleg.json version 2 is older than the trusted snapshot's 5 (rollback)");
	w1 = w;
	w1.ts_v = w1.snap_v = 6;
	w1.no_deleg_in_snap = true;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE,
	       "snapshot.json: deleg.json is listed by the trusted snapshot but not by the new one (rollback)");
	saved_free(&sv);
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- expiry */

START_TEST(expired_each_role)
{
	world w = world_default(), w1;
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	/* expires is exclusive: at that second it has expired */
	ck_assert_ok(update_at(&r, &st, NOW + 30 * DAY - 1, NULL, 0), &err);
	EXPECT(update_at(&r, &st, NOW + 30 * DAY, NULL, 0), AL_E_TRUST_STALE, "root.json (trusted): version 1 expired");

	w1 = w;
	w1.ts_exp = NOW - 1;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "timestamp.json: version 1 expired at");
	w1 = w;
	w1.snap_exp = NOW;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "1.snapshot.json: version 1 expired at");
	w1 = w;
	w1.targets_exp = NOW - DAY;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "1.targets.json: version 1 expired at");
	w1 = w;
	w1.deleg_exp = NOW - DAY;
	world_build(&r, &w1);
	ck_assert_ok(update1(&r, &st, "top.txt"), &err);    /* not visited: not judged */
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_STALE, "1.deleg.json: version 1 expired at");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* The final root must be fresh; an old trusted root rotated to a fresh
 * one is fine (freeze). */
START_TEST(freeze_final_root)
{
	world w = world_default(), w2;
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	w.root_exp = NOW - DAY;           /* the trusted root has expired */
	make(&r, &w, &root);
	st = state_root(&root);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "freeze attack");
	w2 = w;
	w2.root_v = 2;
	w2.root_exp = NOW + DAY;
	repo_put(&r, "2.root.json", root_file(&w2));
	ck_assert_ok(update1(&r, &st, "top.txt"), &err);
	/* twin: the newest root the repository offers has expired too */
	w2.root_exp = NOW - 1;
	repo_put(&r, "2.root.json", root_file(&w2));
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_STALE, "2.root.json: version 2 expired at");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- hashes and lengths */

static void
flip_last_brace(al_buf *b)
{
	/* one more byte after the document: same JSON, other hash and length */
	ck_assert_ok(al_buf_append(b, "\n", 1, &err), &err);
}

START_TEST(meta_hash_and_length)
{
	world w = world_default(), w1;
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	flip_last_brace(repo_get(&r, "1.snapshot.json"));
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
	       "1.snapshot.json: longer than the");
	world_build(&r, &w);
	flip_last_brace(repo_get(&r, "1.targets.json"));
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "1.targets.json: longer than the");
	world_build(&r, &w);
	flip_last_brace(repo_get(&r, "1.deleg.json"));
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "1.deleg.json: longer than the");
	/* same length, other bytes: the hash catches it */
	world_build(&r, &w);
	{
		al_buf *b = repo_get(&r, "1.targets.json");
		char *p = strstr((char *)b->p, "\"signed\"");

		ck_assert_ptr_nonnull(p);
		p[-1] = p[-1] == ' ' ? '\t' : ' ';
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "1.targets.json: sha256 digest differs from the metadata (hash mismatch)");
	}
	/* without hashes in the meta, the signature is what protects */
	w1 = w;
	w1.ts_hashes = w1.snap_hashes = false;
	world_build(&r, &w1);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* snapshot says targets v2, the repository serves the v1 file under v2's
 * name (mix and match) */
START_TEST(mix_and_match)
{
	world w = world_default(), w1;
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	w.snap_hashes = false;
	make(&r, &w, &root);
	st = state_root(&root);
	w1 = w;
	w1.targets_in_snap = 2;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
	       "2.targets.json: version 1, but snapshot.json names version 2");
	w1 = w;
	w1.snap_in_ts = 3;
	w1.ts_hashes = false;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
	       "3.snapshot.json: version 1, but timestamp.json names version 3");
	w1 = w;
	w1.deleg_in_snap = 4;
	world_build(&r, &w1);
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID,
	       "4.deleg.json: version 1, but snapshot.json names version 4");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

START_TEST(oversized_metadata)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root, big = { 0 };
	al_tuf_state st;

	w.ts_hashes = w.snap_hashes = false;
	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(al_buf_append(&big, repo_get(&r, "timestamp.json")->p, repo_get(&r, "timestamp.json")->n, &err), &err);
	while (big.n <= AL_MAX_TUF_TIMESTAMP)
		ck_assert_ok(al_buf_append(&big, "        ", 8, &err), &err);
	repo_put(&r, "timestamp.json", big);
	EXPECT(update1(&r, &st, NULL), AL_E_LIMIT, "timestamp.json: larger than airlock's bound");
	world_build(&r, &w);
	{
		al_buf b = { 0 };

		ck_assert_ok(al_buf_append(&b, repo_get(&r, "1.snapshot.json")->p, repo_get(&r, "1.snapshot.json")->n, &err), &err);
		while (b.n <= AL_MAX_TUF_SNAPSHOT)
			ck_assert_ok(al_buf_append(&b, "                                ", 32, &err), &err);
		repo_put(&r, "1.snapshot.json", b);
		EXPECT(update1(&r, &st, NULL), AL_E_LIMIT, "1.snapshot.json: larger than airlock's bound");
	}
	{
		al_buf b = { 0 };

		ck_assert_ok(al_buf_append(&b, root.p, root.n, &err), &err);
		while (b.n <= AL_MAX_TUF_ROOT)
			ck_assert_ok(al_buf_append(&b, "                                ", 32, &err), &err);
		repo_put(&r, "2.root.json", b);
		EXPECT(update1(&r, &st, NULL), AL_E_LIMIT, "2.root.json: larger than airlock's bound");
	}
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- delegations */

START_TEST(delegation_paths_and_terminating)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;

	make(&r, &w, &root);
	st = state_root(&root);
	/* d/other.txt: deleg (d/STAR) does not list it, other (d/STAR) does */
	ck_assert_ok(update1(&r, &st, "d/other.txt"), &err);
	ck_assert_uint_eq(res.nfiles, 6);
	/* path escape: deleg lists x/evil.txt, but is trusted for d/STAR only */
	EXPECT(update1(&r, &st, "x/evil.txt"), AL_E_TRUST_INVALID,
	       "target \"x/evil.txt\": not listed by targets.json or by any role delegated the path");
	/* STAR does not cross '/': e/sub/deep.txt is not under d/STAR nor e/STAR */
	EXPECT(update1(&r, &st, "e/sub/deep.txt"), AL_E_TRUST_INVALID, "not listed by targets.json");
	/* roles are loaded only when the walk reaches them: a broken "other"
	 * does not matter for d/file.txt, found in deleg first */
	{
		al_buf junk = { 0 };

		ck_assert_ok(al_buf_dup(&junk, al_bytes_str("not metadata"), &err), &err);
		repo_put(&r, "1.other.json", junk);
		ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
		ck_assert_uint_eq(res.nfiles, 5);
		EXPECT(update1(&r, &st, "d/other.txt"), AL_E_TRUST_INVALID, "1.other.json: not JSON");
	}
	/* terminating deleg: the search stops after it */
	w.terminating = true;
	world_build(&r, &w);
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	EXPECT(update1(&r, &st, "d/other.txt"), AL_E_TRUST_INVALID,
	       "target \"d/other.txt\": not listed by targets.json");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

START_TEST(delegation_signed_by_wrong_key)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	const tkey *bad[] = { &K[7] };
	cJSON *dl = cJSON_CreateObject(), *t;

	make(&r, &w, &root);
	st = state_root(&root);
	add_common(dl, "targets", 1, NOW + DAY);
	t = cJSON_AddObjectToObject(dl, "targets");
	add_target(&r, &w, t, "d/file.txt", "forged\n");
	w.snap_hashes = false;
	world_build(&r, &w);
	/* deleg.json signed by other's key */
	repo_put(&r, "1.deleg.json", envelope(dl, bad, 1, NULL));
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID,
	       "1.deleg.json: signed by 0 of the 1 keys of delegated role \"deleg\" of 1.targets.json, threshold 1");
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- target files */

START_TEST(target_hash_length_and_names)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	char name[256];
	al_buf data = { 0 };

	make(&r, &w, &root);
	st = state_root(&root);
	ck_assert_ok(al_buf_dup(&data, al_bytes_str(w.content), &err), &err);
	target_name(&w, "d/file.txt", &data, name, sizeof(name));
	/* one byte changed, same length */
	repo_get(&r, name)->p[0] ^= 1;
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "digest differs from the metadata (hash mismatch)");
	repo_get(&r, name)->p[0] ^= 1;
	ck_assert_ok(update1(&r, &st, "d/file.txt"), &err);
	/* one byte more, one byte less */
	ck_assert_ok(al_buf_append(repo_get(&r, name), "x", 1, &err), &err);
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "(length mismatch)");
	repo_get(&r, name)->n -= 2;
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "bytes, but the metadata says");
	repo_del(&r, name);
	EXPECT(update1(&r, &st, "d/file.txt"), AL_E_TRUST_INVALID, "missing from the repository");
	/* names that could escape */
	EXPECT(update1(&r, &st, "../etc/passwd"), AL_E_USAGE, "not a safe relative path");
	EXPECT(update1(&r, &st, "/etc/passwd"), AL_E_USAGE, "not a safe relative path");
	EXPECT(update1(&r, &st, "d//file.txt"), AL_E_USAGE, "not a safe relative path");
	/* and a targets file that lists one is invalid */
	{
		const tkey *tg[] = { &K[5] };
		cJSON *tgs = cJSON_CreateObject(), *t;
		al_buf f;

		add_common(tgs, "targets", 1, NOW + DAY);
		t = cJSON_AddObjectToObject(tgs, "targets");
		cJSON_AddItemToObject(t, "d/../../escape.txt", fileinfo(0, &data));
		w.snap_hashes = false;
		world_build(&r, &w);
		f = envelope(tgs, tg, 1, NULL);
		repo_put(&r, "1.targets.json", f);
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID,
		       "1.targets.json: signed.targets.d/../../escape.txt: not a safe relative target path");
	}
	al_buf_free(&data);
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- signatures */

/* One key counted once: signing twice, or listed under a second keyid. */
START_TEST(duplicate_signatures_counted_once)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root, dup;
	al_tuf_state st;
	const tkey *twice[] = { &K[0], &K[0], &K[0] };
	const tkey *ok[] = { &K[0], &K[1] };

	make(&r, &w, &root);
	dup = envelope(root_signed(&w), twice, 3, NULL);
	st = state_root(&dup);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "signed by 1 of the 3 keys of root version 1 (itself), threshold 2");
	al_buf_free(&dup);
	/* K0 also listed under a second keyid in the root role: still one key */
	{
		cJSON *s = root_signed(&w);
		cJSON *keys = cJSON_GetObjectItem(s, "keys");
		cJSON *ids = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "roles"), "root"), "keyids");
		const char *sigid[] = { K[0].id, "alias-of-k0" };
		const tkey *k00[] = { &K[0], &K[0] };

		cJSON_AddItemToObject(keys, "alias-of-k0", key_json(&K[0]));
		cJSON_AddItemToArray(ids, cJSON_CreateString("alias-of-k0"));
		dup = envelope(s, k00, 2, sigid);
		st = state_root(&dup);
		EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "signed by 1 of the 4 keys of root version 1 (itself), threshold 2");
		al_buf_free(&dup);
	}
	/* twin: two distinct keys meet the threshold */
	dup = envelope(root_signed(&w), ok, 2, NULL);
	st = state_root(&dup);
	ck_assert_ok(update1(&r, &st, NULL), &err);
	al_buf_free(&dup);
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

/* A key of an unknown type is ignored: it counts toward nothing, and does
 * not make the file invalid. A signature by it does not count. */
START_TEST(unknown_key_type_ignored)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	cJSON *s = root_signed(&w), *k;
	const tkey *two[] = { &K[0], &K[1] };
	const tkey *one_plus[] = { &K[0], &K[2] };
	const char *sigid[] = { NULL, "sphincs-key" };

	k = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "keys"), K[1].id);
	cJSON_ReplaceItemInObject(k, "keytype", cJSON_CreateString("sphincs"));
	cJSON_ReplaceItemInObject(k, "scheme", cJSON_CreateString("sphincs-shake-256"));
	make(&r, &w, &root);
	al_buf_free(&root);
	root = envelope(s, two, 2, NULL);
	st = state_root(&root);
	EXPECT(update1(&r, &st, NULL), AL_E_TRUST_INVALID, "signed by 1 of the 3 keys of root version 1 (itself), threshold 2");
	al_buf_free(&root);
	/* twin: the two usable keys sign; the unknown one is just carried */
	s = root_signed(&w);
	k = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "keys"), K[1].id);
	cJSON_ReplaceItemInObject(k, "keytype", cJSON_CreateString("sphincs"));
	root = envelope(s, one_plus, 2, NULL);
	st = state_root(&root);
	ck_assert_ok(update1(&r, &st, "top.txt"), &err);
	(void)sigid;
	al_buf_free(&root);
	repo_free(&r);
}
END_TEST

START_TEST(malformed_metadata)
{
	static const char *const bad[][2] = {
		{ "[]", "not a JSON object" },
		{ "{\"signed\":{}}", "signatures" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"mirror\"}}", "signed._type: \"mirror\"" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"2.0\"}}", "airlock reads TUF 1.x" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":\"3\","
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}", "signed.version: not an integer" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":0,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}", "signed.version: not an integer of at least 1" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}", "no entry for snapshot.json" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01\",\"meta\":{}}}", "signed.expires" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{\"targets.json\":{\"version\":1,\"hashes\":{\"sha256\":\"AB\"}}}}}",
		  "not lowercase hex" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{\"targets.json\":{\"version\":1,\"hashes\":{\"sha256\":\"ab\"}}}}}",
		  "not a sha256 digest" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"root\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"keys\":{},\"roles\":{\"root\":{\"keyids\":[\"x\"],\"threshold\":1}}}}",
		  "key \"x\" is not in keys" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{},\"delegations\":{\"keys\":{},\"roles\":["
		  "{\"name\":\"../x\",\"keyids\":[],\"threshold\":1,\"terminating\":false,\"paths\":[]}]}}}",
		  "is not a role name airlock accepts" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{},\"delegations\":{\"keys\":{},\"roles\":["
		  "{\"name\":\"a\",\"keyids\":[],\"threshold\":1,\"terminating\":false,\"succinct_roles\":{}}]}}}",
		  "succinct_roles is not supported" },
		{ "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0\",\"version\":1,"
		  "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{\"a\":{\"length\":1.5,\"hashes\":{\"sha256\":\"00\"}}}}}",
		  "length: not an integer" },
	};
	al_tuf_info info;

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		al_err_clear(&err);
		ck_assert_msg(al_tuf_inspect(al_bytes_str(bad[i][0]), &info, &err) != AL_OK, "case %zu accepted", i);
		ck_assert_msg(err.code == AL_E_TRUST_INVALID, "case %zu: %s", i, err.msg);
		ck_assert_err_has(&err, bad[i][1]);
	}
	ck_assert_ok(al_tuf_inspect(al_bytes_str(
		"{\"signatures\":[{\"keyid\":\"k\",\"sig\":\"\"}],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0\","
		"\"version\":7,\"expires\":\"2030-01-01T00:00:00Z\",\"new\":[1,{}],\"meta\":{\"snapshot.json\":{\"version\":3}}}}"),
		&info, &err), &err);
	ck_assert_str_eq(info.type, "timestamp");
	ck_assert_int_eq(info.version, 7);
	ck_assert_uint_eq(info.nsignatures, 1);
}
END_TEST

/* ---------------------------------------------------------------- a folder, and installing */

static void
write_tree(const char *dir, const repo *r)
{
	for (size_t i = 0; i < r->n; i++) {
		char path[1024], *slash;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, r->name[i]);
		for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			mkdir(path, 0755);
			*slash = '/';
		}
		ck_assert_ptr_nonnull(f = fopen(path, "wb"));
		ck_assert_uint_eq(fwrite(r->data[i].p, 1, r->data[i].n, f), r->data[i].n);
		fclose(f);
	}
}

START_TEST(folder_update_and_install)
{
	world w = world_default();
	repo r = { 0 };
	al_buf root;
	al_tuf_state st;
	char top[] = "/tmp/al-tuf-XXXXXX", repodir[64], state[64], path[512];
	al_tuf_reader rd = { al_tuf_dir_read, repodir };
	const char *t[] = { "d/file.txt" };
	saved sv;

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(repodir, sizeof(repodir), "%s/repo", top);
	snprintf(state, sizeof(state), "%s/state", top);
	ck_assert_int_eq(mkdir(repodir, 0755), 0);
	ck_assert_int_eq(mkdir(state, 0755), 0);
	make(&r, &w, &root);
	write_tree(repodir, &r);
	st = state_root(&root);
	al_err_clear(&err);
	ck_assert_ok(al_tuf_update(&rd, &st, NOW, t, 1, &res, &err), &err);
	ck_assert_ok(al_tuf_install(state, res.files, res.nfiles, &err), &err);
	/* what was installed reads back as the trusted state of the next update */
	{
		al_buf a = al_test_read((snprintf(path, sizeof(path), "%s/root.json", state), path));
		al_buf b = al_test_read((snprintf(path, sizeof(path), "%s/timestamp.json", state), path));
		al_buf c = al_test_read((snprintf(path, sizeof(path), "%s/snapshot.json", state), path));
		al_buf d = al_test_read((snprintf(path, sizeof(path), "%s/targets.json", state), path));

		sv = (saved){ a, b, c, d };
		ck_assert_mem_eq(a.p, root.p, root.n);
		ck_assert_int_eq(access((snprintf(path, sizeof(path), "%s/deleg.json", state), path), F_OK), 0);
		ck_assert_int_ne(access((snprintf(path, sizeof(path), "%s/.root.json.airlock-tmp", state), path), F_OK), 0);
	}
	st = state_of(&sv);
	al_tuf_result_free(&res);
	ck_assert_ok(al_tuf_update(&rd, &st, NOW, t, 1, &res, &err), &err);
	/* twin: a symbolic link in the repository is not followed */
	{
		char name[256];
		al_buf data = { 0 };

		ck_assert_ok(al_buf_dup(&data, al_bytes_str(w.content), &err), &err);
		target_name(&w, "d/file.txt", &data, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s", repodir, name);
		ck_assert_int_eq(unlink(path), 0);
		ck_assert_int_eq(symlink("/etc/hostname", path), 0);
		al_tuf_result_free(&res);
		EXPECT(al_tuf_update(&rd, &st, NOW, t, 1, &res, &err), AL_E_IO, "a symbolic link");
		al_buf_free(&data);
	}
	/* twin: an install into a folder that is not there changes nothing */
	snprintf(path, sizeof(path), "%s/absent", top);
	EXPECT(al_tuf_install(path, sv.root.p ? res.files : NULL, 0, &err), AL_E_IO, "cannot open the state folder");
	{
		al_tuf_file f[2] = { { { 0 }, { 0 } }, { { 0 }, { 0 } } };

		ck_assert_ok(al_buf_dup(&f[0].name, al_bytes_str("root.json"), &err), &err);
		ck_assert_ok(al_buf_dup(&f[0].bytes, al_bytes_str("new"), &err), &err);
		ck_assert_ok(al_buf_dup(&f[1].name, al_bytes_str("../escape.json"), &err), &err);
		EXPECT(al_tuf_install(state, f, 2, &err), AL_E_INTERNAL, "no plain name");
		{
			al_buf a = al_test_read((snprintf(path, sizeof(path), "%s/root.json", state), path));

			ck_assert_mem_eq(a.p, root.p, root.n);
			al_buf_free(&a);
		}
		for (int i = 0; i < 2; i++) {
			al_buf_free(&f[i].name);
			al_buf_free(&f[i].bytes);
		}
	}
	saved_free(&sv);
	al_buf_free(&root);
	repo_free(&r);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

/* ---------------------------------------------------------------- real Sigstore roots */

/* ../shared/vectors/<dir>/metadata: root_history/2..last as a repository,
 * with its timestamp.json when ts; the trusted state is 1.root.json. */
static bool
real_repo(const char *dir, int last, bool ts, repo *r, al_buf *root1)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "vectors/%s/metadata/root_history/1.root.json", dir);
	if (!al_test_shared_has(rel))
		return false;
	*root1 = al_test_read(al_test_shared_path(rel));
	for (int v = 2; v <= last; v++) {
		char name[32];

		snprintf(rel, sizeof(rel), "vectors/%s/metadata/root_history/%d.root.json", dir, v);
		snprintf(name, sizeof(name), "%d.root.json", v);
		repo_put(r, name, al_test_read(al_test_shared_path(rel)));
	}
	if (ts) {
		snprintf(rel, sizeof(rel), "vectors/%s/metadata/timestamp.json", dir);
		repo_put(r, "timestamp.json", al_test_read(al_test_shared_path(rel)));
	}
	return true;
}

static int64_t
at(const char *t)
{
	return al_test_rfc3339(al_bytes_str(t));
}

START_TEST(sigstore_root_chain)
{
	static const struct {
		const char *dir;
		int last;
		const char *ok_at, *expired_at, *expired_msg, *stop_msg;
	} c[] = {
		{ "sigstore__root-signing", 15, "2026-08-01T00:00:00Z", "2026-12-02T00:00:00Z",
		  "15.root.json: version 15 expired at 2026-11-20T13:58:18Z",
		  "165.snapshot.json: missing from the repository" },
		{ "sigstore__root-signing-staging", 14, "2026-08-01T00:00:00Z", "2026-10-17T00:00:00Z",
		  "14.root.json: version 14 expired at 2026-10-16T19:39:43Z",
		  "25.snapshot.json: missing from the repository" },
	};

	if (al_test_shared("test_tuf") == NULL)
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(c); i++) {
		repo r = { 0 };
		al_buf root1;
		al_tuf_state st;

		if (!real_repo(c[i].dir, c[i].last, true, &r, &root1))
			continue;
		st = state_root(&root1);
		/* every rotation verifies, and the timestamp under the last root:
		 * the repository ends there (its snapshot is not shipped) */
		EXPECT(update_at(&r, &st, at(c[i].ok_at), NULL, 0), AL_E_TRUST_INVALID, c[i].stop_msg);
		/* the chain ends at the last root: after its expiry, a freeze */
		EXPECT(update_at(&r, &st, at(c[i].expired_at), NULL, 0), AL_E_TRUST_STALE, c[i].expired_msg);
		/* without the timestamp: the timestamp step is what fails */
		repo_del(&r, "timestamp.json");
		EXPECT(update_at(&r, &st, at(c[i].ok_at), NULL, 0), AL_E_TRUST_INVALID,
		       "timestamp.json: missing from the repository");
		repo_free(&r);
		al_buf_free(&root1);
	}
}
END_TEST

/* The embedded TUF root (docs/trust.md §3) is the next version of the real
 * production chain: signed by root 15's threshold and its own, and current
 * after root 15 expired. */
START_TEST(embedded_root_continues_the_chain)
{
	const al_trust_embedded *e = al_trust_embedded_get();
	repo r = { 0 };
	al_buf root1, emb = { 0 };
	al_tuf_state st;
	char name[32];

	if (al_test_shared("test_tuf") == NULL)
		return;
	if (!real_repo("sigstore__root-signing", 15, false, &r, &root1))
		return;
	ck_assert_uint_eq(e->tuf_root_version, 16);
	ck_assert_int_eq(al_buf_dup(&emb, e->tuf_root, &err), AL_OK);
	snprintf(name, sizeof(name), "%u.root.json", e->tuf_root_version);
	repo_put(&r, name, emb);
	st = state_root(&root1);
	/* past root 15's expiry the chain reaches 16, which is current: the
	 * update stops only at the timestamp step, which the vectors lack */
	EXPECT(update_at(&r, &st, at("2026-12-02T00:00:00Z"), NULL, 0), AL_E_TRUST_INVALID,
	       "timestamp.json: missing from the repository");
	repo_free(&r);
	al_buf_free(&root1);
}
END_TEST

/* The fewest signatures of N.root.json that still verify; then one byte of
 * one of them changed, and one of them dropped, must each be refused. */
static void
tamper_twins(const char *dir, int last, int v)
{
	repo r = { 0 };
	al_buf root1;
	al_tuf_state st;
	char name[32];
	cJSON *doc, *sigs;
	char *txt;
	int64_t t = at("2026-08-01T00:00:00Z");

	if (!real_repo(dir, last, true, &r, &root1))
		return;
	st = state_root(&root1);
	snprintf(name, sizeof(name), "%d.root.json", v);
	doc = cJSON_Parse((const char *)repo_get(&r, name)->p);
	sigs = cJSON_GetObjectItem(doc, "signatures");
	for (int i = cJSON_GetArraySize(sigs) - 1; i >= 0; i--) {
		cJSON *gone = cJSON_DetachItemFromArray(sigs, i);

		txt = cJSON_Print(doc);
		ck_assert_ok(al_buf_dup(repo_get(&r, name), al_bytes_str(txt), &err), &err);
		free(txt);
		update_at(&r, &st, t, NULL, 0);
		if (strstr(err.msg, "snapshot.json: missing") == NULL)
			cJSON_InsertItemInArray(sigs, i, gone);   /* needed: put it back */
		else
			cJSON_Delete(gone);
	}
	/* the minimal set verifies */
	txt = cJSON_Print(doc);
	ck_assert_ok(al_buf_dup(repo_get(&r, name), al_bytes_str(txt), &err), &err);
	free(txt);
	EXPECT(update_at(&r, &st, t, NULL, 0), AL_E_TRUST_INVALID, "snapshot.json: missing");
	/* one byte of one signature */
	{
		cJSON *s0 = cJSON_GetObjectItem(cJSON_GetArrayItem(sigs, 0), "sig");
		char *hex = strdup(s0->valuestring);

		hex[20] = hex[20] == '0' ? '1' : '0';
		cJSON_SetValuestring(s0, hex);
		txt = cJSON_Print(doc);
		ck_assert_ok(al_buf_dup(repo_get(&r, name), al_bytes_str(txt), &err), &err);
		free(txt);
		snprintf(name, sizeof(name), "%d.root.json: signed by", v);
		EXPECT(update_at(&r, &st, t, NULL, 0), AL_E_TRUST_INVALID, name);
		hex[20] = hex[20] == '0' ? '1' : '0';
		cJSON_SetValuestring(s0, hex);
		free(hex);
	}
	/* one signature fewer than the minimum */
	snprintf(name, sizeof(name), "%d.root.json", v);
	cJSON_DeleteItemFromArray(sigs, cJSON_GetArraySize(sigs) - 1);
	txt = cJSON_Print(doc);
	ck_assert_ok(al_buf_dup(repo_get(&r, name), al_bytes_str(txt), &err), &err);
	free(txt);
	snprintf(name, sizeof(name), "%d.root.json: signed by", v);
	EXPECT(update_at(&r, &st, t, NULL, 0), AL_E_TRUST_INVALID, name);
	cJSON_Delete(doc);
	repo_free(&r);
	al_buf_free(&root1);
}

START_TEST(sigstore_root_tamper_twins)
{
	if (al_test_shared("test_tuf") == NULL)
		return;
	/* hex keys (v2), the switch to PEM keys (v5), keytype "ecdsa" and keys
	 * under new keyids (v10), the last (v15) */
	tamper_twins("sigstore__root-signing", 15, 2);
	tamper_twins("sigstore__root-signing", 15, 5);
	tamper_twins("sigstore__root-signing", 15, 10);
	tamper_twins("sigstore__root-signing", 15, 15);
	tamper_twins("sigstore__root-signing-staging", 14, 9);
}
END_TEST

/* Roots embedded by Sigstore clients verify themselves (the repository is
 * then empty, so the timestamp step is the first to fail). */
START_TEST(sigstore_embedded_roots)
{
	static const char *const roots[] = {
		"vectors/sigstore__root-signing/metadata/root.json",
		"vectors/sigstore__root-signing-staging/metadata/root.json",
		"vectors/sigstore__sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/root.json",
		"vectors/sigstore__sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/root.json",
		"vectors/sigstore__sigstore-go/pkg/tuf/repository/root.json",
		"vectors/sigstore__sigstore-go/pkg/tuf/repository/staging_root.json",
		"vectors/cli__cli/pkg/cmd/attestation/verification/embed/tuf-repo.github.com/root.json",
	};
	size_t n = 0;

	if (al_test_shared("test_tuf") == NULL)
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(roots); i++) {
		repo r = { 0 };
		al_buf b;
		al_tuf_state st;
		al_tuf_info info;

		if (!al_test_shared_has(roots[i]))
			continue;
		b = al_test_read(al_test_shared_path(roots[i]));
		ck_assert_ok(al_tuf_inspect(al_buf_bytes(&b), &info, &err), &err);
		st = state_root(&b);
		EXPECT(update_at(&r, &st, info.expires - 1, NULL, 0), AL_E_TRUST_INVALID,
		       "timestamp.json: missing from the repository");
		al_buf_free(&b);
		n++;
	}
	ck_assert_uint_ge(n, 5);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tuf");
	TCase *tc = tcase_create("tuf");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, keys_setup, keys_teardown);
	tcase_add_test(tc, canonical_json);
	tcase_add_test(tc, update_fresh_consistent);
	tcase_add_test(tc, update_plain_names);
	tcase_add_test(tc, root_rotation_chain);
	tcase_add_test(tc, fast_forward_recovery);
	tcase_add_test(tc, rollback_each_role);
	tcase_add_test(tc, expired_each_role);
	tcase_add_test(tc, freeze_final_root);
	tcase_add_test(tc, meta_hash_and_length);
	tcase_add_test(tc, mix_and_match);
	tcase_add_test(tc, oversized_metadata);
	tcase_add_test(tc, delegation_paths_and_terminating);
	tcase_add_test(tc, delegation_signed_by_wrong_key);
	tcase_add_test(tc, target_hash_length_and_names);
	tcase_add_test(tc, duplicate_signatures_counted_once);
	tcase_add_test(tc, unknown_key_type_ignored);
	tcase_add_test(tc, malformed_metadata);
	tcase_add_test(tc, folder_update_and_install);
	tcase_add_test(tc, sigstore_root_chain);
	tcase_add_test(tc, embedded_root_continues_the_chain);
	tcase_add_test(tc, sigstore_root_tamper_twins);
	tcase_add_test(tc, sigstore_embedded_roots);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int rc = al_test_run(suite());

	al_tuf_result_free(&res);
	return rc;
}
