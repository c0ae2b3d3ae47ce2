/*
 * test_verify.c — verify/'s result tree, asserted on the tree itself (never
 * on rendered text), over the test forge's bundles: each verdict is backed
 * by the checks that establish it, a failing signature names the check that
 * failed, and another signer's signature is "not accepted", not "failed".
 * Needs the forge (built beside this test), nothing from ../shared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/testutil.h"
#include "verify/verify.h"
#include "verify/internal.h"

static char forge_dir[512];

static char forge_top[512];

/* Runs al-forge once, before the tests fork, into a temporary folder. */
static int
forge_setup(void)
{
	char cmd[1200], tmpl[] = "/tmp/al-test-verify.XXXXXX";
	const char *build = getenv("AL_BUILD");
	int st;

	if (build == NULL || mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "test_verify: AL_BUILD is not set (ctest sets it) or no temporary folder\n");
		return -1;
	}
	snprintf(forge_top, sizeof(forge_top), "%s", tmpl);
	snprintf(forge_dir, sizeof(forge_dir), "%s/out", tmpl);
	snprintf(cmd, sizeof(cmd), "'%s/bin/al-forge' '%s' >/dev/null 2>&1", build, forge_dir);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "test_verify: al-forge failed: %s\n", cmd);
		return -1;
	}
	return 0;
}

static void
forge_once(void)
{
	ck_assert_msg(forge_dir[0] != '\0', "the forge did not run");
}

typedef struct fcase {
	char line[4096];
	const char *name, *path;
	int want;
	const char *argv[32];
	size_t argc;
	char paths[8][640];
	const char *keys[AL_MAX_KEYS_ARG];
	al_img_opts o;
} fcase;

/* The forge's cases.tsv row of name: its path, exit and arguments (the
 * arguments are the fields from the first "--" on). */
static bool
load_case(const char *name, fcase *c)
{
	char path[700];
	FILE *f;
	bool found = false;

	forge_once();
	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/cases.tsv", forge_dir);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(c->line, sizeof(c->line), f)) {
		char *save = NULL, *fld[40];
		size_t n = 0;

		c->line[strcspn(c->line, "\n")] = '\0';
		if (c->line[0] == '#' || c->line[0] == '\0')
			continue;
		for (char *t = strtok_r(c->line, "\t", &save); t && n < AL_ARRAY_LEN(fld); t = strtok_r(NULL, "\t", &save))
			fld[n++] = t;
		if (n < 3 || strcmp(fld[0], name) != 0)
			continue;
		c->name = fld[0];
		c->path = fld[1];
		c->want = atoi(fld[2]);
		for (size_t i = 3; i < n; i++)
			if (c->argc > 0 || strncmp(fld[i], "--", 2) == 0)
				c->argv[c->argc++] = fld[i];
		found = true;
		break;
	}
	fclose(f);
	return found;
}

/* Forge paths are relative to its folder. */
static const char *
fpath(fcase *c, size_t slot, const char *rel)
{
	ck_assert_uint_lt(slot, AL_ARRAY_LEN(c->paths));
	snprintf(c->paths[slot], sizeof(c->paths[slot]), "%s/%s", forge_dir, rel);
	return c->paths[slot];
}

/* The options of the forge case name, as the CLI would set them. */
static void
prep_case(const char *name, fcase *c)
{
	al_img_opts *o = &c->o;
	size_t slot = 1;

	ck_assert_msg(load_case(name, c), "no forge case %s", name);
	o->flags.key_paths = c->keys;
	o->bundle_path = fpath(c, 0, c->path);
	for (size_t i = 0; i < c->argc; i += 2) {
		const char *k = c->argv[i], *v = i + 1 < c->argc ? c->argv[i + 1] : NULL;

		if (strcmp(k, "--key") == 0)
			c->keys[o->flags.nkeys++] = fpath(c, slot++, v);
		else if (strcmp(k, "--trusted-root") == 0)
			o->trusted_root_path = fpath(c, slot++, v);
		else if (strcmp(k, "--ca-roots") == 0)
			o->flags.ca_roots = fpath(c, slot++, v);
		else if (strcmp(k, "--ca-intermediates") == 0)
			o->flags.ca_intermediates = fpath(c, slot++, v);
		else if (strcmp(k, "--certificate-identity") == 0)
			o->flags.identity = v;
		else if (strcmp(k, "--certificate-identity-regexp") == 0)
			o->flags.identity_regexp = v;
		else if (strcmp(k, "--certificate-oidc-issuer") == 0)
			o->flags.issuer = v;
		else if (strcmp(k, "--certificate-oidc-issuer-regexp") == 0)
			o->flags.issuer_regexp = v;
		else if (strcmp(k, "--policy") == 0)
			o->policy_path = fpath(c, slot++, v);
		else if (strcmp(k, "--reference") == 0)
			o->reference = v;
		else if (strcmp(k, "--insecure-ignore-tlog") == 0) {
			o->flags.ignore_tlog = true;
			i--; /* a flag */
		} else if (strcmp(k, "--insecure-ignore-sct") == 0) {
			o->flags.ignore_sct = true;
			i--;
		} else if (strcmp(k, "--use-signed-timestamps") == 0) {
			o->flags.signed_timestamps = true;
			i--;
		} else if (strcmp(k, "--strict") == 0) {
			o->strict = true;
			i--; /* a flag */
		} else
			ck_abort_msg("forge case %s: argument %s not understood by this test", name, k);
	}
	if (c->argc % 2 == 1 && strcmp(c->argv[c->argc - 1], "--strict") == 0)
		o->strict = true;
}

static al_rc
run_case(const char *name, fcase *c, al_result *res, al_err *err)
{
	prep_case(name, c);
	al_err_clear(err);
	memset(res, 0, sizeof(*res));
	return al_verify_image_cmd(&c->o, res, err);
}

static const al_check *
find_check(const al_item *it, const char *name)
{
	for (size_t i = 0; i < it->nchecks; i++)
		if (strcmp(it->checks[i].name, name) == 0)
			return &it->checks[i];
	return NULL;
}

static const char *
ev(const al_check *c, const char *key)
{
	for (size_t i = 0; c && i < c->nev; i++)
		if (strcmp(c->ev[i].key, key) == 0)
			return c->ev[i].value;
	return NULL;
}

static const al_item *
only_item(const al_result *r)
{
	ck_assert_uint_ge(r->nimages, 1);
	ck_assert_uint_eq(r->images[0].top.nitems, 1);
	return &r->images[0].top.items[0];
}

static const al_check *
last_check(const al_item *it)
{
	ck_assert_uint_gt(it->nchecks, 0);
	return &it->checks[it->nchecks - 1];
}

START_TEST(key_signature_tree)
{
	fcase c;
	al_result r;
	al_err err;
	const al_item *it;
	const al_check *k;

	ck_assert_ok(run_case("key-sig", &c, &r, &err), &err);
	ck_assert_int_eq(r.verdict, AL_ST_PASS);
	ck_assert_uint_eq(r.nimages, 1);
	ck_assert_int_eq(r.images[0].status, AL_ST_PASS);
	it = only_item(&r);
	ck_assert_int_eq(it->kind, AL_ITEM_SIGNATURE);
	ck_assert_int_eq(it->status, AL_ST_PASS);
	/* the payload names this image, the key verifies it, the log saw it */
	ck_assert_ptr_nonnull(k = find_check(it, "payload.binding"));
	ck_assert_int_eq(k->status, AL_ST_PASS);
	ck_assert_str_eq(ev(k, "docker-manifest-digest"), r.images[0].digest);
	ck_assert_ptr_nonnull(k = find_check(it, "signature"));
	ck_assert_int_eq(k->status, AL_ST_PASS);
	ck_assert_msg(strncmp(ev(k, "signer"), "key ", 4) == 0, "signer %s", ev(k, "signer"));
	ck_assert_ptr_nonnull(k = find_check(it, "tlog.set"));
	ck_assert_int_eq(k->status, AL_ST_PASS);
	ck_assert_ptr_nonnull(strstr(ev(k, "entry"), "SET verified"));
	ck_assert_uint_eq(r.found, 1);
	ck_assert_uint_eq(r.verified, 1);
	ck_assert_str_eq(r.format, "OCI image layout");
	ck_assert_uint_gt(r.bytes_hashed, 0);
	al_result_free(&r);
}
END_TEST

/* The blob inventory is built only for the outputs that show it; leaving
 * it out changes nothing that was judged. */
START_TEST(inventory_only_when_asked)
{
	fcase c;
	al_result r;
	al_err err;
	size_t found, verified;

	ck_assert_ok(run_case("key-sig", &c, &r, &err), &err);
	ck_assert_int_eq(r.verdict, AL_ST_PASS);
	/* index.json's manifest, its config and layer, the signature's
	 * manifest, config and layer */
	ck_assert_uint_ge(r.nblobs, 6);
	for (size_t i = 1; i < r.nblobs; i++)
		ck_assert_int_lt(strcmp(r.blobs[i - 1].digest, r.blobs[i].digest), 0);
	for (size_t i = 0; i < r.nblobs; i++)
		ck_assert_str_eq(r.blobs[i].state, "proven");
	found = r.found;
	verified = r.verified;
	al_result_free(&r);

	prep_case("key-sig", &c);
	c.o.no_inventory = true;
	al_err_clear(&err);
	memset(&r, 0, sizeof(r));
	ck_assert_ok(al_verify_image_cmd(&c.o, &r, &err), &err);
	ck_assert_int_eq(r.verdict, AL_ST_PASS);
	ck_assert_uint_eq(r.nblobs, 0);
	ck_assert_ptr_null(r.blobs);
	ck_assert_uint_eq(r.found, found);
	ck_assert_uint_eq(r.verified, verified);
	ck_assert_uint_gt(r.bytes_hashed, 0);
	al_result_free(&r);
}
END_TEST

/* on_image sees each image's whole tree as it is judged; drop_images
 * then frees it, and only the counts stay. */
typedef struct seen_images {
	size_t calls, items, passed;
	char digests[4][AL_OCI_DIGEST_STR_MAX];
	al_status status[4];
	char why_not[4][256];
} seen_images;

static void
see_image(void *ctx, const al_result *res, const al_image_result *img)
{
	seen_images *s = ctx;

	ck_assert(res->opened);
	if (s->calls < AL_ARRAY_LEN(s->digests)) {
		snprintf(s->digests[s->calls], sizeof(s->digests[0]), "%s", img->digest);
		s->status[s->calls] = img->status;
		snprintf(s->why_not[s->calls], sizeof(s->why_not[0]), "%s", img->why_not ? img->why_not : "");
	}
	s->calls++;
	s->items += img->top.nitems;
	s->passed += img->status == AL_ST_PASS;
	/* the whole tree is there to write: every item's checks */
	for (size_t i = 0; i < img->top.nitems; i++)
		if (img->top.items[i].kind != AL_ITEM_NOTE)
			ck_assert_uint_gt(img->top.items[i].nchecks, 0);
}

/* A bundle changed while it is verified: once the model is built (the
 * artifacts are handed over before any image is judged), the signature
 * manifest's file gets other bytes of the same length. Everything that
 * reads it again proves it again, so the new bytes are refused, never
 * verified (docs/threat-model.md). */
typedef struct swap_ctx {
	char dir[700];
	size_t calls;
} swap_ctx;

static void
swap_manifest(void *ctx, const al_result *res, const al_artifact_entry *a)
{
	swap_ctx *s = ctx;
	char path[900];
	al_buf b;
	FILE *f;

	(void)res;
	if (s->calls++ > 0)
		return;
	ck_assert(strncmp(a->digest, "sha256:", 7) == 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", s->dir, a->digest + 7);
	b = al_test_read(path);
	ck_assert_uint_gt(b.n, 10);
	b.p[b.n / 2] = b.p[b.n / 2] == 'a' ? 'b' : 'a';
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(b.p, 1, b.n, f), b.n);
	ck_assert_int_eq(fclose(f), 0);
	al_buf_free(&b);
}

static void
prep_swapped(fcase *c, swap_ctx *s, const char *tag)
{
	char cmd[2000];

	prep_case("key-sig", c);
	snprintf(s->dir, sizeof(s->dir), "%s/%s", forge_top, tag);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s' '%s'", s->dir, c->o.bundle_path, s->dir);
	ck_assert_int_eq(system(cmd), 0);
	c->o.bundle_path = s->dir;
	c->o.on_artifact = swap_manifest;
	c->o.on_image_ctx = s;
}

START_TEST(manifest_changed_while_verified)
{
	fcase c;
	al_result r;
	al_err err;
	swap_ctx s = { .calls = 0 };
	const al_image_result *img;

	/* the signature, read again for verification: a failed item */
	prep_swapped(&c, &s, "swapped-sig");
	c.o.no_inventory = true;
	al_err_clear(&err);
	memset(&r, 0, sizeof(r));
	ck_assert_rc(al_verify_image_cmd(&c.o, &r, &err), AL_E_VERIFY_FAILED, &err);
	ck_assert_uint_eq(s.calls, 1);
	ck_assert_uint_eq(r.nimages, 1);
	img = &r.images[0];
	ck_assert_int_eq(img->status, AL_ST_FAIL);
	ck_assert_uint_eq(r.verified, 0);
	ck_assert_uint_ge(img->top.nitems, 1);
	ck_assert_int_eq(img->top.items[0].status, AL_ST_FAIL);
	ck_assert_ptr_nonnull(strstr(img->top.items[0].text, "changed after it was proven"));
	al_result_free(&r);

	/* the JSON report's inventory, read after the artifacts: the run fails */
	memset(&s, 0, sizeof(s));
	prep_swapped(&c, &s, "swapped-inventory");
	al_err_clear(&err);
	memset(&r, 0, sizeof(r));
	ck_assert_rc(al_verify_image_cmd(&c.o, &r, &err), AL_E_BUNDLE_BLOB, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "changed after it was proven"));
	ck_assert_int_ne(r.verdict, AL_ST_PASS);
	al_result_free(&r);
}
END_TEST

START_TEST(images_dropped_after_on_image)
{
	fcase c;
	al_result kept, r;
	al_err err, kerr;
	seen_images s = { 0 };
	al_rc krc, rc;

	krc = run_case("smuggle-tag-sig", &c, &kept, &kerr);
	ck_assert_rc(krc, AL_E_VERIFY_FAILED, &kerr);
	ck_assert_uint_eq(kept.nimages, 2);

	prep_case("smuggle-tag-sig", &c);
	c.o.on_image = see_image;
	c.o.on_image_ctx = &s;
	c.o.drop_images = true;
	al_err_clear(&err);
	memset(&r, 0, sizeof(r));
	rc = al_verify_image_cmd(&c.o, &r, &err);
	/* the same verdict, the same message, the same counts */
	ck_assert_int_eq(rc, krc);
	ck_assert_str_eq(err.msg, kerr.msg);
	ck_assert_int_eq(r.verdict, kept.verdict);
	ck_assert_uint_eq(r.nimages, kept.nimages);
	ck_assert_uint_eq(r.found, kept.found);
	ck_assert_uint_eq(r.verified, kept.verified);
	ck_assert_uint_eq(r.failed, kept.failed);
	/* called once per image, in order, with the tree */
	ck_assert_uint_eq(s.calls, 2);
	ck_assert_uint_eq(s.passed, 1);
	ck_assert_uint_ge(s.items, 1);
	/* nothing of an image is kept: what on_image saw is what the kept
	 * result holds */
	ck_assert_ptr_null(r.images);
	for (size_t i = 0; i < kept.nimages; i++) {
		const al_image_result *k = &kept.images[i];

		ck_assert_str_eq(s.digests[i], k->digest);
		ck_assert_int_eq(s.status[i], k->status);
		ck_assert_str_eq(s.why_not[i], k->why_not ? k->why_not : "");
	}
	al_result_free(&r);
	al_result_free(&kept);
}
END_TEST

START_TEST(keyless_signature_tree)
{
	fcase c;
	al_result r;
	al_err err;
	const al_item *it;
	const al_check *k;

	ck_assert_ok(run_case("keyless-sig", &c, &r, &err), &err);
	it = only_item(&r);
	ck_assert_int_eq(it->status, AL_ST_PASS);
	static const char *const order[] = { "payload.binding", "signature", "tlog.set", "certificate.validity",
					     "certificate.chain", "certificate.sct", "certificate.identity" };
	for (size_t i = 0; i < AL_ARRAY_LEN(order); i++) {
		ck_assert_ptr_nonnull(k = find_check(it, order[i]));
		ck_assert_int_eq(k->status, AL_ST_PASS);
	}
	k = find_check(it, "certificate.identity");
	ck_assert_str_eq(ev(k, "identity"), c.o.flags.identity);
	ck_assert_str_eq(ev(k, "issuer"), c.o.flags.issuer);
	/* the certificate was judged at the SET's signed time, not the clock */
	ck_assert_ptr_nonnull(strstr(ev(find_check(it, "certificate.validity"), "timeSource"), "SET"));
	ck_assert_ptr_nonnull(r.trusted_root_path);
	ck_assert_uint_eq(strlen(r.trusted_root_sha256), 64);
	al_result_free(&r);
}
END_TEST

START_TEST(referrer_tree_has_log_evidence)
{
	fcase c;
	al_result r;
	al_err err;
	const al_item *it;
	const al_check *k;

	ck_assert_ok(run_case("referrer", &c, &r, &err), &err);
	it = only_item(&r);
	ck_assert_int_eq(it->kind, AL_ITEM_REFERRER);
	ck_assert_int_eq(it->status, AL_ST_PASS);
	ck_assert_ptr_nonnull(k = find_check(it, "tlog.entry"));
	ck_assert_int_eq(k->status, AL_ST_PASS);
	ck_assert_ptr_nonnull(ev(k, "logIndex"));
	ck_assert_ptr_nonnull(ev(k, "log"));
	ck_assert_ptr_nonnull(ev(k, "inclusionProof"));
	ck_assert_ptr_nonnull(k = find_check(it, "tlog.trusted"));
	ck_assert_int_eq(k->status, AL_ST_PASS);
	al_result_free(&r);
}
END_TEST

/* A failing signature: the item FAILs and its last check is the one that
 * failed, with the reason. */
static void
expect_failing_check(const char *name, al_status item, const char *check, const char *reason_part)
{
	fcase c;
	al_result r;
	al_err err;
	const al_item *it;
	const al_check *k;

	ck_assert_rc(run_case(name, &c, &r, &err), AL_E_VERIFY_FAILED, &err);
	ck_assert_int_eq(r.verdict, AL_ST_FAIL);
	ck_assert_int_eq(r.images[0].status, AL_ST_FAIL);
	it = only_item(&r);
	ck_assert_msg(it->status == item, "%s: item is %s, want %s", name, al_status_name(it->status),
		      al_status_name(item));
	k = last_check(it);
	ck_assert_msg(strcmp(k->name, check) == 0, "%s: decided by %s, want %s (%s)", name, k->name, check,
		      k->reason ? k->reason : "");
	ck_assert_int_eq(k->status, item);
	ck_assert_msg(k->reason && strstr(k->reason, reason_part), "%s: reason \"%s\" lacks \"%s\"", name,
		      k->reason ? k->reason : "(none)", reason_part);
	if (item == AL_ST_SKIP) {
		ck_assert_uint_eq(r.not_accepted, 1);
		ck_assert_uint_eq(r.failed, 0);
	} else {
		ck_assert_uint_eq(r.failed, 1);
		ck_assert_uint_eq(r.not_accepted, 0);
	}
	al_result_free(&r);
}

START_TEST(other_image_fails_payload_binding)
{
	expect_failing_check("tamper-sig-other-image", AL_ST_FAIL, "payload.binding", "signed for another image");
}
END_TEST

START_TEST(corrupt_signature_fails_not_skips)
{
	/* its verified Rekor entry names the given key: a broken signature of ours */
	expect_failing_check("tamper-corrupt-sig", AL_ST_FAIL, "signature", "names the given key");
}
END_TEST

START_TEST(another_key_is_not_accepted)
{
	expect_failing_check("tamper-wrong-key", AL_ST_SKIP, "signature", "signed by another key");
}
END_TEST

START_TEST(another_identity_is_not_accepted)
{
	expect_failing_check("tamper-wrong-identity", AL_ST_SKIP, "certificate.identity", "expected");
	expect_failing_check("tamper-wrong-issuer", AL_ST_SKIP, "certificate.identity", "OIDC issuer");
}
END_TEST

START_TEST(broken_evidence_fails_its_check)
{
	expect_failing_check("tamper-sct-missing", AL_ST_FAIL, "certificate.sct", "SCT");
	expect_failing_check("tamper-untrusted-ca", AL_ST_FAIL, "certificate.chain", "");
	expect_failing_check("tamper-expired-cert", AL_ST_FAIL, "certificate.validity", "");
	expect_failing_check("tamper-set-signature", AL_ST_FAIL, "tlog.set", "SET");
	expect_failing_check("tamper-att-subject", AL_ST_FAIL, "statement.subject", "subjects do not include");
	expect_failing_check("pki-wrong-root", AL_ST_FAIL, "pki.chain", "");
}
END_TEST

/* A private-PKI policy cannot accept a Sigstore bundle: its certificate
 * chains to Fulcio, not to --ca-roots, and the PKI policy may name no
 * identity at all (once, any Fulcio identity passed this way). */
START_TEST(pki_policy_does_not_accept_fulcio_referrer)
{
	fcase c;
	al_result r;
	al_err err;

	ck_assert_ok(run_case("referrer", &c, &r, &err), &err);
	al_result_free(&r);
	c.o.flags.ca_roots = fpath(&c, 7, "trust/pki-other-root.pem");
	for (int named = 0; named < 2; named++) {
		if (!named)
			c.o.flags.identity = c.o.flags.identity_regexp = c.o.flags.issuer = c.o.flags.issuer_regexp = NULL;
		al_err_clear(&err);
		ck_assert_rc(al_verify_image_cmd(&c.o, &r, &err), AL_E_VERIFY_FAILED, &err);
		ck_assert_int_eq(r.verdict, AL_ST_FAIL);
		ck_assert_int_eq(only_item(&r)->status, AL_ST_SKIP);
		ck_assert_str_eq(last_check(only_item(&r))->name, "signer.mode");
		al_result_free(&r);
		ck_assert_ok(run_case("referrer", &c, &r, &err), &err);
		al_result_free(&r);
		c.o.flags.ca_roots = fpath(&c, 7, "trust/pki-other-root.pem");
	}
}
END_TEST

START_TEST(unsigned_image_has_nothing)
{
	fcase c;
	al_result r;
	al_err err;

	ck_assert_rc(run_case("unsigned", &c, &r, &err), AL_E_VERIFY_NOTHING, &err);
	ck_assert_int_eq(r.verdict, AL_ST_FAIL);
	ck_assert_uint_eq(r.nimages, 1);
	ck_assert_uint_eq(r.images[0].found, 0);
	ck_assert_int_eq(r.images[0].status, AL_ST_FAIL);
	al_result_free(&r);
}
END_TEST

START_TEST(index_platforms)
{
	fcase c;
	al_result r;
	al_err err;
	const al_image_result *img;
	size_t plat = 0;

	/* the index's signature covers platforms that have none of their own */
	ck_assert_ok(run_case("multiarch-index", &c, &r, &err), &err);
	img = &r.images[0];
	ck_assert_str_eq(img->kind, "index");
	for (size_t k = 0; k < img->nchildren; k++) {
		if (!img->children[k].is_image)
			continue;
		plat++;
		ck_assert_int_eq(img->children[k].status, AL_ST_PASS);
		ck_assert(img->children[k].covered);
	}
	ck_assert_uint_ge(plat, 2);
	al_result_free(&r);
	/* an unsigned platform under an unsigned index fails the image */
	ck_assert_rc(run_case("multiarch-platform-unsigned", &c, &r, &err), AL_E_VERIFY_FAILED, &err);
	img = &r.images[0];
	ck_assert_int_eq(img->status, AL_ST_FAIL);
	plat = 0;
	for (size_t k = 0; k < img->nchildren; k++)
		plat += img->children[k].is_image && img->children[k].status == AL_ST_FAIL;
	ck_assert_uint_ge(plat, 1);
	ck_assert_ptr_nonnull(strstr(img->why_not, "platform"));
	al_result_free(&r);
}
END_TEST

START_TEST(smuggled_image_is_an_image)
{
	fcase c;
	al_result r;
	al_err err;
	size_t bad = 0;

	ck_assert_rc(run_case("smuggle-tag-sig", &c, &r, &err), AL_E_VERIFY_FAILED, &err);
	ck_assert_uint_ge(r.nimages, 2);
	for (size_t i = 0; i < r.nimages; i++)
		bad += r.images[i].status == AL_ST_FAIL;
	ck_assert_uint_ge(bad, 1);
	al_result_free(&r);
}
END_TEST

START_TEST(strict_extra_content)
{
	fcase c;
	al_result r;
	al_err err;

	ck_assert_rc(run_case("extra-file-strict", &c, &r, &err), AL_E_VERIFY_POLICY, &err);
	ck_assert_int_eq(r.verdict, AL_ST_FAIL);
	ck_assert_uint_ge(r.nextra, 1);
	al_result_free(&r);
	ck_assert_ok(run_case("extra-file", &c, &r, &err), &err);
	ck_assert_int_eq(r.verdict, AL_ST_PASS);
	ck_assert_uint_ge(r.nextra, 1);
	al_result_free(&r);
}
END_TEST

/* Over every forge case (directories): the verdict agrees with the exit, a
 * verified image has a verified item or covered platforms, a verified item
 * has only passing (or skipped) checks, and an item that did not verify
 * ends in the check that decided it. */
START_TEST(every_case_is_backed_by_its_checks)
{
	char path[700], line[4096];
	FILE *f;
	size_t n = 0;

	forge_once();
	snprintf(path, sizeof(path), "%s/cases.tsv", forge_dir);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f)) {
		char name[256];
		fcase c;
		al_result r;
		al_err err;
		al_rc rc;

		if (line[0] == '#' || sscanf(line, "%255[^\t]", name) != 1 || strstr(name, ".tar"))
			continue;
		rc = run_case(name, &c, &r, &err);
		n++;
		ck_assert_msg(al_rc_exit(rc) == c.want, "%s: exit %d, want %d: %s", name, al_rc_exit(rc), c.want,
			      err.msg);
		ck_assert_msg((r.verdict == AL_ST_PASS) == (rc == AL_OK), "%s: verdict %s, rc %s", name,
			      al_status_name(r.verdict), al_rc_name(rc));
		for (size_t i = 0; i < r.nimages; i++) {
			const al_image_result *img = &r.images[i];
			const al_subject *subs[AL_MAX_INDEX_ENTRIES + 1];
			size_t ns = 0;

			subs[ns++] = &img->top;
			for (size_t k = 0; k < img->nchildren && ns < AL_ARRAY_LEN(subs); k++)
				if (img->children[k].is_image)
					subs[ns++] = &img->children[k].subject;
			/* only a rule that says so accepts an image unsigned, and the
			 * image then lists that relaxation */
			if (img->status == AL_ST_PASS)
				ck_assert_msg(img->top.verified > 0 || img->nchildren > 0 ||
					      (img->nrelaxed > 0 && strcmp(img->relaxed[img->nrelaxed - 1],
									   "insecure-accept-anything") == 0),
					      "%s: image %s passes with nothing verified", name, img->digest);
			for (size_t s = 0; s < ns; s++) {
				for (size_t j = 0; j < subs[s]->nitems; j++) {
					const al_item *it = &subs[s]->items[j];

					if (it->kind == AL_ITEM_NOTE)
						continue;
					ck_assert_msg(it->nchecks > 0, "%s: item %s has no checks", name, it->where);
					if (it->status == AL_ST_PASS) {
						/* a warning in a verified item is a relaxation, and says so */
						for (size_t k = 0; k < it->nchecks; k++)
							ck_assert_msg(it->checks[k].status == AL_ST_PASS ||
								      it->checks[k].status == AL_ST_SKIP ||
								      (it->checks[k].status == AL_ST_WARN &&
								       strncmp(it->checks[k].reason, "RELAXED (", 9) == 0),
								      "%s: verified item %s has check %s %s", name,
								      it->where, it->checks[k].name,
								      al_status_name(it->checks[k].status));
					} else {
						ck_assert_msg(last_check(it)->status == it->status,
							      "%s: item %s is %s but its last check %s is %s", name,
							      it->where, al_status_name(it->status),
							      last_check(it)->name,
							      al_status_name(last_check(it)->status));
					}
				}
			}
		}
		al_result_free(&r);
	}
	fclose(f);
	ck_assert_uint_ge(n, 90);
}
END_TEST

/* ---------------------------------------------------------------- identity */

static al_rc
match(const al_identity_policy *p, const char *san, const char *issuer)
{
	al_err err = {0};
	al_bytes s = {(const uint8_t *)san, san ? strlen(san) : 0};
	al_bytes i = {(const uint8_t *)issuer, issuer ? strlen(issuer) : 0};

	return al_identity_match(p, s, i, &err);
}

#define GH "https://token.actions.githubusercontent.com"
#define WF "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"

/* An exact identity is the whole string: not a prefix of it, not a longer or
 * shorter one, and the issuer is judged as strictly as the SAN. */
START_TEST(identity_exact_is_whole_string)
{
	const al_identity_policy p = {.san = WF, .issuer = GH};

	ck_assert_int_eq(match(&p, WF, GH), AL_OK);
	ck_assert_int_eq(match(&p, WF "x", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, WF "/../../evil", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, "https://github.com/org/repo", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, WF, GH ".evil.example"), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, WF, "https://token.actions.githubusercontent.co"), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, WF, NULL), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, NULL, GH), AL_E_VERIFY_IDENTITY);
}
END_TEST

/* A regular expression must match the whole value; "a|b" means ^(a|b)$. */
START_TEST(identity_regexp_is_anchored)
{
	const al_identity_policy p = {.san_regexp = "https://github.com/org/[a-z]+", .issuer = GH};
	const al_identity_policy alt = {.san_regexp = "alice@example.com|bob@example.com", .issuer = GH};

	ck_assert_int_eq(match(&p, "https://github.com/org/repo", GH), AL_OK);
	ck_assert_int_eq(match(&p, "https://github.com/org/repo/../evil", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, "xhttps://github.com/org/repo", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&alt, "alice@example.com", GH), AL_OK);
	ck_assert_int_eq(match(&alt, "bob@example.com", GH), AL_OK);
	/* "^alice@example.com|bob@example.com$" would accept both of these */
	ck_assert_int_eq(match(&alt, "alice@example.com.evil", GH), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&alt, "mallory+bob@example.com", GH), AL_E_VERIFY_IDENTITY);
}
END_TEST

/* A NUL inside a certificate string is refused, never truncated to match. */
START_TEST(identity_nul_is_refused)
{
	static const char san[] = "alice@example.com\0.evil";
	const al_identity_policy p = {.san_regexp = "alice@example.com", .issuer = GH};
	al_err err = {0};
	const al_bytes s = {(const uint8_t *)san, sizeof(san) - 1};
	const al_bytes i = {(const uint8_t *)GH, strlen(GH)};

	ck_assert_int_eq(al_identity_match(&p, s, i, &err), AL_E_VERIFY_IDENTITY);
}
END_TEST

/* A private PKI's policy may name the SAN alone; it is still judged. */
START_TEST(identity_san_only_policy)
{
	const al_identity_policy p = {.san = "build@example.com"};

	ck_assert_int_eq(match(&p, "build@example.com", NULL), AL_OK);
	ck_assert_int_eq(match(&p, "build@example.com.evil", NULL), AL_E_VERIFY_IDENTITY);
	ck_assert_int_eq(match(&p, NULL, NULL), AL_E_VERIFY_IDENTITY);
}
END_TEST

/* ---------------------------------------------------------------- simple signing */

static al_rc
simplesig(const char *type, const char *digest, const al_oci_digest *subject, char *ref)
{
	char payload[1024];
	al_err err = {0};

	snprintf(payload, sizeof(payload),
		 "{\"critical\":{\"identity\":{\"docker-reference\":\"example.test/app\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"%s\"},\"optional\":null}", digest, type);
	return al_simplesig_check_payload(al_bytes_str(payload), subject, ref, 256, &err);
}

/* The payload names this image and is a container image signature: a
 * signature over any other statement by the same key is not one. */
START_TEST(simplesig_payload_binding)
{
	static const char dig[] = "sha256:8a6f8e4b4e5b2f0c6f3c9d2a1b0e7f6d5c4b3a29180706f5e4d3c2b1a0f9e8d7";
	static const char other[] = "sha256:0a6f8e4b4e5b2f0c6f3c9d2a1b0e7f6d5c4b3a29180706f5e4d3c2b1a0f9e8d7";
	al_oci_digest subject;
	al_err err = {0};
	char ref[256];

	ck_assert_int_eq(al_oci_digest_parse(al_bytes_str(dig), &subject, &err), AL_OK);
	ck_assert_int_eq(simplesig("cosign container image signature", dig, &subject, ref), AL_OK);
	ck_assert_str_eq(ref, "example.test/app");
	ck_assert_int_eq(simplesig("atomic container signature", dig, &subject, ref), AL_OK);
	ck_assert_int_eq(simplesig("cosign container image signature", other, &subject, ref), AL_E_CRYPTO_DIGEST);
	ck_assert_int_eq(simplesig("cosign attestation", dig, &subject, ref), AL_E_VERIFY_FAILED);
	ck_assert_int_eq(simplesig("", dig, &subject, ref), AL_E_VERIFY_FAILED);
	ck_assert_int_eq(simplesig("cosign container image signature ", dig, &subject, ref), AL_E_VERIFY_FAILED);
}
END_TEST

/* al_batch_list_parse on a copy of text (with its NUL). */
static al_rc
batch_parse(const char *text, size_t len, al_batch_line **lines, size_t *n, char **keep, al_err *err)
{
	*keep = malloc(len + 1);
	ck_assert_ptr_nonnull(*keep);
	memcpy(*keep, text, len);
	(*keep)[len] = '\0';
	al_err_clear(err);
	return al_batch_list_parse(*keep, len, lines, n, err);
}

START_TEST(batch_list_lines)
{
	static const char text[] = "# a comment\n\nb1.json\tsha256:00\r\nb 2.json\tart file\n#x\ty\nb3\tc";
	al_batch_line *l;
	size_t n;
	char *keep;
	al_err err;

	ck_assert_ok(batch_parse(text, sizeof(text) - 1, &l, &n, &keep, &err), &err);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(l[0].bundle, "b1.json");
	ck_assert_str_eq(l[0].artifact, "sha256:00"); /* CR of a CRLF line dropped */
	ck_assert_str_eq(l[1].bundle, "b 2.json");
	ck_assert_str_eq(l[1].artifact, "art file");
	ck_assert_str_eq(l[2].bundle, "b3");         /* the last line needs no newline */
	ck_assert_str_eq(l[2].artifact, "c");
	free(l);
	free(keep);
}
END_TEST

/* Every malformed line stops the parse with the line's number, exit 2. */
START_TEST(batch_list_refused)
{
	static const struct {
		const char *text;
		size_t len;
		const char *want;
	} bad[] = {
#define T(s) s, sizeof(s) - 1
		{ T("a\tb\nno tab\n"), "line 2: want BUNDLE<TAB>FILE_OR_DIGEST" },
		{ T("a\tb\tc\n"), "line 1: want" },
		{ T("\tb\n"), "line 1: want" },
		{ T("a\t\n"), "line 1: want" },
		{ T("a\t\r\n"), "line 1: want" },
		{ T("ok\tok\nx\ty\0z\n"), "line 2 holds a NUL byte" },
		{ T(""), "no bundle listed" },
		{ T("# only\n\n"), "no bundle listed" },
#undef T
	};
	al_batch_line *l;
	size_t n;
	char *keep;
	al_err err;

	for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
		ck_assert_rc(batch_parse(bad[i].text, bad[i].len, &l, &n, &keep, &err), AL_E_USAGE, &err);
		ck_assert_msg(strstr(err.msg, bad[i].want) != NULL, "case %zu: %s", i, err.msg);
		ck_assert_ptr_null(l);
		ck_assert_uint_eq(n, 0);
		free(keep);
	}
}
END_TEST

/* AL_MAX_BATCH lines are taken, one more is refused. */
START_TEST(batch_list_limit)
{
	size_t len = (size_t)(AL_MAX_BATCH + 1) * 4;
	char *text = malloc(len), *keep;
	al_batch_line *l;
	size_t n;
	al_err err;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < len; i += 4)
		memcpy(text + i, "a\tb\n", 4);
	ck_assert_ok(batch_parse(text, len - 4, &l, &n, &keep, &err), &err);
	ck_assert_uint_eq(n, AL_MAX_BATCH);
	free(l);
	free(keep);
	ck_assert_rc(batch_parse(text, len, &l, &n, &keep, &err), AL_E_USAGE, &err);
	ck_assert_msg(strstr(err.msg, "more than 200000 bundles") != NULL, "%s", err.msg);
	free(keep);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("verify");
	TCase *t = tcase_create("forge");
	int st;

	tcase_set_timeout(t, 600);
	tcase_add_test(t, key_signature_tree);
	tcase_add_test(t, inventory_only_when_asked);
	tcase_add_test(t, images_dropped_after_on_image);
	tcase_add_test(t, manifest_changed_while_verified);
	tcase_add_test(t, keyless_signature_tree);
	tcase_add_test(t, referrer_tree_has_log_evidence);
	tcase_add_test(t, other_image_fails_payload_binding);
	tcase_add_test(t, corrupt_signature_fails_not_skips);
	tcase_add_test(t, another_key_is_not_accepted);
	tcase_add_test(t, another_identity_is_not_accepted);
	tcase_add_test(t, broken_evidence_fails_its_check);
	tcase_add_test(t, unsigned_image_has_nothing);
	tcase_add_test(t, pki_policy_does_not_accept_fulcio_referrer);
	tcase_add_test(t, index_platforms);
	tcase_add_test(t, smuggled_image_is_an_image);
	tcase_add_test(t, strict_extra_content);
	tcase_add_test(t, every_case_is_backed_by_its_checks);
	suite_add_tcase(s, t);
	t = tcase_create("identity");
	tcase_add_test(t, identity_exact_is_whole_string);
	tcase_add_test(t, identity_regexp_is_anchored);
	tcase_add_test(t, identity_nul_is_refused);
	tcase_add_test(t, identity_san_only_policy);
	tcase_add_test(t, simplesig_payload_binding);
	suite_add_tcase(s, t);
	t = tcase_create("batch");
	tcase_add_test(t, batch_list_lines);
	tcase_add_test(t, batch_list_refused);
	tcase_add_test(t, batch_list_limit);
	suite_add_tcase(s, t);
	if (forge_setup() != 0)
		return 1;
	st = al_test_run(s);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", forge_top);
		if (system(cmd) != 0)
			fprintf(stderr, "test_verify: could not remove %s\n", forge_top);
	}
	return st;
}
