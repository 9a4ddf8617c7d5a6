#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

static bool xml_char_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == 0x09 || cp == 0x0a || cp == 0x0d;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return false;
	return cp != 0xfffe && cp != 0xffff && cp <= 0x10ffff;
}

uint32_t fg_utf8_next(const char *s, size_t len, size_t *adv)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp, min;
	size_t n, i;

	*adv = 1;
	if (p[0] < 0x80)
		return xml_char_ok(p[0]) ? p[0] : 0xfffd;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0xfffd;
	if (len < n)
		return 0xfffd;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, U+FFFE/FFFF. */
	if (cp < min || !xml_char_ok(cp))
		return 0xfffd;
	*adv = n;
	return cp;
}

size_t fg_utf8_chars(const char *s, size_t len)
{
	size_t i = 0, n = 0, adv;

	while (i < len) {
		fg_utf8_next(s + i, len - i, &adv);
		i += adv;
		n++;
	}
	return n;
}

static void put_char(FILE *fp, const char *s, size_t adv, uint32_t cp)
{
	switch (cp) {
	case '&': fputs_unlocked("&amp;", fp); break;
	case '<': fputs_unlocked("&lt;", fp); break;
	case '>': fputs_unlocked("&gt;", fp); break;
	case '"': fputs_unlocked("&quot;", fp); break;
	case '\'': fputs_unlocked("&#39;", fp); break;
	case '\t': fputs_unlocked("&#9;", fp); break;
	case '\n': fputs_unlocked("&#10;", fp); break;
	case '\r': fputs_unlocked("&#13;", fp); break;
	case 0xfffd:
		if (adv == 1) { /* a replaced byte, not a real U+FFFD */
			fputs_unlocked("\xef\xbf\xbd", fp);
			break;
		}
		/* fallthrough */
	default: fwrite_unlocked(s, 1, adv, fp);
	}
}

/* Printable ASCII that needs no escaping: written in runs, not per byte. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

void fg_svg_text(FILE *fp, const char *s, size_t len, size_t max_chars)
{
	size_t i = 0, adv, keep = SIZE_MAX, n = 0;
	bool cut = false;

	/* Most names are plain ASCII: one byte a character, nothing to
	 * escape, written (or cut) in one piece. */
	while (i < len && plain((unsigned char)s[i]))
		i++;
	if (i == len) {
		if (len <= max_chars) {
			fwrite_unlocked(s, 1, len, fp);
			return;
		}
		fwrite_unlocked(s, 1, max_chars >= 2 ? max_chars - 2 : 0, fp);
		fputs_unlocked(max_chars >= 2 ? ".." : "", fp);
		return;
	}
	i = 0;
	if (max_chars != SIZE_MAX && fg_utf8_chars(s, len) > max_chars) {
		cut = true;
		keep = max_chars >= 2 ? max_chars - 2 : 0;
	}
	while (i < len && n < keep) {
		size_t run = 0;
		uint32_t cp;

		while (i + run < len && n + run < keep && plain((unsigned char)s[i + run]))
			run++;
		if (run) {
			fwrite_unlocked(s + i, 1, run, fp);
			i += run;
			n += run;
			continue;
		}
		cp = fg_utf8_next(s + i, len - i, &adv);
		put_char(fp, s + i, adv, cp);
		i += adv;
		n++;
	}
	if (cut)
		fputs_unlocked(max_chars >= 2 ? ".." : "", fp);
}

char *fg_fmt_uint(char *p, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	*p = '\0';
	return p;
}

char *fg_fmt_fixed(char *p, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100, 1000, 10000 };
	double a = fabs(v), s, r, f, d;
	char digits[24];
	uint64_t u;
	int n = 0;

	if (decimals < 0 || decimals > 4 || !(a < 1e12)) {
		int len = snprintf(p, 64, "%.*f", decimals < 0 ? 0 : decimals, v);

		return p + (len > 0 ? len : 0);
	}
	/* Round the exact binary value as printf does: the sign of
	 * |v| * scale - (floor + 0.5), computed exactly by fma, decides; an
	 * exact half goes to even. Below 2^42 the rounded product is off by
	 * less than 2^-10, so a fraction clearly away from one half (nearly
	 * every coordinate) decides without it. */
	s = a * scale[decimals];
	if (s < 0x1p42) {
		r = (double)(uint64_t)s; /* floor, without a call */
		f = s - r;
	} else {
		r = floor(s);
		f = 0.5; /* undecided: the exact test below */
	}
	if (f > 0.5 + 1e-3) {
		r += 1;
	} else if (f >= 0.5 - 1e-3) {
		d = fma(a, scale[decimals], -(r + 0.5));
		if (d > 0 || (d == 0 && fmod(r, 2) != 0))
			r += 1;
	}
	if (signbit(v))
		*p++ = '-';
	/* All the digits, then the point before the last decimals of them:
	 * no division by a variable power of ten. */
	u = (uint64_t)r;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n <= decimals);
	while (n > decimals)
		*p++ = digits[--n];
	if (decimals) {
		*p++ = '.';
		while (n)
			*p++ = digits[--n];
	}
	*p = '\0';
	return p;
}

void fg_svg_js_string(FILE *fp, const char *s, size_t len)
{
	size_t i = 0, adv;

	while (i < len) {
		uint32_t cp = fg_utf8_next(s + i, len - i, &adv);

		i += adv;
		if (cp >= 0x20 && cp < 0x7f && !strchr("\"\\<>&", (int)cp)) {
			fputc((int)cp, fp);
		} else if (cp < 0x10000) {
			fprintf(fp, "\\u%04x", (unsigned)cp);
		} else {
			cp -= 0x10000;
			fprintf(fp, "\\u%04x\\u%04x", 0xd800 + (unsigned)(cp >> 10),
				0xdc00 + (unsigned)(cp & 0x3ff));
		}
	}
}

size_t fg_display_len(const char *name, size_t len)
{
	if (len >= 4 && name[len - 4] == '_' && name[len - 3] == '[' && name[len - 1] == ']' &&
	    strchr("kijw", name[len - 2]) && name[len - 2])
		return len - 4;
	return len;
}

void fg_format_count(char *buf, size_t size, double v)
{
	char digits[64], *out = buf;
	double ip;
	double frac = modf(v < 0 ? -v : v, &ip);
	size_t n, i;
	int len;

	if (size < 2) {
		if (size)
			*buf = '\0';
		return;
	}
	/* Fractions that round away to .00 print as integers. */
	if (frac >= 0.995) {
		ip += 1;
		frac = 0;
	}
	if (ip < 1e18)
		len = (int)(fg_fmt_uint(digits, (uint64_t)ip) - digits);
	else
		len = snprintf(digits, sizeof(digits), "%.0f", ip);
	if (len < 0 || (size_t)len >= sizeof(digits)) {
		snprintf(buf, size, "%g", v);
		return;
	}
	n = (size_t)len;
	if (v < 0 && out < buf + size - 1)
		*out++ = '-';
	for (i = 0; i < n && out < buf + size - 1; i++) {
		*out++ = digits[i];
		if ((n - 1 - i) % 3 == 0 && i + 1 < n && out < buf + size - 1)
			*out++ = ',';
	}
	*out = '\0';
	if (frac >= 0.005) {
		char f[8];

		snprintf(f, sizeof(f), "%.2f", frac);
		if (f[3] == '0')
			f[3] = '\0';
		strncat(buf, f + 1, size - strlen(buf) - 1);
	}
}

void fg_format_number(char *buf, size_t size, double v)
{
	int digits;

	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		char tmp[24];

		if (v < 0)
			snprintf(buf, size, "%.0f", v);
		else if (size > (size_t)(fg_fmt_uint(tmp, (uint64_t)v) - tmp))
			memcpy(buf, tmp, strlen(tmp) + 1);
		else if (size)
			*buf = '\0';
		return;
	}
	/* The shortest form that reads back as the same double. */
	for (digits = 15; digits < 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, size, "%.17g", v);
}
