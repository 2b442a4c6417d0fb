/* test_fw_import.c — the annex-table importer (fw_import.h): the pure tree
 * builder on tables written here (STT codes, a/b/c, merged cells, gates,
 * bands, inferred marking, broken tables naming the row), the DOCX and
 * XLSX readers on test/fixtures/fw_import/ (the same framework from both),
 * and a replay of the fuzz corpus (fuzz/corpus/fw_import/). */
#include "testutil.h"
#include "fw_import.h"
#include "util.h"
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define FIX "test/fixtures/fw_import/"
#define O(s) { s, FW_CELL_OWN }
#define L(s) { s, FW_CELL_LEFT }
#define U(s) { s, FW_CELL_ABOVE }

static const fw_cell header[] = { O("STT"), O("Tiêu chí"), O("Điểm tối đa"), O("Điểm thành phần"), O("Mức độ"),
	O("Ghi chú, minh chứng") };

static fw_import_meta meta(void)
{
	fw_import_meta m = { .file = "bang.docx", .id = "thu", .revision = 1, .title = "Bộ thử cho trường tiểu học",
		.decision_number = "1/QĐ-T", .decision_date = "2025-01-15", .decision_issuer = "Sở thử", .today = "2025-02-01" };
	return m;
}

/* A table: the header then the rows given (6 cells each). */
static void table(fw_table *t, const fw_cell (*rows)[6], size_t n)
{
	fw_table_init(t);
	fw_table_add(t, 1, header, 6);
	for (size_t i = 0; i < n; i++) fw_table_add(t, i + 2, rows[i], 6);
}

/* Builds and validates; returns the JSON text (caller frees) or NULL with errs. */
static char *run(const fw_cell (*rows)[6], size_t n, buf *notes, buf *errs, framework **out)
{
	fw_table t;
	table(&t, rows, n);
	fw_import_meta m = meta();
	char *json = NULL;
	framework *fw = fw_import_run(&t, &m, &json, notes, errs);
	fw_table_free(&t);
	if (out) *out = fw;
	else framework_free(fw);
	return json;
}

static void test_header_tolerant(void **state)
{
	(void)state;
	fw_cell h[] = { O("  s t t"), O("TIÊU  CHÍ"), O("Điểm tối đa:"), O("Điểm\nthành phần"), O("MỨC ĐỘ"), O("Ghi chú, minh chứng") };
	h[0].text = "TT";
	/* NFD spelling of "Tiêu chí" */
	h[1].text = "Tie\xcc\x82u chi\xcc\x81";
	fw_row r = { 1, 6, h };
	int col[FW_NCOLS];
	assert_true(fw_import_header(&r, col));
	for (int k = 0; k < FW_NCOLS; k++) assert_int_equal(col[k], k);
	fw_cell no[] = { O("STT"), O("Tên đơn vị") };
	fw_row r2 = { 1, 2, no };
	assert_false(fw_import_header(&r2, col));
}

static void test_tree_codes_letters(void **state)
{
	(void)state;
	static const fw_cell rows[][6] = {
		{ O("I"), O("Nhóm một"), O("30"), O(""), O(""), O("") },
		{ O("1.1."), O("Tiêu chí có chỉ số"), O("20"), O(""), O(""), O("") },
		{ O("1.1.1"), O("Chỉ số một"), O(""), O("10"), O(""), O("Minh chứng: Kế hoạch") },
		{ O("1.1.2"), O("Chỉ số hai"), O(""), O("10"), O(""), O("") },
		{ O("a)"), O("Cách thứ nhất"), O(""), O("10"), O(""), O("") },
		{ O("b)"), O("Cách thứ hai"), O(""), O("5"), O(""), O("") },
		{ O("1.2"), O("Tiêu chí có mục a, b"), O("10"), O(""), O(""), O("Ghi chú: theo năm học") },
		{ O("a"), O("Mục a"), O(""), O("6"), O(""), O("") },
		{ O("b"), O("Mục b"), O(""), O("4"), O(""), O("") },
	};
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	framework *fw;
	char *json = run(rows, sizeof rows / sizeof rows[0], &notes, &errs, &fw);
	if (!fw) fail_msg("%s", buf_str(&errs));
	assert_int_equal(fw->ngroups, 1);
	assert_string_equal(fw->groups[0].code, "1");           /* I → 1 */
	const fw_node *n = framework_find(fw, "1.1.1");
	assert_non_null(n);
	assert_int_equal(n->rule->kind, RULE_YES_NO);
	assert_int_equal(n->rule->source, SRC_INFERRED);
	assert_int_equal(n->source, SRC_OFFICIAL);
	assert_string_equal(n->evidence, "Kế hoạch");
	assert_string_equal(n->origin, "bang.docx, hàng 4");
	n = framework_find(fw, "1.1.2");
	assert_int_equal(n->rule->kind, RULE_ALTERNATIVES);     /* a/b under an item: options */
	assert_int_equal(n->rule->noptions, 2);
	assert_string_equal(n->rule->options[1].code, "b");
	assert_non_null(framework_find(fw, "1.2.a"));            /* a/b under a criterion: items */
	assert_non_null(framework_find(fw, "1.2.b"));
	assert_string_equal(framework_find(fw, "1.2")->note, "theo năm học");
	assert_contains(buf_str(&notes), "1.1.2 (hàng 5): chọn một trong các mục a, b, c");
	assert_contains(buf_str(&notes), "các mức chung suy ra như Quyết định 4725: Mức 2 từ 15 điểm, Mức 3 trên 22,5 điểm");
	assert_contains(json, "\"source\": \"inferred\"");
	framework_free(fw);
	free(json);
	buf_free(&notes);
	buf_free(&errs);
}

static void test_merged_gates_bands(void **state)
{
	(void)state;
	static const fw_cell rows[][6] = {
		{ O("1"), O("Nhóm"), O("100"), O(""), O("Mức 1: dưới 50 điểm; Mức 2: từ 50 đến 75 điểm; Mức 3: trên 75 điểm"), O("") },
		{ O(""), O("Điều kiện bắt buộc:"), O(""), O(""), O(""), O("") },
		{ O("1.1"), O("Có kế hoạch"), O(""), O(""), O(""), O("") },
		{ O("1.2"), O("Có quy chế"), O(""), O(""), O(""), O("Điều kiện bắt buộc") },
		/* a maximum and levels merged down over the items */
		{ O("1.3"), O("Phần mềm"), O("60"), O(""), O("Dưới 20 điểm\nTừ 20 điểm\nTrên 40 điểm"), O("") },
		{ O("1.3.1"), O("Có bản quyền"), U("60"), O("30"), U("Dưới 20 điểm\nTừ 20 điểm\nTrên 40 điểm"), O("") },
		{ O("1.3.2"), O("Tỉ lệ học sinh dùng không quá 10%"), U("60"), O("30"), U("x"), O("") },
		{ U("1.3.2"), O("(kể cả học sinh học nhờ)"), U("60"), U("30"), U("x"), O("") },
		{ O("1.4"), O("Chấm theo người đánh giá"), O("tối đa 40 điểm"), L("tối đa 40 điểm"), O(""), O("") },
	};
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	framework *fw;
	char *json = run(rows, sizeof rows / sizeof rows[0], &notes, &errs, &fw);
	if (!fw) fail_msg("%s", buf_str(&errs));
	assert_int_equal(framework_find(fw, "1.1")->rule->kind, RULE_GATE);      /* under the heading */
	assert_int_equal(framework_find(fw, "1.2")->rule->kind, RULE_GATE);      /* by its note */
	const fw_node *c = framework_find(fw, "1.3");
	assert_true(c->has_max);
	assert_int_equal(c->max.n, 60);
	assert_int_equal(c->nbands, 3);
	assert_true(c->bands[1].has_from && c->bands[1].from.n == 20);
	assert_true(c->bands[2].has_above && c->bands[2].above.n == 40);
	const fw_node *r = framework_find(fw, "1.3.2");
	assert_int_equal(r->rule->kind, RULE_RATIO);
	assert_int_equal(r->rule->cmp, CMP_LE);
	assert_int_equal(r->rule->threshold.n, 10);
	assert_contains(r->note, "(kể cả học sinh học nhờ)");
	assert_int_equal(framework_find(fw, "1.4")->rule->kind, RULE_UP_TO);
	assert_int_equal(fw->nlevels, 3);                                     /* from the group's Mức độ */
	assert_int_equal(fw->levels[0].source, SRC_OFFICIAL);
	assert_contains(buf_str(&notes), "2 điều kiện bắt buộc");
	framework_free(fw);
	free(json);
	buf_free(&notes);
	buf_free(&errs);
}

static void test_total_row(void **state)
{
	(void)state;
	static const fw_cell rows[][6] = {
		{ O("1"), O("Nhóm một"), O(""), O(""), O(""), O("") },
		{ O("1.1"), O("Một"), O("40"), O(""), O(""), O("") },
		{ O("2"), O("Nhóm hai"), O(""), O(""), O(""), O("") },
		{ O("2.1"), O("Hai"), O("60"), O(""), O(""), O("") },
		{ O("Tổng cộng"), L("Tổng cộng"), O("100"), O(""), O(""), O("") },
	};
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	framework *fw;
	char *json = run(rows, sizeof rows / sizeof rows[0], &notes, &errs, &fw);
	if (!fw) fail_msg("%s", buf_str(&errs));
	assert_int_equal(fw->basis, BASIS_TOTAL);
	assert_int_equal(fw->total_max.n, 100);
	assert_true(fw->levels[1].has_from && fw->levels[1].from.n == 50);
	assert_int_equal(fw->levels[1].source, SRC_INFERRED);
	framework_free(fw);
	free(json);
	buf_free(&notes);
	buf_free(&errs);
}

static void expect_error(const fw_cell (*rows)[6], size_t n, const char *want)
{
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	framework *fw;
	char *json = run(rows, n, &notes, &errs, &fw);
	assert_null(fw);
	assert_null(json);
	assert_contains(buf_str(&errs), want);
	buf_free(&notes);
	buf_free(&errs);
}

static void test_broken_tables(void **state)
{
	(void)state;
	static const fw_cell dup[][6] = {
		{ O("1"), O("Nhóm"), O("10"), O(""), O(""), O("") },
		{ O("1.1"), O("Một"), O("10"), O(""), O(""), O("") },
		{ O("1.1"), O("Lại một"), O("10"), O(""), O(""), O("") },
	};
	expect_error(dup, 3, "bang.docx: hàng 4: mã 1.1 bị trùng với hàng 3");
	static const fw_cell orphan[][6] = {
		{ O("1"), O("Nhóm"), O("10"), O(""), O(""), O("") },
		{ O("2.1"), O("Không có nhóm 2"), O("10"), O(""), O(""), O("") },
	};
	expect_error(orphan, 2, "hàng 3: mã 2.1 không nằm dưới mã 2");
	static const fw_cell sum[][6] = {
		{ O("1"), O("Nhóm"), O("100"), O(""), O(""), O("") },
		{ O("1.1"), O("Một"), O("40"), O(""), O(""), O("") },
	};
	expect_error(sum, 2, "tổng điểm các thành phần (40) không bằng điểm tối đa khai báo (100)");
	static const fw_cell word[][6] = {
		{ O("1"), O("Nhóm"), O("mười"), O(""), O(""), O("") },
	};
	expect_error(word, 1, "hàng 2: cột \"Điểm tối đa\" không phải là số điểm: \"mười\"");
	static const fw_cell stt[][6] = {
		{ O("1"), O("Nhóm"), O("10"), O(""), O(""), O("") },
		{ O("1-1"), O("Một"), O("10"), O(""), O(""), O("") },
	};
	expect_error(stt, 2, "hàng 3: STT \"1-1\" không đọc được");
	static const fw_cell deep[][6] = {
		{ O("1"), O("Nhóm"), O("10"), O(""), O(""), O("") },
		{ O("1.1"), O("Một"), O("10"), O(""), O(""), O("") },
		{ O("1.1.1"), O("Một một"), O(""), O("10"), O(""), O("") },
		{ O("1.1.1.1"), O("Quá sâu"), O(""), O("10"), O(""), O("") },
	};
	expect_error(deep, 4, "hàng 5: mã 1.1.1.1 có 4 cấp");
	fw_table t;
	fw_table_init(&t);
	fw_cell h[] = { O("Mã"), O("Tên") };
	fw_table_add(&t, 1, h, 2);
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	fw_import_meta m = meta();
	assert_null(fw_import_build(&t, &m, &notes, &errs));
	assert_contains(buf_str(&errs), "không tìm thấy bảng có các cột");
	fw_table_free(&t);
	buf_free(&notes);
	buf_free(&errs);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) fail_msg("cannot open %s", path);
	buf b;
	buf_init(&b);
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

static json_t *import_file(const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	fw_table t;
	char *err = NULL;
	if (fw_import_read(data, len, path, &import_default_limits, &t, &err)) fail_msg("%s: %s", path, err);
	free(data);
	fw_import_meta m = meta();
	m.file = "bang";
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	json_t *j = fw_import_build(&t, &m, &notes, &errs);
	if (!j) fail_msg("%s: %s", path, buf_str(&errs));
	fw_table_free(&t);
	buf_free(&notes);
	buf_free(&errs);
	return j;
}

static void test_docx_xlsx_same(void **state)
{
	(void)state;
	json_t *d = import_file(FIX "annex.docx"), *x = import_file(FIX "annex.xlsx");
	assert_true(json_equal(d, x));
	char *s = json_dumps(d, 0);
	assert_contains(s, "\"code\": \"1.2.3\"");
	assert_contains(s, "\"origin\": \"bang, hàng 12\"");   /* the spanned "II. …" row */
	free(s);
	json_decref(d);
	json_decref(x);
}

static void test_readers_hostile(void **state)
{
	(void)state;
	size_t len;
	char *data = slurp(FIX "bad-utf8.docx", &len);
	fw_table t;
	char *err = NULL;
	assert_int_equal(fw_import_read(data, len, "x.docx", &import_default_limits, &t, &err), -1);
	assert_contains(err, "Bảng thứ 2, hàng 4: văn bản không phải UTF-8 hợp lệ");
	free(err);
	fw_table_free(&t);
	import_limits lim = import_default_limits;
	lim.max_file_bytes = 100;
	assert_int_equal(fw_import_read(data, len, "x.docx", &lim, &t, &err), -1);
	assert_contains(err, "Tệp quá lớn");
	free(err);
	fw_table_free(&t);
	free(data);
	assert_int_equal(fw_import_read("abc", 3, "x.doc", &import_default_limits, &t, &err), -1);
	assert_contains(err, "Word 97–2003");
	free(err);
	fw_table_free(&t);
}

static void test_fuzz_corpus(void **state)
{
	(void)state;
	DIR *d = opendir("fuzz/corpus/fw_import");
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') continue;
		char path[512];
		snprintf(path, sizeof path, "fuzz/corpus/fw_import/%s", e->d_name);
		size_t len;
		char *data = slurp(path, &len);
		fw_table t;
		char *err = NULL;
		if (fw_import_read(data, len, e->d_name, &import_default_limits, &t, &err) == 0) {
			fw_import_meta m = meta();
			buf notes, errs;
			buf_init(&notes);
			buf_init(&errs);
			char *json = NULL;
			framework_free(fw_import_run(&t, &m, &json, &notes, &errs));
			free(json);
			buf_free(&notes);
			buf_free(&errs);
		} else assert_non_null(err);
		free(err);
		fw_table_free(&t);
		free(data);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_tolerant),
		cmocka_unit_test(test_tree_codes_letters),
		cmocka_unit_test(test_merged_gates_bands),
		cmocka_unit_test(test_total_row),
		cmocka_unit_test(test_broken_tables),
		cmocka_unit_test(test_docx_xlsx_same),
		cmocka_unit_test(test_readers_hostile),
		cmocka_unit_test(test_fuzz_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
