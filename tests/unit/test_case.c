/*
 * test_case.c — support cases on the store (case.h), on a real SQLite file in
 * a temporary directory: ids and names, the rows of a real triage, create /
 * get / list with every filter, notes, KCS links (reuse and last_linked of
 * the article follow; an archived article takes none), escalations, close
 * (all or nothing), similar-case ranking, and the bounds of every field
 * (refused, nothing written).
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

#include "casebook/case.h"
#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/store.h"
#include "tmpdir.h"

static cb_store *st;
static unsigned dbn;

/* A fresh database per test, so that ids and counts start from nothing. */
static int setup(void **state)
{
    (void)state;
    char name[32];
    snprintf(name, sizeof name, "case%u.db", dbn++);
    cb_error err;
    return cb_store_open(at(name), NULL, &st, &err) == CB_OK ? 0 : -1;
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
    return tmpdir_make("cb-case");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int64_t count(const char *sql)
{
    cb_store_rows *r = NULL;
    cb_error err;
    bool row = false;
    assert_int_equal(cb_store_query(st, sql, NULL, 0, &r, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    int64_t n = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    return n;
}

static void add_person(const char *handle, cb_role role)
{
    cb_person_new p = {handle, "A Person", role, false, NULL, 0};
    cb_error err;
    assert_int_equal(cb_people_add(st, &p, &err), CB_OK);
}

/* A case with this title and nothing else, by nobody (a store without people). */
static void new_case(const char *title, char id[CB_CASE_ID_SIZE])
{
    cb_case_new c = {.title = title};
    cb_error err;
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
}

/* Import two articles: KB-NET-0001 (validated) and KB-NET-0002 (archived). */
static void import_articles(void)
{
    static unsigned n;
    char sub[32];
    snprintf(sub, sizeof sub, "articles%u", n++);
    const char *d = at(sub);
    char dpath[256], f1[300], f2[300];
    snprintf(dpath, sizeof dpath, "%s", d);
    assert_int_equal(mkdir(dpath, 0700), 0);
    snprintf(f1, sizeof f1, "%s/KB-NET-0001.md", dpath);
    snprintf(f2, sizeof f2, "%s/KB-NET-0002.md", dpath);
    write_file(f1, "---\nid: KB-NET-0001\ntitle: Resets\nstate: validated\naudience: internal\n---\n"
                   "## Issue\nresets\n## Environment\nany\n## Resolution\nfix the MTU\n");
    write_file(f2, "---\nid: KB-NET-0002\ntitle: Old\nstate: archived\naudience: internal\n---\n"
                   "## Issue\nold\n## Environment\nany\n## Resolution\nnone\n");
    cb_diags d2;
    cb_diags_init(&d2);
    cb_error err;
    size_t k = 0;
    assert_int_equal(cb_kb_import(st, dpath, NULL, &d2, &k, &err), CB_OK);
    assert_int_equal(k, 2);
    cb_diags_release(&d2);
}

/* ------------------------------------------------------------------ */

static void test_names(void **state)
{
    (void)state;
    assert_true(cb_case_id_valid("CASE-0001"));
    assert_true(cb_case_id_valid("CASE-12345"));
    assert_true(cb_case_id_valid("CASE-123456789012345678"));
    const char *bad[] = {"", "CASE-", "CASE-001", "case-0001", "CASE-0001x", "CASE-1234567890123456789", "KB-1",
                         "CASE--001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cb_case_id_valid(bad[i]));
    assert_false(cb_case_id_valid(NULL));
    cb_case_status s;
    assert_true(cb_case_status_from_name("waiting", &s));
    assert_int_equal(s, CB_CASE_WAITING);
    assert_false(cb_case_status_from_name("Open", &s));
    assert_false(cb_case_status_from_name(NULL, &s));
    assert_string_equal(cb_case_status_name(CB_CASE_RESOLVED), "resolved");
    assert_null(cb_case_status_name((cb_case_status)9));
    cb_link_type t;
    assert_true(cb_link_type_from_name("modified", &t));
    assert_int_equal(t, CB_LINK_MODIFIED);
    assert_false(cb_link_type_from_name("reuse", &t));
    assert_string_equal(cb_link_type_name(CB_LINK_CREATED), "created");
    assert_null(cb_link_type_name((cb_link_type)7));
}

static const char test_pb[] = "casebook: 1\n"
                              "id: pb-net\n"
                              "title: Network resets\n"
                              "signatures:\n"
                              "  reset:\n"
                              "    pattern: 'connection reset'\n"
                              "    severity: error\n"
                              "  slow:\n"
                              "    pattern: 'slow ack'\n"
                              "    severity: warning\n"
                              "  never:\n"
                              "    pattern: 'never seen here'\n"
                              "    severity: error\n"
                              "start: first\n"
                              "nodes:\n"
                              "  first:\n"
                              "    check: reset\n"
                              "    yes: fix\n"
                              "    no: other\n"
                              "  fix:\n"
                              "    conclude: Resets\n"
                              "    article: KB-NET-0001\n"
                              "  other:\n"
                              "    conclude: Not this\n"
                              "    dead-end: true\n";

static const char test_pb2[] = "casebook: 1\n"
                               "id: pb-disk\n"
                               "title: Disk full\n"
                               "signatures:\n"
                               "  full:\n"
                               "    pattern: 'disk full'\n"
                               "    severity: critical\n"
                               "start: ask\n"
                               "nodes:\n"
                               "  ask:\n"
                               "    ask: Which disk?\n"
                               "    choices:\n"
                               "      data: done\n"
                               "  done:\n"
                               "    conclude: Cleaned\n";

/* A real triage of a small bundle: pb-disk (critical) ranks first and stops at an ask; pb-net concludes. */
static void test_triage_rows(void **state)
{
    (void)state;
    char pbdir[256], bdir[256], path[300];
    snprintf(pbdir, sizeof pbdir, "%s", at("pbs"));
    snprintf(bdir, sizeof bdir, "%s", at("bundle"));
    assert_int_equal(mkdir(pbdir, 0700), 0);
    assert_int_equal(mkdir(bdir, 0700), 0);
    snprintf(path, sizeof path, "%s/net.yaml", pbdir);
    write_file(path, test_pb);
    snprintf(path, sizeof path, "%s/disk.yaml", pbdir);
    write_file(path, test_pb2);
    snprintf(path, sizeof path, "%s/app.log", bdir);
    write_file(path, "2024-03-12T10:00:00Z connection reset\n2024-03-12T10:00:01Z connection reset\n"
                     "2024-03-12T10:00:02Z slow ack\n2024-03-12T10:00:03Z disk full\n"
                     "2024-03-12T10:00:04Z disk full\n");
    cb_library lib;
    cb_diags d;
    cb_library_init(&lib);
    cb_diags_init(&d);
    assert_int_equal(cb_library_add_path(&lib, pbdir, &d), CB_OK);
    assert_int_equal(d.n, 0);
    cb_triage_opts to;
    cb_triage_opts_init(&to);
    to.scan.threads = 1;
    cb_triage *t = NULL;
    cb_error err;
    assert_int_equal(cb_triage_run(&lib, bdir, &to, &t, &err), CB_OK);

    cb_case_triage ct;
    assert_int_equal(cb_case_triage_from(t, &ct), CB_OK);
    assert_int_equal(ct.nfired, 2);
    assert_string_equal(ct.fired[0].playbook, "pb-disk");
    assert_int_equal(ct.fired[0].rank, 1);
    assert_string_equal(ct.fired[0].node, "ask");
    assert_null(ct.fired[0].article);
    assert_string_equal(ct.fired[1].playbook, "pb-net");
    assert_int_equal(ct.fired[1].rank, 2);
    assert_string_equal(ct.fired[1].node, "fix");
    assert_string_equal(ct.fired[1].article, "KB-NET-0001");
    assert_int_equal(ct.nsigs, 3); /* full; reset and slow (never did not hit) */
    assert_string_equal(ct.sigs[0].signature, "full");
    assert_string_equal(ct.sigs[1].playbook, "pb-net");
    assert_string_equal(ct.sigs[1].signature, "reset");
    assert_int_equal(ct.sigs[1].hits, 2);
    assert_string_equal(ct.sigs[2].signature, "slow");
    assert_int_equal(ct.sigs[2].hits, 1);

    /* Stored with a case and read back the same. */
    char id[CB_CASE_ID_SIZE];
    cb_case_new c = {.title = "Resets at ACME", .bundle_path = bdir, .bundle_fingerprint = "abc",
                     .triage_json = "{\"findings\": []}", .triage = &ct};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    cb_case got;
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_int_equal(got.triage.nfired, 2);
    assert_string_equal(got.triage.fired[1].article, "KB-NET-0001");
    assert_string_equal(got.triage.fired[0].node, "ask");
    assert_int_equal(got.triage.nsigs, 3);
    assert_string_equal(got.triage.sigs[1].signature, "reset");
    assert_int_equal(got.triage.sigs[1].hits, 2);
    assert_string_equal(got.bundle_path, bdir);
    assert_string_equal(got.bundle_fingerprint, "abc");
    assert_string_equal(got.triage_json, "{\"findings\": []}");
    cb_case_release(&got);
    cb_case_release(&got); /* release twice is harmless: it empties */

    cb_case_triage_release(&ct);
    cb_triage_free(t);
    cb_library_release(&lib);
    cb_diags_release(&d);
    assert_int_equal(cb_case_triage_from(NULL, &ct), CB_EINVAL);
    assert_int_equal(ct.nfired, 0);
}

static void test_create_get(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    cb_case_new c = {.title = "Backups fail",
                     .customer = "ACME",
                     .product = "Backup",
                     .version = "12.1",
                     .environment = "two proxies\nWindows 2019",
                     .severity = 2};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    assert_string_equal(id, "CASE-0001");
    new_case("Second", id);
    assert_string_equal(id, "CASE-0002");

    cb_case got;
    assert_int_equal(cb_case_get(st, "CASE-0001", &got, &err), CB_OK);
    assert_string_equal(got.e.id, "CASE-0001");
    assert_string_equal(got.e.title, "Backups fail");
    assert_string_equal(got.e.customer, "ACME");
    assert_string_equal(got.e.product, "Backup");
    assert_string_equal(got.e.version, "12.1");
    assert_string_equal(got.environment, "two proxies\nWindows 2019");
    assert_int_equal(got.e.severity, 2);
    assert_int_equal(got.e.status, CB_CASE_OPEN);
    assert_null(got.e.engineer);
    assert_null(got.e.closed);
    assert_int_equal(strlen(got.e.opened), 20);
    assert_null(got.bundle_path);
    assert_null(got.triage_json);
    assert_int_equal(got.triage.nfired, 0);
    assert_null(got.resolution);
    assert_int_equal(got.nnotes + got.nwalks + got.nlinks + got.nescalations, 0);
    cb_case_release(&got);

    assert_int_equal(cb_case_get(st, "CASE-0003", &got, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "CASE-0003"));
    assert_null(got.e.id);
    assert_int_equal(cb_case_get(st, "nonsense", &got, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_get(st, NULL, &got, &err), CB_ENOTFOUND);

    /* Ids follow the largest number, past 9999 too. */
    cb_store_value v = cb_store_text("CASE-9999");
    assert_int_equal(cb_store_exec(st, "INSERT INTO cases (id, title, opened) VALUES ($1, 't', '2024-01-01T00:00:00Z')",
                                   &v, 1, NULL, &err),
                     CB_OK);
    new_case("After", id);
    assert_string_equal(id, "CASE-10000");
    new_case("After that", id);
    assert_string_equal(id, "CASE-10001");
}

static void test_people_rules(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    add_person("ana", CB_ROLE_CONTRIBUTOR);
    add_person("bob", CB_ROLE_CANDIDATE);
    cb_case_new c = {.title = "T"};
    /* Once there are people, every write names its author, who must exist. */
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_EINVAL);
    assert_string_equal(id, "");
    assert_int_equal(cb_case_create(st, &c, "zed", id, &err), CB_ENOTFOUND);
    c.engineer = "nobody";
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "engineer"));
    assert_int_equal(count("SELECT COUNT(*) FROM cases"), 0);
    /* The engineer defaults to the acting person. */
    c.engineer = NULL;
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_OK);
    c.engineer = "bob";
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_OK);
    cb_case got;
    assert_int_equal(cb_case_get(st, "CASE-0001", &got, &err), CB_OK);
    assert_string_equal(got.e.engineer, "ana");
    cb_case_release(&got);
    assert_int_equal(cb_case_get(st, "CASE-0002", &got, &err), CB_OK);
    assert_string_equal(got.e.engineer, "bob");
    cb_case_release(&got);
    assert_int_equal(cb_case_note_add(st, "CASE-0001", "x", NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_case_note_add(st, "CASE-0001", "x", "zed", NULL, &err), CB_ENOTFOUND);
    unsigned n = 0;
    assert_int_equal(cb_case_note_add(st, "CASE-0001", "x", "bob", &n, &err), CB_OK);
    assert_int_equal(n, 1);
}

static void test_bounds(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    char longt[CB_CASE_TITLE_MAX + 2];
    memset(longt, 't', sizeof longt - 1);
    longt[sizeof longt - 1] = '\0';
    char longf[CB_CASE_FIELD_MAX + 2];
    memset(longf, 'f', sizeof longf - 1);
    longf[sizeof longf - 1] = '\0';
    struct {
        cb_case_new c;
        const char *msg;
    } bad[] = {
        {{.title = NULL}, "empty"},
        {{.title = ""}, "empty"},
        {{.title = "   "}, "blank"},
        {{.title = longt}, "at most 500"},
        {{.title = "two\nlines"}, "control"},
        {{.title = "bad \xff utf8"}, "UTF-8"},
        {{.title = "esc \x1b[31m"}, "control"},
        {{.title = "bidi \xe2\x80\xae"}, "control"},
        {{.title = "t", .customer = longf}, "customer"},
        {{.title = "t", .product = "p\xc3"}, "product"},
        {{.title = "t", .version = "1\t2"}, "version"},
        {{.title = "t", .environment = "a\x01"}, "environment"},
        {{.title = "t", .severity = 5}, "severity"},
        {{.title = "t", .severity = -1}, "severity"},
        {{.title = "t", .triage_json = "{not json"}, "not JSON"},
        {{.title = "t", .bundle_path = "relative/path"}, "absolute"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cb_case_create(st, &bad[i].c, NULL, id, &err), CB_EINVAL);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("case %zu: '%s' does not say '%s'", i, err.msg, bad[i].msg);
    }
    /* Rows that do not hang together. */
    cb_case_fired f[2] = {{.playbook = "a", .rank = 1}, {.playbook = "a", .rank = 2}};
    cb_case_sighit h[1] = {{.playbook = "b", .signature = "s", .hits = 1}};
    cb_case_triage t = {.fired = f, .nfired = 2};
    cb_case_new c = {.title = "t", .triage = &t};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_EINVAL);
    t.nfired = 1;
    t.sigs = h;
    t.nsigs = 1;
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_EINVAL);
    h[0].playbook = "a";
    h[0].hits = 0;
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_EINVAL);
    assert_int_equal(count("SELECT COUNT(*) FROM cases"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM case_playbooks"), 0);

    /* JSON syntax, checked without allocating. */
    static const char *const notjson[] = {"", "nul", "[1,]", "{\"a\" 1}", "{\"a\":}", "01", "1.", "-", "1e",
                                          "\"\\x\"", "\"a\tb\"", "\"\\u12\"", "1 2", "[1", "{\"a\":1,}",
                                          "{1:2}", "[\"\xff\"]", "]", "tru"};
    for (size_t i = 0; i < sizeof notjson / sizeof notjson[0]; i++) {
        c = (cb_case_new){.title = "t", .triage_json = notjson[i]};
        if (cb_case_create(st, &c, NULL, id, &err) != CB_EINVAL)
            fail_msg("'%s' taken as JSON", notjson[i]);
    }
    char deep[1300]; /* nesting: 512 deep is taken, 513 is not */
    memset(deep, '[', 513);
    memset(deep + 513, ']', 513);
    deep[1026] = '\0';
    c = (cb_case_new){.title = "t", .triage_json = deep};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_EINVAL);
    c.triage_json = deep + 1;
    deep[1025] = '\0';
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    assert_int_equal(cb_store_exec(st, "DELETE FROM cases", NULL, 0, NULL, &err), CB_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM cases"), 0);
    static const char *const json[] = {"[]", " {} ", "3", "-0.5e+3", "\"\\u00e9\\n\"", "null",
                                       "{\"a\": [1, 2.5E-3, true, false, null, \"\u00e9\"], \"b\": {\"c\": {}}}",
                                       "[[[[]]], {}]"};
    for (size_t i = 0; i < sizeof json / sizeof json[0]; i++) {
        c = (cb_case_new){.title = "t", .triage_json = json[i]};
        if (cb_case_create(st, &c, NULL, id, &err) != CB_OK)
            fail_msg("'%s' refused: %s", json[i], err.msg);
    }
    assert_int_equal(cb_store_exec(st, "DELETE FROM cases", NULL, 0, NULL, &err), CB_OK);

    /* The limits themselves are allowed; UTF-8 too. */
    longt[CB_CASE_TITLE_MAX] = '\0';
    c = (cb_case_new){.title = longt, .customer = "Zoë 王", .severity = 4, .environment = "tab\there\n"};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    /* An empty optional field is stored as none. */
    c = (cb_case_new){.title = "t", .customer = ""};
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    cb_case got;
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_null(got.e.customer);
    assert_int_equal(got.e.severity, 0);
    cb_case_release(&got);

    /* A write inside a transaction the caller opened is refused. */
    char other[CB_CASE_ID_SIZE];
    assert_int_equal(cb_store_begin(st, &err), CB_OK);
    assert_int_equal(cb_case_create(st, &c, NULL, other, &err), CB_EINVAL);
    assert_string_equal(other, "");
    assert_int_equal(cb_store_rollback(st, &err), CB_OK);

    /* Notes and resolutions: multi-line text, bounded. */
    char *big = malloc(CB_CASE_TEXT_MAX + 2);
    assert_non_null(big);
    memset(big, 'n', CB_CASE_TEXT_MAX + 1);
    big[CB_CASE_TEXT_MAX + 1] = '\0';
    assert_int_equal(cb_case_note_add(st, id, big, NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_case_note_add(st, id, "\n \n", NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_case_note_add(st, id, "a\x7f", NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_case_close(st, id, big, NULL, CB_LINK_REUSED, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_case_close(st, id, "", NULL, CB_LINK_REUSED, NULL, &err), CB_EINVAL);
    big[CB_CASE_TEXT_MAX] = '\0';
    assert_int_equal(cb_case_note_add(st, id, big, NULL, NULL, &err), CB_OK);
    free(big);
    assert_int_equal(count("SELECT COUNT(*) FROM case_notes"), 1);
}

static void test_list(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    add_person("ana", CB_ROLE_CONTRIBUTOR);
    add_person("bob", CB_ROLE_CONTRIBUTOR);
    cb_case_new c = {.title = "one", .customer = "ACME"};
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_OK);
    c = (cb_case_new){.title = "two", .customer = "Initech"};
    assert_int_equal(cb_case_create(st, &c, "bob", id, &err), CB_OK);
    c = (cb_case_new){.title = "three", .customer = "ACME", .engineer = "bob"};
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_OK);
    /* Back-date the first two, so that order and --since have something to tell apart. */
    assert_int_equal(cb_store_exec(st, "UPDATE cases SET opened = '2024-01-05T10:00:00Z' WHERE id = 'CASE-0001'",
                                   NULL, 0, NULL, &err),
                     CB_OK);
    assert_int_equal(cb_store_exec(st, "UPDATE cases SET opened = '2024-02-01T09:30:00Z' WHERE id = 'CASE-0002'",
                                   NULL, 0, NULL, &err),
                     CB_OK);
    assert_int_equal(cb_case_close(st, "CASE-0002", "fixed", NULL, CB_LINK_REUSED, "bob", &err), CB_OK);

    cb_case_listing l;
    assert_int_equal(cb_case_list(st, NULL, &l, &err), CB_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, "CASE-0003"); /* newest first */
    assert_string_equal(l.v[1].id, "CASE-0002");
    assert_string_equal(l.v[2].id, "CASE-0001");
    assert_int_equal(l.v[1].status, CB_CASE_RESOLVED);
    assert_non_null(l.v[1].closed);
    assert_string_equal(l.v[0].engineer, "bob");
    cb_case_listing_release(&l);

    cb_case_filter f = {.open_only = true};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 2);
    cb_case_listing_release(&l);
    f = (cb_case_filter){.engineer = "bob"};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[1].id, "CASE-0002");
    cb_case_listing_release(&l);
    f = (cb_case_filter){.customer = "ACME", .engineer = "bob"};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, "CASE-0003");
    cb_case_listing_release(&l);
    f = (cb_case_filter){.since = "2024-02-01"};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 2);
    cb_case_listing_release(&l);
    f = (cb_case_filter){.since = "2024-02-01T09:30:01Z", .open_only = true, .customer = "ACME", .engineer = "bob"};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 1);
    cb_case_listing_release(&l);
    f = (cb_case_filter){.customer = "Nobody"};
    assert_int_equal(cb_case_list(st, &f, &l, &err), CB_OK);
    assert_int_equal(l.n, 0);
    cb_case_listing_release(&l);
    const char *badsince[] = {"yesterday", "2024-13-01", "2024-02-01T25:00:00Z", "2024-02-01 10:00", "' OR 1=1 --"};
    for (size_t i = 0; i < sizeof badsince / sizeof badsince[0]; i++) {
        f = (cb_case_filter){.since = badsince[i]};
        assert_int_equal(cb_case_list(st, &f, &l, &err), CB_EINVAL);
        assert_int_equal(l.n, 0);
    }
}

static void test_notes_escalations_close(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    add_person("ana", CB_ROLE_CONTRIBUTOR);
    add_person("kde", CB_ROLE_PUBLISHER);
    cb_case_new c = {.title = "one"};
    assert_int_equal(cb_case_create(st, &c, "ana", id, &err), CB_OK);
    unsigned n = 0;
    assert_int_equal(cb_case_note_add(st, id, "first\nsecond line", "ana", &n, &err), CB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cb_case_note_add(st, id, "again", "kde", &n, &err), CB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cb_case_note_add(st, "CASE-0099", "x", "ana", &n, &err), CB_ENOTFOUND);
    assert_int_equal(n, 0);

    assert_int_equal(cb_case_escalate(st, id, "nobody", "stuck", NULL, NULL, "ana", &n, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_escalate(st, id, "kde", "", NULL, NULL, "ana", &n, &err), CB_EINVAL);
    assert_int_equal(cb_case_escalate(st, id, "kde", "stuck on MTU", "pb-net", "reset", "ana", &n, &err), CB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cb_case_escalate(st, id, "ana", "back", NULL, NULL, "kde", &n, &err), CB_OK);
    assert_int_equal(n, 2);

    cb_case got;
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_int_equal(got.nnotes, 2);
    assert_string_equal(got.notes[0].body, "first\nsecond line");
    assert_string_equal(got.notes[0].author, "ana");
    assert_string_equal(got.notes[1].author, "kde");
    assert_int_equal(got.notes[1].n, 2);
    assert_int_equal(got.nescalations, 2);
    assert_string_equal(got.escalations[0].from, "ana");
    assert_string_equal(got.escalations[0].to, "kde");
    assert_string_equal(got.escalations[0].why, "stuck on MTU");
    assert_string_equal(got.escalations[0].playbook, "pb-net");
    assert_string_equal(got.escalations[0].pattern, "reset");
    assert_null(got.escalations[1].playbook);
    assert_null(got.escalations[0].resolved);
    cb_case_release(&got);

    assert_int_equal(cb_case_close(st, id, "MTU set to 1400", NULL, CB_LINK_REUSED, "kde", &err), CB_OK);
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_int_equal(got.e.status, CB_CASE_RESOLVED);
    assert_string_equal(got.resolution, "MTU set to 1400");
    assert_non_null(got.e.closed);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(got.escalations[i].resolved_by, "kde");
        assert_string_equal(got.escalations[i].resolved, got.e.closed);
    }
    cb_case_release(&got);
    assert_int_equal(cb_case_close(st, id, "again", NULL, CB_LINK_REUSED, "kde", &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "already closed"));
    assert_int_equal(cb_case_escalate(st, id, "kde", "late", NULL, NULL, "ana", &n, &err), CB_EINVAL);
    assert_int_equal(cb_case_close(st, "CASE-0042", "r", NULL, CB_LINK_REUSED, "kde", &err), CB_ENOTFOUND);
    /* A note after the close is still taken: what was learnt later belongs to the case. */
    assert_int_equal(cb_case_note_add(st, id, "customer confirmed", "ana", &n, &err), CB_OK);
}

static unsigned reuse_of(const char *article, char last[CB_STORE_TIME_SIZE])
{
    cb_article *a = NULL;
    cb_kb_derived d;
    cb_error err;
    assert_int_equal(cb_kb_get(st, article, &a, &d, &err), CB_OK);
    cb_article_free(a);
    memcpy(last, d.last_linked, CB_STORE_TIME_SIZE);
    return d.reuse;
}

static void test_links(void **state)
{
    (void)state;
    cb_error err;
    char id1[CB_CASE_ID_SIZE], id2[CB_CASE_ID_SIZE], last[CB_STORE_TIME_SIZE];
    import_articles();
    new_case("one", id1);
    new_case("two", id2);
    assert_int_equal(reuse_of("KB-NET-0001", last), 0);
    assert_string_equal(last, "");

    assert_int_equal(cb_case_link(st, id1, "KB-NET-0001", CB_LINK_REUSED, NULL, &err), CB_OK);
    assert_int_equal(reuse_of("KB-NET-0001", last), 1);
    assert_int_equal(strlen(last), 20);
    /* The same link twice changes nothing; another type on the same case counts the case once. */
    assert_int_equal(cb_case_link(st, id1, "KB-NET-0001", CB_LINK_REUSED, NULL, &err), CB_OK);
    assert_int_equal(cb_case_link(st, id1, "KB-NET-0001", CB_LINK_MODIFIED, NULL, &err), CB_OK);
    assert_int_equal(reuse_of("KB-NET-0001", last), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM article_links"), 2);
    /* last_linked follows the newest link. */
    assert_int_equal(cb_store_exec(st, "UPDATE article_links SET at = '2020-01-01T00:00:00Z'", NULL, 0, NULL, &err),
                     CB_OK);
    assert_int_equal(reuse_of("KB-NET-0001", last), 1);
    assert_string_equal(last, "2020-01-01T00:00:00Z");
    assert_int_equal(cb_case_link(st, id2, "KB-NET-0001", CB_LINK_CREATED, NULL, &err), CB_OK);
    assert_int_equal(reuse_of("KB-NET-0001", last), 2);
    assert_true(strcmp(last, "2020-01-01T00:00:00Z") > 0);

    /* Refused: an archived article, an unknown one, an unknown case, a bad type. */
    assert_int_equal(cb_case_link(st, id1, "KB-NET-0002", CB_LINK_REUSED, NULL, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "[link-archived]"));
    assert_int_equal(cb_case_link(st, id1, "KB-NET-0003", CB_LINK_REUSED, NULL, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_link(st, id1, "not an id", CB_LINK_REUSED, NULL, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_link(st, "CASE-0077", "KB-NET-0001", CB_LINK_REUSED, NULL, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_link(st, id1, "KB-NET-0001", (cb_link_type)3, NULL, &err), CB_EINVAL);
    assert_int_equal(count("SELECT COUNT(*) FROM article_links"), 3);

    cb_case got;
    assert_int_equal(cb_case_get(st, id1, &got, &err), CB_OK);
    assert_int_equal(got.nlinks, 2);
    assert_string_equal(got.links[0].article, "KB-NET-0001");
    cb_case_release(&got);
}

/* A close whose link fails leaves the case open; one whose link works keeps both. */
static void test_close_all_or_nothing(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE], last[CB_STORE_TIME_SIZE];
    import_articles();
    new_case("one", id);
    assert_int_equal(cb_case_close(st, id, "fixed", "KB-NET-0002", CB_LINK_REUSED, NULL, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "[link-archived]"));
    assert_int_equal(cb_case_close(st, id, "fixed", "KB-NET-0404", CB_LINK_REUSED, NULL, &err), CB_ENOTFOUND);
    cb_case got;
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_int_equal(got.e.status, CB_CASE_OPEN);
    assert_null(got.resolution);
    assert_null(got.e.closed);
    cb_case_release(&got);
    assert_int_equal(count("SELECT COUNT(*) FROM article_links"), 0);

    assert_int_equal(cb_case_close(st, id, "fixed", "KB-NET-0001", CB_LINK_CREATED, NULL, &err), CB_OK);
    assert_int_equal(cb_case_get(st, id, &got, &err), CB_OK);
    assert_int_equal(got.e.status, CB_CASE_RESOLVED);
    assert_int_equal(got.nlinks, 1);
    assert_int_equal(got.links[0].type, CB_LINK_CREATED);
    assert_string_equal(got.links[0].at, got.e.closed);
    cb_case_release(&got);
    assert_int_equal(reuse_of("KB-NET-0001", last), 1);
}

/*
 * A case whose triage fired `feats` ("pb" fires playbook pb; "pb/sig" also
 * its signature sig), opened at `opened` (NULL: now).  Returns its id in id.
 */
static void case_with(const char *title, const char *opened, const char *const *feats, size_t n,
                      char id[CB_CASE_ID_SIZE])
{
    cb_case_fired f[8];
    cb_case_sighit h[8];
    char pbs[8][32], sigs[8][32];
    size_t nf = 0, nh = 0;
    for (size_t i = 0; i < n; i++) {
        const char *slash = strchr(feats[i], '/');
        if (!slash) {
            snprintf(pbs[nf], sizeof pbs[nf], "%s", feats[i]);
            f[nf] = (cb_case_fired){.playbook = pbs[nf], .rank = (unsigned)nf + 1};
            nf++;
        } else {
            snprintf(sigs[nh], sizeof sigs[nh], "%.*s", (int)(slash - feats[i]), feats[i]);
            h[nh] = (cb_case_sighit){.playbook = sigs[nh], .signature = (char *)slash + 1, .hits = 3};
            nh++;
        }
    }
    cb_case_triage t = {.fired = f, .nfired = nf, .sigs = h, .nsigs = nh};
    cb_case_new c = {.title = title, .triage = &t};
    cb_error err;
    assert_int_equal(cb_case_create(st, &c, NULL, id, &err), CB_OK);
    if (opened) {
        cb_store_value v[2] = {cb_store_text(id), cb_store_text(opened)};
        assert_int_equal(cb_store_exec(st, "UPDATE cases SET opened = $2 WHERE id = $1", v, 2, NULL, &err), CB_OK);
    }
}

/*
 * Ranking: A shares a rare playbook and signature with X; B and five others
 * share only the playbook (and signature) every case has.  Plain Jaccard
 * would rank B (2 of 4 features) above A (2 of 5); the IDF weights rank A
 * first.  Equal scores: newest first.  Later cases, X itself and cases
 * sharing nothing are left out.
 */
static void test_similar(void **state)
{
    (void)state;
    cb_error err;
    char x[CB_CASE_ID_SIZE], a[CB_CASE_ID_SIZE], b[CB_CASE_ID_SIZE], d[CB_CASE_ID_SIZE], later[CB_CASE_ID_SIZE];
    char fill[5][CB_CASE_ID_SIZE], bare[CB_CASE_ID_SIZE];
    const char *fa[] = {"rare", "rare/sig", "other"};
    const char *fb[] = {"common", "common/s1"};
    const char *fd[] = {"unrelated", "unrelated/s"};
    const char *fx[] = {"common", "common/s1", "rare", "rare/sig"};
    import_articles();
    case_with("A", "2024-01-01T10:00:00Z", fa, 3, a);
    case_with("B", "2024-01-02T10:00:00Z", fb, 2, b);
    for (int i = 0; i < 5; i++) {
        char when[32];
        snprintf(when, sizeof when, "2024-01-0%dT10:00:00Z", 3 + i);
        case_with("filler", when, fb, 2, fill[i]);
    }
    case_with("D", "2024-01-08T10:00:00Z", fd, 2, d);
    case_with("X", "2024-02-01T10:00:00Z", fx, 4, x);
    case_with("later", "2024-03-01T10:00:00Z", fx, 4, later);
    new_case("no triage", bare);
    assert_int_equal(cb_case_close(st, a, "set the MTU", "KB-NET-0001", CB_LINK_REUSED, NULL, &err), CB_OK);

    cb_case_similars l;
    assert_int_equal(cb_case_similar_find(st, x, 100, &l, &err), CB_OK);
    assert_int_equal(l.n, 7); /* A, B, five fillers; not D, X, later, bare */
    assert_string_equal(l.v[0].e.id, a);
    assert_true(l.v[0].score > l.v[1].score);
    assert_true(l.v[0].score > 0 && l.v[0].score <= 1);
    assert_string_equal(l.v[0].resolution, "set the MTU");
    assert_int_equal(l.v[0].e.status, CB_CASE_RESOLVED);
    assert_int_equal(l.v[0].narticles, 1);
    assert_string_equal(l.v[0].articles[0], "KB-NET-0001");
    assert_int_equal(l.v[0].nshared, 2);
    assert_string_equal(l.v[0].shared[0], "rare");
    assert_string_equal(l.v[0].shared[1], "rare/sig");
    /* The six with the common features only tie: newest first, B (the oldest) last. */
    for (int i = 0; i < 5; i++) {
        assert_string_equal(l.v[1 + i].e.id, fill[4 - i]);
        assert_true(l.v[1 + i].score == l.v[6].score);
    }
    assert_string_equal(l.v[6].e.id, b);
    assert_null(l.v[6].resolution);
    assert_int_equal(l.v[6].narticles, 0);
    assert_int_equal(l.v[6].nshared, 2);
    assert_string_equal(l.v[6].shared[1], "common/s1");
    cb_case_similars_release(&l);
    cb_case_similars_release(&l);

    /* The limit; the same features score 1 (the later case sees X as identical). */
    assert_int_equal(cb_case_similar_find(st, later, 2, &l, &err), CB_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].e.id, x);
    assert_true(l.v[0].score == 1.0);
    cb_case_similars_release(&l);
    /* The earliest case has nothing earlier; a case without a triage matches nothing. */
    assert_int_equal(cb_case_similar_find(st, a, 10, &l, &err), CB_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(cb_case_similar_find(st, bare, 10, &l, &err), CB_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(cb_case_similar_find(st, "CASE-0404", 10, &l, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_similar_find(st, "junk", 10, &l, &err), CB_ENOTFOUND);
    assert_int_equal(cb_case_similar_find(st, x, 0, &l, &err), CB_EINVAL);
    assert_int_equal(cb_case_similar_find(st, x, 1001, &l, &err), CB_EINVAL);
    assert_int_equal(l.n, 0);
}

/* Walks are written by walks.c; get reads whatever the table holds, oldest first. */
static void test_get_walks(void **state)
{
    (void)state;
    cb_error err;
    char id[CB_CASE_ID_SIZE];
    new_case("walked", id);
    assert_int_equal(cb_store_exec(st,
                                   "INSERT INTO case_walks (case_id, n, playbook, mode, status, node, article,"
                                   " hints_used, coach_questions, reveals, who, at, transcript) VALUES"
                                   " ('CASE-0001', 2, 'pb-b', 'coach', 'quit', NULL, NULL, 1, 2, 3, NULL,"
                                   " '2024-01-02T00:00:00Z', '{\"steps\": []}'),"
                                   " ('CASE-0001', 1, 'pb-a', 'guide', 'concluded', 'end', 'KB-NET-0001', 0, 0, 0,"
                                   " NULL, '2024-01-01T00:00:00Z', '{}')",
                                   NULL, 0, NULL, &err),
                     CB_OK);
    cb_case c;
    assert_int_equal(cb_case_get(st, id, &c, &err), CB_OK);
    assert_int_equal(c.nwalks, 2);
    assert_int_equal(c.walks[0].n, 1);
    assert_string_equal(c.walks[0].playbook, "pb-a");
    assert_string_equal(c.walks[0].status, "concluded");
    assert_string_equal(c.walks[0].node, "end");
    assert_string_equal(c.walks[0].article, "KB-NET-0001");
    assert_string_equal(c.walks[1].mode, "coach");
    assert_null(c.walks[1].node);
    assert_int_equal(c.walks[1].hints_used, 1);
    assert_int_equal(c.walks[1].coach_questions, 2);
    assert_int_equal(c.walks[1].reveals, 3);
    assert_string_equal(c.walks[1].transcript, "{\"steps\": []}");
    cb_case_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_triage_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_people_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_escalations_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_walks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, tmpdir_teardown);
}
