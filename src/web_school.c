/* web_school.c — helpers shared by the school's workflow pages and the
 * hooks the assessment form calls (web_school.h). */
#include "web_school.h"
#include "exact.h"
#include "score_json.h"
#include "sign_trust.h"
#include "q_account.h"
#include "q_council.h"
#include "q_evidence.h"
#include "q_school.h"
#include "q_submission.h"
#include "util.h"
#include "vn.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- dates and people ---------------------------------------------------- */

int school_days_between(int from, int to)
{
	return vn_days_between(from, to);
}

void school_days_left(web *w, const char *iso_due)
{
	int due = assess_ymd(iso_due);
	if (!due || !wf_date_valid(due)) return;
	int left = school_days_between(assess_today(), due);
	if (left > 7)
		html_f(w->out, "<span class=\"due due-ok\">còn %d ngày</span>", left);
	else if (left > 0)
		html_f(w->out, "<span class=\"due due-soon\">còn %d ngày</span>", left);
	else if (left == 0)
		html_f(w->out, "<span class=\"due due-soon\">hôm nay là hạn cuối</span>");
	else
		html_f(w->out, "<span class=\"due overdue\">quá hạn %d ngày</span>", -left);
}

void school_deadline(web *w, const char *iso_due)
{
	if (!iso_due) {
		html_f(w->out, "chưa đặt hạn");
		return;
	}
	html_f(w->out, "%h ", web_date_long(w, iso_due));
	school_days_left(w, iso_due);
}

const char *school_time_long(web *w, const char *ts)
{
	struct tm tm;
	if (vn_local_time(ts, &tm) < 3) return "";
	buf b;
	buf_init(&b);
	buf_printf(&b, "%02d:%02d ", tm.tm_hour, tm.tm_min);
	vn_format_date(&b, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

const char *school_form_date(web *w, const char *field, bool *bad)
{
	const char *s = web_in_text(w, field);   /* a declared input of the route */
	if (!s) return NULL;
	int y, m, d;
	if (!vn_parse_date(s, &y, &m, &d)) {
		*bad = true;
		return NULL;
	}
	return arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
}

const char *school_account_name(web *w, int64_t account_id)
{
	account acc;
	if (!account_id || account_get(w->d, account_id, w->a, &acc) != DB_OK) return "";
	return acc.full_name;
}

bool school_last_transition(web *w, int64_t assessment_id, wf_state to_state,
                            assessment_transition_row *out)
{
	assessment_transition_row *t = NULL;
	size_t n = 0;
	if (assessment_transitions(w->d, assessment_id, w->a, &t, &n) != DB_OK) return false;
	for (size_t i = n; i-- > 0;)
		if (wf_state_parse(t[i].to_state) == to_state) {
			*out = t[i];
			return true;
		}
	return false;
}

static const char *given_name(const char *s)
{
	const char *sp = strrchr(s, ' ');
	return sp ? sp + 1 : s;
}

int school_name_cmp(const char *a, const char *b)
{
	int c = vn_collate(given_name(a), given_name(b));
	return c ? c : vn_collate(a, b);
}

/* ---- an assessment's pages --------------------------------------------------- */

bool school_ever_returned(web *w, assess_view *v)
{
	return_notice rn;
	return submission_last_return(w->d, v->as.id, w->a, &rn) == DB_OK;
}

void school_tabs(web *w, assess_view *v, const char *current)
{
	static const char *const tabs[][3] = {
		{ "phieu", "", "Phiếu tự đánh giá" },
		{ "hoi-dong", "/hoi-dong", "Hội đồng và nhiệm vụ" },
		{ "gui", "/gui", "Phê duyệt và gửi hồ sơ" },
		{ "bo-sung", "/bo-sung", "Yêu cầu bổ sung" },
		{ "van-ban", "/van-ban", "Văn bản" },
	};
	bool returned = school_ever_returned(w, v);
	html_f(w->out, "<nav class=\"tabs no-print\" aria-label=\"Các trang của hồ sơ\">");
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++) {
		if (!strcmp(tabs[i][0], "bo-sung") && !returned) continue;
		bool cur = !strcmp(tabs[i][0], current);
		html_f(w->out, "<a href=\"/danh-gia/%D%h\"%h>%h</a>", v->as.id, tabs[i][1],
		       cur ? " aria-current=\"page\"" : "", tabs[i][2]);
	}
	html_f(w->out, "</nav>");
}

void school_answered(const assess_view *v, size_t *answered, size_t *required)
{
	*answered = *required = 0;
	if (!v->score) return;
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		if (!v->fw->leaves[i]->required) continue;
		(*required)++;
		if (score_node(v->score, v->fw->leaves[i])->answered) (*answered)++;
	}
}

size_t school_evidence_cover(web *w, const framework *fw, int64_t assessment_id, bool *covered)
{
	memset(covered, 0, fw->nleaves * sizeof *covered);
	evidence *ev = NULL;
	size_t nev = 0, n = 0;
	if (evidence_list(w->d, assessment_id, NULL, w->a, &ev, &nev) != DB_OK) return 0;
	for (size_t l = 0; l < fw->nleaves; l++) {
		/* Evidence may be filed under the item or under its criterion. */
		const fw_node *leaf = fw->leaves[l], *p = leaf;
		do {
			for (size_t e = 0; e < nev && !covered[l]; e++)
				for (size_t k = 0; k < ev[e].nitems; k++)
					if (!strcmp(ev[e].items[k], p->code)) {
						covered[l] = true;
						break;
					}
			p = p->parent;
		} while (p && !covered[l]);
		if (covered[l] && leaf->required) n++;
	}
	return n;
}

/* ---- hooks for the assessment form --------------------------------------------- */

void school_status_block(web *w, assess_view *v)
{
	school_tabs(w, v, "phieu");
	assessment_transition_row t;
	if (v->state == WF_RETURNED) {
		return_notice rn;
		if (submission_last_return(w->d, v->as.id, w->a, &rn) != DB_OK) return;
		html_f(w->out, "<section class=\"card returned\" role=\"alert\"><h2>Hồ sơ bị trả lại để bổ sung</h2>"
		               "<p>%h trả lại lúc %h.", school_account_name(w, rn.by), school_time_long(w, rn.at));
		if (rn.reason) html_f(w->out, " Lý do: %h", rn.reason);
		html_f(w->out, "</p>");
		if (rn.extended_until) {
			html_f(w->out, "<p>Hạn nộp bổ sung: ");
			school_deadline(w, rn.extended_until);
			html_f(w->out, "</p>");
		}
		html_f(w->out, "<p>%z chỉ tiêu có yêu cầu bổ sung (ghi ngay dưới tên chỉ tiêu). "
		               "<a href=\"/danh-gia/%D/bo-sung\">Xem danh sách yêu cầu bổ sung</a></p></section>",
		       rn.nitems, v->as.id);
		return;
	}
	if (v->state >= WF_APPROVED && school_last_transition(w, v->as.id, WF_APPROVED, &t)) {
		html_f(w->out, "<section class=\"card approved\"><p><strong>Đã phê duyệt</strong> kết quả tự đánh giá: "
		               "%h, lúc %h. Phiếu đã khóa, không ai sửa được kết quả tự đánh giá.",
		       school_account_name(w, t.account_id), school_time_long(w, t.at));
		if (v->state == WF_APPROVED)
			html_f(w->out, " Muốn sửa, thủ trưởng đơn vị cần hủy phê duyệt (ghi rõ lý do).");
		html_f(w->out, "</p>");
		if (school_last_transition(w, v->as.id, WF_SUBMITTED, &t) && v->state >= WF_SUBMITTED)
			html_f(w->out, "<p>Đã gửi hồ sơ lúc %h. <a href=\"/danh-gia/%D/to-trinh\">Xem tờ trình đã gửi</a></p>",
			       school_time_long(w, t.at), v->as.id);
		html_f(w->out, "</section>");
	}
}

void school_item_reason(web *w, assess_view *v, const fw_node *n)
{
	/* Only while the school is supplementing: afterwards the reasons are
	 * history, kept on the /bo-sung page. */
	if (v->state != WF_RETURNED || n->kind == NODE_GROUP) return;
	const char *reason = NULL;
	if (submission_return_reason_for(w->d, v->as.id, n->code, w->a, &reason) != DB_OK || !reason) return;
	html_f(w->out, "<p class=\"return-reason\"><strong>Yêu cầu bổ sung:</strong> %h</p>", reason);
}

bool school_action_elsewhere(web *w, assess_view *v, wf_action a)
{
	if (a == WF_PUBLISH_OWN || a == WF_UNPUBLISH_OWN) {
		/* with what will become public shown first (page_publish.c) */
		if (a == WF_PUBLISH_OWN)
			html_f(w->out, "<p class=\"action\"><a class=\"button\" href=\"/danh-gia/%D/cong-khai\">%h…</a></p>",
			       v->as.id, wf_action_label(a));
		else
			html_f(w->out, "<p class=\"action\"><a class=\"button\" href=\"/danh-gia/%D/cong-khai\">Công khai kết quả: xem, thu hồi…</a></p>",
			       v->as.id);
		return true;
	}
	if (a != WF_SUBMIT) return false;
	html_f(w->out, "<p class=\"action\"><a class=\"button\" href=\"/danh-gia/%D/gui\">Gửi hồ sơ kèm tờ trình…</a></p>",
	       v->as.id);
	return true;
}

/* ---- submission ----------------------------------------------------------------- */

static const char *qtext(web *w, q v, bool comma)
{
	return q_to_text(w->a, v, 2, comma);
}

static const char *head_title(const char *type)
{
	if (type && !strcmp(type, "phong")) return "TRƯỞNG PHÒNG";
	if (type && !strcmp(type, "so")) return "GIÁM ĐỐC";
	return "HIỆU TRƯỞNG";
}

/* The place in "…, ngày … tháng … năm …": the last part of the address
 * ("Quận 7"), or dots for the clerk to fill in. */
static const char *place(web *w, const char *address)
{
	if (!address || !*address) return "…………";
	const char *c = strrchr(address, ',');
	const char *p = c ? c + 1 : address;
	while (*p == ' ') p++;
	return *p && strlen(p) <= 60 ? arena_strdup(w->a, p) : "…………";
}

const char *school_letter_default(web *w, assess_view *v)
{
	buf b;
	buf_init(&b);
	unit office = { 0 }, parent = { 0 };
	bool has_office = v->nevaluators && unit_get(w->d, v->evaluators[0], w->a, &office) == DB_OK;
	bool has_parent = v->nparents && unit_get(w->d, v->parents[0], w->a, &parent) == DB_OK;
	int today = assess_today();
	if (has_parent) buf_printf(&b, "%s\n", parent.name);
	buf_printf(&b, "%s\nSố:      /TTr-\n%s, ", v->u.name, place(w, v->u.address));
	vn_format_date(&b, today / 10000, today / 100 % 100, today % 100);
	buf_printf(&b, "\n\nTỜ TRÌNH\nVề việc đề nghị đánh giá ngoài mức độ chuyển đổi số năm học %s\n\n",
	           v->round.school_year);
	/* the school's direct superior too when another body evaluates it
	 * (a ward's school since 1/7/2025: the ward and the Sở) */
	if (has_office && has_parent && parent.id != office.id)
		buf_printf(&b, "Kính gửi:\n- %s;\n- %s.\n\n", parent.name, office.name);
	else
		buf_printf(&b, "Kính gửi: %s.\n\n", has_office ? office.name : "…………");
	if (v->fw->decision_number) {
		buf_printf(&b, "Căn cứ Quyết định số %s", v->fw->decision_number);
		int y, m, d;
		if (v->fw->decision_date && sscanf(v->fw->decision_date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			buf_puts(&b, " ");
			vn_format_date(&b, y, m, d);
		}
		buf_printf(&b, "%s%s ban hành %s;\n", v->fw->decision_issuer ? " của " : "",
		           v->fw->decision_issuer ? v->fw->decision_issuer : "", v->fw->title);
	}
	buf_printf(&b, "Căn cứ kế hoạch \"%s\"%s%s;\n", v->round.title, has_office ? " của " : "",
	           has_office ? office.name : "");
	council cn;
	if (council_get(w->d, v->as.id, w->a, &cn) == DB_OK && cn.decision_number) {
		buf_printf(&b, "Căn cứ Quyết định số %s", cn.decision_number);
		int y, m, d;
		if (cn.decision_date && sscanf(cn.decision_date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			buf_puts(&b, " ");
			vn_format_date(&b, y, m, d);
		}
		buf_printf(&b, " về việc thành lập %s;\n", !strcmp(cn.kind, "to_cong_tac") ? "Tổ công tác tự đánh giá"
		                                                                           : "Hội đồng tự đánh giá");
	}
	assessment_transition_row t;
	if (school_last_transition(w, v->as.id, WF_APPROVED, &t)) {
		/* the approval's local date ("ngày …"): the timestamp is UTC */
		const char *when = school_time_long(w, t.at);
		const char *day = strstr(when, "ngày ");
		buf_printf(&b, "Căn cứ kết quả tự đánh giá đã được thủ trưởng đơn vị phê duyệt %s,\n\n", day ? day : when);
	} else {
		buf_puts(&b, "\n");
	}
	buf_printf(&b, "%s đã hoàn thành tự đánh giá mức độ chuyển đổi số năm học %s, kết quả như sau:\n",
	           v->u.name, v->round.school_year);
	const score_result *s = v->score;
	for (size_t g = 0; s && g < v->fw->ngroups; g++) {
		const fw_node *gn = &v->fw->groups[g];
		const node_score *gs = score_node(s, gn);
		buf_printf(&b, "- Nhóm %s \"%s\": %s/%s điểm", gn->code, gn->title, qtext(w, gs->points, true),
		           qtext(w, gs->max, true));
		if (gs->band) buf_printf(&b, ", %s (%s)", gs->band->name, gs->band->label ? gs->band->label : "");
		buf_puts(&b, ";\n");
	}
	if (s && v->fw->basis == BASIS_TOTAL)
		buf_printf(&b, "- Tổng điểm: %s/%s điểm;\n", qtext(w, s->total, true), qtext(w, s->total_max, true));
	if (s && s->level)
		buf_printf(&b, "- Kết quả chung: %s (%s).\n", s->level->name, s->level->label ? s->level->label : "");
	buf_printf(&b, "\n%s kính đề nghị %s tổ chức đánh giá ngoài và công nhận mức độ chuyển đổi số "
	               "của đơn vị năm học %s.\n\n", v->u.name, has_office ? office.name : "cơ quan quản lý",
	           v->round.school_year);
	buf_puts(&b, "Hồ sơ kèm theo: Báo cáo kết quả tự đánh giá; Quyết định phê duyệt kết quả tự đánh giá; "
	             "Danh mục minh chứng.\n\n");
	buf_puts(&b, "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n");
	buf_printf(&b, "%s\n(Ký, ghi rõ họ tên và đóng dấu)\n\n", head_title(v->u.type));
	/* The head of the unit: the signed-in principal, else the unit's one. */
	const char *head = NULL;
	for (size_t i = 0; i < w->ngrants && !head; i++)
		if (w->grants[i].role == AUTHZ_PRINCIPAL && w->grants[i].unit_id == v->u.id) head = w->account_name;
	if (!head) {
		school_account *acc = NULL;
		size_t n = 0;
		if (school_accounts(w->d, v->u.id, w->a, &acc, &n) == DB_OK)
			for (size_t i = 0; i < n && !head; i++)
				if (acc[i].principal && acc[i].active) head = acc[i].full_name;
	}
	if (head) buf_printf(&b, "%s\n", head);
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

char *school_summary_json(const assess_view *v)
{
	buf ref;
	buf_init(&ref);
	buf_printf(&ref, "%s@%s", v->as.framework_id, v->as.framework_revision);
	json_t *o = score_summary_json(v->fw, buf_str(&ref), v->score);
	buf_free(&ref);
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

int school_submit(web *w, assess_view *v, const char *letter, wf_result *res)
{
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	if (!letter || !*letter) letter = school_letter_default(w, v);
	char *summary = school_summary_json(v);
	t.summary_json = summary;
	/* the seal (issue 17): the answers and evidence files as sent, signed,
	 * so the office can tell later whether anything changed; in the
	 * submission's transaction, so that there is never one without the other */
	t.seal = sign_seal_hook;
	t.seal_ctx = w->app->secret;
	assess_request rq = { .action = WF_SUBMIT, .account_id = w->account_id, .letter = letter };
	assess_refusal r = assess_act(w->d, &rq, &t, 1, res);
	free(summary);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}
