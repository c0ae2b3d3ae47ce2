/*
 * fg_x509.c — certificates: CAs, Fulcio-like leaves with embedded SCTs,
 * TSA and private-PKI leaves, written with mbedTLS's x509write.
 *
 * An embedded SCT signs the precertificate TBS, which a verifier rebuilds
 * by removing the SCT extension from the final TBS. So the certificate is
 * written twice from the same settings: once without the extension (its
 * TBS is what the CT log signs), then with the SCT list added last.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "forge.h"

#define OID_FULCIO_ISSUER_V1 AL_FG_OID(0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x01)
#define OID_FULCIO_ISSUER_V2 AL_FG_OID(0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08)
#define OID_SCT_LIST AL_FG_OID(0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02)
#define OID_SAN AL_FG_OID(0x55, 0x1d, 0x11)
#define OID_EKU AL_FG_OID(0x55, 0x1d, 0x25)
#define OID_CODE_SIGNING AL_FG_OID(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03)
#define OID_TIME_STAMPING AL_FG_OID(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08)

static char *
pem_of(const char *label, al_bytes der)
{
	const char *b64 = al_fg_b64(der);
	size_t n = strlen(b64);
	al_fg_buf out = { 0 };

	al_fg_printf(&out, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < n; i += 64) {
		al_fg_put(&out, b64 + i, n - i < 64 ? n - i : 64);
		al_fg_puts(&out, "\n");
	}
	al_fg_printf(&out, "-----END %s-----\n", label);
	return (char *)out.p;
}

static char *
mbed_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[16];

	if (gmtime_r(&tt, &tm) == NULL)
		al_fg_die("time out of range");
	strftime(s, sizeof(s), "%Y%m%d%H%M%S", &tm);
	return al_fg_strdup(s);
}

static void
set_ext(mbedtls_x509write_cert *w, al_bytes oid, bool critical, al_bytes val)
{
	al_fg_mbed(mbedtls_x509write_crt_set_extension(w, (const char *)oid.p, oid.n, critical, val.p, val.n),
		   "set extension");
}

/* Everything but the SCT list, in a fixed order. */
static void
setup(mbedtls_x509write_cert *w, const al_fg_cert_spec *s)
{
	const al_fg_key *ikey = s->issuer ? s->issuer->key : s->key;
	const char *iname = s->issuer ? s->issuer->subject : s->subject;
	uint8_t serial[32];
	bool empty_subject = s->subject == NULL || s->subject[0] == '\0';

	mbedtls_x509write_crt_init(w);
	mbedtls_x509write_crt_set_version(w, MBEDTLS_X509_CRT_VERSION_3);
	al_fg_sha256(al_bytes_str(al_fg_sprintf("airlock-forge serial %s", s->serial_label)), serial);
	/* 16 bytes, positive and minimal: first byte in 0x01..0x7f */
	serial[0] = (uint8_t)((serial[0] & 0x7f) | 0x01);
	al_fg_mbed(mbedtls_x509write_crt_set_serial_raw(w, serial, 16), "serial");
	al_fg_mbed(mbedtls_x509write_crt_set_validity(w, mbed_time(s->not_before), mbed_time(s->not_after)),
		   "validity");
	if (iname != NULL && iname[0] != '\0')
		al_fg_mbed(mbedtls_x509write_crt_set_issuer_name(w, iname), "issuer name");
	if (!empty_subject)
		al_fg_mbed(mbedtls_x509write_crt_set_subject_name(w, s->subject), "subject name");
	/* x509write takes keys as non-const; it only reads them */
	mbedtls_x509write_crt_set_subject_key(w, (mbedtls_pk_context *)(uintptr_t)&s->key->pk);
	mbedtls_x509write_crt_set_issuer_key(w, (mbedtls_pk_context *)(uintptr_t)&ikey->pk);
	mbedtls_x509write_crt_set_md_alg(w, al_fg_key_md(ikey));

	if (s->ca) {
		al_fg_mbed(mbedtls_x509write_crt_set_basic_constraints(w, 1, s->pathlen), "basic constraints");
		al_fg_mbed(mbedtls_x509write_crt_set_key_usage(w, MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN),
			   "key usage");
	} else {
		al_fg_mbed(mbedtls_x509write_crt_set_key_usage(w, MBEDTLS_X509_KU_DIGITAL_SIGNATURE), "key usage");
	}
	if (s->eku != AL_FG_EKU_NONE) {
		al_fg_buf seq = { 0 }, inner = { 0 };

		al_fg_der_oid(&inner, s->eku == AL_FG_EKU_CODE_SIGNING ? OID_CODE_SIGNING : OID_TIME_STAMPING);
		al_fg_der_wrap(&seq, 0x30, &inner);
		set_ext(w, OID_EKU, s->eku == AL_FG_EKU_TIME_STAMPING, al_fg_bytes(&seq));
	}
	al_fg_mbed(mbedtls_x509write_crt_set_subject_key_identifier(w), "subject key identifier");
	al_fg_mbed(mbedtls_x509write_crt_set_authority_key_identifier(w), "authority key identifier");
	if (s->san_uri != NULL || s->san_email != NULL) {
		al_fg_buf names = { 0 }, seq = { 0 };

		if (s->san_uri != NULL)
			al_fg_der_tlv(&names, 0x86, al_bytes_str(s->san_uri));
		if (s->san_email != NULL)
			al_fg_der_tlv(&names, 0x81, al_bytes_str(s->san_email));
		al_fg_der_wrap(&seq, 0x30, &names);
		/* RFC 5280: SAN is critical when the subject is empty */
		set_ext(w, OID_SAN, empty_subject, al_fg_bytes(&seq));
	}
	if (s->oidc_issuer != NULL) {
		al_fg_buf v2 = { 0 };

		/* .1.1 holds the raw string (deprecated), .1.8 a DER UTF8String */
		set_ext(w, OID_FULCIO_ISSUER_V1, false, al_bytes_str(s->oidc_issuer));
		al_fg_der_tlv(&v2, 0x0c, al_bytes_str(s->oidc_issuer));
		set_ext(w, OID_FULCIO_ISSUER_V2, false, al_fg_bytes(&v2));
	}
}

static al_bytes
write_der(mbedtls_x509write_cert *w)
{
	static unsigned char buf[8192];
	int len = mbedtls_x509write_crt_der(w, buf, sizeof(buf), al_fg_rng, NULL);

	if (len <= 0)
		al_fg_mbed(len ? len : -1, "write certificate");
	return al_fg_dup(al_bytes_of(buf + sizeof(buf) - (size_t)len, (size_t)len));
}

/* The SignedCertificateTimestampList extension value for a precert TBS. */
static al_bytes
sct_ext(const al_fg_cert_spec *s, al_bytes tbs)
{
	al_fg_buf signed_data = { 0 }, sct = { 0 }, list = { 0 }, inner = { 0 }, val = { 0 };
	uint8_t issuer_key_hash[32];
	al_bytes sig;

	if (s->issuer == NULL)
		al_fg_die("an SCT needs an issuer");
	al_fg_sha256(s->issuer->key->spki, issuer_key_hash);
	al_fg_put_u8(&signed_data, 0);                       /* v1 */
	al_fg_put_u8(&signed_data, 0);                       /* certificate_timestamp */
	al_fg_put_be(&signed_data, (uint64_t)s->sct_time_ms, 8);
	al_fg_put_be(&signed_data, 1, 2);                    /* precert_entry */
	al_fg_put(&signed_data, issuer_key_hash, 32);
	al_fg_put_be(&signed_data, tbs.n, 3);
	al_fg_put(&signed_data, tbs.p, tbs.n);
	al_fg_put_be(&signed_data, 0, 2);                    /* no extensions */
	sig = al_fg_sign(s->ct_log, MBEDTLS_MD_SHA256, al_fg_bytes(&signed_data));
	if (s->sct_corrupt) {
		/* a byte inside r: the DER stays well-formed, the value is wrong */
		sig = al_fg_dup(sig);
		((uint8_t *)(uintptr_t)sig.p)[12] ^= 0x01;
	}

	al_fg_put_u8(&sct, 0);
	al_fg_put(&sct, s->ct_log->spki_sha256, 32);
	al_fg_put_be(&sct, (uint64_t)s->sct_time_ms, 8);
	al_fg_put_be(&sct, 0, 2);
	al_fg_put_u8(&sct, 4); /* sha256 */
	al_fg_put_u8(&sct, 3); /* ecdsa */
	al_fg_put_be(&sct, sig.n, 2);
	al_fg_put(&sct, sig.p, sig.n);

	al_fg_put_be(&inner, sct.n, 2);
	al_fg_put(&inner, sct.p, sct.n);
	al_fg_put_be(&list, inner.n, 2);
	al_fg_put(&list, inner.p, inner.n);
	al_fg_der_octets(&val, al_fg_bytes(&list));
	return al_fg_dup(al_fg_bytes(&val));
}

const al_fg_cert *
al_fg_cert_make(const al_fg_cert_spec *s)
{
	mbedtls_x509write_cert w;
	mbedtls_x509_crt crt;
	al_fg_cert *c = al_fg_alloc(sizeof(*c));
	al_bytes der;

	setup(&w, s);
	der = write_der(&w);
	if (s->ct_log != NULL) {
		al_bytes ext;

		mbedtls_x509_crt_init(&crt);
		al_fg_mbed(mbedtls_x509_crt_parse_der(&crt, der.p, der.n), "parse precertificate");
		ext = sct_ext(s, al_bytes_of(crt.tbs.p, crt.tbs.len));
		mbedtls_x509_crt_free(&crt);
		set_ext(&w, OID_SCT_LIST, false, ext);
		der = write_der(&w);
	}
	mbedtls_x509write_crt_free(&w);

	mbedtls_x509_crt_init(&crt);
	al_fg_mbed(mbedtls_x509_crt_parse_der(&crt, der.p, der.n), "parse certificate");
	c->issuer_raw = al_fg_dup(al_bytes_of(crt.issuer_raw.p, crt.issuer_raw.len));
	c->serial = al_fg_dup(al_bytes_of(crt.serial.p, crt.serial.len));
	mbedtls_x509_crt_free(&crt);

	c->subject = al_fg_strdup(s->subject ? s->subject : "");
	c->key = s->key;
	c->der = der;
	c->pem = pem_of("CERTIFICATE", der);
	return c;
}
