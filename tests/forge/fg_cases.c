/*
 * fg_cases.c — the cases al-forge writes and the verdict each must get.
 *
 * Every case is an OCI image layout in OUTDIR/cases/<name>/ plus the same
 * layout as OUTDIR/archives/<name>.tar, .tar.gz and .tar.zst; docker save
 * cases exist only as archives. OUTDIR/cases.tsv lists each form on one
 * line:
 *     name <TAB> path <TAB> expected exit <TAB> airlock verify arguments...
 * with paths relative to OUTDIR (run `airlock verify PATH ARGS...` from
 * there); lines starting with '#' are comments. OUTDIR/README.txt says
 * what each case is and why it must get its verdict.
 *
 * Each tampered case changes exactly one thing in an otherwise valid case,
 * so a verifier that accepts it is missing exactly that check.
 */
#include <string.h>

#include "forge.h"

#define KIND_IMAGE "dev.cosignproject.cosign/image"
#define KIND_INDEX "dev.cosignproject.cosign/imageIndex"
#define KIND_SIGS "dev.cosignproject.cosign/sigs"
#define KIND_ATTS "dev.cosignproject.cosign/atts"
#define REF_NAME "org.opencontainers.image.ref.name"

#define TR "--trusted-root\ttrust/trusted_root.json"
#define KEY_ARGS "--key\ttrust/cosign.pub\t" TR
#define RSA_ARGS "--key\ttrust/rsa.pub\t" TR
#define TWO_KEYS_ARGS "--key\ttrust/cosign.pub\t--key\ttrust/rsa.pub\t" TR
#define KEYLESS_ARGS TR "\t--certificate-identity\t" AL_FG_IDENTITY "\t--certificate-oidc-issuer\t" AL_FG_ISSUER
#define PKI_ARGS                                                                                             \
	"--ca-roots\ttrust/pki-root.pem\t--ca-intermediates\ttrust/pki-intermediates.pem\t"                    \
	"--certificate-identity\t" AL_FG_PKI_IDENTITY "\t" TR

/* ================================================================ the case list */

typedef struct row {
	const char *name, *path, *args, *what;
	int exit_code;
} row;

static row *rows;
static size_t nrows;
static const char *outdir;

static void
add_row(const char *name, const char *path, int exit_code, const char *args, const char *what)
{
	rows = al_fg_realloc(rows, (nrows + 1) * sizeof(*rows));
	rows[nrows++] = (row){ name, path, args, what, exit_code };
}

/* Writes a layout as a directory and as three archives, and lists all four. */
static void
emit(const char *name, const al_fg_layout *l, int exit_code, const char *args, const char *what)
{
	al_fg_buf tar = { 0 };

	al_fg_layout_write_dir(l, al_fg_sprintf("%s/cases/%s", outdir, name));
	add_row(name, al_fg_sprintf("cases/%s", name), exit_code, args, what);
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar", outdir, name), al_fg_bytes(&tar));
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar.gz", outdir, name), al_fg_gzip(al_fg_bytes(&tar)));
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar.zst", outdir, name), al_fg_zstd(al_fg_bytes(&tar)));
	add_row(al_fg_sprintf("%s.tar", name), al_fg_sprintf("archives/%s.tar", name), exit_code, args, what);
	add_row(al_fg_sprintf("%s.tar.gz", name), al_fg_sprintf("archives/%s.tar.gz", name), exit_code, args, what);
	add_row(al_fg_sprintf("%s.tar.zst", name), al_fg_sprintf("archives/%s.tar.zst", name), exit_code, args,
		what);
}

static void
emit_archive(const char *name, al_bytes tar, int exit_code, const char *args, const char *what)
{
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar", outdir, name), tar);
	add_row(name, al_fg_sprintf("archives/%s.tar", name), exit_code, args, what);
}

static void
write_tables(const char *dir, const char *tsv_name)
{
	al_fg_buf tsv = { 0 }, readme = { 0 };

	al_fg_puts(&tsv, "# al-forge cases: name\tpath (relative to this file's directory)\texpected exit"
			 "\tairlock verify arguments (tab-separated)\n");
	al_fg_puts(&tsv, "# exit: 0 verified, 1 verification failed, 3 nothing to verify\n");
	al_fg_puts(&readme, "al-forge output. Run `airlock verify PATH ARGS...` from this directory for\n"
			    "each line of ");
	al_fg_puts(&readme, tsv_name);
	al_fg_puts(&readme, "; the exit status must be the expected one.\n"
			    "Signing time 2026-01-15T10:00:00Z; all keys, certificates and logs are test-only.\n\n");
	for (size_t i = 0; i < nrows; i++) {
		al_fg_printf(&tsv, "%s\t%s\t%d\t%s\n", rows[i].name, rows[i].path, rows[i].exit_code, rows[i].args);
		if (strchr(rows[i].name, '.') == NULL) /* archive forms repeat their case */
			al_fg_printf(&readme, "%s (exit %d)\n    %s\n", rows[i].name, rows[i].exit_code, rows[i].what);
	}
	al_fg_write(al_fg_sprintf("%s/%s", dir, tsv_name), al_fg_bytes(&tsv));
	al_fg_write(al_fg_sprintf("%s/README.txt", dir), al_fg_bytes(&readme));
}

/* ================================================================ helpers */

static const al_fg_image *app, *other, *multi_amd64, *multi_arm64;
static const al_fg_index *multi;
static const al_fg_cert *leaf_main, *leaf_other, *leaf_expired, *leaf_rogue;

static al_fg_signer
key_signer(const al_fg_key *k)
{
	return (al_fg_signer){ .key = k };
}

static al_fg_signer
keyless(const al_fg_cert *leaf)
{
	const char *chain = leaf == leaf_rogue ? al_fg_tr.rogue_chain_pem : al_fg_tr.fulcio_chain_pem;

	return (al_fg_signer){ .cert = leaf, .chain_pem = chain };
}

/* A `cosign save` layout holding one image. */
static al_fg_layout *
saved(const al_fg_image *img)
{
	al_fg_layout *l = al_fg_layout_new();

	al_fg_image_put(l, img);
	al_fg_layout_ref(l, &img->desc, al_fg_annot("kind", KIND_IMAGE), NULL);
	return l;
}

static void
attach(al_fg_layout *l, const char *kind, const al_fg_sigl *layers, size_t n)
{
	al_fg_desc d = al_fg_sig_manifest(l, layers, n);

	al_fg_layout_ref(l, &d, al_fg_annot("kind", kind), NULL);
}

/* Attached by tag, as a registry copy (skopeo copy --all) carries them. */
static void
attach_tag(al_fg_layout *l, const char *subject_digest, const char *suffix, const al_fg_sigl *layers, size_t n)
{
	al_fg_desc d = al_fg_sig_manifest(l, layers, n);

	al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, al_fg_sprintf("sha256-%s.%s", subject_digest + 7, suffix)),
			 NULL);
}

static al_fg_sigl
sign_image(const char *name, const char *digest, al_fg_signer s)
{
	return al_fg_sign_payload(al_fg_simple_signing(name, digest), &s);
}

static al_bytes
flip(al_bytes b, size_t off)
{
	al_bytes c = al_fg_dup(b);

	((uint8_t *)(uintptr_t)c.p)[off] ^= 0x01; /* c is the forge's own copy */
	return c;
}

/* ================================================================ valid cases */

static al_fg_layout *
key_sig_layout(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));

	attach(l, KIND_SIGS, &s, 1);
	return l;
}

static void
case_key_sig(void)
{
	emit("key-sig", key_sig_layout(), 0, KEY_ARGS,
	     "cosign save layout; .sig signed with the cosign key (ECDSA P-256), Rekor SET (hashedrekord)");
}

static void
case_keyless_sig(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	attach(l, KIND_SIGS, &s, 1);
	emit("keyless-sig", l, 0, KEYLESS_ARGS,
	     "keyless .sig: Fulcio-like leaf with SCT, chain annotation, Rekor SET; cert valid at integratedTime");
}

static void
case_keyless_sig_tsa(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl s;

	sg.tsa = true;
	s = sign_image(app->name, app->desc.digest, sg);
	attach(l, KIND_SIGS, &s, 1);
	emit("keyless-sig-tsa", l, 0, KEYLESS_ARGS,
	     "keyless .sig with an RFC 3161 timestamp annotation (over the raw signature) and a SET");
}

static void
case_keyless_att(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl a = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &sg, AL_FG_BODY_DSSE);

	attach(l, KIND_ATTS, &a, 1);
	emit("keyless-att", l, 0, KEYLESS_ARGS,
	     "keyless .att only: DSSE in-toto Statement v1, SLSA provenance v1, Rekor SET (dsse/0.0.1)");
}

static void
case_keyless_sig_att(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, sg), a;

	sg.tsa = true;
	a = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &sg, AL_FG_BODY_INTOTO2);
	attach(l, KIND_SIGS, &s, 1);
	attach(l, KIND_ATTS, &a, 1);
	emit("keyless-sig-att", l, 0, KEYLESS_ARGS,
	     "keyless .sig and .att (intoto/0.0.2 body, RFC 3161 timestamp over the envelope)");
}

static al_fg_layout *
referrer_layout(const al_fg_bundle_opts *o, const char *subject_digest)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_signer sg = keyless(leaf_main);
	al_bytes bundle;
	al_fg_desc r;

	l->skopeo = true;
	al_fg_image_put(l, app);
	al_fg_layout_ref(l, &app->desc, al_fg_annot(REF_NAME, "v1"), NULL);
	bundle = al_fg_bundle_v03(al_fg_statement(app->name, subject_digest), &sg, o);
	r = al_fg_referrer(l, bundle, &app->desc);
	al_fg_referrers_index(l, &r, 1, &app->desc);
	return l;
}

static void
case_referrer(void)
{
	emit("referrer", referrer_layout(NULL, app->desc.digest), 0, KEYLESS_ARGS,
	     "OCI 1.1 referrer (tag-schema referrers index): Sigstore bundle v0.3, DSSE SLSA provenance, "
	     "inclusion proof + signed checkpoint + SET, RFC 3161 timestamp");
}

static void
case_multiarch_index(void)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_sigl s = sign_image(multi->name, multi->desc.digest, key_signer(al_fg_tr.cosign));

	al_fg_index_put(l, multi);
	al_fg_layout_ref(l, &multi->desc, al_fg_annot("kind", KIND_INDEX), NULL);
	attach(l, KIND_SIGS, &s, 1);
	emit("multiarch-index", l, 0, KEY_ARGS,
	     "cosign save of a linux/amd64 + linux/arm64 index; the signature is on the index digest");
}

static al_fg_layout *
multiarch_all(bool arm_sig_for_amd)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_signer k = key_signer(al_fg_tr.cosign);
	al_fg_sigl s, a;

	al_fg_index_put(l, multi);
	al_fg_layout_ref(l, &multi->desc, al_fg_annot(REF_NAME, "v1"), NULL);
	s = sign_image(multi->name, multi->desc.digest, k);
	attach_tag(l, multi->desc.digest, "sig", &s, 1);
	a = al_fg_sign_attestation(al_fg_statement(multi->name, multi->desc.digest), &k, AL_FG_BODY_DSSE);
	attach_tag(l, multi->desc.digest, "att", &a, 1);
	for (size_t i = 0; i < multi->nimages; i++) {
		const al_fg_image *img = multi->images[i];
		const char *signed_digest = arm_sig_for_amd && i == 1 ? multi->images[0]->desc.digest : img->desc.digest;

		s = sign_image(multi->name, signed_digest, k);
		attach_tag(l, img->desc.digest, "sig", &s, 1);
	}
	return l;
}

static void
case_multiarch_all(void)
{
	emit("multiarch-all-signed", multiarch_all(false), 0, KEY_ARGS,
	     "index and both platforms signed, attestation on the index; attached by tag (sha256-<hex>.sig/.att)");
}

static void
case_rsa(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.rsa));

	attach(l, KIND_SIGS, &s, 1);
	emit("rsa-key", l, 0, RSA_ARGS, ".sig signed with an RSA-2048 key (PKCS#1 v1.5, SHA-256), Rekor SET");
}

static void
case_pki(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = { .cert = al_fg_tr.pki_leaf, .chain_pem = al_fg_tr.pki_chain_pem };
	al_fg_sigl s = sign_image(app->name, app->desc.digest, sg);

	attach(l, KIND_SIGS, &s, 1);
	emit("pki", l, 0, PKI_ARGS,
	     "signed with a private-PKI certificate (codeSigning EKU, SAN email, no Fulcio extensions, no SCT); "
	     "chain annotation; Rekor SET");
}

static void
case_two_sigs(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s[2];

	s[0] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	s[1] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.rsa));
	attach(l, KIND_SIGS, s, 2);
	emit("two-sigs", l, 0, TWO_KEYS_ARGS, "two signature layers in one .sig (cosign key and RSA key)");
}

static void
case_unsigned(void)
{
	emit("unsigned", saved(app), 3, KEY_ARGS, "an image with no signature or attestation: nothing to verify");
}

/* ================================================================ tampered cases */

static void
case_tamper_layer(void)
{
	al_fg_layout *l = key_sig_layout();

	al_fg_layout_flip(l, app->layer_desc[1].digest, app->layer_desc[1].size / 2);
	emit("tamper-layer-byte", l, 1, KEY_ARGS, "key-sig with one byte of a layer blob changed (name kept)");
}

static void
case_tamper_missing(void)
{
	al_fg_layout *l = key_sig_layout();

	al_fg_layout_drop(l, app->layer_desc[0].digest);
	emit("tamper-missing-blob", l, 1, KEY_ARGS, "key-sig with a layer blob missing");
}

static void
case_tamper_other_image(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, other->desc.digest, key_signer(al_fg_tr.cosign));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-sig-other-image", l, 1, KEY_ARGS,
	     "a valid, logged signature whose simple-signing payload names another image's digest");
}

static void
case_tamper_att_subject(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl a = al_fg_sign_attestation(al_fg_statement(app->name, other->desc.digest), &sg, AL_FG_BODY_DSSE);

	attach(l, KIND_ATTS, &a, 1);
	emit("tamper-att-subject", l, 1, KEYLESS_ARGS,
	     "a valid, logged attestation whose in-toto subject is another image's digest");
}

static void
case_tamper_swapped_cert(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	s.cert_pem = leaf_other->pem; /* a valid leaf of another identity and key */
	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-swapped-cert", l, 1, KEYLESS_ARGS,
	     "keyless-sig whose certificate annotation is replaced by another valid Fulcio leaf (other key, "
	     "identity " AL_FG_OTHER_IDENTITY ")");
}

static void
case_tamper_set_other_body(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	al_fg_sigl o = sign_image(other->name, other->desc.digest, key_signer(al_fg_tr.cosign));

	s.bundle_json = o.bundle_json; /* a genuine SET, for another entry */
	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-set-other-body", l, 1, KEY_ARGS,
	     "key-sig whose SET bundle annotation is a valid SET for another log entry (another signature)");
}

static void
case_tamper_set_signature(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	al_fg_entry e = s.entry;

	e.set = flip(e.set, e.set.n - 5);
	s.bundle_json = al_fg_set_annotation(&e);
	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-set-signature", l, 1, KEY_ARGS, "key-sig whose SignedEntryTimestamp has one bit changed");
}

static void
case_tamper_corrupt_sig(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	al_buf raw = { 0 };
	al_err err;

	if (al_b64_decode(al_bytes_str(s.sig_b64), false, &raw, &err) != AL_OK)
		al_fg_die("%s", err.msg);
	/* a byte inside r: the DER stays well-formed, the value is wrong */
	s.sig_b64 = al_fg_b64(flip(al_bytes_of(raw.p, raw.n), 12));
	al_buf_free(&raw);
	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-corrupt-sig", l, 1, KEY_ARGS, "key-sig whose signature annotation has one bit of r changed");
}

static void
case_tamper_wrong_identity(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-wrong-identity", l, 1,
	     TR "\t--certificate-identity\t"
		"https://github.com/airlock-test/app/.github/workflows/other.yml@refs/heads/main"
		"\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	     "a valid keyless-sig verified against another identity (policy mismatch)");
	emit("tamper-wrong-issuer", l, 1,
	     TR "\t--certificate-identity\t" AL_FG_IDENTITY
		"\t--certificate-oidc-issuer\thttps://accounts.google.com",
	     "a valid keyless-sig verified against another OIDC issuer (policy mismatch)");
	emit("tamper-wrong-key", key_sig_layout(), 1, RSA_ARGS, "a valid key-sig verified with another key");
}

static void
case_tamper_expired(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_expired));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-expired-cert", l, 1, KEYLESS_ARGS,
	     "keyless-sig whose certificate expired 20 minutes before the SET's integratedTime");
}

static void
case_tamper_untrusted_ca(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_rogue));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-untrusted-ca", l, 1, KEYLESS_ARGS,
	     "keyless-sig from a CA the trusted root does not list (chain annotation carries that CA)");
}

static void
case_tamper_tsa(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl s, o;

	sg.tsa = true;
	s = sign_image(app->name, app->desc.digest, sg);
	o = sign_image(other->name, other->desc.digest, sg);
	s.ts_json = o.ts_json; /* a genuine timestamp, over another signature */
	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-tsa-other-sig", l, 1, KEYLESS_ARGS,
	     "keyless-sig-tsa whose RFC 3161 timestamp is a valid token over another signature");
}

static void
case_tamper_referrer(void)
{
	al_fg_bundle_opts proof = { .corrupt_proof = true }, cp = { .corrupt_checkpoint = true };

	emit("tamper-referrer-proof", referrer_layout(&proof, app->desc.digest), 1, KEYLESS_ARGS,
	     "referrer whose bundle's inclusion proof has one bit of one hash changed");
	emit("tamper-referrer-checkpoint", referrer_layout(&cp, app->desc.digest), 1, KEYLESS_ARGS,
	     "referrer whose checkpoint is validly signed, for the proof's tree size, but with another root hash");
	emit("tamper-referrer-subject", referrer_layout(NULL, other->desc.digest), 1, KEYLESS_ARGS,
	     "referrer whose bundle attests another image's digest");
}

static void
case_tamper_multiarch(void)
{
	al_fg_layout *l = multiarch_all(false);

	al_fg_layout_flip(l, multi_arm64->layer_desc[0].digest, 40);
	emit("tamper-multiarch-layer", l, 1, KEY_ARGS,
	     "multiarch-all-signed with one byte of an arm64 layer changed");
	/* A stray signature does not void valid ones (anyone can attach one to
	 * an image in a registry; cosign ignores it): the index signature
	 * still covers arm64 by digest. The report lists the stray one. */
	emit("multiarch-stray-sig", multiarch_all(true), 0, KEY_ARGS,
	     "multiarch-all-signed where the arm64 .sig is a valid signature of the amd64 manifest: a stray "
	     "signature, reported as failed; the index signature still covers arm64, so the bundle verifies");
}

/* ================================================================ docker save */

static void
case_docker(void)
{
	const al_fg_image *dimg = al_fg_image_make(app->name, "amd64", NULL, "app", true);
	al_fg_buf tar = { 0 };
	al_fg_layout *l;
	al_fg_sigl s;
	cJSON *a;

	al_fg_docker_legacy(app, "v1", &tar);
	emit_archive("docker-legacy-unsigned", al_fg_bytes(&tar), 3, KEY_ARGS,
		     "docker save (before Docker 25): manifest.json and <id>/layer.tar; carries no signature");

	l = al_fg_layout_new();
	al_fg_image_put(l, dimg);
	a = al_fg_jnew();
	al_fg_jstr(a, "io.containerd.image.name", al_fg_sprintf("%s:v1", dimg->name));
	al_fg_jstr(a, REF_NAME, "v1");
	al_fg_layout_ref(l, &dimg->desc, a, NULL);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-unsigned", al_fg_bytes(&tar), 3, KEY_ARGS,
		     "docker save (Docker 25+): OCI layout inside, uncompressed layers; no signature");

	s = sign_image(dimg->name, dimg->desc.digest, key_signer(al_fg_tr.cosign));
	attach_tag(l, dimg->desc.digest, "sig", &s, 1);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-signed", al_fg_bytes(&tar), 0, KEY_ARGS,
		     "Docker 25+ docker save with a cosign .sig (by tag) added to its OCI layout");

	al_fg_layout_flip(l, dimg->layer_desc[1].digest, 700);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-tamper-layer", al_fg_bytes(&tar), 1, KEY_ARGS,
		     "docker-oci-signed with one byte of a layer changed");
}

/* ================================================================ entry points */

static void
setup(const char *dir, bool cases)
{
	outdir = dir;
	al_fg_mkdirs(dir);
	if (cases) {
		/* a rerun must not leave cases the forge no longer makes */
		al_fg_rmtree(al_fg_sprintf("%s/cases", dir));
		al_fg_rmtree(al_fg_sprintf("%s/archives", dir));
		al_fg_mkdirs(al_fg_sprintf("%s/cases", dir));
		al_fg_mkdirs(al_fg_sprintf("%s/archives", dir));
	}
	al_fg_trust_init();
	al_fg_log_init();
	al_fg_trust_write(dir);

	app = al_fg_image_make(AL_FG_REGISTRY "/app", "amd64", NULL, "app", false);
	other = al_fg_image_make(AL_FG_REGISTRY "/other", "amd64", NULL, "other", false);
	leaf_main = al_fg_fulcio_leaf("fulcio-leaf-1", AL_FG_IDENTITY, AL_FG_T0 - 60, AL_FG_T0 + 540, false);
}

void
al_fg_build_all(const char *dir)
{
	const al_fg_image *imgs[2];

	setup(dir, true);
	multi_amd64 = al_fg_image_make(AL_FG_REGISTRY "/multiarch", "amd64", NULL, "multiarch", false);
	multi_arm64 = al_fg_image_make(AL_FG_REGISTRY "/multiarch", "arm64", "v8", "multiarch", false);
	imgs[0] = multi_amd64;
	imgs[1] = multi_arm64;
	multi = al_fg_index_make(AL_FG_REGISTRY "/multiarch", imgs, 2);
	leaf_other = al_fg_fulcio_leaf("fulcio-leaf-mallory", AL_FG_OTHER_IDENTITY, AL_FG_T0 - 60, AL_FG_T0 + 540,
				       false);
	leaf_expired = al_fg_fulcio_leaf("fulcio-leaf-expired", AL_FG_IDENTITY, AL_FG_T0 - 1800, AL_FG_T0 - 1200,
					 false);
	leaf_rogue = al_fg_fulcio_leaf("fulcio-leaf-rogue", AL_FG_IDENTITY, AL_FG_T0 - 60, AL_FG_T0 + 540, true);

	case_key_sig();
	case_keyless_sig();
	case_keyless_sig_tsa();
	case_keyless_att();
	case_keyless_sig_att();
	case_referrer();
	case_multiarch_index();
	case_multiarch_all();
	case_rsa();
	case_pki();
	case_two_sigs();
	case_unsigned();
	case_tamper_layer();
	case_tamper_missing();
	case_tamper_other_image();
	case_tamper_att_subject();
	case_tamper_swapped_cert();
	case_tamper_set_other_body();
	case_tamper_set_signature();
	case_tamper_corrupt_sig();
	case_tamper_wrong_identity();
	case_tamper_expired();
	case_tamper_untrusted_ca();
	case_tamper_tsa();
	case_tamper_referrer();
	case_tamper_multiarch();
	case_docker();
	write_tables(dir, "cases.tsv");
}

void
al_fg_build_demo(const char *dir)
{
	al_fg_layout *l;
	al_fg_signer sg;
	al_fg_sigl s[2];
	al_fg_buf tar = { 0 };

	setup(dir, false);
	l = saved(app);
	sg = keyless(leaf_main);
	sg.tsa = true;
	s[0] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	s[1] = sign_image(app->name, app->desc.digest, sg);
	attach(l, KIND_SIGS, s, 2);
	al_fg_layout_write_dir(l, al_fg_sprintf("%s/signed", dir));
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	al_fg_write(al_fg_sprintf("%s/signed.tar.gz", dir), al_fg_gzip(al_fg_bytes(&tar)));
	add_row("signed-key", "signed", 0, KEY_ARGS,
		"an image signed with the cosign key and keyless (one .sig, two layers)");
	add_row("signed-keyless", "signed", 0, KEYLESS_ARGS, "the same image, verified keyless");
	add_row("signed-archive", "signed.tar.gz", 0, KEY_ARGS, "the same layout as a tar.gz");
	al_fg_layout_flip(l, app->layer_desc[1].digest, app->layer_desc[1].size / 2);
	al_fg_layout_write_dir(l, al_fg_sprintf("%s/tampered", dir));
	add_row("tampered", "tampered", 1, KEY_ARGS, "the signed image with one byte of a layer changed");
	write_tables(dir, "demo.tsv");
}
