/* Frame colours. Every colour comes from a hash of the frame's name, so the
 * same name has the same colour in every graph and every run.
 *
 * The default "go" palette tells frame kinds apart by their names:
 *   kernel   (suffix "_[k]")                                orange
 *   Go       (pkg.Func, pkg/path.(*T).Method, no "::")      green
 *   Go runtime (runtime.xxx, internal/...)                  blue-grey
 *   native   (C, C++ "::", Rust, GCC clones "foo.cold")     red-yellow
 *   unknown  ("[unknown]", "module+0xOFF", "[...]")         grey
 * and draws the Go runtime families (runtime_share.h) and user highlights
 * in their own colours, which the legend shows. Family and highlight colours
 * apply in every palette. flamegraph.pl's single-hue palettes are kept for
 * users who know them. */
#ifndef PODFLAME_FG_PALETTE_H
#define PODFLAME_FG_PALETTE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime_share.h"

enum fg_palette {
	FG_PALETTE_GO = 0,
	FG_PALETTE_HOT,
	FG_PALETTE_MEM,
	FG_PALETTE_IO,
	FG_PALETTE_RED,
	FG_PALETTE_GREEN,
	FG_PALETTE_BLUE,
	FG_PALETTE_AQUA,
	FG_PALETTE_YELLOW,
	FG_PALETTE_PURPLE,
	FG_PALETTE_ORANGE,
	FG_PALETTE__COUNT,
};

enum fg_frame_class {
	FG_CLASS_NATIVE = 0,
	FG_CLASS_GO,
	FG_CLASS_GO_RUNTIME,
	FG_CLASS_KERNEL,
	FG_CLASS_UNKNOWN,
};

struct fg_rgb {
	uint8_t r, g, b;
};

/* The palette named name ("go", "hot", ...; "java"/"js" map to "go"), or -1. */
int fg_palette__parse(const char *name);
const char *fg_palette__name(enum fg_palette p);
/* Comma-separated names, for --help. */
const char *fg_palette__names(void);

enum fg_frame_class fg_palette__class(const char *name, size_t len);
/* The colour of a frame; mask is its RT_BIT_* bits (families win over
 * highlights, the first highlight over later ones). */
struct fg_rgb fg_palette__color(enum fg_palette p, const char *name, size_t len, uint64_t mask);
/* Legend swatches. */
struct fg_rgb fg_palette__family(enum rt_family f);
struct fg_rgb fg_palette__highlight(size_t i);
/* Differential colour: ratio in [-1, 1], > 0 grew (red), < 0 shrank (blue),
 * 0 unchanged (white). Clamped. */
struct fg_rgb fg_palette__diff(double ratio);

#endif
