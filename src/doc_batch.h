/* doc_batch.h — one document type for every eligible unit of a round, in
 * one ZIP: the "doc-batch" kind of background job (job.h runs it).
 *
 * Which units: a per-unit document makes sense once the unit's assessment
 * has reached the step that produces it (doc_batch_eligible): the plan,
 * the council's decision and the evidence catalogue from the draft on; the
 * council's minutes and the self-assessment report once consolidated; the
 * principal's approval once approved; the request letter once submitted;
 * the external minutes once evaluated. A unit returned for supplement is
 * left out of the documents its correction will change.
 *
 * The ZIP holds one file per unit, numbered in Vietnamese alphabetical
 * order of the unit names ("001-Truong-THCS-Nhon-Binh-bien-ban-danh-gia-
 * ngoai.pdf": ASCII, safe in every file system and old unzip), and
 * danh-sach.csv: number, file, unit code and name, state, the record
 * number, SHA-256 and size of each file, and the error of each unit whose
 * document could not be made. Each document is recorded like one made
 * alone (documents + audit, under the account that asked).
 *
 * How: a pool of renderers (CHISO_BATCH_THREADS, else one per core, at
 * most 4), each on a database connection of its own opened from the job's
 * db_target (none without one: the batch is then rendered on the job's
 * connection), renders at most 8 documents ahead of the one being
 * written; the writing thread streams each document into the ZIP file in
 * order (zip_stream.h), so memory stays flat whatever the batch's size,
 * and commits the progress about once a second and at the end. */
#ifndef CHISO_DOC_BATCH_H
#define CHISO_DOC_BATCH_H
#include <stdbool.h>
#include <stddef.h>
#include "blob.h"
#include "buf.h"
#include "db.h"
#include "doc_set.h"
#include "framework.h"
#include "job.h"
#include "q_job.h"
#include "workflow.h"

#define DOC_BATCH_KIND "doc-batch"

/* Pure: does unit-level document t make sense for an assessment in state s?
 * Always false for round documents (one file, not a batch). */
bool doc_batch_eligible(const doc_type *t, wf_state s);
/* Which units a type covers, for the form: "các đơn vị đã được đánh giá ngoài". */
const char *doc_batch_who(const doc_type *t);

/* Pure: an ASCII file-name part for a Vietnamese name, case kept, marks
 * removed, đ→d, every other run of characters one '-', at most cap-1
 * bytes cut at a '-': "Trường THCS Nhơn Bình" → "Truong-THCS-Nhon-Binh". */
void doc_batch_slug(const char *name, char *out, size_t cap);

/* Checks a request and writes the job's parameters (JSON) into params:
 * type (code or alias, a unit-level one), format (pdf|docx), optional
 * date (YYYY-MM-DD) and signer. On a refusal returns DB_EINVAL with a
 * Vietnamese message in err. */
int doc_batch_params(const char *type, const char *format, const char *date, const char *signer,
                     buf *params, buf *err);

job_outcome doc_batch_run(job_run_ctx *c, const job_row *j);
#endif
