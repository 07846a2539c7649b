/*
 * case.c — support cases on the store (case.h): creating a case with its
 * triage rows, reading and listing cases, and the writes that change one
 * (notes, KCS links, escalations, closing).  Every write checks its input
 * before it opens its transaction, and everything it checks in the store
 * (the person acting, the case, the article) inside it, so that a refused
 * write leaves the store as it was.  Walks are src/case/walks.c; similar
 * cases src/case/similar.c.  docs/knowledge.md ("Cases") describes them.
 */
#include "core/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/utf8.h"
#include "case/case_int.h"

/* ------------------------------------------------------------------ */
/* Names and shared checks                                             */
/* ------------------------------------------------------------------ */

static const char *const status_names[] = {"open", "waiting", "resolved", "closed"};
static const char *const link_names[] = {"reused", "created", "modified"};

bool cb_case_id_valid(const char *id)
{
    if (!id || strncmp(id, "CASE-", 5) != 0)
        return false;
    size_t n = 0;
    for (const char *p = id + 5; *p; p++, n++)
        if (*p < '0' || *p > '9')
            return false;
    return n >= 4 && n <= 18;
}

const char *cb_case_status_name(cb_case_status s)
{
    return (unsigned)s < CB_ARRAY_LEN(status_names) ? status_names[s] : NULL;
}

bool cb_case_status_from_name(const char *name, cb_case_status *out)
{
    for (size_t i = 0; name && i < CB_ARRAY_LEN(status_names); i++)
        if (strcmp(name, status_names[i]) == 0) {
            *out = (cb_case_status)i;
            return true;
        }
    return false;
}

const char *cb_link_type_name(cb_link_type t)
{
    return (unsigned)t < CB_ARRAY_LEN(link_names) ? link_names[t] : NULL;
}

bool cb_link_type_from_name(const char *name, cb_link_type *out)
{
    for (size_t i = 0; name && i < CB_ARRAY_LEN(link_names); i++)
        if (strcmp(name, link_names[i]) == 0) {
            *out = (cb_link_type)i;
            return true;
        }
    return false;
}

cb_status cb__case_text_check(const char *what, const char *s, size_t max, bool required, bool multiline,
                              cb_error *err)
{
    if (!s || !*s)
        return required ? cb_error_set(err, CB_EINVAL, "%s must not be empty", what) : CB_OK;
    size_t n = strlen(s);
    if (n > max)
        return cb_error_set(err, CB_EINVAL, "%s is at most %zu bytes (this one has %zu)", what, max, n);
    if (!cb_utf8_valid(s, n))
        return cb_error_set(err, CB_EINVAL, "%s must be valid UTF-8", what);
    bool blank = true;
    for (size_t i = 0; i < n;) {
        size_t k = cb_utf8_seqlen((const unsigned char *)s + i, n - i);
        if (k == 0)
            k = 1;
        bool allowed = multiline && (s[i] == '\n' || s[i] == '\t');
        if (!allowed && cb_utf8_is_control((const unsigned char *)s + i, k))
            return cb_error_set(err, CB_EINVAL, "%s must not contain control characters%s", what,
                                multiline ? "" : " (one line)");
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t')
            blank = false;
        i += k;
    }
    if (required && blank)
        return cb_error_set(err, CB_EINVAL, "%s must not be only blanks", what);
    return CB_OK;
}

/*
 * JSON syntax (RFC 8259), checked without allocating: jansson reports some
 * failed allocations as syntax errors, and a stored summary that is refused
 * as "not JSON" when memory ran out would be a wrong answer.  Nesting is
 * kept in a fixed stack, deeper than any transcript casebook writes.
 */
enum { JSON_DEPTH_MAX = 512 };

static size_t json_ws(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

static bool json_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool json_hex(char c)
{
    return json_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at t[i] == '"': the index after its closing quote, or 0 when it is not one. */
static size_t json_string(const char *t, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '"')
            return i + 1;
        if (c < 0x20)
            return 0;
        if (c != '\\')
            continue;
        if (++i >= n)
            return 0;
        if (t[i] == 'u') {
            if (i + 4 >= n || !json_hex(t[i + 1]) || !json_hex(t[i + 2]) || !json_hex(t[i + 3]) || !json_hex(t[i + 4]))
                return 0;
            i += 4;
        } else if (!strchr("\"\\/bfnrt", t[i]) || !t[i]) {
            return 0;
        }
    }
    return 0;
}

/* A number or literal at t[i]: the index after it, or 0. */
static size_t json_scalar(const char *t, size_t n, size_t i)
{
    static const char *const lit[] = {"true", "false", "null"};
    for (size_t k = 0; k < CB_ARRAY_LEN(lit); k++) {
        size_t l = strlen(lit[k]);
        if (n - i >= l && memcmp(t + i, lit[k], l) == 0)
            return i + l;
    }
    if (i < n && t[i] == '-')
        i++;
    if (i >= n || !json_digit(t[i]))
        return 0;
    if (t[i] == '0')
        i++;
    else
        while (i < n && json_digit(t[i]))
            i++;
    if (i < n && t[i] == '.') {
        if (++i >= n || !json_digit(t[i]))
            return 0;
        while (i < n && json_digit(t[i]))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        if (++i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= n || !json_digit(t[i]))
            return 0;
        while (i < n && json_digit(t[i]))
            i++;
    }
    return i;
}

static bool json_syntax_ok(const char *t, size_t n)
{
    char stack[JSON_DEPTH_MAX]; /* '{' or '[' per open container */
    size_t depth = 0, i = json_ws(t, n, 0);
    for (;;) {
        /* A value at i. */
        if (i >= n)
            return false;
        if (t[i] == '{' || t[i] == '[') {
            if (depth == JSON_DEPTH_MAX)
                return false;
            stack[depth++] = t[i];
            i = json_ws(t, n, i + 1);
            if (i < n && t[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
                depth--;
                i++;
                goto after_value;
            }
            if (stack[depth - 1] == '{')
                goto member;
            continue;
        }
        if (!(i = t[i] == '"' ? json_string(t, n, i) : json_scalar(t, n, i)))
            return false;
    after_value:
        i = json_ws(t, n, i);
        if (depth == 0)
            return i == n;
        if (i < n && t[i] == ',') {
            i = json_ws(t, n, i + 1);
            if (stack[depth - 1] == '{')
                goto member;
            continue;
        }
        if (i < n && t[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
            depth--;
            i++;
            goto after_value;
        }
        return false;
    member:
        /* "key" : then the value. */
        if (i >= n || t[i] != '"' || !(i = json_string(t, n, i)))
            return false;
        i = json_ws(t, n, i);
        if (i >= n || t[i] != ':')
            return false;
        i = json_ws(t, n, i + 1);
    }
}

cb_status cb__case_json_check(const char *what, const char *text, size_t n, cb_error *err)
{
    if (!cb_utf8_valid(text, n) || !json_syntax_ok(text, n))
        return cb_error_set(err, CB_EINVAL, "%s is not JSON", what);
    return CB_OK;
}

/* The first column of sql's first row as an integer into *v (0 when no row); *row whether there was one. */
static cb_status query_int(cb_store *s, const char *sql, const cb_store_value *p, size_t np, int64_t *v, bool *row,
                           cb_error *err)
{
    cb_store_rows *r = NULL;
    bool has = false;
    *v = 0;
    cb_status st = cb_store_query(s, sql, p, np, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &has, err);
    if (st == CB_OK && has)
        *v = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    if (row)
        *row = has;
    return st;
}

cb_status cb__case_check_person(cb_store *s, const char *what, const char *handle, cb_error *err)
{
    cb_store_value h = cb_store_text(handle);
    int64_t v;
    bool row = false;
    cb_status st = query_int(s, "SELECT 1 FROM people WHERE handle = $1", &h, 1, &v, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "%s: no person '%s'", what, handle);
    return st;
}

cb_status cb__case_check_who(cb_store *s, const char *who, cb_error *err)
{
    if (who)
        return cb__case_check_person(s, "acting person", who, err);
    int64_t n = 0;
    cb_status st = query_int(s, "SELECT COUNT(*) FROM people", NULL, 0, &n, NULL, err);
    if (st == CB_OK && n > 0)
        st = cb_error_set(err, CB_EINVAL, "who is acting? once the store has people, every write names its author");
    return st;
}

cb_status cb__case_check(cb_store *s, const char *id, cb_case_status *status, cb_error *err)
{
    if (!cb_case_id_valid(id))
        return cb_error_set(err, CB_ENOTFOUND, "no case %s (a case id is CASE- and 4 to 18 digits)",
                            id ? id : "(null)");
    cb_store_value p = cb_store_text(id);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s, "SELECT status FROM cases WHERE id = $1", &p, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no case %s", id);
    if (st == CB_OK && status && !cb_case_status_from_name(cb_store_rows_text(r, 0), status))
        st = cb_error_set(err, CB_ECORRUPT, "case %s: unknown status in the store", id);
    cb_store_rows_free(r);
    return st;
}

cb_status cb__case_next_n(cb_store *s, const char *table, const char *id, unsigned *n, cb_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(n), 0) + 1 FROM %s WHERE case_id = $1", table);
    cb_store_value p = cb_store_text(id);
    int64_t v = 0;
    cb_status st = query_int(s, sql, &p, 1, &v, NULL, err);
    if (st == CB_OK && (v < 1 || v > (int64_t)UINT32_MAX))
        st = cb_error_set(err, CB_EINVAL, "case %s has too many rows in %s", id, table);
    *n = st == CB_OK ? (unsigned)v : 0;
    return st;
}

cb_status cb__case_finish(cb_store *s, cb_status st, cb_error *err)
{
    if (st == CB_OK)
        return cb_store_commit(s, err);
    cb_store_rollback(s, NULL);
    return st;
}

char *cb__case_col(const cb_store_rows *r, int col, bool *oom)
{
    const char *t = cb_store_rows_text(r, col);
    if (!t)
        return NULL;
    char *c = strdup(t);
    if (!c)
        *oom = true;
    return c;
}

bool cb__case_entry_fill(cb_case_entry *e, const cb_store_rows *r)
{
    bool oom = false;
    memset(e, 0, sizeof *e);
    e->id = cb__case_col(r, 0, &oom);
    e->title = cb__case_col(r, 1, &oom);
    e->customer = cb__case_col(r, 2, &oom);
    e->product = cb__case_col(r, 3, &oom);
    e->version = cb__case_col(r, 4, &oom);
    e->engineer = cb__case_col(r, 5, &oom);
    if (!cb_case_status_from_name(cb_store_rows_text(r, 6), &e->status))
        e->status = CB_CASE_OPEN;
    e->severity = (int)cb_store_rows_int(r, 7);
    e->opened = cb__case_col(r, 8, &oom);
    e->closed = cb__case_col(r, 9, &oom);
    return !oom;
}

void cb__case_entry_release(cb_case_entry *e)
{
    free(e->id);
    free(e->title);
    free(e->customer);
    free(e->product);
    free(e->version);
    free(e->engineer);
    free(e->opened);
    free(e->closed);
    memset(e, 0, sizeof *e);
}

/* ------------------------------------------------------------------ */
/* Triage rows                                                         */
/* ------------------------------------------------------------------ */

void cb_case_triage_release(cb_case_triage *ct)
{
    if (!ct)
        return;
    for (size_t i = 0; i < ct->nfired; i++) {
        free(ct->fired[i].playbook);
        free(ct->fired[i].node);
        free(ct->fired[i].article);
    }
    for (size_t i = 0; i < ct->nsigs; i++) {
        free(ct->sigs[i].playbook);
        free(ct->sigs[i].signature);
    }
    free(ct->fired);
    free(ct->sigs);
    memset(ct, 0, sizeof *ct);
}

/* A heap copy of s (NULL stays NULL); *oom set when the copy failed. */
static char *dup_opt(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = true;
    return c;
}

cb_status cb_case_triage_from(const cb_triage *t, cb_case_triage *out)
{
    if (!out)
        return CB_EINVAL;
    memset(out, 0, sizeof *out);
    if (!t)
        return CB_EINVAL;
    bool oom = false;
    for (size_t i = 0; i < t->nranked && !oom; i++) {
        const cb_finding *f = t->ranked[i];
        const cb_playbook *pb = f->pb;
        if (!cb__grow((void **)&out->fired, &out->capfired, out->nfired + 1, sizeof *out->fired)) {
            oom = true;
            break;
        }
        cb_case_fired *cf = &out->fired[out->nfired++];
        memset(cf, 0, sizeof *cf);
        cf->rank = (unsigned)(i + 1);
        cf->playbook = dup_opt(pb->id.s, &oom);
        if (f->walk.npath > 0 && f->walk.stop_node >= 0 && (size_t)f->walk.stop_node < pb->nnodes) {
            const cb_node *stop = &pb->nodes[f->walk.stop_node];
            cf->node = dup_opt(stop->id, &oom);
            if (f->walk.stop == CB_WALK_CONCLUDED)
                cf->article = dup_opt(stop->article.s, &oom);
        }
        for (size_t k = 0; k < pb->nsignatures && !oom; k++) {
            const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + k];
            if (!pr->count)
                continue;
            if (!cb__grow((void **)&out->sigs, &out->capsigs, out->nsigs + 1, sizeof *out->sigs)) {
                oom = true;
                break;
            }
            cb_case_sighit *sh = &out->sigs[out->nsigs++];
            sh->hits = pr->count;
            sh->playbook = dup_opt(pb->id.s, &oom);
            sh->signature = dup_opt(pb->signatures[k].id, &oom);
        }
    }
    return oom ? CB_ENOMEM : CB_OK;
}

/* ------------------------------------------------------------------ */
/* Create                                                              */
/* ------------------------------------------------------------------ */

/* Every field of c against its bounds (case.h), before the transaction. */
static cb_status check_new(const cb_case_new *c, cb_error *err)
{
    cb_status st;
    if ((st = cb__case_text_check("a title", c->title, CB_CASE_TITLE_MAX, true, false, err)) ||
        (st = cb__case_text_check("customer", c->customer, CB_CASE_FIELD_MAX, false, false, err)) ||
        (st = cb__case_text_check("product", c->product, CB_CASE_FIELD_MAX, false, false, err)) ||
        (st = cb__case_text_check("version", c->version, CB_CASE_FIELD_MAX, false, false, err)) ||
        (st = cb__case_text_check("environment", c->environment, CB_CASE_TEXT_MAX, false, true, err)) ||
        (st = cb__case_text_check("the bundle path", c->bundle_path, CB_CASE_TEXT_MAX, false, false, err)) ||
        (st = cb__case_text_check("the bundle fingerprint", c->bundle_fingerprint, 128, false, false, err)))
        return st;
    if (c->severity < 0 || c->severity > 4)
        return cb_error_set(err, CB_EINVAL, "severity is 1 (highest) to 4, or none (got %d)", c->severity);
    if (c->engineer && !cb_people_handle_valid(c->engineer))
        return cb_error_set(err, CB_ENOTFOUND, "engineer: no person '%s'", c->engineer);
    if (c->bundle_path && c->bundle_path[0] && c->bundle_path[0] != '/')
        return cb_error_set(err, CB_EINVAL, "the bundle path must be absolute: '%s'", c->bundle_path);
    if (c->triage_json) {
        size_t n = strlen(c->triage_json);
        if (n > CB_CASE_TRIAGE_MAX)
            return cb_error_set(err, CB_EINVAL, "a triage summary is at most %d bytes (this one has %zu)",
                                CB_CASE_TRIAGE_MAX, n);
        cb_status st2 = cb__case_json_check("the triage summary", c->triage_json, n, err);
        if (st2)
            return st2;
    }
    const cb_case_triage *t = c->triage;
    for (size_t i = 0; t && i < t->nfired; i++) {
        if (!t->fired[i].playbook || !*t->fired[i].playbook || t->fired[i].rank < 1)
            return cb_error_set(err, CB_EINVAL, "triage row %zu: a playbook id and a rank from 1 are needed", i + 1);
        for (size_t k = 0; k < i; k++)
            if (strcmp(t->fired[k].playbook, t->fired[i].playbook) == 0)
                return cb_error_set(err, CB_EINVAL, "triage rows: playbook '%s' twice", t->fired[i].playbook);
    }
    for (size_t i = 0; t && i < t->nsigs; i++) {
        const cb_case_sighit *h = &t->sigs[i];
        if (!h->playbook || !h->signature || !*h->signature || h->hits == 0 || h->hits > INT64_MAX)
            return cb_error_set(err, CB_EINVAL, "triage signature row %zu: a playbook, a signature and hits > 0",
                                i + 1);
        bool fired = false;
        for (size_t k = 0; k < t->nfired && !fired; k++)
            fired = strcmp(t->fired[k].playbook, h->playbook) == 0;
        if (!fired)
            return cb_error_set(err, CB_EINVAL, "triage rows: signature %s/%s of a playbook that did not fire",
                                h->playbook, h->signature);
    }
    return CB_OK;
}

/* The next case id: one more than the largest number in use. */
static cb_status next_id(cb_store *s, char id[CB_CASE_ID_SIZE], cb_error *err)
{
    int64_t max = 0;
    cb_status st = query_int(s, "SELECT COALESCE(MAX(CAST(substr(id, 6) AS BIGINT)), 0) FROM cases", NULL, 0, &max,
                             NULL, err);
    if (st != CB_OK)
        return st;
    if (max < 0 || max >= INT64_C(999999999999999999))
        return cb_error_set(err, CB_EINVAL, "no case id is left");
    char text[32]; /* at most 18 digits by the check above; the compiler cannot tell */
    snprintf(text, sizeof text, "CASE-%04" PRId64, max + 1);
    cb__strlcpy(id, text, CB_CASE_ID_SIZE);
    return CB_OK;
}

static cb_status write_triage(cb_store *s, const char *id, const cb_case_triage *t, cb_error *err)
{
    cb_status st = CB_OK;
    for (size_t i = 0; st == CB_OK && i < t->nfired; i++) {
        const cb_case_fired *f = &t->fired[i];
        cb_store_value v[5] = {cb_store_text(id), cb_store_text(f->playbook), cb_store_int(f->rank),
                               cb_store_text(f->node), cb_store_text(f->article)};
        st = cb_store_exec(s, "INSERT INTO case_playbooks (case_id, playbook, rank, node, article)"
                              " VALUES ($1, $2, $3, $4, $5)", v, 5, NULL, err);
    }
    for (size_t i = 0; st == CB_OK && i < t->nsigs; i++) {
        const cb_case_sighit *h = &t->sigs[i];
        cb_store_value v[4] = {cb_store_text(id), cb_store_text(h->playbook), cb_store_text(h->signature),
                               cb_store_int((int64_t)h->hits)};
        st = cb_store_exec(s, "INSERT INTO case_signatures (case_id, playbook, signature, hits)"
                              " VALUES ($1, $2, $3, $4)", v, 4, NULL, err);
    }
    return st;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

cb_status cb_case_create(cb_store *s, const cb_case_new *c, const char *who, char id_out[CB_CASE_ID_SIZE],
                         cb_error *err)
{
    if (id_out)
        id_out[0] = '\0';
    if (!s || !c || !id_out)
        return cb_error_set(err, CB_EINVAL, "cb_case_create: NULL argument");
    cb_status st = check_new(c, err);
    if (st || (st = cb_store_begin(s, err)))
        return st;
    char id[CB_CASE_ID_SIZE], now[CB_STORE_TIME_SIZE];
    const char *engineer = c->engineer ? c->engineer : who;
    st = cb__case_check_who(s, who, err);
    if (st == CB_OK && c->engineer)
        st = cb__case_check_person(s, "engineer", c->engineer, err);
    if (st == CB_OK)
        st = next_id(s, id, err);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[13] = {
            cb_store_text(id),
            cb_store_text(c->title),
            cb_store_text(nonempty(c->customer)),
            cb_store_text(nonempty(c->product)),
            cb_store_text(nonempty(c->version)),
            cb_store_text(nonempty(c->environment)),
            cb_store_text(engineer),
            cb_store_text(now),
            c->severity ? cb_store_int(c->severity) : cb_store_null(),
            cb_store_text(nonempty(c->bundle_path)),
            cb_store_text(nonempty(c->bundle_fingerprint)),
            cb_store_text(c->triage_json),
            cb_store_text("open"),
        };
        st = cb_store_exec(s,
                           "INSERT INTO cases (id, title, customer, product, version, environment, engineer, opened,"
                           " severity, bundle_path, bundle_fingerprint, triage, status)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                           v, 13, NULL, err);
    }
    if (st == CB_OK && c->triage)
        st = write_triage(s, id, c->triage, err);
    st = cb__case_finish(s, st, err);
    if (st == CB_OK)
        memcpy(id_out, id, sizeof id);
    return st;
}

/* ------------------------------------------------------------------ */
/* Get                                                                 */
/* ------------------------------------------------------------------ */

void cb_case_release(cb_case *c)
{
    if (!c)
        return;
    cb__case_entry_release(&c->e);
    free(c->environment);
    free(c->bundle_path);
    free(c->bundle_fingerprint);
    free(c->triage_json);
    free(c->resolution);
    cb_case_triage_release(&c->triage);
    for (size_t i = 0; i < c->nnotes; i++) {
        free(c->notes[i].author);
        free(c->notes[i].at);
        free(c->notes[i].body);
    }
    free(c->notes);
    for (size_t i = 0; i < c->nwalks; i++) {
        cb_case_walk *w = &c->walks[i];
        free(w->playbook);
        free(w->mode);
        free(w->status);
        free(w->node);
        free(w->article);
        free(w->who);
        free(w->at);
        free(w->transcript);
    }
    free(c->walks);
    for (size_t i = 0; i < c->nlinks; i++) {
        free(c->links[i].article);
        free(c->links[i].who);
        free(c->links[i].at);
    }
    free(c->links);
    for (size_t i = 0; i < c->nescalations; i++) {
        cb_case_escalation *x = &c->escalations[i];
        free(x->from);
        free(x->to);
        free(x->why);
        free(x->playbook);
        free(x->pattern);
        free(x->at);
        free(x->resolved_by);
        free(x->resolved);
    }
    free(c->escalations);
    memset(c, 0, sizeof *c);
}

/*
 * Read the rows of sql ($1 = the case id) one by one: `fill` makes room for
 * one more element (cap: the list's capacity), fills it from the row and
 * counts it; false when out of memory.  One loop for the six lists of a case.
 */
typedef bool (*row_fn)(cb_case *c, size_t *cap, const cb_store_rows *r);

static cb_status read_rows(cb_store *s, const char *sql, cb_case *c, row_fn fill, cb_error *err)
{
    cb_store_value p = cb_store_text(c->e.id);
    cb_store_rows *r = NULL;
    bool row = false;
    size_t cap = 0; /* the list's capacity: cb_case keeps only counts */
    cb_status st = cb_store_query(s, sql, &p, 1, &r, err);
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row)
        if (!fill(c, &cap, r))
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_store_rows_free(r);
    return st;
}

static bool fill_fired(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    (void)cap; /* the triage rows keep their own capacity */
    cb_case_triage *t = &c->triage;
    if (!cb__grow((void **)&t->fired, &t->capfired, t->nfired + 1, sizeof *t->fired))
        return false;
    bool oom = false;
    cb_case_fired *f = &t->fired[t->nfired++];
    f->playbook = cb__case_col(r, 0, &oom);
    f->rank = (unsigned)cb_store_rows_int(r, 1);
    f->node = cb__case_col(r, 2, &oom);
    f->article = cb__case_col(r, 3, &oom);
    return !oom && f->playbook;
}

static bool fill_sig(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    (void)cap;
    cb_case_triage *t = &c->triage;
    if (!cb__grow((void **)&t->sigs, &t->capsigs, t->nsigs + 1, sizeof *t->sigs))
        return false;
    bool oom = false;
    cb_case_sighit *h = &t->sigs[t->nsigs++];
    h->playbook = cb__case_col(r, 0, &oom);
    h->signature = cb__case_col(r, 1, &oom);
    h->hits = (uint64_t)cb_store_rows_int(r, 2);
    return !oom && h->playbook && h->signature;
}

static bool fill_note(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    if (!cb__grow((void **)&c->notes, cap, c->nnotes + 1, sizeof *c->notes))
        return false;
    bool oom = false;
    cb_case_note *n = &c->notes[c->nnotes++];
    n->n = (unsigned)cb_store_rows_int(r, 0);
    n->author = cb__case_col(r, 1, &oom);
    n->at = cb__case_col(r, 2, &oom);
    n->body = cb__case_col(r, 3, &oom);
    return !oom;
}

static bool fill_walk(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    if (!cb__grow((void **)&c->walks, cap, c->nwalks + 1, sizeof *c->walks))
        return false;
    bool oom = false;
    cb_case_walk *w = &c->walks[c->nwalks++];
    w->n = (unsigned)cb_store_rows_int(r, 0);
    w->playbook = cb__case_col(r, 1, &oom);
    w->mode = cb__case_col(r, 2, &oom);
    w->status = cb__case_col(r, 3, &oom);
    w->node = cb__case_col(r, 4, &oom);
    w->article = cb__case_col(r, 5, &oom);
    w->hints_used = (unsigned)cb_store_rows_int(r, 6);
    w->coach_questions = (unsigned)cb_store_rows_int(r, 7);
    w->reveals = (unsigned)cb_store_rows_int(r, 8);
    w->who = cb__case_col(r, 9, &oom);
    w->at = cb__case_col(r, 10, &oom);
    w->transcript = cb__case_col(r, 11, &oom);
    return !oom;
}

static bool fill_link(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    if (!cb__grow((void **)&c->links, cap, c->nlinks + 1, sizeof *c->links))
        return false;
    bool oom = false;
    cb_case_article_link *l = &c->links[c->nlinks++];
    l->article = cb__case_col(r, 0, &oom);
    if (!cb_link_type_from_name(cb_store_rows_text(r, 1), &l->type))
        l->type = CB_LINK_REUSED;
    l->who = cb__case_col(r, 2, &oom);
    l->at = cb__case_col(r, 3, &oom);
    return !oom;
}

static bool fill_escalation(cb_case *c, size_t *cap, const cb_store_rows *r)
{
    if (!cb__grow((void **)&c->escalations, cap, c->nescalations + 1, sizeof *c->escalations))
        return false;
    bool oom = false;
    cb_case_escalation *x = &c->escalations[c->nescalations++];
    x->n = (unsigned)cb_store_rows_int(r, 0);
    x->from = cb__case_col(r, 1, &oom);
    x->to = cb__case_col(r, 2, &oom);
    x->why = cb__case_col(r, 3, &oom);
    x->playbook = cb__case_col(r, 4, &oom);
    x->pattern = cb__case_col(r, 5, &oom);
    x->at = cb__case_col(r, 6, &oom);
    x->resolved_by = cb__case_col(r, 7, &oom);
    x->resolved = cb__case_col(r, 8, &oom);
    return !oom;
}

cb_status cb_case_get(cb_store *s, const char *id, cb_case *out, cb_error *err)
{
    if (!out)
        return cb_error_set(err, CB_EINVAL, "cb_case_get: NULL argument");
    memset(out, 0, sizeof *out);
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_get: NULL argument");
    if (!cb_case_id_valid(id))
        return cb_error_set(err, CB_ENOTFOUND, "no case %s (a case id is CASE- and 4 to 18 digits)",
                            id ? id : "(null)");
    cb_store_value p = cb_store_text(id);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s,
                                  "SELECT " CB__CASE_ENTRY_COLS ", environment, bundle_path, bundle_fingerprint,"
                                  " triage, resolution FROM cases WHERE id = $1",
                                  &p, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no case %s", id);
    if (st == CB_OK) {
        bool oom = !cb__case_entry_fill(&out->e, r);
        out->environment = cb__case_col(r, 10, &oom);
        out->bundle_path = cb__case_col(r, 11, &oom);
        out->bundle_fingerprint = cb__case_col(r, 12, &oom);
        out->triage_json = cb__case_col(r, 13, &oom);
        out->resolution = cb__case_col(r, 14, &oom);
        if (oom || !out->e.id)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(r);
    if (st == CB_OK)
        st = read_rows(s, "SELECT playbook, rank, node, article FROM case_playbooks WHERE case_id = $1"
                          " ORDER BY rank, playbook", out, fill_fired, err);
    if (st == CB_OK)
        st = read_rows(s, "SELECT cs.playbook, cs.signature, cs.hits FROM case_signatures cs"
                          " JOIN case_playbooks cp ON cp.case_id = cs.case_id AND cp.playbook = cs.playbook"
                          " WHERE cs.case_id = $1 ORDER BY cp.rank, cs.playbook, cs.signature", out, fill_sig, err);
    if (st == CB_OK)
        st = read_rows(s, "SELECT n, author, at, body FROM case_notes WHERE case_id = $1 ORDER BY n", out, fill_note,
                       err);
    if (st == CB_OK)
        st = read_rows(s, "SELECT n, playbook, mode, status, node, article, hints_used, coach_questions, reveals,"
                          " who, at, transcript FROM case_walks WHERE case_id = $1 ORDER BY n", out, fill_walk, err);
    if (st == CB_OK)
        st = read_rows(s, "SELECT article, type, who, at FROM article_links WHERE case_id = $1"
                          " ORDER BY at, article, type", out, fill_link, err);
    if (st == CB_OK)
        st = read_rows(s, "SELECT n, from_person, to_person, why, playbook, pattern, at, resolved_by, resolved"
                          " FROM escalations WHERE case_id = $1 ORDER BY n", out, fill_escalation, err);
    if (st != CB_OK)
        cb_case_release(out);
    return st;
}

/* ------------------------------------------------------------------ */
/* List                                                                */
/* ------------------------------------------------------------------ */

void cb_case_listing_release(cb_case_listing *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        cb__case_entry_release(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", with months, days, hours, minutes and seconds in range. */
static bool time_valid(const char *t)
{
    size_t n = strlen(t);
    if ((n != 10 && n != 20) || !digits(t, 4) || t[4] != '-' || !digits(t + 5, 2) || t[7] != '-' ||
        !digits(t + 8, 2))
        return false;
    int mo = (t[5] - '0') * 10 + (t[6] - '0'), d = (t[8] - '0') * 10 + (t[9] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (n == 10)
        return true;
    if (t[10] != 'T' || !digits(t + 11, 2) || t[13] != ':' || !digits(t + 14, 2) || t[16] != ':' ||
        !digits(t + 17, 2) || t[19] != 'Z')
        return false;
    return (t[11] - '0') * 10 + (t[12] - '0') < 24 && (t[14] - '0') * 10 + (t[15] - '0') < 60 &&
           (t[17] - '0') * 10 + (t[18] - '0') < 61;
}

cb_status cb_case_list(cb_store *s, const cb_case_filter *f, cb_case_listing *out, cb_error *err)
{
    if (!out)
        return cb_error_set(err, CB_EINVAL, "cb_case_list: NULL argument");
    memset(out, 0, sizeof *out);
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_list: NULL argument");
    static const cb_case_filter none = {0};
    if (!f)
        f = &none;
    if (f->since && !time_valid(f->since))
        return cb_error_set(err, CB_EINVAL, "since: '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", f->since);
    /* Each condition given adds its placeholder, numbered in order, so that the statement uses $1..$n. */
    char sql[512];
    cb_store_value v[3];
    size_t nv = 0;
    int len = snprintf(sql, sizeof sql, "SELECT " CB__CASE_ENTRY_COLS " FROM cases WHERE 1 = 1");
    if (f->open_only)
        len += snprintf(sql + len, sizeof sql - (size_t)len, " AND status IN ('open', 'waiting')");
    if (f->engineer) {
        v[nv++] = cb_store_text(f->engineer);
        len += snprintf(sql + len, sizeof sql - (size_t)len, " AND engineer = $%zu", nv);
    }
    if (f->customer) {
        v[nv++] = cb_store_text(f->customer);
        len += snprintf(sql + len, sizeof sql - (size_t)len, " AND customer = $%zu", nv);
    }
    if (f->since) {
        v[nv++] = cb_store_text(f->since);
        len += snprintf(sql + len, sizeof sql - (size_t)len, " AND opened >= $%zu", nv);
    }
    snprintf(sql + len, sizeof sql - (size_t)len, " ORDER BY opened DESC, length(id) DESC, id DESC");
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s, sql, v, nv, &r, err);
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        bool ok = cb__case_entry_fill(&out->v[out->n], r);
        out->n++; /* counted even when partly filled, so that release frees what was */
        if (!ok)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(r);
    if (st != CB_OK)
        cb_case_listing_release(out);
    return st;
}

/* ------------------------------------------------------------------ */
/* Changing a case                                                     */
/* ------------------------------------------------------------------ */

/* Start a write on case id by who: the transaction is open on CB_OK, closed otherwise. */
static cb_status begin_on(cb_store *s, const char *id, const char *who, cb_case_status *status, cb_error *err)
{
    cb_status st = cb_store_begin(s, err);
    if (st)
        return st;
    st = cb__case_check_who(s, who, err);
    if (st == CB_OK)
        st = cb__case_check(s, id, status, err);
    if (st)
        cb_store_rollback(s, NULL);
    return st;
}

cb_status cb_case_note_add(cb_store *s, const char *id, const char *body, const char *who, unsigned *n,
                           cb_error *err)
{
    if (n)
        *n = 0;
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_note_add: NULL argument");
    cb_status st = cb__case_text_check("a note", body, CB_CASE_TEXT_MAX, true, true, err);
    if (st || (st = begin_on(s, id, who, NULL, err)))
        return st;
    unsigned k = 0;
    char now[CB_STORE_TIME_SIZE];
    st = cb__case_next_n(s, "case_notes", id, &k, err);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[5] = {cb_store_text(id), cb_store_int(k), cb_store_text(who), cb_store_text(now),
                               cb_store_text(body)};
        st = cb_store_exec(s, "INSERT INTO case_notes (case_id, n, author, at, body) VALUES ($1, $2, $3, $4, $5)", v,
                           5, NULL, err);
    }
    st = cb__case_finish(s, st, err);
    if (st == CB_OK && n)
        *n = k;
    return st;
}

/* The link, inside the caller's transaction (the case and who already checked). */
static cb_status link_in(cb_store *s, const char *id, const char *article, cb_link_type type, const char *who,
                         cb_error *err)
{
    if (!cb_link_type_name(type))
        return cb_error_set(err, CB_EINVAL, "a link type is reused, created or modified");
    if (!cb_kb_id_valid(article))
        return cb_error_set(err, CB_ENOTFOUND, "no article %s", article ? article : "(null)");
    cb_article *a = NULL;
    cb_status st = cb_kb_get(s, article, &a, NULL, err);
    if (st)
        return st;
    char why[CB_ERROR_MSG_MAX];
    if (cb_kb_check_link(a, why, sizeof why) != CB_KB_ALLOWED)
        st = cb_error_set(err, CB_EINVAL, "%s", why);
    cb_article_free(a);
    char now[CB_STORE_TIME_SIZE];
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[5] = {cb_store_text(id), cb_store_text(article), cb_store_text(cb_link_type_name(type)),
                               cb_store_text(who), cb_store_text(now)};
        st = cb_store_exec(s,
                           "INSERT INTO article_links (case_id, article, type, who, at) VALUES ($1, $2, $3, $4, $5)"
                           " ON CONFLICT (case_id, article, type) DO NOTHING",
                           v, 5, NULL, err);
    }
    return st;
}

cb_status cb_case_link(cb_store *s, const char *id, const char *article, cb_link_type type, const char *who,
                       cb_error *err)
{
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_link: NULL argument");
    if (!cb_link_type_name(type))
        return cb_error_set(err, CB_EINVAL, "a link type is reused, created or modified");
    cb_status st = begin_on(s, id, who, NULL, err);
    if (st)
        return st;
    return cb__case_finish(s, link_in(s, id, article, type, who, err), err);
}

cb_status cb_case_escalate(cb_store *s, const char *id, const char *to, const char *why, const char *playbook,
                           const char *pattern, const char *who, unsigned *n, cb_error *err)
{
    if (n)
        *n = 0;
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_escalate: NULL argument");
    cb_status st;
    if ((st = cb__case_text_check("why", why, CB_CASE_TEXT_MAX, true, true, err)) ||
        (st = cb__case_text_check("the playbook", playbook, CB_CASE_FIELD_MAX, false, false, err)) ||
        (st = cb__case_text_check("the pattern", pattern, CB_CASE_FIELD_MAX, false, false, err)))
        return st;
    if (!to || !*to)
        return cb_error_set(err, CB_EINVAL, "escalate to whom?");
    cb_case_status status;
    if ((st = begin_on(s, id, who, &status, err)))
        return st;
    unsigned k = 0;
    char now[CB_STORE_TIME_SIZE];
    st = cb__case_check_person(s, "escalate to", to, err);
    if (st == CB_OK && (status == CB_CASE_RESOLVED || status == CB_CASE_CLOSED))
        st = cb_error_set(err, CB_EINVAL, "case %s is closed: a closed case is not escalated", id);
    if (st == CB_OK)
        st = cb__case_next_n(s, "escalations", id, &k, err);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[8] = {cb_store_text(id),  cb_store_int(k),   cb_store_text(who),
                               cb_store_text(to),  cb_store_text(why), cb_store_text(nonempty(playbook)),
                               cb_store_text(nonempty(pattern)), cb_store_text(now)};
        st = cb_store_exec(s,
                           "INSERT INTO escalations (case_id, n, from_person, to_person, why, playbook, pattern, at)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                           v, 8, NULL, err);
    }
    st = cb__case_finish(s, st, err);
    if (st == CB_OK && n)
        *n = k;
    return st;
}

cb_status cb_case_close(cb_store *s, const char *id, const char *resolution, const char *link,
                        cb_link_type link_type, const char *who, cb_error *err)
{
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_close: NULL argument");
    cb_status st = cb__case_text_check("a resolution", resolution, CB_CASE_TEXT_MAX, true, true, err);
    if (st)
        return st;
    if (link && !cb_link_type_name(link_type))
        return cb_error_set(err, CB_EINVAL, "a link type is reused, created or modified");
    cb_case_status status;
    if ((st = begin_on(s, id, who, &status, err)))
        return st;
    char now[CB_STORE_TIME_SIZE];
    if (status == CB_CASE_RESOLVED || status == CB_CASE_CLOSED)
        st = cb_error_set(err, CB_EINVAL, "case %s is already closed", id);
    if (st == CB_OK && link)
        st = link_in(s, id, link, link_type, who, err);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[3] = {cb_store_text(id), cb_store_text(resolution), cb_store_text(now)};
        st = cb_store_exec(s, "UPDATE cases SET status = 'resolved', resolution = $2, closed = $3 WHERE id = $1", v,
                           3, NULL, err);
    }
    if (st == CB_OK) {
        cb_store_value v[3] = {cb_store_text(id), cb_store_text(who), cb_store_text(now)};
        st = cb_store_exec(s,
                           "UPDATE escalations SET resolved_by = $2, resolved = $3 WHERE case_id = $1"
                           " AND resolved IS NULL",
                           v, 3, NULL, err);
    }
    return cb__case_finish(s, st, err);
}
