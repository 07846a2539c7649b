/*
 * fuzz_answers.c — libFuzzer target for the answers-file loader
 * (cb_answers_load, casebook/walk.h) and the walk it drives.
 *
 * The input is an answers file's contents (YAML or JSON).  When it loads,
 * its answers drive a walk of a shipped playbook (cb_walk_*), the way
 * `casebook walk --answers` does: at each stage the answer given for the
 * current node, or the walk stops; coach attempts too, in coach mode; then
 * the transcript is made.  Properties besides no crash and no leak: a failed
 * load returns nothing and says why; every entry names a node and has text;
 * the walk never takes more steps than answers were given (no loop); every
 * string of the transcript is display-safe (fuzz_check_display_safe, keeping
 * TAB and LF), since answers are untrusted text that `walk --resume` shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/playbook.h"
#include "casebook/walk.h"
#include "fuzz_util.h"

#ifndef CB_SOURCE_ROOT
#error CB_SOURCE_ROOT must be defined
#endif

static cb_playbook *the_pb;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    cb_diags d;
    cb_diags_init(&d);
    /* A playbook with check, ask, do (with record) and conclude nodes, and coach questions. */
    const char *path = CB_SOURCE_ROOT "/examples/playbooks/veeam/replication-mtu-mismatch.yaml";
    if (cb_playbook_load(path, &the_pb, &d) != CB_OK)
        fuzz_fail("harness", "cannot load %s", path);
    cb_diags_release(&d);
    return 0;
}

/* Every string in j (keys included) must be display-safe. */
static void check_json(const json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;
    switch (json_typeof(j)) {
    case JSON_STRING:
        fuzz_check_display_safe("cb_walk_to_json", json_string_value(j), json_string_length(j), "\t\n");
        break;
    case JSON_OBJECT:
        json_object_foreach((json_t *)j, key, v)
        {
            fuzz_check_display_safe("cb_walk_to_json (key)", key, strlen(key), "");
            check_json(v);
        }
        break;
    case JSON_ARRAY:
        json_array_foreach(j, i, v) check_json(v);
        break;
    default:
        break;
    }
}

static void walk(const cb_answers *a, cb_walk_mode mode)
{
    cb_walk_opts opts;
    cb_walk_opts_init(&opts);
    opts.mode = mode;
    cb_walk *w = NULL;
    cb_error err;
    if (cb_walk_new(the_pb, &opts, &w, &err) != CB_OK)
        fuzz_fail("cb_walk_new", "%s", err.msg);
    size_t budget = 2 * (a->nanswers + 1);
    for (size_t i = 0; i < a->ncoach; i++)
        budget += a->coach[i].nattempts;
    size_t coach_used[64] = {0};
    for (size_t steps = 0;; steps++) {
        cb_walk_prompt p;
        if (cb_walk_current(w, &p) != CB_OK || p.stage == CB_WALK_STAGE_END)
            break;
        if (steps > budget)
            fuzz_fail("cb_walk", "more than %zu steps for %zu answers: a loop", budget, a->nanswers);
        const char *id = p.n->id, *text = NULL;
        if (p.stage == CB_WALK_STAGE_COACH) {
            const cb_coach_entry *c = cb_answers_coach(a, id);
            size_t ci = c ? (size_t)(c - a->coach) % 64 : 0;
            if (c && coach_used[ci] < c->nattempts)
                text = c->attempts[coach_used[ci]++];
        } else {
            const cb_answer_entry *e = cb_answers_get(a, id);
            /* As `casebook walk --answers`: a do node's own stage is "done", its text the record answer. */
            text = !e ? NULL : p.stage == CB_WALK_STAGE_NODE && p.kind == CB_NODE_DO ? "done" : e->text;
        }
        if (!text)
            break;
        cb_walk_result res;
        if (cb_walk_answer(w, text, NULL, &res) != CB_OK)
            fuzz_fail("cb_walk_answer", "failed on an active walk");
        if (res.verdict == CB_ANSWER_INVALID) {
            if (!res.message)
                fuzz_fail("cb_walk_answer", "invalid without a message");
            break;
        }
    }
    json_t *j = cb_walk_to_json(w);
    if (!j)
        fuzz_fail("cb_walk_to_json", "returned NULL");
    check_json(j);
    json_decref(j);
    cb_walk_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("answers.yaml", data, size);
    cb_answers *a = NULL;
    cb_error err;
    cb_status st = cb_answers_load(path, &a, &err);
    if (st != CB_OK) {
        if (a)
            fuzz_fail("cb_answers_load", "failed with %d but returned answers", (int)st);
        if (!err.msg[0])
            fuzz_fail("cb_answers_load", "failed with %d without a message", (int)st);
        return 0;
    }
    for (size_t i = 0; i < a->nanswers; i++) {
        if (!a->answers[i].node || !a->answers[i].text)
            fuzz_fail("cb_answers_load", "answer %zu without node or text", i);
        if (cb_answers_get(a, a->answers[i].node) == NULL)
            fuzz_fail("cb_answers_get", "cannot find node '%s' it loaded", a->answers[i].node);
    }
    for (size_t i = 0; i < a->ncoach; i++)
        for (size_t k = 0; k < a->coach[i].nattempts; k++)
            if (!a->coach[i].attempts[k])
                fuzz_fail("cb_answers_load", "coach attempt without text");
    walk(a, CB_WALK_GUIDE);
    walk(a, CB_WALK_COACH);
    cb_answers_free(a);
    return 0;
}
