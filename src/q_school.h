/* q_school.h — read-only questions the school's pages ask across the
 * store: every assessment of a unit with its round (the home page), and
 * the accounts that work in a unit (who can sit on its council). */
#ifndef CHISO_Q_SCHOOL_H
#define CHISO_Q_SCHOOL_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_assessment.h"
#include "q_round.h"

typedef struct school_assessment {
	assessment as;
	round_row round;
} school_assessment;

/* The unit's assessments, newest school year first, open rounds before
 * closed ones within a year. */
int school_assessments(db *d, int64_t unit_id, arena *a, school_assessment **out, size_t *n);

typedef struct school_account {
	int64_t id;
	const char *login, *full_name;
	bool active;
	bool principal;               /* holds the principal role of the unit */
} school_account;

/* Accounts holding any role on the unit, once each, in no particular
 * order (the page sorts them the Vietnamese way). */
int school_accounts(db *d, int64_t unit_id, arena *a, school_account **out, size_t *n);
#endif
