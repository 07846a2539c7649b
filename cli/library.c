/*
 * library.c — finding and loading the playbook library for the subcommands
 * that use one: every -p PATH, else $CASEBOOK_PLAYBOOKS (colon-separated),
 * else ./playbooks, else the installed examples.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cb_config.h"
#include "cli/cli.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void cli_print_diags(const cb_diags *d, FILE *out, const char *prefix)
{
    for (size_t i = 0; i < d->n; i++) {
        char buf[2048];
        cb_diag_format(&d->v[i], buf, sizeof buf);
        fprintf(out, "%s%s\n", prefix, buf);
    }
}

int cli_load_library(const char *const *paths, size_t n, cb_library *lib, cb_diags *diags, const char **used)
{
    char *env = NULL;
    const char *one[1];
    const char **list = NULL;
    size_t count = 0;
    int rc = CLI_OK;
    *used = NULL;
    if (n) {
        list = (const char **)paths;
        count = n;
    } else if (getenv("CASEBOOK_PLAYBOOKS") && getenv("CASEBOOK_PLAYBOOKS")[0]) {
        env = strdup(getenv("CASEBOOK_PLAYBOOKS"));
        if (!env)
            return CLI_USAGE;
        size_t parts = 1;
        for (const char *c = env; *c; c++)
            parts += *c == ':';
        list = calloc(parts, sizeof *list);
        if (!list) {
            free(env);
            return CLI_USAGE;
        }
        for (char *tok = env, *colon; tok; tok = colon ? colon + 1 : NULL) {
            colon = strchr(tok, ':');
            if (colon)
                *colon = '\0';
            if (*tok)
                list[count++] = tok;
        }
        *used = "$CASEBOOK_PLAYBOOKS";
    } else if (is_dir("playbooks")) {
        one[0] = "playbooks";
        list = one;
        count = 1;
        *used = "./playbooks";
    } else {
        one[0] = is_dir(CB_INSTALLED_PLAYBOOKS) ? CB_INSTALLED_PLAYBOOKS : CB_SOURCE_PLAYBOOKS;
        list = one;
        count = 1;
        *used = one[0];
    }
    for (size_t i = 0; i < count; i++) {
        cb_status st = cb_library_add_path(lib, list[i], diags);
        if (st == CB_ENOMEM) {
            cli_error("out of memory loading playbooks");
            rc = CLI_USAGE;
            break;
        }
        if (st == CB_ENOTFOUND || st == CB_EIO || st == CB_EUNSUPPORTED) {
            rc = CLI_USAGE; /* a path that cannot be read at all: its diagnostic says why */
        }
    }
    if (list != paths && list != one)
        free(list);
    free(env);
    return rc;
}
