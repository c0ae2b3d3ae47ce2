/*
 * utf8.c — the one UTF-8 decoder and encoder, and Go's case fold.
 *
 * JSON input checks, the operator-text escaper, Go's key folding and the
 * archive-name collision check all need to agree on what a code point is:
 * two decoders that differ on one overlong form would let a name pass one
 * check as text and another as different text. So there is one reading of
 * the bytes, here.
 */
#include "common/common.h"
#include "common/fold_table.h"

const char al_fold_unicode[] = AL_FOLD_UNICODE;

size_t
al_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c;
	size_t len;
	uint32_t v, min;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/* Leading bytes 0xC0/0xC1 (always overlong) and 0xF5-0xF7 (always above
	 * U+10FFFF) are let through here: the range check below, which every
	 * length needs anyway, refuses them. */
	if ((c & 0xE0) == 0xC0)
		len = 2, v = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, v = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

size_t
al_utf8_encode(uint32_t cp, uint8_t out[4])
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xC0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xE0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (uint8_t)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (uint8_t)(0xF0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (uint8_t)(0x80 | (cp & 0x3F));
	return 4;
}

bool
al_utf8_valid(al_bytes in, size_t *bad_at)
{
	for (size_t i = 0; i < in.n;) {
		uint32_t cp;
		size_t k = al_utf8_decode(in.p + i, in.n - i, &cp);

		if (k == 0) {
			if (bad_at != NULL)
				*bad_at = i;
			return false;
		}
		i += k;
	}
	return true;
}

uint32_t
al_fold_rune(uint32_t cp)
{
	size_t lo = 0, hi = AL_ARRAY_LEN(fold_pairs);

	/* The table leaves ASCII out: upper case is already the smallest member
	 * of an ASCII letter's class ('K' < 'k' < U+212A), so it is one step. */
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - ('a' - 'A') : cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fold_pairs[mid][0] == cp)
			return fold_pairs[mid][1];
		if (fold_pairs[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}
