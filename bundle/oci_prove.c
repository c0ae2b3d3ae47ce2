/*
 * oci_prove.c — proving blobs: where a blob lives in the bundle, the blobs
 * the graph names but the bundle lacks, the queue of blobs to prove (size
 * now, digest at the end, all together), documents read and proven at once,
 * and the proving itself: a directory's files hashed (on several threads
 * when there is enough to hash), an archive's hashes from its one pass
 * compared.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle/oci_graph.h"

/* ================================================================ where blobs are */

void
oci_blob_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap)
{
	char hex[AL_HASH_MAX * 2 + 1];

	oci_digest_hex(d, hex);
	if (o->format == AL_OCI_FMT_CONTAINERS_DIR)
		snprintf(out, cap, "%s", hex);
	else
		snprintf(out, cap, "blobs/%s/%s", al_hash_name(d->alg), hex);
}

void
oci_manifest_path(const al_oci *o, const al_oci_digest *d, char *out, size_t cap)
{
	char hex[AL_HASH_MAX * 2 + 1];

	if (o->format != AL_OCI_FMT_CONTAINERS_DIR) {
		oci_blob_path(o, d, out, cap);
		return;
	}
	oci_digest_hex(d, hex);
	snprintf(out, cap, "%s.manifest.json", hex);
}

/* ================================================================ the queue */

al_rc
oci_add_missing(gctx *g, const al_oci_desc *d, const char *where)
{
	al_oci *o = g->o;
	al_oci_missing *m;
	char ds[AL_OCI_DIGEST_STR_MAX], *key;
	size_t at;
	al_rc rc;

	al_oci_digest_str(&d->digest, ds);
	if (oci_map_get(&g->p->missing, ds, &at))
		return AL_OK;
	if ((key = al_arena_strdup(&g->p->arena, al_bytes_str(ds), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((rc = oci_map_put(&g->p->missing, key, o->n_missing, g->err)) != AL_OK)
		return rc;
	if ((rc = oci_grow((void **)&o->missing, &g->p->missing_cap, o->n_missing, sizeof(*m), g->err)) != AL_OK)
		return rc;
	m = &o->missing[o->n_missing++];
	memset(m, 0, sizeof(*m));
	m->digest = d->digest;
	m->size = d->size;
	/* d may be a manifest's config or layer, which the model drops */
	if ((m->media_type = al_arena_intern(&g->p->arena, al_bytes_str(d->media_type), g->err)) == NULL)
		return AL_E_NOMEM;
	if ((m->where = al_arena_strdup(&g->p->arena, al_bytes_str(where), g->err)) == NULL)
		return AL_E_NOMEM;
	m->has_urls = d->has_urls;
	m->in_orphan = g->in_orphan;
	return AL_OK;
}

static al_rc
size_mismatch(gctx *g, const oci_entry *e, const al_oci_desc *d, const char *where)
{
	char pb[OCI_PATH_BUF];

	return al_err_set(g->err, AL_E_BUNDLE_BLOB,
			  "%s (%s): size mismatch: the descriptor says %llu bytes, the blob has %llu", oci_entry_path(e, pb),
			  where, (unsigned long long)d->size, (unsigned long long)e->size);
}

void
oci_check_want(const oci_check *c, al_oci_digest *out)
{
	char pb[OCI_PATH_BUF];
	const char *path, *hex;
	size_t n;

	if (c->want != NULL) {
		*out = *c->want;
		return;
	}
	path = oci_entry_path(c->e, pb);
	hex = strrchr(path, '/');
	/* oci_want_blob found the entry by the path oci_blob_path made of
	 * the digest: blobs/<alg>/<hex>, or <hex> (dir:), which read back
	 * to it (it checked that they do) */
	hex = hex ? hex + 1 : path;
	n = strlen(hex);
	memset(out, 0, sizeof(*out));
	out->alg = n == 2 * al_hash_len(AL_HASH_SHA512) ? AL_HASH_SHA512 : AL_HASH_SHA256;
	if (al_hex_decode(al_bytes_of(hex, n), out->d, al_hash_len(out->alg), NULL) != AL_OK)
		memset(out->d, 0, sizeof(out->d)); /* cannot be: oci_want_blob checked it */
}

al_rc
oci_queue_check(gctx *g, oci_entry *e, const al_oci_digest *want, const char *where)
{
	struct al_oci_priv *p = g->p;
	oci_check *c;
	al_rc rc;

	e->used = true;
	if ((rc = oci_grow((void **)&p->checks, &p->checks_cap, p->n_checks, sizeof(*c), g->err)) != AL_OK)
		return rc;
	c = &p->checks[p->n_checks++];
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->want = want;
	c->where = where;
	return AL_OK;
}

/* The text the walk had when it queued c ("index.json manifests[3]
 * (sha256:…) > layers[0] (sha256:…)"), made again from the nodes' links
 * up to the top: written only for a blob that fails. */
const char *
oci_check_where(const oci_check *c, char *out, size_t cap)
{
	const gnode *chain[AL_MAX_INDEX_DEPTH + 2], *n;
	al_oci_digest want;
	char ds[AL_OCI_DIGEST_STR_MAX];
	size_t k = 0, len;

	if (c->where != NULL || c->parent == NULL)
		return c->where ? c->where : "?";
	for (n = (const gnode *)c->parent; n != NULL && k < AL_ARRAY_LEN(chain); n = n->up)
		chain[k++] = n;
	n = chain[k - 1];
	al_oci_digest_str(n->pub.digest, ds);
	if (n->up_index)
		snprintf(out, cap, "index.json manifests[%u] (%s)", n->up_idx, ds);
	else
		snprintf(out, cap, "%s (%s)", n->pub.orphan ? "orphan" : "manifest.json", ds);
	while (k-- > 1) {
		n = chain[k - 1];
		al_oci_digest_str(n->pub.digest, ds);
		len = strlen(out);
		snprintf(out + len, cap - len, " > manifests[%u] (%s)", n->up_idx, ds);
	}
	oci_check_want(c, &want);
	al_oci_digest_str(&want, ds);
	len = strlen(out);
	snprintf(out + len, cap - len, " > %s[%u] (%s)", c->field, c->idx, ds);
	return out;
}

/* Queues a plain blob (config, layer, unknown media type) for proving. */
al_rc
oci_want_blob(gctx *g, al_oci_desc *d, const char *where, const al_oci_node *parent, const char *field, size_t idx)
{
	al_oci_digest back;
	al_rc rc;
	char path[AL_MAX_PATH + 1];
	oci_entry *e;

	oci_blob_path(g->o, &d->digest, path, sizeof(path));
	e = oci_store_find(g->s, path);
	if (e == NULL || e->type != OCI_E_FILE) {
		if (e != NULL && e->type == OCI_E_DIR)
			return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s): a directory, expected a blob", path,
					  where);
		return oci_add_missing(g, d, where);
	}
	if (e->size != d->size)
		return size_mismatch(g, e, d, where);
	d->present = true;
	if (e->used)
		return AL_OK; /* proven already, or queued */
	if ((rc = oci_queue_check(g, e, NULL, NULL)) != AL_OK)
		return rc;
	g->p->checks[g->p->n_checks - 1].parent = parent;
	g->p->checks[g->p->n_checks - 1].field = field;
	g->p->checks[g->p->n_checks - 1].idx = (uint32_t)idx;
	oci_check_want(&g->p->checks[g->p->n_checks - 1], &back);
	if (!al_oci_digest_eq(&back, &d->digest))
		return al_err_set(g->err, AL_E_INTERNAL, "%s (%s): its path does not read back to its digest", path,
				  where);
	return AL_OK;
}

/* Reads a document entry and proves it against d. */
al_rc
oci_read_proven(gctx *g, oci_entry *e, const al_oci_desc *d, const char *where, al_buf *out)
{
	al_oci_digest got;
	al_rc rc;

	if (e->size != d->size)
		return size_mismatch(g, e, d, where);
	if ((rc = oci_store_read(g->s, e, AL_MAX_MANIFEST, out, g->err)) != AL_OK)
		return al_err_prefix(g->err, "%s", where);
	if (out->n != d->size)
		return size_mismatch(g, e, d, where);
	al_oci_digest_of(d->digest.alg, al_buf_bytes(out), &got);
	if (!al_oci_digest_eq(&got, &d->digest)) {
		char gs[AL_OCI_DIGEST_STR_MAX], pb[OCI_PATH_BUF];

		al_oci_digest_str(&got, gs);
		return al_err_set(g->err, AL_E_BUNDLE_BLOB, "%s (%s): digest mismatch: the content hashes to %s",
				  oci_entry_path(e, pb), where, gs);
	}
	e->used = true;
	e->checked = true;
	return AL_OK;
}

/* ================================================================ proving */

static al_rc
fail_digest(const oci_check *c, const uint8_t *got, al_err *err)
{
	al_oci_digest g, want;
	char gs[AL_OCI_DIGEST_STR_MAX], w[OCI_WHERE_MAX], pb[OCI_PATH_BUF];

	oci_check_want(c, &want);
	memset(&g, 0, sizeof(g));
	g.alg = want.alg;
	memcpy(g.d, got, al_hash_len(want.alg));
	al_oci_digest_str(&g, gs);
	return al_err_set(err, AL_E_BUNDLE_BLOB, "%s (%s): digest mismatch: the content hashes to %s",
			  oci_entry_path(c->e, pb), oci_check_where(c, w, sizeof(w)), gs);
}

static al_rc
changed_size(const oci_check *c, al_err *err)
{
	char pb[OCI_PATH_BUF];

	return al_err_set(err, AL_E_BUNDLE_BLOB, "%s: changed size while the bundle was read",
			  oci_entry_path(c->e, pb));
}

/* Hashes one directory file through the one file-hashing loop, bounded by
 * the size the listing saw: a file that grows or shrinks meanwhile fails. */
static al_rc
prove_file(oci_store *s, const oci_check *c, uint64_t *hashed, al_err *err)
{
	uint8_t got[AL_HASH_MAX];
	uint64_t size, total = 0;
	al_oci_digest want;
	char pb[OCI_PATH_BUF];
	const char *path = oci_entry_path(c->e, pb);
	al_rc rc;
	int fd;

	oci_check_want(c, &want);
	if ((rc = oci_open_regular(s, path, &fd, &size, err)) != AL_OK)
		return rc;
	if (size != c->e->size) {
		close(fd);
		return changed_size(c, err);
	}
	rc = al_hash_fd(fd, want.alg, c->e->size, got, &total, err);
	close(fd);
	oci_progress_add(s->progress, total);
	if (rc == AL_E_LIMIT)
		return changed_size(c, err);
	if (rc != AL_OK)
		return al_err_prefix(err, "%s", path);
	*hashed += total;
	if (total != c->e->size)
		return changed_size(c, err);
	if (!al_ct_eq(got, want.d, al_hash_len(want.alg)))
		return fail_digest(c, got, err);
	return AL_OK;
}

/* Workers take checks in increasing order, so the first failure each one
 * meets is its lowest; the lowest of those is the first in list order, and
 * only its message is kept (one al_err per worker, not per check). */
typedef struct prove_job {
	oci_store *s;
	oci_check *c;
	size_t n;
	size_t next;                /* next check to take */
	pthread_mutex_t mu;
	uint64_t hashed;
	size_t first;               /* lowest failing index, n when none */
	al_err err;                 /* its message */
	/* for the progress display */
	pthread_cond_t ended;       /* a worker thread ended */
	unsigned live;              /* worker threads still running */
	const oci_entry *current;   /* the file taken last */
} prove_job;

static void *
prove_worker(void *arg)
{
	prove_job *j = arg;
	uint64_t hashed = 0;
	size_t first = SIZE_MAX;
	al_err mine, scratch;

	al_err_clear(&mine);
	for (;;) {
		size_t i;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		if (i < j->n)
			j->current = j->c[i].e;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			break;
		al_err_clear(&scratch);
		j->c[i].rc = prove_file(j->s, &j->c[i], &hashed, first == SIZE_MAX ? &mine : &scratch);
		if (j->c[i].rc != AL_OK && first == SIZE_MAX)
			first = i;
	}
	pthread_mutex_lock(&j->mu);
	j->hashed += hashed;
	if (first < j->first) {
		j->first = first;
		j->err = mine;
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static void *
prove_thread(void *arg)
{
	prove_job *j = arg;

	prove_worker(j);
	pthread_mutex_lock(&j->mu);
	j->live--;
	pthread_cond_signal(&j->ended);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* A file is hashed by one al_hash_fd call, so the thread that keeps the
 * display moving is one that hashes nothing: the calling thread, waking
 * a few times a second until the threads have hashed everything. */
#define PROVE_WAKE_NS (100 * 1000 * 1000)

static void
prove_shown(prove_job *j, size_t threads)
{
	pthread_t t[AL_MAX_THREADS];
	pthread_condattr_t ca;
	size_t started = 0;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->ended, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_lock(&j->mu);
	for (; started < threads; started++) {
		j->live++;
		if (pthread_create(&t[started], NULL, prove_thread, j) != 0) {
			j->live--;
			break;
		}
	}
	while (j->live > 0) {
		struct timespec ts;
		const oci_entry *cur;
		char pb[OCI_PATH_BUF];

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += PROVE_WAKE_NS;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&j->ended, &j->mu, &ts);
		cur = j->current;
		/* the display may block (a stopped terminal): not under the lock */
		pthread_mutex_unlock(&j->mu);
		oci_progress_tick(j->s->progress, 0, cur ? oci_entry_path(cur, pb) : NULL);
		pthread_mutex_lock(&j->mu);
	}
	pthread_mutex_unlock(&j->mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&j->ended);
	/* no thread could be started: this one hashes */
	if (started == 0)
		prove_worker(j);
}

/* More threads pay off only when there is enough to hash. */
#define OCI_THREAD_MIN_BYTES (8u << 20)

/* Archive stores hashed every entry while the archive was read. */
static al_rc
prove_archive(const oci_store *s, const oci_check *c, size_t n, al_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const oci_arent *a = oci_store_ar(s, c[i].e);
		char w[OCI_WHERE_MAX], pb[OCI_PATH_BUF];
		al_oci_digest want;

		oci_check_want(&c[i], &want);
		if (a->alg != want.alg)
			return al_err_set(err, AL_E_BUNDLE_BLOB,
					  "%s (%s): stored under a path for another digest algorithm",
					  oci_entry_path(c[i].e, pb), oci_check_where(&c[i], w, sizeof(w)));
		if (!al_ct_eq(a->hash, want.d, al_hash_len(want.alg)))
			return fail_digest(&c[i], a->hash, err);
	}
	return AL_OK;
}

al_rc
oci_store_prove(oci_store *s, oci_check *c, size_t n, al_err *err)
{
	prove_job j = { .s = s, .c = c, .n = n, .first = n };
	uint64_t total = 0;
	al_rc rc;

	for (size_t i = 0; i < n; i++) {
		c[i].rc = AL_OK;
		total += c[i].e->size;
	}
	/* the budget is for bytes read in a run, whatever the source */
	if (!s->archive && s->max_bytes != 0 && total > s->max_bytes)
		return al_err_set(err, AL_E_LIMIT,
				  "%s: the blobs to prove hold %llu bytes, more than the budget of %llu for one run "
				  "(--max-bytes raises it)",
				  s->label, (unsigned long long)total, (unsigned long long)s->max_bytes);
	if (s->archive) {
		if ((rc = prove_archive(s, c, n, err)) != AL_OK)
			return rc;
	} else {
		pthread_t t[AL_MAX_THREADS];
		size_t more = 0, want = s->threads > 1 ? s->threads - 1 : 0;

		if (n > 0 && want > n - 1)
			want = n - 1; /* no more threads than files */
		if (s->progress)
			s->progress->total = total;
		pthread_mutex_init(&j.mu, NULL);
		/* the SHA-256 backend is chosen once; choose before threads race on it */
		(void)al_sha256_ni_in_use();
		if (s->progress != NULL && s->threads > 0 && total >= OCI_THREAD_MIN_BYTES) {
			prove_shown(&j, want + 1);
		} else {
			if (total >= OCI_THREAD_MIN_BYTES)
				while (more < want && pthread_create(&t[more], NULL, prove_worker, &j) == 0)
					more++;
			prove_worker(&j);
			for (size_t i = 0; i < more; i++)
				pthread_join(t[i], NULL);
		}
		pthread_mutex_destroy(&j.mu);
		s->bytes_hashed += j.hashed;
		if (j.first < n) {
			if (err)
				*err = j.err;
			return c[j.first].rc;
		}
	}
	for (size_t i = 0; i < n; i++)
		c[i].e->checked = true;
	return AL_OK;
}
