/* exact.c — rational arithmetic on int64 with 128-bit intermediates.
 * A result that does not fit in int64 after reduction is a programming or
 * data error far outside any framework's range, so it aborts. */
#include "exact.h"
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 wide;

static wide wgcd(wide a, wide b)
{
	if (a < 0) a = -a;
	if (b < 0) b = -b;
	while (b) {
		wide t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Binary gcd on 64 bits: the common case, an order of magnitude cheaper
 * than 128-bit division. */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
	if (!a) return b;
	if (!b) return a;
	if ((a | b) <= UINT32_MAX) {
		/* points and ratios are small: a few 32-bit divisions */
		uint32_t x = (uint32_t)a, y = (uint32_t)b;
		while (y) {
			uint32_t t = x % y;
			x = y;
			y = t;
		}
		return x;
	}
	int shift = __builtin_ctzll(a | b);
	a >>= __builtin_ctzll(a);
	do {
		b >>= __builtin_ctzll(b);
		if (a > b) { uint64_t t = a; a = b; b = t; }
		b -= a;
	} while (b);
	return a << shift;
}

static q q_reduce(wide n, wide d)
{
	if (d == 0) fatal("exact: division by zero");
	if (d < 0) { n = -n; d = -d; }
	if (d == 1 && n <= INT64_MAX && n >= INT64_MIN) return (q){ (int64_t)n, 1 };
	if (n > -(wide)INT64_MAX && n <= INT64_MAX && d <= INT64_MAX) {
		int64_t n64 = (int64_t)n, d64 = (int64_t)d;
		int64_t g = (int64_t)gcd64((uint64_t)(n64 < 0 ? -n64 : n64), (uint64_t)d64);
		return (q){ n64 / g, d64 / g };
	}
	wide g = wgcd(n, d);
	if (g > 1) { n /= g; d /= g; }
	if (n > INT64_MAX || n < INT64_MIN || d > INT64_MAX)
		fatal("exact: overflow");
	return (q){ (int64_t)n, (int64_t)d };
}

/* A zero-initialised q (0/0) means 0, so structures from calloc or an
 * arena hold valid zeros. */
static q z(q a) { return a.d ? a : (q){ 0, 1 }; }

q q_make(int64_t n, int64_t d) { return q_reduce(n, d); }
q q_add_slow(q a, q b)
{
	a = z(a);
	b = z(b);
	if (a.d == b.d) return q_reduce((wide)a.n + b.n, a.d);   /* halves: no cross products */
	return q_reduce((wide)a.n * b.d + (wide)b.n * a.d, (wide)a.d * b.d);
}
q q_sub(q a, q b) { a = z(a); b = z(b); return q_reduce((wide)a.n * b.d - (wide)b.n * a.d, (wide)a.d * b.d); }
q q_mul(q a, q b) { a = z(a); b = z(b); return q_reduce((wide)a.n * b.n, (wide)a.d * b.d); }
q q_div(q a, q b) { a = z(a); b = z(b); return q_reduce((wide)a.n * b.d, (wide)a.d * b.n); }
q q_ratio(q a, q b, int64_t k)
{
	a = z(a);
	b = z(b);
	return q_reduce((wide)a.n * b.d * k, (wide)a.d * b.n);
}

int q_cmp_slow(q a, q b)
{
	a = z(a);
	b = z(b);
	wide l = (wide)a.n * b.d, r = (wide)b.n * a.d;
	return (l > r) - (l < r);
}

bool q_is_zero(q a) { return a.n == 0; }
double q_to_double(q a) { a = z(a); return (double)a.n / (double)a.d; }

bool q_parse_decimal(const char *s, int maxdec, q *out)
{
	bool neg = false;
	int64_t n = 0, d = 1;
	int digits = 0, decs = -1;
	if (*s == '-') { neg = true; s++; }
	for (; *s; s++) {
		if (*s == '.' && decs < 0) { decs = 0; continue; }
		if (*s < '0' || *s > '9') return false;
		if (n > (INT64_MAX - 9) / 10 || digits > 15) return false;
		n = n * 10 + (*s - '0');
		digits++;
		if (decs >= 0) {
			if (++decs > maxdec) return false;
			d *= 10;
		}
	}
	if (digits == 0 || decs == 0) return false;
	*out = q_make(neg ? -n : n, d);
	return true;
}

bool q_from_double(double v, int maxdec, q *out)
{
	if (!isfinite(v) || fabs(v) > 1e12) return false;
	int64_t scale = 1;
	for (int i = 0; i < maxdec; i++) scale *= 10;
	double scaled = v * (double)scale;
	double r = nearbyint(scaled);
	if (fabs(scaled - r) > 1e-6 * (fabs(scaled) > 1 ? fabs(scaled) : 1)) return false;
	*out = q_make((int64_t)r, scale);
	return true;
}

void q_format(buf *b, q a, int dec, bool comma)
{
	a = z(a);
	int64_t scale = 1;
	for (int i = 0; i < dec; i++) scale *= 10;
	/* round half away from zero: (|n| * scale * 2 + d) / (2d) */
	wide n = a.n < 0 ? -(wide)a.n : (wide)a.n;
	wide v = (n * scale * 2 + a.d) / ((wide)a.d * 2);
	int64_t whole = (int64_t)(v / scale), frac = (int64_t)(v % scale);
	if (a.n < 0 && v != 0) buf_putc(b, '-');
	buf_put_int(b, (long long)whole);
	if (frac == 0) return;
	char digits[24] = { 0 };
	int len = dec;
	for (int i = dec - 1; i >= 0; i--) { digits[i] = (char)('0' + frac % 10); frac /= 10; }
	while (len > 0 && digits[len - 1] == '0') len--;
	buf_putc(b, comma ? ',' : '.');
	buf_append(b, digits, (size_t)len);
}

void q_format_exact(buf *b, q a)
{
	a = z(a);
	if (a.d == 1) buf_printf(b, "%lld", (long long)a.n);
	else buf_printf(b, "%lld/%lld", (long long)a.n, (long long)a.d);
}

const char *q_to_text(arena *a, q v, int dec, bool comma)
{
	buf b;
	buf_init(&b);
	q_format(&b, v, dec, comma);
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}
