/*
 * kb_int.h — what the files of src/kb share; not installed.
 */
#ifndef CB_KB_INT_H
#define CB_KB_INT_H

#include <stdbool.h>

#include "casebook/kb.h"

/* Does an article in `state` need section `sec`?  Issue always; Environment and Resolution past wip. */
bool cb__kb_state_needs(cb_kb_state state, cb_kb_section sec);

#endif
