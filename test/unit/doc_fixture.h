/* doc_fixture.h — a small, real-looking data set for the document tests:
 * Sở GD&ĐT TP. Hồ Chí Minh over Phòng GD&ĐT Quận 7, which evaluates four
 * THCS (named so that Vietnamese order differs from byte order: Ánh Sáng,
 * Dương Bá Trạc, Đống Đa, Nguyễn Hữu Thọ), a Tiểu học and a Mầm non, in
 * the 2024-2025 round with targets. Nguyễn Hữu Thọ has the full set: a
 * council with members, items and tasks, evidence, the self-inspection
 * inputs of seed 003, self answers (test/fixtures/answers/qd4725-thcs.json:
 * group 1 89 → Mức 3, group 2 50 → Mức 2, unit Mức 2) and external answers
 * (2.3.3 digitally signed: group 2 60). Sơn Ca (mầm non, Quận 7 form) totals
 * 75.5 → Mức 3. Everything through the store API, as the application does. */
#ifndef CHISO_DOC_FIXTURE_H
#define CHISO_DOC_FIXTURE_H
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_doc.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_unit.h"

typedef struct doc_fx {
	int64_t so, phong, nht, anh, dbt, dd, lvt, sonca;     /* units */
	int64_t ht, pht, tk, dgn1, dgn2;                       /* accounts */
	int64_t round;
	int64_t a_nht, a_anh, a_dbt, a_dd, a_lvt, a_sonca;    /* assessments */
} doc_fx;

#define FXOK(expr) do { int rc_ = (expr); if (rc_ != DB_OK) { \
	fprintf(stderr, "doc fixture: %s -> %d: %s\n", #expr, rc_, db_errmsg(d)); return rc_; } } while (0)

static int fx_unit(db *d, const char *code, const char *name, const char *type, const char *address, int64_t *id)
{
	unit u = { .code = code, .name = name, .type = type, .address = address, .is_public = true };
	return unit_save(d, 0, &u, id, NULL);
}

/* Stores the answers of an answer-sheet file on one side, with `over`
 * (an object, may be NULL) replacing some of them; reasons from `why`. */
static int fx_answers(db *d, int64_t actor, int64_t as, const char *file, answer_side side, const char *over,
                      const char *why_code, const char *why)
{
	json_error_t je;
	json_t *root = json_load_file(file, 0, &je);
	if (!root) { fprintf(stderr, "doc fixture: %s: %s\n", file, je.text); return DB_ERROR; }
	json_t *ans = json_object_get(root, "answers");
	if (over) {
		json_t *o = json_loads(over, 0, &je);
		json_object_update(ans, o);
		json_decref(o);
	}
	const char *key;
	json_t *v;
	int rc = DB_OK;
	json_object_foreach(ans, key, v) {
		char *val = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		rc = assessment_answer_put(d, actor, as, key, side, val, why_code && !strcmp(key, why_code) ? why : NULL, NULL, NULL);
		free(val);
		if (rc != DB_OK) { fprintf(stderr, "doc fixture: %s: %s\n", key, db_errmsg(d)); break; }
	}
	json_decref(root);
	return rc;
}

static int fx_walk(db *d, int64_t as, const char *const *states, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) FXOK(assessment_transition(d, 0, as, states[i], states[i + 1], NULL, NULL));
	return DB_OK;
}

static int doc_fixture_build(db *d, doc_fx *f)
{
	memset(f, 0, sizeof *f);
	const char *from = "2020-01-01";
	FXOK(fx_unit(d, "79", "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh", "so", "66 - 68 Lê Thánh Tôn, phường Sài Gòn, Thành phố Hồ Chí Minh", &f->so));
	FXOK(fx_unit(d, "79760", "Phòng Giáo dục và Đào tạo Quận 7", "phong", "Số 7 Tân Phú, Quận 7, Thành phố Hồ Chí Minh", &f->phong));
	FXOK(fx_unit(d, "79760101", "Trường THCS Nguyễn Hữu Thọ", "thcs", "Số 1 Nguyễn Văn Linh, phường Tân Phong, Quận 7, Thành phố Hồ Chí Minh", &f->nht));
	FXOK(fx_unit(d, "79760102", "Trường THCS Ánh Sáng", "thcs", NULL, &f->anh));
	FXOK(fx_unit(d, "79760103", "Trường THCS Dương Bá Trạc", "thcs", NULL, &f->dbt));
	FXOK(fx_unit(d, "79760104", "Trường THCS Đống Đa", "thcs", NULL, &f->dd));
	FXOK(fx_unit(d, "79760201", "Trường Tiểu học Lê Văn Tám", "tieu_hoc", NULL, &f->lvt));
	FXOK(fx_unit(d, "79760301", "Trường Mầm non Sơn Ca", "mam_non", NULL, &f->sonca));
	FXOK(unit_relate(d, 0, f->phong, UNIT_PARENT, f->so, from));
	int64_t schools[] = { f->nht, f->anh, f->dbt, f->dd, f->lvt, f->sonca };
	for (size_t i = 0; i < 6; i++) {
		FXOK(unit_relate(d, 0, schools[i], UNIT_PARENT, f->phong, from));
		FXOK(unit_relate(d, 0, schools[i], UNIT_EVALUATOR, f->phong, from));
	}
	FXOK(account_create(d, 0, "ht.nht", "Nguyễn Văn An", NULL, &f->ht));
	FXOK(account_create(d, 0, "pht.nht", "Trần Thị Bình", NULL, &f->pht));
	FXOK(account_create(d, 0, "tk.nht", "Lê Hoàng Cường", NULL, &f->tk));
	FXOK(account_create(d, 0, "dgn.dung", "Phạm Thị Dung", NULL, &f->dgn1));
	FXOK(account_create(d, 0, "dgn.em", "Võ Văn Em", NULL, &f->dgn2));

	round_row r = { .office_unit_id = f->phong, .school_year = "2024-2025",
		.title = "Đánh giá mức độ chuyển đổi số năm học 2024-2025", .policy = "min",
		.self_due = "2025-05-31", .report_due = "2025-06-10", .external_due = "2025-06-20" };
	round_framework fws[] = { { "thcs", "qd4725-2022", "1" }, { "tieu_hoc", "qd4725-2022", "1" },
	                          { "mam_non", "q7-mamnon-2023", "1" } };
	round_target tg[] = {
		{ .kind = "level_share", .level = 2, .share_percent = 100 },
		{ .kind = "level_share", .unit_type = "thcs", .level = 3, .share_percent = 80 },
		{ .kind = "indicator", .item_code = "1.7.1", .share_percent = 60,
		  .label = "Phòng học có thiết bị trình chiếu và kết nối Internet" },
	};
	FXOK(round_open(d, 0, &r, fws, 3, tg, 3, &f->round));
	FXOK(assessment_create(d, 0, f->round, f->nht, "qd4725-2022", "1", &f->a_nht));
	FXOK(assessment_create(d, 0, f->round, f->anh, "qd4725-2022", "1", &f->a_anh));
	FXOK(assessment_create(d, 0, f->round, f->dbt, "qd4725-2022", "1", &f->a_dbt));
	FXOK(assessment_create(d, 0, f->round, f->dd, "qd4725-2022", "1", &f->a_dd));
	FXOK(assessment_create(d, 0, f->round, f->lvt, "qd4725-2022", "1", &f->a_lvt));
	FXOK(assessment_create(d, 0, f->round, f->sonca, "q7-mamnon-2023", "1", &f->a_sonca));

	const char *thcs = "test/fixtures/answers/qd4725-thcs.json";
	FXOK(fx_answers(d, f->ht, f->a_nht, thcs, ANSWER_SELF, NULL, NULL, NULL));
	FXOK(fx_answers(d, f->dgn1, f->a_nht, thcs, ANSWER_EXTERNAL, "{\"2.3.3\": \"signed\"}", "2.3.3",
		"Học bạ điện tử đã ký số, kiểm tra trực tiếp trên hệ thống"));
	FXOK(fx_answers(d, f->ht, f->a_anh, thcs, ANSWER_SELF, "{\"2.1\": false}", NULL, NULL));
	FXOK(fx_answers(d, f->dgn2, f->a_anh, thcs, ANSWER_EXTERNAL, "{\"2.1\": false}", NULL, NULL));
	const char *dbt = "{\"2.3.6\": true, \"2.4.1\": true, \"2.4.3\": true}";
	FXOK(fx_answers(d, f->ht, f->a_dbt, thcs, ANSWER_SELF, dbt, NULL, NULL));
	FXOK(fx_answers(d, f->dgn1, f->a_dbt, thcs, ANSWER_EXTERNAL, dbt, NULL, NULL));
	FXOK(fx_answers(d, f->ht, f->a_lvt, "test/fixtures/answers/qd4725-tieu-hoc.json", ANSWER_SELF, NULL, NULL, NULL));
	FXOK(fx_answers(d, f->ht, f->a_sonca, "test/fixtures/answers/q7-mamnon.json", ANSWER_SELF, NULL, NULL, NULL));
	FXOK(fx_answers(d, f->dgn2, f->a_sonca, "test/fixtures/answers/q7-mamnon.json", ANSWER_EXTERNAL, NULL, NULL, NULL));

	static const char *const to_evaluated[] = { "not_started", "draft", "self_assessed", "approved", "submitted",
		"under_evaluation", "evaluated" };
	FXOK(fx_walk(d, f->a_nht, to_evaluated, 7));
	FXOK(fx_walk(d, f->a_anh, to_evaluated, 7));
	FXOK(fx_walk(d, f->a_dbt, to_evaluated, 7));
	FXOK(assessment_transition(d, 0, f->a_dbt, "evaluated", "recognised", NULL, NULL));
	FXOK(assessment_set_level(d, 0, f->a_dbt, "recognised", 3));
	FXOK(fx_walk(d, f->a_sonca, to_evaluated, 7));
	static const char *const to_draft[] = { "not_started", "draft" };
	FXOK(fx_walk(d, f->a_dd, to_draft, 2));
	static const char *const to_approved[] = { "not_started", "draft", "self_assessed", "approved" };
	FXOK(fx_walk(d, f->a_lvt, to_approved, 4));

	FXOK(round_assign_evaluator(d, 0, f->round, f->nht, f->dgn1, true));
	FXOK(round_assign_evaluator(d, 0, f->round, f->nht, f->dgn2, false));
	FXOK(round_assign_evaluator(d, 0, f->round, f->anh, f->dgn2, true));
	FXOK(round_assign_evaluator(d, 0, f->round, f->dbt, f->dgn1, true));
	FXOK(round_assign_evaluator(d, 0, f->round, f->sonca, f->dgn2, true));

	int64_t cid = 0, m_ht, m_pht, m_tk, m_uv;
	FXOK(council_form(d, f->ht, f->a_nht, "hoi_dong", "15/QĐ-THCSNHT", "2025-03-10", &cid));
	FXOK(council_add_member(d, f->ht, cid, f->ht, NULL, "Hiệu trưởng", COUNCIL_CHU_TICH, &m_ht));
	FXOK(council_add_member(d, f->ht, cid, f->pht, NULL, "Phó Hiệu trưởng", COUNCIL_PHO_CHU_TICH, &m_pht));
	FXOK(council_add_member(d, f->ht, cid, f->tk, NULL, "Giáo viên Tin học", COUNCIL_THU_KY, &m_tk));
	FXOK(council_add_member(d, f->ht, cid, 0, "Đặng Thu Hà", "Tổ trưởng chuyên môn", COUNCIL_UY_VIEN, &m_uv));
	const char *i_pht[] = { "1.3", "1.4", "1.5" }, *i_tk[] = { "2.3", "2.4" }, *i_uv[] = { "1.6", "1.7" };
	FXOK(council_assign(d, f->ht, m_pht, i_pht, 3));
	FXOK(council_assign(d, f->ht, m_tk, i_tk, 2));
	FXOK(council_assign(d, f->ht, m_uv, i_uv, 2));
	int64_t members[] = { m_tk, m_uv };
	council_task t1 = { .title = "Thu thập, lập danh mục minh chứng theo các tiêu chí của Bộ chỉ số",
		.due = "2025-04-30", .due_label = "Tháng 4/2025", .owner_member_id = m_pht, .member_ids = members, .nmembers = 2 };
	council_task t2 = { .title = "Họp Hội đồng, tổng hợp kết quả tự đánh giá, dự thảo báo cáo",
		.due = "2025-05-20", .owner_member_id = m_ht };
	FXOK(council_task_add(d, f->ht, f->a_nht, &t1, NULL));
	FXOK(council_task_add(d, f->ht, f->a_nht, &t2, NULL));

	arena *a = arena_new();
	const char *i11[] = { "1.1" }, *i13[] = { "1.3" }, *i233[] = { "2.3.3" };
	evidence e1 = { .assessment_id = f->a_nht, .title = "Kế hoạch tổ chức dạy học trực tuyến năm học 2024-2025",
		.doc_number = "12/KH-THCSNHT", .doc_date = "2024-09-15", .issuer = "Trường THCS Nguyễn Hữu Thọ", .items = i11, .nitems = 1 };
	evidence e2 = { .assessment_id = f->a_nht, .title = "Hợp đồng thuê phần mềm dạy học trực tuyến",
		.doc_number = "05/2024/HĐ", .doc_date = "2024-08-20", .issuer = "Công ty Cổ phần Giáo dục Số", .items = i13, .nitems = 1 };
	evidence e3 = { .assessment_id = f->a_nht, .title = "Học bạ điện tử có chữ ký số học kỳ I",
		.issuer = "Trường THCS Nguyễn Hữu Thọ", .items = i233, .nitems = 1 };
	int64_t ev3 = 0;
	int rc = evidence_add(d, f->tk, &e1, NULL, a, NULL);
	if (rc == DB_OK) rc = evidence_add(d, f->tk, &e2, NULL, a, NULL);
	if (rc == DB_OK) rc = evidence_add(d, f->tk, &e3, &ev3, a, NULL);
	if (rc == DB_OK) rc = evidence_add_link(d, f->tk, ev3, "https://hocbaso.edu.vn/79760101", "Cổng học bạ số", NULL);
	arena_free(a);
	FXOK(rc);

	self_inspection s = { .assessment_id = f->a_nht, .staff_total = 68, .managers = 3, .principals = 1,
		.vice_principals = 2, .teachers = 57, .teachers_surplus = 0, .teachers_shortage = 2, .staff = 8,
		.staff_in_quota = 5, .staff_school_contract = 3,
		.work_summary = "Nhà trường ban hành Kế hoạch ứng dụng CNTT, chuyển đổi số năm học 2024-2025; 100% giáo viên sử dụng hồ sơ điện tử.\nĐã triển khai tuyển sinh đầu cấp trực tuyến và thu phí không dùng tiền mặt.",
		.recommendations = "Đề nghị Phòng GD&ĐT hỗ trợ kinh phí trang bị thêm 10 màn hình tương tác cho các phòng học." };
	software_use sw[] = {
		{ .name = "VnEdu", .purpose = "Quản lý học sinh, sổ điểm điện tử, học bạ số", .vendor = "VNPT", .paid = false },
		{ .name = "SMAS", .purpose = "Sổ liên lạc điện tử", .vendor = "Viettel", .paid = true, .fee_vnd = 150000, .fee_note = "/học sinh/năm" },
	};
	FXOK(inspection_save(d, f->ht, &s, sw, 2));
	return DB_OK;
}
#endif
