/* cmd_sign.c — `chiso verify` (a PDF's digital signatures) and `chiso sign`
 * (a PDF signed with a PKCS#12 key), issue 17. */
#include "cmd.h"
#include "buf.h"
#include "pdfsig.h"
#include "sign.h"
#include "sign_p11.h"
#include "sign_trust.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char verify_usage[] =
	"Cách dùng (usage):\n"
	"  chiso verify FILE.pdf [--ca CA.pem]… [--crl CRL.pem]… [--db PATH|postgresql://…]\n"
	"  chiso verify --submission ID [--db …] [--secret-file PATH]\n"
	"Kiểm tra chữ ký số của tệp PDF: vùng ký phủ toàn tệp, chữ ký CMS, chuỗi chứng thư đến\n"
	"tổ chức chứng thực tin cậy (--ca, và các CA quản trị viên đã cài trong cơ sở dữ liệu\n"
	"khi có --db), hiệu lực lúc ký, thu hồi (--crl). Mã thoát 0: mọi chữ ký hợp lệ.\n";

static const char sign_usage[] =
	"Cách dùng (usage):\n"
	"  chiso sign IN.pdf --p12 KEY.p12 --out OUT.pdf   (mật khẩu: biến môi trường CHISO_P12_PASSWORD)\n"
	"  chiso sign IN.pdf --pkcs11-uri 'pkcs11:token=…;object=…' --pkcs11-module MODULE.so --out OUT.pdf\n"
	"      (khóa trên USB token; mã PIN: biến môi trường CHISO_PKCS11_PIN, không bao giờ trên dòng lệnh)\n"
	"  Tùy chọn: --tsa-url URL   gắn dấu thời gian RFC 3161 của máy chủ cấp dấu thời gian (PAdES B-T;\n"
	"                            biến môi trường CHISO_TSA_URL cũng được); máy chủ đó lỗi: không ghi tệp nào\n"
	"            --chain CHAIN.pem   chứng thư trung gian đưa vào chữ ký (khóa trên token;\n"
	"                            biến môi trường CHISO_PKCS11_CHAIN cũng được)\n";

/* The whole file, at most max bytes; false with the reason on stderr. */
bool cmd_read_file(const char *path, size_t max, buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f) { fprintf(stderr, "chiso: không mở được %s\n", path); return false; }
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + got > max) { fclose(f); fprintf(stderr, "chiso: %s quá lớn\n", path); return false; }
		buf_append(out, chunk, got);
	}
	bool ok = !ferror(f);
	fclose(f);
	if (!ok) fprintf(stderr, "chiso: lỗi đọc %s\n", path);
	return ok;
}

static bool add_pem_file(pdfsig_trust *t, const char *path, bool crl)
{
	buf b;
	buf_init(&b);
	bool ok = cmd_read_file(path, (size_t)1 << 24, &b);
	if (ok) ok = crl ? pdfsig_trust_add_crl_pem(t, b.data, b.len) : pdfsig_trust_add_pem(t, b.data, b.len);
	if (!ok) fprintf(stderr, "chiso verify: %s không chứa %s PEM\n", path, crl ? "CRL" : "chứng thư");
	buf_free(&b);
	return ok;
}

static void print_result(size_t i, const pdfsig_result *r)
{
	printf("Chữ ký %zu: %s (%s)\n", i + 1, pdfsig_status_label(r->status), pdfsig_status_code(r->status));
	if (r->signer[0]) printf("  Người ký: %s\n", r->signer);
	if (r->organisation[0]) printf("  Tổ chức: %s\n", r->organisation);
	if (r->signed_at[0]) printf("  Thời điểm ký: %s\n", r->signed_at);
	char ts[512];
	pdfsig_timestamp_text(r, ts, sizeof ts);
	if (ts[0]) printf("  Dấu thời gian: %s\n", ts);
	printf("  Phủ toàn tệp: %s\n", r->covers_file ? "có" : "không");
	if (r->detail[0]) printf("  Chi tiết: %s\n", r->detail);
}

static int verify_file(const char *path, pdfsig_trust *trust)
{
	buf pdf;
	buf_init(&pdf);
	if (!cmd_read_file(path, (size_t)256 << 20, &pdf)) { buf_free(&pdf); return EXIT_BADINPUT; }
	pdfsig_result res[PDFSIG_MAX];
	size_t n = pdfsig_verify((const unsigned char *)pdf.data, pdf.len, trust, res, PDFSIG_MAX);
	size_t original = pdfsig_unsigned_length((const unsigned char *)pdf.data, pdf.len);
	char hex[crypto_hash_sha256_BYTES * 2 + 1] = "";
	if (original) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, (const unsigned char *)pdf.data, original);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	}
	buf_free(&pdf);
	if (n == 0) { printf("Không có chữ ký số (unsigned)\n"); return EXIT_FAIL; }
	for (size_t i = 0; i < n; i++) print_result(i, &res[i]);
	/* what the register recorded when Chiso generated the file */
	if (hex[0]) printf("Bản chưa ký: %zu byte, SHA-256 %s\n", original, hex);
	pdfsig_status all = pdfsig_overall(res, n);
	printf("Kết luận: %s (%s)\n", pdfsig_status_label(all), pdfsig_status_code(all));
	return all == PDFSIG_VALID ? EXIT_OK : EXIT_FAIL;
}

int cmd_verify(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) { fputs(verify_usage, stdout); return EXIT_OK; }
	const char *file = NULL, *db_target = NULL, *submission = NULL, *secret_file = NULL;
	pdfsig_trust *trust = pdfsig_trust_new();
	int rc = EXIT_OK;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *a = argv[i];
		if ((strcmp(a, "--ca") == 0 || strcmp(a, "--crl") == 0) && i + 1 < argc) {
			if (!add_pem_file(trust, argv[++i], strcmp(a, "--crl") == 0)) rc = EXIT_BADINPUT;
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) db_target = argv[++i];
		else if (strcmp(a, "--submission") == 0 && i + 1 < argc) submission = argv[++i];
		else if (strcmp(a, "--secret-file") == 0 && i + 1 < argc) secret_file = argv[++i];
		else if (a[0] != '-' && !file) file = a;
		else rc = EXIT_BADINPUT;
	}
	if (rc == EXIT_OK && !file == !submission) rc = EXIT_BADINPUT;
	if (rc != EXIT_OK) fputs(verify_usage, stderr);
	else if (submission) rc = sign_trust_verify_submission(db_target ? db_target : cmd_default_db(), secret_file, submission);
	else if (db_target && !sign_trust_load_db(db_target, trust)) rc = EXIT_FAIL;
	else rc = verify_file(file, trust);
	pdfsig_trust_free(trust);
	return rc;
}

/* A token's key with the intermediates of a chain file (a PKCS#12 file
 * brings its own); NULL with a message when the file has none. */
static sign_key *with_chain(sign_key *k, const char *chain, char msg[SIGN_MSG_MAX])
{
	if (!k || !chain || !chain[0]) return k;
	buf pem;
	buf_init(&pem);
	bool ok = cmd_read_file(chain, (size_t)1 << 20, &pem) && sign_key_add_chain(k, pem.data, pem.len, msg);
	buf_free(&pem);
	if (ok) return k;
	if (!msg[0]) snprintf(msg, SIGN_MSG_MAX, "Không đọc được tệp chuỗi chứng thư %s", chain);
	sign_key_free(k);
	return NULL;
}

/* The key named on the command line: a PKCS#12 file or a token. */
static sign_key *cli_key(const char *p12, const char *uri, const char *module, const char *chain, char msg[SIGN_MSG_MAX])
{
	if (uri) return with_chain(sign_key_from_pkcs11(module, uri, getenv("CHISO_PKCS11_PIN"), msg), chain, msg);
	buf key;
	buf_init(&key);
	const char *pass = getenv("CHISO_P12_PASSWORD");
	sign_key *k = cmd_read_file(p12, (size_t)1 << 20, &key)
		? sign_key_from_p12((const unsigned char *)key.data, key.len, pass ? pass : "", msg) : NULL;
	buf_free(&key);
	return k;
}

static int write_out(const char *out, const buf *b)
{
	FILE *f = fopen(out, "wb");
	int rc = f && fwrite(b->data, 1, b->len, f) == b->len ? EXIT_OK : EXIT_FAIL;
	if (f && fclose(f) != 0) rc = EXIT_FAIL;
	if (rc != EXIT_OK) fprintf(stderr, "chiso sign: không ghi được %s\n", out);
	return rc;
}

int cmd_sign(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) { fputs(sign_usage, stdout); return EXIT_OK; }
	const char *in = NULL, *p12 = NULL, *out = NULL, *uri = NULL, *module = getenv("CHISO_PKCS11_MODULE");
	const char *tsa = getenv("CHISO_TSA_URL"), *chain = getenv("CHISO_PKCS11_CHAIN");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--p12") == 0 && i + 1 < argc) p12 = argv[++i];
		else if (strcmp(argv[i], "--tsa-url") == 0 && i + 1 < argc) tsa = argv[++i];
		else if (strcmp(argv[i], "--chain") == 0 && i + 1 < argc) chain = argv[++i];
		else if (strcmp(argv[i], "--pkcs11-uri") == 0 && i + 1 < argc) uri = argv[++i];
		else if (strcmp(argv[i], "--pkcs11-module") == 0 && i + 1 < argc) module = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
		else if (argv[i][0] != '-' && !in) in = argv[i];
		else { fputs(sign_usage, stderr); return EXIT_BADINPUT; }
	}
	if (!in || !out || !p12 == !uri) { fputs(sign_usage, stderr); return EXIT_BADINPUT; }
	buf pdf, signed_pdf;
	buf_init(&pdf); buf_init(&signed_pdf);
	int rc = EXIT_BADINPUT;
	char msg[SIGN_MSG_MAX] = "";
	sign_key *k = cmd_read_file(in, (size_t)256 << 20, &pdf) ? cli_key(p12, uri, module, chain, msg) : NULL;
	if (k) sign_key_set_tsa(k, tsa);
	if (k && sign_pdf((const unsigned char *)pdf.data, pdf.len, k, &signed_pdf, msg)) {
		rc = write_out(out, &signed_pdf);
		if (rc == EXIT_OK) printf("Đã ký %s → %s (%zu byte)\n", in, out, signed_pdf.len);
	} else if (msg[0]) fprintf(stderr, "chiso sign: %s\n", msg);
	sign_key_free(k);
	buf_free(&pdf); buf_free(&signed_pdf);
	return rc;
}
