/* The pc-value table encoding shared by the pclntab reader and its index
 * (internal to user/sym/). A table is a run of (value delta, pc delta)
 * pairs: the value delta a zig-zag uvarint, the pc delta a uvarint in units
 * of the instruction quantum; it starts at the function's entry with the
 * value -1 and ends at a zero value delta that is not the first. */
#ifndef PODFLAME_GOPCVALUE_H
#define PODFLAME_GOPCVALUE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

/* Where a decode stands: the value holds for PCs below pc. */
struct pcv_state {
	const uint8_t *p; /* next pair */
	uint64_t pc;
	uint32_t val; /* int32 stored unsigned: wraps instead of overflowing */
};

static inline int pcv_uvarint(const uint8_t **pp, const uint8_t *end, uint32_t *out)
{
	const uint8_t *p = *pp;
	uint32_t v = 0;
	unsigned shift;

	for (shift = 0; shift < 35; shift += 7) {
		uint8_t b;

		if (p >= end)
			return -EBADMSG;
		b = *p++;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return 0;
		}
	}
	return -EBADMSG;
}

/* One pair. 0; -ENOENT at the table's end; -EBADMSG past end. As Go's
 * runtime, a zero value delta ends the table unless no PC has been covered
 * yet (pc == base). */
static inline int pcv_step(struct pcv_state *s, const uint8_t *end, uint64_t base, unsigned quantum)
{
	uint32_t uv, pcdelta;

	if (pcv_uvarint(&s->p, end, &uv))
		return -EBADMSG;
	if (uv == 0 && s->pc != base)
		return -ENOENT;
	if (pcv_uvarint(&s->p, end, &pcdelta))
		return -EBADMSG;
	s->val += (uv & 1) ? ~(uv >> 1) : (uv >> 1);
	s->pc += (uint64_t)pcdelta * quantum;
	return 0;
}

#endif
