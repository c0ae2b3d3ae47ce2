/*
 * fg_tsa.c — RFC 3161 TimeStampResp from the test TSA: a CMS SignedData
 * (RFC 5652) over a TSTInfo, signed through signed attributes
 * (contentType, signingTime, messageDigest, ESS signingCertificateV2), the
 * TSA certificate embedded, as Sigstore's timestamp authority returns it.
 */
#include <stdlib.h>
#include <string.h>

#include "forge.h"

#define OID_SHA256 AL_FG_OID(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01)
#define OID_TSTINFO AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04)
#define OID_SIGNED_DATA AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02)
#define OID_CONTENT_TYPE AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03)
#define OID_MESSAGE_DIGEST AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04)
#define OID_SIGNING_TIME AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05)
#define OID_SIGNING_CERT_V2 AL_FG_OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f)
#define OID_ECDSA_SHA256 AL_FG_OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02)
#define OID_TSA_POLICY AL_FG_OID(0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x02)

static al_bytes
attribute(al_bytes oid, const al_fg_buf *value)
{
	al_fg_buf a = { 0 }, set = { 0 }, out = { 0 };

	al_fg_der_oid(&a, oid);
	al_fg_der_wrap(&set, 0x31, value);
	al_fg_put(&a, set.p, set.n);
	al_fg_der_wrap(&out, 0x30, &a);
	return al_fg_bytes(&out);
}

/* DER orders SET OF elements by their encodings. */
static int
cmp_der(const void *a, const void *b)
{
	const al_bytes *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);

	if (c != 0)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

al_bytes
al_fg_tsa_stamp(al_bytes msg, int64_t t, uint64_t serial)
{
	const al_fg_cert *tsa = al_fg_tr.tsa_leaf;
	al_fg_buf tst = { 0 }, tstinfo = { 0 }, mi = { 0 }, v = { 0 };
	al_fg_buf attrs_content = { 0 }, attrs_set = { 0 }, si = { 0 }, sid = { 0 };
	al_fg_buf sd = { 0 }, sdseq = { 0 }, eci = { 0 }, tmp = { 0 }, ci = { 0 }, resp = { 0 };
	al_bytes attrs[4], sig;
	uint8_t h[32];

	/* TSTInfo */
	al_fg_der_uint(&tst, 1);
	al_fg_der_oid(&tst, OID_TSA_POLICY);
	al_fg_sha256(msg, h);
	al_fg_der_alg(&mi, OID_SHA256, false);
	al_fg_der_octets(&mi, al_bytes_of(h, 32));
	al_fg_der_wrap(&tst, 0x30, &mi);
	al_fg_der_uint(&tst, serial);
	al_fg_der_gentime(&tst, t, "125"); /* milliseconds, as Sigstore's TSA writes */
	{
		al_fg_buf acc = { 0 };

		al_fg_der_uint(&acc, 1); /* accuracy: 1 second */
		al_fg_der_wrap(&tst, 0x30, &acc);
	}
	al_fg_der_uint(&tst, serial * 7919 + 17); /* nonce */
	al_fg_der_wrap(&tstinfo, 0x30, &tst);

	/* signed attributes */
	al_fg_der_oid(&v, OID_TSTINFO);
	attrs[0] = attribute(OID_CONTENT_TYPE, &v);
	v.n = 0;
	al_fg_der_utctime(&v, t);
	attrs[1] = attribute(OID_SIGNING_TIME, &v);
	v.n = 0;
	al_fg_sha256(al_fg_bytes(&tstinfo), h);
	al_fg_der_octets(&v, al_bytes_of(h, 32));
	attrs[2] = attribute(OID_MESSAGE_DIGEST, &v);
	v.n = 0;
	{
		al_fg_buf id = { 0 }, ids = { 0 }, sc = { 0 }, is = { 0 }, gn = { 0 }, gns = { 0 }, isseq = { 0 };

		al_fg_sha256(tsa->der, h);
		al_fg_der_octets(&id, al_bytes_of(h, 32)); /* hashAlgorithm DEFAULT sha256 */
		al_fg_put(&gn, tsa->issuer_raw.p, tsa->issuer_raw.n);
		al_fg_der_wrap(&gns, 0xa4, &gn);            /* directoryName [4] EXPLICIT */
		al_fg_der_wrap(&is, 0x30, &gns);
		al_fg_der_uint_raw(&is, tsa->serial);
		al_fg_der_wrap(&isseq, 0x30, &is);
		al_fg_put(&id, isseq.p, isseq.n);
		al_fg_der_wrap(&ids, 0x30, &id);
		al_fg_der_wrap(&sc, 0x30, &ids);
		al_fg_der_wrap(&v, 0x30, &sc);
	}
	attrs[3] = attribute(OID_SIGNING_CERT_V2, &v);
	qsort(attrs, 4, sizeof(attrs[0]), cmp_der);
	for (size_t i = 0; i < 4; i++)
		al_fg_put(&attrs_content, attrs[i].p, attrs[i].n);
	/* the signature covers the attributes encoded as a SET OF */
	al_fg_der_wrap(&attrs_set, 0x31, &attrs_content);
	sig = al_fg_sign(tsa->key, MBEDTLS_MD_SHA256, al_fg_bytes(&attrs_set));

	/* SignerInfo */
	al_fg_der_uint(&si, 1);
	al_fg_put(&sid, tsa->issuer_raw.p, tsa->issuer_raw.n);
	al_fg_der_uint_raw(&sid, tsa->serial);
	al_fg_der_wrap(&si, 0x30, &sid);
	al_fg_der_alg(&si, OID_SHA256, false);
	al_fg_der_wrap(&si, 0xa0, &attrs_content);
	al_fg_der_alg(&si, OID_ECDSA_SHA256, false);
	al_fg_der_octets(&si, sig);

	/* SignedData */
	al_fg_der_uint(&sd, 3);
	tmp.n = 0;
	al_fg_der_alg(&tmp, OID_SHA256, false);
	al_fg_der_wrap(&sd, 0x31, &tmp);
	al_fg_der_oid(&eci, OID_TSTINFO);
	tmp.n = 0;
	al_fg_der_octets(&tmp, al_fg_bytes(&tstinfo));
	al_fg_der_wrap(&eci, 0xa0, &tmp);
	al_fg_der_wrap(&sd, 0x30, &eci);
	al_fg_der_tlv(&sd, 0xa0, tsa->der);                 /* certificates [0] IMPLICIT */
	tmp.n = 0;
	al_fg_der_wrap(&tmp, 0x30, &si);
	al_fg_der_wrap(&sd, 0x31, &tmp);
	al_fg_der_wrap(&sdseq, 0x30, &sd);

	/* ContentInfo, TimeStampResp */
	al_fg_der_oid(&ci, OID_SIGNED_DATA);
	al_fg_der_wrap(&ci, 0xa0, &sdseq);
	tmp.n = 0;
	al_fg_der_uint(&tmp, 0); /* granted */
	{
		al_fg_buf body = { 0 }, st = { 0 };

		al_fg_der_wrap(&st, 0x30, &tmp);
		al_fg_put(&body, st.p, st.n);
		al_fg_der_wrap(&body, 0x30, &ci);
		al_fg_der_wrap(&resp, 0x30, &body);
	}
	return al_fg_bytes(&resp);
}
