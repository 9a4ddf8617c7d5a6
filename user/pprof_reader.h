/* Private to the pprof reader (pprof_read.c, pprof_tables.c): the decoded
 * tables of one profile.proto message and the helpers both halves use.
 * pprof_tables.c turns the message into checked tables; pprof_read.c turns
 * the tables and the samples into a profile. */
#ifndef PODFLAME_PPROF_READER_H
#define PODFLAME_PPROF_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof.h"
#include "protobuf.h"

#define UNRESOLVED UINT32_MAX

struct strview {
	const uint8_t *data;
	size_t len;
};

struct rd_function {
	uint64_t id;
	uint64_t name, file; /* string indexes, checked */
};

struct rd_mapping {
	uint64_t id, start, limit, offset;
	uint64_t file, build_id;
	uint32_t out; /* profile mapping id, UNRESOLVED, or PROFILE_NO_MAPPING (kernel) */
	bool kernel;
};

struct rd_line {
	uint64_t function_id;
	int64_t line;
};

struct rd_location {
	uint64_t id, mapping_id, address;
	size_t first_line, nlines;
	uint32_t out; /* profile location id or UNRESOLVED */
};

/* id -> index, sorted by id for bsearch. */
struct id_index {
	uint64_t id;
	uint32_t idx;
};

struct u64_array {
	uint64_t *v;
	size_t n, cap;
};

struct reader {
	struct profile *out;
	struct pprof_read_info *info;
	struct pb_view top;
	struct strview *strs;
	uint32_t *str_ids; /* profile string id per table entry, UNRESOLVED */
	size_t nstrs;
	struct rd_function *fns;
	struct rd_mapping *maps;
	struct rd_location *locs;
	struct rd_line *lines;
	size_t nfns, nmaps, nlocs, nlines, lines_cap;
	struct id_index *fn_ids, *map_ids, *loc_ids;
	uint64_t *sample_types; /* (type, unit) string index pairs */
	size_t ntypes;
	uint64_t default_type, period_type[2];
	int64_t period;
	size_t value_index;
	bool divide_by_period;
	struct u64_array sample_locs, values;
	uint32_t *locs32;
	size_t locs32_cap;
	struct profile_line *scratch_lines;
	size_t scratch_cap;
	int64_t total; /* of the counts kept, capped at PPROF_MAX_TOTAL */
};

/* -EBADMSG, recording what and where in r->info. */
int pprof_rd__bad(struct reader *r, const char *what, size_t offset);
int pprof_rd__bad_view(struct reader *r, const struct pb_view *v);
/* 0 when idx is in the string table, else pprof_rd__bad. */
int pprof_rd__str_ok(struct reader *r, uint64_t idx, const struct pb_view *v);
/* String idx of the table, interned in the output profile. 0 or -ENOMEM. */
int pprof_rd__str_get(struct reader *r, uint64_t idx, const char **s);
bool pprof_rd__str_eq(const struct reader *r, uint64_t idx, const char *s);
/* Counts every table, allocates it, decodes strings, sample types,
 * functions, mappings, locations, period and times; indexes the ids. */
int pprof_rd__allocate_tables(struct reader *r);
int pprof_rd__decode_tables(struct reader *r);
int pprof_rd__index_ids(struct reader *r, const void *base, size_t stride, size_t n,
			struct id_index **out, const char *what);
/* Index of the record with this id. -ENOENT. */
int pprof_rd__find_id(const struct id_index *ids, size_t n, uint64_t id, uint32_t *idx);
void pprof_rd__release(struct reader *r);

#endif
