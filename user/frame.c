#include "frame.h"

const char *frame_kind__name(enum frame_kind kind)
{
	static const char *const names[FRAME_KIND__COUNT] = {
		[FRAME_UNKNOWN] = "unknown", [FRAME_KERNEL] = "kernel", [FRAME_NATIVE] = "native",
		[FRAME_GO] = "go",	     [FRAME_JIT] = "jit",	[FRAME_ROOT] = "root",
	};

	return (unsigned)kind < FRAME_KIND__COUNT ? names[kind] : "unknown";
}
