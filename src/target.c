/* target.c — targets and aggregation (pure). Shares are exact: a target
 * of 80% over 5 units is met by 4 units, not by 3.9999. */
#include "target.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static bool counts_for(const target_def *d, const target_unit *u)
{
	return d->any_type || u->type == d->type;
}

static int cmp_lowest_total(const void *a, const void *b)
{
	const target_unit *x = *(const target_unit *const *)a, *y = *(const target_unit *const *)b;
	q tx = x->score ? x->score->total : q_int(0), ty = y->score ? y->score->total : q_int(0);
	int c = q_cmp(tx, ty);
	if (c) return c;
	return strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

/* Pool an indicator item's ratio answers: Σ num / Σ den over the units
 * that answered it with numbers. */
static void pool_indicator(const target_def *d, const target_unit *units, size_t n, target_result *r)
{
	r->num = q_int(0);
	r->den = q_int(0);
	for (size_t i = 0; i < n; i++) {
		const target_unit *u = &units[i];
		if (!counts_for(d, u) || !u->score) continue;
		const fw_node *leaf = framework_find(u->score->fw, d->item_code);
		if (!leaf || !leaf->rule || !u->sheet) continue;
		const answer *an = &u->sheet->answers[leaf->leaf_index];
		if (!an->present || !an->has_ratio) continue;
		r->counted++;
		r->num = q_add(r->num, an->num);
		r->den = q_add(r->den, an->den);
	}
}

target_result *target_evaluate(arena *a, const target_def *defs, size_t ndefs, const target_unit *units, size_t nunits)
{
	target_result *res = arena_alloc(a, (ndefs + 1) * sizeof *res);
	for (size_t k = 0; k < ndefs; k++) {
		const target_def *d = &defs[k];
		target_result *r = &res[k];
		r->def = d;
		if (d->kind == TARGET_INDICATOR) {
			pool_indicator(d, units, nunits, r);
			r->share = q_is_zero(r->den) ? q_int(0) : q_mul(q_div(r->num, r->den), q_int(100));
			r->attained = !q_is_zero(r->den) && q_cmp(r->share, q_int(d->share_percent)) >= 0;
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
		qsort(r->blocking, r->nblocking, sizeof *r->blocking, cmp_lowest_total);
		r->share = r->counted ? q_make((int64_t)r->meeting * 100, (int64_t)r->counted) : q_int(0);
		/* met when meeting / counted ≥ share%, i.e. meeting·100 ≥ share·counted */
		size_t need = ((size_t)d->share_percent * r->counted + 99) / 100;
		r->attained = r->counted > 0 && r->meeting >= need;
		r->more_needed = r->meeting >= need ? 0 : need - r->meeting;
	}
	return res;
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

static int cmp_weakest(const void *a, const void *b)
{
	const criterion_stat *x = a, *y = b;
	int c = q_cmp(x->mean_share, y->mean_share);
	return c ? c : strcmp(x->node->code, y->node->code);
}

criterion_stat *target_weakest(arena *a, const framework *fw, const target_unit *units, size_t nunits, size_t *n)
{
	criterion_stat *out = arena_alloc(a, (fw->nnodes + 1) * sizeof *out);
	size_t k = 0;
	for (size_t g = 0; g < fw->ngroups; g++) stat_node(&fw->groups[g], out, &k);
	for (size_t i = 0; i < k; i++) {
		q sum = q_int(0);
		size_t m = 0;
		for (size_t u = 0; u < nunits; u++) {
			const score_result *s = units[u].score;
			if (!s || s->fw != fw) continue;
			const node_score *ns = score_node(s, out[i].node);
			sum = q_add(sum, q_div(ns->points, out[i].node->max));
			m++;
		}
		out[i].units = m;
		out[i].mean_share = m ? q_div(sum, q_int((int64_t)m)) : q_int(0);
	}
	qsort(out, k, sizeof *out, cmp_weakest);
	*n = k;
	return out;
}

static int cmp_best(const void *a, const void *b)
{
	const target_unit *x = *(const target_unit *const *)a, *y = *(const target_unit *const *)b;
	q tx = x->score ? x->score->total : q_int(0), ty = y->score ? y->score->total : q_int(0);
	int c = q_cmp(ty, tx);
	return c ? c : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

const target_unit **target_best(arena *a, const target_unit *units, size_t nunits)
{
	const target_unit **out = arena_alloc(a, (nunits + 1) * sizeof *out);
	for (size_t i = 0; i < nunits; i++) out[i] = &units[i];
	qsort(out, nunits, sizeof *out, cmp_best);
	return out;
}
