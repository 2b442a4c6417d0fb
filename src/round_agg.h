/* round_agg.h — the round summary's aggregates: per round, framework
 * version, unit type and level that counts (a "cell"), the number of units
 * and the sum of their scores in short — total, each group's level,
 * each criterion's points, each ratio item's pooled answers. Kept up to
 * date in the same write transaction as every write that moves them (the
 * store calls round_agg_touch through its hook, q_round_agg.h), so that
 * /tong-hop/{round} reads a few rows per round instead of every unit.
 * A round's aggregates carry the scoring stamp of the build that made
 * them; another build's rules make them stale, and a background rebuild
 * (round_agg_rebuild_stale, never a GET) brings them back. */
#ifndef CHISO_ROUND_AGG_H
#define CHISO_ROUND_AGG_H
#include "db.h"
#include "framework.h"
#include "q_round_agg.h"
#include "target.h"

/* Installs round_agg_touch as the store's hook with this catalogue (the
 * server's, for its whole life). */
void round_agg_enable(const fw_catalog *cat);

/* Inside the caller's write transaction: the assessment's contribution
 * computed again and moved between cells if it changed. Does nothing for a
 * round whose aggregates are stale (the rebuild will count it). */
int round_agg_touch(db *d, const fw_catalog *cat, int64_t assessment_id);

/* Every unit of the round counted again, in one write transaction. */
int round_agg_rebuild(db *d, const fw_catalog *cat, int64_t round_id);
/* Every round whose aggregates are missing or of another build. */
int round_agg_rebuild_stale(db *d, const fw_catalog *cat, size_t *nrounds);
/* Up to 50 assessments marked by answer saves and not counted yet (a
 * crash between a save and its touch, a command without the hook)
 * touched, each in its own short write transaction that clears its mark. */
int round_agg_apply_marks(db *d, const fw_catalog *cat, size_t *napplied);
/* A thread that applies the marks left and rebuilds the stale rounds every few seconds on its own
 * connection (`chiso serve`), and its stop. */
void round_agg_worker_start(const char *db_target, const fw_catalog *cat);
void round_agg_worker_stop(void);
/* Whether the round's aggregates are this build's and none of its
 * assessments is marked (read them, else not). */
bool round_agg_current(db *d, int64_t round_id);

/* The round counted from scratch, in memory (the rebuild's input, and the
 * consistency test's oracle): the members by assessment id, the cells by
 * cell key. */
int round_agg_compute(db *d, const fw_catalog *cat, int64_t round_id, arena *a, agg_member **members, size_t *nm,
                      agg_cell_row **cells, size_t *nc);

typedef struct agg_ratio {
	const char *code;
	int64_t counted;
	q num, den;
} agg_ratio;

/* One cell, decoded. */
typedef struct agg_sum {
	const char *fw_key;               /* "framework@revision" */
	const char *type_code;
	unit_type type;
	bool type_ok;
	int level;
	int64_t units, scored;
	q total;
	size_t ngroups;
	int64_t (*groups)[4];             /* per group: units at group level 0..3 (0 also: no level yet) */
	size_t npoints;
	q *points;                        /* per criterion target_weakest counts: Σ points */
	size_t nratios;
	agg_ratio *ratios;                /* by code */
} agg_sum;

bool agg_sum_decode(arena *a, const agg_cell_row *row, agg_sum *out);
#endif
