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
#define _GNU_SOURCE /* sched_getaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "verify/verify.h"

typedef struct vb_line {
	const char *bundle, *artifact;
} vb_line;

typedef struct vb_slot {
	al_buf out;      /* the rendered result: a text line, or a JSON report */
	int code;        /* its exit status: 0 verified */
	bool done;
} vb_slot;

typedef struct vb_batch {
	const vb_line *lines;
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

unsigned
al_cli_cpu_count(void)
{
	cpu_set_t set;
	long n;

	/* the CPUs this process may run on (a container's or taskset's share),
	 * not every CPU the machine has */
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* One bundle: verified and rendered (the text line or the JSON report). */
static void
one(vb_batch *b, al_vb_session *s, size_t i)
{
	const vb_line *l = &b->lines[i];
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
		ok = al_buf_appendf(&slot->out, NULL, "VERIFIED %s: %s over %s%s%s by %s; tlog: %s; %s", l->bundle,
				    res.is_dsse ? "DSSE envelope" : "message signature", res.artifact,
				    res.subject ? ", " : "", res.subject ? res.subject : "", res.signer, res.tlog,
				    res.time) == AL_OK;
	} else {
		ok = al_buf_appendf(&slot->out, NULL, "FAILED %s (exit %d): %s", l->bundle, slot->code,
				    err.msg[0] ? err.msg : al_rc_name(err.code)) == AL_OK;
	}
	if (!ok) {
		slot->out.n = 0;
		slot->code = 2;
		(void)al_buf_appendf(&slot->out, NULL, "FAILED %s (exit 2): out of memory writing the result", l->bundle);
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

/* LIST's lines, split in place: BUNDLE<TAB>FILE_OR_DIGEST; blank lines and
 * lines starting with '#' are skipped. False after saying which line is
 * wrong. */
static bool
parse_list(const char *name, al_buf *text, vb_line **out, size_t *nout)
{
	char *p = (char *)text->p, *end = p + text->n;
	size_t cap = 0, n = 0, lineno = 0;
	vb_line *v = NULL;

	*out = NULL;
	*nout = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *tab;

		lineno++;
		if (memchr(p, '\0', (size_t)(e - p)) != NULL) {
			al_cli_errf("airlock verify-bundle: --batch %s: line %zu holds a NUL byte", name, lineno);
			goto fail;
		}
		*e = '\0';
		if (e > p && e[-1] == '\r')
			e[-1] = '\0';
		if (*p != '\0' && *p != '#') {
			tab = strchr(p, '\t');
			if (tab == NULL || tab == p || tab[1] == '\0' || strchr(tab + 1, '\t') != NULL) {
				al_cli_errf("airlock verify-bundle: --batch %s: line %zu: want BUNDLE<TAB>FILE_OR_DIGEST "
					    "(one tab)", name, lineno);
				goto fail;
			}
			if (n == AL_MAX_BATCH) {
				al_cli_errf("airlock verify-bundle: --batch %s: more than %d bundles", name, AL_MAX_BATCH);
				goto fail;
			}
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				vb_line *nv = realloc(v, ncap * sizeof(*v));

				if (nv == NULL) {
					al_cli_errf("airlock verify-bundle: out of memory");
					goto fail;
				}
				v = nv;
				cap = ncap;
			}
			*tab = '\0';
			v[n++] = (vb_line){ p, tab + 1 };
		}
		p = e + 1;
	}
	if (n == 0) {
		al_cli_errf("airlock verify-bundle: --batch %s: no bundle listed", name);
		goto fail;
	}
	*out = v;
	*nout = n;
	return true;
fail:
	free(v);
	return false;
}

int
al_cli_vb_batch(const al_vb_opts *o, const char *list, unsigned jobs, bool json)
{
	al_buf text = { 0 };
	vb_line *lines = NULL;
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
		(void)al_err_prefix(&err, "--batch");
		return al_cli_fail(&err);
	}
	/* one byte more, so the last line ends in a NUL of its own */
	if (al_buf_append(&text, "", 1, &err) != AL_OK) {
		al_buf_free(&text);
		return al_cli_fail(&err);
	}
	text.n--;
	if (!parse_list(list, &text, &lines, &n)) {
		al_buf_free(&text);
		return 2;
	}
	if (jobs == 0)
		jobs = al_cli_cpu_count();
	if (jobs > AL_MAX_JOBS)
		jobs = AL_MAX_JOBS;
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

			if (k < n && !atomic_load(&b.stop) && nw > 0) {
				/* nobody has this one or a later one yet: verify one here */
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
						"\"failed\":%zu,\"mediaType\":\"" AL_REPORT_MEDIA_TYPE "\",\"verified\":%zu,"
						"\"workers\":%zu}\n",
						n, worst, n - nverified, nverified, nw) == AL_OK &&
				 al_cli_write_json(al_buf_bytes(&sum));
			al_buf_free(&sum);
		} else {
			out_ok = al_cli_outf("summary: %zu of %zu bundle%s verified, %zu failed (%zu worker%s)", nverified,
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
