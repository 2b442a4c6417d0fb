/* test_vn.c — Vietnamese text: UTF-8 validity and NFC, official dates and
 * school years, Vietnamese alphabetical order (also from several threads),
 * search keys, and legacy TCVN3 / VNI / CP1258 text detected and
 * converted, including legacy text that arrives wrapped in Windows-1252.
 *
 * The TCVN3 and CP1258 samples were made with
 *   printf '%s' 'Trường Tiểu học Nguyễn Du' | iconv -t TCVN5712-1   (or CP1258)
 * the VNI ones by hand from the VNI-Windows table in src/vnlegacy.c. */
#include "buf.h"
#include "vn.h"
#include "util.h"
#include "vnlegacy.h"
#include "testutil.h"
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ---------------------------------------------------------- */

static char *fmt_date(bool (*f)(buf *, int, int, int), int y, int m, int d, bool *ok)
{
	buf b;
	buf_init(&b);
	*ok = f(&b, y, m, d);
	return buf_take(&b);
}

static void assert_date_text(int y, int m, int d, const char *want)
{
	bool ok;
	char *s = fmt_date(vn_format_date, y, m, d, &ok);
	assert_true(ok);
	assert_string_equal(s, want);
	free(s);
}

static void assert_parses(const char *s, int y, int m, int d)
{
	int gy = -1, gm = -1, gd = -1;
	if (!vn_parse_date(s, &gy, &gm, &gd)) fail_msg("\"%s\" should parse", s);
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, d);
}

static void assert_rejected(const char *s)
{
	int y = -7, m = -7, d = -7;
	if (vn_parse_date(s, &y, &m, &d)) fail_msg("\"%s\" should be rejected", s);
	/* failure leaves the outputs alone */
	assert_int_equal(y, -7);
	assert_int_equal(m, -7);
	assert_int_equal(d, -7);
}

/* bytes are detected as want_enc and decode to want_text. */
static void assert_legacy(const char *bytes, vn_encoding want_enc, bool want_via,
                          const char *want_text)
{
	size_t len = strlen(bytes);
	vn_detection det = vn_legacy_detect(bytes, len);
	if (det.enc != want_enc || det.via_cp1252 != want_via)
		fail_msg("want %s%s for \"%s\", got %s%s (confidence %d)",
		         vn_encoding_name(want_enc), want_via ? " via 1252" : "", want_text,
		         vn_encoding_name(det.enc), det.via_cp1252 ? " via 1252" : "",
		         det.confidence);
	assert_in_range(det.confidence, 80, 100);
	vn_detection det2;
	char *auto_text = vn_legacy_decode_auto(bytes, len, &det2);
	assert_int_equal(det2.enc, det.enc);
	assert_string_equal(auto_text, want_text);
	assert_true(vn_is_nfc(auto_text));
	free(auto_text);
	if (!want_via) {
		char *text = vn_legacy_to_utf8(bytes, len, want_enc);
		assert_string_equal(text, want_text);
		free(text);
	}
}

/* ---- UTF-8 and NFC ---------------------------------------------------- */

static void test_utf8_valid(void **state)
{
	(void)state;
	const char *ok = "Trường Tiểu học Nguyễn Du 𝔸";
	assert_true(vn_utf8_valid(ok, strlen(ok), NULL));
	assert_true(vn_utf8_valid("", 0, NULL));

	static const struct { const char *s; size_t len; size_t bad_at; const char *what; } bad[] = {
		{"ab\xC0\xAF", 4, 2, "overlong '/' in two bytes"},
		{"\xE0\x80\xAF", 3, 0, "overlong '/' in three bytes"},
		{"\xF0\x82\x82\xAC", 4, 0, "overlong euro sign in four bytes"},
		{"x\x80y", 3, 1, "lone continuation byte"},
		{"Tr\xBB", 3, 2, "continuation byte after ASCII"},
		{"\xED\xA0\x80", 3, 0, "UTF-16 surrogate D800"},
		{"a\xED\xBF\xBF", 4, 1, "UTF-16 surrogate DFFF"},
		{"Tr\xE1\xBB", 4, 2, "truncated three-byte sequence"},
		{"\xC6", 1, 0, "lead byte at the end"},
		{"\xF4\x90\x80\x80", 4, 0, "past U+10FFFF"},
		{"\xFF", 1, 0, "byte FF"},
		{"ab\0cd", 5, 2, "NUL inside"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		size_t at = 999;
		if (vn_utf8_valid(bad[i].s, bad[i].len, &at))
			fail_msg("accepted: %s", bad[i].what);
		if (at != bad[i].bad_at)
			fail_msg("%s: bad_at %zu, want %zu", bad[i].what, at, bad[i].bad_at);
	}
}

static void test_nfc(void **state)
{
	(void)state;
	/* "Trường Đông Hà" as macOS and some phones send it (NFD) */
	const char *nfd = "Tru\xcc\x9bo\xcc\x9b\xcc\x80ng \xc4\x90o\xcc\x82ng Ha\xcc\x80";
	assert_false(vn_is_nfc(nfd));
	char *n = vn_nfc(nfd);
	assert_string_equal(n, "Trường Đông Hà");
	assert_true(strlen(n) < strlen(nfd));
	assert_true(vn_is_nfc(n));
	free(n);

	n = vn_nfc("Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 A\xcc\x81nh");
	assert_string_equal(n, "Nguyễn Thị Ánh");
	free(n);

	n = vn_nfc("plain ASCII");
	assert_string_equal(n, "plain ASCII");
	free(n);

	assert_null(vn_nfc("Tr\xE1\xBB"));
	assert_null(vn_nfc("\xED\xA0\x80"));
	assert_false(vn_is_nfc("\xC0\xAF"));
}

/* ---- Dates ------------------------------------------------------------ */

static void test_format_date(void **state)
{
	(void)state;
	assert_date_text(2025, 2, 21, "ngày 21 tháng 02 năm 2025");
	assert_date_text(2025, 1, 1, "ngày 01 tháng 01 năm 2025");
	/* NĐ 30/2020: months from 3 on are written without a zero */
	assert_date_text(2025, 3, 5, "ngày 05 tháng 3 năm 2025");
	assert_date_text(2024, 12, 31, "ngày 31 tháng 12 năm 2024");
	assert_date_text(2024, 2, 29, "ngày 29 tháng 02 năm 2024");

	bool ok;
	char *s = fmt_date(vn_format_date_short, 2025, 2, 21, &ok);
	assert_true(ok);
	assert_string_equal(s, "21/02/2025");
	free(s);
	s = fmt_date(vn_format_date_short, 2025, 3, 5, &ok);
	assert_string_equal(s, "05/03/2025");
	free(s);

	/* invalid dates append nothing */
	static const int bad[][3] = {{2025, 2, 29}, {1900, 2, 29}, {2025, 4, 31}, {2025, 13, 1},
	                             {2025, 0, 10}, {2025, 1, 0}, {0, 1, 1}, {10000, 1, 1}};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		s = fmt_date(vn_format_date, bad[i][0], bad[i][1], bad[i][2], &ok);
		assert_false(ok);
		assert_string_equal(s, "");
		free(s);
		s = fmt_date(vn_format_date_short, bad[i][0], bad[i][1], bad[i][2], &ok);
		assert_false(ok);
		assert_string_equal(s, "");
		free(s);
	}
}

static void test_parse_date(void **state)
{
	(void)state;
	assert_parses("2025-02-21", 2025, 2, 21);
	assert_parses("21/02/2025", 2025, 2, 21);
	assert_parses("1/2/2025", 2025, 2, 1);
	assert_parses("05/9/2024", 2024, 9, 5);
	/* leap years: every 4th, not every 100th, but every 400th */
	assert_parses("29/02/2024", 2024, 2, 29);
	assert_parses("2000-02-29", 2000, 2, 29);
	assert_rejected("29/02/2025");
	assert_rejected("2025-02-29");
	assert_rejected("29/02/1900");
	assert_rejected("2100-02-29");
	assert_parses("31/12/2024", 2024, 12, 31);
	assert_rejected("31/04/2025");
	assert_rejected("31/06/2025");
	assert_rejected("00/01/2025");
	assert_rejected("32/01/2025");
	assert_rejected("15/13/2025");
	assert_rejected("15/00/2025");
	assert_rejected("2025-2-21");     /* ISO form is strict */
	assert_rejected("2025-02-21T00:00");
	assert_rejected("21/02/25");      /* two-digit year */
	assert_rejected("21/02/20255");
	assert_rejected("021/02/2025");
	assert_rejected("21-02-2025");
	assert_rejected("2025/02/21");
	assert_rejected(" 21/02/2025");
	assert_rejected("21/02/2025 ");
	assert_rejected("21//2025");
	assert_rejected("+1/02/2025");
	assert_rejected("");
	assert_rejected("ngày 21 tháng 02");

	/* format → parse round trip over four years, day by day */
	for (int y = 2023; y <= 2026; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= vn_days_in_month(y, m); d++) {
				bool ok;
				char *s = fmt_date(vn_format_date_short, y, m, d, &ok);
				assert_parses(s, y, m, d);
				free(s);
			}
	assert_int_equal(vn_days_in_month(2024, 2), 29);
	assert_int_equal(vn_days_in_month(2023, 2), 28);
	assert_int_equal(vn_days_in_month(2023, 13), 0);
}

/* Today in Vietnam is UTC+7 whatever the server's TZ says: 23:30 UTC is
 * already the next day in Hà Nội; 16:59:59 UTC is still the same day. */
static void test_today_utc7(void **state)
{
	(void)state;
	setenv("TZ", "America/Los_Angeles", 1);   /* must not matter */
	tzset();
	char iso[11];
	assert_int_equal(vn_ymd_at((time_t)1740094200), 20250221);     /* 2025-02-20 23:30 UTC */
	vn_iso_at((time_t)1740094200, iso);
	assert_string_equal(iso, "2025-02-21");
	assert_int_equal(vn_ymd_at((time_t)1740070799), 20250220);     /* 2025-02-20 16:59:59 UTC */
	assert_int_equal(vn_ymd_at((time_t)1740070799 + 1), 20250221); /* 17:00:00 UTC: midnight */
	vn_iso_at((time_t)1735664400, iso);                            /* 2024-12-31 17:00 UTC */
	assert_string_equal(iso, "2025-01-01");
	assert_int_equal(vn_ymd_at((time_t)1709150400), 20240229);     /* 2024-02-28 20:00 UTC, leap */
	/* the clock-reading pair agree with each other and with time(NULL) */
	time_t before = time(NULL);
	int ymd = vn_today_ymd();
	vn_today_iso(iso);
	time_t after = time(NULL);
	assert_true(ymd == vn_ymd_at(before) || ymd == vn_ymd_at(after));
	char want[11];
	vn_iso_at(after, want);
	char alt[11];
	vn_iso_at(before, alt);
	assert_true(!strcmp(iso, want) || !strcmp(iso, alt));
	unsetenv("TZ");
	tzset();
}

/* A stored UTC timestamp shown in Vietnam: 23:30 UTC on the last day of
 * a leap February is 06:30 on 1 March; a date alone is 07:00; not a date
 * gives 0. Days between dates cross months and leap years exactly. */
static void test_local_time(void **state)
{
	(void)state;
	setenv("TZ", "America/Los_Angeles", 1);   /* must not matter */
	tzset();
	struct tm tm;
	assert_int_equal(vn_local_time("2024-02-29T23:30:15Z", &tm), 6);
	assert_int_equal(tm.tm_year + 1900, 2024);
	assert_int_equal(tm.tm_mon + 1, 3);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 6);
	assert_int_equal(tm.tm_min, 30);
	assert_int_equal(vn_local_time("2025-12-31T16:59", &tm), 5);
	assert_int_equal(tm.tm_mday, 31);
	assert_int_equal(tm.tm_hour, 23);
	assert_int_equal(vn_local_time("2025-12-31T17:00:00Z", &tm), 6);
	assert_int_equal(tm.tm_year + 1900, 2026);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(vn_local_time("2025-06-02", &tm), 3);
	assert_int_equal(tm.tm_hour, 7);
	assert_int_equal(vn_local_time("2025-02-30T01:00:00Z", &tm), 0);
	assert_int_equal(vn_local_time("hôm qua", &tm), 0);
	assert_int_equal(vn_local_time(NULL, &tm), 0);
	assert_int_equal(vn_days_between(20240228, 20240301), 2);
	assert_int_equal(vn_days_between(20250228, 20250301), 1);
	assert_int_equal(vn_days_between(20251231, 20260101), 1);
	assert_int_equal(vn_days_between(20260101, 20251231), -1);
	assert_int_equal(vn_days_between(20000101, 20010101), 366);
	unsetenv("TZ");
	tzset();
}

static void test_school_year(void **state)
{
	(void)state;
	buf b;
	buf_init(&b);
	assert_true(vn_school_year(&b, 2024));
	assert_string_equal(buf_str(&b), "2024-2025");
	buf_reset(&b);
	assert_false(vn_school_year(&b, 999));
	assert_false(vn_school_year(&b, 9999));
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);

	int y = 0;
	assert_true(vn_parse_school_year("2024-2025", &y));
	assert_int_equal(y, 2024);
	y = 0;
	assert_true(vn_parse_school_year("2023 - 2024", &y));
	assert_int_equal(y, 2023);
	y = 0;
	assert_true(vn_parse_school_year("2025–2026", &y));   /* en dash */
	assert_int_equal(y, 2025);

	static const char *const bad[] = {
		"2024-2026", "2025-2024", "2024-2024", "24-25", "2024-25", "2024/2025",
		"2024-2025x", " 2024-2025", "2024", "", "2024--2025", "0999-1000",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		y = -1;
		if (vn_parse_school_year(bad[i], &y)) fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(y, -1);
	}
}

/* ---- Collation -------------------------------------------------------- */

static void test_collate_letters(void **state)
{
	(void)state;
	/* Đ is a letter after D: after every D word, before E. Plain byte
	 * order gets the second one wrong. */
	assert_true(vn_collate("Dương", "Đặng") < 0);
	assert_true(vn_collate("Dũng", "Đào") < 0);
	assert_true(vn_collate("Đặng", "Em") < 0);
	/* Ă and Â are letters of their own after A: "Ăn" follows "Ay",
	 * which the root order (ă as an accented a) gets wrong. */
	assert_true(vn_collate("Ay", "Ăn") < 0);
	assert_true(vn_collate("Ăn", "Âu") < 0);
	assert_true(vn_collate("A", "Ă") < 0);
	assert_true(vn_collate("Ơn", "Ô") > 0);
	assert_true(vn_collate("Ư", "Uy") > 0);
	/* tone marks only matter when the letters tie */
	assert_true(vn_collate("Anh", "Ánh") < 0);
	assert_true(vn_collate("Ánh", "Bình") < 0);
	assert_true(vn_collate("anh", "Anh") < 0);
	assert_int_equal(vn_collate("Nguyễn", "Nguyễn"), 0);
	/* NFD and NFC collate as the same text; the byte tie-break keeps the
	 * result consistent and non-zero */
	const char *nfd = "Nguye\xcc\x82\xcc\x83n";
	int c1 = vn_collate("Nguyễn", nfd), c2 = vn_collate(nfd, "Nguyễn");
	assert_true(c1 != 0 && c1 == -c2);
	assert_true(vn_collate(nfd, "Nguyễn A") < 0);
}

static void test_collate_tones(void **state)
{
	(void)state;
	/* dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng */
	const char *want[] = {"Ha", "Hà", "Hả", "Hã", "Há", "Hạ", "Hắc", "Hân"};
	char *v[] = {"Hạ", "Hân", "Há", "Ha", "Hắc", "Hã", "Hả", "Hà"};
	vn_sort_strings(v, ARRAY_LEN(v));
	for (size_t i = 0; i < ARRAY_LEN(v); i++) assert_string_equal(v[i], want[i]);
}

static const char *const sorted_names[] = {
	"An", "Anh", "Ánh", "Ăn", "Ẩn", "Âu", "Bình", "Châu", "Dũng", "Dương",
	"Đào", "Đặng", "Đinh", "Em", "Giang", "Hà", "Hạnh", "Hoàng", "Hồ", "Hùng",
	"Huỳnh", "Lê", "Ngô", "Nguyễn", "Ô", "Ơn", "Phạm", "Trần", "Uyên", "Ưng",
	"Võ", "Vũ", "Yến",
};

static void shuffled_names(char **v, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) v[i] = (char *)sorted_names[i];
	for (size_t i = n - 1; i > 0; i--) {
		seed = seed * 1103515245u + 12345u;
		size_t j = (seed >> 8) % (i + 1);
		char *t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void test_sort_names(void **state)
{
	(void)state;
	enum { N = ARRAY_LEN(sorted_names) };
	char *v[N];
	shuffled_names(v, N, 42);
	vn_sort_strings(v, N);
	for (size_t i = 0; i < N; i++) assert_string_equal(v[i], sorted_names[i]);
	vn_sort_strings(v, 0);   /* nothing to do, nothing to crash */
	vn_sort_strings(v, 1);
	assert_string_equal(v[0], "An");
}

static void *sort_many(void *arg)
{
	enum { N = ARRAY_LEN(sorted_names) };
	unsigned seed = (unsigned)(uintptr_t)arg;
	for (int round = 0; round < 200; round++) {
		char *v[N];
		shuffled_names(v, N, seed + (unsigned)round);
		vn_sort_strings(v, N);
		for (size_t i = 0; i < N; i++)
			if (strcmp(v[i], sorted_names[i]) != 0) return (void *)1;
	}
	return NULL;   /* the thread's collator is closed as the thread ends */
}

static void test_collate_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sort_many, (void *)(i * 1000)), 0);
	for (int i = 0; i < 4; i++) {
		void *r = (void *)2;
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
	/* the main thread can drop its collator and open a new one */
	vn_collate_thread_done();
	vn_collate_thread_done();
	assert_true(vn_collate("Dương", "Đặng") < 0);
}

/* ---- Search keys ------------------------------------------------------ */

static void test_fold(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"Trường Đông Hà", "truong dong ha"},
		{"NGUYỄN THỊ ÁNH", "nguyen thi anh"},
		{"Tru\xcc\x9bo\xcc\x9b\xcc\x80ng \xc4\x90o\xcc\x82ng Ha\xcc\x80", "truong dong ha"},
		{"Phòng GD&ĐT Quận 7", "phong gd&dt quan 7"},
		{"Ðinh Bộ Lĩnh", "dinh bo linh"},   /* eth, the look-alike of Đ */
		{"Trường THPT chuyên Lê Hồng Phong", "truong thpt chuyen le hong phong"},
		{"ăâêôơưđ ĂÂÊÔƠƯĐ", "aaeooud aaeooud"},
		{"plain", "plain"},
		{"", ""},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *f = vn_fold(cases[i][0]);
		assert_non_null(f);
		assert_string_equal(f, cases[i][1]);
		free(f);
	}
	assert_null(vn_fold("Tr\xE1\xBB"));
	assert_null(vn_fold("\xC0\xAF"));
}

/* ---- Legacy encodings ------------------------------------------------- */

static void test_tcvn3(void **state)
{
	(void)state;
	assert_legacy("Tr\xad\xeang Ti\xd3u h\xe4" "c Nguy\xd4n Du", VN_ENC_TCVN3, false,
	              "Trường Tiểu học Nguyễn Du");
	assert_legacy("Ph\xdfng Gi\xb8o d\xf4" "c v\xb5 \xa7\xb5o t\xb9o huy\xd6n \xa7\xabng H\xb5",
	              VN_ENC_TCVN3, false, "Phòng Giáo dục và Đào tạo huyện Đông Hà");
	assert_legacy("Tr\xad\xeang THCS L\xaa Qu\xfd \xa7\xabn", VN_ENC_TCVN3, false,
	              "Trường THCS Lê Quý Đôn");
	assert_legacy("S\xeb Gi\xb8o d\xf4" "c v\xb5 \xa7\xb5o t\xb9o H\xb5 N\xe9i", VN_ENC_TCVN3,
	              false, "Sở Giáo dục và Đào tạo Hà Nội");
	assert_legacy("Tr\xad\xeang M\xc7m non Hoa Sen", VN_ENC_TCVN3, false,
	              "Trường Mầm non Hoa Sen");
	/* a CSV export: header in ASCII, rows in TCVN3 */
	assert_legacy("STT,Ten truong,Huyen\n1,Tr\xad\xeang Ti\xd3u h\xe4" "c Kim \xa7\xe5ng,"
	              "\xa7\xabng H\xb5\n2,Tr\xad\xeang THCS L\xaa Qu\xfd \xa7\xabn,Cam L\xe9\n",
	              VN_ENC_TCVN3, false,
	              "STT,Ten truong,Huyen\n1,Trường Tiểu học Kim Đồng,Đông Hà\n"
	              "2,Trường THCS Lê Quý Đôn,Cam Lộ\n");
	/* Word's smart quotes sit where the full TCVN set has toned
	 * capitals that the ABC fonts never had */
	assert_legacy("\x93Tr\xad\xeang h\xe4" "c h\xdf" "a b\xd7nh\x94", VN_ENC_TCVN3, false,
	              "“Trường học hòa bình”");
	/* all capitals typed in .VnTimeH use the lower-case codes; a whole
	 * field in capitals is upper-cased */
	assert_legacy("TR\xad\xeaNG TI\xd3U H\xe4" "C \xa7\xab" "NG H\xb5", VN_ENC_TCVN3, false,
	              "TRƯỜNG TIỂU HỌC ĐÔNG HÀ");
	/* …but not a field with ASCII lower case, nor a lone capital */
	static const char *const keep[][2] = {
		{"V\xb5 Tr\xad\xeang", "Và Trường"},
		{"THCS L\xaa L\xac" "i", "THCS Lê Lơi"},
		{"V\xb5,TR\xad\xeaNG", "Và,TRƯỜNG"},
	};
	for (size_t i = 0; i < ARRAY_LEN(keep); i++) {
		char *t = vn_legacy_to_utf8(keep[i][0], strlen(keep[i][0]), VN_ENC_TCVN3);
		assert_string_equal(t, keep[i][1]);
		free(t);
	}
}

static void test_vni(void **state)
{
	(void)state;
	assert_legacy("Tr\xf6\xf4\xf8ng Tie\xe5u ho\xef" "c Nguye\xe3n Du", VN_ENC_VNI, false,
	              "Trường Tiểu học Nguyễn Du");
	assert_legacy("Pho\xf8ng Gia\xf9o du\xef" "c va\xf8 \xd1" "a\xf8o ta\xefo huye\xe4n \xd1o\xe2ng Ha\xf8",
	              VN_ENC_VNI, false, "Phòng Giáo dục và Đào tạo huyện Đông Hà");
	assert_legacy("Tr\xf6\xf4\xf8ng THCS Le\xe2 Quy\xf9 \xd1o\xe2n", VN_ENC_VNI, false,
	              "Trường THCS Lê Quý Đôn");
	assert_legacy("S\xf4\xfb Gia\xf9o du\xef" "c va\xf8 \xd1" "a\xf8o ta\xefo Ha\xf8 No\xe4i",
	              VN_ENC_VNI, false, "Sở Giáo dục và Đào tạo Hà Nội");
	assert_legacy("\xd1" "a\xebng Th\xf2 A\xd9nh, Huy\xf8nh Thu\xfby Tie\xe2n", VN_ENC_VNI, false,
	              "Đặng Thị Ánh, Huỳnh Thủy Tiên");
	assert_legacy("TR\xd6\xd4\xd8NG TIE\xc5U HO\xcf" "C NGH\xd3" "A H\xd6NG", VN_ENC_VNI, false,
	              "TRƯỜNG TIỂU HỌC NGHĨA HƯNG");
	assert_legacy("Tr\xf6\xf4\xf8ng Ma\xe0m non Hoa Sen, TP Ho\xe0 Ch\xed Minh", VN_ENC_VNI, false,
	              "Trường Mầm non Hoa Sen, TP Hồ Chí Minh");
	/* breve with tone, and ỵ / ĩ / ỉ as single bytes */
	const char *marks = "ma\xe9" "c, ta\xeam, Ngh\xe6, hoa m\xee, hoa \xf3";
	char *t = vn_legacy_to_utf8(marks, strlen(marks), VN_ENC_VNI);
	assert_string_equal(t, "mắc, tăm, Nghỉ, hoa mỵ, hoa ĩ");
	free(t);
	/* a mark byte that fits no letter stays the Latin-1 letter it is */
	t = vn_legacy_to_utf8("\xf9x", 2, VN_ENC_VNI);
	assert_string_equal(t, "ùx");
	free(t);
}

/* Every letter in VNI: each mark byte, lower and capital height. */
static void test_vni_alphabet(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"a a\xf8 a\xfb a\xf5 a\xf9 a\xef a\xea a\xe8 a\xfa a\xfc a\xe9 a\xeb a\xe2 a\xe0 a\xe5 "
		 "a\xe3 a\xe1 a\xe4 e e\xf8 e\xfb e\xf5 e\xf9 e\xef e\xe2 e\xe0 e\xe5 e\xe3 e\xe1 e\xe4 "
		 "i \xec \xe6 \xf3 \xed \xf2 o o\xf8 o\xfb o\xf5 o\xf9 o\xef o\xe2 o\xe0 o\xe5 o\xe3 "
		 "o\xe1 o\xe4 \xf4 \xf4\xf8 \xf4\xfb \xf4\xf5 \xf4\xf9 \xf4\xef u u\xf8 u\xfb u\xf5 "
		 "u\xf9 u\xef \xf6 \xf6\xf8 \xf6\xfb \xf6\xf5 \xf6\xf9 \xf6\xef y y\xf8 y\xfb y\xf5 "
		 "y\xf9 \xee \xf1",
		 "a à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ e è ẻ ẽ é ẹ ê ề ể ễ ế ệ i ì ỉ ĩ í ị "
		 "o ò ỏ õ ó ọ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ u ù ủ ũ ú ụ ư ừ ử ữ ứ ự y ỳ ỷ ỹ ý ỵ đ"},
		{"A A\xd8 A\xdb A\xd5 A\xd9 A\xcf A\xca A\xc8 A\xda A\xdc A\xc9 A\xcb A\xc2 A\xc0 A\xc5 "
		 "A\xc3 A\xc1 A\xc4 E E\xd8 E\xdb E\xd5 E\xd9 E\xcf E\xc2 E\xc0 E\xc5 E\xc3 E\xc1 E\xc4 "
		 "I \xcc \xc6 \xd3 \xcd \xd2 O O\xd8 O\xdb O\xd5 O\xd9 O\xcf O\xc2 O\xc0 O\xc5 O\xc3 "
		 "O\xc1 O\xc4 \xd4 \xd4\xd8 \xd4\xdb \xd4\xd5 \xd4\xd9 \xd4\xcf U U\xd8 U\xdb U\xd5 "
		 "U\xd9 U\xcf \xd6 \xd6\xd8 \xd6\xdb \xd6\xd5 \xd6\xd9 \xd6\xcf Y Y\xd8 Y\xdb Y\xd5 "
		 "Y\xd9 \xce \xd1",
		 "A À Ả Ã Á Ạ Ă Ằ Ẳ Ẵ Ắ Ặ Â Ầ Ẩ Ẫ Ấ Ậ E È Ẻ Ẽ É Ẹ Ê Ề Ể Ễ Ế Ệ I Ì Ỉ Ĩ Í Ị "
		 "O Ò Ỏ Õ Ó Ọ Ô Ồ Ổ Ỗ Ố Ộ Ơ Ờ Ở Ỡ Ớ Ợ U Ù Ủ Ũ Ú Ụ Ư Ừ Ử Ữ Ứ Ự Y Ỳ Ỷ Ỹ Ý Ỵ Đ"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *t = vn_legacy_to_utf8(cases[i][0], strlen(cases[i][0]), VN_ENC_VNI);
		assert_string_equal(t, cases[i][1]);
		free(t);
	}
}

static void test_cp1258(void **state)
{
	(void)state;
	assert_legacy("Tr\xfd\xf5\xccng Ti\xea\xd2u ho\xf2" "c Nguy\xea\xden Du", VN_ENC_CP1258, false,
	              "Trường Tiểu học Nguyễn Du");
	assert_legacy("Pho\xccng Gi\xe1o du\xf2" "c v\xe0 \xd0\xe0o ta\xf2o huy\xea\xf2n \xd0\xf4ng H\xe0",
	              VN_ENC_CP1258, false, "Phòng Giáo dục và Đào tạo huyện Đông Hà");
}

static void test_wrapped_in_cp1252(void **state)
{
	(void)state;
	/* TCVN3 text in an XLSX cell: the .VnTime bytes read as Windows-1252 */
	assert_legacy("Tr\xc2\xad\xc3\xaang Ti\xc3\x93u h\xc3\xa4" "c Nguy\xc3\x94n Du", VN_ENC_TCVN3,
	              true, "Trường Tiểu học Nguyễn Du");
	/* VNI text in an XLSX cell: "Tröôøng Tieåu hoïc" */
	assert_legacy("Tr\xc3\xb6\xc3\xb4\xc3\xb8ng Tie\xc3\xa5u ho\xc3\xaf" "c", VN_ENC_VNI, true,
	              "Trường Tiểu học");
	/* UTF-8 read as Windows-1252 and saved as UTF-8 again; the byte 9D,
	 * undefined in 1252, came through as U+009D */
	assert_legacy("Tr\xc3\x86\xc2\xb0\xc3\xa1\xc2\xbb\xc2\x9dng Ti\xc3\xa1\xc2\xbb\xc6\x92u h"
	              "\xc3\xa1\xc2\xbb\xc2\x8d" "c", VN_ENC_UTF8, true, "Trường Tiểu học");
	assert_legacy("Nguy\xc3\xa1\xc2\xbb\xe2\x80\xa6n Th\xc3\xa1\xc2\xbb\xe2\x80\xb9 \xc3\x83\xc2\x81nh",
	              VN_ENC_UTF8, true, "Nguyễn Thị Ánh");
	/* CP1258 read as 1252: "TrýõÌng", and Đ shows as the eth Ð */
	assert_legacy("Tr\xc3\xbd\xc3\xb5\xc3\x8cng Ti\xc3\xaa\xc3\x92u ho\xc3\xb2" "c",
	              VN_ENC_CP1258, true, "Trường Tiểu học");
	assert_legacy("L\xc3\xa2m \xc3\x90\xc3\xb4ng", VN_ENC_CP1258, true, "Lâm Đông");
}

static void test_utf8_and_ascii_stay(void **state)
{
	(void)state;
	assert_legacy("Trường Tiểu học Nguyễn Du", VN_ENC_UTF8, false, "Trường Tiểu học Nguyễn Du");
	/* Latin-1 letters only, which 1252 could re-read: still UTF-8 */
	assert_legacy("Giáo dục Hà Tĩnh", VN_ENC_UTF8, false, "Giáo dục Hà Tĩnh");
	assert_legacy("Giáo viên", VN_ENC_UTF8, false, "Giáo viên");
	/* clean UTF-8 stays as it is even when another reading of its bytes
	 * also spells Vietnamese: VNI would make these "Cơ Tơ", "Sổi Gũn" */
	assert_legacy("Cô Tô", VN_ENC_UTF8, false, "Cô Tô");
	assert_legacy("Sài Gòn", VN_ENC_UTF8, false, "Sài Gòn");
	assert_legacy("Thái Bình", VN_ENC_UTF8, false, "Thái Bình");
	/* NFD input comes out NFC */
	assert_legacy("Tru\xcc\x9bo\xcc\x9b\xcc\x80ng \xc4\x90o\xcc\x82ng Ha\xcc\x80", VN_ENC_UTF8, false,
	              "Trường Đông Hà");

	const char *ascii = "Truong THCS Le Loi, 2024-2025";
	vn_detection d = vn_legacy_detect(ascii, strlen(ascii));
	assert_int_equal(d.enc, VN_ENC_UTF8);
	assert_int_equal(d.confidence, 100);
	assert_false(d.via_cp1252);
	for (vn_encoding e = VN_ENC_UTF8; e < VN_ENC_UNKNOWN; e++) {
		char *t = vn_legacy_to_utf8(ascii, strlen(ascii), e);
		assert_string_equal(t, ascii);
		free(t);
	}
	char *t = vn_legacy_decode_auto(ascii, strlen(ascii), NULL);
	assert_string_equal(t, ascii);
	free(t);
	d = vn_legacy_detect("", 0);
	assert_int_equal(d.enc, VN_ENC_UTF8);

	/* a foreign name in UTF-8 is still UTF-8, with less confidence */
	d = vn_legacy_detect("Müller", strlen("Müller"));
	assert_int_equal(d.enc, VN_ENC_UTF8);
	assert_in_range(d.confidence, 1, 79);
	t = vn_legacy_decode_auto("Müller Nguyễn", strlen("Müller Nguyễn"), &d);
	assert_int_equal(d.enc, VN_ENC_UTF8);
	assert_string_equal(t, "Müller Nguyễn");
	free(t);
}

static void test_unknown_and_bad(void **state)
{
	(void)state;
	/* French in Latin-1: not UTF-8, and no decoding reads as Vietnamese */
	const char *fr = "caf\xe9 cr\xe8me br\xfbl\xe9" "e";
	vn_detection d;
	assert_null(vn_legacy_decode_auto(fr, strlen(fr), &d));
	assert_int_equal(d.enc, VN_ENC_UNKNOWN);
	assert_int_equal(d.confidence, 0);

	assert_null(vn_legacy_to_utf8("Tr\xad\xeang", 6, VN_ENC_UTF8));
	assert_null(vn_legacy_to_utf8("abc", 3, VN_ENC_UNKNOWN));
	/* NUL and bytes with no character become U+FFFD, never vanish */
	char *t = vn_legacy_to_utf8("a\0b\x81", 4, VN_ENC_TCVN3);
	assert_string_equal(t, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	free(t);
	t = vn_legacy_to_utf8("\x8a", 1, VN_ENC_CP1258);
	assert_string_equal(t, "\xEF\xBF\xBD");
	free(t);
	/* a VNI mark at the very end */
	t = vn_legacy_to_utf8("a\xe2", 2, VN_ENC_VNI);
	assert_string_equal(t, "â");
	free(t);

	assert_string_equal(vn_encoding_name(VN_ENC_TCVN3), "TCVN3");
	assert_string_equal(vn_encoding_name(VN_ENC_VNI), "VNI");
	assert_string_equal(vn_encoding_name(VN_ENC_CP1258), "CP1258");
	assert_string_equal(vn_encoding_name(VN_ENC_UNKNOWN), "unknown");
}

/* The built-in tables agree with glibc's iconv wherever they mean to.
 * glibc holds a base letter back in case a combining tone follows, so
 * each conversion ends with a flush. "" when iconv has no character. */
static void iconv_one(iconv_t cd, unsigned char byte, char *out, size_t cap)
{
	char in[1] = {(char)byte};
	char *ip = in, *op = out;
	size_t il = 1, ol = cap - 1;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		out[0] = '\0';
		return;
	}
	iconv(cd, NULL, NULL, &op, &ol);
	*op = '\0';
}

static void test_tables_match_iconv(void **state)
{
	(void)state;
	iconv_t tcvn = iconv_open("UTF-8", "TCVN5712-1");
	iconv_t cp = iconv_open("UTF-8", "CP1258");
	if (tcvn == (iconv_t)-1 || cp == (iconv_t)-1) skip();
	char want[32];
	for (int b = 0xA0; b <= 0xFF; b++) {
		char in[1] = {(char)b};
		iconv_one(tcvn, (unsigned char)b, want, sizeof want);
		char *got = vn_legacy_to_utf8(in, 1, VN_ENC_TCVN3);
		if (strcmp(got, want) != 0) fail_msg("TCVN3 byte %02X: %s vs iconv %s", b, got, want);
		free(got);
	}
	for (int b = 0x80; b <= 0xFF; b++) {
		char in[1] = {(char)b};
		iconv_one(cp, (unsigned char)b, want, sizeof want);
		if (!want[0]) continue;   /* undefined in 1258: we give U+FFFD */
		char *got = vn_legacy_to_utf8(in, 1, VN_ENC_CP1258);
		if (strcmp(got, want) != 0) fail_msg("CP1258 byte %02X: %s vs iconv %s", b, got, want);
		free(got);
	}
	iconv_close(tcvn);
	iconv_close(cp);
}

static void test_syllables(void **state)
{
	(void)state;
	static const char *const good[] = {
		"Trường", "Tiểu", "học", "Nguyễn", "Phòng", "Giáo", "dục", "gì", "giữa", "quốc",
		"Quý", "khuya", "nghiêng", "Huỳnh", "Thủy", "Thuỷ", "xoong", "ưng", "oa", "Đặng",
		"ĐẶNG", "người", "tuyết", "chuyện", "Ánh", "yêu", "ăn", "ấm",
		"Tru\xcc\x9bo\xcc\x9b\xcc\x80ng",   /* NFD */
	};
	static const char *const bad[] = {
		"Tröôøng",   /* VNI read as Latin-1 */
		"Tr\xc2\xad\xc3\xaang",   /* TCVN3 read as Latin-1 (soft hyphen) */
		"hòc",       /* c/ch/p/t need sắc or nặng */
		"hoc\xcc\x81\xcc\x80",   /* two tones */
		"Jrai", "café", "Müller", "ăm\xcc\x82", "qu", "ngh", "aaaaaaaa", "Trươừng",
		"ă", "Hồòng",
	};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!vn_legacy_is_syllable(good[i], strlen(good[i]))) fail_msg("rejected %s", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (vn_legacy_is_syllable(bad[i], strlen(bad[i]))) fail_msg("accepted %s", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_today_utc7),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_school_year),
		cmocka_unit_test(test_collate_letters),
		cmocka_unit_test(test_collate_tones),
		cmocka_unit_test(test_sort_names),
		cmocka_unit_test(test_collate_threads),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_tcvn3),
		cmocka_unit_test(test_vni),
		cmocka_unit_test(test_vni_alphabet),
		cmocka_unit_test(test_cp1258),
		cmocka_unit_test(test_wrapped_in_cp1252),
		cmocka_unit_test(test_utf8_and_ascii_stay),
		cmocka_unit_test(test_unknown_and_bad),
		cmocka_unit_test(test_tables_match_iconv),
		cmocka_unit_test(test_syllables),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	vn_collate_thread_done();
	return failed;
}
