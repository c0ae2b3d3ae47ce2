/*
 * fuzz_oci_archive.c — the image-bundle reader on an archive held in
 * memory: our strict tar reader and decompressors (bundle/oci_tar.c) and the
 * store's filters on top of them (paths, entry types, duplicates, case
 * collisions), then format detection, index/manifest parsing,
 * docker-archive manifest.json and symlink resolution, the containers/image
 * dir: reader, the graph walk and the model's lookups.
 *
 * Blobs are not required (AL_OCI_ALLOW_MISSING) so that mutated manifests
 * reach the deeper code instead of stopping at the first missing layer.
 *
 * Every input is also a differential test: wherever our tar reader accepts,
 * libarchive must read the same entries, names, types, sizes and content; a
 * difference aborts (a header the two read differently is a bundle verified
 * as one thing and loaded as another).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bundle/bundle.h"
#include "bundle/oci_tar.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	al_oci *o = NULL;
	al_err err;
	al_buf b = { 0 };
	const al_oci_node *out[8];

	al_err_clear(&err);
	{
		bool accepted;

		if (oci_tar_differential(al_bytes_of(data, size), &accepted, &err) != AL_OK) {
			fprintf(stderr, "oci_tar and libarchive differ: %s\n", err.msg);
			abort();
		}
	}
	if (al_oci_open_mem(al_bytes_of(data, size), AL_OCI_ALLOW_MISSING | AL_OCI_NO_THREADS, 0, &o, &err) != AL_OK)
		return 0;
	if (al_oci_describe(o, &b, &err) == AL_OK)
		sink += b.n;
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];

		sink += al_oci_find_attached(o, n->digest, AL_OCI_ROLE_SIGS, out, 8);
		sink += al_oci_find_attached(o, n->digest, AL_OCI_ROLE_ATTS, out, 8);
		sink += al_oci_find_referrers(o, n->digest, NULL, out, 8);
		sink += al_oci_artifact_type(n) != NULL;
		{
			al_arena a = { 0 };
			al_oci_blobs bl;

			if (al_oci_node_blobs(o, n, &a, &bl, &err) != AL_OK)
				abort(); /* the bytes the model was built from: always readable */
			for (size_t k = 0; k < bl.n_layers; k++)
				if (al_oci_blob_read(o, &bl.layers[k].digest, 1u << 20, &b, &err) == AL_OK)
					sink += b.n;
			al_arena_free(&a);
		}
	}
	al_buf_free(&b);
	al_oci_free(o);
	return 0;
}
