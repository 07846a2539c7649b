/*
 * test_literal.c — unit tests for cb__required_literals (scan/literal.h):
 * hand-checked answers for real log signatures, the syntax that must give
 * "no set", the size limits, and a property test of soundness against PCRE2
 * on thousands of random patterns that Hyperscan accepts: every substring
 * PCRE2 matches must contain one of the literals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#include "scan/literal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Check the set for `re` is exactly the NULL-terminated list that follows (in any order). */
static void expect_set(const char *re, bool caseless, size_t min_len, size_t max_lits, int want_caseless,
                       ...)
{
    cb__litset s;
    assert_int_equal(cb__required_literals(re, caseless, min_len, max_lits, &s), CB_OK);
    const char *want[64];
    size_t nwant = 0;
    va_list ap;
    va_start(ap, want_caseless);
    for (const char *w; (w = va_arg(ap, const char *)) != NULL;)
        want[nwant++] = w;
    va_end(ap);

    bool ok = s.n == nwant && (nwant == 0 || s.caseless == (want_caseless != 0));
    for (size_t i = 0; ok && i < nwant; i++) {
        bool found = false;
        for (size_t k = 0; k < s.n && !found; k++)
            found = strcmp(s.lits[k], want[i]) == 0 && s.lens[k] == strlen(want[i]);
        ok = found;
    }
    if (!ok) {
        char got[2048] = "";
        size_t off = 0;
        for (size_t k = 0; k < s.n && off < sizeof got; k++)
            off += (size_t)snprintf(got + off, sizeof got - off, " \"%s\"", s.lits[k]);
        size_t n = s.n;
        bool ci = s.caseless;
        cb__litset_release(&s);
        fail_msg("pattern \"%s\"%s: got %zu literal(s)%s (caseless %d), want %zu", re,
                 caseless ? " (caseless)" : "", n, got, ci, nwant);
    }
    cb__litset_release(&s);
}

#define SET(re, ...) expect_set((re), false, 1, 16, false, __VA_ARGS__, (const char *)NULL)
#define SET_CI(re, ...) expect_set((re), true, 1, 16, true, __VA_ARGS__, (const char *)NULL)
#define SET_INLINE_CI(re, ...) expect_set((re), false, 1, 16, true, __VA_ARGS__, (const char *)NULL)
#define NONE(re) expect_set((re), false, 1, 16, false, (const char *)NULL)

/* ------------------------------------------------------------------ */
/* Hand-checked examples                                               */
/* ------------------------------------------------------------------ */

static void test_log_signatures(void **state)
{
    (void)state;
    SET("An existing connection was forcibly closed by the remote host",
        "An existing connection was forcibly closed by the remote host");
    SET_CI("An existing connection was forcibly closed by the remote host",
           "an existing connection was forcibly closed by the remote host");
    /* "Kill(ed)?" keeps both spellings exact, so the run continues past it. */
    SET("Out of memory: Kill(ed)? process \\d+ \\((?<comm>[^)]+)\\)", "Out of memory: Kill process ",
        "Out of memory: Killed process ");
    /* The optional group yields "...for " and "...for invalid user "; the second is redundant. */
    SET("Failed password for (invalid user )?\\S+ from \\S+ port \\d+ ssh2", "Failed password for ");
    SET("AH00161: server reached MaxRequestWorkers", "AH00161: server reached MaxRequestWorkers");
    SET("could only be (replicated|written) to 0", "could only be replicated to 0",
        "could only be written to 0");
    SET("Timed out waiting for data from (?<target>[A-Za-z0-9.-]+)", "Timed out waiting for data from ");
    SET_CI("Timed out waiting for data from (?<target>[A-Za-z0-9.-]+)", "timed out waiting for data from ");
    /* Both spellings in full beat " password for" and {"Failed", "Accepted"}. */
    SET("(Failed|Accepted) password for", "Failed password for", "Accepted password for");
    SET("blk_update_request: I/O error, dev (sd[a-z]+)", "blk_update_request: I/O error, dev ");
    SET("(?P<x>kernel): (?:BUG|Oops):", "kernel: BUG:", "kernel: Oops:");
    SET("^\\[\\d+\\.\\d+\\] usb \\d+-\\d+: reset high-speed USB device", ": reset high-speed USB device");
    SET("java\\.lang\\.OutOfMemoryError: (Java heap space|GC overhead limit exceeded)",
        "java.lang.OutOfMemoryError: Java heap space",
        "java.lang.OutOfMemoryError: GC overhead limit exceeded");
    SET("\\x41\\x42C\\/D\\-\\t", "ABC/D-\t");
}

static void test_small_examples(void **state)
{
    (void)state;
    SET_INLINE_CI("(?i)error", "error");
    SET_INLINE_CI("(?i:ERROR): x", "error: x");
    SET_INLINE_CI("Disk (?i)FULL", "disk full");
    SET("\\berror\\b", "error");
    SET("\\Aerror\\z", "error");
    SET("[Ee]rror", "Error", "error");
    SET_CI("[Ee]rror", "error");
    SET_CI("ERROR", "error");
    SET("E[0-9]{3}", "E");
    SET("a{3}", "a");
    SET("x(abc){2,}y", "abc");
    SET("x(abc)+y", "abc");
    SET("colou?r", "colour", "color");
    SET("abc(def)*ghi", "ghi"); /* g and h are rarer than b and c */
    SET("(abc|abd)ef", "abcef", "abdef");
    /* "error" already covers "errors". */
    SET("(error|errors|fatal error) in", "error in", "errors in");
    SET("x|y", "x", "y");
    SET("[\\]a]bc", "]bc", "abc");
    SET("[^a-z]{0}abc", "abc");
    SET("a.b", "b");
    SET("(?:abc)", "abc");
    SET("()abc()", "abc");
    SET("a+b+c+", "b");
    SET("caf\xc3\xa9 cr\xc3\xa8me", "caf\xc3\xa9 cr\xc3\xa8me");
    /* A quantifier after a UTF-8 character makes it unknown: "na" and "ve" remain. */
    SET("na\xc3\xaf+ve", "ve");
    SET("na\xc3\xafve+ly", "na\xc3\xafv");
}

static void test_no_set(void **state)
{
    (void)state;
    NONE("foo|");
    NONE("|foo");
    NONE("^$");
    NONE("");
    NONE("(?<target>[A-Za-z0-9.-]+)");
    NONE("\\d+");
    NONE(".*");
    NONE("(abc)?");
    NONE("(abc)*def|\\w+");
    NONE("[a-z]{2,}");
    /* Outside the understood subset: answer nothing rather than guess. */
    NONE("abc(?=def)");
    NONE("abc(?!def)");
    NONE("(?<=abc)def");
    NONE("(?<!abc)def");
    NONE("(abc)\\1");
    NONE("\\p{L}abc");
    NONE("\\Qabc\\E");
    NONE("abc\\kdef");
    NONE("(?x) a b c ");
    NONE("(?>abc)");
    NONE("(?|a|b)");
    NONE("(?#c)abc");
    NONE("(*UTF)abc");
    NONE("abc\\");
    NONE("abc)");
    NONE("(abc");
    NONE("[abc");
    NONE("a{2,1}");
    NONE("a{,3}bcd");
    NONE("a{x}bcd");
    NONE("a**");
    NONE("*abc");
    NONE("abc\\x4");
    NONE("[z-a]bcd");
    NONE("[\\d-z]bcd");
    NONE("[[:foo:]]bcd");
    NONE("[[.a.]]bcd");
    NONE("^*abc");
    NONE("(?i)*abc");
    NONE("\\0abc");
    NONE("\\cAabc");
    NONE("a{99999}");
    NONE(NULL);
}

static void test_limits(void **state)
{
    (void)state;
    /* min_len counts bytes; no literal may be shorter. */
    expect_set("ab(c|def)", false, 3, 16, false, "abc", "abdef", NULL);
    expect_set("ab(c|def)", false, 4, 16, false, NULL);
    expect_set("xyz.ab", false, 3, 16, false, "xyz", NULL);
    expect_set("xyz.ab", false, 4, 16, false, NULL);
    /* A better set that is too large loses to a smaller one. */
    expect_set("(aaaa|bbbb|cccc) tail", false, 1, 3, false, "aaaa tail", "bbbb tail", "cccc tail", NULL);
    expect_set("(aaaa|bbbb|cccc) tail", false, 1, 2, false, " tail", NULL);
    expect_set("(aaaa|bbbb|cccc)", false, 1, 2, false, NULL);
    expect_set("abc", false, 1, 0, false, NULL);
    /* min_len 0 behaves as 1: the empty string is never a literal. */
    expect_set("a?", false, 0, 16, false, NULL);

    /* A run longer than 64 bytes is cut; what is kept must still be sound. */
    char longre[200];
    memset(longre, 'q', 150);
    longre[150] = '\0';
    cb__litset s;
    assert_int_equal(cb__required_literals(longre, false, 1, 16, &s), CB_OK);
    assert_int_equal(s.n, 1);
    assert_true(s.lens[0] >= 32 && s.lens[0] <= 64);
    assert_int_equal(strspn(s.lits[0], "q"), s.lens[0]);
    cb__litset_release(&s);

    /* Products of classes are capped at 16 strings. */
    assert_int_equal(cb__required_literals("[ab][cd][ef][gh][ij]k", false, 1, 16, &s), CB_OK);
    assert_true(s.n >= 1 && s.n <= 16);
    cb__litset_release(&s);

    /* Deep nesting is refused rather than recursed into. */
    char deep[400];
    size_t k = 0;
    for (int i = 0; i < 100; i++)
        deep[k++] = '(';
    deep[k++] = 'x';
    for (int i = 0; i < 100; i++)
        deep[k++] = ')';
    deep[k] = '\0';
    expect_set(deep, false, 1, 16, false, NULL);
    k = 0;
    for (int i = 0; i < 30; i++)
        deep[k++] = '(';
    memcpy(deep + k, "abc", 3);
    k += 3;
    for (int i = 0; i < 30; i++)
        deep[k++] = ')';
    deep[k] = '\0';
    expect_set(deep, false, 1, 16, false, "abc", NULL);

    /* Very long patterns are not analysed. */
    char *huge = malloc(20001);
    assert_non_null(huge);
    memset(huge, 'z', 20000);
    huge[20000] = '\0';
    assert_int_equal(cb__required_literals(huge, false, 1, 16, &s), CB_OK);
    assert_int_equal(s.n, 0);
    free(huge);

    /* A wide alternation is rejected as a whole once it exceeds max_lits. */
    char alt[4096];
    k = 0;
    for (int i = 0; i < 300; i++)
        k += (size_t)snprintf(alt + k, sizeof alt - k, "%sw%03d", i ? "|" : "", i);
    assert_int_equal(cb__required_literals(alt, false, 1, 16, &s), CB_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(cb__required_literals(alt, false, 1, 1000, &s), CB_OK);
    assert_int_equal(s.n, 0); /* internal cap: 256 */
    assert_int_equal(cb__required_literals("(w001|w002|w003|w004)x", false, 1, 1000, &s), CB_OK);
    assert_int_equal(s.n, 4);
    cb__litset_release(&s);
}

static void test_release(void **state)
{
    (void)state;
    cb__litset s;
    cb__litset_release(NULL);
    assert_int_equal(cb__required_literals("(?i)abc|def", false, 1, 16, &s), CB_OK);
    assert_int_equal(s.n, 2);
    assert_true(s.caseless);
    cb__litset_release(&s);
    assert_int_equal(s.n, 0);
    assert_null(s.lits);
    assert_null(s.lens);
    assert_false(s.caseless);
    cb__litset_release(&s);
}

/* ------------------------------------------------------------------ */
/* Property test against PCRE2                                          */
/* ------------------------------------------------------------------ */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)((rng >> 11) % n);
}

/* Sampling alphabet; patterns draw their literals from it too. */
static const char alphabet[] = "abcxyABXY. -:_17";
#define ALPHA_LEN (sizeof alphabet - 1)

enum gkind { G_CHAR, G_SET, G_EMPTY, G_SEQ, G_ALT, G_REP };

typedef struct gnode {
    enum gkind kind;
    char set[ALPHA_LEN + 1]; /* G_CHAR: one member; G_SET: the members among `alphabet` */
    int kids[8];
    int nkids;
    int min, max; /* G_REP */
} gnode;

typedef struct gen {
    gnode pool[1024];
    int n;
    char re[1024];
    size_t len;
    int names;
    bool overflow;
} gen;

static void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n + 1 >= sizeof g->re) {
        g->overflow = true;
        return;
    }
    memcpy(g->re + g->len, s, n + 1);
    g->len += n;
}

static int node(gen *g, enum gkind k)
{
    if (g->n == (int)(sizeof g->pool / sizeof g->pool[0])) {
        g->overflow = true;
        return 0;
    }
    gnode *x = &g->pool[g->n];
    memset(x, 0, sizeof *x);
    x->kind = k;
    return g->n++;
}

static void add_kid(gen *g, int parent, int kid)
{
    if (g->pool[parent].nkids < 8)
        g->pool[parent].kids[g->pool[parent].nkids++] = kid;
    else
        g->overflow = true;
}

/* The members of `alphabet` in a shorthand class ("d", "W", ...), "alpha", or anything else (all). */
static void members(char *out, const char *which)
{
    size_t k = 0;
    for (size_t i = 0; i < ALPHA_LEN; i++) {
        unsigned char c = (unsigned char)alphabet[i];
        bool word = isalnum(c) || c == '_';
        bool in = true;
        if (!strcmp(which, "d") || !strcmp(which, "D"))
            in = (isdigit(c) != 0) == (which[0] == 'd');
        else if (!strcmp(which, "w") || !strcmp(which, "W"))
            in = word == (which[0] == 'w');
        else if (!strcmp(which, "s") || !strcmp(which, "S"))
            in = (c == ' ') == (which[0] == 's');
        else if (!strcmp(which, "alpha"))
            in = isalpha(c) != 0;
        if (in)
            out[k++] = (char)c;
    }
    out[k] = '\0';
}

static int gen_alt(gen *g, int depth);

static int gen_char(gen *g)
{
    static const char lits[] = "abcxyABXY -:_17.";
    char c = lits[rnd(sizeof lits - 1)];
    int id = node(g, G_CHAR);
    g->pool[id].set[0] = c;
    if (c == '.')
        put(g, "\\.");
    else if (c == '-' && rnd(2))
        put(g, "\\-");
    else {
        char s[2] = {c, '\0'};
        put(g, s);
    }
    return id;
}

static int gen_class(gen *g)
{
    int id = node(g, G_SET);
    char *set = g->pool[id].set;
    unsigned r = rnd(10);
    if (r == 0) {
        put(g, "[[:alpha:]]");
        members(set, "alpha");
        return id;
    }
    bool neg = r == 1 || r == 2;
    bool present[ALPHA_LEN] = {false};
    put(g, neg ? "[^" : "[");
    if (rnd(4) == 0) {
        put(g, "a-c");
        present[0] = present[1] = present[2] = true;
    }
    unsigned n = 1 + rnd(3);
    for (unsigned i = 0; i < n; i++) {
        size_t k = rnd(ALPHA_LEN);
        char c = alphabet[k];
        present[k] = true;
        if (c == '-' || c == ']' || c == '\\' || c == '^')
            put(g, "\\");
        char s[2] = {c, '\0'};
        put(g, s);
    }
    put(g, "]");
    size_t m = 0;
    for (size_t k = 0; k < ALPHA_LEN; k++)
        if (present[k] != neg)
            set[m++] = alphabet[k];
    set[m] = '\0';
    return id;
}

static int gen_atom(gen *g, int depth, bool *quantifiable)
{
    unsigned r = rnd(100);
    *quantifiable = true;
    if (r < 45)
        return gen_char(g);
    if (r < 57)
        return gen_class(g);
    if (r < 63) {
        static const char *const sh[] = {"d", "w", "s", "D", "W", "S"};
        const char *w = sh[rnd(6)];
        int id = node(g, G_SET);
        members(g->pool[id].set, w);
        put(g, "\\");
        put(g, w);
        return id;
    }
    if (r < 66) {
        int id = node(g, G_SET);
        members(g->pool[id].set, "any");
        put(g, ".");
        return id;
    }
    if (r < 70) {
        static const char *const an[] = {"\\b", "\\B", "^", "$"};
        unsigned k = rnd(10);
        put(g, an[k < 6 ? 0 : k < 8 ? 1 : k - 6]);
        *quantifiable = false;
        return node(g, G_EMPTY);
    }
    if (depth >= 3)
        return gen_char(g);
    unsigned kind = rnd(10);
    if (kind < 4) {
        put(g, "(");
    } else if (kind < 7) {
        put(g, "(?:");
    } else if (kind < 9) {
        char name[24];
        snprintf(name, sizeof name, "(?<g%d>", g->names++);
        put(g, name);
    } else {
        put(g, "(?i:");
    }
    int id = gen_alt(g, depth + 1);
    put(g, ")");
    return id;
}

static int gen_piece(gen *g, int depth)
{
    bool quantifiable;
    int atom = gen_atom(g, depth, &quantifiable);
    if (!quantifiable || rnd(100) < 62)
        return atom;
    int id = node(g, G_REP);
    add_kid(g, id, atom);
    gnode *x = &g->pool[id];
    char q[32];
    switch (rnd(6)) {
    case 0:
        x->min = 0, x->max = 1;
        put(g, "?");
        break;
    case 1:
        x->min = 0, x->max = 3;
        put(g, "*");
        break;
    case 2:
        x->min = 1, x->max = 3;
        put(g, "+");
        break;
    case 3:
        x->min = x->max = (int)rnd(4);
        snprintf(q, sizeof q, "{%d}", x->min);
        put(g, q);
        break;
    case 4:
        x->min = (int)rnd(3);
        x->max = x->min + 3;
        snprintf(q, sizeof q, "{%d,}", x->min);
        put(g, q);
        break;
    default:
        x->min = (int)rnd(3);
        x->max = x->min + (int)rnd(3);
        snprintf(q, sizeof q, "{%d,%d}", x->min, x->max);
        put(g, q);
        break;
    }
    unsigned s = rnd(10);
    if (s == 0)
        put(g, "?");
    else if (s == 1)
        put(g, "+");
    return id;
}

static int gen_seq(gen *g, int depth)
{
    int id = node(g, G_SEQ);
    if (rnd(25) == 0)
        return id; /* an empty branch */
    unsigned n = 1 + rnd(depth ? 4 : 6);
    for (unsigned i = 0; i < n && g->pool[id].nkids < 8; i++) {
        if (rnd(3) == 0) {
            /* A literal run, the common case in real signatures. */
            unsigned len = 2 + rnd(5);
            for (unsigned k = 0; k < len && g->pool[id].nkids < 8; k++)
                add_kid(g, id, gen_char(g));
        } else {
            add_kid(g, id, gen_piece(g, depth));
        }
    }
    return id;
}

static int gen_alt(gen *g, int depth)
{
    unsigned n = rnd(4) == 0 ? 2 + rnd(2) : 1;
    int id = node(g, G_ALT);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            put(g, "|");
        add_kid(g, id, gen_seq(g, depth));
    }
    return id;
}

/* Append a random string of the node's language (ignoring anchors). */
static void sample(const gen *g, int id, char *out, size_t *len, size_t cap, bool flip_case)
{
    const gnode *x = &g->pool[id];
    switch (x->kind) {
    case G_CHAR:
    case G_SET: {
        size_t n = strlen(x->set);
        if (n && *len + 1 < cap) {
            char c = x->set[rnd((unsigned)n)];
            if (flip_case && isalpha((unsigned char)c) && rnd(2))
                c = (char)(islower((unsigned char)c) ? toupper((unsigned char)c) : tolower((unsigned char)c));
            out[(*len)++] = c;
        }
        break;
    }
    case G_EMPTY:
        break;
    case G_SEQ:
        for (int i = 0; i < x->nkids; i++)
            sample(g, x->kids[i], out, len, cap, flip_case);
        break;
    case G_ALT:
        sample(g, x->kids[rnd((unsigned)x->nkids)], out, len, cap, flip_case);
        break;
    case G_REP: {
        int k = x->min + (int)rnd((unsigned)(x->max - x->min + 1));
        for (int i = 0; i < k; i++)
            sample(g, x->kids[0], out, len, cap, flip_case);
        break;
    }
    }
}

static bool contains(const char *hay, size_t hn, const char *needle, size_t nn, bool caseless)
{
    if (nn > hn)
        return false;
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t k = 0;
        while (k < nn && (caseless ? tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k])
                                   : hay[i + k] == needle[k]))
            k++;
        if (k == nn)
            return true;
    }
    return false;
}

typedef struct stats {
    unsigned generated, hs_rejected, with_set, matches_checked, match_limit;
} stats;

/* Every match PCRE2 finds in `subj`, at every start offset, must contain a literal. */
static void check_subject(pcre2_code *code, pcre2_match_data *md, pcre2_match_context *mc, const char *re,
                          const cb__litset *s, const char *subj, size_t n, stats *st)
{
    for (size_t start = 0; start <= n; start++) {
        int rc = pcre2_match(code, (PCRE2_SPTR)subj, n, start, PCRE2_ANCHORED, md, mc);
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
            st->match_limit++; /* catastrophic backtracking on a nested quantifier: skip */
            continue;
        }
        if (rc < 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        const char *m = subj + ov[0];
        size_t mn = ov[1] - ov[0];
        bool ok = false;
        for (size_t i = 0; i < s->n && !ok; i++)
            ok = contains(m, mn, s->lits[i], s->lens[i], s->caseless);
        st->matches_checked++;
        if (!ok) {
            char lits[1024] = "";
            size_t off = 0;
            for (size_t i = 0; i < s->n && off < sizeof lits; i++)
                off += (size_t)snprintf(lits + off, sizeof lits - off, " \"%s\"", s->lits[i]);
            fail_msg("unsound: pattern \"%s\" matched \"%.*s\" in \"%.*s\" which contains none of%s%s", re,
                     (int)mn, m, (int)n, subj, lits, s->caseless ? " (caseless)" : "");
        }
    }
}

static void test_property_pcre2(void **state)
{
    (void)state;
    stats st = {0, 0, 0, 0, 0};
    static gen g;
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    assert_non_null(md);
    assert_non_null(mc);
    pcre2_set_match_limit(mc, 20000);
    clock_t t0 = clock();

    /* Fixed seed and size; CB_PROPERTY_ITERS and CB_PROPERTY_SEED allow a longer soak by hand. */
    const char *env_iters = getenv("CB_PROPERTY_ITERS"), *env_seed = getenv("CB_PROPERTY_SEED");
    long iters = env_iters ? atol(env_iters) : 3000;
    if (env_seed)
        rng = strtoull(env_seed, NULL, 0) ? strtoull(env_seed, NULL, 0) : 1;

    for (long iter = 0; iter < iters; iter++) {
        memset(&g, 0, sizeof g);
        bool caseless = rnd(5) == 0;
        if (rnd(20) == 0)
            put(&g, "(?i)");
        int root = gen_alt(&g, 0);
        if (g.overflow)
            continue;
        st.generated++;
        bool inline_ci = strstr(g.re, "(?i") != NULL;

        hs_database_t *db = NULL;
        hs_compile_error_t *herr = NULL;
        /* The scanner's flags, plus ALLOWEMPTY: this only asks whether the syntax is accepted. */
        unsigned flags = HS_FLAG_MULTILINE | HS_FLAG_ALLOWEMPTY | (caseless ? HS_FLAG_CASELESS : 0);
        if (hs_compile(g.re, flags, HS_MODE_BLOCK, NULL, &db, &herr) != HS_SUCCESS) {
            hs_free_compile_error(herr);
            st.hs_rejected++;
            continue;
        }
        hs_free_database(db);

        int errcode;
        PCRE2_SIZE erroff;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)g.re, PCRE2_ZERO_TERMINATED,
                                         caseless ? PCRE2_CASELESS : 0, &errcode, &erroff, NULL);
        if (!code)
            fail_msg("PCRE2 rejects \"%s\", which Hyperscan accepts", g.re);

        size_t min_len = 1 + rnd(3), max_lits = rnd(4) == 0 ? 1 + rnd(4) : 16;
        cb__litset s;
        assert_int_equal(cb__required_literals(g.re, caseless, min_len, max_lits, &s), CB_OK);
        assert_true(s.n <= max_lits);
        if (s.n)
            assert_true(s.caseless == (caseless || inline_ci));
        for (size_t i = 0; i < s.n; i++) {
            assert_true(s.lens[i] >= min_len);
            assert_int_equal(strlen(s.lits[i]), s.lens[i]);
            if (s.caseless)
                for (size_t k = 0; k < s.lens[i]; k++)
                    assert_false(isupper((unsigned char)s.lits[i][k]));
        }
        if (s.n) {
            st.with_set++;
            bool flip = caseless || inline_ci;
            for (int t = 0; t < 24; t++) {
                char subj[256];
                size_t n = 0;
                unsigned pre = t < 16 ? rnd(4) : rnd(30);
                for (unsigned k = 0; k < pre; k++)
                    subj[n++] = alphabet[rnd(ALPHA_LEN)];
                if (t < 16)
                    sample(&g, root, subj, &n, 200, flip && rnd(2));
                if (t >= 12 && t < 16)
                    sample(&g, root, subj, &n, 200, flip && rnd(2));
                unsigned post = rnd(4);
                for (unsigned k = 0; k < post && n < sizeof subj - 1; k++)
                    subj[n++] = alphabet[rnd(ALPHA_LEN)];
                check_subject(code, md, mc, g.re, &s, subj, n, &st);
            }
        }
        cb__litset_release(&s);
        pcre2_code_free(code);
    }
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("property: %u patterns, %u rejected by Hyperscan, %u with a literal set, "
                  "%u matches checked, %u over PCRE2's match limit (%.1f s)\n",
                  st.generated, st.hs_rejected, st.with_set, st.matches_checked, st.match_limit, secs);
    /* The test only means something if the generator hits all the paths. */
    if (!env_iters) {
        assert_true(st.generated - st.hs_rejected >= 2000);
        assert_true(st.with_set >= 1500);
        assert_true(st.matches_checked >= 35000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_signatures),
        cmocka_unit_test(test_small_examples),
        cmocka_unit_test(test_no_set),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_release),
        cmocka_unit_test(test_property_pcre2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
