/* target.c — targets and aggregation (pure). Shares are exact: a target
 * of 80% over 5 units is met by 4 units, not by 3.9999. */
#include "target.h"
#include "util.h"
#include "vn.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool counts_for(const target_def *d, const target_unit *u)
{
	return d->any_type || u->type == d->type;
}

q target_total(const target_unit *u)
{
	return u->score ? u->score->total : u->total;
}

static int cmp_lowest_total(const void *a, const void *b)
{
	const target_unit *x = *(const target_unit *const *)a, *y = *(const target_unit *const *)b;
	q tx = target_total(x), ty = target_total(y);
	int c = q_cmp(tx, ty);
	if (c) return c;
	return strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

/* Pool an indicator item's ratio answers: Σ num / Σ den over the units
 * that answered it with numbers. */
static void pool_indicator(const target_def *d, const target_unit *u, target_result *r)
{
	if (!counts_for(d, u) || !u->score) return;
	const fw_node *leaf = framework_find(u->score->fw, d->item_code);
	if (!leaf || !leaf->rule || !u->sheet) return;
	const answer *an = &u->sheet->answers[leaf->leaf_index];
	if (!an->present || !an->has_ratio) return;
	r->counted++;
	r->num = q_add(r->num, an->num);
	r->den = q_add(r->den, an->den);
}

target_result *target_begin(arena *a, const target_def *defs, size_t ndefs)
{
	target_result *res = arena_alloc(a, (ndefs + 1) * sizeof *res);
	for (size_t k = 0; k < ndefs; k++) {
		memset(&res[k], 0, sizeof res[k]);
		res[k].def = &defs[k];
		res[k].num = q_int(0);
		res[k].den = q_int(0);
	}
	return res;
}

void target_add_indicators(target_result *res, size_t ndefs, const target_unit *u)
{
	for (size_t k = 0; k < ndefs; k++)
		if (res[k].def->kind == TARGET_INDICATOR) pool_indicator(res[k].def, u, &res[k]);
}

target_result *target_evaluate(arena *a, const target_def *defs, size_t ndefs, const target_unit *units, size_t nunits)
{
	target_result *res = target_begin(a, defs, ndefs);
	for (size_t i = 0; i < nunits; i++) target_add_indicators(res, ndefs, &units[i]);
	target_finish(a, res, ndefs, units, nunits);
	return res;
}

void target_finish(arena *a, target_result *res, size_t ndefs, const target_unit *units, size_t nunits)
{
	for (size_t k = 0; k < ndefs; k++) {
		const target_def *d = res[k].def;
		target_result *r = &res[k];
		if (d->kind == TARGET_INDICATOR) {
			target_indicator_finish(r);
			continue;
		}
		r->blocking = arena_alloc(a, (nunits + 1) * sizeof *r->blocking);
		for (size_t i = 0; i < nunits; i++) {
			const target_unit *u = &units[i];
			if (!counts_for(d, u)) continue;
			r->counted++;
			if (u->level >= d->level) r->meeting++;
			else r->blocking[r->nblocking++] = u;
		}
		sort_list(r->blocking, r->nblocking, sizeof *r->blocking, cmp_lowest_total);
		target_level_share_counts(r, r->counted, r->meeting);
	}
}

void target_level_share_counts(target_result *r, size_t counted, size_t meeting)
{
	r->counted = counted;
	r->meeting = meeting;
	r->share = r->counted ? q_make((int64_t)r->meeting * 100, (int64_t)r->counted) : q_int(0);
	/* met when meeting / counted ≥ share%, i.e. meeting·100 ≥ share·counted */
	size_t need = ((size_t)r->def->share_percent * r->counted + 99) / 100;
	r->attained = r->counted > 0 && r->meeting >= need;
	r->more_needed = r->meeting >= need ? 0 : need - r->meeting;
}

void target_indicator_finish(target_result *r)
{
	r->share = q_is_zero(r->den) ? q_int(0) : q_mul(q_div(r->num, r->den), q_int(100));
	r->attained = !q_is_zero(r->den) && q_cmp(r->share, q_int(r->def->share_percent)) >= 0;
}

void target_weakest_add_sums(criterion_acc *acc, const q *points, size_t npoints, size_t units)
{
	if (npoints != acc->n) return;
	for (size_t i = 0; i < acc->n; i++) {
		acc->sum[i] = q_add(acc->sum[i], q_div(points[i], acc->st[i].node->max));
		acc->st[i].units += units;
	}
}

void target_level_counts(const target_unit *units, size_t n, size_t counts[UT_COUNT][4])
{
	memset(counts, 0, sizeof(size_t) * UT_COUNT * 4);
	for (size_t i = 0; i < n; i++) {
		int l = units[i].level;
		if (l < 0 || l > 3) l = 0;
		counts[units[i].type][l]++;
	}
}

static void stat_node(const fw_node *n, criterion_stat *out, size_t *k)
{
	if (n->kind == NODE_CRITERION && !(n->rule && (n->rule->kind == RULE_GATE || n->rule->kind == RULE_INFO)) &&
	    n->max.n > 0)
		out[(*k)++].node = n;
	if (n->kind == NODE_GROUP)
		for (size_t i = 0; i < n->nchildren; i++) stat_node(&n->children[i], out, k);
}

/* The criteria target_weakest counts, in the framework's order. */
static criterion_stat *stat_nodes(arena *a, const framework *fw, size_t *n)
{
	criterion_stat *out = arena_alloc(a, (fw->nnodes + 1) * sizeof *out);
	*n = 0;
	for (size_t g = 0; g < fw->ngroups; g++) stat_node(&fw->groups[g], out, n);
	return out;
}

static int cmp_weakest(const void *a, const void *b)
{
	const criterion_stat *x = a, *y = b;
	int c = q_cmp(x->mean_share, y->mean_share);
	return c ? c : strcmp(x->node->code, y->node->code);
}

criterion_acc *target_weakest_begin(arena *a, const framework *fw)
{
	criterion_acc *acc = arena_alloc(a, sizeof *acc);
	acc->fw = fw;
	acc->st = stat_nodes(a, fw, &acc->n);
	acc->sum = arena_alloc(a, (acc->n + 1) * sizeof *acc->sum);
	for (size_t i = 0; i < acc->n; i++) {
		acc->sum[i] = q_int(0);
		acc->st[i].units = 0;
	}
	return acc;
}

void target_weakest_add(criterion_acc *acc, const score_result *s)
{
	if (!s || s->fw != acc->fw) return;
	for (size_t i = 0; i < acc->n; i++) {
		const node_score *ns = score_node(s, acc->st[i].node);
		acc->sum[i] = q_add(acc->sum[i], q_div(ns->points, acc->st[i].node->max));
		acc->st[i].units++;
	}
}

criterion_stat *target_weakest_end(criterion_acc *acc, size_t *n)
{
	for (size_t i = 0; i < acc->n; i++) {
		size_t m = acc->st[i].units;
		acc->st[i].mean_share = m ? q_div(acc->sum[i], q_int((int64_t)m)) : q_int(0);
	}
	sort_list(acc->st, acc->n, sizeof *acc->st, cmp_weakest);
	*n = acc->n;
	return acc->st;
}

criterion_stat *target_weakest(arena *a, const framework *fw, const target_unit *units, size_t nunits, size_t *n)
{
	criterion_acc *acc = target_weakest_begin(a, fw);
	for (size_t u = 0; u < nunits; u++) target_weakest_add(acc, units[u].score);
	return target_weakest_end(acc, n);
}

group_levels *target_group_levels_begin(arena *a, const framework *fw)
{
	group_levels *g = arena_alloc(a, sizeof *g);
	g->fw = fw;
	g->counts = arena_alloc(a, (fw->ngroups + 1) * sizeof *g->counts);
	memset(g->counts, 0, (fw->ngroups + 1) * sizeof *g->counts);
	return g;
}

void target_group_levels_add(group_levels *g, const score_result *s, bool has_level)
{
	if (!s || s->fw != g->fw || (int)s->type < 0 || s->type >= UT_COUNT) return;
	for (size_t i = 0; i < g->fw->ngroups; i++) {
		const fw_band *b = score_node(s, &g->fw->groups[i])->band;
		int l = b && has_level ? b->level : 0;
		if (l < 0 || l > 3) l = 0;
		g->counts[i][s->type][l]++;
	}
}

/* ---- a unit's score in short ------------------------------------------------------ */

static bool code_safe(const char *c)
{
	return c && *c && !strpbrk(c, ";:,=");
}

static void put_q(buf *b, q v)
{
	q_format_exact(b, v);
}

char *target_summary_encode(arena *a, const framework *fw, const score_result *s, const answer_sheet *sheet)
{
	if (!s || s->fw != fw) return arena_strdup(a, "v1;-");
	buf b;
	buf_init(&b);
	buf_puts(&b, "v1;T=");
	put_q(&b, s->total);
	buf_puts(&b, ";G=");
	for (size_t g = 0; g < fw->ngroups; g++) {
		const fw_band *band = score_node(s, &fw->groups[g])->band;
		buf_printf(&b, "%s%d", g ? "," : "", band ? band->level : 0);
	}
	buf_puts(&b, ";C=");
	arena *tmp = arena_new();
	size_t n = 0;
	criterion_stat *st = stat_nodes(tmp, fw, &n);
	for (size_t i = 0; i < n; i++) {
		if (i) buf_putc(&b, ',');
		put_q(&b, score_node(s, st[i].node)->points);
	}
	arena_free(tmp);
	buf_puts(&b, ";R=");
	bool first = true;
	for (size_t i = 0; sheet && i < fw->nleaves; i++) {
		const fw_node *leaf = fw->leaves[i];
		const answer *an = &sheet->answers[leaf->leaf_index];
		if (!leaf->rule || !an->present || !an->has_ratio || !code_safe(leaf->code)) continue;
		buf_printf(&b, "%s%s:", first ? "" : ",", leaf->code);
		put_q(&b, an->num);
		buf_putc(&b, ':');
		put_q(&b, an->den);
		first = false;
	}
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* "n" or "n/d" up to one of `stops` (or the end); the end in *end. */
static bool get_q(const char *p, const char **end, q *out)
{
	char *e;
	errno = 0;
	long long n = strtoll(p, &e, 10), d = 1;
	if (e == p || errno) return false;
	if (*e == '/') {
		const char *p2 = e + 1;
		d = strtoll(p2, &e, 10);
		if (e == p2 || errno || d <= 0) return false;
	}
	*out = q_make(n, d);
	*end = e;
	return true;
}

bool target_summary_decode(arena *a, const framework *fw, const char *text, target_summary *out)
{
	memset(out, 0, sizeof *out);
	if (!text || strncmp(text, "v1;", 3) != 0) return false;
	const char *p = text + 3;
	if (!strcmp(p, "-")) return true;
	if (strncmp(p, "T=", 2) != 0 || !get_q(p + 2, &p, &out->total) || strncmp(p, ";G=", 3) != 0) return false;
	p += 3;
	out->group_levels = arena_alloc(a, (fw->ngroups + 1) * sizeof *out->group_levels);
	for (size_t g = 0; g < fw->ngroups; g++) {
		if (g && *p++ != ',') return false;
		if (*p < '0' || *p > '3') return false;
		out->group_levels[g] = *p++ - '0';
	}
	if (strncmp(p, ";C=", 3) != 0) return false;
	p += 3;
	arena *tmp = arena_new();
	size_t n = 0;
	stat_nodes(tmp, fw, &n);
	arena_free(tmp);
	out->points = arena_alloc(a, (n + 1) * sizeof *out->points);
	for (size_t i = 0; i < n; i++) {
		if (i && *p++ != ',') return false;
		if (!get_q(p, &p, &out->points[i])) return false;
	}
	out->npoints = n;
	if (strncmp(p, ";R=", 3) != 0) return false;
	p += 3;
	size_t cap = 1;
	for (const char *c = p; *c; c++) cap += *c == ',';
	out->ratio_codes = arena_alloc(a, cap * sizeof *out->ratio_codes);
	out->ratio_num = arena_alloc(a, cap * sizeof *out->ratio_num);
	out->ratio_den = arena_alloc(a, cap * sizeof *out->ratio_den);
	while (*p) {
		if (out->nratios && *p++ != ',') return false;
		const char *colon = strchr(p, ':');
		if (!colon || colon == p) return false;
		size_t k = out->nratios;
		out->ratio_codes[k] = arena_strndup(a, p, (size_t)(colon - p));
		if (!get_q(colon + 1, &p, &out->ratio_num[k]) || *p++ != ':' || !get_q(p, &p, &out->ratio_den[k])) return false;
		out->nratios++;
	}
	out->scored = true;
	return true;
}

void target_add_summary(target_result *res, size_t ndefs, const target_unit *u, const target_summary *sum)
{
	for (size_t k = 0; k < ndefs; k++) {
		const target_def *d = res[k].def;
		if (d->kind != TARGET_INDICATOR || !counts_for(d, u) || !sum->scored || !d->item_code) continue;
		for (size_t i = 0; i < sum->nratios; i++) {
			if (strcmp(sum->ratio_codes[i], d->item_code) != 0) continue;
			res[k].counted++;
			res[k].num = q_add(res[k].num, sum->ratio_num[i]);
			res[k].den = q_add(res[k].den, sum->ratio_den[i]);
			break;
		}
	}
}

void target_weakest_add_summary(criterion_acc *acc, const target_summary *sum)
{
	if (!sum->scored || sum->npoints != acc->n) return;
	/* acc->st is in the framework's order until target_weakest_end sorts it */
	for (size_t i = 0; i < acc->n; i++) {
		acc->sum[i] = q_add(acc->sum[i], q_div(sum->points[i], acc->st[i].node->max));
		acc->st[i].units++;
	}
}

void target_group_levels_add_summary(group_levels *g, unit_type t, const target_summary *sum, bool has_level)
{
	if (!sum->scored || (int)t < 0 || t >= UT_COUNT || !sum->group_levels) return;
	for (size_t i = 0; i < g->fw->ngroups; i++) g->counts[i][t][has_level ? sum->group_levels[i] : 0]++;
}

/* ---- progress over time ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t day_number(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool parse_day(const char *s, int64_t *out)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3 || strlen(s) < 10 || !vn_date_valid(y, m, d)) return false;
	*out = day_number(y, m, d);
	return true;
}

static const char *day_text(arena *a, int64_t z)
{
	/* civil_from_days */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp + (mp < 10 ? 3 : -9);
	return arena_printf(a, "%04lld-%02lld-%02lld", (long long)y + (m <= 2), (long long)m, (long long)d);
}

progress_point *target_progress(arena *a, const char *from, const char *to, const progress_event *ev, size_t nev,
                                int nstages, size_t *n, bool *weekly)
{
	*n = 0;
	*weekly = false;
	int64_t d0, d1;
	if (nstages < 1 || nstages > PROGRESS_MAX_STAGES || !parse_day(from, &d0) || !parse_day(to, &d1) || d1 < d0) return NULL;
	int64_t span = d1 - d0;
	int64_t step = span <= 62 ? 1 : 7;
	*weekly = step == 7;
	size_t np = (size_t)(span / step) + 1 + (span % step != 0);
	progress_point *p = arena_alloc(a, (np + 1) * sizeof *p);
	for (size_t i = 0; i < np; i++) {
		int64_t day = d0 + (int64_t)i * step;
		if (day > d1) day = d1;
		p[i].day = day_text(a, day);
		memset(p[i].cum, 0, sizeof p[i].cum);
	}
	for (size_t e = 0; e < nev; e++) {
		int64_t day;
		if (ev[e].stage < 0 || ev[e].stage >= nstages || !parse_day(ev[e].day, &day) || day > d1) continue;
		/* the first point whose day is on or after the event */
		size_t i = day <= d0 ? 0 : (size_t)((day - d0 + step - 1) / step);
		if (i >= np) i = np - 1;
		for (; i < np; i++) p[i].cum[ev[e].stage] += ev[e].count;
	}
	*n = np;
	return p;
}

/* ---- year over year ---------------------------------------------------------------- */

static int cmp_yoy_id(const void *a, const void *b)
{
	const yoy_unit *x = a, *y = b;
	return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

static int cmp_move(const void *a, const void *b)
{
	const yoy_move *x = a, *y = b;
	bool ux = x->now->level > x->before->level, uy = y->now->level > y->before->level;
	if (ux != uy) return ux ? -1 : 1;
	return strcmp(x->now->code ? x->now->code : "", y->now->code ? y->now->code : "");
}

yoy_move *target_yoy_moves(arena *a, const yoy_unit *now, size_t nnow, const yoy_unit *before, size_t nbefore,
                           size_t *n, size_t *nup)
{
	yoy_unit *b = arena_alloc(a, (nbefore + 1) * sizeof *b);
	if (nbefore) memcpy(b, before, nbefore * sizeof *b);
	sort_list(b, nbefore, sizeof *b, cmp_yoy_id);
	yoy_move *m = arena_alloc(a, (nnow + 1) * sizeof *m);
	*n = *nup = 0;
	for (size_t i = 0; i < nnow; i++) {
		if (!now[i].level) continue;
		yoy_unit key = { .unit_id = now[i].unit_id };
		const yoy_unit *p = bsearch(&key, b, nbefore, sizeof *b, cmp_yoy_id);
		if (!p || !p->level || p->level == now[i].level) continue;
		m[*n].now = &now[i];
		m[*n].before = p;
		if (now[i].level > p->level) (*nup)++;
		(*n)++;
	}
	sort_list(m, *n, sizeof *m, cmp_move);
	return m;
}

static int cmp_best(const void *a, const void *b)
{
	const target_unit *x = *(const target_unit *const *)a, *y = *(const target_unit *const *)b;
	q tx = target_total(x), ty = target_total(y);
	int c = q_cmp(ty, tx);
	return c ? c : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

const target_unit **target_best(arena *a, const target_unit *units, size_t nunits)
{
	const target_unit **out = arena_alloc(a, (nunits + 1) * sizeof *out);
	for (size_t i = 0; i < nunits; i++) out[i] = &units[i];
	sort_list(out, nunits, sizeof *out, cmp_best);
	return out;
}
