/*
 * kb_write.h — the commands of `casebook kb` that change articles
 * (cli/cmd_kb_write.c): add, edit, state, flag, history; cmd_kb.c parses
 * their options and calls these with the store open.  Each returns the exit
 * status (docs/cli.md): 0 done, 1 refused by a rule, a save made meanwhile,
 * similar articles found or the edit abandoned, 2 usage or input error.
 */
#ifndef CB_CLI_KB_WRITE_H
#define CB_CLI_KB_WRITE_H

#include <stdbool.h>

#include <jansson.h>

#include "casebook/kb.h"

/* kb add [FILE] [--domain D] [--force]: FILE NULL edits a template in $EDITOR. */
int cli_kb_add(cb_store *s, const char *file, const char *domain, bool force);
/* kb edit ID [--why TEXT]: the article's file form in $EDITOR, saved unless someone saved meanwhile. */
int cli_kb_edit(cb_store *s, const char *id, const char *why);
/* kb state ID NEW --why TEXT [--force] */
int cli_kb_state(cb_store *s, const char *id, cb_kb_state to, const char *why, bool force);
/* kb flag ID TEXT (resolve 0), or kb flag ID --resolve N (text NULL) */
int cli_kb_flag(cb_store *s, const char *id, const char *text, unsigned resolve);
/* kb history ID [--format text|json] */
int cli_kb_history(cb_store *s, const char *id, bool json);
/*
 * The open flags of article id for kb show: with json non-NULL, *json is set
 * to an array of {n, body, author, created}; else they are printed as lines
 * "flag N (AUTHOR, CREATED): BODY".  CLI_OK, or CLI_USAGE after printing
 * the error.
 */
int cli_kb_show_flags(cb_store *s, const char *id, json_t **json);

#endif
