/*
 * oci_hashq.c — hashing an archive's entries beside the thread that reads
 * it, the number of threads that hash, and progress reports.
 *
 * An archive is one stream (docs/design.md §1: read once, never
 * extracted), so only one thread can read and decompress it; hashing is
 * what costs. The reading thread copies each entry's data into buffers of a
 * fixed pool (AL_HASHQ_BUFS of AL_HASHQ_BUF bytes, allocated as first
 * needed: the only memory in flight, never more) and queues them to one
 * hashing thread chosen per entry, so one entry's bytes are hashed in order
 * by one thread while other threads hash other entries; the bytes of the
 * archive file itself, whose SHA-256 is the report's evidence of what was
 * read (docs/report.md), go the same way to a thread of their own, so the
 * reading thread only reads and decompresses. A thread that hashes
 * never allocates and never fails: every error (a truncated entry, a limit,
 * a duplicate) is the reading thread's, which then stops and joins every
 * thread before it returns. Digests go back to the reading thread alone
 * (through the sink, keyed by the caller's tag), so the store is written by
 * one thread and the result does not depend on which thread hashed what or
 * when.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle/oci_internal.h"

/* ================================================================ progress */

/* A display needs a few redraws a second, and none at all for a run
 * that is over before a person would look. */
#define PROGRESS_FIRST_NS    (500ull * 1000 * 1000)
#define PROGRESS_INTERVAL_NS (250ull * 1000 * 1000)

void
oci_progress_start(oci_progress *p)
{
	if (p != NULL && p->fn != NULL)
		p->next_ns = al_monotonic_ns() + PROGRESS_FIRST_NS;
}

void
oci_progress_add(oci_progress *p, uint64_t n)
{
	if (p != NULL)
		__atomic_fetch_add(&p->hashed, n, __ATOMIC_RELAXED);
}

void
oci_progress_tick(oci_progress *p, uint64_t read, const char *entry)
{
	al_oci_progress v;
	uint64_t t;

	if (p == NULL || p->fn == NULL)
		return;
	t = al_monotonic_ns();
	if (t < p->next_ns)
		return;
	p->next_ns = t + PROGRESS_INTERVAL_NS;
	memset(&v, 0, sizeof(v));
	v.hashed = __atomic_load_n(&p->hashed, __ATOMIC_RELAXED);
	v.total = p->total;
	v.read = read;
	v.read_total = p->read_total;
	v.entry = entry;
	p->fn(p->ctx, &v);
}

/* ================================================================ the queue */

/* One buffer of the pool; queued, it carries a piece of one job. */
typedef struct hq_buf {
	struct hq_buf *next;
	uint8_t *p;                 /* AL_HASHQ_BUF bytes */
	size_t n;
	unsigned job;
	bool last;                  /* the job's last piece: finish its digest */
} hq_buf;

enum { JOB_FREE, JOB_OPEN, JOB_DONE };

/* Hashed on the reading thread, in put: no thread asked for, or none started. */
#define HQ_HERE UINT32_MAX

/* One stream being hashed (an entry, or the archive itself). Its context
 * is written by the reading thread before its first piece is queued and by
 * its one hashing thread after. */
typedef struct hq_job {
	int state;
	size_t tag;
	unsigned worker;            /* HQ_HERE: the reading thread */
	bool counts;                /* blob bytes: counted for the progress display */
	al_hash_ctx ctx;
	uint8_t digest[AL_HASH_MAX];
} hq_job;

/* Every job still open has its last piece queued or is one being read
 * (an entry and the archive), so two more jobs than buffers are never all
 * busy. */
#define HQ_JOBS (AL_HASHQ_BUFS + 2)

typedef struct hq_worker {
	struct oci_hashq *q;
	pthread_t th;
	bool running;
	pthread_cond_t cv;          /* work queued, or the end */
	hq_buf *head, *tail;
	uint64_t queued;            /* bytes queued, to choose the least busy thread */
} hq_worker;

struct oci_hashq {
	pthread_mutex_t mu;
	pthread_cond_t cv_reader;   /* a buffer or a job came free */
	hq_buf bufs[AL_HASHQ_BUFS];
	size_t nbufs;               /* allocated so far */
	hq_buf *free;
	hq_job jobs[HQ_JOBS];
	unsigned nthreads;          /* threads for entries: w[0..nthreads); w[nthreads] hashes the stream */
	bool tried, tried_own;      /* threads started (or not) already */
	bool closing;               /* hash what is queued, then end */
	bool stop;                  /* drop what is queued and end */
	oci_progress *progress;
	oci_hashq_sink *sink;
	void *sink_ctx;
	hq_worker w[];
};

static void
hash_piece(oci_hashq *q, hq_job *j, const hq_buf *b)
{
	al_hash_update(&j->ctx, b->p, b->n);
	if (b->last)
		al_hash_final(&j->ctx, j->digest);
	if (j->counts)
		oci_progress_add(q->progress, b->n);
}

static void *
worker_main(void *arg)
{
	hq_worker *w = arg;
	oci_hashq *q = w->q;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		hq_buf *b;

		while (w->head == NULL && !q->closing && !q->stop)
			pthread_cond_wait(&w->cv, &q->mu);
		if (q->stop || w->head == NULL)
			break;
		b = w->head;
		w->head = b->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&q->mu);
		/* the job is this thread's alone until its last piece is hashed */
		hash_piece(q, &q->jobs[b->job], b);
		pthread_mutex_lock(&q->mu);
		w->queued -= b->n;
		if (b->last)
			q->jobs[b->job].state = JOB_DONE;
		b->next = q->free;
		q->free = b;
		pthread_cond_signal(&q->cv_reader);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

al_rc
oci_hashq_new(oci_hashq **out, unsigned threads, oci_progress *progress, oci_hashq_sink *sink, void *sink_ctx,
	      al_err *err)
{
	oci_hashq *q;

	*out = NULL;
	if (threads > AL_MAX_THREADS)
		threads = AL_MAX_THREADS;
	q = calloc(1, sizeof(*q) + (threads + 1) * sizeof(q->w[0]));
	if (q == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv_reader, NULL);
	q->nthreads = threads;
	q->progress = progress;
	q->sink = sink;
	q->sink_ctx = sink_ctx;
	*out = q;
	return AL_OK;
}

/* Starts w[from..to). A thread that cannot be started leaves the work to
 * the others, or to the reading thread. */
static void
start_threads(oci_hashq *q, unsigned from, unsigned to)
{
	/* the SHA-256 backend is chosen once; choose before threads race on it */
	(void)al_sha256_ni_in_use();
	for (unsigned i = from; i < to; i++) {
		hq_worker *w = &q->w[i];

		w->q = q;
		pthread_cond_init(&w->cv, NULL);
		if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
			pthread_cond_destroy(&w->cv);
			break;
		}
		w->running = true;
	}
}

/* Hands every finished digest to the sink and frees its job (the reading
 * thread; the lock held). */
static void
harvest(oci_hashq *q)
{
	for (unsigned i = 0; i < HQ_JOBS; i++) {
		hq_job *j = &q->jobs[i];

		if (j->state != JOB_DONE)
			continue;
		q->sink(q->sink_ctx, j->tag, j->digest);
		j->state = JOB_FREE;
	}
}

unsigned
oci_hashq_begin(oci_hashq *q, al_hash alg, size_t tag, bool stream)
{
	unsigned id = 0, worker = HQ_HERE;
	hq_job *j = NULL;

	/* threads start with the first job worth handing over, so an archive
	 * of small files starts none */
	if (q->nthreads > 0 && stream && !q->tried_own) {
		start_threads(q, q->nthreads, q->nthreads + 1);
		q->tried_own = true;
	} else if (q->nthreads > 0 && !stream && !q->tried) {
		start_threads(q, 0, q->nthreads);
		q->tried = true;
	}
	pthread_mutex_lock(&q->mu);
	for (;;) {
		harvest(q);
		for (unsigned i = 0; i < HQ_JOBS && j == NULL; i++)
			if (q->jobs[i].state == JOB_FREE) {
				j = &q->jobs[i];
				id = i;
			}
		if (j != NULL)
			break;
		pthread_cond_wait(&q->cv_reader, &q->mu);
	}
	if (stream) {
		/* the archive's own digest has a thread of its own: it is as long
		 * as all the entries together */
		if (q->w[q->nthreads].running)
			worker = q->nthreads;
	} else {
		/* the thread with the least left to hash; ties to the first */
		for (unsigned i = 0; i < q->nthreads; i++)
			if (q->w[i].running && (worker == HQ_HERE || q->w[i].queued < q->w[worker].queued))
				worker = i;
	}
	j->state = JOB_OPEN;
	j->tag = tag;
	j->worker = worker;
	j->counts = !stream;
	pthread_mutex_unlock(&q->mu);
	/* published to the hashing thread by the lock taken to queue a piece */
	al_hash_init(&j->ctx, alg);
	return id;
}

al_rc
oci_hashq_buf(oci_hashq *q, unsigned *b, uint8_t **p, al_err *err)
{
	hq_buf *f = NULL;

	pthread_mutex_lock(&q->mu);
	while (q->free == NULL && q->nbufs == AL_HASHQ_BUFS)
		pthread_cond_wait(&q->cv_reader, &q->mu);
	if (q->free != NULL) {
		f = q->free;
		q->free = f->next;
	}
	pthread_mutex_unlock(&q->mu);
	if (f == NULL) {
		/* nbufs is the reading thread's alone */
		f = &q->bufs[q->nbufs];
		if ((f->p = malloc(AL_HASHQ_BUF)) == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory for the hashing buffers");
		q->nbufs++;
	}
	*b = (unsigned)(f - q->bufs);
	*p = f->p;
	return AL_OK;
}

void
oci_hashq_put(oci_hashq *q, unsigned job, unsigned b, size_t n, bool last)
{
	hq_buf *f = &q->bufs[b];
	hq_job *j = &q->jobs[job];
	hq_worker *w;

	f->n = n;
	f->job = job;
	f->last = last;
	f->next = NULL;
	if (j->worker == HQ_HERE) {
		hash_piece(q, j, f);
		pthread_mutex_lock(&q->mu);
		if (last)
			j->state = JOB_DONE;
		f->next = q->free;
		q->free = f;
		pthread_mutex_unlock(&q->mu);
		return;
	}
	w = &q->w[j->worker];
	pthread_mutex_lock(&q->mu);
	if (w->tail != NULL)
		w->tail->next = f;
	else
		w->head = f;
	w->tail = f;
	w->queued += n;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Ends the threads: closing hashes what is queued first, otherwise it is
 * dropped. Joined before this returns: no thread outlives the pass. */
static void
end_threads(oci_hashq *q, bool closing)
{
	pthread_mutex_lock(&q->mu);
	if (closing)
		q->closing = true;
	else
		q->stop = true;
	for (unsigned i = 0; i <= q->nthreads; i++)
		if (q->w[i].running)
			pthread_cond_signal(&q->w[i].cv);
	pthread_mutex_unlock(&q->mu);
	for (unsigned i = 0; i <= q->nthreads; i++) {
		if (!q->w[i].running)
			continue;
		pthread_join(q->w[i].th, NULL);
		pthread_cond_destroy(&q->w[i].cv);
		q->w[i].running = false;
	}
	/* none again: what comes after is hashed here */
	q->tried = q->tried_own = true;
}

void
oci_hashq_drain(oci_hashq *q)
{
	end_threads(q, true);
	pthread_mutex_lock(&q->mu);
	harvest(q);
	pthread_mutex_unlock(&q->mu);
}

void
oci_hashq_free(oci_hashq *q)
{
	if (q == NULL)
		return;
	end_threads(q, false);
	for (size_t i = 0; i < q->nbufs; i++)
		free(q->bufs[i].p);
	pthread_cond_destroy(&q->cv_reader);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
