/*
 * batch_list.c — the LIST of `verify-bundle --batch` (docs/performance.md
 * §6): one bundle a line, BUNDLE<TAB>FILE_OR_DIGEST. A LIST may come from
 * the same medium as the bundles, so it is read as untrusted text: at most
 * AL_MAX_BATCH lines (its size is bounded by whoever reads it,
 * AL_MAX_BATCH_LIST), exactly one tab a line, no NUL byte; a bad line stops
 * the run before anything is verified rather than being skipped, so no
 * bundle is left out of a run that says it verified the list.
 */
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

al_rc
al_batch_list_parse(char *text, size_t len, al_batch_line **out, size_t *nout, al_err *err)
{
	char *p = text, *end = text + len;
	size_t cap = 0, n = 0, lineno = 0;
	al_batch_line *v = NULL;
	al_rc rc;

	*out = NULL;
	*nout = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *tab;

		lineno++;
		if (memchr(p, '\0', (size_t)(e - p)) != NULL) {
			rc = al_err_set(err, AL_E_USAGE, "line %zu holds a NUL byte", lineno);
			goto fail;
		}
		/* text[len] is the caller's NUL: the last line ends there */
		*e = '\0';
		if (e > p && e[-1] == '\r')
			e[-1] = '\0';
		if (*p != '\0' && *p != '#') {
			tab = strchr(p, '\t');
			if (tab == NULL || tab == p || tab[1] == '\0' || strchr(tab + 1, '\t') != NULL) {
				rc = al_err_set(err, AL_E_USAGE, "line %zu: want BUNDLE<TAB>FILE_OR_DIGEST (one tab)",
						lineno);
				goto fail;
			}
			if (n == AL_MAX_BATCH) {
				rc = al_err_set(err, AL_E_USAGE, "more than %d bundles (line %zu)", AL_MAX_BATCH, lineno);
				goto fail;
			}
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				al_batch_line *nv = realloc(v, ncap * sizeof(*v));

				if (nv == NULL) {
					rc = al_err_set(err, AL_E_NOMEM, "out of memory");
					goto fail;
				}
				v = nv;
				cap = ncap;
			}
			*tab = '\0';
			v[n++] = (al_batch_line){ p, tab + 1 };
		}
		p = e + 1;
	}
	if (n == 0) {
		rc = al_err_set(err, AL_E_USAGE,
				"no bundle listed: each line is BUNDLE<TAB>FILE_OR_DIGEST ('#' lines and blank lines are skipped)");
		goto fail;
	}
	*out = v;
	*nout = n;
	return AL_OK;
fail:
	free(v);
	return rc;
}
