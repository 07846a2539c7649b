/* fuzz_util.c — the scratch file and the display-safety check of the fuzz targets (see fuzz_util.h). */
#include "fuzz_util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch_dir[512];
static char scratch_path[600];
static char scratch_name[32];

static void remove_scratch(void)
{
    if (scratch_path[0])
        unlink(scratch_path);
    if (scratch_dir[0])
        rmdir(scratch_dir);
}

void fuzz_fail(const char *what, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fuzz: %s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

const char *fuzz_file(const char *name, const uint8_t *d, size_t n)
{
    if (!scratch_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch_dir, sizeof scratch_dir, "%s/cbfuzz.XXXXXX",
                 tmp && *tmp && strlen(tmp) < 400 ? tmp : "/tmp");
        if (!mkdtemp(scratch_dir))
            fuzz_fail("harness", "cannot make a scratch directory");
        atexit(remove_scratch);
    }
    if (strcmp(name, scratch_name) != 0) {
        if (scratch_path[0])
            unlink(scratch_path);
        snprintf(scratch_name, sizeof scratch_name, "%s", name);
        snprintf(scratch_path, sizeof scratch_path, "%s/%s", scratch_dir, scratch_name);
    }
    int fd = open(scratch_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fuzz_fail("harness", "cannot write %s", scratch_path);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, d + off, n - off);
        if (w <= 0)
            fuzz_fail("harness", "cannot write %s", scratch_path);
        off += (size_t)w;
    }
    close(fd);
    return scratch_path;
}

/* Decode one UTF-8 sequence strictly; returns its length (1..4) and the code point, or 0 when invalid. */
static size_t decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

void fuzz_check_display_safe(const char *what, const char *s, size_t n, const char *keep)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = decode(p + i, n - i, &cp);
        if (!k)
            fuzz_fail(what, "invalid UTF-8 at byte %zu of %zu (0x%02X)", i, n, p[i]);
        if ((cp < 0x20 && (cp == 0 || !strchr(keep, (int)cp))) || cp == 0x7F)
            fuzz_fail(what, "control byte 0x%02X survives at byte %zu of %zu", (unsigned)cp, i, n);
        if (cp >= 0x80 && cp <= 0x9F)
            fuzz_fail(what, "C1 control U+%04X survives at byte %zu of %zu", (unsigned)cp, i, n);
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            fuzz_fail(what, "bidi control U+%04X survives at byte %zu of %zu", (unsigned)cp, i, n);
        i += k;
    }
}
