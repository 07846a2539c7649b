/*
 * test_scan.c — the scanner against a reference: PCRE2 run line by line over
 * the same files must find exactly the same (file, line, pattern) hits, for
 * random patterns and random lines, whichever way the scanner searches them
 * (literal prefilter or full regex), on one thread or several.  Plus globs,
 * captures, evidence order, time windows and compile errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ftw.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/glob.h"
#include "casebook/scan.h"

/*
 * Allocation failure: the library's malloc family is wrapped at link time
 * (tests/meson.build); with fail_at set, the fail_at-th call from then on
 * fails.  Atomic: the scanner allocates on its worker threads too.
 */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long fail_at, alloc_calls;

static bool alloc_fails(void)
{
    return __atomic_load_n(&fail_at, __ATOMIC_RELAXED) &&
           __atomic_add_fetch(&alloc_calls, 1, __ATOMIC_RELAXED) == __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
}

void *__wrap_malloc(size_t n)
{
    return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return alloc_fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return alloc_fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return alloc_fails() ? NULL : __real_strndup(s, n);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const words[] = {"error", "Error", "ERROR", "timeout", "connection", "reset", "closed",
                                    "host", "disk", "sda", "sdb", "failed", "ok", "retry", "job", "Job",
                                    "user", "root", "port", "22", "1472", "mtu", "MTU", "warning", "Info",
                                    "blk_1", "blk_2", "id=7", "x", "y"};
#define NWORDS (sizeof words / sizeof words[0])

static char tmpdir[64];

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cbscanXXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/*
 * A random log-like line of words, numbers and punctuation; now and then with
 * a byte that is not valid UTF-8 (Latin-1 text, binary junk) or, where the
 * file's line ends allow it, a lone CR inside the line: both must pass
 * through untouched, as PCRE2 sees them.
 */
static size_t random_line(char *out, size_t cap, bool lone_cr)
{
    size_t n = 0;
    unsigned nw = 1 + rnd(12);
    for (unsigned i = 0; i < nw && n + 40 < cap; i++) {
        if (i)
            out[n++] = " :=-./[]"[rnd(8)];
        if (rnd(4) == 0)
            n += (size_t)snprintf(out + n, cap - n, "%u", rnd(100000));
        else
            n += (size_t)snprintf(out + n, cap - n, "%s", words[rnd(NWORDS)]);
        if (rnd(40) == 0)
            out[n++] = (char)(0x80 + rnd(128));
        else if (lone_cr && i + 1 < nw && rnd(40) == 0)
            out[n++] = '\r';
    }
    return n;
}

/* A random pattern over the same vocabulary. */
static void random_pattern(char *out, size_t cap)
{
    size_t n = 0;
    unsigned parts = 1 + rnd(3);
    for (unsigned i = 0; i < parts && n + 60 < cap; i++) {
        switch (rnd(9)) {
        case 0:
            n += (size_t)snprintf(out + n, cap - n, "(%s|%s)", words[rnd(NWORDS)], words[rnd(NWORDS)]);
            break;
        case 1:
            n += (size_t)snprintf(out + n, cap - n, "\\d+");
            break;
        case 2:
            n += (size_t)snprintf(out + n, cap - n, "[ :=]");
            break;
        case 3:
            n += (size_t)snprintf(out + n, cap - n, "(?<v>[a-z0-9_]+)");
            break;
        case 4:
            n += (size_t)snprintf(out + n, cap - n, "%s?", words[rnd(NWORDS)]);
            break;
        case 5:
            n += (size_t)snprintf(out + n, cap - n, "^%s", words[rnd(NWORDS)]);
            break;
        case 6:
            n += (size_t)snprintf(out + n, cap - n, "%s$", words[rnd(NWORDS)]);
            break;
        default:
            n += (size_t)snprintf(out + n, cap - n, "%s", words[rnd(NWORDS)]);
        }
    }
    out[n] = '\0';
}

typedef struct hit {
    uint32_t file, pat;
    uint64_t line;
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
} hits;

static void hits_add(hits *h, uint32_t file, uint64_t line, uint32_t pt)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        assert_non_null(h->v);
    }
    h->v[h->n].file = file;
    h->v[h->n].line = line;
    h->v[h->n].pat = pt;
    h->n++;
}

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

typedef struct collect {
    hits *h;
    uint64_t last_file, last_line;
    bool ordered;
    bool any;
} collect;

static void on_line(void *ctx, const cb_scan_line *L)
{
    collect *c = ctx;
    if (c->any && (L->file_index < c->last_file || (L->file_index == c->last_file && L->line <= c->last_line)))
        c->ordered = false;
    c->any = true;
    c->last_file = L->file_index;
    c->last_line = L->line;
    for (size_t i = 0; i < L->npatterns; i++)
        hits_add(c->h, (uint32_t)L->file_index, L->line, L->patterns[i]);
}

enum { NFILES = 12, NPATS = 60 };

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void test_against_pcre2(void **state)
{
    (void)state;
    static char regex[NPATS][256];
    static const char *globs_log[] = {"**/*.log"};
    static const char *globs_sub[] = {"sub/**"};
    cb_pattern pats[NPATS];
    pcre2_code *ref[NPATS];
    size_t literal_paths = 0;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < NPATS; i++) {
            int errcode;
            PCRE2_SIZE off;
            char msg[128];
            do
                random_pattern(regex[i], sizeof regex[i]);
            while (!cb_regex_check(NULL, regex[i], false, msg, sizeof msg));
            pats[i].id = regex[i];
            pats[i].regex = regex[i];
            pats[i].caseless = rnd(4) == 0;
            pats[i].globs = NULL;
            pats[i].nglobs = 0;
            if (rnd(6) == 0) {
                pats[i].globs = globs_log;
                pats[i].nglobs = 1;
            } else if (rnd(6) == 0) {
                pats[i].globs = globs_sub;
                pats[i].nglobs = 1;
            }
            ref[i] = pcre2_compile((PCRE2_SPTR)regex[i], PCRE2_ZERO_TERMINATED,
                                   pats[i].caseless ? PCRE2_CASELESS : 0, &errcode, &off, NULL);
            assert_non_null(ref[i]);
        }
        /* Files: names sort in this order, so their index is their position. */
        char path[256], names[NFILES][32];
        unsigned file_lines[NFILES];
        snprintf(path, sizeof path, "%s/r%d", tmpdir, round);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/r%d/sub", tmpdir, round);
        mkdir(path, 0755);
        hits want = {0};
        pcre2_match_data *md = pcre2_match_data_create(16, NULL);
        for (int f = 0; f < NFILES; f++) {
            snprintf(names[f], sizeof names[f], f < NFILES / 2 ? "f%02d.%s" : "sub/g%02d.%s", f,
                     f % 3 ? "log" : "txt");
            size_t cap = 1 << 20, n = 0;
            char *data = malloc(cap);
            assert_non_null(data);
            unsigned nlines = 200 + rnd(3000);
            file_lines[f] = nlines;
            uint64_t lineno = 0;
            for (unsigned l = 0; l < nlines; l++) {
                size_t s = n;
                n += random_line(data + n, cap - n, f % 4 != 3);
                lineno++;
                for (int p = 0; p < NPATS; p++) {
                    if (pats[p].nglobs && !cb_glob_match(pats[p].globs[0], names[f]))
                        continue;
                    if (pcre2_match(ref[p], (PCRE2_SPTR)(data + s), n - s, 0, 0, md, NULL) >= 0)
                        hits_add(&want, (uint32_t)f, lineno, (uint32_t)p);
                }
                /* Line ends: LF, CR LF (Windows logs) or CR alone, by file. */
                if (f % 4 == 1)
                    data[n++] = '\r';
                data[n++] = f % 4 == 3 ? '\r' : '\n';
            }
            snprintf(path, sizeof path, "%s/r%d/%s", tmpdir, round, names[f]);
            write_file(path, data, n);
            free(data);
        }
        pcre2_match_data_free(md);

        cb_scanner *sc;
        cb_error err;
        if (cb_scanner_new(pats, NPATS, &sc, &err))
            fail_msg("scanner: %s", err.msg);
        literal_paths += cb_scanner_literal_count(sc);
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            hits got = {0};
            collect c = {.h = &got, .ordered = true};
            cb_scan_opts o;
            cb_scan_opts_init(&o);
            o.threads = threads;
            o.on_line = on_line;
            o.on_line_ctx = &c;
            cb_scan_result *res;
            snprintf(path, sizeof path, "%s/r%d", tmpdir, round);
            assert_int_equal(cb_scan_bundle(sc, path, &o, &res, &err), CB_OK);
            assert_true(c.ordered);
            /* The scanner's file index is bundle order; map it to our file number by path. */
            for (size_t i = 0; i < got.n; i++) {
                const char *fp = res->files[got.v[i].file].path;
                int f = 0;
                while (f < NFILES && strcmp(names[f], fp) != 0)
                    f++;
                assert_true(f < NFILES);
                got.v[i].file = (uint32_t)f;
            }
            qsort(got.v, got.n, sizeof *got.v, cmp_hit);
            qsort(want.v, want.n, sizeof *want.v, cmp_hit);
            if (got.n != want.n || memcmp(got.v, want.v, got.n * sizeof *got.v) != 0) {
                size_t i = 0;
                while (i < got.n && i < want.n && !cmp_hit(&got.v[i], &want.v[i]))
                    i++;
                const hit *g = i < got.n ? &got.v[i] : NULL, *w = i < want.n ? &want.v[i] : NULL;
                fail_msg("round %d, %u threads: %zu hits, want %zu; first difference at %zu: got %s:%llu /%s/, "
                         "want %s:%llu /%s/",
                         round, threads, got.n, want.n, i, g ? names[g->file] : "-",
                         g ? (unsigned long long)g->line : 0ULL, g ? regex[g->pat] : "-", w ? names[w->file] : "-",
                         w ? (unsigned long long)w->line : 0ULL, w ? regex[w->pat] : "-");
            }
            /* Per-pattern counts agree with the hits, in the full mode and in the counts-only mode. */
            cb_scan_opts oc;
            cb_scan_opts_init(&oc);
            oc.threads = threads;
            oc.counts_only = true;
            cb_scan_result *rc;
            assert_int_equal(cb_scan_bundle(sc, path, &oc, &rc, &err), CB_OK);
            for (int p = 0; p < NPATS; p++) {
                uint64_t k = 0;
                for (size_t i = 0; i < want.n; i++)
                    k += want.v[i].pat == (uint32_t)p;
                assert_int_equal(res->pats[p].count, k);
                assert_int_equal(rc->pats[p].count, k);
            }
            for (size_t f = 0; f < res->nfiles; f++) {
                assert_int_equal(rc->files[f].matched_lines, res->files[f].matched_lines);
                /* Line totals (counted by the workers, whatever the line ends) for files that were read. */
                int k = 0;
                while (k < NFILES && strcmp(names[k], res->files[f].path) != 0)
                    k++;
                assert_true(k < NFILES);
                if (res->files[f].scanned) {
                    assert_int_equal(res->files[f].lines, file_lines[k]);
                    assert_int_equal(rc->files[f].lines, file_lines[k]);
                }
            }
            cb_scan_result_free(rc);
            cb_scan_result_free(res);
            free(got.v);
        }
        cb_scanner_free(sc);
        for (int i = 0; i < NPATS; i++)
            pcre2_code_free(ref[i]);
        free(want.v);
    }
    /* Both ways of searching were exercised. */
    assert_true(literal_paths > 6 * NPATS / 4);
    assert_true(literal_paths < 6 * NPATS);
}

static void put(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    write_file(path, text, strlen(text));
}

/* Evidence is the first N lines in bundle order; captures are counted; times come from the lines. */
static void test_evidence_captures_times(void **state)
{
    (void)state;
    put("a/Job.one.log", "\r\n[12.03.2024 10:00:00] <01> Info     start\r\n"
                         "[12.03.2024 10:00:01] <01> Error    Timed out waiting for data from dr-proxy01\r\n"
                         "   at Veeam.Backup.Core.Something()\r\n"
                         "[12.03.2024 10:00:05] <01> Error    Timed out waiting for data from dr-proxy02\r\n");
    put("b/Job.two.log", "[12.03.2024 11:00:00] <01> Error    Timed out waiting for data from dr-proxy02\r\n"
                         "[12.03.2024 11:30:00] <01> Error    Timed out waiting for data from DR-PROXY02\r\n"
                         "[12.03.2024 12:00:00] <01> Error    timed out waiting for data from dr-proxy02\r\n");
    put("c/other.txt", "Timed out waiting for data from elsewhere\n");
    static const char *globs[] = {"**/Job.*.log"};
    cb_pattern p[2] = {
        {"timeout", "Timed out waiting for data from (?<target>[A-Za-z0-9.-]+)", true, globs, 1},
        {"frame", "^\\s+at Veeam\\.", false, NULL, 0},
    };
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(p, 2, &sc, &err), CB_OK);
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    o.max_evidence = 3;
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    const cb_pattern_result *t = &r->pats[0];
    assert_int_equal(t->count, 5);
    assert_int_equal(t->files_applicable, 2);
    assert_int_equal(t->nevidence, 3);
    assert_string_equal(r->files[t->evidence[0].file_index].path, "a/Job.one.log");
    assert_int_equal(t->evidence[0].line, 3);
    assert_int_equal(t->evidence[1].line, 5);
    assert_string_equal(r->files[t->evidence[2].file_index].path, "b/Job.two.log");
    assert_int_equal(t->evidence[2].line, 1);
    assert_string_equal(t->evidence[0].text,
                        "[12.03.2024 10:00:01] <01> Error    Timed out waiting for data from dr-proxy01");
    assert_true(t->has_time);
    assert_int_equal(t->first_ms, INT64_C(1710237601000)); /* 2024-03-12T10:00:01Z */
    assert_int_equal(t->last_ms, INT64_C(1710244800000));  /* 2024-03-12T12:00:00Z */
    assert_int_equal(t->ncaptures, 1);
    assert_string_equal(t->captures[0].name, "target");
    assert_string_equal(t->captures[0].values[0].value, "dr-proxy02");
    assert_int_equal(t->captures[0].values[0].count, 3);
    /* The stack frame inherits the timestamp of the line before it. */
    const cb_pattern_result *fr = &r->pats[1];
    assert_int_equal(fr->count, 1);
    assert_int_equal(fr->evidence[0].line, 4);
    assert_true(fr->evidence[0].has_time);
    assert_int_equal(fr->evidence[0].time_ms, INT64_C(1710237601000));
    cb_scan_result_free(r);

    /* A time window counts only lines inside it. */
    o.since_set = o.until_set = true;
    o.since_ms = INT64_C(1710241200000); /* 11:00 */
    o.until_ms = INT64_C(1710243000000); /* 11:30 */
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_int_equal(r->pats[0].count, 2);
    assert_int_equal(r->pats[0].first_ms, INT64_C(1710241200000));
    assert_int_equal(r->pats[1].count, 0);
    cb_scan_result_free(r);
    cb_scanner_free(sc);
}

/*
 * Resolving a window against the bundle (the library's pre-pass): relative
 * values count back from the last timestamp, a reversed window or one with
 * nothing to count back from is refused, untimed lines are counted and said
 * so, and a dmesg file is placed on the clock by the kern.log copy of its
 * lines.
 */
static void test_window(void **state)
{
    (void)state;
    put("app.log", "2024-03-12T10:00:00Z start\n2024-03-12T11:00:00Z disk error\n2024-03-12T12:00:00Z end\n");
    put("dmesg", "\n[    0.000000] Linux version 6.1\n[ 3600.000000] disk error on sdb\n"
                 "[ 7200.000000] disk error on sdb\n");
    put("notes.txt", "disk error, no time\n");
    cb_pattern p = {"e", "disk error", false, NULL, 0};
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(&p, 1, &sc, &err), CB_OK);
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    cb_time_arg since = {true, INT64_C(5400000)}, until = {false, INT64_C(1710244800000)}; /* 1h30m; 12:00 */
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, &until, &err), CB_OK);
    assert_true(o.since_set && o.until_set);
    assert_int_equal(o.since_ms, INT64_C(1710239400000)); /* 12:00 - 1h30m */
    assert_int_equal(o.nboots, 0);                         /* nothing says when the kernel booted */
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_true(r->windowed);
    assert_int_equal(r->pats[0].count, 4); /* 11:00 and the three lines without a time */
    assert_int_equal(r->pats[0].untimed, 3);
    cb_scan_result_free(r);

    /* The kern.log copy (CR LF, as copied off Windows) of the first dmesg line (after a blank one): booted at
     * 09:00, so the dmesg errors are at 10:00 and 11:00. */
    put("kern.log", "2024-03-12T09:00:00.000000+00:00 db01 systemd[1]: Starting\r\n"
                    "2024-03-12T09:00:00.000000+00:00 db01 kernel: [    0.000000] Linux version 6.1\r\n");
    since = (cb_time_arg){false, INT64_C(1710239400000)}; /* 10:30 */
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, &until, &err), CB_OK);
    assert_int_equal(o.nboots, 1);
    assert_string_equal(o.boots[0].path, "dmesg");
    assert_string_equal(o.boots[0].source, "kern.log");
    assert_int_equal(o.boots[0].boot_ms, INT64_C(1710234000000));
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_int_equal(r->pats[0].count, 3); /* app.log 11:00, dmesg 11:00, notes.txt */
    assert_int_equal(r->pats[0].untimed, 1);
    cb_scan_result_free(r);

    /* Reversed, or out of range once resolved: refused, and the window is left unset. */
    since = (cb_time_arg){true, INT64_C(7200000)};
    until = (cb_time_arg){true, INT64_C(10800000)};
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, &until, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "reversed"));
    assert_false(o.since_set || o.until_set);
    since = (cb_time_arg){true, INT64_C(300000000000000)};
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, NULL, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "0001"));
    /* No window: nothing read, nothing set. */
    assert_int_equal(cb_scan_set_window(&o, "/nonexistent/bundle", NULL, NULL, &err), CB_OK);
    assert_false(o.since_set || o.until_set);
    cb_scan_opts_release(&o);
    cb_scan_opts_release(NULL);
    cb_scanner_free(sc);
}

/*
 * A kern.log that spans two boots repeats the first boot line with the same
 * uptime: the boot whose copies agree with more dmesg lines wins, and a
 * dmesg -T copy counts as well.
 */
static void test_boot_votes(void **state)
{
    (void)state;
    put("dmesg", "[    0.000000] Linux version 6.1\n[    2.000000] sd 2:0:0:0: [sdb] Attached\n"
                 "[    3.000000] random: crng init done\n[ 3600.000000] disk error on sdb\n");
    put("kern.log", "2024-03-10T09:00:00+00:00 h kernel: [    0.000000] Linux version 6.1\n"
                    "2024-03-10T09:00:01+00:00 h kernel: [    1.000000] sd 2:0:0:0: [sdb] Attached\n"
                    "2024-03-12T09:00:00+00:00 h kernel: [    0.000000] Linux version 6.1\n"
                    "2024-03-12T09:00:02+00:00 h kernel: [    2.000000] sd 2:0:0:0: [sdb] Attached\n");
    put("dmesg.T", "[Tue Mar 12 09:00:03 2024] random: crng init done\n");
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    cb_time_arg since = {false, INT64_C(1710237600000)}; /* 10:00 */
    cb_error err;
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, NULL, &err), CB_OK);
    assert_int_equal(o.nboots, 1);
    assert_string_equal(o.boots[0].path, "dmesg");
    assert_int_equal(o.boots[0].boot_ms, INT64_C(1710234000000)); /* 2024-03-12T09:00:00Z */
    cb_pattern p = {"e", "disk error", false, NULL, 0};
    cb_scanner *sc;
    assert_int_equal(cb_scanner_new(&p, 1, &sc, &err), CB_OK);
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_int_equal(r->pats[0].count, 1);
    assert_int_equal(r->pats[0].untimed, 0);
    assert_int_equal(r->pats[0].first_ms, INT64_C(1710237600000));
    assert_int_equal(r->nboots, 1);
    cb_scan_result_free(r);
    cb_scanner_free(sc);
    cb_scan_opts_release(&o);
}

/* A relative value needs a timestamp somewhere in the bundle. */
static void test_window_untimed_bundle(void **state)
{
    (void)state;
    put("notes.txt", "no time here\n");
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    cb_time_arg since = {true, 60000};
    cb_error err;
    assert_int_equal(cb_scan_set_window(&o, tmpdir, &since, NULL, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "no timestamps found"));
    cb_scan_opts_release(&o);
}

/* Ties between capture values go to the value seen first. */
static void test_capture_ties(void **state)
{
    (void)state;
    put("x.log", "host=b\nhost=a\nhost=a\nhost=b\nhost=c\n");
    cb_pattern p = {"h", "host=(?<h>[a-z])", false, NULL, 0};
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(&p, 1, &sc, &err), CB_OK);
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, NULL, &r, &err), CB_OK);
    const cb_capture *c = &r->pats[0].captures[0];
    assert_int_equal(c->nvalues, 3);
    assert_string_equal(c->values[0].value, "b");
    assert_string_equal(c->values[1].value, "a");
    assert_string_equal(c->values[2].value, "c");
    cb_scan_result_free(r);

    /* With captures off (as grep runs), patterns with named groups still count, with no capture lists. */
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    o.captures = false;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_int_equal(r->pats[0].count, 5);
    assert_int_equal(r->pats[0].ncaptures, 0);
    cb_scan_result_free(r);
    cb_scanner_free(sc);
}

static void test_compile_errors(void **state)
{
    (void)state;
    cb_pattern bad[] = {{"ok", "fine", false, NULL, 0}, {"backref", "(a)\\1", false, NULL, 0}};
    cb_scanner *sc = NULL;
    cb_error err;
    assert_int_equal(cb_scanner_new(bad, 2, &sc, &err), CB_EINVAL);
    assert_null(sc);
    assert_non_null(strstr(err.msg, "pattern 'backref' ('(a)\\1'): "));
    assert_non_null(strstr(err.msg, "Back-references"));
    cb_pattern empty = {"empty", "x*", false, NULL, 0};
    assert_int_equal(cb_scanner_new(&empty, 1, &sc, &err), CB_EINVAL);
    assert_string_equal(err.msg, "pattern 'empty' ('x*'): pattern can match an empty line");
    static const char *badglob[] = {"[abc"};
    cb_pattern g = {"g", "x", false, badglob, 1};
    assert_int_equal(cb_scanner_new(&g, 1, &sc, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "pattern 'g': file glob '[abc': "));
    char msg[256];
    assert_false(cb_regex_check(NULL, "(?<=a)b", false, msg, sizeof msg));
    assert_true(cb_regex_check(NULL, "a(?<n>b)", true, msg, sizeof msg));
    /* Limits Hyperscan applies only when it builds a database are checked too (lint uses this). */
    assert_false(cb_regex_check(NULL, "(?:a|b)\\d.{40000}x", false, msg, sizeof msg));
    assert_string_equal(msg, "Bounded repeat is too large.");
    cb_pattern big = {"big", "(?:a|b)\\d.{40000}x", false, NULL, 0};
    assert_int_equal(cb_scanner_new(&big, 1, &sc, &err), CB_EINVAL);
    assert_string_equal(err.msg, "pattern 'big' ('(?:a|b)\\d.{40000}x'): Bounded repeat is too large.");
}

/* A pattern matching every line of a large file: counts stay exact, memory bounded by the job pool. */
static void test_match_everything(void **state)
{
    (void)state;
    size_t n = 0, cap = 8 << 20;
    char *data = malloc(cap);
    assert_non_null(data);
    uint64_t lines = 0;
    while (n + 64 < cap) {
        n += (size_t)snprintf(data + n, cap - n, "line %llu of many\n", (unsigned long long)lines);
        lines++;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/big.log", tmpdir);
    write_file(path, data, n);
    free(data);
    cb_pattern p[] = {{"all", "line \\d+", false, NULL, 0}, {"some", "line \\d*7 of", false, NULL, 0}};
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(p, 2, &sc, &err), CB_OK);
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, NULL, &r, &err), CB_OK);
    assert_int_equal(r->pats[0].count, lines);
    assert_int_equal(r->pats[1].count, (lines + 3) / 10);
    assert_int_equal(r->files[0].matched_lines, lines);
    assert_int_equal(r->lines, lines);
    assert_int_equal(r->pats[0].evidence[4].line, 5);
    cb_scan_result_free(r);
    cb_scanner_free(sc);
}

/* Write `n` copies of `line` (with its '\n') then `tail` into tmpdir/name. */
static void put_repeated(const char *name, const char *line, size_t n, const char *tail)
{
    size_t len = strlen(line), tl = strlen(tail);
    char *data = malloc(len * n + tl + 1);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        memcpy(data + i * len, line, len);
    memcpy(data + len * n, tail, tl);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    write_file(path, data, len * n + tl);
    free(data);
}

/* A line of `len` bytes: `head`, then `fill` repeated, then `end` and '\n' (malloc'ed). */
static char *make_line(const char *head, const char *fill, size_t count, const char *end)
{
    size_t hl = strlen(head), fl = strlen(fill), el = strlen(end);
    char *s = malloc(hl + fl * count + el + 2);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < count; i++)
        memcpy(s + hl + i * fl, fill, fl);
    memcpy(s + hl + fl * count, end, el);
    memcpy(s + hl + fl * count + el, "\n", 2);
    return s;
}

static size_t count_warnings(const cb_scan_result *r, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nwarnings; i++)
        n += strstr(r->warnings[i].message, needle) != NULL;
    return n;
}

/*
 * A 400 KB line that a group repeated over all of it matches: PCRE2 needs
 * a JIT stack far beyond its 32 KiB default.  Once this counted 0, silently.
 */
static void test_long_line(void **state)
{
    (void)state;
    char *line = make_line("x", "ab", 200000, "y");
    put_repeated("long.log", line, 1, "short xaby\n");
    free(line);
    cb_pattern p[] = {{"rep", "x(?:ab|cd)*y", false, NULL, 0}, {"cap", "x((a)|(b))*y", false, NULL, 0}};
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(p, 2, &sc, &err), CB_OK);
    for (int counts = 0; counts < 2; counts++) {
        cb_scan_opts o;
        cb_scan_opts_init(&o);
        o.counts_only = counts;
        cb_scan_result *r;
        assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
        assert_int_equal(r->pats[0].count, 2);
        assert_int_equal(r->pats[1].count, 2);
        assert_int_equal(r->pats[0].match_errors, 0);
        assert_int_equal(r->pats[1].match_errors, 0);
        assert_int_equal(r->nwarnings, 0);
        cb_scan_result_free(r);
    }
    cb_scanner_free(sc);
}

/*
 * A catastrophic pattern: on a line where it almost matches, PCRE2 gives up
 * at its match limit.  Each such line is a match error (warned about, the
 * first few one by one, with file and line), never a silent miss; after
 * max_match_errors the pattern is disabled for the rest of the bundle.  The
 * other patterns are not affected.
 */
static void test_match_errors(void **state)
{
    (void)state;
    char *bad = make_line("", "a", 3000, "cab");
    put_repeated("cat.log", "ok aab\n", 2, "");
    char path[512];
    snprintf(path, sizeof path, "%s/cat.log", tmpdir);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    for (int i = 0; i < 8; i++)
        fputs(bad, f);
    fputs("ok aab\n", f);
    fclose(f);
    free(bad);
    cb_pattern p[] = {{"cat", "(a|aa)+b", false, NULL, 0}, {"ok", "ok a+b", false, NULL, 0}};
    cb_scanner *sc;
    cb_error err;
    assert_int_equal(cb_scanner_new(p, 2, &sc, &err), CB_OK);
    for (int counts = 0; counts < 2; counts++) {
        cb_scan_opts o;
        cb_scan_opts_init(&o);
        o.counts_only = counts;
        o.threads = 1;
        o.pattern_seconds = 1e6; /* only the error count decides here */
        o.max_match_errors = 5;
        cb_scan_result *r;
        assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
        const cb_pattern_result *c = &r->pats[0];
        assert_int_equal(c->match_errors, 5);
        assert_true(c->budget_exceeded);
        assert_false(c->disabled);
        assert_int_equal(c->count, 2); /* the two lines before the bad ones; the last one comes after */
        assert_int_equal(r->pats[1].count, 3);
        assert_false(r->pats[1].budget_exceeded);
        assert_int_equal(count_warnings(r, "could not be matched (match limit exceeded)"), 3);
        assert_int_equal(count_warnings(r, "line 3: pattern 'cat' could not be matched"), 1);
        assert_int_equal(count_warnings(r, "line 5: pattern 'cat' could not be matched"), 1);
        assert_int_equal(count_warnings(r, "pattern 'cat' disabled for the rest of the bundle: 5 lines could not "
                                           "be matched"), 1);
        assert_int_equal(count_warnings(r, "pattern 'cat' could not be matched on 5 lines in all"), 1);
        assert_int_equal(r->nwarnings, 5);
        for (size_t i = 0; i < r->nwarnings; i++)
            assert_string_equal(r->warnings[i].path, "cat.log");
        cb_scan_result_free(r);
    }

    /* Without an error budget to speak of, the time budget stops it: a bundle of them ends in bounded time. */
    put_repeated("more.log", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaacab\n",
                 400, "");
    cb_scan_opts o;
    cb_scan_opts_init(&o);
    o.max_match_errors = 100000;
    o.pattern_seconds = 0.05;
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, &o, &r, &err), CB_OK);
    assert_true(r->pats[0].budget_exceeded);
    assert_true(r->pats[0].match_errors < 408);
    assert_int_equal(count_warnings(r, "more than its budget; its count and evidence are partial"), 1);
    assert_int_equal(r->pats[1].count, 3);
    cb_scan_result_free(r);
    cb_scanner_free(sc);
}

/* The lint heuristic for catastrophic patterns. */
static void test_risky(void **state)
{
    (void)state;
    static const char *const risky[] = {"(a|aa)+b", "(a+)+", "x(\\w+\\s?)*$", "(.*,)*x", "(\\s*\\w+)+",
                                        "(a*)*", "(?:foo|foobar)+", "\\((?<n>[a-z]+-?)*\\)", "(x+x+)+y",
                                        "(?:a|aa){1,100}"};
    static const char *const safe[] = {"x(?:ab|cd)*y", "(\\d+\\.)+", "(\\w+\\s)+", "(a{2})+", "(a++)+",
                                       "(?>a+)+", "(Failed|Accepted) password", "(?:\\d{1,3}\\.){3}\\d{1,3}",
                                       "^(\\w+)=(.*)$", "([^,]+,)+", "(?:a|aa){1,5}", "[(a+)+]", "(a)\\1",
                                       "Timed out waiting for data from (?<target>[A-Za-z0-9.-]+)"};
    char why[200];
    for (size_t i = 0; i < sizeof risky / sizeof *risky; i++) {
        if (!cb_regex_risky(risky[i], why, sizeof why))
            fail_msg("not flagged: %s", risky[i]);
        assert_true(why[0] == '\'');
    }
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++)
        if (cb_regex_risky(safe[i], why, sizeof why))
            fail_msg("flagged: %s (%s)", safe[i], why);
    assert_true(cb_regex_risky("ab(a|aa)+b", why, sizeof why));
    assert_string_equal(why, "'(a|aa)+' at offset 2: alternatives of a repeated group can match the same text");
    assert_true(cb_regex_risky("(\x1b+)+", why, sizeof why));
    assert_string_equal(why, "'(?+)+' at offset 0: a repeat inside a repeated group can take what the group's "
                             "next repetition would");
    assert_true(cb_regex_risky("(a+)+", NULL, 0));
}

/*
 * Lenient compiling: a pattern Hyperscan or PCRE2 refuses, or with a bad
 * glob, is listed with its index and the engine's reason; the others are
 * compiled, and results keep the input's indices.
 */
static void test_lenient(void **state)
{
    (void)state;
    put("l/a.log", "fine line\nanother fine line\nbig x\n");
    static const char *badglob[] = {"[abc"};
    cb_pattern p[] = {
        {"ok", "fine", false, NULL, 0},
        {"backref", "(foo)\\1", false, NULL, 0},
        {"glob", "fine", false, badglob, 1},
        {"big", "(?:a|b)\\d.{40000}x", false, NULL, 0},
        {"ok2", "another", false, NULL, 0},
        {"empty", "x*", false, NULL, 0},
    };
    cb_scanner *sc = NULL;
    cb_pattern_failure *bad = NULL;
    size_t nbad = 0;
    cb_error err;
    assert_int_equal(cb_scanner_new_lenient(p, 6, &sc, &bad, &nbad, &err), CB_OK);
    assert_int_equal(nbad, 4);
    assert_int_equal(bad[0].index, 1);
    assert_string_equal(bad[0].message, "Back-references are unsupported.");
    assert_int_equal(bad[1].index, 2);
    assert_non_null(strstr(bad[1].message, "file glob '[abc': "));
    assert_int_equal(bad[2].index, 3);
    assert_string_equal(bad[2].message, "Bounded repeat is too large.");
    assert_int_equal(bad[3].index, 5);
    assert_string_equal(bad[3].message, "pattern can match an empty line");
    cb_pattern_failures_free(bad, nbad);
    cb_scan_result *r;
    assert_int_equal(cb_scan_bundle(sc, tmpdir, NULL, &r, &err), CB_OK);
    assert_int_equal(r->npats, 6);
    assert_int_equal(r->pats[0].count, 2);
    assert_int_equal(r->pats[4].count, 1);
    static const bool disabled[] = {false, true, true, true, false, true};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r->pats[i].disabled, disabled[i]);
        if (disabled[i]) {
            assert_int_equal(r->pats[i].count, 0);
            assert_int_equal(r->pats[i].files_applicable, 0);
        }
    }
    cb_scan_result_free(r);
    cb_scanner_free(sc);

    /* Strict, the same list fails on the first bad pattern; nothing failing gives an empty list. */
    assert_int_equal(cb_scanner_new(p, 6, &sc, &err), CB_EINVAL);
    assert_null(sc);
    assert_int_equal(cb_scanner_new_lenient(p, 1, &sc, &bad, &nbad, &err), CB_OK);
    assert_int_equal(nbad, 0);
    assert_null(bad);
    cb_scanner_free(sc);
    cb_pattern_failures_free(NULL, 0);
}

/*
 * Every allocation of a scan, failed in turn: each run fails cleanly with
 * CB_ENOMEM or succeeds with a complete result, never one with holes (a
 * NULL path or message once reached the CLI as strlen(NULL)).
 */
static void test_alloc_failures(void **state)
{
    (void)state;
    put("a/one.log", "disk sda failed id=1\ndisk sdb failed id=2\nnothing\n");
    put("a/empty.log", "");
    char *bad = make_line("", "a", 3000, "cab");
    put("b/cat.log", bad);
    free(bad);
    cb_pattern p[] = {{"disk", "disk (?<dev>sd[a-z]) failed", false, NULL, 0},
                      {"cat", "(a|aa)+b", false, NULL, 0},
                      {"backref", "(a)\\1", false, NULL, 0}};
    bool ok_seen = false;
    for (long n = 1; !ok_seen; n++) {
        cb_scanner *sc = NULL;
        cb_pattern_failure *bad_list = NULL;
        size_t nbad = 0;
        cb_error err;
        __atomic_store_n(&alloc_calls, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&fail_at, n, __ATOMIC_RELAXED);
        cb_status st = cb_scanner_new_lenient(p, 3, &sc, &bad_list, &nbad, &err);
        cb_scan_result *r = NULL;
        if (st == CB_OK) {
            assert_int_equal(nbad, 1);
            assert_non_null(bad_list[0].message);
            cb_scan_opts o;
            cb_scan_opts_init(&o);
            o.threads = 1;
            st = cb_scan_bundle(sc, tmpdir, &o, &r, &err);
        }
        ok_seen = __atomic_load_n(&alloc_calls, __ATOMIC_RELAXED) < n; /* nothing failed: the last round */
        __atomic_store_n(&fail_at, 0, __ATOMIC_RELAXED);
        if (st != CB_OK) {
            assert_int_equal(st, CB_ENOMEM);
            assert_null(r);
            assert_false(ok_seen);
        } else {
            assert_int_equal(r->nfiles, 3);
            for (size_t i = 0; i < r->nfiles; i++)
                assert_non_null(r->files[i].path);
            /* The scanner's own warning is always there (the bundle reader drops its own, counted, when short). */
            assert_int_equal(count_warnings(r, "line 1: pattern 'cat' could not be matched"), 1);
            for (size_t i = 0; i < r->nwarnings; i++) {
                assert_non_null(r->warnings[i].path);
                assert_non_null(r->warnings[i].message);
            }
            assert_int_equal(r->pats[0].count, 2);
            assert_int_equal(r->pats[0].nevidence, 2);
            assert_non_null(r->pats[0].evidence[1].text);
            assert_int_equal(r->pats[0].captures[0].nvalues, 2);
            assert_int_equal(r->pats[1].match_errors, 1);
            assert_true(r->pats[2].disabled);
        }
        cb_scan_result_free(r);
        cb_scanner_free(sc);
        cb_pattern_failures_free(bad_list, nbad);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_against_pcre2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence_captures_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capture_ties, setup, teardown),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test_setup_teardown(test_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_untimed_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_votes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match_errors, setup, teardown),
        cmocka_unit_test(test_risky),
        cmocka_unit_test_setup_teardown(test_lenient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
