/*
 * set.c — Rekor v1 signed entry timestamps (inclusion promises).
 *
 * The log signs the RFC 8785 canonical JSON of four fields. RFC 8785 sorts
 * keys by UTF-16 code units and writes integers as plain decimals; with
 * these fixed keys and values (base64 and hex need no escaping) the
 * canonical form is built by hand instead of through a JSON serializer,
 * whose number formatting and escaping would be one more thing to trust.
 */
#include <inttypes.h>

#include "tlog/tlog.h"

/* RFC 8785 writes numbers as IEEE doubles; above 2^53 an integer no longer
 * has one exact decimal form (Rekor's Go canonicalizer would round it). */
#define JCS_MAX_INT ((int64_t)1 << 53)

al_rc
al_set_payload(al_bytes body, int64_t integrated_time, al_bytes log_id, int64_t log_index, al_buf *out,
	       al_err *err)
{
	char hex[2 * AL_HASH_MAX + 1];
	al_rc rc;

	if (integrated_time < 0 || integrated_time > JCS_MAX_INT)
		return al_err_set(err, AL_E_TLOG_SET, "SET: integratedTime %" PRId64 " is out of range",
				  integrated_time);
	if (log_index < 0 || log_index > JCS_MAX_INT)
		return al_err_set(err, AL_E_TLOG_SET, "SET: logIndex %" PRId64 " is out of range", log_index);
	if (log_id.n == 0 || log_id.n > AL_HASH_MAX)
		return al_err_set(err, AL_E_TLOG_SET, "SET: logID is %zu bytes, want 1..%d", log_id.n,
				  AL_HASH_MAX);
	if (body.n == 0)
		return al_err_set(err, AL_E_TLOG_SET, "SET: empty entry body");
	al_hex_encode(log_id.p, log_id.n, hex);
	if ((rc = al_buf_append(out, "{\"body\":\"", 9, err)) != AL_OK ||
	    (rc = al_b64_encode(body, out, err)) != AL_OK ||
	    (rc = al_buf_appendf(out, err, "\",\"integratedTime\":%" PRId64 ",\"logID\":\"%s\",\"logIndex\":%" PRId64 "}",
				 integrated_time, hex, log_index)) != AL_OK)
		return rc;
	return AL_OK;
}

al_rc
al_set_verify(const al_pubkey *log_key, al_bytes body, int64_t integrated_time, al_bytes log_id,
	      int64_t log_index, al_bytes set, al_err *err)
{
	al_buf msg = { 0 };
	al_rc rc;

	if (set.n == 0)
		return al_err_set(err, AL_E_TLOG_SET, "SET: empty signature");
	if ((rc = al_set_payload(body, integrated_time, log_id, log_index, &msg, err)) != AL_OK)
		goto out;
	/* the hash the trust root names for the key (sigstore-go uses its
	 * keyDetails); SHA-256 for every Rekor v1 key */
	rc = al_sig_verify(log_key, AL_HASH_NONE, al_buf_bytes(&msg), set, err);
	if (rc == AL_E_CRYPTO_SIG)
		rc = al_err_recode(err, AL_E_TLOG_SET,
				   "SET: the log's signature over entry %" PRId64 " (integratedTime %" PRId64
				   ") does not verify", log_index, integrated_time);
	else if (rc != AL_OK)
		al_err_prefix(err, "SET");
out:
	al_buf_free(&msg);
	return rc;
}
