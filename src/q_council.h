/* q_council.h — the self-assessment council (hội đồng tự đánh giá) or
 * working group (tổ công tác) of an assessment: formed by decision, its
 * members with their posts and the items each is assigned, and the task
 * table of the plan (seed 002: TT, content, due, who leads, who takes part,
 * status). Whether the council may still be edited is workflow.c's call
 * (wf_council_editable); the store records. */
#ifndef CHISO_Q_COUNCIL_H
#define CHISO_Q_COUNCIL_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

typedef enum council_post {
	COUNCIL_CHU_TICH,         /* chủ tịch: at most one */
	COUNCIL_PHO_CHU_TICH,
	COUNCIL_THU_KY,           /* thư ký: consolidates */
	COUNCIL_UY_VIEN,
	COUNCIL_POST_INVALID = -1
} council_post;
const char *council_post_code(council_post p);    /* "chu_tich" */
const char *council_post_label(council_post p);   /* "Chủ tịch" */
council_post council_post_parse(const char *code);

typedef struct council {
	int64_t id, assessment_id;
	const char *kind;              /* "hoi_dong" | "to_cong_tac" */
	const char *decision_number;   /* "15/QĐ-THCSNHT" */
	const char *decision_date;
} council;

typedef struct council_member {
	int64_t id, council_id;
	int64_t account_id;            /* 0: a member without an account */
	const char *full_name;
	const char *job_title;         /* chức vụ: "Phó Hiệu trưởng" */
	council_post post;
	const char **items;            /* assigned item codes, sorted */
	size_t nitems;
} council_member;

/* Forms the assessment's council, or updates its kind and decision. */
int council_form(db *d, int64_t actor, int64_t assessment_id, const char *kind,
                 const char *decision_number, const char *decision_date, int64_t *id);
int council_get(db *d, int64_t assessment_id, arena *a, council *out);
/* account_id 0 = no account; full_name NULL takes the account's name. A
 * second chủ tịch, or the same account twice, is DB_ECONSTRAINT. */
int council_add_member(db *d, int64_t actor, int64_t council_id, int64_t account_id,
                       const char *full_name, const char *job_title, council_post post,
                       int64_t *member_id);
int council_remove_member(db *d, int64_t actor, int64_t member_id);
/* Replaces the member's assigned items with items[0..n). */
int council_assign(db *d, int64_t actor, int64_t member_id, const char *const *items, size_t n);
/* Members by post, then name; with their items. */
int council_members(db *d, int64_t council_id, arena *a, council_member **out, size_t *n);
/* Facts for authz_object: is the account the council's thư ký; is
 * item_code assigned to the account. */
int council_is_secretary(db *d, int64_t assessment_id, int64_t account_id, bool *yes);
int council_item_assigned(db *d, int64_t assessment_id, int64_t account_id,
                          const char *item_code, bool *yes);

typedef struct council_task {
	int64_t id, assessment_id;
	int seq;                       /* TT; 0 on input = next */
	const char *title;
	const char *due;               /* ISO date (what "overdue" uses) or NULL */
	const char *due_label;         /* as the plan words it: "Tháng 02/2025" */
	int64_t owner_member_id;       /* người chịu trách nhiệm chính, 0 = none */
	const char *status;            /* "todo" | "doing" | "done"; NULL on input = todo */
	const char *note;
	int64_t *member_ids;           /* người thực hiện */
	size_t nmembers;
} council_task;

int council_task_add(db *d, int64_t actor, int64_t assessment_id, const council_task *t,
                     int64_t *id);
int council_task_set_status(db *d, int64_t actor, int64_t task_id, const char *status);
/* By seq. */
int council_tasks(db *d, int64_t assessment_id, arena *a, council_task **out, size_t *n);
#endif
