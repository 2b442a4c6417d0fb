/* audit.h — the append-only, hash-chained audit log.
 *
 * One row per change: who, when, what (action on object_type/object_id),
 * the object before and after as canonical JSON. Row n stores
 * hash_n = SHA-256(hash_{n-1} ‖ canonical(row n)) in hex, the first row
 * chaining from 64 zeros, so editing, inserting or deleting any row breaks
 * every hash after it. Every state-changing store function calls
 * audit_record inside its own write transaction, so the change and its
 * audit row commit or vanish together. */
#ifndef CHISO_AUDIT_H
#define CHISO_AUDIT_H
#include <jansson.h>
#include <stdint.h>
#include "db.h"

/* Appends a row. Must run inside a write transaction (DB_EMISUSE
 * otherwise). actor 0 = the system (CLI, imports). before/after may be
 * NULL; they are serialised with sorted keys and released (stolen). */
/* db_begin_write that also reads the chain's tail under the lock (on
 * PostgreSQL in the same round trip), so the first audit_append of the
 * transaction needs no query of its own. */
int audit_begin_write(db *d);
int audit_record(db *d, int64_t actor, const char *action, const char *object_type,
                 int64_t object_id, json_t *before, json_t *after);

/* The same with the JSON already serialised (NULL allowed). */
int audit_append(db *d, int64_t actor, const char *action, const char *object_type,
                 int64_t object_id, const char *before_json, const char *after_json);

/* The INSERT of one audit row that chains itself: the statement reads the
 * chain's tail and computes the hash in the engine, from the same canonical
 * form as audit_append, so it needs no read of its own and runs in
 * db_write_batch's single round trip after the write lock (the answer save,
 * q_assessment.c). Prepared and bound; NULL on error (db_errmsg). The caller
 * runs it through db_write_batch — which forgets the head memo — and
 * db_finish-es it. `at` is taken now, before the lock: within a second of
 * the rows around it. */
db_stmt *audit_chain_stmt(db *d, int64_t actor, const char *action, const char *object_type,
                          int64_t object_id, const char *before_json, const char *after_json);

/* Many rows at once, in order, chained exactly as audit_append would chain
 * them one by one (one timestamp for the batch), written with multi-row
 * INSERTs: one round trip per 200 rows. Inside a write transaction. */
typedef struct audit_item {
	int64_t actor;
	const char *action, *object_type;
	int64_t object_id;
	const char *before_json, *after_json;   /* NULL allowed */
} audit_item;
int audit_append_many(db *d, const audit_item *items, size_t n);

typedef struct audit_report {
	int64_t rows;          /* rows checked */
	int64_t bad_seq;       /* first row that fails, 0 when the chain verifies */
	char head[65];         /* hash of the last row ("" for an empty log): write it
	                          down somewhere else to detect a truncated tail */
	char problem[200];     /* what is wrong at bad_seq */
} audit_report;

/* Walks the whole log in seq order and recomputes the chain. Returns DB_OK
 * with r->bad_seq == 0 when intact, DB_OK with r->bad_seq set when broken,
 * a DB_E* code when the log cannot be read. */
int audit_verify(db *d, audit_report *r);

typedef struct audit_entry {
	int64_t seq;
	const char *at;
	int64_t account_id;
	const char *action, *object_type;
	int64_t object_id;
	const char *before_json, *after_json;
	const char *prev_hash, *hash;
} audit_entry;

/* The history of one object, oldest first, in arena a. */
int audit_history(db *d, const char *object_type, int64_t object_id, arena *a,
                  audit_entry **out, size_t *n);

/* Canonical JSON of a value (sorted keys, compact, UTF-8); malloc'd. */
char *audit_json_dump(const json_t *j);
#endif
