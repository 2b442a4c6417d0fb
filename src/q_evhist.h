/* q_evhist.h — what happened to an assessment's evidence between two
 * moments (the resubmission diff, issue 16, item 8), read from the audit
 * log: evidence added, removed, changed (files, links, details), by
 * criterion. An evidence added and deleted inside the window leaves no
 * trace; a deleted one is found by the assessment its delete row names. */
#ifndef CHISO_Q_EVHIST_H
#define CHISO_Q_EVHIST_H
#include <stdint.h>
#include "arena.h"
#include "db.h"

typedef enum evhist_kind { EVHIST_ADDED, EVHIST_REMOVED, EVHIST_CHANGED } evhist_kind;

typedef struct evhist_change {
	const char *item;          /* criterion code */
	evhist_kind kind;
	int64_t evidence_id;
	const char *code, *title;  /* the evidence ("MC-1.3-02") */
	const char *what;          /* for CHANGED: "Thêm tệp: a.pdf", "Thêm đường dẫn: …", … (Vietnamese) */
	const char *at;
} evhist_change;

/* The changes after `from` up to and including `to` (stored timestamps),
 * in the order they happened. */
int evhist_between(db *d, int64_t assessment_id, const char *from, const char *to, arena *a,
                   evhist_change **out, size_t *n);
#endif
