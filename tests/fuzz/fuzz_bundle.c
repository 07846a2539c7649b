/*
 * fuzz_bundle.c — libFuzzer target for the bundle reader (casebook/bundle.h):
 * archives (zip, tar, 7z, cpio), compressed streams (gzip, bzip2, xz, zstd...),
 * archives nested in them, text in every encoding the reader sniffs.
 *
 * The input is written to a scratch file and opened as a bundle with small
 * limits (4 KiB lines, 4 MiB in all, ratio checks from 64 KiB on) so that one
 * input stays fast.  Every file is read to its end: files at even positions
 * line by line (cb_bundle_next_line), the others chunk by chunk
 * (cb_bundle_read).  Properties besides no crash and no leak: every file's
 * path and every warning's path is display-safe (valid UTF-8, no control
 * characters: bundle.h promises it for paths); a line is never longer than
 * the line limit; a chunk holds exactly nlines lines, each ending in '\n'.
 */
#include <stdio.h>
#include <string.h>

#include "casebook/bundle.h"
#include "fuzz_util.h"

enum { MAX_LINE = 4096, MAX_FILES = 10000 };

static void check_chunk(const cb_chunk *c)
{
    if (c->len == 0 || c->data[c->len - 1] != '\n')
        fuzz_fail("cb_bundle_read", "chunk of %zu bytes does not end in a line end", c->len);
    uint64_t lines = 0;
    for (const char *p = c->data, *end = c->data + c->len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    if (lines != c->nlines)
        fuzz_fail("cb_bundle_read", "chunk says %llu lines, holds %llu", (unsigned long long)c->nlines,
                  (unsigned long long)lines);
    if (c->truncated && c->len > MAX_LINE + 1)
        fuzz_fail("cb_bundle_read", "truncated line of %zu bytes", c->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("input", data, size);
    cb_bundle_opts opts;
    cb_bundle_opts_init(&opts);
    opts.limits.max_line = MAX_LINE;
    opts.limits.max_total = 4u << 20;
    opts.limits.ratio_floor = 64u << 10;
    opts.limits.max_warnings = 100;
    cb_bundle *b = NULL;
    cb_error err;
    if (cb_bundle_open(path, &opts, &b, &err) != CB_OK) {
        if (b)
            fuzz_fail("cb_bundle_open", "failed but returned a bundle");
        return 0;
    }
    const cb_file *f;
    int rc;
    size_t nfiles = 0;
    while ((rc = cb_bundle_next(b, &f, &err)) > 0 && nfiles < MAX_FILES) {
        fuzz_check_display_safe("cb_file.path", f->path, strlen(f->path), "");
        if (nfiles++ % 2 == 0) {
            cb_line line;
            while ((rc = cb_bundle_next_line(b, &line, &err)) > 0) {
                if (line.len > MAX_LINE)
                    fuzz_fail("cb_bundle_next_line", "line of %zu bytes, limit %d", line.len, MAX_LINE);
                if (memchr(line.text, '\n', line.len))
                    fuzz_fail("cb_bundle_next_line", "line holds a line end");
            }
        } else {
            cb_chunk c;
            while ((rc = cb_bundle_read(b, &c, &err)) > 0)
                check_chunk(&c);
        }
        if (rc < 0)
            break;
    }
    for (size_t i = 0; i < cb_bundle_warning_count(b); i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        fuzz_check_display_safe("cb_warning.path", w->path, strlen(w->path), "");
    }
    cb_bundle_close(b);
    return 0;
}
