/* q_register.h — what an office writes down about its own papers
 * (migration 12):
 *
 *   - `round_plans`: the number and date of the office's plan (kế hoạch)
 *     for a round, entered once by the office and cited by every document
 *     of the round ("Căn cứ Kế hoạch số 15/KH-SGDĐT ngày 10/3/2026 của …");
 *   - `document_register`: the sổ đăng ký văn bản đi (ND 30/2020, Điều 15
 *     and 25): one row per document an office (or a school) issues, with
 *     the number it was given from the issuer's sequence of the year —
 *     without gaps or duplicates, also under concurrent generation, since
 *     the allocation runs inside one write transaction (BEGIN IMMEDIATE on
 *     SQLite, the advisory lock on PostgreSQL) and (issuer, year, seq) is
 *     unique. Regenerating a document (another format, a correction)
 *     keeps the number it already has;
 *   - `register_settings` (migration 25): how an issuer numbers — ND 30's
 *     one sequence per year across all kinds (the default), or one
 *     sequence per kind of document (Quyết định, Báo cáo, …) per year, as
 *     some offices do. The register's `seq` stays the entry's place in the
 *     book; `number_seq` is the number printed. */
#ifndef CHISO_Q_REGISTER_H
#define CHISO_Q_REGISTER_H
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char register_migration_sql[];
extern const char register_numbering_migration_sql[];

typedef enum register_numbering {
	REGISTER_PER_YEAR = 0,     /* 01, 02, … across every kind of the year (ND 30/2020) */
	REGISTER_PER_KIND = 1,     /* 01/QĐ-…, 01/BC-…: one sequence per kind per year */
} register_numbering;

/* The issuer's choice; REGISTER_PER_YEAR when it never chose. */
int register_numbering_get(db *d, int64_t unit_id, register_numbering *out);
/* Audited (register.numbering). A change applies to the numbers given
 * after it; a number already given stays, and no number is given twice:
 * a kind's next number is above every number of that kind of the year. */
int register_numbering_set(db *d, int64_t actor, int64_t unit_id, register_numbering n);

typedef struct round_plan {
	int64_t round_id;
	const char *number;        /* "15/KH-SGDĐT", as the office wrote it */
	const char *date;          /* ISO */
} round_plan;

/* Sets the plan's number and date (both required; the number at most 40
 * characters, the date valid). Audited (round.plan). */
int round_plan_set(db *d, int64_t actor, int64_t round_id, const char *number, const char *date);
/* DB_ENOTFOUND when the office has not entered them. */
int round_plan_get(db *d, int64_t round_id, arena *a, round_plan *out);

typedef struct register_entry {
	int64_t id;
	int64_t issuer_unit_id;
	int year;                  /* of the document's date */
	int64_t seq;               /* 1, 2, … per issuer and year: the place in the book */
	int64_t number_seq;        /* the number printed: per year, or per kind and year */
	const char *number;        /* "05/QĐ-SGDĐT": seq (two digits at least) / symbol */
	const char *date;          /* ISO */
	const char *type;          /* doc_set type code */
	const char *kind;          /* "Quyết định", "Báo cáo" … */
	const char *summary;       /* trích yếu */
	const char *signer;        /* NULL = not named */
	const char *object_type;   /* "assessment" | "round" */
	int64_t object_id;
	const char *sha256;        /* of the newest file generated (documents); NULL if none */
	const char *registered_at;
} register_entry;

/* The register entry of the document (type, object) of the year of
 * e->date, created with the issuer's next number when there is none.
 * In: issuer_unit_id, date, type, kind, summary, signer, object_type,
 * object_id; `symbol` is the part after the slash ("QĐ-SGDĐT").
 * Out: the whole entry (strings in a). Audited (register.issue). */
int register_issue(db *d, int64_t actor, const register_entry *e, const char *symbol, arena *a,
                   register_entry *out);
/* The issuer's register of a year, in number order. */
int register_list(db *d, int64_t issuer_unit_id, int year, arena *a, register_entry **out,
                  size_t *n);
/* The issuer's entries about one object ("assessment", 5), every year,
 * in number order: an office's evaluation-side documents of one
 * assessment, shown on the school's register page (issue 17). */
int register_list_about(db *d, int64_t issuer_unit_id, const char *object_type, int64_t object_id, arena *a,
                        register_entry **out, size_t *n);
#endif
