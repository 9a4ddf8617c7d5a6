/* Interned strings: each distinct string stored once, addressed by a small id.
 * Strings live in fixed chunks that never move, so the pointers returned stay
 * valid until strpool__free(). Ids are dense, starting at 0 for "". */
#ifndef PODFLAME_STRPOOL_H
#define PODFLAME_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

struct strpool;

struct strpool *strpool__new(void);
void strpool__free(struct strpool *pool);

/* Interns s[0..len) (need not be NUL-terminated); sets *id. 0 or -ENOMEM. */
int strpool__intern(struct strpool *pool, const char *s, size_t len, uint32_t *id);
int strpool__intern_str(struct strpool *pool, const char *s, uint32_t *id);
/* The string for id, or NULL when id is out of range. */
const char *strpool__str(const struct strpool *pool, uint32_t id);
size_t strpool__len(const struct strpool *pool, uint32_t id);
uint32_t strpool__count(const struct strpool *pool);
/* Bytes held (string chunks plus index), for memory reports. */
size_t strpool__bytes(const struct strpool *pool);

/* 64-bit FNV-1a; shared by the hash tables that key on strings. */
uint64_t strpool__hash(const void *data, size_t len);

#endif
