/*
 * trusted_root.c — Sigstore trusted_root.json into al_trust_root, and PEM
 * public key files.
 *
 * The file is trust material, but it arrives on the same removable media as
 * what it vouches for (or is named on the command line), so it is parsed as
 * hostile input: every field typed, every list bounded, every key parsed
 * and matched to the algorithm its keyDetails claim. The rules and their
 * reasons are in trust.h.
 */
#include <stdlib.h>
#include <string.h>

#include "trust-roots/trust.h"

/* ---------------------------------------------------------------- JSON helpers */

/*
 * A protobuf enum as protobuf JSON writes it (its name) or as readers also
 * accept it (its number). Returns the index into a table of names; *idx is
 * SIZE_MAX when the member is absent and not required.
 */
static al_rc
get_enum(const al_json *obj, const char *path, const char *key, bool required,
	 const char *(*name_at)(size_t), int (*num_at)(size_t), size_t *idx, al_err *err)
{
	const al_json *n = al_json_member(obj, key);
	al_jpath p;
	al_rc rc;

	*idx = SIZE_MAX;
	al_jpath_key(&p, path, key);
	if (n == NULL) {
		if (required)
			return al_err_set(err, AL_E_JSON, "%s: missing", p.s);
		return AL_OK;
	}
	if (al_json_is_str(n)) {
		al_bytes s = al_json_str_bytes(n);

		for (size_t i = 0; name_at(i) != NULL; i++)
			if (al_bytes_eq_str(s, name_at(i))) {
				*idx = i;
				return AL_OK;
			}
		return al_err_set(err, AL_E_JSON, "%s: unknown value \"%.*s\"", p.s,
				  (int)(s.n > 64 ? 64 : s.n), (const char *)s.p);
	}
	{
		int64_t v;

		if ((rc = al_json_get_i64(obj, path, key, true, &v, NULL, err)) != AL_OK)
			return al_err_set(err, AL_E_JSON, "%s: not an enum name or number", p.s);
		for (size_t i = 0; name_at(i) != NULL; i++)
			if (num_at(i) == v) {
				*idx = i;
				return AL_OK;
			}
		return al_err_set(err, AL_E_JSON, "%s: unknown value %lld", p.s, (long long)v);
	}
}

/* crypto/'s tables of PublicKeyDetails and HashAlgorithm, for get_enum:
 * names and numbers by index, NULL and -1 past the end */
static const char *kd_name(size_t i) { return al_key_details_at(i) ? al_key_details_at(i)->name : NULL; }
static int kd_num(size_t i) { return al_key_details_at(i) ? al_key_details_at(i)->num : -1; }
static const char *ha_name(size_t i) { return al_pb_hash_at(i) ? al_pb_hash_at(i)->name : NULL; }
static int ha_num(size_t i) { return al_pb_hash_at(i) ? al_pb_hash_at(i)->num : -1; }

/* An optional or required string, copied (NUL-terminated, possibly empty).
 * obj may be NULL (an absent parent object): the copy is then empty. */
static al_rc
get_str_copy(const al_json *obj, const char *path, const char *key, bool required, al_buf *out,
	     al_err *err)
{
	al_bytes s = al_bytes_of(NULL, 0);
	al_rc rc;

	if (obj != NULL && (rc = al_json_get_str(obj, path, key, required, &s, err)) != AL_OK)
		return rc;
	return al_buf_dup(out, s, err);
}

/* One DER element that is a SEQUENCE with a minimal definite length
 * spanning the whole input. Full X.509 parsing is crypto/'s job; this
 * catches garbage early, with the JSON path in the message. */
static bool
der_is_sequence(al_bytes der)
{
	al_rd r = al_rd_of(der);
	al_der e;

	/* crypto's strict DER reader: minimal definite lengths, nothing after */
	return al_der_any(&r, &e) && e.tag == 0x30 && al_rd_done(&r);
}

/* An RFC 3339 member; *present false when absent. */
static al_rc
get_time(const al_json *obj, const char *path, const char *key, bool *present, int64_t *sec,
	 uint32_t *nsec, al_err *err)
{
	al_bytes s;
	al_jpath p;
	al_rc rc = al_json_get_str(obj, path, key, false, &s, err);

	*present = false;
	if (rc != AL_OK || s.p == NULL)
		return rc;
	al_jpath_key(&p, path, key);
	if ((rc = al_rfc3339_parse(s, sec, nsec, err)) != AL_OK)
		return al_err_prefix(err, "%s", p.s);
	*present = true;
	return AL_OK;
}

/* validFor {start, end}. */
static al_rc
get_validity(const al_json *obj, const char *path, const char *key, bool required,
	     bool need_start, al_validity *v, al_err *err)
{
	static const char *const keys[] = { "start", "end", NULL };
	const al_json *o;
	al_jpath p;
	al_rc rc;

	memset(v, 0, sizeof(*v));
	if ((rc = al_json_get_obj(obj, path, key, required, &o, err)) != AL_OK || o == NULL)
		return rc;
	al_jpath_key(&p, path, key);
	if ((rc = al_json_only_keys(o, p.s, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_time(o, p.s, "start", &v->has_start, &v->start, &v->start_ns, err)) != AL_OK)
		return rc;
	if ((rc = get_time(o, p.s, "end", &v->has_end, &v->end, &v->end_ns, err)) != AL_OK)
		return rc;
	if (need_start && !v->has_start)
		return al_err_set(err, AL_E_JSON, "%s.start: missing (a log key needs the start of "
				  "its validity)", p.s);
	if (v->has_start && v->has_end &&
	    (v->end < v->start || (v->end == v->start && v->end_ns < v->start_ns)))
		return al_err_set(err, AL_E_JSON, "%s: end is before start", p.s);
	return AL_OK;
}

/* ---------------------------------------------------------------- URLs */

/* The host of a log URL, as Go's url.Hostname() gives it for a URL with a
 * scheme (brackets of an IPv6 literal removed, port dropped). A scheme-less
 * base URL (allowed by the schema) is read as host[:port][/path]. */
static al_rc
url_host(al_bytes url, const char *path, al_buf *host, al_err *err)
{
	al_bytes a = url, h;
	size_t i, end;

	for (i = 0; i + 2 < a.n; i++) {
		if (a.p[i] == ':' && a.p[i + 1] == '/' && a.p[i + 2] == '/') {
			a.p += i + 3;
			a.n -= i + 3;
			break;
		}
		if (a.p[i] == '/')
			break;
	}
	for (end = 0; end < a.n && a.p[end] != '/' && a.p[end] != '?' && a.p[end] != '#'; end++)
		;
	a.n = end;
	if (memchr(a.p, '@', a.n) != NULL)
		return al_err_set(err, AL_E_JSON, "%s: user information in a log URL", path);
	h = a;
	if (a.n > 0 && a.p[0] == '[') {
		const uint8_t *rb = memchr(a.p, ']', a.n);

		if (rb == NULL)
			return al_err_set(err, AL_E_JSON, "%s: unterminated IPv6 literal", path);
		h = al_bytes_of(a.p + 1, (size_t)(rb - a.p) - 1);
		a.n -= (size_t)(rb - a.p) + 1;
		a.p = rb + 1;
		if (a.n > 0 && a.p[0] != ':')
			return al_err_set(err, AL_E_JSON, "%s: junk after IPv6 literal", path);
	} else {
		const uint8_t *colon = memchr(a.p, ':', a.n);

		if (colon != NULL) {
			h.n = (size_t)(colon - a.p);
			a.p = colon;
			a.n -= h.n;
		} else {
			a.n = 0;
		}
	}
	/* what is left of a is ":port" or nothing */
	if (a.n > 0) {
		if (a.n < 2 || a.n > 6)
			return al_err_set(err, AL_E_JSON, "%s: bad port", path);
		for (i = 1; i < a.n; i++)
			if (a.p[i] < '0' || a.p[i] > '9')
				return al_err_set(err, AL_E_JSON, "%s: bad port", path);
	}
	if (h.n == 0 || h.n > 253)
		return al_err_set(err, AL_E_JSON, "%s: no host name in \"%.*s\"", path,
				  (int)(url.n > 80 ? 80 : url.n), (const char *)url.p);
	for (i = 0; i < h.n; i++) {
		uint8_t c = h.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_' || c == ':'))
			return al_err_set(err, AL_E_JSON, "%s: invalid character in host name", path);
	}
	return al_buf_dup(host, h, err);
}

/* ---------------------------------------------------------------- logs */

static al_rc
parse_key(const al_json *pk, const char *path, al_trust_log *l, al_err *err)
{
	static const char *const keys[] = { "rawBytes", "keyDetails", "validFor", NULL };
	const al_key_details *kd;
	al_buf raw = { 0 };
	al_jpath p;
	size_t idx;
	al_rc rc;

	if ((rc = al_json_only_keys(pk, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_enum(pk, path, "keyDetails", true, kd_name, kd_num, &idx, err)) != AL_OK)
		return rc;
	kd = al_key_details_at(idx);
	l->key_details = kd->name;
	al_jpath_key(&p, path, "keyDetails");
	if (kd->enc == AL_KEY_ENC_NONE)
		return al_err_set(err, AL_E_JSON, "%s: %s keys are not supported by airlock "
				  "(supported: ECDSA P-256/P-384/P-521, RSA PKCS#1 v1.5 and PSS, "
				  "Ed25519)", p.s, kd->name);
	if ((rc = al_json_get_b64(pk, path, "rawBytes", true, &raw, err)) != AL_OK)
		goto out;
	al_jpath_key(&p, path, "rawBytes");
	if (raw.n == 0 || raw.n > AL_MAX_DER) {
		rc = al_err_set(err, AL_E_JSON, "%s: %zu bytes, expected 1..%u", p.s, raw.n, AL_MAX_DER);
		goto out;
	}
	rc = kd->enc == AL_KEY_ENC_SPKI ? al_pubkey_from_spki(al_buf_bytes(&raw), &l->key, err)
				 : al_pubkey_from_pkcs1_rsa(al_buf_bytes(&raw), &l->key, err);
	if (rc != AL_OK) {
		al_err_prefix(err, "%s (%s)", p.s, kd->name);
		goto out;
	}
	/* the key must be what keyDetails says, curve and size included */
	switch (kd->kind) {
	case AL_KEY_RSA_PKCS1V15:
	case AL_KEY_RSA_PSS:
		if (l->key.kind != AL_KEY_RSA_PKCS1V15 && l->key.kind != AL_KEY_RSA_PSS &&
		    l->key.kind != AL_KEY_RSA_ANY)
			goto mismatch;
		if (kd->rsa_bits && mbedtls_pk_get_bitlen(&l->key.pk) != kd->rsa_bits) {
			rc = al_err_set(err, AL_E_JSON, "%s: RSA key of %zu bits, keyDetails %s says %u",
					p.s, (size_t)mbedtls_pk_get_bitlen(&l->key.pk), kd->name,
					kd->rsa_bits);
			goto out;
		}
		break;
	default:
		if (l->key.kind != kd->kind)
			goto mismatch;
		break;
	}
	if ((rc = al_pubkey_set_scheme(&l->key, kd->kind, kd->hash, err)) != AL_OK) {
		al_err_prefix(err, "%s (%s)", p.s, kd->name);
		goto out;
	}
	rc = get_validity(pk, path, "validFor", true, true, &l->valid_for, err);
	goto out;
mismatch:
	rc = al_err_set(err, AL_E_JSON, "%s: a %s key, but keyDetails says %s", p.s,
			al_key_kind_name(l->key.kind), kd->name);
out:
	al_buf_free(&raw);
	return rc;
}

/* LogId {keyId}. */
static al_rc
get_log_id(const al_json *obj, const char *path, const char *key, bool required, al_buf *out,
	   al_err *err)
{
	static const char *const keys[] = { "keyId", NULL };
	const al_json *o;
	al_jpath p;
	al_rc rc;

	if ((rc = al_json_get_obj(obj, path, key, required, &o, err)) != AL_OK || o == NULL)
		return rc;
	al_jpath_key(&p, path, key);
	if ((rc = al_json_only_keys(o, p.s, keys, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_b64(o, p.s, "keyId", true, out, err)) != AL_OK)
		return rc;
	if (out->n == 0 || out->n > AL_HASH_MAX)
		return al_err_set(err, AL_E_JSON, "%s.keyId: %zu bytes, expected 1..%d", p.s, out->n,
				  AL_HASH_MAX);
	return AL_OK;
}

static al_rc
parse_log(const al_json *o, const char *path, al_trust_log *l, al_err *err)
{
	static const char *const keys[] = { "baseUrl", "hashAlgorithm", "publicKey", "logId",
					    "checkpointKeyId", "operator", NULL };
	const al_json *pk;
	al_jpath p;
	size_t idx;
	al_rc rc;

	if ((rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(o, path, "baseUrl", true, &l->base_url, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "baseUrl");
	if ((rc = url_host(al_buf_bytes(&l->base_url), p.s, &l->host, err)) != AL_OK)
		return rc;
	if ((rc = get_enum(o, path, "hashAlgorithm", true, ha_name, ha_num, &idx, err)) != AL_OK)
		return rc;
	if (al_pb_hash_at(idx)->hash != AL_HASH_SHA256) {
		al_jpath_key(&p, path, "hashAlgorithm");
		return al_err_set(err, AL_E_JSON, "%s: %s, but logs must use SHA2_256 Merkle trees",
				  p.s, al_pb_hash_at(idx)->name);
	}
	l->tree_hash = AL_HASH_SHA256;
	if ((rc = get_log_id(o, path, "logId", true, &l->log_id, err)) != AL_OK)
		return rc;
	if ((rc = get_log_id(o, path, "checkpointKeyId", false, &l->checkpoint_key_id, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(o, path, "operator", false, &l->operator_name, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "publicKey", true, &pk, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "publicKey");
	return parse_key(pk, p.s, l, err);
}

static void
free_log(al_trust_log *l)
{
	al_buf_free(&l->base_url);
	al_buf_free(&l->host);
	al_buf_free(&l->operator_name);
	al_buf_free(&l->log_id);
	al_buf_free(&l->checkpoint_key_id);
	al_pubkey_free(&l->key);
}

typedef al_rc (*entry_fn)(const al_json *o, const char *path, void *elem, al_err *err);

/* The optional array doc[key], bounded, each element an object parsed by fn
 * into its slot of *out (allocated; NULL when there are none). *count is
 * the number of slots fn was given, so the caller frees a partial parse. */
static al_rc
parse_entries(const al_json *doc, const char *key, size_t elem, entry_fn fn, void **out, size_t *count,
	      al_err *err)
{
	const al_json *arr;
	size_t n;
	al_rc rc;

	*out = NULL;
	*count = 0;
	if ((rc = al_json_get_arr(doc, "", key, false, &arr, err)) != AL_OK || arr == NULL)
		return rc;
	n = al_json_arr_len(arr);
	if (n > AL_MAX_TRUST_ENTRIES)
		return al_err_set(err, AL_E_LIMIT, "%s: %zu entries, more than the limit of %d", key, n,
				  AL_MAX_TRUST_ENTRIES);
	if (n > 0 && (*out = calloc(n, elem)) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const al_json *e = al_json_arr_at(arr, i);
		al_jpath p;

		*count = i + 1;
		al_jpath_idx(&p, key, i);
		if (!al_json_is_obj(e))
			return al_err_set(err, AL_E_JSON, "%s: not an object", p.s);
		if ((rc = fn(e, p.s, (uint8_t *)*out + i * elem, err)) != AL_OK)
			return rc;
	}
	return AL_OK;
}

static al_rc
log_entry(const al_json *o, const char *path, void *elem, al_err *err)
{
	al_trust_log *l = elem;

	al_pubkey_init(&l->key);
	return parse_log(o, path, l, err);
}

static al_rc
parse_logs(const al_json *doc, const char *key, al_trust_log **out, size_t *count, al_err *err)
{
	void *mem;
	al_rc rc;

	rc = parse_entries(doc, key, sizeof(**out), log_entry, &mem, count, err);
	*out = mem;
	if (rc != AL_OK)
		return rc;
	/* a log ID picks the key that verifies an entry: it must pick one */
	for (size_t i = 0; i < *count; i++)
		for (size_t j = 0; j < i; j++)
			if (al_bytes_eq(al_buf_bytes(&(*out)[j].log_id), al_buf_bytes(&(*out)[i].log_id)))
				return al_err_set(err, AL_E_JSON, "%s[%zu].logId: same keyId as %s[%zu]", key, i,
						  key, j);
	return AL_OK;
}

/* ---------------------------------------------------------------- CAs and TSAs */

static al_rc
parse_ca(const al_json *o, const char *path, al_trust_ca *ca, al_err *err)
{
	static const char *const keys[] = { "subject", "uri", "certChain", "validFor", "operator",
					    NULL };
	static const char *const subj_keys[] = { "organization", "commonName", NULL };
	static const char *const chain_keys[] = { "certificates", NULL };
	static const char *const cert_keys[] = { "rawBytes", NULL };
	const al_json *subj, *chain, *certs;
	al_jpath p, pc;
	size_t n;
	al_rc rc;

	if ((rc = al_json_only_keys(o, path, keys, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "subject", false, &subj, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "subject");
	if (subj != NULL && (rc = al_json_only_keys(subj, p.s, subj_keys, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(subj, p.s, "organization", false, &ca->organization, err)) != AL_OK ||
	    (rc = get_str_copy(subj, p.s, "commonName", false, &ca->common_name, err)) != AL_OK)
		return rc;
	if ((rc = get_str_copy(o, path, "uri", false, &ca->uri, err)) != AL_OK ||
	    (rc = get_str_copy(o, path, "operator", false, &ca->operator_name, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_obj(o, path, "certChain", true, &chain, err)) != AL_OK)
		return rc;
	al_jpath_key(&p, path, "certChain");
	if ((rc = al_json_only_keys(chain, p.s, chain_keys, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_arr(chain, p.s, "certificates", true, &certs, err)) != AL_OK)
		return rc;
	al_jpath_key(&pc, p.s, "certificates");
	n = al_json_arr_len(certs);
	if (n == 0)
		return al_err_set(err, AL_E_JSON, "%s: empty certificate chain", pc.s);
	if (n > AL_MAX_CHAIN_CERTS)
		return al_err_set(err, AL_E_LIMIT, "%s: %zu certificates, more than the limit of %d",
				  pc.s, n, AL_MAX_CHAIN_CERTS);
	for (size_t i = 0; i < n; i++) {
		const al_json *c = al_json_arr_at(certs, i);
		al_jpath pi;

		al_jpath_idx(&pi, pc.s, i);
		if (!al_json_is_obj(c))
			return al_err_set(err, AL_E_JSON, "%s: not an object", pi.s);
		if ((rc = al_json_only_keys(c, pi.s, cert_keys, err)) != AL_OK)
			return rc;
		ca->ncerts = i + 1;
		if ((rc = al_json_get_b64(c, pi.s, "rawBytes", true, &ca->certs[i], err)) != AL_OK)
			return rc;
		if (ca->certs[i].n > AL_MAX_DER)
			return al_err_set(err, AL_E_LIMIT, "%s.rawBytes: %zu bytes, more than %u", pi.s,
					  ca->certs[i].n, AL_MAX_DER);
		if (!der_is_sequence(al_buf_bytes(&ca->certs[i])))
			return al_err_set(err, AL_E_JSON, "%s.rawBytes: not a DER certificate", pi.s);
	}
	return get_validity(o, path, "validFor", false, false, &ca->valid_for, err);
}

static void
free_ca(al_trust_ca *ca)
{
	al_buf_free(&ca->uri);
	al_buf_free(&ca->organization);
	al_buf_free(&ca->common_name);
	al_buf_free(&ca->operator_name);
	for (size_t i = 0; i < AL_MAX_CHAIN_CERTS; i++)
		al_buf_free(&ca->certs[i]);
}

static al_rc
ca_entry(const al_json *o, const char *path, void *elem, al_err *err)
{
	return parse_ca(o, path, elem, err);
}

static al_rc
parse_cas(const al_json *doc, const char *key, al_trust_ca **out, size_t *count, al_err *err)
{
	void *mem;
	al_rc rc;

	rc = parse_entries(doc, key, sizeof(**out), ca_entry, &mem, count, err);
	*out = mem;
	return rc;
}

/* ---------------------------------------------------------------- the root */

static const char *const media_types[] = {
	"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
	"application/vnd.dev.sigstore.trustedroot.v0.1+json",
	"application/vnd.dev.sigstore.trustedroot.v0.2+json",
};

void
al_trust_root_free(al_trust_root *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; r->tlogs && i < r->ntlogs; i++)
		free_log(&r->tlogs[i]);
	for (size_t i = 0; r->ctlogs && i < r->nctlogs; i++)
		free_log(&r->ctlogs[i]);
	for (size_t i = 0; r->cas && i < r->ncas; i++)
		free_ca(&r->cas[i]);
	for (size_t i = 0; r->tsas && i < r->ntsas; i++)
		free_ca(&r->tsas[i]);
	free(r->tlogs);
	free(r->ctlogs);
	free(r->cas);
	free(r->tsas);
	memset(r, 0, sizeof(*r));
}

static al_rc
parse_root(const al_json *doc, al_trust_root *r, al_err *err)
{
	static const char *const keys[] = { "mediaType", "tlogs", "certificateAuthorities", "ctlogs",
					    "timestampAuthorities", NULL };
	al_bytes mt;
	bool known = false;
	al_rc rc;

	if (!al_json_is_obj(doc))
		return al_err_set(err, AL_E_JSON, "not a JSON object");
	if ((rc = al_json_only_keys(doc, "", keys, err)) != AL_OK)
		return rc;
	if ((rc = al_json_get_str(doc, "", "mediaType", true, &mt, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < AL_ARRAY_LEN(media_types); i++)
		if (al_bytes_eq_str(mt, media_types[i]))
			known = true;
	if (!known)
		return al_err_set(err, AL_E_JSON, "mediaType: \"%.*s\" is not a trusted root media "
				  "type airlock knows (expected %s)", (int)(mt.n > 80 ? 80 : mt.n),
				  (const char *)mt.p, media_types[0]);
	memcpy(r->media_type, mt.p, mt.n); /* fits: it matched a known string */
	r->media_type[mt.n] = '\0';
	if ((rc = parse_logs(doc, "tlogs", &r->tlogs, &r->ntlogs, err)) != AL_OK ||
	    (rc = parse_cas(doc, "certificateAuthorities", &r->cas, &r->ncas, err)) != AL_OK ||
	    (rc = parse_logs(doc, "ctlogs", &r->ctlogs, &r->nctlogs, err)) != AL_OK ||
	    (rc = parse_cas(doc, "timestampAuthorities", &r->tsas, &r->ntsas, err)) != AL_OK)
		return rc;
	return AL_OK;
}

al_rc
al_trust_root_parse(al_bytes json, al_trust_root *r, al_err *err)
{
	al_json *doc = NULL;
	al_rc rc;

	memset(r, 0, sizeof(*r));
	rc = al_json_parse(json, &doc, err);
	if (rc == AL_OK)
		rc = parse_root(doc, r, err);
	al_json_free(doc);
	if (rc != AL_OK) {
		al_trust_root_free(r);
		if (rc == AL_E_NOMEM)
			return rc;
		return al_err_recode(err, AL_E_TRUST_INVALID, "trusted root");
	}
	al_sha256(json, r->sha256);
	return AL_OK;
}

al_rc
al_trust_root_load(const char *path, al_trust_root *r, al_err *err)
{
	al_buf b = { 0 };
	al_rc rc;

	memset(r, 0, sizeof(*r));
	rc = al_read_file(path, AL_MAX_JSON_DOC, &b, err);
	if (rc == AL_E_LIMIT)
		rc = al_err_recode(err, AL_E_TRUST_INVALID, "trusted root");
	else if (rc == AL_OK && (rc = al_trust_root_parse(al_buf_bytes(&b), r, err)) != AL_OK)
		al_err_prefix(err, "%s", path);
	al_buf_free(&b);
	return rc;
}

/* ---------------------------------------------------------------- lookups */

static const al_trust_log *
log_by_id(const al_trust_log *logs, size_t n, al_bytes id)
{
	for (size_t i = 0; i < n; i++)
		if (logs[i].log_id.n == id.n && id.n > 0 &&
		    al_ct_eq(logs[i].log_id.p, id.p, id.n))
			return &logs[i];
	return NULL;
}

const al_trust_log *
al_trust_tlog_by_id(const al_trust_root *r, al_bytes id)
{
	return log_by_id(r->tlogs, r->ntlogs, id);
}

const al_trust_log *
al_trust_ctlog_by_id(const al_trust_root *r, al_bytes id)
{
	return log_by_id(r->ctlogs, r->nctlogs, id);
}

static const al_trust_ca *
ca_at(const al_trust_ca *cas, size_t n, int64_t t, size_t *pos)
{
	while (*pos < n) {
		const al_trust_ca *ca = &cas[(*pos)++];

		if (al_validity_contains(&ca->valid_for, t))
			return ca;
	}
	return NULL;
}

const al_trust_ca *
al_trust_ca_at(const al_trust_root *r, int64_t t, size_t *pos)
{
	return ca_at(r->cas, r->ncas, t, pos);
}

const al_trust_ca *
al_trust_tsa_at(const al_trust_root *r, int64_t t, size_t *pos)
{
	return ca_at(r->tsas, r->ntsas, t, pos);
}

/* ---------------------------------------------------------------- PEM keys */

al_rc
al_trust_load_pem_key(const char *path, al_pubkey *k, al_err *err)
{
	al_buf b = { 0 };
	al_rc rc;

	rc = al_read_file(path, AL_MAX_PEM_FILE, &b, err);
	if (rc == AL_E_LIMIT)
		rc = al_err_recode(err, AL_E_TRUST_INVALID, "public key");
	else if (rc == AL_OK && (rc = al_pubkey_from_pem(al_buf_bytes(&b), k, err)) != AL_OK &&
		 rc != AL_E_NOMEM)
		rc = al_err_recode(err, AL_E_TRUST_INVALID, "%s: not a usable PEM public key", path);
	al_buf_free(&b);
	return rc;
}
