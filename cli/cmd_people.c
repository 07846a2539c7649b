/*
 * cmd_people.c — `casebook people add|set|list`: the people of the
 * knowledge base (people.h) in the store chosen by --db.  Once anyone exists,
 * adding or changing a person takes a publisher acting (--as); on a fresh
 * database the first `people add` needs no one.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/people.h"
#include "cli/cli.h"

enum { OPT_NAME = CLI_OPT_OWN, OPT_ROLE, OPT_COACH, OPT_NO_COACH, OPT_KDE, OPT_NO_KDE, OPT_FORMAT };

static const cli_opt people_opts[] = {
    {OPT_NAME, 0, "name", ARG_STRING, "NAME", "add/set: the person's name (UTF-8, no control characters)"},
    {OPT_ROLE, 0, "role", ARG_STRING, "ROLE", "add/set: candidate, contributor or publisher"},
    {OPT_COACH, 0, "coach", ARG_NONE, NULL, "add/set: the person coaches"},
    {OPT_NO_COACH, 0, "no-coach", ARG_NONE, NULL, "set: the person no longer coaches"},
    {OPT_KDE, 0, "kde", ARG_STRING, "DOMAIN",
     "add/set: a domain the person owns as Knowledge Domain Expert (repeatable; set replaces the list)"},
    {OPT_NO_KDE, 0, "no-kde", ARG_NONE, NULL, "set: the person owns no domain"},
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "list: text (default) or json"},
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_people = {
    .name = "people",
    .run = cmd_people,
    .summary = "the people of the knowledge base: add, set, list",
    .synopsis = "add HANDLE --name NAME --role ROLE [--coach] [--kde DOMAIN]... | set HANDLE [options] | list "
                "[--format text|json]",
    .description =
        "People are named by a HANDLE of 1 to 64 characters a-z 0-9 . _ -, beginning with a letter or digit;\n"
        "a ROLE is their KCS licence level: candidate, contributor or publisher.  A DOMAIN follows the\n"
        "handle's rule.  The database is the global --db PATH (else $CASEBOOK_DB, else the default).\n"
        "Once anyone exists, add and set take a publisher acting: the global --as HANDLE (else\n"
        "$CASEBOOK_USER).  On a fresh database no rule applies: the first person is added by anyone.\n"
        "Exit status: 0, or 2 for a usage or input error (a duplicate or unknown handle, a bad role, an\n"
        "actor who is unknown or not a publisher, a database that cannot be opened).",
    .opts = people_opts,
};

typedef struct people_args {
    const char *name;
    cb_role role;
    bool coach_set, coach;
    bool kde_set;
    const char **kde;
    size_t nkde;
    cli_format fmt;
} people_args;

static int print_text(const cb_people *l)
{
    if (l->n == 0) {
        puts("no people yet");
        return CLI_OK;
    }
    printf("%-20s %-11s %-5s %-24s %s\n", "HANDLE", "ROLE", "COACH", "KDE", "NAME");
    for (size_t i = 0; i < l->n; i++) {
        const cb_person *p = &l->v[i];
        /* Handles, roles and domains are checked ASCII; the name goes through the safe printer. */
        printf("%-20s %-11s %-5s ", p->handle, cb_role_name(p->role) ? cb_role_name(p->role) : "?",
               p->coach ? "yes" : "no");
        size_t w = 0;
        for (size_t d = 0; d < p->ndomains; d++)
            w += (size_t)printf("%s%s", d ? "," : "", p->domains[d]);
        if (!p->ndomains)
            w += (size_t)printf("-");
        printf("%*s ", w < 24 ? (int)(24 - w) : 0, "");
        cli_put_safe(p->name, strlen(p->name));
        putchar('\n');
    }
    return CLI_OK;
}

static int print_json(const cb_people *l)
{
    json_t *root = json_object(), *list = json_array();
    if (!root || !list || json_object_set_new(root, "people", list)) {
        json_decref(root);
        cli_error("people: out of memory");
        return CLI_USAGE;
    }
    for (size_t i = 0; i < l->n; i++) {
        const cb_person *p = &l->v[i];
        json_t *kde = json_array();
        for (size_t d = 0; d < p->ndomains; d++)
            json_array_append_new(kde, cli_json_text(p->domains[d], strlen(p->domains[d])));
        const char *role = cb_role_name(p->role);
        json_array_append_new(
            list, json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "handle", cli_json_text(p->handle, strlen(p->handle)),
                            "name", cli_json_text(p->name, strlen(p->name)), "role",
                            role ? json_string(role) : json_null(), "coach", p->coach, "kde", kde, "created",
                            cli_json_text(p->created, strlen(p->created)), "updated",
                            cli_json_text(p->updated, strlen(p->updated))));
    }
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_USAGE : CLI_OK;
    putchar('\n');
    json_decref(root);
    return rc;
}

/* Adding or changing people: on a fresh store anyone may (the first person); else a publisher acting. */
static int may_write(const char *what, cb_store *s)
{
    cb_person actor;
    bool fresh;
    int rc = cli_actor(what, s, &actor, &fresh);
    if (rc == CLI_OK && !fresh && actor.role != CB_ROLE_PUBLISHER) {
        cli_error("%s: only a publisher adds or changes people; '%s' is a %s", what, actor.handle,
                  cb_role_name(actor.role) ? cb_role_name(actor.role) : "?");
        rc = CLI_USAGE;
    }
    cb_person_release(&actor);
    return rc;
}

static int run_action(const char *action, char **ops, const people_args *a)
{
    cb_store *s = NULL;
    cb_error err;
    char what[32];
    snprintf(what, sizeof what, "people %s", action);
    int rc = cli_open_store(what, &s);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(action, "list") == 0) {
        cb_people l;
        if (cb_people_list(s, &l, &err) != CB_OK) {
            cli_error("%s: %s", what, err.msg);
            rc = CLI_USAGE;
        } else {
            rc = cli_finish_output(a->fmt == FMT_JSON ? print_json(&l) : print_text(&l));
        }
        cb_people_release(&l);
    } else if ((rc = may_write(what, s)) == CLI_OK) {
        cb_status st;
        if (strcmp(action, "add") == 0) {
            cb_person_new p = {ops[0], a->name, a->role, a->coach, a->kde, a->nkde};
            st = cb_people_add(s, &p, &err);
        } else {
            cb_person_change c = {a->name, a->role, a->coach_set, a->coach, a->kde_set, a->kde, a->nkde};
            st = cb_people_set(s, ops[0], &c, &err);
        }
        if (st != CB_OK) {
            cli_error("%s: %s", what, err.msg);
            rc = CLI_USAGE;
        }
    }
    cb_store_close(s);
    return rc;
}

int cmd_people(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    people_args a = {.fmt = FMT_TEXT};
    const char *arg;
    int id, rc = CLI_USAGE;
    bool name_given = false, role_given = false;

    cli_parser_init(&p, argc, argv);
    if (!(a.kde = calloc((size_t)argc + 1, sizeof *a.kde))) {
        cli_error("people: out of memory");
        goto out;
    }
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        if (id == CLI_STOP) {
            rc = p.stop;
            goto out;
        }
        switch (id) {
        case OPT_NAME:
            a.name = arg;
            name_given = true;
            break;
        case OPT_ROLE:
            role_given = true;
            if (!(a.role = cb_role_parse(arg))) {
                rc = cli_usage_error(cmd, "unknown role '%s' (candidate, contributor or publisher)", arg);
                goto out;
            }
            break;
        case OPT_COACH:
        case OPT_NO_COACH:
            a.coach_set = true;
            a.coach = id == OPT_COACH;
            break;
        case OPT_KDE:
            a.kde_set = true;
            a.kde[a.nkde++] = arg; /* room for every argument was made above */
            break;
        case OPT_NO_KDE:
            a.kde_set = true;
            a.nkde = 0;
            break;
        case OPT_FORMAT:
            if (!(a.fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON))) {
                rc = cli_usage_error(cmd, "unknown format '%s' (text or json)", arg);
                goto out;
            }
            break;
        }
    }
    if (p.noperands == 0) {
        rc = cli_usage_error(cmd, "give an action: add, set or list");
        goto out;
    }
    const char *action = p.operands[0];
    bool list = strcmp(action, "list") == 0, add = strcmp(action, "add") == 0, set = strcmp(action, "set") == 0;
    if (!list && !add && !set) {
        rc = cli_usage_error(cmd, "unknown action '%s' (add, set or list)", action);
        goto out;
    }
    if (p.noperands != (list ? 1 : 2)) {
        rc = list ? cli_usage_error(cmd, "list takes no operand")
                  : cli_usage_error(cmd, "%s takes one HANDLE", action);
        goto out;
    }
    if (list && (name_given || role_given || a.coach_set || a.kde_set)) {
        rc = cli_usage_error(cmd, "list takes only --format");
        goto out;
    }
    if (add && (!name_given || !role_given)) {
        rc = cli_usage_error(cmd, "add needs --name NAME and --role ROLE");
        goto out;
    }
    if (add && a.coach_set && !a.coach) {
        rc = cli_usage_error(cmd, "--no-coach is for set");
        goto out;
    }
    if (!list && a.fmt != FMT_TEXT) {
        rc = cli_usage_error(cmd, "--format is for list");
        goto out;
    }
    rc = run_action(action, p.operands + 1, &a);
out:
    free(a.kde);
    cli_parser_release(&p);
    return rc;
}
