/* smtp_config.h — the SMTP server set on the administration page
 * ("Quản trị — Gửi thư"), kept in server_settings; its password encrypted
 * with a key derived from the server secret (secret.h), so that the
 * database alone (a backup, a replica, a report) never reveals it. Without
 * a configuration there, the environment's (mail.h) is used. */
#ifndef CHISO_SMTP_CONFIG_H
#define CHISO_SMTP_CONFIG_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"
#include "mail.h"
#include "secret.h"

/* The configuration to send with: the page's when one is stored, else the
 * environment's. *from_page says which. secret may be NULL (the password
 * then cannot be read: NULL). Strings live in `a`. */
void smtp_config_load(db *d, const unsigned char *secret, arena *a, mail_config *out, bool *from_page);
/* Stores the page's configuration; password NULL or "" keeps the stored
 * one, clear_password removes it. An empty url removes the whole
 * configuration (back to the environment's). Validates the URL scheme
 * (smtp:// or smtps://) and the sender; DB_EINVAL with a message. */
int smtp_config_save(db *d, int64_t actor, const unsigned char secret[SECRET_BYTES], const mail_config *c,
                     bool clear_password);
/* The stored password's ciphertext as kept ("v1:…"), for tests. */
int smtp_config_sealed(db *d, arena *a, char **out);
#endif
