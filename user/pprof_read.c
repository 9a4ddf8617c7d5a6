/* profile.proto -> profile (the second half of the pprof reader): locations
 * resolved into the profile on first use by a sample, then the samples. The
 * tables come checked from pprof_tables.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gzbuf.h"
#include "pprof_reader.h"

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
	if ((err = pprof_rd__str_get(r, m->file, &s)) ||
	    (err = profile__intern_string(r->out, s, &pm.file)))
		return err;
	if ((err = pprof_rd__str_get(r, m->build_id, &s)) ||
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
	if (m && (err = pprof_rd__str_get(r, m->file, &file)))
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
	return profile__add_function(r->out, name, NULL,
				     m && m->kernel ? FRAME_KERNEL : FRAME_UNKNOWN, fn);
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

	if (pprof_rd__find_id(r->fn_ids, r->nfns, line->function_id, &idx))
		return pprof_rd__bad(r, "line refers to a function id that does not exist", 0);
	fn = &r->fns[idx];
	if ((err = pprof_rd__str_get(r, fn->name, &name)) ||
	    (err = pprof_rd__str_get(r, fn->file, &file)))
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
		if (pprof_rd__find_id(r->map_ids, r->nmaps, loc->mapping_id, &idx))
			return pprof_rd__bad(r,
					     "location refers to a mapping id that does not exist",
					     0);
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
		return pprof_rd__bad_view(r, &v);
	if (pprof_rd__str_ok(r, key, &v) || pprof_rd__str_ok(r, str, &v))
		return -EBADMSG;
	if (str && (pprof_rd__str_eq(r, key, "comm") || pprof_rd__str_eq(r, key, "process_name")))
		labels->comm = str;
	else if (num > 0 && num <= UINT32_MAX && pprof_rd__str_eq(r, key, "pid"))
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
		return pprof_rd__bad(r, "malformed sample", v.base_offset);
	if (err)
		return err;
	return rc < 0 ? pprof_rd__bad_view(r, &v) : 0;
}

static int sample_count(struct reader *r, int64_t *count)
{
	int64_t v;

	if (r->values.n != r->ntypes)
		return pprof_rd__bad(r, "sample has a different number of values than sample types",
				     0);
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
		err = profile__add_function(r->out, "[no stack]", NULL, FRAME_UNKNOWN,
					    &line.function);
		return err ? err
			   : profile__add_location(r->out, 0, PROFILE_NO_MAPPING, &line, 1,
						   &r->locs32[0]);
	}
	for (i = 0; i < r->sample_locs.n; i++) {
		if (pprof_rd__find_id(r->loc_ids, r->nlocs, r->sample_locs.v[i], &idx))
			return pprof_rd__bad(r,
					     "sample refers to a location id that does not exist",
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
	int64_t count = 0;
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
		return pprof_rd__bad(r, "sample counts add up past 2^62", v.base_offset);
	r->total += count;
	if ((err = sample_locations(r, &v, &n)))
		return err;
	if (labels.comm && (err = pprof_rd__str_get(r, labels.comm, &comm)))
		return err;
	return profile__add_sample(r->out, r->locs32, n, count, comm, (uint32_t)labels.pid);
}

/* ---- choosing what to count -------------------------------------------- */

static void choose_value(struct reader *r)
{
	size_t i, chosen = r->ntypes ? r->ntypes - 1 : 0;
	bool found = false;

	for (i = 0; i < r->ntypes && !found; i++) {
		if (pprof_rd__str_eq(r, r->sample_types[2 * i], "samples") &&
		    pprof_rd__str_eq(r, r->sample_types[2 * i + 1], "count"))
			chosen = i, found = true;
	}
	for (i = 0; i < r->ntypes && !found; i++) {
		if (pprof_rd__str_eq(r, r->sample_types[2 * i], "cpu") &&
		    pprof_rd__str_eq(r, r->sample_types[2 * i + 1], "nanoseconds") &&
		    r->period > 0 && pprof_rd__str_eq(r, r->period_type[1], "nanoseconds"))
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
	if (pprof_rd__str_eq(r, r->period_type[0], "cpu") &&
	    pprof_rd__str_eq(r, r->period_type[1], "nanoseconds") && r->period > 0) {
		r->out->meta.period_ns = r->period;
		if (r->period <= 1000000000)
			r->out->meta.frequency_hz =
				(uint32_t)((1000000000 + r->period / 2) / r->period);
	}
}

/* ---- the whole message -------------------------------------------------- */

static int decode(struct reader *r)
{
	struct pb_view v;
	struct pb_field f;
	int rc, err;

	if ((err = pprof_rd__allocate_tables(r)) || (err = pprof_rd__decode_tables(r)))
		return err;
	if ((err = pprof_rd__index_ids(r, &r->fns[0].id, sizeof(*r->fns), r->nfns, &r->fn_ids,
				       "function ids not unique and nonzero")) ||
	    (err = pprof_rd__index_ids(r, &r->maps[0].id, sizeof(*r->maps), r->nmaps, &r->map_ids,
				       "mapping ids not unique and nonzero")) ||
	    (err = pprof_rd__index_ids(r, &r->locs[0].id, sizeof(*r->locs), r->nlocs, &r->loc_ids,
				       "location ids not unique and nonzero")))
		return err;
	if (!r->ntypes)
		return pprof_rd__bad(r, "no sample types", 0);
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
	pprof_rd__release(&r);
	free(inflated);
	return err;
}
