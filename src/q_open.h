/* q_open.h — the open data read a page at a time (page_public.c streams
 * it): published results in assessment id order, so that each page is a
 * range of the primary key whatever the size of the country. */
#ifndef CHISO_Q_OPEN_H
#define CHISO_Q_OPEN_H
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "q_office.h"

/* Up to `limit` published results (the state checked, as
 * public_results) with assessment id > after_id, by assessment id; of one
 * area (office_id, 0 = all) and one school year (NULL or "" = all). */
int open_results_page(db *d, int64_t office_id, const char *school_year, int64_t after_id, int64_t limit, arena *a,
                      public_result **out, size_t *n);

/* How many open_results_page would give in all. */
int open_results_count(db *d, int64_t office_id, const char *school_year, int64_t *out);

/* The distinct framework versions ("id@revision") of those results. */
int open_results_frameworks(db *d, int64_t office_id, const char *school_year, arena *a, const char ***out, size_t *n);
#endif
