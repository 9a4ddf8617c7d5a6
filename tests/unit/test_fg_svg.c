/* XML escaping of hostile names, UTF-8 sanitizing, truncation, numbers. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flamegraph/svg.h"

/* Runs fg_svg_text into a string (caller frees). */
static char *text(const char *s, size_t len, size_t max_chars)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	fg_svg_text(fp, s, len, max_chars);
	fclose(fp);
	return buf;
}

static char *esc(const char *s)
{
	return text(s, strlen(s), SIZE_MAX);
}

#define CHECK_ESC(in, want)               \
	do {                              \
		char *got_ = esc(in);     \
		CHECK_STR_EQ(got_, want); \
		free(got_);               \
	} while (0)

static void test_markup(void)
{
	CHECK_ESC("plain.name", "plain.name");
	CHECK_ESC("a<b>&c", "a&lt;b&gt;&amp;c");
	CHECK_ESC("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;");
	CHECK_ESC("]]>", "]]&gt;");
	CHECK_ESC("</title><script>alert(1)</script>",
		  "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_ESC("x\" onload=\"alert(1)", "x&quot; onload=&quot;alert(1)");
	CHECK_ESC("&amp;", "&amp;amp;");
	CHECK_ESC("tab\there\nnl\rcr", "tab&#9;here&#10;nl&#13;cr");
}

static void test_utf8(void)
{
	/* valid multi-byte characters pass through */
	CHECK_ESC("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\xa5",
		  "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\xa5");
	/* a stray continuation byte, a truncated sequence, overlong '/', a
	 * surrogate, above U+10FFFF, U+FFFE, C0 controls: one U+FFFD per byte */
	CHECK_ESC("a\x80z", "a\xef\xbf\xbdz");
	CHECK_ESC("a\xe6\x97", "a\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xef\xbf\xbe", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\x01\x1b[31m", "\xef\xbf\xbd\xef\xbf\xbd[31m");
	CHECK_ESC("\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd");
	/* a real U+FFFD stays one character */
	CHECK_INT_EQ(fg_utf8_chars("\xef\xbf\xbd", 3), 1);
	CHECK_INT_EQ(fg_utf8_chars("caf\xc3\xa9", 5), 4);
	CHECK_INT_EQ(fg_utf8_chars("\x80\x80", 2), 2);
}

static void test_truncate(void)
{
	char *s;

	s = text("runtime.findRunnable", 20, 20);
	CHECK_STR_EQ(s, "runtime.findRunnable");
	free(s);
	s = text("runtime.findRunnable", 20, 10);
	CHECK_STR_EQ(s, "runtime...");
	free(s);
	/* counted in characters, never cutting one in half */
	s = text("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99", 15, 4);
	CHECK_STR_EQ(s, "\xe6\x97\xa5\xe6\x9c\xac..");
	free(s);
	/* escaping happens after the cut: no half entity */
	s = text("<<<<<<<<", 8, 4);
	CHECK_STR_EQ(s, "&lt;&lt;..");
	free(s);
}

static void test_js_string(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	fg_svg_js_string(fp, "a\"b\\c<]]>\n\xc3\xa9\xf0\x9f\x94\xa5\x80", 17);
	fclose(fp);
	CHECK_STR_EQ(buf, "a\\u0022b\\u005cc\\u003c]]\\u003e\\u000a\\u00e9\\ud83d\\udd25\\ufffd");
	free(buf);
}

static void test_display_len(void)
{
	CHECK_INT_EQ(fg_display_len("do_syscall_64_[k]", 17), 13);
	CHECK_INT_EQ(fg_display_len("inlined_[i]", 11), 7);
	CHECK_INT_EQ(fg_display_len("x_[j]", 5), 1);
	CHECK_INT_EQ(fg_display_len("x_[q]", 5), 5);
	CHECK_INT_EQ(fg_display_len("[k]", 3), 3);
	CHECK_INT_EQ(fg_display_len("_[k]", 4), 0);
}

static void test_numbers(void)
{
	char buf[64];

	fg_format_count(buf, sizeof(buf), 0);
	CHECK_STR_EQ(buf, "0");
	fg_format_count(buf, sizeof(buf), 999);
	CHECK_STR_EQ(buf, "999");
	fg_format_count(buf, sizeof(buf), 1000);
	CHECK_STR_EQ(buf, "1,000");
	fg_format_count(buf, sizeof(buf), 1234567);
	CHECK_STR_EQ(buf, "1,234,567");
	fg_format_count(buf, sizeof(buf), 12.5);
	CHECK_STR_EQ(buf, "12.5");
	fg_format_count(buf, sizeof(buf), 1234.25);
	CHECK_STR_EQ(buf, "1,234.25");
	fg_format_count(buf, sizeof(buf), 2.999);
	CHECK_STR_EQ(buf, "3");
	fg_format_count(buf, sizeof(buf), -1500);
	CHECK_STR_EQ(buf, "-1,500");
	fg_format_count(buf, 4, 1234567);
	CHECK_INT_EQ(strlen(buf), 3);
	fg_format_number(buf, sizeof(buf), 5000000);
	CHECK_STR_EQ(buf, "5000000");
	fg_format_number(buf, sizeof(buf), 0.5);
	CHECK_STR_EQ(buf, "0.5");
}

/* The fast fixed-point writer prints what printf prints, halves included. */
static void test_fmt_fixed_like_printf(void)
{
	static const double special[] = { 0,	 0.5,  1.5,   2.5,    0.015, 0.125, 1.25,      1.35,
					  2.675, -0.5, -1.25, 99.995, 1180,  0.05,  1e11 + 0.5 };
	uint64_t x = 12345;
	char want[128], got[128];
	int d, bad = 0;
	size_t i;

	for (i = 0; i < 400000 + sizeof(special) / sizeof(special[0]); i++) {
		double v;

		if (i < sizeof(special) / sizeof(special[0])) {
			v = special[i];
		} else {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			/* counts, pixels and percentages, many of them exact
			 * halves; and decimal fractions up to 1e12, whose products
			 * land near halves without being one */
			if (i % 3)
				v = (double)(x >> 40) / (double)(1u << (x % 12));
			else
				v = (double)(x >> (24 + x % 31)) * (x % 2 ? 1e-3 : 1e-1);
		}
		for (d = 0; d <= 4; d++) {
			snprintf(want, sizeof(want), "%.*f", d, v);
			fg_fmt_fixed(got, v, d);
			if (strcmp(want, got) && bad++ < 5)
				fprintf(stderr, "  %.17g %d: printf %s, ours %s\n", v, d, want,
					got);
		}
	}
	CHECK_INT_EQ(bad, 0);
	fg_fmt_uint(got, 0);
	CHECK_STR_EQ(got, "0");
	fg_fmt_uint(got, 18446744073709551615ull);
	CHECK_STR_EQ(got, "18446744073709551615");
}

int main(void)
{
	CHECK_BEGIN("test_fg_svg");
	RUN(test_markup);
	RUN(test_utf8);
	RUN(test_truncate);
	RUN(test_js_string);
	RUN(test_display_len);
	RUN(test_numbers);
	RUN(test_fmt_fixed_like_printf);
	return CHECK_END();
}
