/*
 * cmd_show.c — `casebook show PLAYBOOK`: a playbook as a Markdown page, a
 * Graphviz DOT graph, an SVG picture or a Mermaid flowchart, optionally with
 * the path of a saved walk (`casebook walk --save`) highlighted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/render.h"
#include "casebook/utf8.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN, OPT_PATH };

static const cli_opt show_opts[] = {
    CLI_OPTION_PLAYBOOKS,
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "md (default), dot, svg or mermaid"},
    {OPT_PATH, 0, "path", ARG_STRING, "TRANSCRIPT", "highlight the walk saved by casebook walk --save"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_show = {
    .name = "show",
    .run = cmd_show,
    .summary = "a playbook as a wiki page (md), a graph (dot, svg) or a Mermaid flowchart",
    .synopsis = "PLAYBOOK [-p PATH]... [--format md|dot|svg|mermaid] [--path TRANSCRIPT]",
    .description =
        "PLAYBOOK is the id of a playbook of the library (-p PATH, else $CASEBOOK_PLAYBOOKS,\n"
        "./playbooks or the installed examples) or the path of a playbook file (one with a '/' or\n"
        "ending in .yaml / .yml).  md: the playbook as a page for a knowledge base, its steps\n"
        "numbered in walk order.  dot: a Graphviz graph, shapes by node kind, edges labelled by\n"
        "answer.  svg: that graph laid out and drawn.  mermaid: a Mermaid flowchart.  --path\n"
        "highlights the nodes a saved walk visited and the edges it took.\n"
        "Exit status: 0 on success, 2 on an error.",
    .opts = show_opts,
};

/* True when the PLAYBOOK operand names a file rather than an id. */
/* s from an untrusted file, made safe to print: bad UTF-8 and control characters escaped, 200 bytes at most.
 */
static const char *safe(cb_buf *b, const char *s)
{
    size_t n = strlen(s);
    cb_buf_reset(b);
    if (cb_utf8_sanitize(b, s, n < 200 ? n : cb_utf8_boundary(s, 200), true) != CB_OK)
        return "?";
    return b->data ? b->data : "";
}

/*
 * Read the walk transcript `file` (JSON: "playbook", "playbook_hash", "steps":
 * [{"node": id}, ...]) for playbook pb.  On CLI_OK *root owns the document and
 * (*ids)[0..*nids) point into it: the node ids of the steps that name a node
 * of pb, in order.  Steps naming other nodes, and a transcript of another
 * playbook or of another version of it, are warnings.  Returns CLI_USAGE
 * after printing when the file cannot be read or is not such a transcript.
 */
static int read_transcript(const char *file, const cb_playbook *pb, json_t **root, const char ***ids,
                           size_t *nids)
{
    json_error_t jerr;
    cb_buf b;
    int rc = CLI_USAGE;
    *root = NULL;
    *ids = NULL;
    *nids = 0;
    cb_buf_init(&b, 4096);
    FILE *f = fopen(file, "rb");
    if (!f) {
        cli_error("%s: cannot open: %s", file, strerror(errno));
        goto out;
    }
    *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!*root) {
        if (jerr.line > 0)
            cli_error("%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
        else
            cli_error("%s: %s", file, jerr.text);
        goto out;
    }
    json_t *steps = json_is_object(*root) ? json_object_get(*root, "steps") : NULL;
    if (!json_is_array(steps)) {
        cli_error("%s: not a walk transcript: expected an object with \"steps\": [{\"node\": ...}, ...]",
                  file);
        goto out;
    }
    const char *pid = json_string_value(json_object_get(*root, "playbook"));
    if (pid && strcmp(pid, pb->id.s) != 0)
        cli_error("warning: %s: the transcript is a walk of playbook '%s', not '%s'", file, safe(&b, pid),
                  pb->id.s);
    const char *hash = json_string_value(json_object_get(*root, "playbook_hash"));
    if (hash && strcmp(hash, pb->hash) != 0)
        cli_error("warning: %s: playbook '%s' has changed since this walk (hash %.12s…, now %.12s…)", file,
                  pb->id.s, safe(&b, hash), pb->hash);

    size_t n = json_array_size(steps);
    *ids = calloc(n + 1, sizeof **ids);
    if (!*ids) {
        cli_error("show: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *node = json_string_value(json_object_get(json_array_get(steps, i), "node"));
        if (!node)
            cli_error("warning: %s: step %zu has no \"node\": ignored", file, i + 1);
        else if (cb_playbook_node(pb, node) < 0)
            cli_error("warning: %s: step %zu names node '%s', which playbook '%s' does not have: ignored",
                      file, i + 1, safe(&b, node), pb->id.s);
        else
            (*ids)[(*nids)++] = node;
    }
    rc = CLI_OK;
out:
    cb_buf_release(&b);
    if (rc != CLI_OK) {
        json_decref(*root);
        *root = NULL;
        free(*ids);
        *ids = NULL;
        *nids = 0;
    }
    return rc;
}

/* "casebook: show: no playbook 'x' in WHERE": the default library taken, or the -p paths given. */
int cmd_show(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    const char *arg, *transcript = NULL;
    cb_render_format fmt = CB_RENDER_MD;
    int id, rc = CLI_USAGE;
    const char **ids = NULL;
    size_t nids = 0;
    cb_library lib;
    json_t *root = NULL;
    char *text = NULL;

    cb_library_init(&lib);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_FORMAT:
            if (!cb_render_format_parse(arg, &fmt)) {
                rc = cli_usage_error(cmd, "unknown format '%s' (md, dot, svg or mermaid)", arg);
                goto out;
            }
            break;
        case OPT_PATH:
            transcript = arg;
            break;
        }
    }
    if (p.noperands != 1) {
        rc = p.noperands ? cli_usage_error(cmd, "expected one PLAYBOOK, got %d", p.noperands)
                         : cli_usage_error(cmd, "missing PLAYBOOK");
        goto out;
    }

    const cb_playbook *pb = cli_find_playbook("show", p.operands[0], p.playbooks, p.nplaybooks, NULL, &lib);
    if (!pb)
        goto out;

    if (transcript && read_transcript(transcript, pb, &root, &ids, &nids) != CLI_OK)
        goto out;

    cb_error err;
    size_t len;
    if (cb_render_playbook(pb, fmt, ids, nids, &text, &len, &err) != CB_OK) {
        cli_print_error(&err);
        goto out;
    }
    fwrite(text, 1, len, stdout);
    rc = cli_finish_output(CLI_OK);
out:
    free(text);
    free(ids);
    json_decref(root);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}
