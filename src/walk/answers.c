/*
 * answers.c — answers files (`casebook walk --answers FILE`, walk.h): a
 * YAML or JSON mapping of node id to answer, with coach attempts under
 * `coach`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "casebook/buf.h"
#include "casebook/walk.h"
#include "core/internal.h"

enum {
    MAX_ANSWERS_FILE = 4 << 20, /* as for playbooks: an answers file is small hand-written text */
};

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

static cb_status add_answer(cb_answers *a, const char *path, const char *node, const char *text, int line,
                            int col, cb_error *err)
{
    const cb_answer_entry *dup = cb_answers_get(a, node);
    if (dup)
        return cb_error_set_at(err, CB_EPARSE, path, line, col,
                               "node '%s' is answered twice (first at line %d, column %d)", node, dup->line,
                               dup->col);
    cb_answer_entry *v = realloc(a->answers, (a->nanswers + 1) * sizeof *v);
    if (!v)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    a->answers = v;
    cb_answer_entry *e = &v[a->nanswers];
    e->node = strdup(node);
    e->text = strdup(text);
    e->line = line;
    e->col = col;
    a->nanswers++;
    if (!e->node || !e->text)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    return CB_OK;
}

static cb_status add_coach(cb_answers *a, const char *path, const char *node, int line, int col,
                           cb_coach_entry **out, cb_error *err)
{
    const cb_coach_entry *dup = cb_answers_coach(a, node);
    if (dup)
        return cb_error_set_at(err, CB_EPARSE, path, line, col,
                               "coach answers for node '%s' are given twice (first at line %d, column %d)",
                               node, dup->line, dup->col);
    cb_coach_entry *v = realloc(a->coach, (a->ncoach + 1) * sizeof *v);
    if (!v)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    a->coach = v;
    cb_coach_entry *e = &v[a->ncoach++];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->col = col;
    if (!(e->node = strdup(node)))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    *out = e;
    return CB_OK;
}

static cb_status add_attempt_text(cb_coach_entry *e, const char *text, cb_error *err)
{
    char **v = realloc(e->attempts, (e->nattempts + 1) * sizeof *v);
    if (!v)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    e->attempts = v;
    if (!(v[e->nattempts] = strdup(text)))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    e->nattempts++;
    return CB_OK;
}

/* ---- YAML ---- */

static int yline(const yaml_node_t *n)
{
    return (int)CB_MIN(n->start_mark.line + 1, (size_t)INT32_MAX);
}

static int ycol(const yaml_node_t *n)
{
    return (int)CB_MIN(n->start_mark.column + 1, (size_t)INT32_MAX);
}

static const char *ykind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE ? "a mapping" : n->type == YAML_SEQUENCE_NODE ? "a list" : "text";
}

/* A plain `~`, `null` or nothing is YAML's null: no answer. */
static bool ynull(const yaml_node_t *n)
{
    const char *v = (const char *)n->data.scalar.value;
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!v[0] || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL"));
}

/* One answer text: a non-null scalar. */
static cb_status ytext(const char *path, const yaml_node_t *n, const char *what, const char *node,
                       cb_error *err)
{
    if (n->type != YAML_SCALAR_NODE)
        return cb_error_set_at(err, CB_EPARSE, path, yline(n), ycol(n),
                               "the %s for node '%s' must be text, not %s", what, node, ykind(n));
    if (ynull(n))
        return cb_error_set_at(err, CB_EPARSE, path, yline(n), ycol(n), "the %s for node '%s' has no value",
                               what, node);
    if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
        return cb_error_set_at(err, CB_EPARSE, path, yline(n), ycol(n),
                               "the %s for node '%s' contains a NUL byte", what, node);
    return CB_OK;
}

static cb_status yaml_coach(cb_answers *a, const char *path, yaml_document_t *doc, yaml_node_t *map,
                            cb_error *err)
{
    if (map->type != YAML_MAPPING_NODE)
        return cb_error_set_at(err, CB_EPARSE, path, yline(map), ycol(map),
                               "'coach' must be a mapping of node id to a list of answers, not %s",
                               ykind(map));
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key), *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            return cb_error_set_at(err, CB_EPARSE, path, k ? yline(k) : 0, k ? ycol(k) : 0,
                                   "coach keys must be node ids");
        const char *node = (const char *)k->data.scalar.value;
        cb_coach_entry *e;
        cb_status st = add_coach(a, path, node, yline(v), ycol(v), &e, err);
        if (st)
            return st;
        if (v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *x = yaml_document_get_node(doc, *it);
                if (!x)
                    continue;
                if ((st = ytext(path, x, "coach answer", node, err)) ||
                    (st = add_attempt_text(e, (const char *)x->data.scalar.value, err)))
                    return st;
            }
        } else {
            if ((st = ytext(path, v, "coach answer", node, err)) ||
                (st = add_attempt_text(e, (const char *)v->data.scalar.value, err)))
                return st;
        }
    }
    return CB_OK;
}

static cb_status parse_yaml(cb_answers *a, const char *path, const char *text, size_t len, cb_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    cb_status st = CB_OK;
    if (!yaml_parser_initialize(&parser))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        const char *problem = parser.problem ? parser.problem : "invalid YAML";
        if (parser.error == YAML_MEMORY_ERROR)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
        else if (parser.context)
            st = cb_error_set_at(err, CB_EPARSE, path, (int)parser.problem_mark.line + 1,
                                 (int)parser.problem_mark.column + 1, "%s (%s at line %d, column %d)",
                                 problem, parser.context, (int)parser.context_mark.line + 1,
                                 (int)parser.context_mark.column + 1);
        else
            st = cb_error_set_at(err, CB_EPARSE, path, (int)parser.problem_mark.line + 1,
                                 (int)parser.problem_mark.column + 1, "%s", problem);
        yaml_parser_delete(&parser);
        return st;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || (root->type == YAML_SCALAR_NODE && ynull(root))) {
        /* An empty file answers nothing: the walk stops at the first node that needs a person. */
    } else if (root->type != YAML_MAPPING_NODE) {
        st = cb_error_set_at(err, CB_EPARSE, path, yline(root), ycol(root),
                             "an answers file is a mapping of node id to answer, not %s", ykind(root));
    } else {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; !st && p < root->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&doc, p->key),
                        *v = yaml_document_get_node(&doc, p->value);
            if (!k || !v)
                continue;
            if (k->type != YAML_SCALAR_NODE) {
                st = cb_error_set_at(err, CB_EPARSE, path, yline(k), ycol(k), "keys must be node ids, not %s",
                                     ykind(k));
                break;
            }
            const char *node = (const char *)k->data.scalar.value;
            if (strcmp(node, "coach") == 0 && v->type != YAML_SCALAR_NODE)
                st = yaml_coach(a, path, &doc, v, err);
            else if (!(st = ytext(path, v, "answer", node, err)))
                st = add_answer(a, path, node, (const char *)v->data.scalar.value, yline(v), ycol(v), err);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
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

static cb_status parse_json(cb_answers *a, const char *path, const char *text, size_t len, cb_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return cb_error_set_at(err, CB_EPARSE, path, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
                               "%s", je.text);
    cb_status st = CB_OK;
    const char *key;
    json_t *v;
    if (!json_is_object(root)) {
        st = cb_error_set_at(err, CB_EPARSE, path, 1, 1,
                             "an answers file is an object of node id to answer, not %s", jkind(root));
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "coach") == 0 && json_is_object(v)) {
            const char *node;
            json_t *list;
            json_object_foreach(v, node, list)
            {
                cb_coach_entry *e;
                if ((st = add_coach(a, path, node, 0, 0, &e, err)))
                    goto out;
                if (json_is_string(list)) {
                    if ((st = add_attempt_text(e, json_string_value(list), err)))
                        goto out;
                    continue;
                }
                if (!json_is_array(list)) {
                    st = cb_error_set_at(err, CB_EPARSE, path, 0, 0,
                                         "the coach answers for node '%s' must be a list of strings, not %s",
                                         node, jkind(list));
                    goto out;
                }
                size_t i;
                json_t *x;
                json_array_foreach(list, i, x)
                {
                    if (!json_is_string(x)) {
                        st = cb_error_set_at(err, CB_EPARSE, path, 0, 0,
                                             "coach answer %zu for node '%s' must be a string, not %s", i + 1,
                                             node, jkind(x));
                        goto out;
                    }
                    if ((st = add_attempt_text(e, json_string_value(x), err)))
                        goto out;
                }
            }
            continue;
        }
        if (!json_is_string(v)) {
            st = cb_error_set_at(err, CB_EPARSE, path, 0, 0,
                                 "the answer for node '%s' must be a string, not %s", key, jkind(v));
            goto out;
        }
        if ((st = add_answer(a, path, key, json_string_value(v), 0, 0, err)))
            goto out;
    }
out:
    json_decref(root);
    return st;
}

cb_status cb_answers_load(const char *path, cb_answers **out, cb_error *err)
{
    *out = NULL;
    cb_status st;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_error_set_at(err, errno == ENOENT ? CB_ENOTFOUND : CB_EIO, path, 0, 0, "cannot open: %s",
                               strerror(errno));
    cb_buf b;
    cb_buf_init(&b, MAX_ANSWERS_FILE);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if ((st = cb_buf_append(&b, chunk, n))) {
            fclose(f);
            cb_buf_release(&b);
            if (st == CB_ELIMIT)
                return cb_error_set_at(err, CB_ELIMIT, path, 0, 0,
                                       "file is larger than the %d MiB an answers file "
                                       "may have",
                                       MAX_ANSWERS_FILE >> 20);
            return cb_error_set(err, CB_ENOMEM, "out of memory");
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        cb_buf_release(&b);
        return cb_error_set_at(err, CB_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    }
    cb_answers *a = calloc(1, sizeof *a);
    if (!a) {
        cb_buf_release(&b);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    const char *text = b.data ? b.data : "";
    size_t skip = strspn(text, " \t\r\n");
    if (text[skip] == '{')
        st = parse_json(a, path, text, b.len, err);
    else
        st = parse_yaml(a, path, text, b.len, err);
    cb_buf_release(&b);
    if (st) {
        cb_answers_free(a);
        return st;
    }
    *out = a;
    return CB_OK;
}
