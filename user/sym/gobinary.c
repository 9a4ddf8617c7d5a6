/* Placeholder until the pclntab reader lands (issue 4): no binary is treated
 * as Go, so Go frames come from .symtab meanwhile. Replaced, not extended. */
#include <errno.h>

#include "sym/gobinary.h"

struct gobinary *gobinary__open(const struct elfimage *img)
{
	(void)img;
	errno = ENOENT;
	return NULL;
}

void gobinary__free(struct gobinary *gb)
{
	(void)gb;
}

int gobinary__resolve(const struct gobinary *gb, uint64_t vaddr, struct sym_frame *frames,
		      size_t cap)
{
	(void)gb, (void)vaddr, (void)frames, (void)cap;
	return -ENOENT;
}

int gobinary__func_bounds(const struct gobinary *gb, uint64_t vaddr, uint64_t *entry,
			  uint64_t *end, const char **name)
{
	(void)gb, (void)vaddr, (void)entry, (void)end, (void)name;
	return -ENOENT;
}

int gobinary__sp_delta(const struct gobinary *gb, uint64_t vaddr, int32_t *delta)
{
	(void)gb, (void)vaddr, (void)delta;
	return -ENOENT;
}

const char *gobinary__go_version(const struct gobinary *gb)
{
	(void)gb;
	return NULL;
}

const char *gobinary__main_module(const struct gobinary *gb)
{
	(void)gb;
	return NULL;
}

bool gobinary__has_dep(const struct gobinary *gb, const char *module_path)
{
	(void)gb, (void)module_path;
	return false;
}

const char *gobinary__build_setting(const struct gobinary *gb, const char *key)
{
	(void)gb, (void)key;
	return NULL;
}
