/* zip_stream.h — a ZIP archive written to a file entry by entry, as the
 * entries come: each entry's bytes go to the file when it is added and
 * only its central-directory record (about a hundred bytes) stays in
 * memory until the end. libzip keeps every added buffer until zip_close,
 * so a batch of 10,000 PDFs (about 0.8 GB) would stay in memory whole.
 *
 * Entries are stored (PDF and DOCX are compressed already) or deflated;
 * names are UTF-8 (general purpose flag 11). ZIP64 records are written
 * when the archive passes 4 GiB or 65,535 entries, so it stays readable
 * by unzip, libzip and Windows' Explorer at any size. */
#ifndef CHISO_ZIP_STREAM_H
#define CHISO_ZIP_STREAM_H
#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

typedef struct zip_stream zip_stream;

/* Creates (truncates) path. NULL with a message in err on failure. */
zip_stream *zip_stream_open(const char *path, buf *err);
/* Writes one entry: its local header and its bytes (deflated when asked). */
bool zip_stream_add(zip_stream *z, const char *name, const void *data, size_t len, bool deflate, buf *err);
/* Writes the central directory and closes the file; frees z in every case. */
bool zip_stream_close(zip_stream *z, buf *err);
/* Closes without a central directory (the caller removes the file); frees z. NULL is fine. */
void zip_stream_discard(zip_stream *z);
/* The entries added so far. */
size_t zip_stream_count(const zip_stream *z);
#endif
