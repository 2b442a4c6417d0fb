/* web_job.h — what page_job.c (batch documents of a round, run as
 * background jobs) gives the round's "Văn bản" tab (page_doc.c). */
#ifndef CHISO_WEB_JOB_H
#define CHISO_WEB_JOB_H
#include "web.h"
#include "web_office.h"

/* The "Tạo hàng loạt" form and the round's past batches; nothing when the
 * account is not at the office that runs the round. */
void page_job_round_section(web *w, const round_view *rv);
#endif
