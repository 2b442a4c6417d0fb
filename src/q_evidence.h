/* q_evidence.h — evidence (minh chứng) of an assessment: a catalogued item
 * with a stable code ("MC-1.3-02"), document number, date and issuer,
 * linked to one or more criteria, carrying files (blobs by SHA-256, see
 * blob.h) and/or links to systems. Evidence can be reused across criteria
 * and copied from a previous round's assessment.
 *
 * Codes: MC-<first criterion>-<NN>, NN counting per (assessment, criterion)
 * from 01; a number once handed out is never handed out again, even after
 * the evidence is deleted, so printed catalogues stay unambiguous. */
#ifndef CHISO_Q_EVIDENCE_H
#define CHISO_Q_EVIDENCE_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "blob.h"
#include "db.h"

typedef struct evidence {
	int64_t id, assessment_id;
	const char *code;          /* generated; ignored on input */
	const char *title;         /* trích yếu / tên minh chứng */
	const char *doc_number;    /* "125/QĐ-UBND" */
	const char *doc_date;      /* ISO */
	const char *issuer;        /* nơi ban hành */
	const char *note;
	int64_t copied_from;       /* evidence id in an earlier round, 0 = none */
	int64_t created_by;
	const char **items;        /* criteria (item codes); items[0] gives the code */
	size_t nitems;
} evidence;

typedef struct evidence_file {
	int64_t id, evidence_id;
	const char *sha256;
	int64_t size;
	const char *mime;
	const char *original_name; /* NFC; shown, never used as a path */
} evidence_file;

typedef struct evidence_link {
	int64_t id, evidence_id;
	const char *url, *label;
} evidence_link;

/* Adds evidence with at least one criterion; generates its code (into a
 * arena copy at *code if code is not NULL). Audited. */
int evidence_add(db *d, int64_t actor, const evidence *e, int64_t *id, arena *a,
                 const char **code);
/* Updates title, number, date, issuer, note (the code never changes). */
int evidence_update(db *d, int64_t actor, int64_t id, const evidence *e);
int evidence_delete(db *d, int64_t actor, int64_t id);
/* Reuse for another criterion / stop using for one (not the last one). */
int evidence_link_criterion(db *d, int64_t actor, int64_t id, const char *item_code);
int evidence_unlink_criterion(db *d, int64_t actor, int64_t id, const char *item_code);

/* Attaches a stored blob (blob_put's info) under its original file name. */
int evidence_add_file(db *d, int64_t actor, int64_t evidence_id, const blob_info *b,
                      const char *original_name, int64_t *file_id);
int evidence_remove_file(db *d, int64_t actor, int64_t file_id);
/* http(s) URLs only. */
int evidence_add_link(db *d, int64_t actor, int64_t evidence_id, const char *url,
                      const char *label, int64_t *link_id);

int evidence_get(db *d, int64_t id, arena *a, evidence *out);
/* An assessment's evidence, by code; item_code non-NULL: only evidence for
 * that criterion. */
int evidence_list(db *d, int64_t assessment_id, const char *item_code, arena *a,
                  evidence **out, size_t *n);
int evidence_files(db *d, int64_t evidence_id, arena *a, evidence_file **out, size_t *n);
int evidence_links(db *d, int64_t evidence_id, arena *a, evidence_link **out, size_t *n);

/* Copies one evidence item (metadata, criteria, files, links) into another
 * assessment, keeping its code when free there. Files are shared: the
 * blobs are content-addressed. */
int evidence_copy(db *d, int64_t actor, int64_t evidence_id, int64_t to_assessment_id,
                  int64_t *new_id);
/* Copies all evidence of one assessment into another (a new round), in one
 * transaction. */
int evidence_copy_all(db *d, int64_t actor, int64_t from_assessment_id,
                      int64_t to_assessment_id, int *copied);

/* Whether any evidence file still references the blob (before removing
 * unreferenced blobs). */
int evidence_blob_referenced(db *d, const char *sha256, bool *yes);
#endif
