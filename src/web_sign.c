/* web_sign.c — a PDF's signature status for the pages (web_sign.h). */
#include "web_sign.h"
#include "blob.h"
#include "pdfsig.h"
#include "q_sign.h"
#include "sign_trust.h"
#include "web_office.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Reads the file and verifies it under the installed trust store. */
static bool check_file(web *w, const char *sha256, signature_check *c)
{
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(w->app->blob_dir, 0, &bs, msg) != BLOB_OK) return false;
	buf pdf;
	buf_init(&pdf);
	bool ok = blob_read(bs, sha256, &pdf, msg) == BLOB_OK;
	blob_store_close(bs);
	if (ok) {
		pdfsig_trust *t = pdfsig_trust_new();
		sign_trust_load(w->d, t);
		pdfsig_result res[PDFSIG_MAX];
		size_t n = pdfsig_verify((const unsigned char *)pdf.data, pdf.len, t, res, PDFSIG_MAX);
		pdfsig_trust_free(t);
		c->nsignatures = (int64_t)n;
		c->status = n ? pdfsig_status_code(pdfsig_overall(res, n)) : "unsigned";
		const pdfsig_result *last = n ? &res[n - 1] : NULL;
		c->signer = last && last->signer[0] ? arena_strdup(w->a, last->signer) : NULL;
		c->organisation = last && last->organisation[0] ? arena_strdup(w->a, last->organisation) : NULL;
		c->signed_at = last && last->signed_at[0] ? arena_strdup(w->a, last->signed_at) : NULL;
		bool stamped = last && last->has_timestamp && last->timestamp_at[0];
		c->timestamped_at = stamped ? arena_strdup(w->a, last->timestamp_at) : NULL;
		c->tsa = stamped ? arena_strdup(w->a, last->tsa[0] ? last->tsa : "không rõ") : NULL;
	}
	buf_free(&pdf);
	return ok;
}

static bool verdict(web *w, const char *sha256, signature_check *c)
{
	char *gen = NULL;
	if (trust_generation(w->d, w->a, &gen) != DB_OK) return false;
	if (signature_check_get(w->d, sha256, gen, w->a, c) == DB_OK) return true;
	db_clear_error(w->d);
	if (!check_file(w, sha256, c)) return false;
	if (signature_check_put(w->d, sha256, gen, c) != DB_OK) db_clear_error(w->d);   /* kept next time, or checked again */
	return true;
}

void web_sign_badge(web *w, const char *sha256, const char *mime)
{
	signature_check c;
	if (!mime || strcmp(mime, "application/pdf") != 0 || !verdict(w, sha256, &c) || c.nsignatures == 0) return;
	pdfsig_status st;
	if (!pdfsig_status_from_code(c.status, &st)) return;
	html_f(w->out, " <span class=\"badge sig %h\" data-sig=\"%h\">%h</span>", st == PDFSIG_VALID ? "sig-ok" : "sig-bad",
	       c.status, pdfsig_status_label(st));
	if (c.signer)
		html_f(w->out, " <span class=\"explain sig-who\">Người ký: %h%h%h%h%h</span>", c.signer,
		       c.organisation ? " — " : "", c.organisation, c.signed_at ? ", lúc " : "",
		       c.signed_at ? web_date_short(w, c.signed_at) : "");
	if (c.timestamped_at)
		html_f(w->out, " <span class=\"explain sig-ts\">Dấu thời gian: %h (TSA %h)</span>", office_time(w, c.timestamped_at),
		       c.tsa);
}

int64_t web_sign_office(web *w)
{
	for (size_t i = 0; i < w->ngrants; i++) {
		if (w->grants[i].role != AUTHZ_OFFICE_ADMIN) continue;
		authz_ctx c = { .account = web_account(w) };
		c.object.kind = AUTHZ_KIND_UNIT;
		c.object.unit_id = w->grants[i].unit_id;
		c.object.state = WF_STATE_INVALID;
		c.object.grant_role = AUTHZ_ROLE_INVALID;
		if (!authz_check(&c, AUTHZ_MANAGE_SIGNING, NULL)) continue;
		char *subject = NULL;
		void *sealed = NULL;
		size_t n = 0;
		if (office_key_get(w->d, w->grants[i].unit_id, w->a, &subject, &sealed, &n) == DB_OK) return w->grants[i].unit_id;
		db_clear_error(w->d);
	}
	return 0;
}

/* The stored key (a PKCS#12 file or a token's, sign_office_key). */
static sign_key *office_key(web *w, int64_t office, char msg[SIGN_MSG_MAX])
{
	sign_key *k = sign_office_key(w->d, w->app->secret, office, msg);
	if (!k && !msg[0]) snprintf(msg, SIGN_MSG_MAX, "Cơ quan chưa có khóa ký số (Quản trị → Chữ ký số).");
	return k;
}

bool web_sign_office_pdf(web *w, int64_t office, buf *pdf, char msg[SIGN_MSG_MAX])
{
	sign_key *k = office_key(w, office, msg);
	if (!k) return false;
	sign_key_set_tsa(k, getenv("CHISO_TSA_URL"));   /* PAdES B-T when the operator names a TSA */
	buf out;
	buf_init(&out);
	bool ok = sign_pdf((const unsigned char *)pdf->data, pdf->len, k, &out, msg);
	sign_key_free(k);
	if (ok) {
		buf_free(pdf);
		*pdf = out;
	} else buf_free(&out);
	return ok;
}
