/* target.h — targets and aggregation over a round's units: level
 * distribution, target attainment with the units that block each target,
 * indicator targets over pooled ratios, the weakest criteria of an area
 * and its best-scoring units. Pure: the caller passes the units' scores
 * (score.h); nothing here reads the database. */
#ifndef CHISO_TARGET_H
#define CHISO_TARGET_H
#include "score.h"

typedef struct target_unit {
	int64_t id;
	const char *code, *name;
	unit_type type;
	int level;                        /* the level that counts (recognised, else self), 0 = none */
	const score_result *score;        /* may be NULL (nothing answered yet) */
	const answer_sheet *sheet;        /* the answers behind score (indicator targets) */
} target_unit;

typedef enum target_kind { TARGET_LEVEL_SHARE, TARGET_INDICATOR } target_kind;

typedef struct target_def {
	target_kind kind;
	bool any_type;                    /* all unit types, else `type` only */
	unit_type type;
	int level;                        /* level share: units at Mức ≥ level */
	const char *item_code;            /* indicator: a ratio item, pooled over units */
	int share_percent;                /* the target, 0–100 */
	const char *label;                /* Vietnamese, for display */
} target_def;

typedef struct target_result {
	const target_def *def;
	size_t counted;                   /* units the target is about */
	size_t meeting;                   /* … of which meet it (level share) */
	q num, den;                       /* indicator: pooled numerator/denominator */
	q share;                          /* achieved share in percent (0–100) */
	bool attained;
	size_t more_needed;               /* level share: units still to lift */
	const target_unit **blocking;     /* level share: units below the level, lowest total first */
	size_t nblocking;
} target_result;

/* Evaluate targets over units; results allocated in `a`. */
target_result *target_evaluate(arena *a, const target_def *defs, size_t ndefs,
                               const target_unit *units, size_t nunits);

/* Level distribution: counts[type][level 0..3] (level 0 = no level yet). */
void target_level_counts(const target_unit *units, size_t n, size_t counts[UT_COUNT][4]);

typedef struct criterion_stat {
	const fw_node *node;              /* a criterion or leaf criterion of the framework */
	q mean_share;                     /* average points / maximum, 0–1 */
	size_t units;
} criterion_stat;

/* Per criterion of `fw`, the average share of its maximum over the units
 * scored with that framework, weakest first. */
criterion_stat *target_weakest(arena *a, const framework *fw, const target_unit *units, size_t nunits,
                               size_t *n);

/* Units sorted by their total, best first (ties: by code). Returns an
 * array of pointers into units, allocated in `a`. */
const target_unit **target_best(arena *a, const target_unit *units, size_t nunits);
#endif
