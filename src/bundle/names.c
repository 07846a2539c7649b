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
