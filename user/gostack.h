/* Complete Go stacks: restoring the caller a frame-pointer walk skips when
 * the sampled PC is in a Go function that has not linked its frame (a
 * frameless leaf such as memclrNoHeapPointers or runtime.futex, or any
 * prologue/epilogue). The BPF program keeps the word at SP; this decides,
 * from the pclntab's SP delta at the PC, whether that word is the missing
 * caller. Not covered: the one or two prologue instructions between moving
 * SP and setting BP (SP delta > 0, BP still the caller's): the caller is
 * missing there, as in every frame-pointer profiler. */
#ifndef PODFLAME_GOSTACK_H
#define PODFLAME_GOSTACK_H

#include <stdint.h>

#include "sym/procsym.h"

enum gostack_outcome {
	GOSTACK_NOT_GO, /* the leaf is not in Go code: nothing to decide */
	GOSTACK_LINKED, /* the leaf's frame is linked: the walk is complete */
	GOSTACK_RESTORED, /* frameless at the PC: the word at SP is inserted */
	GOSTACK_NO_WORD, /* frameless, but the program kept no word at SP
			   (the process was not yet marked Go, or the return
			   address is outside the executable's text) */
	GOSTACK_NOT_RETURN_SITE, /* frameless, but the word is no call's
				    return address in Go code */
	GOSTACK__COUNT,
};

/* Decides for a user stack whose innermost PC is leaf_pc, whose walk went
 * next to next_pc (0 if none), with sp_word from the program (0 if none). */
enum gostack_outcome gostack__missing_caller(const struct procsym *ps, uint64_t leaf_pc,
					     uint64_t next_pc, uint64_t sp_word);

/* The runtime address range of runtime.systemstack in the process's main
 * binary, for the program's switch detection. -ENOENT when not Go. */
int gostack__switch_range(const struct procsym *ps, uint64_t *lo, uint64_t *hi);

/* At a stack switch, which candidate word (from the program, with its
 * distance below the goroutine's frame record in bytes) is the return
 * address into the function that called runtime.systemstack: the one that
 * is a return site in Go code whose SP delta at the call equals its
 * distance and, when outer_ret (where that function returns to; 0 if
 * unknown) follows a direct call, whose function that call targets.
 * Stale return addresses left by earlier calls from the same frame position
 * pass the first test but not the second. Returns its index, or -ENOENT. */
int gostack__switch_caller(const struct procsym *ps, const uint64_t *words,
			   const uint32_t *distances, size_t n, uint64_t outer_ret);

/* "restored", "no word at SP", ... for the summary. */
const char *gostack_outcome__name(enum gostack_outcome outcome);

#endif
