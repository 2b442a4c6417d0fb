/* page_cache.c — rendered pages kept in memory: a hash on (object,
 * account), a least-recently-used list, a byte budget and one mutex.
 *
 * The cache holds one reference to every entry (malloc'd, never changed
 * once made); a hit takes another under the lock and copies the body out
 * after releasing it, and the last reference frees the entry, so a reader
 * never sees an entry another thread dropped. The copy of a 60 KB page
 * and the page's head were done under the lock before: on a loaded
 * machine, a thread descheduled while holding it held up every other hit
 * (bench/http.sh's p99). */
#include "page_cache.h"
#include "util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	page_key key;
	char *title;
	bool flag;
	char *body;            /* the page with its holes removed */
	size_t len;
	size_t *holes;         /* offsets into body where the token goes */
	size_t nholes;
	size_t cost;           /* bytes charged to the budget */
	atomic_int refs;       /* the cache's own, and one per hit being copied out */
	struct entry *hnext;   /* hash chain */
	struct entry *prev, *next;   /* LRU: head is the most recent */
} entry;

struct page_cache {
	pthread_mutex_t lock;
	entry **buckets;
	size_t nbuckets;       /* a power of two */
	entry *head, *tail;
	size_t bytes, max_bytes;
	page_cache_stats st;
};

enum { NBUCKETS = 4096, ENTRY_OVERHEAD = 128 };

page_cache *page_cache_new(size_t max_bytes)
{
	page_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->nbuckets = NBUCKETS;
	c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(entry *e)
{
	free(e->title);
	free(e->body);
	free(e->holes);
	free(e);
}

/* Drops a reference; the last one frees the entry. */
static void entry_unref(entry *e)
{
	if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1) entry_free(e);
}

void page_cache_free(page_cache *c)
{
	if (!c) return;
	for (entry *e = c->head; e;) {
		entry *n = e->next;
		entry_free(e);
		e = n;
	}
	free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t bucket_of(const page_cache *c, int64_t object, int64_t account)
{
	uint64_t h = (uint64_t)object * 0x9E3779B97F4A7C15ull ^ ((uint64_t)account + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull;
	h ^= h >> 31;
	return (size_t)h & (c->nbuckets - 1);
}

static entry **find_slot(page_cache *c, int64_t object, int64_t account)
{
	entry **p = &c->buckets[bucket_of(c, object, account)];
	while (*p && !((*p)->key.object == object && (*p)->key.account == account)) p = &(*p)->hnext;
	return p;
}

static void lru_unlink(page_cache *c, entry *e)
{
	if (e->prev) e->prev->next = e->next;
	else c->head = e->next;
	if (e->next) e->next->prev = e->prev;
	else c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(page_cache *c, entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head) c->head->prev = e;
	c->head = e;
	if (!c->tail) c->tail = e;
}

/* Unlinks the entry in *slot and drops the cache's reference (a hit still
 * copying it out frees it when done). */
static void drop(page_cache *c, entry **slot)
{
	entry *e = *slot;
	*slot = e->hnext;
	lru_unlink(c, e);
	c->bytes -= e->cost;
	c->st.entries--;
	entry_unref(e);
}

static void evict_to(page_cache *c, size_t budget)
{
	while (c->tail && c->bytes > budget) {
		entry *t = c->tail;
		drop(c, find_slot(c, t->key.object, t->key.account));
		c->st.evicted++;
	}
}

/* The body without its holes, and where they were. */
static entry *entry_make(const page_key *k, const char *title, bool flag, const char *body, size_t len, const char *hole)
{
	entry *e = xcalloc(1, sizeof *e);
	atomic_init(&e->refs, 1);
	e->key = *k;
	e->title = xstrdup(title ? title : "");
	e->flag = flag;
	e->body = xmalloc(len + 1);
	size_t hl = hole ? strlen(hole) : 0, cap = 0;
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *h = hl ? bytes_find(p, (size_t)(end - p), hole, hl) : NULL;
		size_t run = h ? (size_t)(h - p) : (size_t)(end - p);
		memcpy(e->body + e->len, p, run);
		e->len += run;
		if (!h) break;
		if (e->nholes == cap) {
			cap = cap ? cap * 2 : 8;
			e->holes = xrealloc(e->holes, cap * sizeof *e->holes);
		}
		e->holes[e->nholes++] = e->len;
		p = h + hl;
	}
	e->body[e->len] = '\0';
	e->cost = e->len + strlen(e->title) + e->nholes * sizeof *e->holes + ENTRY_OVERHEAD;
	return e;
}

void page_cache_put(page_cache *c, const page_key *k, const char *title, bool flag, const char *body, size_t len,
                    const char *hole)
{
	entry *e = entry_make(k, title, flag, body, len, hole);   /* outside the lock */
	pthread_mutex_lock(&c->lock);
	entry **slot = find_slot(c, k->object, k->account);
	/* A page read under an older mark than the one kept (a slow request
	 * that began before a write) must not replace the newer one. */
	if (*slot && (*slot)->key.mark > k->mark) {
		pthread_mutex_unlock(&c->lock);
		entry_free(e);
		return;
	}
	if (*slot) drop(c, slot);
	if (e->cost > c->max_bytes) {
		pthread_mutex_unlock(&c->lock);
		entry_free(e);
		return;
	}
	evict_to(c, c->max_bytes - e->cost);
	slot = find_slot(c, k->object, k->account);   /* eviction may have moved the chain */
	e->hnext = *slot;
	*slot = e;
	lru_push(c, e);
	c->bytes += e->cost;
	c->st.entries++;
	c->st.stored++;
	pthread_mutex_unlock(&c->lock);
}

static void copy_out(const entry *e, const char *fill, buf *out)
{
	size_t at = 0, fl = fill ? strlen(fill) : 0;
	for (size_t i = 0; i < e->nholes; i++) {
		buf_append(out, e->body + at, e->holes[i] - at);
		buf_append(out, fill, fl);
		at = e->holes[i];
	}
	buf_append(out, e->body + at, e->len - at);
}

/* The entry for k, referenced for the caller; NULL on a miss. */
static entry *hit(page_cache *c, const page_key *k)
{
	pthread_mutex_lock(&c->lock);
	entry **slot = find_slot(c, k->object, k->account);
	entry *e = *slot;
	if (!e || e->key.mark != k->mark || e->key.day != k->day) {
		if (e && (e->key.mark < k->mark || e->key.day != k->day)) {
			drop(c, slot);   /* stale: what it shows has changed, or the day has */
			c->st.stale++;
		}
		c->st.misses++;
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	lru_unlink(c, e);
	lru_push(c, e);
	c->st.hits++;
	atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&c->lock);
	return e;
}

bool page_cache_get(page_cache *c, const page_key *k, const char *fill, buf *out, page_cache_head head, void *ctx)
{
	entry *e = hit(c, k);
	if (!e) return false;
	if (head) head(ctx, e->title, e->flag);
	copy_out(e, fill, out);
	entry_unref(e);
	return true;
}

struct page_loan {
	entry *e;
	char *fill;
	struct iovec iov[];
};

page_loan *page_cache_lend(page_cache *c, const page_key *k, const char *fill, page_cache_head head, void *ctx,
                           const struct iovec **iov, size_t *n)
{
	entry *e = hit(c, k);
	if (!e) return NULL;
	if (head) head(ctx, e->title, e->flag);
	page_loan *l = xmalloc(sizeof *l + (2 * e->nholes + 1) * sizeof l->iov[0]);
	l->e = e;
	l->fill = xstrdup(fill ? fill : "");
	size_t at = 0, m = 0, fl = strlen(l->fill);
	for (size_t i = 0; i < e->nholes; i++) {
		l->iov[m++] = (struct iovec){ e->body + at, e->holes[i] - at };
		l->iov[m++] = (struct iovec){ l->fill, fl };
		at = e->holes[i];
	}
	l->iov[m++] = (struct iovec){ e->body + at, e->len - at };
	*iov = l->iov;
	*n = m;
	return l;
}

void page_cache_lent_free(void *loan)
{
	page_loan *l = loan;
	if (!l) return;
	entry_unref(l->e);
	free(l->fill);
	free(l);
}

void page_cache_stats_get(page_cache *c, page_cache_stats *s)
{
	pthread_mutex_lock(&c->lock);
	*s = c->st;
	s->bytes = c->bytes;
	s->max_bytes = c->max_bytes;
	pthread_mutex_unlock(&c->lock);
}
