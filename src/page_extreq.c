/* page_extreq.c — deadline-extension requests on pages (page_extreq.h):
 * POST /danh-gia/{id}/xin-gia-han (the school asks) and
 * POST /dot/{id}/xin-gia-han/{req} (the office grants or refuses). */
#include "page_extreq.h"
#include "assess.h"
#include "authz.h"
#include "html.h"
#include "q_account.h"
#include "q_extreq.h"
#include "q_unit.h"
#include "web.h"
#include "workflow.h"
#include <string.h>

static bool file_open(wf_state s)
{
	return s == WF_NOT_STARTED || s == WF_DRAFT || s == WF_SELF_ASSESSED || s == WF_APPROVED || s == WF_RETURNED;
}

/* A dissolved unit (a Phòng after 1/7/2025, the former Sở of a merged
 * province) has no one left to grant it more time: no request. */
static bool dissolved(web *w, const assess_view *v)
{
	const char *on = NULL;
	if (unit_dissolved_on(w->d, v->u.id, office_today_iso(w), w->a, &on) != DB_OK) db_clear_error(w->d);
	return on != NULL;
}

/* The effective deadline (yyyymmdd, 0 = none) and whether it is near
 * enough, or past, for a request. */
static int due_near(web *w, assess_view *v, int *days)
{
	wf_input in;
	assess_wf_input(w, v, &in);
	int due = wf_effective_deadline(&in);
	if (!due || !file_open(v->state) || dissolved(w, v)) return 0;
	*days = office_days(in.today, due);
	return *days <= EXTREQ_NEAR_DAYS ? due : 0;
}

static const char *iso_of(web *w, int ymd)
{
	return arena_printf(w->a, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static const char *evaluator_name(web *w, const assess_view *v)
{
	unit ev;
	return v->nevaluators && unit_get(w->d, v->evaluators[0], w->a, &ev) == DB_OK ? ev.name : "cơ quan đánh giá";
}

static void answers_list(web *w, const extreq *rq, size_t n, const char *who)
{
	html_f(w->out, "<ul class=\"extreq-answers\">");
	for (size_t i = 0; i < n; i++) {
		const extreq *r = &rq[i];
		html_f(w->out, "<li data-extreq=\"%D\">Đơn ngày %h (lý do: %h): ", r->id, office_time(w, r->requested_at), r->reason);
		if (r->status == EXTREQ_PENDING)
			html_f(w->out, "<strong>đang chờ %h trả lời</strong>.", who);
		else if (r->status == EXTREQ_GRANTED)
			html_f(w->out, "<strong class=\"ok\">được gia hạn đến %h</strong>%h%h.", web_date_short(w, r->until),
			       r->answer ? " — " : "", r->answer ? r->answer : "");
		else
			html_f(w->out, "<strong class=\"overdue\">không được gia hạn</strong> — %h.", r->answer ? r->answer : "");
		html_f(w->out, "</li>");
	}
	html_f(w->out, "</ul>");
}

void extreq_school_box(web *w, assess_view *v, const char *back, int heading)
{
	extreq *rq = NULL;
	size_t n = 0;
	extreq_of_assessment(w->d, v->as.id, w->a, &rq, &n);
	int days = 0, due = due_near(w, v, &days);
	if (!due && !n) return;
	const char *who = evaluator_name(w, v);
	html_f(w->out, "<section class=\"card extreq\" id=\"xin-gia-han\"><h%d>Hạn gửi hồ sơ</h%d>", heading, heading);
	if (due && days < 0)
		html_f(w->out, "<p>Hạn gửi hồ sơ (%h) đã qua %d ngày. ", web_date_short(w, iso_of(w, due)), -days);
	else if (due)
		html_f(w->out, "<p>Hạn gửi hồ sơ là %h (%h). ", web_date_short(w, iso_of(w, due)),
		       days ? arena_printf(w->a, "còn %d ngày", days) : "hôm nay");
	if (due) html_f(w->out, "Chỉ <strong>%h</strong> gia hạn được.</p>", who);
	if (n) answers_list(w, rq, n, who);
	bool waiting = n && rq[0].status == EXTREQ_PENDING;
	if (due && !waiting && assess_allowed(w, v, AUTHZ_SUBMIT, NULL, NULL)) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/xin-gia-han\" class=\"no-print\">", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"tro_ve\" value=\"%a\">"
		               "<label>Lý do xin gia hạn (gửi đến %h)<textarea name=\"ly_do\" rows=\"2\" required></textarea></label>"
		               "<button type=\"submit\">Xin gia hạn</button></form>", back, who);
	}
	html_f(w->out, "</section>");
}

static void ask_post(web *w)
{
	int days = 0;
	bool near = due_near(w, w->view, &days) != 0;
	int64_t id = w->view->as.id;
	if (!near) {
		web_error(w, 409, "Chỉ xin gia hạn được khi hạn gửi hồ sơ còn dưới 7 ngày hoặc đã qua, và hồ sơ chưa gửi.");
		return;
	}
	int rc = extreq_create(w->d, w->account_id, id, web_in_text(w, "ly_do"), NULL);
	if (rc != DB_OK) {
		web_error(w, rc == DB_EINVAL ? 422 : rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d));
		return;
	}
	const char *back = web_in_text(w, "tro_ve");
	bool form = back && strcmp(back, arena_printf(w->a, "/danh-gia/%lld", (long long)id)) == 0;
	web_redirect_notice(w, form ? back : "/", "gh-da-gui");
}

void extreq_inbox_section(web *w, const round_view *rv, const inbox_row *rows, size_t n)
{
	if (rv->closed || !round_allowed(w, rv, AUTHZ_OPEN_ROUND, NULL)) return;
	extreq *rq = NULL;
	size_t nrq = 0;
	extreq_pending_of_round(w->d, rv->r.id, w->a, &rq, &nrq);
	if (!nrq) return;
	html_f(w->out, "<section class=\"card no-print\" id=\"xin-gia-han\"><h2>Đơn xin gia hạn chờ trả lời (%z)</h2>", nrq);
	for (size_t i = 0; i < nrq; i++) {
		const inbox_row *r = NULL;
		for (size_t k = 0; k < n && !r; k++)
			if (rows[k].as.id == rq[i].assessment_id) r = &rows[k];
		if (!r || !office_assessment_allowed(w, rv, &r->as, AUTHZ_REVIEW)) continue;
		account acc = { 0 };
		account_get(w->d, rq[i].requested_by, w->a, &acc);
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/xin-gia-han/%D\" class=\"extreq-answer\" data-assessment=\"%D\">"
		               "<p><strong>%h</strong> — %h, lúc %h: %h</p>",
		       rv->r.id, rq[i].id, r->as.id, r->u.name, acc.full_name ? acc.full_name : "", office_time(w, rq[i].requested_at),
		       rq[i].reason);
		web_csrf_field(w);
		html_f(w->out, "<label>Hạn mới<input type=\"date\" name=\"han\" min=\"%a\"></label>"
		               "<label>Trả lời (bắt buộc khi từ chối)<textarea name=\"tra_loi\" rows=\"2\"></textarea></label>"
		               "<button type=\"submit\" name=\"quyet\" value=\"gia-han\">Gia hạn</button> "
		               "<button type=\"submit\" name=\"quyet\" value=\"tu-choi\" class=\"secondary\">Từ chối</button></form>",
		       office_today_iso(w));
	}
	html_f(w->out, "</section>");
}

static void answer_post(web *w)
{
	const round_view *rv = w->round;
	if (rv->closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return; }
	extreq rq;
	assessment as;
	if (extreq_get(w->d, w->ids[1], w->a, &rq) != DB_OK || assessment_get(w->d, rq.assessment_id, w->a, &as) != DB_OK ||
	    as.round_id != rv->r.id) {
		web_error(w, 404, "Không tìm thấy đơn xin gia hạn trong đợt này.");
		return;
	}
	if (!office_assessment_allowed(w, rv, &as, AUTHZ_REVIEW)) {
		web_error(w, 403, "Đơn vị này không do cơ quan của bạn đánh giá.");
		return;
	}
	const char *until = web_in_text(w, "han");
	bool grant = strcmp(web_in_text(w, "quyet"), "gia-han") == 0;   /* required */
	if (grant) {
		int ymd = assess_ymd(until);
		if (!ymd || !wf_date_valid(ymd) || ymd < assess_today()) {
			web_error(w, 422, "Hạn mới phải là một ngày hợp lệ, không trước hôm nay.");
			return;
		}
	}
	int rc = extreq_answer(w->d, w->account_id, rq.id, grant, until, web_in_text(w, "tra_loi"));
	if (rc != DB_OK) {
		web_error(w, rc == DB_EINVAL ? 422 : rc == DB_ECONFLICT ? 409 : 500, db_errmsg(w->d));
		return;
	}
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/hop-thu", (long long)rv->r.id), "gh-da-tra-loi");
}

/* Asking: why (q_extreq's limit) and the page to go back to (only the
 * assessment's own is followed). */
static const web_input ask_inputs[] = {
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 2000, .label = "lý do xin gia hạn" },
	{ .name = "tro_ve", .type = WEB_IN_TEXT, .max = 200, .label = "trang trở về" },
	{ .name = NULL },
};

/* Answering: grant or refuse (one of the form's two buttons), the new date
 * of a grant (not before today: the handler's 422), the answer. */
static const char *const answer_choices[] = { "gia-han", "tu-choi", NULL };
static const web_input answer_inputs[] = {
	{ .name = "quyet", .type = WEB_IN_ENUM, .values = answer_choices, .required = true, .label = "quyết định" },
	{ .name = "han", .type = WEB_IN_DATE, .label = "hạn mới" },
	{ .name = "tra_loi", .type = WEB_IN_TEXT, .max = 2000, .label = "trả lời" },
	{ .name = NULL },
};

const web_route page_extreq_routes[] = {
	{ "POST", "/danh-gia/{id}/xin-gia-han", ask_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_SUBMIT,
	  .inputs = ask_inputs },
	{ "POST", "/dot/{id}/xin-gia-han/{id}", answer_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND,
	  .inputs = answer_inputs },
	{ NULL, NULL, NULL, 0 },
};
