/* fw_carry.c — see fw_carry.h. An answer survives a revision when it still
 * parses under the new rule (answers_parse_one, the very check a save
 * makes); it is "kept" when the rule did not change at all, so the report
 * tells the office which scores may move. */
#include "fw_carry.h"
#include "exact.h"
#include <string.h>
#include "answers.h"
#include "buf.h"

const char *carry_fate_name(carry_fate f)
{
	switch (f) {
	case CARRY_KEPT: return "giữ nguyên";
	case CARRY_RESCORED: return "chấm lại theo cách mới";
	case CARRY_REANSWER: return "cần trả lời lại";
	case CARRY_NEW: return "chỉ tiêu mới";
	case CARRY_DROPPED: return "bỏ khỏi bộ chỉ số";
	case CARRY_FATES: break;
	}
	return "";
}

static bool options_equal(const fw_option *a, size_t na, const fw_option *b, size_t nb)
{
	if (na != nb) return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].code, b[i].code) != 0 || q_cmp(a[i].points, b[i].points) != 0) return false;
	return true;
}

/* Whether two rules score every answer alike (labels and source tags aside). */
static bool rule_equal(const fw_rule *a, const fw_rule *b)
{
	if (a->kind != b->kind || q_cmp(a->points, b->points) != 0 || q_cmp(a->threshold, b->threshold) != 0 ||
	    a->mode != b->mode || a->cmp != b->cmp || a->unit != b->unit || q_cmp(a->deduction, b->deduction) != 0 ||
	    q_cmp(a->floor, b->floor) != 0 || a->gate_effect_set != b->gate_effect_set ||
	    (a->gate_effect_set && a->gate_effect != b->gate_effect) || a->dmeasure != b->dmeasure ||
	    a->dlevel != b->dlevel || strcmp(a->dgroup ? a->dgroup : "", b->dgroup ? b->dgroup : "") != 0)
		return false;
	for (int t = 0; t < UT_COUNT; t++)
		if (a->type_known[t] != b->type_known[t] || a->type_has_threshold[t] != b->type_has_threshold[t] ||
		    (a->type_has_threshold[t] && q_cmp(a->type_threshold[t], b->type_threshold[t]) != 0) ||
		    a->dtypes[t] != b->dtypes[t])
			return false;
	return options_equal(a->options, a->noptions, b->options, b->noptions) &&
	       options_equal(a->components, a->ncomponents, b->components, b->ncomponents);
}

static const char *answer_of(const carry_answer *ans, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ans[i].code, code) == 0)
			return ans[i].value_json && strcmp(ans[i].value_json, "null") != 0 ? ans[i].value_json : NULL;
	return NULL;
}

static carry_item *item_add(carry_plan *p, size_t *cap, arena *a)
{
	if (p->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		carry_item *v = arena_alloc(a, ncap * sizeof *v);
		if (p->n) memcpy(v, p->items, p->n * sizeof *v);
		p->items = v;
		*cap = ncap;
	}
	carry_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* What changed in a leaf whose answer still fits. */
static const char *change_text(const fw_node *o, const fw_node *x, arena *a)
{
	if (o->rule->kind != x->rule->kind)
		return arena_printf(a, "cách chấm đổi từ «%s» sang «%s»", rule_kind_name(o->rule->kind),
		                    rule_kind_name(x->rule->kind));
	if (q_cmp(o->rule->points, x->rule->points) != 0) {
		return arena_printf(a, "điểm tối đa đổi từ %s sang %s", q_to_text(a, o->rule->points, 2, true),
		                    q_to_text(a, x->rule->points, 2, true));
	}
	return "ngưỡng, phương án hoặc cách tính điểm thay đổi";
}

void fw_carry_plan(const framework *old, const framework *new_fw, unit_type t,
                   const carry_answer *ans, size_t n, arena *a, carry_plan *out)
{
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	buf err;
	buf_init(&err);
	for (size_t i = 0; i < new_fw->nleaves; i++) {
		const fw_node *x = new_fw->leaves[i], *o = framework_find(old, x->code);
		const char *value = answer_of(ans, n, x->code);
		carry_fate fate;
		const char *why = NULL;
		if (!o || !o->rule) {
			fate = CARRY_NEW;
		} else if (!value) {
			continue;             /* unanswered before and after: nothing moves */
		} else if (rule_equal(o->rule, x->rule) && x->required == o->required) {
			fate = CARRY_KEPT;
		} else {
			answer parsed;
			buf_reset(&err);
			if (answers_parse_one(new_fw, t, x, value, a, &parsed, &err)) {
				fate = CARRY_RESCORED;
				why = change_text(o, x, a);
			} else {
				fate = CARRY_REANSWER;
				why = arena_printf(a, "%s; câu trả lời cũ không hợp với cách chấm mới", change_text(o, x, a));
			}
		}
		carry_item *it = item_add(out, &cap, a);
		it->code = x->code;
		it->title = x->title;
		it->fate = fate;
		it->why = why;
		out->count[fate]++;
	}
	for (size_t i = 0; i < old->nleaves; i++) {
		const fw_node *o = old->leaves[i], *x = framework_find(new_fw, o->code);
		if ((x && x->rule) || !answer_of(ans, n, o->code)) continue;
		carry_item *it = item_add(out, &cap, a);
		it->code = o->code;
		it->title = o->title;
		it->fate = CARRY_DROPPED;
		out->count[CARRY_DROPPED]++;
	}
	buf_free(&err);
}
