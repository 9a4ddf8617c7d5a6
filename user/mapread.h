/* Reading a whole BPF hash map: in batches where the kernel can (one
 * syscall per thousand entries instead of two per entry), one entry at a
 * time where it cannot (before 5.6). */
#ifndef PODFLAME_MAPREAD_H
#define PODFLAME_MAPREAD_H

#include <stddef.h>

/* Called once per entry; a non-zero return stops the walk and is returned. */
typedef int (*mapread_fn)(void *ctx, const void *key, const void *value);

/* Walks every entry of the map fd whose keys and values have these sizes.
 * Entries added during the walk may or may not be seen. 0 or -errno. */
int mapread__each(int fd, size_t key_size, size_t value_size, mapread_fn fn, void *ctx);

#endif
