/* web_assess.h — one assessment as the pages see it: the assessment, its
 * round and unit, its framework version, the access context, the stored
 * answers of one side parsed for the engine, and the score. Shared by the
 * school pages, the office pages and the print view. */
#ifndef CHISO_WEB_ASSESS_H
#define CHISO_WEB_ASSESS_H
#include "assess.h"
#include "q_assessment.h"
#include "q_round.h"
#include "q_unit.h"
#include "score.h"
#include "web.h"
#include "workflow.h"

typedef struct assess_view {
	assessment as;
	round_row round;
	unit u;
	unit_type type;
	const framework *fw;
	wf_state state;
	const char *date;                 /* the date the round's relations are read on */
	int64_t *parents, *evaluators; size_t nparents, nevaluators;
	authz_ctx az;                     /* account + this assessment */
	answer_side side;
	assessment_answer **stored;       /* by leaf index, NULL when never answered */
	answer_sheet sheet;
	score_result *score;              /* freed by assess_view_free */
	score_result *derived;            /* incomplete framework with derived items: those
	                                     alone, provisional (score_derived_only); freed too */
	struct derived_view *dv;          /* web_derived.c: the units behind the derived items */
	bool council_formed;
	bool self_published_read, self_published;   /* assess_view_load's fact, for assess_wf_input */
	struct evidence_index *evidence;  /* page_evidence.c's, loaded by the first row that asks */
	bool unscored;                    /* loaded unscored: v->sheet empty, no score yet */
} assess_view;

/* Loads assessment `id` for `side` and checks `action` with authz. On any
 * failure renders the error page (404, 403, 500) and returns false. */
bool assess_view_load(web *w, int64_t id, answer_side side, authz_action action, assess_view *v);
void assess_view_free(assess_view *v);
/* The same, unscored (web_route's .unscored): the stored rows only, no
 * parse of the answers and no score — what a save needs (issue 19). */
bool assess_view_load_unscored(web *w, int64_t id, answer_side side, authz_action action, assess_view *v);
/* Scores the view again from v->sheet as it is in memory (after a save
 * changed some answers in v->stored and v->sheet): no store read. An
 * unscored view is first completed from v->stored (and its derived
 * items). */
void assess_view_rescore(web *w, assess_view *v);
/* The same for the school's own documents (council, letters, evidence,
 * generated documents): publishing opens the scores, never these, so
 * access is decided as if the result were not published. */
bool assess_view_load_private(web *w, int64_t id, assess_view *v);
/* May the account do `action` on this assessment (item: for council
 * members, whether that item is assigned to them; NULL = any)? */
bool assess_allowed(web *w, assess_view *v, authz_action action, const char *item, authz_decision *why);
/* The workflow input with the facts of this view for this account. */
void assess_wf_input(web *w, assess_view *v, wf_input *in);
/* The service's view of this assessment for this account (assess.h): its
 * workflow facts, the account on it and its score. *az must live as long
 * as the target. */
void assess_target_of(web *w, assess_view *v, authz_ctx *az, assess_target *t);
/* Applies workflow action `a` for this account (reason: as typed, may be
 * NULL) through the service (assess_act), which stores the level the step
 * fixes in the same transaction. Returns 0 with res->next the new state,
 * or the HTTP status of a refusal (assess_refusal_status) with a
 * Vietnamese message in res->message. Shared by the pages and the JSON
 * API. */
int assess_apply(web *w, assess_view *v, wf_action a, const char *reason, wf_result *res);

/* ---- the external evaluation's facts (one place for the page and the API) ---- */

/* Does the team's score of this leaf (ext) differ from the self score?
 * Gates compare met / not met; other items their points. Unscored: no. */
bool assess_leaf_differs(const assess_view *self, const assess_view *ext, const fw_node *leaf);
/* Has the team given a reason for its score of this leaf? */
bool assess_leaf_explained(const assess_view *ext, const fw_node *leaf);
/* How many leaves differ from the self score without a reason. */
int assess_unexplained(const assess_view *self, const assess_view *ext);
/* The evaluation steps' facts beside assess_wf_input's: evaluators
 * assigned to the unit in the round, items without a reconciled score,
 * differences from the self score without a reason. */
void assess_eval_facts(web *w, const assess_view *self, const assess_view *ext, wf_input *in);
/* Is a an evaluation step (start, finish, reopen the evaluation): decided
 * on the external side, whose score fixes the external level? */
bool assess_is_eval_step(wf_action a);
/* Is a decided on the external side (the evaluation steps, recognition and
 * its withdrawal, publication and its withdrawal)? assess_apply takes
 * these on the team's answers whichever side v is, and freezes the public
 * snapshot of the team's score when publishing (score_public_snapshot, as
 * the office's page). Recognition needs its decision: assess_recognise. */
bool assess_is_external_step(wf_action a);
/* Recognises the units of ext[0..n) (loaded with ANSWER_EXTERNAL) with one
 * decision issued by office `issuer`, at the level each team's answers
 * give, through assess_act; level (0 = not named) is the level the
 * decision names, refused (422) unless the answers give it. 0 when done, else the HTTP status with
 * res->message. Shared by the office's page and the JSON API. */
int assess_recognise(web *w, assess_view *ext, size_t n, const decision *dec, int64_t issuer, int level, wf_result *res);

/* ---- the team's reconciled answers (the team's page and the JSON API) ---- */

/* May this account write the team's answers (the team head for this unit,
 * or a system administrator, while the evaluation is under way)? */
bool assess_may_reconcile(web *w, assess_view *ext);
/* Why not (when assess_may_reconcile said no): the HTTP status (409 for
 * the state, else 403) and the Vietnamese message. */
int assess_reconcile_refusal(web *w, assess_view *ext, const char **message);
/* Stores the team's answer to leaf (value_json as stored, NULL = cleared;
 * nothing is written for a leaf never scored and cleared) with its reason
 * (blank = none), parsed as a sheet parses it. False with "CODE: why"
 * lines appended to errors. */
bool assess_external_put(web *w, assess_view *ext, const fw_node *leaf, const char *value_json, const char *reason,
                         buf *errors);
/* The office's own assessment (3806 group 2, web_derived.c): when the
 * framework has derived items, the recognised results of the units the
 * assessed office evaluates in the rounds of the same school year, scored
 * now from their external answers, become sheet.subs (read at every
 * view: always current). Called by assess_view_load before scoring. */
bool assess_has_derived(const framework *fw);
void assess_load_derived(web *w, assess_view *v);
/* One derived item on the form: its formula, its inputs and the table
 * "Đơn vị tác động" (which units count, their recognised level and score,
 * what each adds, and which were recognised after the office's last
 * save or state change). */
void assess_derived_item(web *w, assess_view *v, const fw_node *leaf);
/* The units recognised since the office last worked on its assessment
 * that changed a derived item, as a notice above the form. */
void assess_derived_notice(web *w, assess_view *v);
/* The basis of the derived items the office chose and the date their
 * results are taken at (today when it chose none): false when the view has
 * no derived items or could not read them. */
bool assess_derived_basis(const assess_view *v, const char **basis_code, const char **basis_label, const char **on);
/* "Cơ sở tính các mục suy ra: …; kết quả tính đến ngày …" as a paragraph
 * (the print view); nothing without derived items. */
void assess_derived_basis_line(web *w, assess_view *v);
/* The school form's controls for one item, filled with value_json (NULL =
 * unanswered), and the value the posted form gives for it (page_assess.c;
 * page_eval.c scores the external side with them). */
void assess_item_control(web *w, assess_view *v, const fw_node *leaf, const char *value_json, bool on);
const char *assess_item_from_form(web *w, assess_view *v, const fw_node *leaf, bool *present);
/* The inputs of a form of items (the school's save form, the team's
 * score forms), for a route's `.inputs`: "f:CODE" marks an item the form
 * carries, "v:CODE" / "v:CODE:part" its controls (a part may repeat: the
 * missing components). The answer itself is checked by answers.c. */
#define ASSESS_ITEM_INPUTS \
	{ .name = "f:", .type = WEB_IN_BOOL, .prefix = true }, \
	{ .name = "v:", .type = WEB_IN_TEXT, .prefix = true, .label = "câu trả lời" }
#endif
