/* fuzz_pdfsig.c — libFuzzer target: fuzz_pdfsig_one (src/fuzz_pdfsig.c, which says what
 * it covers). Its corpus, fuzz/corpus/pdfsig/, is replayed by
 * test/unit/test_fuzz_corpus.c.
 *
 *   make fuzz                                   every target, FUZZ_SECONDS each
 *   build/fuzz/fuzz/fuzz_pdfsig fuzz/corpus/pdfsig      this one by hand */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_pdfsig_one(data, size);
	return 0;
}
