/*
 * test_casewalk.c — the walks of a case (case.h: cb_case_walk_save,
 * cb_case_concluded_article) on a real SQLite file: numbering, replacing a
 * resumed walk, every refusal (and that a refused save writes nothing), the
 * acting person's rules, and which concluded walk's article `case close`
 * offers.  Case rows are made with plain SQL, so that these tests need
 * nothing else of the cases module.
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

#include "casebook/case.h"
#include "casebook/people.h"
#include "casebook/store.h"
#include "tmpdir.h"

static cb_store *st;
static unsigned dbn;

/* A fresh store per test with cases CASE-0001 and CASE-0002. */
static int setup(void **state)
{
    (void)state;
    char name[32];
    snprintf(name, sizeof name, "t%u.db", dbn++);
    cb_error err;
    if (cb_store_open(at(name), NULL, &st, &err) != CB_OK)
        return -1;
    const char *ids[] = {"CASE-0001", "CASE-0002"};
    for (size_t i = 0; i < 2; i++) {
        cb_store_value v = cb_store_text(ids[i]);
        if (cb_store_exec(st, "INSERT INTO cases (id, title, opened) VALUES ($1, 'a case', '2026-12-01T10:00:00Z')",
                          &v, 1, NULL, &err) != CB_OK)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cb_store_close(st);
    st = NULL;
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-casewalk");
}

static const char *const T1 = "{\"casebook_transcript\": 1, \"playbook\": \"pb-a\", \"status\": \"stopped\"}";
static const char *const T2 = "{\"casebook_transcript\": 1, \"playbook\": \"pb-a\", \"status\": \"concluded\"}";

static cb_case_walk_new walk(const char *playbook, const char *status, const char *article)
{
    cb_case_walk_new w = {
        .playbook = playbook,
        .mode = "guide",
        .status = status,
        .node = "some-node",
        .article = article,
        .hints_used = 2,
        .coach_questions = 3,
        .reveals = 1,
        .transcript = strcmp(status, "concluded") == 0 ? T2 : T1,
    };
    return w;
}

static int64_t count_walks(void)
{
    cb_store_rows *r = NULL;
    bool row = false;
    cb_error err;
    assert_int_equal(cb_store_query(st, "SELECT count(*) FROM case_walks", NULL, 0, &r, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    int64_t n = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    return n;
}

/* Column `col` of walk n of CASE-0001, as text (a static copy; "" for NULL). */
static const char *walk_col(unsigned n, const char *col)
{
    static char out[256];
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s FROM case_walks WHERE case_id = 'CASE-0001' AND n = $1", col);
    cb_store_value v = cb_store_int(n);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_error err;
    assert_int_equal(cb_store_query(st, sql, &v, 1, &r, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    const char *t = cb_store_rows_text(r, 0);
    snprintf(out, sizeof out, "%s", t ? t : "");
    cb_store_rows_free(r);
    return out;
}

static void test_new_walks_are_numbered(void **state)
{
    (void)state;
    cb_error err;
    cb_case_walk_new w = walk("pb-a", "stopped", NULL);
    unsigned n = 0;
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    assert_int_equal(n, 1);
    n = 0;
    w = walk("pb-b", "concluded", "KB-NET-0001");
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    assert_int_equal(n, 2);
    n = 0; /* numbered per case */
    assert_int_equal(cb_case_walk_save(st, "CASE-0002", &w, NULL, &n, &err), CB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(walk_col(1, "playbook"), "pb-a");
    assert_string_equal(walk_col(1, "status"), "stopped");
    assert_string_equal(walk_col(1, "article"), "");
    assert_string_equal(walk_col(2, "article"), "KB-NET-0001");
    assert_string_equal(walk_col(2, "node"), "some-node");
    assert_string_equal(walk_col(2, "mode"), "guide");
    assert_string_equal(walk_col(2, "hints_used"), "2");
    assert_string_equal(walk_col(2, "coach_questions"), "3");
    assert_string_equal(walk_col(2, "reveals"), "1");
    assert_string_equal(walk_col(2, "transcript"), T2);
    assert_int_equal(strlen(walk_col(2, "at")), 20);
    assert_int_equal(count_walks(), 3);
}

static void test_replace_a_resumed_walk(void **state)
{
    (void)state;
    cb_error err;
    cb_case_walk_new w = walk("pb-a", "quit", NULL);
    unsigned n = 0;
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    w = walk("pb-a", "concluded", "KB-VBR-0003");
    w.mode = "coach";
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    assert_int_equal(n, 1); /* replaced, not added */
    assert_int_equal(count_walks(), 1);
    assert_string_equal(walk_col(1, "status"), "concluded");
    assert_string_equal(walk_col(1, "mode"), "coach");
    assert_string_equal(walk_col(1, "article"), "KB-VBR-0003");
    assert_string_equal(walk_col(1, "transcript"), T2);

    /* Another playbook's walk is not replaced; nor is a walk that is not there. */
    w.playbook = "pb-other";
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "another playbook"));
    assert_int_equal(n, 1);
    unsigned nine = 9;
    w.playbook = "pb-a";
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &nine, &err), CB_ENOTFOUND);
    assert_int_equal(nine, 9);
    unsigned one = 1; /* walk 1 of CASE-0002 does not exist */
    assert_int_equal(cb_case_walk_save(st, "CASE-0002", &w, NULL, &one, &err), CB_ENOTFOUND);
    assert_string_equal(walk_col(1, "playbook"), "pb-a");
    assert_int_equal(count_walks(), 1);
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    cb_error err;
    unsigned n = 0;
    cb_case_walk_new w = walk("pb-a", "stopped", NULL);
    assert_int_equal(cb_case_walk_save(st, "CASE-9999", &w, NULL, &n, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "CASE-9999"));

    struct {
        const char *field, *value;
    } bad[] = {
        {"transcript", "not json"},
        {"transcript", "[1, 2]"},
        {"mode", "teach"},
        {"mode", NULL},
        {"status", "done"},
        {"status", NULL},
        {"playbook", ""},
        {"playbook", NULL},
        {"node", "two\nlines"},
        {"article", "\xff"},
        {"transcript", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cb_case_walk_new b = walk("pb-a", "stopped", NULL);
        const char **f = !strcmp(bad[i].field, "transcript") ? &b.transcript
                         : !strcmp(bad[i].field, "mode")     ? &b.mode
                         : !strcmp(bad[i].field, "status")   ? &b.status
                         : !strcmp(bad[i].field, "playbook") ? &b.playbook
                         : !strcmp(bad[i].field, "node")     ? &b.node
                                                             : &b.article;
        *f = bad[i].value;
        n = 0;
        assert_int_equal(cb_case_walk_save(st, "CASE-0001", &b, NULL, &n, &err), CB_EINVAL);
        assert_int_equal(n, 0);
    }

    /* A transcript one byte over the cap. */
    size_t big = (size_t)CB_CASE_TRIAGE_MAX + 1;
    char *t = malloc(big + 1);
    assert_non_null(t);
    memset(t, ' ', big);
    t[0] = '{';
    t[big - 1] = '}';
    t[big] = '\0';
    w.transcript = t;
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "at most"));
    t[big - 2] = '}';
    t[big - 1] = '\0'; /* exactly the cap: accepted */
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    free(t);

    /* Not inside someone else's transaction; NULL arguments. */
    assert_int_equal(cb_store_begin(st, &err), CB_OK);
    w = walk("pb-a", "stopped", NULL);
    unsigned m = 0;
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &m, &err), CB_EINVAL);
    assert_int_equal(cb_store_rollback(st, &err), CB_OK);
    assert_int_equal(cb_case_walk_save(NULL, "CASE-0001", &w, NULL, &m, &err), CB_EINVAL);
    assert_int_equal(cb_case_walk_save(st, NULL, &w, NULL, &m, &err), CB_EINVAL);
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", NULL, NULL, &m, &err), CB_EINVAL);
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(count_walks(), 1);
}

static void test_who(void **state)
{
    (void)state;
    cb_error err;
    unsigned n = 0;
    cb_case_walk_new w = walk("pb-a", "stopped", NULL);
    /* No people yet: nobody in particular is fine, a handle is not one of them. */
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, "ana", &n, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_OK);
    assert_string_equal(walk_col(1, "who"), "");

    cb_person_new p = {.handle = "ana", .name = "Ana", .role = CB_ROLE_CONTRIBUTOR};
    assert_int_equal(cb_people_add(st, &p, &err), CB_OK);
    /* Once there are people, every write names its author; replacing too. */
    unsigned m = 0;
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &m, &err), CB_EINVAL);
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n, &err), CB_EINVAL);
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, "bob", &m, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "bob"));
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, "ana", &n, &err), CB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(walk_col(1, "who"), "ana");
    assert_int_equal(count_walks(), 1);
}

static void test_concluded_article(void **state)
{
    (void)state;
    cb_error err;
    char a[32] = "junk";
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", a, sizeof a, &err), CB_OK);
    assert_string_equal(a, ""); /* no walk */

    unsigned n1 = 0, n2 = 0, n3 = 0, n4 = 0;
    cb_case_walk_new w = walk("pb-a", "concluded", NULL); /* concluded on a node without an article */
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n1, &err), CB_OK);
    w = walk("pb-b", "stopped", "KB-NET-0009"); /* an article, but not concluded */
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n2, &err), CB_OK);
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", a, sizeof a, &err), CB_OK);
    assert_string_equal(a, "");

    w = walk("pb-c", "concluded", "KB-NET-0001");
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n3, &err), CB_OK);
    w = walk("pb-d", "concluded", "KB-NET-0002");
    assert_int_equal(cb_case_walk_save(st, "CASE-0001", &w, NULL, &n4, &err), CB_OK);
    /* The same second: the later walk wins. */
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", a, sizeof a, &err), CB_OK);
    assert_string_equal(a, "KB-NET-0002");
    /* Walk 3 saved later (resumed, say) is the newest. */
    assert_int_equal(cb_store_exec(st, "UPDATE case_walks SET at = '2999-01-01T00:00:00Z' WHERE n = 3", NULL, 0,
                                   NULL, &err),
                     CB_OK);
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", a, sizeof a, &err), CB_OK);
    assert_string_equal(a, "KB-NET-0001");
    /* Another case's walks are not this one's. */
    assert_int_equal(cb_case_concluded_article(st, "CASE-0002", a, sizeof a, &err), CB_OK);
    assert_string_equal(a, "");

    char small[8];
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", small, sizeof small, &err), CB_EINVAL);
    assert_int_equal(cb_case_concluded_article(st, "CASE-9999", a, sizeof a, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_concluded_article(st, "CASE-0001", NULL, 0, &err), CB_EINVAL);
    assert_int_equal(cb_case_concluded_article(NULL, "CASE-0001", a, sizeof a, &err), CB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_walks_are_numbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_a_resumed_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concluded_article, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, tmpdir_teardown);
}
