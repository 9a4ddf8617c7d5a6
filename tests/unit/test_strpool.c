#include "check.h"
#include "strpool.h"

static void interns_and_keeps_pointers(void)
{
	struct strpool *pool = strpool__new();
	uint32_t a, b, c, ids[50000];
	const char *first;
	char buf[32];
	int i;

	REQUIRE(pool);
	CHECK_INT_EQ(strpool__intern_str(pool, "runtime.schedule", &a), 0);
	first = strpool__str(pool, a);
	CHECK_INT_EQ(strpool__intern(pool, "runtime.schedule!!", 16, &b), 0);
	CHECK_INT_EQ(a, b);
	CHECK_INT_EQ(strpool__intern_str(pool, "", &c), 0);
	CHECK_INT_EQ(c, 0);
	for (i = 0; i < 50000; i++) {
		snprintf(buf, sizeof(buf), "sym%d", i);
		REQUIRE(strpool__intern_str(pool, buf, &ids[i]) == 0);
	}
	/* Growth never moves strings. */
	CHECK(strpool__str(pool, a) == first);
	CHECK_STR_EQ(strpool__str(pool, ids[12345]), "sym12345");
	CHECK_INT_EQ(strpool__len(pool, ids[12345]), 8);
	CHECK_INT_EQ(strpool__count(pool), 50002);
	CHECK(strpool__str(pool, 99999999) == NULL);
	/* Embedded NULs are part of the key. */
	CHECK_INT_EQ(strpool__intern(pool, "a\0b", 3, &b), 0);
	CHECK_INT_EQ(strpool__intern(pool, "a\0c", 3, &c), 0);
	CHECK(b != c);
	strpool__free(pool);
	strpool__free(NULL);
}

int main(void)
{
	CHECK_BEGIN("strpool");
	RUN(interns_and_keeps_pointers);
	return CHECK_END();
}
