/* page_dash.c — a round's summary for the office: level distribution per
 * unit type, targets with the units blocking them and, for each, the
 * cheapest items to the next level (the engine's what-if), the weakest
 * criteria of the area and the best-scoring units (điển hình). Every
 * chart has its table underneath; the tables export as CSV. */
#include "answers.h"
#include "chart.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_round.h"
#include "q_unit.h"
#include "target.h"
#include "util.h"
#include "vn.h"
#include "web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct dash {
	round_row round;
	unit office;
	target_unit *units;
	size_t nunits;
	const framework **fws;            /* distinct frameworks of the round */
	size_t nfws;
	target_def *targets;
	size_t ntargets;
} dash;

static const char *today_iso(web *w)
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(w->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The office (or an office above it) may see the round's summary. */
static bool dash_allowed(web *w, const round_row *r)
{
	int64_t *parents = NULL, *evals = NULL;
	size_t np = 0, ne = 0;
	const char *date = today_iso(w);
	unit_chain_on(w->d, r->office_unit_id, UNIT_PARENT, date, w->a, &parents, &np);
	unit_chain_on(w->d, r->office_unit_id, UNIT_EVALUATOR, date, w->a, &evals, &ne);
	authz_ctx c = { .account = web_account(w) };
	c.object.kind = AUTHZ_KIND_UNIT;
	c.object.unit_id = r->office_unit_id;
	c.object.parents = parents;
	c.object.n_parents = np;
	c.object.evaluators = evals;
	c.object.n_evaluators = ne;
	authz_decision why;
	if (authz_check(&c, AUTHZ_VIEW, &why)) return true;
	web_error(w, 403, why.message);
	return false;
}

static void add_fw(dash *d, const framework *fw)
{
	for (size_t i = 0; i < d->nfws; i++) if (d->fws[i] == fw) return;
	d->fws[d->nfws++] = fw;
}

/* The framework version of an assessment, looked up once per distinct
 * version of the round rather than once per assessment. */
typedef struct fw_memo {
	const char *id, *revision;
	const framework *fw;
	const fw_node **leaves;           /* fw's leaves by code, for bsearch */
} fw_memo;

static int leaf_cmp(const void *a, const void *b)
{
	return strcmp((*(const fw_node *const *)a)->code, (*(const fw_node *const *)b)->code);
}

static const fw_memo *memo_find(web *w, fw_memo *memo, size_t *nmemo, const assessment *as)
{
	for (size_t i = 0; i < *nmemo; i++)
		if (!strcmp(memo[i].id, as->framework_id) && !strcmp(memo[i].revision, as->framework_revision)) return &memo[i];
	fw_memo m = { as->framework_id, as->framework_revision,
		fw_catalog_find(&w->app->frameworks, arena_printf(w->a, "%s@%s", as->framework_id, as->framework_revision)), NULL };
	if (m.fw) {
		m.leaves = arena_alloc(w->a, (m.fw->nleaves + 1) * sizeof *m.leaves);
		memcpy(m.leaves, m.fw->leaves, m.fw->nleaves * sizeof *m.leaves);
		qsort(m.leaves, m.fw->nleaves, sizeof *m.leaves, leaf_cmp);
	}
	memo[*nmemo] = m;
	return &memo[(*nmemo)++];
}

/* The leaf with this code (framework_find walks the tree: at 50,000
 * schools × 60 answers that walk was a tenth of the page). */
static const fw_node *memo_leaf(const fw_memo *m, const char *code)
{
	size_t lo = 0, hi = m->fw->nleaves;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->leaves[mid]->code, code);
		if (c == 0) return m->leaves[mid];
		if (c < 0) lo = mid + 1;
		else hi = mid;
	}
	return NULL;
}

/* Assessments whose current answers one statement fetches: bounds what
 * PostgreSQL hands over at once (~60 answers each). */
enum { ANSWER_SLICE = 500 };

/* Loads every assessment of the round with its score; false after
 * rendering an error. Scores are freed by dash_free. The round's units
 * come in one statement and their answers in slices (q_bulk.h): at 50,000
 * schools, two statements per assessment were most of the page's time. */
static bool dash_read(web *w, int64_t round_id, dash *d)
{
	memset(d, 0, sizeof *d);
	if (round_get(w->d, round_id, w->a, &d->round) != DB_OK) { web_error(w, 404, "Không tìm thấy đợt đánh giá."); return false; }
	if (!dash_allowed(w, &d->round)) return false;
	unit_get(w->d, d->round.office_unit_id, w->a, &d->office);
	round_unit *ru = NULL;
	size_t n = 0;
	if (bulk_round_units(w->d, round_id, w->a, &ru, &n) != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return false; }
	d->units = arena_alloc(w->a, (n + 1) * sizeof *d->units);
	d->fws = arena_alloc(w->a, (n + 1) * sizeof *d->fws);
	/* per assessment: its unit in d->units and framework, NULL when it is
	 * not scored (a unit type or a framework version unknown here) */
	target_unit **slot = arena_alloc(w->a, (n + 1) * sizeof *slot);
	const fw_memo **fw_of = arena_alloc(w->a, (n + 1) * sizeof *fw_of);
	answer_sheet **sheet_of = arena_alloc(w->a, (n + 1) * sizeof *sheet_of);
	fw_memo *memo = arena_alloc(w->a, (n + 1) * sizeof *memo);   /* at most one per assessment */
	size_t nmemo = 0;
	for (size_t i = 0; i < n; i++) {
		const assessment *as = &ru[i].as;
		target_unit *tu = &d->units[d->nunits];
		tu->id = as->id;
		tu->code = ru[i].unit_code;
		tu->name = ru[i].unit_name;
		if (!unit_type_parse(ru[i].unit_type, &tu->type)) continue;
		tu->level = as->recognised_level ? as->recognised_level : as->external_level ? as->external_level : as->self_level;
		const fw_memo *m = memo_find(w, memo, &nmemo, as);
		const framework *fw = m->fw;
		d->nunits++;
		if (!fw || !fw->complete) continue;
		add_fw(d, fw);
		answer_sheet *sheet = arena_alloc(w->a, sizeof *sheet);
		sheet->answers = arena_alloc(w->a, (fw->nleaves + 1) * sizeof *sheet->answers);
		tu->sheet = sheet;
		slot[i] = tu;
		fw_of[i] = m;
		sheet_of[i] = sheet;
	}
	for (size_t lo = 0; lo < n; lo += ANSWER_SLICE) {
		size_t hi = lo + ANSWER_SLICE < n ? lo + ANSWER_SLICE : n;
		arena *scratch = arena_new();
		bulk_answer *ans = NULL;
		size_t na = 0, k = 0;
		if (bulk_round_answers(w->d, round_id, ru[lo].as.id, ru[hi - 1].as.id, scratch, &ans, &na) != DB_OK) na = 0;
		for (size_t i = lo; i < hi; i++) {
			/* both ordered by assessment id */
			while (k < na && ans[k].assessment_id < ru[i].as.id) k++;
			target_unit *tu = slot[i];
			if (!tu) continue;
			const framework *fw = fw_of[i]->fw;
			answer_sheet *sheet = sheet_of[i];
			buf err;
			buf_init(&err);
			for (; k < na && ans[k].assessment_id == ru[i].as.id; k++) {
				const fw_node *leaf = memo_leaf(fw_of[i], ans[k].item_code);
				if (leaf && leaf->rule)
					answers_parse_one(fw, tu->type, leaf, ans[k].value_json, w->a, &sheet->answers[leaf->leaf_index], &err);
			}
			tu->score = score_compute(fw, tu->type, d->round.policy && strcmp(d->round.policy, "per_group_only") == 0
			                                            ? POLICY_PER_GROUP_ONLY : POLICY_MIN, sheet, &err);
			buf_free(&err);
		}
		arena_free(scratch);
	}
	round_target *rt = NULL;
	size_t nt = 0;
	round_targets(w->d, round_id, w->a, &rt, &nt);
	d->targets = arena_alloc(w->a, (nt + 1) * sizeof *d->targets);
	for (size_t i = 0; i < nt; i++) {
		target_def *t = &d->targets[d->ntargets];
		t->kind = rt[i].kind && strcmp(rt[i].kind, "indicator") == 0 ? TARGET_INDICATOR : TARGET_LEVEL_SHARE;
		t->any_type = !rt[i].unit_type || !unit_type_parse(rt[i].unit_type, &t->type);
		t->level = rt[i].level;
		t->item_code = rt[i].item_code;
		t->share_percent = rt[i].share_percent;
		t->label = rt[i].label;
		d->ntargets++;
	}
	return true;
}

/* In one read snapshot: the units, the hundred slices of answers and the
 * targets are one state of the round even while schools keep saving
 * (PostgreSQL: REPEATABLE READ), and SQLite locks once. */
static bool dash_load(web *w, int64_t round_id, dash *d)
{
	bool snapshot = db_begin_read(w->d) == DB_OK;
	bool ok = dash_read(w, round_id, d);
	if (snapshot) db_commit(w->d);
	return ok;
}

static void dash_free(dash *d)
{
	for (size_t i = 0; i < d->nunits; i++) score_free((score_result *)d->units[i].score);
}

static const char *target_label(web *w, const target_def *t)
{
	if (t->label && *t->label) return t->label;
	if (t->kind == TARGET_INDICATOR) return arena_printf(w->a, "Chỉ tiêu %s đạt %d%%", t->item_code ? t->item_code : "?", t->share_percent);
	return arena_printf(w->a, "%d%% %s đạt Mức %d trở lên", t->share_percent, t->any_type ? "đơn vị" : unit_type_name(t->type), t->level);
}

static void levels_section(web *w, dash *d)
{
	size_t counts[UT_COUNT][4];
	target_level_counts(d->units, d->nunits, counts);
	static const char *const series[] = { "Mức 1", "Mức 2", "Mức 3", "Chưa có mức" };
	static const char *const colors[] = { "#b3261e", "#c98a00", "#1d7a3a", "#9aa4ae" };
	chart_row rows[UT_COUNT];
	size_t nr = 0;
	for (int t = 0; t < UT_COUNT; t++) {
		size_t tot = counts[t][0] + counts[t][1] + counts[t][2] + counts[t][3];
		if (!tot) continue;
		rows[nr].label = unit_type_name((unit_type)t);
		for (int l = 0; l < 3; l++) rows[nr].values[l] = q_int((int64_t)counts[t][l + 1]);
		rows[nr].values[3] = q_int((int64_t)counts[t][0]);
		nr++;
	}
	html_f(w->out, "<section class=\"card\"><h2>Phân bố mức độ theo loại hình</h2>");
	chart_stacked(w->out, "Số đơn vị theo mức độ chuyển đổi số, theo loại hình", series, colors, 4, rows, nr);
	html_f(w->out, "<table><thead><tr><th>Loại hình</th><th class=\"num\">Mức 1</th><th class=\"num\">Mức 2</th>"
	               "<th class=\"num\">Mức 3</th><th class=\"num\">Chưa có mức</th><th class=\"num\">Tổng</th></tr></thead><tbody>");
	for (size_t r = 0; r < nr; r++)
		html_f(w->out, "<tr><td>%h</td><td class=\"num\">%q</td><td class=\"num\">%q</td><td class=\"num\">%q</td><td class=\"num\">%q</td><td class=\"num\">%q</td></tr>",
		       rows[r].label, rows[r].values[0], rows[r].values[1], rows[r].values[2], rows[r].values[3],
		       q_add(q_add(rows[r].values[0], rows[r].values[1]), q_add(rows[r].values[2], rows[r].values[3])));
	html_f(w->out, "</tbody></table></section>");
}

/* For a blocking unit, the what-if steps toward `level`. */
static void cheapest_items(web *w, const target_unit *u, int level)
{
	if (!u->score) { html_f(w->out, "<span class=\"explain\">Chưa có kết quả tự đánh giá.</span>"); return; }
	size_t np = 0;
	whatif_plan *p = score_whatif((score_result *)u->score, &np);
	bool any = false;
	for (size_t i = 0; i < np; i++) {
		if (p[i].from->level >= level) continue;
		for (size_t k = 0; k < p[i].nsteps; k++) {
			html_f(w->out, "%h%h %h", any ? "; " : "", p[i].steps[k].leaf->code, p[i].steps[k].action);
			if (p[i].steps[k].gain.n) html_f(w->out, " (+%q)", p[i].steps[k].gain);
			any = true;
		}
	}
	if (!any) html_f(w->out, "<span class=\"explain\">Chỉ cần được đánh giá ngoài và công nhận.</span>");
}

static void targets_section(web *w, dash *d)
{
	html_f(w->out, "<section class=\"card\"><h2>Chỉ tiêu</h2>");
	if (!d->ntargets) { html_f(w->out, "<p>Đợt đánh giá này chưa đặt chỉ tiêu.</p></section>"); return; }
	target_result *res = target_evaluate(w->a, d->targets, d->ntargets, d->units, d->nunits);
	chart_row *rows = arena_alloc(w->a, d->ntargets * sizeof *rows);
	for (size_t i = 0; i < d->ntargets; i++) {
		rows[i].label = target_label(w, &d->targets[i]);
		rows[i].values[0] = res[i].share;
	}
	chart_percent_bars(w->out, "Mức đạt các chỉ tiêu (%)", rows, d->ntargets, -1);
	html_f(w->out, "<table><thead><tr><th>Chỉ tiêu</th><th class=\"num\">Đạt được</th><th class=\"num\">Chỉ tiêu</th><th>Kết quả</th></tr></thead><tbody>");
	for (size_t i = 0; i < d->ntargets; i++) {
		const target_result *r = &res[i];
		html_f(w->out, "<tr><td>%h</td><td class=\"num\">%q%%", rows[i].label, r->share);
		if (r->def->kind == TARGET_LEVEL_SHARE) html_f(w->out, " (%z/%z)", r->meeting, r->counted);
		else html_f(w->out, " (%q/%q)", r->num, r->den);
		html_f(w->out, "</td><td class=\"num\">%d%%</td><td class=\"%h\">%h", r->def->share_percent,
		       r->attained ? "level-3" : "level-1", r->attained ? "Đạt" : "Chưa đạt");
		if (!r->attained && r->def->kind == TARGET_LEVEL_SHARE && r->counted)
			html_f(w->out, " — cần thêm %z đơn vị", r->more_needed);
		html_f(w->out, "</td></tr>");
	}
	html_f(w->out, "</tbody></table>");
	for (size_t i = 0; i < d->ntargets; i++) {
		const target_result *r = &res[i];
		if (r->attained || r->def->kind != TARGET_LEVEL_SHARE || !r->nblocking) continue;
		html_f(w->out, "<h3>Đơn vị chưa đạt: %h</h3><table class=\"blocking\"><thead><tr><th>Mã</th><th>Đơn vị</th>"
		               "<th class=\"num\">Mức</th><th>Các chỉ tiêu ít tốn công nhất để lên mức</th></tr></thead><tbody>", rows[i].label);
		size_t show = r->nblocking < 20 ? r->nblocking : 20;
		for (size_t k = 0; k < show; k++) {
			const target_unit *u = r->blocking[k];
			html_f(w->out, "<tr><td>%h</td><td><a href=\"/danh-gia/%D\">%h</a></td><td class=\"num\">%h</td><td>", u->code, u->id, u->name,
			       u->level ? arena_printf(w->a, "%d", u->level) : "—");
			cheapest_items(w, u, r->def->level);
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table>");
		if (r->nblocking > show) html_f(w->out, "<p class=\"explain\">… và %z đơn vị khác.</p>", r->nblocking - show);
	}
	html_f(w->out, "</section>");
}

static void weakest_section(web *w, dash *d)
{
	for (size_t f = 0; f < d->nfws; f++) {
		size_t n = 0;
		criterion_stat *st = target_weakest(w->a, d->fws[f], d->units, d->nunits, &n);
		size_t show = n < 10 ? n : 10;
		chart_row *rows = arena_alloc(w->a, (show + 1) * sizeof *rows);
		for (size_t i = 0; i < show; i++) {
			rows[i].label = arena_printf(w->a, "%s", st[i].node->code);
			rows[i].values[0] = q_mul(st[i].mean_share, q_int(100));
		}
		html_f(w->out, "<section class=\"card\"><h2>Tiêu chí yếu nhất — %h</h2>", d->fws[f]->title);
		chart_percent_bars(w->out, "Điểm trung bình so với điểm tối đa (%)", rows, show, -1);
		html_f(w->out, "<table><thead><tr><th>Mã</th><th>Tiêu chí</th><th class=\"num\">Điểm TB / tối đa</th><th class=\"num\">Số đơn vị</th></tr></thead><tbody>");
		for (size_t i = 0; i < show; i++)
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td class=\"num\">%q%%</td><td class=\"num\">%z</td></tr>",
			       st[i].node->code, st[i].node->title, rows[i].values[0], st[i].units);
		html_f(w->out, "</tbody></table></section>");
	}
}

static void best_section(web *w, dash *d)
{
	const target_unit **best = target_best(w->a, d->units, d->nunits);
	size_t show = d->nunits < 10 ? d->nunits : 10;
	html_f(w->out, "<section class=\"card\"><h2>Đơn vị điển hình</h2><table><thead><tr><th>#</th><th>Mã</th><th>Đơn vị</th>"
	               "<th>Loại hình</th><th class=\"num\">Tổng điểm</th><th class=\"num\">Mức</th></tr></thead><tbody>");
	for (size_t i = 0; i < show; i++) {
		const target_unit *u = best[i];
		html_f(w->out, "<tr><td class=\"num\">%z</td><td>%h</td><td><a href=\"/danh-gia/%D\">%h</a></td><td>%h</td><td class=\"num\">%q</td><td class=\"num\">%h</td></tr>",
		       i + 1, u->code, u->id, u->name, unit_type_name(u->type), u->score ? u->score->total : q_int(0),
		       u->level ? arena_printf(w->a, "%d", u->level) : "—");
	}
	html_f(w->out, "</tbody></table></section>");
}

static void dash_page(web *w)
{
	dash d;
	if (!dash_load(w, w->ids[0], &d)) return;
	page_begin(w, arena_printf(w->a, "Tổng hợp — %s", d.round.title));
	html_f(w->out, "<h1>Tổng hợp kết quả: %h</h1><p>%h — %z đơn vị. <a href=\"/tong-hop/%D/bang.csv\">Tải bảng số liệu (CSV)</a></p>",
	       d.round.title, d.office.name, d.nunits, d.round.id);
	levels_section(w, &d);
	targets_section(w, &d);
	weakest_section(w, &d);
	best_section(w, &d);
	page_end(w);
	dash_free(&d);
}

/* CSV (RFC 4180, UTF-8 with BOM so Excel shows Vietnamese correctly). */
static void csv_field(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; s && *s; s++) {
		if (*s == '"') buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void dash_csv(web *w)
{
	dash d;
	if (!dash_load(w, w->ids[0], &d)) return;
	buf *b = w->out;
	buf_puts(b, "\xEF\xBB\xBF");
	buf_puts(b, "\"Mã đơn vị\",\"Tên đơn vị\",\"Loại hình\",\"Tổng điểm\",\"Mức\"\r\n");
	const target_unit **sorted = target_best(w->a, d.units, d.nunits);
	for (size_t i = 0; i < d.nunits; i++) {
		const target_unit *u = sorted[i];
		csv_field(b, u->code);
		buf_putc(b, ',');
		csv_field(b, u->name);
		buf_putc(b, ',');
		csv_field(b, unit_type_name(u->type));
		buf_putc(b, ',');
		q_format(b, u->score ? u->score->total : q_int(0), 2, false);
		buf_printf(b, ",%d\r\n", u->level);
	}
	w->r->content_type = "text/csv; charset=utf-8";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"tong-hop.csv\"");
	dash_free(&d);
}

const web_route page_dash_routes[] = {
	{ "GET", "/tong-hop/{id}", dash_page, WEB_SIGNED_IN },
	{ "GET", "/tong-hop/{id}/bang.csv", dash_csv, WEB_SIGNED_IN },
	{ NULL, NULL, NULL, 0 },
};
