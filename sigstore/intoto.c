/*
 * intoto.c — in-toto Statements (v0.1 and v1) from DSSE payloads.
 *
 * The statement binds a signature to artifacts by digest: whoever controls
 * the payload controls which digests appear, so the parser is strict about
 * the parts airlock matches on (subject digests for the algorithms it can
 * compute) and lenient, as the in-toto parsing rules require, about fields
 * it does not use. The predicate is kept as parsed JSON for policy checks.
 */
#include <stdlib.h>
#include <string.h>

#include "sigstore/sigstore.h"

#define BF AL_E_BUNDLE_FORMAT
#define SHOW(s) (int)((s).n > 80 ? 80 : (s).n), (const char *)(s).p

static al_rc
parse_digests(const al_json *dset, const char *path, al_intoto_subject *s, al_err *err)
{
	size_t n = 0, i = 0;
	al_rc rc;

	for (const al_json *m = al_json_first(dset); m; m = al_json_next(m))
		n++;
	if (n == 0)
		return al_err_set(err, BF, "%s: empty digest set", path);
	if (n > AL_MAX_SUBJECT_DIGESTS)
		return al_err_set(err, AL_E_LIMIT, "%s: %zu digests, more than the limit of %d", path,
				  n, AL_MAX_SUBJECT_DIGESTS);
	s->digests = calloc(n, sizeof(*s->digests));
	if (s->digests == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (const al_json *m = al_json_first(dset); m; m = al_json_next(m), i++) {
		al_intoto_digest *d = &s->digests[i];
		const char *key = al_json_key(m);
		al_bytes v;
		al_jpath p;

		s->ndigests = i + 1;
		al_jpath_key(&p, path, key);
		if (!al_json_is_str(m))
			return al_err_set(err, BF, "%s: not a string", p.s);
		v = al_json_str_bytes(m);
		if ((rc = al_buf_dup(&d->alg, al_bytes_str(key), err)) != AL_OK ||
		    (rc = al_buf_dup(&d->value, v, err)) != AL_OK)
			return rc;
		/* DigestSet keys airlock computes; others are kept but never
		 * matched ("consumers MUST ignore unrecognized algorithms") */
		d->hash = al_hash_by_name(al_bytes_str(key));
		if (d->hash == AL_HASH_NONE)
			continue;
		if (al_hex_decode(v, d->d, al_hash_len(d->hash), err) != AL_OK)
			return al_err_recode(err, BF, "%s: \"%.*s\" is not a %s digest", p.s, SHOW(v),
					     al_hash_name(d->hash));
	}
	return AL_OK;
}

static al_rc
parse_statement(const al_json *doc, al_intoto_statement *st, al_err *err)
{
	const al_json *subj, *pred;
	al_bytes str;
	size_t n;
	al_rc rc;

	if (!al_json_is_obj(doc))
		return al_err_set(err, BF, "not a JSON object");
	if ((rc = al_json_get_str(doc, "", "_type", true, &str, err)) != AL_OK ||
	    (rc = al_buf_dup(&st->type, str, err)) != AL_OK)
		return rc;
	if (al_bytes_eq_str(al_buf_bytes(&st->type), AL_INTOTO_STATEMENT_V01))
		st->version = 1;
	else if (al_bytes_eq_str(al_buf_bytes(&st->type), AL_INTOTO_STATEMENT_V1))
		st->version = 2;
	else
		return al_err_set(err, BF, "_type: \"%.*s\" is not an in-toto Statement v0.1 or v1",
				  SHOW(al_buf_bytes(&st->type)));
	if ((rc = al_json_get_str(doc, "", "predicateType", true, &str, err)) != AL_OK ||
	    (rc = al_buf_dup(&st->predicate_type, str, err)) != AL_OK)
		return rc;
	if (st->predicate_type.n == 0)
		return al_err_set(err, BF, "predicateType: empty");
	if ((rc = al_json_get_obj(doc, "", "predicate", false, &pred, err)) != AL_OK)
		return rc;
	st->predicate = pred;
	if ((rc = al_json_get_arr(doc, "", "subject", true, &subj, err)) != AL_OK)
		return rc;
	n = al_json_arr_len(subj);
	if (n == 0)
		return al_err_set(err, BF, "subject: empty (the statement binds no artifact)");
	if (n > AL_MAX_INTOTO_SUBJECTS)
		return al_err_set(err, AL_E_LIMIT, "subject: %zu entries, more than the limit of %d", n,
				  AL_MAX_INTOTO_SUBJECTS);
	st->subjects = calloc(n, sizeof(*st->subjects));
	if (st->subjects == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const al_json *s = al_json_arr_at(subj, i), *dset;
		al_intoto_subject *out = &st->subjects[i];
		al_bytes name;
		al_jpath p, pd;

		st->nsubjects = i + 1;
		al_jpath_idx(&p, "subject", i);
		if (!al_json_is_obj(s))
			return al_err_set(err, BF, "%s: not an object", p.s);
		if ((rc = al_json_get_str(s, p.s, "name", false, &name, err)) != AL_OK ||
		    (rc = al_buf_dup(&out->name, name, err)) != AL_OK)
			return rc;
		if ((rc = al_json_get_obj(s, p.s, "digest", true, &dset, err)) != AL_OK)
			return rc;
		al_jpath_key(&pd, p.s, "digest");
		if ((rc = parse_digests(dset, pd.s, out, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

void
al_intoto_free(al_intoto_statement *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; st->subjects && i < st->nsubjects; i++) {
		al_intoto_subject *s = &st->subjects[i];

		for (size_t j = 0; s->digests && j < s->ndigests; j++) {
			al_buf_free(&s->digests[j].alg);
			al_buf_free(&s->digests[j].value);
		}
		free(s->digests);
		al_buf_free(&s->name);
	}
	free(st->subjects);
	al_buf_free(&st->type);
	al_buf_free(&st->predicate_type);
	al_json_free(st->doc);
	memset(st, 0, sizeof(*st));
}

al_rc
al_intoto_parse(al_bytes payload_type, al_bytes payload, al_intoto_statement *st, al_err *err)
{
	al_rc rc;

	memset(st, 0, sizeof(*st));
	if (!al_bytes_eq_str(payload_type, AL_INTOTO_PAYLOAD_TYPE))
		return al_err_set(err, BF, "payloadType \"%.*s\" is not %s", SHOW(payload_type),
				  AL_INTOTO_PAYLOAD_TYPE);
	rc = al_json_parse(payload, &st->doc, err);
	if (rc == AL_OK)
		rc = parse_statement(st->doc, st, err);
	if (rc != AL_OK) {
		al_intoto_free(st);
		if (rc == AL_E_JSON || rc == AL_E_DECODE)
			rc = al_err_recode(err, BF, "in-toto statement");
		else if (rc != AL_E_NOMEM)
			al_err_prefix(err, "in-toto statement");
		return rc;
	}
	return AL_OK;
}

bool
al_intoto_match(const al_intoto_statement *st, al_hash alg, const uint8_t *digest, size_t *subject)
{
	size_t n = al_hash_len(alg);

	if (n == 0 || digest == NULL)
		return false;
	for (size_t i = 0; i < st->nsubjects; i++) {
		const al_intoto_subject *s = &st->subjects[i];

		for (size_t j = 0; j < s->ndigests; j++) {
			if (s->digests[j].hash == alg && al_ct_eq(s->digests[j].d, digest, n)) {
				if (subject)
					*subject = i;
				return true;
			}
		}
	}
	return false;
}
