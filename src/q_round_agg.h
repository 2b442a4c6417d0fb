/* q_round_agg.h — the round summary's aggregates, kept up to date by every
 * write that moves them (round_agg.h computes them; this file stores them).
 *
 * round_agg_units: per assessment, its contribution: its cell (framework
 * version, unit type, level that counts), its total as an ordering key
 * and its score in short (target_summary_encode).
 * round_agg_cells: per round and cell, the sum of its units' contributions
 * (round_agg.c's text). round_agg_rounds: the scoring stamp the round's
 * aggregates were built with; a round without a row (or with another
 * stamp) is not summarised from them. */
#ifndef CHISO_Q_ROUND_AGG_H
#define CHISO_Q_ROUND_AGG_H
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_bulk.h"
#include "q_dash.h"

extern const char round_agg_migration_sql[];
extern const char round_agg_settle_migration_sql[], round_agg_settle_migration_pg[];

/* The hook the store calls, inside its write transaction, after a write
 * that may move an assessment's contribution (an answer saved, a level
 * set, a revision carried, an assessment created). round_agg.c installs
 * the service's; without one the round's aggregates are marked stale
 * instead (the summary then reads every unit until they are rebuilt). */
typedef int (*round_agg_hook_fn)(db *d, int64_t assessment_id);
void round_agg_set_hook(round_agg_hook_fn fn);
int round_agg_changed(db *d, int64_t assessment_id);

/* An answer save (q_assessment.c's pipelined batch) cannot run the hook
 * inside its transaction: there is no turn of the client in it. It marks
 * the assessment instead, in the same transaction (agg_dirty_stmt: a row
 * of round_agg_dirty, so a crash never loses the fact), and after its
 * commit calls round_agg_saved, which touches the assessment and clears
 * the mark in a short write transaction of its own — at once, or, in a
 * request of `chiso serve` (round_agg_defer), once per assessment after
 * the request's own work (round_agg_settle_deferred, which returns the
 * round trips it cost). Inside a caller's transaction the hook runs in it.
 * Without a hook the mark stays; the server's background thread applies
 * what marks are left (round_agg_apply_marks) and the summary page reads
 * every unit of a round that has any (agg_round_dirty). A settle that
 * fails leaves its mark and is not the save's failure. */
db_stmt *agg_dirty_stmt(db *d, int64_t assessment_id);
int round_agg_saved(db *d, int64_t assessment_id);
/* The settle without the write lock held across its reads (round_agg.c
 * installs it with the hook): true when the assessment is counted (or a
 * later save's settle will count it), false (error cleared) when the
 * caller must take the locked path. */
typedef bool (*round_agg_settle_fn)(db *d, int64_t assessment_id);
void round_agg_set_settle(round_agg_settle_fn fn);
/* Its one write: the mark of transaction `seq` cleared, the unit `was`
 * becomes `now` (same round and cell) and its cell moves by `delta`
 * (a "d1;…" body; NULL: unchanged), or nothing when the mark is no longer
 * `seq`'s; fails (DB_EBUSY) when the unit is no longer `was`. PostgreSQL. */
typedef struct agg_settle {
	int64_t assessment_id, seq;
	const struct agg_member *was, *now;
	const char *delta;
} agg_settle;
db_stmt *agg_settle_stmt(db *d, const agg_settle *st);
void round_agg_defer(void);
bool round_agg_deferred(void);   /* any assessment waiting */
int64_t round_agg_settle_deferred(db *d);
int agg_dirty_clear(db *d, int64_t assessment_id);
/* The marked assessments, at most `limit`, in id order. */
int agg_dirty_ids(db *d, size_t limit, arena *a, int64_t **out, size_t *n);
/* Whether an assessment of the round is marked. */
int agg_round_dirty(db *d, int64_t round_id, bool *any);

typedef struct agg_member {
	int64_t assessment_id, round_id;
	const char *cell;                 /* "framework@revision|unit type|level" */
	const char *unit_type, *unit_code;
	int level;
	int64_t total_key;                /* total × 10^6, rounded: ordering only */
	const char *summary;              /* target_summary_encode's text */
} agg_member;

int agg_member_put(db *d, const agg_member *m);
int agg_member_delete(db *d, int64_t assessment_id);
int agg_members(db *d, int64_t round_id, arena *a, agg_member **out, size_t *n);

typedef struct agg_cell_row {
	const char *cell;
	int64_t units;
	const char *body;
} agg_cell_row;

int agg_cell_get(db *d, int64_t round_id, const char *cell, arena *a, agg_cell_row *out);   /* DB_ENOTFOUND */
/* Stores the cell; a cell with no unit left is deleted. */
int agg_cell_put(db *d, int64_t round_id, const agg_cell_row *c);
int agg_cells(db *d, int64_t round_id, arena *a, agg_cell_row **out, size_t *n);

/* The stamp the round's aggregates were built with (NULL: none). */
int agg_round_stamp(db *d, int64_t round_id, arena *a, char **stamp);
/* How many assessments the round has, up to 2 (a round whose first
 * assessment is being created starts its aggregates). */
int agg_round_size(db *d, int64_t round_id, int64_t *n);
/* Drops the round's aggregates and records `stamp` (NULL: stale). */
int agg_round_reset(db *d, int64_t round_id, const char *stamp);
/* The round's assessment ids, in order. */
int agg_round_ids(db *d, int64_t round_id, arena *a, int64_t **out, size_t *n);
/* The stamp `from` (a rebuild's) becomes `to`; DB_ECONFLICT when another
 * change (a unit retyped) made the round stale meanwhile. */
int agg_round_ready(db *d, int64_t round_id, const char *from, const char *to);
/* Rounds with assessments whose aggregates are missing or not of `stamp`. */
int agg_rounds_stale(db *d, const char *stamp, arena *a, int64_t **out, size_t *n);

/* A unit listed on the summary page, with what its row shows. */
typedef struct agg_listed {
	int64_t assessment_id, unit_id;
	const char *code, *name, *unit_type;
	int level;
	const char *framework_id, *framework_revision, *summary;
} agg_listed;

/* The round's units ordered by total, lowest first (then code), of one
 * unit type (NULL: any) below `below_level`; or (best) highest first,
 * every unit. At most `limit`. */
int agg_lowest(db *d, int64_t round_id, const char *unit_type, int below_level, size_t limit, arena *a,
               agg_listed **out, size_t *n);
int agg_best(db *d, int64_t round_id, size_t limit, arena *a, agg_listed **out, size_t *n);
/* A transition recorded (inside its transaction): counted in its round's
 * progress when it is the assessment's first to that state. */
int agg_stage_reached(db *d, int64_t assessment_id, const char *state, const char *at);
/* dash_stage_counts from the stored counts: a few rows per day. */
int agg_stage_counts(db *d, int64_t round_id, arena *a, dash_stage_count **out, size_t *n);
/* Marks stale the rounds with an assessment of this unit (its type
 * changed). */
int agg_unit_changed(db *d, int64_t unit_id);
/* The unit's new code in its contributions (the lists' order). */
int agg_unit_recoded(db *d, int64_t unit_id, const char *code);
/* What a write's hook needs of one assessment, in one statement: the
 * assessment with its unit, its round's policy and aggregate stamp, its
 * stored contribution and that contribution's cell. */
typedef struct agg_context {
	round_unit ru;
	const char *policy;
	bool has_round_row;               /* the round has a round_agg_rounds row */
	const char *stamp;
	bool has_member;
	agg_member member;
	bool has_cell;
	agg_cell_row cell;                /* member.cell's */
	bool has_mark;                    /* an answer save's mark waits (round_agg_dirty) */
	int64_t mark_seq;                 /* its transaction (PostgreSQL; -1: none recorded) */
} agg_context;
int agg_context_get(db *d, int64_t assessment_id, arena *a, agg_context *out);   /* DB_ENOTFOUND */
/* The same and, in the same statement, its current answers of the side
 * its levels are read from, by item code (bulk_round_answers' rows). */
int agg_context_answers_get(db *d, int64_t assessment_id, arena *a, agg_context *out, bulk_answer **ans, size_t *n);
/* Whether any round of a school year before `school_year` exists (the
 * summary then compares with it unit by unit). */
int agg_earlier_years(db *d, const char *school_year, bool *any);
#endif
