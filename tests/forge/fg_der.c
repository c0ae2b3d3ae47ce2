/*
 * fg_der.c — a forward DER writer: each structure is built into its own
 * buffer and wrapped by its parent, so lengths are always exact.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "forge.h"

static void
put_len(al_fg_buf *out, size_t n)
{
	if (n < 0x80) {
		al_fg_put_u8(out, (uint8_t)n);
	} else if (n <= 0xff) {
		al_fg_put_u8(out, 0x81);
		al_fg_put_u8(out, (uint8_t)n);
	} else if (n <= 0xffff) {
		al_fg_put_u8(out, 0x82);
		al_fg_put_be(out, n, 2);
	} else if (n <= 0xffffff) {
		al_fg_put_u8(out, 0x83);
		al_fg_put_be(out, n, 3);
	} else {
		al_fg_die("DER length %zu too large for the forge", n);
	}
}

void
al_fg_der_tlv(al_fg_buf *out, uint8_t tag, al_bytes content)
{
	al_fg_put_u8(out, tag);
	put_len(out, content.n);
	al_fg_put(out, content.p, content.n);
}

void
al_fg_der_wrap(al_fg_buf *out, uint8_t tag, const al_fg_buf *inner)
{
	al_fg_der_tlv(out, tag, al_fg_bytes(inner));
}

void
al_fg_der_uint_raw(al_fg_buf *out, al_bytes mag)
{
	al_fg_buf c = { 0 };
	size_t i = 0;

	/* minimal encoding: no leading zero bytes, then one if the sign bit is set */
	while (i + 1 < mag.n && mag.p[i] == 0)
		i++;
	if (mag.n == 0 || (mag.p[i] & 0x80))
		al_fg_put_u8(&c, 0);
	al_fg_put(&c, mag.p + i, mag.n - i);
	al_fg_der_wrap(out, 0x02, &c);
}

void
al_fg_der_uint(al_fg_buf *out, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	al_fg_der_uint_raw(out, al_bytes_of(b, 8));
}

void
al_fg_der_oid(al_fg_buf *out, al_bytes oid)
{
	al_fg_der_tlv(out, 0x06, oid);
}

void
al_fg_der_null(al_fg_buf *out)
{
	al_fg_put_u8(out, 0x05);
	al_fg_put_u8(out, 0x00);
}

void
al_fg_der_octets(al_fg_buf *out, al_bytes v)
{
	al_fg_der_tlv(out, 0x04, v);
}

static struct tm
utc(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		al_fg_die("time %lld out of range", (long long)t);
	return tm;
}

void
al_fg_der_gentime(al_fg_buf *out, int64_t t, const char *frac)
{
	struct tm tm = utc(t);
	char s[48];

	snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02d%s%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac[0] ? "." : "", frac);
	al_fg_der_tlv(out, 0x18, al_bytes_str(s));
}

void
al_fg_der_utctime(al_fg_buf *out, int64_t t)
{
	struct tm tm = utc(t);
	char s[32];

	snprintf(s, sizeof(s), "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	al_fg_der_tlv(out, 0x17, al_bytes_str(s));
}

void
al_fg_der_alg(al_fg_buf *out, al_bytes oid, bool null_param)
{
	al_fg_buf c = { 0 };

	al_fg_der_oid(&c, oid);
	if (null_param)
		al_fg_der_null(&c);
	al_fg_der_wrap(out, 0x30, &c);
}
