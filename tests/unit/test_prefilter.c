/*
 * test_prefilter.c — the stride prefilter (scan/prefilter.h) against a naive
 * search: on random texts over a small alphabet (so literals occur often,
 * overlap and repeat), with literals of every length from the minimum up,
 * with and without case, windows chosen with and without sampled
 * statistics, every occurrence must be reported exactly once, with the
 * right id and end, in stride-point order, and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/prefilter.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

typedef struct occ {
    uint32_t id;
    size_t end;
} occ;

typedef struct occs {
    occ *v;
    size_t n, cap;
    size_t last_stride; /* stride point order check */
    bool ordered;
    int stop_after;     /* stop the scan after this many hits (0 = never) */
} occs;

static void push(occs *o, uint32_t id, size_t end)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 256;
        o->v = realloc(o->v, o->cap * sizeof *o->v);
        assert_non_null(o->v);
    }
    o->v[o->n].id = id;
    o->v[o->n].end = end;
    o->n++;
}

static int cmp_occ(const void *a, const void *b)
{
    const occ *x = a, *y = b;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static bool ieq(char a, char b)
{
    if (a >= 'A' && a <= 'Z')
        a = (char)(a + 32);
    if (b >= 'A' && b <= 'Z')
        b = (char)(b + 32);
    return a == b;
}

static void naive(const cb__pflit *lits, size_t n, const char *text, size_t len, occs *want)
{
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s + lits[i].len <= len; s++) {
            size_t k = 0;
            while (k < lits[i].len && (lits[i].caseless ? ieq(text[s + k], lits[i].s[k]) : text[s + k] == lits[i].s[k]))
                k++;
            if (k == lits[i].len)
                push(want, lits[i].id, s + lits[i].len);
        }
}

static int on_hit(uint32_t id, size_t end, void *ctx)
{
    occs *o = ctx;
    push(o, id, end);
    return o->stop_after && (int)o->n >= o->stop_after ? 7 : 0;
}

/* Literals from an alphabet of `alpha` letters (both cases when mixed) and a few punctuation marks. */
static void random_bytes(char *out, size_t n, unsigned alpha, bool mixed)
{
    static const char punct[] = " :[]-_@`{|}~\t";
    for (size_t i = 0; i < n; i++) {
        unsigned r = rnd(alpha + 3);
        if (r < alpha)
            out[i] = (char)((mixed && rnd(8) == 0 ? 'A' : 'a') + r);
        else if (alpha < 4 && rnd(4))
            out[i] = 'a'; /* small alphabets: keep texts dense in letters */
        else
            out[i] = punct[rnd(sizeof punct - 1)];
    }
}

static size_t total_occurrences;

static void run_case(unsigned alpha, size_t nlits, bool with_stats)
{
    enum { TEXT = 200000 };
    char *text = malloc(TEXT + CB__PF_PAD);
    assert_non_null(text);
    size_t len = 1000 + rnd(TEXT - 1000);
    random_bytes(text, len, alpha, true);
    memset(text + len, 'a', CB__PF_PAD); /* padding: content must not matter */

    cb__pflit *lits = calloc(nlits, sizeof *lits);
    char (*store)[64] = calloc(nlits, 64);
    assert_true(lits && store);
    for (size_t i = 0; i < nlits; i++) {
        size_t l = CB__PF_WINDOW + rnd(i % 3 ? 5 : 40);
        if (rnd(2) == 0 && len > l) {
            /* Copy from the text, so it occurs at least once. */
            size_t at = rnd((uint32_t)(len - l));
            memcpy(store[i], text + at, l);
        } else {
            random_bytes(store[i], l, alpha, rnd(2));
        }
        lits[i].s = store[i];
        lits[i].len = l;
        lits[i].caseless = rnd(3) == 0;
        lits[i].id = (uint32_t)(i * 7 + 3);
    }
    /* Up to the maximum of short literals, with case, some copied from the text. */
    size_t nshort = cb__prefilter_takes_short() && nlits > 4 ? rnd(CB__PF_MAX_SHORT + 1) : 0;
    for (size_t i = nlits - nshort; i < nlits; i++) {
        size_t l = CB__PF_MIN_SHORT + rnd(CB__PF_WINDOW - CB__PF_MIN_SHORT);
        if (rnd(2) && len > l)
            memcpy(store[i], text + rnd((uint32_t)(len - l)), l);
        else
            random_bytes(store[i], l, alpha, false);
        lits[i].len = l;
        lits[i].caseless = false;
    }
    /* Duplicate literals (one with, one without case) must each be reported. */
    if (nlits > 2) {
        memcpy(store[1], store[0], lits[0].len);
        lits[1].len = lits[0].len;
        lits[1].caseless = !lits[0].caseless;
    }

    cb__gramstats *st = NULL;
    if (with_stats) {
        st = calloc(1, sizeof *st);
        assert_non_null(st);
        cb__gramstats_add(st, text, len / 2);
    }
    cb__prefilter *pf;
    assert_int_equal(cb__prefilter_build(lits, nlits, st, &pf), CB_OK);

    occs want = {0}, got = {0};
    naive(lits, nlits, text, len, &want);
    assert_int_equal(cb__prefilter_scan(pf, text, len, on_hit, &got, NULL), 0);
    total_occurrences += want.n;
    if (want.n)
        qsort(want.v, want.n, sizeof *want.v, cmp_occ);
    if (got.n)
        qsort(got.v, got.n, sizeof *got.v, cmp_occ);
    size_t i = 0;
    while (i < got.n && i < want.n && !cmp_occ(&got.v[i], &want.v[i]))
        i++;
    if (got.n != want.n || i != got.n) {
        fail_msg("alpha %u, %zu literals, stats %d: %zu occurrences, want %zu; first difference at %zu", alpha,
                 nlits, with_stats, got.n, want.n, i);
    }

    /* A nonzero return stops the scan and is passed on. */
    if (want.n > 3) {
        occs part = {.stop_after = 3};
        assert_int_equal(cb__prefilter_scan(pf, text, len, on_hit, &part, NULL), 7);
        assert_int_equal(part.n, 3);
        free(part.v);
    }
    /* Short texts, down to nothing, near the end of the buffer. */
    for (size_t cut = 0; cut < 40 && cut < len; cut++) {
        occs w = {0}, g = {0};
        naive(lits, nlits, text, cut, &w);
        assert_int_equal(cb__prefilter_scan(pf, text, cut, on_hit, &g, NULL), 0);
        assert_int_equal(g.n, w.n);
        free(w.v);
        free(g.v);
    }
    cb__prefilter_free(pf);
    free(st);
    free(want.v);
    free(got.v);
    free(lits);
    free(store);
    free(text);
}

static void test_against_naive(void **state)
{
    (void)state;
    for (int round = 0; round < 4; round++) {
        run_case(2, 20, round & 1);   /* tiny alphabet: dense, overlapping occurrences */
        run_case(4, 300, round & 1);  /* many literals sharing groups */
        run_case(26, 1000, round & 1);
        run_case(3, 1, round & 1);
    }
    assert_true(total_occurrences > 5000); /* the comparisons were not vacuous */
}

/* Occurrences are reported in increasing order of line when literals hold no line end. */
static int on_hit_order(uint32_t id, size_t end, void *ctx)
{
    (void)id;
    occs *o = ctx;
    push(o, id, end);
    return 0;
}

static void test_line_order(void **state)
{
    (void)state;
    static const char *words[] = {"connection reset", "Failed password", "blk_update_request", "timed out after",
                                  "Connection closed", "ssh2 [preauth]"};
    char text[8192 + CB__PF_PAD];
    size_t n = 0;
    while (n + 64 < 8192) {
        const char *w = words[rnd(6)];
        n += (size_t)snprintf(text + n, sizeof text - n, "%s %s\n", w, words[rnd(6)]);
    }
    cb__pflit lits[8];
    for (int i = 0; i < 6; i++)
        lits[i] = (cb__pflit){words[i], strlen(words[i]), false, (uint32_t)i};
    /* Short literals too, where the CPU takes them: their anchors interleave with stride points. */
    size_t nl = 6;
    if (cb__prefilter_takes_short()) {
        lits[nl++] = (cb__pflit){"ssh2", 4, false, 6};
        lits[nl++] = (cb__pflit){"out", 3, false, 7};
    }
    cb__prefilter *pf;
    assert_int_equal(cb__prefilter_build(lits, nl, NULL, &pf), CB_OK);
    occs got = {0};
    assert_int_equal(cb__prefilter_scan(pf, text, n, on_hit_order, &got, NULL), 0);
    size_t prev_line_start = 0;
    for (size_t i = 0; i < got.n; i++) {
        size_t e = got.v[i].end - 1;
        while (e > 0 && text[e - 1] != '\n')
            e--;
        assert_true(e >= prev_line_start);
        prev_line_start = e;
    }
    occs want = {0};
    naive(lits, nl, text, n, &want);
    assert_int_equal(got.n, want.n);
    free(got.v);
    free(want.v);
    cb__prefilter_free(pf);
}

static void test_refuses(void **state)
{
    (void)state;
    cb__prefilter *pf;
    cb__pflit two = {"ab", 2, false, 0};
    assert_int_equal(cb__prefilter_build(&two, 1, NULL, &pf), CB_EINVAL);
    /* Short literals: a few, with case, where the CPU allows. */
    cb__pflit shortlit = {"abcdef", 6, false, 0};
    if (cb__prefilter_takes_short()) {
        assert_int_equal(cb__prefilter_build(&shortlit, 1, NULL, &pf), CB_OK);
        cb__prefilter_free(pf);
        cb__pflit caseless = {"abcdef", 6, true, 0};
        assert_int_equal(cb__prefilter_build(&caseless, 1, NULL, &pf), CB_EINVAL);
        cb__pflit many[CB__PF_MAX_SHORT + 1];
        for (int i = 0; i <= CB__PF_MAX_SHORT; i++)
            many[i] = (cb__pflit){"xyz", 3, false, (uint32_t)i};
        assert_int_equal(cb__prefilter_build(many, CB__PF_MAX_SHORT + 1, NULL, &pf), CB_EINVAL);
    } else {
        assert_int_equal(cb__prefilter_build(&shortlit, 1, NULL, &pf), CB_EINVAL);
    }
    cb__pflit nul = {"abc\0defgh", 9, false, 0};
    assert_int_equal(cb__prefilter_build(&nul, 1, NULL, &pf), CB_EINVAL);
    /* No literals: nothing is ever reported. */
    assert_int_equal(cb__prefilter_build(NULL, 0, NULL, &pf), CB_OK);
    char text[64 + CB__PF_PAD] = "anything at all";
    occs got = {0};
    assert_int_equal(cb__prefilter_scan(pf, text, 15, on_hit, &got, NULL), 0);
    assert_int_equal(got.n, 0);
    cb__prefilter_free(pf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_naive),
        cmocka_unit_test(test_line_order),
        cmocka_unit_test(test_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
