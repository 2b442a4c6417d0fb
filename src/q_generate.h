/* q_generate.h — generated data sets written in bulk: a round's
 * assessments with their answers, levels, states, recognition and
 * publication, in multi-row statements (a few round trips per hundred
 * assessments instead of some twenty per assessment through
 * assessment_create, bulk_answers_put, assessment_set_level,
 * assessment_transition, office_recognition_link and office_published_set).
 * The rows are those the one-by-one path writes, audit rows included
 * (chained by audit_append_many). The benchmarks' worlds (bench/gen/) at
 * 50,000 schools on PostgreSQL are made here.
 *
 * The round summary's aggregates are not kept on this path: the round is
 * left stale (its round_agg_rounds stamp cleared), so that round_agg_rebuild
 * — chiso serve's background job — counts it as the product would. */
#ifndef CHISO_Q_GENERATE_H
#define CHISO_Q_GENERATE_H
#include <stddef.h>
#include <stdint.h>
#include "db.h"

typedef struct gen_assessment {
	int64_t unit_id;
	const char *framework_id, *framework_revision;
	/* the self side's answers: item codes and JSON values */
	size_t nanswers;
	const char *const *codes, *const *values;
	/* the states it went through after not_started, in order (state codes;
	 * the store records them, the caller's workflow decided them) */
	size_t nstates;
	const char *const *states;
	int self_level, recognised_level;   /* 0: none */
	int64_t decision_id;                /* the recognition decision, 0: none */
	const char *published_json;         /* the public snapshot, NULL: not published */
} gen_assessment;

/* Creates the n assessments in round_id, all or nothing, in one write
 * transaction (or the caller's); their ids in ids[0..n) (may be NULL).
 * A unit already in the round fails with DB_ECONSTRAINT. Ask for a few
 * thousand at a time: the audit rows of a chunk are held in memory. */
int gen_assessments_put(db *d, int64_t actor, int64_t round_id, const gen_assessment *g, size_t n, int64_t *ids);
#endif
