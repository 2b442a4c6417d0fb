/* import.h — tables read from the files offices keep (CSV and XLSX), the
 * first step of every import.
 *
 * Whatever the source, the result is the same table: rows of cells, each
 * cell NFC UTF-8 text ("" when empty, never NULL), each row with its
 * 1-based row number in the source so that reports can say "Dòng 12".
 * Rows whose cells are all empty are left out (their numbers are simply
 * skipped) and trailing empty cells are trimmed, so a CSV and the XLSX it
 * was saved as give the same table.
 *
 * Text is repaired on the way in (DOMAIN.md §5): NFD becomes NFC, and
 * legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows, CP1258 — see
 * vnlegacy.h) are detected and converted: for a CSV the whole file at
 * once, for an XLSX cell by cell (an old workbook typed in .VnTime fonts
 * stores such text per cell). What was repaired is counted for the report.
 *
 * Parsing works on bytes in memory and does no I/O (the parsers are
 * fuzzed: fuzz/fuzz_import.c); import_read_file is the only function
 * that touches the file system. Every input is bounded by import_limits;
 * a file beyond them is refused with a Vietnamese message, never
 * half-read. */
#ifndef CHISO_IMPORT_H
#define CHISO_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "vnlegacy.h"

typedef struct import_limits {
	size_t max_file_bytes;        /* the file as stored (CSV or the zip) */
	size_t max_rows;              /* data rows, empty rows not counted */
	size_t max_cols;              /* highest column that holds a value */
	size_t max_cells;             /* all rows × their widths, gaps included */
	size_t max_cell_bytes;        /* one cell's text */
	uint64_t max_unzipped_bytes;  /* XLSX: all parts read, uncompressed */
	uint64_t max_zip_ratio;       /* XLSX: uncompressed / compressed, per part
	                                 (checked for parts above 1 MiB) */
} import_limits;

/* 20 MiB, 200,000 rows, 1,024 columns, 4,000,000 cells, 32 KiB per cell,
 * 256 MiB unzipped, ratio 200. */
extern const import_limits import_default_limits;

typedef struct import_row {
	size_t line;        /* row number in the source as a spreadsheet shows it:
	                       XLSX row; CSV record, empty lines counted (a cell
	                       with a line break does not shift later rows) */
	size_t ncells;
	char **cells;       /* ncells strings, NFC UTF-8, never NULL */
} import_row;

typedef enum import_format { IMPORT_CSV, IMPORT_XLSX } import_format;

/* A merged range of an XLSX sheet (<mergeCell ref="A2:A5"/>): rows as
 * import_row.line, columns 0-based, inclusive. The table keeps the text
 * in the top-left cell only, as the file does. */
typedef struct import_merge {
	size_t r1, c1, r2, c2;
} import_merge;

/* Text repairs, counted per cell (CSV: per non-empty cell of a converted
 * file). legacy[] is indexed by vn_encoding: TCVN3, VNI, CP1258, and UTF8
 * for UTF-8 that had been encoded twice. */
typedef struct import_text_stats {
	size_t legacy[VN_ENC_UNKNOWN];
	size_t nfc;          /* cells not in NFC (e.g. NFD from a Mac) */
	size_t text_cells;   /* non-empty cells */
} import_text_stats;

typedef struct import_table {
	arena *a;              /* owns every cell, the cells arrays and sheet */
	import_row *rows;      /* malloc'd */
	size_t nrows, cap;
	size_t ncells_total;   /* Σ ncells, for the cell limit */
	import_format format;
	/* CSV: the separator found (',' ';' or '\t'), the file's encoding (the
	 * whole file is converted at once), whether it had a byte-order mark
	 * and was UTF-16. XLSX: the sheet read. */
	char sep;
	vn_encoding file_enc;
	bool file_via_cp1252;
	bool bom, utf16;
	const char *sheet;
	import_merge *merges;  /* XLSX: the sheet's merged ranges, in a */
	size_t nmerges, capmerges;
	import_text_stats stats;
} import_table;

void import_table_free(import_table *t);

/* Parsers. On success return 0 and fill *out (which the caller frees with
 * import_table_free). On failure return -1, leave *out empty and set *err
 * to a malloc'd Vietnamese message. */

/* RFC 4180 CSV: fields quoted with "", quotes doubled inside, line breaks
 * inside quotes, records ended by LF, CRLF or CR; the separator (',', ';'
 * or tab) is the one that splits the first lines most consistently. UTF-8
 * with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), or a
 * legacy Vietnamese encoding. */
int import_csv_parse(const char *data, size_t len, const import_limits *lim,
                     import_table *out, char **err);
/* XLSX (Office Open XML, as written by Excel and LibreOffice): the first
 * visible worksheet, with shared strings (rich-text runs joined, phonetic
 * runs dropped), inline strings, numbers as their text (integers without
 * ".0" or exponent), booleans as TRUE/FALSE, cells placed by their
 * reference ("C12") so gaps stay gaps. Read from memory through libzip;
 * every part's declared and actual size and compression ratio are
 * bounded (zip bombs); XML with a DOCTYPE is refused (no entities at
 * all, so no entity expansion). */
int import_xlsx_parse(const void *data, size_t len, const import_limits *lim,
                      import_table *out, char **err);

/* Reads the file (refusing it before reading when it is larger than the
 * limit) and parses it as XLSX when it is a zip (or named .xlsx), else as
 * CSV. Old .xls and password-protected workbooks get their own message. */
int import_read_file(const char *path, const import_limits *lim, import_table *out,
                     char **err);

/* Appends the text repairs as Vietnamese sentences, one per line, e.g.
 * "Phát hiện mã TCVN3 (ABC) ở 12 ô; đã chuyển sang Unicode." Nothing
 * when the text needed no repair. */
void import_describe_text(const import_table *t, buf *out);

/* Appends n with a dot every three digits, as Vietnamese writes numbers
 * ("200.000"). */
void import_put_count(buf *out, size_t n);

/* ---- For the parsers (import_csv.c, import_xlsx.c) ------------------- */

void import_table_init(import_table *t, import_format format);

/* What import_text_clean repaired in one text. */
typedef struct import_fix {
	bool legacy;         /* converted from enc (UTF8 = was encoded twice) */
	vn_encoding enc;
	bool nfc;            /* was not in NFC */
} import_fix;

/* Repairs one cell's text: legacy encodings when detect_legacy (XLSX
 * cells), NFD → NFC always. s[0..len) must be valid UTF-8. The result is
 * in arena a; *fix (may be NULL) says what was done. */
char *import_text_clean(arena *a, const char *s, size_t len, bool detect_legacy,
                        import_fix *fix);
/* Counts one cell holding `text` repaired as `fix` into t->stats. */
void import_table_count(import_table *t, const char *text, import_fix fix);
/* Adds a row of n cells (already cleaned and in t->a, as is the array,
 * which the table takes over). Trailing empty cells are trimmed and an
 * empty row is dropped. Returns -1 with *err set when a limit is hit. */
int import_table_add(import_table *t, size_t line, char **cells, size_t n,
                     const import_limits *lim, char **err);
/* A malloc'd message built like printf. */
char *import_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
