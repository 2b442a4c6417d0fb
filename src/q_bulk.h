/* q_bulk.h — the store read and written a round at a time: what a round
 * summary needs of every assessment (the assessment with its unit, and the
 * current answers it is scored on) in a few statements instead of two per
 * assessment, and a whole answer sheet written in one statement with one
 * audit row (generated data sets, sheet imports). At 50,000 schools the
 * per-assessment path spent its time on round trips, not on the data. */
#ifndef CHISO_Q_BULK_H
#define CHISO_Q_BULK_H
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_assessment.h"

typedef struct round_unit {
	assessment as;
	const char *unit_code, *unit_name, *unit_type;
} round_unit;

/* Every assessment of the round with its unit, by assessment id. */
int bulk_round_units(db *d, int64_t round_id, arena *a, round_unit **out, size_t *n);

typedef struct bulk_answer {
	int64_t assessment_id;
	const char *item_code, *value_json;
} bulk_answer;

/* The current answers (latest version per item) of the round's
 * assessments with ids in [lo_id, hi_id], each of the side its levels are
 * read from: external once an external level is recorded, else self (as
 * page_dash.c scores them). By assessment id, then item code. Ask in
 * slices of a few hundred assessments: PostgreSQL hands over a result
 * whole, so a slice bounds the memory of one call. */
int bulk_round_answers(db *d, int64_t round_id, int64_t lo_id, int64_t hi_id, arena *a,
                       bulk_answer **out, size_t *n);
/* The same for the round's assessments with the n ids given (at most
 * BULK_IDS_MAX): the units a page lists, in one round trip. */
enum { BULK_IDS_MAX = 100 };
int bulk_answers_of(db *d, int64_t round_id, const int64_t *ids, size_t nids, arena *a, bulk_answer **out, size_t *n);
/* Steps a prepared, bound statement whose rows are (assessment_id,
 * item_code, value_json) ordered by assessment, item and version, keeping
 * the last version of each item's run, and finishes it. */
int bulk_read_current(db_stmt *s, arena *a, bulk_answer **out, size_t *n);

/* Stores answers to n items of one assessment at once, each as a new
 * version (the next after the item's current one), with one audit row
 * (answer.put_sheet) holding them all. Values must be JSON; they are
 * stored canonicalised like assessment_answer_put's. All or nothing. */
int bulk_answers_put(db *d, int64_t actor, int64_t assessment_id, answer_side side,
                     const char *const *item_codes, const char *const *values_json, size_t n);
#endif
