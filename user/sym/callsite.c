#include <elf.h>
#include <errno.h>
#include <string.h>

#include "sym/callsite.h"

/* FF /2 is an indirect near call; the ModRM byte's reg field is 2. */
static bool is_ff2(const uint8_t *modrm_at)
{
	return modrm_at[-1] == 0xff && ((modrm_at[0] >> 3) & 7) == 2;
}

/*
 * x86-64 call forms, by length (the return address is right after them):
 *   5: E8 rel32                       CALL rel32
 *   2: FF /2 mod=11                   CALL reg
 *   3: 41 FF /2 | FF /2 disp8 | FF /2 SIB
 *   4: FF /2 SIB disp8 | REX FF /2 disp8
 *   6: FF /2 disp32 (incl. FF 15 RIP-relative)
 *   7: FF /2 SIB disp32 | REX FF /2 disp32
 * Checking the opcode and ModRM.reg at each candidate length rejects most
 * data words; a false positive only costs an inserted frame that pclntab
 * must also have called a return site inside a Go function.
 */
static bool x86_call_before(const uint8_t *end)
{
	static const int ff_lengths[] = { 2, 3, 4, 6, 7 };
	size_t i;

	if (end[-5] == 0xe8)
		return true;
	for (i = 0; i < sizeof(ff_lengths) / sizeof(ff_lengths[0]); i++) {
		const uint8_t *start = end - ff_lengths[i];

		/* FF /2 filling the whole length, or a REX prefix (40-4F) and
		 * FF /2 after it (which needs at least 3 bytes) */
		if (is_ff2(start + 1) ||
		    (ff_lengths[i] >= 3 && (start[0] & 0xf0) == 0x40 && is_ff2(start + 2)))
			return true;
	}
	return false;
}

static bool arm64_call_before(const uint8_t *end)
{
	uint32_t insn;

	memcpy(&insn, end - 4, sizeof(insn)); /* arm64 is little-endian here */
	return (insn & 0xfc000000u) == 0x94000000u /* BL */ ||
	       (insn & 0xfffffc1fu) == 0xd63f0000u /* BLR */;
}

bool callsite__returns_to(const struct elfimage *img, uint64_t vaddr)
{
	uint8_t bytes[8];

	if (vaddr < sizeof(bytes) ||
	    elfimage__read_vaddr(img, vaddr - sizeof(bytes), bytes, sizeof(bytes)))
		return false;
	switch (elfimage__machine(img)) {
	case EM_X86_64: return x86_call_before(bytes + sizeof(bytes));
	case EM_AARCH64:
		return elfimage__is_little_endian(img) && arm64_call_before(bytes + sizeof(bytes));
	default: return false;
	}
}

int callsite__direct_target(const struct elfimage *img, uint64_t vaddr, uint64_t *target)
{
	uint8_t bytes[5];
	int32_t rel;
	uint32_t insn;

	if (vaddr < sizeof(bytes) ||
	    elfimage__read_vaddr(img, vaddr - sizeof(bytes), bytes, sizeof(bytes)))
		return -ENOENT;
	switch (elfimage__machine(img)) {
	case EM_X86_64:
		if (bytes[0] != 0xe8)
			return -ENOENT;
		memcpy(&rel, bytes + 1, sizeof(rel));
		*target = vaddr + (uint64_t)(int64_t)rel;
		return 0;
	case EM_AARCH64:
		memcpy(&insn, bytes + 1, sizeof(insn));
		if ((insn & 0xfc000000u) != 0x94000000u)
			return -ENOENT;
		/* imm26, in instructions, sign-extended */
		rel = (int32_t)(insn << 6) >> 6;
		*target = vaddr - 4 + (uint64_t)((int64_t)rel * 4);
		return 0;
	default: return -ENOENT;
	}
}
