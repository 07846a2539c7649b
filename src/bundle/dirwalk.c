/*
 * dirwalk.c — list the regular files under a directory, depth first, in
 * sorted order, without ever leaving the root.
 *
 * Only one directory stream is open at a time (each directory is read whole
 * and closed before descending), so a tree of any width or depth costs a
 * handful of file descriptors.  Symbolic links are followed only when their
 * target lies inside the root; directories are remembered by (device, inode)
 * so a link back up the tree cannot loop.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>

#include "bundle/bundle_int.h"
#include "casebook/utf8.h"
#include "core/internal.h"

typedef struct frame {
    char *full;    /* path to open (root-based) */
    char *rel;     /* display path relative to the root ("" for the root) */
    char **names;  /* sorted entry names */
    size_t n, i;
} frame;

typedef struct devino {
    dev_t dev;
    ino_t ino;
} devino;

struct cb__dirwalk {
    char *root_real; /* realpath of the root, for the "inside the root" test */
    size_t root_real_len;
    frame *stack;
    size_t depth, cap;
    devino *seen; /* directories entered */
    size_t nseen, capseen;
    cb__warn_fn warn;
    void *ctx;
    cb_buf full, rel; /* the current file's paths */
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void frame_release(frame *f)
{
    for (size_t k = 0; k < f->n; k++)
        free(f->names[k]);
    free(f->names);
    free(f->full);
    free(f->rel);
}

static bool seen_dir(cb__dirwalk *w, const struct stat *st)
{
    for (size_t k = 0; k < w->nseen; k++)
        if (w->seen[k].dev == st->st_dev && w->seen[k].ino == st->st_ino)
            return true;
    return false;
}

static cb_status remember_dir(cb__dirwalk *w, const struct stat *st)
{
    if (!cb__grow((void **)&w->seen, &w->capseen, w->nseen + 1, sizeof *w->seen))
        return CB_ENOMEM;
    w->seen[w->nseen].dev = st->st_dev;
    w->seen[w->nseen].ino = st->st_ino;
    w->nseen++;
    return CB_OK;
}

/* Read a directory's names (without "." and ".."), sorted.  Warns and yields an empty list on failure. */
static cb_status push_dir(cb__dirwalk *w, const char *full, const char *rel)
{
    if (!cb__grow((void **)&w->stack, &w->cap, w->depth + 1, sizeof *w->stack))
        return CB_ENOMEM;
    frame f = {0};
    cb_status st = CB_ENOMEM;
    size_t capn = 0;
    f.full = strdup(full);
    f.rel = strdup(rel);
    if (!f.full || !f.rel)
        goto fail;
    DIR *d = opendir(full);
    if (!d) {
        w->warn(w->ctx, rel, "cannot read directory: %s", strerror(errno));
    } else {
        struct dirent *de;
        errno = 0;
        while ((de = readdir(d))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            if (!cb__grow((void **)&f.names, &capn, f.n + 1, sizeof *f.names)) {
                closedir(d);
                goto fail;
            }
            if (!(f.names[f.n] = strdup(de->d_name))) {
                closedir(d);
                goto fail;
            }
            f.n++;
        }
        closedir(d);
        if (f.n > 1)
            qsort(f.names, f.n, sizeof *f.names, cmp_names);
    }
    w->stack[w->depth++] = f;
    return CB_OK;
fail:
    frame_release(&f);
    return st;
}

cb_status cb__dirwalk_open(const char *root, cb__warn_fn warn, void *ctx, cb__dirwalk **out, cb_error *err)
{
    cb__dirwalk *w = calloc(1, sizeof *w);
    struct stat st;
    if (!w)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    w->warn = warn;
    w->ctx = ctx;
    cb_buf_init(&w->full, PATH_MAX * 4);
    cb_buf_init(&w->rel, PATH_MAX * 4);
    w->root_real = realpath(root, NULL);
    if (!w->root_real || stat(w->root_real, &st) != 0) {
        cb_status code = errno == ENOENT ? CB_ENOTFOUND : errno == ENOMEM ? CB_ENOMEM : CB_EIO;
        cb_error_set(err, code, "%s: %s", root, strerror(errno));
        cb__dirwalk_close(w);
        return code;
    }
    w->root_real_len = strlen(w->root_real);
    if (remember_dir(w, &st) || push_dir(w, w->root_real, "")) {
        cb__dirwalk_close(w);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    *out = w;
    return CB_OK;
}

/* True when `real` (a realpath) is the root or below it. */
static bool inside_root(const cb__dirwalk *w, const char *real)
{
    if (strncmp(real, w->root_real, w->root_real_len) != 0)
        return false;
    return real[w->root_real_len] == '\0' || real[w->root_real_len] == '/' ||
           (w->root_real_len == 1 && w->root_real[0] == '/');
}

int cb__dirwalk_next(cb__dirwalk *w, const char **rel, const char **full, struct stat *st)
{
    while (w->depth > 0) {
        frame *f = &w->stack[w->depth - 1];
        if (f->i == f->n) {
            frame_release(f);
            w->depth--;
            continue;
        }
        const char *name = f->names[f->i++];
        cb_buf_reset(&w->full);
        cb_buf_reset(&w->rel);
        if (cb_buf_printf(&w->full, "%s/%s", f->full, name))
            return CB_ENOMEM; /* path too long is treated as fatal: it cannot be opened anyway */
        if (f->rel[0] && (cb_buf_puts(&w->rel, f->rel) || cb_buf_putc(&w->rel, '/')))
            return CB_ENOMEM;
        if (cb_utf8_sanitize(&w->rel, name, strlen(name), true))
            return CB_ENOMEM;

        if (lstat(w->full.data, st) != 0) {
            w->warn(w->ctx, w->rel.data, "cannot read: %s", strerror(errno));
            continue;
        }
        if (S_ISLNK(st->st_mode)) {
            char *real = realpath(w->full.data, NULL);
            if (!real) {
                w->warn(w->ctx, w->rel.data, "symbolic link cannot be followed: %s", strerror(errno));
                continue;
            }
            bool inside = inside_root(w, real);
            free(real);
            if (!inside) {
                w->warn(w->ctx, w->rel.data, "symbolic link points outside the bundle; not followed");
                continue;
            }
            if (stat(w->full.data, st) != 0) {
                w->warn(w->ctx, w->rel.data, "cannot read: %s", strerror(errno));
                continue;
            }
        }
        if (S_ISDIR(st->st_mode)) {
            if (seen_dir(w, st)) {
                w->warn(w->ctx, w->rel.data, "directory already listed (a symbolic link loop); skipped");
                continue;
            }
            if (remember_dir(w, st))
                return CB_ENOMEM;
            char *sub_full = strdup(w->full.data), *sub_rel = strdup(w->rel.data);
            cb_status s = (!sub_full || !sub_rel) ? CB_ENOMEM : push_dir(w, sub_full, sub_rel);
            free(sub_full);
            free(sub_rel);
            if (s)
                return s;
            continue;
        }
        if (!S_ISREG(st->st_mode)) {
            w->warn(w->ctx, w->rel.data, "not a regular file; skipped");
            continue;
        }
        *rel = w->rel.data;
        *full = w->full.data;
        return 1;
    }
    return 0;
}

void cb__dirwalk_close(cb__dirwalk *w)
{
    if (!w)
        return;
    while (w->depth > 0)
        frame_release(&w->stack[--w->depth]);
    free(w->stack);
    free(w->seen);
    free(w->root_real);
    cb_buf_release(&w->full);
    cb_buf_release(&w->rel);
    free(w);
}
