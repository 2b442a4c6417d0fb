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
#include <jansson.h>

#define REMIND_KIND "reminders"

struct unit_contact;

/* The parameters of one reminders job, built a unit at a time by every
 * place that reminds (the office's and the commune's pages, the report's
 * page, the automatic reminders). */
typedef struct remind_batch {
	json_t *messages, *skipped;
} remind_batch;

void remind_batch_init(remind_batch *b);
/* One message to each of a unit's nc contacts; slot names the automatic
 * reminder's slot, or is NULL. */
void remind_batch_add(remind_batch *b, int64_t unit_id, const char *unit_name, const struct unit_contact *cs, size_t nc,
                      const char *subject, const char *body, const char *slot);
void remind_batch_skip(remind_batch *b, int64_t unit_id, const char *unit_name, const char *why);
/* Queues the job (actor 0: the server) with one more field, key = value
 * (a new reference, taken), and releases the lists either way. */
int remind_batch_queue(db *d, int64_t actor, int64_t round_id, remind_batch *b, const char *key, json_t *value,
                       int64_t *id_out);
void remind_batch_free(remind_batch *b);

job_outcome remind_run(job_run_ctx *c, const job_row *j);
#endif
