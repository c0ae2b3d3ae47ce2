/*
 * checkpoint.c — checkpoints: C2SP signed notes with a tlog-checkpoint body.
 *
 * The note is attacker-supplied text. It is parsed to exactly one meaning
 * (canonical base64, canonical decimal, no stray control characters or
 * blank lines) and its signatures are checked under the log key the caller
 * supplies, by the rule of the log that wrote it: Rekor v1 accepts only
 * lines by its own key, C2SP notes (Rekor v2) ignore lines by unknown keys
 * such as witnesses.
 */
#include <stdio.h>
#include <string.h>

#include "tlog/tlog.h"

#define ERR(...) al_err_set(err, AL_E_TLOG_CHECKPOINT, "checkpoint: " __VA_ARGS__)

static const uint8_t em_dash_sp[] = { 0xE2, 0x80, 0x94, ' ' };

/* ---------------------------------------------------------------- text checks */

/* Unicode White_Space (what Go's unicode.IsSpace reports). */
static bool
is_space(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

/* signed-note: key names are non-empty, without Unicode spaces or '+'. */
static bool
valid_key_name(al_bytes name)
{
	size_t i = 0, len;
	uint32_t cp;

	if (name.n == 0)
		return false;
	while (i < name.n) {
		len = al_utf8_decode(name.p + i, name.n - i, &cp);
		if (len == 0 || is_space(cp) || cp == '+')
			return false;
		i += len;
	}
	return true;
}

/* Canonical decimal: digits only, no leading zero except "0" itself. */
static bool
parse_size(al_bytes s, uint64_t *out)
{
	uint64_t v = 0;

	if (s.n == 0 || s.n > 20 || (s.n > 1 && s.p[0] == '0'))
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(s.p[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = v;
	return true;
}

/* ---------------------------------------------------------------- parse */

static al_rc
parse_text(al_bytes text, al_checkpoint *cp, al_err *err)
{
	al_rd r = al_rd_of(text);
	al_bytes line[3];
	size_t nlines = 0;
	al_buf root = { 0 };
	al_rc rc;

	/* count lines first so that a missing line is named as such, instead
	 * of the next line being misread in its place */
	for (size_t i = 0; i < text.n; i++)
		nlines += text.p[i] == '\n';
	if (nlines < 3)
		return ERR("the text has %zu line%s; it needs an origin, a tree size and a root hash",
			   nlines, nlines == 1 ? "" : "s");
	for (int i = 0; i < 3; i++)
		line[i] = al_rd_until(&r, '\n');
	if (line[0].n == 0)
		return ERR("missing origin (the first line is empty)");
	if (line[1].n == 0)
		return ERR("missing tree size (the second line is empty)");
	if (line[2].n == 0)
		return ERR("missing root hash (the third line is empty)");
	cp->origin = line[0];
	if (!parse_size(line[1], &cp->size))
		return ERR("tree size \"%.*s\" is not a canonical decimal number", (int)(line[1].n > 40 ? 40 : line[1].n),
			   (const char *)line[1].p);
	if (cp->size > AL_MAX_TREE_SIZE)
		return al_err_set(err, AL_E_LIMIT, "checkpoint: tree size %llu exceeds the limit of %llu",
				  (unsigned long long)cp->size, (unsigned long long)AL_MAX_TREE_SIZE);
	if ((rc = al_b64_decode(line[2], false, &root, err)) != AL_OK) {
		al_buf_free(&root);
		return al_err_recode(err, AL_E_TLOG_CHECKPOINT, "checkpoint: root hash");
	}
	if (root.n != AL_TLOG_HASH_LEN) {
		size_t n = root.n;

		al_buf_free(&root);
		return ERR("root hash is %zu bytes, want %d", n, AL_TLOG_HASH_LEN);
	}
	memcpy(cp->root, root.p, AL_TLOG_HASH_LEN);
	al_buf_free(&root);

	cp->extensions = al_bytes_of(r.p, r.n);
	while (r.n > 0) {
		al_bytes ext = al_rd_until(&r, '\n');

		/* text always ends in "\n", so the read cannot fail */
		if (!al_rd_ok(&r))
			return al_err_set(err, AL_E_INTERNAL, "checkpoint: unterminated line");
		if (ext.n == 0)
			return ERR("extension line %zu is empty", cp->n_extensions + 1);
		cp->n_extensions++;
	}
	return AL_OK;
}

static al_rc
parse_sigs(al_bytes block, al_checkpoint *cp, al_err *err)
{
	al_rd r = al_rd_of(block);
	size_t off[AL_MAX_NOTE_SIGS];
	al_buf tmp = { 0 };
	al_rc rc = AL_OK;

	/* decoded base64 is shorter than the text: no reallocation below, but
	 * the slices are still set only once sigbuf is complete */
	if ((rc = al_buf_reserve(&cp->sigbuf, block.n, err)) != AL_OK)
		return rc;
	while (r.n > 0) {
		al_bytes line = al_rd_until(&r, '\n'), name, b64;
		al_note_sig *s;
		size_t i = cp->nsigs;

		if (!al_rd_ok(&r)) {
			rc = ERR("signature line %zu does not end in a newline", i + 1);
			break;
		}
		if (i >= AL_MAX_NOTE_SIGS) {
			rc = al_err_set(err, AL_E_LIMIT, "checkpoint: more than %d signature lines",
					AL_MAX_NOTE_SIGS);
			break;
		}
		if (line.n < sizeof(em_dash_sp) || memcmp(line.p, em_dash_sp, sizeof(em_dash_sp)) != 0) {
			rc = ERR("signature line %zu does not start with \"\xE2\x80\x94 \"", i + 1);
			break;
		}
		line.p += sizeof(em_dash_sp);
		line.n -= sizeof(em_dash_sp);
		name = line;
		b64 = al_bytes_of(NULL, 0);
		for (size_t k = 0; k < line.n; k++) {
			if (line.p[k] == ' ') {
				name.n = k;
				b64 = al_bytes_of(line.p + k + 1, line.n - k - 1);
				break;
			}
		}
		if (!valid_key_name(name)) {
			rc = ERR("signature line %zu: key name \"%.*s\" is empty or has a space or '+'", i + 1,
				 (int)(name.n > 64 ? 64 : name.n), (const char *)name.p);
			break;
		}
		if (b64.n == 0) {
			rc = ERR("signature line %zu (%.*s): no signature", i + 1, (int)(name.n > 64 ? 64 : name.n),
				 (const char *)name.p);
			break;
		}
		if ((rc = al_b64_decode(b64, false, &tmp, err)) != AL_OK) {
			rc = al_err_recode(err, AL_E_TLOG_CHECKPOINT, "checkpoint: signature line %zu (%.*s)", i + 1,
					   (int)(name.n > 64 ? 64 : name.n), (const char *)name.p);
			break;
		}
		if (tmp.n < 5) {
			rc = ERR("signature line %zu (%.*s): %zu bytes, less than a key ID and a signature", i + 1,
				 (int)(name.n > 64 ? 64 : name.n), (const char *)name.p, tmp.n);
			break;
		}
		s = &cp->sigs[i];
		s->name = name;
		s->line = line;
		{
			al_rd sr = al_rd_of(al_buf_bytes(&tmp));
			al_bytes rest;

			s->key_id = al_rd_be32(&sr);
			rest = al_rd_take(&sr, sr.n);
			off[i] = cp->sigbuf.n;
			s->sig.n = rest.n;
			if ((rc = al_buf_append(&cp->sigbuf, rest.p, rest.n, err)) != AL_OK)
				break;
		}
		cp->nsigs++;
	}
	al_buf_free(&tmp);
	if (rc != AL_OK)
		return rc;
	for (size_t i = 0; i < cp->nsigs; i++)
		cp->sigs[i].sig.p = cp->sigbuf.p + off[i];
	return AL_OK;
}

al_rc
al_checkpoint_parse(al_bytes note, al_checkpoint *cp, al_err *err)
{
	size_t i, split;
	bool found = false;
	al_rc rc;

	memset(cp, 0, sizeof(*cp));
	if (note.n == 0 || note.p == NULL)
		return ERR("empty");
	if (note.n > AL_MAX_CHECKPOINT)
		return al_err_set(err, AL_E_LIMIT, "checkpoint: %zu bytes exceeds the limit of %u", note.n,
				  AL_MAX_CHECKPOINT);
	for (i = 0; i < note.n;) {
		uint32_t c;
		size_t len = al_utf8_decode(note.p + i, note.n - i, &c);

		if (len == 0)
			return ERR("invalid UTF-8 at byte %zu", i);
		if (c < 0x20 && c != '\n')
			return ERR("control character 0x%02x at byte %zu", (unsigned)c, i);
		i += len;
	}
	/* the signatures follow the last blank line: the text may not hide a
	 * second signature block that a different reader would pick */
	for (i = note.n - 1; i > 0; i--) {
		if (note.p[i - 1] == '\n' && note.p[i] == '\n') {
			split = i - 1;
			found = true;
			break;
		}
	}
	if (!found)
		return ERR("no blank line separates the text from the signatures");
	cp->text = al_bytes_of(note.p, split + 1);
	if (split + 2 == note.n)
		return ERR("no signature lines after the blank line");
	if (note.p[note.n - 1] != '\n')
		return ERR("the last signature line does not end in a newline");
	if ((rc = parse_text(cp->text, cp, err)) != AL_OK ||
	    (rc = parse_sigs(al_bytes_of(note.p + split + 2, note.n - split - 2), cp, err)) != AL_OK) {
		al_checkpoint_free(cp);
		return rc;
	}
	return AL_OK;
}

void
al_checkpoint_free(al_checkpoint *cp)
{
	if (cp == NULL)
		return;
	al_buf_free(&cp->sigbuf);
	memset(cp, 0, sizeof(*cp));
}

bool
al_checkpoint_is_rekor_v1(const al_checkpoint *cp)
{
	const uint8_t *p = cp->origin.p;
	size_t n = cp->origin.n, d = 0;

	while (d < n && p[n - 1 - d] >= '0' && p[n - 1 - d] <= '9')
		d++;
	return d > 0 && n - d >= 3 && memcmp(p + n - d - 3, " - ", 3) == 0;
}

/* ---------------------------------------------------------------- verify */

al_rc
al_note_key_hash(const al_pubkey *k, al_bytes name, uint8_t out[32], al_err *err)
{
	static const char rsa_id[] = "PKIX-RSA-PKCS#1v1.5";
	uint8_t full[AL_HASH_MAX];
	uint8_t type;
	al_hash_ctx c;

	switch (k->kind) {
	case AL_KEY_ECDSA_P256:
	case AL_KEY_ECDSA_P384:
	case AL_KEY_ECDSA_P521:
		/* rekor-tiles keeps the pre-C2SP form: the key ID ignores the name */
		memcpy(out, k->spki_sha256, 32);
		return AL_OK;
	case AL_KEY_ED25519:
		type = 0x01;
		break;
	case AL_KEY_RSA_PKCS1V15:
	case AL_KEY_RSA_PSS:
	case AL_KEY_RSA_ANY:
		type = 0xFF;
		break;
	default:
		return al_err_set(err, AL_E_CRYPTO_KEY, "checkpoint: no note key ID is defined for a %s key",
				  al_key_kind_name(k->kind));
	}
	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, name.p, name.n);
	al_hash_update(&c, "\n", 1);
	al_hash_update(&c, &type, 1);
	if (type == 0x01) {
		al_hash_update(&c, k->ed25519, 32);
	} else {
		al_hash_update(&c, rsa_id, sizeof(rsa_id) - 1);
		al_hash_update(&c, k->spki.p, k->spki.n);
	}
	al_hash_final(&c, full);
	memcpy(out, full, 32);
	return AL_OK;
}

/* The big-endian integer at the start of a hash or signature that is
 * known to be long enough. */
static uint32_t
be32(const uint8_t *p)
{
	al_rd r = al_rd_of(al_bytes_of(p, 4));

	return al_rd_be32(&r);
}

static uint64_t
be64(const uint8_t *p)
{
	al_rd r = al_rd_of(al_bytes_of(p, 8));

	return al_rd_be64(&r);
}

/* A signature by the log key that does not verify rejects the whole note
 * (signed-note: "clients SHOULD reject"; Go's note.Open does). The hash is
 * the key's (the trust root's keyDetails), as sigstore-go loads it. */
static al_rc
verify_line(const al_checkpoint *cp, size_t i, const al_pubkey *k, al_hash h, al_err *err)
{
	const al_note_sig *s = &cp->sigs[i];
	al_rc rc = al_sig_verify(k, h, cp->text, s->sig, err);

	if (rc == AL_OK)
		return AL_OK;
	if (rc == AL_E_CRYPTO_SIG)
		return al_err_recode(err, AL_E_TLOG_CHECKPOINT,
				     "checkpoint: signature line %zu (%.*s+%08x) by the log key does not verify",
				     i + 1, (int)(s->name.n > 64 ? 64 : s->name.n), (const char *)s->name.p,
				     (unsigned)s->key_id);
	al_err_prefix(err, "checkpoint: signature line %zu", i + 1);
	return rc;
}

al_rc
al_checkpoint_verify(const al_checkpoint *cp, al_note_profile profile, const al_pubkey *log_key,
		     al_bytes log_name, al_note_report *rep, al_err *err)
{
	al_note_report local;
	uint8_t kh[32];
	uint32_t want;
	al_rc rc;

	if (rep == NULL)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	if (cp->nsigs == 0)
		return ERR("no signature lines");

	if (profile == AL_NOTE_REKOR_V1) {
		/* rekor SignedNote.Verify: the key hint is SHA-256(SPKI)[:4] for
		 * any key type, and every line must be the log's */
		want = be32(log_key->spki_sha256);
		for (size_t i = 0; i < cp->nsigs; i++) {
			const al_note_sig *s = &cp->sigs[i];

			if (s->key_id != want)
				return ERR("signature line %zu (%.*s) has key hint %08x, not the log key's %08x",
					   i + 1, (int)(s->name.n > 64 ? 64 : s->name.n), (const char *)s->name.p,
					   (unsigned)s->key_id, (unsigned)want);
			rc = verify_line(cp, i, log_key, AL_HASH_NONE, err);
			if (rc != AL_OK)
				return rc;
			rep->status[i] = AL_NOTE_SIG_VERIFIED;
			rep->verified++;
		}
		return AL_OK;
	}
	if (profile != AL_NOTE_C2SP)
		return al_err_set(err, AL_E_INTERNAL, "checkpoint: unknown verification profile %d", (int)profile);

	if (log_name.n == 0)
		return al_err_set(err, AL_E_INTERNAL, "checkpoint: no log name to verify a signed note with");
	if (!al_bytes_eq(cp->origin, log_name))
		return ERR("origin \"%.*s\" is not the log's name \"%.*s\"",
			   (int)(cp->origin.n > 128 ? 128 : cp->origin.n), (const char *)cp->origin.p,
			   (int)(log_name.n > 128 ? 128 : log_name.n), (const char *)log_name.p);
	if ((rc = al_note_key_hash(log_key, log_name, kh, err)) != AL_OK)
		return rc;
	want = be32(kh);
	for (size_t i = 0; i < cp->nsigs; i++) {
		const al_note_sig *s = &cp->sigs[i];

		if (s->key_id != want || !al_bytes_eq(s->name, log_name)) {
			rep->ignored++;
			/* tlog-cosignature/v1: u64 timestamp (< 2^63) || Ed25519 signature */
			if (s->sig.n == 72 && !(s->sig.p[0] & 0x80)) {
				rep->status[i] = AL_NOTE_SIG_COSIGNATURE;
				rep->cosig_time[i] = be64(s->sig.p);
				rep->cosignatures++;
			}
			continue;
		}
		if (rep->verified > 0) {
			rep->status[i] = AL_NOTE_SIG_REPEATED;
			continue;
		}
		if ((rc = verify_line(cp, i, log_key, AL_HASH_NONE, err)) != AL_OK)
			return rc;
		rep->status[i] = AL_NOTE_SIG_VERIFIED;
		rep->verified++;
	}
	if (rep->verified == 0) {
		char id[9];

		snprintf(id, sizeof(id), "%08x", (unsigned)want);
		return ERR("no signature by the log key %.*s+%s among %zu line%s",
			   (int)(log_name.n > 128 ? 128 : log_name.n), (const char *)log_name.p, id, cp->nsigs,
			   cp->nsigs == 1 ? "" : "s");
	}
	return AL_OK;
}

al_rc
al_cosignature_verify(const al_checkpoint *cp, size_t i, const al_pubkey *witness, al_bytes name,
		      uint64_t *timestamp, al_err *err)
{
	const al_note_sig *s;
	uint8_t full[AL_HASH_MAX], type = 0x04;
	uint64_t ts;
	al_hash_ctx c;
	al_buf msg = { 0 };
	al_rc rc;

	if (i >= cp->nsigs)
		return al_err_set(err, AL_E_INTERNAL, "checkpoint: no signature line %zu", i + 1);
	s = &cp->sigs[i];
	if (witness->kind != AL_KEY_ED25519)
		return al_err_set(err, AL_E_CRYPTO_KEY, "checkpoint: a cosignature key must be Ed25519, not %s",
				  al_key_kind_name(witness->kind));
	al_hash_init(&c, AL_HASH_SHA256);
	al_hash_update(&c, name.p, name.n);
	al_hash_update(&c, "\n", 1);
	al_hash_update(&c, &type, 1);
	al_hash_update(&c, witness->ed25519, 32);
	al_hash_final(&c, full);
	if (!al_bytes_eq(s->name, name) || s->key_id != be32(full))
		return ERR("signature line %zu is not by the witness %.*s+%08x", i + 1,
			   (int)(name.n > 128 ? 128 : name.n), (const char *)name.p, (unsigned)be32(full));
	if (s->sig.n != 72 || (s->sig.p[0] & 0x80))
		return ERR("signature line %zu: %zu bytes are not a timestamped Ed25519 cosignature", i + 1, s->sig.n);
	ts = be64(s->sig.p);
	if ((rc = al_buf_appendf(&msg, err, "cosignature/v1\ntime %llu\n", (unsigned long long)ts)) == AL_OK &&
	    (rc = al_buf_append(&msg, cp->text.p, cp->text.n, err)) == AL_OK)
		rc = al_sig_verify(witness, AL_HASH_NONE, al_buf_bytes(&msg), al_bytes_of(s->sig.p + 8, 64), err);
	al_buf_free(&msg);
	if (rc == AL_E_CRYPTO_SIG)
		return al_err_recode(err, AL_E_TLOG_CHECKPOINT, "checkpoint: cosignature line %zu (%.*s) does not verify",
				     i + 1, (int)(name.n > 128 ? 128 : name.n), (const char *)name.p);
	if (rc == AL_OK && timestamp)
		*timestamp = ts;
	return rc;
}

al_rc
al_checkpoint_matches(const al_checkpoint *cp, uint64_t size, al_bytes root, al_err *err)
{
	char a[2 * AL_TLOG_HASH_LEN + 1], b[2 * AL_TLOG_HASH_LEN + 1];

	if (cp->size != size)
		return ERR("tree size %llu differs from the inclusion proof's %llu",
			   (unsigned long long)cp->size, (unsigned long long)size);
	if (root.n != AL_TLOG_HASH_LEN || !al_ct_eq(cp->root, root.p, AL_TLOG_HASH_LEN)) {
		al_hex_encode(cp->root, AL_TLOG_HASH_LEN, a);
		if (root.n == AL_TLOG_HASH_LEN)
			al_hex_encode(root.p, AL_TLOG_HASH_LEN, b);
		else
			snprintf(b, sizeof(b), "(%zu bytes)", root.n);
		return ERR("root hash %s differs from the inclusion proof's %s", a, b);
	}
	return AL_OK;
}
