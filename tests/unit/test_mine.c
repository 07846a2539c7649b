/*
 * test_mine.c — the template miner (mine.h): masking rules, header formats,
 * the tree (different constants split, variables merge), stable ids, the cap
 * and its overflow bucket.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/mine.h"

static void mask_is(const char *in, const char *want)
{
    char out[512];
    size_t n = cb_mine_mask(in, strlen(in), out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("mask(\"%s\") = \"%s\", want \"%s\"", in, out, want);
    assert_int_equal(n, strlen(want));
}

static void test_mask_rules(void **state)
{
    (void)state;
    mask_is("Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6",
            "Received block <*> of size <*> from <*>"); /* Java's "/ip": the slash is part of it */
    mask_is("path /a/b and /10.0.0.1:80 and x/10.0.0.1", "path <*> and <*>:<*> and x/<*>");
    mask_is("connect to 10.0.0.1:8080 failed", "connect to <*>:<*> failed");                 /* IP and port */
    mask_is("flags 0x1F00 at 7fffe4a2c000", "flags <*> at <*>");                              /* hex */
    mask_is("id 550e8400-e29b-41d4-a716-446655440000 ok", "id <*> ok");                       /* GUID */
    mask_is("id e29b41d4-a716-4466-5544-0000550e8400 ok", "id <*> ok");                       /* GUID from a letter */
    mask_is("open /var/log/app.log and C:\\temp\\x.txt", "open <*> and <*>");                /* paths */
    mask_is("fetch https://example.com/a?b=1 now", "fetch https://<*> now");                 /* URL */
    mask_is("mail bob.smith@example.org bounced", "mail <*> bounced");                       /* e-mail */
    mask_is("took 15ms then 2.5s", "took <*> then <*>");                                      /* durations */
    mask_is("free 12KB of 3.5GiB", "free <*> of <*>");                                        /* sizes */
    mask_is("Finished task 3.0 in stage 1.0 (TID 5).", "Finished task <*> in stage <*> (TID <*>).");
    mask_is("totalSteps=12:34:56", "totalSteps=<*>:<*>:<*>");
    mask_is("attempt_1445144423722_0020_m_000000_0 done", "<*> done");
    mask_is("count -42 size 12.", "count <*> size <*>.");
    /* names with a digit inside a word are not variables */
    mask_is("port 22 ssh2 jk2_init() IPv6 utf8", "port <*> ssh2 jk2_init() IPv6 utf8");
    mask_is("  many\t blanks  here ", "many blanks here");
    mask_is("node '/udev/vcs2' and (bob@example.org) \"http://x.org/a\"", "node '<*>' and (<*>) \"http://<*>\"");
    mask_is("free 12.5 KB, used 3 GiB", "free <*>, used <*>"); /* a size unit joins its number */
    mask_is("took 300 ms, B 12 bytes", "took <*> ms, B <*> bytes"); /* other words stay */
    mask_is("", "");
    /* truncation reports the full length, output still terminated */
    char small[6];
    assert_int_equal(cb_mine_mask("abc 1 def", 9, small, sizeof small), strlen("abc <*> def"));
    assert_string_equal(small, "abc <");
}

static void test_level_words(void **state)
{
    (void)state;
    assert_int_equal(cb_mine_level_of("ERROR", 5), CB_MINE_LEVEL_ERROR);
    assert_int_equal(cb_mine_level_of("Warn", 4), CB_MINE_LEVEL_WARNING);
    assert_int_equal(cb_mine_level_of("INFO", 4), CB_MINE_LEVEL_INFO);
    assert_int_equal(cb_mine_level_of("combo", 5), CB_MINE_LEVEL_OTHER);
    assert_int_equal(cb_mine_level_of("err", 2), CB_MINE_LEVEL_OTHER); /* "er": a whole word, not a prefix */
    assert_int_equal(cb_mine_level_of(NULL, 0), CB_MINE_LEVEL_OTHER);
}

static void test_logfmt(void **state)
{
    (void)state;
    cb_logfmt *f;
    cb_error err;
    assert_int_equal(cb_logfmt_compile("<Date> <Time> <Pid> <Level> <Component>: <Content>", &f, &err), CB_OK);
    cb_logfmt_fields fl;
    const char *line = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block x terminating";
    assert_true(cb_logfmt_match(f, line, strlen(line), &fl));
    assert_int_equal(fl.level.n, 4);
    assert_memory_equal(fl.level.p, "INFO", 4);
    assert_int_equal(fl.content.n, strlen("PacketResponder 1 for block x terminating"));
    assert_memory_equal(fl.content.p, "PacketResponder 1 for block x terminating", fl.content.n);
    assert_false(cb_logfmt_match(f, "no header", 9, &fl));
    cb_logfmt_free(f);

    /* escaped brackets and an optional group, as the Linux format has */
    assert_int_equal(cb_logfmt_compile("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>", &f, &err),
                     CB_OK);
    line = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=1.2.3.4";
    assert_true(cb_logfmt_match(f, line, strlen(line), &fl));
    assert_memory_equal(fl.content.p, "authentication failure; rhost=1.2.3.4", fl.content.n);
    line = "Jun 14 15:16:01 combo kernel: hello";
    assert_true(cb_logfmt_match(f, line, strlen(line), &fl));
    assert_memory_equal(fl.content.p, "hello", fl.content.n);
    cb_logfmt_free(f);

    /* malformed formats: a clear error each */
    static const struct {
        const char *fmt, *msg;
    } bad[] = {
        {"<Date> <Content", "not closed"},
        {"<> <Content>", "empty name"},
        {"<Date> <Date> <Content>", "appears twice"},
        {"<Date> <Level>", "no <Content>"},
        {"<Date> ( <Content>", "not a valid expression"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = (cb_logfmt *)1;
        assert_int_equal(cb_logfmt_compile(bad[i].fmt, &f, &err), CB_EINVAL);
        assert_null(f);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("format \"%s\": message \"%s\" lacks \"%s\"", bad[i].fmt, err.msg, bad[i].msg);
    }
    cb_logfmt_free(NULL);
}

static cb_mine *mine_lines(const char *const *lines, size_t n, const cb_mine_config *cfg, uint32_t *idx)
{
    cb_mine *m;
    cb_error err;
    assert_int_equal(cb_mine_new(cfg, &m, &err), CB_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cb_mine_add(m, lines[i], strlen(lines[i]), i % 2 ? "ERROR" : "INFO", i % 2 ? 5 : 4,
                                     (int64_t)(1000 * (i + 1)), "app.log", i + 1, &idx[i], &err),
                         CB_OK);
    return m;
}

static void test_split_and_merge(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "Connection opened for user alice",     /* 0 */
        "Connection opened for user bob",       /* 1: merges: alice|bob -> <*> */
        "Disk quota exceeded on volume home",   /* 2: same length, other constants: splits */
        "Connection opened for user carol",     /* 3 */
        "Worker 12 started in 35ms",            /* 4: masked variables */
        "Worker 7 started in 2ms",              /* 5 */
        "Cache flushed to disk successfully",   /* 6: same length as 0, few shared tokens */
    };
    uint32_t idx[7];
    cb_mine *m = mine_lines(lines, 7, NULL, idx);
    assert_int_equal(cb_mine_count(m), 4);
    assert_int_equal(cb_mine_lines(m), 7);
    assert_int_equal(idx[0], idx[1]);
    assert_int_equal(idx[0], idx[3]);
    assert_int_not_equal(idx[0], idx[2]);
    assert_int_not_equal(idx[0], idx[6]);
    assert_int_not_equal(idx[2], idx[6]);
    assert_int_equal(idx[4], idx[5]);
    cb_mine_template t;
    cb_mine_get(m, idx[0], &t);
    assert_string_equal(t.text, "Connection opened for user <*>");
    assert_int_equal(t.count, 3);
    assert_int_equal(t.levels[CB_MINE_LEVEL_INFO], 1);
    assert_int_equal(t.levels[CB_MINE_LEVEL_ERROR], 2);
    assert_int_equal(t.worst, CB_MINE_LEVEL_ERROR);
    assert_int_equal(t.first_ms, 1000);
    assert_int_equal(t.last_ms, 4000);
    assert_string_equal(t.example, "Connection opened for user alice");
    assert_string_equal(t.example_file, "app.log");
    assert_int_equal(t.example_line, 1);
    cb_mine_get(m, idx[4], &t);
    assert_string_equal(t.text, "Worker <*> started in <*>");
    assert_int_equal(t.count, 2);
    cb_mine_get(m, idx[2], &t);
    assert_string_equal(t.text, "Disk quota exceeded on volume home");
    assert_int_equal(t.count, 1);
    cb_mine_free(m);
}

static void test_ids_stable(void **state)
{
    (void)state;
    /* FNV-1a 64 known values: the id must not change across runs, machines or versions */
    char id[17];
    cb_mine_template_id("", 0, id);
    assert_string_equal(id, "cbf29ce484222325");
    cb_mine_template_id("a", 1, id);
    assert_string_equal(id, "af63dc4c8601ec8c");
    static const char *const lines[] = {"Worker 12 started", "Worker 13 started"};
    uint32_t idx[2];
    cb_mine *m = mine_lines(lines, 2, NULL, idx);
    cb_mine_template t;
    cb_mine_get(m, idx[0], &t);
    cb_mine_template_id("Worker <*> started", strlen("Worker <*> started"), id);
    assert_string_equal(t.id, id);
    cb_mine_free(m);
}

static void test_cap_overflow(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "alpha beta gamma", "delta epsilon zeta", "eta theta iota", "kappa lambda mu", "alpha beta gamma",
    };
    cb_mine_config cfg = {.max_templates = 2};
    uint32_t idx[5];
    cb_mine *m = mine_lines(lines, 5, &cfg, idx);
    assert_int_equal(cb_mine_count(m), 2);
    assert_int_equal(cb_mine_overflow(m), 2);
    assert_int_equal(cb_mine_lines(m), 5);
    assert_int_equal(idx[2], CB_MINE_OVERFLOW);
    assert_int_equal(idx[3], CB_MINE_OVERFLOW);
    assert_int_equal(idx[4], idx[0]); /* existing templates still take their lines */
    cb_mine_free(m);

    cb_error err;
    cfg.similarity = 1.5;
    assert_int_equal(cb_mine_new(&cfg, &m, &err), CB_EINVAL);
    cb_mine_free(NULL);
}

/* Widening keeps what differing tokens share around a key: "rhost=a.org" and "rhost=b.net" give "rhost=<*>". */
static void test_widen_keeps_keys(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "pam auth failure for the ssh service on host rhost=alpha.example.org user=root",
        "pam auth failure for the ssh service on host rhost=beta.example.net user=admin",
        "udev is removing device node 'sda' now",
        "udev is removing device node 'sdb' now",
        "pam auth failure for the ssh service on host rhost=gamma.example.com user=guest", /* no change */
    };
    uint32_t idx[5];
    cb_mine *m = mine_lines(lines, 5, NULL, idx);
    cb_mine_template t;
    assert_int_equal(idx[0], idx[1]);
    assert_int_equal(idx[0], idx[4]);
    cb_mine_get(m, idx[0], &t);
    assert_string_equal(t.text, "pam auth failure for the ssh service on host rhost=<*> user=<*>");
    assert_int_equal(t.count, 3);
    cb_mine_get(m, idx[2], &t);
    assert_string_equal(t.text, "udev is removing device node '<*>' now");
    cb_mine_free(m);
}

/* A wildcard token is not matched against a hostile megabyte token (the match would be quadratic): they differ. */
static void test_long_token_bounded(void **state)
{
    (void)state;
    size_t n = (size_t)1 << 20;
    char *line = malloc(n + 16);
    assert_non_null(line);
    memcpy(line, "open the key=", 13);
    memset(line + 13, 'x', n);
    line[13 + n] = '\0';
    cb_mine *m;
    cb_error err;
    uint32_t a, b, c;
    assert_int_equal(cb_mine_new(NULL, &m, &err), CB_OK);
    assert_int_equal(cb_mine_add(m, "open the key=1", 14, NULL, 0, CB_MINE_NO_TIME, NULL, 1, &a, &err), CB_OK);
    assert_int_equal(cb_mine_add(m, "open the key=xy", 15, NULL, 0, CB_MINE_NO_TIME, NULL, 2, &b, &err), CB_OK);
    assert_int_equal(a, b); /* "key=<*>" matches a short value */
    assert_int_equal(cb_mine_add(m, line, strlen(line), NULL, 0, CB_MINE_NO_TIME, NULL, 3, &c, &err), CB_OK);
    assert_int_not_equal(a, c);
    cb_mine_template t;
    cb_mine_get(m, a, &t);
    assert_string_equal(t.text, "open the key=<*>");
    assert_string_equal(t.example_file, "");
    free(line);
    cb_mine_free(m);
}

static void test_empty_line(void **state)
{
    (void)state;
    static const char *const lines[] = {"", "   ", "x"};
    uint32_t idx[3];
    cb_mine *m = mine_lines(lines, 3, NULL, idx);
    assert_int_equal(idx[0], idx[1]);
    cb_mine_template t;
    cb_mine_get(m, idx[0], &t);
    assert_string_equal(t.text, "");
    assert_int_equal(t.count, 2);
    cb_mine_free(m);
}

/* NUL bytes in a line separate tokens (found by fuzz_mine: a template holding one was widened past its buffer). */
static void test_nul_bytes(void **state)
{
    (void)state;
    static const char a[] = "task 3.0 i\0\0\0 stage 1.0", b[] = "task 4.0 i\0\0\0 stage 2.0";
    static const char c[] = "task 5.0 j\0stage 3.0";
    cb_mine *m;
    cb_error err;
    uint32_t ia, ib, ic;
    assert_int_equal(cb_mine_new(NULL, &m, &err), CB_OK);
    assert_int_equal(cb_mine_add(m, a, sizeof a - 1, NULL, 0, CB_MINE_NO_TIME, NULL, 1, &ia, &err), CB_OK);
    assert_int_equal(cb_mine_add(m, b, sizeof b - 1, NULL, 0, CB_MINE_NO_TIME, NULL, 2, &ib, &err), CB_OK);
    assert_int_equal(cb_mine_add(m, c, sizeof c - 1, NULL, 0, CB_MINE_NO_TIME, NULL, 3, &ic, &err), CB_OK);
    assert_int_equal(ia, ib);
    assert_int_equal(ia, ic); /* five tokens each, four matching: 0.8, the threshold */
    cb_mine_template t;
    cb_mine_get(m, ia, &t);
    assert_string_equal(t.text, "task <*> <*> stage <*>");
    assert_int_equal(t.count, 3);
    char out[64];
    assert_int_equal(cb_mine_mask(a, sizeof a - 1, out, sizeof out), strlen("task <*> i stage <*>"));
    assert_string_equal(out, "task <*> i stage <*>");
    cb_mine_free(m);
}

/* The full length a mask returns does not depend on the buffer (found by fuzz_mine: a unit after a number joined
 * it only when the number had fitted in the buffer). */
static void test_mask_length_independent_of_buffer(void **state)
{
    (void)state;
    static const char line[] = "free 12 KB of 3.5 GiB on /dev/sda1 after 20 ms";
    char big[256], small[8];
    size_t full = cb_mine_mask(line, sizeof line - 1, big, sizeof big);
    assert_int_equal(full, strlen(big));
    for (size_t n = 1; n <= sizeof small; n++) {
        assert_int_equal(cb_mine_mask(line, sizeof line - 1, small, n), full);
        assert_int_equal(strlen(small), n - 1);
        assert_memory_equal(small, big, n - 1);
    }
    assert_string_equal(big, "free <*> of <*> on <*> after <*> ms");
}

/* A format whose Content can take no part in a match (found by fuzz_mine: Content came back as a NULL slice). */
static void test_logfmt_content_absent(void **state)
{
    (void)state;
    cb_logfmt *f;
    cb_error err;
    cb_logfmt_fields fl;
    assert_int_equal(cb_logfmt_compile("<Date> |x<Content>", &f, &err), CB_OK);
    assert_false(cb_logfmt_match(f, "2024 y", 6, &fl)); /* the "<Date> " branch: no Content */
    assert_true(cb_logfmt_match(f, "xhello", 6, &fl));
    assert_int_equal(fl.content.n, 5);
    assert_memory_equal(fl.content.p, "hello", 5);
    cb_logfmt_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_rules),  cmocka_unit_test(test_level_words),
        cmocka_unit_test(test_logfmt),      cmocka_unit_test(test_split_and_merge),
        cmocka_unit_test(test_ids_stable),  cmocka_unit_test(test_cap_overflow),
        cmocka_unit_test(test_empty_line),  cmocka_unit_test(test_widen_keeps_keys),
        cmocka_unit_test(test_long_token_bounded),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_logfmt_content_absent),
        cmocka_unit_test(test_mask_length_independent_of_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
