/*
 * fuzz_policy.c — policy files in every format al_policy_parse tells apart
 * by their top-level keys: airlock's own, containers-policy.json(5) and
 * policy-controller ClusterImagePolicy (policy/).
 *
 * A policy that parses must have a canonical form that airlock's own
 * reader takes back to the very same canonical bytes (abort() otherwise):
 * the form `airlock policy check` prints and a report's policy digest is of
 * must say exactly what was read. Then the rule for a few fixed names and
 * bundle paths is looked up, as verify/ looks it up.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "policy/policy.h"

static volatile uintptr_t sink;

static const char *const names[] = {
	"alpine",
	"docker.io/library/alpine:3.19",
	"example.com/a/b:tag",
	"example.com/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"localhost:5000/x:1",
	"reg.example.com/ns/app",
	"ghcr.io/org/app:v1",
};

static const struct {
	const char *transport, *path;
} paths[] = {
	{ "dir", "/srv/images/app" },
	{ "oci", "/srv/oci:v1" },
	{ "oci-archive", "/tmp/a.tar" },
	{ "docker-archive", "/tmp/d.tar" },
};

static void
lookups(const al_policy *p)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		al_ref r;
		al_pol_subject s = { &r, NULL, NULL };

		if (al_ref_parse(names[i], &r, NULL) != AL_OK)
			abort();
		sink += (uintptr_t)al_policy_rule_for(p, &s);
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		al_pol_subject s = { NULL, paths[i].path, paths[i].transport };

		sink += (uintptr_t)al_policy_rule_for(p, &s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_policy *p = NULL, *q = NULL;
	al_buf a = { 0 }, b = { 0 };
	al_err err;

	al_err_clear(&err);
	if (al_policy_parse(al_bytes_of(data, size), "fuzz", NULL, &p, &err) != AL_OK)
		return 0;
	lookups(p);
	if (al_policy_canonical(p, &a, &err) != AL_OK)
		abort();
	/* a canonical form past the file bound is not read back (the bound is
	 * the reader's, and the form of a file near it may outgrow it) */
	if (a.n <= AL_MAX_POLICY_FILE) {
		if (al_policy_parse(al_buf_bytes(&a), "canonical", NULL, &q, &err) != AL_OK)
			abort();
		if (al_policy_canonical(q, &b, &err) != AL_OK || !al_bytes_eq(al_buf_bytes(&a), al_buf_bytes(&b)))
			abort();
		lookups(q);
	}
	al_policy_free(q);
	al_policy_free(p);
	al_buf_free(&a);
	al_buf_free(&b);
	return 0;
}
