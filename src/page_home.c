/* page_home.c — the signed-in home page: for each of the account's roles,
 * where things stand and what to do next.
 *
 * A school (principal, council member) sees its current round: the
 * deadline with the days left, the workflow state, progress (items
 * answered, items backed by evidence), the approval, what comes next and
 * the council tasks due for this account. An office sees its rounds with
 * the state of every unit, overdue ones marked (a simple list; the office
 * inbox is its own page). An external evaluator sees the units assigned
 * to it. Everything shown goes through the same authz as the pages it
 * links to: assess_view_load asks before a school's assessment is read. */
#include "page_extreq.h"
#include "q_account.h"
#include "q_council.h"
#include "q_report.h"
#include "q_school.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_office.h"
#include "web_school.h"
#include <stdlib.h>
#include <string.h>

/* ---- a school --------------------------------------------------------------- */

static const char *next_step(web *w, assess_view *v, bool principal, size_t unanswered)
{
	switch (v->state) {
	case WF_NOT_STARTED:
		if (!principal) return "Chờ thủ trưởng đơn vị bắt đầu hồ sơ tự đánh giá.";
		return v->council_formed ? "Mở phiếu tự đánh giá và phân công chỉ tiêu cho thành viên hội đồng."
		                         : "Thành lập hội đồng tự đánh giá, phân công chỉ tiêu và nhiệm vụ cho các thành viên.";
	case WF_DRAFT:
		if (!v->council_formed) return "Thành lập hội đồng tự đánh giá (cần có trước khi tổng hợp kết quả).";
		if (unanswered)
			return arena_printf(w->a, "Đánh giá nốt %zu chỉ tiêu bắt buộc và bổ sung minh chứng.", unanswered);
		return "Hội đồng tổng hợp kết quả (thư ký hoặc thủ trưởng đơn vị bấm «Tổng hợp kết quả» trên phiếu).";
	case WF_SELF_ASSESSED:
		return principal ? "Xem lại và phê duyệt kết quả tự đánh giá." : "Chờ thủ trưởng đơn vị phê duyệt kết quả.";
	case WF_APPROVED:
		return principal ? "Gửi hồ sơ kèm tờ trình đề nghị đánh giá ngoài trước hạn."
		                 : "Chờ thủ trưởng đơn vị gửi hồ sơ đến cơ quan quản lý.";
	case WF_SUBMITTED: return "Đã gửi hồ sơ; chờ cơ quan quản lý xem xét và đánh giá ngoài.";
	case WF_RETURNED:
		return "Bổ sung theo yêu cầu của cơ quan quản lý, tổng hợp, phê duyệt rồi gửi lại trước hạn bổ sung.";
	case WF_UNDER_EVALUATION: return "Đoàn đánh giá ngoài đang làm việc.";
	case WF_EVALUATED: return "Đã đánh giá ngoài; chờ quyết định công nhận mức độ chuyển đổi số.";
	case WF_RECOGNISED:
		return v->as.recognised_level ? arena_printf(w->a, "Đã được công nhận Mức %d.", v->as.recognised_level)
		                              : "Đã được công nhận.";
	case WF_PUBLISHED: return "Kết quả đã được công bố.";
	default: return "";
	}
}

static void state_badge(web *w, wf_state s)
{
	html_f(w->out, "<span class=\"state state-%a\">%h</span>", wf_state_code(s), wf_state_label(s));
}

static bool before_submission(wf_state s)
{
	return s == WF_NOT_STARTED || s == WF_DRAFT || s == WF_SELF_ASSESSED || s == WF_APPROVED || s == WF_RETURNED;
}

static void level_text(web *w, const fw_band *b)
{
	if (b) html_f(w->out, " <span class=\"level-%d\">%h</span>", b->level, b->name);
}

/* Tasks of this assessment still open, for this account (or all of them
 * for the principal), nearest deadline first. */
typedef struct open_task {
	const council_task *t;
	int due;
} open_task;

static int task_cmp(const void *a, const void *b)
{
	const open_task *x = a, *y = b;
	int dx = x->due ? x->due : 99999999, dy = y->due ? y->due : 99999999;
	if (dx != dy) return dx < dy ? -1 : 1;
	return x->t->seq - y->t->seq;
}

static const char *member_name(const council_member *m, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].id == id) return m[i].full_name;
	return "";
}

static void tasks_due(web *w, assess_view *v, bool principal)
{
	council cn;
	if (council_get(w->d, v->as.id, w->a, &cn) != DB_OK) return;
	council_member *m = NULL;
	council_task *t = NULL;
	size_t nm = 0, nt = 0;
	if (council_members(w->d, cn.id, w->a, &m, &nm) != DB_OK || council_tasks(w->d, v->as.id, w->a, &t, &nt) != DB_OK)
		return;
	int64_t mine = 0;                      /* this account's member id */
	for (size_t i = 0; i < nm; i++)
		if (m[i].account_id == w->account_id) mine = m[i].id;
	open_task *list = arena_alloc(w->a, (nt + 1) * sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < nt; i++) {
		if (!strcmp(t[i].status, "done")) continue;
		bool own = mine && t[i].owner_member_id == mine;
		for (size_t k = 0; k < t[i].nmembers && mine && !own; k++) own = t[i].member_ids[k] == mine;
		if (!own && !principal) continue;
		list[n].t = &t[i];
		list[n++].due = assess_ymd(t[i].due);
	}
	if (!n) return;
	sort_list(list, n, sizeof *list, task_cmp);
	html_f(w->out, "<h4>%h</h4><table class=\"tasks compact cards\"><thead><tr><th>TT</th><th>Nhiệm vụ</th><th>Hạn</th>"
	               "<th>Người chủ trì</th></tr></thead><tbody>",
	       principal ? "Nhiệm vụ của hội đồng chưa hoàn thành" : "Nhiệm vụ của bạn");
	for (size_t i = 0; i < n && i < 8; i++) {
		const council_task *x = list[i].t;
		html_f(w->out, "<tr><td class=\"seq\">%d</td><td class=\"name\">%h</td><td data-label=\"Hạn\">%h ", x->seq, x->title,
		       x->due ? web_date_short(w, x->due) : (x->due_label ? x->due_label : "—"));
		school_days_left(w, x->due);
		html_f(w->out, "</td><td data-label=\"Người chủ trì\">%h</td></tr>", member_name(m, nm, x->owner_member_id));
	}
	html_f(w->out, "</tbody></table>");
	if (n > 8) html_f(w->out, "<p class=\"explain\">… và %z nhiệm vụ khác.</p>", n - 8);
	html_f(w->out, "<p><a href=\"/danh-gia/%D/hoi-dong#nhiem-vu\">Bảng nhiệm vụ của hội đồng</a></p>", v->as.id);
}

/* The items assigned to this account as a council member. */
static void my_items(web *w, assess_view *v)
{
	council cn;
	if (council_get(w->d, v->as.id, w->a, &cn) != DB_OK) return;
	council_member *m = NULL;
	size_t nm = 0;
	if (council_members(w->d, cn.id, w->a, &m, &nm) != DB_OK) return;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].account_id != w->account_id) continue;
		html_f(w->out, "<p>Bạn là <strong>%h</strong> hội đồng. ", council_post_label(m[i].post));
		if (!m[i].nitems) {
			html_f(w->out, "Chưa được phân công chỉ tiêu nào.</p>");
			return;
		}
		size_t done = 0;
		for (size_t k = 0; k < m[i].nitems; k++) {
			const fw_node *leaf = framework_find(v->fw, m[i].items[k]);
			if (leaf && leaf->rule && v->score && score_node(v->score, leaf)->answered) done++;
		}
		html_f(w->out, "Chỉ tiêu phân công cho bạn (đã đánh giá %z/%z):", done, m[i].nitems);
		for (size_t k = 0; k < m[i].nitems; k++)
			html_f(w->out, " <a href=\"/danh-gia/%D#tc-%a\">%h</a>", v->as.id, m[i].items[k], m[i].items[k]);
		html_f(w->out, "</p>");
		return;
	}
}

/* The round this school works on now, in full. False when the view could
 * not be loaded (its error page has replaced the output). */
static bool current_round(web *w, const unit *u, const school_assessment *sa, bool principal, bool member)
{
	assess_view v;
	if (!assess_view_load(w, sa->as.id, ANSWER_SELF, AUTHZ_VIEW, &v)) return false;
	html_f(w->out, "<div class=\"round-head\"><h3>%h</h3> ", v.round.title);
	state_badge(w, v.state);
	html_f(w->out, "</div><dl class=\"facts\">");
	/* a dissolved unit's unsent file is kept to be read: no deadline
	 * counts down, nothing is to be sent */
	const char *dissolved = NULL;
	if (unit_dissolved_on(w->d, v.u.id, office_today_iso(w), w->a, &dissolved) != DB_OK) db_clear_error(w->d);
	bool kept_only = dissolved && before_submission(v.state);
	html_f(w->out, "<dt>Hạn tự đánh giá và gửi hồ sơ</dt><dd>");
	if (before_submission(v.state) && v.state != WF_RETURNED && !kept_only)
		school_deadline(w, v.round.self_due);
	else
		html_f(w->out, "%h", v.round.self_due ? web_date_long(w, v.round.self_due) : "chưa đặt hạn");
	html_f(w->out, "</dd>");
	if (v.state == WF_RETURNED && v.as.extended_until) {
		html_f(w->out, "<dt>Hạn nộp bổ sung</dt><dd>");
		school_deadline(w, v.as.extended_until);
		html_f(w->out, "</dd>");
	}
	size_t answered, required;
	school_answered(&v, &answered, &required);
	bool *covered = arena_alloc(w->a, (v.fw->nleaves + 1) * sizeof *covered);
	size_t with_ev = school_evidence_cover(w, v.fw, v.as.id, covered);
	if (required == 0 && !v.fw->complete)   /* 3806 as shipped: nothing to answer yet, no "0/0" */
		html_f(w->out, "<dt>Tiến độ</dt><dd>Bộ chỉ số theo %h chưa hoàn chỉnh: chưa có chỉ tiêu để tự đánh giá; "
		               "các mục suy ra từ kết quả của các cơ sở giáo dục được tạm tính.</dd>",
		       v.fw->decision_number ? v.fw->decision_number : v.fw->id);
	else
		html_f(w->out, "<dt>Tiến độ</dt><dd><label class=\"inline-label\">Đã đánh giá %z/%z chỉ tiêu bắt buộc"
		               "<progress value=\"%z\" max=\"%z\"></progress></label>"
		               "<label class=\"inline-label\">Có minh chứng %z/%z chỉ tiêu"
		               "<progress value=\"%z\" max=\"%z\"></progress></label></dd>",
		       answered, required, answered, required, with_ev, required, with_ev, required);
	if (v.score) {
		html_f(w->out, "<dt>%h</dt><dd>", v.state >= WF_APPROVED && v.state != WF_RETURNED ? "Kết quả tự đánh giá"
		                                                                               : "Điểm hiện tại");
		for (size_t g = 0; g < v.fw->ngroups; g++) {
			const node_score *gs = score_node(v.score, &v.fw->groups[g]);
			html_f(w->out, "%hNhóm %h: %q/%q", g ? " · " : "", v.fw->groups[g].code, gs->points, gs->max);
			level_text(w, gs->band);
		}
		if (v.score->level) {
			html_f(w->out, " · Mức chung:");
			level_text(w, v.score->level);
		}
		html_f(w->out, "</dd>");
	}
	assessment_transition_row t;
	if (v.state >= WF_APPROVED && v.state != WF_RETURNED && school_last_transition(w, v.as.id, WF_APPROVED, &t))
		html_f(w->out, "<dt>Phê duyệt</dt><dd>%h, lúc %h</dd>", school_account_name(w, t.account_id),
		       school_time_long(w, t.at));
	html_f(w->out, "</dl>");
	if (member) my_items(w, &v);
	wf_input in;
	assess_wf_input(w, &v, &in);
	if (kept_only) {
		/* no one is left to receive the file or to extend its deadline */
		html_f(w->out, "<p class=\"notice-info\" role=\"note\"><strong>Đơn vị đã giải thể từ ngày %h</strong>: "
		               "hồ sơ của đợt này không còn gửi được và được lưu lại để tra cứu.</p>",
		       web_date_short(w, dissolved));
	} else if (wf_overdue(&in)) {
		/* said here, early, not only when the principal presses «Gửi» */
		unit ev;
		const char *who = v.nevaluators && unit_get(w->d, v.evaluators[0], w->a, &ev) == DB_OK ? ev.name : "cơ quan đánh giá";
		html_f(w->out, "<div class=\"warn-box\" role=\"alert\"><p><strong>Đã quá hạn gửi hồ sơ</strong> (%h) và đơn vị chưa được gia hạn: "
		               "hồ sơ chưa thể gửi. Chỉ <strong>%h</strong> gia hạn được — hãy liên hệ cơ quan để xin gia hạn, "
		               "trong khi vẫn có thể tiếp tục hoàn thiện phiếu và minh chứng.</p></div>",
		       web_date_short(w, v.state == WF_RETURNED && v.as.extended_until ? v.as.extended_until : v.round.self_due), who);
	} else {
		html_f(w->out, "<p class=\"next\"><strong>Việc tiếp theo:</strong> %h</p>",
		       next_step(w, &v, principal, required - answered));
	}
	extreq_school_box(w, &v, "/", 4);
	if (kept_only)
		html_f(w->out, "<p class=\"links\"><a class=\"button\" href=\"/danh-gia/%D\">Xem phiếu tự đánh giá</a> "
		               "<a class=\"button secondary\" href=\"/danh-gia/%D/hoi-dong\">Hội đồng và nhiệm vụ</a>",
		       v.as.id, v.as.id);
	else
		html_f(w->out, "<p class=\"links\"><a class=\"button\" href=\"/danh-gia/%D\">Mở phiếu tự đánh giá</a> "
		               "<a class=\"button secondary\" href=\"/danh-gia/%D/hoi-dong\">Hội đồng và nhiệm vụ</a> "
		               "<a class=\"button secondary\" href=\"/danh-gia/%D/gui\">Phê duyệt và gửi hồ sơ</a>",
		       v.as.id, v.as.id, v.as.id);
	if (v.state == WF_RETURNED || school_ever_returned(w, &v))
		html_f(w->out, " <a class=\"button secondary\" href=\"/danh-gia/%D/bo-sung\">Yêu cầu bổ sung</a>", v.as.id);
	html_f(w->out, "</p>");
	tasks_due(w, &v, principal);
	(void)u;
	assess_view_free(&v);
	return true;
}

static bool school_section(web *w, int64_t unit_id)
{
	unit u;
	if (unit_get(w->d, unit_id, w->a, &u) != DB_OK) return true;
	bool principal = false, member_any_round = false;
	for (size_t i = 0; i < w->ngrants; i++) {
		if (w->grants[i].unit_id != unit_id) continue;
		if (w->grants[i].role == AUTHZ_PRINCIPAL) principal = true;
		if (w->grants[i].role == AUTHZ_COUNCIL_MEMBER && !w->grants[i].round_id) member_any_round = true;
	}
	school_assessment *sa = NULL;
	size_t n = 0;
	school_assessments(w->d, unit_id, w->a, &sa, &n);
	/* A council member sees the rounds of its council only. */
	school_assessment **mine = arena_alloc(w->a, (n + 1) * sizeof *mine);
	size_t nmine = 0;
	for (size_t i = 0; i < n; i++) {
		bool member = member_any_round;
		for (size_t g = 0; g < w->ngrants && !member; g++)
			member = w->grants[g].role == AUTHZ_COUNCIL_MEMBER && w->grants[g].unit_id == unit_id &&
			         w->grants[g].round_id == sa[i].round.id;
		if (principal || member) mine[nmine++] = &sa[i];
	}
	html_f(w->out, "<section class=\"card home-unit\"><h2>%h</h2>", u.name);
	if (!nmine) {
		html_f(w->out, "<p>Đơn vị chưa có đợt đánh giá nào. Khi cơ quan quản lý mở đợt đánh giá, hồ sơ sẽ hiện ở đây.</p></section>");
		return true;
	}
	size_t cur = 0;
	for (size_t i = 0; i < nmine; i++)
		if (mine[i]->round.state && !strcmp(mine[i]->round.state, "open")) {
			cur = i;
			break;
		}
	bool member = member_any_round;
	for (size_t g = 0; g < w->ngrants && !member; g++)
		member = w->grants[g].role == AUTHZ_COUNCIL_MEMBER && w->grants[g].unit_id == unit_id &&
		         w->grants[g].round_id == mine[cur]->round.id;
	if (!current_round(w, &u, mine[cur], principal, member)) return false;
	if (nmine > 1) {
		html_f(w->out, "<details class=\"other-rounds\"><summary>Các đợt đánh giá khác (%z)</summary><ul>", nmine - 1);
		for (size_t i = 0; i < nmine; i++) {
			if (i == cur) continue;
			html_f(w->out, "<li><a href=\"/danh-gia/%D\">%h</a> — ", mine[i]->as.id, mine[i]->round.title);
			state_badge(w, wf_state_parse(mine[i]->as.state));
			if (mine[i]->as.recognised_level)
				html_f(w->out, " — công nhận Mức %d", mine[i]->as.recognised_level);
			html_f(w->out, "</li>");
		}
		html_f(w->out, "</ul></details>");
	}
	html_f(w->out, "</section>");
	return true;
}

/* ---- an office ------------------------------------------------------------------ */

/* Up to this many units, the office's home lists them all. */
enum { HOME_ALL_UNITS = 30 };

typedef struct unit_row {
	const assessment *as;
	const char *name;
	wf_state state;
	bool overdue;
	bool lead;              /* evaluators: team head for this unit */
} unit_row;

static int unit_row_cmp(const void *a, const void *b)
{
	const unit_row *x = a, *y = b;
	/* overdue first: they are what the office has to chase; then what
	 * waits for its review */
	if (x->overdue != y->overdue) return x->overdue ? -1 : 1;
	bool xs = x->state == WF_SUBMITTED, ys = y->state == WF_SUBMITTED;
	if (xs != ys) return xs ? -1 : 1;
	return vn_collate(x->name, y->name);
}

/* One round on an office's home. managed_by 0: a round the office runs
 * (all its units, the inbox). Otherwise a round of another office in which
 * units that office manages take part: only those units, read-only (a
 * commune following its schools in the Sở's round). */
static void office_round(web *w, const round_row *r, int64_t managed_by)
{
	assessment *as = NULL;
	size_t n = 0;
	if (managed_by) assessment_list_managed(w->d, r->id, managed_by, r->self_due ? r->self_due : office_today_iso(w), w->a, &as, &n);
	else assessment_list_round(w->d, r->id, w->a, &as, &n);
	unit_row *rows = arena_alloc(w->a, (n + 1) * sizeof *rows);
	int counts[WF_STATE_COUNT] = { 0 };
	size_t overdue = 0;
	int today = assess_today();
	for (size_t i = 0; i < n; i++) {
		unit u;
		rows[i].as = &as[i];
		rows[i].name = unit_get(w->d, as[i].unit_id, w->a, &u) == DB_OK ? u.name : "?";
		rows[i].state = wf_state_parse(as[i].state);
		wf_input in = { .state = rows[i].state, .today = today, .deadline = assess_ymd(r->self_due),
		                .extended_until = assess_ymd(as[i].extended_until) };
		rows[i].overdue = wf_overdue(&in);
		if (rows[i].overdue) overdue++;
		if (rows[i].state >= 0) counts[rows[i].state]++;
	}
	sort_list(rows, n, sizeof *rows, unit_row_cmp);
	bool open = r->state && !strcmp(r->state, "open");
	html_f(w->out, "<div class=\"round-head\"><h3>%h</h3> <span class=\"state\">%h</span></div>", r->title,
	       open ? "Đang mở" : "Đã đóng");
	if (managed_by) {
		unit org;
		html_f(w->out, "<p class=\"explain\">Do %h tổ chức, đánh giá và công nhận; dưới đây là các trường do cơ quan quản lý "
		               "(xem hồ sơ, minh chứng; không chấm hay công nhận).</p>",
		       unit_get(w->d, r->office_unit_id, w->a, &org) == DB_OK ? org.name : "cơ quan cấp trên");
	}
	html_f(w->out, "<dl class=\"facts\"><dt>Hạn tự đánh giá và gửi hồ sơ</dt><dd>");
	if (open) school_deadline(w, r->self_due);
	else html_f(w->out, "%h", r->self_due ? web_date_long(w, r->self_due) : "chưa đặt hạn");
	html_f(w->out, "</dd>");
	if (r->external_due) html_f(w->out, "<dt>Hạn đánh giá ngoài, công nhận</dt><dd>%h</dd>", web_date_long(w, r->external_due));
	html_f(w->out, "<dt>Đơn vị</dt><dd>%z đơn vị", n);
	for (int s = 0; s < WF_STATE_COUNT; s++)
		if (counts[s]) html_f(w->out, " · %h: %d", wf_state_label((wf_state)s), counts[s]);
	int unsent = counts[WF_NOT_STARTED] + counts[WF_DRAFT] + counts[WF_SELF_ASSESSED] + counts[WF_APPROVED];
	if (open && unsent && !overdue) html_f(w->out, "<br><strong>Chưa gửi hồ sơ: %d đơn vị</strong>", unsent);
	if (overdue) html_f(w->out, "<br><span class=\"overdue\">Quá hạn chưa gửi: %z đơn vị</span>", overdue);
	html_f(w->out, "</dd></dl>");
	if (managed_by)
		html_f(w->out, "<p class=\"links\"><a class=\"button\" href=\"/dot/%D/truong-quan-ly\">Tổng hợp các trường%h</a></p>",
		       r->id, overdue ? " và nhắc trường quá hạn" : "");
	if (!managed_by)
		html_f(w->out, "<p class=\"links\"><a class=\"button\" href=\"/dot/%D/hop-thu\">Hộp hồ sơ%h</a> "
		               "<a class=\"button secondary\" href=\"/dot/%D\">Chi tiết đợt đánh giá</a> "
		               "<a class=\"button secondary\" href=\"/dot/%D/bao-cao-cap-tren\">Báo cáo lên cấp trên</a></p>", r->id,
		       counts[WF_SUBMITTED] ? arena_printf(w->a, " (%d hồ sơ chờ xem xét)", counts[WF_SUBMITTED]) : "", r->id, r->id);
	if (!n) {
		html_f(w->out, "<p>Đợt này chưa có đơn vị nào.</p>");
		return;
	}
	/* A Phòng with a few dozen schools reads the whole list here; a Sở with
	 * hundreds sees the schools to chase (overdue, returned) and finds
	 * the rest, and what waits for review, in the inbox. */
	bool all = managed_by || n <= HOME_ALL_UNITS;
	size_t shown = 0, hidden = 0;
	html_f(w->out, "<h4>%h</h4>", all ? "Các đơn vị" : "Đơn vị cần đôn đốc (quá hạn, bị trả lại)");
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"units cards\"><thead><tr><th>Đơn vị</th><th>Trạng thái</th>"
	               "<th>Hạn</th><th>Mức tự đánh giá</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const unit_row *x = &rows[i];
		if (!all && !(x->overdue || x->state == WF_RETURNED)) continue;
		if (!all && shown == HOME_ALL_UNITS) {
			hidden++;
			continue;
		}
		shown++;
		/* what has reached the office opens in its review page */
		bool in = !managed_by && x->state >= WF_SUBMITTED && x->state != WF_RETURNED;
		html_f(w->out, "<tr%h><td class=\"name\"><a href=\"/%a/%D\">%h</a></td><td data-label=\"Trạng thái\">",
		       x->overdue ? " class=\"overdue-row\"" : "", in ? "xet-duyet" : "danh-gia", x->as->id, x->name);
		state_badge(w, x->state);
		html_f(w->out, "</td><td data-label=\"Hạn\">");
		const char *due = x->as->extended_until && x->state == WF_RETURNED ? x->as->extended_until : r->self_due;
		if (before_submission(x->state) && open) school_days_left(w, due);
		else html_f(w->out, "—");
		html_f(w->out, "</td><td data-label=\"Mức tự đánh giá\">");
		if (x->as->self_level) html_f(w->out, "<span class=\"level-%d\">Mức %d</span>", x->as->self_level, x->as->self_level);
		else html_f(w->out, "—");
		html_f(w->out, "</td></tr>");
	}
	html_f(w->out, "</tbody></table></div>");
	if (!all)
		html_f(w->out, "<p class=\"explain\">%h<a href=\"/dot/%D/hop-thu\">Danh sách đầy đủ %z đơn vị trong Hộp hồ sơ</a>.</p>",
		       hidden ? arena_printf(w->a, "… và %zu đơn vị khác cần đôn đốc. ", hidden) : "", r->id, n);
}

static void office_section(web *w, int64_t office_id)
{
	unit u;
	if (unit_get(w->d, office_id, w->a, &u) != DB_OK) return;
	round_row *r = NULL;
	size_t n = 0;
	round_list_for_office(w->d, office_id, w->a, &r, &n);
	round_row *m = NULL;
	size_t nm = 0;
	round_list_managed(w->d, office_id, w->a, &m, &nm);
	html_f(w->out, "<section class=\"card home-office\"><h2>%h</h2>", u.name);
	if (!strcmp(u.type, "so"))
		html_f(w->out, "<p class=\"links\"><a class=\"button secondary\" href=\"/tinh?co_quan=%D\">Tổng hợp toàn tỉnh</a></p>", u.id);
	report_inbox_row *reports = NULL;
	size_t nreports = 0;
	if (report_inbox(w->d, office_id, w->a, &reports, &nreports) != DB_OK) db_clear_error(w->d);
	if (nreports)
		html_f(w->out, "<p class=\"links\"><a class=\"button secondary\" href=\"/bao-cao-cap-duoi\">Báo cáo của cơ quan cấp dưới (%z)</a></p>",
		       nreports);
	if (!n && !nm) html_f(w->out, "<p>Cơ quan chưa mở đợt đánh giá nào, và chưa có trường nào do cơ quan quản lý tham gia một đợt đánh giá.</p>");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i].state && strcmp(r[i].state, "open") != 0) continue;
		office_round(w, &r[i], 0);
		shown++;
	}
	/* the rounds others run for the schools this office manages (a
	 * commune's schools in the Sở's round): open ones in full */
	for (size_t i = 0; i < nm; i++)
		if (!m[i].state || !strcmp(m[i].state, "open")) office_round(w, &m[i], office_id);
	if (shown < n) {
		html_f(w->out, "<details class=\"other-rounds\"><summary>Các đợt đã đóng (%z)</summary><ul>", n - shown);
		for (size_t i = 0; i < n; i++)
			if (r[i].state && strcmp(r[i].state, "open") != 0)
				html_f(w->out, "<li>%h — năm học %h · <a href=\"/dot/%D/bao-cao-cap-tren\">Báo cáo lên cấp trên</a></li>",
				       r[i].title, r[i].school_year, r[i].id);
		html_f(w->out, "</ul></details>");
	}
	html_f(w->out, "</section>");
}

/* ---- an external evaluator ------------------------------------------------------ */

/* Units this evaluator leads first (the head reconciles them), then by name. */
static int lead_row_cmp(const void *a, const void *b)
{
	const unit_row *x = a, *y = b;
	if (x->lead != y->lead) return x->lead ? -1 : 1;
	return vn_collate(x->name, y->name);
}

/* The work of an open round: the deadline and the assigned units still to
 * judge; the scoring itself is on the external evaluation pages. */
static void evaluator_round(web *w, const round_row *r)
{
	assessment *as = NULL;
	size_t n = 0;
	assessment_list_round(w->d, r->id, w->a, &as, &n);
	html_f(w->out, "<section class=\"card\"><h2>Đoàn đánh giá ngoài</h2><div class=\"round-head\"><h3>%h</h3></div>"
	               "<dl class=\"facts\"><dt>Hạn đánh giá ngoài</dt><dd>", r->title);
	school_deadline(w, r->external_due);
	html_f(w->out, "</dd>");
	size_t assigned = 0, todo = 0;
	unit_row *rows = arena_alloc(w->a, (n + 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		bool yes = false, lead = false;
		round_evaluator_of(w->d, r->id, as[i].unit_id, w->account_id, &yes, &lead);
		if (!yes) continue;
		assigned++;
		wf_state st = wf_state_parse(as[i].state);
		unit u;
		if ((st != WF_UNDER_EVALUATION && st != WF_SUBMITTED) || unit_get(w->d, as[i].unit_id, w->a, &u) != DB_OK) continue;
		rows[todo++] = (unit_row){ .as = &as[i], .name = u.name, .state = st, .lead = lead };
	}
	sort_list(rows, todo, sizeof *rows, lead_row_cmp);
	for (size_t i = 0; i < todo && i < HOME_ALL_UNITS; i++) {
		if (!i) html_f(w->out, "<dt>Đơn vị chờ đánh giá</dt><dd><ul class=\"plain\">");
		html_f(w->out, "<li><a href=\"/danh-gia-ngoai/%D\">%h</a> ", rows[i].as->id, rows[i].name);
		state_badge(w, rows[i].state);
		if (rows[i].lead) html_f(w->out, " (bạn là trưởng đoàn)");
		html_f(w->out, "</li>");
	}
	if (todo)
		html_f(w->out, "</ul>%h</dd>", todo > HOME_ALL_UNITS ? arena_printf(w->a, "… và %zu đơn vị khác.", todo - (size_t)HOME_ALL_UNITS) : "");
	html_f(w->out, "<dt>Phân công</dt><dd>%z đơn vị, %z đơn vị còn chờ đánh giá</dd></dl>", assigned, todo);
	if (!assigned) html_f(w->out, "<p>Bạn chưa được phân công đơn vị nào trong đợt này.</p>");
	html_f(w->out, "<p class=\"links\"><a class=\"button\" href=\"/danh-gia-ngoai\">Các đơn vị được phân công</a></p></section>");
}

static void evaluator_sections(web *w)
{
	size_t closed = 0;
	for (size_t i = 0; i < w->ngrants; i++) {
		const authz_grant *g = &w->grants[i];
		round_row r;
		if (g->role != AUTHZ_EXTERNAL_EVALUATOR || !g->round_id || round_get(w->d, g->round_id, w->a, &r) != DB_OK) continue;
		if (r.state && strcmp(r.state, "open") != 0) closed++;
		else evaluator_round(w, &r);
	}
	if (closed)
		html_f(w->out, "<p class=\"explain\">Bạn cũng là thành viên đoàn đánh giá ngoài của %z đợt đã đóng: "
		               "<a href=\"/danh-gia-ngoai\">xem lại các đơn vị</a>.</p>", closed);
}

/* ---- the page ------------------------------------------------------------------- */

static bool school_role(authz_role r) { return r == AUTHZ_PRINCIPAL || r == AUTHZ_COUNCIL_MEMBER; }
static bool office_role(authz_role r) { return r == AUTHZ_OFFICE_ADMIN || r == AUTHZ_OFFICER; }

static void home(web *w)
{
	page_begin(w, "Trang chủ");
	html_f(w->out, "<h1>Xin chào, %h</h1>", w->account_name);
	if (w->ngrants == 0)
		html_f(w->out, "<p class=\"card\">Tài khoản của bạn chưa được phân quyền. Hãy liên hệ quản trị viên của đơn vị.</p>");
	for (size_t i = 0; i < w->ngrants; i++) {
		const authz_grant *g = &w->grants[i];
		bool seen = false;
		/* one section per unit, however many roles the account holds there */
		for (size_t k = 0; k < i && !seen; k++)
			seen = w->grants[k].unit_id == g->unit_id &&
			       ((school_role(g->role) && school_role(w->grants[k].role)) ||
			        (office_role(g->role) && office_role(w->grants[k].role)));
		if (seen) continue;
		if (school_role(g->role) && !school_section(w, g->unit_id)) return;
		if (office_role(g->role)) office_section(w, g->unit_id);
		if (g->role == AUTHZ_SYSTEM_ADMIN)
			html_f(w->out, "<section class=\"card\"><h2>Quản trị hệ thống</h2><p>Bạn có quyền quản trị toàn hệ thống: "
			               "đơn vị, tài khoản, bộ chỉ số và mọi hồ sơ. Các thao tác của bạn đều được ghi nhật ký.</p></section>");
	}
	authz_account acc = web_account(w);
	if (authz_is_administrator(&acc)) {
		html_f(w->out, "<section class=\"card\"><h2>Quản trị</h2><p><a href=\"/quan-tri/don-vi\">Đơn vị</a> · "
		               "<a href=\"/quan-tri/tai-khoan\">Tài khoản và vai trò</a> · <a href=\"/quan-tri/bo-chi-so\">Bộ chỉ số</a>");
		if (authz_may_configure_server(&acc)) html_f(w->out, " · <a href=\"/quan-tri/thu\">Gửi thư</a>");
		html_f(w->out, "</p></section>");
	}
	evaluator_sections(w);
	page_end(w);
}

/* The home page shows what the account's own grants reach. */
const web_route page_home_routes[] = {
	{ "GET", "/", home, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ NULL, NULL, NULL, 0 },
};
