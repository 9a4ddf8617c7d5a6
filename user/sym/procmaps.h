/* /proc/PID/maps parsing: the executable mappings of a process, which is all
 * the symbolizer needs to turn an address into (binary, file offset). */
#ifndef PODFLAME_PROCMAPS_H
#define PODFLAME_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct procmap {
	uint64_t start, end, offset;
	uint64_t inode;
	uint32_t dev_major, dev_minor;
	char perms[5]; /* "r-xp" */
	bool deleted; /* path ended in " (deleted)"; the suffix is stripped */
	const char *path; /* "" for anonymous; "[vdso]", "[heap]"... verbatim */
};

struct procmaps {
	struct procmap *maps; /* sorted by start, as the kernel prints them */
	size_t count;
	uint64_t malformed; /* lines skipped */
	char *text; /* owns the path strings */
};

/* Parses maps text; keeps only executable mappings when exec_only. 0 or
 * -ENOMEM. Malformed lines are counted, not fatal. */
int procmaps__parse(struct procmaps *out, const char *text, size_t len, bool exec_only);
/* Reads /proc/PID/maps. -ENOENT/-ESRCH when the process is gone. */
int procmaps__read_pid(struct procmaps *out, int pid, bool exec_only);
void procmaps__release(struct procmaps *maps);

/* The mapping containing addr, or NULL. */
const struct procmap *procmaps__find(const struct procmaps *maps, uint64_t addr);

#endif
