/*
 * fg_trust.c — the forge's trust material: a Fulcio-like CA, a CT log, a
 * Rekor-like log key, a TSA, a private PKI, and the cosign and RSA keys;
 * written as a Sigstore trusted_root.json and PEM files.
 */
#include <string.h>

#include "forge.h"

al_fg_trust al_fg_tr;

static const al_fg_cert *
ca(const char *label, const char *subject, al_fg_key_type type, const al_fg_cert *issuer, int pathlen,
   al_fg_eku eku)
{
	al_fg_cert_spec s = {
		.subject = subject,
		.key = al_fg_key_get(label, type),
		.issuer = issuer,
		.not_before = AL_FG_EPOCH,
		.not_after = AL_FG_END,
		.serial_label = label,
		.ca = true,
		.pathlen = pathlen,
		.eku = eku,
	};

	return al_fg_cert_make(&s);
}

void
al_fg_trust_init(void)
{
	al_fg_trust *t = &al_fg_tr;

	t->rekor = al_fg_key_get("rekor", AL_FG_P256);
	t->ctlog = al_fg_key_get("ctlog", AL_FG_P256);
	t->cosign = al_fg_key_get("cosign", AL_FG_P256);
	t->rsa = al_fg_key_get("rsa", AL_FG_RSA2048);

	t->ca_root = ca("fulcio-root", "CN=airlock-forge-fulcio-root,O=airlock.test", AL_FG_P384, NULL, 1,
			AL_FG_EKU_NONE);
	t->ca_inter = ca("fulcio-intermediate", "CN=airlock-forge-fulcio-intermediate,O=airlock.test", AL_FG_P384,
			 t->ca_root, 0, AL_FG_EKU_CODE_SIGNING);
	t->rogue_root = ca("rogue-root", "CN=rogue-fulcio-root,O=rogue.test", AL_FG_P384, NULL, 1, AL_FG_EKU_NONE);
	t->rogue_inter = ca("rogue-intermediate", "CN=rogue-fulcio-intermediate,O=rogue.test", AL_FG_P384,
			    t->rogue_root, 0, AL_FG_EKU_CODE_SIGNING);
	t->tsa_root = ca("tsa-root", "CN=airlock-forge-tsa-root,O=airlock.test", AL_FG_P384, NULL, 0,
			 AL_FG_EKU_NONE);
	{
		al_fg_cert_spec s = {
			.subject = "CN=airlock-forge-tsa,O=airlock.test",
			.key = al_fg_key_get("tsa", AL_FG_P256),
			.issuer = t->tsa_root,
			.not_before = AL_FG_EPOCH,
			.not_after = AL_FG_END,
			.serial_label = "tsa",
			.eku = AL_FG_EKU_TIME_STAMPING,
		};

		t->tsa_leaf = al_fg_cert_make(&s);
	}
	t->pki_root = ca("pki-root", "CN=airlock-forge-pki-root,O=Airlock Test PKI", AL_FG_P256, NULL, 1,
			 AL_FG_EKU_NONE);
	t->pki_inter = ca("pki-intermediate", "CN=airlock-forge-pki-intermediate,O=Airlock Test PKI", AL_FG_P256,
			  t->pki_root, 0, AL_FG_EKU_NONE);
	{
		al_fg_cert_spec s = {
			.subject = "CN=release signer,O=Airlock Test PKI",
			.key = al_fg_key_get("pki-leaf", AL_FG_P256),
			.issuer = t->pki_inter,
			.not_before = AL_FG_T0 - 14 * 86400,
			.not_after = AL_FG_T0 + 351 * 86400,
			.serial_label = "pki-leaf",
			.eku = AL_FG_EKU_CODE_SIGNING,
			.san_email = AL_FG_PKI_IDENTITY,
		};

		t->pki_leaf = al_fg_cert_make(&s);
	}
	t->pki_other_root = ca("pki-other-root", "CN=airlock-forge-pki-other-root,O=Airlock Other PKI", AL_FG_P256,
			       NULL, 1, AL_FG_EKU_NONE);
	t->rekor_other = al_fg_key_get("rekor-other", AL_FG_P256);
	t->ctlog_other = al_fg_key_get("ctlog-other", AL_FG_P256);
	t->cosign_other = al_fg_key_get("cosign-other", AL_FG_P256);
	t->third = al_fg_key_get("third", AL_FG_P256);
	t->fulcio_chain_pem = al_fg_sprintf("%s%s", t->ca_inter->pem, t->ca_root->pem);
	t->rogue_chain_pem = al_fg_sprintf("%s%s", t->rogue_inter->pem, t->rogue_root->pem);
	t->pki_chain_pem = al_fg_sprintf("%s%s", t->pki_inter->pem, t->pki_root->pem);
}

const al_fg_cert *
al_fg_fulcio_leaf(const char *key_label, const char *identity, int64_t nb, int64_t na, bool rogue)
{
	bool email = strchr(identity, '@') != NULL && strstr(identity, "://") == NULL;
	al_fg_cert_spec s = {
		.subject = "",
		.key = al_fg_key_get(key_label, AL_FG_P256),
		.issuer = rogue ? al_fg_tr.rogue_inter : al_fg_tr.ca_inter,
		.not_before = nb,
		.not_after = na,
		.serial_label = al_fg_sprintf("leaf %s %s %lld", key_label, identity, (long long)nb),
		.eku = AL_FG_EKU_CODE_SIGNING,
		.san_uri = email ? NULL : identity,
		.san_email = email ? identity : NULL,
		.oidc_issuer = AL_FG_ISSUER,
		.ct_log = al_fg_tr.ctlog,
		/* Fulcio logs the precertificate as it issues it */
		.sct_time_ms = nb * 1000 + 250,
	};

	return al_fg_cert_make(&s);
}

const al_fg_cert *
al_fg_fulcio_leaf_sct(const char *key_label, const char *identity, int64_t nb, int64_t na, const al_fg_key *ct_log,
		      bool corrupt)
{
	al_fg_cert_spec s = {
		.subject = "",
		.key = al_fg_key_get(key_label, AL_FG_P256),
		.issuer = al_fg_tr.ca_inter,
		.not_before = nb,
		.not_after = na,
		.serial_label = al_fg_sprintf("leaf %s %s %lld", key_label, identity, (long long)nb),
		.eku = AL_FG_EKU_CODE_SIGNING,
		.san_uri = identity,
		.oidc_issuer = AL_FG_ISSUER,
		.ct_log = ct_log,
		.sct_time_ms = nb * 1000 + 250,
		.sct_corrupt = corrupt,
	};

	return al_fg_cert_make(&s);
}

/* ---------------------------------------------------------------- trusted_root.json */

/* start, end: the key's validFor (0: from the epoch; 0: open) */
static cJSON *
pubkey_json(const al_fg_key *k, int64_t start, int64_t end)
{
	cJSON *pk = al_fg_jnew(), *vf;

	al_fg_jstr(pk, "rawBytes", al_fg_b64(k->spki));
	al_fg_jstr(pk, "keyDetails", "PKIX_ECDSA_P256_SHA_256");
	vf = al_fg_jobj(pk, "validFor");
	al_fg_jstr(vf, "start", al_fg_time_rfc3339(start ? start : AL_FG_EPOCH));
	if (end != 0)
		al_fg_jstr(vf, "end", al_fg_time_rfc3339(end));
	return pk;
}

/* start, end: the key's validFor, as for pubkey_json */
static cJSON *
log_json(const char *url, const al_fg_key *k, int64_t start, int64_t end)
{
	cJSON *l = al_fg_jnew(), *id;

	al_fg_jstr(l, "baseUrl", url);
	al_fg_jstr(l, "hashAlgorithm", "SHA2_256");
	al_fg_jput(l, "publicKey", pubkey_json(k, start, end));
	id = al_fg_jobj(l, "logId");
	al_fg_jstr(id, "keyId", al_fg_b64(al_bytes_of(k->spki_sha256, 32)));
	return l;
}

/* end: the end of the authority's validFor (0: open) */
static cJSON *
authority_json(const char *org, const char *cn, const char *uri, const al_fg_cert *const *chain, size_t n,
	       int64_t end)
{
	cJSON *a = al_fg_jnew(), *sub, *cc, *certs, *vf;

	sub = al_fg_jobj(a, "subject");
	al_fg_jstr(sub, "organization", org);
	al_fg_jstr(sub, "commonName", cn);
	al_fg_jstr(a, "uri", uri);
	cc = al_fg_jobj(a, "certChain");
	certs = al_fg_jarr(cc, "certificates");
	for (size_t i = 0; i < n; i++) {
		cJSON *c = al_fg_jnew();

		al_fg_jstr(c, "rawBytes", al_fg_b64(chain[i]->der));
		al_fg_jpush(certs, c);
	}
	vf = al_fg_jobj(a, "validFor");
	al_fg_jstr(vf, "start", al_fg_time_rfc3339(AL_FG_EPOCH));
	if (end != 0)
		al_fg_jstr(vf, "end", al_fg_time_rfc3339(end));
	return a;
}

/* The trusted root; rekor_start, rekor_end: the log key's validFor (0: from
 * the epoch; 0: open); tsa_end: the end of the TSA's (0: open); tsa_only: no
 * transparency log and no CT log, as GitHub's own instance publishes it;
 * ca_only: no TSA either (nothing can date a signature under it). */
static char *
trusted_root_json_x(int64_t rekor_start, int64_t rekor_end, int64_t tsa_end, bool tsa_only, bool ca_only)
{
	const al_fg_trust *t = &al_fg_tr;
	cJSON *root = al_fg_jnew(), *arr;
	const al_fg_cert *fulcio[2] = { t->ca_inter, t->ca_root };
	const al_fg_cert *tsa[2] = { t->tsa_leaf, t->tsa_root };

	al_fg_jstr(root, "mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
	arr = al_fg_jarr(root, "tlogs");
	if (!tsa_only)
		al_fg_jpush(arr, log_json("https://" AL_FG_LOG_HOST, t->rekor, rekor_start, rekor_end));
	arr = al_fg_jarr(root, "certificateAuthorities");
	al_fg_jpush(arr, authority_json("airlock.test", "airlock-forge-fulcio-root", "https://fulcio.airlock.test",
					fulcio, 2, 0));
	arr = al_fg_jarr(root, "ctlogs");
	if (!tsa_only)
		al_fg_jpush(arr, log_json("https://ctfe.airlock.test", t->ctlog, 0, 0));
	arr = al_fg_jarr(root, "timestampAuthorities");
	if (!ca_only)
		al_fg_jpush(arr, authority_json("airlock.test", "airlock-forge-tsa", "https://tsa.airlock.test", tsa,
						2, tsa_end));
	return al_fg_sprintf("%s\n", al_fg_jprint(root));
}

static char *
trusted_root_json(int64_t rekor_start, int64_t rekor_end, int64_t tsa_end)
{
	return trusted_root_json_x(rekor_start, rekor_end, tsa_end, false, false);
}

void
al_fg_trust_write(const char *outdir)
{
	const al_fg_trust *t = &al_fg_tr;
	const char *dir = al_fg_sprintf("%s/trust", outdir);

	al_fg_mkdirs(dir);
	al_fg_write(al_fg_sprintf("%s/trusted_root.json", dir), al_bytes_str(trusted_root_json(0, 0, 0)));
	/* the log key's validFor ends 3 s before every case's integratedTime
	 * (AL_FG_T0 + 3), or a minute after it */
	al_fg_write(al_fg_sprintf("%s/trusted_root-log-expired.json", dir), al_bytes_str(trusted_root_json(0, AL_FG_T0, 0)));
	/* the TSA's validFor ends before every timestamp's genTime */
	al_fg_write(al_fg_sprintf("%s/trusted_root-tsa-expired.json", dir),
		    al_bytes_str(trusted_root_json(0, 0, AL_FG_T0)));
	/* the log key's validFor starts at the integratedTime (AL_FG_T0 + 3),
	 * after the RFC 3161 genTimes (AL_FG_T0 + 2) */
	al_fg_write(al_fg_sprintf("%s/trusted_root-log-late.json", dir),
		    al_bytes_str(trusted_root_json(AL_FG_T0 + 3, 0, 0)));
	/* GitHub's instance: a CA and a TSA, no transparency log, no CT log */
	al_fg_write(al_fg_sprintf("%s/trusted_root-tsa-only.json", dir),
		    al_bytes_str(trusted_root_json_x(0, 0, 0, true, false)));
	/* a CA alone: no log, no CT log, no TSA */
	al_fg_write(al_fg_sprintf("%s/trusted_root-ca-only.json", dir),
		    al_bytes_str(trusted_root_json_x(0, 0, 0, true, true)));
	/* as `gh attestation trusted-root` writes them: public-good, then GitHub's */
	al_fg_write(al_fg_sprintf("%s/trusted_roots-instances.jsonl", dir),
		    al_bytes_str(al_fg_sprintf("%s%s", trusted_root_json(0, 0, 0), trusted_root_json_x(0, 0, 0, true, false))));
	al_fg_write(al_fg_sprintf("%s/trusted_root-tsa-only-expired.json", dir),
		    al_bytes_str(trusted_root_json_x(0, 0, AL_FG_T0, true, false)));
	al_fg_write(al_fg_sprintf("%s/trusted_root-log-valid.json", dir),
		    al_bytes_str(trusted_root_json(0, AL_FG_T0 + 63, 0)));
	al_fg_write(al_fg_sprintf("%s/cosign.pub", dir), al_bytes_str(t->cosign->pub_pem));
	al_fg_write(al_fg_sprintf("%s/rsa.pub", dir), al_bytes_str(t->rsa->pub_pem));
	al_fg_write(al_fg_sprintf("%s/cosign-other.pub", dir), al_bytes_str(t->cosign_other->pub_pem));
	al_fg_write(al_fg_sprintf("%s/third.pub", dir), al_bytes_str(t->third->pub_pem));
	al_fg_write(al_fg_sprintf("%s/rekor.pub", dir), al_bytes_str(t->rekor->pub_pem));
	al_fg_write(al_fg_sprintf("%s/rekor-other.pub", dir), al_bytes_str(t->rekor_other->pub_pem));
	al_fg_write(al_fg_sprintf("%s/ctlog.pub", dir), al_bytes_str(t->ctlog->pub_pem));
	al_fg_write(al_fg_sprintf("%s/fulcio-chain.pem", dir), al_bytes_str(t->fulcio_chain_pem));
	al_fg_write(al_fg_sprintf("%s/tsa-chain.pem", dir),
		    al_bytes_str(al_fg_sprintf("%s%s", t->tsa_leaf->pem, t->tsa_root->pem)));
	al_fg_write(al_fg_sprintf("%s/pki-root.pem", dir), al_bytes_str(t->pki_root->pem));
	al_fg_write(al_fg_sprintf("%s/pki-other-root.pem", dir), al_bytes_str(t->pki_other_root->pem));
	al_fg_write(al_fg_sprintf("%s/pki-intermediates.pem", dir), al_bytes_str(t->pki_inter->pem));
	al_fg_write(al_fg_sprintf("%s/pki-leaf.pem", dir), al_bytes_str(t->pki_leaf->pem));
}
