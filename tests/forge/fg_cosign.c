/*
 * fg_cosign.c — what cosign attaches to an image: simple-signing
 * signatures and DSSE attestations as `.sig`/`.att` manifest layers with
 * cosign's annotations (certificate, chain, Rekor SET bundle, RFC 3161
 * timestamp), and Sigstore v0.3 bundles as OCI 1.1 referrers.
 *
 * Shapes follow real `cosign save` output (slsa-verifier testdata,
 * containers/image fixtures) and a sigstore-js bundle attached with
 * `sigstore attach` (shared/generated/oci-referrer).
 */
#include <string.h>

#include "forge.h"

#define INTOTO_TYPE "application/vnd.in-toto+json"
#define SLSA_V1 "https://slsa.dev/provenance/v1"

static uint64_t tsa_serial = 4000;

static const al_fg_key *
signer_key(const al_fg_signer *s)
{
	return s->cert ? s->cert->key : s->key;
}

static int64_t
itime(const al_fg_signer *s)
{
	return s->itime ? s->itime : AL_FG_T0 + 3;
}

/* What Rekor v1 logs as the verifier: the PEM certificate or public key. */
static const char *
verifier_pem(const al_fg_signer *s)
{
	return s->cert ? s->cert->pem : s->key->pub_pem;
}

static cJSON *
hash_json(const char *alg, al_bytes data)
{
	cJSON *h = al_fg_jnew();
	uint8_t d[32];

	al_fg_sha256(data, d);
	al_fg_jstr(h, "algorithm", alg);
	al_fg_jstr(h, "value", al_fg_hex(d, 32));
	return h;
}

static const char *
timestamp_annotation(al_bytes msg, const al_fg_signer *s)
{
	cJSON *j = al_fg_jnew();
	al_bytes ts = al_fg_tsa_stamp(msg, itime(s) - 1, tsa_serial++);

	al_fg_jstr(j, "SignedRFC3161Timestamp", al_fg_b64(ts));
	return al_fg_jprint(j);
}

/* ================================================================ signatures */

al_bytes
al_fg_simple_signing(const char *ref, const char *digest)
{
	cJSON *j = al_fg_jnew(), *c, *o;

	c = al_fg_jobj(j, "critical");
	o = al_fg_jobj(c, "identity");
	al_fg_jstr(o, "docker-reference", ref);
	o = al_fg_jobj(c, "image");
	al_fg_jstr(o, "docker-manifest-digest", digest);
	al_fg_jstr(c, "type", "cosign container image signature");
	al_fg_jnull(j, "optional");
	return al_bytes_str(al_fg_jprint(j));
}

al_fg_sigl
al_fg_sign_payload(al_bytes payload, const al_fg_signer *s)
{
	const al_fg_key *k = signer_key(s);
	al_fg_sigl l = { 0 };
	al_bytes sig = al_fg_sign(k, al_fg_key_md(k), payload);

	l.media_type = AL_FG_MT_SIMPLESIGNING;
	l.blob = al_fg_dup(payload);
	l.sig_b64 = al_fg_b64(sig);
	if (s->cert != NULL) {
		l.cert_pem = s->cert->pem;
		l.chain_pem = s->chain_pem;
	}
	if (!s->no_tlog) {
		cJSON *b = al_fg_jnew(), *spec, *d, *sg, *pk;

		/* hashedrekord/0.0.1, keys in RFC 8785 order as Rekor stores it */
		al_fg_jstr(b, "apiVersion", "0.0.1");
		al_fg_jstr(b, "kind", "hashedrekord");
		spec = al_fg_jobj(b, "spec");
		d = al_fg_jobj(spec, "data");
		al_fg_jput(d, "hash", hash_json("sha256", payload));
		sg = al_fg_jobj(spec, "signature");
		al_fg_jstr(sg, "content", l.sig_b64);
		pk = al_fg_jobj(sg, "publicKey");
		al_fg_jstr(pk, "content", al_fg_b64(al_bytes_str(verifier_pem(s))));
		l.entry = al_fg_log_add_in(s->log, al_bytes_str(al_fg_jprint(b)), itime(s));
		l.bundle_json = al_fg_set_annotation(&l.entry);
	}
	if (s->tsa)
		l.ts_json = timestamp_annotation(sig, s); /* cosign stamps the raw signature */
	return l;
}

/* ================================================================ attestations */

al_bytes
al_fg_statement(const char *name, const char *digest)
{
	cJSON *j = al_fg_jnew(), *arr, *subj, *d, *pred, *bd, *ep, *wf, *ip, *deps, *dep, *rd, *b, *md;

	if (strncmp(digest, "sha256:", 7) != 0)
		al_fg_die("statement subject must be sha256");
	al_fg_jstr(j, "_type", "https://in-toto.io/Statement/v1");
	arr = al_fg_jarr(j, "subject");
	subj = al_fg_jnew();
	al_fg_jstr(subj, "name", name);
	d = al_fg_jobj(subj, "digest");
	al_fg_jstr(d, "sha256", digest + 7);
	al_fg_jpush(arr, subj);
	al_fg_jstr(j, "predicateType", SLSA_V1);
	pred = al_fg_jobj(j, "predicate");
	bd = al_fg_jobj(pred, "buildDefinition");
	al_fg_jstr(bd, "buildType", "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1");
	ep = al_fg_jobj(bd, "externalParameters");
	wf = al_fg_jobj(ep, "workflow");
	al_fg_jstr(wf, "ref", "refs/heads/main");
	al_fg_jstr(wf, "repository", "https://github.com/airlock-test/app");
	al_fg_jstr(wf, "path", ".github/workflows/release.yml");
	ip = al_fg_jobj(bd, "internalParameters");
	al_fg_jstr(ip, "github_event_name", "push");
	deps = al_fg_jarr(bd, "resolvedDependencies");
	dep = al_fg_jnew();
	al_fg_jstr(dep, "uri", "git+https://github.com/airlock-test/app@refs/heads/main");
	d = al_fg_jobj(dep, "digest");
	al_fg_jstr(d, "gitCommit", "4f1c2a9e0b7d3c5e6f8a1b2c3d4e5f60718293a4");
	al_fg_jpush(deps, dep);
	rd = al_fg_jobj(pred, "runDetails");
	b = al_fg_jobj(rd, "builder");
	al_fg_jstr(b, "id", "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
			    "generator_container_slsa3.yml@refs/tags/v2.0.0");
	md = al_fg_jobj(rd, "metadata");
	al_fg_jstr(md, "invocationId", "https://github.com/airlock-test/app/actions/runs/1234567890/attempts/1");
	al_fg_jstr(md, "startedOn", al_fg_time_rfc3339(AL_FG_T0 - 240));
	al_fg_jstr(md, "finishedOn", al_fg_time_rfc3339(AL_FG_T0 - 60));
	return al_bytes_str(al_fg_jprint(j));
}

static al_bytes
pae(const char *type, al_bytes payload)
{
	al_fg_buf b = { 0 };

	al_fg_printf(&b, "DSSEv1 %zu %s %zu ", strlen(type), type, payload.n);
	al_fg_put(&b, payload.p, payload.n);
	return al_fg_bytes(&b);
}

al_fg_sigl
al_fg_sign_attestation(al_bytes statement, const al_fg_signer *s, al_fg_att_body body)
{
	const al_fg_key *k = signer_key(s);
	al_fg_sigl l = { 0 };
	al_bytes sig = al_fg_sign(k, al_fg_key_md(k), pae(INTOTO_TYPE, statement));
	const char *sig_b64 = al_fg_b64(sig), *payload_b64 = al_fg_b64(statement);
	cJSON *env = al_fg_jnew(), *arr, *e;

	/* the envelope as cosign writes the layer */
	al_fg_jstr(env, "payloadType", INTOTO_TYPE);
	al_fg_jstr(env, "payload", payload_b64);
	arr = al_fg_jarr(env, "signatures");
	e = al_fg_jnew();
	al_fg_jstr(e, "keyid", "");
	al_fg_jstr(e, "sig", sig_b64);
	al_fg_jpush(arr, e);

	l.media_type = AL_FG_MT_DSSE;
	l.blob = al_bytes_str(al_fg_jprint(env));
	l.sig_b64 = "";
	l.predicate_type = SLSA_V1;
	if (s->cert != NULL) {
		l.cert_pem = s->cert->pem;
		l.chain_pem = s->chain_pem;
	}
	if (!s->no_tlog) {
		cJSON *b = al_fg_jnew(), *spec, *sigs, *sg;

		/* what the body says the payload hashes to (tampered: other bytes) */
		al_bytes logged = s->bad_payload_hash ? al_bytes_str("not the attested statement") : statement;

		if (body == AL_FG_BODY_INTOTO1) {
			cJSON *content;

			/* intoto/0.0.1 as Rekor canonicalizes it: the envelope itself is
			 * dropped, its hash and the decoded payload's hash stay */
			al_fg_jstr(b, "apiVersion", "0.0.1");
			al_fg_jstr(b, "kind", "intoto");
			spec = al_fg_jobj(b, "spec");
			content = al_fg_jobj(spec, "content");
			al_fg_jput(content, "hash", hash_json("sha256", l.blob));
			al_fg_jput(content, "payloadHash", hash_json("sha256", logged));
			al_fg_jstr(spec, "publicKey", al_fg_b64(al_bytes_str(verifier_pem(s))));
		} else if (body == AL_FG_BODY_DSSE) {
			al_fg_jstr(b, "apiVersion", "0.0.1");
			al_fg_jstr(b, "kind", "dsse");
			spec = al_fg_jobj(b, "spec");
			al_fg_jput(spec, "envelopeHash", hash_json("sha256", l.blob));
			al_fg_jput(spec, "payloadHash", hash_json("sha256", logged));
			sigs = al_fg_jarr(spec, "signatures");
			sg = al_fg_jnew();
			al_fg_jstr(sg, "signature", sig_b64);
			al_fg_jstr(sg, "verifier", al_fg_b64(al_bytes_str(verifier_pem(s))));
			al_fg_jpush(sigs, sg);
		} else {
			cJSON *content, *envj;

			/* intoto/0.0.2 keeps the envelope's base64 fields base64 again */
			al_fg_jstr(b, "apiVersion", "0.0.2");
			al_fg_jstr(b, "kind", "intoto");
			spec = al_fg_jobj(b, "spec");
			content = al_fg_jobj(spec, "content");
			envj = al_fg_jobj(content, "envelope");
			al_fg_jstr(envj, "payload", al_fg_b64(al_bytes_str(payload_b64)));
			al_fg_jstr(envj, "payloadType", INTOTO_TYPE);
			sigs = al_fg_jarr(envj, "signatures");
			sg = al_fg_jnew();
			al_fg_jstr(sg, "publicKey", al_fg_b64(al_bytes_str(verifier_pem(s))));
			al_fg_jstr(sg, "sig", al_fg_b64(al_bytes_str(sig_b64)));
			al_fg_jpush(sigs, sg);
			al_fg_jput(content, "hash", hash_json("sha256", l.blob));
			al_fg_jput(content, "payloadHash", hash_json("sha256", logged));
		}
		l.entry = al_fg_log_add_in(s->log, al_bytes_str(al_fg_jprint(b)), itime(s));
		l.bundle_json = al_fg_set_annotation(&l.entry);
	}
	/* cosign stamps an attestation's payload: the envelope layer */
	if (s->tsa)
		l.ts_json = timestamp_annotation(l.blob, s);
	return l;
}

/* ================================================================ .sig / .att manifests */

al_fg_desc
al_fg_sig_manifest(al_fg_layout *l, const al_fg_sigl *layers, size_t n)
{
	cJSON *cfg = al_fg_jnew(), *hist, *rootfs, *diff, *m, *arr;
	al_fg_desc *ld = al_fg_alloc(n * sizeof(*ld) + 1), cd;
	const char *zero = "0001-01-01T00:00:00Z";

	for (size_t i = 0; i < n; i++)
		ld[i] = al_fg_layout_blob(l, layers[i].media_type, layers[i].blob);

	/* the config go-containerregistry's empty image gets */
	al_fg_jstr(cfg, "architecture", "");
	al_fg_jstr(cfg, "created", zero);
	hist = al_fg_jarr(cfg, "history");
	for (size_t i = 0; i < n; i++) {
		cJSON *h = al_fg_jnew();

		al_fg_jstr(h, "created", zero);
		al_fg_jpush(hist, h);
	}
	al_fg_jstr(cfg, "os", "");
	rootfs = al_fg_jobj(cfg, "rootfs");
	al_fg_jstr(rootfs, "type", "layers");
	diff = al_fg_jarr(rootfs, "diff_ids");
	for (size_t i = 0; i < n; i++)
		al_fg_jpush_str(diff, ld[i].digest);
	al_fg_jobj(cfg, "config");
	cd = al_fg_layout_blob(l, AL_FG_MT_CONFIG, al_bytes_str(al_fg_jprint(cfg)));

	m = al_fg_jnew();
	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jput(m, "config", al_fg_desc_json_ggcr(&cd));
	arr = al_fg_jarr(m, "layers");
	for (size_t i = 0; i < n; i++) {
		cJSON *d = al_fg_desc_json_ggcr(&ld[i]), *a = al_fg_jobj(d, "annotations");

		/* Go marshals the annotation map with sorted keys */
		al_fg_jstr(a, "dev.cosignproject.cosign/signature", layers[i].sig_b64);
		if (layers[i].bundle_json != NULL)
			al_fg_jstr(a, "dev.sigstore.cosign/bundle", layers[i].bundle_json);
		if (layers[i].cert_pem != NULL)
			al_fg_jstr(a, "dev.sigstore.cosign/certificate", layers[i].cert_pem);
		if (layers[i].chain_pem != NULL)
			al_fg_jstr(a, "dev.sigstore.cosign/chain", layers[i].chain_pem);
		if (layers[i].ts_json != NULL)
			al_fg_jstr(a, "dev.sigstore.cosign/rfc3161timestamp", layers[i].ts_json);
		if (layers[i].predicate_type != NULL)
			al_fg_jstr(a, "predicateType", layers[i].predicate_type);
		al_fg_jpush(arr, d);
	}
	return al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
}

/* ================================================================ Sigstore bundles as referrers */

static const char *
i64s(int64_t v)
{
	return al_fg_sprintf("%lld", (long long)v);
}

/* The bundle's content: a DSSE envelope over statement, or (with
 * o->message_digest) a messageSignature over that digest; *body is the Rekor
 * entry body that logs it. */
static cJSON *
bundle_content(al_bytes statement, const al_fg_signer *s, const al_fg_bundle_opts *o, al_bytes *sig_out,
	       al_bytes *body_out, bool *dsse)
{
	const al_fg_key *k = signer_key(s);
	bool ms = o != NULL && o->message_digest != NULL;
	uint8_t dg[32];
	al_bytes sig;
	const char *sig_b64;
	cJSON *content, *b, *spec, *x;

	if (ms) {
		al_err e;

		if (strncmp(o->message_digest, "sha256:", 7) != 0 || k->type == AL_FG_P384 ||
		    al_hex_decode(al_bytes_str(o->message_digest + 7), dg, 32, &e) != AL_OK)
			al_fg_die("a messageSignature is made over a sha256 digest with a SHA-256 key");
		sig = al_fg_sign_digest(k, MBEDTLS_MD_SHA256, al_bytes_of(dg, 32));
	} else {
		sig = al_fg_sign(k, al_fg_key_md(k), pae(INTOTO_TYPE, statement));
	}
	if (o != NULL && o->corrupt_signature) {
		uint8_t *p = al_fg_alloc(sig.n);

		memcpy(p, sig.p, sig.n);
		p[sig.n / 2] ^= 0x04;
		sig = al_bytes_of(p, sig.n);
	}
	sig_b64 = al_fg_b64(sig);
	content = al_fg_jnew();
	b = al_fg_jnew();
	al_fg_jstr(b, "apiVersion", "0.0.1");
	if (ms) {
		cJSON *md = al_fg_jobj(content, "messageDigest");

		al_fg_jstr(md, "algorithm", "SHA2_256");
		al_fg_jstr(md, "digest", al_fg_b64(al_bytes_of(dg, 32)));
		al_fg_jstr(content, "signature", sig_b64);
		/* hashedrekord/0.0.1, keys in RFC 8785 order as Rekor stores it */
		al_fg_jstr(b, "kind", "hashedrekord");
		spec = al_fg_jobj(b, "spec");
		x = al_fg_jobj(spec, "data");
		x = al_fg_jobj(x, "hash");
		al_fg_jstr(x, "algorithm", "sha256");
		al_fg_jstr(x, "value", al_fg_hex(dg, 32));
		x = al_fg_jobj(spec, "signature");
		al_fg_jstr(x, "content", sig_b64);
		x = al_fg_jobj(x, "publicKey");
		al_fg_jstr(x, "content", al_fg_b64(al_bytes_str(s->cert->pem)));
	} else {
		cJSON *arr, *e = al_fg_jnew(), *sigs, *sg;

		al_fg_jstr(content, "payload", al_fg_b64(statement));
		al_fg_jstr(content, "payloadType", INTOTO_TYPE);
		arr = al_fg_jarr(content, "signatures");
		al_fg_jstr(e, "sig", sig_b64);
		al_fg_jpush(arr, e);
		al_fg_jstr(b, "kind", "dsse");
		spec = al_fg_jobj(b, "spec");
		al_fg_jput(spec, "envelopeHash", hash_json("sha256", al_bytes_str(al_fg_jtext(content))));
		al_fg_jput(spec, "payloadHash", hash_json("sha256", statement));
		sigs = al_fg_jarr(spec, "signatures");
		sg = al_fg_jnew();
		al_fg_jstr(sg, "signature", sig_b64);
		al_fg_jstr(sg, "verifier", al_fg_b64(al_bytes_str(s->cert->pem)));
		al_fg_jpush(sigs, sg);
	}
	*sig_out = sig;
	*body_out = al_bytes_str(al_fg_jprint(b));
	*dsse = !ms;
	return content;
}

al_bytes
al_fg_bundle_v03(al_bytes statement, const al_fg_signer *s, const al_fg_bundle_opts *o)
{
	cJSON *content, *root, *vm, *c, *tl, *t, *x, *proof, *hashes, *tvd, *rts;
	al_bytes sig, body;
	al_fg_entry entry;
	size_t size, nh;
	uint8_t (*h)[32] = al_fg_alloc(64 * 32), rh[32];
	const char *cp;
	bool dsse;

	if (s->cert == NULL)
		al_fg_die("bundles are made for certificates only");
	content = bundle_content(statement, s, o, &sig, &body, &dsse);
	if (o != NULL && o->other_entry) {
		al_bytes osig, obody;
		bool od;

		/* a genuine entry, by the same signer, of another statement */
		(void)bundle_content(al_fg_statement("example.test/other", "sha256:"
						     "0000000000000000000000000000000000000000000000000000000000000001"),
				     s, NULL, &osig, &obody, &od);
		body = obody;
	}
	entry = al_fg_log_add(body, itime(s));

	size = al_fg_log_size();
	nh = al_fg_log_proof(entry.tree_index, size, h, 64);
	al_fg_log_root(size, rh);
	if (o != NULL && o->corrupt_proof) {
		if (nh == 0)
			al_fg_die("no proof hash to corrupt");
		h[nh / 2][7] ^= 0x10;
	}
	if (o != NULL && o->corrupt_checkpoint) {
		uint8_t prev[32];

		/* signed by the log, right size, but the previous tree's root */
		al_fg_log_root(size - 1, prev);
		cp = al_fg_log_note(size, prev, itime(s));
	} else if (o != NULL && (o->corrupt_checkpoint_sig || o->checkpoint_wrong_hint)) {
		cp = al_fg_log_note_ex(size, rh, itime(s),
				       o->corrupt_checkpoint_sig ? AL_FG_NOTE_BAD_SIG : AL_FG_NOTE_BAD_HINT);
	} else {
		cp = al_fg_log_checkpoint(size, itime(s));
	}

	root = al_fg_jnew();
	al_fg_jstr(root, "mediaType", o != NULL && o->chain ? "application/vnd.dev.sigstore.bundle.v0.2+json"
							    : AL_FG_MT_BUNDLE_V03);
	vm = al_fg_jobj(root, "verificationMaterial");
	if (o != NULL && o->chain) {
		const al_fg_cert *chain[] = { s->cert, al_fg_tr.ca_inter, al_fg_tr.ca_root };
		cJSON *certs = al_fg_jarr(al_fg_jobj(vm, "x509CertificateChain"), "certificates");

		for (int i = 0; i < 1 + o->chain; i++) {
			c = al_fg_jnew();
			al_fg_jstr(c, "rawBytes", al_fg_b64(chain[i]->der));
			al_fg_jpush(certs, c);
		}
	} else {
		c = al_fg_jobj(vm, "certificate");
		al_fg_jstr(c, "rawBytes", al_fg_b64(s->cert->der));
	}
	tl = al_fg_jarr(vm, "tlogEntries");
	if (o != NULL && o->no_tlog)
		goto timestamps;
	t = al_fg_jnew();
	al_fg_jstr(t, "logIndex", i64s(entry.log_index));
	x = al_fg_jobj(t, "logId");
	al_fg_jstr(x, "keyId", al_fg_b64(al_bytes_of(o != NULL && o->unknown_log ? al_fg_tr.rekor_other->spki_sha256
										: al_fg_tr.rekor->spki_sha256,
						    32)));
	x = al_fg_jobj(t, "kindVersion");
	al_fg_jstr(x, "kind", dsse ? "dsse" : "hashedrekord");
	al_fg_jstr(x, "version", "0.0.1");
	al_fg_jstr(t, "integratedTime", i64s(entry.integrated_time));
	if (o == NULL || !o->no_set) {
		x = al_fg_jobj(t, "inclusionPromise");
		al_fg_jstr(x, "signedEntryTimestamp", al_fg_b64(entry.set));
	}
	proof = al_fg_jobj(t, "inclusionProof");
	al_fg_jstr(proof, "logIndex", i64s((int64_t)entry.tree_index));
	al_fg_jstr(proof, "rootHash", al_fg_b64(al_bytes_of(rh, 32)));
	al_fg_jstr(proof, "treeSize", i64s((int64_t)size));
	hashes = al_fg_jarr(proof, "hashes");
	for (size_t i = 0; i < nh; i++)
		al_fg_jpush_str(hashes, al_fg_b64(al_bytes_of(h[i], 32)));
	x = al_fg_jobj(proof, "checkpoint");
	al_fg_jstr(x, "envelope", cp);
	al_fg_jstr(t, "canonicalizedBody", al_fg_b64(entry.body));
	al_fg_jpush(tl, t);
timestamps:
	tvd = al_fg_jobj(vm, "timestampVerificationData");
	rts = al_fg_jarr(tvd, "rfc3161Timestamps");
	if (o == NULL || !o->no_tsa) {
		x = al_fg_jnew();
		/* a bundle's timestamp covers the signature bytes */
		al_fg_jstr(x, "signedTimestamp", al_fg_b64(al_fg_tsa_stamp(sig, itime(s) - 1, tsa_serial++)));
		al_fg_jpush(rts, x);
	}
	al_fg_jput(root, dsse ? "dsseEnvelope" : "messageSignature", content);
	return al_bytes_str(al_fg_jprint(root));
}

al_fg_desc
al_fg_referrer(al_fg_layout *l, al_bytes bundle, const al_fg_desc *subject)
{
	al_fg_desc cfg = al_fg_layout_blob(l, AL_FG_MT_EMPTY, al_bytes_str("{}"));
	al_fg_desc bd = al_fg_layout_blob(l, AL_FG_MT_BUNDLE_V03, bundle);
	cJSON *m = al_fg_jnew(), *arr, *a;

	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jstr(m, "artifactType", AL_FG_MT_BUNDLE_V03);
	al_fg_jput(m, "config", al_fg_desc_json(&cfg));
	arr = al_fg_jarr(m, "layers");
	al_fg_jpush(arr, al_fg_desc_json(&bd));
	al_fg_jput(m, "subject", al_fg_desc_json(subject));
	a = al_fg_jobj(m, "annotations");
	al_fg_jstr(a, "org.opencontainers.image.created", al_fg_time_rfc3339(AL_FG_T0 + 4));
	return al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
}

void
al_fg_referrers_index(al_fg_layout *l, const al_fg_desc *refs, size_t n, const al_fg_desc *subject)
{
	cJSON *ix = al_fg_jnew(), *arr;
	al_fg_desc d;

	al_fg_jint(ix, "schemaVersion", 2);
	al_fg_jstr(ix, "mediaType", AL_FG_MT_INDEX);
	arr = al_fg_jarr(ix, "manifests");
	for (size_t i = 0; i < n; i++) {
		cJSON *e = al_fg_desc_json(&refs[i]), *a;

		al_fg_jstr(e, "artifactType", AL_FG_MT_BUNDLE_V03);
		a = al_fg_jobj(e, "annotations");
		al_fg_jstr(a, "org.opencontainers.image.created", al_fg_time_rfc3339(AL_FG_T0 + 4));
		al_fg_jpush(arr, e);
	}
	d = al_fg_layout_blob(l, AL_FG_MT_INDEX, al_bytes_str(al_fg_jprint(ix)));
	al_fg_layout_ref(l, &d, al_fg_annot("org.opencontainers.image.ref.name",
					    al_fg_sprintf("sha256-%s", subject->digest + 7)),
			 NULL);
}
