/*
 * run.c — scanning a bundle with a compiled scanner (design notes in
 * compile.c).  The calling thread reads and merges; workers scan.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "casebook/glob.h"
#include "core/internal.h"
#include "scan/scan_int.h"

enum { MAX_THREADS = 64, LOOKBACK_LINES = 256 };

typedef struct filerec {
    size_t index;       /* into result->files */
    uint8_t *applies;   /* per pattern: 1 when its globs select this file */
    uint64_t next_line; /* number of the first line of the next chunk to merge */
} filerec;

typedef struct cand {
    uint32_t off; /* start of the candidate line in the job buffer */
    uint32_t pat;
} cand;

typedef struct match {
    uint32_t pat;
    uint32_t off, len;   /* the line */
    uint64_t line;       /* 1-based within the chunk (the file's line number is known at merge) */
    int64_t time_ms;
    bool has_time;
    uint32_t cap0, ncap; /* its capture values in job->cv */
} match;

typedef struct capval {
    uint32_t name; /* index into the pattern's names */
    uint32_t off, len;
} capval;

typedef struct job {
    uint64_t seq;
    filerec *file;
    char *buf;
    size_t len, cap;
    bool raw;            /* still to be finished (cb_chunk_finish) by the worker */
    cb_eol eol;
    uint64_t nlines;     /* known when raw is false, else counted by the worker */
    bool truncated;
    cb_timectx tctx;
    int64_t time_before;
    bool has_time_before;
    cand *c;
    size_t nc, capc;
    match *m;
    size_t nm, capm;
    capval *cv;
    size_t ncv, capcv;
    bool oom;
    struct job *next;
} job;

typedef struct run {
    const cb_scanner *s;
    const cb_scan_opts *o;
    cb_scan_result *r;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, done_cv;
    job *work_head, *work_tail, *done, *free;
    bool stop;
    size_t allocated, pool;
    uint64_t next_seq, next_merge;
    bool oom;
    job **all; /* every job allocated, for freeing */
    filerec **recs;
    size_t nrecs, caprecs;
    uint32_t *linepats; /* scratch for on_line */
} run;

/* ---- the worker side ---- */

typedef struct hitctx {
    const cb_scanner *s;
    job *j;
} hitctx;

/* Record that pattern p may match the line starting at off.  Returns false when out of memory. */
static bool add_cand(job *j, uint32_t off, uint32_t p)
{
    if (!j->file->applies[p])
        return true;
    /* Most repeats are the same pattern again on the same line: skip them cheaply. */
    if (j->nc && j->c[j->nc - 1].off == off && j->c[j->nc - 1].pat == p)
        return true;
    if (!cb__grow((void **)&j->c, &j->capc, j->nc + 1, sizeof *j->c)) {
        j->oom = true;
        return false;
    }
    j->c[j->nc].off = off;
    j->c[j->nc].pat = p;
    j->nc++;
    return true;
}

/* The start of the line holding the byte before `to` (a hit ends at `to`). */
static uint32_t line_of(const job *j, unsigned long long to)
{
    size_t pos = to ? (size_t)to - 1 : 0;
    const char *nl = pos ? memrchr(j->buf, '\n', pos) : NULL;
    return nl ? (uint32_t)(nl - j->buf) + 1 : 0;
}

static int on_regex_hit(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                        void *vctx)
{
    (void)from;
    (void)flags;
    hitctx *h = vctx;
    return add_cand(h->j, line_of(h->j, to), h->s->re_pat[id]) ? 0 : 1;
}

/* A literal may be required by several patterns: each becomes a candidate. */
static int on_literal_hit(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                          void *vctx)
{
    (void)from;
    (void)flags;
    hitctx *h = vctx;
    uint32_t off = line_of(h->j, to);
    for (uint32_t k = h->s->lit_off[id]; k < h->s->lit_off[id + 1]; k++)
        if (!add_cand(h->j, off, h->s->lit_pat[k]))
            return 1; /* stop scanning */
    return 0;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/*
 * The time of the line at `off`: its own timestamp, else the nearest earlier
 * one, found by looking back over the lines since the previous matched line
 * (at most LOOKBACK_LINES), else what was known then.  Lines are visited in
 * increasing offset order; known_upto, cur and has carry the state.
 */
static void line_time(job *j, cb_timectx *tc, uint32_t off, uint32_t len, size_t *known_upto, int64_t *cur,
                      bool *has)
{
    int64_t ms;
    if (tc->fmt.kind == CB_TIME_NONE)
        return;
    if (cb_time_parse(tc, j->buf + off, len, &ms)) {
        *cur = ms;
        *has = true;
        *known_upto = off;
        return;
    }
    size_t end = off; /* start of the line after the one to try */
    for (int k = 0; k < LOOKBACK_LINES && end > *known_upto && end > 0; k++) {
        size_t le = end - 1; /* its '\n' */
        const char *prev = le ? memrchr(j->buf, '\n', le) : NULL;
        size_t ls = prev ? (size_t)(prev - j->buf) + 1 : 0;
        if (ls < *known_upto)
            break;
        cb_timectx tmp = *tc;
        if (cb_time_parse(&tmp, j->buf + ls, le - ls, &ms)) {
            *cur = ms;
            *has = true;
            break;
        }
        end = ls;
    }
    *known_upto = off;
}

/*
 * Order candidates by (line, pattern).  Hits of one database arrive in end
 * offset order, so the list is usually sorted by line already and only runs
 * of one line need ordering by pattern: a full sort only when it is not.
 */
static void sort_candidates(cand *c, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (c[i].off < c[i - 1].off) {
            qsort(c, n, sizeof *c, cmp_cand);
            return;
        }
    for (size_t i = 1; i < n; i++) {
        cand x = c[i];
        size_t k = i;
        while (k > 0 && c[k - 1].off == x.off && c[k - 1].pat > x.pat) {
            c[k] = c[k - 1];
            k--;
        }
        c[k] = x;
    }
}

static void scan_job(const cb_scanner *s, job *j, hs_scratch_t *scr, pcre2_match_data *md, bool counts_only,
                     bool captures)
{
    j->nc = j->nm = j->ncv = 0;
    j->oom = false;
    if (j->raw) {
        /* CR LF clean-up and line counting, taken off the reading thread. */
        j->nlines = cb_chunk_finish(j->buf, &j->len, j->eol);
        j->raw = false;
        memset(j->buf + j->len, 0, CB_CHUNK_PAD);
    }
    hitctx h = {s, j};
    if (s->lit_db)
        hs_scan(s->lit_db, j->buf, (unsigned)j->len, 0, scr, on_literal_hit, &h);
    if (s->re_db && !j->oom)
        hs_scan(s->re_db, j->buf, (unsigned)j->len, 0, scr, on_regex_hit, &h);
    if (j->oom)
        return;
    if (j->nc > 1)
        sort_candidates(j->c, j->nc);

    uint64_t line = 1;
    size_t counted = 0, known_upto = 0;
    int64_t cur = j->time_before;
    bool has = j->has_time_before;
    cb_timectx tc = j->tctx;
    uint32_t timed_off = UINT32_MAX, line_off = UINT32_MAX, line_len = 0;
    for (size_t i = 0; i < j->nc; i++) {
        if (i && j->c[i].off == j->c[i - 1].off && j->c[i].pat == j->c[i - 1].pat)
            continue;
        const pat *p = &s->p[j->c[i].pat];
        uint32_t off = j->c[i].off;
        if (off != line_off) { /* candidates of one line are adjacent: find its end once */
            const char *eol = memchr(j->buf + off, '\n', j->len - off);
            line_off = off;
            line_len = (uint32_t)((eol ? eol : j->buf + j->len) - (j->buf + off));
        }
        uint32_t len = line_len;
        int rc = p->plain ? 1 : pcre2_match(p->code, (PCRE2_SPTR)(j->buf + off), len, 0, 0, md, NULL);
        if (rc < 0)
            continue; /* the literal occurred, the pattern does not match: not a hit */
        if (!counts_only) {
            line += cb__count_lf(j->buf + counted, off - counted);
            counted = off;
            if (off != timed_off) {
                line_time(j, &tc, off, len, &known_upto, &cur, &has);
                timed_off = off;
            }
        }
        if (!cb__grow((void **)&j->m, &j->capm, j->nm + 1, sizeof *j->m)) {
            j->oom = true;
            return;
        }
        match *m = &j->m[j->nm++];
        m->pat = j->c[i].pat;
        m->off = off;
        m->len = len;
        m->line = line;
        m->time_ms = cur;
        m->has_time = has;
        m->cap0 = (uint32_t)j->ncv;
        m->ncap = 0;
        if (p->nnames && rc > 0 && captures && !counts_only) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            for (size_t k = 0; k < p->nnames; k++) {
                uint32_t g = p->names[k].group;
                if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET)
                    continue;
                if (!cb__grow((void **)&j->cv, &j->capcv, j->ncv + 1, sizeof *j->cv)) {
                    j->oom = true;
                    return;
                }
                j->cv[j->ncv].name = (uint32_t)k;
                j->cv[j->ncv].off = off + (uint32_t)ov[2 * g];
                j->cv[j->ncv].len = (uint32_t)(ov[2 * g + 1] - ov[2 * g]);
                j->ncv++;
                m->ncap++;
            }
        }
    }
}

static void *worker(void *arg)
{
    run *R = arg;
    hs_scratch_t *scr = NULL;
    pcre2_match_data *md = pcre2_match_data_create(R->s->max_ovector ? R->s->max_ovector : 1, NULL);
    bool ok = md && (!R->s->proto || hs_clone_scratch(R->s->proto, &scr) == HS_SUCCESS);
    for (;;) {
        pthread_mutex_lock(&R->mu);
        while (!R->work_head && !R->stop)
            pthread_cond_wait(&R->work_cv, &R->mu);
        job *j = R->work_head;
        if (!j) {
            pthread_mutex_unlock(&R->mu);
            break;
        }
        R->work_head = j->next;
        if (!R->work_head)
            R->work_tail = NULL;
        pthread_mutex_unlock(&R->mu);

        if (ok)
            scan_job(R->s, j, scr, md, R->o->counts_only, R->o->captures);
        else
            j->oom = true;

        pthread_mutex_lock(&R->mu);
        j->next = R->done;
        R->done = j;
        pthread_cond_broadcast(&R->done_cv);
        pthread_mutex_unlock(&R->mu);
    }
    hs_free_scratch(scr);
    pcre2_match_data_free(md);
    return NULL;
}

/* ---- the calling thread: merging ---- */

/* Count one value of a named group.  Returns false when out of memory (the value is not counted). */
static bool add_capture(cb_capture *c, const char *v, size_t n)
{
    for (size_t i = 0; i < c->nvalues; i++)
        if (strlen(c->values[i].value) == n && memcmp(c->values[i].value, v, n) == 0) {
            c->values[i].count++;
            return true;
        }
    if (c->nvalues >= MAX_CAPTURE_VALUES) {
        c->values_dropped = true;
        return true;
    }
    size_t cap = c->nvalues; /* grown in powers of two */
    if ((cap & (cap - 1)) == 0) {
        cb_capture_value *p = realloc(c->values, (cap ? cap * 2 : 4) * sizeof *p);
        if (!p)
            return false;
        c->values = p;
    }
    char *copy = strndup(v, n);
    if (!copy)
        return false;
    c->values[c->nvalues].value = copy;
    c->values[c->nvalues].count = 1;
    c->nvalues++;
    return true;
}

static void merge(run *R, job *j)
{
    const cb_scan_opts *o = R->o;
    cb_scan_result *r = R->r;
    if (j->oom) {
        R->oom = true;
        return;
    }
    cb_scan_file *f = &r->files[j->file->index];
    /* Chunks are merged in order, so here the chunk's first line number is known. */
    uint64_t base = j->file->next_line - 1;
    j->file->next_line += j->nlines;
    f->lines += j->nlines;
    r->lines += j->nlines;
    size_t i = 0;
    while (i < j->nm) {
        /* All matches of one line. */
        size_t e = i;
        while (e < j->nm && j->m[e].off == j->m[i].off)
            e++;
        const match *m0 = &j->m[i];
        f->matched_lines++;
        bool in_window = o->counts_only || !m0->has_time ||
                         ((!o->since_set || m0->time_ms >= o->since_ms) && (!o->until_set || m0->time_ms <= o->until_ms));
        if (o->counts_only) {
            for (size_t k = i; k < e; k++)
                r->pats[j->m[k].pat].count++;
            i = e;
            continue;
        }
        if (in_window) {
            for (size_t k = i; k < e; k++) {
                const match *m = &j->m[k];
                cb_pattern_result *pr = &r->pats[m->pat];
                pr->count++;
                if (m->has_time) {
                    if (!pr->has_time || m->time_ms < pr->first_ms)
                        pr->first_ms = m->time_ms;
                    if (!pr->has_time || m->time_ms > pr->last_ms)
                        pr->last_ms = m->time_ms;
                    pr->has_time = true;
                }
                if (pr->nevidence < o->max_evidence) {
                    cb_evidence *ev = &pr->evidence[pr->nevidence];
                    ev->text = strndup(j->buf + m->off, m->len);
                    if (ev->text) {
                        ev->file_index = j->file->index;
                        ev->line = base + m->line;
                        ev->time_ms = m->time_ms;
                        ev->has_time = m->has_time;
                        ev->truncated = j->truncated;
                        pr->nevidence++;
                    } else {
                        R->oom = true; /* a result without its evidence would look complete */
                    }
                }
                for (uint32_t c = 0; c < m->ncap && pr->ncaptures; c++) {
                    const capval *cv = &j->cv[m->cap0 + c];
                    if (!add_capture(&pr->captures[cv->name], j->buf + cv->off, cv->len))
                        R->oom = true;
                }
            }
            if (o->on_line) {
                for (size_t k = i; k < e; k++)
                    R->linepats[k - i] = j->m[k].pat;
                cb_scan_line L = {
                    .path = f->path,
                    .file_index = j->file->index,
                    .line = base + m0->line,
                    .text = j->buf + m0->off,
                    .len = m0->len,
                    .truncated = j->truncated,
                    .time_ms = m0->time_ms,
                    .has_time = m0->has_time,
                    .patterns = R->linepats,
                    .npatterns = e - i,
                };
                o->on_line(o->on_line_ctx, &L);
            }
        }
        i = e;
    }
}

/* Merge finished jobs in sequence order; with `block`, wait until the next one in order is merged. */
static void merge_ready(run *R, bool block)
{
    pthread_mutex_lock(&R->mu);
    for (;;) {
        job **pp = &R->done;
        while (*pp && (*pp)->seq != R->next_merge)
            pp = &(*pp)->next;
        if (!*pp) {
            if (!block || R->next_merge == R->next_seq)
                break;
            pthread_cond_wait(&R->done_cv, &R->mu);
            continue;
        }
        job *j = *pp;
        *pp = j->next;
        pthread_mutex_unlock(&R->mu);
        merge(R, j);
        pthread_mutex_lock(&R->mu);
        j->next = R->free;
        R->free = j;
        R->next_merge++;
        block = false; /* one merged: the caller may go on */
    }
    pthread_mutex_unlock(&R->mu);
}

static job *get_job(run *R)
{
    for (;;) {
        pthread_mutex_lock(&R->mu);
        job *j = R->free;
        if (j)
            R->free = j->next;
        pthread_mutex_unlock(&R->mu);
        if (j)
            return j;
        if (R->allocated < R->pool) {
            j = calloc(1, sizeof *j);
            if (!j)
                return NULL;
            R->all[R->allocated++] = j;
            return j;
        }
        merge_ready(R, true);
    }
}

static void submit(run *R, job *j)
{
    pthread_mutex_lock(&R->mu);
    j->seq = R->next_seq++;
    j->next = NULL;
    if (R->work_tail)
        R->work_tail->next = j;
    else
        R->work_head = j;
    R->work_tail = j;
    pthread_cond_signal(&R->work_cv);
    pthread_mutex_unlock(&R->mu);
}

/* ---- results ---- */

void cb_scan_opts_init(cb_scan_opts *o)
{
    memset(o, 0, sizeof *o);
    cb_bundle_opts_init(&o->bundle);
    o->max_evidence = 5;
    o->captures = true;
}

/* Most frequent first; a stable insertion sort keeps ties in first-seen order (at most 1000 values). */
static void sort_values(cb_capture_value *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cb_capture_value x = v[i];
        size_t k = i;
        while (k > 0 && v[k - 1].count < x.count) {
            v[k] = v[k - 1];
            k--;
        }
        v[k] = x;
    }
}

void cb_scan_result_free(cb_scan_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npats; i++) {
        cb_pattern_result *p = &r->pats[i];
        for (size_t k = 0; k < p->nevidence; k++)
            free(p->evidence[k].text);
        free(p->evidence);
        for (size_t k = 0; k < p->ncaptures; k++) {
            for (size_t v = 0; v < p->captures[k].nvalues; v++)
                free(p->captures[k].values[v].value);
            free(p->captures[k].values);
            free(p->captures[k].name);
        }
        free(p->captures);
    }
    free(r->pats);
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i].path);
    free(r->files);
    for (size_t i = 0; i < r->nwarnings; i++) {
        free((char *)r->warnings[i].path);
        free((char *)r->warnings[i].message);
    }
    free(r->warnings);
    free(r);
}

static cb_status new_result(const cb_scanner *s, const cb_scan_opts *o, cb_scan_result **out)
{
    cb_scan_result *r = calloc(1, sizeof *r);
    if (!r)
        return CB_ENOMEM;
    *out = r;
    r->pats = calloc(s->n ? s->n : 1, sizeof *r->pats);
    if (!r->pats)
        return CB_ENOMEM;
    r->npats = s->n;
    for (size_t i = 0; i < s->n; i++) {
        cb_pattern_result *p = &r->pats[i];
        if (o->max_evidence && !(p->evidence = calloc(o->max_evidence, sizeof *p->evidence)))
            return CB_ENOMEM;
        if (o->captures && s->p[i].nnames) {
            if (!(p->captures = calloc(s->p[i].nnames, sizeof *p->captures)))
                return CB_ENOMEM;
            p->ncaptures = s->p[i].nnames;
            for (size_t k = 0; k < s->p[i].nnames; k++)
                if (!(p->captures[k].name = strdup(s->p[i].names[k].name)))
                    return CB_ENOMEM;
        }
    }
    return CB_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A new file of the bundle: record it and work out which patterns its path selects. */
static filerec *add_file(run *R, const cb_file *f, uint8_t *setmatch, bool *any)
{
    const cb_scanner *s = R->s;
    cb_scan_result *r = R->r;
    size_t capfiles = r->nfiles; /* grown in powers of two */
    if (capfiles == 0 || (capfiles & (capfiles - 1)) == 0) {
        cb_scan_file *p = realloc(r->files, (capfiles ? capfiles * 2 : 64) * sizeof *p);
        if (!p)
            return NULL;
        r->files = p;
    }
    cb_scan_file *sf = &r->files[r->nfiles];
    memset(sf, 0, sizeof *sf);
    if (!(sf->path = strdup(f->path)))
        return NULL;
    r->nfiles++;
    if (!cb__grow((void **)&R->recs, &R->caprecs, R->nrecs + 1, sizeof *R->recs))
        return NULL;
    filerec *rec = calloc(1, sizeof *rec);
    if (!rec)
        return NULL;
    R->recs[R->nrecs++] = rec;
    rec->index = r->nfiles - 1;
    rec->next_line = 1;
    rec->applies = calloc(s->n ? s->n : 1, 1);
    if (!rec->applies)
        return NULL;
    for (size_t k = 0; k < s->nsets; k++) {
        setmatch[k] = 0;
        for (size_t g = 0; g < s->sets[k].nglobs && !setmatch[k]; g++)
            setmatch[k] = cb_glob_match(s->sets[k].globs[g], f->path);
    }
    *any = false;
    bool text = f->encoding != CB_ENC_BINARY;
    for (size_t i = 0; i < s->n; i++) {
        rec->applies[i] = text && (s->p[i].globset < 0 || setmatch[s->p[i].globset]);
        if (rec->applies[i]) {
            *any = true;
            r->pats[i].files_applicable++;
        }
    }
    return rec;
}

cb_status cb_scan_bundle(const cb_scanner *s, const char *path, const cb_scan_opts *opts, cb_scan_result **out,
                         cb_error *err)
{
    cb_scan_opts defaults;
    if (!opts) {
        cb_scan_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    double t0 = now_s();
    run R;
    memset(&R, 0, sizeof R);
    R.s = s;
    R.o = opts;
    cb_bundle *b = NULL;
    cb_status st = CB_OK;
    pthread_t th[MAX_THREADS];
    unsigned nth = 0;
    uint8_t *setmatch = NULL;

    unsigned threads = opts->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    R.pool = threads * 4 + 2;
    R.all = calloc(R.pool, sizeof *R.all);
    R.linepats = calloc(s->n ? s->n : 1, sizeof *R.linepats);
    setmatch = calloc(s->nsets ? s->nsets : 1, 1);
    if (!R.all || !R.linepats || !setmatch || new_result(s, opts, &R.r)) {
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
        goto out;
    }
    cb_bundle_opts bopts = opts->bundle;
    bopts.raw_chunks = true; /* workers finish chunks: see scan_job */
    if ((st = cb_bundle_open(path, &bopts, &b, err)))
        goto out;
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.work_cv, NULL);
    pthread_cond_init(&R.done_cv, NULL);
    for (; nth < threads; nth++)
        if (pthread_create(&th[nth], NULL, worker, &R) != 0)
            break;
    if (nth == 0) {
        st = cb_error_set(err, CB_ENOMEM, "cannot start a scanning thread");
        goto stop;
    }

    const cb_file *f;
    int rc;
    cb_error rerr;
    while ((rc = cb_bundle_next(b, &f, &rerr)) > 0) {
        bool any;
        filerec *rec = add_file(&R, f, setmatch, &any);
        if (!rec) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto stop;
        }
        if (!any)
            continue; /* no pattern looks at this file: not even read */
        R.r->files[rec->index].scanned = true;
        R.r->files_scanned++;
        cb_chunk c;
        while ((rc = cb_bundle_read(b, &c, &rerr)) > 0) {
            job *j = get_job(&R);
            if (j && j->cap < cb_bundle_buffer_size(b)) {
                free(j->buf);
                j->cap = cb_bundle_buffer_size(b);
                if (!(j->buf = malloc(j->cap)))
                    j->cap = 0;
            }
            if (!j || !j->buf) {
                st = cb_error_set(err, CB_ENOMEM, "out of memory");
                goto stop;
            }
            /* The job takes the bundle's buffer holding the chunk, and gives the bundle its own. */
            if (!cb_bundle_take_chunk(b, &j->buf, &j->cap))
                memcpy(j->buf, c.data, c.len);
            /* Vectorised matchers (PCRE2's JIT) may read past the last line: make it defined. */
            memset(j->buf + c.len, 0, CB_CHUNK_PAD);
            j->len = c.len;
            j->file = rec;
            j->raw = c.raw;
            j->eol = c.eol;
            j->nlines = c.nlines;
            j->truncated = c.truncated;
            j->tctx = c.tctx;
            j->time_before = c.time_before_ms;
            j->has_time_before = c.has_time_before;
            submit(&R, j);
            merge_ready(&R, false);
            if (opts->on_progress) {
                cb_bundle_stats bs;
                cb_bundle_get_stats(b, &bs);
                opts->on_progress(opts->on_progress_ctx, bs.files, bs.bytes + f->bytes);
            }
        }
        if (rc < 0)
            break;
        cb_scan_file *sf = &R.r->files[rec->index];
        sf->bytes = f->bytes; /* lines are added up as chunks are merged */
        R.r->bytes += f->bytes;
        if (f->has_time) {
            if (!R.r->has_time || f->first_ms < R.r->first_ms)
                R.r->first_ms = f->first_ms;
            if (!R.r->has_time || f->last_ms > R.r->last_ms)
                R.r->last_ms = f->last_ms;
            R.r->has_time = true;
        }
    }
    if (rc < 0)
        st = cb_error_set(err, (cb_status)rc, "%s", rerr.msg);

stop:
    pthread_mutex_lock(&R.mu);
    R.stop = true;
    pthread_cond_broadcast(&R.work_cv);
    pthread_mutex_unlock(&R.mu);
    merge_ready(&R, true);
    while (R.next_merge < R.next_seq)
        merge_ready(&R, true);
    for (unsigned i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&R.mu);
    pthread_cond_destroy(&R.work_cv);
    pthread_cond_destroy(&R.done_cv);
    if (!st && R.oom)
        st = cb_error_set(err, CB_ENOMEM, "out of memory while scanning");
    if (!st) {
        size_t nw = cb_bundle_warning_count(b);
        R.r->warnings = calloc(nw ? nw : 1, sizeof *R.r->warnings);
        if (!R.r->warnings) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < nw; i++) {
                const cb_warning *w = cb_bundle_warning_at(b, i);
                R.r->warnings[i].path = strdup(w->path);
                R.r->warnings[i].message = strdup(w->message);
                R.r->warnings[i].notice = w->notice;
                R.r->nwarnings++;
                if (!R.r->warnings[i].path || !R.r->warnings[i].message) {
                    st = cb_error_set(err, CB_ENOMEM, "out of memory");
                    break;
                }
            }
        }
        for (size_t i = 0; i < R.r->npats; i++)
            for (size_t k = 0; k < R.r->pats[i].ncaptures; k++) {
                cb_capture *c = &R.r->pats[i].captures[k];
                sort_values(c->values, c->nvalues);
            }
        R.r->seconds = now_s() - t0;
    }
out:
    cb_bundle_close(b);
    for (size_t i = 0; i < R.allocated; i++) {
        free(R.all[i]->buf);
        free(R.all[i]->c);
        free(R.all[i]->m);
        free(R.all[i]->cv);
        free(R.all[i]);
    }
    free(R.all);
    for (size_t i = 0; i < R.nrecs; i++) {
        free(R.recs[i]->applies);
        free(R.recs[i]);
    }
    free(R.recs);
    free(R.linepats);
    free(setmatch);
    if (st) {
        cb_scan_result_free(R.r);
        return st;
    }
    *out = R.r;
    return CB_OK;
}
