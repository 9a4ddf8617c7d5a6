/* Go runtime families (see the header for the exact lists and the rules). */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_share.h"
#include "strpool.h"

enum match_kind {
	M_FUNC, /* the name, or one of its closures: NAME.func1, NAME.func2.1 */
	M_PREFIX,
};

struct member {
	const char *name;
	enum match_kind kind;
	enum rt_family family;
};

static const struct member members[] = {
	{ "runtime.schedule", M_FUNC, RT_SCHEDULE },
	{ "runtime.findrunnable", M_FUNC, RT_SCHEDULE },
	{ "runtime.findRunnable", M_FUNC, RT_SCHEDULE },
	{ "runtime.stealWork", M_FUNC, RT_SCHEDULE },
	{ "runtime.park_m", M_FUNC, RT_SCHEDULE },
	{ "runtime.runqsteal", M_FUNC, RT_SCHEDULE },
	{ "runtime.runqgrab", M_FUNC, RT_SCHEDULE },
	{ "runtime.gosched", M_PREFIX, RT_SCHEDULE },
	{ "runtime.gcBgMarkWorker", M_FUNC, RT_GC_WORKER },
	{ "runtime.gcDrain", M_PREFIX, RT_GC_WORKER },
	{ "runtime.markroot", M_PREFIX, RT_GC_WORKER },
	{ "runtime.scanobject", M_FUNC, RT_GC_WORKER },
	{ "runtime.scanblock", M_FUNC, RT_GC_WORKER },
	{ "runtime.scanstack", M_FUNC, RT_GC_WORKER },
	{ "runtime.scanframeworker", M_FUNC, RT_GC_WORKER },
	{ "runtime.gcAssistAlloc", M_PREFIX, RT_GC_ASSIST },
};

static const char *const family_names[RT_FAMILY__COUNT] = {
	[RT_SCHEDULE] = "runtime.schedule",
	[RT_GC_WORKER] = "runtime.gcBgMarkWorker",
	[RT_GC_ASSIST] = "GC assist",
};

static const char *const family_members[RT_FAMILY__COUNT] = {
	[RT_SCHEDULE] = "runtime.schedule, findrunnable/findRunnable, stealWork, park_m, "
			"runqsteal, runqgrab, gosched*",
	[RT_GC_WORKER] = "runtime.gcBgMarkWorker, gcDrain*, markroot*, scanobject, scanblock, "
			 "scanstack, scanframeworker (not under an assist)",
	[RT_GC_ASSIST] = "runtime.gcAssistAlloc*",
};

const char *rt_family__name(enum rt_family f)
{
	return (unsigned)f < RT_FAMILY__COUNT ? family_names[f] : "?";
}

const char *rt_family__members(enum rt_family f)
{
	return (unsigned)f < RT_FAMILY__COUNT ? family_members[f] : "";
}

/* ".func" then digits, optionally more ".digits" (nested closures). */
static bool is_closure_suffix(const char *s, size_t len)
{
	size_t i;

	if (len < 6 || memcmp(s, ".func", 5) != 0 || s[5] < '0' || s[5] > '9')
		return false;
	for (i = 5; i < len; i++) {
		if (s[i] == '.' && i + 1 < len && s[i - 1] != '.')
			continue;
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return s[len - 1] != '.';
}

int rt_family__of(const char *name, size_t len)
{
	size_t i;

	/* perf's annotations: kernel frames are never Go; inlined ones are. */
	if (len >= 4 && name[len - 4] == '_' && name[len - 3] == '[' && name[len - 1] == ']') {
		if (name[len - 2] == 'k')
			return -1;
		if (name[len - 2] == 'i' || name[len - 2] == 'j')
			len -= 4;
	}
	if (len < 8 || memcmp(name, "runtime.", 8) != 0)
		return -1;
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		const struct member *m = &members[i];
		size_t mlen = strlen(m->name);

		if (len < mlen || memcmp(name, m->name, mlen) != 0)
			continue;
		if (m->kind == M_PREFIX || len == mlen ||
		    is_closure_suffix(name + mlen, len - mlen))
			return (int)m->family;
	}
	return -1;
}

/* ---- classifier ------------------------------------------------------------ */

struct rt_classifier {
	regex_t regex[RT_MAX_HIGHLIGHTS];
	char *regex_text[RT_MAX_HIGHLIGHTS];
	size_t nregex;
	struct strpool *cache_names; /* id -> name; masks[id] its mask */
	uint64_t *masks;
	uint32_t masks_cap;
};

struct rt_classifier *rt_classifier__new(void)
{
	struct rt_classifier *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cache_names = strpool__new();
	if (!c->cache_names) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void rt_classifier__free(struct rt_classifier *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nregex; i++) {
		regfree(&c->regex[i]);
		free(c->regex_text[i]);
	}
	strpool__free(c->cache_names);
	free(c->masks);
	free(c);
}

int rt_classifier__add_highlight(struct rt_classifier *c, const char *regex, char *err,
				 size_t err_len)
{
	int ret;

	if (c->nregex == RT_MAX_HIGHLIGHTS) {
		if (err_len)
			snprintf(err, err_len, "at most %d highlights", RT_MAX_HIGHLIGHTS);
		return -E2BIG;
	}
	ret = regcomp(&c->regex[c->nregex], regex, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		if (err_len)
			regerror(ret, &c->regex[c->nregex], err, err_len);
		regfree(&c->regex[c->nregex]);
		return ret == REG_ESPACE ? -ENOMEM : -EINVAL;
	}
	c->regex_text[c->nregex] = strdup(regex);
	if (!c->regex_text[c->nregex]) {
		regfree(&c->regex[c->nregex]);
		return -ENOMEM;
	}
	c->nregex++;
	return 0;
}

size_t rt_classifier__highlights(const struct rt_classifier *c)
{
	return c->nregex;
}

const char *rt_classifier__highlight(const struct rt_classifier *c, size_t i)
{
	return i < c->nregex ? c->regex_text[i] : NULL;
}

uint64_t rt_classifier__classify(const struct rt_classifier *c, const char *name)
{
	uint64_t mask = 0;
	int family = rt_family__of(name, strlen(name));
	size_t i;

	if (family >= 0)
		mask |= RT_BIT_FAMILY(family);
	for (i = 0; c && i < c->nregex; i++)
		if (regexec(&c->regex[i], name, 0, NULL, 0) == 0)
			mask |= RT_BIT_HIGHLIGHT(i);
	return mask;
}

/* Masks use at most RT_MAX_BITS bits, so all ones means "not matched yet". */
#define UNCLASSIFIED UINT64_MAX

static int cached_mask(struct rt_classifier *c, const char *name, size_t len, uint64_t *mask)
{
	uint32_t id;
	int err = strpool__intern(c->cache_names, name, len, &id);

	if (err)
		return err;
	if (id >= c->masks_cap) {
		uint32_t cap = c->masks_cap ? c->masks_cap * 2 : 1024, i;
		uint64_t *masks;

		while (cap <= id)
			cap *= 2;
		masks = realloc(c->masks, (size_t)cap * sizeof(*masks));
		if (!masks)
			return -ENOMEM;
		for (i = c->masks_cap; i < cap; i++)
			masks[i] = UNCLASSIFIED;
		c->masks = masks;
		c->masks_cap = cap;
	}
	/* New: match once, against the pooled (NUL-terminated) copy. */
	if (c->masks[id] == UNCLASSIFIED)
		c->masks[id] = rt_classifier__classify(c, strpool__str(c->cache_names, id));
	*mask = c->masks[id];
	return 0;
}

int rt_classifier__stack_mask(struct rt_classifier *c, const char *const *frames,
			      const size_t *lens, size_t n, uint64_t *mask)
{
	uint64_t m = 0, one;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = cached_mask(c, frames[i], lens ? lens[i] : strlen(frames[i]), &one);
		if (err)
			return err;
		m |= one;
	}
	*mask = m;
	return 0;
}

/* ---- shares ------------------------------------------------------------------ */

void rt_share__add(struct rt_share *s, uint64_t stack_mask, double count)
{
	unsigned bit;

	if (stack_mask & RT_BIT_FAMILY(RT_GC_ASSIST))
		stack_mask &= ~RT_BIT_FAMILY(RT_GC_WORKER);
	s->total += count;
	for (bit = 0; stack_mask && bit < RT_MAX_BITS; bit++, stack_mask >>= 1)
		if (stack_mask & 1)
			s->sum[bit] += count;
}

int rt_share__add_stack(struct rt_share *s, struct rt_classifier *c, const char *const *frames,
			const size_t *lens, size_t n, double count)
{
	uint64_t mask;
	int err = rt_classifier__stack_mask(c, frames, lens, n, &mask);

	if (err)
		return err;
	rt_share__add(s, mask, count);
	return 0;
}

double rt_share__fraction(const struct rt_share *s, unsigned bit)
{
	if (bit >= RT_MAX_BITS || !(s->total > 0))
		return 0;
	return s->sum[bit] / s->total;
}

double rt_share__family(const struct rt_share *s, enum rt_family f)
{
	return rt_share__fraction(s, (unsigned)f);
}

double rt_share__highlight(const struct rt_share *s, size_t i)
{
	return i < RT_MAX_HIGHLIGHTS ? rt_share__fraction(s, RT_FAMILY__COUNT + (unsigned)i) : 0;
}
