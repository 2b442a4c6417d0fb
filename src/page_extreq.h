/* page_extreq.h — "Xin gia hạn" (issue 16, item 5): the school asks the
 * evaluating office for a later deadline from its home and its form; the
 * office answers in its inbox ("Hộp hồ sơ"); the school reads the answer.
 * The routes are page_extreq_routes (web.h); these render the boxes the
 * other pages embed. */
#ifndef CHISO_PAGE_EXTREQ_H
#define CHISO_PAGE_EXTREQ_H
#include "web_office.h"

/* Days before the deadline from which a unit may ask. */
#define EXTREQ_NEAR_DAYS 7

/* The school's box: the deadline near or passed, who can extend it, the
 * form (for whoever may submit, while no request waits) and the answers
 * given. `back` is where the form returns ("/" or the form's path);
 * `heading` the level of its heading (2 on the form, 4 on the home page,
 * where it sits under the school's h2 and the round's h3).
 * Renders nothing when the file is sent or the deadline is far. */
void extreq_school_box(web *w, assess_view *v, const char *back, int heading);

/* The office's section of the inbox: the round's waiting requests, each
 * with "Gia hạn" (a new date) and "Từ chối" (a reason). */
void extreq_inbox_section(web *w, const round_view *rv, const inbox_row *rows, size_t n);
#endif
