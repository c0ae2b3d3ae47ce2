/*
 * render.c — the result tree of `airlock verify` as text for people. Every
 * line is built here from the tree and escaped as one line (al_text_escape),
 * so no tag, annotation, identity or error excerpt can forge another line.
 * The words are the report's; the facts all come from verify/.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct out {
	al_buf *b;
	bool ok;
	/* NULL: every line stays in b. Else b is handed to it whenever it
	 * holds RENDER_CHUNK bytes, so a list of 100,000 images is never one
	 * buffer (docs/performance.md §4.7) */
	bool (*sink)(al_bytes);
} out;

#define RENDER_CHUNK (64u << 10)

static void line(out *o, const char *fmt, ...) AL_PRINTF(2, 3);
static void
line(out *o, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (al_text_escape(o->b, al_bytes_str(buf), sizeof(buf), 0, NULL) != AL_OK ||
	    al_buf_append(o->b, "\n", 1, NULL) != AL_OK)
		o->ok = false;
	if (o->sink != NULL && o->b->n >= RENDER_CHUNK) {
		if (!o->sink(al_buf_bytes(o->b)))
			o->ok = false;
		o->b->n = 0;
	}
}

static const char *
item_kind(al_item_kind k)
{
	return k == AL_ITEM_ATTESTATION ? "attestation" : k == AL_ITEM_REFERRER ? "referrer" : "signature";
}

static void
requirements(out *o, const al_subject *s, const char *indent)
{
	for (size_t i = 0; i < s->noutcomes; i++) {
		const al_outcome_line *l = &s->outcomes[i];

		line(o, "%srequirement %s: %s: %s", indent, l->requirement,
		     l->status == AL_ST_PASS ? "met" : l->status == AL_ST_WARN ? "RELAXED" : "NOT MET", l->detail);
	}
}

static void
subject(out *o, const al_subject *s, const char *indent)
{
	for (size_t i = 0; i < s->nitems; i++) {
		const al_item *it = &s->items[i];

		if (it->kind == AL_ITEM_NOTE) {
			line(o, "%s%s%s", indent, it->status == AL_ST_WARN ? "" : "note: ", it->text);
			continue;
		}
		line(o, "%s%s %s: %s: %s", indent, item_kind(it->kind), it->where,
		     it->status == AL_ST_PASS ? "verified" :
		     it->status == AL_ST_SKIP ? "not accepted by policy" : "FAILED",
		     it->text);
		/* a relaxation that let this one through is said where it happened */
		for (size_t k = 0; k < it->nchecks; k++)
			if (it->checks[k].status == AL_ST_WARN && it->checks[k].reason)
				line(o, "%s  %s", indent, it->checks[k].reason);
	}
	requirements(o, s, indent);
}

static void
image(out *o, const al_image_result *img)
{
	line(o, "image %s%s%s (%s): %s", img->digest, img->ref_name ? " tag " : "", img->ref_name ? img->ref_name : "",
	     img->kind, img->why);
	for (size_t t = 0; t < img->nnames; t++)
		line(o, "  name %s (docker-archive RepoTags)", img->names[t]);
	if (img->rule != NULL)
		line(o, "  policy: rule %s, judged %s%s%s%s%s", img->rule, img->name ? "as " : "without a name",
		     img->name ? img->name : "", img->name_source ? " (from " : "", img->name_source ? img->name_source : "",
		     img->name_source ? ")" : "");
	else if (img->name != NULL)
		line(o, "  policy: no rule; named %s", img->name);
	for (size_t k = 0; k < img->nrelaxed; k++)
		line(o, "  RELAXED (%s): %s", img->relaxed[k],
		     strcmp(img->relaxed[k], "insecure-ignore-tlog") == 0 ? "signatures need no transparency-log entry" :
		     strcmp(img->relaxed[k], "insecure-ignore-sct") == 0 ? "Fulcio certificates need no SCT" :
		     "accepted without a signature");
	subject(o, &img->top, "  ");
	for (size_t k = 0; k < img->nchildren; k++) {
		const al_child *ch = &img->children[k];

		if (!ch->is_image) {
			line(o, "  entry %s: %s; not an image", ch->subject.digest, ch->why);
			continue;
		}
		line(o, "  platform %s %s", ch->platform, ch->subject.digest);
		subject(o, &ch->subject, "    ");
		if (ch->covered)
			line(o, "    covered by the verified signature of the index, which names this manifest by digest");
		else if (ch->status != AL_ST_PASS)
			line(o, "    NOT VERIFIED: %s", ch->subject.found ? "no signature verified" : "no signature");
	}
	if (img->status == AL_ST_PASS)
		line(o, "  result: verified");
	else if (img->status == AL_ST_WARN)
		line(o, "  result: WARN, not verified, accepted by a rule in warn mode (%s)", img->why_not);
	else
		line(o, "  result: NOT VERIFIED (%s)", img->why_not);
}

bool
al_render_text_image(const al_image_result *img, al_buf *b)
{
	out o = { b, true, NULL };

	image(&o, img);
	return o.ok;
}

static void
image_line(out *o, const al_image_result *img)
{
	if (img->status == AL_ST_WARN)
		line(o, "WARN image %s%s%s: %s (rule %s is in warn mode)", img->digest, img->ref_name ? " tag " : "",
		     img->ref_name ? img->ref_name : "", img->why_not ? img->why_not : "not verified",
		     img->rule ? img->rule : "?");
	else if (img->status == AL_ST_FAIL)
		line(o, "FAILED image %s%s%s: %s", img->digest, img->ref_name ? " tag " : "",
		     img->ref_name ? img->ref_name : "", img->why_not ? img->why_not : "not verified");
	else
		line(o, "verified image %s%s%s", img->digest, img->ref_name ? " tag " : "",
		     img->ref_name ? img->ref_name : "");
}

bool
al_render_text_line(const al_image_result *img, al_buf *b)
{
	out o = { b, true, NULL };

	image_line(&o, img);
	return o.ok;
}

static void
artifact(out *o, const al_artifact_entry *a)
{
	line(o, "artifact %s%s%s: %s", a->digest, a->ref_name ? " tag " : "", a->ref_name ? a->ref_name : "", a->why);
}

bool
al_render_text_head(const al_result *r, al_buf *b)
{
	out o = { b, true, NULL };

	if (!r->opened)
		return true;
	line(&o, "bundle %s: %s%s%s", r->bundle_path, r->format, r->compression ? ", archive, compression " : "",
	     r->compression ? r->compression : "");
	if (!r->relaxed_missing) {
		line(&o, "blobs: every referenced blob present, sizes and digests match (%llu bytes hashed)",
		     (unsigned long long)r->bytes_hashed);
	} else {
		line(&o, "RELAXED (--allow-missing-blobs): %zu referenced blobs are absent and were not checked; "
			 "every present blob matches (%llu bytes hashed)", r->nabsent,
		     (unsigned long long)r->bytes_hashed);
		for (size_t i = 0; i < r->nabsent; i++)
			line(&o, "  absent: %s (%s)", r->absent[i].digest, r->absent[i].where);
	}
	for (size_t i = 0; i < r->nextra; i++)
		line(&o, "%s: unreferenced entry %s (%llu bytes)%s", r->strict ? "FAILED (--strict)" : "note",
		     r->extra[i].path, (unsigned long long)r->extra[i].size,
		     r->extra[i].name_mismatch ? ", content does not match its name" : "");
	/* what is in the bundle besides images, and why: before the images'
	 * evidence, so that the lines on every image end the report */
	for (size_t i = 0; r->artifacts != NULL && i < r->nartifacts; i++)
		artifact(&o, &r->artifacts[i]);
	return o.ok;
}

bool
al_render_text_artifact(const al_artifact_entry *a, al_buf *b)
{
	out o = { b, true, NULL };

	artifact(&o, a);
	return o.ok;
}

bool
al_render_text_tail(const al_result *r, al_buf *b, bool (*sink)(al_bytes))
{
	out o = { b, true, sink };

	if (!r->opened)
		return true;
	/* one line per image, failures first, after every image's evidence:
	 * what a terminal shows last, above the verdict */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; r->images != NULL && i < r->nimages; i++)
			if ((r->images[i].status != AL_ST_FAIL) == (pass == 1))
				image_line(&o, &r->images[i]);
	for (size_t i = 0; i < r->ndocker; i++) {
		line(&o, "docker manifest.json[%zu] loads image manifest %s (verified as part of the images above)", i,
		     r->docker[i].digest);
		for (size_t t = 0; t < r->docker[i].nnames; t++)
			line(&o, "  name %s (docker RepoTags)", r->docker[i].names[t]);
	}
	if (r->nimages == 0)
		return o.ok;
	{
		char na[96] = "";

		if (r->not_accepted)
			snprintf(na, sizeof(na), ", %zu not accepted by policy (another signer)", r->not_accepted);
		line(&o, "summary: %zu image%s (%zu platform manifests), %zu artifact entr%s, %zu signatures/attestations "
			 "found, %zu verified, %zu failed%s",
		     r->nimages, r->nimages == 1 ? "" : "s", r->platforms, r->nartifacts,
		     r->nartifacts == 1 ? "y" : "ies", r->found, r->verified, r->failed, na);
	}
	/* a --trusted-root FILE line keeps its format; the embedded root's source
	 * names the package and TUF root version it came from */
	if (r->trusted_root_path && r->trusted_roots > 1)
		line(&o, "trusted root: %s sha256:%s (JSON Lines, %zu roots; each signature names the one that "
			 "verified it)", r->trusted_root_path, r->trusted_root_sha256, r->trusted_roots);
	else if (r->trusted_root_path)
		line(&o, "trusted root: %s sha256:%s", r->trusted_root_path, r->trusted_root_sha256);
	if (r->trusted_root_path && r->trust_age[0])
		line(&o, "trust material: %s", r->trust_age);
	if (r->policy_source && strcmp(r->policy_source, r->policy_format) == 0)
		line(&o, "policy: %s sha256:%s", r->policy_source, r->policy_sha256);
	else if (r->policy_source)
		line(&o, "policy: %s (%s) sha256:%s", r->policy_source, r->policy_format, r->policy_sha256);
	return o.ok;
}

bool
al_render_text(const al_result *r, al_buf *b)
{
	bool ok = al_render_text_head(r, b);

	for (size_t i = 0; r->opened && i < r->nimages; i++)
		ok = al_render_text_image(&r->images[i], b) && ok;
	return al_render_text_tail(r, b, NULL) && ok;
}

static void
explain_subject(out *o, const al_subject *s, const char *indent)
{
	size_t other = 0;

	for (size_t i = 0; i < s->nitems; i++) {
		if (s->items[i].kind == AL_ITEM_NOTE)
			continue;
		if (s->items[i].status == AL_ST_PASS)
			line(o, "%s%s meets %s", indent, s->items[i].where, s->items[i].authority ? s->items[i].authority : "?");
		other += s->items[i].status != AL_ST_PASS;
	}
	if (other)
		line(o, "%s%zu signature%s met no authority (see 'airlock verify' for each one's checks)", indent, other,
		     other == 1 ? "" : "s");
	requirements(o, s, indent);
}

bool
al_render_explain(const al_result *r, al_buf *b)
{
	out o = { b, true, NULL };

	if (r->policy_source)
		line(&o, "policy %s (%s) sha256:%s", r->policy_source, r->policy_format, r->policy_sha256);
	for (size_t i = 0; i < r->nimages; i++) {
		const al_image_result *img = &r->images[i];

		line(&o, "image %s%s%s", img->digest, img->ref_name ? " tag " : "", img->ref_name ? img->ref_name : "");
		if (img->name)
			line(&o, "  name: %s (from %s)", img->name, img->name_source ? img->name_source : "?");
		else
			line(&o, "  name: none (only a default or path rule can apply)");
		line(&o, "  rule: %s", img->rule ? img->rule : "none");
		for (size_t k = 0; k < img->nrelaxed; k++)
			line(&o, "  RELAXED (%s)", img->relaxed[k]);
		explain_subject(&o, &img->top, "  ");
		for (size_t k = 0; k < img->nchildren; k++) {
			const al_child *ch = &img->children[k];

			if (!ch->is_image)
				continue;
			line(&o, "  platform %s %s%s", ch->platform, ch->subject.digest,
			     ch->covered ? ": covered by the index's signatures" : "");
			if (!ch->covered)
				explain_subject(&o, &ch->subject, "    ");
		}
		line(&o, "  result: %s%s%s%s", img->status == AL_ST_PASS ? "meets the rule" :
					      img->status == AL_ST_WARN ? "WARN (warn mode): does not meet the rule" :
									    "does NOT meet the rule",
		     img->why_not ? " (" : "", img->why_not ? img->why_not : "", img->why_not ? ")" : "");
	}
	return o.ok;
}
