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

/* A mapping's identity as /proc/PID/maps prints it, and its binary. */
struct mapped_key {
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	const struct binsym *bin;
};

struct symcache {
	struct entry *entries;
	size_t count, cap;
	struct mapped_key *mapped;
	size_t nmapped, mapped_cap;
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
	free(cache->mapped);
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

int symcache__get_fd(struct symcache *cache, int fd, const char *path, const struct binsym **bin,
		     bool *held)
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
			if (held)
				*held = e->owner;
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
	if (held)
		*held = e->owner;
	return 0;
}

int symcache__get_mapped(struct symcache *cache, uint32_t dev_major, uint32_t dev_minor,
			 uint64_t inode, const struct binsym **bin)
{
	size_t i;

	if (!inode)
		return -ENOENT;
	for (i = 0; i < cache->nmapped; i++) {
		const struct mapped_key *k = &cache->mapped[i];

		if (k->inode == inode && k->dev_major == dev_major && k->dev_minor == dev_minor) {
			*bin = k->bin;
			return 0;
		}
	}
	return -ENOENT;
}

int symcache__note_mapped(struct symcache *cache, uint32_t dev_major, uint32_t dev_minor,
			  uint64_t inode, const struct binsym *bin)
{
	const struct binsym *known;

	if (!inode || !symcache__get_mapped(cache, dev_major, dev_minor, inode, &known))
		return 0;
	if (cache->nmapped == cache->mapped_cap) {
		size_t cap = cache->mapped_cap ? cache->mapped_cap * 2 : 64;
		struct mapped_key *grown = realloc(cache->mapped, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		cache->mapped = grown;
		cache->mapped_cap = cap;
	}
	cache->mapped[cache->nmapped++] = (struct mapped_key){ dev_major, dev_minor, inode, bin };
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
