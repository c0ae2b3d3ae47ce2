/*
 * oci_fold.c — UTF-8 validation and Unicode simple case folding of entry
 * names.
 *
 * Two entries whose names differ only in case become one file on exFAT,
 * NTFS and (default) APFS, where an operator may extract a bundle: which one
 * survives depends on order, so the bundle read here and the bundle loaded
 * there could differ. Stores refuse such pairs; this is the comparison key.
 * The whole of simple folding costs a 1,455-pair table, so it is done in
 * full rather than for a chosen subset of scripts.
 */
#include <stdint.h>
#include <string.h>

#include "bundle/oci_tar.h"

#include "bundle/oci_fold_table.h"

const char *
oci_casefold_unicode(void)
{
	return OCI_FOLD_UNICODE;
}

/* Decodes one code point at s[i..n); 0 on malformed input. */
static size_t
utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool
oci_utf8_valid(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);

		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

static uint32_t
fold_cp(uint32_t cp)
{
	size_t lo = 0, hi = AL_ARRAY_LEN(oci_fold_table);

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (oci_fold_table[mid][0] == cp)
			return oci_fold_table[mid][1];
		if (oci_fold_table[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

size_t
oci_casefold(const char *s, size_t n, char *out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);

		if (k == 0) {
			/* callers validate first; keep the byte so the key stays distinct */
			out[o++] = (char)p[i++];
			continue;
		}
		o += utf8_encode(fold_cp(cp), out + o);
		i += k;
	}
	out[o] = '\0';
	return o;
}
