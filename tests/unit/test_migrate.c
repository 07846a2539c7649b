/*
 * test_migrate.c — schema migrations, data-driven over the versions: for
 * every version k from 0 (an empty file) to CB_STORE_SCHEMA_VERSION, a
 * database is built as casebook k left it, by applying only the steps of
 * versions <= k straight from the step lists (src/store/store_int.h), not
 * through the migration code under test; it is filled with sample rows, then
 * opened with cb_store_open, which must bring it to every later version
 * with its rows kept, each version recorded once, and exactly the schema a
 * new database gets.  Nothing here names a version but the sample rows
 * (each tagged with the version it needs): a schema 2 is covered from 0 and
 * from 1 without editing this file.
 *
 * A migration killed with SIGKILL at any of its disk writes (killvfs.h)
 * leaves a database at one of the versions, whole, with its rows, which the
 * next open finishes.
 *
 * Then the refusals, each of which must leave the file byte for byte as it
 * was and add no file beside it: a database of a newer casebook (naming both
 * versions), files that are not databases, and SQLite databases that are not
 * casebook's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "casebook/store.h"
#include "store/store_int.h"

#include "killvfs.h"
#include "tmpdir.h"

enum { V = CB_STORE_SCHEMA_VERSION };

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-migrate");
}

/* ---- helpers on raw SQLite, which does not go through the code under test ---- */

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("sqlite3_open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    /* What this connection writes need not wait for the disk: the tests never crash it. */
    sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* Append the rows of `sql`, every column as text, one line per row, to a growing heap string. */
static char *raw_dump(sqlite3 *db, const char *sql, char *acc)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    size_t len = acc ? strlen(acc) : 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            if (!t)
                t = "<null>";
            size_t n = strlen(t);
            acc = realloc(acc, len + n + 3);
            assert_non_null(acc);
            memcpy(acc + len, t, n);
            len += n;
            acc[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
            acc[len] = '\0';
        }
    }
    if (rc != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (!acc)
        acc = calloc(1, 1);
    return acc;
}

/* The schema: every table, index, trigger and view with its SQL, in name order. */
static char *schema_of(sqlite3 *db)
{
    return raw_dump(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", NULL);
}

/*
 * Every row of every table of db that `cols_db` has (the virtual table article_fts read through its
 * columns, not its shadow tables; schema_migrations, which migrating adds to, is checked on its own),
 * reading only the columns `cols_db` has in that table, so that a later version may add columns without the
 * rows looking changed.  Tables in name order, rows ordered by every column.
 */
static char *rows_of(sqlite3 *db, sqlite3 *cols_db)
{
    char *tables =
        raw_dump(cols_db,
                 "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')"
                 " AND name NOT LIKE 'sqlite^_%' ESCAPE '^' AND name <> 'schema_migrations' ORDER BY name",
                 NULL);
    char *acc = calloc(1, 1);
    assert_non_null(acc);
    for (char *t = tables, *nl; *t; t = nl + 1) {
        nl = strchr(t, '\n');
        *nl = '\0';
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT group_concat(name, ', ') FROM pragma_table_info('%s')", t);
        char *cols = raw_dump(cols_db, sql, NULL);
        cols[strcspn(cols, "\n")] = '\0';
        /* Ordered by every column: the table's name is column 1, its own columns 2 to n + 1. */
        char order[256] = "2";
        int ncols = 1;
        for (const char *p = cols; *p; p++)
            ncols += *p == ',';
        for (int c = 3; c <= ncols + 1; c++)
            snprintf(order + strlen(order), sizeof order - strlen(order), ", %d", c);
        size_t qn = strlen(cols) + 2 * strlen(t) + strlen(order) + 64;
        char *q = malloc(qn);
        assert_non_null(q);
        snprintf(q, qn, "SELECT '%s', %s FROM %s ORDER BY %s", t, cols, t, order);
        acc = raw_dump(db, q, acc);
        free(q);
        free(cols);
    }
    free(tables);
    return acc;
}

/* ---- building a database as casebook k left it ---- */

/*
 * Apply the steps of versions 1..k in the order the migration applies them (each version's portable steps,
 * then the backend's), each version in a transaction recorded in schema_migrations with a made-up date.
 */
static void build_at(const char *path, int k)
{
    FILE *f = fopen(path, "wb"); /* version 0: an empty file */
    assert_non_null(f);
    fclose(f);
    if (k == 0)
        return;
    sqlite3 *db = raw_open(path);
    raw_exec(db, "PRAGMA journal_mode = WAL");
    raw_exec(db, "PRAGMA foreign_keys = ON");
    for (int v = 1; v <= k; v++) {
        raw_exec(db, "BEGIN IMMEDIATE");
        for (size_t i = 0; i < cb__store_schema_len; i++)
            if (cb__store_schema[i].version == v)
                raw_exec(db, cb__store_schema[i].sql);
        for (size_t i = 0; i < cb__store_sqlite.nsteps; i++)
            if (cb__store_sqlite.steps[i].version == v)
                raw_exec(db, cb__store_sqlite.steps[i].sql);
        char sql[128];
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_migrations (version, applied) VALUES (%d, '2020-01-%02dT00:00:00Z')", v,
                 v % 28 + 1);
        raw_exec(db, sql);
        raw_exec(db, "COMMIT");
    }
    sqlite3_close(db);
}

/*
 * Sample rows, each with the schema version it needs: every table of that version gets some, with the
 * lists, numbered things and foreign keys the upper layers write.  A new version adds its own here; the
 * earlier ones stay as they are (they are what an older casebook wrote).
 */
static const struct sample {
    int version;
    const char *sql;
} samples[] = {
    {1, "INSERT INTO people (handle, name, role, coach, created, updated) VALUES"
        " ('ana', 'Ana Ruiz', 'publisher', 1, '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'),"
        " ('bo', 'Bo', 'candidate', 0, '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z')"},
    {1, "INSERT INTO people_domains (handle, domain) VALUES ('ana', 'network'), ('ana', 'backup')"},
    {1,
     "INSERT INTO articles (id, title, state, audience, product, versions, owner, defect, issue, environment,"
     " resolution, cause, internal, author, created, updated, reviewed, reviewed_by, revision) VALUES"
     " ('KB-MIG-0001', 'Replication stalls over the proxy', 'validated', 'public', 'Veeam', '>= 12',"
     " 'network', 'BUG-1', 'The job stalls at 99%.', '- any', '1. Restart the proxy.', 'A stale socket.',"
     " NULL, 'ana', '2026-01-05', '2026-01-06', '2026-01-07', 'ana', 2),"
     " ('KB-MIG-0002', 'Wip article', 'wip', 'internal', NULL, NULL, NULL, NULL, '', NULL, NULL, NULL,"
     " 'notes', NULL, NULL, NULL, NULL, NULL, 1)"},
    {1, "INSERT INTO article_tags (article, pos, tag) VALUES ('KB-MIG-0001', 0, 'proxy'),"
        " ('KB-MIG-0001', 1, 'replication')"},
    {1, "INSERT INTO article_playbooks (article, pos, playbook) VALUES ('KB-MIG-0001', 0, 'veeam-proxy')"},
    {1,
     "INSERT INTO article_revisions (article, n, who, at, changes, why) VALUES"
     " ('KB-MIG-0001', 1, 'ana', '2026-01-05T00:00:00Z', '{\"state\": [null, \"wip\"]}', 'imported'),"
     " ('KB-MIG-0001', 2, 'ana', '2026-01-07T00:00:00Z', '{\"state\": [\"wip\", \"validated\"]}', 'checked'),"
     " ('KB-MIG-0002', 1, NULL, '2026-01-08T00:00:00Z', '{}', NULL)"},
    {1, "INSERT INTO article_flags (article, n, body, author, created, resolved, resolved_by) VALUES"
        " ('KB-MIG-0001', 1, 'port is wrong', 'bo', '2026-01-09', NULL, NULL),"
        " ('KB-MIG-0001', 2, 'typo', 'bo', '2026-01-09', '2026-01-10', 'ana')"},
    {1,
     "INSERT INTO cases (id, title, customer, product, version, environment, engineer, opened, closed, "
     "status,"
     " severity, bundle_path, bundle_fingerprint, triage, resolution) VALUES"
     " ('C-0001', 'Backups fail', 'Acme', 'Veeam', '12.1', 'two sites', 'bo', '2026-02-01T08:00:00Z',"
     " '2026-02-02T09:00:00Z', 'closed', 2, '/b/acme.zip', 'sha256:00ff', '{\"fired\": 1}', 'restarted'),"
     " ('C-0002', 'Slow restore', NULL, NULL, NULL, NULL, NULL, '2026-02-03T00:00:00Z', NULL, 'open', NULL,"
     " NULL, NULL, NULL, NULL)"},
    {1, "INSERT INTO case_environment (case_id, key, value) VALUES ('C-0001', 'os', 'Windows Server 2022')"},
    {1, "INSERT INTO case_playbooks (case_id, playbook, rank, node, article) VALUES"
        " ('C-0001', 'veeam-proxy', 1, 'restart', 'KB-MIG-0001')"},
    {1, "INSERT INTO case_signatures (case_id, playbook, signature, hits) VALUES"
        " ('C-0001', 'veeam-proxy', 'socket-reset', 14)"},
    {1, "INSERT INTO case_notes (case_id, n, author, at, body) VALUES"
        " ('C-0001', 1, 'bo', '2026-02-01T09:00:00Z', 'called the customer'),"
        " ('C-0001', 2, 'ana', '2026-02-01T10:00:00Z', 'escalated')"},
    {1,
     "INSERT INTO case_walks (case_id, n, playbook, mode, status, node, article, hints_used, coach_questions,"
     " reveals, who, at, transcript) VALUES ('C-0001', 1, 'veeam-proxy', 'coach', 'concluded', 'restart',"
     " 'KB-MIG-0001', 2, 3, 1, 'bo', '2026-02-01T11:00:00Z', '{\"steps\": []}')"},
    {1, "INSERT INTO article_links (case_id, article, type, who, at) VALUES"
        " ('C-0001', 'KB-MIG-0001', 'reused', 'bo', '2026-02-02T09:00:00Z')"},
    {1,
     "INSERT INTO escalations (case_id, n, from_person, to_person, why, playbook, pattern, at, resolved_by,"
     " resolved) VALUES ('C-0001', 1, 'bo', 'ana', 'proxy keeps resetting', 'veeam-proxy', 'socket-reset',"
     " '2026-02-01T10:00:00Z', 'ana', '2026-02-02T08:00:00Z')"},
    /* The full-text index as the SQLite backend of version 1 writes it (sq_fts_index). */
    {1, "INSERT INTO article_fts_docs (docid, article) VALUES (7, 'KB-MIG-0001')"},
    {1, "INSERT INTO article_fts (rowid, title, issue, environment, cause, resolution) VALUES"
        " (7, 'Replication stalls over the proxy', 'The job stalls at 99%.', '- any', 'A stale socket.',"
        " '1. Restart the proxy.')"},
};

static void add_samples(const char *path, int k)
{
    sqlite3 *db = raw_open(path);
    raw_exec(db, "PRAGMA foreign_keys = ON");
    raw_exec(db, "BEGIN");
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        if (samples[i].version <= k)
            raw_exec(db, samples[i].sql);
    raw_exec(db, "COMMIT");
    sqlite3_close(db);
}

static cb_store *open_at(const char *path, int version)
{
    cb_store_opts o;
    cb_store_opts_init(&o);
    o.schema_version = version;
    cb_store *s = NULL;
    cb_error err;
    if (cb_store_open(path, &o, &s, &err))
        fail_msg("open %s at version %d: %s", path, version, err.msg);
    assert_int_equal(cb_store_version(s), version);
    return s;
}

/* The schema a new database gets at each version, made by cb_store_open itself. */
static char *reference[V + 1];

static int setup_group(void **state)
{
    if (setup(state))
        return -1;
    reference[0] = calloc(1, 1);
    for (int v = 1; v <= V; v++) {
        char name[32];
        snprintf(name, sizeof name, "ref%d.db", v);
        cb_store_close(open_at(at(name), v));
        sqlite3 *db = raw_open(at(name));
        reference[v] = schema_of(db);
        sqlite3_close(db);
    }
    return 0;
}

static int teardown_group(void **state)
{
    for (int v = 0; v <= V; v++)
        free(reference[v]);
    return tmpdir_teardown(state);
}

/* ---- migrations ---- */

/* The versions built straight from the steps are the versions cb_store_open builds: the builder is right. */
static void test_builder_matches_store(void **state)
{
    (void)state;
    for (int k = 1; k <= V; k++) {
        char name[32];
        snprintf(name, sizeof name, "built%d.db", k);
        build_at(at(name), k);
        sqlite3 *db = raw_open(at(name));
        char *schema = schema_of(db);
        assert_string_equal(schema, reference[k]);
        free(schema);
        sqlite3_close(db);
    }
    /* And versions differ from each other (a version with no step would be a mistake). */
    for (int k = 1; k <= V; k++)
        assert_string_not_equal(reference[k], reference[k - 1]);
}

/* Check the migrated database at `path` against the one built at version k before it (`rows` and `applied`).
 */
static void check_migrated(const char *path, int k, int target, const char *rows, const char *applied,
                           const char *snapshot)
{
    sqlite3 *db = raw_open(path);
    char *schema = schema_of(db);
    if (strcmp(schema, reference[target]) != 0)
        fail_msg("from %d to %d: the schema is not a new database's:\n%s\n---\n%s", k, target, schema,
                 reference[target]);
    free(schema);
    /* Every version once, the ones the old casebook applied with their dates, then the new ones. */
    char *versions = raw_dump(db, "SELECT version, count(*) FROM schema_migrations GROUP BY version", NULL);
    char want[4096] = "";
    for (int v = 1; v <= target; v++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%d|1\n", v);
    assert_string_equal(versions, want);
    free(versions);
    char *old = raw_dump(db, "SELECT version, applied FROM schema_migrations ORDER BY 1", NULL);
    if (strncmp(old, applied, strlen(applied)) != 0) /* the first k lines are the old casebook's */
        fail_msg("from %d: the versions applied were\n%s\nand are now\n%s", k, applied, old);
    free(old);
    char *late = raw_dump(db, "SELECT count(*) FROM schema_migrations WHERE length(applied) <> 20", NULL);
    assert_string_equal(late, "0\n");
    free(late);
    /* The rows, read through the columns version k had. */
    sqlite3 *cols = raw_open(snapshot);
    char *now = rows_of(db, cols);
    sqlite3_close(cols);
    assert_string_equal(now, rows);
    free(now);
    char *ok = raw_dump(db, "PRAGMA integrity_check", NULL);
    assert_string_equal(ok, "ok\n");
    free(ok);
    char *fk = raw_dump(db, "PRAGMA foreign_key_check", NULL);
    assert_string_equal(fk, "");
    free(fk);
    sqlite3_close(db);
}

/* Version k with its sample rows at path, made anew. */
static void build_sampled(const char *path, int k)
{
    unlink(path);
    build_at(path, k);
    if (k)
        add_samples(path, k);
}

/*
 * Version k with its sample rows at path, and without rows at snapshot (its columns say what the rows
 * were); *rows (heap) gets the rows as version k's columns read them, *applied (heap) its schema_migrations.
 */
static void build_with_rows(const char *path, const char *snapshot, int k, char **rows, char **applied)
{
    build_sampled(path, k);
    unlink(snapshot);
    build_at(snapshot, k);
    *rows = calloc(1, 1);
    *applied = calloc(1, 1);
    if (k) {
        free(*rows);
        free(*applied);
        sqlite3 *db = raw_open(path), *cols = raw_open(snapshot);
        *rows = rows_of(db, cols);
        *applied = raw_dump(db, "SELECT version, applied FROM schema_migrations ORDER BY 1", NULL);
        sqlite3_close(cols);
        sqlite3_close(db);
        assert_non_null(strstr(*rows, "KB-MIG-0001"));
    }
}

/* The sample article is found by search: its index entry came through. */
static void check_search(const char *path)
{
    cb_store *s = open_at(path, V);
    char *words[] = {"stalls"};
    cb_store_fts_query q = {.words = words, .nwords = 1};
    cb_store_fts_results r;
    cb_error err;
    assert_int_equal(cb_store_fts_search(s, &q, 10, true, &r, &err), CB_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.hits[0].id, "KB-MIG-0001");
    cb_store_fts_results_release(&r);
    cb_store_close(s);
}

/*
 * From every version k (0: an empty file): once straight to the newest with default options (one open
 * applying every missing version), once a version at a time; after each open the rows are kept, every
 * version is listed once and the schema is a new database's.  From the newest itself, opening changes
 * nothing.
 */
static void test_from_every_version(void **state)
{
    (void)state;
    for (int k = 0; k <= V; k++)
        for (int stepwise = 0; stepwise <= 1; stepwise++) {
            char path[256], snapshot[256];
            snprintf(path, sizeof path, "%s", at("mig.db"));
            snprintf(snapshot, sizeof snapshot, "%s", at("mig-before.db"));
            char *rows, *applied;
            build_with_rows(path, snapshot, k, &rows, &applied);
            for (int t = stepwise ? k + 1 : V; t <= V; t++) {
                cb_store_close(open_at(path, t));
                check_migrated(path, k, t, rows, applied, snapshot);
            }
            cb_store *s = NULL;
            cb_error err;
            if (cb_store_open(path, NULL, &s, &err))
                fail_msg("open from %d: %s", k, err.msg);
            assert_int_equal(cb_store_version(s), V);
            cb_store_close(s);
            check_migrated(path, k, V, rows, applied, snapshot);
            if (k)
                check_search(path);
            free(rows);
            free(applied);
        }
}

/*
 * In a child: open the database at path (migrating it) and close it (checkpointing it) with the kill shim
 * armed at kill_at; when not killed, report (killvfs_report) and exit 0.
 */
static void migrator(const char *path, long kill_at, int fd)
{
    if (!killvfs_install())
        _exit(30);
    cb_store *s;
    cb_error err;
    killvfs_arm(kill_at);
    if (cb_store_open(path, NULL, &s, &err)) {
        fprintf(stderr, "open: %s\n", err.msg);
        _exit(31);
    }
    cb_store_close(s);
    killvfs_disarm();
    killvfs_report(fd);
    _exit(0);
}

/*
 * The disk writes a migration is killed before: the first ones (the switch to WAL), every one near a
 * commit, the last ones (the checkpoint on close), and some 40 spread over the rest.
 */
static bool chosen(long e, const killvfs_counts *c)
{
    if (e <= 12 || e > c->events - 4 || e % (c->events / 40 + 1) == 0)
        return true;
    for (long i = 0; i < c->ncommits && i < KILLVFS_MAX_COMMITS; i++)
        if ((e >= c->commit[i] - 3 && e <= c->commit[i] + 3) ||
            (e >= c->whole[i] - 3 && e <= c->whole[i] + 3))
            return true;
    return false;
}

/*
 * From every version k below the newest (0: a new file), the migration is killed before one of its disk
 * writes (chosen()), in turn.  The database it leaves is exactly a version from k to the newest: the last
 * whose commit frame was written whole, with every version up to it recorded once and the rows of version
 * k kept; the next open brings it to the newest, whole.
 */
static void test_killed_in_migration(void **state)
{
    (void)state;
    char path[256], snapshot[256];
    snprintf(path, sizeof path, "%s", at("killed.db"));
    snprintf(snapshot, sizeof snapshot, "%s", at("killed-before.db"));
    for (int k = 0; k < V; k++) {
        char *rows, *applied;
        build_with_rows(path, snapshot, k, &rows, &applied);
        killvfs_counts c = killvfs_dry_run(migrator, path);
        assert_int_equal(c.ncommits, V - k); /* one transaction per version */
        long events = c.events;
        assert_true(events > 10);
        int seen[V + 1] = {0};
        for (long e = 1; e <= events; e++) {
            if (!chosen(e, &c))
                continue;
            build_sampled(path, k);
            pid_t pid = fork();
            assert_true(pid >= 0);
            if (pid == 0)
                migrator(path, e, -1);
            int status;
            assert_int_equal(waitpid(pid, &status, 0), pid);
            if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
                fail_msg("from %d, event %ld: not killed (status %#x)", k, e, status);
            /* Which version it is at: its schema is one of them exactly. */
            sqlite3 *db = raw_open(path);
            char *schema = schema_of(db);
            int at_v = -1;
            for (int v = k; v <= V; v++)
                if (strcmp(schema, reference[v]) == 0)
                    at_v = v;
            if (at_v < 0)
                fail_msg("from %d, killed before disk write %ld of %ld: the schema is no version's:\n%s", k,
                         e, events, schema);
            else
                seen[at_v]++;
            /* The versions whose commit frame was whole are there. */
            int want_v = k;
            for (long i = 0; i < c.ncommits; i++)
                want_v += e > c.whole[i];
            if (at_v != want_v)
                fail_msg("from %d, killed before disk write %ld of %ld: at version %d, not %d", k, e, events,
                         at_v, want_v);
            free(schema);
            sqlite3_close(db);
            if (at_v > 0) {
                char want[4096] = "";
                for (int v = 1; v <= at_v; v++)
                    snprintf(want + strlen(want), sizeof want - strlen(want), "%d|1\n", v);
                db = raw_open(path);
                char *versions =
                    raw_dump(db, "SELECT version, count(*) FROM schema_migrations GROUP BY version", NULL);
                assert_string_equal(versions, want);
                free(versions);
                sqlite3_close(db);
            }
            /* The next open finishes the migration; the rows of version k are all there. */
            cb_store_close(open_at(path, V));
            db = raw_open(path);
            sqlite3 *cols = raw_open(snapshot);
            char *now = rows_of(db, cols), *schema_now = schema_of(db),
                 *ok = raw_dump(db, "PRAGMA integrity_check", NULL);
            assert_string_equal(now, rows);
            assert_string_equal(schema_now, reference[V]);
            assert_string_equal(ok, "ok\n");
            free(now);
            free(schema_now);
            free(ok);
            sqlite3_close(cols);
            sqlite3_close(db);
        }
        free(rows);
        free(applied);
        /* Killed early it was still at k; killed at the end, at the newest version. */
        assert_true(seen[k] >= 1);
        assert_true(seen[V] >= 1);
    }
}

/* A file that does not exist yet is version 0 too. */
static void test_from_nothing(void **state)
{
    (void)state;
    const char *path = at("none/new.db");
    cb_store *s = open_at(path, V);
    cb_store_close(s);
    sqlite3 *db = raw_open(path);
    char *schema = schema_of(db);
    assert_string_equal(schema, reference[V]);
    free(schema);
    sqlite3_close(db);
}

/* ---- refusals, changing nothing ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The names in directory d, sorted, as one string. */
static char *listing(const char *d)
{
    DIR *dh = opendir(d);
    assert_non_null(dh);
    char *names[64];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL)
        if (de->d_name[0] != '.' && n < 64)
            names[n++] = strdup(de->d_name);
    closedir(dh);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    char *out = calloc(1, 4096);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        snprintf(out + strlen(out), 4096 - strlen(out), "%s\n", names[i]);
        free(names[i]);
    }
    return out;
}

/* Open `path` (alone in its directory): refused with `status` and a message holding `want`; the file's bytes
 * and the directory's names as they were. */
static void refused_unchanged(const char *path, cb_status status, const char *want)
{
    char d[256];
    snprintf(d, sizeof d, "%s", path);
    *strrchr(d, '/') = '\0';
    size_t n0, n1;
    char *before = slurp(path, &n0), *names = listing(d);
    cb_store *s = (cb_store *)1;
    cb_error err;
    cb_status st = cb_store_open(path, NULL, &s, &err);
    if (st != status)
        fail_msg("%s: status %d, not %d (%s)", path, st, status, st ? err.msg : "opened");
    assert_null(s);
    if (!strstr(err.msg, want) || !strstr(err.msg, path))
        fail_msg("%s: message '%s' does not say '%s'", path, err.msg, want);
    char *after = slurp(path, &n1), *names_after = listing(d);
    if (n0 != n1 || memcmp(before, after, n0) != 0)
        fail_msg("%s: the file was changed (%zu bytes, now %zu)", path, n0, n1);
    assert_string_equal(names_after, names);
    free(before);
    free(after);
    free(names);
    free(names_after);
}

/* The path of x.db in a new directory <kind>-<name> of its own (valid until the next call). */
static const char *alone(const char *kind, const char *name)
{
    static char path[300];
    char d[64];
    snprintf(d, sizeof d, "%s-%s", kind, name);
    snprintf(path, sizeof path, "%s/x.db", at(d));
    *strrchr(path, '/') = '\0';
    assert_int_equal(mkdir(path, 0700), 0);
    path[strlen(path)] = '/';
    return path;
}

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* Files that are not databases, from one byte (which SQLite alone takes for an empty database) up. */
static void test_not_a_database_unchanged(void **state)
{
    (void)state;
    static char zeros[8192], text[100000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "this is not a database\n"[i % 23];
    static const struct {
        const char *name;
        const char *bytes;
        size_t n;
    } files[] = {
        {"one-byte", "x", 1},
        {"newline", "\n", 1},
        {"two-bytes", "SQ", 2},
        {"short-header", "SQLite format 2\0", 16},
        {"header-only", "SQLite format 3", 15},
        {"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10},
        {"zeros", zeros, sizeof zeros},
        {"text", text, sizeof text},
        {"text-99", text, 99},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const char *path = alone("junk", files[i].name);
        write_bytes(path, files[i].bytes, files[i].n);
        refused_unchanged(path, CB_EUNSUPPORTED, "not a database");
    }
}

/* SQLite databases that are someone else's: rollback-journal (which casebook must not switch to WAL) and WAL,
 * a table named like one of casebook's, a lone view. */
static void test_foreign_database_unchanged(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *sql;
    } dbs[] = {
        {"rollback", "CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)"},
        {"wal", "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1)"},
        {"people", "CREATE TABLE people (handle TEXT PRIMARY KEY); INSERT INTO people VALUES ('ana')"},
        {"view", "CREATE VIEW v AS SELECT 1"},
    };
    for (size_t i = 0; i < sizeof dbs / sizeof *dbs; i++) {
        const char *path = alone("foreign", dbs[i].name);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        raw_exec(db, dbs[i].sql);
        sqlite3_close(db);
        refused_unchanged(path, CB_EUNSUPPORTED, "not a casebook database");
    }
}

/* A database of a newer casebook: both versions named, and nothing changed for that casebook. */
static void test_newer_unchanged(void **state)
{
    (void)state;
    const char *path = alone("newer", "x");
    cb_store_close(open_at(path, V));
    sqlite3 *db = raw_open(path);
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE TABLE future (x); INSERT INTO schema_migrations (version, applied) VALUES (%d, "
             "'2099-01-01T00:00:00Z')",
             V + 1);
    raw_exec(db, sql);
    sqlite3_close(db);
    char want[128];
    snprintf(want, sizeof want, "schema version %d, newer than this casebook's %d", V + 1, V);
    refused_unchanged(path, CB_EUNSUPPORTED, want);
    /* Asking for an older version of a database that has a newer one does not downgrade it either. */
    if (V > 1) {
        cb_store_opts o;
        cb_store_opts_init(&o);
        o.schema_version = 1;
        cb_store *s;
        cb_error err;
        assert_int_equal(cb_store_open(path, &o, &s, &err), CB_EUNSUPPORTED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder_matches_store),
        cmocka_unit_test(test_from_every_version),
        cmocka_unit_test(test_from_nothing),
        cmocka_unit_test(test_killed_in_migration),
        cmocka_unit_test(test_not_a_database_unchanged),
        cmocka_unit_test(test_foreign_database_unchanged),
        cmocka_unit_test(test_newer_unchanged),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
