/* page_cache.h — rendered pages kept in memory between requests, bounded
 * and shared by the server's worker threads.
 *
 * An entry is named by what it shows (an object, for an account) and is
 * valid for one store mark (db_mark_read, read in the request's snapshot)
 * on one day: any other mark or day is a miss and drops the entry, so a
 * page kept is never served after anything it may show changed. The
 * per-request bits are never kept: the body is kept with holes where the
 * session's form token stood, filled with the asking session's token. */
#ifndef CHISO_PAGE_CACHE_H
#define CHISO_PAGE_CACHE_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

typedef struct page_cache page_cache;

typedef struct page_key {
	int64_t object;     /* what the page shows (an assessment's id) */
	int64_t account;    /* for whom it was rendered: what they may see and do */
	int64_t mark;       /* the store's mark the page was read under */
	int day;            /* the day it was rendered (deadlines, "overdue") */
} page_key;

typedef struct page_cache_stats {
	uint64_t hits, misses, stale, stored, evicted;
	size_t entries, bytes, max_bytes;
} page_cache_stats;

/* max_bytes bounds the bodies and titles kept (least recently used go first). */
page_cache *page_cache_new(size_t max_bytes);
void page_cache_free(page_cache *c);
/* Keeps body[0..len) for k, each occurrence of `hole` (a token rendered in
 * the place of the session's) to be filled on each hit; title and flag
 * are the page's head (page_begin). Replaces what k named before. */
void page_cache_put(page_cache *c, const page_key *k, const char *title, bool flag, const char *body, size_t len,
                    const char *hole);
/* The page's head, written by the caller on a hit before the body. */
typedef void (*page_cache_head)(void *ctx, const char *title, bool flag);
/* On a hit: calls head(ctx, title, flag) (outside the cache's lock, the
 * entry held by a reference), then appends the body with `fill` in each hole to
 * out; true. False on a miss, out untouched (and an entry for k's object
 * and account read under an older mark or on another day is dropped). */
bool page_cache_get(page_cache *c, const page_key *k, const char *fill, buf *out, page_cache_head head, void *ctx);
/* The same hit lent instead of copied: *iov and *n are the body's pieces
 * with `fill` in each hole, pointing into the entry, which stays in
 * memory (even if dropped from the cache) until page_cache_lent_free(the
 * returned loan). NULL on a miss. */
typedef struct page_loan page_loan;
page_loan *page_cache_lend(page_cache *c, const page_key *k, const char *fill, page_cache_head head, void *ctx,
                           const struct iovec **iov, size_t *n);
void page_cache_lent_free(void *loan);
void page_cache_stats_get(page_cache *c, page_cache_stats *s);
#endif
