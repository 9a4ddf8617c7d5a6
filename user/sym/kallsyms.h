/* Kernel symbols from /proc/kallsyms (text symbols only), for kernel frames. */
#ifndef PODFLAME_KALLSYMS_H
#define PODFLAME_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct kallsyms;

struct kallsyms_stats {
	uint64_t lines;
	uint64_t symbols; /* text symbols kept */
	uint64_t malformed; /* lines that did not parse; skipped */
	uint64_t zero_addresses; /* kptr_restrict hid the addresses */
};

/* Parses kallsyms text from fd. NULL + errno (ENOMEM, or EPERM when every
 * address reads as zero: kptr_restrict without privilege). */
struct kallsyms *kallsyms__load_fd(int fd, struct kallsyms_stats *stats);
/* Parses a buffer (tests, fuzzing). */
struct kallsyms *kallsyms__load_mem(const char *buf, size_t len, struct kallsyms_stats *stats);
void kallsyms__free(struct kallsyms *ks);

/* The symbol containing addr: the highest symbol at or below it, when addr is
 * below the next symbol. -ENOENT otherwise. name stays valid until free;
 * module is NULL for the core kernel. */
int kallsyms__resolve(const struct kallsyms *ks, uint64_t addr, const char **name,
		      const char **module, uint64_t *offset);
size_t kallsyms__count(const struct kallsyms *ks);

#endif
