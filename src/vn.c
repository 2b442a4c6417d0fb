/* vn.c — Vietnamese text handling: UTF-8 and NFC on top of utf8proc,
 * official date and school-year formats, Vietnamese collation through
 * ICU's "vi" collator, and folded search keys. No I/O. */
#include "vn.h"
#include "util.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <utf8proc.h>

/* ---- UTF-8 and normalisation ------------------------------------------ */

bool vn_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp == 0) {
			if (bad_at) *bad_at = i;
			return false;
		}
		i += (size_t)n;
	}
	return true;
}

/* utf8proc_map, with running out of memory made fatal (STYLE.md) so that
 * NULL means only "not valid UTF-8". */
static char *vn_map(const char *s, utf8proc_option_t opts)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                                  opts | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
	if (n == UTF8PROC_ERROR_NOMEM) fatal("out of memory in utf8proc");
	if (n < 0) return NULL;
	return (char *)out;
}

char *vn_nfc(const char *s)
{
	return vn_map(s, UTF8PROC_COMPOSE);
}

bool vn_is_nfc(const char *s)
{
	char *n = vn_nfc(s);
	bool same = n && strcmp(n, s) == 0;
	free(n);
	return same;
}

/* ---- Dates ------------------------------------------------------------ */

static bool vn_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int vn_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12) return 0;
	return m == 2 && vn_leap(y) ? 29 : days[m - 1];
}

bool vn_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && d >= 1 && d <= vn_days_in_month(y, m);
}

enum { VN_UTC_OFFSET = 7 * 3600 };

int vn_ymd_at(time_t t)
{
	time_t local = t + VN_UTC_OFFSET;
	struct tm tm;
	gmtime_r(&local, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void vn_iso_at(time_t t, char out[static 11])
{
	unsigned v = (unsigned)vn_ymd_at(t);
	snprintf(out, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * algorithm): exact across months and leap years without the C library's
 * time zones. */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int vn_days_between(int from, int to)
{
	return (int)(days_from_civil(to / 10000, to / 100 % 100, to % 100) -
	             days_from_civil(from / 10000, from / 100 % 100, from % 100));
}

int vn_local_time(const char *ts, struct tm *out)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	memset(out, 0, sizeof *out);
	int n = ts ? sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) : 0;
	if (n < 3 || !vn_date_valid(y, mo, d)) return 0;
	time_t t = (time_t)days_from_civil(y, mo, d) * 86400 + h * 3600L + mi * 60L + s + VN_UTC_OFFSET;
	gmtime_r(&t, out);
	return n;
}

int vn_today_ymd(void)
{
	return vn_ymd_at(time(NULL));
}

void vn_today_iso(char out[static 11])
{
	vn_iso_at(time(NULL), out);
}

bool vn_format_date(buf *out, int y, int m, int d)
{
	if (!vn_date_valid(y, m, d)) return false;
	/* NĐ 30/2020: zero-pad days 1..9 and months 1..2 only. */
	buf_printf(out, "ngày %02d tháng %0*d năm %04d", d, m < 3 ? 2 : 1, m, y);
	return true;
}

bool vn_format_date_short(buf *out, int y, int m, int d)
{
	if (!vn_date_valid(y, m, d)) return false;
	buf_printf(out, "%02d/%02d/%04d", d, m, y);
	return true;
}

/* Read between min and max ASCII digits at *p; advance *p past them. */
static bool vn_digits(const char **p, int min, int max, int *val)
{
	int n = 0, v = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min) return false;
	*p += n;
	*val = v;
	return true;
}

bool vn_parse_date(const char *s, int *y, int *m, int *d)
{
	const char *p = s;
	int a, b, c;
	if (!vn_digits(&p, 1, 4, &a)) return false;
	if (p - s == 4 && *p == '-') {                       /* yyyy-mm-dd */
		p++;
		if (!vn_digits(&p, 2, 2, &b) || *p++ != '-') return false;
		if (!vn_digits(&p, 2, 2, &c) || *p) return false;
		if (!vn_date_valid(a, b, c)) return false;
		*y = a, *m = b, *d = c;
		return true;
	}
	if (p - s > 2 || *p++ != '/') return false;          /* d/m/yyyy */
	if (!vn_digits(&p, 1, 2, &b) || *p++ != '/') return false;
	const char *ys = p;
	if (!vn_digits(&p, 4, 4, &c) || *p || p - ys != 4) return false;
	if (!vn_date_valid(c, b, a)) return false;
	*y = c, *m = b, *d = a;
	return true;
}

/* ---- School years ----------------------------------------------------- */

bool vn_school_year(buf *out, int start_year)
{
	if (start_year < 1000 || start_year > 9998) return false;
	buf_printf(out, "%d-%d", start_year, start_year + 1);
	return true;
}

bool vn_parse_school_year(const char *s, int *start_year)
{
	const char *p = s;
	int a, b;
	if (!vn_digits(&p, 4, 4, &a) || p - s != 4) return false;
	while (*p == ' ') p++;
	if (*p == '-') p++;
	else if (strncmp(p, "\xE2\x80\x93", 3) == 0) p += 3;  /* U+2013 en dash */
	else return false;
	while (*p == ' ') p++;
	const char *q = p;
	if (!vn_digits(&p, 4, 4, &b) || *p || p - q != 4) return false;
	if (a < 1000 || b != a + 1) return false;
	*start_year = a;
	return true;
}

/* ---- Collation -------------------------------------------------------- */

/* An ICU collator may be used by one thread at a time, and opening one
 * costs far more than a comparison, so each thread keeps its own, found
 * through a pthread key whose destructor closes it when the thread ends. */
static pthread_key_t vn_coll_key;
static pthread_once_t vn_coll_once = PTHREAD_ONCE_INIT;

static void vn_coll_close(void *c) { ucol_close(c); }

static void vn_coll_make_key(void)
{
	if (pthread_key_create(&vn_coll_key, vn_coll_close) != 0)
		fatal("vn: cannot create the collator thread key");
}

static UCollator *vn_collator(void)
{
	pthread_once(&vn_coll_once, vn_coll_make_key);
	UCollator *c = pthread_getspecific(vn_coll_key);
	if (c) return c;
	UErrorCode err = U_ZERO_ERROR;
	c = ucol_open("vi", &err);
	/* A missing "vi" tailoring falls back to the root order, which puts ă
	 * and â next to a as mere accents: wrong for every list of names, and
	 * silently so. Refuse loudly instead. */
	if (U_FAILURE(err) || err == U_USING_DEFAULT_WARNING)
		fatal("vn: ICU has no Vietnamese collator (%s)", u_errorName(err));
	if (pthread_setspecific(vn_coll_key, c) != 0)
		fatal("vn: cannot store the collator");
	return c;
}

void vn_collate_thread_done(void)
{
	pthread_once(&vn_coll_once, vn_coll_make_key);
	UCollator *c = pthread_getspecific(vn_coll_key);
	if (!c) return;
	ucol_close(c);
	pthread_setspecific(vn_coll_key, NULL);
}

int vn_collate(const char *a, const char *b)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(vn_collator(), a, -1, b, -1, &err);
	/* Ill-formed UTF-8 is compared as U+FFFD by ICU; any other failure
	 * leaves us with nothing better than the bytes. */
	if (U_SUCCESS(err) && r != UCOL_EQUAL) return r == UCOL_LESS ? -1 : 1;
	int c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

static int vn_collate_ptrs(const void *a, const void *b)
{
	return vn_collate(*(char *const *)a, *(char *const *)b);
}

void vn_sort_strings(char **v, size_t n)
{
	sort_list(v, n, sizeof *v, vn_collate_ptrs);
}

/* ---- Search keys ------------------------------------------------------ */

char *vn_fold(const char *s)
{
	char *f = vn_map(s, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                    UTF8PROC_STRIPMARK);
	if (!f) return NULL;
	/* đ has no decomposition, so stripping marks keeps it; its search
	 * form is d. Case folding has already turned Đ into đ (C4 91). The
	 * Icelandic eth ð (C3 B0, from Ð) is folded too: it is the look-alike
	 * that old converters and some keyboards put in place of Đ. The
	 * replacement only shortens the string. */
	char *w = f;
	for (const char *r = f; *r;) {
		unsigned char c0 = (unsigned char)r[0], c1 = (unsigned char)r[1];
		if ((c0 == 0xC4 && c1 == 0x91) || (c0 == 0xC3 && c1 == 0xB0)) {
			*w++ = 'd';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return f;
}
