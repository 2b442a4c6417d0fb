/* doc_office.c — the evaluating office's documents (doc_set.h): the
 * decision forming the external evaluation team, the external evaluation
 * minutes of one unit, the recognition decision with its annexed list, and
 * the summary report to the superior with statistics, target attainment,
 * weak criteria and the best units; and the round statistics the XLSX
 * shares. Units come sorted by type, then in Vietnamese order. */
#include "doc_build.h"
#include "exact.h"
#include "q_account.h"
#include "q_office.h"
#include "util.h"
#include "vn.h"
#include "workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statistics ------------------------------------------------------------------ */

type_stats *round_stats(doc_ctx *c, size_t *n, type_stats *all)
{
	type_stats *v = arena_alloc(c->a, UT_COUNT * sizeof *v);
	memset(all, 0, sizeof *all);
	*n = 0;
	for (int t = 0; t < UT_COUNT; t++) {
		type_stats s = { .type = (unit_type)t };
		for (size_t i = 0; i < c->nunits; i++) {
			if (c->units[i].type != (unit_type)t || !doc_unit_in(c, &c->units[i])) continue;
			int l = c->units[i].level;
			s.units++;
			s.at[l >= 1 && l <= 3 ? l : 0]++;
		}
		if (!s.units) continue;
		all->units += s.units;
		for (int l = 0; l < 4; l++) all->at[l] += s.at[l];
		v[(*n)++] = s;
	}
	return v;
}

static bool type_matches(const char *want, const doc_unit *u)
{
	return !want || !strcmp(want, u->u.type);
}

target_result *round_target_results(doc_ctx *c)
{
	target_result *v = arena_alloc(c->a, (c->ntargets + 1) * sizeof *v);
	for (size_t k = 0; k < c->ntargets; k++) {
		const round_target *t = &c->targets[k];
		target_result *r = &v[k];
		r->t = t;
		q num = q_int(0), den = q_int(0);
		for (size_t i = 0; i < c->nunits; i++) {
			const doc_unit *u = &c->units[i];
			if (!type_matches(t->unit_type, u)) continue;
			if (!strcmp(t->kind, "level_share")) {
				r->units++;
				den = q_add(den, q_int(1));
				if (u->level >= t->level) num = q_add(num, q_int(1));
				continue;
			}
			/* indicator: the item's ratios pooled over the units, or the share
			 * of units answering yes */
			if (!u->fw || !t->item_code) continue;
			const fw_node *leaf = framework_find(u->fw, t->item_code);
			if (!leaf || !leaf->rule) continue;
			const answer_sheet *sh = u->has_ext ? &u->ext_sheet : &u->self_sheet;
			const answer *a = sh->answers ? &sh->answers[leaf->leaf_index] : NULL;
			if (!a || !a->present) continue;
			if (a->has_ratio && !q_is_zero(a->den)) {
				num = q_add(num, a->num);
				den = q_add(den, a->den);
				r->units++;
			} else if (leaf->rule->kind == RULE_YES_NO || leaf->rule->kind == RULE_GATE) {
				den = q_add(den, q_int(1));
				if (a->yes) num = q_add(num, q_int(1));
				r->units++;
			}
		}
		r->known = !q_is_zero(den);
		if (r->known) {
			r->achieved = q_mul(q_div(num, den), q_int(100));
			r->met = q_cmp(r->achieved, q_int(t->share_percent)) >= 0;
		}
	}
	return v;
}

static const char *pct(doc_ctx *c, int part, int whole)
{
	if (!whole) return "—";
	return arena_printf(c->a, "%s%%", q_to_text(c->a, q_make((int64_t)part * 100, whole), 1, true));
}

const char *target_label(doc_ctx *c, const round_target *t)
{
	const char *who = t->unit_type ? unit_type_words(t->unit_type) : "cơ sở giáo dục";
	if (t->label) return t->label;
	if (!strcmp(t->kind, "level_share"))
		return arena_printf(c->a, "%d%% %s đạt Mức %d%s", t->share_percent, who, t->level, t->level < 3 ? " trở lên" : "");
	return arena_printf(c->a, "Chỉ tiêu %s: %d%%", t->item_code, t->share_percent);
}

/* ---- the team --------------------------------------------------------------------- */

typedef struct evaluator {
	int64_t account_id;
	const char *name;
	const char *post;          /* from the team's decision; NULL = by assignments */
	int units, leads;
} evaluator;

static int cmp_evaluator(const void *a, const void *b)
{
	const evaluator *x = a, *y = b;
	if (x->leads != y->leads) return x->leads > y->leads ? -1 : 1;
	return vn_collate(x->name, y->name);
}

/* The round's evaluators (from the units' assignments), the head first. */
static evaluator *team_of(doc_ctx *c, size_t *n)
{
	evaluator *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		evaluator_assignment *as = NULL;
		size_t na = 0;
		round_evaluators(c->d, c->round.id, c->units[i].u.id, c->a, &as, &na);
		for (size_t k = 0; k < na; k++) {
			size_t j = 0;
			while (j < *n && v[j].account_id != as[k].account_id) j++;
			if (j == *n) {
				if (*n == cap) {
					cap = cap ? cap * 2 : 8;
					evaluator *nv = arena_alloc(c->a, cap * sizeof *nv);
					if (*n) memcpy(nv, v, *n * sizeof *v);
					v = nv;
				}
				account ac;
				v[j] = (evaluator){ .account_id = as[k].account_id };
				v[j].name = account_get(c->d, as[k].account_id, c->a, &ac) == DB_OK ? ac.full_name : "";
				(*n)++;
			}
			v[j].units++;
			if (as[k].lead) v[j].leads++;
		}
	}
	db_clear_error(c->d);
	sort_list(v, *n, sizeof *v, cmp_evaluator);
	return v;
}

static void authority(doc_ctx *c, doc *d)
{
	doc_para *p = doc_line(d, DOC_CENTER, DOC_B, "%s", c->authority);
	p->space_before = 6;
}

/* "Sở Giáo dục và Đào tạo … (để b/c);" — the office's own superior. */
static const char *superior(doc_ctx *c)
{
	return arena_printf(c->a, "%s (để b/c);", c->parent_name ? short_name(c, c->parent_name) : "Cấp trên trực tiếp");
}

void build_team(doc_ctx *c, doc *d)
{
	doc_head(c, d, "QUYẾT ĐỊNH", arena_printf(c->a, "Về việc thành lập Đoàn kiểm tra, đánh giá ngoài mức độ chuyển đổi số\ncác cơ sở giáo dục năm học %s", c->school_year));
	authority(c, d);
	doc_bases_of_units(c, d);
	doc_text(d, DOC_I, "Căn cứ %s;", plan_cite(c));
	doc_text(d, DOC_I, "Xét đề nghị của bộ phận phụ trách công tác chuyển đổi số,");
	doc_para *decide = doc_line(d, DOC_CENTER, DOC_B, "QUYẾT ĐỊNH:");
	decide->space_before = 4;
	size_t n = 0;
	evaluator *ev = team_of(c, &n);
	if (c->has_team) {
		/* the team as formed by decision, posts and all (q_office) */
		size_t k = n;
		evaluator *assigned = ev;
		n = c->nteam;
		ev = arena_alloc(c->a, (n + 1) * sizeof *ev);
		for (size_t i = 0; i < n; i++) {
			ev[i] = (evaluator){ .account_id = c->team[i].account_id, .name = c->team[i].full_name,
			                     .post = team_post_label(c->team[i].post) };
			for (size_t j = 0; j < k; j++)
				if (assigned[j].account_id == ev[i].account_id) { ev[i].units = assigned[j].units; ev[i].leads = assigned[j].leads; }
		}
	}
	doc_para *p = doc_text(d, DOC_B, "Điều 1. ");
	doc_run_add(d, p, 0, "Thành lập Đoàn kiểm tra, đánh giá ngoài mức độ chuyển đổi số các cơ sở giáo dục năm học %s gồm các ông (bà) có tên sau:", c->school_year);
	static const double w[] = { 0.95, 4.2, 3, 3 };
	doc_table *t = doc_table_add(d, 4, w);
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Họ và tên");
	doc_cellf(d, h, DOC_CENTER, 0, "Nhiệm vụ trong Đoàn");
	doc_cellf(d, h, DOC_CENTER, 0, "Số đơn vị phụ trách");
	for (size_t i = 0; i < n; i++) {
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", ev[i].name);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", ev[i].post ? ev[i].post : i == 0 ? "Trưởng đoàn" : "Thành viên");
		doc_cellf(d, r, DOC_CENTER, 0, "%d", ev[i].units);
	}
	if (!n) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *e = doc_cell_add(d, r, DOC_CENTER, 4);
		doc_run_add(d, e, DOC_I, "(chưa phân công thành viên)");
	}
	p = doc_text(d, DOC_B, "Điều 2. ");
	doc_run_add(d, p, 0, "Đoàn có nhiệm vụ kiểm tra hồ sơ, minh chứng và đánh giá từng tiêu chí tại các cơ sở giáo dục theo phân công tại Phụ lục kèm theo; lập biên bản đánh giá ngoài đối với từng đơn vị; tổng hợp kết quả, đề xuất công nhận mức độ chuyển đổi số%s%s.",
		c->round.external_due ? "; hoàn thành trước ngày " : "", c->round.external_due ? date_short(c, c->round.external_due) : "");
	p = doc_text(d, DOC_B, "Điều 3. ");
	doc_run_add(d, p, 0, "Quyết định có hiệu lực kể từ ngày ký. Thủ trưởng các cơ sở giáo dục có tên tại Phụ lục và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.");
	const char *rec[] = { "Như Điều 3;", "Các cơ sở giáo dục (để t/h);", "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, NULL);

	size_t nall = 0;
	evaluator *all = team_of(c, &nall);
	doc_annex(d);
	doc_line(d, DOC_CENTER, DOC_B, "Phụ lục");
	doc_line(d, DOC_CENTER, DOC_B, "PHÂN CÔNG KIỂM TRA, ĐÁNH GIÁ NGOÀI CÁC CƠ SỞ GIÁO DỤC");
	doc_line(d, DOC_CENTER, DOC_I, "%s", doc_annex_ref(c, "Quyết định"));
	static const double w2[] = { 0.95, 4.6, 1.8, 3.0, 3.4 };
	t = doc_table_add(d, 5, w2);
	h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Đơn vị");
	doc_cellf(d, h, DOC_CENTER, 0, "Loại hình");
	doc_cellf(d, h, DOC_CENTER, 0, "Trưởng nhóm");
	doc_cellf(d, h, DOC_CENTER, 0, "Thành viên");
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		evaluator_assignment *as = NULL;
		size_t na = 0;
		round_evaluators(c->d, c->round.id, u->u.id, c->a, &as, &na);
		buf lead, mem;
		buf_init(&lead);
		buf_init(&mem);
		for (size_t k = 0; k < na; k++) {
			const char *name = "";
			for (size_t j = 0; j < nall; j++) if (all[j].account_id == as[k].account_id) name = all[j].name;
			buf *b = as[k].lead ? &lead : &mem;
			buf_printf(b, "%s%s", b->len ? ", " : "", name);
		}
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", i + 1);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", u->u.name);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", unit_type_words(u->u.type));
		doc_cellf(d, r, DOC_LEFT, 0, "%s", buf_str(&lead));
		doc_cellf(d, r, DOC_LEFT, 0, "%s", buf_str(&mem));
		buf_free(&lead);
		buf_free(&mem);
	}
	db_clear_error(c->d);
}

/* ---- external minutes --------------------------------------------------------------- */

void build_external_minutes(doc_ctx *c, doc *d)
{
	const doc_unit *u = c->one;
	doc_head(c, d, "BIÊN BẢN", arena_printf(c->a, "Kiểm tra, đánh giá ngoài mức độ chuyển đổi số\ntại %s năm học %s", u->u.name, c->school_year));
	doc_text(d, 0, "Vào hồi …… giờ …… %s, tại %s, Đoàn kiểm tra, đánh giá ngoài của %s tiến hành kiểm tra, đánh giá mức độ chuyển đổi số năm học %s của đơn vị.",
		c->date_given ? c->date_words : "ngày …… tháng …… năm ……", u->u.name, c->office.name, c->school_year);
	doc_heading(d, "I. THÀNH PHẦN");
	doc_text(d, 0, "1. Đoàn kiểm tra, đánh giá ngoài:");
	evaluator_assignment *as = NULL;
	size_t na = 0;
	round_evaluators(c->d, c->round.id, u->u.id, c->a, &as, &na);
	const char *lead = NULL;
	for (size_t k = 0; k < na; k++) {
		account ac;
		const char *name = account_get(c->d, as[k].account_id, c->a, &ac) == DB_OK ? ac.full_name : "";
		if (as[k].lead && !lead) lead = name;
		doc_text(d, 0, "- Ông (bà) %s – %s;", name, as[k].lead ? "Trưởng nhóm" : "Thành viên");
	}
	db_clear_error(c->d);
	if (!na) doc_text(d, 0, "- ……………………………………………………");
	doc_text(d, 0, "2. Đại diện %s:", u->u.name);
	const char *chair = council_chair(c);
	for (size_t i = 0; i < c->nmembers; i++) {
		const council_member *m = &c->members[i];
		if (m->post == COUNCIL_CHU_TICH || m->post == COUNCIL_THU_KY)
			doc_text(d, 0, "- Ông (bà) %s%s%s;", m->full_name, m->job_title ? ", " : "", m->job_title ? m->job_title : "");
	}
	doc_heading(d, "II. NỘI DUNG");
	doc_text(d, 0, "Đoàn đã kiểm tra hồ sơ tự đánh giá, đối chiếu minh chứng và đánh giá từng tiêu chí. Kết quả đánh giá ngoài so với kết quả tự đánh giá của đơn vị như sau:");
	score_table(c, d, u, ST_EXTERNAL | ST_REASON);
	doc_text(d, 0, "Tổng hợp kết quả đánh giá ngoài:");
	group_table(c, d, u, u->has_ext ? u->ext : NULL);
	doc_heading(d, "III. KẾT LUẬN");
	if (u->has_ext) {
		doc_text(d, 0, "Kết quả đánh giá ngoài: %s.", result_sentence(c, u, u->ext));
		doc_text(d, 0, "Đoàn đề nghị %s công nhận %s đạt %s năm học %s.", c->office.name, u->u.name,
			u->ext && u->ext->level ? level_words(c, u->ext->level) : "mức độ chuyển đổi số theo kết quả trên", c->school_year);
	} else {
		doc_text(d, 0, "Đoàn chưa ghi nhận kết quả đánh giá ngoài của đơn vị.");
	}
	doc_text(d, 0, "Biên bản được lập thành 02 bản, đơn vị giữ 01 bản, Đoàn giữ 01 bản; đã được thông qua và các bên thống nhất./.");
	doc_sign(d, "ĐẠI DIỆN ĐƠN VỊ\nHIỆU TRƯỞNG", "(Ký, ghi rõ họ tên, đóng dấu)", chair);
	doc_sign(d, "TRƯỞNG ĐOÀN", "(Ký, ghi rõ họ tên)", c->p->signer ? c->p->signer : lead);
}

/* ---- the list of units and their results --------------------------------------------- */

/* Group columns of the list: the most groups among the units' frameworks. */
static size_t list_groups(doc_ctx *c)
{
	size_t g = 0;
	for (size_t i = 0; i < c->nunits; i++)
		if (c->units[i].fw && c->units[i].fw->basis == BASIS_GROUPS && c->units[i].fw->ngroups > g)
			g = c->units[i].fw->ngroups;
	return g ? g : 1;
}

/* The units a recognition decision recognises: those recognised by it;
 * before any decision is recorded (a draft to sign), those whose external
 * evaluation is finished, at their external (or recognised) level. Never a unit without
 * a level, so Điều 1's total is the sum of its levels and the rows of its
 * annex. Every other round document covers every unit of the round. */
bool doc_unit_in(const doc_ctx *c, const doc_unit *u)
{
	if (strcmp(c->type->code, "recognition") != 0) return true;
	if (c->decision_id) return u->as.recognition_decision_id == c->decision_id && u->as.recognised_level > 0;
	wf_state st = wf_state_parse(u->as.state);
	return (st == WF_EVALUATED || st == WF_RECOGNISED || st == WF_PUBLISHED) && u->level > 0;
}

static void units_table(doc_ctx *c, doc *d)
{
	size_t ng = list_groups(c);
	double w[8];
	size_t n = 0;
	w[n++] = 0.95;
	w[n++] = 5.2;
	w[n++] = 1.8;
	for (size_t g = 0; g < ng && g < 3; g++) w[n++] = 1.4;
	w[n++] = 3.0;
	doc_table *t = doc_table_add(d, n, w);
	t->size = 12;
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "TT");
	doc_cellf(d, h, DOC_CENTER, 0, "Tên đơn vị");
	doc_cellf(d, h, DOC_CENTER, 0, "Loại hình");
	for (size_t g = 0; g < ng && g < 3; g++) doc_cellf(d, h, DOC_CENTER, 0, "Điểm nhóm %zu", g + 1);
	doc_cellf(d, h, DOC_CENTER, 0, "Mức độ");
	size_t k = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		if (!doc_unit_in(c, u)) continue;
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%zu", ++k);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", u->u.name);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", unit_type_words(u->u.type));
		const score_result *res = u->result;
		if (res && u->fw->basis == BASIS_TOTAL) {
			doc_para *p = doc_cell_add(d, r, DOC_CENTER, (int)(ng < 3 ? ng : 3));
			doc_run_add(d, p, 0, "Tổng: %s", dq(c, res->total));
		} else {
			for (size_t g = 0; g < ng && g < 3; g++)
				doc_cellf(d, r, DOC_CENTER, 0, "%s", res && g < u->fw->ngroups ? dq(c, score_node(res, &u->fw->groups[g])->points) : "—");
		}
		/* the short name: a list is read down the column */
		doc_cellf(d, r, DOC_CENTER, 0, "%s", u->level ? arena_printf(c->a, "Mức %d", u->level) : "Chưa xếp mức");
	}
	if (!k) {
		doc_row *r = doc_row_add(d, t, false);
		doc_para *p = doc_cell_add(d, r, DOC_CENTER, (int)n);
		doc_run_add(d, p, DOC_I, "%s", !strcmp(c->type->code, "recognition") ? "(chưa có đơn vị được công nhận hoặc đã hoàn thành đánh giá ngoài)"
		                                                       : "(đợt đánh giá chưa có đơn vị)");
	}
	doc_derived_basis_round(c, d);
}

/* ---- recognition --------------------------------------------------------------------- */

void build_recognition(doc_ctx *c, doc *d)
{
	doc_head(c, d, "QUYẾT ĐỊNH", arena_printf(c->a, "Về việc công nhận mức độ chuyển đổi số của các cơ sở giáo dục\nnăm học %s", c->school_year));
	authority(c, d);
	doc_bases_of_units(c, d);
	doc_text(d, DOC_I, "Căn cứ %s;", plan_cite(c));
	doc_text(d, DOC_I, "Xét kết quả kiểm tra, đánh giá ngoài của Đoàn kiểm tra, đánh giá ngoài mức độ chuyển đổi số,");
	doc_para *decide = doc_line(d, DOC_CENTER, DOC_B, "QUYẾT ĐỊNH:");
	decide->space_before = 4;
	int at[4] = { 0 };
	int total = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		if (!doc_unit_in(c, &c->units[i])) continue;
		total++;
		int l = c->units[i].level;
		at[l >= 1 && l <= 3 ? l : 0]++;
	}
	doc_para *p = doc_text(d, DOC_B, "Điều 1. ");
	doc_run_add(d, p, 0, "Công nhận mức độ chuyển đổi số năm học %s đối với %d cơ sở giáo dục (có danh sách kèm theo), trong đó: Mức 3: %d đơn vị; Mức 2: %d đơn vị; Mức 1: %d đơn vị.",
		c->school_year, total, at[3], at[2], at[1]);
	p = doc_text(d, DOC_B, "Điều 2. ");
	doc_run_add(d, p, 0, "Các cơ sở giáo dục có tên tại Điều 1 công khai kết quả trên cổng thông tin điện tử của đơn vị; tiếp tục duy trì, nâng cao mức độ chuyển đổi số, khắc phục các tiêu chí chưa đạt.");
	p = doc_text(d, DOC_B, "Điều 3. ");
	doc_run_add(d, p, 0, "Quyết định có hiệu lực kể từ ngày ký. Bộ phận phụ trách công tác chuyển đổi số và thủ trưởng các cơ sở giáo dục có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.");
	const char *rec[] = { "Như Điều 3;", superior(c), "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, NULL);

	doc_annex(d);
	doc_line(d, DOC_CENTER, DOC_B, "DANH SÁCH CƠ SỞ GIÁO DỤC ĐƯỢC CÔNG NHẬN\nMỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM HỌC %s", c->school_year);
	doc_line(d, DOC_CENTER, DOC_I, "%s", doc_annex_ref(c, "Quyết định"));
	units_table(c, d);
}

/* ---- the summary report ---------------------------------------------------------------- */

typedef struct crit_avg {
	const fw_node *n;
	q sum;         /* points over the units */
	int units;
	q ratio;       /* average share of the maximum */
} crit_avg;

static int cmp_crit(const void *a, const void *b)
{
	const crit_avg *x = a, *y = b;
	return q_cmp(x->ratio, y->ratio);
}

static void weak_criteria(doc_ctx *c, doc *d)
{
	/* the framework most units of the round use */
	const framework *fw = NULL;
	int best = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		int k = 0;
		for (size_t j = 0; j < c->nunits; j++) k += c->units[j].fw == c->units[i].fw;
		if (c->units[i].fw && k > best) { best = k; fw = c->units[i].fw; }
	}
	if (!fw) { doc_text(d, 0, "Chưa có số liệu."); return; }
	size_t ncrit = 0;
	for (size_t g = 0; g < fw->ngroups; g++) ncrit += fw->groups[g].nchildren;
	crit_avg *v = arena_alloc(c->a, (ncrit + 1) * sizeof *v);
	size_t n = 0;
	for (size_t g = 0; g < fw->ngroups; g++)
		for (size_t k = 0; k < fw->groups[g].nchildren; k++) {
			const fw_node *cn = &fw->groups[g].children[k];
			if (q_is_zero(cn->max)) continue;            /* gates and information */
			crit_avg a = { .n = cn, .sum = q_int(0) };
			for (size_t i = 0; i < c->nunits; i++) {
				const doc_unit *u = &c->units[i];
				if (u->fw != fw || !u->result) continue;
				a.sum = q_add(a.sum, score_node(u->result, cn)->points);
				a.units++;
			}
			if (!a.units) continue;
			a.ratio = q_div(a.sum, q_mul(cn->max, q_int(a.units)));
			v[n++] = a;
		}
	sort_list(v, n, sizeof *v, cmp_crit);
	doc_text(d, 0, "Các tiêu chí có tỉ lệ điểm đạt bình quân thấp nhất (%s, %d đơn vị):", fw->title, best);
	static const double w[] = { 1, 6.4, 1.6, 1.8, 1.6 };
	doc_table *t = doc_table_add(d, 5, w);
	doc_row *h = doc_row_add(d, t, true);
	doc_cellf(d, h, DOC_CENTER, 0, "Mã");
	doc_cellf(d, h, DOC_CENTER, 0, "Tiêu chí");
	doc_cellf(d, h, DOC_CENTER, 0, "Điểm tối đa");
	doc_cellf(d, h, DOC_CENTER, 0, "Điểm bình quân");
	doc_cellf(d, h, DOC_CENTER, 0, "Tỉ lệ");
	for (size_t i = 0; i < n && i < 5; i++) {
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", v[i].n->code);
		doc_cellf(d, r, DOC_LEFT, 0, "%s", v[i].n->title);
		doc_cellf(d, r, DOC_CENTER, 0, "%s", dq(c, v[i].n->max));
		doc_cellf(d, r, DOC_CENTER, 0, "%s", dq(c, q_div(v[i].sum, q_int(v[i].units))));
		doc_cellf(d, r, DOC_CENTER, 0, "%s%%", q_to_text(c->a, q_mul(v[i].ratio, q_int(100)), 1, true));
	}
}

typedef struct ranked {
	const doc_unit *u;
	q total;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	int k = q_cmp(y->total, x->total);
	return k ? k : vn_collate(x->u->u.name, y->u->u.name);
}

static void best_units(doc_ctx *c, doc *d)
{
	/* ranked by the share of the maximum they reached, so units assessed
	 * with different frameworks compare fairly */
	ranked *v = arena_alloc(c->a, (c->nunits + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		const doc_unit *u = &c->units[i];
		if (!u->result || u->level < 3) continue;
		q sum = q_int(0), max = q_int(0);
		if (u->fw->basis == BASIS_TOTAL) {
			sum = u->result->total;
			max = u->result->total_max;
		} else {
			for (size_t g = 0; g < u->fw->ngroups; g++) {
				sum = q_add(sum, score_node(u->result, &u->fw->groups[g])->points);
				max = q_add(max, u->fw->groups[g].max);
			}
		}
		if (q_is_zero(max)) continue;
		v[n++] = (ranked){ u, q_div(sum, max) };
	}
	sort_list(v, n, sizeof *v, cmp_ranked);
	if (!n) { doc_text(d, 0, "Chưa có đơn vị đạt Mức 3."); return; }
	doc_text(d, 0, "Các đơn vị đạt Mức 3 với kết quả cao nhất, đề nghị nhân rộng mô hình:");
	for (size_t i = 0; i < n && i < 5; i++)
		doc_text(d, 0, "- %s (%s): %s.", v[i].u->u.name, unit_type_words(v[i].u->u.type), result_sentence(c, v[i].u, v[i].u->result));
}

void build_summary(doc_ctx *c, doc *d)
{
	doc_head(c, d, "BÁO CÁO", arena_printf(c->a, "Kết quả đánh giá mức độ chuyển đổi số\ncủa các cơ sở giáo dục năm học %s", c->school_year));
	doc_text(d, 0, "Thực hiện %s, %s báo cáo kết quả đánh giá mức độ chuyển đổi số của các cơ sở giáo dục năm học %s như sau:",
		plan_cite(c), c->office.name, c->school_year);
	doc_heading(d, "I. TÌNH HÌNH TRIỂN KHAI");
	int self_done = 0, submitted = 0, evaluated = 0, recognised = 0;
	for (size_t i = 0; i < c->nunits; i++) {
		wf_state s = wf_state_parse(c->units[i].as.state);
		if (s >= WF_SELF_ASSESSED) self_done++;   /* a draft has not assessed itself yet */
		if (s >= WF_SUBMITTED) submitted++;   /* a returned file was sent too (the summary's progress: 'Đã nộp hồ sơ') */
		if (s >= WF_EVALUATED) evaluated++;
		if (s >= WF_RECOGNISED) recognised++;
	}
	doc_text(d, 0, "- Tổng số cơ sở giáo dục thuộc đợt đánh giá: %zu; đã tự đánh giá: %d; đã gửi hồ sơ đề nghị đánh giá ngoài: %d; đã đánh giá ngoài: %d; đã công nhận: %d.",
		c->nunits, self_done, submitted, evaluated, recognised);

	doc_heading(d, "II. KẾT QUẢ ĐÁNH GIÁ");
	size_t nt = 0;
	type_stats all;
	type_stats *st = round_stats(c, &nt, &all);
	static const double w[] = { 2.2, 1.2, 1, 1.3, 1, 1.3, 1, 1.3, 1.3 };
	doc_table *t = doc_table_add(d, 9, w);
	t->size = 12;
	doc_row *h = doc_row_add(d, t, true);
	static const char *const heads[] = { "Loại hình", "Số đơn vị", "Mức 3", "Tỉ lệ", "Mức 2", "Tỉ lệ", "Mức 1", "Tỉ lệ", "Chưa xếp mức" };
	for (size_t i = 0; i < ARRAY_LEN(heads); i++) doc_cellf(d, h, DOC_CENTER, 0, "%s", heads[i]);
	for (size_t i = 0; i <= nt; i++) {
		const type_stats *s = i < nt ? &st[i] : &all;
		unsigned b = i < nt ? 0 : DOC_B;
		doc_row *r = doc_row_add(d, t, false);
		doc_cellf(d, r, DOC_LEFT, b, "%s", i < nt ? unit_type_name(s->type) : "Tổng cộng");
		doc_cellf(d, r, DOC_CENTER, b, "%d", s->units);
		for (int l = 3; l >= 1; l--) {
			doc_cellf(d, r, DOC_CENTER, b, "%d", s->at[l]);
			doc_cellf(d, r, DOC_CENTER, b, "%s", pct(c, s->at[l], s->units));
		}
		doc_cellf(d, r, DOC_CENTER, b, "%d", s->at[0]);
	}

	if (nt) {
		doc_chart *ch = doc_chart_add(d, "Tỉ lệ đơn vị theo mức độ chuyển đổi số", nt + 1, 4);
		static const char *const series[] = { "Mức 3", "Mức 2", "Mức 1", "Chưa xếp mức" };
		for (size_t k = 0; k < 4; k++) ch->series[k] = series[k];
		for (size_t i = 0; i <= nt; i++) {
			const type_stats *s2 = i < nt ? &st[i] : &all;
			ch->cats[i] = i < nt ? unit_type_name(s2->type) : "Tổng cộng";
			for (int l = 3, k = 0; l >= 0; l--, k++) ch->values[i * 4 + (size_t)k] = s2->at[l];
		}
	}

	doc_heading(d, "III. THỰC HIỆN CHỈ TIÊU");
	if (!c->ntargets) {
		doc_text(d, 0, "Đợt đánh giá không đặt chỉ tiêu.");
	} else {
		target_result *tr = round_target_results(c);
		static const double w2[] = { 6, 1.6, 1.8, 2.2 };
		t = doc_table_add(d, 4, w2);
		h = doc_row_add(d, t, true);
		doc_cellf(d, h, DOC_CENTER, 0, "Chỉ tiêu");
		doc_cellf(d, h, DOC_CENTER, 0, "Kế hoạch");
		doc_cellf(d, h, DOC_CENTER, 0, "Thực hiện");
		doc_cellf(d, h, DOC_CENTER, 0, "Đánh giá");
		for (size_t i = 0; i < c->ntargets; i++) {
			doc_row *r = doc_row_add(d, t, false);
			doc_cellf(d, r, DOC_LEFT, 0, "%s", target_label(c, tr[i].t));
			doc_cellf(d, r, DOC_CENTER, 0, "%d%%", tr[i].t->share_percent);
			if (tr[i].known) {
				doc_cellf(d, r, DOC_CENTER, 0, "%s%%", q_to_text(c->a, tr[i].achieved, 1, true));
				doc_cellf(d, r, DOC_CENTER, tr[i].met ? 0 : DOC_B, "%s", tr[i].met ? "Đạt" : "Chưa đạt");
			} else {
				doc_cellf(d, r, DOC_CENTER, 0, "—");
				doc_cellf(d, r, DOC_CENTER, 0, "Chưa có số liệu");
			}
		}
	}

	doc_heading(d, "IV. ĐÁNH GIÁ CHUNG");
	doc_heading(d, "1. Những tiêu chí còn hạn chế");
	weak_criteria(c, d);
	doc_heading(d, "2. Đơn vị điển hình");
	best_units(c, d);
	doc_heading(d, "V. KIẾN NGHỊ, ĐỀ XUẤT");
	doc_text(d, 0, "………………………………………………………………………");
	doc_text(d, 0, "Trên đây là báo cáo kết quả đánh giá mức độ chuyển đổi số của các cơ sở giáo dục năm học %s của %s./.", c->school_year, c->office.name);
	const char *rec[] = { superior(c), "Lưu: VT." };
	doc_recipients(c, d, rec, ARRAY_LEN(rec));
	doc_signature_std(c, d, NULL);

	doc_annex(d);
	doc_line(d, DOC_CENTER, DOC_B, "Phụ lục\nKẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CỦA TỪNG CƠ SỞ GIÁO DỤC");
	doc_line(d, DOC_CENTER, DOC_I, "%s", doc_annex_ref(c, "Báo cáo"));
	units_table(c, d);
}
