/* Minimal unit-test harness: one executable per test group, one CTest test
 * per test function. CMakeLists.txt registers every `static void test_*(void)`
 * function of a test file with add_test(NAME <function> COMMAND <exe> <function>),
 * so the CTest/JUnit test name is the function name.
 *
 *   ./test_dose_limiter                      run every test of the group
 *   ./test_dose_limiter test_limiter_x       run one test (what CTest does)
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*run)(void);
} test_case_t;

#define TEST_CASE(fn) { #fn, fn }

static int harness_failures;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            harness_failures++;                                                       \
        }                                                                             \
    } while (0)

#define CHECK_EQ(actual, expected)                                                   \
    do {                                                                             \
        long harness_a = (long)(actual);                                             \
        long harness_e = (long)(expected);                                           \
        if (harness_a != harness_e) {                                                \
            fprintf(stderr, "%s:%d: %s == %ld, expected %s == %ld\n", __FILE__,      \
                    __LINE__, #actual, harness_a, #expected, harness_e);             \
            harness_failures++;                                                      \
        }                                                                            \
    } while (0)

static int harness_run(const test_case_t *test)
{
    int before = harness_failures;
    test->run();
    printf("%s %s\n", harness_failures == before ? "PASS" : "FAIL", test->name);
    return harness_failures == before ? 0 : 1;
}

static int harness_main(int argc, char **argv, const test_case_t *tests, size_t count)
{
    size_t i;
    int failed = 0;

    if (argc > 2) {
        fprintf(stderr, "usage: %s [test_name]\n", argv[0]);
        return 2;
    }
    for (i = 0u; i < count; i++) {
        if (argc == 1 || strcmp(argv[1], tests[i].name) == 0) {
            failed += harness_run(&tests[i]);
            if (argc == 2) {
                return failed == 0 ? 0 : 1;
            }
        }
    }
    if (argc == 2) {
        fprintf(stderr, "unknown test: %s\n", argv[1]);
        return 2;
    }
    return failed == 0 ? 0 : 1;
}

#define HARNESS_MAIN(table)                                                    \
    int main(int argc, char **argv)                                           \
    {                                                                         \
        return harness_main(argc, argv, (table), sizeof(table) / sizeof((table)[0])); \
    }

#endif /* HARNESS_H */
