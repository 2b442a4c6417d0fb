/* web_seal.c — a submission's seal on the office's review page (web_seal.h). */
#include "web_seal.h"
#include "sign_trust.h"
#include "web_office.h"
#include "html.h"
#include <string.h>

/* The assessment's seal as checked now (SEAL_NONE when it cannot be read);
 * what changed since it was sealed goes to *diff. */
static seal_info seal_now(web *w, int64_t assessment_id, buf *diff)
{
	seal_info si;
	memset(&si, 0, sizeof si);
	if (sign_seal_check(w->d, w->app->secret, assessment_id, w->a, &si, diff) != DB_OK) {
		db_clear_error(w->d);
		si.state = SEAL_NONE;
	}
	return si;
}

void web_seal_status(web *w, int64_t assessment_id)
{
	buf diff;
	buf_init(&diff);
	seal_info si = seal_now(w, assessment_id, &diff);
	if (si.state != SEAL_NONE) {
		const char *cls = si.state == SEAL_INTACT ? "sig-ok" : "sig-bad";
		html_f(w->out, "<section class=\"card seal\" id=\"niem-phong\"><h2>Niêm phong hồ sơ</h2>"
		               "<p><span class=\"badge sig %a\" data-seal=\"%a\">%h</span></p>"
		               "<p>Niêm phong lúc %h bằng %h.</p>",
		       cls, si.principal ? "principal" : si.office ? "office" : "server", sign_seal_label(si.state), office_time(w, si.sealed_at),
		       sign_seal_key_label(&si, w->a));
		if (diff.len) html_f(w->out, "<pre class=\"seal-diff\">%h</pre>", buf_str(&diff));
		html_f(w->out, "</section>");
	}
	buf_free(&diff);
}

void web_seal_link(web *w, int64_t assessment_id)
{
	buf diff;
	buf_init(&diff);
	seal_info si = seal_now(w, assessment_id, &diff);
	buf_free(&diff);
	if (si.state == SEAL_NONE) return;
	html_f(w->out, "<section class=\"card seal\"><p>Niêm phong hồ sơ: %h, bằng %h. "
	               "<a href=\"/danh-gia/%D/niem-phong\">Xem bản kê, hiệu trưởng ký niêm phong</a></p></section>",
	       sign_seal_label(si.state), sign_seal_key_label(&si, w->a), assessment_id);
}
