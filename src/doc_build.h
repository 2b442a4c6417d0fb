/* doc_build.h — what the document builders (doc_school.c, doc_office.c,
 * doc_xlsx.c) share: the loaded context of one generation and the helpers
 * that turn scores, levels and dates into the words documents use.
 * Internal to the document layer; callers use doc_set.h. */
#ifndef CHISO_DOC_BUILD_H
#define CHISO_DOC_BUILD_H
#include "doc.h"
#include "doc_set.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_doc.h"
#include "q_evidence.h"
#include "q_round.h"
#include "q_register.h"
#include "q_unit.h"
#include "score.h"

/* One assessment with what the documents say about it. */
typedef struct doc_unit {
	assessment as;
	unit u;
	unit_type type;
	const framework *fw;           /* the version the assessment was made with; NULL if missing */
	answer_sheet self_sheet, ext_sheet;
	score_result *self, *ext;      /* NULL when the framework cannot score */
	const char **self_reason, **ext_reason;   /* stored reasons, by leaf index */
	bool has_ext;                  /* an external answer exists */
	const score_result *result;    /* the external score when there is one, else the self score */
	int level;                     /* recognised, else from `result`; 0 = none */
	/* an office's own assessment with derived items (3806 group 2): the units
	 * they were computed from, on the basis and date the office chose
	 * (derived_subs.h); NULL for every other assessment */
	const struct derived_subs *derived;
} doc_unit;

typedef struct doc_ctx {
	db *d;
	arena *a;                      /* everything below, freed after the generation */
	const fw_catalog *cat;
	const doc_type *type;
	const doc_params *p;
	buf *err;                      /* errors; on success, warnings */
	bool warned;
	bool plan_warned;
	const char *on;                /* the date unit relations are read on */
	round_row round;
	const char *plan_number, *plan_date;   /* the round's plan (NULL: not entered) */
	unit office;                   /* the round's office */
	/* assessment scope */
	doc_unit *one;
	council cn;
	bool has_council;
	council_member *members;
	size_t nmembers;
	council_task *tasks;
	size_t ntasks;
	evidence *ev;
	size_t nev;
	bool has_inspection;
	self_inspection insp;
	software_use *sw;
	size_t nsw;
	/* number, date and signer the data already holds for this document: the
	 * council's decision, the team's, the recognition decision (q_office) */
	const char *data_number, *data_date, *data_signer;
	int64_t decision_id;            /* recognition: the decision the document is (0: a draft before recognition) */
	/* the external team formed by decision (q_office), when there is one */
	bool has_team;
	struct team_member *team;
	size_t nteam;
	const char *team_number, *team_date;   /* the decision forming the team (NULL: not recorded) */
	/* the team's visit schedule (q_visit.h; round scope) */
	struct round_visit *visits;
	size_t nvisits;
	/* round scope: the units, sorted by type then in Vietnamese order */
	doc_unit *units;
	size_t nunits;
	round_target *targets;
	size_t ntargets;
	/* the issuer and header values, set before the builder runs */
	const unit *issuer;
	const char *issuer_upper, *parent_upper;
	const char *issuer_line;       /* the header's issuer: an office's name without its locality when the parent line names it */
	const char *parent_name;       /* the issuer's managing body, as written in sentences */
	const char *number_given, *date_given;   /* what was asked for (or the data's); NULL = blank */
	const char *number_line;       /* "Số: 15/QĐ-THCSNHT" or "Số:      /QĐ-THCSNHT" */
	const char *number_ref;        /* "15/QĐ-THCSNHT" or "      /QĐ-THCSNHT" (for "kèm theo") */
	const char *place;
	const char *place_date;
	const char *date_words;        /* "ngày 05 tháng 5 năm 2025" or blanks */
	const char *head_title;        /* "HIỆU TRƯỞNG" / "TRƯỞNG PHÒNG" … */
	const char *authority;         /* "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN 7": a decision's issuer line */
	const char *school_year;       /* "2024-2025" */
	const char **recipients;       /* from the parameters; NULL = the builder's own */
	size_t nrecipients;
} doc_ctx;

/* ---- words ------------------------------------------------------------------ */

/* Points as documents write them: "75,5", "50". */
const char *dq(doc_ctx *c, q v);
/* "Mức 2 (đáp ứng cơ bản)"; "Chưa xếp mức" for NULL / 0. */
const char *level_words(doc_ctx *c, const fw_band *b);
const char *level_words_n(doc_ctx *c, const framework *fw, int level);
/* "ngày 05 tháng 5 năm 2025" of an ISO date, or "" for NULL/invalid. */
const char *date_words(doc_ctx *c, const char *iso);
/* "05/5/2025"-style short date: "05/05/2025". */
const char *date_short(doc_ctx *c, const char *iso);
/* The unit's name in the sentence "của Trường THCS …". */
const char *unit_name(const doc_unit *u);
/* "Phòng GD&ĐT Quận 7": the short form used in "Nơi nhận". */
const char *short_name(doc_ctx *c, const char *name);
/* Type name as a plain phrase: "Tiểu học", "Phòng GD&ĐT". */
const char *unit_type_words(const char *type_code);

/* ---- pieces ------------------------------------------------------------------- */

/* The header (issuer, number, place and date) and title. */
void doc_head(doc_ctx *c, doc *d, const char *kind, const char *summary);
/* Recipients: the parameters' when given, else these defaults. */
void doc_recipients(doc_ctx *c, doc *d, const char *const *defaults, size_t n);
/* The signature: caption defaults to the head title; name from the
 * parameters, else `name` (may be NULL: left blank). */
void doc_signature_std(doc_ctx *c, doc *d, const char *name);
/* The name of the council's chair, secretary (NULL when none). */
const char *council_chair(doc_ctx *c);
const char *council_secretary(doc_ctx *c);

/* Column choices for score_table. */
enum { ST_EVIDENCE = 1, ST_EXTERNAL = 2, ST_REASON = 4 };
/* The score table of one assessment: groups, criteria and items with the
 * maximum, the points (self, and external when asked), evidence codes. */
void score_table(doc_ctx *c, doc *d, const doc_unit *u, unsigned cols);
/* Group totals and levels (and the unit's level) as a small table. */
void group_table(doc_ctx *c, doc *d, const doc_unit *u, const score_result *r);
/* "Nhóm 1 …: 89 điểm, Mức 3 (đáp ứng tốt); …" as a sentence. */
const char *result_sentence(doc_ctx *c, const doc_unit *u, const score_result *r);
/* The framework as a legal basis ("Quyết định số 4725/QĐ-BGDĐT ngày …
 * của … ban hành …"), or NULL when it cannot be one for this document (a
 * local form of another office); doc_basis writes its "Căn cứ …;" line. */
const char *framework_basis(doc_ctx *c, const framework *fw);
void doc_basis(doc_ctx *c, doc *d, const framework *fw, unsigned style);
/* doc_basis for every framework of the document's units, each once. */
void doc_bases_of_units(doc_ctx *c, doc *d);
/* "(Kèm theo Quyết định số … ngày … của …)" under an annex's title. */
const char *doc_annex_ref(doc_ctx *c, const char *kind);
/* The office's plan for the round as documents cite it: "Kế hoạch số
 * 15/KH-SGDĐT ngày 10/03/2026 của Sở …" (q_register.h: round_plans);
 * when the office has not entered its number and date, the plan by title
 * with what is missing said in the text (and a warning), never a blank. */
const char *plan_cite(doc_ctx *c);
/* The basis and date of an office's derived items (issue 11 item 6), as
 * the document prints it: "Các chỉ tiêu suy ra từ kết quả của các đơn vị
 * (Nhóm 2) — Căn cứ kết quả: đã công nhận; số liệu tính đến ngày
 * 31/05/2026 (44 đơn vị)."; NULL when u has no derived items. */
const char *doc_derived_basis_text(doc_ctx *c, const doc_unit *u);
/* That sentence as a paragraph (nothing when NULL). */
void doc_derived_basis(doc_ctx *c, doc *d, const doc_unit *u);
/* For a round's document: the sentence of each unit with derived items,
 * headed by the unit's name. */
void doc_derived_basis_round(doc_ctx *c, doc *d);
/* Evidence codes for a framework node (the node or any leaf below it). */
const char *evidence_codes(doc_ctx *c, const fw_node *n);

/* ---- builders ----------------------------------------------------------------- */

void build_plan(doc_ctx *c, doc *d);
void build_council(doc_ctx *c, doc *d);
void build_minutes(doc_ctx *c, doc *d);
void build_report(doc_ctx *c, doc *d);
void build_approval(doc_ctx *c, doc *d);
void build_request(doc_ctx *c, doc *d);
void build_evidence(doc_ctx *c, doc *d);
void build_team(doc_ctx *c, doc *d);
void build_external_minutes(doc_ctx *c, doc *d);
void build_recognition(doc_ctx *c, doc *d);
void build_summary(doc_ctx *c, doc *d);

bool xlsx_scores(doc_ctx *c, const char *path, buf *err);       /* report, minutes, external minutes */
bool xlsx_evidence(doc_ctx *c, const char *path, buf *err);
bool xlsx_round(doc_ctx *c, const char *path, buf *err);        /* recognition, summary */

/* The office's round documents of the seeds (doc_round.c): its plan with
 * the timeline, the team's visit schedule with its conflicts, the list of
 * units proposed for recognition. */
void build_round_plan(doc_ctx *c, doc *d);
void build_schedule(doc_ctx *c, doc *d);
void build_proposal(doc_ctx *c, doc *d);
bool xlsx_schedule(doc_ctx *c, const char *path, buf *err);
bool xlsx_proposal(doc_ctx *c, const char *path, buf *err);
/* Is the unit proposed for recognition: its external evaluation finished
 * (evaluated, recognised or published) with an external level? */
bool doc_unit_proposed(const doc_unit *u);
/* "80% THCS đạt Mức 3": a round target as documents write it. */
const char *target_label(doc_ctx *c, const round_target *t);

/* ---- round statistics (doc_office.c; also the XLSX) ---------------------------- */

typedef struct type_stats {
	unit_type type;
	int units, at[4];          /* at[0]: no level yet; at[1..3]: Mức 1..3 */
} type_stats;
/* Counts per unit type present in the round (in unit-type order); *n types. */
/* Does the round document cover unit u? A recognition decision: exactly
 * the units it recognises; every other: every unit of the round. Tables,
 * counts and statistics of a round document all ask this. */
bool doc_unit_in(const doc_ctx *c, const doc_unit *u);
type_stats *round_stats(doc_ctx *c, size_t *n, type_stats *all);

typedef struct target_result {
	const round_target *t;
	q achieved;                /* percent */
	int units;                 /* units counted */
	bool known;                /* no data → unknown */
	bool met;
} target_result;
target_result *round_target_results(doc_ctx *c);
#endif
