/*
 * answers.c — answers files (`casebook walk --answers FILE`, walk.h): a
 * YAML or JSON mapping of node id to answer, with coach attempts under
 * `coach`.
 *
 * YAML is read by the playbook loader's reader (playbook/ytree.h), so an
 * answers file has the same limits and refusals as a playbook: UTF-8 text of
 * at most 4 MiB, no anchors, aliases or tags, one document, at most
 * CB__YAML_MAX_DEPTH levels and CB__YAML_MAX_NODES values, unique keys
 * (found by sorting, not by a search per key).  JSON is checked against the
 * same depth and value caps in one pass before jansson reads it, which also
 * finds the line:col of every answer.  Nothing here is quadratic: an answers
 * file of many ids the playbook does not know is read in n log n.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "casebook/walk.h"
#include "core/internal.h"
#include "playbook/ytree.h"

static const ynames answers_names = {"answers files", "an answers file", "an answers file"};

/* ---- answers files ---- */

void cb_answers_free(cb_answers *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nanswers; i++) {
        free(a->answers[i].node);
        free(a->answers[i].text);
    }
    free(a->answers);
    for (size_t i = 0; i < a->ncoach; i++) {
        free(a->coach[i].node);
        for (size_t k = 0; k < a->coach[i].nattempts; k++)
            free(a->coach[i].attempts[k]);
        free(a->coach[i].attempts);
    }
    free(a->coach);
    free(a);
}

const cb_answer_entry *cb_answers_get(const cb_answers *a, const char *node)
{
    for (size_t i = 0; a && i < a->nanswers; i++)
        if (strcmp(a->answers[i].node, node) == 0)
            return &a->answers[i];
    return NULL;
}

const cb_coach_entry *cb_answers_coach(const cb_answers *a, const char *node)
{
    for (size_t i = 0; a && i < a->ncoach; i++)
        if (strcmp(a->coach[i].node, node) == 0)
            return &a->coach[i];
    return NULL;
}

static cb_status nomem(cb_error *err)
{
    return cb_error_set(err, CB_ENOMEM, "out of memory");
}

/* Keys are unique by then (the YAML reader and jansson refuse duplicates): no search per entry. */
static cb_status add_answer(cb_answers *a, size_t *cap, const char *node, const char *text, cb_pbloc at,
                            cb_error *err)
{
    if (!cb__grow((void **)&a->answers, cap, a->nanswers + 1, sizeof *a->answers))
        return nomem(err);
    cb_answer_entry *e = &a->answers[a->nanswers];
    e->node = strdup(node);
    e->text = strdup(text);
    e->line = at.line;
    e->col = at.col;
    a->nanswers++;
    if (!e->node || !e->text)
        return nomem(err);
    return CB_OK;
}

static cb_status add_coach(cb_answers *a, size_t *cap, const char *node, cb_pbloc at, cb_coach_entry **out,
                           cb_error *err)
{
    if (!cb__grow((void **)&a->coach, cap, a->ncoach + 1, sizeof *a->coach))
        return nomem(err);
    cb_coach_entry *e = &a->coach[a->ncoach++];
    memset(e, 0, sizeof *e);
    e->line = at.line;
    e->col = at.col;
    if (!(e->node = strdup(node)))
        return nomem(err);
    *out = e;
    return CB_OK;
}

static cb_status add_attempt_text(cb_coach_entry *e, size_t *cap, const char *text, cb_error *err)
{
    if (!cb__grow((void **)&e->attempts, cap, e->nattempts + 1, sizeof *e->attempts))
        return nomem(err);
    if (!(e->attempts[e->nattempts] = strdup(text)))
        return nomem(err);
    e->nattempts++;
    return CB_OK;
}

/* ---- YAML ---- */

typedef struct reader {
    cb_answers *a;
    const char *path;
    cb_error *err;
    size_t capanswers, capcoach;
} reader;

static const char *kind_word(const ynode *n)
{
    return n->kind == Y_MAP ? "a mapping" : n->kind == Y_SEQ ? "a list" : "text";
}

static cb_status yerr(reader *R, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static cb_status yerr(reader *R, const ynode *n, const char *fmt, ...)
{
    char msg[CB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cb_error_set_at(R->err, CB_EPARSE, R->path, n->loc.line, n->loc.col, "%s", msg);
}

/* One answer text: a non-null scalar (the reader has refused NUL bytes already). */
static cb_status ytext(reader *R, const ynode *n, const char *what, const char *node)
{
    if (n->kind != Y_SCALAR)
        return yerr(R, n, "the %s for node '%s' must be text, not %s", what, node, kind_word(n));
    if (cb__ynull(n))
        return yerr(R, n, "the %s for node '%s' has no value", what, node);
    return CB_OK;
}

static cb_status yaml_coach(reader *R, const ynode *map)
{
    if (map->kind != Y_MAP)
        return yerr(R, map, "'coach' must be a mapping of node id to a list of answers, not %s",
                    kind_word(map));
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        const ynode *k = map->kids[i], *v = map->kids[i + 1];
        if (k->kind != Y_SCALAR)
            return yerr(R, k, "coach keys must be node ids");
        cb_coach_entry *e;
        size_t cap = 0;
        cb_status st = add_coach(R->a, &R->capcoach, k->str, v->loc, &e, R->err);
        if (st)
            return st;
        const ynode *const *items = v->kind == Y_SEQ ? (const ynode *const *)v->kids : &v;
        size_t n = v->kind == Y_SEQ ? v->nkids : 1;
        for (size_t j = 0; j < n; j++)
            if ((st = ytext(R, items[j], "coach answer", k->str)) ||
                (st = add_attempt_text(e, &cap, items[j]->str, R->err)))
                return st;
    }
    return CB_OK;
}

static cb_status parse_yaml(reader *R, yfile *Y)
{
    ynode *root = NULL;
    cb_status st = cb__yfile_tree(Y, &root);
    if (st || Y->ndiags)
        return st ? st : CB_EPARSE; /* the caller turns the diagnostics into the error */
    if (!root || cb__ynull(root))
        return CB_OK; /* an empty file answers nothing: the walk stops at the first node that needs a person
                       */
    if (root->kind != Y_MAP)
        return yerr(R, root, "an answers file is a mapping of node id to answer, not %s", kind_word(root));
    for (size_t i = 0; i + 1 < root->nkids; i += 2) {
        const ynode *k = root->kids[i], *v = root->kids[i + 1];
        if (k->kind != Y_SCALAR)
            return yerr(R, k, "keys must be node ids, not %s", kind_word(k));
        if (strcmp(k->str, "coach") == 0 && v->kind != Y_SCALAR)
            st = yaml_coach(R, v);
        else if (!(st = ytext(R, v, "answer", k->str)))
            st = add_answer(R->a, &R->capanswers, k->str, v->str, v->loc, R->err);
        if (st)
            return st;
    }
    return CB_OK;
}

/* ---- JSON ---- */

static const char *jkind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true or false";
    case JSON_NULL:
        return "null";
    default:
        return "a string";
    }
}

/*
 * One pass over JSON text before jansson parses it: the YAML reader's caps
 * (depth, number of values) hold for JSON too, and the line:col of each
 * value of the top-level object and of its "coach" object are kept, in file
 * order, which is the order jansson iterates in.  Syntax is jansson's
 * business: on text that is not JSON this only has to stop.
 */
typedef struct jscan {
    cb_pbloc *top, *coach; /* value positions */
    size_t ntop, ncoach, captop, capcoach;
} jscan;

static cb_status json_scan(reader *R, const char *s, size_t len, jscan *J)
{
    cb_pbloc loc = {1, 1};
    size_t depth = 0, values = 0, coach_depth = 0;
    bool after_colon = false, key_is_coach = false, expect_key = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        cb_pbloc at = loc;
        if (c == '\n') {
            loc.line++;
            loc.col = 1;
            continue;
        }
        if ((c & 0xC0) != 0x80)
            loc.col++;
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        bool value_start = after_colon;
        after_colon = false;
        if (value_start) {
            if (depth == 1 && !cb__grow((void **)&J->top, &J->captop, J->ntop + 1, sizeof *J->top))
                return nomem(R->err);
            if (depth == 1)
                J->top[J->ntop++] = at;
            if (depth == 2 && coach_depth == 2 &&
                !cb__grow((void **)&J->coach, &J->capcoach, J->ncoach + 1, sizeof *J->coach))
                return nomem(R->err);
            if (depth == 2 && coach_depth == 2)
                J->coach[J->ncoach++] = at;
        }
        if (c == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            if (expect_key && depth == 1)
                key_is_coach = j < len && j - i - 1 == 5 && !memcmp(s + i + 1, "coach", 5);
            for (size_t k = i + 1; k <= j && k < len; k++)
                loc.col += ((unsigned char)s[k] & 0xC0) != 0x80;
            i = j;
            if (++values > CB__YAML_MAX_NODES)
                goto too_many;
            expect_key = false;
            continue;
        }
        if (c == ':') {
            after_colon = true;
            continue;
        }
        if (c == '{' || c == '[') {
            if (++depth > CB__YAML_MAX_DEPTH)
                return cb_error_set_at(R->err, CB_EPARSE, R->path, at.line, at.col,
                                       "nested more than %d levels deep: this is not an answers file",
                                       CB__YAML_MAX_DEPTH);
            if (++values > CB__YAML_MAX_NODES)
                goto too_many;
            if (value_start && depth == 2 && key_is_coach && c == '{')
                coach_depth = 2;
            expect_key = c == '{';
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth == coach_depth)
                coach_depth = 0;
            depth -= depth > 0;
            continue;
        }
        if (c == ',') {
            expect_key = true; /* in a list too: harmless, a list item never sets key_is_coach at depth 1 */
            continue;
        }
        if (++values > CB__YAML_MAX_NODES) /* a number, true, false or null: its first character */
            goto too_many;
        while (i + 1 < len && !strchr(",:]} \t\r\n\"", s[i + 1])) {
            i++;
            loc.col++;
        }
        continue;
    too_many:
        return cb_error_set_at(R->err, CB_EPARSE, R->path, at.line, at.col,
                               "more than %d values: this is not an answers file", CB__YAML_MAX_NODES);
    }
    return CB_OK;
}

static cb_pbloc jloc(const cb_pbloc *v, size_t n, size_t i)
{
    return i < n ? v[i] : (cb_pbloc){0, 0};
}

static cb_status parse_json(reader *R, const char *text, size_t len)
{
    jscan J = {0};
    json_t *root = NULL;
    cb_status st = json_scan(R, text, len, &J);
    if (st)
        goto out;
    json_error_t je;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        st = cb_error_set_at(R->err, CB_EPARSE, R->path, je.line > 0 ? je.line : 0,
                             je.column > 0 ? je.column : 0, "%s", je.text);
        goto out;
    }
    if (!json_is_object(root)) {
        st = cb_error_set_at(R->err, CB_EPARSE, R->path, 1, 1,
                             "an answers file is an object of node id to answer, not %s", jkind(root));
        goto out;
    }
    const char *key;
    json_t *v;
    size_t ti = 0, ci = 0;
    json_object_foreach(root, key, v)
    {
        cb_pbloc at = jloc(J.top, J.ntop, ti++);
        if (strcmp(key, "coach") == 0 && json_is_object(v)) {
            const char *node;
            json_t *list;
            json_object_foreach(v, node, list)
            {
                cb_coach_entry *e;
                size_t cap = 0;
                cb_pbloc cat = jloc(J.coach, J.ncoach, ci++);
                if ((st = add_coach(R->a, &R->capcoach, node, cat, &e, R->err)))
                    goto out;
                if (json_is_string(list)) {
                    if ((st = add_attempt_text(e, &cap, json_string_value(list), R->err)))
                        goto out;
                    continue;
                }
                if (!json_is_array(list)) {
                    st = cb_error_set_at(R->err, CB_EPARSE, R->path, cat.line, cat.col,
                                         "the coach answers for node '%s' must be a list of strings, not %s",
                                         node, jkind(list));
                    goto out;
                }
                size_t i;
                json_t *x;
                json_array_foreach(list, i, x)
                {
                    if (!json_is_string(x)) {
                        st = cb_error_set_at(R->err, CB_EPARSE, R->path, cat.line, cat.col,
                                             "coach answer %zu for node '%s' must be a string, not %s", i + 1,
                                             node, jkind(x));
                        goto out;
                    }
                    if ((st = add_attempt_text(e, &cap, json_string_value(x), R->err)))
                        goto out;
                }
            }
            continue;
        }
        if (!json_is_string(v)) {
            st = cb_error_set_at(R->err, CB_EPARSE, R->path, at.line, at.col,
                                 "the answer for node '%s' must be a string, not %s", key, jkind(v));
            goto out;
        }
        if ((st = add_answer(R->a, &R->capanswers, key, json_string_value(v), at, R->err)))
            goto out;
    }
out:
    json_decref(root);
    free(J.top);
    free(J.coach);
    return st;
}

cb_status cb_answers_load(const char *path, cb_answers **out, cb_error *err)
{
    *out = NULL;
    cb_diags d;
    cb_diags_init(&d);
    yfile Y = {0};
    reader R = {.path = path, .err = err};
    cb_status st = CB_ENOMEM;
    if (!(R.a = calloc(1, sizeof *R.a)))
        goto out;
    st = cb__yfile_text(&Y, path, &answers_names, &d);
    if (!st) {
        const char *text = (const char *)Y.text;
        size_t skip = 0;
        while (skip < Y.len && strchr(" \t\r\n", text[skip]))
            skip++;
        if (skip < Y.len && text[skip] == '{')
            st = parse_json(&R, text, Y.len);
        else
            st = parse_yaml(&R, &Y);
    }
out:
    if (st == CB_ENOMEM) {
        nomem(err);
    } else if (d.n) {
        /* The reader's diagnostics: the first in the file is the error (they are all about this file). */
        cb_diags_sort(&d);
        cb_error_set_at(err, st == CB_OK ? CB_EPARSE : st, path, d.v[0].line, d.v[0].col, "%s", d.v[0].msg);
        if (st == CB_OK)
            st = CB_EPARSE;
    }
    cb_diags_release(&d);
    cb__yfile_release(&Y);
    if (st) {
        cb_answers_free(R.a);
        return st;
    }
    *out = R.a;
    return CB_OK;
}
