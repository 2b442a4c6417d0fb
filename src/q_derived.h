/* q_derived.h — what an office's derived items (3806 group 2) read: the
 * results of the units it evaluates, in every round of the school year, on
 * the basis and at the date the office chose (recognised, external or
 * self-assessed results, or the first of them a unit has), and when the
 * office last worked on its own assessment.
 *
 * "The units it evaluates" is the dated evaluator relation, read on each
 * round's own date (its self-assessment deadline, else `today`): a school
 * evaluated by the Phòng until 1/7/2025 counts for the Phòng's 2024-2025
 * result, not for the UBND xã or the Sở that took it over. */
#ifndef CHISO_Q_DERIVED_H
#define CHISO_Q_DERIVED_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_bulk.h"

extern const char derived_basis_migration_sql[];

/* The basis of the derived items: which result of each unit counts. The
 * chain takes the recognised result, else the external one, else the
 * self-assessed one (seed 002: the Phòng reports by 31/5 "căn cứ vào kết
 * quả" of its schools, before any recognition on 20/6). */
typedef enum derived_basis {
	DERIVED_RECOGNISED,   /* recognised results only (the default) */
	DERIVED_EXTERNAL,     /* external evaluation results only */
	DERIVED_SELF,         /* approved self-assessment results only */
	DERIVED_CHAIN,        /* recognised, else external, else self */
	DERIVED_BASIS_COUNT
} derived_basis;
const char *derived_basis_code(derived_basis b);    /* "recognition", "external", "self", "chain" */
const char *derived_basis_label(derived_basis b);   /* "Kết quả đã công nhận" … */
bool derived_basis_parse(const char *code, derived_basis *out);

/* What the office chose for its own assessment. */
typedef struct derived_choice {
	derived_basis basis;
	const char *taken_on;        /* results fixed on or before this ISO date; NULL = the day it is read */
	const char *set_at;          /* when it was chosen; NULL = never (the default) */
} derived_choice;

/* The choice stored for an office's assessment; the default (recognised
 * results, read on the day) when none was stored. */
int derived_choice_get(db *d, int64_t assessment_id, arena *a, derived_choice *out);
/* Stores the choice (taken_on NULL or "" = the day it is read). Audited
 * (assessment.derived_basis). */
int derived_choice_set(db *d, int64_t actor, int64_t assessment_id, derived_basis basis, const char *taken_on);

typedef struct derived_source {
	int64_t assessment_id, round_id, unit_id;
	const char *unit_code, *unit_name, *unit_type;
	const char *framework_id, *framework_revision;
	int level;                   /* the level of the result used (1–3) */
	derived_basis used;          /* which result: recognised, external or self */
	const char *recognised_at;   /* when that result was fixed: the latest transition to recognised,
	                              * evaluated or approved on or before the date taken */
	const char *round_title;
} derived_source;

/* Every assessment of `school_year` whose unit `office_id` evaluates on
 * its round's date (`today` for a round without a deadline) and that has a
 * result of the chosen basis fixed on or before ch->taken_on (`today` when
 * NULL): recognised (recognised or published now, with a recognised
 * level), external (evaluated or later, with an external level), self
 * (approved or later and not returned, with a self level). By assessment id. */
int derived_sources(db *d, int64_t office_id, const char *school_year, const char *today,
                    const derived_choice *ch, arena *a, derived_source **out, size_t *n);
/* The current answers of `side` ("external": what recognised and external
 * levels are computed from; "self") of every assessment the office's scope
 * holds in the year. By assessment id, then item code. */
int derived_answers(db *d, int64_t office_id, const char *school_year, const char *today, answer_side side,
                    arena *a, bulk_answer **out, size_t *n);
/* When an assessment was last worked on by its unit: its latest self
 * answer or state change; *at NULL when neither exists. */
int derived_last_touch(db *d, int64_t assessment_id, arena *a, const char **at);
#endif
