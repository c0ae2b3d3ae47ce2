/*
 * sct.c — Signed Certificate Timestamps embedded in a Fulcio leaf
 * (RFC 6962 §3.2, precertificate entries).
 *
 * A CT log signed the precertificate, which is the final certificate's
 * TBSCertificate without the SCT list extension (the SCTs cannot sign
 * themselves). That TBS is rebuilt here by dropping the one extension and
 * re-encoding the three lengths around it; everything else is the
 * certificate's own bytes. The signed struct also names the issuer by the
 * SHA-256 of its SubjectPublicKeyInfo, so the issuer must come from a
 * verified path, not from the bundle.
 *
 * An SCT from a log the caller does not trust, outside that log's window,
 * or with a bad signature is skipped, as sigstore-go does; the caller's
 * threshold decides. Skips are listed in the error message.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"

/* 1.3.6.1.4.1.11129.2.4.2: the embedded SCT list */
static const uint8_t oid_sct_list[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02 };


/* ================================================================ parsing */

al_rc
al_sct_list_parse(al_bytes list, al_sct *out, size_t cap, size_t *n, al_err *err)
{
	al_rd r = al_rd_of(list), all;
	size_t i = 0;

	*n = 0;
	all = al_rd_of(al_rd_take_vec(&r, 2));
	if (!al_rd_done(&r))
		return al_err_set(err, AL_E_CRYPTO_SCT, "SCT list: length does not match its %zu bytes", list.n);
	/* sct_list<1..2^16-1> */
	if (all.n == 0)
		return al_err_set(err, AL_E_CRYPTO_SCT, "SCT list: empty");
	while (all.n > 0) {
		al_rd s = al_rd_of(al_rd_take_vec(&all, 2));
		al_bytes id;
		al_sct *o;

		if (!al_rd_ok(&all) || s.n == 0)
			return al_err_set(err, AL_E_CRYPTO_SCT, "SCT %zu: truncated or empty", i);
		if (i >= cap || i >= AL_MAX_SCTS)
			return al_err_set(err, AL_E_LIMIT, "SCT list: more than %zu SCTs",
					  cap < AL_MAX_SCTS ? cap : (size_t)AL_MAX_SCTS);
		o = &out[i];
		memset(o, 0, sizeof(*o));
		o->version = al_rd_u8(&s);
		if (o->version != 0) {
			/* a later version: its layout is unknown, its length lets us skip it */
			i++;
			continue;
		}
		id = al_rd_take(&s, 32);
		o->timestamp_ms = al_rd_be64(&s);
		o->extensions = al_rd_take_vec(&s, 2);
		o->hash_alg = al_rd_u8(&s);
		o->sig_alg = al_rd_u8(&s);
		o->sig = al_rd_take_vec(&s, 2);
		if (!al_rd_done(&s) || o->sig.n == 0)
			return al_err_set(err, AL_E_CRYPTO_SCT, "SCT %zu: malformed v1 SCT", i);
		memcpy(o->log_id, id.p, 32);
		i++;
	}
	*n = i;
	return AL_OK;
}

/* ================================================================ precertificate TBS */

static al_rc
der_put(al_buf *b, uint8_t tag, al_bytes head, al_bytes body, al_err *err)
{
	size_t len = head.n + body.n;
	uint8_t hdr[6];
	size_t h = 0;
	al_rc rc;

	hdr[h++] = tag;
	if (len < 0x80) {
		hdr[h++] = (uint8_t)len;
	} else if (len <= 0xff) {
		hdr[h++] = 0x81;
		hdr[h++] = (uint8_t)len;
	} else if (len <= 0xffff) {
		hdr[h++] = 0x82;
		hdr[h++] = (uint8_t)(len >> 8);
		hdr[h++] = (uint8_t)len;
	} else if (len <= 0xffffff) {
		hdr[h++] = 0x83;
		hdr[h++] = (uint8_t)(len >> 16);
		hdr[h++] = (uint8_t)(len >> 8);
		hdr[h++] = (uint8_t)len;
	} else {
		return al_err_set(err, AL_E_LIMIT, "DER element of %zu bytes", len);
	}
	if ((rc = al_buf_append(b, hdr, h, err)) != AL_OK || (rc = al_buf_append(b, head.p, head.n, err)) != AL_OK ||
	    (rc = al_buf_append(b, body.p, body.n, err)) != AL_OK)
		return rc;
	return AL_OK;
}

al_rc
al_sct_precert_tbs(al_bytes tbs, al_buf *out, al_err *err)
{
	al_rd r = al_rd_of(tbs), in, start;
	al_buf exts = { 0 }, wrap = { 0 }, body = { 0 };
	al_bytes prefix = { 0 }, ext_seq = { 0 };
	size_t removed = 0, kept = 0, i = 0;
	bool have_ext = false;
	al_rc rc = AL_OK;

	out->n = 0;
	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r)) {
		rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: TBSCertificate is not one DER SEQUENCE");
		goto out;
	}
	/* Everything before [3] is kept byte for byte; [3] must come last. */
	start = in;
	while (in.n > 0) {
		al_rd before = in;
		al_der d;

		if (!al_der_any(&in, &d)) {
			rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: malformed TBSCertificate field %zu", i);
			goto out;
		}
		if (d.tag == 0xa3) {
			al_rd e = al_rd_of(d.val);

			ext_seq = al_der_take(&e, 0x30);
			if (!al_rd_done(&e) || in.n != 0) {
				rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: malformed extensions");
				goto out;
			}
			have_ext = true;
			prefix = al_rd_take(&start, start.n - before.n);
			break;
		}
		i++;
	}
	if (!have_ext) {
		rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: certificate has no extensions");
		goto out;
	}
	{
		al_rd e = al_rd_of(ext_seq);

		while (e.n > 0) {
			al_der x;
			al_rd xr;
			al_bytes oid;

			if (!al_der_any(&e, &x) || x.tag != 0x30) {
				rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: malformed extension");
				goto out;
			}
			xr = al_rd_of(x.val);
			oid = al_der_take(&xr, 0x06);
			if (!al_rd_ok(&xr)) {
				rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: malformed extension");
				goto out;
			}
			if (al_bytes_eq(oid, al_bytes_of(oid_sct_list, sizeof(oid_sct_list)))) {
				removed++;
				continue;
			}
			if ((rc = al_buf_append(&exts, x.tlv.p, x.tlv.n, err)) != AL_OK)
				goto out;
			kept++;
		}
	}
	if (removed != 1) {
		rc = al_err_set(err, AL_E_CRYPTO_SCT, "precertificate: %zu SCT list extensions (want 1)", removed);
		goto out;
	}
	/* Extensions ::= SEQUENCE SIZE (1..MAX): with nothing left, [3] goes too
	 * (as certificate-transparency-go's RemoveSCTList does). */
	if (kept > 0) {
		al_buf seq = { 0 };

		rc = der_put(&seq, 0x30, al_bytes_of(NULL, 0), al_buf_bytes(&exts), err);
		if (rc == AL_OK)
			rc = der_put(&wrap, 0xa3, al_bytes_of(NULL, 0), al_buf_bytes(&seq), err);
		al_buf_free(&seq);
		if (rc != AL_OK)
			goto out;
	}
	rc = der_put(&body, 0x30, prefix, al_buf_bytes(&wrap), err);
	if (rc != AL_OK)
		goto out;
	al_buf_free(out);
	*out = body;
	body = (al_buf){ 0 };
out:
	al_buf_free(&exts);
	al_buf_free(&wrap);
	al_buf_free(&body);
	return rc;
}

/* ================================================================ verification */

static al_hash
tls_hash(uint8_t h)
{
	switch (h) {
	case 4: return AL_HASH_SHA256;
	case 5: return AL_HASH_SHA384;
	case 6: return AL_HASH_SHA512;
	default: return AL_HASH_NONE;
	}
}

static bool
sig_alg_matches(uint8_t sig_alg, al_key_kind k)
{
	switch (sig_alg) {
	case 1: return k == AL_KEY_RSA_PKCS1V15 || k == AL_KEY_RSA_ANY;
	case 3: return k == AL_KEY_ECDSA_P256 || k == AL_KEY_ECDSA_P384 || k == AL_KEY_ECDSA_P521;
	default: return false;
	}
}

/* digitally-signed struct of RFC 6962 §3.2 for a precert_entry */
static al_rc
signed_data(const al_sct *s, const uint8_t issuer_key_hash[32], al_bytes tbs, al_buf *out, al_err *err)
{
	uint8_t hdr[12], l3[3], l2[2];
	al_rc rc;

	if (tbs.n > 0xffffff || s->extensions.n > 0xffff)
		return al_err_set(err, AL_E_LIMIT, "SCT signed data too long");
	hdr[0] = 0;    /* sct_version v1 */
	hdr[1] = 0;    /* signature_type certificate_timestamp */
	for (int i = 0; i < 8; i++)
		hdr[2 + i] = (uint8_t)(s->timestamp_ms >> (56 - 8 * i));
	hdr[10] = 0;   /* entry_type precert_entry (1) */
	hdr[11] = 1;
	l3[0] = (uint8_t)(tbs.n >> 16);
	l3[1] = (uint8_t)(tbs.n >> 8);
	l3[2] = (uint8_t)tbs.n;
	l2[0] = (uint8_t)(s->extensions.n >> 8);
	l2[1] = (uint8_t)s->extensions.n;
	out->n = 0;
	if ((rc = al_buf_append(out, hdr, sizeof(hdr), err)) != AL_OK ||
	    (rc = al_buf_append(out, issuer_key_hash, 32, err)) != AL_OK ||
	    (rc = al_buf_append(out, l3, 3, err)) != AL_OK ||
	    (rc = al_buf_append(out, tbs.p, tbs.n, err)) != AL_OK ||
	    (rc = al_buf_append(out, l2, 2, err)) != AL_OK ||
	    (rc = al_buf_append(out, s->extensions.p, s->extensions.n, err)) != AL_OK)
		return rc;
	return AL_OK;
}

/* Appends "; SCT i: why" to the skip notes (truncated at the buffer's end). */
static void
note(char *notes, size_t cap, size_t i, const char *why, const char *detail)
{
	size_t used = strlen(notes);

	if (used + 1 < cap)
		snprintf(notes + used, cap - used, "%sSCT %zu: %s%.200s", used ? "; " : "", i, why, detail);
}

al_rc
al_sct_verify(const mbedtls_x509_crt *leaf, const mbedtls_x509_crt *issuer, const al_ct_log *logs,
	      size_t nlogs, size_t need, size_t *verified, al_err *err)
{
	al_sct scts[AL_MAX_SCTS];
	al_buf tbs = { 0 }, msg = { 0 };
	uint8_t ikh[32];
	al_bytes ext, list;
	bool present;
	size_t n = 0, ok = 0;
	char notes[600] = "";
	al_rc rc;
	al_err e2;

	if (verified)
		*verified = 0;
	if (leaf == NULL || issuer == NULL)
		return al_err_set(err, AL_E_CRYPTO_SCT, "SCT: no verified issuer for the leaf");
	if ((rc = al_x509_ext(leaf, al_bytes_of(oid_sct_list, sizeof(oid_sct_list)), &ext, NULL, &present, err)) !=
	    AL_OK)
		return al_err_recode(err, AL_E_CRYPTO_SCT, "SCT");
	if (!present)
		return al_err_set(err, AL_E_CRYPTO_SCT, "leaf certificate has no embedded SCT list");
	{
		/* extnValue holds an OCTET STRING holding the TLS structure */
		al_rd r = al_rd_of(ext);

		list = al_der_take(&r, 0x04);
		if (!al_rd_done(&r))
			return al_err_set(err, AL_E_CRYPTO_SCT, "SCT list extension: not a DER OCTET STRING");
	}
	if ((rc = al_sct_list_parse(list, scts, AL_ARRAY_LEN(scts), &n, err)) != AL_OK)
		return rc;
	if ((rc = al_sct_precert_tbs(al_bytes_of(leaf->tbs.p, leaf->tbs.len), &tbs, err)) != AL_OK)
		return rc;
	al_sha256(al_bytes_of(issuer->pk_raw.p, issuer->pk_raw.len), ikh);
	for (size_t i = 0; i < n; i++) {
		const al_sct *s = &scts[i];
		const al_ct_log *log = NULL;
		al_hash h;
		int64_t secs;

		if (s->version != 0) {
			note(notes, sizeof(notes), i, "unsupported version", "");
			continue;
		}
		for (size_t j = 0; j < nlogs && log == NULL; j++)
			if (memcmp(logs[j].log_id, s->log_id, 32) == 0)
				log = &logs[j];
		if (log == NULL || log->key == NULL) {
			char hex[65];

			al_hex_encode(s->log_id, 32, hex);
			note(notes, sizeof(notes), i, "unknown log ", hex);
			continue;
		}
		/* the log window is in seconds; an SCT carries milliseconds */
		secs = s->timestamp_ms > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(s->timestamp_ms / 1000);
		if (secs < log->not_before || secs > log->not_after) {
			note(notes, sizeof(notes), i, "timestamp outside the log's validity window", "");
			continue;
		}
		h = tls_hash(s->hash_alg);
		if (h == AL_HASH_NONE || !sig_alg_matches(s->sig_alg, log->key->kind)) {
			note(notes, sizeof(notes), i, "signature algorithm does not match the log key", "");
			continue;
		}
		if ((rc = signed_data(s, ikh, al_buf_bytes(&tbs), &msg, err)) != AL_OK)
			goto out;
		al_err_clear(&e2);
		if (al_sig_verify(log->key, h, al_buf_bytes(&msg), s->sig, &e2) != AL_OK) {
			note(notes, sizeof(notes), i, "", e2.msg);
			continue;
		}
		ok++;
	}
	if (verified)
		*verified = ok;
	if (ok < need)
		rc = al_err_set(err, AL_E_CRYPTO_SCT, "%zu of %zu SCTs verified, %zu required%s%s", ok, n, need,
				notes[0] ? ": " : "", notes);
out:
	al_buf_free(&tbs);
	al_buf_free(&msg);
	return rc;
}
