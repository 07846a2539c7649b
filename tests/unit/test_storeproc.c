/*
 * test_storeproc.c — the store under several processes and under SIGKILL,
 * through the operations the commands use (people, KB import, raw SQL):
 *
 *   - writers in several processes at once, starting on a database that
 *     does not exist yet, reopening it as separate commands would: every
 *     write of every one is there afterwards (the busy timeout makes them
 *     wait, never fail) and the database passes its integrity checks;
 *   - an import of 200 generated articles killed at chosen disk writes
 *     (tests/unit/killvfs.h): spread over the import (pages spilled to the
 *     WAL before the commit), each write around the commit frame's first
 *     write and around the write that makes it whole, and spread over the
 *     checkpoint that follows; and killed at random times.  Each time the
 *     database opens, passes PRAGMA integrity_check and FTS5's own check,
 *     and holds the import all or not at all, its revisions and index
 *     entries with it: none of it when killed before its commit frame was
 *     whole, all of it after.
 *
 * test_store.c has the simpler two-writer and killed-transaction cases; the
 * kill during a schema migration is in test_migrate.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/store.h"

#include "killvfs.h"
#include "storetest.h"
#include "tmpdir.h"

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-storeproc");
}

static int64_t int_of1(cb_store *s, const char *sql, const char *arg)
{
    cb_store_value p[] = {cb_store_text(arg)};
    return int_of(s, sql, p, 1);
}

/* PRAGMA integrity_check, and FTS5's check of its index against its text. */
static void check_integrity(cb_store *s)
{
    cb_store_rows *r;
    cb_error err;
    bool row;
    assert_int_equal(cb_store_query(s, "PRAGMA integrity_check", NULL, 0, &r, &err), CB_OK);
    assert_int_equal(cb_store_rows_next(r, &row, &err), CB_OK);
    assert_true(row);
    assert_string_equal(cb_store_rows_text(r, 0), "ok");
    cb_store_rows_free(r);
    if (cb_store_exec(s, "INSERT INTO article_fts (article_fts) VALUES ('integrity-check')", NULL, 0, NULL,
                      &err))
        fail_msg("fts5 integrity-check: %s", err.msg);
    assert_int_equal(int_of(s, "SELECT count(*) FROM article_fts", NULL, 0),
                     int_of(s, "SELECT count(*) FROM article_fts_docs", NULL, 0));
    assert_int_equal(int_of(s, "SELECT count(*) FROM article_fts_docs", NULL, 0),
                     int_of(s, "SELECT count(*) FROM articles", NULL, 0));
}

/* How many articles a search for `word` finds (archived ones too). */
static size_t found(cb_store *s, const char *word)
{
    char *words[] = {(char *)word};
    cb_store_fts_query q = {.words = words, .nwords = 1};
    cb_store_fts_results r;
    cb_error err;
    if (cb_store_fts_search(s, &q, 100000, true, &r, &err))
        fail_msg("search %s: %s", word, err.msg);
    size_t n = r.n;
    cb_store_fts_results_release(&r);
    return n;
}

/*
 * Write n articles KB-<domain>-0000... into a new directory, each with the word `marker` (for a search) and
 * enough text in every section to make an import of a few hundred a transaction of megabytes.
 */
static void make_articles(const char *into, const char *domain, int n, const char *marker)
{
    assert_int_equal(mkdir(into, 0700), 0);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/KB-%s-%04d.md", into, domain, i);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f,
                "---\nid: KB-%s-%04d\ntitle: \"%s %d: replication stalls at %d%% on proxy%d\"\nstate: wip\n"
                "audience: internal\ntags: [%s, t%d]\n---\n## Issue\n",
                domain, i, marker, i, i % 100, i % 17, marker, i % 13);
        for (int line = 0; line < 6; line++)
            fprintf(f,
                    "The job %d fails with error 0x%08x after %d retries; the %s agent on host%d logs"
                    " \"connection reset by peer\" and the repository shows %d stale locks.\n",
                    i * 7 + line, (unsigned)(i * 2654435761u + (unsigned)line), line + 3, marker, i % 41,
                    line * i % 97);
        fprintf(f,
                "## Environment\n- proxy%d, repository r%d\n## Resolution\n1. Restart agent %d.\n"
                "2. Clear lock %d and retry.\n## Cause\nA stale socket %d held by the %s service.\n",
                i % 17, i % 5, i, i * 3, i, marker);
        assert_int_equal(fclose(f), 0);
    }
}

/* ---- writers at once ---- */

enum {
    NWRITERS = 4,     /* processes */
    ROUNDS = 48,      /* each: a person, a case, a numbered note, a read; an import every KB_EVERY rounds */
    KB_EVERY = 8,     /* rounds between imports */
    KB_SIZE = 6,      /* articles per import */
    REOPEN_EVERY = 5, /* rounds between closing and opening the store again, as separate commands do */
};

static void writer_die(int id, int round, const char *what, const char *msg)
{
    fprintf(stderr, "writer %d, round %d, %s: %s\n", id, round, what, msg);
    _exit(20);
}

/* One writer: its own people, cases and imports, and notes on a case every writer numbers. */
static void writer(const char *path, int id, int go)
{
    char c;
    if (read(go, &c, 1) != 1)
        _exit(10);
    cb_store *s = NULL;
    cb_error err;
    for (int r = 0; r < ROUNDS; r++) {
        if (r % REOPEN_EVERY == 0) {
            cb_store_close(s);
            if (cb_store_open(path, NULL, &s, &err))
                writer_die(id, r, "open", err.msg);
        }
        char handle[32], domain[32], case_id[32], body[32], now[CB_STORE_TIME_SIZE];
        snprintf(handle, sizeof handle, "w%dp%d", id, r);
        snprintf(domain, sizeof domain, "dom%d", r % 3);
        const char *domains[] = {domain};
        cb_person_new p = {handle, "Writer", CB_ROLE_CANDIDATE, r % 2 == 0, domains, 1};
        if (cb_people_add(s, &p, &err))
            writer_die(id, r, "people add", err.msg);
        /* A statement on its own (autocommit), reading the clock first. */
        snprintf(case_id, sizeof case_id, "C-%d-%d", id, r);
        if (cb_store_now(s, now, &err))
            writer_die(id, r, "now", err.msg);
        cb_store_value cp[] = {cb_store_text(case_id), cb_store_text(now), cb_store_text(handle)};
        if (cb_store_exec(s, "INSERT INTO cases (id, title, opened, engineer) VALUES ($1, 'case', $2, $3)",
                          cp, 3, NULL, &err))
            writer_die(id, r, "case", err.msg);
        /* Read, then write, in one transaction: the note's number is MAX + 1 of what every writer added. */
        snprintf(body, sizeof body, "w%d-%d", id, r);
        cb_store_value np[] = {cb_store_text(body)};
        if (cb_store_begin(s, &err) ||
            cb_store_exec(s,
                          "INSERT INTO cases (id, title, opened) VALUES ('C-shared', 's', 'x')"
                          " ON CONFLICT (id) DO NOTHING",
                          NULL, 0, NULL, &err) ||
            cb_store_exec(s,
                          "INSERT INTO case_notes (case_id, n, at, body) SELECT 'C-shared',"
                          " COALESCE(MAX(n), 0) + 1, 'x', $1 FROM case_notes WHERE case_id = 'C-shared'",
                          np, 1, NULL, &err) ||
            cb_store_commit(s, &err))
            writer_die(id, r, "note", err.msg);
        /* A reader while the others write. */
        cb_store_rows *rows;
        bool row;
        if (cb_store_query(s, "SELECT count(*) FROM people", NULL, 0, &rows, &err) ||
            cb_store_rows_next(rows, &row, &err))
            writer_die(id, r, "read", err.msg);
        cb_store_rows_free(rows);
        if (r % KB_EVERY == KB_EVERY - 1) {
            char kdir[32];
            snprintf(kdir, sizeof kdir, "kb-w%d-%d", id, r / KB_EVERY);
            cb_diags d;
            cb_diags_init(&d);
            size_t n = 0;
            cb_status st = cb_kb_import(s, at(kdir), handle, &d, &n, &err);
            if (st || n != KB_SIZE)
                writer_die(id, r, "kb import", st ? err.msg : "wrong count");
            cb_diags_release(&d);
        }
    }
    cb_store_close(s);
    _exit(0);
}

static void test_writers_lose_nothing(void **state)
{
    (void)state;
    /* They all open a database that does not exist yet: they race on creating and migrating it too. */
    char path[256];
    snprintf(path, sizeof path, "%s", at("writers/casebook.db"));
    for (int w = 0; w < NWRITERS; w++)
        for (int k = 0; k < ROUNDS / KB_EVERY; k++) {
            char kdir[32], domain[16], marker[16];
            snprintf(kdir, sizeof kdir, "kb-w%d-%d", w, k);
            snprintf(domain, sizeof domain, "W%dI%d", w, k);
            snprintf(marker, sizeof marker, "wmark%d", w);
            make_articles(at(kdir), domain, KB_SIZE, marker);
        }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid[NWRITERS];
    for (int i = 0; i < NWRITERS; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            close(fds[1]);
            writer(path, i, fds[0]);
        }
    }
    close(fds[0]);
    char go[NWRITERS];
    memset(go, 'g', sizeof go);
    assert_int_equal(write(fds[1], go, sizeof go), (ssize_t)sizeof go);
    close(fds[1]);
    for (int i = 0; i < NWRITERS; i++) {
        int status;
        assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("writer %d ended with status %#x (its message is above)", i, status);
    }

    cb_store *s = open_ok(path);
    check_integrity(s);
    assert_int_equal(int_of(s, "SELECT count(*) FROM schema_migrations", NULL, 0), CB_STORE_SCHEMA_VERSION);
    const int64_t all = NWRITERS * ROUNDS, articles = NWRITERS * (ROUNDS / KB_EVERY) * KB_SIZE;
    assert_int_equal(int_of(s, "SELECT count(*) FROM people", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT count(*) FROM people_domains", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT count(*) FROM cases WHERE id <> 'C-shared'", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT count(*) FROM cases WHERE engineer IS NOT NULL", NULL, 0), all);
    /* The shared notes: every one there, numbered 1..all without a gap or a repeat. */
    assert_int_equal(int_of(s, "SELECT count(*) FROM case_notes", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT count(DISTINCT body) FROM case_notes", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT MIN(n) FROM case_notes", NULL, 0), 1);
    assert_int_equal(int_of(s, "SELECT MAX(n) FROM case_notes", NULL, 0), all);
    assert_int_equal(int_of(s, "SELECT count(*) FROM articles", NULL, 0), articles);
    assert_int_equal(int_of(s, "SELECT count(*) FROM article_revisions", NULL, 0), articles);
    assert_int_equal(int_of(s, "SELECT count(*) FROM article_tags", NULL, 0), 2 * articles);
    for (int w = 0; w < NWRITERS; w++) {
        char like[16], marker[16];
        snprintf(like, sizeof like, "w%dp%%", w);
        snprintf(marker, sizeof marker, "wmark%d", w);
        assert_int_equal(int_of1(s, "SELECT count(*) FROM people WHERE handle LIKE $1", like), ROUNDS);
        assert_int_equal(int_of1(s, "SELECT count(*) FROM article_revisions WHERE who LIKE $1", like),
                         (ROUNDS / KB_EVERY) * KB_SIZE);
        assert_int_equal(found(s, marker), (ROUNDS / KB_EVERY) * KB_SIZE);
    }
    cb_store_close(s);
}

/* ---- killed in an import ---- */

enum {
    BASE_SIZE = 20,   /* articles committed before the killed import */
    KILL_SIZE = 200,  /* articles of the import that is killed: more pages than the importer's cache holds */
    SPREAD = 8,       /* kill points spread over the import before its commit */
    AROUND = 3,       /* every disk write this close to the commit frame's first write and its last */
    AFTER = 4,        /* kill points spread over what follows the commit (the checkpoint) */
    RANDOM_KILLS = 6, /* kills at random times */
};

static char base_db[256], kill_dir[256];

/* A database holding BASE_SIZE committed articles, and the directory of KILL_SIZE to import. */
static void prepare_kill(void)
{
    if (base_db[0])
        return;
    snprintf(base_db, sizeof base_db, "%s", at("base.db"));
    snprintf(kill_dir, sizeof kill_dir, "%s", at("kill-articles"));
    make_articles(at("base-articles"), "BASE", BASE_SIZE, "basemark");
    make_articles(kill_dir, "KILL", KILL_SIZE, "killmark");
    cb_store *s = open_ok(base_db);
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    size_t n;
    assert_int_equal(cb_kb_import(s, at("base-articles"), NULL, &d, &n, &err), CB_OK);
    assert_int_equal(n, BASE_SIZE);
    cb_diags_release(&d);
    cb_store_close(s); /* the last connection: the WAL is checkpointed and removed, the file is whole */
}

/* A fresh copy of the base database at path. */
static void copy_base(const char *path)
{
    FILE *in = fopen(base_db, "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/*
 * The child: open the database, then import the directory with the kill shim armed at kill_at (0: count
 * only).  When it was not killed it reports (killvfs_report) and exits 0.
 */
static void importer(const char *path, long kill_at, int fd)
{
    if (!killvfs_install())
        _exit(30);
    cb_store *s;
    cb_error err;
    /* What a large import does, on a small one (fast enough under ASan): SQLite spills pages into the WAL
       before the commit once its cache (2 MB) is full, and checkpoints after a commit that leaves the WAL
       past 1,000 pages (an import of about 1,000 articles); these 200 articles pass 100 pages of cache and 50
       of WAL. */
    if (cb_store_open(path, NULL, &s, &err) ||
        cb_store_exec(s, "PRAGMA cache_size = 100", NULL, 0, NULL, &err) ||
        cb_store_exec(s, "PRAGMA wal_autocheckpoint = 50", NULL, 0, NULL, &err))
        _exit(31);
    cb_diags d;
    cb_diags_init(&d);
    size_t n = 0;
    killvfs_arm(kill_at);
    cb_status st = cb_kb_import(s, kill_dir, NULL, &d, &n, &err);
    killvfs_disarm();
    if (st || n != KILL_SIZE) {
        fprintf(stderr, "import: %s\n", err.msg);
        _exit(32);
    }
    killvfs_report(fd);
    cb_store_close(s);
    _exit(0);
}

/* After a kill: the database opens and is whole, the base import whole, the killed one all or nothing. */
static bool check_after_kill(const char *path, const char *when)
{
    cb_store *s = open_ok(path);
    check_integrity(s);
    assert_int_equal(int_of1(s, "SELECT count(*) FROM articles WHERE id LIKE $1", "KB-BASE-%"), BASE_SIZE);
    assert_int_equal(found(s, "basemark"), BASE_SIZE);
    int64_t n = int_of1(s, "SELECT count(*) FROM articles WHERE id LIKE $1", "KB-KILL-%");
    if (n != 0 && n != KILL_SIZE)
        fail_msg("killed %s: %lld of the %d articles are there", when, (long long)n, KILL_SIZE);
    assert_int_equal(int_of1(s, "SELECT count(*) FROM article_revisions WHERE article LIKE $1", "KB-KILL-%"),
                     n);
    assert_int_equal(int_of1(s, "SELECT count(*) FROM article_tags WHERE article LIKE $1", "KB-KILL-%"),
                     2 * n);
    assert_int_equal(int_of1(s, "SELECT count(*) FROM article_fts_docs WHERE article LIKE $1", "KB-KILL-%"),
                     n);
    assert_int_equal(found(s, "killmark"), (size_t)n);
    /* And it takes writes again. */
    cb_person_new p = {"after", "After", CB_ROLE_CANDIDATE, false, NULL, 0};
    cb_error err;
    if (cb_people_add(s, &p, &err))
        fail_msg("killed %s, then: %s", when, err.msg);
    cb_store_close(s);
    return n != 0;
}

static void expect_killed(pid_t pid, const char *when)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        fail_msg("the importer was not killed %s (status %#x)", when, status);
}

static void test_killed_at_disk_writes(void **state)
{
    (void)state;
    prepare_kill();
    char path[256];
    snprintf(path, sizeof path, "%s", at("count.db"));
    copy_base(path);
    killvfs_counts c = killvfs_dry_run(importer, path);
    assert_int_equal(c.ncommits, 1); /* one transaction */
    long commit = c.commit[0], whole = c.whole[0], events = c.events;
    /* The import spilled pages before its commit and checkpointed after it: there are points on both sides.
     */
    assert_true(commit > SPREAD + AROUND);
    assert_true(events > whole + AROUND + AFTER);
    long points[SPREAD + 2 * (2 * AROUND + 1) + AFTER];
    size_t np = 0;
    for (int i = 0; i < SPREAD; i++)
        points[np++] = 1 + (commit - AROUND - 1) * i / SPREAD;
    for (long p = commit - AROUND; p <= commit + AROUND; p++)
        points[np++] = p;
    for (long p = whole - AROUND; p <= whole + AROUND; p++)
        if (p > commit + AROUND)
            points[np++] = p;
    for (int i = 1; i <= AFTER; i++)
        points[np++] = whole + AROUND + (events - whole - AROUND) * i / AFTER;
    snprintf(path, sizeof path, "%s", at("killed.db"));
    for (size_t i = 0; i < np; i++) {
        char when[128];
        snprintf(when, sizeof when, "before disk write %ld of %ld (the commit frame: %ld, whole after %ld)",
                 points[i], events, commit, whole);
        copy_base(path);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            importer(path, points[i], -1);
        expect_killed(pid, when);
        if (check_after_kill(path, when) != (points[i] > whole))
            fail_msg("killed %s: the import is %s", when, points[i] > whole ? "not there" : "there");
        unlink(path);
    }
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_killed_at_random_times(void **state)
{
    (void)state;
    prepare_kill();
    /* How long an import takes here (with ASan, on a loaded machine): kill within 1.3 times that. */
    char path[256];
    snprintf(path, sizeof path, "%s", at("timed.db"));
    copy_base(path);
    double t0 = seconds();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        importer(path, 0, -1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    double took = seconds() - t0;
    const char *given = getenv("CB_KILL_SEED"); /* to repeat a run: its seed is printed */
    unsigned seed = given ? (unsigned)strtoul(given, NULL, 10) : (unsigned)time(NULL);
    print_message("random kills: CB_KILL_SEED=%u\n", seed);
    srand(seed);
    for (int i = 0; i < RANDOM_KILLS; i++) {
        double delay = took * 1.3 * rand() / RAND_MAX;
        char name[64], when[96];
        snprintf(name, sizeof name, "random%d.db", i);
        snprintf(when, sizeof when, "after %.1f ms of %.1f (seed %u)", delay * 1e3, took * 1e3, seed);
        copy_base(at(name));
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            importer(at(name), 0, -1);
        struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* Past the end the import may have finished: then it is all there. */
        if (WIFEXITED(status))
            assert_int_equal(WEXITSTATUS(status), 0);
        else
            assert_int_equal(WTERMSIG(status), SIGKILL);
        check_after_kill(at(name), when);
        unlink(at(name));
    }
}

/* ---- opening a new database while another process does ---- */

/*
 * Another process migrating the new database between any two statements of an open.  Every connection
 * the process makes runs race_init (an SQLite auto-extension), which traces the statements of the first
 * connection made after race_at is set; when the race_at-th of those it starts outside a transaction
 * begins (it holds no lock then), a second connection opens the store, migrating the file, as another
 * process would.
 */
static int race_at, race_seen;
static sqlite3 *race_db;
static const char *race_path;

static int race_trace(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)ctx;
    (void)p;
    const char *sql = x;
    /* Inside a transaction this connection holds the lock: the other would wait for it, here, forever. */
    if (!race_at || (sql && strncmp(sql, "--", 2) == 0) || !sqlite3_get_autocommit(race_db) ||
        ++race_seen != race_at)
        return 0;
    race_at = 0;
    cb_store *other = NULL;
    cb_error err;
    if (cb_store_open(race_path, NULL, &other, &err))
        fail_msg("the other opener: %s", err.msg);
    cb_store_close(other);
    return 0;
}

static int race_init(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
    (void)msg;
    (void)api;
    if (race_at && !race_db) {
        race_db = db;
        sqlite3_trace_v2(db, SQLITE_TRACE_STMT, race_trace, NULL);
    }
    return SQLITE_OK;
}

static void test_open_races_a_migration(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", at("race-open.db"));
    race_path = path;
    assert_int_equal(sqlite3_auto_extension((void (*)(void))race_init), SQLITE_OK);
    int n;
    for (n = 1;; n++) {
        unlink(path);
        race_db = NULL;
        race_seen = 0;
        race_at = n;
        cb_store *s = NULL;
        cb_error err;
        if (cb_store_open(path, NULL, &s, &err))
            fail_msg("another open before statement %d of this one: %s", n, err.msg);
        assert_int_equal(cb_store_version(s), CB_STORE_SCHEMA_VERSION);
        assert_int_equal(int_of(s, "SELECT count(*) FROM schema_migrations", NULL, 0),
                         CB_STORE_SCHEMA_VERSION);
        cb_store_close(s);
        if (race_at) /* this open ran fewer statements outside a transaction: every gap was raced */
            break;
    }
    race_at = 0;
    assert_true(n > 5); /* the probe, the switch to WAL, the foreign keys, the probe again, BEGIN */
    sqlite3_cancel_auto_extension((void (*)(void))race_init);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writers_lose_nothing),
        cmocka_unit_test(test_killed_at_disk_writes),
        cmocka_unit_test(test_killed_at_random_times),
        cmocka_unit_test(test_open_races_a_migration),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
