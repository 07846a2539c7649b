/*
 * walk_int.h — what the walk's files share (not installed): the walk's
 * state (walk.c runs it, transcript.c saves and resumes it).
 */
#ifndef CB_WALK_WALK_INT_H
#define CB_WALK_WALK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/walk.h"

enum {
    MAX_ANSWERS_FILE = 4 << 20, /* as for playbooks: an answers file is small hand-written text */
    DEFAULT_EVIDENCE = 2,
};

/* One answer fed to the walk, kept so that the walk can be rebuilt without its last answers. */
typedef struct input {
    int node;
    cb_walk_stage stage;
    char *text; /* NULL: the logs' answer */
    char *who;
    int64_t time;
    bool ends_stage; /* accepted or revealed, as opposed to a wrong coach attempt */
} input;

/* Strings handed out until the next call of one kind (prompt or result). */
typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

struct cb_walk {
    const cb_playbook *pb;
    cb_walk_mode mode;
    const cb_triage *t;
    const cb_finding *f;
    char *bundle, *bundle_fp, *engineer;
    size_t max_evidence;
    int64_t (*now_ms)(void *ctx);
    void *now_ctx;
    int64_t started, updated;
    json_t *saved_vars; /* variables of a resumed transcript: values the walk cannot derive any more */

    input *in;
    size_t nin, capin;

    cb_walk_status status;
    int cur;
    cb_walk_stage stage;
    int64_t arrived;
    cb_walk_coaching *coach; /* the current node's coach record, moved into its step when answered */
    cb_walk_step *steps;
    size_t nsteps, capsteps;
    /*
     * No node is entered twice without a person's answer in between: visit[i]
     * is the `epoch` in which node i was last entered, and every answer a
     * person gives starts a new epoch.  Sound trees (check_tree) never trip
     * this; it is what stops a tree changed under a walk from looping.
     */
    unsigned *visit;
    unsigned epoch;

    strlist pstr;          /* prompt texts */
    const char **pchoices; /* prompt choices (the strings are in pstr) */
    cb_walk_evidence *pev; /* prompt evidence */
    size_t npev;
    strlist rstr; /* result texts */
};

/* walk.c, for transcript.c */
int64_t cb__walk_now(const cb_walk *w);
bool cb__walk_parse_iso(const char *s, int64_t *ms);
char *cb__walk_node_question(cb_walk *w, const cb_node *n, size_t *unknown);
void cb__walk_step_release(cb_walk_step *s);
cb_status cb__walk_node_choices(cb_walk *w, const cb_node *n, char ***out, size_t *nout, size_t *unknown);
/* Forget every step and go back to the start node, as a new walk. */
cb_status cb__walk_restart(cb_walk *w);
void cb__walk_inputs_truncate(cb_walk *w, size_t n);
/* A short, printable rendering of an answer for messages, in buf. */
const char *cb__walk_shorten(const char *s, char *buf, size_t size);
/* Answer and log the input, so that back and save can rebuild the walk. */
cb_status cb__walk_answer_logged(cb_walk *w, const char *text, const char *who, int64_t time, cb_walk_result *res);
/* The current node of an unfinished walk counts as a step of the transcript. */
bool cb__walk_has_pending(const cb_walk *w);

#endif
