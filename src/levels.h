/* levels.h — the scoring engine applied to stored answers.
 *
 * A stored answer's value_json is exactly the per-item answer of an answer
 * sheet (docs/framework-format.md), so an assessment's current answers of
 * one side become a sheet {"unit_type": …, "answers": {code: value, …}}
 * that answers_parse checks and score_compute scores, with the framework
 * version the assessment was made with. Used wherever a level is stored
 * (the demo) and to re-check stored levels (`chiso levels verify`). */
#ifndef CHISO_LEVELS_H
#define CHISO_LEVELS_H
#include "buf.h"
#include "db.h"
#include "framework.h"
#include "q_assessment.h"
#include "score.h"

/* The answer sheet (JSON text, malloc'd into *out) of the assessment's
 * current answers on `side`, for a unit of type `type` (q_unit.h code). */
int levels_sheet(db *d, int64_t assessment_id, answer_side side, const char *type, char **out);

/* Scores the current answers of `side` of assessment `as` (a unit of type
 * `type` (q_unit.h code), in a round with level policy `policy`, "min" when NULL).
 * partial: allow unanswered required items. On success returns DB_OK and
 * *level is the unit's level (1–3; 0 when the policy gives none) and, if
 * result is not NULL, *result the whole score (caller frees with
 * score_free). DB_EINVAL with the reasons in err when the framework
 * version is missing or the answers do not form a valid sheet. */
int levels_score(db *d, const fw_catalog *cat, const assessment *as, const char *type,
                 const char *policy, answer_side side, bool partial, int *level,
                 score_result **result, buf *err);

/* The same from a sheet already in memory (JSON text). */
int levels_score_sheet(const framework *fw, const char *sheet_json, const char *policy,
                       bool partial, int *level, score_result **result, buf *err);
#endif
