/*
 * glob.h — match paths inside a bundle against signature file globs.
 *
 * Syntax (as in the playbook format): `*` matches any run of characters
 * except '/', `?` one character except '/', `[abc]`, `[a-z]`, `[!a-z]` (or
 * `[^a-z]`) one character of a class, `**` followed by '/' matches zero or
 * more whole folders (so `**` + `/` + `*.log` also matches `x.log` at the root), a
 * trailing `**` matches everything below, `\x` matches x literally.  Matching
 * is case-sensitive and works on bytes.  A leading "./" on the path or the
 * glob is ignored.
 */
#ifndef CASEBOOK_GLOB_H
#define CASEBOOK_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when `path` matches `glob`.  Never fails; an invalid glob matches nothing. */
bool cb_glob_match(const char *glob, const char *path);

/*
 * Validate a glob: CB_EINVAL with a message such as "unterminated '[' at
 * column 5" for an unclosed class, a trailing lone '\\', or an empty glob;
 * column is 1-based and also stored in err->col.
 */
cb_status cb_glob_check(const char *glob, cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
