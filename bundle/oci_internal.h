/*
 * oci_internal.h — shared between bundle/oci_*.c only (not a public header).
 *
 * A bundle is read through a "store": the set of files it holds, by
 * normalised relative path. A directory store reads files on demand; an
 * archive store is filled in one streaming pass that hashes every entry and
 * keeps the small ones. The graph code (oci_graph.c and the files of
 * oci_graph.h) asks the store for documents and for proof that a blob has a
 * given size and digest, without knowing which kind of store it talks to.
 */
#ifndef AL_OCI_INTERNAL_H
#define AL_OCI_INTERNAL_H

#include "bundle/bundle.h"

/* ---------------------------------------------------------------- containers (oci_map.c) */

/* Open addressing, string keys owned by the caller, values are indexes. */
typedef struct oci_map {
	const char **keys;
	size_t *vals;
	size_t cap, n;
} oci_map;

al_rc oci_map_put(oci_map *m, const char *key, size_t val, al_err *err) AL_MUST_USE;
bool oci_map_get(const oci_map *m, const char *key, size_t *val);
void oci_map_free(oci_map *m);

/* Makes room for element n of *arr (capacity *cap, elements of elem bytes),
 * doubling the capacity when it is full. */
al_rc oci_grow(void **arr, size_t *cap, size_t n, size_t elem, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- threads and progress (oci_hashq.c) */

/* Progress of one al_oci_open for its caller's display. hashed is added to
 * by every hashing thread (atomically); everything else, and the calls to
 * fn, belong to the calling thread. */
typedef struct oci_progress {
	void (*fn)(void *ctx, const al_oci_progress *p);
	void *ctx;
	uint64_t hashed;
	uint64_t total;             /* bytes to hash, when known */
	uint64_t read_total;        /* bytes of the archive, when known */
	uint64_t next_ns;           /* when fn may be called next */
} oci_progress;

/* All accept NULL (no display). start: before the first tick. add: bytes
 * hashed, from any thread. tick: calls fn with read (archive bytes read)
 * and entry (the one being read or hashed) when it is time to redraw: a
 * clock read otherwise, cheap enough for every buffer. */
void oci_progress_start(oci_progress *p);
void oci_progress_add(oci_progress *p, uint64_t n);
void oci_progress_tick(oci_progress *p, uint64_t read, const char *entry);

/* Hashing an archive's entries, and the archive itself, on other threads
 * than the one reading it. The reading thread, per stream: begin (the tag
 * names it to the sink; stream: the archive's own bytes, on a thread of
 * their own and not counted as blob bytes) gives a job; buf gives a buffer
 * of AL_HASHQ_BUF bytes (b names it) and put queues what was written there
 * to a job, last on its final piece (possibly empty). Every digest is handed
 * to the sink on the reading thread, within begin or drain, in no
 * particular order. drain waits for every job and ends the threads; free
 * ends them too (dropping what is queued: after a failure) and frees the
 * queue. threads: the threads for entries (0: put hashes on the calling
 * thread, the stream too). */
typedef struct oci_hashq oci_hashq;
typedef void oci_hashq_sink(void *ctx, size_t tag, const uint8_t digest[AL_HASH_MAX]);
al_rc oci_hashq_new(oci_hashq **q, unsigned threads, oci_progress *progress, oci_hashq_sink *sink, void *sink_ctx,
		    al_err *err) AL_MUST_USE;
unsigned oci_hashq_begin(oci_hashq *q, al_hash alg, size_t tag, bool stream);
/* Waits for a free buffer while AL_HASHQ_BUFS are in flight; AL_E_NOMEM when
 * one cannot be allocated. */
al_rc oci_hashq_buf(oci_hashq *q, unsigned *b, uint8_t **p, al_err *err) AL_MUST_USE;
void oci_hashq_put(oci_hashq *q, unsigned job, unsigned b, size_t n, bool last);
void oci_hashq_drain(oci_hashq *q);
void oci_hashq_free(oci_hashq *q);

/* ---------------------------------------------------------------- store (oci_source.c) */

enum oci_etype { OCI_E_FILE = 1, OCI_E_DIR, OCI_E_SYMLINK };

/* One name of a store. Kept small, and its strings in the store's pool
 * (no allocation of its own), because a layout may hold AL_MAX_ARCHIVE_ENTRIES
 * names: docs/performance.md §4 has the cost of each. */
typedef struct oci_entry {
	/* the normalised path (no "./", no trailing "/"), or a layout blob's
	 * packed to its digest: read it through oci_entry_path */
	const char *name;
	uint64_t size;
	uint8_t type;               /* enum oci_etype */
	bool used;                  /* part of the graph (not an extra) */
	bool checked;               /* directories: hashed and compared */
} oci_entry;

/* What an archive store knows of an entry besides its name: its hash from
 * the one pass, and its content when kept (oci_store_ar). */
typedef struct oci_arent {
	bool hashed;                /* hash of the whole content */
	al_hash alg;
	uint8_t hash[AL_HASH_MAX];
	bool has_kept;              /* content kept in memory */
	al_buf kept;
} oci_arent;

typedef struct oci_store {
	bool archive;
	int dirfd;                  /* directory stores */
	const char *label;          /* path for messages */
	oci_entry *e;
	size_t n, cap;
	oci_arent *ar;              /* archive stores: one per entry, beside e */
	al_arena names;             /* every path and link target of e */
	uint32_t *by_path;          /* open addressing: 1 + the index of the entry of a path, 0 free */
	size_t by_path_cap;
	uint64_t kept_total;
	uint64_t bytes_hashed;
	uint64_t max_bytes;          /* budget: bytes read (decompressed) in this run; 0 = AL_MAX_READ_BYTES */
	/* threads that hash: a directory's files with the calling thread among
	 * them (at least 1); an archive's entries beside the reading thread,
	 * which has one more for the archive's own digest (0: everything on
	 * the reading thread) */
	unsigned threads;
	bool no_archive_digest;     /* AL_OCI_NO_ARCHIVE_DIGEST */
	oci_progress *progress;     /* NULL: no display */
	char compression[16];
	/* evidence of what was read (al_oci.top_sha256, .archive_sha256) */
	uint8_t top_sha256[32];
	const char *top_name;
	uint8_t archive_sha256[32];
	bool has_archive_sha256;
	struct oci_fold *fold;      /* case-folded names and prefixes seen (collisions) */
} oci_store;

/* Fill a store (max_bytes, threads and progress are kept, everything else reset). Paths are
 * validated, and two names equal under Unicode simple case folding (or one
 * a directory prefix of the other's folding) are refused; archive entries
 * are hashed (sha512 for blobs/sha512/..., sha256 for everything else) and
 * small ones kept. oci_store_dir_fd takes ownership of fd (a directory). */
al_rc oci_store_dir(oci_store *s, const char *path, al_err *err) AL_MUST_USE;
al_rc oci_store_dir_fd(oci_store *s, int fd, const char *label, al_err *err) AL_MUST_USE;
al_rc oci_store_archive_fd(oci_store *s, int fd, const char *label, al_err *err) AL_MUST_USE;
al_rc oci_store_archive_mem(oci_store *s, al_bytes mem, al_err *err) AL_MUST_USE;
void oci_store_free(oci_store *s);

oci_entry *oci_store_find(const oci_store *s, const char *path);
/* e's path: its name, or, for a layout blob (blobs/<alg>/<lowercase hex>),
 * which is kept as its digest (a tag byte and the raw bytes: a large index
 * has a few hundred thousand, docs/performance.md §4.9), the path written
 * into buf. Valid while buf and the store are. */
#define OCI_PATH_BUF (AL_MAX_PATH + 1)
const char *oci_entry_path(const oci_entry *e, char buf[OCI_PATH_BUF]);
/* A SYMLINK's target as written (control characters made '?'), kept after
 * its name; NULL for other entries. */
const char *oci_entry_link(const oci_entry *e);
/* The archive facts of an entry of an archive store. */
oci_arent *oci_store_ar(const oci_store *s, const oci_entry *e);
/* Reads a whole file (<= max bytes, else AL_E_LIMIT naming it). Directory
 * stores read it again (no links followed); archive stores copy the kept
 * bytes (AL_E_BUNDLE_BLOB when they were not kept). */
al_rc oci_store_read(oci_store *s, oci_entry *e, size_t max, al_buf *out, al_err *err) AL_MUST_USE;
/* Records the SHA-256 of the bytes of a top-level document as read
 * (index.json wins over manifest.json): the report's evidence of which
 * bundle was verified. */
void oci_store_note_top(oci_store *s, const char *name, al_bytes raw);
/* Opens a regular file of a directory store without following any link;
 * *size is its size now. */
al_rc oci_open_regular(oci_store *s, const char *path, int *fdp, uint64_t *size, al_err *err) AL_MUST_USE;

/* One blob to prove: entry e must hash to want. Where it is referenced,
 * for messages: where, or, when where is NULL, field[idx] of manifest
 * parent (idx (uint32_t)-1: no index), written only when it fails
 * (oci_check_where): a text for each of a large index's blobs would cost
 * more than the check (docs/performance.md §4.5). */
typedef struct oci_check {
	oci_entry *e;
	/* the digest e must hash to; NULL: the one its path names (a blob found
	 * by oci_blob_path), so a large index's checks keep no copy of each
	 * (the descriptors they come from are dropped once queued:
	 * docs/performance.md §4.8, §4.9). oci_check_want reads either. */
	const al_oci_digest *want;
	const char *where;
	const al_oci_node *parent;
	const char *field;          /* a static string: "config", "layers" */
	uint32_t idx;
	al_rc rc;                   /* the message is kept only for the first failure */
} oci_check;
/* The digest c's blob must hash to. */
void oci_check_want(const oci_check *c, al_oci_digest *out);
/* The message text of where c is referenced. */
const char *oci_check_where(const oci_check *c, char *out, size_t cap);
/* Proves every check (oci_prove.c: directory stores hash the files, on
 * s->threads threads; archive stores compare the hash of the pass). Returns
 * the first failure in list order, so errors do not depend on thread
 * timing. */
al_rc oci_store_prove(oci_store *s, oci_check *c, size_t n, al_err *err) AL_MUST_USE;

/* Canonical path text: rejects absolute paths, "..", ".", empty components,
 * control characters; strips leading "./" and trailing "/". Writes into out
 * (AL_MAX_PATH + 1). */
al_rc oci_path_normalize(const char *in, char *out, al_err *err) AL_MUST_USE;

/* ---------------------------------------------------------------- model */

struct al_oci_priv {
	al_arena arena;
	oci_store store;
	/* open addressing over al_oci.nodes by their digest: 1 + the index of
	 * a node, 0 free (oci_node_put, oci_node_index). No key of its own:
	 * a digest text per node would cost 80 bytes (docs/performance.md §4.7) */
	uint32_t *node_slots;
	size_t node_slots_cap;
	oci_map missing;            /* digest string -> index in al_oci.missing */
	size_t n_descs;             /* descriptors parsed, bounded by AL_MAX_BLOBS */
	/* bytes of the documents parsed into the model, bounded by
	 * AL_MAX_KEPT_TOTAL: the model keeps no document, but what it keeps of
	 * one (annotations, descriptors) is at most its size */
	uint64_t doc_total;
	size_t nodes_cap, refs_cap, missing_cap, extra_cap;
	/* a node's digest is in a ref (al_oci_node.digest): o->refs must not
	 * be moved by growing it (the formats add every ref before any node is
	 * loaded from one: index.json's are reserved at once, dir: has one) */
	bool refs_pinned;
	oci_check *checks;
	size_t n_checks, checks_cap;
	unsigned flags;
	oci_progress progress;
	al_oci_csig **csigs;        /* every signature file parsed (freed one by one) */
	size_t n_csigs, csigs_cap;
	/* lookup indexes (oci_index_subjects): refs with a subject, and the
	 * slots of o->nodes whose node has one, sorted by subject digest */
	const al_oci_ref **by_subject;
	size_t n_by_subject;
	al_oci_node *const **node_by_subject;
	size_t n_node_by_subject;
};

/* Builds the model from a filled store (oci_graph.c). */
al_rc oci_build(al_oci *o, al_err *err) AL_MUST_USE;
/* Builds the sorted indexes al_oci_find_attached and al_oci_find_referrers
 * search, once the model and its roles are final (oci_model.c). */
al_rc oci_index_subjects(al_oci *o, al_err *err) AL_MUST_USE;
/* The index of the node with this digest in o->nodes (oci_model.c). */
bool oci_node_index(const al_oci *o, const al_oci_digest *d, size_t *i);
/* Makes o->nodes[i] (just added, its digest not yet in the table) found by
 * oci_node_index. */
al_rc oci_node_put(al_oci *o, size_t i, al_err *err) AL_MUST_USE;

/* The closed world (oci_closed.c), after the graph is built and its blobs
 * proven: the role of every index.json entry and index child, docker's
 * manifest.json beside a layout matched to the OCI view, and the refusal of
 * layouts that another consumer would read as a different format. */
al_rc oci_closed_world(al_oci *o, al_err *err) AL_MUST_USE;
/* The writable array behind n->manifests (NULL for a manifest), for the
 * closed world to record each child's role in the model (oci_graph.c). */
al_oci_desc *oci_node_manifests_w(al_oci_node *n);
/* The fields of the Go struct docker reads each manifest.json entry into
 * (encoding/json matches them without regard to case), NULL-terminated
 * (oci_docker.c, as oci_repo_tags). */
extern const char *const oci_docker_fields[];
/* A manifest.json RepoTags array (may be NULL) as arena strings; path names
 * the entry in messages. */
al_rc oci_repo_tags(al_arena *a, const al_json *tags, const char *path, const char *const **out, size_t *n,
		    al_err *err) AL_MUST_USE;

/* Media types the graph and the closed world both name. */
#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_V1       "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_V1_JWS   "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_DOCKER_CONFIG   "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER    "application/vnd.docker.image.rootfs.diff.tar"
#define ANN_REF_NAME       "org.opencontainers.image.ref.name"
#define ANN_COSIGN_KIND    "kind"         /* cosign save: what an entry is */

/* Orders digests by algorithm, then bytes (lookup indexes). Digests are
 * public names, so the order need not be constant-time (al_oci_digest_eq,
 * equality, is). */
int oci_digest_cmp(const al_oci_digest *a, const al_oci_digest *b);
/* Lowercase hex of a digest (no algorithm prefix). */
void oci_digest_hex(const al_oci_digest *d, char out[AL_HASH_MAX * 2 + 1]);
/* Where a blob of this digest lives in the bundle: blobs/<alg>/<hex>, or
 * <hex> in a dir: (oci_prove.c). */
void oci_blob_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap);

#endif
