/*
 * walk.c — the state machine of an engineer's walk through a playbook
 * (walk.h): stages, answers, coach grading, the steps of the transcript,
 * and undo by replaying answers (transcript.c saves and resumes walks;
 * answers files are read here until they move out).
 *
 * Every accepted or graded answer is kept in an input log.  Undo and resume
 * both work by restarting the walk at the start node and feeding it inputs
 * again: a walk is deterministic given its playbook, its triage and its
 * inputs, so replaying is simpler and safer than keeping reversible state,
 * and walks are a few dozen answers at most.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <yaml.h>

#include "casebook/buf.h"
#include "casebook/timefmt.h"
#include "casebook/utf8.h"
#include "casebook/walk.h"
#include "core/internal.h"
#include "walk/walk_int.h"

/* ---- small helpers ---- */

static void strlist_clear(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
}

static void strlist_release(strlist *l)
{
    strlist_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

/* Take ownership of s (which may be NULL after a failed allocation); returns s, or NULL with s freed. */
static char *keep(strlist *l, char *s)
{
    if (!s)
        return NULL;
    if (!cb__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        free(s);
        return NULL;
    }
    l->v[l->n++] = s;
    return s;
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

/* A copy of s without leading and trailing blanks (spaces, tabs, CR, LF). */
static char *trim_dup(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return strndup(s, n);
}

int64_t cb__walk_now(const cb_walk *w)
{
    if (w->now_ms)
        return w->now_ms(w->now_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool cb__walk_parse_iso(const char *s, int64_t *ms)
{
    cb_timefmt f = {.kind = CB_TIME_ISO8601};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &f, 0);
    return s && cb_time_parse(&ctx, s, strlen(s), ms);
}

const char *cb_walk_status_name(cb_walk_status st)
{
    switch (st) {
    case CB_WS_ACTIVE:
    case CB_WS_STOPPED:
        return "stopped";
    case CB_WS_CONCLUDED:
        return "concluded";
    case CB_WS_SKIPPED:
        return "skipped";
    case CB_WS_QUIT:
        return "quit";
    }
    return "stopped";
}

void cb_walk_opts_init(cb_walk_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->mode = CB_WALK_GUIDE;
    opts->max_evidence = DEFAULT_EVIDENCE;
}

/* ---- variables and texts ---- */

static const char *var_lookup(void *ctx, const char *name)
{
    return cb_walk_var(ctx, name);
}

const char *cb_walk_var(const cb_walk *w, const char *name)
{
    /* The latest record answer on the path wins: back removes steps, and with them their values. */
    for (size_t i = w->nsteps; i-- > 0;) {
        const cb_walk_step *s = &w->steps[i];
        const cb_node *n = &w->pb->nodes[s->node];
        if (n->kind == CB_NODE_DO && n->record.s && s->answer && strcmp(n->id, name) == 0)
            return s->answer;
    }
    if (w->t && w->f) {
        const char *v = cb_triage_var(w->t, w->f, name);
        if (v)
            return v;
    }
    if (w->saved_vars) {
        const char *v = json_string_value(json_object_get(w->saved_vars, name));
        if (v)
            return v;
    }
    return NULL;
}

/* text with its variables filled and trailing blanks dropped (YAML block scalars end with a line end). */
static char *fill(cb_walk *w, const char *text, size_t *unknown)
{
    size_t u = 0;
    char *s = cb_template_fill(text ? text : "", var_lookup, w, &u);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (unknown)
        *unknown += u;
    return s;
}

static uint64_t sig_hits(const cb_walk *w, int sig)
{
    if (!w->t || !w->f || sig < 0 || (size_t)sig >= w->pb->nsignatures)
        return 0;
    return w->t->scan->pats[w->f->first_pattern + (size_t)sig].count;
}

static uint64_t check_total(const cb_walk *w, const cb_node *n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n->nsigs; i++)
        total += sig_hits(w, n->sigs[i].index);
    return total;
}

/*
 * The question a check asks a person: its signatures in words.  The describe
 * texts are written for exactly this; without one, the pattern is the most
 * precise description there is.
 */
static char *check_question(cb_walk *w, const cb_node *n, size_t *unknown)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    cb_status st;
    if (n->min > 1)
        st = cb_buf_printf(&b, "Do the logs show this (at least %llu matching lines)?",
                           (unsigned long long)n->min);
    else
        st = cb_buf_puts(&b, "Do the logs show this?");
    for (size_t i = 0; i < n->nsigs && !st; i++) {
        int s = n->sigs[i].index;
        const cb_signature *sig = s >= 0 ? &w->pb->signatures[s] : NULL;
        if (sig && sig->describe.s)
            st = cb_buf_printf(&b, "\n  - %s: %s", n->sigs[i].id, sig->describe.s);
        else if (sig)
            st = cb_buf_printf(&b, "\n  - %s: lines matching '%s'", n->sigs[i].id, sig->pattern.s);
        else
            st = cb_buf_printf(&b, "\n  - %s", n->sigs[i].id);
    }
    char *raw = st ? NULL : cb_buf_detach(&b, NULL);
    cb_buf_release(&b);
    if (!raw)
        return NULL;
    char *s = fill(w, raw, unknown);
    free(raw);
    return s;
}

/* The NODE-stage question of node n, filled. */
char *cb__walk_node_question(cb_walk *w, const cb_node *n, size_t *unknown)
{
    if (n->kind == CB_NODE_CHECK)
        return check_question(w, n, unknown);
    return fill(w, n->text.s, unknown);
}

static void evidence_release(cb_walk_evidence *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].file);
        free(e[i].text);
    }
    free(e);
}

/*
 * The evidence behind a check: the first lines of each of its signatures in
 * turn, so that a check over two signatures shows one line of each.
 */
static cb_status collect_evidence(const cb_walk *w, const cb_node *n, cb_walk_evidence **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!w->t || !w->f || !w->max_evidence)
        return CB_OK;
    cb_walk_evidence *ev = calloc(w->max_evidence, sizeof *ev);
    if (!ev)
        return CB_ENOMEM;
    size_t k = 0;
    for (size_t round = 0; k < w->max_evidence; round++) {
        bool any = false;
        for (size_t i = 0; i < n->nsigs && k < w->max_evidence; i++) {
            int s = n->sigs[i].index;
            if (s < 0)
                continue;
            const cb_pattern_result *pr = &w->t->scan->pats[w->f->first_pattern + (size_t)s];
            if (round >= pr->nevidence)
                continue;
            any = true;
            const cb_evidence *e = &pr->evidence[round];
            ev[k].file = strdup(w->t->scan->files[e->file_index].path);
            ev[k].text = strdup(e->text);
            ev[k].line = e->line;
            ev[k].time_ms = e->time_ms;
            ev[k].has_time = e->has_time;
            k++;
            if (!ev[k - 1].file || !ev[k - 1].text) {
                evidence_release(ev, k);
                return CB_ENOMEM;
            }
        }
        if (!any)
            break;
    }
    *out = ev;
    *nout = k;
    return CB_OK;
}

/* ---- steps and coach records ---- */

static void coaching_free(cb_walk_coaching *c)
{
    if (!c)
        return;
    free(c->question);
    for (size_t i = 0; i < c->nexpect; i++)
        free(c->expect[i]);
    free(c->expect);
    for (size_t i = 0; i < c->nattempts; i++) {
        free(c->attempts[i].answer);
        free(c->attempts[i].hint);
    }
    free(c->attempts);
    free(c);
}

void cb__walk_step_release(cb_walk_step *s)
{
    free(s->question);
    for (size_t i = 0; i < s->nchoices; i++)
        free(s->choices[i]);
    free(s->choices);
    free(s->answer);
    free(s->answered_by);
    evidence_release(s->evidence, s->nevidence);
    coaching_free(s->coach);
    memset(s, 0, sizeof *s);
}

/* The choices of node n as shown at its NODE stage: ask labels filled, yes/no for a check. */
cb_status cb__walk_node_choices(cb_walk *w, const cb_node *n, char ***out, size_t *nout, size_t *unknown)
{
    *out = NULL;
    *nout = 0;
    size_t k = n->kind == CB_NODE_ASK ? n->nchoices : n->kind == CB_NODE_CHECK ? 2 : 0;
    if (!k)
        return CB_OK;
    char **v = calloc(k, sizeof *v);
    if (!v)
        return CB_ENOMEM;
    for (size_t i = 0; i < k; i++) {
        v[i] = n->kind == CB_NODE_CHECK ? strdup(i == 0 ? "yes" : "no")
                                        : fill(w, n->choices[i].label.s, unknown);
        if (!v[i]) {
            for (size_t j = 0; j < i; j++)
                free(v[j]);
            free(v);
            return CB_ENOMEM;
        }
    }
    *out = v;
    *nout = k;
    return CB_OK;
}

/* Record the current node as a step with this answer; the pending coach record moves into it. */
static cb_status push_step(cb_walk *w, const char *answer, const char *who, int64_t time, bool with_evidence)
{
    if (!cb__grow((void **)&w->steps, &w->capsteps, w->nsteps + 1, sizeof *w->steps))
        return CB_ENOMEM;
    const cb_node *n = &w->pb->nodes[w->cur];
    cb_walk_step s = {.node = w->cur, .kind = n->kind, .time_ms = time};
    bool oom = false;
    s.question = cb__walk_node_question(w, n, NULL);
    s.answer = dup_or_null(answer, &oom);
    s.answered_by = dup_or_null(who, &oom);
    if (!s.question || oom || cb__walk_node_choices(w, n, &s.choices, &s.nchoices, NULL) ||
        (with_evidence && collect_evidence(w, n, &s.evidence, &s.nevidence))) {
        cb__walk_step_release(&s);
        return CB_ENOMEM;
    }
    s.coach = w->coach;
    w->coach = NULL;
    w->steps[w->nsteps++] = s;
    return CB_OK;
}

/* The node's NODE stage, or the end of the walk at a conclusion. */
static cb_status enter_node(cb_walk *w, int64_t time)
{
    const cb_node *n = &w->pb->nodes[w->cur];
    if (n->kind == CB_NODE_CONCLUDE) {
        cb_status st = push_step(w, NULL, NULL, time, false);
        if (st)
            return st;
        w->status = CB_WS_CONCLUDED;
        w->stage = CB_WALK_STAGE_END;
        return CB_OK;
    }
    w->stage = CB_WALK_STAGE_NODE;
    return CB_OK;
}

/* Move to node idx: its coach question first when coaching, else the node itself. */
static cb_status arrive(cb_walk *w, int idx, int64_t time)
{
    if (idx < 0 || (size_t)idx >= w->pb->nnodes || w->visit[idx] == w->epoch) {
        w->status = CB_WS_STOPPED; /* a reference to nowhere, or a loop with nobody answering */
        w->stage = CB_WALK_STAGE_END;
        return CB_EINVAL;
    }
    w->visit[idx] = w->epoch;
    w->cur = idx;
    w->arrived = time;
    coaching_free(w->coach);
    w->coach = NULL;
    const cb_node *n = &w->pb->nodes[idx];
    if (w->mode == CB_WALK_COACH && n->coach) {
        cb_walk_coaching *c = calloc(1, sizeof *c);
        if (!c)
            return CB_ENOMEM;
        w->coach = c;
        if (!(c->question = fill(w, n->coach->ask.s, NULL)))
            return CB_ENOMEM;
        if (n->coach->nexpect) {
            if (!(c->expect = calloc(n->coach->nexpect, sizeof *c->expect)))
                return CB_ENOMEM;
            for (size_t i = 0; i < n->coach->nexpect; i++, c->nexpect++)
                if (!(c->expect[i] = strdup(n->coach->expect[i].s ? n->coach->expect[i].s : "")))
                    return CB_ENOMEM;
        }
        w->stage = CB_WALK_STAGE_COACH;
        return CB_OK;
    }
    return enter_node(w, time);
}

/* Forget every step and go back to the start node, as a new walk. */
cb_status cb__walk_restart(cb_walk *w)
{
    for (size_t i = 0; i < w->nsteps; i++)
        cb__walk_step_release(&w->steps[i]);
    w->nsteps = 0;
    coaching_free(w->coach);
    w->coach = NULL;
    w->status = CB_WS_ACTIVE;
    memset(w->visit, 0, w->pb->nnodes * sizeof *w->visit);
    w->epoch = 1;
    return arrive(w, w->pb->start.index, w->started);
}

/* ---- creating and freeing ---- */

/*
 * Refuse a tree a walk cannot follow to an end: a dangling reference would
 * strand the engineer, a cycle would go round for ever
 * (cb_playbook_check_sound; patterns are the triage's business).
 */
static cb_status check_tree(const cb_playbook *pb, cb_error *err)
{
    cb_diags d;
    cb_diags_init(&d);
    if (cb_playbook_check_sound(pb, NULL, NULL, &d)) {
        cb_diags_release(&d);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    if (!d.n)
        return CB_OK;
    cb_diags_sort(&d);
    char first[1024];
    cb_diag_format(&d.v[0], first, sizeof first);
    cb_error_set(err, CB_EINVAL, "playbook '%s' cannot be walked: %s%s (see casebook lint)", pb->id.s, first,
                 d.n > 1 ? ", and more" : "");
    cb_diags_release(&d);
    return CB_EINVAL;
}

cb_status cb_walk_new(const cb_playbook *pb, const cb_walk_opts *opts, cb_walk **out, cb_error *err)
{
    cb_walk_opts defaults;
    if (!opts) {
        cb_walk_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    cb_status st = check_tree(pb, err);
    if (st)
        return st;
    cb_walk *w = calloc(1, sizeof *w);
    if (!w)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    w->pb = pb;
    w->mode = opts->mode;
    w->t = opts->triage;
    w->f = opts->finding;
    if (w->t && !w->f)
        for (size_t i = 0; i < w->t->nall && !w->f; i++)
            if (w->t->all[i].pb == pb)
                w->f = &w->t->all[i];
    if (w->t && !w->f) {
        cb_walk_free(w);
        return cb_error_set(err, CB_EINVAL, "the triage does not include playbook '%s'", pb->id.s);
    }
    if (w->f && w->f->skipped) {
        cb_walk_free(w);
        return cb_error_set(err, CB_EINVAL, "playbook '%s' was skipped by the triage: it is not sound", pb->id.s);
    }
    w->max_evidence = opts->max_evidence;
    w->now_ms = opts->now_ms;
    w->now_ctx = opts->now_ctx;
    w->cur = -1;
    bool oom = false;
    w->bundle = dup_or_null(opts->bundle, &oom);
    w->bundle_fp = dup_or_null(opts->bundle ? opts->bundle_fingerprint : NULL, &oom);
    w->engineer = dup_or_null(opts->engineer ? opts->engineer : "unknown", &oom);
    w->started = w->updated = cb__walk_now(w);
    if (!(w->visit = calloc(pb->nnodes ? pb->nnodes : 1, sizeof *w->visit)))
        oom = true;
    if (oom || cb__walk_restart(w)) {
        cb_walk_free(w);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    *out = w;
    return CB_OK;
}

void cb__walk_inputs_truncate(cb_walk *w, size_t n)
{
    for (size_t i = n; i < w->nin; i++) {
        free(w->in[i].text);
        free(w->in[i].who);
    }
    if (n < w->nin)
        w->nin = n;
}

void cb_walk_free(cb_walk *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nsteps; i++)
        cb__walk_step_release(&w->steps[i]);
    free(w->steps);
    coaching_free(w->coach);
    cb__walk_inputs_truncate(w, 0);
    free(w->in);
    strlist_release(&w->pstr);
    strlist_release(&w->rstr);
    free(w->pchoices);
    evidence_release(w->pev, w->npev);
    json_decref(w->saved_vars);
    free(w->visit);
    free(w->bundle);
    free(w->bundle_fp);
    free(w->engineer);
    free(w);
}

/* ---- the current question ---- */

cb_status cb_walk_current(cb_walk *w, cb_walk_prompt *p)
{
    memset(p, 0, sizeof *p);
    strlist_clear(&w->pstr);
    free(w->pchoices);
    w->pchoices = NULL;
    evidence_release(w->pev, w->npev);
    w->pev = NULL;
    w->npev = 0;

    p->node = w->cur;
    p->stage = w->status == CB_WS_ACTIVE ? w->stage : CB_WALK_STAGE_END;
    if (w->cur < 0)
        return CB_OK;
    const cb_node *n = &w->pb->nodes[w->cur];
    p->n = n;
    p->kind = n->kind;
    char **choices = NULL;
    size_t nchoices = 0;
    if (w->status == CB_WS_ACTIVE && w->stage == CB_WALK_STAGE_COACH) {
        p->text = keep(&w->pstr, fill(w, n->coach->ask.s, &p->unknown));
        if (!p->text)
            return CB_ENOMEM;
        if (n->coach->nchoices) {
            if (!(choices = calloc(n->coach->nchoices, sizeof *choices)))
                return CB_ENOMEM;
            for (size_t i = 0; i < n->coach->nchoices; i++, nchoices++)
                if (!(choices[i] = keep(&w->pstr, fill(w, n->coach->choices[i].s, &p->unknown)))) {
                    free(choices);
                    return CB_ENOMEM;
                }
        }
        p->attempts = w->coach ? w->coach->nattempts : 0;
        p->hints_used = w->coach ? w->coach->hints_used : 0;
    } else if (w->status == CB_WS_ACTIVE && w->stage == CB_WALK_STAGE_RECORD) {
        if (!(p->text = keep(&w->pstr, fill(w, n->record.s, &p->unknown))))
            return CB_ENOMEM;
    } else {
        if (!(p->text = keep(&w->pstr, cb__walk_node_question(w, n, &p->unknown))))
            return CB_ENOMEM;
        if (cb__walk_node_choices(w, n, &choices, &nchoices, &p->unknown))
            return CB_ENOMEM;
        for (size_t i = 0; i < nchoices; i++)
            if (!keep(&w->pstr, choices[i])) {
                for (size_t j = i + 1; j < nchoices; j++)
                    free(choices[j]);
                free(choices);
                return CB_ENOMEM;
            }
        if (n->kind == CB_NODE_CHECK && w->t && w->status == CB_WS_ACTIVE) {
            p->hits = check_total(w, n);
            p->logs_answer = p->hits >= n->min ? "yes" : "no";
            if (collect_evidence(w, n, &w->pev, &w->npev)) {
                free(choices);
                return CB_ENOMEM;
            }
            p->evidence = w->pev;
            p->nevidence = w->npev;
        }
    }
    w->pchoices = (const char **)choices;
    p->choices = (const char *const *)choices;
    p->nchoices = nchoices;
    if (n->kind == CB_NODE_CONCLUDE) {
        if ((n->cause.s && !(p->cause = keep(&w->pstr, fill(w, n->cause.s, NULL)))) ||
            (n->resolution.s && !(p->resolution = keep(&w->pstr, fill(w, n->resolution.s, NULL)))) ||
            (n->article.s && !(p->article = keep(&w->pstr, fill(w, n->article.s, NULL)))))
            return CB_ENOMEM;
    }
    return CB_OK;
}

/* ---- answering ---- */

/*
 * Which of `labels` the answer names (cb_answer_choice): the labels that
 * hold variables are also tried as shown, with the walk's values filled.
 */
static int match_label(cb_walk *w, const char *const *labels, size_t n, const char *ans, bool *oom)
{
    int k = cb_answer_choice(labels, NULL, n, ans);
    if (k >= 0)
        return k;
    const char **shown = calloc(n ? n : 1, sizeof *shown);
    if (!shown) {
        *oom = true;
        return -1;
    }
    bool any = false;
    for (size_t i = 0; i < n && !*oom; i++) {
        if (!labels[i] || !strstr(labels[i], "{{"))
            continue;
        if (!(shown[i] = fill(w, labels[i], NULL)))
            *oom = true;
        any = true;
    }
    if (any && !*oom)
        k = cb_answer_choice(labels, shown, n, ans);
    for (size_t i = 0; i < n; i++)
        free((char *)shown[i]);
    free(shown);
    return *oom ? -1 : k;
}

static cb_status invalid(cb_walk *w, cb_walk_result *res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cb_status invalid(cb_walk *w, cb_walk_result *res, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    res->verdict = CB_ANSWER_INVALID;
    if (!(res->message = keep(&w->rstr, strdup(buf))))
        return CB_ENOMEM;
    return CB_OK;
}

/* A short, printable rendering of an answer for messages. */
const char *cb__walk_shorten(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n < size) {
        snprintf(buf, size, "%s", s);
    } else {
        size_t k = cb_utf8_boundary(s, size - 4);
        snprintf(buf, size, "%.*s...", (int)k, s);
    }
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' ';
    return buf;
}

static cb_status add_attempt(cb_walk_coaching *c, const char *answer, bool correct)
{
    if (!cb__grow((void **)&c->attempts, &c->capattempts, c->nattempts + 1, sizeof *c->attempts))
        return CB_ENOMEM;
    cb_walk_attempt *a = &c->attempts[c->nattempts];
    memset(a, 0, sizeof *a);
    if (!(a->answer = strdup(answer)))
        return CB_ENOMEM;
    a->correct = correct;
    c->nattempts++;
    return CB_OK;
}

/* Join the expected answers: "a", "a or b". */
static char *join_expect(const cb_coach *c)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    for (size_t i = 0; i < c->nexpect; i++)
        if ((i && cb_buf_puts(&b, " or ")) || cb_buf_puts(&b, c->expect[i].s ? c->expect[i].s : "")) {
            cb_buf_release(&b);
            return NULL;
        }
    char *s = cb_buf_detach(&b, NULL);
    cb_buf_release(&b);
    return s;
}

static cb_status coach_answer(cb_walk *w, const cb_node *n, const char *ans, int64_t time,
                              cb_walk_result *res)
{
    const cb_coach *c = n->coach;
    cb_walk_coaching *rec = w->coach;
    res->graded = c->nexpect > 0;
    res->nhints = c->nhints;
    const char *recorded = ans;
    bool correct = true;
    if (c->nchoices) {
        const char **labels = calloc(c->nchoices, sizeof *labels);
        if (!labels)
            return CB_ENOMEM;
        for (size_t i = 0; i < c->nchoices; i++)
            labels[i] = c->choices[i].s;
        bool oom = false;
        int k = match_label(w, labels, c->nchoices, ans, &oom);
        free(labels);
        if (oom)
            return CB_ENOMEM;
        char sb[200];
        if (k < 0)
            return invalid(w, res,
                           "'%s' is not one of the choices: answer with a number from 1 to %zu, or a label",
                           cb__walk_shorten(ans, sb, sizeof sb), c->nchoices);
        recorded = c->choices[k].s;
        if (res->graded) {
            correct = false;
            for (size_t i = 0; i < c->nexpect && !correct; i++)
                correct = c->expect[i].s && strcasecmp(c->expect[i].s, recorded) == 0;
        }
    } else if (res->graded) {
        correct = false;
        for (size_t i = 0; i < c->nexpect && !correct; i++)
            correct = c->expect[i].s && c->expect[i].s[0] && strcasestr(ans, c->expect[i].s) != NULL;
    }
    if (add_attempt(rec, recorded, correct))
        return CB_ENOMEM;
    res->correct = correct;
    if (!(res->answer = keep(&w->rstr, strdup(recorded))))
        return CB_ENOMEM;
    if (correct) {
        rec->right_first_time = rec->nattempts == 1;
        res->verdict = CB_ANSWER_ACCEPTED;
        return enter_node(w, time);
    }
    if (rec->hints_used < c->nhints) {
        char *hint = fill(w, c->hints[rec->hints_used].s, NULL);
        if (!hint || !(rec->attempts[rec->nattempts - 1].hint = strdup(hint)) || !keep(&w->rstr, hint)) {
            if (!rec->attempts[rec->nattempts - 1].hint)
                free(hint);
            return CB_ENOMEM;
        }
        res->hint = hint;
        res->hint_number = ++rec->hints_used;
        res->verdict = CB_ANSWER_WRONG;
        return CB_OK;
    }
    rec->revealed = true;
    res->verdict = CB_ANSWER_REVEALED;
    if (!(res->expected = keep(&w->rstr, join_expect(c))))
        return CB_ENOMEM;
    return enter_node(w, time);
}

/* Apply one answer at time `time`; does not touch the input log. */
static cb_status answer_at(cb_walk *w, const char *text, const char *who, int64_t time, cb_walk_result *res)
{
    memset(res, 0, sizeof *res);
    strlist_clear(&w->rstr);
    if (w->status != CB_WS_ACTIVE || w->cur < 0)
        return CB_EINVAL;
    const cb_node *n = &w->pb->nodes[w->cur];
    if (!who)
        who = w->engineer;
    char *ans = NULL;
    if (text) {
        if (!(ans = keep(&w->rstr, trim_dup(text))))
            return CB_ENOMEM;
        if (!ans[0])
            return invalid(w, res, "an answer is needed");
        w->epoch++; /* a person answered: the nodes after this one may be ones seen before */
    } else if (!(w->stage == CB_WALK_STAGE_NODE && n->kind == CB_NODE_CHECK)) {
        return invalid(w, res, "an answer is needed");
    }
    char sb[200];
    switch (w->stage) {
    case CB_WALK_STAGE_COACH:
        return coach_answer(w, n, ans, time, res);
    case CB_WALK_STAGE_RECORD: {
        cb_status st = push_step(w, ans, who, time, false);
        if (st)
            return st;
        res->answer = ans;
        res->verdict = CB_ANSWER_ACCEPTED;
        return arrive(w, n->next.index, time);
    }
    case CB_WALK_STAGE_END:
        return CB_EINVAL;
    case CB_WALK_STAGE_NODE:
        break;
    }
    switch (n->kind) {
    case CB_NODE_CHECK: {
        bool yes;
        bool logs = !ans;
        if (logs) {
            if (!w->t)
                return invalid(w, res, "there is no bundle to answer this check: answer yes or no");
            yes = check_total(w, n) >= n->min;
            who = "logs";
        } else if (cb_answer_yes_no(ans) >= 0) {
            yes = cb_answer_yes_no(ans) == 1;
        } else {
            return invalid(w, res, "'%s' is not an answer to this check: answer yes or no",
                           cb__walk_shorten(ans, sb, sizeof sb));
        }
        res->answer = yes ? "yes" : "no";
        res->verdict = CB_ANSWER_ACCEPTED;
        cb_status st = push_step(w, res->answer, who, time, logs);
        if (st)
            return st;
        return arrive(w, yes ? n->yes.index : n->no.index, time);
    }
    case CB_NODE_ASK: {
        const char **labels = calloc(n->nchoices ? n->nchoices : 1, sizeof *labels);
        if (!labels)
            return CB_ENOMEM;
        for (size_t i = 0; i < n->nchoices; i++)
            labels[i] = n->choices[i].label.s;
        bool oom = false;
        int k = match_label(w, labels, n->nchoices, ans, &oom);
        free(labels);
        if (oom)
            return CB_ENOMEM;
        if (k < 0)
            return invalid(w, res,
                           "'%s' is not one of the choices: answer with a number from 1 to %zu, or a label",
                           cb__walk_shorten(ans, sb, sizeof sb), n->nchoices);
        res->answer = n->choices[k].label.s;
        res->verdict = CB_ANSWER_ACCEPTED;
        cb_status st = push_step(w, res->answer, who, time, false);
        if (st)
            return st;
        return arrive(w, n->choices[k].target.index, time);
    }
    case CB_NODE_DO:
        if (!cb_answer_done(ans))
            return invalid(w, res, "type done when it is done");
        res->answer = "done";
        res->verdict = CB_ANSWER_ACCEPTED;
        if (n->record.s) {
            w->stage = CB_WALK_STAGE_RECORD;
            return CB_OK;
        }
        {
            cb_status st = push_step(w, "done", who, time, false);
            if (st)
                return st;
        }
        return arrive(w, n->next.index, time);
    case CB_NODE_CONCLUDE:
        break;
    }
    return CB_EINVAL;
}

/* Answer and log the input, so that back and save can rebuild the walk. */
cb_status cb__walk_answer_logged(cb_walk *w, const char *text, const char *who, int64_t time,
                               cb_walk_result *res)
{
    int node = w->cur;
    cb_walk_stage stage = w->stage;
    if (!cb__grow((void **)&w->in, &w->capin, w->nin + 1, sizeof *w->in))
        return CB_ENOMEM;
    input in = {.node = node, .stage = stage, .time = time};
    bool oom = false;
    in.text = dup_or_null(text, &oom);
    in.who = dup_or_null(text ? (who ? who : w->engineer) : "logs", &oom);
    if (oom) {
        free(in.text);
        free(in.who);
        return CB_ENOMEM;
    }
    cb_status st = answer_at(w, text, who, time, res);
    if (st || res->verdict == CB_ANSWER_INVALID) {
        free(in.text);
        free(in.who);
        return st;
    }
    in.ends_stage = res->verdict != CB_ANSWER_WRONG;
    w->in[w->nin++] = in;
    w->updated = time;
    return CB_OK;
}

cb_status cb_walk_answer(cb_walk *w, const char *text, const char *who, cb_walk_result *res)
{
    return cb__walk_answer_logged(w, text, who, cb__walk_now(w), res);
}

/* Rebuild the walk from its start by feeding the input log again. */
static cb_status replay(cb_walk *w)
{
    cb_status st = cb__walk_restart(w);
    if (st)
        return st;
    for (size_t i = 0; i < w->nin; i++) {
        cb_walk_result r;
        const input *in = &w->in[i];
        st = answer_at(w, in->text, in->who, in->time, &r);
        if (st == CB_ENOMEM)
            return st;
        if (st || r.verdict == CB_ANSWER_INVALID) { /* cannot happen for a log this walk produced */
            cb__walk_inputs_truncate(w, i);
            return CB_OK;
        }
    }
    return CB_OK;
}

static bool human(const input *in)
{
    return in->text && strcmp(in->who, "logs") != 0;
}

cb_status cb_walk_back(cb_walk *w)
{
    size_t k = w->nin;
    while (k > 0 && !(w->in[k - 1].ends_stage && human(&w->in[k - 1])))
        k--;
    if (k == 0)
        return CB_ENOTFOUND;
    k--;
    /* The wrong coach attempts before the undone answer belong to the same question: undo them too. */
    while (k > 0 && !w->in[k - 1].ends_stage && w->in[k - 1].node == w->in[k].node &&
           w->in[k - 1].stage == w->in[k].stage)
        k--;
    cb__walk_inputs_truncate(w, k);
    w->updated = cb__walk_now(w);
    return replay(w);
}

cb_status cb_walk_halt(cb_walk *w, cb_walk_status why)
{
    if (w->status != CB_WS_ACTIVE || (why != CB_WS_STOPPED && why != CB_WS_SKIPPED && why != CB_WS_QUIT))
        return CB_EINVAL;
    w->status = why;
    w->updated = cb__walk_now(w);
    return CB_OK;
}

/* ---- accessors ---- */

cb_walk_status cb_walk_get_status(const cb_walk *w)
{
    return w->status;
}

const cb_playbook *cb_walk_playbook(const cb_walk *w)
{
    return w->pb;
}

bool cb_walk_has_logs(const cb_walk *w)
{
    return w->t != NULL;
}

uint64_t cb_walk_hits(const cb_walk *w, size_t sig)
{
    return sig < w->pb->nsignatures ? sig_hits(w, (int)sig) : 0;
}

size_t cb_walk_step_count(const cb_walk *w)
{
    return w->nsteps;
}

const cb_walk_step *cb_walk_step_at(const cb_walk *w, size_t i)
{
    return i < w->nsteps ? &w->steps[i] : NULL;
}

/* The current node of an unfinished walk is saved as a last step with no answer. */
bool cb__walk_has_pending(const cb_walk *w)
{
    return w->status != CB_WS_CONCLUDED && w->cur >= 0;
}

void cb_walk_get_summary(const cb_walk *w, cb_walk_summary *s)
{
    memset(s, 0, sizeof *s);
    s->steps = w->nsteps + (cb__walk_has_pending(w) ? 1 : 0);
    for (size_t i = 0; i < w->nsteps; i++) {
        const cb_walk_coaching *c = w->steps[i].coach;
        if (!c)
            continue;
        s->coach_questions++;
        s->right_first_time += c->right_first_time;
        s->hints_used += c->hints_used;
        s->reveals += c->revealed;
    }
    s->concluded_without_reveal = w->status == CB_WS_CONCLUDED && s->reveals == 0;
}

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
