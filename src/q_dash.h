/* q_dash.h — what the round summary (page_dash.c) reads besides the
 * units and their answers (q_bulk.h): when the round opened, when its
 * assessments first reached each stage, and the same units' levels in
 * earlier school years. */
#ifndef CHISO_Q_DASH_H
#define CHISO_Q_DASH_H
#include <stdint.h>
#include "arena.h"
#include "db.h"

/* When the round was opened (ISO timestamp, UTC). */
int dash_round_opened(db *d, int64_t round_id, arena *a, char **out);

/* The first time each assessment of the round reached each of these
 * states, counted per hour: "YYYY-MM-DDTHH" (UTC), the state, how many. */
typedef struct dash_stage_count {
	const char *hour;
	const char *state;
	int64_t count;
} dash_stage_count;
int dash_stage_counts(db *d, int64_t round_id, arena *a, dash_stage_count **out, size_t *n);

/* The round's units in rounds of earlier school years, whichever office
 * ran them (matched by unit id: a school keeps its id when its evaluator
 * changes, e.g. from a dissolved Phòng to the commune on 1/7/2025). The
 * level that counts there (recognised, else external, else self; 0 =
 * none). Ordered by school year, unit id, round id: the last row of a
 * (year, unit) run is the unit's latest round of that year. */
typedef struct dash_history_row {
	const char *school_year;
	int64_t unit_id;
	const char *code, *name, *type;
	int level;
	int64_t round_id;
	const char *office;               /* the earlier round's office */
} dash_history_row;
int dash_history(db *d, int64_t round_id, const char *school_year, arena *a, dash_history_row **out, size_t *n);

/* Migration 9: score_summaries, each assessment's score in short
 * (target_summary_encode) as the round summary last computed it. */
extern const char dash_migration_sql[];

/* For the round's assessments with ids in [lo_id, hi_id], by id: the
 * highest answer id of the side the summary scores (external once an
 * external level is recorded, else self; 0 = no answer) and the stored
 * summary, if any. Answers are never updated or deleted, only added, so
 * the same highest id means the same answers. */
typedef struct dash_mark {
	int64_t assessment_id;
	int64_t answers_mark;
	const char *stamp;                /* NULL: no summary stored */
	int64_t stored_mark;
	const char *summary;
} dash_mark;
int dash_marks(db *d, int64_t round_id, int64_t lo_id, int64_t hi_id, arena *a, dash_mark **out, size_t *n);

/* Stores (replaces) the summaries of n assessments. A cache: no audit row. */
typedef struct dash_summary_row {
	int64_t assessment_id;
	const char *stamp;
	int64_t answers_mark;
	const char *summary;
} dash_summary_row;
int dash_summaries_put(db *d, const dash_summary_row *rows, size_t n);
#endif
