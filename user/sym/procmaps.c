#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "sym/procmaps.h"

static const char *parse_hex(const char *p, const char *end, uint64_t *value)
{
	uint64_t v = 0;
	int digits = 0;

	for (; p < end; p++, digits++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (digits == 16)
			return NULL;
		v = v << 4 | (uint64_t)d;
	}
	if (!digits)
		return NULL;
	*value = v;
	return p;
}

static const char *parse_dec(const char *p, const char *end, uint64_t *value)
{
	uint64_t v = 0;
	int digits = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return NULL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (!digits)
		return NULL;
	*value = v;
	return p;
}

static const char *expect(const char *p, const char *end, char c)
{
	return p && p < end && *p == c ? p + 1 : NULL;
}

/* Parses one line into m; path points into line (made NUL-terminated by the
 * caller's buffer). Returns 0 or -EINVAL. */
static int parse_line(char *line, char *end, struct procmap *m)
{
	uint64_t maj, min;
	const char *p = line;
	char *path;

	memset(m, 0, sizeof(*m));
	p = parse_hex(p, end, &m->start);
	p = expect(p, end, '-');
	p = p ? parse_hex(p, end, &m->end) : NULL;
	p = expect(p, end, ' ');
	if (!p || end - p < 5 || p[4] != ' ')
		return -EINVAL;
	memcpy(m->perms, p, 4);
	p = parse_hex(p + 5, end, &m->offset);
	p = expect(p, end, ' ');
	p = p ? parse_hex(p, end, &maj) : NULL;
	p = expect(p, end, ':');
	p = p ? parse_hex(p, end, &min) : NULL;
	p = expect(p, end, ' ');
	p = p ? parse_dec(p, end, &m->inode) : NULL;
	if (!p || m->end < m->start || maj > UINT32_MAX || min > UINT32_MAX)
		return -EINVAL;
	m->dev_major = (uint32_t)maj;
	m->dev_minor = (uint32_t)min;
	while (p < end && *p == ' ')
		p++;
	path = (char *)p;
	*end = '\0';
	if (end - path >= 10 && !strcmp(end - 10, " (deleted)")) {
		end[-10] = '\0';
		m->deleted = true;
	}
	m->path = path;
	return 0;
}

static int compare_start(const void *a, const void *b)
{
	const struct procmap *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* A snapshot is kept for the whole run, one per process seen: keep the
 * paths of the mappings kept, not the whole text, and no spare slots. */
static int compact(struct procmaps *out)
{
	size_t need = 0, used = 0, i;
	char *paths;

	for (i = 0; i < out->count; i++)
		need += strlen(out->maps[i].path) + 1;
	paths = malloc(need ? need : 1);
	if (!paths)
		return -ENOMEM;
	for (i = 0; i < out->count; i++) {
		size_t n = strlen(out->maps[i].path) + 1;

		memcpy(paths + used, out->maps[i].path, n);
		out->maps[i].path = paths + used;
		used += n;
	}
	free(out->text);
	out->text = paths;
	if (out->count) {
		struct procmap *fitted = realloc(out->maps, out->count * sizeof(*fitted));

		if (fitted)
			out->maps = fitted;
	}
	return 0;
}

int procmaps__parse(struct procmaps *out, const char *text, size_t len, bool exec_only)
{
	size_t cap = 0, pos = 0;
	char *copy;
	int err;

	memset(out, 0, sizeof(*out));
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	out->text = copy;
	while (pos < len) {
		char *line = copy + pos, *nl = memchr(line, '\n', len - pos);
		char *end = nl ? nl : copy + len;
		struct procmap m;

		pos = (size_t)(end - copy) + 1;
		if (end == line)
			continue;
		if (parse_line(line, end, &m)) {
			out->malformed++;
			continue;
		}
		if (exec_only && m.perms[2] != 'x')
			continue;
		if (out->count == cap) {
			size_t new_cap = cap ? cap * 2 : 64;
			struct procmap *maps = realloc(out->maps, new_cap * sizeof(*maps));

			if (!maps) {
				procmaps__release(out);
				return -ENOMEM;
			}
			out->maps = maps;
			cap = new_cap;
		}
		out->maps[out->count++] = m;
	}
	err = compact(out);
	if (err) {
		procmaps__release(out);
		return err;
	}
	/* The kernel prints in order; sorting makes procmaps__find safe on any
	 * input. */
	if (out->count) /* maps is NULL when empty: qsort(NULL, 0) is undefined */
		qsort(out->maps, out->count, sizeof(*out->maps), compare_start);
	return 0;
}

int procmaps__read_pid(struct procmaps *out, int pid, bool exec_only)
{
	char path[64], *text;
	size_t len;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	err = fileio__slurp(path, &text, &len, 256u << 20);
	if (err)
		return err;
	err = procmaps__parse(out, text, len, exec_only);
	free(text);
	return err;
}

void procmaps__release(struct procmaps *maps)
{
	free(maps->maps);
	free(maps->text);
	memset(maps, 0, sizeof(*maps));
}

const struct procmap *procmaps__find(const struct procmaps *maps, uint64_t addr)
{
	size_t lo = 0, hi = maps->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct procmap *m = &maps->maps[mid];

		if (addr < m->start)
			hi = mid;
		else if (addr >= m->end)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}
