/*
 * article.c — the file form of a KCS article (kb.h): YAML front matter read
 * with the playbook loader's reader (ytree), Markdown sections kept as
 * written, and the canonical form written back so that import and export
 * round-trip byte for byte.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "casebook/kb.h"
#include "casebook/buf.h"
#include "casebook/utf8.h"
#include "playbook/ytree.h"
#include "kb/kb_int.h"
#include "core/internal.h"

static const char *const state_names[CB_KB__STATES] = {"wip", "not-validated", "validated", "archived"};
static const char *const audience_names[CB_KB__AUDIENCES] = {"internal", "partner", "public"};
static const char *const role_names[CB_KB__ROLES] = {"candidate", "contributor", "publisher"};
static const char *const section_names[CB_KB__SECTIONS] = {"Issue", "Environment", "Resolution", "Cause",
                                                           "Internal"};

static const char *name_of(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : "?";
}

static int from_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

const char *cb_kb_state_name(cb_kb_state s)
{
    return name_of(state_names, CB_KB__STATES, (int)s);
}
const char *cb_kb_audience_name(cb_kb_audience a)
{
    return name_of(audience_names, CB_KB__AUDIENCES, (int)a);
}
const char *cb_kb_role_name(cb_kb_role r)
{
    return name_of(role_names, CB_KB__ROLES, (int)r);
}
const char *cb_kb_section_name(cb_kb_section s)
{
    return name_of(section_names, CB_KB__SECTIONS, (int)s);
}

bool cb_kb_state_from_name(const char *name, cb_kb_state *out)
{
    int v = from_name(state_names, CB_KB__STATES, name);
    if (v >= 0)
        *out = (cb_kb_state)v;
    return v >= 0;
}
bool cb_kb_audience_from_name(const char *name, cb_kb_audience *out)
{
    int v = from_name(audience_names, CB_KB__AUDIENCES, name);
    if (v >= 0)
        *out = (cb_kb_audience)v;
    return v >= 0;
}
bool cb_kb_role_from_name(const char *name, cb_kb_role *out)
{
    int v = from_name(role_names, CB_KB__ROLES, name);
    if (v >= 0)
        *out = (cb_kb_role)v;
    return v >= 0;
}

bool cb_kb_id_valid(const char *id)
{
    if (!id || strncmp(id, "KB-", 3) != 0)
        return false;
    const char *p = id + 3;
    size_t n = 0;
    if (!(*p >= 'A' && *p <= 'Z'))
        return false;
    while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
        n++;
    if (n < 2 || n > 8 || p[n] != '-')
        return false;
    p += n + 1;
    for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
        ;
    return n >= 4 && n <= 8 && p[n] == '\0';
}

/* ---- freeing and comparing --------------------------------------------------------------------- */

static void list_free(cb_kb_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void cb_article_free(cb_article *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->title);
    free(a->product);
    free(a->versions);
    list_free(&a->tags);
    free(a->owner);
    free(a->created);
    free(a->updated);
    free(a->reviewed);
    list_free(&a->playbooks);
    free(a->defect);
    for (int i = 0; i < CB_KB__SECTIONS; i++)
        free(a->section[i]);
    free(a);
}

static bool str_eq(const char *x, const char *y)
{
    return (!x && !y) || (x && y && !strcmp(x, y));
}

static bool list_eq(const cb_kb_strlist *x, const cb_kb_strlist *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i], y->v[i]))
            return false;
    return true;
}

bool cb_article_equal(const cb_article *a, const cb_article *b)
{
    if (!a || !b)
        return a == b;
    bool eq = str_eq(a->id, b->id) && str_eq(a->title, b->title) && a->state == b->state &&
              a->audience == b->audience && str_eq(a->product, b->product) && str_eq(a->versions, b->versions) &&
              list_eq(&a->tags, &b->tags) && str_eq(a->owner, b->owner) && str_eq(a->created, b->created) &&
              str_eq(a->updated, b->updated) && str_eq(a->reviewed, b->reviewed) &&
              list_eq(&a->playbooks, &b->playbooks) && str_eq(a->defect, b->defect);
    for (int i = 0; eq && i < CB_KB__SECTIONS; i++)
        eq = str_eq(a->section[i], b->section[i]);
    return eq;
}

/* ---- front matter ------------------------------------------------------------------------------ */

enum key {
    K_ID, K_TITLE, K_STATE, K_AUDIENCE, K_PRODUCT, K_VERSIONS, K_TAGS, K_OWNER, K_CREATED, K_UPDATED,
    K_REVIEWED, K_PLAYBOOKS, K_DEFECT, K__COUNT
};

/* The canonical order of the front matter, which is also the order of the examples. */
static const char *const key_names[K__COUNT] = {"id",      "title",   "state",    "audience",  "product",
                                                "versions", "tags",   "owner",    "created",   "updated",
                                                "reviewed", "playbooks", "defect"};

/* Keys the store derives: a file that sets them is refused rather than silently ignored. */
static const char *const derived_keys[] = {"reuse", "last_linked", "flags", "history", "revisions"};

static const ynames article_names = {"articles", "an article", "an article file"};

typedef struct parser {
    yfile Y;
    cb_article *a;
    cb_pbloc key_loc[K__COUNT]; /* 0 when absent */
    bool state_known;           /* the sections a state needs are checked only when it is one */
} parser;

#define DIAG(P, loc, ...) cb__ydiag(&(P)->Y, (loc), __VA_ARGS__)

static const char *qs(parser *P, const char *s)
{
    return cb__q(&P->Y.q, s);
}

/*
 * A metadata value must be one printable line: the canonical form writes it
 * on one line, plain or double-quoted without escapes other than \" and \\,
 * so anything else could not be written back to the same value.
 */
static const char *field_problem(const char *s, size_t n)
{
    if (n > CB_KB_FIELD_MAX)
        return "is longer than 1024 bytes";
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t k = *u < 0x80 ? 1 : cb_utf8_seqlen(u, n - i);
        if (k == 0)
            return "is not valid UTF-8";
        if (*u == '\n' || *u == '\r')
            return "must be one line";
        if (cb_utf8_is_control(u, k) || (k == 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) ||
            (k == 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))
            return "holds a control character";
        i += k;
    }
    return NULL;
}

static bool take_string(parser *P, const ynode *key, const ynode *v, char **dst, bool required)
{
    if (v->kind != Y_SCALAR) {
        if (v->kind != Y_BAD)
            DIAG(P, v->loc, "'%s' must be a string, not %s", key->str, cb__ytype_name(v));
        return false;
    }
    if (cb__ynull(v)) {
        if (required)
            DIAG(P, v->loc, "'%s' is empty", key->str);
        return false;
    }
    const char *why = field_problem(v->str, v->len);
    if (why) {
        DIAG(P, v->loc, "'%s' %s", key->str, why);
        return false;
    }
    if (required && v->len == 0) {
        DIAG(P, v->loc, "'%s' is empty", key->str);
        return false;
    }
    *dst = strdup(v->str);
    if (!*dst)
        P->Y.nomem = true;
    return *dst != NULL;
}

static void take_list(parser *P, const ynode *key, const ynode *v, cb_kb_strlist *dst)
{
    if (v->kind == Y_SCALAR && cb__ynull(v))
        return;
    if (v->kind != Y_SEQ) {
        if (v->kind != Y_BAD)
            DIAG(P, v->loc, "'%s' must be a list such as [a, b], not %s", key->str, cb__ytype_name(v));
        return;
    }
    if (v->nkids > CB_KB_LIST_MAX) {
        DIAG(P, v->loc, "'%s' has more than %d entries", key->str, CB_KB_LIST_MAX);
        return;
    }
    dst->v = calloc(v->nkids ? v->nkids : 1, sizeof *dst->v);
    if (!dst->v) {
        P->Y.nomem = true;
        return;
    }
    for (size_t i = 0; i < v->nkids; i++) {
        const ynode *e = v->kids[i];
        if (e->kind != Y_SCALAR || cb__ynull(e) || e->len == 0) {
            if (e->kind != Y_BAD)
                DIAG(P, e->loc, "each entry of '%s' must be a non-empty string, not %s", key->str,
                     e->len == 0 && e->kind == Y_SCALAR ? "empty" : cb__ytype_name(e));
            continue;
        }
        const char *why = field_problem(e->str, e->len);
        if (why) {
            DIAG(P, e->loc, "an entry of '%s' %s", key->str, why);
            continue;
        }
        if (!(dst->v[dst->n] = strdup(e->str))) {
            P->Y.nomem = true;
            return;
        }
        dst->n++;
    }
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, a real calendar date. */
static bool date_valid(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 20)
        return false;
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    if (n == 10)
        return true;
    return s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) && s[16] == ':' &&
           digits(s + 17, 2) && s[19] == 'Z' && num(s + 11, 2) < 24 && num(s + 14, 2) < 60 && num(s + 17, 2) < 60;
}

static void read_front(parser *P, const ynode *root, cb_pbloc start)
{
    cb_article *a = P->a;
    if (!root || (root->kind == Y_SCALAR && cb__ynull(root))) {
        DIAG(P, start, "the front matter is empty: an article needs at least id, title, state and audience");
        return;
    }
    if (root->kind != Y_MAP) {
        if (root->kind != Y_BAD)
            DIAG(P, root->loc, "the front matter must be a mapping of keys (id: ..., title: ...), not %s",
                 cb__ytype_name(root));
        return;
    }
    for (size_t i = 0; i + 1 < root->nkids; i += 2) {
        const ynode *k = root->kids[i], *v = root->kids[i + 1];
        if (k->kind != Y_SCALAR)
            continue; /* reported by ytree */
        int key = from_name(key_names, K__COUNT, k->str);
        if (key < 0) {
            bool derived = false;
            for (size_t d = 0; d < CB_ARRAY_LEN(derived_keys); d++)
                derived = derived || !strcmp(k->str, derived_keys[d]);
            if (derived)
                DIAG(P, k->loc, "'%s' is derived by casebook from cases and revisions and cannot be set in the file",
                     qs(P, k->str));
            else
                DIAG(P, k->loc,
                     "unknown key '%s' (known: id, title, state, audience, product, versions, tags, owner, created, "
                     "updated, reviewed, playbooks, defect)",
                     qs(P, k->str));
            continue;
        }
        if (P->key_loc[key].line)
            continue; /* a duplicate, reported by ytree */
        P->key_loc[key] = k->loc;
        char *s = NULL;
        switch ((enum key)key) {
        case K_ID:
            if (take_string(P, k, v, &a->id, true) && !cb_kb_id_valid(a->id))
                DIAG(P, v->loc,
                     "id '%s' does not follow the id rule: KB-, a domain of 2 to 8 capitals or digits starting "
                     "with a letter, -, 4 to 8 digits (KB-NET-0001)",
                     qs(P, a->id));
            break;
        case K_TITLE:
            take_string(P, k, v, &a->title, true);
            break;
        case K_STATE:
            if (take_string(P, k, v, &s, true)) {
                P->state_known = cb_kb_state_from_name(s, &a->state);
                if (!P->state_known)
                    DIAG(P, v->loc, "unknown state '%s' (wip, not-validated, validated, archived)", qs(P, s));
            }
            break;
        case K_AUDIENCE:
            if (take_string(P, k, v, &s, true) && !cb_kb_audience_from_name(s, &a->audience))
                DIAG(P, v->loc, "unknown audience '%s' (internal, partner, public)", qs(P, s));
            break;
        case K_PRODUCT:
            take_string(P, k, v, &a->product, false);
            break;
        case K_VERSIONS:
            take_string(P, k, v, &a->versions, false);
            break;
        case K_TAGS:
            take_list(P, k, v, &a->tags);
            break;
        case K_OWNER:
            take_string(P, k, v, &a->owner, false);
            break;
        case K_CREATED:
        case K_UPDATED:
        case K_REVIEWED: {
            char **dst = key == K_CREATED ? &a->created : key == K_UPDATED ? &a->updated : &a->reviewed;
            if (take_string(P, k, v, dst, false) && !date_valid(*dst))
                DIAG(P, v->loc, "'%s' must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not '%s'", k->str,
                     qs(P, *dst));
            break;
        }
        case K_PLAYBOOKS:
            take_list(P, k, v, &a->playbooks);
            break;
        case K_DEFECT:
            take_string(P, k, v, &a->defect, false);
            break;
        default:
            break;
        }
        free(s);
    }
    static const enum key required[] = {K_ID, K_TITLE, K_STATE, K_AUDIENCE};
    for (size_t i = 0; i < CB_ARRAY_LEN(required); i++)
        if (!P->key_loc[required[i]].line)
            DIAG(P, start, "missing required key '%s' in the front matter", key_names[required[i]]);
}

/* ---- body -------------------------------------------------------------------------------------- */

static bool blank_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return false;
    return true;
}

/* A fence line: 3 or more ` or ~ at the start (CommonMark allows up to 3 spaces of indent). */
static size_t fence_len(const char *s, size_t n, char *ch)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i >= n || (s[i] != '`' && s[i] != '~'))
        return 0;
    char c = s[i];
    size_t k = 0;
    while (i + k < n && s[i + k] == c)
        k++;
    if (k < 3)
        return 0;
    *ch = c;
    return k;
}

static void set_section(parser *P, int sec, const char *s, size_t n)
{
    if (sec < 0 || blank_text(s, n))
        return;
    bool nl = n > 0 && s[n - 1] == '\n';
    char *t = malloc(n + 2);
    if (!t) {
        P->Y.nomem = true;
        return;
    }
    memcpy(t, s, n);
    if (!nl)
        t[n++] = '\n';
    t[n] = '\0';
    P->a->section[sec] = t;
}

static void read_body(parser *P, const char *text, size_t len, size_t pos, int line)
{
    int cur = -1; /* section being read; -1 before the first or after an unknown one */
    size_t cur_start = pos;
    bool seen[CB_KB__SECTIONS] = {false};
    bool in_fence = false, stray_reported = false;
    char fence_ch = 0;
    size_t fence_n = 0;
    int fence_line = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        size_t next = pos + n + (nl ? 1 : 0);
        char ch = 0;
        size_t f = fence_len(s, n, &ch);
        if (in_fence) {
            if (f >= fence_n && ch == fence_ch)
                in_fence = false;
        } else if (f) {
            in_fence = true;
            fence_ch = ch;
            fence_n = f;
            fence_line = line;
        } else if (n >= 3 && !memcmp(s, "## ", 3)) {
            if (cur >= 0)
                set_section(P, cur, text + cur_start, pos - cur_start);
            size_t e = n;
            while (e > 3 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
            size_t b = 3;
            while (b < e && s[b] == ' ')
                b++;
            cur = -1;
            for (int i = 0; i < CB_KB__SECTIONS; i++)
                if (e - b == strlen(section_names[i]) && !memcmp(s + b, section_names[i], e - b))
                    cur = i;
            cb_pbloc loc = {line, (int)b + 1};
            if (cur < 0) {
                char name[128];
                size_t k = cb_utf8_boundary(s + b, CB_MIN(e - b, sizeof name - 1));
                memcpy(name, s + b, k);
                name[k] = '\0';
                DIAG(P, loc, "unknown section '%s' (Issue, Environment, Resolution, Cause, Internal)", qs(P, name));
            } else if (seen[cur]) {
                DIAG(P, loc, "section '%s' given twice (first at line %d)", section_names[cur],
                     P->a->section_line[cur]);
                cur = -1; /* the first one stands */
            } else {
                seen[cur] = true;
                P->a->section_line[cur] = line;
            }
            cur_start = next;
        } else if (cur < 0 && !seen[0] && !stray_reported && !blank_text(s, n)) {
            bool any = false;
            for (int i = 0; i < CB_KB__SECTIONS; i++)
                any = any || seen[i];
            if (!any) {
                DIAG(P, ((cb_pbloc){line, 1}), "text before the first section: start the body with '## Issue'");
                stray_reported = true;
            }
        }
        pos = next;
        line++;
    }
    if (cur >= 0)
        set_section(P, cur, text + cur_start, len - cur_start);
    /* Headings after an unclosed fence are text: written back in another order they would not be. */
    if (in_fence)
        DIAG(P, ((cb_pbloc){fence_line, 1}), "code block opened here is not closed (a line of %zu %c)", fence_n,
             fence_ch);
}

/* Sections the state needs, reported where they are (or at the state key). */
static void check_sections(parser *P)
{
    if (!P->state_known)
        return;
    cb_kb_state st = P->a->state;
    for (int i = 0; i < CB_KB__SECTIONS; i++) {
        if (P->a->section[i] || !cb__kb_state_needs(st, (cb_kb_section)i))
            continue;
        if (P->a->section_line[i])
            DIAG(P, ((cb_pbloc){P->a->section_line[i], 1}), "section '%s' is empty: a %s article needs it",
                 section_names[i], state_names[st]);
        else
            DIAG(P, P->key_loc[K_STATE], "missing section '## %s': a %s article needs it", section_names[i],
                 state_names[st]);
    }
}

/* ---- parse ------------------------------------------------------------------------------------- */

cb_status cb_article_parse(const char *path, const char *text, size_t len, cb_article **out, cb_diags *diags)
{
    if (out)
        *out = NULL;
    if (!out || !diags || (!text && len))
        return CB_EINVAL;
    parser P;
    memset(&P, 0, sizeof P);
    P.Y.file = path ? path : "";
    P.Y.names = &article_names;
    P.Y.diags = diags;
    cb_status st = CB_EPARSE;
    char *buf = NULL;
    if (len > CB_KB_ARTICLE_MAX) {
        DIAG(&P, ((cb_pbloc){0, 0}), "file is larger than the %d MiB an article may have", CB_KB_ARTICLE_MAX >> 20);
        goto out;
    }
    /* A copy without a byte-order mark and with CR LF made LF: the values do not depend on either. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    buf = malloc(len + 1);
    if (!buf) {
        st = CB_ENOMEM;
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        /* A CR ending the file ends its last line, as CR LF would (the final newline is supplied anyway). */
        char c = text[i] == '\r' && i + 1 == len ? '\n' : text[i];
        /* Every CR before a line end goes ("\r\r\n" too): no CR LF may be left for the next parse to remove. */
        while (c == '\n' && n > 0 && buf[n - 1] == '\r')
            n--;
        buf[n++] = c;
    }
    buf[n] = '\0';
    if (!cb__ytext_check(&P.Y, (const unsigned char *)buf, n))
        goto out;
    if (!(P.a = calloc(1, sizeof *P.a))) {
        st = CB_ENOMEM;
        goto out;
    }
    if (n < 4 || memcmp(buf, "---\n", 4) != 0) {
        DIAG(&P, ((cb_pbloc){1, 1}), "an article starts with a line '---' and YAML front matter (id: ..., title: ...)");
        goto out;
    }
    /* The closing line "---"; the YAML given to libyaml includes the opening one, a document start, so that
     * its line numbers are the file's. */
    size_t pos = 4, close = 0;
    int line = 2;
    bool closed = false;
    while (pos < n) {
        const char *nl = memchr(buf + pos, '\n', n - pos);
        size_t ln = nl ? (size_t)(nl - (buf + pos)) : n - pos;
        if (ln == 3 && !memcmp(buf + pos, "---", 3)) {
            close = pos;
            pos += ln + (nl ? 1 : 0);
            closed = true;
            break;
        }
        pos += ln + (nl ? 1 : 0);
        line++;
    }
    if (!closed) {
        DIAG(&P, ((cb_pbloc){1, 1}), "the front matter is not closed: no line '---' after line 1");
        goto out;
    }
    P.Y.text = (const unsigned char *)buf;
    P.Y.len = close;
    ynode *root = NULL;
    st = cb__yfile_tree(&P.Y, &root);
    if (st == CB_ENOMEM)
        goto out;
    if (st == CB_OK)
        read_front(&P, root, (cb_pbloc){1, 1});
    read_body(&P, buf, n, pos, line + 1);
    if (st == CB_OK)
        check_sections(&P);
    st = P.Y.nomem ? CB_ENOMEM : P.Y.ndiags ? CB_EPARSE : CB_OK;
out:
    if (st == CB_OK && P.Y.ndiags)
        st = CB_EPARSE;
    if (st == CB_OK) {
        *out = P.a;
        P.a = NULL;
    }
    cb_article_free(P.a);
    cb__yfile_release(&P.Y);
    free(buf);
    return st;
}

/* ---- format ------------------------------------------------------------------------------------ */

/*
 * Plain when libyaml reads the text back as the same string (and not as a
 * null): no indicator at the start, no ": " or " #", no blank at either end;
 * in a flow list also none of ,[]{}: (parse has already refused control
 * characters and line breaks).  Else double-quoted.
 */
static bool plain_ok(const char *s, bool flow)
{
    size_t n = strlen(s);
    if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
        return false;
    if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ':')
        return false;
    if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\t'))
        return false;
    if (flow && strpbrk(s, ",[]{}:#"))
        return false;
    return true;
}

static cb_status put_value(cb_buf *b, const char *s, bool flow)
{
    if (plain_ok(s, flow))
        return cb_buf_puts(b, s);
    cb_status st = cb_buf_putc(b, '"');
    for (const char *p = s; !st && *p; p++) {
        if (*p == '"' || *p == '\\')
            st = cb_buf_putc(b, '\\');
        if (!st)
            st = cb_buf_putc(b, *p);
    }
    return st ? st : cb_buf_putc(b, '"');
}

static cb_status put_field(cb_buf *b, const char *key, const char *v)
{
    if (!v)
        return CB_OK;
    cb_status st = cb_buf_printf(b, "%s: ", key);
    if (!st)
        st = put_value(b, v, false);
    return st ? st : cb_buf_putc(b, '\n');
}

static cb_status put_list(cb_buf *b, const char *key, const cb_kb_strlist *l)
{
    if (!l->n)
        return CB_OK;
    cb_status st = cb_buf_printf(b, "%s: [", key);
    for (size_t i = 0; !st && i < l->n; i++) {
        if (i)
            st = cb_buf_puts(b, ", ");
        if (!st)
            st = put_value(b, l->v[i], true);
    }
    return st ? st : cb_buf_puts(b, "]\n");
}

char *cb_article_format(const cb_article *a)
{
    if (!a)
        return NULL;
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    cb_status st = cb_buf_puts(&b, "---\n");
    if (!st)
        st = put_field(&b, "id", a->id ? a->id : "");
    if (!st)
        st = put_field(&b, "title", a->title ? a->title : "");
    if (!st)
        st = put_field(&b, "state", cb_kb_state_name(a->state));
    if (!st)
        st = put_field(&b, "audience", cb_kb_audience_name(a->audience));
    if (!st)
        st = put_field(&b, "product", a->product);
    if (!st)
        st = put_field(&b, "versions", a->versions);
    if (!st)
        st = put_list(&b, "tags", &a->tags);
    if (!st)
        st = put_field(&b, "owner", a->owner);
    if (!st)
        st = put_field(&b, "created", a->created);
    if (!st)
        st = put_field(&b, "updated", a->updated);
    if (!st)
        st = put_field(&b, "reviewed", a->reviewed);
    if (!st)
        st = put_list(&b, "playbooks", &a->playbooks);
    if (!st)
        st = put_field(&b, "defect", a->defect);
    if (!st)
        st = cb_buf_puts(&b, "---\n");
    for (int i = 0; !st && i < CB_KB__SECTIONS; i++) {
        if (!a->section[i])
            continue;
        st = cb_buf_printf(&b, "## %s\n", section_names[i]);
        if (!st)
            st = cb_buf_puts(&b, a->section[i]);
        size_t sl = strlen(a->section[i]);
        if (!st && (sl == 0 || a->section[i][sl - 1] != '\n'))
            st = cb_buf_putc(&b, '\n');
    }
    char *out = st ? NULL : cb_buf_detach(&b, NULL);
    cb_buf_release(&b);
    return out;
}
