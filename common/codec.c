/*
 * codec.c — strict base64, hex and PEM.
 *
 * Strict means canonical: one encoding per byte string. Non-canonical
 * base64 (non-zero pad bits, missing padding in the standard alphabet,
 * whitespace, characters after padding) is rejected, because two
 * encodings of one signature would let a tampered document keep its bytes.
 */
#include <string.h>

#include "common/common.h"

/* ---------------------------------------------------------------- base64 */

static int
b64_val(uint8_t c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (!url && c == '+')
		return 62;
	if (!url && c == '/')
		return 63;
	if (url && c == '-')
		return 62;
	if (url && c == '_')
		return 63;
	return -1;
}

al_rc
al_b64_decode(al_bytes in, bool url, al_buf *out, al_err *err)
{
	size_t n = in.n, pad = 0, i;
	uint32_t acc = 0;
	unsigned bits = 0;
	al_rc rc;

	out->n = 0;
	while (pad < 2 && n > 0 && in.p[n - 1] == '=') {
		n--;
		pad++;
	}
	if (!url && (in.n % 4) != 0)
		return al_err_set(err, AL_E_DECODE, "base64: length %zu is not a multiple of 4", in.n);
	if (url && pad && (in.n % 4) != 0)
		return al_err_set(err, AL_E_DECODE, "base64url: bad padding");
	if (n % 4 == 1)
		return al_err_set(err, AL_E_DECODE, "base64: truncated input");
	if (pad && (n + pad) % 4 != 0)
		return al_err_set(err, AL_E_DECODE, "base64: bad padding");
	if ((rc = al_buf_reserve(out, n / 4 * 3 + 3, err)) != AL_OK)
		return rc;
	for (i = 0; i < n; i++) {
		int v = b64_val(in.p[i], url);

		if (v < 0)
			return al_err_set(err, AL_E_DECODE, "base64: invalid character 0x%02x at offset %zu",
					  in.p[i], i);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out->p[out->n++] = (uint8_t)(acc >> bits);
		}
	}
	/* canonical: the leftover bits must be zero */
	if (bits && (acc & ((1u << bits) - 1)) != 0)
		return al_err_set(err, AL_E_DECODE, "base64: non-canonical encoding (trailing bits set)");
	out->p[out->n] = '\0';
	return AL_OK;
}

al_rc
al_b64_decode_lenient(al_bytes in, al_buf *out, al_err *err)
{
	bool url = false, wrapped = false;
	al_buf flat = { 0 };
	al_rc rc = AL_OK;

	for (size_t i = 0; i < in.n; i++) {
		if (in.p[i] == '-' || in.p[i] == '_')
			url = true;
		if (in.p[i] == '\n' || in.p[i] == '\r')
			wrapped = true;
	}
	if (!wrapped)
		return al_b64_decode(in, url, out, err);
	/* Go's encoding/base64 skips CR and LF: unwrap, then decode as strictly
	 * as ever */
	for (size_t i = 0; i < in.n && rc == AL_OK; i++)
		if (in.p[i] != '\n' && in.p[i] != '\r')
			rc = al_buf_append(&flat, &in.p[i], 1, err);
	if (rc == AL_OK)
		rc = al_b64_decode(al_buf_bytes(&flat), url, out, err);
	al_buf_free(&flat);
	return rc;
}

al_rc
al_b64_encode(al_bytes in, al_buf *out, al_err *err)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	al_rc rc;

	if (in.n > (SIZE_MAX / 4) * 3 - 3)
		return al_err_set(err, AL_E_NOMEM, "base64: input too large");
	if ((rc = al_buf_reserve(out, (in.n + 2) / 3 * 4, err)) != AL_OK)
		return rc;
	for (i = 0; i + 2 < in.n; i += 3) {
		uint32_t v = ((uint32_t)in.p[i] << 16) | ((uint32_t)in.p[i + 1] << 8) | in.p[i + 2];

		out->p[out->n++] = (uint8_t)tab[v >> 18];
		out->p[out->n++] = (uint8_t)tab[(v >> 12) & 63];
		out->p[out->n++] = (uint8_t)tab[(v >> 6) & 63];
		out->p[out->n++] = (uint8_t)tab[v & 63];
	}
	if (i < in.n) {
		uint32_t v = (uint32_t)in.p[i] << 16;

		if (i + 1 < in.n)
			v |= (uint32_t)in.p[i + 1] << 8;
		out->p[out->n++] = (uint8_t)tab[v >> 18];
		out->p[out->n++] = (uint8_t)tab[(v >> 12) & 63];
		out->p[out->n++] = i + 1 < in.n ? (uint8_t)tab[(v >> 6) & 63] : '=';
		out->p[out->n++] = '=';
	}
	out->p[out->n] = '\0';
	return AL_OK;
}

/* ---------------------------------------------------------------- hex */

static int
hex_val(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

al_rc
al_hex_decode(al_bytes in, uint8_t *out, size_t cap, al_err *err)
{
	if (in.n != cap * 2)
		return al_err_set(err, AL_E_DECODE, "hex: expected %zu digits, got %zu", cap * 2, in.n);
	for (size_t i = 0; i < cap; i++) {
		int hi = hex_val(in.p[2 * i]), lo = hex_val(in.p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return al_err_set(err, AL_E_DECODE, "hex: invalid digit at offset %zu",
					  hi < 0 ? 2 * i : 2 * i + 1);
		out[i] = (uint8_t)((hi << 4) | lo);
	}
	return AL_OK;
}

void
al_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char tab[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = tab[in[i] >> 4];
		out[2 * i + 1] = tab[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---------------------------------------------------------------- PEM */

static const uint8_t *
find(const uint8_t *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);

	if (nn == 0 || hn < nn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == (uint8_t)needle[0] && memcmp(h + i, needle, nn) == 0)
			return h + i;
	return NULL;
}

al_rc
al_pem_next(al_bytes *rest, const char *want, char label[AL_MAX_PEM_LABEL + 1], al_buf *der, al_err *err)
{
	static const char begin[] = "-----BEGIN ", end[] = "-----END ", dash[] = "-----";
	const uint8_t *b, *lab, *labend, *body, *e, *p, *limit;
	al_buf b64 = { 0 };
	size_t labn;
	al_rc rc;

	der->n = 0;
	b = find(rest->p, rest->n, begin);
	if (b == NULL) {
		rest->p += rest->n;
		rest->n = 0;
		return AL_OK;
	}
	limit = rest->p + rest->n;
	lab = b + strlen(begin);
	labend = find(lab, (size_t)(limit - lab), dash);
	if (labend == NULL || labend - lab > AL_MAX_PEM_LABEL)
		return al_err_set(err, AL_E_DECODE, "PEM: malformed BEGIN line");
	labn = (size_t)(labend - lab);
	if (memchr(lab, '\n', labn) != NULL)
		return al_err_set(err, AL_E_DECODE, "PEM: malformed BEGIN line");
	if (want != NULL && (labn != strlen(want) || memcmp(lab, want, labn) != 0))
		return al_err_set(err, AL_E_DECODE, "PEM: expected a \"%s\" block, found \"%.*s\"",
				  want, (int)labn, (const char *)lab);
	if (label != NULL) {
		memcpy(label, lab, labn);
		label[labn] = '\0';
	}
	body = labend + strlen(dash);
	e = find(body, (size_t)(limit - body), end);
	if (e == NULL)
		return al_err_set(err, AL_E_DECODE, "PEM: \"%.*s\" block has no END line",
				  (int)labn, (const char *)lab);
	/* END label must repeat BEGIN's */
	p = e + strlen(end);
	if ((size_t)(limit - p) < labn + strlen(dash) || memcmp(p, lab, labn) != 0 ||
	    memcmp(p + labn, dash, strlen(dash)) != 0)
		return al_err_set(err, AL_E_DECODE, "PEM: END line does not match BEGIN \"%.*s\"",
				  (int)labn, (const char *)lab);
	p += labn + strlen(dash);
	/* Collect base64 without line breaks; headers (RFC 1421 Proc-Type) are not used by
	 * any format we read, so a ':' in the body is an error rather than skipped. */
	for (const uint8_t *q = body; q < e; q++) {
		if (*q == '\r' || *q == '\n' || *q == ' ' || *q == '\t')
			continue;
		if ((rc = al_buf_append(&b64, q, 1, err)) != AL_OK)
			goto out;
	}
	rc = al_b64_decode(al_buf_bytes(&b64), false, der, err);
	if (rc != AL_OK) {
		al_err_prefix(err, "PEM \"%.*s\" block", (int)labn, (const char *)lab);
		goto out;
	}
	if (der->n == 0) {
		rc = al_err_set(err, AL_E_DECODE, "PEM: empty \"%.*s\" block", (int)labn, (const char *)lab);
		goto out;
	}
	if (der->n > AL_MAX_DER) {
		rc = al_err_set(err, AL_E_LIMIT, "PEM: block of %zu bytes exceeds %u", der->n, AL_MAX_DER);
		goto out;
	}
	rest->n = (size_t)(limit - p);
	rest->p = p;
out:
	al_buf_free(&b64);
	return rc;
}

al_rc
al_pem_one(al_bytes in, const char *want, al_buf *der, al_err *err)
{
	al_bytes rest = in;
	al_buf extra = { 0 };
	al_rc rc;

	if ((rc = al_pem_next(&rest, want, NULL, der, err)) != AL_OK)
		return rc;
	if (der->n == 0)
		return al_err_set(err, AL_E_DECODE, "PEM: no \"%s\" block found", want ? want : "");
	rc = al_pem_next(&rest, NULL, NULL, &extra, err);
	if (rc == AL_OK && extra.n != 0)
		rc = al_err_set(err, AL_E_DECODE, "PEM: more than one block, expected one \"%s\"",
				want ? want : "");
	al_buf_free(&extra);
	return rc;
}
