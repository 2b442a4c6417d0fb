/* q_office.h — what the office side stores beyond rounds and assessments:
 * administrative decisions (quyết định: the external team, recognition),
 * per-unit deadline extensions with their reason, the office's inbox, the
 * external evaluation team and each member's own scores, the recognition
 * of levels by decision, and the published results that the public pages
 * and the open data read (a snapshot taken when the office publishes, so
 * that what the public sees is exactly what was published).
 *
 * Like every q_*.c module it records; workflow.c decides which transition
 * may happen and authz.c who may ask. Migration 6 (office_migration_sql)
 * holds the tables. */
#ifndef CHISO_Q_OFFICE_H
#define CHISO_Q_OFFICE_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_assessment.h"
#include "q_unit.h"

extern const char office_migration_sql[];

/* ---- decisions ------------------------------------------------------- */

typedef struct decision {
	int64_t id, issuer_unit_id;
	const char *kind;      /* "external_team" | "recognition" | … */
	const char *number;    /* "125/QĐ-PGDĐT" */
	const char *date;      /* ISO */
	const char *signer;    /* "Nguyễn Văn A — Trưởng phòng" */
} decision;

int decision_get(db *d, int64_t id, arena *a, decision *out);

/* ---- deadline extensions --------------------------------------------- */

typedef struct deadline_extension {
	int64_t id, assessment_id, account_id;
	const char *until, *reason, *at;
} deadline_extension;

/* Gives one unit's assessment until `until` (ISO, required) to submit, with
 * a reason (required): sets the assessment's extension and keeps a row of
 * history. Audited (assessment.extend). */
int office_extend(db *d, int64_t actor, int64_t assessment_id, const char *until,
                  const char *reason);
/* The same inside the caller's write transaction (reason already cleaned). */
int office_extend_tx(db *d, int64_t actor, int64_t assessment_id, const char *until,
                     const char *reason);
/* The extensions of a round's assessments, newest first. */
int office_extensions(db *d, int64_t round_id, arena *a, deadline_extension **out, size_t *n);

/* ---- the inbox ------------------------------------------------------- */

typedef struct inbox_row {
	assessment as;
	unit u;
	int64_t manager_id;        /* the unit's parent on the date, 0 = none */
	const char *manager_name;
} inbox_row;

/* Every assessment of the round with its unit and managing body on `date`
 * (unordered: the page sorts in Vietnamese order). */
int office_inbox(db *d, int64_t round_id, const char *date, arena *a, inbox_row **out,
                 size_t *n);

/* ---- answer versions --------------------------------------------------- */

/* Every version of every answer of one side, by item then version: the
 * page rebuilds the answers as they stood at each submission. */
int office_answer_versions(db *d, int64_t assessment_id, answer_side side, arena *a,
                           assessment_answer **out, size_t *n);

/* ---- the external evaluation team ------------------------------------- */

typedef struct team {
	int64_t id, round_id;
	decision dec;              /* the decision forming the team */
} team;

typedef enum team_post { TEAM_HEAD, TEAM_SECRETARY, TEAM_MEMBER, TEAM_POST_INVALID = -1 } team_post;
const char *team_post_code(team_post p);     /* "truong_doan", "thu_ky", "thanh_vien" */
const char *team_post_label(team_post p);    /* "Trưởng đoàn" … */
team_post team_post_parse(const char *code);

typedef struct team_member {
	int64_t account_id;
	team_post post;
	const char *full_name, *login;
} team_member;

/* Forms the round's team by decision, or records a new decision for it
 * (the decision is issued by the round's office). *team_id may be NULL. */
int team_form(db *d, int64_t actor, int64_t round_id, const decision *dec, int64_t *team_id);
/* DB_ENOTFOUND when the round has no team yet. */
int team_get(db *d, int64_t round_id, arena *a, team *out);
/* Adds a member or changes their post. One head and one secretary at most
 * (DB_ECONSTRAINT with a message). */
int team_set_member(db *d, int64_t actor, int64_t team_id, int64_t account_id, team_post post);
int team_remove_member(db *d, int64_t actor, int64_t team_id, int64_t account_id);
/* Head, secretary, members; then by name. */
int team_members(db *d, int64_t team_id, arena *a, team_member **out, size_t *n);

/* Why a member should not judge a unit: they hold a role in it (they
 * belong to it), or they sit on its self-assessment council in the round. */
int team_conflicts(db *d, int64_t round_id, int64_t unit_id, int64_t account_id,
                   bool *belongs, bool *on_council);

typedef struct evaluator_unit {
	int64_t round_id, unit_id, account_id, assessment_id;
	bool lead;
	const char *unit_name, *unit_code, *state, *round_title, *member_name;
} evaluator_unit;
/* The units an account is assigned to judge, in every round (account_id
 * != 0), or every assignment of one round (account_id == 0). */
int office_assignments(db *d, int64_t round_id, int64_t account_id, arena *a,
                       evaluator_unit **out, size_t *n);

/* ---- each member's own scores ---------------------------------------- */

typedef struct member_score {
	int64_t account_id;
	const char *item_code, *value_json, *reason, *updated_at;
} member_score;

/* Records the member's current score for one item (value_json NULL
 * clears it). Audited with the previous value. */
int member_score_put(db *d, int64_t actor, int64_t assessment_id, const char *item_code,
                     const char *value_json, const char *reason);
/* Every member's scores of an assessment, by item then member. */
int member_scores(db *d, int64_t assessment_id, arena *a, member_score **out, size_t *n);

/* ---- recognition and publication --------------------------------------- */

/* What recognition and publication record beside the transition; the
 * service (assess.c) applies the transition, these rows and the level in
 * one transaction.
 * The recognition decision (kind "recognition", issued by `issuer`; number
 * and date required, date real). Audited (decision.create). */
int office_recognition_decision(db *d, int64_t actor, int64_t issuer, const decision *dec, int64_t *id);
/* Links the assessment to its recognition decision, audited as
 * assessment.recognise with the level recognised; decision_id 0 unlinks
 * it (the recognition withdrawn; the decision itself stays on record). */
int office_recognition_link(db *d, int64_t actor, int64_t assessment_id, int64_t decision_id, int level);
/* Stores the public snapshot (result_json: the level and the scores per
 * group, as the open data gives them; audited as assessment.publish), or
 * removes it (NULL). */
int office_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json);

typedef struct public_result {
	int64_t assessment_id, unit_id, round_id, office_id;
	const char *unit_code, *unit_name, *unit_type, *unit_address;
	const char *office_name, *school_year, *round_title;
	int level;
	const char *result_json;
	const char *decision_number, *decision_date, *decision_signer;
	const char *published_at;
	bool by_school;            /* published by the school itself (q_publish.c) */
	bool self_assessed;        /* the school's self-assessment, not recognised yet (basis tu_danh_gia) */
} public_result;
/* The columns public_result_read reads, in order (aliases: a assessments,
 * u the unit, r rounds, o the round's office, p published_results, dc the
 * recognition decision, LEFT JOINed). */
#define PUBLIC_RESULT_COLUMNS "a.id, u.id, r.id, r.office_unit_id, u.code, u.name, u.type," \
	" u.address, o.name, r.school_year, r.title," \
	" CASE WHEN p.basis = 'tu_danh_gia' THEN a.self_level ELSE a.recognised_level END, p.result_json," \
	" dc.number, dc.date, dc.signer, p.published_at, p.by_school, p.basis"
/* Public: the office's published results, and the self-assessment results
 * schools made public before recognition (q_publish.h), whatever the state. */
#define PUBLIC_RESULT_VISIBLE "(a.state = ? OR p.basis = 'tu_danh_gia')"
void public_result_read(db_stmt *s, arena *a, public_result *p);

/* Published results only: of one unit (unit_id), of one area (office_id:
 * the office that recognised them), or all (both 0). Newest year first,
 * then by unit code. */
int public_results(db *d, int64_t unit_id, int64_t office_id, arena *a, public_result **out,
                   size_t *n);

typedef struct public_area {
	int64_t office_id;
	const char *name, *type;
	int64_t units;             /* units with a published result */
} public_area;
int public_areas(db *d, arena *a, public_area **out, size_t *n);

/* ---- reminders ------------------------------------------------------- */

typedef struct unit_contact {
	int64_t account_id;
	const char *full_name, *email;
} unit_contact;
/* The active principals of a unit that have an e-mail address. */
int office_unit_contacts(db *d, int64_t unit_id, arena *a, unit_contact **out, size_t *n);
/* One audit row per reminder: to whom, sent or why not. */
int office_reminder_record(db *d, int64_t actor, int64_t round_id, int64_t unit_id, const char *to, bool ok,
                           const char *error);
#endif
