/* web_sign.h — digital signatures on the pages (issue 17): the status of a
 * signed PDF beside the evidence file, for its authors and its reviewers. */
#ifndef CHISO_WEB_SIGN_H
#define CHISO_WEB_SIGN_H
#include "web.h"

/* For a PDF (mime "application/pdf"): whether it is signed and, if so, the
 * verifier's status in Vietnamese with the signer, organisation and time.
 * Nothing for other files or an unsigned PDF. The verdict is kept per file
 * and per generation of the trust store (q_sign.h), so a list of files is
 * read from the blob store once. */
void web_sign_badge(web *w, const char *sha256, const char *mime);
/* The same verdict as a status code (pdfsig_status_code) or "unsigned";
 * NULL when the file cannot be read. */
const char *web_sign_status(web *w, const char *sha256);
#endif
