/*
 * risky.c — spotting patterns that make a backtracking matcher take
 * exponential time (see cb_regex_risky in scan.h).
 *
 * PCRE2 confirms candidate lines by backtracking.  A repeated group whose
 * body can match the same text in more than one way, `(a|aa)+`, `(a+)+`,
 * `(\w+\s?)*`, makes it try every way of splitting a long run before giving
 * up on a line that almost matches.  The scanner bounds the damage (match
 * limits, a time budget per pattern); lint tells the author.
 *
 * A small recursive-descent walker reads the pattern and computes, for
 * every node, byte sets and two flags:
 *
 *   first, last, all: the bytes a match can start with, end with, contain;
 *   nullable:         it can match the empty string;
 *   head, tail:       the bytes of the backtracking repeats (`x*`, `x+`,
 *                     `x{2,5}`; not possessive, not inside an atomic group)
 *                     that can begin (end) a match, all before (after)
 *                     them being optional.
 *
 * A group repeated without a small bound is ambiguous when two of its
 * alternatives can start with the same byte (or one is empty), or when a
 * repeat at the end of its body can take bytes the body can start with (the
 * next iteration could take them instead), or one at its start bytes the
 * body can end with.  `(\d+\.)+` is not: every iteration ends at a dot the
 * digits cannot take.  Anything the walker does not understand makes the
 * answer "not risky": lint must not cry wolf on syntax it cannot read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/scan.h"
#include "scan/literal.h"

enum { MAX_DEPTH = 64, BIG_REPEAT = 32 };

typedef struct bset {
    unsigned char b[32];
} bset;

typedef struct summ {
    bset first, last, all, head, tail;
    bool nullable;
} summ;

typedef struct walker {
    const char *re, *p;
    int depth;
    bool bail;  /* syntax not understood */
    bool found; /* a risky construct, described in why */
    char *why;
    size_t n;
} walker;

static void bs_add(bset *s, unsigned c)
{
    s->b[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static void bs_or(bset *d, const bset *s)
{
    for (int i = 0; i < 32; i++)
        d->b[i] |= s->b[i];
}

static bool bs_meets(const bset *a, const bset *b)
{
    for (int i = 0; i < 32; i++)
        if (a->b[i] & b->b[i])
            return true;
    return false;
}

static void bs_range(bset *s, unsigned lo, unsigned hi)
{
    for (unsigned c = lo; c <= hi && c < 256; c++)
        bs_add(s, c);
}

/* \d \w \s \h \v and their negations; false for other letters. */
static bool shorthand(char c, bset *s)
{
    bset t = {{0}};
    switch (c | 0x20) {
    case 'd':
        bs_range(&t, '0', '9');
        break;
    case 'w':
        bs_range(&t, '0', '9');
        bs_range(&t, 'a', 'z');
        bs_range(&t, 'A', 'Z');
        bs_add(&t, '_');
        break;
    case 's':
        bs_range(&t, 9, 13);
        bs_add(&t, ' ');
        break;
    case 'h':
        bs_add(&t, ' ');
        bs_add(&t, '\t');
        break;
    case 'v':
        bs_range(&t, 10, 13);
        break;
    default:
        return false;
    }
    if (c >= 'A' && c <= 'Z')
        for (int i = 0; i < 32; i++)
            t.b[i] = (unsigned char)~t.b[i];
    bs_or(s, &t);
    return true;
}

/* One escaped byte after '\' (outside or inside a class); -1 for a set (added to s), -2 when not understood. */
static int escape(walker *w, bset *s)
{
    char c = *w->p++;
    if (!c) {
        w->p--;
        return -2;
    }
    if (shorthand(c, s))
        return -1;
    int simple = cb__simple_escape(c);
    if (simple >= 0)
        return simple;
    switch (c) {
    case 'x': {
        unsigned v = 0;
        int k = 0;
        if (*w->p == '{') {
            w->p++;
            while (*w->p && *w->p != '}' && k < 8) {
                char h = *w->p++;
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                k++;
            }
            if (*w->p != '}')
                return -2;
            w->p++;
        } else {
            while (k < 2 && ((*w->p >= '0' && *w->p <= '9') || ((*w->p | 0x20) >= 'a' && (*w->p | 0x20) <= 'f'))) {
                char h = *w->p++;
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                k++;
            }
        }
        return v > 255 ? 255 : (int)v;
    }
    default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return -2; /* \p, \Q, back-references...: not read */
        return (unsigned char)c;
    }
}

/* A class after its '[' into s. */
static bool parse_class(walker *w, bset *s)
{
    bset t = {{0}};
    bool neg = *w->p == '^';
    w->p += neg;
    bool first = true;
    while (*w->p && (*w->p != ']' || first)) {
        first = false;
        if (w->p[0] == '[' && w->p[1] == ':') {
            const char *e = strstr(w->p, ":]");
            if (!e)
                return false;
            bs_range(&t, 0, 255); /* a POSIX class: taken as anything, which only ever says "overlaps" */
            w->p = e + 2;
            continue;
        }
        int lo = (unsigned char)*w->p++;
        if (lo == '\\' && (lo = escape(w, &t)) == -2)
            return false;
        if (lo == -1)
            continue;
        if (w->p[0] == '-' && w->p[1] && w->p[1] != ']') {
            w->p++;
            int hi = (unsigned char)*w->p++;
            if (hi == '\\' && (hi = escape(w, &t)) < 0)
                return false;
            bs_range(&t, (unsigned)lo, (unsigned)hi);
        } else {
            bs_add(&t, (unsigned)lo);
        }
    }
    if (*w->p != ']')
        return false;
    w->p++;
    if (neg)
        for (int i = 0; i < 32; i++)
            t.b[i] = (unsigned char)~t.b[i];
    bs_or(s, &t);
    return true;
}

static void parse_alt(walker *w, summ *out, bool atomic, const char *group);

static void single(summ *s, const bset *set)
{
    memset(s, 0, sizeof *s);
    s->first = s->last = s->all = *set;
}

/*
 * A group after its '('.  Lookaround matches no text; its content is not
 * looked at.  An atomic group's repeats cannot be re-split: no head/tail.
 */
static void parse_group(walker *w, summ *s, bool atomic, const char *start)
{
    bool look = false;
    if (*w->p == '?') {
        w->p++;
        char c = *w->p;
        if (c == ':') {
            w->p++;
        } else if (c == '>') {
            w->p++;
            atomic = true;
        } else if (c == '=' || c == '!') {
            w->p++;
            look = true;
        } else if (c == '<' && (w->p[1] == '=' || w->p[1] == '!')) {
            w->p += 2;
            look = true;
        } else if (c == '<' || c == '\'' || (c == 'P' && w->p[1] == '<')) {
            char close = c == '\'' ? '\'' : '>';
            const char *e = strchr(w->p + 1, close);
            if (!e) {
                w->bail = true;
                return;
            }
            w->p = e + 1;
        } else {
            /* Inline options "(?i)", "(?i:...)": read the letters, refuse the rest. */
            while (*w->p && strchr("imsxnU-", *w->p))
                w->p++;
            if (*w->p == ')') {
                w->p++;
                memset(s, 0, sizeof *s);
                s->nullable = true;
                return;
            }
            if (*w->p != ':') {
                w->bail = true;
                return;
            }
            w->p++;
        }
    }
    if (++w->depth > MAX_DEPTH) {
        w->bail = true;
        return;
    }
    parse_alt(w, s, atomic, start);
    w->depth--;
    if (w->bail || *w->p != ')') {
        w->bail = true;
        return;
    }
    w->p++;
    if (look) {
        memset(s, 0, sizeof *s);
        s->nullable = true;
    }
}

/* A quantifier at w->p, if any: min and max (-1 = no limit), possessive. */
static bool parse_quant(walker *w, long *min, long *max, bool *possessive)
{
    const char *p = w->p;
    char c = *p;
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
        p++;
    } else if (c == '{') {
        char *e;
        long a = strtol(p + 1, &e, 10);
        if (e == p + 1 || a < 0)
            return false; /* a literal brace */
        long b = a;
        if (*e == ',') {
            if (e[1] == '}') {
                b = -1;
                e++;
            } else {
                char *f;
                b = strtol(e + 1, &f, 10);
                if (f == e + 1)
                    return false;
                e = f;
            }
        }
        if (*e != '}')
            return false;
        *min = a;
        *max = b;
        p = e + 1;
    } else {
        return false;
    }
    *possessive = *p == '+';
    if (*p == '+' || *p == '?')
        p++;
    w->p = p;
    return true;
}

/* Record the first risky construct, from start to here (quoted, cut, printable ASCII only). */
static void report(walker *w, const char *start, const char *what)
{
    if (w->found)
        return;
    w->found = true;
    if (!w->n)
        return;
    char text[48];
    size_t k = 0;
    for (const char *c = start; c < w->p && k < 40; c++)
        text[k++] = *c >= 0x20 && *c < 0x7f ? *c : '?';
    text[k] = '\0';
    snprintf(w->why, w->n, "'%s%s' at offset %d: %s", text, w->p - start > 40 ? "..." : "", (int)(start - w->re),
             what);
}

/* One atom and its quantifier, appended to the sequence summary seq. */
static void parse_piece(walker *w, summ *seq, bool atomic)
{
    const char *start = w->p;
    summ a;
    bset set = {{0}};
    bool group = false;
    unsigned char c = (unsigned char)*w->p++;
    if (c == '(') {
        group = true;
        parse_group(w, &a, atomic, start);
        if (w->bail)
            return;
    } else if (c == '[') {
        if (!parse_class(w, &set)) {
            w->bail = true;
            return;
        }
        single(&a, &set);
    } else if (c == '.') {
        bs_range(&set, 0, 255);
        single(&a, &set);
    } else if (c == '^' || c == '$') {
        memset(&a, 0, sizeof a);
        a.nullable = true;
    } else if (c == '\\') {
        if (strchr("bBAzZG", *w->p) && *w->p) {
            w->p++;
            memset(&a, 0, sizeof a);
            a.nullable = true;
        } else {
            int e = escape(w, &set);
            if (e == -2) {
                w->bail = true;
                return;
            }
            if (e >= 0)
                bs_add(&set, (unsigned)e);
            single(&a, &set);
        }
    } else if (c == '*' || c == '+' || c == '?' || c == ')' || c == '|') {
        w->bail = true; /* a quantifier with nothing to repeat: the engines say so */
        return;
    } else {
        bs_add(&set, c);
        single(&a, &set);
    }

    long min = 1, max = 1;
    bool poss = false;
    if (parse_quant(w, &min, &max, &poss)) {
        if (min == 0)
            a.nullable = true;
        if (max == 0) {
            memset(&a, 0, sizeof a);
            a.nullable = true;
        }
        bool repeats = max == -1 || (max > 1 && max > min); /* a{3} can match only one way */
        if (repeats && group && !poss && (max == -1 || max > BIG_REPEAT)) {
            /* A group repeated without a small bound: is its body ambiguous? */
            if (bs_meets(&a.tail, &a.first) || bs_meets(&a.head, &a.last))
                report(w, start, "a repeat inside a repeated group can take what the group's next "
                                 "repetition would");
        }
        if (repeats && !poss && !atomic) {
            bs_or(&a.head, &a.all);
            bs_or(&a.tail, &a.all);
        }
        if (poss) {
            memset(&a.head, 0, sizeof a.head);
            memset(&a.tail, 0, sizeof a.tail);
        }
    }
    /* Append a to the sequence. */
    if (seq->nullable) {
        bs_or(&seq->first, &a.first);
        bs_or(&seq->head, &a.head);
    }
    if (a.nullable) {
        bs_or(&seq->last, &a.last);
        bs_or(&seq->tail, &a.tail);
    } else {
        seq->last = a.last;
        seq->tail = a.tail;
    }
    bs_or(&seq->all, &a.all);
    seq->nullable = seq->nullable && a.nullable;
}

/*
 * Alternatives up to ')' or the end; `group` is the '(' of the group they
 * are the body of (NULL at the top).  Whether two alternatives overlap is
 * known only here, whether the group is repeated only after its ')': look
 * at the quantifier without consuming it.
 */
static void parse_alt(walker *w, summ *out, bool atomic, const char *group)
{
    memset(out, 0, sizeof *out);
    bset firsts = {{0}};
    bool amb = false, any_null = false;
    int nalt = 0;
    for (;;) {
        summ seq;
        memset(&seq, 0, sizeof seq);
        seq.nullable = true;
        while (*w->p && *w->p != '|' && *w->p != ')' && !w->bail)
            parse_piece(w, &seq, atomic);
        if (w->bail)
            return;
        if (nalt && (bs_meets(&firsts, &seq.first) || seq.nullable || any_null))
            amb = true;
        any_null = any_null || seq.nullable;
        bs_or(&firsts, &seq.first);
        bs_or(&out->first, &seq.first);
        bs_or(&out->last, &seq.last);
        bs_or(&out->all, &seq.all);
        bs_or(&out->head, &seq.head);
        bs_or(&out->tail, &seq.tail);
        out->nullable = out->nullable || seq.nullable;
        nalt++;
        if (*w->p != '|')
            break;
        w->p++;
    }
    if (amb && !atomic && group && *w->p == ')') {
        const char *close = w->p;
        w->p++;
        long min, max;
        bool poss;
        if (parse_quant(w, &min, &max, &poss) && !poss && (max == -1 || max > BIG_REPEAT))
            report(w, group, "alternatives of a repeated group can match the same text");
        w->p = close;
    }
}

bool cb_regex_risky(const char *regex, char *why, size_t n)
{
    if (n)
        why[0] = '\0';
    if (!regex)
        return false;
    walker w = {.re = regex, .p = regex, .why = why, .n = n};
    summ s;
    parse_alt(&w, &s, false, NULL);
    if (*w.p)
        w.bail = true; /* an unbalanced ')' */
    if (w.bail) {
        if (n)
            why[0] = '\0';
        return false;
    }
    return w.found;
}
