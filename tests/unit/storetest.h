/*
 * storetest.h — helpers of the store's test suites (test_store.c,
 * test_storeproc.c): open a store or fail the test, and read one integer.
 * Include after cmocka.h and casebook/store.h, in one file per test.
 */
#ifndef CB_TEST_STORETEST_H
#define CB_TEST_STORETEST_H

static cb_store *open_ok(const char *path)
{
    cb_store *s = NULL;
    cb_error err;
    cb_status st = cb_store_open(path, NULL, &s, &err);
    if (st)
        fail_msg("open %s: %s", path, err.msg);
    return s;
}

/* The first column of the first row as an integer (the statement must return one). */
static int64_t int_of(cb_store *s, const char *sql, const cb_store_value *p, size_t n)
{
    cb_store_rows *r;
    cb_error err;
    bool row;
    if (cb_store_query(s, sql, p, n, &r, &err))
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    int64_t v = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    return v;
}

#endif
