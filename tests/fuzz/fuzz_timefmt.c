/*
 * fuzz_timefmt.c — libFuzzer target for the timestamp parser
 * (casebook/timefmt.h) and the --since/--until argument parser
 * (cb_time_arg_parse, casebook/triage.h).
 *
 * The input is a log line.  It is parsed from an exact-size heap copy (so
 * that AddressSanitizer sees any read past its length) with every built-in
 * format, twice in a row with the same context (year inference), detected
 * with cb_time_detect, searched for a Veeam "UTC offset", and given to
 * cb_time_arg_parse as a string.  An input holding a NUL byte is a custom
 * pattern (before the NUL, for cb_timefmt_compile) and a line (after it).
 * Property besides no crash: a time that parses and lies in years
 * 1970..9999 formats with cb_time_format_iso to text that parses back, as
 * ISO 8601, to the same millisecond.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/timefmt.h"
#include "casebook/triage.h"
#include "fuzz_util.h"

#define REF_MS INT64_C(1710806400000)       /* 2024-03-19T00:00:00Z */
#define MAX_ISO_MS INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */

static void round_trip(const char *what, int64_t ms)
{
    if (ms < 0 || ms > MAX_ISO_MS)
        return;
    char buf[64];
    cb_time_format_iso(ms, buf, sizeof buf);
    cb_timefmt iso = {.kind = CB_TIME_ISO8601};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &iso, REF_MS);
    int64_t back = 0;
    if (!cb_time_parse(&ctx, buf, strlen(buf), &back) || back != ms)
        fuzz_fail(what, "%lld formats as %s, which parses back as %lld", (long long)ms, buf, (long long)back);
}

static void parse_twice(const char *what, const cb_timefmt *fmt, const char *line, size_t n)
{
    cb_timectx ctx;
    cb_timectx_init(&ctx, fmt, REF_MS);
    for (int k = 0; k < 2; k++) {
        int64_t ms = 0;
        if (cb_time_parse(&ctx, line, n, &ms))
            round_trip(what, ms);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    const uint8_t *line_start = nul ? nul + 1 : data;
    size_t n = size - (size_t)(line_start - data);
    char *line = malloc(n ? n : 1);
    if (!line)
        return 0;
    memcpy(line, line_start, n);

    if (nul) {
        /* A custom pattern and a line. */
        char spec[CB_TIMEFMT_SPEC_MAX * 2];
        size_t sl = (size_t)(nul - data);
        if (sl < sizeof spec) {
            memcpy(spec, data, sl);
            spec[sl] = '\0';
            cb_timefmt fmt;
            cb_error err;
            if (cb_timefmt_compile(spec, &fmt, &err) == CB_OK) {
                if (fmt.kind < CB_TIME_NONE || fmt.kind >= CB_TIME__COUNT) /* "none" is a valid choice */
                    fuzz_fail("cb_timefmt_compile", "kind %d out of range", (int)fmt.kind);
                parse_twice("custom", &fmt, line, n);
                cb_timectx ctx;
                cb_timectx_init(&ctx, &fmt, REF_MS);
                cb_timectx_set_local_offset(&ctx, 7200000);
                int64_t ms;
                (void)cb_time_parse(&ctx, line, n, &ms);
            } else if (memchr(err.msg, 0, sizeof err.msg) == NULL || !err.msg[0]) {
                fuzz_fail("cb_timefmt_compile", "refused without a message");
            }
        }
    } else {
        for (int k = CB_TIME_NONE + 1; k < CB_TIME_CUSTOM; k++) {
            cb_timefmt fmt = {.kind = (cb_time_kind)k};
            parse_twice(cb_time_kind_name(fmt.kind), &fmt, line, n);
        }
        cb_time_kind kind = cb_time_detect(line, n);
        if (kind < CB_TIME_NONE || kind >= CB_TIME_CUSTOM)
            fuzz_fail("cb_time_detect", "detected kind %d", (int)kind);
        int64_t off;
        (void)cb_time_find_utc_offset(line, n, &off);

        /* The --since / --until parser takes a C string. */
        char *arg = malloc(n + 1);
        if (arg) {
            memcpy(arg, line, n);
            arg[n] = '\0';
            cb_time_arg ta;
            cb_error err;
            err.msg[0] = '\0';
            if (cb_time_arg_parse(arg, &ta, &err) == CB_OK) {
                if (!ta.relative)
                    round_trip("cb_time_arg_parse", ta.ms);
                /* Resolving against any reference is in range or refused with a message, never a wrap. */
                int64_t ms = 0;
                cb_error rerr;
                rerr.msg[0] = '\0';
                if (cb_time_arg_resolve(&ta, REF_MS, &ms, &rerr) == CB_OK) {
                    if (ms < CB_TIME_MIN_MS || ms > CB_TIME_MAX_MS)
                        fuzz_fail("cb_time_arg_resolve", "%lld is out of range", (long long)ms);
                } else if (!rerr.msg[0]) {
                    fuzz_fail("cb_time_arg_resolve", "refused without a message");
                }
            } else if (!err.msg[0]) {
                fuzz_fail("cb_time_arg_parse", "refused without a message");
            }
            free(arg);
        }
    }
    free(line);
    return 0;
}
