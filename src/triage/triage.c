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
    cb_diags_release(&t->skipped);
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
    size_t npat = cb_library_signature_count(lib), cappat = npat; /* npat shrinks as playbooks are skipped */
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
    /* The tree first: a playbook that loops or leads nowhere is skipped before anything is compiled. */
    for (size_t i = 0; i < lib->n; i++) {
        const cb_playbook *pb = lib->playbooks[i];
        t->all[i].pb = pb;
        t->all[i].walk.stop_node = -1;
        size_t before = t->skipped.n;
        if (cb_playbook_check_sound(pb, NULL, NULL, &t->skipped))
            goto fail;
        if (t->skipped.n > before) {
            t->all[i].skipped = true;
            t->nskipped++;
        }
    }
    t->nall = lib->n;
    /*
     * Then the patterns, compiled once: a signature the engines refuse skips
     * its playbook, and the rest are compiled again without it (a rare path:
     * the common one costs a single compile).  Each round skips at least one
     * more playbook, so this ends.
     */
    for (;;) {
        size_t k = 0;
        for (size_t i = 0; i < t->nall; i++) {
            const cb_playbook *pb = t->all[i].pb;
            t->all[i].first_pattern = k;
            if (t->all[i].skipped)
                continue;
            for (size_t s = 0; s < pb->nsignatures; s++, k++) {
                const cb_signature *sig = &pb->signatures[s];
                size_t len = strlen(pb->id.s) + strlen(sig->id) + 2;
                free(ids[k]);
                free(globs[k]);
                globs[k] = NULL;
                memset(&pats[k], 0, sizeof pats[k]);
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
        npat = k;
        cb_pattern_failure *bad = NULL;
        size_t nbad = 0;
        if ((st = cb_scanner_new_lenient(pats, npat, &sc, &bad, &nbad, err)))
            goto fail_quiet;
        if (!nbad)
            break;
        cb_scanner_free(sc);
        sc = NULL;
        st = CB_OK;
        for (size_t b = 0, i = 0; b < nbad && !st; b++) {
            while (i + 1 < t->nall && bad[b].index >= t->all[i + 1].first_pattern)
                i++;
            cb_finding *f = &t->all[i];
            const cb_signature *sig = &f->pb->signatures[bad[b].index - f->first_pattern];
            st = cb_diags_add(&t->skipped, f->pb->path, sig->pattern.loc.line, sig->pattern.loc.col,
                              "pattern of signature '%s' does not compile: %s", sig->id, bad[b].message);
            if (!f->skipped) {
                f->skipped = true;
                t->nskipped++;
            }
        }
        cb_pattern_failures_free(bad, nbad);
        if (st)
            goto fail;
    }
    cb_diags_sort(&t->skipped);
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
        if (f->skipped)
            continue;
        for (size_t s = 0; s < pb->nsignatures; s++) {
            uint64_t c = hits[f->first_pattern + s];
            if (!c)
                continue;
            f->sigs_hit++;
            f->score += weight(pb->signatures[s].severity) * (1.0 + log((double)c));
        }
        /* Sound playbooks only reach here, so the walk engine refuses none: any failure is memory. */
        if (cb_autowalk_run(t, f, NULL, NULL, &f->walk, err)) {
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
    for (size_t i = 0; i < cappat; i++) {
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
