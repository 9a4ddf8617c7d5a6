/* The folded-stack parser: the one reader of Brendan Gregg's folded format in
 * podflame (flamegraph, report, diff and convert all use it).
 *
 *   root;caller;...;leaf COUNT
 *
 * One stack per line, frames root-first separated by ';', then whitespace and
 * a count: digits with an optional fraction ("12", "0.5", "3."), as
 * flamegraph.pl accepts. Frames are passed on exactly as written, spaces and
 * annotations ("do_syscall_64_[k]") included. Blank lines and lines starting
 * with '#' are skipped. Anything else that does not parse is a malformed line:
 * counted, reported through a callback with its line number and a reason,
 * and the parse goes on. The parser prints nothing.
 *
 * Input is streamed: memory is bounded by the longest line (capped at
 * FOLDED_MAX_LINE), never by the input size. gzip input (from an fd or from
 * memory) is decompressed transparently. */
#ifndef PODFLAME_FG_FOLDED_H
#define PODFLAME_FG_FOLDED_H

#include <stddef.h>
#include <stdint.h>

/* A longer line is reported malformed and skipped without being buffered. */
#define FOLDED_MAX_LINE (16u << 20)
/* A stack deeper than this is reported malformed (kernel and perf stacks stop
 * at 127 frames; this leaves room for merged and synthetic stacks). */
#define FOLDED_MAX_FRAMES 65536u
/* Counts above 2^53 would no longer add up exactly in a double. */
#define FOLDED_MAX_COUNT 9007199254740992.0

struct folded_stats {
	uint64_t lines; /* every line read, including the last one without '\n' */
	uint64_t stacks; /* lines that reached on_stack */
	uint64_t skipped; /* blank lines and '#' comments */
	uint64_t malformed; /* lines reported to on_malformed */
	double total; /* sum of the counts of all stacks */
};

/* Called once per stack. frames[0] is the root; frames[i] is NUL-terminated,
 * lens[i] is its length. The strings and arrays are valid only during the
 * call. Return 0 to go on, or -errno to stop the parse with that error. */
typedef int (*folded_stack_fn)(void *ctx, const char *const *frames, const size_t *lens, size_t n,
			       double count);
/* Called once per malformed line; line_no counts from 1; reason is a static
 * string such as "no count at end of line". May be NULL. */
typedef void (*folded_malformed_fn)(void *ctx, uint64_t line_no, const char *reason);

/* Parses everything readable from fd (plain or gzip) until EOF. fd stays open
 * and owned by the caller; it is read from its current offset. stats may be NULL; it is
 * filled even when the parse stops early.
 * 0, or -errno: a read error, -EBADMSG for a corrupt or truncated gzip stream,
 * -ENOMEM, or whatever on_stack returned. */
int folded__parse_fd(int fd, folded_stack_fn on_stack, folded_malformed_fn on_malformed, void *ctx,
		     struct folded_stats *stats);

/* The same for a buffer in memory; gzip is recognized by its magic bytes. */
int folded__parse_mem(const void *buf, size_t len, folded_stack_fn on_stack,
		      folded_malformed_fn on_malformed, void *ctx, struct folded_stats *stats);

#endif
