/*
 * test_x509.c — the strict DER reader, certificate lists, chain validation
 * at a given time, identity extraction.
 *
 * Fixtures: tests/data/pki/, a test CA made once with the openssl CLI by
 * tests/data/pki/gen.py (fixed validity windows, so every verdict here is
 * independent of the wall clock). Every accepting case has a rejecting
 * twin: one second outside a window, an expired root or intermediate, a
 * not-yet-valid leaf, a wrong or missing EKU, a chain carrying its root, a
 * look-alike untrusted hierarchy.
 *
 * External vectors (read in place from ../shared, skipped loudly when
 * absent): the Fulcio leaves of the sigstore-conformance bundles, judged
 * against the CAs of their trusted_root.json at the bundle's signed time.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/testutil.h"

static al_err err;

static const al_x509_opts CODE = { AL_EKU_CODE_SIGNING, false };

/* ---------------------------------------------------------------- helpers */

static int64_t
T(const char *gentime)
{
	int64_t t;

	ck_assert_ok(al_asn1_gentime(al_bytes_str(gentime), &t, NULL, &err), &err);
	return t;
}

/* chain = names..., roots = root; verifies at t */
static al_rc
verify3(const char *leaf, const char *inter, const char *root, int64_t t, const al_x509_opts *o,
	al_x509_path *path)
{
	al_certs chain, roots;
	al_rc rc;

	al_certs_init(&chain);
	al_certs_init(&roots);
	al_test_pki_add(&chain, leaf);
	if (inter)
		al_test_pki_add(&chain, inter);
	al_test_pki_add(&roots, root);
	al_err_clear(&err);
	rc = al_x509_verify_at(&chain, &roots, t, o, path, &err);
	al_certs_free(&chain);
	al_certs_free(&roots);
	return rc;
}


/* ---------------------------------------------------------------- DER reader */

START_TEST(der_strict_lengths)
{
	static const struct { const char *hex; bool ok; } cases[] = {
		{ "0400", true },
		{ "040161", true },
		{ "04817f" , false },           /* long form for < 128 */
		{ "0480", false },              /* indefinite (BER) */
		{ "04820080", false },          /* leading zero length octet */
		{ "0485000000000100", false },  /* more than 4 length octets */
		{ "1f0100", false },            /* high tag number */
		{ "0402aa", false },            /* truncated */
		{ "04", false },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(cases); i++) {
		al_buf b = al_test_hex(cases[i].hex);
		al_rd r = al_rd_of(al_buf_bytes(&b));
		al_der d;

		ck_assert_msg(al_der_any(&r, &d) == cases[i].ok, "case %s", cases[i].hex);
		ck_assert(al_rd_ok(&r) == cases[i].ok);
		al_buf_free(&b);
	}
	{
		/* 128 bytes: the smallest long form */
		uint8_t big[3 + 128] = { 0x04, 0x81, 0x80 };
		al_rd r = al_rd_of(al_bytes_of(big, sizeof(big)));
		al_der d;

		ck_assert(al_der_any(&r, &d));
		ck_assert_uint_eq(d.val.n, 128);
		ck_assert_uint_eq(d.tlv.n, sizeof(big));
		ck_assert(al_rd_done(&r));
	}
	{
		/* wrong tag poisons; peek does not consume */
		al_buf b = al_test_hex("3000");
		al_rd r = al_rd_of(al_buf_bytes(&b));

		ck_assert(al_der_peek(&r, 0x30));
		ck_assert(!al_der_peek(&r, 0x31));
		(void)al_der_take(&r, 0x31);
		ck_assert(!al_rd_ok(&r));
		al_buf_free(&b);
	}
}
END_TEST

/* ---------------------------------------------------------------- times */

START_TEST(gentime_and_format)
{
	int64_t t;
	uint32_t ns;
	char s[32];

	ck_assert_ok(al_asn1_gentime(al_bytes_str("20240101120500Z"), &t, &ns, &err), &err);
	ck_assert_int_eq(t, 1704110700);
	ck_assert_uint_eq(ns, 0);
	ck_assert_ok(al_asn1_gentime(al_bytes_str("20240101120500.123456Z"), &t, &ns, &err), &err);
	ck_assert_int_eq(t, 1704110700);
	ck_assert_uint_eq(ns, 123456000);
	ck_assert_ok(al_asn1_gentime(al_bytes_str("20240101120500.5Z"), &t, &ns, &err), &err);
	ck_assert_uint_eq(ns, 500000000);
	ck_assert_ok(al_asn1_gentime(al_bytes_str("20240101120500.123456789012Z"), &t, &ns, &err), &err);
	ck_assert_uint_eq(ns, 123456789);
	ck_assert_ok(al_asn1_gentime(al_bytes_str("20000229235959Z"), &t, NULL, &err), &err);
	ck_assert_int_eq(t, 951868799);
	ck_assert_ok(al_asn1_gentime(al_bytes_str("19691231235959Z"), &t, NULL, &err), &err);
	ck_assert_int_eq(t, -1);
	al_time_format(1704110700, s);
	ck_assert_str_eq(s, "2024-01-01T12:05:00Z");
	al_time_format(-1, s);
	ck_assert_str_eq(s, "1969-12-31T23:59:59Z");
	al_time_format(951868799, s);
	ck_assert_str_eq(s, "2000-02-29T23:59:59Z");
	/* rejecting twins */
	{
		static const char *bad[] = {
			"20240101120500",         /* no Z */
			"20240101120500+0100",    /* not UTC */
			"20240101120500.Z",       /* dot without digits */
			"2024010112050Z",         /* short */
			"20241301120500Z",        /* month 13 */
			"20230229120500Z",        /* not a leap year */
			"20240101240000Z",        /* hour 24 */
			"20240101120560Z",        /* second 60 */
			"20240101120500Z ",       /* trailing */
			"2024-1-01120500Z",
			"",
		};

		for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++)
			ck_assert_msg(al_asn1_gentime(al_bytes_str(bad[i]), &t, &ns, &err) == AL_E_DECODE,
				      "accepted \"%s\"", bad[i]);
	}
	{
		char many[128] = "20240101120500.";

		memset(many + 15, '1', 70);
		many[85] = 'Z';
		ck_assert_rc(al_asn1_gentime(al_bytes_str(many), &t, &ns, &err), AL_E_DECODE, &err);
	}
}
END_TEST

/* ---------------------------------------------------------------- lists */

START_TEST(certs_der_and_pem)
{
	al_certs c;
	al_buf b = al_test_pki_fixture("leaf_chain.pem"), d = al_test_pki_fixture("leaf.der"), x = { 0 };
	char name[256];

	al_certs_init(&c);
	ck_assert_ok(al_certs_add_pem(&c, al_buf_bytes(&b), &err), &err);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_ptr_null(al_certs_at(&c, 2));
	al_x509_describe(al_certs_at(&c, 1), name, sizeof(name));
	ck_assert_str_eq(name, "CN=airlock test intermediate, O=airlock test");
	ck_assert(al_certs_at(&c, 0)->raw.len == d.n && memcmp(al_certs_at(&c, 0)->raw.p, d.p, d.n) == 0);
	al_certs_free(&c);

	/* twins: bytes after the certificate, a truncated one, no block, another block type */
	al_certs_init(&c);
	ck_assert_ok(al_buf_append(&x, d.p, d.n, &err), &err);
	ck_assert_ok(al_buf_append(&x, "\0", 1, &err), &err);
	ck_assert_rc(al_certs_add_der(&c, al_buf_bytes(&x), &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_rc(al_certs_add_der(&c, al_bytes_of(d.p, d.n - 1), &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_rc(al_certs_add_der(&c, al_bytes_of(d.p, 0), &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_rc(al_certs_add_pem(&c, al_bytes_str("no pem here"), &err), AL_E_DECODE, &err);
	ck_assert_rc(al_certs_add_pem(&c, al_bytes_str("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
				      &err), AL_E_DECODE, &err);
	/* the bound */
	for (int i = 0; i < AL_MAX_CHAIN_CERTS; i++)
		ck_assert_ok(al_certs_add_der(&c, al_buf_bytes(&d), &err), &err);
	ck_assert_rc(al_certs_add_der(&c, al_buf_bytes(&d), &err), AL_E_LIMIT, &err);
	al_certs_free(&c);
	al_certs_free(NULL);
	al_buf_free(&b);
	al_buf_free(&d);
	al_buf_free(&x);
}
END_TEST

/* ---------------------------------------------------------------- validation at t */

START_TEST(valid_at_t_expired_now)
{
	al_certs chain, roots;
	al_x509_path p;
	int64_t nb, na;
	char name[256];

	/* a ten-minute leaf from 2024: expired for the wall clock, valid at t */
	al_certs_init(&chain);
	al_certs_init(&roots);
	al_test_pki_add(&chain, "leaf.der");
	al_test_pki_add(&chain, "inter.der");
	al_test_pki_add(&roots, "root.der");
	ck_assert_ok(al_x509_verify_at(&chain, &roots, T("20240101120500Z"), &CODE, &p, &err), &err);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_ptr_eq(p.crt[0], al_certs_at(&chain, 0));
	ck_assert_ptr_eq(p.crt[1], al_certs_at(&chain, 1));
	ck_assert_ptr_eq(p.crt[2], al_certs_at(&roots, 0));
	al_x509_describe(p.crt[1], name, sizeof(name));
	ck_assert_str_eq(name, "CN=airlock test intermediate, O=airlock test");
	al_x509_describe(p.crt[2], name, sizeof(name));
	ck_assert_str_eq(name, "CN=airlock test root, O=airlock test");
	al_x509_validity(p.crt[0], &nb, &na);
	ck_assert_int_eq(nb, T("20240101120000Z"));
	ck_assert_int_eq(na, T("20240101121000Z"));
	al_certs_free(&chain);
	al_certs_free(&roots);
	/* the window is closed at both ends */
	ck_assert_ok(verify3("leaf.der", "inter.der", "root.der", nb, &CODE, NULL), &err);
	ck_assert_ok(verify3("leaf.der", "inter.der", "root.der", na, &CODE, NULL), &err);
	ck_assert_rc(verify3("leaf.der", "inter.der", "root.der", na + 1, &CODE, NULL), AL_E_CRYPTO_TIME, &err);
	ck_assert_err_has(&err, "leaf certificate (CN=airlock leaf)");
	ck_assert_err_has(&err, "expired at 2024-01-01T12:10:01Z (notAfter 2024-01-01T12:10:00Z)");
	ck_assert_rc(verify3("leaf.der", "inter.der", "root.der", nb - 1, &CODE, NULL), AL_E_CRYPTO_TIME, &err);
	ck_assert_err_has(&err, "not yet valid at 2024-01-01T11:59:59Z");
}
END_TEST

START_TEST(expired_root)
{
	/* valid in 2013 while the root lived; rejected in 2024 because of the root */
	ck_assert_ok(verify3("old_leaf.der", "old_inter.der", "old_root.der", T("20130601000000Z"), &CODE, NULL), &err);
	ck_assert_rc(verify3("old_leaf.der", "old_inter.der", "old_root.der", T("20240101120500Z"), &CODE, NULL),
		     AL_E_CRYPTO_TIME, &err);
	ck_assert_err_has(&err, "certificate 2 (CN=airlock old root, O=airlock test): expired");
}
END_TEST

START_TEST(expired_intermediate)
{
	ck_assert_ok(verify3("leaf_under_expired.der", "inter_expired.der", "root.der", T("20210601000000Z"), &CODE,
			     NULL), &err);
	ck_assert_rc(verify3("leaf_under_expired.der", "inter_expired.der", "root.der", T("20240101120500Z"), &CODE,
			     NULL), AL_E_CRYPTO_TIME, &err);
	ck_assert_err_has(&err, "certificate 1 (CN=airlock expired intermediate, O=airlock test): expired");
}
END_TEST

START_TEST(not_yet_valid_leaf)
{
	ck_assert_rc(verify3("leaf_future.der", "inter.der", "root.der", T("20240101120500Z"), &CODE, NULL),
		     AL_E_CRYPTO_TIME, &err);
	ck_assert_err_has(&err, "leaf certificate (CN=airlock leaf_future): not yet valid");
	ck_assert_ok(verify3("leaf_future.der", "inter.der", "root.der", T("20300101000500Z"), &CODE, NULL), &err);
}
END_TEST

START_TEST(eku_and_key_usage)
{
	static const al_x509_opts TS = { AL_EKU_TIME_STAMPING, false };
	int64_t t = T("20240101120500Z");

	ck_assert_rc(verify3("leaf_serverauth.der", "inter.der", "root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "extended key usage does not include codeSigning");
	ck_assert_rc(verify3("leaf_noeku.der", "inter.der", "root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "no extended key usage extension");
	ck_assert_rc(verify3("leaf_kucertsign.der", "inter.der", "root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "digitalSignature");
	/* a code-signing leaf is not a TSA */
	ck_assert_rc(verify3("leaf.der", "inter.der", "root.der", t, &TS, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "timeStamping");
	ck_assert_ok(verify3("leaf_email.der", "inter.der", "root.der", t, &CODE, NULL), &err);
}
END_TEST

START_TEST(chain_with_root)
{
	static const al_x509_opts NOROOT = { AL_EKU_CODE_SIGNING, true };
	al_certs chain, roots;
	int64_t t = T("20240101120500Z");

	al_certs_init(&chain);
	al_certs_init(&roots);
	al_test_pki_add(&chain, "leaf.der");
	al_test_pki_add(&chain, "inter.der");
	al_test_pki_add(&chain, "root.der");
	al_test_pki_add(&roots, "root.der");
	/* mbedTLS itself accepts a chain that repeats a trusted root ... */
	ck_assert_ok(al_x509_verify_at(&chain, &roots, t, &CODE, NULL, &err), &err);
	/* ... the option is what rejects a bundle that ships one */
	ck_assert_rc(al_x509_verify_at(&chain, &roots, t, &NOROOT, NULL, &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "certificate 2 (CN=airlock test root, O=airlock test): is self-signed");
	al_certs_free(&chain);
	al_test_pki_add(&chain, "leaf.der");
	al_test_pki_add(&chain, "inter.der");
	ck_assert_ok(al_x509_verify_at(&chain, &roots, t, &NOROOT, NULL, &err), &err);
	al_certs_free(&chain);
	al_certs_free(&roots);
}
END_TEST

START_TEST(untrusted_root)
{
	al_certs chain, none;
	int64_t t = T("20240101120500Z");

	/* the right chain, another root */
	ck_assert_rc(verify3("leaf.der", "inter.der", "evil_root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "certificate 1 (CN=airlock test intermediate, O=airlock test): no valid signature");
	/* a look-alike chain (same names, other keys) under our root */
	ck_assert_rc(verify3("evil_leaf.der", "evil_inter.der", "root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	/* an intermediate missing */
	ck_assert_rc(verify3("leaf.der", NULL, "root.der", t, &CODE, NULL), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "leaf certificate (CN=airlock leaf): no valid signature");
	/* the intermediate given as a root is a trust anchor: that is the caller's choice */
	ck_assert_ok(verify3("leaf.der", NULL, "inter.der", t, &CODE, NULL), &err);
	/* nothing to trust */
	al_certs_init(&chain);
	al_certs_init(&none);
	al_test_pki_add(&chain, "leaf.der");
	ck_assert_rc(al_x509_verify_at(&chain, &none, t, &CODE, NULL, &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_rc(al_x509_verify_at(&none, &chain, t, &CODE, NULL, &err), AL_E_CRYPTO_CERT, &err);
	al_certs_free(&chain);
}
END_TEST

/* ---------------------------------------------------------------- identity */

START_TEST(identity_uri_email_othername)
{
	al_certs c;
	al_x509_identity id;
	al_bytes v;
	bool present;

	al_certs_init(&c);
	al_test_pki_add(&c, "leaf.der");
	al_test_pki_add(&c, "leaf_email.der");
	al_test_pki_add(&c, "leaf_othername.der");
	al_test_pki_add(&c, "inter.der");
	ck_assert_ok(al_x509_identity_get(al_certs_at(&c, 0), &id, &err), &err);
	ck_assert_int_eq(id.san_kind, AL_SAN_URI);
	ck_assert(al_bytes_eq_str(id.san, "https://github.com/airlock-test/repo/.github/workflows/release.yml@refs/heads/main"));
	ck_assert(al_bytes_eq_str(id.issuer, "https://token.actions.githubusercontent.com"));
	ck_assert_ok(al_x509_identity_get(al_certs_at(&c, 1), &id, &err), &err);
	ck_assert_int_eq(id.san_kind, AL_SAN_EMAIL);
	ck_assert(al_bytes_eq_str(id.san, "signer@airlock.test"));
	ck_assert(al_bytes_eq_str(id.issuer, "https://accounts.google.com")); /* .1.1 fallback, raw */
	ck_assert_ok(al_x509_identity_get(al_certs_at(&c, 2), &id, &err), &err);
	ck_assert_int_eq(id.san_kind, AL_SAN_OTHERNAME);
	ck_assert(al_bytes_eq_str(id.san, "foo!oidc.local"));
	ck_assert(al_bytes_eq_str(id.issuer, "https://oidc.local"));
	/* twin: a CA certificate has no SAN */
	ck_assert_rc(al_x509_identity_get(al_certs_at(&c, 3), &id, &err), AL_E_CRYPTO_CERT, &err);
	ck_assert_err_has(&err, "no subjectAltName");

	ck_assert_ok(al_x509_fulcio_ext(al_certs_at(&c, 0), 1, &v, &present, &err), &err);
	ck_assert(present && al_bytes_eq_str(v, "https://legacy.issuer.example"));
	ck_assert_ok(al_x509_fulcio_ext(al_certs_at(&c, 0), 9, &v, &present, &err), &err);
	ck_assert(present && al_bytes_eq_str(v, "https://github.com/airlock-test/builder/.github/workflows/build.yml@refs/tags/v1"));
	ck_assert_ok(al_x509_fulcio_ext(al_certs_at(&c, 0), 12, &v, &present, &err), &err);
	ck_assert(!present && v.n == 0);
	ck_assert_rc(al_x509_fulcio_ext(al_certs_at(&c, 0), 7, &v, &present, &err), AL_E_INTERNAL, &err);
	ck_assert_rc(al_x509_fulcio_ext(al_certs_at(&c, 0), 0, &v, &present, &err), AL_E_INTERNAL, &err);
	al_certs_free(&c);
}
END_TEST

START_TEST(extension_lookup)
{
	static const uint8_t san[] = { 0x55, 0x1d, 0x11 }, bc[] = { 0x55, 0x1d, 0x13 }, none[] = { 0x55, 0x1d, 0x20 };
	al_certs c;
	al_bytes v;
	bool present, critical;

	al_certs_init(&c);
	al_test_pki_add(&c, "leaf.der");
	ck_assert_ok(al_x509_ext(al_certs_at(&c, 0), al_bytes_of(san, 3), &v, &critical, &present, &err), &err);
	ck_assert(present && critical && v.n > 0);
	ck_assert_ok(al_x509_ext(al_certs_at(&c, 0), al_bytes_of(bc, 3), &v, &critical, &present, &err), &err);
	ck_assert(present && critical);
	ck_assert_ok(al_x509_ext(al_certs_at(&c, 0), al_bytes_of(none, 3), &v, NULL, &present, &err), &err);
	ck_assert(!present);
	al_certs_free(&c);
}
END_TEST

/* ---------------------------------------------------------------- conformance vectors */

#define CONF_DIR "vectors/sigstore__sigstore-conformance/test/assets/bundle-verify"
#define PROD_ROOT "vectors/sigstore__root-signing/targets/trusted_root.json"

/* Chain leaf to the CA entries of root whose validFor holds t. */
static al_rc
verify_fulcio(const al_json *root, al_bytes leaf, int64_t t, al_x509_path *path, al_certs *keep_chain,
	      al_certs *keep_roots)
{
	const al_json *cas = al_json_member(root, "certificateAuthorities");
	al_rc rc = AL_E_CRYPTO_CERT;
	bool any = false;

	al_err_set(&err, AL_E_CRYPTO_CERT, "no CA valid at t");
	for (size_t i = 0; cas && i < al_json_arr_len(cas); i++) {
		const al_json *ca = al_json_arr_at(cas, i), *certs;
		int64_t s, e;
		size_t n;

		al_test_valid_for(ca, &s, &e);
		if (t < s || t > e)
			continue;
		any = true;
		certs = al_json_member(al_json_member(ca, "certChain"), "certificates");
		n = al_json_arr_len(certs);
		al_certs_free(keep_chain);
		al_certs_free(keep_roots);
		ck_assert_ok(al_certs_add_der(keep_chain, leaf, &err), &err);
		for (size_t j = 0; j < n; j++) {
			al_buf d = { 0 };

			ck_assert_ok(al_json_get_b64(al_json_arr_at(certs, j), "c", "rawBytes", true, &d, &err), &err);
			ck_assert_ok(al_certs_add_der(j + 1 < n ? keep_chain : keep_roots, al_buf_bytes(&d), &err), &err);
			al_buf_free(&d);
		}
		al_err_clear(&err);
		rc = al_x509_verify_at(keep_chain, keep_roots, t, &(al_x509_opts){ AL_EKU_CODE_SIGNING, true }, path,
				       &err);
		if (rc == AL_OK)
			return rc;
	}
	if (!any)
		return AL_E_CRYPTO_TIME;
	return rc;
}

/* Cases whose Fulcio chain must fail at the signed time, and why. */
static const struct { const char *name; al_rc rc; } chain_fail[] = {
	{ "bundle-from-wrong-instance_fail", AL_E_CRYPTO_CERT }, /* staging leaf, production CAs */
	{ "integrated-time-in-future_fail", AL_E_CRYPTO_TIME },  /* integratedTime after the leaf's notAfter */
	{ "intoto-expired-certificate_fail", AL_E_CRYPTO_TIME }, /* no CA of the root valid at integratedTime */
};

START_TEST(conformance_fulcio_leaves)
{
	const char *shared = al_test_shared("test_x509");
	char path[4096];
	al_buf prod_buf = { 0 };
	al_json *prod = NULL;
	size_t checked = 0;
	DIR *d;
	struct dirent *e;

	if (shared == NULL)
		return;
	ck_assert(al_test_load_json(al_test_shared_path(PROD_ROOT), &prod_buf, &prod));
	snprintf(path, sizeof(path), "%s", al_test_shared_path(CONF_DIR));
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		al_buf bb = { 0 }, rb = { 0 }, leaf = { 0 };
		al_json *b = NULL, *own = NULL;
		const al_json *root, *tl;
		int64_t t;
		bool present, want_fail = false;
		al_rc want_rc = AL_OK;
		al_certs chain, roots;
		al_x509_path p;
		al_x509_identity id;
		al_rc rc;
		char f[4096 + 512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(f), "%s/%s/bundle.sigstore.json", path, e->d_name);
		if (!al_test_load_json(f, &bb, &b) || !al_test_bundle_leaf(b, &leaf))
			goto next;
		snprintf(f, sizeof(f), "%s/%s/trusted_root.json", path, e->d_name);
		root = al_test_load_json(f, &rb, &own) ? own : prod;
		/* the signed time: the Rekor v1 integratedTime (Rekor v2 cases are in test_tsa) */
		tl = al_json_member(al_json_member(b, "verificationMaterial"), "tlogEntries");
		if (tl == NULL || al_json_arr_len(tl) == 0)
			goto next;
		ck_assert_ok(al_json_get_i64(al_json_arr_at(tl, 0), "e", "integratedTime", false, &t, &present, &err),
			     &err);
		if (!present || t == 0)
			goto next;
		for (size_t i = 0; i < AL_ARRAY_LEN(chain_fail); i++)
			if (strcmp(e->d_name, chain_fail[i].name) == 0) {
				want_fail = true;
				want_rc = chain_fail[i].rc;
			}
		al_certs_init(&chain);
		al_certs_init(&roots);
		rc = verify_fulcio(root, al_buf_bytes(&leaf), t, &p, &chain, &roots);
		if (want_fail) {
			ck_assert_msg(rc == want_rc, "%s: got %s want %s: %s", e->d_name, al_rc_name(rc),
				      al_rc_name(want_rc), err.msg);
			fprintf(stderr, "test_x509: %s rejected: %s\n", e->d_name, err.msg);
		} else {
			ck_assert_msg(rc == AL_OK, "%s: %s", e->d_name, err.msg);
			ck_assert_uint_ge(p.n, 2);
			/* the leaf's critical SAN is accepted and read */
			ck_assert_ok(al_x509_identity_get(p.crt[0], &id, &err), &err);
			ck_assert(id.san.n > 0 && id.issuer.n > 0);
			/* a second past the leaf's life is refused: judged at t, not now */
			{
				int64_t nb, na;

				al_x509_validity(p.crt[0], &nb, &na);
				ck_assert_int_le(na - nb, 24 * 3600);
				ck_assert_rc(verify_fulcio(root, al_buf_bytes(&leaf), na + 1, NULL, &chain, &roots),
					     AL_E_CRYPTO_TIME, &err);
			}
		}
		checked++;
		al_certs_free(&chain);
		al_certs_free(&roots);
next:
		al_json_free(b);
		al_json_free(own);
		al_buf_free(&bb);
		al_buf_free(&rb);
		al_buf_free(&leaf);
	}
	closedir(d);
	fprintf(stderr, "test_x509: %zu conformance Fulcio leaves judged at their integratedTime\n", checked);
	ck_assert_uint_ge(checked, 15);
	al_json_free(prod);
	al_buf_free(&prod_buf);
}
END_TEST

START_TEST(conformance_identity)
{
	static const char *want_san =
		"https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
		"extremely-dangerous-oidc-beacon.yml@refs/heads/main";
	const char *shared = al_test_shared("test_x509");
	al_buf bb = { 0 }, leaf = { 0 };
	al_json *b = NULL;
	al_certs c;
	al_x509_identity id;
	char name[256];

	if (shared == NULL)
		return;
	ck_assert(al_test_load_json(al_test_shared_path(CONF_DIR "/happy-path-v0.3/bundle.sigstore.json"), &bb, &b));
	ck_assert(al_test_bundle_leaf(b, &leaf));
	al_certs_init(&c);
	ck_assert_ok(al_certs_add_der(&c, al_buf_bytes(&leaf), &err), &err);
	ck_assert_ok(al_x509_identity_get(al_certs_at(&c, 0), &id, &err), &err);
	ck_assert_int_eq(id.san_kind, AL_SAN_URI);
	ck_assert_msg(al_bytes_eq_str(id.san, want_san), "SAN %.*s", (int)id.san.n, (const char *)id.san.p);
	ck_assert(al_bytes_eq_str(id.issuer, "https://token.actions.githubusercontent.com"));
	/* a Fulcio leaf has an empty subject: it is named by its serial */
	al_x509_describe(al_certs_at(&c, 0), name, sizeof(name));
	ck_assert_msg(strncmp(name, "serial ", 7) == 0, "%s", name);
	al_certs_free(&c);
	al_json_free(b);
	al_buf_free(&bb);
	al_buf_free(&leaf);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("x509");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, der_strict_lengths);
	tcase_add_test(tc, gentime_and_format);
	tcase_add_test(tc, certs_der_and_pem);
	tcase_add_test(tc, valid_at_t_expired_now);
	tcase_add_test(tc, expired_root);
	tcase_add_test(tc, expired_intermediate);
	tcase_add_test(tc, not_yet_valid_leaf);
	tcase_add_test(tc, eku_and_key_usage);
	tcase_add_test(tc, chain_with_root);
	tcase_add_test(tc, untrusted_root);
	tcase_add_test(tc, identity_uri_email_othername);
	tcase_add_test(tc, extension_lookup);
	tcase_add_test(tc, conformance_fulcio_leaves);
	tcase_add_test(tc, conformance_identity);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
