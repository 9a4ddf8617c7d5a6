/* Memory for the frame tree's big per-node arrays (megabytes, touched at
 * random): anonymous mappings aligned to 2 MiB and advised for transparent
 * huge pages. A 4 KiB page fault costs microseconds (far more in a VM) and
 * a TLB miss on every random access; a huge page has neither for 2 MiB.
 * Small sizes fall back to malloc. */
#ifndef PODFLAME_FG_BIGMEM_H
#define PODFLAME_FG_BIGMEM_H

#include <stddef.h>

/* Zeroed memory for bytes, or NULL. Free with fg_big_free(p, bytes). */
void *fg_big_alloc(size_t bytes);
void fg_big_free(void *p, size_t bytes);
/* Grows p from old to new bytes (contents kept, the rest zeroed); p may
 * move. NULL (p untouched) on failure. p may be NULL with old 0. */
void *fg_big_grow(void *p, size_t old, size_t new_bytes);

#endif
