/*
 * embedded.h — private to trust-roots/: the data embed_gen.py generates
 * (build/gen/al_trust_embedded.c), read through al_trust_embedded_get.
 */
#ifndef AL_TRUST_EMBEDDED_H
#define AL_TRUST_EMBEDDED_H

#include "trust-roots/trust.h"

extern const al_trust_embedded al_trust_embedded_gen;

#endif
