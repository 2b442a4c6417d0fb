/* page_commune.c — the managing unit's view of a round another office runs
 * (issue 11, item 1): since 1/7/2025 a commune or ward (UBND xã/phường)
 * manages its preschools, primary and lower-secondary schools while the Sở
 * evaluates them. The commune follows its schools in the Sở's round — their
 * states, deadlines, levels by unit type, the round's level targets over
 * its own schools — opens each school's file read-only (/danh-gia/{id},
 * decided by authz like any page) and reminds the late ones by e-mail.
 * It never reviews, evaluates or recognises: those stay with the evaluator.
 *
 * Access: the account's office roles whose office manages (parent
 * relation, on the round's date) units of the round; nothing else is
 * listed. Reminding a school is AUTHZ_REMIND (authz.c: its evaluator or
 * its direct manager). The e-mails go out as the background job of the
 * office's own reminders (remind.c). */
#include "job.h"
#include "mail.h"
#include "q_assessment.h"
#include "q_job.h"
#include "q_office.h"
#include "remind.h"
#include "util.h"
#include "vn.h"
#include "web_job.h"
#include "web_office.h"
#include "web_school.h"
#include "web_weakest.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct managed_row {
	assessment as;
	unit u;
	int64_t office;          /* the managing office it is listed under */
	wf_state state;
	int level;               /* the level that counts: recognised, else external, else self */
	int deadline, days;      /* effective deadline (yyyymmdd, 0 = none), days to it */
	bool overdue;
} managed_row;

typedef struct managed {
	round_view v;
	unit *offices;           /* the account's offices that manage units of the round */
	size_t noffices;
	managed_row *rows;
	size_t n, overdue;
} managed;

static int row_cmp(const void *a, const void *b)
{
	const managed_row *x = a, *y = b;
	if (x->overdue != y->overdue) return x->overdue ? -1 : 1;
	return vn_collate(x->u.name, y->u.name);
}

static void row_fill(const managed *m, managed_row *r)
{
	r->state = wf_state_parse(r->as.state);
	r->level = r->as.recognised_level ? r->as.recognised_level
		: r->as.external_level ? r->as.external_level : r->as.self_level;
	wf_input in = { .state = r->state, .today = assess_today(), .deadline = assess_ymd(m->v.r.self_due),
	                .extended_until = assess_ymd(r->as.extended_until) };
	r->deadline = wf_effective_deadline(&in);
	r->overdue = wf_overdue(&in);
	r->days = r->deadline ? office_days(in.today, r->deadline) : 0;
}

/* The schools of round w->ids[0] that the account's offices manage; renders
 * the error and returns false when there are none. */
static bool managed_load(web *w, managed *m)
{
	memset(m, 0, sizeof *m);
	m->v = *w->round;
	authz_account acc = web_account(w);
	const char *date = m->v.r.self_due ? m->v.r.self_due : office_today_iso(w);
	size_t cap = 0;
	m->offices = arena_alloc(w->a, (acc.n_grants + 1) * sizeof *m->offices);
	for (size_t g = 0; g < acc.n_grants; g++) {
		const authz_grant *gr = &acc.grants[g];
		if ((gr->role != AUTHZ_OFFICE_ADMIN && gr->role != AUTHZ_OFFICER) || gr->unit_id == m->v.r.office_unit_id) continue;
		bool seen = false;       /* two roles at one office: its schools once */
		for (size_t k = 0; k < m->noffices && !seen; k++) seen = m->offices[k].id == gr->unit_id;
		if (seen) continue;
		assessment *as = NULL;
		size_t n = 0;
		if (assessment_list_managed(w->d, m->v.r.id, gr->unit_id, date, w->a, &as, &n) != DB_OK || !n) {
			db_clear_error(w->d);
			continue;
		}
		if (unit_get(w->d, gr->unit_id, w->a, &m->offices[m->noffices]) != DB_OK) continue;
		m->noffices++;
		if (m->n + n > cap) {
			cap = (m->n + n) * 2;
			managed_row *grown = arena_alloc(w->a, cap * sizeof *grown);
			if (m->n) memcpy(grown, m->rows, m->n * sizeof *grown);
			m->rows = grown;
		}
		for (size_t i = 0; i < n; i++) {
			managed_row *r = &m->rows[m->n];
			memset(r, 0, sizeof *r);
			r->as = as[i];
			r->office = gr->unit_id;
			/* authz decides each school, as on the school's own page */
			if (!office_assessment_allowed(w, &m->v, &as[i], AUTHZ_VIEW) ||
			    unit_get(w->d, as[i].unit_id, w->a, &r->u) != DB_OK)
				continue;
			row_fill(m, r);
			if (r->overdue) m->overdue++;
			m->n++;
		}
	}
	if (!m->n) {
		web_error(w, 403, "Cơ quan của bạn không quản lý trường nào trong đợt đánh giá này.");
		return false;
	}
	sort_list(m->rows, m->n, sizeof *m->rows, row_cmp);
	return true;
}

static const char *offices_named(web *w, const managed *m)
{
	const char *s = m->offices[0].name;
	for (size_t i = 1; i < m->noffices; i++) s = arena_printf(w->a, "%s, %s", s, m->offices[i].name);
	return s;
}

/* ---- the page ------------------------------------------------------------------------ */

static void levels_table(web *w, const managed *m)
{
	static const char *const types[] = { "mam_non", "tieu_hoc", "thcs", "lien_cap", "thpt", "gdtx" };
	size_t tot[5] = { 0 };
	html_f(w->out, "<h2>Mức chuyển đổi số theo loại hình</h2><p class=\"explain\">Mức đã được công nhận; "
	               "nếu chưa thì mức đánh giá ngoài, rồi mức tự đánh giá.</p>"
	               "<div class=\"table-wrap\"><table class=\"levels\"><thead><tr><th>Loại hình</th><th>Số trường</th>"
	               "<th>Mức 1</th><th>Mức 2</th><th>Mức 3</th><th>Chưa có mức</th></tr></thead><tbody>");
	for (size_t t = 0; t < ARRAY_LEN(types); t++) {
		size_t c[5] = { 0 };
		for (size_t i = 0; i < m->n; i++)
			if (!strcmp(m->rows[i].u.type, types[t])) {
				c[0]++;
				c[m->rows[i].level >= 1 && m->rows[i].level <= 3 ? m->rows[i].level : 4]++;
			}
		if (!c[0]) continue;
		for (int k = 0; k < 5; k++) tot[k] += c[k];
		html_f(w->out, "<tr data-type=\"%a\"><td>%h</td><td>%z</td><td>%z</td><td>%z</td><td>%z</td><td>%z</td></tr>",
		       types[t], office_unit_type_label(types[t]), c[0], c[1], c[2], c[3], c[4]);
	}
	html_f(w->out, "<tr class=\"total\"><th>Tổng</th><td>%z</td><td>%z</td><td>%z</td><td>%z</td><td>%z</td></tr>"
	               "</tbody></table></div>", tot[0], tot[1], tot[2], tot[3], tot[4]);
}

/* The round's level targets over the commune's own schools. */
static void targets_table(web *w, const managed *m)
{
	round_target *t = NULL;
	size_t nt = 0;
	if (round_targets(w->d, m->v.r.id, w->a, &t, &nt) != DB_OK) db_clear_error(w->d);
	size_t shown = 0;
	for (size_t k = 0; k < nt; k++) {
		if (strcmp(t[k].kind, "level_share") != 0) continue;
		size_t n = 0, at = 0;
		for (size_t i = 0; i < m->n; i++) {
			if (t[k].unit_type && strcmp(t[k].unit_type, m->rows[i].u.type) != 0) continue;
			n++;
			if (m->rows[i].level >= t[k].level) at++;
		}
		if (!n) continue;
		if (!shown++)
			html_f(w->out, "<h2>Chỉ tiêu của đợt, tính trên các trường của cơ quan</h2><div class=\"table-wrap\">"
			               "<table class=\"targets\"><thead><tr><th>Chỉ tiêu</th><th>Đạt</th><th>Kết quả</th></tr></thead><tbody>");
		bool met = at * 100 >= (size_t)t[k].share_percent * n;
		html_f(w->out, "<tr class=\"%a\"><td>%h (%d%%)</td><td>%z/%z trường (%d%%)</td><td>%h</td></tr>",
		       met ? "met" : "unmet", t[k].label, t[k].share_percent, at, n, (int)(at * 100 / n), met ? "Đạt" : "Chưa đạt");
	}
	if (shown) html_f(w->out, "</tbody></table></div>");
}

static void schools_table(web *w, const managed *m)
{
	html_f(w->out, "<h2>Các trường</h2><div class=\"table-wrap\"><table class=\"units cards\"><thead><tr><th>Trường</th>"
	               "<th>Loại hình</th><th>Trạng thái</th><th>Hạn</th><th>Mức tự đánh giá</th><th>Mức công nhận</th></tr></thead><tbody>");
	for (size_t i = 0; i < m->n; i++) {
		const managed_row *r = &m->rows[i];
		html_f(w->out, "<tr%h data-unit=\"%a\"><td class=\"name\"><a href=\"/danh-gia/%D\">%h</a></td><td data-label=\"Loại hình\">%h</td>"
		               "<td data-label=\"Trạng thái\"><span class=\"state state-%a\">%h</span></td><td data-label=\"Hạn\">",
		       r->overdue ? " class=\"overdue-row\"" : "", r->u.code, r->as.id, r->u.name, office_unit_type_label(r->u.type),
		       wf_state_code(r->state), wf_state_label(r->state));
		if (r->overdue) html_f(w->out, "<span class=\"overdue\">Quá hạn %d ngày</span>", -r->days);
		else if (r->deadline && r->state < WF_SUBMITTED) html_f(w->out, "Còn %d ngày", r->days);
		else html_f(w->out, "—");
		html_f(w->out, "</td><td data-label=\"Mức tự đánh giá\">%h</td><td data-label=\"Mức công nhận\">%h</td></tr>",
		       r->as.self_level ? arena_printf(w->a, "Mức %d", r->as.self_level) : "—",
		       r->as.recognised_level ? arena_printf(w->a, "Mức %d", r->as.recognised_level) : "—");
	}
	html_f(w->out, "</tbody></table></div>");
}

static void reminder_form(web *w, const managed *m)
{
	html_f(w->out, "<section class=\"card no-print\" id=\"nhac-nho\"><h2>Nhắc các trường quá hạn</h2>");
	if (!mail_configured())
		html_f(w->out, "<p class=\"explain\">Chưa cấu hình gửi thư — hãy liên hệ quản trị hệ thống.</p>");
	html_f(w->out, "<form method=\"post\" action=\"/dot/%D/truong-quan-ly/nhac-nho\">", m->v.r.id);
	web_csrf_field(w);
	html_f(w->out, "<p class=\"explain\">Thư gửi đến thủ trưởng %z trường quá hạn chưa gửi hồ sơ, kèm hạn nộp, số ngày quá hạn "
	               "và đường dẫn đến hồ sơ.</p><label>Lời nhắn thêm (không bắt buộc)<textarea name=\"loi_nhan\" rows=\"3\" maxlength=\"2000\"></textarea></label>"
	               "<button type=\"submit\"%h>Gửi e-mail nhắc</button></form></section>",
	       m->overdue, mail_configured() ? "" : " disabled");
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Over the commune's own schools of the round (web_weakest.h). */
static void weakest_section(web *w, const managed *m)
{
	int64_t *ids = arena_alloc(w->a, m->n * sizeof *ids);
	for (size_t i = 0; i < m->n; i++) ids[i] = m->rows[i].as.id;
	sort_list(ids, m->n, sizeof *ids, id_cmp);
	weakest_acc k;
	weakest_init(w, &k);
	weakest_add_round(w, &k, &m->v.r, ids, m->n);
	weakest_render(w, &k, 10);
}

static void managed_get(web *w)
{
	managed m;
	if (!managed_load(w, &m)) return;
	unit org;
	const char *organiser = unit_get(w->d, m.v.r.office_unit_id, w->a, &org) == DB_OK ? org.name : "cơ quan cấp trên";
	page_begin(w, arena_printf(w->a, "Trường do cơ quan quản lý — %s", m.v.r.title));
	int counts[WF_STATE_COUNT] = { 0 };
	for (size_t i = 0; i < m.n; i++)
		if (m.rows[i].state >= 0) counts[m.rows[i].state]++;
	html_f(w->out, "<section class=\"card\"><h1>%h</h1><p class=\"explain\">Các trường do <strong>%h</strong> quản lý trong đợt "
	               "do %h tổ chức, đánh giá và công nhận: theo dõi tiến độ, xem hồ sơ và minh chứng, nhắc trường quá hạn "
	               "(không chấm, không công nhận).</p><dl class=\"facts\"><dt>Hạn tự đánh giá và gửi hồ sơ</dt><dd>",
	       m.v.r.title, offices_named(w, &m), organiser);
	if (!m.v.closed) school_deadline(w, m.v.r.self_due);
	else html_f(w->out, "%h", m.v.r.self_due ? web_date_long(w, m.v.r.self_due) : "chưa đặt hạn");
	html_f(w->out, "</dd><dt>Trường</dt><dd id=\"so-truong\">%z trường", m.n);
	for (int s = 0; s < WF_STATE_COUNT; s++)
		if (counts[s]) html_f(w->out, " · %h: %d", wf_state_label((wf_state)s), counts[s]);
	if (m.overdue) html_f(w->out, "<br><span class=\"overdue\">Quá hạn chưa gửi: %z trường</span>", m.overdue);
	html_f(w->out, "</dd></dl></section><section class=\"card\">");
	levels_table(w, &m);
	targets_table(w, &m);
	schools_table(w, &m);
	html_f(w->out, "</section>");
	weakest_section(w, &m);
	if (m.overdue && !m.v.closed) reminder_form(w, &m);
	page_end(w);
}

/* ---- reminders ------------------------------------------------------------------------- */

static const char *reminder_body(web *w, const managed *m, const managed_row *r, const char *from, const char *extra)
{
	const char *deadline = arena_printf(w->a, "%04d-%02d-%02d", r->deadline / 10000, r->deadline / 100 % 100, r->deadline % 100);
	return arena_printf(w->a,
		"Kính gửi: Thủ trưởng %s,\n\n"
		"%s thông báo: hồ sơ tự đánh giá mức độ chuyển đổi số của đơn vị trong đợt «%s» chưa được gửi "
		"và đã quá hạn %d ngày (hạn nộp: %s). Trạng thái hiện tại: %s.\n\n%s%s"
		"Đề nghị đơn vị hoàn thành và gửi hồ sơ trên Chiso: %s/danh-gia/%lld\n\nTrân trọng,\n%s\n",
		r->u.name, from, m->v.r.title, -r->days, web_date_short(w, deadline), wf_state_label(r->state),
		extra && *extra ? extra : "", extra && *extra ? "\n\n" : "", office_base_url(w), (long long)r->as.id, from);
}

static const char *office_name_of(const managed *m, int64_t id)
{
	for (size_t i = 0; i < m->noffices; i++)
		if (m->offices[i].id == id) return m->offices[i].name;
	return "";
}

/* The messages are written now, from the list as the commune sees it;
 * the worker sends them (remind.c). */
static void reminders_post(web *w)
{
	managed m;
	if (!managed_load(w, &m)) return;
	if (m.v.closed) { web_error(w, 409, "Đợt đánh giá đã kết thúc."); return; }
	if (!mail_configured()) { web_error(w, 503, "Chưa cấu hình máy chủ thư (CHISO_SMTP_URL, CHISO_SMTP_FROM)."); return; }
	const char *extra = web_in_text(w, "loi_nhan");
	remind_batch b;
	remind_batch_init(&b);
	size_t nlate = 0;
	for (size_t i = 0; i < m.n; i++) {
		const managed_row *r = &m.rows[i];
		if (!r->overdue || !office_assessment_allowed(w, &m.v, &r->as, AUTHZ_REMIND)) continue;
		nlate++;
		unit_contact *cs = NULL;
		size_t nc = 0;
		office_unit_contacts(w->d, r->u.id, w->a, &cs, &nc);
		if (!nc) {
			const char *why = "Chưa có địa chỉ e-mail của thủ trưởng đơn vị.";
			office_reminder_record(w->d, w->account_id, m.v.r.id, r->u.id, NULL, false, why);
			remind_batch_skip(&b, r->u.id, r->u.name, why);
			continue;
		}
		const char *body = reminder_body(w, &m, r, office_name_of(&m, r->office), extra);
		const char *subject = arena_printf(w->a, "Nhắc hạn gửi hồ sơ tự đánh giá chuyển đổi số — %s", r->u.name);
		remind_batch_add(&b, r->u.id, r->u.name, cs, nc, subject, body, NULL);
	}
	if (!nlate) {
		remind_batch_free(&b);
		web_error(w, 409, "Không có trường nào quá hạn để nhắc.");
		return;
	}
	int64_t id = 0;
	if (!web_remind_queue(w, m.v.r.id, &b, nlate, &id)) return;
	http_redirect(w->r, arena_printf(w->a, "/dot/%lld/truong-quan-ly/nhac-nho/%lld", (long long)m.v.r.id, (long long)id));
}

/* The commune's own reminders of this round: the job must be of the round,
 * of the reminders' kind and asked by this account. */
static bool reminder_load(web *w, managed *m, job_row *j)
{
	if (!managed_load(w, m)) return false;
	if (job_get(w->d, w->ids[1], w->a, j) != DB_OK || j->round_id != m->v.r.id || strcmp(j->kind, REMIND_KIND) != 0 ||
	    j->requested_by != w->account_id) {
		db_clear_error(w->d);
		web_error(w, 404, "Không tìm thấy lần gửi thư nhắc này trong đợt đánh giá.");
		return false;
	}
	return true;
}

static void reminder_get(web *w)
{
	managed m;
	job_row j;
	if (!reminder_load(w, &m, &j)) return;
	const char *base = arena_printf(w->a, "/dot/%lld/truong-quan-ly/nhac-nho/%lld", (long long)m.v.r.id, (long long)j.id);
	page_begin(w, "Gửi e-mail nhắc");
	web_job_card_begin(w, &j, base, "thư");
	html_f(w->out, "<h2>Nhắc các trường quá hạn — %h</h2>", m.v.r.title);
	web_job_progress(w, &j, j.done, j.total, "thư");
	html_f(w->out, "<ul class=\"outcomes\" id=\"job-message\">");
	const char *msg = j.message ? j.message : "";
	for (const char *line = msg; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len) html_f(w->out, "<li>%h</li>", arena_strndup(w->a, line, len));
		line += len + (end ? 1 : 0);
	}
	html_f(w->out, "</ul><p><a href=\"/dot/%D/truong-quan-ly\">Về danh sách trường</a></p></section>", m.v.r.id);
	page_end(w);
}

static void reminder_status(web *w)
{
	managed m;
	job_row j;
	if (!reminder_load(w, &m, &j)) return;
	web_job_status_reply(w, &j, j.done, j.total, j.message, NULL);
}

static const web_input reminder_inputs[] = {
	{ .name = "loi_nhan", .type = WEB_IN_TEXT, .max = 2000, .label = "lời nhắn thêm" },
	{ .name = NULL },
};

const web_route page_commune_routes[] = {
	/* not the round's office (WEB_LOAD_ROUND would refuse the commune): the offices
	 * managing its schools; each school is decided by authz (managed_load) */
	{ "GET", "/dot/{id}/truong-quan-ly", managed_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_MANAGED },
	{ "POST", "/dot/{id}/truong-quan-ly/nhac-nho", reminders_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_MANAGED,
	  .inputs = reminder_inputs },
	{ "GET", "/dot/{id}/truong-quan-ly/nhac-nho/{id}", reminder_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_MANAGED },
	{ "GET", "/dot/{id}/truong-quan-ly/nhac-nho/{id}/trang-thai", reminder_status, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND_MANAGED },
	{ NULL, NULL, NULL, 0 },
};
