/* fuzz_import.c — libFuzzer target: fuzz_import_one (src/fuzz.c, which says what
 * it covers). Its corpus, fuzz/corpus/import/, is replayed by
 * test/unit/test_fuzz_corpus.c.
 *
 *   make fuzz                                   every target, FUZZ_SECONDS each
 *   build/fuzz/fuzz/fuzz_import fuzz/corpus/import      this one by hand */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size);
	return 0;
}
