#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idxtab.h"
#include "profile.h"

struct profile_index {
	struct idxtab functions, mappings, locations, samples;
	size_t functions_cap, lines_cap, mappings_cap, locations_cap, sample_locs_cap, samples_cap;
};

/* Keys being looked up, handed to the idxtab comparators. */
struct lookup {
	const struct profile *p;
	const void *key;
	size_t n;
	uint32_t a, b;
	uint64_t address;
};

static int reserve(void **array, size_t *cap, size_t need, size_t elem_size)
{
	size_t new_cap;
	void *grown;

	if (need <= *cap)
		return 0;
	new_cap = *cap ? *cap : 64;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2 / elem_size)
			return -ENOMEM;
		new_cap *= 2;
	}
	grown = realloc(*array, new_cap * elem_size);
	if (!grown)
		return -ENOMEM;
	*array = grown;
	*cap = new_cap;
	return 0;
}

#define RESERVE(p, field, need) \
	reserve((void **)&(p)->field, &(p)->index->field##_cap, (need), sizeof(*(p)->field))

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

struct profile *profile__new(void)
{
	struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->strings = strpool__new();
	p->index = calloc(1, sizeof(*p->index));
	if (!p->strings || !p->index) {
		profile__free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void profile__free(struct profile *p)
{
	if (!p)
		return;
	if (p->index) {
		idxtab__release(&p->index->functions);
		idxtab__release(&p->index->mappings);
		idxtab__release(&p->index->locations);
		idxtab__release(&p->index->samples);
		free(p->index);
	}
	strpool__free(p->strings);
	free(p->functions);
	free(p->lines);
	free(p->mappings);
	free(p->locations);
	free(p->sample_locs);
	free(p->samples);
	free(p);
}

int profile__intern_string(struct profile *p, const char *s, uint32_t *id)
{
	return strpool__intern_str(p->strings, s ? s : "", id);
}

const char *profile__str(const struct profile *p, uint32_t id)
{
	const char *s = strpool__str(p->strings, id);

	return s ? s : "";
}

static bool function_eq(const void *ctx, uint32_t idx)
{
	const struct lookup *l = ctx;
	const struct profile_function *f = &l->p->functions[idx];

	return f->name == l->a && f->file == l->b && f->kind == (enum frame_kind)l->n;
}

int profile__add_function(struct profile *p, const char *name, const char *file,
			  enum frame_kind kind, uint32_t *id)
{
	struct lookup l = { .p = p, .n = kind };
	struct profile_function *f;
	uint64_t hash;
	int err;

	err = profile__intern_string(p, name, &l.a);
	if (!err)
		err = profile__intern_string(p, file, &l.b);
	if (err)
		return err;
	hash = mix(mix(mix(0, l.a), l.b), kind);
	if (!idxtab__find(&p->index->functions, hash, function_eq, &l, id))
		return 0;
	err = RESERVE(p, functions, p->nfunctions + 1);
	if (err)
		return err;
	f = &p->functions[p->nfunctions];
	f->name = l.a;
	f->file = l.b;
	f->kind = kind;
	f->folded_name = l.a;
	if (kind == FRAME_KERNEL) {
		size_t len = strlen(profile__str(p, l.a));
		char *suffixed = malloc(len + 5);

		if (!suffixed)
			return -ENOMEM;
		memcpy(suffixed, profile__str(p, l.a), len);
		memcpy(suffixed + len, "_[k]", 5);
		err = profile__intern_string(p, suffixed, &f->folded_name);
		free(suffixed);
		if (err)
			return err;
	}
	err = idxtab__insert(&p->index->functions, hash, (uint32_t)p->nfunctions);
	if (err)
		return err;
	*id = (uint32_t)p->nfunctions++;
	return 0;
}

static bool mapping_eq(const void *ctx, uint32_t idx)
{
	const struct lookup *l = ctx;
	const struct profile_mapping *a = &l->p->mappings[idx], *b = l->key;

	return a->start == b->start && a->limit == b->limit && a->offset == b->offset &&
	       a->file == b->file && a->build_id == b->build_id;
}

int profile__add_mapping(struct profile *p, const struct profile_mapping *m, uint32_t *id)
{
	struct lookup l = { .p = p, .key = m };
	uint64_t hash =
		mix(mix(mix(mix(mix(0, m->start), m->limit), m->offset), m->file), m->build_id);
	int err;

	if (!idxtab__find(&p->index->mappings, hash, mapping_eq, &l, id))
		return 0;
	err = RESERVE(p, mappings, p->nmappings + 1);
	if (!err)
		err = idxtab__insert(&p->index->mappings, hash, (uint32_t)p->nmappings);
	if (err)
		return err;
	p->mappings[p->nmappings] = *m;
	*id = (uint32_t)p->nmappings++;
	return 0;
}

static bool location_eq(const void *ctx, uint32_t idx)
{
	const struct lookup *l = ctx;
	const struct profile_location *loc = &l->p->locations[idx];
	const struct profile_line *lines = l->key;
	size_t i;

	if (loc->mapping != l->a || loc->address != l->address)
		return false;
	if (l->address)
		return true;
	if (loc->nlines != l->n)
		return false;
	for (i = 0; i < l->n; i++) {
		const struct profile_line *have = &l->p->lines[loc->first_line + i];

		if (have->function != lines[i].function || have->line != lines[i].line)
			return false;
	}
	return true;
}

int profile__add_location(struct profile *p, uint64_t address, uint32_t mapping,
			  const struct profile_line *lines, size_t nlines, uint32_t *id)
{
	struct lookup l = { .p = p, .key = lines, .n = nlines, .a = mapping, .address = address };
	uint64_t hash = mix(mix(0, mapping), address);
	struct profile_location *loc;
	size_t i;
	int err;

	if (!address)
		for (i = 0; i < nlines; i++)
			hash = mix(mix(hash, lines[i].function), lines[i].line);
	if (!idxtab__find(&p->index->locations, hash, location_eq, &l, id))
		return 0;
	err = RESERVE(p, locations, p->nlocations + 1);
	if (!err)
		err = RESERVE(p, lines, p->nlines + nlines);
	if (!err)
		err = idxtab__insert(&p->index->locations, hash, (uint32_t)p->nlocations);
	if (err)
		return err;
	loc = &p->locations[p->nlocations];
	loc->address = address;
	loc->mapping = mapping;
	loc->first_line = (uint32_t)p->nlines;
	loc->nlines = (uint32_t)nlines;
	memcpy(&p->lines[p->nlines], lines, nlines * sizeof(*lines));
	p->nlines += nlines;
	*id = (uint32_t)p->nlocations++;
	return 0;
}

static uint64_t sample_hash(uint32_t comm, uint32_t pid, const uint32_t *locs, size_t nlocs)
{
	uint64_t hash = mix(mix(0, comm), pid);
	size_t i;

	for (i = 0; i < nlocs; i++)
		hash = mix(hash, locs[i]);
	return hash;
}

static bool sample_eq(const void *ctx, uint32_t idx)
{
	const struct lookup *l = ctx;
	const struct profile_sample *s = &l->p->samples[idx];

	return s->nlocs == l->n && s->comm == l->a && s->pid == l->b &&
	       (!l->n ||
		!memcmp(&l->p->sample_locs[s->first_loc], l->key, l->n * sizeof(uint32_t)));
}

int profile__add_sample(struct profile *p, const uint32_t *locs, size_t nlocs, int64_t count,
			const char *comm, uint32_t pid)
{
	struct lookup l = { .p = p, .key = locs, .n = nlocs, .a = PROFILE_NO_STRING, .b = pid };
	struct profile_sample *s;
	uint32_t idx;
	uint64_t hash;
	int err;

	if (comm && (err = profile__intern_string(p, comm, &l.a)))
		return err;
	hash = sample_hash(l.a, pid, locs, nlocs);
	if (!idxtab__find(&p->index->samples, hash, sample_eq, &l, &idx)) {
		p->samples[idx].count += count;
		return 0;
	}
	err = RESERVE(p, samples, p->nsamples + 1);
	if (!err)
		err = RESERVE(p, sample_locs, p->nsample_locs + nlocs);
	if (!err)
		err = idxtab__insert(&p->index->samples, hash, (uint32_t)p->nsamples);
	if (err)
		return err;
	s = &p->samples[p->nsamples++];
	s->first_loc = (uint32_t)p->nsample_locs;
	s->nlocs = (uint32_t)nlocs;
	s->count = count;
	s->comm = l.a;
	s->pid = pid;
	if (nlocs)
		memcpy(&p->sample_locs[p->nsample_locs], locs, nlocs * sizeof(*locs));
	p->nsample_locs += nlocs;
	return 0;
}

int64_t profile__total(const struct profile *p)
{
	int64_t total = 0;
	size_t i;

	for (i = 0; i < p->nsamples; i++)
		total += p->samples[i].count;
	return total;
}

int profile_names__init(struct profile_names *out, size_t cap)
{
	out->names = calloc(cap, sizeof(*out->names));
	out->kinds = calloc(cap, sizeof(*out->kinds));
	out->cap = cap;
	if (!out->names || !out->kinds) {
		profile_names__release(out);
		return -ENOMEM;
	}
	return 0;
}

void profile_names__release(struct profile_names *out)
{
	free(out->names);
	free(out->kinds);
	memset(out, 0, sizeof(*out));
}

static int names_reserve(struct profile_names *out, size_t need)
{
	const char **names;
	enum frame_kind *kinds;
	size_t cap = out->cap ? out->cap : 64;

	if (need <= out->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	names = realloc(out->names, cap * sizeof(*names));
	if (names)
		out->names = names;
	kinds = realloc(out->kinds, cap * sizeof(*kinds));
	if (kinds)
		out->kinds = kinds;
	if (!names || !kinds)
		return -ENOMEM;
	out->cap = cap;
	return 0;
}

int profile__sample_names(const struct profile *p, size_t sample, bool with_comm, bool folded_names,
			  struct profile_names *out)
{
	const struct profile_sample *s = &p->samples[sample];
	size_t n = 0, need = s->nlocs + 1;
	uint32_t i, j;
	int err;

	for (i = 0; i < s->nlocs; i++)
		need += p->locations[p->sample_locs[s->first_loc + i]].nlines;
	err = names_reserve(out, need);
	if (err)
		return err;
	if (with_comm && s->comm != PROFILE_NO_STRING) {
		out->kinds[n] = FRAME_ROOT;
		out->names[n++] = profile__str(p, s->comm);
	}
	/* Locations are leaf first and lines innermost first: walk both
	 * backwards to get root first, callers before inlined callees. */
	for (i = s->nlocs; i-- > 0;) {
		const struct profile_location *loc =
			&p->locations[p->sample_locs[s->first_loc + i]];

		for (j = loc->nlines; j-- > 0;) {
			const struct profile_function *f =
				&p->functions[p->lines[loc->first_line + j].function];

			out->kinds[n] = f->kind;
			out->names[n++] = profile__str(p, folded_names ? f->folded_name : f->name);
		}
	}
	return (int)n;
}

/* Sorting compares expanded stacks; expand each once up front. */
struct sort_item {
	uint32_t sample;
	uint32_t first, n; /* into names */
};

static int compare_items(const void *a, const void *b, void *ctx)
{
	const struct sort_item *x = a, *y = b;
	const char **sort_names = ctx;
	uint32_t i, n = x->n < y->n ? x->n : y->n;
	int c;

	for (i = 0; i < n; i++) {
		c = strcmp(sort_names[x->first + i], sort_names[y->first + i]);
		if (c)
			return c;
	}
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->sample < y->sample ? -1 : x->sample > y->sample;
}

int profile__sort_samples(struct profile *p, bool with_comm)
{
	struct sort_item *items = calloc(p->nsamples + 1, sizeof(*items));
	struct profile_sample *sorted = calloc(p->nsamples + 1, sizeof(*sorted));
	struct profile_names scratch = { 0 };
	const char **names = NULL;
	size_t total = 0, cap = 0, i;
	int err = -ENOMEM;

	if (!items || !sorted || profile_names__init(&scratch, 256))
		goto cleanup;
	for (i = 0; i < p->nsamples; i++) {
		int n = profile__sample_names(p, i, with_comm, true, &scratch);

		if (n < 0) {
			err = n;
			goto cleanup;
		}
		if ((err = reserve((void **)&names, &cap, total + (size_t)n, sizeof(*names))))
			goto cleanup;
		if (n) /* names may still be NULL: memcpy(NULL, ..., 0) is undefined */
			memcpy(names + total, scratch.names, (size_t)n * sizeof(*names));
		items[i] = (struct sort_item){ (uint32_t)i, (uint32_t)total, (uint32_t)n };
		total += (size_t)n;
	}
	qsort_r(items, p->nsamples, sizeof(*items), compare_items, names);
	for (i = 0; i < p->nsamples; i++)
		sorted[i] = p->samples[items[i].sample];
	if (p->nsamples)
		memcpy(p->samples, sorted, p->nsamples * sizeof(*sorted));
	/* The sample dedup table holds old positions; rebuild it. */
	idxtab__release(&p->index->samples);
	for (i = 0; i < p->nsamples; i++) {
		const struct profile_sample *s = &p->samples[i];
		/* a sample may have no locations at all (--kernel-only in user
		 * mode), and then sample_locs may still be NULL */
		const uint32_t *locs = s->nlocs ? &p->sample_locs[s->first_loc] : NULL;
		uint64_t hash = sample_hash(s->comm, s->pid, locs, s->nlocs);

		if ((err = idxtab__insert(&p->index->samples, hash, (uint32_t)i)))
			goto cleanup;
	}
	err = 0;
cleanup:
	profile_names__release(&scratch);
	free(names);
	free(sorted);
	free(items);
	return err;
}
