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
