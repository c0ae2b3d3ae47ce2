/*
 * oci_fold.c — UTF-8 validation and case-insensitive comparison keys of
 * entry names.
 *
 * Two entries whose names differ only in case become one file on exFAT,
 * NTFS and (default) APFS, where an operator may extract a bundle: which one
 * survives depends on order, so the bundle read here and the bundle loaded
 * there could differ. Stores refuse such pairs; this is the comparison key.
 * The key is common's Go fold (al_fold_rune), whose table covers the whole
 * of Unicode simple folding: a collision check only needs "same folding
 * class, same key", and one table for both keeps JSON keys and file names
 * from ever disagreeing on which letters are one.
 */
#include <stdint.h>
#include <string.h>

#include "bundle/oci_tar.h"

const char *
oci_casefold_unicode(void)
{
	return al_fold_unicode;
}

bool
oci_utf8_valid(const char *s, size_t n)
{
	return al_utf8_valid(al_bytes_of(s, n), NULL);
}

size_t
oci_casefold(const char *s, size_t n, char *out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = al_utf8_decode(p + i, n - i, &cp);

		if (k == 0) {
			/* callers validate first; keep the byte so the key stays distinct */
			out[o++] = (char)p[i++];
			continue;
		}
		o += al_utf8_encode(al_fold_rune(cp), (uint8_t *)out + o);
		i += k;
	}
	out[o] = '\0';
	return o;
}
