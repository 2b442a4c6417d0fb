/* keeptoken.c — the kept-file token (keeptoken.h). */
#include "keeptoken.h"
#include <sodium.h>
#include <stdbool.h>
#include <string.h>

enum { SHA_HEX = 64, MAC_HEX = 2 * crypto_auth_BYTES, EXPIRES_MAX_DIGITS = 18 };

_Static_assert(crypto_kdf_KEYBYTES == SECRET_BYTES, "the server secret is a KDF master key");
_Static_assert(crypto_auth_KEYBYTES >= crypto_kdf_BYTES_MIN && crypto_auth_KEYBYTES <= crypto_kdf_BYTES_MAX,
               "a crypto_auth key can be derived");

/* A key of its own for this purpose: whatever else the server secret comes
 * to sign, a token for one use is never valid for another. */
static void derive_key(const unsigned char secret[SECRET_BYTES], unsigned char key[crypto_auth_KEYBYTES])
{
	crypto_kdf_derive_from_key(key, crypto_auth_KEYBYTES, 1, "chisogiu", secret);
}

/* What the MAC covers. NUL separates the fields (none can contain one), so
 * no two different bindings give the same bytes. */
static void signed_bytes(const keeptoken_scope *scope, const char *sha256, const char *name, int64_t expires, buf *out)
{
	buf_puts(out, "chiso-giu-1");
	buf_putc(out, '\0');
	buf_put_int(out, scope->account_id);
	buf_putc(out, '\0');
	buf_put_int(out, scope->assessment_id);
	buf_putc(out, '\0');
	buf_append(out, sha256, SHA_HEX);
	buf_putc(out, '\0');
	buf_put_int(out, expires);
	buf_putc(out, '\0');
	buf_puts(out, name);
}

void keeptoken_make(const unsigned char secret[SECRET_BYTES], const keeptoken_scope *scope, const char *sha256,
                    const char *name, int64_t expires, buf *out)
{
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char hex[MAC_HEX + 1];
	buf msg;
	buf_init(&msg);
	derive_key(secret, key);
	signed_bytes(scope, sha256, name, expires, &msg);
	crypto_auth(mac, (const unsigned char *)msg.data, msg.len, key);
	sodium_memzero(key, sizeof key);
	buf_free(&msg);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	buf_append(out, sha256, SHA_HEX);
	buf_putc(out, '.');
	buf_put_int(out, expires);
	buf_putc(out, '.');
	buf_puts(out, hex);
	buf_putc(out, '.');
	buf_puts(out, name);
}

static bool lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
	return true;
}

/* "<digits>." at s: the number and the length before the dot; 0 if not. */
static size_t parse_expires(const char *s, int64_t *out)
{
	size_t n = 0;
	int64_t v = 0;
	while (s[n] >= '0' && s[n] <= '9' && n < EXPIRES_MAX_DIGITS) v = v * 10 + (s[n++] - '0');
	if (n == 0 || s[n] != '.' || (n > 1 && s[0] == '0')) return 0;   /* one spelling per number */
	*out = v;
	return n;
}

keeptoken_rc keeptoken_check(const unsigned char secret[SECRET_BYTES], const keeptoken_scope *scope,
                             const char *token, int64_t now, keeptoken *out)
{
	memset(out, 0, sizeof *out);
	size_t len = strlen(token);
	if (len < SHA_HEX + 1 || token[SHA_HEX] != '.' || !lower_hex(token, SHA_HEX)) return KEEPTOKEN_MALFORMED;
	int64_t expires = 0;
	size_t ne = parse_expires(token + SHA_HEX + 1, &expires);
	if (!ne) return KEEPTOKEN_MALFORMED;
	const char *mac_hex = token + SHA_HEX + 1 + ne + 1;
	if (strlen(mac_hex) < MAC_HEX + 2 || mac_hex[MAC_HEX] != '.' || !lower_hex(mac_hex, MAC_HEX)) return KEEPTOKEN_MALFORMED;
	const char *name = mac_hex + MAC_HEX + 1;
	unsigned char mac[crypto_auth_BYTES];
	size_t got = 0;
	if (sodium_hex2bin(mac, sizeof mac, mac_hex, MAC_HEX, NULL, &got, NULL) != 0 || got != sizeof mac)
		return KEEPTOKEN_MALFORMED;

	unsigned char key[crypto_auth_KEYBYTES];
	buf msg;
	buf_init(&msg);
	derive_key(secret, key);
	signed_bytes(scope, token, name, expires, &msg);
	bool ours = crypto_auth_verify(mac, (const unsigned char *)msg.data, msg.len, key) == 0;   /* constant time */
	sodium_memzero(key, sizeof key);
	buf_free(&msg);
	if (!ours) return KEEPTOKEN_FORGED;
	memcpy(out->sha256, token, SHA_HEX);
	out->sha256[SHA_HEX] = '\0';
	out->name = name;
	out->expires = expires;
	return now < expires ? KEEPTOKEN_OK : KEEPTOKEN_EXPIRED;
}
