/*
 * load.c — read a playbook file into the model, reporting every structural
 * problem with its line and column.
 *
 * Two passes.  ytree.c first reads the file into a small tree of scalars,
 * lists and mappings with their positions; that pass refuses what a playbook
 * never needs and an attacker would use (anchors and aliases — no expansion
 * bombs —, tags, several documents, deep nesting, huge node counts) and
 * reports duplicate keys.  The second pass, here, walks the tree against the
 * format (docs/playbook-format.md) and fills the model, collecting every
 * problem instead of stopping at the first, so that an author fixes a file in
 * one round.  The model is handed out only when no problem was found.
 *
 * Scalars keep their text as written: `yes:` and `no:` are the keys "yes" and
 * "no", never YAML 1.1 booleans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "playbook/pb_int.h"
#include "playbook/ytree.h"
#include "core/internal.h"

enum {
    WHERE_MAX = 384, /* "in coach of node '<id>'": ids are quoted cut to 60 characters (cb__q) */
};

/* The file being loaded: its tree, its text (for colon_text) and its diagnostics. */
typedef yfile loader;

static const ynames playbook_names = {"playbooks", "a playbook", "a playbook file"};

static const char *q(loader *L, const char *s)
{
    return cb__q(&L->q, s);
}

/* ---- pass 2: tree to model ---- */

typedef struct kv {
    const ynode *k, *v; /* both NULL when absent */
} kv;

/* The first entry with this key (later duplicates were reported by check_map). */
static kv mfind(const ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->nkids; i += 2)
        if (map->kids[i]->kind == Y_SCALAR && !strcmp(map->kids[i]->str, key))
            return (kv){map->kids[i], map->kids[i + 1]};
    return (kv){NULL, NULL};
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

/* Edit distance ignoring ASCII case, for "did you mean"; only short keys are worth it. */
static size_t distance(const char *a, const char *b)
{
    enum { MAXK = 32 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXK || lb > MAXK)
        return (size_t)-1;
    size_t row[MAXK + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag_prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int ca = a[i - 1], cb = b[j - 1];
            if (ca >= 'A' && ca <= 'Z')
                ca += 'a' - 'A';
            if (cb >= 'A' && cb <= 'Z')
                cb += 'a' - 'A';
            size_t best = diag_prev + (ca != cb);
            best = CB_MIN(best, up + 1);
            best = CB_MIN(best, row[j - 1] + 1);
            row[j] = best;
            diag_prev = up;
        }
    }
    return row[lb];
}

static const char *suggest(const char *const *allowed, const char *key)
{
    const char *best = NULL;
    size_t bestd = 3; /* at most two edits */
    for (; *allowed; allowed++) {
        size_t d = distance(key, *allowed);
        if (d < bestd && d < strlen(*allowed)) {
            best = *allowed;
            bestd = d;
        }
    }
    return best;
}

static void unknown_key(loader *L, const ynode *k, const char *where, const char *const *allowed)
{
    const char *s = suggest(allowed, k->str);
    if (s)
        cb__ydiag(L, k->loc, "unknown key '%s' %s (did you mean '%s'?)", q(L, k->str), where, s);
    else
        cb__ydiag(L, k->loc, "unknown key '%s' %s", q(L, k->str), where);
}

static void check_keys(loader *L, const ynode *map, const char *const *allowed, const char *where)
{
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        const ynode *k = map->kids[i];
        if (k->kind == Y_SCALAR && !in_list(allowed, k->str))
            unknown_key(L, k, where, allowed);
    }
}

static void missing(loader *L, cb_pbloc loc, const char *key, const char *where)
{
    cb__ydiag(L, loc, "missing key '%s' %s", key, where);
}

static char *xdup(loader *L, const char *s)
{
    char *d = strdup(s);
    if (!d)
        L->nomem = true;
    return d;
}

/* Byte offset of a line:column (columns count characters), or (size_t)-1 past the end. */
static size_t loc_offset(const loader *L, cb_pbloc loc)
{
    size_t i = 0;
    for (int line = 1; line < loc.line; line++) {
        const unsigned char *nl = memchr(L->text + i, '\n', L->len - i);
        if (!nl)
            return (size_t)-1;
        i = (size_t)(nl - L->text) + 1;
    }
    for (int col = 1; col < loc.col; col++) {
        if (i >= L->len)
            return (size_t)-1;
        i++;
        while (i < L->len && (L->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/*
 * Authors write prose such as `- Who closed it: the application?` in lists
 * (the format's own example does); YAML reads that as a one-entry mapping.
 * Where a string is expected, such a mapping — written on one line, without
 * braces, from plain scalars — is read back as the text it was written as,
 * colon included.  Returns a new string, or NULL when the mapping is not one.
 */
static char *colon_text(loader *L, const ynode *map)
{
    if (map->kind != Y_MAP || map->nkids != 2)
        return NULL;
    const ynode *k = map->kids[0], *v = map->kids[1];
    if (k->kind != Y_SCALAR || v->kind != Y_SCALAR || !k->plain || !v->plain || k->len == 0 || v->len == 0 ||
        map->loc.line != k->loc.line || map->loc.col != k->loc.col || k->loc.line != v->end.line)
        return NULL;
    size_t a = loc_offset(L, k->loc), b = loc_offset(L, v->end);
    char *s;
    if (a < b && b <= L->len && b - a >= k->len + v->len && !memcmp(L->text + a, k->str, k->len) &&
        !memcmp(L->text + b - v->len, v->str, v->len)) {
        s = strndup((const char *)L->text + a, b - a);
    } else {
        /* The marks disagree with the text (line breaks libyaml counts and we do not): rebuild it. */
        size_t n = k->len + 2 + v->len;
        s = malloc(n + 1);
        if (s)
            snprintf(s, n + 1, "%s: %s", k->str, v->str);
    }
    if (!s)
        L->nomem = true;
    return s;
}

/*
 * A string value.  `what` names it in messages ("'title'", "choice 'x'").
 * Reports a null (at the key, where the author looks), another type, or an
 * empty string when `nonempty`; returns false then.
 */
static bool get_str(loader *L, const char *what, const char *where, const ynode *k, const ynode *v,
                    bool nonempty, cb_pbstr *out)
{
    if (v->kind == Y_BAD)
        return false;
    if (cb__ynull(v)) {
        cb__ydiag(L, k ? k->loc : v->loc, "%s %s has no value", what, where);
        return false;
    }
    if (v->kind == Y_MAP && (out->s = colon_text(L, v)) != NULL) {
        out->loc = v->loc;
        return true;
    }
    if (v->kind != Y_SCALAR) {
        cb__ydiag(L, v->loc, "%s %s must be a string, not %s", what, where, cb__ytype_name(v));
        return false;
    }
    if (nonempty && v->len == 0) {
        cb__ydiag(L, v->loc, "%s %s is empty", what, where);
        return false;
    }
    out->s = xdup(L, v->str);
    out->loc = v->loc;
    return out->s != NULL;
}

/* get_str for an optional key of a mapping: nothing happens when it is absent. */
static void opt_str(loader *L, const ynode *map, const char *key, const char *where, cb_pbstr *out)
{
    kv e = mfind(map, key);
    if (e.k) {
        char what[64];
        snprintf(what, sizeof what, "'%s'", key);
        get_str(L, what, where, e.k, e.v, true, out);
    }
}

/* get_str for a required key; `at` is where the mapping starts, for the "missing" message. */
static bool req_str(loader *L, const ynode *map, const char *key, const char *where, cb_pbloc at,
                    cb_pbstr *out)
{
    kv e = mfind(map, key);
    if (!e.k) {
        missing(L, at, key, where);
        return false;
    }
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    return get_str(L, what, where, e.k, e.v, true, out);
}

static void req_ref(loader *L, const ynode *map, const char *key, const char *where, cb_pbloc at,
                    cb_pbref *out)
{
    cb_pbstr s = {0};
    if (req_str(L, map, key, where, at, &s)) {
        out->id = s.s;
        out->loc = s.loc;
    }
}

static bool get_bool(loader *L, const ynode *map, const char *key, const char *where, bool *out,
                     cb_pbloc *loc)
{
    kv e = mfind(map, key);
    if (!e.k)
        return false;
    if (e.v->kind == Y_BAD)
        return false;
    if (e.v->kind == Y_SCALAR && !cb__ynull(e.v)) {
        /* YAML 1.1 spellings too: authors write `escalate: yes` as readily as `true`. */
        if (!strcasecmp(e.v->str, "true") || !strcasecmp(e.v->str, "yes")) {
            *out = true;
            *loc = e.v->loc;
            return true;
        }
        if (!strcasecmp(e.v->str, "false") || !strcasecmp(e.v->str, "no")) {
            *out = false;
            *loc = e.v->loc;
            return true;
        }
        cb__ydiag(L, e.v->loc, "'%s' %s must be true or false, not '%s'", key, where, q(L, e.v->str));
        return false;
    }
    cb__ydiag(L, cb__ynull(e.v) ? e.k->loc : e.v->loc, "'%s' %s must be true or false, not %s", key, where,
              cb__ytype_name(e.v));
    return false;
}

/*
 * A list of non-empty strings (or, when one_ok, a single string standing for
 * a list of one).  Allocates *out with *n entries; reports and skips bad items.
 */
static bool get_strlist(loader *L, const char *key, const char *where, const ynode *k, const ynode *v,
                        bool one_ok, cb_pbstr **out, size_t *n)
{
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    if (v->kind == Y_BAD)
        return false;
    if (v->kind == Y_SCALAR && one_ok && !cb__ynull(v)) {
        *out = calloc(1, sizeof **out);
        if (!*out) {
            L->nomem = true;
            return false;
        }
        *n = 1;
        return get_str(L, what, where, k, v, true, &(*out)[0]);
    }
    if (v->kind != Y_SEQ) {
        cb__ydiag(L, cb__ynull(v) ? k->loc : v->loc, "%s %s must be a list%s, not %s", what, where,
                  one_ok ? " or a string" : " of strings", cb__ytype_name(v));
        return false;
    }
    *out = calloc(v->nkids ? v->nkids : 1, sizeof **out);
    if (!*out) {
        L->nomem = true;
        return false;
    }
    *n = v->nkids;
    bool ok = true;
    for (size_t i = 0; i < v->nkids; i++) {
        char item[96];
        snprintf(item, sizeof item, "item %zu of '%s'", i + 1, key);
        ok &= get_str(L, item, where, NULL, v->kids[i], true, &(*out)[i]);
    }
    return ok;
}

/* A mapping value (null allowed when null_ok: an empty `signatures:`).  Reports other types. */
static bool want_map(loader *L, const char *what, const ynode *k, const ynode *v, bool null_ok,
                     const char *of)
{
    if (v->kind == Y_MAP)
        return true;
    if (v->kind == Y_BAD || (null_ok && cb__ynull(v)))
        return false;
    cb__ydiag(L, cb__ynull(v) ? k->loc : v->loc, "%s must be a mapping%s, not %s", what, of,
              cb__ytype_name(v));
    return false;
}

static void *alloc_array(loader *L, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        L->nomem = true;
    return p;
}

/* Node and signature ids become `{{variables}}` and command-line arguments: keep them to that alphabet. */
static bool valid_ref_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!cb__var_char((unsigned char)*s))
            return false;
    return true;
}

static bool valid_playbook_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* ---- signatures ---- */

static void build_signature(loader *L, const ynode *k, const ynode *v, cb_signature *sig)
{
    static const char *const keys[] = {"pattern", "files", "severity", "caseless", "describe", NULL};
    static const char *const sevs[] = {"info", "warning", "error", "critical", NULL};
    char where[WHERE_MAX], what[WHERE_MAX];
    snprintf(where, sizeof where, "in signature '%s'", q(L, k->str));
    snprintf(what, sizeof what, "signature '%s'", q(L, k->str));

    sig->id = xdup(L, k->str);
    sig->loc = k->loc;
    sig->severity = CB_SEV_ERROR;
    if (!valid_ref_id(k->str))
        cb__ydiag(L, k->loc, "invalid signature id '%s': use letters, digits, '_', '.' and '-'",
                  q(L, k->str));
    if (!want_map(L, what, k, v, false, " (pattern, files, severity, ...)"))
        return;
    check_keys(L, v, keys, where);
    req_str(L, v, "pattern", where, k->loc, &sig->pattern);
    kv e = mfind(v, "files");
    if (e.k)
        get_strlist(L, "files", where, e.k, e.v, false, &sig->files, &sig->nfiles);
    e = mfind(v, "severity");
    if (e.k) {
        cb_pbstr s = {0};
        if (get_str(L, "'severity'", where, e.k, e.v, true, &s)) {
            size_t i = 0;
            while (sevs[i] && strcmp(sevs[i], s.s))
                i++;
            if (sevs[i]) {
                sig->severity = (cb_severity)i;
                sig->severity_loc = s.loc;
            } else {
                cb__ydiag(L, s.loc, "unknown severity '%s' %s: use info, warning, error or critical",
                          q(L, s.s), where);
            }
            free(s.s);
        }
    }
    get_bool(L, v, "caseless", where, &sig->caseless, &sig->caseless_loc);
    opt_str(L, v, "describe", where, &sig->describe);
}

/* ---- nodes ---- */

static const char *const node_keys[] = {"check",   "min",      "yes",      "no",       "ask",   "choices",
                                        "do",      "record",   "next",     "conclude", "cause", "resolution",
                                        "article", "escalate", "dead-end", "coach",    NULL};

/* The kind each kind-specific key belongs to; -1 for kind keys and keys any node may have. */
static int key_kind(const char *key)
{
    static const struct {
        const char *key;
        cb_node_kind kind;
    } table[] = {
        {"check", CB_NODE_CHECK},
        {"min", CB_NODE_CHECK},
        {"yes", CB_NODE_CHECK},
        {"no", CB_NODE_CHECK},
        {"ask", CB_NODE_ASK},
        {"choices", CB_NODE_ASK},
        {"do", CB_NODE_DO},
        {"record", CB_NODE_DO},
        {"next", CB_NODE_DO},
        {"conclude", CB_NODE_CONCLUDE},
        {"cause", CB_NODE_CONCLUDE},
        {"resolution", CB_NODE_CONCLUDE},
        {"article", CB_NODE_CONCLUDE},
        {"escalate", CB_NODE_CONCLUDE},
        {"dead-end", CB_NODE_CONCLUDE},
    };
    for (size_t i = 0; i < CB_ARRAY_LEN(table); i++)
        if (!strcmp(table[i].key, key))
            return (int)table[i].kind;
    return -1;
}

static bool is_kind_key(const char *key)
{
    return !strcmp(key, "check") || !strcmp(key, "ask") || !strcmp(key, "do") || !strcmp(key, "conclude");
}

static void build_check(loader *L, const ynode *map, const char *where, cb_node *nd)
{
    kv e = mfind(map, "check");
    const ynode *v = e.v;
    if (v->kind == Y_SCALAR && !cb__ynull(v)) {
        nd->sigs = alloc_array(L, 1, sizeof *nd->sigs);
        if (!nd->sigs)
            return;
        nd->nsigs = 1;
        cb_pbstr s = {0};
        if (get_str(L, "'check'", where, e.k, v, true, &s))
            nd->sigs[0] = (cb_pbref){s.s, -1, s.loc};
    } else if (v->kind == Y_SEQ) {
        if (v->nkids == 0)
            cb__ydiag(L, v->loc, "'check' %s names no signature", where);
        nd->sigs = alloc_array(L, v->nkids, sizeof *nd->sigs);
        if (!nd->sigs)
            return;
        nd->nsigs = v->nkids;
        for (size_t i = 0; i < v->nkids; i++) {
            char what[64];
            snprintf(what, sizeof what, "item %zu of 'check'", i + 1);
            cb_pbstr s = {0};
            if (get_str(L, what, where, NULL, v->kids[i], true, &s))
                nd->sigs[i] = (cb_pbref){s.s, -1, s.loc};
        }
    } else if (v->kind != Y_BAD) {
        cb__ydiag(L, cb__ynull(v) ? e.k->loc : v->loc,
                  "'check' %s must be a signature id or a list of them, not %s", where, cb__ytype_name(v));
    }

    nd->min = 1;
    e = mfind(map, "min");
    if (e.k && e.v->kind != Y_BAD) {
        uint64_t m = 0;
        bool ok = e.v->kind == Y_SCALAR && e.v->len > 0 && e.v->len <= 19;
        for (size_t i = 0; ok && i < e.v->len; i++) {
            ok = e.v->str[i] >= '0' && e.v->str[i] <= '9';
            m = m * 10 + (uint64_t)(e.v->str[i] - '0');
        }
        if (ok && m >= 1) {
            nd->min = m;
            nd->min_loc = e.v->loc;
        } else if (e.v->kind == Y_SCALAR && !cb__ynull(e.v)) {
            cb__ydiag(L, e.v->loc, "'min' %s must be a whole number of at least 1, not '%s'", where,
                      q(L, e.v->str));
        } else {
            cb__ydiag(L, cb__ynull(e.v) ? e.k->loc : e.v->loc,
                      "'min' %s must be a whole number of at least 1, not %s", where, cb__ytype_name(e.v));
        }
    }
}

static void build_choices(loader *L, const ynode *map, const char *where, cb_pbloc at, cb_node *nd)
{
    kv e = mfind(map, "choices");
    if (!e.k) {
        missing(L, at, "choices", where);
        return;
    }
    char what[WHERE_MAX + 32];
    snprintf(what, sizeof what, "'choices' %s", where);
    if (!want_map(L, what, e.k, e.v, false, " of label to node id"))
        return;
    nd->choices = alloc_array(L, e.v->nkids / 2, sizeof *nd->choices);
    if (!nd->choices)
        return;
    for (size_t i = 0; i + 1 < e.v->nkids; i += 2) {
        const ynode *k = e.v->kids[i], *v = e.v->kids[i + 1];
        if (k->kind != Y_SCALAR)
            continue; /* reported by check_map */
        cb_choice *c = &nd->choices[nd->nchoices++];
        c->target.index = -1;
        if (k->len == 0) {
            cb__ydiag(L, k->loc, "empty choice label %s", where);
            continue;
        }
        c->label.s = xdup(L, k->str);
        c->label.loc = k->loc;
        char cwhat[WHERE_MAX];
        snprintf(cwhat, sizeof cwhat, "choice '%s'", q(L, k->str));
        cb_pbstr s = {0};
        if (get_str(L, cwhat, where, k, v, true, &s))
            c->target = (cb_pbref){s.s, -1, s.loc};
    }
}

static void build_coach(loader *L, const ynode *k, const ynode *v, const char *node_id, cb_node *nd)
{
    static const char *const keys[] = {"ask", "choices", "expect", "hints", NULL};
    char where[WHERE_MAX], what[WHERE_MAX];
    snprintf(where, sizeof where, "in coach of node '%s'", q(L, node_id));
    snprintf(what, sizeof what, "'coach' in node '%s'", q(L, node_id));
    if (!want_map(L, what, k, v, false, " (ask, choices, expect, hints)"))
        return;
    cb_coach *c = nd->coach = calloc(1, sizeof *c);
    if (!c) {
        L->nomem = true;
        return;
    }
    c->loc = k->loc;
    check_keys(L, v, keys, where);
    req_str(L, v, "ask", where, k->loc, &c->ask);
    kv e = mfind(v, "choices");
    if (e.k)
        get_strlist(L, "choices", where, e.k, e.v, false, &c->choices, &c->nchoices);
    e = mfind(v, "expect");
    if (e.k) {
        c->expect_loc = e.v->loc;
        get_strlist(L, "expect", where, e.k, e.v, true, &c->expect, &c->nexpect);
    }
    e = mfind(v, "hints");
    if (e.k)
        get_strlist(L, "hints", where, e.k, e.v, false, &c->hints, &c->nhints);
}

static void build_node(loader *L, const ynode *k, const ynode *v, cb_node *nd)
{
    char where[WHERE_MAX], what[WHERE_MAX];
    snprintf(where, sizeof where, "in node '%s'", q(L, k->str));
    snprintf(what, sizeof what, "node '%s'", q(L, k->str));
    nd->id = xdup(L, k->str);
    nd->loc = k->loc;
    nd->yes.index = nd->no.index = nd->next.index = -1;
    if (!valid_ref_id(k->str))
        cb__ydiag(L, k->loc, "invalid node id '%s': use letters, digits, '_', '.' and '-'", q(L, k->str));
    if (!want_map(L, what, k, v, false, " with one of check, ask, do or conclude"))
        return;
    check_keys(L, v, node_keys, where);

    /* Exactly one kind key. */
    const ynode *kinds[2] = {NULL, NULL};
    size_t nkinds = 0;
    for (size_t i = 0; i + 1 < v->nkids; i += 2) {
        const ynode *key = v->kids[i];
        if (key->kind == Y_SCALAR && is_kind_key(key->str)) {
            if (nkinds < 2)
                kinds[nkinds] = key;
            nkinds++;
        }
    }
    if (nkinds == 0) {
        cb__ydiag(L, k->loc, "node '%s' has no kind: give it one of check, ask, do or conclude",
                  q(L, k->str));
    } else if (nkinds > 1) {
        cb__ydiag(L, kinds[1]->loc, "node '%s' has several kinds ('%s' and '%s'): give it exactly one",
                  q(L, k->str), kinds[0]->str, kinds[1]->str);
    }
    kv coach = mfind(v, "coach");
    if (coach.k)
        build_coach(L, coach.k, coach.v, k->str, nd);
    if (nkinds != 1)
        return;

    cb_node_kind kind = (cb_node_kind)key_kind(kinds[0]->str);
    nd->kind = kind;
    nd->kind_loc = kinds[0]->loc;
    char kwhere[WHERE_MAX];
    snprintf(kwhere, sizeof kwhere, "in %s node '%s'", cb_node_kind_name(kind), q(L, k->str));
    for (size_t i = 0; i + 1 < v->nkids; i += 2) {
        const ynode *key = v->kids[i];
        int kk = key->kind == Y_SCALAR ? key_kind(key->str) : -1;
        if (kk >= 0 && kk != (int)kind)
            cb__ydiag(L, key->loc, "key '%s' is not allowed %s (it belongs in %s nodes)", key->str, kwhere,
                      cb_node_kind_name((cb_node_kind)kk));
    }

    char kwhat[32];
    snprintf(kwhat, sizeof kwhat, "'%s'", kinds[0]->str);
    kv e = mfind(v, kinds[0]->str);
    switch (kind) {
    case CB_NODE_CHECK:
        build_check(L, v, where, nd);
        req_ref(L, v, "yes", kwhere, k->loc, &nd->yes);
        req_ref(L, v, "no", kwhere, k->loc, &nd->no);
        break;
    case CB_NODE_ASK:
        get_str(L, kwhat, where, e.k, e.v, true, &nd->text);
        build_choices(L, v, kwhere, k->loc, nd);
        break;
    case CB_NODE_DO:
        get_str(L, kwhat, where, e.k, e.v, true, &nd->text);
        opt_str(L, v, "record", where, &nd->record);
        req_ref(L, v, "next", kwhere, k->loc, &nd->next);
        break;
    case CB_NODE_CONCLUDE:
        get_str(L, kwhat, where, e.k, e.v, true, &nd->text);
        opt_str(L, v, "cause", where, &nd->cause);
        opt_str(L, v, "resolution", where, &nd->resolution);
        opt_str(L, v, "article", where, &nd->article);
        get_bool(L, v, "escalate", where, &nd->escalate, &nd->escalate_loc);
        get_bool(L, v, "dead-end", where, &nd->dead_end, &nd->dead_end_loc);
        break;
    }
}

/* ---- tests ---- */

static void build_test(loader *L, size_t no, const ynode *v, cb_pbtest *t)
{
    static const char *const keys[] = {"name", "logs", "answers", "expect", NULL};
    char where[WHERE_MAX];
    t->loc = v->loc;
    t->expect.index = -1;
    snprintf(where, sizeof where, "in test %zu", no);
    if (v->kind != Y_MAP) {
        if (v->kind != Y_BAD)
            cb__ydiag(L, v->loc, "test %zu must be a mapping (name, logs, answers, expect), not %s", no,
                      cb__ytype_name(v));
        return;
    }
    if (req_str(L, v, "name", where, v->loc, &t->name))
        snprintf(where, sizeof where, "in test '%s'", q(L, t->name.s));
    check_keys(L, v, keys, where);

    kv e = mfind(v, "logs");
    char what[WHERE_MAX + 32];
    snprintf(what, sizeof what, "'logs' %s", where);
    if (e.k && want_map(L, what, e.k, e.v, true, " of path to content")) {
        t->logs = alloc_array(L, e.v->nkids / 2, sizeof *t->logs);
        for (size_t i = 0; t->logs && i + 1 < e.v->nkids; i += 2) {
            const ynode *pk = e.v->kids[i], *pv = e.v->kids[i + 1];
            if (pk->kind != Y_SCALAR)
                continue;
            cb_pblog *lg = &t->logs[t->nlogs++];
            if (pk->len == 0) {
                cb__ydiag(L, pk->loc, "empty log path %s", where);
                continue;
            }
            lg->path.s = xdup(L, pk->str);
            lg->path.loc = pk->loc;
            /* An empty log file is a fair test input: a bare `path:` means "". */
            if (cb__ynull(pv)) {
                lg->content.s = xdup(L, "");
                lg->content.loc = pk->loc;
            } else {
                char lwhat[WHERE_MAX];
                snprintf(lwhat, sizeof lwhat, "log '%s'", q(L, pk->str));
                get_str(L, lwhat, where, pk, pv, false, &lg->content);
            }
        }
    }
    e = mfind(v, "answers");
    snprintf(what, sizeof what, "'answers' %s", where);
    if (e.k && want_map(L, what, e.k, e.v, true, " of node id to answer")) {
        t->answers = alloc_array(L, e.v->nkids / 2, sizeof *t->answers);
        for (size_t i = 0; t->answers && i + 1 < e.v->nkids; i += 2) {
            const ynode *ak = e.v->kids[i], *av = e.v->kids[i + 1];
            if (ak->kind != Y_SCALAR)
                continue;
            cb_pbanswer *a = &t->answers[t->nanswers++];
            a->node = (cb_pbref){xdup(L, ak->str), -1, ak->loc};
            char awhat[WHERE_MAX];
            snprintf(awhat, sizeof awhat, "the answer for '%s'", q(L, ak->str));
            get_str(L, awhat, where, ak, av, false, &a->answer);
        }
    }
    req_ref(L, v, "expect", where, v->loc, &t->expect);
}

/* ---- top level ---- */

static void build_playbook(loader *L, const ynode *root, cb_playbook *pb)
{
    static const char *const keys[] = {"casebook", "id",         "title", "product", "versions", "tags",
                                       "article",  "signatures", "start", "nodes",   "tests",    NULL};
    const char *where = "at top level";
    pb->start.index = -1;
    if (root->kind != Y_MAP) {
        cb__ydiag(L, root->loc,
                  "a playbook is a mapping (casebook, id, title, signatures, start, nodes, ...), not %s",
                  cb__ytype_name(root));
        return;
    }
    check_keys(L, root, keys, where);

    kv e = mfind(root, "casebook");
    if (!e.k) {
        missing(L, root->loc, "casebook", where);
    } else if (e.v->kind == Y_SCALAR && !strcmp(e.v->str, "1")) {
        pb->version = 1;
    } else if (e.v->kind == Y_SCALAR && !cb__ynull(e.v)) {
        cb__ydiag(L, e.v->loc, "unsupported format version '%s': this casebook reads 'casebook: 1'",
                  q(L, e.v->str));
    } else if (e.v->kind != Y_BAD) {
        cb__ydiag(L, cb__ynull(e.v) ? e.k->loc : e.v->loc, "'casebook' must be the format version 1, not %s",
                  cb__ytype_name(e.v));
    }

    if (req_str(L, root, "id", where, root->loc, &pb->id) && !valid_playbook_id(pb->id.s))
        cb__ydiag(L, pb->id.loc, "invalid playbook id '%s': use lowercase letters, digits and '-', not first",
                  q(L, pb->id.s));
    req_str(L, root, "title", where, root->loc, &pb->title);
    opt_str(L, root, "product", where, &pb->product);
    opt_str(L, root, "versions", where, &pb->versions);
    opt_str(L, root, "article", where, &pb->article);
    e = mfind(root, "tags");
    if (e.k)
        get_strlist(L, "tags", where, e.k, e.v, false, &pb->tags, &pb->ntags);

    e = mfind(root, "signatures");
    if (!e.k) {
        missing(L, root->loc, "signatures", where);
    } else if (want_map(L, "'signatures'", e.k, e.v, true, " of signature id to signature")) {
        pb->signatures = alloc_array(L, e.v->nkids / 2, sizeof *pb->signatures);
        for (size_t i = 0; pb->signatures && i + 1 < e.v->nkids; i += 2)
            if (e.v->kids[i]->kind == Y_SCALAR)
                build_signature(L, e.v->kids[i], e.v->kids[i + 1], &pb->signatures[pb->nsignatures++]);
    }

    req_ref(L, root, "start", where, root->loc, &pb->start);

    e = mfind(root, "nodes");
    if (!e.k) {
        missing(L, root->loc, "nodes", where);
    } else if (want_map(L, "'nodes'", e.k, e.v, false, " of node id to node")) {
        pb->nodes = alloc_array(L, e.v->nkids / 2, sizeof *pb->nodes);
        for (size_t i = 0; pb->nodes && i + 1 < e.v->nkids; i += 2)
            if (e.v->kids[i]->kind == Y_SCALAR)
                build_node(L, e.v->kids[i], e.v->kids[i + 1], &pb->nodes[pb->nnodes++]);
    }

    e = mfind(root, "tests");
    if (e.k && e.v->kind == Y_SEQ) {
        pb->tests = alloc_array(L, e.v->nkids, sizeof *pb->tests);
        for (size_t i = 0; pb->tests && i < e.v->nkids; i++)
            build_test(L, i + 1, e.v->kids[i], &pb->tests[pb->ntests++]);
    } else if (e.k && e.v->kind != Y_BAD && !cb__ynull(e.v)) {
        cb__ydiag(L, e.v->loc, "'tests' must be a list of tests, not %s", cb__ytype_name(e.v));
    }
}

cb_status cb_playbook_load(const char *path, cb_playbook **out, cb_diags *diags)
{
    cb_status st = CB_ENOMEM;
    loader L = {0};
    cb_playbook *pb = NULL;
    ynode *root = NULL;
    *out = NULL;

    st = cb__yfile_read(&L, path, &playbook_names, diags, &root);
    if (st)
        goto out;
    if (!root) {
        cb__ydiag(&L, (cb_pbloc){1, 1}, "file is empty: expected a playbook (casebook: 1, id, title, ...)");
        st = CB_EPARSE;
        goto out;
    }
    st = CB_ENOMEM;
    pb = calloc(1, sizeof *pb);
    if (!pb || !(pb->path = strdup(path)))
        goto out;
    build_playbook(&L, root, pb);
    if (L.nomem)
        goto out;
    if (L.ndiags) {
        st = CB_EPARSE;
        goto out;
    }
    if (cb__playbook_index(pb))
        goto out;
    cb__sha256_hex(L.raw.data ? L.raw.data : "", L.raw.len, pb->hash);
    *out = pb;
    pb = NULL;
    st = CB_OK;
out:
    if (st == CB_ENOMEM)
        cb_diags_add(diags, path, 0, 0, "out of memory");
    cb_playbook_free(pb);
    cb__yfile_release(&L);
    return st;
}
