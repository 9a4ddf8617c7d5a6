#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"

#define CHUNK_SIZE (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct entry {
	const char *str;
	uint32_t len;
	uint32_t hash32; /* cheap reject before memcmp */
};

struct strpool {
	struct chunk *chunks;
	struct entry *entries;
	uint32_t count, entries_cap;
	uint32_t *slots; /* open addressing: 0 empty, else id + 1 */
	uint32_t slots_cap; /* power of two */
	size_t chunk_bytes;
};

uint64_t strpool__hash(const void *data, size_t len)
{
	const unsigned char *bytes = data;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= bytes[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct strpool *strpool__new(void)
{
	struct strpool *pool = calloc(1, sizeof(*pool));
	uint32_t empty;

	if (!pool)
		return NULL;
	if (strpool__intern(pool, "", 0, &empty)) {
		strpool__free(pool);
		errno = ENOMEM;
		return NULL;
	}
	return pool;
}

void strpool__free(struct strpool *pool)
{
	struct chunk *c, *next;

	if (!pool)
		return;
	for (c = pool->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(pool->entries);
	free(pool->slots);
	free(pool);
}

static char *chunk_alloc(struct strpool *pool, size_t n)
{
	struct chunk *c = pool->chunks;
	char *p;

	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		/* Keep the roomier chunk at the head for the next allocation. */
		if (pool->chunks && n > CHUNK_SIZE) {
			c->next = pool->chunks->next;
			pool->chunks->next = c;
		} else {
			c->next = pool->chunks;
			pool->chunks = c;
		}
		pool->chunk_bytes += sizeof(*c) + size;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

static int grow_slots(struct strpool *pool)
{
	uint32_t new_cap = pool->slots_cap ? pool->slots_cap * 2 : 1024;
	uint32_t *slots, i;

	if (new_cap < pool->slots_cap)
		return -ENOMEM;
	slots = calloc(new_cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < pool->count; i++) {
		uint32_t pos = pool->entries[i].hash32 & (new_cap - 1);

		while (slots[pos])
			pos = (pos + 1) & (new_cap - 1);
		slots[pos] = i + 1;
	}
	free(pool->slots);
	pool->slots = slots;
	pool->slots_cap = new_cap;
	return 0;
}

int strpool__intern(struct strpool *pool, const char *s, size_t len, uint32_t *id)
{
	uint32_t hash32, pos;
	char *copy;
	int err;

	if (len > UINT32_MAX - 1)
		return -E2BIG;
	if ((uint64_t)(pool->count + 1) * 4 >= (uint64_t)pool->slots_cap * 3) {
		err = grow_slots(pool);
		if (err)
			return err;
	}
	hash32 = (uint32_t)strpool__hash(s, len);
	for (pos = hash32 & (pool->slots_cap - 1); pool->slots[pos];
	     pos = (pos + 1) & (pool->slots_cap - 1)) {
		const struct entry *e = &pool->entries[pool->slots[pos] - 1];

		if (e->hash32 == hash32 && e->len == len && !memcmp(e->str, s, len)) {
			*id = pool->slots[pos] - 1;
			return 0;
		}
	}
	if (pool->count == pool->entries_cap) {
		uint32_t cap = pool->entries_cap ? pool->entries_cap * 2 : 1024;
		struct entry *entries = realloc(pool->entries, cap * sizeof(*entries));

		if (!entries)
			return -ENOMEM;
		pool->entries = entries;
		pool->entries_cap = cap;
	}
	copy = chunk_alloc(pool, len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	pool->entries[pool->count] = (struct entry){ copy, (uint32_t)len, hash32 };
	pool->slots[pos] = pool->count + 1;
	*id = pool->count++;
	return 0;
}

int strpool__intern_str(struct strpool *pool, const char *s, uint32_t *id)
{
	return strpool__intern(pool, s, strlen(s), id);
}

const char *strpool__str(const struct strpool *pool, uint32_t id)
{
	return id < pool->count ? pool->entries[id].str : NULL;
}

size_t strpool__len(const struct strpool *pool, uint32_t id)
{
	return id < pool->count ? pool->entries[id].len : 0;
}

uint32_t strpool__count(const struct strpool *pool)
{
	return pool->count;
}

size_t strpool__bytes(const struct strpool *pool)
{
	return pool->chunk_bytes + (size_t)pool->entries_cap * sizeof(struct entry) +
	       (size_t)pool->slots_cap * sizeof(uint32_t);
}
