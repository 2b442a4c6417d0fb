/* q_unit_bulk.h — the unit importer's batched writes: every stored unit in
 * one query, new and changed units and new relations in multi-row
 * statements (one round trip per chunk), their audit rows through
 * audit_append_many with the same actions and payloads as unit_save and
 * unit_relate. Each runs inside the caller's write transaction or its own. */
#ifndef CHISO_Q_UNIT_BULK_H
#define CHISO_Q_UNIT_BULK_H
#include "q_unit.h"
#include <jansson.h>

/* in checked and normalised as unit_save does it (trimmed texts, code,
 * type, levels), into *out in arena a. DB_EINVAL with the reason. */
int unit_clean(db *d, const unit *in, arena *a, unit *out);

/* The audit payloads of a unit and of a relation, as unit_save,
 * unit_relate and the bulk writes record them. */
json_t *unit_audit_json(const unit *u);
json_t *unit_relation_audit_json(int64_t unit_id, unit_rel kind, int64_t other, const char *from,
                                 const char *to);

/* One unit_relations row (id, unit_id, kind, other_unit_id, valid_from,
 * valid_to) of a SELECT into *r, texts in arena a. */
void unit_relation_read_row(db_stmt *s, arena *a, unit_relation *r);

/* Inserts the relations r[0..k) (unit_id, kind, other_unit_id) from
 * `from` in one statement: unit_relate's row (k = 1) and the importer's
 * chunks. No checks, no audit. */
int unit_relation_insert(db *d, const unit_relation *r, size_t k, const char *from);

/* Every stored unit, in arena a. */
int unit_bulk_all(db *d, arena *a, unit **out, size_t *n);

/* Inserts u[0..n) (cleaned, codes not stored yet); ids[i] gets u[i]'s id.
 * One "unit.create" audit row each. */
int unit_bulk_create(db *d, int64_t actor, const unit *u, size_t n, int64_t *ids);

/* Overwrites the stored units old[i] (by old[i].id) with now[i] (cleaned,
 * same code). One "unit.update" audit row each. */
int unit_bulk_update(db *d, int64_t actor, const unit *old, const unit *now, size_t n);

/* Every relation that holds on date or starts after it (valid_to NULL or
 * after date): what a change on date would touch. */
int unit_bulk_touching(db *d, const char *date, arena *a, unit_relation **out, size_t *n);

/* Inserts the relations r[i] (unit_id, kind, other_unit_id) from `from`,
 * for (unit, kind) pairs that have no relation on or after `from`, which
 * the caller has checked (office type, no loop). One "unit.relate" audit
 * row each, as unit_relate writes it. */
int unit_bulk_relate_new(db *d, int64_t actor, const unit_relation *r, size_t n, const char *from);
#endif
