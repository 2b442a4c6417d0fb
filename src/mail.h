/* mail.h — sending plain-text e-mail through an SMTP server with libcurl
 * (reminders to units that are late). The server is configuration, read
 * from the environment so that one binary serves every deployment:
 *
 *   CHISO_SMTP_URL       smtp://host:587, smtps://host:465 (required to send)
 *   CHISO_SMTP_FROM      the sender address, e.g. cds@sgddt.binhdinh.gov.vn
 *   CHISO_SMTP_USER      \  optional credentials; with them, an smtp:// URL
 *   CHISO_SMTP_PASSWORD  /  must upgrade to TLS (STARTTLS) or sending fails
 *   CHISO_SMTP_INSECURE  "1": allow credentials without TLS (tests only)
 *
 * Messages are UTF-8: the subject as an RFC 2047 encoded word, the body in
 * base64, so Vietnamese survives any relay. Addresses and names are checked
 * so that no header can be injected. */
#ifndef CHISO_MAIL_H
#define CHISO_MAIL_H
#include <stdbool.h>
#include <stddef.h>

typedef struct mail_msg {
	const char *to;          /* one address */
	const char *to_name;     /* display name, may be NULL */
	const char *subject;
	const char *body;        /* plain text, UTF-8, \n line ends */
} mail_msg;

typedef struct mail_result {
	bool ok;
	char error[256];         /* Vietnamese, when !ok */
} mail_result;

/* Where and how to send: from the environment (mail_config_env) or from
 * the administration page (smtp_config.h, stored in the database). */
typedef struct mail_config {
	const char *url, *from, *user, *password;
	bool insecure;
} mail_config;

/* The configuration the environment gives (fields NULL when unset). */
void mail_config_env(mail_config *c);
/* Is it enough to send (a URL and a valid sender)? */
bool mail_config_usable(const mail_config *c);
/* mail_send with an explicit configuration. */
size_t mail_send_cfg(const mail_config *c, const mail_msg *msgs, size_t n, mail_result *results);

/* Is an SMTP server configured (CHISO_SMTP_URL and CHISO_SMTP_FROM)? */
bool mail_configured(void);
/* A plausible single address: local@domain, no spaces, quotes, angle
 * brackets or control characters. */
bool mail_address_valid(const char *addr);
/* Sends msgs[0..n) over one connection; results[i] says how each went.
 * Returns how many were accepted by the server. Blocks (timeouts: 10 s to
 * connect, 30 s per message). */
size_t mail_send(const mail_msg *msgs, size_t n, mail_result *results);
#endif
