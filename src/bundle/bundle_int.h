/*
 * bundle_int.h — internals shared by the bundle reader's files:
 *   bundle.c   the file/line iteration and line assembly (the public API)
 *   dirwalk.c  recursive directory listing that never leaves the root
 *   archive.c  libarchive levels, nested archives, bomb and budget guards
 *   decode.c   text/binary/encoding/line-end sniffing, UTF-16 conversion
 *   names.c    turning hostile member names into safe display paths
 */
#ifndef CB_BUNDLE_INT_H
#define CB_BUNDLE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "casebook/buf.h"
#include "casebook/bundle.h"

struct archive;

enum { CB__SNIFF = 64 * 1024, CB__BLOCK = 64 * 1024 };

/* ---- names.c ---- */

/*
 * Normalise an archive member name for display: backslashes become '/',
 * leading '/' and drive letters, '.' and empty components are dropped, '..'
 * components are dropped, control characters and invalid UTF-8 are shown as
 * \xNN.  Appends the result to out.  Sets *flags to a mask of the
 * CB__NAME_* problems found (for warnings).
 */
enum {
    CB__NAME_ABSOLUTE = 1,
    CB__NAME_DOTDOT = 2,
    CB__NAME_CONTROL = 4,
    CB__NAME_EMPTY = 8,
};
cb_status cb__name_normalise(cb_buf *out, const char *name, size_t len, unsigned *flags);

/* Append s[0..n), read as code page 437 (legacy zip member names), converted to UTF-8. */
cb_status cb__cp437_to_utf8(cb_buf *out, const char *s, size_t n);

/* The final component of a '/'-separated path. */
const char *cb__basename(const char *path);

/*
 * If name ends in a single-file compression suffix (.gz .bz2 .xz .zst .lz4
 * .z; .tgz/.tbz2/.txz/.tzst map to .tar), return the length of the name
 * without it and store the replacement suffix ("" or ".tar") in *repl.
 * Returns 0 when there is no such suffix.
 */
size_t cb__strip_compress_suffix(const char *name, const char **repl);

/* ---- decode.c ---- */

typedef enum cb__magic {
    CB__MAGIC_NONE = 0,
    CB__MAGIC_COMPRESSED, /* gzip, bzip2, xz, zstd, lz4, lzma: may hold a tar or a single file */
    CB__MAGIC_ARCHIVE,    /* zip, tar, 7z, cpio */
} cb__magic;

/* Recognise an archive or compressed stream from its first bytes. */
cb__magic cb__sniff_magic(const unsigned char *p, size_t n);

typedef struct cb__textinfo {
    cb_encoding encoding;
    cb_eol eol;
    size_t bom; /* bytes of byte-order mark to drop */
} cb__textinfo;

/* Classify the first n bytes of a file (n may be 0). */
void cb__sniff_text(const unsigned char *p, size_t n, cb__textinfo *ti);

/* Line end style of UTF-8 text (used after UTF-16 conversion). */
cb_eol cb__sniff_eol(const char *p, size_t n);

/*
 * Incremental UTF-16 to UTF-8 conversion.  `pend` carries an odd byte and a
 * pending high surrogate between calls.  Converts in[0..n) and appends to
 * out (which must have room for 3 * (n / 2 + 2) bytes); returns bytes written.
 * At end of input call with final = true to flush a dangling half as U+FFFD.
 */
typedef struct cb__u16state {
    int have_byte;       /* 1 when `byte` holds the first half of a code unit */
    unsigned char byte;
    unsigned high;       /* pending high surrogate, 0 if none */
} cb__u16state;
size_t cb__utf16_to_utf8(cb__u16state *st, bool big_endian, const unsigned char *in, size_t n, char *out,
                         bool final);


/* ---- dirwalk.c ---- */

typedef struct cb__dirwalk cb__dirwalk;

/* Callback for problems met while walking (path relative to the root). */
typedef void (*cb__warn_fn)(void *ctx, const char *path, const char *fmt, ...);

cb_status cb__dirwalk_open(const char *root, cb__warn_fn warn, void *ctx, cb__dirwalk **out, cb_error *err);

/*
 * Next regular file, in sorted order, depth first.  Returns 1 with *rel (path
 * relative to the root, '/'-separated, display-safe), *full (a path to open)
 * and *st filled; 0 at the end; CB_ENOMEM.  Pointers stay valid until the
 * next call.
 */
int cb__dirwalk_next(cb__dirwalk *w, const char **rel, const char **full, struct stat *st);
void cb__dirwalk_close(cb__dirwalk *w);

#endif

/* ---- archive.c: one open archive in the stack of nested archives ---- */

typedef struct cb__level {
    struct archive *a;
    struct cb_bundle *b;
    struct cb__level *parent; /* nested: read from the parent's current member; NULL when reading fd */
    int fd;                   /* owned; -1 when nested */
    char *self_path;          /* display path of the archive itself (for its warnings) */
    char *prefix;             /* prepended to member names: "" or "dir/logs.zip/" */
    char *raw_name;           /* member name for single compressed files ("app.log" for "app.log.gz") */
    unsigned depth;           /* how many archives the members are nested in */
    unsigned char *pre;       /* bytes already read from the parent while sniffing */
    size_t pre_len, pre_off;
    unsigned char *block;
    uint64_t raw_in;          /* bytes handed to libarchive so far */
    bool input_failed;        /* the parent member could not be read: it has been warned about */
    bool fatal;               /* libarchive cannot go on with this archive */
    bool compressed;          /* opened because of a compression magic: "raw" format allowed */
    int64_t mtime_ms;         /* the archive file's own mtime, for members that carry none */
    uint64_t members;         /* headers returned so far (regular files or not) */
    uint64_t files;           /* regular-file members seen */
    uint64_t reopened_at;     /* member index after which the archive was reopened (0 = never) */
    /* The current member. */
    const char *m_path;       /* display path (owned by the bundle) */
    uint64_t m_out;           /* uncompressed bytes produced */
    uint64_t m_in0;           /* raw_in before its header was read */
    int64_t m_pos0;           /* container position before its header */
    bool m_failed;            /* damaged or refused: stop reading it */
    bool m_raw;               /* the format is "raw" (single compressed file) */
} cb__level;

/* Open an archive from a file descriptor (taking ownership of fd, even on failure). */
cb_status cb__level_push_fd(struct cb_bundle *b, int fd, const char *self_path, const char *prefix,
                            unsigned depth, bool compressed, int64_t mtime_ms);

/* Open the parent's current member as an archive; pre[0..n) are the bytes already read from it. */
cb_status cb__level_push_nested(struct cb_bundle *b, const char *self_path, const unsigned char *pre, size_t n,
                                bool compressed, int64_t mtime_ms);

void cb__level_pop(struct cb_bundle *b);

/*
 * Next member header of the top level.  Returns 1 with *entry set, 0 at its
 * end (or when it cannot go on, after a warning), CB_ENOMEM.
 */
struct archive_entry;
int cb__level_next(struct cb_bundle *b, struct archive_entry **entry);

/*
 * Read data of L's current member, enforcing the ratio limit, and, for a
 * leaf (a file handed to the caller, not a nested archive), the total
 * budget.  Returns bytes read, 0 at its end, -1 when the member is damaged
 * or refused (warned), -2 when the whole bundle must stop (budget; warned).
 */
long cb__level_read(struct cb_bundle *b, cb__level *L, void *buf, size_t n, bool leaf);

/* ---- the bundle ---- */

enum { CB__MAX_LEVELS = 16 };

typedef enum cb__src { CB__SRC_NONE, CB__SRC_FD, CB__SRC_MEMBER } cb__src;

struct cb_bundle {
    cb_bundle_opts opts;
    char *root;
    char *root_name;     /* basename of the bundle, for its own warnings */
    cb__dirwalk *walk;   /* directory bundle */
    int root_fd;         /* single plain-file bundle, not yet returned; -1 otherwise */
    struct stat root_st;
    cb__level *levels[CB__MAX_LEVELS];
    unsigned nlevels;

    /* The current file. */
    cb_file file;
    cb_buf path;
    cb__src src;
    int fd;
    bool eof;            /* raw source exhausted */
    bool started;        /* cb_bundle_read has been called for it */
    bool done;           /* cb_bundle_read returned 0 */
    int64_t entry_size;  /* member size from the archive header, -1 if unknown */

    /* Line assembly. */
    char *lb;
    size_t lb_len, lb_cap, lb_used; /* bytes [0, lb_used) were handed out in the last chunk */
    bool skipping;       /* inside the rest of a truncated line */
    unsigned char *u16;  /* raw UTF-16 input buffer */
    cb__u16state u16st;
    uint64_t next_line;
    cb_timectx tctx;

    /* Line-by-line iteration over the current chunk. */
    cb_chunk chunk;
    size_t chunk_off;
    uint64_t chunk_next_no; /* number of the line at chunk_off */
    bool chunk_live;
    int64_t line_ms;
    bool line_has_ms;

    cb_warning *warn;
    size_t nwarn, capwarn;
    uint64_t warn_dropped;

    cb_bundle_stats stats;
    uint64_t archive_out; /* uncompressed bytes read from archive members, for the budget */
    uint64_t outer_bytes; /* size of the outermost archive files opened (the bundle's, or a directory's) */
    uint64_t expanded;    /* bytes every archive level produced, for the bound against outer_bytes */
    uint64_t cpu_ns;      /* CPU time spent inside libarchive (reading headers and data) */
    int64_t cpu_t0;       /* thread CPU clock when the outermost timed call began */
    unsigned cpu_nest;    /* timed calls in progress (nested levels call each other) */
    char problem[256];    /* the current file's first warning since begin_file (cb_file.problem) */
    bool problem_armed;   /* warnings about the current file are recorded in problem */
    bool stopped;
};

/*
 * CPU accounting of the calls into libarchive: cb__cpu_enter before,
 * cb__cpu_leave after (nesting counted once).  cb__cpu_leave returns false,
 * after stopping the bundle with a warning naming `path`, once the bundle's
 * CPU budget is used up.
 */
void cb__cpu_enter(struct cb_bundle *b);
bool cb__cpu_leave(struct cb_bundle *b, const char *path);

/* Record a warning about `path` (copied).  Out of memory drops it silently (counted). */
void cb__warn(struct cb_bundle *b, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cb__vwarn(struct cb_bundle *b, const char *path, const char *fmt, va_list ap);
/* The same for something worth knowing that is not a problem (cb_warning.notice). */
void cb__notice(struct cb_bundle *b, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
