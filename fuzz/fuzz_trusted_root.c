/*
 * fuzz_trusted_root.c — trusted_root.json (al_trust_root_parse) and the
 * RFC 3339 time parser.
 *
 * A root that parses is walked the way verify/ walks it: every log looked
 * up by its own ID and by a truncated one, CAs and TSAs iterated at the
 * bounds of their windows. The input is also fed to the time parser as a
 * string, and its result formatted back.
 */
#include <stddef.h>
#include <stdint.h>

#include "trust-roots/trust.h"

static volatile uintptr_t sink;

static void
walk(const al_trust_root *r)
{
	for (size_t i = 0; i < r->ntlogs + r->nctlogs; i++) {
		const al_trust_log *l = i < r->ntlogs ? &r->tlogs[i] : &r->ctlogs[i - r->ntlogs];
		al_bytes id = al_buf_bytes(&l->log_id);

		sink += (uintptr_t)al_trust_tlog_by_id(r, id);
		sink += (uintptr_t)al_trust_ctlog_by_id(r, id);
		sink += (uintptr_t)al_trust_tlog_by_id(r, al_bytes_of(id.p, id.n / 2));
		sink += al_validity_contains(&l->valid_for, l->valid_for.start);
		sink += l->host.n + l->key.kind;
	}
	for (size_t i = 0; i < r->ncas + r->ntsas; i++) {
		const al_trust_ca *c = i < r->ncas ? &r->cas[i] : &r->tsas[i - r->ncas];
		int64_t ts[3] = { c->valid_for.start, c->valid_for.end, 0 };

		for (int k = 0; k < 3; k++) {
			size_t pos = 0;

			while (al_trust_ca_at(r, ts[k], &pos) != NULL)
				sink++;
			pos = 0;
			while (al_trust_tsa_at(r, ts[k], &pos) != NULL)
				sink++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_trust_root r;
	al_err err;
	int64_t sec;
	uint32_t ns;
	char out[21];

	al_err_clear(&err);
	if (al_trust_root_parse(al_bytes_of(data, size), &r, &err) == AL_OK)
		walk(&r);
	al_trust_root_free(&r);
	if (al_rfc3339_parse(al_bytes_of(data, size), &sec, &ns, &err) == AL_OK) {
		al_rfc3339_format(sec, out);
		sink += (uintptr_t)out[0] + ns;
	}
	return 0;
}
