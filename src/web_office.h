/* web_office.h — what the office-side pages share (page_office.c,
 * page_eval.c, page_public.c): a round with its office and the access
 * decision on it, the access decision on one assessment of it without
 * loading its answers, the text of a stored answer, scoring a set of
 * stored values, and small date helpers. */
#ifndef CHISO_WEB_OFFICE_H
#define CHISO_WEB_OFFICE_H
#include "q_office.h"
#include "q_round.h"
#include "remind.h"
#include "web_assess.h"

typedef struct round_view {
	round_row r;
	unit office;
	const char *date;                 /* the date the relations are read on */
	int64_t *parents, *evaluators; size_t nparents, nevaluators;   /* the office's */
	bool closed;
} round_view;

/* Loads round `id` and checks `action` on it (AUTHZ_VIEW: the office is in
 * the account's scope; AUTHZ_OPEN_ROUND: the account works at the office
 * that opened it). Renders the error page and returns false on failure. */
bool round_view_load(web *w, int64_t id, authz_action action, round_view *v);
bool round_allowed(web *w, const round_view *v, authz_action action, authz_decision *why);
/* The account's capacities on the round's report to the superior
 * (WF_REPORT_BY_*, authz_report_capacities); 0: none. */
unsigned round_report_capacities(web *w, const round_view *v);

/* The round's title, office and the tabs of its pages ("" overview,
 * "/hop-thu", "/doan", "/cong-nhan": the current one). */
void office_round_header(web *w, const round_view *v, const char *here);

/* May the account do `action` on assessment `as` of the round? The unit's
 * chains are read on the round's date (as assess_view_load does), without
 * loading answers: for lists. */
bool office_assessment_allowed(web *w, const round_view *rv, const assessment *as, authz_action action);

/* The round's assessments with their units and managing bodies that the
 * account may view, in Vietnamese alphabetical order of the unit names. */
size_t office_round_rows(web *w, const round_view *v, inbox_row **out);

/* "Tiểu học", "Phòng GD&ĐT", … for a stored unit type code. */
const char *office_unit_type_label(const char *type);

/* A stored answer as a person reads it ("Có", "45/60", "Mức 2 — thiếu: …"),
 * "" for NULL. */
const char *office_answer_text(web *w, const fw_node *leaf, unit_type t, const char *value_json);

/* Scores values[leaf_index] (JSON text, NULL = unanswered) with the round's
 * policy; NULL when the engine refuses. Free with score_free. */
score_result *office_score(web *w, const framework *fw, unit_type t, const char *policy,
                           const char *const *values);


/* Whole days from yyyymmdd `from` to `to` (negative when to is earlier). */
int office_days(int from, int to);
/* Today as ISO "2025-05-31" (Vietnamese date). */
const char *office_today_iso(web *w);
/* The site's own address ("https://chiso.example.vn"), for links that
 * leave it: the badge snippet, the open data, e-mails. */
const char *office_base_url(web *w);
/* An integer id from a form field; 0 when absent or malformed. */
int64_t office_param_id(web *w, const char *name);
/* The Sở a province page is about: ?co_quan=, else the account's Sở (an
 * office role there) that still has a superior on `date`, else its first
 * Sở; 0: none. Access is the caller's (WEB_LOAD_PROVINCE). */
int64_t office_province_so(web *w, const char *date);
/* A stored UTC timestamp as Vietnamese local time "21/02/2025 08:30". */
const char *office_time(web *w, const char *ts);
/* "7,5" for points. */
const char *office_q(web *w, q v);
/* Queues the reminders a page wrote (late: the units found late) and wakes
 * the worker; releases the batch; false after answering 500. */
bool web_remind_queue(web *w, int64_t round_id, remind_batch *b, size_t late, int64_t *id_out);
#endif
