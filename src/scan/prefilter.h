/*
 * prefilter.h — finding many long literals at once by looking at every
 * fourth position only.
 *
 * Hyperscan's literal matcher examines every byte and, with hundreds of
 * literals, runs at about 2 GB/s per core whatever the text.  When every
 * literal is at least WINDOW (7) bytes long, a cheaper test suffices: pick
 * in each literal a window of 7 bytes; every occurrence of the window
 * contains, whatever its alignment, one whole 4-byte group starting at a
 * multiple of 4 (a "stride point").  So the text's 4-byte groups at stride
 * points only are looked up in a bitmap of the windows' groups; the rare
 * positions that pass are verified against the literals registered for that
 * group.  Each occurrence of a literal is found exactly once, from the one
 * stride point inside its window (the Wu-Manber family of algorithms, with
 * the window chosen per literal).
 *
 * Speed depends on how often the text's groups pass the bitmap, so each
 * literal's window is chosen where its groups are rarest: by a frequency
 * table of 4-byte groups sampled from the bundle being scanned (gramstats),
 * or, before any text was seen, by a static estimate.  Which window is
 * chosen never changes the result, only the speed.
 *
 * A literal matched without case registers every way of writing the letters
 * of its window's groups (up to 16 per group); verification is exact.
 */
#ifndef CB_SCAN_PREFILTER_H
#define CB_SCAN_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"

enum {
    CB__PF_WINDOW = 7,  /* minimum length of a literal searched by stride points */
    CB__PF_MIN_SHORT = 3, /* shorter literals: a few, tested at every position (see below) */
    CB__PF_MAX_SHORT = 4,
    CB__PF_PAD = 32,    /* bytes after the scanned text that must be readable */
    CB__PF_MAX_LEN = 65535,
};

/* One literal: bytes (no NUL, no line end), its length, how to match it, the id reported. */
typedef struct cb__pflit {
    const char *s;
    size_t len;
    bool caseless;
    uint32_t id;
} cb__pflit;

/* Counts of folded 4-byte groups in sampled text (a hashed table; collisions only blur it). */
enum { CB__GRAM_BITS = 20 };
typedef struct cb__gramstats {
    uint32_t count[1u << CB__GRAM_BITS];
    uint64_t total; /* groups counted */
} cb__gramstats;

/* Count every 4-byte group of p[0..n) (n may be anything; no padding needed). */
void cb__gramstats_add(cb__gramstats *st, const char *p, size_t n);

typedef struct cb__prefilter cb__prefilter;

/*
 * Short literals: a literal of CB__PF_MIN_SHORT to CB__PF_WINDOW - 1 bytes
 * (matched with case) can be included too, up to CB__PF_MAX_SHORT of them,
 * when cb__prefilter_takes_short() (the CPU has AVX2): a pair of its bytes
 * is compared at every position of each 32-byte block the stride test loads
 * anyway, which costs far less than a second pass over the text.
 */
bool cb__prefilter_takes_short(void);

/*
 * Build a prefilter for lits[0..n) (CB__PF_WINDOW..CB__PF_MAX_LEN bytes, or
 * short as above; copied), choosing windows by `stats` (NULL: static
 * estimate).  *out owns its memory; free it with cb__prefilter_free.
 * Returns CB_OK, CB_EINVAL for a literal (or a set of short ones) it cannot
 * take, CB_ENOMEM.
 */
cb_status cb__prefilter_build(const cb__pflit *lits, size_t n, const cb__gramstats *stats, cb__prefilter **out);

void cb__prefilter_free(cb__prefilter *pf);

/*
 * Called for each occurrence, in increasing order of the position that found
 * it (a stride point inside it, or a short literal's anchor), so in line
 * order for literals without line ends, with the
 * literal's id and the offset just past the occurrence.  Return nonzero to
 * stop the scan.
 */
typedef int (*cb__pf_hit_fn)(uint32_t id, size_t end, void *ctx);

/*
 * Report every occurrence of every literal in text[0..len).  The CB__PF_PAD
 * bytes after text[len] must be readable (their content does not matter).
 * *probes (if not NULL) receives the number of stride points that passed
 * the bitmap: against the number of occurrences, a measure of how well the
 * windows suit this text.  Returns 0, or the nonzero value the callback
 * stopped with.
 */
int cb__prefilter_scan(const cb__prefilter *pf, const char *text, size_t len, cb__pf_hit_fn fn, void *ctx,
                       size_t *probes);

#endif
