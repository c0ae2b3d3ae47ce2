/*
 * result.c — the result tree's memory and the check recorder. Everything a
 * verification establishes is recorded as it happens, in the order the
 * checks run (docs/verification.md), so the tree is the verdict's evidence
 * rather than a summary written after the fact.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verify/internal.h"

const char *
al_status_name(al_status s)
{
	switch (s) {
	case AL_ST_PASS:
		return "pass";
	case AL_ST_FAIL:
		return "fail";
	case AL_ST_SKIP:
		return "skip";
	case AL_ST_WARN:
		return "warn";
	}
	return "?";
}

void
al_result_free(al_result *r)
{
	if (r == NULL)
		return;
	al_arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

void
al_vb_result_free(al_vb_result *r)
{
	if (r == NULL)
		return;
	al_arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

void *
al_vec_push(al_arena *a, void **v, size_t *n, size_t *cap, size_t size, bool *oom)
{
	uint8_t *p;

	if (*oom)
		return NULL;
	if (*n == *cap) {
		/* the arena cannot grow in place: copy to a doubled array (the old
		 * ones are wasted, together less than the final array). From one:
		 * most lists of a result hold one or two (an image's signature,
		 * a check's evidence), and a bundle may have thousands of images
		 * (docs/performance.md §4) */
		size_t nc = *cap ? *cap * 2 : 1;
		void *nv = al_arena_alloc(a, nc * size, NULL);

		if (nv == NULL) {
			*oom = true;
			return NULL;
		}
		if (*n)
			memcpy(nv, *v, *n * size);
		*v = nv;
		*cap = nc;
	}
	p = (uint8_t *)*v + *n * size;
	(*n)++;
	memset(p, 0, size);
	return p;
}

const char *
al_rec_str(al_rec *r, const char *s)
{
	const char *p;

	if (s == NULL)
		return NULL;
	if ((p = al_arena_intern(r->arena, al_bytes_str(s), NULL)) == NULL)
		r->oom = true;
	return p;
}

const char *
al_rec_printf(al_rec *r, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = al_arena_vprintf(r->arena, NULL, fmt, ap);
	va_end(ap);
	if (p == NULL)
		r->oom = true;
	return p;
}

void
al_rec_check(al_rec *r, const char *name, al_status st, const char *subject, const char *reason, ...)
{
	al_check *c = al_vec_push(r->arena, (void **)&r->v, &r->n, &r->cap, sizeof(*r->v), &r->oom);
	al_evidence *ev = NULL;
	size_t nev = 0, count = 0;
	const char *k;
	va_list ap;

	if (c == NULL)
		return;
	c->name = name; /* check names are string literals */
	c->status = st;
	c->subject = al_rec_str(r, subject);
	c->reason = al_rec_str(r, reason);
	/* counted first, so the evidence array is allocated at its size */
	va_start(ap, reason);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);

		if (v != NULL && v[0] != '\0')
			count++;
	}
	va_end(ap);
	if (count > 0 && (ev = al_arena_alloc(r->arena, count * sizeof(*ev), NULL)) == NULL) {
		r->oom = true;
		return;
	}
	va_start(ap, reason);
	while (nev < count && (k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);

		if (v == NULL || v[0] == '\0')
			continue;
		ev[nev].key = k;
		ev[nev].value = al_rec_str(r, v);
		nev++;
	}
	va_end(ap);
	c->ev = ev;
	c->nev = nev;
}

al_rc
al_rec_rc(al_rec *r, const char *name, const char *subject, al_rc rc, const al_err *err)
{
	if (rc == AL_OK)
		al_rec_check(r, name, AL_ST_PASS, subject, NULL, NULL);
	else
		al_rec_check(r, name, al_rc_is_policy(rc) ? AL_ST_SKIP : AL_ST_FAIL, subject,
			     err && err->msg[0] ? err->msg : "failed", NULL);
	return rc;
}

bool
al_rc_is_policy(al_rc rc)
{
	/* the signature is someone else's, not a broken one of ours */
	return rc == AL_E_VERIFY_IDENTITY || rc == AL_E_VERIFY_POLICY || rc == AL_E_VERIFY_NOTSIGNER;
}
