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
		[GOSTACK_NO_WORD] = "caller lost: no word kept at SP (process not yet known as Go)",
		[GOSTACK_NOT_RETURN_SITE] = "caller lost: word at SP is not a return site",
	};

	return (unsigned)outcome < GOSTACK__COUNT ? names[outcome] : "?";
}

/* Is word a return address into a Go function of the same binary? */
static bool go_return_site(const struct procsym *ps, const struct binsym *bin, uint64_t word)
{
	struct addr_location where;
	uint64_t entry, end;
	const char *name;

	if (procsym__locate(ps, word, &where) || where.bin != bin)
		return false;
	/* The call is the instruction before: look up word - 1. */
	if (gobinary__func_bounds(binsym__go(bin), where.vaddr - 1, &entry, &end, &name) ||
	    where.vaddr == entry)
		return false;
	return callsite__returns_to(binsym__image(bin), where.vaddr);
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
	return go_return_site(ps, leaf.bin, sp_word) ? GOSTACK_RESTORED : GOSTACK_NOT_RETURN_SITE;
}
