/* libFuzzer target for the pclntab reader and the ELF glue around it.
 * Input: byte 0 selects the mode, byte 1 the Go minor version; then
 *   mode 0: a little-endian u32 table length, the table (at 0x500000),
 *           then the memory its FUNCDATA (inline trees) points to, mapped
 *           at 0x600000;
 *   mode 1: an ELF file, opened as podflame opens binaries.
 * Every accessor is called on whatever opens. Seeds: tests/fuzz/seed_gopclntab.sh. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sym/elfimage.h"
#include "sym/gobinary.h"
#include "sym/gopclntab.h"

#define MEM_BASE 0x600000u
#define TEXT_BASE 0x401000u

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

/* PCs worth asking about: each function's entry, middle and last byte,
 * the range's edges, and addresses taken from the input. */
static void exercise_table(const struct gopclntab *t, const uint8_t *data, size_t size)
{
	struct sym_frame frames[8];
	uint64_t lo, hi, entry, end;
	const char *name;
	int32_t sp;
	size_t i, n = gopclntab__nfuncs(t);

	gopclntab__pc_range(t, &lo, &hi);
	gopclntab__has_inline(t);
	gopclntab__text_start(t);
	for (i = 0; i < n && i < 64; i++) {
		uint64_t pcs[3];
		size_t k;

		if (gopclntab__func(t, i, &entry, &end, &name))
			continue;
		pcs[0] = entry;
		pcs[1] = entry + (end - entry) / 2;
		pcs[2] = end - 1;
		for (k = 0; k < 3; k++) {
			gopclntab__resolve(t, pcs[k], frames, 8);
			gopclntab__resolve(t, pcs[k], frames, 1);
			gopclntab__sp_delta(t, pcs[k], &sp);
			gopclntab__func_bounds(t, pcs[k], &entry, &end, &name);
		}
	}
	gopclntab__resolve(t, lo - 1, frames, 8);
	gopclntab__resolve(t, hi, frames, 8);
	for (i = 0; i + 4 <= size && i < 256 && hi > lo; i += 4) {
		uint32_t off;

		memcpy(&off, data + i, 4);
		gopclntab__resolve(t, lo + off % (hi - lo), frames, 8);
	}
}

static void fuzz_table(const uint8_t *tab, size_t size, struct input *mem, unsigned minor)
{
	struct gopclntab_header hdr;
	struct gopclntab_opts opts = {
		.gofunc = MEM_BASE,
		.vaddr = 0x500000,
		.go_minor = minor,
		.view = view,
		.view_ctx = mem,
	};
	struct gopclntab *t;

	if (!gopclntab__parse_header(tab, size, &hdr) && !hdr.text_start)
		opts.text_start = TEXT_BASE;
	t = gopclntab__open(tab, size, &opts);
	if (t) {
		exercise_table(t, tab, size);
		gopclntab__free(t);
	}
}

/* u32 length, table, memory */
static void fuzz_raw(const uint8_t *data, size_t size, unsigned minor)
{
	struct input mem;
	uint32_t len;

	if (size < 4)
		return;
	memcpy(&len, data, 4);
	data += 4;
	size -= 4;
	if (len > size)
		len = (uint32_t)size;
	mem = (struct input){ data + len, size - len };
	fuzz_table(data, len, &mem, minor);
}

static void fuzz_elf(const uint8_t *data, size_t size)
{
	struct elfimage *img = elfimage__open_mem(data, size);
	struct gobinary_info info;
	struct sym_frame frames[8];
	struct gobinary *gb;
	char why[128];
	size_t i;

	if (!img)
		return;
	gb = gobinary__open_err(img, why, sizeof(why));
	if (gb) {
		gobinary__info(gb, &info);
		gobinary__go_version(gb);
		gobinary__main_module(gb);
		gobinary__main_path(gb);
		gobinary__has_dep(gb, "golang.org/x/sys");
		gobinary__build_setting(gb, "GOARCH");
		for (i = 0; i < info.nfuncs && i < 64; i++) {
			uint64_t entry, end;
			const char *name;
			int32_t sp;

			if (gobinary__func(gb, i, &entry, &end, &name))
				continue;
			gobinary__resolve(gb, entry + (end - entry) / 2, frames, 8);
			gobinary__sp_delta(gb, entry, &sp);
			gobinary__func_bounds(gb, end - 1, &entry, &end, &name);
		}
		gobinary__free(gb);
	}
	elfimage__free(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (data[0] & 1)
		fuzz_elf(data + 2, size - 2);
	else
		fuzz_raw(data + 2, size - 2, data[1]);
	return 0;
}
