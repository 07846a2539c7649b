/*
 * utf8.h — UTF-8 validation and display-safe escaping.
 *
 * Log text is passed through as the customer wrote it, but anything casebook
 * *shows* (terminal, JSON, Markdown) must be valid UTF-8 without control
 * characters that could rewrite a terminal.  These helpers make that cheap.
 */
#ifndef CASEBOOK_UTF8_H
#define CASEBOOK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 if invalid/truncated. */
size_t cb_utf8_seqlen(const unsigned char *s, size_t n);

/* True when all n bytes are well-formed UTF-8 (no overlongs, no surrogates). */
bool cb_utf8_valid(const char *s, size_t n);

/* Largest k <= n such that s[0..k) does not end inside a multi-byte sequence. */
size_t cb_utf8_boundary(const char *s, size_t n);

/*
 * Append a display-safe copy of s[0..n) to out: invalid bytes become U+FFFD,
 * C0 controls other than TAB and DEL become U+FFFD too, when `escape` is
 * false, or "\xNN" when it is true (for names, where the exact byte matters;
 * TAB is escaped too then).
 * Returns CB_OK, or CB_ELIMIT / CB_ENOMEM from the buffer.
 */
cb_status cb_utf8_sanitize(cb_buf *out, const char *s, size_t n, bool escape);

/*
 * As cb_utf8_sanitize, for text of several lines: each line is made safe on
 * its own and the line ends (LF) between them are kept.
 */
cb_status cb_utf8_sanitize_lines(cb_buf *out, const char *s, size_t n, bool escape);

#ifdef __cplusplus
}
#endif
#endif
