/*
 * artifact.c — the thing a signature must be over: a file or a digest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verify/internal.h"

al_rc
al_artifact_init(al_artifact *a, const char *arg, al_err *err)
{
	static const al_hash algs[] = { AL_HASH_SHA256, AL_HASH_SHA384, AL_HASH_SHA512 };
	struct stat st;

	memset(a, 0, sizeof(*a));
	if (arg == NULL || arg[0] == '\0')
		return al_err_set(err, AL_E_USAGE, "no artifact given: name a file or sha256:<hex>");
	for (size_t i = 0; i < AL_ARRAY_LEN(algs); i++) {
		const char *name = al_hash_name(algs[i]);
		size_t nl = strlen(name), hl = 2 * al_hash_len(algs[i]);

		if (strncmp(arg, name, nl) != 0 || arg[nl] != ':')
			continue;
		if (strlen(arg + nl + 1) != hl ||
		    al_hex_decode(al_bytes_of(arg + nl + 1, hl), a->d[algs[i]], al_hash_len(algs[i]), NULL) != AL_OK) {
			/* a file could be named like this, but a mistyped digest is far likelier */
			if (stat(arg, &st) != 0)
				return al_err_set(err, AL_E_USAGE,
						  "artifact '%s': not %zu hex digits after '%s:' and no such file",
						  arg, hl, name);
			break;
		}
		a->given_alg = algs[i];
		a->have[algs[i]] = true;
		return AL_OK;
	}
	if (stat(arg, &st) != 0)
		return al_err_set(err, AL_E_IO, "artifact %s: %s", arg, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return al_err_set(err, AL_E_IO, "artifact %s: not a regular file", arg);
	if ((unsigned long long)st.st_size > AL_MAX_ARTIFACT)
		return al_err_set(err, AL_E_LIMIT, "artifact %s: %lld bytes, more than the limit of %llu", arg,
				  (long long)st.st_size, (unsigned long long)AL_MAX_ARTIFACT);
	a->path = arg;
	return AL_OK;
}

static al_rc
hash_file(const char *path, al_hash alg, uint8_t out[AL_HASH_MAX], al_err *err)
{
	int fd;
	al_rc rc;

	/* al_artifact_init's stat judged a name; this judges what was opened
	 * (a FIFO swapped in since would block the read forever) */
	if ((rc = al_open_regular(path, "artifact ", &fd, err)) != AL_OK)
		return rc;
	rc = al_hash_fd(fd, alg, AL_MAX_ARTIFACT, out, NULL, err);
	close(fd);
	return rc == AL_OK ? AL_OK : al_err_prefix(err, "artifact %s", path);
}

al_rc
al_artifact_digest(al_artifact *a, al_hash alg, const uint8_t **out, al_err *err)
{
	al_rc rc;

	*out = NULL;
	if (alg == AL_HASH_NONE || (unsigned)alg >= AL_ARRAY_LEN(a->have))
		return al_err_set(err, AL_E_VERIFY_FAILED, "unsupported digest algorithm");
	if (!a->have[alg]) {
		if (a->path == NULL)
			return al_err_set(err, AL_E_VERIFY_FAILED,
					  "the bundle uses %s, but the artifact was given as a %s digest: "
					  "give the artifact file instead",
					  al_hash_name(alg), al_hash_name(a->given_alg));
		if ((rc = hash_file(a->path, alg, a->d[alg], err)) != AL_OK)
			return rc;
		a->have[alg] = true;
	}
	*out = a->d[alg];
	return AL_OK;
}

al_rc
al_artifact_bytes(const al_artifact *a, al_buf *out, al_err *err)
{
	if (a->path == NULL)
		return al_err_set(err, AL_E_VERIFY_FAILED,
				  "an Ed25519 signature covers the whole artifact, not its digest: "
				  "give the artifact file instead of a digest");
	return al_read_file(a->path, AL_MAX_PAYLOAD, out, err);
}

void
al_artifact_describe(const al_artifact *a, char *out, size_t cap)
{
	if (a->path != NULL) {
		snprintf(out, cap, "%s", a->path);
	} else {
		char hex[2 * AL_HASH_MAX + 1];

		al_hex_encode(a->d[a->given_alg], al_hash_len(a->given_alg), hex);
		snprintf(out, cap, "%s:%s", al_hash_name(a->given_alg), hex);
	}
}
