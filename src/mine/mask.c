/*
 * mask.c — replace the variable parts of a log message by "<*>" before it is
 * tokenised (docs/mining.md): what the tree would otherwise have to learn
 * from many lines, a rule sees in one.  Works per whitespace token, in one
 * pass, without allocating.
 */
#include "core/internal.h"

#include <stdbool.h>

#include "casebook/mine.h"
#include "mine/mine_internal.h"

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* Characters of a "word run" inside a token: what a number, name or hostname is made of. */
static bool is_run(unsigned char c)
{
    return is_digit(c) || is_alpha(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/* Output with a byte budget: writes what fits, counts everything (snprintf-style). */
typedef struct out {
    char *p;
    size_t size, n;
} out;
static void put(out *o, const char *s, size_t n)
{
    if (o->n < o->size) {
        size_t room = o->size - o->n;
        memcpy(o->p + o->n, s, CB_MIN(n, room));
    }
    o->n += n;
}

/*
 * A run (maximal [A-Za-z0-9_.-] bytes) is a variable when it holds a digit
 * and looks like a value rather than a name: it starts with a digit (numbers,
 * IPs, versions, sizes, durations "5ms"), or with "-" and a digit, or "0x";
 * or one of its '_' '-' '.'-separated parts starts with a digit
 * (blk_-1608, attempt_1445_0001_m_000000_0, node-12.example); or it is a
 * long run of hex digits and dashes (hashes, GUIDs).  Names with a digit
 * inside a word stay (ssh2, jk2_init, IPv6, utf8).
 */
static bool run_is_variable(const char *s, size_t n)
{
    bool digit = false;
    for (size_t i = 0; i < n; i++)
        digit |= is_digit((unsigned char)s[i]);
    if (!digit)
        return false;
    if (is_digit((unsigned char)s[0]) || (n > 1 && (s[0] == '-' || s[0] == '+') && is_digit((unsigned char)s[1])))
        return true;
    bool part_start = true, hexish = n >= 8;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '_' || c == '-' || c == '.') {
            part_start = true;
            if (c != '-')
                hexish = false;
            continue;
        }
        if (part_start && is_digit(c))
            return true;
        part_start = false;
        if (!is_hex(c))
            hexish = false;
    }
    return hexish;
}

/* Four dot-separated numbers of 1 to 3 digits. */
static bool is_ipv4(const char *s, size_t n)
{
    unsigned parts = 0, digits = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (digits == 0 || digits > 3)
                return false;
            parts++;
            digits = 0;
        } else if (is_digit((unsigned char)s[i])) {
            digits++;
        } else {
            return false;
        }
    }
    return parts == 4;
}

static bool has_from(const char *s, size_t n, size_t from, char c)
{
    for (size_t i = from; i < n; i++)
        if (s[i] == c)
            return true;
    return false;
}

/* Whole-token forms: e-mail addresses and paths are one value each. */
static bool token_is_email(const char *s, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == '@' && is_run((unsigned char)s[i - 1]) && has_from(s, n, i + 2, '.'))
            return true;
    return false;
}
static bool token_is_path(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && is_alpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'))
        return true; /* C:\dir, C:/dir */
    if (n >= 2 && s[0] == '~' && s[1] == '/')
        return true;
    while (i < n && s[i] == '.')
        i++;
    if (i >= n || s[i] != '/' || i > 2)
        return false;
    /* "/a/b", "./a", "../a": a second separator, and not a lone "/" or "//" */
    return has_from(s, n, i + 1, '/') ? i + 1 < n && s[i + 1] != '/' : i > 0 && i + 1 < n;
}
/* "scheme://rest" -> length of "scheme://", or 0. */
static size_t url_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (is_alpha((unsigned char)s[i]) || (i > 0 && (is_digit((unsigned char)s[i]) || s[i] == '+'))))
        i++;
    if (i > 0 && i + 3 < n && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
        return i + 3;
    return 0;
}

/* A size unit, as a token of its own after a number: "12.5 KB" (words such as "bytes" or "ms" stay). */
static bool is_unit(const char *s, size_t n)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"};
    for (size_t i = 0; i < CB_ARRAY_LEN(units); i++)
        if (strlen(units[i]) == n && memcmp(units[i], s, n) == 0)
            return true;
    return false;
}

/* Mask one token (no blanks) into o. */
static void mask_token(out *o, const char *s, size_t n)
{
    size_t u, vb = 0, ve = n;
    /* quotes and brackets around a value are not part of it: '/dev/sda', (user@example.org), "http://x" */
    while (vb < n && strchr("'\"([{<", s[vb]))
        vb++;
    while (ve > vb && strchr("'\")]}>,;", s[ve - 1]))
        ve--;
    if (ve > vb && (token_is_email(s + vb, ve - vb) || token_is_path(s + vb, ve - vb))) {
        put(o, s, vb);
        put(o, CB__WILD, 3);
        put(o, s + ve, n - ve);
        return;
    }
    if (ve > vb && (u = url_prefix(s + vb, ve - vb)) != 0) {
        put(o, s, vb + u);
        put(o, CB__WILD, 3);
        put(o, s + ve, n - ve);
        return;
    }
    size_t i = 0;
    while (i < n) {
        if (!is_run((unsigned char)s[i])) {
            put(o, s + i, 1);
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_run((unsigned char)s[j]))
            j++;
        size_t e = j; /* a trailing '.' or '-' is punctuation, not part of the value ("size 12.") */
        while (e > i + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
            e--;
        if (run_is_variable(s + i, e - i)) {
            if (i == 1 && s[0] == '/' && is_ipv4(s + i, e - i))
                o->n--; /* "/10.0.0.1": Java's InetAddress without a host name; the '/' is part of the address */
            put(o, CB__WILD, 3);
            put(o, s + e, j - e);
        } else {
            put(o, s + i, j - i);
        }
        i = j;
    }
}

size_t cb__mine_mask(const char *text, size_t len, char *dst, size_t size, cb__tok *toks, size_t *ntok)
{
    out o = {dst, size, 0};
    size_t nt = 0, i = 0, prev = 0; /* prev: where the last token starts in the output */
    for (;;) {
        while (i < len && is_blank((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        size_t j = i;
        while (j < len && !is_blank((unsigned char)text[j]))
            j++;
        size_t e = j; /* a unit after a masked number joins it: "12.5 KB," -> "<*>," */
        while (e > i && strchr(",;.:)]", text[e - 1]))
            e--;
        if (nt > 0 && o.n <= size && o.n - prev >= 3 && memcmp(dst + o.n - 3, CB__WILD, 3) == 0 &&
            is_unit(text + i, e - i)) {
            put(&o, text + e, j - e);
            if (toks)
                toks[nt - 1].len = (uint32_t)(o.n - prev);
            i = j;
            continue;
        }
        if (nt > 0)
            put(&o, " ", 1);
        size_t start = prev = o.n;
        mask_token(&o, text + i, j - i);
        if (toks) {
            toks[nt].off = (uint32_t)start;
            toks[nt].len = (uint32_t)(o.n - start);
        }
        nt++;
        i = j;
    }
    if (size > 0)
        dst[o.n < size ? o.n : size - 1] = '\0';
    if (ntok)
        *ntok = nt;
    return o.n;
}

size_t cb_mine_mask(const char *text, size_t len, char *dst, size_t size)
{
    return cb__mine_mask(text, len, dst, size, NULL, NULL);
}
