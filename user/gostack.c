#include <errno.h>
#include <string.h>

#include "gostack.h"
#include "sym/binary.h"
#include "sym/callsite.h"
#include "sym/gobinary.h"

const char *gostack_outcome__name(enum gostack_outcome outcome)
{
	static const char *const names[GOSTACK__COUNT] = {
		[GOSTACK_NOT_GO] = "not Go code",
		[GOSTACK_LINKED] = "frame linked",
		[GOSTACK_RESTORED] = "caller restored from SP",
		[GOSTACK_NO_WORD] =
			"caller lost: no word kept at SP (recovery off, not yet known as Go, or not in the text)",
		[GOSTACK_NOT_RETURN_SITE] = "caller lost: word at SP is not a return site",
	};

	return (unsigned)outcome < GOSTACK__COUNT ? names[outcome] : "?";
}

/* Is word a return address into a Go function of the same binary? Sets
 * *vaddr to its ELF address. */
static bool go_return_site(const struct procsym *ps, const struct binsym *bin, uint64_t word,
			   uint64_t *vaddr)
{
	struct addr_location where;
	uint64_t entry, end;
	const char *name;

	if (procsym__locate(ps, word, &where) || where.bin != bin || !bin)
		return false;
	/* The call is the instruction before: look up word - 1. */
	if (gobinary__func_bounds(binsym__go(bin), where.vaddr - 1, &entry, &end, &name) ||
	    where.vaddr == entry)
		return false;
	*vaddr = where.vaddr;
	return callsite__returns_to(binsym__image(bin), where.vaddr);
}

int gostack__switch_range(const struct procsym *ps, uint64_t *lo, uint64_t *hi)
{
	const struct binsym *exe = procsym__main_binary(ps);
	const struct gobinary *gb = exe ? binsym__go(exe) : NULL;
	uint64_t entry, end;
	const char *name;
	size_t i;

	if (!gb)
		return -ENOENT;
	/* Once per process: a linear pass over the function table. */
	for (i = 0; !gobinary__func(gb, i, &entry, &end, &name); i++) {
		if (strcmp(name, "runtime.systemstack"))
			continue;
		if (procsym__addr_of(ps, exe, entry, lo))
			return -ENOENT;
		*hi = *lo + (end - entry);
		return 0;
	}
	return -ENOENT;
}

/* The entry of the function a direct call right before ret targets, or 0. */
static uint64_t called_entry(const struct procsym *ps, const struct binsym *exe, uint64_t ret)
{
	struct addr_location where;
	uint64_t target;

	if (!ret || procsym__locate(ps, ret, &where) || where.bin != exe ||
	    callsite__direct_target(binsym__image(exe), where.vaddr, &target))
		return 0;
	return target;
}

int gostack__switch_caller(const struct procsym *ps, const uint64_t *words,
			   const uint32_t *distances, size_t n, uint64_t outer_ret)
{
	const struct binsym *exe = procsym__main_binary(ps);
	const struct gobinary *gb = exe ? binsym__go(exe) : NULL;
	uint64_t vaddr, entry, end, callee;
	const char *name;
	int32_t delta;
	size_t i;

	if (!gb)
		return -ENOENT;
	callee = called_entry(ps, exe, outer_ret);
	for (i = 0; i < n; i++) {
		if (!go_return_site(ps, exe, words[i], &vaddr))
			continue;
		/* SP is fixed in a Go function's body, so the return address of
		 * any call it makes sits exactly its SP delta below the frame
		 * record (BP = entry SP - 8, return address at SP - 8). */
		if (gobinary__sp_delta(gb, vaddr - 1, &delta) || (uint32_t)delta != distances[i])
			continue;
		if (callee &&
		    (gobinary__func_bounds(gb, vaddr - 1, &entry, &end, &name) || entry != callee))
			continue;
		return (int)i;
	}
	return -ENOENT;
}

enum gostack_outcome gostack__missing_caller(const struct procsym *ps, uint64_t leaf_pc,
					     uint64_t next_pc, uint64_t sp_word)
{
	struct addr_location leaf;
	int32_t delta;

	if (procsym__locate(ps, leaf_pc, &leaf) || !leaf.bin || !binsym__go(leaf.bin))
		return GOSTACK_NOT_GO;
	if (gobinary__sp_delta(binsym__go(leaf.bin), leaf.vaddr, &delta))
		return GOSTACK_NOT_GO; /* assembly or C linked into a Go binary */
	/* With SP where it was at entry, the return address is at SP and BP
	 * still holds the caller's frame: the walk's next PC is the
	 * grandparent's. Anything pushed means the frame is being built or
	 * is built; a built frame is linked. */
	if (delta != 0)
		return GOSTACK_LINKED;
	if (!sp_word)
		return GOSTACK_NO_WORD;
	if (sp_word == next_pc)
		return GOSTACK_LINKED;
	uint64_t vaddr;

	return go_return_site(ps, leaf.bin, sp_word, &vaddr) ? GOSTACK_RESTORED
							     : GOSTACK_NOT_RETURN_SITE;
}
