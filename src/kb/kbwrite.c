/*
 * kbwrite.c — the write side of the knowledge base (kb.h, "Changing
 * articles"): create, edit, change state, flag and resolve flags, read the
 * history, and find similar articles before creating one.  Every change is
 * checked by the KCS rules of rules.c with what the store knows (the actor's
 * role, the article's author, reviewer, reuse and open cases), runs in one
 * transaction and leaves a revision row naming who, when, what and why.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "casebook/buf.h"
#include "casebook/json.h"
#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/utf8.h"
#include "core/internal.h"
#include "kb/kb_int.h"

/* ------------------------------------------------------------------ */
/* Who acts, and what the store knows of an article                    */
/* ------------------------------------------------------------------ */

typedef struct kb_who {
    bool rules;        /* the store has people: role and review rules apply */
    cb_kb_actor actor; /* handle borrowed from the caller */
} kb_who;

/* The acting person (kb.h: NULL only on a store without people). */
static cb_status resolve_actor(cb_store *s, const char *handle, kb_who *w, cb_error *err)
{
    int64_t n = 0;
    cb_status st = cb_people_count(s, &n, err);
    if (st != CB_OK)
        return st;
    w->actor.handle = handle;
    w->actor.role = CB_KB_PUBLISHER;
    w->rules = n > 0;
    if (!handle) {
        if (n > 0)
            return cb_error_set(err, CB_EINVAL,
                                "who is acting? once the store has people every change names its author");
        return CB_OK;
    }
    cb_person p = {0};
    st = cb_people_get(s, handle, &p, err);
    if (st == CB_ENOTFOUND)
        st = cb_error_set(err, CB_ENOTFOUND, "no person %s in the store (add them first)", handle);
    if (st == CB_OK)
        w->actor.role = (cb_kb_role)(p.role - CB_ROLE_CANDIDATE);
    cb_person_release(&p);
    return st;
}

/* An article as stored, with the columns its file form does not hold. */
typedef struct kb_cur {
    cb_article *art;
    unsigned revision;
    char *author, *reviewed_by;
    cb_kb_strlist open_cases;
    cb_kb_context ctx;
} kb_cur;

static void kb_cur_release(kb_cur *c)
{
    cb_article_free(c->art);
    free(c->author);
    free(c->reviewed_by);
    for (size_t i = 0; i < c->open_cases.n; i++)
        free(c->open_cases.v[i]);
    free(c->open_cases.v);
    memset(c, 0, sizeof *c);
}

static char *dup_or_null(const char *t, bool *oom)
{
    if (!t)
        return NULL;
    char *c = strdup(t);
    if (!c)
        *oom = true;
    return c;
}

/* Read article id and its context (author, reviewer, reuse, open cases linking). */
static cb_status load(cb_store *s, const char *id, kb_cur *c, cb_error *err)
{
    memset(c, 0, sizeof *c);
    cb_kb_derived d;
    cb_status st = cb_kb_get(s, id, &c->art, &d, err);
    if (st != CB_OK)
        return st;
    c->ctx.reuse = d.reuse;
    cb_store_value p[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    bool row = false, oom = false;
    st = cb_store_query(s, "SELECT revision, author, reviewed_by FROM articles WHERE id = $1", p, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st == CB_OK && row) {
        c->revision = (unsigned)cb_store_rows_int(rows, 0);
        c->author = dup_or_null(cb_store_rows_text(rows, 1), &oom);
        c->reviewed_by = dup_or_null(cb_store_rows_text(rows, 2), &oom);
    }
    cb_store_rows_free(rows);
    rows = NULL;
    if (st == CB_OK && oom)
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
    if (st == CB_OK)
        st = cb__kb_read_list(s,
                              "SELECT DISTINCT l.case_id FROM article_links l JOIN cases c ON c.id = l.case_id"
                              " WHERE l.article = $1 AND c.status IN ('open', 'waiting') ORDER BY l.case_id",
                              id, &c->open_cases, err);
    if (st != CB_OK) {
        kb_cur_release(c);
        return st;
    }
    c->ctx.author = c->author;
    c->ctx.reviewed_by = c->reviewed_by;
    c->ctx.open_cases = (const char *const *)c->open_cases.v;
    c->ctx.nopen_cases = c->open_cases.n;
    return CB_OK;
}

/* The rule's verdict as a status: CB_EREFUSED with its message. */
static cb_status verdict(cb_kb_verdict v, const char *why, cb_error *err)
{
    return v == CB_KB_ALLOWED ? CB_OK : cb_error_set(err, CB_EREFUSED, "%s", why);
}

/*
 * The context the rules see: on a store without people the review condition
 * is taken as met (no role or review rule applies; kb.h).
 */
static cb_kb_context rule_context(const kb_who *w, const cb_kb_context *ctx)
{
    cb_kb_context c = *ctx;
    if (!w->rules && c.reuse < 2)
        c.reuse = 2;
    return c;
}

/* Is t acceptable as a reason or a flag: at most CB_KB_WHY_MAX bytes of UTF-8, no control but \n and \t. */
static bool text_ok(const char *t)
{
    size_t n = strlen(t);
    if (n > CB_KB_WHY_MAX || !cb_utf8_valid(t, n))
        return false;
    for (size_t i = 0; i < n;) {
        size_t k = cb_utf8_seqlen((const unsigned char *)t + i, n - i);
        if (k == 0)
            return false;
        if (t[i] != '\n' && t[i] != '\t' && cb_utf8_is_control((const unsigned char *)t + i, k))
            return false;
        i += k;
    }
    return true;
}

static bool blank(const char *t)
{
    for (; t && *t; t++)
        if (!isspace((unsigned char)*t))
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* Revisions                                                           */
/* ------------------------------------------------------------------ */

static bool same(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

static json_t *jtext(const char *t)
{
    return t ? json_string(t) : json_null();
}

/* o[key] = [old, new] when they differ; false when out of memory. */
static bool change(json_t *o, const char *key, const char *old, const char *new)
{
    if (same(old, new))
        return true;
    json_t *pair = json_pack("[o,o]", jtext(old), jtext(new));
    return pair && json_object_set_new(o, key, pair) == 0;
}

static json_t *jlist(const cb_kb_strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++)
        if (json_array_append_new(a, json_string(l->v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static bool list_equal(const cb_kb_strlist *x, const cb_kb_strlist *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i], y->v[i]) != 0)
            return false;
    return true;
}

static bool list_change(json_t *o, const char *key, const cb_kb_strlist *old, const cb_kb_strlist *new)
{
    if (list_equal(old, new))
        return true;
    json_t *pair = json_pack("[o,o]", jlist(old), jlist(new));
    return pair && json_object_set_new(o, key, pair) == 0;
}

/* The lowercase key of a section in a revision's changes: "issue", "environment", ... */
static const char *section_key(int i)
{
    static const char *const keys[CB_KB__SECTIONS] = {"issue", "environment", "resolution", "cause", "internal"};
    return keys[i];
}

/* Every field of b that differs from a, as {"key": [old, new]}, in file order (updated is left out). */
static json_t *diff_articles(const cb_article *a, const cb_article *b)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = ok && change(o, "title", a->title, b->title);
    ok = ok && change(o, "state", cb_kb_state_name(a->state), cb_kb_state_name(b->state));
    ok = ok && change(o, "audience", cb_kb_audience_name(a->audience), cb_kb_audience_name(b->audience));
    ok = ok && change(o, "product", a->product, b->product);
    ok = ok && change(o, "versions", a->versions, b->versions);
    ok = ok && list_change(o, "tags", &a->tags, &b->tags);
    ok = ok && change(o, "owner", a->owner, b->owner);
    ok = ok && change(o, "created", a->created, b->created);
    ok = ok && change(o, "reviewed", a->reviewed, b->reviewed);
    ok = ok && list_change(o, "playbooks", &a->playbooks, &b->playbooks);
    ok = ok && change(o, "defect", a->defect, b->defect);
    for (int i = 0; ok && i < CB_KB__SECTIONS; i++)
        ok = change(o, section_key(i), a->section[i], b->section[i]);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Append revision n of id (changes: a JSON object, consumed). */
static cb_status add_revision(cb_store *s, const char *id, unsigned n, const char *who, const char *at,
                              json_t *changes, const char *why, cb_error *err)
{
    char *text = changes ? cb_json_dump(changes, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(changes);
    if (!text)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_store_value p[6] = {cb_store_text(id), cb_store_int(n),        cb_store_text(who),
                           cb_store_text(at), cb_store_text(text), cb_store_text(why)};
    cb_status st = cb_store_exec(s,
                                 "INSERT INTO article_revisions (article, n, who, at, changes, why)"
                                 " VALUES ($1, $2, $3, $4, $5, $6)",
                                 p, 6, NULL, err);
    free(text);
    return st;
}

/* ------------------------------------------------------------------ */
/* Writing an article's rows                                           */
/* ------------------------------------------------------------------ */

static cb_status write_list(cb_store *s, const char *del, const char *ins, const char *id, const cb_kb_strlist *l,
                            cb_error *err)
{
    cb_store_value k[1] = {cb_store_text(id)};
    cb_status st = cb_store_exec(s, del, k, 1, NULL, err);
    return st == CB_OK ? cb__kb_insert_list(s, ins, id, l, err) : st;
}

/* The article's lists and full-text entry, replaced. */
static cb_status write_rest(cb_store *s, const cb_article *a, cb_error *err)
{
    cb_status st = write_list(s, "DELETE FROM article_tags WHERE article = $1",
                              "INSERT INTO article_tags (article, pos, tag) VALUES ($1, $2, $3)", a->id, &a->tags,
                              err);
    if (st == CB_OK)
        st = write_list(s, "DELETE FROM article_playbooks WHERE article = $1",
                        "INSERT INTO article_playbooks (article, pos, playbook) VALUES ($1, $2, $3)", a->id,
                        &a->playbooks, err);
    if (st == CB_OK)
        st = cb_store_fts_index(s, a->id, a->title, a->section[CB_KB_ISSUE], a->section[CB_KB_ENVIRONMENT],
                                a->section[CB_KB_CAUSE], a->section[CB_KB_RESOLUTION], err);
    return st;
}

/*
 * The article row's values, $1 id to $18 revision, in the column order of
 * ARTICLE_COLUMNS: one list for the insert and the update.
 */
#define ARTICLE_COLUMNS                                                                                           \
    "id, title, state, audience, product, versions, owner, defect, issue, environment, resolution, cause,"       \
    " internal, created, updated, reviewed, reviewed_by, revision"
enum { ARTICLE_NCOLS = 18 };

static void article_values(cb_store_value p[ARTICLE_NCOLS], const cb_article *a, const char *updated,
                           const char *reviewed_by, unsigned revision)
{
    p[0] = cb_store_text(a->id);
    p[1] = cb_store_text(a->title);
    p[2] = cb_store_text(cb_kb_state_name(a->state));
    p[3] = cb_store_text(cb_kb_audience_name(a->audience));
    p[4] = cb_store_text(a->product);
    p[5] = cb_store_text(a->versions);
    p[6] = cb_store_text(a->owner);
    p[7] = cb_store_text(a->defect);
    for (int i = 0; i < CB_KB__SECTIONS; i++)
        p[8 + i] = cb_store_text(a->section[i]);
    p[13] = cb_store_text(a->created);
    p[14] = cb_store_text(updated);
    p[15] = cb_store_text(a->reviewed);
    p[16] = cb_store_text(reviewed_by);
    p[17] = cb_store_int(revision);
}

/*
 * Is a what its file form would be?  Formatted and parsed back, so that a
 * caller's article obeys every rule a file does (id rule, one-line values,
 * the sections its state needs).  CB_EINVAL with the first problem.
 */
static cb_status check_form(const cb_article *a, cb_error *err)
{
    if (!a->id || !cb_kb_id_valid(a->id))
        return cb_error_set(err, CB_EINVAL, "'%s' is not an article id (KB-DOMAIN-0001)", a->id ? a->id : "");
    char *text = cb_article_format(a);
    if (!text)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_diags d;
    cb_diags_init(&d);
    cb_article *back = NULL;
    cb_status st = cb_article_parse(a->id, text, strlen(text), &back, &d);
    if (st == CB_EPARSE && d.n)
        st = cb_error_set(err, CB_EINVAL, "%s: %s", a->id, d.v[0].msg);
    else if (st == CB_OK && !cb_article_equal(a, back))
        st = cb_error_set(err, CB_EINVAL, "%s: a value cannot be written in the file form", a->id);
    else if (st != CB_OK)
        st = cb_error_set(err, st, "%s: %s", a->id, st == CB_ENOMEM ? "out of memory" : "cannot check the article");
    cb_article_free(back);
    cb_diags_release(&d);
    free(text);
    return st;
}

static cb_status no_transaction(cb_store *s, const char *fn, cb_error *err)
{
    if (cb_store_in_transaction(s))
        return cb_error_set(err, CB_EINVAL, "%s: a transaction is already open", fn);
    return CB_OK;
}

/* ------------------------------------------------------------------ */
/* Next id, add                                                        */
/* ------------------------------------------------------------------ */

static bool domain_valid(const char *d)
{
    size_t n = strlen(d);
    if (n < 2 || n > 8 || !(d[0] >= 'A' && d[0] <= 'Z'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((d[i] >= 'A' && d[i] <= 'Z') || (d[i] >= '0' && d[i] <= '9')))
            return false;
    return true;
}

cb_status cb_kb_next_id(cb_store *s, const char *domain, char out[CB_KB_ID_SIZE], cb_error *err)
{
    if (out)
        out[0] = '\0';
    if (!s || !domain || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_next_id: NULL argument");
    if (!domain_valid(domain))
        return cb_error_set(err, CB_EINVAL,
                            "'%s' is not a domain (2 to 8 of A-Z and 0-9, starting with a letter)", domain);
    char prefix[16];
    snprintf(prefix, sizeof prefix, "KB-%s-", domain);
    /* Every id of the domain is read: the numbers have 4 to 8 digits, so text order is not number order. */
    cb_store_value p[2] = {cb_store_text(prefix), cb_store_int((int64_t)strlen(prefix))};
    cb_store_rows *rows = NULL;
    cb_status st = cb_store_query(s, "SELECT id FROM articles WHERE substr(id, 1, $2) = $1", p, 2, &rows, err);
    unsigned long max = 0;
    bool row = false;
    while (st == CB_OK && (st = cb_store_rows_next(rows, &row, err)) == CB_OK && row) {
        const char *id = cb_store_rows_text(rows, 0);
        if (!id || !cb_kb_id_valid(id))
            continue;
        unsigned long v = strtoul(id + strlen(prefix), NULL, 10);
        if (v > max)
            max = v;
    }
    cb_store_rows_free(rows);
    if (st != CB_OK)
        return st;
    if (max >= 99999999UL)
        return cb_error_set(err, CB_ELIMIT, "every number of domain %s is used", domain);
    snprintf(out, CB_KB_ID_SIZE, "%s%04lu", prefix, max + 1);
    return CB_OK;
}

cb_status cb_kb_add(cb_store *s, const cb_article *a, const char *actor, cb_error *err)
{
    if (!s || !a)
        return cb_error_set(err, CB_EINVAL, "cb_kb_add: NULL argument");
    cb_status st = no_transaction(s, "cb_kb_add", err);
    if (st == CB_OK)
        st = check_form(a, err);
    if (st != CB_OK)
        return st;
    json_t *changes = NULL;
    if ((st = cb_store_begin(s, err)) != CB_OK)
        return st;
    kb_who w;
    char why[CB_ERROR_MSG_MAX];
    if ((st = resolve_actor(s, actor, &w, err)) != CB_OK)
        goto out;
    cb_kb_context none = {0};
    none.author = actor;
    cb_kb_context ctx = rule_context(&w, &none);
    if ((st = verdict(cb_kb_check_create(a, &w.actor, &ctx, why, sizeof why), why, err)) != CB_OK)
        goto out;
    cb_store_value k[1] = {cb_store_text(a->id)};
    cb_store_rows *rows = NULL;
    bool found = false;
    st = cb_store_query(s, "SELECT 1 FROM articles WHERE id = $1", k, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &found, err);
    cb_store_rows_free(rows);
    if (st == CB_OK && found)
        st = cb_error_set(err, CB_EINVAL, "article %s is already in the store (change it with kb edit)", a->id);
    if (st != CB_OK)
        goto out;
    char now[CB_STORE_TIME_SIZE];
    if ((st = cb_store_now(s, now, err)) != CB_OK)
        goto out;
    cb_article stored = *a; /* shallow: only created and updated differ */
    if (!stored.created)
        stored.created = now;
    cb_store_value p[ARTICLE_NCOLS + 1];
    article_values(p, &stored, a->updated ? a->updated : now, NULL, 1);
    p[ARTICLE_NCOLS] = cb_store_text(actor);
    st = cb_store_exec(s,
                       "INSERT INTO articles (" ARTICLE_COLUMNS ", author) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                       " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
                       p, ARTICLE_NCOLS + 1, NULL, err);
    if (st == CB_OK)
        st = write_rest(s, a, err);
    if (st == CB_OK) {
        changes = json_pack("{s:[n,s],s:[n,s]}", "state", cb_kb_state_name(a->state), "audience",
                            cb_kb_audience_name(a->audience));
        st = add_revision(s, a->id, 1, actor, now, changes, "created", err);
        changes = NULL;
    }
    if (st == CB_OK)
        st = cb_store_commit(s, err);
out:
    if (st != CB_OK)
        cb_store_rollback(s, NULL);
    return st;
}

/* ------------------------------------------------------------------ */
/* Edit and change of state                                            */
/* ------------------------------------------------------------------ */

/* Does `who` validating make a review (someone other than the author)?  Then *reviewed_by is the actor. */
static bool is_review(const kb_who *w, const kb_cur *c)
{
    return w->actor.handle && !same(w->actor.handle, c->author);
}

/*
 * The rules of an edit from c->art to a (kb.h): edit rights on the stored
 * article, audience narrowed, state, audience widened, content of the new
 * state.
 */
static cb_status check_edit_rules(const kb_who *w, const kb_cur *c, const cb_article *a, cb_error *err)
{
    char why[CB_ERROR_MSG_MAX];
    cb_status st = CB_OK;
    cb_kb_context ctx = rule_context(w, &c->ctx);
    if (w->rules && (st = verdict(cb_kb_check_edit(c->art, &w->actor, why, sizeof why), why, err)) != CB_OK)
        return st;
    if (!w->rules && c->art->state == CB_KB_ARCHIVED)
        return verdict(cb_kb_check_edit(c->art, &w->actor, why, sizeof why), why, err);
    cb_article view = *a; /* the new content, walked from the old state and audience to the new ones */
    view.state = c->art->state;
    view.audience = c->art->audience;
    if (a->audience == CB_KB_INTERNAL && view.audience != CB_KB_INTERNAL) {
        if ((st = verdict(cb_kb_check_audience(&view, CB_KB_INTERNAL, &w->actor, why, sizeof why), why, err)))
            return st;
        view.audience = CB_KB_INTERNAL;
    }
    if (a->state != view.state) {
        if ((st = verdict(cb_kb_check_transition(&view, a->state, &w->actor, &ctx, false, why, sizeof why), why,
                          err)))
            return st;
        view.state = a->state;
    }
    if (a->audience != view.audience &&
        (st = verdict(cb_kb_check_audience(&view, a->audience, &w->actor, why, sizeof why), why, err)))
        return st;
    return verdict(cb_kb_check_content(a, a->state, why, sizeof why), why, err);
}

/* The [conflict] refusal: revision c->revision was saved by someone meanwhile. */
static cb_status conflict(cb_store *s, const kb_cur *c, unsigned expected, cb_error *err)
{
    cb_store_value p[2] = {cb_store_text(c->art->id), cb_store_int(c->revision)};
    cb_store_rows *rows = NULL;
    bool row = false;
    cb_status st = cb_store_query(s, "SELECT who, at FROM article_revisions WHERE article = $1 AND n = $2", p, 2,
                                  &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st == CB_OK) {
        const char *who = row ? cb_store_rows_text(rows, 0) : NULL;
        const char *at = row ? cb_store_rows_text(rows, 1) : NULL;
        st = cb_error_set(err, CB_ECONFLICT, "[conflict] %s: revision %u was saved by %s at %s meanwhile (you edited "
                          "revision %u)", c->art->id, c->revision, who ? who : "someone", at ? at : "an unknown time",
                          expected);
    }
    cb_store_rows_free(rows);
    return st;
}

cb_status cb_kb_edit(cb_store *s, const cb_article *a, unsigned expected, const char *actor, const char *why,
                     unsigned *revision, cb_error *err)
{
    if (revision)
        *revision = 0;
    if (!s || !a)
        return cb_error_set(err, CB_EINVAL, "cb_kb_edit: NULL argument");
    if (why && !text_ok(why))
        return cb_error_set(err, CB_EINVAL, "the reason is over %d bytes or holds control characters",
                            (int)CB_KB_WHY_MAX);
    cb_status st = no_transaction(s, "cb_kb_edit", err);
    if (st == CB_OK)
        st = check_form(a, err);
    if (st != CB_OK)
        return st;
    if ((st = cb_store_begin(s, err)) != CB_OK)
        return st;
    kb_cur c = {0};
    kb_who w;
    json_t *changes = NULL;
    if ((st = resolve_actor(s, actor, &w, err)) != CB_OK || (st = load(s, a->id, &c, err)) != CB_OK)
        goto out;
    if (c.revision != expected) {
        st = conflict(s, &c, expected, err);
        goto out;
    }
    if ((st = check_edit_rules(&w, &c, a, err)) != CB_OK)
        goto out;
    cb_article stored = *a; /* shallow: created is kept when a has none (it is set once, by add or import) */
    if (!stored.created)
        stored.created = c.art->created;
    if (!(changes = diff_articles(c.art, &stored))) {
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
        goto out;
    }
    if (json_object_size(changes) == 0) { /* nothing changed: nothing to write */
        if (revision)
            *revision = c.revision;
        goto out;
    }
    char now[CB_STORE_TIME_SIZE];
    if ((st = cb_store_now(s, now, err)) != CB_OK)
        goto out;
    const char *reviewed_by = c.reviewed_by;
    if (a->state == CB_KB_VALIDATED && c.art->state != CB_KB_VALIDATED && is_review(&w, &c)) {
        stored.reviewed = now;
        reviewed_by = actor;
        if (!change(changes, "reviewed", c.art->reviewed, now) ||
            !change(changes, "reviewed_by", c.reviewed_by, actor)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto out;
        }
    }
    cb_store_value p[ARTICLE_NCOLS];
    article_values(p, &stored, now, reviewed_by, c.revision + 1);
    st = cb_store_exec(s,
                       "UPDATE articles SET title = $2, state = $3, audience = $4, product = $5, versions = $6,"
                       " owner = $7, defect = $8, issue = $9, environment = $10, resolution = $11, cause = $12,"
                       " internal = $13, created = $14, updated = $15, reviewed = $16, reviewed_by = $17,"
                       " revision = $18 WHERE id = $1",
                       p, ARTICLE_NCOLS, NULL, err);
    if (st == CB_OK)
        st = write_rest(s, a, err);
    if (st == CB_OK) {
        st = add_revision(s, a->id, c.revision + 1, actor, now, changes, why, err);
        changes = NULL;
    }
    if (st == CB_OK && (st = cb_store_commit(s, err)) == CB_OK && revision)
        *revision = c.revision + 1;
out:
    json_decref(changes);
    if (st != CB_OK)
        cb_store_rollback(s, NULL);
    else if (cb_store_in_transaction(s))
        st = cb_store_commit(s, err); /* the edit that changed nothing */
    kb_cur_release(&c);
    return st;
}

cb_status cb_kb_set_state(cb_store *s, const char *id, cb_kb_state to, const char *actor, const char *why,
                          bool force, cb_error *err)
{
    if (!s || !id)
        return cb_error_set(err, CB_EINVAL, "cb_kb_set_state: NULL argument");
    if ((int)to < 0 || to >= CB_KB__STATES)
        return cb_error_set(err, CB_EINVAL, "no such state");
    if (!why || blank(why))
        return cb_error_set(err, CB_EINVAL, "say why the state changes (every transition is recorded with why)");
    if (!text_ok(why))
        return cb_error_set(err, CB_EINVAL, "the reason is over %d bytes or holds control characters",
                            (int)CB_KB_WHY_MAX);
    cb_status st = no_transaction(s, "cb_kb_set_state", err);
    if (st != CB_OK || (st = cb_store_begin(s, err)) != CB_OK)
        return st;
    kb_cur c = {0};
    kb_who w;
    json_t *changes = NULL;
    char msg[CB_ERROR_MSG_MAX];
    if ((st = resolve_actor(s, actor, &w, err)) != CB_OK || (st = load(s, id, &c, err)) != CB_OK)
        goto out;
    cb_kb_context ctx = rule_context(&w, &c.ctx);
    if ((st = verdict(cb_kb_check_transition(c.art, to, &w.actor, &ctx, force, msg, sizeof msg), msg, err)))
        goto out;
    char now[CB_STORE_TIME_SIZE];
    if ((st = cb_store_now(s, now, err)) != CB_OK)
        goto out;
    bool review = to == CB_KB_VALIDATED && is_review(&w, &c);
    changes = json_object();
    if (!changes || !change(changes, "state", cb_kb_state_name(c.art->state), cb_kb_state_name(to)) ||
        (review && (!change(changes, "reviewed", c.art->reviewed, now) ||
                    !change(changes, "reviewed_by", c.reviewed_by, actor)))) {
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
        goto out;
    }
    cb_store_value p[5] = {cb_store_text(id), cb_store_text(cb_kb_state_name(to)), cb_store_text(now),
                           cb_store_int(review), cb_store_int(c.revision + 1)};
    cb_store_value q[6] = {p[0], p[1], p[2], p[3], p[4], cb_store_text(actor)};
    st = cb_store_exec(s,
                       "UPDATE articles SET state = $2, updated = $3, revision = $5,"
                       " reviewed = CASE WHEN $4 = 1 THEN $3 ELSE reviewed END,"
                       " reviewed_by = CASE WHEN $4 = 1 THEN $6 ELSE reviewed_by END WHERE id = $1",
                       q, 6, NULL, err);
    if (st == CB_OK) {
        st = add_revision(s, id, c.revision + 1, actor, now, changes, why, err);
        changes = NULL;
    }
    if (st == CB_OK)
        st = cb_store_commit(s, err);
out:
    json_decref(changes);
    if (st != CB_OK)
        cb_store_rollback(s, NULL);
    kb_cur_release(&c);
    return st;
}

/* ------------------------------------------------------------------ */
/* Flags                                                               */
/* ------------------------------------------------------------------ */

cb_status cb_kb_flag(cb_store *s, const char *id, const char *text, const char *actor, unsigned *n,
                     cb_error *err)
{
    if (n)
        *n = 0;
    if (!s || !id || !text)
        return cb_error_set(err, CB_EINVAL, "cb_kb_flag: NULL argument");
    if (blank(text))
        return cb_error_set(err, CB_EINVAL, "a flag says what is wrong: its text is empty");
    if (!text_ok(text))
        return cb_error_set(err, CB_EINVAL, "a flag's text is at most %d bytes of text without control characters",
                            (int)CB_KB_WHY_MAX);
    cb_status st = no_transaction(s, "cb_kb_flag", err);
    if (st != CB_OK || (st = cb_store_begin(s, err)) != CB_OK)
        return st;
    kb_who w;
    cb_store_value k[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    bool row = false;
    if ((st = resolve_actor(s, actor, &w, err)) != CB_OK)
        goto out;
    st = cb_store_query(s,
                        "SELECT a.state, (SELECT COALESCE(MAX(n), 0) FROM article_flags f WHERE f.article = a.id)"
                        " FROM articles a WHERE a.id = $1",
                        k, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no article %s", id);
    bool archived = st == CB_OK && same(cb_store_rows_text(rows, 0), "archived");
    unsigned next = st == CB_OK ? (unsigned)cb_store_rows_int(rows, 1) + 1 : 0;
    cb_store_rows_free(rows);
    if (st == CB_OK && archived)
        st = cb_error_set(err, CB_EREFUSED,
                          "[flag-archived] %s is archived: it is out of use, so there is nothing to fix; restore it "
                          "to another state first", id);
    char now[CB_STORE_TIME_SIZE];
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value p[5] = {cb_store_text(id), cb_store_int(next), cb_store_text(text), cb_store_text(actor),
                               cb_store_text(now)};
        st = cb_store_exec(s,
                           "INSERT INTO article_flags (article, n, body, author, created) VALUES ($1, $2, $3, $4, $5)",
                           p, 5, NULL, err);
    }
    if (st == CB_OK && (st = cb_store_commit(s, err)) == CB_OK && n)
        *n = next;
out:
    if (st != CB_OK)
        cb_store_rollback(s, NULL);
    return st;
}

cb_status cb_kb_flag_resolve(cb_store *s, const char *id, unsigned n, const char *actor, cb_error *err)
{
    if (!s || !id)
        return cb_error_set(err, CB_EINVAL, "cb_kb_flag_resolve: NULL argument");
    cb_status st = no_transaction(s, "cb_kb_flag_resolve", err);
    if (st != CB_OK || (st = cb_store_begin(s, err)) != CB_OK)
        return st;
    kb_who w;
    cb_article *a = NULL;
    cb_store_rows *rows = NULL;
    bool row = false;
    if ((st = resolve_actor(s, actor, &w, err)) != CB_OK || (st = cb_kb_get(s, id, &a, NULL, err)) != CB_OK)
        goto out;
    if (w.rules && w.actor.role == CB_KB_CANDIDATE && a->state != CB_KB_WIP && a->state != CB_KB_NOT_VALIDATED) {
        st = cb_error_set(err, CB_EREFUSED,
                          "[edit-role] a candidate may resolve flags only on wip and not-validated articles; %s is %s",
                          id, cb_kb_state_name(a->state));
        goto out;
    }
    cb_store_value k[2] = {cb_store_text(id), cb_store_int(n)};
    st = cb_store_query(s, "SELECT resolved, resolved_by FROM article_flags WHERE article = $1 AND n = $2", k, 2,
                        &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "%s has no flag %u", id, n);
    else if (st == CB_OK && !cb_store_rows_is_null(rows, 0)) {
        const char *by = cb_store_rows_text(rows, 1);
        st = cb_error_set(err, CB_EINVAL, "flag %u of %s is already resolved (by %s at %s)", n, id,
                          by ? by : "nobody in particular", cb_store_rows_text(rows, 0));
    }
    cb_store_rows_free(rows);
    char now[CB_STORE_TIME_SIZE];
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value p[4] = {k[0], k[1], cb_store_text(now), cb_store_text(actor)};
        st = cb_store_exec(s, "UPDATE article_flags SET resolved = $3, resolved_by = $4 WHERE article = $1 AND n = $2",
                           p, 4, NULL, err);
    }
    if (st == CB_OK)
        st = cb_store_commit(s, err);
out:
    if (st != CB_OK)
        cb_store_rollback(s, NULL);
    cb_article_free(a);
    return st;
}

/* ------------------------------------------------------------------ */
/* History                                                             */
/* ------------------------------------------------------------------ */

void cb_kb_record_release(cb_kb_record *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nrevisions; i++) {
        cb_kb_revision *r = &h->revisions[i];
        free(r->who);
        free(r->at);
        free(r->changes);
        free(r->why);
    }
    for (size_t i = 0; i < h->nflags; i++) {
        cb_kb_flag_entry *f = &h->flags[i];
        free(f->body);
        free(f->author);
        free(f->created);
        free(f->resolved);
        free(f->resolved_by);
    }
    free(h->revisions);
    free(h->flags);
    memset(h, 0, sizeof *h);
}

cb_status cb_kb_history(cb_store *s, const char *id, cb_kb_record *out, cb_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !id || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_history: NULL argument");
    cb_store_value k[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    bool row = false, oom = false;
    cb_status st = cb_store_query(s, "SELECT 1 FROM articles WHERE id = $1", k, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    cb_store_rows_free(rows);
    rows = NULL;
    if (st == CB_OK && !row)
        return cb_error_set(err, CB_ENOTFOUND, "no article %s", id);
    if (st == CB_OK)
        st = cb_store_query(s, "SELECT n, who, at, changes, why FROM article_revisions WHERE article = $1 ORDER BY n",
                            k, 1, &rows, err);
    while (st == CB_OK && (st = cb_store_rows_next(rows, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&out->revisions, &out->caprevisions, out->nrevisions + 1, sizeof *out->revisions)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        cb_kb_revision *r = &out->revisions[out->nrevisions++];
        r->n = (unsigned)cb_store_rows_int(rows, 0);
        r->who = dup_or_null(cb_store_rows_text(rows, 1), &oom);
        r->at = dup_or_null(cb_store_rows_text(rows, 2), &oom);
        r->changes = dup_or_null(cb_store_rows_text(rows, 3), &oom);
        r->why = dup_or_null(cb_store_rows_text(rows, 4), &oom);
        if (oom)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(rows);
    rows = NULL;
    if (st == CB_OK)
        st = cb_store_query(s,
                            "SELECT n, body, author, created, resolved, resolved_by FROM article_flags"
                            " WHERE article = $1 ORDER BY n",
                            k, 1, &rows, err);
    while (st == CB_OK && (st = cb_store_rows_next(rows, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&out->flags, &out->capflags, out->nflags + 1, sizeof *out->flags)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        cb_kb_flag_entry *f = &out->flags[out->nflags++];
        f->n = (unsigned)cb_store_rows_int(rows, 0);
        f->body = dup_or_null(cb_store_rows_text(rows, 1), &oom);
        f->author = dup_or_null(cb_store_rows_text(rows, 2), &oom);
        f->created = dup_or_null(cb_store_rows_text(rows, 3), &oom);
        f->resolved = dup_or_null(cb_store_rows_text(rows, 4), &oom);
        f->resolved_by = dup_or_null(cb_store_rows_text(rows, 5), &oom);
        if (oom)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(rows);
    return st;
}

/* ------------------------------------------------------------------ */
/* Similar articles                                                    */
/* ------------------------------------------------------------------ */

/* Do words w (a query word) and t[0..n) (a word of the article) match: equal, or one begins the other (4+ bytes)? */
static bool word_match(const char *w, const char *t, size_t n)
{
    size_t m = strlen(w);
    size_t k = CB_MIN(m, n);
    if (k == 0 || strncmp(w, t, k) != 0)
        return false;
    return m == n || k >= 4;
}

/* Does text hold word w (lowercase), as a word split at what is not a letter, digit or non-ASCII byte? */
static bool text_has_word(const char *text, const char *w)
{
    char buf[CB_KB_TERM_MAX + 1];
    const char *p = text;
    while (p && *p) {
        while (*p && !isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
            p++;
        size_t n = 0;
        const char *start = p;
        while (*p && (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80)))
            p++;
        n = (size_t)(p - start);
        if (n == 0 || n > CB_KB_TERM_MAX)
            continue;
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)tolower((unsigned char)start[i]);
        if (word_match(w, buf, n))
            return true;
    }
    return false;
}

/* The share of q's words found in the title or Issue of a. */
static double share_of(const cb_kb_query *q, const cb_article *a)
{
    if (q->nwords == 0)
        return 0;
    size_t hit = 0;
    for (size_t i = 0; i < q->nwords; i++)
        if (text_has_word(a->title, q->words[i]) || text_has_word(a->section[CB_KB_ISSUE], q->words[i]))
            hit++;
    return (double)hit / (double)q->nwords;
}

static int cmp_share(const void *x, const void *y)
{
    const cb_store_fts_hit *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return 0;
}

cb_status cb_kb_similar(cb_store *s, const cb_article *a, double min_share, size_t limit, cb_kb_hits *out,
                        cb_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !a || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_similar: NULL argument");
    if (!(min_share >= 0 && min_share <= 1) || limit == 0)
        return cb_error_set(err, CB_EINVAL, "cb_kb_similar: min_share or limit out of range");
    cb_buf text;
    cb_buf_init(&text, CB_KB_QUERY_INPUT_MAX);
    const char *issue = a->section[CB_KB_ISSUE] ? a->section[CB_KB_ISSUE] : "";
    size_t tl = a->title ? strlen(a->title) : 0;
    cb_status st = cb_buf_append(&text, a->title ? a->title : "", tl);
    if (st == CB_OK)
        st = cb_buf_append(&text, " ", 1);
    if (st == CB_OK) /* the buffer is capped: the query reads no more anyway */
        st = cb_buf_append(&text, issue, CB_MIN(strlen(issue), CB_KB_QUERY_INPUT_MAX - tl - 2));
    if (st == CB_OK)
        st = cb_buf_append(&text, "", 1);
    if (st != CB_OK) {
        cb_buf_release(&text);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_kb_query q;
    cb_kb_query_init(&q);
    st = cb_kb_query_from_log(text.data, &q);
    cb_buf_release(&text);
    cb_store_fts_results r = {0};
    if (st != CB_OK) {
        st = cb_error_set(err, st, "similar: %s", st == CB_ENOMEM ? "out of memory" : "bad query");
        goto out;
    }
    cb_store_fts_query fq = {.words = q.words, .nwords = q.nwords, .any = true, .mark_open = "[", .mark_close = "]"};
    if ((st = cb_store_fts_search(s, &fq, 20, false, &r, err)) != CB_OK)
        goto out;
    for (size_t i = 0; i < r.n; i++) {
        cb_store_fts_hit h = r.hits[i];
        r.hits[i].id = r.hits[i].snippet = NULL;
        cb_article *other = NULL;
        double share = -1;
        if (!a->id || strcmp(h.id, a->id) != 0) {
            st = cb_kb_get(s, h.id, &other, NULL, err);
            if (st == CB_OK)
                share = share_of(&q, other);
            cb_article_free(other);
        }
        if (st == CB_OK && share >= min_share && share > 0 &&
            cb__grow((void **)&out->hits, &out->cap, out->n + 1, sizeof *out->hits)) {
            h.score = share;
            out->hits[out->n++] = h;
            continue;
        }
        free(h.id);
        free(h.snippet);
        if (st != CB_OK)
            goto out;
        if (share >= min_share && share > 0) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* By share; an insertion sort, stable, so that equal shares keep the BM25 order (at most 20 hits). */
    for (size_t i = 1; i < out->n; i++)
        for (size_t j = i; j > 0 && cmp_share(&out->hits[j - 1], &out->hits[j]) > 0; j--) {
            cb_store_fts_hit t = out->hits[j];
            out->hits[j] = out->hits[j - 1];
            out->hits[j - 1] = t;
        }
    if (out->n > limit) {
        for (size_t i = limit; i < out->n; i++) {
            free(out->hits[i].id);
            free(out->hits[i].snippet);
        }
        out->n = limit;
    }
out:
    cb_store_fts_results_release(&r);
    cb_kb_query_release(&q);
    return st;
}
