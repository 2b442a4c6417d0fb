/* fuzz_fw_import.c — libFuzzer target for the annex-table importer
 * (fw_import.h): every input is read as a DOCX and as an XLSX (libzip +
 * expat over memory) and, when a table comes out, built into a framework
 * and validated. Nothing may crash, leak or read out of bounds; a refusal
 * must come with a message.
 *
 *   make fuzz                                 build with clang and run
 *   build/fuzz/fuzz_fw_import fuzz/corpus/fw_import   run by hand
 *
 * The committed corpus is replayed by test_fw_import.c. */
#include "fw_import.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void build(fw_table *t)
{
	fw_import_meta m = { .file = "fuzz", .id = "fuzz", .revision = 1, .today = "2025-01-01" };
	buf notes, errs;
	buf_init(&notes);
	buf_init(&errs);
	char *json = NULL;
	framework *fw = fw_import_run(t, &m, &json, &notes, &errs);
	if (!fw && !errs.len) abort();
	framework_free(fw);
	free(json);
	buf_free(&notes);
	buf_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_limits lim = import_default_limits;
	lim.max_unzipped_bytes = (uint64_t)8 << 20;
	lim.max_rows = 20000;
	lim.max_cells = 200000;
	fw_table t;
	char *err = NULL;
	if (fw_import_docx(data, size, &lim, &t, &err) == 0) build(&t);
	else if (!err) abort();
	fw_table_free(&t);
	free(err);
	err = NULL;
	if (fw_import_xlsx(data, size, &lim, &t, &err) == 0) build(&t);
	else if (!err) abort();
	fw_table_free(&t);
	free(err);
	return 0;
}
