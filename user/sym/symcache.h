/* Opened binaries, shared by every process that maps them: keyed by device,
 * inode and mtime, then by build id (the same binary copied into two
 * container images is parsed once). Also remembers files that failed. */
#ifndef PODFLAME_SYMCACHE_H
#define PODFLAME_SYMCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sym/binary.h"

struct symcache;

struct symcache_stats {
	uint64_t opened; /* binaries parsed */
	uint64_t hits; /* found by dev/inode/mtime */
	uint64_t build_id_hits; /* different file, same build id */
	uint64_t failed; /* could not be parsed (not ELF, corrupt) */
};

struct symcache *symcache__new(void);
/* Frees every binary; pointers handed out become invalid. */
void symcache__free(struct symcache *cache);

/* The binary open at fd (path for display). The cache owns the result,
 * valid until symcache__free. -errno when it cannot be parsed (the failure is
 * cached too). *held (when given) says whether the result is this very
 * file's parse, which the cache keeps mapped, rather than an identical
 * twin's found by build id. */
int symcache__get_fd(struct symcache *cache, int fd, const char *path, const struct binsym **bin,
		     bool *held);
/* The binary a mapping with this device and inode (as /proc/PID/maps
 * prints them) was found to be, without opening anything; -ENOENT when not
 * yet known. Sound because the cache keeps every binary it parsed mapped:
 * the inode stays referenced, so its number cannot pass to another file.
 * Not seen: a file rewritten in place while mapped (its mtime changes, its
 * inode does not), which also breaks the processes running it. */
int symcache__get_mapped(struct symcache *cache, uint32_t dev_major, uint32_t dev_minor,
			 uint64_t inode, const struct binsym **bin);
/* Remembers that identity after a symcache__get_fd that succeeded and said
 * the file is held. */
int symcache__note_mapped(struct symcache *cache, uint32_t dev_major, uint32_t dev_minor,
			  uint64_t inode, const struct binsym *bin);

/* Adds a binary built elsewhere (the vdso image); the cache takes it. */
int symcache__adopt(struct symcache *cache, struct binsym *bin);
void symcache__stats(const struct symcache *cache, struct symcache_stats *stats);

#endif
