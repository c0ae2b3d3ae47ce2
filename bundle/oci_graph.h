/*
 * oci_graph.h — shared between the files that build the image graph only
 * (not a public header): the graph walk (oci_graph.c), descriptor and
 * document parsing (oci_doc.c), blob proving (oci_prove.c), and the format
 * readers (oci_layout.c, oci_docker.c, oci_dir.c).
 *
 * A reader turns its format's top-level documents into al_oci_ref entries
 * and hands every manifest or index to oci_load_node, which proves it
 * against its descriptor, parses it, and walks what it names: nested
 * documents are loaded at once, plain blobs (config, layers) are queued and
 * proven together at the end of oci_build.
 */
#ifndef AL_OCI_GRAPH_H
#define AL_OCI_GRAPH_H

#include "bundle/oci_internal.h"

typedef struct gnode {
	al_oci_node pub;            /* first: an al_oci_node * is a gnode * */
	/* where it was first reached from, for messages (oci_check_where):
	 * manifests[up_idx] of up (up_index), or of index.json (up NULL,
	 * up_index); !up_index: a top-level manifest or an orphan */
	const struct gnode *up;
	uint32_t up_idx;
	/* 1 + the index of the store entry it was read from (0: not read from
	 * one): where al_oci_node_blobs reads it again */
	uint32_t entry;
	bool up_index;
	bool busy;                  /* on the current walk path: a cycle if met again */
} gnode;
/* A gnode per node of a large index: what it costs is the model's
 * (docs/performance.md §4.9). */
_Static_assert(sizeof(gnode) <= 120, "a node stays small");
_Static_assert(sizeof(al_oci_ref) <= 176 && AL_MAX_REPO_TAGS <= UINT16_MAX, "a ref stays small");
_Static_assert(AL_MAX_MANIFEST < UINT32_MAX && AL_MAX_INDEX_ENTRIES < UINT32_MAX && AL_MAX_LAYERS < UINT32_MAX &&
		       AL_MAX_INDEX_DEPTH < UINT16_MAX,
	       "a node's sizes and counts fit its 32- and 16-bit fields");

/* DOCKER nodes: their config and layers, made from docker's manifest.json
 * and the config (there is no manifest to read them again from). */
typedef struct dnode {
	gnode g;                    /* first: a DOCKER node's gnode * is a dnode * */
	const al_oci_desc *config;
	const al_oci_desc *layers;
} dnode;

typedef struct gctx {
	al_oci *o;
	struct al_oci_priv *p;
	/* where parsed descriptors and their strings go: the model's arena, or
	 * one that outlives them less (a manifest's config and layers are
	 * parsed, queued for proof and dropped: al_oci_node_blobs) */
	al_arena *arena;
	oci_store *s;
	al_err *err;
	bool in_orphan;
	/* where the node oci_load_node is about to load is reached from
	 * (gnode.up, up_field, up_idx): set by its caller */
	const gnode *link_up;
	const char *link_field;
	size_t link_idx;
	oci_map layer_checks;       /* docker-archive: layer file path -> index in p->checks */
	/* "where" texts for messages that a check keeps (docker-archive layers,
	 * orphans): needed until the blobs are proven, then freed with the
	 * check list. The graph's own are built on the stack as it is walked
	 * (oci_child_where) and a check names its manifest instead
	 * (oci_check.parent); oci_add_missing copies the ones the model lists */
	al_arena where;
} gctx;

/* ---------------------------------------------------------------- documents (oci_doc.c) */

bool oci_is_index_mt(const char *mt);
bool oci_is_manifest_mt(const char *mt);
/* A document that does not parse is a malformed bundle; limits stay limits. */
al_rc oci_doc_fail(al_err *err, const char *what) AL_MUST_USE;
/* al_json_check_fields, and a refused key's message also shows what a Go
 * consumer would take from it (Go matches keys without regard to case). */
al_rc oci_fields_check(const al_json *obj, const char *path, const char *const *fields, al_err *err) AL_MUST_USE;
/* A JSON integer that is a number, not a string (OCI sizes are numbers). */
al_rc oci_get_num(const al_json *obj, const char *path, const char *key, bool required, int64_t *out,
		  bool *present, al_err *err) AL_MUST_USE;
/* A string member as an arena copy (NULL when absent and not required). */
al_rc oci_get_cstr(gctx *g, const al_json *obj, const char *path, const char *key, bool required,
		   const char **out) AL_MUST_USE;
/* obj's annotations (all strings), into g->arena. */
al_rc oci_parse_annotations(gctx *g, const al_json *obj, const char *path, const al_oci_kv **kv,
			    size_t *n) AL_MUST_USE;
/* One descriptor, and an array of at most max of them (path names it),
 * into g->arena. Counted against AL_MAX_BLOBS when g->p is not NULL. */
al_rc oci_parse_desc(gctx *g, const al_json *d, const char *path, al_oci_desc *out) AL_MUST_USE;
al_rc oci_parse_desc_array(gctx *g, const al_json *arr, const char *path, size_t max, al_oci_desc **out,
			   size_t *n) AL_MUST_USE;
/* A manifest's config and layers, parsed from its JSON j (where names it)
 * into g->arena: the one reading of both, when the model is built and
 * when al_oci_node_blobs reads them again. */
al_rc oci_parse_blobs(gctx *g, const al_json *j, const char *where, al_oci_desc **config, al_oci_desc **layers,
		      size_t *n_layers) AL_MUST_USE;
/* A manifest's or index's own schemaVersion and mediaType (mt: the
 * descriptor's), and that it cannot be read as the other kind. */
al_rc oci_check_doc_kind(gctx *g, const al_json *j, const char *mt, bool index, const char *where) AL_MUST_USE;
/* Reads a top-level file of the bundle (<= max bytes) and parses it. */
al_rc oci_read_doc(gctx *g, const char *path, size_t max, al_buf *out, al_json **j) AL_MUST_USE;
/* The same, with the array of top-level member key left to be read an
 * element at a time (al_json_parse_elems: index.json's "manifests", so a
 * large index is never one tree). */
al_rc oci_read_doc_elems(gctx *g, const char *path, size_t max, al_buf *out, const char *key, al_json **j,
			 al_json_elems *v) AL_MUST_USE;

/* ---------------------------------------------------------------- blobs (oci_prove.c) */

/* Where a manifest of this digest lives in the bundle (oci_blob_path but
 * for dir:, which names manifests <hex>.manifest.json). */
void oci_manifest_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap);
/* Records a blob the bundle lacks (once per digest). */
al_rc oci_add_missing(gctx *g, const al_oci_desc *d, const char *where) AL_MUST_USE;
/* Marks e part of the graph and queues the check that it hashes to want
 * (kept by address: in the model's arena, it outlives the list). */
al_rc oci_queue_check(gctx *g, oci_entry *e, const al_oci_digest *want, const char *where) AL_MUST_USE;
/* A plain blob (config, layer, unknown media type): its size checked now,
 * its digest queued; a missing one is recorded. */
/* where: for messages now; parent, field and idx: for one later (oci_check) */
al_rc oci_want_blob(gctx *g, al_oci_desc *d, const char *where, const al_oci_node *parent, const char *field,
		    size_t idx) AL_MUST_USE;
/* Reads a document entry and proves it against d (size and digest). */
al_rc oci_read_proven(gctx *g, oci_entry *e, const al_oci_desc *d, const char *where, al_buf *out) AL_MUST_USE;

/* ---------------------------------------------------------------- the walk (oci_graph.c) */

/* Loads the manifest or index d names (entry e, or found by digest), and
 * everything below it. A missing document is recorded, not an error. */
al_rc oci_load_node(gctx *g, al_oci_desc *d, oci_entry *e, const char *where, unsigned depth,
		    const al_oci_node **out) AL_MUST_USE;
/* The node with this digest, or NULL. */
gnode *oci_find_node(gctx *g, const al_oci_digest *d);
al_rc oci_add_node(gctx *g, gnode *n) AL_MUST_USE;
/* A new top-level entry, zeroed. */
/* Room for n refs at once (index.json's entries: doubling would leave up to
 * half of it unused). */
al_rc oci_reserve_refs(gctx *g, size_t n) AL_MUST_USE;
al_rc oci_add_ref(gctx *g, al_oci_ref **out) AL_MUST_USE;
/* "where > field[i] (digest)" for messages (i == (size_t)-1: no index),
 * into out (OCI_WHERE_MAX bytes: a deep chain is cut, never overflows). */
#define OCI_WHERE_MAX 1024
const char *oci_child_where(char *out, const char *where, const char *field, size_t i, const al_oci_digest *d);
/* An index entry must be a manifest or an index (closed world). */
al_rc oci_index_child_type(gctx *g, const al_oci_desc *d, const char *where) AL_MUST_USE;

/* ---------------------------------------------------------------- format readers */

al_rc oci_load_layout(gctx *g) AL_MUST_USE;                  /* oci_layout.c */
al_rc oci_load_containers_dir(gctx *g) AL_MUST_USE;          /* oci_dir.c */
al_rc oci_load_docker(gctx *g, al_json *mj) AL_MUST_USE;     /* oci_docker.c: mj is manifest.json */
/* Every symbolic link of a docker-archive resolves safely, used or not. */
al_rc oci_docker_links(gctx *g) AL_MUST_USE;

#endif
