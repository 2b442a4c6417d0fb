/* page_submission.c — the end of the school's self-assessment: the
 * principal's approval (which locks the form; who and when come from the
 * assessment's transitions), the submission with its request letter (tờ
 * trình đề nghị đánh giá ngoài: prefilled from the data, editable, saved
 * as a draft, stored with the submission), the letter as sent, and the
 * office's return for supplement with its reason per item.
 *
 * Approval and its withdrawal are plain workflow actions and post to the
 * assessment's /chuyen route like every other; only the submission comes
 * here, because it carries the letter. */
#include "q_submission.h"
#include "util.h"
#include "web_school.h"
#include "web_seal.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void header(web *w, assess_view *v, const char *title, const char *tab)
{
	page_begin(w, arena_printf(w->a, "%s — %s", title, v->u.name));
	html_f(w->out, "<section class=\"card summary\"><h1>%h</h1><p>%h — %h — trạng thái: <strong>%h</strong></p></section>",
	       title, v->u.name, v->round.title, wf_state_label(v->state));
	school_tabs(w, v, tab);
}

/* A workflow button posting to the form's /chuyen route, when this
 * account is offered the action now. */
static bool action_button(web *w, assess_view *v, wf_action a, const char *confirm, bool reason)
{
	wf_input in;
	assess_wf_input(w, v, &in);
	if (!wf_offered(&in, a)) return false;
	/* a step back with a reason unfolds first: it is the rarer click */
	if (reason) html_f(w->out, "<details class=\"step-back\"><summary>%h…</summary>", wf_action_label(a));
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/chuyen\" class=\"action%h\">", v->as.id, reason ? " stack" : "");
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"action\" value=\"%a\">", wf_action_code(a));
	if (reason) html_f(w->out, "<label class=\"small\">Lý do (bắt buộc)<textarea name=\"reason\" rows=\"2\" required></textarea></label>");
	/* the step forward is the main button; going back is secondary */
	const char *cls = a == WF_APPROVE || a == WF_CONSOLIDATE ? "" : "secondary";
	if (confirm) html_f(w->out, "<button type=\"submit\" class=\"%a\" data-confirm=\"%a\">%h</button></form>", cls, confirm,
	                    wf_action_label(a));
	else html_f(w->out, "<button type=\"submit\" class=\"%a\">%h</button></form>", cls, wf_action_label(a));
	if (reason) html_f(w->out, "</details>");
	return true;
}

static void result_card(web *w, assess_view *v)
{
	const score_result *s = v->score;
	html_f(w->out, "<section class=\"card\"><h2>Kết quả tự đánh giá</h2>");
	if (!s) {
		html_f(w->out, "<p>Chưa tính được điểm cho hồ sơ này.</p></section>");
		return;
	}
	size_t answered, required;
	school_answered(v, &answered, &required);
	html_f(w->out, "<table class=\"totals\"><thead><tr><th>Nhóm tiêu chí</th><th class=\"num\">Điểm</th><th>Mức</th></tr></thead><tbody>");
	for (size_t g = 0; g < v->fw->ngroups; g++) {
		const node_score *gs = score_node(s, &v->fw->groups[g]);
		html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q/%q</td><td class=\"level-%d\">%h</td></tr>",
		       v->fw->groups[g].code, v->fw->groups[g].title, gs->points, gs->max, gs->band ? gs->band->level : 0,
		       gs->band ? gs->band->name : "");
	}
	html_f(w->out, "</tbody></table><p><strong>Kết luận:</strong> %h</p>", s->level_explain);
	if (answered < required)
		html_f(w->out, "<p class=\"overdue\">Còn %z/%z chỉ tiêu bắt buộc chưa đánh giá.</p>", required - answered, required);
	html_f(w->out, "<p class=\"no-print\"><a href=\"/danh-gia/%D\">Xem phiếu chi tiết</a> · <a href=\"/danh-gia/%D/in\">Bản in (A4)</a></p></section>",
	       v->as.id, v->as.id);
}

static void approval_card(web *w, assess_view *v)
{
	html_f(w->out, "<section class=\"card\" id=\"phe-duyet\"><h2>Phê duyệt của thủ trưởng đơn vị</h2>");
	assessment_transition_row t;
	bool approved = v->state >= WF_APPROVED && v->state != WF_RETURNED;
	if (approved && school_last_transition(w, v->as.id, WF_APPROVED, &t)) {
		html_f(w->out, "<p class=\"approved-by\">Đã phê duyệt: <strong>%h</strong>, lúc %h.</p>"
		               "<p>Kết quả tự đánh giá đã khóa: không ai sửa được câu trả lời cho đến khi phê duyệt được hủy "
		               "(có ghi lý do) hoặc cơ quan quản lý trả lại hồ sơ để bổ sung.</p>",
		       school_account_name(w, t.account_id), school_time_long(w, t.at));
		action_button(w, v, WF_WITHDRAW_APPROVAL, NULL, true);
	} else if (v->state == WF_SELF_ASSESSED) {
		if (school_last_transition(w, v->as.id, WF_SELF_ASSESSED, &t))
			html_f(w->out, "<p>Hội đồng đã tổng hợp kết quả (%h, lúc %h).</p>", school_account_name(w, t.account_id),
			       school_time_long(w, t.at));
		if (!action_button(w, v, WF_APPROVE,
		                   "Phê duyệt sẽ khóa kết quả tự đánh giá. Tiếp tục?", false))
			html_f(w->out, "<p>Chờ thủ trưởng đơn vị phê duyệt.</p>");
		action_button(w, v, WF_REOPEN, NULL, false);
	} else {
		html_f(w->out, "<p>Chưa thể phê duyệt: hội đồng cần đánh giá đủ các chỉ tiêu bắt buộc rồi tổng hợp kết quả "
		               "(trạng thái hiện tại: %h).</p>", wf_state_label(v->state));
		action_button(w, v, WF_CONSOLIDATE, NULL, false);
	}
	html_f(w->out, "</section>");
}

static void letter_text(web *w, const char *text)
{
	html_f(w->out, "<div class=\"letter\">%h</div>", text);
}

static void letter_card(web *w, assess_view *v, const char *error)
{
	html_f(w->out, "<section class=\"card\" id=\"to-trinh\"><h2>Tờ trình đề nghị đánh giá ngoài</h2>");
	submission *subs = NULL;
	size_t nsubs = 0;
	submission_list(w->d, v->as.id, w->a, &subs, &nsubs);
	bool may_submit = assess_allowed(w, v, AUTHZ_SUBMIT, NULL, NULL);
	if (v->state == WF_APPROVED && may_submit) {
		/* the later of the round's deadline and the unit's extension */
		const char *due = v->round.self_due;
		if (v->as.extended_until && (!due || strcmp(v->as.extended_until, due) > 0)) due = v->as.extended_until;
		html_f(w->out, "<p>Hạn gửi hồ sơ: ");
		school_deadline(w, due);
		html_f(w->out, "</p>");
		if (error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", error);
		submission_draft dr;
		const char *typed = web_in_text(w, "letter");
		bool has_draft = submission_draft_get(w->d, v->as.id, w->a, &dr) == DB_OK;
		const char *text = typed ? typed : has_draft ? dr.letter : school_letter_default(w, v);
		if (has_draft && !typed)
			html_f(w->out, "<p class=\"explain\">Bản nháp lưu lúc %h bởi %h.</p>", school_time_long(w, dr.updated_at),
			       school_account_name(w, dr.updated_by));
		else if (!typed)
			html_f(w->out, "<p class=\"explain\">Nội dung soạn sẵn từ dữ liệu của hồ sơ (đơn vị, đợt đánh giá, điểm và mức). "
			               "Hãy đọc lại, sửa nếu cần rồi gửi.</p>");
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/gui\" class=\"letter-form\">", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Nội dung tờ trình<textarea name=\"letter\" rows=\"24\" class=\"letter-edit\">%h</textarea></label>"
		               "<p class=\"buttons\"><button type=\"submit\" name=\"do\" value=\"send\" data-confirm=\"Gửi hồ sơ và tờ trình "
		               "đến cơ quan quản lý? Sau khi gửi, hồ sơ không sửa được nữa.\">Gửi hồ sơ</button> "
		               "<button type=\"submit\" name=\"do\" value=\"save\" class=\"secondary\">Lưu bản nháp</button> "
		               "<button type=\"submit\" name=\"do\" value=\"reset\" class=\"secondary\" formnovalidate>Soạn lại từ dữ liệu</button></p>"
		               "</form>", text);
	} else if (v->state == WF_APPROVED) {
		html_f(w->out, "<p>Kết quả đã được phê duyệt; chờ thủ trưởng đơn vị gửi hồ sơ kèm tờ trình.</p>");
	} else if (!nsubs) {
		html_f(w->out, "<p>Tờ trình được soạn và gửi sau khi thủ trưởng đơn vị phê duyệt kết quả tự đánh giá.</p>");
	}
	if (nsubs) {
		const submission *s = &subs[nsubs - 1];
		html_f(w->out, "<h3>%h</h3><p>Gửi lúc %h bởi %h. <a href=\"/danh-gia/%D/to-trinh\">Bản in tờ trình</a></p>",
		       nsubs > 1 ? arena_printf(w->a, "Tờ trình đã gửi (lần %zu)", nsubs) : "Tờ trình đã gửi",
		       school_time_long(w, s->created_at), school_account_name(w, s->created_by), v->as.id);
		if (v->state != WF_APPROVED) letter_text(w, s->letter);
	}
	html_f(w->out, "</section>");
}

static void history_card(web *w, assess_view *v)
{
	assessment_transition_row *t = NULL;
	size_t n = 0;
	if (assessment_transitions(w->d, v->as.id, w->a, &t, &n) != DB_OK || !n) return;
	html_f(w->out, "<section class=\"card\"><h2>Quá trình xử lý hồ sơ</h2><div class=\"table-wrap\"><table class=\"history cards\">"
	               "<thead><tr><th>Thời gian</th><th>Người thực hiện</th><th>Chuyển trạng thái</th><th>Lý do</th></tr></thead><tbody>");
	for (size_t i = n; i-- > 0;)
		html_f(w->out, "<tr><td class=\"name\">%h</td><td data-label=\"Người thực hiện\">%h</td>"
		               "<td data-label=\"Chuyển trạng thái\">%h → %h</td><td data-label=\"Lý do\">%h</td></tr>",
		       school_time_long(w, t[i].at),
		       school_account_name(w, t[i].account_id), wf_state_label(wf_state_parse(t[i].from_state)),
		       wf_state_label(wf_state_parse(t[i].to_state)), t[i].reason ? t[i].reason : "");
	html_f(w->out, "</tbody></table></div></section>");
}

static void render_submit(web *w, assess_view *v, const char *error)
{
	header(w, v, "Phê duyệt và gửi hồ sơ", "gui");
	result_card(w, v);
	approval_card(w, v);
	letter_card(w, v, error);
	history_card(w, v);
	web_seal_link(w, v->as.id);   /* issue 17: sealed at the submission; the principal may sign the seal */
	page_end(w);
}

static void submit_page(web *w)
{
	assess_view *v = w->view;
	render_submit(w, v, NULL);
}

static void submit_post(web *w)
{
	assess_view *v = w->view;
	authz_decision why;
	const char *what = web_in_text(w, "do");
	const char *letter = web_in_text(w, "letter");
	int status = 0;
	const char *msg = NULL;
	if (!assess_allowed(w, v, AUTHZ_SUBMIT, NULL, &why)) {
		status = 403;
		msg = why.message;
	} else if (v->state != WF_APPROVED) {
		status = 409;
		msg = "Chỉ gửi được hồ sơ đã được thủ trưởng đơn vị phê duyệt (và chưa gửi).";
	} else if (what && !strcmp(what, "save")) {
		if (submission_draft_save(w->d, w->account_id, v->as.id, letter) != DB_OK) {
			status = 422;
			msg = db_errmsg(w->d);
		}
	} else if (what && !strcmp(what, "reset")) {
		if (submission_draft_save(w->d, w->account_id, v->as.id, NULL) != DB_OK) {
			status = 500;
			msg = db_errmsg(w->d);
		}
	} else if (what && !strcmp(what, "send")) {
		/* a blank letter is refused here, not prefilled: the principal is
		 * looking at the form and meant to send what it shows */
		wf_result res;
		if (!letter || !*letter) {
			status = 422;
			msg = "Tờ trình không được để trống.";
		} else if ((status = school_submit(w, v, letter, &res))) {
			msg = arena_strdup(w->a, res.message);
		}
	} else {
		status = 400;
		msg = "Thao tác không hợp lệ.";
	}
	if (status == 422) {
		/* the letter as typed comes back in the form, with the message */
		w->r->status = 422;
		render_submit(w, v, arena_strdup(w->a, msg));
	} else if (status) {
		web_error(w, status, arena_strdup(w->a, msg));
	} else {
		web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/gui", (long long)v->as.id),
		                    what && !strcmp(what, "send") ? "da-gui" : "da-luu");
	}
}

/* ---- the letter as sent ---------------------------------------------------------- */

static void letter_page(web *w)
{
	assess_view *v = w->view;
	submission *subs = NULL;
	size_t n = 0;
	submission_list(w->d, v->as.id, w->a, &subs, &n);
	int64_t k = web_in_int(w, "lan", (int64_t)n);   /* 1 = the first sending */
	size_t pick = k < 1 || (uint64_t)k > n ? 0 : (size_t)k;
	if (!n || !pick) {
		web_error(w, 404, n ? "Không có lần gửi này." : "Hồ sơ chưa được gửi nên chưa có tờ trình.");
		return;
	}
	const submission *s = &subs[pick - 1];
	page_begin(w, arena_printf(w->a, "Tờ trình — %s", v->u.name));
	html_f(w->out, "<p class=\"no-print\"><a href=\"/danh-gia/%D/gui\">← Phê duyệt và gửi hồ sơ</a> — gửi lúc %h bởi %h",
	       v->as.id, school_time_long(w, s->created_at), school_account_name(w, s->created_by));
	if (n > 1) {
		html_f(w->out, " — các lần gửi:");
		for (size_t i = 1; i <= n; i++) {
			if (i == pick) html_f(w->out, " <strong>%z</strong>", i);
			else html_f(w->out, " <a href=\"/danh-gia/%D/to-trinh?lan=%z\">%z</a>", v->as.id, i, i);
		}
	}
	html_f(w->out, "</p><article class=\"print letter-sheet\">");
	letter_text(w, s->letter);
	html_f(w->out, "</article>");
	page_end(w);
}

/* ---- the return for supplement ------------------------------------------------------- */

static int item_order(const void *a, const void *b)
{
	const fw_node *x = *(const fw_node *const *)a, *y = *(const fw_node *const *)b;
	return x->node_index < y->node_index ? -1 : x->node_index > y->node_index;
}

static void returned_page(web *w)
{
	assess_view *v = w->view;
	header(w, v, "Yêu cầu bổ sung", "bo-sung");
	return_notice rn;
	if (submission_last_return(w->d, v->as.id, w->a, &rn) != DB_OK) {
		html_f(w->out, "<section class=\"card\"><p>Hồ sơ chưa từng bị cơ quan quản lý trả lại để bổ sung.</p></section>");
		page_end(w);
		return;
	}
	bool current = v->state == WF_RETURNED;
	unit office;
	bool has_office = v->nevaluators && unit_get(w->d, v->evaluators[0], w->a, &office) == DB_OK;
	html_f(w->out, "<section class=\"card%h\"><h2>%h</h2><p>%h%h%h trả lại hồ sơ lúc %h.</p>", current ? " returned" : "",
	       current ? "Hồ sơ đang được bổ sung" : "Lần trả lại gần nhất", school_account_name(w, rn.by),
	       has_office ? " — " : "", has_office ? office.name : "", school_time_long(w, rn.at));
	if (rn.reason) html_f(w->out, "<p><strong>Lý do chung:</strong> %h</p>", rn.reason);
	if (rn.extended_until) {
		html_f(w->out, "<p><strong>Hạn nộp bổ sung:</strong> ");
		if (current) school_deadline(w, rn.extended_until);
		else html_f(w->out, "%h", web_date_long(w, rn.extended_until));
		html_f(w->out, "</p>");
	}
	if (current)
		html_f(w->out, "<p>Sau khi bổ sung các chỉ tiêu dưới đây, hội đồng tổng hợp lại kết quả, thủ trưởng đơn vị phê duyệt "
		               "và gửi lại hồ sơ kèm tờ trình.</p>");
	else
		html_f(w->out, "<p>Hồ sơ đã được bổ sung và xử lý tiếp (trạng thái hiện tại: %h).</p>", wf_state_label(v->state));
	html_f(w->out, "</section><section class=\"card\"><h2>Yêu cầu theo từng chỉ tiêu (%z)</h2>", rn.nitems);
	if (!rn.nitems) {
		html_f(w->out, "<p>Cơ quan quản lý không ghi yêu cầu riêng cho chỉ tiêu nào; xem lý do chung ở trên.</p></section>");
		page_end(w);
		return;
	}
	/* Framework order, so the list reads like the form. */
	const fw_node **nodes = arena_alloc(w->a, (rn.nitems + 1) * sizeof *nodes);
	size_t nn = 0;
	for (size_t i = 0; i < rn.nitems; i++) {
		const fw_node *n = framework_find(v->fw, rn.items[i].item_code);
		if (n) nodes[nn++] = n;
	}
	sort_list(nodes, nn, sizeof *nodes, item_order);
	bool *covered = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *covered);
	school_evidence_cover(w, v->fw, v->as.id, covered);
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"return-items cards\"><thead><tr><th>Mã</th><th>Tiêu chí</th>"
	               "<th>Yêu cầu bổ sung</th><th class=\"num\">Điểm hiện tại</th><th>Minh chứng</th></tr></thead><tbody>");
	for (size_t i = 0; i < nn; i++) {
		const fw_node *n = nodes[i];
		const char *reason = "";
		for (size_t k = 0; k < rn.nitems; k++)
			if (!strcmp(rn.items[k].item_code, n->code)) reason = rn.items[k].reason;
		const node_score *ns = v->score ? score_node(v->score, n) : NULL;
		html_f(w->out, "<tr><td class=\"seq\"><a href=\"/danh-gia/%D#tc-%a\">%h</a></td><td class=\"name\">%h</td>"
		               "<td class=\"return-reason\" data-label=\"Yêu cầu bổ sung\">%h</td><td class=\"num\" data-label=\"Điểm hiện tại\">",
		       v->as.id, n->code, n->code, n->title, reason);
		if (ns && n->rule && !ns->answered) html_f(w->out, "chưa đánh giá");
		else if (ns && n->rule && n->rule->kind == RULE_GATE) html_f(w->out, "%h", ns->gate_failed ? "Chưa đạt" : "Đạt");
		else if (ns && n->rule && n->rule->kind == RULE_INFO) html_f(w->out, "—");
		else if (ns) html_f(w->out, "%q/%q", ns->points, ns->max);
		html_f(w->out, "</td><td data-label=\"Minh chứng\">");
		/* a criterion is covered when any of its items is */
		bool cov = false;
		for (size_t l = 0; l < v->fw->nleaves && !cov; l++)
			for (const fw_node *p = v->fw->leaves[l]; p && !cov; p = p->parent)
				cov = p == n && covered[l];
		html_f(w->out, "%h</td></tr>", cov ? "Đã có" : "Chưa có");
	}
	/* reasons for codes the framework does not know (a typo at the office) still show */
	for (size_t k = 0; k < rn.nitems; k++)
		if (!framework_find(v->fw, rn.items[k].item_code))
			html_f(w->out, "<tr><td>%h</td><td></td><td class=\"return-reason\">%h</td><td></td><td></td></tr>",
			       rn.items[k].item_code, rn.items[k].reason);
	html_f(w->out, "</tbody></table></div>");
	if (current) html_f(w->out, "<p><a class=\"button\" href=\"/danh-gia/%D\">Mở phiếu để bổ sung</a></p>", v->as.id);
	html_f(w->out, "</section>");
	page_end(w);
}

/* The submission form: what to do with the letter, and the letter. */
static const char *const submit_verbs[] = { "save", "reset", "send", NULL };
static const web_input submit_inputs[] = {
	{ .name = "do", .type = WEB_IN_ENUM, .values = submit_verbs, .label = "thao tác" },
	{ .name = "letter", .type = WEB_IN_TEXT, .max = 32768, .label = "tờ trình" },
	{ .name = NULL },
};

/* Which sending's letter (1 = the first); one not made is a 404. */
static const web_input letter_inputs[] = {
	{ .name = "lan", .type = WEB_IN_INT, .label = "lần gửi" },
	{ .name = NULL },
};

const web_route page_submission_routes[] = {
	{ "GET", "/danh-gia/{id}/gui", submit_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	{ "POST", "/danh-gia/{id}/gui", submit_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = submit_inputs },
	{ "GET", "/danh-gia/{id}/to-trinh", letter_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW,
	  .inputs = letter_inputs },
	{ "GET", "/danh-gia/{id}/bo-sung", returned_page, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_PRIVATE, .action = AUTHZ_VIEW },
	{ NULL, NULL, NULL, 0 },
};
