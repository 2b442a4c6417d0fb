/* q_publish.h — a school publishing its own recognised result (issue 11):
 * the same public snapshot as the office's publication (published_results,
 * q_office.c), marked as the school's, so that the school may withdraw
 * what it published and nothing else. The store decides nothing: the
 * service (assess.c) calls these inside its transaction. */
#ifndef CHISO_Q_PUBLISH_H
#define CHISO_Q_PUBLISH_H
#include <stdbool.h>
#include <stdint.h>
#include "db.h"

extern const char publish_own_migration_sql[];

/* Stores the school's public snapshot (as office_published_set, marked
 * by_school; audited as assessment.publish), or removes it (NULL). */
int school_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json);
/* *yes: the assessment's public snapshot was published by the school
 * itself (false when there is none or the office published it). */
int school_published_by_school(db *d, int64_t assessment_id, bool *yes);
#endif
