/*
 * cmd_test.c — `casebook test [PATH]...`: run the `tests:` of playbooks.
 * Each test lays its log files out as a tiny bundle in a temporary
 * directory, triages it with its own playbook, walks the tree with the
 * test's answers, and must reach the expected node.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/scan.h"
#include "casebook/walk.h"
#include "cli/cli.h"

enum { OPT_VERBOSE = CLI_OPT_OWN };

static const cli_opt test_opts[] = {
    {OPT_VERBOSE, 'v', "verbose", ARG_NONE, NULL, "show the decisions of passing tests too"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_test = {
    .name = "test",
    .run = cmd_test,
    .summary = "run the tests written inside playbooks",
    .synopsis = "[PATH]... [-v]",
    .description =
        "PATH is a playbook file or directory; without PATH, the playbook library.  One line per test; a\n"
        "failing test shows the node reached instead and the hit counts and answers that decided it.\n"
        "Exit status: 0 when every test passes, 1 when one fails, 2 when a PATH cannot be read.",
    .opts = test_opts,
};

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Write one of a test's log files under dir; refuses paths that would leave it. */
/* True when some '/'-separated component of p is "..". */
static bool has_dotdot(const char *p)
{
    for (const char *c = p; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL)
        if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
            return true;
    return false;
}

static bool write_log(const char *dir, const char *rel, const char *content, char *why, size_t whysize)
{
    if (!rel || !*rel || rel[0] == '/' || has_dotdot(rel)) {
        snprintf(why, whysize, "log path '%s' must be relative and stay inside the bundle", rel ? rel : "");
        return false;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
        snprintf(why, whysize, "cannot write %s: %s", rel, strerror(errno));
        return false;
    }
    return true;
}

typedef struct answers {
    const cb_pbtest *t;
} answers;

static const char *answer_of(void *ctx, const cb_node *n)
{
    const answers *a = ctx;
    for (size_t i = 0; i < a->t->nanswers; i++)
        if (a->t->answers[i].node.id && strcmp(a->t->answers[i].node.id, n->id) == 0)
            return a->t->answers[i].answer.s;
    return NULL;
}

/*
 * "WORD id: name[: what]": one line per test.  The name and `what` quote the playbook file (names, log paths,
 * node ids as written): their unsafe bytes are escaped, so that no test can forge or hide a line.
 */
static void test_line(const char *word, const cb_playbook *pb, const char *name, const char *what)
{
    printf("%s %s: ", word, pb->id.s);
    cli_put_name(stdout, name);
    if (what) {
        fputs(": ", stdout);
        cli_put_name(stdout, what);
    }
    putchar('\n');
}

/* Run one test; prints its line.  Returns 1 pass, 0 fail, -1 error. */
static int run_test(const cb_playbook *pb, const cb_pbtest *t, bool verbose)
{
    char dir[] = "/tmp/casebook-test-XXXXXX";
    char why[512] = "";
    int result = 0;
    cb_triage *tr = NULL;
    cb_autowalk w = {0};
    const char *name = t->name.s ? t->name.s : "(unnamed)";
    if (!mkdtemp(dir)) {
        printf("ERROR %s: ", pb->id.s);
        cli_put_name(stdout, name);
        printf(": cannot make a temporary directory: %s\n", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < t->nlogs; i++)
        if (!write_log(dir, t->logs[i].path.s, t->logs[i].content.s ? t->logs[i].content.s : "", why, sizeof why)) {
            test_line("ERROR", pb, name, why);
            result = -1;
            goto out;
        }
    cb_library one = {.playbooks = (cb_playbook **)&pb, .n = 1, .cap = 1};
    cb_triage_opts to;
    cb_triage_opts_init(&to);
    to.scan.threads = 1;
    to.scan.max_evidence = 0;
    cb_error err;
    if (cb_triage_run(&one, dir, &to, &tr, &err)) {
        test_line("ERROR", pb, name, err.msg);
        result = -1;
        goto out;
    }
    answers a = {t};
    if (cb_autowalk_run(tr, &tr->all[0], answer_of, &a, &w, &err)) {
        test_line("ERROR", pb, name, err.msg);
        result = -1;
        goto out;
    }
    const char *reached = w.stop_node >= 0 ? pb->nodes[w.stop_node].id : "(nothing)";
    bool pass = t->expect.id && strcmp(reached, t->expect.id) == 0;
    result = pass ? 1 : 0;
    if (pass) {
        test_line("ok  ", pb, name, NULL);
    } else {
        const char *how = w.stop == CB_WALK_NEEDS_HUMAN ? " (stopped: it needs an answer)" : "";
        cb_buf what;
        cb_buf_init(&what, CB_BUF_UNLIMITED);
        cb_buf_printf(&what, "reached '%s'%s instead of '%s'", reached, how,
                      t->expect.id ? t->expect.id : "?");
        test_line("FAIL", pb, name, what.data ? what.data : "out of memory");
        cb_buf_release(&what);
    }
    if (!pass || verbose)
        for (size_t i = 0; i < w.nwhy; i++) {
            printf("       ");
            cli_put_safe(w.why[i], strlen(w.why[i]));
            putchar('\n');
        }
out:
    cb_autowalk_release(&w);
    cb_triage_free(tr);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return result;
}

int cmd_test(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    const char *arg;
    int id, rc = CLI_USAGE;
    bool verbose = false;
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
        if (id == OPT_VERBOSE)
            verbose = true;
    }
    const char *used;
    int lrc = cli_load_library((const char *const *)p.operands, (size_t)p.noperands, &lib, &diags, &used);
    if (diags.n) {
        cb_diags_sort(&diags);
        cli_print_diags(&diags, stderr, "casebook: ");
    }
    if (lrc != CLI_OK)
        goto out;
    size_t passed = 0, failed = 0, errors = 0, without = 0, nunsound = 0;
    for (size_t i = 0; i < lib.n; i++) {
        const cb_playbook *pb = lib.playbooks[i];
        if (!pb->ntests)
            without++;
        /* A tree that loops or leads nowhere, or a pattern that does not compile, makes every test meaningless. */
        cb_diags unsound;
        cb_diags_init(&unsound);
        if (cb_playbook_check_sound(pb, cb_regex_check, NULL, &unsound)) {
            cb_diags_release(&unsound);
            cli_error("out of memory");
            rc = CLI_USAGE;
            goto out;
        }
        if (unsound.n) {
            cb_diags_sort(&unsound);
            for (size_t k = 0; k < pb->ntests; k++)
                test_line("ERROR", pb, pb->tests[k].name.s ? pb->tests[k].name.s : "(unnamed)",
                          "the playbook is not sound (see casebook lint)");
            fflush(stdout);
            cli_print_diags(&unsound, stderr, "casebook: ");
            errors += pb->ntests;
            nunsound++;
            cb_diags_release(&unsound);
            continue;
        }
        for (size_t k = 0; k < pb->ntests; k++) {
            int r = run_test(pb, &pb->tests[k], verbose);
            if (r > 0)
                passed++;
            else if (r == 0)
                failed++;
            else
                errors++;
        }
    }
    printf("\n%zu passed, %zu failed", passed, failed + errors);
    if (errors)
        printf(" (%zu could not run)", errors);
    printf(" — %zu playbook%s", lib.n, lib.n == 1 ? "" : "s");
    if (without)
        printf(", %zu without tests", without);
    putchar('\n');
    rc = cli_finish_output(failed || errors || nunsound || diags.n ? CLI_FOUND : CLI_OK);
out:
    cb_diags_release(&diags);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}
