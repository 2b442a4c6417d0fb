/* page_carry.c — the office moves its round's running assessments to a
 * corrected revision of their framework (issue 18, item 3): a preview of
 * what each school keeps and must answer again, then the move, one
 * assessment at a time through assess_carry (the CLI's `chiso round carry`
 * does the same). GET /dot/{id}/chuyen-ban shows the plan, POST applies it;
 * both for the office that opened the round. */
#include <stdlib.h>
#include <string.h>
#include "assess_carry.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "web.h"
#include "web_office.h"

/* The newest revision in the catalogue of a framework the round uses,
 * NULL when the round is on it already. */
static const framework *newer_revision(web *w, const round_framework *rf)
{
	int max = fw_catalog_max_revision(&w->app->frameworks, rf->framework_id);
	if (max <= atoi(rf->framework_revision)) return NULL;
	return fw_catalog_find(&w->app->frameworks, arena_printf(w->a, "%s@%d", rf->framework_id, max));
}

/* One row of carry_table (assess_carry_round's report of one assessment). */
static bool carry_row(void *ctx, const assessment *as, const unit *u, int rc, const assess_carry_result *r,
                      const char *err)
{
	(void)as;
	web *w = ctx;
	if (!u) return true;
	html_f(w->out, "<tr><td data-label=\"Đơn vị\">%h</td>", u->name);
	if (rc != DB_OK) {
		html_f(w->out, "<td colspan=\"5\" data-label=\"Giữ bản cũ\">%h</td></tr>", err);
		return true;
	}
	const carry_plan *p = &r->side[ANSWER_SELF];
	html_f(w->out, "<td class=\"num\" data-label=\"Giữ\">%z</td><td class=\"num\" data-label=\"Chấm lại\">%z</td>"
	               "<td class=\"num\" data-label=\"Cần trả lời lại\">%z</td><td class=\"num\" data-label=\"Mới\">%z</td>"
	               "<td data-label=\"Cần làm lại\">",
	       p->count[CARRY_KEPT], p->count[CARRY_RESCORED], p->count[CARRY_REANSWER], p->count[CARRY_NEW]);
	for (size_t k = 0; k < p->n; k++)
		if (p->items[k].fate == CARRY_REANSWER || p->items[k].fate == CARRY_NEW)
			html_f(w->out, "<span title=\"%a\">%h</span> ", p->items[k].why ? p->items[k].why : carry_fate_name(p->items[k].fate),
			       p->items[k].code);
	html_f(w->out, "</td></tr>");
	return true;
}

/* One table of the round's assessments on fw's framework: the plan (dry
 * run) or what was done. Returns how many may move. */
static size_t carry_table(web *w, const round_view *v, const framework *fw, bool apply)
{
	html_f(w->out, "<div class=\"table-wrap\"><table class=\"labelled\"><thead><tr><th>Đơn vị</th><th class=\"num\">Giữ</th>"
	               "<th class=\"num\">Chấm lại</th><th class=\"num\">Cần trả lời lại</th><th class=\"num\">Mới</th>"
	               "<th>Chỉ tiêu đơn vị cần làm lại</th></tr></thead><tbody>");
	assess_carry_count c;
	assess_carry_round(w->d, &w->app->frameworks, w->account_id, v->r.id, fw, !apply, w->a, carry_row, w, &c);
	html_f(w->out, "</tbody></table></div>");
	return c.done;
}

static void carry_page(web *w, bool apply)
{
	const round_view *v = w->round;
	round_framework *fws = NULL;
	size_t nfw = 0;
	round_frameworks(w->d, v->r.id, w->a, &fws, &nfw);
	page_begin(w, arena_printf(w->a, "Chuyển sang bộ chỉ số sửa đổi — %s", v->r.title));
	office_round_header(w, v, "");
	html_f(w->out, "<section class=\"card\"><h2>Chuyển sang bộ chỉ số sửa đổi</h2>"
	               "<p>Phiếu đã công nhận giữ bản cũ. Câu trả lời còn hợp với cách chấm mới được giữ; câu trả lời không còn hợp "
	               "bị xoá (vẫn còn trong lịch sử) và đơn vị cần trả lời lại; mức đã lưu được chấm lại theo bản mới.</p>");
	const char *done = NULL;
	for (size_t i = 0; i < nfw; i++) {
		const framework *fw = newer_revision(w, &fws[i]);
		if (!fw || (done && !strcmp(done, fw->id))) continue;   /* one table per framework, whatever the unit types */
		done = fw->id;
		html_f(w->out, "<h3>%h: bản %h → bản %d</h3>", fw->title, fws[i].framework_revision, fw->revision);
		size_t movable = carry_table(w, v, fw, apply);
		if (apply) {
			round_framework_set_revision(w->d, w->account_id, v->r.id, fw->id, arena_printf(w->a, "%d", fw->revision));
			html_f(w->out, "<p class=\"notice\" role=\"status\">Đã chuyển %z phiếu sang bản %d.</p>", movable, fw->revision);
		}
		else if (movable && !v->closed) {
			html_f(w->out, "<form method=\"post\" action=\"/dot/%D/chuyen-ban\">", v->r.id);
			web_csrf_field(w);
			html_f(w->out, "<p><button type=\"submit\">Chuyển %z phiếu sang bản %d</button></p></form>", movable, fw->revision);
		}
	}
	if (!done) html_f(w->out, "<p>Các bộ chỉ số của đợt chưa có bản sửa đổi mới hơn.</p>");
	html_f(w->out, "</section>");
	page_end(w);
}

static void carry_get(web *w) { carry_page(w, false); }

static void carry_post(web *w)
{
	if (w->round->closed) {
		web_error(w, 409, "Đợt đánh giá đã kết thúc.");
		return;
	}
	carry_page(w, true);
}

const web_route page_carry_routes[] = {
	{ "GET", "/dot/{id}/chuyen-ban", carry_get, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ "POST", "/dot/{id}/chuyen-ban", carry_post, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_OPEN_ROUND },
	{ NULL, NULL, NULL, 0 },
};
