/* page_dash.c — a round's summary for the office: level distribution per
 * unit type and per criterion group, targets with the units blocking them
 * and, for each listed, the cheapest items to the next level (the engine's
 * what-if), the weakest criteria of the area, the best-scoring units (điển
 * hình), the round's progress over time and the comparison with earlier
 * school years. Every chart has its table underneath; each table exports
 * as XLSX (one sheet, or all of them in one workbook), the units as CSV. */
#include "assess.h"
#include "chart.h"
#include "doc_xlsx.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_dash.h"
#include "q_round.h"
#include "q_unit.h"
#include "round_agg.h"
#include "summary_cache.h"
#include "target.h"
#include "util.h"
#include "vn.h"
#include "web.h"
#include "web_office.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Per framework of the round: its weakest-criteria and group-level
 * accumulators, fed one score at a time. */
typedef struct fw_stat {
	const framework *fw;
	criterion_acc *weak;
	group_levels *groups;
	criterion_stat *weakest;
	size_t nweakest;
} fw_stat;

typedef struct dash {
	round_row round;
	unit office;
	const char *today;                /* YYYY-MM-DD, Vietnam time */
	target_unit *units;               /* totals kept, scores freed (see dash_read) */
	size_t nunits;
	int64_t *unit_ids;                /* per unit: its unit id (target_unit.id is the assessment's) */
	q *maxes;                         /* per unit: its framework's maximum total (0: unknown) */
	bool *scored;                     /* per unit: a score was computed */
	const summary_fw **memo_of;       /* per unit: its framework */
	fw_stat *fws;                     /* distinct complete frameworks of the round */
	size_t nfws;
	target_def *targets;
	size_t ntargets;
	target_result *res;
	score_result **kept;              /* the blocking units shown, scored again for the what-if */
	size_t nkept;
	summary_cache cache;              /* the score summaries (summary_cache.h) */
	size_t level_counts[UT_COUNT][4]; /* units per type and level that counts (0: none) */
	const target_unit **best;         /* the best totals shown (SHOW_BEST at most) */
	size_t nbest;
	size_t nunits_listed;             /* from the aggregates: the units in `units` (nunits: all) */
	bool from_agg;                    /* read from the stored aggregates (dash_read_agg) */
	q total_sum;                      /* over the scored units, for the average */
	size_t nscored;
	/* progress (dash_progress) */
	progress_point *progress;
	size_t nprogress;
	bool weekly;
	/* year over year (dash_yoy) */
	const char **years;               /* earlier school years, oldest first, then this one */
	size_t nyears;
	yoy_unit **yoy;                   /* per year: the units with a result that year */
	size_t *nyoy;
	yoy_move *moves;                  /* against the latest earlier year */
	size_t nmoves, nup;
	size_t noffices_before;           /* distinct offices that ran the earlier rounds */
} dash;

/* Blocking units per target shown with their cheapest items on the page
 * (all of them are in the XLSX). */
enum { SHOW_BLOCKING = 20, SHOW_MOVES = 30 };

static const char *today_iso(web *w)
{
	char *s = arena_alloc(w->a, 11);
	vn_today_iso(s);
	return s;
}

static fw_stat *fw_stat_of(web *w, dash *d, const framework *fw)
{
	for (size_t i = 0; i < d->nfws; i++) if (d->fws[i].fw == fw) return &d->fws[i];
	fw_stat *f = &d->fws[d->nfws++];
	f->fw = fw;
	f->weak = target_weakest_begin(w->a, fw);
	f->groups = target_group_levels_begin(w->a, fw);
	return f;
}

/* A framework's maximum total, as the engine reports it (score.c): the
 * declared total of a framework scored on the total, else the sum of its
 * groups' maxima; 0 when the framework is unknown here. */
static q fw_total_max(const framework *fw)
{
	if (!fw) return q_int(0);
	if (fw->basis == BASIS_TOTAL) return fw->total_max;
	q m = q_int(0);
	for (size_t g = 0; g < fw->ngroups; g++) m = q_add(m, fw->groups[g].max);
	return m;
}

static unit_policy policy_of(const round_row *r)
{
	return assess_policy(r->policy);
}

/* Blocking units listed on the page (indices into d->units, at most
 * BULK_IDS_MAX), scored again so that the what-if can run on their scores:
 * the streaming pass kept only their totals. Their answers in one read. */
static void rescore(web *w, dash *d, const size_t *idx, size_t n)
{
	int64_t ids[BULK_IDS_MAX] = { 0 };
	for (size_t i = 0; i < n; i++) ids[i] = d->units[idx[i]].id;
	bulk_answer *ans = NULL;
	size_t na = 0;
	if (bulk_answers_of(w->d, d->round.id, ids, n, w->a, &ans, &na) != DB_OK) return;
	for (size_t i = 0; i < n; i++) {
		target_unit *u = &d->units[idx[i]];
		size_t lo = 0, hi;   /* the unit's answers: a run of the list, by assessment id */
		while (lo < na && ans[lo].assessment_id != u->id) lo++;
		for (hi = lo; hi < na && ans[hi].assessment_id == u->id; hi++) {}
		answer_sheet *sheet = NULL;
		score_result *r = summary_score_one(policy_of(&d->round), d->memo_of[idx[i]], u->type, ans + lo, hi - lo, w->a, &sheet);
		if (!r) continue;
		u->score = r;
		u->sheet = sheet;
		d->kept[d->nkept++] = r;
	}
}

/* A unit's summary fed to the page's accumulators (dash_read). */
struct feed_ctx {
	dash *d;
	const ptrdiff_t *slot;
	fw_stat **stat_of;
};

static void feed_unit(void *ctx, size_t i, const target_summary *sum)
{
	struct feed_ctx *c = ctx;
	dash *d = c->d;
	size_t idx = (size_t)c->slot[i];
	target_unit *tu = &d->units[idx];
	if (!sum->scored) return;
	target_add_summary(d->res, d->ntargets, tu, sum);
	target_weakest_add_summary(c->stat_of[i]->weak, sum);
	target_group_levels_add_summary(c->stat_of[i]->groups, tu->type, sum, tu->level != 0);
	tu->total = sum->total;
	d->total_sum = q_add(d->total_sum, sum->total);
	d->nscored++;
	d->scored[idx] = true;
}

/* The round's targets, their results begun (target_begin). */
static void dash_targets(web *w, int64_t round_id, dash *d)
{
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
	d->res = target_begin(w->a, d->targets, d->ntargets);
}

enum { SHOW_WEAKEST = 10, SHOW_BEST = 10 };
static void dash_whatif(web *w, dash *d);

/* Loads the round and aggregates every assessment's score; false after
 * rendering an error. The round's units come in one statement and their
 * answers in slices (q_bulk.h). Each slice's answers and scores live in a
 * scratch arena freed after the slice: what is kept of a unit is its
 * level and total, and what the sections need is accumulated as the
 * scores go by (weakest criteria, group levels, indicator targets). Only
 * the blocking units the page lists are scored again for their what-if.
 * At 50,000 schools, keeping every score was ~38 KB per school. */
static bool dash_read(web *w, int64_t round_id, dash *d, bool whatif)
{
	memset(d, 0, sizeof *d);
	summary_cache_init(&d->cache, w->d, &w->app->frameworks, w->a);
	d->today = today_iso(w);
	/* the route's round (WEB_LOAD_ROUND): the office, or an office above it
	 * on the round's date, as for the round's own pages (the Sở keeps the
	 * summary of a Phòng's round after the Phòng is dissolved), may view it */
	d->round = w->round->r;
	d->office = w->round->office;
	round_unit *ru = NULL;
	size_t n = 0;
	if (bulk_round_units(w->d, round_id, w->a, &ru, &n) != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return false; }
	dash_targets(w, round_id, d);

	d->units = arena_alloc(w->a, (n + 1) * sizeof *d->units);
	d->unit_ids = arena_alloc(w->a, (n + 1) * sizeof *d->unit_ids);
	d->scored = arena_alloc(w->a, (n + 1) * sizeof *d->scored);
	d->memo_of = arena_alloc(w->a, (n + 1) * sizeof *d->memo_of);
	d->maxes = arena_alloc(w->a, (n + 1) * sizeof *d->maxes);
	d->fws = arena_alloc(w->a, (n + 1) * sizeof *d->fws);
	/* per assessment: its unit's index in d->units, or -1 when it is not
	 * scored (a unit type or a framework version unknown here) */
	ptrdiff_t *slot = arena_alloc(w->a, (n + 1) * sizeof *slot);
	fw_stat **stat_of = arena_alloc(w->a, (n + 1) * sizeof *stat_of);
	summary_fw *memo = arena_alloc(w->a, (n + 1) * sizeof *memo);   /* at most one per assessment */
	size_t nmemo = 0;
	d->total_sum = q_int(0);
	for (size_t i = 0; i < n; i++) {
		const assessment *as = &ru[i].as;
		slot[i] = -1;
		target_unit *tu = &d->units[d->nunits];
		tu->id = as->id;
		tu->code = ru[i].unit_code;
		tu->name = ru[i].unit_name;
		tu->total = q_int(0);
		if (!unit_type_parse(ru[i].unit_type, &tu->type)) continue;
		tu->level = as->recognised_level ? as->recognised_level : as->external_level ? as->external_level : as->self_level;
		const summary_fw *m = summary_fw_find(&d->cache, memo, &nmemo, as);
		d->unit_ids[d->nunits] = as->unit_id;
		d->memo_of[d->nunits] = m;
		d->maxes[d->nunits] = fw_total_max(m->fw);
		size_t idx = d->nunits++;
		if (!m->fw || !m->fw->complete) continue;
		stat_of[i] = fw_stat_of(w, d, m->fw);
		slot[i] = (ptrdiff_t)idx;
	}
	struct feed_ctx fc = { d, slot, stat_of };
	const summary_fw **memo_ru = arena_alloc(w->a, (n + 1) * sizeof *memo_ru);
	for (size_t i = 0; i < n; i++) memo_ru[i] = slot[i] >= 0 ? d->memo_of[slot[i]] : NULL;
	summary_cache_round(&d->cache, round_id, policy_of(&d->round), ru, n, memo_ru, feed_unit, &fc);
	target_finish(w->a, d->res, d->ntargets, d->units, d->nunits);
	for (size_t f = 0; f < d->nfws; f++) d->fws[f].weakest = target_weakest_end(d->fws[f].weak, &d->fws[f].nweakest);
	target_level_counts(d->units, d->nunits, d->level_counts);
	d->best = target_best(w->a, d->units, d->nunits);
	d->nbest = d->nunits < SHOW_BEST ? d->nunits : SHOW_BEST;
	if (!whatif) return true;
	dash_whatif(w, d);
	return true;
}

static void dash_whatif(web *w, dash *d)
{
	size_t nshow = 0;
	for (size_t t = 0; t < d->ntargets; t++) nshow += d->res[t].nblocking < SHOW_BLOCKING ? d->res[t].nblocking : SHOW_BLOCKING;
	d->kept = arena_alloc(w->a, (nshow + 1) * sizeof *d->kept);
	size_t *want = arena_alloc(w->a, (nshow + 1) * sizeof *want), nwant = 0;
	for (size_t t = 0; t < d->ntargets; t++) {
		const target_result *r = &d->res[t];
		if (r->attained || r->def->kind != TARGET_LEVEL_SHARE) continue;
		for (size_t k = 0; k < r->nblocking && k < SHOW_BLOCKING; k++) {
			size_t idx = (size_t)(r->blocking[k] - d->units), j = 0;
			while (j < nwant && want[j] != idx) j++;   /* a unit blocking two targets is scored once */
			if (j == nwant && d->scored[idx] && !d->units[idx].score) want[nwant++] = idx;
		}
	}
	for (size_t lo = 0; lo < nwant; lo += BULK_IDS_MAX)
		rescore(w, d, want + lo, nwant - lo < BULK_IDS_MAX ? nwant - lo : BULK_IDS_MAX);
}

/* ---- the page from the round's stored aggregates (round_agg.h) ---------------------- */

/* A unit the page lists (lowest totals, best totals), as a target_unit in
 * d->units with its framework for the what-if; its index. */
static size_t listed_unit(web *w, dash *d, summary_fw *memo, size_t *nmemo, const agg_listed *l)
{
	size_t idx = d->nunits_listed++;
	target_unit *tu = &d->units[idx];
	memset(tu, 0, sizeof *tu);
	tu->id = l->assessment_id;
	tu->code = l->code;
	tu->name = l->name;
	tu->level = l->level;
	tu->total = q_int(0);
	unit_type_parse(l->unit_type, &tu->type);
	assessment as = { .id = l->assessment_id, .framework_id = l->framework_id, .framework_revision = l->framework_revision };
	const summary_fw *m = summary_fw_find(&d->cache, memo, nmemo, &as);
	target_summary sum;
	d->memo_of[idx] = m;
	d->unit_ids[idx] = l->unit_id;
	if (m->fw && target_summary_decode(w->a, m->fw, l->summary, &sum) && sum.scored) {
		tu->total = sum.total;
		d->scored[idx] = true;
	}
	return idx;
}

/* One cell's units fed to the sections' accumulators. */
static void feed_cell(web *w, dash *d, const agg_sum *c, size_t *counted, size_t *meeting)
{
	d->level_counts[c->type][c->level] += (size_t)c->units;
	for (size_t k = 0; k < d->ntargets; k++) {
		const target_def *t = &d->targets[k];
		if (!t->any_type && t->type != c->type) continue;
		if (t->kind == TARGET_LEVEL_SHARE) {
			counted[k] += (size_t)c->units;
			if (c->level >= t->level) meeting[k] += (size_t)c->units;
			continue;
		}
		for (size_t i = 0; t->item_code && i < c->nratios; i++)
			if (!strcmp(c->ratios[i].code, t->item_code)) {
				d->res[k].counted += (size_t)c->ratios[i].counted;
				d->res[k].num = q_add(d->res[k].num, c->ratios[i].num);
				d->res[k].den = q_add(d->res[k].den, c->ratios[i].den);
			}
	}
	const framework *fw = fw_catalog_find(&w->app->frameworks, c->fw_key);
	if (!fw || !fw->complete) return;
	fw_stat *fs = fw_stat_of(w, d, fw);
	if (!c->scored) return;
	target_weakest_add_sums(fs->weak, c->points, c->npoints, (size_t)c->scored);
	for (size_t g = 0; g < fw->ngroups && g < c->ngroups; g++)
		for (int l = 0; l < 4; l++) fs->groups->counts[g][c->type][l] += (size_t)c->groups[g][l];
	d->total_sum = q_add(d->total_sum, c->total);
	d->nscored += (size_t)c->scored;
}

/* The level-share targets' blocking units: the SHOW_BLOCKING lowest totals. */
static void agg_blocking(web *w, dash *d, summary_fw *memo, size_t *nmemo)
{
	for (size_t k = 0; k < d->ntargets; k++) {
		target_result *r = &d->res[k];
		const target_def *t = r->def;
		if (t->kind != TARGET_LEVEL_SHARE) { target_indicator_finish(r); continue; }
		r->nblocking = r->counted - r->meeting;
		r->blocking = arena_alloc(w->a, (SHOW_BLOCKING + 1) * sizeof *r->blocking);
		agg_listed *l = NULL;
		size_t nl = 0;
		if (r->nblocking && agg_lowest(w->d, d->round.id, t->any_type ? NULL : unit_type_code(t->type), t->level, SHOW_BLOCKING,
		                               w->a, &l, &nl) != DB_OK) nl = 0;
		for (size_t i = 0; i < nl; i++) r->blocking[i] = &d->units[listed_unit(w, d, memo, nmemo, &l[i])];
		/* fewer than the counts say (aggregates damaged by hand): list those */
		if (nl < SHOW_BLOCKING && nl < r->nblocking) r->nblocking = nl;
	}
}

/* The page's numbers from the round's cells (a few rows) and its lists
 * from the units' ordered index: O(rows shown), whatever the round's size.
 * The same page as dash_read's (test/unit/test_round_agg.c, web_dash.sh). */
static bool dash_read_agg(web *w, int64_t round_id, dash *d)
{
	memset(d, 0, sizeof *d);
	summary_cache_init(&d->cache, w->d, &w->app->frameworks, w->a);
	d->today = today_iso(w);
	d->round = w->round->r;
	d->office = w->round->office;
	d->total_sum = q_int(0);
	d->from_agg = true;
	dash_targets(w, round_id, d);
	agg_cell_row *rows = NULL;
	size_t nrows = 0;
	if (agg_cells(w->d, round_id, w->a, &rows, &nrows) != DB_OK) { web_error(w, 500, db_errmsg(w->d)); return false; }
	size_t *counted = arena_alloc(w->a, (d->ntargets + 1) * sizeof *counted);
	size_t *meeting = arena_alloc(w->a, (d->ntargets + 1) * sizeof *meeting);
	memset(counted, 0, (d->ntargets + 1) * sizeof *counted);
	memset(meeting, 0, (d->ntargets + 1) * sizeof *meeting);
	d->fws = arena_alloc(w->a, (nrows + 1) * sizeof *d->fws);
	for (size_t i = 0; i < nrows; i++) {
		agg_sum c;
		if (!agg_sum_decode(w->a, &rows[i], &c) || !c.type_ok) continue;
		d->nunits += (size_t)c.units;
		feed_cell(w, d, &c, counted, meeting);
	}
	for (size_t k = 0; k < d->ntargets; k++)
		if (d->targets[k].kind == TARGET_LEVEL_SHARE) target_level_share_counts(&d->res[k], counted[k], meeting[k]);
	size_t cap = d->ntargets * SHOW_BLOCKING + SHOW_BEST + 1;
	d->units = arena_alloc(w->a, cap * sizeof *d->units);
	d->unit_ids = arena_alloc(w->a, cap * sizeof *d->unit_ids);
	d->scored = arena_alloc(w->a, cap * sizeof *d->scored);
	memset(d->scored, 0, cap * sizeof *d->scored);
	d->memo_of = arena_alloc(w->a, cap * sizeof *d->memo_of);
	summary_fw *memo = arena_alloc(w->a, cap * sizeof *memo);
	size_t nmemo = 0;
	agg_blocking(w, d, memo, &nmemo);
	agg_listed *best = NULL;
	size_t nb = 0;
	if (agg_best(w->d, round_id, SHOW_BEST, w->a, &best, &nb) != DB_OK) nb = 0;
	d->best = arena_alloc(w->a, (nb + 1) * sizeof *d->best);
	for (size_t i = 0; i < nb; i++) d->best[d->nbest++] = &d->units[listed_unit(w, d, memo, &nmemo, &best[i])];
	for (size_t f = 0; f < d->nfws; f++) d->fws[f].weakest = target_weakest_end(d->fws[f].weak, &d->fws[f].nweakest);
	dash_whatif(w, d);
	return true;
}

/* "2026-11-23T15:50:21Z" (UTC) → the day in Vietnam (UTC+7), "2026-11-23". */
static const char *local_day(web *w, const char *ts)
{
	struct tm tm;
	if (vn_local_time(ts, &tm) < 3) return NULL;
	return arena_printf(w->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const wf_state stage_states[] = { WF_SUBMITTED, WF_EVALUATED, WF_RECOGNISED, WF_PUBLISHED };
static const char *const stage_names[] = { "Đã nộp hồ sơ", "Đã đánh giá ngoài", "Đã công nhận", "Đã công bố" };
enum { NSTAGES = 4 };

/* The round's progress: from the day it opened to today (an open round)
 * or to its last transition (a closed one). */
static void dash_progress(web *w, dash *d)
{
	char *opened = NULL;
	dash_stage_count *c = NULL;
	size_t nc = 0;
	if (dash_round_opened(w->d, d->round.id, w->a, &opened) != DB_OK) return;
	if ((d->from_agg ? agg_stage_counts(w->d, d->round.id, w->a, &c, &nc)
	                                     : dash_stage_counts(w->d, d->round.id, w->a, &c, &nc)) != DB_OK) return;
	progress_event *ev = arena_alloc(w->a, (nc + 1) * sizeof *ev);
	size_t nev = 0;
	const char *from = local_day(w, opened), *last = from;
	for (size_t i = 0; i < nc; i++) {
		int st = -1;
		wf_state s = wf_state_parse(c[i].state);
		for (int k = 0; k < NSTAGES; k++) if (s == stage_states[k]) st = k;
		const char *day = local_day(w, c[i].hour);
		if (st < 0 || !day) continue;
		ev[nev++] = (progress_event){ day, st, (size_t)c[i].count };
		if (!last || strcmp(day, last) > 0) last = day;
	}
	const char *to = d->round.state && !strcmp(d->round.state, "closed") ? last : d->today;
	if (!from || !to) return;
	if (strcmp(to, from) < 0) to = from;
	d->progress = target_progress(w->a, from, to, ev, nev, NSTAGES, &d->nprogress, &d->weekly);
}

static int cmp_yoy_unit_id(const void *a, const void *b)
{
	const yoy_unit *x = a, *y = b;
	return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

struct yoy_ctx {
	yoy_unit **entry;                 /* per assessment of the earlier round: its unit's entry, or NULL */
	q *max;                           /* per assessment: its framework's maximum total */
};

static void feed_yoy(void *ctx, size_t i, const target_summary *sum)
{
	struct yoy_ctx *c = ctx;
	if (!sum->scored || !c->entry[i]) return;
	c->entry[i]->scored = true;
	c->entry[i]->total = sum->total;
	c->entry[i]->max = c->max[i];
}

/* The earlier years' totals of the units: each earlier round's
 * assessments of these units summarised like this round's (stored
 * summaries, else scored once and stored). */
static void yoy_totals(web *w, dash *d)
{
	size_t nr = 0, cap = 0;
	for (size_t y = 0; y < d->nyears; y++) cap += d->nyoy[y];
	int64_t *rounds = arena_alloc(w->a, (cap + 1) * sizeof *rounds);
	for (size_t y = 0; y < d->nyears; y++)
		for (size_t i = 0; i < d->nyoy[y]; i++) rounds[nr++] = d->yoy[y][i].round_id;
	sort_list(rounds, nr, sizeof *rounds, cmp_id);
	for (size_t r = 0; r < nr; r++) {
		if (r && rounds[r] == rounds[r - 1]) continue;
		round_row rr;
		round_unit *ru = NULL;
		size_t n = 0;
		if (round_get(w->d, rounds[r], w->a, &rr) != DB_OK || bulk_round_units(w->d, rounds[r], w->a, &ru, &n) != DB_OK) continue;
		/* that round's year: its entries are by unit id */
		size_t y = 0;
		while (y < d->nyears && strcmp(d->years[y], rr.school_year) != 0) y++;
		if (y == d->nyears) continue;
		const summary_fw **memo = arena_alloc(w->a, (n + 1) * sizeof *memo);
		summary_fw *memos = arena_alloc(w->a, (n + 1) * sizeof *memos);
		size_t nmemo = 0;
		struct yoy_ctx c = { arena_alloc(w->a, (n + 1) * sizeof *c.entry), arena_alloc(w->a, (n + 1) * sizeof *c.max) };
		for (size_t i = 0; i < n; i++) {
			yoy_unit key = { .unit_id = ru[i].as.unit_id };
			yoy_unit *e = bsearch(&key, d->yoy[y], d->nyoy[y], sizeof key, cmp_yoy_unit_id);
			if (!e || e->round_id != rounds[r]) continue;
			c.entry[i] = e;
			memo[i] = summary_fw_find(&d->cache, memos, &nmemo, &ru[i].as);
			c.max[i] = fw_total_max(memo[i]->fw);
		}
		summary_cache_round(&d->cache, rounds[r], policy_of(&rr), ru, n, memo, feed_yoy, &c);
	}
}

/* The same units in earlier school years (q_dash.h: matched by unit id,
 * whichever office evaluated them then), one result per unit and year. */
static void dash_yoy(web *w, dash *d)
{
	dash_history_row *h = NULL;
	size_t nh = 0;
	if (dash_history(w->d, d->round.id, d->round.school_year, w->a, &h, &nh) != DB_OK) nh = 0;
	d->years = arena_alloc(w->a, (nh + 2) * sizeof *d->years);
	d->yoy = arena_alloc(w->a, (nh + 2) * sizeof *d->yoy);
	d->nyoy = arena_alloc(w->a, (nh + 2) * sizeof *d->nyoy);
	const char **offices = arena_alloc(w->a, (nh + 1) * sizeof *offices);
	size_t noff = 0;
	for (size_t i = 0; i < nh; i++) {
		unit_type t;
		if (!unit_type_parse(h[i].type, &t)) continue;
		if (!d->nyears || strcmp(d->years[d->nyears - 1], h[i].school_year) != 0) {
			d->years[d->nyears] = h[i].school_year;
			d->yoy[d->nyears] = arena_alloc(w->a, (nh + 1) * sizeof **d->yoy);
			d->nyears++;
		}
		size_t y = d->nyears - 1;
		/* a later round of the same year replaces the unit's earlier one */
		bool again = d->nyoy[y] && d->yoy[y][d->nyoy[y] - 1].unit_id == h[i].unit_id;
		yoy_unit *u = again ? &d->yoy[y][d->nyoy[y] - 1] : &d->yoy[y][d->nyoy[y]++];
		*u = (yoy_unit){ h[i].unit_id, h[i].code, h[i].name, t, h[i].level, h[i].school_year, h[i].round_id, false, q_int(0), q_int(0) };
		offices[noff++] = h[i].office;
	}
	sort_list(offices, noff, sizeof *offices, cmp_text);
	for (size_t i = 0; i < noff; i++) d->noffices_before += !i || strcmp(offices[i], offices[i - 1]) != 0;
	/* this year */
	size_t y = d->nyears;
	d->years[y] = d->round.school_year;
	d->yoy[y] = arena_alloc(w->a, (d->nunits + 1) * sizeof **d->yoy);
	for (size_t i = 0; i < d->nunits; i++)
		d->yoy[y][i] = (yoy_unit){ d->unit_ids[i], d->units[i].code, d->units[i].name, d->units[i].type, d->units[i].level,
		                           d->round.school_year, d->round.id, d->scored[i], d->units[i].total, d->maxes[i] };
	d->nyoy[y] = d->nunits;
	yoy_totals(w, d);
	if (d->nyears)
		d->moves = target_yoy_moves(w->a, d->yoy[y], d->nyoy[y], d->yoy[y - 1], d->nyoy[y - 1], &d->nmoves, &d->nup);
}

/* In one read snapshot: the units, the hundred slices of answers, the
 * targets, the transitions and the earlier years (NEED_OVER_TIME: the
 * page and the workbook, not the CSV) are one state of the round even while
 * schools keep saving (PostgreSQL: REPEATABLE READ), and SQLite locks
 * once. */
enum { NEED_WHATIF = 1, NEED_OVER_TIME = 2, NEED_PAGE = 4 };

/* The page reads the round's stored aggregates when they are this build's
 * and no earlier school year is there to compare with (that comparison
 * still reads every unit: dash_yoy); the CSV and the workbooks list every
 * unit and read them all. */
static bool dash_agg_usable(web *w, const dash *d, unsigned need)
{
	bool earlier = true;
	return need == (NEED_WHATIF | NEED_OVER_TIME | NEED_PAGE) && !getenv("CHISO_DASH_FULL") &&
	       agg_earlier_years(w->d, w->round->r.school_year, &earlier) == DB_OK && !earlier &&
	       round_agg_current(w->d, d->round.id);
}

static bool dash_load(web *w, int64_t round_id, dash *d, unsigned need)
{
	bool snapshot = db_begin_read(w->d) == DB_OK;
	d->round = w->round->r;
	if (dash_agg_usable(w, d, need)) {
		bool ok = dash_read_agg(w, round_id, d);
		if (ok) dash_progress(w, d);
		if (snapshot) db_commit(w->d);
		return ok;
	}
	bool ok = dash_read(w, round_id, d, need & NEED_WHATIF);
	if (ok && (need & NEED_OVER_TIME)) {
		dash_progress(w, d);
		dash_yoy(w, d);
	}
	if (snapshot) db_commit(w->d);
	/* the summaries computed: the next view reads them instead (a cache;
	 * failing to store them, e.g. on a read-only replica, only costs time) */
	if (ok) summary_cache_store(&d->cache);
	return ok;
}

static void dash_free(dash *d)
{
	for (size_t i = 0; i < d->nkept; i++) score_free(d->kept[i]);
}

static const char *target_label(web *w, const target_def *t)
{
	if (t->label && *t->label) return t->label;
	if (t->kind == TARGET_INDICATOR) return arena_printf(w->a, "Chỉ tiêu %s đạt %d%%", t->item_code ? t->item_code : "?", t->share_percent);
	return arena_printf(w->a, "%d%% %s đạt Mức %d trở lên", t->share_percent, t->any_type ? "đơn vị" : unit_type_name(t->type), t->level);
}

static const char *const level_series[] = { "Mức 1", "Mức 2", "Mức 3", "Chưa có mức" };

/* counts[level 0..3] → a chart row: Mức 1, 2, 3, then none. */
static void level_row(chart_row *r, const char *label, const size_t counts[4])
{
	r->label = label;
	for (int l = 0; l < 3; l++) r->values[l] = q_int((int64_t)counts[l + 1]);
	r->values[3] = q_int((int64_t)counts[0]);
}

static void level_table_rows(web *w, const chart_row *rows, size_t nr)
{
	for (size_t r = 0; r < nr; r++)
		html_f(w->out, "<tr><td>%h</td><td class=\"num\" data-label=\"Mức 1\">%q</td><td class=\"num\" data-label=\"Mức 2\">%q</td>"
		               "<td class=\"num\" data-label=\"Mức 3\">%q</td><td class=\"num\" data-label=\"Chưa có mức\">%q</td>"
		               "<td class=\"num\" data-label=\"Tổng\">%q</td></tr>",
		       rows[r].label, rows[r].values[0], rows[r].values[1], rows[r].values[2], rows[r].values[3],
		       q_add(q_add(rows[r].values[0], rows[r].values[1]), q_add(rows[r].values[2], rows[r].values[3])));
}

static void xlsx_link(web *w, const dash *d, const char *name)
{
	html_f(w->out, "<p class=\"export\"><a href=\"/tong-hop/%D/%u.xlsx\">Tải XLSX</a></p>", d->round.id, name);
}

static void levels_section(web *w, dash *d)
{
	size_t (*counts)[4] = d->level_counts;
	chart_row rows[UT_COUNT];
	size_t nr = 0;
	for (int t = 0; t < UT_COUNT; t++)
		if (counts[t][0] + counts[t][1] + counts[t][2] + counts[t][3]) level_row(&rows[nr++], unit_type_name((unit_type)t), counts[t]);
	html_f(w->out, "<section class=\"card\"><h2>Phân bố mức độ theo loại hình</h2>");
	chart_stacked(w->out, "Số đơn vị theo mức độ chuyển đổi số, theo loại hình", level_series, chart_level_colors, 4, rows, nr);
	html_f(w->out, "<table class=\"labelled levels\"><thead><tr><th>Loại hình</th><th class=\"num\">Mức 1</th><th class=\"num\">Mức 2</th>"
	               "<th class=\"num\">Mức 3</th><th class=\"num\">Chưa có mức</th><th class=\"num\">Tổng</th></tr></thead><tbody>");
	level_table_rows(w, rows, nr);
	html_f(w->out, "</tbody></table>");
	xlsx_link(w, d, "phan-bo-muc");
	html_f(w->out, "</section>");
}

/* Rows (group, unit type) of a framework's group levels. */
static size_t group_rows(web *w, const fw_stat *f, chart_row *rows, const fw_node **groups, unit_type *types)
{
	size_t nr = 0;
	for (size_t g = 0; g < f->fw->ngroups; g++)
		for (int t = 0; t < UT_COUNT; t++) {
			const size_t *c = f->groups->counts[g][t];
			if (!(c[0] + c[1] + c[2] + c[3])) continue;
			groups[nr] = &f->fw->groups[g];
			types[nr] = (unit_type)t;
			/* the unit type first: the chart wraps a long label and cuts it
			 * in the middle, so the part rows differ in comes before the title */
			level_row(&rows[nr++], arena_printf(w->a, "%s — Nhóm %s (%s)", unit_type_name((unit_type)t), f->fw->groups[g].code,
			                                     f->fw->groups[g].title), c);
		}
	return nr;
}

/* Each group of a framework scored by groups has its own level (group 1
 * "dạy, học", group 2 "quản trị"): their distribution per unit type. */
static void group_levels_section(web *w, dash *d)
{
	for (size_t f = 0; f < d->nfws; f++) {
		const fw_stat *fs = &d->fws[f];
		if (fs->fw->basis != BASIS_GROUPS) continue;
		size_t cap = fs->fw->ngroups * UT_COUNT + 1;
		chart_row *rows = arena_alloc(w->a, cap * sizeof *rows);
		const fw_node **groups = arena_alloc(w->a, cap * sizeof *groups);
		unit_type *types = arena_alloc(w->a, cap * sizeof *types);
		size_t nr = group_rows(w, fs, rows, groups, types);
		html_f(w->out, "<section class=\"card\"><h2>Phân bố mức theo nhóm tiêu chí — %h</h2>", fs->fw->title);
		if (!nr) { html_f(w->out, "<p>Chưa có đơn vị nào được tính điểm theo bộ tiêu chí này.</p></section>"); continue; }
		chart_stacked(w->out, "Số đơn vị theo mức của từng nhóm tiêu chí, theo loại hình", level_series, chart_level_colors, 4, rows, nr);
		html_f(w->out, "<table class=\"labelled levels\"><thead><tr><th>Loại hình — nhóm tiêu chí</th><th class=\"num\">Mức 1</th><th class=\"num\">Mức 2</th>"
		               "<th class=\"num\">Mức 3</th><th class=\"num\">Chưa có mức</th><th class=\"num\">Tổng</th></tr></thead><tbody>");
		level_table_rows(w, rows, nr);
		html_f(w->out, "</tbody></table>");
		xlsx_link(w, d, "phan-bo-muc");
		html_f(w->out, "</section>");
	}
}

/* For a blocking unit, the what-if steps toward `level` as one line; NULL
 * when the unit has no score (or was not scored again: not listed). */
static const char *cheapest_text(web *w, const target_unit *u, int level)
{
	if (!u->score) return NULL;
	size_t np = 0;
	whatif_plan *p = score_whatif((score_result *)u->score, &np);
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < np; i++) {
		if (p[i].from->level >= level) continue;
		for (size_t k = 0; k < p[i].nsteps; k++) {
			const fw_node *leaf = p[i].steps[k].leaf;
			buf_printf(&b, "%s%s %s: %s", b.len ? "; " : "", leaf->code, leaf->title ? leaf->title : "", p[i].steps[k].action);
			if (p[i].steps[k].gain.n) {
				buf_puts(&b, " (+");
				q_format(&b, p[i].steps[k].gain, 2, true);
				buf_putc(&b, ')');
			}
		}
	}
	char *t = arena_strdup(w->a, b.len ? buf_str(&b) : "Chỉ cần được đánh giá ngoài và công nhận.");
	buf_free(&b);
	return t;
}

static void targets_section(web *w, dash *d)
{
	html_f(w->out, "<section class=\"card\"><h2>Chỉ tiêu</h2>");
	if (!d->ntargets) { html_f(w->out, "<p>Đợt đánh giá này chưa đặt chỉ tiêu.</p></section>"); return; }
	target_result *res = d->res;
	chart_row *rows = arena_alloc(w->a, d->ntargets * sizeof *rows);
	for (size_t i = 0; i < d->ntargets; i++) {
		rows[i].label = target_label(w, &d->targets[i]);
		rows[i].values[0] = res[i].share;
	}
	chart_percent_bars(w->out, "Mức đạt các chỉ tiêu (%)", rows, d->ntargets, -1);
	html_f(w->out, "<table class=\"labelled targets-result\"><thead><tr><th>Chỉ tiêu</th><th class=\"num\">Đạt được</th><th class=\"num\">Chỉ tiêu</th><th>Kết quả</th></tr></thead><tbody>");
	for (size_t i = 0; i < d->ntargets; i++) {
		const target_result *r = &res[i];
		html_f(w->out, "<tr><td>%h</td><td class=\"num\" data-label=\"Đạt được\">%q%%", rows[i].label, r->share);
		if (r->def->kind == TARGET_LEVEL_SHARE) html_f(w->out, " (%z/%z)", r->meeting, r->counted);
		else html_f(w->out, " (%q/%q)", r->num, r->den);
		html_f(w->out, "</td><td class=\"num\" data-label=\"Chỉ tiêu\">%d%%</td><td class=\"%h\" data-label=\"Kết quả\">%h", r->def->share_percent,
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
		size_t show = r->nblocking < SHOW_BLOCKING ? r->nblocking : SHOW_BLOCKING;
		for (size_t k = 0; k < show; k++) {
			const target_unit *u = r->blocking[k];
			const char *items = cheapest_text(w, u, r->def->level);
			html_f(w->out, "<tr><td>%h</td><td><a href=\"/danh-gia/%D\">%h</a></td><td class=\"num\">%h</td><td>", u->code, u->id, u->name,
			       u->level ? arena_printf(w->a, "%d", u->level) : "—");
			if (items) html_f(w->out, "%h", items);
			else html_f(w->out, "<span class=\"explain\">Chưa có kết quả tự đánh giá.</span>");
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table>");
		if (r->nblocking > show)
			html_f(w->out, "<p class=\"explain\">… và %z đơn vị khác (danh sách đầy đủ trong tệp XLSX).</p>", r->nblocking - show);
	}
	xlsx_link(w, d, "chi-tieu");
	html_f(w->out, "</section>");
}

static void weakest_section(web *w, dash *d)
{
	for (size_t f = 0; f < d->nfws; f++) {
		const criterion_stat *st = d->fws[f].weakest;
		size_t show = d->fws[f].nweakest < SHOW_WEAKEST ? d->fws[f].nweakest : SHOW_WEAKEST;
		chart_row *rows = arena_alloc(w->a, (show + 1) * sizeof *rows);
		for (size_t i = 0; i < show; i++) {
			rows[i].label = arena_printf(w->a, "%s %s", st[i].node->code, st[i].node->title);
			rows[i].values[0] = q_mul(st[i].mean_share, q_int(100));
		}
		html_f(w->out, "<section class=\"card\"><h2>Tiêu chí yếu nhất — %h</h2>", d->fws[f].fw->title);
		chart_percent_bars(w->out, "Điểm trung bình so với điểm tối đa (%)", rows, show, -1);
		html_f(w->out, "<table><thead><tr><th>Mã</th><th>Tiêu chí</th><th class=\"num\">Điểm TB / tối đa</th><th class=\"num\">Số đơn vị</th></tr></thead><tbody>");
		for (size_t i = 0; i < show; i++)
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td class=\"num\">%q%%</td><td class=\"num\">%z</td></tr>",
			       st[i].node->code, st[i].node->title, rows[i].values[0], st[i].units);
		html_f(w->out, "</tbody></table>");
		xlsx_link(w, d, "tieu-chi-yeu");
		html_f(w->out, "</section>");
	}
}

static void best_section(web *w, dash *d)
{
	const target_unit **best = d->best;
	size_t show = d->nbest;
	html_f(w->out, "<section class=\"card\"><h2>Đơn vị điển hình</h2><table><thead><tr><th>#</th><th>Mã</th><th>Đơn vị</th>"
	               "<th>Loại hình</th><th class=\"num\">Tổng điểm</th><th class=\"num\">Mức</th></tr></thead><tbody>");
	for (size_t i = 0; i < show; i++) {
		const target_unit *u = best[i];
		html_f(w->out, "<tr><td class=\"num\">%z</td><td>%h</td><td><a href=\"/danh-gia/%D\">%h</a></td><td>%h</td><td class=\"num\">%q</td><td class=\"num\">%h</td></tr>",
		       i + 1, u->code, u->id, u->name, unit_type_name(u->type), target_total(u),
		       u->level ? arena_printf(w->a, "%d", u->level) : "—");
	}
	html_f(w->out, "</tbody></table>");
	xlsx_link(w, d, "don-vi-dien-hinh");
	html_f(w->out, "</section>");
}

/* "2026-11-23" → "23/11" (chart axis) or "23/11/2026". */
static const char *short_day(web *w, const char *iso, bool year)
{
	if (!iso || strlen(iso) < 10) return "";
	return year ? arena_printf(w->a, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso) : arena_printf(w->a, "%.2s/%.2s", iso + 8, iso + 5);
}

static void progress_section(web *w, dash *d)
{
	html_f(w->out, "<section class=\"card\" id=\"tien-do\"><h2>Tiến độ của đợt đánh giá</h2>");
	if (!d->nprogress) { html_f(w->out, "<p>Chưa có số liệu tiến độ.</p></section>"); return; }
	chart_row *pts = arena_alloc(w->a, d->nprogress * sizeof *pts);
	q ymax = q_int(1);
	for (size_t i = 0; i < d->nprogress; i++) {
		pts[i].label = short_day(w, d->progress[i].day, false);
		for (int s = 0; s < NSTAGES; s++) {
			pts[i].values[s] = q_int((int64_t)d->progress[i].cum[s]);
			ymax = q_max(ymax, pts[i].values[s]);
		}
	}
	if (d->nprogress < 3) {
		/* one or two days: a line would be a column of dots; the last day's
		 * counts as bars of the round's units instead */
		const progress_point *lp = &d->progress[d->nprogress - 1];
		html_f(w->out, "<p>Đợt đánh giá mới có số liệu của %h; đến ngày %h (tổng số đơn vị của đợt: %z):</p>",
		       d->nprogress == 1 ? "một ngày" : "hai ngày", short_day(w, lp->day, true), d->nunits);
		chart_row bars[NSTAGES];
		for (int s = 0; s < NSTAGES; s++) {
			bars[s].label = arena_printf(w->a, "%s: %zu/%zu đơn vị", stage_names[s], lp->cum[s], d->nunits);
			bars[s].values[0] = d->nunits ? q_div(q_int((int64_t)lp->cum[s] * 100), q_int((int64_t)d->nunits)) : q_int(0);
		}
		chart_percent_bars(w->out, arena_printf(w->a, "Tỉ lệ đơn vị đã qua từng bước đến ngày %s", short_day(w, lp->day, true)),
		                   bars, NSTAGES, -1);
	} else {
		html_f(w->out, "<p>Số đơn vị đã qua từng bước (cộng dồn, theo %h) từ ngày mở đợt đến %h; tổng số đơn vị của đợt: %z.</p>",
		       d->weekly ? "tuần" : "ngày", d->round.state && !strcmp(d->round.state, "closed") ? "lần chuyển bước cuối cùng" : "hôm nay",
		       d->nunits);
		chart_lines(w->out, "Số đơn vị đã nộp, được đánh giá ngoài, được công nhận, được công bố theo thời gian", stage_names,
		            chart_stage_colors, NSTAGES, pts, d->nprogress, q_max(ymax, q_int((int64_t)d->nunits)));
	}
	html_f(w->out, "<table class=\"stage-days\"><thead><tr><th>Ngày</th>");
	for (int s = 0; s < NSTAGES; s++) html_f(w->out, "<th class=\"num\">%h</th>", stage_names[s]);
	html_f(w->out, "</tr></thead><tbody>");
	for (size_t i = 0; i < d->nprogress; i++) {
		html_f(w->out, "<tr><td>%h</td>", short_day(w, d->progress[i].day, true));
		for (int s = 0; s < NSTAGES; s++) html_f(w->out, "<td class=\"num\">%z</td>", d->progress[i].cum[s]);
		html_f(w->out, "</tr>");
	}
	html_f(w->out, "</tbody></table>");
	xlsx_link(w, d, "tien-do");
	html_f(w->out, "</section>");
}

/* counts[type][level] of one year's units; type UT_COUNT = all types. */
static void yoy_counts(const yoy_unit *u, size_t n, size_t counts[UT_COUNT + 1][4])
{
	memset(counts, 0, sizeof(size_t) * (UT_COUNT + 1) * 4);
	for (size_t i = 0; i < n; i++) {
		int l = u[i].level >= 0 && u[i].level <= 3 ? u[i].level : 0;
		counts[u[i].type][l]++;
		counts[UT_COUNT][l]++;
	}
}

/* The average of one year's units of type t (UT_COUNT: all) that have a
 * score, each unit's total as a percentage of its framework's maximum:
 * one scale whatever the framework (a 100-point and a 200-point total are
 * never averaged together); false when none has. */
static bool yoy_average(const yoy_unit *u, size_t n, int t, q *avg)
{
	q sum = q_int(0);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (u[i].scored && u[i].max.n > 0 && (t == UT_COUNT || (int)u[i].type == t)) {
			sum = q_add(sum, q_div(q_mul(u[i].total, q_int(100)), u[i].max));
			k++;
		}
	if (k) *avg = q_div(sum, q_int(k));
	return k > 0;
}

static const char *level_text(web *w, int level)
{
	return level ? arena_printf(w->a, "Mức %d", level) : "Chưa có mức";
}

static void yoy_section(web *w, dash *d)
{
	html_f(w->out, "<section class=\"card\" id=\"so-sanh\"><h2>So sánh với các năm học trước</h2>");
	if (!d->nyears) {
		html_f(w->out, "<p>Các đơn vị của đợt này chưa có kết quả đánh giá của năm học nào trước năm học %h.</p></section>",
		       d->round.school_year);
		return;
	}
	html_f(w->out, "<p>Mỗi đơn vị được so với kết quả của chính nó (khớp theo mã định danh đơn vị) trong đợt đánh giá "
	               "của năm học trước, dù đợt đó do cơ quan nào tổ chức: các trường nay do UBND xã, phường quản lý vẫn được "
	               "so với kết quả do Phòng GD&ĐT (giải thể từ ngày 01/7/2025) công nhận. Mức được tính là mức đã công nhận, "
	               "nếu chưa có thì mức đánh giá ngoài, rồi mức tự đánh giá. Kết quả các năm trước lấy từ %z đơn vị tổ chức đánh giá.</p>",
	       d->noffices_before);
	size_t nrows = (d->nyears + 1) * (UT_COUNT + 1);
	chart_row *rows = arena_alloc(w->a, (nrows + 1) * sizeof *rows);
	size_t *units = arena_alloc(w->a, (nrows + 1) * sizeof *units);
	q *avg = arena_alloc(w->a, (nrows + 1) * sizeof *avg);
	bool *has_avg = arena_alloc(w->a, (nrows + 1) * sizeof *has_avg);
	size_t nr = 0;
	for (int k = 0; k <= UT_COUNT; k++)         /* all types first, then each */
		for (size_t y = 0; y <= d->nyears; y++) {
			int t = k ? k - 1 : UT_COUNT;
			size_t c[UT_COUNT + 1][4];
			yoy_counts(d->yoy[y], d->nyoy[y], c);
			size_t tot = c[t][0] + c[t][1] + c[t][2] + c[t][3];
			if (!tot) continue;
			units[nr] = tot;
			has_avg[nr] = yoy_average(d->yoy[y], d->nyoy[y], t, &avg[nr]);
			level_row(&rows[nr++], arena_printf(w->a, "%s — %s", t == UT_COUNT ? "Tất cả" : unit_type_name((unit_type)t), d->years[y]), c[t]);
		}
	chart_stacked(w->out, "Tỉ lệ đơn vị theo mức, năm học này và các năm trước", level_series, chart_level_colors, 4, rows, nr);
	html_f(w->out, "<table><thead><tr><th>Loại hình — năm học</th><th class=\"num\">Số đơn vị</th><th class=\"num\">Mức 1</th>"
	               "<th class=\"num\">Mức 2</th><th class=\"num\">Mức 3</th><th class=\"num\">Chưa có mức</th>"
	               "<th class=\"num\">Điểm TB (%% tối đa)</th></tr></thead><tbody>");
	for (size_t r = 0; r < nr; r++) {
		html_f(w->out, "<tr><td>%h</td><td class=\"num\">%z</td>", rows[r].label, units[r]);
		for (int l = 0; l < 4; l++)
			html_f(w->out, "<td class=\"num\">%q%% (%q)</td>", q_div(q_mul(rows[r].values[l], q_int(100)), q_int((int64_t)units[r])),
			       rows[r].values[l]);
		if (has_avg[r]) html_f(w->out, "<td class=\"num\">%q%%</td></tr>", avg[r]);
		else html_f(w->out, "<td class=\"num\">—</td></tr>");
	}
	html_f(w->out, "</tbody></table><p class=\"explain\">Điểm trung bình: tổng điểm của mỗi đơn vị có điểm trong năm học đó, "
	               "tính theo phần trăm điểm tối đa của bộ tiêu chí đơn vị ấy áp dụng (để trường theo thang 100 điểm và trường "
	               "theo thang 200 điểm được so trên cùng một thang), rồi lấy trung bình; điểm tính từ câu trả lời của đợt "
	               "đánh giá năm ấy (đánh giá ngoài nếu có, nếu không thì tự đánh giá).</p>");
	const char *prev = d->years[d->nyears - 1];
	html_f(w->out, "<h3>Đơn vị thay đổi mức so với năm học %h</h3>", prev);
	if (!d->nmoves) html_f(w->out, "<p>Không có đơn vị nào thay đổi mức.</p>");
	else {
		html_f(w->out, "<p>%z đơn vị lên mức, %z đơn vị xuống mức.</p><table><thead><tr><th>Mã</th><th>Đơn vị</th><th>Loại hình</th>"
		               "<th class=\"num\">%h</th><th class=\"num\">%h</th><th>Thay đổi</th></tr></thead><tbody>",
		       d->nup, d->nmoves - d->nup, prev, d->round.school_year);
		size_t show = d->nmoves < SHOW_MOVES ? d->nmoves : SHOW_MOVES;
		for (size_t i = 0; i < show; i++) {
			const yoy_move *m = &d->moves[i];
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td class=\"num\">%h</td><td class=\"num\">%h</td><td class=\"%h\">%h</td></tr>",
			       m->now->code, m->now->name, unit_type_name(m->now->type), level_text(w, m->before->level), level_text(w, m->now->level),
			       m->now->level > m->before->level ? "level-3" : "level-1", m->now->level > m->before->level ? "Lên mức" : "Xuống mức");
		}
		html_f(w->out, "</tbody></table>");
		if (d->nmoves > show) html_f(w->out, "<p class=\"explain\">… và %z đơn vị khác (danh sách đầy đủ trong tệp XLSX).</p>", d->nmoves - show);
	}
	xlsx_link(w, d, "so-sanh-cac-nam");
	html_f(w->out, "</section>");
}

static void dash_page(web *w)
{
	dash d;
	if (!dash_load(w, w->ids[0], &d, NEED_WHATIF | NEED_OVER_TIME | NEED_PAGE)) return;
	page_begin(w, arena_printf(w->a, "Tổng hợp — %s", d.round.title));
	html_f(w->out, "<h1>Tổng hợp kết quả: %h</h1><p>%h — năm học %h — %z đơn vị. <a href=\"/tong-hop/%D/bang.csv\">Tải bảng số liệu (CSV)</a>"
	               " · <a href=\"/tong-hop/%D/tong-hop.xlsx\">Tải tất cả các bảng (XLSX)</a></p>",
	       d.round.title, d.office.name, d.round.school_year, d.nunits, d.round.id, d.round.id);
	levels_section(w, &d);
	group_levels_section(w, &d);
	targets_section(w, &d);
	weakest_section(w, &d);
	best_section(w, &d);
	progress_section(w, &d);
	yoy_section(w, &d);
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
	if (!dash_load(w, w->ids[0], &d, 0)) return;
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
		q_format(b, target_total(u), 2, false);
		buf_printf(b, ",%d\r\n", u->level);
	}
	w->r->content_type = "text/csv; charset=utf-8";
	http_set_header(w->r, "Content-Disposition", "attachment; filename=\"tong-hop.csv\"");
	dash_free(&d);
}

/* ---- XLSX (libxlsxwriter): each table of the page as a sheet ---------------------------
 * A title row (the table), the round with its school year and office, the
 * date generated ("ngày … tháng … năm …"), then a bold header row with
 * column widths, frozen and filtered; shares are numbers formatted as
 * percentages, points as 0.00; unit lists in Vietnamese alphabetical order
 * (vn_collate) where the page orders them by something else than a number
 * the sheet keeps. */

enum {
	SHEET_LEVELS = 1 << 0, SHEET_TARGETS = 1 << 1, SHEET_WEAKEST = 1 << 2,
	SHEET_BEST = 1 << 3, SHEET_YOY = 1 << 4, SHEET_PROGRESS = 1 << 5, SHEET_ALL = (1 << 6) - 1
};

typedef struct xl {
	web *w;
	dash *d;
	lxw_workbook *wb;
	unsigned mask;                    /* SHEET_* */
	lxw_format *title, *head, *text, *wrap, *num, *points, *percent, *date, *bold;
	const char *generated;            /* "ngày 23 tháng 11 năm 2026" */
	xlsx_fmt fmt;
} xl;

/* The documents' formats (doc_xlsx.c): the same look as every workbook
 * Chiso makes; numbers centred, points and averages as 0.00. */
static void xl_formats(xl *x)
{
	xlsx_fmt f;
	xlsx_fmt_init(x->wb, &f);
	x->title = f.title;
	x->head = f.head;
	x->text = f.text;
	x->wrap = f.wrap;
	x->num = f.center;
	x->points = f.decimal;
	x->percent = f.percent;
	x->date = f.date;
	x->bold = f.bold;
	x->fmt = f;
}

/* A sheet with its three title rows and a header row at row 4; returns
 * the sheet, the next row in *row. */
static lxw_worksheet *xl_sheet(xl *x, const char *name, const char *title, const char *const *h, const double *wd, size_t n,
                               lxw_row_t *row)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	worksheet_write_string(ws, 0, 0, title, x->title);
	/* the year once: a round's title usually says it already */
	const char *t = x->d->round.title, *y = x->d->round.school_year;
	bool has_year = y && strstr(t, y);
	worksheet_write_string(ws, 1, 0, arena_printf(x->w->a, "%s%s%s — %s", t, has_year ? "" : " — năm học ", has_year ? "" : y,
	                                              x->d->office.name), NULL);
	worksheet_write_string(ws, 2, 0, arena_printf(x->w->a, "Lập %s", x->generated), NULL);
	xlsx_fmt_headers(ws, &x->fmt, 4, h, wd, n);
	*row = 5;
	return ws;
}

/* A second table further down a sheet: a bold caption and its header. */
static void xl_block(xl *x, lxw_worksheet *ws, lxw_row_t *row, const char *caption, const char *const *h, size_t n)
{
	*row += 1;
	worksheet_write_string(ws, (*row)++, 0, caption, x->title);
	for (size_t i = 0; i < n; i++) worksheet_write_string(ws, *row, (lxw_col_t)i, h[i], x->head);
	worksheet_set_row(ws, *row, 32, NULL);
	(*row)++;
}

static void xl_levels_row(xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const size_t counts[4])
{
	size_t tot = counts[0] + counts[1] + counts[2] + counts[3];
	for (int l = 1; l <= 3; l++) worksheet_write_number(ws, r, c++, (double)counts[l], x->num);
	worksheet_write_number(ws, r, c++, (double)counts[0], x->num);
	worksheet_write_number(ws, r, c++, (double)tot, x->num);
	for (int l = 1; l <= 3; l++)
		if (tot) worksheet_write_number(ws, r, c++, (double)counts[l] / (double)tot, x->percent);
		else worksheet_write_blank(ws, r, c++, x->percent);
}

static void xl_levels(xl *x)
{
	dash *d = x->d;
	static const char *const h[] = { "Loại hình", "Mức 1", "Mức 2", "Mức 3", "Chưa có mức", "Tổng", "Tỉ lệ Mức 1", "Tỉ lệ Mức 2", "Tỉ lệ Mức 3" };
	static const double wd[] = { 44, 9, 9, 9, 12, 9, 12, 12, 12 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "Phân bố mức", "Phân bố mức độ chuyển đổi số theo loại hình", h, wd, ARRAY_LEN(h), &row);
	size_t counts[UT_COUNT][4], all[4] = { 0 };
	target_level_counts(d->units, d->nunits, counts);
	for (int t = 0; t < UT_COUNT; t++) {
		if (!(counts[t][0] + counts[t][1] + counts[t][2] + counts[t][3])) continue;
		worksheet_write_string(ws, row, 0, unit_type_name((unit_type)t), x->text);
		xl_levels_row(x, ws, row++, 1, counts[t]);
		for (int l = 0; l < 4; l++) all[l] += counts[t][l];
	}
	worksheet_write_string(ws, row, 0, "Tổng cộng", x->bold);
	xl_levels_row(x, ws, row++, 1, all);
	for (size_t f = 0; f < d->nfws; f++) {
		const fw_stat *fs = &d->fws[f];
		if (fs->fw->basis != BASIS_GROUPS) continue;
		static const char *const h2[] = { "Nhóm tiêu chí — loại hình", "Mức 1", "Mức 2", "Mức 3", "Chưa có mức", "Tổng", "Tỉ lệ Mức 1", "Tỉ lệ Mức 2", "Tỉ lệ Mức 3" };
		xl_block(x, ws, &row, arena_printf(x->w->a, "Mức theo nhóm tiêu chí — %s", fs->fw->title), h2, ARRAY_LEN(h2));
		for (size_t g = 0; g < fs->fw->ngroups; g++)
			for (int t = 0; t < UT_COUNT; t++) {
				const size_t *c = fs->groups->counts[g][t];
				if (!(c[0] + c[1] + c[2] + c[3])) continue;
				worksheet_write_string(ws, row, 0, arena_printf(x->w->a, "Nhóm %s (%s) — %s", fs->fw->groups[g].code,
				                                                fs->fw->groups[g].title, unit_type_name((unit_type)t)), x->wrap);
				xl_levels_row(x, ws, row++, 1, c);
			}
	}
}

static int cmp_unit_name(const void *a, const void *b)
{
	const target_unit *x = *(const target_unit *const *)a, *y = *(const target_unit *const *)b;
	int c = vn_collate(x->name ? x->name : "", y->name ? y->name : "");
	return c ? c : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

static void xl_targets(xl *x)
{
	dash *d = x->d;
	web *w = x->w;
	static const char *const h[] = { "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Số đơn vị đạt", "Số đơn vị tính", "Đánh giá", "Cần thêm (đơn vị)" };
	static const double wd[] = { 50, 11, 11, 13, 13, 14, 14 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "Chỉ tiêu", "Thực hiện chỉ tiêu", h, wd, ARRAY_LEN(h), &row);
	if (!d->ntargets) worksheet_write_string(ws, row++, 0, "Đợt đánh giá này chưa đặt chỉ tiêu.", NULL);
	for (size_t i = 0; i < d->ntargets; i++, row++) {
		const target_result *r = &d->res[i];
		worksheet_write_string(ws, row, 0, target_label(w, &d->targets[i]), x->wrap);
		worksheet_write_number(ws, row, 1, r->def->share_percent / 100.0, x->percent);
		worksheet_write_number(ws, row, 2, q_to_double(r->share) / 100.0, x->percent);
		if (r->def->kind == TARGET_LEVEL_SHARE) {
			worksheet_write_number(ws, row, 3, (double)r->meeting, x->num);
			worksheet_write_number(ws, row, 4, (double)r->counted, x->num);
			worksheet_write_number(ws, row, 6, (double)r->more_needed, x->num);
		} else {
			worksheet_write_blank(ws, row, 3, x->num);
			worksheet_write_number(ws, row, 4, (double)r->counted, x->num);
			worksheet_write_blank(ws, row, 6, x->num);
		}
		worksheet_write_string(ws, row, 5, r->attained ? "Đạt" : "Chưa đạt", x->num);
	}
	static const char *const h2[] = { "Chỉ tiêu", "Mã đơn vị", "Đơn vị", "Loại hình", "Mức", "Tổng điểm", "Các chỉ tiêu ít tốn công nhất để lên mức" };
	bool block = false;
	for (size_t i = 0; i < d->ntargets; i++) {
		const target_result *r = &d->res[i];
		if (r->attained || r->def->kind != TARGET_LEVEL_SHARE || !r->nblocking) continue;
		if (!block) {
			xl_block(x, ws, &row, "Đơn vị chưa đạt (theo thứ tự tên; các chỉ tiêu ít tốn công nhất: các đơn vị trang tổng hợp liệt kê)", h2, ARRAY_LEN(h2));
			worksheet_set_column(ws, 6, 6, 70, NULL);
			block = true;
		}
		const target_unit **list = arena_alloc(w->a, (r->nblocking + 1) * sizeof *list);
		memcpy(list, r->blocking, r->nblocking * sizeof *list);
		sort_list(list, r->nblocking, sizeof *list, cmp_unit_name);
		const char *label = target_label(w, &d->targets[i]);
		for (size_t k = 0; k < r->nblocking; k++, row++) {
			const target_unit *u = list[k];
			worksheet_write_string(ws, row, 0, label, x->wrap);
			worksheet_write_string(ws, row, 1, u->code, x->text);
			worksheet_write_string(ws, row, 2, u->name, x->wrap);
			worksheet_write_string(ws, row, 3, unit_type_name(u->type), x->text);
			if (u->level) worksheet_write_number(ws, row, 4, u->level, x->num);
			else worksheet_write_string(ws, row, 4, "—", x->num);
			worksheet_write_number(ws, row, 5, q_to_double(target_total(u)), x->points);
			const char *items = cheapest_text(w, u, r->def->level);
			worksheet_write_string(ws, row, 6, items ? items : "", x->wrap);
		}
	}
}

static void xl_weakest(xl *x)
{
	dash *d = x->d;
	static const char *const h[] = { "Bộ tiêu chí", "Mã", "Tiêu chí", "Điểm TB / tối đa", "Số đơn vị" };
	static const double wd[] = { 30, 8, 60, 14, 11 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "Tiêu chí yếu", "Tiêu chí theo điểm trung bình so với điểm tối đa (yếu nhất trước)", h, wd, ARRAY_LEN(h), &row);
	for (size_t f = 0; f < d->nfws; f++)
		for (size_t i = 0; i < d->fws[f].nweakest; i++, row++) {
			const criterion_stat *st = &d->fws[f].weakest[i];
			worksheet_write_string(ws, row, 0, d->fws[f].fw->title, x->wrap);
			worksheet_write_string(ws, row, 1, st->node->code, x->text);
			worksheet_write_string(ws, row, 2, st->node->title, x->wrap);
			worksheet_write_number(ws, row, 3, q_to_double(st->mean_share), x->percent);
			worksheet_write_number(ws, row, 4, (double)st->units, x->num);
		}
	if (row > 5) worksheet_autofilter(ws, 4, 0, row - 1, ARRAY_LEN(h) - 1);
}

static void xl_best(xl *x)
{
	dash *d = x->d;
	static const char *const h[] = { "TT", "Mã đơn vị", "Đơn vị", "Loại hình", "Tổng điểm", "Mức" };
	static const double wd[] = { 5, 12, 44, 14, 11, 8 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "Đơn vị điển hình", "Đơn vị điển hình (tổng điểm cao nhất)", h, wd, ARRAY_LEN(h), &row);
	const target_unit **best = target_best(x->w->a, d->units, d->nunits);
	size_t show = d->nunits < SHOW_BEST ? d->nunits : SHOW_BEST;
	for (size_t i = 0; i < show; i++, row++) {
		const target_unit *u = best[i];
		worksheet_write_number(ws, row, 0, (double)(i + 1), x->num);
		worksheet_write_string(ws, row, 1, u->code, x->text);
		worksheet_write_string(ws, row, 2, u->name, x->wrap);
		worksheet_write_string(ws, row, 3, unit_type_name(u->type), x->text);
		worksheet_write_number(ws, row, 4, q_to_double(target_total(u)), x->points);
		if (u->level) worksheet_write_number(ws, row, 5, u->level, x->num);
		else worksheet_write_string(ws, row, 5, "—", x->num);
	}
}

static int cmp_move_name(const void *a, const void *b)
{
	const yoy_move *x = a, *y = b;
	int c = vn_collate(x->now->name ? x->now->name : "", y->now->name ? y->now->name : "");
	return c ? c : strcmp(x->now->code ? x->now->code : "", y->now->code ? y->now->code : "");
}

static void xl_yoy(xl *x)
{
	dash *d = x->d;
	web *w = x->w;
	static const char *const h[] = { "Loại hình", "Năm học", "Mức 1", "Mức 2", "Mức 3", "Chưa có mức", "Số đơn vị", "Tỉ lệ Mức 1", "Tỉ lệ Mức 2", "Tỉ lệ Mức 3", "Điểm TB (% tối đa)" };
	static const double wd[] = { 30, 12, 9, 9, 9, 12, 11, 12, 12, 12, 13 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "So sánh các năm", "So sánh mức độ chuyển đổi số với các năm học trước", h, wd, ARRAY_LEN(h), &row);
	if (!d->nyears) {
		worksheet_write_string(ws, row, 0, arena_printf(w->a, "Các đơn vị của đợt này chưa có kết quả của năm học nào trước năm học %s.",
		                                                d->round.school_year), NULL);
		return;
	}
	for (int k = 0; k <= UT_COUNT; k++)
		for (size_t y = 0; y <= d->nyears; y++) {
			int t = k ? k - 1 : UT_COUNT;
			size_t c[UT_COUNT + 1][4];
			yoy_counts(d->yoy[y], d->nyoy[y], c);
			if (!(c[t][0] + c[t][1] + c[t][2] + c[t][3])) continue;
			worksheet_write_string(ws, row, 0, t == UT_COUNT ? "Tất cả" : unit_type_name((unit_type)t), t == UT_COUNT ? x->bold : x->text);
			worksheet_write_string(ws, row, 1, d->years[y], x->num);
			xl_levels_row(x, ws, row, 2, c[t]);
			q avg;
			if (yoy_average(d->yoy[y], d->nyoy[y], t, &avg)) worksheet_write_number(ws, row, 10, q_to_double(avg), x->points);
			else worksheet_write_blank(ws, row, 10, x->points);
			row++;
		}
	const char *prev = d->years[d->nyears - 1];
	const char *h2[] = { "Mã đơn vị", "Đơn vị", "Loại hình", arena_printf(w->a, "Mức %s", prev),
	                     arena_printf(w->a, "Mức %s", d->round.school_year), "Thay đổi" };
	xl_block(x, ws, &row, arena_printf(w->a, "Đơn vị thay đổi mức so với năm học %s (theo thứ tự tên)", prev), h2, ARRAY_LEN(h2));
	yoy_move *m = arena_alloc(w->a, (d->nmoves + 1) * sizeof *m);
	if (d->nmoves) memcpy(m, d->moves, d->nmoves * sizeof *m);
	sort_list(m, d->nmoves, sizeof *m, cmp_move_name);
	for (size_t i = 0; i < d->nmoves; i++, row++) {
		worksheet_write_string(ws, row, 0, m[i].now->code, x->text);
		worksheet_write_string(ws, row, 1, m[i].now->name, x->wrap);
		worksheet_write_string(ws, row, 2, unit_type_name(m[i].now->type), x->text);
		worksheet_write_number(ws, row, 3, m[i].before->level, x->num);
		worksheet_write_number(ws, row, 4, m[i].now->level, x->num);
		worksheet_write_string(ws, row, 5, m[i].now->level > m[i].before->level ? "Lên mức" : "Xuống mức", x->num);
	}
}

static void xl_progress(xl *x)
{
	dash *d = x->d;
	static const char *const h[] = { "Ngày", "Đã nộp hồ sơ", "Đã đánh giá ngoài", "Đã công nhận", "Đã công bố" };
	static const double wd[] = { 13, 14, 16, 14, 13 };
	lxw_row_t row;
	lxw_worksheet *ws = xl_sheet(x, "Tiến độ", d->weekly ? "Tiến độ của đợt đánh giá (cộng dồn theo tuần)"
	                                                      : "Tiến độ của đợt đánh giá (cộng dồn theo ngày)", h, wd, ARRAY_LEN(h), &row);
	for (size_t i = 0; i < d->nprogress; i++, row++) {
		int yy, mm, dd;
		if (vn_parse_date(d->progress[i].day, &yy, &mm, &dd)) {
			lxw_datetime dt = { .year = yy, .month = mm, .day = dd };
			worksheet_write_datetime(ws, row, 0, &dt, x->date);
		} else {
			worksheet_write_string(ws, row, 0, d->progress[i].day, x->text);
		}
		for (int s = 0; s < NSTAGES; s++) worksheet_write_number(ws, row, (lxw_col_t)(1 + s), (double)d->progress[i].cum[s], x->num);
	}
}

/* Writes the sheets in `mask` to a private temporary file (libxlsxwriter
 * 1.1.4 writes files only), reads it back as the response. */
/* The sheets of x->mask, in the workbook doc_xlsx.c writes. */
static void xl_fill(lxw_workbook *wb, void *ctx)
{
	xl *x = ctx;
	x->wb = wb;
	xl_formats(x);
	if (x->mask & SHEET_LEVELS) xl_levels(x);
	if (x->mask & SHEET_TARGETS) xl_targets(x);
	if (x->mask & SHEET_WEAKEST) xl_weakest(x);
	if (x->mask & SHEET_BEST) xl_best(x);
	if (x->mask & SHEET_YOY) xl_yoy(x);
	if (x->mask & SHEET_PROGRESS) xl_progress(x);
}

static void dash_xlsx(web *w, unsigned mask, const char *filename)
{
	dash d;
	if (!dash_load(w, w->ids[0], &d, (mask & SHEET_TARGETS ? NEED_WHATIF : 0) | (mask & (SHEET_YOY | SHEET_PROGRESS) ? NEED_OVER_TIME : 0)))
		return;
	xl x = { .w = w, .d = &d, .mask = mask };
	int yy, mm, dd;
	buf g, err;
	buf_init(&g);
	buf_init(&err);
	if (vn_parse_date(d.today, &yy, &mm, &dd)) vn_format_date(&g, yy, mm, dd);
	x.generated = arena_strdup(w->a, buf_str(&g));
	buf_free(&g);
	buf_reset(w->out);
	bool ok = xlsx_workbook_bytes(xl_fill, &x, w->out, &err);
	dash_free(&d);
	buf_free(&err);
	if (!ok) { web_error(w, 500, "Không tạo được tệp XLSX."); return; }
	w->r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "attachment; filename=\"%s-dot%lld.xlsx\"", filename,
	                                                          (long long)d.round.id));
}

static void dash_xlsx_all(web *w) { dash_xlsx(w, SHEET_ALL, "tong-hop"); }
static void dash_xlsx_levels(web *w) { dash_xlsx(w, SHEET_LEVELS, "phan-bo-muc"); }
static void dash_xlsx_targets(web *w) { dash_xlsx(w, SHEET_TARGETS, "chi-tieu"); }
static void dash_xlsx_weakest(web *w) { dash_xlsx(w, SHEET_WEAKEST, "tieu-chi-yeu"); }
static void dash_xlsx_best(web *w) { dash_xlsx(w, SHEET_BEST, "don-vi-dien-hinh"); }
static void dash_xlsx_yoy(web *w) { dash_xlsx(w, SHEET_YOY, "so-sanh-cac-nam"); }
static void dash_xlsx_progress(web *w) { dash_xlsx(w, SHEET_PROGRESS, "tien-do"); }

const web_route page_dash_routes[] = {
	{ "GET", "/tong-hop/{id}", dash_page, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/bang.csv", dash_csv, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/tong-hop.xlsx", dash_xlsx_all, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/phan-bo-muc.xlsx", dash_xlsx_levels, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/chi-tieu.xlsx", dash_xlsx_targets, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/tieu-chi-yeu.xlsx", dash_xlsx_weakest, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/don-vi-dien-hinh.xlsx", dash_xlsx_best, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/so-sanh-cac-nam.xlsx", dash_xlsx_yoy, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ "GET", "/tong-hop/{id}/tien-do.xlsx", dash_xlsx_progress, WEB_SIGNED_IN, .load = WEB_LOAD_ROUND, .action = AUTHZ_VIEW },
	{ NULL, NULL, NULL, 0 },
};
