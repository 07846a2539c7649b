/*
 * similar.c — earlier cases like this one (cb_case_similar_find): "what did
 * we do last time" for the engineer who opens a case.
 *
 * A case's features are what its triage fired: each playbook ("pb") and
 * each playbook/signature pair ("pb/sig") with hits.  A feature weighs
 * w(f) = ln(1 + N / df(f)), where N is the number of cases with a triage
 * opened up to this case (itself included) and df(f) how many of them have
 * f: a feature nearly every case has weighs little (ln 2 at the limit), a
 * rare one much more.  Two cases score the weighted Jaccard index of their
 * feature sets, sum of w over the features both have / sum of w over the
 * features either has: 1 for the same features, falling as either has
 * features the other lacks, in (0, 1] whenever they share one.  Counting
 * only cases opened up to this one keeps the score of a case what it was
 * when the case was opened: later cases change neither its candidates nor
 * their weights.  docs/knowledge.md ("Similar cases") gives the reasons.
 *
 * All feature rows of the cases concerned are read in one query ordered by
 * feature, so each feature's cases come together: its df is their number,
 * and one pass adds each feature's weight to the total of every case that
 * has it and to the shared sum of every case that has it along with this
 * one.  Cost: linear in the rows read, one query, no per-case query but
 * for the at most `limit` cases returned.
 */
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>

#include "case/case_int.h"

void cb_case_similars_release(cb_case_similars *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        cb_case_similar *c = &l->v[i];
        cb__case_entry_release(&c->e);
        free(c->resolution);
        for (size_t k = 0; k < c->narticles; k++)
            free(c->articles[k]);
        free(c->articles);
        for (size_t k = 0; k < c->nshared; k++)
            free(c->shared[k]);
        free(c->shared);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* A case of the population: its id (sorted, for lookup), opened, and its sums. */
typedef struct cand {
    char *id;
    char *opened;
    double total;  /* sum of w over its features */
    double shared; /* sum of w over the features it shares with the case */
    double score;  /* set once the sums are complete */
} cand;

typedef struct pop {
    cand *v;
    size_t n, cap;
} pop;

static void pop_release(pop *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].id);
        free(p->v[i].opened);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const cand *)a)->id, ((const cand *)b)->id);
}

static cand *find(pop *p, const char *id)
{
    cand key = {.id = (char *)id};
    return id && p->n ? bsearch(&key, p->v, p->n, sizeof *p->v, cmp_id) : NULL;
}

/* Newer first: opened later, then the larger id (CASE-10000 after CASE-9999). */
static int newer(const cand *a, const cand *b)
{
    int c = strcmp(b->opened, a->opened);
    if (c)
        return c;
    size_t la = strlen(a->id), lb = strlen(b->id);
    return la != lb ? (la < lb ? 1 : -1) : strcmp(b->id, a->id);
}

static double score_of(const cand *c, const cand *self)
{
    double uni = c->total + self->total - c->shared;
    return uni > 0 ? c->shared / uni : 0;
}

/* Best first, then newest. */
static int cmp_rank(const void *a, const void *b)
{
    const cand *x = *(const cand *const *)a, *y = *(const cand *const *)b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return newer(x, y);
}

/* The cases with a triage opened up to `opened`: the population N counts. */
static cb_status load_pop(cb_store *s, const char *opened, pop *p, cb_error *err)
{
    cb_store_value v = cb_store_text(opened);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s,
                                  "SELECT c.id, c.opened FROM cases c WHERE c.opened <= $1"
                                  " AND EXISTS (SELECT 1 FROM case_playbooks cp WHERE cp.case_id = c.id)",
                                  &v, 1, &r, err);
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        bool oom = false;
        cand *c = &p->v[p->n++];
        memset(c, 0, sizeof *c);
        c->id = cb__case_col(r, 0, &oom);
        c->opened = cb__case_col(r, 1, &oom);
        if (oom || !c->id || !c->opened)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(r);
    if (st == CB_OK && p->n)
        qsort(p->v, p->n, sizeof *p->v, cmp_id);
    return st;
}

/*
 * One pass over every feature row of the population, grouped by feature:
 * the rows of a group are buffered (case pointers), then its weight is added
 * to each case's total, and to each case's shared sum when self is among
 * them.
 */
static cb_status score_all(cb_store *s, const char *opened, pop *p, cand *self, cb_error *err)
{
    cb_store_value v = cb_store_text(opened);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s,
                                  "SELECT f.playbook, f.signature, f.case_id FROM ("
                                  " SELECT cp.case_id, cp.playbook, '' AS signature FROM case_playbooks cp"
                                  " UNION ALL SELECT cs.case_id, cs.playbook, cs.signature FROM case_signatures cs"
                                  ") f JOIN cases c ON c.id = f.case_id WHERE c.opened <= $1"
                                  " ORDER BY f.playbook, f.signature",
                                  &v, 1, &r, err);
    cand **group = NULL;
    size_t ng = 0, capg = 0;
    char *pb = NULL, *sig = NULL; /* the group's feature */
    bool has_self = false, done = false;
    while (st == CB_OK && !done) {
        st = cb_store_rows_next(r, &row, err);
        if (st != CB_OK)
            break;
        const char *rpb = row ? cb_store_rows_text(r, 0) : NULL, *rsig = row ? cb_store_rows_text(r, 1) : NULL;
        if (row && (!rpb || !rsig))
            continue;
        bool same = row && pb && strcmp(pb, rpb) == 0 && strcmp(sig, rsig) == 0;
        if (!same && ng) {
            /* The group ends: its weight goes to its cases. */
            double w = log(1.0 + (double)p->n / (double)ng);
            for (size_t i = 0; i < ng; i++) {
                group[i]->total += w;
                if (has_self)
                    group[i]->shared += w;
            }
            ng = 0;
            has_self = false;
        }
        if (!row) {
            done = true;
            break;
        }
        if (!same) {
            free(pb);
            free(sig);
            pb = strdup(rpb);
            sig = strdup(rsig);
            if (!pb || !sig) {
                st = cb_error_set(err, CB_ENOMEM, "out of memory");
                break;
            }
        }
        cand *c = find(p, cb_store_rows_text(r, 2));
        if (!c)
            continue; /* a case without playbook rows cannot have signature rows: not reached */
        if (!cb__grow((void **)&group, &capg, ng + 1, sizeof *group)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        group[ng++] = c;
        if (c == self)
            has_self = true;
    }
    free(pb);
    free(sig);
    free(group);
    cb_store_rows_free(r);
    return st;
}

/* The first column of every row of sql ($1 = a, $2 = b; b may be NULL: no $2) into *v, *n. */
static cb_status strings(cb_store *s, const char *sql, const char *a, const char *b, char ***v, size_t *n,
                         cb_error *err)
{
    cb_store_value p[2] = {cb_store_text(a), cb_store_text(b)};
    cb_store_rows *r = NULL;
    bool row = false;
    size_t cap = 0;
    cb_status st = cb_store_query(s, sql, p, b ? 2 : 1, &r, err);
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row) {
        bool oom = false;
        char *t = cb__case_col(r, 0, &oom);
        if (!t || !cb__grow((void **)v, &cap, *n + 1, sizeof **v)) {
            free(t);
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        (*v)[(*n)++] = t;
    }
    cb_store_rows_free(r);
    return st;
}

/* Fill one result for candidate id: its entry, resolution, linked articles and the features it shares with self. */
static cb_status fill_one(cb_store *s, const char *id, const char *self, cb_case_similar *out, cb_error *err)
{
    cb_store_value p = cb_store_text(id);
    cb_store_rows *r = NULL;
    bool row = false;
    cb_status st = cb_store_query(s, "SELECT " CB__CASE_ENTRY_COLS ", resolution FROM cases WHERE id = $1", &p, 1, &r,
                                  err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no case %s", id);
    if (st == CB_OK) {
        bool oom = !cb__case_entry_fill(&out->e, r);
        out->resolution = cb__case_col(r, 10, &oom);
        if (oom)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(r);
    if (st == CB_OK)
        st = strings(s, "SELECT DISTINCT article FROM article_links WHERE case_id = $1 ORDER BY article", id, NULL,
                     &out->articles, &out->narticles, err);
    if (st == CB_OK)
        st = strings(s,
                     "SELECT a.playbook FROM case_playbooks a JOIN case_playbooks b"
                     " ON b.playbook = a.playbook AND b.case_id = $2 WHERE a.case_id = $1 ORDER BY a.playbook",
                     id, self, &out->shared, &out->nshared, err);
    if (st == CB_OK)
        st = strings(s,
                     "SELECT a.playbook || '/' || a.signature FROM case_signatures a JOIN case_signatures b"
                     " ON b.playbook = a.playbook AND b.signature = a.signature AND b.case_id = $2"
                     " WHERE a.case_id = $1 ORDER BY a.playbook, a.signature",
                     id, self, &out->shared, &out->nshared, err);
    return st;
}

cb_status cb_case_similar_find(cb_store *s, const char *id, size_t limit, cb_case_similars *out, cb_error *err)
{
    if (!out)
        return cb_error_set(err, CB_EINVAL, "cb_case_similar_find: NULL argument");
    memset(out, 0, sizeof *out);
    if (!s)
        return cb_error_set(err, CB_EINVAL, "cb_case_similar_find: NULL argument");
    if (limit < 1 || limit > 1000)
        return cb_error_set(err, CB_EINVAL, "limit is 1 to 1000 (got %zu)", limit);
    if (!cb_case_id_valid(id))
        return cb_error_set(err, CB_ENOTFOUND, "no case %s (a case id is CASE- and 4 to 18 digits)",
                            id ? id : "(null)");
    /* When the case was opened: the population is what existed then. */
    cb_store_value v = cb_store_text(id);
    cb_store_rows *r = NULL;
    bool row = false;
    char *opened = NULL;
    cb_status st = cb_store_query(s, "SELECT opened FROM cases WHERE id = $1", &v, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no case %s", id);
    if (st == CB_OK) {
        bool oom = false;
        opened = cb__case_col(r, 0, &oom);
        if (!opened)
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    cb_store_rows_free(r);

    pop p = {0};
    cand **ranked = NULL;
    size_t nranked = 0;
    cand *self = NULL;
    if (st == CB_OK)
        st = load_pop(s, opened, &p, err);
    if (st == CB_OK && (self = find(&p, id)) != NULL)
        st = score_all(s, opened, &p, self, err);
    if (st == CB_OK && self) {
        if (p.n && !(ranked = malloc(p.n * sizeof *ranked)))
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
        for (size_t i = 0; st == CB_OK && i < p.n; i++)
            if (&p.v[i] != self && p.v[i].shared > 0) {
                p.v[i].score = score_of(&p.v[i], self);
                ranked[nranked++] = &p.v[i];
            }
        if (st == CB_OK && nranked)
            qsort(ranked, nranked, sizeof *ranked, cmp_rank);
    }
    for (size_t i = 0; st == CB_OK && i < nranked && i < limit; i++) {
        if (!cb__grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        cb_case_similar *c = &out->v[out->n++];
        memset(c, 0, sizeof *c);
        c->score = ranked[i]->score;
        st = fill_one(s, ranked[i]->id, id, c, err);
    }
    free(ranked);
    pop_release(&p);
    free(opened);
    if (st != CB_OK)
        cb_case_similars_release(out);
    return st;
}
