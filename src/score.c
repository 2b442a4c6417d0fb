/* score.c — the scoring engine and the what-if planner.
 *
 * Pure: the framework, the unit type and the answers come in, a result
 * allocated in its own arena goes out. Points are exact rationals, so a
 * group at exactly 75 is Mức 2 and one at 75.1 is Mức 3, whatever the
 * ratios that produced them. */
#include "score.h"
#include "exact.h"
#include "util.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *unit_policy_code(unit_policy p) { return p == POLICY_MIN ? "min" : "per_group_only"; }

bool unit_policy_parse(const char *s, unit_policy *out)
{
	if (strcmp(s, "min") == 0) { *out = POLICY_MIN; return true; }
	if (strcmp(s, "per_group_only") == 0) { *out = POLICY_PER_GROUP_ONLY; return true; }
	return false;
}

typedef struct sctx {
	arena *a;
	const framework *fw;
	unit_type type;
	const answer_sheet *sheet;
	node_score *nodes;
	bool derived_only;               /* score_derived_only: other leaves are not scored */
	bool quiet;                      /* numbers only: no explanation is written */
} sctx;

/* An explanation in the result's arena. SAY writes nothing, and evaluates
 * none of its arguments (the numbers formatted for it), when only the
 * numbers are wanted: that is most of the engine's time otherwise. */
static const char *say_text(sctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *say_text(sctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf b;
	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return s;
}
#define SAY(c, ...) ((c)->quiet ? NULL : say_text((c), __VA_ARGS__))

/* "7,5" — points and percentages as Vietnamese readers write them. */
static const char *num(sctx *c, q v)
{
	if (c->quiet) return "";
	return q_to_text(c->a, v, 2, true);
}

static const char *ratio_text(sctx *c, const fw_rule *r, const answer *an, q value)
{
	if (c->quiet) return NULL;
	const char *pct = r->unit == UNIT_PERCENT ? "%" : "";
	if (an->has_ratio)
		return SAY(c, "%lld/%lld = %s%s", (long long)an->num.n / (long long)an->num.d,
		                    (long long)an->den.n / (long long)an->den.d, num(c, value), pct);
	return SAY(c, "%s%s", num(c, value), pct);
}

/* Threshold/proportional scoring shared by ratio, ratio_by_type and count. */
static void score_against(sctx *c, const fw_rule *r, q value, q threshold, const char *what,
                          node_score *ns)
{
	bool ge = r->cmp == CMP_GE;
	bool met = ge ? q_cmp(value, threshold) >= 0 : q_cmp(value, threshold) <= 0;
	const char *pct = (r->kind != RULE_COUNT && r->unit == UNIT_PERCENT) ? "%" : "";
	const char *op = met ? (ge ? "≥" : "≤") : (ge ? "<" : ">");
	if (met) {
		ns->points = r->points;
		ns->explain = SAY(c, "%s %s ngưỡng %s%s: %s/%s điểm", what, op, num(c, threshold), pct,
		                           num(c, r->points), num(c, r->points));
	} else if (r->mode == MODE_PROPORTIONAL && !(value.n == 0 && !ge)) {
		q share = ge ? q_div(value, threshold) : q_div(threshold, value);
		ns->points = q_min(r->points, q_mul(r->points, share));
		ns->explain = SAY(c, "%s %s ngưỡng %s%s, tính theo tỉ lệ: %s × %s = %s/%s điểm", what, op,
		                           num(c, threshold), pct, num(c, r->points),
		                           ge ? SAY(c, "%s/%s", num(c, value), num(c, threshold))
		                              : SAY(c, "%s/%s", num(c, threshold), num(c, value)),
		                           num(c, ns->points), num(c, r->points));
	} else {
		ns->points = q_int(0);
		ns->explain = SAY(c, "%s %s ngưỡng %s%s: 0/%s điểm", what, op, num(c, threshold), pct,
		                           num(c, r->points));
	}
}

static q ratio_value(const fw_rule *r, const answer *an)
{
	if (an->has_value) return an->value;
	return q_ratio(an->num, an->den, r->unit == UNIT_PERCENT ? 100 : 1);
}

static const fw_option *find_option(const fw_option *o, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(o[i].code, code) == 0) return &o[i];
	return NULL;
}

static void score_tiered(sctx *c, const fw_rule *r, const answer *an, node_score *ns)
{
	const fw_option *tier = find_option(r->options, r->noptions, an->option);
	if (!tier) {
		ns->points = q_int(0);
		ns->explain = SAY(c, "Chưa triển khai: 0/%s điểm", num(c, r->points));
		return;
	}
	q pts = q_sub(tier->points, q_mul(r->deduction, q_int((int64_t)an->nmissing)));
	pts = q_min(r->points, q_max(r->floor, pts));
	ns->points = pts;
	if (an->nmissing == 0) {
		ns->explain = SAY(c, "Bậc «%s», đủ các thành phần: %s/%s điểm", tier->label, num(c, pts),
		                           num(c, r->points));
		return;
	}
	buf names;
	buf_init(&names);
	for (size_t i = 0; i < an->nmissing; i++) {
		const fw_option *comp = find_option(r->components, r->ncomponents, an->missing[i]);
		buf_printf(&names, "%s%s", i ? "; " : "", comp ? comp->label : an->missing[i]);
	}
	ns->explain = SAY(c, "Bậc «%s» %s điểm, thiếu %zu thành phần (%s) trừ %s: %s/%s điểm", tier->label,
	                           num(c, tier->points), an->nmissing, buf_str(&names),
	                           num(c, q_mul(r->deduction, q_int((int64_t)an->nmissing))), num(c, pts),
	                           num(c, r->points));
	buf_free(&names);
}

/* A unit without a recognised level (0) has no result yet: it counts
 * for no measure, neither for nor against. */
bool score_derived_input(const fw_rule *r, const subordinate *s, q *value)
{
	if (r->kind != RULE_DERIVED || s->level <= 0 || (r->dtypes_set && !r->dtypes[s->type])) return false;
	if (r->dmeasure == DM_SHARE_AT_LEAST_LEVEL) {
		*value = q_int(s->level >= r->dlevel ? 1 : 0);
		return true;
	}
	if (strcmp(r->dgroup, "total") == 0) {
		if (!s->has_total) return false;
		*value = s->total;
		return true;
	}
	for (size_t g = 0; g < s->ngroups; g++) {
		if (strcmp(s->group_codes[g], r->dgroup) == 0) {
			*value = s->group_scores[g];
			return true;
		}
	}
	return false;
}

bool score_derived_share(const fw_rule *r, const subordinate *subs, size_t nsubs, size_t *counted, q *share)
{
	q sum = q_int(0), v;
	*counted = 0;
	for (size_t i = 0; i < nsubs; i++) {
		if (!score_derived_input(r, &subs[i], &v)) continue;
		(*counted)++;
		sum = q_add(sum, v);
	}
	if (*counted == 0) {
		*share = q_int(0);
		return false;
	}
	*share = q_div(sum, q_int((int64_t)*counted));
	/* averages are of scores out of 100 */
	if (r->dmeasure == DM_AVERAGE_SCORE) *share = q_div(*share, q_int(100));
	return true;
}

q score_derived_part(const fw_rule *r, const subordinate *s, size_t counted)
{
	q v;
	if (r->mode != MODE_PROPORTIONAL || counted == 0 || !score_derived_input(r, s, &v)) return q_int(0);
	if (r->dmeasure == DM_AVERAGE_SCORE) v = q_div(v, q_int(100));
	return q_div(q_mul(r->points, v), q_int((int64_t)counted));
}

static void score_derived(sctx *c, const fw_rule *r, node_score *ns)
{
	const answer_sheet *sh = c->sheet;
	size_t counted = 0, hits = 0;
	q sum = q_int(0), v;
	for (size_t i = 0; i < sh->nsubs; i++) {
		if (!score_derived_input(r, &sh->subs[i], &v)) continue;
		counted++;
		if (r->dmeasure == DM_SHARE_AT_LEAST_LEVEL) hits += v.n != 0;
		else sum = q_add(sum, v);
	}
	ns->answered = true;
	if (counted == 0) {
		ns->points = q_int(0);
		ns->explain = SAY(c, "Chưa có kết quả công nhận của đơn vị trực thuộc: 0/%s điểm",
		                           num(c, r->points));
		return;
	}
	q share;
	const char *what;
	if (r->dmeasure == DM_SHARE_AT_LEAST_LEVEL) {
		share = q_make((int64_t)hits, (int64_t)counted);
		what = SAY(c, "%zu/%zu đơn vị (%s%%) đạt Mức %d trở lên", hits, counted,
		                    num(c, q_mul(share, q_int(100))), r->dlevel);
	} else {
		q avg = q_div(sum, q_int((int64_t)counted));
		share = q_div(avg, q_int(100));   /* subordinate scores are out of 100 */
		what = SAY(c, "điểm trung bình %s của %zu đơn vị là %s/100",
		                    strcmp(r->dgroup, "total") == 0 ? "tổng" : SAY(c, "nhóm %s", r->dgroup),
		                    counted, num(c, avg));
	}
	if (r->mode == MODE_THRESHOLD) {
		bool met = q_cmp(q_mul(share, q_int(100)), r->threshold) >= 0;
		ns->points = met ? r->points : q_int(0);
		ns->explain = SAY(c, "%s, %s ngưỡng %s%%: %s/%s điểm", what, met ? "đạt" : "chưa đạt",
		                           num(c, r->threshold), num(c, ns->points), num(c, r->points));
	} else {
		ns->points = q_min(r->points, q_mul(r->points, share));
		ns->explain = SAY(c, "%s: %s × %s%% = %s/%s điểm", what, num(c, r->points),
		                           num(c, q_mul(share, q_int(100))), num(c, ns->points), num(c, r->points));
	}
}

static void score_leaf(sctx *c, const fw_node *n, node_score *ns)
{
	const fw_rule *r = n->rule;
	const answer *an = &c->sheet->answers[n->leaf_index];
	ns->max = n->max;
	ns->points = q_int(0);
	if (r->kind == RULE_DERIVED) { score_derived(c, r, ns); return; }
	if (c->derived_only) {
		ns->explain = "Chưa chấm: bộ chỉ số chưa hoàn chỉnh";
		return;
	}
	if (r->kind == RULE_INFO) {
		ns->answered = an->present;
		ns->explain = an->present && an->text ? SAY(c, "Thông tin, không tính điểm: %s", an->text)
		                                      : "Thông tin, không tính điểm";
		return;
	}
	if (!an->present) {
		ns->gate_failed = r->kind == RULE_GATE;
		ns->explain = r->kind == RULE_GATE ? "Chưa đánh giá điều kiện bắt buộc: coi như chưa đạt"
		                                   : SAY(c, "Chưa đánh giá: 0/%s điểm", num(c, n->max));
		return;
	}
	ns->answered = true;
	switch (r->kind) {
	case RULE_GATE:
		ns->gate_failed = !an->yes;
		ns->explain = an->yes ? "Đạt điều kiện bắt buộc" : "Không đạt điều kiện bắt buộc";
		break;
	case RULE_YES_NO:
		ns->points = an->yes ? r->points : q_int(0);
		ns->explain = SAY(c, "%s: %s/%s điểm", an->yes ? "Có" : "Không", num(c, ns->points),
		                           num(c, r->points));
		break;
	case RULE_UP_TO:
		ns->points = q_min(an->points, r->points);
		ns->explain = SAY(c, "Chấm %s/%s điểm: %s", num(c, ns->points), num(c, r->points),
		                           an->reason ? an->reason : "");
		break;
	case RULE_ALTERNATIVES: {
		const fw_option *o = find_option(r->options, r->noptions, an->option);
		if (!o) {
			ns->explain = SAY(c, "Không đạt phương án nào: 0/%s điểm", num(c, r->points));
			break;
		}
		ns->points = an->has_points ? q_min(an->points, o->points) : o->points;
		ns->explain = SAY(c, "Phương án «%s» (tối đa %s): %s/%s điểm%s%s", o->label, num(c, o->points),
		                           num(c, ns->points), num(c, r->points), an->reason ? ": " : "",
		                           an->reason ? an->reason : "");
		break;
	}
	case RULE_TIERED:
		score_tiered(c, r, an, ns);
		break;
	case RULE_RATIO: {
		q value = ratio_value(r, an);
		score_against(c, r, value, r->threshold, SAY(c, "Tỉ lệ %s", ratio_text(c, r, an, value)), ns);
		break;
	}
	case RULE_RATIO_BY_TYPE:
		if (r->type_has_threshold[c->type]) {
			q value = ratio_value(r, an);
			score_against(c, r, value, r->type_threshold[c->type],
			              SAY(c, "Tỉ lệ %s (%s)", ratio_text(c, r, an, value), unit_type_name(c->type)), ns);
		} else {
			ns->manual = true;
			ns->points = an->met ? r->points : q_int(0);
			ns->explain = SAY(c, "Chưa có ngưỡng cho %s; người đánh giá xác định %s: %s/%s điểm%s%s",
			                           unit_type_name(c->type), an->met ? "đạt" : "chưa đạt", num(c, ns->points),
			                           num(c, r->points), an->reason ? " — " : "", an->reason ? an->reason : "");
		}
		break;
	case RULE_COUNT:
		score_against(c, r, q_int(an->count), r->threshold,
		              SAY(c, "Số lượng %lld", (long long)an->count), ns);
		break;
	case RULE_INFO:
	case RULE_DERIVED:
	case RULE_KIND_COUNT:
		break;
	}
}

static gate_policy gate_effect_of(const framework *fw, const fw_node *leaf)
{
	return leaf->rule->gate_effect_set ? leaf->rule->gate_effect : fw->gate_effect;
}

/* Sum a node's subtree; returns whether a zeroing gate failed inside. */
static void score_subtree(sctx *c, const fw_node *n, bool *zeroing_gate, bool *flag_gate)
{
	node_score *ns = &c->nodes[n->node_index];
	if (n->rule) {
		score_leaf(c, n, ns);
		if (ns->gate_failed && !c->derived_only) {
			if (gate_effect_of(c->fw, n) == GATE_ZERO_GROUP) *zeroing_gate = true;
			else *flag_gate = true;
		}
		return;
	}
	q sum = q_int(0);
	for (size_t i = 0; i < n->nchildren; i++) {
		score_subtree(c, &n->children[i], zeroing_gate, flag_gate);
		sum = q_add(sum, c->nodes[n->children[i].node_index].points);
	}
	ns->max = n->max;
	ns->points = q_min(sum, n->max);   /* a node never exceeds its maximum */
	ns->raw = ns->points;
	if (n->kind == NODE_CRITERION) {
		if (n->nbands) ns->band = band_for(n->bands, n->nbands, ns->points);
		ns->explain = SAY(c, "Tổng tiêu chí %s: %s/%s điểm%s%s", n->code, num(c, ns->points),
		                           num(c, n->max), ns->band ? " — mức độ tiêu chí: " : "",
		                           ns->band ? ns->band->name : "");
	}
}

static const char *level_text(sctx *c, const fw_band *b)
{
	if (!b) return "chưa xếp mức";
	return b->label ? SAY(c, "%s (%s)", b->name, b->label) : b->name;
}

bool score_can_use(const framework *fw, const unit_type *t, buf *err)
{
	if (!fw->complete) {
		buf_printf(err, "Bộ chỉ số %s chưa hoàn chỉnh (incomplete): chưa thể chấm điểm. "
		           "Quản trị viên cần bổ sung các tiêu chí còn thiếu và công bố phiên bản mới.\n", fw->id);
		return false;
	}
	if (t && !fw->unit_types[*t]) {
		buf_printf(err, "Bộ chỉ số %s không áp dụng cho loại hình %s.\n", fw->id, unit_type_name(*t));
		return false;
	}
	return true;
}

static score_result *compute(const framework *fw, unit_type t, unit_policy p, const answer_sheet *sheet, bool quiet,
                             buf *err)
{
	if (!score_can_use(fw, &t, err)) return NULL;
	arena *a = arena_new();
	score_result *r = arena_alloc(a, sizeof *r);
	r->mem = a;
	r->fw = fw;
	r->type = t;
	r->policy = p;
	r->nodes = arena_alloc(a, (fw->nnodes ? fw->nnodes : 1) * sizeof *r->nodes);
	sctx c = { .a = a, .fw = fw, .type = t, .sheet = sheet, .nodes = r->nodes, .quiet = quiet };

	r->total = q_int(0);
	r->total_max = q_int(0);
	const fw_band *lowest = NULL;
	bool all_levels = true;
	for (size_t g = 0; g < fw->ngroups; g++) {
		const fw_node *gn = &fw->groups[g];
		node_score *gs = &r->nodes[gn->node_index];
		bool zeroing = false, flagged = false;
		score_subtree(&c, gn, &zeroing, &flagged);
		gs->gate_failed = zeroing || flagged;
		if (zeroing) gs->points = q_int(0);
		r->total = q_add(r->total, gs->points);
		r->total_max = q_add(r->total_max, gn->max);
		const char *gate_note = zeroing ? " — không đạt điều kiện bắt buộc nên nhóm không có điểm"
		                      : flagged ? " — lưu ý: có điều kiện bắt buộc chưa đạt" : "";
		if (fw->basis == BASIS_GROUPS) {
			gs->band = band_for(fw->levels, fw->nlevels, gs->points);
			gs->explain = SAY(&c, "Nhóm %s: %s/%s điểm%s → %s", gn->code, num(&c, gs->points),
			                           num(&c, gn->max), gate_note, level_text(&c, gs->band));
			if (!lowest || gs->band->level < lowest->level) lowest = gs->band;
		} else {
			gs->explain = SAY(&c, "Phần %s: %s/%s điểm%s", gn->code, num(&c, gs->points),
			                           num(&c, gn->max), gate_note);
		}
		(void)all_levels;
	}
	if (fw->basis == BASIS_TOTAL) {
		r->total_max = fw->total_max;
		r->level = band_for(fw->levels, fw->nlevels, r->total);
		r->level_explain = SAY(&c, "Tổng điểm %s/%s → %s", num(&c, r->total), num(&c, r->total_max),
		                                level_text(&c, r->level));
	} else if (p == POLICY_MIN) {
		r->level = lowest;
		r->level_explain = SAY(&c, "Mức của đơn vị là mức thấp nhất của các nhóm: %s",
		                                level_text(&c, r->level));
	} else {
		r->level = NULL;
		r->level_explain = quiet ? NULL : "Xếp mức theo từng nhóm tiêu chí, không gộp thành một mức chung";
	}
	for (size_t i = 0; i < fw->nleaves; i++)
		if (fw->leaves[i]->required && !r->nodes[fw->leaves[i]->node_index].answered) r->unanswered++;
	return r;
}

score_result *score_compute(const framework *fw, unit_type t, unit_policy p, const answer_sheet *sheet, buf *err)
{
	return compute(fw, t, p, sheet, false, err);
}

score_result *score_compute_numbers(const framework *fw, unit_type t, unit_policy p, const answer_sheet *sheet, buf *err)
{
	return compute(fw, t, p, sheet, true, err);
}

score_result *score_derived_only(const framework *fw, const answer_sheet *sheet)
{
	arena *a = arena_new();
	score_result *r = arena_alloc(a, sizeof *r);
	r->mem = a;
	r->fw = fw;
	r->type = UT_PHONG;
	r->provisional = true;
	r->nodes = arena_alloc(a, (fw->nnodes ? fw->nnodes : 1) * sizeof *r->nodes);
	sctx c = { .a = a, .fw = fw, .type = UT_PHONG, .sheet = sheet, .nodes = r->nodes, .derived_only = true };
	r->total = q_int(0);
	r->total_max = q_int(0);
	for (size_t g = 0; g < fw->ngroups; g++) {
		const fw_node *gn = &fw->groups[g];
		node_score *gs = &r->nodes[gn->node_index];
		bool zeroing = false, flagged = false;
		score_subtree(&c, gn, &zeroing, &flagged);
		gs->explain = arena_printf(a, "Phần %s: %s/%s điểm (tạm tính)", gn->code, num(&c, gs->points), num(&c, gn->max));
		r->total = q_add(r->total, gs->points);
	}
	for (size_t i = 0; i < fw->nleaves; i++)
		if (fw->leaves[i]->rule->kind == RULE_DERIVED) r->total_max = q_add(r->total_max, fw->leaves[i]->max);
	r->level = NULL;
	r->level_explain = arena_printf(a, "Bộ chỉ số %s chưa hoàn chỉnh: chỉ tạm tính các mục suy ra từ kết quả "
	                                "các đơn vị trực thuộc (%s/%s điểm), chưa có tổng điểm và chưa xếp mức",
	                                fw->id, num(&c, r->total), num(&c, r->total_max));
	return r;
}

const char *score_derived_formula(arena *a, const fw_rule *r)
{
	sctx c = { .a = a };
	const char *types = "";
	if (r->dtypes_set) {
		buf b;
		buf_init(&b);
		for (int t = 0; t < UT_COUNT; t++)
			if (r->dtypes[t]) buf_printf(&b, "%s%s", b.len ? ", " : "", unit_type_name((unit_type)t));
		types = arena_printf(a, " (%s)", buf_str(&b));
		buf_free(&b);
	}
	const char *share;
	if (r->dmeasure == DM_SHARE_AT_LEAST_LEVEL)
		share = arena_printf(a, "số đơn vị được công nhận Mức %d trở lên / số đơn vị đã được công nhận%s", r->dlevel, types);
	else
		share = arena_printf(a, "điểm trung bình %s của các đơn vị đã được công nhận%s / 100",
		                     strcmp(r->dgroup, "total") == 0 ? "tổng" : arena_printf(a, "nhóm %s", r->dgroup), types);
	if (r->mode == MODE_THRESHOLD)
		return arena_printf(a, "Điểm = %s nếu (%s) × 100%% ≥ %s%%, nếu không thì 0", num(&c, r->points), share,
		                    num(&c, r->threshold));
	return arena_printf(a, "Điểm = %s × (%s)", num(&c, r->points), share);
}

void score_free(score_result *r)
{
	if (r) arena_free(r->mem);
}

const node_score *score_node(const score_result *r, const fw_node *n)
{
	return &r->nodes[n->node_index];
}

/* ---- what-if --------------------------------------------------------------- */

typedef struct cand {
	const fw_node *leaf;
	q gain;
} cand;

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	int c = q_cmp(y->gain, x->gain);   /* larger gain first */
	return c ? c : (x->leaf->leaf_index > y->leaf->leaf_index) - (x->leaf->leaf_index < y->leaf->leaf_index);
}

static bool reaches(q score, const fw_band *to)
{
	return to->has_from ? q_cmp(score, to->from) >= 0 : q_cmp(score, to->above) > 0;
}

/* Among subsets of exactly k candidates that reach the band, the one with
 * the smallest total gain (least overshoot). Candidates are few (a group
 * has at most a few dozen items) and k is small; a branch stops as soon as
 * it cannot beat the best. */
typedef struct search {
	const cand *c;
	size_t n, k;
	q base;
	const fw_band *to;
	size_t *pick, *best;
	q best_sum;
	bool found;
} search;

static void search_dfs(search *s, size_t start, size_t depth, q sum)
{
	if (s->found && q_cmp(sum, s->best_sum) >= 0) return;
	if (depth == s->k) {
		if (reaches(q_add(s->base, sum), s->to)) {
			s->found = true;
			s->best_sum = sum;
			memcpy(s->best, s->pick, s->k * sizeof *s->pick);
		}
		return;
	}
	/* the remaining picks take the largest gains still available: if even
	 * that cannot reach, nothing from here on can */
	q optimistic = sum;
	for (size_t i = start; i < start + (s->k - depth) && i < s->n; i++) optimistic = q_add(optimistic, s->c[i].gain);
	if (!reaches(q_add(s->base, optimistic), s->to)) return;
	for (size_t i = start; i + (s->k - depth) <= s->n; i++) {
		s->pick[depth] = i;
		search_dfs(s, i + 1, depth + 1, q_add(sum, s->c[i].gain));
	}
}

static const char *action_for(sctx *c, const fw_node *leaf)
{
	const fw_rule *r = leaf->rule;
	switch (r->kind) {
	case RULE_GATE: return "Đáp ứng điều kiện bắt buộc";
	case RULE_YES_NO: return "Triển khai để đạt «Có»";
	case RULE_UP_TO: return arena_printf(c->a, "Hoàn thiện để đạt tối đa %s điểm", num(c, r->points));
	case RULE_ALTERNATIVES: {
		const fw_option *best = &r->options[0];
		for (size_t i = 1; i < r->noptions; i++) if (q_cmp(r->options[i].points, best->points) > 0) best = &r->options[i];
		return arena_printf(c->a, "Đạt phương án «%s»", best->label);
	}
	case RULE_TIERED: {
		const fw_option *best = &r->options[0];
		for (size_t i = 1; i < r->noptions; i++) if (q_cmp(r->options[i].points, best->points) > 0) best = &r->options[i];
		return arena_printf(c->a, "Đạt bậc «%s», đủ các thành phần", best->label);
	}
	case RULE_RATIO:
		return arena_printf(c->a, "Đạt tỉ lệ %s %s%s", r->cmp == CMP_GE ? "≥" : "≤", num(c, r->threshold),
		                    r->unit == UNIT_PERCENT ? "%" : "");
	case RULE_RATIO_BY_TYPE:
		if (r->type_has_threshold[c->type])
			return arena_printf(c->a, "Đạt tỉ lệ %s %s%s (%s)", r->cmp == CMP_GE ? "≥" : "≤",
			                    num(c, r->type_threshold[c->type]), r->unit == UNIT_PERCENT ? "%" : "",
			                    unit_type_name(c->type));
		return "Đạt yêu cầu (người đánh giá xác định)";
	case RULE_COUNT: return arena_printf(c->a, "Đạt ít nhất %s", num(c, r->threshold));
	case RULE_INFO: case RULE_DERIVED: case RULE_KIND_COUNT: break;
	}
	return "";
}

static void collect_cands(const score_result *r, const fw_node *n, cand *out, size_t *nc, const fw_node **gates, size_t *ng)
{
	if (n->rule) {
		const node_score *ns = &r->nodes[n->node_index];
		if (n->rule->kind == RULE_GATE) {
			if (ns->gate_failed && gate_effect_of(r->fw, n) == GATE_ZERO_GROUP) gates[(*ng)++] = n;
			return;
		}
		if (n->rule->kind == RULE_INFO || n->rule->kind == RULE_DERIVED) return;
		q gain = q_sub(n->max, ns->points);
		if (gain.n > 0) out[(*nc)++] = (cand){ n, gain };
		return;
	}
	for (size_t i = 0; i < n->nchildren; i++) collect_cands(r, &n->children[i], out, nc, gates, ng);
}

/* Raw points of a group's subtree ignoring gates, as the candidates see it. */
static void plan_for(sctx *c, score_result *r, const fw_node **groups, size_t ngroups, q current, q raw,
                     const fw_band *from, whatif_plan *plan)
{
	const framework *fw = r->fw;
	plan->from = from;
	plan->to = &fw->levels[from->level];   /* levels are numbered 1..n in order */
	plan->current = current;
	cand *cands = arena_alloc(c->a, (fw->nleaves + 1) * sizeof *cands);
	const fw_node **gates = arena_alloc(c->a, (fw->nleaves + 1) * sizeof *gates);
	size_t nc = 0, ng = 0;
	for (size_t g = 0; g < ngroups; g++) collect_cands(r, groups[g], cands, &nc, gates, &ng);
	sort_list(cands, nc, sizeof *cands, cand_cmp);

	/* Failed zeroing gates must be met first: they restore the raw sum. */
	q base = raw;
	size_t k = 0;
	q acc = base;
	while (k < nc && !reaches(acc, plan->to)) acc = q_add(acc, cands[k++].gain);
	plan->reachable = reaches(acc, plan->to);
	size_t *pick = arena_alloc(c->a, (k + 1) * sizeof *pick), *best = arena_alloc(c->a, (k + 1) * sizeof *best);
	search s = { .c = cands, .n = nc, .k = k, .base = base, .to = plan->to, .pick = pick, .best = best };
	if (plan->reachable) search_dfs(&s, 0, 0, q_int(0));
	size_t nsteps = ng + (plan->reachable ? k : nc);
	plan->steps = arena_alloc(c->a, (nsteps + 1) * sizeof *plan->steps);
	for (size_t i = 0; i < ng; i++)
		plan->steps[plan->nsteps++] = (whatif_step){ gates[i], q_int(0), action_for(c, gates[i]) };
	q after = base;
	for (size_t i = 0; i < (plan->reachable ? k : nc); i++) {
		const cand *cd = &cands[plan->reachable ? best[i] : i];
		plan->steps[plan->nsteps++] = (whatif_step){ cd->leaf, cd->gain, action_for(c, cd->leaf) };
		after = q_add(after, cd->gain);
	}
	plan->after = after;
}

whatif_plan *score_whatif(score_result *r, size_t *nplans)
{
	const framework *fw = r->fw;
	sctx c = { .a = r->mem, .fw = fw, .type = r->type, .nodes = r->nodes };
	whatif_plan *plans = arena_alloc(r->mem, (fw->ngroups + 1) * sizeof *plans);
	*nplans = 0;
	if (fw->basis == BASIS_TOTAL) {
		if (r->level && (size_t)r->level->level < fw->nlevels) {
			const fw_node **gs = arena_alloc(r->mem, fw->ngroups * sizeof *gs);
			q raw = q_int(0);
			for (size_t g = 0; g < fw->ngroups; g++) {
				gs[g] = &fw->groups[g];
				raw = q_add(raw, r->nodes[fw->groups[g].node_index].raw);
			}
			plan_for(&c, r, gs, fw->ngroups, r->total, raw, r->level, &plans[(*nplans)++]);
		}
		return plans;
	}
	for (size_t g = 0; g < fw->ngroups; g++) {
		const fw_node *gn = &fw->groups[g];
		const node_score *gs = &r->nodes[gn->node_index];
		if (!gs->band || (size_t)gs->band->level >= fw->nlevels) continue;
		whatif_plan *p = &plans[(*nplans)++];
		p->group = gn;
		plan_for(&c, r, &gn, 1, gs->points, gs->raw, gs->band, p);
	}
	return plans;
}
