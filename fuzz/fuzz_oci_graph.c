/*
 * fuzz_oci_graph.c — the image graph and the closed world: sets of
 * index/manifest/descriptor documents → the set of images that must verify.
 *
 * The input is a small template language so that the fuzzer can build graphs
 * whose digests match (it cannot compute SHA-256 itself): parts separated by
 * "\n--\n"; part 0 is index.json, parts 1..9 are blobs stored under their
 * sha256; a part that starts with "M:" is docker's manifest.json instead.
 * In a part, "@N" becomes "sha256:<hex of part N>", "%N" the hex alone and
 * "#N" the size of part N, for N greater than the part's own number (so there are no cycles). The
 * parts are packed into a tar with an oci-layout and opened in memory.
 *
 * Besides "no crash", it asserts the closed world's invariants on every
 * accepted bundle: every entry has a role and a reason; an artifact is a
 * manifest with layers (a referrers index: an index) bound to a subject; every
 * child of an index has a role; every docker manifest.json entry loads an OCI
 * manifest; and the description is the same when read twice. It also checks
 * the classification properties of oci_props.h: one role per index.json
 * entry, cosign lookups that return artifacts only, every artifact bound to
 * image content or to a bound artifact.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"
#include "oci_props.h"

#define NPARTS 10

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct part {
	const uint8_t *p;
	size_t n;
	al_buf out;             /* after substitution */
	char digest[AL_OCI_DIGEST_STR_MAX];
} part;

static void
put(al_buf *b, const void *p, size_t n)
{
	if (al_buf_append(b, p, n, NULL) != AL_OK)
		abort();
}

static void
tar_put(al_buf *t, const char *name, al_bytes body)
{
	uint8_t h[512];
	unsigned sum = 0;
	static const uint8_t zero[512];

	memset(h, 0, sizeof(h));
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)body.n);
	memcpy(h + 136, "00000000000", 11);
	memset(h + 148, ' ', 8);
	h[156] = '0';
	memcpy(h + 257, "ustar\0" "00", 8);
	for (size_t i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	put(t, h, 512);
	put(t, body.p, body.n);
	put(t, zero, (512 - body.n % 512) % 512);
}

static void
check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "closed-world invariant broken: %s\n", what);
		abort();
	}
}

static void
invariants(const al_oci *o)
{
	for (size_t i = 0; i < o->n_refs; i++) {
		const al_oci_ref *r = &o->refs[i];
		const al_oci_node *n = r->desc.node;

		check(r->why != NULL, "an entry without a reason");
		check(r->role >= AL_OCI_ROLE_IMAGE && r->role <= AL_OCI_ROLE_REFERRERS_INDEX, "an entry without a role");
		if (r->role == AL_OCI_ROLE_IMAGE)
			continue;
		check(r->subject != NULL, "an artifact bound to nothing");
		check(n != NULL, "an artifact whose manifest is absent");
		if (r->role == AL_OCI_ROLE_REFERRERS_INDEX) {
			check(n->kind == AL_OCI_NODE_INDEX, "a referrers index that is not an index");
			continue;
		}
		check(n->kind == AL_OCI_NODE_MANIFEST && n->n_layers > 0, "an artifact that is not a manifest with layers");
		{
			al_arena a = { 0 };
			al_oci_blobs bl;
			al_err err;

			check(al_oci_node_blobs(o, n, &a, &bl, &err) == AL_OK, "an artifact manifest not readable again");
			for (size_t l = 0; l < bl.n_layers; l++)
				check(bl.layers[l].present, "an artifact layer not proven");
			al_arena_free(&a);
		}
		check(r->ref_name == NULL || strstr(r->ref_name, "sha256-") || strstr(r->ref_name, "sha512-"),
		      "an artifact with a name a consumer loads it by");
	}
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];

		for (size_t k = 0; k < n->n_manifests; k++)
			check(n->manifests[k].why != NULL && n->manifests[k].role != 0, "an index child without a role");
	}
	for (size_t i = 0; i < o->n_docker; i++)
		check(o->docker[i].node != NULL && o->docker[i].node->kind == AL_OCI_NODE_MANIFEST,
		      "a docker manifest.json entry matched to nothing");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	part parts[NPARTS];
	size_t np = 0, at = 0;
	al_buf tar = { 0 }, d1 = { 0 }, d2 = { 0 };
	static const uint8_t zero[1024];
	al_oci *o = NULL;
	al_err err;

	memset(parts, 0, sizeof(parts));
	if (size > (1u << 20))
		return 0;
	while (np < NPARTS) {
		const uint8_t *sep = NULL;

		for (size_t i = at; i + 4 <= size; i++)
			if (memcmp(data + i, "\n--\n", 4) == 0) {
				sep = data + i;
				break;
			}
		parts[np].p = data + at;
		parts[np].n = (sep ? (size_t)(sep - data) : size) - at;
		np++;
		if (sep == NULL)
			break;
		at = (size_t)(sep - data) + 4;
	}
	/* substitute from the last part back, so references are resolved */
	for (size_t k = np; k-- > 0;) {
		part *pt = &parts[k];
		al_oci_digest d;

		for (size_t i = 0; i < pt->n; i++) {
			uint8_t c = pt->p[i];
			size_t ref;

			if ((c == '@' || c == '#' || c == '%') && i + 1 < pt->n && pt->p[i + 1] >= '0' && pt->p[i + 1] <= '9' &&
			    (ref = (size_t)(pt->p[i + 1] - '0')) > k && ref < np) {
				if (c == '@')
					put(&pt->out, parts[ref].digest, strlen(parts[ref].digest));
				else if (c == '%')
					put(&pt->out, parts[ref].digest + 7, strlen(parts[ref].digest + 7));
				else {
					char num[24];

					snprintf(num, sizeof(num), "%zu", parts[ref].out.n);
					put(&pt->out, num, strlen(num));
				}
				i++;
				continue;
			}
			put(&pt->out, &c, 1);
		}
		al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(&pt->out), &d);
		al_oci_digest_str(&d, pt->digest);
	}
	tar_put(&tar, "oci-layout", al_bytes_str("{\"imageLayoutVersion\":\"1.0.0\"}"));
	tar_put(&tar, "index.json", al_buf_bytes(&parts[0].out));
	for (size_t k = 1; k < np; k++) {
		char name[160];
		al_bytes b = al_buf_bytes(&parts[k].out);

		if (b.n >= 2 && memcmp(b.p, "M:", 2) == 0) {
			tar_put(&tar, "manifest.json", al_bytes_of(b.p + 2, b.n - 2));
			continue;
		}
		snprintf(name, sizeof(name), "blobs/sha256/%s", parts[k].digest + 7);
		tar_put(&tar, name, b);
	}
	put(&tar, zero, sizeof(zero));
	al_err_clear(&err);
	if (al_oci_open_mem(al_buf_bytes(&tar), AL_OCI_NO_THREADS, 0, &o, &err) == AL_OK) {
		invariants(o);
		oci_props_check(o, al_buf_bytes(&parts[0].out));
		check(al_oci_describe(o, &d1, &err) == AL_OK, "describe failed");
		al_oci_free(o);
		o = NULL;
		check(al_oci_open_mem(al_buf_bytes(&tar), AL_OCI_NO_THREADS, 0, &o, &err) == AL_OK, "second open failed");
		check(al_oci_describe(o, &d2, &err) == AL_OK && d1.n == d2.n && memcmp(d1.p, d2.p, d1.n) == 0,
		      "two readings differ");
		al_oci_free(o);
	} else {
		check(err.msg[0] != '\0', "a refusal without a message");
	}
	for (size_t k = 0; k < np; k++)
		al_buf_free(&parts[k].out);
	al_buf_free(&tar);
	al_buf_free(&d1);
	al_buf_free(&d2);
	return 0;
}
