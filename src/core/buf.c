/* buf.c — the capped growable buffer (see buf.h for the invariants). */
#include <stdio.h>
#include <stdlib.h>

#include "casebook/buf.h"
#include "core/internal.h"

void cb_buf_init(cb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void cb_buf_release(cb_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void cb_buf_reset(cb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

cb_status cb_buf_reserve(cb_buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return CB_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CB_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 4 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return CB_ENOMEM;
    b->data = p;
    b->cap = cap;
    return CB_OK;
}

cb_status cb_buf_append(cb_buf *b, const void *p, size_t n)
{
    cb_status st = cb_buf_reserve(b, n);
    if (st)
        return st;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CB_OK;
}

cb_status cb_buf_puts(cb_buf *b, const char *s)
{
    return cb_buf_append(b, s, strlen(s));
}

cb_status cb_buf_putc(cb_buf *b, char c)
{
    return cb_buf_append(b, &c, 1);
}

cb_status cb_buf_vprintf(cb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return CB_EINVAL;
    cb_status st = cb_buf_reserve(b, (size_t)n);
    if (st)
        return st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return CB_OK;
}

cb_status cb_buf_printf(cb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_status st = cb_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *cb_buf_detach(cb_buf *b, size_t *len)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (!p)
            return NULL;
        p[0] = '\0';
    }
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

_Bool cb__grow_slow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return 0;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return 0;
    void *q = realloc(*p, c * size);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}
