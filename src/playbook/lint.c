/*
 * lint.c — the checks that need a whole loaded playbook: references, the
 * shape of the tree (reachability, cycles, dead ends), signatures and their
 * patterns, variables, coach answers and the playbook's own tests.
 *
 * Each problem is reported once, at the element an author has to change (the
 * reference that names a missing node, the edge that closes a cycle), so that
 * `casebook lint` output reads as a to-do list.  Graph walks are iterative:
 * a hostile playbook may have tens of thousands of nodes in one chain.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "playbook/pb_int.h"
#include "casebook/buf.h"
#include "casebook/glob.h"
#include "core/internal.h"

typedef struct linter {
    const cb_playbook *pb;
    cb_diags *diags;
    bool nomem;
    bool sound_only; /* only the problems that make a walk meaningless (cb_playbook_check_sound) */
    cb__quoter q;
} linter;

static void lint(linter *T, cb_pbloc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void lint(linter *T, cb_pbloc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (cb__diags_vadd(T->diags, T->pb->path, loc.line, loc.col, fmt, ap))
        T->nomem = true;
    va_end(ap);
}

static const char *q(linter *T, const char *s)
{
    return cb__q(&T->q, s);
}

/* The i-th way onward from a node (NULL past the last): check yes/no, do next, ask choices in order. */
static const cb_pbref *edge(const cb_node *nd, size_t i, const char **label)
{
    switch (nd->kind) {
    case CB_NODE_CHECK:
        *label = i == 0 ? "yes" : "no";
        return i == 0 ? &nd->yes : i == 1 ? &nd->no : NULL;
    case CB_NODE_DO:
        *label = "next";
        return i == 0 ? &nd->next : NULL;
    case CB_NODE_ASK:
        *label = i < nd->nchoices ? nd->choices[i].label.s : NULL;
        return i < nd->nchoices ? &nd->choices[i].target : NULL;
    case CB_NODE_CONCLUDE:
        break;
    }
    return NULL;
}

/* ---- references and dead ends ---- */

static void check_refs(linter *T)
{
    const cb_playbook *pb = T->pb;
    if (pb->start.id && pb->start.index < 0)
        lint(T, pb->start.loc, "start node '%s' does not exist", q(T, pb->start.id));
    for (size_t i = 0; i < pb->nnodes; i++) {
        const cb_node *nd = &pb->nodes[i];
        for (size_t k = 0; k < nd->nsigs; k++) {
            const cb_pbref *r = &nd->sigs[k];
            if (!r->id)
                continue;
            if (r->index < 0) {
                lint(T, r->loc, "node '%s' checks unknown signature '%s'", q(T, nd->id), q(T, r->id));
                continue;
            }
            for (size_t j = 0; j < k && !T->sound_only; j++)
                if (nd->sigs[j].index == r->index) {
                    lint(T, r->loc, "node '%s' checks signature '%s' twice", q(T, nd->id), q(T, r->id));
                    break;
                }
        }
        const char *label;
        const cb_pbref *r;
        for (size_t k = 0; (r = edge(nd, k, &label)) != NULL; k++) {
            if (!r->id || r->index >= 0)
                continue;
            if (nd->kind == CB_NODE_ASK)
                lint(T, r->loc, "choice '%s' of node '%s' leads to unknown node '%s'", q(T, label),
                     q(T, nd->id), q(T, r->id));
            else
                lint(T, r->loc, "'%s' of node '%s' names unknown node '%s'", label, q(T, nd->id),
                     q(T, r->id));
        }
        if (nd->kind == CB_NODE_ASK && nd->nchoices == 0)
            lint(T, nd->loc, "ask node '%s' has no choices, so no way onward", q(T, nd->id));
        else if (nd->kind == CB_NODE_ASK && nd->nchoices == 1 && !T->sound_only)
            lint(T, nd->loc, "ask node '%s' has only one choice: make it a do node, or add choices",
                 q(T, nd->id));
    }
}

/* ---- reachability and cycles ---- */

static void check_reachable(linter *T)
{
    const cb_playbook *pb = T->pb;
    if (pb->start.index < 0 || pb->nnodes == 0)
        return; /* reported as a missing start: everything would be unreachable */
    bool *seen = calloc(pb->nnodes, sizeof *seen);
    int *queue = malloc(pb->nnodes * sizeof *queue);
    if (!seen || !queue) {
        T->nomem = true;
        goto out;
    }
    size_t head = 0, tail = 0;
    queue[tail++] = pb->start.index;
    seen[pb->start.index] = true;
    while (head < tail) {
        const cb_node *nd = &pb->nodes[queue[head++]];
        const char *label;
        const cb_pbref *r;
        for (size_t k = 0; (r = edge(nd, k, &label)) != NULL; k++)
            if (r->index >= 0 && !seen[r->index]) {
                seen[r->index] = true;
                queue[tail++] = r->index;
            }
    }
    for (size_t i = 0; i < pb->nnodes; i++) {
        if (seen[i])
            continue;
        const cb_node *nd = &pb->nodes[i];
        if (nd->kind == CB_NODE_CONCLUDE)
            lint(T, nd->loc, "conclusion '%s' is reached by no path from start node '%s'", q(T, nd->id),
                 q(T, pb->start.id));
        else
            lint(T, nd->loc, "node '%s' is not reachable from start node '%s'", q(T, nd->id),
                 q(T, pb->start.id));
    }
out:
    free(seen);
    free(queue);
}

/* "cycle: a -> b -> c -> a" from the DFS stack; long cycles are cut in the middle of the message. */
static void report_cycle(linter *T, const int *stack, size_t from, size_t top, const cb_pbref *closing)
{
    const cb_playbook *pb = T->pb;
    cb_buf b;
    cb_buf_init(&b, 4096);
    cb_status st = cb_buf_puts(&b, "cycle: ");
    size_t n = top - from + 1;
    for (size_t i = from; i <= top && !st; i++) {
        if (n > 12 && i == from + 5) {
            st = cb_buf_printf(&b, "... (%zu more) -> ", n - 10);
            i = top - 5;
            continue;
        }
        st = cb_buf_printf(&b, "%s -> ", pb->nodes[stack[i]].id);
    }
    if (!st)
        st = cb_buf_puts(&b, pb->nodes[closing->index].id);
    if (st == CB_ENOMEM)
        T->nomem = true;
    else
        lint(T, closing->loc, "%s", b.data);
    cb_buf_release(&b);
}

/* Depth-first search from every node (start first): an edge to a node on the stack closes a cycle. */
static void check_cycles(linter *T)
{
    const cb_playbook *pb = T->pb;
    size_t n = pb->nnodes;
    if (n == 0)
        return;
    unsigned char *color = calloc(n, 1); /* 0 new, 1 on the stack, 2 done */
    int *stack = malloc(n * sizeof *stack);
    size_t *next = malloc(n * sizeof *next); /* per stack level: the next edge to follow */
    size_t *pos = malloc(n * sizeof *pos);   /* a node's level on the stack */
    if (!color || !stack || !next || !pos) {
        T->nomem = true;
        goto out;
    }
    for (size_t r = 0; r <= n; r++) {
        int root = r == 0 ? pb->start.index : (int)(r - 1);
        if (root < 0 || color[root])
            continue;
        size_t top = 0;
        stack[0] = root;
        next[0] = 0;
        pos[root] = 0;
        color[root] = 1;
        for (;;) {
            const cb_node *nd = &pb->nodes[stack[top]];
            const char *label;
            const cb_pbref *e = edge(nd, next[top]++, &label);
            if (!e) {
                color[stack[top]] = 2;
                if (top == 0)
                    break;
                top--;
                continue;
            }
            if (e->index < 0)
                continue;
            if (color[e->index] == 1) {
                report_cycle(T, stack, pos[e->index], top, e);
            } else if (color[e->index] == 0) {
                top++;
                stack[top] = e->index;
                next[top] = 0;
                pos[e->index] = top;
                color[e->index] = 1;
            }
        }
    }
out:
    free(color);
    free(stack);
    free(next);
    free(pos);
}

/* ---- variables and signature use ---- */

typedef struct var {
    const char *name;
    size_t len;
    int sig; /* the signature whose named group provides it, or -1 */
} var;

typedef struct vars {
    var *v;
    size_t n, cap;
    bool nomem;
    int sig; /* while collecting groups: the signature being read */
} vars;

static bool add_var(void *ctx, const char *name, size_t len)
{
    vars *vs = ctx;
    if (!cb__grow((void **)&vs->v, &vs->cap, vs->n + 1, sizeof *vs->v)) {
        vs->nomem = true;
        return false;
    }
    vs->v[vs->n++] = (var){name, len, vs->sig};
    return true;
}

static int var_cmp_name(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, CB_MIN(alen, blen));
    return c ? c : (alen > blen) - (alen < blen);
}

static int var_cmp(const void *a, const void *b)
{
    const var *x = a, *y = b;
    return var_cmp_name(x->name, x->len, y->name, y->len);
}

typedef struct var_scan {
    linter *T;
    const vars *vs;
    bool *sig_used;
} var_scan;

/* Check the {{variables}} of one text: known ones mark their signatures used, others are reported. */
static void scan_text(var_scan *S, const cb_pbstr *text, const char *node_id)
{
    if (!text->s)
        return;
    for (const char *p = text->s; *p; p++) {
        const char *name;
        size_t len, ref = *p == '{' ? cb__var_ref(p, &name, &len) : 0;
        if (!ref)
            continue;
        /* Lower bound of the name in the sorted list; every signature providing it counts as used. */
        size_t lo = 0, hi = S->vs->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (var_cmp_name(S->vs->v[mid].name, S->vs->v[mid].len, name, len) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        bool known = false;
        for (size_t i = lo; i < S->vs->n && !var_cmp_name(S->vs->v[i].name, S->vs->v[i].len, name, len);
             i++) {
            known = true;
            if (S->vs->v[i].sig >= 0)
                S->sig_used[S->vs->v[i].sig] = true;
        }
        if (!known) {
            char nm[128];
            snprintf(nm, sizeof nm, "%.*s", (int)CB_MIN(len, 100), name);
            lint(S->T, text->loc,
                 "unknown variable '{{%s}}' in node '%s': no signature captures it and no do node records it",
                 q(S->T, nm), q(S->T, node_id));
        }
        p += ref - 1;
    }
}

static void check_vars_and_use(linter *T)
{
    const cb_playbook *pb = T->pb;
    vars vs = {0};
    bool *used = calloc(pb->nsignatures ? pb->nsignatures : 1, sizeof *used);
    if (!used)
        goto nomem;
    vs.sig = -1;
    add_var(&vs, "bundle", 6);
    for (size_t i = 0; i < pb->nnodes; i++)
        if (pb->nodes[i].kind == CB_NODE_DO && pb->nodes[i].record.s)
            add_var(&vs, pb->nodes[i].id, strlen(pb->nodes[i].id));
    for (size_t i = 0; i < pb->nsignatures; i++) {
        vs.sig = (int)i;
        cb__pattern_groups(pb->signatures[i].pattern.s, add_var, &vs);
    }
    if (vs.nomem)
        goto nomem;
    qsort(vs.v, vs.n, sizeof *vs.v, var_cmp);

    var_scan S = {T, &vs, used};
    for (size_t i = 0; i < pb->nnodes; i++) {
        const cb_node *nd = &pb->nodes[i];
        for (size_t k = 0; k < nd->nsigs; k++)
            if (nd->sigs[k].index >= 0)
                used[nd->sigs[k].index] = true;
        scan_text(&S, &nd->text, nd->id);
        scan_text(&S, &nd->record, nd->id);
        scan_text(&S, &nd->cause, nd->id);
        scan_text(&S, &nd->resolution, nd->id);
        for (size_t k = 0; k < nd->nchoices; k++)
            scan_text(&S, &nd->choices[k].label, nd->id);
        if (nd->coach) {
            scan_text(&S, &nd->coach->ask, nd->id);
            for (size_t k = 0; k < nd->coach->nhints; k++)
                scan_text(&S, &nd->coach->hints[k], nd->id);
        }
    }
    for (size_t i = 0; i < pb->nsignatures; i++) {
        const cb_signature *sig = &pb->signatures[i];
        if (!used[i] && sig->severity != CB_SEV_INFO)
            lint(T, sig->loc,
                 "signature '%s' is used by no node: check it in a node, or give it severity info to keep it "
                 "as evidence only",
                 q(T, sig->id));
    }
    goto out;
nomem:
    T->nomem = true;
out:
    free(vs.v);
    free(used);
}

/* ---- signatures: patterns and globs ---- */

static void check_signatures(linter *T, cb_regex_check_fn check, void *ctx)
{
    const cb_playbook *pb = T->pb;
    for (size_t i = 0; i < pb->nsignatures; i++) {
        const cb_signature *sig = &pb->signatures[i];
        if (check) {
            char msg[256] = "";
            if (!check(ctx, sig->pattern.s, sig->caseless, msg, sizeof msg)) {
                msg[sizeof msg - 1] = '\0';
                lint(T, sig->pattern.loc, "pattern of signature '%s' does not compile: %s", q(T, sig->id),
                     msg[0] ? msg : "rejected by the regex engine");
            }
        }
        for (size_t k = 0; k < sig->nfiles; k++) {
            cb_error err;
            cb_error_clear(&err);
            if (cb_glob_check(sig->files[k].s, &err) != CB_OK)
                lint(T, sig->files[k].loc, "invalid glob '%s' in signature '%s': %s", q(T, sig->files[k].s),
                     q(T, sig->id), err.msg);
        }
    }
}

/* ---- coach ---- */

static bool in_strs(const cb_pbstr *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].s, s))
            return true;
    return false;
}

static void check_coach(linter *T)
{
    const cb_playbook *pb = T->pb;
    for (size_t i = 0; i < pb->nnodes; i++) {
        const cb_node *nd = &pb->nodes[i];
        const cb_coach *c = nd->coach;
        if (!c)
            continue;
        for (size_t k = 1; k < c->nchoices; k++)
            if (in_strs(c->choices, k, c->choices[k].s))
                lint(T, c->choices[k].loc, "coach of node '%s' lists choice '%s' twice", q(T, nd->id),
                     q(T, c->choices[k].s));
        if (c->nchoices == 0)
            continue;
        for (size_t k = 0; k < c->nexpect; k++)
            if (!in_strs(c->choices, c->nchoices, c->expect[k].s))
                lint(T, c->expect[k].loc, "coach of node '%s' expects '%s', which is not among its choices",
                     q(T, nd->id), q(T, c->expect[k].s));
    }
}

/* ---- scope ---- */

static const char *skip_sp(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A dotted version "12", "12.1.0": returns the end, or NULL. */
static const char *version(const char *s)
{
    for (;;) {
        if (*s < '0' || *s > '9')
            return NULL;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s != '.')
            return s;
        s++;
    }
}

/* `>= 11`, `< 12`, `= 12.1`, `12`, `11.0 - 12.1` (see docs/playbook-format.md). */
static bool valid_range(const char *s)
{
    s = skip_sp(s);
    const char *ops[] = {">=", "<=", "==", ">", "<", "="};
    for (size_t i = 0; i < CB_ARRAY_LEN(ops); i++) {
        size_t n = strlen(ops[i]);
        if (!strncmp(s, ops[i], n)) {
            s = version(skip_sp(s + n));
            return s && *skip_sp(s) == '\0';
        }
    }
    s = version(s);
    if (!s)
        return false;
    s = skip_sp(s);
    if (*s == '\0')
        return true;
    if (*s != '-')
        return false;
    s = version(skip_sp(s + 1));
    return s && *skip_sp(s) == '\0';
}

static void check_scope(linter *T)
{
    const cb_playbook *pb = T->pb;
    const char *nl = pb->title.s ? strchr(pb->title.s, '\n') : NULL;
    if (nl && nl[1] != '\0')
        lint(T, pb->title.loc, "the title spans several lines: it is shown as one");
    if (pb->versions.s && !valid_range(pb->versions.s))
        lint(T, pb->versions.loc,
             "'versions' is not a version range: write '>= 11', '< 12', '12.1' or '11.0 - 12.1'");
}

/* ---- tests ---- */

typedef struct named {
    const char *s;
    size_t i;
} named;

static int named_cmp(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool bad_log_path(const char *p)
{
    if (p[0] == '/' || p[0] == '\\')
        return true;
    for (const char *s = p; *s;) {
        size_t n = strcspn(s, "/\\");
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return true;
        s += n;
        if (*s)
            s++;
    }
    return false;
}

/*
 * An ask node's choice named by a test answer.  Labels with variables are
 * accepted by their shape: lint has no values to fill them with.
 */
static bool labels_match(const cb_node *nd, const char *answer)
{
    const char **labels = calloc(nd->nchoices ? nd->nchoices : 1, sizeof *labels);
    if (!labels)
        return true; /* nothing to say without memory; the walk will judge */
    bool templated = false;
    for (size_t c = 0; c < nd->nchoices; c++) {
        labels[c] = nd->choices[c].label.s;
        templated |= labels[c] && strstr(labels[c], "{{") != NULL;
    }
    bool ok = cb_answer_choice(labels, NULL, nd->nchoices, answer) >= 0 || templated;
    free(labels);
    return ok;
}

static void check_tests(linter *T)
{
    const cb_playbook *pb = T->pb;
    named *names = malloc((pb->ntests ? pb->ntests : 1) * sizeof *names);
    if (!names) {
        T->nomem = true;
        return;
    }
    size_t nnames = 0;
    for (size_t i = 0; i < pb->ntests; i++) {
        const cb_pbtest *t = &pb->tests[i];
        char tn[256]; /* kept apart: q()'s rotating buffers are reused by the messages below */
        cb__strlcpy(tn, q(T, t->name.s), sizeof tn);
        if (t->name.s)
            names[nnames++] = (named){t->name.s, i};
        if (t->expect.id && t->expect.index < 0)
            lint(T, t->expect.loc, "test '%s' expects unknown node '%s'", tn, q(T, t->expect.id));
        for (size_t k = 0; k < t->nlogs; k++)
            if (bad_log_path(t->logs[k].path.s))
                lint(T, t->logs[k].path.loc,
                     "log path '%s' in test '%s' must be relative and stay inside the bundle",
                     q(T, t->logs[k].path.s), tn);
        for (size_t k = 0; k < t->nanswers; k++) {
            const cb_pbanswer *a = &t->answers[k];
            if (a->node.index < 0) {
                lint(T, a->node.loc, "test '%s' answers unknown node '%s'", tn, q(T, a->node.id));
                continue;
            }
            const cb_node *nd = &pb->nodes[a->node.index];
            bool ok = true;
            /* The walk's own definition of an answer (answer.c), so lint, test and walk agree. */
            if (nd->kind == CB_NODE_CHECK) {
                if (cb_answer_yes_no(a->answer.s) < 0)
                    lint(T, a->answer.loc, "test '%s' answers check node '%s' with '%s': answer yes or no",
                         tn, q(T, nd->id), q(T, a->answer.s));
            } else if (nd->kind == CB_NODE_ASK) {
                ok = labels_match(nd, a->answer.s);
                if (!ok)
                    lint(T, a->answer.loc,
                         "test '%s' answers node '%s' with '%s', which is not one of its choices", tn,
                         q(T, nd->id), q(T, a->answer.s));
            } else if (nd->kind == CB_NODE_CONCLUDE) {
                lint(T, a->node.loc, "test '%s' answers conclusion '%s', which asks nothing", tn,
                     q(T, nd->id));
            }
        }
    }
    qsort(names, nnames, sizeof *names, named_cmp);
    for (size_t i = 1, first = 0; i < nnames; i++) {
        if (strcmp(names[i].s, names[first].s)) {
            first = i;
            continue;
        }
        const cb_pbtest *t = &pb->tests[names[i].i], *f = &pb->tests[names[first].i];
        lint(T, t->name.loc, "test name '%s' is used twice (first at line %d, column %d)", q(T, t->name.s),
             f->name.loc.line, f->name.loc.col);
    }
    free(names);
}

cb_status cb_playbook_check_sound(const cb_playbook *pb, cb_regex_check_fn check, void *ctx, cb_diags *diags)
{
    linter T = {.pb = pb, .diags = diags, .sound_only = true};
    check_refs(&T);
    check_cycles(&T);
    check_signatures(&T, check, ctx);
    return T.nomem ? CB_ENOMEM : CB_OK;
}

cb_status cb_playbook_lint(const cb_playbook *pb, cb_regex_check_fn check, void *ctx, cb_diags *diags)
{
    linter T = {.pb = pb, .diags = diags};
    check_scope(&T);
    check_refs(&T);
    check_reachable(&T);
    check_cycles(&T);
    check_signatures(&T, check, ctx);
    check_vars_and_use(&T);
    check_coach(&T);
    check_tests(&T);
    return T.nomem ? CB_ENOMEM : CB_OK;
}
