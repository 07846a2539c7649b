/*
 * timefmt.h — detect and parse the leading timestamp of log lines.
 *
 * Each file in a bundle gets one timestamp format, detected from its first
 * lines (or forced by the user with --time-format).  Every line is then
 * parsed with that format only, which keeps the per-line cost to a handful of
 * byte comparisons.  Times are returned as UTC epoch milliseconds; a
 * timestamp without a zone is taken as UTC (casebook does not guess the
 * customer's zone).  Formats without a year (syslog) take it from context:
 * the year of the file's modification time, such that the first timestamp is
 * not after that time, then rolling forward when the month wraps.
 *
 * Also here: the --since/--until values a user types (cb_time_arg_parse,
 * stricter than the line parsers and open to ISO 8601's basic form), and
 * dmesg's uptime stamps, which count from boot and need a boot time from
 * elsewhere (see cb_scan_set_window).
 */
#ifndef CASEBOOK_TIMEFMT_H
#define CASEBOOK_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cb_time_kind {
    CB_TIME_NONE = 0, /* no timestamp format recognised */
    CB_TIME_ISO8601,  /* 2024-03-12T10:15:32, optional .fff/,fff, Z or ±hh[:]mm; ' ' for 'T'; optional '[' */
    CB_TIME_JAVA,     /* 2015-10-18 18:01:47,978 (log4j / logback default) */
    CB_TIME_VEEAM,    /* [12.03.2024 10:15:32] and [08.04.2020 8:26:46.680] */
    CB_TIME_SYSLOG,   /* Dec 10 06:55:46 (year from context) */
    CB_TIME_APACHE,   /* [Sun Dec 04 04:47:44 2005] and [Mon May 19 23:01:07.432463 2014] */
    CB_TIME_HDFS,     /* 081109 203615 (yyMMdd HHmmss) */
    CB_TIME_WINDOWS,  /* 7/7/2021 2:34:10 PM (M/d/yyyy h:mm:ss AM|PM) */
    CB_TIME_SPARK,    /* 17/06/09 20:10:40 (yy/MM/dd HH:mm:ss) */
    CB_TIME_COMPACT,  /* 20171223-22:15:29:606 (yyyyMMdd-HH:mm:ss:SSS) */
    CB_TIME_CLF,      /* access logs: the first [10/Oct/2000:13:55:36 -0700] in the line's first 128 bytes */
    CB_TIME_CUSTOM,   /* user-supplied pattern, see cb_timefmt_compile */
    CB_TIME__COUNT
} cb_time_kind;

enum { CB_TIMEFMT_SPEC_MAX = 128 };

/* A timestamp format: a built-in kind or a compiled user pattern.  Plain value, no heap. */
typedef struct cb_timefmt {
    cb_time_kind kind;
    char spec[CB_TIMEFMT_SPEC_MAX]; /* CB_TIME_CUSTOM only: the validated pattern */
} cb_timefmt;

/*
 * Per-file parsing state: the format, and the year context for formats
 * without a year.  Initialise with cb_timectx_init before the first line.
 */
typedef struct cb_timectx {
    cb_timefmt fmt;
    int64_t ref_ms; /* the file's modification time (UTC ms), or 0 for "now" */
    int year;       /* current inferred year for year-less formats; 0 until first parse */
    int last_month; /* 1..12 of the previous parsed year-less timestamp; 0 before */
    int64_t local_offset_ms; /* local time minus UTC for timestamps without a zone (0 = they are UTC) */
} cb_timectx;

/*
 * Compile a user pattern for --time-format.  Conversions: %Y (4-digit year),
 * %y (2-digit, 1970..2069), %m, %d, %e (day, space-padded), %H, %I (12-hour),
 * %M, %S, %f (1-9 fraction digits), %p (AM/PM, any case), %b (English month
 * abbreviation, any case), %a (English weekday abbreviation, ignored), %z (Z,
 * ±hh, ±hhmm or ±hh:mm), %s (epoch seconds), %% (a literal '%').  Any other
 * character matches itself; a space matches one or more blanks.
 * Returns CB_EINVAL with a message naming the offending conversion.
 */
cb_status cb_timefmt_compile(const char *spec, cb_timefmt *out, cb_error *err);

/*
 * Detect the format of a file from its first bytes (whole lines, UTF-8, LF or
 * CRLF line ends): tries every built-in format on up to the first 64
 * non-empty lines and returns the one that parses the most lines, or
 * CB_TIME_NONE when none parses at least one.  Ties go to the earlier kind.
 */
cb_time_kind cb_time_detect(const char *text, size_t len);

/*
 * The timestamp a single line starts with, of any built-in format tried in
 * the order of cb_time_kind (detection rules: log4j's shape is "java"), for a
 * pasted line with no file around it.  Returns its kind and stores in *end
 * (may be NULL) the offset just past it (for CLF, past the bracketed time
 * inside the line); CB_TIME_NONE when the line starts with no timestamp.
 */
cb_time_kind cb_time_prefix(const char *line, size_t len, size_t *end);
/* As cb_time_prefix for one built-in kind only (false for CB_TIME_NONE and CB_TIME_CUSTOM): the per-line
 * probe when the file's format is known. */
bool cb_time_prefix_of(cb_time_kind kind, const char *line, size_t len, size_t *end);

/* Start parsing a file with fmt.  ref_ms: the file's mtime in UTC ms, or 0 for the current time. */
void cb_timectx_init(cb_timectx *ctx, const cb_timefmt *fmt, int64_t ref_ms);

/*
 * Declare that timestamps without a zone are local times `offset_ms` ahead of
 * UTC (a Veeam log's header says "UTC offset: 2.00 hours").  Applies to every
 * format that carries no zone: all built-ins except iso8601, and custom
 * patterns without %z or %s.
 */
void cb_timectx_set_local_offset(cb_timectx *ctx, int64_t offset_ms);

/*
 * Find a Veeam log header's "UTC offset: H.HH hours" in text[0..len) and
 * return it in milliseconds via *offset_ms.  Returns false when absent.
 */
bool cb_time_find_utc_offset(const char *text, size_t len, int64_t *offset_ms);

/*
 * Parse the timestamp at the start of line[0..len) (leading blanks are
 * skipped).  On success stores UTC epoch milliseconds in *ms and returns
 * true; returns false when the line does not start with a timestamp of the
 * context's format (a continuation line).  Never reads past len; the line
 * need not be NUL-terminated.
 */
bool cb_time_parse(cb_timectx *ctx, const char *line, size_t len, int64_t *ms);

/* The times casebook represents: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. */
#define CB_TIME_MIN_MS (-INT64_C(62135596800000))
#define CB_TIME_MAX_MS (INT64_C(253402300799999))

/* A --since/--until value as given: an instant, or a duration back from a reference time. */
typedef struct cb_time_arg {
    bool relative; /* true: ms is a duration (>= 0) to count back from the bundle's last timestamp */
    int64_t ms;    /* false: the instant, UTC epoch ms, within [CB_TIME_MIN_MS, CB_TIME_MAX_MS] */
} cb_time_arg;

/*
 * Parse a --since/--until value.  Absolute: ISO 8601 in the extended or basic
 * form, at least to the minute when a time is given: a date (2024-03-12,
 * 20240312, its midnight), then 'T', 't' or ' ', then hh:mm or hhmm, optional
 * seconds (:ss or ss) and fraction (.f or ,f, 1 to 9 digits; milliseconds
 * kept), then an optional zone: Z, z, ±hh, ±hhmm or ±hh:mm.  Without a zone
 * the time is UTC.  Years 0001 to 9999.  Relative: digits and one unit, s, m,
 * h, d or w ("90s", "15m", "2h", "3d", "1w"), the duration being at most the
 * representable span.  Returns CB_EINVAL with a message saying what is wrong
 * for anything else (an invalid date, a value out of range).
 */
cb_status cb_time_arg_parse(const char *s, cb_time_arg *out, cb_error *err);

/*
 * The instant an argument stands for: arg->ms itself, or ref_ms minus the
 * duration.  CB_EINVAL with a message when the result falls outside
 * [CB_TIME_MIN_MS, CB_TIME_MAX_MS].  Overflow-checked.
 */
cb_status cb_time_arg_resolve(const cb_time_arg *arg, int64_t ref_ms, int64_t *ms, cb_error *err);

/*
 * Parse a dmesg uptime stamp at the start of line[0..len): "[12345.678901]"
 * with optional blanks after '[' (the kernel pads to 5 digits before the
 * point), 1 to 9 fraction digits.  Stores the uptime in microseconds and the
 * offset of the first byte after "] " (the message) and returns true; false
 * when the line does not start with one.  Never reads past len.
 */
bool cb_time_parse_uptime(const char *line, size_t len, int64_t *uptime_us, size_t *msg_off);

/* The stable name of a kind ("iso8601", "java", "veeam", ..., "custom", "none"). */
const char *cb_time_kind_name(cb_time_kind kind);

/*
 * Format UTC epoch ms as ISO 8601 with millisecond precision,
 * "2024-03-12T10:15:32.123Z", into buf (at least 32 bytes).  Returns buf.
 */
char *cb_time_format_iso(int64_t ms, char *buf, size_t size);

/* Days since 1970-01-01 for a proleptic Gregorian date (month 1..12). */
int64_t cb_days_from_civil(int64_t y, unsigned m, unsigned d);

#ifdef __cplusplus
}
#endif
#endif
