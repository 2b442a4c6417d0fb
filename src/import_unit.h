/* import_unit.h — importing the list of units an office keeps (code, name,
 * type, managing unit, evaluating unit, address, public/private) from an
 * import table (import.h) into the store (q_unit.h).
 *
 * The header row is found among the first rows and its columns are
 * recognised the way offices write them, in any case, with or without
 * tone marks ("Mã đơn vị", "MA TRUONG", "Tên trường", "Loại hình",
 * "Đơn vị chủ quản"…). Every row is checked first and every problem is
 * reported with its row number; when any row is bad nothing is written.
 * Otherwise one write transaction saves the units (unit_save: an upsert by
 * code, so a re-import updates and never duplicates) and then their
 * relations (unit_relate from a given date), so a managing unit may appear
 * anywhere in the file, before or after the units it manages. */
#ifndef CHISO_IMPORT_UNIT_H
#define CHISO_IMPORT_UNIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "db.h"
#include "import.h"

/* The columns of a unit list. */
typedef enum import_unit_col {
	IU_CODE, IU_NAME, IU_TYPE, IU_LEVELS, IU_PARENT, IU_EVALUATOR, IU_ADDRESS, IU_PUBLIC,
	IU_NCOLS
} import_unit_col;


/* Which column a header cell names, or -1 ("STT", "Ghi chú": not ours).
 * Case, tone marks, đ/d, spacing and punctuation do not matter. */
int import_unit_header(const char *cell);

/* The stored type code (q_unit.h) for a type cell as offices write it:
 * "Mầm non", "Trường Tiểu học", "THCS", "THPT", "GDTX", "Phòng GD&ĐT",
 * "Sở GD&ĐT", "UBND xã", "Bộ GD&ĐT", "Liên cấp (Tiểu học, THCS)"…; NULL
 * when unknown. For liên cấp the levels named in the cell, if any, go
 * to levels ("tieu_hoc,thcs"; "" when none is named). */
const char *import_unit_type(const char *cell, char levels[64]);
/* School levels named in a cell ("Tiểu học, THCS", "TH-THCS-THPT") as
 * "tieu_hoc,thcs…" in school order; false when none or unknown words. */
bool import_unit_levels(const char *cell, char levels[64]);
/* "Công lập"/"CL"/"Có"/"x" → true; "Tư thục"/"Dân lập"/"Ngoài công lập"
 * /"TT"/"Không" → false; *ok false when unknown. "" → true (the usual). */
bool import_unit_public(const char *cell, bool *ok);

typedef struct import_unit_error {
	size_t line;        /* 0: the file as a whole */
	char *msg;          /* Vietnamese */
} import_unit_error;

typedef struct import_unit_result {
	arena *a;                     /* owns errors and notes */
	size_t header_line;           /* 0 when no header was found */
	int col[IU_NCOLS];            /* column index of each field, -1 absent */
	size_t rows;                  /* data rows */
	size_t created, updated, unchanged;
	size_t rel_changed, rel_unchanged;   /* parent + evaluator relations */
	import_unit_error *errors;
	size_t nerrors, errors_cap;
	char **notes;                 /* columns ignored and the like */
	size_t nnotes, notes_cap;
	bool written;                 /* committed (false on dry runs) */
} import_unit_result;

typedef struct import_unit_opts {
	const char *from;    /* relations hold from this date "YYYY-MM-DD"; NULL =
	                        today (UTC) */
	bool dry_run;        /* everything is done, then rolled back */
	int64_t actor;       /* for the audit log; 0 = the system (CLI) */
	/* Called now and then while writing (may be NULL): once with done 0
	 * when every row was checked and before the write transaction opens
	 * (the only call outside it), then every 500 rows inside it. false =
	 * stop: nothing is (or stays) written and import_unit_run returns
	 * DB_ECONFLICT. */
	bool (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	/* Called inside the write transaction once every row is written,
	 * before the commit (never on dry runs; may be NULL): the caller's own
	 * writes that must stand or fall with the import (the administration
	 * page's job marks the file imported and ends itself). A code other
	 * than DB_OK rolls everything back and import_unit_run returns it.
	 * Called with progress_ctx. */
	int (*before_commit)(void *ctx, const import_unit_result *r);
} import_unit_opts;

/* Imports the table. DB_OK when every row was good and the import
 * committed (or, on a dry run, would have); DB_EINVAL when the file has
 * problems (r->errors lists them, row by row, and nothing was written);
 * another DB_E* code when the database failed (db_errmsg says why;
 * nothing was written). r is filled in every case; free it with
 * import_unit_result_free. */
int import_unit_run(db *d, const import_table *t, const import_unit_opts *o,
                    import_unit_result *r);
void import_unit_result_free(import_unit_result *r);

/* The Vietnamese report of an import: what was read, the text repairs,
 * the problems or the counts. `source` names the file. */
void import_unit_report(const import_table *t, const import_unit_result *r,
                        const import_unit_opts *o, const char *source, buf *out);
#endif
