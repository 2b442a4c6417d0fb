/* fuzz_pdfsig.c — the body of the PDF signature verifier's fuzz target
 * (fuzz/fuzz_pdfsig.c; corpus fuzz/corpus/pdfsig/, replayed by
 * test/unit/test_fuzz_corpus.c): any bytes through pdfsig_verify, as an
 * uploaded evidence file goes. Each signature found must come back with a
 * known status and a label; a crash or a leak is a bug. */
#include "fuzz.h"
#include "pdfsig.h"
#include <stdlib.h>
#include <string.h>

void fuzz_pdfsig_one(const uint8_t *data, size_t size)
{
	pdfsig_result res[PDFSIG_MAX];
	size_t n = pdfsig_verify(data, size, NULL, res, PDFSIG_MAX);
	if (n > PDFSIG_MAX) abort();
	for (size_t i = 0; i < n; i++) {
		if (res[i].status > PDFSIG_BAD_TIMESTAMP || !strcmp(pdfsig_status_label(res[i].status), "?")) abort();
		if (res[i].status == PDFSIG_VALID) abort();   /* nothing is trusted here */
		if (memchr(res[i].signer, '\0', sizeof res[i].signer) == NULL) abort();
		if (res[i].has_timestamp && res[i].ts_status == PDFSIG_VALID) abort();   /* no TSA is trusted either */
		char ts[512];
		pdfsig_timestamp_text(&res[i], ts, sizeof ts);
	}
	if (n) (void)pdfsig_overall(res, n);
	if (pdfsig_unsigned_length(data, size) > size) abort();
}
