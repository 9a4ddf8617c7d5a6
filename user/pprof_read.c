/* profile.proto -> profile. Untrusted input: every index and id is checked
 * before use, tables are sized by counting their entries in the input (so by
 * the input's size, itself capped), never by a number the input states. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gzbuf.h"
#include "pprof.h"

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

static int bad(struct reader *r, const char *what, size_t offset)
{
	r->info->error = what;
	r->info->error_offset = offset;
	return -EBADMSG;
}

static int bad_view(struct reader *r, const struct pb_view *v)
{
	return bad(r, "malformed protobuf", v->err_offset);
}

/* The wire type profile.proto gives each top-level field; 0xff: unknown
 * field (skipped, as protobuf readers do). Field 13 (comment) is repeated
 * int64: packed or not. */
static int top_wire_ok(const struct pb_field *f)
{
	switch (f->number) {
	case 1: case 2: case 3: case 4: case 5: case 6: case 11: case 15:
		return f->wire == PB_LEN;
	case 7: case 8: case 9: case 10: case 12: case 14:
		return f->wire == PB_VARINT;
	case 13:
		return f->wire == PB_VARINT || f->wire == PB_LEN;
	default:
		return 1;
	}
}

bool pprof__looks_like(const void *data, size_t len)
{
	struct pb_view v;
	struct pb_field f;
	bool strings = false;
	int rc;

	pb_view__init(&v, data, len);
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (!top_wire_ok(&f))
			return false;
		if (f.number == 6 && !strings) {
			if (f.sub.len)
				return false; /* string_table[0] must be "" */
			strings = true;
		}
	}
	return rc == 0 && strings;
}

static int str_ok(struct reader *r, uint64_t idx, const struct pb_view *v)
{
	return idx < r->nstrs ? 0 : bad(r, "string index out of range", v->base_offset);
}

/* A string of the table, interned in the output profile. */
static int str_get(struct reader *r, uint64_t idx, const char **s)
{
	int err;

	if (r->str_ids[idx] == UNRESOLVED) {
		err = strpool__intern(r->out->strings, (const char *)r->strs[idx].data,
				      r->strs[idx].len, &r->str_ids[idx]);
		if (err)
			return err;
	}
	*s = profile__str(r->out, r->str_ids[idx]);
	return 0;
}

static bool str_eq(const struct reader *r, uint64_t idx, const char *s)
{
	size_t n = strlen(s);

	return idx < r->nstrs && r->strs[idx].len == n && !memcmp(r->strs[idx].data, s, n);
}

/* ---- pass 1: count, then decode the tables ---------------------------- */

static int count_tables(struct reader *r, size_t counts[16])
{
	struct pb_view v = r->top;
	struct pb_field f;
	int rc;

	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (!top_wire_ok(&f))
			return bad(r, "field with the wrong wire type", f.sub.base_offset);
		if (f.number < 16 && ++counts[f.number] > PPROF_MAX_ENTRIES)
			return -E2BIG;
	}
	return rc < 0 ? bad_view(r, &v) : 0;
}

static int decode_value_type(struct reader *r, struct pb_view v, uint64_t out[2])
{
	struct pb_field f;
	int rc;

	out[0] = out[1] = 0;
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if ((f.number == 1 || f.number == 2) && f.wire == PB_VARINT) {
			if (str_ok(r, f.value, &v))
				return -EBADMSG;
			out[f.number - 1] = f.value;
		}
	}
	return rc < 0 ? bad_view(r, &v) : 0;
}

static int decode_function(struct reader *r, struct pb_view v, struct rd_function *fn)
{
	struct pb_field f;
	int rc;

	memset(fn, 0, sizeof(*fn));
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (f.wire != PB_VARINT)
			continue;
		if (f.number == 1)
			fn->id = f.value;
		else if (f.number == 2 || f.number == 4) {
			if (str_ok(r, f.value, &v))
				return -EBADMSG;
			*(f.number == 2 ? &fn->name : &fn->file) = f.value;
		}
	}
	return rc < 0 ? bad_view(r, &v) : 0;
}

static int decode_mapping(struct reader *r, struct pb_view v, struct rd_mapping *m)
{
	struct pb_field f;
	int rc;

	memset(m, 0, sizeof(*m));
	m->out = UNRESOLVED;
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (f.wire != PB_VARINT)
			continue;
		switch (f.number) {
		case 1: m->id = f.value; break;
		case 2: m->start = f.value; break;
		case 3: m->limit = f.value; break;
		case 4: m->offset = f.value; break;
		case 5:
		case 6:
			if (str_ok(r, f.value, &v))
				return -EBADMSG;
			*(f.number == 5 ? &m->file : &m->build_id) = f.value;
			break;
		}
	}
	if (rc < 0)
		return bad_view(r, &v);
	m->kernel = m->file < r->nstrs && r->strs[m->file].len >= 7 &&
		    !memcmp(r->strs[m->file].data, "[kernel", 7);
	return 0;
}

static int add_line(struct reader *r, struct pb_view v)
{
	struct rd_line line = { 0 };
	struct pb_field f;
	int rc;

	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (f.wire != PB_VARINT)
			continue;
		if (f.number == 1)
			line.function_id = f.value;
		else if (f.number == 2)
			line.line = (int64_t)f.value;
	}
	if (rc < 0)
		return bad_view(r, &v);
	if (r->nlines == r->lines_cap) {
		size_t cap = r->lines_cap ? r->lines_cap * 2 : 1024;
		struct rd_line *grown = realloc(r->lines, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		r->lines = grown;
		r->lines_cap = cap;
	}
	r->lines[r->nlines++] = line;
	return 0;
}

static int decode_location(struct reader *r, struct pb_view v, struct rd_location *loc)
{
	struct pb_field f;
	int rc, err;

	memset(loc, 0, sizeof(*loc));
	loc->out = UNRESOLVED;
	loc->first_line = r->nlines;
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (f.number == 4 && f.wire == PB_LEN) {
			if ((err = add_line(r, f.sub)))
				return err;
			continue;
		}
		if (f.wire != PB_VARINT)
			continue;
		if (f.number == 1)
			loc->id = f.value;
		else if (f.number == 2)
			loc->mapping_id = f.value;
		else if (f.number == 3)
			loc->address = f.value;
	}
	if (rc < 0)
		return bad_view(r, &v);
	loc->nlines = r->nlines - loc->first_line;
	return 0;
}

static int decode_tables(struct reader *r)
{
	struct pb_view v = r->top;
	struct pb_field f;
	size_t nst = 0;
	int rc, err = 0;

	/* Strings first: every other table refers to them. */
	while ((rc = pb_view__next(&v, &f)) == 1)
		if (f.number == 6)
			r->strs[r->nstrs++] = (struct strview){ f.sub.data, f.sub.len };
	if (!r->nstrs || r->strs[0].len)
		return bad(r, "string_table[0] is not \"\"", 0);
	v = r->top;
	while (!err && (rc = pb_view__next(&v, &f)) == 1) {
		switch (f.number) {
		case 1:
			err = decode_value_type(r, f.sub, &r->sample_types[2 * nst++]);
			break;
		case 3:
			err = decode_mapping(r, f.sub, &r->maps[r->nmaps++]);
			break;
		case 4:
			err = decode_location(r, f.sub, &r->locs[r->nlocs++]);
			break;
		case 5:
			err = decode_function(r, f.sub, &r->fns[r->nfns++]);
			break;
		case 9:
			r->out->meta.time_ns = (int64_t)f.value;
			break;
		case 10:
			r->out->meta.duration_ns = (int64_t)f.value;
			break;
		case 11:
			err = decode_value_type(r, f.sub, r->period_type);
			break;
		case 12:
			r->period = (int64_t)f.value;
			break;
		case 14:
			r->default_type = f.value;
			break;
		}
	}
	r->ntypes = nst;
	return err;
}

/* ---- ids ---------------------------------------------------------------- */

static int compare_ids(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorted id -> index table of n records whose id is at (base + i * stride). */
static int index_ids(struct reader *r, const void *base, size_t stride, size_t n,
		     struct id_index **out, const char *what)
{
	struct id_index *ids = calloc(n + 1, sizeof(*ids));
	size_t i;

	if (!ids)
		return -ENOMEM;
	*out = ids;
	for (i = 0; i < n; i++) {
		ids[i].id = *(const uint64_t *)((const char *)base + i * stride);
		ids[i].idx = (uint32_t)i;
		if (!ids[i].id)
			return bad(r, what, 0);
	}
	qsort(ids, n, sizeof(*ids), compare_ids);
	for (i = 1; i < n; i++)
		if (ids[i].id == ids[i - 1].id)
			return bad(r, what, 0);
	return 0;
}

static int find_id(const struct id_index *ids, size_t n, uint64_t id, uint32_t *idx)
{
	struct id_index key = { .id = id };
	const struct id_index *hit = bsearch(&key, ids, n, sizeof(*ids), compare_ids);

	if (!hit)
		return -ENOENT;
	*idx = hit->idx;
	return 0;
}

/* ---- locations into the profile, on first use ------------------------- */

static int resolve_mapping(struct reader *r, struct rd_mapping *m)
{
	struct profile_mapping pm = { .start = m->start, .limit = m->limit, .offset = m->offset };
	const char *s;
	int err;

	if (m->out != UNRESOLVED)
		return 0;
	if (m->kernel) {
		/* The kernel mapping only marks frames as kernel ones; the
		 * model keeps kernel locations without a mapping. */
		m->out = PROFILE_NO_MAPPING;
		return 0;
	}
	if ((err = str_get(r, m->file, &s)) || (err = profile__intern_string(r->out, s, &pm.file)))
		return err;
	if ((err = str_get(r, m->build_id, &s)) ||
	    (err = profile__intern_string(r->out, s, &pm.build_id)))
		return err;
	return profile__add_mapping(r->out, &pm, &m->out);
}

static enum frame_kind kind_of(const char *name, const char *file, bool kernel)
{
	size_t n = strlen(file);

	if (kernel)
		return FRAME_KERNEL;
	if (!*name || name[0] == '[')
		return FRAME_UNKNOWN; /* "[unknown]", "[lost: ...]" markers */
	if (n > 3 && !strcmp(file + n - 3, ".go"))
		return FRAME_GO;
	return FRAME_NATIVE;
}

/* A frame for a location without lines: what record names such frames. */
static int synthetic_function(struct reader *r, const struct rd_location *loc,
			      const struct rd_mapping *m, uint32_t *fn)
{
	char name[320];
	const char *file = "", *base;
	int err;

	r->info->unsymbolized_locations++;
	if (m && (err = str_get(r, m->file, &file)))
		return err;
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (m && *base)
		snprintf(name, sizeof(name), "%.255s+0x%" PRIx64, base,
			 loc->address - m->start + m->offset);
	else if (loc->address)
		snprintf(name, sizeof(name), "0x%" PRIx64, loc->address);
	else
		snprintf(name, sizeof(name), "[unknown]");
	return profile__add_function(r->out, name, NULL, m && m->kernel ? FRAME_KERNEL : FRAME_UNKNOWN,
				     fn);
}

static int scratch_reserve(struct reader *r, size_t n)
{
	struct profile_line *grown;

	if (n <= r->scratch_cap)
		return 0;
	grown = realloc(r->scratch_lines, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	r->scratch_lines = grown;
	r->scratch_cap = n;
	return 0;
}

static int resolve_line(struct reader *r, const struct rd_line *line, bool kernel,
			struct profile_line *out)
{
	const struct rd_function *fn;
	const char *name, *file;
	uint32_t idx;
	int err;

	if (find_id(r->fn_ids, r->nfns, line->function_id, &idx))
		return bad(r, "line refers to a function id that does not exist", 0);
	fn = &r->fns[idx];
	if ((err = str_get(r, fn->name, &name)) || (err = str_get(r, fn->file, &file)))
		return err;
	out->line = line->line > 0 && line->line <= UINT32_MAX ? (uint32_t)line->line : 0;
	return profile__add_function(r->out, name, file, kind_of(name, file, kernel),
				     &out->function);
}

static int resolve_location(struct reader *r, struct rd_location *loc)
{
	struct rd_mapping *m = NULL;
	uint32_t idx, mapping = PROFILE_NO_MAPPING;
	size_t i, n = 0;
	int err;

	if (loc->out != UNRESOLVED)
		return 0;
	if (loc->mapping_id) {
		if (find_id(r->map_ids, r->nmaps, loc->mapping_id, &idx))
			return bad(r, "location refers to a mapping id that does not exist", 0);
		m = &r->maps[idx];
		if ((err = resolve_mapping(r, m)))
			return err;
		mapping = m->out;
		r->info->kernel_locations += m->kernel;
	}
	if ((err = scratch_reserve(r, loc->nlines + 1)))
		return err;
	/* Lines with function id 0 name nothing (Go leaves their function
	 * nil); the location keeps the others. */
	for (i = 0; i < loc->nlines; i++) {
		const struct rd_line *line = &r->lines[loc->first_line + i];

		if (!line->function_id)
			continue;
		err = resolve_line(r, line, m && m->kernel, &r->scratch_lines[n++]);
		if (err)
			return err;
	}
	if (!n) {
		r->scratch_lines[0].line = 0;
		if ((err = synthetic_function(r, loc, m, &r->scratch_lines[0].function)))
			return err;
		n = 1;
	}
	return profile__add_location(r->out, loc->address, mapping, r->scratch_lines, n, &loc->out);
}

/* ---- pass 2: samples ---------------------------------------------------- */

static int push_u64(void *ctx, uint64_t v)
{
	struct u64_array *a = ctx;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		uint64_t *grown = realloc(a->v, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		a->v = grown;
		a->cap = cap;
	}
	a->v[a->n++] = v;
	return 0;
}

struct sample_labels {
	uint64_t comm; /* string index, 0 when none */
	int64_t pid;
};

static int decode_label(struct reader *r, struct pb_view v, struct sample_labels *labels)
{
	uint64_t key = 0, str = 0;
	int64_t num = 0;
	struct pb_field f;
	int rc;

	while ((rc = pb_view__next(&v, &f)) == 1) {
		if (f.wire != PB_VARINT)
			continue;
		if (f.number == 1)
			key = f.value;
		else if (f.number == 2)
			str = f.value;
		else if (f.number == 3)
			num = (int64_t)f.value;
	}
	if (rc < 0)
		return bad_view(r, &v);
	if (str_ok(r, key, &v) || str_ok(r, str, &v))
		return -EBADMSG;
	if (str && (str_eq(r, key, "comm") || str_eq(r, key, "process_name")))
		labels->comm = str;
	else if (num > 0 && num <= UINT32_MAX && str_eq(r, key, "pid"))
		labels->pid = num;
	return 0;
}

static int decode_sample(struct reader *r, struct pb_view v, struct sample_labels *labels)
{
	struct pb_field f;
	int rc, err = 0;

	r->sample_locs.n = r->values.n = 0;
	while (!err && (rc = pb_view__next(&v, &f)) == 1) {
		if (f.number == 1)
			err = pb_field__each_varint(&f, push_u64, &r->sample_locs);
		else if (f.number == 2)
			err = pb_field__each_varint(&f, push_u64, &r->values);
		else if (f.number == 3 && f.wire == PB_LEN)
			err = decode_label(r, f.sub, labels);
	}
	if (err == -EBADMSG && !r->info->error)
		return bad(r, "malformed sample", v.base_offset);
	if (err)
		return err;
	return rc < 0 ? bad_view(r, &v) : 0;
}

static int sample_count(struct reader *r, int64_t *count)
{
	int64_t v;

	if (r->values.n != r->ntypes)
		return bad(r, "sample has a different number of values than sample types", 0);
	v = (int64_t)r->values.v[r->value_index];
	if (r->divide_by_period)
		v = v / r->period + (v % r->period >= (r->period + 1) / 2);
	*count = v;
	return 0;
}

static int reserve_locs32(struct reader *r, size_t n)
{
	uint32_t *grown;

	if (n <= r->locs32_cap)
		return 0;
	grown = realloc(r->locs32, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	r->locs32 = grown;
	r->locs32_cap = n;
	return 0;
}

/* The sample's locations as profile location ids, in r->locs32; *n of them. */
static int sample_locations(struct reader *r, const struct pb_view *v, size_t *n)
{
	struct profile_line line = { 0 };
	uint32_t idx;
	size_t i;
	int err;

	if ((err = reserve_locs32(r, r->sample_locs.n + 1)))
		return err;
	if (!r->sample_locs.n) {
		/* pprof allows a sample without a stack; keep its count visible
		 * under a marker frame rather than drop it from every stack view. */
		r->info->empty_stacks++;
		*n = 1;
		err = profile__add_function(r->out, "[no stack]", NULL, FRAME_UNKNOWN, &line.function);
		return err ? err
			   : profile__add_location(r->out, 0, PROFILE_NO_MAPPING, &line, 1,
						   &r->locs32[0]);
	}
	for (i = 0; i < r->sample_locs.n; i++) {
		if (find_id(r->loc_ids, r->nlocs, r->sample_locs.v[i], &idx))
			return bad(r, "sample refers to a location id that does not exist",
				   v->base_offset);
		if ((err = resolve_location(r, &r->locs[idx])))
			return err;
		r->locs32[i] = r->locs[idx].out;
	}
	*n = r->sample_locs.n;
	return 0;
}

static int add_sample(struct reader *r, struct pb_view v)
{
	struct sample_labels labels = { 0 };
	const char *comm = NULL;
	int64_t count;
	size_t n;
	int err;

	r->info->samples_read++;
	if ((err = decode_sample(r, v, &labels)) || (err = sample_count(r, &count)))
		return err;
	if (count <= 0) {
		r->info->samples_skipped++;
		return 0;
	}
	/* Every sum of counts downstream (merged samples, totals, per
	 * function) stays below this, so none can overflow. */
	if (count > PPROF_MAX_TOTAL - r->total)
		return bad(r, "sample counts add up past 2^62", v.base_offset);
	r->total += count;
	if ((err = sample_locations(r, &v, &n)))
		return err;
	if (labels.comm && (err = str_get(r, labels.comm, &comm)))
		return err;
	return profile__add_sample(r->out, r->locs32, n, count, comm, (uint32_t)labels.pid);
}

/* ---- choosing what to count -------------------------------------------- */

static void choose_value(struct reader *r)
{
	size_t i, chosen = r->ntypes ? r->ntypes - 1 : 0;
	bool found = false;

	for (i = 0; i < r->ntypes && !found; i++) {
		if (str_eq(r, r->sample_types[2 * i], "samples") &&
		    str_eq(r, r->sample_types[2 * i + 1], "count"))
			chosen = i, found = true;
	}
	for (i = 0; i < r->ntypes && !found; i++) {
		if (str_eq(r, r->sample_types[2 * i], "cpu") &&
		    str_eq(r, r->sample_types[2 * i + 1], "nanoseconds") && r->period > 0 &&
		    str_eq(r, r->period_type[1], "nanoseconds"))
			chosen = i, found = r->divide_by_period = true;
	}
	for (i = 0; i < r->ntypes && !found; i++)
		if (r->default_type && r->sample_types[2 * i] == r->default_type)
			chosen = i, found = true;
	r->value_index = chosen;
	if (r->ntypes) {
		const struct strview *type = &r->strs[r->sample_types[2 * chosen]];
		const struct strview *unit = &r->strs[r->sample_types[2 * chosen + 1]];

		snprintf(r->info->sample_type, sizeof(r->info->sample_type), "%.*s/%.*s",
			 (int)(type->len < 30 ? type->len : 30), (const char *)type->data,
			 (int)(unit->len < 30 ? unit->len : 30), (const char *)unit->data);
	}
	if (str_eq(r, r->period_type[0], "cpu") && str_eq(r, r->period_type[1], "nanoseconds") &&
	    r->period > 0) {
		r->out->meta.period_ns = r->period;
		if (r->period <= 1000000000)
			r->out->meta.frequency_hz =
				(uint32_t)((1000000000 + r->period / 2) / r->period);
	}
}

/* ---- the whole message -------------------------------------------------- */

static int allocate_tables(struct reader *r)
{
	size_t counts[16] = { 0 };
	int err = count_tables(r, counts);

	if (err)
		return err;
	r->strs = calloc(counts[6] + 1, sizeof(*r->strs));
	r->str_ids = malloc((counts[6] + 1) * sizeof(*r->str_ids));
	r->sample_types = calloc(2 * counts[1] + 2, sizeof(*r->sample_types));
	r->maps = calloc(counts[3] + 1, sizeof(*r->maps));
	r->locs = calloc(counts[4] + 1, sizeof(*r->locs));
	r->fns = calloc(counts[5] + 1, sizeof(*r->fns));
	if (!r->strs || !r->str_ids || !r->sample_types || !r->maps || !r->locs || !r->fns)
		return -ENOMEM;
	memset(r->str_ids, 0xff, (counts[6] + 1) * sizeof(*r->str_ids));
	return 0;
}

static void release(struct reader *r)
{
	free(r->strs);
	free(r->str_ids);
	free(r->sample_types);
	free(r->maps);
	free(r->locs);
	free(r->fns);
	free(r->lines);
	free(r->fn_ids);
	free(r->map_ids);
	free(r->loc_ids);
	free(r->sample_locs.v);
	free(r->values.v);
	free(r->locs32);
	free(r->scratch_lines);
}

static int decode(struct reader *r)
{
	struct pb_view v;
	struct pb_field f;
	int rc, err;

	if ((err = allocate_tables(r)) || (err = decode_tables(r)))
		return err;
	if ((err = index_ids(r, &r->fns[0].id, sizeof(*r->fns), r->nfns, &r->fn_ids,
			     "function ids not unique and nonzero")) ||
	    (err = index_ids(r, &r->maps[0].id, sizeof(*r->maps), r->nmaps, &r->map_ids,
			     "mapping ids not unique and nonzero")) ||
	    (err = index_ids(r, &r->locs[0].id, sizeof(*r->locs), r->nlocs, &r->loc_ids,
			     "location ids not unique and nonzero")))
		return err;
	if (!r->ntypes)
		return bad(r, "no sample types", 0);
	choose_value(r);
	v = r->top;
	while ((rc = pb_view__next(&v, &f)) == 1)
		if (f.number == 2 && (err = add_sample(r, f.sub)))
			return err;
	return 0;
}

int pprof__read(const void *data, size_t len, size_t max_bytes, struct profile *out,
		struct pprof_read_info *info)
{
	struct pprof_read_info scratch_info;
	struct reader r = { .out = out };
	void *inflated = NULL;
	size_t inflated_len = 0;
	int err;

	r.info = info ? info : &scratch_info;
	memset(r.info, 0, sizeof(*r.info));
	if (!max_bytes)
		max_bytes = PPROF_MAX_BYTES;
	if (gzbuf__is_gzip(data, len)) {
		err = gzbuf__inflate(data, len, max_bytes, &inflated, &inflated_len,
				     &r.info->error_offset);
		if (err == -EBADMSG) {
			r.info->error = "corrupt or truncated gzip stream";
			r.info->gzip_error = 1;
		}
		if (err)
			return err;
		data = inflated;
		len = inflated_len;
	} else if (len > max_bytes) {
		return -EFBIG;
	}
	pb_view__init(&r.top, data, len);
	err = decode(&r);
	release(&r);
	free(inflated);
	return err;
}
