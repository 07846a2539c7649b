/*
 * test_fileio.c — atomic, link-safe writes and bounded reads (fileio.h), and
 * bundle fingerprints (cb_bundle_fingerprint).
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
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/bundle.h"
#include "casebook/fileio.h"

#include "tmpdir.h"

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-fileio");
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static char *get(const char *path)
{
    char *s = NULL;
    size_t n;
    cb_error err;
    assert_int_equal(cb_file_read(path, 1 << 20, &s, &n, &err), CB_OK);
    assert_int_equal(strlen(s), n);
    return s;
}

static void test_write_atomic(void **state)
{
    (void)state;
    cb_error err;
    assert_int_equal(cb_file_write_atomic(at("t.json"), "one\n", 4, &err), CB_OK);
    char *s = get(at("t.json"));
    assert_string_equal(s, "one\n");
    free(s);
    /* A link planted at the old fixed temporary name, and one at the file itself: neither is written through. */
    put("victim", "precious\n");
    assert_int_equal(symlink(at("victim"), at("t.json.tmp")), 0);
    assert_int_equal(cb_file_write_atomic(at("t.json"), "two\n", 4, &err), CB_OK);
    assert_int_equal(symlink(at("victim"), at("link.json")), 0);
    assert_int_equal(cb_file_write_atomic(at("link.json"), "three\n", 6, &err), CB_OK);
    s = get(at("victim"));
    assert_string_equal(s, "precious\n");
    free(s);
    s = get(at("t.json"));
    assert_string_equal(s, "two\n");
    free(s);
    struct stat st;
    assert_int_equal(lstat(at("link.json"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    /* Nothing left behind but the planted link. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c tmp) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    /* A directory that does not exist: an error naming the path, nothing written. */
    assert_int_equal(cb_file_write_atomic(at("nodir/x.json"), "x", 1, &err), CB_EIO);
    assert_non_null(strstr(err.msg, "nodir/x.json"));
}

static void test_read_bounded(void **state)
{
    (void)state;
    cb_error err;
    char *s = NULL;
    size_t n = 99;
    put("small", "abc");
    assert_int_equal(cb_file_read(at("small"), 3, &s, &n, &err), CB_OK);
    assert_string_equal(s, "abc");
    assert_int_equal(n, 3);
    free(s);
    assert_int_equal(cb_file_read(at("small"), 2, &s, &n, &err), CB_ELIMIT);
    assert_null(s);
    assert_non_null(strstr(err.msg, "allowed"));
    assert_int_equal(cb_file_read(at("none"), 10, &s, &n, &err), CB_ENOTFOUND);
    assert_int_equal(cb_file_read(dir, 10, &s, &n, &err), CB_EIO);
    assert_non_null(strstr(err.msg, "not a regular file"));
    /* A file whose size fstat cannot tell (a pipe's, /proc's) is still bounded. */
    assert_int_equal(cb_file_read("/proc/self/status", 16, &s, &n, &err), CB_ELIMIT);
}

static void test_fingerprint(void **state)
{
    (void)state;
    cb_error err;
    char a[65], b[65], c[65];
    assert_int_equal(mkdir(at("bundle"), 0755), 0);
    assert_int_equal(mkdir(at("bundle/sub"), 0755), 0);
    put("bundle/app.log", "2024-03-12 10:00:00 started\n");
    put("bundle/sub/db.log", "2024-03-12 10:00:01 ERROR db\n");
    assert_int_equal(cb_bundle_fingerprint(at("bundle"), a, &err), CB_OK);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(cb_bundle_fingerprint(at("bundle/"), b, &err), CB_OK);
    assert_string_equal(a, b); /* stable */
    /* a change at the end of a file, a renamed file, an added file: each changes it */
    put("bundle/app.log", "2024-03-12 10:00:00 started\n2024-03-12 10:00:02 more\n");
    assert_int_equal(cb_bundle_fingerprint(at("bundle"), b, &err), CB_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(rename(at("bundle/sub/db.log"), at("bundle/sub/db2.log")), 0);
    assert_int_equal(cb_bundle_fingerprint(at("bundle"), c, &err), CB_OK);
    assert_string_not_equal(b, c);
    /* a file bundle: not the same as a directory holding it */
    assert_int_equal(cb_bundle_fingerprint(at("bundle/app.log"), c, &err), CB_OK);
    assert_string_not_equal(b, c);
    assert_int_equal(cb_bundle_fingerprint(at("missing"), c, &err), CB_ENOTFOUND);
    assert_int_equal(cb_bundle_fingerprint("/dev/null", c, &err), CB_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_read_bounded),
        cmocka_unit_test(test_fingerprint),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
