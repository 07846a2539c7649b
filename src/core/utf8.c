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
        if (k) {
            i += k;
            continue;
        }
        if ((st = cb_buf_append(out, s + run, i - run)))
            return st;
        if (escape) {
            char tmp[8];
            snprintf(tmp, sizeof tmp, "\\x%02X", c);
            st = cb_buf_puts(out, tmp);
        } else {
            st = cb_buf_append(out, repl, 3);
        }
        if (st)
            return st;
        i++;
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
