/* web_job.h — what page_job.c (batch documents of a round, run as
 * background jobs) gives the round's "Văn bản" tab (page_doc.c), and the
 * pieces every job's page is made of (batches, reminders, unit imports):
 * the card assets/chiso.js keeps fresh, its progress line, its JSON status. */
#ifndef CHISO_WEB_JOB_H
#define CHISO_WEB_JOB_H
#include <jansson.h>
#include "q_job.h"
#include "web.h"
#include "web_office.h"

/* The "Tạo hàng loạt" form and the round's past batches; nothing when the
 * account is not at the office that runs the round. */
void page_job_round_section(web *w, const round_view *rv);
/* The batch form's fields (page_job_round_section reads them), for the
 * routes that show it: what a well-formed value is; what it means (a known
 * type, PDF or DOCX, a date) is doc_batch_params' 422. */
#define PAGE_JOB_BATCH_INPUTS \
	{ .name = "loai", .type = WEB_IN_TEXT, .max = 64, .label = "loại văn bản" }, \
	{ .name = "dinh_dang", .type = WEB_IN_TEXT, .max = 16, .label = "định dạng" }, \
	{ .name = "ngay", .type = WEB_IN_TEXT, .max = 20, .label = "ngày ban hành" }, \
	{ .name = "nguoi_ky", .type = WEB_IN_TEXT, .max = 300, .label = "người ký" }
extern const web_input page_job_batch_inputs[];

/* Opens the job's card: data-job-status (base + "/trang-thai") for the
 * script to poll, and a meta refresh without JavaScript until it ends. */
void web_job_card_begin(web *w, const job_row *j, const char *base, const char *counted);
/* "Tiến độ [bar] done/total unit — state"; a job done without a count
 * shows a full bar. */
void web_job_progress(web *w, const job_row *j, int64_t done, int64_t total, const char *counted);
/* The JSON status the script polls: id, state, label, done, total,
 * message (NULL: null), and the kind's own fields from `extra` (taken). */
void web_job_status_reply(web *w, const job_row *j, int64_t done, int64_t total, const char *message,
                          json_t *extra);
#endif
