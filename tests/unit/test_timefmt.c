/*
 * test_timefmt.c — unit tests for timestamp detection, parsing and formatting (casebook/timefmt.h).
 *
 * Every line is parsed from a heap copy of exactly its length, with no NUL
 * after it, so that AddressSanitizer reports any read past `len`.  Expected
 * epoch values were computed with `date -u -d '...' +%s`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casebook/timefmt.h"

#define REF_2024 INT64_C(1710806400000) /* 2024-03-19T00:00:00Z */

/* Parse `s` (without its NUL) from an exact-size heap buffer with a fresh context. */
static bool parse_with(const cb_timefmt *fmt, int64_t ref, const char *s, int64_t *ms)
{
    size_t n = strlen(s);
    char *buf = malloc(n ? n : 1);
    assert_non_null(buf);
    memcpy(buf, s, n);
    cb_timectx ctx;
    cb_timectx_init(&ctx, fmt, ref);
    bool ok = cb_time_parse(&ctx, buf, n, ms);
    free(buf);
    return ok;
}

static bool parse_kind(cb_time_kind kind, const char *s, int64_t *ms)
{
    cb_timefmt fmt;
    memset(&fmt, 0, sizeof fmt);
    fmt.kind = kind;
    return parse_with(&fmt, REF_2024, s, ms);
}

/* Parse with a context that persists across calls (year inference). */
static bool parse_ctx(cb_timectx *ctx, const char *s, int64_t *ms)
{
    size_t n = strlen(s);
    char *buf = malloc(n ? n : 1);
    assert_non_null(buf);
    memcpy(buf, s, n);
    bool ok = cb_time_parse(ctx, buf, n, ms);
    free(buf);
    return ok;
}

#define ACCEPT(kind, line, expect)                                                                           \
    do {                                                                                                     \
        int64_t ms_ = -12345;                                                                                \
        if (!parse_kind((kind), (line), &ms_))                                                               \
            fail_msg("%s should accept \"%s\"", cb_time_kind_name(kind), (line));                            \
        assert_int_equal(ms_, (expect));                                                                     \
    } while (0)

#define REJECT(kind, line)                                                                                   \
    do {                                                                                                     \
        int64_t ms_ = -12345;                                                                                \
        if (parse_kind((kind), (line), &ms_))                                                                \
            fail_msg("%s should reject \"%s\"", cb_time_kind_name(kind), (line));                            \
    } while (0)

static cb_time_kind detect_str(const char *s)
{
    size_t n = strlen(s);
    char *buf = malloc(n ? n : 1);
    assert_non_null(buf);
    memcpy(buf, s, n);
    cb_time_kind k = cb_time_detect(buf, n);
    free(buf);
    return k;
}

/* ---- built-in formats ------------------------------------------------------------------------- */

static void test_iso_accepts(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32", INT64_C(1710238532000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12 10:15:32 INFO x", INT64_C(1710238532000));
    ACCEPT(CB_TIME_ISO8601, " \t2024-03-12T10:15:32.123 x", INT64_C(1710238532123));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32,5", INT64_C(1710238532500));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32.123456789Z", INT64_C(1710238532123));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32.12", INT64_C(1710238532120));
    ACCEPT(CB_TIME_ISO8601, "[2024-03-12 10:15:32] msg", INT64_C(1710238532000));
    ACCEPT(CB_TIME_ISO8601, "2015-10-18 18:01:47,978 INFO", INT64_C(1445191307978)); /* java shape */
    ACCEPT(CB_TIME_ISO8601, "2024-02-29T00:00:00", INT64_C(1709164800000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:60", INT64_C(1710238560000)); /* leap second */
}

static void test_iso_zones(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32Z", INT64_C(1710238532000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32+02:00", INT64_C(1710231332000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32+0200 x", INT64_C(1710231332000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32-05", INT64_C(1710256532000));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32.123-05:00", INT64_C(1710256532123));
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32+05:30", INT64_C(1710238532000) - 330 * 60000);
    ACCEPT(CB_TIME_ISO8601, "2024-01-01T00:30:00+01:00", INT64_C(1704067200000) - 30 * 60000);
    /* a sign not followed by two digits is not a zone: the timestamp just ends */
    ACCEPT(CB_TIME_ISO8601, "2024-03-12T10:15:32 -x", INT64_C(1710238532000));
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32+25:00");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32+02:60");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32+02:0");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32+020");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32+02000");
}

static void test_iso_rejects(void **state)
{
    (void)state;
    REJECT(CB_TIME_ISO8601, "");
    REJECT(CB_TIME_ISO8601, "   ");
    REJECT(CB_TIME_ISO8601, "2024-13-12T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-00-12T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-03-32T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-03-00T10:15:32");
    REJECT(CB_TIME_ISO8601, "2023-02-29T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-04-31T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-03-12T25:00:00");
    REJECT(CB_TIME_ISO8601, "2024-03-12T24:00:00");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:60:00");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:61");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15");
    REJECT(CB_TIME_ISO8601, "2024-03-12");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:3");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32.");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32. x");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:32.1234567890");
    REJECT(CB_TIME_ISO8601, "2024-03-12T10:15:321");
    REJECT(CB_TIME_ISO8601, "2024-03-12X10:15:32");
    REJECT(CB_TIME_ISO8601, "24-03-12T10:15:32");
    REJECT(CB_TIME_ISO8601, "99999999999999999999999999-03-12T10:15:32");
    REJECT(CB_TIME_ISO8601, "2024-03-12T99999999999999999999999:00:00");
    REJECT(CB_TIME_ISO8601, "   at Veeam.Backup.Core.CStopSessionControl.CheckStoped()");
    REJECT(CB_TIME_ISO8601, "[[2024-03-12T10:15:32");
}

static void test_java(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_JAVA, "2015-10-18 18:01:47,978 INFO [main] x", INT64_C(1445191307978));
    ACCEPT(CB_TIME_JAVA, "2015-07-29 17:41:44,747 - INFO  [Q]", INT64_C(1438191704747));
    ACCEPT(CB_TIME_JAVA, "2015-10-18 18:01:47.001", INT64_C(1445191307001));
    ACCEPT(CB_TIME_JAVA, "  2015-10-18 18:01:47,978", INT64_C(1445191307978));
    REJECT(CB_TIME_JAVA, "2015-10-18T18:01:47,978");
    REJECT(CB_TIME_JAVA, "2015-10-18 18:01:47");
    REJECT(CB_TIME_JAVA, "2015-10-18 18:01:47,97");
    REJECT(CB_TIME_JAVA, "2015-10-18 18:01:47,9781");
    REJECT(CB_TIME_JAVA, "2015-10-18 18:01:47,");
    REJECT(CB_TIME_JAVA, "2015-13-18 18:01:47,978");
    REJECT(CB_TIME_JAVA, "2015-10-18 24:01:47,978");
    REJECT(CB_TIME_JAVA, "\tat org.apache.hadoop.ipc.Client.call(Client.java:1476)");
}

static void test_veeam(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_VEEAM, "[07.07.2021 16:34:14] <01> Info         [ProxyDetector] Detected",
           INT64_C(1625675654000));
    ACCEPT(CB_TIME_VEEAM, "[03.10.2022 11:48:32.008] <36> Info", INT64_C(1664797712008));
    ACCEPT(CB_TIME_VEEAM, "[08.04.2020 8:26:46.680] <   724> vdl| [vddk]", INT64_C(1586334406680));
    ACCEPT(CB_TIME_VEEAM, "[08.04.2020 08:26:46]", INT64_C(1586334406000));
    REJECT(CB_TIME_VEEAM, "   at Veeam.Backup.Core.CStopSessionControl.CheckStoped()");
    REJECT(CB_TIME_VEEAM, "==============================================================");
    REJECT(CB_TIME_VEEAM, "");
    REJECT(CB_TIME_VEEAM, "[07.07.2021 16:34:14");
    REJECT(CB_TIME_VEEAM, "[07.07.2021 16:34:14.] x");
    REJECT(CB_TIME_VEEAM, "[07.13.2021 16:34:14] x");
    REJECT(CB_TIME_VEEAM, "[32.07.2021 16:34:14] x");
    REJECT(CB_TIME_VEEAM, "[07.07.2021 24:34:14] x");
    REJECT(CB_TIME_VEEAM, "[07.07.2021 116:34:14] x");
    REJECT(CB_TIME_VEEAM, "[7.07.2021 16:34:14] x");
    REJECT(CB_TIME_VEEAM, "UTC Time: [7/7/2021 2:34:10 PM]");
}

static void test_syslog_shapes(void **state)
{
    (void)state;
    cb_timefmt fmt = {.kind = CB_TIME_SYSLOG};
    int64_t ms;
    int64_t ref = INT64_C(1483574400000); /* 2017-01-05 */
    assert_true(parse_with(&fmt, ref, "Dec 10 06:55:46 LabSZ sshd[24200]: x", &ms));
    assert_int_equal(ms, INT64_C(1481352946000)); /* 2016-12-10 */
    ref = INT64_C(1122768000000);                 /* 2005-07-31 */
    assert_true(parse_with(&fmt, ref, "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x", &ms));
    assert_int_equal(ms, INT64_C(1118762161000));
    assert_true(parse_with(&fmt, ref, "Jun  4 15:16:01 combo", &ms));
    assert_int_equal(ms, INT64_C(1118762161000) - 10 * 86400000LL);
    assert_true(parse_with(&fmt, ref, "Jun 4 15:16:01 combo", &ms));
    assert_int_equal(ms, INT64_C(1118762161000) - 10 * 86400000LL);
    assert_true(parse_with(&fmt, ref, "jun 14 15:16:01.25 combo", &ms));
    assert_int_equal(ms, INT64_C(1118762161250));
    assert_true(parse_with(&fmt, ref, "Jun 14 15:16:01", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 14 15:16:01.", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 14 15:16", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 31 15:16:01 x", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 14 24:16:01 x", &ms));
    assert_false(parse_with(&fmt, ref, "Jux 14 15:16:01 x", &ms));
    assert_false(parse_with(&fmt, ref, "Jun14 15:16:01 x", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 144 15:16:01 x", &ms));
    assert_false(parse_with(&fmt, ref, "Jun 14 15:16:011 x", &ms));
    assert_false(parse_with(&fmt, ref, "Ju", &ms));
    assert_false(parse_with(&fmt, ref, "", &ms));
}

static void test_syslog_year(void **state)
{
    (void)state;
    cb_timefmt fmt = {.kind = CB_TIME_SYSLOG};
    cb_timectx ctx;
    int64_t ms;

    /* ref in January, first line in December: the previous year, then Dec -> Jan rolls over */
    cb_timectx_init(&ctx, &fmt, INT64_C(1704067201000)); /* 2024-01-01T00:00:01Z */
    assert_true(parse_ctx(&ctx, "Dec 31 23:59:59 host a", &ms));
    assert_int_equal(ms, INT64_C(1704067199000)); /* 2023-12-31T23:59:59Z */
    assert_int_equal(ctx.year, 2023);
    assert_int_equal(ctx.last_month, 12);
    assert_false(parse_ctx(&ctx, "   continuation", &ms));
    assert_int_equal(ctx.last_month, 12);
    assert_true(parse_ctx(&ctx, "Jan  1 00:00:01 host b", &ms));
    assert_int_equal(ms, INT64_C(1704067201000));
    assert_int_equal(ctx.year, 2024);
    /* a small step back (out-of-order line) does not change the year */
    assert_true(parse_ctx(&ctx, "Mar  1 00:00:00 host c", &ms));
    assert_true(parse_ctx(&ctx, "Feb 29 00:00:00 host d", &ms));
    assert_int_equal(ms, INT64_C(1709164800000));
    assert_int_equal(ctx.year, 2024);

    /* same month and day as the reference: same year */
    cb_timectx_init(&ctx, &fmt, INT64_C(1704067201000));
    assert_true(parse_ctx(&ctx, "Jan  1 12:00:00 host", &ms));
    assert_int_equal(ctx.year, 2024);

    /* the day after the reference: previous year */
    cb_timectx_init(&ctx, &fmt, INT64_C(1703980800000)); /* 2023-12-31 */
    assert_true(parse_ctx(&ctx, "Dec 31 10:00:00 host", &ms));
    assert_int_equal(ctx.year, 2023);
    cb_timectx_init(&ctx, &fmt, INT64_C(1703980800000) - 86400000); /* 2023-12-30 */
    assert_true(parse_ctx(&ctx, "Dec 31 10:00:00 host", &ms));
    assert_int_equal(ctx.year, 2022);

    /* ref_ms 0: the current time */
    cb_timectx_init(&ctx, &fmt, 0);
    assert_true(parse_ctx(&ctx, "Jan  1 00:00:00 host", &ms));
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    assert_int_equal(ctx.year, tmv.tm_year + 1900);
}

static void test_apache(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_APACHE, "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", INT64_C(1133671664000));
    ACCEPT(CB_TIME_APACHE, "[Mon May 19 23:01:07.432463 2014] [core:error]", INT64_C(1400540467432));
    ACCEPT(CB_TIME_APACHE, "[sun dec  4 04:47:44 2005]", INT64_C(1133671664000));
    REJECT(CB_TIME_APACHE, "[Sux Dec 04 04:47:44 2005] x");
    REJECT(CB_TIME_APACHE, "[Sun Dec 04 04:47:44 2005 x");
    REJECT(CB_TIME_APACHE, "[Sun Dec 04 04:47:44 05] x");
    REJECT(CB_TIME_APACHE, "[Sun Dec 04 04:47:44. 2005] x");
    REJECT(CB_TIME_APACHE, "[Sun Dec 32 04:47:44 2005] x");
    REJECT(CB_TIME_APACHE, "Sun Dec 04 04:47:44 2005");
    REJECT(CB_TIME_APACHE, "[Sun Dec 04 04:47");
}

static void test_hdfs(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_HDFS, "081109 203615 148 INFO dfs.DataNode$PacketResponder: x", INT64_C(1226262975000));
    ACCEPT(CB_TIME_HDFS, "081109 203615", INT64_C(1226262975000));
    REJECT(CB_TIME_HDFS, "081109 2036151 148");
    REJECT(CB_TIME_HDFS, "081109 203615:x");
    REJECT(CB_TIME_HDFS, "0811091 203615 x");
    REJECT(CB_TIME_HDFS, "081309 203615 x");
    REJECT(CB_TIME_HDFS, "081109 243615 x");
    REJECT(CB_TIME_HDFS, "081109 20361");
    REJECT(CB_TIME_HDFS, "12345678901234567890");
}

static void test_windows_ampm(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_WINDOWS, "7/7/2021 2:34:10 PM", INT64_C(1625668450000));
    ACCEPT(CB_TIME_WINDOWS, "07/07/2021 02:34:10 pm x", INT64_C(1625668450000));
    ACCEPT(CB_TIME_WINDOWS, "7/7/2021 12:34:10 AM", INT64_C(1625618050000));
    ACCEPT(CB_TIME_WINDOWS, "7/7/2021 12:34:10 PM", INT64_C(1625661250000));
    ACCEPT(CB_TIME_WINDOWS, "7/7/2021 11:59:59 PM",
           INT64_C(1625618050000) + (23 * 3600 + 25 * 60 + 49) * 1000LL);
    ACCEPT(CB_TIME_WINDOWS, "7/7/2021 1:00:00 AM]", INT64_C(1625618050000) + (25 * 60 + 50) * 1000LL);
    REJECT(CB_TIME_WINDOWS, "7/7/2021 13:34:10 PM");
    REJECT(CB_TIME_WINDOWS, "7/7/2021 0:34:10 AM");
    REJECT(CB_TIME_WINDOWS, "7/7/2021 2:34:10 PMX");
    REJECT(CB_TIME_WINDOWS, "7/7/2021 2:34:10 XM");
    REJECT(CB_TIME_WINDOWS, "7/7/2021 2:34:10");
    REJECT(CB_TIME_WINDOWS, "7/7/2021 2:34:10 P");
    REJECT(CB_TIME_WINDOWS, "13/7/2021 2:34:10 PM");
    REJECT(CB_TIME_WINDOWS, "7/7/21 2:34:10 PM");
}

static void test_spark(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_SPARK, "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: x",
           INT64_C(1497039040000));
    REJECT(CB_TIME_SPARK, "17/13/09 20:10:40 INFO");
    REJECT(CB_TIME_SPARK, "17/06/09 20:10:400");
    REJECT(CB_TIME_SPARK, "17/6/09 20:10:40");
    REJECT(CB_TIME_SPARK, "17/06/09 20:10");
}

static void test_compact(void **state)
{
    (void)state;
    ACCEPT(CB_TIME_COMPACT, "20171223-22:15:29:606|Step_LSC|30002312|x", INT64_C(1514067329606));
    /* HealthApp does not pad the time fields; the last one is plain milliseconds */
    ACCEPT(CB_TIME_COMPACT, "20171223-22:15:29:8|x", INT64_C(1514067329008));
    ACCEPT(CB_TIME_COMPACT, "20171223-22:15:29:60|x", INT64_C(1514067329060));
    ACCEPT(CB_TIME_COMPACT, "20171223-22:5:0:162|x", INT64_C(1514067329000) - (10 * 60 + 29) * 1000 + 162);
    REJECT(CB_TIME_COMPACT, "20171223-22:15:29:6061|x");
    REJECT(CB_TIME_COMPACT, "20171223-22:15:29:|x");
    REJECT(CB_TIME_COMPACT, "20171223-22:15:29");
    REJECT(CB_TIME_COMPACT, "20171323-22:15:29:606");
    REJECT(CB_TIME_COMPACT, "20171223-24:15:29:606");
    REJECT(CB_TIME_COMPACT, "2017122-22:15:29:606");
}

static void test_none_and_names(void **state)
{
    (void)state;
    REJECT(CB_TIME_NONE, "2024-03-12T10:15:32");
    static const char *const names[] = {"none", "iso8601", "java",  "veeam",   "syslog", "apache",
                                        "hdfs", "windows", "spark", "compact", "clf",    "custom"};
    for (int k = 0; k < CB_TIME__COUNT; k++)
        assert_string_equal(cb_time_kind_name((cb_time_kind)k), names[k]);
    assert_string_equal(cb_time_kind_name(CB_TIME__COUNT), "none");
    assert_string_equal(cb_time_kind_name((cb_time_kind)-1), "none");
}

/* ---- no over-read: every prefix of every sample, from an exact-size buffer ----------------------- */

static void test_no_overread(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "2024-03-12T10:15:32.123456789+02:00",
        "[2024-03-12 10:15:32,123Z",
        "2015-10-18 18:01:47,978",
        "[08.04.2020 8:26:46.680]",
        "Jun  4 15:16:01.123",
        "[Mon May 19 23:01:07.432463 2014]",
        "081109 203615",
        "12/31/2021 12:34:10 PM",
        "17/06/09 20:10:40",
        "20171223-22:15:29:606",
    };
    cb_timefmt custom;
    assert_int_equal(cb_timefmt_compile("%a %b %e %I:%M:%S.%f %p %Y %z %%", &custom, NULL), CB_OK);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t n = strlen(lines[i]);
        for (size_t len = 0; len <= n; len++) {
            char *buf = malloc(len ? len : 1);
            assert_non_null(buf);
            memcpy(buf, lines[i], len);
            for (int k = 0; k <= CB_TIME_CUSTOM; k++) {
                cb_timefmt fmt = {.kind = (cb_time_kind)k};
                cb_timectx ctx;
                cb_timectx_init(&ctx, k == CB_TIME_CUSTOM ? &custom : &fmt, REF_2024);
                int64_t ms;
                (void)cb_time_parse(&ctx, buf, len, &ms);
            }
            (void)cb_time_detect(buf, len);
            free(buf);
        }
    }
    /* a full line parses; a truncated copy of it does not */
    ACCEPT(CB_TIME_VEEAM, "[08.04.2020 8:26:46.680]", INT64_C(1586334406680));
    int64_t ms;
    cb_timefmt fmt = {.kind = CB_TIME_VEEAM};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &fmt, REF_2024);
    assert_false(cb_time_parse(&ctx, "[08.04.2020 8:26:46.680]", 23, &ms));
    assert_false(cb_time_parse(&ctx, NULL, 0, &ms));
}

/* ---- custom patterns ---------------------------------------------------------------------------- */

static int64_t custom_ok(const char *spec, const char *line, int64_t ref)
{
    cb_timefmt fmt;
    cb_error err;
    cb_error_clear(&err);
    if (cb_timefmt_compile(spec, &fmt, &err) != CB_OK)
        fail_msg("pattern \"%s\" rejected: %s", spec, err.msg);
    assert_int_equal(fmt.kind, CB_TIME_CUSTOM);
    assert_string_equal(fmt.spec, spec);
    int64_t ms = 0;
    if (!parse_with(&fmt, ref, line, &ms))
        fail_msg("pattern \"%s\" should accept \"%s\"", spec, line);
    return ms;
}

static bool custom_parses(const char *spec, const char *line)
{
    cb_timefmt fmt;
    assert_int_equal(cb_timefmt_compile(spec, &fmt, NULL), CB_OK);
    int64_t ms;
    return parse_with(&fmt, REF_2024, line, &ms);
}

static void test_custom_valid(void **state)
{
    (void)state;
    assert_int_equal(custom_ok("%d/%b/%Y:%H:%M:%S %z", "12/Mar/2024:10:15:32 +0200 \"GET /\"", 0),
                     INT64_C(1710231332000));
    assert_int_equal(custom_ok("%Y%m%d %H%M%S", "20240312 101532 x", 0), INT64_C(1710238532000));
    assert_int_equal(custom_ok("%Y-%m-%dT%H:%M:%S.%f%z", "2024-03-12T10:15:32.5Z", 0),
                     INT64_C(1710238532500));
    assert_int_equal(custom_ok("%s.%f", "1710238532.123 x", 0), INT64_C(1710238532123));
    assert_int_equal(custom_ok("%s", "-1 x", 0), INT64_C(-1000));
    assert_int_equal(custom_ok("%m/%d/%y %I:%M %p", "03/12/24 12:15 am", 0), INT64_C(1710202500000));
    assert_int_equal(custom_ok("%m/%d/%y %I:%M %p", "03/12/69 12:15 PM", 0),
                     (cb_days_from_civil(2069, 3, 12) * 86400 + 12 * 3600 + 15 * 60) * 1000LL);
    assert_int_equal(custom_ok("%m/%d/%y %H:%M", "03/12/70 10:15", 0),
                     (cb_days_from_civil(1970, 3, 12) * 86400 + 10 * 3600 + 15 * 60) * 1000LL);
    assert_int_equal(custom_ok("%a %b %e %H:%M:%S %Y", "Tue Mar  12 10:15:32 2024", 0),
                     INT64_C(1710238532000));
    assert_int_equal(custom_ok("100%% %Y-%m-%d %H:%M", "100% 2024-03-12   10:15", 0), INT64_C(1710238500000));
    assert_int_equal(custom_ok("%b %e %H:%M:%S", "Mar 12 10:15:32 host", REF_2024), INT64_C(1710238532000));
    /* no year, date after the reference: previous year */
    assert_int_equal(custom_ok("%b %e %H:%M:%S", "Dec  1 00:00:00 host", REF_2024),
                     cb_days_from_civil(2023, 12, 1) * 86400000LL);
    assert_false(custom_parses("%Y-%m-%d %H:%M", "2024-13-12 10:15"));
    assert_false(custom_parses("%Y-%m-%d %H:%M", "2024-03-12T10:15"));
    assert_false(custom_parses("%Y-%m-%d %H:%M", "2024-03-12 10:"));
    assert_false(custom_parses("%Y-%m-%d %H:%M", "2024-03-12 25:00"));
    assert_false(custom_parses("%m/%d/%Y %I:%M %p", "03/12/2024 13:15 PM"));
    assert_false(custom_parses("%Y-%m-%d %H:%M%z", "2024-03-12 10:15"));
    assert_false(custom_parses("%s", "1234567890123"));
    assert_false(custom_parses("%s", "x"));
    assert_false(custom_parses("%Y-%m-%d %H:%M", ""));
}

static void expect_compile_error(const char *spec, const char *msg)
{
    cb_timefmt fmt;
    memset(&fmt, 0x5a, sizeof fmt);
    cb_error err;
    cb_error_clear(&err);
    assert_int_equal(cb_timefmt_compile(spec, &fmt, &err), CB_EINVAL);
    assert_int_equal(err.code, CB_EINVAL);
    assert_string_equal(err.msg, msg);
    assert_int_equal(cb_timefmt_compile(spec, &fmt, NULL), CB_EINVAL); /* NULL err is fine */
}

static void test_custom_errors(void **state)
{
    (void)state;
    expect_compile_error("", "pattern is empty");
    expect_compile_error(NULL, "pattern is empty");
    expect_compile_error("%Y-%Q", "unknown conversion '%Q' at position 4");
    expect_compile_error("%Y-%m-%d %H:%M%", "pattern ends with '%'");
    expect_compile_error("%Y-%m-%d %H:%M:%S\t%\x01", "unknown conversion '%\\x01' at position 19");
    expect_compile_error("%Y-%m-%d", "pattern needs at least a month, day, hour and minute, or %s");
    expect_compile_error("%Y-%m %H:%M", "pattern needs at least a month, day, hour and minute, or %s");
    expect_compile_error("%m/%d %I:%M", "'%I' needs '%p'");
    expect_compile_error("%m/%d %H:%M %p", "'%p' needs '%I'");
    char longspec[200];
    memset(longspec, 'x', sizeof longspec);
    memcpy(longspec, "%s", 2);
    longspec[128] = '\0';
    expect_compile_error(longspec, "pattern is longer than 127 bytes");
    longspec[127] = '\0';
    cb_timefmt fmt;
    assert_int_equal(cb_timefmt_compile(longspec, &fmt, NULL), CB_OK);
    assert_int_equal(strlen(fmt.spec), 127);
}

static void test_compile_builtin_names(void **state)
{
    (void)state;
    cb_timefmt fmt;
    for (int k = CB_TIME_NONE; k < CB_TIME_CUSTOM; k++) {
        assert_int_equal(cb_timefmt_compile(cb_time_kind_name((cb_time_kind)k), &fmt, NULL), CB_OK);
        assert_int_equal(fmt.kind, k);
    }
    assert_int_equal(cb_timefmt_compile("custom", &fmt, NULL), CB_EINVAL);
}

/* ---- detection ---------------------------------------------------------------------------------- */

static void test_detect_synthetic(void **state)
{
    (void)state;
    assert_int_equal(detect_str(""), CB_TIME_NONE);
    assert_int_equal(detect_str("\n\r\n  \n"), CB_TIME_NONE);
    assert_int_equal(detect_str("hello\nworld\n"), CB_TIME_NONE);
    assert_int_equal(detect_str("2024-03-12T10:15:32.123Z INFO {\"a\":1}\n"
                                "2024-03-12T10:15:33.001Z WARN {\"b\":2}\n"),
                     CB_TIME_ISO8601);
    /* a dot fraction parses as both java and iso: the tie goes to iso8601 */
    assert_int_equal(detect_str("2024-03-12 10:15:32.123 INFO a\n2024-03-12 10:15:32.124 INFO b\n"),
                     CB_TIME_ISO8601);
    assert_int_equal(detect_str("2015-10-18 18:01:47,978 INFO a\r\n2015-10-18 18:01:48,963 INFO b\r\n"
                                "\tat org.apache.Foo.bar(Foo.java:1)\r\n"),
                     CB_TIME_JAVA);
    assert_int_equal(detect_str("\r\n"
                                "[07.07.2021 16:34:14] <01> Info     ==================================\r\n"
                                "[07.07.2021 16:34:14] <01> Info     Starting new log\r\n"
                                "====================================================================\r\n"
                                "UTC Time: [7/7/2021 2:34:10 PM]\r\n"
                                "[07.07.2021 16:43:06] <01> Error        Operation was canceled\r\n"
                                "[07.07.2021 16:43:06] <01> Error           at Veeam.Backup.Core.X()\r\n"
                                "   at Veeam.Backup.Core.CStopSessionControl.CheckStoped()\r\n"),
                     CB_TIME_VEEAM);
    assert_int_equal(detect_str("Dec 10 06:55:46 LabSZ sshd[24200]: x\nDec 10 06:55:47 LabSZ sshd[1]: y"),
                     CB_TIME_SYSLOG);
    assert_int_equal(detect_str("[Sun Dec 04 04:47:44 2005] [notice] x\n"), CB_TIME_APACHE);
    assert_int_equal(detect_str("081109 203615 148 INFO a\n"), CB_TIME_HDFS);
    assert_int_equal(detect_str("7/7/2021 2:34:10 PM Started\n"), CB_TIME_WINDOWS);
    assert_int_equal(detect_str("17/06/09 20:10:40 INFO a\n"), CB_TIME_SPARK);
    assert_int_equal(detect_str("20171223-22:15:29:606|Step_LSC|30002312|x\n"), CB_TIME_COMPACT);
    /* a tie between two kinds goes to the earlier one */
    assert_int_equal(detect_str("081109 203615 a\n17/06/09 20:10:40 b\n"), CB_TIME_HDFS);
    /* majority wins */
    assert_int_equal(detect_str("081109 203615 a\n17/06/09 20:10:40 b\n17/06/09 20:10:41 c\n"),
                     CB_TIME_SPARK);
}

static void test_detect_64_lines(void **state)
{
    (void)state;
    /* 64 syslog lines, then many spark lines: only the first 64 non-empty lines count */
    char text[12000];
    size_t n = 0;
    for (int i = 0; i < 64; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "\n%s", "Dec 10 06:55:46 a\n");
    }
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s", "17/06/09 20:10:40 b\n");
    assert_true(n < sizeof text);
    assert_int_equal(detect_str(text), CB_TIME_SYSLOG);
}

typedef struct loghub_case {
    const char *name;
    cb_time_kind kind;
    int64_t ref_ms;
    int64_t first_ms;
} loghub_case;

static void test_detect_loghub(void **state)
{
    (void)state;
    static const loghub_case cases[] = {
        {"HDFS", CB_TIME_HDFS, REF_2024, INT64_C(1226262975000)},      /* 2008-11-09T20:36:15 */
        {"Hadoop", CB_TIME_JAVA, REF_2024, INT64_C(1445191307978)},    /* 2015-10-18T18:01:47.978 */
        {"Spark", CB_TIME_SPARK, REF_2024, INT64_C(1497039040000)},    /* 2017-06-09T20:10:40 */
        {"Zookeeper", CB_TIME_JAVA, REF_2024, INT64_C(1438191704747)}, /* 2015-07-29T17:41:44.747 */
        {"OpenSSH", CB_TIME_SYSLOG, INT64_C(1483574400000), INT64_C(1481352946000)}, /* ref 2017-01-05 */
        {"Apache", CB_TIME_APACHE, REF_2024, INT64_C(1133671664000)},                /* 2005-12-04T04:47:44 */
        {"Linux", CB_TIME_SYSLOG, INT64_C(1122768000000), INT64_C(1118762161000)},   /* ref 2005-07-31 */
        {"HealthApp", CB_TIME_COMPACT, REF_2024, INT64_C(1514067329606)}, /* 2017-12-23T22:15:29.606 */
    };
    int found = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/../shared/data/loghub-2k/%s/%s_2k.log", CB_SOURCE_ROOT, cases[i].name,
                 cases[i].name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        found++;
        char *buf = malloc(1 << 20);
        assert_non_null(buf);
        size_t n = fread(buf, 1, 1 << 20, f);
        fclose(f);
        char *exact = malloc(n ? n : 1);
        assert_non_null(exact);
        memcpy(exact, buf, n);
        free(buf);
        cb_time_kind k = cb_time_detect(exact, n);
        if (k != cases[i].kind)
            fail_msg("%s detected as %s, expected %s", cases[i].name, cb_time_kind_name(k),
                     cb_time_kind_name(cases[i].kind));
        const char *nl = memchr(exact, '\n', n);
        size_t first = nl ? (size_t)(nl - exact) : n;
        cb_timefmt fmt = {.kind = k};
        cb_timectx ctx;
        cb_timectx_init(&ctx, &fmt, cases[i].ref_ms);
        int64_t ms = 0;
        assert_true(cb_time_parse(&ctx, exact, first, &ms));
        assert_int_equal(ms, cases[i].first_ms);
        /* every line of these files starts with a timestamp */
        size_t pos = 0, bad = 0, total = 0;
        while (pos < n) {
            const char *s = exact + pos;
            const char *e = memchr(s, '\n', n - pos);
            size_t len = e ? (size_t)(e - s) : n - pos;
            pos += len + 1;
            total++;
            if (!cb_time_parse(&ctx, s, len, &ms))
                bad++;
        }
        if (bad)
            fail_msg("%s: %zu of %zu lines not parsed", cases[i].name, bad, total);
        free(exact);
    }
    if (found == 0)
        skip();
}

/* ---- formatting and calendar --------------------------------------------------------------------- */

static void expect_iso(int64_t ms, const char *text)
{
    char buf[32];
    assert_ptr_equal(cb_time_format_iso(ms, buf, sizeof buf), buf);
    assert_string_equal(buf, text);
    /* round trip through the parser */
    int64_t back;
    if (!parse_kind(CB_TIME_ISO8601, text, &back))
        fail_msg("iso8601 should accept \"%s\"", text);
    assert_int_equal(back, ms);
}

static void test_format_iso(void **state)
{
    (void)state;
    expect_iso(0, "1970-01-01T00:00:00.000Z");
    expect_iso(INT64_C(1710238532123), "2024-03-12T10:15:32.123Z");
    expect_iso(-1, "1969-12-31T23:59:59.999Z");
    expect_iso(-1000, "1969-12-31T23:59:59.000Z");
    expect_iso(-1001, "1969-12-31T23:59:58.999Z");
    expect_iso(INT64_C(-2208988800000), "1900-01-01T00:00:00.000Z");
    expect_iso(INT64_C(-62167219200000), "0000-01-01T00:00:00.000Z");
    expect_iso(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
    expect_iso(INT64_C(1709164800000), "2024-02-29T00:00:00.000Z");
    expect_iso(INT64_C(951868800000) - 1, "2000-02-29T23:59:59.999Z");
    /* sweep: each hour over ~8 years either side of 1970 round-trips */
    for (int64_t ms = INT64_C(-250000000000); ms < INT64_C(250000000000); ms += INT64_C(3600000) + 7) {
        char buf[32];
        cb_time_format_iso(ms, buf, sizeof buf);
        int64_t back;
        assert_true(parse_kind(CB_TIME_ISO8601, buf, &back));
        assert_int_equal(back, ms);
    }
    /* extremes do not crash; a small buffer is truncated, NUL-terminated */
    char buf[32];
    cb_time_format_iso(INT64_MIN, buf, sizeof buf);
    cb_time_format_iso(INT64_MAX, buf, sizeof buf);
    char small[8];
    cb_time_format_iso(0, small, sizeof small);
    assert_string_equal(small, "1970-01");
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(cb_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cb_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cb_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cb_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(cb_days_from_civil(0, 1, 1), -719528);
    assert_int_equal(cb_days_from_civil(1900, 1, 1), -25567);
    assert_int_equal(cb_days_from_civil(9999, 12, 31), 2932896);
    assert_int_equal(cb_days_from_civil(-1, 12, 31), -719529);
}

static void test_clf(void **state)
{
    (void)state;
    cb_timefmt f = {.kind = CB_TIME_CLF};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &f, 0);
    int64_t ms = 0;
    const char *l = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
    assert_true(cb_time_parse(&ctx, l, strlen(l), &ms));
    assert_int_equal(ms, INT64_C(971211336000)); /* 2000-10-10T20:55:36Z */
    const char *nozone = "10.0.0.1 - - [12/Mar/2024:10:15:32] \"GET / HTTP/1.1\" 200 1";
    assert_true(cb_time_parse(&ctx, nozone, strlen(nozone), &ms));
    assert_int_equal(ms, INT64_C(1710238532000));
    const char *bad[] = {"no bracket here at all", "x [10/Oct/2000 13:55:36 -0700]", "x [10/Foo/2000:13:55:36 -0700]",
                         "x [32/Oct/2000:13:55:36 -0700]", "x [10/Oct/2000:13:55:36 -0700", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cb_time_parse(&ctx, bad[i], strlen(bad[i]), &ms));
    char far[300];
    memset(far, 'x', 200);
    snprintf(far + 200, sizeof far - 200, " [10/Oct/2000:13:55:36 -0700]");
    assert_false(cb_time_parse(&ctx, far, strlen(far), &ms)); /* beyond the first 128 bytes */
    const char *access = "10.0.0.7 - - [12/Mar/2024:10:15:32 +0000] \"GET /shop HTTP/1.1\" 200 512\n"
                         "10.0.0.8 - - [12/Mar/2024:10:15:33 +0000] \"GET /cart HTTP/1.1\" 200 128\n";
    assert_int_equal(cb_time_detect(access, strlen(access)), CB_TIME_CLF);
    assert_string_equal(cb_time_kind_name(CB_TIME_CLF), "clf");
}

static void test_local_offset(void **state)
{
    (void)state;
    int64_t off = 0;
    const char *hdr = "[7/7/2021] Info  MachineName: X\r\n[07.07.2021 16:34:10] <01> Info UTC offset: 2.00 hours\r\n";
    assert_true(cb_time_find_utc_offset(hdr, strlen(hdr), &off));
    assert_int_equal(off, INT64_C(7200000));
    const char *neg = "UTC offset: -5.50 hours";
    assert_true(cb_time_find_utc_offset(neg, strlen(neg), &off));
    assert_int_equal(off, -INT64_C(19800000));
    const char *bad = "UTC offset: soon hours; UTC offset: 99.00 hours; UTC offset: 3.00 days";
    assert_false(cb_time_find_utc_offset(bad, strlen(bad), &off));
    const char *cut = "UTC offset: 2.00 hou";
    assert_false(cb_time_find_utc_offset(cut, strlen(cut), &off));

    cb_timefmt f = {.kind = CB_TIME_VEEAM};
    cb_timectx ctx;
    cb_timectx_init(&ctx, &f, 0);
    cb_timectx_set_local_offset(&ctx, INT64_C(7200000));
    int64_t ms = 0;
    const char *line = "[07.07.2021 16:34:10] <01> Info x";
    assert_true(cb_time_parse(&ctx, line, strlen(line), &ms));
    assert_int_equal(ms, INT64_C(1625668450000)); /* 2021-07-07T14:34:10Z */

    cb_timefmt iso = {.kind = CB_TIME_ISO8601};
    cb_timectx_init(&ctx, &iso, 0);
    cb_timectx_set_local_offset(&ctx, INT64_C(7200000)); /* iso8601 may carry its own zone: ignored */
    const char *l2 = "2021-07-07T16:34:10Z x";
    assert_true(cb_time_parse(&ctx, l2, strlen(l2), &ms));
    assert_int_equal(ms, INT64_C(1625675650000));
}

/* --since/--until: every ISO 8601 form to the minute, extended or basic, with or without a zone. */
static void test_time_arg_iso(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t ms;
    } ok[] = {
        {"2024-03-12T10:00Z", INT64_C(1710237600000)},
        {"2024-03-12T10:00z", INT64_C(1710237600000)},
        {"2024-03-12t10:00Z", INT64_C(1710237600000)},
        {"2024-03-12 10:00", INT64_C(1710237600000)},     /* no zone: UTC */
        {"2024-03-12T10:00", INT64_C(1710237600000)},
        {"2024-03-12T10:00:00Z", INT64_C(1710237600000)},
        {"2024-03-12T10:00:30.123+02:00", INT64_C(1710230430123)},
        {"2024-03-12T10:00:30,5+0200", INT64_C(1710230430500)},
        {"2024-03-12T10:00+02", INT64_C(1710230400000)},
        {"2024-03-12T10:00-05:30", INT64_C(1710257400000)},
        {"20240312T1000Z", INT64_C(1710237600000)},
        {"20240312T100030.123456789Z", INT64_C(1710237630123)},
        {"20240312T1000+0200", INT64_C(1710230400000)},
        {"2024-03-12", INT64_C(1710201600000)},          /* a date: its midnight UTC */
        {"20240312", INT64_C(1710201600000)},
        {"0001-01-01T00:00Z", CB_TIME_MIN_MS},
        {"9999-12-31T23:59:59.999Z", CB_TIME_MAX_MS},
        {"2024-02-29", INT64_C(1709164800000)},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cb_time_arg a;
        cb_error err;
        if (cb_time_arg_parse(ok[i].s, &a, &err) != CB_OK)
            fail_msg("%s: %s", ok[i].s, err.msg);
        assert_false(a.relative);
        if (a.ms != ok[i].ms)
            fail_msg("%s: %lld, expected %lld", ok[i].s, (long long)a.ms, (long long)ok[i].ms);
    }
    static const char *const bad[] = {
        "2024-03-12T10",        /* hours only: not to the minute */
        "2024-03-12T10:00:00Zx", "2024-03-12 junk", "2024-03-12Z", "2024-3-12", "2024-03-1210:00",
        "2024-13-01", "2023-02-29", "2024-03-12T24:00Z", "2024-03-12T10:60Z", "2024-03-12T10:00+24:00",
        "2024-03-12T10:00+02:5", "0000-01-01", "10000-01-01", "0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00",
        "", "T", "yesterday", "2h ago", "-2h", "2x", "h",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cb_time_arg a;
        cb_error err;
        if (cb_time_arg_parse(bad[i], &a, &err) == CB_OK)
            fail_msg("'%s' accepted as %lld", bad[i], (long long)a.ms);
        assert_non_null(strstr(err.msg, bad[i]));
    }
}

/* Durations, their overflow, and a resolved window outside the representable years. */
static void test_time_arg_relative(void **state)
{
    (void)state;
    cb_time_arg a;
    cb_error err;
    int64_t ms;
    assert_int_equal(cb_time_arg_parse("90s", &a, &err), CB_OK);
    assert_true(a.relative);
    assert_int_equal(a.ms, 90000);
    assert_int_equal(cb_time_arg_parse("2h", &a, &err), CB_OK);
    assert_int_equal(a.ms, INT64_C(7200000));
    assert_int_equal(cb_time_arg_parse("1w", &a, &err), CB_OK);
    assert_int_equal(a.ms, INT64_C(604800000));
    assert_int_equal(cb_time_arg_resolve(&a, INT64_C(1710237600000), &ms, &err), CB_OK);
    assert_int_equal(ms, INT64_C(1710237600000) - INT64_C(604800000));
    /* 99999999 days parse (within the 10,000-year span) but reach back before the year 1. */
    assert_int_equal(cb_time_arg_parse("99999999d", &a, &err), CB_EINVAL);
    assert_int_equal(cb_time_arg_parse("3000000d", &a, &err), CB_OK);
    assert_int_equal(cb_time_arg_resolve(&a, INT64_C(1710237600000), &ms, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "before the year 0001"));
    /* Digits that overflow int64 on their own, or once multiplied by the unit. */
    assert_int_equal(cb_time_arg_parse("99999999999999999999999s", &a, &err), CB_EINVAL);
    assert_int_equal(cb_time_arg_parse("9223372036854775807d", &a, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "10,000 years"));
    /* An absolute value resolves to itself; a reference at the edge cannot be pushed past it. */
    assert_int_equal(cb_time_arg_parse("2024-03-12", &a, &err), CB_OK);
    assert_int_equal(cb_time_arg_resolve(&a, 0, &ms, &err), CB_OK);
    assert_int_equal(ms, INT64_C(1710201600000));
    a = (cb_time_arg){true, INT64_MAX};
    assert_int_equal(cb_time_arg_resolve(&a, INT64_MIN, &ms, &err), CB_EINVAL);
}

static void test_uptime(void **state)
{
    (void)state;
    int64_t us;
    size_t off;
    const char *l = "[12345.678901] EXT4-fs error";
    assert_true(cb_time_parse_uptime(l, strlen(l), &us, &off));
    assert_int_equal(us, INT64_C(12345678901));
    assert_string_equal(l + off, "EXT4-fs error");
    const char *pad = "[    0.5] x";
    assert_true(cb_time_parse_uptime(pad, strlen(pad), &us, &off));
    assert_int_equal(us, 500000);
    static const char *const bad[] = {"[12345] x", "12345.6 x", "[.5] x", "[1.] x", "[1.5 x", "[1.1234567890] x",
                                      "[Tue Mar 12 10:00:00 2024] x", "[1234567890123.5] x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cb_time_parse_uptime(bad[i], strlen(bad[i]), &us, &off));
    assert_false(cb_time_parse_uptime(l, 8, &us, &off)); /* never past len */
}

/* cb_time_prefix / cb_time_prefix_of: the end of a line's leading timestamp, of any kind or of one kind. */
static void test_time_prefix_of(void **state)
{
    (void)state;
    const char *l = "2015-10-18 18:01:47,978 INFO hello";
    size_t end = 0;
    assert_int_equal(cb_time_prefix(l, strlen(l), &end), CB_TIME_JAVA);
    assert_int_equal(end, 23);
    end = 0;
    assert_true(cb_time_prefix_of(CB_TIME_JAVA, l, strlen(l), &end));
    assert_int_equal(end, 23);
    assert_false(cb_time_prefix_of(CB_TIME_SYSLOG, l, strlen(l), &end));
    assert_false(cb_time_prefix_of(CB_TIME_NONE, l, strlen(l), &end));
    assert_false(cb_time_prefix_of(CB_TIME_CUSTOM, l, strlen(l), &end));
    l = "Dec 10 06:55:46 host sshd[1]: x";
    assert_true(cb_time_prefix_of(CB_TIME_SYSLOG, l, strlen(l), &end));
    assert_int_equal(end, 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_accepts),
        cmocka_unit_test(test_iso_zones),
        cmocka_unit_test(test_iso_rejects),
        cmocka_unit_test(test_java),
        cmocka_unit_test(test_veeam),
        cmocka_unit_test(test_syslog_shapes),
        cmocka_unit_test(test_syslog_year),
        cmocka_unit_test(test_apache),
        cmocka_unit_test(test_hdfs),
        cmocka_unit_test(test_windows_ampm),
        cmocka_unit_test(test_spark),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_none_and_names),
        cmocka_unit_test(test_no_overread),
        cmocka_unit_test(test_custom_valid),
        cmocka_unit_test(test_custom_errors),
        cmocka_unit_test(test_compile_builtin_names),
        cmocka_unit_test(test_detect_synthetic),
        cmocka_unit_test(test_detect_64_lines),
        cmocka_unit_test(test_detect_loghub),
        cmocka_unit_test(test_format_iso),
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_local_offset),
        cmocka_unit_test(test_clf),
        cmocka_unit_test(test_time_arg_iso),
        cmocka_unit_test(test_time_arg_relative),
        cmocka_unit_test(test_uptime),
        cmocka_unit_test(test_time_prefix_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
