/* The profile model <-> pprof's profile.proto (github.com/google/pprof,
 * proto/profile.proto), gzip-compressed as `go tool pprof` expects.
 *
 * Written:
 *   sample_type   [samples/count, cpu/nanoseconds]; values [n, n * period]
 *                 (only samples/count when the period is unknown, meta.period_ns 0)
 *   period_type   cpu/nanoseconds, period = meta.period_ns (1e9 / F)
 *   sample        location ids leaf first; labels "comm" (string) and "pid"
 *                 (number) when known: the process is a label, not a frame
 *   location      address and mapping when the profile has them (record);
 *                 inlined frames as several lines, innermost first, as Go
 *                 writes them. Profiles from folded text have no addresses:
 *                 their locations carry only lines.
 *   mapping       start, limit, offset, file, build id; kernel locations get
 *                 one mapping named "[kernel.kallsyms]" (as perf_to_profile
 *                 does), which is how a reader tells kernel frames apart
 *   function      name (= system_name) and file
 * Ids are assigned in order of first use by the samples sorted by stack, so
 * the same profile always gives the same bytes, whatever the order it was
 * built in. Locations no sample uses are not written.
 *
 * Read: any valid profile.proto, plain or gzipped (Go's runtime/pprof,
 * perf_to_profile, podflame). Counts come from the samples/count value when
 * there is one, else cpu/nanoseconds divided by the period, else the last
 * sample type (pprof's default). Labels "comm" and "pid" (or "process_name"
 * / "thread_name") become the sample's process; other labels are dropped
 * (their samples merge). Locations without lines get a synthetic frame
 * "file+0xOFFSET" (or "0xADDRESS"), counted in pprof_read_info. Every
 * length, index and id is checked; counts of entries are capped before they
 * size anything. */
#ifndef PODFLAME_PPROF_H
#define PODFLAME_PPROF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"
#include "protobuf.h"

#define PPROF_KERNEL_MAPPING "[kernel.kallsyms]"
/* Inflated size past which a pprof is refused (-EFBIG). */
#define PPROF_MAX_BYTES ((size_t)1 << 30)
/* Entries of any one table (strings, functions, locations, mappings,
 * samples) past which a pprof is refused (-E2BIG). */
#define PPROF_MAX_ENTRIES ((size_t)1 << 24)
/* Counts of a profile must add up to less than this (-EBADMSG), so that no
 * sum of them overflows an int64_t. */
#define PPROF_MAX_TOTAL ((int64_t)1 << 62)

/* Encodes p as an uncompressed profile.proto message into out (appended).
 * Sorts p's samples. 0 or -errno. */
int pprof__encode(struct profile *p, struct pb_buf *out);
/* Encodes and writes gzip-compressed to fp. 0 or -errno (-EIO: fp failed). */
int pprof__write(struct profile *p, FILE *fp);

struct pprof_read_info {
	char sample_type[64]; /* the value used as counts: "samples/count" */
	uint64_t samples_read; /* Sample messages */
	uint64_t samples_skipped; /* with a negative or zero count */
	uint64_t unsymbolized_locations; /* without lines: synthetic frame names */
	uint64_t kernel_locations; /* on the kernel mapping */
	uint64_t empty_stacks; /* samples without locations: frame "[no stack]" */
	/* With -EBADMSG: what and where (offset in the decompressed message,
	 * or in the gzip stream when gzip_error). */
	const char *error;
	size_t error_offset;
	int gzip_error;
};

/* Reads a pprof (gzip sniffed by its magic) into out, an empty profile from
 * profile__new(). max_bytes caps the inflated size (0: PPROF_MAX_BYTES).
 * info may be NULL. 0, -EBADMSG (info says what), -EFBIG, -E2BIG, -ENOMEM. */
int pprof__read(const void *data, size_t len, size_t max_bytes, struct profile *out,
		struct pprof_read_info *info);

/* True when data (uncompressed) walks as a profile.proto message: every
 * top-level field has the wire type profile.proto gives it and the string
 * table starts with "". Cheap; used to tell pprof from folded text. */
bool pprof__looks_like(const void *data, size_t len);

#endif
