#include <errno.h>

#include "check.h"
#include "sym/kallsyms.h"

static const char sample[] = "ffffffff81000000 T _stext\n"
			     "ffffffff81000100 t do_one\n"
			     "ffffffff81000100 T alias_of_do_one\n"
			     "ffffffff81000200 D some_data\n"
			     "ffffffff81000300 W weak_text\n"
			     "garbage line\n"
			     "ffffffffc0001000 t mod_func\t[xfs]\n"
			     "ffffffffc0001080 T mod_func2\t[xfs]\n";

static void resolves_text_symbols(void)
{
	struct kallsyms_stats st;
	struct kallsyms *ks = kallsyms__load_mem(sample, sizeof(sample) - 1, &st);
	const char *name, *module;
	uint64_t off;

	REQUIRE(ks);
	CHECK_INT_EQ(st.malformed, 1);
	CHECK_INT_EQ(st.symbols, 6); /* data symbol dropped */
	CHECK_INT_EQ(kallsyms__resolve(ks, 0xffffffff81000010, &name, &module, &off), 0);
	CHECK_STR_EQ(name, "_stext");
	CHECK(module == NULL);
	CHECK_INT_EQ(off, 0x10);
	/* The data symbol is not a boundary: 0x...250 is still do_one's. */
	CHECK_INT_EQ(kallsyms__resolve(ks, 0xffffffff81000250, &name, NULL, NULL), 0);
	CHECK_STR_EQ(name, "do_one"); /* first alias in file order */
	CHECK_INT_EQ(kallsyms__resolve(ks, 0xffffffffc0001010, &name, &module, NULL), 0);
	CHECK_STR_EQ(name, "mod_func");
	CHECK_STR_EQ(module, "xfs");
	CHECK_INT_EQ(kallsyms__resolve(ks, 0xffffffff80000000, &name, NULL, NULL), -ENOENT);
	/* Far past the last symbol is not "in" it. */
	CHECK_INT_EQ(kallsyms__resolve(ks, 0xffffffffd0000000, &name, NULL, NULL), -ENOENT);
	kallsyms__free(ks);
}

static void hidden_addresses_are_an_error(void)
{
	static const char hidden[] = "0000000000000000 T _stext\n0000000000000000 t foo\n";
	struct kallsyms_stats st;
	struct kallsyms *ks = kallsyms__load_mem(hidden, sizeof(hidden) - 1, &st);

	CHECK(ks == NULL);
	CHECK_INT_EQ(errno, EPERM);
	CHECK_INT_EQ(st.zero_addresses, 2);
}

static void real_kallsyms_loads(void)
{
	struct kallsyms_stats st;
	FILE *f = fopen("/proc/kallsyms", "r");
	struct kallsyms *ks;

	if (!f) {
		check_skip("real_kallsyms_loads", "no /proc/kallsyms");
		return;
	}
	ks = kallsyms__load_fd(fileno(f), &st);
	fclose(f);
	if (!ks && errno == EPERM) {
		check_skip("real_kallsyms_loads", "kptr_restrict hides addresses (not root)");
		return;
	}
	REQUIRE(ks);
	CHECK(st.symbols > 10000);
	CHECK_INT_EQ(st.malformed, 0);
	kallsyms__free(ks);
}

int main(void)
{
	CHECK_BEGIN("kallsyms");
	RUN(resolves_text_symbols);
	RUN(hidden_addresses_are_an_error);
	RUN(real_kallsyms_loads);
	return CHECK_END();
}
