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
	const score_result *score;        /* may be NULL (nothing answered yet, or streamed: see total) */
	q total;                          /* the total when score is NULL (a summary that scores a
	                                     unit, keeps its total and frees the score) */
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

/* The same in steps, for a summary that scores its units one slice at a
 * time and frees each score: target_begin, then target_add_indicators for
 * every unit while its score and sheet are alive (indicator targets pool
 * the unit's ratio answer), then target_finish over the units (which may
 * by then have a total and no score) for the level-share targets. */
target_result *target_begin(arena *a, const target_def *defs, size_t ndefs);
void target_add_indicators(target_result *res, size_t ndefs, const target_unit *u);
void target_finish(arena *a, target_result *res, size_t ndefs, const target_unit *units, size_t nunits);

/* A level-share target's result from its counts (target_finish's, or a
 * round's stored aggregates: round_agg.h); the blocking units are the
 * caller's. An indicator target's share from its pooled num/den. */
void target_level_share_counts(target_result *r, size_t counted, size_t meeting);
void target_indicator_finish(target_result *r);
/* The unit's total: its score's, else the stored one. */
q target_total(const target_unit *u);

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

/* The same in steps over streamed scores (same result as target_weakest
 * over the units that were added). */
typedef struct criterion_acc {
	const framework *fw;
	criterion_stat *st;
	q *sum;
	size_t n;
} criterion_acc;
criterion_acc *target_weakest_begin(arena *a, const framework *fw);
void target_weakest_add(criterion_acc *acc, const score_result *s);
criterion_stat *target_weakest_end(criterion_acc *acc, size_t *n);
/* Adds `units` units at once from the sums of their criterion points (in
 * the framework's order): the same as adding each. */
void target_weakest_add_sums(criterion_acc *acc, const q *points, size_t npoints, size_t units);

/* What the round summary needs of one unit's score, in short: its total,
 * each group's level, the points of each criterion target_weakest counts
 * (in the framework's order, as target_weakest_begin lists them) and the
 * ratio answers (indicator targets). As one line of text with exact
 * numbers ("v1;T=77/12;G=2,3;C=15,35/2,…;R=1.7.1:20:28,…"), so that it can
 * be kept in the database and read back instead of parsing and scoring
 * the answers again; "v1;-" is a unit that cannot be scored. s may be
 * NULL. */
char *target_summary_encode(arena *a, const framework *fw, const score_result *s, const answer_sheet *sheet);
typedef struct target_summary {
	bool scored;
	q total;
	int *group_levels;                /* fw->ngroups; 0 = none */
	q *points;                        /* target_weakest's criteria, in order */
	size_t npoints;
	const char **ratio_codes;
	q *ratio_num, *ratio_den;
	size_t nratios;
} target_summary;
/* false when the text is not a summary of this framework (another
 * version, damaged): then score the unit instead. */
bool target_summary_decode(arena *a, const framework *fw, const char *text, target_summary *out);
/* The accumulators fed from a summary instead of a score. */
void target_add_summary(target_result *res, size_t ndefs, const target_unit *u, const target_summary *sum);
void target_weakest_add_summary(criterion_acc *acc, const target_summary *sum);

/* Level distribution per criterion group (each group of a framework by
 * groups has its own level, e.g. group 1 "dạy, học", group 2 "quản trị")
 * and unit type: counts[group][type][level 0..3], level 0 = no level. */
typedef struct group_levels {
	const framework *fw;
	size_t (*counts)[UT_COUNT][4];    /* fw->ngroups of them */
} group_levels;
group_levels *target_group_levels_begin(arena *a, const framework *fw);
/* Adds a unit's group levels; a unit without a level yet (has_level
 * false: not self-assessed) counts as "no level" in every group, like
 * its own level in target_level_counts. */
void target_group_levels_add(group_levels *g, const score_result *s, bool has_level);
/* The same from a unit's summary (target_summary_decode). */
void target_group_levels_add_summary(group_levels *g, unit_type t, const target_summary *sum, bool has_level);

/* Progress of a round over time. Each event is the first day an
 * assessment reached a stage (e.g. submitted, evaluated, recognised):
 * `count` assessments on `day` (YYYY-MM-DD). The series runs from `from`
 * to `to` by day when that is at most 62 days, else by week (7 days from
 * `from`, the last point on `to`), each point the cumulative count per
 * stage up to and including its day. Events before `from` count on the
 * first point, after `to` are left out. NULL (n = 0) on invalid dates. */
enum { PROGRESS_MAX_STAGES = 4 };
typedef struct progress_event {
	const char *day;
	int stage;                        /* 0 .. nstages-1 */
	size_t count;
} progress_event;
typedef struct progress_point {
	const char *day;                  /* YYYY-MM-DD, allocated in the arena */
	size_t cum[PROGRESS_MAX_STAGES];
} progress_point;
progress_point *target_progress(arena *a, const char *from, const char *to, const progress_event *ev, size_t nev,
                                int nstages, size_t *n, bool *weekly);

/* Year-over-year: a unit's level this year and in an earlier year,
 * matched by unit id. */
typedef struct yoy_unit {
	int64_t unit_id;
	const char *code, *name;
	unit_type type;
	int level;                        /* 0 = none */
	const char *school_year;          /* earlier years: which one */
	int64_t round_id;                 /* … and the round its result comes from */
	bool scored;                      /* total: the unit's total that year */
	q total;
	q max;                            /* the framework's maximum total (one scale: total/max) */
} yoy_unit;
typedef struct yoy_move {
	const yoy_unit *now, *before;
} yoy_move;
/* The units of `now` whose level differs from their level in `before`
 * (units found in both with a level on both sides): moved up first then
 * down, each by code. *nup of them moved up. */
yoy_move *target_yoy_moves(arena *a, const yoy_unit *now, size_t nnow, const yoy_unit *before, size_t nbefore,
                           size_t *n, size_t *nup);

/* Units sorted by their total, best first (ties: by code). Returns an
 * array of pointers into units, allocated in `a`. */
const target_unit **target_best(arena *a, const target_unit *units, size_t nunits);
#endif
