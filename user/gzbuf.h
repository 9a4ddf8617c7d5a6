/* gzip in memory, via zlib: inflating untrusted input with a cap on the
 * output (a gzip bomb is -EFBIG, not an OOM), deflating for writers. */
#ifndef PODFLAME_GZBUF_H
#define PODFLAME_GZBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when data starts with the gzip magic (1f 8b). */
bool gzbuf__is_gzip(const void *data, size_t len);

/* Inflates gzip data (several concatenated members, as gzip(1) allows) into a
 * malloc'd buffer with one spare NUL byte after *out_len. 0, -EFBIG when the
 * output would pass max_out, -EBADMSG for corrupt or truncated input (with
 * *err_offset the input byte where it was noticed, if err_offset), -ENOMEM. */
int gzbuf__inflate(const void *data, size_t len, size_t max_out, void **out, size_t *out_len,
		   size_t *err_offset);

/* Writes data gzip-compressed to fp (header without name or time, so the
 * same data always gives the same bytes). 0, -EIO on a write error, -ENOMEM. */
int gzbuf__deflate_to(const void *data, size_t len, FILE *fp);

#endif
