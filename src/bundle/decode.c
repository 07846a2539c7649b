/*
 * decode.c — what is this file?  Archive or compressed stream (by magic
 * number), binary or text, which encoding, which line ends: all decided from
 * the first 64 KiB, because a bundle holds thousands of files and each must
 * be classified without reading it twice.  Also the UTF-16 converter and the
 * newline counter, the two byte loops every text file goes through.
 */
#include "bundle/bundle_int.h"
#include "casebook/utf8.h"
#include "core/internal.h"

cb__magic cb__sniff_magic(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1F && (p[1] == 0x8B || p[1] == 0x9D || p[1] == 0xA0))
        return CB__MAGIC_COMPRESSED; /* gzip, compress, lzip-ish */
    if (n >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9')
        return CB__MAGIC_COMPRESSED;
    if (n >= 6 && memcmp(p, "\xFD" "7zXZ\x00", 6) == 0)
        return CB__MAGIC_COMPRESSED;
    if (n >= 4 && memcmp(p, "\x28\xB5\x2F\xFD", 4) == 0)
        return CB__MAGIC_COMPRESSED; /* zstd */
    if (n >= 4 && memcmp(p, "\x04\x22\x4D\x18", 4) == 0)
        return CB__MAGIC_COMPRESSED; /* lz4 */
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) || (p[2] == 7 && p[3] == 8)))
        return CB__MAGIC_ARCHIVE; /* zip (local header, empty archive, spanned) */
    if (n >= 6 && memcmp(p, "7z\xBC\xAF\x27\x1C", 6) == 0)
        return CB__MAGIC_ARCHIVE;
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return CB__MAGIC_ARCHIVE; /* POSIX and GNU tar */
    if (n >= 6 && (memcmp(p, "070707", 6) == 0 || memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0))
        return CB__MAGIC_ARCHIVE; /* cpio */
    return CB__MAGIC_NONE;
}

cb_eol cb__sniff_eol(const char *p, size_t n)
{
    const char *lf = memchr(p, '\n', n);
    if (lf)
        return (lf > p && lf[-1] == '\r') ? CB_EOL_CRLF : CB_EOL_LF;
    return memchr(p, '\r', n) ? CB_EOL_CR : CB_EOL_NONE;
}

/* UTF-16 without BOM: ASCII-heavy text has a zero in every other byte. */
static cb_encoding guess_utf16(const unsigned char *p, size_t n)
{
    size_t m = CB_MIN(n, (size_t)4096) & ~(size_t)1;
    size_t pairs = m / 2, z_even = 0, z_odd = 0;
    if (pairs < 2)
        return CB_ENC_UTF8;
    for (size_t i = 0; i < m; i += 2) {
        z_even += p[i] == 0;
        z_odd += p[i + 1] == 0;
    }
    if (z_odd * 10 >= pairs * 3 && z_even * 20 <= pairs)
        return CB_ENC_UTF16LE;
    if (z_even * 10 >= pairs * 3 && z_odd * 20 <= pairs)
        return CB_ENC_UTF16BE;
    return CB_ENC_UTF8;
}

void cb__sniff_text(const unsigned char *p, size_t n, cb__textinfo *ti)
{
    ti->bom = 0;
    ti->eol = CB_EOL_NONE;
    ti->encoding = CB_ENC_UTF8;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        ti->encoding = CB_ENC_UTF8_BOM;
        ti->bom = 3;
    } else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        ti->encoding = CB_ENC_UTF16LE;
        ti->bom = 2;
        return;
    } else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        ti->encoding = CB_ENC_UTF16BE;
        ti->bom = 2;
        return;
    } else {
        cb_encoding e = guess_utf16(p, n);
        if (e != CB_ENC_UTF8) {
            ti->encoding = e;
            return;
        }
    }
    p += ti->bom;
    n -= ti->bom;

    /* Binary: a NUL byte, or more than 10% control characters that text does not use. */
    if (memchr(p, 0, n)) {
        ti->encoding = CB_ENC_BINARY;
        return;
    }
    static const unsigned char odd_ctrl[256] = {
        [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,  [6] = 1,  [7] = 1,  [14] = 1, [15] = 1,
        [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1, [24] = 1,
        [25] = 1, [26] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
    }; /* C0 controls except BS, TAB, LF, VT, FF, CR and ESC (colour codes) */
    size_t ctrl = 0;
    for (size_t i = 0; i < n; i++)
        ctrl += odd_ctrl[p[i]];
    if (ctrl * 10 > n) {
        ti->encoding = CB_ENC_BINARY;
        return;
    }
    size_t valid_len = cb_utf8_boundary((const char *)p, n);
    if (!cb_utf8_valid((const char *)p, valid_len))
        ti->encoding = CB_ENC_8BIT;
    ti->eol = cb__sniff_eol((const char *)p, n);
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t cb__utf16_to_utf8(cb__u16state *st, bool big_endian, const unsigned char *in, size_t n, char *out,
                         bool final)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned u;
        if (st->have_byte) {
            unsigned char b0 = st->byte, b1 = in[i++];
            st->have_byte = 0;
            u = big_endian ? (unsigned)(b0 << 8 | b1) : (unsigned)(b1 << 8 | b0);
        } else if (i + 1 < n) {
            u = big_endian ? (unsigned)(in[i] << 8 | in[i + 1]) : (unsigned)(in[i + 1] << 8 | in[i]);
            i += 2;
        } else {
            st->have_byte = 1;
            st->byte = in[i++];
            break;
        }
        if (st->high) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                o += put_utf8(out + o, 0x10000 + ((st->high - 0xD800) << 10) + (u - 0xDC00));
                st->high = 0;
                continue;
            }
            o += put_utf8(out + o, 0xFFFD); /* unpaired high surrogate */
            st->high = 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF)
            st->high = u;
        else if (u >= 0xDC00 && u <= 0xDFFF)
            o += put_utf8(out + o, 0xFFFD); /* lone low surrogate */
        else
            o += put_utf8(out + o, u);
    }
    if (final) {
        if (st->high)
            o += put_utf8(out + o, 0xFFFD);
        if (st->have_byte)
            o += put_utf8(out + o, 0xFFFD);
        st->high = 0;
        st->have_byte = 0;
    }
    return o;
}

