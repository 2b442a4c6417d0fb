/* sign_look.h — the look of a visible signature (issue 17, item 3).
 *
 * The appearance stream of the signature widget Chiso puts in the
 * signature block of its own PDFs (sign.c): a thin frame and centred
 * lines — the signer, the organisation, "Ký ngày dd/mm/yyyy" — laid out by
 * pango (HarfBuzz shaping, so Vietnamese diacritics are right) in the
 * documents' font and written as glyph outlines (PDF path operators), so
 * the appearance needs no font resource of its own and looks the same in
 * every viewer. */
#ifndef CHISO_SIGN_LOOK_H
#define CHISO_SIGN_LOOK_H
#include "buf.h"
#include <stddef.h>

/* Appends to out the content stream (uncompressed) drawing lines in a box
 * of w × h points, the origin at its lower left corner. The text shrinks
 * (down to 6 pt) until it fits. */
void sign_look_stream(const char *const *lines, size_t n, double w, double h, buf *out);
#endif
