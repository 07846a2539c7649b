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
 *
 * Limits: PCRE2 runs with a JIT stack per scanning thread sized for the
 * longest line the bundle reader delivers (its max_line), falling back to
 * the interpreter under a heap limit sized the same way, and with explicit
 * match and depth limits.  A line a pattern still cannot be matched on is
 * never taken for "no match": it is counted in the pattern's match_errors
 * and reported as a warning.  A pattern that keeps failing, or spends more
 * time than its budget, is disabled for the rest of the bundle
 * (budget_exceeded, with a warning).  Hyperscan failures while scanning are
 * errors.
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
 * True when `regex` holds a repeated group whose body is itself repeated or
 * has alternatives that can match the same text (`(a+)+`, `(a|aa)+`,
 * `(\w+\s?)*`): the class of pattern that makes a backtracking matcher take
 * exponential time on a line that almost matches.  Writes a short reason
 * naming the construct into why (NUL-terminated, at most n bytes; may be
 * NULL when n is 0).  A heuristic for lint: it looks at the syntax only, and
 * answers false for anything it cannot read.
 */
bool cb_regex_risky(const char *regex, char *why, size_t n);

/*
 * Compile patterns.  On success *out owns the scanner (free with
 * cb_scanner_free).  Fails with CB_EINVAL and a message naming the pattern
 * and Hyperscan's or PCRE2's reason ("pattern 'x' ('a(b'): Missing close
 * parenthesis for group started at index 1"), CB_ENOMEM.
 */
cb_status cb_scanner_new(const cb_pattern *pats, size_t n, cb_scanner **out, cb_error *err);

/* A pattern cb_scanner_new_lenient could not compile. */
typedef struct cb_pattern_failure {
    size_t index;  /* into the array given to cb_scanner_new_lenient */
    char *message; /* the engine's reason ("Back-references are unsupported."), or what is wrong with a glob */
} cb_pattern_failure;

/*
 * As cb_scanner_new, but a pattern that does not compile (the regex, or one
 * of its globs) does not fail the whole scanner: it keeps its place in the
 * scanner's index space, so results still line up with `pats`, but never
 * matches, and its cb_pattern_result has `disabled` set.  On success *out
 * owns the scanner and *bad (NULL when *nbad is 0) owns the list of failed
 * patterns in index order: free it with cb_pattern_failures_free.  Fails
 * with CB_ENOMEM, or CB_EINVAL when the patterns cannot be compiled together
 * though each compiles alone (Hyperscan's database limits); then *bad is
 * NULL.
 */
cb_status cb_scanner_new_lenient(const cb_pattern *pats, size_t n, cb_scanner **out, cb_pattern_failure **bad,
                                 size_t *nbad, cb_error *err);

/* Free a list from cb_scanner_new_lenient.  Accepts NULL. */
void cb_pattern_failures_free(cb_pattern_failure *bad, size_t nbad);

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

/*
 * A file of plain dmesg output ("[12345.678901] msg") and the wall-clock time
 * its kernel booted, found by cb_scan_set_window: its lines are timed
 * boot_ms + uptime.
 */
typedef struct cb_boot_time {
    char *path;             /* the file inside the bundle */
    int64_t boot_ms;        /* UTC epoch ms */
    char *source;           /* the file the boot time was read from (a kern.log, syslog or dmesg -T copy) */
} cb_boot_time;

typedef struct cb_scan_opts {
    cb_bundle_opts bundle;
    unsigned threads;       /* scanning threads; 0 = one per CPU */
    size_t max_evidence;    /* evidence lines kept per pattern, the first in bundle order (default 5) */
    bool captures;          /* collect named-capture values (default true) */
    bool counts_only;       /* only counts are wanted (grep -c/-l): no line numbers, timestamps, evidence,
                               captures or time window; the fastest mode */
    bool all_files;         /* apply every pattern to every text file, whatever its globs say */
    uint32_t max_match_errors; /* lines a pattern may fail to match on (PCRE2's limits) before it is
                                  disabled for the rest of the bundle (default 50) */
    double pattern_seconds;   /* matching time a pattern may spend, per bundle: this plus 100 ns per byte
                                 scanned; past it the pattern is disabled (default 1) */
    bool since_set, until_set;
    int64_t since_ms, until_ms; /* count only lines with a timestamp in [since, until]; lines whose
                                   time is unknown are counted too (cb_pattern_result.untimed) */
    cb_boot_time *boots;    /* owned (cb_scan_opts_release), set by cb_scan_set_window */
    size_t nboots;
    /* Called for every matching line, in bundle order (file by file, line by line), on the calling thread. */
    void (*on_line)(void *ctx, const cb_scan_line *line);
    void *on_line_ctx;
    /* Called between chunks on the calling thread, for progress lines: bytes read so far. */
    void (*on_progress)(void *ctx, uint64_t files, uint64_t bytes);
    void *on_progress_ctx;
} cb_scan_opts;

void cb_scan_opts_init(cb_scan_opts *opts);
/* Free what cb_scan_set_window stored in opts (the boot times).  Accepts NULL. */
void cb_scan_opts_release(cb_scan_opts *opts);

/*
 * Set the time window of opts from --since/--until values (either may be
 * NULL), resolving them against the bundle at `path`:
 *
 *   - a relative value counts back from the bundle's last timestamp, which
 *     takes one pass over the whole bundle before the scan (only then);
 *   - the kernel's boot time is looked for in the bundle's kernel logs
 *     (files named dmesg*, kern*, syslog*, messages*, read whole; the others
 *     are skipped unread, which for a directory or zip costs nothing and for
 *     a compressed tar means inflating up to them): a syslog line
 *     "... kernel: [12345.678901] msg" or a `dmesg -T` line
 *     "[Tue Mar 12 10:00:00 2024] msg" that carries the same message as a
 *     line of a plain dmesg file gives that file's boot time, stored in
 *     opts->boots, so that the scan can place its lines in the window.
 *
 * Uses opts->bundle for reading.  Fails with CB_EINVAL and a message when the
 * window is reversed (it starts after it ends), falls outside the years
 * 0001-9999, or a relative value is given and the bundle holds no
 * timestamp; like cb_bundle_open when the bundle cannot be read; CB_ENOMEM.
 * On failure opts's window is left unset.
 */
cb_status cb_scan_set_window(cb_scan_opts *opts, const char *path, const cb_time_arg *since,
                             const cb_time_arg *until, cb_error *err);

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
    uint64_t untimed;       /* of those, lines with no known time, counted whatever the window */
    int64_t first_ms, last_ms;
    bool has_time;          /* first/last valid */
    cb_evidence *evidence;  /* the first max_evidence matching lines in bundle order */
    size_t nevidence;
    cb_capture *captures;   /* one per named group of the pattern, in pattern order */
    size_t ncaptures;
    uint64_t files_applicable; /* text files its globs selected */
    uint64_t match_errors;  /* lines PCRE2 could not finish matching (a limit was reached): not counted */
    bool budget_exceeded;   /* disabled part way through the bundle: count and evidence are partial */
    bool disabled;          /* did not compile (cb_scanner_new_lenient): never matched */
} cb_pattern_result;

typedef struct cb_scan_file {
    char *path;
    uint64_t lines, bytes;
    uint64_t matched_lines; /* lines matching at least one pattern (inside the time window when one is set) */
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
    bool windowed;           /* a time window was applied (cb_scan_opts.since_set or until_set)... */
    bool since_set, until_set; /* ...this one, copied from the options */
    int64_t since_ms, until_ms;
    cb_boot_time *boots;     /* the dmesg boot times used (copies of cb_scan_opts.boots) */
    size_t nboots;
    cb_warning *warnings;    /* the bundle reader's, then the scanner's (match errors, disabled patterns) */
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
