/*
 * reader.c — the bounded reader. Every binary parser in airlock reads
 * through it; no other code does pointer arithmetic on untrusted bytes.
 * A failed read poisons the reader and later reads return zero or empty
 * slices, so a parser may read a whole structure and check once.
 */
#include "common/common.h"

static const uint8_t *
take(al_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->n) {
		r->bad = true;
		r->n = 0;
		return NULL;
	}
	p = r->p;
	r->p += n;
	r->n -= n;
	return p;
}

uint8_t
al_rd_u8(al_rd *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

uint16_t
al_rd_be16(al_rd *r)
{
	const uint8_t *p = take(r, 2);

	return p ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

uint32_t
al_rd_be24(al_rd *r)
{
	const uint8_t *p = take(r, 3);

	return p ? ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2] : 0;
}

uint32_t
al_rd_be32(al_rd *r)
{
	const uint8_t *p = take(r, 4);

	return p ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3] : 0;
}

uint64_t
al_rd_be64(al_rd *r)
{
	uint64_t hi = al_rd_be32(r);
	uint64_t lo = al_rd_be32(r);

	return r->bad ? 0 : (hi << 32) | lo;
}

al_bytes
al_rd_take(al_rd *r, size_t n)
{
	const uint8_t *p = take(r, n);

	return p ? al_bytes_of(p, n) : al_bytes_of(NULL, 0);
}

al_bytes
al_rd_take_vec(al_rd *r, unsigned prefix_bytes)
{
	size_t n;

	switch (prefix_bytes) {
	case 1: n = al_rd_u8(r); break;
	case 2: n = al_rd_be16(r); break;
	case 3: n = al_rd_be24(r); break;
	default:
		r->bad = true;
		return al_bytes_of(NULL, 0);
	}
	return al_rd_take(r, n);
}

al_bytes
al_rd_until(al_rd *r, uint8_t delim)
{
	size_t i;
	al_bytes out;

	if (r->bad)
		return al_bytes_of(NULL, 0);
	for (i = 0; i < r->n && r->p[i] != delim; i++)
		;
	if (i == r->n) {
		r->bad = true;
		r->n = 0;
		return al_bytes_of(NULL, 0);
	}
	out = al_rd_take(r, i);
	(void)al_rd_u8(r);
	return out;
}
