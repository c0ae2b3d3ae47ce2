/*
 * bundle.h — input formats: Sigstore bundles and in-toto statements, OCI
 * image layouts and archives, docker-archives, the image graph, and cosign
 * signature / attestation discovery.
 *
 * Parsers here produce typed models of untrusted input; nothing in this
 * module decides whether something is trusted (verify/ does, with
 * trust-roots/, tlog/ and crypto/).
 */
#ifndef AL_BUNDLE_H
#define AL_BUNDLE_H

#include "common/common.h"
#include "crypto/crypto.h"

/* ================================================================ Sigstore bundles and in-toto statements
 * (bundle/sigstore.c, bundle/intoto.c) */

/* ================================================================ end Sigstore section */

/* ================================================================ image bundles: OCI layouts, archives, docker-archive, image graph
 * (bundle/oci_*.c) */

/* ================================================================ end image section */

#endif
