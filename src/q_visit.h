/* q_visit.h — the external team's visit schedule of a round (lịch kiểm
 * tra, seed 001: "lập kế hoạch kiểm tra các đơn vị"): which unit of the
 * round is visited on which day, by which members of the round's team;
 * and the conflicts a schedule can hold (a member in two places the same
 * day, a unit visited twice), which the page and the document flag. */
#ifndef CHISO_Q_VISIT_H
#define CHISO_Q_VISIT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char visit_migration_sql[];

typedef struct visit_member {
	int64_t account_id;
	const char *full_name;
} visit_member;

typedef struct round_visit {
	int64_t id, round_id, unit_id;
	const char *unit_code, *unit_name, *unit_type;
	const char *date;            /* ISO */
	const char *note;            /* NULL = none */
	visit_member *members;       /* by name */
	size_t nmembers;
} round_visit;

/* Schedules a visit: the unit must take part in the round, every member
 * belong to the round's external team (DB_EINVAL with a message otherwise:
 * a conflict is recorded and flagged, never refused). Audited (round.visit). */
int visit_add(db *d, int64_t actor, int64_t round_id, int64_t unit_id, const char *date,
              const int64_t *members, size_t nmembers, const char *note, int64_t *id);
/* Removes a visit of the round (DB_ENOTFOUND when the round has no such visit). Audited. */
int visit_remove(db *d, int64_t actor, int64_t round_id, int64_t visit_id);
/* The round's visits by date, then unit code, then id, with their members. */
int visit_list(db *d, int64_t round_id, arena *a, round_visit **out, size_t *n);

typedef enum visit_conflict_kind {
	VISIT_MEMBER_TWICE,          /* one member at two visits the same day */
	VISIT_UNIT_TWICE,            /* one unit visited twice */
} visit_conflict_kind;

typedef struct visit_conflict {
	visit_conflict_kind kind;
	size_t first, second;        /* indexes into the list, first < second */
	const visit_member *member;  /* VISIT_MEMBER_TWICE: who */
} visit_conflict;

/* The conflicts of a list (no I/O): each pair once, in list order. */
visit_conflict *visit_conflicts(arena *a, const round_visit *v, size_t n, size_t *nconflicts);
/* Does visit i take part in a conflict? */
bool visit_in_conflict(const visit_conflict *c, size_t nc, size_t i);
#endif
