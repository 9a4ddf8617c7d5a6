#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strpool.h"
#include "sym/kallsyms.h"

struct ksym {
	uint64_t addr;
	uint32_t name; /* strpool ids */
	uint32_t module; /* 0 ("") for the core kernel */
};

struct kallsyms {
	struct ksym *syms;
	size_t count, cap;
	struct strpool *names;
};

static bool is_text_type(char type)
{
	/* t/T text, w/W weak (often text); data and absolute symbols are not
	 * where a PC can land. */
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static int push(struct kallsyms *ks, uint64_t addr, const char *name, size_t name_len,
		const char *module, size_t module_len)
{
	struct ksym *sym;
	int err;

	if (ks->count == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 65536;
		struct ksym *syms = realloc(ks->syms, cap * sizeof(*syms));

		if (!syms)
			return -ENOMEM;
		ks->syms = syms;
		ks->cap = cap;
	}
	sym = &ks->syms[ks->count];
	sym->addr = addr;
	err = strpool__intern(ks->names, name, name_len, &sym->name);
	if (!err)
		err = strpool__intern(ks->names, module, module_len, &sym->module);
	if (err)
		return err;
	ks->count++;
	return 0;
}

/* One line: "ADDR TYPE NAME[\t[MODULE]]". Returns 1 when kept, 0 when
 * skipped (not text), -EINVAL malformed, -ENOMEM. */
static int parse_line(struct kallsyms *ks, const char *line, size_t len,
		      struct kallsyms_stats *stats)
{
	const char *p = line, *end = line + len, *name, *name_end, *module = "", *module_end;
	uint64_t addr = 0;
	int digits = 0, err;
	char type;

	for (; p < end && digits < 17; p++, digits++) {
		int v;

		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			break;
		addr = addr << 4 | (uint64_t)v;
	}
	if (digits == 0 || digits > 16 || end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return -EINVAL;
	type = p[1];
	name = p + 3;
	for (name_end = name; name_end < end && *name_end != '\t' && *name_end != ' '; name_end++)
		;
	if (name_end == name)
		return -EINVAL;
	module_end = module;
	if (name_end < end && *name_end == '\t' && end - name_end > 2 && name_end[1] == '[' &&
	    end[-1] == ']') {
		module = name_end + 2;
		module_end = end - 1;
	}
	if (!is_text_type(type))
		return 0;
	if (addr == 0) {
		stats->zero_addresses++;
		return 0;
	}
	err = push(ks, addr, name, (size_t)(name_end - name), module,
		   (size_t)(module_end - module));
	return err ? err : 1;
}

static int compare_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Aliases: keep a stable order so resolution is deterministic. */
	return x->name < y->name ? -1 : x->name > y->name;
}

struct kallsyms *kallsyms__load_mem(const char *buf, size_t len, struct kallsyms_stats *stats)
{
	struct kallsyms_stats local = { 0 };
	struct kallsyms *ks = calloc(1, sizeof(*ks));
	size_t pos = 0;
	int err = -ENOMEM;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!ks || !(ks->names = strpool__new()))
		goto fail;
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;

		pos += line_len + (nl ? 1 : 0);
		if (line_len == 0)
			continue;
		stats->lines++;
		err = parse_line(ks, line, line_len, stats);
		if (err == -EINVAL)
			stats->malformed++;
		else if (err < 0)
			goto fail;
	}
	if (ks->count == 0 && stats->zero_addresses > 0) {
		err = -EPERM;
		goto fail;
	}
	if (ks->count) /* qsort(NULL, 0) is undefined */
		qsort(ks->syms, ks->count, sizeof(*ks->syms), compare_ksym);
	stats->symbols = ks->count;
	return ks;
fail:
	kallsyms__free(ks);
	errno = -err;
	return NULL;
}

struct kallsyms *kallsyms__load_fd(int fd, struct kallsyms_stats *stats)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	struct kallsyms *ks;
	ssize_t n;

	if (!buf)
		return NULL;
	/* procfs reports size 0, so read until EOF. */
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		len += (size_t)n;
		if (len == cap) {
			char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	ks = kallsyms__load_mem(buf, len, stats);
	free(buf);
	return ks;
}

void kallsyms__free(struct kallsyms *ks)
{
	if (!ks)
		return;
	strpool__free(ks->names);
	free(ks->syms);
	free(ks);
}

size_t kallsyms__count(const struct kallsyms *ks)
{
	return ks->count;
}

int kallsyms__resolve(const struct kallsyms *ks, uint64_t addr, const char **name,
		      const char **module, uint64_t *offset)
{
	size_t lo = 0, hi = ks->count;
	const struct ksym *sym;

	/* Last symbol with sym->addr <= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -ENOENT;
	sym = &ks->syms[lo - 1];
	/* Past the last symbol there is no bound; refuse far-off addresses. */
	if (lo == ks->count && addr - sym->addr > (1u << 20))
		return -ENOENT;
	/* Prefer the first alias at this address (sorted by name id). */
	while (sym > ks->syms && sym[-1].addr == sym->addr)
		sym--;
	*name = strpool__str(ks->names, sym->name);
	if (module)
		*module = sym->module ? strpool__str(ks->names, sym->module) : NULL;
	if (offset)
		*offset = addr - sym->addr;
	return 0;
}
