/* page_assess.c — the school's assessment: the form (groups → criteria →
 * items, each with its control, points and explanation), saving answers,
 * the workflow actions, and the A4 print view.
 *
 * Every save validates each item through the same parser as answer
 * sheets, stores the valid ones as new versions and shows the others back
 * with their message and the values as typed: nothing the user wrote is
 * lost to a mistake in another item. */
#include "answers.h"
#include "exact.h"
#include "assess_carry.h"
#include "page_cache.h"
#include "page_evidence.h"
#include "page_extreq.h"
#include "q_council.h"
#include "util.h"
#include "vn.h"
#include "web_assess.h"
#include "web_school.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- the values of one item's controls ------------------------------------------ */

typedef struct item_vals {
	const char *main;        /* yes/no "1"/"0", option, tier, count, met "1"/"0", text */
	const char *num, *den, *points, *reason;
	const char **missing; size_t nmissing;
	const char *error;       /* this item's message after a failed save */
} item_vals;

static const char *fname(web *w, const fw_node *leaf, const char *part)
{
	return part ? arena_printf(w->a, "v:%s:%s", leaf->code, part) : arena_printf(w->a, "v:%s", leaf->code);
}

static const char *jtext(web *w, json_t *v)
{
	if (json_is_string(v)) return arena_strdup(w->a, json_string_value(v));
	if (json_is_integer(v)) return arena_printf(w->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		q x;
		if (!q_from_double(json_real_value(v), 2, &x)) return "";
		return q_to_text(w->a, x, 2, true);
	}
	if (json_is_boolean(v)) return json_is_true(v) ? "1" : "0";
	return NULL;
}

static void vals_from_stored(web *w, const fw_node *leaf, const assessment_answer *st, item_vals *iv)
{
	memset(iv, 0, sizeof *iv);
	if (!st) return;
	json_t *v = json_loads(st->value_json, JSON_DECODE_ANY, NULL);
	if (!v) return;
	if (!json_is_object(v)) {
		iv->main = jtext(w, v);
	} else {
		iv->num = jtext(w, json_object_get(v, "num"));
		iv->den = jtext(w, json_object_get(v, "den"));
		iv->points = jtext(w, json_object_get(v, "points"));
		iv->reason = jtext(w, json_object_get(v, "reason"));
		iv->main = jtext(w, json_object_get(v, "met"));
		if (!iv->main) iv->main = jtext(w, json_object_get(v, "option"));
		if (!iv->main) iv->main = jtext(w, json_object_get(v, "tier"));
		if (!iv->main) iv->main = jtext(w, json_object_get(v, "text"));
		if (!iv->num && json_object_get(v, "value")) iv->num = jtext(w, json_object_get(v, "value"));
		json_t *m = json_object_get(v, "missing");
		iv->nmissing = json_array_size(m);
		iv->missing = arena_alloc(w->a, (iv->nmissing + 1) * sizeof *iv->missing);
		for (size_t i = 0; i < iv->nmissing; i++) iv->missing[i] = jtext(w, json_array_get(m, i));
	}
	(void)leaf;
	json_decref(v);
}

static void vals_from_form(web *w, const fw_node *leaf, item_vals *iv)
{
	memset(iv, 0, sizeof *iv);
	iv->main = web_in_text(w, fname(w, leaf, NULL));
	iv->num = web_in_text(w, fname(w, leaf, "num"));
	iv->den = web_in_text(w, fname(w, leaf, "den"));
	iv->points = web_in_text(w, fname(w, leaf, "points"));
	iv->reason = web_in_text(w, fname(w, leaf, "reason"));
	iv->missing = web_in_list(w, fname(w, leaf, "missing"), &iv->nmissing, NULL);
}

static bool blank(const char *s) { return !s || !*s; }

static const char *qtext(web *w, q v)
{
	return q_to_text(w->a, v, 2, true);
}

/* A decimal typed the Vietnamese way ("7,5") or the other ("7.5"). */
static json_t *jnumber(const char *s)
{
	char tmp[32];
	size_t n = strlen(s);
	if (n >= sizeof tmp) return json_string(s);
	memcpy(tmp, s, n + 1);
	for (char *p = tmp; *p; p++) if (*p == ',') *p = '.';
	q v;
	if (!q_parse_decimal(tmp, 2, &v)) return json_string(s);   /* the parser will say what is wrong */
	if (v.d == 1) return json_integer(v.n);
	return json_real(q_to_double(v));
}

static json_t *jinteger(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s && !*end) return json_integer(v);
	return json_string(s);
}

/* The JSON the form says for this item; NULL when cleared. */
static json_t *vals_to_json(const framework *fw, unit_type t, const fw_node *leaf, const item_vals *iv)
{
	const fw_rule *r = leaf->rule;
	(void)fw;
	switch (r->kind) {
	case RULE_GATE:
	case RULE_YES_NO:
		if (blank(iv->main)) return NULL;
		return json_boolean(strcmp(iv->main, "1") == 0);
	case RULE_UP_TO: {
		if (blank(iv->points)) return NULL;
		json_t *o = json_object();
		json_object_set_new(o, "points", jnumber(iv->points));
		if (!blank(iv->reason)) json_object_set_new(o, "reason", json_string(iv->reason));
		return o;
	}
	case RULE_ALTERNATIVES:
		if (blank(iv->main)) return NULL;
		return json_string(iv->main);
	case RULE_TIERED: {
		if (blank(iv->main)) return NULL;
		if (strcmp(iv->main, "none") == 0) return json_string("none");
		json_t *o = json_object(), *m = json_array();
		json_object_set_new(o, "tier", json_string(iv->main));
		for (size_t i = 0; i < iv->nmissing; i++) json_array_append_new(m, json_string(iv->missing[i]));
		json_object_set_new(o, "missing", m);
		return o;
	}
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE: {
		bool manual = r->kind == RULE_RATIO_BY_TYPE && !r->type_has_threshold[t];
		if (manual) {
			if (blank(iv->main)) return NULL;
			json_t *o = json_object();
			json_object_set_new(o, "met", json_boolean(strcmp(iv->main, "1") == 0));
			if (!blank(iv->reason)) json_object_set_new(o, "reason", json_string(iv->reason));
			return o;
		}
		if (blank(iv->num) && blank(iv->den)) return NULL;
		json_t *o = json_object();
		json_object_set_new(o, "num", jinteger(iv->num ? iv->num : ""));
		json_object_set_new(o, "den", jinteger(iv->den ? iv->den : ""));
		return o;
	}
	case RULE_COUNT:
		if (blank(iv->main)) return NULL;
		return jinteger(iv->main);
	case RULE_INFO:
		if (blank(iv->main)) return NULL;
		return json_string(iv->main);
	case RULE_DERIVED:
	case RULE_KIND_COUNT:
		break;
	}
	return NULL;
}

/* ---- rendering ---------------------------------------------------------------------- */

static const char *level_class(int level)
{
	return level == 1 ? "level-1" : level == 2 ? "level-2" : level == 3 ? "level-3" : "";
}

/* Where a criterion (or its scoring) comes from, when not the official
 * text: the tag, and behind its info mark one plain sentence. */
static void source_badge(web *w, const char *what, source_tag s)
{
	if (s == SRC_OFFICIAL) return;
	html_f(w->out, " <details class=\"source-info\"><summary><span class=\"badge %a\">%h%h</span> <span class=\"info-mark\" aria-hidden=\"true\">i</span>"
	               "<span class=\"visually-hidden\">Giải thích</span></summary><span class=\"explain\">%h</span></details>",
	       source_tag_code(s), what, source_tag_name(s), source_tag_explain(s));
}

static void radio(web *w, const char *name, const char *value, const char *label, const char *cur, bool on)
{
	html_f(w->out, "<label class=\"opt\"><input type=\"radio\" name=\"%a\" value=\"%a\"%h%h> %h</label>", name, value,
	       cur && strcmp(cur, value) == 0 ? " checked" : "", on ? "" : " disabled", label);
}

/* A criterion's radio buttons are one group named by its code and title, so a
 * screen reader says "1.3.1 — …, Có" rather than a bare "Có"; the legend is
 * for assistive technology only (the row shows the code and title already). */
static void group_begin(web *w, const fw_node *leaf)
{
	html_f(w->out, "<fieldset class=\"answer\" role=\"radiogroup\"><legend class=\"vh\">%h — %h</legend>", leaf->code, leaf->title);
}

/* The accessible name of one part of a criterion's answer: "1.3.2 — Tử số: …". */
static const char *part_name(web *w, const fw_node *leaf, const char *part)
{
	return arena_printf(w->a, "%s — %s: %s", leaf->code, part, leaf->title);
}

/* The id of a criterion's explanation (div.explain), for aria-describedby. */
static const char *explain_id(web *w, const fw_node *leaf)
{
	return arena_printf(w->a, "gt-%s", leaf->code);
}

/* A number typed in: named by its criterion and part, described by the
 * criterion's explanation when it has one. */
static void number_input(web *w, const char *name, int size, const char *value, const char *label, const char *described_by,
                         bool on)
{
	html_f(w->out, "<input name=\"%a\" inputmode=\"numeric\" size=\"%d\" value=\"%a\" aria-label=\"%a\"", name, size,
	       value ? value : "", label);
	if (described_by) html_f(w->out, " aria-describedby=\"%a\"", described_by);
	html_f(w->out, "%h>", on ? "" : " disabled");
}

static void control(web *w, assess_view *v, const fw_node *leaf, const item_vals *iv, bool on)
{
	const fw_rule *r = leaf->rule;
	const char *dis = on ? "" : " disabled";
	if (on) html_f(w->out, "<input type=\"hidden\" name=\"f:%a\" value=\"1\">", leaf->code);
	switch (r->kind) {
	case RULE_GATE:
		group_begin(w, leaf);
		radio(w, fname(w, leaf, NULL), "1", "Đạt", iv->main, on);
		radio(w, fname(w, leaf, NULL), "0", "Chưa đạt", iv->main, on);
		html_f(w->out, "</fieldset>");
		break;
	case RULE_YES_NO:
		group_begin(w, leaf);
		radio(w, fname(w, leaf, NULL), "1", "Có", iv->main, on);
		radio(w, fname(w, leaf, NULL), "0", "Không", iv->main, on);
		html_f(w->out, "</fieldset>");
		break;
	case RULE_UP_TO:
		html_f(w->out, "<label class=\"small\">Điểm (0–%q)<input name=\"%a\" inputmode=\"decimal\" value=\"%a\" size=\"5\" aria-label=\"%a\"%h></label>"
		               "<label class=\"small\">Lý do<textarea name=\"%a\" rows=\"2\" aria-label=\"%a\"%h>%h</textarea></label>",
		       r->points, fname(w, leaf, "points"), iv->points ? iv->points : "",
		       part_name(w, leaf, arena_printf(w->a, "Điểm (0–%s)", qtext(w, r->points))), dis, fname(w, leaf, "reason"),
		       part_name(w, leaf, "Lý do"), dis, iv->reason ? iv->reason : "");
		break;
	case RULE_ALTERNATIVES:
		group_begin(w, leaf);
		for (size_t i = 0; i < r->noptions; i++)
			radio(w, fname(w, leaf, NULL), r->options[i].code,
			      arena_printf(w->a, "%s (%s điểm)", r->options[i].label, qtext(w, r->options[i].points)), iv->main, on);
		radio(w, fname(w, leaf, NULL), "none", "Chưa có", iv->main, on);
		html_f(w->out, "</fieldset>");
		break;
	case RULE_TIERED:
		group_begin(w, leaf);
		for (size_t i = 0; i < r->noptions; i++) radio(w, fname(w, leaf, NULL), r->options[i].code, r->options[i].label, iv->main, on);
		radio(w, fname(w, leaf, NULL), "none", "Chưa triển khai", iv->main, on);
		html_f(w->out, "</fieldset><fieldset class=\"small\"><legend>Phân hệ còn thiếu (mỗi phân hệ trừ %q điểm)"
		               "<span class=\"vh\"> — %h</span></legend>", r->deduction, leaf->code);
		for (size_t i = 0; i < r->ncomponents; i++) {
			bool checked = false;
			for (size_t k = 0; k < iv->nmissing; k++) checked |= strcmp(iv->missing[k], r->components[i].code) == 0;
			html_f(w->out, "<label class=\"opt\"><input type=\"checkbox\" name=\"%a\" value=\"%a\"%h%h> %h</label>",
			       fname(w, leaf, "missing"), r->components[i].code, checked ? " checked" : "", dis, r->components[i].label);
		}
		html_f(w->out, "</fieldset>");
		break;
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE:
		if (r->kind == RULE_RATIO_BY_TYPE && !r->type_has_threshold[v->type]) {
			html_f(w->out, "<p class=\"explain\" id=\"%a\">Chưa có ngưỡng chính thức cho %h: người đánh giá xác định đạt hay chưa và ghi lý do.</p>",
			       explain_id(w, leaf), unit_type_name(v->type));
			group_begin(w, leaf);
			radio(w, fname(w, leaf, NULL), "1", "Đạt", iv->main, on);
			radio(w, fname(w, leaf, NULL), "0", "Chưa đạt", iv->main, on);
			html_f(w->out, "</fieldset><label class=\"small\">Lý do<textarea name=\"%a\" rows=\"2\" aria-label=\"%a\" aria-describedby=\"%a\"%h>%h</textarea></label>",
			       fname(w, leaf, "reason"), part_name(w, leaf, "Lý do"), explain_id(w, leaf), dis, iv->reason ? iv->reason : "");
		} else {
			const char *desc = r->measure ? explain_id(w, leaf) : NULL;
			html_f(w->out, "<span class=\"ratio\">");
			number_input(w, fname(w, leaf, "num"), 5, iv->num, part_name(w, leaf, "Tử số"), desc, on);
			html_f(w->out, " / ");
			number_input(w, fname(w, leaf, "den"), 5, iv->den, part_name(w, leaf, "Mẫu số"), desc, on);
			html_f(w->out, "</span>");
			if (r->measure) html_f(w->out, "<div class=\"explain\" id=\"%a\">%h</div>", desc, r->measure);
		}
		break;
	case RULE_COUNT:
		number_input(w, fname(w, leaf, NULL), 6, iv->main, part_name(w, leaf, "Số lượng"), r->measure ? explain_id(w, leaf) : NULL, on);
		if (r->measure)
			html_f(w->out, "<div class=\"explain\" id=\"%a\">%h (tối thiểu %q)</div>", explain_id(w, leaf), r->measure, r->threshold);
		break;
	case RULE_INFO:
		html_f(w->out, "<input name=\"%a\" value=\"%a\" aria-label=\"%a\"%h>", fname(w, leaf, NULL),
		       iv->main ? iv->main : "", part_name(w, leaf, "Thông tin"), dis);
		break;
	case RULE_DERIVED:
		html_f(w->out, "<span class=\"explain\">Tính tự động từ kết quả của các đơn vị theo cơ sở tính đã chọn, không nhập tay</span>");
		assess_derived_item(w, v, leaf);
		break;
	case RULE_KIND_COUNT:
		break;
	}
}

/* Was a mandatory condition of this group answered "not met"? (An
 * unanswered one also zeroes the group, but is not yet an alarm.) */
static bool gate_answered_failed(const assess_view *v, const fw_node *group)
{
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		if (leaf->group_index != group->group_index || leaf->rule->kind != RULE_GATE) continue;
		const node_score *ns = score_node(v->score, leaf);
		if (ns->answered && ns->gate_failed) return true;
	}
	return false;
}

/* The score shown: the engine's, or for an incomplete framework with
 * derived items those alone, provisional. */
static const score_result *shown(const assess_view *v)
{
	return v->score ? v->score : v->derived;
}

static void render_node(web *w, assess_view *v, const fw_node *n, item_vals *vals, bool editable)
{
	const node_score *ns = shown(v) ? score_node(shown(v), n) : NULL;
	if (n->kind == NODE_GROUP) {
		html_f(w->out, "<section class=\"card group\" id=\"nhom-%a\"><h2>Nhóm %h. %h", n->code, n->code, n->title);
		source_badge(w, "", n->source);
		html_f(w->out, "</h2>");
		if (n->nchildren == 0) {
			/* an incomplete official set: the criteria are not known yet */
			html_f(w->out, "<p class=\"empty-group\">Chưa có tiêu chí: quản trị viên cần nhập theo văn bản chính thức.</p>");
			html_f(w->out, "</section>");
			return;
		}
		if (ns && v->derived && !v->score)
			html_f(w->out, "<p class=\"group-total provisional\">Tạm tính (các mục suy ra): <strong>%q/%q</strong> điểm</p>",
			       ns->points, ns->max);
		else if (ns)
			html_f(w->out, "<p class=\"group-total\">Tổng nhóm: <strong>%q/%q</strong> điểm%h<span class=\"%a\">%h</span></p>",
			       ns->points, ns->max, ns->band ? " — " : "", level_class(ns->band ? ns->band->level : 0),
			       ns->band ? ns->band->name : "");
		if (ns && ns->gate_failed && gate_answered_failed(v, n))
			html_f(w->out, "<p class=\"error-msg\">%h</p>", ns->explain);
		html_f(w->out, "<table class=\"items\"><thead><tr><th>Mã</th><th>Tiêu chí</th><th>Đánh giá</th>"
		               "<th class=\"num\">Điểm</th></tr></thead><tbody>");
		for (size_t i = 0; i < n->nchildren; i++) render_node(w, v, &n->children[i], vals, editable);
		html_f(w->out, "</tbody></table></section>");
		return;
	}
	bool is_leaf = n->rule != NULL;
	bool derived = is_leaf && n->rule->kind == RULE_DERIVED;
	html_f(w->out, "<tr id=\"tc-%a\" class=\"%h%h\"><td>%h</td><td>%h", n->code, is_leaf ? "leaf" : "criterion",
	       derived ? " derived-item" : "", n->code, n->title);
	if (derived)   /* its value is computed, and its formula is Chiso's reading until checked */
		html_f(w->out, " <span class=\"badge inferred\" title=\"Tính từ kết quả đã công nhận của các đơn vị; %a\">suy ra</span>",
		       n->source == SRC_OFFICIAL ? "công thức theo văn bản chính thức" : "công thức do Chiso suy ra, chưa đối chiếu văn bản chính thức");
	else
		source_badge(w, "", n->source);
	if (n->rule && n->rule->source != n->source) {
		source_badge(w, "cách tính điểm: ", n->rule->source);
	}
	if (n->evidence) html_f(w->out, "<div class=\"explain\">Minh chứng: %h</div>", n->evidence);
	school_item_reason(w, v, n);          /* the office's reason while returned */
	if (is_leaf && assess_carry_cleared(v->stored[n->leaf_index]))
		html_f(w->out, "<p class=\"error-msg carried\">%h</p>", v->stored[n->leaf_index]->reason);
	if (!derived) evidence_links_for_item(w, v, n);   /* a computed item has no evidence of its own */
	html_f(w->out, "</td><td>");
	if (is_leaf) {
		item_vals *iv = &vals[n->leaf_index];
		bool on = editable && assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, n->code, NULL);
		control(w, v, n, iv, on);
		if (iv->error) html_f(w->out, "<p class=\"error-msg\" role=\"alert\">%h</p>", iv->error);
		if (ns && ns->explain) html_f(w->out, "<div class=\"explain score-explain\">%h</div>", ns->explain);
	} else if (ns && ns->explain) {
		html_f(w->out, "<span class=\"explain\">%h</span>", ns->explain);
	}
	html_f(w->out, "</td><td class=\"num\">");
	if (ns && !(n->rule && (n->rule->kind == RULE_GATE || n->rule->kind == RULE_INFO)))
		html_f(w->out, "%q/%q", ns->points, ns->max);
	else if (ns && n->rule && n->rule->kind == RULE_GATE)
		html_f(w->out, "%h", ns->answered ? (ns->gate_failed ? "Chưa đạt" : "Đạt") : "—");
	html_f(w->out, "</td></tr>");
	for (size_t i = 0; i < n->nchildren; i++) render_node(w, v, &n->children[i], vals, editable);
}

static void summary(web *w, assess_view *v)
{
	const score_result *s = v->score;
	html_f(w->out, "<section class=\"card summary\"><h1>%h</h1><p>%h%h%h — trạng thái: <strong>%h</strong></p>",
	       v->u.name, v->round.title, strstr(v->round.title, v->round.school_year) ? "" : " — năm học ",
	       strstr(v->round.title, v->round.school_year) ? "" : v->round.school_year, wf_state_label(v->state));
	if (v->round.self_due) {
		int due = assess_ymd(v->as.extended_until ? v->as.extended_until : v->round.self_due);
		int today = assess_today();
		html_f(w->out, "<p>Hạn tự đánh giá: %h", web_date_long(w, v->as.extended_until ? v->as.extended_until : v->round.self_due));
		if (due && due < today) html_f(w->out, " <span class=\"overdue\">(đã quá hạn)</span>");
		html_f(w->out, "</p>");
	}
	if (s) {
		size_t answered = 0, required = 0;
		for (size_t i = 0; i < v->fw->nleaves; i++) {
			if (!v->fw->leaves[i]->required) continue;
			required++;
			if (score_node(s, v->fw->leaves[i])->answered) answered++;
		}
		html_f(w->out, "<p><label class=\"inline-label\">Đã đánh giá %z/%z chỉ tiêu bắt buộc "
		               "<progress value=\"%z\" max=\"%z\"></progress></label></p>", answered, required, answered, required);
		html_f(w->out, "<table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Điểm</th><th>Mức</th></tr></thead><tbody>");
		for (size_t g = 0; g < v->fw->ngroups; g++) {
			const node_score *gs = score_node(s, &v->fw->groups[g]);
			html_f(w->out, "<tr><td><a href=\"#nhom-%a\">%h. %h</a></td><td class=\"num\">%q/%q</td><td class=\"%a\">%h</td></tr>",
			       v->fw->groups[g].code, v->fw->groups[g].code, v->fw->groups[g].title, gs->points, gs->max,
			       level_class(gs->band ? gs->band->level : 0), gs->band ? gs->band->name : "");
		}
		html_f(w->out, "</tbody></table><p><strong>Kết luận:</strong> %h</p>", s->level_explain);
	} else if (v->derived) {
		/* an incomplete set: no total, no level; the derived items as a
		 * provisional sub-total */
		const score_result *d = v->derived;
		html_f(w->out, "<p class=\"provisional\">Bộ chỉ số %h (%h) chưa hoàn chỉnh: chưa chấm tổng điểm, chưa xếp mức.</p>"
		               "<table class=\"totals\"><thead><tr><th>Nhóm</th><th class=\"num\">Điểm</th></tr></thead><tbody>",
		       v->fw->id, v->fw->decision_number);
		for (size_t g = 0; g < v->fw->ngroups; g++) {
			const fw_node *gn = &v->fw->groups[g];
			const node_score *gs = score_node(d, gn);
			html_f(w->out, "<tr><td><a href=\"#nhom-%a\">%h. %h</a></td><td class=\"num\">", gn->code, gn->code, gn->title);
			if (gn->nchildren == 0) html_f(w->out, "Chưa có tiêu chí");
			else html_f(w->out, "%q/%q (tạm tính)", gs->points, gs->max);
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table><p><strong>Kết luận:</strong> %h</p>", d->level_explain);
	}
	html_f(w->out, "<p class=\"no-print\"><a href=\"/danh-gia/%D/minh-chung\">Danh mục minh chứng</a> · <a href=\"/danh-gia/%D/in\">Bản in (A4)</a></p></section>", v->as.id, v->as.id);
}

static void whatif(web *w, assess_view *v)
{
	if (!v->score) return;
	size_t np = 0;
	whatif_plan *p = score_whatif(v->score, &np);
	if (!np) return;
	html_f(w->out, "<section class=\"card whatif\"><h2>Để lên mức cao hơn</h2>");
	for (size_t i = 0; i < np; i++) {
		html_f(w->out, "<p>Để %h đạt <strong>%h</strong> (hiện %q điểm → %q điểm):</p><ul>",
		       p[i].group ? arena_printf(w->a, "nhóm %s", p[i].group->code) : "tổng điểm", p[i].to->name, p[i].current, p[i].after);
		for (size_t k = 0; k < p[i].nsteps; k++)
			html_f(w->out, "<li><a href=\"#tc-%a\">%h</a> %h: %h%h</li>", p[i].steps[k].leaf->code, p[i].steps[k].leaf->code,
			       p[i].steps[k].leaf->title, p[i].steps[k].action,
			       p[i].steps[k].gain.n ? arena_printf(w->a, " (+%s điểm)", qtext(w, p[i].steps[k].gain)) : "");
		html_f(w->out, "</ul>");
	}
	html_f(w->out, "</section>");
}

static bool action_needs_reason(wf_action a)
{
	static const char *const with_reason[] = { "withdraw_approval", "return_for_supplement", "withdraw_recognition", "unpublish" };
	for (size_t i = 0; i < ARRAY_LEN(with_reason); i++)
		if (strcmp(wf_action_code(a), with_reason[i]) == 0) return true;
	return false;
}

/* A not-started assessment opens for editing on its first save: the
 * school does not have to find a "start" button first. */
static bool self_open(const assess_view *v)
{
	return wf_self_editable(v->state) || v->state == WF_NOT_STARTED;
}

static void actions(web *w, assess_view *v)
{
	wf_input in;
	assess_wf_input(w, v, &in);
	bool any = false;
	for (int a = 0; a < WF_ACTION_COUNT; a++) {
		if (!wf_offered(&in, (wf_action)a)) continue;
		if (!any) html_f(w->out, "<section class=\"card actions no-print\"><h2>Thao tác hồ sơ</h2>");
		any = true;
		if (school_action_elsewhere(w, v, (wf_action)a)) continue;   /* submit: with its letter */
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/chuyen\" class=\"action\">", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"action\" value=\"%a\">", wf_action_code((wf_action)a));
		if (action_needs_reason((wf_action)a))
			html_f(w->out, "<label class=\"small\">Lý do (bắt buộc)<textarea name=\"reason\" rows=\"2\" required></textarea></label>");
		html_f(w->out, "<button type=\"submit\">%h</button></form>", wf_action_label((wf_action)a));
	}
	/* issue 11, item 5: not a transition (workflow.c, wf_self_publication_check) */
	wf_result res;
	if (wf_self_publication_check(&in, true, &res) == 0 || wf_self_publication_check(&in, false, &res) == 0) {
		if (!any) html_f(w->out, "<section class=\"card actions no-print\"><h2>Thao tác hồ sơ</h2>");
		any = true;
		html_f(w->out, "<p class=\"action\"><a class=\"button\" href=\"/danh-gia/%D/cong-khai-tu-danh-gia\">%h…</a></p>", v->as.id,
		       in.self_published ? "Kết quả tự đánh giá đã công khai: xem, thu hồi" : "Công khai kết quả tự đánh giá");
	}
	if (any) html_f(w->out, "</section>");
}

/* After the office moved the assessment to a corrected revision of its
 * framework: the items whose answers it cleared, each a link to its row. */
static void carry_notice(web *w, assess_view *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->fw->nleaves; i++) n += assess_carry_cleared(v->stored[i]);
	if (!n) return;
	html_f(w->out, "<div class=\"warn-box\" role=\"status\"><p>Bộ chỉ số đã được sửa đổi (bản %h): %z chỉ tiêu "
	       "cần trả lời lại vì cách chấm đã thay đổi:</p><ul>", v->as.framework_revision, n);
	for (size_t i = 0; i < v->fw->nleaves; i++)
		if (assess_carry_cleared(v->stored[i]))
			html_f(w->out, "<li><a href=\"#tc-%a\">%h %h</a></li>", v->fw->leaves[i]->code, v->fw->leaves[i]->code,
			       v->fw->leaves[i]->title);
	html_f(w->out, "</ul></div>");
}

/* span (may be NULL): where the body between page_begin and page_end
 * starts and ends in w->out, for the kept page. */
static void render_page(web *w, assess_view *v, item_vals *vals, const char *errors, size_t span[2])
{
	/* Not started: whoever may start it gets the form as it will be once
	 * the first save has started it (assess_post does the same). */
	wf_input in;
	assess_wf_input(w, v, &in);
	bool starting = v->state == WF_NOT_STARTED && wf_offered(&in, WF_START);
	if (starting) v->az.object.state = WF_DRAFT;
	bool editable = self_open(v) && assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, NULL, NULL);
	/* a council member may edit only assigned items: the page is editable
	 * when at least one item is theirs */
	if (!editable && self_open(v)) {
		for (size_t i = 0; i < v->fw->nleaves && !editable; i++)
			editable = assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, v->fw->leaves[i]->code, NULL);
	}
	v->az.object.state = v->state;
	/* nothing to type (an incomplete 3806: group 1 empty, group 2 computed): no save button */
	bool typed = false;
	for (size_t i = 0; i < v->fw->nleaves && !typed; i++) typed = v->fw->leaves[i]->rule->kind != RULE_DERIVED;
	w->skip_to_save = editable && typed;
	page_begin(w, v->u.name);
	if (span) span[0] = w->out->len;
	summary(w, v);
	school_status_block(w, v);             /* tabs, approval, return for supplement */
	extreq_school_box(w, v, arena_printf(w->a, "/danh-gia/%lld", (long long)v->as.id), 2);
	if (errors) html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>Chưa lưu được một số chỉ tiêu — hãy sửa rồi lưu lại:</p><pre>%h</pre></div>", errors);
	actions(w, v);
	if (v->dv) assess_derived_notice(w, v);
	carry_notice(w, v);
	whatif(w, v);
	if (editable) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D\" class=\"assess\">", v->as.id);
		web_csrf_field(w);
	}
	if (starting) v->az.object.state = WF_DRAFT;
	for (size_t g = 0; g < v->fw->ngroups; g++) render_node(w, v, &v->fw->groups[g], vals, editable);
	v->az.object.state = v->state;
	if (editable) html_f(w->out, typed ? "<p class=\"sticky-save\"><button type=\"submit\" id=\"nut-luu\">Lưu kết quả tự đánh giá</button></p></form>"
	                                   : "</form>");
	if (span) span[1] = w->out->len;
	page_end(w);
}

/* ---- handlers ----------------------------------------------------------------------- */

static void assess_page(web *w, size_t span[2])
{
	assess_view *v = w->view;
	item_vals *vals = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *vals);
	for (size_t i = 0; i < v->fw->nleaves; i++) vals_from_stored(w, v->fw->leaves[i], v->stored[i], &vals[i]);
	render_page(w, v, vals, NULL, span);
}

/* ---- the kept page (page_cache.h, db_mark.c) ---------------------------------------
 *
 * The form of one assessment as one account sees it is kept between views,
 * named by the assessment and the account, valid for the store's mark and
 * the day it was read on: everything the page prints is in the store (the
 * answers, the state, the council, the evidence, the account's grants, the
 * unit and round…) and any write to it moves the mark in its own
 * transaction; deadlines move with the day. The head (the account's name,
 * the notice of ?tb=, the session's token) is rendered for each request;
 * the body is kept with holes where the session's token stood. */

/* Rendered in the place of the session's form token: letters and digits
 * only, so every escaper leaves it as it is. */
static const char csrf_hole[] = "chisoFormTokenHole7c1e9a4b2f6d8h3k5m0n";

static bool kept_key(web *w, page_key *k)
{
	if (!w->app || !w->app->page_cache || !w->account_id || w->via_token || !w->csrf) return false;
	if (db_mark_read(w->d, &k->mark) != DB_OK) {   /* a store without the mark: render as ever */
		db_clear_error(w->d);
		return false;
	}
	k->object = w->ids[0];
	k->account = w->account_id;
	k->day = assess_today();
	return true;
}

static void kept_head(void *ctx, const char *title, bool skip_to_save)
{
	web *w = ctx;
	w->skip_to_save = skip_to_save;
	page_begin(w, title);
}

/* The route's `cached`: a kept page, in the route's snapshot, before the load. */
static bool assess_get_kept(web *w)
{
	page_key k;
	if (!kept_key(w, &k)) return false;
	const struct iovec *iov;
	size_t n;
	page_loan *l = page_cache_lend(w->app->page_cache, &k, w->csrf, kept_head, w, &iov, &n);
	if (!l) return false;
	http_lend(w->r, iov, n, page_cache_lent_free, l);   /* sent from the entry, not copied */
	page_end(w);
	if (w->app->round_trips_header) http_set_header(w->r, "X-Chiso-Kept", "1");   /* tests and benchmarks: a hit */
	return true;
}

/* Every hole in w->out filled with the session's token. */
static void fill_holes(web *w, const char *csrf)
{
	buf filled;
	buf_init(&filled);
	const char *p = w->out->data, *end = p + w->out->len;
	size_t hl = strlen(csrf_hole);
	while (p < end) {
		const char *h = bytes_find(p, (size_t)(end - p), csrf_hole, hl);
		size_t run = h ? (size_t)(h - p) : (size_t)(end - p);
		buf_append(&filled, p, run);
		if (!h) break;
		buf_puts(&filled, csrf);
		p = h + hl;
	}
	buf_reset(w->out);
	buf_append(w->out, filled.data ? filled.data : "", filled.len);
	buf_free(&filled);
}

/* The form reads in one snapshot: its ~25 queries see one state, and
 * SQLite takes its file locks once rather than per statement (bench/http:
 * ~12% of the page's CPU). Nothing on this path writes. A miss of the kept
 * page (assess_get_kept) renders it with holes for the token, keeps the
 * body under the mark read in this same snapshot, then fills the holes. */
static void assess_get(web *w)
{
	page_key k;
	if (!kept_key(w, &k)) {
		assess_page(w, NULL);   /* the route's WEB_READ_SNAPSHOT: the load too */
		return;
	}
	const char *csrf = w->csrf;
	size_t span[2] = { 0, 0 };
	w->csrf = csrf_hole;
	assess_page(w, span);
	w->csrf = csrf;
	if ((w->r->status == 0 || w->r->status == 200) && span[1] > span[0])
		page_cache_put(w->app->page_cache, &k, w->view->u.name, w->skip_to_save, w->out->data + span[0], span[1] - span[0],
		               csrf_hole);
	fill_holes(w, csrf);
}

/* Live scoring (progressive enhancement, assets/chiso.js): the form as it
 * stands, scored by the engine and rendered by the very code of the page,
 * nothing saved. The script takes the totals, levels, explanations and
 * the advice from the answer; the rules exist only here. */
static void assess_preview(web *w)
{
	assess_view *v = w->view;
	assess_sheet sh;
	assess_sheet_init(&sh, v->fw, v->type, w->a);
	item_vals *vals = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *vals);
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		bool present;
		const char *typed = assess_item_from_form(w, v, leaf, &present);
		if (present) {
			vals_from_form(w, leaf, &vals[i]);
			if (typed) assess_sheet_put(&sh, leaf, typed, NULL);
		} else {
			vals_from_stored(w, leaf, v->stored[i], &vals[i]);
			if (v->stored[i]) assess_sheet_put(&sh, leaf, v->stored[i]->value_json, NULL);
		}
	}
	score_result *preview = assess_sheet_score(&sh, assess_policy(v->round.policy), NULL);
	if (preview) {
		score_free(v->score);
		v->score = preview;
		v->sheet = sh.sheet;
	}
	render_page(w, v, vals, NULL, NULL);
}

static void assess_post(web *w)
{
	assess_view *v = w->view;
	if (!self_open(v)) {
		web_error(w, 409, "Hồ sơ đã được khóa (đã phê duyệt hoặc đã gửi), không thể sửa kết quả tự đánh giá.");
		return;
	}
	if (v->state == WF_NOT_STARTED) {
		wf_result res;
		if (assess_apply(w, v, WF_START, NULL, &res) != 0) {
			web_error(w, 409, "Chưa thể bắt đầu tự đánh giá: hiệu trưởng cần bắt đầu hồ sơ trước.");
			return;
		}
		v->state = WF_DRAFT;
		v->az.object.state = WF_DRAFT;
	}
	item_vals *vals = arena_alloc(w->a, (v->fw->nleaves + 1) * sizeof *vals);
	buf errors;
	buf_init(&errors);
	size_t saved = 0;
	for (size_t i = 0; i < v->fw->nleaves; i++) {
		const fw_node *leaf = v->fw->leaves[i];
		if (!web_in_bool(w, arena_printf(w->a, "f:%s", leaf->code))) {
			vals_from_stored(w, leaf, v->stored[i], &vals[i]);
			continue;                   /* not in this form */
		}
		vals_from_form(w, leaf, &vals[i]);
		authz_decision why;
		if (!assess_allowed(w, v, AUTHZ_EDIT_SELF_ANSWER, leaf->code, &why)) {
			vals[i].error = why.message;
			buf_printf(&errors, "%s: %s\n", leaf->code, why.message);
			continue;
		}
		json_t *j = vals_to_json(v->fw, v->type, leaf, &vals[i]);
		if (!j && !v->stored[i]) continue;      /* still unanswered */
		char *text = j ? answers_stored_json(leaf, j) : strdup("null");
		json_decref(j);
		buf e;
		buf_init(&e);
		answer parsed;
		if (!answers_parse_one(v->fw, v->type, leaf, text, w->a, &parsed, &e)) {
			vals[i].error = arena_strdup(w->a, buf_str(&e));
			buf_puts(&errors, buf_str(&e));
		} else if (assessment_answer_put(w->d, w->account_id, v->as.id, leaf->code, ANSWER_SELF, text, NULL, NULL, NULL) != DB_OK) {
			vals[i].error = arena_printf(w->a, "Không lưu được: %s", db_errmsg(w->d));
			buf_printf(&errors, "%s: %s\n", leaf->code, vals[i].error);
		} else {
			saved++;
		}
		buf_free(&e);
		free(text);
	}
	if (errors.len) {
		/* re-read what was saved so the totals are current, keep the typed values */
		assess_view nv;
		if (assess_view_load(w, w->ids[0], ANSWER_SELF, AUTHZ_VIEW, &nv)) {
			w->r->status = 422;
			render_page(w, &nv, vals, buf_str(&errors), NULL);
			assess_view_free(&nv);
		}
		buf_free(&errors);
		return;
	}
	buf_free(&errors);
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld", (long long)w->ids[0]), "da-luu");
}

static void assess_transition(web *w)
{
	assess_view *v = w->view;
	wf_action a = wf_action_parse(web_in_text(w, "action"));
	if (a == WF_SUBMIT) {
		/* A submission carries its request letter (page_submission.c). */
		http_redirect(w->r, arena_printf(w->a, "/danh-gia/%lld/gui", (long long)w->ids[0]));
		return;
	}
	if (a == WF_PUBLISH_OWN) {
		/* what becomes public is shown and confirmed first (page_publish.c) */
		http_redirect(w->r, arena_printf(w->a, "/danh-gia/%lld/cong-khai", (long long)w->ids[0]));
		return;
	}
	wf_result res;
	int status = assess_apply(w, v, a, web_in_text(w, "reason"), &res);
	if (status) { web_error(w, status, arena_strdup(w->a, res.message)); return; }
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld", (long long)w->ids[0]), "da-chuyen");
}

/* The A4 print view: score table, totals, levels. */
static void assess_print(web *w)
{
	assess_view *v = w->view;
	page_begin(w, arena_printf(w->a, "Kết quả tự đánh giá — %s", v->u.name));
	html_f(w->out, "<article class=\"print\"><h1>KẾT QUẢ TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ</h1>"
	               "<p>Đơn vị: <strong>%h</strong> (mã %h) — năm học %h</p><p>Bộ chỉ số: %h (%h)</p>",
	       v->u.name, v->u.code, v->round.school_year, v->fw->title, v->fw->decision_number);
	assess_derived_basis_line(w, v);
	html_f(w->out, "<table><thead><tr><th>Mã</th><th>Tiêu chí</th><th class=\"num\">Điểm tối đa</th><th class=\"num\">Điểm đạt</th><th>Ghi chú</th><th>Minh chứng</th></tr></thead><tbody>");
	for (size_t g = 0; g < v->fw->ngroups; g++) {
		const fw_node *gn = &v->fw->groups[g];
		const node_score *gs = shown(v) ? score_node(shown(v), gn) : NULL;
		if (gn->nchildren == 0)   /* an incomplete set's empty group: no points to print */
			html_f(w->out, "<tr class=\"group-row\"><th>%h</th><th>%h</th><th class=\"num\">—</th><th class=\"num\">—</th>"
			               "<th>Chưa có tiêu chí</th><th></th></tr>", gn->code, gn->title);
		else
			html_f(w->out, "<tr class=\"group-row\"><th>%h</th><th>%h</th><th class=\"num\">%q</th><th class=\"num\">%q</th><th>%h</th><th></th></tr>",
			       gn->code, gn->title, gn->max, gs ? gs->points : q_int(0),
			       gs && gs->band ? gs->band->name : !v->score && v->derived ? "Tạm tính (các mục suy ra)" : "");
		for (size_t l = 0; l < v->fw->nleaves; l++) {
			const fw_node *leaf = v->fw->leaves[l];
			if (leaf->group_index != g) continue;
			const node_score *ns = shown(v) ? score_node(shown(v), leaf) : NULL;
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td class=\"num\">%q</td><td class=\"num\">%q</td><td>%h</td><td>",
			       leaf->code, leaf->title, leaf->max, ns ? ns->points : q_int(0), ns ? ns->explain : "");
			evidence_codes_for_item(w, v, leaf);
			html_f(w->out, "</td></tr>");
		}
	}
	html_f(w->out, "</tbody></table>");
	if (shown(v)) html_f(w->out, "<p><strong>Kết luận:</strong> %h</p>", shown(v)->level_explain);
	html_f(w->out, "</article>");
	page_end(w);
}

/* ---- shared with the external evaluation (page_eval.c) ---------------------------- */

/* The item's controls filled with a stored value (JSON text, NULL = none):
 * the external team scores with the same controls as the school. */
void assess_item_control(web *w, assess_view *v, const fw_node *leaf, const char *value_json, bool on)
{
	item_vals iv;
	assessment_answer st = { .value_json = value_json };
	vals_from_stored(w, leaf, value_json ? &st : NULL, &iv);
	control(w, v, leaf, &iv, on);
}

/* The item's value as the posted form says (canonical JSON in the arena),
 * NULL when cleared; *present false when the form did not carry the item. */
const char *assess_item_from_form(web *w, assess_view *v, const fw_node *leaf, bool *present)
{
	*present = web_in_bool(w, arena_printf(w->a, "f:%s", leaf->code));
	if (!*present) return NULL;
	item_vals iv;
	vals_from_form(w, leaf, &iv);
	json_t *j = vals_to_json(v->fw, v->type, leaf, &iv);
	if (!j) return NULL;
	char *t = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	const char *s = t ? arena_strdup(w->a, t) : NULL;
	free(t);
	return s;
}

/* A workflow action and, where it asks for one, its reason. */
static const web_input transition_inputs[] = {
	{ .name = "action", .type = WEB_IN_TEXT, .max = 64, .label = "thao tác" },
	{ .name = "reason", .type = WEB_IN_TEXT, .label = "lý do" },
	{ .name = NULL },
};

/* The save form and the live scoring: the items' controls. */
static const web_input item_inputs[] = {
	ASSESS_ITEM_INPUTS,
	{ .name = NULL },
};

const web_route page_assess_routes[] = {
	{ "GET", "/danh-gia/{id}", assess_get, WEB_SIGNED_IN | WEB_READ_SNAPSHOT, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .cached = assess_get_kept },
	{ "POST", "/danh-gia/{id}", assess_post, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = item_inputs },
	{ "POST", "/danh-gia/{id}/tinh-thu", assess_preview, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = item_inputs },
	{ "POST", "/danh-gia/{id}/chuyen", assess_transition, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW,
	  .inputs = transition_inputs },
	{ "GET", "/danh-gia/{id}/in", assess_print, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT, .action = AUTHZ_VIEW },
	{ NULL, NULL, NULL, 0 },
};
