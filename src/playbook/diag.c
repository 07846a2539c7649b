/*
 * diag.c — the list of diagnostics that loading and linting fill, and the
 * quoting of author text into their messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "playbook/pb_int.h"
#include "core/internal.h"

enum { MSG_MAX = 1024 };

void cb_diags_init(cb_diags *d)
{
    d->v = NULL;
    d->n = 0;
    d->cap = 0;
}

cb_status cb__diags_vadd(cb_diags *d, const char *file, int line, int col, const char *fmt, va_list ap)
{
    if (!cb__grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v))
        return CB_ENOMEM;
    char msg[MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char *f = strdup(file ? file : "");
    char *m = strdup(msg);
    if (!f || !m) {
        free(f);
        free(m);
        return CB_ENOMEM;
    }
    d->v[d->n++] = (cb_diag){.file = f, .line = line, .col = col, .msg = m};
    return CB_OK;
}

cb_status cb_diags_add(cb_diags *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_status st = cb__diags_vadd(d, file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

static int diag_cmp(const cb_diag *a, const cb_diag *b)
{
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

/* Stable merge sort: diagnostics at one place keep the order they were found in (qsort would not). */
static void merge_sort(cb_diag *v, cb_diag *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = diag_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

void cb_diags_sort(cb_diags *d)
{
    if (d->n < 2)
        return;
    cb_diag *tmp = malloc(d->n * sizeof *tmp);
    if (tmp) {
        merge_sort(d->v, tmp, d->n);
        free(tmp);
        return;
    }
    for (size_t i = 1; i < d->n; i++) {
        cb_diag x = d->v[i];
        size_t j = i;
        for (; j > 0 && diag_cmp(&x, &d->v[j - 1]) < 0; j--)
            d->v[j] = d->v[j - 1];
        d->v[j] = x;
    }
}

size_t cb_diag_format(const cb_diag *diag, char *buf, size_t size)
{
    int n;
    if (diag->line > 0 && diag->col > 0)
        n = snprintf(buf, size, "%s:%d:%d: %s", diag->file, diag->line, diag->col, diag->msg);
    else if (diag->line > 0)
        n = snprintf(buf, size, "%s:%d: %s", diag->file, diag->line, diag->msg);
    else
        n = snprintf(buf, size, "%s: %s", diag->file, diag->msg);
    return n < 0 ? 0 : (size_t)n;
}

void cb_diags_release(cb_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    cb_diags_init(d);
}

const char *cb__q(cb__quoter *q, const char *s)
{
    enum { MAX_CHARS = 60 };
    char *out = q->buf[q->next++ % CB_ARRAY_LEN(q->buf)];
    size_t k = 0, chars = 0;
    const size_t room = sizeof q->buf[0] - 8; /* space left for an escape or "..." and the NUL */
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && k < room; p++) {
        if (chars == MAX_CHARS) {
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p == '\n' || *p == '\t') {
            out[k++] = '\\';
            out[k++] = *p == '\n' ? 'n' : 't';
        } else if (*p < 0x20 || *p == 0x7F) {
            k += (size_t)snprintf(out + k, 5, "\\x%02X", *p);
        } else {
            out[k++] = (char)*p;
        }
    }
    out[k] = '\0';
    return out;
}
