/*
 * model.c — the playbook model's lifecycle, names and id lookups.
 *
 * Lookups go through index arrays sorted by id, so that resolving every
 * reference of a (possibly hostile, very large) playbook costs n log n, not n².
 */
#include <stdlib.h>

#include "playbook/pb_int.h"
#include "core/internal.h"

const char *cb_severity_name(cb_severity sev)
{
    static const char *const names[] = {"info", "warning", "error", "critical"};
    return (unsigned)sev < CB_ARRAY_LEN(names) ? names[sev] : "unknown";
}

const char *cb_node_kind_name(cb_node_kind kind)
{
    static const char *const names[] = {"check", "ask", "do", "conclude"};
    return (unsigned)kind < CB_ARRAY_LEN(names) ? names[kind] : "unknown";
}

static void strs_free(cb_pbstr *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].s);
    free(v);
}

static void node_release(cb_node *nd)
{
    free(nd->id);
    free(nd->text.s);
    for (size_t i = 0; i < nd->nsigs; i++)
        free(nd->sigs[i].id);
    free(nd->sigs);
    free(nd->yes.id);
    free(nd->no.id);
    for (size_t i = 0; i < nd->nchoices; i++) {
        free(nd->choices[i].label.s);
        free(nd->choices[i].target.id);
    }
    free(nd->choices);
    free(nd->record.s);
    free(nd->next.id);
    free(nd->cause.s);
    free(nd->resolution.s);
    free(nd->article.s);
    if (nd->coach) {
        free(nd->coach->ask.s);
        strs_free(nd->coach->choices, nd->coach->nchoices);
        strs_free(nd->coach->expect, nd->coach->nexpect);
        strs_free(nd->coach->hints, nd->coach->nhints);
        free(nd->coach);
    }
}

void cb_playbook_free(cb_playbook *pb)
{
    if (!pb)
        return;
    free(pb->path);
    free(pb->id.s);
    free(pb->title.s);
    free(pb->product.s);
    free(pb->versions.s);
    free(pb->article.s);
    strs_free(pb->tags, pb->ntags);
    for (size_t i = 0; i < pb->nsignatures; i++) {
        cb_signature *s = &pb->signatures[i];
        free(s->id);
        free(s->pattern.s);
        strs_free(s->files, s->nfiles);
        free(s->describe.s);
    }
    free(pb->signatures);
    free(pb->start.id);
    for (size_t i = 0; i < pb->nnodes; i++)
        node_release(&pb->nodes[i]);
    free(pb->nodes);
    for (size_t i = 0; i < pb->ntests; i++) {
        cb_pbtest *t = &pb->tests[i];
        free(t->name.s);
        for (size_t k = 0; k < t->nlogs; k++) {
            free(t->logs[k].path.s);
            free(t->logs[k].content.s);
        }
        free(t->logs);
        for (size_t k = 0; k < t->nanswers; k++) {
            free(t->answers[k].node.id);
            free(t->answers[k].answer.s);
        }
        free(t->answers);
        free(t->expect.id);
    }
    free(pb->tests);
    free(pb->node_order_);
    free(pb->sig_order_);
    free(pb);
}

/* qsort has no context argument in C11: sort (id, index) pairs instead. */
typedef struct idpair {
    const char *id;
    int index;
} idpair;

static int idpair_cmp(const void *a, const void *b)
{
    const idpair *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int *sorted_order(const void *base, size_t n, size_t stride)
{
    idpair *pairs = malloc((n ? n : 1) * sizeof *pairs);
    int *order = malloc((n ? n : 1) * sizeof *order);
    if (!pairs || !order) {
        free(pairs);
        free(order);
        return NULL;
    }
    /* Both cb_node and cb_signature start with `char *id`. */
    for (size_t i = 0; i < n; i++)
        pairs[i] = (idpair){*(char *const *)((const char *)base + i * stride), (int)i};
    qsort(pairs, n, sizeof *pairs, idpair_cmp);
    for (size_t i = 0; i < n; i++)
        order[i] = pairs[i].index;
    free(pairs);
    return order;
}

/* Binary search for the first entry with this id (the first defined, when duplicated). */
static int lookup(const int *order, size_t n, const void *base, size_t stride, const char *id)
{
    if (!order || !id)
        return -1;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *mid_id = *(char *const *)((const char *)base + (size_t)order[mid] * stride);
        if (strcmp(mid_id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && !strcmp(*(char *const *)((const char *)base + (size_t)order[lo] * stride), id))
        return order[lo];
    return -1;
}

int cb_playbook_node(const cb_playbook *pb, const char *id)
{
    return lookup(pb->node_order_, pb->nnodes, pb->nodes, sizeof *pb->nodes, id);
}

int cb_playbook_signature(const cb_playbook *pb, const char *id)
{
    return lookup(pb->sig_order_, pb->nsignatures, pb->signatures, sizeof *pb->signatures, id);
}

static void resolve_node(const cb_playbook *pb, cb_pbref *r)
{
    r->index = cb_playbook_node(pb, r->id);
}

cb_status cb__playbook_index(cb_playbook *pb)
{
    free(pb->node_order_);
    free(pb->sig_order_);
    pb->node_order_ = sorted_order(pb->nodes, pb->nnodes, sizeof *pb->nodes);
    pb->sig_order_ = sorted_order(pb->signatures, pb->nsignatures, sizeof *pb->signatures);
    if (!pb->node_order_ || !pb->sig_order_)
        return CB_ENOMEM;
    resolve_node(pb, &pb->start);
    for (size_t i = 0; i < pb->nnodes; i++) {
        cb_node *nd = &pb->nodes[i];
        for (size_t k = 0; k < nd->nsigs; k++)
            nd->sigs[k].index = cb_playbook_signature(pb, nd->sigs[k].id);
        resolve_node(pb, &nd->yes);
        resolve_node(pb, &nd->no);
        resolve_node(pb, &nd->next);
        for (size_t k = 0; k < nd->nchoices; k++)
            resolve_node(pb, &nd->choices[k].target);
    }
    for (size_t i = 0; i < pb->ntests; i++) {
        cb_pbtest *t = &pb->tests[i];
        resolve_node(pb, &t->expect);
        for (size_t k = 0; k < t->nanswers; k++)
            resolve_node(pb, &t->answers[k].node);
    }
    return CB_OK;
}
