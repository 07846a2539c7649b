/*
 * pb_int.h — internals shared by the playbook module's files (not installed).
 */
#ifndef CB_PLAYBOOK_PB_INT_H
#define CB_PLAYBOOK_PB_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "casebook/playbook.h"

/* cb_diags_add with a va_list. */
cb_status cb__diags_vadd(cb_diags *d, const char *file, int line, int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/*
 * Author-supplied text quoted into a message: control characters escaped,
 * cut to 60 characters with "..." so that one line stays readable.  Returns
 * one of four rotating buffers of q, so up to four may appear in one message.
 */
typedef struct cb__quoter {
    char buf[4][256];
    unsigned next;
} cb__quoter;

const char *cb__q(cb__quoter *q, const char *s);

/* True for a variable name character: [A-Za-z0-9_.-]. */
bool cb__var_char(int c);

/*
 * When s starts with a `{{ name }}` reference, return its total length and
 * set *name / *namelen to the name inside it; else return 0.
 */
size_t cb__var_ref(const char *s, const char **name, size_t *namelen);

/*
 * Call fn for each named group `(?<name>`, `(?P<name>` or `(?'name'` of a
 * regular expression (escapes and character classes are skipped).  fn returns
 * false to stop.
 */
void cb__pattern_groups(const char *pattern, bool (*fn)(void *ctx, const char *name, size_t len), void *ctx);

/* Sort pb's node and signature indices by id (for the lookups) and resolve every reference.  CB_ENOMEM. */
cb_status cb__playbook_index(cb_playbook *pb);

#endif
