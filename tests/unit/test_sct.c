/*
 * test_sct.c — embedded SCTs (RFC 6962 §3.2): the TLS list parser, the
 * precertificate TBS rebuilt without the SCT extension, the signature over
 * the digitally-signed struct.
 *
 * Fixtures (tests/data/pki/gen.py, openssl CLI): leaf_sct.der carries two
 * SCTs — one from ct_log, one with an 8-byte extension from ct_other —
 * signed over the TBS of leaf_precert.der, a twin that openssl issued with
 * the same key, serial, window and extensions minus the SCT list. So the
 * rebuilt TBS is checked against bytes openssl wrote, not against itself.
 *
 * External vectors (../shared, skipped loudly when absent): the Fulcio
 * leaves of the sigstore-conformance bundles and the ctlogs of their
 * trusted roots, including bundle-with-sct-with-extensions; failing twins
 * flip a signature byte or name the wrong issuer.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/testutil.h"

static al_err err;


static void
key(al_pubkey *k, const char *name)
{
	al_buf b = al_test_pki_fixture(name);

	al_pubkey_init(k);
	ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&b), k, &err), &err);
	al_buf_free(&b);
}

static al_ct_log
log_of(const al_pubkey *k, int64_t nb, int64_t na)
{
	al_ct_log l;

	memcpy(l.log_id, k->spki_sha256, 32);
	l.key = k;
	l.not_before = nb;
	l.not_after = na;
	return l;
}

/* ---------------------------------------------------------------- fixtures */

START_TEST(precert_tbs_matches_openssl_twin)
{
	al_certs c;
	al_buf tbs = { 0 };
	const mbedtls_x509_crt *sct, *pre;

	al_certs_init(&c);
	al_test_pki_add(&c, "leaf_sct.der");
	al_test_pki_add(&c, "leaf_precert.der");
	sct = al_certs_at(&c, 0);
	pre = al_certs_at(&c, 1);
	ck_assert_ok(al_sct_precert_tbs(al_bytes_of(sct->tbs.p, sct->tbs.len), &tbs, &err), &err);
	ck_assert_uint_eq(tbs.n, pre->tbs.len);
	ck_assert(memcmp(tbs.p, pre->tbs.p, tbs.n) == 0);
	/* twins: no SCT extension to remove; not a TBS at all */
	ck_assert_rc(al_sct_precert_tbs(al_bytes_of(pre->tbs.p, pre->tbs.len), &tbs, &err), AL_E_CRYPTO_SCT, &err);
	ck_assert_err_has(&err, "0 SCT list extensions");
	ck_assert_rc(al_sct_precert_tbs(al_bytes_of(pre->tbs.p, pre->tbs.len - 1), &tbs, &err), AL_E_CRYPTO_SCT, &err);
	ck_assert_rc(al_sct_precert_tbs(al_bytes_str(""), &tbs, &err), AL_E_CRYPTO_SCT, &err);
	al_buf_free(&tbs);
	al_certs_free(&c);
}
END_TEST

START_TEST(sct_fixture_verifies)
{
	al_certs c;
	al_pubkey k1, k2;
	al_ct_log logs[2];
	size_t n;

	al_certs_init(&c);
	al_test_pki_add(&c, "leaf_sct.der");
	al_test_pki_add(&c, "inter.der");
	al_test_pki_add(&c, "root.der");
	key(&k1, "ct_log.spki.der");
	key(&k2, "ct_other.spki.der");
	logs[0] = log_of(&k1, INT64_MIN, INT64_MAX);
	logs[1] = log_of(&k2, INT64_MIN, INT64_MAX);
	/* one known log: its SCT verifies, the other's is skipped */
	ck_assert_ok(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), &err);
	ck_assert_uint_eq(n, 1);
	/* both logs: both verify, including the one with extensions */
	ck_assert_ok(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 2, 2, &n, &err), &err);
	ck_assert_uint_eq(n, 2);
	/* twins: no known log; the SCT times (2024-01-01T12:00:01Z) outside the window at either end */
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 0, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	ck_assert_err_has(&err, "0 of 2 SCTs verified");
	ck_assert_err_has(&err, "unknown log");
	logs[0].not_before = 1704110402;
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	ck_assert_err_has(&err, "outside the log's validity window");
	logs[0].not_before = 1704110401;   /* closed interval: the very second is in */
	ck_assert_ok(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), &err);
	logs[0].not_after = 1704110400;
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	logs[0] = log_of(&k1, INT64_MIN, INT64_MAX);
	/* twin: the issuer key hash names the root, not the intermediate */
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 2), logs, 2, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	ck_assert_uint_eq(n, 0);
	ck_assert_err_has(&err, "does not verify");
	/* twin: a key for another log under this log's ID */
	logs[0].key = &k2;
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	/* twin: a leaf without SCTs */
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 1), al_certs_at(&c, 2), logs, 2, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	ck_assert_err_has(&err, "no embedded SCT list");
	ck_assert_rc(al_sct_verify(al_certs_at(&c, 0), NULL, logs, 2, 1, &n, &err), AL_E_CRYPTO_SCT, &err);
	al_pubkey_free(&k1);
	al_pubkey_free(&k2);
	al_certs_free(&c);
}
END_TEST

/* Flips the last byte of the first SCT's signature inside a copy of cert. */
static al_buf
flip_first_sct_sig(const mbedtls_x509_crt *crt)
{
	static const uint8_t oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02 };
	al_buf copy = { 0 };
	al_bytes ext, list;
	al_sct s[4];
	size_t n, off;
	bool present;
	al_rd r;

	ck_assert_ok(al_x509_ext(crt, al_bytes_of(oid, sizeof(oid)), &ext, NULL, &present, &err), &err);
	ck_assert(present);
	r = al_rd_of(ext);
	list = al_der_take(&r, 0x04);
	ck_assert(al_rd_done(&r));
	ck_assert_ok(al_sct_list_parse(list, s, 4, &n, &err), &err);
	ck_assert_uint_ge(n, 1);
	off = (size_t)(s[0].sig.p - crt->raw.p) + s[0].sig.n - 1;
	ck_assert_ok(al_buf_append(&copy, crt->raw.p, crt->raw.len, &err), &err);
	copy.p[off] ^= 0x01;
	return copy;
}

START_TEST(sct_flipped_signature)
{
	al_certs c, bad;
	al_pubkey k1, k2;
	al_ct_log logs[2];
	al_buf flipped;
	size_t n;

	al_certs_init(&c);
	al_certs_init(&bad);
	al_test_pki_add(&c, "leaf_sct.der");
	al_test_pki_add(&c, "inter.der");
	key(&k1, "ct_log.spki.der");
	key(&k2, "ct_other.spki.der");
	logs[0] = log_of(&k1, INT64_MIN, INT64_MAX);
	logs[1] = log_of(&k2, INT64_MIN, INT64_MAX);
	flipped = flip_first_sct_sig(al_certs_at(&c, 0));
	ck_assert_ok(al_certs_add_der(&bad, al_buf_bytes(&flipped), &err), &err);
	ck_assert_rc(al_sct_verify(al_certs_at(&bad, 0), al_certs_at(&c, 1), logs, 1, 1, &n, &err), AL_E_CRYPTO_SCT,
		     &err);
	/* the other SCT is untouched and still counts */
	ck_assert_ok(al_sct_verify(al_certs_at(&bad, 0), al_certs_at(&c, 1), logs, 2, 1, &n, &err), &err);
	ck_assert_uint_eq(n, 1);
	al_buf_free(&flipped);
	al_pubkey_free(&k1);
	al_pubkey_free(&k2);
	al_certs_free(&c);
	al_certs_free(&bad);
}
END_TEST

START_TEST(sct_list_parser)
{
	static const struct { const char *hex; al_rc rc; size_t n; } cases[] = {
		{ "", AL_E_CRYPTO_SCT, 0 },
		{ "0000", AL_E_CRYPTO_SCT, 0 },                   /* empty list */
		{ "0004000101", AL_E_CRYPTO_SCT, 0 },             /* list length wrong */
		{ "0003000101ff", AL_E_CRYPTO_SCT, 0 },           /* trailing byte after the list */
		{ "00030001" "05", AL_OK, 1 },                    /* a later version is skipped unparsed */
		{ "00020000", AL_E_CRYPTO_SCT, 0 },               /* empty SCT */
		{ "0003000100", AL_E_CRYPTO_SCT, 0 },             /* v1 SCT cut short */
	};
	al_sct s[5];
	size_t n;

	for (size_t i = 0; i < AL_ARRAY_LEN(cases); i++) {
		al_buf b = al_test_hex(cases[i].hex);

		ck_assert_msg(al_sct_list_parse(al_buf_bytes(&b), s, 4, &n, &err) == cases[i].rc, "case %zu: %s", i,
			      err.msg);
		if (cases[i].rc == AL_OK)
			ck_assert_uint_eq(n, cases[i].n);
		al_buf_free(&b);
	}
	{
		/* a well-formed v1 SCT with no signature bytes, then the count bound */
		al_buf one = al_test_hex("00"
					 "0000000000000000000000000000000000000000000000000000000000000000"
					 "0000018cc4a5f312" "0000" "0403" "0001aa");
		al_buf list = { 0 };
		uint8_t l2[2];

		for (int i = 0; i < 5; i++) {
			l2[0] = (uint8_t)(one.n >> 8);
			l2[1] = (uint8_t)one.n;
			ck_assert_ok(al_buf_append(&list, l2, 2, &err), &err);
			ck_assert_ok(al_buf_append(&list, one.p, one.n, &err), &err);
		}
		{
			al_buf full = { 0 };

			l2[0] = (uint8_t)(list.n >> 8);
			l2[1] = (uint8_t)list.n;
			ck_assert_ok(al_buf_append(&full, l2, 2, &err), &err);
			ck_assert_ok(al_buf_append(&full, list.p, list.n, &err), &err);
			ck_assert_rc(al_sct_list_parse(al_buf_bytes(&full), s, 4, &n, &err), AL_E_LIMIT, &err);
			ck_assert_ok(al_sct_list_parse(al_buf_bytes(&full), s, 5, &n, &err), &err);
			ck_assert_uint_eq(n, 5);
			ck_assert_uint_eq(s[4].timestamp_ms, 0x18cc4a5f312ull);
			ck_assert_uint_eq(s[4].sig.n, 1);
			al_buf_free(&full);
		}
		al_buf_free(&one);
		al_buf_free(&list);
	}
}
END_TEST

/* ---------------------------------------------------------------- conformance vectors */

#define CONF_DIR "vectors/sigstore__sigstore-conformance/test/assets/bundle-verify"
#define PROD_ROOT "vectors/sigstore__root-signing/targets/trusted_root.json"

/* The CT logs of a trusted root (keys live in keys[]). */
static size_t
ct_logs(const al_json *root, al_pubkey keys[], al_ct_log logs[], size_t cap)
{
	const al_json *cts = al_json_member(root, "ctlogs");
	size_t n = 0;

	for (size_t i = 0; cts && i < al_json_arr_len(cts) && n < cap; i++) {
		const al_json *ct = al_json_arr_at(cts, i), *pk = al_json_member(ct, "publicKey");
		al_buf raw = { 0 }, id = { 0 };
		al_bytes details;

		ck_assert_ok(al_json_get_b64(pk, "publicKey", "rawBytes", true, &raw, &err), &err);
		ck_assert_ok(al_json_get_str(pk, "publicKey", "keyDetails", true, &details, &err), &err);
		ck_assert_ok(al_json_get_b64(al_json_member(ct, "logId"), "logId", "keyId", true, &id, &err), &err);
		al_pubkey_init(&keys[n]);
		if (al_bytes_eq_str(details, "PKCS1_RSA_PKCS1V5"))
			ck_assert_ok(al_pubkey_from_pkcs1_rsa(al_buf_bytes(&raw), &keys[n], &err), &err);
		else
			ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&raw), &keys[n], &err), &err);
		ck_assert_uint_eq(id.n, 32);
		memcpy(logs[n].log_id, id.p, 32);
		logs[n].key = &keys[n];
		al_test_valid_for(pk, &logs[n].not_before, &logs[n].not_after);
		n++;
		al_buf_free(&raw);
		al_buf_free(&id);
	}
	return n;
}

/* The leaf's issuer: the first certificate of a CA chain whose subject is
 * the leaf's issuer and whose key signed it, found by validating at the
 * leaf's own notBefore. */
static bool
find_issuer(const al_json *root, al_bytes leaf, al_certs *chain, al_certs *roots, al_x509_path *p)
{
	static const al_x509_opts o = { AL_EKU_CODE_SIGNING, false };
	const al_json *cas = al_json_member(root, "certificateAuthorities");

	for (size_t i = 0; cas && i < al_json_arr_len(cas); i++) {
		const al_json *certs = al_json_member(al_json_member(al_json_arr_at(cas, i), "certChain"),
						      "certificates");
		size_t n = al_json_arr_len(certs);
		int64_t nb, na;

		al_certs_free(chain);
		al_certs_free(roots);
		ck_assert_ok(al_certs_add_der(chain, leaf, &err), &err);
		for (size_t j = 0; j < n; j++) {
			al_buf d = { 0 };

			ck_assert_ok(al_json_get_b64(al_json_arr_at(certs, j), "c", "rawBytes", true, &d, &err), &err);
			ck_assert_ok(al_certs_add_der(j + 1 < n ? chain : roots, al_buf_bytes(&d), &err), &err);
			al_buf_free(&d);
		}
		al_x509_validity(al_certs_at(chain, 0), &nb, &na);
		if (al_x509_verify_at(chain, roots, nb, &o, p, &err) == AL_OK && p->n >= 2)
			return true;
	}
	return false;
}

START_TEST(conformance_scts)
{
	const char *shared = al_test_shared("test_sct");
	char path[4096];
	al_buf prod_buf = { 0 };
	al_json *prod = NULL;
	size_t checked = 0;
	bool saw_ext = false;
	DIR *d;
	struct dirent *e;

	if (shared == NULL)
		return;
	ck_assert(al_test_load_json(al_test_shared_path(PROD_ROOT), &prod_buf, &prod));
	snprintf(path, sizeof(path), "%s", al_test_shared_path(CONF_DIR));
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		al_buf bb = { 0 }, rb = { 0 }, leaf = { 0 }, flipped = { 0 };
		al_json *b = NULL, *own = NULL;
		const al_json *root;
		al_pubkey keys[16];
		al_ct_log logs[16];
		size_t nlogs = 0, n;
		al_certs chain, roots, bad;
		al_x509_path p;
		char f[4096 + 512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(f), "%s/%s/bundle.sigstore.json", path, e->d_name);
		if (!al_test_load_json(f, &bb, &b) || !al_test_bundle_leaf(b, &leaf))
			goto next;
		snprintf(f, sizeof(f), "%s/%s/trusted_root.json", path, e->d_name);
		root = al_test_load_json(f, &rb, &own) ? own : prod;
		al_certs_init(&chain);
		al_certs_init(&roots);
		al_certs_init(&bad);
		if (!find_issuer(root, al_buf_bytes(&leaf), &chain, &roots, &p)) {
			/* a leaf no CA of this root issued (wrong instance, bad dates) */
			ck_assert_msg(strstr(e->d_name, "_fail") != NULL, "%s: no issuer: %s", e->d_name, err.msg);
			goto free_certs;
		}
		nlogs = ct_logs(root, keys, logs, AL_ARRAY_LEN(keys));
		ck_assert_msg(al_sct_verify(p.crt[0], p.crt[1], logs, nlogs, 1, &n, &err) == AL_OK, "%s: %s",
			      e->d_name, err.msg);
		ck_assert_uint_ge(n, 1);
		if (strcmp(e->d_name, "bundle-with-sct-with-extensions") == 0) {
			al_sct s[4];
			size_t ns;
			static const uint8_t oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02 };
			al_bytes ext;
			bool present;
			al_rd r;

			ck_assert_ok(al_x509_ext(p.crt[0], al_bytes_of(oid, sizeof(oid)), &ext, NULL, &present, &err), &err);
			r = al_rd_of(ext);
			ck_assert_ok(al_sct_list_parse(al_der_take(&r, 0x04), s, 4, &ns, &err), &err);
			ck_assert_uint_eq(s[0].extensions.n, 8);
			saw_ext = true;
		}
		/* twin: the leaf as its own issuer */
		ck_assert_rc(al_sct_verify(p.crt[0], p.crt[0], logs, nlogs, 1, &n, &err), AL_E_CRYPTO_SCT, &err);
		/* twin: one flipped signature byte */
		flipped = flip_first_sct_sig(p.crt[0]);
		ck_assert_ok(al_certs_add_der(&bad, al_buf_bytes(&flipped), &err), &err);
		ck_assert_rc(al_sct_verify(al_certs_at(&bad, 0), p.crt[1], logs, nlogs, 1, &n, &err), AL_E_CRYPTO_SCT,
			     &err);
		/* twin: a root that knows none of the logs */
		ck_assert_rc(al_sct_verify(p.crt[0], p.crt[1], logs, 0, 1, &n, &err), AL_E_CRYPTO_SCT, &err);
		checked++;
		for (size_t i = 0; i < nlogs; i++)
			al_pubkey_free(&keys[i]);
free_certs:
		al_certs_free(&chain);
		al_certs_free(&roots);
		al_certs_free(&bad);
next:
		al_json_free(b);
		al_json_free(own);
		al_buf_free(&bb);
		al_buf_free(&rb);
		al_buf_free(&leaf);
		al_buf_free(&flipped);
	}
	closedir(d);
	fprintf(stderr, "test_sct: SCTs of %zu conformance Fulcio leaves verified\n", checked);
	ck_assert_uint_ge(checked, 30);
	ck_assert(saw_ext);
	al_json_free(prod);
	al_buf_free(&prod_buf);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sct");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, precert_tbs_matches_openssl_twin);
	tcase_add_test(tc, sct_fixture_verifies);
	tcase_add_test(tc, sct_flipped_signature);
	tcase_add_test(tc, sct_list_parser);
	tcase_add_test(tc, conformance_scts);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
