/*
 * mine.c — the online template miner (mine.h, docs/mining.md): a Drain-style
 * fixed-depth tree keyed by token count and leading tokens whose leaves hold
 * templates; a line joins the most similar template of its leaf or starts a
 * new one.  The line is masked into a buffer the miner reuses and its tokens
 * are slices of it, so a line that joins a template allocates nothing.
 */
#include "core/internal.h"

#include <stdbool.h>
#include <stdlib.h>

#include "casebook/mine.h"
#include "mine/mine_internal.h"

typedef struct tmpl {
    char *text; /* tokens joined by single spaces, NUL-terminated */
    cb__tok *toks;
    uint32_t ntok;
    uint32_t nwild; /* tokens that are exactly "<*>" */
    uint64_t count;
    int64_t first_ms, last_ms;
    uint64_t levels[CB_MINE_LEVEL__COUNT];
    cb_mine_level worst;
    char *example, *file;
    uint64_t line;
} tmpl;

typedef struct node node;
typedef struct kid {
    char *tok;
    uint32_t len;
    node *n;
} kid;
struct node {
    kid *kids;
    size_t nkids, kcap;
    node *wild;     /* the "<*>" branch: variables, and constants past max_children */
    uint32_t *leaf; /* template indexes (leaf nodes only) */
    size_t nleaf, lcap;
};
typedef struct root {
    uint32_t ntok;
    node *n;
} root;

struct cb_mine {
    cb_mine_config cfg;
    tmpl *t;
    size_t nt, tcap;
    root *roots;
    size_t nroots, rcap;
    char *mbuf; /* the masked line */
    size_t mcap;
    cb__tok *toks; /* its tokens */
    size_t tokcap;
    uint64_t overflow, lines;
};

static void node_free(node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++) {
        free(n->kids[i].tok);
        node_free(n->kids[i].n);
    }
    free(n->kids);
    node_free(n->wild);
    free(n->leaf);
    free(n);
}

void cb_mine_free(cb_mine *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nt; i++) {
        free(m->t[i].text);
        free(m->t[i].toks);
        free(m->t[i].example);
        free(m->t[i].file);
    }
    free(m->t);
    for (size_t i = 0; i < m->nroots; i++)
        node_free(m->roots[i].n);
    free(m->roots);
    free(m->mbuf);
    free(m->toks);
    free(m);
}

cb_status cb_mine_new(const cb_mine_config *cfg, cb_mine **out, cb_error *err)
{
    cb_mine_config c = {0};
    *out = NULL;
    if (cfg)
        c = *cfg;
    if (c.similarity < 0 || c.similarity > 1)
        return cb_error_set(err, CB_EINVAL, "mine: similarity %g is not between 0 and 1", c.similarity);
    if (c.max_templates == 0)
        c.max_templates = 50000;
    if (c.max_templates > UINT32_MAX - 1)
        c.max_templates = UINT32_MAX - 1;
    if (c.similarity == 0)
        c.similarity = 0.8;
    if (c.depth == 0)
        c.depth = 2;
    if (c.max_children == 0)
        c.max_children = 100;
    cb_mine *m = calloc(1, sizeof *m);
    if (!m)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    m->cfg = c;
    *out = m;
    return CB_OK;
}

static bool ieq(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n && b[i]; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return false;
    }
    return i == n && b[i] == '\0';
}

cb_mine_level cb_mine_level_of(const char *w, size_t n)
{
    static const struct {
        const char *word;
        cb_mine_level level;
    } words[] = {
        {"error", CB_MINE_LEVEL_ERROR},     {"err", CB_MINE_LEVEL_ERROR},       {"e", CB_MINE_LEVEL_ERROR},
        {"fatal", CB_MINE_LEVEL_ERROR},     {"f", CB_MINE_LEVEL_ERROR},         {"crit", CB_MINE_LEVEL_ERROR},
        {"critical", CB_MINE_LEVEL_ERROR},  {"severe", CB_MINE_LEVEL_ERROR},    {"emerg", CB_MINE_LEVEL_ERROR},
        {"alert", CB_MINE_LEVEL_ERROR},     {"panic", CB_MINE_LEVEL_ERROR},     {"failure", CB_MINE_LEVEL_ERROR},
        {"warn", CB_MINE_LEVEL_WARNING},    {"warning", CB_MINE_LEVEL_WARNING}, {"w", CB_MINE_LEVEL_WARNING},
        {"info", CB_MINE_LEVEL_INFO},       {"i", CB_MINE_LEVEL_INFO},          {"notice", CB_MINE_LEVEL_INFO},
        {"information", CB_MINE_LEVEL_INFO}, {"debug", CB_MINE_LEVEL_DEBUG},    {"d", CB_MINE_LEVEL_DEBUG},
        {"trace", CB_MINE_LEVEL_DEBUG},     {"fine", CB_MINE_LEVEL_DEBUG},      {"finer", CB_MINE_LEVEL_DEBUG},
        {"finest", CB_MINE_LEVEL_DEBUG},    {"verbose", CB_MINE_LEVEL_DEBUG},   {"v", CB_MINE_LEVEL_DEBUG},
    };
    if (!w)
        return CB_MINE_LEVEL_OTHER;
    for (size_t i = 0; i < CB_ARRAY_LEN(words); i++)
        if (ieq(w, n, words[i].word))
            return words[i].level;
    return CB_MINE_LEVEL_OTHER;
}

void cb_mine_template_id(const char *text, size_t len, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64: offset basis, prime 0x100000001b3 */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3ULL;
    }
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

static bool tok_is_wild(const char *s, uint32_t n)
{
    return n == 3 && memcmp(s, CB__WILD, 3) == 0;
}
/* Tokens that route to the "<*>" branch: a variable in them, or a digit (as Drain). */
static bool tok_routes_wild(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '<' && i + 2 < n && s[i + 1] == '*' && s[i + 2] == '>'))
            return true;
    return false;
}

static node *root_for(cb_mine *m, uint32_t ntok)
{
    for (size_t i = 0; i < m->nroots; i++)
        if (m->roots[i].ntok == ntok)
            return m->roots[i].n;
    node *n;
    if (!cb__grow((void **)&m->roots, &m->rcap, m->nroots + 1, sizeof *m->roots) || !(n = calloc(1, sizeof *n)))
        return NULL;
    m->roots[m->nroots].ntok = ntok;
    m->roots[m->nroots++].n = n;
    return n;
}

static node *child(cb_mine *m, node *n, const char *s, uint32_t len)
{
    if (!tok_routes_wild(s, len)) {
        for (size_t i = 0; i < n->nkids; i++)
            if (n->kids[i].len == len && memcmp(n->kids[i].tok, s, len) == 0)
                return n->kids[i].n;
        if (n->nkids < m->cfg.max_children) {
            kid k = {NULL, len, NULL};
            if (!cb__grow((void **)&n->kids, &n->kcap, n->nkids + 1, sizeof *n->kids) || !(k.tok = malloc(len + 1)) ||
                !(k.n = calloc(1, sizeof *k.n))) {
                free(k.tok);
                return NULL;
            }
            memcpy(k.tok, s, len);
            k.tok[len] = '\0';
            n->kids[n->nkids++] = k;
            return k.n;
        }
    }
    if (!n->wild)
        n->wild = calloc(1, sizeof *n->wild);
    return n->wild;
}

/* A new template's text and token slices, from the masked line's tokens. */
static bool build(tmpl *t, const char *src, const cb__tok *stoks, uint32_t ntok)
{
    size_t len = 0;
    for (uint32_t i = 0; i < ntok; i++)
        len += stoks[i].len + (i > 0);
    char *text = malloc(len + 1);
    cb__tok *toks = malloc((ntok ? ntok : 1) * sizeof *toks);
    if (!text || !toks) {
        free(text);
        free(toks);
        return false;
    }
    size_t o = 0;
    uint32_t nwild = 0;
    for (uint32_t i = 0; i < ntok; i++) {
        if (i > 0)
            text[o++] = ' ';
        const char *s = src + stoks[i].off;
        uint32_t n = stoks[i].len;
        memcpy(text + o, s, n);
        toks[i].off = (uint32_t)o;
        toks[i].len = n;
        nwild += tok_is_wild(s, n);
        o += n;
    }
    text[o] = '\0';
    t->text = text;
    t->toks = toks;
    t->ntok = ntok;
    t->nwild = nwild;
    return true;
}

static void account(tmpl *t, cb_mine_level lv, int64_t ts)
{
    t->count++;
    t->levels[lv]++;
    if (lv > t->worst)
        t->worst = lv;
    if (ts != CB_MINE_NO_TIME) {
        if (t->first_ms == CB_MINE_NO_TIME || ts < t->first_ms)
            t->first_ms = ts;
        if (t->last_ms == CB_MINE_NO_TIME || ts > t->last_ms)
            t->last_ms = ts;
    }
}

/* Does template token p (which may hold "<*>", each matching any bytes) match line token s? */
static bool glob_match(const char *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;
    while (si < sn) {
        if (pi + 3 <= pn && memcmp(p + pi, CB__WILD, 3) == 0) {
            star_p = (pi += 3);
            star_s = si;
        } else if (pi < pn && p[pi] == s[si]) {
            pi++, si++;
        } else if (star_p != SIZE_MAX) {
            pi = star_p;
            si = ++star_s;
        } else {
            return false;
        }
    }
    while (pi + 3 <= pn && memcmp(p + pi, CB__WILD, 3) == 0)
        pi += 3;
    return pi == pn;
}

static bool tok_match(const char *p, size_t pn, const char *s, size_t sn)
{
    if (pn == sn && memcmp(p, s, pn) == 0)
        return true;
    /* the pattern match is O(pn * sn) at worst: past 4 M steps (hostile megabyte tokens) the tokens differ */
    return memchr(p, '<', pn) && (uint64_t)pn * sn <= (UINT64_C(1) << 22) && glob_match(p, pn, s, sn);
}

/* Bytes that end a key or open a value ("rhost=", "(uid=", "'"), and those that close one. */
static bool ends_key(const char *a, size_t i)
{
    return strchr("=:([{'\"/,;@#", a[i]) || (a[i] == '>' && i >= 2 && a[i - 1] == '*' && a[i - 2] == '<');
}
static bool starts_tail(const char *a, size_t n, size_t i)
{
    return strchr(")]}(['\"/,;:=@#", a[i]) || (a[i] == '<' && i + 2 < n && a[i + 1] == '*' && a[i + 2] == '>');
}

/*
 * The token that covers both a (the template's) and b (the line's): the part
 * they share before a key delimiter and after a closing one is kept, the rest
 * becomes "<*>" ("rhost=a.org" and "rhost=b.net" give "rhost=<*>", "'sda'"
 * and "'sdb'" give "'<*>'").  Written to out (room for la + 3 bytes).
 */
static uint32_t generalize(const char *a, size_t la, const char *b, size_t lb, char *out)
{
    size_t q = 0, lim = CB_MIN(la, lb);
    while (q < lim && a[q] == b[q])
        q++;
    while (q > 0 && !ends_key(a, q - 1))
        q--;
    size_t sfx = 0;
    while (sfx < lim - q && a[la - 1 - sfx] == b[lb - 1 - sfx])
        sfx++;
    size_t r = la - sfx;
    while (r < la && !starts_tail(a, la, r))
        r++;
    size_t o = 0;
    memcpy(out, a, q);
    o = q;
    if (!(o >= 3 && memcmp(out + o - 3, CB__WILD, 3) == 0) && !(la - r >= 3 && memcmp(a + r, CB__WILD, 3) == 0)) {
        memcpy(out + o, CB__WILD, 3);
        o += 3;
    }
    memcpy(out + o, a + r, la - r);
    return (uint32_t)(o + la - r);
}

/*
 * Widen template t to cover the line (s, tk): each position it does not match
 * is generalised.  Allocates only when the template changes.  False when out
 * of memory (t unchanged).
 */
static bool widen(tmpl *t, const char *s, const cb__tok *tk)
{
    uint32_t i, n = t->ntok;
    for (i = 0; i < n; i++)
        if (!tok_match(t->text + t->toks[i].off, t->toks[i].len, s + tk[i].off, tk[i].len))
            break;
    if (i == n)
        return true;
    size_t len = strlen(t->text) + 3 * (size_t)n + 1;
    char *text = malloc(len);
    cb__tok *toks = malloc(n * sizeof *toks);
    if (!text || !toks) {
        free(text);
        free(toks);
        return false;
    }
    size_t o = 0;
    uint32_t nwild = 0;
    for (i = 0; i < n; i++) {
        const char *a = t->text + t->toks[i].off;
        uint32_t la = t->toks[i].len, l;
        if (i > 0)
            text[o++] = ' ';
        if (tok_match(a, la, s + tk[i].off, tk[i].len)) {
            memcpy(text + o, a, la);
            l = la;
        } else {
            l = generalize(a, la, s + tk[i].off, tk[i].len, text + o);
        }
        toks[i].off = (uint32_t)o;
        toks[i].len = l;
        nwild += tok_is_wild(text + o, l);
        o += l;
    }
    text[o] = '\0';
    free(t->text);
    free(t->toks);
    t->text = text;
    t->toks = toks;
    t->nwild = nwild;
    return true;
}

cb_status cb_mine_add(cb_mine *m, const char *content, size_t len, const char *level, size_t level_len,
                      int64_t ts_ms, const char *file, uint64_t lineno, uint32_t *index, cb_error *err)
{
    if (index)
        *index = CB_MINE_OVERFLOW;
    if (len > UINT32_MAX / 4)
        return cb_error_set(err, CB_ELIMIT, "mine: line of %zu bytes is too long", len);
    if (!cb__grow((void **)&m->mbuf, &m->mcap, 3 * len + 1, 1) ||
        !cb__grow((void **)&m->toks, &m->tokcap, len / 2 + 1, sizeof *m->toks))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    size_t ntok;
    cb__mine_mask(content, len, m->mbuf, m->mcap, m->toks, &ntok);
    const char *s = m->mbuf;
    const cb__tok *tk = m->toks;

    node *n = root_for(m, (uint32_t)ntok);
    for (size_t i = 0; n && i < ntok && i < m->cfg.depth; i++)
        n = child(m, n, s + tk[i].off, tk[i].len);
    if (!n)
        return cb_error_set(err, CB_ENOMEM, "out of memory");

    /* the most similar template of the leaf: positions equal (a "<*>" of the template equals only "<*>") */
    size_t best = SIZE_MAX, best_eq = 0;
    uint32_t best_wild = 0;
    for (size_t j = 0; j < n->nleaf; j++) {
        const tmpl *t = &m->t[n->leaf[j]];
        size_t eq = 0;
        for (size_t i = 0; i < ntok; i++)
            eq += tok_match(t->text + t->toks[i].off, t->toks[i].len, s + tk[i].off, tk[i].len);
        if (best == SIZE_MAX || eq > best_eq || (eq == best_eq && t->nwild > best_wild)) {
            best = j;
            best_eq = eq;
            best_wild = t->nwild;
        }
    }
    cb_mine_level lv = cb_mine_level_of(level, level_len);
    if (best != SIZE_MAX && (ntok == 0 || (double)best_eq >= m->cfg.similarity * (double)ntok)) {
        uint32_t ti = n->leaf[best];
        tmpl *t = &m->t[ti];
        if (best_eq < ntok && !widen(t, s, tk))
            return cb_error_set(err, CB_ENOMEM, "out of memory");
        account(t, lv, ts_ms);
        m->lines++;
        if (index)
            *index = ti;
        return CB_OK;
    }
    if (m->nt >= m->cfg.max_templates) {
        m->overflow++;
        m->lines++;
        return CB_OK;
    }
    if (!cb__grow((void **)&m->t, &m->tcap, m->nt + 1, sizeof *m->t) ||
        !cb__grow((void **)&n->leaf, &n->lcap, n->nleaf + 1, sizeof *n->leaf))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    tmpl t = {0};
    t.first_ms = t.last_ms = CB_MINE_NO_TIME;
    t.line = lineno;
    if (!(t.example = strndup(content, len)) || !(t.file = strdup(file ? file : "")) ||
        !build(&t, s, tk, (uint32_t)ntok)) {
        free(t.example);
        free(t.file);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    account(&t, lv, ts_ms);
    m->t[m->nt] = t;
    n->leaf[n->nleaf++] = (uint32_t)m->nt;
    if (index)
        *index = (uint32_t)m->nt;
    m->nt++;
    m->lines++;
    return CB_OK;
}

size_t cb_mine_count(const cb_mine *m)
{
    return m->nt;
}
uint64_t cb_mine_overflow(const cb_mine *m)
{
    return m->overflow;
}
uint64_t cb_mine_lines(const cb_mine *m)
{
    return m->lines;
}

void cb_mine_get(const cb_mine *m, size_t i, cb_mine_template *out)
{
    const tmpl *t = &m->t[i];
    out->text = t->text;
    cb_mine_template_id(t->text, strlen(t->text), out->id);
    out->count = t->count;
    out->first_ms = t->first_ms;
    out->last_ms = t->last_ms;
    memcpy(out->levels, t->levels, sizeof out->levels);
    out->worst = t->worst;
    out->example = t->example;
    out->example_file = t->file;
    out->example_line = t->line;
}
