/* page_evidence.c — evidence (minh chứng) of an assessment: the catalogue
 * (danh mục minh chứng) with its filter by criterion, creating an item with
 * its files and links, the item's page with previews, downloads, linking to
 * criteria, reuse from the unit's previous round, and the evidence codes
 * shown in the assessment form (page_evidence.h).
 *
 * Access. Every handler loads the assessment through assess_view_load and
 * then asks authz about the evidence as an AUTHZ_KIND_EVIDENCE object that
 * is never "published": publishing a result makes the scores public, not
 * the school's documents (staff lists, contracts, photographs of pupils).
 * Writing asks AUTHZ_UPLOAD_EVIDENCE for the criteria concerned, so a
 * council member works only on the criteria assigned to her (an assigned
 * criterion covers its items).
 *
 * Files. Uploads arrive already streamed to temporary files (http.c); each
 * is put in the content-addressed blob store, which decides the type from
 * the bytes, never from the name. A refused file is named in the message
 * and does not cost the others: they are stored, and when the form itself
 * has to be shown again they ride along as hidden fields signed with the
 * server secret (keeptoken.h) instead of being uploaded a second time. */
#include "page_evidence.h"
#include "blob.h"
#include "blob_db.h"
#include "keeptoken.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_unit.h"
#include "util.h"
#include "vn.h"
#include "web_sign.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UPLOAD_FIELD "tep"
#define KEEP_FIELD "giu"
/* What a phone offers to pick: photos and PDFs first, office files too. */
#define ACCEPT "image/*,application/pdf,.pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"

/* ---- messages collected while handling one request ------------------------------- */

typedef struct msgs {
	const char **v;
	size_t n, cap;
} msgs;

static void say(web *w, msgs *m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(web *w, msgs *m, const char *fmt, ...)
{
	buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		const char **nv = arena_alloc(w->a, m->cap * sizeof *nv);
		if (m->n) memcpy(nv, m->v, m->n * sizeof *nv);
		m->v = nv;
	}
	m->v[m->n++] = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
}

static void render_msgs(web *w, const msgs *m, const char *lead)
{
	if (!m || !m->n) return;
	html_f(w->out, "<div class=\"error-msg\" role=\"alert\"><p>%h</p><ul>", lead);
	for (size_t i = 0; i < m->n; i++) html_f(w->out, "<li>%h</li>", m->v[i]);
	html_f(w->out, "</ul></div>");
}

/* ---- access ------------------------------------------------------------------------ */

/* authz about this assessment's evidence: an evidence object, never public.
 * The view is borrowed (the assessment form's own view too), so it is left
 * as it was found. */
static bool ev_allowed(web *w, assess_view *v, authz_action a, const char *item, authz_decision *why)
{
	authz_object saved = v->az.object;
	v->az.object.kind = AUTHZ_KIND_EVIDENCE;
	v->az.object.published = false;
	bool ok = assess_allowed(w, v, a, item, why);
	v->az.object = saved;
	return ok;
}

static int deny_status(const authz_decision *why)
{
	return why->reason == AUTHZ_DENIED_STATE ? 409 : 403;
}

/* Loads assessment `id` and checks that the account may see its evidence;
 * renders the error page otherwise. The routes' own assessment or evidence
 * item is loaded so by the dispatcher (WEB_LOAD_ASSESSMENT_EVIDENCE,
 * WEB_LOAD_EVIDENCE); this is for another one (the previous round's). */
static bool load_assessment(web *w, int64_t id, assess_view *v)
{
	if (!assess_view_load(w, id, ANSWER_SELF, AUTHZ_VIEW, v)) return false;
	authz_decision why;
	if (!ev_allowed(w, v, AUTHZ_VIEW, NULL, &why)) {
		assess_view_free(v);
		web_error(w, 403, why.message);
		return false;
	}
	return true;
}

/* A criterion or item of the assessment's framework (evidence is not
 * linked to a whole group). */
static const fw_node *criterion(const assess_view *v, const char *code)
{
	const fw_node *n = code && *code ? framework_find(v->fw, code) : NULL;
	return n && n->kind != NODE_GROUP ? n : NULL;
}

/* May the account add or change evidence for criterion `code`? */
static bool may_upload(web *w, assess_view *v, const char *code, authz_decision *why)
{
	authz_decision tmp;
	if (!why) why = &tmp;
	if (ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, why)) return true;
	if (why->reason != AUTHZ_DENIED_NOT_ASSIGNED) return false;
	const fw_node *n = criterion(v, code);
	if (!n) return code && ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, code, why);
	for (; n && n->kind != NODE_GROUP; n = n->parent)
		if (ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, n->code, why)) return true;
	return false;
}

static bool any_in(web *w, assess_view *v, const fw_node *n, authz_decision *why)
{
	if (n->kind != NODE_GROUP && ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, n->code, why)) return true;
	for (size_t i = 0; i < n->nchildren; i++)
		if (any_in(w, v, &n->children[i], why)) return true;
	return false;
}

/* May the account add evidence for at least one criterion? */
static bool may_upload_any(web *w, assess_view *v, authz_decision *why)
{
	if (ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, why)) return true;
	if (why->reason != AUTHZ_DENIED_NOT_ASSIGNED) return false;
	authz_decision first = *why;
	for (size_t g = 0; g < v->fw->ngroups; g++)
		if (any_in(w, v, &v->fw->groups[g], why)) return true;
	/* assigned items in a locked assessment: say "locked", not "not yours" */
	if (why->reason != AUTHZ_DENIED_STATE) *why = first;
	return false;
}

/* Changing an item: one of its criteria; deleting it (all = true): every
 * one (authz_evidence_change). */
static bool may_edit(web *w, assess_view *v, const evidence *e, bool all, authz_decision *why)
{
	authz_decision whole, *each = arena_alloc(w->a, (e->nitems + 1) * sizeof *each);
	ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, &whole);
	for (size_t i = 0; i < e->nitems && whole.reason == AUTHZ_DENIED_NOT_ASSIGNED; i++)
		may_upload(w, v, e->items[i], &each[i]);
	return authz_evidence_change(&whole, each, e->nitems, all, why);
}

/* ---- formatting -------------------------------------------------------------------- */

/* "820 byte", "35 KB", "1,2 MB": the Vietnamese decimal comma. */
static const char *size_text(web *w, int64_t n)
{
	const int64_t kib = 1024, mib = kib * kib;
	if (n < kib) return arena_printf(w->a, "%lld byte", (long long)n);
	if (n < mib) return arena_printf(w->a, "%lld KB", (long long)((n + kib / 2) / kib));
	long long tenths = (long long)((n * 10 + mib / 2) / mib);
	return arena_printf(w->a, "%lld,%lld MB", tenths / 10, tenths % 10);
}

static const char *type_label(const char *mime)
{
	static const char *const t[][2] = {
		{ "application/pdf", "PDF" }, { "image/png", "Ảnh PNG" }, { "image/jpeg", "Ảnh JPEG" },
		{ "image/gif", "Ảnh GIF" }, { "image/webp", "Ảnh WEBP" },
		{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)" },
		{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)" },
		{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint (PPTX)" },
		{ "application/msword", "Word (DOC)" }, { "application/vnd.ms-excel", "Excel (XLS)" },
		{ "application/vnd.ms-powerpoint", "PowerPoint (PPT)" },
		{ "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)" },
		{ "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (ODS)" },
		{ "application/vnd.oasis.opendocument.presentation", "OpenDocument (ODP)" },
	};
	for (size_t i = 0; mime && i < ARRAY_LEN(t); i++)
		if (strcmp(t[i][0], mime) == 0) return t[i][1];
	return mime ? mime : "";
}

static bool is_image(const char *mime) { return mime && strncmp(mime, "image/", 6) == 0; }
static bool is_pdf(const char *mime) { return mime && strcmp(mime, "application/pdf") == 0; }

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Codes in reading order: MC-1.2-01 before MC-1.10-01 (numbers compare as
 * numbers, which a plain string order gets wrong). */
static int code_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			while (*a == '0') a++;
			while (*b == '0') b++;
			size_t la = 0, lb = 0;
			while (is_digit(a[la])) la++;
			while (is_digit(b[lb])) lb++;
			if (la != lb) return la < lb ? -1 : 1;
			int c = memcmp(a, b, la);
			if (c) return c;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int evidence_cmp(const void *x, const void *y)
{
	const evidence *a = x, *b = y;
	return code_cmp(a->code ? a->code : "", b->code ? b->code : "");
}

static void sort_by_code(evidence *list, size_t n)
{
	sort_list(list, n, sizeof *list, evidence_cmp);
}

static bool has_item(const evidence *e, const char *code)
{
	for (size_t i = 0; i < e->nitems; i++)
		if (strcmp(e->items[i], code) == 0) return true;
	return false;
}

/* Is evidence item code `item` the criterion `filter` or inside it? */
static bool under(const assess_view *v, const char *item, const char *filter)
{
	if (strcmp(item, filter) == 0) return true;
	for (const fw_node *n = criterion(v, item); n; n = n->parent)
		if (strcmp(n->code, filter) == 0) return true;
	return false;
}

/* ISO date from what was typed: the date picker gives ISO, old browsers
 * show a text box where people write 21/02/2025. NULL when not a date. */
static const char *iso_date(web *w, const char *s)
{
	int y, m, d;
	if (!s || !vn_parse_date(s, &y, &m, &d)) return NULL;
	return arena_printf(w->a, "%04d-%02d-%02d", y, m, d);
}

static void crumbs(web *w, assess_view *v, const char *last)
{
	html_f(w->out, "<nav class=\"crumbs\"><a href=\"/danh-gia/%D\">%h</a> › ", v->as.id, v->u.name);
	if (last) html_f(w->out, "<a href=\"/danh-gia/%D/minh-chung\">Danh mục minh chứng</a> › %h", v->as.id, last);
	else html_f(w->out, "Danh mục minh chứng");
	html_f(w->out, "</nav>");
}

/* ---- files: uploads, kept files, the blob store ------------------------------------ */

typedef struct ev_file {
	blob_info b;
	const char *name;
	int64_t keep_until;             /* how long its kept-file token may be used */
} ev_file;

typedef struct ev_files {
	ev_file *v;
	size_t n, cap;
} ev_files;

static void files_add(web *w, ev_files *f, const blob_info *b, const char *name, int64_t keep_until)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].b.sha256, b->sha256) == 0) return;   /* the same bytes twice: once */
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		ev_file *nv = arena_alloc(w->a, f->cap * sizeof *nv);
		if (f->n) memcpy(nv, f->v, f->n * sizeof *nv);
		f->v = nv;
	}
	f->v[f->n].b = *b;
	f->v[f->n].name = name;
	f->v[f->n].keep_until = keep_until;
	f->n++;
}

static blob_store *open_blobs(web *w)
{
	blob_store *bs = NULL;
	char msg[BLOB_MSG_MAX];
	if (blob_store_open(w->app->blob_dir, 0, &bs, msg) == BLOB_OK) blob_store_use_db(bs, w->app->db_target);
	else {
		fprintf(stderr, "chiso serve: %s\n", msg);
		web_error(w, 500, "Không mở được kho lưu trữ tệp. Vui lòng báo quản trị viên.");
		return NULL;
	}
	return bs;
}

/* The name the user gave the file: its last path part (old browsers send
 * C:\…\scan.pdf), NFC. Shown and offered on download, never a path. */
static const char *upload_name(web *w, const http_upload *u)
{
	const char *s = u->filename ? u->filename : "";
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\') s = p + 1;
	if (!*s || !vn_utf8_valid(s, strlen(s), NULL)) return "tệp không tên";
	char *n = vn_nfc(s);
	const char *out = arena_strdup(w->a, n ? n : s);
	free(n);
	return out;
}

/* Stores each acceptable uploaded file; one message naming each refused one. */
static void take_uploads(web *w, blob_store *bs, ev_files *ok, msgs *errs)
{
	http_req *r = w->r;
	for (size_t i = 0; i < r->nuploads; i++) {
		http_upload *u = &r->uploads[i];
		if (strcmp(u->field, UPLOAD_FIELD) != 0) continue;
		if ((!u->filename || !*u->filename) && u->size == 0) continue;   /* a file box left empty */
		const char *name = upload_name(w, u);
		if (u->truncated) {
			say(w, errs, "«%s»: tệp lớn hơn %lld MB nên không được nhận. Hãy giảm dung lượng (nén tệp PDF, "
			             "chụp ảnh với độ phân giải thấp hơn) rồi tải lên lại.", name,
			    (long long)(blob_store_max_size(bs) / ((int64_t)1024 * 1024)));
			continue;
		}
		if (!u->tmp_path || u->size == 0) {
			say(w, errs, "«%s»: tệp rỗng (0 byte). Hãy chọn lại đúng tệp.", name);
			continue;
		}
		blob_info b;
		char msg[BLOB_MSG_MAX];
		int rc = blob_put_file(bs, u->tmp_path, &b, msg);
		if (rc == BLOB_EIO) {
			fprintf(stderr, "chiso serve: %s\n", msg);
			say(w, errs, "«%s»: máy chủ chưa lưu được tệp. Vui lòng thử lại sau ít phút.", name);
		} else if (rc != BLOB_OK) {
			say(w, errs, "«%s»: %s.", name, msg);
		} else {
			files_add(w, ok, &b, name, (int64_t)time(NULL) + KEEPTOKEN_TTL);
		}
	}
}

/* A file stored during a submission whose form had to be shown again
 * travels back as a kept-file token (keeptoken.h): signed with the server
 * secret, for this account and this assessment, for an hour from its
 * upload. Content addressing would otherwise make a file's hash (which the
 * API shows) a key to it. Tokens are made only here, for files this
 * request stored or a token of the same account and assessment named; the
 * blob store itself cannot say who uploaded a file. */
static keeptoken_scope keep_scope(web *w, int64_t assessment_id)
{
	return (keeptoken_scope){ .account_id = w->account_id, .assessment_id = assessment_id };
}

static const char *keep_token(web *w, int64_t assessment_id, const ev_file *f)
{
	keeptoken_scope scope = keep_scope(w, assessment_id);
	buf b;
	buf_init(&b);
	keeptoken_make(w->app->secret, &scope, f->b.sha256, f->name, f->keep_until, &b);
	const char *t = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return t;
}

/* The blob's facts for evidence_add_file, read back from the store. */
static bool kept_info(blob_store *bs, const char *sha, blob_info *b)
{
	int fd = -1;
	int64_t size = 0;
	if (blob_open_fd(bs, sha, &fd, &size) != BLOB_OK) return false;
	unsigned char head[4096];
	ssize_t n = pread(fd, head, sizeof head, 0);
	char msg[BLOB_MSG_MAX];
	memset(b, 0, sizeof *b);
	bool ok = n > 0 && blob_sniff(fd, size, head, (size_t)n, &b->mime, &b->ext, msg) == BLOB_OK;
	close(fd);
	if (ok) {
		memcpy(b->sha256, sha, 65);
		b->size = size;
		b->existed = true;
	}
	return ok;
}

/* The kept files of the form. A token that is not ours for this account
 * and assessment, or is too old, refuses the whole form (errs): saving the
 * item without a file the user believes attached would lose it silently. */
static void take_kept(web *w, blob_store *bs, int64_t assessment_id, ev_files *ok, msgs *errs)
{
	keeptoken_scope scope = keep_scope(w, assessment_id);
	int64_t now = (int64_t)time(NULL);
	size_t n = 0;
	const char **tokens = web_in_list(w, KEEP_FIELD, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		keeptoken k;
		keeptoken_rc rc = keeptoken_check(w->app->secret, &scope, tokens[i], now, &k);
		blob_info b;
		if (rc == KEEPTOKEN_EXPIRED)
			say(w, errs, "«%s» đã tải lên hơn %d phút trước nên không còn hiệu lực: hãy chọn lại tệp.", k.name,
			    KEEPTOKEN_TTL / 60);
		else if (rc != KEEPTOKEN_OK)
			say(w, errs, "Một tệp giữ lại từ lần gửi trước không còn hiệu lực: hãy chọn lại tệp.");
		else if (!kept_info(bs, k.sha256, &b))
			say(w, errs, "«%s»: máy chủ không còn giữ tệp này: hãy chọn lại tệp.", k.name);
		else
			files_add(w, ok, &b, arena_strdup(w->a, k.name), k.expires);
	}
}

/* Attaches the stored files; one message per refusal. */
static size_t attach_files(web *w, int64_t evidence_id, const ev_files *f, msgs *errs)
{
	size_t done = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (evidence_add_file(w->d, w->account_id, evidence_id, &f->v[i].b, f->v[i].name, NULL) == DB_OK) done++;
		else say(w, errs, "«%s»: %s.", f->v[i].name, db_errmsg(w->d));
	}
	return done;
}

/* ---- links typed one per line ------------------------------------------------------ */

typedef struct ev_link {
	const char *url, *label;
} ev_link;

/* "https://lms.truong.edu.vn Hệ thống LMS" or "Hệ thống LMS: https://…":
 * the word that starts with http:// or https:// is the address, the rest
 * its description. */
static size_t parse_links(web *w, const char *text, ev_link **out, msgs *errs)
{
	*out = NULL;
	if (!text || !*text) return 0;
	size_t cap = 1;
	for (const char *p = text; *p; p++) cap += *p == '\n';
	ev_link *v = arena_alloc(w->a, cap * sizeof *v);
	size_t n = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end) end = line + strlen(line);
		char *l = arena_strndup(w->a, line, (size_t)(end - line));
		line = *end ? end + 1 : end;
		char *url = strstr(l, "https://");
		char *plain = strstr(l, "http://");
		if (!url || (plain && plain < url)) url = plain;
		char *s = l;
		while (*s == ' ' || *s == '\t' || *s == '\r') s++;
		if (!*s) continue;
		if (!url) {
			say(w, errs, "«%s» không phải đường dẫn: cần bắt đầu bằng http:// hoặc https://.", s);
			continue;
		}
		size_t ulen = strcspn(url, " \t\r");
		char *after = url + ulen;
		char *label = arena_printf(w->a, "%.*s %s", (int)(url - s), s, after);
		v[n].url = arena_strndup(w->a, url, ulen);
		/* trim the description of spaces and a dangling ":" or "-" */
		while (*label == ' ' || *label == '\t' || *label == '\r') label++;
		size_t ll = strlen(label);
		while (ll && (label[ll - 1] == ' ' || label[ll - 1] == '\t' || label[ll - 1] == '\r' ||
		              label[ll - 1] == ':' || label[ll - 1] == '-'))
			label[--ll] = '\0';
		v[n].label = ll ? label : NULL;
		n++;
	}
	*out = v;
	return n;
}

static void attach_links(web *w, int64_t evidence_id, const ev_link *l, size_t n, msgs *errs)
{
	for (size_t i = 0; i < n; i++)
		if (evidence_add_link(w->d, w->account_id, evidence_id, l[i].url, l[i].label, NULL) != DB_OK)
			say(w, errs, "%s: %s.", l[i].url, db_errmsg(w->d));
}

/* ---- shared form parts --------------------------------------------------------------- */

/* The file boxes: several files from the device, and on a phone straight
 * from the camera (a separate box: `capture` on the first one would hide
 * the PDFs already on the phone). chiso.js adds drag and drop, a list of
 * chosen files and the progress bar; without it the plain boxes post. */
static void file_inputs(web *w, int64_t assessment_id, const ev_files *kept)
{
	html_f(w->out, "<fieldset class=\"ev-files\"><legend>Tệp minh chứng</legend>");
	if (kept && kept->n) {
		html_f(w->out, "<p class=\"explain\">Đã tải lên, sẽ được lưu cùng minh chứng:</p><ul class=\"ev-kept\">");
		for (size_t i = 0; i < kept->n; i++)
			html_f(w->out, "<li>%h (%h)<input type=\"hidden\" name=\"" KEEP_FIELD "\" value=\"%a\"></li>", kept->v[i].name,
			       size_text(w, kept->v[i].b.size), keep_token(w, assessment_id, &kept->v[i]));
		html_f(w->out, "</ul>");
	}
	html_f(w->out,
	       "<label class=\"dropzone\"><span class=\"dz-text\">Chọn tệp (PDF, ảnh, Word, Excel…; tối đa 50 MB mỗi tệp)</span>"
	       "<span class=\"dz-hint\">hoặc kéo thả tệp vào đây</span>"
	       "<input type=\"file\" name=\"" UPLOAD_FIELD "\" multiple accept=\"%a\"></label>"
	       "<label class=\"camera\">Chụp ảnh bằng điện thoại"
	       "<input type=\"file\" name=\"" UPLOAD_FIELD "\" accept=\"image/*\" capture=\"environment\"></label>"
	       "<ul class=\"ev-chosen\" aria-live=\"polite\"></ul></fieldset>", ACCEPT);
}

static void submit_row(web *w, const char *label, const char *cancel_href)
{
	html_f(w->out, "<div class=\"ev-submit\"><progress class=\"ev-progress\" max=\"100\" value=\"0\" hidden></progress>"
	               "<p class=\"ev-status\" role=\"status\"></p><button type=\"submit\">%h</button>", label);
	if (cancel_href) html_f(w->out, " <a href=\"%a\">Hủy</a>", cancel_href);
	html_f(w->out, "</div>");
}

/* Criteria in framework order, indented by depth. */
static void criteria_options(web *w, assess_view *v, const fw_node *n, int depth, const char *const *sel,
                             size_t nsel, bool all)
{
	if (n->kind == NODE_GROUP) {
		html_f(w->out, "<p class=\"ev-group\">Nhóm %h. %h</p>", n->code, n->title);
	} else {
		bool checked = false;
		for (size_t i = 0; i < nsel; i++) checked |= strcmp(sel[i], n->code) == 0;
		bool on = all || may_upload(w, v, n->code, NULL);
		html_f(w->out, "<label class=\"opt d%d%h\"><input type=\"checkbox\" name=\"tc\" value=\"%a\"%h%h> "
		               "<strong>%h</strong> %h</label>", depth > 3 ? 3 : depth, on ? "" : " off", n->code,
		       checked ? " checked" : "", on ? "" : " disabled", n->code, n->title);
	}
	for (size_t i = 0; i < n->nchildren; i++) criteria_options(w, v, &n->children[i], depth + 1, sel, nsel, all);
}

/* A <select> of criteria; `skip`: already linked ones. */
static void criteria_select(web *w, assess_view *v, const fw_node *n, const char *sel, const evidence *skip,
                            bool all)
{
	if (n->kind == NODE_GROUP) {
		html_f(w->out, "<optgroup label=\"Nhóm %a. %a\">", n->code, n->title);
	} else if (!(skip && has_item(skip, n->code)) && (all || may_upload(w, v, n->code, NULL))) {
		/* long official titles cut at a character boundary: a phone's
		 * select box shows one line anyway */
		const char *title = n->title ? n->title : "";
		size_t len = strlen(title), cut = len > 90 ? 90 : len;
		while (cut < len && ((unsigned char)title[cut] & 0xC0) == 0x80) cut--;
		html_f(w->out, "<option value=\"%a\"%h>%h %h%h</option>", n->code, sel && strcmp(sel, n->code) == 0 ? " selected" : "",
		       n->code, arena_strndup(w->a, title, cut), cut < len ? "…" : "");
	}
	for (size_t i = 0; i < n->nchildren; i++) criteria_select(w, v, &n->children[i], sel, skip, all);
	if (n->kind == NODE_GROUP) html_f(w->out, "</optgroup>");
}

/* ---- the catalogue ------------------------------------------------------------------- */

static void catalogue(web *w)
{
	assess_view *v = w->view;
	const char *tc = web_in_text(w, "tc");
	const fw_node *filter = criterion(v, tc);
	if (tc && *tc && !filter) {
		web_error(w, 404, "Bộ chỉ số của hồ sơ này không có tiêu chí đó.");
		return;
	}
	evidence *list = NULL;
	size_t n = 0;
	if (evidence_list(w->d, v->as.id, NULL, w->a, &list, &n) != DB_OK) {
		web_error(w, 500, "Không đọc được danh mục minh chứng. Vui lòng thử lại.");
		return;
	}
	sort_by_code(list, n);
	authz_decision why;
	bool can_add = may_upload_any(w, v, &why);
	page_begin(w, arena_printf(w->a, "Danh mục minh chứng — %s", v->u.name));
	crumbs(w, v, NULL);
	html_f(w->out, "<section class=\"card\"><h1>Danh mục minh chứng</h1><p>%h — %h</p>", v->u.name, v->round.title);
	html_f(w->out, "<form method=\"get\" action=\"/danh-gia/%D/minh-chung\" class=\"ev-filter\"><label>Lọc theo tiêu chí"
	               "<select name=\"tc\"><option value=\"\">Tất cả tiêu chí</option>", v->as.id);
	for (size_t g = 0; g < v->fw->ngroups; g++) criteria_select(w, v, &v->fw->groups[g], tc, NULL, true);
	html_f(w->out, "</select></label><button type=\"submit\" class=\"secondary\">Lọc</button>");
	if (filter) html_f(w->out, " <a href=\"/danh-gia/%D/minh-chung\">Bỏ lọc</a>", v->as.id);
	html_f(w->out, "</form><p class=\"ev-actions\">");
	if (can_add) {
		if (filter) html_f(w->out, "<a class=\"button\" href=\"/danh-gia/%D/minh-chung/moi?tc=%u\">Thêm minh chứng cho %h</a> ",
		                   v->as.id, filter->code, filter->code);
		else html_f(w->out, "<a class=\"button\" href=\"/danh-gia/%D/minh-chung/moi\">Thêm minh chứng</a> ", v->as.id);
		html_f(w->out, "<a class=\"button secondary\" href=\"/danh-gia/%D/minh-chung/dung-lai\">Dùng lại minh chứng đợt trước</a>", v->as.id);
	} else if (why.reason == AUTHZ_DENIED_STATE) {
		html_f(w->out, "<span class=\"explain\">Hồ sơ ở trạng thái «%h»: không thêm hay sửa minh chứng được.</span>",
		       wf_state_label(v->state));
	}
	html_f(w->out, "</p>");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		bool match = !filter;
		for (size_t k = 0; !match && k < list[i].nitems; k++) match = under(v, list[i].items[k], filter->code);
		if (!match) continue;
		if (!shown++)
			html_f(w->out, "<table class=\"ev-table\"><thead><tr><th>Mã</th><th>Tên minh chứng</th><th>Số, ngày văn bản</th>"
			               "<th>Nơi ban hành</th><th>Tiêu chí</th><th>Tệp, đường dẫn</th></tr></thead><tbody>");
		const evidence *e = &list[i];
		html_f(w->out, "<tr><td data-label=\"Mã\" class=\"ev-code\"><a href=\"/minh-chung/%D\">%h</a></td>"
		               "<td data-label=\"Tên\"><a href=\"/minh-chung/%D\">%h</a>", e->id, e->code, e->id, e->title);
		if (e->note) html_f(w->out, "<div class=\"explain\">%h</div>", e->note);
		html_f(w->out, "</td><td data-label=\"Số, ngày\">%h%h%h</td><td data-label=\"Ban hành\">%h</td><td data-label=\"Tiêu chí\">",
		       e->doc_number, e->doc_number && e->doc_date ? ", " : "", e->doc_date ? web_date_short(w, e->doc_date) : "",
		       e->issuer);
		for (size_t k = 0; k < e->nitems; k++)
			html_f(w->out, "%h<a href=\"/danh-gia/%D/minh-chung?tc=%u\">%h</a>", k ? ", " : "", v->as.id, e->items[k], e->items[k]);
		html_f(w->out, "</td><td data-label=\"Tệp\"><ul class=\"ev-flist\">");
		evidence_file *files = NULL;
		size_t nf = 0;
		evidence_files(w->d, e->id, w->a, &files, &nf);
		for (size_t k = 0; k < nf; k++) {
			html_f(w->out, "<li><a href=\"/minh-chung/%D/tep/%D\">%h</a> <span class=\"explain\">(%h, %h)</span>", e->id,
			       files[k].id, files[k].original_name, type_label(files[k].mime), size_text(w, files[k].size));
			web_sign_badge(w, files[k].sha256, files[k].mime);
			html_f(w->out, "</li>");
		}
		evidence_link *links = NULL;
		size_t nl = 0;
		evidence_links(w->d, e->id, w->a, &links, &nl);
		for (size_t k = 0; k < nl; k++)
			html_f(w->out, "<li><a href=\"%a\" rel=\"noopener noreferrer\" target=\"_blank\">%h</a></li>", links[k].url,
			       links[k].label ? links[k].label : links[k].url);
		html_f(w->out, "</ul></td></tr>");
	}
	if (shown) html_f(w->out, "</tbody></table><p class=\"explain\">%z minh chứng.</p>", shown);
	else if (filter) html_f(w->out, "<p>Chưa có minh chứng nào cho tiêu chí %h.</p>", filter->code);
	else html_f(w->out, "<p>Chưa có minh chứng nào.</p>");
	html_f(w->out, "</section>");
	page_end(w);
}

/* ---- creating an item -------------------------------------------------------------- */

typedef struct ev_form {
	const char *title, *doc_number, *doc_date, *issuer, *note, *links;
	const char **tc;
	size_t ntc;
	ev_files kept;
} ev_form;

static void form_read(web *w, ev_form *f)
{
	memset(f, 0, sizeof *f);
	f->title = web_in_text(w, "tieu_de");
	f->doc_number = web_in_text(w, "so_hieu");
	f->doc_date = web_in_text(w, "ngay");
	f->issuer = web_in_text(w, "noi_ban_hanh");
	f->note = web_in_text(w, "ghi_chu");
	f->links = web_in_text(w, "duong_dan");
	f->tc = web_in_list(w, "tc", &f->ntc, NULL);
}

static const char *blank_null(const char *s) { return s && *s ? s : NULL; }

static void meta_fields(web *w, const ev_form *f)
{
	const char *iso = iso_date(w, f->doc_date);
	html_f(w->out,
	       "<label>Tên minh chứng (trích yếu nội dung)<input name=\"tieu_de\" required maxlength=\"1000\" value=\"%a\"></label>"
	       "<div class=\"ev-row\"><label>Số hiệu văn bản<input name=\"so_hieu\" maxlength=\"100\" placeholder=\"125/QĐ-THCS\" value=\"%a\"></label>"
	       "<label>Ngày ban hành<input name=\"ngay\" type=\"date\" value=\"%a\"></label></div>"
	       "<label>Nơi ban hành<input name=\"noi_ban_hanh\" maxlength=\"300\" value=\"%a\"></label>",
	       f->title ? f->title : "", f->doc_number ? f->doc_number : "", iso ? iso : (f->doc_date ? f->doc_date : ""),
	       f->issuer ? f->issuer : "");
}

static void new_form(web *w, assess_view *v, ev_form *f, const msgs *errs, const msgs *ferrs)
{
	authz_decision why;
	bool all = ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, &why);
	page_begin(w, arena_printf(w->a, "Thêm minh chứng — %s", v->u.name));
	crumbs(w, v, "Thêm minh chứng");
	html_f(w->out, "<section class=\"card\"><h1>Thêm minh chứng</h1>");
	render_msgs(w, errs, "Chưa lưu được minh chứng — hãy sửa rồi gửi lại:");
	render_msgs(w, ferrs, "Một số tệp không được nhận (các tệp khác đã được giữ lại):");
	html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/minh-chung/moi\" enctype=\"multipart/form-data\" "
	               "class=\"ev-upload ev-form\">", v->as.id);
	web_csrf_field(w);
	meta_fields(w, f);
	html_f(w->out, "<fieldset class=\"ev-criteria\"><legend>Dùng cho tiêu chí (chọn ít nhất một)</legend>"
	               "<p class=\"explain\">Mã minh chứng lấy theo tiêu chí đầu tiên được chọn, ví dụ MC-1.3-01.</p>");
	for (size_t g = 0; g < v->fw->ngroups; g++) criteria_options(w, v, &v->fw->groups[g], 0, f->tc, f->ntc, all);
	html_f(w->out, "</fieldset>");
	file_inputs(w, v->as.id, &f->kept);
	html_f(w->out, "<label>Đường dẫn đến hệ thống (mỗi dòng một địa chỉ, có thể ghi mô tả phía sau)"
	               "<textarea name=\"duong_dan\" rows=\"3\" placeholder=\"https://lms.truong.edu.vn Hệ thống học tập trực tuyến\">%h</textarea></label>"
	               "<label>Ghi chú<textarea name=\"ghi_chu\" rows=\"2\" maxlength=\"4000\">%h</textarea></label>",
	       f->links ? f->links : "", f->note ? f->note : "");
	submit_row(w, "Lưu minh chứng", arena_printf(w->a, "/danh-gia/%lld/minh-chung", (long long)v->as.id));
	html_f(w->out, "</form></section>");
	page_end(w);
}

static void new_get(web *w)
{
	assess_view *v = w->view;
	authz_decision why;
	if (!may_upload_any(w, v, &why)) {
		web_error(w, deny_status(&why), why.message);
		return;
	}
	ev_form f;
	memset(&f, 0, sizeof f);
	const char *tc = web_in_text(w, "tc");
	if (criterion(v, tc)) {
		f.tc = arena_alloc(w->a, sizeof *f.tc);
		f.tc[0] = tc;
		f.ntc = 1;
	}
	new_form(w, v, &f, NULL, NULL);
}

static void render_detail(web *w, assess_view *v, const evidence *e, const msgs *errs, const char *lead);

static void new_post(web *w)
{
	assess_view *v = w->view;
	authz_decision why;
	if (!may_upload_any(w, v, &why)) {
		web_error(w, deny_status(&why), why.message);
		return;
	}
	blob_store *bs = open_blobs(w);
	if (!bs) { return; }
	ev_form f;
	form_read(w, &f);
	msgs errs = { 0 }, ferrs = { 0 };
	take_kept(w, bs, v->as.id, &f.kept, &errs);
	take_uploads(w, bs, &f.kept, &ferrs);
	blob_store_close(bs);
	if (!f.title || !*f.title) say(w, &errs, "Hãy nhập tên minh chứng.");
	const char **items = arena_alloc(w->a, (f.ntc + 1) * sizeof *items);
	size_t nitems = 0;
	for (size_t i = 0; i < f.ntc; i++) {
		const fw_node *n = criterion(v, f.tc[i]);
		if (!n) { say(w, &errs, "Tiêu chí «%s» không có trong bộ chỉ số của hồ sơ.", f.tc[i]); continue; }
		authz_decision d;
		if (!may_upload(w, v, n->code, &d)) { say(w, &errs, "Tiêu chí %s: %s", n->code, d.message); continue; }
		bool dup = false;
		for (size_t k = 0; k < nitems; k++) dup |= strcmp(items[k], n->code) == 0;
		if (!dup) items[nitems++] = n->code;
	}
	if (f.ntc == 0) say(w, &errs, "Hãy chọn ít nhất một tiêu chí mà minh chứng này dùng cho.");
	const char *date = blank_null(f.doc_date) ? iso_date(w, f.doc_date) : NULL;
	if (blank_null(f.doc_date) && !date)
		say(w, &errs, "Ngày ban hành «%s» không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 21/02/2025.", f.doc_date);
	ev_link *links = NULL;
	size_t nlinks = parse_links(w, f.links, &links, &errs);
	/* a title alone proves nothing and would count as "Có minh chứng" */
	if (f.kept.n == 0 && nlinks == 0 && !ferrs.n)
		say(w, &errs, "Minh chứng cần có ít nhất một tệp đính kèm hoặc một đường dẫn. Hãy chọn tệp hoặc ghi đường dẫn.");
	else if (f.kept.n == 0 && nlinks == 0)
		say(w, &errs, "Chưa lưu minh chứng: không tệp nào được nhận và không có đường dẫn.");
	int64_t id = 0;
	if (!errs.n) {
		evidence e = { .assessment_id = v->as.id, .title = f.title, .doc_number = blank_null(f.doc_number), .doc_date = date,
		               .issuer = blank_null(f.issuer), .note = blank_null(f.note), .items = items, .nitems = nitems };
		if (evidence_add(w->d, w->account_id, &e, &id, NULL, NULL) != DB_OK) say(w, &errs, "%s.", db_errmsg(w->d));
	}
	if (errs.n) {
		w->r->status = 422;
		new_form(w, v, &f, &errs, &ferrs);
		return;
	}
	attach_files(w, id, &f.kept, &ferrs);
	attach_links(w, id, links, nlinks, &ferrs);
	if (ferrs.n) {
		/* the item exists with everything that was acceptable: show it with
		 * what was refused, on this response (a redirect cannot carry names) */
		evidence e;
		w->r->status = 422;
		if (evidence_get(w->d, id, w->a, &e) == DB_OK)
			render_detail(w, v, &e, &ferrs, "Đã lưu minh chứng, nhưng một số tệp hoặc đường dẫn không được nhận:");
		else web_error(w, 500, "Không đọc lại được minh chứng vừa lưu.");
	} else {
		web_redirect_notice(w, arena_printf(w->a, "/minh-chung/%lld", (long long)id), "da-tai-len");
	}
}

/* ---- one item -------------------------------------------------------------------------- */

/* One file: the preview a browser can show (images; PDFs in a frame, at
 * full width), then its name, type, size, the download, and removal. */
static void file_preview(web *w, const evidence *e, const evidence_file *f, bool can_edit)
{
	html_f(w->out, "<figure class=\"ev-file%h\">", is_pdf(f->mime) ? " pdf" : "");
	if (is_image(f->mime))
		html_f(w->out, "<a href=\"/minh-chung/%D/tep/%D?xem=1\"><img src=\"/minh-chung/%D/tep/%D?xem=1\" alt=\"%a\" loading=\"lazy\"></a>",
		       e->id, f->id, e->id, f->id, f->original_name);
	else if (is_pdf(f->mime))
		html_f(w->out, "<iframe src=\"/minh-chung/%D/tep/%D?xem=1\" title=\"Xem trước: %a\" loading=\"lazy\"></iframe>", e->id,
		       f->id, f->original_name);
	else
		html_f(w->out, "<p class=\"ev-nopreview\">Trình duyệt không xem trước được tệp %h — hãy tải về để mở.</p>", type_label(f->mime));
	html_f(w->out, "<figcaption><strong>%h</strong> <span class=\"explain\">%h, %h</span><br>"
	               "<a href=\"/minh-chung/%D/tep/%D\">Tải về</a>", f->original_name, type_label(f->mime), size_text(w, f->size),
	       e->id, f->id);
	web_sign_badge(w, f->sha256, f->mime);
	if (is_image(f->mime) || is_pdf(f->mime))
		html_f(w->out, " · <a href=\"/minh-chung/%D/tep/%D?xem=1\" target=\"_blank\" rel=\"noopener\">Mở trong thẻ mới</a>", e->id, f->id);
	if (can_edit) {
		html_f(w->out, "<form method=\"post\" action=\"/minh-chung/%D/tep/%D/xoa\" class=\"ev-remove\">", e->id, f->id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" class=\"link\" data-confirm=\"%a\">Gỡ tệp này</button></form>",
		       arena_printf(w->a, "Gỡ tệp «%s» khỏi minh chứng này?", f->original_name));
	}
	html_f(w->out, "</figcaption></figure>");
}

static void render_detail(web *w, assess_view *v, const evidence *e, const msgs *errs, const char *lead)
{
	evidence_file *files = NULL;
	size_t nf = 0;
	evidence_link *links = NULL;
	size_t nl = 0;
	evidence_files(w->d, e->id, w->a, &files, &nf);
	evidence_links(w->d, e->id, w->a, &links, &nl);
	authz_decision why;
	bool can_edit = may_edit(w, v, e, false, &why);
	bool all = ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, NULL);

	page_begin(w, arena_printf(w->a, "%s — %s", e->code, e->title));
	crumbs(w, v, e->code);
	render_msgs(w, errs, lead ? lead : "Chưa thực hiện được:");
	html_f(w->out, "<section class=\"card ev-detail\"><h1><span class=\"ev-code\">%h</span> %h</h1><dl class=\"ev-meta\">", e->code, e->title);
	if (e->doc_number) html_f(w->out, "<dt>Số hiệu văn bản</dt><dd>%h</dd>", e->doc_number);
	if (e->doc_date) html_f(w->out, "<dt>Ngày ban hành</dt><dd>%h</dd>", web_date_long(w, e->doc_date));
	if (e->issuer) html_f(w->out, "<dt>Nơi ban hành</dt><dd>%h</dd>", e->issuer);
	if (e->note) html_f(w->out, "<dt>Ghi chú</dt><dd class=\"ev-note\">%h</dd>", e->note);
	if (e->copied_from) html_f(w->out, "<dt>Nguồn</dt><dd>Dùng lại từ hồ sơ đợt đánh giá trước</dd>");
	html_f(w->out, "</dl><h2>Dùng cho tiêu chí</h2><ul class=\"ev-crit\">");
	for (size_t i = 0; i < e->nitems; i++) {
		const fw_node *n = criterion(v, e->items[i]);
		html_f(w->out, "<li><a href=\"/danh-gia/%D#tc-%a\">%h</a> %h", v->as.id, e->items[i], e->items[i],
		       n ? n->title : "(không có trong bộ chỉ số của hồ sơ này)");
		if (can_edit && e->nitems > 1 && may_upload(w, v, e->items[i], NULL)) {
			html_f(w->out, " <form method=\"post\" action=\"/minh-chung/%D/bo-gan\" class=\"inline\">", e->id);
			web_csrf_field(w);
			html_f(w->out, "<input type=\"hidden\" name=\"tc\" value=\"%a\"><button type=\"submit\" class=\"link\">Bỏ gắn</button></form>",
			       e->items[i]);
		}
		html_f(w->out, "</li>");
	}
	html_f(w->out, "</ul>");
	if (can_edit) {
		html_f(w->out, "<form method=\"post\" action=\"/minh-chung/%D/gan\" class=\"ev-inline-form\">", e->id);
		web_csrf_field(w);
		html_f(w->out, "<label>Dùng thêm cho tiêu chí<select name=\"tc\">");
		for (size_t g = 0; g < v->fw->ngroups; g++) criteria_select(w, v, &v->fw->groups[g], NULL, e, all);
		html_f(w->out, "</select></label><button type=\"submit\" class=\"secondary\">Gắn</button></form>");
	}
	html_f(w->out, "</section>");

	html_f(w->out, "<section class=\"card\"><h2>Tệp (%z)</h2>", nf);
	if (!nf) html_f(w->out, "<p class=\"explain\">Chưa có tệp nào.</p>");
	html_f(w->out, "<div class=\"ev-previews\">");
	for (size_t i = 0; i < nf; i++) file_preview(w, e, &files[i], can_edit);
	html_f(w->out, "</div>");
	if (can_edit) {
		html_f(w->out, "<form method=\"post\" action=\"/minh-chung/%D/tep\" enctype=\"multipart/form-data\" class=\"ev-upload\">", e->id);
		web_csrf_field(w);
		file_inputs(w, e->assessment_id, NULL);
		submit_row(w, "Tải lên", NULL);
		html_f(w->out, "</form>");
	}
	html_f(w->out, "</section><section class=\"card\"><h2>Đường dẫn (%z)</h2><ul class=\"ev-flist\">", nl);
	for (size_t i = 0; i < nl; i++)
		html_f(w->out, "<li><a href=\"%a\" rel=\"noopener noreferrer\" target=\"_blank\">%h</a>%h%h</li>", links[i].url,
		       links[i].label ? links[i].label : links[i].url, links[i].label ? " — " : "", links[i].label ? links[i].url : "");
	html_f(w->out, "</ul>");
	if (can_edit) {
		html_f(w->out, "<form method=\"post\" action=\"/minh-chung/%D/duong-dan\"><label>Thêm đường dẫn (mỗi dòng một địa chỉ, "
		               "có thể ghi mô tả phía sau)<textarea name=\"duong_dan\" rows=\"2\" required "
		               "placeholder=\"https://lms.truong.edu.vn Hệ thống học tập trực tuyến\"></textarea></label>", e->id);
		web_csrf_field(w);
		html_f(w->out, "<button type=\"submit\" class=\"secondary\">Thêm đường dẫn</button></form>");
	}
	html_f(w->out, "</section>");
	if (can_edit) {
		ev_form f = { .title = e->title, .doc_number = e->doc_number, .doc_date = e->doc_date, .issuer = e->issuer, .note = e->note };
		html_f(w->out, "<section class=\"card\"><details><summary>Sửa thông tin minh chứng</summary>"
		               "<form method=\"post\" action=\"/minh-chung/%D/sua\">", e->id);
		web_csrf_field(w);
		meta_fields(w, &f);
		html_f(w->out, "<label>Ghi chú<textarea name=\"ghi_chu\" rows=\"2\" maxlength=\"4000\">%h</textarea></label>"
		               "<button type=\"submit\">Lưu thay đổi</button></form></details>", e->note ? e->note : "");
		if (may_edit(w, v, e, true, NULL)) {
			html_f(w->out, "<form method=\"post\" action=\"/minh-chung/%D/xoa\" class=\"ev-delete\">", e->id);
			web_csrf_field(w);
			html_f(w->out, "<button type=\"submit\" class=\"danger\" data-confirm=\"%a\">Xóa minh chứng %h</button></form>",
			       arena_printf(w->a, "Xóa minh chứng %s? Mã này sẽ không được dùng lại.", e->code), e->code);
		}
		html_f(w->out, "</section>");
	} else if (why.reason == AUTHZ_DENIED_STATE) {
		html_f(w->out, "<p class=\"explain\">Hồ sơ ở trạng thái «%h»: minh chứng chỉ xem được, không sửa được.</p>",
		       wf_state_label(v->state));
	}
	page_end(w);
}

static void detail_get(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	render_detail(w, v, e, NULL, NULL);
}

/* Checks the right to change the route's item (all: every one of its
 * criteria). false: the error page is already rendered. */
static bool may_change(web *w, assess_view *v, evidence *e, bool all)
{
	authz_decision why;
	if (!may_edit(w, v, e, all, &why)) {
		web_error(w, deny_status(&why), why.message);
		return false;
	}
	return true;
}

/* After a refused change: the item's page again with the message. */
static void detail_error(web *w, assess_view *v, evidence *e, const char *message)
{
	msgs m = { 0 };
	say(w, &m, "%s", message);
	evidence fresh;
	if (evidence_get(w->d, e->id, w->a, &fresh) == DB_OK) e = &fresh;
	w->r->status = 422;
	render_detail(w, v, e, &m, NULL);
}

static void done(web *w, const evidence *e, const char *notice)
{
	web_redirect_notice(w, arena_printf(w->a, "/minh-chung/%lld", (long long)e->id), notice);
}

static void update_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	ev_form f;
	form_read(w, &f);
	const char *date = blank_null(f.doc_date) ? iso_date(w, f.doc_date) : NULL;
	if (!f.title || !*f.title) { detail_error(w, v, e, "Hãy nhập tên minh chứng."); return; }
	if (blank_null(f.doc_date) && !date) {
		detail_error(w, v, e, arena_printf(w->a, "Ngày ban hành «%s» không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 21/02/2025.", f.doc_date));
		return;
	}
	evidence upd = { .title = f.title, .doc_number = blank_null(f.doc_number), .doc_date = date, .issuer = blank_null(f.issuer),
	                 .note = blank_null(f.note) };
	if (evidence_update(w->d, w->account_id, e->id, &upd) != DB_OK) {
		detail_error(w, v, e, db_errmsg(w->d));
		return;
	}
	done(w, e, "da-luu");
}

static void delete_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, true)) return;
	if (evidence_delete(w->d, w->account_id, e->id) != DB_OK) {
		detail_error(w, v, e, db_errmsg(w->d));
		return;
	}
	int64_t as = v->as.id;
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/minh-chung", (long long)as), "mc-da-xoa");
}

static void link_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	const char *tc = web_in_text(w, "tc");
	const fw_node *n = criterion(v, tc);
	authz_decision why;
	if (!n) detail_error(w, v, e, "Hãy chọn một tiêu chí của bộ chỉ số.");
	else if (!may_upload(w, v, n->code, &why)) detail_error(w, v, e, arena_printf(w->a, "Tiêu chí %s: %s", n->code, why.message));
	else if (evidence_link_criterion(w->d, w->account_id, e->id, n->code) != DB_OK) detail_error(w, v, e, db_errmsg(w->d));
	else { done(w, e, "mc-da-gan"); return; }
}

static void unlink_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	const char *tc = web_in_text(w, "tc");
	authz_decision why;
	if (!tc || !has_item(e, tc)) detail_error(w, v, e, "Minh chứng không gắn với tiêu chí đó.");
	else if (!may_upload(w, v, tc, &why)) detail_error(w, v, e, arena_printf(w->a, "Tiêu chí %s: %s", tc, why.message));
	else if (evidence_unlink_criterion(w->d, w->account_id, e->id, tc) != DB_OK) detail_error(w, v, e, db_errmsg(w->d));
	else { done(w, e, "mc-da-bo-gan"); return; }
}

static void files_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	blob_store *bs = open_blobs(w);
	if (!bs) { return; }
	ev_files ok = { 0 };
	msgs errs = { 0 };
	take_uploads(w, bs, &ok, &errs);
	blob_store_close(bs);
	if (!ok.n && !errs.n) say(w, &errs, "Chưa chọn tệp nào để tải lên.");
	attach_files(w, e->id, &ok, &errs);
	if (errs.n) {
		w->r->status = 422;
		render_detail(w, v, e, &errs, ok.n ? "Các tệp khác đã được lưu; những tệp sau không được nhận:"
		                                      : "Không tải lên được:");
		return;
	}
	done(w, e, "da-tai-len");
}

static void links_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	msgs errs = { 0 };
	ev_link *links = NULL;
	size_t n = parse_links(w, web_in_text(w, "duong_dan"), &links, &errs);
	if (!n && !errs.n) say(w, &errs, "Hãy nhập đường dẫn, bắt đầu bằng http:// hoặc https://.");
	attach_links(w, e->id, links, n, &errs);
	if (errs.n) {
		w->r->status = 422;
		render_detail(w, v, e, &errs, NULL);
		return;
	}
	done(w, e, "mc-da-them-link");
}

static const evidence_file *find_file(web *w, const evidence *e, int64_t file_id)
{
	evidence_file *files = NULL;
	size_t n = 0;
	if (evidence_files(w->d, e->id, w->a, &files, &n) != DB_OK) return NULL;
	for (size_t i = 0; i < n; i++)
		if (files[i].id == file_id) return &files[i];
	return NULL;
}

static void file_remove_post(web *w)
{
	evidence *e = w->evidence;
	assess_view *v = w->view;
	if (!may_change(w, v, e, false)) return;
	const evidence_file *f = find_file(w, e, w->ids[1]);
	if (!f) { web_error(w, 404, "Không tìm thấy tệp này trong minh chứng."); return; }
	/* the blob stays: other items (and earlier rounds) may share its bytes */
	if (evidence_remove_file(w->d, w->account_id, f->id) != DB_OK) {
		detail_error(w, v, e, db_errmsg(w->d));
		return;
	}
	done(w, e, "mc-da-go-tep");
}

/* ---- download and preview ------------------------------------------------------------ */

/* RFC 5987 value: UTF-8, every byte outside attr-char percent-encoded. */
static const char *rfc5987(web *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	buf b;
	buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			buf_putc(&b, (char)*p);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	const char *out = arena_strdup(w->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The plain filename= for old clients: the name without tone marks, only
 * printable ASCII other than quotes and backslashes. */
static const char *ascii_name(web *w, const char *s)
{
	char *f = vn_fold(s);
	char *out = arena_strdup(w->a, f ? f : "tep");
	free(f);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\' || *p == ';') *p = '_';
	return out;
}

static void file_get(web *w)
{
	evidence *e = w->evidence;
	const evidence_file *f = find_file(w, e, w->ids[1]);
	if (!f || !blob_sha_valid(f->sha256)) {
		web_error(w, 404, "Không tìm thấy tệp này trong minh chứng.");
		return;
	}
	/* blob.h's layout, DIR/ab/<sha256>: http.c sends the file itself
	 * (sendfile), so a 50 MB scan never passes through memory */
	/* PostgreSQL: fetched into this server's directory when missing */
	const char *path = blob_local_file(w->app->blob_dir, w->app->db_target, f->sha256, w->a);
	if (!path) {
		web_error(w, 404, "Tệp không còn trong kho lưu trữ. Vui lòng báo quản trị viên.");
		return;
	}
	const char *xem = web_in_text(w, "xem");
	bool show = xem && strcmp(xem, "1") == 0 && (is_image(f->mime) || is_pdf(f->mime));
	w->r->content_type = f->mime;     /* what the store sniffed, never what the browser claimed */
	w->r->send_path = path;
	http_set_header(w->r, "Content-Disposition", arena_printf(w->a, "%s; filename=\"%s\"; filename*=UTF-8''%s",
	                                                          show ? "inline" : "attachment", ascii_name(w, f->original_name),
	                                                          rfc5987(w, f->original_name)));
	if (show) {
		/* Shown in an <iframe>/<img> of the item's page: framing by our own
		 * pages only, and nothing in it may load or run anything else. The
		 * PDF viewer is a plugin, hence object-src 'self'. */
		http_set_header(w->r, "Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
		                                                 "object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
		http_set_header(w->r, "X-Frame-Options", "SAMEORIGIN");
	}
}

/* ---- reuse from the previous round --------------------------------------------------- */

static void add_id(web *w, int64_t **v, size_t *n, size_t *cap, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == id) return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		int64_t *nv = arena_alloc(w->a, *cap * sizeof *nv);
		if (*n) memcpy(nv, *v, *n * sizeof *nv);
		*v = nv;
	}
	(*v)[(*n)++] = id;
}

/* The unit's assessment of the latest earlier school year, looked for in
 * the rounds of every office the unit has been managed or evaluated by,
 * past relations included: the 2025 reform moved schools from district
 * offices to others, and their last round stayed with the old office. */
static bool previous_assessment(web *w, assess_view *v, assessment *out, round_row *rout)
{
	int64_t *offices = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < v->nevaluators; i++) add_id(w, &offices, &n, &cap, v->evaluators[i]);
	for (size_t i = 0; i < v->nparents; i++) add_id(w, &offices, &n, &cap, v->parents[i]);
	unit_relation *rel = NULL;
	size_t nrel = 0;
	if (unit_relations(w->d, v->u.id, w->a, &rel, &nrel) == DB_OK)
		for (size_t i = 0; i < nrel; i++) add_id(w, &offices, &n, &cap, rel[i].other_unit_id);
	bool found = false;
	for (size_t o = 0; o < n; o++) {
		round_row *rounds = NULL;
		size_t nr = 0;
		if (round_list_for_office(w->d, offices[o], w->a, &rounds, &nr) != DB_OK) continue;
		for (size_t i = 0; i < nr; i++) {
			round_row *r = &rounds[i];
			if (r->id == v->round.id || !r->school_year || strcmp(r->school_year, v->round.school_year) >= 0) continue;
			if (found) {
				int c = strcmp(r->school_year, rout->school_year);
				if (c < 0 || (c == 0 && r->id < rout->id)) continue;
			}
			assessment a;
			if (assessment_find(w->d, r->id, v->u.id, w->a, &a) != DB_OK) continue;
			*out = a;
			*rout = *r;
			found = true;
		}
	}
	return found;
}

/* Loads the earlier assessment if the account may see its evidence,
 * without an error page when it may not (then there is nothing to offer). */
static bool load_quietly(web *w, int64_t id, assess_view *pv)
{
	buf scratch;
	buf_init(&scratch);
	buf *out = w->out;
	int status = w->r->status;
	w->out = &scratch;
	bool ok = load_assessment(w, id, pv);
	w->out = out;
	w->r->status = status;
	buf_free(&scratch);
	return ok;
}

/* May the account bring this earlier item into the current assessment?
 * It lands on all its criteria, so each must be the account's to work on. */
static bool may_reuse(web *w, assess_view *v, const evidence *e)
{
	for (size_t i = 0; i < e->nitems; i++)
		if (!may_upload(w, v, e->items[i], NULL)) return false;
	return e->nitems > 0;
}

static bool reused(const evidence *cur, size_t ncur, int64_t from)
{
	for (size_t i = 0; i < ncur; i++)
		if (cur[i].copied_from == from) return true;
	return false;
}

static void reuse_page(web *w, assess_view *v, const msgs *errs)
{
	page_begin(w, arena_printf(w->a, "Dùng lại minh chứng — %s", v->u.name));
	crumbs(w, v, "Dùng lại minh chứng đợt trước");
	html_f(w->out, "<section class=\"card\"><h1>Dùng lại minh chứng từ đợt trước</h1>");
	render_msgs(w, errs, "Chưa dùng lại được:");
	assessment pa;
	round_row pr;
	assess_view pv;
	if (!previous_assessment(w, v, &pa, &pr) || !load_quietly(w, pa.id, &pv)) {
		html_f(w->out, "<p>Đơn vị chưa có hồ sơ đánh giá ở năm học trước trong Chiso (hoặc tài khoản của bạn không được xem hồ sơ đó).</p>"
		               "<p><a href=\"/danh-gia/%D/minh-chung\">Về danh mục minh chứng</a></p></section>", v->as.id);
		page_end(w);
		return;
	}
	evidence *prev = NULL, *cur = NULL;
	size_t np = 0, nc = 0;
	evidence_list(w->d, pa.id, NULL, w->a, &prev, &np);
	evidence_list(w->d, v->as.id, NULL, w->a, &cur, &nc);
	sort_by_code(prev, np);
	bool year_in_title = pr.title && pr.school_year && strstr(pr.title, pr.school_year);
	html_f(w->out, "<p>Hồ sơ của đơn vị trong «%h»%h%h%h có %z minh chứng. Chọn những minh chứng còn giá trị để sao chép sang "
	               "hồ sơ này: thông tin, tiêu chí, tệp và đường dẫn được sao chép, không phải tải tệp lên lại.</p>",
	       pr.title, year_in_title ? "" : " (năm học ", year_in_title ? "" : pr.school_year, year_in_title ? "" : ")", np);
	if (np) {
		html_f(w->out, "<form method=\"post\" action=\"/danh-gia/%D/minh-chung/dung-lai\">", v->as.id);
		web_csrf_field(w);
		html_f(w->out, "<table class=\"ev-table ev-reuse\"><thead><tr><th>Chọn</th><th>Mã</th><th>Tên minh chứng</th>"
		               "<th>Tiêu chí</th><th>Tệp</th></tr></thead><tbody>");
		size_t offered = 0;
		for (size_t i = 0; i < np; i++) {
			const evidence *e = &prev[i];
			bool done_before = reused(cur, nc, e->id), may = may_reuse(w, v, e);
			evidence_file *files = NULL;
			size_t nf = 0;
			evidence_files(w->d, e->id, w->a, &files, &nf);
			html_f(w->out, "<tr><td data-label=\"Chọn\">");
			if (done_before) html_f(w->out, "<span class=\"explain\">Đã dùng lại</span>");
			else if (!may) html_f(w->out, "<span class=\"explain\">Không thuộc tiêu chí được phân công</span>");
			else {
				offered++;
				html_f(w->out, "<input type=\"checkbox\" name=\"mc\" value=\"%D\" id=\"mc-%D\" aria-label=\"Chọn %a\">", e->id, e->id, e->code);
			}
			html_f(w->out, "</td><td data-label=\"Mã\" class=\"ev-code\"><label for=\"mc-%D\" class=\"plain\">%h</label></td>"
			               "<td data-label=\"Tên\">%h", e->id, e->code, e->title);
			if (e->doc_number || e->doc_date)
				html_f(w->out, "<div class=\"explain\">%h%h%h</div>", e->doc_number, e->doc_number && e->doc_date ? ", " : "",
				       e->doc_date ? web_date_short(w, e->doc_date) : "");
			html_f(w->out, "</td><td data-label=\"Tiêu chí\">");
			for (size_t k = 0; k < e->nitems; k++) {
				html_f(w->out, "%h%h", k ? ", " : "", e->items[k]);
				if (!criterion(v, e->items[k])) html_f(w->out, " <span class=\"badge\">không có trong bộ chỉ số năm nay</span>");
			}
			html_f(w->out, "</td><td data-label=\"Tệp\">%z</td></tr>", nf);
		}
		html_f(w->out, "</tbody></table>");
		if (offered)
			html_f(w->out, "<p class=\"ev-submit\"><button type=\"submit\">Dùng lại các minh chứng đã chọn</button> "
			               "<button type=\"submit\" name=\"tat_ca\" value=\"1\" class=\"secondary\">Dùng lại tất cả (%z)</button></p>", offered);
		html_f(w->out, "</form>");
	}
	html_f(w->out, "<p><a href=\"/danh-gia/%D/minh-chung\">Về danh mục minh chứng</a></p></section>", v->as.id);
	page_end(w);
	assess_view_free(&pv);
}

static void reuse_get(web *w)
{
	assess_view *v = w->view;
	authz_decision why;
	if (!may_upload_any(w, v, &why)) {
		web_error(w, deny_status(&why), why.message);
		return;
	}
	reuse_page(w, v, NULL);
}

static void reuse_post(web *w)
{
	assess_view *v = w->view;
	authz_decision why;
	if (!may_upload_any(w, v, &why)) {
		web_error(w, deny_status(&why), why.message);
		return;
	}
	msgs errs = { 0 };
	assessment pa;
	round_row pr;
	assess_view pv;
	if (!previous_assessment(w, v, &pa, &pr) || !load_quietly(w, pa.id, &pv)) {
		web_error(w, 404, "Đơn vị chưa có hồ sơ đánh giá ở năm học trước để dùng lại minh chứng.");
		return;
	}
	assess_view_free(&pv);
	bool all = web_in_bool(w, "tat_ca");
	size_t nsel = 0;
	const int64_t *sel = NULL;
	web_in_list(w, "mc", &nsel, &sel);
	evidence *prev = NULL, *cur = NULL;
	size_t np = 0, nc = 0;
	evidence_list(w->d, pa.id, NULL, w->a, &prev, &np);
	evidence_list(w->d, v->as.id, NULL, w->a, &cur, &nc);
	size_t copied = 0, asked = 0;
	/* Only items of that earlier assessment are ever copied: an id from
	 * anywhere else in the form is simply not among them. */
	for (size_t i = 0; i < np; i++) {
		const evidence *e = &prev[i];
		bool chosen = all;
		for (size_t k = 0; !chosen && k < nsel; k++) chosen = sel[k] == e->id;
		if (!chosen || reused(cur, nc, e->id)) continue;
		if (!may_reuse(w, v, e)) {
			if (!all) say(w, &errs, "%s: có tiêu chí không được phân công cho bạn.", e->code);
			continue;
		}
		asked++;
		if (evidence_copy(w->d, w->account_id, e->id, v->as.id, NULL) == DB_OK) copied++;
		else say(w, &errs, "%s: %s.", e->code, db_errmsg(w->d));
	}
	if (!asked && !errs.n) say(w, &errs, "Hãy chọn ít nhất một minh chứng chưa được dùng lại.");
	if (errs.n) {
		w->r->status = 422;
		reuse_page(w, v, &errs);
		return;
	}
	int64_t as = v->as.id;
	web_redirect_notice(w, arena_printf(w->a, "/danh-gia/%lld/minh-chung", (long long)as), "mc-da-dung-lai");
	(void)copied;
}

/* ---- inside the assessment form --------------------------------------------------------- */

/* Loaded once per view on the first row that asks (assess_view.evidence). */
struct evidence_index {
	bool visible;       /* the account may see this assessment's evidence */
	bool upload_all;    /* … and add evidence for every criterion */
	bool per_item;      /* … or only for assigned ones: ask per criterion */
	evidence *list;
	size_t n;
};

static struct evidence_index *index_for(web *w, assess_view *v)
{
	if (v->evidence) return v->evidence;
	struct evidence_index *x = arena_alloc(w->a, sizeof *x);
	v->evidence = x;
	x->visible = ev_allowed(w, v, AUTHZ_VIEW, NULL, NULL);
	if (!x->visible) return x;
	if (evidence_list(w->d, v->as.id, NULL, w->a, &x->list, &x->n) != DB_OK) x->n = 0;
	else sort_by_code(x->list, x->n);
	authz_decision why;
	x->upload_all = ev_allowed(w, v, AUTHZ_UPLOAD_EVIDENCE, NULL, &why);
	x->per_item = !x->upload_all && why.reason == AUTHZ_DENIED_NOT_ASSIGNED;
	return x;
}

void evidence_links_for_item(web *w, assess_view *v, const fw_node *n)
{
	struct evidence_index *x = index_for(w, v);
	if (!x->visible || n->kind == NODE_GROUP) return;
	bool add = x->upload_all || (x->per_item && may_upload(w, v, n->code, NULL));
	size_t shown = 0;
	for (size_t i = 0; i < x->n; i++) {
		if (!has_item(&x->list[i], n->code)) continue;
		if (!shown++) html_f(w->out, "<div class=\"ev-links\">Minh chứng đã có: ");
		else html_f(w->out, ", ");
		html_f(w->out, "<a href=\"/minh-chung/%D\" title=\"%a\">%h</a>", x->list[i].id, x->list[i].title, x->list[i].code);
	}
	if (!shown && !add) return;
	if (!shown) html_f(w->out, "<div class=\"ev-links\">");
	if (add) html_f(w->out, "%h<a class=\"ev-add no-print\" href=\"/danh-gia/%D/minh-chung/moi?tc=%u\">+ Thêm minh chứng</a>",
	                shown ? " · " : "", v->as.id, n->code);
	html_f(w->out, "</div>");
}

/* Does evidence e serve `code` itself, or (with_parents) a criterion
 * containing it ("1.3" for item 1.3.2)? */
static bool serves(const evidence *e, const char *code, bool with_parents)
{
	for (size_t i = 0; i < e->nitems; i++) {
		size_t n = strlen(e->items[i]);
		if (strcmp(e->items[i], code) == 0 || (with_parents && strncmp(e->items[i], code, n) == 0 && code[n] == '.'))
			return true;
	}
	return false;
}

void evidence_review_list(web *w, const evidence *ev, size_t nev, const char *code, bool with_parents)
{
	size_t shown = 0;
	for (size_t i = 0; i < nev; i++) {
		const evidence *e = &ev[i];
		if (!serves(e, code, with_parents)) continue;
		if (!shown++) html_f(w->out, "<ul class=\"evidence\">");
		html_f(w->out, "<li><a href=\"/minh-chung/%D\"><strong>%h</strong></a> %h", e->id, e->code, e->title);
		if (e->doc_number || e->doc_date)
			html_f(w->out, " <span class=\"explain\">(%h%h%h)</span>", e->doc_number, e->doc_number && e->doc_date ? ", " : "",
			       web_date_short(w, e->doc_date));
		evidence_file *f = NULL;
		size_t nf = 0;
		evidence_files(w->d, e->id, w->a, &f, &nf);
		/* closed until asked: a page of forty PDFs loads none of them */
		for (size_t k = 0; k < nf; k++) {
			html_f(w->out, "<details class=\"ev-review\"><summary>Xem tệp %h", f[k].original_name);
			web_sign_badge(w, f[k].sha256, f[k].mime);   /* the reviewer sees it without opening */
			html_f(w->out, "</summary>");
			file_preview(w, e, &f[k], false);
			html_f(w->out, "</details>");
		}
		evidence_link *l = NULL;
		size_t nl = 0;
		evidence_links(w->d, e->id, w->a, &l, &nl);
		for (size_t k = 0; k < nl; k++)
			html_f(w->out, "<div class=\"explain\"><a href=\"%a\" rel=\"noopener noreferrer\" target=\"_blank\">%h</a></div>", l[k].url,
			       l[k].label ? l[k].label : l[k].url);
		html_f(w->out, "</li>");
	}
	if (shown) html_f(w->out, "</ul>");
	else html_f(w->out, "<span class=\"explain\">Chưa có minh chứng.</span>");
}

void evidence_codes_for_item(web *w, assess_view *v, const fw_node *n)
{
	struct evidence_index *x = index_for(w, v);
	if (!x->visible) return;
	size_t shown = 0;
	for (size_t i = 0; i < x->n; i++)
		if (has_item(&x->list[i], n->code)) html_f(w->out, "%h%h", shown++ ? ", " : "", x->list[i].code);
}

/* The fields, with the store's limits (q_evidence.c). The item's form is
 * multipart: its files are streamed (http.c), its text fields declared. */
#define TC_INPUT { .name = "tc", .type = WEB_IN_TEXT, .max = 64, .label = "tiêu chí" }
#define META_INPUTS \
	{ .name = "tieu_de", .type = WEB_IN_TEXT, .max = 1000, .label = "tên minh chứng" }, \
	{ .name = "so_hieu", .type = WEB_IN_TEXT, .max = 100, .label = "số hiệu văn bản" }, \
	{ .name = "ngay", .type = WEB_IN_TEXT, .max = 20, .label = "ngày ban hành" }, \
	{ .name = "noi_ban_hanh", .type = WEB_IN_TEXT, .max = 300, .label = "nơi ban hành" }, \
	{ .name = "ghi_chu", .type = WEB_IN_TEXT, .max = 4000, .label = "ghi chú" }
#define LINKS_INPUT { .name = "duong_dan", .type = WEB_IN_TEXT, .label = "đường dẫn" }
static const web_input tc_inputs[] = { TC_INPUT, { .name = NULL } };
static const web_input link_inputs[] = {
	{ .name = "tc", .type = WEB_IN_TEXT, .required = true, .max = 64, .label = "tiêu chí" },
	{ .name = NULL },
};
static const web_input new_inputs[] = {
	META_INPUTS,
	LINKS_INPUT,
	{ .name = "tc", .type = WEB_IN_TEXT, .max = 64, .many = true, .label = "tiêu chí" },
	{ .name = KEEP_FIELD, .type = WEB_IN_TEXT, .many = true, .label = "tệp giữ lại" },
	{ .name = NULL },
};
static const web_input update_inputs[] = { META_INPUTS, { .name = NULL } };
static const web_input links_inputs[] = { LINKS_INPUT, { .name = NULL } };
static const char *const zero_one[] = { "0", "1", NULL };
static const web_input file_inputs_decl[] = {
	{ .name = "xem", .type = WEB_IN_ENUM, .values = zero_one, .label = "xem trực tiếp" },
	{ .name = NULL },
};
static const web_input reuse_inputs[] = {
	{ .name = "tat_ca", .type = WEB_IN_BOOL, .label = "dùng lại tất cả" },
	{ .name = "mc", .type = WEB_IN_ID, .many = true, .label = "minh chứng" },
	{ .name = NULL },
};

/* Adding and changing evidence need AUTHZ_UPLOAD_EVIDENCE on the items
 * concerned (WEB_PER_ITEM): the handlers check those items (may_upload_any,
 * may_change). */
const web_route page_evidence_routes[] = {
	{ "GET", "/danh-gia/{id}/minh-chung", catalogue, WEB_SIGNED_IN, .load = WEB_LOAD_ASSESSMENT_EVIDENCE, .action = AUTHZ_VIEW, .inputs = tc_inputs },
	{ "GET", "/danh-gia/{id}/minh-chung/moi", new_get, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_ASSESSMENT_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = tc_inputs },
	{ "POST", "/danh-gia/{id}/minh-chung/moi", new_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_ASSESSMENT_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = new_inputs },
	{ "GET", "/danh-gia/{id}/minh-chung/dung-lai", reuse_get, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_ASSESSMENT_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE },
	{ "POST", "/danh-gia/{id}/minh-chung/dung-lai", reuse_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_ASSESSMENT_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = reuse_inputs },
	{ "GET", "/minh-chung/{id}", detail_get, WEB_SIGNED_IN, .load = WEB_LOAD_EVIDENCE, .action = AUTHZ_VIEW },
	{ "POST", "/minh-chung/{id}/sua", update_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = update_inputs },
	{ "POST", "/minh-chung/{id}/xoa", delete_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE },
	{ "POST", "/minh-chung/{id}/gan", link_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = link_inputs },
	{ "POST", "/minh-chung/{id}/bo-gan", unlink_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = tc_inputs },
	{ "POST", "/minh-chung/{id}/tep", files_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE },
	{ "POST", "/minh-chung/{id}/duong-dan", links_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE, .inputs = links_inputs },
	{ "GET", "/minh-chung/{id}/tep/{id}", file_get, WEB_SIGNED_IN, .load = WEB_LOAD_EVIDENCE, .action = AUTHZ_VIEW, .inputs = file_inputs_decl },
	{ "POST", "/minh-chung/{id}/tep/{id}/xoa", file_remove_post, WEB_SIGNED_IN | WEB_PER_ITEM, .load = WEB_LOAD_EVIDENCE,
	  .action = AUTHZ_UPLOAD_EVIDENCE },
	{ NULL, NULL, NULL, 0 },
};
