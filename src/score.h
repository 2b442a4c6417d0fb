/* score.h — the scoring engine: framework + unit type + answers → points
 * per item, criterion and group, levels, and the unit's level; plus the
 * what-if planner. Pure: no I/O, exact rational arithmetic throughout.
 * Every number carries a one-line Vietnamese explanation. */
#ifndef CHISO_SCORE_H
#define CHISO_SCORE_H
#include "framework.h"

typedef enum unit_policy { POLICY_MIN, POLICY_PER_GROUP_ONLY } unit_policy;
const char *unit_policy_code(unit_policy p);
bool unit_policy_parse(const char *s, unit_policy *out);

typedef struct answer {
	bool present;
	bool yes;                        /* gate, yes_no */
	bool has_points; q points;       /* up_to; alternatives when partial */
	const char *option;              /* alternatives option / tiered tier, "none" */
	const char **missing; size_t nmissing; /* tiered: missing component codes */
	bool has_ratio; q num, den;      /* ratio kinds */
	bool has_value; q value;         /* ratio kinds: value given directly */
	bool has_met; bool met;          /* judged by hand where no threshold is known */
	int64_t count;                   /* count */
	const char *reason;              /* why, for up_to / manual judgements */
	const char *text;                /* info */
} answer;

typedef struct subordinate {         /* a managed unit's recognised result (derived items) */
	const char *code, *name;
	unit_type type;
	int level;                       /* 0 when not recognised */
	bool has_total; q total;
	const char **group_codes; q *group_scores; size_t ngroups;
} subordinate;

typedef struct answer_sheet {
	answer *answers;                 /* indexed by fw_node.leaf_index; fw->nleaves long */
	const subordinate *subs; size_t nsubs;
} answer_sheet;

typedef struct node_score {
	q points, max;
	q raw;                           /* groups: the sum before a failed gate's effect */
	bool answered;                   /* leaves */
	bool manual;                     /* judged by hand (threshold unknown for the type) */
	bool gate_failed;                /* gate leaf not met; group with a failed gate */
	const fw_band *band;             /* criterion's information band; group's level */
	const char *explain;
} node_score;

typedef struct score_result {
	arena *mem;                      /* owns the result */
	const framework *fw;
	unit_type type;
	unit_policy policy;
	node_score *nodes;               /* indexed by fw_node.node_index */
	q total, total_max;              /* basis total: the total; basis groups: sum, for reference */
	const fw_band *level;            /* the unit's level; NULL under per_group_only */
	size_t unanswered;               /* required leaves without an answer */
	const char *level_explain;
	bool provisional;                /* score_derived_only: derived items alone, no level */
} score_result;

/* Can this framework score (complete), and this unit type when t != NULL?
 * When not, says why in err. */
bool score_can_use(const framework *fw, const unit_type *t, buf *err);
/* NULL with a message in err when the framework cannot score this unit
 * (incomplete, or not applicable to the unit type). */
score_result *score_compute(const framework *fw, unit_type t, unit_policy p,
                            const answer_sheet *sheet, buf *err);
/* The same numbers, levels and flags, without the explanations (explain
 * and level_explain may be NULL): for work over many sheets (summaries,
 * verification, the benchmark), several times cheaper. Not for score_whatif
 * callers who show the result. */
score_result *score_compute_numbers(const framework *fw, unit_type t, unit_policy p,
                                    const answer_sheet *sheet, buf *err);
void score_free(score_result *r);

/* Derived items alone (the office's results computed from its units'
 * recognised results), for a framework score_compute refuses because it
 * is incomplete: each derived leaf scored as score_compute would, every
 * other leaf 0 and unscored, gates ignored, each group's provisional sum;
 * total = their sum, total_max = the derived items' maxima, level NULL,
 * provisional true. Never fails. */
score_result *score_derived_only(const framework *fw, const answer_sheet *sheet);
/* Whether subordinate s counts for derived rule r (a recognised level,
 * a counted unit type, the score averaged present), and its value: 1/0
 * for share_at_least_level (reaches the level), the score out of 100 for
 * average_score. */
bool score_derived_input(const fw_rule *r, const subordinate *s, q *value);
/* The rule's share in [0, 1] over the counted units; false (share 0) when
 * none counts. */
bool score_derived_share(const fw_rule *r, const subordinate *subs, size_t nsubs, size_t *counted, q *share);
/* What unit s adds to the rule's points under proportional mode:
 * points × value / counted (÷ 100 for averages); 0 when it does not
 * count or under threshold mode, where parts do not add up. */
q score_derived_part(const fw_rule *r, const subordinate *s, size_t counted);
/* The rule's formula in Vietnamese: "Điểm = 10 × (số đơn vị được công
 * nhận Mức 2 trở lên / số đơn vị đã được công nhận (…))". In arena a. */
const char *score_derived_formula(arena *a, const fw_rule *r);
const node_score *score_node(const score_result *r, const fw_node *n);

/* What-if: for each group (basis groups) or the total (basis total) below
 * the top level, the smallest set of items whose improvement lifts it to
 * the next level; among sets of that size, the one that overshoots least. */
typedef struct whatif_step {
	const fw_node *leaf;
	q gain;                          /* points the step adds (0 for a gate) */
	const char *action;              /* what to do, Vietnamese */
} whatif_step;

typedef struct whatif_plan {
	const fw_node *group;            /* NULL for the total */
	const fw_band *from, *to;
	q current, after;
	bool reachable;
	whatif_step *steps; size_t nsteps;
} whatif_plan;

whatif_plan *score_whatif(score_result *r, size_t *nplans); /* allocated in r->mem */
#endif
