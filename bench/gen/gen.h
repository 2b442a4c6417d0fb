/* bench/gen/gen.h — the benchmarks' generated province (bench/dash,
 * bench/docs_batch): a Sở, 50 Phòng and N schools imported through the
 * real importer, the Sở's round opened through the store, and each
 * school's assessment written in bulk (q_generate.h) with answers drawn
 * from the framework's rules and the level the scoring engine gives them.
 * The same seed gives the same world on SQLite and PostgreSQL.
 *
 * Two mixes: the round summary's (one school in ten not started, three
 * self-assessed, six evaluated, recognised by one decision and published)
 * and the batch's (every school self-assessed). With `aggregates` the
 * round's stored summary is then counted by round_agg_rebuild, the very
 * function of chiso serve's background job, and timed. */
#ifndef CHISO_BENCH_GEN_H
#define CHISO_BENCH_GEN_H
#include <stdbool.h>
#include <stdint.h>
#include "db.h"
#include "framework.h"

typedef struct gen_opts {
	const char *who;        /* "bench/dash": the prefix of its messages */
	int schools;
	int variants;           /* answer sheets per unit type, each scored once */
	bool all_self_assessed; /* the batch's mix; else the round summary's */
	bool targets;           /* the round's level-share targets */
	bool aggregates;        /* count the round's aggregates (round_agg_rebuild) */
} gen_opts;

typedef struct gen_world {
	int64_t round_id;
	int schools, published, self_assessed, not_started;
	int levels[4];          /* schools at each level that counts; [0] none */
	double t_units, t_round, t_assessments, t_aggregates;   /* seconds */
} gen_world;

/* Makes the world in d (migrated, empty) or exits with a message. */
void gen_world_make(db *d, const fw_catalog *cat, const gen_opts *o, gen_world *out);

double gen_now(void);   /* CLOCK_MONOTONIC, seconds */
/* Runs a shell command; its first line of output, malloc'd ("" when none). */
char *gen_first_line(const char *cmd);
#endif
