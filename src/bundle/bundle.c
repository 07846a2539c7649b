/*
 * bundle.c — the bundle reader's public face: which file comes next, and the
 * assembly of its bytes into chunks of whole, LF-terminated, UTF-8 lines.
 *
 * Line assembly is the hot path of everything casebook does, so it copies
 * each byte once (from the source into `lb`), finds line ends with memchr /
 * memrchr and counts them with a vectorised loop, and parses timestamps only
 * where a file's first and last times require them.  Lines longer than the
 * limit are cut (at a UTF-8 boundary), flagged, and the rest skipped: memory
 * stays bounded by the limit whatever the input.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bundle/bundle_int.h"
#include "casebook/utf8.h"
#include "core/internal.h"

enum { FILL = 256 * 1024 };

void cb_bundle_opts_init(cb_bundle_opts *o)
{
    memset(o, 0, sizeof *o);
    o->limits.max_ratio = 1000;
    o->limits.ratio_floor = 16ULL << 20;
    o->limits.max_total = 64ULL << 30;
    o->limits.max_cpu_ms = 600000;
    o->limits.max_depth = 4;
    o->limits.max_line = 1u << 20;
    o->limits.max_warnings = 10000;
    o->time_format.kind = CB_TIME_NONE;
}

const char *cb_encoding_name(cb_encoding enc)
{
    static const char *const names[] = {"utf-8", "utf-8-bom", "utf-16le", "utf-16be", "8bit", "binary"};
    return (unsigned)enc < CB_ARRAY_LEN(names) ? names[enc] : "unknown";
}

const char *cb_eol_name(cb_eol eol)
{
    static const char *const names[] = {"none", "lf", "crlf", "cr"};
    return (unsigned)eol < CB_ARRAY_LEN(names) ? names[eol] : "unknown";
}

/* ---- warnings ---- */

static void vrecord(cb_bundle *b, const char *path, bool notice, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* The current file's first problem, kept even when the warning itself is dropped below. */
    if (!notice && b->problem_armed && !b->problem[0] && path && b->file.path && strcmp(path, b->file.path) == 0) {
        size_t k = cb_utf8_boundary(msg, CB_MIN(strlen(msg), sizeof b->problem - 1));
        memcpy(b->problem, msg, k);
        b->problem[k] = '\0';
        b->file.problem = b->problem;
    }
    if (b->nwarn >= b->opts.limits.max_warnings) {
        b->warn_dropped++;
        return;
    }
    if (!cb__grow((void **)&b->warn, &b->capwarn, b->nwarn + 1, sizeof *b->warn)) {
        b->warn_dropped++;
        return;
    }
    char *p = strdup(path ? path : "");
    char *m = strdup(msg);
    if (!p || !m) {
        free(p);
        free(m);
        b->warn_dropped++;
        return;
    }
    b->warn[b->nwarn].path = p;
    b->warn[b->nwarn].message = m;
    b->warn[b->nwarn].notice = notice;
    b->nwarn++;
}

void cb__vwarn(cb_bundle *b, const char *path, const char *fmt, va_list ap)
{
    vrecord(b, path, false, fmt, ap);
}

void cb__notice(cb_bundle *b, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(b, path, true, fmt, ap);
    va_end(ap);
}

void cb__warn(cb_bundle *b, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(b, path, false, fmt, ap);
    va_end(ap);
}

static void walk_warn(void *ctx, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb__vwarn(ctx, path, fmt, ap);
    va_end(ap);
}

size_t cb_bundle_warning_count(const cb_bundle *b)
{
    return b->nwarn;
}

const cb_warning *cb_bundle_warning_at(const cb_bundle *b, size_t i)
{
    return i < b->nwarn ? &b->warn[i] : NULL;
}

uint64_t cb_bundle_warnings_dropped(const cb_bundle *b)
{
    return b->warn_dropped;
}

void cb_bundle_get_stats(const cb_bundle *b, cb_bundle_stats *stats)
{
    *stats = b->stats;
}

/* ---- opening and closing ---- */

static int open_file(const char *path)
{
    int fd;
    do
        fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    return fd;
}

static cb_status read_full(int fd, unsigned char *buf, size_t n, size_t *got)
{
    size_t k = 0;
    while (k < n) {
        ssize_t r = read(fd, buf + k, n - k);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return CB_EIO;
        if (r == 0)
            break;
        k += (size_t)r;
    }
    *got = k;
    return CB_OK;
}

cb_status cb_bundle_open(const char *path, const cb_bundle_opts *opts, cb_bundle **out, cb_error *err)
{
    cb_status st = CB_ENOMEM;
    cb_bundle *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    if (opts)
        b->opts = *opts;
    else
        cb_bundle_opts_init(&b->opts);
    b->root_fd = -1;
    b->fd = -1;
    /* Display paths: a name is cut at CB_BUNDLE_MAX_NAME bytes, at most 4 bytes shown per byte, per level. */
    cb_buf_init(&b->path, (size_t)(CB__MAX_LEVELS + 1) * (4 * CB_BUNDLE_MAX_NAME + 2));
    const cb_bundle_limits *lim = &b->opts.limits;
    const char *bad = NULL;
    if (lim->max_ratio == 0 || lim->max_ratio > CB_BUNDLE_MAX_RATIO)
        bad = "max_ratio must be from 1 to 2^40";
    else if (lim->max_total == 0)
        bad = "max_total must be at least 1 byte";
    else if (lim->max_cpu_ms == 0 || lim->max_cpu_ms > CB_BUNDLE_MAX_CPU_MS)
        bad = "max_cpu_ms must be from 1 ms to one year";
    else if (lim->max_depth > CB__MAX_LEVELS - 2)
        bad = "max_depth must be from 0 to 14";
    else if (lim->max_line < 64 || lim->max_line > CB_BUNDLE_MAX_LINE)
        bad = "max_line must be from 64 bytes to 1 GiB";
    else if (lim->max_warnings > CB_BUNDLE_MAX_WARNINGS)
        bad = "max_warnings must be at most 10,000,000";
    size_t alloc = 0;
    if (!bad && (__builtin_add_overflow(lim->max_line, (size_t)FILL + 16, &b->lb_cap) ||
                 __builtin_add_overflow(b->lb_cap, (size_t)CB_CHUNK_PAD, &alloc)))
        bad = "max_line is too large for this machine";
    if (bad) {
        cb_bundle_close(b);
        return cb_error_set(err, CB_EINVAL, "invalid bundle limits: %s", bad);
    }
    b->lb = malloc(alloc);
    b->u16 = malloc(FILL);
    b->root = strdup(path);
    if (!b->lb || !b->u16 || !b->root)
        goto fail;
    if (!(b->root_name = cb_bundle_name(path)))
        goto fail;

    if (stat(path, &b->root_st) != 0) {
        st = errno == ENOENT || errno == ENOTDIR ? CB_ENOTFOUND : CB_EIO;
        cb_error_set(err, st, "%s: %s", path, strerror(errno));
        goto fail_quiet;
    }
    if (S_ISDIR(b->root_st.st_mode)) {
        st = cb__dirwalk_open(path, walk_warn, b, &b->walk, err);
        if (st)
            goto fail_quiet;
    } else if (S_ISREG(b->root_st.st_mode)) {
        int fd = open_file(path);
        if (fd < 0) {
            st = CB_EIO;
            cb_error_set(err, st, "%s: %s", path, strerror(errno));
            goto fail_quiet;
        }
        unsigned char head[512];
        size_t got = 0;
        if (read_full(fd, head, sizeof head, &got)) {
            st = CB_EIO;
            cb_error_set(err, st, "%s: %s", path, strerror(errno));
            close(fd);
            goto fail_quiet;
        }
        cb__magic m = cb__sniff_magic(head, got);
        if (m != CB__MAGIC_NONE) {
            st = cb__level_push_fd(b, fd, b->root_name, "", 1, m == CB__MAGIC_COMPRESSED,
                                   (int64_t)b->root_st.st_mtim.tv_sec * 1000);
            if (st == CB_ENOMEM)
                goto fail;
            if (st) {
                /* The bundle itself is unreadable: that is an error, not a warning. */
                const cb_warning *w = b->nwarn ? &b->warn[b->nwarn - 1] : NULL;
                cb_error_set(err, st, "%s: %s", path, w ? w->message : "cannot open archive");
                goto fail_quiet;
            }
        } else {
            if (lseek(fd, 0, SEEK_SET) < 0) {
                close(fd);
                st = CB_EIO;
                cb_error_set(err, st, "%s: %s", path, strerror(errno));
                goto fail_quiet;
            }
            b->root_fd = fd;
        }
    } else {
        st = CB_EUNSUPPORTED;
        cb_error_set(err, st, "%s: not a directory, archive or regular file", path);
        goto fail_quiet;
    }
    *out = b;
    return CB_OK;
fail:
    cb_error_set(err, CB_ENOMEM, "out of memory");
fail_quiet:
    cb_bundle_close(b);
    return st;
}

char *cb_bundle_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && path[s - 1] != '/')
        s--;
    cb_buf nb;
    cb_buf_init(&nb, 1 << 16);
    if (cb_utf8_sanitize(&nb, path + s, n - s, true)) {
        cb_buf_release(&nb);
        return NULL;
    }
    return cb_buf_detach(&nb, NULL);
}

static void close_current(cb_bundle *b)
{
    if (b->src == CB__SRC_FD && b->fd >= 0)
        close(b->fd);
    b->fd = -1;
    b->src = CB__SRC_NONE;
    b->chunk_live = false;
}

void cb_bundle_close(cb_bundle *b)
{
    if (!b)
        return;
    close_current(b);
    while (b->nlevels)
        cb__level_pop(b);
    if (b->root_fd >= 0)
        close(b->root_fd);
    cb__dirwalk_close(b->walk);
    for (size_t i = 0; i < b->nwarn; i++) {
        free((char *)b->warn[i].path);
        free((char *)b->warn[i].message);
    }
    free(b->warn);
    free(b->lb);
    free(b->u16);
    free(b->root);
    free(b->root_name);
    cb_buf_release(&b->path);
    free(b);
}

/* ---- reading the current file's raw bytes ---- */

/* Returns bytes read, 0 at end of file, -1 when the file ends early (warned), -2 stop everything. */
static long raw_read(cb_bundle *b, void *buf, size_t n)
{
    if (b->eof)
        return 0;
    long r;
    if (b->src == CB__SRC_FD) {
        do
            r = read(b->fd, buf, n);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            cb__warn(b, b->file.path, "read error: %s", strerror(errno));
            r = -1;
        } else {
            b->stats.stored_bytes += (uint64_t)r;
        }
    } else {
        r = cb__level_read(b, b->levels[b->nlevels - 1], buf, n, true);
    }
    if (r <= 0) {
        b->eof = true;
        if (r < 0)
            b->file.incomplete = true;
        return r;
    }
    b->file.bytes += (uint64_t)r;
    return r;
}

/* Read into `buf` until n bytes or end of file. */
static long raw_read_full(cb_bundle *b, unsigned char *buf, size_t n)
{
    size_t k = 0;
    while (k < n) {
        long r = raw_read(b, buf + k, n - k);
        if (r == -2)
            return -2;
        if (r <= 0)
            break;
        k += (size_t)r;
    }
    return (long)k;
}

/* Files with CR-only line ends: every CR ends a line. */
static void cr_to_lf(char *p, size_t n)
{
    char *end = p + n;
    while ((p = memchr(p, '\r', (size_t)(end - p))))
        *p++ = '\n';
}

/* Append decoded text to lb: up to `want` raw bytes. Returns bytes appended, 0 at EOF, -2 to stop. */
static long fill(cb_bundle *b, size_t want)
{
    size_t room = b->lb_cap - b->lb_len - 8;
    long r;
    if (b->file.encoding == CB_ENC_UTF16LE || b->file.encoding == CB_ENC_UTF16BE) {
        /* 2 bytes of UTF-16 become at most 3 of UTF-8. */
        size_t n = CB_MIN(CB_MIN(want, (size_t)FILL), room / 3 * 2);
        r = raw_read(b, b->u16, n);
        if (r == -2)
            return -2;
        size_t got = r > 0 ? (size_t)r : 0;
        size_t o = cb__utf16_to_utf8(&b->u16st, b->file.encoding == CB_ENC_UTF16BE, b->u16, got,
                                     b->lb + b->lb_len, r <= 0);
        if (b->file.eol == CB_EOL_CR)
            cr_to_lf(b->lb + b->lb_len, o);
        b->lb_len += o;
        return r <= 0 && o == 0 ? 0 : (long)(o ? o : 1);
    }
    r = raw_read(b, b->lb + b->lb_len, CB_MIN(want, room));
    if (r <= 0)
        return r == -2 ? -2 : 0;
    if (b->file.eol == CB_EOL_CR)
        cr_to_lf(b->lb + b->lb_len, (size_t)r);
    b->lb_len += (size_t)r;
    return r;
}

/* Timestamp of the first line in p[0..n) that has one; scanning forward. */
static bool first_time_in(cb_bundle *b, const char *p, size_t n, int64_t *ms)
{
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (len && p[len - 1] == '\r')
            len--; /* a raw chunk's CR LF */
        if (cb_time_parse(&b->tctx, p, len, ms))
            return true;
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

/*
 * Timestamp of the last line in p[0..n) (n ends with '\n') that has one,
 * scanning backward over at most LAST_TIME_LINES lines: a chunk whose tail is
 * one huge stack trace keeps the previous chunk's last time rather than
 * costing a parse attempt per line (a file's last time can then be early by
 * that trace, never wrong in order).
 */
enum { LAST_TIME_LINES = 256 };
static bool last_time_in(cb_bundle *b, const char *p, size_t n, int64_t *ms)
{
    size_t end = n; /* exclusive end of the current line, at its '\n' */
    for (int k = 0; end > 0 && k < LAST_TIME_LINES; k++) {
        size_t line_end = end - 1; /* index of '\n' */
        const char *prev = line_end ? memrchr(p, '\n', line_end) : NULL;
        size_t start = prev ? (size_t)(prev - p) + 1 : 0;
        /* Year inference must not see lines out of order: use a copy of the context. */
        cb_timectx tmp = b->tctx;
        size_t llen = line_end - start;
        if (llen && p[start + llen - 1] == '\r')
            llen--; /* a raw chunk's CR LF */
        if (cb_time_parse(&tmp, p + start, llen, ms))
            return true;
        end = start;
    }
    return false;
}

/* Remove the '\r' of every "\r\n" in p[0..n); returns the new length.  Moves whole lines, not bytes. */
static size_t strip_crlf(char *p, size_t n)
{
    char *end = p + n;
    char *r = memchr(p, '\r', n);
    if (!r)
        return n;
    char *w = r;
    while (r < end) {
        char *cr = memchr(r, '\r', (size_t)(end - r));
        size_t k = (size_t)((cr ? cr : end) - r);
        if (w != r)
            memmove(w, r, k);
        w += k;
        if (!cr)
            break;
        if (cr + 1 < end && cr[1] == '\n') {
            r = cr + 1; /* drop the CR, keep the LF */
        } else {
            *w++ = '\r'; /* a lone CR stays */
            r = cr + 1;
        }
    }
    return (size_t)(w - p);
}

/* ---- starting a file ---- */

typedef enum { BEGIN_FILE, BEGIN_DESCEND, BEGIN_SKIP, BEGIN_STOP } begin_result;

/*
 * Read the first bytes of the file just selected and decide what it is: a
 * nested archive to descend into, binary, or text (encoding, line ends,
 * timestamp format).  The bytes read stay in lb for the first chunk.
 */
static begin_result begin_file(cb_bundle *b, cb__magic *magic_out)
{
    b->lb_len = 0;
    b->lb_used = 0;
    b->skipping = false;
    b->eof = false;
    b->started = false;
    b->done = false;
    b->next_line = 1;
    memset(&b->u16st, 0, sizeof b->u16st);
    b->chunk_live = false;
    b->line_has_ms = false;
    b->file.bytes = 0;
    b->file.lines = 0;
    b->file.truncated = 0;
    b->file.has_time = false;
    b->file.first_ms = b->file.last_ms = 0;
    b->file.incomplete = false;
    b->file.time_format.kind = CB_TIME_NONE;
    b->file.has_utc_offset = false;
    b->file.utc_offset_ms = 0;
    b->file.problem = NULL;
    b->problem[0] = '\0';
    b->problem_armed = true; /* from here on, a warning about this file says why it is not (all) read */

    long got = raw_read_full(b, (unsigned char *)b->lb, CB__SNIFF);
    if (got == -2)
        return BEGIN_STOP;
    size_t n = (size_t)got;
    b->lb_len = n;
    cb__magic m = cb__sniff_magic((const unsigned char *)b->lb, n);
    *magic_out = m;
    if (m != CB__MAGIC_NONE)
        return BEGIN_DESCEND;

    cb__textinfo ti;
    cb__sniff_text((const unsigned char *)b->lb, n, &ti);
    b->file.encoding = ti.encoding;
    b->file.eol = ti.eol;
    if (ti.encoding == CB_ENC_BINARY)
        return BEGIN_FILE;
    if (ti.encoding == CB_ENC_UTF16LE || ti.encoding == CB_ENC_UTF16BE) {
        size_t raw = n - ti.bom;
        memcpy(b->u16, b->lb + ti.bom, raw);
        b->lb_len = cb__utf16_to_utf8(&b->u16st, ti.encoding == CB_ENC_UTF16BE, b->u16, raw, b->lb, b->eof);
        b->file.eol = cb__sniff_eol(b->lb, b->lb_len);
    } else {
        if (ti.bom)
            memmove(b->lb, b->lb + ti.bom, n - ti.bom);
        b->lb_len = n - ti.bom;
    }
    if (b->file.eol == CB_EOL_CR)
        cr_to_lf(b->lb, b->lb_len);
    if (b->opts.time_format.kind != CB_TIME_NONE) {
        b->file.time_format = b->opts.time_format;
    } else {
        /* Detect on whole lines only. */
        size_t upto = b->lb_len;
        if (!b->eof) {
            const char *nl = memrchr(b->lb, '\n', b->lb_len);
            upto = nl ? (size_t)(nl - b->lb) + 1 : 0;
        }
        b->file.time_format.kind = cb_time_detect(b->lb, upto);
    }
    cb_timectx_init(&b->tctx, &b->file.time_format, b->file.mtime_ms);
    int64_t off;
    if (b->file.time_format.kind == CB_TIME_VEEAM && cb_time_find_utc_offset(b->lb, b->lb_len, &off)) {
        cb_timectx_set_local_offset(&b->tctx, off);
        b->file.utc_offset_ms = off;
        b->file.has_utc_offset = true;
    }
    return BEGIN_FILE;
}

/* Warn about what normalising a member name changed. */
static void warn_name(cb_bundle *b, const char *shown, const char *raw, size_t len, unsigned flags)
{
    if (!flags)
        return;
    cb_buf orig;
    cb_buf_init(&orig, 4 * len + 16);
    if (cb_utf8_sanitize(&orig, raw, len, true)) {
        cb_buf_release(&orig);
        return;
    }
    const char *o = orig.data ? orig.data : "";
    if (flags & CB__NAME_ABSOLUTE)
        cb__warn(b, shown, "absolute member name made relative (was '%s')", o);
    if (flags & CB__NAME_DOTDOT)
        cb__warn(b, shown, "member name contains '..'; those parts are dropped (was '%s')", o);
    if (flags & CB__NAME_CONTROL)
        cb__warn(b, shown, "member name contains control characters; shown escaped");
    if (flags & CB__NAME_EMPTY)
        cb__warn(b, shown, "member has no usable name (was '%s')", o);
    cb_buf_release(&orig);
}

/* True when an enclosing archive has the same file name as `path`'s last component. */
static bool contains_itself(cb_bundle *b, const char *path)
{
    const char *base = cb__basename(path);
    if (strcmp(base, cb__basename(b->root_name)) == 0 && !b->walk)
        return true;
    for (unsigned i = 0; i < b->nlevels; i++)
        if (strcmp(cb__basename(b->levels[i]->self_path), base) == 0)
            return true;
    return false;
}

/*
 * The selected file is an archive: open it in place (or refuse, with a
 * warning, and list it as binary).  Returns 1 when descended, 0 when not, or
 * CB_ENOMEM: then the bundle stops, since an archive skipped without a word
 * would look like one without findings.
 */
static int descend(cb_bundle *b, cb__magic m, unsigned depth_inside)
{
    const char *path = b->file.path;
    if (depth_inside > b->opts.limits.max_depth) {
        cb__warn(b, path, "not opened: archives nested more than %u deep", b->opts.limits.max_depth);
        return 0;
    }
    if (contains_itself(b, path)) {
        cb__warn(b, path, "refused: archive contains itself (%s)", cb__basename(path));
        return 0;
    }
    cb_status st;
    if (b->src == CB__SRC_FD) {
        int fd = b->fd;
        b->fd = -1;
        b->src = CB__SRC_NONE;
        st = cb__level_push_fd(b, fd, path, "", depth_inside, m == CB__MAGIC_COMPRESSED, b->file.mtime_ms);
        if (st == CB_OK) {
            /* Members of a directory's archive are shown under its path. */
            cb__level *L = b->levels[b->nlevels - 1];
            size_t pl = strlen(path);
            char *prefix = malloc(pl + 2);
            if (prefix) {
                memcpy(prefix, path, pl);
                memcpy(prefix + pl, "/", 2);
                free(L->prefix);
                L->prefix = prefix;
            } else {
                cb__level_pop(b);
                return CB_ENOMEM;
            }
        }
    } else {
        st = cb__level_push_nested(b, path, (const unsigned char *)b->lb, b->lb_len, m == CB__MAGIC_COMPRESSED,
                                   b->file.mtime_ms);
    }
    return st == CB_OK ? 1 : st == CB_ENOMEM ? CB_ENOMEM : 0;
}

static void finish_file_stats(cb_bundle *b)
{
    b->stats.bytes += b->file.bytes;
    b->stats.lines += b->file.lines;
}

/* Set the current file's display path from a (hostile) member name. */
static cb_status member_path(cb_bundle *b, cb__level *L, struct archive_entry *e)
{
    cb_buf_reset(&b->path);
    if (cb_buf_puts(&b->path, L->prefix))
        return CB_ENOMEM;
    if (L->m_raw)
        return cb_buf_puts(&b->path, L->raw_name);
    const char *raw = archive_entry_pathname(e);
    if (!raw)
        raw = archive_entry_pathname_utf8(e);
    if (!raw)
        raw = "";
    size_t rawlen = strlen(raw);
    /* Legacy zip names (no UTF-8 flag) are in the DOS code page: shown as CP437 unless they are UTF-8. */
    cb_buf conv;
    cb_buf_init(&conv, 4 * CB_BUNDLE_MAX_NAME);
    if (archive_format(L->a) == ARCHIVE_FORMAT_ZIP && !cb_utf8_valid(raw, CB_MIN(rawlen, CB_BUNDLE_MAX_NAME))) {
        if (cb__cp437_to_utf8(&conv, raw, CB_MIN(rawlen, CB_BUNDLE_MAX_NAME)) == CB_OK) {
            raw = conv.data;
            rawlen = conv.len;
        }
    }
    size_t keep = rawlen;
    if (keep > CB_BUNDLE_MAX_NAME)
        keep = cb_utf8_boundary(raw, CB_BUNDLE_MAX_NAME);
    cb_buf name;
    cb_buf_init(&name, 4 * CB_BUNDLE_MAX_NAME + 16);
    unsigned flags = 0;
    cb_status st = cb__name_normalise(&name, raw, keep, &flags);
    if (st == CB_OK)
        st = cb_buf_append(&b->path, name.data, name.len);
    cb_buf_release(&name);
    if (st == CB_OK) {
        warn_name(b, b->path.data, raw, keep, flags);
        if (keep < rawlen)
            cb__warn(b, b->path.data, "member name of %zu bytes cut to its first %zu", rawlen, keep);
    }
    cb_buf_release(&conv);
    return st;
}

cb_file_status cb_file_status_of(const cb_file *f)
{
    if (f->encoding == CB_ENC_BINARY)
        return f->problem ? CB_FILE_UNREADABLE : CB_FILE_BINARY; /* an archive not opened, or binary */
    if (f->incomplete)
        return f->bytes ? CB_FILE_PARTIAL : CB_FILE_UNREADABLE;
    return f->bytes ? CB_FILE_OK : CB_FILE_EMPTY;
}

const char *cb_file_status_name(cb_file_status st)
{
    static const char *const names[] = {"ok", "empty", "binary", "partial", "unreadable"};
    return (unsigned)st < CB_ARRAY_LEN(names) ? names[st] : "unknown";
}

int cb_bundle_next(cb_bundle *b, const cb_file **file, cb_error *err)
{
    if (b->src != CB__SRC_NONE && !b->done)
        finish_file_stats(b); /* the caller moved on before reading to the end */
    close_current(b);
    for (;;) {
        if (b->stopped)
            return 0;
        b->problem_armed = false;
        memset(&b->file, 0, sizeof b->file);
        b->entry_size = -1;
        if (b->nlevels > 0) {
            cb__level *L = b->levels[b->nlevels - 1];
            struct archive_entry *e;
            int r = cb__level_next(b, &e);
            if (r == 0) {
                cb__level_pop(b);
                continue;
            }
            if (archive_entry_filetype(e) != AE_IFREG)
                continue; /* directories, links, devices: nothing to read */
            if (member_path(b, L, e))
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            L->m_path = b->path.data;
            b->file.path = b->path.data;
            b->file.depth = L->depth;
            b->file.mtime_ms = archive_entry_mtime_is_set(e) && archive_entry_mtime(e) > 0
                                   ? (int64_t)archive_entry_mtime(e) * 1000
                                   : L->mtime_ms; /* e.g. a .gz without a stored time */
            if (archive_entry_size_is_set(e))
                b->entry_size = archive_entry_size(e);
            b->src = CB__SRC_MEMBER;
        } else if (b->walk || b->root_fd >= 0) {
            struct stat st;
            const char *rel, *full;
            int fd;
            if (b->root_fd >= 0) {
                fd = b->root_fd;
                b->root_fd = -1;
                st = b->root_st;
                rel = b->root_name;
            } else {
                if (!b->walk)
                    return 0;
                int r = cb__dirwalk_next(b->walk, &rel, &full, &st);
                if (r < 0)
                    return cb_error_set(err, r, "out of memory while listing the bundle");
                if (r == 0) {
                    cb__dirwalk_close(b->walk);
                    b->walk = NULL;
                    return 0;
                }
                fd = open_file(full);
                if (fd < 0) {
                    cb__warn(b, rel, "cannot open: %s", strerror(errno));
                    continue;
                }
            }
            cb_buf_reset(&b->path);
            if (cb_buf_puts(&b->path, rel)) {
                close(fd);
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            }
            b->file.path = b->path.data;
            b->file.depth = 0;
            b->file.mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
            b->file.stored_bytes = (uint64_t)st.st_size;
            b->entry_size = (int64_t)st.st_size;
            b->fd = fd;
            b->src = CB__SRC_FD;
        } else {
            return 0;
        }

        cb__magic m;
        begin_result br = begin_file(b, &m);
        if (br == BEGIN_STOP)
            return 0;
        if (br == BEGIN_DESCEND) {
            unsigned inside = b->file.depth + 1;
            int d = descend(b, m, inside);
            if (d > 0)
                continue;
            if (d < 0)
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            b->file.encoding = CB_ENC_BINARY; /* listed, not read */
        }
        b->stats.files++;
        *file = &b->file;
        return 1;
    }
}

/* ---- chunks ---- */

/* The current file is at its end: settle its totals.  Returns 0. */
static int finish(cb_bundle *b)
{
    if (!b->done) {
        b->done = true;
        if (b->src == CB__SRC_MEMBER) {
            cb__level *L = b->levels[b->nlevels - 1];
            if (L->m_raw)
                b->file.stored_bytes = L->raw_in; /* the one member is the whole stream */
            else
                b->file.stored_bytes = (uint64_t)(archive_filter_bytes(L->a, 0) - L->m_pos0);
        }
        finish_file_stats(b);
        if (b->file.bytes == 0 && !b->file.incomplete)
            cb__notice(b, b->file.path, "empty file");
    }
    b->chunk_live = false;
    return 0;
}

/* Binary and refused files: count their size without delivering lines. */
static int drain(cb_bundle *b)
{
    if (b->src == CB__SRC_FD || b->entry_size >= 0) {
        if (b->entry_size >= 0)
            b->file.bytes = (uint64_t)b->entry_size;
        return finish(b);
    }
    while (!b->eof) {
        long r = raw_read(b, b->u16, FILL);
        if (r == -2)
            return finish(b);
    }
    return finish(b);
}

static void deliver(cb_bundle *b, cb_chunk *c, size_t len, uint64_t nlines, bool truncated)
{
    c->data = b->lb;
    c->len = len;
    c->first_line = b->opts.raw_chunks ? 0 : b->next_line;
    c->nlines = nlines;
    c->truncated = truncated;
    c->raw = false;
    c->eol = b->file.eol;
    c->tctx = b->tctx;
    c->has_time_before = b->file.has_time;
    c->time_before_ms = b->file.last_ms;
    if (!b->opts.raw_chunks) { /* raw: whoever finishes the chunks counts */
        b->next_line += nlines;
        b->file.lines += nlines;
    }
    if (truncated)
        b->file.truncated++;
    if (b->file.time_format.kind != CB_TIME_NONE) {
        int64_t ms;
        if (!b->file.has_time && first_time_in(b, b->lb, len, &ms)) {
            b->file.has_time = true;
            b->file.first_ms = b->file.last_ms = ms;
        }
        if (b->file.has_time && last_time_in(b, b->lb, len, &ms))
            b->file.last_ms = ms;
    }
    b->chunk = *c;
    b->chunk_off = 0;
    b->chunk_next_no = c->first_line;
    b->chunk_live = true;
}

int cb_bundle_read(cb_bundle *b, cb_chunk *c, cb_error *err)
{
    (void)err;
    if (b->src == CB__SRC_NONE || b->done)
        return 0;
    if (!b->started) {
        b->started = true;
        if (b->file.encoding == CB_ENC_BINARY)
            return drain(b);
    }
    /* Drop what the previous chunk handed out. */
    if (b->lb_used) {
        memmove(b->lb, b->lb + b->lb_used, b->lb_len - b->lb_used);
        b->lb_len -= b->lb_used;
        b->lb_used = 0;
    }
    size_t max_line = b->opts.limits.max_line;

    /* The rest of a truncated line: discard up to its end. */
    while (b->skipping) {
        char *nl = memchr(b->lb, '\n', b->lb_len);
        if (nl) {
            size_t k = (size_t)(nl - b->lb) + 1;
            memmove(b->lb, b->lb + k, b->lb_len - k);
            b->lb_len -= k;
            b->skipping = false;
            break;
        }
        b->lb_len = 0;
        long r = fill(b, FILL);
        if (r == -2 || r == 0)
            return finish(b);
    }

    size_t carry = b->lb_len;
    /* Fill until a line end beyond the carried partial line, the line limit, or the end. */
    for (;;) {
        if (b->lb_len >= carry + FILL || b->lb_len > max_line || b->eof) {
            if (b->lb_len > max_line || b->eof || memchr(b->lb + CB_MIN(carry, b->lb_len), '\n',
                                                         b->lb_len - CB_MIN(carry, b->lb_len)))
                break;
            if (memchr(b->lb, '\n', b->lb_len))
                break;
            carry = b->lb_len; /* still one partial line: keep reading */
        }
        long r = fill(b, FILL);
        if (r == -2)
            return finish(b);
    }
    if (b->lb_len == 0)
        return finish(b);
    if (b->eof && b->lb[b->lb_len - 1] != '\n')
        b->lb[b->lb_len++] = '\n'; /* the last line had no line end */

    size_t len = 0; /* bytes of whole lines to hand out; 0 = up to the last line end */
    if (b->lb_len > max_line) {
        /*
         * A buffer no longer than the limit cannot hold an over-long line, so
         * only here are lines measured one by one (a line's length excludes its
         * CR LF).  Lines before the first over-long one go out as usual; the
         * over-long line itself goes out alone, cut, on the next call.
         */
        size_t pos = 0;
        for (;;) {
            char *nl = memchr(b->lb + pos, '\n', b->lb_len - pos);
            size_t end = nl ? (size_t)(nl - b->lb) : b->lb_len;
            size_t content = end - pos;
            if (nl && content && b->lb[end - 1] == '\r' && b->file.eol != CB_EOL_CR)
                content--;
            if (content > max_line) {
                if (pos > 0) {
                    len = pos;
                    break;
                }
                size_t cut = cb_utf8_boundary(b->lb, max_line);
                b->lb[cut] = '\n';
                if (nl) {
                    /* Hand out [0, cut] ; the rest of the line is dropped now, what follows kept. */
                    memmove(b->lb + cut + 1, nl + 1, b->lb_len - end - 1);
                    b->lb_len = cut + 1 + (b->lb_len - end - 1);
                } else {
                    b->lb_len = cut + 1;
                    b->skipping = true; /* the rest of the line is still to come */
                }
                b->lb_used = cut + 1;
                deliver(b, c, cut + 1, 1, true);
                return 1;
            }
            if (!nl)
                break;
            pos = end + 1;
        }
    }
    if (!len) {
        char *last = memrchr(b->lb, '\n', b->lb_len);
        len = (size_t)(last - b->lb) + 1;
    }
    if (b->opts.raw_chunks) {
        /* CR LF clean-up and line counting are left to cb_chunk_finish, on the caller's threads. */
        b->lb_used = len;
        deliver(b, c, len, 0, false);
        c->raw = true;
        return 1;
    }
    bool has_cr;
    uint64_t nlines = cb__count_lf_cr(b->lb, len, &has_cr);
    size_t clean = len;
    if (has_cr && b->file.eol != CB_EOL_CR) {
        clean = strip_crlf(b->lb, len);
        memmove(b->lb + clean, b->lb + len, b->lb_len - len);
        b->lb_len -= len - clean;
    }
    b->lb_used = clean;
    deliver(b, c, clean, nlines, false);
    return 1;
}

size_t cb_bundle_buffer_size(const cb_bundle *b)
{
    return b->lb_cap + CB_CHUNK_PAD;
}

bool cb_bundle_take_chunk(cb_bundle *b, char **buf, size_t *cap)
{
    if (!b->chunk_live || b->chunk_off != 0 || b->chunk.data != b->lb || !*buf || *cap < b->lb_cap + CB_CHUNK_PAD)
        return false;
    /* The partial line after the chunk stays with the bundle, in its new buffer. */
    size_t rest = b->lb_len - b->lb_used;
    memcpy(*buf, b->lb + b->lb_used, rest);
    char *old = b->lb;
    size_t old_cap = b->lb_cap + CB_CHUNK_PAD;
    b->lb = *buf;
    b->lb_len = rest;
    b->lb_used = 0;
    b->chunk_live = false;
    *buf = old;
    *cap = old_cap;
    return true;
}

uint64_t cb_chunk_finish(char *data, size_t *len, cb_eol eol)
{
    bool has_cr;
    uint64_t nlines = cb__count_lf_cr(data, *len, &has_cr);
    if (has_cr && eol != CB_EOL_CR)
        *len = strip_crlf(data, *len);
    return nlines;
}

int cb_bundle_next_line(cb_bundle *b, cb_line *line, cb_error *err)
{
    if (b->opts.raw_chunks)
        return cb_error_set(err, CB_EINVAL, "line-by-line reading needs cooked chunks (raw_chunks is set)");
    while (!b->chunk_live || b->chunk_off >= b->chunk.len) {
        cb_chunk c;
        int r = cb_bundle_read(b, &c, err);
        if (r <= 0)
            return r;
    }
    const char *p = b->chunk.data + b->chunk_off;
    const char *nl = memchr(p, '\n', b->chunk.len - b->chunk_off);
    size_t len = (size_t)(nl - p);
    line->text = p;
    line->len = len;
    line->no = b->chunk_next_no++;
    line->truncated = b->chunk.truncated;
    int64_t ms;
    if (b->file.time_format.kind != CB_TIME_NONE && cb_time_parse(&b->tctx, p, len, &ms)) {
        b->line_ms = ms;
        b->line_has_ms = true;
    }
    line->time_ms = b->line_ms;
    line->has_time = b->line_has_ms;
    b->chunk_off += len + 1;
    return 1;
}
