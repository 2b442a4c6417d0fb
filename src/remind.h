/* remind.h — e-mail reminders to late units as a background job (kind
 * "reminders"), so that a slow or unreachable SMTP server never holds a
 * request: the office's page writes the messages, the worker sends them.
 *
 * The job's parameters are the messages themselves, written when the
 * office asked (who was late then, with the deadline they had):
 *   {"messages": [{"unit_id", "unit", "to", "to_name", "subject", "body"}],
 *    "skipped":  [{"unit_id", "unit", "why"}]}
 * Each message sent or refused is recorded (office_reminder_record, under
 * the account that asked); the job's message lists the outcome per
 * recipient, one line each. */
#ifndef CHISO_REMIND_H
#define CHISO_REMIND_H
#include "job.h"

#define REMIND_KIND "reminders"

job_outcome remind_run(job_run_ctx *c, const job_row *j);
#endif
