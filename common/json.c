/*
 * json.c — strict JSON on cJSON.
 *
 * cJSON is lenient where a verifier must not be: it does not reject
 * duplicate keys (the same document would then mean different things to
 * airlock and to another reader), does not check UTF-8, truncates strings at
 * an escaped NUL, and carries numbers as doubles. Those gaps are closed here,
 * before and after cJSON parses.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "common/common.h"

_Static_assert(AL_JSON_MAX_DEPTH == CJSON_NESTING_LIMIT,
	       "common/limits.h AL_JSON_MAX_DEPTH must equal CJSON_NESTING_LIMIT in cmake/deps.cmake");

/* ---------------------------------------------------------------- input checks */

/* A byte that can be part of a number or literal token. */
static bool
token_byte(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' ||
	       c == '-';
}

/* What cJSON lets through and other readers refuse (a message; *bad_at
 * where), or NULL: an escaped NUL (\u0000) would be cut off by
 * cJSON's C strings, so that "a\u0000b" and "a" compare equal; control
 * characters must be escaped inside strings (RFC 8259 §7); outside them
 * cJSON skips every byte up to 0x20 (a NUL, a form feed) as whitespace,
 * where JSON has four (§2); and it reads 01, -01 or 1. as a number, which
 * JSON's grammar does not have (§6). */
static const char *
text_unclean(al_bytes in, size_t *bad_at)
{
	static const char *const in_string =
		"JSON: unescaped control character or escaped NUL in a string";
	bool in_str = false;

	for (size_t i = 0; i < in.n; i++) {
		uint8_t c = in.p[i];

		if (!in_str) {
			*bad_at = i;
			if (c == '"') {
				in_str = true;
			} else if (c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return "JSON: control character outside a string";
			} else if ((c == '0' || c == '-') && (i == 0 || !token_byte(in.p[i - 1]))) {
				size_t k = i + (c == '-');

				if (k + 1 < in.n && in.p[k] == '0' && in.p[k + 1] >= '0' && in.p[k + 1] <= '9')
					return "JSON: a number with a leading zero";
			} else if (c == '.' && (i + 1 >= in.n || in.p[i + 1] < '0' || in.p[i + 1] > '9')) {
				/* outside strings a '.' is only ever a number's fraction */
				return "JSON: a fraction with no digit";
			}
			continue;
		}
		*bad_at = i;
		if (c == '"') {
			in_str = false;
		} else if (c < 0x20) {
			return in_string;
		} else if (c == '\\') {
			if (i + 1 >= in.n)
				return in_string;
			if (in.p[i + 1] == 'u' && i + 5 < in.n && in.p[i + 2] == '0' && in.p[i + 3] == '0' &&
			    in.p[i + 4] == '0' && in.p[i + 5] == '0')
				return in_string;
			i++; /* skip the escaped character */
		}
	}
	return NULL;
}

/*
 * Size, depth and value counts, checked on the text before cJSON allocates
 * anything. cJSON builds a ~64-byte node for every value before walk() below
 * could count them, so a 16 MiB "[0,0,0,...]" (8M values) used to cost
 * hundreds of MB before it was refused. This scan is linear, allocates
 * nothing, and refuses with the messages walk() uses; for a well-formed
 * document it counts exactly what walk() counts (every value but the root:
 * object members and array elements) and reports depth the same way (the
 * root is at depth 1, a value inside n containers at depth n + 1). It does
 * not judge syntax: cJSON still does, and walk() still runs after it.
 */
static bool
is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static al_rc
prescan(al_bytes in, size_t max_members, al_err *err)
{
	size_t open = 0, count = 0, i = 0;

	while (i < in.n) {
		uint8_t c = in.p[i];
		bool value = true;

		if (is_ws(c) || c == ',' || c == ':') {
			i++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (open)
				open--;
			i++;
			continue;
		}
		if (c == '"') {
			size_t k;

			for (i++; i < in.n && in.p[i] != '"'; i++)
				if (in.p[i] == '\\')
					i++;
			i++;
			/* a string followed by ':' is a key: walk() counts the member once, by its value */
			for (k = i; k < in.n && is_ws(in.p[k]); k++)
				;
			if (k < in.n && in.p[k] == ':')
				value = false;
		} else if (c == '{' || c == '[') {
			i++;
		} else {
			/* a number or literal (or garbage cJSON will refuse): one token */
			for (i++; i < in.n && !is_ws(in.p[i]) && in.p[i] != ',' && in.p[i] != ':' && in.p[i] != ']' &&
				  in.p[i] != '}' && in.p[i] != '[' && in.p[i] != '{' && in.p[i] != '"';
			     i++)
				;
		}
		if (value && open > 0) {
			if (open + 1 > AL_JSON_MAX_DEPTH)
				return al_err_set(err, AL_E_LIMIT, "JSON: nesting deeper than %d", AL_JSON_MAX_DEPTH);
			if (++count > max_members)
				return al_err_set(err, AL_E_LIMIT, "JSON: more than %zu values", max_members);
		}
		if (c == '{' || c == '[')
			open++;
	}
	return AL_OK;
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Walks the tree: counts nodes, checks depth, finds duplicate keys. */
static al_rc
walk(const cJSON *j, unsigned depth, size_t *count, al_err *err)
{
	const cJSON *c;
	size_t k = 0, i;
	const char **keys;
	al_rc rc = AL_OK;

	if (depth > AL_JSON_MAX_DEPTH)
		return al_err_set(err, AL_E_LIMIT, "JSON: nesting deeper than %d", AL_JSON_MAX_DEPTH);
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return AL_OK;
	for (c = j->child; c; c = c->next) {
		if (++*count > AL_MAX_JSON_MEMBERS)
			return al_err_set(err, AL_E_LIMIT, "JSON: more than %d values", AL_MAX_JSON_MEMBERS);
		k++;
		if ((rc = walk(c, depth + 1, count, err)) != AL_OK)
			return rc;
	}
	if (!cJSON_IsObject(j) || k < 2)
		return AL_OK;
	keys = malloc(k * sizeof(*keys));
	if (keys == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	for (i = 0, c = j->child; c; c = c->next)
		keys[i++] = c->string ? c->string : "";
	qsort(keys, k, sizeof(*keys), cmp_keys);
	for (i = 1; i < k; i++) {
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			rc = al_err_set(err, AL_E_JSON, "JSON: duplicate key \"%.64s\"", keys[i]);
			break;
		}
	}
	free(keys);
	return rc;
}

/* What al_json_parse checks on the text, before cJSON builds anything
 * (al_json_parse_elems: with the bounds of a document never built whole). */
static al_rc
text_checks(al_bytes in, size_t max_doc, size_t max_members, al_err *err)
{
	size_t bad = 0;
	const char *unclean;

	if (in.n > max_doc)
		return al_err_set(err, AL_E_LIMIT, "JSON: document of %zu bytes exceeds the limit of %zu",
				  in.n, max_doc);
	if (in.n == 0)
		return al_err_set(err, AL_E_JSON, "JSON: empty document");
	if (!al_utf8_valid(in, &bad))
		return al_err_set(err, AL_E_JSON, "JSON: invalid UTF-8 at byte %zu", bad);
	if ((unclean = text_unclean(in, &bad)) != NULL)
		return al_err_set(err, AL_E_JSON, "%s at byte %zu", unclean, bad);
	return prescan(in, max_members, err);
}

/* The tree of a text that passed text_checks, checked as a tree. */
static al_rc
tree_of_checked(al_bytes in, al_json **out, al_err *err)
{
	const char *end = NULL;
	cJSON *j;
	size_t count = 0;
	al_rc rc;

	*out = NULL;
	j = cJSON_ParseWithLengthOpts((const char *)in.p, in.n, &end, false);
	if (j == NULL) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= (const char *)in.p && at <= (const char *)in.p + in.n
			? (size_t)(at - (const char *)in.p) : 0;

		return al_err_set(err, AL_E_JSON, "JSON: syntax error near byte %zu", off);
	}
	for (const char *p = end; p && p < (const char *)in.p + in.n; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			cJSON_Delete(j);
			return al_err_set(err, AL_E_JSON, "JSON: unexpected data after the value at byte %zu",
					  (size_t)(p - (const char *)in.p));
		}
	}
	if ((rc = walk(j, 1, &count, err)) != AL_OK) {
		cJSON_Delete(j);
		return rc;
	}
	*out = j;
	return AL_OK;
}

al_rc
al_json_parse(al_bytes in, al_json **out, al_err *err)
{
	al_rc rc;

	*out = NULL;
	if ((rc = text_checks(in, AL_MAX_JSON_DOC, AL_MAX_JSON_MEMBERS, err)) != AL_OK)
		return rc;
	return tree_of_checked(in, out, err);
}

void
al_json_free(al_json *j)
{
	cJSON_Delete(j);
}

/* ---------------------------------------------------------------- one array, an element at a time */

static size_t
skip_ws(al_bytes in, size_t i)
{
	while (i < in.n && is_ws(in.p[i]))
		i++;
	return i;
}

/* The end of the value at i (one past its last byte), or 0 when its text
 * cannot be a value: a structural scan only (strings, brackets); cJSON
 * judges the syntax inside. */
static size_t
value_end(al_bytes in, size_t i)
{
	/* the closer each open bracket needs: '{' ... ']' is not a value */
	char want[AL_JSON_MAX_DEPTH + 1];
	size_t depth = 0;

	if (i >= in.n || in.p[i] == ',' || in.p[i] == ']' || in.p[i] == '}' || in.p[i] == ':')
		return 0;
	if (in.p[i] != '{' && in.p[i] != '[' && in.p[i] != '"') {
		/* a number or a literal: nothing else may be in the token (cJSON
		 * would skip a byte-order mark that starts it) */
		for (; i < in.n && !is_ws(in.p[i]) && in.p[i] != ',' && in.p[i] != ']' && in.p[i] != '}'; i++) {
			uint8_t c = in.p[i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
			      c == '-' || c == '.'))
				return 0;
		}
		return i;
	}
	for (; i < in.n; i++) {
		uint8_t c = in.p[i];

		if (c == '"') {
			for (i++; i < in.n && in.p[i] != '"'; i++)
				if (in.p[i] == '\\')
					i++;
			if (i >= in.n)
				return 0;
			if (depth == 0)
				return i + 1;
		} else if (c == '{' || c == '[') {
			if (depth == sizeof(want))
				return 0;
			want[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (depth == 0 || want[depth - 1] != (char)c)
				return 0;
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

/* The text of the top-level member key's array value, [*s, *e) from its
 * '[' to past its ']', and its element count; false when the key is not
 * there as written, its value is not an array, or the text around it is
 * not well formed (al_json_parse then judges the whole, as before). */
static bool
find_array(al_bytes in, const char *key, size_t *s, size_t *e, size_t *n)
{
	size_t i = skip_ws(in, 0), klen = strlen(key), ke, ve;

	if (i >= in.n || in.p[i] != '{')
		return false;
	i = skip_ws(in, i + 1);
	while (i < in.n && in.p[i] == '"') {
		if ((ke = value_end(in, i)) == 0)
			return false;
		bool match = ke - i - 2 == klen && memcmp(in.p + i + 1, key, klen) == 0;

		i = skip_ws(in, ke);
		if (i >= in.n || in.p[i] != ':')
			return false;
		i = skip_ws(in, i + 1);
		if ((ve = value_end(in, i)) == 0)
			return false;
		if (match) {
			size_t k, cnt = 0;

			if (in.p[i] != '[')
				return false;
			/* the elements' separators: value (',' value)* */
			k = skip_ws(in, i + 1);
			if (k < ve - 1) {
				for (;;) {
					size_t end = value_end(in, k);

					if (end == 0 || end > ve - 1)
						return false;
					cnt++;
					k = skip_ws(in, end);
					if (k == ve - 1)
						break;
					if (in.p[k] != ',')
						return false;
					k = skip_ws(in, k + 1);
				}
			}
			*s = i;
			*e = ve;
			*n = cnt;
			return true;
		}
		i = skip_ws(in, ve);
		if (i < in.n && in.p[i] == ',')
			i = skip_ws(in, i + 1);
		else
			break;
	}
	return false;
}

/* The element at v->pos into v->cur (the previous one freed), checked as
 * al_json_parse checks a document; v->pos moves past it. */
static al_rc
elem_parse(al_json_elems *v, al_err *err)
{
	const char *end = NULL, *base = (const char *)v->doc.p;
	size_t ve, count = 0;
	al_rc rc;

	cJSON_Delete(v->cur);
	v->cur = NULL;
	/* find_array scanned these bounds already */
	if ((ve = value_end(v->doc, v->pos)) == 0 || ve > v->end)
		return al_err_set(err, AL_E_INTERNAL, "JSON: element %zu moved", v->i);
	/* the whole text was held to the bounds of a document never built
	 * whole: an element is built whole, so it is held to a document's
	 * before cJSON builds it */
	if (ve - v->pos > AL_MAX_JSON_DOC)
		return al_err_set(err, AL_E_LIMIT, "JSON: an element of %zu bytes exceeds the limit of %u",
				  ve - v->pos, AL_MAX_JSON_DOC);
	if ((rc = prescan(al_bytes_of(base + v->pos, ve - v->pos), AL_MAX_JSON_MEMBERS, err)) != AL_OK)
		return rc;
	v->cur = cJSON_ParseWithLengthOpts(base + v->pos, ve - v->pos, &end, false);
	if (v->cur == NULL) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= base && at <= base + v->doc.n ? (size_t)(at - base) : v->pos;

		return al_err_set(err, AL_E_JSON, "JSON: syntax error near byte %zu", off);
	}
	if (end != base + ve)
		return al_err_set(err, AL_E_JSON, "JSON: syntax error near byte %zu", (size_t)(end - base));
	v->pos = skip_ws(v->doc, ve);
	if (v->pos < v->end && v->doc.p[v->pos] == ',')
		v->pos = skip_ws(v->doc, v->pos + 1);
	v->i++;
	/* at depth 3 in the document: the root, the array, the element */
	return walk(v->cur, 3, &count, err);
}

al_rc
al_json_parse_elems(al_bytes in, const char *key, al_json **rest, al_json_elems *v, al_err *err)
{
	size_t s, e, n;
	uint8_t *copy;
	al_rc rc;

	*rest = NULL;
	memset(v, 0, sizeof(*v));
	v->doc = in;
	/* the whole text, as al_json_parse checks it (its size and values
	 * counted against the bounds of a document never built whole), before
	 * anything is built */
	if ((rc = text_checks(in, AL_MAX_JSON_STREAM_DOC, AL_MAX_JSON_STREAM_MEMBERS, err)) != AL_OK)
		return rc;
	if (!find_array(in, key, &s, &e, &n)) {
		/* not lifted: the whole tree, and the elements from it, so the
		 * bounds of a whole tree */
		if ((rc = text_checks(in, AL_MAX_JSON_DOC, AL_MAX_JSON_MEMBERS, err)) != AL_OK ||
		    (rc = tree_of_checked(in, rest, err)) != AL_OK)
			return rc;
		v->tree = cJSON_GetObjectItemCaseSensitive(*rest, key);
		if (!cJSON_IsArray(v->tree))
			v->tree = NULL;
		v->tree_at = v->tree ? v->tree->child : NULL;
		return AL_OK;
	}
	/* the rest: the same text with the array empty */
	if ((copy = malloc(in.n - (e - s) + 2)) == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	memcpy(copy, in.p, s);
	memcpy(copy + s, "[]", 2);
	memcpy(copy + s + 2, in.p + e, in.n - e);
	/* the text checks hold for it too (what was cut out is a bracketed
	 * value that starts and ends outside strings), but for the bounds: it
	 * is built whole, so it is held to a document's */
	rc = text_checks(al_bytes_of(copy, in.n - (e - s) + 2), AL_MAX_JSON_DOC, AL_MAX_JSON_MEMBERS, err);
	if (rc == AL_OK)
		rc = tree_of_checked(al_bytes_of(copy, in.n - (e - s) + 2), rest, err);
	free(copy);
	if (rc != AL_OK) {
		/* its message in the document's own offsets, from the whole
		 * tree, built only within a whole tree's bounds */
		al_json *whole = NULL;
		al_err scratch;

		if (rc != AL_E_NOMEM && rc != AL_E_LIMIT &&
		    text_checks(in, AL_MAX_JSON_DOC, AL_MAX_JSON_MEMBERS, &scratch) == AL_OK &&
		    tree_of_checked(in, &whole, err) == AL_OK) {
			/* cannot be: the array's text was scanned as values */
			al_json_free(whole);
			return al_err_set(err, AL_E_INTERNAL, "JSON: the document without its %s did not parse", key);
		}
		return rc;
	}
	v->pos = skip_ws(in, s + 1);
	v->end = e - 1;
	v->n = n;
	/* every element is judged before the first is handed out, so nothing
	 * is done with a document that will be refused (each is parsed twice:
	 * the CPU of a second parse, never the memory of the whole tree) */
	for (size_t k = 0; k < n; k++) {
		if ((rc = elem_parse(v, err)) != AL_OK) {
			al_json_free(*rest);
			*rest = NULL;
			al_json_elems_free(v);
			return rc;
		}
	}
	cJSON_Delete(v->cur);
	v->cur = NULL;
	v->pos = skip_ws(in, s + 1);
	v->i = 0;
	return AL_OK;
}

al_rc
al_json_elems_next(al_json_elems *v, const al_json **out, al_err *err)
{
	al_rc rc;

	*out = NULL;
	if (v->tree != NULL) {
		if (v->tree_at == NULL)
			return AL_OK;
		*out = v->tree_at;
		v->tree_at = v->tree_at->next;
		v->i++;
		return AL_OK;
	}
	if (v->i >= v->n)
		return AL_OK;
	if ((rc = elem_parse(v, err)) != AL_OK)
		return rc;
	*out = v->cur;
	return AL_OK;
}

void
al_json_elems_free(al_json_elems *v)
{
	cJSON_Delete(v->cur);
	v->cur = NULL;
}

/* ---------------------------------------------------------------- paths */

void
al_jpath_key(al_jpath *dst, const char *parent, const char *key)
{
	if (parent == NULL || parent[0] == '\0')
		snprintf(dst->s, sizeof(dst->s), "%s", key);
	else
		snprintf(dst->s, sizeof(dst->s), "%s.%s", parent, key);
}

void
al_jpath_idx(al_jpath *dst, const char *parent, size_t idx)
{
	snprintf(dst->s, sizeof(dst->s), "%s[%zu]", parent ? parent : "", idx);
}

static const char *
pp(const char *path)
{
	return path && path[0] ? path : "(document)";
}

/* ---------------------------------------------------------------- access */

const al_json *
al_json_member(const al_json *obj, const char *key)
{
	const cJSON *m;

	if (!cJSON_IsObject(obj))
		return NULL;
	/* case-sensitive: protobuf JSON field names are */
	m = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (m == NULL || cJSON_IsNull(m))
		return NULL;
	return m;
}

bool al_json_is_obj(const al_json *j) { return cJSON_IsObject(j); }
bool al_json_is_arr(const al_json *j) { return cJSON_IsArray(j); }
bool al_json_is_str(const al_json *j) { return cJSON_IsString(j) && j->valuestring != NULL; }

size_t
al_json_arr_len(const al_json *arr)
{
	return cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
}

const al_json *
al_json_arr_at(const al_json *arr, size_t i)
{
	const cJSON *c;

	if (!cJSON_IsArray(arr))
		return NULL;
	for (c = arr->child; c && i; c = c->next)
		i--;
	return c;
}

al_bytes
al_json_str_bytes(const al_json *j)
{
	if (!al_json_is_str(j))
		return al_bytes_of(NULL, 0);
	return al_bytes_str(j->valuestring);
}

const al_json *al_json_first(const al_json *obj) { return obj ? obj->child : NULL; }
const al_json *al_json_next(const al_json *member) { return member ? member->next : NULL; }
const char *al_json_key(const al_json *member) { return member && member->string ? member->string : ""; }

static al_rc
get_node(const al_json *obj, const char *path, const char *key, bool required,
	 const al_json **out, al_err *err)
{
	al_jpath p;

	*out = NULL;
	if (!cJSON_IsObject(obj))
		return al_err_set(err, AL_E_JSON, "%s: not an object", pp(path));
	*out = al_json_member(obj, key);
	if (*out == NULL && required) {
		al_jpath_key(&p, path, key);
		return al_err_set(err, AL_E_JSON, "%s: missing", p.s);
	}
	return AL_OK;
}

static al_rc
type_err(const char *path, const char *key, const char *what, al_err *err)
{
	al_jpath p;

	al_jpath_key(&p, path, key);
	return al_err_set(err, AL_E_JSON, "%s: not %s", p.s, what);
}

al_rc
al_json_get_obj(const al_json *obj, const char *path, const char *key, bool required,
		const al_json **out, al_err *err)
{
	al_rc rc = get_node(obj, path, key, required, out, err);

	if (rc == AL_OK && *out && !cJSON_IsObject(*out)) {
		*out = NULL;
		return type_err(path, key, "an object", err);
	}
	return rc;
}

al_rc
al_json_get_arr(const al_json *obj, const char *path, const char *key, bool required,
		const al_json **out, al_err *err)
{
	al_rc rc = get_node(obj, path, key, required, out, err);

	if (rc == AL_OK && *out && !cJSON_IsArray(*out)) {
		*out = NULL;
		return type_err(path, key, "an array", err);
	}
	return rc;
}

al_rc
al_json_get_str(const al_json *obj, const char *path, const char *key, bool required,
		al_bytes *out, al_err *err)
{
	const al_json *n;
	al_rc rc = get_node(obj, path, key, required, &n, err);

	*out = al_bytes_of(NULL, 0);
	if (rc != AL_OK || n == NULL)
		return rc;
	if (!al_json_is_str(n))
		return type_err(path, key, "a string", err);
	*out = al_json_str_bytes(n);
	return AL_OK;
}

al_rc
al_json_get_b64(const al_json *obj, const char *path, const char *key, bool required,
		al_buf *out, al_err *err)
{
	al_bytes s;
	al_rc rc = al_json_get_str(obj, path, key, required, &s, err);
	al_jpath p;

	out->n = 0;
	if (rc != AL_OK || s.p == NULL)
		return rc;
	rc = al_b64_decode_lenient(s, out, err);
	if (rc != AL_OK) {
		al_jpath_key(&p, path, key);
		return al_err_recode(err, AL_E_JSON, "%s: invalid base64", p.s);
	}
	return AL_OK;
}

al_rc
al_json_get_i64(const al_json *obj, const char *path, const char *key, bool required,
		int64_t *out, bool *present, al_err *err)
{
	const al_json *n;
	al_rc rc = get_node(obj, path, key, required, &n, err);

	*out = 0;
	if (present)
		*present = false;
	if (rc != AL_OK || n == NULL)
		return rc;
	if (cJSON_IsNumber(n)) {
		double d = n->valuedouble;

		/* a double is exact up to 2^53; larger integers must come as strings */
		if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
			return type_err(path, key, "an integer", err);
		*out = (int64_t)d;
	} else if (al_json_is_str(n)) {
		const char *s = n->valuestring;
		bool neg = false;
		uint64_t v = 0;

		if (*s == '-') {
			neg = true;
			s++;
		}
		if (*s == '\0')
			return type_err(path, key, "an integer", err);
		for (; *s; s++) {
			if (*s < '0' || *s > '9')
				return type_err(path, key, "an integer", err);
			if (v > (UINT64_MAX - 9) / 10)
				return type_err(path, key, "a 64-bit integer", err);
			v = v * 10 + (uint64_t)(*s - '0');
		}
		if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1))
			return type_err(path, key, "a 64-bit integer", err);
		*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	} else {
		return type_err(path, key, "an integer", err);
	}
	if (present)
		*present = true;
	return AL_OK;
}

al_rc
al_json_get_bool(const al_json *obj, const char *path, const char *key, bool required,
		 bool *out, bool *present, al_err *err)
{
	const al_json *n;
	al_rc rc = get_node(obj, path, key, required, &n, err);

	*out = false;
	if (present)
		*present = false;
	if (rc != AL_OK || n == NULL)
		return rc;
	if (!cJSON_IsBool(n))
		return type_err(path, key, "a boolean", err);
	*out = cJSON_IsTrue(n);
	if (present)
		*present = true;
	return AL_OK;
}

al_rc
al_json_only_keys(const al_json *obj, const char *path, const char *const *keys, al_err *err)
{
	if (!cJSON_IsObject(obj))
		return al_err_set(err, AL_E_JSON, "%s: not an object", pp(path));
	for (const cJSON *c = obj->child; c; c = c->next) {
		bool known = false;

		for (size_t i = 0; keys[i]; i++)
			if (c->string && strcmp(c->string, keys[i]) == 0)
				known = true;
		if (!known) {
			al_jpath p;

			al_jpath_key(&p, path, c->string ? c->string : "");
			return al_err_set(err, AL_E_JSON, "%s: unknown field", p.s);
		}
	}
	return AL_OK;
}

/* ---------------------------------------------------------------- Go's view */

/*
 * Go's encoding/json matches an object key to a struct field exactly if it
 * can, else case-insensitively: both sides folded (al_fold_rune: ASCII
 * letters to upper case, any other rune to the smallest rune of its Unicode
 * simple-folding class, so U+017F LATIN SMALL LETTER LONG S reads as 'S' and
 * U+212A KELVIN SIGN as 'K'), and the last matching key in the object wins.
 * A document that spells a field two ways, or spells it only in a folded
 * form, means one thing to airlock (exact, first) and another to skopeo or
 * containerd; such objects are refused rather than interpreted.
 */

/* Decodes one rune as Go's utf8.DecodeRune does: a sequence that is not
 * well-formed reads as U+FFFD, one byte wide, so folding goes on past it. */
static size_t
go_decode_rune(const uint8_t *p, size_t n, uint32_t *r)
{
	size_t len = al_utf8_decode(p, n, r);

	if (len == 0) {
		*r = 0xFFFD;
		return 1;
	}
	return len;
}

/* Appends Go's folded form of s to out. Folding never lengthens a rune's
 * UTF-8 (the class minimum is never a longer encoding; U+FFFD for one invalid
 * byte is the exception, so room for 3 bytes per input byte is reserved). */
static al_rc
go_fold(al_bytes s, al_buf *out, al_err *err)
{
	al_rc rc;

	if ((rc = al_buf_reserve(out, s.n * 3, err)) != AL_OK)
		return rc;
	for (size_t i = 0; i < s.n;) {
		uint32_t r;

		i += go_decode_rune(s.p + i, s.n - i, &r);
		out->n += al_utf8_encode(al_fold_rune(r), out->p + out->n);
	}
	return AL_OK;
}

typedef struct fold_key {
	size_t off, n;      /* the folded key in the shared buffer ... */
	const uint8_t *p;   /* ... and where it is, once the buffer stops growing */
	const char *key;    /* the key as written */
} fold_key;

static int
cmp_fold(const void *a, const void *b)
{
	const fold_key *x = a, *y = b;
	size_t m = x->n < y->n ? x->n : y->n;
	int c = m ? memcmp(x->p, y->p, m) : 0;

	if (c != 0)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* A key for a message: escaped and bounded (it is untrusted). */
static void
show_key(char *dst, size_t size, const char *key)
{
	al_text_line(dst, size, al_bytes_str(key));
}

al_rc
al_json_check_fields(const al_json *obj, const char *path, const char *const *fields, al_err *err)
{
	al_buf folded = { 0 };
	fold_key *keys = NULL;
	size_t n = 0, nf = 0, k = 0;
	al_rc rc = AL_OK;
	char a[96], b[96];

	if (!cJSON_IsObject(obj))
		return al_err_set(err, AL_E_JSON, "%s: not an object", pp(path));
	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	for (nf = 0; fields && fields[nf]; nf++)
		;
	if (n == 0)
		return AL_OK;
	keys = calloc(n + nf, sizeof(*keys));
	if (keys == NULL)
		return al_err_set(err, AL_E_NOMEM, "out of memory");
	/* fields are folded into the same buffer, after the keys */
	for (const cJSON *c = obj->child; c; c = c->next, k++) {
		keys[k].key = c->string ? c->string : "";
		keys[k].off = folded.n;
		if ((rc = go_fold(al_bytes_str(keys[k].key), &folded, err)) != AL_OK)
			goto out;
		keys[k].n = folded.n - keys[k].off;
	}
	for (size_t f = 0; f < nf; f++) {
		keys[n + f].key = fields[f];
		keys[n + f].off = folded.n;
		if ((rc = go_fold(al_bytes_str(fields[f]), &folded, err)) != AL_OK)
			goto out;
		keys[n + f].n = folded.n - keys[n + f].off;
	}
	for (size_t i = 0; i < n + nf; i++)
		keys[i].p = folded.p + keys[i].off;
	/* A key that folds onto a field without being it: Go fills the field
	 * from it, airlock would not. Checked first, so the message names the
	 * field. The loop over fields is short (a struct's fields). */
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < nf; f++) {
			if (cmp_fold(&keys[i], &keys[n + f]) != 0 || strcmp(keys[i].key, fields[f]) == 0)
				continue;
			show_key(a, sizeof(a), keys[i].key);
			rc = al_err_set(err, AL_E_JSON, "%s: key \"%s\" is read as \"%s\" by Go consumers; refused",
					pp(path), a, fields[f]);
			goto out;
		}
	}
	/* Two keys that fold together: Go takes the last; sorting finds any pair
	 * without comparing every two (objects may have many members). */
	qsort(keys, n, sizeof(*keys), cmp_fold);
	for (size_t i = 1; i < n; i++) {
		if (cmp_fold(&keys[i - 1], &keys[i]) != 0)
			continue;
		show_key(a, sizeof(a), keys[i - 1].key);
		show_key(b, sizeof(b), keys[i].key);
		rc = al_err_set(err, AL_E_JSON, "%s: keys \"%s\" and \"%s\" are the same key to Go consumers; refused",
				pp(path), a, b);
		goto out;
	}
out:
	free(keys);
	al_buf_free(&folded);
	return rc;
}

/* ---------------------------------------------------------------- canonical output (RFC 8785) */

/* Keys sort by their UTF-16 code units (RFC 8785 §3.2.3). UTF-8 byte order
 * agrees with code-point order, which differs from UTF-16 order only where a
 * supplementary character (a surrogate pair, 0xD800..) meets U+E000..U+FFFF;
 * so each code point is mapped to its first UTF-16 unit's rank. */
static uint32_t
utf16_rank(uint32_t cp)
{
	if (cp >= 0x10000)
		return 0xD800 + ((cp - 0x10000) >> 10);
	return cp;
}

static int
jcs_key_cmp(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	const uint8_t *x = (const uint8_t *)a->string, *y = (const uint8_t *)b->string;
	size_t nx = strlen(a->string), ny = strlen(b->string);

	while (nx > 0 && ny > 0) {
		uint32_t cx = 0xFFFD, cy = 0xFFFD, lo_x = 0, lo_y = 0;
		size_t lx = al_utf8_decode(x, nx, &cx), ly = al_utf8_decode(y, ny, &cy);

		lx = lx ? lx : 1;
		ly = ly ? ly : 1;
		if (utf16_rank(cx) != utf16_rank(cy))
			return utf16_rank(cx) < utf16_rank(cy) ? -1 : 1;
		/* same first unit: a pair's low surrogate, then the rest */
		if (cx >= 0x10000)
			lo_x = 0xDC00 + ((cx - 0x10000) & 0x3FF);
		if (cy >= 0x10000)
			lo_y = 0xDC00 + ((cy - 0x10000) & 0x3FF);
		if (lo_x != lo_y)
			return lo_x < lo_y ? -1 : 1;
		x += lx, nx -= lx;
		y += ly, ny -= ly;
	}
	return nx == ny ? 0 : nx < ny ? -1 : 1;
}

/* A string as RFC 8785 writes it: only '"', '\\' and controls escaped (the
 * short forms where JSON has one, else \u00xx in lower case). A sequence
 * that is not UTF-8 becomes U+FFFD: the output is always valid JSON, and an
 * untrusted name with broken bytes is shown as broken, never dropped. */
static al_rc
jcs_string(al_buf *out, const char *s, al_err *err)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s);
	al_rc rc = al_buf_append(out, "\"", 1, err);

	while (rc == AL_OK && n > 0) {
		uint32_t cp;
		size_t l = al_utf8_decode(p, n, &cp);

		if (l == 0) {
			rc = al_buf_append(out, "\xEF\xBF\xBD", 3, err);
			p++, n--;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			char e[2] = { '\\', (char)cp };

			rc = al_buf_append(out, e, 2, err);
		} else if (cp < 0x20) {
			static const char shortf[] = { ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r' };

			if (cp < sizeof(shortf) && shortf[cp]) {
				char e[2] = { '\\', shortf[cp] };

				rc = al_buf_append(out, e, 2, err);
			} else {
				rc = al_buf_appendf(out, err, "\\u%04x", (unsigned)cp);
			}
		} else {
			rc = al_buf_append(out, p, l, err);
		}
		p += l, n -= l;
	}
	return rc == AL_OK ? al_buf_append(out, "\"", 1, err) : rc;
}

/* Who writes the placeholders of al_json_canonical_splice. */
typedef struct jcs {
	al_json_splice_fn *fn;
	void *ctx;
} jcs;

static al_rc
jcs_value(const jcs *x, const cJSON *j, unsigned depth, al_buf *out, al_err *err)
{
	al_rc rc = AL_OK;

	if (depth > AL_JSON_MAX_DEPTH)
		return al_err_set(err, AL_E_LIMIT, "canonical JSON: nesting deeper than %d", AL_JSON_MAX_DEPTH);
	if (cJSON_IsNull(j))
		return al_buf_append(out, "null", 4, err);
	if (cJSON_IsTrue(j))
		return al_buf_append(out, "true", 4, err);
	if (cJSON_IsFalse(j))
		return al_buf_append(out, "false", 5, err);
	if (cJSON_IsString(j))
		return jcs_string(out, j->valuestring ? j->valuestring : "", err);
	if (cJSON_IsRaw(j)) {
		/* a placeholder of the caller's (parsing never makes one) */
		if (x->fn == NULL)
			return al_err_set(err, AL_E_INTERNAL, "canonical JSON: a placeholder and nothing to write it");
		return x->fn(x->ctx, j, out, err);
	}
	if (cJSON_IsNumber(j)) {
		/* integers only, where a double is exact: ES6 number formatting
		 * of those is the plain decimal */
		double d = j->valuedouble;

		if (!(d == floor(d)) || fabs(d) > 9007199254740992.0)
			return al_err_set(err, AL_E_INTERNAL, "canonical JSON: %g is not an exact integer", d);
		return al_buf_appendf(out, err, "%lld", (long long)d);
	}
	if (cJSON_IsArray(j)) {
		if ((rc = al_buf_append(out, "[", 1, err)) != AL_OK)
			return rc;
		for (const cJSON *c = j->child; c != NULL && rc == AL_OK; c = c->next) {
			if (c != j->child)
				rc = al_buf_append(out, ",", 1, err);
			if (rc == AL_OK)
				rc = jcs_value(x, c, depth + 1, out, err);
		}
		return rc == AL_OK ? al_buf_append(out, "]", 1, err) : rc;
	}
	if (cJSON_IsObject(j)) {
		size_t n = 0, k = 0;
		const cJSON **v;

		for (const cJSON *c = j->child; c != NULL; c = c->next)
			n++;
		if (n == 0)
			return al_buf_append(out, "{}", 2, err);
		if ((v = calloc(n, sizeof(*v))) == NULL)
			return al_err_set(err, AL_E_NOMEM, "out of memory");
		for (const cJSON *c = j->child; c != NULL; c = c->next)
			v[k++] = c;
		qsort(v, n, sizeof(*v), jcs_key_cmp);
		rc = al_buf_append(out, "{", 1, err);
		for (size_t i = 0; i < n && rc == AL_OK; i++) {
			if (i > 0 && jcs_key_cmp(&v[i - 1], &v[i]) == 0)
				rc = al_err_set(err, AL_E_INTERNAL, "canonical JSON: duplicate key");
			if (rc == AL_OK && i > 0)
				rc = al_buf_append(out, ",", 1, err);
			if (rc == AL_OK)
				rc = jcs_string(out, v[i]->string, err);
			if (rc == AL_OK)
				rc = al_buf_append(out, ":", 1, err);
			if (rc == AL_OK)
				rc = jcs_value(x, v[i], depth + 1, out, err);
		}
		free(v);
		return rc == AL_OK ? al_buf_append(out, "}", 1, err) : rc;
	}
	return al_err_set(err, AL_E_INTERNAL, "canonical JSON: a value of unknown type");
}

al_rc
al_json_canonical(const al_json *j, al_buf *out, al_err *err)
{
	const jcs x = { NULL, NULL };

	return jcs_value(&x, j, 0, out, err);
}

al_rc
al_json_canonical_splice(const al_json *j, al_json_splice_fn *fn, void *ctx, al_buf *out, al_err *err)
{
	const jcs x = { fn, ctx };

	return jcs_value(&x, j, 0, out, err);
}
