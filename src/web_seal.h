/* web_seal.h — a submission's seal on the office's review page (issue 17):
 * whether the answers and evidence files are still those sent, which key
 * sealed them (the office's certificate: signer, organisation, status; or
 * the server's key) and, when something changed, what. */
#ifndef CHISO_WEB_SEAL_H
#define CHISO_WEB_SEAL_H
#include "web.h"
#include <stdint.h>

/* The seal's card; nothing when the assessment was never sealed. */
void web_seal_status(web *w, int64_t assessment_id);
/* For the school: a line with the seal's state and a link to its page
 * (/danh-gia/{id}/niem-phong, where the principal signs it); nothing when
 * never sealed. */
void web_seal_link(web *w, int64_t assessment_id);
#endif
