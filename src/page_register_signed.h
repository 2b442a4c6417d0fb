/* page_register_signed.h — the signed original of a registered document
 * on the office's register page (issue 17, item 2; page_register_signed.c). */
#ifndef CHISO_PAGE_REGISTER_SIGNED_H
#define CHISO_PAGE_REGISTER_SIGNED_H
#include "q_register.h"
#include "web.h"

/* The register row's "Bản ký số" cell: the signed original's status,
 * signer and time with its download, or the upload form for the office's
 * staff ("Tải lên bản đã ký"). base: "/dot/3". */
void register_signed_cell(web *w, const char *base, const register_entry *e);
#endif
