/*
 * oci_map.c — the containers bundle/ builds with: a string map (paths and
 * digests to indexes) and arrays that grow by doubling.
 */
#include <stdlib.h>
#include <string.h>

#include "bundle/oci_internal.h"

/* ================================================================ string map */

/* Keyed: keys are names and digests from the bundle (al_keyed_hash). */
static uint64_t
key_hash(const char *s)
{
	return al_keyed_hash(al_bytes_str(s));
}

static al_rc
map_grow(oci_map *m, al_err *err)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	const char **keys = calloc(cap, sizeof(*keys));
	size_t *vals = calloc(cap, sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == NULL)
			continue;
		for (j = key_hash(m->keys[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return AL_OK;
}

al_rc
oci_map_put(oci_map *m, const char *key, size_t val, al_err *err)
{
	size_t j;
	al_rc rc;

	/* load factor <= 1/2 keeps probes short */
	if ((m->n + 1) * 2 > m->cap && (rc = map_grow(m, err)) != AL_OK)
		return rc;
	for (j = key_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[j], key) == 0) {
			m->vals[j] = val;
			return AL_OK;
		}
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->n++;
	return AL_OK;
}

bool
oci_map_get(const oci_map *m, const char *key, size_t *val)
{
	if (m->cap == 0)
		return false;
	for (size_t j = key_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[j], key) == 0) {
			*val = m->vals[j];
			return true;
		}
	}
	return false;
}

void
oci_map_free(oci_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ================================================================ growing arrays */

al_rc
oci_grow(void **arr, size_t *cap, size_t n, size_t elem, al_err *err)
{
	void *p;
	size_t c;

	if (n < *cap)
		return AL_OK;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * elem);
	if (p == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	*arr = p;
	*cap = c;
	return AL_OK;
}
