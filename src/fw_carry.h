/* fw_carry.h — moving one assessment's answers to a new revision of its
 * framework (a correction published during a round): which answers stay,
 * which are scored by the changed rule, which the school must give again.
 * Pure: the service (assess_carry) reads the answers and stores the result. */
#ifndef CHISO_FW_CARRY_H
#define CHISO_FW_CARRY_H
#include "arena.h"
#include "framework.h"

typedef enum carry_fate {
	CARRY_KEPT,       /* the item is the same in both revisions: the answer stays */
	CARRY_RESCORED,   /* the item changed (points, thresholds, options) but the answer still fits it */
	CARRY_REANSWER,   /* the answer does not fit the new rule: cleared, to be answered again */
	CARRY_NEW,        /* an item the old revision did not have: to be answered */
	CARRY_DROPPED,    /* an answered item the new revision no longer has: kept in history, no longer scored */
	CARRY_FATES
} carry_fate;

/* One stored answer of the assessment: item code and its JSON value. */
typedef struct carry_answer { const char *code, *value_json; } carry_answer;

typedef struct carry_item {
	const char *code, *title;     /* the new revision's title (the old one's for DROPPED) */
	carry_fate fate;
	const char *why;              /* Vietnamese: what changed, or why the answer no longer fits; NULL for KEPT */
} carry_item;

typedef struct carry_plan {
	carry_item *items; size_t n;  /* the new revision's leaves in order, then the dropped ones;
	                               * unanswered unchanged items are not listed */
	size_t count[CARRY_FATES];
} carry_plan;

/* The plan for a unit of type t whose answers under `old` are ans[0..n).
 * Allocated in a. */
void fw_carry_plan(const framework *old, const framework *new_fw, unit_type t,
                   const carry_answer *ans, size_t n, arena *a, carry_plan *out);
/* "giữ nguyên", "chấm lại theo cách mới", "cần trả lời lại", "chỉ tiêu mới", "bỏ khỏi bộ chỉ số" */
const char *carry_fate_name(carry_fate f);
#endif
