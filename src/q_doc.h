/* q_doc.h — the store side of the document layer (migration 5):
 *
 *   - `documents`: one row per generated file (type, the assessment or
 *     round it is about, number, date, signer, recipients, format, SHA-256,
 *     size, who and when), each also written to the audit log, so every
 *     version anybody printed can be named and checked later;
 *   - `self_inspections` and `software_in_use`: the inputs of the
 *     self-inspection report form (seed 003) that the score does not hold:
 *     staff numbers, the work done, the software in use with its purpose
 *     and fees, and the school's recommendations (kiến nghị). */
#ifndef CHISO_Q_DOC_H
#define CHISO_Q_DOC_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "db.h"

extern const char doc_migration_sql[];

typedef struct document_row {
	int64_t id;
	const char *type;          /* doc_set type code: "report", "recognition" … */
	const char *object_type;   /* "assessment" | "round" */
	int64_t object_id;
	const char *number, *date, *signer, *recipients;   /* as printed; NULL = left blank */
	const char *format;        /* "pdf" | "docx" | "xlsx" */
	const char *sha256;        /* hex of the file's bytes */
	int64_t size;
	int64_t generated_by;      /* 0 = the system (CLI) */
	const char *generated_at;
} document_row;

/* Records a generated file and its audit row (document.generate) in one
 * transaction. *id may be NULL. */
int document_record(db *d, int64_t actor, const document_row *r, int64_t *id);
/* Generated files about one object, newest first. */
int document_list(db *d, const char *object_type, int64_t object_id, arena *a,
                  document_row **out, size_t *n);
/* The newest file of `type` about the object (its number, date, signer
 * and recipients are the defaults of the next one); DB_ENOTFOUND if none. */
int document_last(db *d, const char *type, const char *object_type, int64_t object_id, arena *a,
                  document_row *out);

enum { INSPECTION_UNKNOWN = -1 };   /* a staff number nobody gave */
enum { INSPECTION_NWORK = 6 };      /* the headings of seed 003's part II.1 */

extern const char inspection_migration_sql[];

/* Seed 003's heading i (0..5) of part II.1, as the form writes it:
 * "Công tác tổ chức, chỉ đạo, điều hành thực hiện nhiệm vụ chuyển đổi số". */
const char *inspection_work_heading(size_t i);
/* An e-mail address's shape: one "@", a name before it, a domain with a
 * dot after it, no spaces; at most 254 bytes. */
bool inspection_email_valid(const char *s);
/* A telephone number: 9 to 12 digits, with an optional leading "+" and
 * spaces, dots or hyphens between them ("0256 3822 123", "+84 905 123 456"). */
bool inspection_phone_valid(const char *s);

typedef struct self_inspection {
	int64_t assessment_id;
	/* Seed 003, I. "Đặc điểm tình hình nhân sự" */
	int64_t staff_total;           /* tổng số CB-GV-CNV */
	int64_t managers, principals, vice_principals;  /* cán bộ quản lý: hiệu trưởng, phó */
	int64_t teachers, teachers_surplus, teachers_shortage;
	int64_t staff, staff_in_quota, staff_school_contract;  /* nhân viên: HĐ trong chỉ tiêu, HĐ trường */
	const char *work_summary;      /* II.1 công tác ứng dụng CNTT, chuyển đổi số (free text, before the headings) */
	const char *work[INSPECTION_NWORK];   /* II.1 under seed 003's six headings (inspection_work_heading) */
	const char *recommendations;   /* III. kiến nghị */
	/* II.2, criterion 2.1: who leads the school's digital transformation */
	const char *contact_name, *contact_title, *contact_email, *contact_phone;
	const char *updated_at;
} self_inspection;

typedef struct software_use {
	const char *name;              /* "VnEdu", "SMAS" */
	const char *purpose;           /* mục đích sử dụng */
	const char *vendor;            /* đơn vị cung cấp, may be NULL */
	bool paid;                     /* có thu phí không */
	int64_t fee_vnd;               /* thu phí bao nhiêu (đồng), when paid; 0 = not given */
	const char *fee_note;          /* "/học sinh/năm" */
} software_use;

/* Stores the inputs of one assessment, replacing the previous ones and the
 * whole software list. Text is checked and stored in NFC; numbers must be
 * ≥ 0 or INSPECTION_UNKNOWN; the contact's e-mail and telephone, when
 * given, must have their shape. Audited (inspection.save). */
int inspection_save(db *d, int64_t actor, const self_inspection *s, const software_use *sw,
                    size_t nsw);
/* DB_ENOTFOUND when nothing was entered yet. The list is in entry order. */
int inspection_get(db *d, int64_t assessment_id, arena *a, self_inspection *out,
                   software_use **sw, size_t *nsw);
#endif
