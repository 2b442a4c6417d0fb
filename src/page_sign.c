/* page_sign.c — /quan-tri/chu-ky-so: digital signatures (issue 17).
 *
 * The trust store (system administrators: AUTHZ_MANAGE_TRUST): the CA
 * certificates — the government CA chain (Ban Cơ yếu Chính phủ) and the
 * licensed public CAs — and their CRLs, uploaded as PEM (or one DER .cer)
 * and removed; every PDF signature is verified against them (pdfsig.h).
 * An office's signing key (its office administrator: AUTHZ_MANAGE_SIGNING):
 * a PKCS#12 file with its password, checked, then kept only sealed with
 * the server secret (sign_seal), never in clear; or the key on a PKCS#11
 * token (its URI and PIN, sealed the same way) when the server names a
 * PKCS#11 module (CHISO_PKCS11_MODULE in its environment: the module is
 * the server operator's choice, never a form's). */
#include "pdfsig.h"
#include "q_sign.h"
#include "q_unit.h"
#include "sign.h"
#include "sign_p11.h"
#include "util.h"
#include "web.h"
#include "web_office.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TRUST_UPLOAD_MAX = 1 << 20, P12_UPLOAD_MAX = 1 << 20, ITEMS_PER_FILE = 32 };

static bool may(web *w, authz_action a, int64_t unit_id, authz_decision *why)
{
	authz_ctx c = { .account = web_account(w) };
	c.object.kind = AUTHZ_KIND_UNIT;
	c.object.unit_id = unit_id;
	c.object.state = WF_STATE_INVALID;
	c.object.grant_role = AUTHZ_ROLE_INVALID;
	return authz_check(&c, a, why);
}

/* The offices whose key this account may set (its office-admin grants). */
static size_t key_offices(web *w, int64_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < w->ngrants && n < max; i++)
		if (w->grants[i].role == AUTHZ_OFFICE_ADMIN && may(w, AUTHZ_MANAGE_SIGNING, w->grants[i].unit_id, NULL))
			out[n++] = w->grants[i].unit_id;
	return n;
}

static const http_upload *upload_of(web *w, const char *field)
{
	for (size_t i = 0; i < w->r->nuploads; i++)
		if (!strcmp(w->r->uploads[i].field, field) && w->r->uploads[i].size > 0) return &w->r->uploads[i];
	return NULL;
}

static bool read_upload(const http_upload *up, size_t max, buf *out)
{
	if (up->truncated || (size_t)up->size > max) return false;
	FILE *f = fopen(up->tmp_path, "rb");
	if (!f) return false;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, k);
	fclose(f);
	return true;
}

static void trust_section(web *w)
{
	arena *a = w->a;
	trust_cert *certs = NULL;
	size_t n = 0;
	trust_cert_list(w->d, a, &certs, &n);
	html_f(w->out, "<section class=\"card\"><h2>Tổ chức chứng thực tin cậy</h2><p class=\"explain\">Chữ ký số trên minh chứng và văn "
	               "bản chỉ được coi là hợp lệ khi chứng thư của người ký nối được đến một chứng thư gốc dưới đây (chuỗi của Ban Cơ "
	               "yếu Chính phủ, các tổ chức cung cấp dịch vụ chứng thực chữ ký số công cộng). Danh sách thu hồi (CRL) dùng để "
	               "kiểm tra chứng thư bị thu hồi.</p>");
	if (n == 0) html_f(w->out, "<p>Chưa cài chứng thư gốc nào: mọi chữ ký số sẽ hiện «Chứng thư không thuộc tổ chức chứng thực tin cậy».</p>");
	else {
		html_f(w->out, "<table class=\"trust\"><thead><tr><th>Loại</th><th>Chủ thể</th><th>Ngày cài</th><th></th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			html_f(w->out, "<tr><td>%h</td><td>%h</td><td>%h</td><td>", strcmp(certs[i].kind, "crl") != 0 ? "Chứng thư CA" : "CRL",
			       certs[i].subject, web_date_short(w, certs[i].created_at));
			if (may(w, AUTHZ_MANAGE_TRUST, 0, NULL)) {
				html_f(w->out, "<form method=\"post\" action=\"/quan-tri/chu-ky-so/ca/%D/xoa\">", certs[i].id);
				web_csrf_field(w);
				html_f(w->out, "<button type=\"submit\" class=\"link\" data-confirm=\"%a\">Gỡ</button></form>",
				       arena_printf(a, "Gỡ «%s» khỏi danh sách tin cậy?", certs[i].subject));
			}
			html_f(w->out, "</td></tr>");
		}
		html_f(w->out, "</tbody></table>");
	}
	if (may(w, AUTHZ_MANAGE_TRUST, 0, NULL)) {
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/chu-ky-so/ca\" enctype=\"multipart/form-data\">");
		web_csrf_field(w);
		html_f(w->out, "<label>Tệp chứng thư hoặc CRL (PEM, .cer, .crt, .crl)<input type=\"file\" name=\"tep\" required></label>"
		               "<button type=\"submit\">Cài đặt</button></form>");
	}
	html_f(w->out, "</section>");
}

/* The key on a USB token: offered when the server has a PKCS#11 module. */
static void token_form(web *w, int64_t office)
{
	const char *module = getenv("CHISO_PKCS11_MODULE");
	if (!module || !module[0]) {
		html_f(w->out, "<p class=\"explain\">Khóa trên USB token (PKCS#11): máy chủ chưa khai báo mô-đun PKCS#11 "
		               "(biến môi trường CHISO_PKCS11_MODULE của dịch vụ chiso).</p>");
		return;
	}
	html_f(w->out, "<form method=\"post\" action=\"/quan-tri/chu-ky-so/token\" class=\"token-key\">");
	web_csrf_field(w);
	html_f(w->out, "<input type=\"hidden\" name=\"cq\" value=\"%D\"><p>Hoặc dùng khóa trên USB token gắn vào máy chủ "
	               "(mô-đun %h):</p><label>Địa chỉ khóa (PKCS#11 URI)<input name=\"uri\" required "
	               "placeholder=\"pkcs11:token=…;object=…\" autocomplete=\"off\"></label><label>Mã PIN của token"
	               "<input type=\"password\" name=\"pin\" autocomplete=\"off\"></label>"
	               "<button type=\"submit\">Dùng khóa trên token</button></form>", office, module);
}

static void key_section(web *w)
{
	int64_t offices[8];
	size_t n = key_offices(w, offices, ARRAY_LEN(offices));
	if (n == 0) return;
	html_f(w->out, "<section class=\"card\"><h2>Khóa ký số của cơ quan</h2><p class=\"explain\">Tệp PKCS#12 (.p12, .pfx) chứa khóa "
	               "bí mật và chứng thư của cơ quan, hoặc khóa trên USB token (PKCS#11). Chiso chỉ lưu tệp (hay mã PIN của token) đã "
	               "mã hóa bằng khóa bí mật của máy chủ. Hướng dẫn: tài liệu docs/signing.md.</p>");
	for (size_t i = 0; i < n; i++) {
		unit u;
		char *subject = NULL;
		void *sealed = NULL;
		size_t len = 0;
		if (unit_get(w->d, offices[i], w->a, &u) != DB_OK) continue;
		bool has = office_key_get(w->d, offices[i], w->a, &subject, &sealed, &len) == DB_OK;
		if (!has) db_clear_error(w->d);
		html_f(w->out, "<h3>%h</h3><p>%h%h</p>", u.name, has ? "Khóa hiện tại: " : "Chưa có khóa ký số.", has ? subject : NULL);
		html_f(w->out, "<form method=\"post\" action=\"/quan-tri/chu-ky-so/khoa\" enctype=\"multipart/form-data\">");
		web_csrf_field(w);
		html_f(w->out, "<input type=\"hidden\" name=\"cq\" value=\"%D\"><label>Tệp PKCS#12<input type=\"file\" name=\"tep\" "
		               "accept=\".p12,.pfx\" required></label><label>Mật khẩu của tệp<input type=\"password\" name=\"mat_khau\" "
		               "autocomplete=\"off\"></label><button type=\"submit\">Lưu khóa</button></form>", offices[i]);
		token_form(w, offices[i]);
	}
	html_f(w->out, "</section>");
}

static void sign_home(web *w)
{
	page_begin(w, "Chữ ký số");
	html_f(w->out, "<h1>Chữ ký số</h1><p><a href=\"/quan-tri\">← Quản trị</a></p>");
	const char *msg = web_in_text(w, "kq");
	static const char *const results[][2] = {
		{ "ca", "Đã cài đặt." }, { "xoa", "Đã gỡ." }, { "khoa", "Đã lưu khóa ký số của cơ quan." },
	};
	for (size_t i = 0; msg && i < ARRAY_LEN(results); i++)
		if (!strcmp(msg, results[i][0])) html_f(w->out, "<p class=\"ok-msg\" role=\"status\">%h</p>", results[i][1]);
	trust_section(w);
	key_section(w);
	page_end(w);
}

static void trust_add_post(web *w)
{
	authz_decision why;
	if (!may(w, AUTHZ_MANAGE_TRUST, 0, &why)) { web_error(w, 403, why.message); return; }
	const http_upload *up = upload_of(w, "tep");
	if (!up) { web_error(w, 422, "Chưa chọn tệp."); return; }
	buf data;
	buf_init(&data);
	pdfsig_pem_item items[ITEMS_PER_FILE];
	size_t n = read_upload(up, TRUST_UPLOAD_MAX, &data)
		? pdfsig_pem_split((const unsigned char *)data.data, data.len, items, ARRAY_LEN(items)) : 0;
	buf_free(&data);
	int rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		int64_t id = 0;
		rc = trust_cert_add(w->d, w->account_id, items[i].crl ? "crl" : "ca", items[i].subject, items[i].pem, &id);
	}
	pdfsig_pem_items_free(items, n);
	if (n == 0) web_error(w, 422, "Tệp không chứa chứng thư hay danh sách thu hồi (CRL) nào đọc được (PEM hoặc DER).");
	else if (rc != DB_OK) web_error(w, 500, "Không lưu được. Vui lòng thử lại.");
	else http_redirect(w->r, "/quan-tri/chu-ky-so?kq=ca");
}

static void trust_remove_post(web *w)
{
	authz_decision why;
	if (!may(w, AUTHZ_MANAGE_TRUST, 0, &why)) { web_error(w, 403, why.message); return; }
	int rc = trust_cert_remove(w->d, w->account_id, w->ids[0]);
	if (rc == DB_ENOTFOUND) web_error(w, 404, "Không tìm thấy chứng thư.");
	else if (rc != DB_OK) web_error(w, 500, "Không gỡ được. Vui lòng thử lại.");
	else http_redirect(w->r, "/quan-tri/chu-ky-so?kq=xoa");
}

/* The key is checked (it opens with the password) before it is kept: the
 * password is sealed with it, so signing later needs nobody to type it. */
static void key_post(web *w)
{
	int64_t office = web_in_int(w, "cq", 0);
	if (!office || !may(w, AUTHZ_MANAGE_SIGNING, office, NULL)) {
		web_error(w, 403, "Chỉ quản trị viên của cơ quan được thay khóa ký số của cơ quan mình.");
		return;
	}
	const http_upload *up = upload_of(w, "tep");
	const char *pass = web_in_text(w, "mat_khau");
	buf p12;
	buf_init(&p12);
	char msg[SIGN_MSG_MAX] = "Tệp quá lớn hoặc không đọc được.";
	sign_key *k = up && read_upload(up, P12_UPLOAD_MAX, &p12)
		? sign_key_from_p12((const unsigned char *)p12.data, p12.len, pass ? pass : "", msg) : NULL;
	if (!k) {
		buf_free(&p12);
		web_error(w, 422, msg);
		return;
	}
	char cn[256], org[256];
	sign_key_subject(k, cn, sizeof cn, org, sizeof org);
	sign_key_free(k);
	/* sealed: password length (4 bytes), password, the PKCS#12 file */
	size_t plen = pass ? strlen(pass) : 0;
	buf plain, sealed;
	buf_init(&plain);
	buf_init(&sealed);
	unsigned char len4[4] = { (unsigned char)(plen >> 24), (unsigned char)(plen >> 16), (unsigned char)(plen >> 8), (unsigned char)plen };
	buf_append(&plain, (const char *)len4, 4);
	buf_append(&plain, pass ? pass : "", plen);
	buf_append(&plain, p12.data, p12.len);
	sign_seal(w->app->secret, (const unsigned char *)plain.data, plain.len, &sealed);
	sodium_memzero(plain.data, plain.len);
	const char *subject = arena_printf(w->a, "%s%s%s", cn, org[0] ? " — " : "", org);
	int rc = office_key_put(w->d, w->account_id, office, subject, sealed.data, sealed.len);
	buf_free(&plain);
	buf_free(&sealed);
	buf_free(&p12);
	if (rc != DB_OK) web_error(w, 500, "Không lưu được khóa. Vui lòng thử lại.");
	else http_redirect(w->r, "/quan-tri/chu-ky-so?kq=khoa");
}

static const char *const notices[] = { "ca", "xoa", "khoa", NULL };
static const web_input home_inputs[] = {
	{ .name = "kq", .type = WEB_IN_ENUM, .values = notices, .label = "kết quả" },
	{ .name = NULL },
};
/* The key's form is multipart: its file is streamed (http.c), its two
 * text fields are declared like any other. */
static const web_input key_inputs[] = {
	{ .name = "cq", .type = WEB_IN_ID, .label = "cơ quan" },
	{ .name = "mat_khau", .type = WEB_IN_TEXT, .max = 1024, .label = "mật khẩu của tệp" },
	{ .name = NULL },
};

static const web_input token_inputs[] = {
	{ .name = "cq", .type = WEB_IN_ID, .label = "cơ quan" },
	{ .name = "uri", .type = WEB_IN_TEXT, .max = 1024, .label = "địa chỉ khóa (PKCS#11 URI)" },
	{ .name = "pin", .type = WEB_IN_TEXT, .max = 256, .label = "mã PIN" },
	{ .name = NULL },
};

/* The token's key is opened (module, URI, PIN) before it is kept: what is
 * sealed is the URI and the PIN, "URI\nPIN" (the URI starts "pkcs11:",
 * which a sealed PKCS#12 — its password's length first — never does). */
static void token_post(web *w)
{
	int64_t office = web_in_int(w, "cq", 0);
	if (!may(w, AUTHZ_MANAGE_SIGNING, office, NULL)) {
		web_error(w, 403, "Chỉ quản trị viên của cơ quan được thay khóa ký số của cơ quan mình.");
		return;
	}
	const char *uri = web_in_text(w, "uri"), *pin = web_in_text(w, "pin");
	char msg[SIGN_MSG_MAX] = "";
	if (!uri || strchr(uri, '\n') || strncmp(uri, "pkcs11:", 7) != 0) {
		web_error(w, 422, "Địa chỉ khóa phải có dạng pkcs11:token=…;object=…");
		return;
	}
	sign_key *k = sign_key_from_pkcs11(getenv("CHISO_PKCS11_MODULE"), uri, pin ? pin : "", msg);
	if (!k) { web_error(w, 422, msg); return; }
	char cn[256], org[256];
	sign_key_subject(k, cn, sizeof cn, org, sizeof org);
	sign_key_free(k);
	buf plain, sealed;
	buf_init(&plain);
	buf_init(&sealed);
	buf_printf(&plain, "%s\n%s", uri, pin ? pin : "");
	sign_seal(w->app->secret, (const unsigned char *)plain.data, plain.len, &sealed);
	sodium_memzero(plain.data, plain.len);
	const char *subject = arena_printf(w->a, "%s%s%s (USB token)", cn, org[0] ? " — " : "", org);
	int rc = office_key_put(w->d, w->account_id, office, subject, sealed.data, sealed.len);
	buf_free(&plain);
	buf_free(&sealed);
	if (rc != DB_OK) web_error(w, 500, "Không lưu được khóa. Vui lòng thử lại.");
	else http_redirect(w->r, "/quan-tri/chu-ky-so?kq=khoa");
}

const web_route page_sign_routes[] = {
	{ "GET", "/quan-tri/chu-ky-so", sign_home, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = home_inputs },
	{ "POST", "/quan-tri/chu-ky-so/ca", trust_add_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/chu-ky-so/ca/{id}/xoa", trust_remove_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN },
	{ "POST", "/quan-tri/chu-ky-so/khoa", key_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = key_inputs },
	{ "POST", "/quan-tri/chu-ky-so/token", token_post, WEB_SIGNED_IN, .load = WEB_LOAD_ADMIN, .inputs = token_inputs },
	{ NULL, NULL, NULL, 0 },
};
