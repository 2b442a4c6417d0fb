/* q.c — helpers shared by the store modules: see q.h. */
#include "q.h"
#include "util.h"
#include "vn.h"
#include <stdlib.h>
#include <string.h>

int q_text(db *d, const char *label, const char *in, bool required, size_t max,
           bool multiline, char **out)
{
	*out = NULL;
	size_t len = in ? strlen(in) : 0;
	size_t bad;
	if (in && !vn_utf8_valid(in, len, &bad))
		return db_fail(d, DB_EINVAL, "%s: không phải văn bản UTF-8 hợp lệ (byte %zu)", label, bad);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f)
			return db_fail(d, DB_EINVAL, "%s: chứa ký tự điều khiển không hợp lệ", label);
	}
	char *n = in ? vn_nfc(in) : NULL;
	if (in && !n) return db_fail(d, DB_EINVAL, "%s: không chuẩn hoá được (NFC)", label);
	if (n) {
		/* Trim ASCII white space and the no-break space U+00A0 that Excel
		 * cells often carry. */
		char *s = n, *e = n + strlen(n);
		for (;;) {
			if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
			else if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) s += 2;
			else break;
		}
		for (;;) {
			if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) e--;
			else if (e - s >= 2 && (unsigned char)e[-2] == 0xc2 && (unsigned char)e[-1] == 0xa0) e -= 2;
			else break;
		}
		if (e == s) {
			free(n);
			n = NULL;
		} else {
			memmove(n, s, (size_t)(e - s));
			n[e - s] = '\0';
		}
	}
	if (!n && required) return db_fail(d, DB_EINVAL, "%s: không được để trống", label);
	if (n && strlen(n) > max) {
		free(n);
		return db_fail(d, DB_EINVAL, "%s: quá dài (tối đa %zu byte)", label, max);
	}
	*out = n;
	return DB_OK;
}

int q_date(db *d, const char *label, const char *in, bool required)
{
	if (!in || !*in) {
		if (required) return db_fail(d, DB_EINVAL, "%s: không được để trống", label);
		return DB_OK;
	}
	if (!db_date_valid(in))
		return db_fail(d, DB_EINVAL, "%s: ngày không hợp lệ '%s' (cần dạng YYYY-MM-DD)", label, in);
	return DB_OK;
}

void q_grow(arena *a, void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap) return;
	size_t nc = *cap ? *cap * 2 : 8;
	void *g = arena_alloc(a, nc * size);
	if (n) memcpy(g, *arr, n * size);
	*arr = g;
	*cap = nc;
}

json_t *q_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}
