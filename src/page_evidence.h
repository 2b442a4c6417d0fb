/* page_evidence.h — what other pages use of the evidence pages
 * (page_evidence.c): the evidence of one framework node shown inside the
 * assessment form and its print view. */
#ifndef CHISO_PAGE_EVIDENCE_H
#define CHISO_PAGE_EVIDENCE_H
#include "q_evidence.h"
#include "web_assess.h"

/* The codes of the evidence linked to node `n` (criterion or item) as
 * links to each item, and a link to add one where the account may. Loads
 * the assessment's evidence once per view. Renders nothing for an account
 * that may not see the evidence (the public, for a published result). */
void evidence_links_for_item(web *w, assess_view *v, const fw_node *n);
/* The same codes as plain text ("MC-1.1-01, MC-1.1-02"), for print. */
void evidence_codes_for_item(web *w, assess_view *v, const fw_node *n);
/* The evidence serving `code` (with_parents: also that of the criteria
 * containing it) for a reviewer or the external team: each item linked to
 * its page, its files each behind "Xem tệp" with the inline preview (PDF
 * in a frame, images) and the download, its links. `ev` is the
 * assessment's evidence (evidence_list); the files' own routes apply the
 * same access rule as the catalogue. */
void evidence_review_list(web *w, const evidence *ev, size_t nev, const char *code, bool with_parents);
#endif
