/*
 * fg_tlog.c — a Rekor v1-like transparency log: an RFC 6962 Merkle tree
 * over every entry the forge makes, signed entry timestamps, inclusion
 * proofs and signed checkpoints, under the test log key.
 *
 * The tree starts with filler leaves so that proofs have several levels,
 * and entries carry a global logIndex offset from their tree index, as
 * Rekor v1 entries of a later shard do.
 */
#include <string.h>

#include "forge.h"

#define FILLER_LEAVES 37
#define MAX_LEAVES (1u << 17) /* al-forge --many signs up to 100,000 images */

static uint8_t (*leaves)[32];
static size_t nleaves;

static void
leaf_hash(al_bytes body, uint8_t out[32])
{
	al_fg_buf b = { 0 };

	al_fg_put_u8(&b, 0x00);
	al_fg_put(&b, body.p, body.n);
	al_fg_sha256(al_fg_bytes(&b), out);
}

static void
node_hash(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
	uint8_t b[65];

	b[0] = 0x01;
	memcpy(b + 1, l, 32);
	memcpy(b + 33, r, 32);
	al_fg_sha256(al_bytes_of(b, 65), out);
}

/* largest power of two < n (n >= 2) */
static size_t
split(size_t n)
{
	size_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH(D[lo:hi]), RFC 6962 §2.1 */
static void
mth(size_t lo, size_t hi, uint8_t out[32])
{
	uint8_t l[32], r[32];
	size_t k;

	if (hi - lo == 1) {
		memcpy(out, leaves[lo], 32);
		return;
	}
	k = split(hi - lo);
	mth(lo, lo + k, l);
	mth(lo + k, hi, r);
	node_hash(l, r, out);
}

/* PATH(m, D[lo:hi]), RFC 6962 §2.1.1 */
static void
path(size_t m, size_t lo, size_t hi, uint8_t (*out)[32], size_t cap, size_t *n)
{
	size_t k;

	if (hi - lo == 1)
		return;
	k = split(hi - lo);
	if (*n == cap)
		al_fg_die("proof too long");
	if (m < k) {
		path(m, lo, lo + k, out, cap, n);
		mth(lo + k, hi, out[(*n)++]);
	} else {
		path(m - k, lo + k, hi, out, cap, n);
		mth(lo, lo + k, out[(*n)++]);
	}
}

void
al_fg_log_init(void)
{
	leaves = al_fg_alloc(MAX_LEAVES * 32);
	nleaves = 0;
	for (size_t i = 0; i < FILLER_LEAVES; i++)
		leaf_hash(al_bytes_str(al_fg_sprintf("{\"airlock-forge-filler\":%zu}", i)), leaves[nleaves++]);
}

size_t
al_fg_log_size(void)
{
	return nleaves;
}

void
al_fg_log_root(size_t size, uint8_t root[32])
{
	if (size == 0 || size > nleaves)
		al_fg_die("no tree of size %zu", size);
	mth(0, size, root);
}

size_t
al_fg_log_proof(size_t index, size_t size, uint8_t (*hashes)[32], size_t cap)
{
	size_t n = 0;

	if (index >= size || size > nleaves)
		al_fg_die("no proof for %zu in %zu", index, size);
	path(index, 0, size, hashes, cap, &n);
	return n;
}

static char *
set_payload(const al_fg_key *log, al_bytes body, int64_t itime, int64_t log_index)
{
	/* RFC 8785: keys sorted, no whitespace, integers as plain decimals */
	return al_fg_sprintf("{\"body\":\"%s\",\"integratedTime\":%lld,\"logID\":\"%s\",\"logIndex\":%lld}",
			     al_fg_b64(body), (long long)itime, al_fg_hex(log->spki_sha256, 32),
			     (long long)log_index);
}

al_fg_entry
al_fg_log_add(al_bytes body, int64_t integrated_time)
{
	return al_fg_log_add_in(NULL, body, integrated_time);
}

al_fg_entry
al_fg_log_add_in(const al_fg_key *log, al_bytes body, int64_t integrated_time)
{
	static int64_t other_entries;
	al_fg_entry e;

	if (log == NULL)
		log = al_fg_tr.rekor;
	e.body = al_fg_dup(body);
	e.integrated_time = integrated_time;
	e.log = log;
	if (log == al_fg_tr.rekor) {
		if (nleaves == MAX_LEAVES)
			al_fg_die("log full");
		e.tree_index = nleaves;
		e.log_index = (int64_t)nleaves + AL_FG_LOG_SHARD_OFFSET;
		leaf_hash(body, leaves[nleaves++]);
	} else {
		/* a second log: SETs only, its own index count */
		e.tree_index = (size_t)other_entries;
		e.log_index = 500 + other_entries++;
	}
	e.set = al_fg_sign(log, MBEDTLS_MD_SHA256, al_bytes_str(set_payload(log, e.body, e.integrated_time,
									 e.log_index)));
	return e;
}

char *
al_fg_log_checkpoint(size_t size, int64_t timestamp)
{
	uint8_t root[32];

	al_fg_log_root(size, root);
	return al_fg_log_note(size, root, timestamp);
}

char *
al_fg_log_note(size_t size, const uint8_t root[32], int64_t timestamp)
{
	return al_fg_log_note_ex(size, root, timestamp, 0);
}

char *
al_fg_log_note_ex(size_t size, const uint8_t root[32], int64_t timestamp, int tamper)
{
	char *text;
	al_bytes sig;
	al_fg_buf keysig = { 0 };

	text = al_fg_sprintf("%s - %s\n%zu\n%s\nTimestamp: %lld000000000\n", AL_FG_LOG_HOST, AL_FG_LOG_TREE_ID, size,
			     al_fg_b64(al_bytes_of(root, 32)), (long long)timestamp);
	sig = al_fg_sign(al_fg_tr.rekor, MBEDTLS_MD_SHA256, al_bytes_str(text));
	/* key ID: the first 4 bytes of SHA-256(SPKI), then the DER signature */
	if (tamper == AL_FG_NOTE_BAD_HINT) {
		uint8_t hint[4];

		memcpy(hint, al_fg_tr.rekor->spki_sha256, 4);
		hint[3] ^= 0x01;
		al_fg_put(&keysig, hint, 4);
	} else {
		al_fg_put(&keysig, al_fg_tr.rekor->spki_sha256, 4);
	}
	al_fg_put(&keysig, sig.p, sig.n);
	if (tamper == AL_FG_NOTE_BAD_SIG)
		keysig.p[4 + 12] ^= 0x01; /* inside r: the DER stays well-formed */
	return al_fg_sprintf("%s\n\xe2\x80\x94 %s %s\n", text, AL_FG_LOG_HOST, al_fg_b64(al_fg_bytes(&keysig)));
}

char *
al_fg_set_annotation(const al_fg_entry *e)
{
	cJSON *j = al_fg_jnew(), *p;

	al_fg_jstr(j, "SignedEntryTimestamp", al_fg_b64(e->set));
	p = al_fg_jobj(j, "Payload");
	al_fg_jstr(p, "body", al_fg_b64(e->body));
	al_fg_jint(p, "integratedTime", e->integrated_time);
	al_fg_jint(p, "logIndex", e->log_index);
	al_fg_jstr(p, "logID", al_fg_hex(e->log->spki_sha256, 32));
	return al_fg_jprint(j);
}
