/*
 * test_people.c — people on the store (people.h), on a real SQLite file in a
 * temporary directory: the handle, name and domain rules, add / set / get /
 * list / count, a duplicate handle, an unknown one, and a failed write that
 * leaves the store as it was.
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
#include <unistd.h>

#include "casebook/people.h"
#include "casebook/store.h"

static char dir[64];
static cb_store *st;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cb-people-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/kb.db", dir);
    cb_error err;
    return cb_store_open(path, NULL, &st, &err) == CB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cb_store_close(st);
    st = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_rules(void **state)
{
    (void)state;
    assert_true(cb_people_handle_valid("ana"));
    assert_true(cb_people_handle_valid("a.b_c-9"));
    assert_true(cb_people_handle_valid("0x"));
    char h[CB_PEOPLE_HANDLE_MAX + 2];
    memset(h, 'a', sizeof h - 1);
    h[sizeof h - 1] = '\0';
    assert_false(cb_people_handle_valid(h)); /* 65 */
    h[CB_PEOPLE_HANDLE_MAX] = '\0';
    assert_true(cb_people_handle_valid(h)); /* 64 */
    const char *bad[] = {"", "Ana", "a b", "-a", ".a", "_a", "a/b", "a\x1b", "é", "a:b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cb_people_handle_valid(bad[i]));
    assert_false(cb_people_handle_valid(NULL));

    cb_error err;
    assert_int_equal(cb_people_name_check("Ana Ruiz", &err), CB_OK);
    assert_int_equal(cb_people_name_check("Zoë 王", &err), CB_OK);
    const char *badn[] = {"", "   ", "a\tb", "a\nb", "a\x1b[31mb", "a\xc2\x9b" "b", "a\xe2\x80\xae" "b", "a\xff"};
    for (size_t i = 0; i < sizeof badn / sizeof badn[0]; i++)
        assert_int_equal(cb_people_name_check(badn[i], &err), CB_EINVAL);
    char longname[CB_PEOPLE_NAME_MAX + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(cb_people_name_check(longname, &err), CB_EINVAL);
    longname[CB_PEOPLE_NAME_MAX] = '\0';
    assert_int_equal(cb_people_name_check(longname, &err), CB_OK);

    assert_int_equal(cb_role_parse("publisher"), CB_ROLE_PUBLISHER);
    assert_int_equal(cb_role_parse("candidate"), CB_ROLE_CANDIDATE);
    assert_int_equal(cb_role_parse("Publisher"), CB_ROLE_NONE);
    assert_int_equal(cb_role_parse(NULL), CB_ROLE_NONE);
    assert_string_equal(cb_role_name(CB_ROLE_CONTRIBUTOR), "contributor");
    assert_null(cb_role_name(CB_ROLE_NONE));
    assert_null(cb_role_name((cb_role)9));
}

static int64_t count(void)
{
    int64_t n = -1;
    cb_error err;
    assert_int_equal(cb_people_count(st, &n, &err), CB_OK);
    return n;
}

static void test_add_get_list(void **state)
{
    (void)state;
    cb_error err;
    assert_int_equal(count(), 0);
    const char *doms[] = {"network", "backup", "network"};
    cb_person_new ana = {"ana", "Ana Ruiz", CB_ROLE_PUBLISHER, true, doms, 3};
    assert_int_equal(cb_people_add(st, &ana, &err), CB_OK);
    cb_person_new bo = {"bo", "Bo", CB_ROLE_CANDIDATE, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &bo, &err), CB_OK);
    assert_int_equal(count(), 2);

    cb_person p;
    assert_int_equal(cb_people_get(st, "ana", &p, &err), CB_OK);
    assert_string_equal(p.handle, "ana");
    assert_string_equal(p.name, "Ana Ruiz");
    assert_int_equal(p.role, CB_ROLE_PUBLISHER);
    assert_true(p.coach);
    assert_int_equal(p.ndomains, 2); /* the repeated one stored once, sorted */
    assert_string_equal(p.domains[0], "backup");
    assert_string_equal(p.domains[1], "network");
    assert_int_equal(strlen(p.created), 20);
    assert_string_equal(p.created, p.updated);
    cb_person_release(&p);

    assert_int_equal(cb_people_get(st, "nobody", &p, &err), CB_ENOTFOUND);
    assert_null(p.handle);
    assert_int_equal(cb_people_get(st, "Bad Handle", &p, &err), CB_ENOTFOUND);

    cb_people l;
    assert_int_equal(cb_people_list(st, &l, &err), CB_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].handle, "ana");
    assert_string_equal(l.v[1].handle, "bo");
    assert_int_equal(l.v[1].ndomains, 0);
    assert_false(l.v[1].coach);
    cb_people_release(&l);
    assert_int_equal(l.n, 0);
}

static void test_refusals_change_nothing(void **state)
{
    (void)state;
    cb_error err;
    cb_person_new ana = {"ana", "Ana", CB_ROLE_CONTRIBUTOR, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &ana, &err), CB_OK);

    cb_person_new dup = {"ana", "Another Ana", CB_ROLE_PUBLISHER, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &dup, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "already exists"));

    cb_person_new badh = {"Ana", "Ana", CB_ROLE_PUBLISHER, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &badh, &err), CB_EINVAL);
    cb_person_new badr = {"cy", "Cy", CB_ROLE_NONE, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &badr, &err), CB_EINVAL);
    cb_person_new badr2 = {"cy", "Cy", (cb_role)7, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &badr2, &err), CB_EINVAL);
    cb_person_new badn = {"cy", "Cy\x1b]0;pwned\x07", CB_ROLE_PUBLISHER, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &badn, &err), CB_EINVAL);
    const char *baddom[] = {"ok", "Not OK"};
    cb_person_new badd = {"cy", "Cy", CB_ROLE_PUBLISHER, false, baddom, 2};
    assert_int_equal(cb_people_add(st, &badd, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "Not OK"));

    /* A set that fails on its domains leaves name and role as they were. */
    cb_person_change c = {.name = "Changed", .role = CB_ROLE_PUBLISHER, .domains_set = true, .domains = baddom,
                          .ndomains = 2};
    assert_int_equal(cb_people_set(st, "ana", &c, &err), CB_EINVAL);
    cb_person_change none = {0};
    assert_int_equal(cb_people_set(st, "nobody", &none, &err), CB_ENOTFOUND);

    assert_int_equal(count(), 1);
    cb_person p;
    assert_int_equal(cb_people_get(st, "ana", &p, &err), CB_OK);
    assert_string_equal(p.name, "Ana");
    assert_int_equal(p.role, CB_ROLE_CONTRIBUTOR);
    cb_person_release(&p);
    assert_false(cb_store_in_transaction(st));

    /* In someone else's transaction a write is refused, not nested. */
    assert_int_equal(cb_store_begin(st, &err), CB_OK);
    cb_person_new cy = {"cy", "Cy", CB_ROLE_CANDIDATE, false, NULL, 0};
    assert_int_equal(cb_people_add(st, &cy, &err), CB_EINVAL);
    assert_int_equal(cb_store_rollback(st, &err), CB_OK);
    assert_int_equal(count(), 1);
}

static void test_set(void **state)
{
    (void)state;
    cb_error err;
    const char *doms[] = {"vss"};
    cb_person_new ana = {"ana", "Ana", CB_ROLE_CANDIDATE, true, doms, 1};
    assert_int_equal(cb_people_add(st, &ana, &err), CB_OK);

    /* Only the role: everything else kept. */
    cb_person_change c1 = {.role = CB_ROLE_CONTRIBUTOR};
    assert_int_equal(cb_people_set(st, "ana", &c1, &err), CB_OK);
    cb_person p;
    assert_int_equal(cb_people_get(st, "ana", &p, &err), CB_OK);
    assert_int_equal(p.role, CB_ROLE_CONTRIBUTOR);
    assert_string_equal(p.name, "Ana");
    assert_true(p.coach);
    assert_int_equal(p.ndomains, 1);
    cb_person_release(&p);

    /* Name, coach off, domains replaced. */
    const char *d2[] = {"network", "mtu"};
    cb_person_change c2 = {.name = "Ana Ruiz", .coach_set = true, .coach = false, .domains_set = true,
                           .domains = d2, .ndomains = 2};
    assert_int_equal(cb_people_set(st, "ana", &c2, &err), CB_OK);
    assert_int_equal(cb_people_get(st, "ana", &p, &err), CB_OK);
    assert_string_equal(p.name, "Ana Ruiz");
    assert_false(p.coach);
    assert_int_equal(p.role, CB_ROLE_CONTRIBUTOR);
    assert_int_equal(p.ndomains, 2);
    assert_string_equal(p.domains[0], "mtu");
    assert_string_equal(p.domains[1], "network");
    cb_person_release(&p);

    /* Domains cleared. */
    cb_person_change c3 = {.domains_set = true};
    assert_int_equal(cb_people_set(st, "ana", &c3, &err), CB_OK);
    assert_int_equal(cb_people_get(st, "ana", &p, &err), CB_OK);
    assert_int_equal(p.ndomains, 0);
    assert_null(p.domains);
    cb_person_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test_setup_teardown(test_add_get_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
