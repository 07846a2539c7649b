/*
 * killvfs.h — a process that dies with SIGKILL at an exact point of its disk
 * writes, for the crash tests of the store.  killvfs_install() makes a shim
 * over SQLite's default VFS the default: every write, sync and truncate of
 * every file SQLite uses (the database, its WAL, a rollback journal) is an
 * event, counted while killvfs_arm() is in force.  Armed with kill_at k >= 1,
 * the process sends itself SIGKILL just before event k, so events 1..k-1
 * reached the kernel and event k did not: exactly what a kill, or a crash of
 * the process, at that point leaves.  Armed with 0 it only counts
 * (killvfs_events), which tells a test how many points an operation has,
 * and where its commits are: killvfs_commit_event() is the event that wrote
 * the header of the last WAL frame marked as a commit (the WAL format's frame
 * header is 24 bytes, its bytes 4-7 the database size after a commit, 0 for
 * other frames), so a test can kill on either side of a commit.
 * Use it in a forked child: the shim is process-wide.
 */
#ifndef CB_TEST_KILLVFS_H
#define CB_TEST_KILLVFS_H

#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

typedef struct killvfs_file {
    sqlite3_file base;
    sqlite3_file *real; /* right after this struct, in the space szOsFile gives */
    bool wal;           /* a write-ahead log */
} killvfs_file;

static sqlite3_vfs *killvfs_real;
static sqlite3_vfs killvfs_vfs;
static bool killvfs_armed;
static long killvfs_kill_at, killvfs_count, killvfs_commit, killvfs_ncommits;

static long killvfs_events(void)
{
    return killvfs_count;
}

/* The event that wrote the last commit frame's header since killvfs_arm (0: none), and how many there were. */
static long killvfs_commit_event(long *ncommits)
{
    *ncommits = killvfs_ncommits;
    return killvfs_commit;
}

static void killvfs_arm(long kill_at)
{
    killvfs_count = killvfs_commit = killvfs_ncommits = 0;
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
    if (++killvfs_count == killvfs_kill_at)
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
    const unsigned char *b = p;
    if (killvfs_armed && ((killvfs_file *)f)->wal && n == 24 && (b[4] | b[5] | b[6] | b[7])) {
        killvfs_commit = killvfs_count;
        killvfs_ncommits++;
    }
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
    3,           kv_close,         kv_read,         kv_write,       kv_truncate,  kv_sync,  kv_file_size,
    kv_lock,     kv_unlock,        kv_check_reserved, kv_file_control, kv_sector_size, kv_device, kv_shm_map,
    kv_shm_lock, kv_shm_barrier,   kv_shm_unmap,    kv_fetch,       kv_unfetch,
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

#endif
