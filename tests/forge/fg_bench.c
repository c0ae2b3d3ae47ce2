/*
 * fg_bench.c — inputs for the benchmark suite (bench/run):
 *
 *   al-forge --big OUTDIR --size-mib N --layers K [--archives]
 *       one image with K layers of random content, N MiB of layers in all,
 *       signed with the test cosign key (a .sig with a Rekor SET), as an OCI
 *       layout in OUTDIR/layout; with --archives also the same layout as
 *       OUTDIR/layout.tar and OUTDIR/layout.tar.zst.
 *   al-forge --many OUTDIR --images N
 *       a layout (OUTDIR/layout) whose index.json lists 2N entries: N small
 *       images and, tagged sha256-<hex>.sig, a key signature of each.
 *
 * Both write OUTDIR/trust/ and OUTDIR/bench.tsv in the format of cases.tsv
 * (name, path, expected exit, must-name, reason, airlock verify arguments,
 * paths relative to OUTDIR), and print the verify arguments.
 *
 * Large layers are never held in memory: each is generated, hashed and
 * written in 1 MiB pieces, then copied into the tar (and through the zstd
 * encoder) the same way, so a 4 GiB layout needs a few MiB of memory.
 *
 * Deterministic like the rest of the forge: the content comes from
 * xoshiro256** seeded from the layer's number and size, every time is
 * fixed, and zstd runs single-threaded at level 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/sha256.h>
#include <zstd.h>

#include "forge.h"

#define KIND_IMAGE "dev.cosignproject.cosign/image"
#define KIND_SIGS "dev.cosignproject.cosign/sigs"
#define REF_NAME "org.opencontainers.image.ref.name"
#define BENCH_ARGS "--key\ttrust/cosign.pub\t--trusted-root\ttrust/trusted_root.json"
#define CHUNK ((size_t)1 << 20)
#define MIB ((uint64_t)1 << 20)

/* ================================================================ content */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna): fast, and incompressible to zstd */
static void
rng_fill(rng *r, uint8_t *out, size_t n)
{
	uint64_t *s = r->s;

	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t v = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= t;
		s[3] = rotl(s[3], 45);
		memcpy(out + i, &v, 8); /* little-endian hosts only: the forge runs on x86-64 */
	}
}

/* ================================================================ files */

static void
write_fd(int fd, const char *path, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			al_fg_die("write %s: %s", path, strerror(errno));
		}
		b += w;
		n -= (size_t)w;
	}
}

static int
create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		al_fg_die("create %s: %s", path, strerror(errno));
	return fd;
}

static void
close_fd(int fd, const char *path)
{
	if (close(fd) != 0)
		al_fg_die("close %s: %s", path, strerror(errno));
}

static void
move(const char *from, const char *to)
{
	if (rename(from, to) != 0)
		al_fg_die("rename %s to %s: %s", from, to, strerror(errno));
}

/* ================================================================ archives */

/* Where tar bytes go: the .tar file and, through zstd, the .tar.zst file. */
typedef struct sink {
	int fd, zfd;
	const char *path, *zpath;
	ZSTD_CCtx *z;
	uint8_t *zbuf;
	size_t zcap;
	uint64_t n;
} sink;

static void
sink_zstd(sink *s, const void *p, size_t n, ZSTD_EndDirective end)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;

	do {
		ZSTD_outBuffer out = { s->zbuf, s->zcap, 0 };

		left = ZSTD_compressStream2(s->z, &out, &in, end);
		if (ZSTD_isError(left))
			al_fg_die("zstd: %s", ZSTD_getErrorName(left));
		write_fd(s->zfd, s->zpath, s->zbuf, out.pos);
	} while (end == ZSTD_e_end ? left != 0 : in.pos < in.size);
}

static void
sink_put(sink *s, const void *p, size_t n)
{
	write_fd(s->fd, s->path, p, n);
	sink_zstd(s, p, n, ZSTD_e_continue);
	s->n += n;
}

static void
sink_pad(sink *s)
{
	static const uint8_t zero[512];

	if (s->n % 512)
		sink_put(s, zero, 512 - s->n % 512);
}

static void
sink_file_small(sink *s, const char *name, al_bytes data)
{
	al_fg_buf h = { 0 };

	al_fg_tar_header(&h, name, data.n, 0644, '0');
	sink_put(s, h.p, h.n);
	sink_put(s, data.p, data.n);
	sink_pad(s);
}

static void
sink_dir(sink *s, const char *name)
{
	al_fg_buf h = { 0 };

	al_fg_tar_header(&h, name, 0, 0755, '5');
	sink_put(s, h.p, h.n);
}

/* A file of the layout, copied into the tar in pieces. */
static void
sink_file_copy(sink *s, const char *name, const char *path, uint64_t size, uint8_t *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	al_fg_buf h = { 0 };
	uint64_t left = size;

	if (fd < 0)
		al_fg_die("open %s: %s", path, strerror(errno));
	al_fg_tar_header(&h, name, (size_t)size, 0644, '0');
	sink_put(s, h.p, h.n);
	while (left > 0) {
		ssize_t r = read(fd, buf, left < CHUNK ? (size_t)left : CHUNK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			al_fg_die("read %s: %s", path, r < 0 ? strerror(errno) : "file shorter than expected");
		sink_put(s, buf, (size_t)r);
		left -= (uint64_t)r;
	}
	close_fd(fd, path);
	sink_pad(s);
}

/* ================================================================ output */

static const char *
write_trust(const char *dir)
{
	al_fg_mkdirs(dir);
	al_fg_trust_init();
	al_fg_log_init();
	al_fg_trust_write(dir);
	return dir;
}

static void
bench_tsv(const char *dir, const char *const *names, const char *const *paths, size_t n, const char *what)
{
	al_fg_buf tsv = { 0 };

	al_fg_printf(&tsv, "# al-forge bench input: %s\n", what);
	al_fg_puts(&tsv, "# name\tpath (relative to this file's directory)\texpected exit\tmust-name\treason"
			 "\tairlock verify arguments (tab-separated)\n");
	for (size_t i = 0; i < n; i++)
		al_fg_printf(&tsv, "%s\t%s\t0\t-\t-\t%s\n", names[i], paths[i], BENCH_ARGS);
	al_fg_write(al_fg_sprintf("%s/bench.tsv", dir), al_fg_bytes(&tsv));
	printf("%s\n", BENCH_ARGS);
}

static al_fg_sigl
sign_key(const char *name, const char *digest)
{
	al_fg_signer s = { .key = al_fg_tr.cosign };

	return al_fg_sign_payload(al_fg_simple_signing(name, digest), &s);
}

/* ================================================================ --big */

typedef struct big_layer {
	char *digest;
	char *stage;              /* where it was written before the layout exists */
	uint64_t size;
} big_layer;

/* One layer: a ustar holding one file of random bytes; the blob is exactly
 * size bytes (header, content, end of archive). */
static big_layer
make_layer(const char *stage_dir, unsigned i, uint64_t size, uint8_t *buf)
{
	big_layer bl = { .size = size };
	mbedtls_sha256_context h;
	al_fg_buf hdr = { 0 };
	uint8_t d[32];
	uint64_t left = size - 512 - 1024;
	rng r;
	int fd;

	bl.stage = al_fg_sprintf("%s/layer-%u", stage_dir, i);
	fd = create(bl.stage);
	rng_seed(&r, (uint64_t)i * UINT64_C(0x100000001b3) ^ size);
	mbedtls_sha256_init(&h);
	al_fg_mbed(mbedtls_sha256_starts(&h, 0), "sha256");
	al_fg_tar_header(&hdr, al_fg_sprintf("bench/layer-%u.bin", i), (size_t)left, 0644, '0');
	al_fg_mbed(mbedtls_sha256_update(&h, hdr.p, hdr.n), "sha256");
	write_fd(fd, bl.stage, hdr.p, hdr.n);
	while (left > 0) {
		size_t n = left < CHUNK ? (size_t)left : CHUNK;

		rng_fill(&r, buf, n);
		al_fg_mbed(mbedtls_sha256_update(&h, buf, n), "sha256");
		write_fd(fd, bl.stage, buf, n);
		left -= n;
	}
	memset(buf, 0, 1024);
	al_fg_mbed(mbedtls_sha256_update(&h, buf, 1024), "sha256");
	write_fd(fd, bl.stage, buf, 1024);
	al_fg_mbed(mbedtls_sha256_finish(&h, d), "sha256");
	mbedtls_sha256_free(&h);
	close_fd(fd, bl.stage);
	bl.digest = al_fg_sprintf("sha256:%s", al_fg_hex(d, 32));
	return bl;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
big_archives(const char *dir, const al_fg_layout *l, const big_layer *layers, unsigned k, uint8_t *buf)
{
	size_t n = l->nblobs + k;
	const char **digests = al_fg_alloc(n * sizeof(*digests));
	sink s = { 0 };
	static const uint8_t end[1024];

	for (size_t i = 0; i < l->nblobs; i++)
		digests[i] = l->blobs[i].digest;
	for (unsigned i = 0; i < k; i++)
		digests[l->nblobs + i] = layers[i].digest;
	qsort(digests, n, sizeof(*digests), cmp_str);

	s.path = al_fg_sprintf("%s/layout.tar.part", dir);
	s.zpath = al_fg_sprintf("%s/layout.tar.zst.part", dir);
	s.fd = create(s.path);
	s.zfd = create(s.zpath);
	if ((s.z = ZSTD_createCCtx()) == NULL)
		al_fg_die("zstd: out of memory");
	ZSTD_CCtx_setParameter(s.z, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(s.z, ZSTD_c_checksumFlag, 1);
	s.zcap = ZSTD_CStreamOutSize();
	s.zbuf = al_fg_alloc(s.zcap);

	/* the order of al_fg_layout_tar: blobs sorted, index.json, oci-layout */
	sink_dir(&s, "blobs/");
	sink_dir(&s, "blobs/sha256/");
	for (size_t i = 0; i < n; i++) {
		const char *name = al_fg_sprintf("blobs/sha256/%s", digests[i] + 7);
		const al_fg_blob *b = al_fg_layout_find((al_fg_layout *)(uintptr_t)l, digests[i]);

		if (b != NULL) {
			sink_file_small(&s, name, b->data);
		} else {
			uint64_t size = 0;

			for (unsigned j = 0; j < k; j++)
				if (strcmp(layers[j].digest, digests[i]) == 0)
					size = layers[j].size;
			sink_file_copy(&s, name, al_fg_sprintf("%s/layout/%s", dir, name), size, buf);
		}
	}
	sink_file_small(&s, "index.json", al_fg_layout_index_json(l));
	sink_file_small(&s, "oci-layout", al_bytes_str("{\"imageLayoutVersion\": \"1.0.0\"}"));
	sink_put(&s, end, sizeof(end));
	sink_zstd(&s, NULL, 0, ZSTD_e_end);
	ZSTD_freeCCtx(s.z);
	close_fd(s.fd, s.path);
	close_fd(s.zfd, s.zpath);
	move(s.path, al_fg_sprintf("%s/layout.tar", dir));
	move(s.zpath, al_fg_sprintf("%s/layout.tar.zst", dir));
}

void
al_fg_build_big(const char *dir, unsigned size_mib, unsigned k, bool archives)
{
	uint64_t total = (uint64_t)size_mib * MIB, each;
	const char *stage = al_fg_sprintf("%s/layout.stage", dir);
	const char *name = AL_FG_REGISTRY "/big";
	const char *created = al_fg_time_rfc3339(AL_FG_T0 - 1800);
	big_layer *layers;
	uint8_t *buf;
	cJSON *cfg = al_fg_jnew(), *c, *arr, *hist, *rootfs, *m;
	al_fg_layout *l = al_fg_layout_new();
	al_fg_desc cd, md, sd;
	al_fg_sigl sig;

	if (k == 0 || size_mib == 0 || total % k != 0 || (total / k) % 512 != 0 || total / k < 4096)
		al_fg_die("--size-mib %u --layers %u: each layer must be a whole number of 512-byte blocks, "
			  "at least 4 KiB", size_mib, k);
	each = total / k;
	write_trust(dir);
	al_fg_rmtree(stage);
	al_fg_mkdirs(stage);
	buf = al_fg_alloc(CHUNK);
	layers = al_fg_alloc(k * sizeof(*layers));
	for (unsigned i = 0; i < k; i++)
		layers[i] = make_layer(stage, i, each, buf);

	/* an uncompressed layer's diff_id is its digest */
	al_fg_jstr(cfg, "architecture", "amd64");
	c = al_fg_jobj(cfg, "config");
	arr = al_fg_jarr(c, "Cmd");
	al_fg_jpush_str(arr, "/bin/sh");
	al_fg_jstr(cfg, "created", created);
	hist = al_fg_jarr(cfg, "history");
	for (unsigned i = 0; i < k; i++) {
		cJSON *h = al_fg_jnew();

		al_fg_jstr(h, "created", created);
		al_fg_jstr(h, "created_by", al_fg_sprintf("al-forge --big: layer %u", i));
		al_fg_jpush(hist, h);
	}
	al_fg_jstr(cfg, "os", "linux");
	rootfs = al_fg_jobj(cfg, "rootfs");
	al_fg_jstr(rootfs, "type", "layers");
	arr = al_fg_jarr(rootfs, "diff_ids");
	for (unsigned i = 0; i < k; i++)
		al_fg_jpush_str(arr, layers[i].digest);
	cd = al_fg_layout_blob(l, AL_FG_MT_CONFIG, al_bytes_str(al_fg_jprint(cfg)));

	m = al_fg_jnew();
	al_fg_jint(m, "schemaVersion", 2);
	al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
	al_fg_jput(m, "config", al_fg_desc_json(&cd));
	arr = al_fg_jarr(m, "layers");
	for (unsigned i = 0; i < k; i++) {
		al_fg_desc ld = { AL_FG_MT_LAYER_TAR, layers[i].digest, (size_t)layers[i].size };

		al_fg_jpush(arr, al_fg_desc_json(&ld));
	}
	md = al_fg_layout_blob(l, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
	al_fg_layout_ref(l, &md, al_fg_annot("kind", KIND_IMAGE), NULL);
	sig = sign_key(name, md.digest);
	sd = al_fg_sig_manifest(l, &sig, 1);
	al_fg_layout_ref(l, &sd, al_fg_annot("kind", KIND_SIGS), NULL);

	/* the small blobs, index.json and oci-layout; then the layers moved in */
	al_fg_layout_write_dir(l, al_fg_sprintf("%s/layout", dir));
	for (unsigned i = 0; i < k; i++)
		move(layers[i].stage, al_fg_sprintf("%s/layout/blobs/sha256/%s", dir, layers[i].digest + 7));
	al_fg_rmtree(stage);
	if (archives) {
		static const char *const names[] = { "big", "big.tar", "big.tar.zst" };
		static const char *const paths[] = { "layout", "layout.tar", "layout.tar.zst" };

		big_archives(dir, l, layers, k, buf);
		bench_tsv(dir, names, paths, 3,
			  al_fg_sprintf("%u layers of random content, %u MiB in all, key-signed", k, size_mib));
	} else {
		static const char *const names[] = { "big" };
		static const char *const paths[] = { "layout" };

		al_fg_rmtree(al_fg_sprintf("%s/layout.tar", dir));
		al_fg_rmtree(al_fg_sprintf("%s/layout.tar.zst", dir));
		bench_tsv(dir, names, paths, 1,
			  al_fg_sprintf("%u layers of random content, %u MiB in all, key-signed", k, size_mib));
	}
}

/* ================================================================ --many */

static void
write_blob(const char *dir, const al_fg_blob *b)
{
	al_fg_write(al_fg_sprintf("%s/blobs/sha256/%s", dir, b->digest + 7), b->data);
}

void
al_fg_build_many(const char *dir, unsigned n)
{
	const char *ldir = al_fg_sprintf("%s/layout", dir);
	const char *name = AL_FG_REGISTRY "/many";
	al_fg_layout *top = al_fg_layout_new(), *shared = al_fg_layout_new();
	const al_fg_image *base;
	al_fg_desc cd;
	static const char *const names[] = { "many" };
	static const char *const paths[] = { "layout" };

	if (n == 0)
		al_fg_die("--images must be at least 1");
	write_trust(dir);
	al_fg_rmtree(ldir);
	al_fg_mkdirs(al_fg_sprintf("%s/blobs/sha256", ldir));
	/* every image shares one config and its two layers; each manifest differs by
	 * an annotation, so each image has a digest (and a signature) of its own */
	base = al_fg_image_make(name, "amd64", NULL, "many", false);
	cd = al_fg_layout_blob(shared, AL_FG_MT_CONFIG, base->config);
	for (size_t j = 0; j < base->nlayers; j++)
		al_fg_layout_blob(shared, base->layer_desc[j].media_type, base->layers[j]);
	for (size_t i = 0; i < shared->nblobs; i++)
		write_blob(ldir, &shared->blobs[i]);
	for (unsigned i = 0; i < n; i++) {
		al_fg_layout *one = al_fg_layout_new();
		cJSON *m = al_fg_jnew(), *arr;
		al_fg_desc md, sd;
		al_fg_sigl sig;

		al_fg_jint(m, "schemaVersion", 2);
		al_fg_jstr(m, "mediaType", AL_FG_MT_MANIFEST);
		al_fg_jput(m, "config", al_fg_desc_json(&cd));
		arr = al_fg_jarr(m, "layers");
		for (size_t j = 0; j < base->nlayers; j++)
			al_fg_jpush(arr, al_fg_desc_json(&base->layer_desc[j]));
		al_fg_jput(m, "annotations", al_fg_annot("org.opencontainers.image.version", al_fg_sprintf("%u", i)));
		md = al_fg_layout_blob(one, AL_FG_MT_MANIFEST, al_bytes_str(al_fg_jprint(m)));
		sig = sign_key(name, md.digest);
		sd = al_fg_sig_manifest(one, &sig, 1);
		for (size_t j = 0; j < one->nblobs; j++)
			write_blob(ldir, &one->blobs[j]);
		al_fg_layout_ref(top, &md, NULL, NULL);
		al_fg_layout_ref(top, &sd, al_fg_annot(REF_NAME, al_fg_sprintf("sha256-%s.sig", md.digest + 7)), NULL);
	}
	al_fg_write(al_fg_sprintf("%s/oci-layout", ldir), al_bytes_str("{\"imageLayoutVersion\": \"1.0.0\"}"));
	al_fg_write(al_fg_sprintf("%s/index.json", ldir), al_fg_layout_index_json(top));
	bench_tsv(dir, names, paths, 1,
		  al_fg_sprintf("index.json lists %u images and a key signature of each (%u entries)", n, 2 * n));
}
