/* Output files written atomically: to a temporary name in the same directory,
 * then renamed over the destination, so an interrupted run leaves the old file
 * or the whole new one, never half of one. "-" means stdout; an existing path
 * that is not a regular file (a device such as /dev/stdout, a FIFO) is
 * written in place, since renaming over it would replace the device. */
#ifndef PODFLAME_OUTFILE_H
#define PODFLAME_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *fp; /* write here between open and commit */
	char *path; /* destination; NULL for stdout */
	char *tmp_path; /* NULL when written in place */
};

/* 0 or -errno (e.g. -ENOENT for a missing directory, -EACCES). */
int outfile__open(struct outfile *out, const char *path);
/* Flushes, checks for write errors (ENOSPC, EPIPE...), fsyncs, renames.
 * On error the temporary file is removed. Always releases out. */
int outfile__commit(struct outfile *out);
/* Removes the temporary file; the destination is untouched. */
void outfile__abort(struct outfile *out);

/* Lower-case extension of path without the dot ("gz" for "x.pb.gz"), or "". */
const char *outfile__extension(const char *path);
/* True when path ends with suffix (e.g. ".pb.gz"). */
bool outfile__has_suffix(const char *path, const char *suffix);

#endif
