/*
 * template.c — `{{name}}` variables in playbook text: filling them for a walk,
 * and finding them (and the regex groups that provide them) for lint.
 */
#include <stdlib.h>
#include <string.h>

#include "playbook/pb_int.h"
#include "casebook/buf.h"
#include "core/internal.h"

bool cb__var_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

size_t cb__var_ref(const char *s, const char **name, size_t *namelen)
{
    if (s[0] != '{' || s[1] != '{')
        return 0;
    size_t i = 2;
    while (s[i] == ' ')
        i++;
    size_t start = i;
    while (cb__var_char((unsigned char)s[i]))
        i++;
    size_t end = i;
    while (s[i] == ' ')
        i++;
    if (end == start || s[i] != '}' || s[i + 1] != '}')
        return 0;
    *name = s + start;
    *namelen = end - start;
    return i + 2;
}

/*
 * Append s[0..n) to out without passing CB_TEMPLATE_TEXT_MAX bytes: what does
 * not fit is dropped at a character boundary and *cut set.  CB_ENOMEM.
 */
_Static_assert(CB_TEMPLATE_TEXT_MAX == 64 << 10, "CB_TEMPLATE_CUT_MARK names the cap");

static cb_status put_capped(cb_buf *out, const char *s, size_t n, bool *cut)
{
    size_t room = CB_TEMPLATE_TEXT_MAX - CB_MIN(out->len, (size_t)CB_TEMPLATE_TEXT_MAX);
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        *cut = true;
    }
    return cb_buf_append(out, s, n);
}

char *cb_template_fill_info(const char *text, cb_var_lookup_fn lookup, void *ctx, cb_template_info *info)
{
    cb_buf out;
    cb_buf_init(&out, CB_BUF_UNLIMITED);
    char small[128];
    char *big = NULL;
    char *res = NULL;
    cb_template_info in = {0};
    const char *lit = text; /* start of text not yet copied */
    const char *p = text;
    while (*p && !in.text_cut) {
        const char *name;
        size_t nlen, reflen = p[0] == '{' ? cb__var_ref(p, &name, &nlen) : 0;
        if (!reflen) {
            p++;
            continue;
        }
        /* The lookup wants a NUL-terminated name; most fit on the stack. */
        char *key = small;
        if (nlen >= sizeof small) {
            free(big);
            big = malloc(nlen + 1);
            if (!big)
                goto out;
            key = big;
        }
        memcpy(key, name, nlen);
        key[nlen] = '\0';
        const char *val = lookup ? lookup(ctx, key) : NULL;
        if (!val) {
            in.unknown++;
            p += reflen; /* kept as written: it is copied with the literal text */
            continue;
        }
        /* A value is cut at CB_TEMPLATE_VALUE_MAX bytes (a character boundary), "…" marking the cut. */
        size_t vlen = strnlen(val, (size_t)CB_TEMPLATE_VALUE_MAX + 1);
        bool vcut = vlen > CB_TEMPLATE_VALUE_MAX;
        if (vcut) {
            vlen = CB_TEMPLATE_VALUE_MAX;
            while (vlen > 0 && ((unsigned char)val[vlen] & 0xC0) == 0x80)
                vlen--;
            in.values_cut++;
        }
        if (put_capped(&out, lit, (size_t)(p - lit), &in.text_cut) ||
            put_capped(&out, val, vlen, &in.text_cut) || (vcut && put_capped(&out, "…", 3, &in.text_cut)))
            goto out;
        p += reflen;
        lit = p;
    }
    if (!in.text_cut && put_capped(&out, lit, strlen(lit), &in.text_cut))
        goto out;
    if (in.text_cut && cb_buf_puts(&out, CB_TEMPLATE_CUT_MARK))
        goto out;
    res = cb_buf_detach(&out, NULL);
    if (res && info)
        *info = in;
out:
    free(big);
    cb_buf_release(&out);
    return res;
}

char *cb_template_fill(const char *text, cb_var_lookup_fn lookup, void *ctx, size_t *unknown)
{
    cb_template_info info;
    char *res = cb_template_fill_info(text, lookup, ctx, &info);
    if (res && unknown)
        *unknown = info.unknown;
    return res;
}

void cb__pattern_groups(const char *pattern, bool (*fn)(void *ctx, const char *name, size_t len), void *ctx)
{
    const char *p = pattern;
    while (*p) {
        if (*p == '\\') {
            p += p[1] ? 2 : 1;
            continue;
        }
        if (*p == '[') {
            /* A class: '(' is literal inside; a ']' right after '[' or '[^' is a member, not the end. */
            p++;
            if (*p == '^')
                p++;
            if (*p == ']')
                p++;
            while (*p && *p != ']')
                p += p[0] == '\\' && p[1] ? 2 : 1;
            if (*p)
                p++;
            continue;
        }
        if (p[0] == '(' && p[1] == '?') {
            const char *q = p + 2;
            char close = 0;
            if (q[0] == 'P' && q[1] == '<')
                q += 2, close = '>';
            else if (q[0] == '<' && q[1] != '=' && q[1] != '!')
                q += 1, close = '>';
            else if (q[0] == '\'')
                q += 1, close = '\'';
            if (close) {
                const char *e = q;
                while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') ||
                       *e == '_')
                    e++;
                if (e > q && *e == close && !fn(ctx, q, (size_t)(e - q)))
                    return;
            }
        }
        p++;
    }
}
