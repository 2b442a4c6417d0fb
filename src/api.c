/* api.c — the JSON API's front door: authentication (API token or
 * session cookie + X-CSRF-Token), strict JSON bodies, JSON responses and
 * errors; and the account's own resources: who am I, my API tokens.
 * See api.h and docs/openapi.yaml. */
#include "api.h"
#include "json_out.h"
#include "q_api_token.h"
#include "q_account.h"
#include "util.h"
#include "vn.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- responses ----------------------------------------------------------------------- */

void api_json(web *w, int status, json_t *body)
{
	w->r->status = status;
	w->r->content_type = "application/json; charset=utf-8";
	buf_reset(w->out);
	/* UTF-8 as is (no \u escapes): Vietnamese stays readable in a terminal;
	 * json_out writes what json_dumps would, straight into the reply */
	bool ok = json_out(w->out, body);
	json_decref(body);
	if (!ok) {
		/* json_pack refuses a NULL or non-UTF-8 string from the store: a bug
		 * or bad data, which must not take the server down */
		w->r->status = 500;
		buf_reset(w->out);
		buf_puts(w->out, "{\"error\": {\"code\": \"internal_error\", \"message\": "
		                 "\"Lỗi hệ thống khi tạo câu trả lời. Hãy báo quản trị viên.\"}}\n");
		return;
	}
	buf_putc(w->out, '\n');
}

static const char *status_code(int status)
{
	static const struct { int status; const char *code; } codes[] = {
		{ 400, "bad_request" }, { 401, "unauthorized" }, { 403, "forbidden" }, { 404, "not_found" },
		{ 405, "method_not_allowed" }, { 409, "conflict" }, { 413, "body_too_large" },
		{ 415, "unsupported_media_type" }, { 422, "invalid" }, { 429, "too_many_requests" },
		{ 500, "internal_error" }, { 503, "unavailable" },
	};
	for (size_t i = 0; i < ARRAY_LEN(codes); i++)
		if (codes[i].status == status) return codes[i].code;
	return "error";
}

void api_error(web *w, int status, const char *code, const char *message)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(code ? code : status_code(status)));
	json_object_set_new(e, "message", json_string(message ? message : "Có lỗi xảy ra."));
	if (status == 401) http_set_header(w->r, "WWW-Authenticate", "Bearer realm=\"chiso\"");
	api_json(w, status, json_pack("{s:o}", "error", e));
}

json_t *api_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- request bodies -------------------------------------------------------------------- */

/* Every string (and key) to NFC, so that "Hoà" typed on a Mac and on
 * Windows is one text. False when two keys become one. */
static bool nfc_walk(json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!vn_is_nfc(s)) {
			char *n = vn_nfc(s);
			if (n) json_string_set(v, n);
			free(n);
		}
		return true;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) if (!nfc_walk(x)) return false;
		return true;
	}
	if (!json_is_object(v)) return true;
	bool keys_nfc = true;
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (!nfc_walk(x)) return false;
		keys_nfc &= vn_is_nfc(k);
	}
	if (keys_nfc) return true;
	json_t *n = json_object();
	json_object_foreach(v, k, x) {
		char *nk = vn_nfc(k);
		bool dup = !nk || json_object_get(n, nk) != NULL;
		if (!dup) json_object_set(n, nk, x);
		free(nk);
		if (dup) { json_decref(n); return false; }
	}
	json_object_clear(v);
	json_object_update(v, n);
	json_decref(n);
	return true;
}

static bool media_json(const char *ct)
{
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) return false;
	const char *rest = ct + 16;
	while (*rest == ' ') rest++;
	if (!*rest) return true;
	if (*rest != ';') return false;
	/* JSON is UTF-8 (RFC 8259); a charset parameter may only say so */
	const char *cs = NULL;
	for (const char *p = rest; *p && !cs; p++)
		if (strncasecmp(p, "charset=", 8) == 0) cs = p + 8;
	if (!cs) return true;
	if (*cs == '"') cs++;
	return strncasecmp(cs, "utf-8", 5) == 0 || strncasecmp(cs, "utf8", 4) == 0;
}

json_t *api_parse_body(const char *raw, size_t len, json_type want, arena *a, const char **code, const char **message)
{
	*code = *message = NULL;
	if (!raw || !len) {
		*code = "empty_body";
		*message = "Yêu cầu không có nội dung. Hãy gửi một đối tượng JSON.";
		return NULL;
	}
	size_t bad = 0;
	if (!vn_utf8_valid(raw, len, &bad)) {
		*code = "invalid_utf8";
		*message = arena_printf(a, "Nội dung không phải UTF-8 hợp lệ (byte thứ %zu). Hãy gửi văn bản mã hóa UTF-8.", bad + 1);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
	*code = "invalid_json";
	if (!j) {
		*message = arena_printf(a, "Nội dung không phải JSON hợp lệ: dòng %d, cột %d (%s).", je.line, je.column, je.text);
		return NULL;
	}
	if (json_typeof(j) != want) {
		json_decref(j);
		*message = want == JSON_OBJECT ? "Nội dung phải là một đối tượng JSON ({…})." : "Nội dung JSON không đúng kiểu.";
		return NULL;
	}
	if (!nfc_walk(j)) {
		json_decref(j);
		*message = "Hai khóa trong JSON trở thành một sau khi chuẩn hóa Unicode (NFC).";
		return NULL;
	}
	*code = NULL;
	return j;
}

json_t *api_body(web *w, json_type want)
{
	if (!media_json(http_header(w->r, "Content-Type"))) {
		api_error(w, 415, NULL, "Nội dung gửi lên phải là JSON (Content-Type: application/json; charset=utf-8).");
		return NULL;
	}
	const char *code, *message;
	json_t *j = api_parse_body(w->r->raw_body, w->r->raw_len, want, w->a, &code, &message);
	if (!j) api_error(w, 400, code, message);
	return j;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static bool changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

void api_dispatch(web *w, const web_route *route, bool path_known)
{
	http_set_header(w->r, "Cache-Control", "no-store");
	if (!route) {
		api_error(w, path_known ? 405 : 404, NULL,
		          path_known ? "Địa chỉ này không nhận phương thức đó (xem docs/openapi.yaml)."
		                     : "Không có địa chỉ API này (xem docs/openapi.yaml).");
		return;
	}
	const char *auth = http_header(w->r, "Authorization");
	if (auth) {
		/* a token speaks for itself: whatever cookie came along is ignored */
		w->account_id = 0;
		w->grants = NULL;
		w->ngrants = 0;
		w->csrf = NULL;
		if (strncasecmp(auth, "Bearer ", 7) != 0) {
			api_error(w, 401, "invalid_token", "Chỉ nhận xác thực dạng \"Authorization: Bearer <token API>\".");
			return;
		}
		const char *tok = auth + 7;
		while (*tok == ' ') tok++;
		/* the token, its account and grants in one round trip (issue 19) */
		account acc;
		authz_grant *g = NULL;
		size_t ng = 0;
		int rc = api_token_account(w->d, tok, w->a, &acc, &g, &ng);
		if (rc != DB_OK && rc != DB_ENOTFOUND) {
			api_error(w, 503, NULL, "Hệ thống tạm bận. Vui lòng thử lại sau ít phút.");
			return;
		}
		if (rc == DB_ENOTFOUND || !web_set_account(w, &acc, g, ng)) {
			api_error(w, 401, "invalid_token", "Token API không đúng, đã hết hạn, đã bị thu hồi hoặc tài khoản đã bị khóa.");
			return;
		}
		w->via_token = true;
	} else if (w->account_id && changes_state(w->r->method)) {
		/* cookie: a cross-site page could make the browser send it, but it
		 * cannot add this header (no CORS here) */
		const char *sent = http_header(w->r, "X-CSRF-Token");
		if (!sent || !w->csrf || strlen(sent) != strlen(w->csrf) || sodium_memcmp(sent, w->csrf, strlen(sent)) != 0) {
			api_error(w, 403, "csrf", "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token). Hãy tải lại trang và thử lại.");
			return;
		}
	}
	if ((route->flags & WEB_SIGNED_IN) && !w->account_id) {
		api_error(w, 401, NULL, "Cần đăng nhập hoặc gửi token API (Authorization: Bearer …).");
		return;
	}
	web_route_run(w, route);   /* what the route declares: its object loaded and authorised */
}

/* ---- the account and its tokens -------------------------------------------------------------- */

static void me_get(web *w)
{
	json_t *roles = json_array();
	for (size_t i = 0; i < w->ngrants; i++) {
		const authz_grant *g = &w->grants[i];
		json_array_append_new(roles, json_pack("{s:s, s:s, s:I, s:o}", "role", authz_role_code(g->role),
		                                       "label", authz_role_label(g->role), "unit_id", (json_int_t)g->unit_id,
		                                       "round_id", g->round_id ? json_integer(g->round_id) : json_null()));
	}
	json_t *o = json_pack("{s:{s:I, s:s, s:s}, s:o, s:s}", "account", "id", (json_int_t)w->account_id, "login",
	                      w->account_login, "name", w->account_name, "roles", roles, "auth",
	                      w->via_token ? "token" : "session");
	/* the page's scripts read the CSRF token here; another site cannot read
	 * this response (same-origin policy, no CORS) */
	if (!w->via_token && w->csrf) json_object_set_new(o, "csrf", json_string(w->csrf));
	api_json(w, 200, o);
}

static json_t *token_json(const api_token *t)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id, "label", t->label, "created_at",
	                 api_str(t->created_at), "last_used_at", api_str(t->last_used_at), "expires_at",
	                 api_str(t->expires_at), "revoked_at", api_str(t->revoked_at));
}

static void tokens_get(web *w)
{
	api_token *t = NULL;
	size_t n = 0;
	if (api_token_list(w->d, w->account_id, w->a, &t, &n) != DB_OK) {
		api_error(w, 500, NULL, "Không đọc được danh sách token. Vui lòng thử lại.");
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, token_json(&t[i]));
	api_json(w, 200, json_pack("{s:o}", "tokens", arr));
}

static void tokens_post(web *w)
{
	/* a token must not mint tokens: a leaked one could otherwise outlive
	 * its own revocation */
	if (w->via_token) {
		api_error(w, 403, "session_required", "Token API chỉ tạo được khi đăng nhập bằng trình duyệt (hoặc bằng lệnh chiso token).");
		return;
	}
	json_t *body = api_body(w, JSON_OBJECT);
	if (!body) return;
	json_t *label = json_object_get(body, "label"), *exp = json_object_get(body, "expires");
	if (!json_is_string(label) || (exp && !json_is_null(exp) && !json_is_string(exp))) {
		json_decref(body);
		api_error(w, 422, NULL, "Cần \"label\" (tên gợi nhớ của token) và có thể có \"expires\" (YYYY-MM-DD).");
		return;
	}
	char *token = NULL;
	int64_t id = 0;
	int rc = api_token_create(w->d, w->account_id, w->account_id, json_string_value(label),
	                          json_is_string(exp) ? json_string_value(exp) : NULL, w->a, &token, &id);
	json_decref(body);
	if (rc == DB_EINVAL) { api_error(w, 422, NULL, db_errmsg(w->d)); return; }
	if (rc != DB_OK) { api_error(w, 500, NULL, "Không tạo được token. Vui lòng thử lại."); return; }
	api_token *t = NULL;
	size_t n = 0;
	json_t *o = NULL;
	if (api_token_list(w->d, w->account_id, w->a, &t, &n) == DB_OK)
		for (size_t i = 0; i < n && !o; i++)
			if (t[i].id == id) o = token_json(&t[i]);
	if (!o) o = json_pack("{s:I}", "id", (json_int_t)id);
	json_object_set_new(o, "token", json_string(token));
	json_object_set_new(o, "note", json_string("Hãy lưu token này ngay: Chiso chỉ hiển thị nó một lần."));
	http_set_header(w->r, "Location", arena_printf(w->a, "/api/v1/token/%lld", (long long)id));
	api_json(w, 201, o);
}

static void token_delete(web *w)
{
	int rc = api_token_revoke(w->d, w->account_id, w->account_id, w->ids[0]);
	if (rc == DB_ENOTFOUND) { api_error(w, 404, NULL, "Không tìm thấy token này (hoặc token đã bị thu hồi)."); return; }
	if (rc != DB_OK) { api_error(w, 500, NULL, "Không thu hồi được token. Vui lòng thử lại."); return; }
	api_json(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)w->ids[0], "revoked", 1));
}

const web_route api_routes[] = {
	/* the account's own data and tokens: the store keys each on the account */
	{ "GET", "/api/v1/toi", me_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ "GET", "/api/v1/token", tokens_get, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ "POST", "/api/v1/token", tokens_post, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ "DELETE", "/api/v1/token/{id}", token_delete, WEB_SIGNED_IN, .load = WEB_LOAD_OWN },
	{ NULL, NULL, NULL, 0 },
};
