/* remind.c — the "reminders" kind of background job (remind.h). */
#include "remind.h"
#include "mail.h"
#include "q_job.h"
#include "q_office.h"
#include "smtp_config.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Messages go over one SMTP connection per batch: few connections, and
 * progress (the job's heartbeat) between batches. */
enum { REMIND_BATCH = 10 };

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

job_outcome remind_run(job_run_ctx *c, const job_row *j)
{
	json_t *p = json_loads(j->params, 0, NULL);
	json_t *msgs = json_object_get(p, "messages"), *skipped = json_object_get(p, "skipped");
	if (!json_is_array(msgs) || (skipped && !json_is_array(skipped))) {
		json_decref(p);
		buf_puts(&c->message, "Tham số của công việc không hợp lệ.");
		return JOB_OUT_FAILED;
	}
	size_t n = json_array_size(msgs), sent = 0;
	/* the administration page's server, else the environment's */
	arena *ca = arena_new();
	mail_config cfg;
	bool from_page;
	smtp_config_load(c->d, c->secret, ca, &cfg, &from_page);
	if (n && !mail_config_usable(&cfg)) {
		json_decref(p);
		arena_free(ca);
		buf_puts(&c->message, "Chưa cấu hình máy chủ thư (trang Quản trị — Gửi thư, hoặc CHISO_SMTP_URL và CHISO_SMTP_FROM).");
		return JOB_OUT_FAILED;
	}
	if (!c->progress(c->ctx, 0, (int64_t)n)) {
		json_decref(p);
		arena_free(ca);
		return JOB_OUT_STOPPED;
	}
	buf lines;
	buf_init(&lines);
	for (size_t at = 0; at < n; at += REMIND_BATCH) {
		size_t k = n - at < REMIND_BATCH ? n - at : REMIND_BATCH;
		mail_msg m[REMIND_BATCH];
		mail_result r[REMIND_BATCH];
		for (size_t i = 0; i < k; i++) {
			json_t *o = json_array_get(msgs, at + i);
			m[i] = (mail_msg){ .to = str(o, "to"), .to_name = str(o, "to_name"),
			                   .subject = str(o, "subject"), .body = str(o, "body") };
		}
		sent += mail_send_cfg(&cfg, m, k, r);
		for (size_t i = 0; i < k; i++) {
			json_t *o = json_array_get(msgs, at + i);
			int64_t unit_id = json_integer_value(json_object_get(o, "unit_id"));
			/* a failed record is not a reason to send the rest twice: the
			 * job's own message below still says what happened */
			if (office_reminder_record(c->d, j->requested_by, j->round_id, unit_id, m[i].to, r[i].ok,
			                           r[i].ok ? NULL : r[i].error) != DB_OK)
				db_clear_error(c->d);
			if (r[i].ok) buf_printf(&lines, "\n%s: đã gửi đến %s", str(o, "unit"), m[i].to);
			else buf_printf(&lines, "\n%s: không gửi được đến %s (%s)", str(o, "unit"), m[i].to, r[i].error);
		}
		/* stopped between two batches: what was sent is recorded; a rerun
		 * would send it again, so the job ends here instead */
		if (!c->progress(c->ctx, (int64_t)(at + k), (int64_t)n) && at + k < n) {
			buf_printf(&c->message, "Đã dừng: gửi %zu/%zu thư trước khi dừng.", sent, n);
			buf_puts(&c->message, buf_str(&lines));
			buf_free(&lines);
			json_decref(p);
			arena_free(ca);
			return JOB_OUT_FAILED;
		}
	}
	size_t i;
	json_t *o;
	json_array_foreach(skipped, i, o)
		buf_printf(&lines, "\n%s: %s", str(o, "unit"), str(o, "why"));
	buf_printf(&c->message, "Đã gửi %zu/%zu thư.", sent, n);
	if (json_array_size(skipped))   /* said at the top, not only in the last lines of a long list */
		buf_printf(&c->message, " %zu đơn vị chưa có địa chỉ e-mail để nhận thư nhắc.", json_array_size(skipped));
	buf_puts(&c->message, buf_str(&lines));
	buf_free(&lines);
	json_decref(p);
	arena_free(ca);
	return JOB_OUT_DONE;
}

void remind_batch_init(remind_batch *b)
{
	b->messages = json_array();
	b->skipped = json_array();
}

void remind_batch_add(remind_batch *b, int64_t unit_id, const char *unit_name, const unit_contact *cs, size_t nc,
                      const char *subject, const char *body, const char *slot)
{
	for (size_t k = 0; k < nc; k++) {
		json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "unit_id", (json_int_t)unit_id, "unit", unit_name,
			"to", cs[k].email, "to_name", cs[k].full_name ? cs[k].full_name : "", "subject", subject, "body", body);
		if (slot) json_object_set_new(m, "slot", json_string(slot));
		json_array_append_new(b->messages, m);
	}
}

void remind_batch_skip(remind_batch *b, int64_t unit_id, const char *unit_name, const char *why)
{
	json_array_append_new(b->skipped, json_pack("{s:I, s:s, s:s}", "unit_id", (json_int_t)unit_id, "unit", unit_name, "why", why));
}

int remind_batch_queue(db *d, int64_t actor, int64_t round_id, remind_batch *b, const char *key, json_t *value,
                       int64_t *id_out)
{
	json_t *params = json_pack("{s:o, s:o, s:o}", "messages", b->messages, "skipped", b->skipped, key, value);
	b->messages = b->skipped = NULL;
	char *ps = params ? json_dumps(params, JSON_COMPACT) : NULL;
	json_decref(params);
	int rc = ps ? job_create(d, actor, REMIND_KIND, round_id, ps, id_out) : DB_ERROR;
	free(ps);
	return rc;
}

void remind_batch_free(remind_batch *b)
{
	json_decref(b->messages);
	json_decref(b->skipped);
	b->messages = b->skipped = NULL;
}
