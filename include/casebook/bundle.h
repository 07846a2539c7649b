/*
 * bundle.h — read a customer's log bundle, file by file and line by line.
 *
 * A bundle is a directory, an archive (zip, tar, tar.gz/.tgz, tar.bz2,
 * tar.xz, tar.zst, 7z) or a single (possibly compressed) file.  Archives
 * nested inside it (a .zip in a .zip, a .log.gz in a tar) are opened in place,
 * to a configurable depth; a nested member appears under a folder named after
 * its archive: "logs.zip/Backup/Job.Daily.log".  Nothing is extracted to disk.
 *
 * Everything read is treated as hostile.  Problems with one member — a
 * corrupt stream, a decompression bomb, a name with ".." — become warnings
 * naming the member, and the rest of the bundle is still read.  Only failing
 * to open the bundle itself is an error.
 *
 * Usage:
 *
 *     cb_bundle *b;
 *     if (cb_bundle_open(path, NULL, &b, &err)) ... error
 *     const cb_file *f;
 *     while ((rc = cb_bundle_next(b, &f, &err)) > 0) {
 *         cb_chunk c;
 *         while ((rc = cb_bundle_read(b, &c, &err)) > 0)
 *             ... c.data holds c.nlines whole lines, each ending in '\n'
 *         // f->lines, f->bytes, f->first_ms, f->last_ms are final here
 *     }
 *     for (i = 0; i < cb_bundle_warning_count(b); i++) ...
 *     cb_bundle_close(b);
 *
 * A cb_bundle is not thread-safe; use one per thread.
 */
#ifndef CASEBOOK_BUNDLE_H
#define CASEBOOK_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"
#include "casebook/timefmt.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_bundle cb_bundle;

typedef enum cb_encoding {
    CB_ENC_UTF8 = 0, /* UTF-8 (or ASCII) without BOM */
    CB_ENC_UTF8_BOM, /* UTF-8 with a byte-order mark (stripped) */
    CB_ENC_UTF16LE,  /* converted to UTF-8 while reading */
    CB_ENC_UTF16BE,  /* converted to UTF-8 while reading */
    CB_ENC_8BIT,     /* text, but not valid UTF-8 (Latin-1, cp1252...): passed through as is */
    CB_ENC_BINARY,   /* not text: listed, never read as lines */
} cb_encoding;

typedef enum cb_eol {
    CB_EOL_NONE = 0, /* no line end seen in the first bytes */
    CB_EOL_LF,
    CB_EOL_CRLF,
    CB_EOL_CR,
} cb_eol;

/*
 * Limits that keep a hostile bundle from exhausting the machine.  Defaults
 * in parentheses; cb_bundle_open refuses (CB_EINVAL) a value outside the
 * documented range.
 */
typedef struct cb_bundle_limits {
    uint64_t max_ratio;   /* refuse a member expanding more than this many times its stored size (1000);
                             1 to CB_BUNDLE_MAX_RATIO.  Also bounds the whole bundle: everything all
                             archives expand to, at every level, stops at max(ratio_floor, max_ratio x
                             the bytes of the outermost archive files) */
    uint64_t ratio_floor; /* ...once it has expanded past this many bytes (16 MiB); also the smallest bound of the whole */
    uint64_t max_total;   /* stop after this many uncompressed bytes read from archives (64 GiB); >= 1 */
    uint64_t max_cpu_ms;  /* stop after this much CPU time spent in archive readers and decompressors, per
                             bundle (600000 = 10 min); 1 to CB_BUNDLE_MAX_CPU_MS */
    unsigned max_depth;   /* archives nested deeper than this are listed, not opened (4); 0 to 14 */
    size_t max_line;      /* longer lines are delivered truncated to this many bytes (1 MiB);
                             64 to CB_BUNDLE_MAX_LINE */
    size_t max_warnings;  /* warnings kept; later ones are only counted (10000); at most CB_BUNDLE_MAX_WARNINGS */
} cb_bundle_limits;

#define CB_BUNDLE_MAX_RATIO (1ULL << 40)
#define CB_BUNDLE_MAX_CPU_MS (1000ULL * 3600 * 24 * 365)
#define CB_BUNDLE_MAX_LINE ((size_t)1 << 30)
#define CB_BUNDLE_MAX_WARNINGS ((size_t)10 * 1000 * 1000)
/* Longest member name kept: longer names are cut to this many bytes (at a UTF-8 boundary), with a warning. */
#define CB_BUNDLE_MAX_NAME 4096

typedef struct cb_bundle_opts {
    cb_bundle_limits limits;
    cb_timefmt time_format; /* kind CB_TIME_NONE: detect per file (the default) */
    /*
     * Raw chunks, for a reader that hands chunks to other threads: CR LF line
     * ends are left in place and lines are not counted.  Chunks come with
     * raw set and nlines 0, and must be finished with cb_chunk_finish (on any
     * thread), which counts them; a line cut at the line limit still comes
     * finished (raw false, nlines 1).  first_line, cb_file.lines and the
     * stats' lines stay 0: the caller adds up.  Timestamps and everything
     * else work as usual.  cb_bundle_next_line refuses raw mode.
     */
    bool raw_chunks;
} cb_bundle_opts;

/* Fill opts with the defaults above. */
void cb_bundle_opts_init(cb_bundle_opts *opts);

/* How much of a file could be read: see cb_file_status_of. */
typedef enum cb_file_status {
    CB_FILE_OK = 0,     /* text, read without a problem (so far) */
    CB_FILE_EMPTY,      /* no bytes at all */
    CB_FILE_BINARY,     /* not text: listed, never read as lines */
    CB_FILE_PARTIAL,    /* text, but reading stopped early: cb_file.problem says why */
    CB_FILE_UNREADABLE, /* nothing of it could be read (encrypted, damaged, an archive not opened): see problem */
} cb_file_status;

/* One file of the bundle, as returned by cb_bundle_next.  Owned by the bundle. */
typedef struct cb_file {
    const char *path;      /* inside the bundle, '/'-separated, valid UTF-8, no control characters */
    uint64_t stored_bytes; /* bytes in its container: on disk, or in the archive (compressed for zip/7z) */
    uint64_t bytes;        /* uncompressed bytes read so far (the full size after cb_bundle_read hit 0) */
    int64_t mtime_ms;      /* modification time, UTC epoch ms (0 if unknown) */
    cb_encoding encoding;
    cb_eol eol;
    unsigned depth;        /* number of archives this file is nested in (0 = plain file of a directory) */
    cb_timefmt time_format; /* detected or forced; kind CB_TIME_NONE when none */
    int64_t utc_offset_ms;  /* local time minus UTC declared by the file (a Veeam header)... */
    bool has_utc_offset;    /* ...when this is true; its zone-less times were converted to UTC with it */
    /* Known once cb_bundle_read has returned 0 for this file: */
    uint64_t lines;        /* number of lines (a final line without '\n' counts) */
    uint64_t truncated;    /* number of lines longer than the line limit */
    int64_t first_ms;      /* first / last line timestamp, UTC epoch ms ... */
    int64_t last_ms;
    bool has_time;         /* ... valid only when this is true */
    bool incomplete;       /* reading stopped early (corrupt, refused, budget): see the warnings */
    const char *problem;   /* the first warning about this file since it was selected (why it is incomplete
                              or not opened), or NULL; valid until the next cb_bundle_next */
} cb_file;

/*
 * What a file's fields say about how much of it was read (final once
 * cb_bundle_read returned 0 for it; for a file never read, from its first
 * bytes).  cb_file_status_name gives "ok", "empty", "binary", "partial",
 * "unreadable".
 */
cb_file_status cb_file_status_of(const cb_file *f);
const char *cb_file_status_name(cb_file_status st);

/*
 * Whole lines of the current file.  data[0..len) holds nlines lines, each
 * terminated by a single '\n': CRLF and CR line ends are converted to LF,
 * UTF-16 is converted to UTF-8, a missing final newline is supplied.  Other
 * bytes (including invalid UTF-8 and NUL) are passed through.  Valid until
 * the next call on the bundle.
 */
typedef struct cb_chunk {
    const char *data;
    size_t len;
    uint64_t first_line; /* 1-based number of the first line in data */
    uint64_t nlines;
    bool truncated;      /* data is one line, cut at the line limit (at a UTF-8 boundary) */
    /* For parsing timestamps of lines in data independently of the bundle (e.g. on another thread): */
    cb_timectx tctx;     /* the file's timestamp context as it was before this chunk */
    int64_t time_before_ms; /* the last timestamp of the file before this chunk... */
    bool has_time_before;   /* ...valid when true; continuation lines at the chunk's start inherit it */
    bool raw;               /* read with raw_chunks and still to be finished with cb_chunk_finish */
    cb_eol eol;             /* the file's line ends, for cb_chunk_finish */
} cb_chunk;

/*
 * Finish a raw chunk (chunk.raw) in place: drop the CR of every CR LF in
 * data[0..*len) unless eol is CB_EOL_CR (those files' CRs were converted on
 * reading), update *len, and return the number of lines.  Chunks that are
 * not raw are finished already (their nlines is right).
 */
uint64_t cb_chunk_finish(char *data, size_t *len, cb_eol eol);

/* One line, from cb_bundle_next_line. */
typedef struct cb_line {
    const char *text; /* not NUL-terminated, no line end */
    size_t len;
    uint64_t no;      /* 1-based line number in its file */
    int64_t time_ms;  /* the line's timestamp, or the last one before it in the file */
    bool has_time;    /* false when no line so far in this file had a timestamp */
    bool truncated;
} cb_line;

/*
 * Open a bundle: a directory, an archive or a single file at `path`.  opts may
 * be NULL for the defaults.  On success *out owns the bundle (free it with
 * cb_bundle_close).  Fails with CB_ENOTFOUND / CB_EIO when path cannot be
 * opened, CB_EUNSUPPORTED for a special file, CB_EINVAL (naming the limit)
 * for a limit outside its range (see cb_bundle_limits).
 */
cb_status cb_bundle_open(const char *path, const cb_bundle_opts *opts, cb_bundle **out, cb_error *err);

/*
 * Advance to the next file (directory order is sorted by name; archives keep
 * their member order).  Returns 1 and sets *file, 0 when the bundle is
 * exhausted, or a negative cb_status on a failure that stops the whole
 * bundle (out of memory).  Binary files are returned too (encoding
 * CB_ENC_BINARY) so they can be listed; cb_bundle_read returns 0 for them.
 * The unread rest of the previous file is skipped.
 */
int cb_bundle_next(cb_bundle *b, const cb_file **file, cb_error *err);

/*
 * Read the next chunk of whole lines of the current file.  Returns 1 with
 * *chunk set, 0 at the end of the file (then the cb_file's totals are final),
 * or a negative cb_status when the whole bundle must stop.  A damaged member
 * is not an error here: it ends early with a warning and `incomplete` set.
 */
int cb_bundle_read(cb_bundle *b, cb_chunk *chunk, cb_error *err);

/*
 * Zero-copy reading: instead of copying the chunk cb_bundle_read just
 * returned, take the buffer that holds it.  *buf must be a buffer from
 * malloc of *cap >= cb_bundle_buffer_size(b) bytes; the bundle keeps it for
 * its next reads, and returns in *buf and *cap its own buffer, which holds
 * the chunk's data at its start followed by at least CB_CHUNK_PAD writable
 * bytes.  The caller owns (and frees) what it receives; the chunk's data
 * pointer now points into it.  Returns false, changing nothing, when there
 * is no chunk to take (then copy c.data instead) or *cap is too small.
 */
enum { CB_CHUNK_PAD = 64 };
size_t cb_bundle_buffer_size(const cb_bundle *b);
bool cb_bundle_take_chunk(cb_bundle *b, char **buf, size_t *cap);

/*
 * Line-by-line reading on top of cb_bundle_read, with timestamps parsed and
 * inherited by continuation lines.  Returns 1, 0 at end of file, or < 0.
 */
int cb_bundle_next_line(cb_bundle *b, cb_line *line, cb_error *err);

/* A problem with one member, in the order met.  Owned by the bundle. */
typedef struct cb_warning {
    const char *path;    /* display path of the member, or the bundle's own name for the bundle itself */
    const char *message; /* lowercase, no full stop */
    bool notice;         /* informational (an empty file or archive), not a problem with the bundle */
} cb_warning;

size_t cb_bundle_warning_count(const cb_bundle *b);
const cb_warning *cb_bundle_warning_at(const cb_bundle *b, size_t i);
/* Warnings beyond limits.max_warnings that were counted but not kept. */
uint64_t cb_bundle_warnings_dropped(const cb_bundle *b);

/* Totals over everything read so far. */
typedef struct cb_bundle_stats {
    uint64_t files;        /* files returned by cb_bundle_next (binary included) */
    uint64_t bytes;        /* uncompressed bytes of those files */
    uint64_t lines;
    uint64_t stored_bytes; /* bytes read from disk */
} cb_bundle_stats;

void cb_bundle_get_stats(const cb_bundle *b, cb_bundle_stats *stats);

/* Name of an encoding ("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "8bit", "binary") / line end ("lf"...). */
const char *cb_encoding_name(cb_encoding enc);
const char *cb_eol_name(cb_eol eol);

/* Free everything.  Accepts NULL. */
void cb_bundle_close(cb_bundle *b);

/*
 * The name a bundle is shown by: the last component of `path`, without
 * trailing slashes, with control characters and invalid UTF-8 escaped.
 * Returns a string the caller frees with free(), or NULL when out of memory.
 */
char *cb_bundle_name(const char *path);

/*
 * A fingerprint of the bundle at `path`, as 64 lowercase hex digits plus NUL:
 * SHA-256 over, for a file, its size and its first and last MiB; for a
 * directory, every regular file below it (symbolic links are not followed)
 * in byte order of relative path, each by path, size and its first and last
 * 64 KiB (past 100,000 files, by path and size only).  Its cost does not grow
 * with the bundle's size, and it tells another bundle, or one changed in size
 * or at either end of a file, from the one fingerprinted: a saved walk checks
 * it before it trusts the bundle it names.  Returns CB_OK, CB_ENOTFOUND,
 * CB_EIO (err names the path), CB_ENOMEM.
 */
cb_status cb_bundle_fingerprint(const char *path, char out[65], cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
