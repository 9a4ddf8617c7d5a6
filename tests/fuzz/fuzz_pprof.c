/* libFuzzer target: the pprof reader on untrusted bytes, raw or gzip (the
 * magic decides, so the fuzzer reaches both), then every accessor of what
 * it built, and the writer's round trip as an invariant: whatever the
 * reader accepts, the writer must encode into bytes the reader accepts
 * again, with the same stacks and counts. The sniffing loader
 * (profile_load) runs on the same bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "pprof.h"
#include "profile.h"
#include "profile_load.h"
#include "report.h"

/* Small enough that a gzip bomb costs milliseconds, not the RSS limit. */
#define FUZZ_MAX_BYTES (8u << 20)

static char *folded_text(struct profile *p)
{
	struct folded_write_opts opts = { .with_comm = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (folded_profile__write(p, f, &opts))
		abort();
	fclose(f);
	return buf;
}

static void exercise(struct profile *p)
{
	struct fn_table t;
	struct report_opts ro = { .source = "fuzz", .top = 5 };
	struct profile *again;
	struct pb_buf b = { 0 };
	char *before, *after;
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (!null)
		abort();
	if (fn_table__build(p, &t) == 0) {
		for (i = 0; i < t.n; i++)
			if (t.fns[i].self > t.fns[i].total || t.fns[i].total > t.samples)
				abort();
		fn_table__release(&t);
	}
	report__write_text(p, &ro, null);
	report__write_json(p, &ro, null);
	fclose(null);
	before = folded_text(p);
	if (pprof__encode(p, &b) == 0) {
		again = profile__new();
		if (!again || pprof__read(b.data, b.len, 0, again, NULL))
			abort(); /* we wrote something we cannot read */
		after = folded_text(again);
		if (strcmp(before, after))
			abort(); /* the round trip changed stacks or counts */
		free(after);
		profile__free(again);
	}
	pb_buf__release(&b);
	free(before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_load_info info;
	struct profile *p = profile__new();

	if (!p)
		return 0;
	if (pprof__read(data, size, FUZZ_MAX_BYTES, p, NULL) == 0)
		exercise(p);
	profile__free(p);
	(void)pprof__looks_like(data, size);
	/* The loader inflates up to its own cap; keep inputs that could
	 * inflate hugely out of it. */
	if (size < 4096) {
		p = profile__new();
		if (p && profile__load_mem(data, size, p, &info) == 0)
			exercise(p);
		profile__free(p);
	}
	return 0;
}
