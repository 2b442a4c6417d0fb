/* q_derived.h — what an office's derived items (3806 group 2) read: the
 * recognised results of the units it evaluates, in every round of the
 * school year, and when the office last worked on its own assessment.
 *
 * "The units it evaluates" is the dated evaluator relation, read on each
 * round's own date (its self-assessment deadline, else `today`): a school
 * evaluated by the Phòng until 1/7/2025 counts for the Phòng's 2024-2025
 * result, not for the UBND xã or the Sở that took it over. */
#ifndef CHISO_Q_DERIVED_H
#define CHISO_Q_DERIVED_H
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_bulk.h"

typedef struct derived_source {
	int64_t assessment_id, round_id, unit_id;
	const char *unit_code, *unit_name, *unit_type;
	const char *framework_id, *framework_revision;
	int level;                   /* the recognised level (1–3) */
	const char *recognised_at;   /* the latest transition to recognised */
	const char *round_title;
} derived_source;

/* Every assessment of `school_year` recognised or published with a
 * recognised level whose unit `office_id` evaluates on its round's date
 * (`today` for a round without a deadline). By assessment id. */
int derived_sources(db *d, int64_t office_id, const char *school_year, const char *today, arena *a,
                    derived_source **out, size_t *n);
/* The current external answers (latest version per item) of the same
 * assessments: the answers their recognised level was computed from. By
 * assessment id, then item code. */
int derived_answers(db *d, int64_t office_id, const char *school_year, const char *today, arena *a,
                    bulk_answer **out, size_t *n);
/* When an assessment was last worked on by its unit: its latest self
 * answer or state change; *at NULL when neither exists. */
int derived_last_touch(db *d, int64_t assessment_id, arena *a, const char **at);
#endif
