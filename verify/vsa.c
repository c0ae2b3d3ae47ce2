/*
 * vsa.c — Verification Summary Attestations (SLSA VSA v1): what
 * `airlock verify --vsa-out` writes for every image it judged, and what
 * `airlock verify-vsa` checks. Format, file names, determinism and the
 * meaning of a FAILED VSA: docs/vsa.md.
 *
 * Every VSA is rendered from the result tree (verify.h) and nothing else,
 * so it says exactly what the text report says. JSON is written by hand
 * with keys in sorted order and no whitespace: the same inputs and the same
 * time give the same bytes, and the signatures are deterministic
 * (crypto/sign.c), so the same run twice gives byte-identical files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "verify/internal.h"

#define VSA_MT_BUNDLE "application/vnd.dev.sigstore.bundle.v0.3+json"
#define VSA_SLSA_VERSION "1.0"
#define VSA_LEVEL_NONE "SLSA_BUILD_LEVEL_0"

/* ---------------------------------------------------------------- JSON out */

/* A JSON string: quote, backslash and controls escaped; the rest is the
 * caller's valid UTF-8 as it is. */
static al_rc
jstr(al_buf *b, const char *s, al_err *err)
{
	al_rc rc = al_buf_append(b, "\"", 1, err);

	for (const unsigned char *p = (const unsigned char *)s; rc == AL_OK && *p; p++) {
		if (*p == '"' || *p == '\\')
			rc = al_buf_appendf(b, err, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			rc = al_buf_appendf(b, err, "\\u%04x", *p);
		else
			rc = al_buf_append(b, p, 1, err);
	}
	return rc == AL_OK ? al_buf_append(b, "\"", 1, err) : rc;
}

static al_rc
jraw(al_buf *b, const char *s, al_err *err)
{
	return al_buf_append(b, s, strlen(s), err);
}

/* {"<alg>":"<hex>"} of "alg:hex" */
static al_rc
jdigest(al_buf *b, const char *digest, al_err *err)
{
	const char *colon = strchr(digest, ':');
	char alg[16];
	al_rc rc;

	if (colon == NULL || (size_t)(colon - digest) >= sizeof(alg))
		return al_err_set(err, AL_E_INTERNAL, "a digest without an algorithm: %.80s", digest);
	memcpy(alg, digest, (size_t)(colon - digest));
	alg[colon - digest] = '\0';
	if ((rc = jraw(b, "{", err)) != AL_OK || (rc = jstr(b, alg, err)) != AL_OK || (rc = jraw(b, ":", err)) != AL_OK ||
	    (rc = jstr(b, colon + 1, err)) != AL_OK)
		return rc;
	return jraw(b, "}", err);
}

/* ---------------------------------------------------------------- the policy's canonical form */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "role\x1fpath\x1fhex" for sorting the policy's files */
static int
cmp_file(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* docs/vsa.md §4: what decides what verifies, as one JSON object with
 * sorted keys and no whitespace; absent options are left out. The policy
 * is in its canonical form (paths as it names them); keys are named by the
 * SHA-256 of their SPKI (the PEM file's spelling does not matter), the
 * other files it names by the SHA-256 of their bytes. */
al_rc
al_vsa_policy_json(const al_ictx *c, const char **out, al_err *err)
{
	const al_img_opts *o = c->o;
	const al_result *res = c->res;
	al_buf b = { 0 }, pol = { 0 };
	char hex[65];
	const char *keys[64], *files[64];
	char keybuf[64][7 + 65];
	size_t nkeys = 0, nfiles = 0;
	al_rc rc;

	*out = NULL;
	for (size_t i = 0; i < res->ninputs; i++) {
		const al_input_digest *in = &res->inputs[i];
		bool dup = false;

		if (strcmp(in->role, "key") == 0 && strcmp(in->of, "SubjectPublicKeyInfo") == 0 && nkeys < 64) {
			snprintf(keybuf[nkeys], sizeof(keybuf[nkeys]), "sha256:%s", in->sha256);
			for (size_t k = 0; k < nkeys; k++)
				dup |= strcmp(keys[k], keybuf[nkeys]) == 0;
			if (!dup) {
				keys[nkeys] = keybuf[nkeys];
				nkeys++;
			}
		} else if (strcmp(in->role, "key") != 0 && strcmp(in->role, "trustedRoot") != 0 &&
			   strcmp(in->role, "bundle") != 0 && strcmp(in->role, "policy") != 0 && nfiles < 64) {
			files[nfiles] = al_arena_printf(&c->res->arena, NULL, "%s\x1f%s\x1f%s", in->role,
							in->path ? in->path : "", in->sha256);
			if (files[nfiles] == NULL)
				return al_err_set(err, AL_E_NOMEM, "out of memory");
			nfiles++;
		}
	}
	/* the order of --key options does not change the policy */
	qsort(keys, nkeys, sizeof(keys[0]), cmp_str);
	qsort(files, nfiles, sizeof(files[0]), cmp_file);
	rc = al_buf_appendf(&b, err, "{\"allowMissingBlobs\":%s", o->allow_missing_blobs ? "true" : "false");
	if (rc == AL_OK && nfiles) {
		rc = jraw(&b, ",\"files\":[", err);
		for (size_t i = 0; rc == AL_OK && i < nfiles; i++) {
			const char *r = files[i], *p = strchr(r, '\x1f') + 1, *h = strchr(p, '\x1f') + 1;
			char role[64], path[AL_MAX_PATH];

			snprintf(role, sizeof(role), "%.*s", (int)(p - 1 - r), r);
			snprintf(path, sizeof(path), "%.*s", (int)(h - 1 - p), p);
			if ((rc = al_buf_appendf(&b, err, "%s{\"path\":", i ? "," : "")) == AL_OK &&
			    (rc = jstr(&b, path, err)) == AL_OK && (rc = jraw(&b, ",\"role\":", err)) == AL_OK &&
			    (rc = jstr(&b, role, err)) == AL_OK)
				rc = al_buf_appendf(&b, err, ",\"sha256\":\"%s\"}", h);
		}
		if (rc == AL_OK)
			rc = jraw(&b, "]", err);
	}
	if (rc == AL_OK && nkeys) {
		rc = jraw(&b, ",\"keys\":[", err);
		for (size_t i = 0; rc == AL_OK && i < nkeys; i++)
			rc = al_buf_appendf(&b, err, "%s\"%s\"", i ? "," : "", keys[i]);
		if (rc == AL_OK)
			rc = jraw(&b, "]", err);
	}
	if (rc == AL_OK && o->max_trust_age > 0)
		rc = al_buf_appendf(&b, err, ",\"maxTrustAgeSeconds\":%lld", (long long)o->max_trust_age);
	if (rc == AL_OK && o->reference) {
		if ((rc = jraw(&b, ",\"reference\":", err)) == AL_OK)
			rc = jstr(&b, o->reference, err);
	}
	if (rc == AL_OK && (rc = al_policy_canonical(c->policy, &pol, err)) == AL_OK &&
	    (rc = jraw(&b, ",\"rules\":", err)) == AL_OK)
		rc = al_buf_append(&b, pol.p, pol.n, err);
	if (rc == AL_OK) {
		al_hex_encode(c->trust.sha256, 32, hex);
		rc = al_buf_appendf(&b, err, ",\"strict\":%s,\"trustedRootSha256\":\"%s\"}", o->strict ? "true" : "false",
				    hex);
	}
	if (rc == AL_OK && (*out = al_arena_strdup(&c->res->arena, al_buf_bytes(&b), err)) == NULL)
		rc = AL_E_NOMEM;
	al_buf_free(&pol);
	al_buf_free(&b);
	return rc;
}

/* ---------------------------------------------------------------- statement and envelope */

al_rc
al_vsa_statement(const al_vsa_input *in, al_buf *out, al_err *err)
{
	al_rc rc;

	out->n = 0;
	rc = jraw(out, "{\"_type\":\"" AL_INTOTO_STATEMENT_V1 "\",\"predicate\":{\"inputAttestations\":[", err);
	for (size_t i = 0; rc == AL_OK && i < in->ninputs; i++) {
		if ((rc = jraw(out, i ? ",{\"digest\":" : "{\"digest\":", err)) == AL_OK &&
		    (rc = jdigest(out, in->inputs[i], err)) == AL_OK && (rc = jraw(out, ",\"mediaType\":", err)) == AL_OK &&
		    (rc = jstr(out, in->input_types[i], err)) == AL_OK)
			rc = jraw(out, "}", err);
	}
	if (rc == AL_OK && (rc = jraw(out, "],\"policy\":{\"digest\":", err)) == AL_OK &&
	    (rc = jdigest(out, in->policy_digest, err)) == AL_OK && (rc = jraw(out, ",\"uri\":", err)) == AL_OK &&
	    (rc = jstr(out, in->policy_uri, err)) == AL_OK && (rc = jraw(out, "},\"resourceUri\":", err)) == AL_OK &&
	    (rc = jstr(out, in->resource_uri, err)) == AL_OK &&
	    (rc = jraw(out, ",\"slsaVersion\":\"" VSA_SLSA_VERSION "\",\"timeVerified\":", err)) == AL_OK &&
	    (rc = jstr(out, in->time_verified, err)) == AL_OK &&
	    (rc = jraw(out, in->passed ? ",\"verificationResult\":\"PASSED\",\"verifiedLevels\":[" :
					 ",\"verificationResult\":\"FAILED\",\"verifiedLevels\":[", err)) == AL_OK &&
	    (rc = jstr(out, in->passed ? in->level : "FAILED", err)) == AL_OK &&
	    (rc = jraw(out, "],\"verifier\":{\"id\":", err)) == AL_OK && (rc = jstr(out, in->verifier_id, err)) == AL_OK)
		rc = jraw(out, "}},\"predicateType\":\"" AL_VSA_PREDICATE_TYPE "\",\"subject\":[", err);
	for (size_t i = 0; rc == AL_OK && i < in->nnames; i++) {
		if ((rc = jraw(out, i ? ",{\"digest\":" : "{\"digest\":", err)) == AL_OK &&
		    (rc = jdigest(out, in->subject_digest, err)) == AL_OK && (rc = jraw(out, ",\"name\":", err)) == AL_OK &&
		    (rc = jstr(out, in->subject_names[i], err)) == AL_OK)
			rc = jraw(out, "}", err);
	}
	return rc == AL_OK ? jraw(out, "]}", err) : rc;
}

static al_rc
envelope_json(al_buf *b, al_bytes payload_type, al_bytes payload, al_bytes sig, const char *keyid, al_err *err)
{
	al_buf pt = { 0 };
	al_rc rc;

	if ((rc = al_buf_dup(&pt, payload_type, err)) != AL_OK)
		return rc;
	if ((rc = jraw(b, "{\"payload\":\"", err)) == AL_OK && (rc = al_b64_encode(payload, b, err)) == AL_OK &&
	    (rc = jraw(b, "\",\"payloadType\":", err)) == AL_OK && (rc = jstr(b, (const char *)pt.p, err)) == AL_OK &&
	    (rc = al_buf_appendf(b, err, ",\"signatures\":[{\"keyid\":\"%s\",\"sig\":\"", keyid)) == AL_OK &&
	    (rc = al_b64_encode(sig, b, err)) == AL_OK)
		rc = jraw(b, "\"}]}", err);
	al_buf_free(&pt);
	return rc;
}

al_rc
al_vsa_sign(const al_privkey *k, al_bytes payload_type, al_bytes payload, al_buf *dsse, al_buf *bundle, al_err *err)
{
	al_buf pae = { 0 }, sig = { 0 };
	char keyid[65];
	al_rc rc;

	/* the key's SPKI hash names it: DSSE keyid and the bundle's key hint */
	al_hex_encode(k->pub.spki_sha256, 32, keyid);
	if ((rc = al_dsse_pae(payload_type, payload, &pae, err)) != AL_OK ||
	    (rc = al_sign(k, al_buf_bytes(&pae), &sig, err)) != AL_OK)
		goto out;
	if (dsse) {
		dsse->n = 0;
		if ((rc = envelope_json(dsse, payload_type, payload, al_buf_bytes(&sig), keyid, err)) != AL_OK ||
		    (rc = jraw(dsse, "\n", err)) != AL_OK)
			goto out;
	}
	if (bundle) {
		bundle->n = 0;
		if ((rc = jraw(bundle, "{\"dsseEnvelope\":", err)) != AL_OK ||
		    (rc = envelope_json(bundle, payload_type, payload, al_buf_bytes(&sig), keyid, err)) != AL_OK ||
		    (rc = al_buf_appendf(bundle, err,
					 ",\"mediaType\":\"" VSA_MT_BUNDLE "\",\"verificationMaterial\":{\"publicKey\":"
					 "{\"hint\":\"%s\"}}}\n", keyid)) != AL_OK)
			goto out;
	}
out:
	al_buf_free(&pae);
	al_buf_free(&sig);
	return rc;
}

al_rc
al_privkey_load(const char *path, al_privkey *k, al_err *err)
{
	al_buf pem = { 0 };
	al_rc rc;

	if ((rc = al_read_file(path, AL_MAX_PEM_FILE, &pem, err)) != AL_OK)
		return rc;
	rc = al_privkey_from_pem(al_buf_bytes(&pem), k, err);
	if (pem.p)
		memset(pem.p, 0, pem.n);
	al_buf_free(&pem);
	if (rc != AL_OK)
		return al_err_recode(err, rc == AL_E_NOMEM ? AL_E_NOMEM : AL_E_USAGE, "%s", path);
	return AL_OK;
}

static al_rc
sign_blob(const al_privkey *k, al_bytes msg, al_buf *bundle, al_err *err)
{
	al_buf sig = { 0 };
	uint8_t d[32];
	char hint[65];
	al_rc rc;

	/* the same hint as a VSA bundle's: the key's SPKI hash */
	al_hex_encode(k->pub.spki_sha256, 32, hint);
	al_sha256(msg, d);
	bundle->n = 0;
	if ((rc = al_sign(k, msg, &sig, err)) == AL_OK &&
	    (rc = jraw(bundle, "{\"mediaType\":\"" VSA_MT_BUNDLE "\",\"messageSignature\":{\"messageDigest\":"
			   "{\"algorithm\":\"SHA2_256\",\"digest\":\"", err)) == AL_OK &&
	    (rc = al_b64_encode((al_bytes){ d, sizeof(d) }, bundle, err)) == AL_OK &&
	    (rc = jraw(bundle, "\"},\"signature\":\"", err)) == AL_OK &&
	    (rc = al_b64_encode(al_buf_bytes(&sig), bundle, err)) == AL_OK)
		rc = al_buf_appendf(bundle, err,
				    "\"},\"verificationMaterial\":{\"publicKey\":{\"hint\":\"%s\"},\"tlogEntries\":[]}}\n",
				    hint);
	al_buf_free(&sig);
	return rc;
}

al_rc
al_sign_blob_cmd(const char *key_path, const char *file_path, al_buf *bundle, al_err *err)
{
	al_privkey k;
	al_buf msg = { 0 };
	al_rc rc;

	al_privkey_init(&k);
	if ((rc = al_privkey_load(key_path, &k, err)) != AL_OK)
		(void)al_err_prefix(err, "--key");
	else if ((rc = al_read_file(file_path, AL_MAX_SIGN_BLOB, &msg, err)) == AL_OK)
		rc = sign_blob(&k, al_buf_bytes(&msg), bundle, err);
	al_privkey_free(&k);
	al_buf_free(&msg);
	return rc;
}

/* ---------------------------------------------------------------- writing (verify --vsa-out) */

al_rc
al_vsa_begin(const al_vsa_opts *o, al_vsa_writer *w, al_err *err)
{
	al_rc rc;

	memset(w, 0, sizeof(*w));
	w->dfd = -1;
	if (o->out_dir == NULL || o->key_path == NULL)
		return al_err_set(err, AL_E_USAGE, "--vsa-out and --vsa-key go together");
	w->dir = o->out_dir;
	w->verifier_id = o->verifier_id ? o->verifier_id : AL_VSA_VERIFIER_ID;
	w->policy_uri = o->policy_uri ? o->policy_uri : AL_VSA_POLICY_URI;
	if (w->verifier_id[0] == '\0' || !al_utf8_valid(al_bytes_str(w->verifier_id), NULL) ||
	    w->policy_uri[0] == '\0' || !al_utf8_valid(al_bytes_str(w->policy_uri), NULL))
		return al_err_set(err, AL_E_USAGE, "--verifier-id and --policy-uri must be non-empty UTF-8");
	/* the key before anything is verified: a run whose VSAs cannot be
	 * signed stops before it starts */
	if ((w->key = calloc(1, sizeof(*w->key))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	al_privkey_init(w->key);
	if ((rc = al_privkey_load(o->key_path, w->key, err)) != AL_OK) {
		al_vsa_end(w);
		return al_err_prefix(err, "--vsa-key");
	}
	if ((w->dfd = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = al_err_set(err, AL_E_IO, "--vsa-out %s: %s", o->out_dir, strerror(errno));
		al_vsa_end(w);
		return rc;
	}
	return AL_OK;
}

void
al_vsa_end(al_vsa_writer *w)
{
	if (w->key) {
		al_privkey_free(w->key);
		free(w->key);
	}
	if (w->dfd >= 0)
		close(w->dfd);
	w->key = NULL;
	w->dfd = -1;
}

/* file://<absolute path>, percent-encoded: the bundle as this machine saw it */
static al_rc
resource_uri(const char *path, al_buf *out, al_err *err)
{
	char *abs = realpath(path, NULL);
	const char *p = abs ? abs : path;
	al_rc rc = jraw(out, "file://", err);

	for (; rc == AL_OK && *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-._~/", ch))
			rc = al_buf_append(out, &ch, 1, err);
		else
			rc = al_buf_appendf(out, err, "%%%02X", ch);
	}
	free(abs);
	if (rc == AL_OK)
		rc = al_buf_append(out, "", 1, err);
	return rc;
}

static const char *
item_type(const al_item *it)
{
	return it->kind == AL_ITEM_ATTESTATION ? MT_DSSE : it->kind == AL_ITEM_REFERRER ? VSA_MT_BUNDLE : MT_SIMPLESIG;
}

/* The items that verified, of the image and of its platforms, once each. */
static void
collect_inputs(const al_subject *s, const char **in, const char **types, size_t *n, size_t cap)
{
	for (size_t i = 0; i < s->nitems; i++) {
		const al_item *it = &s->items[i];
		bool seen = false;

		if (it->status != AL_ST_PASS || it->kind == AL_ITEM_NOTE || it->digest == NULL)
			continue;
		for (size_t j = 0; j < *n && !seen; j++)
			seen = strcmp(in[j], it->digest) == 0;
		if (!seen && *n < cap) {
			in[*n] = it->digest;
			types[(*n)++] = item_type(it);
		}
	}
}

typedef struct vsa_file {
	char name[AL_HASH_MAX * 2 + 32];
	al_buf bytes;
} vsa_file;

/* The VSA of one image digest: every image of r with that digest (two tags
 * may name one manifest) is one subject name. */
static al_rc
one_vsa(const al_vsa_writer *w, const al_result *r, size_t first, const char *uri, const char *policy_digest,
	const char *when, vsa_file out[2], al_err *err)
{
	const al_image_result *img = &r->images[first];
	const char *names[AL_MAX_VSA_NAMES], *inputs[AL_MAX_VSA_INPUTS], *types[AL_MAX_VSA_INPUTS];
	size_t nnames = 0, ninputs = 0;
	/* PASSED only when the bundle verified (docs/vsa.md §3: the closed world
	 * makes the bundle the unit of the verdict), which implies that every
	 * image did; the image's own status is asked as well, so that the VSA
	 * never rests on that implication alone */
	bool passed = r->verdict == AL_ST_PASS;
	al_buf st = { 0 };
	const char *hex = strchr(img->digest, ':');
	al_rc rc;

	for (size_t i = first; i < r->nimages; i++) {
		const al_image_result *m = &r->images[i];

		if (strcmp(m->digest, img->digest) != 0)
			continue;
		passed = passed && m->status == AL_ST_PASS;
		if (m->ref_name && nnames < AL_MAX_VSA_NAMES)
			names[nnames++] = m->ref_name;
		for (size_t t = 0; t < m->nnames && nnames < AL_MAX_VSA_NAMES; t++)
			names[nnames++] = m->names[t];
		collect_inputs(&m->top, inputs, types, &ninputs, AL_MAX_VSA_INPUTS);
		for (size_t c = 0; c < m->nchildren; c++)
			collect_inputs(&m->children[c].subject, inputs, types, &ninputs, AL_MAX_VSA_INPUTS);
	}
	if (nnames == 0)
		names[nnames++] = img->digest;
	if (hex == NULL || strlen(hex + 1) > AL_HASH_MAX * 2)
		return al_err_set(err, AL_E_INTERNAL, "image digest %.80s", img->digest);
	al_vsa_input in = {
		.subject_names = names, .nnames = nnames, .subject_digest = img->digest, .verifier_id = w->verifier_id,
		.time_verified = when, .resource_uri = uri, .policy_uri = w->policy_uri, .policy_digest = policy_digest,
		.inputs = inputs, .input_types = types, .ninputs = ninputs, .passed = passed, .level = VSA_LEVEL_NONE,
	};
	snprintf(out[0].name, sizeof(out[0].name), "%s.vsa.dsse.json", hex + 1);
	snprintf(out[1].name, sizeof(out[1].name), "%s.vsa.sigstore.json", hex + 1);
	if ((rc = al_vsa_statement(&in, &st, err)) == AL_OK)
		rc = al_vsa_sign(w->key, al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&st), &out[0].bytes,
				 &out[1].bytes, err);
	al_buf_free(&st);
	return rc;
}

al_rc
al_vsa_write(al_vsa_writer *w, const al_result *r, al_buf *report, al_err *err)
{
	vsa_file *files = NULL;
	size_t nf = 0;
	al_buf uri = { 0 };
	char when[21], policy_digest[7 + 65];
	uint8_t ph[32];
	al_rc rc = AL_OK;

	if (!r->opened || r->nimages == 0)
		return AL_OK;
	if (r->policy == NULL)
		return al_err_set(err, AL_E_INTERNAL, "VSA: the result has no policy");
	al_rfc3339_format(r->eval_time, when);
	al_sha256(al_bytes_str(r->policy), ph);
	memcpy(policy_digest, "sha256:", 7);
	al_hex_encode(ph, 32, policy_digest + 7);
	if ((rc = resource_uri(r->bundle_path, &uri, err)) != AL_OK)
		return rc;
	if ((files = calloc(r->nimages * 2, sizeof(*files))) == NULL) {
		al_buf_free(&uri);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < r->nimages && rc == AL_OK; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(r->images[j].digest, r->images[i].digest) == 0;
		if (dup)
			continue;
		rc = one_vsa(w, r, i, (const char *)uri.p, policy_digest, when, &files[nf], err);
		nf += 2;
	}
	/* every name free before the first write: a run never leaves some of
	 * its VSAs beside another run's */
	for (size_t i = 0; i < nf && rc == AL_OK; i++) {
		struct stat st;

		if (fstatat(w->dfd, files[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			rc = al_err_set(err, AL_E_IO, "%s/%s exists (VSAs are never overwritten); nothing written", w->dir,
					files[i].name);
		else if (errno != ENOENT)
			rc = al_err_set(err, AL_E_IO, "%s/%s: %s; nothing written", w->dir, files[i].name, strerror(errno));
	}
	for (size_t i = 0; i < nf && rc == AL_OK; i++) {
		char tmp[sizeof(files[i].name) + 16];

		snprintf(tmp, sizeof(tmp), ".%s.airlock-tmp", files[i].name);
		/* a temporary left by a crash is ours; unlinking a link removes the link */
		(void)unlinkat(w->dfd, tmp, 0);
		if ((rc = al_dir_write_tmp(w->dfd, tmp, al_buf_bytes(&files[i].bytes), err)) != AL_OK ||
		    (rc = al_dir_rename(w->dfd, tmp, files[i].name, true, err)) != AL_OK) {
			(void)unlinkat(w->dfd, tmp, 0);
			al_err_prefix(err, "%s/%s", w->dir, files[i].name);
			break;
		}
		if (report)
			rc = al_buf_appendf(report, err, "vsa: %s/%s\n", w->dir, files[i].name);
	}
	for (size_t i = 0; i < r->nimages * 2; i++)
		al_buf_free(&files[i].bytes);
	free(files);
	al_buf_free(&uri);
	return rc;
}

/* ---------------------------------------------------------------- checking (verify-vsa) */

/* SLSA_<TRACK>_LEVEL_<n> as (track, n); false for anything else */
static bool
level_parse(al_bytes s, al_bytes *track, unsigned *n)
{
	static const char pre[] = "SLSA_", mid[] = "_LEVEL_";
	size_t i;

	if (s.n < sizeof(pre) + sizeof(mid) || memcmp(s.p, pre, sizeof(pre) - 1) != 0)
		return false;
	for (i = s.n; i > 0 && s.p[i - 1] >= '0' && s.p[i - 1] <= '9'; i--)
		;
	if (i == s.n || s.n - i > 3 || i < sizeof(pre) - 1 + sizeof(mid) - 1 + 1 ||
	    memcmp(s.p + i - (sizeof(mid) - 1), mid, sizeof(mid) - 1) != 0)
		return false;
	*track = al_bytes_of(s.p + sizeof(pre) - 1, i - (sizeof(mid) - 1) - (sizeof(pre) - 1));
	*n = (unsigned)strtoul((const char *)s.p + i, NULL, 10);
	return true;
}

/* A level asked for is met by the same level or a higher one of its track
 * (slsa-verifier's reading: a VSA for level 3 satisfies a request for 2). */
static bool
level_meets(al_bytes have, const char *want)
{
	al_bytes ht, wt;
	unsigned hn, wn;

	if (al_bytes_eq_str(have, want))
		return true;
	return level_parse(have, &ht, &hn) && level_parse(al_bytes_str(want), &wt, &wn) && al_bytes_eq(ht, wt) &&
	       hn >= wn;
}

/* "alg:hex" of an operator's --subject-digest */
static al_rc
subject_parse(const char *s, al_hash *alg, uint8_t d[AL_HASH_MAX], al_err *err)
{
	const char *colon = s ? strchr(s, ':') : NULL;

	if (colon == NULL)
		return al_err_set(err, AL_E_USAGE, "--subject-digest: want sha256:<hex>");
	*alg = al_hash_by_name(al_bytes_of(s, (size_t)(colon - s)));
	if (*alg == AL_HASH_NONE || strlen(colon + 1) != 2 * al_hash_len(*alg) ||
	    al_hex_decode(al_bytes_str(colon + 1), d, al_hash_len(*alg), NULL) != AL_OK)
		return al_err_set(err, AL_E_USAGE, "--subject-digest: want sha256:<hex> (or sha384, sha512)");
	return AL_OK;
}

#define SHOWB(b) (int)((b).n > 120 ? 120 : (b).n), (const char *)(b).p

static al_rc
check_predicate(const al_json *pred, const al_vsa_check_opts *o, al_buf *summary, al_err *err)
{
	const al_json *ver = NULL, *levels = NULL;
	al_bytes id = { NULL, 0 }, result = { NULL, 0 };
	al_rc rc;

	if (pred == NULL)
		return al_err_set(err, AL_E_VERIFY_FAILED, "predicate: missing");
	if ((rc = al_json_get_obj(pred, "predicate", "verifier", true, &ver, err)) != AL_OK ||
	    (rc = al_json_get_str(ver, "predicate.verifier", "id", true, &id, err)) != AL_OK)
		return al_err_recode(err, AL_E_VERIFY_FAILED, "verifier.id");
	if (o->verifier_id && !al_bytes_eq_str(id, o->verifier_id))
		return al_err_set(err, AL_E_VERIFY_FAILED, "verifier.id: \"%.*s\", expected \"%.200s\"", SHOWB(id),
				  o->verifier_id);
	if ((rc = al_json_get_str(pred, "predicate", "verificationResult", true, &result, err)) != AL_OK)
		return al_err_recode(err, AL_E_VERIFY_FAILED, "verificationResult");
	if (!al_bytes_eq_str(result, "PASSED"))
		return al_err_set(err, AL_E_VERIFY_FAILED, "verificationResult: \"%.*s\", expected PASSED",
				  SHOWB(result));
	if ((rc = al_json_get_arr(pred, "predicate", "verifiedLevels", true, &levels, err)) != AL_OK)
		return al_err_recode(err, AL_E_VERIFY_FAILED, "verifiedLevels");
	if (o->level) {
		bool met = false;

		for (size_t i = 0; i < al_json_arr_len(levels) && !met; i++) {
			const al_json *l = al_json_arr_at(levels, i);

			met = al_json_is_str(l) && level_meets(al_json_str_bytes(l), o->level);
		}
		if (!met)
			return al_err_set(err, AL_E_VERIFY_FAILED, "verifiedLevels: no level meets %.100s", o->level);
	}
	if (summary)
		rc = al_buf_appendf(summary, err, "verifier %.*s, result PASSED", SHOWB(id));
	return rc;
}

al_rc
al_vsa_check(al_bytes file, const al_pubkey *key, const al_vsa_check_opts *o, al_buf *summary, al_err *err)
{
	al_json *doc = NULL;
	al_sigstore_bundle b;
	al_dsse_envelope env;
	const al_dsse_envelope *e = &env;
	al_intoto_statement st;
	al_buf pae = { 0 };
	al_hash alg;
	uint8_t want[AL_HASH_MAX];
	bool is_bundle, sig_ok = false;
	al_rc rc;

	memset(&b, 0, sizeof(b));
	memset(&env, 0, sizeof(env));
	memset(&st, 0, sizeof(st));
	if ((rc = subject_parse(o->subject_digest, &alg, want, err)) != AL_OK)
		return rc;
	if ((rc = al_json_parse(file, &doc, err)) != AL_OK)
		return al_err_recode(err, AL_E_VERIFY_FAILED, "not a VSA");
	is_bundle = al_json_member(doc, "mediaType") != NULL;
	al_json_free(doc);
	/* a Sigstore bundle (what other Sigstore verifiers read) or the bare
	 * DSSE envelope: the same envelope either way */
	if (is_bundle) {
		if ((rc = al_sigstore_bundle_parse(file, &b, err)) != AL_OK) {
			rc = al_err_recode(err, AL_E_VERIFY_FAILED, "Sigstore bundle");
			goto out;
		}
		if (!b.is_dsse || b.vm != AL_SIGSTORE_VM_PUBLIC_KEY) {
			rc = al_err_set(err, AL_E_VERIFY_FAILED, "Sigstore bundle: not a key-signed DSSE envelope "
					"(verificationMaterial.publicKey and dsseEnvelope)");
			goto out;
		}
		e = &b.dsse;
	} else if ((rc = al_dsse_envelope_parse(file, &env, err)) != AL_OK) {
		rc = al_err_recode(err, AL_E_VERIFY_FAILED, "DSSE envelope");
		goto out;
	}
	/* 1. the signature, over PAE(payloadType, payload), before anything
	 *    the payload says is believed */
	if ((rc = al_dsse_pae(al_buf_bytes(&e->payload_type), al_buf_bytes(&e->payload), &pae, err)) != AL_OK)
		goto out;
	for (size_t i = 0; i < e->nsigs && !sig_ok; i++)
		sig_ok = al_sig_verify(key, AL_HASH_NONE, al_buf_bytes(&pae), al_buf_bytes(&e->sigs[i].sig), NULL) == AL_OK;
	if (!sig_ok) {
		rc = al_err_set(err, AL_E_CRYPTO_SIG, "signature: no signature of the envelope verifies under the %s key",
				al_key_kind_name(key->kind));
		goto out;
	}
	/* 2. what the signer said the payload is */
	if (!al_bytes_eq_str(al_buf_bytes(&e->payload_type), AL_INTOTO_PAYLOAD_TYPE)) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "payloadType: \"%.*s\", expected %s",
				SHOWB(al_buf_bytes(&e->payload_type)), AL_INTOTO_PAYLOAD_TYPE);
		goto out;
	}
	if ((rc = al_intoto_parse(al_buf_bytes(&e->payload_type), al_buf_bytes(&e->payload), &st, err)) != AL_OK) {
		rc = al_err_recode(err, AL_E_VERIFY_FAILED, "statement");
		goto out;
	}
	if (st.version != 2) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "_type: \"%.*s\", expected %s", SHOWB(al_buf_bytes(&st.type)),
				AL_INTOTO_STATEMENT_V1);
		goto out;
	}
	if (!al_bytes_eq_str(al_buf_bytes(&st.predicate_type), AL_VSA_PREDICATE_TYPE)) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "predicateType: \"%.*s\", expected %s",
				SHOWB(al_buf_bytes(&st.predicate_type)), AL_VSA_PREDICATE_TYPE);
		goto out;
	}
	if (!al_intoto_match(&st, alg, want, NULL)) {
		rc = al_err_set(err, AL_E_VERIFY_FAILED, "subject: %.140s is not among the VSA's subjects",
				o->subject_digest);
		goto out;
	}
	if (summary && (rc = al_buf_appendf(summary, err, "VSA of %s: ", o->subject_digest)) != AL_OK)
		goto out;
	if ((rc = check_predicate(st.predicate, o, summary, err)) != AL_OK)
		goto out;
	if (summary) {
		char fp[65];

		al_hex_encode(key->spki_sha256, 32, fp);
		rc = al_buf_appendf(summary, err, "%s%s, signed by %s key sha256:%s (%s)", o->level ? ", level " : "",
				    o->level ? o->level : "", al_key_kind_name(key->kind), fp,
				    is_bundle ? "Sigstore bundle" : "DSSE envelope");
	}
out:
	al_intoto_free(&st);
	al_sigstore_bundle_free(&b);
	al_dsse_envelope_free(&env);
	al_buf_free(&pae);
	return rc;
}

al_rc
al_vsa_verify_cmd(const al_vsa_check_opts *o, al_buf *summary, al_err *err)
{
	al_pubkey key;
	al_buf file = { 0 };
	al_hash alg;
	uint8_t d[AL_HASH_MAX];
	al_rc rc;

	if (o->vsa_path == NULL || o->key_path == NULL || o->subject_digest == NULL)
		return al_err_set(err, AL_E_USAGE, "--vsa, --key and --subject-digest are required");
	if ((rc = subject_parse(o->subject_digest, &alg, d, err)) != AL_OK)
		return rc;
	al_pubkey_init(&key);
	if ((rc = al_trust_load_pem_key(o->key_path, &key, err)) != AL_OK) {
		if (rc != AL_E_IO && rc != AL_E_NOMEM)
			rc = al_err_recode(err, AL_E_USAGE, "--key");
		return rc;
	}
	if ((rc = al_read_file(o->vsa_path, AL_MAX_JSON_DOC, &file, err)) != AL_OK) {
		al_pubkey_free(&key);
		return rc == AL_E_IO ? al_err_prefix(err, "--vsa") : rc;
	}
	rc = al_vsa_check(al_buf_bytes(&file), &key, o, summary, err);
	if (rc != AL_OK && rc != AL_E_USAGE)
		al_err_prefix(err, "%s", o->vsa_path);
	al_buf_free(&file);
	al_pubkey_free(&key);
	return rc;
}
