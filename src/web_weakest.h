/* web_weakest.h — the weakest criteria over a set of schools (issue 11,
 * item 3): the commune's page over the schools it manages in a round
 * (page_commune.c), the Sở's province page over the rounds of the newest
 * school year (page_province.c). Per framework, each criterion's average
 * share of its maximum over the scored schools, weakest first, with the
 * number of schools — computed as the round summary computes it
 * (page_dash.c: the same score summaries, summary_cache.h, and the same
 * accumulator, target.h), so that over the same schools the numbers are
 * the same. Everything lives in the request's arena. */
#ifndef CHISO_WEB_WEAKEST_H
#define CHISO_WEB_WEAKEST_H
#include "summary_cache.h"
#include "web.h"

enum { WEAKEST_FWS = 16 };

typedef struct weakest_acc {
	summary_cache cache;
	const framework *fw[WEAKEST_FWS];
	criterion_acc *acc[WEAKEST_FWS];
	size_t n;
} weakest_acc;

void weakest_init(web *w, weakest_acc *k);
/* Adds the school assessments of round r whose ids are in ids[0..nids)
 * (sorted ascending), or all of them when ids is NULL: then from the
 * round's stored aggregates when they are current (CHISO_DASH_FULL: never,
 * as the round summary), else from every unit's score summary. */
void weakest_add_round(web *w, weakest_acc *k, const round_row *r, const int64_t *ids, size_t nids);
/* The section: per framework, the `show` weakest criteria (code, title,
 * average share of the maximum, number of schools); then the summaries it
 * computed are stored (summary_cache_store: call outside a read snapshot). */
void weakest_render(web *w, weakest_acc *k, size_t show);
#endif
