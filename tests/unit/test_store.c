/*
 * test_store.c — the store (store.h) on real SQLite files in a temporary
 * directory: opening and migrating, refusing newer and foreign databases,
 * $n placeholders, rows, transactions, full-text search with hostile
 * queries, two processes writing at once, a process killed inside a
 * transaction, and where the database goes by default.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "casebook/store.h"

#include "storetest.h"
#include "tmpdir.h"

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-store");
}

static void exec_ok(cb_store *s, const char *sql, const cb_store_value *p, size_t n)
{
    cb_error err;
    cb_status st = cb_store_exec(s, sql, p, n, NULL, &err);
    if (st)
        fail_msg("%s: %s", sql, err.msg);
}

/* The first column of the first row as text, in a static buffer. */
static const char *text_of(cb_store *s, const char *sql, const cb_store_value *p, size_t n)
{
    static char buf[4096];
    cb_store_rows *r;
    cb_error err;
    bool row;
    if (cb_store_query(s, sql, p, n, &r, &err))
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    const char *t = cb_store_rows_text(r, 0);
    snprintf(buf, sizeof buf, "%s", t ? t : "(null)");
    cb_store_rows_free(r);
    return buf;
}

static int64_t count(cb_store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return int_of(s, sql, NULL, 0);
}

static void add_person(cb_store *s, const char *handle)
{
    cb_store_value p[] = {cb_store_text(handle)};
    exec_ok(
        s, "INSERT INTO people (handle, name, role, created, updated) VALUES ($1, $1, 'candidate', 'x', 'x')",
        p, 1);
}

/* ---- opening and migrating ---- */

static void test_open_creates_and_migrates(void **state)
{
    (void)state;
    const char *path = at("a/b/casebook.db");
    cb_store *s = open_ok(path);
    struct stat sb;
    assert_int_equal(stat(at("a"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(stat(at("a/b"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    assert_string_equal(cb_store_backend_name(s), "sqlite");
    assert_int_equal(cb_store_version(s), CB_STORE_SCHEMA_VERSION);
    assert_int_equal(count(s, "schema_migrations"), CB_STORE_SCHEMA_VERSION);
    assert_int_equal(int_of(s, "SELECT MAX(version) FROM schema_migrations", NULL, 0),
                     CB_STORE_SCHEMA_VERSION);
    assert_int_equal(strlen(text_of(s, "SELECT applied FROM schema_migrations WHERE version = 1", NULL, 0)),
                     20);
    assert_string_equal(text_of(s, "PRAGMA journal_mode", NULL, 0), "wal");
    assert_int_equal(int_of(s, "PRAGMA foreign_keys", NULL, 0), 1);
    static const char *const tables[] = {
        "people",           "people_domains",    "articles",
        "article_tags",     "article_playbooks", "article_revisions",
        "article_flags",    "article_links",     "cases",
        "case_environment", "case_playbooks",    "case_signatures",
        "case_notes",       "case_walks",        "escalations",
        "article_fts",      "article_fts_docs",
    };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        cb_store_value p[] = {cb_store_text(tables[i])};
        if (int_of(s, "SELECT count(*) FROM sqlite_master WHERE name = $1", p, 1) != 1)
            fail_msg("no table %s", tables[i]);
        assert_int_equal(count(s, tables[i]), 0);
    }
    cb_store_close(s);
}

static void test_reopen_is_noop(void **state)
{
    (void)state;
    const char *path = at("re.db");
    cb_store *s = open_ok(path);
    char applied[64], schema[64];
    snprintf(applied, sizeof applied, "%s", text_of(s, "SELECT applied FROM schema_migrations", NULL, 0));
    int64_t objects = int_of(s, "SELECT count(*) FROM sqlite_master", NULL, 0);
    snprintf(schema, sizeof schema, "%lld", (long long)int_of(s, "PRAGMA schema_version", NULL, 0));
    add_person(s, "ann");
    cb_store_close(s);

    s = open_ok(path);
    assert_int_equal(cb_store_version(s), CB_STORE_SCHEMA_VERSION);
    assert_int_equal(count(s, "schema_migrations"), CB_STORE_SCHEMA_VERSION);
    assert_string_equal(text_of(s, "SELECT applied FROM schema_migrations", NULL, 0), applied);
    assert_int_equal(int_of(s, "SELECT count(*) FROM sqlite_master", NULL, 0), objects);
    char now[64];
    snprintf(now, sizeof now, "%lld", (long long)int_of(s, "PRAGMA schema_version", NULL, 0));
    assert_string_equal(now, schema); /* no DDL ran */
    assert_int_equal(count(s, "people"), 1);
    cb_store_close(s);
}

static void test_newer_version_refused(void **state)
{
    (void)state;
    const char *path = at("newer.db");
    cb_store *s = open_ok(path);
    cb_store_value p[] = {cb_store_int(CB_STORE_SCHEMA_VERSION + 1)};
    exec_ok(s, "INSERT INTO schema_migrations (version, applied) VALUES ($1, '2099-01-01T00:00:00Z')", p, 1);
    cb_store_close(s);

    cb_error err;
    s = (cb_store *)1;
    assert_int_equal(cb_store_open(path, NULL, &s, &err), CB_EUNSUPPORTED);
    assert_null(s);
    char want[128];
    snprintf(want, sizeof want, "schema version %d, newer than this casebook's %d",
             CB_STORE_SCHEMA_VERSION + 1, CB_STORE_SCHEMA_VERSION);
    if (!strstr(err.msg, want) || !strstr(err.msg, path))
        fail_msg("message: %s", err.msg);

    /* Nothing was changed: the versions are still there for the newer casebook. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_migrations", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), CB_STORE_SCHEMA_VERSION + 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_foreign_files_refused(void **state)
{
    (void)state;
    cb_error err;
    cb_store *s;

    const char *junk = at("junk.db");
    FILE *f = fopen(junk, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database ", f);
    fclose(f);
    assert_int_equal(cb_store_open(junk, NULL, &s, &err), CB_EUNSUPPORTED);
    assert_null(s);
    if (!strstr(err.msg, "not a database") || !strstr(err.msg, junk))
        fail_msg("message: %s", err.msg);

    /* Someone else's SQLite database: refused, and nothing is added to it. */
    const char *other = at("other.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(cb_store_open(other, NULL, &s, &err), CB_EUNSUPPORTED);
    if (!strstr(err.msg, "not a casebook database"))
        fail_msg("message: %s", err.msg);
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* A directory where the file should be, and a file where a directory should be. */
    assert_int_equal(mkdir(at("isdir.db"), 0700), 0);
    assert_int_equal(cb_store_open(at("isdir.db"), NULL, &s, &err), CB_EIO);
    assert_int_equal(cb_store_open(at("junk.db/x/casebook.db"), NULL, &s, &err), CB_EIO);
    if (!strstr(err.msg, "junk.db"))
        fail_msg("message: %s", err.msg);
}

static void test_options_checked(void **state)
{
    (void)state;
    cb_store_opts o;
    cb_error err;
    cb_store *s;
    cb_store_opts_init(&o);
    assert_int_equal(o.busy_timeout_ms, 5000);
    o.busy_timeout_ms = -1;
    assert_int_equal(cb_store_open(at("o.db"), &o, &s, &err), CB_EINVAL);
    cb_store_opts_init(&o);
    o.backend = "postgresql";
    assert_int_equal(cb_store_open(at("o.db"), &o, &s, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "postgresql"));
    cb_store_opts_init(&o);
    o.schema_version = CB_STORE_SCHEMA_VERSION + 1;
    assert_int_equal(cb_store_open(at("o.db"), &o, &s, &err), CB_EINVAL);
    assert_int_equal(cb_store_open("", NULL, &s, &err), CB_EINVAL);
    o.schema_version = 1;
    assert_int_equal(cb_store_open(at("o.db"), &o, &s, &err), CB_OK);
    assert_int_equal(cb_store_version(s), 1);
    cb_store_close(s);
    cb_store_close(NULL);
}

/* A relative path is a path, even one that looks like an SQLite URI. */
static void test_relative_path_not_uri(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    cb_store *s = open_ok("file:rel.db?mode=ro");
    add_person(s, "ann");
    cb_store_close(s);
    struct stat sb;
    assert_int_equal(stat(at("file:rel.db?mode=ro"), &sb), 0);
    assert_int_equal(chdir(cwd), 0);
}

/* ---- statements ---- */

static void test_placeholders_bind_by_number(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("p.db"));
    cb_store_value ab[] = {cb_store_text("a"), cb_store_text("b")};
    /* SQLite numbers $2 first here (order of appearance); binding must follow the number. */
    assert_string_equal(text_of(s, "SELECT $2 || $1", ab, 2), "ba");
    assert_string_equal(text_of(s, "SELECT $1 || $2 || $1", ab, 2), "aba");
    cb_store_value ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = cb_store_int(i + 1);
    assert_int_equal(
        int_of(s, "SELECT $10 * 100 + $2 * 10 + $1 + 0 * ($3 + $4 + $5 + $6 + $7 + $8 + $9)", ten, 10), 1021);
    cb_store_value nul[] = {cb_store_text(NULL), cb_store_null()};
    assert_int_equal(int_of(s, "SELECT $1 IS NULL AND $2 IS NULL", nul, 2), 1);

    static const struct {
        const char *sql;
        size_t n;
    } bad[] = {
        {"SELECT ?", 1},   {"SELECT ?1", 1},     {"SELECT :a", 1},
        {"SELECT @a", 1},  {"SELECT $a", 1},     {"SELECT $0", 1},
        {"SELECT $01", 1}, {"SELECT $1", 2},     {"SELECT $2", 2},
        {"SELECT $3", 2},  {"SELECT $1, $2", 1}, {"SELECT 1; SELECT 2", 0},
        {"", 0},           {"SELEC 1", 0},       {"SELECT $99999999999999999999", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cb_error err;
        cb_store_rows *r = (cb_store_rows *)1;
        if (cb_store_query(s, bad[i].sql, ab, bad[i].n, &r, &err) != CB_EINVAL)
            fail_msg("accepted: %s with %zu values", bad[i].sql, bad[i].n);
        assert_null(r);
        assert_int_equal(cb_store_exec(s, bad[i].sql, ab, bad[i].n, NULL, &err), CB_EINVAL);
    }
    cb_error err;
    cb_store_value bad_text[] = {{CB_STORE_TEXT, 0, NULL}};
    assert_int_equal(cb_store_exec(s, "SELECT $1", bad_text, 1, NULL, &err), CB_EINVAL);
    /* A trailing semicolon is one statement. */
    assert_int_equal(cb_store_exec(s, "SELECT 1;", NULL, 0, NULL, &err), CB_OK);
    cb_store_close(s);
}

static void test_rows_iterator(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("rows.db"));
    cb_error err;
    int64_t changes = -1;
    assert_int_equal(
        cb_store_exec(s,
                      "INSERT INTO people (handle, name, role, coach, created, updated) VALUES"
                      " ('ann', 'Ann', 'publisher', 1, $1, $1), ('bob', 'Bob', 'candidate', 0, $1, $1)",
                      (cb_store_value[]){cb_store_text("2026-01-01T00:00:00Z")}, 1, &changes, &err),
        CB_OK);
    assert_int_equal(changes, 2);
    assert_int_equal(cb_store_exec(s, "UPDATE people SET coach = 1 WHERE coach = 0", NULL, 0, &changes, &err),
                     CB_OK);
    assert_int_equal(changes, 1);
    assert_int_equal(cb_store_exec(s, "CREATE TABLE scratch (x)", NULL, 0, &changes, &err), CB_OK);
    assert_int_equal(changes, 0);

    cb_store_rows *r;
    assert_int_equal(cb_store_query(s, "SELECT handle, coach, NULL, name FROM people ORDER BY handle DESC",
                                    NULL, 0, &r, &err),
                     CB_OK);
    assert_int_equal(cb_store_rows_columns(r), 4);
    bool row;
    const char *want[] = {"bob", "ann"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
        assert_true(row);
        assert_string_equal(cb_store_rows_text(r, 0), want[i]);
        assert_int_equal(cb_store_rows_int(r, 1), 1);
        assert_string_equal(cb_store_rows_text(r, 1), "1");
        assert_true(cb_store_rows_is_null(r, 2));
        assert_null(cb_store_rows_text(r, 2));
        assert_int_equal(cb_store_rows_int(r, 2), 0);
        assert_false(cb_store_rows_is_null(r, 3));
        assert_true(cb_store_rows_is_null(r, 4));
        assert_null(cb_store_rows_text(r, 4));
        assert_null(cb_store_rows_text(r, -1));
    }
    /* At the end it stays at the end (SQLite would run the query again if stepped). */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
        assert_false(row);
        assert_null(cb_store_rows_text(r, 0));
    }
    cb_store_rows_free(r);
    cb_store_rows_free(NULL);

    /* Parameters are copied: the rows outlive the caller's buffer. */
    char buf[8];
    snprintf(buf, sizeof buf, "ann");
    assert_int_equal(cb_store_query(s, "SELECT name FROM people WHERE handle = $1",
                                    (cb_store_value[]){cb_store_text(buf)}, 1, &r, &err),
                     CB_OK);
    memset(buf, 'x', sizeof buf - 1);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    assert_string_equal(cb_store_rows_text(r, 0), "Ann");
    cb_store_rows_free(r);

    /* RETURNING and ON CONFLICT (the portable upsert). */
    assert_int_equal(
        int_of(
            s,
            "INSERT INTO people (handle, name, role, created, updated) VALUES ('ann', 'Ann B', 'publisher',"
            " 'y', 'y') ON CONFLICT (handle) DO UPDATE SET name = excluded.name RETURNING length(name)",
            NULL, 0),
        5);
    assert_int_equal(count(s, "people"), 2);
    cb_store_close(s);
}

static void test_constraints(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("c.db"));
    cb_error err;
    static const char *const bad[] = {
        "INSERT INTO people (handle, name, role, created, updated) VALUES ('x', 'X', 'boss', 'x', 'x')",
        "INSERT INTO people (handle, name, role, created, updated) VALUES ('', 'X', 'candidate', 'x', 'x')",
        "INSERT INTO articles (id, title, state) VALUES ('KB-X-0001', 'T', 'draft')",
        "INSERT INTO articles (id, title, state, audience) VALUES ('KB-X-0001', 'T', 'wip', 'everyone')",
        "INSERT INTO articles (id, title, state, author) VALUES ('KB-X-0001', 'T', 'wip', 'nobody')",
        "INSERT INTO article_revisions (article, n, at, changes) VALUES ('KB-NONE-0001', 1, 'x', '{}')",
        "INSERT INTO cases (id, title, opened, severity) VALUES ('C-1', 'T', 'x', 5)",
        "INSERT INTO cases (id, title, opened, status) VALUES ('C-1', 'T', 'x', 'pending')",
        "INSERT INTO cases (id, title, opened, closed) VALUES ('C-1', 'T', 'x', 'y')",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cb_store_exec(s, bad[i], NULL, 0, NULL, &err) != CB_EINVAL)
            fail_msg("accepted: %s", bad[i]);
    assert_int_equal(count(s, "people") + count(s, "articles") + count(s, "cases"), 0);

    /* Links: an article that a case links to is not deleted; deleting a case removes its links. */
    exec_ok(s, "INSERT INTO articles (id, title, state) VALUES ('KB-X-0001', 'T', 'wip')", NULL, 0);
    exec_ok(s, "INSERT INTO cases (id, title, opened) VALUES ('C-1', 'T', 'x')", NULL, 0);
    exec_ok(
        s,
        "INSERT INTO article_links (case_id, article, type, at) VALUES ('C-1', 'KB-X-0001', 'reused', 'x')",
        NULL, 0);
    assert_int_equal(cb_store_exec(s,
                                   "INSERT INTO article_links (case_id, article, type, at) VALUES"
                                   " ('C-1', 'KB-X-0001', 'borrowed', 'x')",
                                   NULL, 0, NULL, &err),
                     CB_EINVAL);
    assert_int_equal(cb_store_exec(s, "DELETE FROM articles", NULL, 0, NULL, &err), CB_EINVAL);
    exec_ok(s, "DELETE FROM cases", NULL, 0);
    assert_int_equal(count(s, "article_links"), 0);
    exec_ok(s, "DELETE FROM articles", NULL, 0);
    cb_store_close(s);
}

static void test_now(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("now.db"));
    char now[CB_STORE_TIME_SIZE];
    cb_error err;
    assert_int_equal(cb_store_now(s, now, &err), CB_OK);
    assert_int_equal(strlen(now), 20);
    assert_int_equal(now[4], '-');
    assert_int_equal(now[10], 'T');
    assert_int_equal(now[19], 'Z');
    /* It is the system's UTC time. */
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char year[16];
    snprintf(year, sizeof year, "%04d", tm.tm_year + 1900);
    assert_memory_equal(now, year, 4);
    cb_store_close(s);
}

/* ---- transactions ---- */

static void test_transactions(void **state)
{
    (void)state;
    const char *path = at("tx.db");
    cb_store *s = open_ok(path);
    cb_error err;

    assert_false(cb_store_in_transaction(s));
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    assert_true(cb_store_in_transaction(s));
    add_person(s, "gone");
    assert_int_equal(cb_store_rollback(s, &err), CB_OK);
    assert_false(cb_store_in_transaction(s));
    assert_int_equal(count(s, "people"), 0);

    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    add_person(s, "kept");
    /* Nested begin is refused and leaves the open transaction as it was. */
    assert_int_equal(cb_store_begin(s, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "already open"));
    assert_true(cb_store_in_transaction(s));
    add_person(s, "kept2");
    assert_int_equal(cb_store_commit(s, &err), CB_OK);
    assert_int_equal(count(s, "people"), 2);

    assert_int_equal(cb_store_commit(s, &err), CB_EINVAL);
    assert_int_equal(cb_store_rollback(s, &err), CB_OK);

    /* A failing statement in the middle: the caller rolls back and nothing of it is written. */
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    add_person(s, "half");
    assert_int_equal(cb_store_exec(s,
                                   "INSERT INTO people (handle, name, role, created, updated) VALUES"
                                   " ('bad', 'B', 'boss', 'x', 'x')",
                                   NULL, 0, NULL, &err),
                     CB_EINVAL);
    assert_int_equal(cb_store_rollback(s, &err), CB_OK);
    assert_int_equal(count(s, "people"), 2);

    /* Closing with a transaction open rolls it back. */
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    add_person(s, "unsaved");
    cb_store_close(s);
    s = open_ok(path);
    assert_int_equal(count(s, "people"), 2);
    cb_store_close(s);
}

/* A second connection waits for the write lock up to its busy timeout, then fails with a clear error. */
static void test_busy_timeout(void **state)
{
    (void)state;
    const char *path = at("busy.db");
    cb_store *a = open_ok(path), *b;
    cb_store_opts o;
    cb_store_opts_init(&o);
    o.busy_timeout_ms = 150;
    cb_error err;
    assert_int_equal(cb_store_open(path, &o, &b, &err), CB_OK);
    assert_int_equal(cb_store_begin(a, &err), CB_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(cb_store_begin(b, &err), CB_EIO);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_true(ms >= 100);
    if (!strstr(err.msg, "busy timeout, 150 ms"))
        fail_msg("message: %s", err.msg);
    assert_false(cb_store_in_transaction(b));
    /* Readers are not blocked by the writer (WAL). */
    assert_int_equal(count(b, "people"), 0);
    assert_int_equal(cb_store_commit(a, &err), CB_OK);
    assert_int_equal(cb_store_begin(b, &err), CB_OK);
    assert_int_equal(cb_store_commit(b, &err), CB_OK);
    cb_store_close(a);
    cb_store_close(b);
}

/*
 * The SQLite backend keeps prepared statements per connection, keyed by SQL
 * text: the same SQL with other values, the same SQL while a rows object of it
 * is open, more open rows than the cache holds, a failed call, a schema
 * change and close with statements cached must all behave as without it.
 */
static void test_statement_cache(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("cache.db"));
    cb_error err;
    /* The same SQL, different values, each time. */
    for (int i = 0; i < 5; i++) {
        char h[16];
        snprintf(h, sizeof h, "p%d", i);
        add_person(s, h);
    }
    assert_int_equal(count(s, "people"), 5);
    for (int i = 4; i >= 0; i--) {
        char h[16];
        snprintf(h, sizeof h, "p%d", i);
        assert_string_equal(text_of(s, "SELECT name FROM people WHERE handle = $1",
                                    (cb_store_value[]){cb_store_text(h)}, 1),
                            h);
    }
    /* The same SQL while rows of it are open: each rows object has a statement of its own. */
    const char *all = "SELECT handle FROM people ORDER BY handle";
    cb_store_rows *r1, *r2, *r3;
    bool row;
    assert_int_equal(cb_store_query(s, all, NULL, 0, &r1, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r1, &row, &err), CB_OK);
    assert_string_equal(cb_store_rows_text(r1, 0), "p0");
    assert_int_equal(cb_store_query(s, all, NULL, 0, &r2, &err), CB_OK);
    assert_int_equal(cb_store_query(s, all, NULL, 0, &r3, &err), CB_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(cb_store_rows_next(r2, &row, &err), CB_OK);
        assert_true(row);
        char h[16];
        snprintf(h, sizeof h, "p%d", i);
        assert_string_equal(cb_store_rows_text(r2, 0), h);
    }
    assert_int_equal(cb_store_rows_next(r2, &row, &err), CB_OK);
    assert_false(row);
    assert_int_equal(cb_store_rows_next(r1, &row, &err), CB_OK);
    assert_string_equal(cb_store_rows_text(r1, 0), "p1"); /* r1 kept its place */
    assert_int_equal(cb_store_rows_next(r3, &row, &err), CB_OK);
    assert_string_equal(cb_store_rows_text(r3, 0), "p0");
    cb_store_rows_free(r2);
    /* Freed, the statement is reset: the same SQL starts again from the first row. */
    assert_string_equal(text_of(s, all, NULL, 0), "p0");
    cb_store_rows_free(r1);
    cb_store_rows_free(r3);
    assert_string_equal(text_of(s, all, NULL, 0), "p0");

    /* More open rows, of more distinct statements, than any cache holds: each still reads its own. */
    enum { MANY = 80 };
    cb_store_rows *many[MANY];
    for (int i = 0; i < MANY; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d + $1", i);
        assert_int_equal(cb_store_query(s, sql, (cb_store_value[]){cb_store_int(1000)}, 1, &many[i], &err), CB_OK);
    }
    for (int i = MANY - 1; i >= 0; i--) {
        assert_int_equal(cb_store_rows_next(many[i], &row, &err), CB_OK);
        assert_true(row);
        assert_int_equal(cb_store_rows_int(many[i], 0), 1000 + i);
        cb_store_rows_free(many[i]);
    }
    for (int i = 0; i < MANY; i++) { /* again, now that they are (partly) cached */
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d + $1", i);
        assert_int_equal(int_of(s, sql, (cb_store_value[]){cb_store_int(i)}, 1), 2 * i);
    }

    /* A failed call leaves the cached statement usable; values are checked on every call. */
    const char *ins = "INSERT INTO people (handle, name, role, created, updated) VALUES ($1, $1, $2, 'x', 'x')";
    assert_int_equal(
        cb_store_exec(s, ins, (cb_store_value[]){cb_store_text("q1"), cb_store_text("king")}, 2, NULL, &err),
        CB_EINVAL); /* CHECK (role IN ...) */
    assert_int_equal(cb_store_exec(s, ins, (cb_store_value[]){cb_store_text("q1")}, 1, NULL, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "$2"));
    exec_ok(s, ins, (cb_store_value[]){cb_store_text("q1"), cb_store_text("candidate")}, 2);
    assert_int_equal(count(s, "people"), 6);
    assert_int_equal(cb_store_exec(s, ins, (cb_store_value[]){cb_store_text("q1"), cb_store_text("candidate")}, 2,
                                   NULL, &err),
                     CB_EINVAL); /* UNIQUE */
    assert_int_equal(cb_store_begin(s, &err), CB_OK); /* the failed statement holds no lock */
    exec_ok(s, ins, (cb_store_value[]){cb_store_text("q2"), cb_store_text("candidate")}, 2);
    assert_int_equal(cb_store_commit(s, &err), CB_OK);

    /* A cached statement follows a change of the schema. */
    exec_ok(s, "CREATE TABLE scratch (a)", NULL, 0);
    exec_ok(s, "INSERT INTO scratch VALUES (1)", NULL, 0);
    assert_int_equal(cb_store_query(s, "SELECT * FROM scratch", NULL, 0, &r1, &err), CB_OK);
    assert_int_equal(cb_store_rows_columns(r1), 1);
    cb_store_rows_free(r1);
    exec_ok(s, "ALTER TABLE scratch ADD COLUMN b DEFAULT 7", NULL, 0);
    assert_int_equal(cb_store_query(s, "SELECT * FROM scratch", NULL, 0, &r1, &err), CB_OK);
    assert_int_equal(cb_store_rows_columns(r1), 2);
    assert_int_equal(cb_store_rows_next(r1, &row, &err), CB_OK);
    assert_int_equal(cb_store_rows_int(r1, 1), 7);
    cb_store_rows_free(r1);

    /* Close with statements cached (the sanitizer and valgrind runs check nothing leaks), then reopen. */
    cb_store_close(s);
    s = open_ok(at("cache.db"));
    assert_int_equal(count(s, "people"), 7);
    cb_store_close(s);
}

/* ---- full-text search ---- */

static void add_article(cb_store *s, const char *id, const char *state, const char *title, const char *issue,
                        const char *env, const char *cause, const char *resolution)
{
    cb_store_value p[] = {cb_store_text(id), cb_store_text(title), cb_store_text(state)};
    exec_ok(s, "INSERT INTO articles (id, title, state) VALUES ($1, $2, $3)", p, 3);
    cb_error err;
    if (cb_store_fts_index(s, id, title, issue, env, cause, resolution, &err))
        fail_msg("index %s: %s", id, err.msg);
}

static cb_store *kb(const char *name)
{
    cb_store *s = open_ok(at(name));
    cb_error err;
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    add_article(s, "KB-NET-0001", "validated",
                "Replication stalls with connection resets when the path MTU is smaller than the proxies'",
                "Replication jobs stall and fail with \"An existing connection was forcibly closed by the "
                "remote host\""
                " (WSAECONNRESET, 10054).",
                "Veeam Backup & Replication 12, proxies across a VPN", "Path MTU black hole",
                "Lower the MTU on the proxies or allow ICMP fragmentation-needed.");
    add_article(s, "KB-WIN-0002", "not-validated", "Windows update fails with 0x800f0805",
                "Installing the cumulative update fails with error 0x800f0805.", "Windows Server 2019", NULL,
                "Run DISM /Online /Cleanup-Image /RestoreHealth, then retry.");
    add_article(s, "KB-DNS-0003", "wip", "Name resolution is slow",
                "Lookups take seconds; the resolver retries.", "Linux, systemd-resolved", NULL,
                "Resolve by removing the dead nameserver.");
    add_article(s, "KB-OLD-0004", "archived", "Connection closed by old proxy",
                "The old proxy closed the connection forcibly.", NULL, NULL, "Upgrade.");
    /* "closed" only in the resolution: ranks below the title and issue matches. */
    add_article(s, "KB-LOW-0005", "validated", "Backup copy is slow", "Copy jobs run at 1 MB/s.", NULL, NULL,
                "Once the old sessions are closed, restart the job.");
    assert_int_equal(cb_store_commit(s, &err), CB_OK);
    return s;
}

typedef struct {
    char *words[8], *phrases[8], *prefixes[8];
    size_t nw, np, nx;
} terms;

static void search(cb_store *s, const terms *t, bool any, bool all, cb_store_fts_results *out)
{
    cb_store_fts_query q = {t->words, t->nw, t->phrases, t->np, t->prefixes, t->nx, any, NULL, NULL};
    cb_error err;
    cb_status st = cb_store_fts_search(s, &q, 10, all, out, &err);
    if (st)
        fail_msg("search: %s", err.msg);
}

/* The ids found, joined by spaces. */
static const char *ids(cb_store *s, const terms *t, bool any, bool all)
{
    static char buf[512];
    cb_store_fts_results r;
    search(s, t, any, all, &r);
    buf[0] = '\0';
    for (size_t i = 0; i < r.n; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "", r.hits[i].id);
    }
    cb_store_fts_results_release(&r);
    return buf;
}

#define WORDS(...) (&(terms){.words = {__VA_ARGS__}, .nw = sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)})
#define PHRASES(...)                                                                                         \
    (&(terms){.phrases = {__VA_ARGS__}, .np = sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)})
#define PREFIXES(...)                                                                                        \
    (&(terms){.prefixes = {__VA_ARGS__}, .nx = sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)})

static void test_fts_terms(void **state)
{
    (void)state;
    cb_store *s = kb("fts.db");
    /* Error strings with punctuation and digits. */
    assert_string_equal(ids(s, WORDS("0x800f0805"), false, false), "KB-WIN-0002");
    assert_string_equal(ids(s, WORDS("WSAECONNRESET"), false, false), "KB-NET-0001");
    assert_string_equal(ids(s, WORDS("wsaeconnreset", "10054"), false, false), "KB-NET-0001");
    /* Stemming: "stalling" finds "stall", "replications" finds "Replication". */
    assert_string_equal(ids(s, WORDS("stalling", "replications"), false, false), "KB-NET-0001");
    /* All words must match, or any of them. */
    assert_string_equal(ids(s, WORDS("0x800f0805", "wsaeconnreset"), false, false), "");
    assert_string_equal(ids(s, WORDS("0x800f0805", "wsaeconnreset"), true, false), "KB-WIN-0002 KB-NET-0001");
    /* Phrases: in a row; the archived article only when asked for. */
    assert_string_equal(ids(s, PHRASES("forcibly closed"), false, false), "KB-NET-0001");
    assert_string_equal(ids(s, PHRASES("forcibly closed"), false, true), "KB-NET-0001");
    assert_string_equal(ids(s, PHRASES("closed forcibly"), false, false), "");
    assert_string_equal(ids(s, WORDS("closed", "forcibly"), false, true), "KB-OLD-0004 KB-NET-0001");
    /* Prefixes. */
    assert_string_equal(ids(s, PREFIXES("resolv"), false, false), "KB-DNS-0003");
    assert_string_equal(ids(s, PREFIXES("0x800f"), false, false), "KB-WIN-0002");
    assert_string_equal(ids(s, PREFIXES("nomatch"), false, false), "");
    /* A word with a separator inside is its tokens in a row. */
    assert_string_equal(ids(s, WORDS("systemd-resolved"), false, false), "KB-DNS-0003");
    assert_string_equal(ids(s, WORDS("resolved-systemd"), false, false), "");
    /* Mixed lists. */
    terms mixed = {.words = {"proxies"},
                   .nw = 1,
                   .phrases = {"remote host"},
                   .np = 1,
                   .prefixes = {"fragment"},
                   .nx = 1};
    assert_string_equal(ids(s, &mixed, false, false), "KB-NET-0001");
    /* Weights: a title or issue match ranks above a resolution-only match. */
    assert_string_equal(ids(s, WORDS("closed"), false, true), "KB-OLD-0004 KB-NET-0001 KB-LOW-0005");
    /* Terms without a letter or digit are ignored; with none left, nothing is found. */
    assert_string_equal(ids(s, WORDS("()", "0x800f0805", "--"), false, false), "KB-WIN-0002");
    assert_string_equal(ids(s, WORDS("()", "\"\""), false, false), "");
    terms none = {.nw = 0};
    assert_string_equal(ids(s, &none, false, false), "");

    cb_error err;
    cb_store_fts_results r;
    cb_store_fts_query q = {.words = (char *[]){"x"}, .nwords = 1};
    assert_int_equal(cb_store_fts_search(s, &q, 0, false, &r, &err), CB_EINVAL);
    assert_int_equal(r.n, 0);
    cb_store_close(s);
}

static void test_fts_snippets_and_scores(void **state)
{
    (void)state;
    cb_store *s = kb("snip.db");
    cb_store_fts_results r;
    search(s, PHRASES("forcibly closed"), false, false, &r);
    assert_int_equal(r.n, 1);
    /* A phrase is marked as one match. */
    if (!strstr(r.hits[0].snippet, "connection was [forcibly closed] by the"))
        fail_msg("snippet: %s", r.hits[0].snippet);
    assert_true(r.hits[0].score > 0);
    cb_store_fts_results_release(&r);
    cb_store_fts_results_release(&r); /* twice is harmless */
    cb_store_fts_results_release(NULL);

    cb_store_fts_query q = {.words = (char *[]){"dism", "0x800f0805"},
                            .nwords = 2,
                            .any = true,
                            .mark_open = "<mark>",
                            .mark_close = "</mark>"};
    cb_error err;
    assert_int_equal(cb_store_fts_search(s, &q, 10, false, &r, &err), CB_OK);
    assert_int_equal(r.n, 1);
    if (!strstr(r.hits[0].snippet, "<mark>0x800f0805</mark>"))
        fail_msg("snippet: %s", r.hits[0].snippet);
    cb_store_fts_results_release(&r);

    /* The limit, and the scores in order. */
    q = (cb_store_fts_query){.words = (char *[]){"closed", "slow"}, .nwords = 2, .any = true};
    assert_int_equal(cb_store_fts_search(s, &q, 2, true, &r, &err), CB_OK);
    assert_int_equal(r.n, 2);
    assert_true(r.hits[0].score >= r.hits[1].score);
    cb_store_fts_results_release(&r);
    cb_store_close(s);
}

/*
 * Ranking on a larger base: the best rows come out of the index first and only
 * they are looked up, so archived articles ranked first and ties past the rows
 * read must still give the best `limit` live articles, ties by id; and an
 * any-term search leaves out terms in more than 1 article in 10 while rarer
 * ones remain.
 */
static void test_fts_ranked_large(void **state)
{
    (void)state;
    cb_store *s = open_ok(at("large.db"));
    cb_error err;
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    char id[32], title[128];
    /* 3,000 articles that all say "common"; ids written from the last so that rowid order is not id order. */
    for (int i = 2999; i >= 0; i--) {
        snprintf(id, sizeof id, "KB-GEN-%04d", i);
        snprintf(title, sizeof title, "Generic article %d about something common", i);
        add_article(s, id, i % 3 == 0 ? "archived" : "validated", title,
                    i % 2 == 0 ? "common words only, even" : "common words only, odd", NULL, NULL, NULL);
    }
    /* 60 that say "zebra" in the title, the 40 best of them archived (a shorter title ranks higher). */
    for (int i = 59; i >= 0; i--) {
        snprintf(id, sizeof id, "KB-ZEB-%04d", i);
        snprintf(title, sizeof title, i < 40 ? "zebra common" : "zebra common and a longer title");
        add_article(s, id, i < 40 ? "archived" : "validated", title, "common", NULL, NULL, NULL);
    }
    /* Rare words: one article with both, one with "okapi" and "common" only. */
    add_article(s, "KB-RARE-0001", "validated", "okapi quagga", "common", NULL, NULL, NULL);
    add_article(s, "KB-RARE-0002", "validated", "okapi", "common", NULL, NULL, NULL);
    assert_int_equal(cb_store_commit(s, &err), CB_OK);

    /* Past 40 archived zebras (more than the rows first read), the 5 live ones, equal scores in id order. */
    cb_store_fts_query q = {.words = (char *[]){"zebra"}, .nwords = 1};
    cb_store_fts_results r;
    assert_int_equal(cb_store_fts_search(s, &q, 5, false, &r, &err), CB_OK);
    assert_int_equal(r.n, 5);
    for (size_t i = 0; i < r.n; i++) {
        snprintf(id, sizeof id, "KB-ZEB-%04zu", 40 + i);
        assert_string_equal(r.hits[i].id, id);
        assert_true(r.hits[i].score == r.hits[0].score);
        assert_non_null(strstr(r.hits[i].snippet, "[zebra]"));
    }
    cb_store_fts_results_release(&r);
    assert_int_equal(cb_store_fts_search(s, &q, 5, true, &r, &err), CB_OK);
    assert_string_equal(r.hits[0].id, "KB-ZEB-0000");
    assert_string_equal(r.hits[4].id, "KB-ZEB-0004");
    cb_store_fts_results_release(&r);
    /* Ties past the first rows read: 2,000 live articles score the same on "generic"; the first 3 by id. */
    q = (cb_store_fts_query){.words = (char *[]){"generic"}, .nwords = 1};
    assert_int_equal(cb_store_fts_search(s, &q, 3, false, &r, &err), CB_OK);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.hits[0].id, "KB-GEN-0001");
    assert_string_equal(r.hits[1].id, "KB-GEN-0002");
    assert_string_equal(r.hits[2].id, "KB-GEN-0004");
    cb_store_fts_results_release(&r);

    /* Any term: "common" (in every article) is left out while okapi and quagga remain. */
    q = (cb_store_fts_query){.words = (char *[]){"common", "okapi", "quagga"}, .nwords = 3, .any = true};
    assert_int_equal(cb_store_fts_search(s, &q, 100, false, &r, &err), CB_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.hits[0].id, "KB-RARE-0001");
    assert_string_equal(r.hits[1].id, "KB-RARE-0002");
    assert_null(strstr(r.hits[1].snippet, "[common]"));
    cb_store_fts_results_release(&r);
    /* Every term common: the two rarest are kept ("even" 1,500 and "generic" 3,000 articles; not "common"). */
    q = (cb_store_fts_query){.words = (char *[]){"common", "generic", "even"}, .nwords = 3, .any = true};
    assert_int_equal(cb_store_fts_search(s, &q, 5000, true, &r, &err), CB_OK);
    assert_int_equal(r.n, 3000);
    assert_string_equal(r.hits[0].id, "KB-GEN-0000"); /* both words, lowest id */
    assert_string_equal(r.hits[1].id, "KB-GEN-0002");
    cb_store_fts_results_release(&r);
    /* An all-terms search never leaves a term out. */
    q = (cb_store_fts_query){.words = (char *[]){"common", "okapi"}, .nwords = 2};
    assert_int_equal(cb_store_fts_search(s, &q, 100, false, &r, &err), CB_OK);
    assert_int_equal(r.n, 2);
    cb_store_fts_results_release(&r);
    cb_store_close(s);
}

static void test_fts_index_remove(void **state)
{
    (void)state;
    cb_store *s = kb("idx.db");
    cb_error err;
    /* Re-indexing replaces: the old words go. */
    assert_int_equal(cb_store_fts_index(s, "KB-WIN-0002", "Windows update fails", "error 0x80070002", NULL,
                                        NULL, NULL, &err),
                     CB_OK);
    assert_string_equal(ids(s, WORDS("0x800f0805"), false, false), "");
    assert_string_equal(ids(s, WORDS("0x80070002"), false, false), "KB-WIN-0002");
    assert_int_equal(count(s, "article_fts"), 5);

    assert_int_equal(cb_store_fts_remove(s, "KB-WIN-0002", &err), CB_OK);
    assert_string_equal(ids(s, WORDS("windows"), false, true), "");
    assert_int_equal(cb_store_fts_remove(s, "KB-WIN-0002", &err), CB_OK);
    assert_int_equal(cb_store_fts_remove(s, "KB-NONE-0009", &err), CB_OK);
    assert_int_equal(count(s, "article_fts"), 4);

    assert_int_equal(cb_store_fts_index(s, "KB-NONE-0009", "t", NULL, NULL, NULL, NULL, &err), CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "KB-NONE-0009"));

    /* Deleting the article deletes its entry. */
    exec_ok(s, "DELETE FROM articles WHERE id = 'KB-DNS-0003'", NULL, 0);
    assert_string_equal(ids(s, PREFIXES("resolv"), false, true), "");
    assert_int_equal(count(s, "article_fts"), 3);
    assert_int_equal(count(s, "article_fts_docs"), 3);

    /* Inside a caller's transaction the index follows its rollback. */
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    add_article(s, "KB-NEW-0006", "wip", "Quokka sightings", "quokka", NULL, NULL, NULL);
    assert_string_equal(ids(s, WORDS("quokka"), false, false), "KB-NEW-0006");
    assert_int_equal(cb_store_rollback(s, &err), CB_OK);
    assert_string_equal(ids(s, WORDS("quokka"), false, false), "");
    cb_store_close(s);
}

/* No query string, however hostile, reaches FTS5 as syntax: every search succeeds. */
static void test_fts_hostile(void **state)
{
    (void)state;
    cb_store *s = kb("hostile.db");
    static char long_term[6000];
    memset(long_term, 'a', sizeof long_term - 1);
    char *const hostile[] = {
        "\"",
        "\"\"",
        "\"a",
        "a\"b",
        "a\"\"b",
        "(",
        ")",
        "(a OR b",
        "NEAR(a b)",
        "NEAR(a b, 2)",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "a AND",
        "OR b",
        "a NOT b",
        "*",
        "a*",
        "*a",
        "^a",
        "^",
        "title:foo",
        "{title issue}:x",
        "-title:x",
        "issue : x",
        "article_fts:x",
        "rowid:1",
        "+",
        "-x",
        ":",
        "'",
        "\\",
        "%",
        "a;b",
        "\"closed\" OR \"x\"",
        "closed)",
        "\x01\x02",
        "\xff\xfe",
        "\xc3\xa9t\xc3\xa9",
        "x\"*",
        "\"forcibly closed\"",
        "0x800f0805\"",
        long_term,
    };
    size_t n = sizeof hostile / sizeof *hostile;
    for (size_t i = 0; i < n; i++)
        for (int list = 0; list < 3; list++)
            for (int any = 0; any < 2; any++) {
                char *one[] = {hostile[i], "closed"};
                cb_store_fts_query q = {.any = any};
                if (list == 0) {
                    q.words = one;
                    q.nwords = 2;
                } else if (list == 1) {
                    q.phrases = one;
                    q.nphrases = 2;
                } else {
                    q.prefixes = one;
                    q.nprefixes = 2;
                }
                cb_store_fts_results r;
                cb_error err;
                if (cb_store_fts_search(s, &q, 10, true, &r, &err))
                    fail_msg("term %zu in list %d (any %d): %s", i, list, any, err.msg);
                cb_store_fts_results_release(&r);
            }
    /* All of them at once, in every list, and 500 terms in one query. */
    cb_store_fts_query all = {hostile, n, hostile, n, hostile, n, true, "(", ")"};
    cb_store_fts_results r;
    cb_error err;
    assert_int_equal(cb_store_fts_search(s, &all, 10, true, &r, &err), CB_OK);
    assert_true(r.n >= 1);
    cb_store_fts_results_release(&r);
    static char words[500][8];
    char *many[500];
    for (int i = 0; i < 500; i++) {
        snprintf(words[i], sizeof words[i], "w%d", i);
        many[i] = words[i];
    }
    many[499] = "closed";
    cb_store_fts_query big = {.words = many, .nwords = 500, .any = true};
    assert_int_equal(cb_store_fts_search(s, &big, 10, true, &r, &err), CB_OK);
    assert_int_equal(r.n, 3);
    cb_store_fts_results_release(&r);
    /* A quote inside a term is text: the term "closed" with a quote after it still finds "closed". */
    assert_string_equal(ids(s, WORDS("closed\""), false, true), "KB-OLD-0004 KB-NET-0001 KB-LOW-0005");
    cb_store_close(s);
}

/* ---- processes ---- */

enum { WRITES = 60 };

/* Open the (possibly new) database and write WRITES rows, one transaction each.  Exit status 0 when all went
 * in. */
static void writer(const char *path, int id, int go)
{
    char c;
    if (read(go, &c, 1) != 1)
        _exit(10);
    cb_store *s;
    cb_error err;
    if (cb_store_open(path, NULL, &s, &err)) {
        fprintf(stderr, "writer %d: %s\n", id, err.msg);
        _exit(11);
    }
    /*
     * Each note is numbered as the case layer will number them, n = MAX(n) + 1 read in the transaction that
     * inserts it: the write lock taken at begin is what keeps two writers from both reading the same MAX.
     */
    static const char *const steps[] = {
        "INSERT INTO cases (id, title, opened) VALUES ('C-1', 'race', 'x') ON CONFLICT (id) DO NOTHING",
        "INSERT INTO case_notes (case_id, n, at, body)"
        " SELECT 'C-1', COALESCE(MAX(n), 0) + 1, 'x', $1 FROM case_notes WHERE case_id = 'C-1'",
    };
    for (int i = 0; i < WRITES; i++) {
        char body[32];
        snprintf(body, sizeof body, "w%d-%d", id, i);
        cb_store_value p[] = {cb_store_text(body)};
        if (cb_store_begin(s, &err) || cb_store_exec(s, steps[0], NULL, 0, NULL, &err) ||
            cb_store_exec(s, steps[1], p, 1, NULL, &err) || cb_store_commit(s, &err)) {
            fprintf(stderr, "writer %d, note %d: %s\n", id, i, err.msg);
            _exit(12);
        }
    }
    cb_store_close(s);
    _exit(0);
}

static void test_two_processes_write(void **state)
{
    (void)state;
    /* Both open the same database that does not exist yet: they race on creating and migrating it too. */
    const char *path = at("race/casebook.db");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid[2];
    for (int i = 0; i < 2; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            close(fds[1]);
            writer(path, i, fds[0]);
        }
    }
    close(fds[0]);
    assert_int_equal(write(fds[1], "gg", 2), 2);
    close(fds[1]);
    for (int i = 0; i < 2; i++) {
        int status;
        assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    cb_store *s = open_ok(path);
    assert_int_equal(count(s, "case_notes"), 2 * WRITES);
    assert_int_equal(int_of(s, "SELECT count(DISTINCT body) FROM case_notes", NULL, 0), 2 * WRITES);
    assert_int_equal(int_of(s, "SELECT MAX(n) FROM case_notes", NULL, 0), 2 * WRITES);
    assert_int_equal(count(s, "schema_migrations"), CB_STORE_SCHEMA_VERSION);
    cb_store_close(s);
}

static void test_killed_in_transaction(void **state)
{
    (void)state;
    const char *path = at("killed.db");
    cb_store *s = open_ok(path);
    cb_store_close(s);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        cb_error err;
        if (cb_store_open(path, NULL, &s, &err))
            _exit(11);
        /* One transaction that commits, then a long one, large enough for SQLite to spill pages into the WAL.
         */
        if (cb_store_begin(s, &err))
            _exit(12);
        for (int i = 0; i < 10; i++) {
            char h[32];
            snprintf(h, sizeof h, "kept%d", i);
            cb_store_value p[] = {cb_store_text(h)};
            if (cb_store_exec(s,
                              "INSERT INTO people (handle, name, role, created, updated) VALUES ($1, $1,"
                              " 'candidate', 'x', 'x')",
                              p, 1, NULL, &err))
                _exit(13);
        }
        if (cb_store_commit(s, &err) || cb_store_begin(s, &err))
            _exit(14);
        static char body[4096];
        memset(body, 'z', sizeof body - 1);
        for (int i = 0; i < 3000; i++) {
            char h[32];
            snprintf(h, sizeof h, "lost%d", i);
            cb_store_value p[] = {cb_store_text(h), cb_store_text(body)};
            if (cb_store_exec(s,
                              "INSERT INTO people (handle, name, role, created, updated) VALUES ($1, $2,"
                              " 'candidate', 'x', 'x')",
                              p, 2, NULL, &err))
                _exit(15);
        }
        if (write(fds[1], "k", 1) != 1)
            _exit(16);
        for (;;)
            pause();
    }
    close(fds[1]);
    char c;
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    struct stat sb;
    assert_int_equal(stat(at("killed.db-wal"), &sb), 0);
    assert_true(sb.st_size > 1 << 20); /* the transaction was partly on disk when it died */
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));

    s = open_ok(path);
    assert_string_equal(text_of(s, "PRAGMA integrity_check", NULL, 0), "ok");
    assert_int_equal(count(s, "people"), 10);
    assert_int_equal(int_of(s, "SELECT count(*) FROM people WHERE handle LIKE 'lost%'", NULL, 0), 0);
    /* And it takes writes again. */
    add_person(s, "after");
    assert_int_equal(count(s, "people"), 11);
    cb_store_close(s);
}

/* ---- default path ---- */

static void test_default_path(void **state)
{
    (void)state;
    char *saved[3];
    const char *names[3] = {"CASEBOOK_DB", "XDG_DATA_HOME", "HOME"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(names[i]);
        saved[i] = v ? strdup(v) : NULL;
    }
    char *p;
    cb_error err;
    setenv("CASEBOOK_DB", "/x/my.db", 1);
    setenv("XDG_DATA_HOME", "/xdg", 1);
    setenv("HOME", "/home/u", 1);
    assert_int_equal(cb_store_default_path(&p, &err), CB_OK);
    assert_string_equal(p, "/x/my.db");
    free(p);
    setenv("CASEBOOK_DB", "", 1);
    assert_int_equal(cb_store_default_path(&p, &err), CB_OK);
    assert_string_equal(p, "/xdg/casebook/casebook.db");
    free(p);
    unsetenv("CASEBOOK_DB");
    setenv("XDG_DATA_HOME", "relative/dir", 1);
    assert_int_equal(cb_store_default_path(&p, &err), CB_OK);
    assert_string_equal(p, "/home/u/.local/share/casebook/casebook.db");
    free(p);
    unsetenv("XDG_DATA_HOME");
    assert_int_equal(cb_store_default_path(&p, &err), CB_OK);
    assert_string_equal(p, "/home/u/.local/share/casebook/casebook.db");
    free(p);
    unsetenv("HOME");
    assert_int_equal(cb_store_default_path(&p, &err), CB_ENOTFOUND);
    assert_null(p);
    assert_non_null(strstr(err.msg, "CASEBOOK_DB"));
    for (int i = 0; i < 3; i++) {
        if (saved[i])
            setenv(names[i], saved[i], 1);
        else
            unsetenv(names[i]);
        free(saved[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_and_migrates),
        cmocka_unit_test(test_reopen_is_noop),
        cmocka_unit_test(test_newer_version_refused),
        cmocka_unit_test(test_foreign_files_refused),
        cmocka_unit_test(test_options_checked),
        cmocka_unit_test(test_relative_path_not_uri),
        cmocka_unit_test(test_placeholders_bind_by_number),
        cmocka_unit_test(test_rows_iterator),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_now),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_busy_timeout),
        cmocka_unit_test(test_statement_cache),
        cmocka_unit_test(test_fts_terms),
        cmocka_unit_test(test_fts_snippets_and_scores),
        cmocka_unit_test(test_fts_index_remove),
        cmocka_unit_test(test_fts_ranked_large),
        cmocka_unit_test(test_fts_hostile),
        cmocka_unit_test(test_two_processes_write),
        cmocka_unit_test(test_killed_in_transaction),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
