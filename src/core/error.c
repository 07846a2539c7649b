/* error.c — filling and formatting cb_error values. */
#include <stdarg.h>
#include <stdio.h>

#include "casebook/error.h"
#include "core/internal.h"

size_t cb__strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

const char *cb__human_bytes(uint64_t n, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    unsigned u = 0;
    uint64_t whole = n, rem = 0;
    while (whole >= 1024 && u + 1 < CB_ARRAY_LEN(units)) {
        rem = whole % 1024;
        whole /= 1024;
        u++;
    }
    unsigned tenth = (unsigned)(rem * 10 / 1024);
    if (u == 0 || (tenth == 0 && whole >= 10) || whole >= 10)
        snprintf(buf, size, "%llu %s", (unsigned long long)whole, units[u]);
    else
        snprintf(buf, size, "%llu.%u %s", (unsigned long long)whole, tenth, units[u]);
    return buf;
}

void cb_error_clear(cb_error *err)
{
    if (!err)
        return;
    err->code = CB_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->col = 0;
    err->msg[0] = '\0';
}

static void set_v(cb_error *err, cb_status code, const char *file, int line, int col, const char *fmt,
                  va_list ap)
{
    err->code = code;
    cb__strlcpy(err->file, file ? file : "", sizeof err->file);
    err->line = line;
    err->col = col;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

cb_status cb_error_set(cb_error *err, cb_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        set_v(err, code, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    return code;
}

cb_status cb_error_set_at(cb_error *err, cb_status code, const char *file, int line, int col,
                          const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        set_v(err, code, file, line, col, fmt, ap);
        va_end(ap);
    }
    return code;
}

size_t cb_error_format(const cb_error *err, char *buf, size_t size)
{
    int n;
    if (!err->file[0])
        n = snprintf(buf, size, "%s", err->msg);
    else if (err->line > 0 && err->col > 0)
        n = snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else if (err->line > 0)
        n = snprintf(buf, size, "%s:%d: %s", err->file, err->line, err->msg);
    else
        n = snprintf(buf, size, "%s: %s", err->file, err->msg);
    return n < 0 ? 0 : (size_t)n;
}

const char *cb_status_str(cb_status code)
{
    switch (code) {
    case CB_OK:
        return "ok";
    case CB_ENOMEM:
        return "out of memory";
    case CB_EIO:
        return "i/o error";
    case CB_EINVAL:
        return "invalid argument";
    case CB_EPARSE:
        return "parse error";
    case CB_ELIMIT:
        return "limit exceeded";
    case CB_ECORRUPT:
        return "corrupt input";
    case CB_ENOTFOUND:
        return "not found";
    case CB_EUNSUPPORTED:
        return "unsupported";
    case CB_EREFUSED:
        return "refused by a rule";
    case CB_ECONFLICT:
        return "changed meanwhile";
    }
    return "unknown error";
}
