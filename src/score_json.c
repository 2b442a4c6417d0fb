/* score_json.c — a score result as JSON (docs/score-json.md): field names
 * and order are a published format, so the CLI and the API share this one
 * writer. */
#include "score_json.h"
#include "util.h"
#include <math.h>
#include <stdlib.h>

json_t *score_json_num(q v)
{
	if (v.d == 1) return json_integer(v.n);
	return json_real(round(q_to_double(v) * 100.0) / 100.0);
}

json_t *score_json_exact(q v)
{
	buf b;
	buf_init(&b);
	q_format_exact(&b, v);
	json_t *s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

static json_t *jband(const fw_band *bd)
{
	return bd ? json_integer(bd->level) : json_null();
}

static json_t *node_json(const score_result *r, const fw_node *n)
{
	const node_score *ns = score_node(r, n);
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(n->code));
	json_object_set_new(o, "title", json_string(n->title));
	json_object_set_new(o, "source", json_string(source_tag_code(n->source)));
	json_object_set_new(o, "points", score_json_num(ns->points));
	json_object_set_new(o, "points_exact", score_json_exact(ns->points));
	json_object_set_new(o, "max", score_json_num(ns->max));
	if (n->rule) {
		json_object_set_new(o, "rule", json_string(rule_kind_code(n->rule->kind)));
		json_object_set_new(o, "rule_source", json_string(source_tag_code(n->rule->source)));
		json_object_set_new(o, "answered", json_boolean(ns->answered));
		json_object_set_new(o, "manual", json_boolean(ns->manual));
		if (n->rule->kind == RULE_GATE) json_object_set_new(o, "met", json_boolean(!ns->gate_failed));
	}
	if (n->kind == NODE_GROUP) {
		json_object_set_new(o, "raw_points", score_json_num(ns->raw));
		json_object_set_new(o, "gate_failed", json_boolean(ns->gate_failed));
		json_object_set_new(o, "level", jband(ns->band));
	} else if (n->kind == NODE_CRITERION && n->nbands) {
		json_object_set_new(o, "band", jband(ns->band));
	}
	json_object_set_new(o, "explain", ns->explain ? json_string(ns->explain) : json_null());
	if (n->nchildren) {
		json_t *kids = json_array();
		for (size_t i = 0; i < n->nchildren; i++) json_array_append_new(kids, node_json(r, &n->children[i]));
		json_object_set_new(o, n->kind == NODE_GROUP ? "criteria" : "items", kids);
	}
	return o;
}

json_t *score_json(const score_result *r, const whatif_plan *plans, size_t nplans, bool with_whatif)
{
	const framework *fw = r->fw;
	json_t *o = json_object();
	json_t *f = json_object();
	json_object_set_new(f, "id", json_string(fw->id));
	json_object_set_new(f, "revision", json_integer(fw->revision));
	json_object_set_new(f, "title", json_string(fw->title));
	json_object_set_new(o, "chiso_score", json_integer(1));
	json_object_set_new(o, "framework", f);
	json_object_set_new(o, "unit_type", json_string(unit_type_code(r->type)));
	json_object_set_new(o, "basis", json_string(fw->basis == BASIS_GROUPS ? "groups" : "total"));
	json_object_set_new(o, "policy", json_string(unit_policy_code(r->policy)));
	json_t *groups = json_array();
	for (size_t g = 0; g < fw->ngroups; g++) json_array_append_new(groups, node_json(r, &fw->groups[g]));
	json_object_set_new(o, "groups", groups);
	json_t *t = json_object();
	json_object_set_new(t, "points", score_json_num(r->total));
	json_object_set_new(t, "points_exact", score_json_exact(r->total));
	json_object_set_new(t, "max", score_json_num(r->total_max));
	json_object_set_new(o, "total", t);
	json_object_set_new(o, "level", jband(r->level));
	json_object_set_new(o, "level_name", r->level ? json_string(r->level->name) : json_null());
	json_object_set_new(o, "level_explain", json_string(r->level_explain));
	json_object_set_new(o, "unanswered", json_integer((json_int_t)r->unanswered));
	if (r->provisional) json_object_set_new(o, "provisional", json_true());
	if (with_whatif) {
		json_t *wa = json_array();
		for (size_t i = 0; i < nplans; i++) {
			const whatif_plan *p = &plans[i];
			json_t *po = json_object();
			json_object_set_new(po, "group", p->group ? json_string(p->group->code) : json_null());
			json_object_set_new(po, "from", json_integer(p->from->level));
			json_object_set_new(po, "to", json_integer(p->to->level));
			json_object_set_new(po, "current", score_json_num(p->current));
			json_object_set_new(po, "after", score_json_num(p->after));
			json_object_set_new(po, "reachable", json_boolean(p->reachable));
			json_t *steps = json_array();
			for (size_t s = 0; s < p->nsteps; s++) {
				json_t *so = json_object();
				json_object_set_new(so, "code", json_string(p->steps[s].leaf->code));
				json_object_set_new(so, "gain", score_json_num(p->steps[s].gain));
				json_object_set_new(so, "action", json_string(p->steps[s].action));
				json_array_append_new(steps, so);
			}
			json_object_set_new(po, "steps", steps);
			json_array_append_new(wa, po);
		}
		json_object_set_new(o, "what_if", wa);
	}
	return o;
}

json_t *score_public_json(const score_result *r)
{
	if (!r) return NULL;
	json_t *full = score_json(r, NULL, 0, false);
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(full, "groups"), i, g) json_object_del(g, "criteria");
	return full;
}

char *score_public_snapshot(const score_result *r)
{
	json_t *pub = score_public_json(r);
	if (!pub) return NULL;
	char *s = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(pub);
	return s;
}

/* A score as the summary writes it: text with two decimals. */
static json_t *summary_num(q v)
{
	buf b;
	buf_init(&b);
	q_format(&b, v, 2, false);
	json_t *j = json_string(buf_str(&b));
	buf_free(&b);
	return j;
}

json_t *score_summary_json(const framework *fw, const char *framework_ref, const score_result *r)
{
	json_t *o = json_object(), *groups = json_array();
	json_object_set_new(o, "framework", json_string(framework_ref));
	for (size_t g = 0; r && g < fw->ngroups; g++) {
		const fw_node *gn = &fw->groups[g];
		const node_score *gs = score_node(r, gn);
		json_array_append_new(groups, json_pack("{s:s, s:s, s:o, s:o, s:i}", "code", gn->code, "title", gn->title,
		                                        "points", summary_num(gs->points), "max", summary_num(gs->max),
		                                        "level", gs->band ? gs->band->level : 0));
	}
	json_object_set_new(o, "groups", groups);
	if (r) {
		json_object_set_new(o, "total", summary_num(r->total));
		json_object_set_new(o, "total_max", summary_num(r->total_max));
		json_object_set_new(o, "level", json_integer(r->level ? r->level->level : 0));
		json_object_set_new(o, "unanswered", json_integer((json_int_t)r->unanswered));
	}
	return o;
}
