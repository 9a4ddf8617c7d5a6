/* Command layer: loading a profile file for convert, report and diff, with
 * the errors and warnings printed the one way. */
#ifndef PODFLAME_CMD_LOAD_H
#define PODFLAME_CMD_LOAD_H

#include "profile.h"
#include "profile_load.h"

/* Loads path into a new *out. Prints what went wrong (subject, cause, fix)
 * and warns about every skipped line or sample. Returns PF_EXIT_OK, or
 * PF_EXIT_ERROR with *out NULL. info may be NULL. */
int cmd_load_profile(const char *path, struct profile **out);
int cmd_load_profile_info(const char *path, struct profile **out, struct profile_load_info *info);

#endif
