/*
 * dsse.c — DSSE pre-authentication encoding (DSSE protocol v1.0).
 *
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 *
 * LEN is the ASCII decimal byte count with no leading zeros. The encoding is
 * what gets signed: type and body are authenticated together, and the
 * length prefixes keep one (type, body) pair from being read as another.
 * Both inputs are untrusted bytes, used as-is (no UTF-8 or other checks:
 * the signature covers exactly the bytes the envelope carried).
 */
#include "crypto/crypto.h"

al_rc
al_dsse_pae(al_bytes payload_type, al_bytes payload, al_buf *out, al_err *err)
{
	al_rc rc;

	out->n = 0;
	if (payload.n > AL_MAX_PAYLOAD)
		return al_err_set(err, AL_E_LIMIT, "DSSE payload of %zu bytes exceeds the limit of %u",
				  payload.n, AL_MAX_PAYLOAD);
	if (payload_type.n > AL_MAX_PAYLOAD)
		return al_err_set(err, AL_E_LIMIT, "DSSE payloadType of %zu bytes exceeds the limit of %u",
				  payload_type.n, AL_MAX_PAYLOAD);
	/* header digits are at most 2 * 20 bytes; reserve once */
	if ((rc = al_buf_reserve(out, 64 + payload_type.n + payload.n, err)) != AL_OK ||
	    (rc = al_buf_appendf(out, err, "DSSEv1 %zu ", payload_type.n)) != AL_OK ||
	    (rc = al_buf_append(out, payload_type.p, payload_type.n, err)) != AL_OK ||
	    (rc = al_buf_appendf(out, err, " %zu ", payload.n)) != AL_OK ||
	    (rc = al_buf_append(out, payload.p, payload.n, err)) != AL_OK)
		return rc;
	return AL_OK;
}
