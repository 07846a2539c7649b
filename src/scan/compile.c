/*
 * compile.c — building the multi-pattern scanner (see run.c for scanning).
 *
 * The design:
 *
 * Threads: the calling thread reads the bundle (decompression is sequential
 * anyway) into jobs from a small pool, taking the bundle's buffer rather
 * than copying (cb_bundle_take_chunk) and leaving CR LF clean-up and line
 * counting to the worker (raw chunks); worker
 * threads scan jobs; the calling thread merges finished jobs in chunk order,
 * so evidence is the first N lines in bundle order and a grep-style callback
 * sees lines in order, without any global sort.  The pool bounds memory:
 * when every job is in flight, reading waits.
 *
 * Per job, a worker runs the literal database (patterns with a required
 * literal, see literal.h) and the regex database (the rest) over the whole
 * chunk; each hit names a candidate line; candidates are deduplicated per
 * (line, pattern) and confirmed with the pattern compiled by PCRE2 on that
 * line alone, which also gives the named captures and enforces "a hit is a
 * line" even for patterns that could match across a line end.  Line numbers
 * and timestamps are computed for confirmed lines only.
 */
#include <stdio.h>
#include <stdlib.h>

#include "casebook/glob.h"
#include "scan/scan_int.h"
#include "core/internal.h"
#include "scan/literal.h"

/* ---- compiling ---- */

static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

static bool compiles_alone(const char *regex, bool caseless, char *msg, size_t size);

/*
 * The checks of cb_regex_check.  `full` also builds a Hyperscan database of
 * the pattern alone when the scanner would put it in its regex database (it
 * has no usable literal), which finds the limits Hyperscan applies only then
 * ("Pattern is too large"); the scanner skips that since it builds its
 * database anyway.
 */
static bool check_regex(const char *regex, bool caseless, bool full, char *msg, size_t msgsize)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned flags = HS_FLAG_MULTILINE | (caseless ? HS_FLAG_CASELESS : 0);
    if (hs_expression_info(regex, flags, &info, &cerr) != HS_SUCCESS) {
        snprintf(msg, msgsize, "%s", cerr && cerr->message ? cerr->message : "invalid pattern");
        hs_free_compile_error(cerr);
        return false;
    }
    bool empty = info->min_width == 0;
    free(info);
    if (empty) {
        snprintf(msg, msgsize, "pattern can match an empty line");
        return false;
    }
    int errcode;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, caseless ? PCRE2_CASELESS : 0,
                                     &errcode, &off, NULL);
    if (!code) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(errcode, buf, sizeof buf);
        snprintf(msg, msgsize, "%s at offset %zu", (char *)buf, (size_t)off);
        return false;
    }
    pcre2_code_free(code);
    if (!full)
        return true;
    /* A pattern searched through its literals never goes into a regex database: nothing more to refuse. */
    cb__litset lits = {0};
    cb_status st = cb__required_literals(regex, caseless, MIN_LITERAL, MAX_LITERALS, &lits);
    bool literal = st == CB_OK && lits.n > 0;
    cb__litset_release(&lits);
    return literal || compiles_alone(regex, caseless, msg, msgsize);
}

bool cb_regex_check(void *ctx, const char *regex, bool caseless, char *msg, size_t msgsize)
{
    (void)ctx;
    return check_regex(regex, caseless, true, msg, msgsize);
}

static bool same_globs(const pat *a, const globset *g)
{
    if (a->nglobs != g->nglobs)
        return false;
    for (size_t i = 0; i < a->nglobs; i++)
        if (strcmp(a->globs[i], g->globs[i]) != 0)
            return false;
    return true;
}

static cb_status add_names(pat *p)
{
    uint32_t count = 0, entry = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &count);
    if (!count)
        return CB_OK;
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
    p->names = calloc(count, sizeof *p->names);
    if (!p->names)
        return CB_ENOMEM;
    /* Order by group number, so results list captures in pattern order. */
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *e = table + (size_t)i * entry;
        uint32_t group = (uint32_t)(e[0] << 8 | e[1]);
        size_t k = p->nnames;
        while (k > 0 && p->names[k - 1].group > group) {
            p->names[k] = p->names[k - 1];
            k--;
        }
        p->names[k].group = group;
        if (!(p->names[k].name = strdup((const char *)e + 2)))
            return CB_ENOMEM;
        p->nnames++;
    }
    return CB_OK;
}

static void free_pat(pat *p)
{
    free(p->id);
    free(p->regex);
    for (size_t i = 0; i < p->nglobs; i++)
        free(p->globs[i]);
    free(p->globs);
    pcre2_code_free(p->code);
    free(p->failure);
    for (size_t i = 0; i < p->nnames; i++)
        free(p->names[i].name);
    free(p->names);
}

void cb_scanner_free(cb_scanner *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free_pat(&s->p[i]);
    free(s->p);
    free(s->sets);
    hs_free_database(s->lit_db);
    hs_free_database(s->re_db);
    hs_free_scratch(s->proto);
    free(s->lit_pat);
    free(s->lit_off);
    free(s->re_pat);
    free(s);
}

size_t cb_scanner_literal_count(const cb_scanner *s)
{
    return s->nlitpats;
}

/* The regex as quoted in a message: cut to a readable length (the full text is in the playbook). */
static const char *shown_regex(const char *re, char *buf, size_t size)
{
    size_t len = strlen(re);
    if (len < size)
        return re;
    size_t cut = size - 4; /* room for "…" and the NUL */
    while (cut > 0 && ((unsigned char)re[cut] & 0xC0) == 0x80)
        cut--; /* not inside a UTF-8 sequence */
    memcpy(buf, re, cut);
    memcpy(buf + cut, "\xe2\x80\xa6", 4);
    return buf;
}

/*
 * Pattern p cannot be used, for `reason`.  Strict: the scanner fails with a
 * message naming the pattern (and its regex unless `regex_ok`).  Lenient:
 * the pattern is marked failed and compiling goes on.
 */
static cb_status reject(pat *p, bool lenient, bool regex_ok, const char *reason, cb_error *err)
{
    if (lenient) {
        free(p->failure);
        if (!(p->failure = strdup(reason)))
            return cb_error_set(err, CB_ENOMEM, "out of memory");
        return CB_OK;
    }
    char buf[104];
    if (regex_ok)
        return cb_error_set(err, CB_EINVAL, "pattern '%s': %s", p->id, reason);
    return cb_error_set(err, CB_EINVAL, "pattern '%s' ('%s'): %s", p->id, shown_regex(p->regex, buf, sizeof buf),
                        reason);
}

/* Copy the patterns, validate each, compile PCRE2, and group identical glob lists. */
static cb_status prepare_patterns(cb_scanner *s, const cb_pattern *pats, size_t n, bool lenient, cb_error *err)
{
    cb_status st;
    s->p = calloc(n ? n : 1, sizeof *s->p);
    s->sets = calloc(n ? n : 1, sizeof *s->sets);
    if (!s->p || !s->sets)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        pat *p = &s->p[s->n++];
        p->id = xstrdup(pats[i].id);
        p->regex = xstrdup(pats[i].regex);
        p->caseless = pats[i].caseless;
        p->globset = -1;
        if (!p->id || !p->regex)
            return cb_error_set(err, CB_ENOMEM, "out of memory");
        char msg[256];
        if (!check_regex(p->regex, p->caseless, false, msg, sizeof msg)) {
            if ((st = reject(p, lenient, false, msg, err)))
                return st;
            continue;
        }
        for (size_t g = 0; g < pats[i].nglobs; g++) {
            cb_error gerr;
            if (cb_glob_check(pats[i].globs[g], &gerr)) {
                char gmsg[CB_ERROR_MSG_MAX + 64];
                snprintf(gmsg, sizeof gmsg, "file glob '%s': %s", pats[i].globs[g], gerr.msg);
                if ((st = reject(p, lenient, true, gmsg, err)))
                    return st;
                break;
            }
        }
        if (p->failure)
            continue;
        if (pats[i].nglobs) {
            p->globs = calloc(pats[i].nglobs, sizeof *p->globs);
            if (!p->globs)
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            for (size_t g = 0; g < pats[i].nglobs; g++)
                if (!(p->globs[p->nglobs++] = xstrdup(pats[i].globs[g])))
                    return cb_error_set(err, CB_ENOMEM, "out of memory");
            size_t k = 0;
            while (k < s->nsets && !same_globs(p, &s->sets[k]))
                k++;
            if (k == s->nsets) {
                s->sets[k].globs = p->globs;
                s->sets[k].nglobs = p->nglobs;
                s->nsets++;
            }
            p->globset = (int)k;
        }
        int errcode;
        PCRE2_SIZE off;
        p->code = pcre2_compile((PCRE2_SPTR)p->regex, PCRE2_ZERO_TERMINATED, p->caseless ? PCRE2_CASELESS : 0,
                                &errcode, &off, NULL);
        if (!p->code) {
            if ((st = reject(p, lenient, false, "cannot compile", err)))
                return st;
            continue;
        }
        pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter when unavailable */
        uint32_t caps = 0;
        pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &caps);
        if (caps + 1 > s->max_ovector)
            s->max_ovector = caps + 1;
        if (add_names(p))
            return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    return CB_OK;
}

/*
 * True when `re` is a plain string (letters, digits, spaces and punctuation
 * that is not special, or special punctuation escaped with a backslash) whose
 * text is exactly `lit`: then a hit of the literal is a match of the pattern.
 */
static bool is_plain(const char *re, const char *lit, size_t litlen, bool caseless)
{
    size_t k = 0;
    for (const char *p = re; *p; p++) {
        char c = *p;
        if (strchr(".[]()*+?{}|^$", c))
            return false;
        if (c == '\\') {
            c = *++p;
            if (!c || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                return false; /* \d, \b, \1 ...: not a literal character */
        }
        if (k >= litlen)
            return false;
        char a = c, b = lit[k++];
        if (caseless && a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (caseless && b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return k == litlen;
}

typedef struct litent {
    const char *lit;
    size_t len;
    bool caseless;
    uint32_t pat;
} litent;

static int cmp_text(const litent *x, const litent *y)
{
    if (x->caseless != y->caseless)
        return x->caseless ? 1 : -1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->lit, y->lit, x->len);
}

static int cmp_litent(const void *a, const void *b)
{
    const litent *x = a, *y = b;
    int c = cmp_text(x, y);
    if (c)
        return c;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/* Build the literal database from the patterns that have a usable required-literal set. */
static cb_status build_literal_db(cb_scanner *s, cb_error *err)
{
    cb_status st = CB_OK;
    size_t cap = 0, nlit = 0;
    char **lits = NULL;
    size_t *lens = NULL;
    unsigned *flags = NULL, *ids = NULL;
    cb__litset *sets = calloc(s->n ? s->n : 1, sizeof *sets);
    if (!sets)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n; i++) {
        if (s->p[i].failure)
            continue;
        if ((st = cb__required_literals(s->p[i].regex, s->p[i].caseless, MIN_LITERAL, MAX_LITERALS, &sets[i])))
            goto out;
        cap += sets[i].n;
    }
    if (cap) {
        lits = calloc(cap, sizeof *lits);
        lens = calloc(cap, sizeof *lens);
        flags = calloc(cap, sizeof *flags);
        ids = calloc(cap, sizeof *ids);
        s->lit_pat = calloc(cap, sizeof *s->lit_pat);
        if (!lits || !lens || !flags || !ids || !s->lit_pat) {
            st = CB_ENOMEM;
            goto out;
        }
    }
    /* One database entry per distinct literal, listing every pattern that needs it. */
    litent *ent = cap ? calloc(cap, sizeof *ent) : NULL;
    if (cap && !ent) {
        st = CB_ENOMEM;
        goto out;
    }
    size_t nent = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!sets[i].n)
            continue;
        s->p[i].literal = true;
        s->p[i].plain = sets[i].n == 1 && !s->p[i].nnames &&
                        is_plain(s->p[i].regex, sets[i].lits[0], sets[i].lens[0], sets[i].caseless);
        s->nlitpats++;
        for (size_t k = 0; k < sets[i].n; k++) {
            ent[nent].lit = sets[i].lits[k];
            ent[nent].len = sets[i].lens[k];
            ent[nent].caseless = sets[i].caseless;
            ent[nent].pat = (uint32_t)i;
            nent++;
        }
    }
    if (nent > 1)
        qsort(ent, nent, sizeof *ent, cmp_litent);
    s->lit_off = calloc(nent + 1, sizeof *s->lit_off);
    if (!s->lit_off) {
        free(ent);
        st = CB_ENOMEM;
        goto out;
    }
    size_t nlist = 0;
    for (size_t e = 0; e < nent; e++) {
        bool newlit = e == 0 || cmp_text(&ent[e], &ent[e - 1]) != 0;
        if (newlit) {
            lits[nlit] = (char *)ent[e].lit;
            lens[nlit] = ent[e].len;
            flags[nlit] = ent[e].caseless ? HS_FLAG_CASELESS : 0;
            ids[nlit] = (unsigned)nlit;
            s->lit_off[nlit] = (uint32_t)nlist;
            nlit++;
        } else if (ent[e].pat == ent[e - 1].pat) {
            continue; /* one pattern with the same literal twice */
        }
        s->lit_pat[nlist++] = ent[e].pat;
    }
    s->lit_off[nlit] = (uint32_t)nlist;
    free(ent);
    s->nlits = nlit;
    if (nlit) {
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_lit_multi((const char *const *)lits, flags, ids, lens, (unsigned)nlit, HS_MODE_BLOCK, NULL,
                                 &s->lit_db, &cerr) != HS_SUCCESS) {
            cb_error_set(err, CB_EINVAL, "cannot compile the literal prefilter: %s",
                         cerr && cerr->message ? cerr->message : "unknown error");
            hs_free_compile_error(cerr);
            st = CB_EINVAL;
            goto out;
        }
    }
out:
    for (size_t i = 0; i < s->n; i++)
        cb__litset_release(&sets[i]);
    free(sets);
    free(lits);
    free(lens);
    free(flags);
    free(ids);
    if (st == CB_ENOMEM)
        cb_error_set(err, st, "out of memory");
    return st;
}

/* Compile one expression into a database of its own: false, with Hyperscan's reason in msg, when it fails. */
static bool compiles_alone(const char *regex, bool caseless, char *msg, size_t size)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned flags = HS_FLAG_MULTILINE | (caseless ? HS_FLAG_CASELESS : 0);
    hs_error_t rc = hs_compile(regex, flags, HS_MODE_BLOCK, NULL, &db, &cerr);
    if (rc != HS_SUCCESS)
        snprintf(msg, size, "%s", cerr && cerr->message ? cerr->message : "cannot compile");
    hs_free_compile_error(cerr);
    hs_free_database(db);
    return rc == HS_SUCCESS;
}

/*
 * The Hyperscan database of the patterns without a usable literal.
 * Hyperscan refuses some patterns only when building the database ("Pattern
 * is too large", "Bounded repeat is too large", "Resource limit exceeded"):
 * the failing expression is named by the compile error, or, when the error
 * concerns the database as a whole, found by compiling each alone.  Strict,
 * that is the scanner's error; lenient, those patterns are marked failed and
 * the rest compiled again.
 */
static cb_status build_regex_db(cb_scanner *s, bool lenient, cb_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        m += !s->p[i].literal && !s->p[i].failure;
    if (!m)
        return CB_OK;
    const char **exprs = calloc(m, sizeof *exprs);
    unsigned *flags = calloc(m, sizeof *flags), *ids = calloc(m, sizeof *ids);
    s->re_pat = calloc(m, sizeof *s->re_pat);
    cb_status st = CB_OK;
    if (!exprs || !flags || !ids || !s->re_pat) {
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        s->nre = 0;
        for (size_t i = 0; i < s->n; i++) {
            if (s->p[i].literal || s->p[i].failure)
                continue;
            exprs[s->nre] = s->p[i].regex;
            flags[s->nre] = HS_FLAG_MULTILINE | (s->p[i].caseless ? HS_FLAG_CASELESS : 0);
            ids[s->nre] = (unsigned)s->nre;
            s->re_pat[s->nre] = (uint32_t)i;
            s->nre++;
        }
        if (!s->nre)
            break;
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_multi(exprs, flags, ids, (unsigned)s->nre, HS_MODE_BLOCK, NULL, &s->re_db, &cerr) ==
            HS_SUCCESS)
            break;
        int e = cerr ? cerr->expression : -1;
        char msg[256];
        snprintf(msg, sizeof msg, "%s", cerr && cerr->message ? cerr->message : "cannot compile");
        hs_free_compile_error(cerr);
        size_t rejected = 0;
        if (e >= 0 && (size_t)e < s->nre) {
            if ((st = reject(&s->p[s->re_pat[e]], lenient, false, msg, err)))
                goto out;
            rejected++;
        } else {
            for (size_t k = 0; k < s->nre; k++) {
                char why[256];
                const pat *p = &s->p[s->re_pat[k]];
                if (compiles_alone(p->regex, p->caseless, why, sizeof why))
                    continue;
                if ((st = reject(&s->p[s->re_pat[k]], lenient, false, why, err)))
                    goto out;
                rejected++;
            }
        }
        if (!rejected) {
            st = cb_error_set(err, CB_EINVAL, "the %zu patterns without a literal cannot be compiled together: %s",
                              s->nre, msg);
            goto out;
        }
    }
out:
    free(exprs);
    free(flags);
    free(ids);
    return st;
}

static cb_status alloc_scratch(const hs_database_t *db, hs_scratch_t **scratch, cb_error *err)
{
    hs_error_t rc = hs_alloc_scratch(db, scratch);
    if (rc == HS_SUCCESS)
        return CB_OK;
    if (rc == HS_NOMEM)
        return cb_error_set(err, CB_ENOMEM, "out of memory (Hyperscan scratch)");
    return cb_error_set(err, CB_EINVAL, "cannot allocate Hyperscan scratch space (error %d)", (int)rc);
}

static cb_status scanner_new(const cb_pattern *pats, size_t n, bool lenient, cb_scanner **out, cb_error *err)
{
    *out = NULL;
    cb_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_status st = prepare_patterns(s, pats, n, lenient, err);
    if (!st)
        st = build_literal_db(s, err);
    if (!st)
        st = build_regex_db(s, lenient, err);
    if (!st && s->lit_db)
        st = alloc_scratch(s->lit_db, &s->proto, err);
    if (!st && s->re_db)
        st = alloc_scratch(s->re_db, &s->proto, err);
    if (st) {
        cb_scanner_free(s);
        return st;
    }
    *out = s;
    return CB_OK;
}

cb_status cb_scanner_new(const cb_pattern *pats, size_t n, cb_scanner **out, cb_error *err)
{
    return scanner_new(pats, n, false, out, err);
}

void cb_pattern_failures_free(cb_pattern_failure *bad, size_t nbad)
{
    if (!bad)
        return;
    for (size_t i = 0; i < nbad; i++)
        free(bad[i].message);
    free(bad);
}

cb_status cb_scanner_new_lenient(const cb_pattern *pats, size_t n, cb_scanner **out, cb_pattern_failure **bad,
                                 size_t *nbad, cb_error *err)
{
    *bad = NULL;
    *nbad = 0;
    cb_status st = scanner_new(pats, n, true, out, err);
    if (st)
        return st;
    cb_scanner *s = *out;
    size_t nf = 0;
    for (size_t i = 0; i < s->n; i++)
        nf += s->p[i].failure != NULL;
    if (!nf)
        return CB_OK;
    cb_pattern_failure *v = calloc(nf, sizeof *v);
    if (!v)
        goto nomem;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->p[i].failure)
            continue;
        v[*nbad].index = i;
        if (!(v[*nbad].message = strdup(s->p[i].failure)))
            goto nomem;
        (*nbad)++;
    }
    *bad = v;
    return CB_OK;
nomem:
    cb_pattern_failures_free(v, *nbad);
    *nbad = 0;
    cb_scanner_free(s);
    *out = NULL;
    return cb_error_set(err, CB_ENOMEM, "out of memory");
}
