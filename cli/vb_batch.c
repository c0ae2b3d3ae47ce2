/*
 * vb_batch.c — `airlock verify-bundle --batch LIST` (docs/performance.md):
 * many Sigstore bundles under the one policy of the command line.
 *
 * LIST holds one line per bundle, BUNDLE<TAB>FILE_OR_DIGEST. Each worker
 * thread owns a session (al_vb_session: the policy, keys and trust set,
 * read once per worker), so no parsed key or certificate is ever shared
 * between threads. Workers take lines in order from one counter; results
 * are printed in LIST's order as soon as they are contiguous, so at most
 * about one result per worker waits in memory, whatever LIST's length.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "verify/verify.h"

typedef struct vb_slot {
	al_buf out;      /* the rendered result: a text line, or a JSON report */
	int code;        /* its exit status: 0 verified */
	bool oom;        /* out was not written: out of memory */
	bool done;
} vb_slot;

typedef struct vb_batch {
	const al_batch_line *lines;
	size_t n;
	bool json;
	atomic_size_t next;
	atomic_bool stop;        /* stdout failed: nothing more is worth verifying */
	size_t printed;          /* results printed (under mu) */
	size_t window;           /* no worker starts line i before printed + window > i */
	vb_slot *slots;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} vb_batch;

typedef struct vb_worker {
	vb_batch *b;
	al_vb_session *s;
	pthread_t t;
	bool started;
} vb_worker;

/* One bundle: verified and rendered (the text line or the JSON report). */
static void
one(vb_batch *b, al_vb_session *s, size_t i)
{
	const al_batch_line *l = &b->lines[i];
	vb_slot *slot = &b->slots[i];
	al_vb_result res;
	al_err err;
	al_rc rc;
	bool ok;

	al_err_clear(&err);
	rc = al_vb_session_verify(s, l->bundle, l->artifact, &res, &err);
	slot->code = rc == AL_OK ? 0 : al_rc_exit(err.code);
	if (b->json) {
		ok = al_render_json_vb(&res, slot->code, &err, &slot->out);
	} else if (rc == AL_OK) {
		ok = al_buf_appendf(&slot->out, NULL, "VERIFIED %s: ", l->bundle) == AL_OK &&
		     al_cli_vb_line(&res, true, &slot->out);
	} else {
		ok = al_buf_appendf(&slot->out, NULL, "FAILED %s (exit %d): %s", l->bundle, slot->code,
				    err.msg[0] ? err.msg : al_rc_name(err.code)) == AL_OK;
	}
	if (!ok) {
		/* said when it is its turn to print (needs no memory then) */
		al_buf_free(&slot->out);
		slot->code = 2;
		slot->oom = true;
	}
	al_vb_result_free(&res);
}

static void *
work(void *arg)
{
	vb_worker *w = arg;
	vb_batch *b = w->b;

	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);

		if (i >= b->n || atomic_load(&b->stop))
			break;
		/* a slow reader of stdout must not make results pile up in memory */
		pthread_mutex_lock(&b->mu);
		while (i >= b->printed + b->window && !atomic_load(&b->stop))
			pthread_cond_wait(&b->cv, &b->mu);
		pthread_mutex_unlock(&b->mu);
		if (atomic_load(&b->stop))
			break;
		one(b, w->s, i);
		pthread_mutex_lock(&b->mu);
		b->slots[i].done = true;
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

int
al_cli_vb_batch(const al_vb_opts *o, const char *list, unsigned jobs, bool json)
{
	al_buf text = { 0 };
	al_batch_line *lines = NULL;
	vb_worker *w = NULL;
	vb_batch b;
	size_t n = 0, nverified = 0, nw = 0;
	int worst = 0, st = 0;
	bool out_ok = true;
	al_err err;
	al_rc rc;

	memset(&b, 0, sizeof(b));
	al_err_clear(&err);
	rc = strcmp(list, "-") == 0 ? al_read_fd(STDIN_FILENO, "standard input", AL_MAX_BATCH_LIST, &text, &err)
				    : al_read_file(list, AL_MAX_BATCH_LIST, &text, &err);
	if (rc != AL_OK) {
		/* a LIST too long is the operator's mistake (exit 2), not a
		 * verification that failed */
		if (err.code == AL_E_LIMIT)
			err.code = AL_E_USAGE;
		(void)al_err_prefix(&err, "--batch");
		return al_cli_fail(&err);
	}
	/* one byte more, so the last line ends in a NUL of its own */
	if (al_buf_append(&text, "", 1, &err) != AL_OK) {
		al_buf_free(&text);
		return al_cli_fail(&err);
	}
	text.n--;
	if (al_batch_list_parse((char *)text.p, text.n, &lines, &n, &err) != AL_OK) {
		(void)al_err_prefix(&err, "--batch %s", list);
		al_buf_free(&text);
		return al_cli_fail(&err);
	}
	if (jobs == 0)
		jobs = al_cpu_count();
	if (jobs > AL_MAX_THREADS)
		jobs = AL_MAX_THREADS;
	nw = jobs < n ? jobs : n;
	b.lines = lines;
	b.n = n;
	b.json = json;
	b.window = 4 * (size_t)nw;
	if ((b.slots = calloc(n, sizeof(*b.slots))) == NULL || (w = calloc(nw, sizeof(*w))) == NULL) {
		al_cli_errf("airlock verify-bundle: out of memory");
		st = 2;
		goto out;
	}
	/* every session before any thread: the policy and trust are read here,
	 * in one thread, and a bad trust root stops the run before it starts */
	for (size_t k = 0; k < nw; k++) {
		w[k].b = &b;
		if ((rc = al_vb_session_open(o, &w[k].s, &err)) != AL_OK) {
			st = al_cli_fail(&err);
			goto out;
		}
	}
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	atomic_init(&b.next, 0);
	atomic_init(&b.stop, false);
	/* the SHA-256 backend is chosen once, before threads race on it */
	(void)al_sha256_ni_in_use();
	for (size_t k = 1; k < nw; k++)
		w[k].started = pthread_create(&w[k].t, NULL, work, &w[k]) == 0;
	/* this thread prints, and verifies when it has nothing to print: the
	 * first worker is this thread, between prints */
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&b.mu);
		while (!b.slots[i].done) {
			size_t k = atomic_load(&b.next);

			if (k < n && k < i + b.window && !atomic_load(&b.stop)) {
				/* a line nobody has taken yet, within the window the
				 * workers keep to: verify it here */
				k = atomic_fetch_add(&b.next, 1);
				if (k < n) {
					pthread_mutex_unlock(&b.mu);
					one(&b, w[0].s, k);
					pthread_mutex_lock(&b.mu);
					b.slots[k].done = true;
					pthread_cond_broadcast(&b.cv);
					continue;
				}
			}
			pthread_cond_wait(&b.cv, &b.mu);
		}
		pthread_mutex_unlock(&b.mu);
		{
			al_bytes r = al_buf_bytes(&b.slots[i].out);

			if (b.slots[i].oom && json)
				al_cli_errf("airlock: %s: out of memory writing its report", lines[i].bundle);
			else if (b.slots[i].oom)
				out_ok = al_cli_outf("FAILED %s (exit 2): out of memory writing the result", lines[i].bundle);
			else
				out_ok = json ? al_cli_write_json(r) : al_cli_outf("%.*s", (int)r.n, (const char *)r.p);
		}
		if (!out_ok) {
			/* nobody reads the results: stop the workers and wait for them */
			pthread_mutex_lock(&b.mu);
			atomic_store(&b.stop, true);
			pthread_cond_broadcast(&b.cv);
			pthread_mutex_unlock(&b.mu);
			break;
		}
		pthread_mutex_lock(&b.mu);
		b.printed = i + 1;
		pthread_cond_broadcast(&b.cv);
		pthread_mutex_unlock(&b.mu);
		nverified += b.slots[i].code == 0;
		if (b.slots[i].code > worst)
			worst = b.slots[i].code;
		al_buf_free(&b.slots[i].out);
	}
	for (size_t k = 1; k < nw; k++)
		if (w[k].started)
			pthread_join(w[k].t, NULL);
	pthread_cond_destroy(&b.cv);
	pthread_mutex_destroy(&b.mu);
	if (out_ok) {
		if (json) {
			al_buf sum = { 0 };

			out_ok = al_buf_appendf(&sum, NULL,
						"{\"bundles\":%zu,\"command\":\"verify-bundle --batch\",\"exitCode\":%d,"
						"\"failed\":%zu,\"verified\":%zu,"
						"\"workers\":%zu}\n",
						n, worst, n - nverified, nverified, nw) == AL_OK &&
				 al_cli_write_json(al_buf_bytes(&sum));
			al_buf_free(&sum);
		} else {
			out_ok = al_cli_outf("trust material: %s", al_vb_session_trust_age(w[0].s)) &&
				 al_cli_outf("summary: %zu of %zu bundle%s verified, %zu failed (%zu worker%s)", nverified,
					     n, n == 1 ? "" : "s", n - nverified, nw, nw == 1 ? "" : "s");
		}
	}
	out_ok = out_ok && al_cli_flush();
	/* a result that did not reach its reader is not a verification */
	st = !out_ok ? 2 : worst;
out:
	for (size_t k = 0; w != NULL && k < nw; k++)
		al_vb_session_close(w[k].s);
	free(w);
	for (size_t i = 0; b.slots != NULL && i < n; i++)
		al_buf_free(&b.slots[i].out);
	free(b.slots);
	free(lines);
	al_buf_free(&text);
	return st;
}
