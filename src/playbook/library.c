/*
 * library.c — the set of playbooks casebook triages against: loaded from
 * files and directory trees, linted together (ids must be unique across it).
 *
 * A broken playbook must not take the others down with it: a file that fails
 * to load contributes its diagnostics and is skipped.  Files are loaded in
 * byte order of their paths so that the library, and every message about it,
 * is the same on every machine.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "playbook/pb_int.h"
#include "core/internal.h"

enum { MAX_DIR_DEPTH = 32 };

struct cb_library_file {
    dev_t dev;
    ino_t ino;
};

void cb_library_init(cb_library *lib)
{
    memset(lib, 0, sizeof *lib);
}

void cb_library_release(cb_library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->n; i++)
        cb_playbook_free(lib->playbooks[i]);
    free(lib->playbooks);
    free(lib->files);
    cb_library_init(lib);
}

static cb_status lib_append(cb_library *lib, cb_playbook *pb)
{
    if (!cb__grow((void **)&lib->playbooks, &lib->cap, lib->n + 1, sizeof *lib->playbooks))
        return CB_ENOMEM;
    lib->playbooks[lib->n++] = pb;
    return CB_OK;
}

/*
 * Load one file and add it; a file that fails to load has already added its
 * diagnostics.  A file already loaded (same device and inode, whatever the
 * path that led to it) is not loaded again; a file whose id is already taken
 * by another file is refused, naming both.
 */
static cb_status add_file(cb_library *lib, const char *path, const struct stat *fst, cb_diags *diags)
{
    for (size_t i = 0; i < lib->nfiles; i++)
        if (lib->files[i].dev == fst->st_dev && lib->files[i].ino == fst->st_ino)
            return CB_OK;
    if (!cb__grow((void **)&lib->files, &lib->capfiles, lib->nfiles + 1, sizeof *lib->files))
        return CB_ENOMEM;
    lib->files[lib->nfiles++] = (cb_library_file){fst->st_dev, fst->st_ino};
    cb_playbook *pb;
    cb_status st = cb_playbook_load(path, &pb, diags);
    if (st)
        return st;
    const cb_playbook *first = cb_library_find(lib, pb->id.s);
    if (first) {
        cb__quoter q = {0};
        st = cb_diags_add(diags, pb->path, pb->id.loc.line, pb->id.loc.col,
                          "duplicate playbook id '%s' (also in %s:%d:%d): this file is not loaded",
                          cb__q(&q, pb->id.s), first->path, first->id.loc.line, first->id.loc.col);
        cb_playbook_free(pb);
        return st ? st : CB_EINVAL;
    }
    st = lib_append(lib, pb);
    if (st) {
        cb_playbook_free(pb);
        cb_diags_add(diags, path, 0, 0, "out of memory");
    }
    return st;
}

/* ---- directory walk ---- */

typedef struct devino {
    dev_t dev;
    ino_t ino;
} devino;

typedef struct walker {
    char **files;
    size_t nfiles, capfiles;
    devino *seen; /* directories entered: a symbolic link back up the tree must not loop */
    size_t nseen, capseen;
    cb_diags *diags;
    bool nomem;
} walker;

static bool playbook_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t dn = strlen(dir), nn = strlen(name);
    bool slash = dn > 0 && dir[dn - 1] != '/';
    char *p = malloc(dn + slash + nn + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dn);
    if (slash)
        p[dn] = '/';
    memcpy(p + dn + slash, name, nn + 1);
    return p;
}

/*
 * Collect the playbook files below dir.  Each directory is read whole and
 * closed before descending, so the walk holds one descriptor whatever the depth.
 */
static void walk_dir(walker *w, const char *dir, const struct stat *dst, unsigned depth)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == dst->st_dev && w->seen[i].ino == dst->st_ino)
            return;
    if (!cb__grow((void **)&w->seen, &w->capseen, w->nseen + 1, sizeof *w->seen)) {
        w->nomem = true;
        return;
    }
    w->seen[w->nseen++] = (devino){dst->st_dev, dst->st_ino};
    if (depth > MAX_DIR_DEPTH) {
        if (cb_diags_add(w->diags, dir, 0, 0, "directories nested more than %d deep: skipped", MAX_DIR_DEPTH))
            w->nomem = true;
        return;
    }

    DIR *d = opendir(dir);
    if (!d) {
        if (cb_diags_add(w->diags, dir, 0, 0, "cannot open directory: %s", strerror(errno)))
            w->nomem = true;
        return;
    }
    char **subdirs = NULL;
    size_t nsub = 0, capsub = 0;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno && cb_diags_add(w->diags, dir, 0, 0, "cannot read directory: %s", strerror(errno)))
                w->nomem = true;
            break;
        }
        if (de->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .git */
        char *path = join(dir, de->d_name);
        struct stat st;
        if (!path) {
            w->nomem = true;
            break;
        }
        if (stat(path, &st) != 0) {
            if (cb_diags_add(w->diags, path, 0, 0, "cannot open: %s", strerror(errno)))
                w->nomem = true;
            free(path);
        } else if (S_ISDIR(st.st_mode)) {
            if (cb__grow((void **)&subdirs, &capsub, nsub + 1, sizeof *subdirs))
                subdirs[nsub++] = path;
            else {
                free(path);
                w->nomem = true;
            }
        } else if (S_ISREG(st.st_mode) && playbook_name(de->d_name)) {
            if (cb__grow((void **)&w->files, &w->capfiles, w->nfiles + 1, sizeof *w->files))
                w->files[w->nfiles++] = path;
            else {
                free(path);
                w->nomem = true;
            }
        } else {
            free(path);
        }
        if (w->nomem)
            break;
    }
    closedir(d);
    for (size_t i = 0; i < nsub; i++) {
        struct stat st;
        if (!w->nomem && stat(subdirs[i], &st) == 0)
            walk_dir(w, subdirs[i], &st, depth + 1);
        free(subdirs[i]);
    }
    free(subdirs);
}

cb_status cb_library_add_path(cb_library *lib, const char *path, cb_diags *diags)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cb_status st_err = errno == ENOENT || errno == ENOTDIR ? CB_ENOTFOUND : CB_EIO;
        if (cb_diags_add(diags, path, 0, 0, "cannot open: %s", strerror(errno)))
            return CB_ENOMEM;
        return st_err;
    }
    if (!S_ISDIR(st.st_mode))
        return add_file(lib, path, &st, diags);

    cb_status res = CB_ENOMEM;
    walker w = {.diags = diags};
    walk_dir(&w, path, &st, 0);
    if (w.nomem)
        goto out;
    qsort(w.files, w.nfiles, sizeof *w.files, str_cmp);
    for (size_t i = 0; i < w.nfiles; i++) {
        struct stat fst;
        if (stat(w.files[i], &fst) != 0) {
            if (cb_diags_add(diags, w.files[i], 0, 0, "cannot open: %s", strerror(errno)))
                goto out;
            continue;
        }
        if (add_file(lib, w.files[i], &fst, diags) == CB_ENOMEM)
            goto out;
    }
    res = CB_OK;
out:
    for (size_t i = 0; i < w.nfiles; i++)
        free(w.files[i]);
    free(w.files);
    free(w.seen);
    return res;
}

/* ---- lint, lookups ---- */

cb_status cb_library_lint(const cb_library *lib, cb_regex_check_fn check, void *ctx, cb_diags *diags)
{
    for (size_t i = 0; i < lib->n; i++)
        if (cb_playbook_lint(lib->playbooks[i], check, ctx, diags))
            return CB_ENOMEM;
    return CB_OK;
}

const cb_playbook *cb_library_find(const cb_library *lib, const char *id)
{
    for (size_t i = 0; i < lib->n; i++)
        if (!strcmp(lib->playbooks[i]->id.s, id))
            return lib->playbooks[i];
    return NULL;
}

size_t cb_library_signature_count(const cb_library *lib)
{
    size_t n = 0;
    for (size_t i = 0; i < lib->n; i++)
        n += lib->playbooks[i]->nsignatures;
    return n;
}
