/*
 * test_bundle.c — unit tests for the bundle reader (casebook/bundle.h),
 * through its public API only.
 *
 * Plain files are written by the tests into a fresh mkdtemp directory under
 * /tmp (removed by the teardown); archives come from the fixtures generated
 * at build time by tests/fixtures/make_fixtures.py (directory $CB_FIXTURES).
 *
 * The randomized test checks cb_bundle_read / cb_bundle_next_line against a
 * reference line splitter written here from the documented rules (bundle.h):
 * the file's line-end style is the first line end seen in its first 64 KiB
 * (CRLF if the first '\n' follows '\r', else LF; CR if there is no '\n' but
 * a '\r'; see cb_eol: "no line end seen in the first bytes"); line ends
 * are stripped and every line is delivered with a single '\n'; a final line
 * without a line end counts; a line longer than limits.max_line (line end
 * not included) is delivered as its first max_line bytes backed off to a
 * UTF-8 boundary (cb_utf8_boundary) and flagged truncated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "casebook/bundle.h"
#include "casebook/utf8.h"

#define REPL "\xEF\xBF\xBD" /* U+FFFD */
#define MTIME_MS INT64_C(1710237600000) /* 2024-03-12T10:00:00Z, the fixtures' time */

/* ------------------------------------------------------------------ */
/* Test-side allocations and bundles, released by the teardown when an */
/* assertion jumps out of a test (so LeakSanitizer reports only real   */
/* leaks of the library).                                              */
/* ------------------------------------------------------------------ */

typedef union thdr {
    struct {
        union thdr *prev, *next;
    } l;
    max_align_t align;
} thdr;

static thdr t_head = {{&t_head, &t_head}};

static void t_link(thdr *h)
{
    h->l.prev = &t_head;
    h->l.next = t_head.l.next;
    t_head.l.next->l.prev = h;
    t_head.l.next = h;
}

static void t_unlink(thdr *h)
{
    h->l.prev->l.next = h->l.next;
    h->l.next->l.prev = h->l.prev;
}

static void *t_malloc(size_t n)
{
    thdr *h = malloc(sizeof *h + n);
    assert_non_null(h);
    t_link(h);
    return h + 1;
}

static void *t_calloc(size_t k, size_t n)
{
    void *p = t_malloc(k * n);
    memset(p, 0, k * n);
    return p;
}

static void *t_realloc(void *p, size_t n)
{
    if (!p)
        return t_malloc(n);
    thdr *h = (thdr *)p - 1;
    t_unlink(h);
    thdr *h2 = realloc(h, sizeof *h + n);
    if (!h2) {
        t_link(h);
        fail_msg("out of memory");
    }
    t_link(h2);
    return h2 + 1;
}

static void t_free(void *p)
{
    if (!p)
        return;
    thdr *h = (thdr *)p - 1;
    t_unlink(h);
    free(h);
}

static char *t_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = t_malloc(n);
    memcpy(p, s, n);
    return p;
}

static void t_free_all(void)
{
    while (t_head.l.next != &t_head) {
        thdr *h = t_head.l.next;
        t_unlink(h);
        free(h);
    }
}

enum { MAX_OPEN = 8 };
static cb_bundle *t_bundles[MAX_OPEN];

static cb_status t_open(const char *path, const cb_bundle_opts *opts, cb_bundle **out, cb_error *err)
{
    cb_status st = cb_bundle_open(path, opts, out, err);
    if (st == CB_OK) {
        size_t i = 0;
        while (i < MAX_OPEN && t_bundles[i])
            i++;
        assert_true(i < MAX_OPEN);
        t_bundles[i] = *out;
    }
    return st;
}

static void t_close(cb_bundle *b)
{
    for (size_t i = 0; b && i < MAX_OPEN; i++)
        if (t_bundles[i] == b)
            t_bundles[i] = NULL;
    cb_bundle_close(b);
}

static void t_close_all(void)
{
    for (size_t i = 0; i < MAX_OPEN; i++) {
        cb_bundle_close(t_bundles[i]);
        t_bundles[i] = NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Temporary directories and files                                    */
/* ------------------------------------------------------------------ */

typedef struct tmpdir {
    char dir[64];
} tmpdir;

static struct rlimit saved_nofile;
static bool nofile_saved;

static tmpdir the_tmp;

static int setup_tmp(void **state)
{
    tmpdir *t = &the_tmp;
    snprintf(t->dir, sizeof t->dir, "/tmp/cb-test-bundle.XXXXXX");
    if (!mkdtemp(t->dir))
        return -1;
    *state = t;
    return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int teardown_tmp(void **state)
{
    tmpdir *t = *state;
    if (nofile_saved) {
        setrlimit(RLIMIT_NOFILE, &saved_nofile);
        nofile_saved = false;
    }
    /* A failed assertion leaves the test's bundles and memory behind: release them here. */
    t_close_all();
    t_free_all();
    if (t)
        nftw(t->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* "dir/name" in a static-free heap string. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = t_malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static char *write_in(const char *dir, const char *name, const void *data, size_t n)
{
    char *p = join(dir, name);
    write_file(p, data, n);
    return p;
}

static char *write_str(const char *dir, const char *name, const char *s)
{
    return write_in(dir, name, s, strlen(s));
}

static const char *fixtures_dir(void)
{
    const char *d = getenv("CB_FIXTURES");
    return d && *d ? d : CB_SOURCE_ROOT "/build/tests/fixtures";
}

static char *fixture(const char *name)
{
    char *p = join(fixtures_dir(), name);
    struct stat st;
    if (stat(p, &st) != 0)
        fail_msg("fixture %s missing (set CB_FIXTURES)", p);
    return p;
}

/* ------------------------------------------------------------------ */
/* Reading a whole bundle, checking the chunk invariants on the way    */
/* ------------------------------------------------------------------ */

typedef struct rfile {
    char *path;
    cb_file f; /* final values (f.path points at `path`) */
    char *data; /* all chunk data concatenated */
    size_t len;
    uint64_t hash;
    uint64_t nchunks;
} rfile;

typedef struct rbundle {
    rfile *files;
    size_t n, cap;
    char **wpath, **wmsg;
    size_t nw;
    uint64_t dropped;
    cb_bundle_stats stats;
} rbundle;

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* Read the current file's chunks into rf, asserting the cb_chunk invariants. */
static void read_chunks(cb_bundle *b, const cb_file *f, rfile *rf)
{
    cb_error err;
    cb_error_clear(&err);
    cb_chunk c;
    int rc;
    uint64_t next = 1, total = 0, ntrunc = 0;
    size_t cap = 0;
    while ((rc = cb_bundle_read(b, &c, &err)) > 0) {
        assert_int_equal(rc, 1);
        assert_true(c.len > 0);
        assert_non_null(c.data);
        if (c.data[c.len - 1] != '\n')
            fail_msg("%s: chunk does not end with a newline", f->path);
        uint64_t lf = count_lf(c.data, c.len);
        if (lf != c.nlines)
            fail_msg("%s: chunk nlines %llu but %llu newlines", f->path, (unsigned long long)c.nlines,
                     (unsigned long long)lf);
        if (c.first_line != next)
            fail_msg("%s: chunk first_line %llu, expected %llu", f->path, (unsigned long long)c.first_line,
                     (unsigned long long)next);
        if (c.truncated && c.nlines != 1)
            fail_msg("%s: truncated chunk with %llu lines", f->path, (unsigned long long)c.nlines);
        if (f->eol == CB_EOL_CRLF || f->eol == CB_EOL_CR) {
            for (size_t i = 0; i + 1 < c.len; i++)
                if (c.data[i] == '\r' && c.data[i + 1] == '\n')
                    fail_msg("%s: CR before LF at chunk offset %zu (line end not converted)", f->path, i);
        }
        next += c.nlines;
        total += c.nlines;
        ntrunc += c.truncated;
        rf->nchunks++;
        if (rf->len + c.len + 1 > cap) {
            cap = (rf->len + c.len + 1) * 2;
            rf->data = t_realloc(rf->data, cap);
            assert_non_null(rf->data);
        }
        memcpy(rf->data + rf->len, c.data, c.len);
        rf->len += c.len;
    }
    assert_int_equal(rc, 0);
    /* A second call at the end stays at the end. */
    assert_int_equal(cb_bundle_read(b, &c, &err), 0);
    if (!rf->data) {
        rf->data = t_malloc(1);
        assert_non_null(rf->data);
    }
    rf->data[rf->len] = '\0';
    if (f->lines != total)
        fail_msg("%s: cb_file.lines %llu but chunks held %llu lines", f->path, (unsigned long long)f->lines,
                 (unsigned long long)total);
    assert_int_equal(f->truncated, ntrunc);
    rf->hash = fnv1a(rf->data, rf->len);
}

static void read_bundle(const char *path, const cb_bundle_opts *opts, rbundle *rb)
{
    memset(rb, 0, sizeof *rb);
    cb_bundle *b = NULL;
    cb_error err;
    cb_error_clear(&err);
    cb_status st = t_open(path, opts, &b, &err);
    if (st != CB_OK)
        fail_msg("t_open(%s): %d %s", path, st, err.msg);
    assert_non_null(b);
    const cb_file *f;
    int rc;
    while ((rc = cb_bundle_next(b, &f, &err)) > 0) {
        if (rb->n == rb->cap) {
            rb->cap = rb->cap ? rb->cap * 2 : 16;
            rb->files = t_realloc(rb->files, rb->cap * sizeof *rb->files);
            assert_non_null(rb->files);
        }
        rfile *rf = &rb->files[rb->n++];
        memset(rf, 0, sizeof *rf);
        assert_non_null(f->path);
        assert_true(cb_utf8_valid(f->path, strlen(f->path)));
        rf->path = t_strdup(f->path);
        assert_non_null(rf->path);
        read_chunks(b, f, rf);
        rf->f = *f;
        rf->f.path = rf->path;
    }
    assert_int_equal(rc, 0);
    cb_bundle_get_stats(b, &rb->stats);
    rb->nw = cb_bundle_warning_count(b);
    rb->wpath = t_calloc(rb->nw + 1, sizeof *rb->wpath);
    rb->wmsg = t_calloc(rb->nw + 1, sizeof *rb->wmsg);
    assert_non_null(rb->wpath);
    assert_non_null(rb->wmsg);
    for (size_t i = 0; i < rb->nw; i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        assert_non_null(w);
        rb->wpath[i] = t_strdup(w->path);
        rb->wmsg[i] = t_strdup(w->message);
    }
    assert_null(cb_bundle_warning_at(b, rb->nw));
    rb->dropped = cb_bundle_warnings_dropped(b);
    t_close(b);
}

static void rb_free(rbundle *rb)
{
    for (size_t i = 0; i < rb->n; i++) {
        t_free(rb->files[i].path);
        t_free(rb->files[i].data);
    }
    t_free(rb->files);
    for (size_t i = 0; i < rb->nw; i++) {
        t_free(rb->wpath[i]);
        t_free(rb->wmsg[i]);
    }
    t_free(rb->wpath);
    t_free(rb->wmsg);
    memset(rb, 0, sizeof *rb);
}

static const rfile *rb_find(const rbundle *rb, const char *path)
{
    for (size_t i = 0; i < rb->n; i++)
        if (strcmp(rb->files[i].path, path) == 0)
            return &rb->files[i];
    return NULL;
}

static const rfile *rb_get(const rbundle *rb, const char *path)
{
    const rfile *rf = rb_find(rb, path);
    if (!rf) {
        for (size_t i = 0; i < rb->n; i++)
            print_message("  have: %s\n", rb->files[i].path);
        fail_msg("no file '%s' in the bundle", path);
    }
    return rf;
}

/* Index of the warning with this path and exact message, or -1. */
static long rb_warning(const rbundle *rb, const char *path, const char *msg)
{
    for (size_t i = 0; i < rb->nw; i++)
        if (strcmp(rb->wpath[i], path) == 0 && strcmp(rb->wmsg[i], msg) == 0)
            return (long)i;
    return -1;
}

/* Index of the warning with this path whose message starts with prefix, or -1. */
static long rb_warning_prefix(const rbundle *rb, const char *path, const char *prefix)
{
    for (size_t i = 0; i < rb->nw; i++)
        if (strcmp(rb->wpath[i], path) == 0 && strncmp(rb->wmsg[i], prefix, strlen(prefix)) == 0)
            return (long)i;
    return -1;
}

static void dump_warnings(const rbundle *rb)
{
    for (size_t i = 0; i < rb->nw; i++)
        print_message("  warning: %s: %s\n", rb->wpath[i], rb->wmsg[i]);
}

static void expect_warning(const rbundle *rb, const char *path, const char *msg)
{
    if (rb_warning(rb, path, msg) < 0) {
        dump_warnings(rb);
        fail_msg("missing warning %s: %s", path, msg);
    }
}

static void expect_data(const rfile *rf, const char *expect)
{
    if (rf->len != strlen(expect) || memcmp(rf->data, expect, rf->len) != 0)
        fail_msg("%s: data\n  got  '%s'\n  want '%s'", rf->path, rf->data, expect);
}

/* ------------------------------------------------------------------ */
/* Reference splitter and the randomized test                         */
/* ------------------------------------------------------------------ */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t rnd(void)
{
    uint64_t x = rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng = x;
}

static size_t rnd_below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

typedef struct refline {
    size_t off, len; /* in the source */
    size_t outlen;   /* delivered bytes (len or the truncation) */
    bool trunc;
} refline;

typedef struct refsplit {
    refline *lines;
    size_t n, cap;
    cb_eol eol;
    uint64_t ntrunc;
} refsplit;

/* Line-end style: the first line end in the first 64 KiB (bundle.h: "no line end seen in the first bytes"). */
static cb_eol ref_eol(const unsigned char *p, size_t n)
{
    size_t m = n < 65536 ? n : 65536;
    for (size_t i = 0; i < m; i++) {
        if (p[i] == '\n')
            return i > 0 && p[i - 1] == '\r' ? CB_EOL_CRLF : CB_EOL_LF;
    }
    for (size_t i = 0; i < m; i++)
        if (p[i] == '\r')
            return CB_EOL_CR;
    return CB_EOL_NONE;
}

static void ref_add(refsplit *rs, const unsigned char *p, size_t off, size_t len, size_t max_line)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->lines = t_realloc(rs->lines, rs->cap * sizeof *rs->lines);
        assert_non_null(rs->lines);
    }
    refline *l = &rs->lines[rs->n++];
    l->off = off;
    l->len = len;
    l->trunc = len > max_line;
    l->outlen = l->trunc ? cb_utf8_boundary((const char *)p + off, max_line) : len;
    rs->ntrunc += l->trunc;
}

/* Split p[0..n) into lines by the documented rules. */
static void ref_split(const unsigned char *p, size_t n, size_t max_line, refsplit *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->eol = ref_eol(p, n);
    const char *sep = rs->eol == CB_EOL_CRLF ? "\r\n" : rs->eol == CB_EOL_CR ? "\r" : "\n";
    size_t seplen = strlen(sep);
    size_t pos = 0;
    while (pos < n) {
        size_t at = pos;
        while (at < n && !(at + seplen <= n && memcmp(p + at, sep, seplen) == 0))
            at++;
        ref_add(rs, p, pos, at - pos, max_line);
        pos = at < n ? at + seplen : n;
    }
}

/* Random line content: printable ASCII, harmless controls, valid multibyte, and (when allowed) stray high bytes. */
static void gen_content(unsigned char *out, size_t len, bool allow_invalid, bool first)
{
    static const unsigned char ctl[] = {'\t', '\f', '\v', 0x1B, '\b'};
    size_t k = 0;
    while (k < len) {
        unsigned r = (unsigned)rnd_below(100);
        size_t room = len - k;
        if (first && k == 0) {
            out[k++] = (unsigned char)('a' + rnd_below(26)); /* never an archive magic */
        } else if (r < 70) {
            out[k++] = (unsigned char)(0x20 + rnd_below(0x5F));
        } else if (r < 74) {
            out[k++] = ctl[rnd_below(sizeof ctl)];
        } else if (r < 82 && room >= 2) {
            out[k++] = (unsigned char)(0xC2 + rnd_below(0x1E));
            out[k++] = (unsigned char)(0x80 + rnd_below(0x40));
        } else if (r < 88 && room >= 3) {
            out[k++] = (unsigned char)(0xE1 + rnd_below(0x0C));
            out[k++] = (unsigned char)(0x80 + rnd_below(0x40));
            out[k++] = (unsigned char)(0x80 + rnd_below(0x40));
        } else if (r < 92 && room >= 4) {
            out[k++] = 0xF0;
            out[k++] = (unsigned char)(0x90 + rnd_below(0x30));
            out[k++] = (unsigned char)(0x80 + rnd_below(0x40));
            out[k++] = (unsigned char)(0x80 + rnd_below(0x40));
        } else if (r >= 92 && allow_invalid) {
            out[k++] = (unsigned char)(0x80 + rnd_below(0x80));
        } else {
            out[k++] = (unsigned char)('A' + rnd_below(26));
        }
    }
}

typedef struct gen {
    unsigned char *p;
    size_t n, cap;
} gen;

static void gen_put(gen *g, const void *s, size_t n)
{
    if (g->n + n > g->cap) {
        g->cap = (g->n + n) * 2 + 1024;
        g->p = t_realloc(g->p, g->cap);
        assert_non_null(g->p);
    }
    memcpy(g->p + g->n, s, n);
    g->n += n;
}

static size_t gen_line_len(size_t max_line, bool big)
{
    unsigned r = (unsigned)rnd_below(10);
    if (big) {
        /* max_line is 1 MiB: mostly short lines, some just around and above the limit. */
        if (r < 6)
            return rnd_below(200);
        if (r < 8)
            return max_line - 3 + rnd_below(7);
        return max_line + 1 + rnd_below(300000);
    }
    if (r < 4)
        return rnd_below(41);
    if (r < 6)
        return max_line - 3 + rnd_below(7); /* max_line - 3 .. max_line + 3 */
    if (r < 8)
        return rnd_below(max_line + 1);
    return max_line + 1 + rnd_below(2 * max_line);
}

/* One random file; returns the chosen max_line. */
static size_t gen_file(gen *g, int idx)
{
    bool big = idx % 40 == 7;
    size_t max_line = big ? (size_t)1 << 20 : (idx % 10 == 3 ? 64 : 64 + rnd_below(4096 - 64 + 1));
    static const char *const eols[] = {"\n", "\r\n", "\r"};
    const char *eol = eols[rnd_below(3)];
    bool allow_invalid = rnd_below(3) != 0;
    size_t nlines = big ? 3 + rnd_below(5) : 1 + rnd_below(60);
    bool final_eol = rnd_below(2) == 0;
    g->n = 0;
    unsigned char *tmp = NULL;
    for (size_t i = 0; i < nlines; i++) {
        size_t len = (big && i == 0) ? 1 + rnd_below(100) : gen_line_len(max_line, big);
        if (i == 0 && len == 0)
            len = 1;
        tmp = t_realloc(tmp, len + 1);
        assert_non_null(tmp);
        gen_content(tmp, len, allow_invalid, i == 0);
        gen_put(g, tmp, len);
        if (i + 1 < nlines || final_eol)
            gen_put(g, eol, strlen(eol));
    }
    t_free(tmp);
    return max_line;
}

static void escape_print(const char *label, const char *p, size_t n)
{
    print_message("    %s (%zu bytes): ", label, n);
    for (size_t i = 0; i < n && i < 80; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7F)
            print_message("%c", c);
        else
            print_message("\\x%02X", c);
    }
    print_message("%s\n", n > 80 ? "..." : "");
}

static void test_random_lines(void **state)
{
    tmpdir *t = *state;
    enum { NFILES = 200 };
    size_t mismatches = 0, reported = 0;
    gen g = {0};
    uint64_t total_lines = 0, total_trunc = 0, crlf = 0, cr = 0, lf = 0, utf8 = 0, eightbit = 0;
    for (int idx = 0; idx < NFILES; idx++) {
        size_t max_line = gen_file(&g, idx);
        char name[32];
        snprintf(name, sizeof name, "r%03d.log", idx);
        char *path = write_in(t->dir, name, g.p, g.n);
        refsplit rs;
        ref_split(g.p, g.n, max_line, &rs);
        total_lines += rs.n;
        total_trunc += rs.ntrunc;
        crlf += rs.eol == CB_EOL_CRLF;
        cr += rs.eol == CB_EOL_CR;
        lf += rs.eol == CB_EOL_LF;

        /* Expected chunk data: every delivered line plus '\n'. */
        size_t elen = 0;
        for (size_t i = 0; i < rs.n; i++)
            elen += rs.lines[i].outlen + 1;
        char *expect = t_malloc(elen + 1);
        assert_non_null(expect);
        size_t o = 0;
        for (size_t i = 0; i < rs.n; i++) {
            memcpy(expect + o, g.p + rs.lines[i].off, rs.lines[i].outlen);
            o += rs.lines[i].outlen;
            expect[o++] = '\n';
        }

        cb_bundle_opts opts;
        cb_bundle_opts_init(&opts);
        opts.limits.max_line = max_line;

        /* Pass 1: chunks. */
        rbundle rb;
        read_bundle(path, &opts, &rb);
        assert_int_equal(rb.n, 1);
        const rfile *rf = &rb.files[0];
        assert_string_equal(rf->path, name);
        bool ok = true;
        if (rf->f.eol != rs.eol) {
            ok = false;
            if (reported < 10)
                print_message("file %d: eol %s, expected %s\n", idx, cb_eol_name(rf->f.eol), cb_eol_name(rs.eol));
        }
        bool all_valid = cb_utf8_valid((const char *)g.p, g.n);
        cb_encoding want_enc = all_valid ? CB_ENC_UTF8 : CB_ENC_8BIT;
        if ((g.n <= 65536 || all_valid) && rf->f.encoding != want_enc) {
            ok = false;
            if (reported < 10)
                print_message("file %d: encoding %s, expected %s\n", idx, cb_encoding_name(rf->f.encoding),
                              cb_encoding_name(want_enc));
        }
        utf8 += rf->f.encoding == CB_ENC_UTF8;
        eightbit += rf->f.encoding == CB_ENC_8BIT;
        if (rf->f.lines != rs.n || rf->f.truncated != rs.ntrunc || rf->f.bytes != g.n || rf->f.incomplete) {
            ok = false;
            if (reported < 10)
                print_message("file %d (max_line %zu, %s): lines %llu/%zu, truncated %llu/%llu, bytes %llu/%zu\n",
                              idx, max_line, cb_eol_name(rs.eol), (unsigned long long)rf->f.lines, rs.n,
                              (unsigned long long)rf->f.truncated, (unsigned long long)rs.ntrunc,
                              (unsigned long long)rf->f.bytes, g.n);
        }
        if (rf->len != elen || memcmp(rf->data, expect, elen) != 0) {
            ok = false;
            if (reported < 10) {
                size_t d = 0;
                while (d < elen && d < rf->len && rf->data[d] == expect[d])
                    d++;
                print_message("file %d (max_line %zu, %s): chunk data differs at byte %zu (len %zu, want %zu)\n",
                              idx, max_line, cb_eol_name(rs.eol), d, rf->len, elen);
            }
        }
        assert_int_equal(rb.stats.files, 1);
        assert_int_equal(rb.stats.lines, rs.n);
        assert_int_equal(rb.stats.bytes, g.n);
        rb_free(&rb);

        /*
         * Pass 1b: the same chunks taken without copying (cb_bundle_take_chunk),
         * every other one, so that buffers change hands while partial lines and
         * cut lines are carried over; then again as raw chunks, finished by
         * cb_chunk_finish as the scanner's workers do.
         */
        for (int raw = 0; raw < 2; raw++) {
            cb_bundle *tb;
            cb_error terr;
            cb_bundle_opts ro = opts;
            ro.raw_chunks = raw;
            assert_int_equal(t_open(path, &ro, &tb, &terr), CB_OK);
            const cb_file *tf;
            assert_int_equal(cb_bundle_next(tb, &tf, &terr), 1);
            size_t cap = cb_bundle_buffer_size(tb), got = 0, nchunk = 0;
            char *mine = malloc(cap), *all = malloc(elen + 1);
            assert_true(mine && all);
            cb_chunk c;
            uint64_t nlines = 0;
            while (cb_bundle_read(tb, &c, &terr) > 0) {
                if (!raw)
                    assert_false(c.raw);
                if (nchunk++ % 2 == 0) {
                    size_t small = cap - 1;
                    assert_false(cb_bundle_take_chunk(tb, &mine, &small)); /* too small: refused */
                    assert_true(cb_bundle_take_chunk(tb, &mine, &cap));
                    assert_ptr_equal(c.data, mine);
                    assert_true(cap >= c.len + CB_CHUNK_PAD);
                    memset(mine + c.len, 0x55, CB_CHUNK_PAD); /* the padding is the caller's */
                    assert_false(cb_bundle_take_chunk(tb, &mine, &cap)); /* taken already */
                    if (c.raw) {
                        size_t len = c.len;
                        nlines += cb_chunk_finish(mine, &len, c.eol);
                        c.len = len;
                    } else {
                        nlines += c.nlines;
                    }
                } else if (c.raw) {
                    /* A raw chunk not taken: finish a copy. */
                    char *copy = malloc(c.len ? c.len : 1);
                    assert_non_null(copy);
                    memcpy(copy, c.data, c.len);
                    size_t len = c.len;
                    nlines += cb_chunk_finish(copy, &len, c.eol);
                    assert_true(got + len <= elen);
                    memcpy(all + got, copy, len);
                    got += len;
                    free(copy);
                    continue;
                } else {
                    nlines += c.nlines;
                }
                assert_true(got + c.len <= elen);
                memcpy(all + got, c.data, c.len);
                got += c.len;
            }
            assert_int_equal(got, elen);
            assert_memory_equal(all, expect, elen);
            assert_int_equal(nlines, rs.n);
            assert_int_equal(tf->lines, raw ? 0 : rs.n); /* raw: counted by whoever finishes the chunks */
            if (raw) {
                cb_line ln;
                assert_true(cb_bundle_next_line(tb, &ln, &terr) < 0); /* refused */
            }
            free(mine);
            free(all);
            t_close(tb);
        }

        /* Pass 2: lines. */
        cb_bundle *b;
        cb_error err;
        assert_int_equal(t_open(path, &opts, &b, &err), CB_OK);
        const cb_file *f;
        assert_int_equal(cb_bundle_next(b, &f, &err), 1);
        cb_line line;
        size_t i = 0;
        int rc;
        bool line_reported = false;
        while ((rc = cb_bundle_next_line(b, &line, &err)) > 0) {
            if (i >= rs.n) {
                i++;
                continue;
            }
            const refline *r = &rs.lines[i];
            if (line.no != i + 1 || line.len != r->outlen || line.truncated != r->trunc ||
                memcmp(line.text, g.p + r->off, r->outlen) != 0) {
                if (!line_reported && reported < 10) {
                    line_reported = true;
                    print_message("file %d (max_line %zu, %s), line %zu: no %llu, len %zu/%zu, truncated %d/%d\n",
                                  idx, max_line, cb_eol_name(rs.eol), i + 1, (unsigned long long)line.no, line.len,
                                  r->outlen, line.truncated, r->trunc);
                    escape_print("got ", line.text, line.len);
                    escape_print("want", (const char *)g.p + r->off, r->outlen);
                }
                ok = false;
            }
            i++;
        }
        assert_int_equal(rc, 0);
        if (i != rs.n) {
            if (ok && reported < 10)
                print_message("file %d: next_line gave %zu lines, expected %zu\n", idx, i, rs.n);
            ok = false;
        }
        assert_int_equal(cb_bundle_next(b, &f, &err), 0);
        t_close(b);

        if (!ok) {
            mismatches++;
            reported++;
        }
        t_free(expect);
        t_free(rs.lines);
        unlink(path);
        t_free(path);
    }
    t_free(g.p);
    print_message("  %d files, %llu lines (%llu truncated); eol lf/crlf/cr %llu/%llu/%llu; utf-8/8bit %llu/%llu\n",
                  NFILES, (unsigned long long)total_lines, (unsigned long long)total_trunc,
                  (unsigned long long)lf, (unsigned long long)crlf, (unsigned long long)cr,
                  (unsigned long long)utf8, (unsigned long long)eightbit);
    /* The generator must exercise what it is meant to. */
    assert_true(total_trunc > 100);
    assert_true(lf > 20 && crlf > 20 && cr > 20);
    assert_true(utf8 > 10 && eightbit > 10);
    if (mismatches)
        fail_msg("%zu of %d random files differ from the reference splitter", mismatches, NFILES);
}

/* ------------------------------------------------------------------ */
/* Targeted line-assembly cases                                       */
/* ------------------------------------------------------------------ */

/* Read one single-file bundle made of `content` with a given max_line. */
static void read_one(const char *dir, const char *name, const void *content, size_t n, size_t max_line,
                     rbundle *rb)
{
    char *p = write_in(dir, name, content, n);
    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    if (max_line)
        opts.limits.max_line = max_line;
    read_bundle(p, &opts, rb);
    assert_int_equal(rb->n, 1);
    t_free(p);
}

/*
 * One line-assembly case: content -> expected chunk data, lines, truncated
 * count and eol.  Prints and returns false on a mismatch, so that a test can
 * report every failing case, not just the first.
 */
static bool line_case(const char *dir, const char *label, const void *content, size_t n, size_t max_line,
                      const char *want, size_t want_len, uint64_t want_lines, uint64_t want_trunc, cb_eol want_eol)
{
    rbundle rb;
    read_one(dir, "case.log", content, n, max_line, &rb);
    const rfile *rf = &rb.files[0];
    bool ok = rf->len == want_len && memcmp(rf->data, want, want_len) == 0 && rf->f.lines == want_lines &&
              rf->f.truncated == want_trunc && rf->f.eol == want_eol && rf->f.bytes == n;
    if (!ok) {
        print_message("case '%s' (max_line %zu): lines %llu/%llu, truncated %llu/%llu, eol %s/%s, bytes %llu/%zu\n",
                      label, max_line, (unsigned long long)rf->f.lines, (unsigned long long)want_lines,
                      (unsigned long long)rf->f.truncated, (unsigned long long)want_trunc,
                      cb_eol_name(rf->f.eol), cb_eol_name(want_eol), (unsigned long long)rf->f.bytes, n);
        escape_print("got ", rf->data, rf->len);
        escape_print("want", want, want_len);
    }
    rb_free(&rb);
    return ok;
}

#define LINE_CASE(label, content, max_line, want, lines, trunc, eol)                                        \
    (line_case(t->dir, (label), (content), sizeof(content) - 1, (max_line), (want), sizeof(want) - 1, (lines), \
               (trunc), (eol)))

#define A16 "aaaaaaaaaaaaaaaa"
#define A64 A16 A16 A16 A16
#define B16 "bbbbbbbbbbbbbbbb"
#define B64 B16 B16 B16 B16

/* Lines of exactly the limit are whole; one byte more is cut, whichever line of the file it is. */
static void test_line_limit_cases(void **state)
{
    tmpdir *t = *state;
    int bad = 0;
    /* Exactly 64 bytes: not truncated, for every line end. */
    bad += !LINE_CASE("exact, lf", A64 "\nz\n", 64, A64 "\nz\n", 2, 0, CB_EOL_LF);
    bad += !LINE_CASE("exact, crlf", A64 "\r\nz\r\n", 64, A64 "\nz\n", 2, 0, CB_EOL_CRLF);
    bad += !LINE_CASE("exact, cr", A64 "\rz\r", 64, A64 "\nz\n", 2, 0, CB_EOL_CR);
    bad += !LINE_CASE("exact, last line without newline", "z\n" A64, 64, "z\n" A64 "\n", 2, 0, CB_EOL_LF);
    /* 65 bytes as the first line: cut to 64. */
    bad += !LINE_CASE("first over, lf", B64 "b\nz\n", 64, B64 "\nz\n", 2, 1, CB_EOL_LF);
    bad += !LINE_CASE("first over, crlf", B64 "b\r\nz\r\n", 64, B64 "\nz\n", 2, 1, CB_EOL_CRLF);
    bad += !LINE_CASE("first over, cr", B64 "b\rz\r", 64, B64 "\nz\n", 2, 1, CB_EOL_CR);
    /* 65 bytes after a short line (the whole small file is read at once). */
    bad += !LINE_CASE("second over, lf", "short\n" B64 "b\nz\n", 64, "short\n" B64 "\nz\n", 3, 1, CB_EOL_LF);
    bad += !LINE_CASE("second over, crlf", "short\r\n" B64 "b\r\nz\r\n", 64, "short\n" B64 "\nz\n", 3, 1,
                      CB_EOL_CRLF);
    bad += !LINE_CASE("second over, cr", "short\r" B64 "b\rz\r", 64, "short\n" B64 "\nz\n", 3, 1, CB_EOL_CR);
    bad += !LINE_CASE("last over, no newline", "short\n" B64 B64, 64, "short\n" B64 "\n", 2, 1, CB_EOL_LF);
    /* The cut backs off to a UTF-8 boundary: 63 'a' + e-acute spans bytes 63..64. */
    bad += !LINE_CASE("utf-8 cut", A16 A16 A16 "aaaaaaaaaaaaaaa\xC3\xA9tail\nz\n", 64,
                      A16 A16 A16 "aaaaaaaaaaaaaaa\nz\n", 2, 1, CB_EOL_LF);
    bad += !LINE_CASE("utf-8 cut, 4-byte", A16 A16 A16 "aaaaaaaaaaaaa\xF0\x9F\x8E\x89tail\n", 64,
                      A16 A16 A16 "aaaaaaaaaaaaa\n", 1, 1, CB_EOL_LF);
    /* Ordinary shapes. */
    bad += !LINE_CASE("no final newline", "one\ntwo\nthree", 64, "one\ntwo\nthree\n", 3, 0, CB_EOL_LF);
    bad += !LINE_CASE("blank lines, crlf", "\r\n\r\nx\r\n\r\n", 64, "\n\nx\n\n", 4, 0, CB_EOL_CRLF);
    bad += !LINE_CASE("blank lines, lf", "\n\nx\n\n", 64, "\n\nx\n\n", 4, 0, CB_EOL_LF);
    bad += !LINE_CASE("cr only", "first\rsecond\rthird\r", 64, "first\nsecond\nthird\n", 3, 0, CB_EOL_CR);
    bad += !LINE_CASE("no line end", "just one", 64, "just one\n", 1, 0, CB_EOL_NONE);
    bad += !LINE_CASE("lone newline", "\n", 64, "\n", 1, 0, CB_EOL_LF);
    if (bad)
        fail_msg("%d line-assembly cases failed", bad);
}

/* The fixture's 3 MiB line and 2 MiB unterminated tail at the default 1 MiB limit. */
static void test_long_line_fixtures(void **state)
{
    (void)state;
    char *p = fixture("plain/long-line.log");
    rbundle rb;
    read_bundle(p, NULL, &rb);
    t_free(p);
    assert_int_equal(rb.n, 1);
    const rfile *rf = &rb.files[0];
    assert_int_equal(rf->f.lines, 3);
    assert_int_equal(rf->f.truncated, 1);
    assert_int_equal(rf->len, 7 + (1u << 20) + 1 + 6);
    assert_memory_equal(rf->data, "before\n", 7);
    assert_int_equal(rf->data[7 + (1u << 20)], '\n');
    assert_memory_equal(rf->data + 7 + (1u << 20) + 1, "after\n", 6);
    for (size_t i = 7; i < 7 + (1u << 20); i++)
        if (rf->data[i] != 'x')
            fail_msg("byte %zu of the long line is not 'x'", i);
    assert_int_equal(rf->f.bytes, 7 + (3u << 20) + 1 + 6);
    rb_free(&rb);

    p = fixture("plain/long-tail.log");
    read_bundle(p, NULL, &rb);
    t_free(p);
    rf = &rb.files[0];
    assert_int_equal(rf->f.lines, 2);
    assert_int_equal(rf->f.truncated, 1);
    /* 1 MiB of two-byte characters: the cut is at an even offset, exactly 1 MiB. */
    assert_int_equal(rf->len, 6 + (1u << 20) + 1);
    assert_true(cb_utf8_valid(rf->data, rf->len));
    assert_int_equal(rf->f.bytes, 6 + (2u << 20));
    rb_free(&rb);
}

/* ------------------------------------------------------------------ */
/* cb_bundle_next_line and timestamps                                 */
/* ------------------------------------------------------------------ */

static void test_next_line_veeam(void **state)
{
    tmpdir *t = *state;
    char *d = join(t->dir, "b");
    assert_int_equal(mkdir(d, 0700), 0);
    t_free(write_str(d, "a.log",
                   "Veeam Agent log\r\n"
                   "[12.03.2024 10:15:32] <01> Info         Job started\r\n"
                   "[12.03.2024 10:15:33] <01> Error        Failed to connect\r\n"
                   "   at Veeam.Backup.Core.CConnection.Open()\r\n"
                   "   at Veeam.Backup.Core.CJob.Run()\r\n"
                   "[12.03.2024 10:15:40.250] <02> Info         Retrying\r\n"
                   "continuation line\r\n"));
    /* A second file: the first lines have no time; nothing may leak from a.log. */
    t_free(write_str(d, "b.log",
                   "header without time\n"
                   "[12.03.2024 11:00:00] <01> Info         B\n"
                   "  trace\n"));
    cb_bundle *b;
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(t_open(d, NULL, &b, &err), CB_OK);
    const cb_file *f;
    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "a.log");
    assert_int_equal(f->eol, CB_EOL_CRLF);
    assert_int_equal(f->time_format.kind, CB_TIME_VEEAM);

    static const struct {
        const char *text;
        bool has_time;
        int64_t ms;
    } want[] = {
        {"Veeam Agent log", false, 0},
        {"[12.03.2024 10:15:32] <01> Info         Job started", true, INT64_C(1710238532000)},
        {"[12.03.2024 10:15:33] <01> Error        Failed to connect", true, INT64_C(1710238533000)},
        {"   at Veeam.Backup.Core.CConnection.Open()", true, INT64_C(1710238533000)},
        {"   at Veeam.Backup.Core.CJob.Run()", true, INT64_C(1710238533000)},
        {"[12.03.2024 10:15:40.250] <02> Info         Retrying", true, INT64_C(1710238540250)},
        {"continuation line", true, INT64_C(1710238540250)},
    };
    cb_line line;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        memset(&line, 0x5A, sizeof line);
        assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
        assert_int_equal(line.no, i + 1);
        assert_int_equal(line.len, strlen(want[i].text));
        assert_memory_equal(line.text, want[i].text, line.len);
        assert_false(line.truncated);
        if (line.has_time != want[i].has_time)
            fail_msg("line %zu: has_time %d, expected %d", i + 1, line.has_time, want[i].has_time);
        if (want[i].has_time)
            assert_int_equal(line.time_ms, want[i].ms);
    }
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);
    assert_int_equal(f->lines, 7);
    assert_true(f->has_time);
    assert_int_equal(f->first_ms, INT64_C(1710238532000));
    assert_int_equal(f->last_ms, INT64_C(1710238540250));
    assert_false(f->incomplete);

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "b.log");
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
    assert_int_equal(line.no, 1);
    assert_memory_equal(line.text, "header without time", line.len);
    assert_false(line.has_time);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
    assert_int_equal(line.no, 2);
    assert_true(line.has_time);
    assert_int_equal(line.time_ms, INT64_C(1710241200000));
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
    assert_int_equal(line.no, 3);
    assert_int_equal(line.len, 7);
    assert_memory_equal(line.text, "  trace", 7);
    assert_true(line.has_time);
    assert_int_equal(line.time_ms, INT64_C(1710241200000));
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);
    assert_int_equal(f->lines, 3);
    assert_int_equal(cb_bundle_next(b, &f, &err), 0);
    cb_bundle_stats st;
    cb_bundle_get_stats(b, &st);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.lines, 10);
    t_close(b);
    t_free(d);
}

/* next_line over many chunks: numbering and text stay right across chunk boundaries. */
static void test_next_line_many_chunks(void **state)
{
    tmpdir *t = *state;
    enum { N = 30000 };
    size_t cap = (size_t)N * 64, n = 0;
    char *buf = t_malloc(cap);
    assert_non_null(buf);
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(buf + n, cap - n, "2024-03-12T10:%02d:%02dZ line %d %s\n", i / 60 % 60, i % 60, i,
                              i % 7 ? "x" : "with some more text");
    char *p = write_in(t->dir, "many-chunks.log", buf, n);
    cb_bundle *b;
    cb_error err;
    assert_int_equal(t_open(p, NULL, &b, &err), CB_OK);
    const cb_file *f;
    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_int_equal(f->time_format.kind, CB_TIME_ISO8601);
    cb_line line;
    int i = 0, rc;
    const char *src = buf;
    while ((rc = cb_bundle_next_line(b, &line, &err)) > 0) {
        const char *nl = strchr(src, '\n');
        size_t len = (size_t)(nl - src);
        if (line.no != (uint64_t)i + 1 || line.len != len || memcmp(line.text, src, len) != 0)
            fail_msg("line %d: no %llu len %zu", i + 1, (unsigned long long)line.no, line.len);
        assert_true(line.has_time);
        assert_int_equal(line.time_ms, MTIME_MS + (int64_t)(i % 3600) * 1000);
        src = nl + 1;
        i++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(i, N);
    assert_int_equal(f->lines, N);
    assert_int_equal(f->first_ms, MTIME_MS);
    assert_int_equal(f->last_ms, MTIME_MS + (int64_t)((N - 1) % 3600) * 1000);
    t_close(b);
    t_free(p);
    t_free(buf);
}

/* ------------------------------------------------------------------ */
/* Encodings                                                           */
/* ------------------------------------------------------------------ */

/* Encode valid UTF-8 as UTF-16 (optionally with a BOM) into out; returns bytes. */
static size_t to_utf16(const char *s, bool be, bool bom, unsigned char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    unsigned units[2];
#define PUT16(u)                                                                                             \
    do {                                                                                                     \
        unsigned u_ = (u);                                                                                   \
        out[o++] = (unsigned char)(be ? u_ >> 8 : u_ & 0xFF);                                                \
        out[o++] = (unsigned char)(be ? u_ & 0xFF : u_ >> 8);                                                \
    } while (0)
    if (bom)
        PUT16(0xFEFF);
    while (*p) {
        unsigned cp;
        size_t k = cb_utf8_seqlen(p, strlen((const char *)p));
        assert_true(k > 0);
        if (k == 1)
            cp = p[0];
        else if (k == 2)
            cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
        else if (k == 3)
            cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
        else
            cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
        p += k;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            PUT16(units[0]);
            PUT16(units[1]);
        } else {
            PUT16(cp);
        }
    }
#undef PUT16
    return o;
}

static void check_utf16(const char *dir, const char *name, const char *text, bool be, bool bom,
                        const char *want, cb_encoding enc, cb_eol eol, uint64_t lines)
{
    size_t cap = strlen(text) * 4 + 8;
    unsigned char *u = t_malloc(cap);
    assert_non_null(u);
    size_t n = to_utf16(text, be, bom, u);
    rbundle rb;
    read_one(dir, name, u, n, 0, &rb);
    const rfile *rf = &rb.files[0];
    if (rf->f.encoding != enc)
        fail_msg("%s: encoding %s, expected %s", name, cb_encoding_name(rf->f.encoding), cb_encoding_name(enc));
    if (rf->f.eol != eol)
        fail_msg("%s: eol %s, expected %s", name, cb_eol_name(rf->f.eol), cb_eol_name(eol));
    expect_data(rf, want);
    assert_int_equal(rf->f.lines, lines);
    assert_int_equal(rf->f.bytes, n);
    assert_true(cb_utf8_valid(rf->data, rf->len));
    rb_free(&rb);
    t_free(u);
}

static void test_utf16(void **state)
{
    tmpdir *t = *state;
    check_utf16(t->dir, "le-bom.log", "hello\r\nw\xC3\xB6rld \xF0\x9F\x8E\x89\r\n", false, true,
                "hello\nw\xC3\xB6rld \xF0\x9F\x8E\x89\n", CB_ENC_UTF16LE, CB_EOL_CRLF, 2);
    check_utf16(t->dir, "be-bom.log", "hello\nw\xC3\xB6rld \xF0\x9F\x8E\x89\n", true, true,
                "hello\nw\xC3\xB6rld \xF0\x9F\x8E\x89\n", CB_ENC_UTF16BE, CB_EOL_LF, 2);
    check_utf16(t->dir, "le-nobom.log", "2024-03-12T10:00:00Z boot\n2024-03-12T10:00:05Z ready \xE2\x82\xAC\n",
                false, false, "2024-03-12T10:00:00Z boot\n2024-03-12T10:00:05Z ready \xE2\x82\xAC\n",
                CB_ENC_UTF16LE, CB_EOL_LF, 2);
    check_utf16(t->dir, "be-nobom.log", "plain ascii line\r\nsecond \xF0\x9F\x98\x80 line\r\n", true, false,
                "plain ascii line\nsecond \xF0\x9F\x98\x80 line\n", CB_ENC_UTF16BE, CB_EOL_CRLF, 2);
    /* No final newline. */
    check_utf16(t->dir, "le-nofinal.log", "a\nb", false, true, "a\nb\n", CB_ENC_UTF16LE, CB_EOL_LF, 2);

    /* Timestamps of the UTF-16 file without BOM. */
    {
        unsigned char u[256];
        size_t n = to_utf16("2024-03-12T10:00:00Z boot\n2024-03-12T10:00:05Z ready\n", false, false, u);
        rbundle rb;
        read_one(t->dir, "le-time.log", u, n, 0, &rb);
        assert_int_equal(rb.files[0].f.time_format.kind, CB_TIME_ISO8601);
        assert_true(rb.files[0].f.has_time);
        assert_int_equal(rb.files[0].f.first_ms, MTIME_MS);
        assert_int_equal(rb.files[0].f.last_ms, MTIME_MS + 5000);
        rb_free(&rb);
    }
}

/* bundle.h: "CRLF and CR line ends are converted to LF, UTF-16 is converted to UTF-8". */
static void test_utf16_cr(void **state)
{
    tmpdir *t = *state;
    check_utf16(t->dir, "le-cr.log", "first\rsecond\rthird\r", false, true, "first\nsecond\nthird\n",
                CB_ENC_UTF16LE, CB_EOL_CR, 3);
    check_utf16(t->dir, "be-cr.log", "x\ry", true, true, "x\ny\n", CB_ENC_UTF16BE, CB_EOL_CR, 2);
}

static void test_utf16_odd_byte(void **state)
{
    tmpdir *t = *state;
    unsigned char u[64];
    size_t n = to_utf16("ab\ncd", false, true, u);
    u[n++] = 'x'; /* half a code unit */
    rbundle rb;
    read_one(t->dir, "odd1.log", u, n, 0, &rb);
    expect_data(&rb.files[0], "ab\ncd" REPL "\n");
    assert_int_equal(rb.files[0].f.lines, 2);
    assert_int_equal(rb.files[0].f.bytes, n);
    rb_free(&rb);

    n = to_utf16("ab\n", true, true, u);
    u[n++] = 0x00;
    read_one(t->dir, "odd2.log", u, n, 0, &rb);
    expect_data(&rb.files[0], "ab\n" REPL "\n");
    assert_int_equal(rb.files[0].f.lines, 2);
    rb_free(&rb);
}

/* A UTF-16 file much larger than one read, with surrogate pairs everywhere. */
static void test_utf16_large(void **state)
{
    tmpdir *t = *state;
    enum { N = 12000 };
    size_t cap = (size_t)N * 48;
    char *text = t_malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(text + n, cap - n, "line %05d \xC3\xBC\xF0\x9F\x8E\x89 \xE4\xB8\xAD end\r\n", i);
    char *want = t_malloc(n + 1);
    assert_non_null(want);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (text[i] != '\r')
            want[w++] = text[i];
    want[w] = '\0';
    unsigned char *u = t_malloc(n * 4 + 4);
    assert_non_null(u);
    for (int be = 0; be < 2; be++) {
        size_t un = to_utf16(text, be, true, u);
        rbundle rb;
        read_one(t->dir, be ? "big-be.log" : "big-le.log", u, un, 0, &rb);
        const rfile *rf = &rb.files[0];
        assert_int_equal(rf->f.encoding, be ? CB_ENC_UTF16BE : CB_ENC_UTF16LE);
        assert_int_equal(rf->f.eol, CB_EOL_CRLF);
        assert_int_equal(rf->f.lines, N);
        if (rf->len != w || memcmp(rf->data, want, w) != 0) {
            size_t d = 0;
            while (d < w && d < rf->len && rf->data[d] == want[d])
                d++;
            fail_msg("%s: data differs at byte %zu (len %zu, want %zu)", rf->path, d, rf->len, w);
        }
        assert_true(rb.files[0].nchunks >= 1);
        rb_free(&rb);
    }
    t_free(u);
    t_free(want);
    t_free(text);
}

static void test_utf8_bom(void **state)
{
    tmpdir *t = *state;
    rbundle rb;
    read_one(t->dir, "bom.log", "\xEF\xBB\xBF" "first\nsecond\n", 16, 0, &rb);
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_UTF8_BOM);
    assert_int_equal(rb.files[0].f.eol, CB_EOL_LF);
    expect_data(&rb.files[0], "first\nsecond\n");
    assert_int_equal(rb.files[0].f.bytes, 16);
    rb_free(&rb);

    read_one(t->dir, "bom-crlf.log", "\xEF\xBB\xBF\r\nx\r\n", 8, 0, &rb);
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_UTF8_BOM);
    assert_int_equal(rb.files[0].f.eol, CB_EOL_CRLF);
    expect_data(&rb.files[0], "\nx\n");
    rb_free(&rb);

    /* The fixture, with its Java timestamp right after the BOM. */
    char *p = fixture("plain/utf8-bom.log");
    read_bundle(p, NULL, &rb);
    t_free(p);
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_UTF8_BOM);
    expect_data(&rb.files[0], "2024-03-12 10:00:00,123 INFO started\n");
    assert_int_equal(rb.files[0].f.time_format.kind, CB_TIME_JAVA);
    assert_true(rb.files[0].f.has_time);
    assert_int_equal(rb.files[0].f.first_ms, MTIME_MS + 123);
    rb_free(&rb);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(cb_encoding_name(CB_ENC_UTF8), "utf-8");
    assert_string_equal(cb_encoding_name(CB_ENC_UTF8_BOM), "utf-8-bom");
    assert_string_equal(cb_encoding_name(CB_ENC_UTF16LE), "utf-16le");
    assert_string_equal(cb_encoding_name(CB_ENC_UTF16BE), "utf-16be");
    assert_string_equal(cb_encoding_name(CB_ENC_8BIT), "8bit");
    assert_string_equal(cb_encoding_name(CB_ENC_BINARY), "binary");
    assert_non_null(cb_encoding_name((cb_encoding)99));
    assert_string_equal(cb_eol_name(CB_EOL_LF), "lf");
    assert_string_equal(cb_eol_name(CB_EOL_CRLF), "crlf");
    assert_string_equal(cb_eol_name(CB_EOL_CR), "cr");
    assert_non_null(cb_eol_name(CB_EOL_NONE));
    assert_non_null(cb_eol_name((cb_eol)99));
}

/* ------------------------------------------------------------------ */
/* Binary, empty, 8-bit                                                */
/* ------------------------------------------------------------------ */

static void test_binary_empty_8bit(void **state)
{
    tmpdir *t = *state;
    char *d = join(t->dir, "kinds");
    assert_int_equal(mkdir(d, 0700), 0);
    t_free(write_in(d, "a-nul.dat", "text\0more\n", 10));
    char ctl[100];
    for (int i = 0; i < 100; i++)
        ctl[i] = i % 4 == 0 ? (char)(1 + i % 6) : 'x'; /* 25% control characters */
    t_free(write_in(d, "b-ctl.dat", ctl, sizeof ctl));
    t_free(write_in(d, "c-empty.log", "", 0));
    t_free(write_str(d, "d-latin1.log", "caf\xE9 cr\xE8me\nna\xEFve\n"));
    char mostly[200];
    memset(mostly, 'y', sizeof mostly);
    mostly[50] = 0x01; /* one stray control character: still text */
    mostly[199] = '\n';
    t_free(write_in(d, "e-text.log", mostly, sizeof mostly));

    cb_bundle *b;
    cb_error err;
    assert_int_equal(t_open(d, NULL, &b, &err), CB_OK);
    const cb_file *f;
    cb_chunk c;
    cb_line line;

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "a-nul.dat");
    assert_int_equal(f->encoding, CB_ENC_BINARY);
    assert_int_equal(cb_bundle_read(b, &c, &err), 0);
    assert_int_equal(f->lines, 0);
    assert_int_equal(f->bytes, 10);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "b-ctl.dat");
    assert_int_equal(f->encoding, CB_ENC_BINARY);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);
    assert_int_equal(f->lines, 0);
    assert_int_equal(f->bytes, 100);

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "c-empty.log");
    assert_int_equal(f->eol, CB_EOL_NONE);
    assert_true(f->encoding != CB_ENC_BINARY);
    assert_int_equal(cb_bundle_read(b, &c, &err), 0);
    assert_int_equal(f->lines, 0);
    assert_int_equal(f->bytes, 0);
    assert_false(f->incomplete);

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "d-latin1.log");
    assert_int_equal(f->encoding, CB_ENC_8BIT);
    assert_int_equal(f->eol, CB_EOL_LF);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
    assert_int_equal(line.len, 10);
    assert_memory_equal(line.text, "caf\xE9 cr\xE8me", 10);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 1);
    assert_int_equal(line.len, 5);
    assert_memory_equal(line.text, "na\xEFve", 5);
    assert_int_equal(cb_bundle_next_line(b, &line, &err), 0);
    assert_int_equal(f->lines, 2);

    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "e-text.log");
    assert_int_equal(f->encoding, CB_ENC_UTF8);
    assert_int_equal(cb_bundle_read(b, &c, &err), 1);
    assert_int_equal(c.len, 200);
    assert_int_equal(c.data[50], 0x01);

    assert_int_equal(cb_bundle_next(b, &f, &err), 0);
    cb_bundle_stats st;
    cb_bundle_get_stats(b, &st);
    assert_int_equal(st.files, 5);
    assert_int_equal(st.lines, 3);

    /* The empty file was warned about, by its path; nothing else was. */
    size_t nw = cb_bundle_warning_count(b);
    bool found = false;
    for (size_t i = 0; i < nw; i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        if (strcmp(w->path, "c-empty.log") == 0 && strcmp(w->message, "empty file") == 0)
            found = true;
        else
            print_message("  unexpected warning %s: %s\n", w->path, w->message);
    }
    assert_true(found);
    assert_int_equal(nw, 1);
    t_close(b);
    t_free(d);
}

/* ------------------------------------------------------------------ */
/* Fixture archives                                                    */
/* ------------------------------------------------------------------ */

static void read_fixture(const char *name, const cb_bundle_opts *opts, rbundle *rb)
{
    char *p = fixture(name);
    read_bundle(p, opts, rb);
    t_free(p);
}

static void test_archive_forms_agree(void **state)
{
    (void)state;
    static const char *const forms[] = {"good.zip", "good.tar.gz", "good.tar.xz", "good.tar"};
    static const char *const paths[] = {"Backup/Job.Daily.log", "hdfs.log", "var/log/auth.log"};
    static const uint64_t lines[] = {301, 1000, 200};
    static const cb_eol eols[] = {CB_EOL_CRLF, CB_EOL_LF, CB_EOL_LF};
    static const cb_time_kind kinds[] = {CB_TIME_VEEAM, CB_TIME_HDFS, CB_TIME_SYSLOG};

    /* The plain copies of the same content, read from the directory. */
    rbundle plain;
    read_fixture("plain", NULL, &plain);
    const char *plain_paths[] = {"Backup/Job.Daily.log", "hdfs.log", "var/log/auth.log"};

    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        rbundle rb;
        read_fixture(forms[k], NULL, &rb);
        if (rb.n != 3) {
            dump_warnings(&rb);
            fail_msg("%s: %zu files", forms[k], rb.n);
        }
        if (rb.nw) {
            dump_warnings(&rb);
            fail_msg("%s: unexpected warnings", forms[k]);
        }
        uint64_t bytes = 0;
        for (size_t i = 0; i < 3; i++) {
            const rfile *rf = &rb.files[i];
            assert_string_equal(rf->path, paths[i]);
            assert_int_equal(rf->f.lines, lines[i]);
            assert_int_equal(rf->f.eol, eols[i]);
            assert_int_equal(rf->f.encoding, CB_ENC_UTF8);
            assert_int_equal(rf->f.depth, 1);
            assert_int_equal(rf->f.time_format.kind, kinds[i]);
            assert_true(rf->f.has_time);
            assert_false(rf->f.incomplete);
            assert_int_equal(rf->f.mtime_ms, MTIME_MS);
            const rfile *pf = rb_get(&plain, plain_paths[i]);
            assert_int_equal(pf->f.depth, 0);
            assert_int_equal(rf->f.bytes, pf->f.bytes);
            assert_int_equal(rf->f.first_ms, pf->f.first_ms);
            assert_int_equal(rf->f.last_ms, pf->f.last_ms);
            if (rf->hash != pf->hash || rf->len != pf->len)
                fail_msg("%s: %s chunk bytes differ from the plain file", forms[k], paths[i]);
            bytes += rf->f.bytes;
        }
        assert_int_equal(rb.stats.files, 3);
        assert_int_equal(rb.stats.lines, 1501);
        assert_int_equal(rb.stats.bytes, bytes);
        assert_true(rb.stats.stored_bytes > 0);
        /* The Veeam file starts with an empty line (CRLF). */
        assert_memory_equal(rb.files[0].data, "\n[12.03.2024 10:00:00] <00> Info", 32);
        rb_free(&rb);
    }
    rb_free(&plain);
}

static void test_nested_and_deep(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("nested.zip", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "logs/inner.zip/Backup/Job.Daily.log");
    assert_int_equal(rb.files[0].f.depth, 2);
    assert_int_equal(rb.files[0].f.lines, 301);
    assert_int_equal(rb.files[0].f.eol, CB_EOL_CRLF);
    assert_string_equal(rb.files[1].path, "readme.txt");
    assert_int_equal(rb.files[1].f.depth, 1);
    expect_data(&rb.files[1], "top level\n");
    assert_int_equal(rb.nw, 0);
    rb_free(&rb);

    read_fixture("nested.tar", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "var/log/app.log.gz/app.log");
    assert_int_equal(rb.files[0].f.depth, 2);
    assert_int_equal(rb.files[0].f.lines, 200);
    assert_string_equal(rb.files[1].path, "var/log/plain.log");
    expect_data(&rb.files[1], "x\n");
    rb_free(&rb);

    /* Default depth 4: the fifth archive is listed, not opened. */
    read_fixture("deep.zip", NULL, &rb);
    assert_int_equal(rb.n, 1);
    const char *l4 = "level1.zip/level2.zip/level3.zip/level4.zip";
    assert_string_equal(rb.files[0].path, l4);
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_BINARY);
    assert_int_equal(rb.files[0].f.depth, 4);
    assert_int_equal(rb.files[0].f.lines, 0);
    expect_warning(&rb, l4, "not opened: archives nested more than 4 deep");
    assert_int_equal(rb.nw, 1);
    rb_free(&rb);

    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    opts.limits.max_depth = 6;
    read_fixture("deep.zip", &opts, &rb);
    if (rb.n != 1) {
        dump_warnings(&rb);
        fail_msg("deep.zip at depth 6: %zu files", rb.n);
    }
    assert_string_equal(rb.files[0].path, "level1.zip/level2.zip/level3.zip/level4.zip/level5.zip/deep.log");
    assert_int_equal(rb.files[0].f.depth, 6);
    expect_data(&rb.files[0], "six levels down\n");
    assert_int_equal(rb.nw, 0);
    rb_free(&rb);

    /* Depth 5: level5.zip is the one listed. */
    opts.limits.max_depth = 5;
    read_fixture("deep.zip", &opts, &rb);
    assert_int_equal(rb.n, 1);
    assert_string_equal(rb.files[0].path, "level1.zip/level2.zip/level3.zip/level4.zip/level5.zip");
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_BINARY);
    expect_warning(&rb, rb.files[0].path, "not opened: archives nested more than 5 deep");
    rb_free(&rb);
}

static void test_hostile_names(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("names.zip", NULL, &rb);
    assert_int_equal(rb.n, 5);
    assert_string_equal(rb.files[0].path, "etc/passwd");
    expect_data(&rb.files[0], "root:x:0:0\n");
    assert_string_equal(rb.files[1].path, "abs/path.log");
    assert_string_equal(rb.files[2].path, "Windows/Temp/x.log");
    assert_true(strcasecmp(rb.files[3].path, "ctl\\x1B[31mred.log") == 0);
    assert_string_equal(rb.files[4].path, "dot/slash/ok.log");
    expect_data(&rb.files[4], "fine\n");
    for (size_t i = 0; i < rb.n; i++) {
        const char *p = rb.files[i].path;
        for (const char *q = p; *q; q++)
            assert_true((unsigned char)*q >= 0x20 && *q != 0x7F);
        assert_true(p[0] != '/');
        assert_null(strstr(p, ".."));
        assert_null(strstr(p, "//"));
    }
    expect_warning(&rb, "etc/passwd", "member name contains '..'; those parts are dropped (was '../../etc/passwd')");
    expect_warning(&rb, "abs/path.log", "absolute member name made relative (was '/abs/path.log')");
    /* libarchive may or may not turn the backslashes of a zip name into slashes. */
    if (rb_warning_prefix(&rb, "Windows/Temp/x.log", "absolute member name made relative (was 'C:") < 0) {
        dump_warnings(&rb);
        fail_msg("no warning for the drive-letter name");
    }
    expect_warning(&rb, rb.files[3].path, "member name contains control characters; shown escaped");
    assert_int_equal(rb.nw, 4);
    rb_free(&rb);

    read_fixture("names.tar", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "escape.log");
    expect_warning(&rb, "escape.log", "member name contains '..'; those parts are dropped (was '../escape.log')");
    assert_true(strcasecmp(rb.files[1].path, "tab\\x09here.log") == 0);
    expect_warning(&rb, rb.files[1].path, "member name contains control characters; shown escaped");
    rb_free(&rb);

    /* Only the first max_warnings are kept; the rest are counted. */
    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    opts.limits.max_warnings = 2;
    read_fixture("names.zip", &opts, &rb);
    assert_int_equal(rb.nw, 2);
    assert_int_equal(rb.dropped, 2);
    assert_string_equal(rb.wpath[0], "etc/passwd");
    assert_string_equal(rb.wpath[1], "abs/path.log");
    rb_free(&rb);
}

static void test_damaged_members(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("corrupt-member.zip", NULL, &rb);
    if (rb.n != 3) {
        dump_warnings(&rb);
        fail_msg("corrupt-member.zip: %zu files", rb.n);
    }
    assert_string_equal(rb.files[0].path, "first.log");
    expect_data(&rb.files[0], "first ok\n");
    assert_false(rb.files[0].f.incomplete);
    assert_string_equal(rb.files[1].path, "second.log");
    assert_true(rb.files[1].f.incomplete);
    assert_true(rb.files[1].f.lines < 1000);
    assert_string_equal(rb.files[2].path, "third.log");
    expect_data(&rb.files[2], "third ok\n");
    assert_false(rb.files[2].f.incomplete);
    if (rb_warning_prefix(&rb, "second.log", "cannot read: ") < 0) {
        dump_warnings(&rb);
        fail_msg("no 'cannot read' warning for second.log");
    }
    /* The first and third files are not warned about. */
    assert_true(rb_warning_prefix(&rb, "first.log", "") < 0);
    assert_true(rb_warning_prefix(&rb, "third.log", "") < 0);
    rb_free(&rb);
}

static void test_bomb(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("bomb.zip", NULL, &rb);
    if (rb.n != 3) {
        dump_warnings(&rb);
        fail_msg("bomb.zip: %zu files", rb.n);
    }
    assert_string_equal(rb.files[0].path, "ok.log");
    expect_data(&rb.files[0], "fine\n");
    assert_string_equal(rb.files[1].path, "bomb.log");
    assert_true(rb.files[1].f.incomplete);
    /* Refused soon after the 16 MiB floor, long before its 100 MiB. */
    assert_true(rb.files[1].f.bytes >= (15u << 20));
    assert_true(rb.files[1].f.bytes < (40u << 20));
    expect_warning(&rb, "bomb.log",
                   "refused: expands more than 1000 times its compressed size (possible decompression bomb)");
    assert_string_equal(rb.files[2].path, "after.log");
    expect_data(&rb.files[2], "after\n");
    assert_false(rb.files[2].f.incomplete);
    assert_int_equal(rb.nw, 1);
    rb_free(&rb);
}

static void test_budget(void **state)
{
    (void)state;
    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    opts.limits.max_total = 1u << 20;
    rbundle rb;
    read_fixture("budget.tar.gz", &opts, &rb);
    if (rb.n != 2) {
        dump_warnings(&rb);
        fail_msg("budget.tar.gz: %zu files", rb.n);
    }
    assert_string_equal(rb.files[0].path, "a.log");
    assert_false(rb.files[0].f.incomplete);
    assert_int_equal(rb.files[0].f.bytes, 600 * 1024);
    assert_int_equal(rb.files[0].f.lines, 600 * 1024 / 12);
    assert_string_equal(rb.files[1].path, "b.log");
    assert_true(rb.files[1].f.incomplete);
    assert_true(rb.files[1].f.lines < 600 * 1024 / 12);
    /* Never more than the budget delivered. */
    assert_true(rb.files[0].f.bytes + rb.files[1].f.bytes <= (1u << 20) + 64 * 1024);
    assert_true(rb_find(&rb, "c.log") == NULL);
    long w = rb_warning_prefix(&rb, "b.log", "stopped: ");
    if (w < 0) {
        dump_warnings(&rb);
        fail_msg("no 'stopped' warning for b.log");
    }
    assert_non_null(strstr(rb.wmsg[w], "budget"));
    rb_free(&rb);

    /* With the default budget all three are read. */
    read_fixture("budget.tar.gz", NULL, &rb);
    assert_int_equal(rb.n, 3);
    assert_int_equal(rb.stats.lines, 3 * 600 * 1024 / 12);
    rb_free(&rb);
}

/* Every file of a fixture: path, status and problem (copied), in order. */
typedef struct stfile {
    char path[128];
    cb_file_status status;
    char problem[256];
    uint64_t lines;
} stfile;

static size_t read_status(const char *name, const cb_bundle_opts *opts, stfile *out, size_t max, cb_bundle **bp)
{
    char *path = fixture(name);
    cb_bundle *b;
    cb_error err;
    if (t_open(path, opts, &b, &err) != CB_OK)
        fail_msg("%s: %s", name, err.msg);
    t_free(path);
    const cb_file *f;
    size_t n = 0;
    int rc;
    while ((rc = cb_bundle_next(b, &f, &err)) > 0) {
        cb_chunk c;
        while ((rc = cb_bundle_read(b, &c, &err)) > 0)
            ;
        assert_int_equal(rc, 0);
        assert_true(n < max);
        snprintf(out[n].path, sizeof out[n].path, "%s", f->path);
        out[n].status = cb_file_status_of(f);
        snprintf(out[n].problem, sizeof out[n].problem, "%s", f->problem ? f->problem : "");
        out[n].lines = f->lines;
        n++;
    }
    assert_int_equal(rc, 0);
    *bp = b;
    return n;
}

static void test_file_status(void **state)
{
    (void)state;
    stfile s[8];
    cb_bundle *b;
    /* Every member encrypted: nothing read, and each file says why. */
    assert_int_equal(read_status("encrypted.zip", NULL, s, 8, &b), 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(s[i].status, CB_FILE_UNREADABLE);
        assert_non_null(strstr(s[i].problem, "cannot read"));
    }
    t_close(b);
    assert_int_equal(read_status("half-encrypted.zip", NULL, s, 8, &b), 2);
    assert_int_equal(s[0].status, CB_FILE_UNREADABLE);
    assert_int_equal(s[1].status, CB_FILE_OK);
    assert_string_equal(s[1].problem, "");
    t_close(b);
    /* A hostile name is a warning, not a problem with reading the file. */
    assert_int_equal(read_status("names.zip", NULL, s, 8, &b), 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s[i].status, CB_FILE_OK);
        assert_string_equal(s[i].problem, "");
    }
    t_close(b);
    /* An archive that cannot be opened is listed unreadable, with the reason. */
    assert_int_equal(read_status("deep.zip", NULL, s, 8, &b), 1);
    assert_int_equal(s[0].status, CB_FILE_UNREADABLE);
    assert_non_null(strstr(s[0].problem, "not opened"));
    t_close(b);
    /* Binary and empty files are what they are, without a problem. */
    assert_int_equal(read_status("zeros.zip", NULL, s, 8, &b), 1);
    assert_int_equal(s[0].status, CB_FILE_BINARY);
    assert_string_equal(s[0].problem, "");
    t_close(b);
    assert_string_equal(cb_file_status_name(CB_FILE_PARTIAL), "partial");
    assert_string_equal(cb_file_status_name(CB_FILE_BINARY), "binary");
    assert_string_equal(cb_file_status_name(CB_FILE_EMPTY), "empty");
}

static void test_member_names_utf8_cp437_long(void **state)
{
    (void)state;
    stfile s[8];
    cb_bundle *b;
    /* The process runs in the C locale (cmocka does not call setlocale): UTF-8 names must survive. */
    assert_int_equal(read_status("utf8names.zip", NULL, s, 8, &b), 3);
    assert_string_equal(s[0].path, "journal/\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82.log");
    assert_string_equal(s[1].path, "caf\xc3\xa9.log");
    assert_int_equal(cb_bundle_warning_count(b), 0);
    t_close(b);
    assert_int_equal(read_status("cp437names.zip", NULL, s, 8, &b), 2);
    assert_string_equal(s[0].path, "caf\xc3\xa9\xc3\xb6.log");
    assert_string_equal(s[1].path, "plain.log");
    t_close(b);
    /* Names past the limit are cut, and reading goes on. */
    assert_int_equal(read_status("longname-nested.tar.gz", NULL, s, 8, &b), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(s[i].status, CB_FILE_OK);
        assert_int_equal(s[i].lines, 1);
    }
    t_close(b);
}

static void test_nested_bomb_and_cpu(void **state)
{
    (void)state;
    stfile s[32];
    cb_bundle *b;
    /* 20 leaves of 10 MiB from about 7 KB: stopped near max(16 MiB, 1000 x its size). */
    size_t n = read_status("zipofzips.zip", NULL, s, 32, &b);
    assert_true(n >= 1 && n <= 3);
    assert_int_equal(s[n - 1].status, CB_FILE_PARTIAL);
    assert_non_null(strstr(s[n - 1].problem, "possible nested decompression bomb"));
    cb_bundle_stats st;
    cb_bundle_get_stats(b, &st);
    assert_true(st.bytes <= (17u << 20));
    t_close(b);
    /* The CPU budget: the ratio check lifted, a bzip2 bomb is stopped by the clock. */
    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    opts.limits.max_ratio = CB_BUNDLE_MAX_RATIO;
    opts.limits.max_cpu_ms = 20;
    n = read_status("bomb.log.bz2", &opts, s, 32, &b);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].status, CB_FILE_PARTIAL);
    assert_non_null(strstr(s[0].problem, "CPU budget"));
    cb_bundle_get_stats(b, &st);
    assert_true(st.bytes < (100u << 20));
    t_close(b);
}

static void test_self_archive(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("self.zip", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "self.zip");
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_BINARY);
    assert_int_equal(rb.files[0].f.lines, 0);
    expect_warning(&rb, "self.zip", "refused: archive contains itself (self.zip)");
    assert_string_equal(rb.files[1].path, "ok.log");
    expect_data(&rb.files[1], "ok\n");
    rb_free(&rb);
}

/* Copy a fixture into dir under the same name. */
static void copy_fixture(const char *dir, const char *name)
{
    char *src = fixture(name);
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = t_malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    t_free(write_in(dir, name, buf, (size_t)n));
    t_free(buf);
    t_free(src);
}

/* Archives inside a directory bundle appear as folders named after them. */
static void test_archives_in_directory(void **state)
{
    tmpdir *t = *state;
    char *d = join(t->dir, "dir");
    assert_int_equal(mkdir(d, 0700), 0);
    copy_fixture(d, "nested.zip");
    copy_fixture(d, "self.zip");
    copy_fixture(d, "single.log.gz");
    t_free(write_str(d, "top.log", "top\n"));
    rbundle rb;
    read_bundle(d, NULL, &rb);
    static const struct {
        const char *path;
        unsigned depth;
        uint64_t lines;
        cb_encoding enc;
    } want[] = {
        {"nested.zip/logs/inner.zip/Backup/Job.Daily.log", 2, 301, CB_ENC_UTF8},
        {"nested.zip/readme.txt", 1, 1, CB_ENC_UTF8},
        {"self.zip/self.zip", 1, 0, CB_ENC_BINARY},
        {"self.zip/ok.log", 1, 1, CB_ENC_UTF8},
        {"single.log.gz/single.log", 1, 1000, CB_ENC_UTF8},
        {"top.log", 0, 1, CB_ENC_UTF8},
    };
    if (rb.n != sizeof want / sizeof want[0]) {
        for (size_t i = 0; i < rb.n; i++)
            print_message("  have: %s\n", rb.files[i].path);
        fail_msg("%zu files", rb.n);
    }
    for (size_t i = 0; i < rb.n; i++) {
        assert_string_equal(rb.files[i].path, want[i].path);
        assert_int_equal(rb.files[i].f.depth, want[i].depth);
        assert_int_equal(rb.files[i].f.lines, want[i].lines);
        assert_int_equal(rb.files[i].f.encoding, want[i].enc);
    }
    expect_warning(&rb, "self.zip/self.zip", "refused: archive contains itself (self.zip)");
    assert_int_equal(rb.nw, 1);
    assert_int_equal(rb.stats.files, 6);
    /* The single .gz holds the same text as the plain HDFS log. */
    rbundle plain;
    char *hp = fixture("plain/hdfs.log");
    read_bundle(hp, NULL, &plain);
    t_free(hp);
    assert_int_equal(rb.files[4].hash, plain.files[0].hash);
    rb_free(&plain);
    rb_free(&rb);
    t_free(d);
}

/* Damaged or empty archives: warnings, never an abort; what can be read is read. */
static void test_damaged_archives(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("empty.zip", NULL, &rb);
    assert_int_equal(rb.n, 0);
    assert_int_equal(rb.nw, 1);
    /* bundle.h says "" for the bundle itself; the bundle's name is accepted too. */
    assert_true(strcmp(rb.wpath[0], "") == 0 || strcmp(rb.wpath[0], "empty.zip") == 0);
    assert_string_equal(rb.wmsg[0], "archive has no files");
    rb_free(&rb);

    read_fixture("garbage.tar.gz", NULL, &rb);
    assert_int_equal(rb.n, 0);
    assert_true(rb.nw >= 1);
    assert_int_equal(strncmp(rb.wmsg[0], "cannot open archive: ", 21), 0);
    rb_free(&rb);

    read_fixture("not-really.zip", NULL, &rb);
    assert_int_equal(rb.n, 0);
    assert_true(rb.nw >= 1);
    assert_int_equal(strncmp(rb.wmsg[0], "damaged archive: ", 17), 0);
    rb_free(&rb);

    /* Cut two thirds into the gzip stream: one.log whole, two.log incomplete, three.log never reached. */
    read_fixture("truncated.tar.gz", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "one.log");
    assert_int_equal(rb.files[0].f.lines, 20000);
    assert_false(rb.files[0].f.incomplete);
    assert_string_equal(rb.files[1].path, "two.log");
    assert_true(rb.files[1].f.incomplete);
    assert_true(rb.files[1].f.lines < 20000);
    /* The lines delivered before the damage are whole lines of the original. */
    assert_int_equal(memcmp(rb.files[1].data, rb.files[0].data, rb.files[1].len - 1), 0);
    if (rb_warning_prefix(&rb, "two.log", "cannot read: ") < 0) {
        dump_warnings(&rb);
        fail_msg("no 'cannot read' warning for two.log");
    }
    rb_free(&rb);

    /* A binary member is listed with the size from its header, without decompressing 64 MiB of zeros. */
    read_fixture("zeros.zip", NULL, &rb);
    assert_int_equal(rb.n, 1);
    assert_string_equal(rb.files[0].path, "zeros.bin");
    assert_int_equal(rb.files[0].f.encoding, CB_ENC_BINARY);
    assert_int_equal(rb.files[0].f.bytes, 64u << 20);
    assert_int_equal(rb.files[0].f.lines, 0);
    assert_int_equal(rb.nw, 0);
    rb_free(&rb);
}

/* Symbolic links are followed only inside the bundle; loops and special files are skipped with a warning. */
static void test_symlinks(void **state)
{
    (void)state;
    rbundle rb;
    read_fixture("links", NULL, &rb);
    assert_int_equal(rb.n, 2);
    assert_string_equal(rb.files[0].path, "inside-link.log");
    expect_data(&rb.files[0], "real line\n");
    assert_string_equal(rb.files[1].path, "real.log");
    expect_data(&rb.files[1], "real line\n");
    static const char *const warned[] = {"outside-link.log", "dangling.log", "fifo", "up-loop"};
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++) {
        if (rb_warning_prefix(&rb, warned[i], "") < 0) {
            dump_warnings(&rb);
            fail_msg("no warning for %s", warned[i]);
        }
    }
    rb_free(&rb);
}

static void test_many_files_few_fds(void **state)
{
    (void)state;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
    nofile_saved = true;
    struct rlimit lim = saved_nofile;
    lim.rlim_cur = 32;
    if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < 32)
        lim.rlim_cur = lim.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);

    char *p = fixture("many");
    cb_bundle *b;
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(t_open(p, NULL, &b, &err), CB_OK);
    const cb_file *f;
    int rc;
    uint64_t n = 0, lines = 0;
    char prev[64] = "";
    while ((rc = cb_bundle_next(b, &f, &err)) > 0) {
        /* Sorted order: strictly increasing paths. */
        if (strcmp(prev, f->path) >= 0)
            fail_msg("path order: '%s' after '%s'", f->path, prev);
        snprintf(prev, sizeof prev, "%s", f->path);
        /* Read every other file fully, skip the rest. */
        if (n % 2 == 0) {
            cb_line line;
            int lr;
            while ((lr = cb_bundle_next_line(b, &line, &err)) > 0)
                lines++;
            assert_int_equal(lr, 0);
            assert_int_equal(f->lines, 1);
        }
        n++;
    }
    if (rc != 0)
        fail_msg("cb_bundle_next: %d %s", rc, err.msg);
    assert_int_equal(n, 20000);
    assert_int_equal(lines, 10000);
    assert_string_equal(prev, "d099/f19999.log");
    if (cb_bundle_warning_count(b) != 0)
        fail_msg("warning: %s: %s", cb_bundle_warning_at(b, 0)->path, cb_bundle_warning_at(b, 0)->message);
    cb_bundle_stats st;
    cb_bundle_get_stats(b, &st);
    assert_int_equal(st.files, 20000);
    t_close(b);
    t_free(p);

    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
    nofile_saved = false;

    /* The same names from a tar.gz. */
    rbundle rb;
    read_fixture("many.tar.gz", NULL, &rb);
    assert_int_equal(rb.n, 20000);
    assert_int_equal(rb.stats.lines, 20000);
    assert_string_equal(rb.files[19999].path, "d099/f19999.log");
    expect_data(&rb.files[19999], "line 19999\n");
    rb_free(&rb);
}

/* ------------------------------------------------------------------ */
/* cb_bundle_open errors                                               */
/* ------------------------------------------------------------------ */

static void test_open_errors(void **state)
{
    tmpdir *t = *state;
    cb_bundle *b = (cb_bundle *)(uintptr_t)1;
    cb_error err;

    char *missing = join(t->dir, "no-such-bundle.zip");
    cb_error_clear(&err);
    assert_int_equal(t_open(missing, NULL, &b, &err), CB_ENOTFOUND);
    assert_null(b);
    assert_int_equal(err.code, CB_ENOTFOUND);
    assert_non_null(strstr(err.msg, missing));
    /* Without an error struct. */
    assert_int_equal(t_open(missing, NULL, &b, NULL), CB_ENOTFOUND);
    t_free(missing);

    char *under_file = join(t->dir, "plain.txt/below");
    t_free(write_str(t->dir, "plain.txt", "x\n"));
    cb_error_clear(&err);
    assert_int_equal(t_open(under_file, NULL, &b, &err), CB_ENOTFOUND);
    t_free(under_file);

    char *fifo = join(t->dir, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    cb_error_clear(&err);
    b = (cb_bundle *)(uintptr_t)1;
    assert_int_equal(t_open(fifo, NULL, &b, &err), CB_EUNSUPPORTED);
    assert_null(b);
    assert_int_equal(err.code, CB_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, fifo));
    t_free(fifo);

    /* Invalid limits. */
    char *ok = join(t->dir, "plain.txt");
    cb_bundle_opts opts;
    for (int k = 0; k < 12; k++) {
        cb_bundle_opts_init(&opts);
        switch (k) {
        case 0: opts.limits.max_line = 63; break;
        case 1: opts.limits.max_line = 0; break;
        case 2: opts.limits.max_ratio = 0; break;
        case 3: opts.limits.max_total = 0; break;
        case 4: opts.limits.max_depth = 1000; break;
        /* max_line + the fill size + 16 used to wrap into a tiny buffer: a heap overflow. */
        case 5: opts.limits.max_line = SIZE_MAX; break;
        case 6: opts.limits.max_line = SIZE_MAX - 256 * 1024; break;
        case 7: opts.limits.max_line = CB_BUNDLE_MAX_LINE + 1; break;
        case 8: opts.limits.max_ratio = CB_BUNDLE_MAX_RATIO + 1; break;
        case 9: opts.limits.max_warnings = SIZE_MAX; break;
        case 10: opts.limits.max_cpu_ms = 0; break;
        case 11: opts.limits.max_depth = 15; break;
        }
        cb_error_clear(&err);
        b = (cb_bundle *)(uintptr_t)1;
        if (t_open(ok, &opts, &b, &err) != CB_EINVAL)
            fail_msg("invalid limits case %d accepted", k);
        assert_null(b);
        assert_int_equal(err.code, CB_EINVAL);
        assert_true(strlen(err.msg) > 0);
        if (k >= 5 && k <= 7)
            assert_non_null(strstr(err.msg, "max_line"));
    }
    /* The largest values allowed open (and allocate no more than the line limit asks). */
    cb_bundle_opts_init(&opts);
    opts.limits.max_ratio = CB_BUNDLE_MAX_RATIO;
    opts.limits.max_warnings = CB_BUNDLE_MAX_WARNINGS;
    opts.limits.max_cpu_ms = CB_BUNDLE_MAX_CPU_MS;
    opts.limits.max_depth = 14;
    assert_int_equal(t_open(ok, &opts, &b, &err), CB_OK);
    t_close(b);
    /* The smallest valid line limit and depth 0 are fine. */
    cb_bundle_opts_init(&opts);
    opts.limits.max_line = 64;
    opts.limits.max_depth = 0;
    assert_int_equal(t_open(ok, &opts, &b, &err), CB_OK);
    const cb_file *f;
    assert_int_equal(cb_bundle_next(b, &f, &err), 1);
    assert_string_equal(f->path, "plain.txt");
    assert_int_equal(f->depth, 0);
    assert_int_equal(cb_bundle_next(b, &f, &err), 0);
    t_close(b);
    t_close(NULL);
    t_free(ok);
}

/* ------------------------------------------------------------------ */
/* Moving on without reading                                           */
/* ------------------------------------------------------------------ */

static uint64_t count_without_reading(const char *path, cb_bundle_stats *st, bool read_one_chunk)
{
    cb_bundle *b;
    cb_error err;
    cb_error_clear(&err);
    if (t_open(path, NULL, &b, &err) != CB_OK)
        fail_msg("open %s: %s", path, err.msg);
    const cb_file *f;
    int rc;
    uint64_t n = 0;
    while ((rc = cb_bundle_next(b, &f, &err)) > 0) {
        n++;
        if (read_one_chunk) {
            cb_chunk c;
            assert_true(cb_bundle_read(b, &c, &err) >= 0);
        }
    }
    assert_int_equal(rc, 0);
    /* Exhausted stays exhausted. */
    assert_int_equal(cb_bundle_next(b, &f, &err), 0);
    cb_bundle_get_stats(b, st);
    t_close(b);
    return n;
}

static void test_skip_without_reading(void **state)
{
    (void)state;
    static const char *const bundles[] = {"plain", "good.tar.gz", "good.zip", "nested.zip", "bomb.zip",
                                          "corrupt-member.zip", "self.zip", "deep.zip"};
    for (size_t k = 0; k < sizeof bundles / sizeof bundles[0]; k++) {
        char *p = fixture(bundles[k]);
        rbundle rb;
        read_bundle(p, NULL, &rb);
        cb_bundle_stats st;
        uint64_t n = count_without_reading(p, &st, false);
        if (n != rb.n || st.files != rb.n)
            fail_msg("%s: %llu files returned, stats %llu, %zu when read", bundles[k], (unsigned long long)n,
                     (unsigned long long)st.files, rb.n);
        assert_true(st.lines <= rb.stats.lines);
        n = count_without_reading(p, &st, true);
        assert_int_equal(n, rb.n);
        assert_int_equal(st.files, rb.n);
        assert_true(st.lines <= rb.stats.lines);
        rb_free(&rb);
        t_free(p);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)
    const struct CMUnitTest tests[] = {
        T(test_random_lines),
        T(test_line_limit_cases),
        T(test_long_line_fixtures),
        T(test_next_line_veeam),
        T(test_next_line_many_chunks),
        T(test_utf16),
        T(test_utf16_cr),
        T(test_utf16_odd_byte),
        T(test_utf16_large),
        T(test_utf8_bom),
        T(test_names),
        T(test_binary_empty_8bit),
        T(test_archive_forms_agree),
        T(test_nested_and_deep),
        T(test_hostile_names),
        T(test_damaged_members),
        T(test_bomb),
        T(test_budget),
        T(test_self_archive),
        T(test_archives_in_directory),
        T(test_damaged_archives),
        T(test_symlinks),
        T(test_many_files_few_fds),
        T(test_open_errors),
        T(test_skip_without_reading),
        T(test_file_status),
        T(test_member_names_utf8_cp437_long),
        T(test_nested_bomb_and_cpu),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
