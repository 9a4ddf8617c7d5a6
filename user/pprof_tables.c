/* profile.proto -> checked tables (the first half of the pprof reader).
 * Untrusted input: every index and id is checked before use, tables are
 * sized by counting their entries in the input (so by the input's size,
 * itself capped), never by a number the input states. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pprof_reader.h"

int pprof_rd__bad(struct reader *r, const char *what, size_t offset)
{
	r->info->error = what;
	r->info->error_offset = offset;
	return -EBADMSG;
}

int pprof_rd__bad_view(struct reader *r, const struct pb_view *v)
{
	return pprof_rd__bad(r, "malformed protobuf", v->err_offset);
}

/* The wire type profile.proto gives each top-level field; 0xff: unknown
 * field (skipped, as protobuf readers do). Field 13 (comment) is repeated
 * int64: packed or not. */
static int top_wire_ok(const struct pb_field *f)
{
	switch (f->number) {
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
	case 11:
	case 15: return f->wire == PB_LEN;
	case 7:
	case 8:
	case 9:
	case 10:
	case 12:
	case 14: return f->wire == PB_VARINT;
	case 13: return f->wire == PB_VARINT || f->wire == PB_LEN;
	default: return 1;
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

int pprof_rd__str_ok(struct reader *r, uint64_t idx, const struct pb_view *v)
{
	return idx < r->nstrs ? 0 : pprof_rd__bad(r, "string index out of range", v->base_offset);
}

/* A string of the table, interned in the output profile. */
int pprof_rd__str_get(struct reader *r, uint64_t idx, const char **s)
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

bool pprof_rd__str_eq(const struct reader *r, uint64_t idx, const char *s)
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
			return pprof_rd__bad(r, "field with the wrong wire type",
					     f.sub.base_offset);
		if (f.number < 16 && ++counts[f.number] > PPROF_MAX_ENTRIES)
			return -E2BIG;
	}
	return rc < 0 ? pprof_rd__bad_view(r, &v) : 0;
}

static int decode_value_type(struct reader *r, struct pb_view v, uint64_t out[2])
{
	struct pb_field f;
	int rc;

	out[0] = out[1] = 0;
	while ((rc = pb_view__next(&v, &f)) == 1) {
		if ((f.number == 1 || f.number == 2) && f.wire == PB_VARINT) {
			if (pprof_rd__str_ok(r, f.value, &v))
				return -EBADMSG;
			out[f.number - 1] = f.value;
		}
	}
	return rc < 0 ? pprof_rd__bad_view(r, &v) : 0;
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
			if (pprof_rd__str_ok(r, f.value, &v))
				return -EBADMSG;
			*(f.number == 2 ? &fn->name : &fn->file) = f.value;
		}
	}
	return rc < 0 ? pprof_rd__bad_view(r, &v) : 0;
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
			if (pprof_rd__str_ok(r, f.value, &v))
				return -EBADMSG;
			*(f.number == 5 ? &m->file : &m->build_id) = f.value;
			break;
		}
	}
	if (rc < 0)
		return pprof_rd__bad_view(r, &v);
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
		return pprof_rd__bad_view(r, &v);
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
		return pprof_rd__bad_view(r, &v);
	loc->nlines = r->nlines - loc->first_line;
	return 0;
}

int pprof_rd__decode_tables(struct reader *r)
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
		return pprof_rd__bad(r, "string_table[0] is not \"\"", 0);
	v = r->top;
	while (!err && (rc = pb_view__next(&v, &f)) == 1) {
		switch (f.number) {
		case 1: err = decode_value_type(r, f.sub, &r->sample_types[2 * nst++]); break;
		case 3: err = decode_mapping(r, f.sub, &r->maps[r->nmaps++]); break;
		case 4: err = decode_location(r, f.sub, &r->locs[r->nlocs++]); break;
		case 5: err = decode_function(r, f.sub, &r->fns[r->nfns++]); break;
		case 9: r->out->meta.time_ns = (int64_t)f.value; break;
		case 10: r->out->meta.duration_ns = (int64_t)f.value; break;
		case 11: err = decode_value_type(r, f.sub, r->period_type); break;
		case 12: r->period = (int64_t)f.value; break;
		case 14: r->default_type = f.value; break;
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
int pprof_rd__index_ids(struct reader *r, const void *base, size_t stride, size_t n,
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
			return pprof_rd__bad(r, what, 0);
	}
	qsort(ids, n, sizeof(*ids), compare_ids);
	for (i = 1; i < n; i++)
		if (ids[i].id == ids[i - 1].id)
			return pprof_rd__bad(r, what, 0);
	return 0;
}

int pprof_rd__find_id(const struct id_index *ids, size_t n, uint64_t id, uint32_t *idx)
{
	struct id_index key = { .id = id };
	const struct id_index *hit = bsearch(&key, ids, n, sizeof(*ids), compare_ids);

	if (!hit)
		return -ENOENT;
	*idx = hit->idx;
	return 0;
}

/* ---- allocation ---------------------------------------------------------- */

int pprof_rd__allocate_tables(struct reader *r)
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

void pprof_rd__release(struct reader *r)
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
