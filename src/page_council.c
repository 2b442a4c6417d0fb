/* page_council.c — the self-assessment council of one assessment: the
 * decision that forms it, its members and their posts (chủ tịch, phó chủ
 * tịch, thư ký, ủy viên), the items each member scores, and the plan's
 * task table with owner, deadline and status (seed 002).
 *
 * Who may do what is authz's call: forming the council, adding members,
 * assigning items and adding tasks need AUTHZ_MANAGE_COUNCIL (the
 * principal, while the council is editable); a member without an account
 * at the school gets one only when the principal may grant council
 * membership (AUTHZ_MANAGE_ACCOUNTS). A task's status may be changed by
 * its owner and participants as well as by the principal and the
 * secretary. Every id in a URL or a form is checked to belong to this
 * assessment's council before it is used. */
#include "q_account.h"
#include "q_council.h"
#include "q_school.h"
#include "util.h"
#include "vn.h"
#include "web_school.h"
#include <stdlib.h>
#include <string.h>

static const char *const task_states[][2] = {
	{ "todo", "Chưa thực hiện" },
	{ "doing", "Đang thực hiện" },
	{ "done", "Đã hoàn thành" },
};

static const char *task_state_label(const char *code)
{
	for (size_t i = 0; i < ARRAY_LEN(task_states); i++)
		if (code && !strcmp(code, task_states[i][0])) return task_states[i][1];
	return "";
}

/* The council and its members, loaded once per request. */
typedef struct council_data {
	bool formed;
	council c;
	council_member *m;
	size_t nm;
	council_task *t;
	size_t nt;
} council_data;

static int member_cmp(const void *a, const void *b)
{
	const council_member *x = a, *y = b;
	if (x->post != y->post) return x->post < y->post ? -1 : 1;
	return school_name_cmp(x->full_name, y->full_name);
}

static void council_load(web *w, assess_view *v, council_data *cd)
{
	memset(cd, 0, sizeof *cd);
	cd->formed = council_get(w->d, v->as.id, w->a, &cd->c) == DB_OK;
	if (cd->formed && council_members(w->d, cd->c.id, w->a, &cd->m, &cd->nm) == DB_OK && cd->nm)
		sort_list(cd->m, cd->nm, sizeof *cd->m, member_cmp);
	council_tasks(w->d, v->as.id, w->a, &cd->t, &cd->nt);
}

static const council_member *member_by_id(const council_data *cd, int64_t id)
{
	for (size_t i = 0; i < cd->nm; i++)
		if (cd->m[i].id == id) return &cd->m[i];
	return NULL;
}

static const council_member *member_of_account(const council_data *cd, int64_t account_id)
{
	for (size_t i = 0; i < cd->nm && account_id; i++)
		if (cd->m[i].account_id == account_id) return &cd->m[i];
	return NULL;
}

static bool member_has_item(const council_member *m, const char *code)
{
	for (size_t i = 0; i < m->nitems; i++)
		if (!strcmp(m->items[i], code)) return true;
	return false;
}

static bool may_manage(web *w, assess_view *v, authz_decision *why)
{
	return assess_allowed(w, v, AUTHZ_MANAGE_COUNCIL, NULL, why);
}

/* Status of a task: its owner and participants report progress; so do the
 * principal and the secretary, who keep the table. */
static bool may_set_status(web *w, assess_view *v, const council_data *cd, const council_task *t)
{
	wf_input in;
	assess_wf_input(w, v, &in);
	if (in.actor & (WF_BY_SYSTEM_ADMIN | WF_BY_PRINCIPAL | WF_BY_COUNCIL_SECRETARY)) return true;
	const council_member *me = member_of_account(cd, w->account_id);
	if (!me || !(in.actor & WF_BY_COUNCIL_MEMBER)) return false;
	if (t->owner_member_id == me->id) return true;
	for (size_t i = 0; i < t->nmembers; i++)
		if (t->member_ids[i] == me->id) return true;
	return false;
}

/* A refusal from authz as an HTTP status (assess.c's one mapping). */
static int refusal_status(const authz_decision *why)
{
	return assess_refusal_status(assess_refusal_of_authz(why));
}

/* ---- the council page ---------------------------------------------------------- */

static void post_select(web *w, const char *name, council_post cur)
{
	html_f(w->out, "<select name=\"%a\">", name);
	for (int p = COUNCIL_CHU_TICH; p <= COUNCIL_UY_VIEN; p++)
		html_f(w->out, "<option value=\"%a\"%h>%h</option>", council_post_code((council_post)p),
		       p == (int)cur ? " selected" : "", council_post_label((council_post)p));
	html_f(w->out, "</select>");
}

static const char *sticky(web *w, const char *name)
{
	const char *s = web_in_text(w, name);   /* what a failed POST carried (its inputs) */
	return s ? s : "";
}

static void section_decision(web *w, assess_view *v, const council_data *cd, bool manage)
{
	html_f(w->out, "<section class=\"card\"><h2>Quyết định thành lập</h2>");
	if (cd->formed) {
		html_f(w->out, "<p>%h", strcmp(cd->c.kind, "to_cong_tac") ? "Hội đồng tự đánh giá" : "Tổ công tác tự đánh giá");
		if (cd->c.decision_number) html_f(w->out, " — Quyết định số %h", cd->c.decision_number);
		if (cd->c.decision_date) html_f(w->out, " %h", web_date_long(w, cd->c.decision_date));
		html_f(w->out, ".</p>");
	} else {
		html_f(w->out, "<p>Đơn vị chưa thành lập hội đồng (hoặc tổ công tác) tự đánh giá. Hội đồng cần có "
		               "trước khi tổng hợp kết quả.</p>");
	}
	if (manage) {
		html_f(w->out, "<details%h><summary>%h</summary><form method=\"post\" action=\"/danh-gia/%D/hoi-dong\" class=\"stack\">",
		       cd->formed ? "" : " open", cd->formed ? "Sửa thông tin quyết định" : "Thành lập hội đồng", v->as.id);
		web_csrf_field(w);
		bool tct = cd->formed && !strcmp(cd->c.kind, "to_cong_tac");
		html_f(w->out, "<label>Hình thức<select name=\"kind\"><option value=\"hoi_dong\"%h>Hội đồng tự đánh giá</option>"
		               "<option value=\"to_cong_tac\"%h>Tổ công tác tự đánh giá</option></select></label>"
		               "<label>Số quyết định<input name=\"decision_number\" value=\"%a\" placeholder=\"15/QĐ-THCS\"></label>"
		               "<label>Ngày quyết định<input type=\"date\" name=\"decision_date\" value=\"%a\"></label>"
		               "<p><button type=\"submit\">%h</button></p></form></details>",
		       tct ? "" : " selected", tct ? " selected" : "",
		       cd->formed && cd->c.decision_number ? cd->c.decision_number : sticky(w, "decision_number"),
		       cd->formed && cd->c.decision_date ? cd->c.decision_date : sticky(w, "decision_date"),
		       cd->formed ? "Lưu" : "Thành lập");
	}
	html_f(w->out, "</section>");
}

static int account_cmp(const void *a, const void *b)
{
	return school_name_cmp(((const school_account *)a)->full_name, ((const school_account *)b)->full_name);
}

static void add_member_forms(web *w, assess_view *v, const council_data *cd)
{
	school_account *acc = NULL;
	size_t n = 0, free_n = 0;
	school_accounts(w->d, v->u.id, w->a, &acc, &n);
	sort_list(acc, n, sizeof *acc, account_cmp);
	for (size_t i = 0; i < n; i++)
		if (acc[i].active && !member_of_account(cd, acc[i].id)) free_n++;
	html_f(w->out, "<div class=\"add-forms\">");
	if (free_n) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/hoi-dong/thanh-vien\" class=\"stack\">"
		               "<h3>Thêm người đã có tài khoản</h3>", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"mode\" value=\"account\"><label>Tài khoản<select name=\"account_id\">");
		for (size_t i = 0; i < n; i++)
			if (acc[i].active && !member_of_account(cd, acc[i].id))
				html_f(w->out, "<option value=\"%D\">%h (%h)</option>", acc[i].id, acc[i].full_name, acc[i].login);
		html_f(w->out, "</select></label><label>Chức vụ<input name=\"job_title\" placeholder=\"Phó Hiệu trưởng\"></label>"
		               "<label>Chức danh trong hội đồng");
		post_select(w, "post", COUNCIL_UY_VIEN);
		html_f(w->out, "</label><p><button type=\"submit\">Thêm vào hội đồng</button></p></form>");
	}
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/hoi-dong/thanh-vien\" class=\"stack\">"
	               "<h3>Thêm giáo viên, nhân viên mới</h3>", v->as.id);
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"mode\" value=\"new\">"
	               "<label>Họ và tên<input name=\"full_name\" required value=\"%a\" autocomplete=\"off\"></label>"
	               "<label>Chức vụ<input name=\"new_job_title\" value=\"%a\" placeholder=\"Giáo viên Tin học\"></label>"
	               "<label>Chức danh trong hội đồng",
	       sticky(w, "full_name"), sticky(w, "new_job_title"));
	council_post p = council_post_parse(web_in_text(w, "new_post"));
	post_select(w, "new_post", p == COUNCIL_POST_INVALID ? COUNCIL_UY_VIEN : p);
	html_f(w->out, "</label><fieldset class=\"small\"><legend>Tài khoản để tự chấm các chỉ tiêu được phân công</legend>"
	               "<label>Tên đăng nhập<input name=\"login\" value=\"%a\" autocomplete=\"off\" autocapitalize=\"none\" "
	               "placeholder=\"gv.yen\"></label>"
	               "<label>Mật khẩu ban đầu (ít nhất 8 ký tự)<input name=\"password\" type=\"password\" minlength=\"8\" "
	               "autocomplete=\"new-password\"></label>"
	               "<p class=\"explain\">Để trống nếu người này không cần đăng nhập. Hãy báo mật khẩu ban đầu cho người "
	               "được thêm và đề nghị họ đổi mật khẩu ngay lần đăng nhập đầu tiên.</p></fieldset>"
	               "<p><button type=\"submit\">Thêm vào hội đồng</button></p></form></div>",
	       sticky(w, "login"));
}

static void section_members(web *w, assess_view *v, const council_data *cd, bool manage)
{
	html_f(w->out, "<section class=\"card\" id=\"thanh-vien\"><h2>Thành viên và phân công chỉ tiêu</h2>");
	if (!cd->formed) {
		html_f(w->out, "<p>Thành lập hội đồng trước, rồi thêm thành viên.</p></section>");
		return;
	}
	if (!cd->nm) html_f(w->out, "<p>Hội đồng chưa có thành viên.</p>");
	else {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"members cards\"><thead><tr><th>TT</th><th>Họ và tên</th>"
		               "<th>Chức vụ</th><th>Chức danh</th><th>Chỉ tiêu phụ trách</th>");
		if (manage) html_f(w->out, "<th class=\"no-print\">Thao tác</th>");
		html_f(w->out, "</tr></thead><tbody>");
		for (size_t i = 0; i < cd->nm; i++) {
			const council_member *m = &cd->m[i];
			bool me = m->account_id && m->account_id == w->account_id;
			html_f(w->out, "<tr%h><td class=\"seq\">%z</td><td class=\"name\">%h%h%h</td><td data-label=\"Chức vụ\">%h</td>"
			               "<td data-label=\"Chức danh trong hội đồng\">%h</td><td data-label=\"Chỉ tiêu phụ trách\">",
			       me ? " class=\"mine\"" : "",
			       i + 1, m->full_name, me ? " (bạn)" : "", m->account_id ? "" : " — không có tài khoản",
			       m->job_title ? m->job_title : "", council_post_label(m->post));
			if (!m->nitems) html_f(w->out, "—");
			for (size_t k = 0; k < m->nitems; k++)
				html_f(w->out, "%h<a href=\"/danh-gia/%D#tc-%a\">%h</a>", k ? ", " : "", v->as.id, m->items[k], m->items[k]);
			html_f(w->out, "</td>");
			if (manage) {
				html_f(w->out, "<td class=\"no-print actions-cell\">");
				if (m->account_id)
					html_f(w->out, "<a href=\"/danh-gia/%D/hoi-dong/thanh-vien/%D\">Phân công chỉ tiêu</a> ", v->as.id, m->id);
				html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/hoi-dong/thanh-vien/%D/xoa\" class=\"inline\">",
				       v->as.id, m->id);
				web_csrf_field(w);
				html_f(w->out, "<button type=\"submit\" class=\"link\" data-confirm=\"Xóa %a khỏi hội đồng?\">Xóa</button>"
				               "</form></td>", m->full_name);
			}
			html_f(w->out, "</tr>");
		}
		html_f(w->out, "</tbody></table></div>");
		/* Items nobody scores yet: the gap the principal must close. */
		size_t gaps = 0;
		for (size_t l = 0; l < v->fw->nleaves; l++) {
			const fw_node *leaf = v->fw->leaves[l];
			bool any = false;
			for (size_t i = 0; i < cd->nm && !any; i++) any = member_has_item(&cd->m[i], leaf->code);
			if (any) continue;
			if (!gaps++) html_f(w->out, "<p class=\"gaps\">Chỉ tiêu chưa phân công cho ai:");
			html_f(w->out, " <a href=\"/danh-gia/%D#tc-%a\">%h</a>", v->as.id, leaf->code, leaf->code);
		}
		if (gaps) html_f(w->out, " (%z chỉ tiêu). Thủ trưởng đơn vị vẫn tự chấm được mọi chỉ tiêu.</p>", gaps);
		else html_f(w->out, "<p class=\"explain\">Mọi chỉ tiêu đã được phân công.</p>");
	}
	if (manage) add_member_forms(w, v, cd);
	html_f(w->out, "</section>");
}

static void member_names(web *w, const council_data *cd, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const council_member *m = member_by_id(cd, ids[i]);
		if (m) html_f(w->out, "%h%h", i ? ", " : "", m->full_name);
	}
}

static void section_tasks(web *w, assess_view *v, const council_data *cd, bool manage)
{
	html_f(w->out, "<section class=\"card\" id=\"nhiem-vu\"><h2>Kế hoạch: nhiệm vụ cụ thể</h2>");
	if (!cd->nt) html_f(w->out, "<p>Chưa có nhiệm vụ nào.</p>");
	else {
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"tasks cards\"><thead><tr><th>TT</th><th>Nội dung nhiệm vụ cụ thể</th>"
		               "<th>Thời gian hoàn thành</th><th>Người chủ trì</th><th>Người thực hiện</th><th>Trạng thái</th>"
		               "</tr></thead><tbody>");
		for (size_t i = 0; i < cd->nt; i++) {
			const council_task *t = &cd->t[i];
			const council_member *owner = member_by_id(cd, t->owner_member_id);
			bool done = !strcmp(t->status, "done");
			html_f(w->out, "<tr class=\"task-%a\"><td class=\"seq\">%d</td><td class=\"name\">%h", t->status, t->seq, t->title);
			if (t->note) html_f(w->out, "<div class=\"explain\">%h</div>", t->note);
			html_f(w->out, "</td><td data-label=\"Thời gian hoàn thành\">");
			if (t->due_label) html_f(w->out, "%h", t->due_label);
			if (t->due && t->due_label) html_f(w->out, "<br>");
			if (t->due) html_f(w->out, "%h", web_date_short(w, t->due));
			if (!t->due && !t->due_label) html_f(w->out, "—");
			if (t->due && !done) {
				html_f(w->out, " ");
				school_days_left(w, t->due);
			}
			html_f(w->out, "</td><td data-label=\"Người chủ trì\">%h</td><td data-label=\"Người thực hiện\">",
			       owner ? owner->full_name : "—");
			member_names(w, cd, t->member_ids, t->nmembers);
			html_f(w->out, "</td><td data-label=\"Trạng thái\">");
			if (may_set_status(w, v, cd, t)) {
				html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/nhiem-vu/%D\" class=\"status\">", v->as.id, t->id);
				web_csrf_field(w);
				html_f(w->out, "<select name=\"status\" aria-label=\"Trạng thái nhiệm vụ %d\">", t->seq);
				for (size_t k = 0; k < ARRAY_LEN(task_states); k++)
					html_f(w->out, "<option value=\"%a\"%h>%h</option>", task_states[k][0],
					       !strcmp(t->status, task_states[k][0]) ? " selected" : "", task_states[k][1]);
				html_f(w->out, "</select> <button type=\"submit\" class=\"secondary\">Lưu</button></form>");
			} else {
				html_f(w->out, "%h", task_state_label(t->status));
			}
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table></div>");
	}
	if (manage) {
		html_f(w->out, "<details%h><summary>Thêm nhiệm vụ</summary><form method=\"post\" action=\"/danh-gia/%D/nhiem-vu\" class=\"stack\">",
		       web_in_given(w, "title") ? " open" : "", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Nội dung nhiệm vụ<textarea name=\"title\" rows=\"2\" required>%h</textarea></label>"
		               "<div class=\"row\"><label>Hạn hoàn thành<input type=\"date\" name=\"due\" value=\"%a\"></label>"
		               "<label>Ghi thời gian như trong kế hoạch<input name=\"due_label\" value=\"%a\" placeholder=\"Tháng 02/2025\"></label></div>"
		               "<label>Người chủ trì<select name=\"owner\"><option value=\"\">— chưa chọn —</option>",
		       sticky(w, "title"), sticky(w, "due"), sticky(w, "due_label"));
		for (size_t i = 0; i < cd->nm; i++)
			html_f(w->out, "<option value=\"%D\">%h — %h</option>", cd->m[i].id, cd->m[i].full_name, council_post_label(cd->m[i].post));
		html_f(w->out, "</select></label>");
		if (cd->nm) {
			html_f(w->out, "<fieldset class=\"small\"><legend>Người thực hiện</legend>");
			for (size_t i = 0; i < cd->nm; i++)
				html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"members\" value=\"%D\"> %h</label>",
				       cd->m[i].id, cd->m[i].full_name);
			html_f(w->out, "</fieldset>");
		}
		html_f(w->out, "<label>Ghi chú<input name=\"note\" value=\"%a\"></label>"
		               "<p><button type=\"submit\">Thêm nhiệm vụ</button></p></form></details>", sticky(w, "note"));
	}
	html_f(w->out, "</section>");
}

static void render_council(web *w, assess_view *v, const char *error)
{
	council_data cd;
	council_load(w, v, &cd);
	authz_decision why;
	bool manage = may_manage(w, v, &why);
	page_begin(w, arena_printf(w->a, "Hội đồng tự đánh giá — %s", v->u.name));
	html_f(w->out, "<section class=\"card summary\"><h1>Hội đồng tự đánh giá</h1><p>%h — %h — trạng thái: <strong>%h</strong></p></section>",
	       v->u.name, v->round.title, wf_state_label(v->state));
	school_tabs(w, v, "hoi-dong");
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	if (!manage && why.reason == AUTHZ_DENIED_STATE)
		html_f(w->out, "<p class=\"notice-info\">Hồ sơ đang ở trạng thái «%h»: hội đồng và phân công chỉ sửa được khi hồ sơ "
		               "chưa bắt đầu, đang là bản nháp hoặc bị trả lại để bổ sung.</p>", wf_state_label(v->state));
	const council_member *me = member_of_account(&cd, w->account_id);
	if (me && !manage)
		html_f(w->out, "<p class=\"notice-info\">Bạn là %h hội đồng. Bạn tự đánh giá và bổ sung minh chứng cho các chỉ "
		               "tiêu được phân công (%z chỉ tiêu), và cập nhật trạng thái các nhiệm vụ của mình.</p>",
		       council_post_label(me->post), me->nitems);
	section_decision(w, v, &cd, manage);
	section_members(w, v, &cd, manage);
	section_tasks(w, v, &cd, manage);
	page_end(w);
}

static void council_page(web *w)
{
	assess_view *v = w->view;
	render_council(w, v, NULL);
}

/* Re-renders the page with the store's message (422) after a refused form,
 * keeping what was typed (the forms read their fields back). */
static void form_error(web *w, assess_view *v, const char *msg)
{
	w->r->status = 422;
	render_council(w, v, msg);
}

/* Checks AUTHZ_MANAGE_COUNCIL on the route's view; renders the refusal. */
static bool may_change(web *w, assess_view *v)
{
	authz_decision why;
	if (may_manage(w, v, &why)) return true;
	web_error(w, refusal_status(&why), why.reason == AUTHZ_DENIED_STATE
		? "Hồ sơ đã khóa: hội đồng chỉ sửa được khi hồ sơ chưa bắt đầu, đang là bản nháp hoặc bị trả lại để bổ sung."
		: why.message);
	return false;
}

static void done(web *w, assess_view *v, const char *anchor)
{
	http_redirect(w->r, arena_printf(w->a, "/danh-gia/%lld/hoi-dong?tb=da-luu%s", (long long)v->as.id, anchor));
}

static void council_form_post(web *w)
{
	assess_view *v = w->view;
	if (!may_change(w, v)) return;
	bool bad = false;
	const char *date = school_form_date(w, "decision_date", &bad);
	if (bad) {
		form_error(w, v, "Ngày quyết định không hợp lệ (ghi dạng 21/02/2025).");
	} else if (council_form(w->d, w->account_id, v->as.id, web_in_text(w, "kind"), web_in_text(w, "decision_number"), date,
	                        NULL) != DB_OK) {
		form_error(w, v, db_errmsg(w->d));
	} else {
		done(w, v, "");
		return;
	}
}

/* May this account give `target` (0: a new account) council membership in
 * this unit? The principal may; authz says so, not this page. */
static bool may_grant_member(web *w, assess_view *v, int64_t target, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	c.object.kind = AUTHZ_KIND_ACCOUNT;
	c.object.unit_id = v->u.id;
	c.object.parents = v->parents;
	c.object.n_parents = v->nparents;
	c.object.evaluators = v->evaluators;
	c.object.n_evaluators = v->nevaluators;
	c.object.account_id = target;
	c.object.grant_role = AUTHZ_COUNCIL_MEMBER;
	return authz_check(&c, AUTHZ_MANAGE_ACCOUNTS, why);
}

/* Whether the account already works on this unit's round: principal of
 * the unit, or council member for this round (or every round). */
static bool has_round_access(web *w, int64_t account_id, assess_view *v)
{
	authz_grant *g = NULL;
	size_t n = 0;
	if (account_grants(w->d, account_id, w->a, &g, &n) != DB_OK) return false;
	for (size_t i = 0; i < n; i++) {
		if (g[i].unit_id != v->u.id) continue;
		if (g[i].role == AUTHZ_PRINCIPAL) return true;
		if (g[i].role == AUTHZ_COUNCIL_MEMBER && (!g[i].round_id || g[i].round_id == v->round.id)) return true;
	}
	return false;
}

static void member_add(web *w)
{
	assess_view *v = w->view;
	if (!may_change(w, v)) return;
	council cn;
	const char *mode = web_in_text(w, "mode");
	bool is_new = mode && !strcmp(mode, "new");
	council_post post = council_post_parse(web_in_text(w, is_new ? "new_post" : "post"));
	const char *job = web_in_text(w, is_new ? "new_job_title" : "job_title");
	const char *err = NULL;
	int64_t account_id = 0;
	authz_decision why;
	if (council_get(w->d, v->as.id, w->a, &cn) != DB_OK) {
		err = "Hãy thành lập hội đồng trước khi thêm thành viên.";
	} else if (post == COUNCIL_POST_INVALID) {
		err = "Hãy chọn chức danh trong hội đồng.";
	} else if (!is_new) {
		/* Only accounts of this unit: an id from elsewhere is refused. */
		account_id = web_in_int(w, "account_id", 0);
		school_account *acc = NULL;
		size_t n = 0;
		bool ours = false;
		if (school_accounts(w->d, v->u.id, w->a, &acc, &n) == DB_OK)
			for (size_t i = 0; i < n && !ours; i++) ours = acc[i].id == account_id && acc[i].active;
		if (!ours) err = "Tài khoản này không thuộc đơn vị. Hãy chọn trong danh sách.";
		else if (!has_round_access(w, account_id, v) && !may_grant_member(w, v, account_id, &why)) err = why.message;
		else if (db_begin_write(w->d) != DB_OK) err = arena_strdup(w->a, db_errmsg(w->d));
		else {
			int rc = DB_OK;
			if (!has_round_access(w, account_id, v))
				rc = account_grant(w->d, w->account_id, account_id, "council_member", v->u.id, v->round.id, NULL);
			if (rc == DB_OK) rc = council_add_member(w->d, w->account_id, cn.id, account_id, NULL, job, post, NULL);
			if (rc == DB_OK) rc = db_commit(w->d);
			if (rc != DB_OK) {
				err = arena_strdup(w->a, db_errmsg(w->d));
				db_rollback(w->d);
			}
		}
	} else {
		const char *name = web_in_text(w, "full_name");
		const char *login = web_in_text(w, "login");
		const char *password = web_in_text(w, "password");
		bool with_account = login && *login;
		if (!name || !*name) err = "Hãy nhập họ và tên.";
		else if (with_account && (!password || strlen(password) < 8))
			err = "Mật khẩu ban đầu cần ít nhất 8 ký tự (hoặc để trống tên đăng nhập nếu người này không đăng nhập).";
		else if (with_account && !may_grant_member(w, v, 0, &why)) err = why.message;
		else if (db_begin_write(w->d) != DB_OK) err = arena_strdup(w->a, db_errmsg(w->d));
		else {
			int rc = DB_OK;
			if (with_account) rc = account_create(w->d, w->account_id, login, name, password, &account_id);
			if (rc == DB_OK && with_account)
				rc = account_grant(w->d, w->account_id, account_id, "council_member", v->u.id, v->round.id, NULL);
			if (rc == DB_OK) rc = council_add_member(w->d, w->account_id, cn.id, account_id, with_account ? NULL : name, job, post, NULL);
			if (rc == DB_OK) rc = db_commit(w->d);
			if (rc != DB_OK) {
				err = arena_strdup(w->a, db_errmsg(w->d));
				db_rollback(w->d);
			}
		}
	}
	if (err) {
		form_error(w, v, err);
		return;
	}
	done(w, v, "#thanh-vien");
}

static void member_remove(web *w)
{
	assess_view *v = w->view;
	if (!may_change(w, v)) return;
	council_data cd;
	council_load(w, v, &cd);
	const council_member *m = member_by_id(&cd, w->ids[1]);
	if (!m) {
		web_error(w, 404, "Không tìm thấy thành viên này trong hội đồng của hồ sơ.");
		return;
	}
	int rc = db_begin_write(w->d);
	if (rc == DB_OK) rc = council_remove_member(w->d, w->account_id, m->id);
	/* The membership this council gave (for this round) goes with the seat;
	 * a principal's own role never does. */
	role_assignment *ra = NULL;
	size_t n = 0;
	if (rc == DB_OK && m->account_id && account_roles(w->d, m->account_id, w->a, &ra, &n) == DB_OK)
		for (size_t i = 0; i < n && rc == DB_OK; i++)
			if (!strcmp(ra[i].role, "council_member") && ra[i].unit_id == v->u.id && ra[i].round_id == v->round.id)
				rc = account_revoke(w->d, w->account_id, ra[i].id);
	if (rc == DB_OK) rc = db_commit(w->d);
	if (rc != DB_OK) {
		const char *err = arena_strdup(w->a, db_errmsg(w->d));
		db_rollback(w->d);
		form_error(w, v, err);
		return;
	}
	done(w, v, "#thanh-vien");
}

/* ---- one member's items -------------------------------------------------------- */

static void assign_node(web *w, const council_data *cd, const council_member *m, const fw_node *n, bool manage)
{
	if (n->rule) {
		bool on = member_has_item(m, n->code);
		html_f(w->out, "<label class=\"item-pick\"><input type=\"checkbox\" name=\"tc\" value=\"%a\"%h%h> <b>%h</b> %h",
		       n->code, on ? " checked" : "", manage ? "" : " disabled", n->code, n->title);
		bool first = true;
		for (size_t i = 0; i < cd->nm; i++) {
			if (cd->m[i].id == m->id || !member_has_item(&cd->m[i], n->code)) continue;
			if (first) html_f(w->out, " <span class=\"explain\">(đang giao cho: %h", cd->m[i].full_name);
			else html_f(w->out, ", %h", cd->m[i].full_name);
			first = false;
		}
		if (!first) html_f(w->out, ")</span>");
		html_f(w->out, "</label>");
		return;
	}
	if (n->kind == NODE_GROUP)
		html_f(w->out, "<fieldset class=\"assign-group\"><legend>Nhóm %h. %h</legend>", n->code, n->title);
	else
		html_f(w->out, "<div class=\"assign-criterion\"><p><b>%h</b> %h</p>", n->code, n->title);
	for (size_t i = 0; i < n->nchildren; i++) assign_node(w, cd, m, &n->children[i], manage);
	html_f(w->out, n->kind == NODE_GROUP ? "</fieldset>" : "</div>");
}

static void render_assign(web *w, assess_view *v, const council_data *cd, const council_member *m, const char *error)
{
	authz_decision why;
	bool manage = may_manage(w, v, &why);
	w->skip_to_save = manage;
	page_begin(w, arena_printf(w->a, "Phân công chỉ tiêu — %s", m->full_name));
	html_f(w->out, "<section class=\"card summary\"><h1>Phân công chỉ tiêu cho %h</h1><p>%h — %h — %h</p>"
	               "<p><a href=\"/danh-gia/%D/hoi-dong#thanh-vien\">← Về hội đồng</a></p></section>",
	       m->full_name, council_post_label(m->post), v->u.name, v->round.title, v->as.id);
	if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
	html_f(w->out, "<section class=\"card\">");
	if (manage) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/hoi-dong/thanh-vien/%D\">", v->as.id, m->id);
		web_csrf_field(w);
		html_f(w->out, "<p class=\"explain\">Đánh dấu các chỉ tiêu người này tự đánh giá và thu thập minh chứng. "
		               "Một chỉ tiêu có thể giao cho nhiều người.</p>");
	}
	for (size_t g = 0; g < v->fw->ngroups; g++) assign_node(w, cd, m, &v->fw->groups[g], manage);
	if (manage) html_f(w->out, "<p class=\"sticky-save\"><button type=\"submit\" id=\"nut-luu\">Lưu phân công</button></p></form>");
	html_f(w->out, "</section>");
	page_end(w);
}

static bool load_member(web *w, assess_view *v, council_data *cd, const council_member **m)
{
	council_load(w, v, cd);
	*m = member_by_id(cd, w->ids[1]);
	if (*m) return true;
	web_error(w, 404, "Không tìm thấy thành viên này trong hội đồng của hồ sơ.");
	return false;
}

static void assign_page(web *w)
{
	assess_view *v = w->view;
	council_data cd;
	const council_member *m;
	if (load_member(w, v, &cd, &m)) render_assign(w, v, &cd, m, NULL);
}

static void assign_post(web *w)
{
	assess_view *v = w->view;
	if (!may_change(w, v)) return;
	council_data cd;
	const council_member *m;
	if (!load_member(w, v, &cd, &m)) {
		return;
	}
	size_t n = 0;
	const char **items = web_in_list(w, "tc", &n, NULL);
	const char *err = NULL;
	for (size_t i = 0; i < n && !err; i++) {
		const fw_node *leaf = framework_find(v->fw, items[i]);
		if (!leaf || !leaf->rule) err = arena_printf(w->a, "Chỉ tiêu '%s' không có trong bộ chỉ số của hồ sơ.", items[i]);
	}
	if (!err && !m->account_id) err = "Người này không có tài khoản nên không tự chấm được chỉ tiêu nào.";
	if (!err && council_assign(w->d, w->account_id, m->id, items, n) != DB_OK) err = arena_strdup(w->a, db_errmsg(w->d));
	if (err) {
		w->r->status = 422;
		render_assign(w, v, &cd, m, err);
		return;
	}
	done(w, v, "#thanh-vien");
}

/* ---- tasks ------------------------------------------------------------------------ */

static void task_add(web *w)
{
	assess_view *v = w->view;
	if (!may_change(w, v)) return;
	council_data cd;
	council_load(w, v, &cd);
	bool bad = false;
	council_task t = { .title = web_in_text(w, "title"), .due_label = web_in_text(w, "due_label"), .note = web_in_text(w, "note") };
	t.due = school_form_date(w, "due", &bad);
	const char *err = NULL;
	if (bad) err = "Hạn hoàn thành không hợp lệ (ghi dạng 31/05/2025).";
	if (!err && web_in_given(w, "owner")) {
		t.owner_member_id = web_in_int(w, "owner", 0);
		if (!member_by_id(&cd, t.owner_member_id)) err = "Người chủ trì phải là thành viên hội đồng.";
	}
	size_t n = 0;
	const int64_t *ids;
	web_in_list(w, "members", &n, &ids);
	t.member_ids = arena_alloc(w->a, (n + 1) * sizeof *t.member_ids);
	for (size_t i = 0; i < n && !err; i++) {
		t.member_ids[t.nmembers] = ids[i];
		if (!member_by_id(&cd, t.member_ids[t.nmembers])) err = "Người thực hiện phải là thành viên hội đồng.";
		t.nmembers++;
	}
	if (!err && council_task_add(w->d, w->account_id, v->as.id, &t, NULL) != DB_OK) err = arena_strdup(w->a, db_errmsg(w->d));
	if (err) {
		form_error(w, v, err);
		return;
	}
	done(w, v, "#nhiem-vu");
}

static void task_status(web *w)
{
	assess_view *v = w->view;
	council_data cd;
	council_load(w, v, &cd);
	const council_task *t = NULL;
	for (size_t i = 0; i < cd.nt && !t; i++)
		if (cd.t[i].id == w->ids[1]) t = &cd.t[i];
	const char *status = web_in_text(w, "status");
	if (!t) web_error(w, 404, "Không tìm thấy nhiệm vụ này trong kế hoạch của hồ sơ.");
	else if (!may_set_status(w, v, &cd, t))
		web_error(w, 403, "Chỉ người chủ trì, người thực hiện nhiệm vụ, thư ký hoặc thủ trưởng đơn vị được cập nhật trạng thái.");
	else if (!*task_state_label(status)) web_error(w, 422, "Trạng thái nhiệm vụ không hợp lệ.");
	else if (council_task_set_status(w->d, w->account_id, t->id, status) != DB_OK) web_error(w, 500, db_errmsg(w->d));
	else {
		done(w, v, "#nhiem-vu");
		return;
	}
}

/* ---- the forms' inputs ------------------------------------------------------------- */

/* Limits as the store's (q_council.c, q_account.c); what they mean is checked there. */
static const web_input council_form_inputs[] = {
	{ .name = "kind", .type = WEB_IN_TEXT, .max = 32, .label = "loại hội đồng" },
	{ .name = "decision_number", .type = WEB_IN_TEXT, .max = 100, .label = "số quyết định" },
	{ .name = "decision_date", .type = WEB_IN_TEXT, .max = 32, .label = "ngày quyết định" },
	{ .name = NULL },
};
static const web_input member_add_inputs[] = {
	{ .name = "mode", .type = WEB_IN_TEXT, .max = 16, .label = "cách thêm" },
	{ .name = "post", .type = WEB_IN_TEXT, .max = 32, .label = "chức danh trong hội đồng" },
	{ .name = "new_post", .type = WEB_IN_TEXT, .max = 32, .label = "chức danh trong hội đồng" },
	{ .name = "job_title", .type = WEB_IN_TEXT, .max = 200, .label = "chức vụ" },
	{ .name = "new_job_title", .type = WEB_IN_TEXT, .max = 200, .label = "chức vụ" },
	{ .name = "account_id", .type = WEB_IN_ID, .label = "tài khoản" },
	{ .name = "full_name", .type = WEB_IN_TEXT, .max = 200, .label = "họ và tên" },
	{ .name = "login", .type = WEB_IN_TEXT, .max = 100, .label = "tên đăng nhập" },
	{ .name = "password", .type = WEB_IN_SECRET, .max = 1024, .label = "mật khẩu ban đầu" },
	{ .name = NULL },
};
static const web_input assign_inputs[] = {
	{ .name = "tc", .type = WEB_IN_TEXT, .many = true, .max = 32, .label = "chỉ tiêu" },
	{ .name = NULL },
};
static const web_input task_add_inputs[] = {
	{ .name = "title", .type = WEB_IN_TEXT, .max = 2000, .label = "nội dung nhiệm vụ" },
	{ .name = "due", .type = WEB_IN_TEXT, .max = 32, .label = "hạn hoàn thành" },
	{ .name = "due_label", .type = WEB_IN_TEXT, .max = 100, .label = "thời gian hoàn thành" },
	{ .name = "note", .type = WEB_IN_TEXT, .max = 2000, .label = "ghi chú" },
	{ .name = "owner", .type = WEB_IN_ID, .label = "người chủ trì" },
	{ .name = "members", .type = WEB_IN_ID, .many = true, .label = "người thực hiện" },
	{ .name = NULL },
};
static const web_input task_status_inputs[] = {
	{ .name = "status", .type = WEB_IN_TEXT, .max = 32, .label = "trạng thái nhiệm vụ" },
	{ .name = NULL },
};

const web_route page_council_routes[] = {
	/* the changes check AUTHZ_MANAGE_COUNCIL themselves (may_change): its state refusal has its own message */
	{ "GET", "/danh-gia/{id}/hoi-dong", council_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	{ "POST", "/danh-gia/{id}/hoi-dong", council_form_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = council_form_inputs },
	{ "POST", "/danh-gia/{id}/hoi-dong/thanh-vien", member_add, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = member_add_inputs },
	{ "GET", "/danh-gia/{id}/hoi-dong/thanh-vien/{id}", assign_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	{ "POST", "/danh-gia/{id}/hoi-dong/thanh-vien/{id}", assign_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = assign_inputs },
	{ "POST", "/danh-gia/{id}/hoi-dong/thanh-vien/{id}/xoa", member_remove, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW },
	{ "POST", "/danh-gia/{id}/nhiem-vu", task_add, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = task_add_inputs },
	{ "POST", "/danh-gia/{id}/nhiem-vu/{id}", task_status, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = task_status_inputs },
	{ NULL, NULL, NULL, 0 },
};
