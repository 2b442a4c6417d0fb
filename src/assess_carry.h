/* assess_carry.h — moving a running assessment to a new revision of its
 * framework (issue 18): the office publishes a correction during a round
 * and moves the assessments that are not yet recognised onto it. The rule
 * of what stays is fw_carry.c's; this applies it to one stored assessment. */
#ifndef CHISO_ASSESS_CARRY_H
#define CHISO_ASSESS_CARRY_H
#include "db.h"
#include "framework.h"
#include "fw_carry.h"
#include "q_assessment.h"

typedef struct assess_carry_result {
	carry_plan side[2];            /* by answer_side: self, external */
	int levels[3];                 /* self, external, recognised after the move (0: none) */
	bool moved;                    /* false: dry run, or already on that revision */
} assess_carry_result;

/* Moves assessment `id` to new_fw (the same framework id, a different
 * revision) in one write transaction: each answer that no longer fits is
 * cleared (a "null" version whose reason names the revision and the
 * change), the revision is changed (compare-and-set), each level it has
 * stored is scored again on the new revision through assess_score, and the
 * plan is audited. DB_ECONFLICT with a Vietnamese message in err when the
 * assessment is recognised (its result keeps its revision) or belongs to
 * another framework. dry_run: the plan only, nothing written. */
int assess_carry(db *d, const fw_catalog *cat, int64_t actor, int64_t id, const framework *new_fw,
                 bool dry_run, arena *a, assess_carry_result *out, buf *err);
/* Whether a stored answer is one assess_carry cleared (the school must
 * answer the item again): its reason says why, for the form to show. */
bool assess_carry_cleared(const assessment_answer *an);
#endif
