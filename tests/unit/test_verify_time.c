/*
 * test_verify_time.c — which times may judge trust material in a Sigstore
 * bundle's verification (al_verify_sigstore, al_check_set).
 *
 * Only signed times count: a SET-covered integratedTime and an RFC 3161
 * genTime. An integratedTime no SET covers (a proof-only entry) is the
 * bundle's own claim: it must not select a log key, a CA, a CT log or a TSA,
 * nor open a validity window. The attack these tests replay: a bundle that
 * fails because its log key (or CA) is outside its validFor at the real
 * time, re-edited so its unsigned integratedTime lies inside a retired key's
 * window, with the SET removed.
 *
 * Every case is a pair: the bundle as signed passes, and one edit (a window
 * moved by one second, a SET or a timestamp removed, the unsigned time moved)
 * flips the verdict, so deleting any one time-window check in the verifier
 * makes some case here fail. Real conformance bundles are used unchanged in
 * their signed parts; only the trusted root (which nothing signs) and the
 * unsigned fields of the parsed model are edited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/testutil.h"
#include "verify/internal.h"

#define CONF "vectors/sigstore__sigstore-conformance/test/assets/bundle-verify/"
#define PROD_ROOT "vectors/sigstore__root-signing/targets/trusted_root.json"

static al_err err;

/* One conformance case, parsed, ready to be edited and verified. */
typedef struct fx {
	al_trust_root root;
	al_sigstore_bundle b;
	al_pubkey key;
	bool key_mode;
	al_identity_policy idp;
	char art[4096];
	char san[512], iss[256];
} fx;

static void
read_default(const char *prefix, char *out, size_t cap)
{
	al_buf t = al_test_read(al_test_shared_path("vectors/sigstore__sigstore-conformance/EXPECTATIONS.tsv"));
	const char *p;
	size_t n = 0;

	ck_assert(al_buf_reserve(&t, 1, &err) == AL_OK);
	t.p[t.n] = '\0';
	p = strstr((const char *)t.p, prefix);
	ck_assert_msg(p != NULL, "EXPECTATIONS.tsv lacks %s", prefix);
	p += strlen(prefix);
	while (p[n] && p[n] != '\n' && n + 1 < cap)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	al_buf_free(&t);
}

/* case_dir under CONF; root_rel NULL for the case's own trusted_root.json. */
static void
fx_load(fx *f, const char *case_dir, const char *root_rel, bool key_mode, const char *art_rel)
{
	char path[4096];
	al_buf j;

	memset(f, 0, sizeof(*f));
	al_pubkey_init(&f->key);
	snprintf(path, sizeof(path), "%s%s/%s", CONF, case_dir, root_rel ? "" : "trusted_root.json");
	j = al_test_read(al_test_shared_path(root_rel ? root_rel : path));
	ck_assert_ok(al_trust_root_parse(al_buf_bytes(&j), &f->root, &err), &err);
	al_buf_free(&j);
	snprintf(path, sizeof(path), "%s%s/bundle.sigstore.json", CONF, case_dir);
	j = al_test_read(al_test_shared_path(path));
	ck_assert_ok(al_sigstore_bundle_parse(al_buf_bytes(&j), &f->b, &err), &err);
	al_buf_free(&j);
	f->key_mode = key_mode;
	if (key_mode) {
		snprintf(path, sizeof(path), "%s%s/key.pub", CONF, case_dir);
		ck_assert_ok(al_trust_load_pem_key(al_test_shared_path(path), &f->key, &err), &err);
	} else {
		read_default("# DEFAULT identity = ", f->san, sizeof(f->san));
		read_default("# DEFAULT issuer   = ", f->iss, sizeof(f->iss));
		f->idp.san = f->san;
		f->idp.issuer = f->iss;
	}
	snprintf(path, sizeof(path), "%s%s", CONF, art_rel);
	snprintf(f->art, sizeof(f->art), "%s", al_test_shared_path(path));
}

static void
fx_free(fx *f)
{
	al_trust_root_free(&f->root);
	al_sigstore_bundle_free(&f->b);
	al_pubkey_free(&f->key);
}

/* managed-key-happy-path: key mode, Rekor v1 entry with SET and proof, one
 * RFC 3161 timestamp, public-good root. */
static void
fx_key(fx *f)
{
	fx_load(f, "managed-key-happy-path", PROD_ROOT, true, "a.txt");
}

/* intoto-with-custom-trust-root: certificate mode, intoto/0.0.2 entry with
 * SET and proof, one RFC 3161 timestamp, its own root. */
static void
fx_cert(fx *f)
{
	fx_load(f, "intoto-with-custom-trust-root", NULL, false, "intoto-with-custom-trust-root/artifact");
}

/* rekor2-happy-path: certificate mode, Rekor v2 entry (proof only), TSA. */
static void
fx_v2(fx *f)
{
	fx_load(f, "rekor2-happy-path", NULL, false, "a.txt");
}

static al_rc
run(fx *f, al_vtimes *times)
{
	al_artifact a;
	al_signer s;
	al_outcome o;
	al_rc rc;

	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	al_vtimes_free(times); /* what a previous run left (callers start from a zeroed one) */
	al_err_clear(&err);
	ck_assert_ok(al_artifact_init(&a, f->art, &err), &err);
	{
		al_arena arena = { 0 };
		al_rec rec = { .arena = &arena };

		rc = al_verify_sigstore(&f->root, &f->b, f->key_mode ? &f->key : NULL, f->key_mode ? 1 : 0,
					f->key_mode ? NULL : &f->idp, &a, &s, times, &o, &rec, &err);
		/* the recorder's last check is the one that decided a failure */
		if (rc != AL_OK)
			ck_assert_msg(rec.n > 0 && rec.v[rec.n - 1].status != AL_ST_PASS,
				      "a failure (%s) left no failing check in the result", err.msg);
		al_arena_free(&arena);
	}
	al_signer_free(&s);
	return rc;
}

static void
expect(fx *f, al_rc want, const char *msg_part)
{
	al_vtimes t = { 0 };
	al_rc rc = run(f, &t);

	al_vtimes_free(&t);
	ck_assert_msg(rc == want, "got %s want %s: %s", al_rc_name(rc), al_rc_name(want), err.msg);
	if (msg_part)
		ck_assert_msg(strstr(err.msg, msg_part) != NULL, "message lacks \"%s\": %s", msg_part, err.msg);
}

/* The one verified time of a source in the unedited bundle. */
static int64_t
time_of(fx *f, al_time_source src)
{
	al_vtimes t = { 0 };
	int64_t v = 0;
	size_t n = 0;

	ck_assert_ok(run(f, &t), &err);
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].src == src) {
			v = t.v[i].t;
			n++;
		}
	al_vtimes_free(&t);
	ck_assert_uint_eq(n, 1);
	return v;
}

static al_trust_log *
log_of(fx *f, size_t entry)
{
	const al_trust_log *l = al_trust_tlog_by_id(&f->root, al_buf_bytes(&f->b.tlog[entry].log_id));

	ck_assert_ptr_nonnull(l);
	return &f->root.tlogs[l - f->root.tlogs];
}

static void
set_end(al_validity *v, int64_t end)
{
	v->has_end = true;
	v->end = end;
	v->end_ns = 0;
}

static void
set_start(al_validity *v, int64_t start)
{
	v->has_start = true;
	v->start = start;
	v->start_ns = 0;
}

static void
strip_set(fx *f)
{
	for (size_t i = 0; i < f->b.ntlog; i++)
		f->b.tlog[i].has_promise = false;
}

static void
strip_tsa(fx *f)
{
	for (size_t i = 0; i < f->b.nts; i++)
		al_buf_free(&f->b.ts[i]);
	f->b.nts = 0;
}

static void
leaf_validity(fx *f, int64_t *nb, int64_t *na)
{
	al_certs c;

	al_certs_init(&c);
	ck_assert_ok(al_certs_add_der(&c, al_buf_bytes(&f->b.certs[0]), &err), &err);
	al_x509_validity(al_certs_at(&c, 0), nb, na);
	al_certs_free(&c);
}

/* ---------------------------------------------------------------- baselines */

START_TEST(baselines_verify)
{
	fx f;
	al_vtimes t = { 0 };

	if (!al_test_shared("verify_time"))
		return;
	/* with SET and TSA: both times are verified times */
	fx_key(&f);
	ck_assert_ok(run(&f, &t), &err);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_int_eq(time_of(&f, AL_TIME_SET), f.b.tlog[0].integrated_time);
	fx_free(&f);
	fx_cert(&f);
	ck_assert_ok(run(&f, &t), &err);
	ck_assert_int_eq(time_of(&f, AL_TIME_SET), f.b.tlog[0].integrated_time);
	fx_free(&f);
	fx_v2(&f);
	ck_assert_ok(run(&f, &t), &err);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].src, AL_TIME_TSA);
	al_vtimes_free(&t);
	fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- SET: signed time, log key window */

START_TEST(set_log_window)
{
	fx f;
	int64_t it;

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	it = f.b.tlog[0].integrated_time;
	set_end(&log_of(&f, 0)->valid_for, it - 1);
	expect(&f, AL_E_TLOG_SET, "outside the validity of log");
	set_end(&log_of(&f, 0)->valid_for, it); /* closed window: the end itself is in */
	expect(&f, AL_OK, NULL);
	set_start(&log_of(&f, 0)->valid_for, it + 1);
	expect(&f, AL_E_TLOG_SET, "outside the validity of log");
	fx_free(&f);
}
END_TEST

/* al_check_set alone (also what cosign SET annotations in images use): the
 * time joins the verified times only when the SET verifies and the key is
 * valid at it; a bad SET fails on its signature even when its time is also
 * outside the window, and adds nothing. */
START_TEST(check_set_adds_only_signed_times)
{
	fx f;
	al_vtimes t = { 0 };
	const al_sigstore_tlog_entry *e;
	al_buf bad = { 0 };

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	e = &f.b.tlog[0];
	al_vtimes_free(&t);
	ck_assert_ok(al_check_set(&f.root, al_buf_bytes(&e->body), e->integrated_time, al_buf_bytes(&e->log_id),
				  e->log_index, al_buf_bytes(&e->set), &t, &err), &err);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].t, e->integrated_time);
	/* a time the SET does not cover: signature error, no time */
	al_vtimes_free(&t);
	ck_assert_rc(al_check_set(&f.root, al_buf_bytes(&e->body), e->integrated_time - 86400,
				  al_buf_bytes(&e->log_id), e->log_index, al_buf_bytes(&e->set), &t, &err),
		     AL_E_TLOG_SET, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "does not verify"));
	ck_assert_uint_eq(t.n, 0);
	/* ... also when that time is outside the key's window: the signature is judged first */
	set_start(&log_of(&f, 0)->valid_for, e->integrated_time - 3600);
	al_vtimes_free(&t);
	ck_assert_rc(al_check_set(&f.root, al_buf_bytes(&e->body), e->integrated_time - 86400,
				  al_buf_bytes(&e->log_id), e->log_index, al_buf_bytes(&e->set), &t, &err),
		     AL_E_TLOG_SET, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "does not verify"));
	ck_assert_uint_eq(t.n, 0);
	/* a verified SET whose key is retired at its time: rejected, no time */
	set_start(&log_of(&f, 0)->valid_for, e->integrated_time + 1);
	al_vtimes_free(&t);
	ck_assert_rc(al_check_set(&f.root, al_buf_bytes(&e->body), e->integrated_time, al_buf_bytes(&e->log_id),
				  e->log_index, al_buf_bytes(&e->set), &t, &err),
		     AL_E_TLOG_SET, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "SET-verified integratedTime"));
	ck_assert_uint_eq(t.n, 0);
	/* a corrupted SET */
	ck_assert_ok(al_buf_append(&bad, e->set.p, e->set.n, &err), &err);
	bad.p[bad.n / 2] ^= 1;
	set_start(&log_of(&f, 0)->valid_for, 0);
	ck_assert_rc(al_check_set(&f.root, al_buf_bytes(&e->body), e->integrated_time, al_buf_bytes(&e->log_id),
				  e->log_index, al_buf_bytes(&bad), &t, &err),
		     AL_E_TLOG_SET, &err);
	ck_assert_uint_eq(t.n, 0);
	al_vtimes_free(&t);
	al_buf_free(&bad);
	fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- the attack: proof-only entries */

/* No SET and no timestamp: nothing signed says when the checkpoint's key was
 * used, so the log key cannot be judged and the bundle fails, wherever the
 * unsigned integratedTime is put. This was exit 0 before: the retired key's
 * window was checked only against the unsigned time. */
START_TEST(proof_only_without_tsa_fails)
{
	fx f;
	int64_t it;

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	it = f.b.tlog[0].integrated_time;
	strip_set(&f);
	strip_tsa(&f);
	/* the key retired a day before the entry; the claim moved inside its window */
	set_end(&log_of(&f, 0)->valid_for, it - 86400);
	f.b.tlog[0].integrated_time = it - 2 * 86400;
	expect(&f, AL_E_CRYPTO_TSA, "needs a verified RFC 3161 timestamp");
	/* no claim at all */
	f.b.tlog[0].integrated_time = 0;
	expect(&f, AL_E_CRYPTO_TSA, "needs a verified RFC 3161 timestamp");
	/* and with the key valid throughout: still no time to judge it at */
	log_of(&f, 0)->valid_for.has_end = false;
	f.b.tlog[0].integrated_time = it;
	expect(&f, AL_E_CRYPTO_TSA, "needs a verified RFC 3161 timestamp");
	fx_free(&f);
}
END_TEST

/* With a timestamp, the proof-only entry's key is judged at the TSA's
 * genTime: a key retired before it fails, whatever the unsigned time says;
 * the twin (key valid through genTime) passes. */
START_TEST(proof_only_judged_at_tsa_time)
{
	fx f;
	int64_t tsa;
	al_vtimes t = { 0 };

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	tsa = time_of(&f, AL_TIME_TSA);
	strip_set(&f);
	/* twin: no SET, TSA kept, the key valid: verifies, and the only verified
	 * time is the TSA's (the unsigned integratedTime is not one) */
	ck_assert_ok(run(&f, &t), &err);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].src, AL_TIME_TSA);
	al_vtimes_free(&t);
	set_end(&log_of(&f, 0)->valid_for, tsa);
	expect(&f, AL_OK, NULL);
	/* the attack: the key retired a second before genTime, integratedTime
	 * moved into the retired key's window */
	set_end(&log_of(&f, 0)->valid_for, tsa - 1);
	f.b.tlog[0].integrated_time = tsa - 3600;
	expect(&f, AL_E_TLOG_PROOF, "not valid at the timestamped time");
	f.b.tlog[0].integrated_time = 0;
	expect(&f, AL_E_TLOG_PROOF, "not valid at the timestamped time");
	/* a key whose window starts after genTime */
	log_of(&f, 0)->valid_for.has_end = false;
	set_start(&log_of(&f, 0)->valid_for, tsa + 1);
	f.b.tlog[0].integrated_time = tsa + 3600;
	expect(&f, AL_E_TLOG_PROOF, "not valid at the timestamped time");
	fx_free(&f);
}
END_TEST

/* An unsigned integratedTime outside the log key's window contradicts the
 * bundle's other evidence: rejected even though the TSA time is inside
 * (the decision documented above check_entry). */
START_TEST(proof_only_unsigned_time_outside_key_window)
{
	fx f;
	int64_t start;

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	strip_set(&f);
	start = log_of(&f, 0)->valid_for.start;
	f.b.tlog[0].integrated_time = start;
	expect(&f, AL_OK, NULL);
	f.b.tlog[0].integrated_time = start - 1;
	expect(&f, AL_E_TLOG_PROOF, "not signed");
	fx_free(&f);
}
END_TEST

/* Neither SET nor proof (the parser refuses it; the verifier must too). */
START_TEST(entry_without_promise_or_proof)
{
	fx f;

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	strip_set(&f);
	f.b.tlog[0].has_proof = false;
	expect(&f, AL_E_TLOG_PROOF, "neither");
	fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- CA, leaf, CT log, TSA windows */

/* CAs are chosen at verified times only: with the SET removed, a CA that
 * ended before genTime fails even when the unsigned integratedTime is
 * moved inside the CA's window. */
START_TEST(ca_window_at_verified_times)
{
	fx f;
	int64_t tsa, set;

	if (!al_test_shared("verify_time"))
		return;
	fx_cert(&f);
	tsa = time_of(&f, AL_TIME_TSA);
	set = time_of(&f, AL_TIME_SET);
	ck_assert_uint_eq(f.root.ncas, 1);
	/* TSA time only */
	strip_set(&f);
	set_end(&f.root.cas[0].valid_for, tsa);
	expect(&f, AL_OK, NULL);
	set_end(&f.root.cas[0].valid_for, tsa - 1);
	expect(&f, AL_E_CRYPTO_CERT, "no certificate authority");
	/* a CA that starts a second after genTime; the unsigned integratedTime
	 * moved into its window (and still inside the leaf's validity) */
	f.root.cas[0].valid_for.has_end = false;
	set_start(&f.root.cas[0].valid_for, tsa + 1);
	f.b.tlog[0].integrated_time = tsa + 60;
	expect(&f, AL_E_CRYPTO_CERT, "no certificate authority");
	fx_free(&f);
	/* SET time only */
	fx_cert(&f);
	strip_tsa(&f);
	set_end(&f.root.cas[0].valid_for, set);
	expect(&f, AL_OK, NULL);
	set_end(&f.root.cas[0].valid_for, set - 1);
	expect(&f, AL_E_CRYPTO_CERT, "no certificate authority");
	fx_free(&f);
	/* neither: no time to judge the certificate at */
	fx_cert(&f);
	strip_tsa(&f);
	strip_set(&f);
	expect(&f, AL_E_CRYPTO_TSA, "needs a verified RFC 3161 timestamp");
	fx_free(&f);
}
END_TEST

/* The leaf at each verified time; and a non-zero unsigned integratedTime
 * outside the leaf's validity rejects (as sigstore-go does). */
START_TEST(leaf_window)
{
	fx f;
	int64_t nb, na;

	if (!al_test_shared("verify_time"))
		return;
	fx_cert(&f);
	leaf_validity(&f, &nb, &na);
	strip_set(&f);
	f.b.tlog[0].integrated_time = na;
	expect(&f, AL_OK, NULL);
	f.b.tlog[0].integrated_time = na + 1;
	expect(&f, AL_E_CRYPTO_TIME, "not signed");
	f.b.tlog[0].integrated_time = nb - 1;
	expect(&f, AL_E_CRYPTO_TIME, "not signed");
	fx_free(&f);
}
END_TEST

/* A verified time outside the leaf's life: the TSA's genTime here (a SET
 * time is caught earlier, by the loop over integrated times). */
START_TEST(leaf_at_verified_time)
{
	fx f;

	if (!al_test_shared("verify_time"))
		return;
	fx_load(&f, "rekor2-timestamp-with-incorrect-time_fail", NULL, false, "a.txt");
	expect(&f, AL_E_CRYPTO_TIME, "but was used at");
	fx_free(&f);
}
END_TEST

/* al_check_certificate (shared with image signatures) refuses to judge a
 * certificate without any verified time, rather than at some other time. */
START_TEST(certificate_needs_a_time)
{
	fx f;
	al_signer s;
	al_vtimes none;

	if (!al_test_shared("verify_time"))
		return;
	fx_cert(&f);
	memset(&none, 0, sizeof(none));
	ck_assert_ok(al_signer_from_cert(&s, al_buf_bytes(&f.b.certs[0]), &err), &err);
	{
		al_arena arena = { 0 };
		al_rec rec = { .arena = &arena };

		ck_assert_rc(al_check_certificate(&f.root, &s, &none, &f.idp, &rec, &err), AL_E_CRYPTO_TIME, &err);
		ck_assert_int_eq(rec.n, 1);
		ck_assert_str_eq(rec.v[0].name, "certificate.validity");
		ck_assert_int_eq(rec.v[0].status, AL_ST_FAIL);
		al_arena_free(&arena);
	}
	al_signer_free(&s);
	fx_free(&f);
}
END_TEST

/* CT logs are judged at their SCT's own signed timestamp. */
START_TEST(ctlog_window)
{
	fx f;
	int64_t nb, na;

	if (!al_test_shared("verify_time"))
		return;
	fx_cert(&f);
	leaf_validity(&f, &nb, &na);
	for (size_t i = 0; i < f.root.nctlogs; i++)
		set_end(&f.root.ctlogs[i].valid_for, na);
	expect(&f, AL_OK, NULL);
	for (size_t i = 0; i < f.root.nctlogs; i++)
		set_end(&f.root.ctlogs[i].valid_for, nb - 1);
	expect(&f, AL_E_CRYPTO_SCT, "outside the log's validity");
	fx_free(&f);
}
END_TEST

/* TSAs are judged at their own verified genTime. */
START_TEST(tsa_window)
{
	fx f;
	int64_t tsa;

	if (!al_test_shared("verify_time"))
		return;
	fx_key(&f);
	tsa = time_of(&f, AL_TIME_TSA);
	ck_assert_uint_eq(f.root.ntsas, 1);
	set_end(&f.root.tsas[0].valid_for, tsa + 1);
	expect(&f, AL_OK, NULL);
	set_end(&f.root.tsas[0].valid_for, tsa - 1);
	expect(&f, AL_E_CRYPTO_TSA, "outside the TSA's validFor");
	fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- Rekor v2 */

START_TEST(rekor_v2_key_at_tsa_time)
{
	fx f;
	int64_t tsa;

	if (!al_test_shared("verify_time"))
		return;
	fx_v2(&f);
	tsa = time_of(&f, AL_TIME_TSA);
	set_end(&log_of(&f, 0)->valid_for, tsa);
	expect(&f, AL_OK, NULL);
	/* retired before genTime; an integratedTime planted in its window changes nothing */
	set_end(&log_of(&f, 0)->valid_for, tsa - 1);
	f.b.tlog[0].integrated_time = tsa - 60;
	expect(&f, AL_E_TLOG_PROOF, "not valid at the timestamped time");
	fx_free(&f);
	fx_v2(&f);
	strip_tsa(&f);
	f.b.tlog[0].integrated_time = tsa;
	expect(&f, AL_E_CRYPTO_TSA, "Rekor v2 entry has no integrated time");
	fx_free(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("verify_time");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, baselines_verify);
	tcase_add_test(tc, set_log_window);
	tcase_add_test(tc, check_set_adds_only_signed_times);
	tcase_add_test(tc, proof_only_without_tsa_fails);
	tcase_add_test(tc, proof_only_judged_at_tsa_time);
	tcase_add_test(tc, proof_only_unsigned_time_outside_key_window);
	tcase_add_test(tc, entry_without_promise_or_proof);
	tcase_add_test(tc, ca_window_at_verified_times);
	tcase_add_test(tc, leaf_window);
	tcase_add_test(tc, leaf_at_verified_time);
	tcase_add_test(tc, certificate_needs_a_time);
	tcase_add_test(tc, ctlog_window);
	tcase_add_test(tc, tsa_window);
	tcase_add_test(tc, rekor_v2_key_at_tsa_time);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return al_test_run(suite());
}
