/* Command layer: outputs whose temporary files a fatal signal (SIGINT,
 * SIGTERM, SIGHUP) removes before the process dies, so an interrupted
 * command leaves the old file or the new one, never a stray temporary.
 * For commands that die on those signals (flamegraph, diff, report,
 * convert); record and doctor catch them and finish instead. */
#ifndef PODFLAME_TMPGUARD_H
#define PODFLAME_TMPGUARD_H

#include "outfile.h"

/* outfile__open with the signals held until the temporary file is
 * registered. 0 or -errno. */
int tmpguard__open(struct outfile *out, const char *path);
/* outfile__commit / outfile__abort, unregistering the file first. */
int tmpguard__commit(struct outfile *out);
void tmpguard__abort(struct outfile *out);

#endif
