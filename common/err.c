/*
 * err.c — the one error type. Messages grow context at each level on the
 * way up; the code stays fixed unless a module re-classifies it.
 */
#include <stdio.h>
#include <string.h>

#include "common/common.h"

void
al_err_clear(al_err *err)
{
	if (err == NULL)
		return;
	err->code = AL_OK;
	err->msg[0] = '\0';
}

al_rc
al_err_vset(al_err *err, al_rc code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

al_rc
al_err_set(al_err *err, al_rc code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	al_err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

static void vprefix(al_err *err, const char *fmt, va_list ap) AL_PRINTF(2, 0);
static void
vprefix(al_err *err, const char *fmt, va_list ap)
{
	char pre[AL_ERR_MSG_MAX];
	char old[AL_ERR_MSG_MAX];
	int n;

	n = vsnprintf(pre, sizeof(pre), fmt, ap);
	if (n <= 0)
		return;
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	/* "pre: old"; truncation keeps the start, which names the outer context.
	 * Built by hand: snprintf would warn (rightly) that it may truncate. */
	{
		size_t cap = sizeof(err->msg) - 1, at = 0, pn = (size_t)n, on = strlen(old);

		if (pn > cap)
			pn = cap;
		memcpy(err->msg, pre, pn);
		at = pn;
		if (on && at + 2 <= cap) {
			memcpy(err->msg + at, ": ", 2);
			at += 2;
			if (on > cap - at)
				on = cap - at;
			memcpy(err->msg + at, old, on);
			at += on;
		}
		err->msg[at] = '\0';
	}
}

al_rc
al_err_prefix(al_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return AL_E_INTERNAL;
	va_start(ap, fmt);
	vprefix(err, fmt, ap);
	va_end(ap);
	return err->code;
}

al_rc
al_err_recode(al_err *err, al_rc code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vprefix(err, fmt, ap);
	va_end(ap);
	return code;
}

int
al_rc_exit(al_rc code)
{
	switch (code) {
	case AL_OK:
		return 0;
	case AL_E_USAGE:
	case AL_E_IO:
	case AL_E_NOMEM:
		return 2;
	case AL_E_VERIFY_NOTHING:
		return 3;
	case AL_E_TRUST_INVALID:
	case AL_E_TRUST_STALE:
		return 4;
	default:
		/* Anything else, including codes added later and not listed
		 * here, is a failed verification: never "success". */
		return 1;
	}
}

const char *
al_rc_name(al_rc code)
{
	switch (code) {
	case AL_OK: return "ok";
	case AL_E_USAGE: return "usage";
	case AL_E_IO: return "io";
	case AL_E_NOMEM: return "out-of-memory";
	case AL_E_LIMIT: return "limit";
	case AL_E_DECODE: return "decode";
	case AL_E_JSON: return "json";
	case AL_E_INTERNAL: return "internal";
	case AL_E_CRYPTO_KEY: return "key";
	case AL_E_CRYPTO_SIG: return "signature";
	case AL_E_CRYPTO_DIGEST: return "digest";
	case AL_E_CRYPTO_CERT: return "certificate";
	case AL_E_CRYPTO_TIME: return "time";
	case AL_E_CRYPTO_TSA: return "timestamp";
	case AL_E_CRYPTO_SCT: return "sct";
	case AL_E_TLOG_PROOF: return "tlog-inclusion-proof";
	case AL_E_TLOG_CHECKPOINT: return "tlog-checkpoint";
	case AL_E_TLOG_SET: return "tlog-set";
	case AL_E_TLOG_BODY: return "tlog-body";
	case AL_E_TLOG_NONE: return "tlog-none";
	case AL_E_TRUST_INVALID: return "trust-invalid";
	case AL_E_TRUST_STALE: return "trust-stale";
	case AL_E_BUNDLE_FORMAT: return "bundle-format";
	case AL_E_BUNDLE_BLOB: return "bundle-blob";
	case AL_E_BUNDLE_UNSAFE: return "bundle-unsafe";
	case AL_E_VERIFY_FAILED: return "verify-failed";
	case AL_E_VERIFY_POLICY: return "policy";
	case AL_E_VERIFY_IDENTITY: return "identity";
	case AL_E_VERIFY_NOTHING: return "nothing-to-verify";
	case AL_E_VERIFY_NOTSIGNER: return "not-signer";
	}
	return "unknown";
}
