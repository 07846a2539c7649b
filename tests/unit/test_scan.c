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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
