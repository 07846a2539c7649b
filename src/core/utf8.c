/* utf8.c — UTF-8 validation and display-safe escaping of untrusted text. */
#include <stdio.h>

#include "casebook/utf8.h"
#include "core/internal.h"

size_t cb_utf8_seqlen(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* beyond U+10FFFF */
        return 4;
    }
    return 0;
}

bool cb_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path, 8 bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = cb_utf8_seqlen(p + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

size_t cb_utf8_boundary(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    /* Walk back over at most 3 continuation bytes to the lead byte. */
    size_t i = n;
    size_t back = 0;
    while (i > 0 && back < 4 && (p[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return n;
    unsigned char lead = p[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (want > 1 && back + 1 < want)
        return i - 1; /* sequence cut short: drop it */
    return n;
}

bool cb_utf8_is_control(const unsigned char *s, size_t k)
{
    if (k == 1)
        return s[0] < 0x20 || s[0] == 0x7F;
    if (k == 2)
        return s[0] == 0xC2 && s[1] < 0xA0; /* U+0080..U+009F: C1, among them CSI (U+009B) and OSC (U+009D) */
    if (k == 3 && s[0] == 0xE2)
        return (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) || /* U+202A..U+202E: embeddings, overrides */
               (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9);   /* U+2066..U+2069: isolates */
    return false;
}

/* True when all 8 bytes of w are printable ASCII (0x20 to 0x7E): no byte below 0x20, none above 0x7E. */
static inline bool printable8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t below = (w - ones * 0x20) & ~w & highs; /* some byte < 0x20 */
    uint64_t above = ((w + ones * 1) | w) & highs;    /* some byte > 0x7E */
    return (below | above) == 0;
}

cb_status cb_utf8_sanitize(cb_buf *out, const char *s, size_t n, bool escape)
{
    static const char repl[] = "\xEF\xBF\xBD";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    cb_status st;
    while (i < n) {
        /* Log lines are mostly printable ASCII: pass it eight bytes at a time. */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!printable8(w))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = p[i];
        size_t k = (c >= 0x20 && c < 0x7F) || (c == '\t' && !escape) ? 1 : c >= 0x80 ? cb_utf8_seqlen(p + i, n - i) : 0;
        /* The bytes of one unsafe character: an invalid byte, C0 or DEL (k == 0), a C1 or bidi control. */
        size_t bad = !k ? 1 : k > 1 && cb_utf8_is_control(p + i, k) ? k : 0;
        if (!bad) {
            i += k;
            continue;
        }
        if ((st = cb_buf_append(out, s + run, i - run)))
            return st;
        if (escape) {
            for (size_t b = 0; b < bad && !st; b++) {
                char tmp[8];
                snprintf(tmp, sizeof tmp, "\\x%02X", p[i + b]);
                st = cb_buf_puts(out, tmp);
            }
        } else {
            st = cb_buf_append(out, repl, 3);
        }
        if (st)
            return st;
        i += bad;
        run = i;
    }
    return cb_buf_append(out, s + run, n - run);
}

cb_status cb_utf8_sanitize_lines(cb_buf *out, const char *s, size_t n, bool escape)
{
    const char *p = s, *end = s + n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        cb_status st = cb_utf8_sanitize(out, p, (size_t)((nl ? nl : end) - p), escape);
        if (!st && nl)
            st = cb_buf_putc(out, '\n');
        if (st || !nl)
            return st;
        p = nl + 1;
    }
}

/* Code point of the valid k-byte sequence at s (k from cb_utf8_seqlen). */
static uint32_t decode(const unsigned char *s, size_t k)
{
    switch (k) {
    case 1:
        return s[0];
    case 2:
        return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    case 3:
        return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    default:
        return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
               (s[3] & 0x3F);
    }
}

typedef struct range {
    uint32_t lo, hi;
} range;

static bool in(uint32_t c, const range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi)
            return true;
    return false;
}

/*
 * Columns of one code point, after Markus Kuhn's wcwidth: combining marks,
 * zero-width spaces and joiners and variation selectors take none; East
 * Asian wide and fullwidth characters and the emoji blocks take two.
 */
static size_t char_columns(uint32_t c)
{
    static const range zero[] = {
        {0x0300, 0x036F}, {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
        {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},   {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
        {0x200B, 0x200F}, {0x2060, 0x2064},   {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
        {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
    };
    static const range wide[] = {
        {0x1100, 0x115F}, {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x2614, 0x2615},
        {0x2E80, 0x303E}, {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
        {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if (c < 0x300)
        return 1;
    if (in(c, zero, sizeof zero / sizeof zero[0]))
        return 0;
    return in(c, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
}

size_t cb_utf8_char_columns(const char *s, size_t n, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = cb_utf8_seqlen(p, n);
    if (!k) {
        *len = n ? 1 : 0;
        return n ? 1 : 0;
    }
    *len = k;
    if (k == 1)
        return p[0] >= 0x20 && p[0] != 0x7F;
    return cb_utf8_is_control(p, k) ? 0 : char_columns(decode(p, k));
}

size_t cb_utf8_columns(const char *s, size_t n)
{
    size_t cols = 0, i = 0, k;
    while (i < n) {
        cols += cb_utf8_char_columns(s + i, n - i, &k);
        i += k;
    }
    return cols;
}
