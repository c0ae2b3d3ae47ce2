/*
 * render_json.c — the JSON report (docs/report.md): the same result tree
 * the text report renders, as one RFC 8785 canonical document, so two runs
 * over the same inputs with the same --at are byte for byte the same and a
 * filed report can be hashed, signed and compared years later.
 *
 * Every string from the bundle goes in as a JSON string and nothing else:
 * canonical form escapes quotes, backslashes and controls, and writes
 * invalid UTF-8 as U+FFFD, so no input can add a member or end the document.
 */
#include <string.h>

#include <cJSON.h>

#include "al_version.h"
#include "cli/cli.h"
#include "crypto/crypto.h"

/* cJSON reports allocation failure as NULL from every constructor and
 * accepts NULL everywhere, so a failed build is found once, at the end, by
 * counting what was added (see json_ok). */
typedef struct jb {
	bool oom;
} jb;

static cJSON *
jobj(jb *b, cJSON *parent, const char *key)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || (parent != NULL && !cJSON_AddItemToObject(parent, key, o))) {
		cJSON_Delete(parent ? NULL : o);
		b->oom = true;
		return NULL;
	}
	return o;
}

static cJSON *
jarr(jb *b, cJSON *parent, const char *key)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL || !cJSON_AddItemToObject(parent, key, a)) {
		b->oom = true;
		return NULL;
	}
	return a;
}

static cJSON *
jpush_obj(jb *b, cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		b->oom = true;
		return NULL;
	}
	return o;
}

/* A string member; absent when s is NULL (the schema says which may be). */
static void
jstr(jb *b, cJSON *o, const char *key, const char *s)
{
	if (o == NULL || s == NULL)
		return;
	if (cJSON_GetObjectItemCaseSensitive(o, key) != NULL) {
		/* a repeated evidence key keeps both values: key, key#2, ... */
		char k2[128];

		for (int i = 2; i < 100; i++) {
			snprintf(k2, sizeof(k2), "%.100s#%d", key, i);
			if (cJSON_GetObjectItemCaseSensitive(o, k2) == NULL) {
				jstr(b, o, k2, s);
				return;
			}
		}
		return;
	}
	if (cJSON_AddStringToObject(o, key, s) == NULL)
		b->oom = true;
}

static void
jnum(jb *b, cJSON *o, const char *key, uint64_t v)
{
	/* sizes and counts; a double holds them exactly below 2^53, and
	 * nothing airlock reads can be larger (limits.h) */
	if (o != NULL && cJSON_AddNumberToObject(o, key, (double)v) == NULL)
		b->oom = true;
}

static void
jbool(jb *b, cJSON *o, const char *key, bool v)
{
	if (o != NULL && cJSON_AddBoolToObject(o, key, v) == NULL)
		b->oom = true;
}

static void
jpush_str(jb *b, cJSON *arr, const char *s)
{
	cJSON *x = cJSON_CreateString(s ? s : "");

	if (x == NULL || !cJSON_AddItemToArray(arr, x)) {
		cJSON_Delete(x);
		b->oom = true;
	}
}

static const char *
verdict_name(int exit_code)
{
	return exit_code == 0 ? "pass" : exit_code == 3 ? "unsigned" : "fail";
}

static void
header(jb *b, cJSON *root, const char *command, int exit_code, const al_err *err, int64_t eval, bool given,
       bool has_verdict)
{
	cJSON *tool = jobj(b, root, "tool"), *ev;
	char when[32];

	jstr(b, root, "mediaType", AL_REPORT_MEDIA_TYPE);
	jstr(b, root, "command", command);
	if (has_verdict)
		jstr(b, root, "verdict", verdict_name(exit_code));
	jnum(b, root, "exitCode", (uint64_t)exit_code);
	if (exit_code != 0 && err != NULL)
		jstr(b, root, "error", err->msg[0] ? err->msg : al_rc_name(err->code));
	jstr(b, tool, "name", "airlock");
	jstr(b, tool, "version", AL_VERSION);
	jstr(b, tool, "commit", AL_GIT_COMMIT);
	ev = jobj(b, root, "evaluation");
	al_time_format(eval, when);
	jstr(b, ev, "time", when);
	jstr(b, ev, "timeSource", given ? "--at" : "clock");
}

static void
inputs(jb *b, cJSON *root, const al_input_digest *in, size_t n)
{
	cJSON *arr = jarr(b, root, "inputs");

	for (size_t i = 0; i < n && arr; i++) {
		cJSON *o = jpush_obj(b, arr);

		jstr(b, o, "role", in[i].role);
		jstr(b, o, "path", in[i].path);
		jstr(b, o, "of", in[i].of);
		jstr(b, o, "sha256", in[i].sha256);
	}
}

static const char *
item_kind(al_item_kind k)
{
	switch (k) {
	case AL_ITEM_SIGNATURE:
		return "signature";
	case AL_ITEM_ATTESTATION:
		return "attestation";
	case AL_ITEM_REFERRER:
		return "referrer";
	case AL_ITEM_NOTE:
		return "note";
	}
	return "?";
}

static void
checks(jb *b, cJSON *parent, const al_check *c, size_t n)
{
	cJSON *arr = jarr(b, parent, "checks");

	for (size_t i = 0; i < n && arr; i++) {
		cJSON *o = jpush_obj(b, arr), *ev;

		jstr(b, o, "name", c[i].name);
		jstr(b, o, "status", al_status_name(c[i].status));
		jstr(b, o, "subject", c[i].subject);
		jstr(b, o, "reason", c[i].reason);
		if (c[i].nev == 0)
			continue;
		ev = jobj(b, o, "evidence");
		for (size_t k = 0; k < c[i].nev; k++)
			jstr(b, ev, c[i].ev[k].key, c[i].ev[k].value);
	}
}

static void verification_result(jb *b, cJSON *parent, const al_sigstore_result *r);

/* The rule's requirements, judged for one subject (docs/report.md §3). */
static void
requirements(jb *b, cJSON *parent, const al_subject *s)
{
	cJSON *arr;

	if (s->noutcomes == 0)
		return;
	arr = jarr(b, parent, "requirements");
	for (size_t i = 0; i < s->noutcomes && arr; i++) {
		cJSON *o = jpush_obj(b, arr);

		jstr(b, o, "requirement", s->outcomes[i].requirement);
		jstr(b, o, "status", al_status_name(s->outcomes[i].status));
		jstr(b, o, "detail", s->outcomes[i].detail);
	}
}

static void
subject_items(jb *b, cJSON *parent, const al_subject *s, bool extracted)
{
	cJSON *arr = jarr(b, parent, "signatures");

	requirements(b, parent, s);

	for (size_t i = 0; i < s->nitems && arr; i++) {
		const al_item *it = &s->items[i];
		cJSON *o = jpush_obj(b, arr);

		jstr(b, o, "kind", item_kind(it->kind));
		jstr(b, o, "where", it->where);
		jstr(b, o, "status", al_status_name(it->status));
		jstr(b, o, "text", it->text);
		if (it->predicate_type != NULL) {
			cJSON *st = jobj(b, o, "statement");
			char file[300];

			jstr(b, st, "predicateType", it->predicate_type);
			jstr(b, st, "sha256", it->statement_sha256);
			if (extracted && al_extract_file(s, i, file, sizeof(file)))
				jstr(b, st, "extractedTo", file);
		}
		if (it->authority != NULL) {
			cJSON *au = jarr(b, o, "authorities");

			/* every authority of the rule it met, by index in the rule */
			for (unsigned a = 0; a < 32 && au; a++)
				if (it->authorities & (1u << a)) {
					cJSON *x = cJSON_CreateNumber(a);

					if (x == NULL || !cJSON_AddItemToArray(au, x)) {
						cJSON_Delete(x);
						b->oom = true;
					}
				}
			jstr(b, o, "authority", it->authority);
		}
		jstr(b, o, "signedReference", it->signed_ref);
		if (it->kind != AL_ITEM_NOTE)
			checks(b, o, it->checks, it->nchecks);
		if (it->sigstore != NULL)
			verification_result(b, o, it->sigstore);
	}
}

static void
image_obj(jb *b, cJSON *o, const al_image_result *img, bool extracted)
{
	cJSON *names, *plats;

	jstr(b, o, "digest", img->digest);
	jstr(b, o, "refName", img->ref_name);
	jstr(b, o, "kind", img->kind);
	jstr(b, o, "mediaType", img->media_type);
	jstr(b, o, "why", img->why);
	if (img->nnames) {
		names = jarr(b, o, "names");
		for (size_t k = 0; k < img->nnames && names; k++)
			jpush_str(b, names, img->names[k]);
	}
	if (img->status != 0)
		jstr(b, o, "status", al_status_name(img->status));
	jstr(b, o, "reason", img->why_not);
	if (img->rule != NULL || img->name != NULL) {
		cJSON *po = jobj(b, o, "policy"), *rl;

		jstr(b, po, "rule", img->rule);
		jstr(b, po, "name", img->name);
		jstr(b, po, "nameSource", img->name_source);
		rl = jarr(b, po, "relaxations");
		for (size_t k = 0; k < img->nrelaxed && rl; k++)
			jpush_str(b, rl, img->relaxed[k]);
	}
	subject_items(b, o, &img->top, extracted);
	if (img->nchildren == 0)
		return;
	plats = jarr(b, o, "children");
	for (size_t k = 0; k < img->nchildren && plats; k++) {
		const al_child *ch = &img->children[k];
		cJSON *p = jpush_obj(b, plats);

		jstr(b, p, "digest", ch->subject.digest);
		jstr(b, p, "kind", ch->is_image ? "platform" : "artifact");
		jstr(b, p, "platform", ch->is_image ? ch->platform : NULL);
		jstr(b, p, "mediaType", ch->media_type);
		jstr(b, p, "why", ch->why);
		if (ch->status != 0)
			jstr(b, p, "status", al_status_name(ch->status));
		jbool(b, p, "coveredByIndexSignature", ch->covered);
		subject_items(b, p, &ch->subject, extracted);
	}
}

static void
blob_obj(jb *b, cJSON *o, const al_blob_entry *e)
{
	jstr(b, o, "digest", e->digest);
	jnum(b, o, "size", e->size);
	jstr(b, o, "mediaType", e->media_type);
	jstr(b, o, "state", e->state);
	jstr(b, o, "where", e->where);
}

static void
artifact_obj(jb *b, cJSON *o, const al_artifact_entry *e)
{
	jstr(b, o, "digest", e->digest);
	jstr(b, o, "refName", e->ref_name);
	jstr(b, o, "why", e->why);
}

/* The arrays that grow with the bundle (an element per image, per blob,
 * per artifact) are placeholders in the report's tree: each element is
 * built, written and freed in turn when the document is written
 * (al_json_canonical_splice), so the report costs one element's tree, not
 * the whole bundle's (docs/performance.md §4). */
typedef struct splice_ctx {
	const al_result *r;
	bool extracted;
	bool (*sink)(al_bytes);     /* NULL: everything stays in out */
} splice_ctx;

#define JSON_CHUNK (64u << 10)

static void
jdefer(jb *b, cJSON *o, const char *key)
{
	cJSON *x = cJSON_CreateRaw("");

	if (o == NULL || x == NULL || !cJSON_AddItemToObject(o, key, x)) {
		cJSON_Delete(x);
		b->oom = true;
	}
}

static al_rc
splice(void *vctx, const al_json *placeholder, al_buf *out, al_err *err)
{
	const splice_ctx *c = vctx;
	const char *key = placeholder->string;
	size_t n = strcmp(key, "images") == 0 ? c->r->nimages : strcmp(key, "blobs") == 0 ? c->r->nblobs
		: strcmp(key, "artifacts") == 0 ? c->r->nartifacts : (size_t)-1;
	al_rc rc;

	if (n == (size_t)-1)
		return al_err_set(err, AL_E_INTERNAL, "report: no writer for \"%s\"", key);
	/* a result that handed its images or artifacts over and kept none
	 * (al_img_opts.drop_images, on_artifact) has nothing to write here */
	if (n > 0 && (key[0] == 'i' ? c->r->images == NULL : key[0] == 'a' ? c->r->artifacts == NULL : false))
		return al_err_set(err, AL_E_INTERNAL, "report: the result kept no %s", key);
	if ((rc = al_buf_append(out, "[", 1, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < n && rc == AL_OK; i++) {
		jb b = { false };
		cJSON *o = cJSON_CreateObject();

		if (key[0] == 'i')
			image_obj(&b, o, &c->r->images[i], c->extracted);
		else if (key[0] == 'b')
			blob_obj(&b, o, &c->r->blobs[i]);
		else
			artifact_obj(&b, o, &c->r->artifacts[i]);
		if (o == NULL || b.oom)
			rc = al_err_set(err, AL_E_NOMEM, "out of memory");
		if (rc == AL_OK && i > 0)
			rc = al_buf_append(out, ",", 1, err);
		if (rc == AL_OK)
			rc = al_json_canonical(o, out, err);
		cJSON_Delete(o);
		/* the canonical writer only appends: what is in out is final */
		if (rc == AL_OK && c->sink != NULL && out->n >= JSON_CHUNK) {
			if (!c->sink(al_buf_bytes(out)))
				rc = al_err_set(err, AL_E_IO, "report: writing it failed");
			out->n = 0;
		}
	}
	return rc == AL_OK ? al_buf_append(out, "]", 1, err) : rc;
}

static void
bundle_facts(jb *b, cJSON *root, const al_result *r)
{
	cJSON *bo = jobj(b, root, "bundle"), *arr;

	jstr(b, bo, "path", r->bundle_path);
	jstr(b, bo, "format", r->format);
	jstr(b, bo, "compression", r->compression);
	jnum(b, bo, "bytesHashed", r->bytes_hashed);
	jdefer(b, root, "blobs");
	arr = jarr(b, root, "unreferenced");
	for (size_t i = 0; i < r->nextra && arr; i++) {
		cJSON *o = jpush_obj(b, arr);

		jstr(b, o, "path", r->extra[i].path);
		jnum(b, o, "size", r->extra[i].size);
		jbool(b, o, "nameMismatch", r->extra[i].name_mismatch);
	}
	jdefer(b, root, "artifacts");
}

/* Serializes root canonically into out (freeing root); sc writes its
 * placeholders (NULL: it has none). */
static bool
finish(jb *b, cJSON *root, splice_ctx *sc, al_buf *out)
{
	al_err err;
	bool ok = !b->oom && root != NULL;

	al_err_clear(&err);
	if (ok && (al_json_canonical_splice(root, sc ? splice : NULL, sc, out, &err) != AL_OK ||
		   al_buf_append(out, "\n", 1, &err) != AL_OK))
		ok = false;
	cJSON_Delete(root);
	return ok;
}

bool
al_render_json(const al_result *r, const char *command, int exit_code, const al_err *err, bool extracted,
	       al_buf *out, bool (*sink)(al_bytes))
{
	jb b = { false };
	cJSON *root = jobj(&b, NULL, NULL), *tr, *sum, *rel;
	bool verify = strcmp(command, "verify") == 0;
	splice_ctx sc = { r, extracted, sink };

	if (root == NULL)
		return false;
	header(&b, root, command, exit_code, err, r->eval_time, r->eval_time_given, verify);
	inputs(&b, root, r->inputs, r->ninputs);
	if (r->opened)
		bundle_facts(&b, root, r);
	jdefer(&b, root, "images");
	if (!verify)
		return finish(&b, root, &sc, out);
	if (r->trusted_root_path != NULL) {
		tr = jobj(&b, root, "trustMaterial");
		jstr(&b, tr, "source", r->trusted_root_path);
		jstr(&b, tr, "sha256", r->trusted_root_sha256);
		jnum(&b, tr, "roots", r->trusted_roots);
		jbool(&b, tr, "embedded", r->trusted_root_embedded);
		jstr(&b, tr, "age", r->trust_age);
	}
	if (r->policy != NULL) {
		/* the command-line policy in its canonical form and the digest a VSA
		 * names it by (docs/vsa.md §4) */
		cJSON *po = jobj(&b, root, "policy"), *canon = cJSON_Parse(r->policy);
		uint8_t h[AL_HASH_MAX];
		char hex[65];

		if (canon == NULL || !cJSON_AddItemToObject(po, "canonical", canon)) {
			cJSON_Delete(canon);
			b.oom = true;
		}
		al_hash_bytes(AL_HASH_SHA256, al_bytes_str(r->policy), h);
		al_hex_encode(h, 32, hex);
		jstr(&b, po, "sha256", hex);
		jstr(&b, po, "source", r->policy_source);
		jstr(&b, po, "format", r->policy_format);
		jstr(&b, po, "sourceSha256", r->policy_sha256);
	}
	rel = jarr(&b, root, "relaxations");
	if (r->relaxed_missing && rel)
		jpush_str(&b, rel, "allow-missing-blobs");
	jbool(&b, root, "strict", r->strict);
	sum = jobj(&b, root, "summary");
	jnum(&b, sum, "images", r->nimages);
	jnum(&b, sum, "platforms", r->platforms);
	jnum(&b, sum, "found", r->found);
	jnum(&b, sum, "verified", r->verified);
	jnum(&b, sum, "failed", r->failed);
	jnum(&b, sum, "notAccepted", r->not_accepted);
	jnum(&b, sum, "warned", r->warned);
	return finish(&b, root, &sc, out);
}

/* sigstore-go's VerificationResult for one bundle (docs/report.md §4). */
static void
verification_result(jb *b, cJSON *parent, const al_sigstore_result *r)
{
	cJSON *vr = jobj(b, parent, "verificationResult"), *sig, *ts, *id;

	jstr(b, vr, "mediaType", "application/vnd.dev.sigstore.verificationresult+json;version=0.1");
	if (r->statement != NULL) {
		cJSON *st = cJSON_ParseWithLength(r->statement, strlen(r->statement));

		/* the statement verified and parsed strictly; it is re-read here only
		 * to nest it, so an allocation failure is the only way to miss */
		if (st == NULL || !cJSON_AddItemToObject(vr, "statement", st)) {
			cJSON_Delete(st);
			b->oom = true;
		}
	}
	sig = jobj(b, vr, "signature");
	if (r->ncert) {
		cJSON *c = jobj(b, sig, "certificate");

		for (size_t i = 0; i < r->ncert; i++)
			jstr(b, c, r->cert[i].key, r->cert[i].value);
	} else if (r->key_sha256 != NULL) {
		jstr(b, sig, "publicKeyID", r->key_sha256);
	}
	ts = jarr(b, vr, "verifiedTimestamps");
	for (size_t i = 0; i < r->nvtimes && ts; i++) {
		cJSON *t = jpush_obj(b, ts);

		jstr(b, t, "type", r->vtimes[i].type);
		jstr(b, t, "uri", r->vtimes[i].uri);
		jstr(b, t, "timestamp", r->vtimes[i].timestamp);
	}
	if (r->ncert) {
		cJSON *san, *iss;

		id = jobj(b, vr, "verifiedIdentity");
		san = jobj(b, id, "subjectAlternativeName");
		jstr(b, san, "subjectAlternativeName", r->san);
		jstr(b, san, "regexp", r->san_regexp);
		iss = jobj(b, id, "issuer");
		jstr(b, iss, "issuer", r->issuer);
		jstr(b, iss, "regexp", r->issuer_regexp);
	}
}

bool
al_render_json_vb(const al_vb_result *r, int exit_code, const al_err *err, al_buf *out)
{
	jb b = { false };
	cJSON *root = jobj(&b, NULL, NULL), *tr;

	if (root == NULL)
		return false;
	header(&b, root, "verify-bundle", exit_code, err, r->eval_time, r->eval_time_given, true);
	inputs(&b, root, r->inputs, r->ninputs);
	if (r->trusted_root_source != NULL) {
		tr = jobj(&b, root, "trustMaterial");
		jstr(&b, tr, "source", r->trusted_root_source);
		jstr(&b, tr, "sha256", r->trusted_root_sha256);
		jnum(&b, tr, "roots", r->trusted_roots);
		jnum(&b, tr, "decidedBy", r->trusted_root_index + 1);
		jbool(&b, tr, "embedded", r->trusted_root_embedded);
		jstr(&b, tr, "age", r->trust_age);
	}
	jstr(&b, root, "artifact", r->artifact);
	jstr(&b, root, "signer", r->signer);
	jstr(&b, root, "tlog", r->tlog);
	jstr(&b, root, "time", r->time);
	checks(&b, root, r->checks, r->nchecks);
	if (exit_code == 0 && r->vr != NULL)
		verification_result(&b, root, r->vr);
	return finish(&b, root, NULL, out);
}
