/* Text read from /proc and the process's filesystem: /proc/PID/maps,
 * /proc/kallsyms and /tmp/perf-PID.map. The input is split by its first
 * byte into the three parsers so one corpus exercises all of them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sym/kallsyms.h"
#include "sym/perfmap.h"
#include "sym/procmaps.h"

static void maps(const char *text, size_t len)
{
	struct procmaps pm;
	size_t i;

	if (procmaps__parse(&pm, text, len, (len & 1) != 0))
		return;
	for (i = 0; i < pm.count; i++) {
		procmaps__find(&pm, pm.maps[i].start);
		procmaps__find(&pm, pm.maps[i].end - 1);
	}
	procmaps__find(&pm, 0);
	procmaps__find(&pm, UINT64_MAX);
	procmaps__release(&pm);
}

static void ksyms(const char *text, size_t len)
{
	struct kallsyms_stats st;
	struct kallsyms *ks = kallsyms__load_mem(text, len, &st);
	const char *name, *module;
	uint64_t off;

	if (!ks)
		return;
	kallsyms__resolve(ks, 0, &name, &module, &off);
	kallsyms__resolve(ks, 0xffffffff81000000ull, &name, &module, &off);
	kallsyms__resolve(ks, UINT64_MAX, &name, &module, &off);
	kallsyms__free(ks);
}

static void perfmap(const char *text, size_t len)
{
	uint64_t malformed;
	struct perfmap *pm = perfmap__parse(text, len, &malformed);
	const char *name;

	if (!pm)
		return;
	perfmap__resolve(pm, 0, &name);
	perfmap__resolve(pm, 0x7f0000001000ull, &name);
	perfmap__resolve(pm, UINT64_MAX, &name);
	perfmap__free(pm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: maps((const char *)data + 1, size - 1); break;
	case 1: ksyms((const char *)data + 1, size - 1); break;
	default: perfmap((const char *)data + 1, size - 1);
	}
	return 0;
}
