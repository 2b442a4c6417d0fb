/* test_unit_bulk.c — the importer's batched writes (q_unit_bulk.h,
 * audit_append_many) on SQLite and PostgreSQL: units and relations written
 * in chunks read back as written, their audit rows carry the payloads
 * unit_save and unit_relate write and the chain verifies; an import costs a
 * bounded number of round trips; a loop through stored relations is still
 * refused. db_copy (PostgreSQL's COPY, which the bulk writes use there):
 * every byte COPY's text format escapes comes back as written, a row
 * that breaks a constraint fails the copy and leaves nothing, and SQLite
 * has none. */
#include "store_test.h"
#include "testutil.h"
#include "audit.h"
#include "import.h"
#include "import_unit.h"
#include "q_unit_bulk.h"
#include "buf.h"

static int64_t count(store_fx *fx, const char *sql)
{
	int64_t n = -1;
	OK(db_query_int64(fx->d, &n, sql, ""));
	return n;
}

static void chain_ok(store_fx *fx)
{
	audit_report ar;
	OK(audit_verify(fx->d, &ar));
	if (ar.bad_seq) fail_msg("audit chain broken at %lld: %s", (long long)ar.bad_seq, ar.problem);
}

static char *after_json_of(store_fx *fx, arena *a, const char *action, int64_t id)
{
	char *s = NULL;
	OK(db_query_text(fx->d, a, &s, "SELECT after_json FROM audit_log WHERE action = ?"
		" AND object_id = ?", "ti", action, id));
	return s;
}

/* 600 units (more than one chunk of units and of audit rows). */
static void test_create_update(void **state)
{
	store_fx *fx = *state;
	enum { N = 600 };
	arena *a = arena_new();
	/* one through unit_save, to compare the audit payloads */
	unit one = { 0, "S0", "Trường THCS A", "thcs", "Thôn 1", NULL, true };
	int64_t id0;
	OK(unit_save(fx->d, 0, &one, &id0, NULL));
	unit *u = arena_alloc(a, N * sizeof *u);
	for (int i = 0; i < N; i++) {
		char code[16], name[64];
		snprintf(code, sizeof code, "S%d", i + 1);
		snprintf(name, sizeof name, "Trường THCS A");
		unit in = { 0, code, name, i % 2 ? "thcs" : "lien_cap", i % 3 ? "Thôn 1" : NULL,
			i % 2 ? NULL : "tieu_hoc,thcs", i % 5 != 0 };
		OK(unit_clean(fx->d, &in, a, &u[i]));
	}
	int64_t *ids = arena_alloc(a, N * sizeof *ids);
	OK(db_begin_write(fx->d));
	OK(unit_bulk_create(fx->d, 0, u, N, ids));
	OK(db_commit(fx->d));
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), N + 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create'"), N + 1);
	for (int i = 0; i < N; i += 37) {
		unit got;
		OK(unit_find_code(fx->d, u[i].code, a, &got));
		assert_int_equal(got.id, ids[i]);
		assert_string_equal(got.type, u[i].type);
		assert_int_equal(got.is_public, u[i].is_public);
	}
	/* S1 is odd-indexed 0: same fields as S0 but liên cấp; S2 (index 1) matches S0 */
	char *want = after_json_of(fx, a, "unit.create", id0);
	char *got = after_json_of(fx, a, "unit.create", ids[1]);
	assert_non_null(strstr(want, "\"code\":\"S0\""));
	*strstr(want, "\"S0\"") = '\0';
	*strstr(got, "\"S2\"") = '\0';
	assert_string_equal(got, want);
	/* Rename the odd ones. */
	unit *old = arena_alloc(a, N / 2 * sizeof *old), *now = arena_alloc(a, N / 2 * sizeof *now);
	for (size_t i = 0; i < N / 2; i++) {
		OK(unit_find_code(fx->d, u[2 * i + 1].code, a, &old[i]));
		now[i] = u[2 * i + 1];
		now[i].name = "Trường THCS Lê Quý Đôn";
	}
	OK(unit_bulk_update(fx->d, 7, old, now, N / 2));
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE name = 'Trường THCS Lê Quý Đôn'"
		" AND name_fold = 'truong thcs le quy don'"), N / 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.update'"
		" AND account_id = 7 AND before_json LIKE '%Trường THCS A%'"
		" AND after_json LIKE '%Lê Quý Đôn%'"), N / 2);
	chain_ok(fx);
	arena_free(a);
}

static void test_relate_new(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	unit so = { 0, "SO", "Sở GD&ĐT", "so", NULL, NULL, true };
	int64_t so_id, ids[300];
	OK(unit_save(fx->d, 0, &so, &so_id, NULL));
	unit_relation r[600];
	for (size_t i = 0; i < 300; i++) {
		char code[16];
		snprintf(code, sizeof code, "P%zu", i);
		unit p = { 0, code, "Phòng GD&ĐT", "phong", NULL, NULL, true };
		OK(unit_save(fx->d, 0, &p, &ids[i], NULL));
		r[2 * i] = (unit_relation){ 0, ids[i], so_id, UNIT_PARENT, NULL, NULL };
		r[2 * i + 1] = (unit_relation){ 0, ids[i], so_id, UNIT_EVALUATOR, NULL, NULL };
	}
	OK(unit_bulk_relate_new(fx->d, 0, r, 600, "2025-09-01"));
	int64_t other;
	OK(unit_related_on(fx->d, ids[299], UNIT_EVALUATOR, "2025-09-01", &other));
	assert_int_equal(other, so_id);
	assert_int_equal(unit_related_on(fx->d, ids[0], UNIT_PARENT, "2025-08-31", &other), DB_ENOTFOUND);
	unit_relation *held;
	size_t n;
	OK(unit_bulk_touching(fx->d, "2025-12-31", a, &held, &n));
	assert_int_equal(n, 600);
	OK(unit_bulk_touching(fx->d, "2024-01-01", a, &held, &n));
	assert_int_equal(n, 600);
	assert_string_equal(held[0].valid_from, "2025-09-01");
	/* the payload unit_relate writes for a first relation */
	char *want = NULL;
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"kind\":\"parent\",\"other_unit_id\":%lld,\"unit_id\":%lld,"
		"\"valid_from\":\"2025-09-01\",\"valid_to\":null}", (long long)so_id, (long long)ids[5]);
	OK(db_query_text(fx->d, a, &want, "SELECT after_json FROM audit_log WHERE action = 'unit.relate'"
		" AND object_id = ? AND after_json LIKE '%parent%' AND before_json IS NULL", "i", ids[5]));
	assert_string_equal(want, buf_str(&b));
	buf_free(&b);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.relate'"), 600);
	chain_ok(fx);
	/* unit_relate still sees them: a change later in time closes the first */
	OK(unit_relate(fx->d, 0, ids[0], UNIT_PARENT, ids[1], "2026-01-01"));
	OK(unit_related_on(fx->d, ids[0], UNIT_PARENT, "2025-12-31", &other));
	assert_int_equal(other, so_id);
	chain_ok(fx);
	arena_free(a);
}

static int run_csv(store_fx *fx, const char *csv, import_unit_result *r)
{
	import_table t;
	char *err = NULL;
	if (import_csv_parse(csv, strlen(csv), &import_default_limits, &t, &err))
		fail_msg("CSV refused: %s", err);
	import_unit_opts o = { "2025-09-01", false, 0, NULL, NULL, NULL };
	int rc = import_unit_run(fx->d, &t, &o, r);
	import_table_free(&t);
	return rc;
}

/* 2,000 rows: the round trips do not grow with the rows. */
static void test_import_round_trips(void **state)
{
	store_fx *fx = *state;
	for (int pass = 0; pass < 3; pass++) {
		buf csv;
		buf_init(&csv);
		buf_puts(&csv, "Mã,Tên,Loại hình,Đơn vị quản lý\nSO,Sở GD&ĐT,Sở GD&ĐT,\n"
			"PA,Phòng A,Phòng GD&ĐT,SO\n");
		for (int i = 0; i < 1998; i++)
			buf_printf(&csv, "T%d,Trường %s %d,Tiểu học,PA\n", i,
				pass == 2 && i % 10 == 0 ? "Lê Lợi" : "Trần Phú", i);
		import_unit_result r;
		db_round_trips_reset(fx->d);
		OK(run_csv(fx, buf_str(&csv), &r));
		int64_t trips = db_round_trips(fx->d);
		if (trips > 120) fail_msg("pass %d: %lld round trips", pass, (long long)trips);
		if (pass == 0) {
			assert_int_equal(r.created, 2000);
			assert_int_equal(r.rel_changed, 3998);
		} else {
			assert_int_equal(r.created, 0);
			assert_int_equal(r.updated, pass == 2 ? 200 : 0);
			assert_int_equal(r.rel_changed, 0);
			assert_int_equal(r.rel_unchanged, 3998);
		}
		import_unit_result_free(&r);
		buf_free(&csv);
	}
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), 2000 + 3998 + 200);
	chain_ok(fx);
}

/* W's new parent X is new, X's parent P is stored under W: a loop the file
 * alone does not show. Nothing is written. */
static void test_loop_through_store(void **state)
{
	store_fx *fx = *state;
	import_unit_result r;
	OK(run_csv(fx, "Mã,Tên,Loại hình,Đơn vị quản lý\nW,Phòng W,Phòng GD&ĐT,\n"
		"P,Phòng P,Phòng GD&ĐT,W\n", &r));
	import_unit_result_free(&r);
	int64_t audits = count(fx, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(run_csv(fx, "Mã,Tên,Loại hình,Đơn vị quản lý\nX,Phòng X,Phòng GD&ĐT,P\n"
		"W,Phòng W,Phòng GD&ĐT,X\n", &r), DB_EINVAL);
	assert_true(r.nerrors >= 1);
	assert_contains(r.errors[0].msg, "vòng lặp");
	import_unit_result_free(&r);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit_log"), audits);
	chain_ok(fx);
}

/* One unit row through db_copy: code, name, address (NULL for none). */
static void copy_unit(db_copy *c, const char *code, const char *name, const char *address)
{
	db_copy_text(c, code);
	db_copy_text(c, name);
	db_copy_text(c, "x");
	db_copy_text(c, "Tiểu học");
	db_copy_text(c, address);
	db_copy_text(c, "2025-09-01T00:00:00Z");
	db_copy_text(c, "2025-09-01T00:00:00Z");
	assert_int_equal(db_copy_row(c), DB_OK);
}

#define COPY_UNITS "COPY units (code, name, name_fold, type, address, created_at, updated_at) FROM STDIN"

static void test_copy(void **state)
{
	store_fx *fx = *state;
	if (!db_has_copy(fx->d)) {
		OK(db_begin_write(fx->d));
		assert_null(db_copy_begin(fx->d, COPY_UNITS));
		assert_int_equal(db_errcode(fx->d), DB_EMISUSE);
		OK(db_commit(fx->d));
		return;
	}
	/* outside a transaction: refused, nothing sent */
	assert_null(db_copy_begin(fx->d, COPY_UNITS));
	assert_int_equal(db_errcode(fx->d), DB_EMISUSE);

	static const char odd[] = "Trường \\N\ttab\nnewline\\r\rcr \\ Đồng";
	OK(db_begin_write(fx->d));
	db_copy *c = db_copy_begin(fx->d, COPY_UNITS);
	assert_non_null(c);
	copy_unit(c, "C1", odd, NULL);
	copy_unit(c, "C2", "\\N", "\\");
	for (int i = 0; i < 3000; i++) {   /* more than one piece sent */
		char code[16];
		snprintf(code, sizeof code, "D%d", i);
		copy_unit(c, code, "Trường Tiểu học Nguyễn Văn Trỗi có một cái tên khá dài", "Thôn 1");
	}
	OK(db_copy_end(c));
	OK(db_commit(fx->d));
	arena *a = arena_new();
	char *name = NULL, *addr = NULL;
	OK(db_query_text(fx->d, a, &name, "SELECT name FROM units WHERE code = ?", "t", "C1"));
	assert_string_equal(name, odd);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code = 'C1' AND address IS NULL"), 1);
	OK(db_query_text(fx->d, a, &name, "SELECT name FROM units WHERE code = ?", "t", "C2"));
	OK(db_query_text(fx->d, a, &addr, "SELECT address FROM units WHERE code = ?", "t", "C2"));
	assert_string_equal(name, "\\N");
	assert_string_equal(addr, "\\");
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code LIKE 'D%'"), 3000);
	arena_free(a);

	/* a row that breaks UNIQUE (code) after good ones: the copy fails,
	 * the transaction rolls back, nothing of it is stored */
	int64_t before = count(fx, "SELECT COUNT(*) FROM units");
	OK(db_begin_write(fx->d));
	c = db_copy_begin(fx->d, COPY_UNITS);
	assert_non_null(c);
	copy_unit(c, "E1", "Mới", NULL);
	copy_unit(c, "C1", "Trùng mã", NULL);
	copy_unit(c, "E2", "Mới", NULL);
	assert_int_equal(db_copy_end(c), DB_ECONSTRAINT);
	assert_contains(db_errmsg(fx->d), "units");
	db_rollback(fx->d);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units"), before);
	/* the connection is usable again */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM units WHERE code = 'E1'"), 0);
}

#define BULK_TESTS(X) X(create_update) X(relate_new) X(import_round_trips) X(loop_through_store) X(copy)

int main(void)
{
	store_run("unit_bulk", BULK_TESTS);
}
