/* page_publish.c — a school publishing its own recognised result (issue 11,
 * item 5). Once the office's decision recognised the unit's level, the
 * principal may make it public on the unit's public page and badge, and
 * withdraw it. The page shows first exactly what will become public — the
 * recognised level, the decision, the group totals of the external
 * evaluation — and nothing else: the public snapshot is frozen from the
 * recognised (external) score, never the draft answers.
 *
 *   GET  /danh-gia/{id}/cong-khai            the confirmation
 *   POST /danh-gia/{id}/cong-khai            publish (xac_nhan=1 required)
 *   POST /danh-gia/{id}/thu-hoi-cong-khai    withdraw what the school published
 *
 * Who may and when is workflow.c's (publish_own, unpublish_own) with
 * authz.c's capacities; the service (assess_act) records it. */
#include "web_publish.h"
#include "web_school.h"
#include "q_office.h"
#include <string.h>

#define SELF_LABEL "Tự đánh giá — chưa được công nhận"

/* The group totals of the score the public will read (the recognised
 * external one, or the self-assessment's). */
static void group_totals(web *w, const assess_view *v)
{
	if (!v->score) return;
	html_f(w->out, "<table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Điểm</th><th>Mức</th></tr></thead><tbody>");
	for (size_t g = 0; g < v->fw->ngroups; g++) {
		const node_score *gs = score_node(v->score, &v->fw->groups[g]);
		html_f(w->out, "<tr><td>%h. %h</td><td class=\"num\">%q/%q</td><td>%h</td></tr>", v->fw->groups[g].code,
		       v->fw->groups[g].title, gs->points, gs->max, gs->band ? gs->band->name : "");
	}
	html_f(w->out, "<tr><th>Tổng điểm</th><th class=\"num\">%q/%q</th><th></th></tr></tbody></table>", v->score->total,
	       v->score->total_max);
}

/* The unit, its year and the level the public will read. */
static void facts(web *w, const assess_view *v, bool self)
{
	html_f(w->out, "<table class=\"totals\"><tbody><tr><th>Đơn vị</th><td>%h (mã %h)</td></tr><tr><th>Năm học</th><td>%h</td></tr>",
	       v->u.name, v->u.code, v->round.school_year);
	if (self) {
		html_f(w->out, "<tr><th>Mức tự đánh giá</th><td><strong>%h</strong> — %h</td></tr></tbody></table>",
		       v->as.self_level ? arena_printf(w->a, "Mức %d", v->as.self_level) : "Chưa đạt mức 1", SELF_LABEL);
		return;
	}
	decision dec = { 0 };
	if (v->as.recognition_decision_id) decision_get(w->d, v->as.recognition_decision_id, w->a, &dec);
	html_f(w->out, "<tr><th>Mức được công nhận</th><td><strong>Mức %d</strong></td></tr>"
	               "<tr><th>Quyết định công nhận</th><td>%h%h%h</td></tr></tbody></table>",
	       v->as.recognised_level, dec.number ? dec.number : "—", dec.date ? " ngày " : "", dec.date ? web_date_short(w, dec.date) : "");
}

/* The one confirmation, for the recognised result and for the
 * self-assessment's alike: exactly what becomes public, then the box to
 * tick (checked again on the POST, confirmed()). */
static void confirm_card(web *w, assess_view *v, bool self)
{
	html_f(w->out, "<section class=\"card\"><h2>Những thông tin sẽ được công khai</h2>"
	               "<p>Trang công khai của đơn vị và huy hiệu sẽ hiển thị đúng các thông tin dưới đây, %h “%h”. "
	               "%h không được công khai.</p>",
	       self ? "ghi rõ" : "kèm ghi chú", self ? SELF_LABEL : "Đơn vị tự công khai kết quả đã được công nhận",
	       self ? "Câu trả lời và minh chứng" : "Câu trả lời, minh chứng và kết quả tự đánh giá");
	facts(w, v, self);
	group_totals(w, v);
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/%a\" class=\"action\">", v->as.id,
	       self ? "cong-khai-tu-danh-gia" : "cong-khai");
	web_csrf_field(w);
	html_f(w->out, "<label class=\"inline-label\"><input type=\"checkbox\" name=\"xac_nhan\" value=\"1\" required> "
	               "Tôi xác nhận công khai các thông tin trên</label>"
	               "<p><button type=\"submit\">%h</button></p></form></section>",
	       self ? "Công khai kết quả tự đánh giá" : wf_action_label(WF_PUBLISH_OWN));
}

/* The box of confirm_card ticked; else a 422 and false. */
static bool confirmed(web *w)
{
	const char *ok = web_in_text(w, "xac_nhan");
	if (ok && !strcmp(ok, "1")) return true;
	web_error(w, 422, "Chưa công khai: hãy xem lại các thông tin sẽ được công khai và đánh dấu xác nhận.");
	return false;
}

static void withdraw_form(web *w, assess_view *v)
{
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/thu-hoi-cong-khai\" class=\"action\">", v->as.id);
	web_csrf_field(w);
	html_f(w->out, "<button type=\"submit\">%h</button></form>", wf_action_label(WF_UNPUBLISH_OWN));
}

static void publish_get(web *w)
{
	assess_view *v = w->view;   /* declared: the external side (the recognised score), loaded and freed by the dispatcher */
	wf_input in;
	assess_wf_input(w, v, &in);
	page_begin(w, arena_printf(w->a, "Công khai kết quả — %s", v->u.name));
	html_f(w->out, "<p class=\"crumbs\"><a href=\"/danh-gia/%D\">%h</a></p><h1>Công khai kết quả đánh giá</h1>", v->as.id, v->u.name);
	wf_result res;
	if (v->state == WF_PUBLISHED) {
		html_f(w->out, "<section class=\"card\"><p>%h <a href=\"/cong-khai/don-vi/%D\">Xem trang công khai</a>.</p>",
		       in.published_by_school ? "Đơn vị đã tự công khai kết quả đã được công nhận."
		                              : "Kết quả đã được cơ quan đánh giá công bố.", v->u.id);
		if (wf_offered(&in, WF_UNPUBLISH_OWN) && in.published_by_school) withdraw_form(w, v);
		html_f(w->out, "</section>");
	} else if (wf_check(&in, WF_PUBLISH_OWN, &res) >= 0) {
		confirm_card(w, v, false);
	} else {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", res.message);
	}
	page_end(w);
}

static void act(web *w, assess_view *v, wf_action a)
{
	wf_result res;
	int status = school_publication_apply(w, v, a, &res);
	if (status) {
		web_error(w, status, arena_strdup(w->a, res.message));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/cong-khai", (long long)v->as.id), "da-chuyen");
}

static void publish_post(web *w)
{
	if (confirmed(w)) act(w, w->view, WF_PUBLISH_OWN);
}

static void withdraw_post(web *w)
{
	act(w, w->view, WF_UNPUBLISH_OWN);
}

/* ---- the self-assessment result before recognition (issue 11, item 5) ---------------------- */

static void self_get(web *w)
{
	assess_view *v = w->view;   /* declared: the self side, loaded and freed by the dispatcher */
	wf_input in;
	assess_wf_input(w, v, &in);
	page_begin(w, arena_printf(w->a, "Công khai kết quả tự đánh giá — %s", v->u.name));
	html_f(w->out, "<p class=\"crumbs\"><a href=\"/danh-gia/%D\">%h</a></p><h1>Công khai kết quả tự đánh giá</h1>", v->as.id, v->u.name);
	wf_result res;
	if (in.self_published) {
		html_f(w->out, "<section class=\"card\"><p id=\"da-cong-khai\">Đơn vị đã công khai kết quả tự đánh giá, ghi rõ “%h”. "
		               "<a href=\"/cong-khai/don-vi/%D\">Xem trang công khai</a>. Khi cơ quan công bố kết quả được công nhận, "
		               "kết quả đó thay thế kết quả tự đánh giá.</p>", SELF_LABEL, v->u.id);
		if (wf_self_publication_check(&in, false, &res) == 0) {
			html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/thu-hoi-tu-danh-gia\" class=\"action\">", v->as.id);
			web_csrf_field(w);
			html_f(w->out, "<button type=\"submit\">Thu hồi công khai kết quả tự đánh giá</button></form>");
		}
		html_f(w->out, "</section>");
	} else if (wf_self_publication_check(&in, true, &res) == 0) {
		confirm_card(w, v, true);
	} else {
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", res.message);
	}
	page_end(w);
}

static void self_act(web *w, bool publish)
{
	wf_result res;
	int status = school_self_publication_apply(w, w->view, publish, &res);
	if (status) {
		web_error(w, status, arena_strdup(w->a, res.message));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/cong-khai-tu-danh-gia", (long long)w->view->as.id), "da-luu");
}

static void self_post(web *w)
{
	if (confirmed(w)) self_act(w, true);
}

static void self_withdraw_post(web *w) { self_act(w, false); }

/* The confirmation box: its absence keeps the page's own message (confirmed). */
static const web_input confirm_inputs[] = {
	{ .name = "xac_nhan", .type = WEB_IN_TEXT, .max = 1, .label = "xác nhận công khai" },
	{ .name = NULL },
};

const web_route page_publish_routes[] = {
	{ "GET", "/danh-gia/{id}/cong-khai", publish_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_VIEW },
	/* who may publish is the workflow's (wf_check through school_publication_apply) */
	{ "POST", "/danh-gia/{id}/cong-khai", publish_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_VIEW,
	  .inputs = confirm_inputs },
	{ "POST", "/danh-gia/{id}/thu-hoi-cong-khai", withdraw_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_EXTERNAL, .action = AUTHZ_VIEW },
	/* who may publish the self-assessment is the workflow's (wf_self_publication_check through the service) */
	{ "GET", "/danh-gia/{id}/cong-khai-tu-danh-gia", self_get, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_SELF, .action = AUTHZ_VIEW },
	{ "POST", "/danh-gia/{id}/cong-khai-tu-danh-gia", self_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_SELF, .action = AUTHZ_VIEW,
	  .inputs = confirm_inputs },
	{ "POST", "/danh-gia/{id}/thu-hoi-tu-danh-gia", self_withdraw_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .side = ANSWER_SELF, .action = AUTHZ_VIEW },
	{ NULL, NULL, NULL, 0 },
};
