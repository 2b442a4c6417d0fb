/* derived_subs.h — the subordinates an office's own assessment (3806
 * group 2) is scored with: the results of the units it evaluates, on the
 * basis and at the date the office chose (q_derived.h), each scored with
 * the engine as the `subordinate` the derived items read. One loader for
 * every surface that scores such an assessment: the pages and the API
 * (web_derived.c) and the generated documents (doc_set.c), so that a
 * document prints the figures the page shows, with the same basis and date. */
#ifndef CHISO_DERIVED_SUBS_H
#define CHISO_DERIVED_SUBS_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "framework.h"
#include "q_derived.h"
#include "score.h"

typedef struct derived_subs {
	subordinate *subs;           /* for the sheet: answer_sheet.subs */
	derived_source *src;         /* parallel to subs: the result each was made from */
	size_t n;
	derived_choice choice;       /* the basis and date the office chose */
	const char *on;              /* the date the results are taken at (the choice's, else today) */
} derived_subs;

/* Has the framework any derived item (RULE_DERIVED)? */
bool framework_has_derived(const framework *fw);

/* The subordinates of assessment `assessment_id` of office `office_id` in
 * `school_year`, read today (`today` ISO): the stored choice, then every
 * counted unit scored from its external or self answers (frameworks from
 * cat; a unit whose framework version is not in cat is left out). All in a.
 * Returns a DB_E* code (the store's). */
int derived_subs_load(db *d, const fw_catalog *cat, arena *a, int64_t assessment_id, int64_t office_id,
                      const char *school_year, const char *today, derived_subs *out);
#endif
