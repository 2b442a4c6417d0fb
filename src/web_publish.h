/* web_publish.h — a school publishing its own recognised result (issue 11,
 * item 5), shared by its page (page_publish.c) and the API's transition
 * (api_assess.c): the public snapshot frozen from the recognised
 * (external) score, and the action through the service. */
#ifndef CHISO_WEB_PUBLISH_H
#define CHISO_WEB_PUBLISH_H
#include "web_assess.h"

/* publish_own (with the public snapshot of v's score, score_public_snapshot;
 * v must be loaded with ANSWER_EXTERNAL) or unpublish_own through assess_act. 0 when done, else
 * the HTTP status, res->message saying why in Vietnamese. */
int school_publication_apply(web *w, assess_view *v, wf_action a, wf_result *res);

/* The self-assessment result (v loaded with ANSWER_SELF) made public
 * before recognition, or withdrawn, through assess_self_publication. 0
 * when done, else the HTTP status, res->message saying why. */
int school_self_publication_apply(web *w, assess_view *v, bool publish, wf_result *res);
#endif
