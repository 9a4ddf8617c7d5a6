/* Go runtime families and user highlights, and their inclusive shares.
 *
 * Computed once here and reused by the flame graph (colours, legend, banner),
 * report, doctor and diff, so every output states the same numbers.
 *
 * A share is INCLUSIVE: the fraction of samples whose stack contains at least
 * one member of the family, anywhere, once (a stack that enters
 * runtime.schedule twice counts once; everything schedule calls, futex and
 * kernel frames included, counts because the stack contains schedule).
 *
 * Members (a frame name, its "_[i]"/"_[j]" inline annotation ignored; "=" is
 * the name or one of its closures NAME.funcN..., "*" a prefix):
 *
 *   RT_SCHEDULE   the scheduler looking for work. Named differently across
 *                 Go releases, all matched:
 *                 = runtime.schedule, runtime.findrunnable (<= 1.18),
 *                   runtime.findRunnable (>= 1.19), runtime.stealWork (>= 1.16),
 *                   runtime.park_m, runtime.runqsteal, runtime.runqgrab
 *                 * runtime.gosched (gosched_m, goschedImpl, goschedguarded_m,
 *                   goschedIfBusy)
 *   RT_GC_WORKER  background mark workers:
 *                 = runtime.gcBgMarkWorker (and .func1/.func2),
 *                   runtime.scanobject, runtime.scanblock, runtime.scanstack,
 *                   runtime.scanframeworker
 *                 * runtime.gcDrain (gcDrain, gcDrainN,
 *                   gcDrainMarkWorkerIdle/Dedicated/Fractional >= 1.20),
 *                   runtime.markroot (markroot, markrootBlock, markrootSpans,
 *                   markrootFreeGStacks)
 *   RT_GC_ASSIST  mutator assists, reported beside the worker:
 *                 * runtime.gcAssistAlloc (gcAssistAlloc, gcAssistAlloc1,
 *                   gcAssistAlloc.func1)
 *
 * An assist drains mark work with the same functions as the worker
 * (gcAssistAlloc1 -> gcDrainN -> scanobject), so a stack that contains a GC
 * assist member counts as GC assist and NOT as GC worker. Schedule is
 * independent of both. Kernel frames ("_[k]") are never members.
 *
 * User highlights are POSIX extended regexes matched (unanchored, like grep)
 * against the frame name exactly as in the input. */
#ifndef PODFLAME_RUNTIME_SHARE_H
#define PODFLAME_RUNTIME_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rt_family {
	RT_SCHEDULE = 0,
	RT_GC_WORKER,
	RT_GC_ASSIST,
	RT_FAMILY__COUNT,
};

#define RT_MAX_HIGHLIGHTS 32
#define RT_MAX_BITS (RT_FAMILY__COUNT + RT_MAX_HIGHLIGHTS)
/* Mask bits: one per family, then one per highlight in the order added. */
#define RT_BIT_FAMILY(f) (1ull << (f))
#define RT_BIT_HIGHLIGHT(i) (1ull << (RT_FAMILY__COUNT + (i)))

/* "runtime.schedule", "runtime.gcBgMarkWorker", "GC assist". */
const char *rt_family__name(enum rt_family f);
/* The member list above in one line, for legends and --help. */
const char *rt_family__members(enum rt_family f);
/* The family name (ptr, len) belongs to, or -1. Pure: no highlights, no cache. */
int rt_family__of(const char *name, size_t len);

/* Families plus user highlights, with a per-name cache for the streaming path. */
struct rt_classifier;

struct rt_classifier *rt_classifier__new(void);
void rt_classifier__free(struct rt_classifier *c);
/* Adds a highlight. -EINVAL for a bad regex (err gets regerror's text, if
 * err_len > 0), -E2BIG past RT_MAX_HIGHLIGHTS, -ENOMEM. Add every highlight
 * before the first classification. */
int rt_classifier__add_highlight(struct rt_classifier *c, const char *regex, char *err,
				 size_t err_len);
size_t rt_classifier__highlights(const struct rt_classifier *c);
/* The regex text of highlight i (valid until rt_classifier__free), or NULL. */
const char *rt_classifier__highlight(const struct rt_classifier *c, size_t i);
/* Mask of one frame name (NUL-terminated), uncached. */
uint64_t rt_classifier__classify(const struct rt_classifier *c, const char *name);
/* OR of the masks of frames[0..n), through the cache (each distinct name is
 * matched once). lens may be NULL. 0 or -ENOMEM. */
int rt_classifier__stack_mask(struct rt_classifier *c, const char *const *frames,
			      const size_t *lens, size_t n, uint64_t *mask);

/* Inclusive shares: caller-allocated, zero-initialized. */
struct rt_share {
	double total;
	double sum[RT_MAX_BITS];
};

/* Accounts count samples of one stack whose frames' masks OR to stack_mask
 * (applies the assist-over-worker rule). */
void rt_share__add(struct rt_share *s, uint64_t stack_mask, double count);
/* Convenience for the streaming path: classify and add one stack. */
int rt_share__add_stack(struct rt_share *s, struct rt_classifier *c, const char *const *frames,
			const size_t *lens, size_t n, double count);
/* Samples / total for a bit (RT_BIT_* index: family f, or RT_FAMILY__COUNT + i);
 * 0 when there are no samples. */
double rt_share__fraction(const struct rt_share *s, unsigned bit);
double rt_share__family(const struct rt_share *s, enum rt_family f);
double rt_share__highlight(const struct rt_share *s, size_t i);

#endif
