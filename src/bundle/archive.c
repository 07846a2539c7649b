/*
 * archive.c — the stack of open archives.
 *
 * A bundle is read as a stack: the directory walk (or the bundle file) at
 * the bottom, then one libarchive reader per archive being read, each fed
 * from the current member of the one below it.  Nothing touches the disk:
 * a nested archive's bytes stream from its parent's decompressor.
 *
 * The guards live here because this is where bytes multiply: every member
 * read is checked against the expansion ratio (bytes out over bytes fed to
 * its archive while it was read), and leaf members against the bundle's
 * total uncompressed budget.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle/bundle_int.h"
#include "core/internal.h"

/*
 * libarchive converts member names to the locale's character set, and a
 * process in the C locale cannot hold UTF-8 names (a zip's UTF-8 flag, a pax
 * header): they came back as no name at all.  Headers are read with the
 * thread's LC_CTYPE switched to C.UTF-8, so names arrive as UTF-8 whatever
 * the process locale (the process's own locale is left alone).
 */
static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_loc_init(void)
{
    utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!utf8_loc)
        utf8_loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

static locale_t enter_utf8(void)
{
    pthread_once(&utf8_once, utf8_loc_init);
    return utf8_loc ? uselocale(utf8_loc) : (locale_t)0;
}

static void leave_utf8(locale_t old)
{
    if (old)
        uselocale(old);
}

/* ---- CPU budget ---- */

static int64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cb__cpu_enter(cb_bundle *b)
{
    if (b->cpu_nest++ == 0)
        b->cpu_t0 = thread_cpu_ns();
}

bool cb__cpu_leave(cb_bundle *b, const char *path)
{
    if (--b->cpu_nest == 0) {
        int64_t d = thread_cpu_ns() - b->cpu_t0;
        if (d > 0)
            b->cpu_ns += (uint64_t)d;
    }
    uint64_t max_ms = b->opts.limits.max_cpu_ms;
    if (b->cpu_ns / 1000000 < max_ms)
        return true;
    if (!b->stopped) {
        b->stopped = true;
        cb__warn(b, path,
                 "stopped: decompression used up the CPU budget of %llu.%03llu s; the rest of the bundle is not read",
                 (unsigned long long)(max_ms / 1000), (unsigned long long)(max_ms % 1000));
    }
    return false;
}

static la_ssize_t level_read_cb(struct archive *a, void *client, const void **buff)
{
    cb__level *L = client;
    if (L->pre_off < L->pre_len) {
        size_t n = L->pre_len - L->pre_off;
        *buff = L->pre + L->pre_off;
        L->pre_off = L->pre_len;
        L->raw_in += n;
        return (la_ssize_t)n;
    }
    long n;
    if (L->fd >= 0) {
        do
            n = read(L->fd, L->block, CB__BLOCK);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            archive_set_error(a, errno, "read error: %s", strerror(errno));
            return -1;
        }
        L->b->stats.stored_bytes += (uint64_t)n;
    } else {
        n = cb__level_read(L->b, L->parent, L->block, CB__BLOCK, false);
        if (n < 0) {
            L->input_failed = true;
            archive_set_error(a, EIO, "the enclosing member could not be read");
            return -1;
        }
    }
    L->raw_in += (uint64_t)n;
    *buff = L->block;
    return n;
}

static la_int64_t level_seek_cb(struct archive *a, void *client, la_int64_t off, int whence)
{
    cb__level *L = client;
    (void)a;
    off_t r = lseek(L->fd, (off_t)off, whence);
    return r < 0 ? ARCHIVE_FATAL : (la_int64_t)r;
}

static la_int64_t level_skip_cb(struct archive *a, void *client, la_int64_t request)
{
    cb__level *L = client;
    (void)a;
    if (lseek(L->fd, (off_t)request, SEEK_CUR) < 0)
        return 0; /* libarchive falls back to reading */
    return request;
}

static void level_free(cb__level *L)
{
    if (!L)
        return;
    if (L->a)
        archive_read_free(L->a);
    if (L->fd >= 0)
        close(L->fd);
    free(L->self_path);
    free(L->prefix);
    free(L->raw_name);
    free(L->pre);
    free(L->block);
    free(L);
}

/* The name a single compressed file's content gets: "app.log.gz" -> "app.log", "x.tgz" -> "x.tar". */
static char *raw_member_name(const char *self_path)
{
    const char *base = cb__basename(self_path);
    const char *repl = "";
    size_t keep = cb__strip_compress_suffix(base, &repl);
    cb_buf nb;
    cb_buf_init(&nb, 4096);
    if (keep == 0) {
        if (cb_buf_puts(&nb, base) || cb_buf_puts(&nb, ".out"))
            goto fail;
    } else if (cb_buf_append(&nb, base, keep) || cb_buf_puts(&nb, repl)) {
        goto fail;
    }
    return cb_buf_detach(&nb, NULL);
fail:
    cb_buf_release(&nb);
    return NULL;
}

/* A fresh libarchive reader on L's input, with every format casebook reads. */
static int level_open_reader(cb__level *L)
{
    struct archive *a = archive_read_new();
    if (!a)
        return ARCHIVE_FATAL;
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    if (L->compressed)
        archive_read_support_format_raw(a); /* a lone .gz/.xz/... that is not a tar */
    archive_read_set_callback_data(a, L);
    archive_read_set_read_callback(a, level_read_cb);
    if (L->fd >= 0) {
        archive_read_set_seek_callback(a, level_seek_cb);
        archive_read_set_skip_callback(a, level_skip_cb);
    }
    L->a = a;
    locale_t old = enter_utf8();
    cb__cpu_enter(L->b);
    int r = archive_read_open1(a);
    cb__cpu_leave(L->b, L->self_path ? L->self_path : "");
    leave_utf8(old);
    return r;
}

static cb_status level_push(cb_bundle *b, cb__level *L, const char *self_path, const char *prefix, bool compressed)
{
    if (b->nlevels == CB__MAX_LEVELS) {
        level_free(L);
        return CB_ELIMIT;
    }
    L->b = b;
    L->compressed = compressed;
    L->self_path = strdup(self_path);
    L->prefix = strdup(prefix);
    L->raw_name = raw_member_name(self_path);
    L->block = malloc(CB__BLOCK);
    if (!L->self_path || !L->prefix || !L->raw_name || !L->block) {
        level_free(L);
        return CB_ENOMEM;
    }
    int r = level_open_reader(L);
    if (!L->a) {
        level_free(L);
        return CB_ENOMEM;
    }
    if (r != ARCHIVE_OK) {
        if (!L->input_failed)
            cb__warn(b, self_path, "cannot open archive: %s",
                     archive_error_string(L->a) ? archive_error_string(L->a) : "unrecognised format");
        level_free(L);
        return CB_ECORRUPT;
    }
    b->levels[b->nlevels++] = L;
    return CB_OK;
}

cb_status cb__level_push_fd(cb_bundle *b, int fd, const char *self_path, const char *prefix, unsigned depth,
                            bool compressed, int64_t mtime_ms)
{
    cb__level *L = calloc(1, sizeof *L);
    if (!L) {
        close(fd);
        return CB_ENOMEM;
    }
    L->fd = fd;
    L->depth = depth;
    L->mtime_ms = mtime_ms;
    if (lseek(fd, 0, SEEK_SET) < 0) {
        cb__warn(b, self_path, "cannot rewind archive: %s", strerror(errno));
        level_free(L);
        return CB_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        b->outer_bytes += (uint64_t)st.st_size; /* what the whole bundle's expansion is measured against */
    return level_push(b, L, self_path, prefix, compressed);
}

cb_status cb__level_push_nested(cb_bundle *b, const char *self_path, const unsigned char *pre, size_t n,
                                bool compressed, int64_t mtime_ms)
{
    cb__level *parent = b->levels[b->nlevels - 1];
    cb__level *L = calloc(1, sizeof *L);
    if (!L)
        return CB_ENOMEM;
    L->fd = -1;
    L->parent = parent;
    L->depth = parent->depth + 1;
    L->mtime_ms = mtime_ms;
    L->pre = malloc(n ? n : 1);
    if (!L->pre) {
        level_free(L);
        return CB_ENOMEM;
    }
    memcpy(L->pre, pre, n);
    L->pre_len = n;
    char *prefix = malloc(strlen(self_path) + 2);
    if (!prefix) {
        level_free(L);
        return CB_ENOMEM;
    }
    memcpy(prefix, self_path, strlen(self_path));
    memcpy(prefix + strlen(self_path), "/", 2);
    cb_status st = level_push(b, L, self_path, prefix, compressed);
    free(prefix);
    return st;
}

void cb__level_pop(cb_bundle *b)
{
    if (b->nlevels == 0)
        return;
    cb__level *L = b->levels[--b->nlevels];
    level_free(L);
}

/*
 * After a member's data was damaged, libarchive refuses to go on.  An archive
 * read from a file can still be reopened and its first `skip` headers passed
 * over (cheap for zip and 7z, which have a central directory), so that the
 * members after a damaged one are still read.  Returns true when positioned.
 */
static bool level_reopen(cb__level *L, uint64_t skip)
{
    if (L->fd < 0 || L->reopened_at >= skip)
        return false;
    L->reopened_at = skip;
    archive_read_free(L->a);
    L->a = NULL;
    if (lseek(L->fd, 0, SEEK_SET) < 0)
        return false;
    int r = level_open_reader(L);
    if (!L->a || r != ARCHIVE_OK)
        return false;
    struct archive_entry *e;
    for (uint64_t i = 0; i < skip; i++) {
        r = archive_read_next_header(L->a, &e);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return false;
    }
    L->fatal = false;
    return true;
}

static int level_next(cb_bundle *b, struct archive_entry **entry);

int cb__level_next(cb_bundle *b, struct archive_entry **entry)
{
    cb__level *L = b->levels[b->nlevels - 1];
    locale_t old = enter_utf8();
    cb__cpu_enter(b);
    int r = level_next(b, entry);
    bool ok = cb__cpu_leave(b, L->self_path);
    leave_utf8(old);
    return ok ? r : 0;
}

static int level_next(cb_bundle *b, struct archive_entry **entry)
{
    cb__level *L = b->levels[b->nlevels - 1];
    if (L->fatal && !level_reopen(L, L->members)) {
        if (L->a)
            cb__warn(b, L->self_path, "the members after %s cannot be read", L->m_path ? "the damaged one" : "it");
        return 0;
    }
    L->m_in0 = L->raw_in;
    L->m_out = 0;
    L->m_failed = false;
    L->m_path = NULL;
    for (;;) {
        int r = archive_read_next_header(L->a, entry);
        if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
            L->members++;
            L->m_pos0 = archive_filter_bytes(L->a, 0); /* stored size counts from the end of the header */
            L->m_raw = archive_format(L->a) == ARCHIVE_FORMAT_RAW;
            if (L->m_raw && archive_filter_count(L->a) <= 1) {
                /* "raw" without a decompressor: the magic lied; this is not a compressed stream. */
                L->fatal = true;
                L->reopened_at = UINT64_MAX;
                cb__warn(b, L->self_path, "cannot open archive: not a valid compressed stream");
                return 0;
            }
            if (archive_entry_filetype(*entry) == AE_IFREG)
                L->files++;
            return 1;
        }
        if (r == ARCHIVE_EOF) {
            if (L->files == 0 && L->members == 0)
                cb__notice(b, L->self_path, "archive has no files");
            return 0;
        }
        if (r == ARCHIVE_RETRY)
            continue;
        L->fatal = true;
        L->reopened_at = UINT64_MAX; /* a damaged header: do not try again */
        if (!L->input_failed)
            cb__warn(b, L->self_path, "damaged archive: %s; the rest of it is not read",
                     archive_error_string(L->a) ? archive_error_string(L->a) : "unknown error");
        return 0;
    }
}

/* The bound on everything the bundle's archives expand to: max(ratio_floor, max_ratio x outermost bytes). */
static uint64_t expansion_bound(const cb_bundle *b)
{
    const cb_bundle_limits *lim = &b->opts.limits;
    uint64_t by_ratio;
    if (__builtin_mul_overflow(b->outer_bytes, lim->max_ratio, &by_ratio))
        by_ratio = UINT64_MAX;
    return by_ratio > lim->ratio_floor ? by_ratio : lim->ratio_floor;
}

long cb__level_read(cb_bundle *b, cb__level *L, void *buf, size_t n, bool leaf)
{
    if (L->m_failed || L->fatal || b->stopped)
        return b->stopped && leaf ? -2 : -1;
    const char *who = L->m_path ? L->m_path : L->self_path;
    cb__cpu_enter(b);
    la_ssize_t r = archive_read_data(L->a, buf, n);
    if (!cb__cpu_leave(b, who) && leaf) {
        L->m_failed = true;
        return -2;
    }
    if (r < 0) {
        L->m_failed = true;
        if (r == ARCHIVE_FATAL)
            L->fatal = true;
        if (!L->input_failed && !b->stopped)
            cb__warn(b, who, "cannot read: %s",
                     archive_error_string(L->a) ? archive_error_string(L->a) : "unknown error");
        return b->stopped && leaf ? -2 : -1;
    }
    L->m_out += (uint64_t)r;
    const cb_bundle_limits *lim = &b->opts.limits;
    uint64_t in = L->raw_in - L->m_in0;
    if (L->m_out > lim->ratio_floor && L->m_out / lim->max_ratio > in) {
        L->m_failed = true;
        cb__warn(b, who,
                 "refused: expands more than %llu times its compressed size (possible decompression bomb)",
                 (unsigned long long)lim->max_ratio);
        return -1;
    }
    /* Every level counts: a zip of zips multiplies the ratio allowed to each member by the levels. */
    b->expanded += (uint64_t)r;
    if (b->expanded > expansion_bound(b)) {
        b->stopped = true;
        L->m_failed = true;
        char hb[32];
        cb__warn(b, who,
                 "stopped: the archives expanded past %s, more than %llu times the size of the bundle's archives "
                 "(possible nested decompression bomb); the rest of the bundle is not read",
                 cb__human_bytes(expansion_bound(b), hb, sizeof hb), (unsigned long long)lim->max_ratio);
        return leaf ? -2 : -1;
    }
    if (leaf) {
        b->archive_out += (uint64_t)r;
        if (b->archive_out > lim->max_total) {
            b->stopped = true;
            char hb[32];
            cb__warn(b, who,
                     "stopped: the uncompressed budget of %s is used up; the rest of the bundle is not read",
                     cb__human_bytes(lim->max_total, hb, sizeof hb));
            return -2;
        }
    }
    return (long)r;
}
