/*
 * context.c — the global options (`casebook [--db PATH] [--as HANDLE]
 * SUBCOMMAND`), and opening the store and naming the acting person for the
 * commands that need them.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

cli_context cli_ctx;

/* "--name VALUE" or "--name=VALUE" at argv[*i]: true with *val set (NULL when the value is missing). */
static bool global_opt(const char *name, int argc, char **argv, int *i, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *val = a + n + 1;
        return true;
    }
    if (a[n] != '\0')
        return false;
    *val = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

int cli_context_parse(int argc, char **argv)
{
    const char *u = getenv("CASEBOOK_USER");
    cli_ctx.as = u && *u ? u : NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *v = NULL;
        if (global_opt("--db", argc, argv, &i, &v)) {
            if (!v || !*v) {
                cli_error("--db needs a PATH; see 'casebook --help'");
                return -1;
            }
            cli_ctx.db = v;
        } else if (global_opt("--as", argc, argv, &i, &v)) {
            if (!v || !*v) {
                cli_error("--as needs a HANDLE; see 'casebook --help'");
                return -1;
            }
            cli_ctx.as = v;
        } else {
            break;
        }
    }
    return i;
}

int cli_open_store(const char *cmdname, cb_store **out)
{
    cb_error err;
    char *def = NULL;
    *out = NULL;
    const char *path = cli_ctx.db;
    if (!path) {
        if (cb_store_default_path(&def, &err) != CB_OK) {
            cli_error("%s: %s", cmdname, err.msg);
            return CLI_USAGE;
        }
        path = def;
    }
    cb_status st = cb_store_open(path, NULL, out, &err);
    free(def);
    if (st != CB_OK) {
        cli_error("%s: %s%s%s", cmdname, err.file[0] ? err.file : "", err.file[0] ? ": " : "", err.msg);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_actor(const char *cmdname, cb_store *s, cb_person *actor, bool *fresh)
{
    cb_error err;
    int64_t n = 0;
    memset(actor, 0, sizeof *actor);
    *fresh = false;
    if (cb_people_count(s, &n, &err) != CB_OK) {
        cli_error("%s: %s", cmdname, err.msg);
        return CLI_USAGE;
    }
    if (n == 0) {
        *fresh = true;
        return CLI_OK;
    }
    if (!cli_ctx.as) {
        cli_error("%s: who is acting? give --as HANDLE or set CASEBOOK_USER", cmdname);
        return CLI_USAGE;
    }
    cb_status st = cb_people_get(s, cli_ctx.as, actor, &err);
    if (st == CB_ENOTFOUND) {
        cli_error("%s: --as: unknown person '%s' (see 'casebook people list')", cmdname, cli_ctx.as);
        return CLI_USAGE;
    }
    if (st != CB_OK) {
        cli_error("%s: %s", cmdname, err.msg);
        return CLI_USAGE;
    }
    return CLI_OK;
}
