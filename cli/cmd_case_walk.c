/*
 * cmd_case_walk.c — `casebook case walk ID PLAYBOOK`: the walk of `casebook
 * walk` (cli_walk_run: guide and coach modes, answers files, answers on
 * standard input), against the case's bundle, its transcript kept in the
 * case (cb_case_walk_save) after every answer and when the walk ends,
 * whatever its status, so that nothing is lost; `--resume` continues the
 * case's newest unfinished walk of the playbook.
 *
 * The bundle is the case's stored path, read only while its fingerprint is
 * the one stored when the case was opened: a bundle gone or changed since is
 * a warning and the walk goes on without logs (its checks are asked), rather
 * than a refusal, because the engineer can still answer them and the walk
 * is what the case needs.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "casebook/json.h"
#include "casebook/case.h"
#include "cli/cli.h"

enum { OPT_COACH = CLI_OPT_OWN, OPT_ANSWERS, OPT_RESUME };

static const cli_opt case_walk_opts[] = {
    {CLI_OPT_PLAYBOOKS, 'p', "playbooks", ARG_STRING, "PATH",
     "playbook file or directory to find PLAYBOOK in (repeatable)"},
    {OPT_COACH, 0, "coach", ARG_NONE, NULL, "coach mode: answer each coach question before the node is shown"},
    {OPT_ANSWERS, 'a', "answers", ARG_STRING, "FILE", "take the answers from FILE (YAML or JSON) instead of asking"},
    {OPT_RESUME, 'r', "resume", ARG_NONE, NULL, "continue the case's newest unfinished walk of PLAYBOOK"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

static const cli_cmd case_walk_cmd = {
    .name = "case walk",
    .synopsis = "ID PLAYBOOK [-p PATH]... [--coach] [--answers FILE] [--resume]",
    .summary = "walk a playbook for a case, its transcript kept in the case",
    .description =
        "The walk of 'casebook walk', with the case's bundle answering the checks (read only while its\n"
        "fingerprint is the one stored with the case: a bundle gone or changed is a warning, and the checks\n"
        "are asked).  The transcript is saved in the case after every answer and when the walk ends,\n"
        "whatever the way (concluded, stopped, skipped, quit); the walk's number is printed.  --resume\n"
        "continues the case's newest walk of PLAYBOOK that did not conclude, in its mode.\n"
        "Exit status: as 'casebook walk' (0 concluded or quit; 1 stopped or skipped; 2 an error).",
    .opts = case_walk_opts,
};

/* Where the walk goes: the case, as walk n (0 until first saved). */
typedef struct case_sink {
    cb_store *s;
    const char *id;
    const char *who;
    const char *playbook_arg; /* as typed, for the resume hint */
    bool coach;
    unsigned n;
} case_sink;

static bool save_to_case(void *ctx, cb_walk *w, bool final)
{
    case_sink *cs = ctx;
    const cb_playbook *pb = cb_walk_playbook(w);
    json_t *j = cb_walk_to_json(w);
    char *text = cb_json_dump(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text) {
        json_decref(j);
        cli_error("case walk: cannot save the walk: out of memory");
        return false;
    }
    const char *concl = json_string_value(json_object_get(j, "conclusion"));
    const char *at = concl ? concl : json_string_value(json_object_get(j, "stopped_at"));
    int node = concl ? cb_playbook_node(pb, concl) : -1;
    cb_walk_summary sum;
    cb_walk_get_summary(w, &sum);
    cb_walk_status ws = cb_walk_get_status(w);
    cb_case_walk_new nw = {
        .playbook = pb->id.s,
        .mode = cs->coach ? "coach" : "guide",
        .status = cb_walk_status_name(ws),
        .node = at,
        .article = node >= 0 ? pb->nodes[node].article.s : NULL,
        .hints_used = (unsigned)sum.hints_used,
        .coach_questions = (unsigned)sum.coach_questions,
        .reveals = (unsigned)sum.reveals,
        .transcript = text,
    };
    cb_error err;
    cb_status st = cb_case_walk_save(cs->s, cs->id, &nw, cs->who, &cs->n, &err);
    free(text);
    json_decref(j);
    if (st != CB_OK) {
        cli_error("case walk: %s: the walk could not be saved: %s", cs->id, err.msg);
        return false;
    }
    if (final) {
        printf("\nWalk %u of %s saved (%s)", cs->n, cs->id, cb_walk_status_name(ws));
        if (ws != CB_WS_CONCLUDED) {
            printf("; continue with: casebook case walk %s ", cs->id);
            cli_put_name(stdout, cs->playbook_arg);
            printf(" --resume");
        }
        printf("\n");
    }
    return true;
}

/* The case's newest walk of playbook `id` that did not conclude, or NULL. */
static const cb_case_walk *unfinished(const cb_case *c, const char *id)
{
    const cb_case_walk *best = NULL;
    for (size_t i = 0; id && i < c->nwalks; i++) {
        const cb_case_walk *w = &c->walks[i];
        if (strcmp(w->playbook, id) != 0 || strcmp(w->status, "concluded") == 0)
            continue;
        if (!best || strcmp(w->at, best->at) > 0 || (strcmp(w->at, best->at) == 0 && w->n > best->n))
            best = w;
    }
    return best;
}

/* The transcript of walk w of case id, parsed; NULL after saying why. */
static json_t *transcript_of(const char *id, const cb_case_walk *w)
{
    json_error_t je;
    json_t *j = json_loads(w->transcript, 0, &je);
    if (!j)
        cli_error("case walk: %s: walk %u: its transcript is not JSON: %s", id, w->n, je.text);
    return j;
}

int cli_case_walk(int argc, char **argv)
{
    const cli_cmd *cmd = &case_walk_cmd;
    cli_parser p;
    const char *arg, *answers_path = NULL;
    bool coach = false, resume = false, fresh = false, got_case = false;
    int id, rc = CLI_USAGE;
    cb_triage_opts to;
    cb_store *s = NULL;
    cb_person actor;
    cb_case c;
    cb_library lib;
    json_t *saved = NULL;
    cb_error err;
    char resume_name[96];

    memset(&actor, 0, sizeof actor);
    cb_library_init(&lib);
    cb_triage_opts_init(&to);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_COACH:
            coach = true;
            break;
        case OPT_ANSWERS:
            answers_path = arg;
            break;
        case OPT_RESUME:
            resume = true;
            break;
        default:
            if (cli_bundle_arg(cmd, id, arg, &to.scan.bundle) != 1)
                goto out;
        }
    }
    if (p.noperands != 2) {
        rc = cli_usage_error(cmd, "takes a case ID and a PLAYBOOK");
        goto out;
    }
    const char *case_id = p.operands[0], *pb_arg = p.operands[1];
    if ((rc = cli_open_store("case walk", &s)) != CLI_OK || (rc = cli_actor("case walk", s, &actor, &fresh)) != CLI_OK)
        goto out;
    rc = CLI_USAGE;
    cb_status st = cb_case_get(s, case_id, &c, &err);
    got_case = true;
    if (st != CB_OK) {
        cli_error("case walk: %s", err.msg);
        goto out;
    }

    /* --resume: the walk to continue names the playbook's file, should the library no longer hold it. */
    const cb_case_walk *prev = resume ? unfinished(&c, pb_arg) : NULL;
    const char *fallback = NULL;
    if (prev) {
        if (!(saved = transcript_of(case_id, prev)))
            goto out;
        fallback = json_string_value(json_object_get(saved, "playbook_path"));
    }
    const cb_playbook *pb = cli_find_playbook("case walk", pb_arg, p.playbooks, p.nplaybooks, fallback, &lib);
    if (!pb)
        goto out;
    if (resume && !prev) { /* PLAYBOOK was a file: its id names the walk */
        if (!(prev = unfinished(&c, pb->id.s))) {
            cli_error("case walk: %s has no unfinished walk of '%s' to resume", case_id, pb->id.s);
            goto out;
        }
        if (!(saved = transcript_of(case_id, prev)))
            goto out;
    }
    if (prev) {
        const char *mode = json_string_value(json_object_get(saved, "mode"));
        if (mode && !strcmp(mode, "coach"))
            coach = true;
        snprintf(resume_name, sizeof resume_name, "walk %u of %s", prev->n, case_id);
    }

    /* The case's bundle, if it is still the one the case was opened with. */
    const char *bundle = NULL;
    if (c.bundle_path && cli_walk_bundle_ok(c.bundle_path, c.bundle_fingerprint, true))
        bundle = c.bundle_path;

    case_sink cs = {
        .s = s,
        .id = case_id,
        .who = fresh ? NULL : actor.handle,
        .playbook_arg = pb_arg,
        .coach = coach,
        .n = prev ? prev->n : 0,
    };
    cli_walk_sink sink = {.save = save_to_case, .ctx = &cs};
    cli_walk_args a = {
        .pb = pb,
        .bundle = bundle,
        .bundle_optional = true,
        .bundle_fingerprint = bundle ? c.bundle_fingerprint : NULL,
        .to = &to,
        .coach = coach,
        .answers_path = answers_path,
        .engineer = cs.who,
        .resume = saved,
        .resume_name = prev ? resume_name : NULL,
        .sink = &sink,
        .kb = s,
    };
    rc = cli_walk_run(&a);
out:
    json_decref(saved);
    if (got_case)
        cb_case_release(&c);
    cb_library_release(&lib);
    cb_person_release(&actor);
    cb_store_close(s);
    cb_scan_opts_release(&to.scan);
    cli_parser_release(&p);
    return rc;
}

/* ---- case close: the article the walks concluded on ---- */

/* Ask on the terminal until yes (or an empty answer) or no; false at end of input. */
static bool ask_yes(const char *question)
{
    char *line = NULL;
    size_t cap = 0;
    bool yes = false;
    for (int tries = 0; tries < 5; tries++) {
        fputs(question, stdout);
        fflush(stdout);
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0)
            break;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        const char *l = line;
        while (*l == ' ')
            l++;
        if (!*l || !strcasecmp(l, "y") || !strcasecmp(l, "yes")) {
            yes = true;
            break;
        }
        if (!strcasecmp(l, "n") || !strcasecmp(l, "no"))
            break;
        printf("Answer y or n.\n");
    }
    free(line);
    return yes;
}

bool cli_case_offer_link(cb_store *s, const char *id, char *art, size_t size)
{
    cb_error err;
    art[0] = '\0';
    if (cb_case_concluded_article(s, id, art, size, &err) != CB_OK || !cb_kb_id_valid(art)) {
        art[0] = '\0'; /* nothing to offer: closing goes on as without walks */
        return false;
    }
    cb_article *a = cli_kb_lookup(s, "case close", art);
    char why[160];
    bool linkable = a && cb_kb_check_link(a, why, sizeof why) == CB_KB_ALLOWED;
    if (!linkable) {
        fprintf(stderr, "casebook: case close: note: the walk of %s concluded on %s, which %s: not linked\n", id, art,
                a ? "is archived" : "is not in the knowledge base");
        cb_article_free(a);
        art[0] = '\0';
        return false;
    }
    bool link = false;
    if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        printf("The walk of %s concluded on %s — ", id, art);
        cli_put_safe(a->title, strlen(a->title));
        printf(" (%s).\n", cb_kb_state_name(a->state));
        char q[96];
        snprintf(q, sizeof q, "Link %s to %s as reused? [Y/n] ", art, id);
        link = ask_yes(q);
        if (!link)
            art[0] = '\0'; /* declined: no hint either */
    }
    cb_article_free(a);
    return link;
}

void cli_case_link_hint(const char *id, const char *art)
{
    if (!art || !*art)
        return;
    fprintf(stderr,
            "casebook: case close: hint: %s was not linked, though the walk of %s concluded on it; link it with "
            "'casebook case link %s %s --type reused' (or close with --link %s)\n",
            art, id, id, art, art);
}
