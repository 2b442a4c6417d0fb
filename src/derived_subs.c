/* derived_subs.c — the subordinates of an office's own assessment
 * (derived_subs.h): what q_derived.c reads, scored with the engine.
 * Moved here from web_derived.c so that the documents score the office's
 * assessment exactly as its page does. */
#include "derived_subs.h"
#include "assess.h"
#include <string.h>

bool framework_has_derived(const framework *fw)
{
	for (size_t i = 0; fw && i < fw->nleaves; i++)
		if (fw->leaves[i]->rule->kind == RULE_DERIVED) return true;
	return false;
}

/* One counted unit → the engine's subordinate: the level of the result
 * used and its scores per group (and total) from the answers it came
 * from. false when its framework version or unit type is unknown here. */
static bool to_subordinate(const fw_catalog *cat, arena *a, const derived_source *s, const bulk_answer *ans, size_t nans,
                           subordinate *out)
{
	memset(out, 0, sizeof *out);
	unit_type t;
	if (!unit_type_parse(s->unit_type, &t)) return false;
	const framework *fw = fw_catalog_find(cat, arena_printf(a, "%s@%s", s->framework_id, s->framework_revision));
	if (!fw) return false;
	out->code = s->unit_code;
	out->name = s->unit_name;
	out->type = t;
	out->level = s->level;
	assess_sheet sheet;
	assess_sheet_init(&sheet, fw, t, a);
	for (size_t i = 0; i < nans; i++) assess_sheet_put_code(&sheet, ans[i].item_code, ans[i].value_json, NULL);
	score_result *r = assess_sheet_score(&sheet, POLICY_MIN, NULL);
	if (r) {
		out->group_codes = arena_alloc(a, (fw->ngroups + 1) * sizeof *out->group_codes);
		out->group_scores = arena_alloc(a, (fw->ngroups + 1) * sizeof *out->group_scores);
		for (size_t g = 0; g < fw->ngroups; g++) {
			out->group_codes[g] = fw->groups[g].code;
			out->group_scores[g] = score_node(r, &fw->groups[g])->points;
		}
		out->ngroups = fw->ngroups;
		if (fw->basis == BASIS_TOTAL) {
			out->has_total = true;
			out->total = r->total;
		}
		score_free(r);
	}
	return true;
}

/* The answers of one side, by assessment id, walked alongside the
 * sources (also by assessment id). */
typedef struct answer_walk {
	bulk_answer *v;
	size_t n, k;
} answer_walk;

static void walk_to(answer_walk *aw, int64_t id, size_t *from, size_t *count)
{
	while (aw->k < aw->n && aw->v[aw->k].assessment_id < id) aw->k++;
	*from = aw->k;
	while (aw->k < aw->n && aw->v[aw->k].assessment_id == id) aw->k++;
	*count = aw->k - *from;
}

int derived_subs_load(db *d, const fw_catalog *cat, arena *a, int64_t assessment_id, int64_t office_id,
                      const char *school_year, const char *today, derived_subs *out)
{
	memset(out, 0, sizeof *out);
	derived_source *src = NULL;
	answer_walk ext = { 0 }, self = { 0 };
	size_t nsrc = 0;
	int rc = derived_choice_get(d, assessment_id, a, &out->choice);
	bool want_self = out->choice.basis == DERIVED_SELF || out->choice.basis == DERIVED_CHAIN;
	bool want_ext = out->choice.basis != DERIVED_SELF;
	out->on = out->choice.taken_on ? out->choice.taken_on : today;
	if (!rc) rc = derived_sources(d, office_id, school_year, today, &out->choice, a, &src, &nsrc);
	if (!rc && want_ext) rc = derived_answers(d, office_id, school_year, today, ANSWER_EXTERNAL, a, &ext.v, &ext.n);
	if (!rc && want_self) rc = derived_answers(d, office_id, school_year, today, ANSWER_SELF, a, &self.v, &self.n);
	if (rc != DB_OK) return rc;
	out->subs = arena_alloc(a, (nsrc + 1) * sizeof *out->subs);
	out->src = arena_alloc(a, (nsrc + 1) * sizeof *out->src);
	for (size_t i = 0; i < nsrc; i++) {
		size_t ef = 0, en = 0, sf = 0, sn = 0;
		walk_to(&ext, src[i].assessment_id, &ef, &en);
		walk_to(&self, src[i].assessment_id, &sf, &sn);
		bool by_self = src[i].used == DERIVED_SELF;
		const bulk_answer *ans = by_self ? (self.v ? &self.v[sf] : NULL) : (ext.v ? &ext.v[ef] : NULL);
		if (!to_subordinate(cat, a, &src[i], ans, by_self ? sn : en, &out->subs[out->n])) continue;
		out->src[out->n++] = src[i];
	}
	return DB_OK;
}
