/*
 * cmd_list.c — `casebook list`: the playbook library at a glance, one
 * playbook a row: id, signatures, product, tags, the articles it concludes
 * on, title.  Files that do not load are warnings on stderr, as in triage.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/utf8.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN };

static const cli_opt list_opts[] = {
    CLI_OPTION_PLAYBOOKS,
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "text (default) or json"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_list = {
    .name = "list",
    .run = cmd_list,
    .summary = "list the playbook library: id, signatures, product, tags, articles, title",
    .synopsis = "[-p PATH]... [--format text|json]",
    .description =
        "The playbooks of the library (-p PATH, repeatable; else $CASEBOOK_PLAYBOOKS, ./playbooks or the\n"
        "installed examples), in the order they load: by path.  ARTICLES are the knowledge-base articles "
        "the\n"
        "playbook concludes on: its own `article`, then those of its conclusions, each once.  A file that "
        "does\n"
        "not load is a warning on standard error and is not listed.\n"
        "Exit status: 0, or 2 when a PATH cannot be read.",
    .opts = list_opts,
};

/* The articles pb concludes on: its own, then its conclusions' in file order, each once.  Borrowed strings.
 */
static size_t articles(const cb_playbook *pb, const char **out, size_t max)
{
    size_t n = 0;
    if (pb->article.s && n < max)
        out[n++] = pb->article.s;
    for (size_t i = 0; i < pb->nnodes && n < max; i++) {
        const char *a = pb->nodes[i].kind == CB_NODE_CONCLUDE ? pb->nodes[i].article.s : NULL;
        bool seen = !a;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], a) == 0;
        if (!seen)
            out[n++] = a;
    }
    return n;
}

enum { MAX_ARTICLES = 16, NCOLS = 6 };

/* One row of the text table: each cell display-safe, with its width in columns. */
typedef struct cell {
    char *s;
    size_t cols;
} cell;

static bool set_cell(cell *c, const char *s)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&b, s, strlen(s), false) != CB_OK || !(c->s = cb_buf_detach(&b, NULL))) {
        cb_buf_release(&b);
        return false;
    }
    c->cols = cb_utf8_columns(c->s, strlen(c->s));
    return true;
}

/* s[0..n) of a list joined by sep into one string (NULL on OOM). */
static char *join(const char *const *v, size_t n, const char *sep, const char *empty)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    for (size_t i = 0; i < n; i++) {
        cb_buf_puts(&b, i ? sep : "");
        cb_buf_puts(&b, v[i]);
    }
    if (!n)
        cb_buf_puts(&b, empty);
    return cb_buf_detach(&b, NULL);
}

static int print_text(const cb_library *lib)
{
    static const char *const head[NCOLS] = {"ID", "SIGS", "PRODUCT", "TAGS", "ARTICLES", "TITLE"};
    cell *rows = calloc((lib->n + 1) * NCOLS, sizeof *rows);
    int rc = CLI_USAGE;
    if (!rows)
        goto out;
    for (size_t c = 0; c < NCOLS; c++)
        if (!set_cell(&rows[c], head[c]))
            goto out;
    for (size_t i = 0; i < lib->n; i++) {
        const cb_playbook *pb = lib->playbooks[i];
        cell *r = &rows[(i + 1) * NCOLS];
        const char *arts[MAX_ARTICLES];
        size_t na = articles(pb, arts, MAX_ARTICLES);
        const char **tags = calloc(pb->ntags + 1, sizeof *tags);
        if (!tags)
            goto out;
        for (size_t t = 0; t < pb->ntags; t++)
            tags[t] = pb->tags[t].s;
        char nsig[32];
        snprintf(nsig, sizeof nsig, "%zu", pb->nsignatures);
        char *tagstr = join(tags, pb->ntags, ",", "-"), *artstr = join(arts, na, ",", "-");
        bool ok = tagstr && artstr && set_cell(&r[0], pb->id.s) && set_cell(&r[1], nsig) &&
                  set_cell(&r[2], pb->product.s ? pb->product.s : "-") && set_cell(&r[3], tagstr) &&
                  set_cell(&r[4], artstr) && set_cell(&r[5], pb->title.s);
        free(tags);
        free(tagstr);
        free(artstr);
        if (!ok)
            goto out;
    }
    size_t width[NCOLS] = {0};
    for (size_t i = 0; i <= lib->n; i++)
        for (size_t c = 0; c < NCOLS; c++)
            if (rows[i * NCOLS + c].cols > width[c])
                width[c] = rows[i * NCOLS + c].cols;
    bool colour = cli_colour_stdout();
    for (size_t i = 0; i <= lib->n; i++) {
        if (i == 0 && colour)
            fputs(CLI_BOLD, stdout);
        for (size_t c = 0; c < NCOLS; c++) {
            const cell *x = &rows[i * NCOLS + c];
            if (c == 1) /* the count, right-aligned */
                printf("%*s", (int)(width[c] - x->cols), "");
            fputs(x->s, stdout);
            if (c + 1 < NCOLS)
                printf("%*s", (int)(c == 1 ? 2 : width[c] - x->cols + 2), "");
        }
        if (i == 0 && colour)
            fputs(CLI_RESET, stdout);
        putchar('\n');
    }
    size_t nsig = cb_library_signature_count(lib);
    printf("\n%zu playbook%s, %zu signature%s\n", lib->n, lib->n == 1 ? "" : "s", nsig, nsig == 1 ? "" : "s");
    rc = CLI_OK;
out:
    if (rows)
        for (size_t i = 0; i < (lib->n + 1) * NCOLS; i++)
            free(rows[i].s);
    free(rows);
    if (rc != CLI_OK)
        cli_error("list: out of memory");
    return rc;
}

static json_t *text_or_null(const char *s)
{
    return s ? cli_json_text(s, strlen(s)) : json_null();
}

static int print_json(const cb_library *lib)
{
    json_t *root = json_object(), *list = json_array();
    if (!root || !list || json_object_set_new(root, "playbooks", list)) {
        json_decref(root);
        cli_error("list: out of memory");
        return CLI_USAGE;
    }
    for (size_t i = 0; i < lib->n; i++) {
        const cb_playbook *pb = lib->playbooks[i];
        json_t *tags = json_array(), *arts = json_array();
        for (size_t t = 0; t < pb->ntags; t++)
            json_array_append_new(tags, cli_json_text(pb->tags[t].s, strlen(pb->tags[t].s)));
        const char *a[MAX_ARTICLES];
        size_t na = articles(pb, a, MAX_ARTICLES);
        for (size_t k = 0; k < na; k++)
            json_array_append_new(arts, cli_json_text(a[k], strlen(a[k])));
        json_array_append_new(
            list, json_pack("{s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "id", pb->id.s, "title",
                            text_or_null(pb->title.s), "product", text_or_null(pb->product.s), "versions",
                            text_or_null(pb->versions.s), "tags", tags, "signatures",
                            (json_int_t)pb->nsignatures, "nodes", (json_int_t)pb->nnodes, "articles", arts,
                            "file", cli_json_text(pb->path, strlen(pb->path))));
    }
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_USAGE : CLI_OK;
    putchar('\n');
    json_decref(root);
    return rc;
}

int cmd_list(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    cli_format fmt = FMT_TEXT;
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
        if (id == OPT_FORMAT && !(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON))) {
            rc = cli_usage_error(cmd, "unknown format '%s' (text or json)", arg);
            goto out;
        }
    }
    if (p.noperands) {
        rc = cli_usage_error(cmd, "unexpected operand '%s' (give playbook paths with -p)", p.operands[0]);
        goto out;
    }
    const char *used;
    int lrc = cli_load_library(p.playbooks, p.nplaybooks, &lib, &diags, &used);
    if (diags.n) {
        cb_diags_sort(&diags);
        cli_print_diags(&diags, stderr, "casebook: warning: ");
    }
    if (lrc != CLI_OK)
        goto out;
    if (fmt == FMT_JSON) {
        rc = cli_finish_output(print_json(&lib));
    } else {
        cli_fit fit; /* on a terminal, rows longer than it are cut with … */
        cli_fit_begin(&fit);
        rc = print_text(&lib);
        cli_fit_end(&fit);
        rc = cli_finish_output(rc);
    }
out:
    cb_diags_release(&diags);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}
