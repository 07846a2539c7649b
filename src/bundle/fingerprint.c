/*
 * fingerprint.c — which bundle is this? (cb_bundle_fingerprint, bundle.h)
 *
 * A walk transcript names the bundle its checks were answered from; resuming
 * it must not scan whatever a changed or tampered transcript names.  Hashing
 * every byte of a many-GB bundle would cost a scan, so the fingerprint hashes
 * each file's size and both ends: another bundle, a file added, removed,
 * renamed, grown or cut all change it, for a few MiB of reading at most.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/bundle.h"
#include "core/internal.h"

enum {
    FILE_END = 1 << 20,    /* a bundle file: its first and last MiB */
    MEMBER_END = 64 << 10, /* a file of a directory: its first and last 64 KiB */
    MAX_FILES = 100000,    /* past this many files, names and sizes only */
    MAX_DEPTH = 64,
};

/* Hash size, then the first and last `end` bytes of the open file fd. */
static cb_status hash_ends(cb__sha256_ctx *c, int fd, uint64_t size, size_t end, char *buf)
{
    unsigned char sz[8];
    for (unsigned i = 0; i < 8; i++)
        sz[i] = (unsigned char)(size >> (56 - 8 * i));
    cb__sha256_update(c, sz, sizeof sz);
    uint64_t offs[2] = {0, size > end ? size - end : 0};
    for (unsigned k = 0; k < (size > end ? 2u : 1u); k++) {
        size_t want = (size_t)CB_MIN((uint64_t)end, size), got = 0;
        while (got < want) {
            ssize_t n = pread(fd, buf + got, want - got, (off_t)(offs[k] + got));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return CB_EIO;
            if (n == 0)
                break;
            got += (size_t)n;
        }
        cb__sha256_update(c, buf, got);
    }
    return CB_OK;
}

typedef struct entry {
    char *rel;
    uint64_t size;
} entry;

typedef struct lister {
    entry *v;
    size_t n, cap;
    bool nomem;
} lister;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

/* Every regular file below root/rel (rel "" at the top), not following links. */
static void list(lister *L, const char *root, const char *rel, unsigned depth)
{
    if (depth > MAX_DEPTH || L->nomem)
        return;
    size_t need = strlen(root) + strlen(rel) + 2;
    char *dir = malloc(need);
    if (!dir) {
        L->nomem = true;
        return;
    }
    snprintf(dir, need, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) && !L->nomem) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        size_t rn = strlen(rel) + strlen(de->d_name) + 2;
        char *r = malloc(rn);
        if (!r) {
            L->nomem = true;
            break;
        }
        snprintf(r, rn, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        size_t pn = strlen(root) + rn + 1;
        char *full = malloc(pn);
        struct stat st;
        if (!full) {
            free(r);
            L->nomem = true;
            break;
        }
        snprintf(full, pn, "%s/%s", root, r);
        bool keep = false;
        if (lstat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                list(L, root, r, depth + 1);
            } else if (S_ISREG(st.st_mode)) {
                if (cb__grow((void **)&L->v, &L->cap, L->n + 1, sizeof *L->v)) {
                    L->v[L->n++] = (entry){r, (uint64_t)st.st_size};
                    keep = true;
                } else {
                    L->nomem = true;
                }
            }
        }
        free(full);
        if (!keep)
            free(r);
    }
    closedir(d);
}

cb_status cb_bundle_fingerprint(const char *path, char out[65], cb_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cb_error_set(err, errno == ENOENT || errno == ENOTDIR ? CB_ENOTFOUND : CB_EIO, "%s: %s", path,
                            strerror(errno));
    char *buf = malloc(FILE_END);
    if (!buf)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb__sha256_ctx c;
    cb__sha256_init(&c);
    cb_status rc = CB_OK;
    if (S_ISREG(st.st_mode)) {
        cb__sha256_update(&c, "file", 5);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || hash_ends(&c, fd, (uint64_t)st.st_size, FILE_END, buf))
            rc = cb_error_set(err, CB_EIO, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else if (S_ISDIR(st.st_mode)) {
        cb__sha256_update(&c, "dir", 4);
        lister L = {0};
        list(&L, path, "", 0);
        if (L.nomem) {
            rc = cb_error_set(err, CB_ENOMEM, "out of memory");
        } else {
            qsort(L.v, L.n, sizeof *L.v, entry_cmp);
            for (size_t i = 0; i < L.n && !rc; i++) {
                cb__sha256_update(&c, L.v[i].rel, strlen(L.v[i].rel) + 1);
                if (i >= MAX_FILES) {
                    unsigned char sz[8];
                    for (unsigned b = 0; b < 8; b++)
                        sz[b] = (unsigned char)(L.v[i].size >> (56 - 8 * b));
                    cb__sha256_update(&c, sz, sizeof sz);
                    continue;
                }
                size_t pn = strlen(path) + strlen(L.v[i].rel) + 2;
                char *full = malloc(pn);
                if (!full) {
                    rc = cb_error_set(err, CB_ENOMEM, "out of memory");
                    break;
                }
                snprintf(full, pn, "%s/%s", path, L.v[i].rel);
                int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
                /* A file that cannot be read counts by its name and size alone, as the scan would skip it. */
                uint64_t size = L.v[i].size;
                if (fd < 0 || hash_ends(&c, fd, size, MEMBER_END, buf)) {
                    unsigned char sz[8];
                    for (unsigned b = 0; b < 8; b++)
                        sz[b] = (unsigned char)(size >> (56 - 8 * b));
                    cb__sha256_update(&c, sz, sizeof sz);
                }
                if (fd >= 0)
                    close(fd);
                free(full);
            }
        }
        for (size_t i = 0; i < L.n; i++)
            free(L.v[i].rel);
        free(L.v);
    } else {
        rc = cb_error_set(err, CB_EIO, "%s: not a file or a directory", path);
    }
    if (!rc) {
        unsigned char d[32];
        cb__sha256_final(&c, d);
        cb__hex(d, out);
    }
    free(buf);
    return rc;
}
