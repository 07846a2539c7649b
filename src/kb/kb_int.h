/*
 * kb_int.h — what the files of src/kb share; not installed.
 */
#ifndef CB_KB_INT_H
#define CB_KB_INT_H

#include <stdbool.h>

#include "casebook/kb.h"

/* Does an article in `state` need section `sec`?  Issue always; Environment and Resolution past wip. */
bool cb__kb_state_needs(cb_kb_state state, cb_kb_section sec);

/* Insert each item of l with sql, whose $1 is id, $2 the position, $3 the item. */
cb_status cb__kb_insert_list(cb_store *s, const char *sql, const char *id, const cb_kb_strlist *l, cb_error *err);

/*
 * The first column of every row of sql, appended to l ($1 is id; no parameter
 * when id is NULL).  The items are heap copies owned by l (partly filled on error).
 */
cb_status cb__kb_read_list(cb_store *s, const char *sql, const char *id, cb_kb_strlist *l, cb_error *err);

#endif
