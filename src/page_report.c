/* page_report.c — reporting up is a step (issue 11, item 4): the round's
 * office (a Phòng, a commune, a Sở) writes its "báo cáo kết quả" — the
 * figures computed from its round, a narrative, the generated summary
 * report beside it — and sends it to its managing body on the round's
 * report date; the superior acknowledges it or returns it with a reason;
 * the office sends it again. The superior's inbox (/bao-cao-cap-duoi)
 * lists every report due to it, late ones first, exactly as a school's
 * file is followed.
 *
 * The transitions are workflow.c's (wf_report_check), the capacities
 * authz.c's (authz_report_capacities), the rows q_report.c's. */
#include "job.h"
#include "mail.h"
#include "q_assessment.h"
#include "q_job.h"
#include "q_office.h"
#include "q_report.h"
#include "q_unit.h"
#include "remind.h"
#include "util.h"
#include "web.h"
#include "web_office.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct report_view {
	round_view v;
	const char *date;            /* the round's report date: the superior is read on it */
	int64_t superior;            /* the office's managing body then; 0 = none */
	unit superior_unit;
	office_report rep;           /* id 0: not written yet */
	wf_report_state state;
	unsigned caps;               /* WF_REPORT_BY_* */
	int due;                     /* yyyymmdd, 0 = none */
} report_view;

/* The round the dispatcher loaded (WEB_LOAD_ROUND_REPORT: on the report
 * date, with a report capacity), its superior and its report. */
static bool report_load(web *w, report_view *rv)
{
	memset(rv, 0, sizeof *rv);
	rv->v = *w->round;
	const round_view *v = &rv->v;
	rv->date = v->date;
	rv->caps = round_report_capacities(w, v);
	rv->superior = v->nparents ? v->parents[0] : 0;
	if (rv->superior && unit_get(w->d, rv->superior, w->a, &rv->superior_unit) != DB_OK) rv->superior = 0;
	int rc = report_get_round(w->d, v->r.id, w->a, &rv->rep);
	if (rc != DB_OK && rc != DB_ENOTFOUND) {
		web_error(w, 500, "Không đọc được báo cáo. Vui lòng thử lại.");
		return false;
	}
	db_clear_error(w->d);
	rv->state = rv->rep.id ? wf_report_state_parse(rv->rep.state) : WF_REPORT_DRAFT;
	rv->due = assess_ymd(v->r.report_due);
	return true;
}

/* The figures of the round as they stand: units and recognised levels. */
static char *figures_now(web *w, const report_view *rv)
{
	int64_t c[4] = { 0 };
	if (assessment_level_counts(w->d, rv->v.r.id, NULL, c) != DB_OK) db_clear_error(w->d);
	json_int_t units = (json_int_t)c[0] + (json_int_t)c[1] + (json_int_t)c[2] + (json_int_t)c[3];
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I}", "units", units,
	                      "muc_1", (json_int_t)c[1], "muc_2", (json_int_t)c[2], "muc_3", (json_int_t)c[3],
	                      "chua_cong_nhan", (json_int_t)c[0]);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	char *out = arena_strdup(w->a, s ? s : "{}");
	free(s);
	return out;
}

static void figures_table(web *w, const char *json, bool frozen)
{
	json_t *o = json_loads(json ? json : "{}", 0, NULL);
	html_f(w->out, "<h2>Số liệu %h</h2><table class=\"levels\" id=\"so-lieu\"><tbody>"
	               "<tr><th>Số đơn vị</th><td>%D</td></tr><tr><th>Mức 1</th><td>%D</td></tr><tr><th>Mức 2</th><td>%D</td></tr>"
	               "<tr><th>Mức 3</th><td>%D</td></tr><tr><th>Chưa được công nhận</th><td>%D</td></tr></tbody></table>",
	       frozen ? "đã báo cáo" : "của đợt (mức đã công nhận, tính đến hôm nay)",
	       (int64_t)json_integer_value(json_object_get(o, "units")), (int64_t)json_integer_value(json_object_get(o, "muc_1")),
	       (int64_t)json_integer_value(json_object_get(o, "muc_2")), (int64_t)json_integer_value(json_object_get(o, "muc_3")),
	       (int64_t)json_integer_value(json_object_get(o, "chua_cong_nhan")));
	json_decref(o);
}

static void history(web *w, const report_view *rv)
{
	report_transition_row *h = NULL;
	size_t n = 0;
	if (!rv->rep.id || report_history(w->d, rv->rep.id, w->a, &h, &n) != DB_OK || !n) return;
	html_f(w->out, "<h2>Quá trình</h2><ol class=\"history\">");
	for (size_t i = 0; i < n; i++)
		html_f(w->out, "<li>%h: %h%h%h</li>", office_time(w, h[i].at),
		       wf_report_state_label(wf_report_state_parse(h[i].to_state)), h[i].reason ? " — lý do: " : "",
		       h[i].reason ? h[i].reason : "");
	html_f(w->out, "</ol>");
}

static void report_get(web *w)
{
	report_view rv;
	if (!report_load(w, &rv)) return;
	page_begin(w, arena_printf(w->a, "Báo cáo kết quả lên cấp trên — %s", rv.v.r.title));
	bool late = wf_report_overdue(rv.state, assess_today(), rv.due);
	html_f(w->out, "<section class=\"card\"><h1>Báo cáo kết quả lên cấp trên</h1><p>%h — %h</p><dl class=\"facts\">"
	               "<dt>Gửi đến</dt><dd>%h</dd><dt>Hạn gửi</dt><dd>%h%h</dd><dt>Trạng thái</dt>"
	               "<dd><span class=\"state report-%a\" id=\"trang-thai\">%h</span></dd></dl>",
	       rv.v.office.name, rv.v.r.title, rv.superior ? rv.superior_unit.name : "Chưa có cơ quan cấp trên trên hệ thống",
	       rv.v.r.report_due ? web_date_long(w, rv.v.r.report_due) : "chưa đặt hạn",
	       late ? " — quá hạn" : "", wf_report_state_code(rv.state), rv.rep.id ? wf_report_state_label(rv.state) : "Chưa gửi");
	if (rv.rep.return_reason && rv.state == WF_REPORT_RETURNED)
		html_f(w->out, "<p class=\"error-msg\" role=\"alert\">Cấp trên trả lại: %h</p>", rv.rep.return_reason);
	figures_table(w, rv.rep.figures_json ? rv.rep.figures_json : figures_now(w, &rv), rv.rep.figures_json != NULL);
	html_f(w->out, "<p><a href=\"/dot/%D/van-ban\">Báo cáo tổng hợp kết quả đánh giá (văn bản tạo tự động)</a></p>", rv.v.r.id);
	bool editable = (rv.caps & WF_REPORT_BY_SENDER) && (rv.state == WF_REPORT_DRAFT || rv.state == WF_REPORT_RETURNED);
	if (editable && rv.superior) {
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/bao-cao-cap-tren\">", rv.v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Đánh giá chung, kiến nghị<textarea name=\"noi_dung\" rows=\"8\" maxlength=\"20000\">%h</textarea></label>"
		               "<button type=\"submit\" name=\"thao_tac\" value=\"luu\" class=\"secondary\">Lưu</button> "
		               "<button type=\"submit\" name=\"thao_tac\" value=\"gui\">%h</button></form>",
		       rv.rep.narrative ? rv.rep.narrative : "", rv.state == WF_REPORT_RETURNED ? "Gửi lại báo cáo" : "Gửi báo cáo");
	} else if (rv.rep.narrative) {
		html_f(w->out, "<h2>Đánh giá chung, kiến nghị</h2><p class=\"narrative\">%h</p>", rv.rep.narrative);
	}
	if ((rv.caps & WF_REPORT_BY_SUPERIOR) && rv.state == WF_REPORT_SENT && rv.rep.id) {
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/bao-cao-cap-tren\">", rv.v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" name=\"thao_tac\" value=\"tiep-nhan\">Tiếp nhận báo cáo</button>"
		               "<label>Lý do trả lại<textarea name=\"ly_do\" rows=\"3\" maxlength=\"2000\"></textarea></label>"
		               "<button type=\"submit\" name=\"thao_tac\" value=\"tra-lai\" class=\"secondary\">Trả lại</button></form>");
	}
	if ((rv.caps & WF_REPORT_BY_SUPERIOR) && late) {
		html_f(w->out, "<form method=\"post\" action=\"/dot/%D/bao-cao-cap-tren/nhac-nho\" class=\"no-print\" id=\"nhac-bao-cao\">",
		       rv.v.r.id);
		web_csrf_field(w);
		html_f(w->out, "<label>Lời nhắn thêm (không bắt buộc)<textarea name=\"loi_nhan\" rows=\"2\" maxlength=\"2000\"></textarea></label>"
		               "<button type=\"submit\">Nhắc %h gửi báo cáo</button></form>", rv.v.office.name);
	}
	history(w, &rv);
	html_f(w->out, "</section>");
	page_end(w);
}

/* ---- the superior reminds a late reporter (e-mail through the reminders' job, remind.c) ---- */

static const char *report_reminder_body(web *w, const report_view *rv, const char *extra)
{
	int days = office_days(rv->due, assess_today());
	return arena_printf(w->a,
		"Kính gửi: Thủ trưởng %s,\n\n"
		"%s nhắc: báo cáo kết quả đánh giá mức độ chuyển đổi số của đợt «%s» chưa được gửi "
		"và đã quá hạn %d ngày (hạn gửi: %s). Trạng thái hiện tại: %s.\n\n%s%s"
		"Đề nghị cơ quan hoàn thành và gửi báo cáo trên Chiso: %s/dot/%lld/bao-cao-cap-tren\n\nTrân trọng,\n%s\n",
		rv->v.office.name, rv->superior_unit.name, rv->v.r.title, days, web_date_short(w, rv->v.r.report_due),
		rv->rep.id ? wf_report_state_label(rv->state) : "Chưa gửi", extra && *extra ? extra : "", extra && *extra ? "\n\n" : "",
		office_base_url(w), (long long)rv->v.r.id, rv->superior_unit.name);
}

static void report_remind_post(web *w)
{
	report_view rv;
	if (!report_load(w, &rv)) return;
	if (!(rv.caps & WF_REPORT_BY_SUPERIOR) || !rv.superior) {
		web_error(w, 403, "Chỉ cơ quan cấp trên nhận báo cáo mới nhắc được.");
		return;
	}
	if (!wf_report_overdue(rv.state, assess_today(), rv.due)) { web_error(w, 409, "Báo cáo chưa quá hạn hoặc đã được gửi."); return; }
	if (!mail_configured()) { web_error(w, 503, "Chưa cấu hình máy chủ thư (CHISO_SMTP_URL, CHISO_SMTP_FROM)."); return; }
	unit_contact *cs = NULL;
	size_t nc = 0;
	office_unit_contacts(w->d, rv.v.office.id, w->a, &cs, &nc);
	remind_batch b;
	remind_batch_init(&b);
	const char *subject = arena_printf(w->a, "Nhắc hạn gửi báo cáo kết quả đánh giá chuyển đổi số — %s", rv.v.office.name);
	const char *body = report_reminder_body(w, &rv, web_in_text(w, "loi_nhan"));
	remind_batch_add(&b, rv.v.office.id, rv.v.office.name, cs, nc, subject, body, NULL);
	if (!nc) remind_batch_skip(&b, rv.v.office.id, rv.v.office.name, "Chưa có địa chỉ e-mail của thủ trưởng cơ quan.");
	int64_t id = 0;
	if (!web_remind_queue(w, rv.v.r.id, &b, 1, &id)) return;
	web_redirect_notice(w, arena_printf(w->a, "/dot/%lld/bao-cao-cap-tren", (long long)rv.v.r.id), nc ? "bc-da-nhac" : "bc-chua-co-thu");
}

/* The posted actions: report_verbs[i] is wf_report_action i, then "luu" (save). */
static const char *const report_verbs[] = { "gui", "tra-lai", "tiep-nhan", "luu", NULL };

static void report_post(web *w)
{
	report_view rv;
	if (!report_load(w, &rv)) return;
	const char *what = web_in_text(w, "thao_tac");   /* required, one of report_verbs */
	const char *text = web_in_text(w, "noi_dung");
	int a = -1;
	for (int i = 0; i < 3; i++)   /* report_verbs[i] is wf_report_action i */
		if (!strcmp(what, report_verbs[i])) a = i;
	bool save = a < 0;
	if ((save || a == WF_REPORT_SEND) && !rv.superior) {
		web_error(w, 409, "Cơ quan chưa có cấp trên quản lý trên hệ thống vào ngày báo cáo.");
		return;
	}
	if (save || a == WF_REPORT_SEND) {
		if (!(rv.caps & WF_REPORT_BY_SENDER)) { web_error(w, 403, "Chỉ cơ quan lập báo cáo mới được sửa báo cáo."); return; }
		const char *editable[] = { wf_report_state_code(WF_REPORT_DRAFT), wf_report_state_code(WF_REPORT_RETURNED), NULL };
		int64_t id = 0;
		int rc = report_save(w->d, w->account_id, rv.v.r.id, rv.v.office.id, rv.superior,
		                     wf_report_state_code(WF_REPORT_DRAFT), editable, text, &id);
		if (rc != DB_OK) {
			web_error(w, rc == DB_ECONFLICT ? 409 : 422, arena_strdup(w->a, db_errmsg(w->d)));
			db_clear_error(w->d);
			return;
		}
		rv.rep.id = id;
		rv.rep.narrative = text;   /* the form's text, an empty one too */
	}
	if (a >= 0) {
		wf_report_input in = { .state = rv.state, .actor = rv.caps, .reason = web_in_text(w, "ly_do"),
		                       .narrative = rv.rep.narrative };
		wf_result res;
		int next = rv.rep.id ? wf_report_check(&in, (wf_report_action)a, &res) : -1;
		if (!rv.rep.id) snprintf(res.message, sizeof res.message, "Báo cáo chưa được lập.");
		if (next < 0) {
			web_error(w, res.refusal == WF_REFUSED_ROLE ? 403 : res.refusal == WF_REFUSED_STATE ? 409 : 422,
			          arena_strdup(w->a, res.message));
			return;
		}
		int rc = report_transition(w->d, w->account_id, rv.rep.id, wf_report_state_code(rv.state),
		                           wf_report_state_code((wf_report_state)next),
		                           a == WF_REPORT_SEND ? figures_now(w, &rv) : NULL, a == WF_REPORT_RETURN ? in.reason : NULL);
		if (rc != DB_OK) {
			web_error(w, rc == DB_ECONFLICT ? 409 : 500, arena_strdup(w->a, db_errmsg(w->d)));
			db_clear_error(w->d);
			return;
		}
	}
	http_redirect(w->r, arena_printf(w->a, "/dot/%lld/bao-cao-cap-tren", (long long)rv.v.r.id));
}

/* ---- the superior's inbox --------------------------------------------------------------- */

static void inbox_get(web *w)
{
	authz_account acc = web_account(w);
	report_inbox_row *all = NULL;
	size_t n = 0, cap = 0;
	for (size_t g = 0; g < acc.n_grants; g++) {
		if (acc.grants[g].role != AUTHZ_OFFICE_ADMIN && acc.grants[g].role != AUTHZ_OFFICER) continue;
		bool seen = false;       /* two roles at one office: its reports once */
		for (size_t k = 0; k < g && !seen; k++)
			seen = acc.grants[k].unit_id == acc.grants[g].unit_id &&
			       (acc.grants[k].role == AUTHZ_OFFICE_ADMIN || acc.grants[k].role == AUTHZ_OFFICER);
		if (seen) continue;
		report_inbox_row *rows = NULL;
		size_t k = 0;
		if (report_inbox(w->d, acc.grants[g].unit_id, w->a, &rows, &k) != DB_OK) { db_clear_error(w->d); continue; }
		if (n + k > cap) {
			cap = (n + k) * 2;
			report_inbox_row *grown = arena_alloc(w->a, cap * sizeof *grown);
			if (n) memcpy(grown, all, n * sizeof *grown);
			all = grown;
		}
		for (size_t i = 0; i < k; i++) all[n++] = rows[i];
	}
	if (!n && !acc.n_grants) { web_error(w, 403, "Trang này dành cho cơ quan quản lý."); return; }
	page_begin(w, "Báo cáo của cơ quan cấp dưới");
	int today = assess_today();
	size_t late = 0;
	for (size_t i = 0; i < n; i++) {
		wf_report_state s = all[i].report.id ? wf_report_state_parse(all[i].report.state) : WF_REPORT_DRAFT;
		if (wf_report_overdue(s, today, assess_ymd(all[i].round.report_due))) late++;
	}
	html_f(w->out, "<section class=\"card\"><h1>Báo cáo của cơ quan cấp dưới</h1><p id=\"tom-tat\">%z báo cáo; "
	               "<span class=\"overdue\">quá hạn chưa gửi: %z</span></p>", n, late);
	if (!n) html_f(w->out, "<p>Chưa có cơ quan cấp dưới nào phải báo cáo.</p>");
	else
		/* one card per report on a phone (chiso.css, table.cards): four columns squeezed the
		 * round's title to a word per line */
		html_f(w->out, "<div class=\"table-wrap\"><table class=\"units cards\"><thead><tr><th>Cơ quan</th><th>Đợt đánh giá</th>"
		               "<th>Hạn</th><th>Trạng thái</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const report_inbox_row *x = &all[i];
		wf_report_state s = x->report.id ? wf_report_state_parse(x->report.state) : WF_REPORT_DRAFT;
		bool is_late = wf_report_overdue(s, today, assess_ymd(x->round.report_due));
		html_f(w->out, "<tr%h data-round=\"%D\"><td data-label=\"Cơ quan\">%h</td><td data-label=\"Đợt đánh giá\">"
		               "<a href=\"/dot/%D/bao-cao-cap-tren\">%h</a></td><td data-label=\"Hạn\"><span class=\"date\">%h</span>%h</td>"
		               "<td data-label=\"Trạng thái\"><span class=\"state report-%a\">%h</span></td></tr>",
		       is_late ? " class=\"overdue-row\"" : "", x->round.id, x->office_name, x->round.id, x->round.title,
		       x->round.report_due ? web_date_short(w, x->round.report_due) : "—", is_late ? " (quá hạn)" : "",
		       wf_report_state_code(s), x->report.id && s != WF_REPORT_DRAFT ? wf_report_state_label(s) : "Chưa gửi");
	}
	if (n) html_f(w->out, "</tbody></table></div>");
	html_f(w->out, "</section>");
	page_end(w);
}

/* The sender's form (save or send, with the text) and the superior's
 * (acknowledge or return, with why). Limits as q_report's. */
static const web_input report_inputs[] = {
	{ .name = "thao_tac", .type = WEB_IN_ENUM, .values = report_verbs, .required = true, .label = "thao tác" },
	{ .name = "noi_dung", .type = WEB_IN_TEXT, .max = 20000, .label = "đánh giá chung, kiến nghị" },
	{ .name = "ly_do", .type = WEB_IN_TEXT, .max = 2000, .label = "lý do trả lại" },
	{ .name = NULL },
};

static const web_input remind_inputs[] = {
	{ .name = "loi_nhan", .type = WEB_IN_TEXT, .max = 2000, .label = "lời nhắn thêm" },
	{ .name = NULL },
};

const web_route page_report_routes[] = {
	{ "GET", "/dot/{id}/bao-cao-cap-tren", report_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_REPORT },
	{ "POST", "/dot/{id}/bao-cao-cap-tren", report_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_REPORT, .inputs = report_inputs },
	{ "GET", "/bao-cao-cap-duoi", inbox_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	/* the superior's capacity and the report being late: asked in the handler (round_report_capacities, workflow.c) */
	{ "POST", "/dot/{id}/bao-cao-cap-tren/nhac-nho", report_remind_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_REPORT,
	  .inputs = remind_inputs },
	{ NULL, NULL, NULL, 0 },
};
