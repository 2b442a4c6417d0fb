/* vn.h — Vietnamese text: UTF-8 validity, Unicode NFC, dates and school
 * years, Vietnamese alphabetical order, and folded search keys.
 * Pure: no I/O. Legacy encodings (TCVN3, VNI, CP1258) live in vnlegacy.h. */
#ifndef CHISO_VN_H
#define CHISO_VN_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* ---- UTF-8 and normalisation ------------------------------------------ */

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates, or
 * code points past U+10FFFF) with no NUL byte. On failure *bad_at is the
 * byte offset of the first bad sequence. */
bool vn_utf8_valid(const char *s, size_t len, size_t *bad_at);
/* True when valid UTF-8 text is already in NFC. */
bool vn_is_nfc(const char *s);
/* NFC form of valid UTF-8 text, malloc'd (caller frees); NULL if invalid. */
char *vn_nfc(const char *s);

/* ---- Dates ------------------------------------------------------------ */

/* True when y-m-d is a real day of the Gregorian calendar, years 1..9999. */
bool vn_date_valid(int y, int m, int d);
/* Days in month m (1..12) of year y; 0 for a bad month. */
int vn_days_in_month(int y, int m);
/* Append the date as official documents write it (Nghị định 30/2020,
 * Phụ lục I): "ngày 21 tháng 02 năm 2025". Days below 10 and the months 1
 * and 2 get a leading zero so nobody can turn them into 11/12 or 21 by
 * adding a digit; months 3..12 are written plainly ("ngày 05 tháng 3 năm
 * 2025"). Returns false (appending nothing) for an invalid date. */
bool vn_format_date(buf *out, int y, int m, int d);
/* Append "21/02/2025" (dd/mm/yyyy, always two-digit day and month).
 * Returns false (appending nothing) for an invalid date. */
bool vn_format_date_short(buf *out, int y, int m, int d);
/* Parse "2025-02-21" (ISO, exactly 4-2-2 digits) or "21/02/2025" (day and
 * month of one or two digits, four-digit year). No surrounding spaces.
 * Only real calendar dates are accepted (29/02 only in leap years). On
 * success stores the parts and returns true; on failure leaves them alone. */
bool vn_parse_date(const char *s, int *y, int *m, int *d);

/* ---- Today in Vietnam ------------------------------------------------ */

/* Vietnam keeps Asia/Ho_Chi_Minh, UTC+7 all year (no daylight saving);
 * the server's own time zone never matters. vn_ymd_at and vn_iso_at are
 * pure: the calendar day in Vietnam at instant t, as 20250221 or
 * "2025-02-21". vn_today_ymd and vn_today_iso read the clock (time(NULL)),
 * the only functions of this module that do. */
int vn_ymd_at(time_t t);
void vn_iso_at(time_t t, char out[static 11]);
int vn_today_ymd(void);
void vn_today_iso(char out[static 11]);
/* A stored UTC timestamp ("2025-02-21T03:04:05Z"; the time may be cut
 * short or missing) as the wall clock in Vietnam, into *out (tm_year from
 * 1900, tm_mon from 0, as gmtime). Returns how many of the six fields
 * were read (3 to 6; what is missing counts as 0), or 0 when ts is not a
 * valid date. Pure. */
int vn_local_time(const char *ts_utc, struct tm *out);
/* Days from the civil date from (20250221) to the date to, exact across
 * months and leap years (H. Hinnant's days_from_civil). Pure. */
int vn_days_between(int from_ymd, int to_ymd);

/* ---- School years ----------------------------------------------------- */

/* Append "2024-2025" for start_year 2024. False (nothing appended) when
 * start_year is outside 1000..9998. */
bool vn_school_year(buf *out, int start_year);
/* Parse "2024-2025" (also "2024 - 2025" and an en dash "2024–2025", as
 * Word likes to write it); the second year must be the first plus one.
 * On success stores the first year and returns true. */
bool vn_parse_school_year(const char *s, int *start_year);

/* ---- Collation and search keys ---------------------------------------- */

/* Compare two UTF-8 strings in Vietnamese alphabetical order (ICU's "vi"
 * collator: a ă â b c d đ e ê … with tone marks as secondary differences
 * in the order ngang, huyền, hỏi, ngã, sắc, nặng). Strings the collator
 * finds equal are ordered by their bytes, so the result is 0 only for
 * identical strings and sorting is deterministic. NFC and NFD spellings
 * collate alike up to that tie-break. Thread-safe: each thread lazily
 * opens its own collator (ICU collators must not be shared between
 * threads), closed when the thread exits. Aborts if ICU has no "vi" data. */
int vn_collate(const char *a, const char *b);
/* Sort v[0..n) in place with vn_collate. */
void vn_sort_strings(char **v, size_t n);
/* Release the calling thread's collator now (threads created with pthreads
 * release it on exit anyway; this is for the main thread at shutdown and
 * for leak checkers). The next vn_collate opens a new one. */
void vn_collate_thread_done(void);

/* Search key for valid UTF-8 text, malloc'd (caller frees): lower case,
 * tone marks and diacritics removed, đ→d, compatibility forms folded
 * ("Trường Đông Hà" → "truong dong ha"). NULL if s is not valid UTF-8. */
char *vn_fold(const char *s);
#endif
