/*
 * test_answers.c — unit tests for answers files (cb_answers_load, walk.h)
 * read through the playbook loader's YAML reader: the same refusals
 * (anchors, aliases, tags) and caps (depth, number of values) as a playbook,
 * in YAML and in JSON; line:column of every answer, JSON included; and many
 * ids read in n log n, not n².  The basic forms and errors are in
 * test_walk.c.
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
#include <unistd.h>

#include "casebook/buf.h"
#include "casebook/walk.h"

static char tmpdir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb-answers-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write n bytes to tmpdir/name; returns the path in a static ring. */
static const char *write_tmp_n(const char *name, const char *text, size_t n)
{
    static char ring[4][512];
    static unsigned next;
    char *path = ring[next++ % 4];
    snprintf(path, sizeof ring[0], "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *write_tmp(const char *name, const char *text)
{
    return write_tmp_n(name, text, strlen(text));
}

/* Load text as an answers file that must fail with CB_EPARSE at line:col with msg. */
static void refused(const char *name, const char *text, size_t len, int line, int col, const char *msg)
{
    cb_answers *a = (cb_answers *)1;
    cb_error err;
    const char *path = write_tmp_n(name, text, len);
    cb_status st = cb_answers_load(path, &a, &err);
    if (st != CB_EPARSE || strcmp(err.msg, msg) || err.line != line || err.col != col)
        fprintf(stderr, "  %s: %d %d:%d: %s\n", name, st, err.line, err.col, err.msg);
    assert_int_equal(st, CB_EPARSE);
    assert_null(a);
    assert_string_equal(err.file, path);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
}

/* The playbook loader refuses these; answers files used to take them (an alias was read as its anchor's
 * text). */
static void test_anchors_aliases_tags_refused(void **state)
{
    (void)state;
    const char *anchor = "a: &x yes\nb: *x\n";
    refused("anchor.yaml", anchor, strlen(anchor), 1, 4,
            "anchors and aliases (&name, *name) are not supported in answers files");
    const char *tag = "a: !!str yes\n";
    refused(
        "tag.yaml", tag, strlen(tag), 1, 4,
        "YAML tags are not supported in answers files ('tag:yaml.org,2002:str'): quote the value instead");
    const char *two = "a: yes\n---\nb: no\n";
    refused("two.yaml", two, strlen(two), 2, 1, "a second YAML document: an answers file holds one");
    const char *bad = "a: \"\xff\"\n";
    refused("bad.yaml", bad, strlen(bad), 1, 5,
            "invalid UTF-8 (byte 0xFF): an answers file must be UTF-8 text");
    refused("nul.json", "{\"a\": \"x\0\"}", 11, 1, 9, "NUL byte: an answers file must be UTF-8 text");
}

/* Text nested `depth` levels: `a: [[[...]]]` or `{"a": [[[...]]]}`. */
static char *nested(bool json, size_t depth)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    assert_int_equal(cb_buf_puts(&b, json ? "{\"a\": " : "a: "), CB_OK);
    for (size_t i = 0; i < depth; i++)
        assert_int_equal(cb_buf_putc(&b, '['), CB_OK);
    for (size_t i = 0; i < depth; i++)
        assert_int_equal(cb_buf_putc(&b, ']'), CB_OK);
    assert_int_equal(cb_buf_puts(&b, json ? "}\n" : "\n"), CB_OK);
    return cb_buf_detach(&b, NULL);
}

/*
 * 40,000 levels took 2.8 s and the cap allowed 2 M; now the playbook loader's
 * 64 levels hold, and the file is refused at the 64th bracket, at once.
 */
static void test_depth_capped(void **state)
{
    (void)state;
    clock_t t0 = clock();
    char *y = nested(false, 40000), *j = nested(true, 40000);
    refused("deep.yaml", y, strlen(y), 1, 67, "nested more than 64 levels deep: this is not an answers file");
    /* JSON: the object is the first level, so the 64th bracket is at column 70. */
    refused("deep.json", j, strlen(j), 1, 70, "nested more than 64 levels deep: this is not an answers file");
    free(y);
    free(j);
    char *ok = nested(false, 62);
    cb_answers *a;
    cb_error err;
    assert_int_equal(cb_answers_load(write_tmp("ok.yaml", ok), &a, &err), CB_EPARSE); /* a list, not text */
    assert_string_equal(err.msg, "the answer for node 'a' must be text, not a list");
    free(ok);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

/* n ids: YAML `idK: answer K` lines or one JSON object. */
static char *many(bool json, size_t n)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    assert_int_equal(cb_buf_puts(&b, json ? "{" : ""), CB_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cb_buf_printf(&b, json ? "%s\"id%zu\": \"answer %zu\"\n" : "%sid%zu: answer %zu\n",
                                       json && i ? "," : "", i, i),
                         CB_OK);
    assert_int_equal(cb_buf_puts(&b, json ? "}" : ""), CB_OK);
    return cb_buf_detach(&b, NULL);
}

/* CPU seconds to load n ids (YAML or JSON), checking the last entry and its position. */
static double load_ids(bool json, size_t n)
{
    char *text = many(json, n);
    cb_answers *a = NULL;
    cb_error err;
    clock_t t0 = clock();
    assert_int_equal(cb_answers_load(write_tmp(json ? "many.json" : "many.yaml", text), &a, &err), CB_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    char id[32], answer[32];
    snprintf(id, sizeof id, "id%zu", n - 1);
    snprintf(answer, sizeof answer, "answer %zu", n - 1);
    assert_int_equal(a->nanswers, n);
    assert_string_equal(a->answers[n - 1].node, id);
    assert_string_equal(a->answers[n - 1].text, answer);
    /* Every answer has its own line: what a warning about an unknown id points at. */
    assert_int_equal(a->answers[n - 1].line, (int)n);
    assert_int_equal(a->answers[n - 1].col, (int)strlen(id) + (json ? 6 : 3));
    cb_answers_free(a);
    free(text);
    return secs;
}

/*
 * Each answer used to be checked against every earlier one: 200,000 ids took
 * 55 s.  Loading 8 times as many ids must now cost about 8 times as much,
 * not 64 times: 49,000 ids (98,000 values, under the cap) against 6,125,
 * with room for a loaded machine.
 */
static void test_many_ids_linear(void **state)
{
    (void)state;
    for (int json = 0; json < 2; json++) {
        double small = load_ids(json, 6125), large = load_ids(json, 49000);
        if (large >= 0.5 + 20 * small)
            fprintf(stderr, "  %s: %.3f s for 6125 ids, %.3f s for 49000\n", json ? "json" : "yaml", small,
                    large);
        assert_true(large < 0.5 + 20 * small);
    }
    /* Past the loader's cap on values, the file is refused with a clear reason, not read for a minute. */
    char *y = many(false, 60000), *j = many(true, 60000);
    refused("huge.yaml", y, strlen(y), 50000, 10,
            "more than 100000 YAML values: this is not an answers file");
    refused("huge.json", j, strlen(j), 50000, 13, "more than 100000 values: this is not an answers file");
    free(y);
    free(j);
}

/* JSON answers carry their line:column like YAML ones (they were 0:0), coach entries too. */
static void test_json_positions(void **state)
{
    (void)state;
    const char *j = "{\n"
                    "  \"first\": \"a\",\n"
                    "  \"coach\": {\"x\": [\"b\", \"c\"],\n"
                    "            \"y\": \"d\"},\n"
                    "  \"last\":   \"e\\\" \\\\\"\n"
                    "}\n";
    cb_answers *a = NULL;
    cb_error err;
    assert_int_equal(cb_answers_load(write_tmp("pos.json", j), &a, &err), CB_OK);
    assert_int_equal(a->nanswers, 2);
    assert_int_equal(cb_answers_get(a, "first")->line, 2);
    assert_int_equal(cb_answers_get(a, "first")->col, 12);
    assert_int_equal(cb_answers_get(a, "last")->line, 5);
    assert_int_equal(cb_answers_get(a, "last")->col, 13);
    assert_string_equal(cb_answers_get(a, "last")->text, "e\" \\");
    assert_int_equal(cb_answers_coach(a, "x")->line, 3);
    assert_int_equal(cb_answers_coach(a, "x")->col, 18);
    assert_int_equal(cb_answers_coach(a, "y")->line, 4);
    assert_int_equal(cb_answers_coach(a, "y")->col, 18);
    cb_answers_free(a);
    refused("num.json", "{\"a\": \"x\",\n \"b\": 2}", 19, 2, 7,
            "the answer for node 'b' must be a string, not a number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors_aliases_tags_refused),
        cmocka_unit_test(test_depth_capped),
        cmocka_unit_test(test_many_ids_linear),
        cmocka_unit_test(test_json_positions),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
