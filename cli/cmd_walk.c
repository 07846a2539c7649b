/*
 * cmd_walk.c — `casebook walk PLAYBOOK`: walk a playbook's decision tree with
 * an engineer, line by line on a plain terminal (or over ssh), or from an
 * answers file or a script on standard input.
 *
 * The walk itself (stages, grading, transcript, undo, resume) is the
 * library's (casebook/walk.h); this file reads answers, shows questions and
 * saves transcripts.  Prompts are plain lines read with getline, so that the
 * walk works wherever a shell does: no full-screen interface, no line-editing
 * library, colour only on a terminal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/json.h"
#include "casebook/buf.h"
#include "casebook/fileio.h"
#include "casebook/triage.h"
#include "casebook/utf8.h"
#include "casebook/walk.h"
#include "cli/cli.h"

enum {
    OPT_BUNDLE = CLI_OPT_OWN,
    OPT_COACH,
    OPT_ANSWERS,
    OPT_AS,
    OPT_SAVE,
    OPT_RESUME,
};

enum {
    MAX_LINE = 64 * 1024,         /* an answer longer than this is cut: nobody types more */
    MAX_TRANSCRIPT = 16 * 1024 * 1024, /* a transcript of a few hundred steps is tens of KiB */
};

static const cli_opt walk_opts[] = {
    {CLI_OPT_PLAYBOOKS, 'p', "playbooks", ARG_STRING, "PATH",
     "playbook file or directory to find PLAYBOOK in (repeatable)"},
    {OPT_BUNDLE, 'b', "bundle", ARG_STRING, "B", "answer the checks from this bundle's logs"},
    {OPT_COACH, 0, "coach", ARG_NONE, NULL,
     "coach mode: answer each coach question before the node is shown"},
    {OPT_ANSWERS, 'a', "answers", ARG_STRING, "FILE",
     "take the answers from FILE (YAML or JSON) instead of asking"},
    {OPT_AS, 0, "as", ARG_STRING, "HANDLE", "the engineer's handle (default $CASEBOOK_USER, then $USER)"},
    {OPT_SAVE, 's', "save", ARG_STRING, "FILE", "save the transcript to FILE (JSON) after every answer"},
    {OPT_RESUME, 'r', "resume", ARG_STRING, "FILE",
     "continue the walk saved in FILE (PLAYBOOK may be omitted)"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_walk = {
    .name = "walk",
    .run = cmd_walk,
    .summary = "walk a playbook's decision tree with an engineer, step by step",
    .synopsis = "PLAYBOOK [-p PATH]... [--bundle B] [--coach] [--answers FILE] [--as HANDLE] [--save FILE] "
                "[--resume FILE]",
    .description =
        "PLAYBOOK is a playbook id from the library, or a playbook file.  Each node is shown in turn:\n"
        "checks are answered by the bundle's logs when --bundle is given, otherwise asked (yes/no); ask\n"
        "nodes take a choice's number or label; do nodes wait for 'done' (and ask their record question);\n"
        "a conclusion ends the walk.  At any prompt: back, why, skip, quit, help.  Without a terminal,\n"
        "standard input gives one answer a line.  --save FILE keeps a JSON transcript (written after\n"
        "every answer, atomically); quit saves to FILE, the --resume file, or PLAYBOOK.walk.json.\n"
        "Exit status: 0 when the walk reached a conclusion or was saved with quit; 1 when it stopped for\n"
        "an answer it did not get (answers file, end of input) or was skipped; 2 on a usage or input error.",
    .opts = walk_opts,
};

typedef struct style {
    const char *b, *d, *y, *r, *z;
} style;

/* Everything the conversation needs. */
typedef struct ui {
    cb_walk *w;
    const cb_playbook *pb;
    style st;
    const cb_answers *answers;
    const char *answers_path;
    bool interactive; /* a person at a terminal: answers are not echoed */
    char *line;
    size_t linecap;
    const char *handle;
    const char *save; /* where to save the transcript, NULL: only on quit (to a default name) */
    bool autosave;
    const cli_walk_sink *sink; /* instead of save: where the walk goes after every answer and at the end */
    cb_store *kb;              /* the knowledge base, to name a conclusion's article; NULL: none in use */
    int shown_node; /* the node and stage whose question is on screen */
    cb_walk_stage shown_stage;
    bool redraw;
    size_t coach_next; /* the next coach attempt to take from the answers file */
    int rc_error;      /* CLI_USAGE once an input error happened */
} ui;

/* ---- output helpers ---- */

static void put(const char *s)
{
    cli_put_safe(s, strlen(s));
}

static size_t wrap_width = 100;

/*
 * Text folded to the width of the screen (100 columns at most, so that long
 * YAML paragraphs read well in a terminal and in a saved session), every
 * line prefixed by indent (cli_put_wrapped).
 */
static void put_lines(const char *s, const char *indent)
{
    fputs(indent, stdout);
    cli_put_wrapped(s, cb_utf8_columns(indent, strlen(indent)), indent, wrap_width);
}

static void put_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        cli_put_safe(s, cb_utf8_boundary(s, max));
        fputs("…", stdout);
    } else {
        cli_put_safe(s, n);
    }
}

static size_t step_number(const ui *u)
{
    return cb_walk_step_count(u->w) + 1;
}

static void show_choices(const cb_walk_prompt *p)
{
    for (size_t i = 0; i < p->nchoices; i++) {
        printf("  %zu. ", i + 1);
        put(p->choices[i]);
        putchar('\n');
    }
}

static void show_evidence(const ui *u, const cb_walk_evidence *ev, size_t n, const char *indent)
{
    for (size_t i = 0; i < n; i++) {
        printf("%s%s", indent, u->st.d);
        put(ev[i].file);
        printf(":%llu%s  ", (unsigned long long)ev[i].line, u->st.z);
        if (ev[i].has_time) {
            char tb[32];
            printf("%s[%s %s]%s ", u->st.d, cli_time(ev[i].time_ms, tb, sizeof tb), cli_tz_name(), u->st.z);
        }
        put_cut(ev[i].text, 160);
        putchar('\n');
    }
}

/* Name the {{variables}} left in a text, so that the engineer sees a value is missing, not a typo. */
static void show_unknown(const ui *u, const cb_walk_prompt *p)
{
    if (!p->unknown)
        return;
    printf("%s(no value yet for", u->st.d);
    size_t shown = 0;
    for (size_t k = 0; k <= p->nchoices; k++) {
        const char *s = k == 0 ? p->text : p->choices[k - 1];
        for (const char *a = strstr(s, "{{"); a; a = strstr(a + 2, "{{")) {
            const char *b = strstr(a, "}}");
            if (!b || b - a > 80)
                break;
            /* Once per name: look for it earlier in the same text. */
            size_t n = (size_t)(b - a) + 2;
            bool seen = false;
            for (const char *c = s; c < a && !seen; c++)
                seen = strncmp(c, a, n) == 0;
            if (seen || (k > 0 && memmem(p->text, strlen(p->text), a, n)))
                continue;
            printf("%s ", shown++ ? "," : "");
            cli_put_safe(a, n);
        }
    }
    printf(")%s\n", u->st.z);
}

/* The question of the current stage, with its header when a new node starts. */
static void show_prompt(ui *u, const cb_walk_prompt *p)
{
    const cb_node *n = p->n;
    if (p->stage == CB_WALK_STAGE_COACH) {
        printf("\n%s[%zu] %s%s — coach question\n", u->st.b, step_number(u), n->id, u->st.z);
        put_lines(p->text, "");
        putchar('\n');
        show_choices(p);
        show_unknown(u, p);
        if (!p->nchoices)
            printf("%s(free text)%s\n", u->st.d, u->st.z);
    } else if (p->stage == CB_WALK_STAGE_RECORD) {
        put_lines(p->text, "");
        putchar('\n');
        show_unknown(u, p);
    } else {
        printf("\n%s[%zu] %s%s (%s)\n", u->st.b, step_number(u), n->id, u->st.z, cb_node_kind_name(p->kind));
        put_lines(p->text, "");
        putchar('\n');
        if (!(p->kind == CB_NODE_CHECK && p->logs_answer))
            show_choices(p);
        show_unknown(u, p);
        if (p->kind == CB_NODE_DO)
            printf("Type done when it is done.\n");
    }
    u->shown_node = p->node;
    u->shown_stage = p->stage;
    u->redraw = false;
}

/* "conn-reset 672 + unstable-connection 623 = 1,295 lines" */
static void show_hits(const ui *u, const cb_node *n)
{
    char g[32];
    uint64_t total = 0;
    for (size_t i = 0; i < n->nsigs; i++) {
        int s = n->sigs[i].index;
        uint64_t h = s >= 0 ? cb_walk_hits(u->w, (size_t)s) : 0;
        total += h;
        printf("%s%s %s", i ? " + " : "", n->sigs[i].id, cli_group_digits(h, g, sizeof g));
    }
    if (n->nsigs > 1)
        printf(" = %s", cli_group_digits(total, g, sizeof g));
    printf(" line%s", total == 1 ? "" : "s");
}

static void show_logs_answer(const ui *u, const cb_walk_prompt *p)
{
    printf("%sThe logs answered %s:%s ", u->st.y, p->logs_answer, u->st.z);
    show_hits(u, p->n);
    printf(" (at least %llu needed).\n", (unsigned long long)p->n->min);
    show_evidence(u, p->evidence, p->nevidence, "  ");
}

static void show_conclusion(const ui *u, const cb_walk_prompt *p)
{
    const cb_node *n = p->n;
    printf("\n%s[%zu] %s%s (conclusion%s)\n", u->st.b, cb_walk_step_count(u->w), n->id, u->st.z,
           n->escalate   ? ": escalate"
           : n->dead_end ? ": ruled out"
                         : "");
    printf("%s", u->st.y);
    put_lines(p->text, "");
    printf("%s\n", u->st.z);
    if (p->cause) {
        printf("Cause:\n");
        put_lines(p->cause, "  ");
        putchar('\n');
    }
    if (p->resolution) {
        printf("Resolution:\n");
        put_lines(p->resolution, "  ");
        putchar('\n');
    }
    if (p->article) {
        printf("Article: ");
        put(p->article);
        cb_article *a = cli_kb_lookup(u->kb, "walk", p->article);
        char why[160];
        const char *c = u->kb ? cli_kb_caution(p->article, a, why, sizeof why) : NULL;
        if (a) {
            printf(" — ");
            put(a->title);
            printf(" (%s)", cb_kb_state_name(a->state));
        }
        putchar('\n');
        if (c) {
            printf("%sWarning:%s ", u->st.y, u->st.z);
            put(c);
            putchar('\n');
        }
        cb_article_free(a);
    }
    if (n->dead_end)
        printf("This playbook does not apply: go back to triage.\n");
}

static void show_summary(const ui *u)
{
    cb_walk_summary s;
    cb_walk_get_summary(u->w, &s);
    printf("\n%sSummary%s\n", u->st.b, u->st.z);
    printf("  steps: %zu\n", s.steps);
    printf("  coach questions: %zu, right first time: %zu\n", s.coach_questions, s.right_first_time);
    printf("  hints used: %zu, answers revealed: %zu\n", s.hints_used, s.reveals);
    printf("  conclusion reached without reveals: %s\n", s.concluded_without_reveal ? "yes" : "no");
}

static void show_step_line(const ui *u, size_t i, const cb_walk_step *s, bool evidence)
{
    printf("  [%zu] %s: ", i + 1, u->pb->nodes[s->node].id);
    if (s->answer)
        put_cut(s->answer, 200);
    else
        printf("(conclusion)");
    if (s->answered_by) {
        printf(" %s(", u->st.d);
        put(s->answered_by); /* a handle, from the command line or a transcript */
        printf(")%s", u->st.z);
    }
    putchar('\n');
    if (s->coach) {
        const cb_walk_coaching *c = s->coach;
        printf("      coach: %zu attempt%s, %zu hint%s%s\n", c->nattempts, c->nattempts == 1 ? "" : "s",
               c->hints_used, c->hints_used == 1 ? "" : "s", c->revealed ? ", answer revealed" : "");
    }
    if (evidence)
        show_evidence(u, s->evidence, s->nevidence, "      ");
}

/* `why`: the logs' counts, the values that fill the texts, and every answer so far with its evidence. */
static void show_why(ui *u, const cb_walk_prompt *p)
{
    const cb_playbook *pb = u->pb;
    char g[32];
    printf("\n%sWhy here%s\n", u->st.b, u->st.z);
    if (cb_walk_has_logs(u->w)) {
        printf("  hits in the bundle:");
        for (size_t s = 0; s < pb->nsignatures; s++)
            printf("%s %s %s", s ? "," : "", pb->signatures[s].id,
                   cli_group_digits(cb_walk_hits(u->w, s), g, sizeof g));
        putchar('\n');
    } else {
        printf("  no bundle: checks are answered by the engineer\n");
    }
    json_t *j = cb_walk_to_json(u->w);
    json_t *vars = json_object_get(j, "variables");
    if (json_object_size(vars)) {
        printf("  values:");
        const char *k;
        json_t *v;
        int i = 0;
        json_object_foreach(vars, k, v)
        {
            printf("%s ", i++ ? "," : "");
            put(k);
            putchar('=');
            put_cut(json_string_value(v) ? json_string_value(v) : "", 80);
        }
        putchar('\n');
    }
    json_decref(j);
    size_t n = cb_walk_step_count(u->w);
    if (!n)
        printf("  no answers yet\n");
    for (size_t i = 0; i < n; i++)
        show_step_line(u, i, cb_walk_step_at(u->w, i), true);
    if (p->n)
        printf("  now: %s (%s%s)\n", p->n->id, p->stage == CB_WALK_STAGE_COACH ? "coach question of a " : "",
               cb_node_kind_name(p->kind));
}

static void show_help(void)
{
    printf("Answer with the number or the label of a choice, yes or no for a check, done when an action is\n"
           "done, or free text where a question asks for it.  At any prompt:\n"
           "  back   undo the last answer\n"
           "  why    the evidence and answers that led here\n"
           "  skip   mark this step unknown and stop the walk\n"
           "  quit   save the walk and stop (continue later with --resume)\n"
           "  help   this text\n");
}

/* ---- saving ---- */

/* Write the transcript to path.tmp, then rename it: no reader ever sees half a file. */
/* Write the transcript atomically: a unique temporary (never a planted link), then a rename over path. */
static bool save_transcript(cb_walk *w, const char *path)
{
    json_t *j = cb_walk_to_json(w);
    char *text = cb_json_dump(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!text) {
        cli_error("walk: cannot save %s: out of memory", path);
        return false;
    }
    size_t n = strlen(text);
    char *withnl = realloc(text, n + 2);
    if (!withnl) {
        free(text);
        cli_error("walk: cannot save %s: out of memory", path);
        return false;
    }
    withnl[n] = '\n';
    withnl[n + 1] = '\0';
    cb_error err;
    bool ok = cb_file_write_atomic(path, withnl, n + 1, &err) == CB_OK;
    if (!ok)
        cli_error("walk: %s", err.msg);
    free(withnl);
    return ok;
}

/* ---- reading answers ---- */

/* One line from standard input without its line end; false at end of input. */
static bool read_line(ui *u)
{
    fflush(stdout);
    ssize_t n = getline(&u->line, &u->linecap, stdin);
    if (n < 0)
        return false;
    while (n > 0 && (u->line[n - 1] == '\n' || u->line[n - 1] == '\r'))
        u->line[--n] = '\0';
    if (n > MAX_LINE)
        u->line[cb_utf8_boundary(u->line, MAX_LINE)] = '\0';
    return true;
}

/* The prompt: "coach> " while a coach question waits, else "> ". */
static void show_prompt_marker(const cb_walk_prompt *p)
{
    fputs(p->stage == CB_WALK_STAGE_COACH ? "coach> " : "> ", stdout);
}

/* Echo an answer that came from a file or a pipe, so that the output reads as the conversation it was. */
static void echo(const ui *u, const char *text)
{
    if (u->interactive)
        return;
    put(text);
    putchar('\n');
}

/*
 * The next answer from the answers file, or NULL when it has none for this
 * question (the walk stops there).  Coach attempts are taken in order.
 */
static const char *file_answer(ui *u, const cb_walk_prompt *p, int *line, int *col)
{
    const char *id = p->n->id;
    *line = *col = 0;
    if (p->stage == CB_WALK_STAGE_COACH) {
        const cb_coach_entry *c = cb_answers_coach(u->answers, id);
        if (!c || u->coach_next >= c->nattempts)
            return NULL;
        *line = c->line;
        *col = c->col;
        return c->attempts[u->coach_next++];
    }
    const cb_answer_entry *e = cb_answers_get(u->answers, id);
    if (!e)
        return NULL;
    *line = e->line;
    *col = e->col;
    return cb_walk_script_text(p, e->text); /* a do node's text is its record answer, or a note that it was done */
}

/* ---- the conversation ---- */

static void report_result(const ui *u, const cb_walk_prompt *p, const char *typed, const cb_walk_result *r)
{
    switch (r->verdict) {
    case CB_ANSWER_INVALID:
        printf("%s", u->st.r);
        put(r->message); /* it may quote the answer */
        printf(".%s\n", u->st.z);
        break;
    case CB_ANSWER_WRONG:
        printf("%sNot quite.%s Hint %zu of %zu:\n", u->st.r, u->st.z, r->hint_number, r->nhints);
        put_lines(r->hint, "  ");
        putchar('\n');
        break;
    case CB_ANSWER_REVEALED:
        printf("%sNot quite.%s The expected answer%s: ", u->st.r, u->st.z, p->nchoices ? "" : " mentions");
        put(r->expected);
        printf(".\n");
        break;
    case CB_ANSWER_ACCEPTED:
        if (p->stage == CB_WALK_STAGE_COACH)
            printf("%s\n", r->graded ? "Right." : "Noted.");
        /* A number picked a choice: say which, so that the log of the session reads on its own. */
        if (p->nchoices && r->answer && typed && strcmp(typed, r->answer) != 0 &&
            !(p->kind == CB_NODE_CHECK && p->stage == CB_WALK_STAGE_NODE)) {
            printf("%s→ ", u->st.d);
            put(r->answer);
            printf("%s\n", u->st.z);
        }
        break;
    }
}

typedef enum outcome { GO_ON, STOP_MISSING, STOP_EOF, STOP_SKIP, STOP_QUIT, STOP_ERROR } outcome;

/* Handle a command typed at a prompt.  Returns true when text was one. */
static bool command(ui *u, const cb_walk_prompt *p, const char *text, outcome *out)
{
    char c[8];
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    while (*text == ' ' && n) {
        text++;
        n--;
    }
    if (n >= sizeof c)
        return false;
    memcpy(c, text, n);
    c[n] = '\0';
    *out = GO_ON;
    if (!strcasecmp(c, "back")) {
        cb_status st = cb_walk_back(u->w);
        if (st == CB_ENOTFOUND) {
            printf("Nothing to undo.\n");
        } else if (st) {
            cli_error("walk: out of memory");
            *out = STOP_ERROR;
        } else {
            printf("Back: the last answer is undone.\n");
            u->redraw = true;
            u->coach_next = 0;
        }
    } else if (!strcasecmp(c, "why")) {
        show_why(u, p);
        u->redraw = true;
    } else if (!strcasecmp(c, "help") || !strcmp(c, "?")) {
        show_help();
    } else if (!strcasecmp(c, "skip")) {
        *out = STOP_SKIP;
    } else if (!strcasecmp(c, "quit")) {
        *out = STOP_QUIT;
    } else {
        return false;
    }
    return true;
}

/* Walk until a conclusion or a stop.  Returns how it ended. */
static outcome converse(ui *u)
{
    cb_walk_prompt p;
    cb_walk_result r;
    for (;;) {
        if (cb_walk_current(u->w, &p)) {
            cli_error("walk: out of memory");
            return STOP_ERROR;
        }
        if (p.stage == CB_WALK_STAGE_END)
            return GO_ON;
        if (u->redraw || p.node != u->shown_node || p.stage != u->shown_stage) {
            if (p.node != u->shown_node || p.stage != u->shown_stage)
                u->coach_next = 0;
            show_prompt(u, &p);
        }
        /* A check the logs answer, unless the answers file overrides it. */
        if (p.stage == CB_WALK_STAGE_NODE && p.kind == CB_NODE_CHECK && p.logs_answer &&
            !(u->answers && cb_answers_get(u->answers, p.n->id))) {
            show_logs_answer(u, &p);
            if (cb_walk_answer(u->w, NULL, NULL, &r)) {
                cli_error("walk: out of memory");
                return STOP_ERROR;
            }
            continue;
        }
        const char *text;
        int line = 0, col = 0;
        if (u->answers) {
            if (!(text = file_answer(u, &p, &line, &col))) {
                fflush(stdout);
                cli_error("walk: stopped at '%s': %s has no %s for it", p.n->id, u->answers_path,
                          p.stage == CB_WALK_STAGE_COACH ? "coach answer" : "answer");
                return STOP_MISSING;
            }
            show_prompt_marker(&p);
        } else {
            show_prompt_marker(&p);
            if (!read_line(u)) {
                putchar('\n');
                fflush(stdout);
                cli_error("walk: stopped at '%s': end of input", p.n->id);
                return STOP_EOF;
            }
            text = u->line;
        }
        echo(u, text);
        outcome o;
        if (!u->answers && command(u, &p, text, &o)) {
            if (o != GO_ON)
                return o;
            continue;
        }
        if (cb_walk_answer(u->w, text, u->handle, &r)) {
            cli_error("walk: out of memory");
            return STOP_ERROR;
        }
        if (!(r.verdict == CB_ANSWER_INVALID && u->answers))
            report_result(u, &p, text, &r);
        if (r.verdict == CB_ANSWER_INVALID && u->answers) {
            fflush(stdout);
            char where[64] = "";
            if (line)
                snprintf(where, sizeof where, "%d:%d:", line, col);
            cli_error("%s:%s answer for '%s': %s", u->answers_path, where, p.n->id, r.message);
            u->rc_error = CLI_USAGE;
            return STOP_ERROR;
        }
        if (r.verdict != CB_ANSWER_INVALID && u->sink && !u->sink->save(u->sink->ctx, u->w, false)) {
            u->rc_error = CLI_USAGE;
            return STOP_ERROR;
        }
        if (r.verdict != CB_ANSWER_INVALID && u->autosave && !save_transcript(u->w, u->save)) {
            u->rc_error = CLI_USAGE;
            return STOP_ERROR;
        }
    }
}

/* ---- setting up ---- */

/* Scan the bundle with this one playbook's signatures. */
static cb_triage *triage_bundle(const cb_playbook *pb, const char *bundle, const cb_triage_opts *to)
{
    cb_library one = {.playbooks = (cb_playbook **)&pb, .n = 1, .cap = 1};
    cb_triage *t = NULL;
    cb_error err;
    if (cb_triage_run(&one, bundle, to, &t, &err)) {
        cli_print_error(&err);
        return NULL;
    }
    return t;
}

/*
 * May a resumed walk read the bundle its transcript names?  Only when its
 * fingerprint is the one saved: a transcript edited to name another path
 * (/proc, someone's home) or a bundle changed since is not scanned.
 */
bool cli_walk_bundle_ok(const char *bundle, const char *saved_fp, bool of_case)
{
    char fp[65];
    cb_error err;
    const char *why = NULL;
    if (!saved_fp)
        why = of_case ? "the case has no bundle fingerprint to check it against"
                      : "the transcript has no bundle fingerprint to check it against";
    else if (cb_bundle_fingerprint(bundle, fp, &err) != CB_OK)
        why = err.msg;
    else if (strcmp(fp, saved_fp) != 0)
        why = of_case ? "its content changed since the case was opened (its fingerprint differs)"
                      : "it is not the bundle the walk was saved with (its fingerprint differs)";
    if (!why)
        return true;
    if (of_case)
        cli_warning("the case's bundle %s is not used: %s; the walk goes on without logs: its checks are asked",
                    bundle, why);
    else
        cli_warning("the saved walk's bundle %s is not used: %s; its checks are asked (give --bundle to use a "
                    "bundle)", bundle, why);
    return false;
}

static const char *engineer_handle(const char *as)
{
    if (as && *as)
        return as;
    const char *e = getenv("CASEBOOK_USER");
    if (e && *e)
        return e;
    e = getenv("USER");
    return e && *e ? e : "unknown";
}

/* Answers for nodes the playbook does not have are likely typos: say so, but walk anyway. */
static void check_answers(const cb_answers *a, const char *path, const cb_playbook *pb)
{
    for (size_t i = 0; i < a->nanswers; i++)
        if (cb_playbook_node(pb, a->answers[i].node) < 0)
            cli_warning("%s:%d:%d: playbook '%s' has no node '%s'", path, a->answers[i].line,
                        a->answers[i].col, pb->id.s, a->answers[i].node);
    for (size_t i = 0; i < a->ncoach; i++) {
        int n = cb_playbook_node(pb, a->coach[i].node);
        if (n < 0 || !pb->nodes[n].coach)
            cli_warning("%s:%d:%d: playbook '%s' has no coach question at node '%s'", path, a->coach[i].line,
                        a->coach[i].col, pb->id.s, a->coach[i].node);
    }
}

/*
 * The walk itself, once its inputs are known: find the playbook, read the
 * answers file, triage the bundle, start (or resume) the walk, converse, and
 * save it (to a file, or through a->sink).  Shared by `casebook walk` and
 * `casebook case walk`.
 */
int cli_walk_run(const cli_walk_args *a)
{
    int rc = CLI_USAGE;
    const char *bundle = a->bundle;
    cb_library lib;
    cb_triage *t = NULL;
    cb_answers *answers = NULL;
    cb_walk *w = NULL;
    cb_walk_replay rep = {0};
    cb_error err;
    char default_save[512];
    char *bundle_abs = NULL, bundle_fp[65];
    cb_store *kb = NULL;
    ui u = {.shown_node = -1, .shown_stage = CB_WALK_STAGE_END};

    cb_library_init(&lib);
    const cb_playbook *pb =
        a->pb ? a->pb : cli_find_playbook("walk", a->playbook, a->paths, a->npaths, a->playbook_path, &lib);
    if (!pb || !cli_playbook_sound("walk", pb))
        goto out;
    if (a->answers_path) {
        if (cb_answers_load(a->answers_path, &answers, &err)) {
            cli_print_error(&err);
            goto out;
        }
        check_answers(answers, a->answers_path, pb);
    }
    if (bundle) {
        cli_progress prog;
        cli_progress_init(&prog);
        t = triage_bundle(pb, bundle, a->to);
        cli_progress_done(&prog);
        if (!t && !a->bundle_optional)
            goto out;
        if (!t) {
            fprintf(stderr, "casebook: warning: the %s bundle cannot be read: its checks are asked\n",
                    a->sink ? "case's" : "saved walk's");
            bundle = NULL;
        }
    }

    cb_walk_opts wo;
    cb_walk_opts_init(&wo);
    wo.mode = a->coach ? CB_WALK_COACH : CB_WALK_GUIDE;
    wo.triage = t;
    /* An absolute path and a fingerprint, so that a resume finds this bundle and knows it is the same. */
    if (bundle) {
        bundle_abs = realpath(bundle, NULL);
        if (a->bundle_fingerprint)
            wo.bundle_fingerprint = a->bundle_fingerprint; /* checked just now: a second hashing is not needed */
        else if (cb_bundle_fingerprint(bundle_abs ? bundle_abs : bundle, bundle_fp, &err) == CB_OK)
            wo.bundle_fingerprint = bundle_fp;
    }
    wo.bundle = bundle_abs ? bundle_abs : bundle;
    wo.engineer = engineer_handle(a->engineer);
    if (cb_walk_new(pb, &wo, &w, &err)) {
        cli_print_error(&err);
        goto out;
    }
    if (a->resume) {
        cb_status st = cb_walk_resume(w, a->resume, &rep, &err);
        if (st) {
            cli_error("%s: %s", a->resume_name, err.msg);
            goto out;
        }
        for (size_t i = 0; i < rep.nwarnings; i++)
            cli_warning("%s", rep.warnings[i]); /* they quote the transcript: node ids, answers */
    }

    bool colour = cli_colour_stdout();
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 &&
        ws.ws_col < 101)
        wrap_width = (size_t)ws.ws_col - 1;
    u.st = (style){colour ? CLI_BOLD : "", colour ? CLI_DIM : "", colour ? CLI_YELLOW : "",
                   colour ? CLI_RED : "", colour ? CLI_RESET : ""};
    u.w = w;
    u.pb = pb;
    u.answers = answers;
    u.answers_path = a->answers_path;
    u.interactive = !answers && isatty(STDIN_FILENO) == 1;
    u.handle = wo.engineer;
    u.sink = a->sink;
    u.save = a->sink ? NULL : a->save ? a->save : a->resume_file;
    u.autosave = u.save != NULL;

    printf("%sWalking %s%s: ", u.st.b, pb->id.s, u.st.z);
    put(pb->title.s);
    putchar('\n');
    if (a->coach)
        printf("Coach mode: answer each coach question before the step is shown.\n");
    if (bundle) {
        printf("Bundle: ");
        put(bundle);
        printf(" (the logs answer the checks)\n");
    }
    if (answers) {
        printf("Answers from ");
        put(a->answers_path);
        printf(".\n");
    } else
        printf("Answer with a number or a label. At any prompt: back, why, skip, quit, help.\n");
    if (a->resume) {
        printf("Resumed from ");
        put(a->resume_name);
        printf(": %zu of %zu answers replayed.\n", rep.replayed, rep.saved);
        for (size_t i = 0; i < cb_walk_step_count(w); i++)
            show_step_line(&u, i, cb_walk_step_at(w, i), false);
    }

    outcome o = converse(&u);
    if (o == STOP_ERROR) {
        rc = u.rc_error ? u.rc_error : CLI_USAGE;
        if (u.sink)
            u.sink->save(u.sink->ctx, w, true);
        else if (u.save)
            save_transcript(w, u.save);
        goto out;
    }
    if (o == GO_ON) {
        cb_walk_prompt pr;
        /* The knowledge base names the conclusion's article: the caller's, else the database in use, if any. */
        u.kb = a->kb ? a->kb : (kb = cli_kb_open_existing("walk"));
        if (cb_walk_current(w, &pr) == CB_OK && pr.n)
            show_conclusion(&u, &pr);
    } else {
        cb_walk_halt(w, o == STOP_SKIP ? CB_WS_SKIPPED : o == STOP_QUIT ? CB_WS_QUIT : CB_WS_STOPPED);
        if (o == STOP_SKIP)
            printf("Skipped: this step is marked unknown and the walk stops here.\n");
    }
    if (a->coach)
        show_summary(&u);
    rc = o == GO_ON || o == STOP_QUIT ? CLI_OK : CLI_FOUND;
    if (u.sink) {
        fflush(stdout);
        if (!u.sink->save(u.sink->ctx, w, true))
            rc = CLI_USAGE;
        rc = cli_finish_output(rc);
        goto out;
    }
    if (o == STOP_QUIT && !u.save) {
        snprintf(default_save, sizeof default_save, "%s.walk.json", pb->id.s);
        u.save = default_save;
    }
    if (u.save) {
        if (!save_transcript(w, u.save)) {
            rc = CLI_USAGE;
            goto out;
        }
        printf("\nTranscript saved to ");
        put(u.save);
        if (o != GO_ON) {
            printf("; continue with: casebook walk --resume ");
            put(u.save);
        }
        printf("\n");
    }
    rc = cli_finish_output(rc);
out:
    cb_store_close(kb);
    free(u.line);
    free(bundle_abs);
    cb_walk_replay_release(&rep);
    cb_walk_free(w);
    cb_answers_free(answers);
    cb_triage_free(t);
    cb_library_release(&lib);
    return rc;
}

int cmd_walk(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    const char *arg, *bundle = NULL, *answers_path = NULL, *as = NULL, *save = NULL, *resume = NULL;
    bool coach = false;
    int id, rc = CLI_USAGE;
    cb_triage_opts to;
    json_t *saved = NULL;
    cb_error err;

    cb_triage_opts_init(&to);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_BUNDLE:
            bundle = arg;
            break;
        case OPT_COACH:
            coach = true;
            break;
        case OPT_ANSWERS:
            answers_path = arg;
            break;
        case OPT_AS:
            as = arg;
            break;
        case OPT_SAVE:
            save = arg;
            break;
        case OPT_RESUME:
            resume = arg;
            break;
        default:
            if (cli_bundle_arg(cmd, id, arg, &to.scan.bundle) != 1)
                goto out;
        }
    }
    if (p.noperands > 1) {
        rc = cli_usage_error(cmd, "expected one PLAYBOOK, got %d", p.noperands);
        goto out;
    }
    if (p.noperands == 0 && !resume) {
        rc = cli_usage_error(cmd, "missing PLAYBOOK");
        goto out;
    }

    /* A saved walk names its playbook, bundle and mode. */
    const char *pb_name = p.noperands ? p.operands[0] : NULL, *pb_path = NULL;
    bool bundle_from_transcript = false;
    if (resume) {
        json_error_t je;
        char *text = NULL;
        size_t len;
        if (cb_file_read(resume, MAX_TRANSCRIPT, &text, &len, &err)) {
            cli_print_error(&err);
            goto out;
        }
        saved = json_loadb(text, len, 0, &je);
        free(text);
        if (!saved) {
            if (je.line > 0)
                cli_error("%s:%d:%d: %s", resume, je.line, je.column, je.text);
            else
                cli_error("%s: %s", resume, je.text);
            goto out;
        }
        const char *sid = json_string_value(json_object_get(saved, "playbook"));
        if (!sid) {
            cli_error("%s: not a casebook transcript (it names no playbook)", resume);
            goto out;
        }
        if (!pb_name)
            pb_name = sid;
        pb_path = json_string_value(json_object_get(saved, "playbook_path"));
        const char *mode = json_string_value(json_object_get(saved, "mode"));
        if (mode && !strcmp(mode, "coach"))
            coach = true;
        if (!bundle && json_string_value(json_object_get(saved, "bundle"))) {
            bundle = json_string_value(json_object_get(saved, "bundle"));
            bundle_from_transcript = true;
            /* The transcript is not trusted to name what to read: only the bundle it was walked with. */
            if (!cli_walk_bundle_ok(bundle, json_string_value(json_object_get(saved, "bundle_fingerprint")),
                                    false))
                bundle = NULL;
        }
    }
    cli_walk_args a = {
        .playbook = pb_name,
        .playbook_path = pb_path,
        .paths = p.playbooks,
        .npaths = p.nplaybooks,
        .bundle = bundle,
        .bundle_optional = bundle_from_transcript,
        .bundle_fingerprint = bundle_from_transcript ? json_string_value(json_object_get(saved, "bundle_fingerprint"))
                                                     : NULL,
        .to = &to,
        .coach = coach,
        .answers_path = answers_path,
        .engineer = as,
        .save = save,
        .resume = saved,
        .resume_name = resume,
        .resume_file = resume,
    };
    rc = cli_walk_run(&a);
out:
    json_decref(saved);
    cb_scan_opts_release(&to.scan);
    cli_parser_release(&p);
    return rc;
}
