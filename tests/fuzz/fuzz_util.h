/*
 * fuzz_util.h — what the libFuzzer targets of tests/fuzz share: handing the
 * input to a loader that takes a path, and the display-safety property every
 * output sanitizer must keep.
 */
#ifndef CB_FUZZ_UTIL_H
#define CB_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Replace the content of this process's scratch file by d[0..n) and return
 * its path ("<tmpdir>/<name>"; the directory is made once per process and
 * removed at exit).  Aborts when the file cannot be written: that is the
 * harness failing, not the code under test.
 */
const char *fuzz_file(const char *name, const uint8_t *d, size_t n);

/*
 * The display-safety property: s[0..n) is valid UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF), holds no C0 control byte except those
 * in `keep` (e.g. "\n" or "\t\n"), no DEL, no C1 control (U+0080..U+009F) and
 * no bidi override or isolate (U+202A..U+202E, U+2066..U+2069).  On a
 * violation prints what and where, with `what` naming the function, and
 * aborts so that libFuzzer saves the input.  The decoder is this file's own,
 * not the library's.
 */
void fuzz_check_display_safe(const char *what, const char *s, size_t n, const char *keep);

/* Print "fuzz: <what>: <msg>" and abort (libFuzzer saves the input as a crash). */
void fuzz_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
