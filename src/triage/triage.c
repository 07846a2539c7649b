/*
 * triage.c — score and rank the playbooks of a library against one scan of a
 * bundle, and walk each as far as the logs can answer (see triage.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "casebook/timefmt.h"
#include "casebook/triage.h"
#include "core/internal.h"

/* ---- automatic walks ---- */

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

static cb_status why(cb_autowalk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static cb_status why(cb_autowalk *w, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **p = realloc(w->why, (w->nwhy + 1) * sizeof *p);
    if (!p)
        return CB_ENOMEM;
    w->why = p;
    if (!(w->why[w->nwhy] = strdup(buf)))
        return CB_ENOMEM;
    w->nwhy++;
    return CB_OK;
}

/* "conn-reset 238 + data-timeout 0 = 238" into buf. */
static void describe_sum(const cb_node *n, const uint64_t *hits, uint64_t total, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n->nsigs && o < size; i++) {
        int s = n->sigs[i].index;
        o += (size_t)snprintf(buf + o, size - o, "%s%s %llu", i ? " + " : "", n->sigs[i].id,
                              (unsigned long long)(s >= 0 ? hits[s] : 0));
    }
    if (n->nsigs > 1 && o < size)
        snprintf(buf + o, size - o, " = %llu", (unsigned long long)total);
}

cb_status cb_autowalk_run(const cb_playbook *pb, const uint64_t *hits, cb_answer_fn answer, void *ctx,
                          cb_autowalk *w)
{
    memset(w, 0, sizeof *w);
    w->stop_node = -1;
    w->stop = CB_WALK_BROKEN;
    w->path = calloc(pb->nnodes + 1, sizeof *w->path);
    if (!w->path)
        return CB_ENOMEM;
    int cur = pb->start.index;
    while (cur >= 0 && (size_t)cur < pb->nnodes) {
        if (w->npath > pb->nnodes) { /* a loop: lint reports it */
            w->stop = CB_WALK_BROKEN;
            return CB_OK;
        }
        w->path[w->npath++] = cur;
        w->stop_node = cur;
        const cb_node *n = &pb->nodes[cur];
        const char *ans = answer ? answer(ctx, n) : NULL;
        switch (n->kind) {
        case CB_NODE_CONCLUDE:
            w->stop = CB_WALK_CONCLUDED;
            return CB_OK;
        case CB_NODE_CHECK: {
            bool yes;
            if (ans && (strcasecmp(ans, "yes") == 0 || strcasecmp(ans, "no") == 0)) {
                yes = strcasecmp(ans, "yes") == 0;
                if (why(w, "%s: answered %s", n->id, yes ? "yes" : "no"))
                    return CB_ENOMEM;
            } else if (hits) {
                uint64_t total = 0;
                for (size_t i = 0; i < n->nsigs; i++)
                    if (n->sigs[i].index >= 0)
                        total += hits[n->sigs[i].index];
                yes = total >= n->min;
                char sum[512];
                describe_sum(n, hits, total, sum, sizeof sum);
                if (why(w, "%s: %s %s min %llu: %s", n->id, sum, yes ? ">=" : "<", (unsigned long long)n->min,
                        yes ? "yes" : "no"))
                    return CB_ENOMEM;
            } else {
                w->stop = CB_WALK_NEEDS_HUMAN;
                return CB_OK;
            }
            cur = yes ? n->yes.index : n->no.index;
            break;
        }
        case CB_NODE_ASK: {
            if (!ans) {
                w->stop = CB_WALK_NEEDS_HUMAN;
                return CB_OK;
            }
            int next = -2;
            for (size_t i = 0; i < n->nchoices && next == -2; i++)
                if (n->choices[i].label.s && strcasecmp(n->choices[i].label.s, ans) == 0)
                    next = n->choices[i].target.index;
            if (next == -2) {
                w->stop = CB_WALK_NEEDS_HUMAN;
                return why(w, "%s: '%s' is not one of its choices", n->id, ans);
            }
            if (why(w, "%s: answered '%s'", n->id, ans))
                return CB_ENOMEM;
            cur = next;
            break;
        }
        case CB_NODE_DO:
            if (!ans) {
                w->stop = CB_WALK_NEEDS_HUMAN;
                return CB_OK;
            }
            if (why(w, "%s: done ('%s')", n->id, ans))
                return CB_ENOMEM;
            cur = n->next.index;
            break;
        }
    }
    w->stop = CB_WALK_BROKEN;
    return CB_OK;
}

/* ---- triage ---- */

void cb_triage_opts_init(cb_triage_opts *o)
{
    cb_scan_opts_init(&o->scan);
}

void cb_triage_free(cb_triage *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nall; i++) {
        cb_autowalk_release(&t->all[i].walk);
        free(t->all[i].next_text);
    }
    free(t->all);
    free(t->ranked);
    free(t->bundle_name);
    cb_scan_result_free(t->scan);
    free(t);
}

static double weight(cb_severity s)
{
    switch (s) {
    case CB_SEV_INFO:
        return 0;
    case CB_SEV_WARNING:
        return 1;
    case CB_SEV_ERROR:
        return 2;
    case CB_SEV_CRITICAL:
        return 4;
    }
    return 0;
}

/* Hits of value `value` of the named group `name` over f's signatures. */
static uint64_t var_total(const cb_triage *t, const cb_finding *f, const char *name, const char *value)
{
    uint64_t total = 0;
    for (size_t s = 0; s < f->pb->nsignatures; s++) {
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        for (size_t c = 0; c < pr->ncaptures; c++)
            if (strcmp(pr->captures[c].name, name) == 0)
                for (size_t v = 0; v < pr->captures[c].nvalues; v++)
                    if (strcmp(pr->captures[c].values[v].value, value) == 0)
                        total += pr->captures[c].values[v].count;
    }
    return total;
}

/*
 * cb_triage_var without memory, for when the tables cannot be allocated: the
 * same answer (values in the order met, the first of the most frequent), in
 * quadratic time, rather than a variable that looks unknown.
 */
static const char *var_without_memory(const cb_triage *t, const cb_finding *f, const char *name)
{
    const char *best = NULL;
    uint64_t best_count = 0;
    for (size_t s = 0; s < f->pb->nsignatures; s++) {
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        for (size_t c = 0; c < pr->ncaptures; c++)
            if (strcmp(pr->captures[c].name, name) == 0)
                for (size_t v = 0; v < pr->captures[c].nvalues; v++) {
                    uint64_t total = var_total(t, f, name, pr->captures[c].values[v].value);
                    if (total > best_count) {
                        best = pr->captures[c].values[v].value;
                        best_count = total;
                    }
                }
    }
    return best;
}

const char *cb_triage_var(const cb_triage *t, const cb_finding *f, const char *name)
{
    if (strcmp(name, "bundle") == 0)
        return t->bundle_name;
    /*
     * Add up each value's hits over the playbook's signatures, in the order
     * they are met (signatures as listed, each one's values most frequent
     * first), so that the first met wins a tie.
     */
    size_t cap = 0, n = 0;
    for (size_t s = 0; s < f->pb->nsignatures; s++) {
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        for (size_t c = 0; c < pr->ncaptures; c++)
            if (strcmp(pr->captures[c].name, name) == 0)
                cap += pr->captures[c].nvalues;
    }
    if (!cap)
        return NULL;
    const char **val = malloc(cap * sizeof *val);
    uint64_t *total = malloc(cap * sizeof *total);
    if (!val || !total) {
        free(val);
        free(total);
        return var_without_memory(t, f, name);
    }
    for (size_t s = 0; s < f->pb->nsignatures; s++) {
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        for (size_t c = 0; c < pr->ncaptures; c++) {
            if (strcmp(pr->captures[c].name, name) != 0)
                continue;
            for (size_t v = 0; v < pr->captures[c].nvalues; v++) {
                const cb_capture_value *cv = &pr->captures[c].values[v];
                size_t k = 0;
                while (k < n && strcmp(val[k], cv->value) != 0)
                    k++;
                if (k == n) {
                    val[n] = cv->value;
                    total[n++] = 0;
                }
                total[k] += cv->count;
            }
        }
    }
    const char *best = NULL;
    uint64_t best_count = 0;
    for (size_t k = 0; k < n; k++)
        if (total[k] > best_count) {
            best = val[k];
            best_count = total[k];
        }
    free(val);
    free(total);
    return best;
}

typedef struct varctx {
    const cb_triage *t;
    const cb_finding *f;
} varctx;

static const char *lookup(void *ctx, const char *name)
{
    varctx *v = ctx;
    return cb_triage_var(v->t, v->f, name);
}

static int cmp_finding(const void *a, const void *b)
{
    const cb_finding *x = *(cb_finding *const *)a, *y = *(cb_finding *const *)b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->sigs_hit != y->sigs_hit)
        return x->sigs_hit > y->sigs_hit ? -1 : 1;
    return strcmp(x->pb->id.s, y->pb->id.s);
}

cb_status cb_triage_run(const cb_library *lib, const char *path, const cb_triage_opts *opts, cb_triage **out,
                        cb_error *err)
{
    cb_triage_opts defaults;
    if (!opts) {
        cb_triage_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    cb_status st = CB_ENOMEM;
    size_t npat = cb_library_signature_count(lib);
    cb_pattern *pats = calloc(npat ? npat : 1, sizeof *pats);
    char **ids = calloc(npat ? npat : 1, sizeof *ids);
    const char ***globs = calloc(npat ? npat : 1, sizeof *globs);
    cb_scanner *sc = NULL;
    cb_triage *t = calloc(1, sizeof *t);
    if (!pats || !ids || !globs || !t)
        goto fail;
    if (!(t->bundle_name = cb_bundle_name(path)))
        goto fail;
    t->all = calloc(lib->n ? lib->n : 1, sizeof *t->all);
    t->ranked = calloc(lib->n ? lib->n : 1, sizeof *t->ranked);
    if (!t->all || !t->ranked)
        goto fail;
    size_t k = 0;
    for (size_t i = 0; i < lib->n; i++) {
        const cb_playbook *pb = lib->playbooks[i];
        t->all[i].pb = pb;
        t->all[i].first_pattern = k;
        t->all[i].walk.stop_node = -1;
        for (size_t s = 0; s < pb->nsignatures; s++, k++) {
            const cb_signature *sig = &pb->signatures[s];
            size_t len = strlen(pb->id.s) + strlen(sig->id) + 2;
            if (!(ids[k] = malloc(len)))
                goto fail;
            snprintf(ids[k], len, "%s/%s", pb->id.s, sig->id);
            pats[k].id = ids[k];
            pats[k].regex = sig->pattern.s;
            pats[k].caseless = sig->caseless;
            if (sig->nfiles) {
                if (!(globs[k] = calloc(sig->nfiles, sizeof *globs[k])))
                    goto fail;
                for (size_t g = 0; g < sig->nfiles; g++)
                    globs[k][g] = sig->files[g].s;
                pats[k].globs = globs[k];
                pats[k].nglobs = sig->nfiles;
            }
        }
    }
    t->nall = lib->n;
    if ((st = cb_scanner_new(pats, npat, &sc, err)))
        goto fail_quiet;
    if ((st = cb_scan_bundle(sc, path, &opts->scan, &t->scan, err)))
        goto fail_quiet;

    st = CB_ENOMEM;
    uint64_t *hits = calloc(npat ? npat : 1, sizeof *hits);
    if (!hits)
        goto fail;
    for (size_t p = 0; p < npat; p++)
        hits[p] = t->scan->pats[p].count;
    for (size_t i = 0; i < t->nall; i++) {
        cb_finding *f = &t->all[i];
        const cb_playbook *pb = f->pb;
        for (size_t s = 0; s < pb->nsignatures; s++) {
            uint64_t c = hits[f->first_pattern + s];
            if (!c)
                continue;
            f->sigs_hit++;
            f->score += weight(pb->signatures[s].severity) * (1.0 + log((double)c));
        }
        if (cb_autowalk_run(pb, hits + f->first_pattern, NULL, NULL, &f->walk)) {
            free(hits);
            goto fail;
        }
        if (f->walk.stop == CB_WALK_NEEDS_HUMAN && f->walk.stop_node >= 0) {
            const cb_node *n = &pb->nodes[f->walk.stop_node];
            const char *text = n->text.s;
            char buf[512];
            if (!text && n->kind == CB_NODE_CHECK) { /* no logs could answer it: ask instead */
                snprintf(buf, sizeof buf, "Do the logs show %s?", n->nsigs ? n->sigs[0].id : "the symptom");
                text = buf;
            }
            varctx vc = {t, f};
            if (text && !(f->next_text = cb_template_fill(text, lookup, &vc, &f->next_unknown))) {
                free(hits);
                goto fail;
            }
            if (f->next_text) { /* YAML block scalars end with a line end */
                size_t l = strlen(f->next_text);
                while (l && (f->next_text[l - 1] == '\n' || f->next_text[l - 1] == ' '))
                    f->next_text[--l] = '\0';
            }
        }
        if (f->score > 0)
            t->ranked[t->nranked++] = f;
    }
    free(hits);
    if (t->nranked > 1)
        qsort(t->ranked, t->nranked, sizeof *t->ranked, cmp_finding);
    st = CB_OK;
    *out = t;
    t = NULL;
    goto done;
fail:
    cb_error_set(err, CB_ENOMEM, "out of memory");
fail_quiet:
done:
    cb_scanner_free(sc);
    for (size_t i = 0; i < npat; i++) {
        if (ids)
            free(ids[i]);
        if (globs)
            free(globs[i]);
    }
    free(ids);
    free(globs);
    free(pats);
    cb_triage_free(t);
    return st;
}

/* ---- time arguments ---- */

cb_status cb_time_arg_parse(const char *s, int64_t ref_ms, int64_t *ms, bool *relative, cb_error *err)
{
    size_t n = strlen(s);
    *relative = false;
    /* A duration back from ref: digits and one unit. */
    if (n >= 2 && s[0] >= '0' && s[0] <= '9') {
        size_t i = 0;
        int64_t v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && v < INT64_C(1000000000))
            v = v * 10 + (s[i++] - '0');
        if (i == n - 1) {
            int64_t unit = 0;
            switch (s[i]) {
            case 's': unit = 1000; break;
            case 'm': unit = 60000; break;
            case 'h': unit = 3600000; break;
            case 'd': unit = 86400000; break;
            }
            if (unit) {
                *ms = ref_ms - v * unit;
                *relative = true;
                return CB_OK;
            }
        }
    }
    /* ISO 8601, with a date alone meaning its midnight. */
    char buf[64];
    if (n == 10)
        snprintf(buf, sizeof buf, "%sT00:00:00", s);
    else if (n == 16)
        snprintf(buf, sizeof buf, "%s:00", s);
    else
        snprintf(buf, sizeof buf, "%s", s);
    cb_timefmt f = {.kind = CB_TIME_ISO8601};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &f, 0);
    size_t len = strlen(buf);
    int64_t v;
    /* Only the characters of a timestamp, so that "2024-03-12 junk" is refused. */
    bool clean = n > 0 && n < sizeof buf - 10 && strspn(s, "0123456789-:T .,Z+") == n;
    if (clean && cb_time_parse(&ctx, buf, len, &v)) {
        *ms = v;
        return CB_OK;
    }
    return cb_error_set(err, CB_EINVAL,
                        "'%s' is not a time (2024-03-12T10:15:00Z, 2024-03-12 10:15, 2024-03-12) or a duration "
                        "back from the bundle's last line (30m, 2h, 3d)",
                        s);
}
