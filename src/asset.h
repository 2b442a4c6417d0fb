/* asset.h — files embedded at build time (scripts/embed.sh), so the binary
 * needs nothing beside it and fetches nothing: the web assets from assets/
 * and the shipped frameworks from frameworks/ (framework.c loads them). */
#ifndef CHISO_ASSET_H
#define CHISO_ASSET_H
#include <stddef.h>

struct asset {
	const char *path, *content_type;
	const unsigned char *data;
	size_t len;
};
extern const struct asset assets[];        /* "/static/app.css"; ends with a NULL path */
extern const struct asset fw_embedded[];   /* "qd4725-2022.json"; ends with a NULL path */
const struct asset *asset_find(const char *path);
#endif
