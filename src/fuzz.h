/* fuzz.h — the bodies of the libFuzzer targets (fuzz/fuzz_NAME.c calls
 * fuzz_NAME_one), kept in the library so that the test suite replays each
 * committed corpus (fuzz/corpus/NAME/) through exactly the same code
 * (test/unit/test_fuzz_corpus.c). Each takes any bytes; a crash, a leak,
 * or a refusal without the message its API promises (abort) is a bug.
 * The framework-dependent ones read frameworks/ relative to the current
 * directory (the repository root, as `make fuzz` and `make test` run). */
#ifndef CHISO_FUZZ_H
#define CHISO_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

void fuzz_http_one(const uint8_t *data, size_t size);       /* raw HTTP requests through http.c */
/* fuzz_http_one, appending what the server answered to response: for the
 * test that the harness really reaches the handler. */
void fuzz_http_exchange(const uint8_t *data, size_t size, buf *response);
void fuzz_api_one(const uint8_t *data, size_t size);        /* a JSON API body → validated answers */
void fuzz_framework_one(const uint8_t *data, size_t size);  /* a framework file, then scoring it */
void fuzz_answers_one(const uint8_t *data, size_t size);    /* an answer sheet (chiso score) */
void fuzz_import_one(const uint8_t *data, size_t size);     /* CSV and XLSX unit lists */
void fuzz_upload_one(const uint8_t *data, size_t size);     /* an uploaded file's type (blob_sniff) */
void fuzz_pdfsig_one(const uint8_t *data, size_t size);     /* a PDF's signatures (pdfsig_verify) */
#endif
