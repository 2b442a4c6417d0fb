/* sign_p11.c — an office's key on a PKCS#11 token, through libp11's
 * OpenSSL engine (sign_p11.h). The ENGINE interface is deprecated in
 * OpenSSL 3 but is the one Debian 12 offers for PKCS#11 (no
 * pkcs11-provider before Debian 13); it is confined to this file. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sign_p11.h"
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The engine is one per process and configured (module, PIN) per key. */
static pthread_mutex_t token_lock = PTHREAD_MUTEX_INITIALIZER;

static void token_release(void *e)
{
	ENGINE_finish(e);   /* the functional reference of ENGINE_init */
	ENGINE_free(e);     /* the structural one of ENGINE_by_id */
	pthread_mutex_unlock(&token_lock);
}

/* The engine, loaded from OpenSSL's engines directory, initialised with
 * module and pin; NULL with a message. */
static ENGINE *engine_open(const char *module, const char *pin, char msg[SIGN_MSG_MAX])
{
	ENGINE *e = ENGINE_by_id("pkcs11");
	if (!e) {
		snprintf(msg, SIGN_MSG_MAX, "Máy chủ chưa cài engine PKCS#11 của OpenSSL (gói libengine-pkcs11-openssl)");
		return NULL;
	}
	if (!ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0) || !ENGINE_init(e)) {
		snprintf(msg, SIGN_MSG_MAX, "Không nạp được mô-đun PKCS#11 %s", module);
		ENGINE_free(e);
		return NULL;
	}
	if (!ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) {
		snprintf(msg, SIGN_MSG_MAX, "Không đặt được mã PIN cho token");
		ENGINE_finish(e);
		ENGINE_free(e);
		return NULL;
	}
	return e;
}

static X509 *token_cert(ENGINE *e, const char *uri)
{
	struct { const char *id; X509 *cert; } params = { uri, NULL };
	if (!ENGINE_ctrl_cmd(e, "LOAD_CERT_CTRL", 0, &params, NULL, 0)) return NULL;
	return params.cert;
}

sign_key *sign_key_from_pkcs11(const char *module, const char *uri, const char *pin, char msg[SIGN_MSG_MAX])
{
	if (!module || !module[0] || !uri || strncmp(uri, "pkcs11:", 7) != 0) {
		snprintf(msg, SIGN_MSG_MAX, "Cần mô-đun PKCS#11 và địa chỉ khóa dạng pkcs11:token=…;object=…");
		return NULL;
	}
	pthread_mutex_lock(&token_lock);
	ENGINE *e = engine_open(module, pin ? pin : "", msg);
	EVP_PKEY *pkey = e ? ENGINE_load_private_key(e, uri, NULL, NULL) : NULL;
	X509 *cert = pkey ? token_cert(e, uri) : NULL;
	ERR_clear_error();
	if (e && !pkey) snprintf(msg, SIGN_MSG_MAX, "Không mở được khóa trên token: sai mã PIN, sai token hoặc không có khóa %s", uri);
	else if (pkey && !cert) snprintf(msg, SIGN_MSG_MAX, "Token không có chứng thư đi kèm khóa %s", uri);
	else if (pkey && X509_check_private_key(cert, pkey) != 1) {
		snprintf(msg, SIGN_MSG_MAX, "Chứng thư trên token không khớp với khóa %s", uri);
		X509_free(cert);
		cert = NULL;
	}
	ERR_clear_error();
	if (cert) return sign_key_adopt(pkey, cert, NULL, token_release, e);
	EVP_PKEY_free(pkey);
	if (e) { ENGINE_finish(e); ENGINE_free(e); }
	pthread_mutex_unlock(&token_lock);
	return NULL;
}
