/*
 * bench/matchers.c — the literal matchers alone, on one core: Hyperscan's
 * literal mode over every required literal of a signature set, against the
 * stride prefilter (src/scan/prefilter.c) over the long ones plus Hyperscan
 * over the short ones, as the scanner splits them.  The corpus is loaded into
 * memory first and scanned in 256 KiB blocks (the scanner's chunk size), so
 * the figures leave out reading, confirmation and everything else.
 *
 *   ninja -C build bench/matchers
 *   build/bench/matchers SIGS FILE...        (e.g. find bench/out/1024/corpus -type f)
 *
 * The prefilter's windows are chosen from the first 8 KiB of every file, as
 * the scanner samples file heads.  Prints MB/s, occurrences and probes.
 */
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan/literal.h"
#include "scan/prefilter.h"

enum { BLOCK = 256 * 1024, SAMPLE = 8 * 1024 };

static unsigned long long hits;

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags, (void)ctx;
    hits++;
    return 0;
}

static int on_pf(uint32_t id, size_t end, void *ctx)
{
    (void)id, (void)end, (void)ctx;
    hits++;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static hs_database_t *hs_lits(char **lits, size_t *lens, size_t n)
{
    if (!n)
        return NULL;
    unsigned *ids = calloc(n, sizeof *ids), *flags = calloc(n, sizeof *flags);
    for (size_t i = 0; i < n; i++)
        ids[i] = (unsigned)i;
    hs_database_t *db = NULL;
    hs_compile_error_t *e = NULL;
    if (hs_compile_lit_multi((const char *const *)lits, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db,
                             &e) != HS_SUCCESS) {
        fprintf(stderr, "matchers: hyperscan: %s\n", e && e->message ? e->message : "?");
        exit(1);
    }
    free(ids);
    free(flags);
    return db;
}

static double time_hs(hs_database_t *db, const char *text, size_t total)
{
    if (!db)
        return 0;
    hs_scratch_t *s = NULL;
    hs_alloc_scratch(db, &s);
    double t0 = now();
    for (size_t off = 0; off < total; off += BLOCK) {
        size_t len = total - off < BLOCK ? total - off : BLOCK;
        hs_scan(db, text + off, (unsigned)len, 0, s, on_hs, NULL);
    }
    double t = now() - t0;
    hs_free_scratch(s);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: matchers SIGS FILE...\n");
        return 2;
    }
    /* Distinct required literals of every pattern, as the scanner computes them (case-sensitive). */
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char line[8192];
    char **lits = NULL;
    size_t *lens = NULL, n = 0, cap = 0, npat = 0, nolit = 0;
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
                lits = realloc(lits, cap * sizeof *lits);
                lens = realloc(lens, cap * sizeof *lens);
            }
            lits[n] = strdup(set.lits[k]);
            lens[n++] = set.lens[k];
        }
        cb__litset_release(&set);
    }
    fclose(f);

    /* The corpus, in memory, with the prefilter's padding; file heads sampled. */
    size_t total = 0, room = 1 << 20;
    char *text = malloc(room);
    cb__gramstats *st = calloc(1, sizeof *st);
    for (int a = 2; a < argc; a++) {
        FILE *g = fopen(argv[a], "rb");
        if (!g) {
            perror(argv[a]);
            return 2;
        }
        size_t start = total, r;
        for (;;) {
            if (room - total < BLOCK + CB__PF_PAD) {
                room *= 2;
                text = realloc(text, room);
            }
            if ((r = fread(text + total, 1, BLOCK, g)) == 0)
                break;
            total += r;
        }
        fclose(g);
        cb__gramstats_add(st, text + start, total - start < SAMPLE ? total - start : SAMPLE);
    }
    memset(text + total, 0, CB__PF_PAD);

    /* 1: Hyperscan over every literal. */
    hs_database_t *all = hs_lits(lits, lens, n);
    hits = 0;
    double t_all = time_hs(all, text, total);
    unsigned long long hits_all = hits;

    /* 2: the scanner's split: long literals to the prefilter, short ones to Hyperscan. */
    cb__pflit *pl = calloc(n ? n : 1, sizeof *pl);
    char **shortl = calloc(n ? n : 1, sizeof *shortl);
    size_t *shortn = calloc(n ? n : 1, sizeof *shortn), npl = 0, nshort = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] >= CB__PF_WINDOW)
            pl[npl++] = (cb__pflit){lits[i], lens[i], false, (uint32_t)i};
        else {
            shortl[nshort] = lits[i];
            shortn[nshort++] = lens[i];
        }
    }
    cb__prefilter *pf;
    if (cb__prefilter_build(pl, npl, st, &pf) != CB_OK) {
        fprintf(stderr, "matchers: cannot build the prefilter\n");
        return 1;
    }
    hits = 0;
    size_t probes = 0, p;
    double t0 = now();
    for (size_t off = 0; off < total; off += BLOCK) {
        size_t len = total - off < BLOCK ? total - off : BLOCK;
        cb__prefilter_scan(pf, text + off, len, on_pf, NULL, &p);
        probes += p;
    }
    double t_pf = now() - t0;
    unsigned long long hits_pf = hits;
    hs_database_t *sdb = hs_lits(shortl, shortn, nshort);
    hits = 0;
    double t_short = time_hs(sdb, text, total);
    unsigned long long hits_short = hits;

    /* 3: as the scanner does when there are few short literals: all in the prefilter's one pass. */
    double t_one = 0;
    unsigned long long hits_one = 0;
    size_t probes_one = 0;
    bool one = nshort <= CB__PF_MAX_SHORT && cb__prefilter_takes_short();
    if (one) {
        for (size_t i = 0; i < n; i++)
            if (lens[i] < CB__PF_WINDOW)
                pl[npl++] = (cb__pflit){lits[i], lens[i], false, (uint32_t)i};
        cb__prefilter *pf1;
        if (cb__prefilter_build(pl, npl, st, &pf1) != CB_OK) {
            fprintf(stderr, "matchers: cannot build the prefilter with short literals\n");
            return 1;
        }
        npl -= nshort;
        hits = 0;
        t0 = now();
        for (size_t off = 0; off < total; off += BLOCK) {
            size_t len = total - off < BLOCK ? total - off : BLOCK;
            cb__prefilter_scan(pf1, text + off, len, on_pf, NULL, &p);
            probes_one += p;
        }
        t_one = now() - t0;
        hits_one = hits;
        cb__prefilter_free(pf1);
    }

    printf("%s: %zu patterns (%zu without a usable literal), %zu distinct literals (%zu of 7+ bytes); %.1f MiB\n",
           argv[1], npat, nolit, n, npl, (double)total / 1048576);
    printf("  hyperscan, all literals     %7.3f s  %6.0f MB/s  %llu occurrences\n", t_all, (double)total / t_all / 1e6,
           hits_all);
    printf("  prefilter, %4zu long        %7.3f s  %6.0f MB/s  %llu occurrences, %zu probes\n", npl, t_pf,
           (double)total / t_pf / 1e6, hits_pf, probes);
    printf("  hyperscan, %4zu short       %7.3f s  %6.0f MB/s  %llu occurrences\n", nshort, t_short,
           t_short > 0 ? (double)total / t_short / 1e6 : 0.0, hits_short);
    printf("  split total                 %7.3f s  %6.0f MB/s  (%s)\n", t_pf + t_short,
           (double)total / (t_pf + t_short) / 1e6, hits_pf + hits_short == hits_all ? "same occurrences" : "DIFFERENT");
    if (one)
        printf("  prefilter, long and short   %7.3f s  %6.0f MB/s  %llu occurrences, %zu probes (%s)\n", t_one,
               (double)total / t_one / 1e6, hits_one, probes_one,
               hits_one == hits_all ? "same occurrences" : "DIFFERENT");
    cb__prefilter_free(pf);
    hs_free_database(all);
    hs_free_database(sdb);
    return hits_pf + hits_short == hits_all && (!one || hits_one == hits_all) ? 0 : 1;
}
