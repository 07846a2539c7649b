/*
 * main.c — `casebook [--version] [--help] [--db PATH] [--as HANDLE]
 * SUBCOMMAND [options]`: the global options (cli/context.c), the subcommand
 * table and dispatch.  Each subcommand lives in cli/cmd_<name>.c
 * and declares its options; usage text is generated from them.
 */
#include <stdio.h>
#include <string.h>

#include "cb_config.h"
#include "cli/cli.h"

static const cli_cmd *const commands[] = {
    &cli_cmd_ls,
    &cli_cmd_grep,
    &cli_cmd_triage,
    &cli_cmd_list,
    &cli_cmd_lint,
    &cli_cmd_test,
    &cli_cmd_walk,
    &cli_cmd_show,
    &cli_cmd_people,
    &cli_cmd_kb,
    &cli_cmd_case,
    &cli_cmd_mine,
};

static const cli_cmd *find_cmd(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void main_usage(FILE *out)
{
    fputs("usage: casebook [--version] [--help] [--db PATH] [--as HANDLE] SUBCOMMAND [options]\n\n"
          "casebook triages customer log bundles against known-issue playbooks.\n\n"
          "global options (before the subcommand; used by the commands that keep knowledge: people, kb, case):\n"
          "  --db PATH    the database (else $CASEBOOK_DB, else $XDG_DATA_HOME/casebook/casebook.db\n"
          "               or ~/.local/share/casebook/casebook.db)\n"
          "  --as HANDLE  the person acting (else $CASEBOOK_USER)\n\n"
          "subcommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help       show the help of a subcommand\n\n"
          "Run 'casebook help SUBCOMMAND' or 'casebook SUBCOMMAND --help' for details.\n"
          "Exit status: 0 success, 1 a documented \"found\" or failed check, 2 usage or input error.\n",
          out);
}

int main(int argc, char **argv)
{
    int first = cli_context_parse(argc, argv);
    if (first < 0)
        return CLI_USAGE;
    if (first >= argc) {
        main_usage(stderr);
        return CLI_USAGE;
    }
    argc -= first - 1; /* the subcommand's name becomes argv[1], as without global options */
    argv += first - 1;
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("casebook %s\n", CB_VERSION);
        return cli_finish_output(CLI_OK);
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        main_usage(stdout);
        return cli_finish_output(CLI_OK);
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            main_usage(stdout);
            return cli_finish_output(CLI_OK);
        }
        const cli_cmd *c = find_cmd(argv[2]);
        if (!c) {
            cli_error("help: unknown subcommand '%s'", argv[2]);
            return CLI_USAGE;
        }
        cli_usage(c, stdout);
        return cli_finish_output(CLI_OK);
    }
    const cli_cmd *c = find_cmd(name);
    if (!c) {
        cli_error("'%s' is not a casebook subcommand; see 'casebook --help'", name);
        return CLI_USAGE;
    }
    return c->run(c, argc - 1, argv + 1);
}
