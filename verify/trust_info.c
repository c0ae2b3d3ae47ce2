/*
 * trust_info.c — the trust material a run would use, described for
 * `airlock trust list|show` and `airlock version` (docs/trust.md). Facts
 * only; cli/ words and escapes them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verify/internal.h"

void
al_trust_provenance_get(al_trust_provenance *p)
{
	const al_trust_embedded *e = al_trust_embedded_get();

	p->package = e->package;
	p->version = e->version;
	p->integrity = e->integrity;
	p->tuf_repository = e->tuf_repository;
	p->tuf_root_version = e->tuf_root_version;
	p->tuf_root_expires = e->tuf_root_expires;
	p->source = e->source;
	p->trusted_root_sha256 = e->trusted_root_sha256;
	p->tuf_root_sha256 = e->tuf_root_sha256;
}

void
al_trust_info_free(al_trust_info *t)
{
	if (t == NULL)
		return;
	al_arena_free(&t->arena);
	al_buf_free(&t->file);
	memset(t, 0, sizeof(*t));
}

static const char *
when(al_rec *r, bool has, int64_t t)
{
	char s[32];

	if (!has)
		return "-";
	al_time_format(t, s);
	return al_rec_str(r, s);
}

static const char *
hex_str(al_rec *r, al_bytes b)
{
	char *s = al_arena_alloc(r->arena, 2 * b.n + 1, NULL);

	if (s == NULL) {
		r->oom = true;
		return "";
	}
	al_hex_encode(b.p, b.n, s);
	return s;
}

static void
add_log(al_rec *r, al_trust_entry **v, size_t *n, size_t *cap, const char *kind, const al_trust_log *l,
	size_t root)
{
	al_trust_entry *e = al_vec_push(r->arena, (void **)v, n, cap, sizeof(**v), &r->oom);

	if (e == NULL)
		return;
	e->kind = kind;
	e->name = al_rec_str(r, (const char *)l->base_url.p);
	e->id = al_rec_printf(r, "logID %s", hex_str(r, al_buf_bytes(&l->log_id)));
	e->valid_from = when(r, l->valid_for.has_start, l->valid_for.start);
	e->valid_until = when(r, l->valid_for.has_end, l->valid_for.end);
	e->detail = al_rec_printf(r, "key %s; operator %s%s%s", l->key_details,
				  l->operator_name.n ? (const char *)l->operator_name.p : "-",
				  l->checkpoint_key_id.n ? "; checkpoint key ID " : "",
				  l->checkpoint_key_id.n ? hex_str(r, al_buf_bytes(&l->checkpoint_key_id)) : "");
	e->root = root;
}

static void
add_ca(al_rec *r, al_trust_entry **v, size_t *n, size_t *cap, const char *kind, const al_trust_ca *ca,
       size_t root)
{
	al_trust_entry *e = al_vec_push(r->arena, (void **)v, n, cap, sizeof(**v), &r->oom);
	uint8_t h[32];
	char hex[65];

	if (e == NULL)
		return;
	e->kind = kind;
	e->name = al_rec_printf(r, "O=%s, CN=%s%s%s", ca->organization.n ? (const char *)ca->organization.p : "-",
				ca->common_name.n ? (const char *)ca->common_name.p : "-", ca->uri.n ? " " : "",
				ca->uri.n ? (const char *)ca->uri.p : "");
	al_sha256(al_buf_bytes(&ca->certs[ca->ncerts - 1]), h);
	al_hex_encode(h, 32, hex);
	e->id = al_rec_printf(r, "cert sha256:%s", hex);
	e->valid_from = when(r, ca->valid_for.has_start, ca->valid_for.start);
	e->valid_until = when(r, ca->valid_for.has_end, ca->valid_for.end);
	e->detail = al_rec_printf(r, "chain of %zu certificate%s; operator %s", ca->ncerts, ca->ncerts == 1 ? "" : "s",
				  ca->operator_name.n ? (const char *)ca->operator_name.p : "-");
	e->root = root;
}

al_rc
al_trust_info_cmd(const char *trusted_root_path, al_trust_info *out, al_err *err)
{
	al_trust_set set;
	al_trust_entry *v = NULL;
	const char **sha, **mt, **newest;
	size_t n = 0, cap = 0;
	al_rec r;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.arena = &out->arena;
	if ((rc = al_trust_set_load(trusted_root_path, &set, err)) != AL_OK)
		return rc;
	out->source = al_rec_str(&r, set.source);
	out->embedded = set.embedded;
	out->jsonl = set.jsonl;
	out->nroots = set.n;
	al_hex_encode(set.sha256, 32, out->sha256);
	sha = al_arena_alloc(&out->arena, set.n * sizeof(*sha), NULL);
	mt = al_arena_alloc(&out->arena, set.n * sizeof(*mt), NULL);
	newest = al_arena_alloc(&out->arena, set.n * sizeof(*newest), NULL);
	if (sha == NULL || mt == NULL || newest == NULL) {
		r.oom = true;
		goto out;
	}
	for (size_t k = 0; k < set.n; k++) {
		const al_trust_root *root = &set.roots[k];
		int64_t t = al_trust_root_newest(root);
		char hex[65];

		al_hex_encode(root->sha256, 32, hex);
		sha[k] = al_rec_str(&r, hex);
		mt[k] = al_rec_str(&r, root->media_type);
		newest[k] = when(&r, t != 0, t);
		for (size_t i = 0; i < root->ntlogs; i++)
			add_log(&r, &v, &n, &cap, "tlog", &root->tlogs[i], k);
		for (size_t i = 0; i < root->ncas; i++)
			add_ca(&r, &v, &n, &cap, "ca", &root->cas[i], k);
		for (size_t i = 0; i < root->nctlogs; i++)
			add_log(&r, &v, &n, &cap, "ctlog", &root->ctlogs[i], k);
		for (size_t i = 0; i < root->ntsas; i++)
			add_ca(&r, &v, &n, &cap, "tsa", &root->tsas[i], k);
	}
	out->root_sha256 = sha;
	out->media_type = mt;
	out->newest = newest;
	out->entries = v;
	out->nentries = n;
	/* the bytes described, for `trust show --json`: the file is kept, not
	 * read again, so what is shown is what was parsed */
	out->file = set.file;
	memset(&set.file, 0, sizeof(set.file));
	out->json = set.embedded ? set.bytes : al_buf_bytes(&out->file);
out:
	al_trust_set_free(&set);
	if (r.oom) {
		al_trust_info_free(out);
		return al_err_set(err, AL_E_NOMEM, "out of memory describing the trust material");
	}
	return AL_OK;
}
