/*
 * case_int.h — what the files of src/case share (case.c, similar.c,
 * walks.c); not installed.  The checks every case write makes before it
 * writes (the acting person, the case, the bounds of a text), so that each
 * file applies the same rules with the same messages.
 */
#ifndef CB_CASE_INT_H
#define CB_CASE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/case.h"

/*
 * Check a text field `what` (named in the message) against its bounds: NULL
 * and "" are allowed only when !required (the caller stores NULL for both);
 * at most `max` bytes; valid UTF-8; no control character (cb_utf8_is_control)
 * except, when multiline, line feeds and tabs; when required, not only
 * blanks.  CB_OK or CB_EINVAL with err saying why.
 */
cb_status cb__case_text_check(const char *what, const char *s, size_t max, bool required, bool multiline,
                              cb_error *err);

/*
 * Is text[0..n) one JSON text (RFC 8259 syntax, valid UTF-8, nesting at most
 * 512 deep)?  Checked without allocating.  CB_OK, or CB_EINVAL "WHAT is not JSON".
 */
cb_status cb__case_json_check(const char *what, const char *text, size_t n, cb_error *err);

/*
 * The acting person, inside the caller's transaction: `who` must be a
 * person of the store (CB_ENOTFOUND); NULL is allowed only while the store
 * has no people (CB_EINVAL "who is acting?" otherwise).
 */
cb_status cb__case_check_who(cb_store *s, const char *who, cb_error *err);

/* Does person `handle` exist?  CB_ENOTFOUND "no person 'h'" when not ("what" prefixes the message). */
cb_status cb__case_check_person(cb_store *s, const char *what, const char *handle, cb_error *err);

/*
 * Case `id` exists (CB_ENOTFOUND "no case ID" when not, or when id is not a
 * case id); *status (may be NULL) receives its status.
 */
cb_status cb__case_check(cb_store *s, const char *id, cb_case_status *status, cb_error *err);

/* The next number of the case's rows in `table` (case_notes, case_walks, escalations): MAX(n) + 1. */
cb_status cb__case_next_n(cb_store *s, const char *table, const char *id, unsigned *n, cb_error *err);

/* End the transaction: commit when st is CB_OK (returning the commit's status), else roll back and return st. */
cb_status cb__case_finish(cb_store *s, cb_status st, cb_error *err);

/* A heap copy of column col of the current row, or NULL for SQL NULL; *oom set when the copy failed. */
char *cb__case_col(const cb_store_rows *r, int col, bool *oom);

/* The columns of a cb_case_entry, in the order cb__case_entry_fill reads them, for "SELECT " CB__CASE_ENTRY_COLS. */
#define CB__CASE_ENTRY_COLS "id, title, customer, product, version, engineer, status, severity, opened, closed"
/* Fill e from the first ten columns of the current row (CB__CASE_ENTRY_COLS); false when out of memory. */
bool cb__case_entry_fill(cb_case_entry *e, const cb_store_rows *r);
void cb__case_entry_release(cb_case_entry *e);

#endif
