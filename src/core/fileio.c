/*
 * fileio.c — bounded reads and atomic, link-safe writes (fileio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "casebook/fileio.h"
#include "core/internal.h"

static cb_status write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return CB_EIO;
        p += k;
        n -= (size_t)k;
    }
    return CB_OK;
}

cb_status cb_file_write_atomic(const char *path, const void *data, size_t len, cb_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    /* A name nobody else can have chosen: pid, time and a counter, retried on a clash. */
    static unsigned counter;
    int fd = -1;
    for (unsigned tries = 0; fd < 0 && tries < 100; tries++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(tmp, n + 32, "%s.%ld.%lx.tmp", path, (long)getpid(),
                 (unsigned long)(ts.tv_nsec ^ (long)__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED) << 20));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return cb_error_set(err, CB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    cb_status st = write_all(fd, data, len);
    int e = errno;
    if (!st && fsync(fd) != 0) {
        st = CB_EIO;
        e = errno;
    }
    if (close(fd) != 0 && !st) {
        st = CB_EIO;
        e = errno;
    }
    if (!st && rename(tmp, path) != 0) {
        st = CB_EIO;
        e = errno;
    }
    if (st) {
        unlink(tmp);
        cb_error_set(err, CB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    free(tmp);
    return st;
}

cb_status cb_file_read(const char *path, size_t max, char **out, size_t *len, cb_error *err)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return cb_error_set(err, errno == ENOENT || errno == ENOTDIR ? CB_ENOTFOUND : CB_EIO, "%s: %s", path,
                            strerror(errno));
    struct stat st;
    cb_status rc = CB_OK;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = cb_error_set(err, CB_EIO, "%s: %s", path, S_ISREG(st.st_mode) ? strerror(errno) : "not a regular file");
        goto out;
    }
    if ((uint64_t)st.st_size > max) {
        char a[32], b[32];
        rc = cb_error_set(err, CB_ELIMIT, "%s: %s is more than the %s allowed", path,
                          cb__human_bytes((uint64_t)st.st_size, a, sizeof a), cb__human_bytes(max, b, sizeof b));
        goto out;
    }
    /* Read up to max + 1 bytes whatever fstat said: the file may grow meanwhile. */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    if (!(buf = malloc(cap + 1))) {
        rc = cb_error_set(err, CB_ENOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                char b[32];
                rc = cb_error_set(err, CB_ELIMIT, "%s: more than the %s allowed", path,
                                  cb__human_bytes(max, b, sizeof b));
                goto out;
            }
            size_t ncap = CB_MIN(cap * 2, max + 1);
            char *p = realloc(buf, ncap + 1);
            if (!p) {
                rc = cb_error_set(err, CB_ENOMEM, "out of memory");
                goto out;
            }
            buf = p;
            cap = ncap;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = cb_error_set(err, CB_EIO, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    if (n > max) {
        char b[32];
        rc = cb_error_set(err, CB_ELIMIT, "%s: more than the %s allowed", path, cb__human_bytes(max, b, sizeof b));
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}
