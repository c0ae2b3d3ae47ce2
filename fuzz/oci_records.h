/*
 * oci_records.h — the input language of fuzz_oci_dir.c and
 * fuzz_oci_classify.c: a small set of files, links and directories, with
 * digests and sizes filled in by the harness (a fuzzer cannot compute
 * SHA-256, so without this every mutated document would fail at its digest).
 *
 * Records are separated by "\n--\n" (at most OREC_MAX). A record is one
 * header line, then its content:
 *
 *   f NAME          a regular file holding the content
 *   d NAME          a directory
 *   l NAME TARGET   a symbolic link to TARGET (any text)
 *   h NAME TARGET   a hard link to the bundle path TARGET
 *   p NAME          a FIFO
 *   o NAME          a regular file in a directory beside the bundle
 *                   ("outside"; fuzz_oci_dir only, where ${O} in a
 *                   TARGET is its absolute path)
 *
 * NAME "=" is blobs/sha256/<hex of the content>, "=512" blobs/sha512/<hex>,
 * "=hex" the bare hex (containers/image dir: blobs). In contents, names and
 * targets, "@N" becomes the digest "<alg>:<hex>" of record N, "%N" the hex
 * alone and "#N" the size of its content, for N (one or two digits) above the
 * record's own number, so there are no cycles; anything else is kept as it
 * is. Records are decoded from the last one back.
 *
 * fuzz/seed_from_layout.py writes a layout directory or a tar in this form.
 */
#ifndef AL_FUZZ_OCI_RECORDS_H
#define AL_FUZZ_OCI_RECORDS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"

#define OREC_UNUSED __attribute__((unused))
#define OREC_MAX 40
#define OREC_MAX_INPUT (256u << 10)

typedef struct orec {
	char type;                 /* f d l h p o */
	al_bytes rname, rtarget;   /* as written */
	al_bytes body;             /* content as written */
	al_buf name, target, content; /* decoded; name and target NUL-terminated */
	al_hash alg;
	char hex[AL_HASH_MAX * 2 + 1];
} orec;

typedef struct orecs {
	orec r[OREC_MAX];
	size_t n;
} orecs;

static void
orec_put(al_buf *b, const void *p, size_t n)
{
	if (al_buf_append(b, p, n, NULL) != AL_OK)
		abort();
}

static void
orec_subst(orecs *rs, size_t k, al_bytes src, const char *outside, al_buf *out)
{
	for (size_t i = 0; i < src.n; i++) {
		uint8_t c = src.p[i];

		if ((c == '@' || c == '%' || c == '#') && i + 1 < src.n && src.p[i + 1] >= '0' && src.p[i + 1] <= '9') {
			size_t n = (size_t)(src.p[i + 1] - '0'), used = 1;

			if (i + 2 < src.n && src.p[i + 2] >= '0' && src.p[i + 2] <= '9') {
				n = n * 10 + (size_t)(src.p[i + 2] - '0');
				used = 2;
			}
			if (n > k && n < rs->n) {
				const orec *r = &rs->r[n];
				char num[32];

				if (c == '@') {
					const char *an = al_hash_name(r->alg);

					orec_put(out, an, strlen(an));
					orec_put(out, ":", 1);
					orec_put(out, r->hex, strlen(r->hex));
				} else if (c == '%') {
					orec_put(out, r->hex, strlen(r->hex));
				} else {
					snprintf(num, sizeof(num), "%zu", r->content.n);
					orec_put(out, num, strlen(num));
				}
				i += used;
				continue;
			}
		}
		if (c == '$' && outside != NULL && src.n - i >= 4 && memcmp(src.p + i, "${O}", 4) == 0) {
			orec_put(out, outside, strlen(outside));
			i += 3;
			continue;
		}
		orec_put(out, &c, 1);
	}
}

/* Splits and decodes; false when the input is not records at all. */
static OREC_UNUSED bool
orecs_parse(const uint8_t *data, size_t size, const char *outside, orecs *rs)
{
	size_t at = 0;

	memset(rs, 0, sizeof(*rs));
	if (size > OREC_MAX_INPUT)
		return false;
	while (rs->n < OREC_MAX && at <= size) {
		const uint8_t *sep = NULL, *nl;
		orec *r = &rs->r[rs->n];
		size_t end, sp1, hend;

		for (size_t i = at; i + 4 <= size; i++)
			if (memcmp(data + i, "\n--\n", 4) == 0) {
				sep = data + i;
				break;
			}
		end = sep ? (size_t)(sep - data) : size;
		nl = memchr(data + at, '\n', end - at);
		hend = nl ? (size_t)(nl - data) : end;
		if (hend - at >= 2 && data[at + 1] == ' ') {
			r->type = (char)data[at];
			sp1 = at + 2;
			while (sp1 < hend && data[sp1] != ' ')
				sp1++;
			r->rname = al_bytes_of(data + at + 2, sp1 - (at + 2));
			r->rtarget = sp1 < hend ? al_bytes_of(data + sp1 + 1, hend - sp1 - 1) : al_bytes_of(NULL, 0);
			r->body = nl ? al_bytes_of(data + hend + 1, end - hend - 1) : al_bytes_of(NULL, 0);
			rs->n++;
		}
		if (sep == NULL)
			break;
		at = end + 4;
	}
	for (size_t k = rs->n; k-- > 0;) {
		orec *r = &rs->r[k];
		al_oci_digest d;
		static const uint8_t nul = 0;

		orec_subst(rs, k, r->body, outside, &r->content);
		r->alg = al_bytes_eq_str(r->rname, "=512") ? AL_HASH_SHA512 : AL_HASH_SHA256;
		al_oci_digest_of(r->alg, al_buf_bytes(&r->content), &d);
		al_hex_encode(d.d, al_hash_len(r->alg), r->hex);
		if (al_bytes_eq_str(r->rname, "=") || al_bytes_eq_str(r->rname, "=512")) {
			const char *an = al_hash_name(r->alg);

			orec_put(&r->name, "blobs/", 6);
			orec_put(&r->name, an, strlen(an));
			orec_put(&r->name, "/", 1);
			orec_put(&r->name, r->hex, strlen(r->hex));
		} else if (al_bytes_eq_str(r->rname, "=hex")) {
			orec_put(&r->name, r->hex, strlen(r->hex));
		} else {
			orec_subst(rs, k, r->rname, outside, &r->name);
		}
		orec_put(&r->name, &nul, 1);
		r->name.n--;
		orec_subst(rs, k, r->rtarget, outside, &r->target);
		orec_put(&r->target, &nul, 1);
		r->target.n--;
	}
	return rs->n > 0;
}

static OREC_UNUSED void
orecs_free(orecs *rs)
{
	for (size_t k = 0; k < OREC_MAX; k++) {
		al_buf_free(&rs->r[k].name);
		al_buf_free(&rs->r[k].target);
		al_buf_free(&rs->r[k].content);
	}
}

/* The content of the first regular file record named name, or NULL p. */
static OREC_UNUSED al_bytes
orecs_file(const orecs *rs, const char *name)
{
	for (size_t k = 0; k < rs->n; k++)
		if (rs->r[k].type == 'f' && strcmp((const char *)rs->r[k].name.p, name) == 0)
			return al_buf_bytes(&rs->r[k].content);
	return al_bytes_of(NULL, 0);
}

#endif
