/* test_import.c — unit import: the CSV and XLSX readers (import.h) on the
 * fixtures in test/fixtures/import/ and on hostile files, the recognising
 * of Vietnamese headers and types, and import_unit_run on SQLite and, when
 * CHISO_TEST_PG is set, on PostgreSQL: each fixture gives the expected
 * units and report, bad rows write nothing, re-imports change nothing.
 * Also replays the fuzz corpus (fuzz/corpus/import/). */
#include "store_test.h"
#include "testutil.h"
#include "import.h"
#include "import_unit.h"
#include "q_unit.h"
#include "buf.h"
#include <dirent.h>
#include <sys/stat.h>

#define FIX "test/fixtures/import/"

/* ---- Helpers ------------------------------------------------------------- */

static void read_ok(const char *path, import_table *t)
{
	char *err = NULL;
	if (import_read_file(path, &import_default_limits, t, &err))
		fail_msg("%s: %s", path, err);
}

static char *read_err(const char *path)
{
	import_table t;
	char *err = NULL;
	int rc = import_read_file(path, &import_default_limits, &t, &err);
	if (rc == 0) {
		import_table_free(&t);
		fail_msg("%s was accepted", path);
	}
	assert_non_null(err);
	assert_int_equal(t.nrows, 0);
	return err;
}

static void csv_ok(const char *text, import_table *t)
{
	char *err = NULL;
	if (import_csv_parse(text, strlen(text), &import_default_limits, t, &err))
		fail_msg("CSV refused: %s", err);
}

static void assert_row(const import_table *t, size_t i, size_t line, size_t n, ...)
{
	if (i >= t->nrows) fail_msg("row %zu missing (%zu rows)", i, t->nrows);
	const import_row *r = &t->rows[i];
	assert_int_equal(r->line, line);
	if (r->ncells != n) fail_msg("row %zu (line %zu): %zu cells, expected %zu", i, line, r->ncells, n);
	va_list ap;
	va_start(ap, n);
	for (size_t k = 0; k < n; k++) {
		const char *want = va_arg(ap, const char *);
		if (strcmp(r->cells[k], want) != 0)
			fail_msg("row %zu cell %zu: \"%s\", expected \"%s\"", i, k, r->cells[k], want);
	}
	va_end(ap);
}

/* Two tables hold the same rows, cell for cell, line for line. */
static void assert_same_table(const import_table *a, const import_table *b, bool lines)
{
	assert_int_equal(a->nrows, b->nrows);
	for (size_t i = 0; i < a->nrows; i++) {
		if (lines) assert_int_equal(a->rows[i].line, b->rows[i].line);
		if (a->rows[i].ncells != b->rows[i].ncells)
			fail_msg("row %zu: %zu vs %zu cells", i, a->rows[i].ncells, b->rows[i].ncells);
		for (size_t k = 0; k < a->rows[i].ncells; k++)
			if (strcmp(a->rows[i].cells[k], b->rows[i].cells[k]) != 0)
				fail_msg("row %zu cell %zu: \"%s\" vs \"%s\"", i, k, a->rows[i].cells[k],
					b->rows[i].cells[k]);
	}
}

static char *describe(const import_table *t)
{
	buf b;
	buf_init(&b);
	import_describe_text(t, &b);
	return buf_take(&b);
}

/* ---- CSV ------------------------------------------------------------------ */

static void test_csv_rfc4180(void **state)
{
	(void)state;
	import_table t;
	csv_ok("Mã,Tên,Địa chỉ\r\n"
	       "1,\"Trường \"\"Hoa Sen\"\"\",\"Lô 5,\r\nPhường Tân Phong\"\r\n"
	       "\r\n"
	       "2,Trường B,,,\r\n"
	       "3,a\"b,\"x\"y\r\n"
	       ",,\r\n"
	       "4,\"\",last", &t);
	assert_int_equal(t.sep, ',');
	assert_false(t.bom);
	assert_int_equal(t.nrows, 5);
	assert_row(&t, 0, 1, 3, "Mã", "Tên", "Địa chỉ");
	/* The quoted line break stays in the cell (as LF) and does not shift
	 * the numbering: the empty line is row 3, "2,…" row 4. */
	assert_row(&t, 1, 2, 3, "1", "Trường \"Hoa Sen\"", "Lô 5,\nPhường Tân Phong");
	assert_row(&t, 2, 4, 2, "2", "Trường B");          /* trailing empties trimmed */
	assert_row(&t, 3, 5, 3, "3", "a\"b", "xy");         /* lenient, as Excel reads it */
	assert_row(&t, 4, 7, 3, "4", "", "last");          /* ",," row dropped */
	import_table_free(&t);
}

static void test_csv_separators(void **state)
{
	(void)state;
	import_table t;
	/* ';' with unquoted commas in addresses: commas vary per line, ';' not. */
	csv_ok("Mã;Tên;Địa chỉ\n"
	       "1;Trường A;Đường số 41, Phường Tân Phong, Quận 7\n"
	       "2;Trường B;Quận 7\n"
	       "3;Trường C;Phường Tân Phú, Quận 7\n", &t);
	assert_int_equal(t.sep, ';');
	assert_row(&t, 1, 2, 3, "1", "Trường A", "Đường số 41, Phường Tân Phong, Quận 7");
	import_table_free(&t);
	csv_ok("Mã\tTên\n1\tTrường A, Quận 7\n", &t);
	assert_int_equal(t.sep, '\t');
	assert_row(&t, 1, 2, 2, "1", "Trường A, Quận 7");
	import_table_free(&t);
	/* One column: nothing to split, still read. */
	csv_ok("Mã\n79760101\n", &t);
	assert_row(&t, 1, 2, 1, "79760101");
	import_table_free(&t);
}

static void test_csv_encodings(void **state)
{
	(void)state;
	import_table t;
	/* UTF-16LE with BOM, as Excel's "Unicode text" writes it. */
	static const char u16[] = "\xff\xfe" "M\0" "\xe3\0" ",\0" "T\0" "\xea\0" "n\0" "\n\0"
		"1\0" ",\0" "\xa0\x1e" "\n\0";   /* "Mã,Tên\n1,Ạ\n" */
	char *err = NULL;
	assert_int_equal(import_csv_parse(u16, sizeof u16 - 1, &import_default_limits, &t, &err), 0);
	assert_true(t.utf16);
	assert_row(&t, 0, 1, 2, "Mã", "Tên");
	assert_row(&t, 1, 2, 2, "1", "Ạ");
	char *d = describe(&t);
	assert_contains(d, "UTF-16");
	free(d);
	import_table_free(&t);

	/* Double-encoded UTF-8 ("TrÆ°á»ng") is repaired too. */
	/* (cp1252 has no character for 0x8D and 0x9D: they come through as
	 * the C1 controls U+008D and U+009D.) */
	csv_ok("MÃ£,TÃªn\n1,TrÆ°á»\xc2\x9dng Máº§m non TÃ¢n Phong\n"
	       "2,TrÆ°á»\xc2\x9dng Tiá»ƒu há»\xc2\x8d" "c PhÃº Má»¹\n", &t);
	assert_row(&t, 0, 1, 2, "Mã", "Tên");
	assert_row(&t, 1, 2, 2, "1", "Trường Mầm non Tân Phong");
	assert_row(&t, 2, 3, 2, "2", "Trường Tiểu học Phú Mỹ");
	d = describe(&t);
	assert_contains(d, "UTF-8 bị mã hoá hai lần");
	free(d);
	import_table_free(&t);

	/* Clean UTF-8 stays as it is: no report. */
	csv_ok("Mã,Tên\n1,Trường THCS Cô Tô\n", &t);
	assert_row(&t, 1, 2, 2, "1", "Trường THCS Cô Tô");
	d = describe(&t);
	assert_string_equal(d, "");
	free(d);
	import_table_free(&t);
}

static void test_csv_refused(void **state)
{
	(void)state;
	import_table t;
	char *err = NULL;
	static const char quote[] = "Mã,Tên\n1,\"Trường A\n2,Trường B\n";
	assert_int_equal(import_csv_parse(quote, strlen(quote), &import_default_limits, &t, &err), -1);
	assert_contains(err, "Dòng 2: dấu ngoặc kép");
	free(err);

	static const char nul[] = "Mã,Tên\n1,A\0B\n";
	assert_int_equal(import_csv_parse(nul, sizeof nul - 1, &import_default_limits, &t, &err), -1);
	assert_contains(err, "byte NUL ở dòng 2");
	free(err);

	static const char bad16[] = "\xff\xfe" "M\0" "\x00\xdc";   /* a lone low surrogate */
	assert_int_equal(import_csv_parse(bad16, sizeof bad16 - 1, &import_default_limits, &t, &err), -1);
	assert_contains(err, "UTF-16");
	free(err);

	import_limits lim = import_default_limits;
	lim.max_rows = 2;
	static const char rows[] = "a\nb\nc\n";
	assert_int_equal(import_csv_parse(rows, strlen(rows), &lim, &t, &err), -1);
	assert_contains(err, "quá 2 dòng");
	free(err);

	lim = import_default_limits;
	lim.max_cell_bytes = 8;
	static const char cell[] = "a,0123456789\n";
	assert_int_equal(import_csv_parse(cell, strlen(cell), &lim, &t, &err), -1);
	assert_contains(err, "Dòng 1: một ô dài");
	free(err);

	lim = import_default_limits;
	lim.max_cols = 3;
	static const char cols[] = "a,b,c,d\n";
	assert_int_equal(import_csv_parse(cols, strlen(cols), &lim, &t, &err), -1);
	assert_contains(err, "quá 3 cột");
	free(err);

	lim = import_default_limits;
	lim.max_file_bytes = 4;
	assert_int_equal(import_csv_parse(cols, strlen(cols), &lim, &t, &err), -1);
	assert_contains(err, "Tệp quá lớn");
	free(err);
}

/* The same units in UTF-8 with BOM, NFD, TCVN3 and VNI, and converted by
 * LibreOffice: the same table. */
static void test_fixtures_same_table(void **state)
{
	(void)state;
	import_table bom, tcvn3, vni, lo, nfd;
	read_ok(FIX "units-bom.csv", &bom);
	assert_true(bom.bom);
	assert_int_equal(bom.sep, ',');
	assert_int_equal(bom.nrows, 17);   /* title, header, 15 units */
	assert_row(&bom, 0, 1, 1, "DANH SÁCH CÁC ĐƠN VỊ GIÁO DỤC QUẬN 7 NĂM HỌC 2024-2025");
	assert_row(&bom, 3, 4, 8, "2", "79760102", "Trường Mầm non Hoa Sen", "Mầm non", "79760000", "",
		"Lô số 5, Khu dân cư \"Nam Long\", Phường Tân Thuận Đông, Quận 7, TP. Hồ Chí Minh",
		"Công lập");
	assert_row(&bom, 14, 15, 8, "13", "79760000", "Phòng Giáo dục và Đào tạo Quận 7", "Phòng GD&ĐT",
		"79000000", "79000000", "1362 Huỳnh Tấn Phát,\nPhường Phú Mỹ, Quận 7, TP. Hồ Chí Minh",
		"Công lập");
	char *d = describe(&bom);
	assert_string_equal(d, "");
	free(d);

	read_ok(FIX "units-tcvn3.csv", &tcvn3);
	assert_int_equal(tcvn3.file_enc, VN_ENC_TCVN3);
	d = describe(&tcvn3);
	assert_contains(d, "Phát hiện mã TCVN3 (ABC) trong toàn tệp");
	assert_contains(d, "đã chuyển sang Unicode");
	free(d);
	read_ok(FIX "units-vni.csv", &vni);
	assert_int_equal(vni.file_enc, VN_ENC_VNI);
	d = describe(&vni);
	assert_contains(d, "Phát hiện mã VNI-Windows");
	free(d);
	/* The legacy files were written without the line break in one cell. */
	assert_row(&tcvn3, 14, 15, 8, "13", "79760000", "Phòng Giáo dục và Đào tạo Quận 7",
		"Phòng GD&ĐT", "79000000", "79000000",
		"1362 Huỳnh Tấn Phát, Phường Phú Mỹ, Quận 7, TP. Hồ Chí Minh", "Công lập");
	/* A field whose ASCII letters are all capitals, such as "Së GD&§T",
	 * may have been typed in the all-caps .VnTimeH font: vnlegacy reads
	 * it as "SỞ GD&ĐT". Both spellings name the same type. */
	assert_row(&tcvn3, 16, 17, 8, "15", "79000000", "Sở Giáo dục và Đào tạo TP. Hồ Chí Minh",
		"SỞ GD&ĐT", "", "", "66-68 Lê Thánh Tôn, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
		"Công lập");
	for (size_t i = 0; i < bom.nrows; i++) {
		assert_int_equal(bom.rows[i].ncells, tcvn3.rows[i].ncells);
		assert_int_equal(bom.rows[i].ncells, vni.rows[i].ncells);
		for (size_t k = 0; k < bom.rows[i].ncells; k++) {
			if (i == 14 && k == 6) continue;   /* the line break */
			assert_string_equal(bom.rows[i].cells[k], vni.rows[i].cells[k]);
			if (i == 16 && k == 3) continue;
			assert_string_equal(bom.rows[i].cells[k], tcvn3.rows[i].cells[k]);
		}
	}

	read_ok(FIX "units-libreoffice.xlsx", &lo);
	assert_int_equal(lo.format, IMPORT_XLSX);
	assert_same_table(&bom, &lo, true);   /* numbers came back as "79760101" */

	read_ok(FIX "units-nfd.csv", &nfd);
	assert_int_equal(nfd.sep, ';');
	assert_int_equal(nfd.stats.nfc, 61);
	d = describe(&nfd);
	assert_contains(d, "(NFC) ở 61 ô");
	free(d);
	assert_row(&nfd, 0, 1, 7, "Mã trường", "Tên trường", "Cấp học", "Đơn vị chủ quản",
		"Mã đơn vị đánh giá", "Địa chỉ", "Loại trường");
	for (size_t i = 1; i < nfd.nrows; i++)   /* same cells as the BOM file, minus STT */
		for (size_t k = 0; k < nfd.rows[i].ncells && i != 13; k++)
			assert_string_equal(nfd.rows[i].cells[k], bom.rows[i + 1].cells[k + 1]);

	import_table_free(&bom);
	import_table_free(&tcvn3);
	import_table_free(&vni);
	import_table_free(&lo);
	import_table_free(&nfd);
}

/* ---- XLSX ----------------------------------------------------------------- */

static void test_xlsx_mixed(void **state)
{
	(void)state;
	import_table t;
	read_ok(FIX "units-mixed.xlsx", &t);
	assert_string_equal(t.sheet, "Danh sách");   /* the hidden first sheet is skipped */
	assert_int_equal(t.nrows, 6);
	assert_row(&t, 0, 1, 1, "DANH SÁCH ĐƠN VỊ");                 /* inline string */
	/* Row 2 is absent; E3 is an empty styled cell; rich runs are joined
	 * and the phonetic run of C3 is dropped. */
	assert_row(&t, 1, 3, 6, "Mã đơn vị", "Tên đơn vị", "Loại hình", "Mã đơn vị quản lý", "",
		"Địa chỉ");
	/* A number, a formula's cached string, a boolean in G. */
	assert_row(&t, 2, 4, 7, "79760000", "Phòng GD&ĐT Quận 7", "Phòng GD&ĐT", "", "",
		"1362 Huỳnh Tấn Phát", "TRUE");
	/* 7.9760101E7 and 79760000.0 are the integers people typed; E5 absent. */
	assert_row(&t, 3, 5, 6, "79760101", "Trường Mầm non Tân Phong", "Mầm non", "79760000", "",
		"25 Đường số 41, Phường Tân Phong");
	/* B6 is TCVN3 text as Excel stores a .VnTime cell; F6 is NFD. */
	assert_row(&t, 4, 6, 6, "79760301", "Trường THCS Nguyễn Hữu Thọ", "THCS", "79760000", "",
		"40/7 Bùi Văn Ba, Phường Tân Thuận Đông, Quận 7");
	/* Cells without references follow one another. */
	assert_row(&t, 5, 7, 4, "79760302", "Trường THCS Huỳnh Tấn Phát", "THCS", "79760000");
	assert_int_equal(t.stats.legacy[VN_ENC_TCVN3], 1);
	assert_int_equal(t.stats.nfc, 1);
	char *d = describe(&t);
	assert_contains(d, "Phát hiện mã TCVN3 (ABC) ở 1 ô; đã chuyển sang Unicode.");
	assert_contains(d, "(NFC) ở 1 ô.");
	free(d);
	import_table_free(&t);
}

static void test_xlsx_hostile(void **state)
{
	(void)state;
	char *err = read_err(FIX "bomb.xlsx");
	assert_contains(err, "zip bomb");
	free(err);
	err = read_err(FIX "lying-size.xlsx");
	assert_contains(err, "XLSX");
	free(err);
	err = read_err(FIX "doctype.xlsx");
	assert_contains(err, "DOCTYPE");
	free(err);
	err = read_err(FIX "truncated.xlsx");
	assert_contains(err, "không phải XLSX hợp lệ");
	free(err);
	err = read_err(FIX "notzip.xlsx");
	assert_contains(err, "không phải tệp nén ZIP");
	free(err);

	/* An old .xls (OLE compound file), and an .ods. */
	char path[96];
	snprintf(path, sizeof path, "/tmp/chiso-import-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char ole[16] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	assert_int_equal(write(fd, ole, sizeof ole), (ssize_t)sizeof ole);
	close(fd);
	err = read_err(path);
	assert_contains(err, "Excel 97-2003 (.xls)");
	free(err);
	unlink(path);

	/* A file too big is refused before it is read. */
	import_limits lim = import_default_limits;
	lim.max_file_bytes = 1000;
	import_table t;
	assert_int_equal(import_read_file(FIX "units-bom.csv", &lim, &t, &err), -1);
	assert_contains(err, "Tệp quá lớn");
	free(err);
	assert_int_equal(import_read_file("/nonexistent/x.csv", &lim, &t, &err), -1);
	assert_contains(err, "Không mở được tệp");
	free(err);

	/* The unzipped total is bounded too. */
	lim = import_default_limits;
	lim.max_unzipped_bytes = 2000;
	assert_int_equal(import_read_file(FIX "units-libreoffice.xlsx", &lim, &t, &err), -1);
	assert_contains(err, "zip bomb");
	free(err);
}

/* Every prefix and many one-byte corruptions of a real workbook: refused
 * or read, never a crash (the sanitizer build makes this meaningful). */
static void test_xlsx_damaged(void **state)
{
	(void)state;
	FILE *f = fopen(FIX "units-mixed.xlsx", "rb");
	assert_non_null(f);
	static char data[16384];
	size_t n = fread(data, 1, sizeof data, f);
	fclose(f);
	assert_true(n > 1000 && n < sizeof data);
	static char copy[16384];
	size_t accepted = 0;
	for (size_t len = 0; len <= n; len += 7) {
		import_table t;
		char *err = NULL;
		if (import_xlsx_parse(data, len, &import_default_limits, &t, &err) == 0) {
			accepted++;
			import_table_free(&t);
		} else {
			assert_non_null(err);
			free(err);
		}
	}
	assert_true(accepted <= 1);
	for (size_t i = 0; i < n; i += 3) {
		memcpy(copy, data, n);
		copy[i] ^= (char)(0x55 + i);
		import_table t;
		char *err = NULL;
		if (import_xlsx_parse(copy, n, &import_default_limits, &t, &err) == 0) import_table_free(&t);
		else free(err);
	}
}

/* The committed fuzz corpus goes through both parsers. */
static void test_fuzz_corpus_replay(void **state)
{
	(void)state;
	DIR *dir = opendir("fuzz/corpus/import");
	assert_non_null(dir);
	struct dirent *e;
	size_t files = 0;
	import_limits lim = import_default_limits;
	lim.max_unzipped_bytes = (uint64_t)16 << 20;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.') continue;
		char path[512];
		snprintf(path, sizeof path, "fuzz/corpus/import/%s", e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) continue;
		buf b;
		buf_init(&b);
		char chunk[4096];
		size_t got;
		while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
		fclose(f);
		import_table t;
		char *err = NULL;
		if (import_csv_parse(b.data ? b.data : "", b.len, &lim, &t, &err) == 0) import_table_free(&t);
		else free(err);
		if (import_xlsx_parse(b.data ? b.data : "", b.len, &lim, &t, &err) == 0) import_table_free(&t);
		else free(err);
		buf_free(&b);
		files++;
	}
	closedir(dir);
	assert_true(files >= 5);
}

/* ---- Recognising headers, types, public/private ---------------------------- */

static void test_recognise(void **state)
{
	(void)state;
	assert_int_equal(import_unit_header("Mã đơn vị"), IU_CODE);
	assert_int_equal(import_unit_header("MÃ TRƯỜNG"), IU_CODE);
	assert_int_equal(import_unit_header("ma truong"), IU_CODE);
	assert_int_equal(import_unit_header("Mã"), IU_CODE);
	assert_int_equal(import_unit_header("Mã đơn vị (*)"), IU_CODE);
	assert_int_equal(import_unit_header(" Tên  trường\n(bắt buộc) "), IU_NAME);
	assert_int_equal(import_unit_header("Loại hình"), IU_TYPE);
	assert_int_equal(import_unit_header("Cấp học"), IU_TYPE);
	assert_int_equal(import_unit_header("Mã đơn vị quản lý"), IU_PARENT);
	assert_int_equal(import_unit_header("Đơn vị chủ quản"), IU_PARENT);
	assert_int_equal(import_unit_header("Mã đơn vị đánh giá"), IU_EVALUATOR);
	assert_int_equal(import_unit_header("ĐỊA CHỈ"), IU_ADDRESS);
	assert_int_equal(import_unit_header("Công lập/Tư thục"), IU_PUBLIC);
	assert_int_equal(import_unit_header("Loại trường"), IU_PUBLIC);
	assert_int_equal(import_unit_header("STT"), -1);
	assert_int_equal(import_unit_header("Ghi chú"), -1);

	static const struct { const char *in, *type, *levels; } types[] = {
		{ "Mầm non", "mam_non", "" }, { "MẦM NON", "mam_non", "" }, { "Trường Mầm non", "mam_non", "" },
		{ "Mẫu giáo", "mam_non", "" }, { "Nhà trẻ", "mam_non", "" },
		{ "Tiểu học", "tieu_hoc", "" }, { "tieu hoc", "tieu_hoc", "" }, { "TH", "tieu_hoc", "" },
		{ "THCS", "thcs", "" }, { "Trường THCS", "thcs", "" }, { "Trung học cơ sở", "thcs", "" },
		{ "THPT", "thpt", "" }, { "Trung học phổ thông", "thpt", "" },
		{ "GDTX", "gdtx", "" }, { "Trung tâm GDNN-GDTX", "gdtx", "" }, { "TT GDTX", "gdtx", "" },
		{ "Phòng GD&ĐT", "phong", "" }, { "Phòng GD-ĐT", "phong", "" }, { "PHÒNG GDĐT", "phong", "" },
		{ "Phòng Giáo dục và Đào tạo", "phong", "" },
		{ "Sở GD&ĐT", "so", "" }, { "Sở Giáo dục và Đào tạo", "so", "" },
		{ "UBND xã", "ubnd_xa", "" }, { "UBND phường", "ubnd_xa", "" },
		{ "Ủy ban nhân dân xã", "ubnd_xa", "" }, { "Bộ GD&ĐT", "bo", "" },
		{ "Liên cấp", "lien_cap", "" },
		{ "Liên cấp (Tiểu học, THCS)", "lien_cap", "tieu_hoc,thcs" },
		{ "Liên cấp TH-THCS-THPT", "lien_cap", "tieu_hoc,thcs,thpt" },
		{ "TH&THCS", "lien_cap", "tieu_hoc,thcs" }, { "THCS và THPT", "lien_cap", "thcs,thpt" },
		{ "Trường phổ thông nhiều cấp học (THCS, THPT)", "lien_cap", "thcs,thpt" },
		{ "Mầm non, Tiểu học", "lien_cap", "mam_non,tieu_hoc" },
		{ "thcs", "thcs", "" }, { "tieu_hoc", "tieu_hoc", "" }, { "ubnd_xa", "ubnd_xa", "" },
	};
	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		char lv[64];
		const char *t = import_unit_type(types[i].in, lv);
		if (!t || strcmp(t, types[i].type) != 0 || strcmp(lv, types[i].levels) != 0)
			fail_msg("%s → %s [%s], expected %s [%s]", types[i].in, t ? t : "NULL", lv,
				types[i].type, types[i].levels);
	}
	char lv[64];
	assert_null(import_unit_type("Trung cấp nghề", lv));
	assert_null(import_unit_type("Đại học", lv));
	assert_null(import_unit_type("", lv));

	bool ok;
	assert_true(import_unit_public("Công lập", &ok) && ok);
	assert_true(import_unit_public("", &ok) && ok);
	assert_true(import_unit_public("x", &ok) && ok);
	assert_false(import_unit_public("Tư thục", &ok));
	assert_true(ok);
	assert_false(import_unit_public("DÂN LẬP", &ok));
	assert_true(ok);
	assert_false(import_unit_public("Ngoài công lập", &ok));
	assert_true(ok);
	import_unit_public("Bán công", &ok);
	assert_false(ok);
}

/* ---- Into the store -------------------------------------------------------- */

static int64_t count(store_fx *fx, const char *sql)
{
	int64_t n = -1;
	OK(db_query_int64(fx->d, &n, sql, ""));
	return n;
}

static int run_file(store_fx *fx, const char *path, const char *from, bool dry,
                    import_unit_result *r, char **report)
{
	import_table t;
	read_ok(path, &t);
	import_unit_opts o = { from, dry, 0, NULL, NULL, NULL };
	int rc = import_unit_run(fx->d, &t, &o, r);
	if (report) {
		buf b;
		buf_init(&b);
		import_unit_report(&t, r, &o, path, &b);
		*report = buf_take(&b);
	}
	import_table_free(&t);
	return rc;
}

static int run_csv(store_fx *fx, const char *csv, const char *from, import_unit_result *r)
{
	import_table t;
	csv_ok(csv, &t);
	import_unit_opts o = { from, false, 0, NULL, NULL, NULL };
	int rc = import_unit_run(fx->d, &t, &o, r);
	import_table_free(&t);
	return rc;
}

static int64_t unit_id(store_fx *fx, const char *code)
{
	arena *a = arena_new();
	unit u;
	OK(unit_find_code(fx->d, code, a, &u));
	arena_free(a);
	return u.id;
}

static const char *related(store_fx *fx, const char *code, unit_rel kind, const char *date)
{
	static char out[64];
	int64_t other;
	int rc = unit_related_on(fx->d, unit_id(fx, code), kind, date, &other);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(fx->d);
		return "";
	}
	OK(rc);
	arena *a = arena_new();
	unit u;
	OK(unit_get(fx->d, other, a, &u));
	snprintf(out, sizeof out, "%s", u.code);
	arena_free(a);
	return out;
}

static void test_import_units(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	char *report;
	OK(run_file(fx, FIX "units-bom.csv", "2025-09-01", false, &r, &report));
	assert_int_equal(r.created, 15);
	assert_int_equal(r.updated + r.unchanged, 0);
	assert_int_equal(r.rel_changed, 26);
	assert_true(r.written);
	assert_contains(report, "Đã nhập 15 đơn vị: 15 tạo mới, 0 cập nhật, 0 không đổi.");
	assert_contains(report, "Quan hệ quản lý/đánh giá từ ngày 01/09/2025: 26 ghi mới");
	assert_contains(report, "Bỏ qua cột: STT (A).");
	free(report);
	import_unit_result_free(&r);

	arena *a = arena_new();
	unit u;
	OK(unit_find_code(fx->d, "79760501", a, &u));
	assert_string_equal(u.name, "Trường TH, THCS và THPT Đinh Thiện Lý");
	assert_string_equal(u.type, "lien_cap");
	assert_string_equal(u.levels, "tieu_hoc,thcs,thpt");
	assert_false(u.is_public);
	OK(unit_find_code(fx->d, "79760000", a, &u));
	/* The line break typed in the cell became a space. */
	assert_string_equal(u.address, "1362 Huỳnh Tấn Phát, Phường Phú Mỹ, Quận 7, TP. Hồ Chí Minh");
	assert_string_equal(u.type, "phong");
	OK(unit_find_code(fx->d, "79760700", a, &u));
	assert_string_equal(u.type, "ubnd_xa");
	arena_free(a);

	/* Parents listed after their schools were resolved all the same. */
	assert_string_equal(related(fx, "79760101", UNIT_PARENT, "2025-09-01"), "79760000");
	assert_string_equal(related(fx, "79760101", UNIT_EVALUATOR, "2025-09-01"), "79760000");
	/* Managed by the ward, evaluated by the Sở. */
	assert_string_equal(related(fx, "79760104", UNIT_PARENT, "2025-09-01"), "79760700");
	assert_string_equal(related(fx, "79760104", UNIT_EVALUATOR, "2025-09-01"), "79000000");
	assert_string_equal(related(fx, "79760401", UNIT_EVALUATOR, "2025-09-01"), "79000000");
	/* Nothing before the date. */
	assert_string_equal(related(fx, "79760101", UNIT_PARENT, "2025-08-31"), "");
	assert_string_equal(related(fx, "79000000", UNIT_PARENT, "2025-09-01"), "");
}

/* The five renderings of the same list import to the same store: after
 * the first, each re-import changes nothing and writes no audit row. */
static void test_reimport_idempotent(void **state)
{
	store_fx *fx = *state;
	static const char *const files[] = {
		FIX "units-bom.csv", FIX "units-nfd.csv", FIX "units-tcvn3.csv", FIX "units-vni.csv",
		FIX "units-libreoffice.xlsx", FIX "units-bom.csv",
	};
	int64_t audit = 0;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		import_unit_result r;
		char *report;
		OK(run_file(fx, files[i], "2025-09-01", false, &r, &report));
		if (i == 0) {
			assert_int_equal(r.created, 15);
			audit = count(fx, "SELECT COUNT(*) FROM audit_log");
			assert_true(audit >= 15 + 26);
		} else {
			if (r.unchanged != 15 || r.rel_unchanged != 26)
				fail_msg("%s changed something:\n%s", files[i], report);
			assert_int_equal(r.created + r.updated + r.rel_changed, 0);
			assert_contains(report, "0 tạo mới, 0 cập nhật, 15 không đổi");
			assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), audit);
		}
		free(report);
		import_unit_result_free(&r);
	}
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 15);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM unit_relations"), 26);

	/* Later, on another day: still nothing new. */
	import_unit_result r;
	OK(run_file(fx, FIX "units-vni.csv", "2026-01-15", false, &r, NULL));
	assert_int_equal(r.rel_unchanged, 26);
	assert_int_equal(r.rel_changed, 0);
	import_unit_result_free(&r);
}

static void test_broken_rows_write_nothing(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	char *report;
	assert_int_equal(run_file(fx, FIX "units-broken.csv", "2025-09-01", false, &r, &report),
		DB_EINVAL);
	assert_false(r.written);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), 0);
	/* The report is exactly the one committed next to the fixture. */
	FILE *f = fopen(FIX "units-broken.expected", "rb");
	assert_non_null(f);
	char expected[8192];
	size_t n = fread(expected, 1, sizeof expected - 1, f);
	fclose(f);
	expected[n] = '\0';
	/* Line by line, so that a difference is shown whole. */
	for (const char *a = report, *b = expected; *a || *b;) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || memcmp(a, b, la) != 0)
			fail_msg("report line:\n%.*s\nexpected:\n%.*s", (int)la, a, (int)lb, b);
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	static const size_t lines[] = { 3, 4, 5, 6, 7, 8, 9, 11, 11, 12 };
	assert_int_equal(r.nerrors, ARRAY_LEN(lines));
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) assert_int_equal(r.errors[i].line, lines[i]);
	free(report);
	import_unit_result_free(&r);
}

static void test_parents_from_store(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	OK(run_csv(fx, "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n"
		"79000000,Sở GD&ĐT TP. Hồ Chí Minh,Sở GD&ĐT,\n"
		"79760000,Phòng GD&ĐT Quận 7,Phòng GD&ĐT,79000000\n", "2025-09-01", &r));
	assert_int_equal(r.created, 2);
	import_unit_result_free(&r);
	/* Schools whose office is only in the store; one names it by name. */
	OK(run_csv(fx, "Mã trường;Tên trường;Cấp học;Đơn vị chủ quản\n"
		"79760301;Trường THCS Nguyễn Hữu Thọ;THCS;79760000\n"
		"79760302;Trường THCS Huỳnh Tấn Phát;THCS;Phòng GD&ĐT Quận 7\n", "2025-09-01", &r));
	assert_int_equal(r.created, 2);
	assert_int_equal(r.rel_changed, 4);
	import_unit_result_free(&r);
	assert_string_equal(related(fx, "79760302", UNIT_PARENT, "2025-10-01"), "79760000");
	assert_string_equal(related(fx, "79760302", UNIT_EVALUATOR, "2025-10-01"), "79760000");
}

static void test_changes_over_time(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	static const char before[] = "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n"
		"79000000,Sở GD&ĐT TP. Hồ Chí Minh,Sở GD&ĐT,\n"
		"79760000,Phòng GD&ĐT Quận 7,Phòng GD&ĐT,79000000\n"
		"79760700,UBND phường Tân Mỹ,UBND xã,\n"
		"79760101,Trường Mầm non Tân Phong,Mầm non,79760000\n";
	OK(run_csv(fx, before, "2024-09-01", &r));
	import_unit_result_free(&r);
	/* 1/7/2025: the district level is gone; the ward manages the school, the
	 * Sở evaluates it, and it was renamed. */
	static const char after[] = "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá\n"
		"79760101,Trường Mầm non Tân Phong (phường Tân Mỹ),Mầm non,79760700,79000000\n";
	OK(run_csv(fx, after, "2025-07-01", &r));
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.rel_changed, 2);
	import_unit_result_free(&r);
	assert_string_equal(related(fx, "79760101", UNIT_PARENT, "2025-06-30"), "79760000");
	assert_string_equal(related(fx, "79760101", UNIT_EVALUATOR, "2025-06-30"), "79760000");
	assert_string_equal(related(fx, "79760101", UNIT_PARENT, "2025-07-01"), "79760700");
	assert_string_equal(related(fx, "79760101", UNIT_EVALUATOR, "2025-07-01"), "79000000");

	/* Restating what held on a past date changes nothing… */
	OK(run_csv(fx, before, "2025-01-01", &r));
	assert_int_equal(r.rel_changed, 0);
	assert_int_equal(r.unchanged, 3);
	assert_int_equal(r.updated, 1);   /* the old name */
	import_unit_result_free(&r);
	OK(run_csv(fx, after, "2025-07-01", &r));
	import_unit_result_free(&r);
	/* …but a different relation from a date before the recorded change is
	 * refused by the store: the whole import is rolled back, the rename
	 * in the same file included, and the row is reported. */
	int64_t audit = count(fx, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(run_csv(fx, "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý\n"
		"79760101,Trường Mầm non Tân Phong,Mầm non,79000000\n", "2025-01-01", &r), DB_EINVAL);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0].line, 2);
	assert_contains(r.errors[0].msg, "2025-07-01");
	assert_false(r.written);
	import_unit_result_free(&r);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), audit);
	arena *a = arena_new();
	unit u;
	OK(unit_find_code(fx->d, "79760101", a, &u));
	assert_string_equal(u.name, "Trường Mầm non Tân Phong (phường Tân Mỹ)");
	arena_free(a);
}

static void test_dry_run(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	char *report;
	OK(run_file(fx, FIX "units-mixed.xlsx", "2025-09-01", true, &r, &report));
	assert_int_equal(r.created, 4);
	assert_int_equal(r.rel_changed, 6);
	assert_false(r.written);
	assert_contains(report, "Chạy thử (--dry-run), không ghi gì. Nếu nhập thật: 4 đơn vị: 4 tạo mới");
	assert_contains(report, "Phát hiện mã TCVN3 (ABC) ở 1 ô");
	free(report);
	import_unit_result_free(&r);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), 0);
	OK(run_file(fx, FIX "units-mixed.xlsx", "2025-09-01", false, &r, NULL));
	assert_int_equal(r.created, 4);
	import_unit_result_free(&r);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 4);
}

static void test_file_problems(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	/* No header. */
	assert_int_equal(run_csv(fx, "79760101,Trường A,THCS\n", NULL, &r), DB_EINVAL);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0].line, 0);
	assert_contains(r.errors[0].msg, "không tìm thấy dòng tiêu đề");
	import_unit_result_free(&r);
	/* No type column. */
	assert_int_equal(run_csv(fx, "Mã,Tên\n1,A\n", NULL, &r), DB_EINVAL);
	assert_contains(r.errors[0].msg, "thiếu cột 'Loại hình'");
	import_unit_result_free(&r);
	/* A header and nothing under it. */
	assert_int_equal(run_csv(fx, "Mã,Tên,Loại hình\n", NULL, &r), DB_EINVAL);
	assert_contains(r.errors[0].msg, "không có dòng dữ liệu");
	import_unit_result_free(&r);
	/* A loop of managing units inside the file; a school managing a school;
	 * a unit managing itself. */
	assert_int_equal(run_csv(fx, "Mã,Tên,Loại hình,Đơn vị quản lý\n"
		"A1,Phòng A,Phòng GD&ĐT,B1\n"
		"B1,Phòng B,Phòng GD&ĐT,C1\n"
		"C1,Sở C,Sở GD&ĐT,A1\n"
		"D1,Sở D,Sở GD&ĐT,D1\n", NULL, &r), DB_EINVAL);
	assert_int_equal(r.nerrors, 2);
	assert_int_equal(r.errors[0].line, 2);
	assert_contains(r.errors[0].msg, "vòng lặp: A1 → B1 → C1 → A1");
	assert_int_equal(r.errors[1].line, 5);
	assert_contains(r.errors[1].msg, "không thể là chính đơn vị này");
	import_unit_result_free(&r);
	/* Two stored units with one name: the code is needed. */
	OK(run_csv(fx, "Mã,Tên,Loại hình\nP1,Phòng GD&ĐT,Phòng GD&ĐT\nP2,Phòng GD&ĐT,Phòng GD&ĐT\n",
		NULL, &r));
	import_unit_result_free(&r);
	assert_int_equal(run_csv(fx, "Mã,Tên,Loại hình,Đơn vị chủ quản\nS1,Trường A,THCS,Phòng GD&ĐT\n",
		NULL, &r), DB_EINVAL);
	assert_contains(r.errors[0].msg, "có 2 đơn vị cùng tên");
	import_unit_result_free(&r);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 2);
}

#define IMPORT_TESTS(X) \
	X(csv_rfc4180) X(csv_separators) X(csv_encodings) X(csv_refused) \
	X(fixtures_same_table) X(xlsx_mixed) X(xlsx_hostile) X(xlsx_damaged) \
	X(fuzz_corpus_replay) X(recognise) \
	X(import_units) X(reimport_idempotent) X(broken_rows_write_nothing) \
	X(parents_from_store) X(changes_over_time) X(dry_run) X(file_problems)

int main(void)
{
	store_run("import", IMPORT_TESTS);
}
