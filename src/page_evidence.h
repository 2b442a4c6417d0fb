/* page_evidence.h — what other pages use of the evidence pages
 * (page_evidence.c): the evidence of one framework node shown inside the
 * assessment form and its print view. */
#ifndef CHISO_PAGE_EVIDENCE_H
#define CHISO_PAGE_EVIDENCE_H
#include "web_assess.h"

/* The codes of the evidence linked to node `n` (criterion or item) as
 * links to each item, and a link to add one where the account may. Loads
 * the assessment's evidence once per view. Renders nothing for an account
 * that may not see the evidence (the public, for a published result). */
void evidence_links_for_item(web *w, assess_view *v, const fw_node *n);
/* The same codes as plain text ("MC-1.1-01, MC-1.1-02"), for print. */
void evidence_codes_for_item(web *w, assess_view *v, const fw_node *n);
#endif
