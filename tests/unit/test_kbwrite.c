/*
 * test_kbwrite.c — changing articles through the KCS rules, on a real SQLite
 * store: add, edit (with conflict detection and the revision's changes),
 * changes of state as a table of every allowed and refused transition with
 * roles and context, flags and their resolution, the history, the next free
 * id, "search before you create", and a store without people.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "casebook/fileio.h"
#include "casebook/kb.h"
#include "casebook/people.h"
#include "casebook/store.h"

#define ART_DIR CB_SOURCE_ROOT "/examples/articles"

#include "tmpdir.h"

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("cb-kbwrite");
}

static cb_store *open_store(const char *name)
{
    cb_store *s = NULL;
    cb_error err;
    if (cb_store_open(at(name), NULL, &s, &err) != CB_OK)
        fail_msg("open %s: %s", name, err.msg);
    return s;
}

static void add_person(cb_store *s, const char *handle, cb_role role)
{
    cb_error err;
    cb_person_new p = {.handle = handle, .name = handle, .role = role};
    if (cb_people_add(s, &p, &err) != CB_OK)
        fail_msg("people add %s: %s", handle, err.msg);
}

/* A store with people: cand (candidate), bob and cleo (contributors), pub (publisher). */
static cb_store *team_store(const char *name)
{
    cb_store *s = open_store(name);
    add_person(s, "cand", CB_ROLE_CANDIDATE);
    add_person(s, "bob", CB_ROLE_CONTRIBUTOR);
    add_person(s, "cleo", CB_ROLE_CONTRIBUTOR);
    add_person(s, "pub", CB_ROLE_PUBLISHER);
    return s;
}

/* An article from its parts; env/res NULL leave those sections out. */
static cb_article *make(const char *id, const char *state, const char *audience, const char *title, const char *env,
                        const char *res)
{
    char text[4096];
    int n = snprintf(text, sizeof text,
                     "---\nid: %s\ntitle: %s\nstate: %s\naudience: %s\ntags: [net]\n---\n## Issue\nThe %s issue.\n"
                     "%s%s%s%s",
                     id, title, state, audience, title, env ? "## Environment\n" : "", env ? env : "",
                     res ? "## Resolution\n" : "", res ? res : "");
    assert_true(n > 0 && (size_t)n < sizeof text);
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    if (cb_article_parse("t.md", text, strlen(text), &a, &d) != CB_OK)
        fail_msg("parse %s: %s", id, d.n ? d.v[0].msg : "?");
    cb_diags_release(&d);
    return a;
}

static cb_article *full(const char *id, const char *state, const char *audience)
{
    return make(id, state, audience, "Disk stalls on a proxy", "VBR 12\n", "Raise the timeout.\n");
}

/* Put article a into the store as a restore (import: no rule), then set its author. */
static void restore(cb_store *s, const cb_article *a, const char *author)
{
    static int k;
    char sub[64], path[512];
    snprintf(sub, sizeof sub, "restore%d", ++k);
    mkdir(at(sub), 0700);
    snprintf(path, sizeof path, "%s/%s.md", at(sub), a->id);
    char *text = cb_article_format(a);
    cb_error err;
    assert_int_equal(cb_file_write_atomic(path, text, strlen(text), &err), CB_OK);
    free(text);
    cb_diags d;
    cb_diags_init(&d);
    if (cb_kb_import(s, at(sub), NULL, &d, NULL, &err) != CB_OK)
        fail_msg("import %s: %s %s", a->id, err.msg, d.n ? d.v[0].msg : "");
    cb_diags_release(&d);
    if (author) {
        cb_store_value p[2] = {cb_store_text(a->id), cb_store_text(author)};
        assert_int_equal(cb_store_exec(s, "UPDATE articles SET author = $2 WHERE id = $1", p, 2, NULL, &err), CB_OK);
    }
}

/* Column col of the first row of sql ($1 = key) as a heap string ("" for NULL). */
static char *one(cb_store *s, const char *sql, const char *key)
{
    cb_store_value p[1] = {cb_store_text(key)};
    cb_store_rows *r = NULL;
    cb_error err;
    bool row = false;
    if (cb_store_query(s, sql, p, key ? 1 : 0, &r, &err) != CB_OK || cb_store_rows_next(r, &row, &err) != CB_OK)
        fail_msg("%s: %s", sql, err.msg);
    assert_true(row);
    const char *t = cb_store_rows_text(r, 0);
    char *c = strdup(t ? t : "");
    cb_store_rows_free(r);
    return c;
}

static void assert_one(cb_store *s, const char *sql, const char *key, const char *want)
{
    char *got = one(s, sql, key);
    if (strcmp(got, want) != 0)
        fail_msg("%s [%s]: got '%s', want '%s'", sql, key ? key : "", got, want);
    free(got);
}

static unsigned revision_of(cb_store *s, const char *id)
{
    cb_article *a = NULL;
    cb_kb_derived d;
    cb_error err;
    assert_int_equal(cb_kb_get(s, id, &a, &d, &err), CB_OK);
    cb_article_free(a);
    return d.revisions;
}

/* ------------------------------------------------------------------ */

static void test_add(void **state)
{
    (void)state;
    cb_store *s = team_store("add.db");
    cb_error err;
    cb_article *a = make("KB-NET-0100", "wip", "internal", "Zebrafish timeouts on the tape proxy", NULL, NULL);
    assert_int_equal(cb_kb_add(s, a, "cand", &err), CB_OK);
    assert_one(s, "SELECT author FROM articles WHERE id = $1", "KB-NET-0100", "cand");
    assert_one(s, "SELECT changes FROM article_revisions WHERE article = $1 AND n = 1", "KB-NET-0100",
               "{\"state\":[null,\"wip\"],\"audience\":[null,\"internal\"]}");
    assert_one(s, "SELECT why || ' ' || who FROM article_revisions WHERE article = $1", "KB-NET-0100",
               "created cand");
    /* created and updated come from the store's clock when the file gives none */
    char *created = one(s, "SELECT created FROM articles WHERE id = $1", "KB-NET-0100");
    assert_int_equal(strlen(created), 20);
    free(created);
    cb_kb_hits h;
    assert_int_equal(cb_kb_search(s, "zebrafish", false, 5, &h, &err), CB_OK);
    assert_int_equal(h.n, 1);
    cb_kb_hits_release(&h);
    assert_int_equal(revision_of(s, "KB-NET-0100"), 1);

    /* the same id again: refused, nothing overwritten */
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "already in the store"));
    cb_article_free(a);

    /* roles */
    struct {
        const char *who, *state, *audience, *rule;
    } rows[] = {
        {"cand", "not-validated", "internal", NULL},
        {"cand", "validated", "internal", "[validate-role]"},
        {"bob", "validated", "internal", "[validate-review]"},  /* the author cannot review herself */
        {"cand", "archived", "internal", "[archive-role]"},
        {"bob", "archived", "internal", NULL},
        {"pub", "not-validated", "public", "[audience-validated]"},
        {"bob", "not-validated", "partner", "[audience-validated]"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char id[32];
        snprintf(id, sizeof id, "KB-ADD-%04zu", i + 1);
        a = full(id, rows[i].state, rows[i].audience);
        cb_status st = cb_kb_add(s, a, rows[i].who, &err);
        if (!rows[i].rule && st != CB_OK)
            fail_msg("row %zu: %s", i, err.msg);
        if (rows[i].rule) {
            if (st != CB_EREFUSED || strncmp(err.msg, rows[i].rule, strlen(rows[i].rule)) != 0)
                fail_msg("row %zu: want %s, got %d %s", i, rows[i].rule, st, err.msg);
            assert_int_equal(cb_kb_get(s, id, &(cb_article *){NULL}, NULL, &err), CB_ENOTFOUND);
        }
        cb_article_free(a);
    }

    /* who acts */
    a = full("KB-ADD-0100", "wip", "internal");
    assert_int_equal(cb_kb_add(s, a, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_kb_add(s, a, "nobody", &err), CB_ENOTFOUND);
    /* an article that breaks the file form's rules */
    free(a->title);
    a->title = strdup("two\nlines");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_EINVAL);
    cb_article_free(a);
    /* a content rule: not-validated needs a Resolution */
    a = make("KB-ADD-0101", "wip", "internal", "t", "env\n", NULL);
    a->state = CB_KB_NOT_VALIDATED;
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_EINVAL); /* the file form itself says so */
    cb_article_free(a);
    cb_store_close(s);
}

/* ------------------------------------------------------------------ */

typedef struct trow {
    const char *who;
    const char *from, *audience;
    const char *to;
    const char *author, *reviewed_by;
    int reuse;      /* closed cases linking */
    int open_cases; /* open cases linking */
    bool force;
    bool bare;        /* no Environment/Resolution (wip content only) */
    const char *rule; /* NULL: allowed */
} trow;

static const trow transitions[] = {
    {"cand", "wip", "internal", "not-validated", "cand", NULL, 0, 0, false, false, NULL},
    {"cand", "not-validated", "internal", "wip", "cand", NULL, 0, 0, false, false, NULL},
    {"cand", "wip", "internal", "wip", NULL, NULL, 0, 0, false, false, "[same-state]"},
    {"cand", "wip", "internal", "not-validated", NULL, NULL, 0, 0, false, true, "[content]"},
    {"cand", "not-validated", "internal", "validated", NULL, NULL, 0, 0, false, false, "[validate-role]"},
    {"bob", "not-validated", "internal", "validated", "bob", NULL, 0, 0, false, false, "[validate-review]"},
    {"bob", "not-validated", "internal", "validated", "bob", NULL, 1, 0, false, false, "[validate-review]"},
    {"bob", "not-validated", "internal", "validated", "bob", NULL, 2, 0, false, false, NULL},
    {"bob", "not-validated", "internal", "validated", "bob", "cleo", 0, 0, false, false, NULL},
    {"bob", "not-validated", "internal", "validated", "cleo", NULL, 0, 0, false, false, NULL},
    {"bob", "not-validated", "internal", "validated", NULL, NULL, 0, 0, false, false, "[validate-review]"},
    {"pub", "not-validated", "internal", "validated", "cand", NULL, 0, 0, false, false, NULL},
    {"cand", "validated", "internal", "not-validated", NULL, NULL, 0, 0, false, false, "[edit-role]"},
    {"bob", "validated", "internal", "not-validated", NULL, NULL, 0, 0, false, false, NULL},
    {"pub", "validated", "public", "not-validated", NULL, NULL, 0, 0, false, false, "[audience-validated]"},
    {"pub", "validated", "public", "archived", NULL, NULL, 0, 0, false, false, NULL},
    {"cand", "not-validated", "internal", "archived", NULL, NULL, 0, 0, false, false, "[archive-role]"},
    {"cand", "archived", "internal", "wip", NULL, NULL, 0, 0, false, false, "[archive-role]"},
    {"bob", "archived", "internal", "not-validated", NULL, NULL, 0, 0, false, false, NULL},
    {"bob", "archived", "internal", "wip", NULL, NULL, 0, 0, false, true, NULL},
    {"bob", "not-validated", "internal", "archived", NULL, NULL, 0, 1, false, false, "[archive-open-cases]"},
    {"bob", "not-validated", "internal", "archived", NULL, NULL, 0, 2, true, false, NULL},
    {"bob", "not-validated", "internal", "archived", NULL, NULL, 3, 0, false, false, NULL},
    {"pub", "validated", "internal", "archived", NULL, NULL, 0, 1, false, false, "[archive-open-cases]"},
};

static void link_cases(cb_store *s, const char *id, int n, const char *status, int *ncase)
{
    cb_error err;
    for (int i = 0; i < n; i++) {
        char cid[32];
        snprintf(cid, sizeof cid, "C-%d", ++*ncase);
        cb_store_value c[2] = {cb_store_text(cid), cb_store_text(status)};
        assert_int_equal(cb_store_exec(s,
                                       "INSERT INTO cases (id, title, opened, status, closed) VALUES ($1, 't',"
                                       " '2026-01-01T00:00:00Z', $2, CASE WHEN $2 = 'closed' THEN"
                                       " '2026-01-02T00:00:00Z' END)",
                                       c, 2, NULL, &err),
                         CB_OK);
        cb_store_value l[2] = {cb_store_text(cid), cb_store_text(id)};
        assert_int_equal(cb_store_exec(s,
                                       "INSERT INTO article_links (case_id, article, type, at) VALUES ($1, $2,"
                                       " 'reused', '2026-01-02T00:00:00Z')",
                                       l, 2, NULL, &err),
                         CB_OK);
    }
}

static void test_transition_table(void **state)
{
    (void)state;
    cb_store *s = team_store("states.db");
    int ncase = 0;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
        const trow *t = &transitions[i];
        char id[32];
        snprintf(id, sizeof id, "KB-ST-%04zu", i + 1);
        cb_article *a = t->bare ? make(id, t->from, t->audience, "Bare", NULL, NULL) : full(id, t->from, t->audience);
        restore(s, a, t->author);
        cb_article_free(a);
        if (t->reviewed_by) {
            cb_store_value p[2] = {cb_store_text(id), cb_store_text(t->reviewed_by)};
            cb_error e;
            assert_int_equal(cb_store_exec(s, "UPDATE articles SET reviewed_by = $2 WHERE id = $1", p, 2, NULL, &e),
                             CB_OK);
        }
        link_cases(s, id, t->reuse, "closed", &ncase);
        link_cases(s, id, t->open_cases, "open", &ncase);
        cb_kb_state to;
        assert_true(cb_kb_state_from_name(t->to, &to));
        cb_error err;
        cb_status st = cb_kb_set_state(s, id, to, t->who, "table", t->force, &err);
        if (t->rule) {
            if (st != CB_EREFUSED || strncmp(err.msg, t->rule, strlen(t->rule)) != 0)
                fail_msg("row %zu (%s %s->%s): want %s, got %d '%s'", i, t->who, t->from, t->to, t->rule, st,
                         err.msg);
            assert_one(s, "SELECT state FROM articles WHERE id = $1", id, t->from);
            assert_int_equal(revision_of(s, id), 1);
        } else {
            if (st != CB_OK)
                fail_msg("row %zu (%s %s->%s): %s", i, t->who, t->from, t->to, err.msg);
            assert_one(s, "SELECT state FROM articles WHERE id = $1", id, t->to);
            assert_int_equal(revision_of(s, id), 2);
            char want[128];
            snprintf(want, sizeof want, "{\"state\":[\"%s\",\"%s\"]", t->from, t->to);
            char *ch = one(s, "SELECT changes FROM article_revisions WHERE article = $1 AND n = 2", id);
            assert_memory_equal(ch, want, strlen(want));
            free(ch);
        }
    }
    /* open cases are named */
    cb_error err;
    assert_int_equal(cb_kb_set_state(s, "KB-ST-0021", CB_KB_ARCHIVED, "bob", "x", false, &err), CB_EREFUSED);
    assert_non_null(strstr(err.msg, "C-"));
    cb_store_close(s);
}

static void test_set_state_records(void **state)
{
    (void)state;
    cb_store *s = team_store("review.db");
    cb_error err;
    cb_article *a = full("KB-NET-0200", "not-validated", "internal");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_OK);
    cb_article_free(a);
    /* why is required */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "cleo", "", false, &err), CB_EINVAL);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "cleo", NULL, false, &err), CB_EINVAL);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "cleo", " \n", false, &err), CB_EINVAL);
    assert_int_equal(cb_kb_set_state(s, "KB-NOPE-0001", CB_KB_VALIDATED, "cleo", "x", false, &err), CB_ENOTFOUND);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, NULL, "x", false, &err), CB_EINVAL);
    /* bob wrote it: he cannot validate it himself */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "bob", "looks right", false, &err),
                     CB_EREFUSED);
    /* cleo validates: she is its reviewer */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "cleo", "used it on a case", false, &err),
                     CB_OK);
    assert_one(s, "SELECT reviewed_by FROM articles WHERE id = $1", "KB-NET-0200", "cleo");
    char *now = one(s, "SELECT reviewed FROM articles WHERE id = $1", "KB-NET-0200");
    char *upd = one(s, "SELECT updated FROM articles WHERE id = $1", "KB-NET-0200");
    assert_string_equal(now, upd);
    char want[256];
    snprintf(want, sizeof want,
             "{\"state\":[\"not-validated\",\"validated\"],\"reviewed\":[null,\"%s\"],\"reviewed_by\":[null,"
             "\"cleo\"]}",
             now);
    assert_one(s, "SELECT changes FROM article_revisions WHERE article = $1 AND n = 2", "KB-NET-0200", want);
    assert_one(s, "SELECT who || ': ' || why FROM article_revisions WHERE article = $1 AND n = 2", "KB-NET-0200",
               "cleo: used it on a case");
    free(now);
    free(upd);
    /* back and again: now bob may validate, since cleo reviewed it */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_NOT_VALIDATED, "bob", "wrong step", false, &err),
                     CB_OK);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0200", CB_KB_VALIDATED, "bob", "fixed", false, &err), CB_OK);
    assert_one(s, "SELECT reviewed_by FROM articles WHERE id = $1", "KB-NET-0200", "cleo");
    assert_int_equal(revision_of(s, "KB-NET-0200"), 4);
    cb_store_close(s);
}

/* ------------------------------------------------------------------ */

static void test_edit(void **state)
{
    (void)state;
    cb_store *s = team_store("edit.db");
    cb_error err;
    cb_article *a = full("KB-NET-0300", "not-validated", "internal");
    assert_int_equal(cb_kb_add(s, a, "cand", &err), CB_OK);
    cb_article_free(a);
    char *before = one(s, "SELECT updated FROM articles WHERE id = $1", "KB-NET-0300");

    /* cand changes the title and the Resolution: revision 2, changes name both, updated moves */
    a = make("KB-NET-0300", "not-validated", "internal", "Disk stalls on a quokka proxy", "VBR 12\n",
             "Raise the timeout to 30 s.\n");
    assert_null(a->created); /* created is kept: it is set once, by add */
    char *created = one(s, "SELECT created FROM articles WHERE id = $1", "KB-NET-0300");
    unsigned rev = 0;
    assert_int_equal(cb_kb_edit(s, a, 1, "cand", "clearer title", &rev, &err), CB_OK);
    assert_int_equal(rev, 2);
    assert_one(s, "SELECT changes FROM article_revisions WHERE article = $1 AND n = 2", "KB-NET-0300",
               "{\"title\":[\"Disk stalls on a proxy\",\"Disk stalls on a quokka proxy\"],"
               "\"issue\":[\"The Disk stalls on a proxy issue.\\n\",\"The Disk stalls on a quokka proxy issue.\\n\"],"
               "\"resolution\":[\"Raise the timeout.\\n\",\"Raise the timeout to 30 s.\\n\"]}");
    assert_one(s, "SELECT who || ': ' || why FROM article_revisions WHERE article = $1 AND n = 2", "KB-NET-0300",
               "cand: clearer title");
    assert_one(s, "SELECT created FROM articles WHERE id = $1", "KB-NET-0300", created);
    free(created);
    char *after = one(s, "SELECT updated FROM articles WHERE id = $1", "KB-NET-0300");
    assert_true(strcmp(after, before) >= 0);
    assert_int_equal(strlen(after), 20);
    free(before);
    free(after);
    /* the full-text entry follows */
    cb_kb_hits h;
    assert_int_equal(cb_kb_search(s, "quokka", false, 5, &h, &err), CB_OK);
    assert_int_equal(h.n, 1);
    cb_kb_hits_release(&h);

    /* bob edits revision 1 meanwhile: refused, naming who saved revision 2 */
    assert_int_equal(cb_kb_edit(s, a, 1, "bob", NULL, &rev, &err), CB_ECONFLICT);
    assert_non_null(strstr(err.msg, "[conflict] KB-NET-0300: revision 2 was saved by cand at "));
    assert_non_null(strstr(err.msg, "(you edited revision 1)"));
    assert_int_equal(revision_of(s, "KB-NET-0300"), 2);

    /* an edit that changes nothing writes nothing */
    assert_int_equal(cb_kb_edit(s, a, 2, "bob", NULL, &rev, &err), CB_OK);
    assert_int_equal(rev, 2);
    assert_int_equal(revision_of(s, "KB-NET-0300"), 2);

    /* a change of state inside an edit goes through the transition rules */
    a->state = CB_KB_VALIDATED;
    assert_int_equal(cb_kb_edit(s, a, 2, "cand", NULL, &rev, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[validate-role]", 15);
    assert_int_equal(cb_kb_edit(s, a, 2, "bob", "reviewed", &rev, &err), CB_OK);
    assert_int_equal(rev, 3);
    assert_one(s, "SELECT reviewed_by FROM articles WHERE id = $1", "KB-NET-0300", "bob");
    char *ch = one(s, "SELECT changes FROM article_revisions WHERE article = $1 AND n = 3", "KB-NET-0300");
    assert_non_null(strstr(ch, "\"state\":[\"not-validated\",\"validated\"]"));
    assert_non_null(strstr(ch, "\"reviewed_by\":[null,\"bob\"]"));
    free(ch);

    /* validated: a candidate may not edit it (flag it instead) */
    free(a->defect);
    a->defect = strdup("BUG-1");
    a->reviewed = one(s, "SELECT reviewed FROM articles WHERE id = $1", "KB-NET-0300");
    assert_int_equal(cb_kb_edit(s, a, 3, "cand", NULL, &rev, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[edit-role]", 11);
    /* the audience: only a publisher widens it, and then narrowing and leaving validated in one edit works */
    a->audience = CB_KB_PUBLIC;
    assert_int_equal(cb_kb_edit(s, a, 3, "bob", NULL, &rev, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[audience-role]", 15);
    assert_int_equal(cb_kb_edit(s, a, 3, "pub", "publish", &rev, &err), CB_OK);
    assert_one(s, "SELECT audience || ' ' || defect FROM articles WHERE id = $1", "KB-NET-0300", "public BUG-1");
    a->audience = CB_KB_INTERNAL;
    a->state = CB_KB_NOT_VALIDATED;
    assert_int_equal(cb_kb_edit(s, a, 4, "bob", "withdrawn", &rev, &err), CB_OK);
    assert_one(s, "SELECT state || ' ' || audience FROM articles WHERE id = $1", "KB-NET-0300",
               "not-validated internal");
    /* an archived article is not edited */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0300", CB_KB_ARCHIVED, "bob", "obsolete", false, &err), CB_OK);
    free(a->owner);
    a->owner = strdup("someone");
    assert_int_equal(cb_kb_edit(s, a, 6, "pub", NULL, &rev, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[edit-archived]", 15);
    /* no such article */
    free(a->id);
    a->id = strdup("KB-NET-0399");
    assert_int_equal(cb_kb_edit(s, a, 1, "pub", NULL, &rev, &err), CB_ENOTFOUND);
    cb_article_free(a);
    cb_store_close(s);
}

/* ------------------------------------------------------------------ */

static void test_flags_and_history(void **state)
{
    (void)state;
    cb_store *s = team_store("flags.db");
    cb_error err;
    cb_article *a = full("KB-NET-0400", "not-validated", "internal");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_OK);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0400", CB_KB_VALIDATED, "cleo", "checked", false, &err), CB_OK);
    unsigned n = 0;
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "step 2 names the wrong menu", "cand", &n, &err), CB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "fails on v13", "bob", &n, &err), CB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "  ", "bob", &n, &err), CB_EINVAL);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "bell \a", "bob", &n, &err), CB_EINVAL);
    assert_int_equal(cb_kb_flag(s, "KB-NOPE-0001", "x", "bob", &n, &err), CB_ENOTFOUND);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "x", NULL, &n, &err), CB_EINVAL);
    cb_article *g = NULL;
    cb_kb_derived d;
    assert_int_equal(cb_kb_get(s, "KB-NET-0400", &g, &d, &err), CB_OK);
    cb_article_free(g);
    assert_int_equal(d.open_flags, 2);
    assert_int_equal(d.revisions, 2); /* flags are not revisions */

    /* resolving: a candidate may not on a validated article; bob may; twice is an error */
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 1, "cand", &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[edit-role]", 11);
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 1, "bob", &err), CB_OK);
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 1, "bob", &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "already resolved (by bob at "));
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 9, "bob", &err), CB_ENOTFOUND);
    assert_int_equal(cb_kb_get(s, "KB-NET-0400", &g, &d, &err), CB_OK);
    cb_article_free(g);
    assert_int_equal(d.open_flags, 1);

    /* archived: no new flags, but the open ones may be resolved by a contributor */
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0400", CB_KB_ARCHIVED, "bob", "replaced by KB-NET-0401", false,
                                     &err),
                     CB_OK);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0400", "x", "bob", &n, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[flag-archived]", 15);
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 2, "cand", &err), CB_EREFUSED);
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0400", 2, "cleo", &err), CB_OK);

    /* the history: revisions oldest first, flags with their state */
    cb_kb_record h;
    assert_int_equal(cb_kb_history(s, "KB-NET-0400", &h, &err), CB_OK);
    assert_int_equal(h.nrevisions, 3);
    const char *whys[] = {"created", "checked", "replaced by KB-NET-0401"};
    const char *whos[] = {"bob", "cleo", "bob"};
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(h.revisions[i].n, i + 1);
        assert_string_equal(h.revisions[i].why, whys[i]);
        assert_string_equal(h.revisions[i].who, whos[i]);
        assert_int_equal(strlen(h.revisions[i].at), 20);
        json_error_t je;
        json_t *j = json_loads(h.revisions[i].changes, 0, &je);
        assert_non_null(j);
        assert_non_null(json_object_get(j, "state"));
        json_decref(j);
    }
    assert_int_equal(h.nflags, 2);
    assert_string_equal(h.flags[0].body, "step 2 names the wrong menu");
    assert_string_equal(h.flags[0].author, "cand");
    assert_string_equal(h.flags[0].resolved_by, "bob");
    assert_string_equal(h.flags[1].resolved_by, "cleo");
    assert_non_null(h.flags[1].resolved);
    cb_kb_record_release(&h);
    cb_kb_record_release(NULL);
    assert_int_equal(cb_kb_history(s, "KB-NOPE-0001", &h, &err), CB_ENOTFOUND);
    cb_kb_record_release(&h);
    cb_article_free(a);
    cb_store_close(s);
}

/* ------------------------------------------------------------------ */

static void test_next_id(void **state)
{
    (void)state;
    cb_store *s = team_store("nextid.db");
    cb_error err;
    char id[CB_KB_ID_SIZE];
    assert_int_equal(cb_kb_next_id(s, "NET", id, &err), CB_OK);
    assert_string_equal(id, "KB-NET-0001");
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_kb_import(s, ART_DIR, NULL, &d, NULL, &err), CB_OK);
    cb_diags_release(&d);
    assert_int_equal(cb_kb_next_id(s, "NET", id, &err), CB_OK);
    assert_string_equal(id, "KB-NET-0005");
    assert_int_equal(cb_kb_next_id(s, "VBR", id, &err), CB_OK);
    assert_string_equal(id, "KB-VBR-0013");
    /* numbers of several widths: by value, not text order; KB-NE-... is another domain */
    cb_article *a = full("KB-NET-12345", "wip", "internal");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_OK);
    cb_article_free(a);
    a = full("KB-NE-0077", "wip", "internal");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_OK);
    cb_article_free(a);
    assert_int_equal(cb_kb_next_id(s, "NET", id, &err), CB_OK);
    assert_string_equal(id, "KB-NET-12346");
    assert_int_equal(cb_kb_next_id(s, "NE", id, &err), CB_OK);
    assert_string_equal(id, "KB-NE-0078");
    assert_int_equal(cb_kb_next_id(s, "net", id, &err), CB_EINVAL);
    assert_int_equal(cb_kb_next_id(s, "N", id, &err), CB_EINVAL);
    assert_int_equal(cb_kb_next_id(s, "NETWORKSX", id, &err), CB_EINVAL);
    a = full("KB-FULL-99999999", "wip", "internal");
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_OK);
    cb_article_free(a);
    assert_int_equal(cb_kb_next_id(s, "FULL", id, &err), CB_ELIMIT);
    cb_store_close(s);
}

static void test_similar(void **state)
{
    (void)state;
    cb_store *s = open_store("similar.db");
    cb_error err;
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_kb_import(s, ART_DIR, NULL, &d, NULL, &err), CB_OK);
    cb_diags_release(&d);
    /* a new article about the MTU stall, in other words */
    cb_article *a = make("KB-NET-0900", "wip", "internal",
                         "Replication stalls with connection resets over the VPN (path MTU smaller)", NULL, NULL);
    cb_kb_hits h;
    assert_int_equal(cb_kb_similar(s, a, 0.5, 3, &h, &err), CB_OK);
    assert_true(h.n >= 1 && h.n <= 3);
    assert_string_equal(h.hits[0].id, "KB-NET-0001");
    for (size_t i = 0; i < h.n; i++) {
        assert_true(h.hits[i].score >= 0.5 && h.hits[i].score <= 1);
        if (i)
            assert_true(h.hits[i].score <= h.hits[i - 1].score);
    }
    cb_kb_hits_release(&h);
    cb_article_free(a);
    /* about something else entirely: nothing */
    a = make("KB-NET-0901", "wip", "internal", "Printer toner smudges glossy envelopes", NULL, NULL);
    assert_int_equal(cb_kb_similar(s, a, 0.5, 3, &h, &err), CB_OK);
    assert_int_equal(h.n, 0);
    cb_kb_hits_release(&h);
    cb_article_free(a);
    /* an article is not its own match */
    cb_article *self = NULL;
    assert_int_equal(cb_kb_get(s, "KB-NET-0001", &self, NULL, &err), CB_OK);
    assert_int_equal(cb_kb_similar(s, self, 0.5, 10, &h, &err), CB_OK);
    for (size_t i = 0; i < h.n; i++)
        assert_string_not_equal(h.hits[i].id, "KB-NET-0001");
    cb_kb_hits_release(&h);
    assert_int_equal(cb_kb_similar(s, self, 1.5, 10, &h, &err), CB_EINVAL);
    cb_kb_hits_release(&h);
    cb_article_free(self);
    cb_store_close(s);
}

/* A store without people: no role or review rule, no actor; the article's own rules still apply. */
static void test_without_people(void **state)
{
    (void)state;
    cb_store *s = open_store("nopeople.db");
    cb_error err;
    cb_article *a = full("KB-NET-0500", "validated", "internal");
    assert_int_equal(cb_kb_add(s, a, "ghost", &err), CB_ENOTFOUND);
    assert_int_equal(cb_kb_add(s, a, NULL, &err), CB_OK);
    assert_one(s, "SELECT COALESCE(author, '-') FROM articles WHERE id = $1", "KB-NET-0500", "-");
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0500", CB_KB_VALIDATED, NULL, "x", false, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[same-state]", 12);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0500", CB_KB_ARCHIVED, NULL, "x", false, &err), CB_OK);
    a->state = CB_KB_ARCHIVED;
    assert_int_equal(cb_kb_edit(s, a, 2, NULL, NULL, NULL, &err), CB_EREFUSED);
    assert_memory_equal(err.msg, "[edit-archived]", 15);
    assert_int_equal(cb_kb_set_state(s, "KB-NET-0500", CB_KB_VALIDATED, NULL, "back", false, &err), CB_OK);
    assert_one(s, "SELECT COALESCE(reviewed_by, '-') FROM articles WHERE id = $1", "KB-NET-0500", "-");
    unsigned n;
    assert_int_equal(cb_kb_flag(s, "KB-NET-0500", "typo", NULL, &n, &err), CB_OK);
    assert_int_equal(cb_kb_flag_resolve(s, "KB-NET-0500", n, NULL, &err), CB_OK);
    /* once there are people, every change names its author */
    add_person(s, "bob", CB_ROLE_CONTRIBUTOR);
    assert_int_equal(cb_kb_flag(s, "KB-NET-0500", "typo", NULL, &n, &err), CB_EINVAL);
    /* a transaction already open is refused and left alone */
    cb_article_free(a);
    a = full("KB-NET-0501", "wip", "internal");
    assert_int_equal(cb_store_begin(s, &err), CB_OK);
    assert_int_equal(cb_kb_add(s, a, "bob", &err), CB_EINVAL);
    assert_true(cb_store_in_transaction(s));
    assert_int_equal(cb_store_rollback(s, &err), CB_OK);
    cb_article_free(a);
    cb_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_transition_table),
        cmocka_unit_test(test_set_state_records),
        cmocka_unit_test(test_edit),
        cmocka_unit_test(test_flags_and_history),
        cmocka_unit_test(test_next_id),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_without_people),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
