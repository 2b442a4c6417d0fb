/* smtp_config.c — the SMTP configuration of the administration page, its
 * password sealed with the server secret (smtp_config.h). */
#include "smtp_config.h"
#include "q_autoremind.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SEAL_PREFIX "v1:"

static void seal_key(const unsigned char secret[SECRET_BYTES], unsigned char key[crypto_secretbox_KEYBYTES])
{
	static const char ctx[] = "chiso smtp password v1";
	crypto_generichash(key, crypto_secretbox_KEYBYTES, (const unsigned char *)ctx, sizeof ctx - 1, secret, SECRET_BYTES);
}

/* "v1:" + base64(nonce ‖ secretbox(password)); malloc'd. */
static char *seal(const unsigned char secret[SECRET_BYTES], const char *password)
{
	size_t n = strlen(password), blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char key[crypto_secretbox_KEYBYTES], *box = malloc(blen);
	if (!box) abort();
	seal_key(secret, key);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)password, n, box, key);
	size_t elen = sodium_base64_encoded_len(blen, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(sizeof SEAL_PREFIX + elen);
	if (!out) abort();
	memcpy(out, SEAL_PREFIX, sizeof SEAL_PREFIX - 1);
	sodium_bin2base64(out + sizeof SEAL_PREFIX - 1, elen, box, blen, sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof key);
	free(box);
	return out;
}

/* The password, or NULL when it cannot be opened (another secret). */
static char *unseal(const unsigned char secret[SECRET_BYTES], const char *sealed, arena *a)
{
	if (!sealed || strncmp(sealed, SEAL_PREFIX, sizeof SEAL_PREFIX - 1) != 0) return NULL;
	const char *b64 = sealed + sizeof SEAL_PREFIX - 1;
	size_t cap = strlen(b64), blen = 0;
	unsigned char *box = arena_alloc(a, cap + 1);
	if (sodium_base642bin(box, cap, b64, strlen(b64), NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return NULL;
	size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *plain = arena_alloc(a, n + 1);
	unsigned char key[crypto_secretbox_KEYBYTES];
	seal_key(secret, key);
	int rc = crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
	                                    blen - crypto_secretbox_NONCEBYTES, box, key);
	sodium_memzero(key, sizeof key);
	if (rc != 0) return NULL;
	plain[n] = '\0';
	return plain;
}

void smtp_config_load(db *d, const unsigned char *secret, arena *a, mail_config *out, bool *from_page)
{
	char *url = NULL;
	*from_page = false;
	if (server_setting_get(d, "smtp.url", a, &url) != DB_OK || !url) {
		db_clear_error(d);
		mail_config_env(out);
		return;
	}
	*from_page = true;
	char *from = NULL, *user = NULL, *sealed = NULL, *insecure = NULL;
	server_setting_get(d, "smtp.from", a, &from);
	server_setting_get(d, "smtp.user", a, &user);
	server_setting_get(d, "smtp.password", a, &sealed);
	server_setting_get(d, "smtp.insecure", a, &insecure);
	*out = (mail_config){ url, from, user, secret && sealed ? unseal(secret, sealed, a) : NULL,
	                      insecure && strcmp(insecure, "1") == 0 };
}

static int put(db *d, int64_t actor, const char *key, const char *value, bool secret)
{
	return server_setting_set(d, actor, key, value && *value ? value : NULL, secret);
}

int smtp_config_save(db *d, int64_t actor, const unsigned char secret[SECRET_BYTES], const mail_config *c,
                     bool clear_password)
{
	if (!c->url || !*c->url) {
		static const char *const keys[] = { "smtp.url", "smtp.from", "smtp.user", "smtp.password", "smtp.insecure" };
		int rc = DB_OK;
		for (size_t i = 0; rc == DB_OK && i < sizeof keys / sizeof keys[0]; i++) rc = put(d, actor, keys[i], NULL, i == 3);
		return rc;
	}
	if (strncmp(c->url, "smtp://", 7) != 0 && strncmp(c->url, "smtps://", 8) != 0)
		return db_fail(d, DB_EINVAL, "Địa chỉ máy chủ thư phải bắt đầu bằng smtp:// hoặc smtps://");
	for (const char *p = c->url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) return db_fail(d, DB_EINVAL, "Địa chỉ máy chủ thư không được có khoảng trắng");
	if (!c->from || !mail_address_valid(c->from)) return db_fail(d, DB_EINVAL, "Địa chỉ người gửi không hợp lệ");
	int rc = put(d, actor, "smtp.url", c->url, false);
	if (rc == DB_OK) rc = put(d, actor, "smtp.from", c->from, false);
	if (rc == DB_OK) rc = put(d, actor, "smtp.user", c->user, false);
	if (rc == DB_OK) rc = put(d, actor, "smtp.insecure", c->insecure ? "1" : NULL, false);
	if (rc == DB_OK && clear_password) {
		rc = put(d, actor, "smtp.password", NULL, true);
	} else if (rc == DB_OK && c->password && *c->password) {
		char *sealed = seal(secret, c->password);
		rc = put(d, actor, "smtp.password", sealed, true);
		free(sealed);
	}
	return rc;
}

int smtp_config_sealed(db *d, arena *a, char **out)
{
	return server_setting_get(d, "smtp.password", a, out);
}
