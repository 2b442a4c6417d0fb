/* fuzz_upload.c — libFuzzer target: fuzz_upload_one (src/fuzz.c, which says what
 * it covers). Its corpus, fuzz/corpus/upload/, is replayed by
 * test/unit/test_fuzz_corpus.c.
 *
 *   make fuzz                                   every target, FUZZ_SECONDS each
 *   build/fuzz/fuzz/fuzz_upload fuzz/corpus/upload      this one by hand */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_upload_one(data, size);
	return 0;
}
