/*
 * error.h — status codes and error values shared by every casebook module.
 *
 * Every function that can fail returns a cb_status (0 = CB_OK, negative on
 * failure) and, when the caller passes a non-NULL cb_error, fills it with a
 * human-readable message and, where the input has one, a location
 * (file:line:column).  The library never prints and never exits: the front
 * end decides how to show an error.
 */
#ifndef CASEBOOK_ERROR_H
#define CASEBOOK_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cb_status {
    CB_OK = 0,
    CB_ENOMEM = -1,       /* an allocation failed */
    CB_EIO = -2,          /* an operating-system read/write/open failed */
    CB_EINVAL = -3,       /* a caller-supplied argument or option is invalid */
    CB_EPARSE = -4,       /* input text does not follow its grammar */
    CB_ELIMIT = -5,       /* a configured limit was reached (size, ratio, depth) */
    CB_ECORRUPT = -6,     /* an archive or compressed stream is damaged */
    CB_ENOTFOUND = -7,    /* a named thing does not exist */
    CB_EUNSUPPORTED = -8, /* input is valid but of a kind casebook cannot read */
    CB_EREFUSED = -9,     /* a rule refuses the change (the message names the rule: "[validate-role] ...") */
    CB_ECONFLICT = -10,   /* the thing changed since the caller read it (someone saved meanwhile) */
} cb_status;

enum { CB_ERROR_MSG_MAX = 512, CB_ERROR_FILE_MAX = 512 };

typedef struct cb_error {
    cb_status code;
    char file[CB_ERROR_FILE_MAX]; /* input the error is about, "" if none */
    int line;                     /* 1-based; 0 when unknown */
    int col;                      /* 1-based; 0 when unknown */
    char msg[CB_ERROR_MSG_MAX];   /* lowercase, no trailing full stop */
} cb_error;

/* Reset to CB_OK with empty message and location.  Accepts NULL. */
void cb_error_clear(cb_error *err);

/*
 * Record an error without location.  Returns `code` so that callers can write
 * `return cb_error_set(err, CB_EIO, "...")`.  Accepts err == NULL (the status
 * is still returned).  The message is truncated to fit; never fails.
 */
cb_status cb_error_set(cb_error *err, cb_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As cb_error_set, with the input's name and a 1-based line and column (0 = unknown). */
cb_status cb_error_set_at(cb_error *err, cb_status code, const char *file, int line, int col,
                          const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Write "file:line:col: message" (omitting the parts that are unknown) into
 * buf, always NUL-terminated.  Returns the length the full text would have.
 */
size_t cb_error_format(const cb_error *err, char *buf, size_t size);

/* A short constant name for a status ("out of memory", "i/o error", ...). */
const char *cb_status_str(cb_status code);

#ifdef __cplusplus
}
#endif
#endif
