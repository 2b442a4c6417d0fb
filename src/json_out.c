/* json_out.c — see json_out.h. The format is jansson's dump.c with an
 * indent of 2: a newline and two spaces per depth before each member and
 * before the closing bracket of a non-empty container, ": " after a key,
 * strings escaped only for '"', '\\' and control characters. */
#include "json_out.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { INDENT = 2, PRECISION = 12 };

static void indent(buf *b, int depth)
{
	static const char spaces[] = "\n                                                                ";
	size_t n = (size_t)depth * INDENT;
	if (n + 1 < sizeof spaces) {
		buf_append(b, spaces, n + 1);
		return;
	}
	buf_putc(b, '\n');
	for (size_t i = 0; i < n; i++) buf_putc(b, ' ');
}

static void string(buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_putc(b, '"');
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') continue;
		buf_append(b, s + from, i - from);
		from = i + 1;
		switch (c) {
		case '"': buf_append(b, "\\\"", 2); break;
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\b': buf_append(b, "\\b", 2); break;
		case '\f': buf_append(b, "\\f", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_append(b, u, sizeof u);
		}
		}
	}
	buf_append(b, s + from, n - from);
	buf_putc(b, '"');
}

/* jansson's jsonp_dtostr: %.12g, ".0" when neither '.' nor 'e', the
 * exponent without '+' and leading zeros */
static bool real(buf *b, double d)
{
	if (isnan(d) || isinf(d)) return false;
	char t[64];
	int len = snprintf(t, sizeof t - 3, "%.*g", PRECISION, d);
	if (len < 0 || (size_t)len >= sizeof t - 3) return false;
	size_t n = (size_t)len;
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + n, ".0", 3);
		n += 2;
	}
	char *start = strchr(t, 'e');
	if (start) {
		start++;
		char *end = start + 1;
		if (*start == '-') start++;
		while (*end == '0') end++;
		if (end != start) {
			memmove(start, end, n - (size_t)(end - t) + 1);
			n -= (size_t)(end - start);
		}
	}
	buf_append(b, t, n);
	return true;
}

static bool value(buf *b, const json_t *v, int depth);

static bool array(buf *b, const json_t *v, int depth)
{
	size_t n = json_array_size(v);
	buf_putc(b, '[');
	if (n == 0) {
		buf_putc(b, ']');
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		indent(b, depth + 1);
		if (!value(b, json_array_get(v, i), depth + 1)) return false;
		if (i + 1 < n) buf_putc(b, ',');
	}
	indent(b, depth);
	buf_putc(b, ']');
	return true;
}

static bool object(buf *b, const json_t *v, int depth)
{
	buf_putc(b, '{');
	void *it = json_object_iter((json_t *)v);
	if (!it) {
		buf_putc(b, '}');
		return true;
	}
	while (it) {
		indent(b, depth + 1);
		const char *key = json_object_iter_key(it);
		string(b, key, json_object_iter_key_len(it));
		buf_append(b, ": ", 2);
		if (!value(b, json_object_iter_value(it), depth + 1)) return false;
		it = json_object_iter_next((json_t *)v, it);
		if (it) buf_putc(b, ',');
	}
	indent(b, depth);
	buf_putc(b, '}');
	return true;
}

static bool value(buf *b, const json_t *v, int depth)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return object(b, v, depth);
	case JSON_ARRAY: return array(b, v, depth);
	case JSON_STRING: string(b, json_string_value(v), json_string_length(v)); return true;
	case JSON_INTEGER: buf_put_int(b, (long long)json_integer_value(v)); return true;
	case JSON_REAL: return real(b, json_real_value(v));
	case JSON_TRUE: buf_append(b, "true", 4); return true;
	case JSON_FALSE: buf_append(b, "false", 5); return true;
	case JSON_NULL: buf_append(b, "null", 4); return true;
	}
	return false;
}

bool json_out(buf *b, const json_t *v)
{
	return v && value(b, v, 0);
}
