/*
 * test_vsa.c — Verification Summary Attestations (docs/vsa.md): signing
 * keys (PKCS#8 Ed25519 and P-256, and what is refused), deterministic
 * signatures against RFC 6979 and RFC 8032 vectors, the statement's fields,
 * and every check of verify-vsa with its failing twin.
 *
 * The PEM keys below were made for this test with `openssl genpkey`
 * (Ed25519, EC P-256, EC P-384, RSA 1024), `openssl pkey -aes256`
 * (encrypted) and `openssl ec` (the traditional EC format).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/ecp.h>

#include "util/testutil.h"
#include "crypto/crypto.h"
#include "sigstore/sigstore.h"
#include "verify/verify.h"

static const char ED_PEM[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIBLRngTe57mu4HsljifpoHSQqYhDyDeAkqEl1OUGPUN+\n"
	"-----END PRIVATE KEY-----\n";

static const char EC_PEM[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguyMbkce0SRfEZxe5\n"
	"X5TrgOqN5m6KazQPgvqf1M6QqxihRANCAATnNhgS7dBjC5pc8GcTEfnH3dnFAKfK\n"
	"zxdZluSinE8Sa1HyPUuXMxBJwkIeW9QhdGZNTutn9GeL71zcdUzU2e86\n"
	"-----END PRIVATE KEY-----\n";

static const char P384_PEM[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAwtForoox5CUJ9mvuH\n"
	"WVlYzYf8QKaiHm6F4lofRwVYjcCUtq16q3D+4/zSFZbK6+ChZANiAAQa/UkDUt8s\n"
	"1oNRUHvno+vBI6OIjEQwSMEOuykfY7WKrPLKJDLDFO9vJXToGkNkGhPE7UamTTP9\n"
	"IQptne32u4LyCH/26yu+nCKGm65L6vBcG0yEhvBoUscuYD7CSmEQrGk=\n"
	"-----END PRIVATE KEY-----\n";

static const char RSA_PEM[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMnOOY/6hZeT/O5l\n"
	"xrf+M0j+8g9N7Yd63Lj9H3dBCQ2valxZDoYfDxGoFpd0Hx3tkxX2TTbrp3Sc4NUp\n"
	"dc+Rz1WZ+uzg71hhibcyKJGYcCpUFkUt792m5e6r159mI6zOw+UBo9zeD2HFVnYf\n"
	"ByifUytAsvSxUBATyU7TCNDUUgZFAgMBAAECgYBkE3TQRbhCNw1TW/1z+QeNx4Ba\n"
	"vpZwfSlAQ6Z7CTFoK/le2nstX/GlG+o4KUnVGZ+7YG1iMvLUDYghrXHTAcgDFekS\n"
	"eX2zf/CFI/YoWUMGEG00y259c+HK39bCNuR3Pu2FiJiQW1GxPkBMA7RxU1/XifSp\n"
	"0Lm1eqtb/ekp+f8u8QJBAOZIfPbRLZgyPm7EcKWkqwa7y+sBm94hIndLLY+xHiaK\n"
	"d+BQ9wyWhM4QlLPjMk1opA0ys+wwVYcNsABoW+yTBbMCQQDgV5jy6DfZaRN2VC7x\n"
	"QYfINSiw9hBci7ctQemuEKVhAsnPIp7VFFFTAuCZa/L7StL+mRU3J25EQjNG6Z5Q\n"
	"HzgnAkBr7fWDyK5R8tqIF9GkEPWHhmUgk/R1u5nnx3hnLGAxOBzPKaNgZvt/iQ3o\n"
	"8ccVuMGK3gSt4klzrtqalk7fJlk5AkEAvA2x0CyIZF6ISfBXSTS9NT4aVfxtyqXz\n"
	"bqSJ1bduaduEf3Vt3v+hDAylaPXsQGmAZJq+BfWvoNg9U3wRkOgakQJAcs5rndbj\n"
	"jW9D3eB6H5whaBs88TViI8FAkiG+Fyk6JioY1tKgw/M63REYct0eJy+tn09/fLwA\n"
	"aLr2pDq5FyTYhw==\n"
	"-----END PRIVATE KEY-----\n";

static const char ENC_PEM[] =
	"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
	"MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAg0UZdPehyTRgICCAAw\n"
	"DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEEYINwqt/mdZdp2gVUbtGX4EQNli\n"
	"OtdNUzMGqxom7O8oJyWqriwnSgZcMfpwi7UZLbOGkC6R7vVaMkctcypYhncMC4fR\n"
	"qaaiMt15eIZVmzFkIds=\n"
	"-----END ENCRYPTED PRIVATE KEY-----\n";

static const char TRAD_PEM[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEILsjG5HHtEkXxGcXuV+U64DqjeZuims0D4L6n9TOkKsYoAoGCCqGSM49\n"
	"AwEHoUQDQgAE5zYYEu3QYwuaXPBnExH5x93ZxQCnys8XWZbkopxPEmtR8j1LlzMQ\n"
	"ScJCHlvUIXRmTU7rZ/Rni+9c3HVM1NnvOg==\n"
	"-----END EC PRIVATE KEY-----\n";

static const char EC_PUB[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5zYYEu3QYwuaXPBnExH5x93ZxQCn\n"
	"ys8XWZbkopxPEmtR8j1LlzMQScJCHlvUIXRmTU7rZ/Rni+9c3HVM1NnvOg==\n"
	"-----END PUBLIC KEY-----\n";

static const char ED_PUB[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MCowBQYDK2VwAyEARqd8U7J/KrOBqTBswieVaR/SuPhfO3HOm4DVm+cMrQk=\n"
	"-----END PUBLIC KEY-----\n";

/* ================================================================ keys */

static void
load(const char *pem, al_privkey *k, al_rc want, const char *msg)
{
	al_err e;

	al_privkey_init(k);
	al_err_clear(&e);
	ck_assert_rc(al_privkey_from_pem(al_bytes_str(pem), k, &e), want, &e);
	if (msg)
		ck_assert_err_has(&e, msg);
}

START_TEST(key_ed25519_and_p256_parse)
{
	al_privkey k;
	al_pubkey pub;
	al_err e;

	load(ED_PEM, &k, AL_OK, NULL);
	ck_assert_int_eq(k.kind, AL_KEY_ED25519);
	al_pubkey_init(&pub);
	ck_assert_ok(al_pubkey_from_pem(al_bytes_str(ED_PUB), &pub, &e), &e);
	/* the public half is the one openssl derives */
	ck_assert(al_pubkey_eq(&pub, &k.pub));
	al_pubkey_free(&pub);
	al_privkey_free(&k);

	load(EC_PEM, &k, AL_OK, NULL);
	ck_assert_int_eq(k.kind, AL_KEY_ECDSA_P256);
	ck_assert_ok(al_pubkey_from_pem(al_bytes_str(EC_PUB), &pub, &e), &e);
	ck_assert(al_pubkey_eq(&pub, &k.pub));
	al_pubkey_free(&pub);
	al_privkey_free(&k);
	ck_assert_int_eq(k.kind, AL_KEY_NONE);
}
END_TEST

START_TEST(key_refusals_say_why)
{
	al_privkey k;

	load(RSA_PEM, &k, AL_E_CRYPTO_KEY, "RSA keys do not sign VSAs");
	load(P384_PEM, &k, AL_E_CRYPTO_KEY, "P-384");
	load(ENC_PEM, &k, AL_E_CRYPTO_KEY, "encrypted private keys are not supported");
	load(TRAD_PEM, &k, AL_E_CRYPTO_KEY, "\"EC PRIVATE KEY\"");
	load(EC_PUB, &k, AL_E_CRYPTO_KEY, "\"PUBLIC KEY\"");
	load("garbage, not a key\n", &k, AL_E_CRYPTO_KEY, "no PEM block");
	load("-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n", &k, AL_E_CRYPTO_KEY,
	     "malformed");
	ck_assert_int_eq(k.kind, AL_KEY_NONE);
}
END_TEST

START_TEST(key_pkcs8_public_key_must_match)
{
	/* Ed25519 OneAsymmetricKey v2 whose publicKey is not the seed's */
	al_buf der = al_test_hex("3051020101300506032b657004220420"
				 "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
				 "812100"
				 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511b");
	al_privkey k;
	al_err e;

	al_privkey_init(&k);
	ck_assert_rc(al_privkey_from_pkcs8(al_buf_bytes(&der), &k, &e), AL_E_CRYPTO_KEY, &e);
	ck_assert_err_has(&e, "does not belong");
	/* the same with the right public key */
	der.p[der.n - 1] ^= 0x01;
	ck_assert_ok(al_privkey_from_pkcs8(al_buf_bytes(&der), &k, &e), &e);
	al_privkey_free(&k);
	al_buf_free(&der);
}
END_TEST

/* ================================================================ deterministic signatures */

static int
test_rng(void *ctx, unsigned char *out, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)(i * 7 + 1);
	return 0;
}

/* RFC 6979 A.2.5, P-256 with SHA-256, message "sample" */
START_TEST(p256_rfc6979_sample)
{
	al_buf der = al_test_hex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"
				 "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
	al_buf ux = al_test_hex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6");
	al_buf kk = al_test_hex("a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60");
	al_buf want = al_test_hex("3046"
				  "022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
				  "022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
	al_privkey k;
	al_buf sig = { 0 }, sig2 = { 0 };
	mbedtls_mpi kn;
	mbedtls_ecp_point R;
	uint8_t x[32];
	al_err e;

	al_privkey_init(&k);
	ck_assert_ok(al_privkey_from_pkcs8(al_buf_bytes(&der), &k, &e), &e);
	/* the key's public point is the RFC's */
	ck_assert_int_eq(k.pub.spki.n, 91);
	ck_assert_mem_eq(k.pub.spki.p + 27, ux.p, 32);
	ck_assert_ok(al_sign(&k, al_bytes_str("sample"), &sig, &e), &e);
	ck_assert_uint_eq(sig.n, want.n);
	ck_assert_mem_eq(sig.p, want.p, want.n);
	/* the nonce was the RFC's k: r is the x coordinate of kG */
	mbedtls_mpi_init(&kn);
	mbedtls_ecp_point_init(&R);
	ck_assert_int_eq(mbedtls_mpi_read_binary(&kn, kk.p, kk.n), 0);
	ck_assert_int_eq(mbedtls_ecp_mul(&k.grp, &R, &kn, &k.grp.G, test_rng, NULL), 0);
	ck_assert_int_eq(mbedtls_mpi_write_binary(&R.MBEDTLS_PRIVATE(X), x, 32), 0);
	ck_assert_mem_eq(x, want.p + 5, 32);
	/* and again: the same bytes */
	ck_assert_ok(al_sign(&k, al_bytes_str("sample"), &sig2, &e), &e);
	ck_assert_mem_eq(sig2.p, sig.p, sig.n);
	mbedtls_mpi_free(&kn);
	mbedtls_ecp_point_free(&R);
	al_privkey_free(&k);
	al_buf_free(&sig);
	al_buf_free(&sig2);
	al_buf_free(&der);
	al_buf_free(&ux);
	al_buf_free(&kk);
	al_buf_free(&want);
}
END_TEST

/* RFC 8032 §7.1, TEST 1 (empty message) */
START_TEST(ed25519_rfc8032_test1)
{
	al_buf der = al_test_hex("302e020100300506032b657004220420"
				 "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
	al_buf pk = al_test_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	al_buf want = al_test_hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
				  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	al_privkey k;
	al_buf sig = { 0 };
	al_err e;

	al_privkey_init(&k);
	ck_assert_ok(al_privkey_from_pkcs8(al_buf_bytes(&der), &k, &e), &e);
	ck_assert_mem_eq(k.pub.ed25519, pk.p, 32);
	ck_assert_ok(al_sign(&k, al_bytes_of(NULL, 0), &sig, &e), &e);
	ck_assert_uint_eq(sig.n, 64);
	ck_assert_mem_eq(sig.p, want.p, 64);
	al_privkey_free(&k);
	al_buf_free(&sig);
	al_buf_free(&der);
	al_buf_free(&pk);
	al_buf_free(&want);
}
END_TEST

/* ================================================================ statements */

#define DIGEST "sha256:46ff9e09a3aa7d227d5e4b28a259024a72e1b1791533e2fb58e8754e23bc55ac"
#define OTHER "sha256:56ff9e09a3aa7d227d5e4b28a259024a72e1b1791533e2fb58e8754e23bc55ac"
#define INPUT "sha256:09177137169ecdd6f8a055ea892577d8fc786f6d0c57ee761e822b4f6b5b3507"
#define POLICY "sha256:3e7f086c7926a5a331abeb80d926c94eb8b11b99ed82046369f10e170f0d5c25"

static const char *const names[] = { "registry.example/app:1.0" };
static const char *const inputs[] = { INPUT };
static const char *const types[] = { "application/vnd.dev.cosign.simplesigning.v1+json" };

static al_vsa_input
input(bool passed)
{
	al_vsa_input in = {
		.subject_names = names, .nnames = 1, .subject_digest = DIGEST,
		.verifier_id = "https://verifier.example/airlock", .time_verified = "2026-01-02T03:04:05Z",
		.resource_uri = "file:///media/bundle.tar", .policy_uri = "urn:airlock:policy:command-line",
		.policy_digest = POLICY, .inputs = inputs, .input_types = types, .ninputs = 1, .passed = passed,
		.level = "SLSA_BUILD_LEVEL_0",
	};
	return in;
}

START_TEST(statement_fields)
{
	al_vsa_input in = input(true);
	al_buf st = { 0 };
	al_err e;
	static const char want[] =
		"{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"inputAttestations\":[{\"digest\":"
		"{\"sha256\":\"09177137169ecdd6f8a055ea892577d8fc786f6d0c57ee761e822b4f6b5b3507\"},\"mediaType\":"
		"\"application/vnd.dev.cosign.simplesigning.v1+json\"}],\"policy\":{\"digest\":{\"sha256\":"
		"\"3e7f086c7926a5a331abeb80d926c94eb8b11b99ed82046369f10e170f0d5c25\"},\"uri\":"
		"\"urn:airlock:policy:command-line\"},\"resourceUri\":\"file:///media/bundle.tar\",\"slsaVersion\":"
		"\"1.0\",\"timeVerified\":\"2026-01-02T03:04:05Z\",\"verificationResult\":\"PASSED\","
		"\"verifiedLevels\":[\"SLSA_BUILD_LEVEL_0\"],\"verifier\":{\"id\":\"https://verifier.example/airlock\"}},"
		"\"predicateType\":\"https://slsa.dev/verification_summary/v1\",\"subject\":[{\"digest\":{\"sha256\":"
		"\"46ff9e09a3aa7d227d5e4b28a259024a72e1b1791533e2fb58e8754e23bc55ac\"},\"name\":"
		"\"registry.example/app:1.0\"}]}";
	al_intoto_statement s;

	ck_assert_ok(al_vsa_statement(&in, &st, &e), &e);
	ck_assert_uint_eq(st.n, strlen(want));
	ck_assert_mem_eq(st.p, want, st.n);
	/* an in-toto statement our own parser reads */
	memset(&s, 0, sizeof(s));
	ck_assert_ok(al_intoto_parse(al_bytes_str(AL_INTOTO_PAYLOAD_TYPE), al_buf_bytes(&st), &s, &e), &e);
	ck_assert_int_eq(s.version, 2);
	al_intoto_free(&s);
	/* FAILED says so in both fields */
	in = input(false);
	ck_assert_ok(al_vsa_statement(&in, &st, &e), &e);
	ck_assert_ptr_nonnull(strstr((const char *)st.p, "\"verificationResult\":\"FAILED\",\"verifiedLevels\":[\"FAILED\"]"));
	/* a name with a quote and a control character stays one JSON string */
	static const char *const odd[] = { "a\"b\nc" };
	in = input(true);
	in.subject_names = odd;
	ck_assert_ok(al_vsa_statement(&in, &st, &e), &e);
	ck_assert_ptr_nonnull(strstr((const char *)st.p, "\"name\":\"a\\\"b\\u000ac\""));
	al_buf_free(&st);
}
END_TEST

/* ================================================================ verify-vsa */

typedef struct signed_vsa {
	al_buf dsse, bundle;
} signed_vsa;

static al_privkey ed;
static al_pubkey ed_pub, ec_pub;

static void
keys_setup(void)
{
	al_err e;
	al_buf der = al_test_hex("302e020100300506032b657004220420"
				 "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

	al_privkey_init(&ed);
	al_pubkey_init(&ed_pub);
	al_pubkey_init(&ec_pub);
	ck_assert_ok(al_privkey_from_pkcs8(al_buf_bytes(&der), &ed, &e), &e);
	ck_assert_ok(al_pubkey_from_spki(al_buf_bytes(&ed.pub.spki), &ed_pub, &e), &e);
	ck_assert_ok(al_pubkey_from_pem(al_bytes_str(EC_PUB), &ec_pub, &e), &e);
	al_buf_free(&der);
}

static void
keys_teardown(void)
{
	al_privkey_free(&ed);
	al_pubkey_free(&ed_pub);
	al_pubkey_free(&ec_pub);
}

static signed_vsa
make(const char *payload_type, const char *statement)
{
	signed_vsa v = { { 0 }, { 0 } };
	al_err e;

	ck_assert_ok(al_vsa_sign(&ed, al_bytes_str(payload_type), al_bytes_str(statement), &v.dsse, &v.bundle, &e), &e);
	return v;
}

static char *
statement(bool passed)
{
	al_vsa_input in = input(passed);
	al_buf st = { 0 };
	al_err e;

	ck_assert_ok(al_vsa_statement(&in, &st, &e), &e);
	return (char *)st.p; /* al_buf keeps a NUL after its data */
}

static void
free_vsa(signed_vsa *v)
{
	al_buf_free(&v->dsse);
	al_buf_free(&v->bundle);
}

static al_vsa_check_opts
opts(void)
{
	al_vsa_check_opts o = { .vsa_path = "t", .key_path = "k", .subject_digest = DIGEST,
				.verifier_id = "https://verifier.example/airlock", .level = "SLSA_BUILD_LEVEL_0" };
	return o;
}

/* al_vsa_check of file under key: want the code, and a message naming the field */
static void
expect(al_bytes file, const al_pubkey *key, const al_vsa_check_opts *o, al_rc want, const char *field)
{
	al_err e;

	al_err_clear(&e);
	ck_assert_rc(al_vsa_check(file, key, o, NULL, &e), want, &e);
	if (field)
		ck_assert_msg(strncmp(e.msg, field, strlen(field)) == 0, "message \"%s\" does not start with \"%s\"",
			      e.msg, field);
}

START_TEST(vsa_good_is_accepted_in_both_forms)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();
	al_buf sum = { 0 };
	al_err e;

	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_OK, NULL);
	expect(al_buf_bytes(&v.bundle), &ed_pub, &o, AL_OK, NULL);
	/* the bundle is one a Sigstore bundle parser accepts as it is */
	al_sigstore_bundle b;
	memset(&b, 0, sizeof(b));
	ck_assert_ok(al_sigstore_bundle_parse(al_buf_bytes(&v.bundle), &b, &e), &e);
	ck_assert_int_eq(b.version, 3);
	ck_assert_int_eq(b.vm, AL_SIGSTORE_VM_PUBLIC_KEY);
	ck_assert_uint_eq(b.ntlog, 0);
	al_sigstore_bundle_free(&b);
	/* without the optional checks; a higher level of the track asked for fails */
	o.verifier_id = NULL;
	o.level = NULL;
	ck_assert_ok(al_vsa_check(al_buf_bytes(&v.dsse), &ed_pub, &o, &sum, &e), &e);
	ck_assert_ptr_nonnull(strstr((const char *)sum.p, "result PASSED"));
	/* signing twice gives the same bytes */
	signed_vsa w = make(AL_INTOTO_PAYLOAD_TYPE, st);
	ck_assert_uint_eq(w.dsse.n, v.dsse.n);
	ck_assert_mem_eq(w.dsse.p, v.dsse.p, v.dsse.n);
	ck_assert_mem_eq(w.bundle.p, v.bundle.p, v.bundle.n);
	free_vsa(&w);
	free_vsa(&v);
	al_buf_free(&sum);
	free(st);
}
END_TEST

/* An envelope with these parts, in the layout al_vsa_sign writes. */
static al_buf
envelope(al_bytes payload_type, al_bytes payload, al_bytes sig)
{
	al_buf b = { 0 };
	al_err e;

	ck_assert_ok(al_buf_appendf(&b, &e, "{\"payload\":\""), &e);
	ck_assert_ok(al_b64_encode(payload, &b, &e), &e);
	ck_assert_ok(al_buf_appendf(&b, &e, "\",\"payloadType\":\"%.*s\",\"signatures\":[{\"sig\":\"", (int)payload_type.n,
				    (const char *)payload_type.p), &e);
	ck_assert_ok(al_b64_encode(sig, &b, &e), &e);
	ck_assert_ok(al_buf_appendf(&b, &e, "\"}]}"), &e);
	return b;
}

START_TEST(vsa_payload_byte_changed)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_dsse_envelope env;
	al_vsa_check_opts o = opts();
	al_err e;

	memset(&env, 0, sizeof(env));
	ck_assert_ok(al_dsse_envelope_parse(al_buf_bytes(&v.dsse), &env, &e), &e);
	/* the untampered envelope rebuilt is accepted: the twin differs in one byte */
	al_buf same = envelope(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), al_buf_bytes(&env.sigs[0].sig));
	expect(al_buf_bytes(&same), &ed_pub, &o, AL_OK, NULL);
	env.payload.p[strlen("{\"_type\":\"https://in-toto.io/Statement/v")] = '2';
	al_buf bad = envelope(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), al_buf_bytes(&env.sigs[0].sig));
	expect(al_buf_bytes(&bad), &ed_pub, &o, AL_E_CRYPTO_SIG, "signature:");
	al_buf_free(&same);
	al_buf_free(&bad);
	al_dsse_envelope_free(&env);
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_signature_bit_flipped)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_dsse_envelope env;
	al_vsa_check_opts o = opts();
	al_err e;

	memset(&env, 0, sizeof(env));
	ck_assert_ok(al_dsse_envelope_parse(al_buf_bytes(&v.dsse), &env, &e), &e);
	env.sigs[0].sig.p[10] ^= 0x04;
	al_buf bad = envelope(al_buf_bytes(&env.payload_type), al_buf_bytes(&env.payload), al_buf_bytes(&env.sigs[0].sig));
	expect(al_buf_bytes(&bad), &ed_pub, &o, AL_E_CRYPTO_SIG, "signature:");
	al_buf_free(&bad);
	al_dsse_envelope_free(&env);
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_wrong_key)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();

	expect(al_buf_bytes(&v.dsse), &ec_pub, &o, AL_E_CRYPTO_SIG, "signature:");
	expect(al_buf_bytes(&v.bundle), &ec_pub, &o, AL_E_CRYPTO_SIG, "signature:");
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_other_subject)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();

	o.subject_digest = OTHER;
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "subject:");
	o.subject_digest = "sha256:zz";
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_USAGE, "--subject-digest");
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_other_verifier)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();

	o.verifier_id = "https://verifier.example/other";
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "verifier.id:");
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_failed_result)
{
	char *st = statement(false);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();

	o.level = NULL;
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "verificationResult:");
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_missing_level)
{
	char *st = statement(true);
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, st);
	al_vsa_check_opts o = opts();

	o.level = "SLSA_BUILD_LEVEL_1";
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "verifiedLevels:");
	o.level = "SLSA_SOURCE_LEVEL_0";
	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "verifiedLevels:");
	free_vsa(&v);
	free(st);
	/* a higher level of the track meets a lower request */
	char *base = statement(true);
	char *hi = al_test_mutate(base, "SLSA_BUILD_LEVEL_0", "SLSA_BUILD_LEVEL_3");
	signed_vsa h = make(AL_INTOTO_PAYLOAD_TYPE, hi);
	o.level = "SLSA_BUILD_LEVEL_2";
	expect(al_buf_bytes(&h.dsse), &ed_pub, &o, AL_OK, NULL);
	o.level = "SLSA_BUILD_LEVEL_4";
	expect(al_buf_bytes(&h.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "verifiedLevels:");
	free_vsa(&h);
	free(hi);
	free(base);
}
END_TEST

START_TEST(vsa_wrong_payload_type)
{
	char *st = statement(true);
	signed_vsa v = make("application/json", st);
	al_vsa_check_opts o = opts();

	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "payloadType:");
	free_vsa(&v);
	free(st);
}
END_TEST

START_TEST(vsa_wrong_predicate_type)
{
	char *st = statement(true);
	char *other = al_test_mutate(st, "https://slsa.dev/verification_summary/v1", "https://slsa.dev/provenance/v1");
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, other);
	al_vsa_check_opts o = opts();

	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "predicateType:");
	free_vsa(&v);
	free(other);
	free(st);
}
END_TEST

START_TEST(vsa_statement_v01)
{
	char *st = statement(true);
	char *old = al_test_mutate(st, "https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1");
	signed_vsa v = make(AL_INTOTO_PAYLOAD_TYPE, old);
	al_vsa_check_opts o = opts();

	expect(al_buf_bytes(&v.dsse), &ed_pub, &o, AL_E_VERIFY_FAILED, "_type:");
	free_vsa(&v);
	free(old);
	free(st);
}
END_TEST

START_TEST(vsa_not_a_vsa)
{
	al_vsa_check_opts o = opts();

	expect(al_bytes_str("{"), &ed_pub, &o, AL_E_VERIFY_FAILED, "not a VSA");
	expect(al_bytes_str("{\"payload\":\"\"}"), &ed_pub, &o, AL_E_VERIFY_FAILED, "DSSE envelope");
	expect(al_bytes_str("{\"mediaType\":\"x\"}"), &ed_pub, &o, AL_E_VERIFY_FAILED, "Sigstore bundle");
}
END_TEST

/* ================================================================ writing (common/file.c) */

START_TEST(write_never_replaces_or_follows)
{
	char dir[] = "/tmp/test_vsa.XXXXXX", path[256], target[256], buf[16];
	int dfd, fd;
	ssize_t n;
	al_err e;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
	/* an existing name is never replaced */
	snprintf(path, sizeof(path), "%s/name", dir);
	ck_assert_int_ge(fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644), 0);
	ck_assert_int_eq(write(fd, "old", 3), 3);
	close(fd);
	ck_assert_ok(al_dir_write_tmp(dfd, ".tmp", al_bytes_str("new"), &e), &e);
	ck_assert_rc(al_dir_rename(dfd, ".tmp", "name", true, &e), AL_E_IO, &e);
	ck_assert_err_has(&e, "exists");
	ck_assert_int_ge(fd = open(path, O_RDONLY), 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ck_assert_int_eq(n, 3);
	ck_assert_mem_eq(buf, "old", 3);
	/* a symbolic link at the name is not followed, and not replaced */
	snprintf(target, sizeof(target), "%s/target", dir);
	ck_assert_int_eq(symlinkat(target, dfd, "link"), 0);
	ck_assert_rc(al_dir_rename(dfd, ".tmp", "link", true, &e), AL_E_IO, &e);
	ck_assert_int_ne(access(target, F_OK), 0);
	/* nor at the temporary name */
	ck_assert_int_eq(symlinkat(target, dfd, ".tmp2"), 0);
	ck_assert_rc(al_dir_write_tmp(dfd, ".tmp2", al_bytes_str("x"), &e), AL_E_IO, &e);
	ck_assert_int_ne(access(target, F_OK), 0);
	/* a free name takes the file */
	ck_assert_ok(al_dir_rename(dfd, ".tmp", "fresh", true, &e), &e);
	ck_assert_int_eq(faccessat(dfd, ".tmp", F_OK, AT_SYMLINK_NOFOLLOW), -1);
	ck_assert_int_eq(faccessat(dfd, "fresh", F_OK, 0), 0);
	unlinkat(dfd, "name", 0);
	unlinkat(dfd, "link", 0);
	unlinkat(dfd, ".tmp2", 0);
	unlinkat(dfd, "fresh", 0);
	close(dfd);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vsa");
	TCase *keys = tcase_create("keys"), *sig = tcase_create("deterministic"), *st = tcase_create("statement"),
	      *chk = tcase_create("verify-vsa"), *wr = tcase_create("write");

	tcase_add_test(keys, key_ed25519_and_p256_parse);
	tcase_add_test(keys, key_refusals_say_why);
	tcase_add_test(keys, key_pkcs8_public_key_must_match);
	tcase_add_test(sig, p256_rfc6979_sample);
	tcase_add_test(sig, ed25519_rfc8032_test1);
	tcase_add_test(st, statement_fields);
	tcase_add_checked_fixture(chk, keys_setup, keys_teardown);
	tcase_add_test(chk, vsa_good_is_accepted_in_both_forms);
	tcase_add_test(chk, vsa_payload_byte_changed);
	tcase_add_test(chk, vsa_signature_bit_flipped);
	tcase_add_test(chk, vsa_wrong_key);
	tcase_add_test(chk, vsa_other_subject);
	tcase_add_test(chk, vsa_other_verifier);
	tcase_add_test(chk, vsa_failed_result);
	tcase_add_test(chk, vsa_missing_level);
	tcase_add_test(chk, vsa_wrong_payload_type);
	tcase_add_test(chk, vsa_wrong_predicate_type);
	tcase_add_test(chk, vsa_statement_v01);
	tcase_add_test(chk, vsa_not_a_vsa);
	suite_add_tcase(s, keys);
	suite_add_tcase(s, sig);
	suite_add_tcase(s, st);
	tcase_add_test(wr, write_never_replaces_or_follows);
	suite_add_tcase(s, chk);
	suite_add_tcase(s, wr);
	return al_test_run(s);
}
