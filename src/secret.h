/* secret.h — the server secret: random bytes that only the server knows,
 * kept in a file of mode 0600 beside the data and never in the database
 * (whose tables a backup, a replica or a read-only report may show).
 * Made by `chiso init`, `chiso demo`, or the first `chiso serve`; several
 * servers behind one proxy share one file. It keys the kept-file token
 * (keeptoken.h). Losing it costs nothing lasting: tokens live an hour. */
#ifndef CHISO_SECRET_H
#define CHISO_SECRET_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

enum { SECRET_BYTES = 32, SECRET_MSG_MAX = 512 };

/* Where the secret lives: the --secret-file option when given, else
 * CHISO_SECRET_FILE, else DB.secret beside a SQLite database, else
 * chiso.secret in the working directory (PostgreSQL). */
void secret_path(const char *option, const char *db_target, buf *out);
/* Reads the secret at path into out, first making it (random, mode 0600)
 * when there is none; false with a Vietnamese message in msg when it
 * cannot be read or made, or others than its owner may read it. */
bool secret_load(const char *path, unsigned char out[SECRET_BYTES], char msg[SECRET_MSG_MAX]);
#endif
