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
/* One assessment of a round, after assess_carry: u its unit (NULL when it
 * could not be read: rc says why), rc assess_carry's result (DB_ECONFLICT:
 * it keeps its revision, err says why in Vietnamese), r the plan or what
 * was done when rc is DB_OK. Returns false to stop the round. */
typedef bool (*assess_carry_each)(void *ctx, const assessment *as, const unit *u, int rc,
                                  const assess_carry_result *r, const char *err);
typedef struct assess_carry_count {
	size_t n;          /* the round's assessments */
	size_t other;      /* on another framework: not touched */
	size_t done;       /* assess_carry succeeded (dry run: would move) */
	size_t moved;      /* of which moved */
	size_t kept;       /* refused with DB_ECONFLICT: they keep their revision */
} assess_carry_count;
/* Every assessment of round_id on new_fw's framework through assess_carry,
 * in the store's order, each reported to fn (the command line's report,
 * the office's table). The round's own revision is the caller's to set.
 * DB_OK unless the round's assessments could not be listed. */
int assess_carry_round(db *d, const fw_catalog *cat, int64_t actor, int64_t round_id, const framework *new_fw,
                       bool dry_run, arena *a, assess_carry_each fn, void *ctx, assess_carry_count *count);
/* Whether a stored answer is one assess_carry cleared (the school must
 * answer the item again): its reason says why, for the form to show. */
bool assess_carry_cleared(const assessment_answer *an);
#endif
