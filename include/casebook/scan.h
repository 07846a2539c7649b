/*
 * scan.h — find the lines of a bundle that match any of many patterns, in one
 * pass, on all cores.
 *
 * Every pattern is compiled once into a scanner.  Patterns with a usable
 * required literal are searched with Hyperscan's literal mode and only the
 * lines where a literal occurs are confirmed with the full pattern (PCRE2,
 * JIT); the others go into one Hyperscan regex database.  Either way a
 * bundle is read once whatever the number of patterns, files are scanned in
 * parallel, and line numbers and timestamps are computed only for matching
 * lines.  A hit is a line: a line counts once per pattern however often the
 * pattern occurs in it.
 */
#ifndef CASEBOOK_SCAN_H
#define CASEBOOK_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/bundle.h"
#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_scanner cb_scanner;

/* One pattern to compile.  Strings are copied by cb_scanner_new. */
typedef struct cb_pattern {
    const char *id;            /* reported in results and errors */
    const char *regex;         /* PCRE syntax that Hyperscan accepts */
    bool caseless;
    const char *const *globs;  /* files (paths inside the bundle) it applies to; NULL/0 = every text file */
    size_t nglobs;
} cb_pattern;

/*
 * Check that a regular expression can be compiled by the scanner: on failure
 * returns false and writes the engine's reason into msg.  Has the signature
 * of a playbook lint regex check (ctx unused).
 */
bool cb_regex_check(void *ctx, const char *regex, bool caseless, char *msg, size_t msgsize);

/*
 * Compile patterns.  On success *out owns the scanner (free with
 * cb_scanner_free).  Fails with CB_EINVAL and a message naming the pattern
 * and Hyperscan's or PCRE2's reason ("pattern 'x' ('a(b'): Missing close
 * parenthesis for group started at index 1"), CB_ENOMEM.
 */
cb_status cb_scanner_new(const cb_pattern *pats, size_t n, cb_scanner **out, cb_error *err);
void cb_scanner_free(cb_scanner *s);

/* How many patterns are searched through a literal prefilter (the rest run as full regexes). */
size_t cb_scanner_literal_count(const cb_scanner *s);

/* One matching line, as handed to cb_scan_opts.on_line (valid during the call only). */
typedef struct cb_scan_line {
    const char *path;       /* file inside the bundle */
    size_t file_index;      /* index into the result's files */
    uint64_t line;          /* 1-based */
    const char *text;       /* the line, without line end, not NUL-terminated */
    size_t len;
    bool truncated;
    int64_t time_ms;        /* the line's timestamp or the one before it in its file... */
    bool has_time;          /* ...when known */
    const uint32_t *patterns; /* indices of the patterns that matched the line, ascending */
    size_t npatterns;
} cb_scan_line;

typedef struct cb_scan_opts {
    cb_bundle_opts bundle;
    unsigned threads;       /* scanning threads; 0 = one per CPU */
    size_t max_evidence;    /* evidence lines kept per pattern, the first in bundle order (default 5) */
    bool captures;          /* collect named-capture values (default true) */
    bool counts_only;       /* only counts are wanted (grep -c/-l): no line numbers, timestamps, evidence,
                               captures or time window; the fastest mode */
    bool all_files;         /* apply every pattern to every text file, whatever its globs say */
    bool since_set, until_set;
    int64_t since_ms, until_ms; /* count only lines with a timestamp in [since, until]; lines whose
                                   time is unknown are counted too */
    /* Called for every matching line, in bundle order (file by file, line by line), on the calling thread. */
    void (*on_line)(void *ctx, const cb_scan_line *line);
    void *on_line_ctx;
    /* Called between chunks on the calling thread, for progress lines: bytes read so far. */
    void (*on_progress)(void *ctx, uint64_t files, uint64_t bytes);
    void *on_progress_ctx;
} cb_scan_opts;

void cb_scan_opts_init(cb_scan_opts *opts);

typedef struct cb_evidence {
    size_t file_index;
    uint64_t line;
    int64_t time_ms;
    bool has_time;
    char *text;             /* the line (NUL-terminated copy; untrusted bytes) */
    bool truncated;
} cb_evidence;

typedef struct cb_capture_value {
    char *value;
    uint64_t count;
} cb_capture_value;

/* The values one named group took, most frequent first (ties: the value seen first). */
typedef struct cb_capture {
    char *name;
    cb_capture_value *values;
    size_t nvalues;
    bool values_dropped;    /* more distinct values than were kept (1000) */
} cb_capture;

typedef struct cb_pattern_result {
    uint64_t count;         /* matching lines (inside the time window when one is set) */
    int64_t first_ms, last_ms;
    bool has_time;          /* first/last valid */
    cb_evidence *evidence;  /* the first max_evidence matching lines in bundle order */
    size_t nevidence;
    cb_capture *captures;   /* one per named group of the pattern, in pattern order */
    size_t ncaptures;
    uint64_t files_applicable; /* text files its globs selected */
} cb_pattern_result;

typedef struct cb_scan_file {
    char *path;
    uint64_t lines, bytes;
    uint64_t matched_lines; /* lines matching at least one pattern */
    bool scanned;           /* false when no pattern applied to it (or it is binary) */
    cb_file_status status;  /* how much of it could be read (for a file not scanned: from its first bytes) */
    char *problem;          /* why it is partial or unreadable (the bundle reader's warning), or NULL */
} cb_scan_file;

typedef struct cb_scan_result {
    cb_pattern_result *pats; /* one per pattern, in the scanner's order */
    size_t npats;
    cb_scan_file *files;     /* every file of the bundle, in bundle order */
    size_t nfiles;
    uint64_t files_scanned, lines, bytes; /* what was actually scanned */
    uint64_t files_unmatched; /* text files with content that no pattern's globs selected (not scanned) */
    double seconds;
    bool has_time;           /* the bundle's first/last timestamps over all files read */
    int64_t first_ms, last_ms;
    cb_warning *warnings;    /* copied from the bundle reader */
    size_t nwarnings;
} cb_scan_result;

/*
 * Scan the bundle at `path`.  On success *out owns the result (free with
 * cb_scan_result_free).  Fails like cb_bundle_open for a bundle that cannot
 * be opened, CB_ENOMEM.  Problems with members are warnings in the result.
 */
cb_status cb_scan_bundle(const cb_scanner *s, const char *path, const cb_scan_opts *opts, cb_scan_result **out,
                         cb_error *err);

void cb_scan_result_free(cb_scan_result *r);

#ifdef __cplusplus
}
#endif
#endif
