/* Reading a profile from a file in either format podflame reads: folded
 * text (Brendan Gregg's, from podflame, perf + stackcollapse, bcc) or pprof
 * (profile.proto), each plain or gzip-compressed. The format is sniffed from
 * the content, not the name: after gunzip, bytes that walk as a
 * profile.proto message (pprof__looks_like) are pprof, and so are bytes
 * with control characters (a damaged pprof: its error is reported as a
 * pprof's); anything else is folded text.
 *
 * Folded text becomes a profile with one location per frame and no
 * addresses; a frame ending in "_[k]" is a kernel frame (the suffix moves
 * to the function's kind, and back when written as folded). Malformed lines
 * and lines with a fractional count (pprof and the model count whole
 * samples) are skipped and counted in profile_load_info; nothing is dropped
 * silently. */
#ifndef PODFLAME_PROFILE_LOAD_H
#define PODFLAME_PROFILE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof.h"
#include "profile.h"

/* Bytes read from a file (compressed) before giving up with -EFBIG. */
#define PROFILE_LOAD_MAX_BYTES ((size_t)1 << 30)

enum profile_source {
	PROFILE_SOURCE_FOLDED,
	PROFILE_SOURCE_PPROF,
};

struct profile_load_info {
	enum profile_source source;
	bool gzip;
	struct pprof_read_info pprof; /* pprof input */
	/* Folded input. */
	uint64_t lines, stacks, malformed, fractional;
	double skipped_samples; /* counts on malformed-by-count (fractional) lines */
	uint64_t first_bad_line; /* 0 when none */
	const char *first_bad_reason; /* static string */
};

/* "folded" or "pprof". */
const char *profile_source__name(enum profile_source s);

/* Reads path ("-": stdin) into out, an empty profile from profile__new().
 * 0, -errno from open/read, -EFBIG, -EBADMSG (corrupt gzip or pprof: info
 * says what and where), -EOVERFLOW (counts adding up past PPROF_MAX_TOTAL),
 * -ENOMEM. info may not be NULL. */
int profile__load_file(const char *path, struct profile *out, struct profile_load_info *info);
/* The same for bytes in memory. */
int profile__load_mem(const void *data, size_t len, struct profile *out,
		      struct profile_load_info *info);

#endif
