#include <string.h>
#include <strings.h>

#include "palette.h"
#include "strpool.h"

static const char *const palette_names[FG_PALETTE__COUNT] = {
	[FG_PALETTE_GO] = "go",		[FG_PALETTE_HOT] = "hot",
	[FG_PALETTE_MEM] = "mem",	[FG_PALETTE_IO] = "io",
	[FG_PALETTE_RED] = "red",	[FG_PALETTE_GREEN] = "green",
	[FG_PALETTE_BLUE] = "blue",	[FG_PALETTE_AQUA] = "aqua",
	[FG_PALETTE_YELLOW] = "yellow", [FG_PALETTE_PURPLE] = "purple",
	[FG_PALETTE_ORANGE] = "orange",
};

int fg_palette__parse(const char *name)
{
	int i;

	for (i = 0; i < FG_PALETTE__COUNT; i++)
		if (!strcasecmp(name, palette_names[i]))
			return i;
	/* flamegraph.pl's language palettes: ours already knows the kinds. */
	if (!strcasecmp(name, "java") || !strcasecmp(name, "js") || !strcasecmp(name, "perl"))
		return FG_PALETTE_GO;
	return -1;
}

const char *fg_palette__name(enum fg_palette p)
{
	return (unsigned)p < FG_PALETTE__COUNT ? palette_names[p] : "?";
}

const char *fg_palette__names(void)
{
	return "go (default), hot, mem, io, red, green, blue, aqua, yellow, purple, orange";
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

static bool contains(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

enum fg_frame_class fg_palette__class(const char *name, size_t len)
{
	if (has_suffix(name, len, "_[k]"))
		return FG_CLASS_KERNEL;
	if (has_suffix(name, len, "_[i]") || has_suffix(name, len, "_[j]") ||
	    has_suffix(name, len, "_[w]"))
		len -= 4;
	if (len == 0 || name[0] == '[' || contains(name, len, "+0x"))
		return FG_CLASS_UNKNOWN;
	if (!memchr(name, '.', len) || contains(name, len, "::") || memchr(name, ' ', len))
		return FG_CLASS_NATIVE;
	/* GCC's clones of C functions: foo.cold, foo.isra.0, foo.part.1 ... */
	if (contains(name, len, ".cold") || contains(name, len, ".isra.") ||
	    contains(name, len, ".part.") || contains(name, len, ".constprop.") ||
	    contains(name, len, ".lto_priv"))
		return FG_CLASS_NATIVE;
	if ((len > 8 && !memcmp(name, "runtime.", 8)) || (len > 9 && !memcmp(name, "internal/", 9)))
		return FG_CLASS_GO_RUNTIME;
	return FG_CLASS_GO;
}

/* Three independent values in [0, 1) from the name. */
static void name_hash(const char *name, size_t len, double v[3])
{
	uint64_t h = strpool__hash(name, len);
	int i;

	/* FNV-1a mixes the last bytes weakly: stir before slicing. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	for (i = 0; i < 3; i++)
		v[i] = (double)((h >> (i * 21)) & 0x1fffff) / (double)0x200000;
}

static uint8_t mix(int lo, int hi, double v)
{
	return (uint8_t)(lo + (int)((hi - lo) * v + 0.5));
}

static struct fg_rgb ranged(const int r[2], const int g[2], const int b[2], const double v[3])
{
	return (struct fg_rgb){ mix(r[0], r[1], v[0]), mix(g[0], g[1], v[1]),
				mix(b[0], b[1], v[2]) };
}

/* one line: clang-format would spread its braces over seven */
/* clang-format off */
#define RANGE(r0, r1, g0, g1, b0, b1) { { r0, r1 }, { g0, g1 }, { b0, b1 } }
/* clang-format on */

struct range {
	int r[2], g[2], b[2];
};

static const struct range class_ranges[] = {
	[FG_CLASS_NATIVE] = RANGE(210, 250, 80, 200, 30, 60),
	[FG_CLASS_GO] = RANGE(60, 120, 175, 225, 60, 110),
	[FG_CLASS_GO_RUNTIME] = RANGE(150, 180, 185, 210, 210, 235),
	[FG_CLASS_KERNEL] = RANGE(225, 250, 115, 165, 20, 60),
	[FG_CLASS_UNKNOWN] = RANGE(180, 200, 180, 200, 180, 200),
};

static const struct range family_ranges[RT_FAMILY__COUNT] = {
	[RT_SCHEDULE] = RANGE(150, 175, 100, 130, 235, 255),
	[RT_GC_WORKER] = RANGE(25, 60, 160, 190, 160, 190),
	[RT_GC_ASSIST] = RANGE(240, 255, 115, 145, 175, 200),
};

static const struct range single_ranges[FG_PALETTE__COUNT] = {
	[FG_PALETTE_HOT] = RANGE(205, 255, 0, 230, 0, 55),
	[FG_PALETTE_MEM] = RANGE(0, 0, 190, 240, 0, 55),
	[FG_PALETTE_IO] = RANGE(80, 140, 80, 140, 190, 255),
	[FG_PALETTE_RED] = RANGE(200, 255, 50, 110, 50, 110),
	[FG_PALETTE_GREEN] = RANGE(50, 110, 200, 255, 50, 110),
	[FG_PALETTE_BLUE] = RANGE(80, 140, 80, 140, 205, 255),
	[FG_PALETTE_AQUA] = RANGE(50, 110, 165, 220, 165, 220),
	[FG_PALETTE_YELLOW] = RANGE(175, 230, 175, 230, 50, 110),
	[FG_PALETTE_PURPLE] = RANGE(190, 250, 80, 140, 190, 250),
	[FG_PALETTE_ORANGE] = RANGE(190, 250, 90, 155, 0, 55),
};

/* Distinct from the families, from each other and from the search colour
 * (magenta). */
static const struct fg_rgb highlight_colors[] = {
	{ 255, 200, 0 },  { 0, 140, 255 }, { 150, 220, 0 },  { 255, 100, 60 },
	{ 160, 100, 50 }, { 0, 200, 160 }, { 120, 60, 200 }, { 255, 150, 200 },
};
#define NHIGHLIGHT (sizeof(highlight_colors) / sizeof(highlight_colors[0]))

/* one_shade: one value drives all three channels, so the range stays one hue
 * and only its lightness varies. */
static struct fg_rgb from_range(const struct range *rg, const double v[3], bool one_shade)
{
	double w[3] = { v[0], one_shade ? v[0] : v[1], one_shade ? v[0] : v[2] };

	return ranged(rg->r, rg->g, rg->b, w);
}

struct fg_rgb fg_palette__family(enum rt_family f)
{
	const double mid[3] = { 0.5, 0.5, 0.5 };

	return from_range(&family_ranges[(unsigned)f < RT_FAMILY__COUNT ? f : 0], mid, true);
}

struct fg_rgb fg_palette__highlight(size_t i)
{
	return highlight_colors[i % NHIGHLIGHT];
}

struct fg_rgb fg_palette__color(enum fg_palette p, const char *name, size_t len, uint64_t mask)
{
	double v[3];
	unsigned f;
	size_t i;

	name_hash(name, len, v);
	for (f = 0; f < RT_FAMILY__COUNT; f++)
		if (mask & RT_BIT_FAMILY(f))
			return from_range(&family_ranges[f], v, true);
	for (i = 0; i < RT_MAX_HIGHLIGHTS; i++) {
		if (mask & RT_BIT_HIGHLIGHT(i)) {
			struct fg_rgb c = fg_palette__highlight(i);
			int d = (int)(v[0] * 30) - 15; /* a shade, so neighbours differ */

			c.r = (uint8_t)(c.r + d < 0 ? 0 : c.r + d > 255 ? 255 : c.r + d);
			c.g = (uint8_t)(c.g + d < 0 ? 0 : c.g + d > 255 ? 255 : c.g + d);
			c.b = (uint8_t)(c.b + d < 0 ? 0 : c.b + d > 255 ? 255 : c.b + d);
			return c;
		}
	}
	if (p == FG_PALETTE_GO || (unsigned)p >= FG_PALETTE__COUNT)
		return from_range(&class_ranges[fg_palette__class(name, len)], v, false);
	/* hot keeps flamegraph.pl's spread of reds to yellows: independent g. */
	return from_range(&single_ranges[p], v, p != FG_PALETTE_HOT);
}

struct fg_rgb fg_palette__diff(double ratio)
{
	double r = ratio < 0 ? -ratio : ratio;
	uint8_t c;

	if (!(r > 0))
		return (struct fg_rgb){ 245, 245, 245 };
	if (r > 1)
		r = 1;
	c = (uint8_t)(235 - 200 * r + 0.5);
	return ratio > 0 ? (struct fg_rgb){ 255, c, c } : (struct fg_rgb){ c, c, 255 };
}
