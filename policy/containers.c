/*
 * containers.c — containers-policy.json documents (docs/policy.md). Being written; until then such a
 * file is refused, never half-read.
 */
#include "policy/internal.h"

al_rc
al_policy_read_containers(al_pctx *c, const al_json *doc)
{
	(void)doc;
	return al_pp_fail(c, NULL, "containers-policy.json documents are not read yet");
}
