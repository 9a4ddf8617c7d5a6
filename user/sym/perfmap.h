/* JIT symbols from /tmp/perf-PID.map ("START SIZE NAME" per line, hex), the
 * convention perf established for runtimes that generate code. */
#ifndef PODFLAME_PERFMAP_H
#define PODFLAME_PERFMAP_H

#include <stddef.h>
#include <stdint.h>

struct perfmap;

/* NULL + errno (ENOMEM). Malformed lines are counted in *malformed. */
struct perfmap *perfmap__parse(const char *text, size_t len, uint64_t *malformed);
void perfmap__free(struct perfmap *map);
/* -ENOENT when addr is in no entry; name valid until free. */
int perfmap__resolve(const struct perfmap *map, uint64_t addr, const char **name);
size_t perfmap__count(const struct perfmap *map);

#endif
