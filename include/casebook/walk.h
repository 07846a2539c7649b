/*
 * walk.h — walking a playbook's decision tree with an engineer, one answer at
 * a time: the state machine behind `casebook walk`, its transcript, and
 * answers files.
 *
 * The library never prints and never reads a terminal.  The front end asks
 * the walk what to ask next (cb_walk_current), shows it, and feeds the
 * engineer's answer back (cb_walk_answer); the walk grades it, moves on, and
 * records every step for the transcript (cb_walk_to_json).  `back` is
 * cb_walk_back; a saved walk continues with cb_walk_resume, replaying the
 * saved answers that still apply to the playbook as it is now.
 *
 * Each node goes through up to three stages:
 *
 *   COACH   coach mode, node with a `coach` block: the coach question, graded
 *           against `expect`; a wrong answer gives the next hint, a wrong
 *           answer after the last hint reveals the expected answer.  Either a
 *           right answer or the reveal ends the stage.
 *   NODE    the node itself: check (yes/no; answered by the logs when the
 *           walk has a bundle's triage: feed a NULL answer), ask (a choice,
 *           by number or label, case-insensitive), do ("done"), conclude
 *           (nothing to answer: the walk ends there).
 *   RECORD  a do node with `record`: the free-text answer, which becomes the
 *           variable {{<node id>}}.
 *
 * What counts as an answer is defined once (cb_answer_yes_no,
 * cb_answer_choice, cb_answer_done in playbook.h), and triage's and
 * `casebook test`'s walks (cb_autowalk_run, triage.h) drive this same
 * engine, so a walk, a triage and a playbook test agree.  A walk refuses an
 * unsound tree (cb_playbook_check_sound) and never enters a node twice
 * without a person's answer in between.
 *
 * Strings handed out by a walk (prompts, results, steps) are owned by it.
 * Nothing here is thread-safe; a walk only reads its playbook and triage,
 * which must outlive it.
 */
#ifndef CASEBOOK_WALK_H
#define CASEBOOK_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "casebook/error.h"
#include "casebook/playbook.h"
#include "casebook/triage.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_walk cb_walk;

typedef enum cb_walk_mode {
    CB_WALK_GUIDE = 0, /* show each node in turn */
    CB_WALK_COACH,     /* answer each node's coach question before the node is shown */
} cb_walk_mode;

/* Where a walk is.  Only cb_walk_halt ends a walk other than by a conclusion. */
typedef enum cb_walk_status {
    CB_WS_ACTIVE = 0, /* waiting for an answer (saved as "stopped") */
    CB_WS_CONCLUDED,  /* reached a conclude node */
    CB_WS_STOPPED,    /* needed an answer nobody gave (non-interactive, end of input) */
    CB_WS_SKIPPED,    /* the engineer marked the current node unknown */
    CB_WS_QUIT,       /* the engineer paused the walk, to resume later */
} cb_walk_status;

/* "stopped" (also for CB_WS_ACTIVE: that is how an unfinished walk is saved), "concluded", "skipped", "quit".
 */
const char *cb_walk_status_name(cb_walk_status st);

typedef enum cb_walk_stage {
    CB_WALK_STAGE_COACH = 0,
    CB_WALK_STAGE_NODE,
    CB_WALK_STAGE_RECORD,
    CB_WALK_STAGE_END, /* the walk is not active: nothing to answer */
} cb_walk_stage;

typedef struct cb_walk_opts {
    cb_walk_mode mode;
    /*
     * The triage of the bundle (cb_triage_run with a library holding this
     * playbook), or NULL: then checks are asked.  It gives the checks' hit
     * counts and evidence, the capture variables and {{bundle}}.
     */
    const cb_triage *triage;
    const cb_finding *finding; /* the playbook's finding in triage; NULL: the one whose pb is the walk's */
    const char *bundle;        /* the bundle's path, for the transcript (give it absolute); NULL: none */
    const char *bundle_fingerprint; /* cb_bundle_fingerprint of it, for the transcript; NULL: none */
    const char *engineer;      /* the handle recorded as "engineer"; NULL: "unknown" */
    size_t max_evidence;       /* evidence lines kept for a check the logs answered (default 2) */
    /* The clock for timestamps (UTC epoch ms); NULL: the real time.  For reproducible tests. */
    int64_t (*now_ms)(void *ctx);
    void *now_ctx;
} cb_walk_opts;

/* Defaults: guide mode, no triage, 2 evidence lines, the real clock. */
void cb_walk_opts_init(cb_walk_opts *opts);

/*
 * Start a walk of pb at its start node (opts NULL: defaults).  On success
 * *out owns the new walk (free with cb_walk_free); pb and opts->triage must
 * outlive it (opts' strings are copied).  Fails with CB_EINVAL when the tree
 * cannot be walked (no start node, a reference to a missing node:
 * `casebook lint` reports these), CB_ENOMEM.
 */
cb_status cb_walk_new(const cb_playbook *pb, const cb_walk_opts *opts, cb_walk **out, cb_error *err);

/* Free a walk and everything it handed out.  Accepts NULL. */
void cb_walk_free(cb_walk *w);

/* One evidence line behind a check the logs answered. */
typedef struct cb_walk_evidence {
    char *file;    /* path inside the bundle */
    uint64_t line; /* 1-based */
    int64_t time_ms;
    bool has_time;
    char *text; /* the log line (untrusted bytes) */
} cb_walk_evidence;

/*
 * What to ask now.  Every string is owned by the walk and stays valid until
 * the next cb_walk_current or cb_walk_free call.  Texts have their
 * variables filled (unknown ones kept as `{{name}}`) and no trailing blanks.
 */
typedef struct cb_walk_prompt {
    cb_walk_stage stage;
    int node;          /* index in pb->nodes; -1 only when the walk never started */
    const cb_node *n;  /* pb->nodes[node] */
    cb_node_kind kind; /* n->kind */
    /*
     * The question: the coach's ask (COACH); for NODE a check's "Do the logs
     * show this?" with its signatures' describe texts, an ask's question, a
     * do's action or a conclusion; the record question (RECORD).
     */
    const char *text;
    const char *const *choices; /* coach choices, ask labels, "yes"/"no" for a check; NULL when free text */
    size_t nchoices;
    size_t unknown; /* variables in text and choices that have no value */
    /* NODE stage of a check when the walk has logs: */
    const char *logs_answer; /* "yes" or "no": feed a NULL answer to take it; NULL: the check must be asked */
    uint64_t hits;           /* its signatures' hits added up */
    const cb_walk_evidence *evidence; /* the first lines of its signatures, taken in turn */
    size_t nevidence;
    /* COACH stage: */
    size_t attempts;   /* wrong answers given so far */
    size_t hints_used; /* hints shown so far */
    /* A conclusion (stage END after concluding, or COACH of a conclude node): NULL when absent. */
    const char *cause, *resolution, *article;
} cb_walk_prompt;

/* Describe the current question into *p.  Returns CB_OK or CB_ENOMEM. */
cb_status cb_walk_current(cb_walk *w, cb_walk_prompt *p);

typedef enum cb_walk_verdict {
    CB_ANSWER_ACCEPTED = 0, /* the stage is done: the walk moved on */
    CB_ANSWER_WRONG,        /* a wrong coach answer: show `hint` and ask again */
    CB_ANSWER_REVEALED,     /* a wrong coach answer after the last hint: show `expected`; the walk moved on */
    CB_ANSWER_INVALID,      /* not an answer to this question (`message` says why); nothing changed */
} cb_walk_verdict;

/* The outcome of an answer.  Strings are owned by the walk, valid until the next cb_walk_answer. */
typedef struct cb_walk_result {
    cb_walk_verdict verdict;
    bool graded;          /* COACH: the question has an `expect` */
    bool correct;         /* COACH: the answer was right (always true when not graded) */
    const char *answer;   /* what was recorded: a choice label as written, "yes"/"no", the text */
    const char *hint;     /* WRONG: the hint to show, variables filled */
    size_t hint_number;   /* WRONG: 1-based */
    size_t nhints;        /* COACH: the hints the question has */
    const char *expected; /* REVEALED: the expected answer ("a" or "a or b"; keywords for free text) */
    const char *message;  /* INVALID: lowercase, without a full stop */
} cb_walk_result;

/*
 * Answer the current question.  `text` is what the engineer typed (leading
 * and trailing blanks are ignored); NULL takes the logs' answer of a check
 * (prompt.logs_answer).  `who` is the answering engineer's handle (NULL: the
 * walk's engineer); a NULL text is recorded as answered by "logs".  Choices
 * match by label as written, then case-insensitively, then by 1-based
 * number; a check takes yes/no/y/n (any case) or 1/2; a do node's NODE
 * stage takes "done"; free text must not be empty.  A coach answer with
 * choices must be one of them (else INVALID); free text is right when it
 * contains one of the `expect` keywords, case-insensitively.  *res (not
 * NULL) says what happened.  Returns CB_OK, CB_EINVAL when the walk is not
 * active, or when the answer would take the walk into a node it entered
 * since a person last answered (only a tree changed under the walk can: the
 * walk is stopped there), CB_ENOMEM.
 */
cb_status cb_walk_answer(cb_walk *w, const char *text, const char *who, cb_walk_result *res);

/*
 * What to feed cb_walk_answer at prompt p when a script (an answers file, a
 * playbook test) has the text `scripted` for p's node: "done" at a do node's
 * NODE stage (the script's text then answers its record question), else
 * `scripted` itself (NULL: the script has nothing for this node).
 */
const char *cb_walk_script_text(const cb_walk_prompt *p, const char *scripted);

/*
 * Undo the last answer an engineer gave (answers taken from the logs are
 * skipped over and taken again as the walk moves forward), together with
 * the wrong coach attempts of the same stage, and everything after it: a
 * coach answer, a node's answer or a record answer alike.  Returns CB_OK,
 * CB_ENOTFOUND when there is nothing to undo (nothing changes), CB_ENOMEM.
 * An ended walk becomes active again.
 */
cb_status cb_walk_back(cb_walk *w);

/*
 * End an active walk at its current node without a conclusion: CB_WS_STOPPED,
 * CB_WS_SKIPPED (the node is recorded as unknown) or CB_WS_QUIT.  Returns
 * CB_OK, or CB_EINVAL for another status or a walk that is not active.
 */
cb_status cb_walk_halt(cb_walk *w, cb_walk_status why);

cb_walk_status cb_walk_get_status(const cb_walk *w);
/* The playbook walked (the caller's, as given to cb_walk_new). */
const cb_playbook *cb_walk_playbook(const cb_walk *w);
/* True when a triage answers the checks. */
bool cb_walk_has_logs(const cb_walk *w);
/* Hits of pb->signatures[sig] in the bundle (0 without logs or out of range). */
uint64_t cb_walk_hits(const cb_walk *w, size_t sig);

/* A coach question's record in a step. */
typedef struct cb_walk_attempt {
    char *answer;
    bool correct;
    char *hint; /* the hint given after it, NULL when none (right, or revealed) */
} cb_walk_attempt;

typedef struct cb_walk_coaching {
    char *question; /* filled */
    char **expect;  /* as written */
    size_t nexpect;
    cb_walk_attempt *attempts;
    size_t nattempts, capattempts;
    size_t hints_used;
    bool revealed;
    bool right_first_time; /* the first attempt was accepted (always, without `expect`) */
} cb_walk_coaching;

/*
 * One node of the walk.  Every answered node has a step; the conclusion has
 * one too (answer NULL).  Owned by the walk, valid until the next
 * cb_walk_answer, cb_walk_back or cb_walk_resume.
 */
typedef struct cb_walk_step {
    int node; /* index in pb->nodes */
    cb_node_kind kind;
    char *question; /* as shown, variables filled */
    char **choices; /* as shown; nchoices 0 for do and conclude */
    size_t nchoices;
    char *answer;      /* a choice label as written, "yes"/"no", the record answer or "done"; NULL: none */
    char *answered_by; /* a handle, "logs", NULL for a conclusion */
    int64_t time_ms;   /* when answered (reached, for the conclusion) */
    cb_walk_evidence *evidence; /* a check the logs answered: the lines shown */
    size_t nevidence;
    cb_walk_coaching *coach; /* NULL when no coach question was asked */
} cb_walk_step;

/* Steps recorded so far (the current node of an unfinished walk is not one yet). */
size_t cb_walk_step_count(const cb_walk *w);
/* The i-th step (0-based) or NULL. */
const cb_walk_step *cb_walk_step_at(const cb_walk *w, size_t i);

/*
 * The value of a variable as the walk sees it now: a record answer on the
 * path, else the triage's capture or {{bundle}}, else a value saved in a
 * resumed transcript.  NULL when unknown.  Owned by the walk or the triage,
 * valid until the walk changes.
 */
const char *cb_walk_var(const cb_walk *w, const char *name);

typedef struct cb_walk_summary {
    size_t steps;
    size_t coach_questions; /* coach stages completed */
    size_t right_first_time;
    size_t hints_used;
    size_t reveals;
    bool concluded_without_reveal;
} cb_walk_summary;

/* The numbers of the transcript's "summary" (steps counts the current node of an unfinished walk). */
void cb_walk_get_summary(const cb_walk *w, cb_walk_summary *s);

/*
 * The transcript (the format is documented in docs/cli-walk.md):
 * {"casebook_transcript": 1, "playbook", "playbook_hash", "playbook_path",
 * "bundle", "bundle_fingerprint", "engineer", "mode", "started", "updated", "status",
 * "stopped_at", "conclusion", "variables", "steps", "summary"}.  A walk that
 * has not ended is saved as "stopped" at its current node, which is the last
 * step, with a null answer (and the coach attempts made so far).  Text from
 * logs and answers is made valid UTF-8.  Returns a new reference (release
 * with json_decref), NULL when out of memory.
 */
json_t *cb_walk_to_json(cb_walk *w);

/* What cb_walk_resume did. */
typedef struct cb_walk_replay {
    bool playbook_changed; /* the transcript's playbook_hash is not the playbook's */
    size_t saved;          /* answered steps in the transcript */
    size_t replayed;       /* of them, replayed */
    char **warnings;       /* one sentence each, lowercase, no full stop */
    size_t nwarnings, capwarnings;
} cb_walk_replay;

/* Free the warnings and zero *r.  Accepts NULL. */
void cb_walk_replay_release(cb_walk_replay *r);

/*
 * Continue a saved walk: restart w (a new walk of the same playbook: its id
 * must be the transcript's) from the start node and replay the transcript's
 * answers by node id, as long as the walk reaches nodes that have a saved
 * answer still valid for them (a choice that still exists, a coach question
 * that is still there); it continues from the first node without one.
 * Checks the walk's logs can answer are answered by the logs again; others
 * take the saved answer.  Keeps the transcript's start time, and its
 * variables as fallback values (for a walk resumed without the bundle).
 * When the playbook changed (another hash), or saved answers no longer
 * apply, *rep (not NULL; release with cb_walk_replay_release) has warnings.
 * Returns CB_OK; CB_EPARSE for a transcript that is not one (err says what is
 * wrong); CB_EINVAL when it is a walk of another playbook; CB_ENOMEM.
 */
cb_status cb_walk_resume(cb_walk *w, const json_t *transcript, cb_walk_replay *rep, cb_error *err);

/* ------------------------------------------------------------------ */
/* Answers files (`casebook walk --answers FILE`)                      */
/* ------------------------------------------------------------------ */

typedef struct cb_answer_entry {
    char *node;
    char *text;
    int line, col; /* where the value starts; 0 when unknown (JSON) */
} cb_answer_entry;

typedef struct cb_coach_entry {
    char *node;
    char **attempts; /* in order */
    size_t nattempts;
    int line, col;
} cb_coach_entry;

typedef struct cb_answers {
    cb_answer_entry *answers; /* in file order */
    size_t nanswers;
    cb_coach_entry *coach; /* in file order */
    size_t ncoach;
} cb_answers;

/*
 * Read an answers file: a YAML or JSON mapping of node id to answer, with
 * coach attempts under `coach` (node id -> list of answers, or one answer),
 * as docs/playbook-format.md describes.  JSON is recognised by its first
 * non-blank character being `{`.  Scalars are read as written (`yes` is the
 * word).  On CB_OK *out owns the answers (free with cb_answers_free).
 * Errors carry file:line:col: CB_EPARSE (syntax: libyaml's or jansson's
 * words; not a mapping; a value that is not text; a node answered twice),
 * CB_ELIMIT (larger than 4 MiB), CB_ENOTFOUND / CB_EIO, CB_ENOMEM.
 */
cb_status cb_answers_load(const char *path, cb_answers **out, cb_error *err);

/* The answer for a node, or NULL.  Owned by a. */
const cb_answer_entry *cb_answers_get(const cb_answers *a, const char *node);
/* The coach attempts for a node, or NULL.  Owned by a. */
const cb_coach_entry *cb_answers_coach(const cb_answers *a, const char *node);

/* Free everything.  Accepts NULL. */
void cb_answers_free(cb_answers *a);

#ifdef __cplusplus
}
#endif
#endif
