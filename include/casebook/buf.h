/*
 * buf.h — a growable byte buffer with a hard size cap.
 *
 * Untrusted input (log lines, archive names, YAML) must never make casebook
 * allocate without bound, so every buffer carries a maximum.  Invariants:
 * data is NULL or points to cap bytes; len < cap whenever data != NULL and
 * data[len] == '\0' (the content is always NUL-terminated, but may itself
 * contain NUL bytes); len <= max.
 */
#ifndef CASEBOOK_BUF_H
#define CASEBOOK_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* content never grows beyond this many bytes */
} cb_buf;

#define CB_BUF_UNLIMITED ((size_t)-1 / 2)

/* Initialise an empty buffer with the given cap.  Allocates nothing. */
void cb_buf_init(cb_buf *b, size_t max);

/* Free the storage and reset to empty (max is kept).  Accepts NULL. */
void cb_buf_release(cb_buf *b);

/* Make room for `extra` more bytes.  CB_ELIMIT past max, CB_ENOMEM on allocation failure. */
cb_status cb_buf_reserve(cb_buf *b, size_t extra);

/* Append bytes / a C string / a formatted string.  On CB_ELIMIT nothing is appended. */
cb_status cb_buf_append(cb_buf *b, const void *p, size_t n);
cb_status cb_buf_puts(cb_buf *b, const char *s);
cb_status cb_buf_putc(cb_buf *b, char c);
cb_status cb_buf_printf(cb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cb_status cb_buf_vprintf(cb_buf *b, const char *fmt, va_list ap);

/* Empty the content, keeping the storage. */
void cb_buf_reset(cb_buf *b);

/*
 * Hand the content to the caller: returns a NUL-terminated heap string the
 * caller frees with free() (an empty string when the buffer was empty; NULL
 * only on allocation failure), and leaves the buffer empty.
 */
char *cb_buf_detach(cb_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
