/* summary_cache.c — the round summary's score-summary cache (summary_cache.h). */
#include "summary_cache.h"
#include "assess.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

void summary_cache_init(summary_cache *c, db *d, const fw_catalog *cat, arena *a)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->cat = cat;
	c->a = a;
}

static int leaf_cmp(const void *a, const void *b)
{
	return strcmp((*(const fw_node *const *)a)->code, (*(const fw_node *const *)b)->code);
}

const summary_fw *summary_fw_find(summary_cache *c, summary_fw *memo, size_t *nmemo, const assessment *as)
{
	for (size_t i = 0; i < *nmemo; i++)
		if (!strcmp(memo[i].id, as->framework_id) && !strcmp(memo[i].revision, as->framework_revision)) return &memo[i];
	summary_fw m = { as->framework_id, as->framework_revision,
		fw_catalog_find(c->cat, arena_printf(c->a, "%s@%s", as->framework_id, as->framework_revision)), NULL };
	if (m.fw) {
		m.leaves = arena_alloc(c->a, (m.fw->nleaves + 1) * sizeof *m.leaves);
		memcpy(m.leaves, m.fw->leaves, m.fw->nleaves * sizeof *m.leaves);
		sort_list(m.leaves, m.fw->nleaves, sizeof *m.leaves, leaf_cmp);
	}
	memo[*nmemo] = m;
	return &memo[(*nmemo)++];
}

/* The leaf with this code (framework_find walks the tree: at 50,000
 * schools × 60 answers that walk was a tenth of the page). */
static const fw_node *memo_leaf(const summary_fw *m, const char *code)
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

score_result *summary_score_one(unit_policy policy, const summary_fw *m, unit_type type, const bulk_answer *ans, size_t na,
                                arena *a, answer_sheet **sheet_out)
{
	assess_sheet sh;
	assess_sheet_init(&sh, m->fw, type, a);
	for (size_t k = 0; k < na; k++) assess_sheet_put(&sh, memo_leaf(m, ans[k].item_code), ans[k].value_json, NULL);
	score_result *r = assess_sheet_score(&sh, policy, NULL);
	answer_sheet *sheet = arena_alloc(a, sizeof *sheet);
	*sheet = sh.sheet;
	*sheet_out = sheet;
	return r;
}

/* The scoring rules of this build: a hash of the sources that decide a
 * score (the Makefile's SCORE_SRC, build/score_stamp.c). A new build that
 * changes a scoring rule makes every stored summary stale; any other new
 * build keeps them (its first view of a round reads them). */
extern const char score_rules_stamp[];

/* What a stored summary was computed with besides the answers: the
 * program, the framework version, the unit type, the level policy and the
 * side scored. */
static const char *summary_stamp(unit_policy policy, const round_unit *ru, arena *a)
{
	return arena_printf(a, "%s|%s@%s|%s|%s|%s", score_rules_stamp, ru->as.framework_id, ru->as.framework_revision, ru->unit_type,
	                    policy == POLICY_PER_GROUP_ONLY ? "per_group_only" : "min", ru->as.external_level ? "external" : "self");
}

static void pending_reserve(summary_cache *c, size_t more)
{
	if (c->npending + more <= c->cap_pending) return;
	size_t cap = (c->npending + more) * 2 + 16;
	dash_summary_row *p = arena_alloc(c->a, cap * sizeof *p);
	if (c->npending) memcpy(p, c->pending, c->npending * sizeof *p);
	c->pending = p;
	c->cap_pending = cap;
}

/* One slice ru[lo..hi) of summary_cache_round, in its own scratch arena. */
static void round_slice(summary_cache *c, int64_t round_id, unit_policy policy, const round_unit *ru, size_t lo, size_t hi,
                        const summary_fw *const *memo, summary_fn fn, void *ctx)
{
	arena *scratch = arena_new();
	/* first the stored summaries: an assessment whose answers and
	 * stamp are those it was summarised with is not scored again */
	dash_mark *mk = NULL;
	size_t nm = 0, m = 0;
	if (dash_marks(c->d, round_id, ru[lo].as.id, ru[hi - 1].as.id, scratch, &mk, &nm) != DB_OK) nm = 0;
	target_summary *sums = arena_alloc(scratch, (hi - lo) * sizeof *sums);
	const dash_mark **mark_of = arena_alloc(scratch, (hi - lo) * sizeof *mark_of);
	const char **stamp_of = arena_alloc(scratch, (hi - lo) * sizeof *stamp_of);
	unit_type *type_of = arena_alloc(scratch, (hi - lo) * sizeof *type_of);
	bool *have = arena_alloc(scratch, (hi - lo) * sizeof *have), *use = arena_alloc(scratch, (hi - lo) * sizeof *use);
	bool any_miss = false;
	for (size_t i = lo; i < hi; i++) {
		if (!memo[i] || !memo[i]->fw || !memo[i]->fw->complete || !unit_type_parse(ru[i].unit_type, &type_of[i - lo])) continue;
		use[i - lo] = true;
		while (m < nm && mk[m].assessment_id < ru[i].as.id) m++;
		const dash_mark *mi = m < nm && mk[m].assessment_id == ru[i].as.id ? &mk[m] : NULL;
		mark_of[i - lo] = mi;
		stamp_of[i - lo] = summary_stamp(policy, &ru[i], scratch);
		have[i - lo] = mi && mi->stamp && mi->stored_mark == mi->answers_mark && !strcmp(mi->stamp, stamp_of[i - lo]) &&
		               target_summary_decode(scratch, memo[i]->fw, mi->summary, &sums[i - lo]);
		any_miss |= !have[i - lo];
	}
	/* then the answers of the slice, when some must be scored */
	bulk_answer *ans = NULL;
	size_t na = 0, k = 0;
	if (any_miss && bulk_round_answers(c->d, round_id, ru[lo].as.id, ru[hi - 1].as.id, scratch, &ans, &na) != DB_OK) na = 0;
	for (size_t i = lo; i < hi; i++) {
		/* both ordered by assessment id */
		while (k < na && ans[k].assessment_id < ru[i].as.id) k++;
		size_t k0 = k;
		while (k < na && ans[k].assessment_id == ru[i].as.id) k++;
		if (!use[i - lo] || !memo[i]) continue;
		const framework *fw = memo[i]->fw;
		target_summary *sum = &sums[i - lo];
		if (!have[i - lo]) {
			answer_sheet *sheet = NULL;
			score_result *r = summary_score_one(policy, memo[i], type_of[i - lo], ans + k0, k - k0, scratch, &sheet);
			char *text = target_summary_encode(c->a, fw, r, sheet);
			score_free(r);
			/* the page counts what it stores: the summary read back */
			if (!target_summary_decode(scratch, fw, text, sum)) continue;
			if (mark_of[i - lo])
				c->pending[c->npending++] = (dash_summary_row){ ru[i].as.id, arena_strdup(c->a, stamp_of[i - lo]),
				                                               mark_of[i - lo]->answers_mark, text };
		}
		fn(ctx, i, sum);
	}
	arena_free(scratch);
}

void summary_cache_round(summary_cache *c, int64_t round_id, unit_policy policy, const round_unit *ru, size_t n,
                         const summary_fw *const *memo, summary_fn fn, void *ctx)
{
	pending_reserve(c, n);
	for (size_t lo = 0; lo < n; lo += ANSWER_SLICE)
		round_slice(c, round_id, policy, ru, lo, lo + ANSWER_SLICE < n ? lo + ANSWER_SLICE : n, memo, fn, ctx);
}

void summary_cache_store(summary_cache *c)
{
	if (!c->npending || db_begin_write(c->d) != DB_OK) return;
	if (dash_summaries_put(c->d, c->pending, c->npending) == DB_OK) db_commit(c->d);
	else db_rollback(c->d);
	c->npending = 0;
}
