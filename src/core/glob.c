/*
 * glob.c — match bundle paths against signature file globs (see casebook/glob.h).
 *
 * Globs come from playbooks and paths from customer bundles, so both are
 * untrusted: matching must stay fast however the two are built.  A glob is a
 * list of '/'-separated segments; a segment that is exactly `**` matches whole
 * folders.  The `**` segments cut the glob into pieces of ordinary segments,
 * each of which matches a fixed number of path segments.  The first piece is
 * anchored at the start of the path, the last (unless the glob ends in `**`)
 * at its end, and every piece in between is matched at the earliest folder
 * where it fits: the `**` after it can absorb any number of folders, so an
 * earlier fit never loses a match that a later one would find.  Within one
 * segment, `*` uses the classic backtracking with a single saved star.  The
 * whole match costs O(len(glob) * len(path)) and needs no memory.
 */
#include "casebook/glob.h"
#include "core/internal.h"

#define NONE ((size_t)-1)

/* A leading "./" (or several) on a glob or a path means nothing. */
static size_t skip_dot_slash(const char *s)
{
    size_t i = 0;
    while (s[i] == '.' && s[i + 1] == '/')
        i += 2;
    return i;
}

/* Read one class member at g[*j] (a byte or a backslash escape); false at the end of the glob. */
static bool class_char(const char *g, size_t *j, unsigned char *out)
{
    if (g[*j] == '\\') {
        if (g[*j + 1] == '\0')
            return false;
        *out = (unsigned char)g[*j + 1];
        *j += 2;
        return true;
    }
    if (g[*j] == '\0')
        return false;
    *out = (unsigned char)g[*j];
    *j += 1;
    return true;
}

/*
 * Scan the class that opens at g[i] == '['.  One parser serves validation,
 * segment splitting and matching so that they can never disagree about where
 * a class ends.  A ']' right after the '[' (or after the '!' or '^') is a
 * member, as in fnmatch.  Returns the offset just past the closing ']', or 0
 * when the class is unterminated.  When c >= 0, *hit says whether byte c is
 * in the class.  *bad_range receives the offset of the first reversed range
 * such as `z-a` (NONE if there is none).
 */
static size_t class_scan(const char *g, size_t i, int c, bool *hit, size_t *bad_range)
{
    size_t j = i + 1;
    bool neg = false, in = false, first = true;

    *bad_range = NONE;
    if (g[j] == '!' || g[j] == '^') {
        neg = true;
        j++;
    }
    for (;;) {
        if (g[j] == ']' && !first)
            break;
        first = false;
        size_t item = j;
        unsigned char lo, hi;
        if (!class_char(g, &j, &lo))
            return 0;
        hi = lo;
        if (g[j] == '-' && g[j + 1] != ']' && g[j + 1] != '\0') {
            j++;
            if (!class_char(g, &j, &hi))
                return 0;
            if (hi < lo && *bad_range == NONE)
                *bad_range = item;
        }
        if (c >= lo && c <= hi)
            in = true;
    }
    if (hit)
        *hit = (in != neg);
    return j + 1;
}

/*
 * Find the end of the glob segment that starts at g[i]: the offset of the
 * separator after it (an unescaped '/' outside a class, or `\/`) or of the
 * glob's end.  *next is the start of the following segment, NONE for the
 * last one.  The glob must be valid.
 */
static size_t seg_end(const char *g, size_t i, size_t *next)
{
    for (;;) {
        char ch = g[i];
        if (ch == '\0') {
            *next = NONE;
            return i;
        }
        if (ch == '/') {
            *next = i + 1;
            return i;
        }
        if (ch == '\\') {
            if (g[i + 1] == '/') {
                *next = i + 2;
                return i;
            }
            i += 2;
        } else if (ch == '[') {
            size_t bad;
            i = class_scan(g, i, -1, NULL, &bad);
        } else {
            i++;
        }
    }
}

static bool is_dstar(const char *g, size_t s, size_t e)
{
    return e - s == 2 && g[s] == '*' && g[s + 1] == '*';
}

/*
 * Match one glob segment g[gs, ge) against one path segment p[ps, pe) (which
 * holds no '/').  Backtracking only ever resumes from the most recent '*': an
 * earlier star could only absorb what the later one can, so this is the
 * classic O(glob * path) algorithm rather than an exponential search.
 */
static bool match_seg(const char *g, size_t gs, size_t ge, const char *p, size_t ps, size_t pe)
{
    size_t gi = gs, si = ps, star_g = NONE, star_s = 0;

    while (si < pe) {
        if (gi < ge) {
            unsigned char c = (unsigned char)p[si];
            size_t nx = gi + 1;
            bool ok;
            switch (g[gi]) {
            case '*':
                star_g = ++gi;
                star_s = si;
                continue;
            case '?':
                ok = true;
                break;
            case '[': {
                size_t bad;
                nx = class_scan(g, gi, c, &ok, &bad);
                break;
            }
            case '\\':
                ok = (unsigned char)g[gi + 1] == c;
                nx = gi + 2;
                break;
            default:
                ok = (unsigned char)g[gi] == c;
                break;
            }
            if (ok) {
                gi = nx;
                si++;
                continue;
            }
        }
        if (star_g == NONE)
            return false;
        gi = star_g;
        si = ++star_s;
    }
    while (gi < ge && g[gi] == '*')
        gi++;
    return gi == ge;
}

/*
 * Match the m ordinary glob segments starting at g[gs] against consecutive
 * path segments starting at p[*ps] (NONE: no segment left).  On success *ps
 * becomes the start of the path segment after them (NONE if none is left).
 */
static bool match_piece(const char *g, size_t gs, size_t m, const char *p, size_t plen, size_t *ps)
{
    size_t pos = *ps;
    for (size_t k = 0; k < m; k++) {
        if (pos == NONE)
            return false;
        size_t gnext, ge = seg_end(g, gs, &gnext);
        const char *slash = memchr(p + pos, '/', plen - pos);
        size_t pe = slash ? (size_t)(slash - p) : plen;
        if (!match_seg(g, gs, ge, p, pos, pe))
            return false;
        pos = slash ? pe + 1 : NONE;
        gs = gnext;
    }
    *ps = pos;
    return true;
}

/* Start of the m-th path segment counted from the end (m >= 1), or NONE if the path has fewer. */
static size_t last_segments(const char *p, size_t plen, size_t m)
{
    size_t i = plen;
    for (;;) {
        while (i > 0 && p[i - 1] != '/')
            i--;
        if (--m == 0)
            return i;
        if (i == 0)
            return NONE;
        i--;
    }
}

/*
 * Report the first problem in the glob, with its 1-based column counted in the
 * glob as written (a leading "./" included).  A reversed range such as `[z-a]`
 * is refused too: it could never match, which is surely not what was meant.
 */
cb_status cb_glob_check(const char *glob, cb_error *err)
{
    if (!glob)
        return cb_error_set_at(err, CB_EINVAL, NULL, 0, 0, "no glob");
    size_t i = skip_dot_slash(glob);
    if (glob[i] == '\0')
        return cb_error_set_at(err, CB_EINVAL, NULL, 0, 1, "empty glob");
    while (glob[i]) {
        int col = (int)CB_MIN(i + 1, (size_t)0x7fffffff);
        if (glob[i] == '\\') {
            if (glob[i + 1] == '\0')
                return cb_error_set_at(err, CB_EINVAL, NULL, 0, col, "trailing '\\' at column %d", col);
            i += 2;
        } else if (glob[i] == '[') {
            size_t bad, end = class_scan(glob, i, -1, NULL, &bad);
            if (!end)
                return cb_error_set_at(err, CB_EINVAL, NULL, 0, col, "unterminated '[' at column %d", col);
            if (bad != NONE) {
                int bcol = (int)CB_MIN(bad + 1, (size_t)0x7fffffff);
                return cb_error_set_at(err, CB_EINVAL, NULL, 0, bcol, "reversed range in '[' at column %d",
                                       bcol);
            }
            i = end;
        } else {
            i++;
        }
    }
    if (err)
        cb_error_clear(err);
    return CB_OK;
}

/*
 * Walk the glob piece by piece (see the comment at the top of the file).
 * A trailing `**` matches one or more path segments, so "Backup/" + "**"
 * matches everything inside Backup but not a file called "Backup" itself.
 */
bool cb_glob_match(const char *glob, const char *path)
{
    if (!glob || !path || cb_glob_check(glob, NULL) != CB_OK)
        return false;
    const char *g = glob + skip_dot_slash(glob);
    const char *p = path + skip_dot_slash(path);
    size_t plen = strlen(p);
    size_t gpos = 0, ppos = 0;
    bool first = true;

    for (;;) {
        /* Gather the next piece: m ordinary segments up to a `**` or the end. */
        size_t pstart = gpos, m = 0, after = NONE;
        bool dstar = false;
        while (gpos != NONE) {
            size_t next, e = seg_end(g, gpos, &next);
            if (is_dstar(g, gpos, e)) {
                dstar = true;
                after = next;
                break;
            }
            m++;
            gpos = next;
        }

        if (first) {
            first = false;
            if (!match_piece(g, pstart, m, p, plen, &ppos))
                return false;
            if (!dstar)
                return ppos == NONE;
        } else if (!dstar) {
            /* The last piece is anchored at the end of the path, at or after ppos. */
            size_t start = last_segments(p, plen, m);
            if (start == NONE || ppos == NONE || start < ppos)
                return false;
            return match_piece(g, pstart, m, p, plen, &start) && start == NONE;
        } else if (m > 0) {
            /* A middle piece: the earliest folder where it fits. */
            size_t s = ppos;
            for (;;) {
                if (s == NONE)
                    return false;
                size_t t = s;
                if (match_piece(g, pstart, m, p, plen, &t)) {
                    ppos = t;
                    break;
                }
                const char *slash = memchr(p + s, '/', plen - s);
                s = slash ? (size_t)(slash - p) + 1 : NONE;
            }
        }
        if (after == NONE)
            return ppos != NONE; /* trailing `**`: at least one segment below */
        gpos = after;
    }
}
