/*
 * test_oci_archive.c — how image-bundle archives are read: our strict tar
 * reader (bundle/oci_tar.c) against the Go readers' semantics, the name
 * collision rule of every store, the end of tar and compressed streams, the
 * decompression budget and bomb check, non-regular bundle paths, and the
 * differential against libarchive; and the threads that hash entries while
 * the archive is read (bundle/oci_hashq.c): the same results, errors and
 * messages whatever their number, and none left running after a failure.
 *
 * Archives are built byte by byte here (a tar writer that can write the
 * headers no well-behaved writer would), so each refusal has an accepted twin
 * made the same way with the one difference removed. With AL_WRITE_SEEDS=dir
 * in the environment, the refusal cases are also written to dir as fuzz seeds
 * (fuzz/corpus/oci_archive holds the committed ones).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "bundle/bundle.h"
#include "bundle/oci_internal.h"
#include "bundle/oci_tar.h"
#include "util/testutil.h"

static al_err err;

/* ================================================================ a tar writer that can lie */

typedef struct hdr {
	uint8_t b[512];
} hdr;

static void
oct(uint8_t *f, size_t n, uint64_t v)
{
	/* n-1 zero-padded octal digits and a NUL, as Go and GNU tar write them */
	for (size_t i = n - 1; i-- > 0; v >>= 3)
		f[i] = (uint8_t)('0' + (v & 7));
	f[n - 1] = '\0';
}

static void
hdr_sum(hdr *h)
{
	unsigned sum = 0;

	memset(h->b + 148, ' ', 8);
	for (size_t i = 0; i < 512; i++)
		sum += h->b[i];
	oct(h->b + 148, 7, sum);
	h->b[155] = ' ';
}

/* A ustar (gnu=false) or GNU header; the checksum is set by hdr_sum. */
static hdr
mkhdr(const char *name, char type, uint64_t size, bool gnu)
{
	hdr h;

	memset(&h, 0, sizeof(h));
	memcpy(h.b, name, strlen(name) > 100 ? 100 : strlen(name));
	oct(h.b + 100, 8, type == '5' ? 0755 : 0644);
	oct(h.b + 108, 8, 0);
	oct(h.b + 116, 8, 0);
	oct(h.b + 124, 12, size);
	oct(h.b + 136, 12, 1700000000);
	h.b[156] = (uint8_t)type;
	memcpy(h.b + 257, gnu ? "ustar  \0" : "ustar\0" "00", 8);
	if (!gnu) {
		oct(h.b + 329, 8, 0);
		oct(h.b + 337, 8, 0);
	}
	hdr_sum(&h);
	return h;
}

static void
put(al_buf *b, const void *p, size_t n)
{
	ck_assert_int_eq(al_buf_append(b, p, n, NULL), AL_OK);
}

static void
pad(al_buf *b)
{
	static const uint8_t z[512];

	if (b->n % 512)
		put(b, z, 512 - b->n % 512);
}

static void
entry_raw(al_buf *b, const hdr *h, const void *p, size_t n)
{
	put(b, h->b, 512);
	if (n)
		put(b, p, n);
	pad(b);
}

static void
file_gnu(al_buf *b, const char *name, const char *s, bool gnu)
{
	hdr h = mkhdr(name, '0', strlen(s), gnu);

	entry_raw(b, &h, s, strlen(s));
}

static void
file(al_buf *b, const char *name, const char *s)
{
	file_gnu(b, name, s, false);
}

static void
dir(al_buf *b, const char *name)
{
	hdr h = mkhdr(name, '5', 0, false);

	entry_raw(b, &h, NULL, 0);
}

/* One "len key=value\n" record (len counts itself). */
static char *
rec(const char *k, const char *v)
{
	size_t body = strlen(k) + strlen(v) + 3, len = body + 1;
	char *s;

	while (snprintf(NULL, 0, "%zu", len) + body != len)
		len++;
	ck_assert_int_ge(asprintf(&s, "%zu %s=%s\n", len, k, v), 0);
	return s;
}

static void
pax(al_buf *b, char type, const char *k1, const char *v1, const char *k2, const char *v2)
{
	char *r1 = rec(k1, v1), *r2 = k2 ? rec(k2, v2) : strdup(""), *all;
	hdr h;

	ck_assert_int_ge(asprintf(&all, "%s%s", r1, r2), 0);
	h = mkhdr("PaxHeader/x", type, strlen(all), false);
	entry_raw(b, &h, all, strlen(all));
	free(r1);
	free(r2);
	free(all);
}

static void
gnu_long(al_buf *b, char type, const char *name)
{
	hdr h = mkhdr("././@LongLink", type, strlen(name) + 1, true);

	entry_raw(b, &h, name, strlen(name) + 1);
}

static void
end(al_buf *b)
{
	static const uint8_t z[1024];

	put(b, z, 1024);
}

/* ================================================================ a small valid layout */

static char cfg_d[AL_OCI_DIGEST_STR_MAX], man_d[AL_OCI_DIGEST_STR_MAX], layer_d[AL_OCI_DIGEST_STR_MAX];
static const char *cfg_s = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
static const char *layer_s = "layer bytes, not JSON\n";
static char *man_s, *idx_s;

static void
digest_of(const char *s, char out[AL_OCI_DIGEST_STR_MAX])
{
	al_oci_digest d;

	al_oci_digest_of(AL_HASH_SHA256, al_bytes_str(s), &d);
	al_oci_digest_str(&d, out);
}

static void
layout_init(void)
{
	if (man_s)
		return;
	digest_of(cfg_s, cfg_d);
	digest_of(layer_s, layer_d);
	ck_assert_int_ge(asprintf(&man_s,
				  "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				  "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
				  "\"size\":%zu},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
				  "\"digest\":\"%s\",\"size\":%zu}]}",
				  cfg_d, strlen(cfg_s), layer_d, strlen(layer_s)), 0);
	digest_of(man_s, man_d);
	ck_assert_int_ge(asprintf(&idx_s,
				  "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
				  "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu,"
				  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}",
				  man_d, strlen(man_s)), 0);
}

static const char *
blob_path(const char *digest)
{
	static char ring[4][256];
	static int k;
	char *p = ring[k++ % 4];

	snprintf(p, 256, "blobs/sha256/%s", digest + 7);
	return p;
}

/* The layout's files, without the end-of-archive marker. */
static al_buf
layout_body(void)
{
	al_buf b = { 0 };

	layout_init();
	dir(&b, "blobs/");
	dir(&b, "blobs/sha256/");
	file(&b, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	file(&b, "index.json", idx_s);
	file(&b, blob_path(cfg_d), cfg_s);
	file(&b, blob_path(man_d), man_s);
	file(&b, blob_path(layer_d), layer_s);
	return b;
}

static al_buf
layout_tar(void)
{
	al_buf b = layout_body();

	end(&b);
	return b;
}

/* ================================================================ compressors */

static al_buf
gz(al_bytes in)
{
	z_stream z;
	al_buf o = { 0 };

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	ck_assert_int_eq(al_buf_reserve(&o, deflateBound(&z, in.n) + 64, NULL), AL_OK);
	z.next_in = (Bytef *)(uintptr_t)in.p;
	z.avail_in = (uInt)in.n;
	z.next_out = o.p;
	z.avail_out = (uInt)(o.cap);
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	o.n = z.total_out;
	deflateEnd(&z);
	return o;
}

static al_buf
zst(al_bytes in)
{
	al_buf o = { 0 };
	size_t r;

	ck_assert_int_eq(al_buf_reserve(&o, ZSTD_compressBound(in.n), NULL), AL_OK);
	r = ZSTD_compress(o.p, o.cap, in.p, in.n, 3);
	ck_assert(!ZSTD_isError(r));
	o.n = r;
	return o;
}

static al_buf
xz(al_bytes in)
{
	al_buf o = { 0 };
	size_t pos = 0;

	ck_assert_int_eq(al_buf_reserve(&o, lzma_stream_buffer_bound(in.n), NULL), AL_OK);
	ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, in.p, in.n, o.p, &pos, o.cap), LZMA_OK);
	o.n = pos;
	return o;
}

static al_buf
cat(al_bytes a, al_bytes b)
{
	al_buf o = { 0 };

	put(&o, a.p, a.n);
	put(&o, b.p, b.n);
	return o;
}

/* ================================================================ expectations */

static void
write_seed(const char *name, al_bytes b)
{
	const char *d = getenv("AL_WRITE_SEEDS");
	char path[1024];
	FILE *f;

	if (d == NULL || d[0] == '\0' || name == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", d, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.p, 1, b.n, f), b.n);
	fclose(f);
}

/* Must be refused with code and a message holding needle; the differential
 * must hold (it does nothing more when oci_tar refuses). */
static void
refused(const char *seed, al_bytes b, al_rc code, const char *needle)
{
	al_oci *o = NULL;
	bool acc;

	write_seed(seed, b);
	ck_assert_rc(al_oci_open_mem(b, AL_OCI_ALLOW_MISSING, 0, &o, &err), code, &err);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "\"%s\" not in: %s", needle, err.msg);
	ck_assert_ptr_null(o);
	ck_assert_ok(oci_tar_differential(b, &acc, &err), &err);
}

static char *
describe_mem(al_bytes b)
{
	al_oci *o = NULL;
	al_buf d = { 0 };

	ck_assert_ok(al_oci_open_mem(b, 0, 0, &o, &err), &err);
	ck_assert_ok(al_oci_describe(o, &d, &err), &err);
	al_oci_free(o);
	return (char *)d.p;
}

/* Must open and read exactly as libarchive reads it. */
static void
accepted(const char *seed, al_bytes b)
{
	al_oci *o = NULL;
	bool acc;

	write_seed(seed, b);
	ck_assert_ok(al_oci_open_mem(b, AL_OCI_ALLOW_MISSING, 0, &o, &err), &err);
	al_oci_free(o);
	ck_assert_ok(oci_tar_differential(b, &acc, &err), &err);
	ck_assert(acc);
}

/* The layout body, then extra, then the end marker. */
static al_buf
layout_plus(void (*extra)(al_buf *b))
{
	al_buf b = layout_body();

	extra(&b);
	end(&b);
	return b;
}

/* ================================================================ baseline */

static char *
tmpdir(void)
{
	char buf[512];
	const char *t = getenv("TMPDIR");

	snprintf(buf, sizeof(buf), "%s/al-arch-XXXXXX", t && t[0] ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	return strdup(buf);
}

static void
rmtree(const char *d)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	(void)system(cmd);
}

static void
put_path(const char *root, const char *rel, const char *s)
{
	char path[2048];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(s, f);
	fclose(f);
}

static char *
layout_dir(void)
{
	char *d = tmpdir();

	layout_init();
	put_path(d, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	put_path(d, "index.json", idx_s);
	put_path(d, blob_path(cfg_d), cfg_s);
	put_path(d, blob_path(man_d), man_s);
	put_path(d, blob_path(layer_d), layer_s);
	return d;
}

/* One layout as a directory and as plain, gzip, zstd, xz, multi-member gzip
 * and multi-frame zstd archives: one description, and libarchive agrees. */
START_TEST(baseline_same_model_everywhere)
{
	al_buf t = layout_tar(), half1 = { 0 }, half2 = { 0 }, g1, g2, z1, z2, x;
	al_buf forms[6];
	char *d = layout_dir(), *want;
	al_oci *o;
	al_buf desc = { 0 };

	ck_assert_ok(al_oci_open(d, 0, 0, &o, &err), &err);
	ck_assert_ok(al_oci_describe(o, &desc, &err), &err);
	want = (char *)desc.p;
	al_oci_free(o);
	put(&half1, t.p, 1536);
	put(&half2, t.p + 1536, t.n - 1536);
	g1 = gz(al_buf_bytes(&half1));
	g2 = gz(al_buf_bytes(&half2));
	z1 = zst(al_buf_bytes(&half1));
	z2 = zst(al_buf_bytes(&half2));
	forms[0] = cat(al_buf_bytes(&t), al_bytes_of(NULL, 0));
	forms[1] = gz(al_buf_bytes(&t));
	forms[2] = zst(al_buf_bytes(&t));
	forms[3] = xz(al_buf_bytes(&t));
	forms[4] = cat(al_buf_bytes(&g1), al_buf_bytes(&g2));
	forms[5] = cat(al_buf_bytes(&z1), al_buf_bytes(&z2));
	write_seed("ok-multimember.tar.gz", al_buf_bytes(&forms[4]));
	write_seed("ok-multiframe.tar.zst", al_buf_bytes(&forms[5]));
	for (size_t i = 0; i < 6; i++) {
		char *got = describe_mem(al_buf_bytes(&forms[i]));
		bool acc;

		ck_assert_msg(strcmp(got, want) == 0, "form %zu:\n%s\n----\n%s", i, got, want);
		free(got);
		ck_assert_ok(oci_tar_differential(al_buf_bytes(&forms[i]), &acc, &err), &err);
		ck_assert(acc);
		al_buf_free(&forms[i]);
	}
	/* tar's record padding after the marker is zeros: accepted */
	{
		al_buf p = layout_tar();
		static const uint8_t z[10240];

		put(&p, z, 10240 - p.n % 10240);
		accepted(NULL, al_buf_bytes(&p));
		al_buf_free(&p);
	}
	free(want);
	al_buf_free(&t);
	al_buf_free(&half1);
	al_buf_free(&half2);
	al_buf_free(&g1);
	al_buf_free(&g2);
	al_buf_free(&z1);
	al_buf_free(&z2);
	(void)x;
	rmtree(d);
	free(d);
}
END_TEST

/* ================================================================ case-folding collisions */

static void x_upper_index(al_buf *b) { file(b, "INDEX.json", "{}"); }
static void x_upper_dir(al_buf *b) { file(b, "Blobs/sha256/other", "x"); }
static void x_latin(al_buf *b) { file(b, "caf\xc3\xa9", "1"); file(b, "CAF\xc3\x89", "2"); }
static void x_kelvin(al_buf *b) { file(b, "k", "1"); file(b, "\xe2\x84\xaa", "2"); }
static void x_sigma(al_buf *b) { file(b, "\xcf\x83", "1"); file(b, "\xcf\x82", "2"); }
static void x_dir_vs_file(al_buf *b) { dir(b, "extra/"); file(b, "EXTRA", "x"); }
static void x_distinct(al_buf *b) { file(b, "caf\xc3\xa9", "1"); file(b, "cafe", "2"); file(b, "\xce\xa3x", "3"); }

START_TEST(case_fold_collisions_archive)
{
	struct { const char *seed; void (*f)(al_buf *); const char *needle; } c[] = {
		{ "fold-ascii.tar", x_upper_index, "INDEX.json: collides with \"index.json\"" },
		{ "fold-prefix.tar", x_upper_dir, "Blobs: collides with \"blobs\"" },
		{ "fold-latin.tar", x_latin, "collides with \"caf\xc3\xa9\"" },
		{ "fold-kelvin.tar", x_kelvin, "collides with \"k\"" },
		{ NULL, x_sigma, "collides with" },
		{ NULL, x_dir_vs_file, "EXTRA: collides with \"extra\"" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(c); i++) {
		al_buf b = layout_plus(c[i].f);

		refused(c[i].seed, al_buf_bytes(&b), AL_E_BUNDLE_UNSAFE, c[i].needle);
		al_buf_free(&b);
	}
	{
		al_buf b = layout_plus(x_distinct);

		accepted(NULL, al_buf_bytes(&b));
		al_buf_free(&b);
	}
}
END_TEST

/* Directory bundles: the same rule. */
START_TEST(case_fold_collisions_dir)
{
	char *d = layout_dir();
	al_oci *o = NULL;

	ck_assert_ok(al_oci_open(d, 0, 0, &o, &err), &err);
	al_oci_free(o);
	put_path(d, "Index.json", "{}");
	ck_assert_rc(al_oci_open(d, 0, 0, &o, &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_msg(strstr(err.msg, "collides with") != NULL, "%s", err.msg);
	rmtree(d);
	free(d);
	d = layout_dir();
	put_path(d, "BLOBS/x", "x");
	ck_assert_rc(al_oci_open(d, 0, 0, &o, &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_msg(strstr(err.msg, "collides with") != NULL, "%s", err.msg);
	rmtree(d);
	free(d);
}
END_TEST

/* Whole names that differ in case only, found through the store's path
 * index (whole names have no record of their own in the prefix map): in
 * either order, deep in blobs/, and twinned with the same names in one
 * case accepted. */
START_TEST(case_fold_whole_names_path_index)
{
	static const char *const pairs[][2] = {
		{ "blobs/sha256/" "aaaa", "blobs/sha256/" "AAAA" },
		{ "blobs/sha256/" "AAAA", "blobs/sha256/" "aaaa" },
		{ "zz", "ZZ" },
		{ "\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *d = tmpdir();
		oci_store s = { .dirfd = -1, .threads = 1 };

		put_path(d, pairs[i][0], "x");
		ck_assert_ok(oci_store_dir(&s, d, &err), &err);
		oci_store_free(&s);
		put_path(d, pairs[i][1], "y");
		ck_assert_rc(oci_store_dir(&s, d, &err), AL_E_BUNDLE_UNSAFE, &err);
		ck_assert_msg(strstr(err.msg, "collides with") != NULL, "%s", err.msg);
		oci_store_free(&s);
		rmtree(d);
		free(d);
	}
}
END_TEST

/* AL_MAX_ARCHIVE_ENTRIES, the names one store lists: exactly that many are
 * listed, one more is refused with a message naming the bundle and the
 * limit. (The directory is the bundle's top: its files are its entries.) */
START_TEST(store_entries_limit)
{
	char *d = tmpdir();
	char path[1024];
	oci_store s = { .dirfd = -1, .threads = 1 };
	al_oci *o = NULL;

	for (unsigned i = 0; i < AL_MAX_ARCHIVE_ENTRIES; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%06x", d, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	ck_assert_ok(oci_store_dir(&s, d, &err), &err);
	ck_assert_uint_eq(s.n, AL_MAX_ARCHIVE_ENTRIES);
	ck_assert_ptr_nonnull(oci_store_find(&s, "000000"));
	snprintf(path, sizeof(path), "%06x", AL_MAX_ARCHIVE_ENTRIES - 1);
	ck_assert_ptr_nonnull(oci_store_find(&s, path));
	ck_assert_ptr_null(oci_store_find(&s, "index.json"));
	oci_store_free(&s);
	put_path(d, "index.json", "{}");
	ck_assert_rc(al_oci_open(d, 0, 0, &o, &err), AL_E_LIMIT, &err);
	ck_assert_ptr_null(o);
	snprintf(path, sizeof(path), "%s: more than %d entries in the bundle (the limit AL_MAX_ARCHIVE_ENTRIES)", d,
		 AL_MAX_ARCHIVE_ENTRIES);
	ck_assert_str_eq(err.msg, path);
	rmtree(d);
	free(d);
}
END_TEST

/* A layout blob's name is kept as its digest (oci_entry_path): every form
 * reads back as written and is found by it, only exact lowercase
 * blobs/<alg>/<hex> is packed, and packed names still collide under case
 * folding with their uppercase twin, as they would on exFAT. */
START_TEST(store_names_packed)
{
	static const char lower[] = "00ff8899aabbccddeeff00112233445566778899aabbccddeeff001122334455";
	char upper[sizeof(lower)], n256[96], up256[96], n512[160], shortn[96], longn[96];
	const char *names[5] = { n256, up256, n512, shortn, longn };
	const bool packed[5] = { true, false, true, false, false };
	oci_store s = { .dirfd = -1, .threads = 0 };
	al_buf t = { 0 };

	for (size_t i = 0; i < sizeof(lower); i++)
		upper[i] = (char)(lower[i] >= 'a' && lower[i] <= 'f' ? lower[i] - 'a' + 'A' : lower[i]);
	snprintf(n256, sizeof(n256), "blobs/sha256/%s", lower);
	snprintf(up256, sizeof(up256), "blobs/sha256/%.63s9", upper); /* folds to no other name */
	snprintf(n512, sizeof(n512), "blobs/sha512/%s%s", lower, lower);
	snprintf(shortn, sizeof(shortn), "blobs/sha256/%.63s", lower);
	snprintf(longn, sizeof(longn), "blobs/sha256/%s0", lower);
	for (size_t i = 0; i < 5; i++) {
		if (strlen(names[i]) > 100)
			gnu_long(&t, 'L', names[i]);
		file_gnu(&t, names[i], "x", strlen(names[i]) > 100);
	}
	end(&t);
	ck_assert_ok(oci_store_archive_mem(&s, al_buf_bytes(&t), &err), &err);
	ck_assert_uint_eq(s.n, 5);
	for (size_t i = 0; i < 5; i++) {
		char pb[OCI_PATH_BUF];
		const oci_entry *e = oci_store_find(&s, names[i]);

		ck_assert_msg(e != NULL, "%s not found", names[i]);
		ck_assert_str_eq(oci_entry_path(e, pb), names[i]);
		ck_assert_msg((e->name[0] == 1 || e->name[0] == 2) == packed[i], "%s: packed %d", names[i],
			      e->name[0]);
	}
	oci_store_free(&s);
	/* the same blob's name in uppercase beside it: one file on exFAT */
	t.n = 0;
	snprintf(up256, sizeof(up256), "blobs/sha256/%s", upper);
	file(&t, n256, "x");
	file(&t, up256, "x");
	end(&t);
	ck_assert_rc(oci_store_archive_mem(&s, al_buf_bytes(&t), &err), AL_E_BUNDLE_UNSAFE, &err);
	ck_assert_msg(strstr(err.msg, up256) && strstr(err.msg, n256), "%s", err.msg);
	oci_store_free(&s);
	al_buf_free(&t);
}
END_TEST

/* Names an attacker chose to share a slot of the path index: with FNV-1a
 * (the hash the index had) the low bits of a name's hash depend only on
 * the low bits, so thousands of colliding names are found in a moment, and
 * each insert then probed every earlier one (30,000 names took 31 s to
 * list, 100,000 several minutes). Keyed (al_keyed_hash), they spread: the
 * longest run of occupied slots stays short. A property of the table, not
 * a time. */
START_TEST(path_index_crafted_collisions_spread)
{
	enum { N = 4096, MASK = 8191 }; /* N names: 8,192 slots at load 1/2 */
	al_buf t = { 0 };
	oci_store s = { .dirfd = -1, .threads = 0 };
	oci_map m = { 0 };
	size_t found = 0, run = 0, longest = 0;
	char name[16], key[2 * sizeof(name) + 1], (*names)[16] = calloc(N, 16);

	for (uint32_t c = 0; found < N; c++) {
		uint64_t h = 0xcbf29ce484222325ull;
		size_t kn;

		snprintf(name, sizeof(name), "Z/%08X", c);
		kn = oci_casefold(name, strlen(name), key);
		ck_assert_str_eq(key, name); /* folds to itself: the index hashes this */
		for (size_t i = 0; i < kn; i++)
			h = (h ^ (uint8_t)key[i]) * 0x100000001b3ull;
		if ((h & MASK) != 0x1234)
			continue;
		file(&t, name, "");
		snprintf(names[found], 16, "%s", name);
		ck_assert_ok(oci_map_put(&m, names[found], found, &err), &err);
		found++;
	}
	end(&t);
	ck_assert_ok(oci_store_archive_mem(&s, al_buf_bytes(&t), &err), &err);
	ck_assert_uint_eq(s.n, N);
	ck_assert_uint_eq(s.by_path_cap, MASK + 1);
	/* wrapping runs are counted from slot 0 and from the end apart: an
	 * understatement of at most a factor of two */
	for (size_t j = 0; j < s.by_path_cap; j++) {
		run = s.by_path[j] ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	ck_assert_msg(longest < 200, "a run of %zu occupied slots among %zu names", longest, (size_t)N);
	ck_assert_ptr_nonnull(oci_store_find(&s, name));
	/* the string map (nodes by digest, folding records of directories)
	 * hashes its keys the same way */
	ck_assert_uint_eq(m.cap, MASK + 1);
	run = longest = 0;
	for (size_t j = 0; j < m.cap; j++) {
		run = m.keys[j] ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	ck_assert_msg(longest < 200, "map: a run of %zu occupied slots among %zu keys", longest, (size_t)N);
	{
		size_t v = 0;

		ck_assert(oci_map_get(&m, names[N - 1], &v));
		ck_assert_uint_eq(v, N - 1);
	}
	oci_map_free(&m);
	free(names);
	oci_store_free(&s);
	al_buf_free(&t);
}
END_TEST

/* Whether two names get the same case-insensitive key. */
static bool
same_key(const char *a, const char *b)
{
	char ka[64], kb[64];

	oci_casefold(a, strlen(a), ka);
	oci_casefold(b, strlen(b), kb);
	return strcmp(ka, kb) == 0;
}

START_TEST(casefold_function)
{
	char out[64];

	/* the key is Go's fold: ASCII to upper case, other letters to the
	 * smallest member of their class (É U+00C9, and 'K' for KELVIN SIGN) */
	ck_assert_uint_eq(oci_casefold("abc/\xc3\xa9\xe2\x84\xaa", 9, out), 7);
	ck_assert_str_eq(out, "ABC/\xc3\x89K");
	ck_assert(same_key("Blobs/SHA256", "blobs/sha256"));
	ck_assert(!same_key("blobs", "blobz"));
	ck_assert(same_key("caf\xc3\xa9", "CAF\xc3\x89"));              /* é, É */
	ck_assert(same_key("\xe2\x84\xaa", "k"));                          /* Kelvin sign, k */
	ck_assert(same_key("\xcf\x83", "\xcf\x82"));                        /* σ, final ς */
	ck_assert(same_key("\xcf\x82", "\xce\xa3"));                        /* ς, Σ */
	/* sharp s: capital U+1E9E folds to U+00DF (simple), not "ss" */
	oci_casefold("\xe1\xba\x9e", 3, out);
	ck_assert_str_eq(out, "\xc3\x9f");
	ck_assert(same_key("\xe1\xba\x9e", "\xc3\x9f"));
	ck_assert(!same_key("\xc3\x9f", "ss"));
	/* dotless ı and dotted İ have no simple folding to i */
	ck_assert(!same_key("\xc4\xb1", "i"));
	ck_assert(!same_key("\xc4\xb0", "i"));
	/* an invalid byte stays itself in the key (callers refuse it first) */
	ck_assert_uint_eq(oci_casefold("a\xff", 2, out), 2);
	ck_assert_str_eq(out, "A\xff");
	ck_assert(!same_key("a\xff", "a"));
	ck_assert(oci_utf8_valid("caf\xc3\xa9", 5));
	ck_assert(!oci_utf8_valid("\xc0\xaf", 2));           /* overlong '/' */
	ck_assert(!oci_utf8_valid("\xed\xa0\x80", 3));       /* surrogate */
	ck_assert(!oci_utf8_valid("\xf4\x90\x80\x80", 4));   /* > U+10FFFF */
	ck_assert(!oci_utf8_valid("\xc3", 1));
}
END_TEST

/* ================================================================ the ends of streams */

START_TEST(trailing_data_tar)
{
	al_buf b = layout_tar();
	al_buf c = { 0 }, d = { 0 }, e = layout_body();
	hdr h = mkhdr("late", '0', 1, false);

	put(&b, "X", 1);
	refused("trailing-byte.tar", al_buf_bytes(&b), AL_E_BUNDLE_UNSAFE, "trailing data after the archive");
	/* a whole entry after the marker: libarchive and Go never see it */
	c = layout_tar();
	entry_raw(&c, &h, "x", 1);
	refused("trailing-entry.tar", al_buf_bytes(&c), AL_E_BUNDLE_UNSAFE, "trailing data after the archive");
	/* one zero block, then a header */
	{
		static const uint8_t z[512];

		put(&e, z, 512);
		entry_raw(&e, &h, "x", 1);
		end(&e);
		refused("zero-then-header.tar", al_buf_bytes(&e), AL_E_BUNDLE_UNSAFE,
			"a zero block at offset");
	}
	/* no marker at all, and half a marker */
	d = layout_body();
	refused("no-marker.tar", al_buf_bytes(&d), AL_E_BUNDLE_FORMAT, "without its end-of-archive marker");
	{
		static const uint8_t z[512];

		put(&d, z, 512);
		refused(NULL, al_buf_bytes(&d), AL_E_BUNDLE_FORMAT, "one zero block");
	}
	al_buf_free(&b);
	al_buf_free(&c);
	al_buf_free(&d);
	al_buf_free(&e);
}
END_TEST

START_TEST(trailing_data_compressed)
{
	al_buf t = layout_tar(), g = gz(al_buf_bytes(&t)), z = zst(al_buf_bytes(&t)), x = xz(al_buf_bytes(&t));
	al_buf b;
	/* a skippable frame: magic 0x184D2A50, 4-byte length, payload */
	static const uint8_t skip[] = { 0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 'e', 'v', 'i', 'l' };
	static const uint8_t zeros[8];

	b = cat(al_buf_bytes(&g), al_bytes_str("garbage"));
	refused("gzip-trailing.tar.gz", al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the gzip stream");
	al_buf_free(&b);
	b = cat(al_buf_bytes(&g), al_bytes_of(zeros, 8));
	refused(NULL, al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the gzip stream");
	al_buf_free(&b);
	b = cat(al_buf_bytes(&z), al_bytes_str("garbage!"));
	refused("zstd-trailing.tar.zst", al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the zstd stream");
	al_buf_free(&b);
	b = cat(al_buf_bytes(&z), al_bytes_of(skip, sizeof(skip)));
	refused("zstd-skippable.tar.zst", al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "zstd skippable frame");
	al_buf_free(&b);
	b = cat(al_bytes_of(skip, sizeof(skip)), al_buf_bytes(&z));
	refused(NULL, al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "skippable frame");
	al_buf_free(&b);
	b = cat(al_buf_bytes(&x), al_bytes_str("garbage!"));
	refused("xz-trailing.tar.xz", al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the xz stream");
	al_buf_free(&b);
	/* a second xz stream, or xz stream padding: refused (Go libraries differ on both) */
	b = cat(al_buf_bytes(&x), al_buf_bytes(&x));
	refused(NULL, al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the xz stream");
	al_buf_free(&b);
	b = cat(al_buf_bytes(&x), al_bytes_of(zeros, 4));
	refused(NULL, al_buf_bytes(&b), AL_E_BUNDLE_FORMAT, "trailing data after the xz stream");
	al_buf_free(&b);
	/* truncations */
	refused(NULL, al_bytes_of(g.p, g.n - 4), AL_E_BUNDLE_FORMAT, "gzip");
	refused(NULL, al_bytes_of(z.p, z.n - 3), AL_E_BUNDLE_FORMAT, "zstd");
	refused(NULL, al_bytes_of(x.p, x.n - 5), AL_E_BUNDLE_FORMAT, "xz");
	al_buf_free(&t);
	al_buf_free(&g);
	al_buf_free(&z);
	al_buf_free(&x);
}
END_TEST

/* ================================================================ header differentials */

static void h_pax_and_gnu(al_buf *b) { gnu_long(b, 'L', "gnu-name"); pax(b, 'x', "path", "pax-name", NULL, NULL); file(b, "ustar-name", "x"); }
static void h_pax_path(al_buf *b) { pax(b, 'x', "path", "a-pax-name", "mtime", "1700000000.5"); file(b, "ustar-name", "x"); }
static void h_gnu_long(al_buf *b) { gnu_long(b, 'L', "a-gnu-long-name"); file_gnu(b, "cut", "x", true); }
static void h_gnu_long_nonul(al_buf *b)
{
	hdr h = mkhdr("././@LongLink", 'L', 4, true);

	entry_raw(b, &h, "abcd", 4);
	file_gnu(b, "cut", "x", true);
}
static void h_gnu_long_twice_nul(al_buf *b)
{
	hdr h = mkhdr("././@LongLink", 'L', 6, true);

	entry_raw(b, &h, "ab\0cd", 6);
	file_gnu(b, "cut", "x", true);
}
static void h_star(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 345, "a-star-prefix", 13);
	memcpy(h.b + 508, "tar\0", 4);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_ustar_prefix(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 345, "some/prefix", 11);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_prefix_slash(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 345, "some/", 5);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_gnu_atime(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, true);

	memcpy(h.b + 345, "evil/prefix", 11); /* atime/ctime that do not parse */
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_gnu_atime_ok(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, true);

	oct(h.b + 345, 12, 1700000000);
	oct(h.b + 357, 12, 1700000000);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_gnu_sparse_bytes(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, true);

	oct(h.b + 483, 12, 99999); /* realsize */
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_sparse_type(al_buf *b) { hdr h = mkhdr("sparse", 'S', 1, true); entry_raw(b, &h, "x", 1); }
static void h_sparse_key(al_buf *b) { pax(b, 'x', "GNU.sparse.name", "other", NULL, NULL); file(b, "name", "x"); }
static void h_realsize_key(al_buf *b) { pax(b, 'x', "SCHILY.realsize", "99", NULL, NULL); file(b, "name", "x"); }
static void h_hdrcharset(al_buf *b) { pax(b, 'x', "hdrcharset", "BINARY", NULL, NULL); file(b, "name", "x"); }
static void h_global_path(al_buf *b) { pax(b, 'g', "path", "everything", NULL, NULL); file(b, "name", "x"); }
static void h_global_comment(al_buf *b) { pax(b, 'g', "comment", "git archive commit id", NULL, NULL); file(b, "name", "x"); }
static void h_pax_dup(al_buf *b) { pax(b, 'x', "path", "one", "path", "two"); file(b, "name", "x"); }
static void h_pax_twice(al_buf *b) { pax(b, 'x', "path", "one", NULL, NULL); pax(b, 'x', "path", "two", NULL, NULL); file(b, "name", "x"); }
static void h_pax_size_plus(al_buf *b) { pax(b, 'x', "size", "+1", NULL, NULL); file(b, "name", "x"); }
static void h_pax_size(al_buf *b) { pax(b, 'x', "size", "1", NULL, NULL); file(b, "name", "x"); }
static void h_pax_nul(al_buf *b)
{
	static const char recs[] = "14 path=ab\0cd\n";
	hdr h = mkhdr("PaxHeader/x", 'x', sizeof(recs) - 1, false);

	entry_raw(b, &h, recs, sizeof(recs) - 1);
	file(b, "name", "x");
}
static void h_bad_sum(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	h.b[0] = 'N';
	entry_raw(b, &h, "x", 1);
}
static void h_size_leading_nul(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 124, "\0\0\0" "000000001", 12); /* Go: 1, libarchive: 0 */
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_size_spaces(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 124, "          1 ", 12);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_size_b256(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, true);

	memset(h.b + 124, 0, 12);
	h.b[124] = 0x80;
	h.b[135] = 1;
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_mode_garbage(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 100, "0644 x\0", 8);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_backslash(al_buf *b) { file(b, "a\\b", "x"); }
static void h_latin1(al_buf *b) { file(b, "caf\xe9", "x"); }
static void h_file_slash(al_buf *b) { file(b, "looks-like-a-dir/", "x"); }
static void h_dir_size(al_buf *b)
{
	hdr h = mkhdr("d/", '5', 512, false);
	static const uint8_t data[512];

	entry_raw(b, &h, data, 512);
}
static void h_v7(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memset(h.b + 257, 0, 8);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_contiguous(al_buf *b) { hdr h = mkhdr("c", '7', 1, false); entry_raw(b, &h, "x", 1); }
static void h_pax_dangling(al_buf *b) { pax(b, 'x', "path", "nothing-follows", NULL, NULL); }
static void h_file_link(al_buf *b)
{
	hdr h = mkhdr("name", '0', 1, false);

	memcpy(h.b + 157, "index.json", 10);
	hdr_sum(&h);
	entry_raw(b, &h, "x", 1);
}
static void h_xattr(al_buf *b) { pax(b, 'x', "SCHILY.xattr.user.x", "v", NULL, NULL); file(b, "name", "x"); }

START_TEST(header_differentials_refused)
{
	struct { const char *seed; void (*f)(al_buf *); al_rc code; const char *needle; } c[] = {
		{ "pax-and-gnu-name.tar", h_pax_and_gnu, AL_E_BUNDLE_UNSAFE, "both a PAX path and a GNU long name" },
		{ "gnu-long-no-nul.tar", h_gnu_long_nonul, AL_E_BUNDLE_UNSAFE, "not a name followed by one NUL" },
		{ NULL, h_gnu_long_twice_nul, AL_E_BUNDLE_UNSAFE, "not a name followed by one NUL" },
		{ "star-prefix.tar", h_star, AL_E_BUNDLE_UNSAFE, "star header with a prefix" },
		{ "prefix-slash.tar", h_prefix_slash, AL_E_BUNDLE_UNSAFE, "prefix ends in '/'" },
		{ "gnu-atime-prefix.tar", h_gnu_atime, AL_E_BUNDLE_UNSAFE, "atime/ctime do not parse" },
		{ "gnu-sparse-bytes.tar", h_gnu_sparse_bytes, AL_E_BUNDLE_UNSAFE, "sparse or multi-volume" },
		{ "sparse-type.tar", h_sparse_type, AL_E_BUNDLE_UNSAFE, "sparse: sparse file" },
		{ "pax-gnu-sparse.tar", h_sparse_key, AL_E_BUNDLE_UNSAFE, "\"GNU.sparse.name\"" },
		{ NULL, h_realsize_key, AL_E_BUNDLE_UNSAFE, "\"SCHILY.realsize\"" },
		{ "pax-hdrcharset.tar", h_hdrcharset, AL_E_BUNDLE_UNSAFE, "\"hdrcharset\"" },
		{ "pax-global-path.tar", h_global_path, AL_E_BUNDLE_UNSAFE, "in a global header" },
		{ "pax-dup-key.tar", h_pax_dup, AL_E_BUNDLE_UNSAFE, "appears twice" },
		{ NULL, h_pax_twice, AL_E_BUNDLE_UNSAFE, "a second extended header" },
		{ NULL, h_pax_size_plus, AL_E_BUNDLE_UNSAFE, "not a canonical decimal size" },
		{ "pax-path-nul.tar", h_pax_nul, AL_E_BUNDLE_UNSAFE, "a NUL in the value" },
		{ "bad-checksum.tar", h_bad_sum, AL_E_BUNDLE_UNSAFE, "checksum mismatch" },
		{ "size-leading-nul.tar", h_size_leading_nul, AL_E_BUNDLE_UNSAFE, "size field is not a canonical number" },
		{ NULL, h_mode_garbage, AL_E_BUNDLE_UNSAFE, "mode field is not a canonical number" },
		{ "name-backslash.tar", h_backslash, AL_E_BUNDLE_UNSAFE, "a backslash in the name" },
		{ "name-latin1.tar", h_latin1, AL_E_BUNDLE_UNSAFE, "not valid UTF-8" },
		{ "file-trailing-slash.tar", h_file_slash, AL_E_BUNDLE_UNSAFE, "name ends in '/'" },
		{ "dir-with-size.tar", h_dir_size, AL_E_BUNDLE_UNSAFE, "a directory with a non-zero size" },
		{ "v7-header.tar", h_v7, AL_E_BUNDLE_UNSAFE, "not a ustar, PAX or GNU header" },
		{ NULL, h_contiguous, AL_E_BUNDLE_UNSAFE, "contiguous file" },
		{ NULL, h_pax_dangling, AL_E_BUNDLE_UNSAFE, "not followed by an entry" },
		{ NULL, h_file_link, AL_E_BUNDLE_UNSAFE, "a regular file with a link name" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(c); i++) {
		al_buf b = layout_plus(c[i].f);

		refused(c[i].seed, al_buf_bytes(&b), c[i].code, c[i].needle);
		al_buf_free(&b);
	}
}
END_TEST

/* The twins: the same features written the way every reader agrees on. */
START_TEST(header_twins_accepted)
{
	void (*ok[])(al_buf *) = { h_pax_path, h_gnu_long, h_ustar_prefix, h_gnu_atime_ok, h_global_comment,
				   h_pax_size, h_size_spaces, h_size_b256, h_xattr };

	for (size_t i = 0; i < AL_ARRAY_LEN(ok); i++) {
		al_buf b = layout_plus(ok[i]);

		accepted(NULL, al_buf_bytes(&b));
		al_buf_free(&b);
	}
}
END_TEST

/* ================================================================ differential fuzzing */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void (*const features[])(al_buf *) = {
	h_pax_path, h_gnu_long, h_ustar_prefix, h_gnu_atime_ok, h_global_comment, h_pax_size, h_size_spaces,
	h_size_b256, h_xattr, h_star, h_gnu_atime, h_sparse_key, h_pax_and_gnu, h_file_slash, h_dir_size,
	h_size_leading_nul, h_backslash, h_v7, h_gnu_sparse_bytes, h_prefix_slash,
};

/* Random archives from the feature list, with random byte changes in their
 * headers (checksums fixed up half the time so the change gets read):
 * wherever oci_tar accepts, libarchive must read the same entries. */
START_TEST(differential_random)
{
	size_t n_acc = 0, n = 3000;

	for (size_t it = 0; it < n; it++) {
		al_buf b = { 0 };
		size_t k = 1 + rnd(4), flips = rnd(4);
		bool acc;

		for (size_t i = 0; i < k; i++) {
			/* the first nine are accepted features: mostly those, so most archives get read */
			features[rnd(4) ? rnd(9) : rnd(AL_ARRAY_LEN(features))](&b);
			if (rnd(3) == 0) {
				char name[32];

				snprintf(name, sizeof(name), "f%u", rnd(1000));
				file_gnu(&b, name, "data", rnd(2));
			}
		}
		end(&b);
		for (size_t f = 0; f < flips; f++) {
			size_t blk = rnd((uint32_t)(b.n / 512)), off = rnd(512);
			static const uint8_t vals[] = { 0, ' ', '0', '7', '/', 'x', 'L', 'K', 'g', '5', 0x80, 0xff, '\n' };
			hdr h;

			b.p[blk * 512 + off] = vals[rnd(sizeof(vals))];
			if (rnd(2)) {
				memcpy(h.b, b.p + blk * 512, 512);
				hdr_sum(&h);
				memcpy(b.p + blk * 512, h.b, 512);
			}
		}
		ck_assert_msg(oci_tar_differential(al_buf_bytes(&b), &acc, &err) == AL_OK, "iteration %zu: %s", it,
			      err.msg);
		n_acc += acc;
		al_buf_free(&b);
	}
	/* the generator must exercise acceptance, not only refusal */
	ck_assert_uint_gt(n_acc, n / 10);
	fprintf(stderr, "differential_random: %zu of %zu archives accepted, libarchive agrees on all\n", n_acc, n);
}
END_TEST

/* ================================================================ budget and bombs */

START_TEST(budget_max_bytes)
{
	al_buf t = layout_tar(), z = zst(al_buf_bytes(&t));
	al_oci *o = NULL;

	ck_assert_rc(al_oci_open_mem(al_buf_bytes(&z), 0, 1024, &o, &err), AL_E_LIMIT, &err);
	ck_assert_msg(strstr(err.msg, "--max-bytes") != NULL && strstr(err.msg, "1024") != NULL, "%s", err.msg);
	ck_assert_int_eq(al_rc_exit(AL_E_LIMIT), 1);
	ck_assert_ok(al_oci_open_mem(al_buf_bytes(&z), 0, t.n, &o, &err), &err);
	al_oci_free(o);
	al_buf_free(&t);
	al_buf_free(&z);
}
END_TEST

/* A zstd frame written by hand: a raw block with a tar header announcing a
 * ~1 TiB entry, then 128 KiB RLE blocks of zeros (4 bytes each): 1 TiB of
 * output from 32 MiB of input. */
static al_buf
zstd_bomb(uint64_t out_bytes)
{
	al_buf b = { 0 };
	hdr h = mkhdr("blobs/sha256/bomb", '0', 0, true);
	uint64_t size = out_bytes - 1024, blocks = (out_bytes - 512) / (128u << 10);
	uint8_t fh[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38 }; /* no FCS, window 128 KiB */
	uint8_t raw[3];
	uint32_t bh;

	memset(h.b + 124, 0, 12);
	h.b[124] = 0x80;
	for (int i = 0; i < 8; i++)
		h.b[135 - i] = (uint8_t)(size >> (8 * i));
	hdr_sum(&h);
	put(&b, fh, sizeof(fh));
	bh = 512u << 3; /* raw block, not last */
	raw[0] = (uint8_t)bh, raw[1] = (uint8_t)(bh >> 8), raw[2] = (uint8_t)(bh >> 16);
	put(&b, raw, 3);
	put(&b, h.b, 512);
	ck_assert_int_eq(al_buf_reserve(&b, blocks * 4, NULL), AL_OK);
	for (uint64_t i = 0; i < blocks; i++) {
		uint8_t rle[4];

		bh = (128u << 10) << 3 | 1u << 1 | (i + 1 == blocks ? 1u : 0u);
		rle[0] = (uint8_t)bh, rle[1] = (uint8_t)(bh >> 8), rle[2] = (uint8_t)(bh >> 16), rle[3] = 0;
		memcpy(b.p + b.n, rle, 4);
		b.n += 4;
	}
	return b;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(zstd_bomb_refused_fast)
{
	al_buf b = zstd_bomb((uint64_t)1 << 40);
	al_oci *o = NULL;
	double t0 = now(), dt;

	ck_assert_uint_lt(b.n, 40u << 20);
	ck_assert_rc(al_oci_open_mem(al_buf_bytes(&b), 0, 0, &o, &err), AL_E_LIMIT, &err);
	dt = now() - t0;
	ck_assert_msg(strstr(err.msg, "decompression bomb") != NULL, "%s", err.msg);
	fprintf(stderr, "zstd_bomb_refused_fast: %zu-byte stream announcing 1 TiB refused in %.2f s: %s\n", b.n, dt,
		err.msg);
	ck_assert_msg(dt < 60, "took %.1f s", dt);
	al_buf_free(&b);
	/* a small one fits in the ratio and is read to the end (and then is no bundle) */
	b = zstd_bomb(64u << 20);
	ck_assert_rc(al_oci_open_mem(al_buf_bytes(&b), AL_OCI_ALLOW_MISSING, 0, &o, &err), AL_E_BUNDLE_FORMAT, &err);
	al_buf_free(&b);
}
END_TEST

/* ================================================================ the bundle path */

START_TEST(nonregular_paths_refused)
{
	char *d = tmpdir(), fifo[1024];
	al_oci *o = NULL;
	double t0 = now();
	pid_t pid;
	int status;

	snprintf(fifo, sizeof(fifo), "%s/fifo", d);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* in a child with an alarm: a blocking open must fail the test, not hang it */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		al_err e;
		al_rc rc;

		alarm(10);
		rc = al_oci_open(fifo, 0, 0, &o, &e);
		_exit(rc == AL_E_IO && strstr(e.msg, "a FIFO") != NULL ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "FIFO not refused at once (status %d)", status);
	ck_assert_double_lt(now() - t0, 5);
	ck_assert_rc(al_oci_open("/dev/null", 0, 0, &o, &err), AL_E_IO, &err);
	ck_assert_msg(strstr(err.msg, "character device") != NULL, "%s", err.msg);
	ck_assert_int_eq(al_rc_exit(AL_E_IO), 2);
	/* a link to a regular archive is followed: operators name files through links */
	{
		al_buf t = layout_tar();
		char path[1100], link[1100];
		FILE *f;

		snprintf(path, sizeof(path), "%s/l.tar", d);
		snprintf(link, sizeof(link), "%s/link.tar", d);
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(t.p, 1, t.n, f), t.n);
		fclose(f);
		ck_assert_int_eq(symlink(path, link), 0);
		ck_assert_ok(al_oci_open(link, 0, 0, &o, &err), &err);
		ck_assert_str_eq(o->compression, "none");
		al_oci_free(o);
		al_buf_free(&t);
	}
	rmtree(d);
	free(d);
}
END_TEST

/* A file read through the fd path in small pieces (a pipe) reads the same. */
START_TEST(pipe_reads_same)
{
	al_buf t = layout_tar(), z = zst(al_buf_bytes(&t));
	int p[2];
	pid_t pid;
	oci_tar *r;
	const oci_tar_entry *e;
	size_t n = 0;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < z.n; i += 7)
			if (write(p[1], z.p + i, z.n - i < 7 ? z.n - i : 7) < 0)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	ck_assert_ok(oci_tar_open_fd(&r, p[0], "pipe", 0, &err), &err);
	for (;;) {
		ck_assert_ok(oci_tar_next(r, &e, &err), &err);
		if (e == NULL)
			break;
		n++;
	}
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(oci_tar_compression(r), "zstd");
	ck_assert_uint_eq(oci_tar_bytes_out(r), t.n);
	oci_tar_free(r);
	close(p[0]);
	waitpid(pid, NULL, 0);
	al_buf_free(&t);
	al_buf_free(&z);
}
END_TEST


/* ================================================================ hashing beside the reader */

static void *
nothing(void *arg)
{
	return arg;
}

/* Threads of this process now (Check runs each test in a child of its own).
 * A sanitizer starts a thread of its own with the first thread: one is
 * started (and joined) first, so that one is counted every time. */
static size_t
thread_count(void)
{
	static bool warm;
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	if (!warm) {
		pthread_t t;

		ck_assert_int_eq(pthread_create(&t, NULL, nothing, NULL), 0);
		pthread_join(t, NULL);
		warm = true;
	}
	d = opendir("/proc/self/task");

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The threads of this process once those started by a call have gone: a
 * joined thread can still be listed for a moment (the kernel wakes
 * pthread_join before it has removed the task), so a count above before
 * is read again for up to two seconds before it is believed. */
static size_t
threads_after(size_t before)
{
	size_t n = thread_count();

	for (int i = 0; i < 2000 && n > before; i++) {
		struct timespec ms = { 0, 1000000 };

		nanosleep(&ms, NULL);
		n = thread_count();
	}
	return n;
}

/* Bytes that differ per seed (xorshift). */
static void
fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 0x9e3779b9u;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

/* Sizes around the edges that matter: empty, the hand-over threshold of
 * oci_source.c (16 KiB), the hashing buffer (AL_HASHQ_BUF), several of them. */
static const size_t big_sizes[] = {
	0, 1, 511, 512, 16u << 10, (16u << 10) + 1, 100000, AL_HASHQ_BUF - 1, AL_HASHQ_BUF, AL_HASHQ_BUF + 1,
	(5u * AL_HASHQ_BUF) / 2, 3 * AL_HASHQ_BUF + 7, 70000, 300, 2 * AL_HASHQ_BUF,
};
#define BIG_LAYERS 45
#define BIG_EXTRAS 400

typedef struct big_layout {
	al_buf tar;                 /* without the end marker */
	size_t last_layer_at;       /* offset of the last layer's data */
	size_t last_layer_size;
	size_t second_layer_at;     /* the second layer larger than a buffer */
	char last_layer[128], second_layer[128];
} big_layout;

/* A layout of BIG_LAYERS layers (big_sizes over and over) and BIG_EXTRAS
 * small unreferenced blobs; the manifest and the last layer come last. */
static void
big_layout_make(big_layout *L)
{
	char (*ld)[AL_OCI_DIGEST_STR_MAX] = calloc(BIG_LAYERS, sizeof(*ld));
	char cd[AL_OCI_DIGEST_STR_MAX], md[AL_OCI_DIGEST_STR_MAX];
	al_buf man = { 0 }, idx = { 0 };
	size_t nbig = 0;

	memset(L, 0, sizeof(*L));
	layout_init();
	digest_of(cfg_s, cd);
	dir(&L->tar, "blobs/");
	dir(&L->tar, "blobs/sha256/");
	file(&L->tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	file(&L->tar, blob_path(cd), cfg_s);
	ck_assert_int_eq(al_buf_appendf(&man, NULL,
					"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
					"\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
					"\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
					cd, strlen(cfg_s)), AL_OK);
	for (size_t i = 0; i < BIG_EXTRAS; i++) {
		uint8_t b[140];
		size_t n = 70 + i % 62; /* no layer has these sizes: no two blobs alike */
		char d[AL_OCI_DIGEST_STR_MAX];
		al_oci_digest dg;
		hdr h;

		/* not JSON: kept as small binaries, listed as extras */
		fill(b, n, 100000 + (uint32_t)i);
		b[0] = 0xff;
		al_oci_digest_of(AL_HASH_SHA256, al_bytes_of(b, n), &dg);
		al_oci_digest_str(&dg, d);
		h = mkhdr(blob_path(d), '0', n, false);
		entry_raw(&L->tar, &h, b, n);
	}
	for (size_t i = 0; i < BIG_LAYERS; i++) {
		size_t n = big_sizes[i % AL_ARRAY_LEN(big_sizes)];
		uint8_t *b;

		/* one empty layer and one of a byte: more would be the same blob */
		if (n < 2 && i >= AL_ARRAY_LEN(big_sizes))
			n += 2;
		b = malloc(n ? n : 1);
		al_oci_digest dg;
		hdr h;

		fill(b, n, (uint32_t)i);
		if (n > 0)
			b[0] = 0xff; /* not JSON, whatever the rest */
		al_oci_digest_of(AL_HASH_SHA256, al_bytes_of(b, n), &dg);
		al_oci_digest_str(&dg, ld[i]);
		ck_assert_int_eq(al_buf_appendf(&man, NULL,
						"%s{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
						"\"digest\":\"%s\",\"size\":%zu}",
						i ? "," : "", ld[i], n), AL_OK);
		h = mkhdr(blob_path(ld[i]), '0', n, false);
		if (n > AL_HASHQ_BUF && ++nbig == 2) {
			L->second_layer_at = L->tar.n + 512;
			snprintf(L->second_layer, sizeof(L->second_layer), "%s", blob_path(ld[i]));
		}
		if (i + 1 == BIG_LAYERS) {
			L->last_layer_at = L->tar.n + 512;
			L->last_layer_size = n;
			snprintf(L->last_layer, sizeof(L->last_layer), "%s", blob_path(ld[i]));
		}
		entry_raw(&L->tar, &h, b, n);
		free(b);
	}
	ck_assert_int_eq(al_buf_appendf(&man, NULL, "]}"), AL_OK);
	digest_of((const char *)man.p, md);
	ck_assert_int_eq(al_buf_appendf(&idx, NULL,
					"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
					"\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu}]}",
					md, man.n), AL_OK);
	file(&L->tar, "index.json", (const char *)idx.p);
	file(&L->tar, blob_path(md), (const char *)man.p);
	/* the last layer after the documents: the last bytes hashed */
	{
		al_buf last = { 0 };
		size_t at = L->last_layer_at - 512, len = 512 + L->last_layer_size;

		len += (512 - len % 512) % 512;
		put(&last, L->tar.p + at, len);
		memmove(L->tar.p + at, L->tar.p + at + len, L->tar.n - at - len);
		L->tar.n -= len;
		L->last_layer_at = L->tar.n + 512;
		put(&L->tar, last.p, last.n);
		al_buf_free(&last);
	}
	ck_assert_uint_gt(L->last_layer_size, AL_HASHQ_BUF);
	ck_assert_uint_gt(L->second_layer_at, 0);
	al_buf_free(&man);
	al_buf_free(&idx);
	free(ld);
}

typedef struct outcome {
	al_rc rc;
	char msg[AL_ERR_MSG_MAX];
	char *desc;                 /* al_oci_describe when it opened */
	uint64_t hashed;
} outcome;

/* A progress display that only checks what it is given: called on the
 * thread that opens (so never while another call runs), counts that do
 * not go back. */
typedef struct seen_progress {
	pthread_t opener;
	unsigned calls;
	uint64_t hashed, read;
} seen_progress;

static void
on_progress(void *ctx, const al_oci_progress *p)
{
	seen_progress *sp = ctx;

	ck_assert(pthread_equal(pthread_self(), sp->opener));
	ck_assert_uint_ge(p->hashed, sp->hashed);
	ck_assert_uint_ge(p->read, sp->read);
	ck_assert(p->total == 0 || p->hashed <= p->total);
	ck_assert(p->read_total == 0 || p->read <= p->read_total);
	sp->hashed = p->hashed;
	sp->read = p->read;
	sp->calls++;
}

/* Opens b with jobs hashing threads (0: AL_OCI_NO_THREADS; with a progress
 * display when shown) and checks that no thread outlives the call. */
static outcome
open_jobs_shown(al_bytes b, unsigned jobs, uint64_t max_bytes, bool shown)
{
	al_oci_opts opts = { .flags = jobs ? 0 : AL_OCI_NO_THREADS, .jobs = jobs, .max_bytes = max_bytes };
	seen_progress sp = { .opener = pthread_self() };
	size_t before = thread_count();
	al_oci *o = NULL;
	outcome r;
	al_err e;

	memset(&r, 0, sizeof(r));
	al_err_clear(&e);
	if (shown) {
		opts.progress = on_progress;
		opts.progress_ctx = &sp;
	}
	r.rc = al_oci_open_mem_opts(b, &opts, &o, &e);
	ck_assert_uint_eq(threads_after(before), before);
	snprintf(r.msg, sizeof(r.msg), "%s", e.msg);
	if (r.rc == AL_OK) {
		al_buf d = { 0 };

		ck_assert_ok(al_oci_describe(o, &d, &e), &e);
		r.desc = (char *)d.p;
		r.hashed = o->bytes_hashed;
		al_oci_free(o);
	} else {
		ck_assert_ptr_null(o);
	}
	return r;
}

/* The same outcome, to the byte, with no thread, 1, 4 and 2 hashing
 * threads, and 4 with a progress display. */
static outcome
same_with_any_jobs(al_bytes b, uint64_t max_bytes)
{
	static const unsigned jobs[] = { 0, 1, 4, 2, 4 };
	outcome first = open_jobs_shown(b, jobs[0], max_bytes, false);

	for (size_t i = 1; i < AL_ARRAY_LEN(jobs); i++) {
		outcome r = open_jobs_shown(b, jobs[i], max_bytes, i == 4);

		ck_assert_msg(r.rc == first.rc, "-j %u: %s (%s), without threads: %s (%s)", jobs[i], al_rc_name(r.rc),
			      r.msg, al_rc_name(first.rc), first.msg);
		ck_assert_str_eq(r.msg, first.msg);
		ck_assert_uint_eq(r.hashed, first.hashed);
		if (first.desc != NULL)
			ck_assert_str_eq(r.desc, first.desc);
		free(r.desc);
	}
	return first;
}

/* An archive file opened by path with jobs threads: the model wanted, and
 * the SHA-256 of the file as the archive's digest. */
static void
open_file_jobs(al_bytes b, const char *want_desc)
{
	static const unsigned jobs[] = { 0, 1, 4 };
	char *d = tmpdir(), path[1100];
	uint8_t want[AL_HASH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/a", d);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.p, 1, b.n, f), b.n);
	fclose(f);
	al_hash_bytes(AL_HASH_SHA256, b, want);
	for (size_t i = 0; i < AL_ARRAY_LEN(jobs); i++) {
		al_oci_opts opts = { .jobs = jobs[i], .flags = jobs[i] ? 0 : AL_OCI_NO_THREADS };
		size_t before = thread_count();
		al_oci *o = NULL;
		al_buf desc = { 0 };

		ck_assert_ok(al_oci_open_opts(path, &opts, &o, &err), &err);
		ck_assert_uint_eq(threads_after(before), before);
		ck_assert(o->has_archive_sha256);
		ck_assert_msg(memcmp(o->archive_sha256, want, 32) == 0, "archive digest, -j %u", jobs[i]);
		ck_assert_ok(al_oci_describe(o, &desc, &err), &err);
		ck_assert_str_eq((char *)desc.p, want_desc);
		al_oci_free(o);
		al_buf_free(&desc);
	}
	unlink(path);
	rmtree(d);
	free(d);
}

START_TEST(threads_many_entries_same_model)
{
	big_layout L;
	outcome r;
	al_buf t, z, g;

	big_layout_make(&L);
	t = L.tar;
	end(&t);
	r = same_with_any_jobs(al_buf_bytes(&t), 0);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	ck_assert_ptr_nonnull(strstr(r.desc, L.last_layer + 13));
	open_file_jobs(al_buf_bytes(&t), r.desc);
	/* compressed: the decoder's pieces differ from the buffers' */
	z = zst(al_buf_bytes(&t));
	g = gz(al_buf_bytes(&t));
	open_file_jobs(al_buf_bytes(&z), r.desc);
	open_file_jobs(al_buf_bytes(&g), r.desc);
	free(r.desc);
	r = same_with_any_jobs(al_buf_bytes(&z), 0);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	free(r.desc);
	r = same_with_any_jobs(al_buf_bytes(&g), 0);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	free(r.desc);
	al_buf_free(&t);
	al_buf_free(&z);
	al_buf_free(&g);
}
END_TEST

/* A byte changed in the last layer, the last bytes of the stream: found,
 * and named, as without threads; with an earlier layer changed too, the
 * first in the manifest's order is the one reported. */
START_TEST(threads_corrupt_late)
{
	big_layout L;
	outcome r;
	al_buf t;

	big_layout_make(&L);
	t = L.tar;
	end(&t);
	t.p[L.last_layer_at + L.last_layer_size - 1] ^= 1;
	r = same_with_any_jobs(al_buf_bytes(&t), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_BLOB, NULL);
	ck_assert_msg(strstr(r.msg, L.last_layer) != NULL && strstr(r.msg, "digest mismatch") != NULL, "%s", r.msg);
	t.p[L.second_layer_at + AL_HASHQ_BUF] ^= 1;
	r = same_with_any_jobs(al_buf_bytes(&t), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_BLOB, NULL);
	ck_assert_msg(strstr(r.msg, L.second_layer) != NULL && strstr(r.msg, "digest mismatch") != NULL, "%s", r.msg);
	al_buf_free(&t);
}
END_TEST

/* AL_OCI_NO_ARCHIVE_DIGEST: no digest of the file, the same model, and
 * every entry still proven (a flipped layer byte is still refused). */
START_TEST(archive_digest_not_asked)
{
	big_layout L;
	al_buf t;
	char *d = tmpdir(), path[1100];

	big_layout_make(&L);
	t = L.tar;
	end(&t);
	snprintf(path, sizeof(path), "%s/a.tar", d);
	for (int tamper = 0; tamper < 2; tamper++) {
		FILE *f = fopen(path, "wb");

		ck_assert_ptr_nonnull(f);
		if (tamper)
			t.p[L.last_layer_at + L.last_layer_size - 1] ^= 1;
		ck_assert_uint_eq(fwrite(t.p, 1, t.n, f), t.n);
		fclose(f);
		for (unsigned jobs = 0; jobs < 5; jobs += 2) {
			al_oci_opts opts = { .jobs = jobs,
					     .flags = AL_OCI_NO_ARCHIVE_DIGEST | (jobs ? 0 : AL_OCI_NO_THREADS) };
			size_t before = thread_count();
			al_oci *o = NULL;

			if (tamper) {
				ck_assert_rc(al_oci_open_opts(path, &opts, &o, &err), AL_E_BUNDLE_BLOB, &err);
				ck_assert_msg(strstr(err.msg, L.last_layer) != NULL &&
						      strstr(err.msg, "digest mismatch") != NULL,
					      "%s", err.msg);
			} else {
				ck_assert_ok(al_oci_open_opts(path, &opts, &o, &err), &err);
				ck_assert(!o->has_archive_sha256);
				ck_assert_uint_eq(o->n_refs, 1);
				al_oci_free(o);
			}
			ck_assert_uint_eq(threads_after(before), before);
		}
	}
	unlink(path);
	rmtree(d);
	free(d);
	al_buf_free(&t);
}
END_TEST

/* Failures of the reading thread while threads hash: they stop, are
 * joined, and the message names the entry, as without threads. */
START_TEST(threads_stop_on_failure)
{
	big_layout L;
	outcome r;
	al_buf t, z, dup = { 0 };
	size_t cut;

	big_layout_make(&L);
	/* truncated inside the last layer, plain and compressed */
	cut = L.last_layer_at + L.last_layer_size / 2;
	r = same_with_any_jobs(al_bytes_of(L.tar.p, cut), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_FORMAT, NULL);
	ck_assert_msg(strstr(r.msg, L.last_layer) != NULL && strstr(r.msg, "truncated") != NULL, "%s", r.msg);
	z = zst(al_bytes_of(L.tar.p, cut));
	r = same_with_any_jobs(al_buf_bytes(&z), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_FORMAT, NULL);
	ck_assert_msg(strstr(r.msg, L.last_layer) != NULL && strstr(r.msg, "truncated") != NULL, "%s", r.msg);
	/* read from a file, whose own digest is hashed on a thread too */
	{
		char *d = tmpdir(), path[1100], first[AL_ERR_MSG_MAX] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/cut.tar.zst", d);
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(z.p, 1, z.n, f), z.n);
		fclose(f);
		for (unsigned jobs = 0; jobs < 5; jobs += 2) {
			al_oci_opts opts = { .jobs = jobs, .flags = jobs ? 0 : AL_OCI_NO_THREADS };
			size_t before = thread_count();
			al_oci *o = NULL;

			ck_assert_rc(al_oci_open_opts(path, &opts, &o, &err), AL_E_BUNDLE_FORMAT, &err);
			ck_assert_uint_eq(threads_after(before), before);
			ck_assert_msg(strstr(err.msg, L.last_layer) != NULL && strstr(err.msg, "truncated") != NULL, "%s",
				      err.msg);
			if (first[0] == '\0')
				snprintf(first, sizeof(first), "%s", err.msg);
			ck_assert_str_eq(err.msg, first);
		}
		unlink(path);
		rmtree(d);
		free(d);
	}
	al_buf_free(&z);
	/* truncated inside the second big layer, with a layer's worth queued */
	cut = L.second_layer_at + AL_HASHQ_BUF + 100;
	r = same_with_any_jobs(al_bytes_of(L.tar.p, cut), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_FORMAT, NULL);
	ck_assert_msg(strstr(r.msg, L.second_layer) != NULL && strstr(r.msg, "truncated") != NULL, "%s", r.msg);
	/* the last layer twice */
	put(&dup, L.tar.p, L.tar.n);
	put(&dup, L.tar.p + L.last_layer_at - 512, L.tar.n - (L.last_layer_at - 512));
	end(&dup);
	r = same_with_any_jobs(al_buf_bytes(&dup), 0);
	ck_assert_rc(r.rc, AL_E_BUNDLE_UNSAFE, NULL);
	ck_assert_msg(strstr(r.msg, L.last_layer) != NULL && strstr(r.msg, "duplicate entry") != NULL, "%s", r.msg);
	/* the budget runs out inside a layer */
	t = L.tar;
	end(&t);
	r = same_with_any_jobs(al_buf_bytes(&t), L.second_layer_at + AL_HASHQ_BUF);
	ck_assert_rc(r.rc, AL_E_LIMIT, NULL);
	ck_assert_msg(strstr(r.msg, "--max-bytes") != NULL, "%s", r.msg);
	al_buf_free(&t);
	al_buf_free(&dup);
}
END_TEST

/* A bundle that takes a second to arrive on stdin (a pipe): the display is
 * called, on the opening thread, with what was read and the entry at hand;
 * the model is the one read without threads. */
START_TEST(threads_progress_from_pipe)
{
	big_layout L;
	al_buf t;
	outcome ref;
	al_oci_opts opts = { .jobs = 2, .progress = on_progress };
	seen_progress sp = { .opener = pthread_self() };
	al_oci *o = NULL;
	al_buf d = { 0 };
	int p[2];
	pid_t pid;

	big_layout_make(&L);
	t = L.tar;
	end(&t);
	ref = open_jobs_shown(al_buf_bytes(&t), 0, 0, false);
	ck_assert_ok(ref.rc, NULL);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < t.n; i += 64u << 10) {
			size_t k = t.n - i < (64u << 10) ? t.n - i : 64u << 10;

			if (write(p[1], t.p + i, k) != (ssize_t)k)
				_exit(1);
			usleep((useconds_t)(1200000 / (t.n >> 16)));
		}
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	opts.progress_ctx = &sp;
	ck_assert_ok(al_oci_open_opts("-", &opts, &o, &err), &err);
	ck_assert_ok(al_oci_describe(o, &d, &err), &err);
	ck_assert_str_eq((char *)d.p, ref.desc);
	ck_assert_uint_ge(sp.calls, 1);
	ck_assert_uint_gt(sp.read, 0);
	{
		uint8_t want[AL_HASH_MAX];

		al_hash_bytes(AL_HASH_SHA256, al_buf_bytes(&t), want);
		ck_assert(o->has_archive_sha256);
		ck_assert(memcmp(o->archive_sha256, want, 32) == 0);
	}
	al_oci_free(o);
	waitpid(pid, NULL, 0);
	al_buf_free(&d);
	al_buf_free(&t);
	free(ref.desc);
}
END_TEST

/* ---------------------------------------------------------------- the queue itself */

typedef struct sink_rec {
	uint8_t (*digest)[AL_HASH_MAX];
	unsigned *seen;
} sink_rec;

static void
sink(void *ctx, size_t tag, const uint8_t digest[AL_HASH_MAX])
{
	sink_rec *r = ctx;

	memcpy(r->digest[tag], digest, AL_HASH_MAX);
	r->seen[tag]++;
}

#define Q_ENTRIES 300

/* Appends one piece to the stream job (its own buffer, held across pieces
 * of the entries as the archive's is). */
static void
stream_piece(oci_hashq *q, unsigned job, unsigned *b, uint8_t **p, size_t *held, const uint8_t *d, size_t n,
	     al_hash_ctx *want)
{
	al_hash_update(want, d, n);
	while (n > 0) {
		size_t k;

		if (*p == NULL)
			ck_assert_ok(oci_hashq_buf(q, b, p, &err), &err);
		k = AL_HASHQ_BUF - *held < n ? AL_HASHQ_BUF - *held : n;
		memcpy(*p + *held, d, k);
		*held += k;
		d += k;
		n -= k;
		if (*held == AL_HASHQ_BUF) {
			oci_hashq_put(q, job, *b, *held, false);
			*p = NULL;
			*held = 0;
		}
	}
}

/* Entries of every size from 0 to a few buffers, queued in pieces of odd
 * lengths, SHA-256 and SHA-512 mixed, and beside them a stream of all their
 * bytes (as the archive's own digest is): each digest reaches the sink
 * once, right, whatever the number of threads; the progress count is exact
 * (the stream is not counted). Then the queue is abandoned with jobs in
 * flight: no hang, no thread left. */
START_TEST(hashq_digests_and_abandon)
{
	static const unsigned threads[] = { 0, 1, 4, AL_MAX_THREADS };
	size_t max = 3 * AL_HASHQ_BUF + 5;
	uint8_t *data = malloc(max);

	fill(data, max, 7);
	for (size_t k = 0; k < AL_ARRAY_LEN(threads); k++) {
		uint8_t(*dg)[AL_HASH_MAX] = calloc(Q_ENTRIES + 1, AL_HASH_MAX);
		unsigned *seen = calloc(Q_ENTRIES + 1, sizeof(*seen));
		sink_rec rec = { dg, seen };
		oci_progress pg = { 0 };
		uint64_t total = 0;
		size_t before = thread_count(), sheld = 0;
		al_hash_ctx swant;
		uint8_t *sp = NULL, sdg[AL_HASH_MAX];
		unsigned sjob, sb = 0;
		oci_hashq *q;

		ck_assert_ok(oci_hashq_new(&q, threads[k], &pg, sink, &rec, &err), &err);
		al_hash_init(&swant, AL_HASH_SHA256);
		sjob = oci_hashq_begin(q, AL_HASH_SHA256, Q_ENTRIES, true);
		for (size_t i = 0; i < Q_ENTRIES; i++) {
			size_t n = (i * 40503u) % max, off = 0, piece = 1 + (i * 7919u) % (AL_HASHQ_BUF + 3);
			unsigned job;

			if (i % 50 == 0)
				n = i / 50 % 4 * AL_HASHQ_BUF; /* exact multiples, 0 included */
			job = oci_hashq_begin(q, i % 3 ? AL_HASH_SHA256 : AL_HASH_SHA512, i, false);
			while (off < n) {
				uint8_t *p;
				unsigned b;
				size_t take = n - off < piece ? n - off : piece;

				if (take > AL_HASHQ_BUF)
					take = AL_HASHQ_BUF;
				ck_assert_ok(oci_hashq_buf(q, &b, &p, &err), &err);
				memcpy(p, data + off, take);
				stream_piece(q, sjob, &sb, &sp, &sheld, data + off, take, &swant);
				off += take;
				/* the last piece carries data, or comes empty after it */
				oci_hashq_put(q, job, b, take, off == n && i % 2);
			}
			if (n == 0 || !(i % 2)) {
				uint8_t *p;
				unsigned b;

				ck_assert_ok(oci_hashq_buf(q, &b, &p, &err), &err);
				oci_hashq_put(q, job, b, 0, true);
			}
			total += n;
		}
		if (sp == NULL)
			ck_assert_ok(oci_hashq_buf(q, &sb, &sp, &err), &err);
		oci_hashq_put(q, sjob, sb, sheld, true);
		oci_hashq_drain(q);
		oci_hashq_free(q);
		ck_assert_uint_eq(threads_after(before), before);
		ck_assert_uint_eq(pg.hashed, total);
		for (size_t i = 0; i < Q_ENTRIES; i++) {
			size_t n = (i * 40503u) % max;
			uint8_t want[AL_HASH_MAX];

			if (i % 50 == 0)
				n = i / 50 % 4 * AL_HASHQ_BUF;
			al_hash_bytes(i % 3 ? AL_HASH_SHA256 : AL_HASH_SHA512, al_bytes_of(data, n), want);
			ck_assert_uint_eq(seen[i], 1);
			ck_assert_msg(memcmp(dg[i], want, AL_HASH_MAX) == 0, "entry %zu (%zu bytes), %u threads", i, n,
				      threads[k]);
		}
		al_hash_final(&swant, sdg);
		ck_assert_uint_eq(seen[Q_ENTRIES], 1);
		ck_assert_msg(memcmp(dg[Q_ENTRIES], sdg, AL_HASH_MAX) == 0, "the stream, %u threads", threads[k]);
		/* abandoned with every buffer in flight, a stream open and a piece
		 * half written */
		ck_assert_ok(oci_hashq_new(&q, threads[k], NULL, sink, &rec, &err), &err);
		sjob = oci_hashq_begin(q, AL_HASH_SHA256, Q_ENTRIES, true);
		for (size_t i = 0, job = 0; i < 3 * AL_HASHQ_BUFS; i++) {
			uint8_t *p;
			unsigned b;

			if (i % 5 == 0)
				job = oci_hashq_begin(q, AL_HASH_SHA256, i / 5, false);
			ck_assert_ok(oci_hashq_buf(q, &b, &p, &err), &err);
			memcpy(p, data, AL_HASHQ_BUF);
			oci_hashq_put(q, i % 2 ? sjob : (unsigned)job, b, AL_HASHQ_BUF, false);
		}
		{
			uint8_t *p;
			unsigned b;

			ck_assert_ok(oci_hashq_buf(q, &b, &p, &err), &err);
		}
		oci_hashq_free(q);
		ck_assert_uint_eq(threads_after(before), before);
		free(dg);
		free(seen);
	}
	free(data);
}
END_TEST

/* A directory's blobs hashed by 1 or 4 threads: the same model, and the
 * same first failure in the manifest's order. */
START_TEST(threads_directory_same)
{
	big_layout L;
	al_buf t;
	char *d = tmpdir(), cmd[2048], tarpath[1100], *want = NULL;
	static const unsigned jobs[] = { 1, 4, 0, 3 };
	FILE *f;

	big_layout_make(&L);
	t = L.tar;
	end(&t);
	snprintf(tarpath, sizeof(tarpath), "%s.tar", d);
	f = fopen(tarpath, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(t.p, 1, t.n, f), t.n);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "tar -xf '%s' -C '%s'", tarpath, d);
	ck_assert_int_eq(system(cmd), 0);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < AL_ARRAY_LEN(jobs); i++) {
			al_oci_opts opts = { .jobs = jobs[i], .flags = jobs[i] ? 0 : AL_OCI_NO_THREADS };
			seen_progress sp = { .opener = pthread_self() };
			size_t before = thread_count();
			al_oci *o = NULL;
			al_buf desc = { 0 };
			al_err e;
			al_rc rc;

			/* the last with a display: the threads hash, this one waits */
			if (i + 1 == AL_ARRAY_LEN(jobs)) {
				opts.progress = on_progress;
				opts.progress_ctx = &sp;
			}
			rc = al_oci_open_opts(d, &opts, &o, &e);
			ck_assert_uint_eq(threads_after(before), before);
			if (round == 0) {
				ck_assert_ok(rc, &e);
				ck_assert_ok(al_oci_describe(o, &desc, &e), &e);
				al_oci_free(o);
			} else {
				ck_assert_rc(rc, AL_E_BUNDLE_BLOB, &e);
				ck_assert_msg(strstr(e.msg, L.second_layer) != NULL, "%s", e.msg);
				ck_assert_ok(al_buf_append(&desc, e.msg, strlen(e.msg) + 1, &e), &e);
			}
			if (want == NULL)
				want = strdup((char *)desc.p);
			else
				ck_assert_str_eq((char *)desc.p, want);
			al_buf_free(&desc);
		}
		free(want);
		want = NULL;
		/* the second big layer and the last one changed: the first is named */
		if (round == 0) {
			char path[1200];
			int fd;
			uint8_t c;

			for (int k = 0; k < 2; k++) {
				snprintf(path, sizeof(path), "%s/%s", d, k ? L.second_layer : L.last_layer);
				fd = open(path, O_RDWR);
				ck_assert_int_ge(fd, 0);
				ck_assert_int_eq(pread(fd, &c, 1, 5), 1);
				c ^= 1;
				ck_assert_int_eq(pwrite(fd, &c, 1, 5), 1);
				close(fd);
			}
		}
	}
	unlink(tarpath);
	rmtree(d);
	free(d);
	al_buf_free(&t);
}
END_TEST

/* ================================================================ plain tar files read by offset */

/* docs/performance.md §5.8: a plain tar in a regular file, whose own digest
 * is not asked for, is read in a header pass that skips the data of entries
 * too large to keep (by seeking), then those are hashed by offset on
 * threads. Everything else streams. The model, the error and its message
 * must be the streaming path's, to the byte, for every input: each case
 * below is opened from a file with and without the archive's digest
 * (streaming / by offset) at 0, 1, 2 and 4 threads, and from memory. */

#define SEEK_LAYERS 4

static bool
all_zero_test(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

typedef struct seek_layout {
	al_buf head;                /* everything before the last layer */
	al_buf last;                /* the last layer's header and data */
	size_t at[SEEK_LAYERS];     /* data offsets in head + last */
	size_t size[SEEK_LAYERS];
	char name[SEEK_LAYERS][256];
} seek_layout;

static void
seek_layout_make(seek_layout *L)
{
	static const size_t sizes[SEEK_LAYERS] = {
		AL_MAX_KEPT_BLOB + 1, 100000, AL_MAX_KEPT_BLOB + 513, (5u << 20) + 7,
	};
	char cd[AL_OCI_DIGEST_STR_MAX], md[AL_OCI_DIGEST_STR_MAX], ld[SEEK_LAYERS][AL_OCI_DIGEST_STR_MAX];
	al_buf man = { 0 }, idx = { 0 };
	uint8_t *data[SEEK_LAYERS];

	memset(L, 0, sizeof(*L));
	layout_init();
	digest_of(cfg_s, cd);
	for (size_t i = 0; i < SEEK_LAYERS; i++) {
		al_oci_digest dg;

		L->size[i] = sizes[i];
		data[i] = calloc(1, sizes[i]);
		ck_assert_ptr_nonnull(data[i]);
		/* layer 2 all zeros: a hole in a sparse file */
		if (i != 2) {
			fill(data[i], sizes[i], 7000 + (uint32_t)i);
			data[i][0] = 0xff;
		}
		al_oci_digest_of(AL_HASH_SHA256, al_bytes_of(data[i], sizes[i]), &dg);
		al_oci_digest_str(&dg, ld[i]);
		snprintf(L->name[i], sizeof(L->name[i]), "%s", blob_path(ld[i]));
	}
	ck_assert_int_eq(al_buf_appendf(&man, NULL,
					"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
					"\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
					"\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
					cd, strlen(cfg_s)), AL_OK);
	for (size_t i = 0; i < SEEK_LAYERS; i++)
		ck_assert_int_eq(al_buf_appendf(&man, NULL,
						"%s{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
						"\"digest\":\"%s\",\"size\":%zu}",
						i ? "," : "", ld[i], sizes[i]), AL_OK);
	ck_assert_int_eq(al_buf_appendf(&man, NULL, "]}"), AL_OK);
	digest_of((const char *)man.p, md);
	ck_assert_int_eq(al_buf_appendf(&idx, NULL,
					"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
					"\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu}]}",
					md, man.n), AL_OK);
	dir(&L->head, "blobs/");
	dir(&L->head, "blobs/sha256/");
	file(&L->head, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	file(&L->head, blob_path(cd), cfg_s);
	for (size_t i = 0; i + 1 < SEEK_LAYERS; i++) {
		hdr h = mkhdr(L->name[i], '0', sizes[i], false);

		L->at[i] = L->head.n + 512;
		entry_raw(&L->head, &h, data[i], sizes[i]);
	}
	file(&L->head, "index.json", (const char *)idx.p);
	file(&L->head, blob_path(md), (const char *)man.p);
	{
		hdr h = mkhdr(L->name[SEEK_LAYERS - 1], '0', sizes[SEEK_LAYERS - 1], false);

		entry_raw(&L->last, &h, data[SEEK_LAYERS - 1], sizes[SEEK_LAYERS - 1]);
	}
	for (size_t i = 0; i < SEEK_LAYERS; i++)
		free(data[i]);
	al_buf_free(&man);
	al_buf_free(&idx);
}

/* head, extra (may be NULL), the last layer, the end marker. The last
 * layer's data offset goes to L->at. */
static al_buf
seek_tar(seek_layout *L, void (*extra)(al_buf *b))
{
	al_buf b = { 0 };

	put(&b, L->head.p, L->head.n);
	if (extra)
		extra(&b);
	L->at[SEEK_LAYERS - 1] = b.n + 512;
	put(&b, L->last.p, L->last.n);
	end(&b);
	return b;
}

static outcome
open_path(const char *path, unsigned jobs, unsigned flags, uint64_t max_bytes)
{
	al_oci_opts opts = { .flags = flags | (jobs ? 0 : AL_OCI_NO_THREADS), .jobs = jobs, .max_bytes = max_bytes };
	size_t before = thread_count();
	al_oci *o = NULL;
	outcome r;
	al_err e;

	memset(&r, 0, sizeof(r));
	al_err_clear(&e);
	r.rc = al_oci_open_opts(path, &opts, &o, &e);
	ck_assert_uint_eq(threads_after(before), before);
	snprintf(r.msg, sizeof(r.msg), "%s", e.msg);
	if (r.rc == AL_OK) {
		al_buf d = { 0 };

		ck_assert_ok(al_oci_describe(o, &d, &e), &e);
		r.desc = (char *)d.p;
		r.hashed = o->bytes_hashed;
		ck_assert(!(flags & AL_OCI_NO_ARCHIVE_DIGEST) == o->has_archive_sha256);
		al_oci_free(o);
	} else {
		ck_assert_ptr_null(o);
	}
	return r;
}

/* Writes b to path; sparse: runs of zeros of 64 KiB and more (4 KiB
 * aligned) are holes, the file's end included. */
static void
write_file(const char *path, al_bytes b, bool sparse)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t i = 0;

	ck_assert_int_ge(fd, 0);
	while (i < b.n) {
		size_t k = b.n - i < 4096 ? b.n - i : 4096, z = 0;

		if (sparse && k == 4096)
			while (i + z + 4096 <= b.n && all_zero_test(b.p + i + z, 4096))
				z += 4096;
		if (z >= (64u << 10)) {
			ck_assert_int_ge(lseek(fd, (off_t)(i + z), SEEK_SET), 0);
			i += z;
			continue;
		}
		ck_assert_int_ge(lseek(fd, (off_t)i, SEEK_SET), 0);
		ck_assert_int_eq(write(fd, b.p + i, k), (ssize_t)k);
		i += k;
	}
	ck_assert_int_eq(ftruncate(fd, (off_t)b.n), 0);
	close(fd);
}

/* The outcome of b opened by offset equals the streaming path's, to the
 * byte; returns it. */
static outcome
seek_same(al_bytes b, uint64_t max_bytes, bool sparse)
{
	static const unsigned jobs[] = { 0, 1, 2, 4 };
	char *d = tmpdir(), path[1100];
	outcome ref, mem;
	const char *tail;

	snprintf(path, sizeof(path), "%s/x.tar", d);
	write_file(path, b, sparse);
	/* the archive's digest asked for: the streaming path */
	ref = open_path(path, 2, 0, max_bytes);
	for (size_t i = 0; i < AL_ARRAY_LEN(jobs); i++) {
		outcome r = open_path(path, jobs[i], AL_OCI_NO_ARCHIVE_DIGEST, max_bytes);

		ck_assert_msg(r.rc == ref.rc, "-j %u by offset: %s (%s), streaming: %s (%s)", jobs[i],
			      al_rc_name(r.rc), r.msg, al_rc_name(ref.rc), ref.msg);
		ck_assert_str_eq(r.msg, ref.msg);
		ck_assert_uint_eq(r.hashed, ref.hashed);
		if (ref.desc != NULL)
			ck_assert_str_eq(r.desc, ref.desc);
		free(r.desc);
	}
	/* from memory: the same, but for the name of the input */
	mem = open_jobs_shown(b, 2, max_bytes, false);
	ck_assert_int_eq(mem.rc, ref.rc);
	ck_assert_uint_eq(mem.hashed, ref.hashed);
	if (ref.desc != NULL)
		ck_assert_str_eq(mem.desc, ref.desc);
	if (ref.rc != AL_OK) {
		tail = strstr(mem.msg, ": ");
		ck_assert_ptr_nonnull(tail);
		ck_assert_uint_gt(strlen(ref.msg), strlen(path) + 2);
		ck_assert_str_eq(ref.msg + strlen(path) + 2, tail + 2);
	}
	free(mem.desc);
	unlink(path);
	rmtree(d);
	free(d);
	return ref;
}

/* Expects rc and a message holding needle (NULL: any). */
static void
seek_case(al_bytes b, uint64_t max_bytes, al_rc rc, const char *needle)
{
	outcome r = seek_same(b, max_bytes, false);

	ck_assert_msg(r.rc == rc, "%s (%s), expected %s", al_rc_name(r.rc), r.msg, al_rc_name(rc));
	if (needle != NULL)
		ck_assert_msg(strstr(r.msg, needle) != NULL, "\"%s\" not in: %s", needle, r.msg);
	free(r.desc);
}

static void s_upper_index(al_buf *b) { file(b, "INDEX.json", "{}"); }
static void s_dotdot(al_buf *b) { file(b, "blobs/../x", "x"); }
static void s_backslash(al_buf *b) { file(b, "a\\b", "x"); }
static void s_hardlink(al_buf *b) { hdr h = mkhdr("hl", '1', 0, false); memcpy(h.b + 157, "oci-layout", 10); hdr_sum(&h); entry_raw(b, &h, NULL, 0); }
static void s_fifo(al_buf *b) { hdr h = mkhdr("fifo", '6', 0, false); entry_raw(b, &h, NULL, 0); }
static void s_dir_over_file(al_buf *b) { dir(b, "oci-layout/"); }
static void s_extra(al_buf *b) { file(b, "extra.txt", "not in the graph"); }

START_TEST(seek_same_as_stream)
{
	seek_layout L;
	al_buf t, u;
	outcome r;
	size_t cuts[128], nc = 0;

	seek_layout_make(&L);
	t = seek_tar(&L, NULL);
	/* good, plain and sparse (layer 2 and the end marker are holes) */
	r = seek_same(al_buf_bytes(&t), 0, false);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	for (size_t i = 0; i < SEEK_LAYERS; i++)
		ck_assert_ptr_nonnull(strstr(r.desc, L.name[i] + 13));
	free(r.desc);
	r = seek_same(al_buf_bytes(&t), 0, true);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	free(r.desc);
	/* a budget the file does not fit in (streams), and one it just fits */
	seek_case(al_buf_bytes(&t), t.n - 1, AL_E_LIMIT, "--max-bytes");
	seek_case(al_buf_bytes(&t), L.at[1], AL_E_LIMIT, "--max-bytes");
	r = seek_same(al_buf_bytes(&t), t.n, false);
	ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
	free(r.desc);
	/* the file shorter than its headers say, at many offsets */
	cuts[nc++] = 0;
	cuts[nc++] = 1;
	cuts[nc++] = 511;
	cuts[nc++] = 512;
	cuts[nc++] = 1024;
	for (size_t i = 0; i < SEEK_LAYERS; i++) {
		size_t at = L.at[i], n = L.size[i];
		const size_t rel[] = { 0, 1, 100, 511, 512, 513, 1024 };

		for (size_t k = 0; k < AL_ARRAY_LEN(rel); k++)
			if (at >= rel[k])
				cuts[nc++] = at - rel[k];
		cuts[nc++] = at + 1;
		cuts[nc++] = at + n / 2;
		cuts[nc++] = at + n - 1;
		cuts[nc++] = at + n;
		cuts[nc++] = at + n + 1;
		cuts[nc++] = at + n + (512 - n % 512) % 512 - 1;
	}
	cuts[nc++] = t.n - 1024;
	cuts[nc++] = t.n - 513;
	cuts[nc++] = t.n - 512;
	cuts[nc++] = t.n - 1;
	for (size_t i = 0; i < nc; i++) {
		r = seek_same(al_bytes_of(t.p, cuts[i]), 0, i % 2 == 0);
		ck_assert_msg(r.rc != AL_OK, "cut at %zu: %s", cuts[i], r.msg);
		free(r.desc);
	}
	/* inside a skipped layer: the message names it */
	seek_case(al_bytes_of(t.p, L.at[0] + 1000), 0, AL_E_BUNDLE_FORMAT, L.name[0]);
	seek_case(al_bytes_of(t.p, L.at[3] + L.size[3] - 1), 0, AL_E_BUNDLE_FORMAT, L.name[3]);
	/* a digest mismatch in the last entry, and in the first skipped one */
	u = seek_tar(&L, NULL);
	u.p[L.at[3] + L.size[3] - 1] ^= 1;
	seek_case(al_buf_bytes(&u), 0, AL_E_BUNDLE_BLOB, L.name[3]);
	u.p[L.at[0] + 7] ^= 1;
	seek_case(al_buf_bytes(&u), 0, AL_E_BUNDLE_BLOB, "digest mismatch");
	al_buf_free(&u);
	/* a header that claims more than is there: past the end of the file,
	 * into the next header, and beyond AL_MAX_BLOB */
	{
		const uint64_t more[] = { 1, 512, 10u << 20, (uint64_t)AL_MAX_BLOB + 1 };

		for (size_t k = 0; k < AL_ARRAY_LEN(more); k++)
			for (size_t i = 0; i < SEEK_LAYERS; i += 3) {
				hdr h;
				uint64_t v = L.size[i] + more[k];

				u = seek_tar(&L, NULL);
				memcpy(h.b, u.p + L.at[i] - 512, 512);
				if (v >> 33) {
					memset(h.b + 124, 0, 12);
					h.b[124] = 0x80;
					for (size_t j = 0; j < 8; j++)
						h.b[135 - j] = (uint8_t)(v >> (8 * j));
				} else {
					oct(h.b + 124, 12, v);
				}
				hdr_sum(&h);
				memcpy(u.p + L.at[i] - 512, h.b, 512);
				r = seek_same(al_buf_bytes(&u), 0, false);
				ck_assert_msg(r.rc != AL_OK, "layer %zu + %llu: %s", i, (unsigned long long)more[k], r.msg);
				free(r.desc);
				al_buf_free(&u);
			}
	}
	/* what the header pass refuses, after skipped data */
	{
		static void (*const bad[])(al_buf *) = { s_upper_index, s_dotdot, s_backslash, s_hardlink, s_fifo,
							 s_dir_over_file };

		for (size_t i = 0; i < AL_ARRAY_LEN(bad); i++) {
			u = seek_tar(&L, bad[i]);
			r = seek_same(al_buf_bytes(&u), 0, false);
			ck_assert_msg(r.rc != AL_OK, "bad %zu: %s", i, r.msg);
			free(r.desc);
			al_buf_free(&u);
		}
		u = seek_tar(&L, s_extra);
		r = seek_same(al_buf_bytes(&u), 0, false);
		ck_assert_msg(r.rc == AL_OK, "%s", r.msg);
		free(r.desc);
		al_buf_free(&u);
	}
	/* a skipped layer twice */
	u = seek_tar(&L, NULL);
	u.n -= 1024;
	put(&u, t.p + L.at[0] - 512, 512 + L.size[0] + (512 - L.size[0] % 512) % 512);
	end(&u);
	seek_case(al_buf_bytes(&u), 0, AL_E_BUNDLE_UNSAFE, "duplicate entry");
	al_buf_free(&u);
	/* trailing data after the end marker */
	u = seek_tar(&L, NULL);
	put(&u, "\0\0\1", 3);
	seek_case(al_buf_bytes(&u), 0, AL_E_BUNDLE_UNSAFE, "trailing data");
	al_buf_free(&u);
	al_buf_free(&t);
	al_buf_free(&L.head);
	al_buf_free(&L.last);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oci_archive");
	TCase *tc = tcase_create("oci_archive");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, baseline_same_model_everywhere);
	tcase_add_test(tc, case_fold_collisions_archive);
	tcase_add_test(tc, case_fold_collisions_dir);
	tcase_add_test(tc, casefold_function);
	tcase_add_test(tc, trailing_data_tar);
	tcase_add_test(tc, trailing_data_compressed);
	tcase_add_test(tc, header_differentials_refused);
	tcase_add_test(tc, header_twins_accepted);
	tcase_add_test(tc, differential_random);
	tcase_add_test(tc, budget_max_bytes);
	tcase_add_test(tc, zstd_bomb_refused_fast);
	tcase_add_test(tc, nonregular_paths_refused);
	tcase_add_test(tc, pipe_reads_same);
	tcase_add_test(tc, threads_many_entries_same_model);
	tcase_add_test(tc, threads_corrupt_late);
	tcase_add_test(tc, archive_digest_not_asked);
	tcase_add_test(tc, threads_stop_on_failure);
	tcase_add_test(tc, threads_progress_from_pipe);
	tcase_add_test(tc, hashq_digests_and_abandon);
	tcase_add_test(tc, threads_directory_same);
	tcase_add_test(tc, case_fold_whole_names_path_index);
	tcase_add_test(tc, store_entries_limit);
	tcase_add_test(tc, path_index_crafted_collisions_spread);
	tcase_add_test(tc, store_names_packed);
	tcase_add_test(tc, seek_same_as_stream);
	suite_add_tcase(s, tc);
	return al_test_run(s);
}
