/*
 * run.c — scanning a bundle with a compiled scanner (design notes in
 * compile.c).  The calling thread reads and merges; workers scan.
 *
 * Limits.  Confirming a candidate line runs a backtracking matcher, PCRE2,
 * over a line that may be max_line bytes long and over patterns a hostile
 * playbook may have written.  Each worker gives PCRE2 a JIT stack sized for
 * the longest line (JIT_STACK_PER_BYTE x max_line: a group repeated over the
 * whole line needs about 50 bytes of it per byte), and a match context with
 * explicit match, depth and heap limits; when the JIT stack still runs out
 * the line is matched again by the interpreter, whose heap is bounded the
 * same way.  A line that fails even so is a match error: counted per
 * pattern, the first few reported as warnings, never taken for "no match".
 * A pattern with max_match_errors of them, or that spends more matching
 * time than its budget (pattern_seconds plus BUDGET_NS_PER_BYTE per byte
 * scanned so far), is disabled for the rest of the bundle, so a
 * catastrophic pattern costs bounded time.  The decision is taken when
 * merging, in bundle order; workers only stop early on what they can see.
 * A Hyperscan failure while scanning (which would lose every candidate of a
 * chunk) fails the scan.
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
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
    const int64_t *boot_ms; /* plain dmesg output whose boot time is known: lines are boot + uptime */
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

typedef struct merr {
    uint32_t pat;
    int rc;        /* PCRE2's error code */
    uint64_t line; /* 1-based within the chunk */
} merr;

/* What one job did with one pattern (see "Limits" above). */
typedef struct pstat {
    uint64_t ns;     /* time spent matching */
    uint32_t errors; /* match errors */
    bool over;       /* the pattern ran out of budget in this job: it was not run further */
} pstat;

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
    merr *e;
    size_t ne, cape;
    pstat *ps;          /* per pattern, allocated on first use; entries in touched are non-zero */
    uint32_t *touched;
    size_t ntouched;
    bool oom;
    int hs_rc;          /* a Hyperscan error while scanning the chunk */
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
    /* Limits (see the top of the file). */
    size_t jit_stack, heap_kib;
    uint32_t depth_limit, max_errors;
    uint64_t budget_ns;  /* the fixed part of every pattern's time budget */
    uint8_t *off;        /* per pattern: disabled (written by the merging thread, read by workers) */
    uint64_t *pat_ns;    /* per pattern: matching time merged so far (idem) */
    uint64_t bytes_merged; /* idem */
    size_t *err_file;    /* per pattern: the file of its last match error */
    int hs_rc;           /* the first Hyperscan error, in the file hs_file */
    size_t hs_file;
    cb_warning *w;       /* the scanner's own warnings */
    size_t nw, capw;
} run;

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

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
    if (tc->fmt.kind == CB_TIME_NONE) {
        int64_t up;
        size_t moff;
        if (j->file->boot_ms && cb_time_parse_uptime(j->buf + off, len, &up, &moff)) {
            *cur = *j->file->boot_ms + up / 1000;
            *has = true;
        }
        return;
    }
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

/* Per worker: Hyperscan scratch and PCRE2's match state, JIT stack and limits. */
typedef struct wctx {
    hs_scratch_t *scr;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    int setup_rc; /* a Hyperscan error preparing the scratch */
    bool setup_oom;
} wctx;

/*
 * The clock for time budgets, read around every confirmation: the coarse
 * clock costs nothing where the precise one can cost 50 ns (a virtual
 * machine's clock source), as much as confirming a short line.  Its ticks
 * (a few ms) land on the calls in proportion to their length, so the sum
 * over many calls is right, and a single slow call is timed to a tick.
 */
static uint64_t now_ns(void)
{
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* This job's counters for pattern p, or NULL when out of memory. */
static pstat *job_stat(job *j, size_t npats, uint32_t p)
{
    if (!j->ps) {
        j->ps = calloc(npats, sizeof *j->ps);
        j->touched = calloc(npats, sizeof *j->touched);
        if (!j->ps || !j->touched) {
            free(j->ps);
            free(j->touched);
            j->ps = NULL;
            j->touched = NULL;
            return NULL;
        }
    }
    pstat *st = &j->ps[p];
    if (!st->ns && !st->errors && !st->over)
        j->touched[j->ntouched++] = p;
    return st;
}

/* Run a pattern over one line; past the JIT stack, again with the interpreter (its heap is bounded too). */
static int confirm(const pat *p, wctx *w, const char *text, uint32_t len)
{
    int rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, 0, 0, w->md, w->mc);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_JIT, w->md, w->mc);
    return rc;
}

/* Run a Hyperscan database over the chunk; false (the job marked failed) on an error. */
static bool hs_run(const hs_database_t *db, job *j, hs_scratch_t *scr, match_event_handler cb, hitctx *h)
{
    if (j->len > UINT_MAX) {
        j->hs_rc = HS_INVALID;
        return false;
    }
    hs_error_t rc = hs_scan(db, j->buf, (unsigned)j->len, 0, scr, cb, h);
    if (rc == HS_SUCCESS)
        return true;
    if (rc != HS_SCAN_TERMINATED || !j->oom) /* terminated is how the callbacks stop when out of memory */
        j->hs_rc = rc;
    return false;
}

static void scan_job(run *R, job *j, wctx *w, bool counts_only, bool captures)
{
    const cb_scanner *s = R->s;
    j->nc = j->nm = j->ncv = j->ne = 0;
    j->oom = false;
    j->hs_rc = 0;
    for (size_t k = 0; k < j->ntouched; k++)
        memset(&j->ps[j->touched[k]], 0, sizeof *j->ps);
    j->ntouched = 0;
    if (j->raw) {
        /* CR LF clean-up and line counting, taken off the reading thread. */
        j->nlines = cb_chunk_finish(j->buf, &j->len, j->eol);
        j->raw = false;
        memset(j->buf + j->len, 0, CB_CHUNK_PAD);
    }
    hitctx h = {s, j};
    if (s->lit_db && !hs_run(s->lit_db, j, w->scr, on_literal_hit, &h))
        return;
    if (s->re_db && !hs_run(s->re_db, j, w->scr, on_regex_hit, &h))
        return;
    if (j->nc > 1)
        sort_candidates(j->c, j->nc);

    uint64_t line = 1;
    size_t counted = 0, known_upto = 0;
    int64_t cur = j->time_before;
    bool has = j->has_time_before;
    cb_timectx tc = j->tctx;
    uint32_t timed_off = UINT32_MAX, line_off = UINT32_MAX, line_len = 0;
    uint64_t allowed = R->budget_ns + BUDGET_NS_PER_BYTE * (LOAD(R->bytes_merged) + j->len);
    for (size_t i = 0; i < j->nc; i++) {
        if (i && j->c[i].off == j->c[i - 1].off && j->c[i].pat == j->c[i - 1].pat)
            continue;
        uint32_t pi = j->c[i].pat;
        const pat *p = &s->p[pi];
        uint32_t off = j->c[i].off;
        if (off != line_off) { /* candidates of one line are adjacent: find its end once */
            const char *eol = memchr(j->buf + off, '\n', j->len - off);
            line_off = off;
            line_len = (uint32_t)((eol ? eol : j->buf + j->len) - (j->buf + off));
        }
        uint32_t len = line_len;
        int rc = 1;
        if (!p->plain) {
            if (LOAD(R->off[pi]))
                continue;
            pstat *st = job_stat(j, s->n, pi);
            if (!st) {
                j->oom = true;
                return;
            }
            if (st->over)
                continue;
            uint64_t t0 = now_ns();
            rc = confirm(p, w, j->buf + off, len);
            st->ns += now_ns() - t0 + 1; /* never 0 once touched */
            if (st->ns + LOAD(R->pat_ns[pi]) > allowed)
                st->over = true;
            if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
                /* A limit was reached: the line is neither a hit nor a miss.  Record it with its line number. */
                line += cb__count_lf(j->buf + counted, off - counted);
                counted = off;
                if (!cb__grow((void **)&j->e, &j->cape, j->ne + 1, sizeof *j->e)) {
                    j->oom = true;
                    return;
                }
                j->e[j->ne++] = (merr){.pat = pi, .rc = rc, .line = line};
                if (++st->errors >= R->max_errors)
                    st->over = true;
            }
        }
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
        m->pat = pi;
        m->off = off;
        m->len = len;
        m->line = line;
        m->time_ms = cur;
        m->has_time = has;
        m->cap0 = (uint32_t)j->ncv;
        m->ncap = 0;
        if (p->nnames && rc > 0 && captures && !counts_only) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
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

static void wctx_init(wctx *w, const run *R)
{
    memset(w, 0, sizeof *w);
    w->md = pcre2_match_data_create(R->s->max_ovector ? R->s->max_ovector : 1, NULL);
    w->mc = pcre2_match_context_create(NULL);
    if (!w->md || !w->mc) {
        w->setup_oom = true;
        return;
    }
    /* Without a JIT stack of that size (address space is short) the interpreter takes over the long lines. */
    w->js = pcre2_jit_stack_create(32 * 1024, R->jit_stack, NULL);
    if (w->js)
        pcre2_jit_stack_assign(w->mc, NULL, w->js);
    pcre2_set_match_limit(w->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(w->mc, R->depth_limit);
    pcre2_set_heap_limit(w->mc, (uint32_t)R->heap_kib);
    if (R->s->proto) {
        hs_error_t rc = hs_clone_scratch(R->s->proto, &w->scr);
        if (rc == HS_NOMEM)
            w->setup_oom = true;
        else if (rc != HS_SUCCESS)
            w->setup_rc = rc;
    }
}

static void wctx_release(wctx *w)
{
    hs_free_scratch(w->scr);
    pcre2_match_data_free(w->md);
    pcre2_match_context_free(w->mc);
    pcre2_jit_stack_free(w->js);
}

static void *worker(void *arg)
{
    run *R = arg;
    wctx w;
    wctx_init(&w, R);
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

        if (w.setup_oom)
            j->oom = true;
        else if (w.setup_rc)
            j->hs_rc = w.setup_rc;
        else
            scan_job(R, j, &w, R->o->counts_only, R->o->captures);

        pthread_mutex_lock(&R->mu);
        j->next = R->done;
        R->done = j;
        pthread_cond_broadcast(&R->done_cv);
        pthread_mutex_unlock(&R->mu);
    }
    wctx_release(&w);
    return NULL;
}

/* ---- the calling thread: merging ---- */

/* Count one value of a named group; false when out of memory. */
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

/* Add a warning of the scanner's own; false when out of memory. */
static bool add_warning(run *R, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool add_warning(run *R, const char *path, const char *fmt, ...)
{
    char msg[CB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!cb__grow((void **)&R->w, &R->capw, R->nw + 1, sizeof *R->w))
        goto nomem;
    cb_warning *w = &R->w[R->nw];
    w->notice = false;
    w->path = strdup(path);
    w->message = strdup(msg);
    if (!w->path || !w->message) {
        free((char *)w->path);
        free((char *)w->message);
        goto nomem;
    }
    R->nw++;
    return true;
nomem:
    R->oom = true;
    return false;
}

/* Stop running pattern p for the rest of the bundle. */
static void disable(run *R, uint32_t p, size_t file, const char *why)
{
    cb_pattern_result *pr = &R->r->pats[p];
    if (pr->budget_exceeded)
        return;
    pr->budget_exceeded = true;
    STORE(R->off[p], 1);
    add_warning(R, R->r->files[file].path,
                "pattern '%s' disabled for the rest of the bundle: %s; its count and evidence are partial",
                R->s->p[p].id, why);
}

/* A job's match errors and time per pattern: warnings, and patterns over budget disabled. */
static void merge_limits(run *R, job *j, uint64_t base)
{
    cb_scan_result *r = R->r;
    const char *path = r->files[j->file->index].path;
    for (size_t k = 0; k < j->ne; k++) {
        const merr *e = &j->e[k];
        cb_pattern_result *pr = &r->pats[e->pat];
        if (pr->budget_exceeded)
            continue; /* a worker ran it before it was disabled: as if it had not */
        pr->match_errors++;
        R->err_file[e->pat] = j->file->index;
        if (pr->match_errors <= ERROR_WARNINGS) {
            PCRE2_UCHAR why[120];
            if (pcre2_get_error_message(e->rc, why, sizeof why) < 0)
                snprintf((char *)why, sizeof why, "error %d", e->rc);
            add_warning(R, path, "line %llu: pattern '%s' could not be matched (%s): the line is not counted for it",
                        (unsigned long long)(base + e->line), R->s->p[e->pat].id, (char *)why);
        }
        if (pr->match_errors >= R->max_errors) {
            char why[96];
            snprintf(why, sizeof why, "%llu lines could not be matched", (unsigned long long)pr->match_errors);
            disable(R, e->pat, j->file->index, why);
        }
    }
    for (size_t k = 0; k < j->ntouched; k++) {
        uint32_t p = j->touched[k];
        const pstat *st = &j->ps[p];
        STORE(R->pat_ns[p], R->pat_ns[p] + st->ns);
        if (st->over && !r->pats[p].budget_exceeded) {
            char why[96];
            snprintf(why, sizeof why, "it took %.1f s to match, more than its budget",
                     (double)R->pat_ns[p] / 1e9);
            disable(R, p, j->file->index, why);
        }
    }
    STORE(R->bytes_merged, R->bytes_merged + j->len);
}

static void merge(run *R, job *j)
{
    const cb_scan_opts *o = R->o;
    cb_scan_result *r = R->r;
    if (j->oom) {
        R->oom = true;
        return;
    }
    if (j->hs_rc) {
        if (!R->hs_rc) {
            R->hs_rc = j->hs_rc;
            R->hs_file = j->file->index;
        }
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
        /* All matches of one line, less those of patterns disabled before this chunk was merged. */
        size_t e = i, live = 0;
        while (e < j->nm && j->m[e].off == j->m[i].off) {
            if (!R->off[j->m[e].pat])
                R->linepats[live++] = j->m[e].pat;
            e++;
        }
        const match *m0 = &j->m[i];
        if (!live) {
            i = e;
            continue;
        }
        bool in_window = o->counts_only || !m0->has_time ||
                         ((!o->since_set || m0->time_ms >= o->since_ms) && (!o->until_set || m0->time_ms <= o->until_ms));
        if (in_window)
            f->matched_lines++;
        if (o->counts_only) {
            for (size_t k = 0; k < live; k++)
                r->pats[R->linepats[k]].count++;
            i = e;
            continue;
        }
        if (in_window) {
            for (size_t k = i; k < e; k++) {
                const match *m = &j->m[k];
                if (R->off[m->pat])
                    continue;
                cb_pattern_result *pr = &r->pats[m->pat];
                pr->count++;
                if (!m->has_time)
                    pr->untimed++;
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
                    if (!ev->text) {
                        R->oom = true;
                        return;
                    }
                    ev->file_index = j->file->index;
                    ev->line = base + m->line;
                    ev->time_ms = m->time_ms;
                    ev->has_time = m->has_time;
                    ev->truncated = j->truncated;
                    pr->nevidence++;
                }
                for (uint32_t c = 0; c < m->ncap && pr->ncaptures; c++) {
                    const capval *cv = &j->cv[m->cap0 + c];
                    if (!add_capture(&pr->captures[cv->name], j->buf + cv->off, cv->len)) {
                        R->oom = true;
                        return;
                    }
                }
            }
            if (o->on_line) {
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
                    .npatterns = live,
                };
                o->on_line(o->on_line_ctx, &L);
            }
        }
        i = e;
    }
    merge_limits(R, j, base);
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
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].path);
        free(r->files[i].problem);
    }
    free(r->files);
    for (size_t i = 0; i < r->nwarnings; i++) {
        free((char *)r->warnings[i].path);
        free((char *)r->warnings[i].message);
    }
    free(r->warnings);
    for (size_t i = 0; i < r->nboots; i++) {
        free(r->boots[i].path);
        free(r->boots[i].source);
    }
    free(r->boots);
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
        p->disabled = s->p[i].failure != NULL;
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

/* Record how much of a file could be read, and why not all of it.  Returns false when out of memory. */
static bool set_status(cb_scan_file *sf, const cb_file *f)
{
    sf->status = cb_file_status_of(f);
    return !f->problem || (sf->problem = strdup(f->problem));
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
    for (size_t i = 0; i < R->o->nboots; i++)
        if (strcmp(R->o->boots[i].path, f->path) == 0)
            rec->boot_ms = &R->o->boots[i].boot_ms;
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
        rec->applies[i] = text && !s->p[i].failure && (R->o->all_files || s->p[i].globset < 0 || setmatch[s->p[i].globset]);
        if (rec->applies[i]) {
            *any = true;
            r->pats[i].files_applicable++;
        }
    }
    return rec;
}

/* The limits of the scan (see the top of the file), from the options and the bundle's longest line. */
static void set_limits(run *R, const cb_scan_opts *o)
{
    size_t max_line = o->bundle.limits.max_line ? o->bundle.limits.max_line : 1u << 20;
    size_t stack = max_line > MAX_JIT_STACK / JIT_STACK_PER_BYTE ? MAX_JIT_STACK : max_line * JIT_STACK_PER_BYTE;
    R->jit_stack = stack < (1u << 20) ? 1u << 20 : stack;
    R->heap_kib = (R->jit_stack < MIN_HEAP ? MIN_HEAP : R->jit_stack) / 1024;
    R->depth_limit = max_line > UINT32_MAX / DEPTH_PER_BYTE ? UINT32_MAX
                     : max_line * DEPTH_PER_BYTE < 100000   ? 100000
                                                            : (uint32_t)(max_line * DEPTH_PER_BYTE);
    R->max_errors = o->max_match_errors ? o->max_match_errors : DEFAULT_MAX_MATCH_ERRORS;
    double sec = o->pattern_seconds > 0 ? o->pattern_seconds : 1.0;
    R->budget_ns = sec >= 1e9 ? UINT64_MAX / 2 : (uint64_t)(sec * 1e9);
}

static const char *hs_error_name(int rc)
{
    switch (rc) {
    case HS_INVALID:
        return "invalid parameter";
    case HS_NOMEM:
        return "out of memory";
    case HS_SCAN_TERMINATED:
        return "scan terminated";
    case HS_DB_VERSION_ERROR:
    case HS_DB_PLATFORM_ERROR:
    case HS_DB_MODE_ERROR:
        return "database not usable here";
    case HS_BAD_ALIGN:
    case HS_BAD_ALLOC:
        return "bad memory alignment";
    case HS_SCRATCH_IN_USE:
        return "scratch space in use";
    case HS_ARCH_ERROR:
        return "CPU not supported";
    case HS_INSUFFICIENT_SPACE:
        return "insufficient space";
    default:
        return "unknown error";
    }
}

/* For each pattern with more match errors than were listed, one warning with the total. */
static void summarize_errors(run *R)
{
    for (size_t i = 0; i < R->r->npats; i++) {
        const cb_pattern_result *pr = &R->r->pats[i];
        if (pr->match_errors > ERROR_WARNINGS)
            add_warning(R, R->r->files[R->err_file[i]].path,
                        "pattern '%s' could not be matched on %llu lines in all (the first %d are listed)",
                        R->s->p[i].id, (unsigned long long)pr->match_errors, ERROR_WARNINGS);
    }
}

/* The result's warnings: the bundle reader's, then the scanner's (moved). False when out of memory. */
static bool collect_warnings(run *R, const cb_bundle *b)
{
    cb_scan_result *r = R->r;
    size_t nb = cb_bundle_warning_count(b);
    r->warnings = calloc(nb + R->nw ? nb + R->nw : 1, sizeof *r->warnings);
    if (!r->warnings)
        return false;
    for (size_t i = 0; i < nb; i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        cb_warning *d = &r->warnings[r->nwarnings];
        d->path = strdup(w->path);
        d->message = strdup(w->message);
        d->notice = w->notice;
        if (!d->path || !d->message) {
            free((char *)d->path);
            free((char *)d->message);
            return false;
        }
        r->nwarnings++;
    }
    if (R->nw)
        memcpy(r->warnings + r->nwarnings, R->w, R->nw * sizeof *R->w);
    r->nwarnings += R->nw;
    R->nw = 0;
    return true;
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
    set_limits(&R, opts);
    R.all = calloc(R.pool, sizeof *R.all);
    R.linepats = calloc(s->n ? s->n : 1, sizeof *R.linepats);
    R.off = calloc(s->n ? s->n : 1, sizeof *R.off);
    R.pat_ns = calloc(s->n ? s->n : 1, sizeof *R.pat_ns);
    R.err_file = calloc(s->n ? s->n : 1, sizeof *R.err_file);
    setmatch = calloc(s->nsets ? s->nsets : 1, 1);
    if (!R.all || !R.linepats || !R.off || !R.pat_ns || !R.err_file || !setmatch || new_result(s, opts, &R.r)) {
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
        if (!set_status(&R.r->files[rec->index], f)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto stop;
        }
        if (!any) {
            cb_file_status fs = R.r->files[rec->index].status;
            R.r->files_unmatched += fs == CB_FILE_OK || fs == CB_FILE_PARTIAL;
            continue; /* no pattern looks at this file: not even read */
        }
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
        free(sf->problem);
        sf->problem = NULL;
        if (!set_status(sf, f)) { /* final now that it was read to its end */
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto stop;
        }
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
    if (!st && R.hs_rc)
        st = cb_error_set(err, R.hs_rc == HS_NOMEM ? CB_ENOMEM : CB_EINVAL, "cannot scan '%s': Hyperscan error %d (%s)",
                          R.r->files[R.hs_file].path, R.hs_rc, hs_error_name(R.hs_rc));
    if (!st)
        summarize_errors(&R);
    if (!st && R.oom)
        st = cb_error_set(err, CB_ENOMEM, "out of memory while scanning");
    if (!st && !collect_warnings(&R, b))
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
    if (!st) {
        for (size_t i = 0; i < R.r->npats; i++)
            for (size_t k = 0; k < R.r->pats[i].ncaptures; k++) {
                cb_capture *c = &R.r->pats[i].captures[k];
                sort_values(c->values, c->nvalues);
            }
        R.r->seconds = now_s() - t0;
        R.r->windowed = !opts->counts_only && (opts->since_set || opts->until_set);
        if (R.r->windowed) {
            R.r->since_set = opts->since_set;
            R.r->until_set = opts->until_set;
            R.r->since_ms = opts->since_ms;
            R.r->until_ms = opts->until_ms;
        }
        if (opts->nboots && !(R.r->boots = calloc(opts->nboots, sizeof *R.r->boots)))
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
        for (size_t i = 0; R.r->boots && i < opts->nboots; i++) {
            cb_boot_time *b2 = &R.r->boots[R.r->nboots++];
            b2->boot_ms = opts->boots[i].boot_ms;
            b2->path = strdup(opts->boots[i].path);
            b2->source = strdup(opts->boots[i].source);
            if (!b2->path || !b2->source)
                st = cb_error_set(err, CB_ENOMEM, "out of memory");
        }
    }
out:
    cb_bundle_close(b);
    for (size_t i = 0; i < R.allocated; i++) {
        free(R.all[i]->buf);
        free(R.all[i]->c);
        free(R.all[i]->m);
        free(R.all[i]->cv);
        free(R.all[i]->e);
        free(R.all[i]->ps);
        free(R.all[i]->touched);
        free(R.all[i]);
    }
    free(R.all);
    for (size_t i = 0; i < R.nrecs; i++) {
        free(R.recs[i]->applies);
        free(R.recs[i]);
    }
    free(R.recs);
    free(R.linepats);
    free(R.off);
    free(R.pat_ns);
    free(R.err_file);
    for (size_t i = 0; i < R.nw; i++) {
        free((char *)R.w[i].path);
        free((char *)R.w[i].message);
    }
    free(R.w);
    free(setmatch);
    if (st) {
        cb_scan_result_free(R.r);
        return st;
    }
    *out = R.r;
    return CB_OK;
}
