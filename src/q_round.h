/* q_round.h — assessment rounds (đợt đánh giá): opened by an office for a
 * school year with a framework version per unit type, deadlines, the level
 * policy and targets; the units it covers get one assessment each; the
 * external team's split of units among evaluators. */
#ifndef CHISO_Q_ROUND_H
#define CHISO_Q_ROUND_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

/* Not "round": that is math.h's function. */
typedef struct round_row {
	int64_t id;
	int64_t office_unit_id;
	const char *school_year;   /* "2024-2025" */
	const char *title;
	const char *policy;        /* "min" | "per_group_only" */
	const char *self_due;      /* ISO dates, NULL = none */
	const char *report_due;
	const char *external_due;
	const char *state;         /* "open" | "closed" */
	bool include_managed;      /* round_open: also the units the office manages (read: round_includes_managed) */
} round_row;

typedef struct round_framework {
	const char *unit_type;     /* q_unit.h type code */
	const char *framework_id;
	const char *framework_revision;
} round_framework;

typedef struct round_target {
	int64_t id;
	const char *kind;          /* "level_share" | "indicator" */
	const char *unit_type;     /* NULL = all types */
	int level;                 /* level_share: units at Mức ≥ level (1–3) */
	const char *item_code;     /* indicator: the framework item */
	int share_percent;         /* 0–100 */
	const char *label;         /* "Phòng học có thiết bị trình chiếu và Internet" */
} round_target;

/* Opens a round. The office must be an office-type unit; school_year is
 * "YYYY-YYYY+1"; dates are ISO; at least one framework. One transaction,
 * one audit row (round.open) carrying the whole definition. */
int round_open(db *d, int64_t actor, const round_row *r, const round_framework *fw, size_t nfw,
               const round_target *targets, size_t ntargets, int64_t *id);
int round_get(db *d, int64_t id, arena *a, round_row *out);
/* The reader of round_get's columns (id, office_unit_id, school_year,
 * title, policy, self_due, report_due, external_due, state), for a joined
 * row read through db_col_base. */
void round_read_row(db_stmt *s, arena *a, round_row *out);
int round_list_for_office(db *d, int64_t office_unit_id, arena *a, round_row **out, size_t *n);
/* The rounds of other offices (the Sở's, a former Phòng's) in which units
 * that `office` manages take part, the managing relation taken on each
 * round's self-assessment deadline: what a commune or ward follows. */
int round_list_managed(db *d, int64_t office, arena *a, round_row **out, size_t *n);
/* Every office's rounds, open ones first, then the latest school year
 * (at most `limit`): the round select of the administration pages. */
int round_list_all(db *d, size_t limit, arena *a, round_row **out, size_t *n);
int round_frameworks(db *d, int64_t round_id, arena *a, round_framework **out, size_t *n);
/* Every unit type of the round on framework_id takes `revision` (after its
 * assessments moved to it: assess_carry): units added later start on it. Audited. */
int round_framework_set_revision(db *d, int64_t actor, int64_t round_id, const char *framework_id, const char *revision);
/* The framework a unit type is assessed with in this round; DB_ENOTFOUND
 * when the round does not cover that type. */
int round_framework_for(db *d, int64_t round_id, const char *unit_type, arena *a,
                        round_framework *out);
int round_targets(db *d, int64_t round_id, arena *a, round_target **out, size_t *n);
int round_set_deadlines(db *d, int64_t actor, int64_t round_id, const char *self_due,
                        const char *report_due, const char *external_due);
int round_close(db *d, int64_t actor, int64_t round_id);

extern const char round_managed_migration_sql[];
/* *yes: the round also takes the units its office manages directly
 * (round_open with include_managed), not only those it evaluates. */
int round_includes_managed(db *d, int64_t round_id, bool *yes);

/* Creates the missing assessments of the round: one per unit the office
 * evaluates on `date` — and, when the round includes managed units, one
 * per unit it manages directly on `date` — whose type has a framework in
 * the round, and one
 * for the office itself when its own type has one (its self-assessment
 * under 3806, docs/office.md). Idempotent.
 * *created / *skipped (units of a type without framework) may be NULL. */
int round_add_units(db *d, int64_t actor, int64_t round_id, const char *date, int *created,
                    int *skipped);

typedef struct evaluator_assignment {
	int64_t round_id, unit_id, account_id;
	bool lead;                 /* trưởng đoàn for this unit */
} evaluator_assignment;

/* The external team's split: account judges unit in round (lead = team
 * head for that unit). Re-assigning updates the lead flag. Audited. */
int round_assign_evaluator(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                           int64_t account_id, bool lead);
int round_unassign_evaluator(db *d, int64_t actor, int64_t round_id, int64_t unit_id,
                             int64_t account_id);
int round_evaluators(db *d, int64_t round_id, int64_t unit_id, arena *a,
                     evaluator_assignment **out, size_t *n);
/* Whether account is assigned to unit in round, and as lead. */
int round_evaluator_of(db *d, int64_t round_id, int64_t unit_id, int64_t account_id,
                       bool *assigned, bool *lead);
#endif
