/*
 * library.c — finding and loading the playbook library for the subcommands
 * that use one: every -p PATH, else $CASEBOOK_PLAYBOOKS (colon-separated),
 * else ./playbooks, else the installed examples.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "casebook/scan.h"
#include "casebook/utf8.h"

#include "cb_config.h"
#include "cli/cli.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void cli_print_diags(const cb_diags *d, FILE *out, const char *prefix)
{
    /* One line each, whatever the file's name or the quoted text hold: a newline in a name must not forge a
     * line. */
    for (size_t i = 0; i < d->n; i++) {
        char buf[2048];
        cb_diag_format(&d->v[i], buf, sizeof buf);
        fputs(prefix, out);
        cli_put_name(out, buf);
        fputc('\n', out);
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

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A PLAYBOOK operand that names a file rather than an id. */
static bool looks_like_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) || (n > 4 && !strcmp(s + n - 4, ".yml")) ||
           is_file(s);
}

const cb_playbook *cli_find_playbook(const char *cmdname, const char *name, const char *const *paths, size_t npaths,
                                     const char *fallback_path, cb_library *lib)
{
    cb_diags diags;
    cb_diags_init(&diags);
    const cb_playbook *pb = NULL;
    if (looks_like_path(name)) {
        cb_status st = cb_library_add_path(lib, name, &diags);
        cb_diags_sort(&diags);
        cli_print_diags(&diags, stderr, "casebook: ");
        if (!st && lib->n == 1)
            pb = lib->playbooks[0];
        else if (!st)
            cli_error("%s: %s is not a playbook file", cmdname, name);
        cb_diags_release(&diags);
        return pb;
    }
    const char *used;
    int lrc = cli_load_library(paths, npaths, lib, &diags, &used);
    cb_diags_sort(&diags);
    if (lrc != CLI_OK) {
        cli_print_diags(&diags, stderr, "casebook: ");
        cb_diags_release(&diags);
        return NULL;
    }
    if ((pb = cb_library_find(lib, name))) {
        cb_diags_release(&diags);
        return pb;
    }
    if (fallback_path && is_file(fallback_path)) { /* e.g. a resumed walk of a playbook outside the library */
        size_t before = lib->n;
        cb_diags fdiags;
        cb_diags_init(&fdiags);
        if (!cb_library_add_path(lib, fallback_path, &fdiags) && lib->n > before &&
            !strcmp(lib->playbooks[before]->id.s, name))
            pb = lib->playbooks[before];
        cb_diags_release(&fdiags);
        if (pb) {
            cb_diags_release(&diags);
            return pb;
        }
    }
    /* The playbook may be one that failed to load: say why the others did not. */
    cli_print_diags(&diags, stderr, "casebook: warning: ");
    cb_diags_release(&diags);
    cb_buf where, safe;
    cb_buf_init(&where, CB_BUF_UNLIMITED);
    cb_buf_init(&safe, 4096);
    if (used)
        cb_buf_puts(&where, used);
    for (size_t i = 0; i < npaths; i++) {
        cb_buf_puts(&where, i ? ", " : "");
        cb_buf_puts(&where, paths[i]);
    }
    size_t n = strlen(name);
    cb_utf8_sanitize(&safe, name, n < 200 ? n : cb_utf8_boundary(name, 200), true);
    cli_error("%s: no playbook '%s' in %s (give a playbook id from there, or the playbook's file)", cmdname,
              safe.data ? safe.data : "", where.data ? where.data : "the library");
    cb_buf_release(&where);
    cb_buf_release(&safe);
    return NULL;
}

bool cli_playbook_sound(const char *cmdname, const cb_playbook *pb)
{
    cb_diags d;
    cb_diags_init(&d);
    if (cb_playbook_check_sound(pb, cb_regex_check, NULL, &d)) {
        cb_diags_release(&d);
        cli_error("%s: out of memory", cmdname);
        return false;
    }
    bool sound = d.n == 0;
    if (!sound) {
        cb_diags_sort(&d);
        cli_print_diags(&d, stderr, "casebook: ");
        cli_error("%s: playbook '%s' cannot be walked until these are fixed (casebook lint lists them)", cmdname,
                  pb->id.s);
    }
    cb_diags_release(&d);
    return sound;
}
