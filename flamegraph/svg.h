/* Low-level SVG/XML text output shared by the flame-graph writers.
 *
 * Names come from anywhere (perf, other tools, hostile files): every byte of
 * a name goes through here, so markup in a name never becomes markup. XML 1.0
 * also forbids most control characters and malformed UTF-8 even as character
 * references; those become U+FFFD, one per offending byte. */
#ifndef PODFLAME_FG_SVG_H
#define PODFLAME_FG_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The code point at s[0..len) (len > 0) and its length in *adv; invalid
 * UTF-8 and characters XML forbids give 0xFFFD with *adv = 1. */
uint32_t fg_utf8_next(const char *s, size_t len, size_t *adv);
/* Number of characters (as fg_utf8_next counts them). */
size_t fg_utf8_chars(const char *s, size_t len);

/* Writes s as XML text or attribute value: & < > " ' escaped, tab/newline/CR
 * as character references. At most max_chars characters: a longer string is
 * cut to max_chars - 2 characters followed by "..". max_chars == SIZE_MAX:
 * no limit. */
void fg_svg_text(FILE *fp, const char *s, size_t len, size_t max_chars);
static inline void fg_svg_escape(FILE *fp, const char *s, size_t len)
{
	fg_svg_text(fp, s, len, SIZE_MAX);
}
/* Writes s as the body of a JavaScript string literal (inside a CDATA
 * section): everything outside printable ASCII, and " \ < > &, as \uXXXX. */
void fg_svg_js_string(FILE *fp, const char *s, size_t len);

/* Length of name without a perf/flamegraph.pl annotation suffix
 * ("_[k]", "_[i]", "_[j]", "_[w]"), which is shown as colour instead. */
size_t fg_display_len(const char *name, size_t len);

/* Fast number writers for the per-frame output; both NUL-terminate and
 * return the end. fg_fmt_fixed gives what printf("%.*f") gives, for 0..4
 * decimals (p needs 64 bytes). */
char *fg_fmt_uint(char *p, uint64_t v);
char *fg_fmt_fixed(char *p, double v, int decimals);

/* A count for people: "1,234,567", fractions to two places ("12.5"). */
void fg_format_count(char *buf, size_t size, double v);
/* A count for the JS: the shortest exact decimal ("1234", "0.5"). */
void fg_format_number(char *buf, size_t size, double v);

#endif
