/* test_store_cover.c — store functions that had no unit test (issue 10,
 * item 8; tools/store-coverage.sh lists what is left), each on SQLite and,
 * with CHISO_TEST_PG, on PostgreSQL: sessions, server settings and
 * automatic reminders, the database blob rows, a round's frameworks and
 * evaluators, accounts made from a hash, submission seals, API token
 * lists, and the store's code/label helpers. */
#include "store_test.h"
#include "audit.h"
#include "buf.h"
#include "q_account.h"
#include "q_api_token.h"
#include "q_assessment.h"
#include "q_autoremind.h"
#include "q_blob.h"
#include "q_bulk.h"
#include "q_council.h"
#include "q_dash.h"
#include "q_doc.h"
#include "q_evidence.h"
#include "q_extreq.h"
#include "blob.h"
#include "q_office.h"
#include "q_publish.h"
#include "q_report.h"
#include "q_round.h"
#include "q_session.h"
#include "q_sign.h"
#include "q_unit.h"
#include "q_unit_bulk.h"

typedef struct world {
	int64_t so, phong, school, admin, round;
} world;

/* A Phòng with one THCS and an open round over it. */
static void make_world(store_fx *fx, world *w)
{
	w->so = store_add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	w->phong = store_add_unit(fx, "79760", "Phòng GD&ĐT Quận 7", "phong");
	w->school = store_add_unit(fx, "79760401", "Trường THCS Nguyễn Hữu Thọ", "thcs");
	OK(unit_relate(fx->d, 0, w->phong, UNIT_PARENT, w->so, "2000-01-01"));
	OK(unit_relate(fx->d, 0, w->school, UNIT_PARENT, w->phong, "2020-09-01"));
	OK(unit_relate(fx->d, 0, w->school, UNIT_EVALUATOR, w->phong, "2020-09-01"));
	OK(account_create(fx->d, 0, "pgd.q7", "Phạm Thị Dung", NULL, &w->admin));
	round_row r = { .office_unit_id = w->phong, .school_year = "2024-2025",
		.title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025", .policy = "min",
		.self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fw[] = { { "thcs", "qd4725-2022", "1" } };
	OK(round_open(fx->d, w->admin, &r, fw, 1, NULL, 0, &w->round));
	int created = 0, skipped = 0;
	OK(round_add_units(fx->d, w->admin, w->round, "2024-09-05", &created, &skipped));
	assert_int_equal(created, 1);
}

/* ---- sessions -------------------------------------------------------------------------- */

static void test_sessions(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t acc;
	OK(account_create(fx->d, 0, "ht.79760401", "Nguyễn Văn An", NULL, &acc));
	char *t1, *c1, *t2, *c2;
	OK(session_create(fx->d, acc, "203.0.113.7", a, &t1, &c1));
	OK(session_create(fx->d, acc, "203.0.113.8", a, &t2, &c2));
	assert_string_not_equal(t1, t2);
	session s;
	OK(session_get(fx->d, t1, a, &s));
	assert_int_equal(s.account_id, acc);
	assert_string_equal(s.csrf, c1);
	assert_int_equal(session_get(fx->d, "khong-phai-phien", a, &s), DB_ENOTFOUND);
	db_clear_error(fx->d);
	OK(session_delete(fx->d, t1));
	assert_int_equal(session_get(fx->d, t1, a, &s), DB_ENOTFOUND);
	db_clear_error(fx->d);
	OK(session_get(fx->d, t2, a, &s));
	OK(session_delete_account(fx->d, acc));   /* password changed: every session ends */
	assert_int_equal(session_get(fx->d, t2, a, &s), DB_ENOTFOUND);
	db_clear_error(fx->d);
	arena_free(a);
}

/* ---- server settings and automatic reminders ------------------------------------------- */

static void test_settings_and_reminders(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	char *v = (char *)"x";
	OK(server_setting_get(fx->d, "smtp_url", a, &v));
	assert_null(v);
	OK(server_setting_set(fx->d, w.admin, "smtp_url", "smtp://mail.example.vn", false));
	OK(server_setting_set(fx->d, w.admin, "smtp_password", "mật-khẩu-bí-mật", true));
	OK(server_setting_get(fx->d, "smtp_url", a, &v));
	assert_string_equal(v, "smtp://mail.example.vn");
	OK(server_setting_get(fx->d, "smtp_password", a, &v));
	assert_string_equal(v, "mật-khẩu-bí-mật");
	/* the secret's audit row does not carry it */
	audit_entry *h;
	size_t n;
	OK(audit_history(fx->d, NULL, 0, a, &h, &n));
	for (size_t i = 0; i < n; i++)
		if (h[i].after_json) assert_null(strstr(h[i].after_json, "bí-mật"));
	OK(server_setting_set(fx->d, w.admin, "smtp_url", NULL, false));
	OK(server_setting_get(fx->d, "smtp_url", a, &v));
	assert_null(v);

	autoremind_settings s;
	OK(autoremind_get(fx->d, w.round, &s));
	assert_int_equal(s.days_before, 0);
	assert_false(s.on_day);
	autoremind_settings *act;
	OK(autoremind_active(fx->d, a, &act, &n));
	assert_int_equal(n, 0);
	OK(autoremind_set(fx->d, w.admin, &(autoremind_settings){ .round_id = w.round, .days_before = 3, .on_day = true, .days_after = 2 }));
	assert_int_equal(autoremind_set(fx->d, w.admin, &(autoremind_settings){ .round_id = w.round, .days_before = 61 }), DB_EINVAL);
	db_clear_error(fx->d);
	OK(autoremind_get(fx->d, w.round, &s));
	assert_int_equal(s.days_before, 3);
	assert_true(s.on_day);
	assert_int_equal(s.days_after, 2);
	OK(autoremind_active(fx->d, a, &act, &n));
	assert_int_equal(n, 1);
	assert_int_equal(act[0].round_id, w.round);
	int64_t slots = -1;
	OK(autoremind_count(fx->d, w.round, &slots));
	assert_int_equal(slots, 0);
	assessment *as;
	size_t nas;
	OK(assessment_list_round(fx->d, w.round, a, &as, &nas));
	assert_int_equal(nas, 1);
	bool taken = false;
	OK(autoremind_claim(fx->d, as[0].id, "before", "2025-05-31", &taken));
	assert_true(taken);
	OK(autoremind_claim(fx->d, as[0].id, "before", "2025-05-31", &taken));
	assert_false(taken);
	OK(autoremind_count(fx->d, w.round, &slots));
	assert_int_equal(slots, 1);
	arena_free(a);
}

/* ---- blobs in the database ------------------------------------------------------------- */

static int collect(void *ctx, const void *p, size_t n)
{
	buf_append(ctx, (const char *)p, n);
	return 0;
}

static void test_blob_rows(void **state)
{
	store_fx *fx = *state;
	const char *sha = "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea";
	const char *sha2 = "0000000000000000000000000000000000000000000000000000000000000001";
	blob_row r;
	assert_int_equal(blob_row_find(fx->d, sha, &r), DB_ENOTFOUND);
	db_clear_error(fx->d);
	OK(blob_chunk_put(fx->d, sha, 0, "Biên bản ", strlen("Biên bản ")));
	OK(blob_chunk_put(fx->d, sha, 1, "họp hội đồng", strlen("họp hội đồng")));
	OK(blob_chunk_put(fx->d, sha, 1, "họp hội đồng", strlen("họp hội đồng")));   /* a repeat changes nothing */
	OK(blob_row_put(fx->d, sha, 24, 2, "text/plain", "txt"));
	OK(blob_chunk_put(fx->d, sha2, 0, "x", 1));
	OK(blob_row_put(fx->d, sha2, 1, 1, "text/plain", "txt"));
	OK(blob_row_find(fx->d, sha, &r));
	assert_int_equal(r.size, 24);
	assert_int_equal(r.chunks, 2);
	buf b;
	buf_init(&b);
	OK(blob_chunk_get(fx->d, sha, 0, collect, &b));
	OK(blob_chunk_get(fx->d, sha, 1, collect, &b));
	assert_string_equal(buf_str(&b), "Biên bản họp hội đồng");
	buf_free(&b);
	char names[4][65];
	size_t n = 0;
	OK(blob_row_list(fx->d, "", 4, names, &n));
	assert_int_equal(n, 2);
	assert_string_equal(names[0], sha2);   /* in name order */
	OK(blob_row_list(fx->d, sha2, 4, names, &n));
	assert_int_equal(n, 1);
	assert_string_equal(names[0], sha);
	OK(blob_row_delete(fx->d, sha));
	assert_int_equal(blob_row_find(fx->d, sha, &r), DB_ENOTFOUND);
	db_clear_error(fx->d);
	buf_init(&b);
	assert_int_equal(blob_chunk_get(fx->d, sha, 0, collect, &b), DB_ENOTFOUND);   /* its chunks went too */
	db_clear_error(fx->d);
	buf_free(&b);
}

/* ---- a round's frameworks and evaluators ----------------------------------------------- */

static void test_round_frameworks_and_evaluators(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	round_row *rows;
	size_t n;
	OK(round_list_for_office(fx->d, w.phong, a, &rows, &n));
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, w.round);
	OK(round_list_for_office(fx->d, w.so, a, &rows, &n));
	assert_int_equal(n, 0);
	round_framework *fws;
	OK(round_frameworks(fx->d, w.round, a, &fws, &n));
	assert_int_equal(n, 1);
	assert_string_equal(fws[0].framework_revision, "1");
	OK(round_framework_set_revision(fx->d, w.admin, w.round, "qd4725-2022", "2"));
	OK(round_frameworks(fx->d, w.round, a, &fws, &n));
	assert_string_equal(fws[0].framework_id, "qd4725-2022");
	assert_string_equal(fws[0].framework_revision, "2");

	int64_t ev1, ev2;
	OK(account_create(fx->d, 0, "dg.mot", "Lê Văn Một", NULL, &ev1));
	OK(account_create(fx->d, 0, "dg.hai", "Trần Thị Hai", NULL, &ev2));
	OK(round_assign_evaluator(fx->d, w.admin, w.round, w.school, ev1, true));
	OK(round_assign_evaluator(fx->d, w.admin, w.round, w.school, ev2, false));
	evaluator_assignment *ea;
	OK(round_evaluators(fx->d, w.round, w.school, a, &ea, &n));
	assert_int_equal(n, 2);
	size_t leads = 0;
	for (size_t i = 0; i < n; i++) leads += ea[i].lead;
	assert_int_equal(leads, 1);
	OK(round_unassign_evaluator(fx->d, w.admin, w.round, w.school, ev1));
	OK(round_evaluators(fx->d, w.round, w.school, a, &ea, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ea[0].account_id, ev2);
	arena_free(a);
}

/* ---- accounts from a hash, API tokens, seals ------------------------------------------- */

static void test_accounts_tokens_seals(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	char hash[128];
	OK(account_password_hash("Mật khẩu đủ dài 2025", hash));
	assert_true(account_password_verify(hash, "Mật khẩu đủ dài 2025"));
	assert_false(account_password_verify(hash, "mật khẩu đủ dài 2025"));
	int64_t acc, id;
	OK(account_create_hashed(fx->d, 0, "ht.79760401", "Nguyễn Văn An", hash, &acc));
	OK(account_authenticate(fx->d, "ht.79760401", "Mật khẩu đủ dài 2025", &id));
	assert_int_equal(id, acc);
	OK(account_grant(fx->d, 0, acc, "principal", w.school, 0, NULL));
	role_assignment *roles;
	size_t n;
	OK(account_roles(fx->d, acc, a, &roles, &n));
	assert_int_equal(n, 1);
	assert_string_equal(roles[0].role, "principal");
	assert_int_equal(roles[0].unit_id, w.school);

	api_token *toks;
	OK(api_token_list(fx->d, acc, a, &toks, &n));
	assert_int_equal(n, 0);
	char *token;
	int64_t tid;
	OK(api_token_create(fx->d, 0, acc, "hệ thống quản lý trường", NULL, a, &token, &tid));
	OK(api_token_list(fx->d, acc, a, &toks, &n));
	assert_int_equal(n, 1);
	assert_int_equal(toks[0].id, tid);
	assert_string_equal(toks[0].label, "hệ thống quản lý trường");
	assert_null(toks[0].revoked_at);

	assessment *as;
	OK(assessment_list_round(fx->d, w.round, a, &as, &n));
	int64_t seal;
	const unsigned char sig[] = { 0x30, 0x82, 0x00, 0xff, 0x01 };
	OK(submission_seal_put(fx->d, as[0].id, 0, "{\"files\":[]}", sig, sizeof sig, &seal));
	int64_t got_id, signer = -1;
	char *manifest, *created;
	void *got_sig;
	size_t nsig;
	OK(submission_seal_get(fx->d, as[0].id, a, &got_id, &manifest, &got_sig, &nsig, &created, &signer));
	assert_int_equal(got_id, seal);
	assert_int_equal(signer, 0);   /* the server's key */
	assert_string_equal(manifest, "{\"files\":[]}");
	assert_int_equal(nsig, sizeof sig);
	assert_memory_equal(got_sig, sig, sizeof sig);
	/* sealed by an office's certificate: the office is kept, the latest seal read */
	OK(submission_seal_put(fx->d, as[0].id, w.phong, "{\"files\":[1]}", sig, sizeof sig, &seal));
	OK(submission_seal_get(fx->d, as[0].id, a, &got_id, &manifest, &got_sig, &nsig, &created, &signer));
	assert_int_equal(got_id, seal);
	assert_int_equal(signer, w.phong);
	assert_string_equal(manifest, "{\"files\":[1]}");
	/* the principal's seal, uploaded: its own transaction, the school as signer, audited */
	OK(submission_seal_add_signed(fx->d, w.admin, as[0].id, w.school, "{\"files\":[1]}", sig, sizeof sig, &seal));
	OK(submission_seal_get(fx->d, as[0].id, a, &got_id, &manifest, &got_sig, &nsig, &created, &signer));
	assert_int_equal(got_id, seal);
	assert_int_equal(signer, w.school);
	int64_t audited = 0;
	OK(db_query_int64(fx->d, &audited, "SELECT COUNT(*) FROM audit_log WHERE action = 'seal.principal' AND object_id = ?",
	                  "i", as[0].id));
	assert_int_equal(audited, 1);
	arena_free(a);
}

/* ---- the store's codes and labels ------------------------------------------------------ */

static void test_codes_and_labels(void **state)
{
	(void)state;
	assert_string_equal(answer_side_code(ANSWER_SELF), "self");
	assert_string_equal(answer_side_code(ANSWER_EXTERNAL), "external");
	assert_true(assessment_item_code_valid("1.3.a"));
	assert_false(assessment_item_code_valid(""));
	assert_false(assessment_item_code_valid("1.3'; --"));
	assert_string_equal(council_post_code(COUNCIL_CHU_TICH), "chu_tich");
	assert_string_equal(council_post_label(COUNCIL_CHU_TICH), "Chủ tịch");
	assert_int_equal(council_post_parse("thu_ky"), COUNCIL_THU_KY);
	assert_int_equal(council_post_parse("giam_doc"), COUNCIL_POST_INVALID);
	assert_string_equal(team_post_code(TEAM_HEAD), "truong_doan");
	assert_string_equal(team_post_label(TEAM_HEAD), "Trưởng đoàn");
	assert_int_equal(team_post_parse("thu_ky"), TEAM_SECRETARY);
	assert_int_equal(team_post_parse("x"), TEAM_POST_INVALID);
	assert_string_equal(unit_rel_code(UNIT_PARENT), "parent");
	assert_string_equal(unit_rel_code(UNIT_EVALUATOR), "evaluator");
	assert_true(unit_type_valid("thcs"));
	assert_false(unit_type_valid("dai_hoc"));
	assert_true(unit_type_is_office("phong"));
	assert_false(unit_type_is_office("thcs"));
}

/* ---- unit relations written in one statement ------------------------------------------- */

static void test_unit_relation_insert(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	int64_t so = store_add_unit(fx, "79", "Sở GD&ĐT TP. Hồ Chí Minh", "so");
	int64_t s1 = store_add_unit(fx, "79000401", "Trường THPT Lê Quý Đôn", "thpt");
	int64_t s2 = store_add_unit(fx, "79000402", "Trường THPT Nguyễn Thị Minh Khai", "thpt");
	unit_relation r[] = { { .unit_id = s1, .kind = UNIT_PARENT, .other_unit_id = so },
	                      { .unit_id = s2, .kind = UNIT_EVALUATOR, .other_unit_id = so } };
	OK(db_begin_write(fx->d));
	OK(unit_relation_insert(fx->d, r, 2, "2025-07-01"));
	OK(db_commit(fx->d));
	unit_relation *got;
	size_t n;
	OK(unit_relations(fx->d, s2, a, &got, &n));
	assert_int_equal(n, 1);
	assert_int_equal(got[0].kind, UNIT_EVALUATOR);
	assert_int_equal(got[0].other_unit_id, so);
	assert_string_equal(got[0].valid_from, "2025-07-01");
	assert_null(got[0].valid_to);
	int64_t other = 0;
	OK(unit_related_on(fx->d, s1, UNIT_PARENT, "2025-09-01", &other));
	assert_int_equal(other, so);
	/* the payload unit_relate and the importer audit */
	json_t *j = unit_relation_audit_json(s1, UNIT_PARENT, so, "2025-07-01", NULL);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "parent");
	assert_true(json_is_null(json_object_get(j, "valid_to")));
	json_decref(j);
	unit u = { .code = "79000401", .name = "Trường THPT Lê Quý Đôn", .type = "thpt", .is_public = true };
	j = unit_audit_json(&u);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "79000401");
	assert_true(json_is_true(json_object_get(j, "is_public")));
	json_decref(j);
	unit *all;
	OK(unit_bulk_all(fx->d, a, &all, &n));
	assert_int_equal(n, 3);
	arena_free(a);
}


/* The round's one assessment. */
static int64_t the_assessment(store_fx *fx, const world *w, arena *a)
{
	assessment *as;
	size_t n;
	OK(assessment_list_round(fx->d, w->round, a, &as, &n));
	assert_int_equal(n, 1);
	return as[0].id;
}

/* ---- the external team ----------------------------------------------------------------- */

static void test_team(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	team t;
	assert_int_equal(team_get(fx->d, w.round, a, &t), DB_ENOTFOUND);
	db_clear_error(fx->d);
	decision dec = { .kind = "external_team", .number = "125/QĐ-PGDĐT", .date = "2025-06-02",
	                 .signer = "Phạm Thị Dung — Trưởng phòng" };
	int64_t tid;
	OK(team_form(fx->d, w.admin, w.round, &dec, &tid));
	OK(team_get(fx->d, w.round, a, &t));
	assert_int_equal(t.id, tid);
	assert_string_equal(t.dec.number, "125/QĐ-PGDĐT");
	decision got;
	OK(decision_get(fx->d, t.dec.id, a, &got));
	assert_string_equal(got.signer, "Phạm Thị Dung — Trưởng phòng");
	assert_int_equal(got.issuer_unit_id, w.phong);
	int64_t head, sec, other, member;
	OK(account_create(fx->d, 0, "dg.truongdoan", "Lê Văn Trưởng", NULL, &head));
	OK(account_create(fx->d, 0, "dg.thuky", "Trần Thị Ký", NULL, &sec));
	OK(account_create(fx->d, 0, "dg.khac", "Võ Văn Khác", NULL, &other));
	OK(account_create(fx->d, 0, "dg.thanhvien", "Đỗ Thị Viên", NULL, &member));
	OK(team_set_member(fx->d, w.admin, tid, head, TEAM_HEAD));
	OK(team_set_member(fx->d, w.admin, tid, sec, TEAM_SECRETARY));
	OK(team_set_member(fx->d, w.admin, tid, member, TEAM_MEMBER));
	assert_int_equal(team_set_member(fx->d, w.admin, tid, other, TEAM_HEAD), DB_ECONSTRAINT);   /* one head */
	db_clear_error(fx->d);
	team_member *m;
	size_t n;
	OK(team_members(fx->d, tid, a, &m, &n));
	assert_int_equal(n, 3);
	assert_int_equal(m[0].post, TEAM_HEAD);
	assert_int_equal(m[1].post, TEAM_SECRETARY);
	OK(team_remove_member(fx->d, w.admin, tid, member));
	OK(team_members(fx->d, tid, a, &m, &n));
	assert_int_equal(n, 2);
	/* a member who belongs to the unit should not judge it */
	bool belongs = true, on_council = true;
	OK(team_conflicts(fx->d, w.round, w.school, head, &belongs, &on_council));
	assert_false(belongs);
	assert_false(on_council);
	OK(account_grant(fx->d, 0, head, "principal", w.school, 0, NULL));
	OK(team_conflicts(fx->d, w.round, w.school, head, &belongs, &on_council));
	assert_true(belongs);
	arena_free(a);
}

/* ---- deadline extensions, reminders, member scores, publication -------------------------- */

static void test_extensions_reminders_scores(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = the_assessment(fx, &w, a);
	deadline_extension *ext;
	size_t n;
	OK(office_extensions(fx->d, w.round, a, &ext, &n));
	assert_int_equal(n, 0);
	OK(office_extend(fx->d, w.admin, as, "2025-06-15", "Trường bị ngập do bão"));
	assert_int_equal(office_extend(fx->d, w.admin, as, "2025-06-20", ""), DB_EINVAL);   /* a reason is required */
	db_clear_error(fx->d);
	OK(db_begin_write(fx->d));
	OK(office_extend_tx(fx->d, w.admin, as, "2025-06-25", "Gia hạn thêm"));
	OK(db_commit(fx->d));
	OK(office_extensions(fx->d, w.round, a, &ext, &n));
	assert_int_equal(n, 2);
	assert_string_equal(ext[0].until, "2025-06-25");   /* newest first */
	assert_string_equal(ext[1].reason, "Trường bị ngập do bão");

	OK(office_reminder_record(fx->d, w.admin, w.round, w.school, "ht@truong.example.vn", false, "máy chủ thư từ chối"));
	audit_entry *h;
	OK(audit_history(fx->d, "round", w.round, a, &h, &n));
	bool seen = false;
	for (size_t i = 0; i < n; i++)
		if (h[i].after_json && strstr(h[i].after_json, "máy chủ thư từ chối")) seen = true;
	assert_true(seen);

	int64_t member;
	OK(account_create(fx->d, 0, "gv.uyvien", "Ngô Văn Ủy", NULL, &member));
	member_score *ms;
	OK(member_scores(fx->d, as, a, &ms, &n));
	assert_int_equal(n, 0);
	OK(member_score_put(fx->d, member, as, "1.1", "true", NULL));
	OK(member_score_put(fx->d, member, as, "1.2", "false", "chưa có kế hoạch"));
	OK(member_score_put(fx->d, member, as, "1.1", "false", NULL));
	OK(member_scores(fx->d, as, a, &ms, &n));
	assert_int_equal(n, 2);
	assert_string_equal(ms[0].item_code, "1.1");
	assert_string_equal(ms[0].value_json, "false");
	assert_int_equal(ms[0].account_id, member);

	bool yes = true;
	OK(school_published_by_school(fx->d, as, &yes));
	assert_false(yes);
	OK(school_published_set(fx->d, w.admin, as, "{\"level\":2}"));
	OK(school_published_by_school(fx->d, as, &yes));
	assert_true(yes);
	OK(school_published_set(fx->d, w.admin, as, NULL));
	OK(school_published_by_school(fx->d, as, &yes));
	assert_false(yes);
	arena_free(a);
}

/* ---- evidence edits, generated documents ------------------------------------------------ */

static void test_evidence_edits_and_documents(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = the_assessment(fx, &w, a);
	const char *items[] = { "1.3" };
	evidence e = { .assessment_id = as, .title = "Kế hoạch chuyển đổi số", .doc_number = "12/KH-THCS",
	               .doc_date = "2024-09-15", .issuer = "Trường THCS Nguyễn Hữu Thọ", .items = items, .nitems = 1 };
	int64_t eid;
	const char *code;
	OK(evidence_add(fx->d, w.admin, &e, &eid, a, &code));
	e.title = "Kế hoạch chuyển đổi số năm học 2024-2025";
	e.doc_number = "15/KH-THCS";
	OK(evidence_update(fx->d, w.admin, eid, &e));
	evidence *list;
	size_t n;
	OK(evidence_list(fx->d, as, NULL, a, &list, &n));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].title, "Kế hoạch chuyển đổi số năm học 2024-2025");
	assert_string_equal(list[0].doc_number, "15/KH-THCS");
	assert_string_equal(list[0].code, code);   /* the code never changes */
	evidence_link *links;
	OK(evidence_links(fx->d, eid, a, &links, &n));
	assert_int_equal(n, 0);
	OK(evidence_add_link(fx->d, w.admin, eid, "https://truong.example.vn/ke-hoach", "Cổng thông tin", NULL));
	OK(evidence_links(fx->d, eid, a, &links, &n));
	assert_int_equal(n, 1);
	assert_string_equal(links[0].label, "Cổng thông tin");
	char store[96], msg[BLOB_MSG_MAX];
	snprintf(store, sizeof store, "%s/blobs", fx->dir);
	blob_store *bs;
	assert_int_equal(blob_store_open(store, 0, &bs, msg), BLOB_OK);
	static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
	blob_info bi;
	assert_int_equal(blob_put(bs, pdf, sizeof pdf - 1, &bi, msg), BLOB_OK);
	blob_store_close(bs);
	int64_t fid;
	OK(evidence_add_file(fx->d, w.admin, eid, &bi, "ke-hoach.pdf", &fid));
	evidence_file *files;
	OK(evidence_files(fx->d, eid, a, &files, &n));
	assert_int_equal(n, 1);
	OK(evidence_remove_file(fx->d, w.admin, fid));
	OK(evidence_files(fx->d, eid, a, &files, &n));
	assert_int_equal(n, 0);

	document_row last;
	assert_int_equal(document_last(fx->d, "report", "assessment", as, a, &last), DB_ENOTFOUND);
	db_clear_error(fx->d);
	document_row r = { .type = "report", .object_type = "assessment", .object_id = as, .number = "07/BC-THCS",
	                   .date = "2025-05-20", .signer = "Nguyễn Văn An", .format = "pdf", .sha256 = bi.sha256,
	                   .size = (int64_t)sizeof pdf - 1, .generated_by = w.admin };
	int64_t did;
	OK(document_record(fx->d, w.admin, &r, &did));
	r.number = "08/BC-THCS";
	OK(document_record(fx->d, w.admin, &r, NULL));
	OK(document_last(fx->d, "report", "assessment", as, a, &last));
	assert_string_equal(last.number, "08/BC-THCS");
	assert_string_equal(last.signer, "Nguyễn Văn An");
	arena_free(a);
}


/* ---- recognition, contacts, assignments, extension requests ----------------------------- */

static void test_recognition_contacts_requests(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = the_assessment(fx, &w, a);
	decision dec = { .kind = "recognition", .number = "210/QĐ-PGDĐT", .date = "2025-06-18",
	                 .signer = "Phạm Thị Dung — Trưởng phòng" };
	int64_t did;
	OK(db_begin_write(fx->d));
	OK(office_recognition_decision(fx->d, w.admin, w.phong, &dec, &did));
	OK(office_recognition_link(fx->d, w.admin, as, did, 2));
	OK(db_commit(fx->d));
	assessment got;
	OK(assessment_get(fx->d, as, a, &got));
	assert_int_equal(got.recognition_decision_id, did);
	OK(db_begin_write(fx->d));
	OK(office_recognition_link(fx->d, w.admin, as, 0, 0));   /* withdrawn: the decision stays on record */
	OK(db_commit(fx->d));
	OK(assessment_get(fx->d, as, a, &got));
	assert_int_equal(got.recognition_decision_id, 0);
	decision kept;
	OK(decision_get(fx->d, did, a, &kept));
	assert_string_equal(kept.number, "210/QĐ-PGDĐT");

	int64_t ht, nomail;
	OK(account_create(fx->d, 0, "ht.79760401", "Nguyễn Văn An", NULL, &ht));
	OK(account_create(fx->d, 0, "pht.79760401", "Trần Văn Bình", NULL, &nomail));
	OK(account_set_email(fx->d, 0, ht, "hieutruong@truong.example.vn"));
	OK(account_grant(fx->d, 0, ht, "principal", w.school, 0, NULL));
	OK(account_grant(fx->d, 0, nomail, "principal", w.school, 0, NULL));
	unit_contact *uc;
	size_t n;
	OK(office_unit_contacts(fx->d, w.school, a, &uc, &n));
	assert_int_equal(n, 1);   /* only a principal with an e-mail address */
	assert_string_equal(uc[0].email, "hieutruong@truong.example.vn");

	int64_t ev;
	OK(account_create(fx->d, 0, "dg.mot", "Lê Văn Một", NULL, &ev));
	OK(round_assign_evaluator(fx->d, w.admin, w.round, w.school, ev, true));
	evaluator_unit *eu;
	OK(office_assignments(fx->d, 0, ev, a, &eu, &n));
	assert_int_equal(n, 1);
	assert_int_equal(eu[0].unit_id, w.school);
	assert_true(eu[0].lead);
	OK(office_assignments(fx->d, w.round, 0, a, &eu, &n));
	assert_int_equal(n, 1);
	assert_int_equal(eu[0].account_id, ev);

	extreq *pending;
	OK(extreq_pending_of_round(fx->d, w.round, a, &pending, &n));
	assert_int_equal(n, 0);
	int64_t rid;
	OK(extreq_create(fx->d, ht, as, "Trường bị ngập do bão số 3", &rid));
	OK(extreq_pending_of_round(fx->d, w.round, a, &pending, &n));
	assert_int_equal(n, 1);
	assert_int_equal(pending[0].id, rid);
	extreq one;
	OK(extreq_get(fx->d, rid, a, &one));
	assert_int_equal(one.assessment_id, as);
	assert_int_equal(one.requested_by, ht);
	assert_string_equal(one.reason, "Trường bị ngập do bão số 3");
	assert_null(one.answered_at);
	arena_free(a);
}


/* ---- a sheet of answers at once; the round summary's stored scores ------------------------ */

static void test_bulk_answers_and_summaries(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	int64_t as = the_assessment(fx, &w, a);
	round_unit *ru;
	size_t n;
	OK(bulk_round_units(fx->d, w.round, a, &ru, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ru[0].as.id, as);
	assert_string_equal(ru[0].unit_code, "79760401");
	assert_string_equal(ru[0].unit_type, "thcs");

	const char *items[] = { "1.1", "1.2" }, *v1[] = { "true", "false" }, *v2[] = { "false", "true" };
	OK(bulk_answers_put(fx->d, w.admin, as, ANSWER_SELF, items, v1, 2));
	OK(bulk_answers_put(fx->d, w.admin, as, ANSWER_SELF, items + 1, v2 + 1, 1));   /* a new version of 1.2 */
	const char *bad[] = { "{không phải JSON" };
	assert_int_equal(bulk_answers_put(fx->d, w.admin, as, ANSWER_SELF, items, bad, 1), DB_EINVAL);   /* all or nothing */
	db_clear_error(fx->d);
	bulk_answer *ba;
	OK(bulk_round_answers(fx->d, w.round, 0, INT64_MAX, a, &ba, &n));
	assert_int_equal(n, 2);
	assert_string_equal(ba[0].item_code, "1.1");
	assert_string_equal(ba[0].value_json, "true");
	assert_string_equal(ba[1].item_code, "1.2");
	assert_string_equal(ba[1].value_json, "true");   /* the current version only */
	int64_t ids[] = { as, as + 1000 };   /* one of the round, one that is not */
	OK(bulk_answers_of(fx->d, w.round, ids, 2, a, &ba, &n));
	assert_int_equal(n, 2);
	assert_int_equal(ba[0].assessment_id, as);
	assert_string_equal(ba[1].item_code, "1.2");
	assert_string_equal(ba[1].value_json, "true");
	OK(bulk_answers_of(fx->d, w.round + 1000, ids, 1, a, &ba, &n));   /* another round: none */
	assert_int_equal(n, 0);
	int64_t many[BULK_IDS_MAX + 1] = { 0 };
	assert_int_equal(bulk_answers_of(fx->d, w.round, many, BULK_IDS_MAX + 1, a, &ba, &n), DB_EINVAL);
	db_clear_error(fx->d);

	dash_mark *m;
	OK(dash_marks(fx->d, w.round, 0, INT64_MAX, a, &m, &n));
	assert_int_equal(n, 1);
	assert_true(m[0].answers_mark > 0);
	assert_null(m[0].stamp);
	dash_summary_row row = { .assessment_id = as, .stamp = "abc123", .answers_mark = m[0].answers_mark,
	                         .summary = "{\"level\":1}" };
	OK(dash_summaries_put(fx->d, &row, 1));
	row.summary = "{\"level\":2}";
	OK(dash_summaries_put(fx->d, &row, 1));   /* replaces */
	OK(dash_marks(fx->d, w.round, 0, INT64_MAX, a, &m, &n));
	assert_string_equal(m[0].stamp, "abc123");
	assert_int_equal(m[0].stored_mark, row.answers_mark);
	assert_string_equal(m[0].summary, "{\"level\":2}");
	arena_free(a);
}

/* ---- a school's own self-assessment publication; report reminder slots ---------------- */

static void test_self_publication_and_report_slots(void **state)
{
	store_fx *fx = *state;
	arena *a = arena_new();
	world w;
	make_world(fx, &w);
	assessment *as;
	size_t nas;
	OK(assessment_list_round(fx->d, w.round, a, &as, &nas));
	assert_int_equal(nas, 1);
	int64_t id = as[0].id, rows = -1, by_school = -1;
	bool yes = true;
	OK(school_self_published(fx->d, id, &yes));
	assert_false(yes);
	OK(school_self_published_set(fx->d, w.admin, id, "{\"level\": 2}"));
	OK(school_self_published(fx->d, id, &yes));
	assert_true(yes);
	OK(db_query_int64(fx->d, &by_school, "SELECT by_school FROM published_results WHERE assessment_id = ?", "i", id));
	assert_int_equal(by_school, 1);
	OK(school_self_published_set(fx->d, w.admin, id, NULL));
	OK(school_self_published(fx->d, id, &yes));
	assert_false(yes);
	/* withdrawing the school's figure leaves the office's publication alone */
	OK(office_published_set(fx->d, w.admin, id, "{\"level\": 3}"));
	OK(school_self_published_set(fx->d, w.admin, id, NULL));
	OK(db_query_int64(fx->d, &rows, "SELECT COUNT(*) FROM published_results WHERE assessment_id = ?", "i", id));
	assert_int_equal(rows, 1);
	OK(school_self_published(fx->d, id, &yes));
	assert_false(yes);

	bool taken = false;
	OK(report_remind_claim(fx->d, w.round, "before", "2025-06-10", &taken));
	assert_true(taken);
	OK(report_remind_claim(fx->d, w.round, "before", "2025-06-10", &taken));
	assert_false(taken);
	OK(report_remind_claim(fx->d, w.round, "after", "2025-06-10", &taken));
	assert_true(taken);
	OK(report_remind_claim(fx->d, w.round, "before", "2025-07-10", &taken));
	assert_true(taken);
	arena_free(a);
}

#define STORE_TESTS(X) \
	X(sessions) \
	X(settings_and_reminders) \
	X(blob_rows) \
	X(round_frameworks_and_evaluators) \
	X(accounts_tokens_seals) \
	X(codes_and_labels) \
	X(unit_relation_insert) \
	X(team) \
	X(extensions_reminders_scores) \
	X(evidence_edits_and_documents) \
	X(recognition_contacts_requests) \
	X(bulk_answers_and_summaries) \
	X(self_publication_and_report_slots)

int main(void)
{
	store_run("store_cover", STORE_TESTS);
}
