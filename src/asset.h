/* asset.h — files from assets/ embedded at build time (scripts/embed.sh),
 * so the server needs nothing beside its binary and fetches nothing. */
#ifndef CHISO_ASSET_H
#define CHISO_ASSET_H
#include <stddef.h>

struct asset {
	const char *path, *content_type;
	const unsigned char *data;
	size_t len;
};
extern const struct asset assets[];   /* ends with a NULL path */
const struct asset *asset_find(const char *path);
#endif
