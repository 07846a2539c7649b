/*
 * window.c — resolving a time window against a bundle before it is scanned.
 *
 * Two things need the bundle before the scan can decide whether a line is in
 * a window: the last timestamp (a relative "--since 2h" counts back from the
 * end of the logs, not from now) and the boot time of the kernel whose plain
 * dmesg output is in the bundle (its "[12345.678901]" stamps count from
 * boot).  Both are found in one pre-pass, before the scan, so that the scan
 * itself stays one pass that decides each line as it merges it.  The
 * pre-pass reads only what it needs: every file for a relative value, else
 * only the kernel logs, which are small next to application logs.
 *
 * The boot time of a plain dmesg file is found by matching its lines against
 * copies of the same kernel lines that carry a wall-clock time: a syslog or
 * kern.log line "Mar 12 10:00:00 host kernel: [12345.678901] msg" (boot =
 * wall - uptime, matched on uptime and message), or `dmesg -T` output
 * "[Tue Mar 12 10:00:00 2024] msg" (matched on the message).  Every match
 * is an estimate; the largest group of estimates that agree decides (see
 * file_boot).  Only hashes and times are kept, and at most MAX_KEYS of each
 * kind.
 */
#include <stdlib.h>

#include "core/internal.h"
#include "scan/scan_int.h"

enum { MAX_KEYS = 1 << 20 };

typedef struct tkey {
    uint64_t key;
    int64_t ms; /* syslog: the boot time; dmesg -T: the wall time; plain dmesg: the uptime in µs */
    size_t file; /* plain dmesg: index into survey.files */
} tkey;

typedef struct survey {
    tkey *sys, *wall, *up;
    size_t nsys, capsys, nwall, capwall, nup, capup;
    char **files;  /* paths of the plain dmesg files, then of the sources */
    size_t nfiles, capfiles;
    bool oom;
} survey;

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    return h;
}

static uint64_t with_uptime(uint64_t h, int64_t uptime_us)
{
    return h ^ ((uint64_t)uptime_us * UINT64_C(0x9E3779B97F4A7C15));
}

static void add_key(survey *sv, tkey **a, size_t *n, size_t *cap, uint64_t key, int64_t ms, size_t file)
{
    if (*n >= MAX_KEYS)
        return;
    if (!cb__grow((void **)a, cap, *n + 1, sizeof **a)) {
        sv->oom = true;
        return;
    }
    (*a)[(*n)++] = (tkey){key, ms, file};
}

static size_t add_path(survey *sv, const char *path)
{
    if (!cb__grow((void **)&sv->files, &sv->capfiles, sv->nfiles + 1, sizeof *sv->files) ||
        !(sv->files[sv->nfiles] = strdup(path))) {
        sv->oom = true;
        return SIZE_MAX;
    }
    return sv->nfiles++;
}

/* dmesg, kern.log, syslog, messages (and their rotations), by the last path component, any case. */
static bool kernel_log(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *const names[] = {"dmesg", "kern", "syslog", "messages"};
    for (size_t i = 0; i < CB_ARRAY_LEN(names); i++)
        if (strncasecmp(base, names[i], strlen(names[i])) == 0)
            return true;
    return false;
}

/* The message of a line after its "] ", trimmed at the end. */
static uint64_t msg_hash(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    return fnv(s, n);
}

/*
 * One line of a kernel log.  `file` is the plain dmesg file's index when the
 * file is one (decided on its first line), SIZE_MAX otherwise; src is the
 * file's index as a source.
 */
static void survey_line(survey *sv, cb_timectx *tc, const char *l, size_t n, size_t file, size_t src)
{
    int64_t up, wall;
    size_t off;
    if (n == 0 || (file == SIZE_MAX && src == SIZE_MAX))
        return;
    if (file != SIZE_MAX) {
        if (cb_time_parse_uptime(l, n, &up, &off))
            add_key(sv, &sv->up, &sv->nup, &sv->capup, msg_hash(l + off, n - off), up, file);
        return;
    }
    if (tc->fmt.kind == CB_TIME_NONE)
        return;
    /* Most syslog lines are not the kernel's: look for the tag before parsing the time. */
    static const char tag[] = "kernel: [";
    const char *k = n > sizeof tag ? memmem(l, n, tag, sizeof tag - 1) : NULL;
    bool dmesg_t = tc->fmt.kind == CB_TIME_APACHE && l[0] == '['; /* n > 0 */
    if ((!k && !dmesg_t) || !cb_time_parse(tc, l, n, &wall))
        return;
    if (k) {
        size_t at = (size_t)(k - l) + sizeof tag - 2; /* at the '[' */
        if (cb_time_parse_uptime(l + at, n - at, &up, &off)) {
            uint64_t h = with_uptime(msg_hash(l + at + off, n - at - off), up);
            add_key(sv, &sv->sys, &sv->nsys, &sv->capsys, h, wall - up / 1000, src);
        }
        return;
    }
    if (dmesg_t) {
        const char *e = memchr(l, ']', n);
        if (e) {
            off = (size_t)(e - l) + 1;
            if (off < n && l[off] == ' ')
                off++;
            add_key(sv, &sv->wall, &sv->nwall, &sv->capwall, msg_hash(l + off, n - off), wall, src);
        }
    }
}

static int cmp_key(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The first of the entries with this key in a sorted array, and how many there are. */
static const tkey *key_range(const tkey *a, size_t n, uint64_t key, size_t *count)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t e = lo;
    while (e < n && a[e].key == key)
        e++;
    *count = e - lo;
    return a + lo;
}

/* One boot-time estimate: what a timed copy of a dmesg line says, and which file said it. */
typedef struct estimate {
    int64_t boot_ms;
    size_t source;
} estimate;

static int cmp_estimate(const void *a, const void *b)
{
    const estimate *x = a, *y = b;
    return x->boot_ms < y->boot_ms ? -1 : x->boot_ms > y->boot_ms;
}

enum {
    PER_KEY = 64,          /* copies of one message looked at: a message repeated more is no evidence */
    MAX_ESTIMATES = 1 << 16,
    AGREE_MS = 2000,       /* estimates of one boot differ by the copies' one-second resolution */
};

/*
 * The boot time of one plain dmesg file (its lines up[0..n)): every timed
 * copy of one of its lines gives an estimate; the estimates of the true boot
 * agree within AGREE_MS, while a kern.log that spans several boots repeats
 * the early boot messages ("[    0.000000] Linux version ...") with the
 * same uptime, so one match alone could name the wrong boot.  The boot is
 * the median of the largest group of agreeing estimates (ties: the latest
 * boot, the one a plain dmesg file most likely comes from).
 */
static bool file_boot(const survey *sv, const tkey *up, size_t n, estimate *est, int64_t *boot, size_t *source)
{
    size_t ne = 0;
    for (size_t i = 0; i < n && ne < MAX_ESTIMATES; i++) {
        size_t c;
        const tkey *h = key_range(sv->sys, sv->nsys, with_uptime(up[i].key, up[i].ms), &c);
        for (size_t k = 0; k < c && k < PER_KEY && ne < MAX_ESTIMATES; k++)
            est[ne++] = (estimate){h[k].ms, h[k].file};
        h = key_range(sv->wall, sv->nwall, up[i].key, &c);
        for (size_t k = 0; k < c && k < PER_KEY && ne < MAX_ESTIMATES; k++)
            est[ne++] = (estimate){h[k].ms - up[i].ms / 1000, h[k].file};
    }
    if (ne == 0)
        return false;
    qsort(est, ne, sizeof *est, cmp_estimate);
    size_t best = 0, bestn = 0;
    for (size_t a = 0, b = 0; b < ne; b++) {
        while (est[b].boot_ms - est[a].boot_ms > AGREE_MS)
            a++;
        if (b - a + 1 >= bestn) {
            bestn = b - a + 1;
            best = a;
        }
    }
    const estimate *m = &est[best + bestn / 2];
    *boot = m->boot_ms;
    *source = m->source;
    return true;
}

/* The boot time of each plain dmesg file that has timed copies of its lines in the bundle. */
static cb_status join(survey *sv, cb_scan_opts *o)
{
    if (sv->nsys > 1)
        qsort(sv->sys, sv->nsys, sizeof *sv->sys, cmp_key);
    if (sv->nwall > 1)
        qsort(sv->wall, sv->nwall, sizeof *sv->wall, cmp_key);
    if (!sv->nup || (!sv->nsys && !sv->nwall))
        return CB_OK;
    estimate *est = malloc(MAX_ESTIMATES * sizeof *est);
    if (!est)
        return CB_ENOMEM;
    cb_status st = CB_OK;
    size_t cap = 0;
    for (size_t i = 0, e; i < sv->nup; i = e) {
        for (e = i; e < sv->nup && sv->up[e].file == sv->up[i].file; e++)
            ; /* the lines of one file are adjacent */
        int64_t boot;
        size_t src;
        if (!file_boot(sv, sv->up + i, e - i, est, &boot, &src))
            continue;
        if (!cb__grow((void **)&o->boots, &cap, o->nboots + 1, sizeof *o->boots)) {
            st = CB_ENOMEM;
            break;
        }
        cb_boot_time *bt = &o->boots[o->nboots];
        bt->path = strdup(sv->files[sv->up[i].file]);
        bt->source = strdup(sv->files[src]);
        bt->boot_ms = boot;
        if (!bt->path || !bt->source) {
            free(bt->path);
            free(bt->source);
            st = CB_ENOMEM;
            break;
        }
        o->nboots++;
    }
    free(est);
    return st;
}

/* Read the bundle once: its last timestamp (when wanted) and the kernel logs' keys. */
static cb_status read_bundle(const char *path, const cb_scan_opts *o, bool want_last, survey *sv, int64_t *last,
                             bool *has_last, cb_error *err)
{
    cb_bundle *b = NULL;
    cb_bundle_opts ro = o->bundle;
    ro.raw_chunks = true; /* timestamps without line counting or CR LF clean-up */
    cb_status st = cb_bundle_open(path, &ro, &b, err);
    if (st)
        return st;
    const cb_file *f;
    int rc;
    while ((rc = cb_bundle_next(b, &f, err)) > 0) {
        bool kern = kernel_log(f->path) && f->encoding != CB_ENC_BINARY;
        if (!kern && !want_last)
            continue; /* skipped unread */
        size_t dm = SIZE_MAX, src = SIZE_MAX;
        bool first = true;
        cb_chunk c;
        while ((rc = cb_bundle_read(b, &c, err)) > 0) {
            if (!kern || sv->oom)
                continue;
            cb_timectx tc = c.tctx;
            const char *p = c.data, *end = c.data + c.len;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = (size_t)((nl ? nl : end) - p);
                if (first && n > 0) { /* the first non-empty line says whether this is plain dmesg output */
                    int64_t up;
                    size_t off;
                    first = false;
                    if (tc.fmt.kind == CB_TIME_NONE && cb_time_parse_uptime(p, n, &up, &off))
                        dm = add_path(sv, f->path);
                    else
                        src = add_path(sv, f->path);
                }
                survey_line(sv, &tc, p, n, dm, src);
                p = nl ? nl + 1 : end;
            }
        }
        if (rc < 0)
            break;
        if (f->has_time && (!*has_last || f->last_ms > *last)) {
            *last = f->last_ms;
            *has_last = true;
        }
    }
    cb_bundle_close(b);
    if (rc < 0)
        return (cb_status)rc; /* the whole bundle had to stop (err says why): a partial answer would be wrong */
    if (sv->oom)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    return CB_OK;
}

void cb_scan_opts_release(cb_scan_opts *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nboots; i++) {
        free(o->boots[i].path);
        free(o->boots[i].source);
    }
    free(o->boots);
    o->boots = NULL;
    o->nboots = 0;
}

cb_status cb_scan_set_window(cb_scan_opts *o, const char *path, const cb_time_arg *since, const cb_time_arg *until,
                             cb_error *err)
{
    cb_scan_opts_release(o);
    o->since_set = o->until_set = false;
    if (!since && !until)
        return CB_OK;
    survey sv;
    memset(&sv, 0, sizeof sv);
    int64_t last = 0, s = 0, u = 0;
    bool has_last = false;
    bool want_last = (since && since->relative) || (until && until->relative);
    cb_status st = read_bundle(path, o, want_last, &sv, &last, &has_last, err);
    if (st)
        goto out;
    if (want_last && !has_last) {
        st = cb_error_set(err, CB_EINVAL, "%s: no timestamps found, so a relative time has nothing to count back from",
                          path);
        goto out;
    }
    if ((since && (st = cb_time_arg_resolve(since, last, &s, err))) ||
        (until && (st = cb_time_arg_resolve(until, last, &u, err))))
        goto out;
    if (since && until && s > u) {
        char a[40], b[40];
        st = cb_error_set(err, CB_EINVAL, "the window is reversed: it starts at %s, after its end at %s",
                          cb_time_format_iso(s, a, sizeof a), cb_time_format_iso(u, b, sizeof b));
        goto out;
    }
    if ((st = join(&sv, o))) {
        cb_scan_opts_release(o);
        st = cb_error_set(err, st, "out of memory");
        goto out;
    }
    o->since_set = since != NULL;
    o->until_set = until != NULL;
    o->since_ms = s;
    o->until_ms = u;
out:
    free(sv.sys);
    free(sv.wall);
    free(sv.up);
    for (size_t i = 0; i < sv.nfiles; i++)
        free(sv.files[i]);
    free(sv.files);
    return st;
}
