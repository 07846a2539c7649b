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
 * True when the valid k-byte UTF-8 character at s (k from cb_utf8_seqlen) is
 * one that display must not pass: a C0 control (TAB included) or DEL, a C1
 * control (U+0080..U+009F: U+009B is a one-character CSI, U+009D an OSC), or
 * a bidirectional embedding, override or isolate (U+202A..U+202E,
 * U+2066..U+2069), which reorder what the reader sees ("Trojan Source").
 */
bool cb_utf8_is_control(const unsigned char *s, size_t k);

/*
 * Append a display-safe copy of s[0..n) to out.  This is the one rule for
 * everything casebook shows that came from outside (log lines, member and file
 * names, playbook texts, transcripts), whatever the format: invalid bytes and
 * every character cb_utf8_is_control names, except TAB, become U+FFFD (one
 * per invalid byte, one per control character) when `escape` is false; when
 * it is true (for names, where the exact bytes matter) each of their bytes
 * becomes "\xNN" instead, TAB included (U+009B becomes "\xC2\x9B").
 * Printable ASCII, valid UTF-8 and TAB (unescaped) pass unchanged.
 * Returns CB_OK, or CB_ELIMIT / CB_ENOMEM from the buffer.
 */
cb_status cb_utf8_sanitize(cb_buf *out, const char *s, size_t n, bool escape);

/*
 * As cb_utf8_sanitize, for text of several lines: each line is made safe on
 * its own and the line ends (LF) between them are kept.
 */
cb_status cb_utf8_sanitize_lines(cb_buf *out, const char *s, size_t n, bool escape);

/*
 * Display columns of the first character of s[0..n) (n > 0) as a terminal
 * shows it: 0 for controls, combining marks and zero-width characters, 2 for
 * East Asian wide and fullwidth characters and emoji, else 1; an invalid byte
 * counts 1 (display shows it as U+FFFD).  *len receives its length in bytes.
 */
size_t cb_utf8_char_columns(const char *s, size_t n, size_t *len);

/* Display columns of s[0..n), the sum of cb_utf8_char_columns (TAB counts 0: its width depends on where it
 * is). */
size_t cb_utf8_columns(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
