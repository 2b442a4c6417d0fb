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

/* The school's self-assessment result made public before recognition
 * (issue 11, item 5): the same snapshot table, basis 'tu_danh_gia' (the
 * office's and the recognised ones are 'cong_nhan'). The office's
 * publication replaces it (office_published_set deletes the row first). */
extern const char publish_self_migration_sql[];
/* Stores the school's public snapshot of its self-assessment, or removes
 * it (NULL: only a self-assessment row; audited as assessment.unpublish_self). */
int school_self_published_set(db *d, int64_t actor, int64_t assessment_id, const char *result_json);
/* *yes: the assessment has a self-assessment result made public. */
int school_self_published(db *d, int64_t assessment_id, bool *yes);
#endif
