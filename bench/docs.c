/* bench/docs.c — what documents cost, in one run on one machine:
 *   1. the self-assessment report of the document fixture generated as a
 *      PDF directly (cairo + pango), against the same report generated as
 *      DOCX and converted with LibreOffice headless (the usual alternative:
 *      fill a Word file, let an office suite make the PDF), and the ratio;
 *   2. a batch of 1,000 pages of a recognition list (the annexed table of
 *      a recognition decision, ~34,000 units) rendered to PDF and to DOCX.
 * A benchmark: it prints figures and never fails on timing. Run from the
 * repository root (the fixture reads test/fixtures/answers). */
#include "doc.h"
#include "doc_set.h"
#include "util.h"
#include "../test/unit/doc_fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of finished child processes (LibreOffice). */
static double child_cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

/* Pages of a PDF as cairo writes them: "/Type /Page" objects. */
static int pdf_pages(const buf *b)
{
	int n = 0;
	for (size_t i = 0; i + 12 <= b->len; i++)
		if (b->data[i] == '/' && !memcmp(b->data + i, "/Type /Page", 11) && b->data[i + 11] != 's') n++;
	return n;
}

static void write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len) fatal("cannot write %s", path);
	fclose(f);
}

static doc *recognition_list(int rows)
{
	static const char *const types[] = { "Mầm non", "Tiểu học", "THCS", "THPT" };
	static const char *const names[] = { "Nguyễn Bỉnh Khiêm", "Lê Quý Đôn", "Trần Hưng Đạo", "Võ Thị Sáu",
		"Đống Đa", "Ánh Dương", "Hoa Sen", "Phù Đổng", "Ngô Sĩ Liên", "Huỳnh Thúc Kháng" };
	doc *d = doc_new();
	doc_set_header(d, "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 125/QĐ-SGDĐT",
		"Bình Định, ngày 20 tháng 6 năm 2025");
	doc_set_title(d, "DANH SÁCH", "Cơ sở giáo dục được công nhận mức độ chuyển đổi số năm học 2024-2025");
	static const double w[] = { 0.95, 5.2, 1.8, 1.4, 1.4, 3.0 };
	doc_table *t = doc_table_add(d, 6, w);
	t->size = 12;
	doc_row *h = doc_row_add(d, t, true);
	static const char *const heads[] = { "TT", "Tên đơn vị", "Loại hình", "Điểm nhóm 1", "Điểm nhóm 2", "Mức độ" };
	for (size_t i = 0; i < 6; i++) doc_cellf(d, h, DOC_CENTER, 0, "%s", heads[i]);
	unsigned seed = 7;
	for (int i = 1; i <= rows; i++) {
		seed = seed * 1103515245u + 12345u;
		int g1 = 40 + (int)(seed >> 16) % 60, g2 = 35 + (int)(seed >> 8) % 65;
		int lv = (g1 < 50 || g2 < 50) ? 1 : (g1 > 75 && g2 > 75) ? 3 : 2;
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%d", i);
		doc_cellf(d, r, DOC_LEFT, 0, "Trường %s %s số %d", types[i % 4], names[i % 10], i);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", types[i % 4]);
		doc_cellf(d, r, DOC_CENTER, 0, "%d", g1);
		doc_cellf(d, r, DOC_CENTER, 0, "%d", g2);
		doc_cellf(d, r, DOC_CENTER, 0, "Mức %d", lv);
	}
	doc_recipient(d, "Lưu: VT.");
	doc_sign(d, "GIÁM ĐỐC", "(Ký, ghi rõ họ tên, đóng dấu)", NULL);
	return d;
}

int main(void)
{
	char dir[] = "/tmp/chiso-bench-docs-XXXXXX";
	if (!mkdtemp(dir)) fatal("mkdtemp");
	char path[256];
	snprintf(path, sizeof path, "%s/bench.db", dir);
	db *d = NULL;
	char *msg = NULL;
	if (db_open(path, &d, &msg) != DB_OK || db_migrate(d, NULL) != DB_OK) fatal("database: %s", msg ? msg : db_errmsg(d));
	doc_fx f;
	if (doc_fixture_build(d, &f) != DB_OK) fatal("fixture: %s", db_errmsg(d));
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	const doc_type *report = doc_type_find("report");
	doc_params p = { .number = "15", .date = "2025-05-20" };
	buf err;
	buf_init(&err);

	/* 1. the report: PDF directly */
	enum { RUNS = 20 };
	double pdf_ms[RUNS];
	size_t pdf_bytes = 0;
	int pages = 0;
	double c0 = cpu_ms();
	for (int i = 0; i < RUNS; i++) {
		doc_result r;
		double t0 = now_ms();
		if (doc_generate(d, &cat, 0, report, f.a_nht, DOC_PDF, &p, false, &r, &err) != DB_OK) fatal("%s", buf_str(&err));
		pdf_ms[i] = now_ms() - t0;
		pdf_bytes = r.data.len;
		pages = pdf_pages(&r.data);
		buf_free(&r.data);
	}
	double direct = median(pdf_ms, RUNS), direct_cpu = (cpu_ms() - c0) / RUNS;
	printf("report, PDF directly (cairo + pango):   %8.1f ms wall, %6.1f ms CPU  (median / mean of %d; %d pages, %zu bytes)\n",
	       direct, direct_cpu, RUNS, pages, pdf_bytes);

	/* the same report as DOCX, then LibreOffice */
	double docx_ms[RUNS];
	doc_result r;
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		if (doc_generate(d, &cat, 0, report, f.a_nht, DOC_DOCX, &p, false, &r, &err) != DB_OK) fatal("%s", buf_str(&err));
		docx_ms[i] = now_ms() - t0;
		if (i + 1 < RUNS) buf_free(&r.data);
	}
	double docx = median(docx_ms, RUNS);
	snprintf(path, sizeof path, "%s/bao-cao.docx", dir);
	write_file(path, &r.data);
	buf_free(&r.data);
	printf("report, DOCX (libzip + WordprocessingML): %6.1f ms  (median of %d)\n", docx, RUNS);
	if (system("command -v soffice >/dev/null 2>&1") != 0) {
		printf("LibreOffice (soffice) is not installed: no conversion figures\n");
	} else {
		enum { LO_RUNS = 3 };
		double lo_ms[LO_RUNS];
		char cmd[1024];
		double k0 = child_cpu_ms();
		for (int i = 0; i < LO_RUNS; i++) {
			/* one soffice process per document, as a server would run it; a
			 * private profile so it does not share (or lock) the user's */
			snprintf(cmd, sizeof cmd, "cd %s && HOME=%s soffice -env:UserInstallation=file://%s/lo --headless "
			         "--convert-to pdf --outdir %s/out bao-cao.docx >/dev/null 2>&1", dir, dir, dir, dir);
			double t0 = now_ms();
			if (system(cmd) != 0) fatal("soffice failed");
			lo_ms[i] = now_ms() - t0;
		}
		double first = lo_ms[0];
		double lo_cpu = (child_cpu_ms() - k0) / LO_RUNS;
		double lo = median(lo_ms, LO_RUNS);
		printf("report, DOCX → PDF by LibreOffice:      %8.1f ms wall, %6.1f ms CPU  (median / mean of %d runs; first run %.0f ms with a new profile)\n",
		       docx + lo, docx + lo_cpu, LO_RUNS, docx + first);
		printf("ratio LibreOffice / direct:             %8.1f× wall, %.1f× CPU\n", (docx + lo) / direct, (docx + lo_cpu) / direct_cpu);
	}

	/* 2. a 1,000-page recognition list */
	int rows = 22500;
	double t0 = now_ms();
	doc *list = recognition_list(rows);
	double build = now_ms() - t0;
	buf out;
	buf_init(&out);
	t0 = now_ms();
	c0 = cpu_ms();
	if (!doc_render_pdf(list, &out, &err)) fatal("%s", buf_str(&err));
	double render = now_ms() - t0, render_cpu = cpu_ms() - c0;
	pages = pdf_pages(&out);
	printf("recognition list, %d units: model %.0f ms, PDF %.0f ms wall / %.0f ms CPU for %d pages (%.2f ms CPU/page, %.1f MB)\n",
	       rows, build, render, render_cpu, pages, render_cpu / (pages ? pages : 1), out.len / 1e6);
	buf_reset(&out);
	t0 = now_ms();
	if (!doc_render_docx(list, &out, &err)) fatal("%s", buf_str(&err));
	printf("recognition list, %d units: DOCX %.0f ms (%.1f MB)\n", rows, now_ms() - t0, out.len / 1e6);
	buf_free(&out);
	doc_free(list);

	buf_free(&err);
	fw_catalog_free(&cat);
	db_close(d);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0) fprintf(stderr, "warning: could not remove %s\n", dir);
	doc_release_fonts(true);
	return 0;
}
