/* test_visit.c — the external team's visit schedule (q_visit.c), on SQLite
 * and, with CHISO_TEST_PG, PostgreSQL: a visit takes a unit of the round
 * and members of the round's team (others refused with a message); the
 * list is by day with its members; conflicts (a member in two places the
 * same day, a unit visited twice) are found, each pair once; removal and
 * the audit trail. */
#include "store_test.h"
#include "q_account.h"
#include "q_office.h"
#include "q_round.h"
#include "q_unit.h"
#include "q_visit.h"

static int64_t add_unit(store_fx *fx, const char *code, const char *name, const char *type)
{
	unit u = { .code = code, .name = name, .type = type, .is_public = true };
	int64_t id = 0;
	OK(unit_save(fx->d, 0, &u, &id, NULL));
	return id;
}

static int64_t person(store_fx *fx, const char *login, const char *name)
{
	int64_t id = 0;
	OK(account_create(fx->d, 0, login, name, NULL, &id));
	return id;
}

static void test_visit_schedule(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t p = add_unit(fx, "52100", "Phòng GD&ĐT Quy Nhơn", "phong");
	int64_t s1 = add_unit(fx, "52102001", "Trường THCS Ngô Sĩ Liên", "thcs");
	int64_t s2 = add_unit(fx, "52102002", "Trường THCS Lê Lợi", "thcs");
	int64_t s3 = add_unit(fx, "52102003", "Trường THCS Trần Phú", "thcs");
	int64_t elsewhere = add_unit(fx, "52112001", "Trường THCS Huỳnh Thúc Kháng", "thcs");
	OK(unit_relate(fx->d, 0, s1, UNIT_EVALUATOR, p, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s2, UNIT_EVALUATOR, p, "2020-09-01"));
	OK(unit_relate(fx->d, 0, s3, UNIT_EVALUATOR, p, "2020-09-01"));
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	round_row r = { .office_unit_id = p, .school_year = "2024-2025", .title = "Đợt 2024-2025", .policy = "min",
	                .self_due = "2025-05-31" };
	int64_t round = 0;
	OK(round_open(fx->d, 0, &r, fw, 1, NULL, 0, &round));
	OK(round_add_units(fx->d, 0, round, "2025-05-31", NULL, NULL));
	int64_t head = person(fx, "dgn.an", "Nguyễn Văn An"), sec = person(fx, "dgn.binh", "Trần Thị Bình");
	int64_t outsider = person(fx, "gv.cuong", "Lê Văn Cường");
	decision dec = { .issuer_unit_id = p, .kind = "external_team", .number = "58/QĐ-PGDĐT", .date = "2025-06-02" };
	int64_t team_id = 0;
	OK(team_form(fx->d, 0, round, &dec, &team_id));
	OK(team_set_member(fx->d, 0, team_id, head, TEAM_HEAD));
	OK(team_set_member(fx->d, 0, team_id, sec, TEAM_SECRETARY));

	int64_t both[] = { head, sec }, only_sec[] = { sec }, only_head[] = { head }, with_outsider[] = { head, outsider };
	int64_t v1 = 0, v2 = 0, v3 = 0, v4 = 0;
	OK(visit_add(fx->d, 0, round, s1, "2025-06-05", both, 2, NULL, &v1));
	OK(visit_add(fx->d, 0, round, s2, "2025-06-05", only_sec, 1, "Buổi chiều", &v2));   /* the secretary twice on the 5th */
	OK(visit_add(fx->d, 0, round, s1, "2025-06-06", only_head, 1, NULL, &v3));         /* S1 twice */
	OK(visit_add(fx->d, 0, round, s3, "2025-06-04", only_head, 1, NULL, &v4));
	assert_int_equal(visit_add(fx->d, 0, round, s3, "2025-06-07", with_outsider, 2, NULL, NULL), DB_EINVAL);
	assert_non_null(strstr(db_errmsg(fx->d), "không thuộc Đoàn"));
	db_clear_error(fx->d);
	assert_int_equal(visit_add(fx->d, 0, round, elsewhere, "2025-06-07", only_head, 1, NULL, NULL), DB_EINVAL);
	db_clear_error(fx->d);
	assert_int_equal(visit_add(fx->d, 0, round, s3, "2025-06-31", only_head, 1, NULL, NULL), DB_EINVAL);
	db_clear_error(fx->d);
	assert_int_equal(visit_add(fx->d, 0, round, s3, "2025-06-07", NULL, 0, NULL, NULL), DB_EINVAL);
	db_clear_error(fx->d);

	round_visit *v;
	size_t n;
	OK(visit_list(fx->d, round, a, &v, &n));
	assert_int_equal(n, 4);                       /* refused ones left nothing behind */
	assert_int_equal(v[0].id, v4);                /* by day, then unit code */
	assert_int_equal(v[1].id, v1);
	assert_int_equal(v[2].id, v2);
	assert_int_equal(v[3].id, v3);
	assert_string_equal(v[1].unit_name, "Trường THCS Ngô Sĩ Liên");
	assert_string_equal(v[1].date, "2025-06-05");
	assert_int_equal(v[1].nmembers, 2);
	assert_string_equal(v[1].members[0].full_name, "Nguyễn Văn An");   /* by name */
	assert_string_equal(v[1].members[1].full_name, "Trần Thị Bình");
	assert_string_equal(v[2].note, "Buổi chiều");
	assert_null(v[1].note);

	size_t nc;
	visit_conflict *c = visit_conflicts(a, v, n, &nc);
	assert_int_equal(nc, 2);
	assert_int_equal(c[0].kind, VISIT_MEMBER_TWICE);
	assert_int_equal(c[0].first, 1);
	assert_int_equal(c[0].second, 2);
	assert_int_equal(c[0].member->account_id, sec);
	assert_int_equal(c[1].kind, VISIT_UNIT_TWICE);
	assert_int_equal(c[1].first, 1);
	assert_int_equal(c[1].second, 3);
	assert_false(visit_in_conflict(c, nc, 0));
	assert_true(visit_in_conflict(c, nc, 3));

	/* removal: only a visit of this round */
	assert_int_equal(visit_remove(fx->d, 0, round + 1, v2), DB_ENOTFOUND);
	db_clear_error(fx->d);
	OK(visit_remove(fx->d, 0, round, v2));
	OK(visit_list(fx->d, round, a, &v, &n));
	assert_int_equal(n, 3);
	c = visit_conflicts(a, v, n, &nc);
	assert_int_equal(nc, 1);
	assert_int_equal(c[0].kind, VISIT_UNIT_TWICE);
	int64_t audits = 0;
	OK(db_query_int64(fx->d, &audits, "SELECT COUNT(*) FROM audit_log WHERE action IN ('round.visit', 'round.visit_remove')", NULL));
	assert_int_equal(audits, 5);
	int64_t members = -1;
	OK(db_query_int64(fx->d, &members, "SELECT COUNT(*) FROM round_visit_members", NULL));
	assert_int_equal(members, 4);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(visit_schedule)

int main(void)
{
	store_run("visit", STORE_TESTS);
}
