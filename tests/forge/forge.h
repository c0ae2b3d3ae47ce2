/*
 * forge.h — internals of al-forge, the test forge (tests/forge).
 *
 * al-forge builds deterministic signed image bundles from its own test
 * trust material: keys from fixed seeds, a Fulcio-like CA, a CT log, a
 * Rekor-like transparency log with a real Merkle tree, checkpoints and SETs,
 * and an RFC 3161 TSA. It is a test tool: never installed, never linked into
 * airlock. It trusts nothing it reads because it reads nothing; every
 * failure (an mbedTLS error, a write that fails) ends the program with a
 * message.
 *
 * Determinism: every key comes from an HMAC_DRBG seeded with a constant
 * label, ECDSA is RFC 6979, RSA PKCS#1 v1.5 is deterministic, every time is
 * fixed (AL_FG_T0), and output order never depends on memory addresses or
 * the clock. Two runs write bit-identical trees.
 *
 * Memory: everything the forge allocates lives until al_fg_free_all (one
 * list of blocks), so builders can hand out pointers freely.
 */
#ifndef AL_FORGE_H
#define AL_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>

#include "common/common.h"

/* 2026-01-15T10:00:00Z: the signing time of every case. */
#define AL_FG_T0 INT64_C(1768471200)
/* 2025-01-01T00:00:00Z: start of every CA, log and TSA. */
#define AL_FG_EPOCH INT64_C(1735689600)
/* 2035-01-01T00:00:00Z: end of the long-lived certificates. */
#define AL_FG_END INT64_C(2051222400)

#define AL_FG_IDENTITY "https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main"
#define AL_FG_OTHER_IDENTITY "https://github.com/mallory-test/app/.github/workflows/release.yml@refs/heads/main"
#define AL_FG_ISSUER "https://token.actions.githubusercontent.com"
#define AL_FG_PKI_IDENTITY "release@pki.airlock.test"
#define AL_FG_REGISTRY "registry.airlock.test/forge"

/* ================================================================ util (fg_util.c) */

_Noreturn void al_fg_die(const char *fmt, ...) AL_PRINTF(1, 2);
/* Dies with what and mbedTLS's message when rc != 0. */
void al_fg_mbed(int rc, const char *what);

/* Routes cJSON's allocations to the arena; call first. */
void al_fg_arena_init(void);
void *al_fg_alloc(size_t n);              /* zeroed */
void *al_fg_realloc(void *p, size_t n);
void al_fg_free(void *p);
void al_fg_free_all(void);
char *al_fg_strdup(const char *s);
char *al_fg_sprintf(const char *fmt, ...) AL_PRINTF(1, 2);
al_bytes al_fg_dup(al_bytes b);

/* A growable byte buffer in the forge's arena. */
typedef struct al_fg_buf {
	uint8_t *p;
	size_t n;
	size_t cap;
} al_fg_buf;

void al_fg_put(al_fg_buf *b, const void *p, size_t n);
void al_fg_put_u8(al_fg_buf *b, uint8_t v);
void al_fg_put_be(al_fg_buf *b, uint64_t v, unsigned nbytes);
void al_fg_puts(al_fg_buf *b, const char *s);
void al_fg_printf(al_fg_buf *b, const char *fmt, ...) AL_PRINTF(2, 3);
static inline al_bytes al_fg_bytes(const al_fg_buf *b)
{
	return al_bytes_of(b->p, b->n);
}

void al_fg_sha256(al_bytes in, uint8_t out[32]);
char *al_fg_b64(al_bytes in);              /* standard, padded */
char *al_fg_hex(const uint8_t *p, size_t n);
char *al_fg_digest(al_bytes in);           /* "sha256:<hex>" */
char *al_fg_time_rfc3339(int64_t t);       /* "2026-01-15T10:00:00Z" */

/* JSON building on cJSON; every call dies on allocation failure. */
cJSON *al_fg_jnew(void);                    /* an object */
cJSON *al_fg_jarr_new(void);
cJSON *al_fg_jobj(cJSON *obj, const char *key);
cJSON *al_fg_jarr(cJSON *obj, const char *key);
void al_fg_jstr(cJSON *obj, const char *key, const char *v);
void al_fg_jint(cJSON *obj, const char *key, int64_t v);
void al_fg_jnull(cJSON *obj, const char *key);
void al_fg_jput(cJSON *obj, const char *key, cJSON *item);
void al_fg_jpush(cJSON *arr, cJSON *item);
void al_fg_jpush_str(cJSON *arr, const char *v);
/* Prints compactly (members in insertion order) and deletes j. */
char *al_fg_jprint(cJSON *j);
/* Prints compactly and keeps j. */
char *al_fg_jtext(const cJSON *j);

void al_fg_mkdirs(const char *path);
void al_fg_write(const char *path, al_bytes data);
/* Removes a directory tree the forge wrote (no symlinks followed). */
void al_fg_rmtree(const char *path);

/* ================================================================ DER (fg_der.c) */

void al_fg_der_tlv(al_fg_buf *out, uint8_t tag, al_bytes content);
/* Appends tag + length + inner->p. */
void al_fg_der_wrap(al_fg_buf *out, uint8_t tag, const al_fg_buf *inner);
void al_fg_der_uint(al_fg_buf *out, uint64_t v);
/* An unsigned big-endian magnitude as a positive INTEGER. */
void al_fg_der_uint_raw(al_fg_buf *out, al_bytes mag);
void al_fg_der_oid(al_fg_buf *out, al_bytes oid);
void al_fg_der_null(al_fg_buf *out);
void al_fg_der_octets(al_fg_buf *out, al_bytes v);
void al_fg_der_gentime(al_fg_buf *out, int64_t t, const char *frac); /* frac "" or "25" */
void al_fg_der_utctime(al_fg_buf *out, int64_t t);
/* AlgorithmIdentifier { oid [, NULL] } */
void al_fg_der_alg(al_fg_buf *out, al_bytes oid, bool null_param);

/* An OID's content bytes as a slice (a compound literal). */
#define AL_FG_OID(...) \
	((al_bytes){ (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }) })

/* ================================================================ keys (fg_keys.c) */

typedef enum al_fg_key_type {
	AL_FG_P256 = 1,
	AL_FG_P384,
	AL_FG_RSA2048,
} al_fg_key_type;

typedef struct al_fg_key {
	const char *label;
	al_fg_key_type type;
	mbedtls_pk_context pk;
	al_bytes spki;            /* SubjectPublicKeyInfo DER */
	char *pub_pem;            /* "-----BEGIN PUBLIC KEY-----..." */
	uint8_t spki_sha256[32];  /* log ID of a log with this key */
} al_fg_key;

/* The key of label, generated on first use from a DRBG seeded with it. */
const al_fg_key *al_fg_key_get(const char *label, al_fg_key_type type);
void al_fg_keys_free(void);
/* The hash a signature with this key uses (P-384: SHA-384, else SHA-256). */
mbedtls_md_type_t al_fg_key_md(const al_fg_key *k);
/* Signs data (hashed with md): ECDSA DER (RFC 6979) or RSA PKCS#1 v1.5. */
al_bytes al_fg_sign(const al_fg_key *k, mbedtls_md_type_t md, al_bytes data);
/* The same over a digest already made with md (a Sigstore messageSignature). */
al_bytes al_fg_sign_digest(const al_fg_key *k, mbedtls_md_type_t md, al_bytes digest);
/* The DRBG behind mbedTLS's blinding (f_rng); deterministic. */
int al_fg_rng(void *ctx, unsigned char *out, size_t n);

/* ================================================================ certificates (fg_x509.c) */

typedef struct al_fg_cert {
	const char *subject;      /* mbedTLS DN string; "" for an empty subject */
	const al_fg_key *key;
	al_bytes der;
	char *pem;
	al_bytes issuer_raw;      /* issuer Name DER, for CMS SignerIdentifier */
	al_bytes serial;          /* serial INTEGER contents */
} al_fg_cert;

typedef enum al_fg_eku {
	AL_FG_EKU_NONE = 0,
	AL_FG_EKU_CODE_SIGNING,
	AL_FG_EKU_TIME_STAMPING,  /* written critical, as RFC 3161 requires */
} al_fg_eku;

typedef struct al_fg_cert_spec {
	const char *subject;      /* "" or NULL: empty subject (Fulcio leaves) */
	const al_fg_key *key;     /* subject key */
	const al_fg_cert *issuer; /* NULL: self-signed with key */
	int64_t not_before, not_after;
	const char *serial_label; /* the serial is derived from it */
	bool ca;
	int pathlen;              /* for CAs; -1 unlimited */
	al_fg_eku eku;
	const char *san_uri;      /* SAN (critical when the subject is empty) */
	const char *san_email;
	const char *oidc_issuer;  /* Fulcio 1.3.6.1.4.1.57264.1.1 and .1.8 */
	const al_fg_key *ct_log;  /* embed an SCT signed by this CT log key */
	int64_t sct_time_ms;
	bool sct_corrupt;         /* flip one bit inside the SCT signature's r */
} al_fg_cert_spec;

const al_fg_cert *al_fg_cert_make(const al_fg_cert_spec *s);

/* ================================================================ trust material (fg_trust.c) */

typedef struct al_fg_trust {
	const al_fg_key *rekor;       /* log key (P-256) */
	const al_fg_key *ctlog;       /* CT log key (P-256) */
	const al_fg_cert *ca_root;    /* Fulcio-like root (P-384) */
	const al_fg_cert *ca_inter;   /* intermediate (P-384): issues leaves */
	const al_fg_cert *rogue_root; /* a CA the trust root does not list */
	const al_fg_cert *rogue_inter;
	const al_fg_cert *tsa_root;   /* TSA root (P-384) */
	const al_fg_cert *tsa_leaf;   /* TSA signer (P-256, critical EKU timeStamping) */
	const al_fg_cert *pki_root;   /* private PKI for --ca-roots */
	const al_fg_cert *pki_inter;
	const al_fg_cert *pki_leaf;   /* codeSigning leaf, SAN email AL_FG_PKI_IDENTITY */
	const al_fg_key *cosign;      /* cosign.pub (P-256) */
	const al_fg_key *rsa;         /* rsa.pub (RSA-2048) */
	const al_fg_cert *pki_other_root; /* a second private root (pki-other-root.pem) */
	const al_fg_key *rekor_other; /* a second log's key, in no trusted root */
	const al_fg_key *ctlog_other; /* a second CT log's key, in no trusted root */
	const al_fg_key *cosign_other; /* cosign-other.pub (P-256): signs nothing */
	const al_fg_key *third;       /* third.pub (P-256): the third signer of k-of-n policies */
	char *fulcio_chain_pem;       /* intermediate + root, as cosign's chain annotation */
	char *rogue_chain_pem;
	char *pki_chain_pem;
} al_fg_trust;

extern al_fg_trust al_fg_tr;

void al_fg_trust_init(void);
/* A Fulcio-like leaf (P-256 key of key_label, SAN URI or email, OIDC issuer
 * AL_FG_ISSUER, SCT from the test CT log) valid [nb, na], issued by the
 * trusted intermediate or, when rogue, by a CA the trust root lacks. */
const al_fg_cert *al_fg_fulcio_leaf(const char *key_label, const char *identity, int64_t nb, int64_t na,
				    bool rogue);
/* A Fulcio-like leaf with its SCT made as ct_log says (NULL: no SCT
 * extension at all) and, when corrupt, with one bit of its signature changed. */
const al_fg_cert *al_fg_fulcio_leaf_sct(const char *key_label, const char *identity, int64_t nb, int64_t na,
					const al_fg_key *ct_log, bool corrupt);
/* Writes OUTDIR/trust/: trusted_root.json, cosign.pub, cosign-other.pub, rsa.pub, pki-*.pem,
 * pki-other-root.pem, and trusted_root-log-expired.json /
 * trusted_root-log-valid.json (the log key's validFor ends before / after
 * the signing time). */
void al_fg_trust_write(const char *outdir);

/* ================================================================ transparency log (fg_tlog.c) */

#define AL_FG_LOG_HOST "rekor.airlock.test"
#define AL_FG_LOG_TREE_ID "2605736670972794746"
/* Rekor v1 entry logIndex = tree index + this (an earlier shard's entries). */
#define AL_FG_LOG_SHARD_OFFSET 1000000

typedef struct al_fg_entry {
	al_bytes body;            /* canonicalized body */
	size_t tree_index;
	int64_t log_index;        /* global */
	int64_t integrated_time;
	al_bytes set;             /* SignedEntryTimestamp (DER ECDSA) */
	const al_fg_key *log;     /* the log that signed the SET */
} al_fg_entry;

void al_fg_log_init(void);
/* Appends body as a new leaf and signs its SET. */
al_fg_entry al_fg_log_add(al_bytes body, int64_t integrated_time);
/* The same in the log of key log (NULL or al_fg_tr.rekor: the trusted log;
 * another key: a second log, no Merkle tree, its own index count). */
al_fg_entry al_fg_log_add_in(const al_fg_key *log, al_bytes body, int64_t integrated_time);
size_t al_fg_log_size(void);
void al_fg_log_root(size_t size, uint8_t root[32]);
/* Inclusion proof for index in the tree of size leaves; returns the count. */
size_t al_fg_log_proof(size_t index, size_t size, uint8_t (*hashes)[32], size_t cap);
/* Signed checkpoint (Rekor v1 signed note) for the tree of size leaves. */
char *al_fg_log_checkpoint(size_t size, int64_t timestamp);
/* A checkpoint signed by the log key for any (size, root). */
char *al_fg_log_note(size_t size, const uint8_t root[32], int64_t timestamp);
/* The same, tampered: AL_FG_NOTE_BAD_SIG flips one bit inside the
 * signature's r, AL_FG_NOTE_BAD_HINT changes the key hint (key ID). */
#define AL_FG_NOTE_BAD_SIG 1
#define AL_FG_NOTE_BAD_HINT 2
char *al_fg_log_note_ex(size_t size, const uint8_t root[32], int64_t timestamp, int tamper);
/* cosign's dev.sigstore.cosign/bundle annotation for an entry. */
char *al_fg_set_annotation(const al_fg_entry *e);

/* ================================================================ RFC 3161 (fg_tsa.c) */

/* A DER TimeStampResp over msg (SHA-256 imprint), genTime t + 0.125 s. */
al_bytes al_fg_tsa_stamp(al_bytes msg, int64_t t, uint64_t serial);

/* ================================================================ images and layouts (fg_oci.c) */

#define AL_FG_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define AL_FG_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define AL_FG_MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define AL_FG_MT_LAYER_GZ "application/vnd.oci.image.layer.v1.tar+gzip"
#define AL_FG_MT_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"
#define AL_FG_MT_SIMPLESIGNING "application/vnd.dev.cosign.simplesigning.v1+json"
#define AL_FG_MT_DSSE "application/vnd.dsse.envelope.v1+json"
#define AL_FG_MT_BUNDLE_V03 "application/vnd.dev.sigstore.bundle.v0.3+json"
#define AL_FG_MT_EMPTY "application/vnd.oci.empty.v1+json"

typedef struct al_fg_desc {
	const char *media_type;
	char *digest;             /* "sha256:<hex>" */
	size_t size;
} al_fg_desc;

typedef struct al_fg_blob {
	char *digest;
	al_bytes data;            /* may differ from the digest (tampered) */
	bool dropped;             /* not written (missing blob) */
} al_fg_blob;

typedef struct al_fg_layout {
	al_fg_blob *blobs;
	size_t nblobs;
	cJSON *index;             /* index.json manifests[] */
	bool skopeo;              /* index.json as skopeo writes it (no mediaType,
				   * descriptors in OCI order) instead of cosign */
	bool sha512;              /* al_fg_layout_blob names blobs by SHA-512 */
	al_bytes index_raw;       /* when set: index.json verbatim (hand-made JSON) */
	/* files beside the layout (written in the directory and after
	 * index.json in the tar), in the order added */
	const char **extra_names;
	al_bytes *extra;
	bool *extra_dirs;
	size_t nextra;
} al_fg_layout;

al_fg_layout *al_fg_layout_new(void);
al_fg_desc al_fg_layout_blob(al_fg_layout *l, const char *media_type, al_bytes data);
/* Adds a descriptor to index.json; annotations (may be NULL) is taken over;
 * artifact_type (may be NULL) is written after size. */
void al_fg_layout_ref(al_fg_layout *l, const al_fg_desc *d, cJSON *annotations, const char *artifact_type);
/* An annotations object with one member. */
cJSON *al_fg_annot(const char *key, const char *value);
al_fg_blob *al_fg_layout_find(al_fg_layout *l, const char *digest);
/* Adds a file beside the layout (name relative to its root; one level of
 * directory at most). */
void al_fg_layout_extra(al_fg_layout *l, const char *name, al_bytes data);
/* The index.json the layout writes. */
al_bytes al_fg_layout_index_json(const al_fg_layout *l);
char *al_fg_digest512(al_bytes in);       /* "sha512:<hex>" */
/* Tampering: flip one byte of a blob (keeps its name); leave a blob out. */
void al_fg_layout_flip(al_fg_layout *l, const char *digest, size_t offset);
void al_fg_layout_drop(al_fg_layout *l, const char *digest);
void al_fg_layout_write_dir(const al_fg_layout *l, const char *dir);
/* The layout as a tar: blobs first (sorted), then index.json and
 * oci-layout; extra files (docker's manifest.json, repositories) after. */
void al_fg_layout_tar(const al_fg_layout *l, const char *const *extra_names, const al_bytes *extra,
		      size_t nextra, al_fg_buf *out);

/* A descriptor JSON object {mediaType, digest, size} (OCI order). */
cJSON *al_fg_desc_json(const al_fg_desc *d);
/* cosign / go-containerregistry order {mediaType, size, digest}. */
cJSON *al_fg_desc_json_ggcr(const al_fg_desc *d);

/* tar (ustar, fixed mtime and owners) */
void al_fg_tar_file(al_fg_buf *tar, const char *name, al_bytes data, unsigned mode);
void al_fg_tar_dir(al_fg_buf *tar, const char *name);
void al_fg_tar_end(al_fg_buf *tar);
/* One header block (type '0' file, '5' directory): the content follows,
 * padded to 512 bytes by the caller (fg_bench.c streams large files). */
void al_fg_tar_header(al_fg_buf *tar, const char *name, size_t size, unsigned mode, char type);
void al_fg_tar_symlink(al_fg_buf *tar, const char *name, const char *target);
al_bytes al_fg_gzip(al_bytes in);
al_bytes al_fg_zstd(al_bytes in);

typedef struct al_fg_image {
	const char *name;         /* repository, e.g. registry.airlock.test/forge/app */
	const char *arch;
	const char *variant;      /* NULL */
	al_bytes config;
	al_fg_desc config_desc;
	size_t nlayers;
	al_bytes layers[2];       /* as stored: gzip'd, or plain tar */
	al_bytes layers_tar[2];   /* uncompressed (diff_ids, docker-archive) */
	al_fg_desc layer_desc[2];
	al_bytes manifest;
	al_fg_desc desc;          /* the manifest */
} al_fg_image;

/* A small image; seed changes its file contents. uncompressed: layers
 * stored as plain tars (Docker 25+ docker save). */
const al_fg_image *al_fg_image_make(const char *name, const char *arch, const char *variant, const char *seed,
				    bool uncompressed);
/* Adds config, layers and manifest blobs (not an index.json entry). */
void al_fg_image_put(al_fg_layout *l, const al_fg_image *img);

typedef struct al_fg_index {
	const char *name;
	const al_fg_image *images[4];
	size_t nimages;
	al_bytes raw;
	al_fg_desc desc;
} al_fg_index;

const al_fg_index *al_fg_index_make(const char *name, const al_fg_image *const *imgs, size_t n);
/* Adds the index and its images' blobs. */
void al_fg_index_put(al_fg_layout *l, const al_fg_index *ix);

/* docker save, before Docker 25: manifest.json, <id>/layer.tar, config. */
void al_fg_docker_legacy(const al_fg_image *img, const char *tag, al_fg_buf *tar);
/* The same; link_last: the last layer's layer.tar is a symlink to the first
 * layer's file (as docker writes for a repeated layer), although its diff_id
 * differs. Returns the last layer's path. */
const char *al_fg_docker_legacy_ex(const al_fg_image *img, const char *tag, bool link_last, al_fg_buf *tar);
/* Docker 25+: the OCI layout l (holding img, made uncompressed, and
 * whatever else the case put there) plus manifest.json and repositories. */
void al_fg_docker_oci(const al_fg_layout *l, const al_fg_image *img, const char *tag, al_fg_buf *tar);

/* ================================================================ cosign objects (fg_cosign.c) */

typedef struct al_fg_signer {
	const al_fg_key *key;
	const al_fg_cert *cert;   /* NULL: key mode */
	const char *chain_pem;    /* with cert */
	bool tsa;                 /* add an RFC 3161 timestamp */
	bool no_tlog;             /* no SET */
	int64_t itime;            /* integratedTime (0: AL_FG_T0 + 3) */
	const al_fg_key *log;     /* log key of the SET (NULL: the trusted log) */
	bool bad_payload_hash;    /* tamper: an attestation's logged body names the
				   * SHA-256 of other bytes as payloadHash (SET valid) */
} al_fg_signer;

/* One layer of a .sig or .att manifest, and its annotations. Cases edit
 * these fields to tamper before the manifest is made. */
typedef struct al_fg_sigl {
	const char *media_type;
	al_bytes blob;
	const char *sig_b64;      /* "" for attestations */
	const char *cert_pem;     /* NULL when absent */
	const char *chain_pem;
	const char *bundle_json;  /* SET annotation, NULL when absent */
	const char *ts_json;      /* RFC 3161 annotation, NULL when absent */
	const char *predicate_type;
	al_fg_entry entry;        /* the log entry made for it */
} al_fg_sigl;

/* Simple-signing payload for image ref at digest. */
al_bytes al_fg_simple_signing(const char *ref, const char *digest);
/* Signs a simple-signing payload; the SET body is hashedrekord/0.0.1. */
al_fg_sigl al_fg_sign_payload(al_bytes payload, const al_fg_signer *s);

typedef enum al_fg_att_body {
	AL_FG_BODY_DSSE = 1,      /* dsse/0.0.1 (cosign 2.x) */
	AL_FG_BODY_INTOTO2,       /* intoto/0.0.2 (cosign 1.x-2.0) */
	AL_FG_BODY_INTOTO1,       /* intoto/0.0.1, canonicalized as Rekor stores it:
				   * content.hash, content.payloadHash, publicKey */
} al_fg_att_body;

/* in-toto Statement v1 with a SLSA provenance v1 predicate about subject
 * (name, "sha256:<hex>"). */
al_bytes al_fg_statement(const char *name, const char *digest);
/* DSSE envelope, signed; the layer blob is the envelope JSON. */
al_fg_sigl al_fg_sign_attestation(al_bytes statement, const al_fg_signer *s, al_fg_att_body body);

/* Makes the .sig/.att manifest (config + layers) in l and returns it. */
al_fg_desc al_fg_sig_manifest(al_fg_layout *l, const al_fg_sigl *layers, size_t n);

/* A Sigstore bundle v0.3 (DSSE, certificate, tlog entry with SET,
 * inclusion proof and checkpoint, RFC 3161 timestamp) over statement. */
typedef struct al_fg_bundle_opts {
	bool corrupt_proof;       /* flip a bit in an inclusion proof hash */
	bool corrupt_checkpoint;  /* checkpoint of the proof's size, validly signed,
				   * whose root is the previous tree's */
	bool corrupt_checkpoint_sig; /* one bit of the checkpoint signature changed */
	bool checkpoint_wrong_hint;  /* checkpoint signature line with another key hint */
	bool corrupt_signature;      /* one bit of the signature changed before it is logged */
	const char *message_digest;  /* "sha256:<hex>": a messageSignature over this digest
				      * (hashedrekord entry) instead of the DSSE envelope */
	int chain;                   /* a v0.2 bundle with x509CertificateChain: 1 leaf and
				      * intermediate, 2 also the (trusted) root */
	bool unknown_log;            /* the entry names a log the trusted root lacks */
	bool other_entry;            /* the log holds, and proves, another statement's entry */
	bool no_set;                 /* no inclusionPromise: the proof alone, its time unsigned */
	bool no_tlog;                /* no log entry at all (GitHub's instance: the TSA dates it) */
	bool no_tsa;                 /* no RFC 3161 timestamp */
} al_fg_bundle_opts;
al_bytes al_fg_bundle_v03(al_bytes statement, const al_fg_signer *s, const al_fg_bundle_opts *o);
/* An OCI 1.1 referrer artifact manifest for bundle with subject img;
 * returns its descriptor (blobs added to l). */
al_fg_desc al_fg_referrer(al_fg_layout *l, al_bytes bundle, const al_fg_desc *subject);
/* The referrers tag-schema index listing referrer manifests (artifactType
 * bundle v0.3); added to l, listed in index.json as sha256-<subject hex>. */
void al_fg_referrers_index(al_fg_layout *l, const al_fg_desc *refs, size_t n, const al_fg_desc *subject);

/* ================================================================ cases (fg_cases.c) */

/* Writes everything under outdir (al-forge OUTDIR). */
void al_fg_build_all(const char *outdir);
/* al-forge --demo OUTDIR */
void al_fg_build_demo(const char *outdir);

/* ================================================================ bench inputs (fg_bench.c) */

/* al-forge --big OUTDIR --size-mib N --layers K [--archives] */
void al_fg_build_big(const char *outdir, unsigned size_mib, unsigned layers, bool archives);
/* al-forge --many OUTDIR --images N */
void al_fg_build_many(const char *outdir, unsigned images);

#endif
