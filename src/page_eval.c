/* page_eval.c — the external evaluation (đánh giá ngoài): the office forms
 * the team by decision (members, head, secretary) and assigns units to
 * members, warned when a member belongs to the unit or sits on its
 * council; each member scores on their own; the head reconciles the team's
 * score per item, with a reason wherever it differs from the
 * self-assessment; self and external side by side with the difference per
 * item and per group, both computed by the scoring engine; the workflow
 * steps of the evaluation (start, finish, reopen).
 *
 * Members' own scores are kept apart (q_office: member_scores); the team's
 * reconciled score is the assessment's external answer, versioned like the
 * self answers, and is what the recognised level comes from. */
#include "answers.h"
#include "page_evidence.h"
#include "q_account.h"
#include "util.h"
#include "web_office.h"
#include <stdlib.h>
#include <string.h>

static const char *sel(bool on) { return on ? " selected" : ""; }

static const char *level_class(int level)
{
	return level == 1 ? "level-1" : level == 2 ? "level-2" : level == 3 ? "level-3" : "";
}

/* ---- the team --------------------------------------------------------------------------- */

static bool assess_in_state(const char *state)
{
	wf_state s = wf_state_parse(state);
	return s >= WF_SUBMITTED;
}

static void conflict_note(web *w, int64_t round_id, int64_t unit_id, int64_t account_id, buf *out)
{
	bool belongs = false, council = false;
	team_conflicts(w->d, round_id, unit_id, account_id, &belongs, &council);
	if (belongs) html_f(out, " <span class=\"warn\">Cảnh báo: thành viên này thuộc đơn vị được đánh giá.</span>");
	if (council) html_f(out, " <span class=\"warn\">Cảnh báo: thành viên này là thành viên hội đồng tự đánh giá của đơn vị.</span>");
}

static void team_get_page(web *w)
{
	round_view v = *w->round;
	bool manage = round_allowed(w, &v, AUTHZ_OPEN_ROUND, NULL) && !v.closed;
	team t;
	bool has_team = team_get(w->d, v.r.id, w->a, &t) == DB_OK;
	team_member *members = NULL;
	size_t nm = 0;
	if (has_team) team_members(w->d, t.id, w->a, &members, &nm);

	page_begin(w, arena_printf(w->a, "Đoàn đánh giá ngoài — %s", v.r.title));
	office_round_header(w, &v, "/doan");

	html_f(w->out, "<section class=\"card\"><h2>Quyết định thành lập đoàn kiểm tra, đánh giá ngoài</h2>");
	if (has_team)
		html_f(w->out, "<p>Quyết định số <strong>%h</strong> %h%h%h.</p>", t.dec.number, web_date_long(w, t.dec.date),
		       t.dec.signer ? "; người ký: " : "", t.dec.signer);
	else
		html_f(w->out, "<p>Chưa thành lập đoàn.</p>");
	if (manage) {
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/doan\" class=\"no-print\">", v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Số quyết định<input name=\"so\" required value=\"%a\"></label>"
		               "<label>Ngày ký<input type=\"date\" name=\"ngay\" required value=\"%a\"></label>"
		               "<label>Người ký<input name=\"nguoi_ky\" value=\"%a\"></label><button type=\"submit\">%h</button></form>",
		       has_team ? t.dec.number : "", has_team ? t.dec.date : office_today_iso(w), has_team ? t.dec.signer : "",
		       has_team ? "Cập nhật quyết định" : "Thành lập đoàn");
	}
	html_f(w->out, "</section>");

	if (has_team) {
		html_f(w->out, "<section class=\"card\"><h2>Thành viên đoàn</h2><div class=\"table-wrap\"><table class=\"labelled members\"><thead><tr><th>Họ tên</th>"
		               "<th>Tài khoản</th><th>Vị trí</th>");
		if (manage) html_f(w->out, "<th class=\"no-print\"></th>");
		html_f(w->out, "</tr></thead><tbody>");
		for (size_t i = 0; i < nm; i++) {
			html_f(w->out, "<tr><td>%h</td><td data-label=\"Tài khoản\">%h</td><td data-label=\"Vị trí\">%h</td>", members[i].full_name, members[i].login, team_post_label(members[i].post));
			if (manage) {
				html_f(w->out, "<td class=\"no-print\"><form method=\"post\" action=\"/dot/%D/doan/xoa-thanh-vien\" class=\"inline\">", v.r.id);
				web_csrf_field(w);
				html_f(w->out, "<input type=\"hidden\" name=\"thanh_vien\" value=\"%D\"><button type=\"submit\" class=\"link\" "
				               "data-confirm=\"Đưa thành viên này ra khỏi đoàn (và bỏ các phân công của họ)?\">Bỏ khỏi đoàn</button></form></td>",
				       members[i].account_id);
			}
			html_f(w->out, "</tr>");
		}
		if (!nm) html_f(w->out, "<tr><td colspan=\"3\">Chưa có thành viên.</td></tr>");
		html_f(w->out, "</tbody></table></div>");
		if (manage) {
			html_f(w->out, "<form method=\"post\" action=\"/dot/%D/doan/thanh-vien\" class=\"no-print inline-form\">", v.r.id);
			web_csrf_field(w);
			html_f(w->out, "<label>Tên đăng nhập của thành viên<input name=\"tai_khoan\" required autocomplete=\"off\"></label>"
			               "<label>Vị trí<select name=\"vi_tri\">");
			for (int p = 0; p < 3; p++)
				html_f(w->out, "<option value=\"%a\"%h>%h</option>", team_post_code((team_post)p), sel(p == TEAM_MEMBER), team_post_label((team_post)p));
			html_f(w->out, "</select></label><button type=\"submit\">Thêm vào đoàn</button></form>");
		}
		html_f(w->out, "</section>");
	}

	/* the units to judge: submitted onwards, and any already assigned */
	inbox_row *rows;
	size_t n = office_round_rows(w, &v, &rows);
	evaluator_unit *as = NULL;
	size_t nas = 0;
	office_assignments(w->d, v.r.id, 0, w->a, &as, &nas);
	html_f(w->out, "<section class=\"card\"><h2>Phân công đánh giá</h2><div class=\"table-wrap\"><table class=\"assign labelled\"><thead><tr>"
	               "<th>Đơn vị</th><th>Trạng thái</th><th>Thành viên được phân công</th>");
	if (manage && has_team) html_f(w->out, "<th class=\"no-print\">Phân công thêm</th>");
	html_f(w->out, "</tr></thead><tbody>");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		bool assigned = false;
		for (size_t k = 0; k < nas; k++) assigned |= as[k].unit_id == rows[i].u.id;
		if (!assigned && !assess_in_state(rows[i].as.state)) continue;
		shown++;
		html_f(w->out, "<tr><td><a href=\"/danh-gia-ngoai/%D/doi-chieu\">%h</a></td><td data-label=\"Trạng thái\">%h</td>"
		               "<td data-label=\"Thành viên được phân công\"><ul class=\"plain\">", rows[i].as.id,
		       rows[i].u.name, wf_state_label(wf_state_parse(rows[i].as.state)));
		for (size_t k = 0; k < nas; k++) {
			if (as[k].unit_id != rows[i].u.id) continue;
			html_f(w->out, "<li>%h%h", as[k].member_name, as[k].lead ? " (trưởng đoàn)" : "");
			conflict_note(w, v.r.id, as[k].unit_id, as[k].account_id, w->out);
			if (manage) {
				html_f(w->out, " <form method=\"post\" action=\"/dot/%D/doan/bo-phan-cong\" class=\"inline no-print\">", v.r.id);
				web_csrf_field(w);
				html_f(w->out, "<input type=\"hidden\" name=\"ho_so\" value=\"%D\"><input type=\"hidden\" name=\"thanh_vien\" value=\"%D\">"
				               "<button type=\"submit\" class=\"link\">Bỏ phân công</button></form>", rows[i].as.id, as[k].account_id);
			}
			html_f(w->out, "</li>");
		}
		html_f(w->out, "</ul></td>");
		if (manage && has_team) {
			html_f(w->out, "<td class=\"no-print\" data-label=\"Phân công thêm\"><form method=\"post\" action=\"/dot/%D/doan/phan-cong\" class=\"inline\">", v.r.id);
			web_csrf_field(w);
			html_f(w->out, "<input type=\"hidden\" name=\"ho_so\" value=\"%D\"><select name=\"thanh_vien\" aria-label=\"Thành viên\">", rows[i].as.id);
			for (size_t k = 0; k < nm; k++)
				html_f(w->out, "<option value=\"%D\">%h (%h)</option>", members[k].account_id, members[k].full_name, team_post_label(members[k].post));
			html_f(w->out, "</select> <button type=\"submit\">Phân công</button></form></td>");
		}
		html_f(w->out, "</tr>");
	}
	if (!shown) html_f(w->out, "<tr><td colspan=\"4\">Chưa có đơn vị nào gửi hồ sơ.</td></tr>");
	html_f(w->out, "</tbody></table></div></section>");
	page_end(w);
}

/* The route's round (AUTHZ_OPEN_ROUND), still open, with its team. */
static bool team_manage(web *w, round_view *v, team *t, bool need_team)
{
	*v = *w->round;
	if (v->closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return false; }
	if (need_team && team_get(w->d, v->r.id, w->a, t) != DB_OK) {
		web_error(w, 409, "Cần thành lập đoàn (quyết định) trước.");
		return false;
	}
	return true;
}

static void back_to_team(web *w, const round_view *v)
{
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/doan", (long long)v->r.id), "da-luu");
}

static void team_form_post(web *w)
{
	round_view v;
	team t;
	if (!team_manage(w, &v, &t, false)) return;
	decision dec = { .number = web_in_text(w, "so"), .date = web_in_text(w, "ngay"), .signer = web_in_text(w, "nguoi_ky") };
	int ymd = assess_ymd(dec.date);
	if (!ymd || !wf_date_valid(ymd) || ymd > assess_today()) {
		web_error(w, 422, "Ngày quyết định phải là một ngày hợp lệ, không sau hôm nay.");
		return;
	}
	int rc = team_form(w->d, w->account_id, v.r.id, &dec, NULL);
	if (rc != DB_OK) { web_error(w, rc == DB_EINVAL ? 422 : 500, db_errmsg(w->d)); return; }
	back_to_team(w, &v);
}

static void team_member_post(web *w)
{
	round_view v;
	team t;
	if (!team_manage(w, &v, &t, true)) return;
	account acc;
	const char *login = web_in_text(w, "tai_khoan");
	if (!login || account_find_login(w->d, login, w->a, &acc) != DB_OK) {
		web_error(w, 422, "Không tìm thấy tài khoản với tên đăng nhập này.");
		return;
	}
	team_post post = team_post_parse(web_in_text(w, "vi_tri"));
	int rc = team_set_member(w->d, w->account_id, t.id, acc.id, post);
	if (rc == DB_EINVAL || rc == DB_ECONSTRAINT) { web_error(w, 422, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	/* The decision forming the team is what makes its members evaluators
	 * of this round: the office that issued it grants the role, scoped to
	 * itself and this round (authz then admits them to assigned units only). */
	rc = account_grant(w->d, w->account_id, acc.id, "external_evaluator", v.office.id, v.r.id, NULL);
	if (rc == DB_ECONSTRAINT) db_clear_error(w->d);          /* already granted */
	else if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	back_to_team(w, &v);
}

static void team_remove_post(web *w)
{
	round_view v;
	team t;
	if (!team_manage(w, &v, &t, true)) return;
	int64_t who = web_in_int(w, "thanh_vien", 0);
	int rc = team_remove_member(w->d, w->account_id, t.id, who);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	/* their assignments and their evaluator role in this round go with them */
	evaluator_unit *as = NULL;
	size_t nas = 0;
	office_assignments(w->d, v.r.id, who, w->a, &as, &nas);
	for (size_t i = 0; i < nas; i++) round_unassign_evaluator(w->d, w->account_id, v.r.id, as[i].unit_id, who);
	role_assignment *roles = NULL;
	size_t nr = 0;
	account_roles(w->d, who, w->a, &roles, &nr);
	for (size_t i = 0; i < nr; i++)
		if (strcmp(roles[i].role, "external_evaluator") == 0 && roles[i].unit_id == v.office.id && roles[i].round_id == v.r.id)
			account_revoke(w->d, w->account_id, roles[i].id);
	back_to_team(w, &v);
}

/* The assessment and team member named by the form, both of this round. */
static bool assignment_args(web *w, const round_view *v, const team *t, assessment *as, team_member *m)
{
	int64_t aid = web_in_int(w, "ho_so", 0), who = web_in_int(w, "thanh_vien", 0);
	if (!aid || assessment_get(w->d, aid, w->a, as) != DB_OK || as->round_id != v->r.id) {
		web_error(w, 400, "Đơn vị được chọn không thuộc đợt đánh giá này.");
		return false;
	}
	team_member *ms = NULL;
	size_t n = 0;
	team_members(w->d, t->id, w->a, &ms, &n);
	for (size_t i = 0; i < n; i++)
		if (ms[i].account_id == who) { *m = ms[i]; return true; }
	web_error(w, 422, "Người được chọn không phải thành viên của đoàn.");
	return false;
}

static void assign_post(web *w)
{
	round_view v;
	team t;
	assessment as;
	team_member m;
	if (!team_manage(w, &v, &t, true) || !assignment_args(w, &v, &t, &as, &m)) return;
	if (!office_assessment_allowed(w, &v, &as, AUTHZ_REVIEW)) {
		web_error(w, 403, "Đơn vị này không do cơ quan của bạn đánh giá.");
		return;
	}
	bool belongs = false, council = false;
	team_conflicts(w->d, v.r.id, as.unit_id, m.account_id, &belongs, &council);
	if ((belongs || council) && !web_in_given(w, "xac_nhan")) {
		/* a conflict of interest is the office's call, but never by accident */
		unit u = { 0 };
		unit_get(w->d, as.unit_id, w->a, &u);
		w->r->status = 409;
		page_begin(w, "Xác nhận phân công");
		html_f(w->out, "<section class=\"card\"><h1>Xác nhận phân công</h1><p class=\"warn\" role=\"alert\">Cảnh báo: %h %h đơn vị %h.</p>"
		               "<p>Thành viên đánh giá ngoài không nên đánh giá đơn vị mà mình thuộc về hoặc là thành viên hội đồng tự đánh giá.</p>"
		               "<form method=\"post\" action=\"/dot/%D/doan/phan-cong\">",
		       m.full_name, belongs ? "thuộc" : "là thành viên hội đồng tự đánh giá của", u.name, v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"ho_so\" value=\"%D\"><input type=\"hidden\" name=\"thanh_vien\" value=\"%D\">"
		               "<input type=\"hidden\" name=\"xac_nhan\" value=\"1\"><button type=\"submit\" class=\"danger\">Vẫn phân công</button> "
		               "<a href=\"/dot/%D/doan\">Chọn thành viên khác</a></form></section>",
		       as.id, m.account_id, v.r.id);
		page_end(w);
		return;
	}
	int rc = round_assign_evaluator(w->d, w->account_id, v.r.id, as.unit_id, m.account_id, m.post == TEAM_HEAD);
	if (rc != DB_OK) { web_error(w, rc == DB_ECONSTRAINT ? 422 : 500, db_errmsg(w->d)); return; }
	back_to_team(w, &v);
}

static void unassign_post(web *w)
{
	round_view v;
	team t;
	assessment as;
	team_member m;
	if (!team_manage(w, &v, &t, true) || !assignment_args(w, &v, &t, &as, &m)) return;
	int rc = round_unassign_evaluator(w->d, w->account_id, v.r.id, as.unit_id, m.account_id);
	if (rc == DB_ENOTFOUND) { web_error(w, 404, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return; }
	back_to_team(w, &v);
}

/* ---- the evaluator's list ----------------------------------------------------------------- */

static void my_units(web *w)
{
	evaluator_unit *as = NULL;
	size_t n = 0;
	office_assignments(w->d, 0, w->account_id, w->a, &as, &n);
	page_begin(w, "Đánh giá ngoài");
	html_f(w->out, "<h1>Đơn vị được phân công đánh giá ngoài</h1>");
	if (!n) html_f(w->out, "<p>Bạn chưa được phân công đánh giá đơn vị nào.</p>");
	/* one table per round, newest round first (the store's order) */
	for (size_t i = 0; i < n;) {
		size_t end = i;
		size_t todo = 0;
		while (end < n && as[end].round_id == as[i].round_id) {
			if (wf_state_parse(as[end].state) == WF_UNDER_EVALUATION) todo++;
			end++;
		}
		html_f(w->out, "<section class=\"card\"><h2>%h</h2><p>%z đơn vị; đang chờ chấm: <strong>%z</strong>.</p>"
		               "<div class=\"table-wrap\"><table class=\"labelled\"><thead><tr><th>Đơn vị</th><th>Trạng thái</th><th></th></tr></thead><tbody>",
		       as[i].round_title, end - i, todo);
		for (size_t k = i; k < end; k++) {
			if (!as[k].assessment_id) continue;
			html_f(w->out, "<tr><td><a href=\"/danh-gia-ngoai/%D\">%h</a>%h</td><td data-label=\"Trạng thái\"><span class=\"state state-%a\">%h</span></td><td>",
			       as[k].assessment_id, as[k].unit_name, as[k].lead ? " (trưởng đoàn)" : "", as[k].state,
			       wf_state_label(wf_state_parse(as[k].state)));
			if (as[k].lead) html_f(w->out, "<a href=\"/danh-gia-ngoai/%D/thong-nhat\">Thống nhất kết quả</a> · ", as[k].assessment_id);
			html_f(w->out, "<a href=\"/danh-gia-ngoai/%D/doi-chieu\">Đối chiếu</a></td></tr>", as[k].assessment_id);
		}
		html_f(w->out, "</tbody></table></div></section>");
		i = end;
	}
	page_end(w);
}

/* ---- self and external together ---------------------------------------------------------------- */

typedef struct eval_ctx {
	assess_view *ext;                 /* the route's view (the external side), loaded and authorised */
	assess_view self;
	bool loaded_self;
} eval_ctx;

/* The self side beside an external view (the route's, w->view), with the
 * same authority: whoever may see the external side of this assessment may
 * see its self side. */
static bool eval_load(web *w, eval_ctx *c, assess_view *ext)
{
	memset(c, 0, sizeof *c);
	c->ext = ext;
	if (!assess_view_load(w, c->ext->as.id, ANSWER_SELF, AUTHZ_VIEW, &c->self)) return false;
	c->loaded_self = true;
	return true;
}

/* Frees the self view (the external one is its loader's). */
static void eval_free(eval_ctx *c)
{
	if (c->loaded_self) assess_view_free(&c->self);
}

static bool leaf_differs(const eval_ctx *c, const fw_node *leaf) { return assess_leaf_differs(&c->self, c->ext, leaf); }
static bool leaf_explained(const eval_ctx *c, const fw_node *leaf) { return assess_leaf_explained(c->ext, leaf); }

static int unexplained(const eval_ctx *c) { return assess_unexplained(&c->self, c->ext); }

/* The facts of the evaluation steps: web_assess.c's, as the API's. */
static void eval_wf_input(web *w, eval_ctx *c, wf_input *in)
{
	assess_wf_input(w, c->ext, in);
	assess_eval_facts(w, &c->self, c->ext, in);
}

static void eval_actions(web *w, eval_ctx *c)
{
	wf_input in;
	eval_wf_input(w, c, &in);
	static const wf_action acts[] = { WF_START_EVALUATION, WF_FINISH_EVALUATION, WF_REOPEN_EVALUATION };
	bool any = false;
	for (size_t i = 0; i < ARRAY_LEN(acts); i++) {
		if (!wf_offered(&in, acts[i])) continue;
		if (!any) html_f(w->out, "<section class=\"card actions no-print\"><h2>Thao tác</h2>");
		any = true;
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia-ngoai/%D/chuyen\" class=\"action\">", c->ext->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"action\" value=\"%a\"><button type=\"submit\">%h</button></form>",
		       wf_action_code(acts[i]), wf_action_label(acts[i]));
	}
	if (any) {
		if (in.state == WF_UNDER_EVALUATION && (in.external_unscored || in.differences_unexplained))
			html_f(w->out, "<p class=\"explain\">Còn %d chỉ tiêu bắt buộc chưa có điểm của đoàn; %d chỉ tiêu khác kết quả tự đánh giá chưa ghi lý do.</p>",
			       in.external_unscored, in.differences_unexplained);
		html_f(w->out, "</section>");
	}
}

static void points_cell(web *w, const score_result *s, const fw_node *n)
{
	if (!s) { html_f(w->out, "—"); return; }
	const node_score *ns = score_node(s, n);
	if (n->rule && n->rule->kind == RULE_GATE) html_f(w->out, "%h", ns->answered ? (ns->gate_failed ? "Chưa đạt" : "Đạt") : "—");
	else if (n->rule && (n->rule->kind == RULE_INFO || !ns->answered)) html_f(w->out, "—");
	else html_f(w->out, "%q", ns->points);
}

/* The same as a short note under the self answer: "6 điểm", "Đạt". */
static void points_note(web *w, const score_result *s, const fw_node *n)
{
	if (!s || !n->rule || n->rule->kind == RULE_INFO) return;
	const node_score *ns = score_node(s, n);
	if (!ns->answered) return;
	if (n->rule->kind == RULE_GATE) html_f(w->out, "%h", ns->gate_failed ? "Chưa đạt" : "Đạt");
	else html_f(w->out, "%q điểm", ns->points);
}

static void diff_cell(web *w, q a, q b)
{
	q d = q_sub(b, a);
	int c = q_cmp(d, q_int(0));
	html_f(w->out, "<td data-label=\"Chênh lệch\" class=\"num %h\">%h%q</td>", c > 0 ? "up" : c < 0 ? "down" : "", c > 0 ? "+" : "", d);
}

static const char *stored_value(const assess_view *v, size_t leaf_index)
{
	const assessment_answer *st = v->stored[leaf_index];
	return st && strcmp(st->value_json, "null") != 0 ? st->value_json : NULL;
}

/* The side-by-side comparison, read-only. */
static void compare_get(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	const framework *fw = c.ext->fw;
	page_begin(w, arena_printf(w->a, "Đối chiếu — %s", c.ext->u.name));
	html_f(w->out, "<p class=\"crumbs no-print\">");
	if (assess_allowed(w, c.ext, AUTHZ_REVIEW, NULL, NULL))
		html_f(w->out, "<a href=\"/xet-duyet/%D\">Xét duyệt hồ sơ</a> · <a href=\"/dot/%D/hop-thu\">Hộp hồ sơ</a>", c.ext->as.id, c.ext->round.id);
	else
		html_f(w->out, "<a href=\"/danh-gia-ngoai/%D\">Phiếu chấm của tôi</a>", c.ext->as.id);
	html_f(w->out, "</p><h1>Đối chiếu tự đánh giá và đánh giá ngoài</h1><p><strong>%h</strong> — %h — trạng thái: %h</p>",
	       c.ext->u.name, c.ext->round.title, wf_state_label(c.ext->state));
	eval_actions(w, &c);

	html_f(w->out, "<section class=\"card\"><h2>Theo nhóm</h2><div class=\"table-wrap\"><table class=\"totals compare labelled\"><thead><tr><th>Nhóm</th>"
	               "<th class=\"num\">Tự đánh giá</th><th>Mức</th><th class=\"num\">Đánh giá ngoài</th><th>Mức</th><th class=\"num\">Chênh lệch</th></tr></thead><tbody>");
	for (size_t g = 0; c.self.score && c.ext->score && g < fw->ngroups; g++) {
		const node_score *a = score_node(c.self.score, &fw->groups[g]), *b = score_node(c.ext->score, &fw->groups[g]);
		html_f(w->out, "<tr><td>%h. %h</td><td data-label=\"Tự đánh giá\" class=\"num\">%q/%q</td><td data-label=\"Mức\" class=\"%a\">%h</td>"
		               "<td data-label=\"Đánh giá ngoài\" class=\"num\">%q/%q</td><td data-label=\"Mức\" class=\"%a\">%h</td>",
		       fw->groups[g].code, fw->groups[g].title, a->points, a->max, level_class(a->band ? a->band->level : 0), a->band ? a->band->name : "",
		       b->points, b->max, level_class(b->band ? b->band->level : 0), b->band ? b->band->name : "");
		diff_cell(w, a->points, b->points);
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "</tbody></table></div>");
	if (c.self.score && c.ext->score)
		html_f(w->out, "<p><strong>Tự đánh giá:</strong> %h<br><strong>Đánh giá ngoài:</strong> %h</p>", c.self.score->level_explain,
		       c.ext->score->level_explain);
	html_f(w->out, "</section>");

	for (size_t g = 0; g < fw->ngroups; g++) {
		html_f(w->out, "<section class=\"card\"><h2>Nhóm %h. %h</h2><div class=\"table-wrap\"><table class=\"items compare labelled\"><thead><tr>"
		               "<th>Mã</th><th>Tiêu chí</th><th>Tự đánh giá</th><th class=\"num\">Điểm</th><th>Đánh giá ngoài</th><th class=\"num\">Điểm</th>"
		               "<th class=\"num\">Chênh lệch</th><th>Lý do khác biệt</th></tr></thead><tbody>",
		       fw->groups[g].code, fw->groups[g].title);
		for (size_t i = 0; i < fw->nleaves; i++) {
			const fw_node *leaf = fw->leaves[i];
			if (leaf->group_index != g) continue;
			bool differs = leaf_differs(&c, leaf);
			const assessment_answer *xt = c.ext->stored[i];
			html_f(w->out, "<tr id=\"tc-%a\" class=\"%h\"><td>%h</td><td>%h</td><td data-label=\"Tự đánh giá\">%h</td>"
			               "<td data-label=\"Điểm tự đánh giá\" class=\"num\">", leaf->code,
			       differs ? (leaf_explained(&c, leaf) ? "differs" : "differs unexplained") : "", leaf->code, leaf->title,
			       office_answer_text(w, leaf, c.self.type, stored_value(&c.self, i)));
			points_cell(w, c.self.score, leaf);
			html_f(w->out, "</td><td data-label=\"Đánh giá ngoài\">%h</td><td data-label=\"Điểm đánh giá ngoài\" class=\"num\">",
			       office_answer_text(w, leaf, c.ext->type, stored_value(c.ext, i)));
			points_cell(w, c.ext->score, leaf);
			html_f(w->out, "</td>");
			if (c.self.score && c.ext->score && score_node(c.ext->score, leaf)->answered && leaf->rule->kind != RULE_GATE &&
			    leaf->rule->kind != RULE_INFO)
				diff_cell(w, score_node(c.self.score, leaf)->points, score_node(c.ext->score, leaf)->points);
			else
				html_f(w->out, "<td data-label=\"Chênh lệch\" class=\"num\">%h</td>", differs ? "khác" : "");
			html_f(w->out, "<td data-label=\"Lý do khác biệt\">%h%h</td></tr>", xt && xt->reason ? xt->reason : "",
			       differs && !leaf_explained(&c, leaf) ? "Chưa ghi lý do" : "");
		}
		html_f(w->out, "</tbody></table></div></section>");
	}
	page_end(w);
	eval_free(&c);
}

/* ---- a member's own scores ----------------------------------------------------------------- */

static void member_page(web *w, eval_ctx *c, const char *errors)
{
	const framework *fw = c->ext->fw;
	bool on = assess_allowed(w, c->ext, AUTHZ_EDIT_EXTERNAL_ANSWER, NULL, NULL);
	member_score *ms = NULL;
	size_t nms = 0;
	member_scores(w->d, c->ext->as.id, w->a, &ms, &nms);
	const char **mine = arena_alloc(w->a, (fw->nleaves + 1) * sizeof *mine);
	const char **notes = arena_alloc(w->a, (fw->nleaves + 1) * sizeof *notes);
	for (size_t i = 0; i < nms; i++) {
		if (ms[i].account_id != w->account_id) continue;
		const fw_node *leaf = framework_find(fw, ms[i].item_code);
		if (!leaf || !leaf->rule) continue;
		mine[leaf->leaf_index] = ms[i].value_json;
		notes[leaf->leaf_index] = ms[i].reason;
	}
	score_result *my = office_score(w, fw, c->ext->type, c->ext->round.policy, mine);
	evidence *ev = NULL;
	size_t nev = 0;
	evidence_list(w->d, c->ext->as.id, NULL, w->a, &ev, &nev);

	w->skip_to_save = on;
	page_begin(w, arena_printf(w->a, "Chấm điểm đánh giá ngoài — %s", c->ext->u.name));
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/danh-gia-ngoai\">Đơn vị được phân công</a> · "
	               "<a href=\"/danh-gia-ngoai/%D/doi-chieu\">Đối chiếu</a></p>",
	       c->ext->as.id);
	if (c->ext->az.object.team_head)
		html_f(w->out, "<p class=\"no-print\"><a href=\"/danh-gia-ngoai/%D/thong-nhat\">Thống nhất kết quả của đoàn</a></p>", c->ext->as.id);
	html_f(w->out, "<section class=\"card summary\"><h1>%h</h1><p>Phiếu chấm của %h — %h — trạng thái: <strong>%h</strong></p>",
	       c->ext->u.name, w->account_name, c->ext->round.title, wf_state_label(c->ext->state));
	if (!on) html_f(w->out, "<p class=\"explain\">Chỉ chấm được khi hồ sơ đang ở trạng thái «%h».</p>", wf_state_label(WF_UNDER_EVALUATION));
	if (my) {
		html_f(w->out, "<table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Tự đánh giá</th><th class=\"num\">Điểm của tôi</th></tr></thead><tbody>");
		for (size_t g = 0; g < fw->ngroups; g++)
			html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q</td><td class=\"num\">%q</td></tr>", fw->groups[g].code, fw->groups[g].title,
			       c->self.score ? score_node(c->self.score, &fw->groups[g])->points : q_int(0), score_node(my, &fw->groups[g])->points);
		html_f(w->out, "</tbody></table>");
	}
	html_f(w->out, "</section>");
	if (errors) html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>Chưa lưu được một số chỉ tiêu:</p><pre>%h</pre></div>", errors);
	if (on) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia-ngoai/%D\" class=\"assess\">", c->ext->as.id);
		web_csrf_field(w);
	}
	for (size_t g = 0; g < fw->ngroups; g++) {
		html_f(w->out, "<section class=\"card group\"><h2>Nhóm %h. %h</h2><div class=\"table-wrap\"><table class=\"items labelled\"><thead><tr><th>Mã</th>"
		               "<th>Tiêu chí</th><th>Tự đánh giá</th><th>Điểm của tôi</th><th class=\"num\">Điểm</th></tr></thead><tbody>",
		       fw->groups[g].code, fw->groups[g].title);
		for (size_t i = 0; i < fw->nleaves; i++) {
			const fw_node *leaf = fw->leaves[i];
			if (leaf->group_index != g) continue;
			html_f(w->out, "<tr id=\"tc-%a\"><td>%h</td><td>%h</td><td data-label=\"Tự đánh giá\">%h<div class=\"explain\">", leaf->code,
			       leaf->code, leaf->title, office_answer_text(w, leaf, c->self.type, stored_value(&c->self, i)));
			points_note(w, c->self.score, leaf);
			html_f(w->out, "</div>");
			evidence_review_list(w, ev, nev, leaf->code, true);
			html_f(w->out, "</td><td data-label=\"Điểm của tôi\">");
			assess_item_control(w, c->ext, leaf, mine[i], on);
			const char *nf = arena_printf(w->a, "gc:%s", leaf->code);
			if (on) html_f(w->out, "<label class=\"small\">Ghi chú<textarea name=\"%a\" rows=\"1\">%h</textarea></label>", nf, notes[i]);
			else if (notes[i]) html_f(w->out, "<div class=\"explain\">%h</div>", notes[i]);
			html_f(w->out, "</td><td data-label=\"Điểm\" class=\"num\">");
			points_cell(w, my, leaf);
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table></div></section>");
	}
	if (on) {
		html_f(w->out, "<p class=\"sticky-save\"><button type=\"submit\" id=\"nut-luu\">Lưu phiếu chấm của tôi</button></p></form>"
		               "<form method=\"post\" action=\"/danh-gia-ngoai/%D\" class=\"no-print\">", c->ext->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"dien_san\" value=\"1\"><p class=\"explain\">Các chỉ tiêu chưa chấm có thể điền sẵn "
		               "theo kết quả tự đánh giá của đơn vị, rồi sửa những chỉ tiêu mà minh chứng không xác nhận.</p>"
		               "<button type=\"submit\" class=\"secondary\">Điền sẵn các chỉ tiêu chưa chấm theo kết quả tự đánh giá</button></form>");
	}
	page_end(w);
	score_free(my);
}

static void member_get(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	member_page(w, &c, NULL);
	eval_free(&c);
}

static void member_post(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	authz_decision why;
	if (!assess_allowed(w, c.ext, AUTHZ_EDIT_EXTERNAL_ANSWER, NULL, &why)) {
		eval_free(&c);
		web_error(w, assess_refusal_status(assess_refusal_of_authz(&why)), why.message);
		return;
	}
	buf errors;
	buf_init(&errors);
	if (web_in_given(w, "dien_san")) {
		/* the items this member has not scored start from the school's answers */
		member_score *ms = NULL;
		size_t nms = 0;
		member_scores(w->d, c.ext->as.id, w->a, &ms, &nms);
		for (size_t i = 0; i < c.ext->fw->nleaves; i++) {
			const fw_node *leaf = c.ext->fw->leaves[i];
			const char *self = stored_value(&c.self, i);
			bool scored = false;
			for (size_t k = 0; k < nms; k++)
				scored |= ms[k].account_id == w->account_id && strcmp(ms[k].item_code, leaf->code) == 0;
			if (scored || !self || leaf->rule->kind == RULE_DERIVED) continue;
			if (member_score_put(w->d, w->account_id, c.ext->as.id, leaf->code, self, NULL) != DB_OK)
				buf_printf(&errors, "%s: %s\n", leaf->code, db_errmsg(w->d));
		}
	}
	for (size_t i = 0; i < c.ext->fw->nleaves; i++) {
		const fw_node *leaf = c.ext->fw->leaves[i];
		bool present;
		const char *val = assess_item_from_form(w, c.ext, leaf, &present);
		if (!present) continue;
		buf e;
		buf_init(&e);
		answer parsed;
		if (val && !answers_parse_one(c.ext->fw, c.ext->type, leaf, val, w->a, &parsed, &e)) buf_puts(&errors, buf_str(&e));
		else if (member_score_put(w->d, w->account_id, c.ext->as.id, leaf->code, val,
		                          web_in_text(w, arena_printf(w->a, "gc:%s", leaf->code))) != DB_OK)
			buf_printf(&errors, "%s: %s\n", leaf->code, db_errmsg(w->d));
		buf_free(&e);
	}
	if (errors.len) {
		w->r->status = 422;
		member_page(w, &c, arena_strdup(w->a, buf_str(&errors)));
	} else {
		web_redirect_notice(w, arena_printf(w->a, "/danh-gia-ngoai/%lld", (long long)c.ext->as.id), "da-luu");
	}
	buf_free(&errors);
	eval_free(&c);
}

/* ---- the team's reconciled score ------------------------------------------------------------- */

/* The head of the team for this unit (or a system administrator) writes
 * the team's score; every member and the office may read it. */
static bool may_reconcile(web *w, eval_ctx *c)
{
	return assess_may_reconcile(w, c->ext);
}

/* The members assigned to this unit. */
static size_t crew_of(web *w, const eval_ctx *c, evaluator_unit **out)
{
	evaluator_unit *crew = NULL;
	size_t nt = 0, k = 0;
	office_assignments(w->d, c->ext->round.id, 0, w->a, &crew, &nt);
	for (size_t i = 0; i < nt; i++)
		if (crew[i].unit_id == c->ext->u.id) crew[k++] = crew[i];
	*out = crew;
	return k;
}

/* A member's score of one item, NULL when none. */
static const char *member_value(const member_score *ms, size_t nms, int64_t account_id, const char *code)
{
	for (size_t s = 0; s < nms; s++)
		if (ms[s].account_id == account_id && strcmp(ms[s].item_code, code) == 0) return ms[s].value_json;
	return NULL;
}

/* The score every member of the crew gave the item, when each scored it
 * and all agree; NULL otherwise (a member who scored nothing is not an
 * agreement). */
static const char *crew_agreed(const evaluator_unit *crew, size_t nt, const member_score *ms, size_t nms,
                               const char *code)
{
	const char *agreed = NULL;
	for (size_t m = 0; m < nt; m++) {
		const char *val = member_value(ms, nms, crew[m].account_id, code);
		if (!val || (agreed && strcmp(val, agreed) != 0)) return NULL;
		agreed = val;
	}
	return agreed;
}

/* Finishing refused for unexplained differences: which items, each a link
 * to its reason. */
static void unexplained_alert(web *w, const eval_ctx *c)
{
	html_f(w->out, "<div class=\"error-msg\" role=\"alert\" id=\"thieu-ly-do\"><p>Chưa thể hoàn thành đánh giá ngoài: còn %d chỉ tiêu có điểm "
	               "khác kết quả tự đánh giá nhưng chưa ghi lý do. Hãy ghi lý do ở các chỉ tiêu được tô đỏ dưới đây, lưu, rồi hoàn thành:</p><ul>",
	       unexplained(c));
	for (size_t i = 0; i < c->ext->fw->nleaves; i++) {
		const fw_node *leaf = c->ext->fw->leaves[i];
		if (leaf_differs(c, leaf) && !leaf_explained(c, leaf))
			html_f(w->out, "<li><a href=\"#ly-do-%a\">%h %h</a></li>", leaf->code, leaf->code, leaf->title);
	}
	html_f(w->out, "</ul></div>");
}

static void reconcile_page(web *w, eval_ctx *c, const char *errors, bool finish_refused)
{
	const framework *fw = c->ext->fw;
	bool on = may_reconcile(w, c);
	evaluator_unit *crew = NULL;
	size_t nt = crew_of(w, c, &crew);
	member_score *ms = NULL;
	size_t nms = 0;
	member_scores(w->d, c->ext->as.id, w->a, &ms, &nms);
	bool focus_pending = finish_refused && on;

	w->skip_to_save = on;
	page_begin(w, arena_printf(w->a, "Thống nhất kết quả — %s", c->ext->u.name));
	html_f(w->out, "<p class=\"crumbs no-print\"><a href=\"/danh-gia-ngoai/%D/doi-chieu\">Đối chiếu</a> · <a href=\"/danh-gia-ngoai/%D\">Phiếu chấm của tôi</a></p>"
	               "<section class=\"card summary\"><h1>Kết quả thống nhất của đoàn</h1><p><strong>%h</strong> — %h — trạng thái: %h</p>"
	               "<p class=\"explain\">Điểm của đoàn khác kết quả tự đánh giá ở chỉ tiêu nào thì phải ghi lý do ở chỉ tiêu đó.</p></section>",
	       c->ext->as.id, c->ext->as.id, c->ext->u.name, c->ext->round.title, wf_state_label(c->ext->state));
	if (errors) html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>Chưa lưu được một số chỉ tiêu:</p><pre>%h</pre></div>", errors);
	if (finish_refused) unexplained_alert(w, c);
	eval_actions(w, c);
	if (on) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia-ngoai/%D/thong-nhat\" class=\"assess\">", c->ext->as.id);
		web_csrf_field(w);
	}
	for (size_t g = 0; g < fw->ngroups; g++) {
		html_f(w->out, "<section class=\"card group\"><h2>Nhóm %h. %h</h2><div class=\"table-wrap\"><table class=\"items labelled\"><thead><tr><th>Mã</th>"
		               "<th>Tiêu chí</th><th>Tự đánh giá</th>", fw->groups[g].code, fw->groups[g].title);
		for (size_t m = 0; m < nt; m++) html_f(w->out, "<th>%h</th>", crew[m].member_name);
		html_f(w->out, "<th>Kết quả của đoàn</th><th class=\"num\">Điểm</th></tr></thead><tbody>");
		for (size_t i = 0; i < fw->nleaves; i++) {
			const fw_node *leaf = fw->leaves[i];
			if (leaf->group_index != g) continue;
			bool differs = leaf_differs(c, leaf);
			html_f(w->out, "<tr id=\"tc-%a\" class=\"%h\"><td>%h</td><td>%h</td><td data-label=\"Tự đánh giá\">%h<div class=\"explain\">",
			       leaf->code, differs ? (leaf_explained(c, leaf) ? "differs" : "differs unexplained") : "", leaf->code, leaf->title,
			       office_answer_text(w, leaf, c->self.type, stored_value(&c->self, i)));
			points_note(w, c->self.score, leaf);
			html_f(w->out, "</div></td>");
			/* each member's score; when every member scored it alike, it is the proposal */
			const char *seen = NULL;
			bool disagree = false;
			for (size_t m = 0; m < nt; m++) {
				const char *val = member_value(ms, nms, crew[m].account_id, leaf->code);
				if (val && seen && strcmp(val, seen) != 0) disagree = true;
				if (val && !seen) seen = val;
				html_f(w->out, "<td data-label=\"%a\">%h</td>", crew[m].member_name, val ? office_answer_text(w, leaf, c->ext->type, val) : "—");
			}
			const char *team_val = stored_value(c->ext, i);
			if (!team_val && !c->ext->stored[i]) team_val = crew_agreed(crew, nt, ms, nms, leaf->code);
			html_f(w->out, "<td data-label=\"Kết quả của đoàn\">");
			if (on) {
				assess_item_control(w, c->ext, leaf, team_val, true);
				const char *rn = arena_printf(w->a, "ly_do:%s", leaf->code);
				const assessment_answer *st = c->ext->stored[i];
				bool has_reason = st && st->reason && *st->reason;
				/* folded away where nothing differs: open where a reason is
				 * needed or already given */
				bool missing = differs && !has_reason;
				html_f(w->out, "<details class=\"reason\"%h><summary>Lý do khác biệt so với tự đánh giá%h</summary>"
				               "<textarea name=\"%a\" id=\"ly-do-%a\" rows=\"2\" aria-label=\"Lý do khác biệt ở %a\"%h%h>%h</textarea></details>",
				       differs || has_reason ? " open" : "", differs ? " (bắt buộc)" : "", rn, leaf->code, leaf->code,
				       missing && finish_refused ? " aria-invalid=\"true\"" : "", missing && focus_pending ? " autofocus" : "",
				       has_reason ? st->reason : "");
				if (missing) focus_pending = false;
			} else {
				html_f(w->out, "%h", office_answer_text(w, leaf, c->ext->type, team_val));
				if (c->ext->stored[i] && c->ext->stored[i]->reason) html_f(w->out, "<div class=\"explain\">Lý do: %h</div>", c->ext->stored[i]->reason);
			}
			if (disagree) html_f(w->out, "<div class=\"warn\">Các thành viên chấm khác nhau.</div>");
			if (differs && !leaf_explained(c, leaf)) html_f(w->out, "<div class=\"warn\">Khác tự đánh giá: cần ghi lý do.</div>");
			html_f(w->out, "</td><td data-label=\"Điểm\" class=\"num\">");
			points_cell(w, c->ext->score, leaf);
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table></div></section>");
	}
	if (on) {
		html_f(w->out, "<p class=\"sticky-save\"><button type=\"submit\" id=\"nut-luu\">Lưu kết quả của đoàn</button></p></form>"
		               "<form method=\"post\" action=\"/danh-gia-ngoai/%D/thong-nhat\" class=\"no-print\">", c->ext->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"dien_san\" value=\"1\"><button type=\"submit\" class=\"secondary\">"
		               "Ghi nhận điểm các thành viên chấm giống nhau ở những chỉ tiêu đoàn chưa thống nhất</button></form>");
	}
	page_end(w);
}

static void reconcile_get(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	reconcile_page(w, &c, NULL, false);
	eval_free(&c);
}

static void reconcile_post(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	if (!may_reconcile(w, &c)) {
		const char *why;
		int status = assess_reconcile_refusal(w, c.ext, &why);
		eval_free(&c);
		web_error(w, status, why);
		return;
	}
	buf errors;
	buf_init(&errors);
	if (web_in_given(w, "dien_san")) {
		/* where the team has no score yet and every member of the crew
		 * scored the item alike, that is the team's score; an item some
		 * member left unscored stays open; a difference from the
		 * self-assessment still needs its reason */
		member_score *ms = NULL;
		size_t nms = 0;
		member_scores(w->d, c.ext->as.id, w->a, &ms, &nms);
		evaluator_unit *crew = NULL;
		size_t nt = crew_of(w, &c, &crew);
		for (size_t i = 0; i < c.ext->fw->nleaves; i++) {
			const fw_node *leaf = c.ext->fw->leaves[i];
			if (c.ext->stored[i]) continue;
			const char *agreed = crew_agreed(crew, nt, ms, nms, leaf->code);
			if (!agreed) continue;
			if (assessment_answer_put(w->d, w->account_id, c.ext->as.id, leaf->code, ANSWER_EXTERNAL, agreed, NULL, NULL, NULL) != DB_OK)
				buf_printf(&errors, "%s: %s\n", leaf->code, db_errmsg(w->d));
		}
	}
	for (size_t i = 0; i < c.ext->fw->nleaves; i++) {
		const fw_node *leaf = c.ext->fw->leaves[i];
		bool present;
		const char *val = assess_item_from_form(w, c.ext, leaf, &present);
		if (!present) continue;
		assess_external_put(w, c.ext, leaf, val, web_in_text(w, arena_printf(w->a, "ly_do:%s", leaf->code)), &errors);
	}
	int64_t id = c.ext->as.id;
	if (errors.len) {
		eval_free(&c);
		/* the team's side read again: what was saved before the error */
		assess_view fresh;
		eval_ctx nc;
		if (assess_view_load(w, id, ANSWER_EXTERNAL, AUTHZ_EVALUATE, &fresh)) {
			if (eval_load(w, &nc, &fresh)) {
				w->r->status = 422;
				reconcile_page(w, &nc, buf_str(&errors), false);
				eval_free(&nc);
			}
			assess_view_free(&fresh);
		}
		buf_free(&errors);
		return;
	}
	buf_free(&errors);
	eval_free(&c);
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia-ngoai/%lld/thong-nhat", (long long)id), "da-luu");
}

/* ---- the evaluation's workflow steps ---------------------------------------------------------- */

static void eval_transition(web *w)
{
	eval_ctx c;
	if (!eval_load(w, &c, w->view)) return;
	wf_action a = wf_action_parse(web_in_text(w, "action"));
	if (a != WF_START_EVALUATION && a != WF_FINISH_EVALUATION && a != WF_REOPEN_EVALUATION) {
		eval_free(&c);
		web_error(w, 400, "Thao tác không hợp lệ.");
		return;
	}
	authz_ctx az;
	assess_target t;
	assess_target_of(w, c.ext, &az, &t);
	eval_wf_input(w, &c, &t.facts);
	/* unexplained differences: back to the team's form, those items
	 * marked and the first one's reason focused (issue 16, item 7) */
	if (a == WF_FINISH_EVALUATION && t.facts.differences_unexplained && t.facts.state == WF_UNDER_EVALUATION &&
	    may_reconcile(w, &c)) {
		w->r->status = 422;
		reconcile_page(w, &c, NULL, true);
		eval_free(&c);
		return;
	}
	/* finishing fixes the level the team's reconciled answers give */
	assess_request rq = { .action = a, .account_id = w->account_id };
	wf_result res;
	assess_refusal r = assess_act(w->d, &rq, &t, 1, &res);
	int64_t id = c.ext->as.id;
	eval_free(&c);
	if (r != ASSESS_OK) { web_error(w, assess_refusal_status(r), arena_strdup(w->a, res.message)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia-ngoai/%lld/doi-chieu", (long long)id), "da-chuyen");
}

/* ---- the routes' inputs ------------------------------------------------------------------- */

static const web_input team_form_inputs[] = {
	{ .name = "so", .type = WEB_IN_TEXT, .max = 100, .label = "số quyết định" },
	{ .name = "ngay", .type = WEB_IN_DATE, .label = "ngày quyết định" },
	{ .name = "nguoi_ky", .type = WEB_IN_TEXT, .max = 200, .label = "người ký" },
	{ .name = NULL },
};
static const web_input team_member_inputs[] = {
	{ .name = "tai_khoan", .type = WEB_IN_TEXT, .max = 100, .label = "tên đăng nhập" },
	{ .name = "vi_tri", .type = WEB_IN_TEXT, .max = 32, .label = "vị trí trong đoàn" },
	{ .name = NULL },
};
static const web_input team_remove_inputs[] = {
	{ .name = "thanh_vien", .type = WEB_IN_ID, .label = "thành viên" },
	{ .name = NULL },
};
static const char *const confirmed[] = { "1", NULL };
static const web_input assign_inputs[] = {
	{ .name = "ho_so", .type = WEB_IN_ID, .label = "hồ sơ" },
	{ .name = "thanh_vien", .type = WEB_IN_ID, .label = "thành viên" },
	{ .name = "xac_nhan", .type = WEB_IN_ENUM, .values = confirmed, .label = "xác nhận" },
	{ .name = NULL },
};
/* a member's scores: the items, a note per item, "start from the school's answers" */
static const web_input member_inputs[] = {
	ASSESS_ITEM_INPUTS,
	{ .name = "gc:", .type = WEB_IN_TEXT, .prefix = true, .max = 4000, .label = "ghi chú" },
	{ .name = "dien_san", .type = WEB_IN_ENUM, .values = confirmed, .label = "điền sẵn" },
	{ .name = NULL },
};
/* the team's score: the items, the reason of a difference, "take what the crew agreed" */
static const web_input reconcile_inputs[] = {
	ASSESS_ITEM_INPUTS,
	{ .name = "ly_do:", .type = WEB_IN_TEXT, .prefix = true, .max = 4000, .label = "lý do" },
	{ .name = "dien_san", .type = WEB_IN_ENUM, .values = confirmed, .label = "điền sẵn" },
	{ .name = NULL },
};
static const web_input eval_transition_inputs[] = {
	{ .name = "action", .type = WEB_IN_TEXT, .max = 64, .label = "thao tác" },
	{ .name = NULL },
};

const web_route page_eval_routes[] = {
	{ "GET", "/dot/{id}/doan", team_get_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "POST", "/dot/{id}/doan", team_form_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = team_form_inputs },
	{ "POST", "/dot/{id}/doan/thanh-vien", team_member_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = team_member_inputs },
	{ "POST", "/dot/{id}/doan/xoa-thanh-vien", team_remove_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = team_remove_inputs },
	{ "POST", "/dot/{id}/doan/phan-cong", assign_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = assign_inputs },
	{ "POST", "/dot/{id}/doan/bo-phan-cong", unassign_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = assign_inputs },
	/* the evaluator's own list: its query is scoped to the account */
	{ "GET", "/danh-gia-ngoai", my_units, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ "GET", "/danh-gia-ngoai/{id}", member_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE },
	{ "POST", "/danh-gia-ngoai/{id}", member_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE,
	  .inputs = member_inputs },
	{ "GET", "/danh-gia-ngoai/{id}/thong-nhat", reconcile_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE },
	{ "POST", "/danh-gia-ngoai/{id}/thong-nhat", reconcile_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_EVALUATE,
	  .inputs = reconcile_inputs },
	{ "GET", "/danh-gia-ngoai/{id}/doi-chieu", compare_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_VIEW,
	  .any_of = WEB_ACTION(AUTHZ_REVIEW) | WEB_ACTION(AUTHZ_EVALUATE),
	  .refusal = "Chỉ cơ quan đánh giá và đoàn đánh giá ngoài xem được bảng đối chiếu này." },
	{ "POST", "/danh-gia-ngoai/{id}/chuyen", eval_transition, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_VIEW,
	  .inputs = eval_transition_inputs },
	{ NULL, NULL, NULL, 0 },
};
