/* q_doc.c — generated documents and self-inspection inputs (q_doc.h).
 * SQL for documents, self_inspections and software_in_use lives here. */
#include "q_doc.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char doc_migration_sql[] =
	/* One row per file generated; the file itself is not kept here (it is
	 * named by its SHA-256: whoever holds a copy can prove which one). */
	"CREATE TABLE documents ("
	" id {ID},"
	" type TEXT NOT NULL,"
	" object_type TEXT NOT NULL CHECK (object_type IN ('assessment', 'round')),"
	" object_id BIGINT NOT NULL,"
	" number TEXT,"
	" date TEXT,"
	" signer TEXT,"
	" recipients TEXT,"                      /* one per line, as printed */
	" format TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'xlsx')),"
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	" size BIGINT NOT NULL CHECK (size >= 0),"
	" generated_by BIGINT REFERENCES accounts (id),"
	" generated_at TEXT NOT NULL);\n"
	"CREATE INDEX documents_object ON documents (object_type, object_id, id);\n"
	/* Seed 003's report form: what the score does not say. NULL numbers
	 * were not given (printed as dots to fill in by hand). */
	"CREATE TABLE self_inspections ("
	" assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id),"
	" staff_total BIGINT, managers BIGINT, principals BIGINT, vice_principals BIGINT,"
	" teachers BIGINT, teachers_surplus BIGINT, teachers_shortage BIGINT,"
	" staff BIGINT, staff_in_quota BIGINT, staff_school_contract BIGINT,"
	" work_summary TEXT,"
	" recommendations TEXT,"
	" updated_by BIGINT REFERENCES accounts (id),"
	" updated_at TEXT NOT NULL);\n"
	"CREATE TABLE software_in_use ("
	" id {ID},"
	" assessment_id BIGINT NOT NULL REFERENCES assessments (id),"
	" seq BIGINT NOT NULL,"
	" name TEXT NOT NULL,"
	" purpose TEXT,"
	" vendor TEXT,"
	" paid BIGINT NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),"
	" fee_vnd BIGINT CHECK (fee_vnd IS NULL OR fee_vnd >= 0),"
	" fee_note TEXT);\n"
	"CREATE INDEX software_in_use_a ON software_in_use (assessment_id, seq);\n";

/* Seed 003's part II.1 under its six headings, and the contact that
 * criterion 2.1 asks for (họ tên, chức vụ, email, điện thoại). */
const char inspection_migration_sql[] =
	"ALTER TABLE self_inspections ADD COLUMN work_direction TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN work_online TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN work_comms TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN work_admissions TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN work_data TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN work_budget TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN contact_name TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN contact_title TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN contact_email TEXT;\n"
	"ALTER TABLE self_inspections ADD COLUMN contact_phone TEXT;\n";

/* ---- documents ------------------------------------------------------------ */

static json_t *document_json(const document_row *r)
{
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:s, s:s, s:I}",
		"type", r->type, "object_type", r->object_type, "object_id", (json_int_t)r->object_id,
		"number", q_json_str(r->number), "date", q_json_str(r->date),
		"signer", q_json_str(r->signer), "recipients", q_json_str(r->recipients),
		"format", r->format, "sha256", r->sha256, "size", (json_int_t)r->size);
}

int document_record(db *d, int64_t actor, const document_row *r, int64_t *id_out)
{
	if (id_out) *id_out = 0;
	if (!r->type || !r->object_type || !r->format || !r->sha256 || strlen(r->sha256) != 64)
		return db_fail(d, DB_EINVAL, "Thiếu thông tin của văn bản cần ghi nhận");
	int rc;
	if ((rc = q_date(d, "Ngày văn bản", r->date, false))) return rc;
	if ((rc = db_begin_write(d))) return rc;
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO documents (type, object_type, object_id, number, date,"
		" signer, recipients, format, sha256, size, generated_by, generated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "ttittttttiIt",
		r->type, r->object_type, r->object_id, r->number, r->date, r->signer, r->recipients,
		r->format, r->sha256, r->size, actor, now);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "document.generate", r->object_type, r->object_id, NULL,
			document_json(r));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id_out) *id_out = id;
	return rc;
}

#define DOC_COLS "id, type, object_type, object_id, number, date, signer, recipients, format," \
	" sha256, size, generated_by, generated_at"

static void document_read(db_stmt *s, arena *a, document_row *o)
{
	o->id = db_col_int64(s, 0);
	o->type = db_col_dup(s, 1, a);
	o->object_type = db_col_dup(s, 2, a);
	o->object_id = db_col_int64(s, 3);
	o->number = db_col_dup(s, 4, a);
	o->date = db_col_dup(s, 5, a);
	o->signer = db_col_dup(s, 6, a);
	o->recipients = db_col_dup(s, 7, a);
	o->format = db_col_dup(s, 8, a);
	o->sha256 = db_col_dup(s, 9, a);
	o->size = db_col_int64(s, 10);
	o->generated_by = db_col_int64(s, 11);
	o->generated_at = db_col_dup(s, 12, a);
}

int document_list(db *d, const char *object_type, int64_t object_id, arena *a,
                  document_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " DOC_COLS " FROM documents WHERE object_type = ? AND object_id = ?"
		" ORDER BY id DESC");
	if (!s) return db_errcode(d);
	db_bindf(s, "ti", object_type, object_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		document_read(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int document_last(db *d, const char *type, const char *object_type, int64_t object_id, arena *a,
                  document_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT " DOC_COLS " FROM documents WHERE type = ? AND object_type = ?"
		" AND object_id = ? ORDER BY id DESC LIMIT 1");
	if (!s) return db_errcode(d);
	db_bindf(s, "tti", type, object_type, object_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		document_read(s, a, out);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	return rc;
}

/* ---- self-inspection inputs ---------------------------------------------- */

static const char *const work_headings[INSPECTION_NWORK] = {
	"Công tác tổ chức, chỉ đạo, điều hành thực hiện nhiệm vụ chuyển đổi số",
	"Công tác quản lý dạy và học trực tuyến; xây dựng và sử dụng học liệu số",
	"Công tác thông tin, tuyên truyền trên môi trường mạng, trao đổi công việc bằng thư điện tử công vụ",
	"Công tác triển khai thực hiện nhiệm vụ tuyển sinh đầu cấp trực tuyến; dữ liệu và phần mềm kiểm định chất lượng giáo dục, các phần mềm khác đang sử dụng trong nhà trường",
	"Công tác cập nhật dữ liệu (cơ sở dữ liệu Ngành) theo chỉ đạo của Ngành và Đề án 06, dữ liệu bản đồ GIS",
	"Kế hoạch bố trí kinh phí phục vụ các hoạt động chuyển đổi số",
};

const char *inspection_work_heading(size_t i)
{
	return i < INSPECTION_NWORK ? work_headings[i] : NULL;
}

bool inspection_email_valid(const char *s)
{
	if (!s || strlen(s) > 254 || strpbrk(s, " \t\r\n,;<>\"")) return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@')) return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

bool inspection_phone_valid(const char *s)
{
	if (!s) return false;
	size_t digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') digits++;
		else if (*p == '+' && p == s) continue;
		else if (*p == ' ' || *p == '.' || *p == '-') { if (!digits) return false; }
		else return false;
	}
	return digits >= 9 && digits <= 12;
}

static int check_count(db *d, const char *label, int64_t v)
{
	if (v < INSPECTION_UNKNOWN || v > 1000000)
		return db_fail(d, DB_EINVAL, "%s: số không hợp lệ (%lld)", label, (long long)v);
	return DB_OK;
}

/* The text fields in column order (after the counts): what each is called
 * in a refusal, its limit, and where it sits in self_inspection. */
typedef struct text_field {
	const char *column, *label;
	size_t max;
	bool multiline;
	size_t offset;
} text_field;

#define WORK_FIELD(col, i) { col, "Công tác ứng dụng CNTT, chuyển đổi số (mục " #i ")", 20000, true, \
	offsetof(self_inspection, work) + ((i) - 1) * sizeof(const char *) }
static const text_field text_fields[] = {
	{ "work_summary", "Công tác ứng dụng CNTT, chuyển đổi số", 20000, true, offsetof(self_inspection, work_summary) },
	{ "recommendations", "Kiến nghị", 20000, true, offsetof(self_inspection, recommendations) },
	WORK_FIELD("work_direction", 1), WORK_FIELD("work_online", 2), WORK_FIELD("work_comms", 3),
	WORK_FIELD("work_admissions", 4), WORK_FIELD("work_data", 5), WORK_FIELD("work_budget", 6),
	{ "contact_name", "Họ tên người phụ trách", 200, false, offsetof(self_inspection, contact_name) },
	{ "contact_title", "Chức vụ người phụ trách", 200, false, offsetof(self_inspection, contact_title) },
	{ "contact_email", "Email người phụ trách", 254, false, offsetof(self_inspection, contact_email) },
	{ "contact_phone", "Điện thoại người phụ trách", 30, false, offsetof(self_inspection, contact_phone) },
};
#define N_TEXT ARRAY_LEN(text_fields)

static const char **text_at(self_inspection *s, const text_field *f)
{
	return (const char **)((char *)s + f->offset);
}

static json_t *inspection_json(const self_inspection *s, const software_use *sw, size_t nsw)
{
	json_t *list = json_array();
	for (size_t i = 0; i < nsw; i++)
		json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:b, s:I, s:o}", "name", sw[i].name,
			"purpose", q_json_str(sw[i].purpose), "vendor", q_json_str(sw[i].vendor), "paid", sw[i].paid,
			"fee_vnd", (json_int_t)sw[i].fee_vnd, "fee_note", q_json_str(sw[i].fee_note)));
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		"staff_total", (json_int_t)s->staff_total, "managers", (json_int_t)s->managers,
		"principals", (json_int_t)s->principals, "vice_principals", (json_int_t)s->vice_principals,
		"teachers", (json_int_t)s->teachers, "teachers_surplus", (json_int_t)s->teachers_surplus,
		"teachers_shortage", (json_int_t)s->teachers_shortage, "staff", (json_int_t)s->staff,
		"staff_in_quota", (json_int_t)s->staff_in_quota,
		"staff_school_contract", (json_int_t)s->staff_school_contract, "software", list);
	for (size_t i = 0; i < N_TEXT; i++)
		json_object_set_new(o, text_fields[i].column, q_json_str(*text_at((self_inspection *)s, &text_fields[i])));
	return o;
}

/* Each text checked and in NFC (malloc'd into owned[]), the contact's
 * e-mail and telephone of their shape. */
static int inspection_texts(db *d, const self_inspection *in, self_inspection *s, char *owned[N_TEXT])
{
	int rc = DB_OK;
	for (size_t i = 0; i < N_TEXT && !rc; i++) {
		const text_field *f = &text_fields[i];
		rc = q_text(d, f->label, *text_at((self_inspection *)in, f), false, f->max, f->multiline, &owned[i]);
		*text_at(s, f) = owned[i];
	}
	if (!rc && s->contact_email && !inspection_email_valid(s->contact_email))
		rc = db_fail(d, DB_EINVAL, "Email người phụ trách không đúng dạng (ví dụ: ten@truong.edu.vn)");
	if (!rc && s->contact_phone && !inspection_phone_valid(s->contact_phone))
		rc = db_fail(d, DB_EINVAL, "Điện thoại người phụ trách: ghi 9 đến 12 chữ số (ví dụ 0905 123 456)");
	return rc;
}

static int inspection_row_write(db *d, int64_t actor, const self_inspection *s, const int64_t counts[10])
{
	char now[21];
	db_now(now);
	/* one bind per column: a count nobody gave is NULL */
	db_stmt *st = db_prepare(d, "INSERT INTO self_inspections (assessment_id, staff_total, managers,"
		" principals, vice_principals, teachers, teachers_surplus, teachers_shortage, staff,"
		" staff_in_quota, staff_school_contract, work_summary, recommendations, work_direction,"
		" work_online, work_comms, work_admissions, work_data, work_budget, contact_name, contact_title,"
		" contact_email, contact_phone, updated_by, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (assessment_id) DO UPDATE SET staff_total = excluded.staff_total,"
		" managers = excluded.managers, principals = excluded.principals,"
		" vice_principals = excluded.vice_principals, teachers = excluded.teachers,"
		" teachers_surplus = excluded.teachers_surplus, teachers_shortage = excluded.teachers_shortage,"
		" staff = excluded.staff, staff_in_quota = excluded.staff_in_quota,"
		" staff_school_contract = excluded.staff_school_contract, work_summary = excluded.work_summary,"
		" recommendations = excluded.recommendations, work_direction = excluded.work_direction,"
		" work_online = excluded.work_online, work_comms = excluded.work_comms,"
		" work_admissions = excluded.work_admissions, work_data = excluded.work_data,"
		" work_budget = excluded.work_budget, contact_name = excluded.contact_name,"
		" contact_title = excluded.contact_title, contact_email = excluded.contact_email,"
		" contact_phone = excluded.contact_phone, updated_by = excluded.updated_by,"
		" updated_at = excluded.updated_at");
	if (!st) return db_errcode(d);
	int col = 1;
	db_bind_int64(st, col++, s->assessment_id);
	for (size_t i = 0; i < 10; i++, col++) {
		if (counts[i] == INSPECTION_UNKNOWN) db_bind_null(st, col);
		else db_bind_int64(st, col, counts[i]);
	}
	for (size_t i = 0; i < N_TEXT; i++) db_bind_text(st, col++, *text_at((self_inspection *)s, &text_fields[i]));
	if (actor) db_bind_int64(st, col++, actor);
	else db_bind_null(st, col++);
	db_bind_text(st, col, now);
	int rc = db_step(st);
	db_finish(st);
	rc = rc == DB_DONE ? DB_OK : rc;
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Không tìm thấy phiếu đánh giá");
	return rc;
}

int inspection_save(db *d, int64_t actor, const self_inspection *in, const software_use *sw_in,
                    size_t nsw)
{
	static const char *const labels[] = { "Tổng số CB-GV-CNV", "Cán bộ quản lý", "Hiệu trưởng",
		"Phó Hiệu trưởng", "Giáo viên", "Giáo viên thừa", "Giáo viên thiếu", "Nhân viên",
		"Hợp đồng trong chỉ tiêu biên chế", "Hợp đồng trường" };
	const int64_t counts[] = { in->staff_total, in->managers, in->principals, in->vice_principals,
		in->teachers, in->teachers_surplus, in->teachers_shortage, in->staff, in->staff_in_quota,
		in->staff_school_contract };
	int rc;
	for (size_t i = 0; i < ARRAY_LEN(counts); i++)
		if ((rc = check_count(d, labels[i], counts[i]))) return rc;
	self_inspection s = *in;
	char *texts[N_TEXT] = { 0 };
	software_use *sw = xcalloc(nsw ? nsw : 1, sizeof *sw);
	char **owned = xcalloc(nsw * 4 + 1, sizeof *owned);
	size_t nowned = 0;
	if ((rc = inspection_texts(d, in, &s, texts))) goto out;
	for (size_t i = 0; i < nsw; i++) {
		char *name = NULL, *purpose = NULL, *vendor = NULL, *note = NULL;
		rc = q_text(d, "Tên phần mềm", sw_in[i].name, true, 300, false, &name);
		if (!rc) rc = q_text(d, "Mục đích sử dụng", sw_in[i].purpose, false, 2000, true, &purpose);
		if (!rc) rc = q_text(d, "Đơn vị cung cấp", sw_in[i].vendor, false, 300, false, &vendor);
		if (!rc) rc = q_text(d, "Ghi chú mức phí", sw_in[i].fee_note, false, 300, false, &note);
		owned[nowned++] = name;
		owned[nowned++] = purpose;
		owned[nowned++] = vendor;
		owned[nowned++] = note;
		if (rc) goto out;
		if (sw_in[i].fee_vnd < 0) {
			rc = db_fail(d, DB_EINVAL, "Mức phí của %s không hợp lệ", name);
			goto out;
		}
		sw[i] = (software_use){ .name = name, .purpose = purpose, .vendor = vendor,
			.paid = sw_in[i].paid, .fee_vnd = sw_in[i].fee_vnd, .fee_note = note };
	}
	if ((rc = db_begin_write(d))) goto out;
	rc = inspection_row_write(d, actor, &s, counts);
	if (rc == DB_OK)
		rc = db_execf(d, "DELETE FROM software_in_use WHERE assessment_id = ?", "i", in->assessment_id);
	for (size_t i = 0; i < nsw && rc == DB_OK; i++)
		rc = db_execf(d, "INSERT INTO software_in_use (assessment_id, seq, name, purpose, vendor, paid,"
			" fee_vnd, fee_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "iitttiIt", in->assessment_id,
			(int64_t)i + 1, sw[i].name, sw[i].purpose, sw[i].vendor, (int64_t)sw[i].paid,
			sw[i].fee_vnd, sw[i].fee_note);
	if (rc == DB_OK)
		rc = audit_record(d, actor, "inspection.save", "assessment", in->assessment_id, NULL,
			inspection_json(&s, sw, nsw));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
out:
	for (size_t i = 0; i < nowned; i++) free(owned[i]);
	for (size_t i = 0; i < N_TEXT; i++) free(texts[i]);
	free(owned);
	free(sw);
	return rc;
}

static int64_t col_count(db_stmt *s, int col)
{
	return db_col_null(s, col) ? INSPECTION_UNKNOWN : db_col_int64(s, col);
}

int inspection_get(db *d, int64_t assessment_id, arena *a, self_inspection *out,
                   software_use **sw, size_t *nsw)
{
	memset(out, 0, sizeof *out);
	*sw = NULL;
	*nsw = 0;
	db_stmt *s = db_prepare(d, "SELECT staff_total, managers, principals, vice_principals, teachers,"
		" teachers_surplus, teachers_shortage, staff, staff_in_quota, staff_school_contract,"
		" updated_at, work_summary, recommendations, work_direction, work_online, work_comms,"
		" work_admissions, work_data, work_budget, contact_name, contact_title, contact_email,"
		" contact_phone FROM self_inspections WHERE assessment_id = ?");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", assessment_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->assessment_id = assessment_id;
		int64_t *fields[] = { &out->staff_total, &out->managers, &out->principals, &out->vice_principals,
			&out->teachers, &out->teachers_surplus, &out->teachers_shortage, &out->staff,
			&out->staff_in_quota, &out->staff_school_contract };
		for (size_t i = 0; i < ARRAY_LEN(fields); i++) *fields[i] = col_count(s, (int)i);
		out->updated_at = db_col_dup(s, 10, a);
		for (size_t i = 0; i < N_TEXT; i++) *text_at(out, &text_fields[i]) = db_col_dup(s, 11 + (int)i, a);
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_ENOTFOUND;
	}
	db_finish(s);
	if (rc != DB_OK) return rc;
	s = db_prepare(d, "SELECT name, purpose, vendor, paid, fee_vnd, fee_note FROM software_in_use"
		" WHERE assessment_id = ? ORDER BY seq");
	if (!s) return db_errcode(d);
	db_bindf(s, "i", assessment_id);
	size_t cap = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)sw, &cap, *nsw, sizeof **sw);
		software_use *w = &(*sw)[(*nsw)++];
		w->name = db_col_dup(s, 0, a);
		w->purpose = db_col_dup(s, 1, a);
		w->vendor = db_col_dup(s, 2, a);
		w->paid = db_col_int64(s, 3) != 0;
		w->fee_vnd = db_col_int64(s, 4);
		w->fee_note = db_col_dup(s, 5, a);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}
