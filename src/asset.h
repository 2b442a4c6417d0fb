/* asset.h — files embedded at build time (scripts/embed.sh), so the binary
 * needs nothing beside it and fetches nothing: the web assets from assets/
 * and the shipped frameworks from frameworks/ (framework.c loads them). */
#ifndef CHISO_ASSET_H
#define CHISO_ASSET_H
#include <stdbool.h>
#include <stddef.h>

struct asset {
	const char *path, *content_type;
	const unsigned char *data;
	size_t len;
	/* the path with the first 10 hex digits of the bytes' SHA-256 before the
	 * extension ("/static/chiso.0123456789.css"), and the ETag ("\"0123456789\"") */
	const char *hashed_path, *etag;
	/* CSS, JS and SVG compressed at build time (gzip -9n), NULL otherwise */
	const unsigned char *gz;
	size_t gz_len;
};
extern const struct asset assets[];        /* "/static/app.css"; ends with a NULL path */
extern const struct asset fw_embedded[];   /* "qd4725-2022.json"; ends with a NULL path */
/* A web asset by its plain or its hashed path; *hashed (may be NULL) tells which. */
const struct asset *asset_find(const char *path, bool *hashed);
/* The hashed path of a web asset for a page to link ("/static/chiso.css" →
 * "/static/chiso.0123456789.css"), so it can be cached for good; the plain
 * path when there is no such asset. */
const char *asset_url(const char *path);
#endif
