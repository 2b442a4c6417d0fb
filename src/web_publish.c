/* web_publish.c — a school's own publication through the service. */
#include "web_publish.h"
#include "score_json.h"
#include <stdlib.h>

int school_publication_apply(web *w, assess_view *v, wf_action a, wf_result *res)
{
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	char *snapshot = a == WF_PUBLISH_OWN ? score_public_snapshot(v->score) : NULL;   /* NULL: the service refuses */
	t.result_json = snapshot;
	assess_request rq = { .action = a, .account_id = w->account_id };
	assess_refusal r = assess_act(w->d, &rq, &t, 1, res);
	free(snapshot);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}

int school_self_publication_apply(web *w, assess_view *v, bool publish, wf_result *res)
{
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	char *snapshot = publish ? score_public_snapshot(v->score) : NULL;   /* NULL: the service refuses */
	t.result_json = snapshot;
	assess_refusal r = assess_self_publication(w->d, w->account_id, &t, publish, res);
	free(snapshot);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}
