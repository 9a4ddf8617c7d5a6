#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"
#include "sym/perfmap.h"

struct jit_sym {
	uint64_t start, size;
	uint32_t name;
};

struct perfmap {
	struct jit_sym *syms;
	size_t count;
	struct strpool *names;
};

static const char *parse_hex(const char *p, const char *end, uint64_t *value)
{
	uint64_t v = 0;
	int digits = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; p < end && digits < 17; p++, digits++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (!digits || digits > 16)
		return NULL;
	*value = v;
	return p;
}

static int compare_start(const void *a, const void *b)
{
	const struct jit_sym *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* One line into sym; -EINVAL when malformed. */
static int parse_line(struct perfmap *map, const char *p, const char *end, struct jit_sym *sym)
{
	p = parse_hex(p, end, &sym->start);
	if (!p || p >= end || *p != ' ')
		return -EINVAL;
	p = parse_hex(p + 1, end, &sym->size);
	if (!p || p >= end || *p != ' ' || p + 1 == end || !sym->size ||
	    sym->start + sym->size < sym->start)
		return -EINVAL;
	p++;
	return strpool__intern(map->names, p, (size_t)(end - p), &sym->name) ? -ENOMEM : 0;
}

struct perfmap *perfmap__parse(const char *text, size_t len, uint64_t *malformed)
{
	struct perfmap *map = calloc(1, sizeof(*map));
	size_t pos = 0, cap = 0;

	*malformed = 0;
	if (!map || !(map->names = strpool__new()))
		goto nomem;
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		const char *end = nl ? nl : text + len;
		struct jit_sym sym;
		int err;

		pos = (size_t)(end - text) + 1;
		if (end == line)
			continue;
		err = parse_line(map, line, end, &sym);
		if (err == -ENOMEM)
			goto nomem;
		if (err) {
			(*malformed)++;
			continue;
		}
		if (map->count == cap) {
			size_t new_cap = cap ? cap * 2 : 256;
			struct jit_sym *syms = realloc(map->syms, new_cap * sizeof(*syms));

			if (!syms)
				goto nomem;
			map->syms = syms;
			cap = new_cap;
		}
		map->syms[map->count++] = sym;
	}
	if (map->count) /* qsort(NULL, 0) is undefined */
		qsort(map->syms, map->count, sizeof(*map->syms), compare_start);
	return map;
nomem:
	perfmap__free(map);
	errno = ENOMEM;
	return NULL;
}

void perfmap__free(struct perfmap *map)
{
	if (!map)
		return;
	strpool__free(map->names);
	free(map->syms);
	free(map);
}

size_t perfmap__count(const struct perfmap *map)
{
	return map->count;
}

int perfmap__resolve(const struct perfmap *map, uint64_t addr, const char **name)
{
	size_t lo = 0, hi = map->count;
	const struct jit_sym *sym;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -ENOENT;
	sym = &map->syms[lo - 1];
	if (addr - sym->start >= sym->size)
		return -ENOENT;
	*name = strpool__str(map->names, sym->name);
	return 0;
}
