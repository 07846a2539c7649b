/*
 * timefmt.c — detect and parse the leading timestamp of log lines.
 *
 * Every built-in format has its own hand-written parser: a line is either a
 * fixed sequence of digit fields and separators or it is not, so each parser
 * is a few bounds-checked byte comparisons with no allocation, no locale and
 * no libc scanning.  All parsers work on a (pointer, length) cursor and never
 * look at line[len] or beyond, because lines come straight out of a mapped
 * file and are not NUL-terminated.  User patterns (CB_TIME_CUSTOM) are
 * validated once by cb_timefmt_compile and interpreted on every line.
 */
#include <stdio.h>
#include <time.h>

#include "casebook/timefmt.h"
#include "core/internal.h"

enum { DETECT_MAX_LINES = 64 };

static const char *const kind_names[CB_TIME__COUNT] = {
    [CB_TIME_NONE] = "none",       [CB_TIME_ISO8601] = "iso8601", [CB_TIME_JAVA] = "java",
    [CB_TIME_VEEAM] = "veeam",     [CB_TIME_SYSLOG] = "syslog",   [CB_TIME_APACHE] = "apache",
    [CB_TIME_HDFS] = "hdfs",       [CB_TIME_WINDOWS] = "windows", [CB_TIME_SPARK] = "spark",
    [CB_TIME_COMPACT] = "compact", [CB_TIME_CLF] = "clf",         [CB_TIME_CUSTOM] = "custom",
};

static const char month_abbr[12][3] = {
    {'j', 'a', 'n'}, {'f', 'e', 'b'}, {'m', 'a', 'r'}, {'a', 'p', 'r'}, {'m', 'a', 'y'}, {'j', 'u', 'n'},
    {'j', 'u', 'l'}, {'a', 'u', 'g'}, {'s', 'e', 'p'}, {'o', 'c', 't'}, {'n', 'o', 'v'}, {'d', 'e', 'c'},
};

static const char wday_abbr[7][3] = {
    {'s', 'u', 'n'}, {'m', 'o', 'n'}, {'t', 'u', 'e'}, {'w', 'e', 'd'},
    {'t', 'h', 'u'}, {'f', 'r', 'i'}, {'s', 'a', 't'},
};

/* ---- calendar arithmetic ---------------------------------------------------------------------- */

/* Howard Hinnant's days_from_civil: exact for any proleptic Gregorian date, no tables, no libc. */
int64_t cb_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                          /* [0, 399] */
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9; /* March-based month */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;    /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* The inverse (Hinnant's civil_from_days), used to format times and to read the reference year. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool is_leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* A negative year means "not known yet" (syslog): allow 29 February then. */
static bool valid_date(int y, int mon, int day)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12 || day < 1)
        return false;
    int max = dim[mon - 1];
    if (mon == 2 && (y < 0 || is_leap(y)))
        max = 29;
    return day <= max;
}

/* Seconds up to 60 so that a leap second is not mistaken for a continuation line. */
static bool valid_time(int h, int mi, int s)
{
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

static int64_t to_ms(int y, int mon, int day, int h, int mi, int s, int ms)
{
    int64_t days = cb_days_from_civil(y, (unsigned)mon, (unsigned)day);
    return ((days * 24 + h) * 60 + mi) * (int64_t)60000 + (int64_t)s * 1000 + ms;
}

/* ---- the byte cursor -------------------------------------------------------------------------- */

typedef struct scan {
    const char *s;
    size_t n;
    size_t i;
} scan;

static bool sc_digit(const scan *sc)
{
    return sc->i < sc->n && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9';
}

static bool sc_eat(scan *sc, char c)
{
    if (sc->i < sc->n && sc->s[sc->i] == c) {
        sc->i++;
        return true;
    }
    return false;
}

static bool sc_blank(const scan *sc)
{
    return sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t');
}

static void sc_skip_blanks(scan *sc)
{
    while (sc_blank(sc))
        sc->i++;
}

/* One or more spaces (the padding of a space-padded day). */
static bool sc_spaces(scan *sc)
{
    if (!sc_eat(sc, ' '))
        return false;
    while (sc_eat(sc, ' '))
        ;
    return true;
}

/* The timestamp must not run on into more digits: "10:15:321" is not a time. */
static bool sc_end_ok(const scan *sc)
{
    return !sc_digit(sc);
}

/* Exactly `w` digits (w <= 9, so no overflow). */
static bool num_fixed(scan *sc, int w, int *out)
{
    if (sc->n - sc->i < (size_t)w)
        return false;
    int v = 0;
    for (int k = 0; k < w; k++) {
        char c = sc->s[sc->i + (size_t)k];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    sc->i += (size_t)w;
    *out = v;
    return true;
}

/* Between lo and hi digits, greedy (hi <= 9). */
static bool num_var(scan *sc, int lo, int hi, int *out)
{
    int v = 0, k = 0;
    while (k < hi && sc_digit(sc)) {
        v = v * 10 + (sc->s[sc->i] - '0');
        sc->i++;
        k++;
    }
    *out = v;
    return k >= lo;
}

/*
 * A fraction of a second after its separator: 1..9 digits, of which the
 * first three give the milliseconds ("5" is 500 ms, "432463" is 432 ms).
 * A tenth digit means this is not a fraction we know.
 */
static bool frac_ms(scan *sc, int *ms)
{
    int v = 0, k = 0;
    while (k < 9 && sc_digit(sc)) {
        if (k < 3)
            v = v * 10 + (sc->s[sc->i] - '0');
        sc->i++;
        k++;
    }
    if (k == 0 || sc_digit(sc))
        return false;
    for (int j = k; j < 3; j++)
        v *= 10;
    *ms = v;
    return true;
}

/*
 * An optional zone right after the time: Z, ±hh, ±hhmm or ±hh:mm.  Returns 1
 * and the offset east of UTC in minutes when one is there, 0 when there is
 * none (nothing consumed), -1 when it is malformed (hour > 23, "+02:5").
 */
static int zone(scan *sc, int *off_min)
{
    if (sc_eat(sc, 'Z')) {
        *off_min = 0;
        return 1;
    }
    if (sc->i >= sc->n || (sc->s[sc->i] != '+' && sc->s[sc->i] != '-'))
        return 0;
    int sign = sc->s[sc->i] == '-' ? -1 : 1;
    scan t = *sc;
    t.i++;
    int hh, mm = 0;
    if (!num_fixed(&t, 2, &hh))
        return 0;
    if (sc_eat(&t, ':')) {
        if (!num_fixed(&t, 2, &mm))
            return -1;
    } else if (sc_digit(&t)) {
        if (!num_fixed(&t, 2, &mm))
            return -1;
    }
    if (hh > 23 || mm > 59 || sc_digit(&t))
        return -1;
    *sc = t;
    *off_min = sign * (hh * 60 + mm);
    return 1;
}

/* Three letters, any case, against a table of English abbreviations; returns the index or -1. */
static int abbr(scan *sc, const char (*tab)[3], int count)
{
    if (sc->n - sc->i < 3)
        return -1;
    char a[3];
    for (int k = 0; k < 3; k++)
        a[k] = (char)(sc->s[sc->i + (size_t)k] | 0x20);
    for (int j = 0; j < count; j++) {
        if (tab[j][0] == a[0] && tab[j][1] == a[1] && tab[j][2] == a[2]) {
            sc->i += 3;
            return j;
        }
    }
    return -1;
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* AM or PM in any case, not followed by a letter or digit.  Returns 0 (AM), 12 (PM) or -1. */
static int ampm(scan *sc)
{
    if (sc->n - sc->i < 2)
        return -1;
    char a = (char)(sc->s[sc->i] | 0x20), m = (char)(sc->s[sc->i + 1] | 0x20);
    if ((a != 'a' && a != 'p') || m != 'm')
        return -1;
    if (sc->n - sc->i > 2 && is_alnum(sc->s[sc->i + 2]))
        return -1;
    sc->i += 2;
    return a == 'p' ? 12 : 0;
}

/* 12-hour clock to 24-hour: 12 AM is midnight, 12 PM is noon. */
static int hour24(int h12, int pm)
{
    if (h12 < 1 || h12 > 12)
        return -1;
    return h12 % 12 + pm;
}

/* ---- year from context ------------------------------------------------------------------------ */

/*
 * Formats without a year take it from the file's modification time: the
 * first timestamp is in the mtime's year unless its month and day are after
 * the mtime's (then it is from the year before, as a file cannot hold lines
 * written after it was last modified).  Later, a month that drops by more
 * than six (Dec -> Jan) means the log crossed a new year; smaller drops are
 * taken as out-of-order lines, not as a year change.
 */
static int context_year(cb_timectx *ctx, int mon, int day)
{
    if (ctx->year == 0) {
        int64_t ref = ctx->ref_ms;
        if (ref == 0)
            ref = (int64_t)time(NULL) * 1000;
        int64_t ry;
        unsigned rm, rd;
        civil_from_days(floor_div(ref, 86400000), &ry, &rm, &rd);
        if (ry < 1)
            ry = 1;
        if (ry > 9999)
            ry = 9999;
        int y = (int)ry;
        if ((unsigned)mon > rm || ((unsigned)mon == rm && (unsigned)day > rd))
            y--;
        ctx->year = y;
    } else if (ctx->last_month - mon > 6 && ctx->year < 9999) {
        ctx->year++;
    }
    ctx->last_month = mon;
    return ctx->year;
}

/* ---- built-in parsers ------------------------------------------------------------------------- */

/* Fields shared by the date-time parsers; a negative year = take it from context. */
typedef struct fields {
    int y, mon, day, h, mi, s, ms, off_min;
} fields;

/* `HH:mm:ss` with two-digit fields. */
static bool hms2(scan *sc, fields *f)
{
    return num_fixed(sc, 2, &f->h) && sc_eat(sc, ':') && num_fixed(sc, 2, &f->mi) && sc_eat(sc, ':') &&
           num_fixed(sc, 2, &f->s);
}

/*
 * ISO 8601 and its common log variants.  In detection mode the exact log4j
 * shape (space, comma, three digits, no zone) is refused so that those files
 * detect as "java"; a forced iso8601 format still accepts it.
 */
static bool parse_iso(scan *sc, fields *f, bool detect)
{
    sc_eat(sc, '[');
    if (!num_fixed(sc, 4, &f->y) || !sc_eat(sc, '-') || !num_fixed(sc, 2, &f->mon) || !sc_eat(sc, '-') ||
        !num_fixed(sc, 2, &f->day))
        return false;
    bool space = sc_eat(sc, ' ');
    if (!space && !sc_eat(sc, 'T'))
        return false;
    if (!hms2(sc, f))
        return false;
    bool comma = false;
    int fdigits = 0;
    if (sc->i < sc->n && (sc->s[sc->i] == '.' || sc->s[sc->i] == ',')) {
        comma = sc->s[sc->i] == ',';
        sc->i++;
        size_t start = sc->i;
        if (!frac_ms(sc, &f->ms))
            return false;
        fdigits = (int)(sc->i - start);
    }
    int z = zone(sc, &f->off_min);
    if (z < 0 || !sc_end_ok(sc))
        return false;
    if (detect && space && comma && fdigits == 3 && z == 0)
        return false;
    return true;
}

/* log4j/logback default: yyyy-MM-dd HH:mm:ss,SSS (a '.' before the milliseconds is also taken). */
static bool parse_java(scan *sc, fields *f)
{
    if (!num_fixed(sc, 4, &f->y) || !sc_eat(sc, '-') || !num_fixed(sc, 2, &f->mon) || !sc_eat(sc, '-') ||
        !num_fixed(sc, 2, &f->day) || !sc_eat(sc, ' ') || !hms2(sc, f))
        return false;
    if (!sc_eat(sc, ',') && !sc_eat(sc, '.'))
        return false;
    return num_fixed(sc, 3, &f->ms) && sc_end_ok(sc);
}

/* Veeam: [dd.MM.yyyy H:mm:ss] with optional .fff; agent logs do not pad the hour. */
static bool parse_veeam(scan *sc, fields *f)
{
    if (!sc_eat(sc, '[') || !num_fixed(sc, 2, &f->day) || !sc_eat(sc, '.') || !num_fixed(sc, 2, &f->mon) ||
        !sc_eat(sc, '.') || !num_fixed(sc, 4, &f->y) || !sc_eat(sc, ' ') || !num_var(sc, 1, 2, &f->h) ||
        !sc_eat(sc, ':') || !num_fixed(sc, 2, &f->mi) || !sc_eat(sc, ':') || !num_fixed(sc, 2, &f->s))
        return false;
    if (sc_eat(sc, '.') && !frac_ms(sc, &f->ms))
        return false;
    return sc_eat(sc, ']');
}

/* BSD syslog: Mmm dd HH:MM:SS (day space- or zero-padded), optional .fff; no year. */
static bool parse_syslog(scan *sc, fields *f)
{
    int m = abbr(sc, month_abbr, 12);
    if (m < 0 || !sc_spaces(sc) || !num_var(sc, 1, 2, &f->day) || !sc_eat(sc, ' ') || !hms2(sc, f))
        return false;
    f->mon = m + 1;
    f->y = -1;
    if (sc_eat(sc, '.') && !frac_ms(sc, &f->ms))
        return false;
    return sc_end_ok(sc);
}

/* Apache error log: [Www Mmm dd HH:MM:SS[.ffffff] yyyy]. */
static bool parse_apache(scan *sc, fields *f)
{
    if (!sc_eat(sc, '[') || abbr(sc, wday_abbr, 7) < 0 || !sc_eat(sc, ' '))
        return false;
    int m = abbr(sc, month_abbr, 12);
    if (m < 0 || !sc_spaces(sc) || !num_var(sc, 1, 2, &f->day) || !sc_eat(sc, ' ') || !hms2(sc, f))
        return false;
    f->mon = m + 1;
    if (sc_eat(sc, '.') && !frac_ms(sc, &f->ms))
        return false;
    return sc_eat(sc, ' ') && num_fixed(sc, 4, &f->y) && sc_eat(sc, ']');
}

/*
 * Common Log Format (Apache and nginx access logs): the timestamp is not at
 * the start of the line but after the client address and user fields, so
 * look for the first '[' in the line's first 128 bytes and parse
 * "[dd/Mon/yyyy:HH:MM:SS ±hhmm]" there.
 */
static bool parse_clf(scan *sc, fields *f)
{
    size_t limit = sc->n - sc->i > 128 ? sc->i + 128 : sc->n;
    const char *b = memchr(sc->s + sc->i, '[', limit - sc->i);
    if (!b)
        return false;
    sc->i = (size_t)(b - sc->s) + 1;
    if (!num_fixed(sc, 2, &f->day) || !sc_eat(sc, '/'))
        return false;
    int m = abbr(sc, month_abbr, 12);
    if (m < 0 || !sc_eat(sc, '/') || !num_fixed(sc, 4, &f->y) || !sc_eat(sc, ':') || !hms2(sc, f))
        return false;
    f->mon = m + 1;
    if (sc_eat(sc, ' ') && zone(sc, &f->off_min) <= 0)
        return false;
    return sc_eat(sc, ']');
}

/* HDFS: yyMMdd HHmmss, then a space or the end, so that any other run of digits does not match. */
static bool parse_hdfs(scan *sc, fields *f)
{
    if (!num_fixed(sc, 2, &f->y) || !num_fixed(sc, 2, &f->mon) || !num_fixed(sc, 2, &f->day) ||
        !sc_eat(sc, ' ') || !num_fixed(sc, 2, &f->h) || !num_fixed(sc, 2, &f->mi) || !num_fixed(sc, 2, &f->s))
        return false;
    f->y += 2000;
    return sc->i == sc->n || sc->s[sc->i] == ' ';
}

/* Windows/.NET US culture: M/d/yyyy h:mm:ss AM|PM. */
static bool parse_windows(scan *sc, fields *f)
{
    int h12, pm;
    if (!num_var(sc, 1, 2, &f->mon) || !sc_eat(sc, '/') || !num_var(sc, 1, 2, &f->day) || !sc_eat(sc, '/') ||
        !num_fixed(sc, 4, &f->y) || !sc_eat(sc, ' ') || !num_var(sc, 1, 2, &h12) || !sc_eat(sc, ':') ||
        !num_fixed(sc, 2, &f->mi) || !sc_eat(sc, ':') || !num_fixed(sc, 2, &f->s) || !sc_eat(sc, ' '))
        return false;
    if ((pm = ampm(sc)) < 0 || (f->h = hour24(h12, pm)) < 0)
        return false;
    return true;
}

/* Spark (log4j with a short date): yy/MM/dd HH:mm:ss. */
static bool parse_spark(scan *sc, fields *f)
{
    if (!num_fixed(sc, 2, &f->y) || !sc_eat(sc, '/') || !num_fixed(sc, 2, &f->mon) || !sc_eat(sc, '/') ||
        !num_fixed(sc, 2, &f->day) || !sc_eat(sc, ' ') || !hms2(sc, f))
        return false;
    f->y += 2000;
    return sc_end_ok(sc);
}

/*
 * HealthApp: yyyyMMdd-H:m:s:S.  The real logs do not pad the time fields
 * ("22:25:0:162") and write the milliseconds as a plain number ("13:8" is
 * 8 ms), so those fields take 1-2 digits and 1-3 digits as integers.
 */
static bool parse_compact(scan *sc, fields *f)
{
    return num_fixed(sc, 4, &f->y) && num_fixed(sc, 2, &f->mon) && num_fixed(sc, 2, &f->day) &&
           sc_eat(sc, '-') && num_var(sc, 1, 2, &f->h) && sc_eat(sc, ':') && num_var(sc, 1, 2, &f->mi) &&
           sc_eat(sc, ':') && num_var(sc, 1, 2, &f->s) && sc_eat(sc, ':') && num_var(sc, 1, 3, &f->ms) &&
           sc_end_ok(sc);
}

/* ---- custom patterns -------------------------------------------------------------------------- */

/*
 * Interpret a validated pattern (see cb_timefmt_compile) against the line.
 * Numeric fields take 1-2 digits greedily (4 for %Y, 2 for %y) like strptime.
 * With %s the epoch seconds win over any date fields also present.
 */
static bool parse_custom(cb_timectx *ctx, scan *sc, int64_t *out)
{
    fields f = {-1, 0, 0, 0, 0, 0, 0, 0};
    int h12 = -1, pm = -1;
    bool has_s = false, neg_s = false;
    int64_t epoch = 0;
    for (const char *p = ctx->fmt.spec; *p; p++) {
        if (*p == ' ') {
            if (!sc_blank(sc))
                return false;
            sc_skip_blanks(sc);
            continue;
        }
        if (*p != '%') {
            if (!sc_eat(sc, *p))
                return false;
            continue;
        }
        p++;
        bool ok = true;
        int m;
        switch (*p) {
        case 'Y':
            ok = num_fixed(sc, 4, &f.y);
            break;
        case 'y':
            ok = num_fixed(sc, 2, &f.y);
            f.y += f.y < 70 ? 2000 : 1900;
            break;
        case 'm':
            ok = num_var(sc, 1, 2, &f.mon);
            break;
        case 'e':
            sc_skip_blanks(sc);
            ok = num_var(sc, 1, 2, &f.day);
            break;
        case 'd':
            ok = num_var(sc, 1, 2, &f.day);
            break;
        case 'H':
            ok = num_var(sc, 1, 2, &f.h);
            break;
        case 'I':
            ok = num_var(sc, 1, 2, &h12);
            break;
        case 'M':
            ok = num_var(sc, 1, 2, &f.mi);
            break;
        case 'S':
            ok = num_var(sc, 1, 2, &f.s);
            break;
        case 'f':
            ok = frac_ms(sc, &f.ms);
            break;
        case 'p':
            ok = (pm = ampm(sc)) >= 0;
            break;
        case 'b':
            ok = (m = abbr(sc, month_abbr, 12)) >= 0;
            f.mon = m + 1;
            break;
        case 'a':
            ok = abbr(sc, wday_abbr, 7) >= 0;
            break;
        case 'z':
            ok = zone(sc, &f.off_min) == 1;
            break;
        case 's': {
            neg_s = sc_eat(sc, '-');
            int k = 0;
            epoch = 0;
            while (k < 12 && sc_digit(sc)) {
                epoch = epoch * 10 + (sc->s[sc->i] - '0');
                sc->i++;
                k++;
            }
            ok = k > 0 && !sc_digit(sc);
            has_s = true;
            break;
        }
        case '%':
            ok = sc_eat(sc, '%');
            break;
        default: /* cannot happen: the pattern was validated */
            ok = false;
            break;
        }
        if (!ok)
            return false;
    }
    if (has_s) {
        *out = neg_s ? -(epoch * 1000 + f.ms) : epoch * 1000 + f.ms;
        return true;
    }
    if (h12 >= 0 && (f.h = hour24(h12, pm < 0 ? 0 : pm)) < 0)
        return false;
    if (!valid_date(f.y, f.mon, f.day) || !valid_time(f.h, f.mi, f.s))
        return false;
    if (f.y < 0)
        f.y = context_year(ctx, f.mon, f.day);
    *out = to_ms(f.y, f.mon, f.day, f.h, f.mi, f.s, f.ms) - (int64_t)f.off_min * 60000;
    return true;
}

/* ---- dispatch ---------------------------------------------------------------------------------- */

static bool parse_kind(cb_timectx *ctx, cb_time_kind kind, const char *line, size_t len, bool detect,
                       int64_t *out, size_t *end)
{
    if (!line)
        return false;
    scan sc = {line, len, 0};
    sc_skip_blanks(&sc);
    if (sc.i >= sc.n)
        return false;
    fields f = {0, 0, 0, 0, 0, 0, 0, 0};
    bool ok;
    switch (kind) {
    case CB_TIME_ISO8601:
        ok = parse_iso(&sc, &f, detect);
        break;
    case CB_TIME_JAVA:
        ok = parse_java(&sc, &f);
        break;
    case CB_TIME_VEEAM:
        ok = parse_veeam(&sc, &f);
        break;
    case CB_TIME_SYSLOG:
        ok = parse_syslog(&sc, &f);
        break;
    case CB_TIME_APACHE:
        ok = parse_apache(&sc, &f);
        break;
    case CB_TIME_HDFS:
        ok = parse_hdfs(&sc, &f);
        break;
    case CB_TIME_WINDOWS:
        ok = parse_windows(&sc, &f);
        break;
    case CB_TIME_SPARK:
        ok = parse_spark(&sc, &f);
        break;
    case CB_TIME_COMPACT:
        ok = parse_compact(&sc, &f);
        break;
    case CB_TIME_CLF:
        ok = parse_clf(&sc, &f);
        break;
    case CB_TIME_CUSTOM:
        return parse_custom(ctx, &sc, out);
    default:
        return false;
    }
    if (!ok || !valid_date(f.y, f.mon, f.day) || !valid_time(f.h, f.mi, f.s))
        return false;
    if (f.y < 0)
        f.y = context_year(ctx, f.mon, f.day);
    *out = to_ms(f.y, f.mon, f.day, f.h, f.mi, f.s, f.ms) - (int64_t)f.off_min * 60000;
    if (end)
        *end = sc.i;
    return true;
}

void cb_timectx_set_local_offset(cb_timectx *ctx, int64_t offset_ms)
{
    bool zoned = ctx->fmt.kind == CB_TIME_ISO8601 ||
                 (ctx->fmt.kind == CB_TIME_CUSTOM && (strstr(ctx->fmt.spec, "%z") || strstr(ctx->fmt.spec, "%s")));
    ctx->local_offset_ms = zoned ? 0 : offset_ms;
}

bool cb_time_find_utc_offset(const char *text, size_t len, int64_t *offset_ms)
{
    static const char key[] = "UTC offset: ";
    const char *p = text, *end = text + len;
    while (p < end && (p = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
        const char *q = p + sizeof key - 1;
        p = q;
        int sign = 1;
        if (q < end && (*q == '-' || *q == '+'))
            sign = *q++ == '-' ? -1 : 1;
        int64_t hours = 0, frac = 0, scale = 1;
        int digits = 0;
        while (q < end && *q >= '0' && *q <= '9' && digits < 3) {
            hours = hours * 10 + (*q++ - '0');
            digits++;
        }
        if (!digits || hours > 14)
            continue;
        if (q < end && *q == '.') {
            q++;
            for (int k = 0; k < 2 && q < end && *q >= '0' && *q <= '9'; k++) {
                frac = frac * 10 + (*q++ - '0');
                scale *= 10;
            }
        }
        if (end - q < 6 || memcmp(q, " hours", 6) != 0)
            continue;
        *offset_ms = sign * (hours * 3600000 + frac * 3600000 / scale);
        return true;
    }
    return false;
}

bool cb_time_parse(cb_timectx *ctx, const char *line, size_t len, int64_t *ms)
{
    int64_t v;
    if (!parse_kind(ctx, ctx->fmt.kind, line, len, false, &v, NULL))
        return false;
    v -= ctx->local_offset_ms;
    if (ms)
        *ms = v;
    return true;
}

void cb_timectx_init(cb_timectx *ctx, const cb_timefmt *fmt, int64_t ref_ms)
{
    memset(ctx, 0, sizeof *ctx);
    if (fmt)
        ctx->fmt = *fmt;
    ctx->ref_ms = ref_ms;
}

/*
 * Count, per built-in kind, how many of the first non-empty lines it parses.
 * Each kind keeps its own context across lines with a fixed reference time,
 * so detection never calls time() and the year logic cannot reject a line.
 */
cb_time_kind cb_time_detect(const char *text, size_t len)
{
    unsigned hits[CB_TIME__COUNT] = {0};
    cb_timectx ctx[CB_TIME__COUNT];
    for (int k = 0; k < CB_TIME__COUNT; k++) {
        cb_timefmt fmt = {.kind = (cb_time_kind)k, .spec = {0}};
        cb_timectx_init(&ctx[k], &fmt, INT64_C(1704067200000)); /* 2024-01-01 */
    }
    size_t pos = 0;
    int lines = 0;
    while (text && pos < len && lines < DETECT_MAX_LINES) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n > 0 && start[n - 1] == '\r')
            n--;
        size_t b = 0;
        while (b < n && (start[b] == ' ' || start[b] == '\t'))
            b++;
        if (b == n)
            continue;
        lines++;
        for (int k = CB_TIME_NONE + 1; k < CB_TIME_CUSTOM; k++) {
            int64_t ms;
            if (parse_kind(&ctx[k], (cb_time_kind)k, start, n, true, &ms, NULL))
                hits[k]++;
        }
    }
    cb_time_kind best = CB_TIME_NONE;
    unsigned best_hits = 0;
    for (int k = CB_TIME_NONE + 1; k < CB_TIME_CUSTOM; k++) {
        if (hits[k] > best_hits) {
            best_hits = hits[k];
            best = (cb_time_kind)k;
        }
    }
    return best;
}

bool cb_time_prefix_of(cb_time_kind kind, const char *line, size_t len, size_t *end)
{
    if (kind <= CB_TIME_NONE || kind >= CB_TIME_CUSTOM)
        return false;
    cb_timectx ctx;
    cb_timefmt fmt = {.kind = kind, .spec = {0}};
    cb_timectx_init(&ctx, &fmt, INT64_C(1704067200000)); /* a fixed reference: never calls time() */
    int64_t ms;
    size_t e = 0;
    if (!parse_kind(&ctx, kind, line, len, true, &ms, &e))
        return false;
    if (end)
        *end = e;
    return true;
}

cb_time_kind cb_time_prefix(const char *line, size_t len, size_t *end)
{
    for (int k = CB_TIME_NONE + 1; k < CB_TIME_CUSTOM; k++)
        if (cb_time_prefix_of((cb_time_kind)k, line, len, end))
            return (cb_time_kind)k;
    return CB_TIME_NONE;
}

/* ---- compiling user patterns ------------------------------------------------------------------ */

/*
 * Validate a user pattern once so that parsing can trust it.  Besides the
 * conversions, the name of a built-in kind ("iso8601", "syslog", ...) is
 * accepted and selects that kind, so one option can take either.  The year
 * may be omitted (it then comes from context, as for syslog), but month,
 * day, hour and minute are needed unless %s gives the whole time.
 */
cb_status cb_timefmt_compile(const char *spec, cb_timefmt *out, cb_error *err)
{
    if (!spec || !*spec)
        return cb_error_set(err, CB_EINVAL, "pattern is empty");
    size_t n = strlen(spec);
    if (n > CB_TIMEFMT_SPEC_MAX - 1)
        return cb_error_set(err, CB_EINVAL, "pattern is longer than %d bytes", CB_TIMEFMT_SPEC_MAX - 1);
    for (int k = 0; k < CB_TIME__COUNT; k++) {
        if (k != CB_TIME_CUSTOM && strcmp(spec, kind_names[k]) == 0) {
            memset(out, 0, sizeof *out);
            out->kind = (cb_time_kind)k;
            return CB_OK;
        }
    }
    bool has_s = false, mon = false, day = false, hour = false, min = false, has_i = false, has_p = false;
    for (size_t i = 0; i < n; i++) {
        if (spec[i] != '%')
            continue;
        if (i + 1 == n)
            return cb_error_set(err, CB_EINVAL, "pattern ends with '%%'");
        unsigned char c = (unsigned char)spec[++i];
        switch (c) {
        case 'Y':
        case 'y':
        case 'S':
        case 'f':
        case 'a':
        case 'z':
        case '%':
            break;
        case 'm':
        case 'b':
            mon = true;
            break;
        case 'd':
        case 'e':
            day = true;
            break;
        case 'H':
            hour = true;
            break;
        case 'I':
            hour = has_i = true;
            break;
        case 'p':
            has_p = true;
            break;
        case 'M':
            min = true;
            break;
        case 's':
            has_s = true;
            break;
        default: /* i (index of the letter) is the 1-based position of its '%' */
            if (c >= 0x21 && c < 0x7f)
                return cb_error_set(err, CB_EINVAL, "unknown conversion '%%%c' at position %zu", (char)c, i);
            return cb_error_set(err, CB_EINVAL, "unknown conversion '%%\\x%02x' at position %zu", c, i);
        }
    }
    if (has_i && !has_p)
        return cb_error_set(err, CB_EINVAL, "'%%I' needs '%%p'");
    if (has_p && !has_i)
        return cb_error_set(err, CB_EINVAL, "'%%p' needs '%%I'");
    if (!has_s && !(mon && day && hour && min))
        return cb_error_set(err, CB_EINVAL, "pattern needs at least a month, day, hour and minute, or %%s");
    memset(out, 0, sizeof *out);
    out->kind = CB_TIME_CUSTOM;
    memcpy(out->spec, spec, n + 1);
    return CB_OK;
}

/* ---- names and formatting --------------------------------------------------------------------- */

const char *cb_time_kind_name(cb_time_kind kind)
{
    if ((int)kind < 0 || kind >= CB_TIME__COUNT)
        return "none";
    return kind_names[kind];
}

/* Floor division keeps times before 1970 right: -1 ms is 1969-12-31T23:59:59.999Z. */
char *cb_time_format_iso(int64_t ms, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    int64_t secs = floor_div(ms, 1000);
    int frac = (int)(ms % 1000 + (ms % 1000 < 0 ? 1000 : 0));
    int64_t days = floor_div(secs, 86400);
    int sod = (int)(secs % 86400 + (secs % 86400 < 0 ? 86400 : 0));
    int64_t y;
    unsigned mon, day;
    civil_from_days(days, &y, &mon, &day);
    snprintf(buf, size, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, mon, day, sod / 3600,
             sod / 60 % 60, sod % 60, frac);
    return buf;
}

/* ---- --since / --until values ----------------------------------------------------------------- */

/*
 * A strict reader for arguments, separate from the line parsers: a log line
 * may run on after its timestamp, an argument must be a timestamp and
 * nothing else, and it may use ISO 8601's basic form, which no log format
 * here needs.
 */
static bool arg_iso(const char *s, size_t n, int64_t *out, const char **why)
{
    scan sc = {s, n, 0};
    int y, mon, day, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
    *why = NULL;
    if (!num_fixed(&sc, 4, &y))
        return false;
    bool ext = sc_eat(&sc, '-');
    if (!num_fixed(&sc, 2, &mon) || (ext && !sc_eat(&sc, '-')) || !num_fixed(&sc, 2, &day) || sc_digit(&sc))
        return false;
    if (y < 1 || !valid_date(y, mon, day)) {
        *why = "is not a date of the years 0001 to 9999";
        return false;
    }
    if (sc.i < n) {
        char sep = s[sc.i];
        if (sep != 'T' && sep != 't' && sep != ' ')
            return false;
        sc.i++;
        if (!num_fixed(&sc, 2, &h))
            return false;
        bool colon = sc_eat(&sc, ':');
        if (!num_fixed(&sc, 2, &mi))
            return false;
        if ((colon && sc_eat(&sc, ':')) || (!colon && sc_digit(&sc))) {
            if (!num_fixed(&sc, 2, &sec))
                return false;
            if ((sc_eat(&sc, '.') || sc_eat(&sc, ',')) && !frac_ms(&sc, &ms))
                return false;
        }
        if (sc_digit(&sc))
            return false;
        if (!valid_time(h, mi, sec)) {
            *why = "is not a time of day";
            return false;
        }
        if (sc.i < n && s[sc.i] == 'z') {
            sc.i++;
        } else {
            int z = zone(&sc, &off);
            if (z < 0) {
                *why = "has a malformed zone (Z, +hh, +hhmm or +hh:mm)";
                return false;
            }
        }
    }
    if (sc.i != n)
        return false;
    int64_t v = to_ms(y, mon, day, h, mi, sec, ms) - (int64_t)off * 60000;
    if (v < CB_TIME_MIN_MS || v > CB_TIME_MAX_MS) {
        *why = "is outside the years 0001 to 9999";
        return false;
    }
    *out = v;
    return true;
}

static const char arg_forms[] = "2024-03-12T10:15Z, 2024-03-12 10:15:30+02:00, 20240312T1015Z, 2024-03-12; "
                                "a time without a zone is UTC";

cb_status cb_time_arg_parse(const char *s, cb_time_arg *out, cb_error *err)
{
    size_t n = strlen(s);
    /* A duration back from the bundle's end: digits and one unit. */
    if (n >= 2 && s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == n - 1) {
        int64_t unit = 0;
        switch (s[n - 1]) {
        case 's': unit = 1000; break;
        case 'm': unit = 60000; break;
        case 'h': unit = 3600000; break;
        case 'd': unit = 86400000; break;
        case 'w': unit = 7 * INT64_C(86400000); break;
        }
        if (unit) {
            int64_t v = 0;
            bool ok = true;
            for (size_t i = 0; i + 1 < n && ok; i++)
                ok = !__builtin_mul_overflow(v, 10, &v) && !__builtin_add_overflow(v, s[i] - '0', &v);
            if (!ok || __builtin_mul_overflow(v, unit, &v) || v > CB_TIME_MAX_MS - CB_TIME_MIN_MS)
                return cb_error_set(err, CB_EINVAL, "'%s' is longer than the 10,000 years casebook can represent",
                                    s);
            out->relative = true;
            out->ms = v;
            return CB_OK;
        }
    }
    const char *why = NULL;
    int64_t v;
    if (n < 64 && arg_iso(s, n, &v, &why)) {
        out->relative = false;
        out->ms = v;
        return CB_OK;
    }
    if (why)
        return cb_error_set(err, CB_EINVAL, "'%s' %s", s, why);
    return cb_error_set(err, CB_EINVAL,
                        "'%s' is not an ISO 8601 time (%s) or a duration back from the bundle's last line "
                        "(30m, 2h, 3d, 1w)",
                        s, arg_forms);
}

cb_status cb_time_arg_resolve(const cb_time_arg *arg, int64_t ref_ms, int64_t *ms, cb_error *err)
{
    int64_t v = arg->ms;
    if (arg->relative && __builtin_sub_overflow(ref_ms, arg->ms, &v))
        v = INT64_MIN;
    if (v < CB_TIME_MIN_MS || v > CB_TIME_MAX_MS) {
        char ref[40];
        return cb_error_set(err, CB_EINVAL, "%lld days back from the bundle's last line (%s) is before the year 0001",
                            (long long)(arg->ms / 86400000), cb_time_format_iso(ref_ms, ref, sizeof ref));
    }
    *ms = v;
    return CB_OK;
}

bool cb_time_parse_uptime(const char *line, size_t len, int64_t *uptime_us, size_t *msg_off)
{
    scan sc = {line, len, 0};
    if (!sc_eat(&sc, '['))
        return false;
    while (sc_eat(&sc, ' '))
        ;
    int64_t secs = 0;
    int k = 0;
    while (sc_digit(&sc) && k < 12) { /* 10^12 s is 31,000 years: no overflow below */
        secs = secs * 10 + (line[sc.i++] - '0');
        k++;
    }
    if (k == 0 || sc_digit(&sc) || !sc_eat(&sc, '.'))
        return false;
    int64_t us = 0;
    int f = 0;
    while (sc_digit(&sc) && f < 9) {
        if (f < 6)
            us = us * 10 + (line[sc.i] - '0');
        sc.i++;
        f++;
    }
    if (f == 0 || sc_digit(&sc) || !sc_eat(&sc, ']'))
        return false;
    for (int j = f; j < 6; j++)
        us *= 10;
    sc_eat(&sc, ' ');
    *uptime_us = secs * 1000000 + us;
    *msg_off = sc.i;
    return true;
}
