/* q_extreq.h — a school's request for a later deadline ("Xin gia hạn",
 * issue 16, item 5): asked with a reason by the unit, answered by the
 * evaluating office — granted with a new date (which records the extension
 * itself, q_office.c's office_extend_tx, in the same transaction) or
 * refused with a reason. At most one request waits per assessment.
 * Migration 12 (extreq_migration_sql). Who may ask or answer is decided by
 * the pages through authz.c; the store records. */
#ifndef CHISO_Q_EXTREQ_H
#define CHISO_Q_EXTREQ_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char extreq_migration_sql[];

typedef enum extreq_status { EXTREQ_PENDING, EXTREQ_GRANTED, EXTREQ_REFUSED } extreq_status;

typedef struct extreq {
	int64_t id, assessment_id, requested_by, answered_by;
	extreq_status status;
	char *reason, *requested_at;
	char *until, *answer, *answered_at;   /* NULL while pending; until only when granted */
} extreq;

/* Records a request; DB_ECONFLICT (with a message) when one already waits. */
int extreq_create(db *d, int64_t actor, int64_t assessment_id, const char *reason, int64_t *id_out);
/* One request. */
int extreq_get(db *d, int64_t id, arena *a, extreq *out);
/* An assessment's requests, newest first. */
int extreq_of_assessment(db *d, int64_t assessment_id, arena *a, extreq **out, size_t *n);
/* The waiting requests of a round, oldest first. */
int extreq_pending_of_round(db *d, int64_t round_id, arena *a, extreq **out, size_t *n);
/* Answers a waiting request: granted (until required, "YYYY-MM-DD": the
 * extension is recorded too) or refused (answer required). DB_ECONFLICT
 * when it was answered meanwhile. One write transaction. */
int extreq_answer(db *d, int64_t actor, int64_t id, bool grant, const char *until, const char *answer);
#endif
