/* zip_stream.c — a ZIP archive written entry by entry (zip_stream.h).
 * The layout is APPNOTE 6.3: local header, data, then the central
 * directory, with ZIP64 extra fields and end records where a value does
 * not fit in 16/32 bits. Sizes are known before each entry is written (the
 * whole entry is in memory), so no data descriptors. */
#include "zip_stream.h"
#include "util.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

struct zip_stream {
	FILE *f;
	uint64_t offset;     /* bytes written so far */
	size_t count;
	buf central;         /* the central directory, written at the end */
	uint16_t dos_time, dos_date;
	bool failed;
};

enum { ZIP_VERSION = 45, ZIP_FLAG_UTF8 = 0x0800, ZIP_STORE = 0, ZIP_DEFLATE = 8 };

static void put16(buf *b, unsigned v)
{
	char c[2] = { (char)(v & 0xff), (char)((v >> 8) & 0xff) };
	buf_append(b, c, 2);
}

static void put32(buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

static void put64(buf *b, uint64_t v)
{
	put32(b, (uint32_t)(v & 0xffffffffu));
	put32(b, (uint32_t)(v >> 32));
}

static bool write_out(zip_stream *z, const void *p, size_t n, buf *err)
{
	if (z->failed) return false;
	if (n && fwrite(p, 1, n, z->f) != n) {
		z->failed = true;
		buf_printf(err, "không ghi được tệp ZIP: %s", strerror(errno));
		return false;
	}
	z->offset += n;
	return true;
}

zip_stream *zip_stream_open(const char *path, buf *err)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		buf_printf(err, "không tạo được tệp ZIP: %s", strerror(errno));
		return NULL;
	}
	zip_stream *z = xcalloc(1, sizeof *z);
	z->f = f;
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	buf_init(&z->central);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	z->dos_time = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	z->dos_date = (uint16_t)(((tm.tm_year > 80 ? tm.tm_year - 80 : 0) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
	return z;
}

/* Raw deflate of data into out (malloc'd); false when zlib fails. */
static bool deflate_all(const void *data, size_t len, unsigned char **out, size_t *outlen)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
	uLong cap = deflateBound(&s, (uLong)len);
	*out = xmalloc(cap ? cap : 1);
	s.next_in = (Bytef *)(uintptr_t)data;
	s.avail_in = (uInt)len;
	s.next_out = *out;
	s.avail_out = (uInt)cap;
	int rc = deflate(&s, Z_FINISH);
	*outlen = s.total_out;
	deflateEnd(&s);
	if (rc != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		return false;
	}
	return true;
}

bool zip_stream_add(zip_stream *z, const char *name, const void *data, size_t len, bool deflate, buf *err)
{
	size_t nlen = strlen(name);
	if (z->failed || nlen > 0xffff || len > 0xfffffffeu) {
		if (!z->failed) buf_printf(err, "tệp quá lớn cho ZIP: %s", name);
		return false;
	}
	uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
	unsigned char *packed = NULL;
	size_t plen = len;
	if (deflate && len && !deflate_all(data, len, &packed, &plen)) {
		buf_printf(err, "không nén được %s", name);
		return false;
	}
	unsigned method = packed ? ZIP_DEFLATE : ZIP_STORE;
	uint64_t at = z->offset;
	buf h;
	buf_init(&h);
	put32(&h, 0x04034b50);
	put16(&h, ZIP_VERSION);
	put16(&h, ZIP_FLAG_UTF8);
	put16(&h, method);
	put16(&h, z->dos_time);
	put16(&h, z->dos_date);
	put32(&h, crc);
	put32(&h, (uint32_t)plen);
	put32(&h, (uint32_t)len);
	put16(&h, (unsigned)nlen);
	put16(&h, 0);
	buf_append(&h, name, nlen);
	bool ok = write_out(z, h.data, h.len, err) && write_out(z, packed ? (const void *)packed : data, plen, err);
	buf_free(&h);
	free(packed);
	if (!ok) return false;
	/* its central record; the offset goes to a ZIP64 extra field past 4 GiB */
	bool far = at >= 0xffffffffu;
	buf *c = &z->central;
	put32(c, 0x02014b50);
	put16(c, (3u << 8) | ZIP_VERSION);   /* made by: Unix */
	put16(c, ZIP_VERSION);
	put16(c, ZIP_FLAG_UTF8);
	put16(c, method);
	put16(c, z->dos_time);
	put16(c, z->dos_date);
	put32(c, crc);
	put32(c, (uint32_t)plen);
	put32(c, (uint32_t)len);
	put16(c, (unsigned)nlen);
	put16(c, far ? 12 : 0);
	put16(c, 0);                         /* comment */
	put16(c, 0);                         /* disk */
	put16(c, 0);                         /* internal attributes */
	put32(c, 0100644u << 16);            /* a regular file, rw-r--r-- */
	put32(c, far ? 0xffffffffu : (uint32_t)at);
	buf_append(c, name, nlen);
	if (far) {
		put16(c, 0x0001);
		put16(c, 8);
		put64(c, at);
	}
	z->count++;
	return true;
}

static bool write_end(zip_stream *z, buf *err)
{
	uint64_t cd_at = z->offset, cd_len = z->central.len;
	if (!write_out(z, z->central.data, z->central.len, err)) return false;
	bool zip64 = z->count >= 0xffff || cd_at >= 0xffffffffu || cd_len >= 0xffffffffu;
	buf e;
	buf_init(&e);
	if (zip64) {
		uint64_t rec_at = z->offset;
		put32(&e, 0x06064b50);
		put64(&e, 44);
		put16(&e, (3u << 8) | ZIP_VERSION);
		put16(&e, ZIP_VERSION);
		put32(&e, 0);
		put32(&e, 0);
		put64(&e, z->count);
		put64(&e, z->count);
		put64(&e, cd_len);
		put64(&e, cd_at);
		put32(&e, 0x07064b50);
		put32(&e, 0);
		put64(&e, rec_at);
		put32(&e, 1);
	}
	unsigned n16 = z->count >= 0xffff ? 0xffff : (unsigned)z->count;
	put32(&e, 0x06054b50);
	put16(&e, 0);
	put16(&e, 0);
	put16(&e, n16);
	put16(&e, n16);
	put32(&e, cd_len >= 0xffffffffu ? 0xffffffffu : (uint32_t)cd_len);
	put32(&e, cd_at >= 0xffffffffu ? 0xffffffffu : (uint32_t)cd_at);
	put16(&e, 0);
	bool ok = write_out(z, e.data, e.len, err);
	buf_free(&e);
	return ok;
}

bool zip_stream_close(zip_stream *z, buf *err)
{
	bool ok = write_end(z, err);
	if (fclose(z->f) != 0 && ok) {
		buf_printf(err, "không ghi được tệp ZIP: %s", strerror(errno));
		ok = false;
	}
	buf_free(&z->central);
	free(z);
	return ok;
}

void zip_stream_discard(zip_stream *z)
{
	if (!z) return;
	fclose(z->f);
	buf_free(&z->central);
	free(z);
}

size_t zip_stream_count(const zip_stream *z)
{
	return z->count;
}
