/* q_account.c — accounts, passwords (argon2id via libsodium) and role
 * assignments (q_account.h). SQL for accounts and role_assignments lives
 * here and nowhere else. Hashing (~55 ms, 64 MiB) always happens outside
 * the write transaction so that it never holds the database's write lock. */
#include "q_account.h"
#include "audit.h"
#include "q.h"
#include "util.h"
#include "vn.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void sodium_ready(void)
{
	if (sodium_init() < 0) fatal("libsodium cannot initialise");
}

int account_password_hash(const char *password, char hash_out[128])
{
	_Static_assert(crypto_pwhash_STRBYTES == 128, "hash buffer size");
	sodium_ready();
	if (crypto_pwhash_str(hash_out, password, strlen(password),
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return DB_ERROR;   /* out of memory for the 64 MiB work area */
	return DB_OK;
}

bool account_password_verify(const char *hash, const char *password)
{
	sodium_ready();
	return hash && password &&
		crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool account_password_needs_rehash(const char *hash)
{
	sodium_ready();
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

static bool login_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool account_login_key(const char *in, char out[static ACCOUNT_LOGIN_MAX + 1])
{
	out[0] = '\0';
	if (!in) return false;
	/* trimmed as the web form's text is (web_text), so that every path to
	 * an account and the sign-in throttle agree on one key */
	while (login_space(*in)) in++;
	size_t n = strlen(in);
	while (n && login_space(in[n - 1])) n--;
	if (n < ACCOUNT_LOGIN_MIN || n > ACCOUNT_LOGIN_MAX) return false;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '@' || c == '-')) {
			out[0] = '\0';
			return false;
		}
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

/* Heap copy of a valid login's key, or NULL. */
static char *clean_login(const char *in)
{
	char key[ACCOUNT_LOGIN_MAX + 1];
	return account_login_key(in, key) ? xstrdup(key) : NULL;
}

static int check_password(db *d, const char *password)
{
	size_t n = password ? strlen(password) : 0;
	if (n < 8) return db_fail(d, DB_EINVAL, "Mật khẩu phải có ít nhất 8 ký tự");
	if (n > 1024) return db_fail(d, DB_EINVAL, "Mật khẩu quá dài");
	return DB_OK;
}

#define ACCOUNT_COLUMNS "id, login, full_name, email, phone, active," \
	" password_hash IS NOT NULL, created_at"

static void read_account(db_stmt *s, arena *a, account *o)
{
	o->id = db_col_int64(s, 0);
	o->login = db_col_dup(s, 1, a);
	o->full_name = db_col_dup(s, 2, a);
	o->email = db_col_dup(s, 3, a);
	o->phone = db_col_dup(s, 4, a);
	o->active = db_col_int64(s, 5) != 0;
	o->has_password = db_col_int64(s, 6) != 0;
	o->created_at = db_col_dup(s, 7, a);
}

static int get_account(db *d, const char *sql, int64_t id, const char *login, arena *a,
                       account *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, sql);
	if (!s) return db_errcode(d);
	if (login) db_bind_text(s, 1, login);
	else db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) read_account(s, a, out);
	db_finish(s);
	if (rc == DB_ROW) return DB_OK;
	if (rc == DB_DONE) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy tài khoản");
	return rc;
}

int account_get(db *d, int64_t id, arena *a, account *out)
{
	return get_account(d, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", id, NULL,
		a, out);
}

int account_find_login(db *d, const char *login, arena *a, account *out)
{
	char *l = clean_login(login);
	if (!l) {
		memset(out, 0, sizeof *out);
		return db_fail(d, DB_ENOTFOUND, "Không tìm thấy tài khoản");
	}
	int rc = get_account(d, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE login = ?", 0, l,
		a, out);
	free(l);
	return rc;
}

static json_t *account_json(const char *login, const char *full_name, bool active)
{
	return json_pack("{s:s, s:s, s:b}", "login", login, "full_name", full_name,
		"active", active);
}

/* The insert behind both constructors: `hash` is a stored argon2id string
 * or NULL (no password yet). */
static int create_with_hash(db *d, int64_t actor, const char *login_in, const char *full_name_in,
                            const char *hash, int64_t *id)
{
	if (id) *id = 0;
	char *login = clean_login(login_in);
	if (!login)
		return db_fail(d, DB_EINVAL, "Tên đăng nhập phải dài 3–64 ký tự, chỉ gồm chữ cái "
			"không dấu, chữ số và . _ @ -");
	char *name = NULL;
	int rc = q_text(d, "Họ và tên", full_name_in, true, 200, false, &name);
	if (rc != DB_OK) goto out;
	if ((rc = db_begin_write(d))) goto out;
	char now[21];
	db_now(now);
	int64_t new_id = 0;
	rc = db_query_int64(d, &new_id, "INSERT INTO accounts (login, full_name, password_hash,"
		" active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) RETURNING id", "ttttt",
		login, name, hash, now, now);
	if (rc == DB_ECONSTRAINT) rc = db_fail(d, rc, "Tên đăng nhập '%s' đã có người dùng", login);
	if (rc == DB_OK) rc = audit_record(d, actor, "account.create", "account", new_id, NULL,
		account_json(login, name, true));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && id) *id = new_id;
out:
	free(login);
	free(name);
	return rc;
}

int account_create(db *d, int64_t actor, const char *login_in, const char *full_name_in,
                   const char *password, int64_t *id)
{
	if (id) *id = 0;
	char hash[128];
	if (password) {
		int rc = check_password(d, password);
		if (rc != DB_OK) return rc;
		if (account_password_hash(password, hash) != DB_OK)
			return db_fail(d, DB_ERROR, "Không tạo được mã băm mật khẩu (thiếu bộ nhớ)");
	}
	int rc = create_with_hash(d, actor, login_in, full_name_in, password ? hash : NULL, id);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int account_create_hashed(db *d, int64_t actor, const char *login, const char *full_name,
                          const char *hash, int64_t *id)
{
	if (!hash || strncmp(hash, "$argon2id$", 10) != 0)
		return db_fail(d, DB_EINVAL, "Mã băm mật khẩu không phải argon2id");
	return create_with_hash(d, actor, login, full_name, hash, id);
}

int account_set_password(db *d, int64_t actor, int64_t id, const char *password)
{
	int rc = check_password(d, password);
	if (rc != DB_OK) return rc;
	char hash[128];
	if (account_password_hash(password, hash) != DB_OK)
		return db_fail(d, DB_ERROR, "Không tạo được mã băm mật khẩu (thiếu bộ nhớ)");
	if ((rc = db_begin_write(d)) == DB_OK) {
		char now[21];
		db_now(now);
		rc = db_execf(d, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
			"tti", hash, now, id);
		if (rc == DB_OK && db_changes(d) == 0)
			rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy tài khoản");
		if (rc == DB_OK) rc = audit_record(d, actor, "account.password", "account", id, NULL,
			json_pack("{s:s}", "password", "changed"));
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	sodium_memzero(hash, sizeof hash);
	return rc;
}

static int last_admin_guard(db *d, int64_t account_id, int64_t assignment);

int account_set_active(db *d, int64_t actor, int64_t id, bool active)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	int64_t was = 0;
	rc = db_query_int64(d, &was, "SELECT active FROM accounts WHERE id = ?", "i", id);
	if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy tài khoản");
	if (rc == DB_OK && was && !active) rc = last_admin_guard(d, id, 0);
	if (rc == DB_OK && (was != 0) != active) {
		char now[21];
		db_now(now);
		rc = db_execf(d, "UPDATE accounts SET active = ?, updated_at = ? WHERE id = ?", "iti",
			(int64_t)active, now, id);
		if (rc == DB_OK) rc = audit_record(d, actor, active ? "account.enable" : "account.disable",
			"account", id, json_pack("{s:b}", "active", was != 0),
			json_pack("{s:b}", "active", active));
	}
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

/* Nobody may leave the system without an active system administrator
 * (the only role that can repair every other): refused when `account_id`
 * would stop counting — disabled, or `assignment` (its system_admin role)
 * revoked — and no other active account holds the role. */
static int last_admin_guard(db *d, int64_t account_id, int64_t assignment)
{
	int64_t mine = 0, others = 0;
	int rc = db_query_int64(d, &mine, "SELECT COUNT(*) FROM role_assignments WHERE account_id = ?"
		" AND role = 'system_admin' AND (CAST(? AS BIGINT) = 0 OR id = ?)", "iii", account_id,
		assignment, assignment);
	if (rc != DB_OK || mine == 0) return rc;
	rc = db_query_int64(d, &others, "SELECT COUNT(*) FROM accounts a WHERE a.active = 1 AND a.id <> ?"
		" AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.account_id = a.id"
		" AND r.role = 'system_admin')", "i", account_id);
	if (rc == DB_OK && others == 0)
		rc = db_fail(d, DB_ECONFLICT, "Đây là tài khoản quản trị hệ thống cuối cùng còn hoạt động: "
			"không thể khóa hay thu hồi quyền quản trị của nó (hãy giao quyền cho một tài khoản khác trước)");
	return rc;
}

int account_set_email(db *d, int64_t actor, int64_t id, const char *email_in)
{
	char *email = NULL;
	int rc = q_text(d, "Thư điện tử", email_in, false, 254, false, &email);
	if (rc != DB_OK) return rc;
	if (email) {
		const char *at = strchr(email, '@');
		bool ok = at && at != email && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.');
		for (const char *p = email; ok && *p; p++)
			if (*p == ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>') ok = false;
		if (!ok) {
			rc = db_fail(d, DB_EINVAL, "Địa chỉ thư điện tử không hợp lệ: '%s'", email);
			free(email);
			return rc;
		}
	}
	if ((rc = db_begin_write(d)) == DB_OK) {
		char *old = NULL;
		arena *a = arena_new();
		rc = db_query_text(d, a, &old, "SELECT email FROM accounts WHERE id = ?", "i", id);
		if (rc == DB_ENOTFOUND) rc = db_fail(d, rc, "Không tìm thấy tài khoản");
		bool same = rc == DB_OK && ((!old && !email) || (old && email && !strcmp(old, email)));
		if (rc == DB_OK && !same) {
			char now[21];
			db_now(now);
			rc = db_execf(d, "UPDATE accounts SET email = ?, updated_at = ? WHERE id = ?", "tti",
				email, now, id);
			if (rc == DB_OK) rc = audit_record(d, actor, "account.email", "account", id,
				json_pack("{s:o}", "email", q_json_str(old)), json_pack("{s:o}", "email", q_json_str(email)));
		}
		arena_free(a);
		if (rc == DB_OK) rc = db_commit(d);
		else db_rollback(d);
	}
	free(email);
	return rc;
}

int account_list(db *d, int64_t scope_office, const char *date, const char *text, size_t limit,
                 size_t offset, arena *a, account **out, size_t *n, size_t *total)
{
	*out = NULL;
	*n = *total = 0;
	if (!db_date_valid(date)) return db_fail(d, DB_EINVAL, "Ngày không hợp lệ: '%s'", date ? date : "");
	/* Names are matched folded (tone marks, case, đ) in C: accounts carry
	 * no folded column, and an office's accounts are a few thousand. */
	char *want = vn_fold(text ? text : "");
	db_stmt *s = db_prepare(d,
		"WITH RECURSIVE down(id) AS ("
		" SELECT CAST(? AS BIGINT)"
		" UNION"
		" SELECT r.unit_id FROM unit_relations r JOIN down ON r.other_unit_id = down.id"
		" WHERE r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?))"
		" SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE CAST(? AS BIGINT) = 0 OR id IN"
		" (SELECT account_id FROM role_assignments WHERE unit_id IN (SELECT id FROM down))"
		" ORDER BY login");
	if (!s) {
		free(want);
		return db_errcode(d);
	}
	db_bindf(s, "itti", scope_office, date, date, scope_office);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (want && *want) {
			char *f = vn_fold(db_col_text(s, 2));
			bool hit = (f && strstr(f, want)) || strstr(db_col_text(s, 1), want) ||
				(db_col_text(s, 3) && strstr(db_col_text(s, 3), want));
			free(f);
			if (!hit) continue;
		}
		size_t k = (*total)++;
		if (k < offset || *n >= limit) continue;
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		read_account(s, a, &(*out)[(*n)++]);
	}
	db_finish(s);
	free(want);
	return rc == DB_DONE ? DB_OK : rc;
}

static const char wrong_login[] = "Sai tên đăng nhập hoặc mật khẩu";

int account_authenticate(db *d, const char *login_in, const char *password, int64_t *id)
{
	*id = 0;
	char *login = clean_login(login_in);
	char *hash = NULL;
	int64_t aid = 0, active = 0;
	int rc = DB_ENOTFOUND;
	if (login) {
		db_stmt *s = db_prepare(d, "SELECT id, password_hash, active FROM accounts WHERE login = ?");
		if (!s) {
			free(login);
			return db_errcode(d);
		}
		db_bind_text(s, 1, login);
		rc = db_step(s);
		if (rc == DB_ROW) {
			aid = db_col_int64(s, 0);
			const char *h = db_col_text(s, 1);
			hash = h ? xstrdup(h) : NULL;
			active = db_col_int64(s, 2);
			rc = DB_OK;
		} else if (rc == DB_DONE) {
			rc = DB_ENOTFOUND;
		}
		db_finish(s);
		free(login);
		if (rc < 0 && rc != DB_ENOTFOUND) return rc;
	}
	bool ok;
	if (!hash) {
		/* Unknown login or no password yet: spend the same time as a real
		 * check so the answer's timing says nothing. */
		char dummy[128];
		account_password_hash(password ? password : "", dummy);
		ok = false;
	} else {
		ok = account_password_verify(hash, password);
	}
	if (!ok) {
		free(hash);
		return db_fail(d, DB_EINVAL, "%s", wrong_login);
	}
	if (!active) {
		free(hash);
		return db_fail(d, DB_EINVAL, "Tài khoản đã bị khoá; liên hệ quản trị viên");
	}
	if (account_password_needs_rehash(hash)) {
		/* Limits raised since this hash was made: upgrade it now that we
		 * hold the password. A failure here must not fail the sign-in. */
		char fresh[128];
		if (account_password_hash(password, fresh) == DB_OK &&
		    db_begin_write(d) == DB_OK) {
			int r = db_execf(d, "UPDATE accounts SET password_hash = ? WHERE id = ? AND"
				" password_hash = ?", "tit", fresh, aid, hash);
			if (r == DB_OK) r = audit_record(d, 0, "account.rehash", "account", aid, NULL, NULL);
			if (r == DB_OK) db_commit(d);
			else db_rollback(d);
			db_clear_error(d);
		}
		sodium_memzero(fresh, sizeof fresh);
	}
	free(hash);
	*id = aid;
	return DB_OK;
}

/* ---- roles ----------------------------------------------------------- */

int account_grant(db *d, int64_t actor, int64_t account_id, const char *role,
                  int64_t unit_id, int64_t round_id, int64_t *assignment_id)
{
	if (assignment_id) *assignment_id = 0;
	authz_role r = authz_role_parse(role);
	if (r == AUTHZ_ROLE_INVALID)
		return db_fail(d, DB_EINVAL, "Vai trò không hợp lệ: '%s'", role ? role : "");
	if (r == AUTHZ_SYSTEM_ADMIN && (unit_id || round_id))
		return db_fail(d, DB_EINVAL, "Quản trị hệ thống không gắn với đơn vị hay đợt đánh giá");
	if (r != AUTHZ_SYSTEM_ADMIN && !unit_id)
		return db_fail(d, DB_EINVAL, "Vai trò '%s' cần một đơn vị", authz_role_label(r));
	if ((r == AUTHZ_EXTERNAL_EVALUATOR || r == AUTHZ_COUNCIL_MEMBER) && !round_id)
		return db_fail(d, DB_EINVAL, "Vai trò '%s' cần một đợt đánh giá", authz_role_label(r));
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	char now[21];
	db_now(now);
	int64_t id = 0;
	rc = db_query_int64(d, &id, "INSERT INTO role_assignments (account_id, role, unit_id,"
		" round_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", "itIIIt",
		account_id, authz_role_code(r), unit_id, round_id, actor, now);
	if (rc == DB_ECONSTRAINT)
		rc = db_fail(d, rc, "Vai trò này đã được giao, hoặc tài khoản/đơn vị/đợt không tồn tại");
	if (rc == DB_OK) rc = audit_record(d, actor, "role.grant", "account", account_id, NULL,
		json_pack("{s:I, s:s, s:I, s:I}", "assignment", (json_int_t)id, "role",
			authz_role_code(r), "unit_id", (json_int_t)unit_id, "round_id",
			(json_int_t)round_id));
	if (rc == DB_OK) rc = db_commit(d);
	else db_rollback(d);
	if (rc == DB_OK && assignment_id) *assignment_id = id;
	return rc;
}

int account_revoke(db *d, int64_t actor, int64_t assignment_id)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	db_stmt *s = db_prepare(d, "SELECT account_id, role, unit_id, round_id FROM role_assignments"
		" WHERE id = ?");
	if (!s) {
		rc = db_errcode(d);
		goto fail;
	}
	db_bind_int64(s, 1, assignment_id);
	rc = db_step(s);
	json_t *before = NULL;
	int64_t account_id = 0;
	if (rc == DB_ROW) {
		account_id = db_col_int64(s, 0);
		before = json_pack("{s:I, s:s, s:I, s:I}", "assignment", (json_int_t)assignment_id,
			"role", db_col_text(s, 1), "unit_id", (json_int_t)db_col_int64(s, 2),
			"round_id", (json_int_t)db_col_int64(s, 3));
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = db_fail(d, DB_ENOTFOUND, "Không tìm thấy phân quyền");
	}
	db_finish(s);
	if (rc == DB_OK) rc = last_admin_guard(d, account_id, assignment_id);
	if (rc == DB_OK) rc = db_execf(d, "DELETE FROM role_assignments WHERE id = ?", "i",
		assignment_id);
	if (rc == DB_OK) rc = audit_record(d, actor, "role.revoke", "account", account_id, before, NULL);
	else json_decref(before);
	if (rc == DB_OK) return db_commit(d);
fail:
	db_rollback(d);
	return rc;
}

int account_roles(db *d, int64_t account_id, arena *a, role_assignment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT id, account_id, role, unit_id, round_id"
		" FROM role_assignments WHERE account_id = ? ORDER BY id");
	if (!s) return db_errcode(d);
	db_bind_int64(s, 1, account_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		q_grow(a, (void **)out, &cap, *n, sizeof **out);
		role_assignment *r = &(*out)[(*n)++];
		r->id = db_col_int64(s, 0);
		r->account_id = db_col_int64(s, 1);
		r->role = db_col_dup(s, 2, a);
		r->unit_id = db_col_int64(s, 3);
		r->round_id = db_col_int64(s, 4);
	}
	db_finish(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int account_grants(db *d, int64_t account_id, arena *a, authz_grant **out, size_t *n)
{
	role_assignment *r;
	size_t nr;
	*out = NULL;
	*n = 0;
	int rc = account_roles(d, account_id, a, &r, &nr);
	if (rc != DB_OK) return rc;
	*out = arena_alloc(a, (nr ? nr : 1) * sizeof **out);
	for (size_t i = 0; i < nr; i++) {
		authz_role role = authz_role_parse(r[i].role);
		if (role == AUTHZ_ROLE_INVALID) continue;   /* a role this build does not know */
		(*out)[*n].role = role;
		(*out)[*n].unit_id = r[i].unit_id;
		(*out)[*n].round_id = r[i].round_id;
		(*n)++;
	}
	return DB_OK;
}

/* The account and its grants in one round trip (issue 19: every API
 * request and every page loads both): the account's columns repeat on each
 * role row; an account without roles is one row with NULL role columns. */
int account_get_with_grants(db *d, int64_t id, arena *a, account *out, authz_grant **g, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT a.id, a.login, a.full_name, a.email, a.phone, a.active,"
		" a.password_hash IS NOT NULL, a.created_at, r.role, r.unit_id, r.round_id"
		" FROM accounts a LEFT JOIN role_assignments r ON r.account_id = a.id WHERE a.id = ? ORDER BY r.id");
	if (!s) {
		memset(out, 0, sizeof *out);
		*g = NULL;
		*n = 0;
		return db_errcode(d);
	}
	db_bind_int64(s, 1, id);
	return account_grants_rows(s, a, out, g, n, NULL, NULL);
}

int account_grants_rows(db_stmt *s, arena *a, account *out, authz_grant **g, size_t *n, int64_t *c11,
                        const char **c12)
{
	db *d = db_stmt_db(s);
	memset(out, 0, sizeof *out);
	*g = NULL;
	*n = 0;
	size_t cap = 0;
	bool found = false;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (!found) {
			read_account(s, a, out);
			if (c11) *c11 = db_col_int64(s, 11);
			if (c12) *c12 = db_col_dup(s, 12, a);
		}
		found = true;
		const char *role = db_col_text(s, 8);
		authz_role r = role ? authz_role_parse(role) : AUTHZ_ROLE_INVALID;
		if (r == AUTHZ_ROLE_INVALID) continue;   /* none, or a role this build does not know */
		q_grow(a, (void **)g, &cap, *n, sizeof **g);
		(*g)[*n] = (authz_grant){ .role = r, .unit_id = db_col_int64(s, 9), .round_id = db_col_int64(s, 10) };
		(*n)++;
	}
	db_finish(s);
	if (rc != DB_DONE) return rc;
	if (!found) return db_fail(d, DB_ENOTFOUND, "Không tìm thấy tài khoản");
	if (!*g) *g = arena_alloc(a, sizeof **g);
	return DB_OK;
}
