/* db_copy.c — bulk rows through PostgreSQL's COPY (db.h, "Bulk rows").
 *
 * A multi-row INSERT of 250 rows is 1,000 parameters the server parses,
 * plans and binds per chunk, and the client waits for each chunk before
 * building the next. COPY … FROM STDIN takes the rows as one stream in
 * COPY's text format: the client writes rows while the server inserts the
 * ones before (two cores busy instead of one at a time), and the statement
 * is one however many rows there are. The rows are buffered here and sent
 * in pieces of COPY_FLUSH bytes; what the data breaks (a constraint, a
 * foreign key) comes back from db_copy_end, inside the caller's write
 * transaction, which then rolls back as after any failed statement. */
#include "db_impl.h"
#include "buf.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

enum { COPY_FLUSH = 1 << 16 };

struct db_copy {
	db *d;
	buf b;
	int rc;          /* the first failure while sending */
	bool in_row;     /* a field of the current row is written */
};

bool db_has_copy(const db *d)
{
	return d->ops->copy_begin != NULL;
}

db_copy *db_copy_begin(db *d, const char *sql)
{
	if (!d->ops->copy_begin) {
		db_fail(d, DB_EMISUSE, "%s: COPY is not available", d->ops->name);
		return NULL;
	}
	if (d->depth == 0 || d->read_only_tx) {
		db_fail(d, DB_EMISUSE, "COPY: must be called inside a write transaction");
		return NULL;
	}
	d->round_trips++;
	if (d->ops->copy_begin(d, sql) != DB_OK) return NULL;
	db_copy *c = xcalloc(1, sizeof *c);
	c->d = d;
	buf_init(&c->b);
	return c;
}

static void next_field(db_copy *c)
{
	if (c->in_row) buf_putc(&c->b, '\t');
	c->in_row = true;
}

/* COPY's text format: backslash, tab, newline and carriage return
 * escaped; \N is NULL. */
void db_copy_text(db_copy *c, const char *v)
{
	next_field(c);
	if (!v) {
		buf_append(&c->b, "\\N", 2);
		return;
	}
	for (;;) {
		size_t run = strcspn(v, "\\\t\n\r");
		buf_append(&c->b, v, run);
		v += run;
		if (!*v) return;
		static const char esc[] = { ['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r' };
		buf_putc(&c->b, '\\');
		buf_putc(&c->b, esc[(unsigned char)*v]);
		v++;
	}
}

void db_copy_int64(db_copy *c, int64_t v)
{
	next_field(c);
	buf_put_int(&c->b, (long long)v);
}

void db_copy_id(db_copy *c, int64_t v)
{
	if (v) db_copy_int64(c, v);
	else db_copy_text(c, NULL);
}

int db_copy_row(db_copy *c)
{
	buf_putc(&c->b, '\n');
	c->in_row = false;
	if (c->b.len >= COPY_FLUSH && c->rc == DB_OK) {
		c->rc = c->d->ops->copy_send(c->d, c->b.data, c->b.len);
		buf_reset(&c->b);
	}
	return c->rc;
}

int db_copy_end(db_copy *c)
{
	if (!c) return DB_EMISUSE;
	db *d = c->d;
	int rc = c->rc;
	if (rc == DB_OK && c->b.len) rc = d->ops->copy_send(d, c->b.data, c->b.len);
	/* Ended even after a failure: the connection leaves the COPY state. */
	int end = d->ops->copy_end(d, rc == DB_OK ? NULL : "chiso: COPY abandoned");
	buf_free(&c->b);
	free(c);
	return rc != DB_OK ? rc : end;
}
