/* fuzz_import.c — libFuzzer target for the import readers (import.h):
 * every input goes through the CSV parser and the XLSX parser (libzip +
 * expat over memory). Neither may crash, leak or read out of bounds,
 * whatever the bytes; a refusal must come with a message.
 *
 *   make fuzz                     build with clang and run for FUZZ_SECONDS
 *   build/fuzz/fuzz_import fuzz/corpus/import   run by hand
 *
 * The committed corpus (fuzz/corpus/import/) is also replayed by the
 * normal test suite (test_import.c). The limits are smaller than the
 * defaults so that one input cannot take seconds. */
#include "import.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_limits lim = import_default_limits;
	lim.max_unzipped_bytes = (uint64_t)8 << 20;
	lim.max_rows = 20000;
	lim.max_cells = 200000;
	import_table t;
	char *err = NULL;
	if (import_csv_parse((const char *)data, size, &lim, &t, &err) == 0) import_table_free(&t);
	else if (!err) abort();
	free(err);
	err = NULL;
	if (import_xlsx_parse(data, size, &lim, &t, &err) == 0) import_table_free(&t);
	else if (!err) abort();
	free(err);
	return 0;
}
