/* round_agg.c — the round summary's aggregates kept up to date
 * (round_agg.h). A unit's contribution is its score in short
 * (target_summary_encode, the page's own) in its cell; a cell is the exact
 * sum of its units' contributions, so moving a unit is a subtraction from
 * one cell and an addition to another, and a full recomputation gives the
 * same text. */
#include "round_agg.h"
#include "assess.h"
#include "q_round.h"
#include "summary_cache.h"
#include "util.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char score_rules_stamp[];

static const fw_catalog *hook_cat;
static volatile int worker_stop;      /* the server is stopping: a rebuild stops between slices */

/* A round being rebuilt by this build carries "building:<stamp>:<token>":
 * writes keep it, the page does not read it yet, and only the rebuild that
 * set the token makes it ready (another server's rebuild started meanwhile
 * takes the round over). */
static bool building(const char *stamp)
{
	size_t n = strlen(score_rules_stamp);
	return !strncmp(stamp, "building:", 9) && !strncmp(stamp + 9, score_rules_stamp, n) && stamp[9 + n] == ':';
}

static bool settle_hook(db *d, int64_t assessment_id);

static int touch_hook(db *d, int64_t assessment_id)
{
	return round_agg_touch(d, hook_cat, assessment_id);
}

void round_agg_enable(const fw_catalog *cat)
{
	hook_cat = cat;
	round_agg_set_hook(cat ? touch_hook : NULL);
	round_agg_set_settle(cat ? settle_hook : NULL);
}

bool round_agg_current(db *d, int64_t round_id)
{
	arena *a = arena_new();
	char *stamp = NULL;
	bool ok = agg_round_stamp(d, round_id, a, &stamp) == DB_OK && stamp && !strcmp(stamp, score_rules_stamp);
	arena_free(a);
	/* an answer saved and not counted yet (a crash, a command without the
	 * hook): the page reads every unit until the mark is applied */
	bool marked = true;
	if (ok && agg_round_dirty(d, round_id, &marked) != DB_OK) db_clear_error(d);
	return ok && !marked;
}

/* ---- a cell's text ------------------------------------------------------------------- */

static bool get_int(const char **p, int64_t *out)
{
	char *e;
	errno = 0;
	long long v = strtoll(*p, &e, 10);
	if (e == *p || errno) return false;
	*out = v;
	*p = e;
	return true;
}

static bool get_q(const char **p, q *out)
{
	int64_t n, d = 1;
	if (!get_int(p, &n)) return false;
	if (**p == '/') {
		(*p)++;
		if (!get_int(p, &d) || d <= 0) return false;
	}
	*out = q_make(n, d);
	return true;
}

static bool expect(const char **p, const char *s)
{
	size_t n = strlen(s);
	if (strncmp(*p, s, n) != 0) return false;
	*p += n;
	return true;
}

/* "framework@revision|unit type|level" */
static bool cell_key_parse(arena *a, const char *cell, agg_sum *s)
{
	const char *b1 = strchr(cell, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
	if (!b1 || !b2) return false;
	s->fw_key = arena_strndup(a, cell, (size_t)(b1 - cell));
	s->type_code = arena_strndup(a, b1 + 1, (size_t)(b2 - b1 - 1));
	s->type_ok = unit_type_parse(s->type_code, &s->type);
	s->level = atoi(b2 + 1);
	return s->level >= 0 && s->level <= 3;
}

static void sum_zero(agg_sum *s)
{
	s->scored = 0;
	s->total = q_int(0);
	s->ngroups = s->npoints = s->nratios = 0;
	s->groups = NULL;
	s->points = NULL;
	s->ratios = NULL;
}

/* "a1;N=2;T=77/2;G=0.1.1.0,0.0.2.0;C=3,7/2;R=1.7.1:2:40:56" */
static bool body_parse(arena *a, const char *p, agg_sum *s)
{
	sum_zero(s);
	if (!expect(&p, "a1;N=") || !get_int(&p, &s->scored) || !expect(&p, ";T=") || !get_q(&p, &s->total) || !expect(&p, ";G="))
		return false;
	size_t cap = 1;
	for (const char *c = p; *c && *c != ';'; c++) cap += *c == ',';
	s->groups = arena_alloc(a, cap * sizeof *s->groups);
	while (*p && *p != ';') {
		if (s->ngroups && !expect(&p, ",")) return false;
		for (int l = 0; l < 4; l++)
			if ((l && !expect(&p, ".")) || !get_int(&p, &s->groups[s->ngroups][l])) return false;
		s->ngroups++;
	}
	if (!expect(&p, ";C=")) return false;
	cap = 1;
	for (const char *c = p; *c && *c != ';'; c++) cap += *c == ',';
	s->points = arena_alloc(a, cap * sizeof *s->points);
	while (*p && *p != ';') {
		if (s->npoints && !expect(&p, ",")) return false;
		if (!get_q(&p, &s->points[s->npoints++])) return false;
	}
	if (!expect(&p, ";R=")) return false;
	cap = 1;
	for (const char *c = p; *c; c++) cap += *c == ',';
	s->ratios = arena_alloc(a, cap * sizeof *s->ratios);
	while (*p) {
		if (s->nratios && !expect(&p, ",")) return false;
		const char *colon = strchr(p, ':');
		if (!colon || colon == p) return false;
		agg_ratio *r = &s->ratios[s->nratios++];
		r->code = arena_strndup(a, p, (size_t)(colon - p));
		p = colon + 1;
		if (!get_int(&p, &r->counted) || !expect(&p, ":") || !get_q(&p, &r->num) || !expect(&p, ":") || !get_q(&p, &r->den))
			return false;
	}
	return true;
}

bool agg_sum_decode(arena *a, const agg_cell_row *row, agg_sum *out)
{
	memset(out, 0, sizeof *out);
	out->units = row->units;
	return cell_key_parse(a, row->cell, out) && body_parse(a, row->body, out);
}

static char *body_text(arena *a, const agg_sum *s)
{
	buf b;
	buf_init(&b);
	buf_printf(&b, "a1;N=%lld;T=", (long long)s->scored);
	q_format_exact(&b, s->scored ? s->total : q_int(0));
	buf_puts(&b, ";G=");
	for (size_t g = 0; s->scored && g < s->ngroups; g++)
		buf_printf(&b, "%s%lld.%lld.%lld.%lld", g ? "," : "", (long long)s->groups[g][0], (long long)s->groups[g][1],
		           (long long)s->groups[g][2], (long long)s->groups[g][3]);
	buf_puts(&b, ";C=");
	for (size_t i = 0; s->scored && i < s->npoints; i++) {
		if (i) buf_putc(&b, ',');
		q_format_exact(&b, s->points[i]);
	}
	buf_puts(&b, ";R=");
	bool first = true;
	for (size_t i = 0; i < s->nratios; i++) {
		const agg_ratio *r = &s->ratios[i];
		if (!r->counted) continue;
		buf_printf(&b, "%s%s:%lld:", first ? "" : ",", r->code, (long long)r->counted);
		q_format_exact(&b, r->num);
		buf_putc(&b, ':');
		q_format_exact(&b, r->den);
		first = false;
	}
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

static agg_ratio *ratio_of(arena *a, agg_sum *s, const char *code)
{
	size_t i = 0;
	while (i < s->nratios && strcmp(s->ratios[i].code, code) < 0) i++;
	if (i < s->nratios && !strcmp(s->ratios[i].code, code)) return &s->ratios[i];
	agg_ratio *r = arena_alloc(a, (s->nratios + 1) * sizeof *r);
	if (i) memcpy(r, s->ratios, i * sizeof *r);
	if (s->nratios > i) memcpy(r + i + 1, s->ratios + i, (s->nratios - i) * sizeof *r);
	r[i] = (agg_ratio){ arena_strdup(a, code), 0, q_int(0), q_int(0) };
	s->ratios = r;
	s->nratios++;
	return &r[i];
}

static q q_signed(q v, int sign)
{
	return sign > 0 ? v : q_sub(q_int(0), v);
}

/* Gives an empty cell the shape of its framework's summaries. */
static void sum_shape(arena *a, agg_sum *s, size_t ngroups, size_t npoints)
{
	if (s->scored && s->ngroups == ngroups && s->npoints == npoints) return;
	s->ngroups = ngroups;
	s->groups = arena_alloc(a, (ngroups + 1) * sizeof *s->groups);
	memset(s->groups, 0, (ngroups + 1) * sizeof *s->groups);
	s->npoints = npoints;
	s->points = arena_alloc(a, (npoints + 1) * sizeof *s->points);
	for (size_t i = 0; i < npoints; i++) s->points[i] = q_int(0);
	s->total = q_int(0);
}

/* Adds (sign 1) or takes away (sign -1) one unit's summary; fw: its
 * framework (NULL for a unit that is not scored). */
static void sum_add(arena *a, agg_sum *s, const framework *fw, const target_summary *t, int sign)
{
	s->units += sign;
	if (!t->scored || !fw) return;
	sum_shape(a, s, fw->ngroups, t->npoints);
	s->scored += sign;
	s->total = q_add(s->total, q_signed(t->total, sign));
	for (size_t i = 0; i < t->npoints; i++) s->points[i] = q_add(s->points[i], q_signed(t->points[i], sign));
	for (size_t g = 0; g < s->ngroups; g++) s->groups[g][s->level ? t->group_levels[g] : 0] += sign;
	for (size_t i = 0; i < t->nratios; i++) {
		agg_ratio *r = ratio_of(a, s, t->ratio_codes[i]);
		r->counted += sign;
		r->num = q_add(r->num, q_signed(t->ratio_num[i], sign));
		r->den = q_add(r->den, q_signed(t->ratio_den[i], sign));
	}
}

/* ---- one unit's contribution --------------------------------------------------------- */

typedef struct contrib {
	agg_member m;
	const framework *fw;              /* NULL: not scored (framework unknown here or incomplete) */
	target_summary sum;
} contrib;

static int level_of(const assessment *as)
{
	int l = as->recognised_level ? as->recognised_level : as->external_level ? as->external_level : as->self_level;
	return l >= 0 && l <= 3 ? l : 0;
}

/* The unit's contribution as the page's full path computes it
 * (page_dash.c, summary_cache.c); false for a unit the summary leaves out
 * (a unit type unknown here). */
static bool contribution(arena *a, const round_unit *ru, unit_policy policy, const summary_fw *m, const bulk_answer *ans,
                         size_t na, contrib *out)
{
	memset(out, 0, sizeof *out);
	unit_type t;
	if (!unit_type_parse(ru->unit_type, &t)) return false;
	agg_member *mb = &out->m;
	mb->assessment_id = ru->as.id;
	mb->round_id = ru->as.round_id;
	mb->unit_type = ru->unit_type;
	mb->unit_code = ru->unit_code ? ru->unit_code : "";
	mb->level = level_of(&ru->as);
	mb->cell = arena_printf(a, "%s@%s|%s|%d", ru->as.framework_id, ru->as.framework_revision, ru->unit_type, mb->level);
	mb->summary = "v1;-";
	if (m && m->fw && m->fw->complete) {
		answer_sheet *sheet = NULL;
		score_result *r = summary_score_one(policy, m, t, ans, na, a, &sheet);
		const char *text = target_summary_encode(a, m->fw, r, sheet);
		score_free(r);
		if (target_summary_decode(a, m->fw, text, &out->sum)) {
			mb->summary = text;
			out->fw = m->fw;
		}
	}
	if (!out->fw) target_summary_decode(a, NULL, "v1;-", &out->sum);
	mb->total_key = out->sum.scored ? (int64_t)llround(q_to_double(out->sum.total) * 1e6) : 0;
	return true;
}

/* The contribution stored for a unit, decoded against its cell's framework. */
static bool stored_contribution(arena *a, const fw_catalog *cat, const agg_member *mb, contrib *out)
{
	memset(out, 0, sizeof *out);
	out->m = *mb;
	const char *bar = strchr(mb->cell, '|');
	const framework *fw = bar ? fw_catalog_find(cat, arena_strndup(a, mb->cell, (size_t)(bar - mb->cell))) : NULL;
	if (fw && target_summary_decode(a, fw, mb->summary, &out->sum) && out->sum.scored) out->fw = fw;
	else target_summary_decode(a, NULL, "v1;-", &out->sum);
	return true;
}

/* A cell read or, when absent, empty. */
static int cell_load(db *d, arena *a, int64_t round_id, const char *cell, agg_sum *out)
{
	agg_cell_row row;
	int rc = agg_cell_get(d, round_id, cell, a, &row);
	if (rc == DB_ENOTFOUND) {
		db_clear_error(d);
		row = (agg_cell_row){ cell, 0, "a1;N=0;T=0;G=;C=;R=" };
	} else if (rc != DB_OK) {
		return rc;
	}
	return agg_sum_decode(a, &row, out) ? DB_OK : db_fail(d, DB_ERROR, "round_agg: damaged cell %s", cell);
}

static int cell_store(db *d, arena *a, int64_t round_id, const char *cell, const agg_sum *s)
{
	agg_cell_row out = { cell, s->units, body_text(a, s) };
	return agg_cell_put(d, round_id, &out);
}

/* A unit's contribution moved from `was` (NULL: none) to `now` (NULL:
 * none); `was_cell` is was's stored cell (the context's). One write per
 * cell touched. */
static int cells_move(db *d, arena *a, const contrib *was, const agg_cell_row *was_cell, const contrib *now)
{
	agg_sum old_sum, new_sum;
	int rc = DB_OK;
	if (was) {
		agg_cell_row empty = { was->m.cell, 0, "a1;N=0;T=0;G=;C=;R=" };
		if (!agg_sum_decode(a, was_cell ? was_cell : &empty, &old_sum))
			return db_fail(d, DB_ERROR, "round_agg: damaged cell %s", was->m.cell);
		sum_add(a, &old_sum, was->fw, &was->sum, -1);
		if (now && now->m.round_id == was->m.round_id && !strcmp(now->m.cell, was->m.cell)) {
			sum_add(a, &old_sum, now->fw, &now->sum, 1);
			return cell_store(d, a, now->m.round_id, now->m.cell, &old_sum);
		}
		if ((rc = cell_store(d, a, was->m.round_id, was->m.cell, &old_sum)) != DB_OK) return rc;
	}
	if (!now) return DB_OK;
	if ((rc = cell_load(d, a, now->m.round_id, now->m.cell, &new_sum)) != DB_OK) return rc;
	sum_add(a, &new_sum, now->fw, &now->sum, 1);
	return cell_store(d, a, now->m.round_id, now->m.cell, &new_sum);
}

static bool same_member(const agg_member *x, const agg_member *y)
{
	return x->round_id == y->round_id && !strcmp(x->cell, y->cell) && !strcmp(x->summary, y->summary) &&
	       x->total_key == y->total_key && !strcmp(x->unit_type, y->unit_type) && !strcmp(x->unit_code, y->unit_code) &&
	       x->level == y->level;
}

/* Whether the round's aggregates are kept (this build's, or being
 * rebuilt by it); a new round's first assessment starts them. */
static int round_kept(db *d, const agg_context *cx, bool *kept)
{
	*kept = false;
	if (cx->has_round_row) {
		*kept = cx->stamp && (!strcmp(cx->stamp, score_rules_stamp) || building(cx->stamp));
		return DB_OK;
	}
	/* a round from before the aggregates waits for the rebuild */
	int64_t n = 0;
	int rc = agg_round_size(d, cx->ru.as.round_id, &n);
	if (rc != DB_OK || n != 1) return rc;
	*kept = true;
	return agg_round_reset(d, cx->ru.as.round_id, score_rules_stamp);
}

/* Two round trips when nothing moves (the context, the answers), two
 * more when the unit stays in its cell (the cell, the unit), four more
 * when it changes cells. */
static int touch_in(db *d, const fw_catalog *cat, int64_t assessment_id, arena *a)
{
	agg_context cx;
	int rc = agg_context_get(d, assessment_id, a, &cx);
	if (rc == DB_ENOTFOUND) { db_clear_error(d); return DB_OK; }
	bool kept = false;
	if (rc != DB_OK || (rc = round_kept(d, &cx, &kept)) != DB_OK || !kept) return rc;
	summary_cache sc;
	summary_cache_init(&sc, d, cat, a);
	summary_fw memo[1];
	size_t nmemo = 0;
	const summary_fw *m = summary_fw_find(&sc, memo, &nmemo, &cx.ru.as);
	bulk_answer *ans = NULL;
	size_t na = 0;
	if (m->fw && m->fw->complete &&
	    (rc = bulk_round_answers(d, cx.ru.as.round_id, cx.ru.as.id, cx.ru.as.id, a, &ans, &na)) != DB_OK)
		return rc;
	contrib now, was;
	bool have_now = contribution(a, &cx.ru, assess_policy(cx.policy), m, ans, na, &now);
	if (cx.has_member && have_now && same_member(&cx.member, &now.m)) return DB_OK;
	if (cx.has_member) stored_contribution(a, cat, &cx.member, &was);
	if ((rc = cells_move(d, a, cx.has_member ? &was : NULL, cx.has_cell ? &cx.cell : NULL, have_now ? &now : NULL)) != DB_OK)
		return rc;
	if (have_now) return agg_member_put(d, &now.m);
	return cx.has_member ? agg_member_delete(d, assessment_id) : DB_OK;
}

/* ---- the settle after an answer save, without the lock across reads ------------------ */

/* A delta body: what `now` adds to its cell when `was` is taken out, both
 * scored by frameworks of the same shape (chiso_agg_add's "d1;…"), only
 * the groups and criteria that move, numbered from 1. */
static const char *delta_text(arena *a, const char *cell, const contrib *was, const contrib *now)
{
	agg_sum s;
	memset(&s, 0, sizeof s);
	if (!cell_key_parse(a, cell, &s)) return NULL;
	sum_zero(&s);
	sum_add(a, &s, now->fw, &now->sum, 1);
	sum_add(a, &s, was->fw, &was->sum, -1);
	buf b;
	buf_init(&b);
	buf_printf(&b, "d1;N=%lld;T=", (long long)s.scored);
	q_format_exact(&b, s.total);
	buf_puts(&b, ";G=");
	const char *sep = "";
	for (size_t g = 0; g < s.ngroups; g++) {
		if (!s.groups[g][0] && !s.groups[g][1] && !s.groups[g][2] && !s.groups[g][3]) continue;
		buf_printf(&b, "%s%zu:%lld.%lld.%lld.%lld", sep, g + 1, (long long)s.groups[g][0], (long long)s.groups[g][1],
		           (long long)s.groups[g][2], (long long)s.groups[g][3]);
		sep = ",";
	}
	buf_puts(&b, ";C=");
	sep = "";
	for (size_t i = 0; i < s.npoints; i++) {
		if (q_is_zero(s.points[i])) continue;
		buf_printf(&b, "%s%zu:", sep, i + 1);
		q_format_exact(&b, s.points[i]);
		sep = ",";
	}
	buf_puts(&b, ";R=");
	bool first = true;
	for (size_t i = 0; i < s.nratios; i++) {
		const agg_ratio *r = &s.ratios[i];
		if (!r->counted && q_is_zero(r->num) && q_is_zero(r->den)) continue;
		buf_printf(&b, "%s%s:%lld:", first ? "" : ",", r->code, (long long)r->counted);
		q_format_exact(&b, r->num);
		buf_putc(&b, ':');
		q_format_exact(&b, r->den);
		first = false;
	}
	const char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Whether the unit stays in its cell with a summary of the same shape:
 * *delta is then what its cell moves by (NULL: nothing, e.g. an unscored
 * unit staying unscored). */
static bool same_cell(arena *a, const agg_context *cx, const contrib *was, const contrib *now, const char **delta)
{
	*delta = NULL;
	if (now->m.round_id != cx->member.round_id || strcmp(now->m.cell, cx->member.cell) != 0) return false;
	if (!was->fw && !now->fw) return true;
	if (!was->fw || !now->fw || !was->sum.scored || !now->sum.scored || was->fw->ngroups != now->fw->ngroups ||
	    was->sum.npoints != now->sum.npoints)
		return false;
	*delta = delta_text(a, now->m.cell, was, now);
	return *delta != NULL;
}

/* The mark, the context and the answers read (one statement, no lock),
 * the contribution computed, then one pipelined write under the lock
 * (agg_settle_stmt). False for anything else: the first save of an
 * assessment, a unit changing cells, a round not kept, SQLite, a caller's
 * transaction. */
static bool settle_in(db *d, int64_t assessment_id, arena *a)
{
	agg_context cx;
	bulk_answer *ans = NULL;
	size_t na = 0;
	if (agg_context_answers_get(d, assessment_id, a, &cx, &ans, &na) != DB_OK) return false;
	if (!cx.has_mark) return true;   /* counted already by a later save's settle */
	if (cx.mark_seq < 0 || !cx.has_round_row || !cx.stamp || strcmp(cx.stamp, score_rules_stamp) != 0 ||
	    !cx.has_member || !cx.has_cell)
		return false;
	summary_cache sc;
	summary_cache_init(&sc, d, hook_cat, a);
	summary_fw memo[1];
	size_t nmemo = 0;
	const summary_fw *m = summary_fw_find(&sc, memo, &nmemo, &cx.ru.as);
	contrib now, was;
	const char *delta;
	if (!contribution(a, &cx.ru, assess_policy(cx.policy), m, ans, na, &now)) return false;
	stored_contribution(a, hook_cat, &cx.member, &was);
	if (!same_cell(a, &cx, &was, &now, &delta)) return false;
	agg_settle st = { assessment_id, cx.mark_seq, &cx.member, &now.m, delta };
	db_stmt *w = agg_settle_stmt(d, &st);
	if (!w) return false;
	int rc = db_write_batch(d, &w, 1);
	db_finish(w);
	return rc == DB_OK;
}

static bool settle_hook(db *d, int64_t assessment_id)
{
	if (!hook_cat || db_kind(d) != DB_PG || db_tx_depth(d)) return false;
	arena *a = arena_new();
	bool done = settle_in(d, assessment_id, a);
	arena_free(a);
	if (!done) db_clear_error(d);
	return done;
}

int round_agg_touch(db *d, const fw_catalog *cat, int64_t assessment_id)
{
	if (!cat) return DB_OK;
	arena *a = arena_new();
	int rc = touch_in(d, cat, assessment_id, a);
	arena_free(a);
	return rc;
}

/* ---- the whole round --------------------------------------------------------------- */

enum { SLICE = 500, TOUCH_SLICE = 50 };

static int cmp_cell(const void *x, const void *y)
{
	return strcmp(((const agg_cell_row *)x)->cell, ((const agg_cell_row *)y)->cell);
}

/* Adds a contribution to the in-memory cells (few: frameworks × types × levels). */
static void cells_add(arena *a, agg_sum **sums, agg_cell_row **cells, size_t *nc, size_t *cap, const contrib *c)
{
	size_t i = 0;
	while (i < *nc && strcmp((*cells)[i].cell, c->m.cell) != 0) i++;
	if (i == *nc) {
		if (*nc == *cap) {
			size_t ncap = *cap * 2 + 8;
			agg_sum *s2 = arena_alloc(a, ncap * sizeof *s2);
			agg_cell_row *c2 = arena_alloc(a, ncap * sizeof *c2);
			if (*nc) { memcpy(s2, *sums, *nc * sizeof *s2); memcpy(c2, *cells, *nc * sizeof *c2); }
			*sums = s2;
			*cells = c2;
			*cap = ncap;
		}
		memset(&(*sums)[i], 0, sizeof **sums);
		(*cells)[i] = (agg_cell_row){ arena_strdup(a, c->m.cell), 0, NULL };
		cell_key_parse(a, c->m.cell, &(*sums)[i]);
		sum_zero(&(*sums)[i]);
		(*nc)++;
	}
	sum_add(a, &(*sums)[i], c->fw, &c->sum, 1);
}

int round_agg_compute(db *d, const fw_catalog *cat, int64_t round_id, arena *a, agg_member **members, size_t *nm,
                      agg_cell_row **cells, size_t *nc)
{
	*members = NULL;
	*cells = NULL;
	*nm = *nc = 0;
	round_row rr;
	round_unit *ru = NULL;
	size_t n = 0;
	int rc = round_get(d, round_id, a, &rr);
	if (rc == DB_OK) rc = bulk_round_units(d, round_id, a, &ru, &n);
	if (rc != DB_OK) return rc;
	unit_policy policy = assess_policy(rr.policy);
	summary_cache sc;
	summary_cache_init(&sc, d, cat, a);
	summary_fw *memo = arena_alloc(a, (n + 1) * sizeof *memo);
	size_t nmemo = 0, cap = 0;
	agg_sum *sums = NULL;
	*members = arena_alloc(a, (n + 1) * sizeof **members);
	for (size_t lo = 0; lo < n && rc == DB_OK; lo += SLICE) {
		size_t hi = lo + SLICE < n ? lo + SLICE : n;
		arena *scratch = arena_new();
		bulk_answer *ans = NULL;
		size_t na = 0, k = 0;
		rc = bulk_round_answers(d, round_id, ru[lo].as.id, ru[hi - 1].as.id, scratch, &ans, &na);
		for (size_t i = lo; rc == DB_OK && i < hi; i++) {
			while (k < na && ans[k].assessment_id < ru[i].as.id) k++;
			size_t k0 = k;
			while (k < na && ans[k].assessment_id == ru[i].as.id) k++;
			const summary_fw *m = summary_fw_find(&sc, memo, &nmemo, &ru[i].as);
			contrib c;
			if (!contribution(scratch, &ru[i], policy, m, ans + k0, k - k0, &c)) continue;
			c.m.cell = arena_strdup(a, c.m.cell);
			c.m.summary = arena_strdup(a, c.m.summary);
			(*members)[(*nm)++] = c.m;
			cells_add(a, &sums, cells, nc, &cap, &c);
		}
		arena_free(scratch);
	}
	for (size_t i = 0; i < *nc; i++) {
		(*cells)[i].units = sums[i].units;
		(*cells)[i].body = body_text(a, &sums[i]);
	}
	sort_list(*cells, *nc, sizeof **cells, cmp_cell);
	return rc;
}

/* One short write transaction (the rebuild must not hold the write lock
 * for the whole round: every save and sign-in would wait on it). */
static int in_write(db *d, int rc)
{
	if (rc == DB_OK) return db_commit(d);
	if (db_tx_depth(d)) db_rollback(d);
	return rc;
}

/* In slices, each its own write transaction: the round's aggregates
 * emptied and marked "building" (the stages counted from the
 * transitions), then every assessment touched — as a write would, and
 * writes meanwhile keep touching theirs: both are moves from what is
 * stored to what is now true, so their order does not matter —, then the
 * stamp that makes the page read them. */
int round_agg_rebuild(db *d, const fw_catalog *cat, int64_t round_id)
{
	arena *a = arena_new();
	int64_t *ids = NULL;
	size_t n = 0;
	const char *mark = arena_printf(a, "building:%s:%08x%08x", score_rules_stamp, (unsigned)getpid(), (unsigned)randombytes_random());
	int rc = agg_round_ids(d, round_id, a, &ids, &n);
	if (rc == DB_OK && (rc = db_begin_write(d)) == DB_OK) rc = in_write(d, agg_round_reset(d, round_id, mark));
	for (size_t lo = 0; rc == DB_OK && lo < n && !worker_stop; lo += TOUCH_SLICE) {
		if ((rc = db_begin_write(d)) != DB_OK) break;
		for (size_t i = lo; rc == DB_OK && i < n && i < lo + TOUCH_SLICE; i++) rc = round_agg_touch(d, cat, ids[i]);
		rc = in_write(d, rc);
	}
	if (rc == DB_OK && !worker_stop && (rc = db_begin_write(d)) == DB_OK)
		rc = in_write(d, agg_round_ready(d, round_id, mark, score_rules_stamp));
	arena_free(a);
	return rc;
}

int round_agg_rebuild_stale(db *d, const fw_catalog *cat, size_t *nrounds)
{
	if (nrounds) *nrounds = 0;
	arena *a = arena_new();
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = agg_rounds_stale(d, score_rules_stamp, a, &ids, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		rc = round_agg_rebuild(d, cat, ids[i]);
		if (rc == DB_OK && nrounds) (*nrounds)++;
	}
	arena_free(a);
	return rc;
}

int round_agg_apply_marks(db *d, const fw_catalog *cat, size_t *napplied)
{
	if (napplied) *napplied = 0;
	arena *a = arena_new();
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = agg_dirty_ids(d, TOUCH_SLICE, a, &ids, &n);
	for (size_t i = 0; rc == DB_OK && i < n && !worker_stop; i++) {
		if ((rc = db_begin_write(d)) != DB_OK) break;
		rc = round_agg_touch(d, cat, ids[i]);
		if (rc == DB_OK) rc = agg_dirty_clear(d, ids[i]);
		rc = in_write(d, rc);
		if (rc == DB_OK && napplied) (*napplied)++;
	}
	arena_free(a);
	return rc;
}

/* ---- the background rebuild ----------------------------------------------------------- */


static pthread_t worker;
static bool worker_running;
static const char *worker_target;
static const fw_catalog *worker_cat;

/* Every few seconds, the stale rounds counted again on a connection of
 * its own: after a build whose scoring rules differ, after writes made
 * without the hook (a command that does not enable it), for a round
 * whose aggregates were never built. */
static void *worker_main(void *arg)
{
	(void)arg;
	db *d = NULL;
	char *err = NULL;
	if (db_open(worker_target, &d, &err) != DB_OK) { free(err); return NULL; }
	while (!worker_stop) {
		size_t marks = 0;
		if (round_agg_apply_marks(d, worker_cat, &marks) != DB_OK) {
			fprintf(stderr, "chiso: round summary aggregates (saved answers): %s\n", db_errmsg(d));
			db_clear_error(d);
		}
		if (marks == TOUCH_SLICE) continue;   /* more left: no pause */
		if (round_agg_rebuild_stale(d, worker_cat, NULL) != DB_OK) {
			fprintf(stderr, "chiso: round summary aggregates: %s\n", db_errmsg(d));
			db_clear_error(d);
		}
		for (int i = 0; i < 20 && !worker_stop; i++) usleep(250000);
	}
	db_close(d);
	return NULL;
}

void round_agg_worker_start(const char *db_target, const fw_catalog *cat)
{
	worker_target = db_target;
	worker_cat = cat;
	worker_stop = 0;
	worker_running = pthread_create(&worker, NULL, worker_main, NULL) == 0;
}

void round_agg_worker_stop(void)
{
	if (!worker_running) return;
	worker_stop = 1;
	pthread_join(worker, NULL);
	worker_running = false;
}
