/* Whole-file reads for procfs, sysfs and cgroupfs, whose files report size 0
 * and must be read to EOF. */
#ifndef PODFLAME_FILEIO_H
#define PODFLAME_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Reads path (relative to dirfd when dirfd >= 0 and path is relative) into a
 * NUL-terminated malloc'd buffer. -EFBIG past max_len; -errno otherwise. */
int fileio__slurp_at(int dirfd, const char *path, char **text, size_t *len, size_t max_len);
int fileio__slurp(const char *path, char **text, size_t *len, size_t max_len);
/* Reads fd to EOF (same contract). */
int fileio__slurp_fd(int fd, char **text, size_t *len, size_t max_len);
/* First line of a small file, newline stripped, into buf. */
int fileio__read_line_at(int dirfd, const char *path, char *buf, size_t cap);
/* A file holding one unsigned decimal number. -EINVAL when it does not. */
int fileio__read_u64_at(int dirfd, const char *path, uint64_t *value);

#endif
