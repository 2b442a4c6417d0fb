/* web_publish.c — a school's own publication through the service. */
#include "web_publish.h"
#include "score_json.h"
#include <jansson.h>
#include <stdlib.h>

char *school_public_snapshot(const assess_view *v)
{
	if (!v->score) return NULL;
	json_t *full = score_json(v->score, NULL, 0, false);
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(full, "groups"), i, g) json_object_del(g, "criteria");
	char *s = json_dumps(full, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(full);
	return s;
}

int school_publication_apply(web *w, assess_view *v, wf_action a, wf_result *res)
{
	authz_ctx az;
	assess_target t;
	assess_target_of(w, v, &az, &t);
	char *snapshot = a == WF_PUBLISH_OWN ? school_public_snapshot(v) : NULL;   /* NULL: the service refuses */
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
	char *snapshot = publish ? school_public_snapshot(v) : NULL;   /* NULL: the service refuses */
	t.result_json = snapshot;
	assess_refusal r = assess_self_publication(w->d, w->account_id, &t, publish, res);
	free(snapshot);
	return r == ASSESS_OK ? 0 : assess_refusal_status(r);
}
