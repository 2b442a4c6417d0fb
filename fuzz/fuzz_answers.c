/* fuzz_answers.c — libFuzzer target: fuzz_answers_one (src/fuzz.c, which says what
 * it covers). Its corpus, fuzz/corpus/answers/, is replayed by
 * test/unit/test_fuzz_corpus.c.
 *
 *   make fuzz                                   every target, FUZZ_SECONDS each
 *   build/fuzz/fuzz/fuzz_answers fuzz/corpus/answers      this one by hand */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_answers_one(data, size);
	return 0;
}
