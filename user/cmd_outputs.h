/* Command layer: the -o files of record and doctor, opened before the window
 * (a bad path fails in a second, not after a minute of recording), then
 * written and committed, or aborted, with the messages printed the one way. */
#ifndef PODFLAME_CMD_OUTPUTS_H
#define PODFLAME_CMD_OUTPUTS_H

#include <stddef.h>

#include "outfile.h"
#include "output.h"

/* Opens files[i] for paths[i]. On failure prints why, aborts those already
 * opened and returns PF_EXIT_ERROR; else PF_EXIT_OK. */
int cmd_outputs_open(const char *const *paths, size_t n, struct outfile *files);
/* Writes prof to each file in its format and commits it, printing a line per
 * file written and an error per file that failed (which is aborted).
 * PF_EXIT_OK, or PF_EXIT_ERROR when any failed. */
int cmd_outputs_write(struct profile *prof, const char *const *paths,
		      const enum output_format *formats, struct outfile *files, size_t n,
		      const struct output_opts *opts);
/* Removes every temporary file; the destinations are untouched. */
void cmd_outputs_abort(struct outfile *files, size_t n);

#endif
