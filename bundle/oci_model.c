/*
 * oci_model.c — the public face of the image-bundle model: opening and
 * freeing, digests, lookups, cosign/referrer discovery, blob reads for
 * verify/, and a deterministic description of the model. (The
 * containers/image signature-file parser is in oci_dir.c.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/oci_graph.h"
#include "bundle/oci_internal.h"

/* ================================================================ digests */

/* Untrusted text for a message: at most 80 bytes, non-printables as '?'. */
static void
printable(al_bytes s, char out[81])
{
	size_t n = s.n > 80 ? 80 : s.n;

	for (size_t i = 0; i < n; i++)
		out[i] = s.p[i] >= 0x20 && s.p[i] < 0x7f ? (char)s.p[i] : '?';
	out[n] = '\0';
}

al_rc
al_oci_digest_parse(al_bytes s, al_oci_digest *out, al_err *err)
{
	const uint8_t *colon = s.n ? memchr(s.p, ':', s.n) : NULL;
	al_bytes alg, hex;
	char show[81];
	size_t want;

	memset(out, 0, sizeof(*out));
	printable(s, show);
	if (colon == NULL)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "digest \"%s\": expected <algorithm>:<hex>", show);
	alg = al_bytes_of(s.p, (size_t)(colon - s.p));
	hex = al_bytes_of(colon + 1, s.n - alg.n - 1);
	/* OCI registers sha256 and sha512 only */
	out->alg = al_hash_by_name(alg);
	if (out->alg != AL_HASH_SHA256 && out->alg != AL_HASH_SHA512)
		return al_err_set(err, AL_E_BUNDLE_FORMAT,
				  "digest \"%s\": unsupported algorithm (sha256 and sha512 are)", show);
	want = al_hash_len(out->alg) * 2;
	if (hex.n != want)
		return al_err_set(err, AL_E_BUNDLE_FORMAT, "digest \"%s\": %zu hex digits, expected %zu", show,
				  hex.n, want);
	for (size_t i = 0; i < hex.n; i++) {
		uint8_t c = hex.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return al_err_set(err, AL_E_BUNDLE_FORMAT, "digest \"%s\": not lowercase hex at position %zu",
					  show, i);
	}
	return al_hex_decode(hex, out->d, al_hash_len(out->alg), err);
}

void
oci_digest_hex(const al_oci_digest *d, char out[AL_HASH_MAX * 2 + 1])
{
	al_hex_encode(d->d, al_hash_len(d->alg), out);
}

void
al_oci_digest_str(const al_oci_digest *d, char out[AL_OCI_DIGEST_STR_MAX])
{
	size_t n = strlen(al_hash_name(d->alg));

	memcpy(out, al_hash_name(d->alg), n);
	out[n] = ':';
	al_hex_encode(d->d, al_hash_len(d->alg), out + n + 1);
}

bool
al_oci_digest_eq(const al_oci_digest *a, const al_oci_digest *b)
{
	return a->alg == b->alg && a->alg != AL_HASH_NONE && al_ct_eq(a->d, b->d, al_hash_len(a->alg));
}

void
al_oci_digest_of(al_hash alg, al_bytes data, al_oci_digest *out)
{
	memset(out, 0, sizeof(*out));
	out->alg = alg;
	al_hash_bytes(alg, data, out->d);
}

const char *
al_oci_annotation(const al_oci_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

/* The model does not keep a manifest's config and layer descriptors
 * (~600 bytes a manifest, hundreds of thousands of them in a large index:
 * docs/performance.md §4.8); the manifest is read again, from the entry it
 * was first read from, and must still hash to its digest. The bytes are
 * the ones the model was built from, and they are parsed by the same code
 * (oci_parse_blobs), so what was checked when it was built holds; a layer
 * count that differs can only be a defect. */
al_rc
al_oci_node_blobs(const al_oci *o, const al_oci_node *n, al_arena *a, al_oci_blobs *out, al_err *err)
{
	const gnode *gn = (const gnode *)n;
	oci_store *s = &o->priv->store;
	gctx g = { .arena = a, .s = s, .err = err };
	char ds[AL_OCI_DIGEST_STR_MAX];
	al_oci_desc *config, *layers;
	al_oci_digest got;
	al_json *j = NULL;
	al_buf raw = { 0 };
	size_t nl;
	al_rc rc;

	memset(out, 0, sizeof(*out));
	if (n->kind == AL_OCI_NODE_INDEX)
		return AL_OK;
	if (n->kind == AL_OCI_NODE_DOCKER) {
		out->config = ((const dnode *)gn)->config;
		out->layers = ((const dnode *)gn)->layers;
		out->n_layers = n->n_layers;
		return AL_OK;
	}
	al_oci_digest_str(n->digest, ds);
	if (gn->entry == 0 || gn->entry > s->n)
		return al_err_set(err, AL_E_INTERNAL, "manifest %s: not read from the bundle", ds);
	if ((rc = oci_store_read(s, &s->e[gn->entry - 1], AL_MAX_MANIFEST, &raw, err)) != AL_OK) {
		rc = al_err_recode(err, AL_E_BUNDLE_BLOB, "manifest %s (reading its config and layers again)", ds);
		goto out;
	}
	al_oci_digest_of(n->digest->alg, al_buf_bytes(&raw), &got);
	if (!al_oci_digest_eq(&got, n->digest)) {
		char pb[OCI_PATH_BUF];

		rc = al_err_set(err, AL_E_BUNDLE_BLOB, "manifest %s (%s): digest mismatch on reading it again"
				": its file changed after it was proven (something writes to the bundle while it is "
				"verified: verify a read-only copy)", ds, oci_entry_path(&s->e[gn->entry - 1], pb));
		goto out;
	}
	if ((rc = al_json_parse(al_buf_bytes(&raw), &j, err)) != AL_OK ||
	    (rc = oci_parse_blobs(&g, j, ds, &config, &layers, &nl)) != AL_OK) {
		/* the bytes the model was built from: only memory can fail */
		if (rc != AL_E_NOMEM)
			rc = al_err_recode(err, AL_E_INTERNAL, "manifest %s: not what the model read", ds);
		goto out;
	}
	if (nl != n->n_layers) {
		rc = al_err_set(err, AL_E_INTERNAL, "manifest %s: %zu layers, the model read %u", ds, nl,
				n->n_layers);
		goto out;
	}
	/* present as the build found it: every config and layer in the bundle
	 * was proven then, or the model would not exist */
	for (size_t i = 0; i <= nl; i++) {
		al_oci_desc *d = i < nl ? &layers[i] : config;
		char path[AL_MAX_PATH + 1];
		const oci_entry *e;

		oci_blob_path(o, &d->digest, path, sizeof(path));
		e = oci_store_find(s, path);
		d->present = e != NULL && e->type == OCI_E_FILE && e->used && e->size == d->size;
	}
	out->config = config;
	out->layers = layers;
	out->n_layers = nl;
out:
	al_json_free(j);
	al_buf_free(&raw);
	return rc;
}

const char *
al_oci_role_name(al_oci_role r)
{
	switch (r) {
	case AL_OCI_ROLE_IMAGE: return "image";
	case AL_OCI_ROLE_SIGS: return "signatures";
	case AL_OCI_ROLE_ATTS: return "attestations";
	case AL_OCI_ROLE_SBOM: return "sbom";
	case AL_OCI_ROLE_REFERRER: return "referrer";
	case AL_OCI_ROLE_REFERRERS_INDEX: return "referrers-index";
	}
	return "unknown";
}

const char *
al_oci_ref_why(const al_oci_ref *r, char *buf, size_t cap)
{
	char sd[AL_OCI_DIGEST_STR_MAX];

	if (!r->why_of || r->subject == NULL)
		return r->why;
	al_oci_digest_str(r->subject, sd);
	snprintf(buf, cap, "%s of %s (%s)", al_oci_role_name(r->role), sd, r->why);
	return buf;
}

/* ================================================================ open and free */

void
al_oci_free(al_oci *o)
{
	if (o == NULL)
		return;
	if (o->priv != NULL) {
		for (size_t i = 0; i < o->priv->n_csigs; i++)
			al_oci_csig_free(o->priv->csigs[i]);
		free(o->priv->csigs);
		free(o->priv->checks);
		free(o->priv->by_subject);
		free(o->priv->node_by_subject);
		free(o->priv->node_slots);
		oci_map_free(&o->priv->missing);
		oci_store_free(&o->priv->store);
		al_arena_free(&o->priv->arena);
		free(o->priv);
	}
	free(o->refs);
	free(o->nodes);
	free(o->missing);
	free(o->extra);
	free(o->path);
	free(o);
}

static al_rc
new_oci(const char *label, const al_oci_opts *opts, al_oci **out, al_err *err)
{
	al_oci *o = calloc(1, sizeof(*o));
	struct al_oci_priv *p;
	unsigned jobs = opts->jobs ? opts->jobs : al_cpu_count();

	*out = NULL;
	if (o == NULL || (o->priv = calloc(1, sizeof(*o->priv))) == NULL || (o->path = strdup(label)) == NULL) {
		al_oci_free(o);
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	}
	p = o->priv;
	p->flags = opts->flags;
	p->store.dirfd = -1;
	p->store.max_bytes = opts->max_bytes ? opts->max_bytes : AL_MAX_READ_BYTES;
	if (jobs > AL_MAX_THREADS)
		jobs = AL_MAX_THREADS;
	/* a directory's files are hashed by the calling thread and jobs - 1
	 * more; an archive's entries by jobs threads beside the reading one
	 * (and the archive itself by one more) */
	p->store.threads = opts->flags & AL_OCI_NO_THREADS ? 0 : jobs;
	p->store.no_archive_digest = (opts->flags & AL_OCI_NO_ARCHIVE_DIGEST) != 0;
	p->progress.fn = opts->progress;
	p->progress.ctx = opts->progress_ctx;
	p->store.progress = opts->progress != NULL ? &p->progress : NULL;
	oci_progress_start(p->store.progress);
	*out = o;
	return AL_OK;
}

static al_rc
finish(al_oci *o, al_rc rc, al_oci **out, al_err *err)
{
	if (rc == AL_OK)
		rc = oci_build(o, err);
	/* the display is the open's: nothing calls it after this returns */
	o->priv->store.progress = NULL;
	if (rc != AL_OK) {
		al_err_prefix(err, "%s", o->path);
		al_oci_free(o);
		return rc;
	}
	/* an archive's kept bytes stay for al_oci_blob_read */
	*out = o;
	return AL_OK;
}

static const char *
file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ? "a character device"
		: S_ISLNK(m) ? "a symbolic link" : "not a regular file";
}

/* Directories, regular files and block devices (USB sticks) are bundles.
 * FIFOs, sockets and character devices are refused before they are opened
 * (opening a FIFO blocks until a writer comes, a tty could become the
 * controlling terminal); the open itself is non-blocking and without a
 * controlling tty, and the type is checked again on the descriptor, so a
 * path swapped between the two looks is refused too. */
al_rc
al_oci_open(const char *path, unsigned flags, uint64_t max_bytes, al_oci **out, al_err *err)
{
	al_oci_opts opts = { .flags = flags, .max_bytes = max_bytes };

	return al_oci_open_opts(path, &opts, out, err);
}

al_rc
al_oci_open_opts(const char *path, const al_oci_opts *opts, al_oci **out, al_err *err)
{
	al_oci *o;
	struct stat st, fst;
	al_rc rc;
	int fd, fl;

	*out = NULL;
	if ((rc = new_oci(path, opts, &o, err)) != AL_OK)
		return rc;
	if (strcmp(path, "-") == 0) {
		rc = oci_store_archive_fd(&o->priv->store, STDIN_FILENO, "(stdin)", err);
		return finish(o, rc, out, err);
	}
	if (stat(path, &st) != 0) {
		rc = al_err_set(err, AL_E_IO, "cannot open: %s", strerror(errno));
		return finish(o, rc, out, err);
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		rc = al_err_set(err, AL_E_IO, "%s, not a directory, regular file or block device: refused unread",
				file_kind(st.st_mode));
		return finish(o, rc, out, err);
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = al_err_set(err, AL_E_IO, "cannot open: %s", strerror(errno));
		return finish(o, rc, out, err);
	}
	if (fstat(fd, &fst) != 0 || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino ||
	    (fst.st_mode & S_IFMT) != (st.st_mode & S_IFMT)) {
		close(fd);
		rc = al_err_set(err, AL_E_IO, "changed while it was opened: refused");
		return finish(o, rc, out, err);
	}
	if (S_ISDIR(fst.st_mode)) {
		rc = oci_store_dir_fd(&o->priv->store, fd, path, err);
		return finish(o, rc, out, err);
	}
	/* reads block as usual from here on */
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		rc = al_err_set(err, AL_E_IO, "cannot open: %s", strerror(errno));
		close(fd);
		return finish(o, rc, out, err);
	}
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if (S_ISREG(fst.st_mode))
		o->priv->progress.read_total = (uint64_t)fst.st_size;
	rc = oci_store_archive_fd(&o->priv->store, fd, path, err);
	close(fd);
	return finish(o, rc, out, err);
}

al_rc
al_oci_open_mem(al_bytes archive, unsigned flags, uint64_t max_bytes, al_oci **out, al_err *err)
{
	al_oci_opts opts = { .flags = flags, .max_bytes = max_bytes };

	return al_oci_open_mem_opts(archive, &opts, out, err);
}

al_rc
al_oci_open_mem_opts(al_bytes archive, const al_oci_opts *opts, al_oci **out, al_err *err)
{
	al_oci *o;
	al_rc rc;

	*out = NULL;
	if ((rc = new_oci("(memory)", opts, &o, err)) != AL_OK)
		return rc;
	o->priv->progress.read_total = archive.n;
	rc = oci_store_archive_mem(&o->priv->store, archive, err);
	return finish(o, rc, out, err);
}

/* ================================================================ lookups */

/* Keyed like every table of names from the bundle (al_keyed_hash): a
 * digest of a document that is not there is the bundle's to choose. */
static size_t
node_slot0(const al_oci_digest *d, size_t cap)
{
	return (size_t)al_keyed_hash(al_bytes_of(d->d, al_hash_len(d->alg))) & (cap - 1);
}

bool
oci_node_index(const al_oci *o, const al_oci_digest *d, size_t *i)
{
	const struct al_oci_priv *p = o->priv;

	if ((d->alg != AL_HASH_SHA256 && d->alg != AL_HASH_SHA512) || p->node_slots_cap == 0)
		return false;
	for (size_t j = node_slot0(d, p->node_slots_cap); p->node_slots[j] != 0;
	     j = (j + 1) & (p->node_slots_cap - 1)) {
		if (oci_digest_cmp(o->nodes[p->node_slots[j] - 1]->digest, d) == 0) {
			*i = p->node_slots[j] - 1;
			return true;
		}
	}
	return false;
}

al_rc
oci_node_put(al_oci *o, size_t i, al_err *err)
{
	struct al_oci_priv *p = o->priv;
	size_t j;

	/* load factor <= 1/2 keeps probes short */
	if ((i + 1) * 2 > p->node_slots_cap) {
		size_t cap = p->node_slots_cap ? p->node_slots_cap * 2 : 64;
		uint32_t *t = calloc(cap, sizeof(*t));

		if (t == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		for (size_t k = 0; k < i; k++) {
			for (j = node_slot0(o->nodes[k]->digest, cap); t[j] != 0; j = (j + 1) & (cap - 1))
				;
			t[j] = (uint32_t)k + 1;
		}
		free(p->node_slots);
		p->node_slots = t;
		p->node_slots_cap = cap;
	}
	for (j = node_slot0(o->nodes[i]->digest, p->node_slots_cap); p->node_slots[j] != 0;
	     j = (j + 1) & (p->node_slots_cap - 1))
		;
	p->node_slots[j] = (uint32_t)i + 1;
	return AL_OK;
}

const al_oci_node *
al_oci_node_get(const al_oci *o, const al_oci_digest *d)
{
	size_t i;

	return oci_node_index(o, d, &i) ? o->nodes[i] : NULL;
}

const char *
al_oci_artifact_type(const al_oci_node *n)
{
	if (n->artifact_type != NULL)
		return n->artifact_type;
	return n->kind == AL_OCI_NODE_MANIFEST ? n->config_media_type : NULL;
}

al_rc
al_oci_blob_read(const al_oci *o, const al_oci_digest *d, size_t max, al_buf *out, al_err *err)
{
	char path[AL_MAX_PATH + 1], ds[AL_OCI_DIGEST_STR_MAX];
	oci_entry *e;
	al_oci_digest got;
	al_rc rc;

	out->n = 0;
	if (max > AL_MAX_PAYLOAD)
		max = AL_MAX_PAYLOAD;
	al_oci_digest_str(d, ds);
	oci_blob_path(o, d, path, sizeof(path));
	e = oci_store_find(&o->priv->store, path);
	if (e == NULL || e->type != OCI_E_FILE)
		return al_err_set(err, AL_E_BUNDLE_BLOB, "blob %s is not in the bundle", ds);
	if (e->size > max)
		return al_err_set(err, AL_E_BUNDLE_BLOB, "blob %s: %llu bytes, more than the %zu asked for", ds,
				  (unsigned long long)e->size, max);
	if ((rc = oci_store_read(&o->priv->store, e, max, out, err)) != AL_OK)
		return al_err_prefix(err, "blob %s", ds);
	/* read again from the source: prove it again */
	al_oci_digest_of(d->alg, al_buf_bytes(out), &got);
	if (!al_oci_digest_eq(&got, d)) {
		out->n = 0;
		return al_err_set(err, AL_E_BUNDLE_BLOB,
				  "blob %s: digest mismatch on reading it: its file does not hold what its name says, "
				  "or changed while the bundle was verified (verify a read-only copy)", ds);
	}
	return AL_OK;
}

int
oci_digest_cmp(const al_oci_digest *a, const al_oci_digest *b)
{
	if (a->alg != b->alg)
		return a->alg < b->alg ? -1 : 1;
	return memcmp(a->d, b->d, al_hash_len(a->alg));
}

/* The lookup indexes hold pointers into o->refs and o->nodes (final once
 * the model is built), sorted by subject digest, then by position, so a
 * lookup returns matches in index.json (or discovery) order as a scan of
 * every entry would. */
static int
ref_subject_cmp(const void *a, const void *b)
{
	const al_oci_ref *x = *(const al_oci_ref *const *)a, *y = *(const al_oci_ref *const *)b;
	int c = oci_digest_cmp(x->subject, y->subject);

	return c ? c : x < y ? -1 : x > y;
}

static int
node_subject_cmp(const void *a, const void *b)
{
	al_oci_node *const *x = *(al_oci_node *const *const *)a, *const *y = *(al_oci_node *const *const *)b;
	int c = oci_digest_cmp(&(*x)->subject->digest, &(*y)->subject->digest);

	return c ? c : x < y ? -1 : x > y;
}

al_rc
oci_index_subjects(al_oci *o, al_err *err)
{
	struct al_oci_priv *p = o->priv;

	p->n_by_subject = p->n_node_by_subject = 0;
	if ((p->by_subject = malloc((o->n_refs ? o->n_refs : 1) * sizeof(*p->by_subject))) == NULL ||
	    (p->node_by_subject = malloc((o->n_nodes ? o->n_nodes : 1) * sizeof(*p->node_by_subject))) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < o->n_refs; i++)
		if (o->refs[i].subject != NULL)
			p->by_subject[p->n_by_subject++] = &o->refs[i];
	for (size_t i = 0; i < o->n_nodes; i++)
		if (o->nodes[i]->subject != NULL)
			p->node_by_subject[p->n_node_by_subject++] = &o->nodes[i];
	qsort(p->by_subject, p->n_by_subject, sizeof(*p->by_subject), ref_subject_cmp);
	qsort(p->node_by_subject, p->n_node_by_subject, sizeof(*p->node_by_subject), node_subject_cmp);
	return AL_OK;
}

/* Both lookups run once per image: with 100,000 index.json entries a scan
 * of every entry per image would be quadratic (docs/performance.md §4), so
 * they binary-search the sorted indexes oci_index_subjects built. */
size_t
al_oci_find_attached(const al_oci *o, const al_oci_digest *subject, al_oci_role role, const al_oci_node **out,
		     size_t max)
{
	const struct al_oci_priv *p = o->priv;
	size_t lo = 0, hi = p->n_by_subject, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (oci_digest_cmp(p->by_subject[mid]->subject, subject) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < p->n_by_subject && al_oci_digest_eq(p->by_subject[k]->subject, subject); k++) {
		const al_oci_ref *r = p->by_subject[k];

		if (r->role != role || r->desc.node == NULL)
			continue;
		if (n < max)
			out[n] = r->desc.node;
		n++;
	}
	return n;
}

size_t
al_oci_find_referrers(const al_oci *o, const al_oci_digest *subject, const char *artifact_type,
		      const al_oci_node **out, size_t max)
{
	const struct al_oci_priv *p = o->priv;
	size_t lo = 0, hi = p->n_node_by_subject, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (oci_digest_cmp(&(*p->node_by_subject[mid])->subject->digest, subject) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < p->n_node_by_subject &&
			    al_oci_digest_eq(&(*p->node_by_subject[k])->subject->digest, subject); k++) {
		const al_oci_node *nd = *p->node_by_subject[k];
		const char *at = al_oci_artifact_type(nd);

		if (artifact_type != NULL && (at == NULL || strcmp(at, artifact_type) != 0))
			continue;
		if (n < max)
			out[n] = nd;
		n++;
	}
	return n;
}

/* ================================================================ describe */

/* Untrusted text, quoted and escaped by common's one escaper (al_text_escape:
 * controls, invalid UTF-8, bidi and invisible characters, backslash and the
 * quote itself) so it can neither forge lines nor fields, and bounded so one
 * huge annotation cannot flood the report. NULL prints as "-". */
static al_rc
put_bytes(al_buf *b, al_bytes s, al_err *err)
{
	al_rc rc;

	if (s.p == NULL)
		return al_buf_append(b, "-", 1, err);
	if ((rc = al_buf_append(b, "\"", 1, err)) != AL_OK ||
	    (rc = al_text_escape(b, s, AL_MAX_TEXT_FIELD, AL_TEXT_QUOTED, err)) != AL_OK)
		return rc;
	return al_buf_append(b, "\"", 1, err);
}

static al_rc
put_str(al_buf *b, const char *s, al_err *err)
{
	return put_bytes(b, s ? al_bytes_str(s) : al_bytes_of(NULL, 0), err);
}

static al_rc
put_kv(al_buf *b, const char *indent, const al_oci_kv *kv, size_t n, al_err *err)
{
	al_rc rc;

	for (size_t i = 0; i < n; i++) {
		if ((rc = al_buf_appendf(b, err, "%sannotation ", indent)) != AL_OK ||
		    (rc = put_str(b, kv[i].key, err)) != AL_OK || (rc = al_buf_append(b, " = ", 3, err)) != AL_OK ||
		    (rc = put_str(b, kv[i].value, err)) != AL_OK || (rc = al_buf_append(b, "\n", 1, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

/* kv: d's annotations (a layer's may have been read again) */
static al_rc
put_desc(al_buf *b, const char *indent, const char *label, const al_oci_desc *d, const al_oci_kv *kv, size_t nkv,
	 al_err *err)
{
	char ds[AL_OCI_DIGEST_STR_MAX];
	al_rc rc;

	al_oci_digest_str(&d->digest, ds);
	if ((rc = al_buf_appendf(b, err, "%s%s %s size=%llu %s mediaType=", indent, label, ds,
				 (unsigned long long)d->size, d->present ? "present" : "absent")) != AL_OK ||
	    (rc = put_str(b, d->media_type, err)) != AL_OK)
		return rc;
	if (d->artifact_type && ((rc = al_buf_appendf(b, err, " artifactType=")) != AL_OK ||
				 (rc = put_str(b, d->artifact_type, err)) != AL_OK))
		return rc;
	if (d->has_urls && (rc = al_buf_appendf(b, err, " urls")) != AL_OK)
		return rc;
	if (d->platform) {
		if ((rc = al_buf_appendf(b, err, " platform=")) != AL_OK ||
		    (rc = put_str(b, d->platform->os, err)) != AL_OK ||
		    (rc = al_buf_append(b, "/", 1, err)) != AL_OK ||
		    (rc = put_str(b, d->platform->architecture, err)) != AL_OK ||
		    (rc = al_buf_append(b, "/", 1, err)) != AL_OK ||
		    (rc = put_str(b, d->platform->variant, err)) != AL_OK)
			return rc;
	}
	if ((rc = al_buf_append(b, "\n", 1, err)) != AL_OK)
		return rc;
	return put_kv(b, "      ", kv, nkv, err);
}

/* A manifest's config and layers, read again (al_oci_node_blobs). */
static al_rc
put_blobs(const al_oci *o, const al_oci_node *n, al_buf *b, al_err *err)
{
	al_arena a = { 0 };
	al_oci_blobs bl;
	al_rc rc = al_oci_node_blobs(o, n, &a, &bl, err);

	if (rc == AL_OK && bl.config)
		rc = put_desc(b, "    ", "config", bl.config, bl.config->annotations, bl.config->n_annotations, err);
	for (size_t k = 0; rc == AL_OK && k < bl.n_layers; k++)
		rc = put_desc(b, "    ", "layer", &bl.layers[k], bl.layers[k].annotations, bl.layers[k].n_annotations,
			      err);
	al_arena_free(&a);
	return rc;
}

static const char *
kind_name(al_oci_node_kind k)
{
	switch (k) {
	case AL_OCI_NODE_MANIFEST: return "manifest";
	case AL_OCI_NODE_INDEX: return "index";
	case AL_OCI_NODE_DOCKER: return "docker-image";
	}
	return "?";
}

static const char *
format_name(al_oci_format f)
{
	switch (f) {
	case AL_OCI_FMT_LAYOUT: return "oci-layout";
	case AL_OCI_FMT_DOCKER_ARCHIVE: return "docker-archive";
	case AL_OCI_FMT_CONTAINERS_DIR: return "containers-dir";
	}
	return "?";
}

al_rc
al_oci_describe(const al_oci *o, al_buf *b, al_err *err)
{
	char ds[AL_OCI_DIGEST_STR_MAX];
	al_rc rc;

	if ((rc = al_buf_appendf(b, err, "format %s%s\n", format_name(o->format),
				 o->docker_manifest ? " (with docker manifest.json)" : "")) != AL_OK)
		return rc;
	for (size_t i = 0; i < o->n_refs; i++) {
		const al_oci_ref *r = &o->refs[i];
		char why[AL_OCI_WHY_MAX];

		if ((rc = al_buf_appendf(b, err, "ref %zu role=%s name=", i, al_oci_role_name(r->role))) != AL_OK ||
		    (rc = put_str(b, r->ref_name, err)) != AL_OK)
			return rc;
		if (r->subject != NULL) {
			al_oci_digest_str(r->subject, ds);
			if ((rc = al_buf_appendf(b, err, " subject=%s", ds)) != AL_OK)
				return rc;
		}
		for (size_t t = 0; t < r->n_repo_tags; t++)
			if ((rc = al_buf_appendf(b, err, " tag=")) != AL_OK ||
			    (rc = put_str(b, r->repo_tags[t], err)) != AL_OK)
				return rc;
		/* the closed world: what airlock takes the entry to be, and why */
		if ((rc = al_buf_appendf(b, err, " why=")) != AL_OK ||
		    (rc = put_str(b, al_oci_ref_why(r, why, sizeof(why)), err)) != AL_OK ||
		    (rc = al_buf_append(b, "\n", 1, err)) != AL_OK ||
		    (rc = put_desc(b, "    ", "desc", &r->desc, r->desc.annotations, r->desc.n_annotations, err)) != AL_OK)
			return rc;
	}
	for (size_t i = 0; i < o->n_docker; i++) {
		al_oci_digest_str(o->docker[i].node->digest, ds);
		if ((rc = al_buf_appendf(b, err, "docker-view %zu loads=%s", i, ds)) != AL_OK)
			return rc;
		for (size_t t = 0; t < o->docker[i].n_repo_tags; t++)
			if ((rc = al_buf_appendf(b, err, " tag=")) != AL_OK ||
			    (rc = put_str(b, o->docker[i].repo_tags[t], err)) != AL_OK)
				return rc;
		if ((rc = al_buf_append(b, "\n", 1, err)) != AL_OK)
			return rc;
	}
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];
		const char *at = al_oci_artifact_type(n);

		al_oci_digest_str(n->digest, ds);
		if ((rc = al_buf_appendf(b, err, "node %s %s depth=%u%s bytes=%u mediaType=", ds, kind_name(n->kind),
					 n->depth, n->orphan ? " orphan" : "", n->bytes)) != AL_OK ||
		    (rc = put_str(b, n->media_type, err)) != AL_OK ||
		    (rc = al_buf_append(b, " artifactType=", 14, err)) != AL_OK ||
		    (rc = put_str(b, at, err)) != AL_OK || (rc = al_buf_append(b, "\n", 1, err)) != AL_OK ||
		    (rc = put_kv(b, "    ", n->annotations, n->n_annotations, err)) != AL_OK)
			return rc;
		if (n->subject && (rc = put_desc(b, "    ", "subject", n->subject, n->subject->annotations,
						 n->subject->n_annotations, err)) != AL_OK)
			return rc;
		if ((rc = put_blobs(o, n, b, err)) != AL_OK)
			return rc;
		for (size_t k = 0; k < n->n_manifests; k++)
			if ((rc = put_desc(b, "    ", "manifest", &n->manifests[k], n->manifests[k].annotations,
					   n->manifests[k].n_annotations, err)) != AL_OK ||
			    (rc = al_buf_appendf(b, err, "      role=%s why=",
						 al_oci_role_name((al_oci_role)n->manifests[k].role))) != AL_OK ||
			    (rc = put_str(b, n->manifests[k].why, err)) != AL_OK ||
			    (rc = al_buf_append(b, "\n", 1, err)) != AL_OK)
				return rc;
		for (size_t k = 0; k < n->n_csigs; k++) {
			const al_oci_csig *c = &n->csigs[k];
			al_oci_digest pd;

			al_oci_digest_of(AL_HASH_SHA256, al_buf_bytes(&c->payload), &pd);
			al_oci_digest_str(&pd, ds);
			if ((rc = al_buf_appendf(b, err, "    signature-file ")) != AL_OK ||
			    (rc = put_str(b, c->file, err)) != AL_OK ||
			    (rc = al_buf_appendf(b, err, " %s bytes=%zu mimeType=",
						 c->format == AL_OCI_CSIG_SIGSTORE ? "sigstore-json" : "simple-signing",
						 c->raw.n)) != AL_OK ||
			    (rc = put_bytes(b, al_buf_bytes(&c->mime_type), err)) != AL_OK ||
			    (rc = al_buf_appendf(b, err, " payload=%s\n", ds)) != AL_OK ||
			    (rc = put_kv(b, "      ", c->annotations, c->n_annotations, err)) != AL_OK)
				return rc;
		}
	}
	for (size_t i = 0; i < o->n_missing; i++) {
		const al_oci_missing *m = &o->missing[i];

		al_oci_digest_str(&m->digest, ds);
		if ((rc = al_buf_appendf(b, err, "missing %s size=%llu%s at ", ds, (unsigned long long)m->size,
					 m->in_orphan ? " (below an orphan)" : "")) != AL_OK ||
		    (rc = put_str(b, m->where, err)) != AL_OK || (rc = al_buf_append(b, "\n", 1, err)) != AL_OK)
			return rc;
	}
	for (size_t i = 0; i < o->n_extra; i++) {
		if ((rc = al_buf_appendf(b, err, "extra ")) != AL_OK ||
		    (rc = put_str(b, o->extra[i].path, err)) != AL_OK ||
		    (rc = al_buf_appendf(b, err, " size=%llu%s\n", (unsigned long long)o->extra[i].size,
					 o->extra[i].name_mismatch ? " content-does-not-match-name" : "")) != AL_OK)
			return rc;
	}
	return AL_OK;
}
