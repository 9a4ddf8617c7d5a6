#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sym/symcache.h"

/* A few dozen binaries per run at most, so linear search is the right tool. */
struct file_key {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	off_t size;
};

struct entry {
	struct file_key key;
	bool has_key; /* adopted binaries have none */
	struct binsym *bin; /* owned; NULL when the file failed */
	bool owner; /* false: shares another entry's bin (build-id hit) */
	int err;
};

struct symcache {
	struct entry *entries;
	size_t count, cap;
	struct symcache_stats stats;
};

struct symcache *symcache__new(void)
{
	return calloc(1, sizeof(struct symcache));
}

void symcache__free(struct symcache *cache)
{
	size_t i;

	if (!cache)
		return;
	for (i = 0; i < cache->count; i++)
		if (cache->entries[i].owner)
			binsym__free(cache->entries[i].bin);
	free(cache->entries);
	free(cache);
}

static bool same_key(const struct file_key *a, const struct file_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static struct entry *append(struct symcache *cache)
{
	if (cache->count == cache->cap) {
		size_t cap = cache->cap ? cache->cap * 2 : 32;
		struct entry *entries = realloc(cache->entries, cap * sizeof(*entries));

		if (!entries)
			return NULL;
		cache->entries = entries;
		cache->cap = cap;
	}
	memset(&cache->entries[cache->count], 0, sizeof(struct entry));
	return &cache->entries[cache->count++];
}

static const struct binsym *find_build_id(const struct symcache *cache, const char *build_id)
{
	size_t i;

	if (!*build_id)
		return NULL;
	for (i = 0; i < cache->count; i++) {
		const struct entry *e = &cache->entries[i];

		if (e->owner && e->bin && !strcmp(binsym__build_id(e->bin), build_id))
			return e->bin;
	}
	return NULL;
}

int symcache__get_fd(struct symcache *cache, int fd, const char *path,
		     const struct binsym **bin)
{
	struct file_key key;
	struct binsym *opened;
	const struct binsym *twin;
	struct entry *e;
	struct stat st;
	size_t i;

	if (fstat(fd, &st))
		return -errno;
	key = (struct file_key){ st.st_dev, st.st_ino, st.st_mtim, st.st_size };
	for (i = 0; i < cache->count; i++) {
		e = &cache->entries[i];
		if (e->has_key && same_key(&e->key, &key)) {
			cache->stats.hits++;
			*bin = e->bin;
			return e->bin ? 0 : e->err;
		}
	}
	opened = binsym__open_fd(fd, path);
	e = append(cache);
	if (!e) {
		binsym__free(opened);
		return -ENOMEM;
	}
	e->key = key;
	e->has_key = true;
	if (!opened) {
		e->err = errno ? -errno : -EIO;
		cache->stats.failed++;
		return e->err;
	}
	twin = find_build_id(cache, binsym__build_id(opened));
	if (twin) {
		/* Keep the first parse; this file is the same binary. */
		binsym__free(opened);
		e->bin = (struct binsym *)twin;
		cache->stats.build_id_hits++;
	} else {
		e->bin = opened;
		e->owner = true;
		cache->stats.opened++;
	}
	*bin = e->bin;
	return 0;
}

int symcache__adopt(struct symcache *cache, struct binsym *bin)
{
	struct entry *e = append(cache);

	if (!e)
		return -ENOMEM;
	e->bin = bin;
	e->owner = true;
	return 0;
}

void symcache__stats(const struct symcache *cache, struct symcache_stats *stats)
{
	*stats = cache->stats;
}
