/* What a symbolized frame is: shared by the symbolizers, the profile model
 * and the writers. */
#ifndef PODFLAME_FRAME_H
#define PODFLAME_FRAME_H

#include <stdint.h>

enum frame_kind {
	FRAME_UNKNOWN = 0, /* no symbol: "[unknown]" or "module+0xOFF" */
	FRAME_KERNEL,
	FRAME_NATIVE, /* ELF symbol of a C/C++/Rust/... binary */
	FRAME_GO, /* from a Go pclntab */
	FRAME_JIT, /* from /tmp/perf-PID.map */
	FRAME_ROOT, /* synthetic: process name, lost-stack markers */
	FRAME_KIND__COUNT,
};

/* One frame of a resolved address. Strings are owned by whoever resolved it
 * (a symbol table, a string pool) and stay valid as long as that lives. */
struct sym_frame {
	const char *function; /* NULL: unknown */
	const char *file; /* NULL: unknown */
	uint32_t line; /* 0: unknown */
	enum frame_kind kind;
};

/* "unknown", "kernel", "native", "go", "jit", "root". */
const char *frame_kind__name(enum frame_kind kind);

#endif
