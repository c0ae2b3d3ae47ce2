/*
 * common.h — the primitives every airlock module uses.
 *
 *   al_err     one error type: a code from one enum partitioned by module,
 *              and a message that gathers context on its way up
 *              ("bundle: layer 3: digest mismatch").
 *   al_bytes   a borrowed (pointer, length) slice; al_buf an owned one.
 *   al_rd      a bounded reader with a sticky error: the first failed read
 *              poisons it, callers check once.
 *   codecs     strict base64 (standard and URL-safe, canonical only), hex,
 *              PEM with a checked type label.
 *   UTF-8      one strict decoder and encoder, and Go's Unicode case fold.
 *   JSON       strict parsing on cJSON (size, depth, duplicate keys, UTF-8,
 *              trailing bytes) and typed getters whose errors carry the
 *              JSON path of the bad value.
 *
 * Nothing here trusts its input: every length is checked against what is
 * left and against limits.h.
 */
#ifndef AL_COMMON_H
#define AL_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/limits.h"

#define AL_MUST_USE __attribute__((warn_unused_result))
#define AL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define AL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ================================================================ errors */

/*
 * One enum, partitioned by module (the high byte). Each code has a fixed exit
 * class (al_rc_exit): 0 verified, 1 verification failed, 2 usage error or
 * unreadable operator input, 3 nothing to verify, 4 trust material invalid.
 */
typedef enum al_rc {
	AL_OK = 0,

	/* common */
	AL_E_USAGE = 0x0101,      /* bad command line: exit 2 */
	AL_E_IO,                  /* an operator-named file cannot be read: exit 2 */
	AL_E_NOMEM,               /* out of memory: exit 2 */
	AL_E_LIMIT,               /* input exceeds a bound in limits.h: exit 1 */
	AL_E_DECODE,              /* malformed base64 / hex / PEM / DER: exit 1 */
	AL_E_JSON,                /* malformed or ill-typed JSON: exit 1 */
	AL_E_INTERNAL,            /* a bug or an impossible state: exit 1 */

	/* crypto */
	AL_E_CRYPTO_KEY = 0x0201, /* key malformed or unsupported: exit 1 */
	AL_E_CRYPTO_SIG,          /* signature does not verify: exit 1 */
	AL_E_CRYPTO_DIGEST,       /* digest mismatch: exit 1 */
	AL_E_CRYPTO_CERT,         /* certificate or chain invalid: exit 1 */
	AL_E_CRYPTO_TIME,         /* outside a validity window: exit 1 */
	AL_E_CRYPTO_TSA,          /* RFC 3161 timestamp invalid: exit 1 */
	AL_E_CRYPTO_SCT,          /* no verified SCT: exit 1 */

	/* tlog */
	AL_E_TLOG_PROOF = 0x0301, /* inclusion proof does not verify: exit 1 */
	AL_E_TLOG_CHECKPOINT,     /* checkpoint malformed, unsigned or mismatched: exit 1 */
	AL_E_TLOG_SET,            /* signed entry timestamp invalid: exit 1 */
	AL_E_TLOG_BODY,           /* entry body malformed or not bound to the bundle: exit 1 */
	AL_E_TLOG_NONE,           /* no transparency-log entry verified: exit 1 */

	/* trust-roots */
	AL_E_TRUST_INVALID = 0x0401, /* trust material malformed: exit 4 */
	AL_E_TRUST_STALE,            /* trust material expired or rolled back: exit 4;
				      * produced by the TUF client (al_tuf_update) */

	/* bundle */
	AL_E_BUNDLE_FORMAT = 0x0501, /* structurally invalid bundle or layout: exit 1 */
	AL_E_BUNDLE_BLOB,            /* missing, extra-large or mismatched blob: exit 1 */
	AL_E_BUNDLE_UNSAFE,          /* unsafe archive entry (path, link, device): exit 1 */

	/* verify */
	AL_E_VERIFY_FAILED = 0x0601, /* a check failed: exit 1 */
	AL_E_VERIFY_POLICY,          /* policy not satisfied: exit 1 */
	AL_E_VERIFY_IDENTITY,        /* signer identity does not match: exit 1 */
	AL_E_VERIFY_NOTHING,         /* nothing to verify (no signature found): exit 3 */
	AL_E_VERIFY_NOTSIGNER,       /* signed by none of the given keys (another signer): exit 1 */
} al_rc;

typedef struct al_err {
	al_rc code;
	char msg[AL_ERR_MSG_MAX];
} al_err;

/* Clears err (code AL_OK, empty message). */
void al_err_clear(al_err *err);

/* Sets code and message; returns code so callers can `return al_err_set(...)`.
 * err may be NULL. */
al_rc al_err_set(al_err *err, al_rc code, const char *fmt, ...) AL_PRINTF(3, 4);
al_rc al_err_vset(al_err *err, al_rc code, const char *fmt, va_list ap) AL_PRINTF(3, 0);

/* Prepends context: "ctx: old message". Keeps the code. Returns err->code.
 * err may be NULL, as for al_err_set and al_err_recode: a safe no-op. With
 * no err there is no code to keep, so it then returns AL_E_INTERNAL, never
 * AL_OK: a caller whose err may be NULL returns its own rc. */
al_rc al_err_prefix(al_err *err, const char *fmt, ...) AL_PRINTF(2, 3);

/* Replaces the code (a module re-classifying a lower module's error, e.g. a
 * JSON error inside trusted_root.json becomes AL_E_TRUST_INVALID) and prepends
 * context. Returns the new code. */
al_rc al_err_recode(al_err *err, al_rc code, const char *fmt, ...) AL_PRINTF(3, 4);

/* Exit status of a code, per the table above. */
int al_rc_exit(al_rc code);
/* Short stable name ("tlog-proof") for reports. */
const char *al_rc_name(al_rc code);

/* ================================================================ bytes */

typedef struct al_bytes {
	const uint8_t *p;
	size_t n;
} al_bytes;

/* Owned, growable buffer. al_buf_free(NULL) and on a zeroed buf are no-ops. */
typedef struct al_buf {
	uint8_t *p;
	size_t n;
	size_t cap;
} al_buf;

static inline al_bytes al_bytes_of(const void *p, size_t n)
{
	al_bytes b = { (const uint8_t *)p, n };
	return b;
}
al_bytes al_bytes_str(const char *s);
static inline al_bytes al_buf_bytes(const al_buf *b)
{
	return al_bytes_of(b->p, b->n);
}
bool al_bytes_eq(al_bytes a, al_bytes b);          /* not constant time */
bool al_bytes_eq_str(al_bytes a, const char *s);   /* not constant time */

/* Constant-time equality of two equal-length secrets or digests.
 * Returns true when equal. Lengths are public. */
bool al_ct_eq(const uint8_t *a, const uint8_t *b, size_t n);

/* Room for extra more bytes and a NUL. An empty buffer gets exactly that
 * (at least 64 bytes); a full one doubles. */
al_rc al_buf_reserve(al_buf *b, size_t extra, al_err *err) AL_MUST_USE;
al_rc al_buf_append(al_buf *b, const void *p, size_t n, al_err *err) AL_MUST_USE;
al_rc al_buf_appendf(al_buf *b, al_err *err, const char *fmt, ...) AL_PRINTF(3, 4) AL_MUST_USE;
/* Copies into a fresh buffer with a NUL after the last byte (not counted in n). */
al_rc al_buf_dup(al_buf *dst, al_bytes src, al_err *err) AL_MUST_USE;
void al_buf_free(al_buf *b);

/* Opens an operator-named file for reading and proves it is a regular file
 * (fstat of the descriptor opened): a FIFO, socket or device is refused at
 * once with AL_E_IO, without blocking (the open is non-blocking; the flag is
 * cleared before returning). what prefixes the name in messages ("artifact
 * "), may be "". On success *fd is open (O_CLOEXEC) and the caller closes it. */
al_rc al_open_regular(const char *path, const char *what, int *fd, al_err *err) AL_MUST_USE;

/* Reads a whole regular file (O_NOFOLLOW is not used: operators name files
 * through links; the bound is max bytes), opened with al_open_regular, so a
 * FIFO, socket or device is AL_E_IO at once. "-" reads stdin, which may be a
 * pipe. Errors: AL_E_IO, AL_E_LIMIT. */
al_rc al_read_file(const char *path, size_t max, al_buf *out, al_err *err) AL_MUST_USE;
/* The read loop of al_read_file, for a descriptor the caller opened and
 * judged: reads fd to its end into out (overwritten, with a NUL after the
 * data that n does not count). name starts every message. fd is left open;
 * on error out may hold a partial read (the caller frees it).
 * Errors: AL_E_IO, AL_E_LIMIT (more than max bytes), AL_E_NOMEM. */
al_rc al_read_fd(int fd, const char *name, size_t max, al_buf *out, al_err *err) AL_MUST_USE;

/* Writing (file.c), into a folder the caller opened (dfd): the generic part
 * of an atomic install. al_dir_write_tmp creates tmp exclusively and never
 * through a symbolic link (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644), writes
 * data, fsyncs and closes it; on failure it removes tmp. al_dir_rename then
 * renames tmp to name and fsyncs the folder; with noreplace an existing name
 * (a file, a symbolic link, anything) is never replaced ("exists (never
 * overwritten)"). Messages do not name the file: callers prefix it.
 * Errors: AL_E_IO. */
al_rc al_dir_write_tmp(int dfd, const char *tmp, al_bytes data, al_err *err) AL_MUST_USE;
al_rc al_dir_rename(int dfd, const char *tmp, const char *name, bool noreplace, al_err *err) AL_MUST_USE;

/* ================================================================ arena */

/* Many small allocations freed in one call (arena.c). Zero-initialise. */
typedef struct al_arena {
	struct al_chunk *head;
	const char **recent;     /* al_arena_intern's cache, in the arena */
} al_arena;

/* zeroed, aligned to 8 (enough for any type but long double and 128-bit
 * integers, which arenas do not hold); NULL and err on failure */
void *al_arena_alloc(al_arena *a, size_t n, al_err *err);
char *al_arena_strdup(al_arena *a, al_bytes s, al_err *err);         /* NUL-terminated copy */
char *al_arena_printf(al_arena *a, al_err *err, const char *fmt, ...) AL_PRINTF(3, 4);
char *al_arena_vprintf(al_arena *a, al_err *err, const char *fmt, va_list ap) AL_PRINTF(3, 0);
/* A NUL-terminated copy of s that may be shared: when an equal string
 * copied by this call is still in a small cache, that one is returned.
 * For the strings a model or result repeats for every image (a media type,
 * a signer, a log's name); the caller must never write to it. */
const char *al_arena_intern(al_arena *a, al_bytes s, al_err *err);
void al_arena_free(al_arena *a);

/* ================================================================ UTF-8 */

/*
 * The one reading of UTF-8 bytes and the one case fold, so that every check
 * sees the same code points.
 */

/* Decodes the sequence at p[0..n): returns its length (1..4) and sets *cp,
 * or returns 0 (leaving *cp alone) when it is not well-formed RFC 3629
 * UTF-8: a stray continuation or invalid leading byte, a bad continuation,
 * a truncated sequence (n too short, n == 0 included), an overlong form, a
 * surrogate, or a value above U+10FFFF. */
size_t al_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);
/* Writes cp (a Unicode scalar value) as UTF-8; returns the length, 1..4. */
size_t al_utf8_encode(uint32_t cp, uint8_t out[4]);
/* Whether all of in is well-formed; if not and bad_at is not NULL, *bad_at is
 * the offset of the first sequence al_utf8_decode refuses. */
bool al_utf8_valid(al_bytes in, size_t *bad_at);
/* Go's case fold (encoding/json, strings.EqualFold's classes): ASCII letters
 * to upper case, every other code point to the smallest member of its
 * Unicode simple case-folding class (CaseFolding.txt statuses C and S), so
 * two code points fold alike iff they are equal under simple folding. Never
 * lengthens the UTF-8 encoding. U+0130 and U+0131 are alone in their
 * classes (their folds are Turkish or full-only). */
uint32_t al_fold_rune(uint32_t cp);
/* The Unicode version of al_fold_rune's table ("15.0.0"). */
extern const char al_fold_unicode[];

/* ================================================================ text */

/*
 * Showing untrusted bytes to an operator. Every byte that came from a
 * bundle, an archive, a file name or an error excerpt goes through one of
 * these before it reaches stdout or stderr, so that it stays on one line and
 * cannot forge a report line, move the cursor or reorder the display.
 *
 * Rules (the same for both functions):
 *   - printable ASCII and valid UTF-8 pass through unchanged;
 *   - backslash becomes "\\" (so every other backslash in the output starts
 *     an escape and an escape can never be forged);
 *   - bytes 0x00-0x1f and 0x7f, and every byte of invalid UTF-8 (overlong,
 *     surrogate, truncated, > U+10FFFF), become "\xNN" (lowercase hex);
 *   - C1 controls U+0080-U+009F, the bidi controls U+061C, U+200E/F,
 *     U+202A-U+202E, U+2066-U+2069, and the other invisible or line-breaking
 *     format characters (U+180E, U+200B-U+200D, U+2028/9, U+2060-U+206F,
 *     U+FEFF, U+FFF9-U+FFFB, U+E0000-U+E007F) become "\u{NNNN}";
 *   - with AL_TEXT_QUOTED, '"' becomes "\x22" (for values printed in quotes);
 *   - output longer than the cap is cut at an escape boundary and ends with
 *     AL_TEXT_TRUNCATED; the cap counts the marker.
 * The output never contains a newline, so one call makes at most one line.
 */
#define AL_TEXT_TRUNCATED "...[truncated]"
#define AL_TEXT_QUOTED 1u

/* Appends the escaped form of in to out: at most max(cap, strlen of the
 * marker) bytes, plus the NUL al_buf keeps after its data. in.p may be NULL
 * when in.n is 0. Fails only on AL_E_NOMEM. For a multi-line report, call it
 * once per line (without the '\n') and append the '\n' yourself. */
al_rc al_text_escape(al_buf *out, al_bytes in, size_t cap, unsigned flags, al_err *err) AL_MUST_USE;

/* The same rules for a sink that holds one already-formatted line (an error
 * message, a result line): writes the escaped line and a NUL into dst
 * (size bytes, the NUL included), truncating with the marker. Returns the
 * length written. Never fails; when size cannot hold the marker and a NUL it
 * writes an empty string. */
size_t al_text_line(char *dst, size_t size, al_bytes line);

/* True when in holds nothing al_text_escape would change except backslashes:
 * no control byte (newline included), no invalid UTF-8, no hidden code
 * point. For a sink that receives text escaped elsewhere and checks it. */
bool al_text_clean(al_bytes in);
/* Whether cp is one of the hidden code points above (C1, bidi, invisible
 * format characters, separators, tags). */
bool al_text_hidden(uint32_t cp);

/* Parses an operator's byte count: decimal digits, optionally followed by
 * one of K, M, G, T (binary: 2^10 .. 2^40; lowercase accepted). Zero,
 * overflow of 64 bits, signs, spaces and anything else are AL_E_USAGE. */
al_rc al_parse_size(const char *s, uint64_t *out, al_err *err) AL_MUST_USE;
/* A duration for options: digits and one unit, s m h d or w ("90d"), as
 * seconds; zero is allowed (anything older fails). Errors: AL_E_USAGE. */
al_rc al_parse_duration(const char *s, int64_t *out, al_err *err) AL_MUST_USE;

/* ================================================================ reader */

typedef struct al_rd {
	const uint8_t *p;
	size_t n;
	bool bad;
} al_rd;

static inline al_rd al_rd_of(al_bytes b)
{
	al_rd r = { b.p, b.n, false };
	return r;
}
uint8_t al_rd_u8(al_rd *r);
uint16_t al_rd_be16(al_rd *r);
uint32_t al_rd_be24(al_rd *r);
uint32_t al_rd_be32(al_rd *r);
uint64_t al_rd_be64(al_rd *r);
/* Takes n bytes; on short input returns an empty slice and poisons r. */
al_bytes al_rd_take(al_rd *r, size_t n);
/* Takes a length-prefixed field (prefix of 1, 2 or 3 bytes, big-endian). */
al_bytes al_rd_take_vec(al_rd *r, unsigned prefix_bytes);
/* Takes up to (not including) the first byte == delim, and consumes delim.
 * Poisons when delim is absent. */
al_bytes al_rd_until(al_rd *r, uint8_t delim);
static inline bool al_rd_ok(const al_rd *r) { return !r->bad; }
/* True when nothing is left and no read failed. */
static inline bool al_rd_done(const al_rd *r) { return !r->bad && r->n == 0; }

/* ================================================================ codecs */

/* Base64 (RFC 4648). Canonical only: padding required for the standard
 * alphabet, unused bits zero, no whitespace. url=true takes the URL-safe
 * alphabet with optional padding. Output is allocated. */
al_rc al_b64_decode(al_bytes in, bool url, al_buf *out, al_err *err) AL_MUST_USE;
/* The one lenient reading, of bytes as protobuf JSON and Go's
 * encoding/base64 readers take them: the URL-safe alphabet when '-' or '_'
 * occurs (padding then optional), else the standard one; CR and LF are
 * skipped; the rest is al_b64_decode's strict rules. */
al_rc al_b64_decode_lenient(al_bytes in, al_buf *out, al_err *err) AL_MUST_USE;
/* Appends the standard-alphabet padded encoding of in to out. */
al_rc al_b64_encode(al_bytes in, al_buf *out, al_err *err) AL_MUST_USE;
/* Lowercase or uppercase hex (not mixed within one string is not enforced);
 * decodes exactly cap bytes into out, or fails. */
al_rc al_hex_decode(al_bytes in, uint8_t *out, size_t cap, al_err *err) AL_MUST_USE;
/* Writes 2n lowercase hex digits and a NUL into out (size >= 2n+1). */
void al_hex_encode(const uint8_t *in, size_t n, char *out);

/* PEM. al_pem_next finds the next block in *rest, checks its label against
 * want (NULL accepts any; the label found, at most AL_MAX_PEM_LABEL bytes,
 * is returned NUL-terminated in label when label != NULL), decodes it into
 * der and advances *rest.
 * Returns AL_OK with der->n == 0 and no error when no further block exists. */
al_rc al_pem_next(al_bytes *rest, const char *want, char label[AL_MAX_PEM_LABEL + 1], al_buf *der,
		  al_err *err) AL_MUST_USE;
/* Exactly one block of type want in the whole input (text outside blocks is
 * allowed, as in OpenSSL files). */
al_rc al_pem_one(al_bytes in, const char *want, al_buf *der, al_err *err) AL_MUST_USE;

/* ================================================================ JSON */

struct cJSON;
typedef struct cJSON al_json;

/* Parses one strict JSON document: size <= AL_MAX_JSON_DOC, valid UTF-8,
 * depth <= AL_JSON_MAX_DEPTH, no duplicate object keys, nothing but
 * whitespace after the value. Free with al_json_free. */
al_rc al_json_parse(al_bytes in, al_json **out, al_err *err) AL_MUST_USE;
void al_json_free(al_json *j);
/* The same document, but the array of its top-level member key (index.json's
 * "manifests") is not built as one tree: *rest is the document with that
 * array empty, and al_json_elems_next parses its elements one at a time,
 * each checked as al_json_parse checks the whole (the whole text's UTF-8,
 * strings, depth and counts first; each element's syntax, depth and
 * duplicate keys), all before the first is handed out. Within
 * al_json_parse's bounds a document is accepted exactly when al_json_parse
 * accepts it, with the same values (fuzz_common compares the two); the
 * whole text may go up to AL_MAX_JSON_STREAM_DOC bytes and
 * AL_MAX_JSON_STREAM_MEMBERS values, as it is never built whole (each
 * element and the rest are still held to al_json_parse's). When the
 * key is not found as written (an escaped key, say), *rest is the whole
 * tree and the elements come from it. in must outlive v. */
typedef struct al_json_elems {
	al_bytes doc;
	size_t pos, end;            /* the array's text: next element at pos, ']' at end */
	size_t i, n;                /* elements handed out, elements in all */
	const al_json *tree;        /* the array in *rest when it could not be lifted */
	const al_json *tree_at;
	al_json *cur;               /* the element handed out last (owned) */
} al_json_elems;
al_rc al_json_parse_elems(al_bytes in, const char *key, al_json **rest, al_json_elems *v,
			  al_err *err) AL_MUST_USE;
/* The next element (*e NULL after the last), valid until the next call or
 * al_json_elems_free. */
al_rc al_json_elems_next(al_json_elems *v, const al_json **e, al_err *err) AL_MUST_USE;
void al_json_elems_free(al_json_elems *v);
/* j in RFC 8785 canonical form (JCS), appended to out: keys sorted by UTF-16
 * code units, no insignificant whitespace, strings escaped as JCS does
 * (invalid UTF-8 written as U+FFFD). Numbers must be exact integers (all
 * airlock writes); anything else, or a duplicate key, is AL_E_INTERNAL. */
al_rc al_json_canonical(const al_json *j, al_buf *out, al_err *err) AL_MUST_USE;
/* The same, where j holds placeholders (cJSON raw values): fn writes each
 * one's value in its place, in canonical form. So a document too large to
 * hold as one tree (a report on thousands of images) is written a part at
 * a time, byte for byte as al_json_canonical would write the whole tree. */
typedef al_rc al_json_splice_fn(void *ctx, const al_json *placeholder, al_buf *out, al_err *err);
al_rc al_json_canonical_splice(const al_json *j, al_json_splice_fn *fn, void *ctx, al_buf *out,
			       al_err *err) AL_MUST_USE;

/*
 * Typed getters. `path` names obj in messages ("verificationMaterial"); the
 * error says e.g. "verificationMaterial.tlogEntries[0].logIndex: not an
 * integer". A member whose value is null counts as absent (protobuf JSON).
 * When required is false and the member is absent, the getters return AL_OK
 * and leave *out as "absent" (NULL, or the slice {NULL,0}; *present false).
 * All errors are AL_E_JSON.
 */
typedef struct al_jpath {
	char s[AL_JPATH_MAX];
} al_jpath;
/* child paths */
void al_jpath_key(al_jpath *dst, const char *parent, const char *key);
void al_jpath_idx(al_jpath *dst, const char *parent, size_t idx);

const al_json *al_json_member(const al_json *obj, const char *key); /* NULL if absent or null */
bool al_json_is_obj(const al_json *j);
bool al_json_is_arr(const al_json *j);
bool al_json_is_str(const al_json *j);
size_t al_json_arr_len(const al_json *arr);
const al_json *al_json_arr_at(const al_json *arr, size_t i);
/* The raw string value of a string node (not NUL-terminated in the slice view). */
al_bytes al_json_str_bytes(const al_json *j);
/* Iterate an object's members: first child / next sibling, and the key. */
const al_json *al_json_first(const al_json *obj);
const al_json *al_json_next(const al_json *member);
const char *al_json_key(const al_json *member);

al_rc al_json_get_obj(const al_json *obj, const char *path, const char *key, bool required,
		      const al_json **out, al_err *err) AL_MUST_USE;
al_rc al_json_get_arr(const al_json *obj, const char *path, const char *key, bool required,
		      const al_json **out, al_err *err) AL_MUST_USE;
/* String value; out->p points into the document (valid while it lives). */
al_rc al_json_get_str(const al_json *obj, const char *path, const char *key, bool required,
		      al_bytes *out, al_err *err) AL_MUST_USE;
/* A base64 string (standard alphabet, as protobuf JSON writes bytes; protobuf
 * JSON readers also accept URL-safe and wrapped text, and so do we:
 * al_b64_decode_lenient), decoded into out. */
al_rc al_json_get_b64(const al_json *obj, const char *path, const char *key, bool required,
		      al_buf *out, al_err *err) AL_MUST_USE;
/* int64 as protobuf JSON writes it: a decimal string, or a number that is an
 * exact integer. *present tells whether the member existed. */
al_rc al_json_get_i64(const al_json *obj, const char *path, const char *key, bool required,
		      int64_t *out, bool *present, al_err *err) AL_MUST_USE;
al_rc al_json_get_bool(const al_json *obj, const char *path, const char *key, bool required,
		       bool *out, bool *present, al_err *err) AL_MUST_USE;
/* Rejects any member of obj whose key is not in the NULL-terminated list. */
al_rc al_json_only_keys(const al_json *obj, const char *path, const char *const *keys,
			al_err *err) AL_MUST_USE;

/*
 * Go's view of an object that a Go program decodes into a struct. Go's
 * encoding/json matches keys to fields case-insensitively (Unicode simple
 * folding: "Digest", "DIGEST", "digeſt" with U+017F, "\u212Aey" with the
 * Kelvin sign all reach the field "digest"/"key") and the last match wins,
 * so {"digest":"A","Digest":"B"} is B to skopeo and containerd.
 * fields is the NULL-terminated list of the struct's exact JSON field names.
 * Fails (AL_E_JSON; callers recode to their layer) when a key folds onto a
 * field without being byte-identical to it, or when two keys of obj fold
 * onto each other. Call it only on objects Go decodes into a struct, not on
 * maps (annotations), whose keys Go does not fold.
 */
al_rc al_json_check_fields(const al_json *obj, const char *path, const char *const *fields,
			   al_err *err) AL_MUST_USE;

/* ================================================================ system */

/* The CPUs this process may run on, 1..AL_MAX_THREADS: the default number
 * of threads for hashing (verify -j) and for verify-bundle --batch. */
unsigned al_cpu_count(void);
/* CLOCK_MONOTONIC in nanoseconds: for progress displays, never for a
 * verdict (the evaluation time is --at or the wall clock). */
uint64_t al_monotonic_ns(void);

/* SipHash-2-4 of m under a 128-bit key (siphash.c). */
uint64_t al_siphash24(const uint8_t key[16], al_bytes m);
/* The same under a key drawn once per process from getrandom: the hash for
 * tables indexed by untrusted names, whose slots an attacker must not be
 * able to choose (docs/threat-model.md). */
uint64_t al_keyed_hash(al_bytes m);

/* ================================================================ sandbox */

/* Installs a seccomp filter under which any socket or exec system call
 * kills the process (x86-64 Linux; elsewhere a no-op that says so through
 * al_sandbox_active). Irreversible, inherited by threads and children. */
al_rc al_sandbox_enter(al_err *err) AL_MUST_USE;
bool al_sandbox_active(void);
/* A second filter for a run that writes nothing (a verification without
 * --report or other output files): opening any file for writing, creating,
 * renaming, removing or changing any name or mode kills the process.
 * Irreversible; stdout and stderr, already open, still work. */
al_rc al_sandbox_no_writes(al_err *err) AL_MUST_USE;
bool al_sandbox_read_only(void);

#endif
