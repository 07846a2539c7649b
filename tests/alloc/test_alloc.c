/*
 * test_alloc.c — allocation-failure tests: fail the n-th allocation of a
 * triage and of a walk, for every n, and check that each run fails cleanly.
 *
 * The executable is linked with -Wl,--wrap=malloc,... (tests/meson.build), so
 * every allocation libcasebook's objects make goes through the __wrap_
 * functions below; the shared libraries (libyaml, libarchive, Hyperscan,
 * PCRE2) keep the real allocator, except jansson, whose allocator is set to
 * the same countdown.  These runs are tested: a triage, a walk (loaded,
 * driven by an answers file, saved, resumed), the same walk with the
 * triage's logs answering its checks, and the knowledge base's pure code
 * (an article parsed and formatted, a bad one diagnosed, a typed query and
 * a log line turned into terms), the store (people, import, search, get),
 * and cases (a triage's rows, two cases created, a note, one read back,
 * its similar cases, the listing; a case's walks saved, replaced, and the
 * article offered), and changing articles (add, edit, state, flag,
 * history).  For n = 1, 2, ... the n-th
 * allocation (only that one, then, in a second pass, that one and every
 * later one) returns NULL, and the run must:
 *   - return CB_ENOMEM, or succeed with exactly the result of a run without
 *     failures (a documented fallback, such as the diagnostics' sort falling
 *     back to insertion sort), never a different result;
 *   - not crash, and free everything (LeakSanitizer checks that in the ASan
 *     build, `make test-asan`; AddressSanitizer any use after free).
 * The loop ends at the first n the run does not reach.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "casebook/buf.h"
#include "casebook/case.h"
#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/store.h"
#include "casebook/playbook.h"
#include "casebook/triage.h"
#include "casebook/walk.h"

#ifndef CB_SOURCE_ROOT
#define CB_SOURCE_ROOT "."
#endif
#define MTU_PLAYBOOK CB_SOURCE_ROOT "/examples/playbooks/veeam/replication-mtu-mismatch.yaml"

/* ------------------------------------------------------------------ */
/* The failing allocator                                               */
/* ------------------------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
char *__real_realpath(const char *path, char *resolved);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_realpath(const char *path, char *resolved);

static long fail_at;            /* 0: no failures; else the first allocation to fail (1-based) */
static bool fail_after;         /* also fail every allocation after it */
static atomic_long alloc_count; /* allocations seen since armed (the scanner allocates on two threads) */
static atomic_long failures;    /* allocations failed since armed */

static void arm(long n, bool after)
{
    atomic_store(&alloc_count, 0);
    atomic_store(&failures, 0);
    fail_after = after;
    fail_at = n;
}

/* Stop failing; returns how many allocations failed. */
static long disarm(void)
{
    fail_at = 0;
    return atomic_load(&failures);
}

static bool should_fail(void)
{
    if (!fail_at)
        return false;
    long k = atomic_fetch_add(&alloc_count, 1) + 1;
    if (k == fail_at || (fail_after && k > fail_at)) {
        atomic_fetch_add(&failures, 1);
        errno = ENOMEM;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return should_fail() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

char *__wrap_realpath(const char *path, char *resolved)
{
    /* Only realpath(path, NULL) allocates. */
    return !resolved && should_fail() ? NULL : __real_realpath(path, resolved);
}

static void *json_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char tmpdir[64];
static char last_error[CB_ERROR_MSG_MAX + 64]; /* the message of the last run that failed, for the report */
static char bundle_dir[128];
static char answers_path[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* mkdir -p for the folders of path (inside tmpdir). */
static void make_parents(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + strlen(tmpdir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(buf, 0755);
        *p = '/';
    }
}

/*
 * The bundle: the logs of the MTU playbook's first test, as plain files and
 * again inside logs.tar.gz (so that the archive reader and its filters run
 * too).
 */
static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb-alloc-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(bundle_dir, sizeof bundle_dir, "%s/bundle", tmpdir);
    mkdir(bundle_dir, 0755);

    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = NULL;
    if (cb_playbook_load(MTU_PLAYBOOK, &pb, &d) != CB_OK || pb->ntests == 0)
        return -1;
    cb_diags_release(&d);

    char tgz[256];
    snprintf(tgz, sizeof tgz, "%s/logs.tar.gz", bundle_dir);
    struct archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    if (archive_write_open_filename(a, tgz) != ARCHIVE_OK)
        return -1;
    const cb_pbtest *t = &pb->tests[0];
    for (size_t i = 0; i < t->nlogs; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", bundle_dir, t->logs[i].path.s);
        make_parents(path);
        write_file(path, t->logs[i].content.s);

        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, t->logs[i].path.s);
        archive_entry_set_size(e, (la_int64_t)strlen(t->logs[i].content.s));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1710237600, 0);
        archive_write_header(a, e);
        archive_write_data(a, t->logs[i].content.s, strlen(t->logs[i].content.s));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    cb_playbook_free(pb);

    /* The coach walk of tests/cli/walk.t: right, wrong and revealed coach answers, a record. */
    snprintf(answers_path, sizeof answers_path, "%s/answers.yaml", tmpdir);
    write_file(answers_path,
               "small-packets-work: \"yes, only the bulk transfer stalls\"\n"
               "df-ping: \"no, it needs to fragment\"\n"
               "find-path-mtu: 1372 passes, 1373 does not\n"
               "where-is-the-limit: \"on a VPN tunnel or WAN link (path MTU about 1400 to 1476)\"\n"
               "resets-in-job-log: \"yes\"\n"
               "stalls-before-reset: \"yes\"\n"
               "coach:\n"
               "  resets-in-job-log: [storage, network]\n"
               "  stalls-before-reset: [\"a 'Timed out waiting for data' line just before the reset\"]\n"
               "  df-ping: [plain ping, traceroute, telnet to port 6162]\n");
    json_set_alloc_funcs(json_malloc, free);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    json_set_alloc_funcs(malloc, free);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Append printf-style text to a summary; the summary itself is built with failures disarmed. */
static void sum(cb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sum(cb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    assert_int_equal(cb_buf_vprintf(b, fmt, ap), CB_OK);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Triage                                                              */
/* ------------------------------------------------------------------ */

/* Everything a triage found, as text, to compare a run with failures to one without. */
static char *triage_summary(const cb_triage *t)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    const cb_scan_result *r = t->scan;
    sum(&b, "files %zu scanned %llu lines %llu bytes %llu warnings %zu\n", r->nfiles,
        (unsigned long long)r->files_scanned, (unsigned long long)r->lines, (unsigned long long)r->bytes,
        r->nwarnings);
    for (size_t i = 0; i < r->nfiles; i++)
        sum(&b, "file %s %llu\n", r->files[i].path, (unsigned long long)r->files[i].lines);
    for (size_t i = 0; i < r->nwarnings; i++)
        sum(&b, "warning %s: %s\n", r->warnings[i].path, r->warnings[i].message);
    for (size_t i = 0; i < r->npats; i++) {
        const cb_pattern_result *p = &r->pats[i];
        sum(&b, "pattern %zu count %llu evidence %zu captures %zu\n", i, (unsigned long long)p->count,
            p->nevidence, p->ncaptures);
        for (size_t k = 0; k < p->nevidence; k++)
            sum(&b, "  %zu:%llu %s\n", p->evidence[k].file_index, (unsigned long long)p->evidence[k].line,
                p->evidence[k].text);
        for (size_t k = 0; k < p->ncaptures; k++)
            for (size_t v = 0; v < p->captures[k].nvalues; v++)
                sum(&b, "  {{%s}} %s x%llu\n", p->captures[k].name, p->captures[k].values[v].value,
                    (unsigned long long)p->captures[k].values[v].count);
    }
    for (size_t i = 0; i < t->nranked; i++) {
        const cb_finding *f = t->ranked[i];
        sum(&b, "finding %s score %.6f sigs %zu stop %d at %d\n", f->pb->id.s, f->score, f->sigs_hit,
            (int)f->walk.stop, f->walk.stop_node);
        for (size_t k = 0; k < f->walk.nwhy; k++)
            sum(&b, "  why %s\n", f->walk.why[k]);
        sum(&b, "  next %s (%zu unknown)\n", f->next_text ? f->next_text : "-", f->next_unknown);
    }
    return cb_buf_detach(&b, NULL);
}

/* One triage with the allocator armed as given; returns its status, *summary its result when CB_OK. */
static cb_status triage_once(long n, bool after, char **summary, long *failed)
{
    cb_library lib;
    cb_library_init(&lib);
    cb_diags d;
    cb_diags_init(&d);
    cb_triage *t = NULL;
    cb_error err;
    cb_triage_opts opts;
    cb_triage_opts_init(&opts);
    opts.scan.threads = 1;

    arm(n, after);
    cb_status st = cb_library_add_path(&lib, MTU_PLAYBOOK, &d);
    if (st == CB_OK)
        st = cb_triage_run(&lib, bundle_dir, &opts, &t, &err);
    *failed = disarm();

    if (st != CB_OK)
        snprintf(last_error, sizeof last_error, "%s", d.n ? d.v[d.n - 1].msg : err.msg);
    *summary = st == CB_OK ? triage_summary(t) : NULL;
    cb_triage_free(t);
    cb_library_release(&lib);
    cb_diags_release(&d);
    return st;
}

/* Run `once` failing each allocation in turn; `expect` (or NULL) is text the result without failures must
 * hold. */
static void fail_every_allocation_of(cb_status (*once)(long, bool, char **, long *), const char *what,
                                     const char *expect)
{
    char *want = NULL;
    long failed = 0;
    assert_int_equal(once(0, false, &want, &failed), CB_OK);
    assert_non_null(want);
    if (expect && !strstr(want, expect))
        fail_msg("%s: the result holds no '%s':\n%s", what, expect, want);
    for (int pass = 0; pass < 2; pass++) {
        bool after = pass == 1;
        long n;
        for (n = 1;; n++) {
            char *got = NULL;
            cb_status st = once(n, after, &got, &failed);
            if (failed == 0) { /* the run no longer reaches allocation n: done */
                assert_int_equal(st, CB_OK);
                free(got);
                break;
            }
            if (st != CB_OK && st != CB_ENOMEM) {
                fprintf(stderr, "%s: failing allocation %ld%s: status %d (%s: %s), not out of memory\n", what,
                        n, after ? " and later ones" : "", (int)st, cb_status_str(st), last_error);
                fail();
            }
            if (st == CB_OK && strcmp(got, want) != 0) {
                fprintf(
                    stderr,
                    "%s: failing allocation %ld%s: succeeded with another result:\n%s\n--- instead of\n%s\n",
                    what, n, after ? " and later ones" : "", got, want);
                fail();
            }
            free(got);
        }
        fprintf(stderr, "%s: failed allocation 1..%ld%s, each cleanly\n", what, n - 1,
                after ? " (and every later one)" : " (one at a time)");
    }
    free(want);
}

static void test_triage_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(triage_once, "triage", "{{target}} dr-proxy01.corp.example");
}

/* ------------------------------------------------------------------ */
/* Walk                                                                */
/* ------------------------------------------------------------------ */

static int64_t fixed_clock(void *ctx)
{
    (void)ctx;
    return INT64_C(1710237600000);
}

/* Drive w with the answers, as `casebook walk --answers` does; returns CB_OK or CB_ENOMEM. */
static cb_status drive(cb_walk *w, const cb_answers *a)
{
    size_t coach_next = 0;
    int last_node = -1;
    bool went_back = false;
    for (int steps = 0; steps < 100; steps++) {
        cb_walk_prompt p;
        cb_status st = cb_walk_current(w, &p);
        if (st != CB_OK)
            return st;
        if (p.stage == CB_WALK_STAGE_END)
            return CB_OK;
        if (p.node != last_node)
            coach_next = 0;
        last_node = p.node;
        const char *text = NULL;
        if (p.stage == CB_WALK_STAGE_NODE && p.logs_answer) {
            /* The logs answer this check: take their answer, as `casebook walk --bundle` does. */
            cb_walk_result res;
            if ((st = cb_walk_answer(w, NULL, NULL, &res)) != CB_OK)
                return st;
            assert_int_equal(res.verdict, CB_ANSWER_ACCEPTED);
            continue;
        }
        if (p.stage == CB_WALK_STAGE_COACH) {
            const cb_coach_entry *c = cb_answers_coach(a, p.n->id);
            text = c && coach_next < c->nattempts ? c->attempts[coach_next++] : NULL;
        } else {
            const cb_answer_entry *e = cb_answers_get(a, p.n->id);
            text = !e ? NULL : p.stage == CB_WALK_STAGE_NODE && p.kind == CB_NODE_DO ? "done" : e->text;
        }
        if (!text)
            return cb_walk_halt(w, CB_WS_STOPPED);
        cb_walk_result res;
        if ((st = cb_walk_answer(w, text, "alice", &res)) != CB_OK)
            return st;
        assert_int_not_equal(res.verdict, CB_ANSWER_INVALID);
        if (!went_back && cb_walk_step_count(w) == 3) {
            /* Undo one answer and give it again: back's copies and frees too. */
            went_back = true;
            if ((st = cb_walk_back(w)) != CB_OK)
                return st;
            last_node = -1;
        }
    }
    fail_msg("the walk did not end in 100 steps");
    return CB_EINVAL;
}

/* With logs: the triage of the bundle (made once, without failures) answers the checks of the walk. */
static cb_library logs_lib;
static cb_triage *logs_triage;

static cb_status walk_once(long n, bool after, char **summary, long *failed)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = NULL;
    cb_answers *a = NULL;
    cb_walk *w = NULL, *again = NULL;
    json_t *j = NULL, *j2 = NULL;
    cb_walk_replay rep = {0};
    cb_error err;
    cb_walk_opts opts;
    cb_walk_opts_init(&opts);
    opts.mode = CB_WALK_COACH;
    opts.engineer = "alice";
    opts.bundle = "bundle.tar.gz";
    opts.now_ms = fixed_clock;
    opts.triage = logs_triage;
    opts.max_evidence = 3;

    arm(n, after);
    cb_status st = CB_OK;
    const cb_playbook *walked = logs_triage ? logs_lib.playbooks[0] : NULL;
    if (!walked && (st = cb_playbook_load(MTU_PLAYBOOK, &pb, &d)) == CB_OK)
        walked = pb;
    if (st == CB_OK)
        st = cb_answers_load(answers_path, &a, &err);
    if (st == CB_OK)
        st = cb_walk_new(walked, &opts, &w, &err);
    if (st == CB_OK)
        st = drive(w, a);
    if (st == CB_OK && !(j = cb_walk_to_json(w)))
        st = CB_ENOMEM;
    /* Resume the transcript in a new walk: every saved answer is replayed. */
    if (st == CB_OK)
        st = cb_walk_new(walked, &opts, &again, &err);
    if (st == CB_OK)
        st = cb_walk_resume(again, j, &rep, &err);
    if (st == CB_OK && !(j2 = cb_walk_to_json(again)))
        st = CB_ENOMEM;
    *failed = disarm();

    if (st != CB_OK)
        snprintf(last_error, sizeof last_error, "%s", err.msg);
    *summary = NULL;
    if (st == CB_OK) {
        char *t1 = json_dumps(j, JSON_SORT_KEYS), *t2 = json_dumps(j2, JSON_SORT_KEYS);
        assert_non_null(t1);
        assert_non_null(t2);
        cb_buf b;
        cb_buf_init(&b, CB_BUF_UNLIMITED);
        sum(&b, "%s\nresumed %zu of %zu, %zu warnings\n%s\n", t1, rep.replayed, rep.saved, rep.nwarnings, t2);
        *summary = cb_buf_detach(&b, NULL);
        free(t1);
        free(t2);
    }
    cb_walk_replay_release(&rep);
    json_decref(j);
    json_decref(j2);
    cb_walk_free(again);
    cb_walk_free(w);
    cb_answers_free(a);
    cb_playbook_free(pb);
    cb_diags_release(&d);
    return st;
}

static void test_walk_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(walk_once, "walk", "\"status\": \"concluded\"");
}

static void test_walk_with_logs_fails_cleanly(void **state)
{
    (void)state;
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    cb_triage_opts opts;
    cb_triage_opts_init(&opts);
    opts.scan.threads = 1;
    cb_library_init(&logs_lib);
    assert_int_equal(cb_library_add_path(&logs_lib, MTU_PLAYBOOK, &d), CB_OK);
    assert_int_equal(cb_triage_run(&logs_lib, bundle_dir, &opts, &logs_triage, &err), CB_OK);
    fail_every_allocation_of(walk_once, "walk with logs", "\"answered_by\": \"logs\"");
    cb_triage_free(logs_triage);
    logs_triage = NULL;
    cb_library_release(&logs_lib);
    cb_diags_release(&d);
}

/* ------------------------------------------------------------------ */
/* Knowledge base                                                      */
/* ------------------------------------------------------------------ */

static void sum_terms(cb_buf *b, const char *what, char **v, size_t n)
{
    sum(b, "%s:", what);
    for (size_t i = 0; i < n; i++)
        sum(b, " [%s]", v[i]);
    sum(b, "\n");
}

static cb_status kb_once(long n, bool after, char **summary, long *failed)
{
    static char text[1 << 16];
    static size_t len;
    if (!len) {
        FILE *f = fopen(CB_SOURCE_ROOT "/examples/articles/KB-NET-0001.md", "rb");
        assert_non_null(f);
        len = fread(text, 1, sizeof text, f);
        fclose(f);
    }
    static const char bad[] = "---\nid: nope\ntitle: T\nstate: done\ntags: [a, b]\nfoo: 1\n---\n## Bogus\nx\n";
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL, *b = NULL;
    char *out = NULL;
    cb_kb_query q1, q2;
    cb_kb_query_init(&q1);
    cb_kb_query_init(&q2);
    arm(n, after);
    cb_status st = cb_article_parse("KB-NET-0001.md", text, len, &a, &d);
    if (st == CB_OK && !(out = cb_article_format(a)))
        st = CB_ENOMEM;
    if (st == CB_OK) {
        st = cb_article_parse("bad.md", bad, sizeof bad - 1, &b, &d);
        st = st == CB_EPARSE ? CB_OK : st == CB_OK ? CB_EINVAL : st;
    }
    if (st == CB_OK)
        st = cb_kb_query_parse("\"forcibly closed\" resolv* 0x800f0805 the remote host", &q1);
    if (st == CB_OK)
        st = cb_kb_query_from_log("[12.03.2024 20:03:47] <43> Warning [ReconnectableSocket] Connection to "
                                  "'dr-proxy01.corp.example:2503' was interrupted: An existing connection was "
                                  "forcibly closed by the remote host",
                                  &q2);
    *failed = disarm();
    *summary = NULL;
    if (st == CB_OK) {
        cb_buf s;
        cb_buf_init(&s, CB_BUF_UNLIMITED);
        sum(&s, "%s", out);
        for (size_t i = 0; i < d.n; i++)
            sum(&s, "%s:%d:%d: %s\n", d.v[i].file, d.v[i].line, d.v[i].col, d.v[i].msg);
        sum_terms(&s, "words", q1.words, q1.nwords);
        sum_terms(&s, "phrases", q1.phrases, q1.nphrases);
        sum_terms(&s, "prefixes", q1.prefixes, q1.nprefixes);
        sum_terms(&s, "log", q2.words, q2.nwords);
        *summary = cb_buf_detach(&s, NULL);
    } else {
        snprintf(last_error, sizeof last_error, "%s", "kb");
    }
    cb_kb_query_release(&q1);
    cb_kb_query_release(&q2);
    free(out);
    cb_article_free(a);
    cb_article_free(b);
    cb_diags_release(&d);
    return st;
}

static void test_kb_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(kb_once, "kb", "log: [reconnectablesocket]");
}

/* ------------------------------------------------------------------ */
/* The store: people, import, search, get (SQLite keeps its own allocator) */
/* ------------------------------------------------------------------ */

static char articles_dir[128];

/* Two example articles in a directory of their own: import reads a directory. */
static void make_articles(void)
{
    snprintf(articles_dir, sizeof articles_dir, "%s/articles", tmpdir);
    mkdir(articles_dir, 0755);
    static const char *const names[] = {"KB-NET-0001.md", "KB-NET-0002.md"};
    for (size_t i = 0; i < 2; i++) {
        char src[512], dst[256];
        snprintf(src, sizeof src, "%s/examples/articles/%s", CB_SOURCE_ROOT, names[i]);
        snprintf(dst, sizeof dst, "%s/%s", articles_dir, names[i]);
        FILE *f = fopen(src, "rb");
        assert_non_null(f);
        static char text[1 << 16];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        write_file(dst, text);
    }
}

static cb_status store_once(long n, bool after, char **summary, long *failed)
{
    if (!articles_dir[0])
        make_articles();
    char db[256], wal[280], shm[280];
    snprintf(db, sizeof db, "%s/kb.db", tmpdir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    cb_store *s = NULL;
    cb_error err;
    err.msg[0] = '\0';
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    cb_kb_derived der;
    cb_kb_hits hits = {0};
    cb_people people = {0};
    size_t imported = 0;
    static const char *const domains[] = {"network"};
    cb_person_new alice = {.handle = "alice", .name = "Alice A", .role = CB_ROLE_PUBLISHER, .coach = true,
                           .domains = domains, .ndomains = 1};
    arm(n, after);
    cb_status st = cb_store_open(db, NULL, &s, &err);
    if (st == CB_OK)
        st = cb_people_add(s, &alice, &err);
    if (st == CB_OK)
        st = cb_kb_import(s, articles_dir, "alice", &d, &imported, &err);
    if (st == CB_OK)
        st = cb_kb_search(s,
                          "[12.03.2024 20:03:47] <43> Warning [ReconnectableSocket] Connection to "
                          "'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly "
                          "closed by the remote host",
                          false, 5, &hits, &err);
    if (st == CB_OK)
        st = cb_kb_get(s, "KB-NET-0001", &a, &der, &err);
    if (st == CB_OK)
        st = cb_people_list(s, &people, &err);
    *failed = disarm();
    *summary = NULL;
    if (st == CB_OK) {
        cb_buf b;
        cb_buf_init(&b, CB_BUF_UNLIMITED);
        sum(&b, "imported %zu, search from log %d:", imported, hits.from_log);
        for (size_t i = 0; i < hits.n; i++)
            sum(&b, " %s", hits.hits[i].id);
        sum(&b, "\nget %s: %s, reuse %u, revisions %u\n", a->id, a->title, der.reuse, der.revisions);
        for (size_t i = 0; i < people.n; i++)
            sum(&b, "person %s %s %s\n", people.v[i].handle, people.v[i].name, cb_role_name(people.v[i].role));
        *summary = cb_buf_detach(&b, NULL);
    } else {
        snprintf(last_error, sizeof last_error, "%s", d.n ? d.v[d.n - 1].msg : err.msg);
    }
    cb_people_release(&people);
    cb_kb_hits_release(&hits);
    cb_article_free(a);
    cb_diags_release(&d);
    cb_store_close(s);
    return st;
}

static void test_store_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(store_once, "store", "search from log 1: KB-NET-0001");
}

/* ------------------------------------------------------------------ */
/* Cases: rows of a triage, create, note, get, similar, list           */
/* ------------------------------------------------------------------ */

static cb_status case_once(long n, bool after, char **summary, long *failed)
{
    char db[256], wal[280], shm[280];
    snprintf(db, sizeof db, "%s/cases.db", tmpdir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    /* Not failing: the triage (tested above) and opening the store (tested in store_once). */
    cb_library lib;
    cb_diags d;
    cb_library_init(&lib);
    cb_diags_init(&d);
    cb_triage *t = NULL;
    cb_triage_opts opts;
    cb_triage_opts_init(&opts);
    opts.scan.threads = 1;
    cb_error err;
    cb_store *s = NULL;
    assert_int_equal(cb_library_add_path(&lib, MTU_PLAYBOOK, &d), CB_OK);
    assert_int_equal(cb_triage_run(&lib, bundle_dir, &opts, &t, &err), CB_OK);
    assert_int_equal(cb_store_open(db, NULL, &s, &err), CB_OK);
    err.msg[0] = '\0';

    cb_case_triage rows;
    cb_case c = {0};
    cb_case_similars sim = {0};
    cb_case_listing list = {0};
    char id1[CB_CASE_ID_SIZE] = "", id2[CB_CASE_ID_SIZE] = "";
    unsigned note = 0;
    arm(n, after);
    cb_status st = cb_case_triage_from(t, &rows);
    cb_case_new nc = {.title = "Replication stalls", .customer = "ACME", .bundle_path = "/bundles/one",
                      .bundle_fingerprint = "00ff", .triage_json = "{\"findings\": [{\"playbook\": \"x\"}]}",
                      .triage = &rows};
    if (st == CB_OK)
        st = cb_case_create(s, &nc, NULL, id1, &err);
    nc.title = "Again";
    if (st == CB_OK)
        st = cb_case_create(s, &nc, NULL, id2, &err);
    if (st == CB_OK)
        st = cb_case_note_add(s, id2, "a note", NULL, &note, &err);
    if (st == CB_OK)
        st = cb_case_get(s, id2, &c, &err);
    if (st == CB_OK)
        st = cb_case_similar_find(s, id2, 10, &sim, &err);
    if (st == CB_OK)
        st = cb_case_list(s, NULL, &list, &err);
    *failed = disarm();
    *summary = NULL;
    if (st == CB_OK) {
        cb_buf b;
        cb_buf_init(&b, CB_BUF_UNLIMITED);
        sum(&b, "%s %s: %s, %s, %zu fired, %zu signatures, note %u of %zu\n", id1, c.e.id, c.e.title,
            c.e.customer, c.triage.nfired, c.triage.nsigs, note, c.nnotes);
        for (size_t i = 0; i < c.triage.nfired; i++)
            sum(&b, "fired %s rank %u node %s\n", c.triage.fired[i].playbook, c.triage.fired[i].rank,
                c.triage.fired[i].node ? c.triage.fired[i].node : "-");
        for (size_t i = 0; i < sim.n; i++)
            sum(&b, "similar %s %.3f shares %zu\n", sim.v[i].e.id, sim.v[i].score, sim.v[i].nshared);
        for (size_t i = 0; i < list.n; i++)
            sum(&b, "listed %s\n", list.v[i].id);
        *summary = cb_buf_detach(&b, NULL);
    } else {
        snprintf(last_error, sizeof last_error, "%s", err.msg);
    }
    cb_case_listing_release(&list);
    cb_case_similars_release(&sim);
    cb_case_release(&c);
    cb_case_triage_release(&rows);
    cb_store_close(s);
    cb_triage_free(t);
    cb_library_release(&lib);
    cb_diags_release(&d);
    return st;
}

static void test_case_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(case_once, "case", "similar CASE-0001 1.000");
}

/* A case's walks: one saved, then replaced (a resumed walk concluding), another added, the article offered. */
static cb_status casewalk_once(long n, bool after, char **summary, long *failed)
{
    char db[256], wal[280], shm[280];
    snprintf(db, sizeof db, "%s/casewalk.db", tmpdir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    cb_error err;
    cb_store *s = NULL;
    char id[CB_CASE_ID_SIZE] = "";
    cb_case_new nc = {.title = "Replication stalls"};
    /* Not failing: opening the store and creating the case (tested above). */
    assert_int_equal(cb_store_open(db, NULL, &s, &err), CB_OK);
    assert_int_equal(cb_case_create(s, &nc, NULL, id, &err), CB_OK);
    err.msg[0] = '\0';

    cb_case_walk_new w = {.playbook = "replication-mtu-mismatch", .mode = "guide", .status = "quit",
                          .node = "df-ping", .transcript = "{\"casebook_transcript\": 1}"};
    unsigned n1 = 0, n2 = 0;
    char article[64] = "";
    arm(n, after);
    cb_status st = cb_case_walk_save(s, id, &w, NULL, &n1, &err);
    w.status = "concluded";
    w.node = "mtu-mismatch";
    w.article = "KB-NET-0001";
    if (st == CB_OK)
        st = cb_case_walk_save(s, id, &w, NULL, &n1, &err);
    w.playbook = "ips-inspection-drops-veeam-traffic";
    w.status = "stopped";
    w.article = NULL;
    if (st == CB_OK)
        st = cb_case_walk_save(s, id, &w, NULL, &n2, &err);
    if (st == CB_OK)
        st = cb_case_concluded_article(s, id, article, sizeof article, &err);
    *failed = disarm();
    *summary = NULL;
    if (st == CB_OK) {
        cb_buf b;
        cb_buf_init(&b, CB_BUF_UNLIMITED);
        sum(&b, "walks %u %u, offered %s\n", n1, n2, article);
        *summary = cb_buf_detach(&b, NULL);
    } else {
        snprintf(last_error, sizeof last_error, "%s", err.msg);
    }
    cb_store_close(s);
    return st;
}

static void test_casewalk_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(casewalk_once, "case walks", "walks 1 2, offered KB-NET-0001");
}

/* ------------------------------------------------------------------ */
/* Changing articles: add, edit, state, flag, resolve, history          */
/* ------------------------------------------------------------------ */

static cb_article *parse_article(const char *text)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    assert_int_equal(cb_article_parse("t.md", text, strlen(text), &a, &d), CB_OK);
    cb_diags_release(&d);
    return a;
}

static cb_status kbwrite_once(long n, bool after, char **summary, long *failed)
{
    static const char first[] = "---\nid: KB-NET-0100\ntitle: Proxy stalls\nstate: not-validated\n"
                                "audience: internal\ntags: [net]\n---\n## Issue\nStalls.\n## Environment\nVBR 12\n"
                                "## Resolution\nRaise the timeout.\n";
    static const char second[] = "---\nid: KB-NET-0100\ntitle: Proxy stalls at 99%\nstate: not-validated\n"
                                 "audience: internal\ntags: [net, proxy]\n---\n## Issue\nStalls at 99%.\n"
                                 "## Environment\nVBR 12\n## Resolution\nRaise the timeout to 30 s.\n";
    char db[256], wal[280], shm[280];
    snprintf(db, sizeof db, "%s/kbwrite.db", tmpdir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    cb_article *a1 = parse_article(first), *a2 = parse_article(second);
    cb_store *s = NULL;
    cb_error err;
    err.msg[0] = '\0';
    cb_kb_record h = {0};
    unsigned rev = 0, flag = 0;
    char next[CB_KB_ID_SIZE] = "";
    cb_person_new bob = {.handle = "bob", .name = "Bob", .role = CB_ROLE_CONTRIBUTOR};
    cb_person_new cleo = {.handle = "cleo", .name = "Cleo", .role = CB_ROLE_CONTRIBUTOR};
    arm(n, after);
    cb_status st = cb_store_open(db, NULL, &s, &err);
    if (st == CB_OK)
        st = cb_people_add(s, &bob, &err);
    if (st == CB_OK)
        st = cb_people_add(s, &cleo, &err);
    if (st == CB_OK)
        st = cb_kb_add(s, a1, "bob", &err);
    if (st == CB_OK)
        st = cb_kb_edit(s, a2, 1, "bob", "clearer", &rev, &err);
    if (st == CB_OK)
        st = cb_kb_set_state(s, "KB-NET-0100", CB_KB_VALIDATED, "cleo", "used on a case", false, &err);
    if (st == CB_OK)
        st = cb_kb_flag(s, "KB-NET-0100", "step 2 is wrong", "bob", &flag, &err);
    if (st == CB_OK)
        st = cb_kb_flag_resolve(s, "KB-NET-0100", flag, "cleo", &err);
    if (st == CB_OK)
        st = cb_kb_history(s, "KB-NET-0100", &h, &err);
    if (st == CB_OK)
        st = cb_kb_next_id(s, "NET", next, &err);
    *failed = disarm();
    *summary = NULL;
    if (st == CB_OK) {
        cb_buf b;
        cb_buf_init(&b, CB_BUF_UNLIMITED);
        sum(&b, "revision %u, flag %u, next %s\n", rev, flag, next);
        for (size_t i = 0; i < h.nrevisions; i++) /* revision 3's changes hold the time of the review */
            sum(&b, "%u %s %s %s\n", h.revisions[i].n, h.revisions[i].who, h.revisions[i].why,
                h.revisions[i].n < 3 ? h.revisions[i].changes : "");
        for (size_t i = 0; i < h.nflags; i++)
            sum(&b, "flag %u %s %s %s\n", h.flags[i].n, h.flags[i].body, h.flags[i].author, h.flags[i].resolved_by);
        *summary = cb_buf_detach(&b, NULL);
    } else {
        snprintf(last_error, sizeof last_error, "%s", err.msg);
    }
    cb_kb_record_release(&h);
    cb_article_free(a1);
    cb_article_free(a2);
    cb_store_close(s);
    return st;
}

static void test_kbwrite_fails_cleanly(void **state)
{
    (void)state;
    fail_every_allocation_of(kbwrite_once, "kbwrite", "flag 1 step 2 is wrong bob cleo");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triage_fails_cleanly),
        cmocka_unit_test(test_walk_fails_cleanly),
        cmocka_unit_test(test_walk_with_logs_fails_cleanly),
        cmocka_unit_test(test_kb_fails_cleanly),
        cmocka_unit_test(test_store_fails_cleanly),
        cmocka_unit_test(test_case_fails_cleanly),
        cmocka_unit_test(test_casewalk_fails_cleanly),
        cmocka_unit_test(test_kbwrite_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
