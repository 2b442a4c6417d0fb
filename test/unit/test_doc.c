/* test_doc.c — the document layer end to end: every document type of the
 * set is generated for the fixture (doc_fixture.h) in PDF and DOCX (and
 * XLSX where it has one), and read back as a user's tools would:
 *   - PDF through pdftotext: names, numbers, totals and levels, with their
 *     diacritics; one page image per type (pdftoppm -r 100) is kept under
 *     BUILD/artefacts/doc/ to look at;
 *   - DOCX unzipped with libzip, every part parsed with expat, the text of
 *     word/document.xml compared; LibreOffice converts them all to PDF;
 *   - XLSX unzipped and its shared strings and sheets parsed: the cells
 *     hold the values and units come in Vietnamese order.
 * Also: the model on its own (upper case, balanced header lines, NFD text,
 * a table's header repeated on every page), the documents table and the
 * audit log, the self-inspection inputs, and bad requests.
 *
 * Runs on SQLite and, when CHISO_TEST_PG is set, on PostgreSQL (store_run).
 * `test_doc --make-fixture DB` writes the fixture to a database for the
 * CLI tests (test/cli/doc.sh) and prints its ids. */
#include "store_test.h"
#include "testutil.h"
#include "audit.h"
#include "doc.h"
#include "doc_fixture.h"
#include "doc_set.h"
#include "framework.h"
#include "q_register.h"
#include "q_register_signed.h"
#include "vn.h"
#include <errno.h>
#include <expat.h>
#include <libgen.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

static char artefacts[512];          /* BUILD/artefacts/doc */
static fw_catalog catalog;
static bool catalog_loaded;

static const fw_catalog *cat(void)
{
	if (!catalog_loaded) {
		fw_catalog_load_default(&catalog, NULL);
		catalog_loaded = true;
	}
	return &catalog;
}

/* ---- helpers ------------------------------------------------------------------ */

static char *capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	if (!p) return NULL;
	buf b;
	buf_init(&b);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&b, chunk, n);
	int st = pclose(p);
	if (status) *status = st;
	buf_append(&b, "", 0);
	return buf_take(&b);
}

/* NFC, every run of white space one space: what a reader sees. */
static char *squash(const char *s)
{
	char *nfc = vn_nfc(s);
	assert_non_null(nfc);
	char *o = nfc;
	bool space = false;
	for (const char *p = nfc; *p; p++) {
		bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f';
		if (ws) { if (!space && o != nfc) *o++ = ' '; space = true; }
		else { *o++ = *p; space = false; }
	}
	*o = '\0';
	return nfc;
}

/* A needle starting with "~" wraps inside a narrow table cell, where
 * pdftotext reads the lines of neighbouring cells in between: it is
 * checked in the DOCX text only (pdf = true skips it). One starting with
 * "^" is text of the PDF only (a chart: a picture in the DOCX). */
static void expect_text_in(const char *what, const char *text, const char *const *needles, bool pdf)
{
	for (const char *const *n = needles; *n; n++) {
		const char *needle = **n == '~' || **n == '^' ? *n + 1 : *n;
		if ((**n == '~' && pdf) || (**n == '^' && !pdf)) continue;
		if (!strstr(text, needle)) fail_msg("%s: expected \"%s\" in:\n%s", what, needle, text);
	}
}

static void expect_text(const char *what, const char *text, const char *const *needles)
{
	expect_text_in(what, text, needles, false);
}

static void write_bytes(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	fclose(f);
}

static char *pdf_text(const char *path)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
	int st = 0;
	char *raw = capture(cmd, &st);
	if (!raw || st != 0) fail_msg("pdftotext failed on %s (install poppler-utils): %s", path, raw ? raw : "");
	char *s = squash(raw);
	free(raw);
	return s;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads one member of a ZIP held in memory; NULL when absent. */
static char *zip_member(const buf *zipdata, const char *name, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!z) fail_msg("not a valid ZIP: %s", zip_error_strerror(&ze));
	zip_stat_t st;
	char *out = NULL;
	if (zip_stat(z, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(z, name, 0);
		out = xmalloc(st.size + 1);
		assert_int_equal(zip_fread(f, out, st.size), (zip_int64_t)st.size);
		out[st.size] = '\0';
		zip_fclose(f);
		if (len) *len = st.size;
	}
	zip_close(z);
	zip_error_fini(&ze);
	return out;
}

static int zip_count(const buf *zipdata, char names[][64], int max)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	int n = (int)zip_get_num_entries(z, 0);
	for (int i = 0; i < n && i < max; i++) snprintf(names[i], 64, "%s", zip_get_name(z, (zip_uint64_t)i, 0));
	zip_close(z);
	zip_error_fini(&ze);
	return n;
}

/* Text of a WordprocessingML or SpreadsheetML part: character data of
 * w:t / t elements; paragraphs, breaks and cells become spaces. */
typedef struct xml_text {
	buf out;
	int depth_t;
	bool ok;
	/* spreadsheet cells */
	bool sheet;
	char cell_ref[16], cell_type[8];
	bool in_v;
	buf v;
	char **shared;
	size_t nshared;
} xml_text;

static void XMLCALL x_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xml_text *x = ud;
	if (!strcmp(name, "w:t") || !strcmp(name, "t")) x->depth_t++;
	else if (!strcmp(name, "w:br") || !strcmp(name, "w:tab")) buf_putc(&x->out, ' ');
	else if (!strcmp(name, "c") && x->sheet) {
		x->cell_ref[0] = x->cell_type[0] = '\0';
		for (int i = 0; atts[i]; i += 2) {
			if (!strcmp(atts[i], "r")) snprintf(x->cell_ref, sizeof x->cell_ref, "%s", atts[i + 1]);
			if (!strcmp(atts[i], "t")) snprintf(x->cell_type, sizeof x->cell_type, "%s", atts[i + 1]);
		}
	} else if (!strcmp(name, "v") && x->sheet) {
		x->in_v = true;
		buf_reset(&x->v);
	}
}

static void XMLCALL x_end(void *ud, const XML_Char *name)
{
	xml_text *x = ud;
	if ((!strcmp(name, "w:t") || !strcmp(name, "t")) && x->depth_t) x->depth_t--;
	else if (!strcmp(name, "w:p") || !strcmp(name, "w:tc") || !strcmp(name, "si")) buf_putc(&x->out, '\n');
	else if (!strcmp(name, "v") && x->sheet) {
		x->in_v = false;
		const char *val = buf_str(&x->v);
		if (!strcmp(x->cell_type, "s")) {
			size_t k = (size_t)atol(val);
			val = k < x->nshared ? x->shared[k] : "?";
		}
		buf_printf(&x->out, "%s=%s\n", x->cell_ref, val);
	}
}

static void XMLCALL x_chars(void *ud, const XML_Char *s, int len)
{
	xml_text *x = ud;
	if (x->in_v) buf_append(&x->v, s, (size_t)len);
	else if (x->depth_t) buf_append(&x->out, s, (size_t)len);
}

/* Parses an XML part; fails the test when it is not well-formed. */
static char *xml_parse(const char *xml, bool sheet, char **shared, size_t nshared)
{
	xml_text x = { .sheet = sheet, .shared = shared, .nshared = nshared };
	buf_init(&x.out);
	buf_init(&x.v);
	XML_Parser p = XML_ParserCreate("UTF-8");
	XML_SetUserData(p, &x);
	XML_SetElementHandler(p, x_start, x_end);
	XML_SetCharacterDataHandler(p, x_chars);
	if (XML_Parse(p, xml, (int)strlen(xml), 1) == XML_STATUS_ERROR)
		fail_msg("XML not well-formed at line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
		         XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	buf_free(&x.v);
	buf_append(&x.out, "", 0);
	return buf_take(&x.out);
}

/* ---- what each document must say ------------------------------------------------ */

typedef struct expect {
	const char *type;
	const char *const *needles;
} expect;

#define L(...) (const char *const[]){ __VA_ARGS__, NULL }

static const char *const common[] = { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", NULL };

static const expect expects[] = {
	{ "plan", L("KẾ HOẠCH", "TRƯỜNG THCS NGUYỄN HỮU THỌ", "Số: 07/KH-THCSNHT", "Quận 7, ngày 05 tháng 5 năm 2025",
	            "Mức 2 (đáp ứng cơ bản): tổng điểm của mỗi nhóm tiêu chí từ 50 đến 75 điểm",
	            "Thu thập, lập danh mục minh chứng theo các tiêu chí của Bộ chỉ số", "Tháng 4/2025", "Nơi nhận:",
	            "HIỆU TRƯỞNG", "Nguyễn Văn An") },
	{ "council", L("QUYẾT ĐỊNH", "Số: 15/QĐ-THCSNHT", "Quận 7, ngày 10 tháng 3 năm 2025",
	               "HIỆU TRƯỞNG TRƯỜNG THCS NGUYỄN HỮU THỌ", "Đặng Thu Hà", "Tổ trưởng chuyên môn", "Phó Chủ tịch",
	               "Điều 3.", "Như Điều 3;", "(Ký, ghi rõ họ tên, đóng dấu)") },
	{ "minutes", L("BIÊN BẢN", "Số: 07/BB-THCSNHT", "Quyết định số 15/QĐ-THCSNHT ngày 10 tháng 3 năm 2025",
	               "Chuyển đổi số trong dạy, học", "89", "Mức 3 (đáp ứng tốt)", "Mức 2 (đáp ứng cơ bản)",
	               "MC-1.1-01", "THƯ KÝ", "Lê Hoàng Cường", "CHỦ TỊCH HỘI ĐỒNG") },
	{ "report", L("BÁO CÁO", "Số: 07/BC-THCSNHT", "Tổng số CB-GV-CNV: 68 người",
	              "Phó Hiệu trưởng: 2 người", "thiếu: 2", "hợp đồng trường: 3", "VnEdu", "SMAS",
	              "150.000 đồng", "tuyển sinh đầu cấp trực tuyến", "10 màn hình tương tác",
	              "MC-1.3-01", "đạt 89 điểm, Mức 3 (đáp ứng tốt)", "đạt 50 điểm, Mức 2 (đáp ứng cơ bản)",
	              "mức độ chuyển đổi số của đơn vị: Mức 2 (đáp ứng cơ bản)", "Phòng GD&ĐT Quận 7 (để b/c);") },
	{ "approval", L("QUYẾT ĐỊNH", "Về việc phê duyệt kết quả tự đánh giá", "Số: 07/QĐ-THCSNHT",
	                "Mức độ chuyển đổi số của đơn vị", "Mức 2 (đáp ứng cơ bản)", "trước ngày 31/05/2025") },
	{ "request", L("TỜ TRÌNH", "Số: 07/TTr-THCSNHT", "Kính gửi: Phòng Giáo dục và Đào tạo Quận 7.",
	               "Quyết định số 15/QĐ-THCSNHT", "Danh mục minh chứng (3 minh chứng)", "Như trên;") },
	{ "evidence", L("DANH MỤC MINH CHỨNG", "MC-1.1-01", "MC-1.3-01", "MC-2.3.3-01", "15/09/2024",
	                "~Công ty Cổ phần Giáo dục Số", "~Cổng học bạ số") },
	{ "external-minutes", L("BIÊN BẢN", "Số: 07/BB-PGDĐT", "UBND QUẬN 7", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Phạm Thị Dung",
	                        "Võ Văn Em", "Học bạ điện tử đã ký số, kiểm tra trực tiếp trên hệ thống", "đạt 60 điểm",
	                        "TRƯỞNG ĐOÀN", "ĐẠI DIỆN ĐƠN VỊ") },
	{ "team", L("QUYẾT ĐỊNH", "Số: 07/QĐ-PGDĐT", "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 7", "UBND QUẬN 7",
	            "Trưởng đoàn", "Phạm Thị Dung", "PHÂN CÔNG KIỂM TRA, ĐÁNH GIÁ NGOÀI", "Trường Mầm non Sơn Ca") },
	{ "recognition", L("QUYẾT ĐỊNH", "Về việc công nhận mức độ chuyển đổi số", "đối với 4 cơ sở giáo dục",
	                   "Mức 3: 2 đơn vị; Mức 2: 1 đơn vị; Mức 1: 1 đơn vị", "TRƯỞNG PHÒNG",
	                   "Sở GD&ĐT Thành phố Hồ Chí Minh (để b/c);", "Tổng: 75,5",
	                   "(Kèm theo Quyết định số 07/QĐ-PGDĐT ngày 05 tháng 5 năm 2025 của Phòng Giáo dục và Đào tạo Quận 7)") },
	{ "summary", L("BÁO CÁO", "Số: 07/BC-PGDĐT", "Tổng số cơ sở giáo dục thuộc đợt đánh giá: 6", "Tổng cộng",
	               "^Tỉ lệ đơn vị theo mức độ chuyển đổi số",
	               "Phòng học có thiết bị trình chiếu và kết nối Internet", "Chưa đạt", "Đơn vị điển hình",
	               "Trường THCS Dương Bá Trạc") },
};

static const doc_params params = { .number = "7", .date = "2025-05-05" };
static const doc_params no_params = { 0 };

/* The council decision's number and date are the school's data. */
static const doc_params *params_for(const doc_type *t)
{
	return !strcmp(t->code, "council") ? &no_params : &params;
}

static int64_t object_of(const doc_fx *f, const doc_type *t)
{
	return t->scope == DOC_SCOPE_ASSESSMENT ? f->a_nht : f->round;
}

/* ---- the model on its own ------------------------------------------------------------ */

static void test_model(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(doc_upper(a, "Trường THCS Đống Đa — ỗ ẫ ặ ữ ự"), "TRƯỜNG THCS ĐỐNG ĐA — Ỗ Ẫ Ặ Ữ Ự");
	/* a name too long for the issuer's column breaks into two balanced lines */
	double lw, rw;
	doc_header_columns(&lw, &rw);
	assert_true(lw > 150 && rw > 200 && lw + rw < 470);
	const char *b = doc_balance(a, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 7", DOC_PT_HEADER, 0, lw);
	assert_string_equal(b, "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO QUẬN 7");
	assert_string_equal(doc_balance(a, "TRƯỜNG THCS ĐỐNG ĐA", DOC_PT_HEADER, DOC_B, lw), "TRƯỜNG THCS ĐỐNG ĐA");
	/* the motto's rule is as long as the motto, and the widths are Times New Roman's */
	double motto = doc_text_width_pt(DOC_MOTTO, DOC_PT_MOTTO, DOC_B);
	assert_true(motto > 150 && motto < 170);

	/* NFD text and a 150-row table: the header row repeats on every page */
	doc *d = doc_new();
	doc_set_header(d, "ỦY BAN NHÂN DÂN QUẬN 7", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Số: 01/BC-PGDĐT", "Quận 7, ngày 01 tháng 6 năm 2025");
	doc_set_title(d, "BÁO CÁO", "Thử nghiệm");
	char *nfd = NULL;
	{
		/* "Trường Đống Đa" decomposed: base letters + combining marks */
		const char raw[] = "Tru\xcc\x9bo\xcc\x9b\xcc\x80ng \xc4\x90o\xcc\x82\xcc\x81ng \xc4\x90""a";
		nfd = xstrdup(raw);
	}
	assert_false(vn_is_nfc(nfd));
	doc_text(d, 0, "Tên trong NFD: %s.", nfd);
	free(nfd);
	static const double w[] = { 1, 4, 3 };
	doc_table *t = doc_table_add(d, 3, w);
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Tiêu đề lặp lại");
	doc_cellf(d, h, DOC_CENTER, 0, "Ghi chú");
	for (int i = 1; i <= 150; i++) {
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%d", i);
		doc_cellf(d, r, DOC_LEFT, 0, "Dòng số %d", i);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", i % 7 ? "" : "Một ghi chú khá dài để hàng này cao hơn các hàng khác một chút");
	}
	doc_recipient(d, "Lưu: VT.");
	doc_sign(d, "TRƯỞNG PHÒNG", NULL, "Trần Thị Tuyết");
	buf pdf, err;
	buf_init(&pdf);
	buf_init(&err);
	assert_true(doc_render_pdf(d, &pdf, &err));
	assert_memory_equal(pdf.data, "%PDF-", 5);
	char path[128];
	snprintf(path, sizeof path, "/tmp/chiso-doc-model-%d.pdf", (int)getpid());
	write_bytes(path, &pdf);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep -c '^Pages: *[4-9]'", path);
	char *pages = capture(cmd, NULL);
	assert_int_equal(atoi(pages), 1);            /* at least 4 pages */
	free(pages);
	char *text = pdf_text(path);
	assert_contains(text, "Trường Đống Đa");      /* NFD in, shaped and extracted as the same letters */
	/* one header per page: count "Tiêu đề lặp lại" */
	int heads = 0;
	for (const char *p = text; (p = strstr(p, "Tiêu đề lặp lại")); p++) heads++;
	assert_true(heads >= 4);
	assert_contains(text, "Dòng số 150");
	free(text);
	/* the embedded fonts are Liberation Serif, all of them embedded */
	snprintf(cmd, sizeof cmd, "pdffonts '%s' | tail -n +3 | grep -v LiberationSerif | wc -l; pdffonts '%s' | tail -n +3 | awk '{print $(NF-4)}' | sort -u", path, path);
	char *fonts = capture(cmd, NULL);
	assert_string_equal(fonts, "0\nyes\n");
	free(fonts);
	unlink(path);

	/* the DOCX of the same model: a valid package of well-formed parts */
	buf docx;
	buf_init(&docx);
	assert_true(doc_render_docx(d, &docx, &err));
	char names[16][64];
	int n = zip_count(&docx, names, 16);
	assert_int_equal(n, 10);
	assert_string_equal(names[0], "[Content_Types].xml");
	for (int i = 0; i < n; i++) {
		char *part = zip_member(&docx, names[i], NULL);
		assert_non_null(part);
		free(xml_parse(part, false, NULL, 0));
		free(part);
	}
	char *xml = zip_member(&docx, "word/document.xml", NULL);
	assert_contains(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>");
	assert_contains(xml, "w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\"");
	assert_contains(xml, "<w:tblHeader/>");
	char *dtext = xml_parse(xml, false, NULL, 0);
	char *sq = squash(dtext);
	assert_contains(sq, "Trường Đống Đa");
	assert_contains(sq, "Dòng số 150");
	free(sq);
	free(dtext);
	free(xml);
	char *styles = zip_member(&docx, "word/styles.xml", NULL);
	assert_contains(styles, "w:ascii=\"Times New Roman\"");
	assert_contains(styles, "<w:sz w:val=\"28\"/>");
	free(styles);
	/* the same model gives the same bytes (fixed ZIP times) */
	buf again;
	buf_init(&again);
	assert_true(doc_render_docx(d, &again, &err));
	assert_int_equal(again.len, docx.len);
	assert_memory_equal(again.data, docx.data, docx.len);
	buf_free(&again);
	buf_free(&docx);
	buf_free(&pdf);
	buf_free(&err);
	doc_free(d);
	arena_free(a);
}

/* ---- every document type ------------------------------------------------------------- */

static FILE *timings;

static void note_time(const store_fx *fx, const char *type, const char *fmt, double ms, size_t bytes, int pages)
{
	if (fx->pg || !artefacts[0]) return;
	if (!timings) {
		char p[600];
		snprintf(p, sizeof p, "%s/timings.txt", artefacts);
		timings = fopen(p, "w");
		if (timings) fprintf(timings, "# type format ms bytes pages (SQLite fixture, this machine)\n");
	}
	if (timings) {
		fprintf(timings, "%-18s %-5s %8.1f %8zu %3d\n", type, fmt, ms, bytes, pages);
		fflush(timings);
	}
}

static int pdf_pages(const char *path)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' | sed -n 's/^Pages: *//p'", path);
	char *s = capture(cmd, NULL);
	int n = s ? atoi(s) : 0;
	free(s);
	return n;
}

static void test_every_type_pdf(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	for (size_t i = 0; i < ARRAY_LEN(expects); i++) {
		const doc_type *t = doc_type_find(expects[i].type);
		assert_non_null(t);
		doc_result r;
		buf err;
		buf_init(&err);
		double t0 = now_ms();
		int rc = doc_generate(fx->d, cat(), 0, t, object_of(&f, t), DOC_PDF, params_for(t), true, &r, &err);
		double ms = now_ms() - t0;
		if (rc != DB_OK) fail_msg("%s: %d %s", t->code, rc, buf_str(&err));
		char path[700];
		if (artefacts[0] && !fx->pg) snprintf(path, sizeof path, "%s/%s.pdf", artefacts, t->code);
		else snprintf(path, sizeof path, "%s/%s.pdf", fx->dir, t->code);
		write_bytes(path, &r.data);
		char *text = pdf_text(path);
		expect_text(t->code, text, common);
		expect_text_in(t->code, text, expects[i].needles, true);
		free(text);
		int pages = pdf_pages(path);
		assert_true(pages >= 1);
		note_time(fx, t->code, "pdf", ms, r.data.len, pages);
		if (artefacts[0] && !fx->pg) {
			/* page 1 at 100 dpi, to look at against ND 30/2020 */
			char cmd[1600];
			snprintf(cmd, sizeof cmd, "pdftoppm -png -r 100 -f 1 -l 1 -singlefile '%s' '%s/%s' 2>&1", path, artefacts, t->code);
			int st = 0;
			char *o = capture(cmd, &st);
			if (st) fail_msg("pdftoppm: %s", o);
			free(o);
		}
		buf_free(&r.data);
		buf_free(&err);
	}
}

static void test_every_type_docx(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	for (size_t i = 0; i < ARRAY_LEN(expects); i++) {
		const doc_type *t = doc_type_find(expects[i].type);
		doc_result r;
		buf err;
		buf_init(&err);
		double t0 = now_ms();
		int rc = doc_generate(fx->d, cat(), 0, t, object_of(&f, t), DOC_DOCX, params_for(t), true, &r, &err);
		double ms = now_ms() - t0;
		if (rc != DB_OK) fail_msg("%s: %d %s", t->code, rc, buf_str(&err));
		char names[16][64];
		int n = zip_count(&r.data, names, 16);
		for (int k = 0; k < n; k++) {
			size_t nl = strlen(names[k]);
			if (nl > 4 && !strcmp(names[k] + nl - 4, ".png")) continue;   /* a chart's picture */
			char *part = zip_member(&r.data, names[k], NULL);
			free(xml_parse(part, false, NULL, 0));
			free(part);
		}
		char *xml = zip_member(&r.data, "word/document.xml", NULL);
		assert_non_null(xml);
		if (!strcmp(t->code, "summary")) {
			/* the chart: a PNG part, referenced from the text */
			size_t plen = 0;
			char *png = zip_member(&r.data, "word/media/chart1.png", &plen);
			assert_non_null(png);
			assert_memory_equal(png, "\x89PNG", 4);
			free(png);
			assert_contains(xml, "r:embed=\"rIdC1\"");
		}
		/* named styles (issue 12, item 8): the title, every table cell,
		 * and the report's and summary's numbered headings by level, which
		 * Word's navigation pane lists through the styles' outline levels */
		assert_contains(xml, "<w:pStyle w:val=\"Title\"/>");
		if (strstr(xml, "<w:tblBorders>")) assert_contains(xml, "<w:pStyle w:val=\"TableText\"/>");   /* a data table, not the header's layout */
		if (!strcmp(t->code, "summary") || !strcmp(t->code, "report")) {
			assert_contains(xml, "<w:pStyle w:val=\"Heading1\"/><w:keepNext/>");
			assert_contains(xml, "<w:pStyle w:val=\"BodyText\"/>");
			char *styles = zip_member(&r.data, "word/styles.xml", NULL);
			assert_contains(styles, "w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>");
			assert_contains(styles, "<w:outlineLvl w:val=\"0\"/>");
			assert_contains(styles, "w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/>");
			free(styles);
			/* the title property: the summary's line break became a space */
			char *core = zip_member(&r.data, "docProps/core.xml", NULL);
			assert_contains(core, "chuyển đổi số ");
			assert_null(strstr(core, "sốnăm"));
			assert_null(strstr(core, "sốcủa"));
			free(core);
		}
		char *raw = xml_parse(xml, false, NULL, 0);
		char *text = squash(raw);
		expect_text(t->code, text, common);
		expect_text(t->code, text, expects[i].needles);
		free(text);
		free(raw);
		free(xml);
		note_time(fx, t->code, "docx", ms, r.data.len, 0);
		if (artefacts[0] && !fx->pg) {
			char path[700];
			snprintf(path, sizeof path, "%s/%s.docx", artefacts, t->code);
			write_bytes(path, &r.data);
		}
		buf_free(&r.data);
		buf_free(&err);
	}
}

/* The cells of every sheet as "REF=value" lines, sheet by sheet. */
static char *xlsx_cells(const buf *x, int sheet)
{
	size_t nss = 0;
	char **ss = NULL;
	char *sst = zip_member(x, "xl/sharedStrings.xml", NULL);
	if (sst) {
		char *all = xml_parse(sst, false, NULL, 0);       /* one string per line (si) */
		for (char *save = NULL, *l = strtok_r(all, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			ss = xrealloc(ss, (nss + 1) * sizeof *ss);
			ss[nss++] = xstrdup(l);
		}
		free(all);
		free(sst);
	}
	char name[64];
	snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", sheet);
	char *xml = zip_member(x, name, NULL);
	assert_non_null(xml);
	char *cells = xml_parse(xml, true, ss, nss);
	free(xml);
	for (size_t i = 0; i < nss; i++) free(ss[i]);
	free(ss);
	return cells;
}

static int row_of(const char *cells, const char *value)
{
	char needle[256];
	snprintf(needle, sizeof needle, "=%s\n", value);
	const char *p = strstr(cells, needle);
	if (!p) fail_msg("no cell \"%s\" in:\n%s", value, cells);
	while (p > cells && p[-1] != '\n') p--;
	while (*p >= 'A' && *p <= 'Z') p++;
	return atoi(p);
}

static void test_xlsx(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	const char *types[] = { "report", "evidence", "recognition", "summary", "external-minutes", "minutes" };
	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		const doc_type *t = doc_type_find(types[i]);
		assert_non_null(t->xlsx);
		doc_result r;
		buf err;
		buf_init(&err);
		double t0 = now_ms();
		int rc = doc_generate(fx->d, cat(), 0, t, object_of(&f, t), DOC_XLSX, &params, true, &r, &err);
		if (rc != DB_OK) fail_msg("%s: %s", t->code, buf_str(&err));
		note_time(fx, t->code, "xlsx", now_ms() - t0, r.data.len, 0);
		char *c1 = xlsx_cells(&r.data, 1);
		if (!strcmp(types[i], "report")) {
			/* points are numbers, not text; 2.3.3 "pdf" gives 5 */
			assert_contains(c1, "B4=Tiêu chí, chỉ tiêu\n");
			int r233 = row_of(c1, "2.3.3");
			char want[64];
			snprintf(want, sizeof want, "D%d=5\n", r233);
			assert_contains(c1, want);
			/* the school's report: its own side, with explanations, no external column */
			assert_null(strstr(c1, "=Đánh giá ngoài\n"));
			assert_contains(c1, "F4=Giải thích\n");
			char *c2 = xlsx_cells(&r.data, 2);
			assert_contains(c2, "C4=89\n");
			assert_contains(c2, "C5=50\n");
			assert_null(strstr(c2, "E5=60\n"));
			assert_contains(c2, "Mức 2 (đáp ứng cơ bản)");
			free(c2);
		} else if (!strcmp(types[i], "external-minutes")) {
			/* both sides and their difference: 2.3.3 self 5, external 15 (digitally signed) */
			assert_contains(c1, "E4=Đánh giá ngoài\n");
			assert_contains(c1, "F4=Chênh lệch (ngoài − tự)\n");
			int r233 = row_of(c1, "2.3.3");
			char want[64];
			snprintf(want, sizeof want, "E%d=15\n", r233);
			assert_contains(c1, want);
			snprintf(want, sizeof want, "F%d=10\n", r233);
			assert_contains(c1, want);
			char *c2 = xlsx_cells(&r.data, 2);
			assert_contains(c2, "E5=60\n");
			free(c2);
		} else if (!strcmp(types[i], "minutes")) {
			/* the council's minutes: self-assessment and evidence only */
			assert_contains(c1, "E4=Minh chứng\n");
			assert_null(strstr(c1, "=Đánh giá ngoài\n"));
			assert_null(strstr(c1, "=Giải thích\n"));
		} else if (!strcmp(types[i], "evidence")) {
			assert_contains(c1, "=MC-2.3.3-01\n");
			assert_contains(c1, "=https://hocbaso.edu.vn/79760101\n");
			/* a real date: 15/09/2024 is Excel serial 45550 */
			assert_contains(c1, "=45550\n");
		} else if (!strcmp(types[i], "recognition") || !strcmp(types[i], "summary")) {
			/* Vietnamese order: Á after A, Đ after D, before N */
			int anh = row_of(c1, "Trường THCS Ánh Sáng"), dbt = row_of(c1, "Trường THCS Dương Bá Trạc");
			int nht = row_of(c1, "Trường THCS Nguyễn Hữu Thọ");
			if (!strcmp(types[i], "summary")) {
				int dd = row_of(c1, "Trường THCS Đống Đa");
				assert_true(anh < dbt && dbt < dd && dd < nht);
			} else {
				/* the decision lists only what it recognises: not the draft */
				assert_null(strstr(c1, "=Trường THCS Đống Đa\n"));
				assert_true(anh < dbt && dbt < nht);
			}
			char want[64];
			snprintf(want, sizeof want, "E%d=89\n", nht);
			assert_contains(c1, want);
			snprintf(want, sizeof want, "F%d=60\n", nht);     /* the external result */
			assert_contains(c1, want);
			int sonca = row_of(c1, "Trường Mầm non Sơn Ca");
			/* one scale: the share of the maximum (75.5 of 100), not a total */
			snprintf(want, sizeof want, "G%d=0.755\n", sonca);
			assert_contains(c1, want);
			char *c2 = xlsx_cells(&r.data, 2);
			assert_contains(c2, "=Tổng cộng\n");
			free(c2);
			if (!strcmp(types[i], "summary")) {
				assert_contains(c1, "J4=Trạng thái hồ sơ\n");
				char *c3 = xlsx_cells(&r.data, 3);
				assert_contains(c3, "=Phòng học có thiết bị trình chiếu và kết nối Internet\n");
				free(c3);
			} else {
				assert_contains(c1, "H4=Mức được công nhận\n");
				assert_null(strstr(c1, "=Trạng thái hồ sơ\n"));
			}
		}
		free(c1);
		/* A4 with its orientation, and the header row printed on every page */
		char *sheet = zip_member(&r.data, "xl/worksheets/sheet1.xml", NULL);
		assert_contains(sheet, "paperSize=\"9\"");
		assert_contains(sheet, "orientation=\"");
		free(sheet);
		char *book = zip_member(&r.data, "xl/workbook.xml", NULL);
		assert_contains(book, "_xlnm.Print_Titles");
		free(book);
		if (artefacts[0] && !fx->pg) {
			char path[700];
			snprintf(path, sizeof path, "%s/%s.xlsx", artefacts, t->code);
			write_bytes(path, &r.data);
		}
		buf_free(&r.data);
		buf_free(&err);
	}
	/* a document without a spreadsheet form says so */
	doc_result r;
	buf err;
	buf_init(&err);
	assert_int_equal(doc_generate(fx->d, cat(), 0, doc_type_find("plan"), f.a_nht, DOC_XLSX, &params, true, &r, &err), DB_EINVAL);
	assert_contains(buf_str(&err), "không có bản Excel");
	buf_free(&err);
}

/* LibreOffice opens every DOCX and converts it to PDF, and reads the round's
 * XLSX into CSV: what users' own office software will do. */
static void test_libreoffice(void **state)
{
	store_fx *fx = *state;
	if (fx->pg) skip();
	int st = 0;
	char *which = capture("command -v soffice 2>/dev/null", &st);
	free(which);
	if (st != 0) {
		printf("[ SKIPPED  ] LibreOffice (soffice) is not installed\n");
		skip();
	}
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	char list[8192] = "";
	for (size_t i = 0; i < ARRAY_LEN(expects); i++) {
		const doc_type *t = doc_type_find(expects[i].type);
		doc_result r;
		buf err;
		buf_init(&err);
		OK(doc_generate(fx->d, cat(), 0, t, object_of(&f, t), DOC_DOCX, params_for(t), false, &r, &err));
		char path[700];
		snprintf(path, sizeof path, "%s/%s.docx", fx->dir, t->code);
		write_bytes(path, &r.data);
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, " '%s'", path);
		buf_free(&r.data);
		buf_free(&err);
	}
	char cmd[10000];
	snprintf(cmd, sizeof cmd, "cd '%s' && HOME='%s' timeout 300 soffice -env:UserInstallation=file://%s/lo --headless "
	         "--convert-to pdf --outdir '%s/lo-pdf' %s 2>&1", fx->dir, fx->dir, fx->dir, fx->dir, list);
	double t0 = now_ms();
	char *out = capture(cmd, &st);
	double ms = now_ms() - t0;
	if (st != 0) fail_msg("soffice failed (%d): %s", st, out);
	free(out);
	printf("LibreOffice: %zu DOCX → PDF in %.0f ms\n", ARRAY_LEN(expects), ms);
	if (timings) fprintf(timings, "# LibreOffice headless: %zu DOCX to PDF in one run: %.0f ms\n", ARRAY_LEN(expects), ms);
	for (size_t i = 0; i < ARRAY_LEN(expects); i++) {
		char path[700];
		snprintf(path, sizeof path, "%s/lo-pdf/%s.pdf", fx->dir, expects[i].type);
		char *text = pdf_text(path);
		expect_text(expects[i].type, text, common);
		/* the first needles only: pdftotext reads LibreOffice's justified
		 * lines out of order now and then (the text is there) */
		const char *first[4] = { expects[i].needles[0], expects[i].needles[1], expects[i].needles[2], NULL };
		expect_text(expects[i].type, text, first);
		free(text);
		if (artefacts[0]) {
			/* LibreOffice's rendering of the DOCX, beside ours */
			char c2[2000];
			snprintf(c2, sizeof c2, "pdftoppm -png -r 100 -f 1 -l 1 -singlefile '%s' '%s/%s-docx-lo' 2>&1", path, artefacts, expects[i].type);
			free(capture(c2, NULL));
		}
	}
	/* the round's statistics, through Calc */
	doc_result r;
	buf err;
	buf_init(&err);
	OK(doc_generate(fx->d, cat(), 0, doc_type_find("recognition"), f.round, DOC_XLSX, &params, false, &r, &err));
	char path[700];
	snprintf(path, sizeof path, "%s/round.xlsx", fx->dir);
	write_bytes(path, &r.data);
	buf_free(&r.data);
	buf_free(&err);
	snprintf(cmd, sizeof cmd, "cd '%s' && HOME='%s' timeout 300 soffice -env:UserInstallation=file://%s/lo --headless "
	         "--convert-to csv:\"Text - txt - csv (StarCalc)\":44,34,76 --outdir '%s/lo-csv' '%s' 2>&1", fx->dir, fx->dir, fx->dir, fx->dir, path);
	out = capture(cmd, &st);
	if (st != 0) fail_msg("soffice csv failed: %s", out);
	free(out);
	snprintf(cmd, sizeof cmd, "cat '%s/lo-csv/round.csv'", fx->dir);
	char *csv = capture(cmd, NULL);
	assert_contains(csv, "Trường THCS Nguyễn Hữu Thọ");
	/* group points, then the share of the maximum in the one percentage format */
	assert_contains(csv, ",89,60,74.5%,");
	assert_contains(csv, ",75.5%,");
	free(csv);
}

static void test_recorded_and_audited(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	doc_params p = { .number = "12", .date = "2025-05-20", .signer = "Nguyễn Văn An",
	                 .recipients = "Phòng GD&ĐT Quận 7 (để b/c); Hội đồng tự đánh giá\n- Lưu: VT." };
	doc_result r;
	buf err;
	buf_init(&err);
	OK(doc_generate(fx->d, cat(), f.ht, doc_type_find("report"), f.a_nht, DOC_PDF, &p, true, &r, &err));
	assert_true(r.document_id > 0);
	assert_int_equal(strlen(r.sha256), 64);
	assert_string_equal(r.filename, "bao-cao-79760101-2024-2025.pdf");
	buf_free(&r.data);
	/* the same request again, reusing the last parameters: same number */
	doc_params again = { .reuse_last = true };
	OK(doc_generate(fx->d, cat(), f.ht, doc_type_find("report"), f.a_nht, DOC_DOCX, &again, true, &r, &err));
	buf_free(&r.data);
	arena *a = arena_new();
	document_row *rows;
	size_t n;
	OK(document_list(fx->d, "assessment", f.a_nht, a, &rows, &n));
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].format, "docx");
	assert_string_equal(rows[0].number, "12/BC-THCSNHT");
	assert_string_equal(rows[1].number, "12/BC-THCSNHT");
	assert_string_equal(rows[1].date, "2025-05-20");
	assert_string_equal(rows[1].signer, "Nguyễn Văn An");
	assert_string_equal(rows[1].recipients, "Phòng GD&ĐT Quận 7 (để b/c);\nHội đồng tự đánh giá;\nLưu: VT.");
	assert_int_equal(rows[1].generated_by, f.ht);
	/* who, when, which bytes: in the hash-chained log */
	audit_entry *h;
	size_t nh;
	OK(audit_history(fx->d, "assessment", f.a_nht, a, &h, &nh));
	int generated = 0;
	for (size_t i = 0; i < nh; i++)
		if (!strcmp(h[i].action, "document.generate")) {
			generated++;
			assert_contains(h[i].after_json, "\"sha256\":\"");
			assert_contains(h[i].after_json, "\"number\":\"12/BC-THCSNHT\"");
		}
	assert_int_equal(generated, 2);
	audit_report ar;
	OK(audit_verify(fx->d, &ar));
	assert_int_equal(ar.bad_seq, 0);
	/* a preview is not recorded */
	OK(doc_generate(fx->d, cat(), f.ht, doc_type_find("summary"), f.round, DOC_PDF, &p, false, &r, &err));
	assert_int_equal(r.document_id, 0);
	buf_free(&r.data);
	OK(document_list(fx->d, "round", f.round, a, &rows, &n));
	assert_int_equal(n, 0);
	buf_free(&err);
	arena_free(a);
}

static void test_bad_requests(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	doc_result r;
	buf err;
	buf_init(&err);
	assert_null(doc_type_find("congvan"));
	assert_non_null(doc_type_find("bao-cao"));
	assert_int_equal(doc_generate(fx->d, cat(), 0, doc_type_find("report"), 9999, DOC_PDF, NULL, true, &r, &err), DB_ENOTFOUND);
	assert_contains(buf_str(&err), "Không có hồ sơ đánh giá số 9999");
	buf_reset(&err);
	assert_int_equal(doc_generate(fx->d, cat(), 0, doc_type_find("summary"), 9999, DOC_PDF, NULL, true, &r, &err), DB_ENOTFOUND);
	buf_reset(&err);
	doc_params bad = { .date = "2025-02-30" };
	assert_int_equal(doc_generate(fx->d, cat(), 0, doc_type_find("report"), f.a_nht, DOC_PDF, &bad, true, &r, &err), DB_EINVAL);
	assert_contains(buf_str(&err), "2025-02-30");
	/* nothing half-recorded */
	arena *a = arena_new();
	document_row *rows;
	size_t n;
	OK(document_list(fx->d, "assessment", f.a_nht, a, &rows, &n));
	assert_int_equal(n, 0);
	/* a unit whose answers cannot all be scored still gets its documents */
	buf_reset(&err);
	OK(doc_generate(fx->d, cat(), 0, doc_type_find("report"), f.a_dd, DOC_PDF, NULL, false, &r, &err));
	buf_free(&r.data);
	/* no parameters at all: blanks to fill in by hand */
	OK(doc_generate(fx->d, cat(), 0, doc_type_find("approval"), f.a_nht, DOC_DOCX, NULL, false, &r, &err));
	char *xml = zip_member(&r.data, "word/document.xml", NULL);
	char *raw = xml_parse(xml, false, NULL, 0);
	char *text = squash(raw);
	assert_contains(text, "Số: /QĐ-THCSNHT");
	assert_contains(text, "Quận 7, ngày tháng năm");
	free(text);
	free(raw);
	free(xml);
	buf_free(&r.data);
	buf_free(&err);
	arena_free(a);
}

static void test_inspection_store(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	arena *a = arena_new();
	self_inspection s;
	software_use *sw;
	size_t n;
	OK(inspection_get(fx->d, f.a_nht, a, &s, &sw, &n));
	assert_int_equal(s.staff_total, 68);
	assert_int_equal(s.teachers_surplus, 0);
	assert_int_equal(n, 2);
	assert_string_equal(sw[1].name, "SMAS");
	assert_true(sw[1].paid);
	assert_int_equal(sw[1].fee_vnd, 150000);
	/* unknown numbers stay unknown; the list is replaced; NFD is stored NFC */
	self_inspection s2 = { .assessment_id = f.a_nht, .staff_total = INSPECTION_UNKNOWN, .managers = 3,
		.principals = 1, .vice_principals = 2, .teachers = INSPECTION_UNKNOWN, .teachers_surplus = INSPECTION_UNKNOWN,
		.teachers_shortage = INSPECTION_UNKNOWN, .staff = INSPECTION_UNKNOWN, .staff_in_quota = INSPECTION_UNKNOWN,
		.staff_school_contract = INSPECTION_UNKNOWN, .recommendations = "Kie\xcc\x82\xcc\x81n nghi\xcc\xa3" };
	software_use one = { .name = "K12Online", .purpose = "Dạy học trực tuyến" };
	OK(inspection_save(fx->d, f.ht, &s2, &one, 1));
	OK(inspection_get(fx->d, f.a_nht, a, &s, &sw, &n));
	assert_int_equal(s.staff_total, INSPECTION_UNKNOWN);
	assert_int_equal(s.managers, 3);
	assert_int_equal(n, 1);
	assert_string_equal(sw[0].name, "K12Online");
	assert_string_equal(s.recommendations, "Kiến nghị");
	assert_null(s.work_summary);
	/* bad input is refused with the field's name, and changes nothing */
	s2.teachers = -5;
	assert_int_equal(inspection_save(fx->d, f.ht, &s2, NULL, 0), DB_EINVAL);
	assert_contains(db_errmsg(fx->d), "Giáo viên");
	s2.teachers = 10;
	software_use noname = { .purpose = "?" };
	assert_int_equal(inspection_save(fx->d, f.ht, &s2, &noname, 1), DB_EINVAL);
	assert_contains(db_errmsg(fx->d), "Tên phần mềm");
	OK(inspection_get(fx->d, f.a_nht, a, &s, &sw, &n));
	assert_int_equal(n, 1);
	assert_int_equal(s.teachers, INSPECTION_UNKNOWN);
	assert_int_equal(inspection_get(fx->d, f.a_anh, a, &s, &sw, &n), DB_ENOTFOUND);
	db_clear_error(fx->d);
	/* seed 003's six headings of II.1 and the contact of 2.1: stored, and
	 * the e-mail and telephone refused when not of their shape */
	assert_string_equal(inspection_work_heading(0), "Công tác tổ chức, chỉ đạo, điều hành thực hiện nhiệm vụ chuyển đổi số");
	assert_string_equal(inspection_work_heading(5), "Kế hoạch bố trí kinh phí phục vụ các hoạt động chuyển đổi số");
	assert_null(inspection_work_heading(6));
	s2.work[1] = "Kho học liệu số: 124 clip.";
	s2.work[5] = "Kinh phí 35 triệu đồng.";
	s2.contact_name = "Trần Thị Mai";
	s2.contact_title = "Phó Hiệu trưởng";
	s2.contact_email = "mai@nht.edu.vn";
	s2.contact_phone = "+84 905 123 456";
	OK(inspection_save(fx->d, f.ht, &s2, NULL, 0));
	OK(inspection_get(fx->d, f.a_nht, a, &s, &sw, &n));
	assert_string_equal(s.work[1], "Kho học liệu số: 124 clip.");
	assert_null(s.work[0]);
	assert_string_equal(s.work[5], "Kinh phí 35 triệu đồng.");
	assert_string_equal(s.contact_name, "Trần Thị Mai");
	assert_string_equal(s.contact_phone, "+84 905 123 456");
	s2.contact_email = "mai@nht";
	assert_int_equal(inspection_save(fx->d, f.ht, &s2, NULL, 0), DB_EINVAL);
	assert_contains(db_errmsg(fx->d), "Email");
	s2.contact_email = "mai@nht.edu.vn";
	s2.contact_phone = "0905 12x 456";
	assert_int_equal(inspection_save(fx->d, f.ht, &s2, NULL, 0), DB_EINVAL);
	assert_contains(db_errmsg(fx->d), "Điện thoại");
	db_clear_error(fx->d);
	OK(inspection_get(fx->d, f.a_nht, a, &s, &sw, &n));
	assert_string_equal(s.contact_phone, "+84 905 123 456");   /* unchanged by the refusals */
	const char *const good_mail[] = { "a@b.vn", "ten.ho@truong.edu.vn" }, *const bad_mail[] = { "", "@b.vn", "a@", "a@b", "a b@c.vn", "a@b@c.vn", "a@b." };
	for (size_t i = 0; i < ARRAY_LEN(good_mail); i++) assert_true(inspection_email_valid(good_mail[i]));
	for (size_t i = 0; i < ARRAY_LEN(bad_mail); i++) assert_false(inspection_email_valid(bad_mail[i]));
	const char *const good_tel[] = { "0905123456", "0256 3822 123", "+84 905 123 456", "0905.123.456" },
		*const bad_tel[] = { "", "12345678", "0905 123 456 789 0", "0905-12x-456", "+", " 0905123456", "09+05123456" };
	for (size_t i = 0; i < ARRAY_LEN(good_tel); i++) assert_true(inspection_phone_valid(good_tel[i]));
	for (size_t i = 0; i < ARRAY_LEN(bad_tel); i++) assert_false(inspection_phone_valid(bad_tel[i]));
	arena_free(a);
}

/* The round's plan and the register (q_register.h), on both engines: the
 * plan stored, replaced, refused without a valid date; numbers 01, 02 per
 * issuer and year, the same document keeping its number, a new year from
 * 01 again, another issuer its own sequence, the list in number order. */
static void test_register_store(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	arena *a = arena_new();
	round_plan plan;
	assert_int_equal(round_plan_get(fx->d, f.round, a, &plan), DB_ENOTFOUND);
	db_clear_error(fx->d);
	assert_int_equal(round_plan_set(fx->d, 0, f.round, "12/KH-PGDĐT", "2025-02-30"), DB_EINVAL);
	assert_int_equal(round_plan_set(fx->d, 0, f.round, "", "2025-02-10"), DB_EINVAL);
	db_clear_error(fx->d);
	OK(round_plan_set(fx->d, 0, f.round, "11/KH-PGDĐT", "2025-02-09"));
	OK(round_plan_set(fx->d, 0, f.round, "12/KH-PGDĐT", "2025-02-10"));
	OK(round_plan_get(fx->d, f.round, a, &plan));
	assert_string_equal(plan.number, "12/KH-PGDĐT");
	assert_string_equal(plan.date, "2025-02-10");

	register_entry e = { .issuer_unit_id = f.phong, .date = "2025-05-05", .type = "team", .kind = "Quyết định",
	                     .summary = "Thành lập Đoàn", .object_type = "round", .object_id = f.round }, got;
	OK(register_issue(fx->d, 0, &e, "QĐ-PGDĐT", a, &got));
	assert_string_equal(got.number, "01/QĐ-PGDĐT");
	e.type = "summary";
	OK(register_issue(fx->d, 0, &e, "BC-PGDĐT", a, &got));
	assert_string_equal(got.number, "02/BC-PGDĐT");
	e.type = "team";
	e.date = "2025-06-01";
	OK(register_issue(fx->d, 0, &e, "QĐ-PGDĐT", a, &got));     /* again: the same number and date */
	assert_string_equal(got.number, "01/QĐ-PGDĐT");
	assert_string_equal(got.date, "2025-05-05");
	e.date = "2026-01-05";
	OK(register_issue(fx->d, 0, &e, "QĐ-PGDĐT", a, &got));     /* a new year: from 01 */
	assert_string_equal(got.number, "01/QĐ-PGDĐT");
	register_entry o = { .issuer_unit_id = f.nht, .date = "2025-05-05", .type = "report", .kind = "Báo cáo",
	                     .summary = "Báo cáo", .object_type = "assessment", .object_id = f.a_nht };
	OK(register_issue(fx->d, 0, &o, "BC-THCSNHT", a, &got));    /* the school's own sequence */
	assert_string_equal(got.number, "01/BC-THCSNHT");
	o.date = "2025-13-01";
	assert_int_equal(register_issue(fx->d, 0, &o, "BC-THCSNHT", a, &got), DB_EINVAL);
	db_clear_error(fx->d);
	register_entry *list;
	size_t n;
	OK(register_list(fx->d, f.phong, 2025, a, &list, &n));
	assert_int_equal(n, 2);
	assert_int_equal(list[0].seq, 1);
	assert_string_equal(list[1].number, "02/BC-PGDĐT");
	assert_string_equal(list[1].kind, "Quyết định");
	int64_t audited = 0;
	OK(db_query_int64(fx->d, &audited, "SELECT COUNT(*) FROM audit_log WHERE action IN ('register.issue', 'round.plan')", NULL));
	assert_int_equal(audited, 2 + 4);

	/* numbering per kind (an issuer's setting): 2027's decisions and
	 * reports each from 01, the book's order one sequence; back to one
	 * sequence a year, the next number above every number of the year */
	register_numbering mode;
	OK(register_numbering_get(fx->d, f.phong, &mode));
	assert_int_equal(mode, REGISTER_PER_YEAR);
	OK(register_numbering_set(fx->d, 0, f.phong, REGISTER_PER_KIND));
	OK(register_numbering_get(fx->d, f.phong, &mode));
	assert_int_equal(mode, REGISTER_PER_KIND);
	register_entry k = { .issuer_unit_id = f.phong, .date = "2027-03-01", .type = "team", .kind = "Quyết định",
	                     .summary = "Thành lập Đoàn", .object_type = "round", .object_id = f.round };
	OK(register_issue(fx->d, 0, &k, "QĐ-PGDĐT", a, &got));
	assert_string_equal(got.number, "01/QĐ-PGDĐT");
	k.type = "summary";
	k.kind = "Báo cáo";
	OK(register_issue(fx->d, 0, &k, "BC-PGDĐT", a, &got));
	assert_string_equal(got.number, "01/BC-PGDĐT");
	assert_int_equal(got.seq, 2);
	k.type = "recognition";
	k.kind = "Quyết định";
	OK(register_issue(fx->d, 0, &k, "QĐ-PGDĐT", a, &got));
	assert_string_equal(got.number, "02/QĐ-PGDĐT");
	OK(register_numbering_set(fx->d, 0, f.phong, REGISTER_PER_YEAR));
	k.type = "external-minutes";
	k.kind = "Biên bản";
	OK(register_issue(fx->d, 0, &k, "BB-PGDĐT", a, &got));
	assert_string_equal(got.number, "03/BB-PGDĐT");
	assert_int_equal(got.seq, 4);
	assert_int_equal(register_numbering_set(fx->d, 0, 999999, REGISTER_PER_KIND), DB_ENOTFOUND);
	db_clear_error(fx->d);
	OK(db_query_int64(fx->d, &audited, "SELECT COUNT(*) FROM audit_log WHERE action = 'register.numbering'", NULL));
	assert_int_equal(audited, 2);
	arena_free(a);
}

/* The signed original of a registered document (q_register_signed.h), on
 * both engines: the entry's issuer and newest generated file's SHA-256,
 * none signed at first, recorded, replaced by a later upload, audited. */
static void test_register_signed_store(void **state)
{
	store_fx *fx = *state;
	doc_fx f;
	OK(doc_fixture_build(fx->d, &f));
	arena *a = arena_new();
	register_entry e = { .issuer_unit_id = f.phong, .date = "2025-05-05", .type = "summary", .kind = "Báo cáo",
	                     .summary = "Báo cáo tổng hợp", .object_type = "round", .object_id = f.round }, got;
	OK(register_issue(fx->d, 0, &e, "BC-PGDĐT", a, &got));
	register_origin o;
	OK(register_entry_origin(fx->d, got.id, a, &o));
	assert_int_equal(o.issuer_unit_id, f.phong);
	assert_string_equal(o.object_type, "round");
	assert_int_equal(o.object_id, f.round);
	assert_null(o.sha256);                             /* nothing generated yet */
	const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *h2 = "2222222222222222222222222222222222222222222222222222222222222222";
	document_row r = { .type = "summary", .object_type = "round", .object_id = f.round, .number = got.number,
	                   .date = got.date, .format = "pdf", .sha256 = h1, .size = 10 };
	OK(document_record(fx->d, 0, &r, NULL));
	OK(register_entry_origin(fx->d, got.id, a, &o));
	assert_string_equal(o.sha256, h1);
	assert_int_equal(register_entry_origin(fx->d, got.id + 100, a, &o), DB_ENOTFOUND);
	db_clear_error(fx->d);
	register_signed s;
	assert_int_equal(register_signed_get(fx->d, got.id, a, &s), DB_ENOTFOUND);
	register_signed in = { .register_id = got.id, .sha256 = h2, .size = 20, .signer = "Nguyễn Văn An",
	                       .signed_at = "2025-05-06T08:00:00Z", .origin_sha256 = h1 };
	OK(register_signed_put(fx->d, 0, &in));
	in.sha256 = h1;                                    /* uploaded again: replaced */
	in.organisation = "Phòng GD&ĐT";
	OK(register_signed_put(fx->d, 0, &in));
	OK(register_signed_get(fx->d, got.id, a, &s));
	assert_string_equal(s.sha256, h1);
	assert_string_equal(s.signer, "Nguyễn Văn An");
	assert_string_equal(s.organisation, "Phòng GD&ĐT");
	assert_string_equal(s.signed_at, "2025-05-06T08:00:00Z");
	assert_int_equal(s.size, 20);
	assert_non_null(s.uploaded_at);
	int64_t audited = 0;
	OK(db_query_int64(fx->d, &audited, "SELECT COUNT(*) FROM audit_log WHERE action = 'register.signed'", NULL));
	assert_int_equal(audited, 2);
	assert_string_equal(s.origin_sha256, h1);
	/* the signed originals of the documents about an object: this round's, no other */
	register_signed *about = NULL;
	size_t nabout = 0;
	OK(register_signed_about(fx->d, "round", f.round, a, &about, &nabout));
	assert_int_equal(nabout, 1);
	assert_int_equal(about[0].register_id, got.id);
	assert_string_equal(about[0].origin_sha256, h1);
	OK(register_signed_about(fx->d, "round", f.round + 100, a, &about, &nabout));
	assert_int_equal(nabout, 0);
	/* the office's entries about one object */
	register_entry *ents = NULL;
	size_t nents = 0;
	OK(register_list_about(fx->d, f.phong, "round", f.round, a, &ents, &nents));
	assert_int_equal(nents, 1);
	assert_int_equal(ents[0].id, got.id);
	OK(register_list_about(fx->d, f.phong, "assessment", f.round, a, &ents, &nents));
	assert_int_equal(nents, 0);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(model) \
	X(every_type_pdf) \
	X(every_type_docx) \
	X(xlsx) \
	X(libreoffice) \
	X(recorded_and_audited) \
	X(bad_requests) \
	X(inspection_store) \
	X(register_store) \
	X(register_signed_store)

static int make_fixture(const char *target)
{
	db *d = NULL;
	char *msg = NULL;
	if (db_open(target, &d, &msg) != DB_OK) { fprintf(stderr, "%s\n", msg); free(msg); return 1; }
	int rc = db_migrate(d, NULL);
	doc_fx f;
	if (rc == DB_OK) rc = doc_fixture_build(d, &f);
	if (rc == DB_OK)
		printf("assessment=%lld round=%lld draft=%lld\n", (long long)f.a_nht, (long long)f.round, (long long)f.a_dd);
	else
		fprintf(stderr, "%s\n", db_errmsg(d));
	db_close(d);
	return rc == DB_OK ? 0 : 1;
}

/* Fonts and the catalog go before the leak checker looks (atexit runs
 * this before LeakSanitizer's own check, registered earlier). */
static void release(void)
{
	if (catalog_loaded) fw_catalog_free(&catalog);
	if (timings) fclose(timings);
	doc_release_fonts(true);
}

int main(int argc, char **argv)
{
	atexit(release);
	if (argc == 3 && !strcmp(argv[1], "--make-fixture")) return make_fixture(argv[2]);
	/* BUILD/test/test_doc → BUILD/artefacts/doc */
	char *copy = xstrdup(argv[0]);
	char *dir = dirname(dirname(copy));
	snprintf(artefacts, sizeof artefacts, "%s/artefacts", dir);
	mkdir(artefacts, 0755);
	snprintf(artefacts, sizeof artefacts, "%s/artefacts/doc", dir);
	if (mkdir(artefacts, 0755) != 0 && errno != EEXIST) artefacts[0] = '\0';
	free(copy);
	store_run("doc", STORE_TESTS);
}
