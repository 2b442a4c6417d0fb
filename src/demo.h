/* demo.h — the demo data set (`chiso demo`): one province (Bình Định), its
 * Sở GD&ĐT, four Phòng GD&ĐT dissolved on 1/7/2025 with UBND xã/phường
 * taking over the management of their schools (dated relations), 200
 * schools of every type with Vietnamese names, codes and addresses,
 * accounts for every role, the 2024-2025 rounds (done: recognised and
 * published, evaluated by the Phòng) and a round of the current school year
 * opened by the Sở with deadlines relative to today and assessments in
 * every workflow state, with answers valid for their framework and levels
 * computed by the scoring engine, councils with members, assignments and
 * tasks, external teams, and evidence with small real files.
 *
 * Deterministic: a fixed seed; only the current round's dates follow
 * today (opts->today). Every demo password is DEMO_PASSWORD. */
#ifndef CHISO_DEMO_H
#define CHISO_DEMO_H
#include "blob.h"
#include "buf.h"
#include "db.h"
#include "framework.h"
#include "workflow.h"

#define DEMO_PASSWORD "chiso2025"

typedef struct demo_opts {
	const char *db_target;
	blob_store *blobs;
	const fw_catalog *frameworks;
	const char *today;       /* "YYYY-MM-DD"; NULL = today's local date */
} demo_opts;

typedef struct demo_account {
	const char *login, *what;   /* static or owned by the summary's arena */
} demo_account;

typedef struct demo_summary {
	arena *mem;                 /* owns the strings below; demo_summary_free */
	int offices, ubnd, schools;
	int by_type[UT_COUNT];
	int accounts, rounds, assessments, answers, councils, tasks, evidence, files;
	int by_state[WF_STATE_COUNT];          /* the current round */
	int self_levels[4];                    /* current round, stored self levels */
	int recognised_2024[4];                /* 2024-2025, recognised levels */
	const char *current_year, *self_due, *report_due, *external_due;
	demo_account *shown; size_t nshown;    /* accounts worth trying first */
} demo_summary;

/* Builds the data set into d, which must be migrated and hold no units.
 * Returns DB_OK, or an error code with the reason in err. */
int demo_create(db *d, const demo_opts *o, demo_summary *s, buf *err);
void demo_summary_free(demo_summary *s);

/* A small valid one-page PDF showing `title` (ASCII only) and `lines`,
 * and a small valid PNG (w × h, RGB) — the demo's evidence files.
 * The caller frees with buf_free. */
void demo_pdf(buf *out, const char *title, const char *const *lines, size_t nlines);
void demo_png(buf *out, int w, int h, unsigned seed);
#endif
