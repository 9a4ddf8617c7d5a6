/* Minimal unit-test harness: each TEST prints one TAP line ("ok - file: name"
 * or "not ok - ..."), which tests/run.sh tallies. Failed CHECKs print where
 * and what, and the test goes on so one run shows every broken assertion. */
#ifndef PODFLAME_CHECK_H
#define PODFLAME_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_state {
	const char *suite;
	int failed_checks;
	int tests_failed;
	int tests_run;
};

static struct check_state check_state_;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_state_.failed_checks++;                                              \
		}                                                                                  \
	} while (0)

#define CHECK_INT_EQ(a, b)                                                                    \
	do {                                                                                  \
		long long a_ = (long long)(a), b_ = (long long)(b);                           \
		if (a_ != b_) {                                                               \
			fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, a_, b_);                                    \
			check_state_.failed_checks++;                                         \
		}                                                                             \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                                        \
	do {                                                                                      \
		const char *a_ = (a), *b_ = (b);                                                  \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                          \
			fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");        \
			check_state_.failed_checks++;                                             \
		}                                                                                 \
	} while (0)

/* Stops the current test (use when later checks would dereference NULL). */
#define REQUIRE(cond)                                                                        \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "  %s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, \
				#cond);                                                      \
			check_state_.failed_checks++;                                        \
			return;                                                              \
		}                                                                            \
	} while (0)

static inline void check_run(const char *name, void (*fn)(void))
{
	int before = check_state_.failed_checks;

	fn();
	check_state_.tests_run++;
	if (check_state_.failed_checks != before) {
		check_state_.tests_failed++;
		printf("not ok - %s: %s\n", check_state_.suite, name);
	} else {
		printf("ok - %s: %s\n", check_state_.suite, name);
	}
	fflush(stdout);
}

static inline void check_skip(const char *name, const char *reason)
{
	printf("ok - %s: %s # SKIP %s\n", check_state_.suite, name, reason);
	fflush(stdout);
}

#define RUN(fn) check_run(#fn, fn)
#define CHECK_BEGIN(suite_name) (check_state_.suite = (suite_name))
#define CHECK_END() (check_state_.tests_failed ? 1 : 0)

/* Fixture files live in tests/data/<module>/; the runner sets the root. */
static inline const char *check_data_dir(void)
{
	const char *dir = getenv("PODFLAME_TEST_DATA");

	return dir ? dir : "tests/data";
}

#endif /* PODFLAME_CHECK_H */
