#include <math.h>
#include <stdint.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
	uint32_t cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json__string(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	fputc('"', fp);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fputc('\\', fp);
			fputc(*s++, fp);
		} else if (*s < 0x20) {
			fprintf(fp, "\\u%04x", *s++);
		} else if ((n = utf8_len(s)) == 0) {
			fputs("\\ufffd", fp);
			s++;
		} else {
			fwrite(s, 1, (size_t)n, fp);
			s += n;
		}
	}
	fputc('"', fp);
}

void json__number(FILE *fp, double v)
{
	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		fprintf(fp, "%.0f", v);
	else
		fprintf(fp, "%.10g", v);
}
