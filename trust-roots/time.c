/*
 * time.c — RFC 3339 timestamps (protobuf Timestamp JSON) and closed
 * validity windows.
 *
 * Written out by hand rather than with strptime/timegm: those depend on the
 * locale and the TZ environment, accept more than RFC 3339 allows, and
 * timegm is not in C11. The input is untrusted (trust roots come from
 * removable media), so every field is range-checked.
 */
#include <stdio.h>
#include <string.h>

#include "trust-roots/trust.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: protobuf Timestamp's range */
#define MIN_SEC (-62135596800LL)
#define MAX_SEC 253402300799LL

/* printf arguments showing at most 40 bytes of an untrusted slice */
#define SHOW(s) (int)((s).n > 40 ? 40 : (s).n), (const char *)(s).p

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n ASCII digits; poisons r on anything else. */
static int64_t
digits(al_rd *r, size_t n)
{
	al_bytes b = al_rd_take(r, n);
	int64_t v = 0;

	if (!al_rd_ok(r))
		return 0;
	for (size_t i = 0; i < b.n; i++) {
		if (b.p[i] < '0' || b.p[i] > '9') {
			r->bad = true;
			return 0;
		}
		v = v * 10 + (b.p[i] - '0');
	}
	return v;
}

static void
lit(al_rd *r, char c)
{
	if (al_rd_u8(r) != (uint8_t)c)
		r->bad = true;
}

al_rc
al_rfc3339_parse(al_bytes s, int64_t *sec, uint32_t *nsec, al_err *err)
{
	al_rd r = al_rd_of(s);
	int64_t y, mo, d, h, mi, se, off = 0, t;
	uint32_t ns = 0;
	uint8_t c;

	*sec = 0;
	*nsec = 0;
	y = digits(&r, 4);
	lit(&r, '-');
	mo = digits(&r, 2);
	lit(&r, '-');
	d = digits(&r, 2);
	lit(&r, 'T');
	h = digits(&r, 2);
	lit(&r, ':');
	mi = digits(&r, 2);
	lit(&r, ':');
	se = digits(&r, 2);
	if (!al_rd_ok(&r))
		return al_err_set(err, AL_E_DECODE, "time \"%.*s\": not YYYY-MM-DDTHH:MM:SS",
				  SHOW(s));
	c = al_rd_u8(&r);
	if (c == '.') {
		unsigned nd = 0;

		/* 1..9 fraction digits; scale to nanoseconds */
		while (r.n > 0 && r.p[0] >= '0' && r.p[0] <= '9') {
			if (++nd > 9)
				return al_err_set(err, AL_E_DECODE,
						  "time \"%.*s\": more than 9 fraction digits",
						  SHOW(s));
			ns = ns * 10 + (uint32_t)(al_rd_u8(&r) - '0');
		}
		if (nd == 0)
			return al_err_set(err, AL_E_DECODE, "time \"%.*s\": empty fraction",
					  SHOW(s));
		for (; nd < 9; nd++)
			ns *= 10;
		c = al_rd_u8(&r);
	}
	if (c == '+' || c == '-') {
		int64_t oh = digits(&r, 2), om;

		lit(&r, ':');
		om = digits(&r, 2);
		if (!al_rd_ok(&r) || oh > 23 || om > 59)
			return al_err_set(err, AL_E_DECODE, "time \"%.*s\": bad UTC offset",
					  SHOW(s));
		off = (oh * 60 + om) * 60;
		if (c == '-')
			off = -off;
	} else if (c != 'Z') {
		return al_err_set(err, AL_E_DECODE, "time \"%.*s\": expected 'Z' or a UTC offset",
				  SHOW(s));
	}
	if (!al_rd_done(&r))
		return al_err_set(err, AL_E_DECODE, "time \"%.*s\": trailing characters",
				  SHOW(s));
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (int)mo) || h > 23 ||
	    mi > 59 || se > 59)
		return al_err_set(err, AL_E_DECODE, "time \"%.*s\": date or time out of range",
				  SHOW(s));
	/* local time minus its offset is UTC */
	t = al_days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + se - off;
	if (t < MIN_SEC || t > MAX_SEC)
		return al_err_set(err, AL_E_DECODE, "time \"%.*s\": outside years 0001..9999",
				  SHOW(s));
	*sec = t;
	*nsec = ns;
	return AL_OK;
}

void
al_rfc3339_format(int64_t sec, char out[21])
{
	char buf[32];

	/* one civil-time formatter in the tree: crypto's (same format, wider buffer) */
	if (sec < MIN_SEC || sec > MAX_SEC) {
		snprintf(out, 21, "(out of range)");
		return;
	}
	al_time_format(sec, buf);
	memcpy(out, buf, 20); /* "YYYY-MM-DDTHH:MM:SSZ": years are 4 digits in range */
	out[20] = '\0';
}

bool
al_validity_contains_ns(const al_validity *v, int64_t sec, uint32_t nsec)
{
	if (v->has_start && (sec < v->start || (sec == v->start && nsec < v->start_ns)))
		return false;
	if (v->has_end && (sec > v->end || (sec == v->end && nsec > v->end_ns)))
		return false;
	return true;
}

bool
al_validity_contains(const al_validity *v, int64_t t)
{
	return al_validity_contains_ns(v, t, 0);
}
