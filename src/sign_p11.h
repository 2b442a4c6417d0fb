/* sign_p11.h — an office's signing key on a PKCS#11 token (issue 17).
 *
 * A USB token (or an HSM; SoftHSM2 in the tests) is reached through
 * libp11's OpenSSL engine ("pkcs11", Debian's libengine-pkcs11-openssl;
 * Debian 12 has no OpenSSL 3 pkcs11-provider) loading the token's PKCS#11
 * module. The key never leaves the token: OpenSSL asks the token to sign
 * the CMS's signed attributes. The certificate is read from the token too
 * (the object the URI names), so the token alone says who signs.
 *
 * One token key is in use at a time in the process (the engine is shared
 * and configured per key): sign_key_from_pkcs11 waits while another is
 * held, until its sign_key_free. A thread must not hold two at once. */
#ifndef CHISO_SIGN_P11_H
#define CHISO_SIGN_P11_H
#include "sign.h"
#include <openssl/x509.h>

/* Opens the key and certificate the RFC 7512 URI names ("pkcs11:token=…;
 * object=…") on module's token, logging in with pin. NULL with a
 * Vietnamese message when the module, the token, the PIN or the objects
 * are wrong. */
sign_key *sign_key_from_pkcs11(const char *module, const char *uri, const char *pin, char msg[SIGN_MSG_MAX]);

/* For the key loaders (sign.c, sign_p11.c): a key made of pkey, cert and
 * chain (may be NULL), owned from now on; release(token) runs after they
 * are freed (NULL: nothing to release). */
sign_key *sign_key_adopt(EVP_PKEY *pkey, X509 *cert, STACK_OF(X509) *chain, void (*release)(void *), void *token);
#endif
