/* web_sign.h — digital signatures on the pages (issue 17): the status of a
 * signed PDF beside the evidence file, for its authors and its reviewers. */
#ifndef CHISO_WEB_SIGN_H
#define CHISO_WEB_SIGN_H
#include "sign.h"
#include "web.h"

/* For a PDF (mime "application/pdf"): whether it is signed and, if so, the
 * verifier's status in Vietnamese with the signer, organisation and time.
 * Nothing for other files or an unsigned PDF. The verdict is kept per file
 * and per generation of the trust store (q_sign.h), so a list of files is
 * read from the blob store once. */
void web_sign_badge(web *w, const char *sha256, const char *mime);

/* The office whose key signs this account's documents: the first office
 * it administers (AUTHZ_MANAGE_SIGNING) that has a key stored; 0 if none. */
int64_t web_sign_office(web *w);
/* Replaces pdf with the same file signed by the office's key (sign.h: an
 * incremental update, so the unsigned revision and its recorded SHA-256
 * stay the prefix). false with a Vietnamese message; pdf unchanged. */
bool web_sign_office_pdf(web *w, int64_t office, buf *pdf, char msg[SIGN_MSG_MAX]);
#endif
