/*
 * tuf_internal.h — the TUF metadata model shared by tuf_meta.c (parsing,
 * canonical JSON, signatures) and tuf_client.c (the update workflow). Not
 * part of the module's interface: trust.h is.
 */
#ifndef AL_TUF_INTERNAL_H
#define AL_TUF_INTERNAL_H

#include "trust-roots/trust.h"

/* Room for an untrusted name shown in a message (escaped, bounded). */
#define TUF_SHOW 160

typedef enum tuf_kind {
	TUF_ROOT = 0,
	TUF_TIMESTAMP,
	TUF_SNAPSHOT,
	TUF_TARGETS,
	TUF_ANY, /* al_tuf_inspect: whatever "_type" says */
} tuf_kind;

typedef struct tuf_hash {
	al_bytes alg;             /* as written ("sha256") */
	al_bytes hex;             /* as written: lowercase hex, checked */
	al_hash h;                /* AL_HASH_NONE: an algorithm airlock does not compute */
	uint8_t d[AL_HASH_MAX];   /* decoded when h is supported */
} tuf_hash;

/* METAFILES and TARGETS entries of the specification. */
typedef struct tuf_fileinfo {
	al_bytes name;            /* "snapshot.json", "x.json", or a target path */
	bool has_version;
	int64_t version;
	bool has_length;
	uint64_t length;
	size_t nhashes;
	tuf_hash *hashes;
} tuf_fileinfo;

typedef struct tuf_key {
	al_bytes id;              /* keyid as written */
	bool usable;              /* a type and scheme airlock verifies */
	al_hash hash;
	al_pubkey key;
} tuf_key;

/* A top-level role of a root, or a delegated role of a targets file. */
typedef struct tuf_role {
	al_bytes name;
	size_t nkeyids;
	const tuf_key **keys;     /* the role's keys, resolved; one per distinct keyid */
	int64_t threshold;
	bool terminating;
	bool hash_prefixes;       /* paths holds path_hash_prefixes */
	size_t npaths;
	al_bytes *paths;
} tuf_role;

typedef struct tuf_sig {
	al_bytes keyid;
	al_bytes hex;
} tuf_sig;

typedef struct tuf_md {
	char file[AL_MAX_TUF_ROLE_NAME + 48]; /* the file in messages: "2.root.json" */
	tuf_kind kind;
	al_json *doc;
	al_arena arena;
	al_buf canon;             /* canonical JSON of "signed" */
	int64_t version;
	int64_t expires;
	uint32_t expires_ns;
	size_t nsigs;
	tuf_sig *sigs;
	size_t nkeys;             /* root keys, or a targets file's delegation keys */
	tuf_key *keys;
	tuf_role roles[4];        /* root: indexed by tuf_kind */
	bool consistent_snapshot;
	size_t nmeta;             /* timestamp, snapshot: the meta entries */
	tuf_fileinfo *meta;
	size_t ntargets;          /* targets */
	tuf_fileinfo *targets;
	size_t ndeleg;
	tuf_role *deleg;
} tuf_md;

/* Parses one metadata file of the wanted kind; file names it in messages
 * (untrusted parts already escaped by the caller). md is zeroed first and
 * must be freed with tuf_md_free even on failure. */
al_rc tuf_md_parse(al_bytes json, const char *file, tuf_kind want, tuf_md *md, al_err *err);
void tuf_md_free(tuf_md *md);

/* Whether threshold distinct keys of role signed md. who names the role
 * for the message ("root version 1", "delegated role \"x\""). */
al_rc tuf_verify(const tuf_role *role, const char *who, const tuf_md *md, al_err *err);
/* Expired at now: now >= expires, as python-tuf decides. */
bool tuf_expired(const tuf_md *md, int64_t now);
/* Length (when given) and every supported hash (at least one must be) of
 * data against fi. Messages name file. */
al_rc tuf_check_file(const char *file, al_bytes data, const tuf_fileinfo *fi, al_err *err);
const tuf_fileinfo *tuf_find(const tuf_fileinfo *list, size_t n, al_bytes name);
/* A relative '/'-separated path with no empty, "." or ".." component, no
 * backslash and no control character: safe to join under a folder. */
bool tuf_safe_path(al_bytes p);
/* Whether target lies in a delegated role's paths or hash prefixes. */
bool tuf_role_covers(const tuf_role *r, al_bytes target);
/* Escapes untrusted bytes for a message. */
const char *tuf_show(char dst[TUF_SHOW], al_bytes s);

#endif
