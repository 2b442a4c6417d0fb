/* summary_cache.h — the score-summary cache of the round summary
 * (page_dash.c): each assessment's score in short (target.h:
 * target_summary_encode), stored in score_summaries (q_dash.h) and valid
 * while its stamp (the scoring rules of the build, the framework version, the unit type, the
 * level policy and the side scored) and its highest answer id are the
 * same; otherwise the assessment is scored again from its answers (the
 * service's sheet, assess.c) and the new summary is kept to be stored
 * after the page's read snapshot (summary_cache_store).
 *
 * Ownership: everything handed out lives in the cache's arena `a` (the
 * request's); summary_cache_store writes and forgets the pending rows. */
#ifndef CHISO_SUMMARY_CACHE_H
#define CHISO_SUMMARY_CACHE_H
#include "arena.h"
#include "db.h"
#include "framework.h"
#include "q_assessment.h"
#include "q_bulk.h"
#include "q_dash.h"
#include "score.h"
#include "target.h"

/* A framework version of the round, looked up once per distinct version
 * rather than once per assessment, with its leaves sorted by code. */
typedef struct summary_fw {
	const char *id, *revision;
	const framework *fw;              /* NULL: not in the catalogue */
	const fw_node **leaves;           /* fw's leaves by code, for bsearch */
} summary_fw;

typedef struct summary_cache {
	db *d;
	const fw_catalog *cat;
	arena *a;
	dash_summary_row *pending;        /* computed here, stored by summary_cache_store */
	size_t npending, cap_pending;
} summary_cache;

void summary_cache_init(summary_cache *c, db *d, const fw_catalog *cat, arena *a);

/* The framework of an assessment among memo[0..*nmemo) (memo has room for
 * one more), added when it is not there yet. Never NULL. */
const summary_fw *summary_fw_find(summary_cache *c, summary_fw *memo, size_t *nmemo, const assessment *as);

/* One assessment's answers (ans[0..na), all of it) scored through the
 * service's sheet (assess.c), in `a`; NULL when nothing can be scored.
 * The caller frees the result (score_free). */
score_result *summary_score_one(unit_policy policy, const summary_fw *m, unit_type type, const bulk_answer *ans, size_t na,
                                arena *a, answer_sheet **sheet_out);

/* The summaries of the assessments ru[0..n) (by id) of a round, each
 * given to fn with its index: read from score_summaries where the
 * assessment's answers and stamp are unchanged, else scored (in a
 * scratch arena, a slice at a time) and kept pending. memo[i] NULL (or an
 * incomplete framework): assessment i is left out. */
typedef void (*summary_fn)(void *ctx, size_t i, const target_summary *sum);
void summary_cache_round(summary_cache *c, int64_t round_id, unit_policy policy, const round_unit *ru, size_t n,
                         const summary_fw *const *memo, summary_fn fn, void *ctx);

/* Stores the pending summaries in one write transaction (a cache: failing,
 * e.g. on a read-only replica, only costs time). Call outside any read
 * transaction. */
void summary_cache_store(summary_cache *c);
#endif
