/* libFuzzer target for the build info reader: the blob (either layout,
 * its pointers resolved into the input itself, mapped at MEM_BASE), the
 * magic search, and the runtime version string search over the input
 * split into a read-only and a writable half.
 * Seeds: tests/fuzz/seed_gobuildinfo.sh. */
#include <stddef.h>
#include <stdint.h>

#include "sym/gobuildinfo.h"

#define MEM_BASE 0x700000u

struct input {
	const uint8_t *data;
	size_t size;
};

static int view(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail)
{
	const struct input *in = ctx;

	if (vaddr < MEM_BASE || vaddr - MEM_BASE >= in->size)
		return -1;
	*p = in->data + (vaddr - MEM_BASE);
	*avail = in->size - (size_t)(vaddr - MEM_BASE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct gomem_region regions[2] = {
		{ data, size / 2, MEM_BASE, false, false },
		{ data + size / 2, size - size / 2, MEM_BASE + size / 2, true, false },
	};
	struct gobuildinfo *bi;
	const char *a, *b;
	size_t off, i, len;

	bi = gobuildinfo__parse(data, size, view, &in);
	if (bi) {
		gobuildinfo__go_minor(gobuildinfo__go_version(bi));
		gobuildinfo__path(bi);
		gobuildinfo__main_module(bi);
		gobuildinfo__main_version(bi);
		for (i = 0; !gobuildinfo__dep(bi, i, &a, &b); i++)
			gobuildinfo__has_dep(bi, a);
		for (i = 0; !gobuildinfo__setting_at(bi, i, &a, &b); i++)
			gobuildinfo__setting(bi, a);
		gobuildinfo__free(bi);
	}
	if (!gobuildinfo__locate(data, size, MEM_BASE, &off)) {
		bi = gobuildinfo__parse(data + off, size - off, view, &in);
		gobuildinfo__free(bi);
	}
	if (!gobuildinfo__find_runtime_version(regions, 2, 8, false, &a, &len)) {
		bi = gobuildinfo__from_version(a, len);
		gobuildinfo__free(bi);
	}
	gobuildinfo__find_runtime_version(regions, 2, 4, true, &a, &len);
	return 0;
}
