/*
 * names.c — archive member names are attacker-chosen: "../../etc/passwd",
 * "/abs", "C:\\x", names with control characters that would rewrite a
 * terminal, invalid UTF-8.  casebook never opens anything by these names;
 * it only shows them, so they are normalised into a safe display path and
 * the problems found are reported as warnings.
 */
#include <stdio.h>
#include <strings.h>

#include "bundle/bundle_int.h"
#include "casebook/utf8.h"
#include "core/internal.h"

/* Append one component, escaping what cannot be shown. */
static cb_status put_component(cb_buf *out, const char *s, size_t n, unsigned *flags)
{
    cb_status st;
    if (out->len && (st = cb_buf_putc(out, '/')))
        return st;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            *flags |= CB__NAME_CONTROL;
            break;
        }
    }
    return cb_utf8_sanitize(out, s, n, true);
}

cb_status cb__name_normalise(cb_buf *out, const char *name, size_t len, unsigned *flags)
{
    size_t start_len = out->len;
    size_t i = 0;
    cb_status st = CB_OK;
    cb_buf tmp;
    cb_buf_init(&tmp, out->max);

    *flags = 0;
    /* Drive letter ("C:") and leading separators make a name absolute. */
    if (len >= 2 && ((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':') {
        *flags |= CB__NAME_ABSOLUTE;
        i = 2;
    }
    if (i < len && (name[i] == '/' || name[i] == '\\'))
        *flags |= CB__NAME_ABSOLUTE;

    while (i < len) {
        while (i < len && (name[i] == '/' || name[i] == '\\'))
            i++;
        size_t s = i;
        while (i < len && name[i] != '/' && name[i] != '\\')
            i++;
        size_t n = i - s;
        if (n == 0 || (n == 1 && name[s] == '.'))
            continue;
        if (n == 2 && name[s] == '.' && name[s + 1] == '.') {
            *flags |= CB__NAME_DOTDOT;
            continue;
        }
        if ((st = put_component(&tmp, name + s, n, flags)))
            goto out;
    }
    if (tmp.len == 0) {
        *flags |= CB__NAME_EMPTY;
        st = cb_buf_puts(&tmp, "(unnamed)");
        if (st)
            goto out;
    }
    st = cb_buf_append(out, tmp.data, tmp.len);
out:
    if (st)
        out->len = start_len;
    cb_buf_release(&tmp);
    return st;
}

const char *cb__basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

size_t cb__strip_compress_suffix(const char *name, const char **repl)
{
    static const struct {
        const char *suffix;
        const char *repl;
    } map[] = {
        {".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".txz", ".tar"}, {".tzst", ".tar"},
        {".gz", ""},      {".bz2", ""},      {".xz", ""},      {".zst", ""},     {".lz4", ""},
        {".lzma", ""},    {".z", ""},
    };
    size_t n = strlen(name);
    for (size_t k = 0; k < CB_ARRAY_LEN(map); k++) {
        size_t m = strlen(map[k].suffix);
        if (n > m && strcasecmp(name + n - m, map[k].suffix) == 0) {
            *repl = map[k].repl;
            return n - m;
        }
    }
    return 0;
}

/* CP437's upper half, as Unicode code points (the lower half is ASCII). */
static const uint16_t cp437_high[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE,
    0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6,
    0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA,
    0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514,
    0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
    0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C,
    0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

cb_status cb__cp437_to_utf8(cb_buf *out, const char *s, size_t n)
{
    cb_status st = CB_OK;
    for (size_t i = 0; i < n && st == CB_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            st = cb_buf_putc(out, (char)c);
            continue;
        }
        unsigned u = cp437_high[c - 0x80];
        char e[3];
        if (u < 0x800) {
            e[0] = (char)(0xC0 | (u >> 6));
            e[1] = (char)(0x80 | (u & 0x3F));
            st = cb_buf_append(out, e, 2);
        } else {
            e[0] = (char)(0xE0 | (u >> 12));
            e[1] = (char)(0x80 | ((u >> 6) & 0x3F));
            e[2] = (char)(0x80 | (u & 0x3F));
            st = cb_buf_append(out, e, 3);
        }
    }
    return st;
}
