/*
 * bundle.h — exported image bundles: OCI image layouts and their archives,
 * docker-archives, containers/image dir: directories, the image graph, the
 * closed world, and cosign signature / attestation / referrer discovery.
 *
 * Parsers here produce typed models of untrusted input; nothing in this
 * module decides whether something is trusted (verify/ does, with
 * trust-roots/, tlog/ and crypto/). Sigstore bundles, DSSE envelopes and
 * in-toto statements are sigstore/'s (sigstore/sigstore.h).
 */
#ifndef AL_BUNDLE_H
#define AL_BUNDLE_H

#include "common/common.h"
#include "crypto/crypto.h"

/* ================================================================ image bundles: OCI layouts, archives, docker-archive, image graph
 * (bundle/oci_*.c)
 *
 * al_oci_open reads an exported image bundle into one model:
 *   - an OCI image layout directory (oci-layout, index.json, blobs/<alg>/<hex>),
 *   - the same as a tar, tar.gz, tar.zst or tar.xz, read in ONE streaming pass
 *     through airlock's own strict tar reader (oci_tar.h), never extracted
 *     (tar order is arbitrary: every entry is hashed as it streams; small
 *     blobs are kept in memory),
 *   - a docker-archive (`docker save`): the legacy manifest.json layout, or the
 *     OCI layout Docker 25+ writes inside it,
 *   - the containers/image `dir:` format (skopeo copy ... dir:): manifest.json,
 *     blobs named by hex digest, signature-N files.
 * The format is detected from the content, whether it comes from a directory
 * or an archive.
 *
 * What al_oci_open proves before it returns AL_OK: every manifest and index
 * reachable from index.json (all platforms, nested indexes up to
 * AL_MAX_INDEX_DEPTH) is strictly valid, and every referenced blob that is
 * present has the size and digest its descriptor names (layers as stored,
 * compressed). Missing blobs fail the open unless AL_OCI_ALLOW_MISSING is
 * given; they are always listed in al_oci.missing. Blobs nobody references
 * are listed in al_oci.extra.
 *
 * SECURITY CONSIDERATIONS
 *  - Nothing here decides trust: a signature manifest found by
 *    al_oci_find_attached is a candidate; verify/ checks it.
 *  - Archive entries with absolute or `..` paths, links (symlinks are allowed
 *    only in a legacy docker-archive, and only to another regular entry),
 *    device nodes, FIFOs, sparse files and duplicate paths are rejected
 *    (AL_E_BUNDLE_UNSAFE). Directory sources never follow symbolic links.
 *  - Memory is bounded by limits.h (documents AL_MAX_MANIFEST, kept blobs
 *    AL_MAX_KEPT_BLOB / AL_MAX_KEPT_TOTAL, archive data in flight to the
 *    hashing threads AL_HASHQ_BUFS x AL_HASHQ_BUF), not by the size of the
 *    input.
 *  - Strings in the model come from strict JSON (no embedded NUL) and are
 *    NUL-terminated copies; they are untrusted text: escape before printing.
 */

/* A content digest: sha256 or sha512 (the OCI registered algorithms). */
#define AL_OCI_DIGEST_STR_MAX (7 + 128 + 1) /* "sha512:" + 128 hex + NUL */
typedef struct al_oci_digest {
	al_hash alg;                /* AL_HASH_SHA256 or AL_HASH_SHA512 */
	uint8_t d[AL_HASH_MAX];     /* al_hash_len(alg) bytes used, rest zero */
} al_oci_digest;

/* Parses "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>".
 * Uppercase hex, other algorithms and wrong lengths are AL_E_BUNDLE_FORMAT. */
al_rc al_oci_digest_parse(al_bytes s, al_oci_digest *out, al_err *err) AL_MUST_USE;
/* "alg:hex" into out. */
void al_oci_digest_str(const al_oci_digest *d, char out[AL_OCI_DIGEST_STR_MAX]);
/* Constant-time comparison of the digest bytes (and equal algorithms). */
bool al_oci_digest_eq(const al_oci_digest *a, const al_oci_digest *b);
/* The digest of data with alg. */
void al_oci_digest_of(al_hash alg, al_bytes data, al_oci_digest *out);

typedef struct al_oci_kv {
	const char *key;
	const char *value;
} al_oci_kv;

typedef struct al_oci_platform {
	const char *os, *architecture, *variant, *os_version; /* NULL when absent */
} al_oci_platform;

struct al_oci_node;

/* A descriptor (OCI descriptor / Docker v2 schema 2 descriptor). */
typedef struct al_oci_desc {
	const char *media_type;
	al_oci_digest digest;
	/* the small fields sit in the digest's tail padding: a large index has
	 * hundreds of thousands of descriptors (docs/performance.md §4.7) */
	bool has_urls;                      /* foreign / non-distributable blob */
	bool present;                       /* blob present (size and digest proven) */
	/* index children only (set by the closed-world classification): what the
	 * entry is, and why. AL_OCI_ROLE_IMAGE for image content (a platform);
	 * AL_OCI_ROLE_ATTS for a buildx attestation manifest bound to a sibling. */
	int role;                           /* an al_oci_role; 0 for config and layers */
	uint32_t n_annotations;             /* of annotations (bounded by the document's size) */
	uint64_t size;
	const char *artifact_type;          /* NULL when absent */
	const al_oci_kv *annotations;       /* in document order */
	const al_oci_platform *platform;    /* NULL when absent */
	const struct al_oci_node *node;     /* manifests/indexes: the parsed target; NULL when
					     * missing or of a media type that is not walked */
	const char *why;                    /* with role */
} al_oci_desc;

/* Value of an annotation, or NULL. */
const char *al_oci_annotation(const al_oci_kv *kv, size_t n, const char *key);
/* A containers/image signature file (dir: signature-N). Its format is one
 * 0x00 byte, a format name and "\n", then the body; "sigstore-json" bodies
 * are {"mimeType", "payload" (base64), "annotations"} and are parsed. Files
 * without the 0x00 prefix are legacy GPG simple signing (kept, not parsed). */
typedef enum al_oci_csig_format {
	AL_OCI_CSIG_SIGSTORE = 1,        /* 0x00 "sigstore-json\n" JSON */
	AL_OCI_CSIG_SIMPLE_SIGNING,      /* GPG (0x00 "simple-signing\n" or bare OpenPGP) */
} al_oci_csig_format;

typedef struct al_oci_csig {
	al_oci_csig_format format;
	char file[AL_MAX_SIG_FILE_NAME]; /* "signature-1", "<hex>.signature-2" (dir: sources) */
	al_buf raw;                      /* the whole file, owned */
	al_buf mime_type;                /* sigstore: NUL-terminated copy */
	al_buf payload;                  /* sigstore: decoded payload (<= AL_MAX_PAYLOAD) */
	al_oci_kv *annotations;          /* sigstore: owned */
	size_t n_annotations;
} al_oci_csig;

/* Parses one signature file (<= AL_MAX_SIG_FILE bytes). Unknown
 * format names, unknown JSON fields, bad base64, non-string annotation
 * values are AL_E_BUNDLE_FORMAT. sig must be zeroed or freed before. */
al_rc al_oci_csig_parse(al_bytes raw, al_oci_csig *sig, al_err *err) AL_MUST_USE;
void al_oci_csig_free(al_oci_csig *sig);

typedef enum al_oci_node_kind {
	AL_OCI_NODE_MANIFEST = 1,        /* OCI image manifest or Docker v2 schema 2 */
	AL_OCI_NODE_INDEX,               /* OCI image index or Docker manifest list */
	AL_OCI_NODE_DOCKER,              /* legacy docker-archive image (no manifest) */
} al_oci_node_kind;

/* A manifest or an index, parsed; one node per digest. Counts are 32-bit
 * and pointers come first: a large index has a node per entry, so its size
 * is the model's (docs/performance.md §4.9). */
typedef struct al_oci_node {
	al_oci_node_kind kind;
	/* its digest (DOCKER: the config's, the image ID), in the descriptor
	 * it was first reached by: the model's memory, not a copy per node
	 * (docs/performance.md §4.9) */
	const al_oci_digest *digest;
	const char *media_type;          /* as the referencing descriptor (or document) says */
	const char *artifact_type;       /* NULL when absent */
	const al_oci_kv *annotations;
	const al_oci_desc *subject;      /* OCI 1.1 subject, or NULL */
	/* MANIFEST and DOCKER: the config's media type. The config and layer
	 * descriptors themselves are not kept (a large index has hundreds of
	 * thousands: docs/performance.md §4.8): al_oci_node_blobs reads them */
	const char *config_media_type;
	/* INDEX */
	const al_oci_desc *manifests;
	/* dir: sources: the signature-N files of this manifest */
	const al_oci_csig *csigs;
	/* the document's size in bytes, digest proven (DOCKER: the config's;
	 * both bounded far below 4 GiB by limits.h). Its bytes are not kept:
	 * al_oci_blob_read reads and proves them again, so the model costs
	 * what its parsed fields do (docs/performance.md §4) */
	uint32_t bytes;
	uint32_t n_annotations;
	uint32_t n_layers;               /* MANIFEST and DOCKER */
	uint32_t n_manifests;            /* INDEX */
	uint32_t n_csigs;
	uint16_t depth;                  /* 0 for a top-level entry */
	bool orphan;                     /* found among unreferenced blobs (has a subject) */
} al_oci_node;

/* What a top-level entry is for (cosign save `kind` annotations, cosign
 * tags sha256-<hex>.sig/.att/.sbom, the referrers tag schema sha256-<hex>,
 * OCI 1.1 subject). */
typedef enum al_oci_role {
	AL_OCI_ROLE_IMAGE = 1,           /* an image or image index to verify */
	AL_OCI_ROLE_SIGS,                /* cosign signatures (simple signing layers) */
	AL_OCI_ROLE_ATTS,                /* cosign attestations (DSSE layers) */
	AL_OCI_ROLE_SBOM,                /* cosign attached SBOM */
	AL_OCI_ROLE_REFERRER,            /* an artifact manifest with a subject */
	AL_OCI_ROLE_REFERRERS_INDEX,     /* tag-schema referrers index sha256-<hex> */
} al_oci_role;
const char *al_oci_role_name(al_oci_role r);

/* One top-level entry: an index.json descriptor, one image of a docker
 * manifest.json, or the dir: manifest.json.
 *
 * Closed world (docs/design.md §3): role is AL_OCI_ROLE_IMAGE unless the entry is
 * PROVABLY an artifact of an image in this bundle: bound to it (OCI subject,
 * cosign tag sha256-<hex>.sig|.att|.sbom, referrers tag sha256-<hex>, or the
 * cosign save `kind` annotation beside exactly one image), made only of the
 * artifact media types of its role, non-runnable by content (no layer reads as
 * a tar or a compressed stream), and with no other name a consumer could load
 * it by. why says which rule decided. */
typedef struct al_oci_ref {
	al_oci_desc desc;                /* annotations kept as written */
	const char *ref_name;            /* org.opencontainers.image.ref.name, or NULL */
	/* why it has this role (never NULL after open): read it through
	 * al_oci_ref_why. With why_of, an artifact bound by the rule why
	 * names ("cosign tag"), the text being "<role> of <subject> (<why>)":
	 * made when asked, as a large index has one per signature
	 * (docs/performance.md §4.9) */
	const char *why;
	/* SIGS/ATTS/SBOM/REFERRER*: whose they are (in the model); NULL when
	 * it claims no subject */
	const al_oci_digest *subject;
	const char *const *repo_tags;    /* docker-archive RepoTags */
	/* the small fields last, together: a large index has a ref per entry
	 * (docs/performance.md §4.9) */
	al_oci_role role;
	uint16_t n_repo_tags;            /* at most AL_MAX_REPO_TAGS */
	bool why_of;
} al_oci_ref;

/* Why r has its role, whole: r->why, or the text made into buf (cap
 * bytes; AL_OCI_WHY_MAX is always enough) when r->why_of. */
#define AL_OCI_WHY_MAX 256
const char *al_oci_ref_why(const al_oci_ref *r, char *buf, size_t cap);

typedef enum al_oci_format {
	AL_OCI_FMT_LAYOUT = 1,           /* OCI image layout */
	AL_OCI_FMT_DOCKER_ARCHIVE,       /* legacy docker save (manifest.json only) */
	AL_OCI_FMT_CONTAINERS_DIR,       /* containers/image dir: */
} al_oci_format;

typedef struct al_oci_missing {
	al_oci_digest digest;
	uint64_t size;
	const char *media_type;
	const char *where;               /* "index.json manifests[0] > sha256:… layers[2]" */
	bool has_urls;                   /* the descriptor names URLs (foreign layer) */
	bool in_orphan;                  /* below an orphan manifest: never fails the open */
} al_oci_missing;

typedef struct al_oci_extra {
	const char *path;                /* entry path inside the bundle */
	uint64_t size;
	bool hashed;                     /* archives hash every entry; directories do not */
	bool name_mismatch;              /* hashed, and the content does not match blobs/<alg>/<hex> */
} al_oci_extra;

/* Docker 25+ archives: one entry of docker's manifest.json beside the OCI
 * layout (what `docker load` reads), matched to the OCI image manifest with
 * the same config and layers. */
typedef struct al_oci_docker_entry {
	const al_oci_node *node;         /* the OCI manifest it loads (never NULL after open) */
	const char *const *repo_tags;
	size_t n_repo_tags;
} al_oci_docker_entry;

typedef struct al_oci {
	char *path;                      /* as given */
	al_oci_format format;
	bool archive;                    /* read from a tar stream */
	char compression[16];            /* "none", "gzip", "zstd", "xz" (archives) */
	bool docker_manifest;            /* an OCI layout that also has docker's manifest.json */
	al_oci_docker_entry *docker;     /* its entries, each matched to an OCI manifest */
	size_t n_docker;
	al_oci_ref *refs;
	size_t n_refs;
	al_oci_node **nodes;             /* every parsed node, in discovery order */
	size_t n_nodes;
	al_oci_missing *missing;
	size_t n_missing;
	al_oci_extra *extra;
	size_t n_extra;
	uint64_t bytes_hashed;           /* bytes read and hashed */
	/* what was read, as evidence: SHA-256 of the top-level document
	 * (top_name: "index.json" or "manifest.json"; NULL if none), and of the
	 * whole archive file or stream as read (archives only) */
	uint8_t top_sha256[32];
	const char *top_name;
	uint8_t archive_sha256[32];
	bool has_archive_sha256;
	struct al_oci_priv *priv;
} al_oci;

enum {
	AL_OCI_ALLOW_MISSING = 1u << 0,  /* list missing blobs instead of failing */
	AL_OCI_NO_THREADS = 1u << 1,     /* hash every blob on the calling thread: no thread is started */
	/* an archive's own SHA-256 (al_oci.archive_sha256) is not computed: it
	 * is evidence for a report, and one more pass over every byte
	 * (docs/performance.md §5) that a caller printing no report need not pay */
	AL_OCI_NO_ARCHIVE_DIGEST = 1u << 2,
};

/* How far al_oci_open_opts has got, for a progress display. Counts grow
 * while other threads hash, so they are a moment's reading; entry is
 * untrusted text (a name from the bundle: escape it before printing it),
 * valid during the call only. */
typedef struct al_oci_progress {
	uint64_t hashed;                 /* blob bytes hashed so far */
	uint64_t total;                  /* directories: the bytes of every blob to prove; 0: not known (archives) */
	uint64_t read;                   /* archives: bytes of the archive read so far */
	uint64_t read_total;             /* archives: the archive file's size; 0: not known (a pipe, a device) */
	const char *entry;               /* the entry being read or hashed, or NULL */
} al_oci_progress;

typedef struct al_oci_opts {
	unsigned flags;                  /* AL_OCI_* */
	uint64_t max_bytes;              /* decompressed-bytes budget; 0: AL_MAX_READ_BYTES */
	/* threads that hash blobs at once (verify -j); 0: one per CPU the
	 * process may run on. An archive is read by the calling thread while
	 * these hash its entries (and one more the archive file itself, the
	 * report's evidence of what was read); a directory's files are hashed
	 * by the calling thread and jobs - 1 more. At most AL_MAX_THREADS. */
	unsigned jobs;
	/* NULL, or called on the calling thread while blobs are read and
	 * hashed: not before half a second has passed, then at most four times
	 * a second. Every thread started has ended when al_oci_open_opts returns. */
	void (*progress)(void *ctx, const al_oci_progress *p);
	void *progress_ctx;
} al_oci_opts;

/* Opens path (a directory, a tar/tar.gz/tar.zst/tar.xz file or block
 * device, or "-" for a tar on stdin). On failure *out is NULL and err names
 * the entry or blob and what is wrong. Codes: AL_E_IO (cannot read the
 * operator's path), AL_E_BUNDLE_FORMAT (not a bundle, malformed document,
 * unknown digest algorithm, index depth), AL_E_BUNDLE_BLOB (missing blob,
 * size or digest mismatch), AL_E_BUNDLE_UNSAFE (archive entry), AL_E_LIMIT,
 * AL_E_JSON, AL_E_NOMEM. */
al_rc al_oci_open(const char *path, unsigned flags, uint64_t max_bytes, al_oci **out, al_err *err) AL_MUST_USE;
/* The same with every option (al_oci_open: jobs 0, no progress). */
al_rc al_oci_open_opts(const char *path, const al_oci_opts *opts, al_oci **out, al_err *err) AL_MUST_USE;
void al_oci_free(al_oci *o);

/* The node with this digest, or NULL. */
const al_oci_node *al_oci_node_get(const al_oci *o, const al_oci_digest *d);

/* A manifest's config and layers (all NULL and 0 for an index). */
typedef struct al_oci_blobs {
	const al_oci_desc *config;
	const al_oci_desc *layers;
	size_t n_layers;
} al_oci_blobs;
/* The config and layer descriptors of n, whole (annotations included),
 * into a (valid until a is freed). A manifest's are read again from the
 * entry it was read from, which must still hash to its digest, and parsed
 * as strictly as when the model was built; present is whether the blob is
 * in the bundle (proven when the model was built). Errors: AL_E_BUNDLE_BLOB
 * (the manifest cannot be read or no longer matches), AL_E_NOMEM. */
al_rc al_oci_node_blobs(const al_oci *o, const al_oci_node *n, al_arena *a, al_oci_blobs *out,
			al_err *err) AL_MUST_USE;
/* The artifact type of a manifest: artifactType, else config.mediaType. */
const char *al_oci_artifact_type(const al_oci_node *n);

/* Reads a blob's bytes (at most max, and at most AL_MAX_PAYLOAD), checking
 * its digest again: from a directory by reading the file, from an archive
 * from memory (blobs up to AL_MAX_KEPT_BLOB that look like JSON, and any
 * blob up to AL_MAX_KEPT_BINARY, are kept during the pass). Errors:
 * AL_E_BUNDLE_BLOB (absent, not kept, or larger than max), AL_E_IO. */
al_rc al_oci_blob_read(const al_oci *o, const al_oci_digest *d, size_t max, al_buf *out,
		       al_err *err) AL_MUST_USE;

/* cosign discovery. Fill out[0..max) and return how many exist:
 *  al_oci_find_attached: top-level manifests of role (SIGS, ATTS or SBOM)
 *    whose subject is subject (by tag sha256-<hex>.sig|.att|.sbom, or by
 *    cosign save `kind` annotations when the layout holds one image);
 *  al_oci_find_referrers: every node whose OCI 1.1 subject is subject (from
 *    index.json, a referrers index, or an orphan blob), filtered by artifact
 *    type when artifact_type is not NULL. */
size_t al_oci_find_attached(const al_oci *o, const al_oci_digest *subject, al_oci_role role,
			    const al_oci_node **out, size_t max);
size_t al_oci_find_referrers(const al_oci *o, const al_oci_digest *subject, const char *artifact_type,
			     const al_oci_node **out, size_t max);

/* A deterministic text description of the model (refs, nodes, descriptors,
 * missing, extra), independent of where it was read from: the same layout
 * as a directory or any archive gives the same text. For `inspect` and tests. */
al_rc al_oci_describe(const al_oci *o, al_buf *out, al_err *err) AL_MUST_USE;

/* The same as al_oci_open for an archive held in memory (fuzzing, tests). */
al_rc al_oci_open_mem(al_bytes archive, unsigned flags, uint64_t max_bytes, al_oci **out, al_err *err) AL_MUST_USE;
al_rc al_oci_open_mem_opts(al_bytes archive, const al_oci_opts *opts, al_oci **out, al_err *err) AL_MUST_USE;

/* ================================================================ delivery and evidence media (bundle/medium.c)
 *
 * A delivery medium (docs/appliance.md §2) is one raw archive, written to a
 * USB stick with dd: a tar stream (plain, or gzip/zstd/xz-compressed) or an
 * ISO 9660 image, whose first member is the label AIRLOCK-MEDIUM, then an
 * optional TUF repository under tuf/, then bundles/<name> files, each one
 * bundle archive (what al_oci_open reads). Nothing else may be on it. The
 * tar form ends at its end-of-archive marker: what follows on the device is
 * not read. An evidence medium is a tar stream whose first member is the
 * label AIRLOCK-EVIDENCE; the appliance overwrites it with its evidence.
 *
 * SECURITY CONSIDERATIONS
 *  - The medium is read as a byte stream (the tar reader of bundle archives,
 *    or libarchive's ISO 9660 reader with no other format), never mounted.
 *  - Names are checked before they are returned: one component of letters,
 *    digits and ". _ - +" for a bundle (not starting with '.' or '-'), up to
 *    three such for a TUF file; links, devices, duplicates, a second label,
 *    and a TUF file after a bundle are AL_E_BUNDLE_UNSAFE.
 *  - Counts and sizes are bounded by limits.h (AL_MAX_MEDIUM_*).
 */
typedef enum al_medium_kind {
	AL_MEDIUM_BUNDLE = 1,            /* bundles/<name>: a bundle archive */
	AL_MEDIUM_TUF,                   /* tuf/<path>: a file of the TUF repository */
} al_medium_kind;

typedef struct al_medium_entry {
	al_medium_kind kind;
	char name[AL_MAX_MEDIUM_NAME + 16]; /* the member's path, checked as above */
	uint64_t size;
} al_medium_entry;

typedef struct al_medium al_medium;

/* Opens the medium on fd (a block device or an image file; not closed),
 * reading its label. Not a medium: AL_E_BUNDLE_FORMAT naming what the first
 * member is; an empty archive: AL_E_VERIFY_NOTHING. */
al_rc al_medium_open(int fd, const char *label, al_medium **m, al_err *err) AL_MUST_USE;
/* The next member (folders are skipped), or *e == NULL at the end. */
al_rc al_medium_next(al_medium *m, const al_medium_entry **e, al_err *err) AL_MUST_USE;
/* The next piece of the current member's data; *n == 0 when all is read. */
al_rc al_medium_data(al_medium *m, const uint8_t **p, size_t *n, al_err *err) AL_MUST_USE;
/* "tar", "gzip", "zstd", "xz" or "iso9660"; known once al_medium_open returned. */
const char *al_medium_format(const al_medium *m);
void al_medium_free(al_medium *m);
/* Whether fd holds an evidence medium (its label); AL_OK when it does. */
al_rc al_medium_probe_evidence(int fd, const char *label, al_err *err) AL_MUST_USE;
/* Whether name is a valid bundle name on a medium. */
bool al_medium_name_ok(const char *name);

/* Writing media: the label first, then members in the order given, with
 * fixed owners (0:0), modes (0644, 0755) and mtime, so the same inputs give
 * the same tar. AL_MEDIUM_W_EVIDENCE writes at most AL_MAX_EVIDENCE_BYTES. */
/* AL_MEDIUM_W_PLAIN writes no label: a bundle archive packed from a folder. */
enum { AL_MEDIUM_W_TAR = 1, AL_MEDIUM_W_ISO, AL_MEDIUM_W_EVIDENCE, AL_MEDIUM_W_PLAIN };
typedef struct al_medium_writer al_medium_writer;
al_rc al_medium_write_open(int fd, const char *label, unsigned kind, int64_t mtime, al_medium_writer **w,
			   al_err *err) AL_MUST_USE;
al_rc al_medium_write_dir(al_medium_writer *w, const char *name, al_err *err) AL_MUST_USE;
al_rc al_medium_write_mem(al_medium_writer *w, const char *name, al_bytes data, al_err *err) AL_MUST_USE;
/* Copies exactly size bytes from fd; a file that shrank is AL_E_IO. */
al_rc al_medium_write_fd(al_medium_writer *w, const char *name, int fd, uint64_t size, al_err *err) AL_MUST_USE;
/* Writes the end of the archive and frees w, whatever the result. */
al_rc al_medium_write_close(al_medium_writer *w, al_err *err) AL_MUST_USE;
void al_medium_write_abort(al_medium_writer *w);

#endif
