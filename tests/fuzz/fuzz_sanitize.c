/*
 * fuzz_sanitize.c — libFuzzer target for the output sanitizers of
 * casebook/utf8.h.  Whatever bytes go in, what comes out must be safe to show
 * on a terminal (fuzz_check_display_safe): cb_utf8_sanitize keeps only TAB
 * among the controls (and not even that when escaping), cb_utf8_sanitize_lines
 * keeps LF as well.  The input is an exact-size heap copy, so that
 * AddressSanitizer sees any read past its end.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/buf.h"
#include "casebook/utf8.h"
#include "fuzz_util.h"

static void run(const char *name, bool lines, bool escape, const char *s, size_t n)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    cb_status st = lines ? cb_utf8_sanitize_lines(&b, s, n, escape) : cb_utf8_sanitize(&b, s, n, escape);
    if (st != CB_OK)
        fuzz_fail(name, "failed with status %d on %zu bytes", (int)st, n);
    const char *keep = lines ? (escape ? "\n" : "\t\n") : (escape ? "" : "\t");
    fuzz_check_display_safe(name, b.data ? b.data : "", b.len, keep);
    cb_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    run("cb_utf8_sanitize", false, false, s, size);
    run("cb_utf8_sanitize(escape)", false, true, s, size);
    run("cb_utf8_sanitize_lines", true, false, s, size);
    run("cb_utf8_sanitize_lines(escape)", true, true, s, size);
    free(s);
    return 0;
}
