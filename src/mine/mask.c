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

/*
 * Byte classes, one table lookup each: the masker looks at every byte of
 * every line, and this is its hot path.
 */
enum {
    C_BLANK = 1,  /* token separator */
    C_DIGIT = 2,
    C_ALPHA = 4,
    C_HEX = 8,
    C_RUN = 16,   /* part of a word run: [A-Za-z0-9_.-] and bytes >= 0x80 */
    C_OPEN = 32,  /* quotes and brackets that may open a value: ' " ( [ { < */
    C_CLOSE = 64, /* ...and close one: ' " ) ] } > , ; */
};
static const unsigned char cls[256] = {
    [0] = C_BLANK, /* a NUL byte separates tokens: no token or template text holds one */
    [' '] = C_BLANK, ['\t'] = C_BLANK, ['\r'] = C_BLANK, ['\n'] = C_BLANK, ['\v'] = C_BLANK, ['\f'] = C_BLANK,
#define D(c) [c] = C_DIGIT | C_HEX | C_RUN
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
#undef D
#define H(c) [c] = C_ALPHA | C_HEX | C_RUN
    H('a'), H('b'), H('c'), H('d'), H('e'), H('f'), H('A'), H('B'), H('C'), H('D'), H('E'), H('F'),
#undef H
#define A(c) [c] = C_ALPHA | C_RUN
    A('g'), A('h'), A('i'), A('j'), A('k'), A('l'), A('m'), A('n'), A('o'), A('p'), A('q'), A('r'), A('s'),
    A('t'), A('u'), A('v'), A('w'), A('x'), A('y'), A('z'),
    A('G'), A('H'), A('I'), A('J'), A('K'), A('L'), A('M'), A('N'), A('O'), A('P'), A('Q'), A('R'), A('S'),
    A('T'), A('U'), A('V'), A('W'), A('X'), A('Y'), A('Z'),
#undef A
    ['_'] = C_RUN, ['-'] = C_RUN, ['.'] = C_RUN,
    ['\''] = C_OPEN | C_CLOSE, ['"'] = C_OPEN | C_CLOSE, ['('] = C_OPEN, ['['] = C_OPEN, ['{'] = C_OPEN,
    ['<'] = C_OPEN, [')'] = C_CLOSE, [']'] = C_CLOSE, ['}'] = C_CLOSE, ['>'] = C_CLOSE, [','] = C_CLOSE,
    [';'] = C_CLOSE,
#define R8(c) [c] = C_RUN, [c + 1] = C_RUN, [c + 2] = C_RUN, [c + 3] = C_RUN, [c + 4] = C_RUN, [c + 5] = C_RUN, \
              [c + 6] = C_RUN, [c + 7] = C_RUN
    R8(0x80), R8(0x88), R8(0x90), R8(0x98), R8(0xa0), R8(0xa8), R8(0xb0), R8(0xb8),
    R8(0xc0), R8(0xc8), R8(0xd0), R8(0xd8), R8(0xe0), R8(0xe8), R8(0xf0), R8(0xf8),
#undef R8
};
#define is_blank(c) (cls[(unsigned char)(c)] & C_BLANK)
#define is_digit(c) (cls[(unsigned char)(c)] & C_DIGIT)
#define is_alpha(c) (cls[(unsigned char)(c)] & C_ALPHA)
#define is_hex(c) (cls[(unsigned char)(c)] & C_HEX)
#define is_run(c) (cls[(unsigned char)(c)] & C_RUN)

/*
 * Output with a byte budget: writes what fits, counts everything (snprintf-
 * style), and keeps the last three bytes of the whole text in `tail`, so that
 * what is decided from the text so far does not depend on the budget (a
 * truncated text must have the same full length as an untruncated one).
 */
typedef struct out {
    char *p;
    size_t size, n;
    char tail[3];
} out;
static void put(out *o, const char *s, size_t n)
{
    if (o->n < o->size) {
        size_t room = o->size - o->n;
        memcpy(o->p + o->n, s, CB_MIN(n, room));
    }
    if (n >= 3) {
        memcpy(o->tail, s + n - 3, 3);
    } else if (n > 0) {
        memmove(o->tail, o->tail + n, 3 - n);
        memcpy(o->tail + 3 - n, s, n);
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
    while (vb < n && (cls[(unsigned char)s[vb]] & C_OPEN))
        vb++;
    while (ve > vb && (cls[(unsigned char)s[ve - 1]] & C_CLOSE))
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
    out o = {dst, size, 0, {0, 0, 0}};
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
        bool after_wild = nt > 0 && o.n - prev >= 3 && memcmp(o.tail, CB__WILD, 3) == 0;
        while (after_wild && e > i && strchr(",;.:)]", text[e - 1]))
            e--;
        if (after_wild && is_unit(text + i, e - i)) {
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
