/* Test helper: a profile from folded-like lines "root;...;leaf COUNT",
 * each frame its own location (no addresses), "_[k]" marking kernel frames
 * as the folded reader does. Only for building fixtures in unit tests. */
#ifndef PODFLAME_TEST_STACKS_H
#define PODFLAME_TEST_STACKS_H

#include <stdlib.h>
#include <string.h>

#include "profile.h"

static inline int stacks_add(struct profile *p, const char *line)
{
	uint32_t locs[64], t;
	char buf[1024], *save = NULL, *tok, *space;
	size_t n = 0, i, len;
	long long count;

	snprintf(buf, sizeof(buf), "%s", line);
	space = strrchr(buf, ' ');
	if (!space)
		return -1;
	*space = 0;
	count = atoll(space + 1);
	for (tok = strtok_r(buf, ";", &save); tok && n < 64; tok = strtok_r(NULL, ";", &save)) {
		struct profile_line pl = { 0 };
		enum frame_kind kind = FRAME_NATIVE;

		len = strlen(tok);
		if (len > 4 && !strcmp(tok + len - 4, "_[k]")) {
			tok[len - 4] = 0;
			kind = FRAME_KERNEL;
		}
		if (profile__add_function(p, tok, NULL, kind, &pl.function) ||
		    profile__add_location(p, 0, PROFILE_NO_MAPPING, &pl, 1, &locs[n++]))
			return -1;
	}
	for (i = 0; i < n / 2; i++)
		t = locs[i], locs[i] = locs[n - 1 - i], locs[n - 1 - i] = t;
	return profile__add_sample(p, locs, n, count, NULL, 0);
}

/* lines: NULL-terminated. NULL on failure. */
static inline struct profile *stacks_profile(const char *const *lines)
{
	struct profile *p = profile__new();

	for (; p && *lines; lines++) {
		if (stacks_add(p, *lines)) {
			profile__free(p);
			return NULL;
		}
	}
	return p;
}

#endif
