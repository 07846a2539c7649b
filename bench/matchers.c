/*
 * bench/matchers.c — the scanner's literal search alone, on one core: the
 * required literals of every pattern of a signature set (as the scanner
 * computes them, src/scan/literal.c) in one Hyperscan literal-mode database,
 * run over a corpus loaded into memory first, in 256 KiB blocks (the
 * scanner's chunk size).  Two timings: each block copied into one buffer
 * first, so the text is in cache as it is in the scanner (where the kernel
 * has just copied the chunk), and straight from the big buffer (memory
 * bound).  Only the scans are timed: this is the ceiling of the matching
 * step, before reading, confirming or counting anything.
 *
 *   ninja -C build bench/matchers
 *   build/bench/matchers SIGS FILE...        (e.g. $(find bench/out/1024/corpus -type f | sort))
 */
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan/literal.h"

enum { BLOCK = 256 * 1024 };

static unsigned long long hits;

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags, (void)ctx;
    hits++;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "matchers: out of memory\n");
        exit(1);
    }
    return q;
}

static char hot[BLOCK];

/* Seconds spent in hs_scan over every block; with `copy`, each block is copied into `hot` first (not timed). */
static double run(hs_database_t *db, hs_scratch_t *scr, const char *text, size_t total, int copy)
{
    double t = 0;
    hits = 0;
    for (size_t off = 0; off < total; off += BLOCK) {
        size_t len = total - off < BLOCK ? total - off : BLOCK;
        const char *p = text + off;
        if (copy) {
            memcpy(hot, p, len);
            p = hot;
        }
        double t0 = now();
        hs_scan(db, p, (unsigned)len, 0, scr, on_hit, NULL);
        t += now() - t0;
    }
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: matchers SIGS FILE...\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char line[8192];
    char **lits = NULL;
    size_t *lens = NULL, n = 0, cap = 0, npat = 0, nolit = 0, nshort = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        npat++;
        cb__litset set;
        if (cb__required_literals(line, false, 3, 16, &set) != CB_OK || set.n == 0) {
            nolit++;
            continue;
        }
        for (size_t k = 0; k < set.n; k++) {
            size_t i = 0;
            while (i < n && !(lens[i] == set.lens[k] && memcmp(lits[i], set.lits[k], lens[i]) == 0))
                i++;
            if (i < n)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                lits = xrealloc(lits, cap * sizeof *lits);
                lens = xrealloc(lens, cap * sizeof *lens);
            }
            lits[n] = set.lits[k];
            set.lits[k] = NULL; /* kept */
            lens[n] = set.lens[k];
            nshort += lens[n] < 7;
            n++;
        }
        cb__litset_release(&set);
    }
    fclose(f);
    if (!n) {
        fprintf(stderr, "matchers: no pattern has a usable literal\n");
        return 1;
    }

    size_t total = 0, room = 1 << 20;
    char *text = xrealloc(NULL, room);
    for (int a = 2; a < argc; a++) {
        FILE *g = fopen(argv[a], "rb");
        if (!g) {
            perror(argv[a]);
            return 2;
        }
        size_t r;
        for (;;) {
            if (room - total < BLOCK) {
                room *= 2;
                text = xrealloc(text, room);
            }
            if ((r = fread(text + total, 1, BLOCK, g)) == 0)
                break;
            total += r;
        }
        fclose(g);
    }

    unsigned *ids = calloc(n, sizeof *ids), *flags = calloc(n, sizeof *flags);
    if (!ids || !flags)
        return 1;
    for (size_t i = 0; i < n; i++)
        ids[i] = (unsigned)i;
    hs_database_t *db = NULL;
    hs_compile_error_t *e = NULL;
    if (hs_compile_lit_multi((const char *const *)lits, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db,
                             &e) != HS_SUCCESS) {
        fprintf(stderr, "matchers: hyperscan: %s\n", e && e->message ? e->message : "?");
        return 1;
    }
    hs_scratch_t *scr = NULL;
    if (hs_alloc_scratch(db, &scr) != HS_SUCCESS)
        return 1;

    printf("%s: %zu patterns (%zu without a usable literal), %zu distinct literals (%zu shorter than 7 bytes); "
           "%.1f MiB\n",
           argv[1], npat, nolit, n, nshort, (double)total / 1048576);
    double th = run(db, scr, text, total, 1);
    printf("  in cache (block copied first) %7.3f s  %6.0f MB/s  %llu occurrences\n", th, (double)total / th / 1e6,
           hits);
    double tc = run(db, scr, text, total, 0);
    printf("  from memory                   %7.3f s  %6.0f MB/s  %llu occurrences\n", tc, (double)total / tc / 1e6,
           hits);
    hs_free_scratch(scr);
    hs_free_database(db);
    for (size_t i = 0; i < n; i++)
        free(lits[i]);
    free(lits);
    free(lens);
    free(ids);
    free(flags);
    free(text);
    return 0;
}
