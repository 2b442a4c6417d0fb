/* exact.h — exact rational numbers for points, ratios and thresholds.
 * Scores are compared at level boundaries (50, 75): floats are never used
 * for that. A value is n/d in lowest terms with d > 0. */
#ifndef CHISO_EXACT_H
#define CHISO_EXACT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"

typedef struct q {
	int64_t n, d;
} q;

/* The common cases inline (integers, equal denominators: the points of a
 * framework); the rest, with the reduction, in exact.c. */
q q_add_slow(q a, q b);
int q_cmp_slow(q a, q b);
static inline q q_int(int64_t n) { return (q){ n, 1 }; }
static inline q q_add(q a, q b)
{
	int64_t sum;
	if (a.d == 1 && b.d == 1 && !__builtin_add_overflow(a.n, b.n, &sum)) return (q){ sum, 1 };
	return q_add_slow(a, b);
}
static inline int q_cmp(q a, q b)
{
	if (a.d == b.d && a.d) return (a.n > b.n) - (a.n < b.n);
	return q_cmp_slow(a, b);
}
static inline q q_min(q a, q b) { return q_cmp(a, b) <= 0 ? a : b; }
static inline q q_max(q a, q b) { return q_cmp(a, b) >= 0 ? a : b; }
q q_make(int64_t n, int64_t d);   /* d != 0 */
q q_sub(q a, q b);
q q_mul(q a, q b);
q q_div(q a, q b);                /* b != 0 */
q q_ratio(q a, q b, int64_t k);   /* a / b × k in one reduction (a percentage: k = 100); b != 0 */
int q_cmp(q a, q b);              /* -1, 0, 1 */
bool q_is_zero(q a);
double q_to_double(q a);
/* Parse a decimal written with at most `maxdec` decimals ("12", "7.5", "-0.25").
 * Returns false on anything else. */
bool q_parse_decimal(const char *s, int maxdec, q *out);
/* Convert a double that should hold a short decimal (from JSON) exactly;
 * false when it has more than `maxdec` decimals. */
bool q_from_double(double v, int maxdec, q *out);
/* Format rounded half-up to `dec` decimals, trailing zeros dropped.
 * comma = true uses the Vietnamese decimal comma ("75,1"). */
void q_format(buf *b, q a, int dec, bool comma);
/* "77/12" or "6" — the exact value, for machine output. */
void q_format_exact(buf *b, q a);
/* q_format's text as a string in arena a (lives as long as the arena). */
const char *q_to_text(arena *a, q v, int dec, bool comma);
#endif
