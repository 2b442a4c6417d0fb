/* secret.c — the server secret in its file (secret.h). The file holds the
 * bytes as one line of hex, so that an administrator can copy it to a
 * second server. */
#include "secret.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HEX_LEN = 2 * SECRET_BYTES };

static bool target_is_pg(const char *t)
{
	return !strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11) || !strncmp(t, "pg:", 3);
}

void secret_path(const char *option, const char *db_target, buf *out)
{
	const char *env = getenv("CHISO_SECRET_FILE");
	buf_reset(out);
	if (option && *option) buf_puts(out, option);
	else if (env && *env) buf_puts(out, env);
	else if (target_is_pg(db_target)) buf_puts(out, "chiso.secret");
	else buf_printf(out, "%s.secret", db_target);
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR) continue;
		if (k <= 0) return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* Makes the file when there is none: written whole under a temporary name,
 * then linked to its own, so that a second server starting at the same
 * moment reads either nothing or the whole secret, and the first one made
 * wins (link never replaces). */
static bool create_secret(const char *path, char msg[SECRET_MSG_MAX])
{
	unsigned char key[SECRET_BYTES];
	char line[HEX_LEN + 2];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(line, HEX_LEN + 1, key, sizeof key);
	sodium_memzero(key, sizeof key);
	line[HEX_LEN] = '\n';
	line[HEX_LEN + 1] = '\0';
	buf tmp;
	buf_init(&tmp);
	buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	bool ok = false;
	int fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(msg, SECRET_MSG_MAX, "không tạo được tệp khóa bí mật %s: %s", buf_str(&tmp), strerror(errno));
	} else {
		ok = write_all(fd, line, HEX_LEN + 1) && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (ok && link(buf_str(&tmp), path) != 0 && errno != EEXIST) ok = false;
		if (!ok) snprintf(msg, SECRET_MSG_MAX, "không ghi được tệp khóa bí mật %s: %s", path, strerror(errno));
		unlink(buf_str(&tmp));
	}
	sodium_memzero(line, sizeof line);
	buf_free(&tmp);
	return ok;
}

static bool read_secret(int fd, const char *path, unsigned char out[SECRET_BYTES], char msg[SECRET_MSG_MAX])
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, SECRET_MSG_MAX, "%s không phải một tệp thông thường", path);
		return false;
	}
	if (st.st_mode & 077) {   /* like ssh: a key others can read is not a secret */
		snprintf(msg, SECRET_MSG_MAX, "tệp khóa bí mật %s để người khác đọc được: hãy chạy chmod 600 %s", path, path);
		return false;
	}
	char line[HEX_LEN + 16];
	ssize_t n = read(fd, line, sizeof line - 1);
	size_t len = n > 0 ? (size_t)n : 0;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) len--;
	size_t got = 0;
	bool ok = len == HEX_LEN && sodium_hex2bin(out, SECRET_BYTES, line, len, NULL, &got, NULL) == 0 && got == SECRET_BYTES;
	sodium_memzero(line, sizeof line);
	if (!ok) snprintf(msg, SECRET_MSG_MAX, "tệp khóa bí mật %s không đúng dạng (cần %d chữ số hex trên một dòng)", path, HEX_LEN);
	return ok;
}

bool secret_load(const char *path, unsigned char out[SECRET_BYTES], char msg[SECRET_MSG_MAX])
{
	if (sodium_init() < 0) {
		snprintf(msg, SECRET_MSG_MAX, "libsodium không khởi tạo được");
		return false;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (!create_secret(path, msg)) return false;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(msg, SECRET_MSG_MAX, "không đọc được tệp khóa bí mật %s: %s", path, strerror(errno));
		return false;
	}
	bool ok = read_secret(fd, path, out, msg);
	close(fd);
	return ok;
}
