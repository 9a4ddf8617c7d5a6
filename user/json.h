/* Just enough JSON output for report and diff: strings escaped (control
 * characters, quotes, invalid UTF-8 as U+FFFD, since symbol names come from
 * untrusted binaries) and numbers that are always valid JSON. */
#ifndef PODFLAME_JSON_H
#define PODFLAME_JSON_H

#include <stdio.h>

void json__string(FILE *fp, const char *s);
/* Finite doubles with ten significant digits; NaN and infinities as null. */
void json__number(FILE *fp, double v);

#endif
