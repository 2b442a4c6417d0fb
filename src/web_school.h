/* web_school.h — what the school's workflow pages share (home, council,
 * approval and submission, return for supplement: page_home.c,
 * page_council.c, page_submission.c), and the few hooks the assessment
 * form (page_assess.c) calls so that the approval, the office's reasons
 * and the way to submit show where people fill in the form. */
#ifndef CHISO_WEB_SCHOOL_H
#define CHISO_WEB_SCHOOL_H
#include "web_assess.h"

/* ---- dates and people ---------------------------------------------------- */

/* Days from one yyyymmdd to another (negative when `to` is earlier). */
int school_days_between(int from, int to);
/* "còn 12 ngày" / "hôm nay là hạn cuối" / "quá hạn 3 ngày" for a deadline
 * (ISO date, inclusive), as a span whose class says how urgent it is.
 * Nothing for NULL or an invalid date. */
void school_days_left(web *w, const char *iso_due);
/* "ngày 31 tháng 5 năm 2025 (còn 12 ngày)". */
void school_deadline(web *w, const char *iso_due);
/* "15:04 ngày 21 tháng 02 năm 2025": a stored UTC timestamp in Vietnam
 * time (UTC+7), the way people read when something happened. */
const char *school_time_long(web *w, const char *ts);
/* ISO date from a form field (a declared input of the route) typed as 2025-05-31 (date control) or
 * 31/05/2025 (old browsers show a text box); NULL when blank; *bad set
 * when something unreadable was typed. */
const char *school_form_date(web *w, const char *field, bool *bad);
/* The account's full name; "" when unknown. */
const char *school_account_name(web *w, int64_t account_id);
/* The latest transition into to_state (WF_APPROVED); false when none. */
bool school_last_transition(web *w, int64_t assessment_id, wf_state to_state,
                            assessment_transition_row *out);
/* Vietnamese order for people: by given name (the last word), then the
 * whole name, as school lists are kept. */
int school_name_cmp(const char *a, const char *b);

/* ---- an assessment's pages --------------------------------------------------- */

/* The tabs across one assessment's pages; current: "phieu", "hoi-dong",
 * "gui", "bo-sung". */
void school_tabs(web *w, assess_view *v, const char *current);
/* Was the self-assessment ever returned (so the tab and banner show)? */
bool school_ever_returned(web *w, assess_view *v);
/* Required leaves answered / all required leaves, from the view's score. */
void school_answered(const assess_view *v, size_t *answered, size_t *required);
/* covered[leaf_index] = the leaf (or a criterion above it) has evidence;
 * returns how many required leaves are covered (the progress the home
 * page shows next to "answered"). covered has fw->nleaves entries. */
size_t school_evidence_cover(web *w, const framework *fw, int64_t assessment_id, bool *covered);

/* ---- hooks for the assessment form (page_assess.c) --------------------------- */

/* Under the summary: the tabs, who approved and when (the form is then
 * locked), and the return-for-supplement banner with the deadline. */
void school_status_block(web *w, assess_view *v);
/* In a criterion's or item's row while the assessment is returned: the
 * office's reason for it. Nothing otherwise. */
void school_item_reason(web *w, assess_view *v, const fw_node *n);
/* Actions taken on another page (submission needs its request letter):
 * renders a link there and returns true; false for the others. */
bool school_action_elsewhere(web *w, assess_view *v, wf_action a);

/* ---- submission -------------------------------------------------------------- */

/* The request letter prefilled from the data: unit, superior, round,
 * framework decision, council decision, approval, totals and levels.
 * Plain text in w's arena. */
const char *school_letter_default(web *w, assess_view *v);
/* The totals and levels the letter announces, as JSON text (malloc'd). */
char *school_summary_json(const assess_view *v);
/* Submits the assessment with its request letter (NULL or blank: the
 * letter prefilled from the data): checks WF_SUBMIT for this account,
 * records the transition with the letter and the totals and fixes the
 * self-assessed level, in one transaction (assess_act). Returns 0, or the HTTP
 * status of a refusal with a Vietnamese message in res->message, as
 * assess_apply does (403 capacity, 409 state or a concurrent change, 422
 * deadline or letter, 500 store). For the page and the JSON API alike, so
 * that no submission goes without its letter. */
int school_submit(web *w, assess_view *v, const char *letter, wf_result *res);
#endif
