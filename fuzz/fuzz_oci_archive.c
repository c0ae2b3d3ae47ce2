/*
 * fuzz_oci_archive.c — the image-bundle reader on an archive held in
 * memory: libarchive's tar reader and our filters on top of it (paths,
 * entry types, duplicates), then format detection, index/manifest parsing,
 * docker-archive manifest.json and symlink resolution, the containers/image
 * dir: reader, the graph walk and the model's lookups.
 *
 * Blobs are not required (AL_OCI_ALLOW_MISSING) so that mutated manifests
 * reach the deeper code instead of stopping at the first missing layer.
 */
#include <stddef.h>
#include <stdint.h>

#include "bundle/bundle.h"

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
	if (al_oci_open_mem(al_bytes_of(data, size), AL_OCI_ALLOW_MISSING | AL_OCI_NO_THREADS, 0, &o, &err) != AL_OK)
		return 0;
	if (al_oci_describe(o, &b, &err) == AL_OK)
		sink += b.n;
	for (size_t i = 0; i < o->n_nodes; i++) {
		const al_oci_node *n = o->nodes[i];

		sink += al_oci_find_attached(o, &n->digest, AL_OCI_ROLE_SIGS, out, 8);
		sink += al_oci_find_attached(o, &n->digest, AL_OCI_ROLE_ATTS, out, 8);
		sink += al_oci_find_referrers(o, &n->digest, NULL, out, 8);
		sink += al_oci_artifact_type(n) != NULL;
		for (size_t k = 0; k < n->n_layers; k++)
			if (al_oci_blob_read(o, &n->layers[k].digest, 1u << 20, &b, &err) == AL_OK)
				sink += b.n;
	}
	al_buf_free(&b);
	al_oci_free(o);
	return 0;
}
