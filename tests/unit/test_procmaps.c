#include <errno.h>

#include <unistd.h>

#include "check.h"
#include "sym/procmaps.h"

static const char maps[] =
	"55d0c0a00000-55d0c0a2c000 r--p 00000000 fe:01 1311265                    /usr/bin/bash\n"
	"55d0c0a2c000-55d0c0afb000 r-xp 0002c000 fe:01 1311265                    /usr/bin/bash\n"
	"7f1c2e828000-7f1c2e9bd000 r-xp 00028000 08:10 42 /lib/x86_64-linux-gnu/libc.so.6\n"
	"7f1c2ea00000-7f1c2ea10000 r-xp 00000000 00:00 0 \n"
	"7f1c2eb00000-7f1c2eb01000 r-xp 00001000 fe:01 77 /tmp/my prog (deleted)\n"
	"not a maps line\n"
	"7ffd5b3f9000-7ffd5b3fb000 r-xp 00000000 00:00 0                          [vdso]\n";

static void parses_exec_mappings(void)
{
	struct procmaps pm;
	const struct procmap *m;

	REQUIRE(procmaps__parse(&pm, maps, sizeof(maps) - 1, true) == 0);
	CHECK_INT_EQ(pm.count, 5);
	CHECK_INT_EQ(pm.malformed, 1);
	m = procmaps__find(&pm, 0x55d0c0a2c123);
	REQUIRE(m);
	CHECK_STR_EQ(m->path, "/usr/bin/bash");
	CHECK_INT_EQ(m->offset, 0x2c000);
	CHECK_INT_EQ(m->dev_major, 0xfe);
	CHECK_INT_EQ(m->inode, 1311265);
	CHECK(procmaps__find(&pm, 0x55d0c0a00010) == NULL); /* not executable */
	m = procmaps__find(&pm, 0x7f1c2ea00001);
	REQUIRE(m);
	CHECK_STR_EQ(m->path, ""); /* anonymous: JIT */
	m = procmaps__find(&pm, 0x7f1c2eb00010);
	REQUIRE(m);
	CHECK_STR_EQ(m->path, "/tmp/my prog");
	CHECK(m->deleted);
	m = procmaps__find(&pm, 0x7ffd5b3f9100);
	REQUIRE(m);
	CHECK_STR_EQ(m->path, "[vdso]");
	procmaps__release(&pm);
}

static void reads_own_maps(void)
{
	struct procmaps pm;
	const struct procmap *m;

	REQUIRE(procmaps__read_pid(&pm, getpid(), true) == 0);
	m = procmaps__find(&pm, (uint64_t)(uintptr_t)&reads_own_maps);
	REQUIRE(m);
	CHECK(strstr(m->path, "test_procmaps") != NULL);
	CHECK_INT_EQ(pm.malformed, 0);
	procmaps__release(&pm);
	CHECK_INT_EQ(procmaps__read_pid(&pm, 999999999, true), -ENOENT);
}

int main(void)
{
	CHECK_BEGIN("procmaps");
	RUN(parses_exec_mappings);
	RUN(reads_own_maps);
	return CHECK_END();
}
