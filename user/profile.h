/* The one in-memory profile: what record produces and every output reads.
 * Shaped like pprof's profile.proto so that export loses nothing:
 *   sample   -> locations, leaf first, + count (+ process name and pid)
 *   location -> address + mapping + lines (inlined frames, innermost first)
 *   line     -> function + line number; function -> name, file, kind
 * Identical stacks are merged on insert. Strings live in one pool; every
 * pointer or id handed out stays valid until profile__free(). */
#ifndef PODFLAME_PROFILE_H_USER
#define PODFLAME_PROFILE_H_USER

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "strpool.h"

#define PROFILE_NO_MAPPING UINT32_MAX
#define PROFILE_NO_STRING UINT32_MAX

struct profile_function {
	uint32_t name; /* strpool id */
	uint32_t folded_name; /* name as folded text shows it: "_[k]" on kernel frames */
	uint32_t file; /* strpool id; 0 ("") when unknown */
	enum frame_kind kind;
};

struct profile_line {
	uint32_t function; /* index into functions */
	uint32_t line; /* 0 when unknown */
};

struct profile_mapping {
	uint64_t start, limit, offset; /* runtime range and file offset */
	uint32_t file; /* strpool id */
	uint32_t build_id; /* strpool id, hex; 0 when none */
};

struct profile_location {
	uint64_t address; /* runtime address; 0 for locations from folded text */
	uint32_t mapping; /* index, or PROFILE_NO_MAPPING */
	uint32_t first_line, nlines; /* into lines; innermost first */
};

struct profile_sample {
	uint32_t first_loc, nlocs; /* into sample_locs; leaf first */
	int64_t count;
	uint32_t comm; /* strpool id of the process name, or PROFILE_NO_STRING */
	uint32_t pid; /* 0 when unknown */
};

/* What the profile measured. */
struct profile_meta {
	uint32_t frequency_hz; /* 0 when unknown (folded input) */
	int64_t period_ns; /* cpu/nanoseconds per sample: 1e9 / frequency */
	int64_t time_ns; /* start, Unix epoch */
	int64_t duration_ns;
};

struct profile {
	struct strpool *strings;
	struct profile_function *functions;
	struct profile_line *lines;
	struct profile_mapping *mappings;
	struct profile_location *locations;
	uint32_t *sample_locs;
	struct profile_sample *samples;
	size_t nfunctions, nlines, nmappings, nlocations, nsample_locs, nsamples;
	struct profile_meta meta;
	struct profile_index *index; /* private: dedup tables */
};

struct profile *profile__new(void);
void profile__free(struct profile *p);

/* Each returns 0 or -errno and sets *id; equal inputs give equal ids. */
int profile__intern_string(struct profile *p, const char *s, uint32_t *id);
int profile__add_function(struct profile *p, const char *name, const char *file,
			  enum frame_kind kind, uint32_t *id);
int profile__add_mapping(struct profile *p, const struct profile_mapping *m, uint32_t *id);
/* Locations with an address are deduplicated by (mapping, address); those
 * without (folded input) by their lines. lines[] is innermost first. */
int profile__add_location(struct profile *p, uint64_t address, uint32_t mapping,
			  const struct profile_line *lines, size_t nlines, uint32_t *id);
/* Adds count to the sample with these locations (leaf first), comm and pid,
 * creating it when new. comm may be NULL. */
int profile__add_sample(struct profile *p, const uint32_t *locs, size_t nlocs, int64_t count,
			const char *comm, uint32_t pid);

const char *profile__str(const struct profile *p, uint32_t id);
int64_t profile__total(const struct profile *p);

/* Expands a sample into frame names root first, inlined frames in call
 * order, the process name first when with_comm and known. folded_names
 * picks profile_function.folded_name ("_[k]" suffix on kernel frames, as
 * stackcollapse-perf.pl --all writes them). out grows as needed. Returns
 * the number of frames or -ENOMEM. Names stay valid until profile__free. */
struct profile_names {
	const char **names;
	enum frame_kind *kinds;
	size_t cap;
};
int profile_names__init(struct profile_names *out, size_t cap);
void profile_names__release(struct profile_names *out);
int profile__sample_names(const struct profile *p, size_t sample, bool with_comm, bool folded_names,
			  struct profile_names *out);

/* Sorts samples by their expanded stack text (with or without the process
 * name first) so every writer is
 * deterministic whatever the insertion order. */
int profile__sort_samples(struct profile *p, bool with_comm);

#endif
