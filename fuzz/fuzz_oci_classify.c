/*
 * fuzz_oci_classify.c — the closed world's classification of image bundles
 * (bundle/oci_closed.c: the role of every index.json entry and index child,
 * and why), on bundles built from the records of oci_records.h: up to 40
 * files, directories and links whose digests and sizes the harness fills in,
 * so mutations reach the classification instead of stopping at a digest.
 * The records are packed into a tar held in memory (regular files, dirs,
 * symlinks, hard links and FIFOs as tar entries; "o" records are left out)
 * and opened as `airlock verify` opens a bundle (no missing blobs allowed)
 * and as `airlock inspect` does (AL_OCI_ALLOW_MISSING).
 *
 * Every accepted model must have the properties of oci_props.h (one role per
 * index.json entry with a reason, the cosign lookups return artifacts only,
 * every artifact bound to image content or to a bound artifact); when both
 * opens accept, they must describe the same bundle; every refusal must have a
 * message. The seeds are the forge's layouts (tests/forge), written as
 * records by fuzz/seed_from_layout.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"
#include "oci_props.h"
#include "oci_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "oci_classify property broken: %s\n", what);
	abort();
}

/* One ustar entry; names longer than 99 bytes are split into prefix/name. */
static void
tar_put(al_buf *t, char type, const char *name, const char *link, al_bytes body)
{
	uint8_t h[512];
	unsigned sum = 0;
	size_t nl = strlen(name);
	static const uint8_t zero[512];

	memset(h, 0, sizeof(h));
	if (nl < 100) {
		memcpy(h, name, nl);
	} else {
		const char *cut = NULL;

		for (const char *p = name; *p; p++)
			if (*p == '/' && (size_t)(p - name) <= 155 && strlen(p + 1) < 100)
				cut = p;
		if (cut == NULL) {
			memcpy(h, name, 100); /* truncated: the reader sees another name */
		} else {
			memcpy(h + 345, name, (size_t)(cut - name));
			memcpy(h, cut + 1, strlen(cut + 1));
		}
	}
	memcpy(h + 100, type == '5' ? "0000755" : "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)(type == '0' ? body.n : 0));
	memcpy(h + 136, "00000000000", 11);
	memset(h + 148, ' ', 8);
	h[156] = (uint8_t)type;
	if (link != NULL)
		memcpy(h + 157, link, strnlen(link, 100));
	memcpy(h + 257, "ustar\0" "00", 8);
	for (size_t i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	orec_put(t, h, 512);
	if (type == '0') {
		orec_put(t, body.p, body.n);
		orec_put(t, zero, (512 - body.n % 512) % 512);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static orecs rs;
	static const uint8_t zero[1024];
	al_buf tar = { 0 }, d1 = { 0 }, d2 = { 0 };
	al_oci *o = NULL;
	al_err err;
	al_rc r1, r2;

	if (!orecs_parse(data, size, "/nonexistent-outside", &rs)) {
		orecs_free(&rs);
		return 0;
	}
	for (size_t k = 0; k < rs.n; k++) {
		const orec *r = &rs.r[k];
		const char *name = (const char *)r->name.p, *target = (const char *)r->target.p;

		switch (r->type) {
		case 'f':
			tar_put(&tar, '0', name, NULL, al_buf_bytes(&r->content));
			break;
		case 'd':
			tar_put(&tar, '5', name, NULL, al_bytes_of(NULL, 0));
			break;
		case 'l':
			tar_put(&tar, '2', name, target, al_bytes_of(NULL, 0));
			break;
		case 'h':
			tar_put(&tar, '1', name, target, al_bytes_of(NULL, 0));
			break;
		case 'p':
			tar_put(&tar, '6', name, NULL, al_bytes_of(NULL, 0));
			break;
		default:
			break;
		}
	}
	orec_put(&tar, zero, sizeof(zero));

	/* as verify opens it */
	al_err_clear(&err);
	r1 = al_oci_open_mem(al_buf_bytes(&tar), AL_OCI_NO_THREADS, 0, &o, &err);
	if (r1 == AL_OK) {
		oci_props_check(o, orecs_file(&rs, "index.json"));
		if (o->n_missing != 0)
			fail("an open without AL_OCI_ALLOW_MISSING accepted missing blobs");
		if (al_oci_describe(o, &d1, &err) != AL_OK)
			fail("describe failed");
		al_oci_free(o);
		o = NULL;
	} else if (err.msg[0] == '\0') {
		fail("a refusal without a message");
	}
	/* as inspect opens it */
	al_err_clear(&err);
	r2 = al_oci_open_mem(al_buf_bytes(&tar), AL_OCI_ALLOW_MISSING | AL_OCI_NO_THREADS, 0, &o, &err);
	if (r2 == AL_OK) {
		oci_props_check(o, orecs_file(&rs, "index.json"));
		if (al_oci_describe(o, &d2, &err) != AL_OK)
			fail("describe failed");
		if (r1 == AL_OK && (d1.n != d2.n || memcmp(d1.p, d2.p, d1.n) != 0))
			fail("verify's and inspect's opens describe the same bundle differently");
		al_oci_free(o);
	} else {
		if (err.msg[0] == '\0')
			fail("a refusal without a message");
		if (r1 == AL_OK)
			fail("a bundle accepted without missing blobs is refused when they are allowed");
	}
	orecs_free(&rs);
	al_buf_free(&tar);
	al_buf_free(&d1);
	al_buf_free(&d2);
	return 0;
}
