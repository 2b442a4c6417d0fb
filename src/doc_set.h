/* doc_set.h — the documents Chiso generates from its data, and the one
 * call that generates any of them: load the assessment or round, score it
 * with the engine, fill the document model (doc.h) with the right builder,
 * render it as PDF, DOCX or XLSX, and record the file (documents table +
 * audit log, q_doc.h).
 *
 * School side (about one assessment): the self-assessment plan, the
 * decision forming the council, the council's minutes, the self-assessment
 * report, the principal's approval decision, the request for external
 * evaluation, the evidence catalogue. Office side: the external evaluation
 * minutes of one unit (about an assessment); the decision forming the
 * external team, the recognition decision with its annexed list, and the
 * summary report to the superior (about a round).
 *
 * Number, date, signer and recipients are parameters: what is not given
 * is printed blank to fill in by hand (as offices do with drafts) or taken
 * from the data (the council's decision number, its chair). */
#ifndef CHISO_DOC_SET_H
#define CHISO_DOC_SET_H
#include <stdbool.h>
#include <stdint.h>
#include "buf.h"
#include "db.h"
#include "framework.h"
#include "q_unit.h"

typedef enum doc_format { DOC_PDF, DOC_DOCX, DOC_XLSX } doc_format;
const char *doc_format_code(doc_format f);         /* "pdf" */
const char *doc_format_mime(doc_format f);
bool doc_format_parse(const char *s, doc_format *out);

typedef enum doc_scope { DOC_SCOPE_ASSESSMENT, DOC_SCOPE_ROUND } doc_scope;

struct doc_ctx;
struct doc;

typedef struct doc_type {
	const char *code;          /* "report" (the CLI name) */
	const char *alias;         /* "bao-cao" (Vietnamese, for URLs and file names) */
	const char *name;          /* "Báo cáo kết quả tự đánh giá" */
	const char *symbol;        /* ký hiệu loại văn bản: "BC", "QĐ"; NULL = no number */
	doc_scope scope;
	bool office;               /* issued by the evaluating office, not the school */
	void (*build)(struct doc_ctx *c, struct doc *d);
	/* The spreadsheet form, NULL when the document has none. */
	bool (*xlsx)(struct doc_ctx *c, const char *path, buf *err);
} doc_type;

const doc_type *doc_types(size_t *n);
/* By code or alias; NULL when unknown. */
const doc_type *doc_type_find(const char *name);

typedef struct doc_params {
	const char *number;        /* "15" or "15/QĐ-THCSNHT"; NULL = blank, or the data's */
	const char *date;          /* ISO "2025-05-05"; NULL = blank day and month */
	const char *signer;        /* the name under the signature; NULL = from the data */
	const char *signer_title;  /* "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG"; NULL = by unit type */
	const char *recipients;    /* separated by ';' or newlines; NULL = the type's own */
	const char *place;         /* địa danh; NULL = from the unit's address or name */
	bool reuse_last;           /* missing values: from the last file of this type and object */
	bool register_number;      /* no number given or in the data: the issuer's next in the register */
} doc_params;

typedef struct doc_result {
	buf data;                  /* the file; the caller frees with buf_free */
	char sha256[65];
	int64_t document_id;       /* 0 when not recorded */
	char filename[160];        /* "bao-cao-79760101-2024-2025.pdf" */
	double ms;                 /* time spent building and rendering */
} doc_result;

/* Generates document `t` about object_id (an assessment or a round, per
 * t->scope) as `f`. record: write the documents row and its audit row
 * (actor 0 = the system). Frameworks come from cat (the version each
 * assessment was made with). On failure returns a DB_E* code with a
 * Vietnamese message in err (DB_ENOTFOUND: no such assessment/round;
 * DB_EINVAL: bad parameters or a format the document does not have). */
int doc_generate(db *d, const fw_catalog *cat, int64_t actor, const doc_type *t, int64_t object_id,
                 doc_format f, const doc_params *p, bool record, doc_result *out, buf *err);

/* What a document of type t issued by `issuer` writes, for a form's
 * placeholders: a number with its symbol ("15/QĐ-SGDĐT"; NULL when t has
 * no number) and the signer's title when signing for the head
 * ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"), from the same rules doc_generate uses. */
const char *doc_number_example(arena *a, const doc_type *t, const unit *issuer);
const char *doc_deputy_title_example(arena *a, const unit *issuer);
#endif
