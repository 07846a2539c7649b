/*
 * cmd_kb.c — `casebook kb ACTION`: the knowledge base's articles (kb.h) in
 * the store chosen by --db.  The actions are a table (which operands and
 * options each takes); import, export, search, show and list are here, the
 * actions that change articles in cmd_kb_write.c.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/kb.h"
#include "cli/cli.h"
#include "cli/kb_write.h"

enum {
    OPT_ALL = CLI_OPT_OWN,
    OPT_LIMIT,
    OPT_FORMAT,
    OPT_STATE,
    OPT_TAG,
    OPT_PRODUCT,
    OPT_STALE,
    OPT_FORCE,
    OPT_WHY,
    OPT_RESOLVE,
    OPT_DOMAIN,
    OPT_SORT,
};

static const cli_opt kb_opts[] = {
    {OPT_ALL, 'a', "all", ARG_NONE, NULL, "search/list: archived articles too"},
    {OPT_LIMIT, 'n', "limit", ARG_STRING, "N", "search: at most N hits (1 to 100000; 10)"},
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT",
     "search/list/history: text (default) or json; show: md (default) or json"},
    {OPT_STATE, 0, "state", ARG_STRING, "S", "list: only articles in state S (wip, not-validated, validated, archived)"},
    {OPT_TAG, 0, "tag", ARG_STRING, "T", "list: only articles tagged T"},
    {OPT_PRODUCT, 0, "product", ARG_STRING, "P", "list: only articles of product P"},
    {OPT_STALE, 0, "stale", ARG_STRING, "DAYS", "list: only articles not reviewed in the last DAYS days"},
    {OPT_SORT, 0, "sort", ARG_STRING, "KEY", "list: id (default) or reuse (most linked first)"},
    {OPT_FORCE, 0, "force", ARG_NONE, NULL,
     "add: create even when similar articles exist; state: archive even when open cases link to it"},
    {OPT_WHY, 0, "why", ARG_STRING, "TEXT", "state: why the state changes (required); edit: why, for the history"},
    {OPT_RESOLVE, 0, "resolve", ARG_STRING, "N", "flag: resolve flag N instead of adding one"},
    {OPT_DOMAIN, 0, "domain", ARG_STRING, "D", "add: the id domain the template proposes a free id in (GEN)"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_kb = {
    .name = "kb",
    .run = cmd_kb,
    .summary = "articles: search, show, list, add, edit, state, flag, history, import, export",
    .synopsis = "import DIR | export DIR | search QUERY... [--all] [--limit N] [--format text|json] | show ID "
                "[--format md|json] | list [--state S] [--tag T] [--product P] [--stale DAYS] [--all] "
                "[--sort id|reuse] [--format text|json] | add [FILE.md] [--domain D] [--force] | edit ID [--why TEXT] | "
                "state ID NEW --why TEXT [--force] | flag ID TEXT... | flag ID --resolve N | history ID "
                "[--format text|json]",
    .description =
        "Articles live in the database the global --db PATH names (else $CASEBOOK_DB, else the default).\n"
        "import reads every *.md file of DIR; any problem (printed as file:line:col: message) means\n"
        "nothing at all is written.  The import is recorded as done by the global --as HANDLE (none on\n"
        "a database without people).  export writes every article as DIR/<ID>.md in canonical form.\n"
        "search takes words, \"phrases\" and prefix* terms (all must match), or a pasted log line (read\n"
        "as any of its constant words, ranked).  show prints an article with what the store knows of it\n"
        "(reuse, last link, open flags, revisions).  list prints a table of the articles\n"
        "with their reuse (cases linked).\n"
        "add creates an article from FILE.md, or from a template in $EDITOR (else $VISUAL, else vi) with\n"
        "the next free id of --domain; it first searches for similar articles and refuses when it finds\n"
        "some (on a terminal it asks), unless --force.  edit opens the article's file form in $EDITOR and\n"
        "saves it unless someone saved the article meanwhile (the text is then kept in a file).  state\n"
        "moves an article to NEW (wip, not-validated, validated, archived) under the KCS rules.  flag\n"
        "adds a \"fix it\" flag, or resolves one.  history lists the revisions and flags.  Changes are\n"
        "made as the global --as HANDLE (else $CASEBOOK_USER); a refused change names its rule.\n"
        "Exit status: 0; 1 when search found nothing, a rule refused a change, someone saved meanwhile,\n"
        "add found similar articles or the edit was abandoned; 2 for a usage or input error.",
    .opts = kb_opts,
};

typedef struct kb_args {
    bool all, force;
    size_t limit;
    cli_format fmt;
    cb_kb_filter filter;
    const char *why, *domain;
    unsigned resolve;
} kb_args;

static json_t *jstr(const char *s)
{
    return s ? cli_json_text(s, strlen(s)) : json_null();
}

static json_t *jlist(const cb_kb_strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++)
        json_array_append_new(a, jstr(l->v[i]));
    return a;
}

static int print_json(json_t *root)
{
    if (!root) {
        cli_error("kb: out of memory");
        return CLI_USAGE;
    }
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_USAGE : CLI_OK;
    putchar('\n');
    json_decref(root);
    return rc;
}

/* Print s safely, padded with spaces to `width` bytes. */
static void put_cell(const char *s, int width)
{
    s = s ? s : "-";
    cli_put_safe(s, strlen(s));
    printf("%*s ", (int)strlen(s) < width ? width - (int)strlen(s) : 0, "");
}

static int do_import(cb_store *s, const char *dir)
{
    cb_person actor;
    bool fresh;
    int rc = cli_actor("kb import", s, &actor, &fresh);
    if (rc != CLI_OK) {
        cb_person_release(&actor);
        return rc;
    }
    cb_diags d;
    cb_diags_init(&d);
    cb_error err;
    size_t n = 0;
    cb_status st = cb_kb_import(s, dir, fresh ? NULL : actor.handle, &d, &n, &err);
    if (st == CB_EPARSE) {
        cb_diags_sort(&d);
        cli_print_diags(&d, stderr, "");
        cli_error("kb import: %zu problem%s; nothing imported", d.n, d.n == 1 ? "" : "s");
        rc = CLI_USAGE;
    } else if (st != CB_OK) {
        cli_error("kb import: %s", err.msg);
        rc = CLI_USAGE;
    } else {
        printf("imported %zu article%s\n", n, n == 1 ? "" : "s");
        rc = cli_finish_output(CLI_OK);
    }
    cb_diags_release(&d);
    cb_person_release(&actor);
    return rc;
}

static int do_export(cb_store *s, const char *dir)
{
    cb_error err;
    size_t n = 0;
    if (cb_kb_export(s, dir, &n, &err) != CB_OK) {
        cli_error("kb export: %s (%zu written)", err.msg, n);
        return CLI_USAGE;
    }
    printf("exported %zu article%s\n", n, n == 1 ? "" : "s");
    return cli_finish_output(CLI_OK);
}

static int do_search(cb_store *s, const char *query, const kb_args *a)
{
    cb_kb_hits h;
    cb_error err;
    int rc = CLI_OK;
    if (cb_kb_search(s, query, a->all, a->limit, &h, &err) != CB_OK) {
        cli_error("kb search: %s", err.msg);
        cb_kb_hits_release(&h);
        return CLI_USAGE;
    }
    json_t *arr = a->fmt == FMT_JSON ? json_array() : NULL;
    if (h.from_log) {
        if (a->fmt == FMT_JSON)
            fputs("casebook: kb search: the query was read as a log line (any of its words, ranked)\n", stderr);
        else
            puts("(the query was read as a log line: any of its words, ranked)");
    }
    for (size_t i = 0; i < h.n && rc == CLI_OK; i++) {
        cb_article *art = NULL;
        if (cb_kb_get(s, h.hits[i].id, &art, NULL, &err) != CB_OK) {
            cli_error("kb search: %s", err.msg);
            rc = CLI_USAGE;
            break;
        }
        char *snip = h.hits[i].snippet ? h.hits[i].snippet : "";
        for (char *c = snip; *c; c++) /* a snippet spans lines: show it as one */
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        if (arr) {
            json_array_append_new(arr, json_pack("{s:o, s:o, s:f, s:o}", "id", jstr(art->id), "title",
                                                 jstr(art->title), "score", h.hits[i].score, "snippet",
                                                 jstr(snip)));
        } else {
            printf("%2zu. ", i + 1);
            cli_put_safe(art->id, strlen(art->id));
            fputs("  ", stdout);
            cli_put_safe(art->title, strlen(art->title));
            fputs("\n    ", stdout);
            cli_put_safe(snip, strlen(snip));
            putchar('\n');
        }
        cb_article_free(art);
    }
    if (rc == CLI_OK) {
        if (arr)
            rc = print_json(arr), arr = NULL;
        else if (h.n == 0)
            puts("no article found");
        rc = cli_finish_output(rc);
        if (rc == CLI_OK && h.n == 0)
            rc = CLI_FOUND;
    }
    json_decref(arr);
    cb_kb_hits_release(&h);
    return rc;
}

static int do_show(cb_store *s, const char *id, const kb_args *a)
{
    cb_article *art = NULL;
    cb_kb_derived dv;
    cb_error err;
    if (cb_kb_get(s, id, &art, &dv, &err) != CB_OK) {
        cli_error("kb show: %s", err.msg);
        return CLI_USAGE;
    }
    int rc;
    if (a->fmt == FMT_JSON) {
        json_t *sec = json_object();
        for (int i = 0; i < CB_KB__SECTIONS; i++) {
            char key[32];
            size_t k = 0;
            for (const char *p = cb_kb_section_name((cb_kb_section)i); *p && k + 1 < sizeof key; p++)
                key[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            key[k] = '\0';
            json_object_set_new(sec, key, art->section[i] ? cli_json_multiline(art->section[i]) : json_null());
        }
        json_t *root = json_pack(
            "{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:o, s:i, s:i}}", "id",
            jstr(art->id), "title", jstr(art->title), "state", cb_kb_state_name(art->state), "audience",
            cb_kb_audience_name(art->audience), "product", jstr(art->product), "versions", jstr(art->versions),
            "tags", jlist(&art->tags), "owner", jstr(art->owner), "created", jstr(art->created), "updated",
            jstr(art->updated), "reviewed", jstr(art->reviewed), "playbooks", jlist(&art->playbooks), "defect",
            jstr(art->defect), "sections", sec, "derived", "reuse", (int)dv.reuse, "last_linked",
            dv.last_linked[0] ? jstr(dv.last_linked) : json_null(), "open_flags", (int)dv.open_flags, "revisions",
            (int)dv.revisions);
        json_t *flags = NULL;
        rc = cli_kb_show_flags(s, id, &flags);
        if (root && flags)
            json_object_set_new(root, "flags", flags);
        else
            json_decref(flags);
        rc = rc == CLI_OK ? print_json(root) : (json_decref(root), rc);
    } else {
        char *text = cb_article_format(art);
        if (!text) {
            cli_error("kb show: out of memory");
            cb_article_free(art);
            return CLI_USAGE;
        }
        cli_put_multiline(text, "");
        printf("\n---\nreuse: %u case%s; last linked: ", dv.reuse, dv.reuse == 1 ? "" : "s");
        const char *ll = dv.last_linked[0] ? dv.last_linked : "never";
        cli_put_safe(ll, strlen(ll));
        printf("; open flags: %u; revisions: %u\n", dv.open_flags, dv.revisions);
        free(text);
        rc = dv.open_flags ? cli_kb_show_flags(s, id, NULL) : CLI_OK;
    }
    cb_article_free(art);
    return cli_finish_output(rc);
}

static int do_list(cb_store *s, const kb_args *a)
{
    cb_kb_listing l;
    cb_error err;
    if (cb_kb_list(s, &a->filter, &l, &err) != CB_OK) {
        cli_error("kb list: %s", err.msg);
        cb_kb_listing_release(&l);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    if (a->fmt == FMT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l.n; i++) {
            const cb_kb_entry *e = &l.v[i];
            json_array_append_new(
                arr, json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:I, s:o}", "id", jstr(e->id), "state",
                               cb_kb_state_name(e->state), "audience", cb_kb_audience_name(e->audience), "product",
                               jstr(e->product), "title", jstr(e->title), "reviewed", jstr(e->reviewed), "reuse",
                               (json_int_t)e->reuse, "last_linked", jstr(e->last_linked[0] ? e->last_linked : NULL)));
        }
        rc = print_json(arr);
    } else if (l.n == 0) {
        puts("no articles");
    } else {
        int pw = 7; /* the product column fits the longest product */
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i].product && (int)strlen(l.v[i].product) > pw && strlen(l.v[i].product) < 64)
                pw = (int)strlen(l.v[i].product);
        printf("%-13s %-13s %-8s %5s %-*s %s\n", "ID", "STATE", "AUDIENCE", "REUSE", pw, "PRODUCT", "TITLE");
        for (size_t i = 0; i < l.n; i++) {
            const cb_kb_entry *e = &l.v[i];
            put_cell(e->id, 13);
            put_cell(cb_kb_state_name(e->state), 13);
            put_cell(cb_kb_audience_name(e->audience), 8);
            printf("%5u ", e->reuse);
            put_cell(e->product, pw);
            cli_put_safe(e->title, strlen(e->title));
            putchar('\n');
        }
    }
    cb_kb_listing_release(&l);
    return cli_finish_output(rc);
}

#define O(id) (1u << ((id) - CLI_OPT_OWN))

/* An action: its operands after the action's name (max -1: any number), its options and output formats. */
typedef struct kb_action {
    const char *name;
    int min, max;
    const char *operands; /* what the usage error says when their number is wrong */
    unsigned opts;        /* O(OPT_...) */
    unsigned formats;     /* cli_format mask; 0: no --format */
    cli_format dflt;
} kb_action;

static const kb_action kb_actions[] = {
    {"import", 1, 1, "takes one DIR", 0, 0, FMT_TEXT},
    {"export", 1, 1, "takes one DIR", 0, 0, FMT_TEXT},
    {"search", 1, -1, "needs a QUERY", O(OPT_ALL) | O(OPT_LIMIT) | O(OPT_FORMAT), FMT_TEXT | FMT_JSON, FMT_TEXT},
    {"show", 1, 1, "takes one ID", O(OPT_FORMAT), FMT_MD | FMT_JSON, FMT_MD},
    {"list", 0, 0, "takes no operand",
     O(OPT_ALL) | O(OPT_FORMAT) | O(OPT_STATE) | O(OPT_TAG) | O(OPT_PRODUCT) | O(OPT_STALE) | O(OPT_SORT), FMT_TEXT | FMT_JSON,
     FMT_TEXT},
    {"add", 0, 1, "takes at most one FILE", O(OPT_FORCE) | O(OPT_DOMAIN), 0, FMT_TEXT},
    {"edit", 1, 1, "takes one ID", O(OPT_WHY), 0, FMT_TEXT},
    {"state", 2, 2, "takes an ID and a state", O(OPT_WHY) | O(OPT_FORCE), 0, FMT_TEXT},
    {"flag", 1, -1, "needs an ID and a TEXT (or --resolve N)", O(OPT_RESOLVE), 0, FMT_TEXT},
    {"history", 1, 1, "takes one ID", O(OPT_FORMAT), FMT_TEXT | FMT_JSON, FMT_TEXT},
};

#define KB_ACTION_NAMES "import, export, search, show, list, add, edit, state, flag or history"

/* The operands from ops[0] joined by single spaces (a query, a flag's text); NULL when out of memory. */
static char *join(int n, char **ops)
{
    cb_buf q;
    cb_buf_init(&q, CB_BUF_UNLIMITED);
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = (i == 0 || cb_buf_append(&q, " ", 1) == CB_OK) && cb_buf_append(&q, ops[i], strlen(ops[i])) == CB_OK;
    if (!ok || cb_buf_append(&q, "", 1) != CB_OK) {
        cb_buf_release(&q);
        return NULL;
    }
    return cb_buf_detach(&q, NULL);
}

static int run_action(const char *action, int nops, char **ops, const kb_args *a)
{
    cb_store *s = NULL;
    char what[32];
    snprintf(what, sizeof what, "kb %s", action);
    int rc = cli_open_store(what, &s);
    if (rc != CLI_OK)
        return rc;
    cli_fit fit; /* list and search text on a terminal: rows longer than it are cut with …, as ls and list do */
    bool fitted = a->fmt == FMT_TEXT && (strcmp(action, "list") == 0 || strcmp(action, "search") == 0);
    if (fitted)
        cli_fit_begin(&fit);
    char *text = NULL;
    if (strcmp(action, "import") == 0) {
        rc = do_import(s, ops[0]);
    } else if (strcmp(action, "export") == 0) {
        rc = do_export(s, ops[0]);
    } else if (strcmp(action, "show") == 0) {
        rc = do_show(s, ops[0], a);
    } else if (strcmp(action, "list") == 0) {
        rc = do_list(s, a);
    } else if (strcmp(action, "add") == 0) {
        rc = cli_kb_add(s, nops ? ops[0] : NULL, a->domain, a->force);
    } else if (strcmp(action, "edit") == 0) {
        rc = cli_kb_edit(s, ops[0], a->why);
    } else if (strcmp(action, "state") == 0) {
        cb_kb_state to = CB_KB_WIP;
        cb_kb_state_from_name(ops[1], &to); /* checked by cmd_kb */
        rc = cli_kb_state(s, ops[0], to, a->why, a->force);
    } else if (strcmp(action, "history") == 0) {
        rc = cli_kb_history(s, ops[0], a->fmt == FMT_JSON);
    } else if (strcmp(action, "flag") == 0 && a->resolve) {
        rc = cli_kb_flag(s, ops[0], NULL, a->resolve);
    } else if ((text = join(strcmp(action, "flag") == 0 ? nops - 1 : nops, strcmp(action, "flag") == 0 ? ops + 1
                                                                                                        : ops)) == NULL) {
        cli_error("%s: out of memory", what);
        rc = CLI_USAGE;
    } else if (strcmp(action, "flag") == 0) {
        rc = cli_kb_flag(s, ops[0], text, 0);
    } else {
        rc = do_search(s, text, a);
    }
    free(text);
    if (fitted)
        cli_fit_end(&fit);
    cb_store_close(s);
    return rc;
}

int cmd_kb(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    kb_args a = {.limit = 10};
    cb_kb_filter_init(&a.filter);
    const char *arg, *fmt = NULL;
    int id, rc = CLI_USAGE;
    unsigned given = 0;
    uint64_t v;

    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        if (id == CLI_STOP) {
            rc = p.stop;
            goto out;
        }
        if (id >= CLI_OPT_OWN)
            given |= O(id);
        switch (id) {
        case OPT_ALL:
            a.all = a.filter.all = true;
            break;
        case OPT_LIMIT:
            if (!cli_parse_uint(arg, &v) || v < 1 || v > 100000) {
                rc = cli_usage_error(cmd, "--limit takes a number from 1 to 100000, not '%s'", arg);
                goto out;
            }
            a.limit = (size_t)v;
            break;
        case OPT_FORMAT:
            fmt = arg;
            break;
        case OPT_STATE:
            if (!cb_kb_state_from_name(arg, &a.filter.state)) {
                rc = cli_usage_error(cmd, "unknown state '%s' (wip, not-validated, validated or archived)", arg);
                goto out;
            }
            a.filter.has_state = true;
            break;
        case OPT_TAG:
            a.filter.tag = arg;
            break;
        case OPT_PRODUCT:
            a.filter.product = arg;
            break;
        case OPT_SORT:
            if (strcmp(arg, "id") != 0 && strcmp(arg, "reuse") != 0) {
                rc = cli_usage_error(cmd, "--sort takes id or reuse, not '%s'", arg);
                goto out;
            }
            a.filter.by_reuse = strcmp(arg, "reuse") == 0;
            break;
        case OPT_STALE:
            if (!cli_parse_uint(arg, &v) || v < 1 || v > 100000) {
                rc = cli_usage_error(cmd, "--stale takes a number of days from 1 to 100000, not '%s'", arg);
                goto out;
            }
            a.filter.stale_days = (unsigned)v;
            break;
        case OPT_FORCE:
            a.force = true;
            break;
        case OPT_WHY:
            a.why = arg;
            break;
        case OPT_RESOLVE:
            if (!cli_parse_uint(arg, &v) || v < 1 || v > 1000000) {
                rc = cli_usage_error(cmd, "--resolve takes a flag number, not '%s'", arg);
                goto out;
            }
            a.resolve = (unsigned)v;
            break;
        case OPT_DOMAIN:
            a.domain = arg;
            break;
        }
    }
    if (p.noperands == 0) {
        rc = cli_usage_error(cmd, "give an action: " KB_ACTION_NAMES);
        goto out;
    }
    const char *action = p.operands[0];
    const kb_action *act = NULL;
    for (size_t i = 0; i < sizeof kb_actions / sizeof kb_actions[0]; i++)
        if (strcmp(action, kb_actions[i].name) == 0)
            act = &kb_actions[i];
    if (!act) {
        rc = cli_usage_error(cmd, "unknown action '%s' (" KB_ACTION_NAMES ")", action);
        goto out;
    }
    int nops = p.noperands - 1;
    bool flag = strcmp(action, "flag") == 0;
    int min = flag && !a.resolve ? 2 : act->min, max = flag && a.resolve ? 1 : act->max;
    if (nops < min || (max >= 0 && nops > max)) {
        rc = cli_usage_error(cmd, "%s %s", action, flag && a.resolve ? "--resolve N takes one ID" : act->operands);
        goto out;
    }
    if (given & ~act->opts) {
        rc = cli_usage_error(cmd, "an option given is not one of %s's (see --help)", action);
        goto out;
    }
    cb_kb_state to;
    if (strcmp(action, "state") == 0 && !cb_kb_state_from_name(p.operands[2], &to)) {
        rc = cli_usage_error(cmd, "unknown state '%s' (wip, not-validated, validated or archived)", p.operands[2]);
        goto out;
    }
    if (strcmp(action, "state") == 0 && (!a.why || !*a.why)) {
        rc = cli_usage_error(cmd, "state needs --why TEXT: every transition is recorded with its reason");
        goto out;
    }
    a.fmt = act->dflt;
    if (fmt && !(a.fmt = cli_parse_format(fmt, act->formats))) {
        rc = cli_usage_error(cmd, "unknown format '%s' (%s)", fmt, act->formats & FMT_MD ? "md or json" : "text or json");
        goto out;
    }
    rc = run_action(action, nops, p.operands + 1, &a);
out:
    cli_parser_release(&p);
    return rc;
}
