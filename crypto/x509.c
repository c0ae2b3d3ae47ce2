/*
 * x509.c — certificates judged at a given time, and what Sigstore reads
 * from them (SANs, Fulcio extensions); the strict DER reader the X.509,
 * SCT and RFC 3161 code shares.
 *
 * mbedTLS builds and checks the path (names, CA bits, key usage, path
 * length, signatures, algorithm profile). It also compares every
 * certificate's validity with the wall clock; the verify callback throws
 * those two flags away and decides them again against the time the caller
 * names. A Fulcio leaf lives ten minutes: judged "now" it is always
 * expired, judged at its signed time it is valid or it is not.
 *
 * Certificates are hostile input. Extension values and SANs are read with
 * the DER reader below; mbedTLS's parsed view is used for what it checks
 * itself (path building) and for the raw slices it keeps (tbs, pk_raw).
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "crypto/crypto.h"

/* ================================================================ DER */

bool
al_der_any(al_rd *r, al_der *out)
{
	al_rd start = *r;
	size_t len = 0;
	uint8_t tag, l0;

	memset(out, 0, sizeof(*out));
	tag = al_rd_u8(r);
	l0 = al_rd_u8(r);
	if (!al_rd_ok(r))
		return false;
	/* High tag numbers (0x1f) appear in nothing airlock reads. */
	if ((tag & 0x1f) == 0x1f)
		goto bad;
	if (l0 < 0x80) {
		len = l0;
	} else {
		unsigned k = l0 & 0x7f;

		/* 0x80 is BER's indefinite length; more than 4 octets is absurd
		 * for inputs bounded by AL_MAX_DER and AL_MAX_JSON_DOC. */
		if (k == 0 || k > 4)
			goto bad;
		for (unsigned i = 0; i < k; i++)
			len = (len << 8) | al_rd_u8(r);
		if (!al_rd_ok(r))
			return false;
		/* DER: the shortest form, no leading zero octet */
		if (len < 0x80 || (k > 1 && (len >> (8 * (k - 1))) == 0))
			goto bad;
	}
	out->val = al_rd_take(r, len);
	if (!al_rd_ok(r))
		return false;
	out->tag = tag;
	out->tlv = al_rd_take(&start, start.n - r->n);
	return true;
bad:
	r->bad = true;
	r->n = 0;
	return false;
}

al_bytes
al_der_take(al_rd *r, uint8_t tag)
{
	al_der d;

	if (!al_der_any(r, &d))
		return al_bytes_of(NULL, 0);
	if (d.tag != tag) {
		r->bad = true;
		r->n = 0;
		return al_bytes_of(NULL, 0);
	}
	return d.val;
}

bool
al_der_peek(const al_rd *r, uint8_t tag)
{
	return al_rd_ok(r) && r->n > 0 && r->p[0] == tag;
}

/* ================================================================ OIDs */

/* OID contents (no tag, no length). */
static const uint8_t oid_san[] = { 0x55, 0x1d, 0x11 };
static const uint8_t oid_eku[] = { 0x55, 0x1d, 0x25 };
static const uint8_t oid_code_signing[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03 };
static const uint8_t oid_time_stamping[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08 };
/* 1.3.6.1.4.1.57264.1 — Fulcio's arc; the last arc is appended */
static const uint8_t oid_fulcio_prefix[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01 };

#define OID(a) al_bytes_of((a), sizeof(a))

/* ================================================================ time */

int64_t
al_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t
x509_time_epoch(const mbedtls_x509_time *t)
{
	return al_days_from_civil(t->year, t->mon, t->day) * 86400 + (int64_t)t->hour * 3600 +
	       (int64_t)t->min * 60 + t->sec;
}

void
al_time_format(int64_t t, char out[32])
{
	int64_t days, secs, z, era, doe, yoe, y, doy, mp, d, m;

	/* years 0000..9999: what an X.509 or RFC 3339 time can say */
	if (t < -62167219200LL || t > 253402300799LL) {
		snprintf(out, 32, "(time %s range)", t < 0 ? "below" : "above");
		return;
	}
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days, the inverse of al_days_from_civil */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* the modulos are no-ops that tell the compiler the field widths */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u, (unsigned)(secs / 3600) % 100u, (unsigned)(secs / 60 % 60) % 100u,
		 (unsigned)(secs % 60) % 100u);
}

void
al_x509_validity(const mbedtls_x509_crt *crt, int64_t *not_before, int64_t *not_after)
{
	*not_before = x509_time_epoch(&crt->valid_from);
	*not_after = x509_time_epoch(&crt->valid_to);
}

/* GeneralizedTime lives here with the other time code; RFC 3161 uses it. */
static int
digits(al_rd *r, unsigned n, bool *ok)
{
	int v = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t c = al_rd_u8(r);

		if (c < '0' || c > '9')
			*ok = false;
		v = v * 10 + (c - '0');
	}
	return v;
}

/* Fraction digits are bounded by AL_MAX_GENTIME_FRACTION: DER allows any
 * number; 64 is more than any clock can mean and keeps the loop short. */

al_rc
al_asn1_gentime(al_bytes s, int64_t *t, uint32_t *ns, al_err *err)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	al_rd r = al_rd_of(s);
	bool ok = true;
	int y, mo, d, h, mi, sec, leap;
	uint32_t frac = 0;
	unsigned nf = 0;

	y = digits(&r, 4, &ok);
	mo = digits(&r, 2, &ok);
	d = digits(&r, 2, &ok);
	h = digits(&r, 2, &ok);
	mi = digits(&r, 2, &ok);
	sec = digits(&r, 2, &ok);
	if (al_der_peek(&r, '.')) {
		(void)al_rd_u8(&r);
		while (al_rd_ok(&r) && r.n > 0 && r.p[0] >= '0' && r.p[0] <= '9') {
			uint8_t c = al_rd_u8(&r);

			if (++nf > AL_MAX_GENTIME_FRACTION)
				break;
			if (nf <= 9)
				frac = frac * 10 + (uint32_t)(c - '0');
		}
		if (nf == 0 || nf > AL_MAX_GENTIME_FRACTION)
			ok = false;
		for (unsigned i = nf; i < 9; i++)
			frac *= 10;
	}
	if (al_rd_u8(&r) != 'Z' || !al_rd_done(&r))
		ok = false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (!ok || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
	    h > 23 || mi > 59 || sec > 59)
		return al_err_set(err, AL_E_DECODE, "GeneralizedTime \"%.*s\" is not YYYYMMDDHHMMSS[.f]Z",
				  (int)(s.n > 40 ? 40 : s.n), (const char *)s.p);
	*t = al_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
	if (ns)
		*ns = frac;
	return AL_OK;
}

/* ================================================================ certificate lists */

void
al_certs_init(al_certs *c)
{
	mbedtls_x509_crt_init(&c->crt);
	c->n = 0;
}

void
al_certs_free(al_certs *c)
{
	if (c == NULL)
		return;
	mbedtls_x509_crt_free(&c->crt);
	al_certs_init(c);
}

const mbedtls_x509_crt *
al_certs_at(const al_certs *c, size_t i)
{
	const mbedtls_x509_crt *p = &c->crt;

	if (i >= c->n)
		return NULL;
	while (i-- > 0 && p != NULL)
		p = p->next;
	return p;
}

al_rc
al_certs_add_der(al_certs *c, al_bytes der, al_err *err)
{
	al_rd r = al_rd_of(der);
	char why[160];
	int ret;

	if (c->n >= AL_MAX_CHAIN_CERTS)
		return al_err_set(err, AL_E_LIMIT, "certificate %zu: more than %d certificates", c->n,
				  AL_MAX_CHAIN_CERTS);
	if (der.n > AL_MAX_DER)
		return al_err_set(err, AL_E_LIMIT, "certificate %zu: %zu bytes exceeds %u", c->n, der.n,
				  AL_MAX_DER);
	/* mbedTLS stops at the end of the outer SEQUENCE; bytes after it would
	 * ride along unsigned, and BER lengths would give one certificate two
	 * encodings (two hashes): exactly one DER element. */
	(void)al_der_take(&r, 0x30);
	if (!al_rd_done(&r))
		return al_err_set(err, AL_E_CRYPTO_CERT, "certificate %zu: not one DER SEQUENCE (%zu bytes)",
				  c->n, der.n);
	ret = mbedtls_x509_crt_parse_der(&c->crt, der.p, der.n);
	if (ret != 0) {
		mbedtls_strerror(ret, why, sizeof(why));
		return al_err_set(err, AL_E_CRYPTO_CERT, "certificate %zu: cannot parse: %s", c->n, why);
	}
	c->n++;
	return AL_OK;
}

al_rc
al_certs_add_pem(al_certs *c, al_bytes pem, al_err *err)
{
	al_bytes rest = pem;
	al_buf der = { 0 };
	size_t found = 0;
	al_rc rc = AL_OK;

	if (pem.n > AL_MAX_PEM_FILE)
		return al_err_set(err, AL_E_LIMIT, "PEM certificates: %zu bytes exceeds %u", pem.n,
				  AL_MAX_PEM_FILE);
	for (;;) {
		if ((rc = al_pem_next(&rest, "CERTIFICATE", NULL, &der, err)) != AL_OK)
			break;
		if (der.n == 0)
			break;
		if ((rc = al_certs_add_der(c, al_buf_bytes(&der), err)) != AL_OK) {
			al_err_prefix(err, "PEM block %zu", found);
			break;
		}
		found++;
	}
	al_buf_free(&der);
	if (rc == AL_OK && found == 0)
		rc = al_err_set(err, AL_E_DECODE, "PEM: no CERTIFICATE block");
	return rc;
}

al_bytes
al_x509_der(const mbedtls_x509_crt *crt)
{
	return al_bytes_of(crt->raw.p, crt->raw.len);
}

al_bytes
al_x509_spki(const mbedtls_x509_crt *crt)
{
	return al_bytes_of(crt->pk_raw.p, crt->pk_raw.len);
}

bool
al_x509_self_signed(const mbedtls_x509_crt *crt)
{
	/* self-issued is enough: a bundle has no business carrying either */
	return crt->subject_raw.len == crt->issuer_raw.len &&
	       memcmp(crt->subject_raw.p, crt->issuer_raw.p, crt->subject_raw.len) == 0;
}

void
al_x509_issuer_dn(const mbedtls_x509_crt *crt, char *out, size_t cap)
{
	if (cap == 0)
		return;
	if (mbedtls_x509_dn_gets(out, cap, &crt->issuer) < 0)
		out[0] = '\0';
}

void
al_x509_describe(const mbedtls_x509_crt *crt, char *out, size_t cap)
{
	char serial[96];
	int n;

	if (cap == 0)
		return;
	out[0] = '\0';
	n = mbedtls_x509_dn_gets(out, cap, &crt->subject);
	if (n > 0)
		return;
	/* Fulcio leaves have an empty subject: the serial is what tells them apart */
	if (mbedtls_x509_serial_gets(serial, sizeof(serial), &crt->serial) < 0)
		snprintf(serial, sizeof(serial), "?");
	snprintf(out, cap, "serial %s", serial);
}

/* ================================================================ extensions */

/*
 * Finds the Extensions of a TBSCertificate. tbs is the whole TBS element.
 * *exts is the SEQUENCE OF Extension contents, empty when absent.
 */
static bool
tbs_extensions(al_bytes tbs, al_bytes *exts)
{
	al_rd r = al_rd_of(tbs), in;
	al_der d;

	*exts = al_bytes_of(NULL, 0);
	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return false;
	while (in.n > 0) {
		if (!al_der_any(&in, &d))
			return false;
		if (d.tag == 0xa3) {
			al_rd e = al_rd_of(d.val);

			*exts = al_der_take(&e, 0x30);
			return al_rd_done(&e) && in.n == 0;
		}
	}
	return al_rd_ok(&in);
}

/* One Extension: extnID, critical (DEFAULT FALSE), extnValue contents. */
static bool
ext_parse(al_bytes ext, al_bytes *oid, bool *critical, al_bytes *value)
{
	al_rd r = al_rd_of(ext);

	*oid = al_der_take(&r, 0x06);
	*critical = false;
	if (al_der_peek(&r, 0x01)) {
		al_bytes b = al_der_take(&r, 0x01);

		/* DER: a BOOLEAN is 0x00 or 0xff, and DEFAULT FALSE is omitted */
		if (b.n != 1 || b.p[0] != 0xff)
			return false;
		*critical = true;
	}
	*value = al_der_take(&r, 0x04);
	return al_rd_done(&r) && oid->n > 0;
}

al_rc
al_x509_ext(const mbedtls_x509_crt *crt, al_bytes oid, al_bytes *value, bool *critical,
	    bool *present, al_err *err)
{
	al_bytes exts;
	al_rd r;
	size_t i = 0;

	*present = false;
	*value = al_bytes_of(NULL, 0);
	if (critical)
		*critical = false;
	if (!tbs_extensions(al_bytes_of(crt->tbs.p, crt->tbs.len), &exts))
		return al_err_set(err, AL_E_CRYPTO_CERT, "malformed TBSCertificate extensions");
	r = al_rd_of(exts);
	while (r.n > 0) {
		al_bytes e = al_der_take(&r, 0x30), eoid, eval;
		bool crit;

		if (!al_rd_ok(&r) || !ext_parse(e, &eoid, &crit, &eval))
			return al_err_set(err, AL_E_CRYPTO_CERT, "extension %zu: malformed", i);
		if (al_bytes_eq(eoid, oid)) {
			/* RFC 5280 §4.2: at most one instance of an extension */
			if (*present)
				return al_err_set(err, AL_E_CRYPTO_CERT, "extension %zu: appears twice", i);
			*present = true;
			*value = eval;
			if (critical)
				*critical = crit;
		}
		i++;
	}
	return AL_OK;
}

/* ================================================================ identity */

static al_rc
fulcio_oid(unsigned arc, uint8_t out[sizeof(oid_fulcio_prefix) + 1], al_err *err)
{
	if (arc < 1 || arc > 63 || arc == 7)
		return al_err_set(err, AL_E_INTERNAL, "no Fulcio extension 1.3.6.1.4.1.57264.1.%u", arc);
	memcpy(out, oid_fulcio_prefix, sizeof(oid_fulcio_prefix));
	out[sizeof(oid_fulcio_prefix)] = (uint8_t)arc;
	return AL_OK;
}

al_rc
al_x509_fulcio_ext(const mbedtls_x509_crt *crt, unsigned arc, al_bytes *value, bool *present,
		   al_err *err)
{
	uint8_t oid[sizeof(oid_fulcio_prefix) + 1];
	al_bytes v;
	al_rc rc;

	*value = al_bytes_of(NULL, 0);
	*present = false;
	if ((rc = fulcio_oid(arc, oid, err)) != AL_OK)
		return rc;
	if ((rc = al_x509_ext(crt, OID(oid), &v, NULL, present, err)) != AL_OK)
		return rc;
	if (!*present)
		return AL_OK;
	if (arc <= 6) {
		/* the deprecated arcs hold the string itself, no DER around it */
		*value = v;
		return AL_OK;
	}
	{
		al_rd r = al_rd_of(v);

		*value = al_der_take(&r, 0x0c);
		if (!al_rd_done(&r)) {
			*present = false;
			*value = al_bytes_of(NULL, 0);
			return al_err_set(err, AL_E_CRYPTO_CERT,
					  "Fulcio extension 1.3.6.1.4.1.57264.1.%u is not a DER UTF8String", arc);
		}
	}
	return AL_OK;
}

al_rc
al_x509_has_san(const mbedtls_x509_crt *crt, al_san_kind kind, al_bytes want, bool *found, al_err *err)
{
	/* context tags: rfc822Name [1], dNSName [2], uniformResourceIdentifier [6] */
	uint8_t tag = kind == AL_SAN_EMAIL ? 0x81 : kind == AL_SAN_DNS ? 0x82 : kind == AL_SAN_URI ? 0x86 : 0;
	al_bytes san;
	bool present;
	al_rd r, in;
	al_rc rc;

	*found = false;
	if (tag == 0)
		return al_err_set(err, AL_E_INTERNAL, "al_x509_has_san: no such kind");
	if ((rc = al_x509_ext(crt, OID(oid_san), &san, NULL, &present, err)) != AL_OK || !present)
		return rc;
	r = al_rd_of(san);
	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName: malformed");
	while (in.n > 0) {
		al_der g;

		if (!al_der_any(&in, &g))
			return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName: malformed");
		if (g.tag != tag || g.val.n != want.n)
			continue;
		if (kind == AL_SAN_DNS) {
			/* host names compare without case (RFC 5280 §7.2) */
			bool eq = true;

			for (size_t i = 0; i < want.n && eq; i++) {
				uint8_t a = g.val.p[i], b = want.p[i];

				eq = (a >= 'A' && a <= 'Z' ? a + 32 : a) == (b >= 'A' && b <= 'Z' ? b + 32 : b);
			}
			*found |= eq;
		} else {
			*found |= al_bytes_eq(g.val, want);
		}
	}
	return AL_OK;
}

al_rc
al_x509_identity_get(const mbedtls_x509_crt *crt, al_x509_identity *id, al_err *err)
{
	uint8_t username_oid[sizeof(oid_fulcio_prefix) + 1];
	al_bytes san, uri = { 0 }, email = { 0 }, other = { 0 };
	bool present, have_uri = false, have_email = false, have_other = false;
	al_rd r, in;
	size_t i = 0;
	al_rc rc;

	memset(id, 0, sizeof(*id));
	if ((rc = al_x509_ext(crt, OID(oid_san), &san, NULL, &present, err)) != AL_OK)
		return rc;
	if (!present)
		return al_err_set(err, AL_E_CRYPTO_CERT, "certificate has no subjectAltName extension");
	memcpy(username_oid, oid_fulcio_prefix, sizeof(oid_fulcio_prefix));
	username_oid[sizeof(oid_fulcio_prefix)] = 7;
	r = al_rd_of(san);
	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName: malformed");
	while (in.n > 0) {
		al_der g;

		if (!al_der_any(&in, &g))
			return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName entry %zu: malformed", i);
		if (g.tag == 0x86 && !have_uri) {
			uri = g.val;
			have_uri = true;
		} else if (g.tag == 0x81 && !have_email) {
			email = g.val;
			have_email = true;
		} else if (g.tag == 0xa0 && !have_other) {
			/* OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } */
			al_rd o = al_rd_of(g.val), v;
			al_bytes type = al_der_take(&o, 0x06), s;

			v = al_rd_of(al_der_take(&o, 0xa0));
			s = al_der_take(&v, 0x0c);
			if (!al_rd_done(&o))
				return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName entry %zu: malformed otherName", i);
			if (al_bytes_eq(type, OID(username_oid))) {
				if (!al_rd_done(&v))
					return al_err_set(err, AL_E_CRYPTO_CERT,
							  "subjectAltName entry %zu: Fulcio username is not a UTF8String", i);
				other = s;
				have_other = true;
			}
		}
		i++;
	}
	if (have_uri) {
		id->san_kind = AL_SAN_URI;
		id->san = uri;
	} else if (have_email) {
		id->san_kind = AL_SAN_EMAIL;
		id->san = email;
	} else if (have_other) {
		id->san_kind = AL_SAN_OTHERNAME;
		id->san = other;
	} else {
		return al_err_set(err, AL_E_CRYPTO_CERT,
				  "subjectAltName has no URI, email or Fulcio username (%zu other entries)", i);
	}
	if (id->san.n == 0)
		return al_err_set(err, AL_E_CRYPTO_CERT, "subjectAltName: empty identity");
	if ((rc = al_x509_fulcio_ext(crt, 8, &id->issuer, &present, err)) != AL_OK)
		return rc;
	if (!present && (rc = al_x509_fulcio_ext(crt, 1, &id->issuer, &present, err)) != AL_OK)
		return rc;
	return AL_OK;
}

/* ================================================================ path validation */

static mbedtls_x509_crt *
unconst(const mbedtls_x509_crt *p)
{
	/* mbedTLS's verify takes non-const lists it does not modify */
	return (mbedtls_x509_crt *)(uintptr_t)p;
}

struct at_time {
	int64_t t;
	size_t n;
	mbedtls_x509_crt *crt[MBEDTLS_X509_MAX_VERIFY_CHAIN_SIZE];
	uint32_t flags[MBEDTLS_X509_MAX_VERIFY_CHAIN_SIZE];
};

static int
verify_at_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct at_time *a = ctx;
	int64_t nb, na;

	/* mbedTLS judged these against the wall clock: judge them at t */
	*flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
	al_x509_validity(crt, &nb, &na);
	if (a->t < nb)
		*flags |= MBEDTLS_X509_BADCERT_FUTURE;
	if (a->t > na)
		*flags |= MBEDTLS_X509_BADCERT_EXPIRED;
	if (depth >= 0 && (size_t)depth < AL_ARRAY_LEN(a->crt)) {
		a->crt[depth] = crt;
		a->flags[depth] = *flags;
		if ((size_t)depth + 1 > a->n)
			a->n = (size_t)depth + 1;
	}
	return 0;
}

static const char *
flag_reason(uint32_t f)
{
	static const struct { uint32_t f; const char *why; } reasons[] = {
		{ MBEDTLS_X509_BADCERT_NOT_TRUSTED, "no valid signature from a trusted root or from the next certificate" },
		{ MBEDTLS_X509_BADCERT_BAD_MD, "signed with a disallowed hash" },
		{ MBEDTLS_X509_BADCERT_BAD_PK, "signed with a disallowed algorithm" },
		{ MBEDTLS_X509_BADCERT_BAD_KEY, "issuer key too weak or on a disallowed curve" },
		{ MBEDTLS_X509_BADCERT_KEY_USAGE, "key usage does not allow this use" },
		{ MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "extended key usage does not allow this use" },
		{ MBEDTLS_X509_BADCERT_NS_CERT_TYPE, "Netscape cert type does not allow this use" },
		{ MBEDTLS_X509_BADCERT_MISSING, "certificate missing" },
		{ MBEDTLS_X509_BADCERT_SKIP_VERIFY, "verification skipped" },
		{ MBEDTLS_X509_BADCERT_REVOKED, "revoked" },
		{ MBEDTLS_X509_BADCERT_CN_MISMATCH, "name mismatch" },
	};

	for (size_t i = 0; i < AL_ARRAY_LEN(reasons); i++)
		if (f & reasons[i].f)
			return reasons[i].why;
	return "rejected";
}


static void
cert_prefix(al_err *err, size_t pos, const mbedtls_x509_crt *c)
{
	char name[256];

	al_x509_describe(c, name, sizeof(name));
	if (pos == 0)
		al_err_prefix(err, "leaf certificate (%s)", name);
	else
		al_err_prefix(err, "certificate %zu (%s)", pos, name);
}

static al_rc
cert_err(al_err *err, al_rc code, size_t pos, const mbedtls_x509_crt *c, const char *fmt, ...)
	AL_PRINTF(5, 6);

static al_rc
cert_err(al_err *err, al_rc code, size_t pos, const mbedtls_x509_crt *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	al_err_vset(err, code, fmt, ap);
	va_end(ap);
	cert_prefix(err, pos, c);
	return code;
}

/* The EKU rule for the leaf (the chain is checked already). */
static al_rc
check_leaf_usage(const mbedtls_x509_crt *leaf, al_eku eku, al_err *err)
{
	al_bytes v, want = eku == AL_EKU_TIME_STAMPING ? OID(oid_time_stamping) : OID(oid_code_signing);
	const char *name = eku == AL_EKU_TIME_STAMPING ? "timeStamping" : "codeSigning";
	bool present, critical, found = false;
	size_t count = 0;
	al_rd r, in;
	al_rc rc;

	if ((rc = al_x509_ext(leaf, OID(oid_eku), &v, &critical, &present, err)) != AL_OK) {
		cert_prefix(err, 0, leaf);
		return rc;
	}
	if (!present && eku == AL_EKU_CODE_SIGNING_IF_PRESENT)
		goto key_usage;
	if (!present)
		return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf,
				"no extended key usage extension (%s required)", name);
	r = al_rd_of(v);
	in = al_rd_of(al_der_take(&r, 0x30));
	if (!al_rd_done(&r))
		return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf, "malformed extended key usage");
	while (in.n > 0) {
		al_bytes o = al_der_take(&in, 0x06);

		if (!al_rd_ok(&in))
			return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf, "malformed extended key usage");
		found |= al_bytes_eq(o, want);
		count++;
	}
	if (!found)
		return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf, "extended key usage does not include %s", name);
key_usage:
	if (mbedtls_x509_crt_check_key_usage(leaf, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) != 0)
		return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf, "key usage does not include digitalSignature");
	if (eku == AL_EKU_TIME_STAMPING) {
		/* RFC 3161 §2.3: the only purpose, in a critical extension */
		if (!critical)
			return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf,
					"extended key usage timeStamping is not critical");
		if (count != 1)
			return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf,
					"extended key usage has %zu purposes; a TSA certificate has only timeStamping",
					count);
		if (mbedtls_x509_crt_get_ca_istrue(leaf) == 1)
			return cert_err(err, AL_E_CRYPTO_CERT, 0, leaf, "a TSA signing certificate must not be a CA");
	}
	return AL_OK;
}

al_rc
al_x509_verify_at(const al_certs *chain, const al_certs *roots, int64_t t, const al_x509_opts *opts,
		  al_x509_path *path, al_err *err)
{
	struct at_time at;
	uint32_t flags = 0;
	al_rc rc;
	char when[32];
	int ret;

	if (path)
		memset(path, 0, sizeof(*path));
	al_time_format(t, when);
	if (chain->n == 0)
		return al_err_set(err, AL_E_CRYPTO_CERT, "no certificate to verify");
	if (roots->n == 0)
		return al_err_set(err, AL_E_CRYPTO_CERT, "no trusted root certificates");
	if (opts->reject_self_signed) {
		for (size_t i = 0; i < chain->n; i++) {
			const mbedtls_x509_crt *c = al_certs_at(chain, i);

			if (al_x509_self_signed(c))
				return cert_err(err, AL_E_CRYPTO_CERT, i, c,
						"is self-signed: the chain must not include a root");
		}
	}
	memset(&at, 0, sizeof(at));
	at.t = t;
	ret = mbedtls_x509_crt_verify_with_profile(unconst(&chain->crt), unconst(&roots->crt), NULL,
						   &mbedtls_x509_crt_profile_default, NULL, &flags,
						   verify_at_cb, &at);
	if (ret != 0 && flags == 0) {
		char why[160];

		/* a fatal error rather than a verdict (e.g. a path too long) */
		mbedtls_strerror(ret, why, sizeof(why));
		return al_err_set(err, AL_E_CRYPTO_CERT, "chain at %s: %s", when, why);
	}
	for (size_t d = 0; d < at.n; d++) {
		const mbedtls_x509_crt *c = at.crt[d];
		uint32_t f = at.flags[d];
		int64_t nb, na;
		char lim[32];

		if (f == 0 || c == NULL)
			continue;
		al_x509_validity(c, &nb, &na);
		if (f & MBEDTLS_X509_BADCERT_EXPIRED) {
			al_time_format(na, lim);
			return cert_err(err, AL_E_CRYPTO_TIME, d, c, "expired at %s (notAfter %s)", when, lim);
		}
		if (f & MBEDTLS_X509_BADCERT_FUTURE) {
			al_time_format(nb, lim);
			return cert_err(err, AL_E_CRYPTO_TIME, d, c, "not yet valid at %s (notBefore %s)", when, lim);
		}
		return cert_err(err, AL_E_CRYPTO_CERT, d, c, "%s (chain at %s)", flag_reason(f), when);
	}
	if (ret != 0 || flags != 0 || at.n == 0 || at.crt[0] != &chain->crt)
		return al_err_set(err, AL_E_CRYPTO_CERT, "chain at %s: rejected (flags 0x%x)", when,
				  (unsigned)flags);
	if ((rc = check_leaf_usage(&chain->crt, opts->eku, err)) != AL_OK)
		return rc;
	if (path) {
		path->n = at.n < AL_ARRAY_LEN(path->crt) ? at.n : AL_ARRAY_LEN(path->crt);
		for (size_t i = 0; i < path->n; i++)
			path->crt[i] = at.crt[i];
	}
	return AL_OK;
}
