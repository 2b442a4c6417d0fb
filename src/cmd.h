/* cmd.h — the command table: one binary, Fossil-style subcommands. */
#ifndef CHISO_CMD_H
#define CHISO_CMD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "secret.h"

/* Exit statuses shared by all commands. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_BADINPUT = 2 };

int cmd_main(int argc, char **argv);

/* Is argv[i] "--help" or "-h"? Commands print their own usage then. */
bool cmd_wants_help(int argc, char **argv);
/* The --lang en switch: messages and help in English where available. */
bool cmd_lang_en(void);

/* Commands, one function per command (argv[0] is the command name). */
int cmd_frameworks(int argc, char **argv);
int cmd_framework(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_job(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_round(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_levels(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_test_routes(int argc, char **argv);
int cmd_test_act(int argc, char **argv);        /* the differential test's service channel (cmd_act.c) */
int cmd_round_carry(int argc, char **argv);   /* chiso round carry (cmd_carry.c) */
int cmd_verify(int argc, char **argv);
int cmd_sign(int argc, char **argv);
/* The whole file at path, at most max bytes; false with the reason on stderr. */
struct buf;
bool cmd_read_file(const char *path, size_t max, struct buf *out);
int cmd_setup_admin(int argc, char **argv);
int cmd_blob(int argc, char **argv);
int cmd_visit(int argc, char **argv);        /* chiso visit list|add|remove (cmd_visit.c) */

/* A positive decimal id, the whole argument ("12", not "12x" or "0"). */
bool cmd_parse_id(const char *s, int64_t *out);
/* The database named by $CHISO_DB, else chiso.db in the current directory. */
const char *cmd_default_db(void);
/* The server secret (secret.h) for db_target, made when missing; false
 * with the reason on stderr. option: --secret-file, or NULL. */
bool cmd_server_secret(const char *option, const char *db_target, unsigned char out[SECRET_BYTES]);
struct db;
/* Opens and migrates a database; NULL (message printed) on failure. */
struct db *cmd_open_db(const char *target);
#endif
