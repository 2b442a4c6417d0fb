/* score_json.h — a score result as JSON, the layout of docs/score-json.md.
 * One function so that `chiso score --json` and the JSON API
 * (GET /api/v1/danh-gia/{id}) cannot drift apart. */
#ifndef CHISO_SCORE_JSON_H
#define CHISO_SCORE_JSON_H
#include <jansson.h>
#include <stdbool.h>
#include "score.h"

/* A new object (the caller decrefs it): framework, unit type, groups →
 * criteria → items with points, explanations and levels, the total and the
 * unit's level; "what_if" (the plans given) only when with_whatif. */
json_t *score_json(const score_result *r, const whatif_plan *plans, size_t nplans, bool with_whatif);
/* A number as the layout writes it: an integer when whole, else rounded
 * to two decimals (the exact value goes beside it via score_json_exact). */
json_t *score_json_num(q v);
json_t *score_json_exact(q v);      /* "77/12" */
/* What the public sees of a result: the layout without the criteria (the
 * level and the scores per group), as a new object; NULL when r is NULL.
 * score_public_snapshot is its text (compact, sorted keys) as a
 * publication stores it, malloc'd. One builder for the office's
 * publication, a school's own and the demo's. */
json_t *score_public_json(const score_result *r);
/* What a submission carries (its summary): "framework" (framework_ref,
 * "id@revision"), the points, maximum and level of each group of fw, the
 * total, its maximum, the level and the unanswered count — the points as
 * text with two decimals ("77.50"). r NULL: the framework and no groups. */
json_t *score_summary_json(const framework *fw, const char *framework_ref, const score_result *r);
char *score_public_snapshot(const score_result *r);
#endif
