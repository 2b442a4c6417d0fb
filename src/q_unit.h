/* q_unit.h — units (Bộ, Sở, Phòng, UBND xã, schools) and their dated
 * relations: `parent` (who manages the unit) and `evaluator` (who evaluates
 * and recognises it). The two can differ, and both change over time (the
 * 2025 reform, mergers) without rewriting the past: a relation holds on
 * [valid_from, valid_to), and every question is asked "on date D". */
#ifndef CHISO_Q_UNIT_H
#define CHISO_Q_UNIT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

typedef struct unit {
	int64_t id;
	const char *code;      /* mã đơn vị */
	const char *name;      /* NFC */
	const char *type;      /* see unit_type_valid */
	const char *address;   /* may be NULL */
	const char *levels;    /* liên cấp only: "tieu_hoc,thcs"; else NULL */
	bool is_public;        /* công lập */
} unit;

typedef enum unit_rel { UNIT_PARENT, UNIT_EVALUATOR } unit_rel;
const char *unit_rel_code(unit_rel k);            /* "parent" / "evaluator" */

typedef struct unit_relation {
	int64_t id, unit_id, other_unit_id;
	unit_rel kind;
	const char *valid_from;   /* inclusive */
	const char *valid_to;     /* exclusive; NULL = still holds */
} unit_relation;

/* The stored type codes: "bo", "ubnd_tinh" (the province's People's
 * Committee, above its Sở), "so", "phong", "ubnd_xa" (managing bodies)
 * and "mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx" (schools;
 * the school codes are framework.h's unit_type_code). */
bool unit_type_valid(const char *type);
bool unit_type_is_office(const char *type);

/* The search key of a name: lower case, tone marks removed, đ → d, runs of
 * white space collapsed ("Trường THCS Đông Hà" → "truong thcs dong ha").
 * (vn_fold, plus white space). malloc'd. */
char *unit_fold(const char *s);

typedef enum unit_change { UNIT_UNCHANGED, UNIT_CREATED, UNIT_UPDATED } unit_change;

/* Creates the unit, or updates the one with the same code (imports are
 * idempotent). Text is validated and stored in NFC. Audited as unit.create
 * / unit.update; an identical re-save changes nothing and writes no audit
 * row. *id and *change may be NULL. */
int unit_save(db *d, int64_t actor, const unit *u, int64_t *id, unit_change *change);

/* One unit, strings in arena a; DB_ENOTFOUND when absent. */
int unit_get(db *d, int64_t id, arena *a, unit *out);
/* The reader of unit_get's columns (id, code, name, type, address, levels,
 * is_public), for a joined row read through db_col_base. */
void unit_read_row(db_stmt *s, arena *a, unit *out);
int unit_find_code(db *d, const char *code, arena *a, unit *out);

/* Units whose folded name contains the folded `text` (any tone marks, any
 * case, đ or d), optionally of one type (NULL = all), ordered by code. */
int unit_search(db *d, const char *text, const char *type, int limit, arena *a,
                unit **out, size_t *n);

/* Edits unit `id`, its code included (unit_save keys by code, so it
 * cannot rename a code): a code already used by another unit is
 * DB_ECONSTRAINT. Audited as unit.code and unit.update. */
int unit_update(db *d, int64_t actor, int64_t id, const unit *u);

/* A page of the unit list for the administration pages. */
typedef struct unit_filter {
	const char *text;          /* folded match on the name, or part of the code; NULL = all */
	const char *type;          /* a type code, NULL or "" = all */
	int64_t parent_id;         /* managed by this unit on `date`, 0 = any */
	int64_t scope_office;      /* only this office's subtree on `date`, 0 = every unit */
	const char *date;          /* the relations are read on this date */
	bool with_dissolved;       /* also units dissolved by `date` (see unit_list_row) */
	size_t limit, offset;
} unit_filter;
typedef struct unit_list_row {
	unit u;
	int64_t parent_id, evaluator_id;        /* on `date`; 0 = none */
	const char *parent_name, *evaluator_name;
	/* Dissolved: the unit had relations and every one of them ended by
	 * `date` (unit_unrelate, e.g. the Phòng on 1/7/2025); the day the last
	 * one ended (exclusive end, ISO), else NULL. A unit never related (the
	 * Sở) or placed only from a later date is not dissolved. */
	const char *dissolved_on;
} unit_list_row;
/* Ordered by code; *total = how many units match the filter (all pages);
 * dissolved units only when f->with_dissolved. */
int unit_list(db *d, const unit_filter *f, arena *a, unit_list_row **out, size_t *n, int64_t *total);

/* True when unit_id appears in other_chain (the chain of ancestors of the
 * unit that would become unit_id's parent or evaluator, itself included
 * or not): making it so would close a loop. Pure. */
bool unit_chain_has_cycle(int64_t unit_id, const int64_t *other_chain, size_t n);

/* From date `from` on, unit_id's `kind` is other_id. The relation current
 * at `from` is closed on that date; the past stays as it was. Refused when
 * a later change is already recorded, when a parent relation would make a
 * cycle, or for a unit and itself. Re-stating the current relation is a
 * no-op; restating it on the very day it began corrects it. other_id must
 * be an office (Bộ, Sở, Phòng, UBND xã), for both kinds; the evaluator
 * chain is kept free of loops like the managing chain. */
int unit_relate(db *d, int64_t actor, int64_t unit_id, unit_rel kind, int64_t other_id,
                const char *from);
/* Ends the current `kind` relation of unit_id on date `on` (unit closed,
 * moved out of the system). DB_ENOTFOUND when none is current. */
int unit_unrelate(db *d, int64_t actor, int64_t unit_id, unit_rel kind, const char *on);

/* The unit's parent / evaluator on `date`: DB_ENOTFOUND when none. */
int unit_related_on(db *d, int64_t unit_id, unit_rel kind, const char *date, int64_t *other);
/* The units whose `kind` is other_id on `date` ("the units evaluated by
 * office O on date D"), ordered by code. */
int unit_dependents_on(db *d, int64_t other_id, unit_rel kind, const char *date, arena *a,
                       unit **out, size_t *n);
/* The chain of `kind` ancestors on `date`, nearest first, the unit itself
 * excluded (authz_object.parents / .evaluators). Stops at a cycle. */
int unit_chain_on(db *d, int64_t unit_id, unit_rel kind, const char *date, arena *a,
                  int64_t **ids, size_t *n);
/* *on: the day the unit was dissolved — it had relations and none holds
 * on `date` —, or NULL when it was not (never placed counts as not). */
int unit_dissolved_on(db *d, int64_t unit_id, const char *date, arena *a, const char **on);
/* Both chains (UNIT_PARENT, UNIT_EVALUATOR) of unit_id on date, each as
 * unit_chain_on gives it, in one round trip. */
int unit_chains_on(db *d, int64_t unit_id, const char *date, arena *a, int64_t **parents, size_t *np,
                   int64_t **evaluators, size_t *ne);
/* Every relation of the unit, both kinds, oldest first. */
int unit_relations(db *d, int64_t unit_id, arena *a, unit_relation **out, size_t *n);

/* True when `unit_id` is `office` or lies below it on `date`, following
 * parent and evaluator relations in any mix (a school evaluated by a Phòng
 * managed by a Sở is in the Sở's scope). */
int unit_in_scope(db *d, int64_t office, int64_t unit_id, const char *date, bool *yes);
/* Every unit in the office's scope on `date` (the office excluded). */
int unit_scope_list(db *d, int64_t office, const char *date, arena *a, int64_t **ids,
                    size_t *n);

/* A unit list uploaded on the administration page, kept (migration 8)
 * between its validation report and the officer's confirmation. */
typedef struct unit_import_file {
	int64_t id;
	const char *file_name;
	const void *data; size_t len;
	int64_t uploaded_by;
	const char *uploaded_at, *imported_at;   /* imported_at NULL until imported */
} unit_import_file;
int unit_import_file_save(db *d, int64_t actor, const char *file_name, const void *data, size_t len,
                          int64_t *id);
int unit_import_file_get(db *d, int64_t id, arena *a, unit_import_file *out);
/* Marks it imported, inside the import's write transaction: a second
 * confirmation (a double click, another tab) is DB_ECONFLICT. */
int unit_import_file_done(db *d, int64_t id);
#endif
