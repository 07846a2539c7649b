/*
 * logfmt.c — header formats in the Loghub `log_format` syntax, translated
 * into one PCRE2 expression exactly as the Loghub benchmark builds its
 * Python one (each <Name> a lazy named group, runs of spaces "\s+", the rest
 * regular-expression text, anchored), so that a line splits into the same
 * Content the benchmark's ground truth was made from.
 */
#include "core/internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "casebook/buf.h"
#include "casebook/mine.h"

enum { FIELD_NAME_MAX = 32, FIELDS_MAX = 32 };

struct cb_logfmt {
    pcre2_code *code;
    pcre2_match_data *md;
    uint32_t content_group, level_group; /* 0 = none */
};

void cb_logfmt_free(cb_logfmt *f)
{
    if (!f)
        return;
    pcre2_match_data_free(f->md);
    pcre2_code_free(f->code);
    free(f);
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

cb_status cb_logfmt_compile(const char *fmt, cb_logfmt **out, cb_error *err)
{
    cb_status st = CB_ENOMEM;
    cb_buf re;
    cb_logfmt *f = NULL;
    char names[FIELDS_MAX][FIELD_NAME_MAX];
    size_t nnames = 0;
    bool content = false;
    *out = NULL;
    cb_buf_init(&re, CB_BUF_UNLIMITED);
    if (cb_buf_append(&re, "^", 1) != CB_OK)
        goto out;
    for (const char *p = fmt; *p;) {
        if (*p == '<') {
            const char *q = p + 1;
            while (name_char(*q))
                q++;
            size_t n = (size_t)(q - p - 1);
            if (*q != '>') {
                st = cb_error_set(err, CB_EINVAL, "log format: field at offset %zu is not closed by '>' "
                                  "(a field is <Name> with letters, digits and '_')", (size_t)(p - fmt));
                goto out;
            }
            if (n == 0 || n >= FIELD_NAME_MAX) {
                st = cb_error_set(err, CB_EINVAL, "log format: field at offset %zu has %s name", (size_t)(p - fmt),
                                  n == 0 ? "an empty" : "too long a");
                goto out;
            }
            for (size_t i = 0; i < nnames; i++)
                if (strlen(names[i]) == n && memcmp(names[i], p + 1, n) == 0) {
                    st = cb_error_set(err, CB_EINVAL, "log format: field <%.*s> appears twice", (int)n, p + 1);
                    goto out;
                }
            if (nnames == FIELDS_MAX) {
                st = cb_error_set(err, CB_EINVAL, "log format: more than %d fields", FIELDS_MAX);
                goto out;
            }
            memcpy(names[nnames], p + 1, n);
            names[nnames++][n] = '\0';
            content |= n == 7 && memcmp(p + 1, "Content", 7) == 0;
            if (cb_buf_printf(&re, "(?<%.*s>.*?)", (int)n, p + 1) != CB_OK)
                goto out;
            p = q + 1;
        } else if (*p == ' ') {
            while (*p == ' ')
                p++;
            if (cb_buf_append(&re, "\\s+", 3) != CB_OK)
                goto out;
        } else {
            if (cb_buf_append(&re, p, 1) != CB_OK)
                goto out;
            p++;
        }
    }
    if (!content) {
        st = cb_error_set(err, CB_EINVAL, "log format has no <Content> field (the part of each line to mine)");
        goto out;
    }
    if (cb_buf_append(&re, "$", 1) != CB_OK)
        goto out;
    if (!(f = calloc(1, sizeof *f)))
        goto out;
    int ec;
    PCRE2_SIZE eo;
    f->code = pcre2_compile((PCRE2_SPTR)re.data, re.len, 0, &ec, &eo, NULL);
    if (!f->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        st = cb_error_set(err, CB_EINVAL, "log format is not a valid expression: %s", (const char *)msg);
        goto out;
    }
    pcre2_jit_compile(f->code, PCRE2_JIT_COMPLETE); /* the interpreter when JIT is unavailable */
    if (!(f->md = pcre2_match_data_create_from_pattern(f->code, NULL)))
        goto out;
    int g = pcre2_substring_number_from_name(f->code, (PCRE2_SPTR) "Content");
    f->content_group = g > 0 ? (uint32_t)g : 0;
    g = pcre2_substring_number_from_name(f->code, (PCRE2_SPTR) "Level");
    f->level_group = g > 0 ? (uint32_t)g : 0;
    *out = f;
    f = NULL;
    st = CB_OK;
out:
    if (st == CB_ENOMEM)
        cb_error_set(err, CB_ENOMEM, "out of memory compiling the log format");
    cb_logfmt_free(f);
    cb_buf_release(&re);
    return st;
}

/*
 * Group g of the last match as a slice of s[0..len), or an empty slice when
 * it did not take part.  A format is user text, so a group may be reported
 * with its start after its end (\K in the group, as "(?=a\Kb)"): such a
 * group counts as absent, so that a field always lies inside its line.
 */
static cb_slice group(cb_logfmt *f, const char *s, size_t len, uint32_t g)
{
    cb_slice r = {NULL, 0};
    if (g == 0)
        return r;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
    if (ov[2 * g] == PCRE2_UNSET || ov[2 * g] > ov[2 * g + 1] || ov[2 * g + 1] > len)
        return r;
    r.p = s + ov[2 * g];
    r.n = ov[2 * g + 1] - ov[2 * g];
    return r;
}

bool cb_logfmt_match(cb_logfmt *f, const char *line, size_t len, cb_logfmt_fields *out)
{
    while (len > 0 && (*line == ' ' || *line == '\t' || *line == '\r'))
        line++, len--;
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    if (pcre2_match(f->code, (PCRE2_SPTR)line, len, 0, 0, f->md, NULL) < 0)
        return false;
    out->content = group(f, line, len, f->content_group);
    if (!out->content.p)
        return false; /* Content took no part ("<A>|<Content>" matched by its other branch): not this format */
    out->level = group(f, line, len, f->level_group);
    return true;
}
