/*
 * cmd_case.c — `casebook case new|show|list|note|link|escalate|close`:
 * support cases (case.h) in the store chosen by --db, written by the person
 * --as names.  Each action is a function of its own with its own options
 * and --help; `case` dispatches through the table at the end (`case walk`
 * is cli_case_walk, in its own file).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casebook/json.h"
#include "casebook/bundle.h"
#include "casebook/case.h"
#include "casebook/kb.h"
#include "casebook/timefmt.h"
#include "casebook/utf8.h"
#include "cli/cli.h"

enum {
    OPT_TITLE = CLI_OPT_OWN,
    OPT_CUSTOMER,
    OPT_PRODUCT,
    OPT_VERSION,
    OPT_SEVERITY,
    OPT_ENV,
    OPT_BUNDLE,
    OPT_FORMAT,
    OPT_OPEN,
    OPT_ENGINEER,
    OPT_SINCE,
    OPT_TYPE,
    OPT_TO,
    OPT_WHY,
    OPT_PLAYBOOK,
    OPT_PATTERN,
    OPT_RESOLUTION,
    OPT_LINK,
};

enum { SIMILAR_SHOWN = 5 }; /* similar earlier cases `case new` prints */

/* ------------------------------------------------------------------ */
/* Shared                                                              */
/* ------------------------------------------------------------------ */

/* The store and the acting person (NULL *who on a store without people); CLI_OK or CLI_USAGE after printing. */
static int open_acting(const char *what, cb_store **s, cb_person *actor, const char **who)
{
    bool fresh = false;
    memset(actor, 0, sizeof *actor);
    *who = NULL;
    int rc = cli_open_store(what, s);
    if (rc == CLI_OK && (rc = cli_actor(what, *s, actor, &fresh)) == CLI_OK)
        *who = fresh ? NULL : actor->handle;
    if (rc != CLI_OK) {
        cb_store_close(*s);
        *s = NULL;
    }
    return rc;
}

static int fail(const char *what, const cb_error *err)
{
    cli_error("%s: %s", what, err->msg);
    return CLI_USAGE;
}

static json_t *jstr(const char *s)
{
    return s ? cli_json_text(s, strlen(s)) : json_null();
}

/* Stored JSON text as JSON (what casebook wrote, so it parses); as a string in case it does not. */
static json_t *jraw(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_loads(s, 0, NULL);
    return j ? j : jstr(s);
}

static int dump_json(const char *what, json_t *root)
{
    if (!root) {
        cli_error("%s: out of memory", what);
        return CLI_USAGE;
    }
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_USAGE : CLI_OK;
    putchar('\n');
    json_decref(root);
    return cli_finish_output(rc);
}

static json_t *entry_json(const cb_case_entry *e)
{
    return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", jstr(e->id), "title", jstr(e->title),
                     "status", cb_case_status_name(e->status), "severity",
                     e->severity ? json_integer(e->severity) : json_null(), "customer", jstr(e->customer), "product",
                     jstr(e->product), "version", jstr(e->version), "engineer", jstr(e->engineer), "opened",
                     jstr(e->opened), "closed", jstr(e->closed));
}

static void put(const char *s)
{
    cli_put_safe(s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* case new                                                            */
/* ------------------------------------------------------------------ */

static const cli_opt new_opts[] = {
    {OPT_TITLE, 't', "title", ARG_STRING, "T", "the case's title (required; one line, at most 500 bytes)"},
    {OPT_CUSTOMER, 0, "customer", ARG_STRING, "C", "the customer (organisation)"},
    {OPT_PRODUCT, 0, "product", ARG_STRING, "P", "the product"},
    {OPT_VERSION, 0, "version", ARG_STRING, "V", "the product's version"},
    {OPT_SEVERITY, 0, "severity", ARG_STRING, "N", "1 (highest) to 4"},
    {OPT_ENV, 0, "env", ARG_STRING, "TEXT", "the environment, free text"},
    {OPT_BUNDLE, 'b', "bundle", ARG_STRING, "B", "the customer's log bundle: triaged, its summary stored"},
    CLI_OPTION_PLAYBOOKS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd new_cmd = {
    .name = "case new",
    .synopsis = "--title T [--customer C] [--product P] [--version V] [--severity 1-4] [--env TEXT] "
                "[--bundle B [-p PATH]...]",
    .summary = "open a case; with a bundle, triage it and show similar earlier cases",
    .description =
        "Prints the new case's id alone on the first line.  With --bundle, the bundle is triaged exactly as\n"
        "`casebook triage` does (with the playbooks of -p, else the default library); the case keeps the\n"
        "triage's JSON summary, what fired, the bundle's absolute path and its fingerprint, never the logs.\n"
        "The triage's text follows the id, then the similar earlier cases: those whose triage fired the same\n"
        "playbooks and signatures (rarer ones weigh more), with their resolution and linked articles.\n"
        "The engineer is the acting person (--as).  Exit status: 0, or 2 for a usage or input error.",
    .opts = new_opts,
};

static void print_similar(const cb_case_similars *l)
{
    if (!l->n) {
        printf("Similar earlier cases: none yet\n");
        return;
    }
    printf("Similar earlier cases:\n");
    for (size_t i = 0; i < l->n; i++) {
        const cb_case_similar *c = &l->v[i];
        printf("  %s  score %.2f  %-8s  ", c->e.id, c->score, cb_case_status_name(c->e.status));
        put(c->e.title);
        putchar('\n');
        if (c->resolution) {
            printf("      resolution: ");
            cli_put_multiline(c->resolution, "                  ");
            putchar('\n');
        }
        printf("      articles: ");
        for (size_t k = 0; k < c->narticles; k++) {
            printf("%s", k ? ", " : "");
            put(c->articles[k]);
        }
        printf("%s\n      shared: ", c->narticles ? "" : "none");
        /* Each shared playbook with how many of its signatures are shared too: the pairs in full are long. */
        for (size_t k = 0, np = 0; k < c->nshared; k++) {
            if (strchr(c->shared[k], '/'))
                continue;
            size_t len = strlen(c->shared[k]), nsig = 0;
            for (size_t j = 0; j < c->nshared; j++)
                nsig += strncmp(c->shared[j], c->shared[k], len) == 0 && c->shared[j][len] == '/';
            printf("%s", np++ ? ", " : "");
            put(c->shared[k]);
            printf(" (%zu signature%s)", nsig, nsig == 1 ? "" : "s");
        }
        putchar('\n');
    }
}

/* Triage the bundle into *t and fill what the case keeps of it: rows, JSON, absolute path, fingerprint. */
static int triage_bundle(const char *bundle, const cli_parser *p, cb_library *lib, cb_triage_opts *to, cb_triage **t,
                         cb_case_triage *rows, char **json, char abs[PATH_MAX], char fp[65])
{
    cb_error err;
    if (!realpath(bundle, abs)) {
        cli_error("case new: %s: %s", bundle, strerror(errno));
        return CLI_USAGE;
    }
    if (cli_triage_load("case new", p->playbooks, p->nplaybooks, lib) != CLI_OK ||
        cli_triage_exec("case new", bundle, lib, to, t) != CLI_OK)
        return CLI_USAGE;
    if (cb_bundle_fingerprint(abs, fp, &err) != CB_OK)
        return fail("case new", &err);
    json_t *j = cli_triage_json(abs, *t, false); /* with each finding's article as the store has it now */
    *json = cb_json_dump(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!*json || cb_case_triage_from(*t, rows) != CB_OK) {
        cli_error("case new: out of memory");
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int case_new(int argc, char **argv)
{
    cli_parser p;
    const char *arg, *bundle = NULL;
    int id, rc = CLI_USAGE;
    uint64_t v;
    cb_case_new c = {0};
    cb_library lib;
    cb_triage_opts to;
    cb_triage *t = NULL;
    cb_case_triage rows = {0};
    char *json = NULL;
    cb_store *s = NULL;
    cb_person actor = {0};
    cb_case_similars sim = {0};
    cb_error err;

    cb_library_init(&lib);
    cb_triage_opts_init(&to);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, &new_cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_TITLE:
            c.title = arg;
            break;
        case OPT_CUSTOMER:
            c.customer = arg;
            break;
        case OPT_PRODUCT:
            c.product = arg;
            break;
        case OPT_VERSION:
            c.version = arg;
            break;
        case OPT_ENV:
            c.environment = arg;
            break;
        case OPT_SEVERITY:
            if (!cli_parse_uint(arg, &v) || v < 1 || v > 4) {
                rc = cli_usage_error(&new_cmd, "--severity is 1 (highest) to 4, not '%s'", arg);
                goto out;
            }
            c.severity = (int)v;
            break;
        case OPT_BUNDLE:
            bundle = arg;
            break;
        }
    }
    if (p.noperands) {
        rc = cli_usage_error(&new_cmd, "takes no operand ('%s'): give the title with --title", p.operands[0]);
        goto out;
    }
    if (!c.title) {
        rc = cli_usage_error(&new_cmd, "a case needs --title");
        goto out;
    }
    if (p.nplaybooks && !bundle) {
        rc = cli_usage_error(&new_cmd, "-p is for the triage of --bundle");
        goto out;
    }
    const char *who;
    if ((rc = open_acting("case new", &s, &actor, &who)) != CLI_OK)
        goto out;
    cli_triage_use_kb(s);
    char abs[PATH_MAX], fp[65];
    if (bundle && (rc = triage_bundle(bundle, &p, &lib, &to, &t, &rows, &json, abs, fp)) != CLI_OK)
        goto out;
    if (bundle) {
        c.bundle_path = abs;
        c.bundle_fingerprint = fp;
        c.triage_json = json;
        c.triage = &rows;
    }
    char caseid[CB_CASE_ID_SIZE];
    if (cb_case_create(s, &c, who, caseid, &err) != CB_OK ||
        cb_case_similar_find(s, caseid, SIMILAR_SHOWN, &sim, &err) != CB_OK) {
        rc = fail("case new", &err);
        goto out;
    }
    printf("%s\n\n", caseid);
    if (bundle)
        cli_triage_text(bundle, &lib, t, &to.scan, false);
    print_similar(&sim);
    rc = cli_finish_output(CLI_OK);
out:
    cli_triage_use_kb(NULL);
    cb_case_similars_release(&sim);
    cb_person_release(&actor);
    cb_store_close(s);
    free(json);
    cb_case_triage_release(&rows);
    cb_triage_free(t);
    cb_scan_opts_release(&to.scan);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* case show                                                           */
/* ------------------------------------------------------------------ */

static const cli_opt show_opts[] = {
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "md (default) or json"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd show_cmd = {
    .name = "case show",
    .synopsis = "ID [--format md|json]",
    .summary = "everything a case holds",
    .description = "md: the case's fields, environment, what its triage fired, one line per walk, notes, links,\n"
                   "escalations and resolution.  json: all of it, with the stored triage summary and each walk's\n"
                   "whole transcript.  Exit status: 0, or 2 for an unknown case or a usage error.",
    .opts = show_opts,
};

static void md_field(cb_buf *o, const char *name, const char *value)
{
    if (!value)
        return;
    cb_buf_printf(o, "- %s: ", name);
    cli_md_cell(o, value);
    cb_buf_putc(o, '\n');
}

static void md_section(cb_buf *o, const char *title, const char *text)
{
    if (!text)
        return;
    cb_buf_printf(o, "\n## %s\n\n", title);
    cli_md_text(o, text);
    cb_buf_putc(o, '\n');
}

static void show_md(const cb_case *c)
{
    cb_buf o;
    cb_buf_init(&o, CB_BUF_UNLIMITED);
    cb_buf_printf(&o, "# %s: ", c->e.id);
    cli_md_cell(&o, c->e.title);
    cb_buf_puts(&o, "\n\n");
    md_field(&o, "Status", cb_case_status_name(c->e.status));
    if (c->e.severity)
        cb_buf_printf(&o, "- Severity: %d\n", c->e.severity);
    md_field(&o, "Customer", c->e.customer);
    md_field(&o, "Product", c->e.product);
    md_field(&o, "Version", c->e.version);
    md_field(&o, "Engineer", c->e.engineer);
    md_field(&o, "Opened", c->e.opened);
    md_field(&o, "Closed", c->e.closed);
    if (c->bundle_path) {
        cb_buf_puts(&o, "- Bundle: ");
        cli_md_code(&o, c->bundle_path);
        cb_buf_puts(&o, "\n");
        md_field(&o, "Fingerprint", c->bundle_fingerprint);
    }
    md_section(&o, "Environment", c->environment);
    if (c->triage.nfired || c->triage_json) {
        cb_buf_puts(&o, "\n## Triage\n\n");
        if (!c->triage.nfired)
            cb_buf_puts(&o, "No known issue found.\n");
        for (size_t i = 0; i < c->triage.nfired; i++) {
            const cb_case_fired *f = &c->triage.fired[i];
            cb_buf_printf(&o, "%u. ", f->rank);
            cli_md_code(&o, f->playbook);
            if (f->node) {
                cb_buf_puts(&o, ": stopped at ");
                cli_md_code(&o, f->node);
            }
            if (f->article) {
                cb_buf_puts(&o, ", article ");
                cli_md_cell(&o, f->article);
            }
            cb_buf_puts(&o, "\n");
            for (size_t k = 0; k < c->triage.nsigs; k++) {
                const cb_case_sighit *h = &c->triage.sigs[k];
                if (strcmp(h->playbook, f->playbook) != 0)
                    continue;
                cb_buf_puts(&o, "   - ");
                cli_md_code(&o, h->signature);
                cb_buf_printf(&o, ": %llu line%s\n", (unsigned long long)h->hits, h->hits == 1 ? "" : "s");
            }
        }
    }
    if (c->nwalks)
        cb_buf_puts(&o, "\n## Walks\n\n");
    for (size_t i = 0; i < c->nwalks; i++) {
        const cb_case_walk *w = &c->walks[i];
        cb_buf_printf(&o, "%u. ", w->n);
        cli_md_code(&o, w->playbook);
        cb_buf_puts(&o, " (");
        cli_md_cell(&o, w->mode);
        cb_buf_puts(&o, "): ");
        cli_md_cell(&o, w->status);
        if (w->node) {
            cb_buf_puts(&o, " at ");
            cli_md_code(&o, w->node);
        }
        if (w->article) {
            cb_buf_puts(&o, ", article ");
            cli_md_cell(&o, w->article);
        }
        cb_buf_printf(&o, "; %u hint%s, %u coach question%s, %u reveal%s; ", w->hints_used,
                      w->hints_used == 1 ? "" : "s", w->coach_questions, w->coach_questions == 1 ? "" : "s",
                      w->reveals, w->reveals == 1 ? "" : "s");
        if (w->who) {
            cli_md_cell(&o, w->who);
            cb_buf_puts(&o, ", ");
        }
        cli_md_cell(&o, w->at);
        cb_buf_putc(&o, '\n');
    }
    if (c->nnotes)
        cb_buf_puts(&o, "\n## Notes\n");
    for (size_t i = 0; i < c->nnotes; i++) {
        const cb_case_note *n = &c->notes[i];
        cb_buf_printf(&o, "\n%u. ", n->n);
        cli_md_cell(&o, n->at);
        if (n->author) {
            cb_buf_puts(&o, ", ");
            cli_md_cell(&o, n->author);
        }
        cb_buf_puts(&o, ":\n\n");
        cli_md_text(&o, n->body);
        cb_buf_putc(&o, '\n');
    }
    if (c->nlinks)
        cb_buf_puts(&o, "\n## Articles\n\n");
    for (size_t i = 0; i < c->nlinks; i++) {
        const cb_case_article_link *l = &c->links[i];
        cb_buf_puts(&o, "- ");
        cli_md_cell(&o, l->article);
        cb_buf_printf(&o, " (%s), ", cb_link_type_name(l->type));
        if (l->who) {
            cli_md_cell(&o, l->who);
            cb_buf_puts(&o, ", ");
        }
        cli_md_cell(&o, l->at);
        cb_buf_putc(&o, '\n');
    }
    if (c->nescalations)
        cb_buf_puts(&o, "\n## Escalations\n\n");
    for (size_t i = 0; i < c->nescalations; i++) {
        const cb_case_escalation *x = &c->escalations[i];
        cb_buf_printf(&o, "%u. ", x->n);
        cli_md_cell(&o, x->from ? x->from : "(nobody)");
        cb_buf_puts(&o, " to ");
        cli_md_cell(&o, x->to);
        cb_buf_puts(&o, ", ");
        cli_md_cell(&o, x->at);
        if (x->playbook || x->pattern) {
            cb_buf_puts(&o, ", pattern ");
            cli_md_code(&o, x->playbook ? x->playbook : "");
            if (x->pattern) {
                cb_buf_puts(&o, "/");
                cli_md_code(&o, x->pattern);
            }
        }
        cb_buf_puts(&o, ": ");
        cli_md_cell(&o, x->why);
        if (x->resolved) {
            cb_buf_puts(&o, " (resolved ");
            cli_md_cell(&o, x->resolved);
            if (x->resolved_by) {
                cb_buf_puts(&o, " by ");
                cli_md_cell(&o, x->resolved_by);
            }
            cb_buf_puts(&o, ")");
        }
        cb_buf_putc(&o, '\n');
    }
    md_section(&o, "Resolution", c->resolution);
    fwrite(o.data ? o.data : "", 1, o.len, stdout);
    cb_buf_release(&o);
}

static json_t *show_json(const cb_case *c)
{
    json_t *root = entry_json(&c->e);
    json_t *fired = json_array(), *notes = json_array(), *walks = json_array(), *links = json_array(),
           *esc = json_array();
    if (!root || !fired || !notes || !walks || !links || !esc) {
        json_decref(root);
        json_decref(fired);
        json_decref(notes);
        json_decref(walks);
        json_decref(links);
        json_decref(esc);
        return NULL;
    }
    for (size_t i = 0; i < c->triage.nfired; i++) {
        const cb_case_fired *f = &c->triage.fired[i];
        json_t *sigs = json_array();
        for (size_t k = 0; k < c->triage.nsigs; k++)
            if (strcmp(c->triage.sigs[k].playbook, f->playbook) == 0)
                json_array_append_new(sigs, json_pack("{s:o, s:I}", "signature", jstr(c->triage.sigs[k].signature),
                                                      "hits", (json_int_t)c->triage.sigs[k].hits));
        json_array_append_new(fired, json_pack("{s:o, s:i, s:o, s:o, s:o}", "playbook", jstr(f->playbook), "rank",
                                               (int)f->rank, "node", jstr(f->node), "article", jstr(f->article),
                                               "signatures", sigs));
    }
    for (size_t i = 0; i < c->nnotes; i++)
        json_array_append_new(notes, json_pack("{s:i, s:o, s:o, s:o}", "n", (int)c->notes[i].n, "author",
                                               jstr(c->notes[i].author), "at", jstr(c->notes[i].at), "body",
                                               jstr(c->notes[i].body)));
    for (size_t i = 0; i < c->nwalks; i++) {
        const cb_case_walk *w = &c->walks[i];
        json_array_append_new(
            walks, json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:i, s:o, s:o, s:o}", "n", (int)w->n,
                             "playbook", jstr(w->playbook), "mode", jstr(w->mode), "status", jstr(w->status), "node",
                             jstr(w->node), "article", jstr(w->article), "hints_used", (int)w->hints_used,
                             "coach_questions", (int)w->coach_questions, "reveals", (int)w->reveals, "who",
                             jstr(w->who), "at", jstr(w->at), "transcript", jraw(w->transcript)));
    }
    for (size_t i = 0; i < c->nlinks; i++)
        json_array_append_new(links, json_pack("{s:o, s:s, s:o, s:o}", "article", jstr(c->links[i].article), "type",
                                               cb_link_type_name(c->links[i].type), "who", jstr(c->links[i].who),
                                               "at", jstr(c->links[i].at)));
    for (size_t i = 0; i < c->nescalations; i++) {
        const cb_case_escalation *x = &c->escalations[i];
        json_array_append_new(esc, json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n", (int)x->n, "from",
                                             jstr(x->from), "to", jstr(x->to), "why", jstr(x->why), "playbook",
                                             jstr(x->playbook), "pattern", jstr(x->pattern), "at", jstr(x->at),
                                             "resolved_by", jstr(x->resolved_by), "resolved", jstr(x->resolved)));
    }
    json_object_set_new(root, "environment", jstr(c->environment));
    json_object_set_new(root, "bundle",
                        c->bundle_path ? json_pack("{s:o, s:o}", "path", jstr(c->bundle_path), "fingerprint",
                                                   jstr(c->bundle_fingerprint))
                                       : json_null());
    json_object_set_new(root, "fired", fired);
    json_object_set_new(root, "triage", jraw(c->triage_json));
    json_object_set_new(root, "notes", notes);
    json_object_set_new(root, "walks", walks);
    json_object_set_new(root, "links", links);
    json_object_set_new(root, "escalations", esc);
    json_object_set_new(root, "resolution", jstr(c->resolution));
    return root;
}

static int case_show(int argc, char **argv)
{
    cli_parser p;
    const char *arg;
    int id, rc = CLI_USAGE;
    cli_format fmt = FMT_MD;
    cb_store *s = NULL;
    cb_case c = {0};
    cb_error err;
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, &show_cmd, &arg)) != 0) {
        if (id == CLI_STOP) {
            rc = p.stop;
            goto out;
        }
        if (id == OPT_FORMAT && !(fmt = cli_parse_format(arg, FMT_MD | FMT_JSON))) {
            rc = cli_usage_error(&show_cmd, "unknown format '%s' (md or json)", arg);
            goto out;
        }
    }
    if (p.noperands != 1) {
        rc = cli_usage_error(&show_cmd, "takes one case ID");
        goto out;
    }
    if ((rc = cli_open_store("case show", &s)) != CLI_OK)
        goto out;
    if (cb_case_get(s, p.operands[0], &c, &err) != CB_OK) {
        rc = fail("case show", &err);
        goto out;
    }
    if (fmt == FMT_JSON) {
        rc = dump_json("case show", show_json(&c));
    } else {
        show_md(&c);
        rc = cli_finish_output(CLI_OK);
    }
out:
    cb_case_release(&c);
    cb_store_close(s);
    cli_parser_release(&p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* case list                                                           */
/* ------------------------------------------------------------------ */

static const cli_opt list_opts[] = {
    {OPT_OPEN, 0, "open", ARG_NONE, NULL, "only cases open or waiting"},
    {OPT_ENGINEER, 0, "engineer", ARG_STRING, "H", "only the cases of engineer H"},
    {OPT_CUSTOMER, 0, "customer", ARG_STRING, "C", "only the cases of customer C"},
    {OPT_SINCE, 0, "since", ARG_STRING, "T", "only cases opened at or after T (ISO 8601 such as 2026-12-01, or 2h, 7d back from now)"},
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "text (default) or json"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd list_cmd = {
    .name = "case list",
    .synopsis = "[--open] [--engineer H] [--customer C] [--since T] [--format text|json]",
    .summary = "the cases, newest first",
    .description = "Times are UTC.  Exit status: 0 (also when no case matches), or 2 for a usage error.",
    .opts = list_opts,
};

static void list_text(const cb_case_listing *l)
{
    if (!l->n) {
        printf("no cases\n");
        return;
    }
    /* The day opened (the time is in show and JSON), so that the title keeps room on an 80-column terminal. */
    printf("%-10s %-8s %-3s %-10s %-10s %-14s %s\n", "ID", "STATUS", "SEV", "OPENED", "ENGINEER", "CUSTOMER", "TITLE");
    for (size_t i = 0; i < l->n; i++) {
        const cb_case_entry *e = &l->v[i];
        char sev[8] = "-";
        if (e->severity)
            snprintf(sev, sizeof sev, "%d", e->severity);
        printf("%-10s %-8s %-3s %-10.10s %-10s ", e->id, cb_case_status_name(e->status), sev, e->opened,
               e->engineer ? e->engineer : "-");
        /* The customer is free text: printed safely, padded by its display width. */
        const char *cu = e->customer ? e->customer : "-";
        put(cu);
        size_t w = cb_utf8_columns(cu, strlen(cu));
        printf("%*s ", w < 14 ? (int)(14 - w) : 0, "");
        put(e->title);
        putchar('\n');
    }
}

/*
 * --since as the other commands take it (cb_time_arg_parse: an ISO 8601 time
 * or date, or a duration such as 2h or 7d back from now), into out as the
 * store's "YYYY-MM-DDTHH:MM:SSZ".  False with the reason in out.
 */
static bool since_arg(const char *arg, char *out, size_t size)
{
    cb_time_arg t;
    cb_error err;
    int64_t ms;
    if (cb_time_arg_parse(arg, &t, &err) != CB_OK) {
        snprintf(out, size,
                 "'%s' is not an ISO 8601 time (2026-12-01, 2026-12-01T09:30Z; UTC without a zone) or a duration "
                 "back from now (30m, 2h, 7d, 1w)",
                 arg);
        return false;
    }
    if (cb_time_arg_resolve(&t, (int64_t)time(NULL) * 1000, &ms, &err) != CB_OK) {
        snprintf(out, size, "%s", err.msg);
        return false;
    }
    time_t sec = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    if (!gmtime_r(&sec, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        snprintf(out, size, "'%s' is out of range", arg);
        return false;
    }
    return true;
}

static int case_list(int argc, char **argv)
{
    cli_parser p;
    const char *arg;
    int id, rc = CLI_USAGE;
    cli_format fmt = FMT_TEXT;
    cb_case_filter f = {0};
    char since[600]; /* the time, or why it is refused */
    cb_store *s = NULL;
    cb_case_listing l = {0};
    cb_error err;
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, &list_cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_OPEN:
            f.open_only = true;
            break;
        case OPT_ENGINEER:
            f.engineer = arg;
            break;
        case OPT_CUSTOMER:
            f.customer = arg;
            break;
        case OPT_SINCE:
            if (!since_arg(arg, since, sizeof since)) {
                rc = cli_usage_error(&list_cmd, "--since: %s", since);
                goto out;
            }
            f.since = since;
            break;
        case OPT_FORMAT:
            if (!(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON))) {
                rc = cli_usage_error(&list_cmd, "unknown format '%s' (text or json)", arg);
                goto out;
            }
            break;
        }
    }
    if (p.noperands) {
        rc = cli_usage_error(&list_cmd, "takes no operand");
        goto out;
    }
    if ((rc = cli_open_store("case list", &s)) != CLI_OK)
        goto out;
    if (cb_case_list(s, &f, &l, &err) != CB_OK) {
        rc = fail("case list", &err);
        goto out;
    }
    if (fmt == FMT_JSON) {
        json_t *root = json_object(), *a = json_array();
        for (size_t i = 0; a && i < l.n; i++)
            json_array_append_new(a, entry_json(&l.v[i]));
        if (root && a && json_object_set_new(root, "cases", a) == 0) {
            rc = dump_json("case list", root);
        } else {
            json_decref(root);
            rc = dump_json("case list", NULL);
        }
    } else {
        cli_fit fit; /* on a terminal, rows longer than it are cut with …, as kb list does */
        cli_fit_begin(&fit);
        list_text(&l);
        cli_fit_end(&fit);
        rc = cli_finish_output(CLI_OK);
    }
out:
    cb_case_listing_release(&l);
    cb_store_close(s);
    cli_parser_release(&p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* case note, link, escalate, close                                    */
/* ------------------------------------------------------------------ */

/* The options of the writing actions (each declares only its own), and the case ID and other operands. */
typedef struct write_args {
    char **ops;
    int nops;
    bool typed;
    cb_link_type type;
    const char *to, *why, *playbook, *pattern, *resolution, *link;
} write_args;

/*
 * Parse a writing action's options into *a: CLI_OK with a filled, or the
 * exit status to end with (after --help or a usage error printed).  The
 * parser p is initialised here; release it whatever is returned.
 */
static int parse_write(const cli_cmd *cmd, int argc, char **argv, cli_parser *p, write_args *a)
{
    const char *arg;
    int id;
    memset(a, 0, sizeof *a);
    a->type = CB_LINK_REUSED;
    cli_parser_init(p, argc, argv);
    while ((id = cli_getopt(p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            return p->stop == CLI_OK ? CLI_STOP : p->stop;
        case OPT_TYPE:
            if (!(a->typed = cb_link_type_from_name(arg, &a->type)))
                return cli_usage_error(cmd, "unknown link type '%s' (reused, created or modified)", arg);
            break;
        case OPT_TO:
            a->to = arg;
            break;
        case OPT_WHY:
            a->why = arg;
            break;
        case OPT_PLAYBOOK:
            a->playbook = arg;
            break;
        case OPT_PATTERN:
            a->pattern = arg;
            break;
        case OPT_RESOLUTION:
            a->resolution = arg;
            break;
        case OPT_LINK:
            a->link = arg;
            break;
        }
    }
    a->ops = p->operands;
    a->nops = p->noperands;
    return CLI_OK;
}

/* One write: fn(store, who, args, err) prints what it did; CB_OK or a status with err set. */
typedef cb_status (*write_fn)(cb_store *s, const char *who, const write_args *a, cb_error *err);

/* Open the store as the acting person, run fn, report; the exit status. */
static int run_write(const char *what, const write_args *a, write_fn fn)
{
    cb_store *s = NULL;
    cb_person actor;
    const char *who;
    cb_error err;
    int rc = open_acting(what, &s, &actor, &who);
    if (rc == CLI_OK)
        rc = fn(s, who, a, &err) == CB_OK ? cli_finish_output(CLI_OK) : fail(what, &err);
    cb_person_release(&actor);
    cb_store_close(s);
    return rc;
}

/* Parse, check the operand count (nops) and the action's own rules (check: NULL or a usage message), write. */
static int write_action(const cli_cmd *cmd, int argc, char **argv, int nops, const char *ops_usage,
                        const char *(*check)(const write_args *a), write_fn fn)
{
    cli_parser p;
    write_args a;
    int rc = parse_write(cmd, argc, argv, &p, &a);
    const char *why = NULL;
    if (rc == CLI_STOP)
        rc = CLI_OK; /* --help printed */
    else if (rc == CLI_OK && a.nops != nops)
        rc = cli_usage_error(cmd, "%s", ops_usage);
    else if (rc == CLI_OK && check && (why = check(&a)) != NULL)
        rc = cli_usage_error(cmd, "%s", why);
    else if (rc == CLI_OK)
        rc = run_write(cmd->name, &a, fn);
    cli_parser_release(&p);
    return rc;
}

static const cli_opt help_only[] = {
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd note_cmd = {
    .name = "case note",
    .synopsis = "ID TEXT",
    .summary = "add a timestamped note, authored by the acting person",
    .description = "TEXT may span lines (at most 64 KiB).  Exit status: 0, or 2 for an error.",
    .opts = help_only,
};

static cb_status do_note(cb_store *s, const char *who, const write_args *a, cb_error *err)
{
    unsigned n = 0;
    cb_status st = cb_case_note_add(s, a->ops[0], a->ops[1], who, &n, err);
    if (st == CB_OK)
        printf("note %u added to %s\n", n, a->ops[0]);
    return st;
}

static int case_note(int argc, char **argv)
{
    return write_action(&note_cmd, argc, argv, 2, "takes a case ID and the TEXT", NULL, do_note);
}

static const cli_opt link_opts[] = {
    {OPT_TYPE, 0, "type", ARG_STRING, "T", "reused, created or modified (required)"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd link_cmd = {
    .name = "case link",
    .synopsis = "ID ARTICLE --type reused|created|modified",
    .summary = "link a knowledge-base article to the case (KCS)",
    .description = "reused: the article solved the case; created: the case created it; modified: the case improved\n"
                   "it.  The article must exist and not be archived.  The same link twice changes nothing.  The\n"
                   "article's reuse count and last link follow (casebook kb show).  Exit status: 0, or 2.",
    .opts = link_opts,
};

/* "KB-NET-0001 is now linked to N cases": what the link did to the article's reuse. */
static void print_reuse(cb_store *s, const char *article)
{
    cb_article *a = NULL;
    cb_kb_derived d;
    cb_error err;
    if (cb_kb_get(s, article, &a, &d, &err) == CB_OK)
        printf("%s is now linked to %u case%s\n", article, d.reuse, d.reuse == 1 ? "" : "s");
    cb_article_free(a);
}

static const char *check_link(const write_args *a)
{
    return a->typed ? NULL : "give the link's --type: reused, created or modified";
}

static cb_status do_link(cb_store *s, const char *who, const write_args *a, cb_error *err)
{
    cb_status st = cb_case_link(s, a->ops[0], a->ops[1], a->type, who, err);
    if (st == CB_OK) {
        printf("linked %s to %s (%s)\n", a->ops[1], a->ops[0], cb_link_type_name(a->type));
        print_reuse(s, a->ops[1]);
    }
    return st;
}

static int case_link(int argc, char **argv)
{
    return write_action(&link_cmd, argc, argv, 2, "takes a case ID and an ARTICLE", check_link, do_link);
}

static const cli_opt escalate_opts[] = {
    {OPT_TO, 0, "to", ARG_STRING, "HANDLE", "the person escalated to (required)"},
    {OPT_WHY, 0, "why", ARG_STRING, "TEXT", "why (required)"},
    {OPT_PLAYBOOK, 0, "playbook", ARG_STRING, "P", "the playbook (pattern) the case is stuck on"},
    {OPT_PATTERN, 0, "pattern", ARG_STRING, "SIG", "the signature of that playbook"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd escalate_cmd = {
    .name = "case escalate",
    .synopsis = "ID --to HANDLE --why TEXT [--playbook P [--pattern SIG]]",
    .summary = "escalate the case to another person",
    .description = "The escalation stays open until the case is closed (the closer resolves it).  A closed case\n"
                   "is not escalated.  Exit status: 0, or 2.",
    .opts = escalate_opts,
};

static const char *check_escalate(const write_args *a)
{
    if (!a->to || !a->why)
        return "an escalation needs --to HANDLE and --why TEXT";
    return a->pattern && !a->playbook ? "--pattern names a signature of the --playbook" : NULL;
}

static cb_status do_escalate(cb_store *s, const char *who, const write_args *a, cb_error *err)
{
    unsigned n = 0;
    cb_status st = cb_case_escalate(s, a->ops[0], a->to, a->why, a->playbook, a->pattern, who, &n, err);
    if (st == CB_OK)
        printf("escalation %u of %s: to %s\n", n, a->ops[0], a->to);
    return st;
}

static int case_escalate(int argc, char **argv)
{
    return write_action(&escalate_cmd, argc, argv, 1, "takes one case ID", check_escalate, do_escalate);
}

static const cli_opt close_opts[] = {
    {OPT_RESOLUTION, 0, "resolution", ARG_STRING, "TEXT", "what solved it (required)"},
    {OPT_LINK, 0, "link", ARG_STRING, "ARTICLE", "link this article in the same step"},
    {OPT_TYPE, 0, "type", ARG_STRING, "T", "the link's type: reused (default), created or modified"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd close_cmd = {
    .name = "case close",
    .synopsis = "ID --resolution TEXT [--link ARTICLE [--type reused|created|modified]]",
    .summary = "close the case as resolved",
    .description = "Stores the resolution, marks the case resolved and its open escalations resolved by the\n"
                   "acting person.  With --link the article is linked in the same transaction: if the link is\n"
                   "refused (no such article, an archived one) the case stays open.  Without --link, when the\n"
                   "case's newest concluded walk ended on a node with an article, a terminal is asked\n"
                   "\"Link KB-...? [Y/n]\"; off a terminal a hint says it was not linked and how.\n"
                   "Exit status: 0, or 2.",
    .opts = close_opts,
};

static const char *check_close(const write_args *a)
{
    if (!a->resolution)
        return "closing needs --resolution TEXT";
    return a->typed && !a->link ? "--type is the type of the --link" : NULL;
}

static cb_status do_close(cb_store *s, const char *who, const write_args *a, cb_error *err)
{
    /* Without --link: the article a walk concluded on is offered (a terminal), else named in a hint. */
    char offered[CB_CASE_FIELD_MAX + 1] = "";
    const char *link = a->link ? a->link : cli_case_offer_link(s, a->ops[0], offered, sizeof offered) ? offered : NULL;
    cb_status st = cb_case_close(s, a->ops[0], a->resolution, link, a->type, who, err);
    if (st == CB_OK) {
        printf("closed %s (resolved)\n", a->ops[0]);
        if (link) {
            printf("linked %s (%s)\n", link, cb_link_type_name(a->type));
            print_reuse(s, link);
        } else {
            cli_case_link_hint(a->ops[0], offered);
        }
    }
    return st;
}

static int case_close(int argc, char **argv)
{
    return write_action(&close_cmd, argc, argv, 1, "takes one case ID", check_close, do_close);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

typedef struct case_action {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the action's name */
} case_action;

/* One line per action; `case walk` is cli_case_walk (cli.h), with the same calling convention. */
static const case_action actions[] = {
    {"new", case_new},
    {"show", case_show},
    {"list", case_list},
    {"note", case_note},
    {"link", case_link},
    {"escalate", case_escalate},
    {"close", case_close},
    {"walk", cli_case_walk},
};

static const cli_opt case_opts[] = {
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_case = {
    .name = "case",
    .run = cmd_case,
    .summary = "support cases: new, show, list, note, link, escalate, close, walk",
    .synopsis = "new|show|list|note|link|escalate|close|walk ... (casebook case ACTION --help for each)",
    .description =
        "A case ties a customer's bundle (its triage, never the logs), notes, walks, knowledge-base links\n"
        "and escalations to a resolution.  The database is the global --db PATH (else $CASEBOOK_DB, else\n"
        "the default); writes are made by the global --as HANDLE (else $CASEBOOK_USER), which must name a\n"
        "person once the database has people.\n"
        "  new --title T [--customer C] [--product P] [--version V] [--severity 1-4] [--env TEXT]\n"
        "      [--bundle B [-p PATH]...]          open a case (prints its id first), triage B, show similar cases\n"
        "  show ID [--format md|json]             everything the case holds\n"
        "  list [--open] [--engineer H] [--customer C] [--since T] [--format text|json]\n"
        "  note ID TEXT                           add a note\n"
        "  link ID ARTICLE --type reused|created|modified\n"
        "  escalate ID --to HANDLE --why TEXT [--playbook P [--pattern SIG]]\n"
        "  close ID --resolution TEXT [--link ARTICLE [--type T]]\n"
        "  walk ID PLAYBOOK [--coach] [--answers FILE] [--resume]   walk a playbook, kept in the case\n"
        "Exit status: 0, or 2 for a usage or input error (an unknown case, person or article included).",
    .opts = case_opts,
};

int cmd_case(const cli_cmd *cmd, int argc, char **argv)
{
    char names[128] = ""; /* the actions, from the table, for the messages */
    for (size_t i = 0, n = 0; i < sizeof actions / sizeof actions[0]; i++)
        n += (size_t)snprintf(names + n, n < sizeof names ? sizeof names - n : 0, "%s%s", i ? ", " : "",
                              actions[i].name);
    if (argc < 2)
        return cli_usage_error(cmd, "give an action: %s", names);
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        cli_usage(cmd, stdout);
        return cli_finish_output(CLI_OK);
    }
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(actions[i].name, name) == 0)
            return actions[i].run(argc - 1, argv + 1);
    return cli_usage_error(cmd, "unknown action '%s' (%s)", name, names);
}
