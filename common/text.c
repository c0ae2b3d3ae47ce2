/*
 * text.c — untrusted bytes made safe to show an operator, and the numbers
 * an operator types.
 *
 * A verifier's report is read by people and by scripts that grep it. Any
 * byte from a bundle, a file name or an excerpt that reaches a terminal
 * unescaped can forge a line ("\n  result: verified"), repaint the screen
 * (ESC sequences), or reorder what is displayed (bidi overrides). Every sink
 * therefore goes through one escaper with one set of rules, so the rules
 * cannot drift between sinks.
 */
#include <string.h>

#include "common/common.h"

/* Long enough that "\u{E007F}" (9 bytes) and a NUL fit. */
#define UNIT_MAX 12

static const char trunc_mark[] = AL_TEXT_TRUNCATED;
#define MARK_LEN (sizeof(trunc_mark) - 1)

/* Code points that display as nothing, break a line, or reorder the text
 * around them: C1 controls, Unicode line/paragraph separators, bidi
 * embeddings, overrides and isolates, zero-width and invisible format
 * characters, the BOM, interlinear annotations and tag characters (which can
 * carry hidden ASCII). Shown as \u{NNNN} so an operator sees they are there. */
bool
al_text_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F);
}

static size_t
put_hex_byte(char *u, uint8_t c)
{
	static const char hx[] = "0123456789abcdef";

	u[0] = '\\';
	u[1] = 'x';
	u[2] = hx[c >> 4];
	u[3] = hx[c & 15];
	return 4;
}

/* The escaped form of the unit at the start of in, into u; *used is how many
 * input bytes it covers. */
static size_t
unit(const uint8_t *p, size_t n, unsigned flags, char u[UNIT_MAX], size_t *used)
{
	static const char hx[] = "0123456789ABCDEF";
	uint32_t cp = 0;
	size_t len = al_utf8_decode(p, n, &cp), k = 0;

	if (len == 0) {
		*used = 1;
		return put_hex_byte(u, p[0]);
	}
	*used = len;
	if (len == 1) {
		if (cp < 0x20 || cp == 0x7F || (cp == '"' && (flags & AL_TEXT_QUOTED)))
			return put_hex_byte(u, (uint8_t)cp);
		if (cp == '\\') {
			u[0] = u[1] = '\\';
			return 2;
		}
		u[0] = (char)cp;
		return 1;
	}
	if (!al_text_hidden(cp)) {
		memcpy(u, p, len);
		return len;
	}
	u[k++] = '\\';
	u[k++] = 'u';
	u[k++] = '{';
	for (int shift = cp > 0xFFFF ? 16 : 12; shift >= 0; shift -= 4)
		u[k++] = hx[(cp >> shift) & 15];
	u[k++] = '}';
	return k;
}

/* Writes the escaped form of in into dst (at most cap bytes, cap >= MARK_LEN,
 * no NUL). Returns the bytes written. Work is bounded by cap, not by in.n. */
static size_t
escape_into(al_bytes in, size_t cap, unsigned flags, char *dst)
{
	char u[UNIT_MAX];
	size_t total = 0, i = 0, used, k, budget, at = 0;
	bool fits = true;

	while (i < in.n) {
		k = unit(in.p + i, in.n - i, flags, u, &used);
		if (total + k > cap) {
			fits = false;
			break;
		}
		total += k;
		i += used;
	}
	budget = fits ? cap : cap - MARK_LEN;
	for (i = 0; i < in.n;) {
		k = unit(in.p + i, in.n - i, flags, u, &used);
		if (at + k > budget)
			break;
		memcpy(dst + at, u, k);
		at += k;
		i += used;
	}
	if (!fits) {
		memcpy(dst + at, trunc_mark, MARK_LEN);
		at += MARK_LEN;
	}
	return at;
}

al_rc
al_text_escape(al_buf *out, al_bytes in, size_t cap, unsigned flags, al_err *err)
{
	size_t need;
	al_rc rc;

	if (cap < MARK_LEN)
		cap = MARK_LEN;
	if (in.p == NULL)
		in.n = 0;
	/* no escape is longer than 4 bytes per input byte, so a generous cap
	 * does not turn into a large reservation */
	need = in.n > SIZE_MAX / 4 || in.n * 4 > cap ? cap : in.n * 4;
	if ((rc = al_buf_reserve(out, need, err)) != AL_OK)
		return rc;
	out->n += escape_into(in, cap, flags, (char *)out->p + out->n);
	out->p[out->n] = '\0';
	return AL_OK;
}

bool
al_text_clean(al_bytes in)
{
	char u[UNIT_MAX];
	size_t used, k;

	for (size_t i = 0; i < in.n; i += used) {
		k = unit(in.p + i, in.n - i, 0, u, &used);
		if (in.p[i] != '\\' && (k != used || memcmp(u, in.p + i, k) != 0))
			return false;
	}
	return true;
}

size_t
al_text_line(char *dst, size_t size, al_bytes line)
{
	size_t n;

	if (dst == NULL || size == 0)
		return 0;
	if (size - 1 < MARK_LEN) {
		dst[0] = '\0';
		return 0;
	}
	if (line.p == NULL)
		line.n = 0;
	n = escape_into(line, size - 1, 0, dst);
	dst[n] = '\0';
	return n;
}

/* ---------------------------------------------------------------- numbers */

/* The leading decimal digits of s into *v; *end after them. False when
 * there are none or they overflow 64 bits. */
static bool
leading_u64(const char *s, uint64_t *v, const char **end)
{
	const char *p = s;

	*v = 0;
	if (s == NULL || *s < '0' || *s > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	*end = p;
	return true;
}

al_rc
al_parse_size(const char *s, uint64_t *out, al_err *err)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	*out = 0;
	if (!leading_u64(s, &v, &p))
		return al_err_set(err, AL_E_USAGE, s && *s >= '0' && *s <= '9' ? "byte count too large"
						   : "not a byte count (digits, optionally followed by K, M, G or T)");
	switch (*p) {
	case '\0': break;
	case 'K': case 'k': mul = (uint64_t)1 << 10; p++; break;
	case 'M': case 'm': mul = (uint64_t)1 << 20; p++; break;
	case 'G': case 'g': mul = (uint64_t)1 << 30; p++; break;
	case 'T': case 't': mul = (uint64_t)1 << 40; p++; break;
	default:
		return al_err_set(err, AL_E_USAGE, "not a byte count (digits, optionally followed by K, M, G or T)");
	}
	if (*p != '\0')
		return al_err_set(err, AL_E_USAGE, "not a byte count (digits, optionally followed by K, M, G or T)");
	if (v == 0)
		return al_err_set(err, AL_E_USAGE, "a byte count of zero leaves nothing to read");
	if (v > UINT64_MAX / mul)
		return al_err_set(err, AL_E_USAGE, "byte count too large");
	*out = v * mul;
	return AL_OK;
}

al_rc
al_parse_duration(const char *s, int64_t *out, al_err *err)
{
	static const char what[] = "not a duration (digits followed by s, m, h, d or w: 90d, 12h)";
	uint64_t v = 0, mul;
	const char *p = s;

	*out = 0;
	if (!leading_u64(s, &v, &p))
		return al_err_set(err, AL_E_USAGE, what);
	switch (*p) {
	case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	case 'w': mul = 7 * 86400; break;
	default: return al_err_set(err, AL_E_USAGE, what);
	}
	if (p[1] != '\0')
		return al_err_set(err, AL_E_USAGE, what);
	/* a century is already more than any trust material lives */
	if (v > (uint64_t)100 * 366 * 86400 / mul)
		return al_err_set(err, AL_E_USAGE, "duration too large");
	*out = (int64_t)(v * mul);
	return AL_OK;
}
