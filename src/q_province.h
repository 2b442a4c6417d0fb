/* q_province.h — a Sở's province across offices (issue 11, item 3): the
 * rounds in which the units it evaluates or manages today take part — its
 * own, a dissolved Phòng's 2024-2025 rounds, a commune's — and one row per
 * assessment of them, for the province roll-up (page_province.c). The
 * store says which rounds belong to the province; who may read it is
 * authz.c's (the Sở's office roles). */
#ifndef CHISO_Q_PROVINCE_H
#define CHISO_Q_PROVINCE_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_round.h"

typedef struct province_row {
	int64_t round_id, unit_id;
	int64_t commune_id;        /* the unit's managing body on `date` (parent), 0 = none */
	const char *unit_type;     /* q_unit.h school type code */
	int level;                 /* recognised, else external, else self-assessed; 0 = none yet */
	bool recognised;           /* the level is the recognised one */
} province_row;

/* The rounds of the province of office `so` on `date` (ISO): its own, and
 * every round in which a school it evaluates or manages on `date` has an
 * assessment. Newest school year first, then by id. */
int province_rounds(db *d, int64_t so, const char *date, arena *a, round_row **out, size_t *n);
/* One row per school assessment of those rounds, ordered by round and
 * unit. Office units (a Phòng's own 3806 assessment) are left out. */
int province_rows(db *d, int64_t so, const char *date, arena *a, province_row **out, size_t *n);
#endif
