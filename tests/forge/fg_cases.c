/*
 * fg_cases.c — the cases al-forge writes and the verdict each must get.
 *
 * Every case is an OCI image layout in OUTDIR/cases/<name>/ plus the same
 * layout as OUTDIR/archives/<name>.tar, .tar.gz and .tar.zst; docker save
 * and archive-level cases exist only as archives. OUTDIR/cases.tsv lists
 * each form on one line:
 *     name <TAB> path <TAB> expected exit <TAB> must-name <TAB> reason <TAB> airlock verify arguments...
 * with paths relative to OUTDIR (run `airlock verify PATH ARGS...` from
 * there); lines starting with '#' are comments. must-name is a string
 * airlock's combined output must contain for a rejection to count (the
 * offending entry's digest hex, ref name or archive path), "-" for none.
 * reason names the check that must reject the case: a fixed fragment of the
 * diagnostic that check prints (its message text in airlock's source, with
 * the fixed values the forge's inputs give it, such as an algorithm name),
 * chosen so that no other check prints it; a line that reports the failure
 * (stderr's "airlock: " line, stdout's FAILED and NOT VERIFIED lines) must
 * contain it. Every case with a non-zero exit has one; cases that verify
 * have "-".
 * OUTDIR/README.txt says what each case is and why it must get its verdict.
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
#define OTHER_KEY_ARGS "--key\ttrust/cosign-other.pub\t" TR

/* Reasons several cases share (the check and where its message is written). */
/* verify/image.c: no image had any signature at all (exit 3) */
#define R_NOTHING "no signature or attestation found for any image: nothing to verify"
/* verify/image.c: an image no signature or attestation is attached to (the
 * closed world made it an image; nothing signs it) */
#define R_UNSIGNED_IMAGE "result: NOT VERIFIED (no signature or attestation found)"
/* verify/image.c: an index platform neither signed nor covered by the index's signature */
#define R_UNCOVERED "a platform is neither signed nor covered by a verified signature of the index"
/* bundle/oci_prove.c: a blob's content against its digest */
#define R_DIGEST "digest mismatch: the content hashes to"
/* verify/image.c choose_signer + crypto/sig.c: the signature under the --key given */
#define R_KEY_SIG "not signed by the given key: ECDSA P-256/SHA-256 signature does not verify"
/* crypto/x509.c: the chain does not end at a trusted root */
#define R_CHAIN "no valid signature from a trusted root or from the next certificate"
/* verify/checks.c: the SET's log key validFor window at integratedTime */
#define R_LOG_KEY_WINDOW "is outside the validity of log rekor.airlock.test's key in the trusted root"
/* bundle/oci_graph.c: an index.json / index entry typed neither manifest nor index */
#define R_DESC_TYPE "which is not a manifest or an index"
/* bundle/oci_closed.c: docker's manifest.json view loads an image index.json lacks */
#define R_DOCKER_VIEW "docker load would load an image that no image of index.json describes"
/* bundle/oci_graph.c: an index.json entry typed as a Docker schema 1 manifest */
#define R_SCHEMA1 "a Docker schema 1 manifest (content: an image manifest); only schema 2 and OCI are supported"
/* common/json.c: a JSON key Go's encoding/json folds onto another */
#define R_GO_KEY "by Go consumers; refused"
/* bundle/oci_source.c: two archive paths equal without case */
#define R_CASE_FOLD "when names are compared without case"

/* ================================================================ the case list */

typedef struct row {
	const char *name, *path, *must, *reason, *args, *what;
	int exit_code;
} row;

static row *rows;
static size_t nrows;

static void case_policies(void);
static const char *outdir;

/* must: what airlock's output must name when it rejects ("-": nothing);
 * reason: the fragment of the rejecting check's message (see above), "-"
 * exactly when exit_code is 0. */
static void
add_row_n(const char *name, const char *path, int exit_code, const char *must, const char *reason, const char *args,
	  const char *what)
{
	if (must == NULL || must[0] == '\0' || strpbrk(must, "\t\n") != NULL)
		al_fg_die("case %s: bad must-name string", name);
	if (reason == NULL || reason[0] == '\0' || strpbrk(reason, "\t\n") != NULL)
		al_fg_die("case %s: bad reason string", name);
	if ((strcmp(reason, "-") == 0) != (exit_code == 0))
		al_fg_die("case %s: a rejected case needs a reason, and only a rejected one has one", name);
	rows = al_fg_realloc(rows, (nrows + 1) * sizeof(*rows));
	rows[nrows++] = (row){ name, path, must, reason, args, what, exit_code };
}

static void
add_row(const char *name, const char *path, int exit_code, const char *reason, const char *args, const char *what)
{
	add_row_n(name, path, exit_code, "-", reason, args, what);
}

/* Writes a layout as a directory and as three archives, and lists all four. */
static void
emit_n(const char *name, const al_fg_layout *l, int exit_code, const char *must, const char *reason,
       const char *args, const char *what)
{
	al_fg_buf tar = { 0 };

	al_fg_layout_write_dir(l, al_fg_sprintf("%s/cases/%s", outdir, name));
	add_row_n(name, al_fg_sprintf("cases/%s", name), exit_code, must, reason, args, what);
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar", outdir, name), al_fg_bytes(&tar));
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar.gz", outdir, name), al_fg_gzip(al_fg_bytes(&tar)));
	al_fg_write(al_fg_sprintf("%s/archives/%s.tar.zst", outdir, name), al_fg_zstd(al_fg_bytes(&tar)));
	add_row_n(al_fg_sprintf("%s.tar", name), al_fg_sprintf("archives/%s.tar", name), exit_code, must, reason,
		  args, what);
	add_row_n(al_fg_sprintf("%s.tar.gz", name), al_fg_sprintf("archives/%s.tar.gz", name), exit_code, must,
		  reason, args, what);
	add_row_n(al_fg_sprintf("%s.tar.zst", name), al_fg_sprintf("archives/%s.tar.zst", name), exit_code, must,
		  reason, args, what);
}

static void
emit(const char *name, const al_fg_layout *l, int exit_code, const char *reason, const char *args, const char *what)
{
	emit_n(name, l, exit_code, "-", reason, args, what);
}

/* An archive-only case: OUTDIR/archives/<name><ext>. */
static void
emit_file(const char *name, const char *ext, al_bytes data, int exit_code, const char *must, const char *reason,
	  const char *args, const char *what)
{
	al_fg_write(al_fg_sprintf("%s/archives/%s%s", outdir, name, ext), data);
	add_row_n(name, al_fg_sprintf("archives/%s%s", name, ext), exit_code, must, reason, args, what);
}

static void
emit_archive(const char *name, al_bytes tar, int exit_code, const char *reason, const char *args, const char *what)
{
	emit_file(name, ".tar", tar, exit_code, "-", reason, args, what);
}

static void
write_tables(const char *dir, const char *tsv_name)
{
	al_fg_buf tsv = { 0 }, readme = { 0 };

	al_fg_puts(&tsv, "# al-forge cases: name\tpath (relative to this file's directory)\texpected exit"
			 "\tmust-name\treason\tairlock verify arguments (tab-separated)\n");
	al_fg_puts(&tsv, "# exit: 0 verified, 1 verification failed, 3 nothing to verify\n");
	al_fg_puts(&tsv, "# must-name: a string airlock's stdout+stderr must contain (it names the offending\n"
			 "# entry: digest hex, ref name or archive path); - for none\n");
	al_fg_puts(&tsv, "# reason: the check that must reject the case: a fixed fragment of that check's message\n"
			 "# (as airlock's source writes it) that no other check prints, which a line reporting the\n"
			 "# failure (stderr 'airlock: ', stdout FAILED / NOT VERIFIED) must contain; set for every\n"
			 "# non-zero exit, - for cases that verify\n");
	al_fg_puts(&readme, "al-forge output. Run `airlock verify PATH ARGS...` from this directory for\n"
			    "each line of ");
	al_fg_puts(&readme, tsv_name);
	al_fg_puts(&readme, "; the exit status must be the expected one.\n"
			    "Signing time 2026-01-15T10:00:00Z; all keys, certificates and logs are test-only.\n\n");
	for (size_t i = 0; i < nrows; i++) {
		al_fg_printf(&tsv, "%s\t%s\t%d\t%s\t%s\t%s\n", rows[i].name, rows[i].path, rows[i].exit_code,
			     rows[i].must, rows[i].reason, rows[i].args);
		if (strchr(rows[i].name, '.') == NULL) { /* archive forms repeat their case */
			al_fg_printf(&readme, "%s (exit %d)\n    %s\n", rows[i].name, rows[i].exit_code, rows[i].what);
			if (strcmp(rows[i].must, "-") != 0)
				al_fg_printf(&readme, "    the rejection must name: %s\n", rows[i].must);
			if (strcmp(rows[i].reason, "-") != 0)
				al_fg_printf(&readme, "    rejected by the check that says: %s\n", rows[i].reason);
		}
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
	emit("key-sig", key_sig_layout(), 0, "-", KEY_ARGS,
	     "cosign save layout; .sig signed with the cosign key (ECDSA P-256), Rekor SET (hashedrekord)");
}

static void
case_keyless_sig(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	attach(l, KIND_SIGS, &s, 1);
	emit("keyless-sig", l, 0, "-", KEYLESS_ARGS,
	     "keyless .sig: Fulcio-like leaf with SCT, chain annotation, Rekor SET; cert valid at integratedTime");
}

/* No SET and no timestamp: nothing dates the short-lived certificate. */
static void
case_keyless_no_time(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl s;

	sg.no_tlog = true;
	s = sign_image(app->name, app->desc.digest, sg);
	attach(l, KIND_SIGS, &s, 1);
	emit("keyless-no-time", l, 1, "no verified time to judge the signing certificate at",
	     KEYLESS_ARGS, "keyless .sig with neither a Rekor SET nor an RFC 3161 timestamp: the certificate "
	     "cannot be judged at any verified time");
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
	emit("keyless-sig-tsa", l, 0, "-", KEYLESS_ARGS,
	     "keyless .sig with an RFC 3161 timestamp annotation (over the raw signature) and a SET");
}

static void
case_keyless_att(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl a = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &sg, AL_FG_BODY_DSSE);

	attach(l, KIND_ATTS, &a, 1);
	emit("keyless-att", l, 0, "-", KEYLESS_ARGS,
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
	emit("keyless-sig-att", l, 0, "-", KEYLESS_ARGS,
	     "keyless .sig and .att (intoto/0.0.2 body, RFC 3161 timestamp over the envelope)");
}

static al_fg_layout *
referrer_layout_by(const al_fg_cert *leaf, const al_fg_bundle_opts *o, const char *subject_digest)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_signer sg = keyless(leaf);
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

static al_fg_layout *
referrer_layout(const al_fg_bundle_opts *o, const char *subject_digest)
{
	return referrer_layout_by(leaf_main, o, subject_digest);
}

static void
case_referrer(void)
{
	emit("referrer", referrer_layout(NULL, app->desc.digest), 0, "-", KEYLESS_ARGS,
	     "OCI 1.1 referrer (tag-schema referrers index): Sigstore bundle v0.3, DSSE SLSA provenance, "
	     "inclusion proof + signed checkpoint + SET, RFC 3161 timestamp");
	{
		al_fg_bundle_opts ms = { .message_digest = app->desc.digest };

		emit("referrer-msgsig", referrer_layout(&ms, app->desc.digest), 0, "-", KEYLESS_ARGS,
		     "OCI 1.1 referrer whose Sigstore bundle v0.3 is a messageSignature over the image manifest's "
		     "digest (hashedrekord/0.0.1 entry)");
	}
}

static void
case_multiarch_index(void)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_sigl s = sign_image(multi->name, multi->desc.digest, key_signer(al_fg_tr.cosign));

	al_fg_index_put(l, multi);
	al_fg_layout_ref(l, &multi->desc, al_fg_annot("kind", KIND_INDEX), NULL);
	attach(l, KIND_SIGS, &s, 1);
	emit("multiarch-index", l, 0, "-", KEY_ARGS,
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
	emit("multiarch-all-signed", multiarch_all(false), 0, "-", KEY_ARGS,
	     "index and both platforms signed, attestation on the index; attached by tag (sha256-<hex>.sig/.att)");
}

static void
case_rsa(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.rsa));

	attach(l, KIND_SIGS, &s, 1);
	emit("rsa-key", l, 0, "-", RSA_ARGS, ".sig signed with an RSA-2048 key (PKCS#1 v1.5, SHA-256), Rekor SET");
}

static void
case_pki(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = { .cert = al_fg_tr.pki_leaf, .chain_pem = al_fg_tr.pki_chain_pem };
	al_fg_sigl s = sign_image(app->name, app->desc.digest, sg);

	attach(l, KIND_SIGS, &s, 1);
	emit("pki", l, 0, "-", PKI_ARGS,
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
	emit("two-sigs", l, 0, "-", TWO_KEYS_ARGS, "two signature layers in one .sig (cosign key and RSA key)");
}

static void
case_unsigned(void)
{
	emit("unsigned", saved(app), 3, R_NOTHING, KEY_ARGS,
	     "an image with no signature or attestation: nothing to verify");
}

/* ================================================================ tampered cases */

static void
case_tamper_layer(void)
{
	al_fg_layout *l = key_sig_layout();

	al_fg_layout_flip(l, app->layer_desc[1].digest, app->layer_desc[1].size / 2);
	emit("tamper-layer-byte", l, 1, R_DIGEST, KEY_ARGS,
	     "key-sig with one byte of a layer blob changed (name kept)");
}

static void
case_tamper_missing(void)
{
	al_fg_layout *l = key_sig_layout();

	al_fg_layout_drop(l, app->layer_desc[0].digest);
	emit("tamper-missing-blob", l, 1, "is missing from the bundle", KEY_ARGS, "key-sig with a layer blob missing");
}

static void
case_tamper_other_image(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, other->desc.digest, key_signer(al_fg_tr.cosign));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-sig-other-image", l, 1, "simple-signing payload: signed for another image", KEY_ARGS,
	     "a valid, logged signature whose simple-signing payload names another image's digest");
}

static void
case_tamper_att_subject(void)
{
	al_fg_layout *l = saved(app);
	al_fg_signer sg = keyless(leaf_main);
	al_fg_sigl a = al_fg_sign_attestation(al_fg_statement(app->name, other->desc.digest), &sg, AL_FG_BODY_DSSE);

	attach(l, KIND_ATTS, &a, 1);
	emit("tamper-att-subject", l, 1, "the in-toto statement's subjects do not include this image",
	     KEYLESS_ARGS,
	     "a valid, logged attestation whose in-toto subject is another image's digest");
}

static void
case_tamper_swapped_cert(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	s.cert_pem = leaf_other->pem; /* a valid leaf of another identity and key */
	attach(l, KIND_SIGS, &s, 1);
	/* the signature is checked under the certificate's key first: with no
	 * prefix, the message is the verifier's own */
	emit("tamper-swapped-cert", l, 1, "FAILED: ECDSA P-256/SHA-256 signature does not verify", KEYLESS_ARGS,
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
	emit("tamper-set-other-body", l, 1, "the logged signature differs from the bundle's", KEY_ARGS,
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
	emit("tamper-set-signature", l, 1, "SET: the log's signature over entry", KEY_ARGS,
	     "key-sig whose SignedEntryTimestamp has one bit changed");
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
	emit("tamper-corrupt-sig", l, 1, R_KEY_SIG, KEY_ARGS,
	     "key-sig whose signature annotation has one bit of r changed");
}

static void
case_tamper_wrong_identity(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_main));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-wrong-identity", l, 1, "certificate identity (SAN) is",
	     TR "\t--certificate-identity\t"
		"https://github.com/airlock-test/app/.github/workflows/other.yml@refs/heads/main"
		"\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	     "a valid keyless-sig verified against another identity (policy mismatch)");
	emit("tamper-wrong-issuer", l, 1, "certificate OIDC issuer is",
	     TR "\t--certificate-identity\t" AL_FG_IDENTITY
		"\t--certificate-oidc-issuer\thttps://accounts.google.com",
	     "a valid keyless-sig verified against another OIDC issuer (policy mismatch)");
	/* another key of the signature's own algorithm: only the signature
	 * verification can tell */
	emit("tamper-wrong-key", key_sig_layout(), 1, R_KEY_SIG, OTHER_KEY_ARGS,
	     "a valid key-sig (ECDSA P-256) verified with another ECDSA P-256 key (trust/cosign-other.pub)");
	/* a key of another algorithm: RSA verification refuses the ECDSA
	 * signature at its length, before any arithmetic */
	emit("tamper-wrong-key-rsa", key_sig_layout(), 1,
	     "not signed by the given key: RSA-2048 (PKCS#1 v1.5 or PSS)/SHA-256 signature is", RSA_ARGS,
	     "a valid key-sig (ECDSA P-256) verified with the RSA-2048 key: the signature is not even an RSA "
	     "signature's length");
}

static void
case_tamper_expired(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_expired));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-expired-cert", l, 1, "but was used at", KEYLESS_ARGS,
	     "keyless-sig whose certificate expired 20 minutes before the SET's integratedTime");
}

static void
case_tamper_untrusted_ca(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s = sign_image(app->name, app->desc.digest, keyless(leaf_rogue));

	attach(l, KIND_SIGS, &s, 1);
	emit("tamper-untrusted-ca", l, 1, R_CHAIN, KEYLESS_ARGS,
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
	emit("tamper-tsa-other-sig", l, 1, "message imprint is not the sha256 of the timestamped bytes", KEYLESS_ARGS,
	     "keyless-sig-tsa whose RFC 3161 timestamp is a valid token over another signature");
}

static void
case_tamper_referrer(void)
{
	al_fg_bundle_opts proof = { .corrupt_proof = true }, cp = { .corrupt_checkpoint = true };

	emit("tamper-referrer-proof", referrer_layout(&proof, app->desc.digest), 1, "inclusion proof for leaf",
	     KEYLESS_ARGS,
	     "referrer whose bundle's inclusion proof has one bit of one hash changed");
	emit("tamper-referrer-checkpoint", referrer_layout(&cp, app->desc.digest), 1,
	     "checkpoint: root hash", KEYLESS_ARGS,
	     "referrer whose checkpoint is validly signed, for the proof's tree size, but with another root hash");
	emit("tamper-referrer-subject", referrer_layout(NULL, other->desc.digest), 1,
	     "is not a subject of the in-toto statement", KEYLESS_ARGS,
	     "referrer whose bundle attests another image's digest");
	{
		al_fg_bundle_opts ms = { .message_digest = other->desc.digest }, bad = { .corrupt_signature = true };

		emit("tamper-referrer-msgsig-digest", referrer_layout(&ms, app->desc.digest), 1,
		     "does not match the bundle's messageDigest", KEYLESS_ARGS,
		     "referrer whose messageSignature bundle, validly signed and logged, is over another image's "
		     "digest");
		al_fg_bundle_opts ch1 = { .chain = 1 }, ch2 = { .chain = 2 }, unk = { .unknown_log = true },
				  oth = { .other_entry = true };

		emit("referrer-chain", referrer_layout(&ch1, app->desc.digest), 0, "-", KEYLESS_ARGS,
		     "referrer whose bundle (v0.2) carries x509CertificateChain: leaf and intermediate");
		al_fg_bundle_opts nos = { .no_set = true };

		emit("referrer-no-set", referrer_layout(&nos, app->desc.digest), 0, "-", KEYLESS_ARGS,
		     "referrer whose log entry has an inclusion proof and checkpoint but no SET (its integratedTime "
		     "unsigned; the RFC 3161 timestamp dates it)");
		emit("tamper-referrer-chain-root", referrer_layout(&ch2, app->desc.digest), 1,
		     "is a self-signed root: roots come only from the trusted root", KEYLESS_ARGS,
		     "referrer whose bundle's x509CertificateChain ends in a root (the trusted one: roots come "
		     "only from the trusted root)");
		emit("tamper-referrer-unknown-log", referrer_layout(&unk, app->desc.digest), 1,
		     "entries are from logs the trusted root does not list", KEYLESS_ARGS,
		     "referrer whose only log entry names a log the trusted root lacks (its RFC 3161 timestamp "
		     "alone would give a signing time)");
		emit("tamper-referrer-other-entry", referrer_layout(&oth, app->desc.digest), 1,
		     "differs from the sha256 of the bundle's DSSE payload", KEYLESS_ARGS,
		     "referrer whose log entry, SET, proof and checkpoint are genuine, for another statement by "
		     "the same signer");
		emit("tamper-referrer-dsse-sig", referrer_layout(&bad, app->desc.digest), 1,
		     "dsseEnvelope signature over PAE", KEYLESS_ARGS,
		     "referrer whose DSSE envelope signature has one bit changed (and is logged so: only the "
		     "signature check can see it)");
	}
}

static void
case_tamper_multiarch(void)
{
	al_fg_layout *l = multiarch_all(false);

	al_fg_layout_flip(l, multi_arm64->layer_desc[0].digest, 40);
	emit("tamper-multiarch-layer", l, 1, R_DIGEST, KEY_ARGS,
	     "multiarch-all-signed with one byte of an arm64 layer changed");
	/* A stray signature does not void valid ones (anyone can attach one to
	 * an image in a registry; cosign ignores it): the index signature
	 * still covers arm64 by digest. The report lists the stray one. */
	emit("multiarch-stray-sig", multiarch_all(true), 0, "-", KEY_ARGS,
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
	emit_archive("docker-legacy-unsigned", al_fg_bytes(&tar), 3, R_NOTHING, KEY_ARGS,
		     "docker save (before Docker 25): manifest.json and <id>/layer.tar; carries no signature");

	l = al_fg_layout_new();
	al_fg_image_put(l, dimg);
	a = al_fg_jnew();
	al_fg_jstr(a, "io.containerd.image.name", al_fg_sprintf("%s:v1", dimg->name));
	al_fg_jstr(a, REF_NAME, "v1");
	al_fg_layout_ref(l, &dimg->desc, a, NULL);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-unsigned", al_fg_bytes(&tar), 3, R_NOTHING, KEY_ARGS,
		     "docker save (Docker 25+): OCI layout inside, uncompressed layers; no signature");

	s = sign_image(dimg->name, dimg->desc.digest, key_signer(al_fg_tr.cosign));
	attach_tag(l, dimg->desc.digest, "sig", &s, 1);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-signed", al_fg_bytes(&tar), 0, "-", KEY_ARGS,
		     "Docker 25+ docker save with a cosign .sig (by tag) added to its OCI layout");

	al_fg_layout_flip(l, dimg->layer_desc[1].digest, 700);
	tar.n = 0;
	al_fg_docker_oci(l, dimg, "v1", &tar);
	emit_archive("docker-oci-tamper-layer", al_fg_bytes(&tar), 1, R_DIGEST, KEY_ARGS,
		     "docker-oci-signed with one byte of a layer changed");
}

/* ================================================================ closed world
 *
 * A bundle verifies only when every image a consumer could load from it
 * (skopeo/podman oci:, oci-archive:, docker-archive:, dir:; docker load;
 * ctr import; cosign load) is verified. These cases put an image nobody
 * signed where a consumer finds it, beside a validly signed app, and the
 * legitimate shapes (signatures, attestations, SBOMs, referrers, buildx
 * attestation manifests, sha512 layouts, Docker 25+ archives) that must
 * still verify. Each attack names the entry the rejection must name. */

#define KIND_SBOMS "dev.cosignproject.cosign/sboms"
#define MT_SCHEMA1 "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_OCTET "application/octet-stream"
#define MT_UNKNOWN "application/vnd.example.unknown.v1+json"
#define MT_SPDX "application/spdx+json"
#define MT_INTOTO "application/vnd.in-toto+json"
#define SLSA_V1 "https://slsa.dev/provenance/v1"
#define LONG_S "\xc5\xbf" /* U+017F LATIN SMALL LETTER LONG S: Go's encoding/json folds it to 's' */

static const al_fg_image *evil;   /* a real runnable image nobody signed */
static const al_fg_image *devil;  /* the same, uncompressed (docker save) */

static const char *
hex_of(const char *digest)
{
	return strchr(digest, ':') + 1;
}

/* An image manifest for img's config and layers (as al_fg_image_make
 * writes it), with an OCI subject when subject != NULL. */
static al_bytes
image_manifest(const al_fg_image *img, const al_fg_desc *subject)
{
	cJSON *m = al_fg_jnew(), *arr;

	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jput(m, "config", al_fg_desc_json(&img->config_desc));
	arr = al_fg_jarr(m, "layers");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush(arr, al_fg_desc_json(&img->layer_desc[i]));
	if (subject != NULL)
		al_fg_jput(m, "subject", al_fg_desc_json(subject));
	return al_bytes_str(al_fg_jprint(m));
}

/* Config and layer blobs of img (not its manifest). */
static void
put_blobs(al_fg_layout *l, const al_fg_image *img)
{
	al_fg_layout_blob(l, AL_FG_MT_CONFIG, img->config);
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_layout_blob(l, img->layer_desc[i].media_type, img->layers[i]);
}

/* A non-runnable artifact manifest (go-containerregistry's empty config, as
 * cosign attach writes; buildx: buildx's unknown/unknown config) with one
 * layer. */
static al_fg_desc
artifact_manifest(al_fg_layout *l, const char *layer_mt, al_bytes blob, cJSON *layer_annotations, bool buildx)
{
	al_fg_desc ld = al_fg_layout_blob(l, layer_mt, blob), cd;
	cJSON *cfg = al_fg_jnew(), *h, *rootfs, *m, *arr, *d;
	const char *zero = "0001-01-01T00:00:00Z";

	if (buildx) {
		al_fg_jstr(cfg, "architecture", "unknown");
		al_fg_jstr(cfg, "os", "unknown");
		al_fg_jobj(cfg, "config");
		rootfs = al_fg_jobj(cfg, "rootfs");
		al_fg_jstr(rootfs, "type", "layers");
		al_fg_jpush_str(al_fg_jarr(rootfs, "diff_ids"), ld.digest);
	} else {
		al_fg_jstr(cfg, "architecture", "");
		al_fg_jstr(cfg, "created", zero);
		h = al_fg_jnew();
		al_fg_jstr(h, "created", zero);
		al_fg_jpush(al_fg_jarr(cfg, "history"), h);
		al_fg_jstr(cfg, "os", "");
		rootfs = al_fg_jobj(cfg, "rootfs");
		al_fg_jstr(rootfs, "type", "layers");
		al_fg_jpush_str(al_fg_jarr(rootfs, "diff_ids"), ld.digest);
		al_fg_jobj(cfg, "config");
	}
	cd = al_fg_layout_blob(l, AL_FG_MT_CONFIG, al_bytes_str(al_fg_jprint(cfg)));
	m = al_fg_jnew();
	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jput(m, "config", buildx ? al_fg_desc_json(&cd) : al_fg_desc_json_ggcr(&cd));
	arr = al_fg_jarr(m, "layers");
	d = buildx ? al_fg_desc_json(&ld) : al_fg_desc_json_ggcr(&ld);
	if (layer_annotations != NULL)
		al_fg_jput(d, "annotations", layer_annotations);
	al_fg_jpush(arr, d);
	return al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
}

/* skopeo-style layout: the app tagged v1 (its index.json descriptor typed
 * mt), its .sig attached by tag; verifies when mt is the manifest type. */
static al_fg_layout *
tagged_layout_mt(const char *mt)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	al_fg_desc d = app->desc;

	l->skopeo = true;
	al_fg_image_put(l, app);
	d.media_type = mt;
	al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, "v1"), NULL);
	attach_tag(l, app->desc.digest, "sig", &s, 1);
	return l;
}

static al_fg_layout *
tagged_layout(void)
{
	return tagged_layout_mt(AL_FG_MT_MANIFEST);
}

/* The multi-platform index with its arm64 child's descriptor typed mt, its
 * blobs, tagged v1, signed (on the index digest) by tag. */
static al_fg_layout *
multi_tagged_mt(const char *mt, al_fg_desc *ixd)
{
	al_fg_layout *l = al_fg_layout_new();
	cJSON *j = al_fg_jnew(), *arr;
	al_fg_sigl s;

	l->skopeo = true;
	al_fg_jint(j, "schemaVersion", 2);
	al_fg_jstr(j, "mediaType", AL_FG_MT_INDEX);
	arr = al_fg_jarr(j, "manifests");
	for (size_t i = 0; i < multi->nimages; i++) {
		const al_fg_image *img = multi->images[i];
		al_fg_desc cd = img->desc;
		cJSON *d, *p;

		if (img == multi_arm64)
			cd.media_type = mt;
		d = al_fg_desc_json(&cd);
		p = al_fg_jobj(d, "platform");
		al_fg_jstr(p, "architecture", img->arch);
		al_fg_jstr(p, "os", "linux");
		if (img->variant != NULL)
			al_fg_jstr(p, "variant", img->variant);
		al_fg_jpush(arr, d);
		al_fg_image_put(l, img);
	}
	*ixd = al_fg_layout_blob(l, AL_FG_MT_INDEX, al_bytes_str(al_fg_jprint(j)));
	al_fg_layout_ref(l, ixd, al_fg_annot(REF_NAME, "v1"), NULL);
	s = sign_image(multi->name, ixd->digest, key_signer(al_fg_tr.cosign));
	attach_tag(l, ixd->digest, "sig", &s, 1);
	return l;
}

/* ---------------------------------------------------------------- legitimate twins */

static void
case_closed_twins(void)
{
	al_fg_layout *l;
	al_fg_desc d, ixd;
	al_fg_signer k = key_signer(al_fg_tr.cosign);
	al_fg_sigl s, a;
	cJSON *ann, *ix, *arr, *e, *p;
	const char *spdx;

	emit("tagged-sig", tagged_layout(), 0, "-", KEY_ARGS,
	     "skopeo-style layout: the app tagged v1, its .sig attached by tag sha256-<hex>.sig; the base of the "
	     "tagged closed-world attacks");

	/* unreferenced content: listed, and with --strict a failure */
	l = tagged_layout();
	al_fg_layout_extra(l, "blobs/sha256/notes.txt", al_bytes_str("not named by anything\n"));
	emit("extra-file", l, 0, "-", KEY_ARGS,
	     "tagged-sig plus a file nothing names (blobs/sha256/notes.txt): listed, "
					   "not failed, without --strict");
	emit_n("extra-file-strict", l, 1, "notes.txt",
	       "unreferenced entries (first: blobs/sha256/notes.txt) and --strict", "--strict\t" KEY_ARGS,
	       "the same bundle under --strict: unreferenced content fails");

	l = multi_tagged_mt(AL_FG_MT_MANIFEST, &ixd);
	if (strcmp(ixd.digest, multi->desc.digest) != 0)
		al_fg_die("multi_tagged_mt does not rebuild the index");
	emit("multiarch-index-tagged", l, 0, "-", KEY_ARGS,
	     "the linux/amd64 + linux/arm64 index tagged v1, signed on the index digest by tag; the base of the "
	     "platform-child media type attacks");

	/* .sig, .att and .sbom by tag: the SBOM is an SPDX JSON layer under a
	 * go-containerregistry empty config, as `cosign attach sbom` writes */
	l = tagged_layout();
	a = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &k, AL_FG_BODY_DSSE);
	attach_tag(l, app->desc.digest, "att", &a, 1);
	spdx = al_fg_sprintf("{\"SPDXID\":\"SPDXRef-DOCUMENT\",\"creationInfo\":{\"created\":\"%s\",\"creators\":"
			     "[\"Tool: al-forge\"]},\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":"
			     "\"https://airlock.test/spdx/app\",\"name\":\"%s\",\"packages\":[{\"SPDXID\":"
			     "\"SPDXRef-Package-hello\",\"downloadLocation\":\"NOASSERTION\",\"name\":\"hello\","
			     "\"versionInfo\":\"1\"}],\"spdxVersion\":\"SPDX-2.3\"}",
			     al_fg_time_rfc3339(AL_FG_T0), app->name);
	d = artifact_manifest(l, MT_SPDX, al_bytes_str(spdx), NULL, false);
	al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, al_fg_sprintf("sha256-%s.sbom", hex_of(app->desc.digest))),
			 NULL);
	emit("sig-att-sbom", l, 0, "-", KEY_ARGS,
	     "tagged-sig plus a signed .att (DSSE) and an unsigned .sbom (one application/spdx+json layer, empty "
	     "config), all attached by tag: artifacts bound to the image, none runnable");

	/* sha512 names for the image's blobs and manifest; the .sig (a cosign
	 * object) stays sha256 */
	l = al_fg_layout_new();
	l->sha512 = true;
	{
		al_fg_desc cd = al_fg_layout_blob(l, AL_FG_MT_CONFIG, app->config), ld[2];
		cJSON *m = al_fg_jnew();

		for (size_t i = 0; i < app->nlayers; i++)
			ld[i] = al_fg_layout_blob(l, app->layer_desc[i].media_type, app->layers[i]);
		al_fg_jint(m, "schemaVersion", 2);
		al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
		al_fg_jput(m, "config", al_fg_desc_json(&cd));
		arr = al_fg_jarr(m, "layers");
		for (size_t i = 0; i < app->nlayers; i++)
			al_fg_jpush(arr, al_fg_desc_json(&ld[i]));
		d = al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
	}
	l->sha512 = false;
	al_fg_layout_ref(l, &d, al_fg_annot("kind", KIND_IMAGE), NULL);
	s = sign_image(app->name, d.digest, k);
	attach(l, KIND_SIGS, &s, 1);
	emit("sha512-layout", l, 0, "-", KEY_ARGS,
	     "cosign save layout whose image (manifest, config, layers) is named by sha512 digests under "
	     "blobs/sha512/; the .sig names sha512:<hex>");

	/* buildx: a signed index whose second child is an unknown/unknown
	 * attestation manifest (in-toto layer) for the amd64 image */
	l = al_fg_layout_new();
	l->skopeo = true;
	al_fg_image_put(l, multi_amd64);
	ann = al_fg_jnew();
	al_fg_jstr(ann, "in-toto.io/predicate-type", SLSA_V1);
	d = artifact_manifest(l, MT_INTOTO, al_fg_statement(multi_amd64->name, multi_amd64->desc.digest), ann, true);
	ix = al_fg_jnew();
	al_fg_jint(ix, "schemaVersion", 2);
	al_fg_jstr(ix, "mediaType", AL_FG_MT_INDEX);
	arr = al_fg_jarr(ix, "manifests");
	e = al_fg_desc_json(&multi_amd64->desc);
	p = al_fg_jobj(e, "platform");
	al_fg_jstr(p, "architecture", "amd64");
	al_fg_jstr(p, "os", "linux");
	al_fg_jpush(arr, e);
	e = al_fg_desc_json(&d);
	ann = al_fg_jobj(e, "annotations");
	al_fg_jstr(ann, "vnd.docker.reference.digest", multi_amd64->desc.digest);
	al_fg_jstr(ann, "vnd.docker.reference.type", "attestation-manifest");
	p = al_fg_jobj(e, "platform");
	al_fg_jstr(p, "architecture", "unknown");
	al_fg_jstr(p, "os", "unknown");
	al_fg_jpush(arr, e);
	ixd = al_fg_layout_blob(l, AL_FG_MT_INDEX, al_bytes_str(al_fg_jprint(ix)));
	al_fg_layout_ref(l, &ixd, al_fg_annot(REF_NAME, "v1"), NULL);
	s = sign_image(multi_amd64->name, ixd.digest, k);
	attach_tag(l, ixd.digest, "sig", &s, 1);
	emit("buildx-attestation-index", l, 0, "-", KEY_ARGS,
	     "buildx-style index, signed on its digest: linux/amd64 image plus an unknown/unknown attestation "
	     "manifest (vnd.docker.reference.type attestation-manifest, in-toto layer) naming the amd64 digest");
}

/* ---------------------------------------------------------------- class 1: an image dressed as an artifact */

static void
case_smuggle(void)
{
	al_fg_layout *l;
	al_fg_desc d;
	const char *app_tag = al_fg_sprintf("sha256-%s", hex_of(app->desc.digest));
	static const struct {
		const char *name, *kind;
	} kinds[] = { { "smuggle-kind-sigs", KIND_SIGS },
		      { "smuggle-kind-atts", KIND_ATTS },
		      { "smuggle-kind-sboms", KIND_SBOMS } };
	static const char *const suffixes[] = { "sig", "att", "sbom" };

	l = key_sig_layout();
	put_blobs(l, evil);
	d = al_fg_layout_blob(l, AL_FG_MT_MANIFEST, image_manifest(evil, &app->desc));
	al_fg_layout_ref(l, &d, NULL, NULL);
	emit_n("smuggle-subject-app", l, 1, hex_of(d.digest), R_UNSIGNED_IMAGE, KEY_ARGS,
	       "key-sig plus an unsigned runnable image (real config, tar+gzip layers) whose manifest has an OCI "
	       "subject naming the signed app: a subject does not make an image an artifact");

	l = key_sig_layout();
	put_blobs(l, evil);
	d = al_fg_layout_blob(l, AL_FG_MT_MANIFEST, image_manifest(evil, &other->desc));
	al_fg_layout_ref(l, &d, NULL, NULL);
	emit_n("smuggle-subject-absent", l, 1, hex_of(d.digest), R_UNSIGNED_IMAGE, KEY_ARGS,
	       "key-sig plus an unsigned runnable image whose subject names a digest that is not in the bundle");

	for (size_t i = 0; i < AL_ARRAY_LEN(kinds); i++) {
		l = key_sig_layout();
		al_fg_image_put(l, evil);
		al_fg_layout_ref(l, &evil->desc, al_fg_annot("kind", kinds[i].kind), NULL);
		emit_n(kinds[i].name, l, 1, hex_of(evil->desc.digest), R_UNSIGNED_IMAGE, KEY_ARGS,
		       al_fg_sprintf("key-sig plus an unsigned runnable image annotated kind: %s (cosign load "
				     "imports it)", kinds[i].kind));
	}

	for (size_t i = 0; i < AL_ARRAY_LEN(suffixes); i++) {
		l = key_sig_layout();
		al_fg_image_put(l, evil);
		al_fg_layout_ref(l, &evil->desc, al_fg_annot(REF_NAME, al_fg_sprintf("%s.%s", app_tag, suffixes[i])),
				 NULL);
		emit_n(al_fg_sprintf("smuggle-tag-%s", suffixes[i]), l, 1, hex_of(evil->desc.digest), R_UNSIGNED_IMAGE,
		       KEY_ARGS,
		       al_fg_sprintf("key-sig plus an unsigned runnable image tagged sha256-<app hex>.%s (skopeo "
				     "copy oci:DIR:that-tag loads it)", suffixes[i]));
	}

	/* a referrers-index tag whose child is a runnable image */
	{
		cJSON *ix = al_fg_jnew(), *arr, *e;

		l = key_sig_layout();
		al_fg_image_put(l, evil);
		al_fg_jint(ix, "schemaVersion", 2);
		al_fg_jstr(ix, "mediaType", AL_FG_MT_INDEX);
		arr = al_fg_jarr(ix, "manifests");
		e = al_fg_desc_json(&evil->desc);
		al_fg_jstr(e, "artifactType", AL_FG_MT_BUNDLE_V03);
		al_fg_jpush(arr, e);
		d = al_fg_layout_blob(l, AL_FG_MT_INDEX, al_bytes_str(al_fg_jprint(ix)));
		al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, app_tag), NULL);
		emit_n("smuggle-referrers-index", l, 1, hex_of(evil->desc.digest), R_UNCOVERED, KEY_ARGS,
		       "key-sig plus an index tagged sha256-<app hex> (the referrers tag schema) whose child, typed "
		       "as a Sigstore bundle artifact, is an unsigned runnable image manifest");
	}

	/* a .sig whose layer is typed simple signing but is a tar */
	{
		al_fg_sigl s = al_fg_sign_payload(evil->layers_tar[0], &(al_fg_signer){ .key = al_fg_tr.cosign });

		l = key_sig_layout();
		d = al_fg_sig_manifest(l, &s, 1);
		al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, al_fg_sprintf("%s.sig", app_tag)), NULL);
		emit_n("smuggle-sig-tar-content", l, 1, hex_of(d.digest), R_UNSIGNED_IMAGE, KEY_ARGS,
		       "key-sig plus a manifest tagged sha256-<app hex>.sig whose one layer is typed cosign simple "
		       "signing (and carries a signature over itself) but whose content is an uncompressed tar: a "
		       "runnable filesystem under an artifact media type");
	}

	/* a valid .sig that also carries a second, loadable ref name */
	{
		al_fg_sigl s = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));

		l = al_fg_layout_new();
		l->skopeo = true;
		al_fg_image_put(l, app);
		al_fg_layout_ref(l, &app->desc, al_fg_annot(REF_NAME, "v1"), NULL);
		d = al_fg_sig_manifest(l, &s, 1);
		al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, al_fg_sprintf("%s.sig", app_tag)), NULL);
		al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, "latest"), NULL);
		emit_n("smuggle-sig-extra-ref", l, 1, "latest", R_UNSIGNED_IMAGE, KEY_ARGS,
		       "tagged-sig whose (valid) .sig manifest is listed a second time in index.json under the ref "
		       "name latest: an artifact a consumer can load by another name");
	}
}

/* ---------------------------------------------------------------- class 3 / 9: descriptor media types */

static void
case_desc_types(void)
{
	static const struct {
		const char *suffix, *mt;
	} types[] = { { "layer", AL_FG_MT_LAYER_GZ },
		      { "octet", MT_OCTET },
		      { "schema1", MT_SCHEMA1 },
		      { "unknown", MT_UNKNOWN } };

	for (size_t i = 0; i < AL_ARRAY_LEN(types); i++) {
		al_fg_layout *l = tagged_layout_mt(types[i].mt);

		al_fg_layout_flip(l, app->layer_desc[1].digest, app->layer_desc[1].size / 2);
		emit_n(al_fg_sprintf("desc-as-%s", types[i].suffix), l, 1, hex_of(app->desc.digest),
		       strcmp(types[i].mt, MT_SCHEMA1) == 0 ? R_SCHEMA1 : R_DESC_TYPE, KEY_ARGS,
		       al_fg_sprintf("tagged-sig whose index.json descriptor for the signed manifest is typed %s, and "
				     "one byte of that manifest's layer changed (hashing the descriptor's blob alone "
				     "misses it)",
				     types[i].mt));
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(types); i++) {
		al_fg_layout *l;
		al_fg_desc ixd;

		if (strcmp(types[i].mt, MT_SCHEMA1) == 0)
			continue;
		l = multi_tagged_mt(types[i].mt, &ixd);
		al_fg_layout_flip(l, multi_arm64->layer_desc[0].digest, 40);
		emit_n(al_fg_sprintf("index-child-as-%s", types[i].suffix), l, 1, hex_of(multi_arm64->desc.digest),
		       R_DESC_TYPE, KEY_ARGS,
		       al_fg_sprintf("multiarch-index-tagged whose signed index types the arm64 child %s, and one "
				     "byte of that child's layer changed",
				     types[i].mt));
	}
}

/* ---------------------------------------------------------------- class 2 / 8: Docker 25+ archives */

typedef struct mj_entry {
	const char *config;       /* path */
	const char *tag;
	const char *layers[2];
	const char *k_config, *k_tags, *k_layers; /* key spellings */
	const char *dup_config;   /* a second config key "config" after "Config" */
} mj_entry;

static al_fg_layout *
clone_layout(const al_fg_layout *b)
{
	al_fg_layout *l = al_fg_layout_new();

	l->skopeo = b->skopeo;
	l->index = cJSON_Duplicate(b->index, 1);
	l->blobs = al_fg_alloc((b->nblobs + 1) * sizeof(*l->blobs));
	memcpy(l->blobs, b->blobs, b->nblobs * sizeof(*l->blobs));
	l->nblobs = b->nblobs;
	if (b->nextra != 0)
		al_fg_die("clone_layout: extras are not cloned");
	return l;
}

static const char *
blob_of(const char *digest)
{
	return al_fg_sprintf("blobs/sha256/%s", hex_of(digest));
}

static mj_entry
mj_of(const al_fg_image *img, const char *tag)
{
	return (mj_entry){ blob_of(img->config_desc.digest),
			   tag,
			   { blob_of(img->layer_desc[0].digest), blob_of(img->layer_desc[1].digest) },
			   "Config", "RepoTags", "Layers", NULL };
}

static void
docker_tar(const al_fg_layout *l, const mj_entry *e, size_t n, const al_fg_image *img, al_fg_buf *tar)
{
	cJSON *man = al_fg_jarr_new(), *repos, *r;
	const char *names[2] = { "manifest.json", "repositories" };
	al_bytes data[2];

	for (size_t i = 0; i < n; i++) {
		cJSON *m = al_fg_jnew(), *arr;

		al_fg_jstr(m, e[i].k_config, e[i].config);
		al_fg_jpush_str(al_fg_jarr(m, e[i].k_tags), e[i].tag);
		arr = al_fg_jarr(m, e[i].k_layers);
		for (size_t j = 0; j < 2; j++)
			al_fg_jpush_str(arr, e[i].layers[j]);
		if (e[i].dup_config != NULL)
			al_fg_jstr(m, "config", e[i].dup_config);
		al_fg_jpush(man, m);
	}
	data[0] = al_bytes_str(al_fg_jprint(man));
	repos = al_fg_jnew();
	r = al_fg_jobj(repos, img->name);
	al_fg_jstr(r, "v1", hex_of(img->config_desc.digest));
	data[1] = al_bytes_str(al_fg_jprint(repos));
	tar->n = 0;
	al_fg_layout_tar(l, names, data, 2, tar);
}

static void
case_docker_views(void)
{
	const al_fg_image *dimg = al_fg_image_make(app->name, "amd64", NULL, "app", true);
	al_fg_layout *base = al_fg_layout_new(), *l;
	al_fg_sigl s;
	al_fg_buf tar = { 0 };
	mj_entry e[2];
	cJSON *a;
	al_fg_desc alt;
	const char *altcfg;

	al_fg_image_put(base, dimg);
	a = al_fg_jnew();
	al_fg_jstr(a, "io.containerd.image.name", al_fg_sprintf("%s:v1", dimg->name));
	al_fg_jstr(a, REF_NAME, "v1");
	al_fg_layout_ref(base, &dimg->desc, a, NULL);
	s = sign_image(dimg->name, dimg->desc.digest, key_signer(al_fg_tr.cosign));
	attach_tag(base, dimg->desc.digest, "sig", &s, 1);

	/* the app's config with another command: same layers, other behaviour */
	{
		const char *c = (const char *)dimg->config.p, *at = strstr(c, "\"/bin/hello\"");

		if (at == NULL)
			al_fg_die("no Cmd in the docker config");
		altcfg = al_fg_sprintf("%.*s\"/app/evil\"%s", (int)(at - c), c, at + strlen("\"/bin/hello\""));
	}

	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	docker_tar(base, e, 1, dimg, &tar);
	emit_file("docker-oci-views-agree", ".tar", al_fg_bytes(&tar), 0, "-", "-", KEY_ARGS,
		  "Docker 25+ docker save, signed by tag in its OCI layout; manifest.json names exactly the signed "
		  "image's config and layers (built by the closed-world writer; same bytes as docker-oci-signed "
		  "but for the log entry)");

	l = clone_layout(base);
	alt = al_fg_layout_blob(l, AL_FG_MT_CONFIG, al_bytes_str(altcfg));
	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	e[0].config = blob_of(alt.digest);
	docker_tar(l, e, 1, dimg, &tar);
	emit_file("docker-oci-mj-config-other", ".tar", al_fg_bytes(&tar), 1, hex_of(alt.digest), R_DOCKER_VIEW,
		  KEY_ARGS,
		  "docker-oci-views-agree whose manifest.json Config names another config blob present in the "
		  "archive (same layers, another Cmd): docker load runs what nobody signed");

	l = clone_layout(base);
	put_blobs(l, devil);
	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	e[0].layers[0] = blob_of(devil->layer_desc[0].digest);
	e[0].layers[1] = blob_of(devil->layer_desc[1].digest);
	docker_tar(l, e, 1, dimg, &tar);
	emit_file("docker-oci-mj-layers-other", ".tar", al_fg_bytes(&tar), 1, hex_of(devil->layer_desc[0].digest),
		  R_DOCKER_VIEW, KEY_ARGS,
		  "docker-oci-views-agree whose manifest.json Layers name other layer blobs present in the archive");

	l = clone_layout(base);
	put_blobs(l, devil);
	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	e[1] = mj_of(devil, al_fg_sprintf("%s:v1", devil->name));
	docker_tar(l, e, 2, dimg, &tar);
	emit_file("docker-oci-mj-extra-image", ".tar", al_fg_bytes(&tar), 1, hex_of(devil->config_desc.digest),
		  R_DOCKER_VIEW, KEY_ARGS,
		  "docker-oci-views-agree plus a second manifest.json entry (its own RepoTags) for an unsigned image "
		  "whose config and layers are in the archive but not in index.json");

	l = clone_layout(base);
	alt = al_fg_layout_blob(l, AL_FG_MT_CONFIG, al_bytes_str(altcfg));
	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	e[0].dup_config = blob_of(alt.digest);
	docker_tar(l, e, 1, dimg, &tar);
	emit_file("docker-oci-mj-config-dupkey", ".tar", al_fg_bytes(&tar), 1, "manifest.json", R_GO_KEY, KEY_ARGS,
		  "docker-oci-views-agree whose manifest.json entry has \"Config\" (the signed config) followed by "
		  "\"config\" (another present config): Go's encoding/json keeps the last, case-insensitively");

	e[0] = mj_of(dimg, al_fg_sprintf("%s:v1", dimg->name));
	e[0].k_config = "config";
	e[0].k_tags = "repoTags";
	e[0].k_layers = "layers";
	docker_tar(base, e, 1, dimg, &tar);
	emit_file("polyglot-docker-lowercase", ".tar", al_fg_bytes(&tar), 1, "manifest.json", R_GO_KEY, KEY_ARGS,
		  "docker-oci-views-agree whose manifest.json keys are config, repoTags, layers: docker reads them "
		  "(case-insensitive), a strict reader would not");
}

/* ---------------------------------------------------------------- class 8: layout polyglots */

static void
case_polyglot(void)
{
	al_fg_layout *l;
	const char *id = al_fg_digest(al_bytes_str("al-forge polyglot v1 layer")) + 7;
	cJSON *js, *repos;

	/* also a containers/image dir: directory holding the unsigned image */
	l = tagged_layout();
	al_fg_layout_extra(l, "manifest.json", evil->manifest);
	al_fg_layout_extra(l, "version", al_bytes_str("Directory Transport Version: 1.1\n"));
	al_fg_layout_extra(l, hex_of(evil->config_desc.digest), evil->config);
	for (size_t i = 0; i < evil->nlayers; i++)
		al_fg_layout_extra(l, hex_of(evil->layer_desc[i].digest), evil->layers[i]);
	emit_n("polyglot-dir-manifest", l, 1, "manifest.json", "so this layout is also a containers/image dir:",
	       KEY_ARGS,
	       "tagged-sig that is also a containers/image dir: directory (top-level manifest.json object, version, "
	       "<hex> blobs) holding an unsigned image: skopeo copy dir:DIR loads it");

	/* also a legacy (pre-1.10) docker save: repositories, <id>/json, <id>/layer.tar */
	l = tagged_layout();
	repos = al_fg_jnew();
	al_fg_jstr(al_fg_jobj(repos, evil->name), "v1", id);
	al_fg_layout_extra(l, "repositories", al_bytes_str(al_fg_jprint(repos)));
	js = al_fg_jnew();
	al_fg_jstr(js, "id", id);
	al_fg_jstr(js, "created", al_fg_time_rfc3339(AL_FG_T0 - 1800));
	al_fg_jstr(js, "os", "linux");
	al_fg_jstr(js, "architecture", "amd64");
	al_fg_layout_extra(l, al_fg_sprintf("%s/VERSION", id), al_bytes_str("1.0"));
	al_fg_layout_extra(l, al_fg_sprintf("%s/json", id), al_bytes_str(al_fg_jprint(js)));
	al_fg_layout_extra(l, al_fg_sprintf("%s/layer.tar", id), evil->layers_tar[0]);
	emit_n("polyglot-legacy-repositories", l, 1, "repositories",
	       "the layout also carries legacy docker image directories", KEY_ARGS,
	       "tagged-sig that is also a legacy docker save (repositories, <64hex>/json, <64hex>/layer.tar, no "
	       "manifest.json) of an unsigned layer");
}

/* ---------------------------------------------------------------- class 7: JSON keys Go folds */

/* evil's manifest, padded (an annotation) to exactly n bytes, so that a
 * descriptor's size fits both it and the signed manifest. */
static al_fg_desc
evil_manifest_sized(al_fg_layout *l, size_t n)
{
	al_bytes m = evil->manifest;

	if (m.n != n) {
		const char *base = (const char *)m.p, *pad;
		size_t over;

		/* evil->manifest ends with "]}": insert the annotations before the '}' */
		over = m.n - 1 + strlen(",\"annotations\":{\"org.opencontainers.image.description\":\"\"}") + 1;
		if (over > n)
			al_fg_die("cannot pad the unsigned manifest to %zu bytes", n);
		pad = al_fg_sprintf("%0*d", (int)(n - over), 0);
		m = al_bytes_str(al_fg_sprintf("%.*s,\"annotations\":{\"org.opencontainers.image.description\":\"%s\"}}",
					       (int)(m.n - 1), base, pad));
		if (m.n != n)
			al_fg_die("padding the unsigned manifest went wrong");
	}
	put_blobs(l, evil);
	return al_fg_layout_blob(l, AL_FG_MT_MANIFEST, m);
}

static cJSON *
ref_desc(const al_fg_desc *d, const char *ref)
{
	cJSON *j = al_fg_desc_json(d);

	al_fg_jput(j, "annotations", al_fg_annot(REF_NAME, ref));
	return j;
}

static void
case_json_keys(void)
{
	static const struct {
		const char *name, *key, *what;
	} digest_keys[] = { { "json-dup-digest-case", "Digest", "\"Digest\"" },
			    { "json-dup-digest-fold", "dige" LONG_S "t", "\"dige\\u017ft\" (U+017F long s)" } },
	  manifests_keys[] = { { "json-dup-manifests-case", "Manifests", "\"Manifests\"" },
			       { "json-dup-manifests-fold", "manife" LONG_S "ts", "\"manife\\u017fts\" (U+017F long s)" } };

	for (size_t i = 0; i < AL_ARRAY_LEN(digest_keys); i++) {
		al_fg_layout *l = tagged_layout();
		al_fg_desc ed = evil_manifest_sized(l, app->desc.size);
		cJSON *j = al_fg_jnew(), *arr, *e;

		al_fg_jint(j, "schemaVersion", 2);
		arr = al_fg_jarr(j, "manifests");
		e = al_fg_jnew();
		al_fg_jstr(e, "mediaType", AL_FG_MT_MANIFEST);
		al_fg_jstr(e, "digest", app->desc.digest);
		al_fg_jstr(e, digest_keys[i].key, ed.digest);
		al_fg_jint(e, "size", (int64_t)app->desc.size);
		al_fg_jput(e, "annotations", al_fg_annot(REF_NAME, "v1"));
		al_fg_jpush(arr, e);
		al_fg_jpush(arr, cJSON_Duplicate(cJSON_GetArrayItem(l->index, 1), 1));
		l->index_raw = al_bytes_str(al_fg_jprint(j));
		emit_n(digest_keys[i].name, l, 1, hex_of(ed.digest), R_GO_KEY, KEY_ARGS,
		       al_fg_sprintf("tagged-sig whose index.json v1 descriptor has \"digest\" (the signed app) followed "
				     "by %s naming an unsigned image of the same size, whose blobs are present: Go's "
				     "encoding/json reads the last, case-folded",
				     digest_keys[i].what));
	}
	for (size_t i = 0; i < AL_ARRAY_LEN(manifests_keys); i++) {
		al_fg_layout *l = tagged_layout();
		al_fg_desc ed = evil_manifest_sized(l, evil->manifest.n);
		cJSON *j = al_fg_jnew(), *arr;

		al_fg_jint(j, "schemaVersion", 2);
		al_fg_jput(j, "manifests", cJSON_Duplicate(l->index, 1));
		arr = al_fg_jarr(j, manifests_keys[i].key);
		al_fg_jpush(arr, ref_desc(&ed, "v1"));
		l->index_raw = al_bytes_str(al_fg_jprint(j));
		/* the ambiguity is the key itself: the message names it */
		emit_n(manifests_keys[i].name, l, 1, manifests_keys[i].key, R_GO_KEY, KEY_ARGS,
		       al_fg_sprintf("tagged-sig whose index.json has \"manifests\" (signed app and .sig) followed by "
				     "%s listing an unsigned image tagged v1: Go's encoding/json reads only the last",
				     manifests_keys[i].what));
	}

	/* the signed manifest itself is ambiguous: "layers" then "layerſ" */
	{
		al_fg_layout *l = al_fg_layout_new();
		cJSON *m = al_fg_jnew(), *arr;
		al_fg_desc d;
		al_fg_sigl s;

		l->skopeo = true;
		put_blobs(l, app);
		put_blobs(l, evil);
		al_fg_jint(m, "schemaVersion", 2);
		al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
		al_fg_jput(m, "config", al_fg_desc_json(&app->config_desc));
		arr = al_fg_jarr(m, "layers");
		for (size_t i = 0; i < app->nlayers; i++)
			al_fg_jpush(arr, al_fg_desc_json(&app->layer_desc[i]));
		arr = al_fg_jarr(m, "layer" LONG_S);
		for (size_t i = 0; i < evil->nlayers; i++)
			al_fg_jpush(arr, al_fg_desc_json(&evil->layer_desc[i]));
		d = al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
		al_fg_layout_ref(l, &d, al_fg_annot(REF_NAME, "v1"), NULL);
		s = sign_image(app->name, d.digest, key_signer(al_fg_tr.cosign));
		attach_tag(l, d.digest, "sig", &s, 1);
		emit_n("json-fold-layers-in-manifest", l, 1, hex_of(d.digest), R_GO_KEY, KEY_ARGS,
		       "a signed manifest (tagged v1, .sig by tag, the signature valid over its bytes) with \"layers\" "
		       "(the app's) followed by \"layer\\u017f\" (an unsigned image's layers, present): Go reads the "
		       "second; the signed bytes do not say which image they are");
	}
}

/* ---------------------------------------------------------------- class 5: archive level */

static al_bytes
cat(al_bytes a, al_bytes b)
{
	al_fg_buf o = { 0 };

	al_fg_put(&o, a.p, a.n);
	al_fg_put(&o, b.p, b.n);
	return al_fg_bytes(&o);
}

static char *
upper(const char *s)
{
	char *u = al_fg_strdup(s);

	for (char *p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return u;
}

static void
case_archive_level(void)
{
	al_fg_layout *l, *ev;
	al_fg_buf tar = { 0 }, t2 = { 0 };
	al_bytes base;
	const char *up;
	static const char garbage[] = "trailing bytes after the end of the stream: a second archive could be here\n";

	/* index.json and INDEX.JSON: extracted on a case-insensitive file
	 * system, the second replaces the first (v1 becomes the unsigned image) */
	l = tagged_layout();
	al_fg_image_put(l, evil);
	ev = al_fg_layout_new();
	ev->skopeo = true;
	al_fg_layout_ref(ev, &evil->desc, al_fg_annot(REF_NAME, "v1"), NULL);
	al_fg_layout_extra(l, "INDEX.JSON", al_fg_layout_index_json(ev));
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	emit_file("archive-case-index", ".tar", al_fg_bytes(&tar), 1, "INDEX.JSON", R_CASE_FOLD, KEY_ARGS,
		  "tagged-sig as a tar plus an INDEX.JSON entry (an index.json tagging an unsigned image v1, whose "
		  "blobs are present): two paths that differ only in case");

	l = tagged_layout();
	up = al_fg_sprintf("blobs/sha256/%s", upper(hex_of(app->layer_desc[1].digest)));
	al_fg_layout_extra(l, up, flip(app->layers[1], app->layers[1].n / 2));
	tar.n = 0;
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	emit_file("archive-case-blob", ".tar", al_fg_bytes(&tar), 1, up, R_CASE_FOLD, KEY_ARGS,
		  "tagged-sig as a tar plus blobs/sha256/<HEX> (the app layer's name in upper case) holding that "
		  "layer with one byte changed");

	l = tagged_layout();
	tar.n = 0;
	al_fg_layout_tar(l, NULL, NULL, 0, &tar);
	base = al_fg_dup(al_fg_bytes(&tar));
	{
		al_fg_buf g = { 0 };

		while (g.n < 1024)
			al_fg_puts(&g, garbage);
		emit_file("archive-trailing-nonzero", ".tar", cat(base, al_bytes_of(g.p, 1024)), 1, "-",
			  "trailing data after the archive", KEY_ARGS,
			  "tagged-sig as a tar with 1024 non-zero bytes after its two zero end-of-archive blocks");
	}
	ev = al_fg_layout_new();
	ev->skopeo = true;
	al_fg_image_put(ev, evil);
	al_fg_layout_ref(ev, &evil->desc, al_fg_annot(REF_NAME, "v1"), NULL);
	al_fg_layout_tar(ev, NULL, NULL, 0, &t2);
	emit_file("archive-second-tar", ".tar", cat(base, al_fg_bytes(&t2)), 1, "-", "trailing data after the archive",
		  KEY_ARGS,
		  "tagged-sig as a tar followed by a second tar (an unsigned image tagged v1 and its index.json): "
		  "tar --ignore-zeros extracts both, the second index.json wins");
	emit_file("archive-gzip-trailing", ".tar.gz", cat(al_fg_gzip(base), al_bytes_str(garbage)), 1, "-",
		  "trailing data after the gzip stream", KEY_ARGS,
		  "tagged-sig.tar.gz with bytes after the end of the gzip stream");
	emit_file("archive-zstd-trailing", ".tar.zst", cat(al_fg_zstd(base), al_bytes_str(garbage)), 1, "-",
		  "trailing data after the zstd stream", KEY_ARGS,
		  "tagged-sig.tar.zst with bytes after the end of the zstd frame");

	tar.n = 0;
	up = al_fg_docker_legacy_ex(app, "v1", true, &tar);
	emit_file("docker-legacy-dup-layer", ".tar", al_fg_bytes(&tar), 1, up, "one file cannot be both", KEY_ARGS,
		  "docker-legacy-unsigned whose second layer.tar is a symlink to the first layer's file although "
		  "the config gives the two layers different diff_ids");
}

static void
case_closed_world(void)
{
	evil = al_fg_image_make(AL_FG_REGISTRY "/evil", "amd64", NULL, "evil", false);
	devil = al_fg_image_make(AL_FG_REGISTRY "/evil", "amd64", NULL, "evil", true);
	case_closed_twins();
	case_smuggle();
	case_desc_types();
	case_docker_views();
	case_polyglot();
	case_json_keys();
	case_archive_level();
}

/* ================================================================ failing twins
 *
 * Each security check below had no case that fails when it is deleted:
 * a valid case changed in exactly one thing (content, or the trust given on
 * the command line) so that only that check can reject it, and, where the
 * check judges a window or a pattern, a twin that must still verify. */

/* A row for an existing case directory verified with other arguments. */
static void
again(const char *name, const char *case_name, int exit_code, const char *must, const char *reason, const char *args,
      const char *what)
{
	add_row_n(name, al_fg_sprintf("cases/%s", case_name), exit_code, must, reason, args, what);
}

static void
case_twins_trust(void)
{
	/* --ca-roots: the chain must end at the root given, not at any root */
	again("pki-wrong-root", "pki", 1, "no valid signature from a trusted root", R_CHAIN,
	      "--ca-roots\ttrust/pki-other-root.pem\t--ca-intermediates\ttrust/pki-intermediates.pem\t"
	      "--certificate-identity\t" AL_FG_PKI_IDENTITY "\t" TR,
	      "pki verified with --ca-roots naming another private root (trust/pki-other-root.pem)");

	/* the log key's validFor window, judged at the SET's integratedTime */
	again("set-log-key-expired", "key-sig", 1, "is outside the validity of log rekor.airlock.test's key",
	      R_LOG_KEY_WINDOW,
	      "--key\ttrust/cosign.pub\t--trusted-root\ttrust/trusted_root-log-expired.json",
	      "key-sig verified with a trusted root whose log key's validFor ends 3 s before the integratedTime");
	again("set-log-key-expired-keyless", "keyless-sig", 1, "is outside the validity of log rekor.airlock.test's key",
	      R_LOG_KEY_WINDOW,
	      "--trusted-root\ttrust/trusted_root-log-expired.json\t--certificate-identity\t" AL_FG_IDENTITY
	      "\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	      "keyless-sig verified with a trusted root whose log key's validFor ends 3 s before the integratedTime");
	/* a proof-only entry's log key, judged at the RFC 3161 time */
	again("proof-log-key-late", "referrer-no-set", 1, "key is not valid at the timestamped time",
	      "key is not valid at the timestamped time",
	      "--trusted-root\ttrust/trusted_root-log-late.json\t--certificate-identity\t" AL_FG_IDENTITY
	      "\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	      "referrer-no-set verified with a trusted root whose log key's validFor starts at the (unsigned) "
	      "integratedTime, after the RFC 3161 genTime: only the timestamp can date the checkpoint's key");
	/* the TSA's validFor window, judged at genTime */
	again("tsa-expired", "keyless-sig-tsa", 1, "is outside the TSA's validFor in the trusted root",
	      "is outside the TSA's validFor in the trusted root",
	      "--trusted-root\ttrust/trusted_root-tsa-expired.json\t--certificate-identity\t" AL_FG_IDENTITY
	      "\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	      "keyless-sig-tsa verified with a trusted root whose TSA's validFor ends before the genTime");
	again("set-log-key-valid", "key-sig", 0, "-", "-",
	      "--key\ttrust/cosign.pub\t--trusted-root\ttrust/trusted_root-log-valid.json",
	      "key-sig verified with a trusted root whose log key's validFor ends 60 s after the integratedTime");

	/* identity regexps are anchored around the whole alternation */
	again("regexp-alternation-suffix", "keyless-sig", 1, "does not match the expression",
	      "does not match the expression '^nomatch|",
	      TR "\t--certificate-identity-regexp\t^nomatch|app/\\.github/workflows/release\\.yml@refs/heads/main$"
	      "\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	      "keyless-sig with identity regexp '^nomatch|<a suffix of the identity>$': anchored as a whole, "
	      "neither alternative matches the whole identity");
	again("regexp-alternation-match", "keyless-sig", 0, "-", "-",
	      TR "\t--certificate-identity-regexp\t^nomatch|https://github\\.com/airlock-test/app/\\.github/workflows/"
	      "release\\.yml@refs/heads/main$\t--certificate-oidc-issuer\t" AL_FG_ISSUER,
	      "keyless-sig with identity regexp '^nomatch|<the whole identity>$': the second alternative matches");
}

static void
case_twins_sct(void)
{
	static const struct {
		const char *name, *label, *what, *must, *reason;
		int mode; /* 0 no SCT, 1 corrupted, 2 untrusted CT log */
	} v[] = {
		{ "tamper-sct-missing", "fulcio-leaf-no-sct", "a Fulcio leaf without an SCT list extension",
		  "leaf certificate has no embedded SCT list", "leaf certificate has no embedded SCT list", 0 },
		{ "tamper-sct-signature", "fulcio-leaf-bad-sct", "a Fulcio leaf whose SCT signature has one bit of r changed",
		  "0 of 1 SCTs verified", "SCTs verified, 1 required: SCT 0: ECDSA P-256/SHA-256 signature does not verify",
		  1 },
		{ "tamper-sct-untrusted-log", "fulcio-leaf-other-ct", "a Fulcio leaf whose SCT is signed by a CT log the "
								     "trusted root does not list",
		  "SCT 0: unknown log", "SCTs verified, 1 required: SCT 0: unknown log", 2 },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(v); i++) {
		const al_fg_cert *leaf = al_fg_fulcio_leaf_sct(
			v[i].label, AL_FG_IDENTITY, AL_FG_T0 - 60, AL_FG_T0 + 540,
			v[i].mode == 0 ? NULL : v[i].mode == 1 ? al_fg_tr.ctlog : al_fg_tr.ctlog_other, v[i].mode == 1);
		al_fg_layout *l = saved(app);
		al_fg_signer sg = { .cert = leaf, .chain_pem = al_fg_tr.fulcio_chain_pem };
		al_fg_sigl s = sign_image(app->name, app->desc.digest, sg);

		attach(l, KIND_SIGS, &s, 1);
		emit_n(v[i].name, l, 1, v[i].must, v[i].reason, KEYLESS_ARGS,
		       al_fg_sprintf("keyless-sig signed with %s (chain, SET and identity valid)", v[i].what));
	}
}

/* A trusted root that lists no transparency log and no CT log, as GitHub's
 * own instance does (docs/trust.md §5): its TSA dates the signature, and
 * nothing else may be waived. */
static void
case_twins_instance(void)
{
	const al_fg_cert *nosct = al_fg_fulcio_leaf_sct("fulcio-leaf-instance", AL_FG_IDENTITY, AL_FG_T0 - 60,
							AL_FG_T0 + 540, NULL, false);
	al_fg_bundle_opts gh = { .no_tlog = true }, bare = { .no_tlog = true, .no_tsa = true };
	/* a root with no log needs the relaxation said (as gh's instance does) */
	const char *id = "\t--certificate-identity\t" AL_FG_IDENTITY "\t--certificate-oidc-issuer\t" AL_FG_ISSUER
			 "\t--insecure-ignore-tlog\t--insecure-ignore-sct";

	emit_n("instance-tsa-only", referrer_layout_by(nosct, &gh, app->desc.digest), 0, "-", "-",
	       al_fg_sprintf("--trusted-root\ttrust/trusted_root-tsa-only.json%s", id),
	       "referrer whose bundle has no log entry and an RFC 3161 timestamp, signed by a leaf with no SCT, "
	       "under a trusted root with a CA and a TSA and no log (GitHub's instance)");
	emit_n("instance-jsonl", referrer_layout_by(nosct, &gh, app->desc.digest), 0, "-", "-",
	       al_fg_sprintf("--trusted-root\ttrust/trusted_roots-instances.jsonl%s", id),
	       "instance-tsa-only under JSON Lines (a root with logs, then the TSA-only one): the first root "
	       "lacks a log entry it could judge and hands the signature on; the second decides");
	emit_n("tamper-instance-no-tsa", referrer_layout_by(nosct, &bare, app->desc.digest), 1,
	       "needs a verified RFC 3161 timestamp", "needs a verified RFC 3161 timestamp",
	       al_fg_sprintf("--trusted-root\ttrust/trusted_root-tsa-only.json%s", id),
	       "instance-tsa-only without its timestamp: a root with no log needs its TSA's time");
	emit_n("tamper-instance-ca-only", referrer_layout_by(nosct, &bare, app->desc.digest), 1,
	       "needs a verified RFC 3161 timestamp", "needs a verified RFC 3161 timestamp",
	       al_fg_sprintf("--trusted-root\ttrust/trusted_root-ca-only.json%s", id),
	       "a certificate-signed bundle with no log entry and no timestamp under a root with a CA and no "
	       "log and no TSA: a certificate is valid only in a window, and nothing dates the signature (a "
	       "key signer is checked by its signature alone there)");
	emit_n("tamper-instance-tsa-expired", referrer_layout_by(nosct, &gh, app->desc.digest), 1,
	       "is outside the TSA's validFor in the trusted root", "is outside the TSA's validFor in the trusted root",
	       al_fg_sprintf("--trusted-root\ttrust/trusted_root-tsa-only-expired.json%s", id),
	       "instance-tsa-only under a TSA-only root whose TSA's validFor ends before the genTime");
	emit_n("tamper-instance-under-logged-root", referrer_layout_by(nosct, &gh, app->desc.digest), 1,
	       "no transparency-log entry verified", "no transparency-log entry verified",
	       KEYLESS_ARGS "\t--insecure-ignore-tlog\t--insecure-ignore-sct",
	       "instance-tsa-only under a trusted root that lists a log: a root with logs always needs an entry, "
	       "relaxed or not");
	emit_n("tamper-instance-unrelaxed", referrer_layout_by(nosct, &gh, app->desc.digest), 1,
	       "0 verified transparency-log entries", "0 verified transparency-log entries; rule command line requires 1",
	       "--trusted-root\ttrust/trusted_root-tsa-only.json\t--certificate-identity\t" AL_FG_IDENTITY
	       "\t--certificate-oidc-issuer\t" AL_FG_ISSUER "\t--insecure-ignore-sct",
	       "instance-tsa-only without --insecure-ignore-tlog: the default policy requires a log entry");
	emit_n("tamper-instance-sct-unrelaxed", referrer_layout_by(nosct, &gh, app->desc.digest), 1,
	       "the trusted root lists no CT log, and the policy requires an SCT",
	       "the trusted root lists no CT log, and the policy requires an SCT",
	       "--trusted-root\ttrust/trusted_root-tsa-only.json\t--certificate-identity\t" AL_FG_IDENTITY
	       "\t--certificate-oidc-issuer\t" AL_FG_ISSUER "\t--insecure-ignore-tlog",
	       "instance-tsa-only without --insecure-ignore-sct: the default policy requires an SCT");
	emit_n("tamper-instance-jsonl-identity", referrer_layout_by(nosct, &gh, app->desc.digest), 1,
	       "certificate identity (SAN) is", "certificate identity (SAN) is",
	       "--trusted-root\ttrust/trusted_roots-instances.jsonl\t--certificate-identity\t"
	       "https://github.com/airlock-test/app/.github/workflows/other.yml@refs/heads/main"
	       "\t--certificate-oidc-issuer\t" AL_FG_ISSUER "\t--insecure-ignore-tlog\t--insecure-ignore-sct",
	       "instance-jsonl with another identity: the root that vouches for the signature gives the "
	       "verdict");
}

static void
case_twins_tlog(void)
{
	al_fg_layout *l;
	al_fg_signer sg;
	al_fg_sigl s, s2[2];
	al_fg_bundle_opts o;
	const al_fg_cert *later;

	/* a SET from a log the trusted root does not list */
	l = saved(app);
	sg = key_signer(al_fg_tr.cosign);
	sg.log = al_fg_tr.rekor_other;
	s = sign_image(app->name, app->desc.digest, sg);
	attach(l, KIND_SIGS, &s, 1);
	emit_n("tamper-set-untrusted-log", l, 1, "which the trusted root does not list",
	       "which the trusted root does not list", KEY_ARGS,
	       "key-sig whose SET is valid, but signed by a second log (trust/rekor-other.pub) the trusted root "
	       "does not list, and names that log's ID");

	/* checkpoint signature: bytes changed, or another key hint */
	o = (al_fg_bundle_opts){ .corrupt_checkpoint_sig = true };
	emit_n("tamper-referrer-checkpoint-sig", referrer_layout(&o, app->desc.digest), 1, "by the log key does not verify",
	       "by the log key does not verify", KEYLESS_ARGS,
	       "referrer whose checkpoint signature has one bit of r changed (text, root and size right)");
	o = (al_fg_bundle_opts){ .checkpoint_wrong_hint = true };
	emit_n("tamper-referrer-checkpoint-hint", referrer_layout(&o, app->desc.digest), 1, "not the log key's",
	       "not the log key's", KEYLESS_ARGS,
	       "referrer whose checkpoint signature line carries another key hint (key ID); the "
			     "signature itself is the log's");

	/* intoto/0.0.1 entries, as cosign 1.x logged attestations */
	l = saved(app);
	sg = keyless(leaf_main);
	s = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &sg, AL_FG_BODY_INTOTO1);
	attach(l, KIND_ATTS, &s, 1);
	emit("keyless-att-intoto1", l, 0, "-", KEYLESS_ARGS,
	     "keyless .att logged as intoto/0.0.1 (Rekor's canonical form: content.hash, content.payloadHash, "
	     "publicKey)");
	l = saved(app);
	sg.bad_payload_hash = true;
	s = al_fg_sign_attestation(al_fg_statement(app->name, app->desc.digest), &sg, AL_FG_BODY_INTOTO1);
	attach(l, KIND_ATTS, &s, 1);
	emit_n("tamper-att-intoto1-payload-hash", l, 1, "spec.content.payloadHash",
	       "differs from the sha256 of the bundle's DSSE payload", KEYLESS_ARGS,
	       "keyless-att-intoto1 whose logged body's payloadHash is of other bytes (SET valid over that body)");

	/* SETs at times a year apart, each within its certificate */
	later = al_fg_fulcio_leaf("fulcio-leaf-later", AL_FG_IDENTITY, AL_FG_T0 + 365 * 86400 - 60,
				  AL_FG_T0 + 365 * 86400 + 540, false);
	l = saved(app);
	sg = keyless(later);
	sg.itime = AL_FG_T0 + 365 * 86400 + 3;
	s = sign_image(app->name, app->desc.digest, sg);
	attach(l, KIND_SIGS, &s, 1);
	emit("keyless-sig-later", l, 0, "-", KEYLESS_ARGS,
	     "keyless-sig a year later: another Fulcio leaf, valid around an integratedTime of T0 + 365 days");
	l = saved(app);
	s2[0] = sign_image(app->name, app->desc.digest, keyless(leaf_main));
	s2[1] = s;
	attach(l, KIND_SIGS, s2, 2);
	emit("keyless-sigs-year-apart", l, 0, "-", KEYLESS_ARGS,
	     "two keyless signature layers with integratedTimes a year apart, each leaf valid at its own");
}

/* An unsigned index: the index tagged v1, its platforms' signatures by tag
 * (all, or all but the last). */
static al_fg_layout *
index_platforms_signed(size_t nsigned)
{
	al_fg_layout *l = al_fg_layout_new();

	al_fg_index_put(l, multi);
	al_fg_layout_ref(l, &multi->desc, al_fg_annot(REF_NAME, "v1"), NULL);
	for (size_t i = 0; i < nsigned; i++) {
		const al_fg_image *img = multi->images[i];
		al_fg_sigl s = sign_image(multi->name, img->desc.digest, key_signer(al_fg_tr.cosign));

		attach_tag(l, img->desc.digest, "sig", &s, 1);
	}
	return l;
}

static void
case_twins_multiarch(void)
{
	al_fg_layout *l = al_fg_layout_new();
	al_fg_sigl s = sign_image(multi->name, multi->desc.digest, key_signer(al_fg_tr.rsa));

	al_fg_index_put(l, multi);
	al_fg_layout_ref(l, &multi->desc, al_fg_annot("kind", KIND_INDEX), NULL);
	attach(l, KIND_SIGS, &s, 1);
	emit_n("multiarch-index-wrong-key", l, 1, "NOT VERIFIED: no signature", R_UNCOVERED, KEY_ARGS,
	       "multiarch-index whose index signature is by the RSA key (valid, logged), verified with the cosign "
	       "key; no platform is signed");
	emit("multiarch-platforms-signed", index_platforms_signed(multi->nimages), 0, "-", KEY_ARGS,
	     "an unsigned index (tagged v1) whose every platform manifest is signed (by tag)");
	emit_n("multiarch-platform-unsigned", index_platforms_signed(multi->nimages - 1), 1,
	       "NOT VERIFIED: no signature", R_UNCOVERED, KEY_ARGS,
	       "multiarch-platforms-signed without the arm64 signature: that platform is covered by nothing");
}

#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar.gzip"

/* img with Docker v2 schema 2 media types (manifest, config, layers). */
static const al_fg_image *
docker_v2(const al_fg_image *src)
{
	al_fg_image *img = al_fg_alloc(sizeof(*img));
	cJSON *m = al_fg_jnew(), *arr;

	*img = *src;
	img->config_desc.media_type = MT_DOCKER_CONFIG;
	for (size_t i = 0; i < img->nlayers; i++)
		img->layer_desc[i].media_type = MT_DOCKER_LAYER;
	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", MT_DOCKER_MANIFEST);
	al_fg_jput(m, "config", al_fg_desc_json(&img->config_desc));
	arr = al_fg_jarr(m, "layers");
	for (size_t i = 0; i < img->nlayers; i++)
		al_fg_jpush(arr, al_fg_desc_json(&img->layer_desc[i]));
	img->manifest = al_bytes_str(al_fg_jprint(m));
	img->desc = (al_fg_desc){ MT_DOCKER_MANIFEST, al_fg_digest(img->manifest), img->manifest.n };
	return img;
}

static void
case_twins_docker_v2(void)
{
	const al_fg_image *d = docker_v2(app);
	al_fg_layout *l = saved(d);
	al_fg_sigl s = sign_image(d->name, d->desc.digest, key_signer(al_fg_tr.cosign));

	attach(l, KIND_SIGS, &s, 1);
	emit("key-sig-docker-v2", l, 0, "-", KEY_ARGS,
	     "key-sig of an image whose manifest, config and layers have Docker v2 schema 2 media types");
	al_fg_layout_flip(l, d->layer_desc[1].digest, d->layer_desc[1].size / 2);
	emit_n("tamper-docker-v2-layer", l, 1, hex_of(d->layer_desc[1].digest), R_DIGEST, KEY_ARGS,
	       "key-sig-docker-v2 with one byte of a layer blob changed (name kept)");
}

static void
case_twins(void)
{
	case_twins_trust();
	case_twins_sct();
	case_twins_instance();
	case_twins_tlog();
	case_twins_multiarch();
	case_twins_docker_v2();
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
		al_fg_rmtree(al_fg_sprintf("%s/policies", dir));
		al_fg_mkdirs(al_fg_sprintf("%s/cases", dir));
		al_fg_mkdirs(al_fg_sprintf("%s/archives", dir));
		al_fg_mkdirs(al_fg_sprintf("%s/policies", dir));
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
	case_keyless_no_time();
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
	case_closed_world();
	case_twins();
	case_policies();
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
	add_row("signed-key", "signed", 0, "-", KEY_ARGS,
		"an image signed with the cosign key and keyless (one .sig, two layers)");
	add_row("signed-keyless", "signed", 0, "-", KEYLESS_ARGS, "the same image, verified keyless");
	add_row("signed-archive", "signed.tar.gz", 0, "-", KEY_ARGS, "the same layout as a tar.gz");
	{
		/* the closed world: an unsigned image tagged as if it were the app's .sig */
		al_fg_layout *m = saved(app);

		attach(m, KIND_SIGS, s, 2);
		al_fg_image_put(m, other);
		al_fg_layout_ref(m, &other->desc,
				 al_fg_annot(REF_NAME, al_fg_sprintf("sha256-%s.sig", app->desc.digest + 7)), NULL);
		al_fg_layout_write_dir(m, al_fg_sprintf("%s/smuggled", dir));
		add_row("smuggled", "smuggled", 1, R_UNSIGNED_IMAGE, KEY_ARGS,
			"the signed layout plus an unsigned, runnable image tagged sha256-<app>.sig");
	}
	al_fg_layout_flip(l, app->layer_desc[1].digest, app->layer_desc[1].size / 2);
	al_fg_layout_write_dir(l, al_fg_sprintf("%s/tampered", dir));
	add_row("tampered", "tampered", 1, R_DIGEST, KEY_ARGS, "the signed image with one byte of a layer changed");
	write_tables(dir, "demo.tsv");
}
/* ================================================================ policies (docs/policy.md) */

/* A policy file in OUTDIR/policies (keys named relative to it, as a policy
 * carried with its keys names them); returns the arguments that use it. */
static const char *
policy(const char *name, const char *json)
{
	al_fg_write(al_fg_sprintf("%s/policies/%s.json", outdir, name), al_bytes_str(json));
	return al_fg_sprintf("--policy\tpolicies/%s.json\t" TR, name);
}

#define P_COSIGN "{\"name\":\"cosign\",\"key\":{\"path\":\"../trust/cosign.pub\"}}"
#define P_RSA "{\"name\":\"rsa\",\"key\":{\"path\":\"../trust/rsa.pub\"}}"
#define P_THIRD "{\"name\":\"third\",\"key\":{\"path\":\"../trust/third.pub\"}}"
#define P_FORGE_GLOB "\"images\":[\"" AL_FG_REGISTRY "/*\"]"
#define P_K_OF_3 "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "," P_RSA "," P_THIRD "],\"threshold\":%d}}"
#define P_SLSA                                                                                             \
	"{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"attestations\":[{\"predicateType\":"     \
	"\"https://slsa.dev/provenance/v1\",\"slsa\":{%s}}]}}"

/* Every policy feature with a passing case and its failing twin: each twin
 * changes one thing of the policy (or the name) its passing case uses. */
static void
case_policies(void)
{
	al_fg_layout *l = saved(app);
	al_fg_sigl s[3];

	s[0] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.cosign));
	s[1] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.rsa));
	s[2] = sign_image(app->name, app->desc.digest, key_signer(al_fg_tr.third));
	attach(l, KIND_SIGS, s, 3);
	emit("three-sigs", l, 0, "-", KEY_ARGS, "three signature layers in one .sig: cosign, RSA and third keys");

	/* k of n, each authority met by a signature of its own */
	for (int k = 1; k <= 3; k++)
		add_row(al_fg_sprintf("policy-k%d-of-3", k), "cases/three-sigs", 0, "-",
			policy(al_fg_sprintf("k%d", k), al_fg_sprintf(P_K_OF_3, k)),
			al_fg_sprintf("three-sigs under a policy that requires %d of the 3 signers", k));
	add_row("tamper-policy-k3-two-signers", "cases/two-sigs", 1, "authority third not met: no signature of it verified",
		policy("k3", al_fg_sprintf(P_K_OF_3, 3)), "two-sigs under 3 of 3: the third signer is missing");
	add_row("policy-k2-two-signers", "cases/two-sigs", 0, "-", policy("k2", al_fg_sprintf(P_K_OF_3, 2)),
		"two-sigs under 2 of 3");
	add_row("tamper-policy-one-signature-twice", "cases/key-sig", 1,
		"authority again not met: its only signatures already meet another authority",
		policy("twice", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN ",{\"name\":\"again\","
				"\"key\":{\"path\":\"../trust/cosign.pub\"}}],\"threshold\":2}}"),
		"key-sig under two authorities with the same key, 2 of 2: one signature cannot count twice");

	/* modes, actions and scopes */
	add_row("policy-warn", "cases/key-sig", 0, "-",
		policy("warn", "{\"version\":1,\"default\":{\"mode\":\"warn\",\"authorities\":[" P_RSA "]}}"),
		"key-sig under a rule that wants the RSA key, in warn mode: reported as WARN, exit 0");
	add_row("tamper-policy-enforce", "cases/key-sig", 1, "result: NOT VERIFIED (no signature or attestation verified)",
		policy("enforce", "{\"version\":1,\"default\":{\"authorities\":[" P_RSA "]}}"),
		"policy-warn in enforce mode");
	{
		const char *scoped = policy("scoped", "{\"version\":1,\"rules\":[{\"name\":\"forge\"," P_FORGE_GLOB
						      ",\"authorities\":[" P_COSIGN "]}],\"default\":{\"action\":\"reject\"}}");
		const char *noscope = policy("no-default", "{\"version\":1,\"rules\":[{\"name\":\"forge\"," P_FORGE_GLOB
							   ",\"authorities\":[" P_COSIGN "]}]}");

		add_row("policy-scope-reference", "cases/key-sig", 0, "-",
			al_fg_sprintf("%s\t--reference\t" AL_FG_REGISTRY "/app:1.0", scoped),
			"key-sig named by --reference under the rule whose glob matches it; every other image rejected");
		add_row("tamper-policy-scope-reference", "cases/key-sig", 1, "rejected by policy rule default",
			al_fg_sprintf("%s\t--reference\tregistry.airlock.test/other/app:1.0", scoped),
			"policy-scope-reference under another name: the default rejects it");
		add_row("tamper-policy-unnamed", "cases/key-sig", 1, "rejected by policy rule default", scoped,
			"key-sig without a name (its tag is not a full reference): only the default applies");
		add_row("tamper-policy-no-rule", "cases/key-sig", 1, "no rule of the policy applies to",
			al_fg_sprintf("%s\t--reference\tregistry.airlock.test/other/app:1.0", noscope),
			"a name no rule matches, and no default rule");
		/* the name the bundle itself gives: a full reference as index.json's ref.name */
		{
			al_fg_layout *n = al_fg_layout_new();

			al_fg_image_put(n, app);
			al_fg_layout_ref(n, &app->desc, al_fg_annot(REF_NAME, AL_FG_REGISTRY "/app:1.0"), NULL);
			attach_tag(n, app->desc.digest, "sig", &s[0], 1);
			emit("named-sig", n, 0, "-", KEY_ARGS,
			     "key-sig whose index.json names the image by a full reference (" AL_FG_REGISTRY "/app:1.0)");
			add_row("policy-scope-bundle-name", "cases/named-sig", 0, "-", scoped,
				"named-sig under the rule its own name matches");
			add_row("tamper-policy-scope-bundle-name", "cases/named-sig", 1, "rejected by policy rule default",
				policy("scoped-other", "{\"version\":1,\"rules\":[{\"name\":\"other\",\"images\":["
						       "\"registry.airlock.test/other/*\"],\"authorities\":[" P_COSIGN
						       "]}],\"default\":{\"action\":\"reject\"}}"),
				"named-sig under a policy whose only rule is for another registry path");
		}
	}
	add_row("policy-accept", "cases/unsigned", 0, "-",
		policy("accept", "{\"version\":1,\"default\":{\"action\":\"accept\",\"relax\":[\"insecure-accept-anything\"]}}"),
		"an unsigned image under a default that accepts anything, said as a relaxation");
	add_row("tamper-policy-accept-unsaid", "cases/unsigned", 2, "admits unsigned images",
		policy("accept-unsaid", "{\"version\":1,\"default\":{\"action\":\"accept\"}}"),
		"policy-accept without the relaxation named: the policy is refused");
	add_row("tamper-policy-unknown-key", "cases/key-sig", 2, "rules[0].authorities[0].key.pth: unknown key",
		policy("typo", "{\"version\":1,\"rules\":[{" P_FORGE_GLOB ",\"authorities\":[{\"key\":{\"pth\":"
			       "\"../trust/cosign.pub\"}}]}]}"),
		"a policy with a misspelt key: refused with its JSON path (exit 2)");

	/* evidence per signature */
	add_row("policy-timestamps", "cases/referrer", 0, "-",
		policy("tsa1", "{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\"" AL_FG_IDENTITY
			       "\",\"issuer\":\"" AL_FG_ISSUER "\"}}],\"timestamps\":{\"minCount\":1}}}"),
		"referrer (a log entry and an RFC 3161 timestamp) under a rule that requires a timestamp");
	add_row("tamper-policy-timestamps", "cases/referrer", 1, "1 verified RFC 3161 timestamp; rule default requires 2",
		policy("tsa2", "{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\"" AL_FG_IDENTITY
			       "\",\"issuer\":\"" AL_FG_ISSUER "\"}}],\"timestamps\":{\"minCount\":2}}}"),
		"policy-timestamps requiring two");
	add_row("tamper-policy-tlog-count", "cases/key-sig", 1, "1 verified transparency-log entry; rule default requires 2",
		policy("tlog2", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"transparency\":{"
				"\"minEntries\":2}}}"),
		"key-sig (one SET) under a rule that requires two log entries");
	add_row("policy-tlog-logs", "cases/key-sig", 0, "-",
		policy("logs-forge", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"transparency\":{"
				     "\"logs\":[\"rekor.airlock.test\"]}}}"),
		"key-sig under a rule that counts only entries of the forge's log, which it has");
	add_row("tamper-policy-tlog-logs", "cases/key-sig", 1,
		"0 verified transparency-log entries of the logs it names; rule default requires 1",
		policy("logs-other", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"transparency\":{"
				     "\"logs\":[\"rekor.sigstore.dev\"]}}}"),
		"key-sig under a rule that counts only entries of another log of the trusted root");
	add_row("policy-max-age", "cases/key-sig", 0, "-",
		policy("age-long", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"maxAge\":\"3650d\"}}"),
		"key-sig, signed in 2026, under a ten-year maximum age");
	add_row("tamper-policy-max-age", "cases/key-sig", 1, "rule default allows 1 days",
		policy("age-short", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"maxAge\":\"1d\"}}"),
		"key-sig under a one-day maximum age (the clock is long after its signed time)");
	add_row("tamper-policy-rekor-key", "cases/key-sig", 1, "which the trusted root does not list",
		policy("rekor-other", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"transparency\":{"
				      "\"rekorKeys\":[{\"path\":\"../trust/rekor-other.pub\"}]}}}"),
		"key-sig whose SET is from the forge's log, under a rule that trusts only another Rekor key");
	add_row("policy-rekor-key", "cases/key-sig", 0, "-",
		policy("rekor-own", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"transparency\":{"
				    "\"rekorKeys\":[{\"path\":\"../trust/rekor.pub\"}]}}}"),
		"key-sig under a rule that names the forge's Rekor key itself");

	/* certificate extensions */
	add_row("policy-extension", "cases/keyless-sig", 0, "-",
		policy("ext", "{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\"" AL_FG_IDENTITY
			      "\",\"issuer\":\"" AL_FG_ISSUER "\",\"extensions\":{\"issuer\":\"" AL_FG_ISSUER "\"}}}]}}"),
		"keyless-sig under a rule that also requires Fulcio's issuer extension (1.3.6.1.4.1.57264.1.8)");
	add_row("tamper-policy-extension", "cases/keyless-sig", 1,
		"certificate has no extension githubWorkflowRepository (1.3.6.1.4.1.57264.1.5)",
		policy("ext-missing", "{\"version\":1,\"default\":{\"authorities\":[{\"keyless\":{\"identity\":\""
				      AL_FG_IDENTITY "\",\"issuer\":\"" AL_FG_ISSUER "\",\"extensions\":{"
				      "\"githubWorkflowRepository\":\"airlock-test/app\"}}}]}}"),
		"keyless-sig under a rule that requires an extension its certificate lacks");

	/* attestations: SLSA provenance v1 (sig-att-sbom's .att) */
	add_row("policy-slsa", "cases/sig-att-sbom", 0, "-",
		policy("slsa", al_fg_sprintf(P_SLSA, "\"sourceUri\":\"github.com/airlock-test/app\",\"sourceBranch\":\"main\","
						   "\"builderId\":\"https://github.com/slsa-framework/slsa-github-generator/"
						   ".github/workflows/generator_container_slsa3.yml\",\"buildType\":"
						   "\"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1\"")),
		"sig-att-sbom under a rule that requires its SLSA provenance from the source, branch and builder");
	add_row("tamper-policy-slsa-source", "cases/sig-att-sbom", 1,
		"SLSA provenance source repository is \"github.com/airlock-test/app\", the policy requires github.com/airlock-test/other",
		policy("slsa-source", al_fg_sprintf(P_SLSA, "\"sourceUri\":\"github.com/airlock-test/other\"")),
		"policy-slsa with another source repository");
	add_row("tamper-policy-slsa-tag", "cases/sig-att-sbom", 1,
		"SLSA provenance source ref is \"refs/heads/main\", the policy requires refs/tags/v1",
		policy("slsa-tag", al_fg_sprintf(P_SLSA, "\"sourceUri\":\"github.com/airlock-test/app\",\"sourceTag\":\"v1\"")),
		"policy-slsa requiring a tag the provenance was not built from");
	add_row("tamper-policy-slsa-builder", "cases/sig-att-sbom", 1, "SLSA provenance builder id is",
		policy("slsa-builder", al_fg_sprintf(P_SLSA, "\"builderId\":\"https://github.com/evil/builder/.github/"
							    "workflows/b.yml\"")),
		"policy-slsa with another builder");
	/* cosign's relaxation and requirement flags */
	add_row("policy-ignore-sct", "cases/tamper-sct-missing", 0, "-", KEYLESS_ARGS "\t--insecure-ignore-sct",
		"tamper-sct-missing under --insecure-ignore-sct: accepted, and said as RELAXED");
	add_row("policy-signed-timestamps", "cases/keyless-sig-tsa", 0, "-", KEYLESS_ARGS "\t--use-signed-timestamps",
		"keyless-sig-tsa under --use-signed-timestamps: it has its RFC 3161 timestamp");
	add_row("tamper-policy-signed-timestamps", "cases/keyless-sig", 1,
		"0 verified RFC 3161 timestamps; rule command line requires 1", KEYLESS_ARGS "\t--use-signed-timestamps",
		"keyless-sig (a SET, no timestamp) under --use-signed-timestamps");
	add_row("tamper-policy-attestation-type", "cases/sig-att-sbom", 1,
		"attestation https://spdx.dev/Document not met: no verified attestation of this type",
		policy("att-spdx", "{\"version\":1,\"default\":{\"authorities\":[" P_COSIGN "],\"attestations\":[{"
				   "\"predicateType\":\"https://spdx.dev/Document\"}]}}"),
		"sig-att-sbom under a rule that requires a signed SPDX attestation (its SBOM is unsigned)");
}

