/* One process's code, captured while it is alive: its executable mappings,
 * each tied to an opened binary (through /proc/PID/map_files, so deleted
 * files and binaries inside containers resolve), the vdso, and JIT symbols.
 * A snapshot keeps working after the process exits. */
#ifndef PODFLAME_PROCSYM_H
#define PODFLAME_PROCSYM_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "sym/binary.h"
#include "sym/procmaps.h"
#include "sym/symcache.h"

struct procsym;

struct procsym_stats {
	uint64_t mappings; /* executable mappings seen */
	uint64_t unreadable; /* mappings whose binary could not be opened/parsed */
	uint64_t maps_malformed; /* lines of /proc/PID/maps that did not parse */
	uint64_t jit_malformed; /* lines of perf-PID.map that did not parse */
};

/* Where an address landed, whether or not it has a symbol. */
struct addr_location {
	const struct procmap *map; /* NULL: in no executable mapping */
	const struct binsym *bin; /* NULL: no readable binary behind it */
	uint64_t vaddr; /* ELF virtual address (when bin) */
	uint64_t file_offset; /* addr - map->start + map->offset */
	const char *module; /* basename of the mapping's path, or "[anon]" */
};

/* Snapshots pid. vdso (may be NULL) is used for "[vdso]" mappings; the
 * cache must outlive the snapshot. NULL + errno (ESRCH/ENOENT when the
 * process is gone, ENOMEM). Unreadable binaries are counted, not fatal. */
struct procsym *procsym__snapshot(int pid, struct symcache *cache, const struct binsym *vdso,
				  struct procsym_stats *stats);
void procsym__free(struct procsym *ps);

/* Resolves addr. Returns the number of frames (>= 1, innermost first), 0
 * when the address is in a mapping but has no symbol (loc says where), or
 * -ENOENT when it is in no executable mapping. */
int procsym__resolve(const struct procsym *ps, uint64_t addr, struct addr_location *loc,
		     struct sym_frame *frames, size_t cap);

/* Where addr lands, without symbolizing: 0, or -ENOENT when it is in no
 * executable mapping. */
int procsym__locate(const struct procsym *ps, uint64_t addr, struct addr_location *loc);

/* Where bin's virtual address vaddr is mapped in this process. -ENOENT
 * when no mapping of bin covers it. */
int procsym__addr_of(const struct procsym *ps, const struct binsym *bin, uint64_t vaddr,
		     uint64_t *addr);

/* The process's main executable (the mapping named like /proc/PID/exe)
 * when the process maps a Go binary (the only case it is needed for); NULL
 * otherwise or when unknown. */
const struct binsym *procsym__main_binary(const struct procsym *ps);

/* A binsym for this machine's vdso, read from our own process: the kernel
 * maps the same image into every process. NULL + errno. */
struct binsym *procsym__open_vdso(void);

#endif
