#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "folded.h"

static void write_name(FILE *out, const char *name)
{
	/* Fast path: most names need no change. */
	if (!strpbrk(name, ";\n\r")) {
		fputs(name, out);
		return;
	}
	for (; *name; name++) {
		char c = *name;

		fputc(c == ';' ? ':' : (c == '\n' || c == '\r') ? ' ' : c, out);
	}
}

static bool same_stack(const struct profile_names *a, int na, const struct profile_names *b, int nb)
{
	int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a->names[i] != b->names[i] && strcmp(a->names[i], b->names[i]))
			return false;
	return true;
}

int folded_profile__write(struct profile *p, FILE *out, const struct folded_write_opts *opts)
{
	struct profile_names cur = { 0 }, next = { 0 }, swap;
	int ncur = 0, nnext, i, err;
	int64_t count = 0;
	size_t s;

	err = profile__sort_samples(p, opts->with_comm);
	if (err)
		return err;
	/* Samples with different addresses can expand to the same names; they
	 * are adjacent after sorting and become one line. */
	for (s = 0; s <= p->nsamples; s++) {
		nnext = 0;
		if (s < p->nsamples) {
			nnext = profile__sample_names(p, s, opts->with_comm, true, &next);
			if (nnext < 0) {
				err = nnext;
				goto cleanup;
			}
			if (s > 0 && same_stack(&cur, ncur, &next, nnext)) {
				count += p->samples[s].count;
				continue;
			}
		}
		if (s > 0 && count > 0 && ncur > 0) {
			for (i = 0; i < ncur; i++) {
				if (i)
					fputc(';', out);
				write_name(out, cur.names[i]);
			}
			fprintf(out, " %" PRId64 "\n", count);
		}
		swap = cur, cur = next, next = swap;
		ncur = nnext;
		count = s < p->nsamples ? p->samples[s].count : 0;
	}
	err = 0;
cleanup:
	profile_names__release(&cur);
	profile_names__release(&next);
	return err;
}
