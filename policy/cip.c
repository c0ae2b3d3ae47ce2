/*
 * cip.c — ClusterImagePolicy documents (docs/policy.md). Being written; until then such a
 * file is refused, never half-read.
 */
#include "policy/internal.h"

al_rc
al_policy_read_cip(al_pctx *c, const al_json *doc)
{
	(void)doc;
	return al_pp_fail(c, NULL, "ClusterImagePolicy documents are not read yet");
}
