/*
 * literal.c — the literals every match of a signature's regular expression
 * must contain (see literal.h).
 *
 * A recursive-descent parser reads the part of PCRE syntax that signatures
 * use and, instead of building a tree, computes two facts about every node
 * on the way back up:
 *
 *   exact: a small finite set of strings that includes every string the node
 *          can match ("abc", "[Ee]", "(Failed|Accepted)", "s?"), or unknown;
 *   req:   a set of literals one of which occurs in every match of the node
 *          (the classic "required factors"), or none.
 *
 * Both are over-approximations, which is what keeps the answer sound: a
 * match of a concatenation contains a match of each run of adjacent exact
 * children, so the cross product of their exact sets is a required set;
 * an alternation requires the union of what its branches require; `x+`
 * requires what x requires.  Where the parser meets anything it does not
 * understand fully it gives up and answers "no set" rather than guess, and
 * any construct it understands but cannot describe (a large class, `x*`)
 * is simply "matches something": it breaks runs and requires nothing.
 *
 * Among the candidate sets of a concatenation the best by score() wins: the
 * estimated rarity, in log text, of the set's weakest literal.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "scan/literal.h"
#include "core/internal.h"

enum {
    EXACT_MAX_STRS = 16,  /* an exact set has at most this many strings... */
    EXACT_MAX_LEN = 64,   /* ...of at most this many bytes */
    CLASS_EXACT_MAX = 4,  /* a class of at most this many bytes (after case folding) stays exact */
    REQ_MAX_LITS = 256,   /* a required set never grows beyond this */
    MAX_DEPTH = 64,       /* nesting of groups */
    MAX_PATTERN = 16384,  /* longer patterns are not analysed */
    MAX_REPEAT = 65535,   /* PCRE's limit on {n,m} */
    ARENA_CHUNK = 16384,
};

#define SCORE_NONE INT64_MIN

typedef struct lit {
    const char *s;
    size_t len;
} lit;

typedef struct sset {
    size_t n;
    lit v[];
} sset;

/* What is known about one node of the pattern; see the top of the file. */
typedef struct info {
    const sset *exact; /* NULL: not a small finite set */
    const sset *req;   /* NULL: nothing usable is required; else minimal and scored */
    int64_t score;     /* score(req), SCORE_NONE when req is NULL */
} info;

/* The cross product being built along a run of exact nodes. */
typedef struct run {
    size_t n;
    size_t len[EXACT_MAX_STRS];
    char s[EXACT_MAX_STRS][EXACT_MAX_LEN];
} run;

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

typedef struct parser {
    const char *p, *end;
    bool caseless; /* fold ASCII letters to lower case */
    bool saw_i;    /* an inline option turned caseless matching on */
    bool bail;     /* syntax outside the understood subset */
    bool nomem;
    int depth;
    size_t min_len, max_lits;
    chunk *arena; /* everything the analysis allocates; freed at once */
    const sset *empty;
    run *runs[MAX_DEPTH + 1]; /* scratch for parse_seq, one per group depth */
    char onechar[256][2];
} parser;

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

static void *arena_alloc(parser *ps, size_t n)
{
    size_t align = _Alignof(max_align_t);
    n = (n + align - 1) / align * align;
    chunk *c = ps->arena;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c) {
            ps->nomem = true;
            return NULL;
        }
        c->next = ps->arena;
        c->used = 0;
        c->cap = cap;
        ps->arena = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

static void arena_free(parser *ps)
{
    while (ps->arena) {
        chunk *next = ps->arena->next;
        free(ps->arena);
        ps->arena = next;
    }
}

static sset *set_new(parser *ps, size_t n)
{
    sset *s = arena_alloc(ps, sizeof *s + n * sizeof(lit));
    if (s)
        s->n = 0;
    return s;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */
/* ------------------------------------------------------------------ */

/*
 * Cost of a byte in tenths of a bit: -10 * log2 of its rough frequency in
 * log files.  Spaces, digits (timestamps, numbers), the common lower-case
 * letters and the punctuation of timestamps, paths and key=value pairs are
 * cheap; capitals, rare letters and rare punctuation are dear.  Only the
 * ordering matters, so the figures are estimates, not measurements.
 */
/* clang-format off */
static const unsigned char byte_cost_tab[128] = {
    ['\t'] = 70, [' '] = 30,
    ['0'] = 42, ['1'] = 44, ['2'] = 46, ['3'] = 50, ['4'] = 52,
    ['5'] = 52, ['6'] = 53, ['7'] = 54, ['8'] = 54, ['9'] = 54,
    ['a'] = 48, ['b'] = 68, ['c'] = 56, ['d'] = 56, ['e'] = 44, ['f'] = 64, ['g'] = 64,
    ['h'] = 62, ['i'] = 48, ['j'] = 92, ['k'] = 72, ['l'] = 54, ['m'] = 58, ['n'] = 48,
    ['o'] = 48, ['p'] = 60, ['q'] = 96, ['r'] = 50, ['s'] = 49, ['t'] = 46, ['u'] = 58,
    ['v'] = 72, ['w'] = 68, ['x'] = 80, ['y'] = 68, ['z'] = 94,
    ['A'] = 70, ['B'] = 78, ['C'] = 72, ['D'] = 72, ['E'] = 70, ['F'] = 76, ['G'] = 80,
    ['H'] = 80, ['I'] = 72, ['J'] = 96, ['K'] = 88, ['L'] = 76, ['M'] = 76, ['N'] = 74,
    ['O'] = 74, ['P'] = 74, ['Q'] = 100, ['R'] = 74, ['S'] = 70, ['T'] = 70, ['U'] = 80,
    ['V'] = 86, ['W'] = 82, ['X'] = 90, ['Y'] = 92, ['Z'] = 100,
    [':'] = 52, ['.'] = 52, ['-'] = 56, ['/'] = 58, ['='] = 64, ['['] = 66, [']'] = 66, [','] = 64,
    ['_'] = 66, ['"'] = 68, ['\''] = 78, ['('] = 72, [')'] = 72, ['<'] = 88, ['>'] = 84, [';'] = 86,
    ['@'] = 90, ['#'] = 92, ['{'] = 86, ['}'] = 86, ['*'] = 94, ['+'] = 90, ['&'] = 92, ['%'] = 90,
    ['?'] = 92, ['!'] = 96, ['|'] = 94, ['\\'] = 90, ['$'] = 96, ['^'] = 110, ['`'] = 110, ['~'] = 104,
};
/* clang-format on */

static int64_t byte_cost(unsigned char c, bool caseless)
{
    if (c >= 0x80)
        return 100;
    int64_t v = byte_cost_tab[c] ? byte_cost_tab[c] : 140;
    /* Ignoring case, a letter also matches its capital: a little more common. */
    if (caseless && c >= 'a' && c <= 'z')
        v -= 3;
    return v;
}

/*
 * Score of a required set, higher is better: the cost of its weakest
 * (commonest) literal, less one bit per doubling of the number of literals,
 * since each literal brings its own false hits.  SCORE_NONE when the set is
 * unusable: empty, too large, or with a literal shorter than min_len.
 */
static int64_t score(const parser *ps, const sset *s)
{
    if (!s || s->n == 0 || s->n > ps->max_lits)
        return SCORE_NONE;
    int64_t worst = INT64_MAX;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].len < ps->min_len)
            return SCORE_NONE;
        int64_t c = 0;
        for (size_t k = 0; k < s->v[i].len; k++)
            c += byte_cost((unsigned char)s->v[i].s[k], ps->caseless);
        worst = CB_MIN(worst, c);
    }
    int64_t bits = 0;
    while (((size_t)1 << bits) < s->n)
        bits++;
    return worst - 10 * bits;
}

static bool lit_eq(lit a, lit b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* True when b occurs inside a. */
static bool lit_contains(lit a, lit b)
{
    return b.len <= a.len && memmem(a.s, a.len, b.s, b.len) != NULL;
}

/*
 * A required set with "error" and "errors" means no more than one with just
 * "error": drop duplicates and every literal that contains another one.
 * Returns NULL for a set holding the empty string (it requires nothing) or
 * on allocation failure (ps->nomem says which).
 */
static const sset *minimize(parser *ps, const lit *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].len == 0)
            return NULL;
    sset *out = set_new(ps, n);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        bool drop = false;
        for (size_t j = 0; j < n && !drop; j++) {
            if (i == j)
                continue;
            /* Of two equal literals keep the first. */
            if (lit_eq(v[i], v[j]))
                drop = j < i;
            else
                drop = lit_contains(v[i], v[j]);
        }
        if (!drop)
            out->v[out->n++] = v[i];
    }
    return out;
}

/* Offer a candidate required set: keep it in *best when it scores higher. */
static void consider(parser *ps, const lit *v, size_t n, const sset **best, int64_t *best_score)
{
    const sset *m = minimize(ps, v, n);
    int64_t sc = score(ps, m);
    if (sc != SCORE_NONE && sc > *best_score) {
        *best = m;
        *best_score = sc;
    }
}

/* ------------------------------------------------------------------ */
/* Node facts                                                          */
/* ------------------------------------------------------------------ */

static void set_opaque(info *out)
{
    out->exact = NULL;
    out->req = NULL;
    out->score = SCORE_NONE;
}

static void set_empty(parser *ps, info *out)
{
    out->exact = ps->empty;
    out->req = NULL;
    out->score = SCORE_NONE;
}

/* Facts for an exact set: it is also its own best required set. */
static void set_exact(parser *ps, info *out, const sset *e)
{
    out->exact = e;
    out->req = NULL;
    out->score = SCORE_NONE;
    consider(ps, e->v, e->n, &out->req, &out->score);
}

static unsigned char fold(const parser *ps, unsigned char c)
{
    return (ps->caseless && c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static bool lit_char(parser *ps, unsigned char c, info *out)
{
    sset *s = set_new(ps, 1);
    if (!s)
        return false;
    c = fold(ps, c);
    s->v[0].s = ps->onechar[c];
    s->v[0].len = 1;
    s->n = 1;
    set_exact(ps, out, s);
    return !ps->nomem;
}

static bool bit_get(const uint8_t *bits, unsigned c)
{
    return bits[c >> 3] & (1u << (c & 7));
}

static void bit_set(uint8_t *bits, unsigned c)
{
    bits[c >> 3] |= (uint8_t)(1u << (c & 7));
}

/*
 * Facts for a byte class, already case-folded.  Only a few members keep it
 * exact ("[Ee]rror" -> "Error", "error"); NUL cannot be part of a literal.
 */
static bool class_info(parser *ps, const uint8_t *bits, bool unsure, info *out)
{
    unsigned count = 0;
    for (unsigned c = 0; c < 256; c++)
        count += bit_get(bits, c);
    if (unsure || count == 0 || count > CLASS_EXACT_MAX || bit_get(bits, 0)) {
        set_opaque(out);
        return true;
    }
    sset *s = set_new(ps, count);
    if (!s)
        return false;
    for (unsigned c = 1; c < 256; c++) {
        if (bit_get(bits, c)) {
            s->v[s->n].s = ps->onechar[c];
            s->v[s->n].len = 1;
            s->n++;
        }
    }
    set_exact(ps, out, s);
    return !ps->nomem;
}

/* ------------------------------------------------------------------ */
/* Runs of exact nodes                                                 */
/* ------------------------------------------------------------------ */

static void run_reset(run *r)
{
    r->n = 1;
    r->len[0] = 0;
}

/*
 * r = r x e, without duplicates.  False (r unchanged) when the product would
 * exceed EXACT_MAX_STRS strings or EXACT_MAX_LEN bytes.
 */
static bool run_mul(run *r, const sset *e, run *tmp)
{
    if (r->n * e->n > EXACT_MAX_STRS)
        return false;
    tmp->n = 0;
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < e->n; j++) {
            size_t len = r->len[i] + e->v[j].len;
            if (len > EXACT_MAX_LEN)
                return false;
            char *d = tmp->s[tmp->n];
            memcpy(d, r->s[i], r->len[i]);
            memcpy(d + r->len[i], e->v[j].s, e->v[j].len);
            bool dup = false;
            for (size_t k = 0; k < tmp->n && !dup; k++)
                dup = tmp->len[k] == len && memcmp(tmp->s[k], d, len) == 0;
            if (!dup)
                tmp->len[tmp->n++] = len;
        }
    }
    memcpy(r, tmp, sizeof *r);
    return true;
}

/* Copy a run into the arena as a set. */
static sset *run_to_set(parser *ps, const run *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += r->len[i] + 1;
    sset *s = set_new(ps, r->n);
    char *text = arena_alloc(ps, total);
    if (!s || !text)
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        memcpy(text, r->s[i], r->len[i]);
        text[r->len[i]] = '\0';
        s->v[i].s = text;
        s->v[i].len = r->len[i];
        text += r->len[i] + 1;
    }
    s->n = r->n;
    return s;
}

static bool emit_run(parser *ps, const run *r, const sset **best, int64_t *best_score)
{
    if (r->n == 1 && r->len[0] == 0)
        return true;
    const sset *s = run_to_set(ps, r);
    if (!s)
        return false;
    consider(ps, s->v, s->n, best, best_score);
    return !ps->nomem;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static bool parse_alt(parser *ps, info *out);

static bool unsupported(parser *ps)
{
    ps->bail = true;
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * After "\x": exactly two hex digits, or "{h...}".  PCRE also takes zero or
 * one digit; such rare spellings are refused rather than risk misreading.
 */
static bool parse_hex(parser *ps, unsigned long *v)
{
    *v = 0;
    if (ps->p < ps->end && *ps->p == '{') {
        const char *q = ps->p + 1;
        int digits = 0;
        while (q < ps->end && hexval(*q) >= 0 && digits < 8) {
            *v = *v * 16 + (unsigned long)hexval(*q++);
            digits++;
        }
        if (digits == 0 || q >= ps->end || *q != '}')
            return unsupported(ps);
        ps->p = q + 1;
        return true;
    }
    if (ps->end - ps->p < 2 || hexval(ps->p[0]) < 0 || hexval(ps->p[1]) < 0)
        return unsupported(ps);
    *v = (unsigned long)(hexval(ps->p[0]) * 16 + hexval(ps->p[1]));
    ps->p += 2;
    return true;
}

/* ASCII sets for \d, \w, \s, \h, \v and the POSIX classes. */
static void add_named(uint8_t *bits, const char *name, bool negate)
{
    uint8_t s[32] = {0};
    for (unsigned c = 0; c < 128; c++) {
        bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
        bool alpha = upper || lower, space = (c >= 9 && c <= 13) || c == ' ';
        bool graph = c > 32 && c < 127;
        bool in = false;
        if (!strcmp(name, "digit"))
            in = digit;
        else if (!strcmp(name, "alpha"))
            in = alpha;
        else if (!strcmp(name, "alnum"))
            in = alpha || digit;
        else if (!strcmp(name, "upper"))
            in = upper;
        else if (!strcmp(name, "lower"))
            in = lower;
        else if (!strcmp(name, "space"))
            in = space;
        else if (!strcmp(name, "blank") || !strcmp(name, "h"))
            in = c == ' ' || c == '\t';
        else if (!strcmp(name, "v"))
            in = c >= 10 && c <= 13;
        else if (!strcmp(name, "punct"))
            in = graph && !alpha && !digit;
        else if (!strcmp(name, "xdigit"))
            in = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        else if (!strcmp(name, "word"))
            in = alpha || digit || c == '_';
        else if (!strcmp(name, "cntrl"))
            in = c < 32 || c == 127;
        else if (!strcmp(name, "graph"))
            in = graph;
        else if (!strcmp(name, "print"))
            in = graph || c == ' ';
        else if (!strcmp(name, "ascii"))
            in = true;
        if (in)
            bit_set(s, c);
    }
    for (unsigned i = 0; i < 32; i++)
        bits[i] |= negate ? (uint8_t)~s[i] : s[i];
}

static bool posix_name_known(const char *name)
{
    static const char *const names[] = {"alpha", "digit", "alnum", "upper", "lower", "space", "blank",
                                        "punct", "xdigit", "word", "cntrl", "graph", "print", "ascii"};
    for (size_t i = 0; i < CB_ARRAY_LEN(names); i++)
        if (!strcmp(name, names[i]))
            return true;
    return false;
}

/* The set a shorthand escape letter stands for, or NULL. */
static const char *shorthand(char d, bool *negate)
{
    *negate = d >= 'A' && d <= 'Z';
    switch (d) {
    case 'd':
    case 'D':
        return "digit";
    case 'w':
    case 'W':
        return "word";
    case 's':
    case 'S':
        return "space";
    case 'h':
    case 'H':
        return "h";
    case 'v':
    case 'V':
        return "v";
    default:
        return NULL;
    }
}

/* The byte a simple escape letter stands for (shared with risky.c through literal.h). */
int cb__simple_escape(char d)
{
    switch (d) {
    case 't':
        return '\t';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 'f':
        return '\f';
    case 'e':
        return 0x1b;
    case 'a':
        return 0x07;
    default:
        return -1;
    }
}

/*
 * One member of a class at ps->p: a byte (*c) or a set added to bits
 * (*is_set).  *unsure is set for what PCRE may read beyond ASCII bytes
 * (shorthands and POSIX classes under UCP, bytes >= 0x80 under UTF-8).
 */
static bool class_member(parser *ps, uint8_t *bits, unsigned *c, bool *is_set, bool *unsure)
{
    *is_set = false;
    unsigned char ch = (unsigned char)*ps->p++;
    if (ch >= 0x80) {
        *unsure = true;
        *c = ch;
        return true;
    }
    if (ch != '\\') {
        *c = ch;
        return true;
    }
    if (ps->p >= ps->end)
        return unsupported(ps);
    char d = *ps->p++;
    bool neg;
    const char *name = shorthand(d, &neg);
    int simple = cb__simple_escape(d);
    if (name) {
        add_named(bits, name, neg);
        *is_set = true;
        *unsure = true;
    } else if (simple >= 0) {
        *c = (unsigned)simple;
    } else if (d == 'b') {
        *c = 0x08; /* backspace, inside a class */
    } else if (d == 'x') {
        unsigned long v;
        if (!parse_hex(ps, &v))
            return false;
        if (v >= 0x80) {
            *unsure = true;
            v = 0x80;
        }
        *c = (unsigned)v;
    } else if (!is_alnum((unsigned char)d) && (unsigned char)d < 0x80) {
        *c = (unsigned char)d;
    } else {
        return unsupported(ps);
    }
    return true;
}

/*
 * A class after its '['.  Caseless matching applies before negation
 * ("[^a]" excludes 'A' too); the result is then folded to lower case.
 */
static bool parse_class(parser *ps, info *out)
{
    uint8_t bits[32] = {0};
    bool neg = false, unsure = false, first = true;

    if (ps->p < ps->end && *ps->p == '^') {
        neg = true;
        ps->p++;
    }
    for (;;) {
        if (ps->p >= ps->end)
            return unsupported(ps);
        if (*ps->p == ']' && !first) {
            ps->p++;
            break;
        }
        first = false;
        if (*ps->p == '[' && ps->end - ps->p >= 2 && (ps->p[1] == '.' || ps->p[1] == '='))
            return unsupported(ps);
        if (*ps->p == '[' && ps->end - ps->p >= 2 && ps->p[1] == ':') {
            const char *q = ps->p + 2;
            bool pneg = q < ps->end && *q == '^';
            q += pneg;
            char name[16];
            size_t k = 0;
            while (q < ps->end && *q >= 'a' && *q <= 'z' && k + 1 < sizeof name)
                name[k++] = *q++;
            name[k] = '\0';
            if (ps->end - q < 2 || q[0] != ':' || q[1] != ']' || !posix_name_known(name))
                return unsupported(ps);
            add_named(bits, name, pneg);
            unsure = true;
            ps->p = q + 2;
            continue;
        }
        unsigned lo, hi;
        bool is_set;
        if (!class_member(ps, bits, &lo, &is_set, &unsure))
            return false;
        if (ps->end - ps->p >= 2 && ps->p[0] == '-' && ps->p[1] != ']') {
            if (is_set)
                return unsupported(ps); /* "[\d-z]": PCRE versions disagree */
            ps->p++;
            if (*ps->p == '[')
                return unsupported(ps);
            bool hi_set;
            if (!class_member(ps, bits, &hi, &hi_set, &unsure))
                return false;
            if (hi_set || hi < lo)
                return unsupported(ps);
            if (hi >= 0x80)
                unsure = true;
            for (unsigned c = lo; c <= hi && c < 256; c++)
                bit_set(bits, c);
        } else if (!is_set) {
            bit_set(bits, lo);
        }
    }
    if (ps->caseless) {
        for (unsigned c = 'a'; c <= 'z'; c++) {
            if (bit_get(bits, c) || bit_get(bits, c - 32)) {
                bit_set(bits, c);
                bit_set(bits, c - 32);
            }
        }
    }
    if (neg) {
        for (unsigned i = 0; i < 32; i++)
            bits[i] = (uint8_t)~bits[i];
    }
    if (ps->caseless) {
        for (unsigned c = 'A'; c <= 'Z'; c++)
            bits[c >> 3] &= (uint8_t) ~(1u << (c & 7));
    }
    return class_info(ps, bits, unsure, out);
}

/* An escape outside a class, after its '\'. */
static bool parse_escape(parser *ps, info *out, bool *quantifiable)
{
    if (ps->p >= ps->end)
        return unsupported(ps);
    char d = *ps->p++;
    bool neg;
    int simple = cb__simple_escape(d);
    if (shorthand(d, &neg)) {
        set_opaque(out);
        return true;
    }
    if (simple >= 0)
        return lit_char(ps, (unsigned char)simple, out);
    switch (d) {
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
        *quantifiable = false;
        set_empty(ps, out);
        return true;
    case 'x': {
        unsigned long v;
        if (!parse_hex(ps, &v))
            return false;
        /* NUL cannot be in a literal; above 0x7f the meaning depends on UTF-8 mode. */
        if (v == 0 || v >= 0x80) {
            set_opaque(out);
            return true;
        }
        return lit_char(ps, (unsigned char)v, out);
    }
    default:
        break;
    }
    if (!is_alnum((unsigned char)d) && (unsigned char)d < 0x80)
        return lit_char(ps, (unsigned char)d, out);
    return unsupported(ps);
}

/* Length of the UTF-8 sequence at p (2..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t k = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (k == 0 || p[0] >= 0xF5 || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

/*
 * A byte >= 0x80 in the pattern.  A whole UTF-8 character is one atom, so
 * that a quantifier after it is known to apply to all of it (or, without
 * UTF-8 mode, at least to its last byte): parse_piece then forgets it.
 * Ignoring case, a non-ASCII letter may match other bytes entirely.
 */
static bool parse_high(parser *ps, info *out)
{
    const unsigned char *q = (const unsigned char *)ps->p;
    size_t k = utf8_len(q, (size_t)(ps->end - ps->p));
    if (k == 0)
        k = 1;
    ps->p += k;
    if (ps->caseless) {
        set_opaque(out);
        return true;
    }
    run r;
    r.n = 1;
    r.len[0] = k;
    memcpy(r.s[0], q, k);
    sset *s = run_to_set(ps, &r);
    if (!s)
        return false;
    set_exact(ps, out, s);
    return !ps->nomem;
}

/* A group name: a letter or '_', then letters, digits or '_', up to `close`. */
static bool parse_name(parser *ps, char close)
{
    const char *q = ps->p;
    if (q >= ps->end || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_'))
        return unsupported(ps);
    while (q < ps->end && (is_alnum((unsigned char)*q) || *q == '_'))
        q++;
    if (q >= ps->end || *q != close || q - ps->p > 32)
        return unsupported(ps);
    ps->p = q + 1;
    return true;
}

/*
 * A group after its '('.  Capturing, non-capturing and named groups are
 * transparent.  Inline options may only be i, m and s: an `(?i)` anywhere
 * makes the caller analyse the whole pattern ignoring case (a superset of
 * the matches, so still sound), and x would change the syntax itself.
 */
static bool parse_group(parser *ps, info *out, bool *quantifiable)
{
    if (++ps->depth > MAX_DEPTH)
        return unsupported(ps);
    if (ps->p < ps->end && *ps->p == '*')
        return unsupported(ps);
    if (ps->p < ps->end && *ps->p == '?') {
        ps->p++;
        if (ps->p >= ps->end)
            return unsupported(ps);
        char k = *ps->p;
        if (k == ':') {
            ps->p++;
        } else if (k == '<') {
            ps->p++;
            if (!parse_name(ps, '>'))
                return false;
        } else if (k == 'P' && ps->end - ps->p >= 2 && ps->p[1] == '<') {
            ps->p += 2;
            if (!parse_name(ps, '>'))
                return false;
        } else if (k == '\'') {
            ps->p++;
            if (!parse_name(ps, '\''))
                return false;
        } else {
            bool on = true, any = false;
            while (ps->p < ps->end && (*ps->p == 'i' || *ps->p == 'm' || *ps->p == 's' || *ps->p == '-')) {
                if (*ps->p == '-') {
                    if (!on)
                        return unsupported(ps);
                    on = false;
                } else {
                    any = true;
                    if (*ps->p == 'i' && on)
                        ps->saw_i = true;
                }
                ps->p++;
            }
            if (!any || ps->p >= ps->end || (*ps->p != ')' && *ps->p != ':'))
                return unsupported(ps);
            if (*ps->p++ == ')') {
                ps->depth--;
                *quantifiable = false;
                set_empty(ps, out);
                return true;
            }
        }
    }
    if (!parse_alt(ps, out))
        return false;
    if (ps->p >= ps->end || *ps->p != ')')
        return unsupported(ps);
    ps->p++;
    ps->depth--;
    return true;
}

static bool parse_atom(parser *ps, info *out, bool *quantifiable, bool *multibyte)
{
    unsigned char c = (unsigned char)*ps->p++;
    switch (c) {
    case '(':
        return parse_group(ps, out, quantifiable);
    case '[':
        return parse_class(ps, out);
    case '.':
        set_opaque(out);
        return true;
    case '^':
    case '$':
        *quantifiable = false;
        set_empty(ps, out);
        return true;
    case '\\':
        return parse_escape(ps, out, quantifiable);
    case '*':
    case '+':
    case '?':
    case '{':
        return unsupported(ps);
    default:
        if (c >= 0x80) {
            ps->p--;
            *multibyte = true;
            return parse_high(ps, out);
        }
        return lit_char(ps, c, out);
    }
}

static bool parse_count(parser *ps, unsigned long *v)
{
    const char *q = ps->p;
    *v = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        *v = *v * 10 + (unsigned long)(*ps->p - '0');
        if (*v > MAX_REPEAT)
            return unsupported(ps);
        ps->p++;
    }
    return ps->p > q;
}

/* "{n}", "{n,}" or "{n,m}" after its '{'; anything else is refused. */
static bool parse_braces(parser *ps, unsigned long *min, unsigned long *max)
{
    if (!parse_count(ps, min))
        return unsupported(ps);
    *max = *min;
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        *max = ULONG_MAX;
        if (ps->p < ps->end && *ps->p != '}' && !parse_count(ps, max))
            return unsupported(ps);
    }
    if (ps->bail || ps->p >= ps->end || *ps->p != '}' || *max < *min)
        return unsupported(ps);
    ps->p++;
    return true;
}

/*
 * An atom and its quantifier.  `x?` keeps x's exact set plus the empty
 * string ("colou?r" -> "colour", "color"); other optional forms forget x;
 * `x{n,...}` with n >= 1 requires what x requires, but a single copy only:
 * the exact set is not repeated.
 */
static bool parse_piece(parser *ps, info *out)
{
    info a;
    bool quantifiable = true, multibyte = false;
    if (!parse_atom(ps, &a, &quantifiable, &multibyte))
        return false;
    if (ps->p >= ps->end || !strchr("*+?{", *ps->p)) {
        *out = a;
        return true;
    }
    unsigned long min, max;
    char q = *ps->p++;
    if (q == '*') {
        min = 0;
        max = ULONG_MAX;
    } else if (q == '+') {
        min = 1;
        max = ULONG_MAX;
    } else if (q == '?') {
        min = 0;
        max = 1;
    } else if (!parse_braces(ps, &min, &max)) {
        return false;
    }
    if (!quantifiable)
        return unsupported(ps);
    if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+'))
        ps->p++; /* lazy or possessive: the same strings, or fewer */
    if (ps->p < ps->end && strchr("*+?{", *ps->p))
        return unsupported(ps);

    if (multibyte) {
        set_opaque(out);
    } else if (max == 0) {
        set_empty(ps, out);
    } else if (min == 0 && max == 1) {
        set_opaque(out);
        if (a.exact && a.exact->n < EXACT_MAX_STRS) {
            sset *s = set_new(ps, a.exact->n + 1);
            if (!s)
                return false;
            bool has_empty = false;
            for (size_t i = 0; i < a.exact->n; i++) {
                s->v[s->n++] = a.exact->v[i];
                has_empty |= a.exact->v[i].len == 0;
            }
            if (!has_empty)
                s->v[s->n++] = ps->empty->v[0];
            out->exact = s;
        }
    } else if (min == 0) {
        set_opaque(out);
    } else if (min == 1 && max == 1) {
        *out = a;
    } else {
        out->exact = NULL;
        out->req = a.req;
        out->score = a.score;
    }
    return true;
}

/*
 * A concatenation.  Adjacent exact children multiply into a run; each run
 * and each child's own required set is a candidate, and the best one wins.
 * When a run grows too big it is offered as it stands and a new one starts.
 * The plain strings inside a run are offered on their own as well, since
 * "(aaaa|bbbb|cccc) tail" may have too many literals where " tail" has one.
 */
static bool parse_seq(parser *ps, info *out)
{
    /* Sequences at one depth never overlap in time, so they share scratch runs. */
    if (!ps->runs[ps->depth] && !(ps->runs[ps->depth] = arena_alloc(ps, 3 * sizeof(run))))
        return false;
    run *r = ps->runs[ps->depth], *tmp = r + 1, *plain = r + 2;
    const sset *best = NULL;
    int64_t best_score = SCORE_NONE;
    bool all_exact = true, broken = false;

    run_reset(r);
    run_reset(plain);
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        info c;
        if (!parse_piece(ps, &c))
            return false;
        if (c.req && c.score > best_score) {
            best = c.req;
            best_score = c.score;
        }
        if (!c.exact || c.exact->n != 1 || !run_mul(plain, c.exact, tmp)) {
            if (!emit_run(ps, plain, &best, &best_score))
                return false;
            run_reset(plain);
            if (c.exact && c.exact->n == 1)
                run_mul(plain, c.exact, tmp);
        }
        if (c.exact && run_mul(r, c.exact, tmp))
            continue;
        if (!emit_run(ps, r, &best, &best_score))
            return false;
        run_reset(r);
        if (c.exact) {
            broken = true;
            run_mul(r, c.exact, tmp); /* an exact set always fits on its own */
        } else {
            all_exact = false;
        }
    }
    if (!emit_run(ps, r, &best, &best_score) || !emit_run(ps, plain, &best, &best_score))
        return false;
    out->exact = NULL;
    if (all_exact && !broken && !(out->exact = run_to_set(ps, r)))
        return false;
    out->req = best;
    out->score = best_score;
    return true;
}

/* Append to a growing list in the arena, skipping duplicates. */
static bool push_lit(parser *ps, lit **v, size_t *n, size_t *cap, lit l)
{
    for (size_t i = 0; i < *n; i++)
        if (lit_eq((*v)[i], l))
            return true;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        lit *nv = arena_alloc(ps, ncap * sizeof *nv);
        if (!nv)
            return false;
        if (*n)
            memcpy(nv, *v, *n * sizeof *nv);
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = l;
    return true;
}

/*
 * An alternation: exact when every branch is (the union of their sets);
 * it requires the union of what the branches require, and nothing as soon
 * as one branch requires nothing ("foo|").
 */
static bool parse_alt(parser *ps, info *out)
{
    if (!parse_seq(ps, out))
        return false;
    if (ps->p >= ps->end || *ps->p != '|')
        return true;

    lit ex[EXACT_MAX_STRS];
    size_t nex = 0;
    bool exact_ok = true, req_ok = true;
    lit *rv = NULL;
    size_t nr = 0, rcap = 0;
    info b = *out;

    for (;;) {
        if (exact_ok && b.exact) {
            for (size_t i = 0; i < b.exact->n && exact_ok; i++) {
                bool dup = false;
                for (size_t k = 0; k < nex && !dup; k++)
                    dup = lit_eq(ex[k], b.exact->v[i]);
                if (dup)
                    continue;
                if (nex == EXACT_MAX_STRS)
                    exact_ok = false;
                else
                    ex[nex++] = b.exact->v[i];
            }
        } else {
            exact_ok = false;
        }
        if (req_ok && b.req) {
            for (size_t i = 0; i < b.req->n && req_ok; i++) {
                if (!push_lit(ps, &rv, &nr, &rcap, b.req->v[i]))
                    return false;
                if (nr > REQ_MAX_LITS || nr > ps->max_lits)
                    req_ok = false;
            }
        } else {
            req_ok = false;
        }
        if (ps->p >= ps->end || *ps->p != '|')
            break;
        ps->p++;
        if (!parse_seq(ps, &b))
            return false;
    }

    set_opaque(out);
    if (exact_ok) {
        sset *s = set_new(ps, nex);
        if (!s)
            return false;
        memcpy(s->v, ex, nex * sizeof ex[0]);
        s->n = nex;
        out->exact = s;
        consider(ps, ex, nex, &out->req, &out->score);
    }
    if (req_ok)
        consider(ps, rv, nr, &out->req, &out->score);
    return !ps->nomem;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

void cb__litset_release(cb__litset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->lits[i]);
    free(set->lits);
    free(set->lens);
    set->lits = NULL;
    set->lens = NULL;
    set->n = 0;
    set->caseless = false;
}

/* Copy the chosen set out of the arena into the caller's cb__litset. */
static cb_status export_set(const sset *s, cb__litset *out)
{
    out->lits = calloc(s->n, sizeof *out->lits);
    out->lens = calloc(s->n, sizeof *out->lens);
    if (!out->lits || !out->lens) {
        cb__litset_release(out);
        return CB_ENOMEM;
    }
    for (size_t i = 0; i < s->n; i++) {
        out->lits[i] = malloc(s->v[i].len + 1);
        if (!out->lits[i]) {
            out->n = i;
            cb__litset_release(out);
            return CB_ENOMEM;
        }
        memcpy(out->lits[i], s->v[i].s, s->v[i].len);
        out->lits[i][s->v[i].len] = '\0';
        out->lens[i] = s->v[i].len;
    }
    out->n = s->n;
    return CB_OK;
}

/*
 * Analyse the pattern, a second time ignoring case if an inline (?i) turned
 * up that the first pass (with case) could not know about in advance.
 */
cb_status cb__required_literals(const char *re, bool caseless, size_t min_len, size_t max_lits,
                                cb__litset *out)
{
    out->lits = NULL;
    out->lens = NULL;
    out->n = 0;
    out->caseless = caseless;
    if (!re)
        return CB_OK;
    size_t len = strnlen(re, MAX_PATTERN + 1);
    if (len > MAX_PATTERN)
        return CB_OK;

    for (int pass = 0; pass < 2; pass++) {
        parser ps;
        memset(&ps, 0, sizeof ps);
        ps.p = re;
        ps.end = re + len;
        ps.caseless = caseless || pass == 1;
        ps.min_len = min_len ? min_len : 1;
        ps.max_lits = CB_MIN(max_lits, (size_t)REQ_MAX_LITS);
        for (unsigned c = 0; c < 256; c++)
            ps.onechar[c][0] = (char)c;

        sset *empty = set_new(&ps, 1);
        info root;
        bool ok = false;
        if (empty) {
            empty->v[0].s = "";
            empty->v[0].len = 0;
            empty->n = 1;
            ps.empty = empty;
            ok = parse_alt(&ps, &root) && ps.p == ps.end;
        }
        if (ps.nomem) {
            arena_free(&ps);
            return CB_ENOMEM;
        }
        if (ok && ps.saw_i && !ps.caseless) {
            arena_free(&ps);
            continue;
        }
        cb_status st = CB_OK;
        out->caseless = ps.caseless;
        if (ok && root.req)
            st = export_set(root.req, out);
        arena_free(&ps);
        return st;
    }
    return CB_OK;
}
