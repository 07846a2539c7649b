/*
 * bench/kbbench.c — the knowledge base's import throughput and search
 * latency, inside one process, through the library calls the CLI makes
 * (cb_kb_import, cb_kb_search).  bench/kb.sh drives it; bench/README.md
 * explains the output.
 *
 *   kbbench --db PATH [--queries FILE] [--pairs TSV] [--limit N] [--reuse] [--verbose] DIR...
 *
 * 1. Import: PATH (and its -wal and -shm files) is deleted, a fresh store is
 *    created, and each DIR is imported in its own cb_kb_import call (one
 *    transaction), timed from the call to its return: articles per second.
 *    With --reuse an existing PATH is kept and nothing is imported.
 * 2. Search: the store is closed and opened again (as a new `casebook kb
 *    search` process would find it: the page cache warm, SQLite's cache cold),
 *    then every query of FILE (KIND<TAB>QUERY a line, bench/gen_articles.py
 *    --queries) runs once through cb_kb_search with the CLI's default limit
 *    (10, or --limit), each timed alone: p50, p90, p99 and max in ms, for
 *    all queries and for each KIND.
 * 3. Pasted lines: each line of TSV (LOG LINE<TAB>ARTICLE ID) is searched
 *    with limit 3: the share whose article is among the three.  --verbose
 *    lists the misses with what came first.
 *
 * Exit status: 0 done (targets are reported, not enforced), 1 a library call
 * failed, 2 usage.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "casebook/kb.h"
#include "casebook/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this thread so far (nanosecond clock: one query at a time). */
static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process so far: steadier than wall time on a shared machine. */
static double cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           (double)u.ru_stime.tv_usec / 1e6;
}

/* Seconds this process has waited for a CPU while runnable (/proc/self/schedstat), or -1 when unknown. */
static double cpu_wait(void)
{
    FILE *f = fopen("/proc/self/schedstat", "r");
    unsigned long long run = 0, wait = 0;
    int got = f ? fscanf(f, "%llu %llu", &run, &wait) : 0;
    if (f)
        fclose(f);
    return got == 2 ? (double)wait / 1e9 : -1.0;
}

static int usage(void)
{
    fprintf(stderr, "usage: kbbench --db PATH [--queries FILE] [--pairs TSV] [--limit N] [--reuse] [--verbose] "
                    "DIR...\n");
    return 2;
}

/* One line of a tab-separated file: the text before the first tab and after it (NUL-terminated in place). */
typedef struct tsv_row {
    char *a, *b;
} tsv_row;

typedef struct tsv {
    char *text;
    tsv_row *rows;
    size_t n;
} tsv;

static int tsv_load(const char *path, tsv *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "kbbench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    t->text = malloc(cap + 1);
    size_t got;
    while (t->text && (got = fread(t->text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = realloc(t->text, 2 * cap + 1);
            if (!bigger) {
                free(t->text);
                t->text = NULL;
                break;
            }
            t->text = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!t->text) {
        fprintf(stderr, "kbbench: out of memory\n");
        return -1;
    }
    t->text[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += t->text[i] == '\n';
    t->rows = calloc(lines, sizeof *t->rows);
    if (!t->rows) {
        fprintf(stderr, "kbbench: out of memory\n");
        return -1;
    }
    for (char *p = t->text; *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(p, '\t');
        if (*p && *p != '#') {
            if (!tab) {
                fprintf(stderr, "kbbench: %s: a line without a tab: %.60s\n", path, p);
                return -1;
            }
            *tab = '\0';
            t->rows[t->n].a = p;
            t->rows[t->n].b = tab + 1;
            t->n++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static void tsv_free(tsv *t)
{
    free(t->text);
    free(t->rows);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) of n sorted values. */
static double quantile(const double *v, size_t n, double q)
{
    size_t k = (size_t)(q * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

static void print_latency(const char *label, double *ms, size_t n, const char *target)
{
    if (!n)
        return;
    qsort(ms, n, sizeof *ms, cmp_double);
    double p99 = quantile(ms, n, 0.99);
    printf("  %-8s %5zu  %8.2f %8.2f %8.2f %8.2f", label, n, quantile(ms, n, 0.50), quantile(ms, n, 0.90), p99,
           ms[n - 1]);
    if (target)
        printf("   %s %s", target, p99 < 20.0 ? "ok" : "MISS");
    printf("\n");
}

static void remove_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        size_t n = strlen(path) + 10;
        char *p = malloc(n);
        if (!p)
            return;
        snprintf(p, n, "%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
}

int main(int argc, char **argv)
{
    const char *db = NULL, *queries = NULL, *pairs = NULL;
    size_t limit = 10;
    bool reuse = false, verbose = false, tune_malloc = false;
    int first_dir = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
            queries = argv[++i];
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
            pairs = argv[++i];
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
            limit = (size_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--reuse"))
            reuse = true;
        else if (!strcmp(argv[i], "--malloc-tuning"))
            tune_malloc = true;
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (argv[i][0] == '-')
            return usage();
        else {
            first_dir = i;
            break;
        }
    }
    if (!db || limit < 1 || limit > 100000)
        return usage();
    if (tune_malloc) {
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_TOP_PAD, 16 << 20);
    }

    cb_error err = {0};
    cb_store *s = NULL;
    bool fresh = !reuse || access(db, F_OK) != 0;
    if (fresh)
        remove_db(db);
    if (cb_store_open(db, NULL, &s, &err) != CB_OK) {
        fprintf(stderr, "kbbench: %s\n", err.msg);
        return 1;
    }
    printf("import (one cb_kb_import per directory, one transaction each, into a new store):\n");
    size_t total = 0;
    double total_s = 0;
    for (int i = first_dir; fresh && i < argc; i++) {
        cb_diags d;
        cb_diags_init(&d);
        size_t n = 0;
        double t0 = now(), c0 = cpu(), w0 = cpu_wait();
        cb_status st = cb_kb_import(s, argv[i], NULL, &d, &n, &err);
        double dt = now() - t0, dc = cpu() - c0, dw = cpu_wait() - w0;
        for (size_t k = 0; k < d.n && k < 10; k++)
            fprintf(stderr, "%s:%d: %s\n", d.v[k].file, d.v[k].line, d.v[k].msg);
        cb_diags_release(&d);
        if (st != CB_OK) {
            fprintf(stderr, "kbbench: import %s: %s\n", argv[i], err.msg);
            cb_store_close(s);
            return 1;
        }
        printf("  %-40s %7zu articles %8.2f s %9.0f articles/s  (CPU %.2f s: %.0f articles/CPU-s; waited "
               "%.2f s for a CPU)\n",
               argv[i], n, dt, n / (dt > 0 ? dt : 1e-9), dc, n / (dc > 0 ? dc : 1e-9), dw);
        total += n;
        total_s += dt;
    }
    if (fresh && total)
        printf("  %-40s %7zu articles %8.2f s %9.0f articles/s   target > 5000 %s\n", "total", total, total_s,
               total / total_s, total / total_s > 5000 ? "ok" : "MISS");
    if (!fresh)
        printf("  (reused %s, nothing imported)\n", db);
    cb_store_close(s);
    s = NULL;
    if (cb_store_open(db, NULL, &s, &err) != CB_OK) {
        fprintf(stderr, "kbbench: %s\n", err.msg);
        return 1;
    }

    int rc = 0;
    if (queries) {
        tsv q;
        if (tsv_load(queries, &q) != 0) {
            cb_store_close(s);
            return 1;
        }
        double *ms = calloc(q.n ? q.n : 1, sizeof *ms), *kind_ms = calloc(q.n ? q.n : 1, sizeof *kind_ms);
        double *cpu_ms = calloc(q.n ? q.n : 1, sizeof *cpu_ms);
        if (!ms || !kind_ms || !cpu_ms) {
            fprintf(stderr, "kbbench: out of memory\n");
            return 1;
        }
        size_t hits = 0, empty = 0;
        for (size_t i = 0; i < q.n; i++) {
            cb_kb_hits h;
            double t0 = now(), c0 = thread_cpu();
            cb_status st = cb_kb_search(s, q.rows[i].b, false, limit, &h, &err);
            ms[i] = (now() - t0) * 1000.0;
            cpu_ms[i] = (thread_cpu() - c0) * 1000.0;
            if (st != CB_OK) {
                fprintf(stderr, "kbbench: search '%s': %s\n", q.rows[i].b, err.msg);
                rc = 1;
            }
            hits += h.n;
            empty += h.n == 0;
            if (verbose && ms[i] > 20.0)
                printf("  slow: %.1f ms, %zu hits: %s\t%s\n", ms[i], h.n, q.rows[i].a, q.rows[i].b);
            cb_kb_hits_release(&h);
        }
        printf("search (%zu queries from %s, limit %zu, each timed alone; store opened afresh):\n", q.n, queries,
               limit);
        printf("  %-8s %5s  %8s %8s %8s %8s   (ms)\n", "kind", "n", "p50", "p90", "p99", "max");
        /* Per kind first (the sort below reorders ms). */
        const char *kinds[64];
        size_t nkinds = 0;
        for (size_t i = 0; i < q.n; i++) {
            size_t k = 0;
            while (k < nkinds && strcmp(kinds[k], q.rows[i].a))
                k++;
            if (k == nkinds && nkinds < 64)
                kinds[nkinds++] = q.rows[i].a;
        }
        for (size_t k = 0; k < nkinds; k++) {
            size_t m = 0;
            for (size_t i = 0; i < q.n; i++)
                if (!strcmp(q.rows[i].a, kinds[k]))
                    kind_ms[m++] = ms[i];
            print_latency(kinds[k], kind_ms, m, NULL);
        }
        print_latency("all", ms, q.n, "p99 < 20 ms");
        /* The same queries' CPU time ("all CPU"): about what the latency would be on an idle machine. */
        print_latency("all CPU", cpu_ms, q.n, NULL);
        printf("  %zu hits in all, %zu queries found nothing\n", hits, empty);
        free(cpu_ms);
        free(ms);
        free(kind_ms);
        tsv_free(&q);
    }

    if (pairs) {
        tsv p;
        if (tsv_load(pairs, &p) != 0) {
            cb_store_close(s);
            return 1;
        }
        size_t top1 = 0, top3 = 0;
        for (size_t i = 0; i < p.n; i++) {
            cb_kb_hits h;
            if (cb_kb_search(s, p.rows[i].a, false, 3, &h, &err) != CB_OK) {
                fprintf(stderr, "kbbench: search '%s': %s\n", p.rows[i].a, err.msg);
                rc = 1;
            }
            size_t rank = 0;
            for (size_t k = 0; k < h.n; k++)
                if (!strcmp(h.hits[k].id, p.rows[i].b)) {
                    rank = k + 1;
                    break;
                }
            top1 += rank == 1;
            top3 += rank >= 1;
            if (verbose && rank != 1)
                printf("  %s: %s at %zu (first: %s, %s, %s) for %.90s\n", rank ? "low" : "MISS", p.rows[i].b, rank,
                       h.n > 0 ? h.hits[0].id : "-", h.n > 1 ? h.hits[1].id : "-", h.n > 2 ? h.hits[2].id : "-",
                       p.rows[i].a);
            cb_kb_hits_release(&h);
        }
        printf("pasted log lines (%s): %zu lines, article first for %zu (%.0f%%), in the top 3 for %zu (%.0f%%)\n",
               pairs, p.n, top1, p.n ? 100.0 * top1 / p.n : 0.0, top3, p.n ? 100.0 * top3 / p.n : 0.0);
        tsv_free(&p);
    }
    cb_store_close(s);
    return rc;
}
