#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "outfile.h"

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	if (d)
		closedir(d);
	return n;
}

static void atomic_replace(void)
{
	char dir[] = "/tmp/podflame-outfile.XXXXXX", path[256], buf[64] = { 0 };
	struct outfile out;
	FILE *f;

	REQUIRE(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.folded", dir);
	REQUIRE(outfile__open(&out, path) == 0);
	fputs("old 1\n", out.fp);
	REQUIRE(outfile__commit(&out) == 0);
	/* While a new version is being written, the old one is intact. */
	REQUIRE(outfile__open(&out, path) == 0);
	fputs("new 2\n", out.fp);
	f = fopen(path, "r");
	REQUIRE(f);
	CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "old 1\n"));
	fclose(f);
	CHECK_INT_EQ(count_entries(dir), 2); /* target + temporary */
	outfile__abort(&out);
	CHECK_INT_EQ(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}

static void write_errors_are_reported(void)
{
	struct outfile out;
	FILE *full;

	CHECK_INT_EQ(outfile__open(&out, "/nonexistent-dir/x.folded"), -ENOENT);
	/* A stream like stdout on /dev/full: every write fails with ENOSPC, and
	 * commit reports it (the stream itself is the caller's). */
	full = fopen("/dev/full", "w");
	REQUIRE(full);
	out = (struct outfile){ .fp = full };
	fputs("x", out.fp);
	CHECK_INT_EQ(outfile__commit(&out), -ENOSPC);
	fclose(full);
}

static void extensions(void)
{
	CHECK_STR_EQ(outfile__extension("a/b.pb.gz"), "gz");
	CHECK_STR_EQ(outfile__extension("a.b/c"), "");
	CHECK(outfile__has_suffix("x.PB.GZ", ".pb.gz"));
	CHECK(!outfile__has_suffix("gz", ".pb.gz"));
}

int main(void)
{
	CHECK_BEGIN("outfile");
	RUN(atomic_replace);
	RUN(write_errors_are_reported);
	RUN(extensions);
	return CHECK_END();
}
