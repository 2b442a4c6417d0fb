/* cmd_doc.c — `chiso doc`: generate an administrative document (PDF, DOCX
 * or XLSX) about an assessment or a round, list the document types, show
 * what was generated, enter the self-inspection inputs of seed 003
 * (staff numbers, the six headings of II.1 as "work", software in use, the
 * contact of 2.1, recommendations) from a JSON file, and set how an
 * issuer's register numbers (one sequence a year, or one per kind). */
#include "cmd.h"
#include "db.h"
#include "doc.h"
#include "doc_set.h"
#include "q_doc.h"
#include "q_framework.h"
#include "q_register.h"
#include "util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Cách dùng (usage):\n"
	"  chiso doc TYPE --assessment ID|--round ID --format pdf|docx|xlsx [--out FILE|-]\n"
	"            [--number SỐ] [--date YYYY-MM-DD] [--signer \"Họ tên\"] [--signer-title \"CHỨC VỤ\"]\n"
	"            [--recipients \"A;B;Lưu: VT\"] [--place \"Quận 7\"] [--reuse] [--no-record] [--db PATH|URL]\n"
	"  chiso doc list                                  các loại văn bản (types)\n"
	"  chiso doc history --assessment ID|--round ID    các văn bản đã tạo (generated files)\n"
	"  chiso doc inspection --assessment ID FILE.json  nhập số liệu báo cáo tự kiểm tra (seed 003)\n"
	"  chiso doc plan-ref --round ID --number SỐ --date YYYY-MM-DD   số, ngày Kế hoạch của đợt\n"
	"  chiso doc register --unit ID --year YYYY        sổ đăng ký văn bản đi của đơn vị\n"
	"  chiso doc numbering --unit ID nam|loai          đánh số: một dãy số mỗi năm, hoặc mỗi loại văn bản mỗi năm\n"
	"--register: không cho số thì lấy số tiếp theo trong sổ văn bản đi của đơn vị ban hành.\n"
	"Số, ngày, người ký không cho thì để trống để điền tay (hoặc lấy từ dữ liệu, --reuse: từ lần tạo trước).\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return EXIT_BADINPUT;
}

static int doc_list(void)
{
	size_t n;
	const doc_type *t = doc_types(&n);
	printf("%-18s %-26s %-10s %-6s %s\n", "Loại (type)", "Bí danh (alias)", "Về", "XLSX", "Văn bản");
	for (size_t i = 0; i < n; i++)
		printf("%-18s %-26s %-10s %-6s %s\n", t[i].code, t[i].alias,
		       t[i].scope == DOC_SCOPE_ASSESSMENT ? "assessment" : "round", t[i].xlsx ? "có" : "", t[i].name);
	return EXIT_OK;
}

static int doc_history(db *d, const char *otype, int64_t id)
{
	arena *a = arena_new();
	document_row *rows = NULL;
	size_t n = 0;
	int rc = document_list(d, otype, id, a, &rows, &n);
	if (rc != DB_OK) {
		fprintf(stderr, "chiso doc: %s\n", db_errmsg(d));
		arena_free(a);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\n", (long long)rows[i].id, rows[i].generated_at, rows[i].type,
		       rows[i].format, rows[i].number ? rows[i].number : "-", rows[i].date ? rows[i].date : "-",
		       rows[i].sha256, (long long)rows[i].size, rows[i].signer ? rows[i].signer : "-");
	arena_free(a);
	return EXIT_OK;
}

/* A count from the JSON, or INSPECTION_UNKNOWN when absent or null. */
static int64_t count_of(json_t *o, const char *key, bool *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) return INSPECTION_UNKNOWN;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fprintf(stderr, "chiso doc inspection: \"%s\" phải là số nguyên không âm\n", key);
		*bad = true;
		return INSPECTION_UNKNOWN;
	}
	return (int64_t)json_integer_value(v);
}

static const char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int doc_inspection(db *d, int64_t assessment_id, const char *file)
{
	json_error_t je;
	json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	if (!root || !json_is_object(root)) {
		fprintf(stderr, "chiso doc inspection: %s: %s (dòng %d)\n", file, root ? "cần một đối tượng JSON" : je.text, je.line);
		json_decref(root);
		return EXIT_BADINPUT;
	}
	bool bad = false;
	self_inspection s = {
		.assessment_id = assessment_id,
		.staff_total = count_of(root, "staff_total", &bad), .managers = count_of(root, "managers", &bad),
		.principals = count_of(root, "principals", &bad), .vice_principals = count_of(root, "vice_principals", &bad),
		.teachers = count_of(root, "teachers", &bad), .teachers_surplus = count_of(root, "teachers_surplus", &bad),
		.teachers_shortage = count_of(root, "teachers_shortage", &bad), .staff = count_of(root, "staff", &bad),
		.staff_in_quota = count_of(root, "staff_in_quota", &bad),
		.staff_school_contract = count_of(root, "staff_school_contract", &bad),
		.work_summary = str_of(root, "work_summary"), .recommendations = str_of(root, "recommendations"),
		.contact_name = str_of(root, "contact_name"), .contact_title = str_of(root, "contact_title"),
		.contact_email = str_of(root, "contact_email"), .contact_phone = str_of(root, "contact_phone"),
	};
	/* "work": the six headings of part II.1, in seed 003's order */
	json_t *work = json_object_get(root, "work");
	for (size_t i = 0; i < INSPECTION_NWORK && json_is_array(work); i++) {
		json_t *v = json_array_get(work, i);
		s.work[i] = json_is_string(v) ? json_string_value(v) : NULL;
	}
	json_t *list = json_object_get(root, "software");
	size_t n = json_is_array(list) ? json_array_size(list) : 0;
	software_use *sw = xcalloc(n ? n : 1, sizeof *sw);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(list, i);
		json_t *fee = json_object_get(o, "fee_vnd");
		sw[i] = (software_use){ .name = str_of(o, "name"), .purpose = str_of(o, "purpose"), .vendor = str_of(o, "vendor"),
			.paid = json_is_true(json_object_get(o, "paid")), .fee_vnd = json_is_integer(fee) ? json_integer_value(fee) : 0,
			.fee_note = str_of(o, "fee_note") };
	}
	int rc = bad ? EXIT_BADINPUT : EXIT_OK;
	if (!bad && inspection_save(d, 0, &s, sw, n) != DB_OK) {
		fprintf(stderr, "chiso doc inspection: %s\n", db_errmsg(d));
		rc = EXIT_BADINPUT;
	} else if (!bad) {
		printf("Đã lưu số liệu tự kiểm tra của hồ sơ %lld (%zu phần mềm).\n", (long long)assessment_id, n);
	}
	free(sw);
	json_decref(root);
	return rc;
}

static int doc_plan_ref(db *d, int64_t round_id, const char *number, const char *date)
{
	if (round_plan_set(d, 0, round_id, number, date) != DB_OK) {
		fprintf(stderr, "chiso doc: %s\n", db_errmsg(d));
		return EXIT_BADINPUT;
	}
	printf("Đợt %lld: Kế hoạch số %s ngày %s\n", (long long)round_id, number, date);
	return EXIT_OK;
}

/* The issuer's way of numbering (q_register.h): "nam" (ND 30's one
 * sequence a year) or "loai" (one per kind of document a year). */
static int doc_numbering(db *d, int64_t unit_id, const char *mode)
{
	register_numbering n = !strcmp(mode, "loai") ? REGISTER_PER_KIND : REGISTER_PER_YEAR;
	if (strcmp(mode, "loai") != 0 && strcmp(mode, "nam") != 0) return usage();
	if (register_numbering_set(d, 0, unit_id, n) != DB_OK) {
		fprintf(stderr, "chiso doc: %s\n", db_errmsg(d));
		return EXIT_BADINPUT;
	}
	printf("Đơn vị %lld: %s\n", (long long)unit_id, n == REGISTER_PER_KIND ? "số theo từng loại văn bản trong năm" : "một dãy số trong năm");
	return EXIT_OK;
}

/* One line a document: số, ngày, loại, trích yếu, người ký, SHA-256. */
static int doc_register_print(db *d, int64_t unit_id, int year)
{
	arena *a = arena_new();
	register_entry *e;
	size_t n;
	int rc = register_list(d, unit_id, year, a, &e, &n);
	if (rc != DB_OK) fprintf(stderr, "chiso doc: %s\n", db_errmsg(d));
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)e[i].seq, e[i].number, e[i].date, e[i].kind,
		       e[i].summary, e[i].signer ? e[i].signer : "", e[i].sha256 ? e[i].sha256 : "");
	arena_free(a);
	return rc == DB_OK ? EXIT_OK : EXIT_FAIL;
}

static bool write_file(const char *path, const buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) return false;
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	if (f != stdout) ok = fclose(f) == 0 && ok;
	else fflush(stdout);
	return ok;
}

int cmd_doc(int argc, char **argv)
{
	if (argc < 2) return usage();
	const char *what = argv[1];
	if (!strcmp(what, "list")) return doc_list();
	const char *target = cmd_default_db(), *out = NULL, *format = NULL, *file = NULL;
	int64_t assessment_id = 0, round_id = 0, unit_id = 0;
	int year = 0;
	doc_params p = { 0 };
	bool record = true;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(a, "--db") && has) target = argv[++i];
		else if (!strcmp(a, "--assessment") && has) { if (!cmd_parse_id(argv[++i], &assessment_id)) return usage(); }
		else if (!strcmp(a, "--round") && has) { if (!cmd_parse_id(argv[++i], &round_id)) return usage(); }
		else if (!strcmp(a, "--format") && has) format = argv[++i];
		else if (!strcmp(a, "--out") && has) out = argv[++i];
		else if (!strcmp(a, "--number") && has) p.number = argv[++i];
		else if (!strcmp(a, "--date") && has) p.date = argv[++i];
		else if (!strcmp(a, "--signer") && has) p.signer = argv[++i];
		else if (!strcmp(a, "--signer-title") && has) p.signer_title = argv[++i];
		else if (!strcmp(a, "--recipients") && has) p.recipients = argv[++i];
		else if (!strcmp(a, "--place") && has) p.place = argv[++i];
		else if (!strcmp(a, "--reuse")) p.reuse_last = true;
		else if (!strcmp(a, "--register")) p.register_number = true;
		else if (!strcmp(a, "--unit") && has) { if (!cmd_parse_id(argv[++i], &unit_id)) return usage(); }
		else if (!strcmp(a, "--year") && has) year = atoi(argv[++i]);
		else if (!strcmp(a, "--no-record")) record = false;
		else if (a[0] != '-' && !file) file = a;
		else {
			fprintf(stderr, "chiso doc: tùy chọn không hợp lệ %s\n", a);
			return usage();
		}
	}
	if (!strcmp(what, "numbering")) {
		if (!unit_id || !file) return usage();
		db *d = cmd_open_db(target);
		if (!d) return EXIT_FAIL;
		int rc = doc_numbering(d, unit_id, file);
		db_close(d);
		return rc;
	}
	if (!strcmp(what, "plan-ref") || !strcmp(what, "register")) {
		bool plan = !strcmp(what, "plan-ref");
		if (plan ? !round_id || !p.number || !p.date : !unit_id || year < 2000) return usage();
		db *d = cmd_open_db(target);
		if (!d) return EXIT_FAIL;
		int rc = plan ? doc_plan_ref(d, round_id, p.number, p.date) : doc_register_print(d, unit_id, year);
		db_close(d);
		return rc;
	}
	if (!strcmp(what, "history") || !strcmp(what, "inspection")) {
		if (!assessment_id && (!round_id || !strcmp(what, "inspection"))) return usage();
		if (!strcmp(what, "inspection") && !file) return usage();
		db *d = cmd_open_db(target);
		if (!d) return EXIT_FAIL;
		int rc = !strcmp(what, "history") ? doc_history(d, assessment_id ? "assessment" : "round", assessment_id ? assessment_id : round_id)
		                                  : doc_inspection(d, assessment_id, file);
		db_close(d);
		return rc;
	}

	const doc_type *t = doc_type_find(what);
	if (!t) {
		fprintf(stderr, "chiso doc: không có loại văn bản '%s' (xem: chiso doc list)\n", what);
		return EXIT_BADINPUT;
	}
	doc_format f = DOC_PDF;
	if (format && !doc_format_parse(format, &f)) {
		fprintf(stderr, "chiso doc: định dạng '%s' không hợp lệ (pdf, docx, xlsx)\n", format);
		return EXIT_BADINPUT;
	}
	int64_t id = t->scope == DOC_SCOPE_ASSESSMENT ? assessment_id : round_id;
	if (!id || (t->scope == DOC_SCOPE_ASSESSMENT ? round_id : assessment_id)) {
		fprintf(stderr, "chiso doc: %s cần %s ID\n", t->name, t->scope == DOC_SCOPE_ASSESSMENT ? "--assessment" : "--round");
		return EXIT_BADINPUT;
	}
	db *d = cmd_open_db(target);
	if (!d) return EXIT_FAIL;
	fw_catalog cat;
	fw_catalog_load_default(&cat, NULL);
	fw_catalog_sync_db(&cat, d, 0, &cat.errors);   /* published versions too */
	if (cat.errors.len) fputs(buf_str(&cat.errors), stderr);
	doc_result r;
	buf err;
	buf_init(&err);
	int rc = doc_generate(d, &cat, 0, t, id, f, &p, record, &r, &err);
	int status = EXIT_OK;
	if (rc != DB_OK) {
		fprintf(stderr, "chiso doc: %s", buf_str(&err));
		status = rc == DB_EINVAL || rc == DB_ENOTFOUND ? EXIT_BADINPUT : EXIT_FAIL;
	} else {
		if (err.len) fputs(buf_str(&err), stderr);
		const char *path = out ? out : r.filename;
		if (!write_file(path, &r.data)) {
			fprintf(stderr, "chiso doc: không ghi được %s\n", path);
			status = EXIT_FAIL;
		} else {
			fprintf(stderr, "Đã tạo %s: %s, %zu byte, SHA-256 %s, %.1f ms%s\n", strcmp(path, "-") ? path : "(stdout)",
			        t->name, r.data.len, r.sha256, r.ms, record ? "" : " (không ghi nhận)");
		}
		buf_free(&r.data);
	}
	buf_free(&err);
	fw_catalog_free(&cat);
	db_close(d);
	doc_release_fonts(true);
	return status;
}
