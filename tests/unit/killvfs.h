/*
 * killvfs.h — a process that dies with SIGKILL at an exact point of its disk
 * writes, for the crash tests of the store.  killvfs_install() makes a shim
 * over SQLite's default VFS the default: every write, sync and truncate of
 * every file SQLite uses (the database, its WAL, a rollback journal) is an
 * event, counted while killvfs_arm() is in force.  Armed with kill_at k >= 1,
 * the process sends itself SIGKILL just before event k, so events 1..k-1
 * reached the kernel and event k did not: exactly what a kill, or a crash of
 * the process, at that point leaves.  Armed with 0 it only counts
 * (killvfs_seen.events), which tells a test how many points an operation
 * has, and where its commits are.  A WAL frame is a 24-byte header (bytes 4-7:
 * the database size after a commit, 0 for other frames) and a page, written
 * as two writes; a transaction is committed once its commit frame is whole
 * with a valid checksum chain.  For each commit the shim records the event
 * that first wrote the commit frame's header (commit[]) and the last event
 * the frame needs (whole[]): its page, or, when SQLite overwrote frames of the
 * transaction in place (a page spilled twice), the rewrite of the commit
 * frame's header that ends walRewriteChecksums.  Killed before event e, a
 * transaction is there exactly when e > whole[i].
 * Use it in a forked child: the shim is process-wide.  killvfs_dry_run
 * runs such a child with the shim counting and returns what it reported
 * with killvfs_report (include cmocka.h first: it asserts).
 */
#ifndef CB_TEST_KILLVFS_H
#define CB_TEST_KILLVFS_H

#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct killvfs_file {
    sqlite3_file base;
    sqlite3_file *real; /* right after this struct, in the space szOsFile gives */
    bool wal;           /* a write-ahead log */
} killvfs_file;

static sqlite3_vfs *killvfs_real;
static sqlite3_vfs killvfs_vfs;
static bool killvfs_armed;
static long killvfs_kill_at;

enum { KILLVFS_MAX_COMMITS = 16 };

/* What the shim saw since killvfs_arm. */
typedef struct killvfs_counts {
    long events;                      /* writes, syncs and truncations */
    long ncommits;                    /* transactions committed in the WAL */
    long commit[KILLVFS_MAX_COMMITS]; /* the event that first wrote each one's commit frame header (the first
                                         16) */
    long whole[KILLVFS_MAX_COMMITS];  /* the last event that frame needs: killed after it, the commit is there
                                       */
} killvfs_counts;
static killvfs_counts killvfs_seen;
static sqlite3_int64 killvfs_commit_off = -1; /* where the last commit frame is in the WAL (-1: none) */

/* A write to the WAL: follow the commit frames. */
static void killvfs_wal_write(const unsigned char *b, int n, sqlite3_int64 off)
{
    long i = killvfs_seen.ncommits - 1;
    if (n == 32 && off == 0) /* a new WAL header: the log restarts, frames are written from the start again */
        killvfs_commit_off = -1;
    else if (n == 24 && off == killvfs_commit_off && i >= 0 && i < KILLVFS_MAX_COMMITS)
        killvfs_seen.whole[i] = killvfs_seen.events; /* the commit frame's header rewritten: checksums */
    else if (n == 24 && (b[4] | b[5] | b[6] | b[7])) {
        i++;
        if (i < KILLVFS_MAX_COMMITS)
            killvfs_seen.commit[i] = killvfs_seen.whole[i] = killvfs_seen.events;
        killvfs_seen.ncommits++;
        killvfs_commit_off = off;
    } else if (off == killvfs_commit_off + 24 && i >= 0 && i < KILLVFS_MAX_COMMITS &&
               killvfs_seen.whole[i] < killvfs_seen.events)
        killvfs_seen.whole[i] = killvfs_seen.events; /* the commit frame's page */
}

static void killvfs_arm(long kill_at)
{
    memset(&killvfs_seen, 0, sizeof killvfs_seen);
    killvfs_commit_off = -1;
    killvfs_kill_at = kill_at;
    killvfs_armed = true;
}

static void killvfs_disarm(void)
{
    killvfs_armed = false;
}

static void killvfs_event(void)
{
    if (!killvfs_armed)
        return;
    if (++killvfs_seen.events == killvfs_kill_at)
        kill(getpid(), SIGKILL);
}

#define KV_REAL(f) (((killvfs_file *)(f))->real)

static int kv_close(sqlite3_file *f)
{
    return KV_REAL(f)->pMethods->xClose(KV_REAL(f));
}
static int kv_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return KV_REAL(f)->pMethods->xRead(KV_REAL(f), p, n, off);
}
static int kv_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    killvfs_event();
    if (killvfs_armed && ((killvfs_file *)f)->wal)
        killvfs_wal_write(p, n, off);
    return KV_REAL(f)->pMethods->xWrite(KV_REAL(f), p, n, off);
}
static int kv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    killvfs_event();
    return KV_REAL(f)->pMethods->xTruncate(KV_REAL(f), size);
}
static int kv_sync(sqlite3_file *f, int flags)
{
    killvfs_event();
    return KV_REAL(f)->pMethods->xSync(KV_REAL(f), flags);
}
static int kv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return KV_REAL(f)->pMethods->xFileSize(KV_REAL(f), size);
}
static int kv_lock(sqlite3_file *f, int l)
{
    return KV_REAL(f)->pMethods->xLock(KV_REAL(f), l);
}
static int kv_unlock(sqlite3_file *f, int l)
{
    return KV_REAL(f)->pMethods->xUnlock(KV_REAL(f), l);
}
static int kv_check_reserved(sqlite3_file *f, int *out)
{
    return KV_REAL(f)->pMethods->xCheckReservedLock(KV_REAL(f), out);
}
static int kv_file_control(sqlite3_file *f, int op, void *arg)
{
    return KV_REAL(f)->pMethods->xFileControl(KV_REAL(f), op, arg);
}
static int kv_sector_size(sqlite3_file *f)
{
    return KV_REAL(f)->pMethods->xSectorSize(KV_REAL(f));
}
static int kv_device(sqlite3_file *f)
{
    return KV_REAL(f)->pMethods->xDeviceCharacteristics(KV_REAL(f));
}
static int kv_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
    return KV_REAL(f)->pMethods->xShmMap(KV_REAL(f), region, size, extend, p);
}
static int kv_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return KV_REAL(f)->pMethods->xShmLock(KV_REAL(f), offset, n, flags);
}
static void kv_shm_barrier(sqlite3_file *f)
{
    KV_REAL(f)->pMethods->xShmBarrier(KV_REAL(f));
}
static int kv_shm_unmap(sqlite3_file *f, int del)
{
    return KV_REAL(f)->pMethods->xShmUnmap(KV_REAL(f), del);
}
static int kv_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    return KV_REAL(f)->pMethods->xFetch(KV_REAL(f), off, n, p);
}
static int kv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return KV_REAL(f)->pMethods->xUnfetch(KV_REAL(f), off, p);
}

static const sqlite3_io_methods killvfs_io = {
    3,           kv_close,       kv_read,           kv_write,        kv_truncate,    kv_sync,   kv_file_size,
    kv_lock,     kv_unlock,      kv_check_reserved, kv_file_control, kv_sector_size, kv_device, kv_shm_map,
    kv_shm_lock, kv_shm_barrier, kv_shm_unmap,      kv_fetch,        kv_unfetch,
};

static int kv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    killvfs_file *k = (killvfs_file *)f;
    k->real = (sqlite3_file *)(k + 1);
    k->wal = (flags & SQLITE_OPEN_WAL) != 0;
    memset(k->real, 0, (size_t)killvfs_real->szOsFile);
    int rc = killvfs_real->xOpen(killvfs_real, name, k->real, flags, out_flags);
    /* The unix VFS's files are version 3; a file the real VFS did not open has no methods to call. */
    f->pMethods = k->real->pMethods ? &killvfs_io : NULL;
    return rc;
}

/* Make the shim SQLite's default VFS (in this process).  Returns false when SQLite has no default VFS. */
static bool killvfs_install(void)
{
    killvfs_real = sqlite3_vfs_find(NULL);
    if (!killvfs_real || killvfs_real->iVersion < 1)
        return false;
    killvfs_vfs = *killvfs_real;
    killvfs_vfs.zName = "cb-killvfs";
    killvfs_vfs.szOsFile = (int)sizeof(killvfs_file) + killvfs_real->szOsFile;
    killvfs_vfs.xOpen = kv_open;
    killvfs_vfs.pNext = NULL;
    return sqlite3_vfs_register(&killvfs_vfs, 1) == SQLITE_OK;
}

/* In the child, once the operation is done: send the counts to the parent (fd < 0: nobody asked). */
static void killvfs_report(int fd)
{
    if (fd >= 0 && write(fd, &killvfs_seen, sizeof killvfs_seen) != (ssize_t)sizeof killvfs_seen)
        _exit(33);
}

/*
 * Fork a child running child(path, 0, fd), which is to arm the shim with 0, do its operation, call
 * killvfs_report(fd) and exit 0; return what it counted.
 */
typedef void (*killvfs_child)(const char *path, long kill_at, int fd);
static killvfs_counts killvfs_dry_run(killvfs_child child, const char *path)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child(path, 0, fds[1]);
        _exit(34);
    }
    close(fds[1]);
    killvfs_counts c;
    assert_int_equal(read(fds[0], &c, sizeof c), (ssize_t)sizeof c);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return c;
}

#endif
