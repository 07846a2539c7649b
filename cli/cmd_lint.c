/*
 * cmd_lint.c — `casebook lint [PATH]...`: every problem of every playbook,
 * one line each as file:line:col: message; exit 1 if there is any.
 */
#include <stdlib.h>

#include "casebook/scan.h"
#include "cli/cli.h"


static const cli_opt lint_opts[] = {
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_lint = {
    .name = "lint",
    .run = cmd_lint,
    .summary = "check playbooks: syntax, structure, references, patterns",
    .synopsis = "[PATH]...",
    .description =
        "PATH is a playbook file or a directory of them (*.yaml, *.yml, recursively); without PATH, the\n"
        "playbook library ($CASEBOOK_PLAYBOOKS, ./playbooks, or the installed examples).  Each problem is\n"
        "printed as file:line:col: message.  Exit status: 0 when there is none (a summary line is printed),\n"
        "1 when there are problems, 2 when a PATH cannot be read.",
    .opts = lint_opts,
};

int cmd_lint(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    const char *arg;
    int id, rc = CLI_USAGE;
    cb_library lib;
    cb_diags diags;
    cb_library_init(&lib);
    cb_diags_init(&diags);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        if (id == CLI_STOP) {
            rc = p.stop;
            goto out;
        }
    }
    const char *used;
    int lrc = cli_load_library((const char *const *)p.operands, (size_t)p.noperands, &lib, &diags, &used);
    if (cb_library_lint(&lib, cb_regex_check, NULL, &diags) != CB_OK) {
        cli_error("lint: out of memory");
        goto out;
    }
    cb_diags_sort(&diags);
    cli_print_diags(&diags, stdout, "");
    if (lrc != CLI_OK) {
        rc = cli_finish_output(CLI_USAGE);
        goto out;
    }
    if (diags.n == 0)
        printf("%zu playbook%s, %zu signature%s, 0 problems\n", lib.n, lib.n == 1 ? "" : "s",
               cb_library_signature_count(&lib), cb_library_signature_count(&lib) == 1 ? "" : "s");
    else
        cli_error("lint: %zu problem%s", diags.n, diags.n == 1 ? "" : "s");
    rc = cli_finish_output(diags.n ? CLI_FOUND : CLI_OK);
out:
    cb_diags_release(&diags);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}
