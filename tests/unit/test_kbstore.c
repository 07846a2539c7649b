/*
 * test_kbstore.c — the knowledge base's operations on a real SQLite store in
 * a temporary directory: import (all or nothing, no overwrite, the acting
 * person), get with derived fields, export round-tripping examples/articles
 * byte for byte, and search (words, phrases, prefixes, error codes, hostile
 * strings, a pasted log line, archived articles).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "casebook/fileio.h"
#include "casebook/kb.h"
#include "casebook/store.h"

#define ART_DIR CB_SOURCE_ROOT "/examples/articles"

#include "tmpdir.h"

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-kbstore");
}

static cb_store *open_ok(const char *name)
{
    cb_store *s = NULL;
    cb_error err;
    if (cb_store_open(at(name), NULL, &s, &err) != CB_OK)
        fail_msg("open %s: %s", name, err.msg);
    return s;
}

static size_t count_md(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 3 && strcmp(de->d_name + len - 3, ".md") == 0)
            n++;
    }
    closedir(d);
    return n;
}

static void import_examples(cb_store *s)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    size_t n = 0;
    cb_status st = cb_kb_import(s, ART_DIR, NULL, &d, &n, &err);
    if (st != CB_OK)
        fail_msg("import: %s (%zu diags, first %s)", err.msg, d.n, d.n ? d.v[0].msg : "");
    assert_int_equal(n, count_md(ART_DIR));
    cb_diags_release(&d);
}

static void write_file(const char *path, const char *text)
{
    cb_error err;
    assert_int_equal(cb_file_write_atomic(path, text, strlen(text), &err), CB_OK);
}

static char *read_all(const char *path, size_t *len)
{
    char *t = NULL;
    cb_error err;
    if (cb_file_read(path, 1 << 22, &t, len, &err) != CB_OK)
        fail_msg("read %s: %s", path, err.msg);
    return t;
}

static void copy_example(const char *id, const char *to)
{
    char src[512];
    snprintf(src, sizeof src, "%s/%s.md", ART_DIR, id);
    size_t len = 0;
    char *t = read_all(src, &len);
    cb_error err;
    assert_int_equal(cb_file_write_atomic(to, t, len, &err), CB_OK);
    free(t);
}

static int64_t count_rows(cb_store *s, const char *sql)
{
    cb_store_rows *r = NULL;
    cb_error err;
    bool row = false;
    assert_int_equal(cb_store_query(s, sql, NULL, 0, &r, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    int64_t n = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    return n;
}

/* Import then export: the same files, byte for byte; get gives what the file parses to. */
static void test_roundtrip(void **state)
{
    (void)state;
    cb_store *s = open_ok("rt.db");
    import_examples(s);
    size_t n = 0;
    cb_error err;
    assert_int_equal(cb_kb_export(s, at("rt-out"), &n, &err), CB_OK);
    assert_int_equal(n, count_md(ART_DIR));
    assert_int_equal(count_md(at("rt-out")), n);

    DIR *d = opendir(ART_DIR);
    assert_non_null(d);
    struct dirent *de;
    size_t compared = 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len <= 3 || strcmp(de->d_name + len - 3, ".md") != 0)
            continue;
        char a[512], b[512];
        snprintf(a, sizeof a, "%s/%s", ART_DIR, de->d_name);
        snprintf(b, sizeof b, "%s/rt-out/%s", dir, de->d_name);
        size_t la = 0, lb = 0;
        char *ta = read_all(a, &la), *tb = read_all(b, &lb);
        if (la != lb || memcmp(ta, tb, la) != 0)
            fail_msg("%s differs after import and export", de->d_name);

        /* get equals the parsed file */
        cb_diags dg;
        cb_diags_init(&dg);
        cb_article *parsed = NULL, *got = NULL;
        assert_int_equal(cb_article_parse(a, ta, la, &parsed, &dg), CB_OK);
        cb_kb_derived der;
        assert_int_equal(cb_kb_get(s, parsed->id, &got, &der, &err), CB_OK);
        assert_true(cb_article_equal(parsed, got));
        assert_int_equal(der.revisions, 1);
        assert_int_equal(der.reuse, 0);
        assert_int_equal(der.open_flags, 0);
        assert_string_equal(der.last_linked, "");
        cb_article_free(parsed);
        cb_article_free(got);
        cb_diags_release(&dg);
        free(ta);
        free(tb);
        compared++;
    }
    closedir(d);
    assert_int_equal(compared, n);

    /* the first revision: no one, "imported", what it set */
    cb_store_rows *r = NULL;
    bool row = false;
    assert_int_equal(cb_store_query(s,
                                    "SELECT who, why, changes FROM article_revisions WHERE article = 'KB-NET-0001'",
                                    NULL, 0, &r, &err),
                     CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    assert_true(cb_store_rows_is_null(r, 0));
    assert_string_equal(cb_store_rows_text(r, 1), "imported");
    assert_non_null(strstr(cb_store_rows_text(r, 2), "\"state\""));
    cb_store_rows_free(r);

    /* export again over the same directory: the files are replaced, still equal */
    assert_int_equal(cb_kb_export(s, at("rt-out"), &n, &err), CB_OK);
    assert_int_equal(count_md(at("rt-out")), n);
    cb_store_close(s);
}

/* One bad file: every problem as file:line, nothing written, not even the good files. */
static void test_import_all_or_nothing(void **state)
{
    (void)state;
    assert_int_equal(mkdir(at("bad"), 0700), 0);
    copy_example("KB-NET-0001", at("bad/a-good.md"));
    write_file(at("bad/b-state.md"), "---\nid: KB-TST-0001\ntitle: T\nstate: done\naudience: internal\n---\n"
                                     "## Issue\nx\n");
    write_file(at("bad/c-section.md"), "---\nid: KB-TST-0002\ntitle: T\nstate: validated\naudience: internal\n"
                                       "---\n## Issue\nx\n");
    write_file(at("bad/d-yaml.md"), "---\nid: [KB-TST-0003\n---\n## Issue\nx\n");
    write_file(at("bad/notes.txt"), "not an article\n");
    cb_store *s = open_ok("aon.db");
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    size_t n = 99;
    assert_int_equal(cb_kb_import(s, at("bad"), NULL, &d, &n, &err), CB_EPARSE);
    assert_int_equal(n, 0);
    assert_true(d.n >= 3);
    bool seen[3] = {false, false, false};
    for (size_t i = 0; i < d.n; i++) {
        assert_null(strstr(d.v[i].file, "a-good.md"));
        assert_true(d.v[i].line > 0);
        seen[0] |= strstr(d.v[i].file, "b-state.md") != NULL;
        seen[1] |= strstr(d.v[i].file, "c-section.md") != NULL;
        seen[2] |= strstr(d.v[i].file, "d-yaml.md") != NULL;
    }
    assert_true(seen[0] && seen[1] && seen[2]);
    assert_non_null(strstr(err.msg, "nothing imported"));
    assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM articles"), 0);
    assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM article_revisions"), 0);
    cb_article *a = NULL;
    assert_int_equal(cb_kb_get(s, "KB-NET-0001", &a, NULL, &err), CB_ENOTFOUND);
    assert_null(a);
    cb_kb_hits h;
    assert_int_equal(cb_kb_search(s, "connection", false, 10, &h, &err), CB_OK);
    assert_int_equal(h.n, 0);
    cb_kb_hits_release(&h);
    cb_diags_release(&d);
    cb_store_close(s);
}

/* An id the store holds, or two files with one id: an error naming the file; nothing overwritten. */
static void test_import_no_overwrite(void **state)
{
    (void)state;
    cb_store *s = open_ok("dup.db");
    import_examples(s);
    assert_int_equal(mkdir(at("again"), 0700), 0);
    copy_example("KB-WEB-0001", at("again/new.md"));
    /* a different KB-NET-0001: the store must keep the imported one */
    write_file(at("again/x.md"), "---\nid: KB-NET-0001\ntitle: Replaced\nstate: wip\naudience: internal\n---\n"
                                 "## Issue\nx\n");
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    assert_int_equal(cb_kb_import(s, at("again"), NULL, &d, NULL, &err), CB_EPARSE);
    assert_int_equal(d.n, 2);
    char buf[512];
    cb_diag_format(&d.v[0], buf, sizeof buf);
    assert_non_null(strstr(buf, "new.md"));
    assert_non_null(strstr(buf, "KB-WEB-0001 is already in the store"));
    cb_diag_format(&d.v[1], buf, sizeof buf);
    assert_non_null(strstr(buf, "x.md"));
    cb_article *a = NULL;
    cb_kb_derived der;
    assert_int_equal(cb_kb_get(s, "KB-NET-0001", &a, &der, &err), CB_OK);
    assert_string_not_equal(a->title, "Replaced");
    assert_int_equal(der.revisions, 1);
    cb_article_free(a);
    cb_diags_release(&d);

    /* two files of one directory with the same id, into an empty store */
    cb_store *e = open_ok("dup2.db");
    assert_int_equal(mkdir(at("twice"), 0700), 0);
    copy_example("KB-NET-0002", at("twice/one.md"));
    copy_example("KB-NET-0002", at("twice/two.md"));
    cb_diags_init(&d);
    assert_int_equal(cb_kb_import(e, at("twice"), NULL, &d, NULL, &err), CB_EPARSE);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].file, "two.md"));
    assert_non_null(strstr(d.v[0].msg, "one.md"));
    assert_int_equal(count_rows(e, "SELECT COUNT(*) FROM articles"), 0);
    cb_diags_release(&d);

    /* Among 300 distinct ids, one id in three files: the second and third name the first, nothing is written. */
    assert_int_equal(mkdir(at("many"), 0700), 0);
    for (int i = 0; i < 300; i++) {
        char path[64], text[256];
        snprintf(path, sizeof path, "many/m%03d.md", i);
        snprintf(text, sizeof text,
                 "---\nid: KB-T%c-%04d\ntitle: Article %d\nstate: wip\naudience: internal\n---\n## Issue\nx\n",
                 'A' + i % 26, i, i);
        write_file(at(path), text);
    }
    copy_example("KB-NET-0002", at("many/a.md"));
    copy_example("KB-NET-0002", at("many/n.md"));
    copy_example("KB-NET-0002", at("many/z.md"));
    cb_diags_init(&d);
    assert_int_equal(cb_kb_import(e, at("many"), NULL, &d, NULL, &err), CB_EPARSE);
    assert_int_equal(d.n, 2);
    assert_non_null(strstr(d.v[0].file, "many/n.md"));
    assert_non_null(strstr(d.v[0].msg, "KB-NET-0002 is also the id of"));
    assert_non_null(strstr(d.v[0].msg, "many/a.md"));
    assert_non_null(strstr(d.v[1].file, "many/z.md"));
    assert_non_null(strstr(d.v[1].msg, "many/a.md"));
    assert_int_equal(count_rows(e, "SELECT COUNT(*) FROM articles"), 0);
    cb_diags_release(&d);
    /* Without the duplicates the 300 and one import. */
    assert_int_equal(unlink(at("many/n.md")), 0);
    assert_int_equal(unlink(at("many/z.md")), 0);
    cb_diags_init(&d);
    size_t n = 0;
    assert_int_equal(cb_kb_import(e, at("many"), NULL, &d, &n, &err), CB_OK);
    assert_int_equal(n, 301);
    assert_int_equal(count_rows(e, "SELECT COUNT(*) FROM article_fts_docs"), 301);
    cb_diags_release(&d);
    cb_store_close(e);
    cb_store_close(s);
}

/* The acting person: must exist; is recorded on the first revision. */
static void test_import_actor(void **state)
{
    (void)state;
    cb_store *s = open_ok("actor.db");
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    size_t n = 9;
    assert_int_equal(cb_kb_import(s, ART_DIR, "alice", &d, &n, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "alice"));
    assert_int_equal(n, 0);
    assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM articles"), 0);
    assert_int_equal(cb_store_exec(s,
                                   "INSERT INTO people (handle, name, role, created, updated)"
                                   " VALUES ('alice', 'Alice', 'publisher', '2026-01-01', '2026-01-01')",
                                   NULL, 0, NULL, &err),
                     CB_OK);
    assert_int_equal(cb_kb_import(s, ART_DIR, "alice", &d, &n, &err), CB_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM article_revisions WHERE who = 'alice'"), (int64_t)n);
    assert_int_equal(cb_kb_import(s, "/nonexistent-cb-dir", NULL, &d, &n, &err), CB_ENOTFOUND);
    cb_diags_release(&d);
    cb_store_close(s);
}

/* Derived fields follow links and flags. */
static void test_get_derived(void **state)
{
    (void)state;
    cb_store *s = open_ok("derived.db");
    import_examples(s);
    cb_error err;
    static const char *const sql[] = {
        "INSERT INTO cases (id, title, opened) VALUES ('C-1', 'one', '2026-02-01T10:00:00Z')",
        "INSERT INTO cases (id, title, opened) VALUES ('C-2', 'two', '2026-02-02T10:00:00Z')",
        "INSERT INTO article_links (case_id, article, type, at) VALUES ('C-1', 'KB-NET-0001', 'reused',"
        " '2026-02-01T11:00:00Z')",
        "INSERT INTO article_links (case_id, article, type, at) VALUES ('C-1', 'KB-NET-0001', 'modified',"
        " '2026-02-01T12:00:00Z')",
        "INSERT INTO article_links (case_id, article, type, at) VALUES ('C-2', 'KB-NET-0001', 'reused',"
        " '2026-02-03T09:00:00Z')",
        "INSERT INTO article_flags (article, n, body, created) VALUES ('KB-NET-0001', 1, 'wrong port',"
        " '2026-02-04')",
        "INSERT INTO article_flags (article, n, body, created, resolved) VALUES ('KB-NET-0001', 2, 'typo',"
        " '2026-02-04', '2026-02-05')",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (cb_store_exec(s, sql[i], NULL, 0, NULL, &err) != CB_OK)
            fail_msg("%s: %s", sql[i], err.msg);
    cb_article *a = NULL;
    cb_kb_derived der;
    assert_int_equal(cb_kb_get(s, "KB-NET-0001", &a, &der, &err), CB_OK);
    assert_int_equal(der.reuse, 2);
    assert_string_equal(der.last_linked, "2026-02-03T09:00:00Z");
    assert_int_equal(der.open_flags, 1);
    assert_int_equal(der.revisions, 1);
    cb_article_free(a);
    assert_int_equal(cb_kb_get(s, "KB-NET-9999", &a, &der, &err), CB_ENOTFOUND);
    assert_null(a);
    assert_int_equal(cb_kb_get(s, NULL, &a, NULL, &err), CB_EINVAL);
    cb_store_close(s);
}

static cb_store *search_store;

static cb_kb_hits search_ok(const char *q, bool all)
{
    cb_kb_hits h;
    cb_error err;
    cb_status st = cb_kb_search(search_store, q, all, 10, &h, &err);
    if (st != CB_OK)
        fail_msg("search %s: %s", q, err.msg);
    return h;
}

static bool has_hit(const cb_kb_hits *h, const char *id)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->hits[i].id, id) == 0)
            return true;
    return false;
}

static void expect_first(const char *q, const char *id)
{
    cb_kb_hits h = search_ok(q, false);
    if (h.n == 0 || strcmp(h.hits[0].id, id) != 0)
        fail_msg("search %s: first %s, want %s", q, h.n ? h.hits[0].id : "(none)", id);
    cb_kb_hits_release(&h);
}

static void expect_has(const char *q, const char *id)
{
    cb_kb_hits h = search_ok(q, false);
    if (!has_hit(&h, id))
        fail_msg("search %s: %s not found among %zu hits", q, id, h.n);
    cb_kb_hits_release(&h);
}

static void test_search(void **state)
{
    (void)state;
    search_store = open_ok("search.db");
    import_examples(search_store);

    /* plain words (stemmed), a phrase, a prefix, error codes */
    expect_has("tape library", "KB-VBR-0010");
    expect_has("snapshots removal freezes", "KB-VBR-0003");
    expect_has("\"forcibly closed\"", "KB-NET-0001");
    expect_has("MaxRequest*", "KB-WEB-0001");
    expect_first("0x800401fd", "KB-VBR-0004");
    expect_first("0x800423f3", "KB-VBR-0004");
    expect_first("CStopSessionException", "KB-VBR-0012");
    /* the Internal section is not searched: KB-VBR-0006 names 0x80070070 only there */
    cb_kb_hits h0 = search_ok("0x80070070", true);
    assert_int_equal(h0.n, 0);
    cb_kb_hits_release(&h0);
    cb_kb_hits h = search_ok("\"forcibly opened\"", false);
    assert_false(has_hit(&h, "KB-NET-0001"));
    assert_false(h.from_log);
    cb_kb_hits_release(&h);

    /* the pasted Veeam line: read as a log line, KB-NET-0001 first */
    h = search_ok("[12.03.2024 20:03:47] <43> Warning [ReconnectableSocket] Connection to "
                  "'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly closed "
                  "by the remote host",
                  false);
    assert_true(h.from_log);
    assert_true(h.n > 0);
    assert_string_equal(h.hits[0].id, "KB-NET-0001");
    assert_non_null(strchr(h.hits[0].snippet, '['));
    cb_kb_hits_release(&h);

    /* hostile strings: never an error */
    static const char *const hostile[] = {
        "",     "\"",          "*",     "\"unbalanced phrase", "AND OR NOT", "NEAR(a b)", "title:tape",
        "^tape", "(", ")))",  "-",     "a\"b\"c*",            "{issue}: x", "\x01\x02\xff\xfe", "'; DROP TABLE articles; --",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        h = search_ok(hostile[i], false);
        cb_kb_hits_release(&h);
        h = search_ok(hostile[i], true);
        cb_kb_hits_release(&h);
    }
    char big[20000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    h = search_ok(big, false);
    assert_int_equal(h.n, 0);
    cb_kb_hits_release(&h);
    assert_int_equal(count_rows(search_store, "SELECT COUNT(*) FROM articles"), (int64_t)count_md(ART_DIR));

    /* archived: only with all */
    cb_error err;
    assert_int_equal(cb_store_exec(search_store, "UPDATE articles SET state = 'archived' WHERE id = 'KB-VBR-0004'",
                                   NULL, 0, NULL, &err),
                     CB_OK);
    h = search_ok("0x800401fd", false);
    assert_false(has_hit(&h, "KB-VBR-0004"));
    cb_kb_hits_release(&h);
    h = search_ok("0x800401fd", true);
    assert_true(has_hit(&h, "KB-VBR-0004"));
    cb_kb_hits_release(&h);

    /* the limit */
    h = search_ok("veeam", false);
    assert_true(h.n > 1 && h.n <= 10);
    cb_kb_hits_release(&h);
    assert_int_equal(cb_kb_search(search_store, "veeam", false, 0, &h, &err), CB_EINVAL);
    cb_kb_hits_release(&h);
    assert_int_equal(cb_kb_search(search_store, NULL, false, 10, &h, &err), CB_EINVAL);
    cb_kb_hits_release(&h);
    cb_store_close(search_store);
}

static bool listed(const cb_kb_listing *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return true;
    return false;
}

static cb_kb_listing list_ok(cb_store *s, const cb_kb_filter *f)
{
    cb_kb_listing l;
    cb_error err;
    if (cb_kb_list(s, f, &l, &err) != CB_OK)
        fail_msg("list: %s", err.msg);
    for (size_t i = 1; i < l.n; i++)
        assert_true(strcmp(l.v[i - 1].id, l.v[i].id) < 0);
    return l;
}

/* Filters by state, tag, product and staleness; archived ones only when asked. */
static void test_list(void **state)
{
    (void)state;
    cb_store *s = open_ok("list.db");
    import_examples(s);
    cb_error err;
    size_t total = count_md(ART_DIR);
    cb_kb_listing l = list_ok(s, NULL);
    assert_int_equal(l.n, total);
    cb_kb_listing_release(&l);

    char now[CB_STORE_TIME_SIZE];
    assert_int_equal(cb_store_now(s, now, &err), CB_OK);
    cb_store_value p[1] = {cb_store_text(now)};
    static const char *const sql[] = {
        "UPDATE articles SET reviewed = $1",
        "UPDATE articles SET reviewed = '2000-01-01' WHERE id = 'KB-LNX-0001'",
        "UPDATE articles SET reviewed = NULL WHERE id = 'KB-WEB-0002'",
        "UPDATE articles SET state = 'archived' WHERE id = 'KB-NET-0003'",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (cb_store_exec(s, sql[i], p, i == 0 ? 1 : 0, NULL, &err) != CB_OK)
            fail_msg("%s: %s", sql[i], err.msg);

    cb_kb_filter f;
    cb_kb_filter_init(&f);
    l = list_ok(s, &f);
    assert_int_equal(l.n, total - 1);
    assert_false(listed(&l, "KB-NET-0003"));
    cb_kb_listing_release(&l);
    f.all = true;
    l = list_ok(s, &f);
    assert_int_equal(l.n, total);
    cb_kb_listing_release(&l);

    cb_kb_filter_init(&f);
    f.has_state = true;
    f.state = CB_KB_ARCHIVED;
    l = list_ok(s, &f);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, "KB-NET-0003");
    assert_int_equal(l.v[0].state, CB_KB_ARCHIVED);
    cb_kb_listing_release(&l);

    /* stale: older than 30 days or never reviewed */
    cb_kb_filter_init(&f);
    f.stale_days = 30;
    l = list_ok(s, &f);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].id, "KB-LNX-0001");
    assert_string_equal(l.v[0].reviewed, "2000-01-01");
    assert_string_equal(l.v[1].id, "KB-WEB-0002");
    assert_null(l.v[1].reviewed);
    cb_kb_listing_release(&l);

    /* tag and product, alone and together */
    cb_kb_filter_init(&f);
    f.tag = "mtu";
    l = list_ok(s, &f);
    assert_true(listed(&l, "KB-NET-0001"));
    for (size_t i = 0; i < l.n; i++) {
        cb_article *a = NULL;
        assert_int_equal(cb_kb_get(s, l.v[i].id, &a, NULL, &err), CB_OK);
        bool has = false;
        for (size_t k = 0; k < a->tags.n; k++)
            has |= strcmp(a->tags.v[k], "mtu") == 0;
        assert_true(has);
        cb_article_free(a);
    }
    cb_kb_listing_release(&l);
    f.product = "Veeam Backup & Replication";
    l = list_ok(s, &f);
    assert_true(listed(&l, "KB-NET-0001"));
    for (size_t i = 0; i < l.n; i++)
        assert_string_equal(l.v[i].product, "Veeam Backup & Replication");
    cb_kb_listing_release(&l);
    f.tag = NULL;
    f.product = "No Such Product";
    l = list_ok(s, &f);
    assert_int_equal(l.n, 0);
    cb_kb_listing_release(&l);

    f.stale_days = 100001;
    assert_int_equal(cb_kb_list(s, &f, &l, &err), CB_EINVAL);
    cb_kb_listing_release(&l);
    cb_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_import_all_or_nothing),
        cmocka_unit_test(test_import_no_overwrite),
        cmocka_unit_test(test_import_actor),
        cmocka_unit_test(test_get_derived),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
