/*
 * test_glob.c — unit tests for cb_glob_match and cb_glob_check (glob.h):
 * the documented examples, validation messages, hostile inputs that must stay
 * fast, and a differential test against a small exponential reference matcher
 * on random globs and paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casebook/glob.h"

#define YES(g, p) assert_true(cb_glob_match((g), (p)))
#define NO(g, p) assert_false(cb_glob_match((g), (p)))

static void test_header_examples(void **state)
{
    (void)state;
    YES("*.log", "x.log");
    YES("*.log", ".log");
    NO("*.log", "x.txt");
    YES("?.log", "a.log");
    NO("?.log", "ab.log");
    NO("a?b", "a/b");
    YES("[abc].txt", "b.txt");
    NO("[abc].txt", "d.txt");
    YES("[a-z]1", "q1");
    NO("[a-z]1", "Q1");
    YES("[!a-z]1", "Q1");
    NO("[!a-z]1", "q1");
    YES("[^a-z]1", "Q1");
    NO("[^a-z]1", "q1");
    YES("**/*.log", "x.log");
    YES("**/*.log", "a/b/x.log");
    NO("**/*.log", "a/b/x.txt");
    YES("var/**", "var/log/messages");
    YES("a\\*b", "a*b");
    NO("a\\*b", "axb");
    /* Case-sensitive, byte-wise. */
    NO("*.LOG", "x.log");
    YES("caf\xc3\xa9/*", "caf\xc3\xa9/x");
}

static void test_double_star(void **state)
{
    (void)state;
    YES("**/Job.*.log", "Backup/Job.Daily.log");
    YES("**/Job.*.log", "Job.Daily.log");
    YES("**/Job.*.log", "a/b/c/Job.x.log");
    NO("**/Job.*.log", "Backup/Job.Daily.log.1");
    NO("**/Job.*.log", "Backup/Job.Daily.log/x");
    /* `*` stays within one folder. */
    NO("*.log", "a/b.log");
    NO("a*b", "a/b");
    YES("a/*/c", "a/b/c");
    NO("a/*/c", "a/b/b/c");
    NO("a/*/c", "a/c");
    /* Trailing `**`: everything below, not the folder itself. */
    YES("Backup/**", "Backup/x");
    YES("Backup/**", "Backup/a/b/c.log");
    NO("Backup/**", "Backup");
    NO("Backup/**", "BackupX/a");
    NO("Backup/**", "x/Backup/a");
    YES("**", "anything");
    YES("**", "a/b/c");
    YES("**", "");
    /* `**` in the middle: zero or more whole folders. */
    YES("a/**/b", "a/b");
    YES("a/**/b", "a/x/b");
    YES("a/**/b", "a/x/y/z/b");
    NO("a/**/b", "a/xb");
    NO("a/**/b", "ab");
    NO("a/**/b", "a/b/c");
    YES("a/**/b/**/c", "a/b/c");
    YES("a/**/b/**/c", "a/1/b/2/3/c");
    YES("a/**/b/**/c", "a/b/b/b/c");
    NO("a/**/b/**/c", "a/c/b");
    YES("**/**/x", "x");
    YES("**/**/x", "1/2/x");
    YES("**/x/**", "1/x/2");
    NO("**/x/**", "1/x");
    /* Not a whole segment: an ordinary star. */
    YES("a**b", "axxb");
    NO("a**b", "a/b");
    YES("**.log", "x.log");
    NO("**.log", "a/x.log");
    YES("x/**y", "x/ay");
    NO("x/**y", "x/a/y");
}

static void test_classes_and_escapes(void **state)
{
    (void)state;
    YES("[!0-9]*", "abc");
    NO("[!0-9]*", "1abc");
    NO("[!0-9]*", "");
    YES("[]a]", "]");
    YES("[]a]", "a");
    NO("[]a]", "b");
    YES("[!]a]", "b");
    NO("[!]a]", "]");
    YES("[a-]", "-");
    YES("[-a]", "-");
    YES("[\\]]", "]");
    YES("[a\\-z]", "-");
    NO("[a\\-z]", "m");
    YES("\\*", "*");
    NO("\\*", "x");
    YES("\\?", "?");
    NO("\\?", "x");
    YES("\\[x]", "[x]");
    YES("a\\\\b", "a\\b");
    /* A class never matches the folder separator. */
    NO("a[/]b", "a/b");
    NO("a[!x]b", "a/b");
    /* `\/` separates folders like '/'. */
    YES("a\\/b", "a/b");
}

static void test_dot_slash_and_empty(void **state)
{
    (void)state;
    YES("./x/*.log", "x/a.log");
    YES("x/*.log", "./x/a.log");
    YES("./x/*.log", "././x/a.log");
    YES("./**/a", "./a");
    NO("./x/*.log", "y/a.log");
    /* An empty path matches only globs that match an empty name. */
    YES("*", "");
    NO("?", "");
    NO("a", "");
    NO("*/*", "");
    YES("*", "./");
    /* Invalid globs match nothing. */
    NO("", "");
    NO("./", "");
    NO("[a", "[a");
    NO("a\\", "a\\");
    NO("[z-a]", "m");
    NO(NULL, "x");
    NO("x", NULL);
}

static void check_err(const char *glob, int col, const char *msg)
{
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(cb_glob_check(glob, &err), CB_EINVAL);
    assert_int_equal(err.code, CB_EINVAL);
    assert_int_equal(err.col, col);
    assert_string_equal(err.msg, msg);
}

static void test_check(void **state)
{
    (void)state;
    cb_error err;
    cb_error_set(&err, CB_EIO, "stale");
    assert_int_equal(cb_glob_check("**/Job.*.log", &err), CB_OK);
    assert_int_equal(err.code, CB_OK);
    assert_string_equal(err.msg, "");
    assert_int_equal(cb_glob_check("[]]", NULL), CB_OK);
    assert_int_equal(cb_glob_check("[!]]", NULL), CB_OK);
    assert_int_equal(cb_glob_check("\\[", NULL), CB_OK);
    assert_int_equal(cb_glob_check("[\\]]", NULL), CB_OK);
    assert_int_equal(cb_glob_check("a]", NULL), CB_OK);

    check_err("logs[ab", 5, "unterminated '[' at column 5");
    check_err("[]", 1, "unterminated '[' at column 1");
    check_err("[!]", 1, "unterminated '[' at column 1");
    check_err("x/[a\\]", 3, "unterminated '[' at column 3");
    check_err("[a\\", 1, "unterminated '[' at column 1");
    check_err("ab\\", 3, "trailing '\\' at column 3");
    check_err("./a\\", 4, "trailing '\\' at column 4");
    check_err("", 1, "empty glob");
    check_err("./", 1, "empty glob");
    check_err("x[az-a]", 4, "reversed range in '[' at column 4");
    assert_int_equal(cb_glob_check("x", NULL), CB_OK);
    assert_int_equal(cb_glob_check("[a", NULL), CB_EINVAL);
    assert_int_equal(cb_glob_check(NULL, NULL), CB_EINVAL);
}

/* Hostile inputs: the matcher must stay polynomial. */
static void test_pathological(void **state)
{
    (void)state;
    enum { N = 20000 };
    char *path = malloc(N + 1);
    assert_non_null(path);
    memset(path, 'a', N);
    path[N] = '\0';

    clock_t t0 = clock();
    NO("*a*a*a*a*a*a*a*a*a*a*b", path);
    YES("*a*a*a*a*a*a*a*a*a*a", path);
    NO("*?*?*?*?*?*?*?*?*?*?*b", path);

    /* A deep path of 10000 folders called "a". */
    for (size_t i = 0; i + 1 < N; i += 2)
        path[i + 1] = '/';
    path[N - 1] = '\0'; /* "a/a/.../a" */
    NO("**/a/**/a/**/a/**/a/**/a/**/b", path);
    YES("**/a/**/a/**/a/**/a/**/a/**/a", path);
    NO("**/*a*/**/*a*/**/*a*/**/*a*/**/b/**", path);
    NO("a/**/*/*/*/*/*/*/b/**/a", path);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 2.0);
    free(path);
}

/*
 * Reference matcher: the glob.h rules written as the obvious exponential
 * recursion.  `**` is special only as a whole segment; `**` + '/' skips zero
 * or more whole folders, a trailing `**` matches the rest.  Globs here have
 * no `\/` and no leading "./".
 */
static bool ref_class(const char **gp, unsigned char c)
{
    const char *g = *gp + 1;
    bool neg = false, in = false, first = true;
    if (*g == '!' || *g == '^') {
        neg = true;
        g++;
    }
    while (*g != ']' || first) {
        first = false;
        unsigned char lo = (unsigned char)*g++, hi = lo;
        if (*g == '-' && g[1] != ']') {
            hi = (unsigned char)g[1];
            g += 2;
        }
        if (c >= lo && c <= hi)
            in = true;
    }
    *gp = g + 1;
    return in != neg;
}

static bool ref(const char *g, const char *p, bool seg_start)
{
    if (!*g)
        return !*p;
    if (seg_start && g[0] == '*' && g[1] == '*' && (g[2] == '/' || !g[2])) {
        if (!g[2])
            return true;
        if (ref(g + 3, p, true))
            return true;
        for (const char *q = p; *q; q++)
            if (*q == '/' && ref(g + 3, q + 1, true))
                return true;
        return false;
    }
    if (*g == '*') {
        for (const char *q = p;; q++) {
            if (ref(g + 1, q, false))
                return true;
            if (!*q || *q == '/')
                return false;
        }
    }
    if (!*p)
        return false;
    if (*g == '/')
        return *p == '/' && ref(g + 1, p + 1, true);
    if (*p == '/')
        return false;
    if (*g == '?')
        return ref(g + 1, p + 1, false);
    if (*g == '[') {
        const char *rest = g;
        return ref_class(&rest, (unsigned char)*p) && ref(rest, p + 1, false);
    }
    if (*g == '\\')
        return g[1] == *p && ref(g + 2, p + 1, false);
    return *g == *p && ref(g + 1, p + 1, false);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void test_differential(void **state)
{
    (void)state;
    static const char *const gtoks[] = {"a", "b", "/", "*", "**", "**/", "/**", "?", "[ab]", "[!a]", "\\*",
                                        ".", "[]a]", "[a-b]"};
    static const char ptoks[] = "ab/*.]";
    unsigned matches = 0;
    for (int iter = 0; iter < 40000; iter++) {
        char g[64] = "", p[32] = "";
        size_t gl = 0;
        unsigned nt = 1 + rnd(6);
        for (unsigned k = 0; k < nt; k++) {
            const char *t = gtoks[rnd(sizeof gtoks / sizeof gtoks[0])];
            size_t tl = strlen(t);
            memcpy(g + gl, t, tl + 1);
            gl += tl;
        }
        if (g[0] == '.' && g[1] == '/')
            continue;
        unsigned pl = rnd(9);
        for (unsigned k = 0; k < pl; k++)
            p[k] = ptoks[rnd(sizeof ptoks - 1)];
        p[pl] = '\0';
        if (p[0] == '.' && p[1] == '/')
            continue;
        bool want = ref(g, p, true), got = cb_glob_match(g, p);
        if (want != got)
            fail_msg("glob \"%s\" path \"%s\": reference %d, cb_glob_match %d", g, p, want, got);
        matches += got;
    }
    /* The generator must exercise both outcomes. */
    assert_true(matches > 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_examples),
        cmocka_unit_test(test_double_star),
        cmocka_unit_test(test_classes_and_escapes),
        cmocka_unit_test(test_dot_slash_and_empty),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
