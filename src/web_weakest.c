/* web_weakest.c — the weakest criteria over a set of schools (web_weakest.h). */
#include "web_weakest.h"
#include "assess.h"
#include "html.h"
#include "round_agg.h"
#include <stdlib.h>
#include <string.h>

void weakest_init(web *w, weakest_acc *k)
{
	memset(k, 0, sizeof *k);
	summary_cache_init(&k->cache, w->d, &w->app->frameworks, w->a);
}

static criterion_acc *acc_of(web *w, weakest_acc *k, const framework *fw)
{
	for (size_t i = 0; i < k->n; i++) if (k->fw[i] == fw) return k->acc[i];
	if (k->n == WEAKEST_FWS) return NULL;
	k->fw[k->n] = fw;
	k->acc[k->n] = target_weakest_begin(w->a, fw);
	return k->acc[k->n++];
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

static void feed(void *ctx, size_t i, const target_summary *sum)
{
	criterion_acc **of = ctx;
	if (sum->scored && of[i]) target_weakest_add_summary(of[i], sum);
}

/* A whole round from its stored aggregates (round_agg.h), when they are
 * current: each cell's criterion points summed over its scored units, as
 * the round summary reads them (page_dash.c's feed_cell) — a few rows,
 * whatever the round's size. False when they cannot be read. */
static bool add_cells(web *w, weakest_acc *k, int64_t round_id)
{
	agg_cell_row *rows = NULL;
	size_t n = 0;
	if (!round_agg_current(w->d, round_id) || agg_cells(w->d, round_id, w->a, &rows, &n) != DB_OK) {
		db_clear_error(w->d);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		agg_sum c;
		if (!agg_sum_decode(w->a, &rows[i], &c) || !c.type_ok || !c.scored) continue;
		const framework *fw = fw_catalog_find(&w->app->frameworks, c.fw_key);
		criterion_acc *acc = fw && fw->complete ? acc_of(w, k, fw) : NULL;
		if (acc) target_weakest_add_sums(acc, c.points, c.npoints, (size_t)c.scored);
	}
	return true;
}

void weakest_add_round(web *w, weakest_acc *k, const round_row *r, const int64_t *ids, size_t nids)
{
	if (!ids && !getenv("CHISO_DASH_FULL") && add_cells(w, k, r->id)) return;
	round_unit *ru = NULL;
	size_t n = 0;
	if (bulk_round_units(w->d, r->id, w->a, &ru, &n) != DB_OK || !n) {
		db_clear_error(w->d);
		return;
	}
	summary_fw *memo = arena_alloc(w->a, (n + 1) * sizeof *memo);
	const summary_fw **memo_ru = arena_alloc(w->a, n * sizeof *memo_ru);
	criterion_acc **of = arena_alloc(w->a, n * sizeof *of);
	size_t nmemo = 0;
	for (size_t i = 0; i < n; i++) {
		unit_type t;
		memo_ru[i] = NULL;
		of[i] = NULL;
		if (!unit_type_parse(ru[i].unit_type, &t)) continue;   /* an office's own assessment */
		if (ids && !(nids && bsearch(&ru[i].as.id, ids, nids, sizeof *ids, id_cmp))) continue;
		const summary_fw *m = summary_fw_find(&k->cache, memo, &nmemo, &ru[i].as);
		if (!m->fw || !m->fw->complete || !(of[i] = acc_of(w, k, m->fw))) continue;
		memo_ru[i] = m;
	}
	summary_cache_round(&k->cache, r->id, assess_policy(r->policy), ru, n, memo_ru, feed, of);
}

void weakest_render(web *w, weakest_acc *k, size_t show)
{
	html_f(w->out, "<section class=\"card\" id=\"tieu-chi-yeu\"><h2>Tiêu chí yếu nhất</h2><p class=\"explain\">Điểm trung bình của "
	               "các trường so với điểm tối đa của tiêu chí, thấp nhất trước; tính trên các trường đã có điểm.</p>");
	size_t shown = 0;
	for (size_t f = 0; f < k->n; f++) {
		size_t nst = 0;
		const criterion_stat *st = target_weakest_end(k->acc[f], &nst);
		if (!nst) continue;
		size_t m = nst < show ? nst : show;
		html_f(w->out, "<h3>%h</h3><div class=\"table-wrap\"><table class=\"weakest\" data-framework=\"%a\"><thead><tr><th>Mã</th>"
		               "<th>Tiêu chí</th><th class=\"num\">Điểm TB / tối đa</th><th class=\"num\">Số đơn vị</th></tr></thead><tbody>",
		       k->fw[f]->title, k->fw[f]->id);
		for (size_t i = 0; i < m; i++)
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td class=\"num\">%q%%</td><td class=\"num\">%z</td></tr>", st[i].node->code,
			       st[i].node->title, q_mul(st[i].mean_share, q_int(100)), st[i].units);
		html_f(w->out, "</tbody></table></div>");
		shown++;
	}
	if (!shown) html_f(w->out, "<p>Chưa có trường nào có điểm.</p>");
	html_f(w->out, "</section>");
	/* the summaries computed here: the next view (and the round summary)
	 * reads them instead; failing to store them only costs time */
	summary_cache_store(&k->cache);
}
