/*
 * test_tlog.c — checkpoints, SETs and Rekor entry bodies, on real log data.
 *
 * Real entries come from the sigstore-conformance bundles (read in place),
 * verified with the log keys of the trusted roots next to them or of the
 * public-good root (sigstore__root-signing). Case names follow the log-entry
 * checks of docs/verification.md §3.3. Every accepting case has a tampered twin
 * that must be rejected with the right error code. Synthetic tests (SET
 * payload, note parsing, rebuilt bodies) run without ../shared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/tlog.h"
#include "util/testutil.h"

static al_err err;

#define CONF "vectors/sigstore__sigstore-conformance/test/assets/bundle-verify/"
#define PROD_ROOT "vectors/sigstore__root-signing/targets/trusted_root.json"

/* ================================================================ fixtures */

/* One tlog entry of a bundle, plus what the bundle says about the signature. */
typedef struct entry {
	al_buf file;
	al_json *doc;
	/* tlog entry */
	al_buf body;
	al_bytes kind, version;
	int64_t log_index, integrated_time;
	al_buf log_id, set;
	bool has_proof;
	int64_t p_index, p_size;
	al_buf p_root;
	size_t nh;
	al_buf hashes[AL_MAX_PROOF_HASHES];
	al_bytes envelope;
	/* bundle content */
	al_buf sig, cert, digest, payload;
	al_bytes payload_type;
	al_hash digest_alg;
} entry;

static al_buf
b64_member(const al_json *o, const char *key)
{
	al_buf out = { 0 };

	ck_assert_msg(al_json_get_b64(o, "", key, false, &out, &err) == AL_OK, "%s: %s", key, err.msg);
	return out;
}

static void
entry_load_file(entry *e, const char *path)
{
	const al_json *vm, *tl, *t, *kv, *ip, *cp, *arr, *ms, *env;
	bool present;

	memset(e, 0, sizeof(*e));
	e->file = al_test_read(path);
	ck_assert_msg(al_json_parse(al_buf_bytes(&e->file), &e->doc, &err) == AL_OK, "%s: %s", path, err.msg);
	ck_assert_ok(al_json_get_obj(e->doc, "", "verificationMaterial", true, &vm, &err), &err);
	ck_assert_ok(al_json_get_arr(vm, "", "tlogEntries", true, &tl, &err), &err);
	t = al_json_arr_at(tl, 0);
	ck_assert_ptr_nonnull(t);
	e->body = b64_member(t, "canonicalizedBody");
	ck_assert_ok(al_json_get_obj(t, "", "kindVersion", true, &kv, &err), &err);
	ck_assert_ok(al_json_get_str(kv, "", "kind", true, &e->kind, &err), &err);
	ck_assert_ok(al_json_get_str(kv, "", "version", true, &e->version, &err), &err);
	ck_assert_ok(al_json_get_i64(t, "", "logIndex", true, &e->log_index, &present, &err), &err);
	ck_assert_ok(al_json_get_i64(t, "", "integratedTime", false, &e->integrated_time, &present, &err), &err);
	{
		const al_json *lid, *prom;

		ck_assert_ok(al_json_get_obj(t, "", "logId", true, &lid, &err), &err);
		e->log_id = b64_member(lid, "keyId");
		ck_assert_ok(al_json_get_obj(t, "", "inclusionPromise", false, &prom, &err), &err);
		if (prom)
			e->set = b64_member(prom, "signedEntryTimestamp");
	}
	ck_assert_ok(al_json_get_obj(t, "", "inclusionProof", false, &ip, &err), &err);
	if (ip) {
		e->has_proof = true;
		ck_assert_ok(al_json_get_i64(ip, "", "logIndex", true, &e->p_index, &present, &err), &err);
		ck_assert_ok(al_json_get_i64(ip, "", "treeSize", true, &e->p_size, &present, &err), &err);
		e->p_root = b64_member(ip, "rootHash");
		ck_assert_ok(al_json_get_arr(ip, "", "hashes", true, &arr, &err), &err);
		e->nh = al_json_arr_len(arr);
		ck_assert_uint_le(e->nh, AL_MAX_PROOF_HASHES);
		for (size_t i = 0; i < e->nh; i++)
			ck_assert_ok(al_b64_decode(al_json_str_bytes(al_json_arr_at(arr, i)), false, &e->hashes[i], &err),
				     &err);
		ck_assert_ok(al_json_get_obj(ip, "", "checkpoint", false, &cp, &err), &err);
		if (cp)
			ck_assert_ok(al_json_get_str(cp, "", "envelope", true, &e->envelope, &err), &err);
	}
	/* the signature side */
	{
		const al_json *c, *chain;

		ck_assert_ok(al_json_get_obj(vm, "", "certificate", false, &c, &err), &err);
		if (c)
			e->cert = b64_member(c, "rawBytes");
		ck_assert_ok(al_json_get_obj(vm, "", "x509CertificateChain", false, &chain, &err), &err);
		if (chain) {
			const al_json *certs;

			ck_assert_ok(al_json_get_arr(chain, "", "certificates", true, &certs, &err), &err);
			if (al_json_arr_len(certs) > 0)
				e->cert = b64_member(al_json_arr_at(certs, 0), "rawBytes");
		}
	}
	ck_assert_ok(al_json_get_obj(e->doc, "", "messageSignature", false, &ms, &err), &err);
	if (ms) {
		const al_json *md;
		al_bytes alg;

		e->sig = b64_member(ms, "signature");
		ck_assert_ok(al_json_get_obj(ms, "", "messageDigest", true, &md, &err), &err);
		e->digest = b64_member(md, "digest");
		ck_assert_ok(al_json_get_str(md, "", "algorithm", true, &alg, &err), &err);
		e->digest_alg = al_pb_hash_by_name(alg) ? al_pb_hash_by_name(alg)->hash : AL_HASH_NONE;
	}
	ck_assert_ok(al_json_get_obj(e->doc, "", "dsseEnvelope", false, &env, &err), &err);
	if (env) {
		const al_json *sigs;

		e->payload = b64_member(env, "payload");
		ck_assert_ok(al_json_get_str(env, "", "payloadType", true, &e->payload_type, &err), &err);
		ck_assert_ok(al_json_get_arr(env, "", "signatures", true, &sigs, &err), &err);
		e->sig = b64_member(al_json_arr_at(sigs, 0), "sig");
	}
}

static void
entry_load(entry *e, const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), CONF "%s/bundle.sigstore.json", name);
	entry_load_file(e, al_test_shared_path(rel));
}

static void
entry_free(entry *e)
{
	al_buf_free(&e->body);
	al_buf_free(&e->log_id);
	al_buf_free(&e->set);
	al_buf_free(&e->p_root);
	for (size_t i = 0; i < e->nh; i++)
		al_buf_free(&e->hashes[i]);
	al_buf_free(&e->sig);
	al_buf_free(&e->cert);
	al_buf_free(&e->digest);
	al_buf_free(&e->payload);
	al_json_free(e->doc);
	al_buf_free(&e->file);
	memset(e, 0, sizeof(*e));
}

/* A log from a trusted root, read minimally (the real parser is trust-roots/). */
typedef struct tlog {
	al_pubkey key;
	char host[256];
	al_buf log_id;
} tlog;

static bool
tlog_load(tlog *l, const char *root_path, al_bytes log_id)
{
	al_buf doc = al_test_read(root_path);
	al_json *j;
	const al_json *tlogs;
	bool found = false;

	memset(l, 0, sizeof(*l));
	al_pubkey_init(&l->key);
	ck_assert_ok(al_json_parse(al_buf_bytes(&doc), &j, &err), &err);
	ck_assert_ok(al_json_get_arr(j, "", "tlogs", true, &tlogs, &err), &err);
	for (size_t i = 0; i < al_json_arr_len(tlogs) && !found; i++) {
		const al_json *t = al_json_arr_at(tlogs, i), *lid, *pk;
		al_buf id, raw;
		al_bytes url, kd;

		ck_assert_ok(al_json_get_obj(t, "", "logId", true, &lid, &err), &err);
		id = b64_member(lid, "keyId");
		if (al_bytes_eq(al_buf_bytes(&id), log_id)) {
			const char *u, *h;
			size_t n = 0;

			found = true;
			ck_assert_ok(al_json_get_obj(t, "", "publicKey", true, &pk, &err), &err);
			raw = b64_member(pk, "rawBytes");
			ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&raw), &l->key, &err), &err);
			ck_assert_ok(al_json_get_str(pk, "", "keyDetails", true, &kd, &err), &err);
			if (al_bytes_eq_str(kd, "PKIX_ECDSA_P256_SHA_256"))
				ck_assert_ok(al_pubkey_set_scheme(&l->key, AL_KEY_ECDSA_P256, AL_HASH_SHA256, &err), &err);
			al_buf_free(&raw);
			ck_assert_ok(al_json_get_str(t, "", "baseUrl", true, &url, &err), &err);
			/* hostname of baseUrl, as Go's url.Hostname(): no scheme, port or path */
			u = (const char *)url.p;
			h = strstr(u, "://");
			h = h ? h + 3 : u;
			while (h[n] && h[n] != '/' && h[n] != ':' && n + 1 < sizeof(l->host))
				n++;
			memcpy(l->host, h, n);
			l->host[n] = '\0';
			ck_assert_ok(al_buf_dup(&l->log_id, al_buf_bytes(&id), &err), &err);
		}
		al_buf_free(&id);
	}
	al_json_free(j);
	al_buf_free(&doc);
	return found;
}

static void
tlog_free(tlog *l)
{
	al_pubkey_free(&l->key);
	al_buf_free(&l->log_id);
}

static const char *
root_of(const char *name, bool own_root)
{
	static char rel[512];

	if (!own_root)
		return al_test_shared_path(PROD_ROOT);
	snprintf(rel, sizeof(rel), CONF "%s/trusted_root.json", name);
	return al_test_shared_path(rel);
}

/* ================================================================ entry checks */

static al_rc
check_proof(const entry *e, al_bytes leaf_bytes, al_err *er)
{
	uint8_t leaf[AL_TLOG_HASH_LEN];
	al_bytes p[AL_MAX_PROOF_HASHES];

	for (size_t i = 0; i < e->nh; i++)
		p[i] = al_buf_bytes(&e->hashes[i]);
	al_merkle_leaf_hash(leaf_bytes, leaf);
	return al_merkle_verify_inclusion((uint64_t)e->p_index, (uint64_t)e->p_size, al_bytes_of(leaf, sizeof(leaf)),
					  p, e->nh, al_buf_bytes(&e->p_root), er);
}

static al_rc
check_checkpoint(const entry *e, al_bytes note, const tlog *l, al_note_profile prof, al_note_report *rep,
		 al_err *er)
{
	al_checkpoint *cp = calloc(1, sizeof(*cp));
	al_rc rc;

	ck_assert_ptr_nonnull(cp);
	if ((rc = al_checkpoint_parse(note, cp, er)) == AL_OK &&
	    (rc = al_checkpoint_verify(cp, prof, &l->key, al_bytes_str(l->host), rep, er)) == AL_OK)
		rc = al_checkpoint_matches(cp, (uint64_t)e->p_size, al_buf_bytes(&e->p_root), er);
	al_checkpoint_free(cp);
	free(cp);
	return rc;
}

/* Rekor v1: SET (when present), proof, checkpoint. */
static al_rc
check_v1(const entry *e, const tlog *l, al_err *er)
{
	al_rc rc;

	al_err_clear(er);
	if (e->set.n > 0 &&
	    (rc = al_set_verify(&l->key, al_buf_bytes(&e->body), e->integrated_time, al_buf_bytes(&e->log_id),
				e->log_index, al_buf_bytes(&e->set), er)) != AL_OK)
		return rc;
	if (!e->has_proof)
		return AL_OK;
	if ((rc = check_proof(e, al_buf_bytes(&e->body), er)) != AL_OK)
		return rc;
	if (e->envelope.n == 0)
		return al_err_set(er, AL_E_TLOG_CHECKPOINT, "no checkpoint");
	return check_checkpoint(e, e->envelope, l, AL_NOTE_REKOR_V1, NULL, er);
}

/* Rekor v2: proof over leaf_bytes, C2SP checkpoint. */
static al_rc
check_v2(const entry *e, al_bytes leaf_bytes, const tlog *l, al_note_report *rep, al_err *er)
{
	al_rc rc;

	al_err_clear(er);
	if ((rc = check_proof(e, leaf_bytes, er)) != AL_OK)
		return rc;
	return check_checkpoint(e, e->envelope, l, AL_NOTE_C2SP, rep, er);
}

static void
load_case(entry *e, tlog *l, const char *name, bool own_root)
{
	entry_load(e, name);
	ck_assert_msg(tlog_load(l, root_of(name, own_root), al_buf_bytes(&e->log_id)), "%s: log not in root", name);
}

/* The certificate's SPKI DER, via mbedTLS (crypto/ gives the parsed cert). */
static al_buf
cert_spki(al_bytes cert)
{
	al_certs c;
	al_buf out = { 0 };
	const mbedtls_x509_crt *crt;

	al_certs_init(&c);
	ck_assert_ok(al_certs_add_der(&c, cert, &err), &err);
	crt = al_certs_at(&c, 0);
	ck_assert_ok(al_buf_dup(&out, al_bytes_of(crt->pk_raw.p, crt->pk_raw.len), &err), &err);
	al_certs_free(&c);
	return out;
}

/* ================================================================ Rekor v1 on real entries */

static const struct {
	const char *name;
	bool own_root;
} v1_happy[] = {
	{ "happy-path-v0.1", false },
	{ "happy-path-v0.3", false },
	{ "happy-path-v0.3-new-mediaType", false },
	{ "happy-path-intoto-in-dsse-v3", false },
	{ "managed-key-happy-path", false },
	{ "trust-root-tlog-validity-end-inclusive", false },
	{ "wrong-hashedrekord-entry_fail", false },   /* the log data is genuine; the body binding fails */
	{ "dsse-mismatch-sig_fail", false },
	{ "intoto-with-custom-trust-root", true },
	{ "intoto-log-entry-mismatch_fail", true },
	{ "managed-key-and-trusted-root", true },
};

START_TEST(rekor_v1_real_entries_verify)
{
	if (!al_test_shared("tlog"))
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(v1_happy); i++) {
		entry e;
		tlog l;
		al_checkpoint *cp = calloc(1, sizeof(*cp));

		load_case(&e, &l, v1_happy[i].name, v1_happy[i].own_root);
		ck_assert_msg(check_v1(&e, &l, &err) == AL_OK, "%s: %s", v1_happy[i].name, err.msg);
		ck_assert_ok(al_checkpoint_parse(e.envelope, cp, &err), &err);
		ck_assert_msg(al_checkpoint_is_rekor_v1(cp), "%s", v1_happy[i].name);
		al_checkpoint_free(cp);
		free(cp);
		tlog_free(&l);
		entry_free(&e);
	}
}
END_TEST

START_TEST(inclusion_proof_corrupted_hash_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "inclusion-proof-corrupted-hash_fail", false);
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_PROOF, &err);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(invalid_inclusion_proof_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	/* an old proof for another entry: the root it implies is not its own */
	load_case(&e, &l, "invalid-inclusion-proof_fail", false);
	ck_assert_rc(check_proof(&e, al_buf_bytes(&e.body), &err), AL_E_TLOG_PROOF, &err);
	ck_assert_uint_eq(e.envelope.n, 0);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(checkpoint_bad_keyhint_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "checkpoint-bad-keyhint_fail", false);
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert_msg(strstr(err.msg, "key hint c4d23d6a, not the log key's c0d23d6a") != NULL, "%s", err.msg);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(invalid_checkpoint_signature_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "invalid-checkpoint-signature_fail", false);
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert_msg(strstr(err.msg, "does not verify") != NULL, "%s", err.msg);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(set_invalid_signature_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "set-invalid-signature_fail", false);
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(bundle_from_wrong_instance_fail)
{
	entry e;
	tlog l;

	if (!al_test_shared("tlog"))
		return;
	/* a staging entry: production has no such log; verified under the
	 * production key anyway it fails at the first signature */
	entry_load(&e, "bundle-from-wrong-instance_fail");
	ck_assert(!tlog_load(&l, root_of("", false), al_buf_bytes(&e.log_id)));
	tlog_free(&l);
	ck_assert(tlog_load(&l, root_of("", false), al_bytes_of(
		"\xc0\xd2\x3d\x6a\xd4\x06\x97\x3f\x95\x59\xf3\xba\x2d\x1c\xa0\x1f\x84\x14\x7d\x8f\xfc\x5b\x84\x45\xc2\x24\xf9\x8b\x95\x91\x80\x1d", 32)));
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	e.set.n = 0;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_CHECKPOINT, &err);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

/* Tampered twins of happy-path-v0.1, one field at a time. */
START_TEST(rekor_v1_tampered_twins)
{
	entry e;
	tlog l;
	al_buf note = { 0 };
	char *p;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "happy-path-v0.1", false);
	ck_assert_ok(check_v1(&e, &l, &err), &err);

	/* a flipped bit in every proof hash */
	for (size_t i = 0; i < e.nh; i++) {
		e.hashes[i].p[i % 32] ^= 0x04;
		ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_PROOF, &err);
		e.hashes[i].p[i % 32] ^= 0x04;
	}
	/* the entry's global logIndex is not the tree index (shards) */
	{
		int64_t saved = e.p_index;

		e.p_index = e.log_index;
		ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_PROOF, &err);
		e.p_index = saved + 1;
		ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_PROOF, &err);
		e.p_index = saved;
		e.p_size++;
		ck_assert(check_v1(&e, &l, &err) != AL_OK);
		e.p_size--;
	}
	/* SET over a changed body, logIndex, integratedTime, logID */
	e.body.p[e.body.n / 2] ^= 1;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	{
		size_t set_n = e.set.n;

		e.set.n = 0; /* and without the SET the proof fails instead */
		ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_PROOF, &err);
		e.set.n = set_n;
	}
	e.body.p[e.body.n / 2] ^= 1;
	e.log_index++;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	e.log_index--;
	e.integrated_time++;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	e.integrated_time--;
	e.log_id.p[31] ^= 1;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	e.log_id.p[31] ^= 1;
	e.set.p[e.set.n - 1] ^= 1;
	ck_assert_rc(check_v1(&e, &l, &err), AL_E_TLOG_SET, &err);
	e.set.p[e.set.n - 1] ^= 1;
	ck_assert_ok(check_v1(&e, &l, &err), &err);

	/* a changed checkpoint line: size, root, origin, extension */
	static const struct {
		const char *from, *to;
		al_rc want;
	} edits[] = {
		{ "\n23083062\n", "\n23083063\n", AL_E_TLOG_CHECKPOINT },
		{ "dauhleYK4Yy", "dauhleYK4Yz", AL_E_TLOG_CHECKPOINT },
		{ "rekor.sigstore.dev - 2605736670972794746\n", "rekor.sigstore.dev - 2605736670972794747\n",
		  AL_E_TLOG_CHECKPOINT },
		{ "Timestamp: 1689177396617352539", "Timestamp: 1689177396617352538", AL_E_TLOG_CHECKPOINT },
		/* bad key hint: first base64 character of the signature line */
		{ "\xE2\x80\x94 rekor.sigstore.dev wNI9", "\xE2\x80\x94 rekor.sigstore.dev wNI8", AL_E_TLOG_CHECKPOINT },
		/* bad signature: last base64 group */
		{ "6TMs\n", "6TMt\n", AL_E_TLOG_CHECKPOINT },
	};
	for (size_t i = 0; i < AL_ARRAY_LEN(edits); i++) {
		al_bytes saved = e.envelope;

		ck_assert_ok(al_buf_dup(&note, saved, &err), &err);
		p = strstr((char *)note.p, edits[i].from);
		ck_assert_msg(p != NULL, "edit %zu", i);
		memcpy(p, edits[i].to, strlen(edits[i].to));
		e.envelope = al_buf_bytes(&note);
		ck_assert_rc(check_v1(&e, &l, &err), edits[i].want, &err);
		e.envelope = saved;
	}
	/* checkpoint-wrong-roothash: a valid checkpoint for another tree */
	{
		al_checkpoint *cp = calloc(1, sizeof(*cp));

		ck_assert_ok(al_checkpoint_parse(e.envelope, cp, &err), &err);
		ck_assert_ok(al_checkpoint_verify(cp, AL_NOTE_REKOR_V1, &l.key, al_bytes_of(NULL, 0), NULL, &err), &err);
		ck_assert_ok(al_checkpoint_matches(cp, (uint64_t)e.p_size, al_buf_bytes(&e.p_root), &err), &err);
		e.p_root.p[0] ^= 1;
		ck_assert_rc(al_checkpoint_matches(cp, (uint64_t)e.p_size, al_buf_bytes(&e.p_root), &err),
			     AL_E_TLOG_CHECKPOINT, &err);
		ck_assert(strstr(err.msg, "root hash") != NULL);
		e.p_root.p[0] ^= 1;
		ck_assert_rc(al_checkpoint_matches(cp, (uint64_t)e.p_size - 1, al_buf_bytes(&e.p_root), &err),
			     AL_E_TLOG_CHECKPOINT, &err);
		/* a second line, even a copy of the log's own, is verified too;
		 * one by any other key is refused under Rekor v1 rules */
		al_checkpoint_free(cp);
		ck_assert_ok(al_buf_dup(&note, e.envelope, &err), &err);
		static const char wline[] = "\xE2\x80\x94 witness.example "
					    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";

		ck_assert_ok(al_buf_append(&note, wline, sizeof(wline) - 1, &err), &err);
		ck_assert_ok(al_checkpoint_parse(al_buf_bytes(&note), cp, &err), &err);
		ck_assert_uint_eq(cp->nsigs, 2);
		ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_REKOR_V1, &l.key, al_bytes_of(NULL, 0), NULL, &err),
			     AL_E_TLOG_CHECKPOINT, &err);
		al_checkpoint_free(cp);
		free(cp);
	}
	/* the wrong key: staging's Rekor key for the production entry */
	{
		tlog st;
		al_bytes staging_id = al_bytes_of("\xd3\x2f\x30\xa3\xc3\x2d\x63\x9c\x2b\x76\x22\x05\xa2\x1c\x7b\xb0"
						  "\x77\x88\xe6\x82\x83\xa4\xae\x6f\x42\x11\x87\x23\xa1\xbe\xa4\x96", 32);

		ck_assert(tlog_load(&st, root_of("rekor2-happy-path", true), staging_id));
		ck_assert_rc(check_v1(&e, &st, &err), AL_E_TLOG_SET, &err);
		e.set.n = 0;
		ck_assert_rc(check_v1(&e, &st, &err), AL_E_TLOG_CHECKPOINT, &err);
		tlog_free(&st);
	}
	al_buf_free(&note);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

/* ================================================================ Rekor v2 on real entries */

static const struct {
	const char *name;
	size_t verified, ignored, cosigs;
} v2_ok[] = {
	{ "rekor2-happy-path", 1, 0, 0 },
	{ "rekor2-checkpoint-cosigned", 1, 1, 1 },
	{ "rekor2-checkpoint-origin-not-first", 1, 1, 1 },
	{ "rekor2-checkpoint-two-sigs-cosigned", 1, 2, 1 },
	{ "rekor2-dsse-happy-path", 1, 3, 3 },
	{ "rekor2-no-timestamp_fail", 1, 0, 0 },          /* fails on time, not on the log */
	{ "rekor2-timestamp-with-embedded-cert", 1, 0, 0 },
	{ "bundle-with-sct-with-extensions", 1, 0, 0 },
};

START_TEST(rekor_v2_real_entries_verify)
{
	if (!al_test_shared("tlog"))
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(v2_ok); i++) {
		entry e;
		tlog l;
		al_note_report rep;
		al_rekor_body b;
		uint8_t kh[32];

		load_case(&e, &l, v2_ok[i].name, true);
		ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
		ck_assert_int_eq(b.kind, AL_REKOR_HASHEDREKORD_V002);
		ck_assert_msg(check_v2(&e, al_buf_bytes(&e.body), &l, &rep, &err) == AL_OK, "%s: %s", v2_ok[i].name,
			      err.msg);
		ck_assert_uint_eq(rep.verified, v2_ok[i].verified);
		ck_assert_uint_eq(rep.ignored, v2_ok[i].ignored);
		ck_assert_uint_eq(rep.cosignatures, v2_ok[i].cosigs);
		/* the trust root's logId is the full note key hash of (host, key) */
		ck_assert_ok(al_note_key_hash(&l.key, al_bytes_str(l.host), kh, &err), &err);
		ck_assert_msg(l.log_id.n == 32 && memcmp(kh, l.log_id.p, 32) == 0, "%s: logId", v2_ok[i].name);
		al_rekor_body_free(&b);
		tlog_free(&l);
		entry_free(&e);
	}
}
END_TEST

START_TEST(rekor2_checkpoint_cosignature_reported)
{
	entry e;
	tlog l;
	al_note_report rep;
	al_checkpoint *cp = calloc(1, sizeof(*cp));

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "rekor2-checkpoint-cosigned", true);
	ck_assert_ok(al_checkpoint_parse(e.envelope, cp, &err), &err);
	ck_assert(!al_checkpoint_is_rekor_v1(cp));
	ck_assert_ok(al_checkpoint_verify(cp, AL_NOTE_C2SP, &l.key, al_bytes_str(l.host), &rep, &err), &err);
	ck_assert_int_eq(rep.status[0], AL_NOTE_SIG_VERIFIED);
	ck_assert_int_eq(rep.status[1], AL_NOTE_SIG_COSIGNATURE);
	ck_assert(al_bytes_eq_str(cp->sigs[1].name, "witness.example"));
	ck_assert_uint_eq(cp->sigs[1].sig.n, 72);
	/* 0x0000000068a4ef3e: 2025-08-19 */
	ck_assert_uint_eq(rep.cosig_time[1], 0x68a4ef3eu);
	al_checkpoint_free(cp);
	free(cp);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

static const struct {
	const char *name;
	const char *msg;
} v2_fail[] = {
	{ "rekor2-checkpoint-missing-log-signature_fail", "no signature lines" },
	{ "rekor2-checkpoint-missing-origin_fail", "needs an origin" },
	{ "rekor2-checkpoint-missing-root-hash_fail", "needs an origin, a tree size and a root hash" },
	{ "rekor2-checkpoint-no-matching-signature_fail", "is not the log's name" },
};

START_TEST(rekor2_checkpoint_fail_cases)
{
	if (!al_test_shared("tlog"))
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(v2_fail); i++) {
		entry e;
		tlog l;

		load_case(&e, &l, v2_fail[i].name, true);
		ck_assert_rc(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), AL_E_TLOG_CHECKPOINT, &err);
		ck_assert_msg(strstr(err.msg, v2_fail[i].msg) != NULL, "%s: %s", v2_fail[i].name, err.msg);
		tlog_free(&l);
		entry_free(&e);
	}
}
END_TEST

START_TEST(rekor_v2_tampered_twins)
{
	entry e;
	tlog l;
	al_buf note = { 0 };
	char *p;

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "rekor2-checkpoint-two-sigs-cosigned", true);
	ck_assert_ok(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), &err);
	for (size_t i = 0; i < e.nh; i++) {
		e.hashes[i].p[31 - i] ^= 0x80;
		ck_assert_rc(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), AL_E_TLOG_PROOF, &err);
		e.hashes[i].p[31 - i] ^= 0x80;
	}
	/* a changed size line, a bad log signature, the wrong log name */
	static const char *const from[] = { "\n736\n", "3zQB9ut+ShLepyZPsWBDi5IB3yXyjgjQT6OG9A8=" };
	static const char *const to[] = { "\n737\n", "3zQB9ut+ShLepyZPsWBDi5IB3yXyjgjQT6OG9A4=" };
	for (size_t i = 0; i < AL_ARRAY_LEN(from); i++) {
		al_bytes saved = e.envelope;

		ck_assert_ok(al_buf_dup(&note, saved, &err), &err);
		p = strstr((char *)note.p, from[i]);
		ck_assert_ptr_nonnull(p);
		memcpy(p, to[i], strlen(to[i]));
		e.envelope = al_buf_bytes(&note);
		ck_assert_rc(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), AL_E_TLOG_CHECKPOINT, &err);
		e.envelope = saved;
	}
	strcpy(l.host, "log2025-alpha2.rekor.sigstage.dev");
	ck_assert_rc(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), AL_E_TLOG_CHECKPOINT, &err);
	/* the right name but another log's key: no line is by the log */
	{
		tlog other;
		al_bytes alpha3 = al_bytes_of("\xd3\xd3\xa7\x0c\xa1\x30\xef\xf8\x69\x66\x26\x15\x3e\x84\xd1\xcd"
					      "\x16\xe0\x94\x79\x34\xb3\x29\x6c\x52\x8b\xde\x82\x74\x54\x94\x96", 32);

		ck_assert(tlog_load(&other, root_of("rekor2-dsse-happy-path", true), alpha3));
		strcpy(other.host, "log2025-alpha1.rekor.sigstage.dev");
		ck_assert_rc(check_v2(&e, al_buf_bytes(&e.body), &other, NULL, &err), AL_E_TLOG_CHECKPOINT, &err);
		ck_assert(strstr(err.msg, "no signature by the log key") != NULL);
		tlog_free(&other);
	}
	al_buf_free(&note);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

/* ---------------------------------------------------------------- Rekor v2 leaf reconstruction */

static void
rebuild_hashedrekord(const entry *e, al_hash alg, al_bytes digest, al_buf *out)
{
	al_pubkey k;
	al_buf spki = cert_spki(al_buf_bytes(&e->cert));
	al_rekor_v2_sig s;
	al_hash prehash;

	al_pubkey_init(&k);
	ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&spki), &k, &err), &err);
	s.sig = al_buf_bytes(&e->sig);
	s.is_cert = true;
	s.der = al_buf_bytes(&e->cert);
	ck_assert_ok(al_rekor_v2_key_details(&k, &s.key_details, &prehash, &err), &err);
	ck_assert_int_eq(prehash, alg);
	ck_assert_ok(al_rekor_v2_hashedrekord(alg, digest, &s, out, &err), &err);
	al_pubkey_free(&k);
	al_buf_free(&spki);
}

START_TEST(rekor_v2_rebuilt_leaf_equals_logged_body)
{
	static const char *const cases[] = { "rekor2-happy-path", "rekor2-checkpoint-cosigned",
					     "rekor2-timestamp-with-embedded-cert", "bundle-with-sct-with-extensions" };

	if (!al_test_shared("tlog"))
		return;
	for (size_t i = 0; i < AL_ARRAY_LEN(cases); i++) {
		entry e;
		tlog l;
		al_buf rebuilt = { 0 };

		load_case(&e, &l, cases[i], true);
		rebuild_hashedrekord(&e, e.digest_alg, al_buf_bytes(&e.digest), &rebuilt);
		ck_assert_msg(al_bytes_eq(al_buf_bytes(&rebuilt), al_buf_bytes(&e.body)), "%s:\n%s\n%s", cases[i],
			      (const char *)rebuilt.p, (const char *)e.body.p);
		ck_assert_ok(check_v2(&e, al_buf_bytes(&rebuilt), &l, NULL, &err), &err);
		/* a different digest rebuilds a different leaf: the proof fails */
		rebuilt.n = 0;
		e.digest.p[0] ^= 1;
		rebuild_hashedrekord(&e, e.digest_alg, al_buf_bytes(&e.digest), &rebuilt);
		ck_assert_rc(check_v2(&e, al_buf_bytes(&rebuilt), &l, NULL, &err), AL_E_TLOG_PROOF, &err);
		al_buf_free(&rebuilt);
		tlog_free(&l);
		entry_free(&e);
	}
}
END_TEST

static void
pae_digest(const entry *e, uint8_t out[AL_HASH_MAX])
{
	al_buf pae = { 0 };

	ck_assert_ok(al_dsse_pae(e->payload_type, al_buf_bytes(&e->payload), &pae, &err), &err);
	al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&pae), out);
	al_buf_free(&pae);
}

START_TEST(rekor2_dsse_happy_path_rebuilt)
{
	entry e;
	tlog l;
	al_buf rebuilt = { 0 };
	uint8_t d[AL_HASH_MAX];
	al_rekor_body b;
	al_rekor_expect x = { 0 };

	if (!al_test_shared("tlog"))
		return;
	/* DSSE logged as hashedrekord/0.0.2 over H(PAE(type, payload)) */
	load_case(&e, &l, "rekor2-dsse-happy-path", true);
	pae_digest(&e, d);
	rebuild_hashedrekord(&e, AL_HASH_SHA256, al_bytes_of(d, 32), &rebuilt);
	ck_assert(al_bytes_eq(al_buf_bytes(&rebuilt), al_buf_bytes(&e.body)));
	ck_assert_ok(check_v2(&e, al_buf_bytes(&rebuilt), &l, NULL, &err), &err);
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	x.sig = al_buf_bytes(&e.sig);
	x.cert_der = al_buf_bytes(&e.cert);
	x.digest_alg = AL_HASH_SHA256;
	x.digest = al_bytes_of(d, 32);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	al_rekor_body_free(&b);
	al_buf_free(&rebuilt);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(rekor2_dsse_mismatch_envelope_fail)
{
	entry e;
	tlog l;
	al_buf rebuilt = { 0 };
	uint8_t d[AL_HASH_MAX];
	al_rekor_body b;
	al_rekor_expect x = { 0 };

	if (!al_test_shared("tlog"))
		return;
	load_case(&e, &l, "rekor2-dsse-mismatch-envelope_fail", true);
	pae_digest(&e, d);
	rebuild_hashedrekord(&e, AL_HASH_SHA256, al_bytes_of(d, 32), &rebuilt);
	ck_assert(!al_bytes_eq(al_buf_bytes(&rebuilt), al_buf_bytes(&e.body)));
	ck_assert_rc(check_v2(&e, al_buf_bytes(&rebuilt), &l, NULL, &err), AL_E_TLOG_PROOF, &err);
	/* the logged body itself is genuine; the field comparison names the difference */
	ck_assert_ok(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), &err);
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	x.sig = al_buf_bytes(&e.sig);
	x.cert_der = al_buf_bytes(&e.cert);
	x.digest_alg = AL_HASH_SHA256;
	x.digest = al_bytes_of(d, 32);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "hashedrekord/0.0.2 body: spec.hashedRekordV002.signature.content: the logged "
			      "signature differs") != NULL, "%s", err.msg);
	/* with the logged signature, the digest is what differs */
	x.sig = al_buf_bytes(&b.sigs[0].sig);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "hashedrekord/0.0.2 body: spec.hashedRekordV002.data: ") != NULL, "%s", err.msg);
	al_rekor_body_free(&b);
	al_buf_free(&rebuilt);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(rekor_v2_sigstore_js_dsse_v002_rebuilt)
{
	entry e;
	tlog l;
	al_buf rebuilt = { 0 }, spki;
	al_rekor_body b;
	al_rekor_v2_sig s;
	al_rekor_expect x = { 0 };
	al_pubkey k;
	al_hash prehash;
	uint8_t ph[AL_HASH_MAX];

	if (!al_test_shared("tlog"))
		return;
	entry_load_file(&e, al_test_shared_path(
		"vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/verify-bundles__V3.DSSE.WITH_SIGNING_CERT.TLOG_DSSEV002.json"));
	ck_assert(tlog_load(&l, al_test_shared_path(PROD_ROOT), al_buf_bytes(&e.log_id)));
	ck_assert_str_eq(l.host, "log2025-1.rekor.sigstore.dev");
	ck_assert_ok(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), &err);
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.kind, AL_REKOR_DSSE_V002);
	ck_assert_uint_eq(b.nsigs, 1);
	ck_assert_str_eq(b.sigs[0].key_details, "PKIX_ECDSA_P256_SHA_256");
	ck_assert_int_eq(b.sigs[0].form, AL_RV_X509);
	/* dsse/0.0.2 logs H(payload), not H(PAE) */
	al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&e.payload), ph);
	spki = cert_spki(al_buf_bytes(&e.cert));
	al_pubkey_init(&k);
	ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&spki), &k, &err), &err);
	s.sig = al_buf_bytes(&e.sig);
	s.is_cert = true;
	s.der = al_buf_bytes(&e.cert);
	ck_assert_ok(al_rekor_v2_key_details(&k, &s.key_details, &prehash, &err), &err);
	ck_assert_ok(al_rekor_v2_dsse(AL_HASH_SHA256, al_bytes_of(ph, 32), &s, 1, &rebuilt, &err), &err);
	ck_assert_msg(al_bytes_eq(al_buf_bytes(&rebuilt), al_buf_bytes(&e.body)), "\n%s\n%s", (const char *)rebuilt.p,
		      (const char *)e.body.p);
	x.sig = al_buf_bytes(&e.sig);
	x.cert_der = al_buf_bytes(&e.cert);
	x.payload = al_buf_bytes(&e.payload);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	/* twins: another payload, another signature, a key instead of the cert */
	e.payload.p[0] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "spec.dsseV002.payloadHash") != NULL);
	e.payload.p[0] ^= 1;
	e.sig.p[10] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "not among the 1 logged") != NULL);
	e.sig.p[10] ^= 1;
	x.cert_der = al_bytes_of(NULL, 0);
	x.spki_der = al_buf_bytes(&spki);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "logs a certificate, but the bundle is verified with a public key") != NULL);
	al_pubkey_free(&k);
	al_buf_free(&spki);
	al_rekor_body_free(&b);
	al_buf_free(&rebuilt);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

START_TEST(rekor_v2_sigstore_js_hashedrekord_with_key_verifier)
{
	entry e;
	tlog l;
	al_buf rebuilt = { 0 }, spki;
	al_rekor_body b;
	al_rekor_v2_sig s;
	al_rekor_expect x = { 0 };

	if (!al_test_shared("tlog"))
		return;
	/* sigstore-js logged the key although the bundle carries the
	 * certificate: the log data verifies, the binding (like sigstore-go's
	 * rebuilt leaf) does not */
	entry_load_file(&e, al_test_shared_path(
		"vectors/sigstore__sigstore-js/extracted-from-ts-fixtures/verify-bundles__V3.MESSAGE_SIGNATURE.TLOG_HASHEDREKORDV002.json"));
	ck_assert(tlog_load(&l, al_test_shared_path(PROD_ROOT), al_buf_bytes(&e.log_id)));
	ck_assert_ok(check_v2(&e, al_buf_bytes(&e.body), &l, NULL, &err), &err);
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.sigs[0].form, AL_RV_SPKI);
	spki = cert_spki(al_buf_bytes(&e.cert));
	s.sig = al_buf_bytes(&e.sig);
	s.key_details = "PKIX_ECDSA_P256_SHA_256";
	s.is_cert = false;
	s.der = al_buf_bytes(&spki);
	ck_assert_ok(al_rekor_v2_hashedrekord(e.digest_alg, al_buf_bytes(&e.digest), &s, &rebuilt, &err), &err);
	ck_assert(al_bytes_eq(al_buf_bytes(&rebuilt), al_buf_bytes(&e.body)));
	x.sig = al_buf_bytes(&e.sig);
	x.digest_alg = e.digest_alg;
	x.digest = al_buf_bytes(&e.digest);
	x.spki_der = al_buf_bytes(&spki);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	x.spki_der = al_bytes_of(NULL, 0);
	x.cert_der = al_buf_bytes(&e.cert);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "logs a public key, but the bundle carries a certificate") != NULL);
	al_buf_free(&spki);
	al_rekor_body_free(&b);
	al_buf_free(&rebuilt);
	tlog_free(&l);
	entry_free(&e);
}
END_TEST

/* ================================================================ Rekor v1 body binding */

static void
expect_of(const entry *e, al_rekor_expect *x)
{
	memset(x, 0, sizeof(*x));
	x->sig = al_buf_bytes(&e->sig);
	x->cert_der = al_buf_bytes(&e->cert);
	x->digest_alg = e->digest_alg;
	x->digest = al_buf_bytes(&e->digest);
	x->payload = al_buf_bytes(&e->payload);
}

START_TEST(hashedrekord_v001_binding)
{
	entry e;
	al_rekor_body b;
	al_rekor_expect x;

	if (!al_test_shared("tlog"))
		return;
	entry_load(&e, "happy-path-v0.1");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.kind, AL_REKOR_HASHEDREKORD_V001);
	ck_assert_int_eq(b.sigs[0].form, AL_RV_PEM_CERT);
	ck_assert(strstr((const char *)b.sigs[0].pem.p, "-----BEGIN CERTIFICATE-----") != NULL);
	ck_assert_int_eq(b.data.alg, AL_HASH_SHA256);
	expect_of(&e, &x);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	/* twins: digest, digest algorithm, signature, certificate */
	e.digest.p[5] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "hashedrekord/0.0.1 body: spec.data.hash: a0cfc712") != NULL, "%s", err.msg);
	e.digest.p[5] ^= 1;
	x.digest_alg = AL_HASH_SHA384;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "algorithm sha256 differs from the bundle's sha384") != NULL);
	x.digest_alg = AL_HASH_SHA256;
	e.sig.p[e.sig.n - 1] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "spec.signature.content") != NULL);
	e.sig.p[e.sig.n - 1] ^= 1;
	e.cert.p[e.cert.n - 1] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "spec.signature.publicKey.content: the logged certificate differs") != NULL);
	e.cert.p[e.cert.n - 1] ^= 1;
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	al_rekor_body_free(&b);
	/* kindVersion must name the body's type */
	ck_assert_rc(al_rekor_body_parse(al_buf_bytes(&e.body), al_bytes_str("dsse"), e.version, &b, &err),
		     AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "the body is hashedrekord/0.0.1 but the entry's kindVersion says dsse/0.0.1") != NULL);
	ck_assert_rc(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, al_bytes_str("0.0.2"), &b, &err),
		     AL_E_TLOG_BODY, &err);
	entry_free(&e);
}
END_TEST

START_TEST(wrong_hashedrekord_entry_fail)
{
	entry e;
	al_rekor_body b;
	al_rekor_expect x;

	if (!al_test_shared("tlog"))
		return;
	entry_load(&e, "wrong-hashedrekord-entry_fail");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	expect_of(&e, &x);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	al_rekor_body_free(&b);
	entry_free(&e);
}
END_TEST

START_TEST(managed_key_binding)
{
	entry e;
	al_rekor_body b;
	al_rekor_expect x;
	al_buf pem;
	al_pubkey k;

	if (!al_test_shared("tlog"))
		return;
	entry_load(&e, "managed-key-happy-path");
	pem = al_test_read(al_test_shared_path(CONF "managed-key-happy-path/key.pub"));
	al_pubkey_init(&k);
	ck_assert_ok(al_pubkey_from_pem(al_buf_bytes(&pem), &k, &err), &err);
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.sigs[0].form, AL_RV_PEM_KEY);
	expect_of(&e, &x);
	x.spki_der = al_buf_bytes(&k.spki);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	/* managed-key-wrong-key: any other key */
	x.spki_der = al_bytes_of(b.sigs[0].der.p, b.sigs[0].der.n - 1);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "the logged public key differs") != NULL);
	al_rekor_body_free(&b);
	al_pubkey_free(&k);
	al_buf_free(&pem);
	entry_free(&e);
}
END_TEST

START_TEST(dsse_v001_binding_and_mismatch_sig_fail)
{
	entry e;
	al_rekor_body b;
	al_rekor_expect x;

	if (!al_test_shared("tlog"))
		return;
	entry_load(&e, "happy-path-intoto-in-dsse-v3");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.kind, AL_REKOR_DSSE_V001);
	ck_assert_int_eq(b.envelope_hash.alg, AL_HASH_SHA256);
	expect_of(&e, &x);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	e.payload.p[3] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "dsse/0.0.1 body: spec.payloadHash: sha256 d6b209ba") != NULL);
	al_rekor_body_free(&b);
	entry_free(&e);

	/* the same payload and key, a second valid signature that was not logged */
	entry_load(&e, "dsse-mismatch-sig_fail");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	expect_of(&e, &x);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "spec.signatures[0].signature: the bundle's signature is not among") != NULL,
		      "%s", err.msg);
	al_rekor_body_free(&b);
	entry_free(&e);
}
END_TEST

START_TEST(intoto_v002_binding_and_log_entry_mismatch_fail)
{
	entry e;
	al_rekor_body b;
	al_rekor_expect x;

	if (!al_test_shared("tlog"))
		return;
	entry_load(&e, "intoto-with-custom-trust-root");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	ck_assert_int_eq(b.kind, AL_REKOR_INTOTO_V002);
	/* the signature was base64 twice over in the body: decoded it is DER */
	ck_assert_uint_eq(b.sigs[0].sig.p[0], 0x30);
	ck_assert(al_bytes_eq(al_buf_bytes(&b.sigs[0].sig), al_buf_bytes(&e.sig)));
	expect_of(&e, &x);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	al_rekor_body_free(&b);
	entry_free(&e);

	/* twin: a payload other than the logged one */
	entry_load(&e, "intoto-with-custom-trust-root");
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), &err);
	expect_of(&e, &x);
	e.payload.p[e.payload.n / 2] ^= 0x20;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "intoto/0.0.2 body: spec.content.payloadHash") != NULL, "%s", err.msg);
	al_rekor_body_free(&b);
	entry_free(&e);

	/* this entry logs its signature base64 only once: sigstore-go decodes
	 * twice and fails, and so does airlock (one body, one reading) */
	entry_load(&e, "intoto-log-entry-mismatch_fail");
	ck_assert_rc(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "spec.content.envelope.signatures[0].sig: inner base64") != NULL, "%s", err.msg);
	entry_free(&e);
}
END_TEST

START_TEST(bundle_unknown_version_fail_body)
{
	entry e;
	al_rekor_body b;

	if (!al_test_shared("tlog"))
		return;
	/* the body there is {"apiVersion":"0.0.1"} */
	entry_load(&e, "bundle-unknown-version_fail");
	ck_assert_rc(al_rekor_body_parse(al_buf_bytes(&e.body), e.kind, e.version, &b, &err), AL_E_TLOG_BODY, &err);
	ck_assert_msg(strstr(err.msg, "kind: missing") != NULL, "%s", err.msg);
	entry_free(&e);
}
END_TEST

/* ---------------------------------------------------------------- cosign legacy: intoto/0.0.1 + SET */

START_TEST(cosign_legacy_intoto_v001_and_bundle_annotation)
{
	static const char dir[] =
		"vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.4.0/"
		"container_workflow_dispatch/";
	char path[1024];
	al_buf idx, man = { 0 }, blob, bodyb = { 0 }, set = { 0 }, logid = { 0 }, cert = { 0 }, payload = { 0 };
	al_json *ji, *jm = NULL, *ann, *jenv;
	const al_json *ms, *layers = NULL, *a = NULL, *pl, *lay = NULL;
	al_bytes dg, s;
	int64_t it, li;
	bool present, found = false;
	tlog l;
	al_rekor_body b;
	al_rekor_expect x = { 0 };

	if (!al_test_shared("tlog"))
		return;
	/* find the attestation manifest: an index entry whose manifest has a
	 * layer carrying dev.sigstore.cosign/bundle */
	snprintf(path, sizeof(path), "%sindex.json", dir);
	idx = al_test_read(al_test_shared_path(path));
	ck_assert_ok(al_json_parse(al_buf_bytes(&idx), &ji, &err), &err);
	ck_assert_ok(al_json_get_arr(ji, "", "manifests", true, &ms, &err), &err);
	for (size_t i = 0; i < al_json_arr_len(ms) && !found; i++) {
		ck_assert_ok(al_json_get_str(al_json_arr_at(ms, i), "", "digest", true, &dg, &err), &err);
		snprintf(path, sizeof(path), "%sblobs/sha256/%.*s", dir, (int)(dg.n - 7), (const char *)dg.p + 7);
		al_buf_free(&man);
		man = al_test_read(al_test_shared_path(path));
		al_json_free(jm);
		jm = NULL;
		if (al_json_parse(al_buf_bytes(&man), &jm, &err) != AL_OK)
			continue;
		if (al_json_get_arr(jm, "", "layers", false, &layers, &err) != AL_OK || layers == NULL)
			continue;
		lay = al_json_arr_at(layers, 0);
		if (lay && al_json_get_obj(lay, "", "annotations", false, &a, &err) == AL_OK && a &&
		    al_json_member(a, "dev.sigstore.cosign/bundle"))
			found = true;
	}
	ck_assert(found);
	/* the annotation: {"SignedEntryTimestamp", "Payload": {body, integratedTime, logIndex, logID}} */
	ck_assert_ok(al_json_get_str(a, "", "dev.sigstore.cosign/bundle", true, &s, &err), &err);
	ck_assert_ok(al_json_parse(s, &ann, &err), &err);
	set = b64_member(ann, "SignedEntryTimestamp");
	ck_assert_ok(al_json_get_obj(ann, "", "Payload", true, &pl, &err), &err);
	bodyb = b64_member(pl, "body");
	ck_assert_ok(al_json_get_i64(pl, "", "integratedTime", true, &it, &present, &err), &err);
	ck_assert_ok(al_json_get_i64(pl, "", "logIndex", true, &li, &present, &err), &err);
	ck_assert_ok(al_json_get_str(pl, "", "logID", true, &s, &err), &err);
	ck_assert_ok(al_buf_reserve(&logid, 32, &err), &err);
	ck_assert_ok(al_hex_decode(s, logid.p, 32, &err), &err);
	logid.n = 32;
	ck_assert(tlog_load(&l, al_test_shared_path(PROD_ROOT), al_buf_bytes(&logid)));
	ck_assert_ok(al_set_verify(&l.key, al_buf_bytes(&bodyb), it, al_buf_bytes(&logid), li, al_buf_bytes(&set), &err),
		     &err);
	ck_assert_rc(al_set_verify(&l.key, al_buf_bytes(&bodyb), it + 1, al_buf_bytes(&logid), li,
				   al_buf_bytes(&set), &err), AL_E_TLOG_SET, &err);

	/* the body: intoto/0.0.1 bound through content.hash over the envelope blob */
	ck_assert_ok(al_rekor_body_parse(al_buf_bytes(&bodyb), al_bytes_str("intoto"), al_bytes_str("0.0.1"), &b, &err),
		     &err);
	ck_assert_int_eq(b.kind, AL_REKOR_INTOTO_V001);
	ck_assert_uint_eq(b.sigs[0].sig.n, 0);
	ck_assert_ok(al_json_get_str(lay, "", "digest", true, &dg, &err), &err);
	snprintf(path, sizeof(path), "%sblobs/sha256/%.*s", dir, (int)(dg.n - 7), (const char *)dg.p + 7);
	blob = al_test_read(al_test_shared_path(path));
	ck_assert_ok(al_json_parse(al_buf_bytes(&blob), &jenv, &err), &err);
	payload = b64_member(jenv, "payload");
	ck_assert_ok(al_json_get_str(a, "", "dev.sigstore.cosign/certificate", true, &s, &err), &err);
	ck_assert_ok(al_pem_one(s, "CERTIFICATE", &cert, &err), &err);
	x.cert_der = al_buf_bytes(&cert);
	x.payload = al_buf_bytes(&payload);
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err); /* no envelope given */
	x.envelope = al_buf_bytes(&blob);
	ck_assert_ok(al_rekor_body_matches(&b, &x, &err), &err);
	blob.p[blob.n - 1] ^= 1;
	ck_assert_rc(al_rekor_body_matches(&b, &x, &err), AL_E_TLOG_BODY, &err);
	ck_assert(strstr(err.msg, "intoto/0.0.1 body: spec.content.hash") != NULL);
	blob.p[blob.n - 1] ^= 1;

	al_rekor_body_free(&b);
	tlog_free(&l);
	al_json_free(jenv);
	al_json_free(ann);
	al_json_free(jm);
	al_json_free(ji);
	al_buf_free(&payload);
	al_buf_free(&cert);
	al_buf_free(&blob);
	al_buf_free(&logid);
	al_buf_free(&set);
	al_buf_free(&bodyb);
	al_buf_free(&man);
	al_buf_free(&idx);
}
END_TEST

/* ================================================================ synthetic (no ../shared) */

START_TEST(set_payload_is_canonical_json)
{
	al_buf out = { 0 };
	const uint8_t id[4] = { 0xc0, 0xd2, 0x3d, 0x6a };

	ck_assert_ok(al_set_payload(al_bytes_str("{\"k\":1}"), 1689177396, al_bytes_of(id, 4), 27246492, &out, &err),
		     &err);
	ck_assert_str_eq((const char *)out.p, "{\"body\":\"eyJrIjoxfQ==\",\"integratedTime\":1689177396,"
					      "\"logID\":\"c0d23d6a\",\"logIndex\":27246492}");
	out.n = 0;
	ck_assert_ok(al_set_payload(al_bytes_str("x"), 0, al_bytes_of(id, 4), 0, &out, &err), &err);
	ck_assert_str_eq((const char *)out.p, "{\"body\":\"eA==\",\"integratedTime\":0,\"logID\":\"c0d23d6a\",\"logIndex\":0}");
	/* numbers RFC 8785 cannot write exactly, negative numbers, empty fields */
	ck_assert_rc(al_set_payload(al_bytes_str("x"), -1, al_bytes_of(id, 4), 0, &out, &err), AL_E_TLOG_SET, &err);
	ck_assert_rc(al_set_payload(al_bytes_str("x"), 0, al_bytes_of(id, 4), -5, &out, &err), AL_E_TLOG_SET, &err);
	ck_assert_rc(al_set_payload(al_bytes_str("x"), ((int64_t)1 << 53) + 1, al_bytes_of(id, 4), 0, &out, &err),
		     AL_E_TLOG_SET, &err);
	ck_assert_rc(al_set_payload(al_bytes_str("x"), 0, al_bytes_of(id, 0), 0, &out, &err), AL_E_TLOG_SET, &err);
	ck_assert_rc(al_set_payload(al_bytes_of(NULL, 0), 0, al_bytes_of(id, 4), 0, &out, &err), AL_E_TLOG_SET, &err);
	al_buf_free(&out);
}
END_TEST

static const char good_note[] = "example.com/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
				"\n\xE2\x80\x94 example.com/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

START_TEST(checkpoint_parse_fields)
{
	al_checkpoint *cp = calloc(1, sizeof(*cp));
	static const char ext[] = "rekor.sigstore.dev - 1193050959916656506\n0\n"
				  "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nTimestamp: 1\nother\n"
				  "\n\xE2\x80\x94 a AAAAAAE=\n\xE2\x80\x94 b AAAAAgI=\n";

	ck_assert_ok(al_checkpoint_parse(al_bytes_str(good_note), cp, &err), &err);
	ck_assert(al_bytes_eq_str(cp->origin, "example.com/log"));
	ck_assert_uint_eq(cp->size, 42);
	ck_assert_uint_eq(cp->root[0], 0x0a);
	ck_assert_uint_eq(cp->n_extensions, 0);
	ck_assert_uint_eq(cp->nsigs, 1);
	ck_assert_uint_eq(cp->sigs[0].sig.n, 55);
	ck_assert(al_bytes_eq_str(cp->text, "example.com/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"));
	ck_assert(!al_checkpoint_is_rekor_v1(cp));
	{
		/* a checkpoint vouches for one tree: its size and its root, both */
		uint8_t root[AL_TLOG_HASH_LEN];

		memcpy(root, cp->root, sizeof(root));
		ck_assert_ok(al_checkpoint_matches(cp, 42, al_bytes_of(root, sizeof(root)), &err), &err);
		ck_assert_rc(al_checkpoint_matches(cp, 41, al_bytes_of(root, sizeof(root)), &err), AL_E_TLOG_CHECKPOINT,
			     &err);
		ck_assert_rc(al_checkpoint_matches(cp, 43, al_bytes_of(root, sizeof(root)), &err), AL_E_TLOG_CHECKPOINT,
			     &err);
		root[31] ^= 1;
		ck_assert_rc(al_checkpoint_matches(cp, 42, al_bytes_of(root, sizeof(root)), &err), AL_E_TLOG_CHECKPOINT,
			     &err);
	}
	al_checkpoint_free(cp);

	ck_assert_ok(al_checkpoint_parse(al_bytes_str(ext), cp, &err), &err);
	ck_assert_uint_eq(cp->size, 0);
	ck_assert_uint_eq(cp->n_extensions, 2);
	ck_assert(al_bytes_eq_str(cp->extensions, "Timestamp: 1\nother\n"));
	ck_assert_uint_eq(cp->nsigs, 2);
	ck_assert_uint_eq(cp->sigs[1].key_id, 2);
	ck_assert_uint_eq(cp->sigs[1].sig.n, 1);
	ck_assert_uint_eq(cp->sigs[1].sig.p[0], 2);
	ck_assert(al_bytes_eq_str(cp->sigs[0].name, "a"));
	ck_assert(al_checkpoint_is_rekor_v1(cp));
	al_checkpoint_free(cp);
	free(cp);
}
END_TEST

static const struct {
	const char *note;
	al_rc code;
	const char *msg;
} bad_notes[] = {
	{ "", AL_E_TLOG_CHECKPOINT, "empty" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "no blank line" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", AL_E_TLOG_CHECKPOINT, "no signature lines" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=", AL_E_TLOG_CHECKPOINT,
	  "does not end in a newline" },
	{ "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nx\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "missing origin" },
	{ "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "not a canonical decimal" },
	{ "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "not a canonical decimal" },
	{ "o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "not a canonical decimal" },
	{ "o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n",
	  AL_E_TLOG_CHECKPOINT, "not a canonical decimal" },
	{ "o\n9223372036854775807\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n",
	  AL_E_LIMIT, "exceeds the limit" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "root hash" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "root hash is 31 bytes" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n\n\xE2\x80\x94 o AAAAAAE=\n",
	  AL_E_TLOG_CHECKPOINT, "extension line 1 is empty" },
	{ "o\n1\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT, "needs an origin, a tree size and a root hash" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n- o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "does not start with" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 a+b AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "key name" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94  AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "key name" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 a\xC2\xA0x AAAAAAE=\n",
	  AL_E_TLOG_CHECKPOINT, "key name" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o\n", AL_E_TLOG_CHECKPOINT,
	  "no signature" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE= \n", AL_E_TLOG_CHECKPOINT,
	  "signature line 1" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAA==\n", AL_E_TLOG_CHECKPOINT,
	  "less than a key ID and a signature" },
	{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAF=\n", AL_E_TLOG_CHECKPOINT,
	  "signature line 1" },
	{ "o\r\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n", AL_E_TLOG_CHECKPOINT,
	  "control character 0x0d" },
	{ "o\xC0\xAF\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\xE2\x80\x94 o AAAAAAE=\n",
	  AL_E_TLOG_CHECKPOINT, "invalid UTF-8" },
};

START_TEST(checkpoint_parse_rejects)
{
	al_checkpoint *cp = calloc(1, sizeof(*cp));

	for (size_t i = 0; i < AL_ARRAY_LEN(bad_notes); i++) {
		al_err_clear(&err);
		ck_assert_msg(al_checkpoint_parse(al_bytes_str(bad_notes[i].note), cp, &err) == bad_notes[i].code,
			      "case %zu: %s", i, err.msg);
		ck_assert_msg(strstr(err.msg, bad_notes[i].msg) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, err.msg,
			      bad_notes[i].msg);
		ck_assert_uint_eq(cp->nsigs, 0);
		al_checkpoint_free(cp);
	}
	free(cp);
}
END_TEST

START_TEST(checkpoint_parse_limits)
{
	al_checkpoint *cp = calloc(1, sizeof(*cp));
	al_buf n = { 0 };

	/* AL_MAX_NOTE_SIGS lines pass, one more does not */
	ck_assert_ok(al_buf_append(&n, good_note, strlen(good_note), &err), &err);
	for (int i = 1; i < AL_MAX_NOTE_SIGS; i++)
		ck_assert_ok(al_buf_append(&n, "\xE2\x80\x94 w AAAAAAE=\n", 15, &err), &err);
	ck_assert_ok(al_checkpoint_parse(al_buf_bytes(&n), cp, &err), &err);
	ck_assert_uint_eq(cp->nsigs, AL_MAX_NOTE_SIGS);
	ck_assert_uint_eq(cp->sigs[AL_MAX_NOTE_SIGS - 1].sig.p[0], 1);
	al_checkpoint_free(cp);
	ck_assert_ok(al_buf_append(&n, "\xE2\x80\x94 w AAAAAAE=\n", 15, &err), &err);
	ck_assert_rc(al_checkpoint_parse(al_buf_bytes(&n), cp, &err), AL_E_LIMIT, &err);
	/* a note over AL_MAX_CHECKPOINT */
	n.n = 0;
	ck_assert_ok(al_buf_reserve(&n, AL_MAX_CHECKPOINT + 1, &err), &err);
	memset(n.p, 'a', AL_MAX_CHECKPOINT + 1);
	n.n = AL_MAX_CHECKPOINT + 1;
	ck_assert_rc(al_checkpoint_parse(al_buf_bytes(&n), cp, &err), AL_E_LIMIT, &err);
	al_buf_free(&n);
	free(cp);
}
END_TEST

/* ---------------------------------------------------------------- self-made log keys (no ../shared) */

/* A test log with deterministic keys (made with Python's cryptography):
 * Ed25519 and P-256 SPKI for "log.airlock.test", and a witness's Ed25519
 * key for "witness.airlock.test". fuzz/fuzz_checkpoint.c uses the same. */
static const uint8_t test_ed_spki[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	0x41, 0xfe, 0x2e, 0xf4, 0xd7, 0xdc, 0xc0, 0x8c, 0xa6, 0xb5, 0xae, 0x0b,
	0x23, 0xe8, 0xac, 0x0a, 0x29, 0x44, 0x7f, 0x5a, 0x3b, 0x1c, 0xf0, 0x3a,
	0x99, 0x88, 0x58, 0xf2, 0xe7, 0xc8, 0x57, 0x43,
};
static const uint8_t test_p256_spki[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04, 0xa8, 0x41, 0x9f, 0x61, 0x7d, 0xe3, 0xb8, 0xca, 0x51,
	0x26, 0x9c, 0xea, 0xdc, 0xd3, 0x26, 0xdd, 0x43, 0xef, 0xc7, 0x21, 0x0b,
	0x52, 0x56, 0x1e, 0x6c, 0x6c, 0x16, 0xb1, 0x7a, 0x53, 0x15, 0x4f, 0x2e,
	0xec, 0x6a, 0xd9, 0x43, 0x34, 0xd9, 0xcc, 0x50, 0x46, 0xf3, 0x9a, 0x3b,
	0x1e, 0x09, 0xd6, 0x80, 0x48, 0xe2, 0xe9, 0x3a, 0xb9, 0x5a, 0xdc, 0xcd,
	0xd6, 0x6e, 0x41, 0x9c, 0xcb, 0x91, 0xdb,
};
static const uint8_t test_witness_spki[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	0x18, 0x70, 0x7e, 0xc9, 0xc9, 0x7d, 0xbf, 0x77, 0x4e, 0xf4, 0xea, 0x70,
	0x71, 0x58, 0x4e, 0xc4, 0x69, 0x93, 0xc5, 0x12, 0xc4, 0x41, 0xd6, 0x3c,
	0xe2, 0xcf, 0xd0, 0x26, 0xd5, 0x50, 0x5b, 0x1b,
};
static const char test_note_v1[] =
	"log.airlock.test - 4242\n"
	"7\n"
	"7yUuB4GEzujpipnGbfUD3Oj+LHvVDUIjB5I7/WiL2Gc=\n"
	"Timestamp: 1700000000000000000\n"
	"\n"
	"\xE2\x80\x94 log.airlock.test g9IgMDBFAiEAwk8NqZK2qj9OQRMMOb4Mmc5B2TVoDnAwDvghvMXhlTECIChO0QJfUJA9IVWbrXOwffQJB21BxCh1wI5PAVdGoLcJ\n";
static const char test_note_c2sp[] =
	"log.airlock.test\n"
	"7\n"
	"7yUuB4GEzujpipnGbfUD3Oj+LHvVDUIjB5I7/WiL2Gc=\n"
	"\n"
	"\xE2\x80\x94 witness.airlock.test pDksCAAAAABlU/EAr7PDIsZejIIAMhbaiD2zjBHT4jjkL6QqR7AJIk1kYkuSupJs8XdEQhrR1a0Kl02xv207wlc+uE9ZQGvH7jY5CQ==\n"
	"\xE2\x80\x94 log.airlock.test saZun7Au5WDBUPmt+0/gdONqFbmaT7eIW03NgIv26akTvD+IDPGeMtKDy7YL4fzqx+iKMhZHGK6305zHxfLdVAW/Agk=\n";

static void
test_key(al_pubkey *k, const uint8_t *spki, size_t n)
{
	al_pubkey_init(k);
	ck_assert_ok(al_pubkey_from_spki(al_bytes_of(spki, n), k, &err), &err);
}

START_TEST(self_made_checkpoints_verify_and_twins)
{
	al_checkpoint *cp = calloc(1, sizeof(*cp));
	al_pubkey ed, p256, wit;
	al_note_report rep;
	al_bytes name = al_bytes_str("log.airlock.test"), wname = al_bytes_str("witness.airlock.test");
	uint64_t ts = 0;
	al_buf n = { 0 };

	test_key(&ed, test_ed_spki, sizeof(test_ed_spki));
	test_key(&p256, test_p256_spki, sizeof(test_p256_spki));
	test_key(&wit, test_witness_spki, sizeof(test_witness_spki));

	/* Rekor v1 style: ECDSA, key hint = SHA-256(SPKI)[:4] */
	ck_assert_ok(al_checkpoint_parse(al_bytes_str(test_note_v1), cp, &err), &err);
	ck_assert(al_checkpoint_is_rekor_v1(cp));
	ck_assert_uint_eq(cp->size, 7);
	ck_assert_uint_eq(cp->n_extensions, 1);
	ck_assert_ok(al_checkpoint_verify(cp, AL_NOTE_REKOR_V1, &p256, al_bytes_of(NULL, 0), &rep, &err), &err);
	ck_assert_uint_eq(rep.verified, 1);
	ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_REKOR_V1, &ed, al_bytes_of(NULL, 0), &rep, &err),
		     AL_E_TLOG_CHECKPOINT, &err);
	/* the same note under C2SP rules: origin is not the name */
	ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_C2SP, &p256, name, &rep, &err), AL_E_TLOG_CHECKPOINT, &err);
	al_checkpoint_free(cp);

	/* C2SP: Ed25519 log line after a witness cosignature */
	ck_assert_ok(al_checkpoint_parse(al_bytes_str(test_note_c2sp), cp, &err), &err);
	ck_assert(!al_checkpoint_is_rekor_v1(cp));
	ck_assert_ok(al_checkpoint_verify(cp, AL_NOTE_C2SP, &ed, name, &rep, &err), &err);
	ck_assert_uint_eq(rep.verified, 1);
	ck_assert_uint_eq(rep.cosignatures, 1);
	ck_assert_int_eq(rep.status[0], AL_NOTE_SIG_COSIGNATURE);
	ck_assert_uint_eq(rep.cosig_time[0], 1700000000);
	ck_assert_ok(al_cosignature_verify(cp, 0, &wit, wname, &ts, &err), &err);
	ck_assert_uint_eq(ts, 1700000000);
	/* twins: wrong witness name, the log key as witness, the log line as cosignature */
	ck_assert_rc(al_cosignature_verify(cp, 0, &wit, name, &ts, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert_rc(al_cosignature_verify(cp, 0, &ed, wname, &ts, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert_rc(al_cosignature_verify(cp, 1, &wit, name, &ts, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert_rc(al_cosignature_verify(cp, 0, &p256, wname, &ts, &err), AL_E_CRYPTO_KEY, &err);
	/* Rekor v1 rules refuse the witness line */
	ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_REKOR_V1, &ed, name, &rep, &err), AL_E_TLOG_CHECKPOINT, &err);
	/* the P-256 key under C2SP has another key ID: no log line */
	ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_C2SP, &p256, name, &rep, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert(strstr(err.msg, "no signature by the log key") != NULL);
	al_checkpoint_free(cp);

	/* a changed root line breaks both the log signature and the cosignature */
	ck_assert_ok(al_buf_dup(&n, al_bytes_str(test_note_c2sp), &err), &err);
	n.p[strlen("log.airlock.test\n7\n")] ^= 0x01;
	ck_assert_ok(al_checkpoint_parse(al_buf_bytes(&n), cp, &err), &err);
	ck_assert_rc(al_checkpoint_verify(cp, AL_NOTE_C2SP, &ed, name, &rep, &err), AL_E_TLOG_CHECKPOINT, &err);
	ck_assert(strstr(err.msg, "does not verify") != NULL);
	ck_assert_rc(al_cosignature_verify(cp, 0, &wit, wname, &ts, &err), AL_E_TLOG_CHECKPOINT, &err);
	al_checkpoint_free(cp);
	/* the log line repeated: verified once, the copy skipped */
	n.n = 0;
	ck_assert_ok(al_buf_append(&n, test_note_c2sp, strlen(test_note_c2sp), &err), &err);
	ck_assert_ok(al_buf_append(&n, strstr(test_note_c2sp, "\xE2\x80\x94 log."),
				   strlen(strstr(test_note_c2sp, "\xE2\x80\x94 log.")), &err), &err);
	ck_assert_ok(al_checkpoint_parse(al_buf_bytes(&n), cp, &err), &err);
	ck_assert_ok(al_checkpoint_verify(cp, AL_NOTE_C2SP, &ed, name, &rep, &err), &err);
	ck_assert_int_eq(rep.status[2], AL_NOTE_SIG_REPEATED);
	al_checkpoint_free(cp);

	al_buf_free(&n);
	al_pubkey_free(&ed);
	al_pubkey_free(&p256);
	al_pubkey_free(&wit);
	free(cp);
}
END_TEST

START_TEST(rekor_v2_builders_reject_bad_input)
{
	al_buf out = { 0 };
	uint8_t d[32] = { 0 };
	al_rekor_v2_sig s = { al_bytes_str("sig"), "PKIX_ECDSA_P256_SHA_256", true, al_bytes_str("der") };

	ck_assert_ok(al_rekor_v2_hashedrekord(AL_HASH_SHA256, al_bytes_of(d, 32), &s, &out, &err), &err);
	ck_assert_str_eq((const char *)out.p,
			 "{\"apiVersion\":\"0.0.2\",\"kind\":\"hashedrekord\",\"spec\":{\"hashedRekordV002\":{\"data\":"
			 "{\"algorithm\":\"SHA2_256\",\"digest\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},"
			 "\"signature\":{\"content\":\"c2ln\",\"verifier\":{\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\","
			 "\"x509Certificate\":{\"rawBytes\":\"ZGVy\"}}}}}}");
	out.n = 0;
	ck_assert_rc(al_rekor_v2_hashedrekord(AL_HASH_SHA384, al_bytes_of(d, 32), &s, &out, &err), AL_E_TLOG_BODY, &err);
	s.key_details = "PKIX\",\"x";
	ck_assert_rc(al_rekor_v2_hashedrekord(AL_HASH_SHA256, al_bytes_of(d, 32), &s, &out, &err), AL_E_TLOG_BODY, &err);
	s.key_details = "PKIX_ED25519_PH";
	s.sig.n = 0;
	ck_assert_rc(al_rekor_v2_hashedrekord(AL_HASH_SHA256, al_bytes_of(d, 32), &s, &out, &err), AL_E_TLOG_BODY, &err);
	s.sig = al_bytes_str("sig");
	ck_assert_rc(al_rekor_v2_dsse(AL_HASH_SHA256, al_bytes_of(d, 32), &s, 0, &out, &err), AL_E_TLOG_BODY, &err);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_ok(al_rekor_v2_dsse(AL_HASH_SHA256, al_bytes_of(d, 32), &s, 1, &out, &err), &err);
	al_buf_free(&out);
}
END_TEST

START_TEST(rekor_body_parse_rejects)
{
	static const struct {
		const char *kind, *ver, *body, *msg;
	} bad[] = {
		{ "hashedrekord", "0.0.1", "[]", "not a JSON object" },
		{ "hashedrekord", "0.0.1", "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.1\"}", "spec: missing" },
		{ "hashedrekord", "0.0.1", "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.1\",\"spec\":{},\"x\":1}",
		  "x" },
		{ "rekord", "0.0.1", "{\"kind\":\"rekord\",\"apiVersion\":\"0.0.1\",\"spec\":{}}",
		  "unsupported entry type rekord/0.0.1" },
		{ "hashedrekord", "0.0.1",
		  "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.1\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"md5\","
		  "\"value\":\"00\"}}}}", "spec.data.hash.algorithm: unsupported \"md5\"" },
		{ "hashedrekord", "0.0.1",
		  "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.1\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\","
		  "\"value\":\"00\"}}}}", "spec.data.hash.value" },
		{ "hashedrekord", "0.0.2",
		  "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.2\",\"spec\":{\"hashedRekordV002\":{\"data\":{\"algorithm\":"
		  "\"SHA2_256\",\"digest\":\"AAAA\"}}}}", "spec.hashedRekordV002.data.digest: 3 bytes, want 32" },
		{ "hashedrekord", "0.0.2",
		  "{\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.2\",\"spec\":{\"hashedRekordV002\":{\"data\":{\"algorithm\":"
		  "\"SHA2_256\",\"digest\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\"signature\":{\"content\":\"AA==\","
		  "\"verifier\":{\"keyDetails\":\"X\",\"publicKey\":{\"rawBytes\":\"AA==\"},\"x509Certificate\":{\"rawBytes\":"
		  "\"AA==\"}}}}}}", "exactly one of x509Certificate and publicKey" },
		{ "dsse", "0.0.2",
		  "{\"kind\":\"dsse\",\"apiVersion\":\"0.0.2\",\"spec\":{\"dsseV002\":{\"payloadHash\":{\"algorithm\":"
		  "\"SHA2_256\",\"digest\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\"signatures\":[]}}}",
		  "no signatures" },
		{ "dsse", "0.0.1",
		  "{\"kind\":\"dsse\",\"apiVersion\":\"0.0.1\",\"spec\":{\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":"
		  "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"signatures\":[{\"signature\":"
		  "\"AA==\",\"verifier\":\"LS0tLS1CRUdJTiBYLS0tLS0KQUE9PQotLS0tLUVORCBYLS0tLS0K\"}]}}",
		  "neither a certificate nor a public key" },
		{ "hashedrekord", "0.0.1", "{\"kind\":\"hashedrekord\",\"kind\":\"hashedrekord\"}", "duplicate key" },
	};
	al_rekor_body b;

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		al_err_clear(&err);
		ck_assert_msg(al_rekor_body_parse(al_bytes_str(bad[i].body), al_bytes_str(bad[i].kind),
						  al_bytes_str(bad[i].ver), &b, &err) == AL_E_TLOG_BODY,
			      "case %zu: %s", i, err.msg);
		ck_assert_msg(strstr(err.msg, bad[i].msg) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, err.msg,
			      bad[i].msg);
		ck_assert_uint_eq(b.nsigs, 0);
	}
}
END_TEST

/* ---------------------------------------------------------------- synthetic body binding */

/* Bodies built here, not read from ../shared, so that every binding check
 * has a twin that runs everywhere (docs/verification.md, "Rekor entries"). */
static char *
b64_str(al_bytes in)
{
	al_buf b = { 0 };
	char *s;

	ck_assert_ok(al_b64_encode(in, &b, &err), &err);
	s = malloc(b.n + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, b.p, b.n);
	s[b.n] = '\0';
	al_buf_free(&b);
	return s;
}

static char *
hex_sha256(al_bytes in)
{
	uint8_t h[AL_HASH_MAX];
	char *s = malloc(65);

	ck_assert_ptr_nonnull(s);
	al_hash_bytes(AL_HASH_SHA256, in, h);
	al_hex_encode(h, 32, s);
	return s;
}

/* The logged verifier: a PEM "PUBLIC KEY" around der, base64 as Rekor logs it. */
static char *
pem_key_b64(al_bytes der)
{
	char pem[512], *d = b64_str(der), *out;

	snprintf(pem, sizeof(pem), "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", d);
	free(d);
	out = b64_str(al_bytes_str(pem));
	return out;
}

static al_rc
parse_and_match(const char *kind, const char *ver, const char *body, const al_rekor_expect *x)
{
	al_rekor_body *b = calloc(1, sizeof(*b));
	al_rc rc;

	ck_assert_ptr_nonnull(b);
	ck_assert_ok(al_rekor_body_parse(al_bytes_str(body), al_bytes_str(kind), al_bytes_str(ver), b, &err), &err);
	rc = al_rekor_body_matches(b, x, &err);
	al_rekor_body_free(b);
	free(b);
	return rc;
}

static const uint8_t syn_key[] = { 0x30, 0x0a, 0x30, 0x03, 0x06, 0x01, 0x01, 0x03, 0x03, 0x00, 0x04, 0x01 };
static const uint8_t syn_other_key[] = { 0x30, 0x0a, 0x30, 0x03, 0x06, 0x01, 0x01, 0x03, 0x03, 0x00, 0x04, 0x02 };

/* hashedrekord/0.0.1: the entry must log this signature, this key and this
 * digest; each differing alone is refused. */
START_TEST(synthetic_hashedrekord_binding)
{
	static const char sig[] = "signature-bytes", other_sig[] = "signature-bytez";
	uint8_t digest[AL_HASH_MAX];
	char body[2048], *key = pem_key_b64(al_bytes_of(syn_key, sizeof(syn_key)));
	char *okey = pem_key_b64(al_bytes_of(syn_other_key, sizeof(syn_other_key)));
	char *hex = hex_sha256(al_bytes_str("artifact")), *ohex = hex_sha256(al_bytes_str("other artifact"));
	char *s64 = b64_str(al_bytes_str(sig)), *os64 = b64_str(al_bytes_str(other_sig));
	al_rekor_expect x = { 0 };
#define fmt "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":" \
			  "{\"algorithm\":\"sha256\",\"value\":\"%s\"}},\"signature\":{\"content\":\"%s\"," \
			  "\"publicKey\":{\"content\":\"%s\"}}}}"

	al_hash_bytes(AL_HASH_SHA256, al_bytes_str("artifact"), digest);
	x.sig = al_bytes_str(sig);
	x.spki_der = al_bytes_of(syn_key, sizeof(syn_key));
	x.digest_alg = AL_HASH_SHA256;
	x.digest = al_bytes_of(digest, 32);

	snprintf(body, sizeof(body), fmt, hex, s64, key);
	ck_assert_ok(parse_and_match("hashedrekord", "0.0.1", body, &x), &err);
	/* another artifact's entry, same key and signature bytes */
	snprintf(body, sizeof(body), fmt, ohex, s64, key);
	ck_assert_rc(parse_and_match("hashedrekord", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "spec.data.hash");
	snprintf(body, sizeof(body), fmt, hex, os64, key);
	ck_assert_rc(parse_and_match("hashedrekord", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "spec.signature.content");
	snprintf(body, sizeof(body), fmt, hex, s64, okey);
	ck_assert_rc(parse_and_match("hashedrekord", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "public key differs");
	free(key), free(okey), free(hex), free(ohex), free(s64), free(os64);
#undef fmt
}
END_TEST

/* dsse/0.0.1: the bundle's signature must be among those logged, with its
 * own verifier; a logged set that holds only other signatures is refused
 * even when the first of them names the bundle's key. */
START_TEST(synthetic_dsse_binding)
{
	static const char payload[] = "{\"_type\":\"https://in-toto.io/Statement/v1\"}";
	char body[4096], *key = pem_key_b64(al_bytes_of(syn_key, sizeof(syn_key)));
	char *okey = pem_key_b64(al_bytes_of(syn_other_key, sizeof(syn_other_key)));
	char *ph = hex_sha256(al_bytes_str(payload)), *eh = hex_sha256(al_bytes_str("envelope"));
	char *s1 = b64_str(al_bytes_str("sig-one")), *s2 = b64_str(al_bytes_str("sig-two"));
	al_rekor_expect x = { 0 };
#define fmt "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":" \
			  "\"sha256\",\"value\":\"%s\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"}," \
			  "\"signatures\":[{\"signature\":\"%s\",\"verifier\":\"%s\"},{\"signature\":\"%s\"," \
			  "\"verifier\":\"%s\"}]}}"

	x.spki_der = al_bytes_of(syn_key, sizeof(syn_key));
	x.payload = al_bytes_str(payload);
	x.sig = al_bytes_str("sig-two");
	snprintf(body, sizeof(body), fmt, eh, ph, s1, okey, s2, key);
	ck_assert_ok(parse_and_match("dsse", "0.0.1", body, &x), &err);
	/* the bundle's signature logged with another key */
	snprintf(body, sizeof(body), fmt, eh, ph, s1, key, s2, okey);
	ck_assert_rc(parse_and_match("dsse", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	/* not logged at all; the first logged verifier is the bundle's key */
	x.sig = al_bytes_str("sig-three");
	snprintf(body, sizeof(body), fmt, eh, ph, s1, key, s2, key);
	ck_assert_rc(parse_and_match("dsse", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "not among the 2 logged");
	/* another payload */
	x.sig = al_bytes_str("sig-one");
	x.payload = al_bytes_str("{}");
	ck_assert_rc(parse_and_match("dsse", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "spec.payloadHash");
	free(key), free(okey), free(ph), free(eh), free(s1), free(s2);
#undef fmt
}
END_TEST

/* intoto/0.0.1 logs no signature: content.hash over the envelope is what
 * binds it, so another envelope with the same payload is refused. */
START_TEST(synthetic_intoto_v001_binding)
{
	static const char payload[] = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}";
	static const char envelope[] = "{\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[1]}";
	static const char other_env[] = "{\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[2]}";
	char body[2048], *key = pem_key_b64(al_bytes_of(syn_key, sizeof(syn_key)));
	char *ph = hex_sha256(al_bytes_str(payload)), *eh = hex_sha256(al_bytes_str(envelope));
	al_rekor_expect x = { 0 };

	snprintf(body, sizeof(body),
		 "{\"apiVersion\":\"0.0.1\",\"kind\":\"intoto\",\"spec\":{\"content\":{\"hash\":{\"algorithm\":"
		 "\"sha256\",\"value\":\"%s\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"}},"
		 "\"publicKey\":\"%s\"}}", eh, ph, key);
	x.spki_der = al_bytes_of(syn_key, sizeof(syn_key));
	x.payload = al_bytes_str(payload);
	x.envelope = al_bytes_str(envelope);
	ck_assert_ok(parse_and_match("intoto", "0.0.1", body, &x), &err);
	x.envelope = al_bytes_str(other_env);
	ck_assert_rc(parse_and_match("intoto", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	ck_assert_err_has(&err, "spec.content.hash");
	x.envelope = (al_bytes){ NULL, 0 };
	ck_assert_rc(parse_and_match("intoto", "0.0.1", body, &x), AL_E_TLOG_BODY, &err);
	free(key), free(ph), free(eh);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tlog");
	TCase *real = tcase_create("real"), *syn = tcase_create("synthetic");

	tcase_set_timeout(real, 300);
	tcase_add_test(real, rekor_v1_real_entries_verify);
	tcase_add_test(real, inclusion_proof_corrupted_hash_fail);
	tcase_add_test(real, invalid_inclusion_proof_fail);
	tcase_add_test(real, checkpoint_bad_keyhint_fail);
	tcase_add_test(real, invalid_checkpoint_signature_fail);
	tcase_add_test(real, set_invalid_signature_fail);
	tcase_add_test(real, bundle_from_wrong_instance_fail);
	tcase_add_test(real, rekor_v1_tampered_twins);
	tcase_add_test(real, rekor_v2_real_entries_verify);
	tcase_add_test(real, rekor2_checkpoint_cosignature_reported);
	tcase_add_test(real, rekor2_checkpoint_fail_cases);
	tcase_add_test(real, rekor_v2_tampered_twins);
	tcase_add_test(real, rekor_v2_rebuilt_leaf_equals_logged_body);
	tcase_add_test(real, rekor2_dsse_happy_path_rebuilt);
	tcase_add_test(real, rekor2_dsse_mismatch_envelope_fail);
	tcase_add_test(real, rekor_v2_sigstore_js_dsse_v002_rebuilt);
	tcase_add_test(real, rekor_v2_sigstore_js_hashedrekord_with_key_verifier);
	tcase_add_test(real, hashedrekord_v001_binding);
	tcase_add_test(real, wrong_hashedrekord_entry_fail);
	tcase_add_test(real, managed_key_binding);
	tcase_add_test(real, dsse_v001_binding_and_mismatch_sig_fail);
	tcase_add_test(real, intoto_v002_binding_and_log_entry_mismatch_fail);
	tcase_add_test(real, bundle_unknown_version_fail_body);
	tcase_add_test(real, cosign_legacy_intoto_v001_and_bundle_annotation);
	tcase_add_test(syn, set_payload_is_canonical_json);
	tcase_add_test(syn, checkpoint_parse_fields);
	tcase_add_test(syn, checkpoint_parse_rejects);
	tcase_add_test(syn, checkpoint_parse_limits);
	tcase_add_test(syn, self_made_checkpoints_verify_and_twins);
	tcase_add_test(syn, rekor_v2_builders_reject_bad_input);
	tcase_add_test(syn, rekor_body_parse_rejects);
	tcase_add_test(syn, synthetic_hashedrekord_binding);
	tcase_add_test(syn, synthetic_dsse_binding);
	tcase_add_test(syn, synthetic_intoto_v001_binding);
	suite_add_tcase(s, real);
	suite_add_tcase(s, syn);
	return al_test_run(s);
}
