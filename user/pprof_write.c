/* Profile -> profile.proto. Field numbers are profile.proto's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gzbuf.h"
#include "pprof.h"

enum {
	PROFILE_SAMPLE_TYPE = 1,
	PROFILE_SAMPLE = 2,
	PROFILE_MAPPING = 3,
	PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5,
	PROFILE_STRING_TABLE = 6,
	PROFILE_TIME_NANOS = 9,
	PROFILE_DURATION_NANOS = 10,
	PROFILE_PERIOD_TYPE = 11,
	PROFILE_PERIOD = 12,
};

/* Output ids are 1-based; 0 in the id arrays means "not used yet". */
struct writer {
	struct profile *p;
	struct strpool *strings; /* the output string table, "" first */
	struct pb_buf *b;
	uint32_t *loc_id, *loc_order;
	uint32_t *fn_id, *fn_order;
	uint32_t *map_id, *map_order;
	uint8_t *map_flags; /* per output mapping, MAP_HAS_* */
	size_t nloc_out, nfn_out, nmap_out;
	uint32_t kernel_map; /* output id of [kernel.kallsyms], 0 when none */
	uint64_t kernel_lo, kernel_hi;
	uint8_t kernel_flags;
	uint32_t s_comm, s_pid;
	bool have_period;
};

enum {
	MAP_HAS_FUNCTIONS = 1,
	MAP_HAS_FILENAMES = 2,
	MAP_HAS_LINE_NUMBERS = 4,
	MAP_HAS_INLINE_FRAMES = 8,
};

static uint32_t str_index(struct writer *w, const char *s)
{
	uint32_t id = 0;

	/* An intern failure is ENOMEM: flag it on the buffer, where the
	 * caller checks it once. */
	if (strpool__intern_str(w->strings, s, &id))
		w->b->err = -ENOMEM;
	return id;
}

static bool is_kernel_location(const struct profile *p, const struct profile_location *loc)
{
	return loc->mapping == PROFILE_NO_MAPPING && loc->nlines > 0 &&
	       p->functions[p->lines[loc->first_line].function].kind == FRAME_KERNEL;
}

/* Pass 1: location, function and mapping ids in order of first use by
 * the (sorted) samples. */
static void number_location(struct writer *w, uint32_t loc_idx)
{
	const struct profile *p = w->p;
	const struct profile_location *loc = &p->locations[loc_idx];
	uint8_t flags = 0;
	uint32_t i;

	if (w->loc_id[loc_idx])
		return;
	w->loc_order[w->nloc_out++] = loc_idx;
	w->loc_id[loc_idx] = (uint32_t)w->nloc_out;
	for (i = 0; i < loc->nlines; i++) {
		const struct profile_line *line = &p->lines[loc->first_line + i];
		const struct profile_function *f = &p->functions[line->function];

		if (!w->fn_id[line->function]) {
			w->fn_order[w->nfn_out++] = line->function;
			w->fn_id[line->function] = (uint32_t)w->nfn_out;
		}
		flags |= MAP_HAS_FUNCTIONS;
		if (*profile__str(p, f->file))
			flags |= MAP_HAS_FILENAMES;
		if (line->line)
			flags |= MAP_HAS_LINE_NUMBERS;
	}
	if (loc->nlines > 1)
		flags |= MAP_HAS_INLINE_FRAMES;
	if (loc->mapping != PROFILE_NO_MAPPING) {
		if (!w->map_id[loc->mapping]) {
			w->map_order[w->nmap_out++] = loc->mapping;
			w->map_id[loc->mapping] = (uint32_t)w->nmap_out;
		}
		w->map_flags[w->map_id[loc->mapping] - 1] |= flags;
	} else if (is_kernel_location(p, loc)) {
		if (!w->kernel_map) {
			w->kernel_map = UINT32_MAX; /* numbered after the real ones */
			w->kernel_lo = UINT64_MAX;
		}
		if (loc->address && loc->address < w->kernel_lo)
			w->kernel_lo = loc->address;
		if (loc->address && loc->address >= w->kernel_hi)
			w->kernel_hi = loc->address + 1;
		w->kernel_flags |= flags;
	}
}

struct map_weight {
	uint32_t mapping; /* profile index */
	uint32_t first_use; /* 0-based order of first use */
	int64_t weight;
};

static int heavier_first(const void *a, const void *b)
{
	const struct map_weight *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return (x->first_use > y->first_use) - (x->first_use < y->first_use);
}

/* pprof calls mapping 1 the main binary ("File:" in its reports): put the
 * mapping most samples run in first, then the others by weight, ties in
 * order of first use, so the order is still deterministic. */
static int order_mappings(struct writer *w)
{
	const struct profile *p = w->p;
	struct map_weight *mw = calloc(w->nmap_out + 1, sizeof(*mw));
	uint8_t *flags = calloc(w->nmap_out + 1, 1);
	uint32_t *seen = calloc(w->nmap_out + 1, sizeof(*seen));
	size_t s, i;

	if (!mw || !flags || !seen) {
		free(mw);
		free(flags);
		free(seen);
		return -ENOMEM;
	}
	for (i = 0; i < w->nmap_out; i++)
		mw[i] = (struct map_weight){ w->map_order[i], (uint32_t)i, 0 };
	for (s = 0; s < p->nsamples; s++) {
		const struct profile_sample *smp = &p->samples[s];

		for (i = 0; smp->count > 0 && i < smp->nlocs; i++) {
			uint32_t m = p->locations[p->sample_locs[smp->first_loc + i]].mapping;

			/* Once per sample, so weights stay below the total. */
			if (m != PROFILE_NO_MAPPING && seen[w->map_id[m] - 1] != s + 1) {
				seen[w->map_id[m] - 1] = (uint32_t)s + 1;
				mw[w->map_id[m] - 1].weight += smp->count;
			}
		}
	}
	qsort(mw, w->nmap_out, sizeof(*mw), heavier_first);
	for (i = 0; i < w->nmap_out; i++) {
		flags[i] = w->map_flags[mw[i].first_use];
		w->map_order[i] = mw[i].mapping;
		w->map_id[mw[i].mapping] = (uint32_t)i + 1;
	}
	memcpy(w->map_flags, flags, w->nmap_out);
	free(mw);
	free(flags);
	free(seen);
	return 0;
}

static int number_everything(struct writer *w)
{
	const struct profile *p = w->p;
	size_t s, i;
	int err;

	w->loc_id = calloc(p->nlocations + 1, sizeof(uint32_t));
	w->loc_order = calloc(p->nlocations + 1, sizeof(uint32_t));
	w->fn_id = calloc(p->nfunctions + 1, sizeof(uint32_t));
	w->fn_order = calloc(p->nfunctions + 1, sizeof(uint32_t));
	w->map_id = calloc(p->nmappings + 1, sizeof(uint32_t));
	w->map_order = calloc(p->nmappings + 1, sizeof(uint32_t));
	w->map_flags = calloc(p->nmappings + 1, 1);
	if (!w->loc_id || !w->loc_order || !w->fn_id || !w->fn_order || !w->map_id ||
	    !w->map_order || !w->map_flags)
		return -ENOMEM;
	for (s = 0; s < p->nsamples; s++) {
		const struct profile_sample *smp = &p->samples[s];

		if (smp->count <= 0)
			continue;
		for (i = 0; i < smp->nlocs; i++)
			number_location(w, p->sample_locs[smp->first_loc + i]);
		if (smp->comm != PROFILE_NO_STRING && !w->s_comm)
			w->s_comm = UINT32_MAX;
		if (smp->pid && !w->s_pid)
			w->s_pid = UINT32_MAX;
	}
	if ((err = order_mappings(w)))
		return err;
	if (w->kernel_map) {
		w->kernel_map = (uint32_t)w->nmap_out + 1;
		if (w->kernel_lo == UINT64_MAX)
			w->kernel_lo = 0;
	}
	return 0;
}

static void release(struct writer *w)
{
	free(w->loc_id);
	free(w->loc_order);
	free(w->fn_id);
	free(w->fn_order);
	free(w->map_id);
	free(w->map_order);
	free(w->map_flags);
	strpool__free(w->strings);
}

static void put_value_type(struct writer *w, uint32_t field, const char *type, const char *unit)
{
	size_t mark = pb_buf__begin(w->b, field);

	pb_buf__uint64_field(w->b, 1, str_index(w, type));
	pb_buf__uint64_field(w->b, 2, str_index(w, unit));
	pb_buf__end(w->b, mark);
}

/* Label: key, then str (field 2) or num (field 3). */
static void put_label(struct writer *w, uint32_t key, bool is_str, int64_t value)
{
	size_t mark = pb_buf__begin(w->b, 3);

	pb_buf__uint64_field(w->b, 1, key);
	pb_buf__int64_field(w->b, is_str ? 2 : 3, value);
	pb_buf__end(w->b, mark);
}

static int put_sample(struct writer *w, const struct profile_sample *s)
{
	const struct profile *p = w->p;
	struct pb_buf *b = w->b;
	size_t mark, inner;
	int64_t cpu = 0;
	uint32_t i;

	if (s->count <= 0)
		return 0;
	if (w->have_period && __builtin_mul_overflow(s->count, p->meta.period_ns, &cpu))
		return -EOVERFLOW;
	mark = pb_buf__begin(b, 2);
	if (s->nlocs) {
		inner = pb_buf__begin(b, 1);
		for (i = 0; i < s->nlocs; i++)
			pb_buf__varint(b, w->loc_id[p->sample_locs[s->first_loc + i]]);
		pb_buf__end(b, inner);
	}
	inner = pb_buf__begin(b, 2);
	pb_buf__varint(b, (uint64_t)s->count);
	if (w->have_period)
		pb_buf__varint(b, (uint64_t)cpu);
	pb_buf__end(b, inner);
	if (s->comm != PROFILE_NO_STRING)
		put_label(w, w->s_comm, true, str_index(w, profile__str(p, s->comm)));
	if (s->pid)
		put_label(w, w->s_pid, false, s->pid);
	pb_buf__end(b, mark);
	return 0;
}

static void put_mapping(struct writer *w, uint32_t id, const struct profile_mapping *m,
			const char *file, const char *build_id, uint8_t flags)
{
	struct pb_buf *b = w->b;
	size_t mark = pb_buf__begin(b, PROFILE_MAPPING);

	pb_buf__uint64_field(b, 1, id);
	if (m->start)
		pb_buf__uint64_field(b, 2, m->start);
	if (m->limit)
		pb_buf__uint64_field(b, 3, m->limit);
	if (m->offset)
		pb_buf__uint64_field(b, 4, m->offset);
	if (*file)
		pb_buf__uint64_field(b, 5, str_index(w, file));
	if (*build_id)
		pb_buf__uint64_field(b, 6, str_index(w, build_id));
	if (flags & MAP_HAS_FUNCTIONS)
		pb_buf__bool_field(b, 7, true);
	if (flags & MAP_HAS_FILENAMES)
		pb_buf__bool_field(b, 8, true);
	if (flags & MAP_HAS_LINE_NUMBERS)
		pb_buf__bool_field(b, 9, true);
	if (flags & MAP_HAS_INLINE_FRAMES)
		pb_buf__bool_field(b, 10, true);
	pb_buf__end(b, mark);
}

static void put_location(struct writer *w, uint32_t id, const struct profile_location *loc)
{
	const struct profile *p = w->p;
	struct pb_buf *b = w->b;
	size_t mark = pb_buf__begin(b, PROFILE_LOCATION), line_mark;
	uint32_t i;

	pb_buf__uint64_field(b, 1, id);
	if (loc->mapping != PROFILE_NO_MAPPING)
		pb_buf__uint64_field(b, 2, w->map_id[loc->mapping]);
	else if (is_kernel_location(p, loc))
		pb_buf__uint64_field(b, 2, w->kernel_map);
	if (loc->address)
		pb_buf__uint64_field(b, 3, loc->address);
	/* Innermost first, as in the model and as Go writes them. */
	for (i = 0; i < loc->nlines; i++) {
		const struct profile_line *line = &p->lines[loc->first_line + i];

		line_mark = pb_buf__begin(b, 4);
		pb_buf__uint64_field(b, 1, w->fn_id[line->function]);
		if (line->line)
			pb_buf__int64_field(b, 2, line->line);
		pb_buf__end(b, line_mark);
	}
	pb_buf__end(b, mark);
}

static void put_function(struct writer *w, uint32_t id, const struct profile_function *f)
{
	struct pb_buf *b = w->b;
	size_t mark = pb_buf__begin(b, PROFILE_FUNCTION);
	uint32_t name = str_index(w, profile__str(w->p, f->name));
	const char *file = profile__str(w->p, f->file);

	pb_buf__uint64_field(b, 1, id);
	pb_buf__uint64_field(b, 2, name);
	pb_buf__uint64_field(b, 3, name);
	if (*file)
		pb_buf__uint64_field(b, 4, str_index(w, file));
	pb_buf__end(b, mark);
}

static int put_tables(struct writer *w)
{
	const struct profile *p = w->p;
	size_t i;
	int err;

	for (i = 0; i < p->nsamples; i++)
		if ((err = put_sample(w, &p->samples[i])))
			return err;
	for (i = 0; i < w->nmap_out; i++) {
		const struct profile_mapping *m = &p->mappings[w->map_order[i]];

		put_mapping(w, (uint32_t)i + 1, m, profile__str(p, m->file),
			    profile__str(p, m->build_id), w->map_flags[i]);
	}
	if (w->kernel_map) {
		struct profile_mapping k = { .start = w->kernel_lo, .limit = w->kernel_hi };

		put_mapping(w, w->kernel_map, &k, PPROF_KERNEL_MAPPING, "", w->kernel_flags);
	}
	for (i = 0; i < w->nloc_out; i++)
		put_location(w, (uint32_t)i + 1, &p->locations[w->loc_order[i]]);
	for (i = 0; i < w->nfn_out; i++)
		put_function(w, (uint32_t)i + 1, &p->functions[w->fn_order[i]]);
	return 0;
}

int pprof__encode(struct profile *p, struct pb_buf *out)
{
	struct writer w = { .p = p, .b = out, .have_period = p->meta.period_ns > 0 };
	uint32_t i, n;
	int err;

	w.strings = strpool__new();
	if (!w.strings)
		return -ENOMEM;
	err = profile__sort_samples(p, true);
	if (!err)
		err = number_everything(&w);
	if (err)
		goto cleanup;
	/* Fixed strings first, so every profile's table starts the same. */
	put_value_type(&w, PROFILE_SAMPLE_TYPE, "samples", "count");
	if (w.have_period)
		put_value_type(&w, PROFILE_SAMPLE_TYPE, "cpu", "nanoseconds");
	if (w.s_comm)
		w.s_comm = str_index(&w, "comm");
	if (w.s_pid)
		w.s_pid = str_index(&w, "pid");
	err = put_tables(&w);
	if (err)
		goto cleanup;
	/* The period type's strings must be in the table, written next. */
	if (w.have_period) {
		str_index(&w, "cpu");
		str_index(&w, "nanoseconds");
	}
	n = strpool__count(w.strings);
	for (i = 0; i < n; i++)
		pb_buf__bytes_field(out, PROFILE_STRING_TABLE, strpool__str(w.strings, i),
				    strpool__len(w.strings, i));
	if (p->meta.time_ns)
		pb_buf__int64_field(out, PROFILE_TIME_NANOS, p->meta.time_ns);
	if (p->meta.duration_ns)
		pb_buf__int64_field(out, PROFILE_DURATION_NANOS, p->meta.duration_ns);
	if (w.have_period) {
		put_value_type(&w, PROFILE_PERIOD_TYPE, "cpu", "nanoseconds");
		pb_buf__int64_field(out, PROFILE_PERIOD, p->meta.period_ns);
	} else {
		put_value_type(&w, PROFILE_PERIOD_TYPE, "samples", "count");
		pb_buf__int64_field(out, PROFILE_PERIOD, 1);
	}
	err = out->err;
cleanup:
	release(&w);
	return err;
}

int pprof__write(struct profile *p, FILE *fp)
{
	struct pb_buf b = { 0 };
	int err = pprof__encode(p, &b);

	if (!err)
		err = gzbuf__deflate_to(b.data, b.len, fp);
	pb_buf__release(&b);
	return err;
}
