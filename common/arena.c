/*
 * arena.c — many small allocations freed in one call: the bundle model and
 * the verification result tree live in one arena each, so no parser or
 * report has to track the lifetime of its strings one by one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

struct al_chunk {
	struct al_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define AL_ARENA_CHUNK (64u << 10)

/* n bytes at an offset that is a multiple of align (a power of two, at
 * most that of max_align_t). Strings take align 1: rounding each to the
 * size of max_align_t (32 bytes here) cost a large model ~20% of its names
 * and texts (docs/performance.md §4.9). */
static void *
arena_get(al_arena *a, size_t n, size_t align, al_err *err)
{
	struct al_chunk *c = a->head;
	size_t off = 0;
	void *p;

	if (n > SIZE_MAX - _Alignof(max_align_t)) {
		al_err_set(err, AL_E_NOMEM, "out of memory");
		return NULL;
	}
	if (c != NULL)
		off = (c->used + align - 1) & ~(align - 1);
	if (c == NULL || off > c->cap || c->cap - off < n) {
		size_t cap = n > AL_ARENA_CHUNK ? n : AL_ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (c == NULL) {
			al_err_set(err, AL_E_NOMEM, "out of memory");
			return NULL;
		}
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
		off = 0;
	}
	p = (uint8_t *)c->data + off;
	c->used = off + n;
	memset(p, 0, n);
	return p;
}

/* What arena memory holds (structs of pointers, sizes, digests; no long
 * double, no 128-bit integer) needs no more than 8: max_align_t's 16 cost
 * a large model's nodes 8 bytes each (docs/performance.md §4.9). */
#define ARENA_ALIGN 8
_Static_assert(_Alignof(void *) <= ARENA_ALIGN && _Alignof(uint64_t) <= ARENA_ALIGN &&
		       _Alignof(double) <= ARENA_ALIGN && _Alignof(size_t) <= ARENA_ALIGN,
	       "arena memory is aligned for what it holds");

void *
al_arena_alloc(al_arena *a, size_t n, al_err *err)
{
	return arena_get(a, n, ARENA_ALIGN, err);
}

char *
al_arena_strdup(al_arena *a, al_bytes s, al_err *err)
{
	/* s.n + 1 cannot wrap: s is in memory, and arena_get bounds it */
	char *p = arena_get(a, s.n + 1, 1, err);

	if (p != NULL && s.n > 0)
		memcpy(p, s.p, s.n);
	return p;
}

char *
al_arena_vprintf(al_arena *a, al_err *err, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		al_err_set(err, AL_E_INTERNAL, "format error");
		return NULL;
	}
	p = arena_get(a, (size_t)n + 1, 1, err);
	if (p != NULL)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
al_arena_printf(al_arena *a, al_err *err, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = al_arena_vprintf(a, err, fmt, ap);
	va_end(ap);
	return p;
}

/* A direct-mapped cache of recent copies, by a hash of their bytes: a
 * slot keeps the last string placed there, so it never grows, and a miss
 * costs a copy, as al_arena_strdup does. Long strings are rarely repeated
 * (certificates, payloads) and are not looked up. */
#define AL_ARENA_RECENT     256
#define AL_ARENA_RECENT_MAX 160

const char *
al_arena_intern(al_arena *a, al_bytes s, al_err *err)
{
	const char **slot;
	char *p;

	if (s.n > AL_ARENA_RECENT_MAX || (s.n > 0 && memchr(s.p, '\0', s.n) != NULL))
		return al_arena_strdup(a, s, err);
	if (a->recent == NULL &&
	    (a->recent = al_arena_alloc(a, AL_ARENA_RECENT * sizeof(*a->recent), err)) == NULL)
		return NULL;
	slot = &a->recent[al_keyed_hash(s) % AL_ARENA_RECENT];
	if (*slot != NULL && strlen(*slot) == s.n && memcmp(*slot, s.p, s.n) == 0)
		return *slot;
	if ((p = al_arena_strdup(a, s, err)) != NULL)
		*slot = p;
	return p;
}

void
al_arena_free(al_arena *a)
{
	struct al_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->recent = NULL;
}

