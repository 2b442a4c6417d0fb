/* mail.c — plain-text e-mail over SMTP with libcurl (mail.h). With
 * sign_tsa.c (a TSA's timestamp over HTTP), the only files that include
 * curl/curl.h. */
#include "mail.h"
#include "buf.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
/* curl_global_init is not thread-safe: once, whichever thread sends first. */
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

void mail_config_env(mail_config *c)
{
	const char *ins = env("CHISO_SMTP_INSECURE");
	*c = (mail_config){ env("CHISO_SMTP_URL"), env("CHISO_SMTP_FROM"), env("CHISO_SMTP_USER"), env("CHISO_SMTP_PASSWORD"),
	                    ins && strcmp(ins, "1") == 0 };
}

bool mail_config_usable(const mail_config *c)
{
	return c->url && *c->url && c->from && mail_address_valid(c->from);
}

bool mail_configured(void)
{
	mail_config c;
	mail_config_env(&c);
	return mail_config_usable(&c);
}

bool mail_address_valid(const char *a)
{
	if (!a) return false;
	size_t n = strlen(a);
	const char *at = strchr(a, '@');
	if (n < 3 || n > 254 || !at || at == a || !at[1] || strchr(at + 1, '@')) return false;
	for (const char *p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c)) return false;
	}
	return strchr(at + 1, '.') != NULL;
}

static void base64(buf *out, const void *data, size_t len)
{
	size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *tmp = malloc(cap);
	if (!tmp) abort();
	sodium_bin2base64(tmp, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(out, tmp);
	free(tmp);
}

/* Header text as RFC 2047 encoded words of at most 45 bytes of UTF-8 each
 * (60 characters of base64: under the 75 the RFC allows), never splitting
 * a character; control characters are dropped so that nothing can start a
 * new header. */
static void encoded_words(buf *out, const char *s)
{
	size_t len = strlen(s), i = 0;
	bool first = true;
	while (i < len) {
		size_t end = i + 45 < len ? i + 45 : len;
		while (end < len && end > i && ((unsigned char)s[end] & 0xC0) == 0x80) end--;
		char piece[64];
		size_t k = 0;
		for (size_t j = i; j < end; j++)
			if ((unsigned char)s[j] >= ' ' && s[j] != 0x7f) piece[k++] = s[j];
		if (!first) buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		base64(out, piece, k);
		buf_puts(out, "?=");
		first = false;
		i = end;
	}
}

static void message_text(buf *m, const char *from, const mail_msg *msg)
{
	char date[64];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof rnd);
	char id[25];
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	const char *at = strchr(from, '@');
	buf_printf(m, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, from);
	if (msg->to_name && *msg->to_name) {
		encoded_words(m, msg->to_name);
		buf_putc(m, ' ');
	}
	buf_printf(m, "<%s>\r\nSubject: ", msg->to);
	encoded_words(m, msg->subject);
	buf_printf(m, "\r\nMessage-ID: <%s.chiso%s>\r\nMIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", id, at);
	/* the body with CRLF line ends, in base64 lines of 76 */
	buf body;
	buf_init(&body);
	for (const char *p = msg->body; *p; p++) {
		if (*p == '\n') buf_putc(&body, '\r');
		buf_putc(&body, *p);
	}
	buf enc;
	buf_init(&enc);
	base64(&enc, body.data ? body.data : "", body.len);
	for (size_t i = 0; i < enc.len; i += 76) {
		buf_append(m, enc.data + i, enc.len - i < 76 ? enc.len - i : 76);
		buf_puts(m, "\r\n");
	}
	buf_free(&enc);
	buf_free(&body);
}

typedef struct reader {
	const buf *b;
	size_t off;
} reader;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	reader *r = userdata;
	size_t room = size * nmemb, left = r->b->len - r->off;
	size_t n = left < room ? left : room;
	memcpy(ptr, r->b->data + r->off, n);
	r->off += n;
	return n;
}

static void fail(mail_result *r, const char *what, const char *detail)
{
	r->ok = false;
	snprintf(r->error, sizeof r->error, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

size_t mail_send(const mail_msg *msgs, size_t n, mail_result *results)
{
	mail_config cfg;
	mail_config_env(&cfg);
	return mail_send_cfg(&cfg, msgs, n, results);
}

size_t mail_send_cfg(const mail_config *cfg, const mail_msg *msgs, size_t n, mail_result *results)
{
	memset(results, 0, n * sizeof *results);
	if (!mail_config_usable(cfg)) {
		for (size_t i = 0; i < n; i++) fail(&results[i], "Chưa cấu hình máy chủ thư (trang Quản trị — Gửi thư).", NULL);
		return 0;
	}
	if (sodium_init() < 0) abort();
	pthread_once(&curl_once, curl_init_once);
	const char *url = cfg->url, *from = cfg->from;
	const char *user = cfg->user && *cfg->user ? cfg->user : NULL, *pass = cfg->password;
	bool insecure = cfg->insecure;
	CURL *c = curl_easy_init();
	if (!c) {
		for (size_t i = 0; i < n; i++) fail(&results[i], "Không khởi tạo được thư viện gửi thư.", NULL);
		return 0;
	}
	char errbuf[CURL_ERROR_SIZE];
	char sender[300];
	snprintf(sender, sizeof sender, "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/* credentials never travel in clear text unless a test says so */
	curl_easy_setopt(c, CURLOPT_USE_SSL, user && !insecure ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		if (pass) curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	size_t sent = 0;
	for (size_t i = 0; i < n; i++) {
		const mail_msg *m = &msgs[i];
		if (!mail_address_valid(m->to)) {
			fail(&results[i], "Địa chỉ e-mail không hợp lệ", m->to);
			continue;
		}
		buf text;
		buf_init(&text);
		message_text(&text, from, m);
		char rcpt_s[300];
		snprintf(rcpt_s, sizeof rcpt_s, "<%s>", m->to);
		struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_s);
		reader rd = { .b = &text };
		errbuf[0] = '\0';
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(c, CURLOPT_READDATA, &rd);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.len);
		CURLcode rc = curl_easy_perform(c);
		if (rc == CURLE_OK) {
			results[i].ok = true;
			sent++;
		} else {
			fail(&results[i], "Máy chủ thư từ chối hoặc không kết nối được", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		}
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
		curl_slist_free_all(rcpt);
		buf_free(&text);
	}
	curl_easy_cleanup(c);
	return sent;
}
