/*
 * auto.c — walks without a person: triage's walk of every playbook that the
 * logs alone can take, and `casebook test`'s walk with a test's answers.
 * Both drive the one walk engine (walk.c) and read its answers through the
 * one definition of an answer (cb_answer_*), so a playbook test, a triage
 * and an engineer's walk take the same path for the same logs and answers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "casebook/walk.h"
#include "core/internal.h"

void cb_autowalk_release(cb_autowalk *w)
{
    if (!w)
        return;
    free(w->path);
    for (size_t i = 0; i < w->nwhy; i++)
        free(w->why[i]);
    free(w->why);
    memset(w, 0, sizeof *w);
    w->stop_node = -1;
}

static cb_status why(cb_autowalk *w, size_t *cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static cb_status why(cb_autowalk *w, size_t *cap, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!cb__grow((void **)&w->why, cap, w->nwhy + 1, sizeof *w->why))
        return CB_ENOMEM;
    if (!(w->why[w->nwhy] = strdup(buf)))
        return CB_ENOMEM;
    w->nwhy++;
    return CB_OK;
}

/* "conn-reset 238 + data-timeout 0 = 238" into buf. */
static void describe_sum(const cb_walk *wk, const cb_node *n, uint64_t total, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n->nsigs && o < size; i++) {
        int s = n->sigs[i].index;
        o += (size_t)snprintf(buf + o, size - o, "%s%s %llu", i ? " + " : "", n->sigs[i].id,
                              (unsigned long long)(s >= 0 ? cb_walk_hits(wk, (size_t)s) : 0));
    }
    if (n->nsigs > 1 && o < size)
        snprintf(buf + o, size - o, " = %llu", (unsigned long long)total);
}

const char *cb_walk_script_text(const cb_walk_prompt *p, const char *scripted)
{
    if (scripted && p->stage == CB_WALK_STAGE_NODE && p->kind == CB_NODE_DO)
        return "done";
    return scripted;
}

/* Answer the prompt p (NODE or RECORD stage) from the script or the logs; *stop when neither can. */
static cb_status step(cb_walk *wk, const cb_walk_prompt *p, cb_answer_fn answer, void *ctx, cb_autowalk *w,
                      size_t *capwhy, bool *stop)
{
    const cb_node *n = p->n;
    const char *scripted = answer ? answer(ctx, n) : NULL;
    const char *text = cb_walk_script_text(p, scripted);
    *stop = false;
    if (!text && !(p->stage == CB_WALK_STAGE_NODE && p->logs_answer)) {
        *stop = true; /* needs a person */
        return CB_OK;
    }
    cb_walk_result r;
    cb_status st = cb_walk_answer(wk, text, text ? "script" : NULL, &r);
    if (st == CB_EINVAL) { /* the walk would go round without a person answering: cb_walk_answer stopped it */
        *stop = true;
        return why(w, capwhy, "%s: the walk would come back here without an answer in between", n->id);
    }
    if (st)
        return st;
    if (r.verdict == CB_ANSWER_INVALID) {
        *stop = true;
        return why(w, capwhy, "%s: '%s' is not an answer to it: %s", n->id, scripted, r.message);
    }
    if (p->stage == CB_WALK_STAGE_RECORD)
        return why(w, capwhy, "%s: done ('%s')", n->id, scripted);
    switch (n->kind) {
    case CB_NODE_CHECK:
        if (text)
            return why(w, capwhy, "%s: answered %s", n->id, r.answer);
        {
            char sum[512];
            describe_sum(wk, n, p->hits, sum, sizeof sum);
            return why(w, capwhy, "%s: %s %s min %llu: %s", n->id, sum, p->hits >= n->min ? ">=" : "<",
                       (unsigned long long)n->min, r.answer);
        }
    case CB_NODE_ASK:
        return why(w, capwhy, "%s: answered '%s'", n->id, r.answer);
    case CB_NODE_DO:
        if (n->record.s)
            return CB_OK; /* said once its record question is answered */
        return why(w, capwhy, "%s: done ('%s')", n->id, scripted);
    case CB_NODE_CONCLUDE:
        break;
    }
    return CB_OK;
}

cb_status cb_autowalk_run(const cb_triage *t, const cb_finding *f, cb_answer_fn answer, void *ctx,
                          cb_autowalk *w, cb_error *err)
{
    memset(w, 0, sizeof *w);
    w->stop_node = -1;
    w->stop = CB_WALK_NEEDS_HUMAN;
    const cb_playbook *pb = f->pb;
    cb_walk_opts o;
    cb_walk_opts_init(&o);
    o.triage = t;
    o.finding = f;
    o.max_evidence = 0;
    cb_walk *wk = NULL;
    cb_status st = cb_walk_new(pb, &o, &wk, err);
    if (st)
        return st;
    size_t capwhy = 0;
    cb_walk_prompt p;
    for (;;) {
        if ((st = cb_walk_current(wk, &p)))
            goto oom;
        if (p.stage == CB_WALK_STAGE_END)
            break;
        bool stop;
        if ((st = step(wk, &p, answer, ctx, w, &capwhy, &stop)))
            goto oom;
        if (stop)
            break;
    }
    /* The path: every step's node, then the node the walk stopped at when it did not conclude. */
    size_t nsteps = cb_walk_step_count(wk);
    if (!(w->path = calloc(nsteps + 1, sizeof *w->path))) {
        st = CB_ENOMEM;
        goto oom;
    }
    for (size_t i = 0; i < nsteps; i++) {
        int node = cb_walk_step_at(wk, i)->node;
        if (!w->npath || w->path[w->npath - 1] != node) /* a do node's record is a second step */
            w->path[w->npath++] = node;
    }
    if (cb_walk_get_status(wk) == CB_WS_CONCLUDED) {
        w->stop = CB_WALK_CONCLUDED;
    } else if (p.node >= 0 && (!w->npath || w->path[w->npath - 1] != p.node)) {
        w->path[w->npath++] = p.node;
    }
    w->stop_node = w->npath ? w->path[w->npath - 1] : -1;
    cb_walk_free(wk);
    return CB_OK;
oom:
    cb_walk_free(wk);
    cb_autowalk_release(w);
    return cb_error_set(err, st, "out of memory");
}
