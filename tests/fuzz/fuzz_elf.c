/* ELF images from outside: every accessor the symbolizers use on a binary
 * (sections, segments, build id, function symbols, call-site decoding, the
 * Go glue on top) must bound every read. */
#include <stddef.h>
#include <stdint.h>

#include "sym/binary.h"
#include "sym/callsite.h"
#include "sym/elfimage.h"
#include "sym/elfsyms.h"

static void probe_addresses(const struct binsym *bin, const struct elfimage *img, uint64_t base)
{
	static const uint64_t deltas[] = { 0, 1, 7, 0x40, 0x1000, 0x12345, 0xffffff };
	struct sym_frame frames[16];
	uint64_t target, off, vaddr;
	size_t i;

	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		binsym__resolve(bin, base + deltas[i], frames, 16);
		callsite__returns_to(img, base + deltas[i]);
		callsite__direct_target(img, base + deltas[i], &target);
		if (!elfimage__vaddr_to_offset(img, base + deltas[i], &off))
			elfimage__offset_to_vaddr(img, off, &vaddr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfimage *img = elfimage__open_mem(data, size);
	struct byteview view;
	struct binsym *bin;
	const uint8_t *id;
	size_t id_len;
	uint8_t word[8];

	if (!img)
		return 0;
	elfimage__build_id(img, &id, &id_len);
	elfimage__section(img, ".text", &view);
	elfimage__section(img, ".gopclntab", &view);
	elfimage__read_vaddr(img, elfimage__load_base(img), word, sizeof(word));
	/* binsym takes the image: symbols (.symtab/.dynsym) and Go tables */
	bin = binsym__open_image(img, "fuzz");
	if (!bin)
		return 0;
	probe_addresses(bin, binsym__image(bin), elfimage__load_base(binsym__image(bin)));
	if (!elfimage__section(binsym__image(bin), ".text", &view))
		probe_addresses(bin, binsym__image(bin), view.vaddr);
	binsym__free(bin);
	return 0;
}
