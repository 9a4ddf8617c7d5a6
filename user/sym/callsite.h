/* Is an address a return address: does a call instruction end right before
 * it? Used to accept the word at SP as a frameless leaf's caller only when
 * it really is a return site. */
#ifndef PODFLAME_CALLSITE_H
#define PODFLAME_CALLSITE_H

#include <stdbool.h>
#include <stdint.h>

#include "sym/elfimage.h"

/* True when the instruction bytes of img just before vaddr (an ELF virtual
 * address) encode a call on img's machine: x86-64 CALL rel32 and the
 * register/memory-indirect forms (with or without REX), arm64 BL/BLR.
 * False for other machines and for addresses whose bytes are not in the
 * file. */
bool callsite__returns_to(const struct elfimage *img, uint64_t vaddr);

/* When the call ending right before vaddr is a direct CALL rel32 (x86-64)
 * or BL (arm64), its target's virtual address. -ENOENT for indirect calls
 * and non-calls. */
int callsite__direct_target(const struct elfimage *img, uint64_t vaddr, uint64_t *target);

#endif
