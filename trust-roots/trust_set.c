/*
 * trust_set.c — the trust material a run uses: the embedded public-good
 * root, or a --trusted-root file holding one trusted root or JSON Lines of
 * several (trust.h; docs/trust.md).
 */
#include <stdlib.h>
#include <string.h>

#include "trust-roots/embedded.h"
#include "trust-roots/trust.h"

const al_trust_embedded *
al_trust_embedded_get(void)
{
	return &al_trust_embedded_gen;
}

void
al_trust_set_free(al_trust_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; s->roots && i < s->n; i++)
		al_trust_root_free(&s->roots[i]);
	free(s->roots);
	al_buf_free(&s->file);
	memset(s, 0, sizeof(*s));
}

static bool
blank(al_bytes line)
{
	for (size_t i = 0; i < line.n; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t' && line.p[i] != '\r')
			return false;
	return true;
}

/* The line starting at *pos (without its '\n'); *pos moves past it. */
static al_bytes
next_line(al_bytes data, size_t *pos)
{
	const uint8_t *nl = memchr(data.p + *pos, '\n', data.n - *pos);
	size_t end = nl ? (size_t)(nl - data.p) : data.n;
	al_bytes line = al_bytes_of(data.p + *pos, end - *pos);

	*pos = nl ? end + 1 : data.n;
	return line;
}

/* Whether data is JSON Lines: not one JSON document, but its first
 * non-blank line is one. A single document that is merely malformed is not,
 * so its own parse error is what gets reported. */
static bool
is_jsonl(al_bytes data)
{
	al_json *doc = NULL;
	size_t pos = 0;

	if (al_json_parse(data, &doc, NULL) == AL_OK) {
		al_json_free(doc);
		return false;
	}
	while (pos < data.n) {
		al_bytes line = next_line(data, &pos);

		if (blank(line))
			continue;
		if (al_json_parse(line, &doc, NULL) != AL_OK)
			return false;
		al_json_free(doc);
		return true;
	}
	return false;
}

al_rc
al_trust_set_parse(al_bytes data, al_trust_set *s, al_err *err)
{
	size_t pos = 0, lineno = 0, n = 0;
	al_rc rc;

	memset(s, 0, sizeof(*s));
	al_sha256(data, s->sha256);
	if ((s->roots = calloc(AL_MAX_TRUSTED_ROOTS, sizeof(*s->roots))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	if (!is_jsonl(data)) {
		if ((rc = al_trust_root_parse(data, &s->roots[0], err)) != AL_OK) {
			al_trust_set_free(s);
			return rc;
		}
		s->n = 1;
		return AL_OK;
	}
	s->jsonl = true;
	while (pos < data.n) {
		al_bytes line = next_line(data, &pos);

		lineno++;
		if (blank(line))
			continue;
		if (n == AL_MAX_TRUSTED_ROOTS) {
			al_trust_set_free(s);
			return al_err_set(err, AL_E_TRUST_INVALID, "line %zu: more than %d trusted roots in one file",
					  lineno, AL_MAX_TRUSTED_ROOTS);
		}
		if ((rc = al_trust_root_parse(line, &s->roots[n], err)) != AL_OK) {
			al_trust_set_free(s);
			return al_err_prefix(err, "line %zu", lineno);
		}
		s->n = ++n;
	}
	return AL_OK;
}

al_rc
al_trust_set_load(const char *path, al_trust_set *s, al_err *err)
{
	al_buf b = { 0 };
	al_rc rc;

	memset(s, 0, sizeof(*s));
	if (path == NULL) {
		const al_trust_embedded *e = al_trust_embedded_get();
		bool found = false;

		if ((rc = al_trust_set_load_state(al_trust_state_dir(), s, &found, err)) != AL_OK || found)
			return rc;

		if ((rc = al_trust_set_parse(e->trusted_root, s, err)) != AL_OK)
			return al_err_prefix(err, "%s", e->source);
		s->embedded = true;
		s->source = e->source;
		s->bytes = e->trusted_root;
		return AL_OK;
	}
	/* JSON Lines of AL_MAX_TRUSTED_ROOTS roots, each a document */
	rc = al_read_file(path, (size_t)AL_MAX_JSON_DOC * AL_MAX_TRUSTED_ROOTS, &b, err);
	if (rc == AL_E_LIMIT)
		rc = al_err_recode(err, AL_E_TRUST_INVALID, "trusted root");
	else if (rc == AL_OK && (rc = al_trust_set_parse(al_buf_bytes(&b), s, err)) != AL_OK)
		al_err_prefix(err, "%s", path);
	if (rc != AL_OK) {
		al_buf_free(&b);
		return rc;
	}
	s->source = path;
	s->file = b;
	s->bytes = al_buf_bytes(&s->file);
	return AL_OK;
}

static void
newer(int64_t *t, const al_validity *v)
{
	if (v->has_start && v->start > *t)
		*t = v->start;
}

int64_t
al_trust_root_newest(const al_trust_root *r)
{
	int64_t t = 0;

	for (size_t i = 0; i < r->ntlogs; i++)
		newer(&t, &r->tlogs[i].valid_for);
	for (size_t i = 0; i < r->nctlogs; i++)
		newer(&t, &r->ctlogs[i].valid_for);
	for (size_t i = 0; i < r->ncas; i++)
		newer(&t, &r->cas[i].valid_for);
	for (size_t i = 0; i < r->ntsas; i++)
		newer(&t, &r->tsas[i].valid_for);
	return t;
}

int64_t
al_trust_set_as_of(const al_trust_set *s, const char **basis)
{
	int64_t t = 0;

	if (s->from_state) {
		*basis = "installed by airlock trust update";
		return s->updated;
	}
	for (size_t i = 0; i < s->n; i++) {
		int64_t n = al_trust_root_newest(&s->roots[i]);

		if (n > t)
			t = n;
	}
	*basis = "the newest entry of the trusted root";
	return t;
}
