/*
 * prefilter.c — the stride prefilter for long literals (see prefilter.h).
 */
#include <math.h>
#include <stdlib.h>

#include "core/internal.h"
#include "scan/literal.h"
#include "scan/prefilter.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CB__PF_X86 1
#endif

enum {
    STRIDE = 4,     /* bytes between stride points = bytes per group */
    BITS_LOG2 = 20, /* bitmap of 2^20 bits (128 KiB): few false passes, and it stays in the second-level cache */
};


typedef struct pf_ent {
    uint64_t head;  /* the literal's first 8 bytes (7 for a 7-byte literal, then a 0 byte) */
    uint64_t mask;  /* which bytes of head to compare; 0 when matching ignores case */
    uint32_t gram;  /* the group at off */
    uint32_t pool;  /* literal bytes: pf->pool + pool */
    uint32_t id;
    uint16_t len;
    uint16_t off;   /* of the group inside the literal */
    bool caseless;
} pf_ent;

/* A short literal (3 to 6 bytes), found by an anchor pair of its bytes tested at every position. */
typedef struct pf_short {
    uint64_t head, mask; /* its bytes, and which of head's bytes they are */
    uint32_t id;
    uint8_t len, at;     /* anchor: bytes at and at + 1 */
} pf_short;

typedef struct pf_slot {
    uint32_t gram;
    uint32_t first, count; /* entries [first, first + count) */
} pf_slot;

struct cb__prefilter {
    uint64_t *bits;
    pf_slot *slots;
    uint32_t slot_mask;
    unsigned slot_shift;
    pf_ent *ent;
    size_t nent;
    char *pool;
    pf_short shorts[CB__PF_MAX_SHORT];
    size_t nshort;
    bool avx2;
};

static inline uint32_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Bitmap index of a folded group. */
static inline uint32_t bit_hash(uint32_t g)
{
    return (g * 0x9E3779B1u) >> (32 - BITS_LOG2);
}

/* Index of a folded group in a table of 2^(32 - shift) slots (a different multiplier from bit_hash). */
static inline uint32_t slot_hash(uint32_t g, unsigned shift)
{
    return (g * 0x85EBCA77u) >> shift;
}

static inline uint32_t stats_hash(uint32_t g)
{
    return (g * 0x9E3779B1u) >> (32 - CB__GRAM_BITS);
}

void cb__gramstats_add(cb__gramstats *st, const char *p, size_t n)
{
    if (n < 4)
        return;
    for (size_t i = 0; i + 4 <= n; i++)
        st->count[stats_hash(load32(p + i))]++;
    st->total += n - 3;
}

void cb__prefilter_free(cb__prefilter *pf)
{
    if (!pf)
        return;
    free(pf->bits);
    free(pf->slots);
    free(pf->ent);
    free(pf->pool);
    free(pf);
}

/* ---- choosing windows ---- */

/*
 * The groups a literal's 4 bytes at p stand for: itself, and ignoring case
 * every way of writing its letters (up to 16).  Returns how many.
 */
static size_t variants(const char *p, bool caseless, uint32_t out[16])
{
    uint32_t g = load32(p);
    if (!caseless) {
        out[0] = g;
        return 1;
    }
    unsigned letters = 0;
    for (unsigned k = 0; k < 4; k++) {
        unsigned char c = (unsigned char)p[k];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            letters |= 1u << k;
    }
    size_t n = 0;
    for (unsigned m = 0; m < 16; m++) {
        if (m & ~letters)
            continue; /* flips only letters: each variant once */
        uint32_t v = g;
        for (unsigned k = 0; k < 4; k++)
            if (m & (1u << k))
                v ^= (uint32_t)0x20 << (8 * k);
        out[n++] = v;
    }
    return n;
}

/* A small set of the groups already registered: sharing one costs no extra stride-point hits. */
typedef struct used_set {
    uint32_t *key;
    bool *has;
    uint32_t mask;
    unsigned shift;
} used_set;

static bool *used_slot(used_set *u, uint32_t g)
{
    uint32_t i = slot_hash(g, u->shift);
    while (u->has[i] && u->key[i] != g)
        i = (i + 1) & u->mask;
    u->key[i] = g;
    return &u->has[i];
}

/* Estimated frequency of the group g in log text. */
static double gram_freq(const cb__gramstats *st, uint32_t g)
{
    /* Static estimate from byte costs: also the tie-break between groups counted alike. */
    int64_t cost = 0;
    for (int k = 0; k < 4; k++)
        cost += cb__byte_cost((unsigned char)(g >> (8 * k)), false);
    double est = exp2(-(double)cost / 10.0);
    if (!st || st->total < 4096)
        return est;
    return ((double)st->count[stats_hash(g)] + est) / (double)st->total;
}

/*
 * Start of the window of lit[0..len) whose groups will pass the bitmap least
 * often: the sum of their frequencies, a group already registered by
 * another literal counting a quarter (its hits are paid for already, only
 * the extra verification remains).  cost[] has room for len doubles.
 */
static size_t choose_window(const cb__gramstats *st, used_set *u, const char *lit, size_t len, bool caseless,
                            double *cost)
{
    for (size_t i = 0; i + 4 <= len; i++) {
        uint32_t v[16];
        size_t nv = variants(lit + i, caseless, v);
        cost[i] = 0;
        for (size_t k = 0; k < nv; k++)
            cost[i] += gram_freq(st, v[k]) * (*used_slot(u, v[k]) ? 0.25 : 1.0);
    }
    size_t best = 0;
    double best_cost = INFINITY;
    for (size_t w = 0; w + CB__PF_WINDOW <= len; w++) {
        double c = cost[w] + cost[w + 1] + cost[w + 2] + cost[w + 3];
        if (c < best_cost) {
            best_cost = c;
            best = w;
        }
    }
    return best;
}

static int cmp_ent(const void *a, const void *b)
{
    const pf_ent *x = a, *y = b;
    if (x->gram != y->gram)
        return x->gram < y->gram ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

cb_status cb__prefilter_build(const cb__pflit *lits, size_t n, const cb__gramstats *stats, cb__prefilter **out)
{
    *out = NULL;
    size_t pool_len = 0, nent = 0, maxlen = 0;
    size_t nshort = 0;
    for (size_t i = 0; i < n; i++) {
        maxlen = CB_MAX(maxlen, lits[i].len);
        if (lits[i].len > CB__PF_MAX_LEN || memchr(lits[i].s, '\0', lits[i].len))
            return CB_EINVAL;
        if (lits[i].len < CB__PF_WINDOW) {
            if (lits[i].len < CB__PF_MIN_SHORT || lits[i].caseless || ++nshort > CB__PF_MAX_SHORT ||
                !cb__prefilter_takes_short())
                return CB_EINVAL;
            continue;
        }
        pool_len += lits[i].len;
        nent += STRIDE * (lits[i].caseless ? 16 : 1);
    }
    if (pool_len > UINT32_MAX || nent > UINT32_MAX / 4)
        return CB_EINVAL;
    cb__prefilter *pf = calloc(1, sizeof *pf);
    if (!pf)
        return CB_ENOMEM;
    uint32_t mask = 15;
    unsigned shift = 28;
    while (mask < 2 * nent) {
        mask = mask * 2 + 1;
        shift--;
    }
    used_set u = {calloc((size_t)mask + 1, sizeof *u.key), calloc((size_t)mask + 1, sizeof *u.has), mask, shift};
    double *cost = malloc((maxlen ? maxlen : 1) * sizeof *cost);
    pf->bits = calloc((1u << BITS_LOG2) / 64, sizeof *pf->bits);
    pf->ent = calloc(nent ? nent : 1, sizeof *pf->ent);
    pf->pool = malloc(pool_len ? pool_len : 1);
    pf->slots = calloc((size_t)mask + 1, sizeof *pf->slots);
    pf->slot_mask = mask;
    pf->slot_shift = shift;
    if (!u.key || !u.has || !cost || !pf->bits || !pf->ent || !pf->pool || !pf->slots) {
        free(u.key);
        free(u.has);
        free(cost);
        cb__prefilter_free(pf);
        return CB_ENOMEM;
    }

    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const cb__pflit *l = &lits[i];
        if (l->len < CB__PF_WINDOW) {
            pf_short *sh = &pf->shorts[pf->nshort++];
            sh->head = 0;
            memcpy(&sh->head, l->s, l->len);
            sh->mask = ~(uint64_t)0 >> (8 * (8 - l->len));
            sh->id = l->id;
            sh->len = (uint8_t)l->len;
            /* The anchor: the pair of adjacent bytes rarest in log text. */
            int64_t best = -1;
            for (size_t k = 0; k + 1 < l->len; k++) {
                int64_t c = cb__byte_cost((unsigned char)l->s[k], false) + cb__byte_cost((unsigned char)l->s[k + 1], false);
                if (c > best) {
                    best = c;
                    sh->at = (uint8_t)k;
                }
            }
            continue;
        }
        memcpy(pf->pool + at, l->s, l->len);
        size_t w = choose_window(stats, &u, l->s, l->len, l->caseless, cost);
        for (size_t k = 0; k < STRIDE; k++) {
            uint32_t v[16];
            size_t nv = variants(l->s + w + k, l->caseless, v);
            for (size_t x = 0; x < nv; x++) {
                pf_ent *e = &pf->ent[pf->nent++];
                e->gram = v[x];
                e->pool = (uint32_t)at;
                e->id = l->id;
                e->len = (uint16_t)l->len;
                e->off = (uint16_t)(w + k);
                e->caseless = l->caseless;
                e->head = 0;
                memcpy(&e->head, l->s, CB_MIN(l->len, (size_t)8));
                e->mask = l->caseless ? 0 : l->len >= 8 ? ~(uint64_t)0 : ~(uint64_t)0 >> 8;
                *used_slot(&u, v[x]) = true;
            }
        }
        at += l->len;
    }
    free(u.key);
    free(u.has);
    free(cost);

    if (pf->nent > 1)
        qsort(pf->ent, pf->nent, sizeof *pf->ent, cmp_ent);
    for (size_t i = 0; i < pf->nent;) {
        size_t j = i;
        while (j < pf->nent && pf->ent[j].gram == pf->ent[i].gram)
            j++;
        uint32_t g = pf->ent[i].gram, s = slot_hash(g, shift);
        while (pf->slots[s].count)
            s = (s + 1) & mask;
        pf->slots[s] = (pf_slot){g, (uint32_t)i, (uint32_t)(j - i)};
        uint32_t h = bit_hash(g);
        pf->bits[h >> 6] |= (uint64_t)1 << (h & 63);
        i = j;
    }
#ifdef CB__PF_X86
    pf->avx2 = __builtin_cpu_supports("avx2");
#endif
    *out = pf;
    return CB_OK;
}

/* ---- scanning ---- */

static bool same_caseless(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x != y) {
            if (x >= 'A' && x <= 'Z')
                x = (unsigned char)(x + 32);
            if (y >= 'A' && y <= 'Z')
                y = (unsigned char)(y + 32);
            if (x != y)
                return false;
        }
    }
    return true;
}

/* The group at stride point p passed the bitmap: verify the literals registered for it. */
static int verify(const cb__prefilter *pf, const char *text, size_t len, size_t p, cb__pf_hit_fn fn, void *ctx)
{
    uint32_t g = load32(text + p);
    uint32_t s = slot_hash(g, pf->slot_shift);
    while (pf->slots[s].count && pf->slots[s].gram != g)
        s = (s + 1) & pf->slot_mask;
    const pf_slot *sl = &pf->slots[s];
    for (uint32_t k = sl->first; k < sl->first + sl->count; k++) {
        const pf_ent *e = &pf->ent[k];
        if (p < e->off)
            continue;
        size_t start = p - e->off;
        if (start + e->len > len)
            continue;
        const char *lit = pf->pool + e->pool;
        bool same;
        if (e->caseless) {
            same = same_caseless(text + start, lit, e->len);
        } else {
            /* The first 8 bytes in one compare (the padding makes the load safe for 7-byte literals at the end). */
            same = (load64(text + start) & e->mask) == e->head &&
                   (e->len <= 8 || memcmp(text + start + 8, lit + 8, e->len - 8) == 0);
        }
        if (same) {
            int rc = fn(e->id, start + e->len, ctx);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Byte a of the text holds the anchor of short literal sh: verify it. */
static int verify_short(const pf_short *sh, const char *text, size_t len, size_t a, cb__pf_hit_fn fn, void *ctx)
{
    if (a < sh->at)
        return 0;
    size_t start = a - sh->at;
    if (start + sh->len > len || (load64(text + start) & sh->mask) != sh->head)
        return 0;
    return fn(sh->id, start + sh->len, ctx);
}

static inline bool anchored(const pf_short *sh, const char *text, size_t q)
{
    const unsigned char *h = (const unsigned char *)&sh->head;
    return text[q] == (char)h[sh->at] && text[q + 1] == (char)h[sh->at + 1];
}

static inline bool passes(const cb__prefilter *pf, const char *p)
{
    uint32_t h = bit_hash(load32(p));
    return pf->bits[h >> 6] >> (h & 63) & 1;
}

static int scan_scalar(const cb__prefilter *pf, const char *text, size_t len, size_t p, cb__pf_hit_fn fn,
                       void *ctx, size_t *probes)
{
    int rc;
    /* Four stride points per test of the loop; the padding makes reading past len safe. */
    for (; p + 16 <= len; p += 16) {
        bool a = passes(pf, text + p), b = passes(pf, text + p + 4), c = passes(pf, text + p + 8),
             d = passes(pf, text + p + 12);
        if (!(a | b | c | d))
            continue;
        *probes += (size_t)a + b + c + d;
        if ((a && (rc = verify(pf, text, len, p, fn, ctx))) || (b && (rc = verify(pf, text, len, p + 4, fn, ctx))) ||
            (c && (rc = verify(pf, text, len, p + 8, fn, ctx))) ||
            (d && (rc = verify(pf, text, len, p + 12, fn, ctx))))
            return rc;
    }
    for (; p < len; p += STRIDE) {
        if (!passes(pf, text + p))
            continue;
        ++*probes;
        if ((rc = verify(pf, text, len, p, fn, ctx)))
            return rc;
    }
    return 0;
}

/* With short literals: every position from p, in order (for the last bytes after the vector loop). */
static int scan_tail_short(const cb__prefilter *pf, const char *text, size_t len, size_t p, cb__pf_hit_fn fn,
                           void *ctx, size_t *probes)
{
    int rc;
    for (; p < len; p++) {
        if (p % STRIDE == 0 && passes(pf, text + p)) {
            ++*probes;
            if ((rc = verify(pf, text, len, p, fn, ctx)))
                return rc;
        }
        for (size_t i = 0; i < pf->nshort; i++)
            if (anchored(&pf->shorts[i], text, p)) {
                ++*probes;
                if ((rc = verify_short(&pf->shorts[i], text, len, p, fn, ctx)))
                    return rc;
            }
    }
    return 0;
}

bool cb__prefilter_takes_short(void)
{
#ifdef CB__PF_X86
    return __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

#ifdef CB__PF_X86
/*
 * Eight stride points per 32-byte load: each 32-bit lane is the group at one
 * stride point.  Short literals: their anchor pair compared at all 32
 * positions.  Positions are visited in order, so hits come in line order.
 */
__attribute__((target("avx2"))) static int scan_avx2(const cb__prefilter *pf, const char *text, size_t len,
                                                     cb__pf_hit_fn fn, void *ctx, size_t *probes)
{
    const __m256i mul = _mm256_set1_epi32((int)0x9E3779B1u);
    const __m256i m31 = _mm256_set1_epi32(31), one = _mm256_set1_epi32(1);
    /* The bitmap as 32-bit words (x86 is little-endian: bit h is bit h % 32 of word h / 32). */
    const int *words = (const int *)(const void *)pf->bits;
    __m256i b0[CB__PF_MAX_SHORT], b1[CB__PF_MAX_SHORT];
    for (size_t i = 0; i < pf->nshort; i++) {
        const unsigned char *h = (const unsigned char *)&pf->shorts[i].head;
        b0[i] = _mm256_set1_epi8((char)h[pf->shorts[i].at]);
        b1[i] = _mm256_set1_epi8((char)h[pf->shorts[i].at + 1]);
    }
    size_t p = 0;
    for (; p + 32 <= len; p += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(text + p));
        __m256i h = _mm256_srli_epi32(_mm256_mullo_epi32(v, mul), 32 - BITS_LOG2);
        __m256i w = _mm256_i32gather_epi32(words, _mm256_srli_epi32(h, 5), 4);
        __m256i bit = _mm256_sllv_epi32(one, _mm256_and_si256(h, m31));
        __m256i hit = _mm256_cmpeq_epi32(_mm256_and_si256(w, bit), bit);
        unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(hit));
        *probes += (size_t)__builtin_popcount(mask);
        if (!pf->nshort) {
            while (mask) {
                unsigned lane = (unsigned)__builtin_ctz(mask);
                mask &= mask - 1;
                int rc = verify(pf, text, len, p + 4 * lane, fn, ctx);
                if (rc)
                    return rc;
            }
            continue;
        }
        /* Stride lane k is position 4k; short literal i's anchors are the bits of sm[i]. */
        __m256i next = _mm256_loadu_si256((const __m256i *)(const void *)(text + p + 1));
        uint32_t sm[CB__PF_MAX_SHORT], pos = 0;
        for (size_t i = 0; i < pf->nshort; i++) {
            __m256i e = _mm256_and_si256(_mm256_cmpeq_epi8(v, b0[i]), _mm256_cmpeq_epi8(next, b1[i]));
            sm[i] = (uint32_t)_mm256_movemask_epi8(e);
            pos |= sm[i];
        }
        if (!(mask | pos))
            continue;
        *probes += (size_t)__builtin_popcount(pos);
        uint32_t stride_pos = 0;
        for (unsigned m = mask; m; m &= m - 1)
            stride_pos |= 1u << (4 * (unsigned)__builtin_ctz(m));
        pos |= stride_pos;
        while (pos) {
            unsigned b = (unsigned)__builtin_ctz(pos);
            pos &= pos - 1;
            int rc;
            if ((stride_pos >> b & 1) && (rc = verify(pf, text, len, p + b, fn, ctx)))
                return rc;
            for (size_t i = 0; i < pf->nshort; i++)
                if ((sm[i] >> b & 1) && (rc = verify_short(&pf->shorts[i], text, len, p + b, fn, ctx)))
                    return rc;
        }
    }
    if (pf->nshort)
        return scan_tail_short(pf, text, len, p, fn, ctx, probes);
    return scan_scalar(pf, text, len, p, fn, ctx, probes);
}
#endif

int cb__prefilter_scan(const cb__prefilter *pf, const char *text, size_t len, cb__pf_hit_fn fn, void *ctx,
                       size_t *probes)
{
    size_t n = 0;
    int rc = 0;
    if (pf->nent || pf->nshort) {
#ifdef CB__PF_X86
        if (pf->avx2)
            rc = scan_avx2(pf, text, len, fn, ctx, &n);
        else
#endif
            rc = scan_scalar(pf, text, len, 0, fn, ctx, &n);
    }
    if (probes)
        *probes = n;
    return rc;
}
