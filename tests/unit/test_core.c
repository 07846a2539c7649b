/*
 * test_core.c — unit tests for the core helpers: cb_error (error.h), cb_buf
 * (buf.h) and the UTF-8 helpers (utf8.h).
 *
 * Inputs are passed from exact-size heap copies where the length matters, so
 * that AddressSanitizer reports any read past `n`.
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
#include <strings.h>

#include "casebook/buf.h"
#include "casebook/error.h"
#include "casebook/json.h"
#include "casebook/utf8.h"

#define REPL "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

/* ------------------------------------------------------------------ */
/* cb_error                                                            */
/* ------------------------------------------------------------------ */

static void test_error_set_without_location(void **state)
{
    (void)state;
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(cb_error_set(&err, CB_EIO, "cannot read %s: %d", "x.log", 5), CB_EIO);
    assert_int_equal(err.code, CB_EIO);
    assert_string_equal(err.msg, "cannot read x.log: 5");
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);

    /* A second set replaces everything, including a location left by set_at. */
    cb_error_set_at(&err, CB_EPARSE, "a.yaml", 3, 4, "bad");
    assert_int_equal(cb_error_set(&err, CB_ELIMIT, "too big"), CB_ELIMIT);
    assert_int_equal(err.code, CB_ELIMIT);
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);
    assert_string_equal(err.msg, "too big");
}

static void test_error_set_at(void **state)
{
    (void)state;
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(cb_error_set_at(&err, CB_EPARSE, "rules.yaml", 12, 7, "unexpected '%c'", ':'), CB_EPARSE);
    assert_int_equal(err.code, CB_EPARSE);
    assert_string_equal(err.file, "rules.yaml");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.col, 7);
    assert_string_equal(err.msg, "unexpected ':'");

    /* A NULL file name means "no input". */
    cb_error_set_at(&err, CB_EPARSE, NULL, 0, 0, "x");
    assert_string_equal(err.file, "");
    assert_string_equal(err.msg, "x");
}

static void test_error_null_accepted(void **state)
{
    (void)state;
    cb_error_clear(NULL);
    assert_int_equal(cb_error_set(NULL, CB_ENOMEM, "out of %s", "memory"), CB_ENOMEM);
    assert_int_equal(cb_error_set_at(NULL, CB_ECORRUPT, "f", 1, 2, "bad %d", 3), CB_ECORRUPT);
    assert_int_equal(cb_error_set(NULL, CB_OK, "fine"), CB_OK);
}

static void test_error_clear(void **state)
{
    (void)state;
    cb_error err;
    memset(&err, 0x5A, sizeof err);
    cb_error_clear(&err);
    assert_int_equal(err.code, CB_OK);
    assert_string_equal(err.file, "");
    assert_string_equal(err.msg, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);

    cb_error_set_at(&err, CB_EIO, "f.log", 1, 2, "boom");
    cb_error_clear(&err);
    assert_int_equal(err.code, CB_OK);
    assert_string_equal(err.file, "");
    assert_string_equal(err.msg, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);
}

static void test_error_format(void **state)
{
    (void)state;
    cb_error err;
    char out[256];

    cb_error_clear(&err);
    cb_error_set(&err, CB_EINVAL, "bad option");
    assert_int_equal(cb_error_format(&err, out, sizeof out), strlen("bad option"));
    assert_string_equal(out, "bad option");

    cb_error_set_at(&err, CB_EPARSE, "rules.yaml", 0, 0, "empty document");
    assert_int_equal(cb_error_format(&err, out, sizeof out), strlen("rules.yaml: empty document"));
    assert_string_equal(out, "rules.yaml: empty document");

    cb_error_set_at(&err, CB_EPARSE, "rules.yaml", 12, 0, "tab in indentation");
    assert_int_equal(cb_error_format(&err, out, sizeof out), strlen("rules.yaml:12: tab in indentation"));
    assert_string_equal(out, "rules.yaml:12: tab in indentation");

    cb_error_set_at(&err, CB_EPARSE, "rules.yaml", 12, 5, "unexpected ':'");
    assert_int_equal(cb_error_format(&err, out, sizeof out), strlen("rules.yaml:12:5: unexpected ':'"));
    assert_string_equal(out, "rules.yaml:12:5: unexpected ':'");

    /* A small buffer: truncated, NUL-terminated, the full length returned. */
    char small[8];
    memset(small, 'Z', sizeof small);
    size_t full = cb_error_format(&err, small, sizeof small);
    assert_int_equal(full, strlen("rules.yaml:12:5: unexpected ':'"));
    assert_int_equal(small[7], '\0');
    assert_string_equal(small, "rules.y");

    char one[1] = {'Z'};
    assert_int_equal(cb_error_format(&err, one, 1), strlen("rules.yaml:12:5: unexpected ':'"));
    assert_int_equal(one[0], '\0');

    /* An empty, cleared error formats as "". */
    cb_error_clear(&err);
    memset(out, 'Z', sizeof out);
    assert_int_equal(cb_error_format(&err, out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_error_truncates_huge_message(void **state)
{
    (void)state;
    enum { HUGE = 5000 };
    char *big = malloc(HUGE + 1);
    assert_non_null(big);
    for (size_t i = 0; i < HUGE; i++)
        big[i] = (char)('a' + i % 26);
    big[HUGE] = '\0';

    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(cb_error_set(&err, CB_ELIMIT, "start %s end", big), CB_ELIMIT);
    assert_int_equal(err.code, CB_ELIMIT);
    assert_int_equal(strlen(err.msg), CB_ERROR_MSG_MAX - 1);
    assert_memory_equal(err.msg, "start ", 6);
    assert_memory_equal(err.msg + 6, big, CB_ERROR_MSG_MAX - 1 - 6);

    /* A huge file name is truncated too. */
    cb_error_set_at(&err, CB_EIO, big, 1, 1, "%s", big);
    assert_int_equal(strlen(err.file), CB_ERROR_FILE_MAX - 1);
    assert_memory_equal(err.file, big, CB_ERROR_FILE_MAX - 1);
    assert_int_equal(strlen(err.msg), CB_ERROR_MSG_MAX - 1);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 1);

    /* Formatting the truncated parts reports the full formatted length. */
    char out[64];
    size_t full = cb_error_format(&err, out, sizeof out);
    assert_int_equal(full, (CB_ERROR_FILE_MAX - 1) + strlen(":1:1: ") + (CB_ERROR_MSG_MAX - 1));
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_memory_equal(out, big, sizeof out - 1);
    free(big);
}

static void test_status_str(void **state)
{
    (void)state;
    assert_string_equal(cb_status_str(CB_ENOMEM), "out of memory");
    assert_string_equal(cb_status_str(CB_EIO), "i/o error");
    const cb_status all[] = {CB_OK,     CB_ENOMEM,  CB_EIO,       CB_EINVAL,      CB_EPARSE,
                             CB_ELIMIT, CB_ECORRUPT, CB_ENOTFOUND, CB_EUNSUPPORTED, CB_EREFUSED, CB_ECONFLICT};
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = cb_status_str(all[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, cb_status_str(all[j]));
    }
    /* An unknown value still yields a string. */
    const char *u = cb_status_str((cb_status)-99);
    assert_non_null(u);
    assert_true(strlen(u) > 0);
    const char *u2 = cb_status_str((cb_status)7);
    assert_non_null(u2);
}

/* ------------------------------------------------------------------ */
/* cb_buf                                                              */
/* ------------------------------------------------------------------ */

/* Invariants from buf.h. */
static void check_buf(const cb_buf *b)
{
    assert_true(b->len <= b->max);
    if (b->data) {
        assert_true(b->len < b->cap);
        assert_int_equal(b->data[b->len], '\0');
    } else {
        assert_int_equal(b->len, 0);
    }
}

static void test_buf_init(void **state)
{
    (void)state;
    cb_buf b;
    memset(&b, 0x5A, sizeof b);
    cb_buf_init(&b, 100);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    cb_buf_release(&b);
}

static void test_buf_append_family(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    assert_int_equal(cb_buf_append(&b, "abc", 3), CB_OK);
    check_buf(&b);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");

    assert_int_equal(cb_buf_puts(&b, "def"), CB_OK);
    assert_int_equal(cb_buf_putc(&b, '!'), CB_OK);
    assert_int_equal(cb_buf_printf(&b, "[%d:%s:%03x]", 42, "x", 10), CB_OK);
    check_buf(&b);
    assert_string_equal(b.data, "abcdef![42:x:00a]");
    assert_int_equal(b.len, strlen("abcdef![42:x:00a]"));

    /* Appending nothing is fine, also from NULL. */
    assert_int_equal(cb_buf_append(&b, NULL, 0), CB_OK);
    assert_int_equal(cb_buf_puts(&b, ""), CB_OK);
    assert_int_equal(cb_buf_printf(&b, "%s", ""), CB_OK);
    assert_string_equal(b.data, "abcdef![42:x:00a]");

    /* Growth across many reallocations keeps the content. */
    for (int i = 0; i < 10000; i++)
        assert_int_equal(cb_buf_printf(&b, "%d,", i % 10), CB_OK);
    check_buf(&b);
    assert_int_equal(b.len, strlen("abcdef![42:x:00a]") + 20000);
    assert_memory_equal(b.data + b.len - 4, "8,9,", 4);
    cb_buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, CB_BUF_UNLIMITED);
}

static cb_status call_vprintf(cb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static cb_status call_vprintf(cb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_status st = cb_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

static void test_buf_vprintf(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    assert_int_equal(call_vprintf(&b, "%s=%lld", "n", -5LL), CB_OK);
    assert_string_equal(b.data, "n=-5");
    /* A long formatted string (bigger than any initial allocation). */
    char big[3000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(call_vprintf(&b, "<%s>", big), CB_OK);
    check_buf(&b);
    assert_int_equal(b.len, 4 + 2 + sizeof big - 1);
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(b.data[4], '<');
    cb_buf_release(&b);
}

static void test_buf_cap(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, 8);
    assert_int_equal(cb_buf_append(&b, "12345", 5), CB_OK);
    /* 5 + 4 > 8: refused, nothing appended. */
    assert_int_equal(cb_buf_append(&b, "abcd", 4), CB_ELIMIT);
    check_buf(&b);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "12345");
    assert_int_equal(cb_buf_puts(&b, "abcd"), CB_ELIMIT);
    assert_int_equal(cb_buf_printf(&b, "%d", 1234), CB_ELIMIT);
    assert_int_equal(call_vprintf(&b, "%s", "wxyz"), CB_ELIMIT);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "12345");
    /* Exactly up to max is allowed. */
    assert_int_equal(cb_buf_printf(&b, "%d", 67), CB_OK);
    assert_int_equal(cb_buf_putc(&b, '8'), CB_OK);
    check_buf(&b);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    assert_int_equal(cb_buf_putc(&b, '9'), CB_ELIMIT);
    assert_int_equal(cb_buf_reserve(&b, 1), CB_ELIMIT);
    assert_int_equal(cb_buf_reserve(&b, 0), CB_OK);
    assert_int_equal(cb_buf_append(&b, "", 0), CB_OK);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    /* A huge request cannot overflow the size check. */
    assert_int_equal(cb_buf_reserve(&b, (size_t)-1), CB_ELIMIT);
    assert_int_equal(cb_buf_append(&b, "x", (size_t)-1), CB_ELIMIT);
    assert_int_equal(b.len, 8);
    /* After reset the room is back. */
    cb_buf_reset(&b);
    assert_int_equal(cb_buf_puts(&b, "abcdefgh"), CB_OK);
    assert_string_equal(b.data, "abcdefgh");
    cb_buf_release(&b);

    /* A zero cap accepts nothing but empty appends. */
    cb_buf z;
    cb_buf_init(&z, 0);
    assert_int_equal(cb_buf_putc(&z, 'a'), CB_ELIMIT);
    assert_int_equal(z.len, 0);
    cb_buf_release(&z);
}

static void test_buf_reserve(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, 1000);
    assert_int_equal(cb_buf_reserve(&b, 100), CB_OK);
    assert_non_null(b.data);
    assert_true(b.cap >= 101);
    assert_int_equal(b.len, 0);
    char *before = b.data;
    /* Reserved room is used without reallocation. */
    for (int i = 0; i < 100; i++)
        assert_int_equal(cb_buf_putc(&b, 'x'), CB_OK);
    assert_ptr_equal(b.data, before);
    check_buf(&b);
    assert_int_equal(cb_buf_reserve(&b, 900), CB_OK);
    assert_true(b.cap >= 1001);
    assert_int_equal(b.len, 100);
    assert_int_equal(cb_buf_reserve(&b, 901), CB_ELIMIT);
    assert_int_equal(b.len, 100);
    cb_buf_release(&b);
}

static void test_buf_reset(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, 64);
    cb_buf_reset(&b); /* on an empty buffer */
    assert_int_equal(b.len, 0);
    assert_int_equal(cb_buf_puts(&b, "hello"), CB_OK);
    char *p = b.data;
    size_t cap = b.cap;
    cb_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.data, p);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");
    check_buf(&b);
    assert_int_equal(cb_buf_puts(&b, "x"), CB_OK);
    assert_string_equal(b.data, "x");
    cb_buf_release(&b);
}

static void test_buf_detach(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, 100);
    size_t len = 999;
    /* Empty buffer (never allocated): "" and not NULL. */
    char *s = cb_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);

    /* Allocated but emptied by reset. */
    assert_int_equal(cb_buf_puts(&b, "abc"), CB_OK);
    cb_buf_reset(&b);
    s = cb_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);

    assert_int_equal(cb_buf_puts(&b, "content"), CB_OK);
    s = cb_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "content");
    assert_int_equal(len, 7);
    /* The buffer is left empty and reusable, its cap kept. */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    assert_int_equal(cb_buf_puts(&b, "again"), CB_OK);
    assert_string_equal(b.data, "again");
    assert_string_equal(s, "content"); /* detached string unaffected */
    free(s);

    /* len may be NULL. */
    s = cb_buf_detach(&b, NULL);
    assert_string_equal(s, "again");
    free(s);
    cb_buf_release(&b);
}

static void test_buf_release(void **state)
{
    (void)state;
    cb_buf_release(NULL);
    cb_buf b;
    cb_buf_init(&b, 50);
    cb_buf_release(&b); /* never allocated */
    assert_int_equal(cb_buf_puts(&b, "abc"), CB_OK);
    cb_buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 50);
    cb_buf_release(&b); /* twice */
    assert_null(b.data);
    /* Usable again, still capped. */
    assert_int_equal(cb_buf_append(&b, "0123456789012345678901234567890123456789012345678901", 52), CB_ELIMIT);
    assert_int_equal(cb_buf_puts(&b, "ok"), CB_OK);
    assert_string_equal(b.data, "ok");
    cb_buf_release(&b);
}

static void test_buf_nul_bytes(void **state)
{
    (void)state;
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    assert_int_equal(cb_buf_append(&b, "a\0b", 3), CB_OK);
    assert_int_equal(b.len, 3);
    assert_int_equal(cb_buf_putc(&b, '\0'), CB_OK);
    assert_int_equal(cb_buf_puts(&b, "c"), CB_OK);
    check_buf(&b);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "a\0b\0c", 6);
    size_t len = 0;
    char *s = cb_buf_detach(&b, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "a\0b\0c", 6);
    free(s);
    cb_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* cb_utf8_seqlen on an exact-size copy of s[0..n). */
static size_t seqlen_n(const char *s, size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    size_t k = cb_utf8_seqlen(p, n);
    free(p);
    return k;
}

static size_t seqlen(const char *s)
{
    return seqlen_n(s, strlen(s));
}

static void test_utf8_seqlen(void **state)
{
    (void)state;
    assert_int_equal(seqlen_n("", 0), 0);
    assert_int_equal(seqlen("A"), 1);
    assert_int_equal(seqlen("\x7F"), 1);
    assert_int_equal(seqlen_n("\0", 1), 1);
    assert_int_equal(seqlen("AB"), 1); /* only the first sequence */

    /* Continuation bytes and overlong 2-byte leads. */
    assert_int_equal(seqlen("\x80"), 0);
    assert_int_equal(seqlen("\xBF\x80"), 0);
    assert_int_equal(seqlen("\xC0\x80"), 0);
    assert_int_equal(seqlen("\xC0\xAF"), 0);
    assert_int_equal(seqlen("\xC1\xBF"), 0);
    /* 2-byte. */
    assert_int_equal(seqlen("\xC2\x80"), 2);
    assert_int_equal(seqlen("\xC3\xA9x"), 2);
    assert_int_equal(seqlen("\xDF\xBF"), 2);
    assert_int_equal(seqlen("\xC2"), 0);       /* truncated */
    assert_int_equal(seqlen("\xC2\x41"), 0);   /* bad continuation */
    assert_int_equal(seqlen("\xC2\xC0"), 0);
    /* 3-byte. */
    assert_int_equal(seqlen("\xE0\xA0\x80"), 3);
    assert_int_equal(seqlen("\xE0\x80\x80"), 0); /* overlong */
    assert_int_equal(seqlen("\xE0\x9F\xBF"), 0); /* overlong */
    assert_int_equal(seqlen("\xE2\x82\xAC"), 3); /* euro */
    assert_int_equal(seqlen("\xED\x9F\xBF"), 3); /* U+D7FF */
    assert_int_equal(seqlen("\xED\xA0\x80"), 0); /* U+D800 surrogate */
    assert_int_equal(seqlen("\xED\xBF\xBF"), 0); /* U+DFFF surrogate */
    assert_int_equal(seqlen("\xEE\x80\x80"), 3); /* U+E000 */
    assert_int_equal(seqlen("\xEF\xBF\xBF"), 3); /* U+FFFF */
    assert_int_equal(seqlen("\xE2\x82"), 0);     /* truncated */
    assert_int_equal(seqlen("\xE2"), 0);
    assert_int_equal(seqlen("\xE2\x28\xAC"), 0);
    assert_int_equal(seqlen("\xE2\x82\x28"), 0);
    assert_int_equal(seqlen_n("\xE2\x82\xAC", 2), 0); /* n is respected */
    /* 4-byte. */
    assert_int_equal(seqlen("\xF0\x90\x80\x80"), 4); /* U+10000 */
    assert_int_equal(seqlen("\xF0\x9F\x8E\x89"), 4); /* party popper */
    assert_int_equal(seqlen("\xF0\x8F\xBF\xBF"), 0); /* overlong */
    assert_int_equal(seqlen("\xF4\x8F\xBF\xBF"), 4); /* U+10FFFF */
    assert_int_equal(seqlen("\xF4\x90\x80\x80"), 0); /* > U+10FFFF */
    assert_int_equal(seqlen("\xF0\x9F\x8E"), 0);     /* truncated */
    assert_int_equal(seqlen_n("\xF0\x9F\x8E\x89", 3), 0);
    assert_int_equal(seqlen("\xF0\x9F\x28\x89"), 0);
    assert_int_equal(seqlen("\xF0\x9F\x8E\x28"), 0);
    /* F5 and above never start a sequence. */
    assert_int_equal(seqlen("\xF5\x80\x80\x80"), 0);
    assert_int_equal(seqlen("\xF7\xBF\xBF\xBF"), 0);
    assert_int_equal(seqlen("\xF8\x88\x80\x80\x80"), 0);
    assert_int_equal(seqlen("\xFE"), 0);
    assert_int_equal(seqlen("\xFF"), 0);
}

static bool valid_n(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    bool v = cb_utf8_valid(p, n);
    free(p);
    return v;
}

static bool valid(const char *s)
{
    return valid_n(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(valid_n("", 0));
    assert_true(valid("hello"));
    assert_true(valid("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x8E\x89"));
    assert_true(valid_n("a\0b", 3));
    assert_false(valid("\xC0\xAF"));
    assert_false(valid("\xE0\x80\xAF"));
    assert_false(valid("\xED\xA0\x80"));
    assert_false(valid("\xF4\x90\x80\x80"));
    assert_false(valid("\xF5\x80\x80\x80"));
    assert_false(valid("abc\xE2\x82"));        /* truncated at the end */
    assert_false(valid_n("abc\xE2\x82\xAC", 5)); /* n cuts a sequence */
    assert_true(valid_n("abc\xE2\x82\xAC", 3));
    /* Invalid bytes anywhere in long ASCII runs (the 8-byte fast path). */
    char buf[40];
    for (size_t pos = 0; pos < sizeof buf; pos++) {
        memset(buf, 'a', sizeof buf);
        assert_true(valid_n(buf, sizeof buf));
        buf[pos] = (char)0xFF;
        assert_false(valid_n(buf, sizeof buf));
        buf[pos] = (char)0x80;
        assert_false(valid_n(buf, sizeof buf));
    }
    /* A valid 2-byte sequence at each position of a long ASCII run. */
    for (size_t pos = 0; pos + 1 < sizeof buf; pos++) {
        memset(buf, 'a', sizeof buf);
        buf[pos] = (char)0xC3;
        buf[pos + 1] = (char)0xA9;
        assert_true(valid_n(buf, sizeof buf));
    }
}

static size_t boundary_n(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    size_t k = cb_utf8_boundary(p, n);
    free(p);
    return k;
}

static void test_utf8_boundary(void **state)
{
    (void)state;
    assert_int_equal(boundary_n("", 0), 0);
    assert_int_equal(boundary_n("abc", 3), 3);
    assert_int_equal(boundary_n("abc", 2), 2);
    /* 2-byte: "a" + e-acute. */
    const char *two = "a\xC3\xA9";
    assert_int_equal(boundary_n(two, 3), 3);
    assert_int_equal(boundary_n(two, 2), 1);
    assert_int_equal(boundary_n(two, 1), 1);
    /* 3-byte: "ab" + euro. */
    const char *three = "ab\xE2\x82\xAC";
    assert_int_equal(boundary_n(three, 5), 5);
    assert_int_equal(boundary_n(three, 4), 2);
    assert_int_equal(boundary_n(three, 3), 2);
    assert_int_equal(boundary_n(three, 2), 2);
    /* 4-byte: "x" + emoji + "y". */
    const char *four = "x\xF0\x9F\x8E\x89y";
    assert_int_equal(boundary_n(four, 6), 6);
    assert_int_equal(boundary_n(four, 5), 5);
    assert_int_equal(boundary_n(four, 4), 1);
    assert_int_equal(boundary_n(four, 3), 1);
    assert_int_equal(boundary_n(four, 2), 1);
    assert_int_equal(boundary_n(four, 1), 1);
    /* A sequence at the very start. */
    assert_int_equal(boundary_n("\xF0\x9F\x8E\x89", 3), 0);
    assert_int_equal(boundary_n("\xF0\x9F\x8E\x89", 1), 0);
    assert_int_equal(boundary_n("\xE2\x82\xAC", 2), 0);
    assert_int_equal(boundary_n("\xC3\xA9", 1), 0);
    /* Two multibyte characters in a row. */
    const char *pair = "\xC3\xA9\xE2\x82\xAC";
    assert_int_equal(boundary_n(pair, 5), 5);
    assert_int_equal(boundary_n(pair, 4), 2);
    assert_int_equal(boundary_n(pair, 3), 2);
    assert_int_equal(boundary_n(pair, 2), 2);
    assert_int_equal(boundary_n(pair, 1), 0);
    /* The result never exceeds n and s[0..k) is valid for valid input cut anywhere. */
    const char *text = "caf\xC3\xA9 \xE2\x82\xAC\xF0\x9F\x8E\x89 ok \xE4\xB8\xAD\xE6\x96\x87";
    size_t tl = strlen(text);
    for (size_t n = 0; n <= tl; n++) {
        size_t k = boundary_n(text, n);
        assert_true(k <= n);
        assert_true(n - k <= 3);
        assert_true(valid_n(text, k));
        /* Largest: no valid prefix between k and n. */
        for (size_t j = k + 1; j <= n; j++)
            assert_false(valid_n(text, j));
    }
}

/* Sanitize s[0..n) (exact-size copy) into a fresh buffer; returns the heap result. */
static char *sanitize(const char *s, size_t n, bool escape, size_t *outlen)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    cb_buf out;
    cb_buf_init(&out, CB_BUF_UNLIMITED);
    assert_int_equal(cb_utf8_sanitize(&out, p, n, escape), CB_OK);
    free(p);
    char *r = cb_buf_detach(&out, outlen);
    assert_non_null(r);
    return r;
}

#define SAN_EQ(in, inlen, esc, expect)                                                                       \
    do {                                                                                                     \
        size_t ol_;                                                                                          \
        char *r_ = sanitize((in), (inlen), (esc), &ol_);                                                     \
        if (ol_ != strlen(expect) || memcmp(r_, (expect), ol_) != 0)                                         \
            print_message("sanitize mismatch: got '%s' want '%s'\n", r_, (expect));                         \
        assert_int_equal(ol_, strlen(expect));                                                               \
        assert_memory_equal(r_, (expect), ol_);                                                              \
        free(r_);                                                                                            \
    } while (0)

/* As SAN_EQ, comparing hex digits of \xNN case-insensitively (the header does not fix the case). */
#define SAN_EQ_CI(in, inlen, esc, expect)                                                                    \
    do {                                                                                                     \
        size_t ol_;                                                                                          \
        char *r_ = sanitize((in), (inlen), (esc), &ol_);                                                     \
        if (ol_ != strlen(expect) || strncasecmp(r_, (expect), ol_) != 0)                                    \
            print_message("sanitize mismatch: got '%s' want '%s'\n", r_, (expect));                         \
        assert_int_equal(ol_, strlen(expect));                                                               \
        assert_int_equal(strncasecmp(r_, (expect), ol_), 0);                                                 \
        free(r_);                                                                                            \
    } while (0)

static void test_utf8_sanitize_replace(void **state)
{
    (void)state;
    SAN_EQ("", 0, false, "");
    SAN_EQ("plain text", 10, false, "plain text");
    /* Valid multibyte is kept. */
    SAN_EQ("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89", 14, false, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89");
    /* Invalid bytes become U+FFFD, one each. */
    SAN_EQ("a\xFF" "b", 3, false, "a" REPL "b");
    SAN_EQ("\x80", 1, false, REPL);
    SAN_EQ("\xC0\xAF", 2, false, REPL REPL);
    SAN_EQ("\xED\xA0\x80", 3, false, REPL REPL REPL);
    SAN_EQ("ab\xE2\x82", 4, false, "ab" REPL REPL); /* truncated at the end */
    SAN_EQ("\xE9t\xE9", 3, false, REPL "t" REPL);   /* Latin-1 */
    /* C0 controls and DEL become U+FFFD; TAB is kept. */
    SAN_EQ("a\x1B[31mred", 9, false, "a" REPL "[31mred");
    SAN_EQ("x\ny\rz", 5, false, "x" REPL "y" REPL "z");
    SAN_EQ("a\0b", 3, false, "a" REPL "b");
    SAN_EQ("\x01\x1F", 2, false, REPL REPL);
    SAN_EQ("del\x7F", 4, false, "del" REPL);
    SAN_EQ("a\tb", 3, false, "a\tb");
    /* Printable ASCII boundaries kept. */
    SAN_EQ(" ~", 2, false, " ~");
    /* C1 controls (U+0080..U+009F) are controls too: U+009B is a one-character CSI, U+009D an OSC. */
    SAN_EQ("a\xC2\x9B"
           "2Jb",
           6, false, "a" REPL "2Jb");
    SAN_EQ("\xC2\x80\xC2\x9F\xC2\x9D"
           "0;t\xC2\x9C",
           11, false, REPL REPL REPL "0;t" REPL);
    SAN_EQ("\xC2\xA0\xC2\xA9", 4, false, "\xC2\xA0\xC2\xA9"); /* U+00A0, U+00A9: kept */
    /* Bidi embeddings, overrides (U+202A..U+202E) and isolates (U+2066..U+2069) reorder text: replaced. */
    SAN_EQ("x\xE2\x80\xAEgpj.exe", 11, false, "x" REPL "gpj.exe");
    SAN_EQ("\xE2\x80\xAA\xE2\x80\xAD\xE2\x81\xA6\xE2\x81\xA9", 12, false, REPL REPL REPL REPL);
    /* Their neighbours are ordinary text. */
    SAN_EQ("\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\xE2\x80\x94", 15, false,
           "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\xE2\x80\x94");
}

static void test_utf8_sanitize_escape(void **state)
{
    (void)state;
    SAN_EQ("plain.log", 9, true, "plain.log");
    SAN_EQ("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89", 14, true, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89");
    SAN_EQ_CI("ctl\x1B[31mred.log", 15, true, "ctl\\x1B[31mred.log");
    SAN_EQ_CI("a\xFF" "b", 3, true, "a\\xFFb");
    SAN_EQ_CI("\xC0\xAF", 2, true, "\\xC0\\xAF");
    SAN_EQ_CI("ab\xE2\x82", 4, true, "ab\\xE2\\x82");
    SAN_EQ_CI("a\0b", 3, true, "a\\x00b");
    SAN_EQ_CI("x\ny", 3, true, "x\\x0Ay");
    SAN_EQ_CI("del\x7F", 4, true, "del\\x7F");
    /* TAB is escaped in this mode. */
    SAN_EQ_CI("tab\there", 8, true, "tab\\x09here");
    /* C1 and bidi controls: each of their bytes. */
    SAN_EQ_CI("a\xC2\x9B"
              "2J",
              5, true, "a\\xC2\\x9B2J");
    SAN_EQ_CI("x\xE2\x80\xAEy\xE2\x81\xA8", 8, true, "x\\xE2\\x80\\xAEy\\xE2\\x81\\xA8");
}

static void test_utf8_sanitize_appends_and_limits(void **state)
{
    (void)state;
    cb_buf out;
    cb_buf_init(&out, CB_BUF_UNLIMITED);
    assert_int_equal(cb_buf_puts(&out, "pre:"), CB_OK);
    assert_int_equal(cb_utf8_sanitize(&out, "a\x01", 2, false), CB_OK);
    assert_int_equal(out.len, 4 + 1 + 3);
    assert_memory_equal(out.data, "pre:a" REPL, out.len);
    assert_int_equal(out.data[out.len], '\0');
    cb_buf_release(&out);

    cb_buf small;
    cb_buf_init(&small, 4);
    assert_int_equal(cb_utf8_sanitize(&small, "abcdefgh", 8, false), CB_ELIMIT);
    assert_true(small.len <= 4);
    cb_buf_release(&small);

    cb_buf small2;
    cb_buf_init(&small2, 5);
    assert_int_equal(cb_utf8_sanitize(&small2, "ab\xFF\xFF", 4, true), CB_ELIMIT);
    assert_true(small2.len <= 5);
    cb_buf_release(&small2);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* Whatever the input, the output is valid UTF-8 without C0 controls (but TAB when kept) and DEL. */
/* From core/internal.h (not included here: it bans libc functions these tests use). */
_Bool cb__grow_slow(void **p, size_t *cap, size_t need, size_t size);
#define cb__grow cb__grow_slow

static void test_grow(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        assert_true(cb__grow((void **)&v, &cap, n + 1, sizeof *v));
        assert_true(cap >= n + 1);
        v[n] = (int)n; /* ASan: the room is really there */
    }
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(v[n], (int)n);
    /* Enough room already: nothing moves. */
    int *before = v;
    size_t cap_before = cap;
    assert_true(cb__grow((void **)&v, &cap, 10, sizeof *v));
    assert_ptr_equal(v, before);
    assert_int_equal(cap, cap_before);
    /* A size that would overflow is refused, the array kept. */
    assert_false(cb__grow((void **)&v, &cap, SIZE_MAX / 2, sizeof *v));
    assert_false(cb__grow((void **)&v, &cap, SIZE_MAX, 1));
    assert_ptr_equal(v, before);
    assert_int_equal(cap, cap_before);
    assert_int_equal(v[999], 999);
    free(v);
}

static void test_utf8_sanitize_lines(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"one line", "one line"},
        {"a\nb", "a\nb"},
        {"a\n\nb\n", "a\n\nb\n"},          /* empty lines and a final line end kept */
        {"\n", "\n"},
        {"x\ry\n\x01z", "x\xEF\xBF\xBDy\n\xEF\xBF\xBDz"}, /* CR and other controls are not line ends */
        {"caf\xC3\xA9\n\xFF", "caf\xC3\xA9\n\xEF\xBF\xBD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cb_buf out;
        cb_buf_init(&out, CB_BUF_UNLIMITED);
        assert_int_equal(cb_utf8_sanitize_lines(&out, cases[i].in, strlen(cases[i].in), false), CB_OK);
        assert_int_equal(out.len, strlen(cases[i].want));
        assert_memory_equal(out.data ? out.data : "", cases[i].want, out.len);
        cb_buf_release(&out);
    }
    /* Escaping: a line end is still a line end, a TAB is escaped. */
    cb_buf out;
    cb_buf_init(&out, CB_BUF_UNLIMITED);
    assert_int_equal(cb_utf8_sanitize_lines(&out, "a\tb\nc", 5, true), CB_OK);
    assert_int_equal(out.len, strlen("a\\x09b\nc"));
    assert_int_equal(strncasecmp(out.data, "a\\x09b\nc", out.len), 0);
    cb_buf_release(&out);
}

/* The byte-by-byte definition of cb_utf8_sanitize, to check its eight-bytes-at-a-time path against. */
static char *sanitize_oracle(const unsigned char *p, size_t n, bool escape, size_t *outlen)
{
    char *out = malloc(n * 4 + 1);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t k = (c >= 0x20 && c < 0x7F) || (c == '\t' && !escape) ? 1 : c >= 0x80 ? cb_utf8_seqlen(p + i, n - i) : 0;
        bool c1 = k == 2 && c == 0xC2 && p[i + 1] < 0xA0;
        bool bidi = k == 3 && c == 0xE2 &&
                    ((p[i + 1] == 0x80 && p[i + 2] >= 0xAA && p[i + 2] <= 0xAE) ||
                     (p[i + 1] == 0x81 && p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9));
        if (k && !c1 && !bidi) {
            memcpy(out + o, p + i, k);
            o += k;
            i += k;
        } else if (escape) {
            for (size_t b = 0; b < (k ? k : 1); b++)
                o += (size_t)sprintf(out + o, "\\x%02X", p[i + b]);
            i += k ? k : 1;
        } else if (k) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *outlen = o;
    return out;
}

/* Mostly printable ASCII, as log lines are, with the odd control, DEL, tab or UTF-8 byte at any alignment. */
static void test_utf8_sanitize_ascii_runs(void **state)
{
    (void)state;
    static const unsigned char odd[] = {0x00, 0x01, 0x09, 0x0A, 0x1F, 0x20, 0x7E, 0x7F, 0x80,
                                        0xC3, 0xA9, 0xE2, 0xFF, 0xC2, 0x9B, 0x81, 0xAE, 0xA6};
    unsigned char in[200];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = rnd() % sizeof in;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rnd();
            in[i] = r % 23 == 0 ? odd[(r >> 8) % sizeof odd] : (unsigned char)(0x20 + (r >> 8) % 95);
        }
        bool escape = iter & 1;
        size_t ol, wl;
        char *got = sanitize((const char *)in, n, escape, &ol);
        char *want = sanitize_oracle(in, n, escape, &wl);
        assert_int_equal(ol, wl);
        assert_memory_equal(got, want, ol);
        free(got);
        free(want);
    }
}

static void test_utf8_sanitize_random(void **state)
{
    (void)state;
    unsigned char in[64];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = rnd() % sizeof in;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rnd();
            in[i] = (r & 3) == 0 ? (unsigned char)(0x80 + (r >> 8) % 0x80) : (unsigned char)(r >> 8);
        }
        bool escape = iter & 1;
        size_t ol;
        char *r = sanitize((const char *)in, n, escape, &ol);
        assert_true(cb_utf8_valid(r, ol));
        for (size_t i = 0; i < ol;) {
            size_t k = cb_utf8_seqlen((const unsigned char *)r + i, ol - i);
            assert_true(k > 0);
            if (cb_utf8_is_control((const unsigned char *)r + i, k))
                assert_true(r[i] == '\t' && !escape); /* no C0, DEL, C1 or bidi control survives */
            i += k;
        }
        /* Valid input without controls is unchanged. */
        bool clean = cb_utf8_valid((const char *)in, n);
        for (size_t i = 0; i < n && clean;) {
            size_t k = cb_utf8_seqlen(in + i, n - i);
            if (cb_utf8_is_control(in + i, k))
                clean = false;
            i += k;
        }
        if (clean) {
            assert_int_equal(ol, n);
            assert_memory_equal(r, in, n);
        }
        free(r);
    }
}

static void test_utf8_columns(void **state)
{
    (void)state;
    assert_int_equal(cb_utf8_columns("", 0), 0);
    assert_int_equal(cb_utf8_columns("abc", 3), 3);
    assert_int_equal(cb_utf8_columns("caf\xC3\xA9", 5), 4);              /* é: one column, two bytes */
    assert_int_equal(cb_utf8_columns("e\xCC\x81", 3), 1);                /* e + combining acute */
    assert_int_equal(cb_utf8_columns("\xE6\x97\xA5\xE6\x9C\xAC", 6), 4); /* 日本: wide */
    assert_int_equal(cb_utf8_columns("\xF0\x9F\x8E\x89", 4), 2);         /* emoji */
    assert_int_equal(cb_utf8_columns("\xE2\x80\xA6", 3), 1);             /* … */
    assert_int_equal(cb_utf8_columns("a\x1B"
                                     "b\xC2\x9B",
                                     5),
                     2); /* controls: none */
    assert_int_equal(cb_utf8_columns("a\xFF"
                                     "b",
                                     3),
                     3); /* an invalid byte: one (U+FFFD) */
    size_t k;
    assert_int_equal(cb_utf8_char_columns("\xE6\x97\xA5", 3, &k), 2);
    assert_int_equal(k, 3);
    assert_int_equal(cb_utf8_char_columns("\xE6\x97", 2, &k), 1); /* cut short: one invalid byte */
    assert_int_equal(k, 1);
}

/* cb_json_dump: jansson's text for every flag asked, NULL for what cannot be encoded, never a partial text. */
static void test_json_dump(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:[n,s],s:i,s:s}", "state", "wip", "n", 3, "why", "caf\xc3\xa9 \"q\"");
    assert_non_null(o);
    char *t = cb_json_dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(t, "{\"state\":[null,\"wip\"],\"n\":3,\"why\":\"caf\xc3\xa9 \\\"q\\\"\"}");
    free(t);
    t = cb_json_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char *want = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_string_equal(t, want);
    free(t);
    free(want);
    json_decref(o);
    json_t *n = json_integer(7);
    assert_null(cb_json_dump(n, JSON_COMPACT));          /* a bare integer needs JSON_ENCODE_ANY */
    t = cb_json_dump(n, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(t, "7");
    free(t);
    json_decref(n);
    assert_null(cb_json_dump(NULL, JSON_COMPACT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_set_without_location),
        cmocka_unit_test(test_error_set_at),
        cmocka_unit_test(test_error_null_accepted),
        cmocka_unit_test(test_error_clear),
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_error_truncates_huge_message),
        cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_buf_init),
        cmocka_unit_test(test_buf_append_family),
        cmocka_unit_test(test_buf_vprintf),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_buf_reserve),
        cmocka_unit_test(test_buf_reset),
        cmocka_unit_test(test_buf_detach),
        cmocka_unit_test(test_buf_release),
        cmocka_unit_test(test_buf_nul_bytes),
        cmocka_unit_test(test_utf8_seqlen),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_boundary),
        cmocka_unit_test(test_utf8_sanitize_replace),
        cmocka_unit_test(test_utf8_sanitize_escape),
        cmocka_unit_test(test_utf8_columns),
        cmocka_unit_test(test_utf8_sanitize_appends_and_limits),
        cmocka_unit_test(test_utf8_sanitize_random),
        cmocka_unit_test(test_utf8_sanitize_ascii_runs),
        cmocka_unit_test(test_utf8_sanitize_lines),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_json_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
