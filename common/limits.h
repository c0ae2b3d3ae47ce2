/*
 * limits.h — every bound airlock puts on untrusted input, in one place.
 *
 * Every length read from a file, an archive, a JSON document or a DER
 * structure is checked against one of these before it is used, and every
 * bound in the code is one of these (no bare numbers): a bound added to the
 * code is added here, and to AL_LIMITS below. They are printed by
 * `airlock version --limits` so an operator can see them. Buffer sizes
 * chosen for speed (AL_HASH_READ_BUF, the archive reader's buffers) bound
 * nothing and live with their code.
 */
#ifndef AL_LIMITS_H
#define AL_LIMITS_H

/* ---- files and documents */
#define AL_MAX_JSON_DOC        (16u << 20)  /* one JSON document (bundle, manifest, trusted root) */
#define AL_JSON_MAX_DEPTH      64           /* nesting; equals cJSON's CJSON_NESTING_LIMIT */
#define AL_MAX_JSON_MEMBERS    100000       /* object members + array elements in one document */
/* A document read an element at a time (al_json_parse_elems: index.json),
 * whose text is held but never built as one tree: its whole text and every
 * value in it. Each element, and the rest of the document, is still held to
 * the two bounds above; ~220 bytes and ~6 values an entry of an index of
 * AL_MAX_INDEX_ENTRIES, with room for annotations. */
#define AL_MAX_JSON_STREAM_DOC     (32u << 20)
#define AL_MAX_JSON_STREAM_MEMBERS 2000000
#define AL_MAX_PEM_FILE        (1u << 20)   /* a PEM key or certificate file (its certificates: AL_MAX_CHAIN_CERTS) */
#define AL_MAX_PEM_LABEL       60           /* the type label of a PEM BEGIN line, in bytes */
#define AL_MAX_DER             (64u << 10)  /* one DER certificate, key or timestamp */
#define AL_MAX_SIGNATURE       2048         /* one signature, in bytes (RSA-4096 is 512) */
#define AL_MAX_PAYLOAD         (16u << 20)  /* a DSSE payload or simple-signing blob */
#define AL_MAX_ARTIFACT        ((unsigned long long)1 << 40) /* a file given to verify-bundle */
#define AL_MAX_BATCH           200000       /* lines of a verify-bundle --batch list */
#define AL_MAX_BATCH_LIST      (32u << 20)  /* bytes of that list */
#define AL_MAX_SIGN_BLOB       (64u << 20)  /* a file sign-blob signs (read whole: pure Ed25519 signs the message) */
#define AL_MAX_KEYS_ARG        16           /* --key options on one command line */

/* ---- Sigstore bundles (sigstore-go internal/limits) */
#define AL_MAX_TLOG_ENTRIES    32
#define AL_MAX_TIMESTAMPS      32
#define AL_MAX_INTOTO_SUBJECTS 1024
#define AL_MAX_SUBJECT_DIGESTS 32
#define AL_MAX_CHAIN_CERTS     8            /* certificates in a chain, leaf included */
#define AL_MAX_SCTS            16           /* SCTs in one certificate's list */
#define AL_MAX_CMS_ATTRS       32           /* signed attributes in one RFC 3161 SignerInfo */
#define AL_MAX_DSSE_SIGS       16           /* signatures in one DSSE envelope */
#define AL_MAX_VTIMES          (AL_MAX_TLOG_ENTRIES + AL_MAX_TIMESTAMPS) /* verified times of one signature */

/* ---- keys, certificates and timestamps */
#define AL_MIN_RSA_BITS        2048         /* RSA modulus, fewest bits accepted */
#define AL_MAX_RSA_BITS        4096         /* RSA modulus, most bits accepted */
#define AL_MAX_GENTIME_FRACTION 64          /* fraction digits of one GeneralizedTime (RFC 3161 genTime) */

/* ---- transparency logs */
#define AL_MAX_PROOF_HASHES    64           /* an RFC 6962 proof for a tree of < 2^64 leaves */
#define AL_MAX_CHECKPOINT      (64u << 10)  /* a signed note */
#define AL_MAX_NOTE_SIGS       100          /* signature lines in one note */
#define AL_MAX_TREE_SIZE       ((unsigned long long)1 << 62)
#define AL_MAX_KEY_DETAILS     63           /* a Rekor v2 keyDetails name, in bytes */

/* ---- trust roots */
#define AL_MAX_TRUST_ENTRIES   64           /* tlogs, CAs, CT logs or TSAs in one trusted_root.json */
#define AL_MAX_TRUSTED_ROOTS   8            /* trusted roots in one JSON Lines --trusted-root file */

/* ---- TUF repositories (trust-roots/tuf_*.c; python-tuf's defaults where it has one) */
#define AL_MAX_TUF_ROOT        (512u << 10) /* one N.root.json */
#define AL_MAX_TUF_TIMESTAMP   (16u << 10)  /* timestamp.json */
#define AL_MAX_TUF_SNAPSHOT    (2u << 20)   /* snapshot.json, when timestamp.json gives no length */
#define AL_MAX_TUF_TARGETS     (5u << 20)   /* targets.json or a delegated role, when snapshot.json gives no length */
#define AL_MAX_TUF_TARGET_FILE (64u << 20)  /* one target file (its length in targets metadata) */
#define AL_MAX_TUF_KEYS        64           /* keys in a root, or in one delegations object */
#define AL_MAX_TUF_SIGNATURES  64           /* signatures on one metadata file */
#define AL_MAX_TUF_DELEGATIONS 64           /* roles delegated by one targets file */
#define AL_MAX_TUF_DELEGATION_DEPTH 8       /* delegated roles between targets.json and a target */
#define AL_MAX_TUF_ROLES_VISITED 32         /* delegated roles loaded in one update (python-tuf max_delegations) */
#define AL_MAX_TUF_TARGET_ENTRIES 10000     /* targets listed in one targets file */
#define AL_MAX_TUF_META_ENTRIES 1024        /* roles listed in snapshot.json meta */
#define AL_MAX_TUF_PATHS       1024         /* path patterns or hash prefixes of one delegated role */
#define AL_MAX_TUF_HASHES      8            /* hashes listed for one file */
#define AL_MAX_TUF_ROOT_ROTATIONS 256       /* new root versions read in one update (python-tuf max_root_rotations) */
#define AL_MAX_TUF_ROLE_NAME   128          /* a delegated role's name, in bytes */
#define AL_MAX_TUF_REQUESTS    64           /* target files asked for in one update */

/* ---- image bundles */
/* Names one store lists. Each costs ~120 bytes for a blob name (a 32-byte
 * entry, the path in the store's pool, a 4-byte slot of the path index at
 * most half full): 100,000 names 14 MiB measured (docs/performance.md §4). */
/* names in one bundle: an index of AL_MAX_INDEX_ENTRIES has a manifest and
 * a config or layer for each entry, and a little more */
#define AL_MAX_ARCHIVE_ENTRIES 262144
#define AL_MAX_PATH            4096
#define AL_MAX_DIR_DEPTH       2            /* directory bundle: levels read below the top (blobs/<alg>/<hex>) */
#define AL_MAX_OCI_LAYOUT      4096         /* the oci-layout file */
#define AL_MAX_SIG_FILE        (AL_MAX_JSON_DOC + 64) /* a containers/image signature-N file: JSON and its header */
#define AL_MAX_SIG_FORMAT_NAME 64           /* the format name in a signature-N file's header */
#define AL_MAX_SIG_FILE_NAME   160          /* "<digest>.signature-N" names, NUL included */
#define AL_MAX_BLOBS           400000       /* descriptors parsed in one bundle: ~3 an index entry */
#define AL_MAX_MANIFEST        (4u << 20)   /* one OCI manifest or index (OCI suggests 4 MiB) */
#define AL_MAX_LAYERS          1024         /* layers in one image manifest */
/* Manifests in one index. An entry of index.json (an image or its
 * signature) costs ~600 bytes through a plain verify of a directory:
 * 100,000 entries verify in 57.4 MiB (docs/performance.md §2.6, §4.9). A
 * result kept whole (-o json) and a plain tar (which keeps its JSON entries
 * in memory, up to AL_MAX_KEPT_TOTAL) cost more per entry: those forms stay
 * under 64 MiB up to ~8,000 entries and are bounded, not small, beyond
 * (~235 MiB at 100,000). */
#define AL_MAX_INDEX_ENTRIES   100000
#define AL_MAX_INDEX_DEPTH     8            /* nested indexes */
#define AL_MAX_REPO_TAGS       1024         /* RepoTags of one docker manifest.json entry */
#define AL_MAX_BINDING_ROUNDS  4            /* artifact of artifact of ... of an image (cosign signs attestations) */
#define AL_MAX_SIGS_PER_IMAGE  32           /* signatures or attestations on one image */
#define AL_MAX_BLOB            ((unsigned long long)1 << 40)
#define AL_MAX_KEPT_BLOB       (4u << 20)   /* archive: JSON-looking entries kept in memory in the one pass */
#define AL_MAX_KEPT_BINARY     (64u << 10)  /* archive: any entry up to this size is kept too */
#define AL_MAX_KEPT_TOTAL      ((unsigned long long)256 << 20) /* archive: all kept entries together */
#define AL_MAX_READ_BYTES      ((unsigned long long)256 << 30) /* archive: decompressed bytes read in one run (--max-bytes) */
#define AL_MAX_EXPANSION       1000         /* archive: decompressed : compressed, checked past the first GiB */
#define AL_EXPANSION_FREE      ((unsigned long long)1 << 30) /* archive: output before AL_MAX_EXPANSION is checked */
#define AL_MAX_TAR_META        (1u << 20)   /* archive: one PAX or GNU long-name record (Go's maxSpecialFileSize) */
#define AL_MAX_DECODER_WINDOW  (128u << 20) /* archive: zstd window / xz decoder memory (zstd's default cap) */
#define AL_HASHQ_BUFS          16           /* archive: buffers in flight between the reading thread and the hashing threads */
#define AL_HASHQ_BUF           (1u << 20)   /* archive: bytes of one such buffer (so at most 16 MiB in flight) */
#define AL_MAX_THREADS         64           /* -j: worker threads of one run (hashing blobs, --batch); default: the CPUs this process may use */

/* ---- delivery and evidence media (bundle/medium.c; docs/appliance.md) */
#define AL_MAX_MEDIUM_BUNDLES  64           /* bundles on one delivery medium */
#define AL_MAX_MEDIUM_NAME     96           /* a bundle's or TUF file's name on a medium, in bytes */
#define AL_MAX_MEDIUM_TUF_FILES 256         /* files of the TUF repository a medium carries */
#define AL_MAX_MEDIUM_TUF_BYTES ((unsigned long long)128 << 20) /* all of them together (held in memory) */
#define AL_MAX_MEDIUM_LABEL    64           /* the AIRLOCK-MEDIUM / AIRLOCK-EVIDENCE label file */
#define AL_MAX_EVIDENCE_BYTES  ((unsigned long long)64 << 20) /* what the appliance writes as evidence */
#define AL_MAX_APPLIANCE_CONF  (16u << 10)  /* appliance.conf */
#define AL_MAX_TRANSCRIPT      (8u << 20)   /* the console transcript kept for the evidence */

/* ---- policies (policy/; docs/policy.md) */
#define AL_MAX_POLICY_FILE     (1u << 20)   /* one policy file */
#define AL_MAX_POLICY_RULES    256          /* rules (scopes) in one policy */
#define AL_MAX_POLICY_PATTERNS 64           /* globs or scopes of one rule */
#define AL_MAX_POLICY_AUTHORITIES 16        /* authorities of one rule */
#define AL_MAX_POLICY_KEYS     16           /* keys of one authority, or Rekor keys of one rule */
#define AL_MAX_POLICY_EXTENSIONS 32         /* certificate-extension constraints of one authority */
#define AL_MAX_POLICY_ATTESTATIONS 16       /* required attestations of one rule */
#define AL_MAX_POLICY_INPUTS   32           /* SLSA workflow-input constraints of one attestation */
#define AL_MAX_POLICY_STRING   4096         /* one string of a policy (a regexp, a PEM is AL_MAX_PEM_FILE) */
#define AL_MAX_REFERENCE       512          /* an image reference: its name (docker: 255), tag and digest */
#define AL_MAX_IMAGE_NAMES     64           /* names one image is evaluated under */

/* ---- output */
#define AL_MAX_TEXT_FIELD      1024         /* one untrusted value (name, annotation, media type) as printed */
#define AL_MAX_VSA_INPUTS      256          /* inputAttestations of one VSA (verified items; more are left out) */
#define AL_MAX_VSA_NAMES       64           /* subject names of one VSA (tags of one image digest) */
#define AL_MAX_REPORT_LINE     4096         /* one report or error line as printed, escapes included */
#define AL_ERR_MSG_MAX         1024         /* one error message, NUL included (al_err) */
#define AL_JPATH_MAX           256          /* a JSON path in a message ("tlogEntries[0].logIndex"), NUL included */

/*
 * Every limit above, for `airlock version --limits`. X(name) is expanded for
 * each; tests/e2e/cli.sh checks that the output names every #define of this
 * file, so a bound added above and forgotten here fails the tests.
 */
#define AL_LIMITS(X) \
	X(AL_MAX_JSON_DOC) X(AL_JSON_MAX_DEPTH) X(AL_MAX_JSON_MEMBERS) X(AL_MAX_JSON_STREAM_DOC) \
	X(AL_MAX_JSON_STREAM_MEMBERS) X(AL_MAX_PEM_FILE) \
	X(AL_MAX_PEM_LABEL) X(AL_MAX_DER) X(AL_MAX_SIGNATURE) X(AL_MAX_PAYLOAD) X(AL_MAX_ARTIFACT) X(AL_MAX_SIGN_BLOB) X(AL_MAX_BATCH) X(AL_MAX_BATCH_LIST) \
	X(AL_MAX_KEYS_ARG) \
	X(AL_MAX_TLOG_ENTRIES) X(AL_MAX_TIMESTAMPS) X(AL_MAX_INTOTO_SUBJECTS) X(AL_MAX_SUBJECT_DIGESTS) \
	X(AL_MAX_CHAIN_CERTS) X(AL_MAX_SCTS) X(AL_MAX_CMS_ATTRS) X(AL_MAX_DSSE_SIGS) X(AL_MAX_VTIMES) \
	X(AL_MIN_RSA_BITS) X(AL_MAX_RSA_BITS) X(AL_MAX_GENTIME_FRACTION) \
	X(AL_MAX_PROOF_HASHES) X(AL_MAX_CHECKPOINT) X(AL_MAX_NOTE_SIGS) X(AL_MAX_TREE_SIZE) \
	X(AL_MAX_KEY_DETAILS) \
	X(AL_MAX_TRUST_ENTRIES) X(AL_MAX_TRUSTED_ROOTS) \
	X(AL_MAX_POLICY_FILE) X(AL_MAX_POLICY_RULES) X(AL_MAX_POLICY_PATTERNS) X(AL_MAX_POLICY_AUTHORITIES) \
	X(AL_MAX_POLICY_KEYS) X(AL_MAX_POLICY_EXTENSIONS) X(AL_MAX_POLICY_ATTESTATIONS) X(AL_MAX_POLICY_INPUTS) \
	X(AL_MAX_POLICY_STRING) X(AL_MAX_REFERENCE) X(AL_MAX_IMAGE_NAMES) \
	X(AL_MAX_TUF_ROOT) X(AL_MAX_TUF_TIMESTAMP) X(AL_MAX_TUF_SNAPSHOT) X(AL_MAX_TUF_TARGETS) \
	X(AL_MAX_TUF_TARGET_FILE) X(AL_MAX_TUF_KEYS) X(AL_MAX_TUF_SIGNATURES) X(AL_MAX_TUF_DELEGATIONS) \
	X(AL_MAX_TUF_DELEGATION_DEPTH) X(AL_MAX_TUF_ROLES_VISITED) X(AL_MAX_TUF_TARGET_ENTRIES) \
	X(AL_MAX_TUF_META_ENTRIES) X(AL_MAX_TUF_PATHS) X(AL_MAX_TUF_HASHES) X(AL_MAX_TUF_ROOT_ROTATIONS) \
	X(AL_MAX_TUF_ROLE_NAME) X(AL_MAX_TUF_REQUESTS) \
	X(AL_MAX_ARCHIVE_ENTRIES) X(AL_MAX_PATH) X(AL_MAX_DIR_DEPTH) X(AL_MAX_OCI_LAYOUT) X(AL_MAX_SIG_FILE) \
	X(AL_MAX_SIG_FORMAT_NAME) X(AL_MAX_SIG_FILE_NAME) \
	X(AL_MAX_BLOBS) X(AL_MAX_MANIFEST) X(AL_MAX_LAYERS) \
	X(AL_MAX_INDEX_ENTRIES) X(AL_MAX_INDEX_DEPTH) X(AL_MAX_REPO_TAGS) X(AL_MAX_BINDING_ROUNDS) X(AL_MAX_SIGS_PER_IMAGE) X(AL_MAX_BLOB) \
	X(AL_MAX_KEPT_BLOB) X(AL_MAX_KEPT_BINARY) X(AL_MAX_KEPT_TOTAL) X(AL_MAX_READ_BYTES) X(AL_MAX_EXPANSION) \
	X(AL_EXPANSION_FREE) X(AL_MAX_TAR_META) X(AL_MAX_DECODER_WINDOW) X(AL_HASHQ_BUFS) X(AL_HASHQ_BUF) \
	X(AL_MAX_THREADS) \
	X(AL_MAX_MEDIUM_BUNDLES) X(AL_MAX_MEDIUM_NAME) X(AL_MAX_MEDIUM_TUF_FILES) X(AL_MAX_MEDIUM_TUF_BYTES) \
	X(AL_MAX_MEDIUM_LABEL) X(AL_MAX_EVIDENCE_BYTES) X(AL_MAX_APPLIANCE_CONF) X(AL_MAX_TRANSCRIPT) \
	X(AL_MAX_TEXT_FIELD) X(AL_MAX_VSA_INPUTS) X(AL_MAX_VSA_NAMES) X(AL_MAX_REPORT_LINE) X(AL_ERR_MSG_MAX) X(AL_JPATH_MAX)

#endif
