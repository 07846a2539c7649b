/*
 * test_walk.c — unit tests for the walk state machine (walk.h): every
 * root-to-conclusion path of every example playbook walked with generated
 * answers, in guide and in coach mode, with its transcript parsed back and
 * resumed; coach grading (right first time, hints in order, the reveal, free
 * text keywords, no expect); back across stages; checks answered by a real
 * triage of a tiny bundle; halting; resuming against a changed playbook; and
 * answers files (YAML, JSON, and their errors with line:column).
 *
 * Playbooks and bundles made up for a test are written into a temporary
 * directory removed by the teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/triage.h"
#include "casebook/walk.h"

#ifndef CB_SOURCE_ROOT
#define CB_SOURCE_ROOT "."
#endif

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static char tmpdir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb-walk-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write text to tmpdir/name (folders are made); returns the path in a static ring. */
static const char *write_tmp(const char *name, const char *text)
{
    static char ring[4][512];
    static unsigned next;
    char *path = ring[next++ % 4];
    snprintf(path, sizeof ring[0], "%s/%s", tmpdir, name);
    for (char *s = path + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return path;
}

static cb_playbook *load_text(const char *name, const char *text)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = NULL;
    cb_status st = cb_playbook_load(write_tmp(name, text), &pb, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "  diag: %d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    assert_int_equal(st, CB_OK);
    cb_diags_release(&d);
    return pb;
}

/* A clock that ticks one second per reading, from 2024-03-12T10:00:00Z: transcripts are reproducible. */
static int64_t fake_now(void *ctx)
{
    int64_t *t = ctx;
    return *t += 1000;
}

static cb_walk *new_walk(const cb_playbook *pb, cb_walk_mode mode, const cb_triage *t, int64_t *clock)
{
    cb_walk_opts o;
    cb_walk_opts_init(&o);
    o.mode = mode;
    o.triage = t;
    o.engineer = "tester";
    o.now_ms = fake_now;
    o.now_ctx = clock;
    cb_walk *w = NULL;
    cb_error err;
    assert_int_equal(cb_walk_new(pb, &o, &w, &err), CB_OK);
    return w;
}

static cb_walk_result answer(cb_walk *w, const char *text)
{
    cb_walk_result r;
    assert_int_equal(cb_walk_answer(w, text, NULL, &r), CB_OK);
    return r;
}

static void expect_at(cb_walk *w, const char *node, cb_walk_stage stage)
{
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_non_null(p.n);
    assert_string_equal(p.n->id, node);
    assert_int_equal(p.stage, stage);
}

/* The transcript as text and parsed back, as a reader of the saved file would see it. */
static json_t *roundtrip(cb_walk *w)
{
    json_t *j = cb_walk_to_json(w);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_non_null(text);
    json_decref(j);
    json_error_t je;
    json_t *back = json_loads(text, 0, &je);
    free(text);
    assert_non_null(back);
    return back;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Every key of the documented transcript, with its type. */
static void check_schema(const json_t *j)
{
    static const char *const top[] = {"casebook_transcript",
                                      "playbook",
                                      "playbook_hash",
                                      "playbook_path",
                                      "bundle",
                                      "bundle_fingerprint",
                                      "engineer",
                                      "mode",
                                      "started",
                                      "updated",
                                      "status",
                                      "stopped_at",
                                      "conclusion",
                                      "variables",
                                      "steps",
                                      "summary"};
    assert_int_equal(json_object_size(j), sizeof top / sizeof top[0]);
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        assert_non_null(json_object_get(j, top[i]));
    assert_int_equal(json_integer_value(json_object_get(j, "casebook_transcript")), 1);
    assert_int_equal(strlen(jstr(j, "playbook_hash")), 64);
    assert_true(json_is_object(json_object_get(j, "variables")));
    assert_true(json_is_string(json_object_get(j, "started")));
    static const char *const step_keys[] = {"node",        "kind", "question", "choices", "answer",
                                            "answered_by", "time", "evidence", "coach"};
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(j, "steps"), i, s)
    {
        assert_int_equal(json_object_size(s), sizeof step_keys / sizeof step_keys[0]);
        for (size_t k = 0; k < sizeof step_keys / sizeof step_keys[0]; k++)
            assert_non_null(json_object_get(s, step_keys[k]));
        assert_true(json_is_array(json_object_get(s, "choices")));
        assert_true(json_is_array(json_object_get(s, "evidence")));
        const json_t *c = json_object_get(s, "coach");
        if (!json_is_null(c)) {
            static const char *const ck[] = {"question",   "expect",   "attempts",
                                             "hints_used", "revealed", "right_first_time"};
            for (size_t k = 0; k < sizeof ck / sizeof ck[0]; k++)
                assert_non_null(json_object_get(c, ck[k]));
        }
    }
    static const char *const sk[] = {"steps",      "coach_questions", "right_first_time",
                                     "hints_used", "reveals",         "concluded_without_reveal"};
    for (size_t k = 0; k < sizeof sk / sizeof sk[0]; k++)
        assert_non_null(json_object_get(json_object_get(j, "summary"), sk[k]));
}

/* ------------------------------------------------------------------ */
/* every path of every example playbook                                */
/* ------------------------------------------------------------------ */

/* One step of a path: the node and the answer that leaves it along the path (NULL at the conclusion). */
typedef struct hop {
    int node;
    const char *answer;
} hop;

typedef struct paths_ctx {
    const cb_playbook *pb;
    cb_walk_mode mode;
    size_t walked;
} paths_ctx;

static void walk_path(paths_ctx *c, const hop *path, size_t n)
{
    const cb_playbook *pb = c->pb;
    int64_t clock = 1710237600000; /* 2024-03-12T10:00:00Z */
    cb_walk *w = new_walk(pb, c->mode, NULL, &clock);
    char note[128];
    for (size_t i = 0; i + 1 < n; i++) {
        const cb_node *node = &pb->nodes[path[i].node];
        if (c->mode == CB_WALK_COACH && node->coach) {
            expect_at(w, node->id, CB_WALK_STAGE_COACH);
            /* The first expected answer, or anything when there is none. */
            const char *a = node->coach->nexpect ? node->coach->expect[0].s : "whatever comes to mind";
            cb_walk_result r = answer(w, a);
            assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
            assert_true(r.correct);
        }
        expect_at(w, node->id, CB_WALK_STAGE_NODE);
        cb_walk_result r = answer(w, path[i].answer);
        if (r.verdict != CB_ANSWER_ACCEPTED)
            fprintf(stderr, "%s: node %s answer '%s': %s\n", pb->id.s, node->id, path[i].answer, r.message);
        assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
        if (node->kind == CB_NODE_DO && node->record.s) {
            expect_at(w, node->id, CB_WALK_STAGE_RECORD);
            snprintf(note, sizeof note, "note for %s", node->id);
            assert_int_equal(answer(w, note).verdict, CB_ANSWER_ACCEPTED);
            assert_string_equal(cb_walk_var(w, node->id), note);
        }
    }
    const cb_node *last = &pb->nodes[path[n - 1].node];
    if (c->mode == CB_WALK_COACH && last->coach) {
        const char *a = last->coach->nexpect ? last->coach->expect[0].s : "noted";
        assert_int_equal(answer(w, a).verdict, CB_ANSWER_ACCEPTED);
    }
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);

    /* The steps are the path, answer for answer. */
    assert_int_equal(cb_walk_step_count(w), n);
    for (size_t i = 0; i < n; i++) {
        const cb_walk_step *s = cb_walk_step_at(w, i);
        assert_int_equal(s->node, path[i].node);
        if (i + 1 < n && pb->nodes[path[i].node].kind != CB_NODE_DO)
            assert_string_equal(s->answer, path[i].answer);
    }
    json_t *j = roundtrip(w);
    check_schema(j);
    assert_string_equal(jstr(j, "status"), "concluded");
    assert_string_equal(jstr(j, "conclusion"), last->id);
    assert_true(json_is_null(json_object_get(j, "stopped_at")));
    assert_string_equal(jstr(j, "mode"), c->mode == CB_WALK_COACH ? "coach" : "guide");
    json_t *steps = json_object_get(j, "steps");
    assert_int_equal(json_array_size(steps), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(jstr(json_array_get(steps, i), "node"), pb->nodes[path[i].node].id);
    json_t *sum = json_object_get(j, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "steps")), n);
    assert_true(json_is_true(json_object_get(sum, "concluded_without_reveal")));
    assert_int_equal(json_integer_value(json_object_get(sum, "right_first_time")),
                     json_integer_value(json_object_get(sum, "coach_questions")));

    /* Resuming the finished transcript replays all of it, silently. */
    cb_walk *again = new_walk(pb, c->mode, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(again, j, &rep, &err), CB_OK);
    assert_false(rep.playbook_changed);
    assert_int_equal(rep.nwarnings, 0);
    assert_int_equal(rep.replayed, rep.saved);
    assert_int_equal(cb_walk_get_status(again), CB_WS_CONCLUDED);
    assert_int_equal(cb_walk_step_count(again), n);
    json_t *j2 = roundtrip(again);
    assert_true(json_equal(json_object_get(j, "steps"), json_object_get(j2, "steps")));
    assert_string_equal(jstr(j, "started"), jstr(j2, "started"));
    json_decref(j2);
    cb_walk_replay_release(&rep);
    cb_walk_free(again);
    json_decref(j);
    cb_walk_free(w);
    c->walked++;
}

/* Depth-first over the tree: each check branch, each choice label, each do node's next. */
static void each_path(paths_ctx *c, hop *path, size_t depth, int node)
{
    const cb_playbook *pb = c->pb;
    assert_true(node >= 0);
    assert_true(depth < pb->nnodes + 1); /* the examples have no cycles: lint says so */
    const cb_node *n = &pb->nodes[node];
    path[depth].node = node;
    path[depth].answer = NULL;
    switch (n->kind) {
    case CB_NODE_CONCLUDE:
        walk_path(c, path, depth + 1);
        break;
    case CB_NODE_CHECK:
        path[depth].answer = "yes";
        each_path(c, path, depth + 1, n->yes.index);
        path[depth].node = node;
        path[depth].answer = "no";
        each_path(c, path, depth + 1, n->no.index);
        break;
    case CB_NODE_ASK:
        for (size_t i = 0; i < n->nchoices; i++) {
            path[depth].node = node;
            path[depth].answer = n->choices[i].label.s;
            each_path(c, path, depth + 1, n->choices[i].target.index);
        }
        break;
    case CB_NODE_DO:
        path[depth].answer = "done";
        each_path(c, path, depth + 1, n->next.index);
        break;
    }
}

static void walk_every_path(cb_walk_mode mode)
{
    cb_library lib;
    cb_diags d;
    cb_library_init(&lib);
    cb_diags_init(&d);
    assert_int_equal(cb_library_add_path(&lib, CB_SOURCE_ROOT "/examples/playbooks", &d), CB_OK);
    assert_int_equal(d.n, 0);
    assert_true(lib.n > 0);
    size_t total = 0;
    for (size_t i = 0; i < lib.n; i++) {
        paths_ctx c = {.pb = lib.playbooks[i], .mode = mode};
        hop *path = calloc(c.pb->nnodes + 2, sizeof *path);
        assert_non_null(path);
        each_path(&c, path, 0, c.pb->start.index);
        free(path);
        assert_true(c.walked > 0);
        total += c.walked;
    }
    fprintf(stderr, "    %s: %zu paths through %zu playbooks walked to their conclusions\n",
            mode == CB_WALK_COACH ? "coach" : "guide", total, lib.n);
    cb_library_release(&lib);
    cb_diags_release(&d);
}

static void test_every_example_path_guide(void **state)
{
    (void)state;
    walk_every_path(CB_WALK_GUIDE);
}

static void test_every_example_path_coach(void **state)
{
    (void)state;
    walk_every_path(CB_WALK_COACH);
}

/* ------------------------------------------------------------------ */
/* coach grading                                                       */
/* ------------------------------------------------------------------ */

static const char coach_pb[] = "casebook: 1\n"
                               "id: coach-test\n"
                               "title: Coach grading\n"
                               "signatures:\n"
                               "  err:\n"
                               "    pattern: 'ERROR (?<host>[a-z0-9.-]+)'\n"
                               "    describe: an error naming a host\n"
                               "start: first\n"
                               "nodes:\n"
                               "  first:\n"
                               "    check: err\n"
                               "    min: 2\n"
                               "    coach:\n"
                               "      ask: Which layer?\n"
                               "      choices: [application, network, storage]\n"
                               "      expect: network\n"
                               "      hints:\n"
                               "        - Hint one\n"
                               "        - Hint two about {{host}}\n"
                               "    yes: pick\n"
                               "    no: ruled-out\n"
                               "  pick:\n"
                               "    ask: Which way on {{host}}?\n"
                               "    coach:\n"
                               "      ask: What do you suspect?\n"
                               "      expect: [mtu, fragment]\n"
                               "      hints: [Think about packet size]\n"
                               "    choices:\n"
                               "      capture: capture\n"
                               "      \"rule it out\": ruled-out\n"
                               "  capture:\n"
                               "    do: Capture traffic\n"
                               "    record: What did it show?\n"
                               "    coach:\n"
                               "      ask: Anything to add before you capture?\n"
                               "    next: end\n"
                               "  end:\n"
                               "    conclude: Finished with {{capture}} on {{host}} in {{bundle}}\n"
                               "    cause: It was {{capture}}\n"
                               "    resolution: Fix it\n"
                               "    article: KB-1\n"
                               "  ruled-out:\n"
                               "    conclude: Not this\n"
                               "    dead-end: true\n";

static void test_coach_right_first_time(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.stage, CB_WALK_STAGE_COACH);
    assert_string_equal(p.text, "Which layer?");
    assert_int_equal(p.nchoices, 3);
    assert_string_equal(p.choices[1], "network");
    cb_walk_result r = answer(w, "NETWORK");
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    assert_true(r.graded);
    assert_true(r.correct);
    assert_string_equal(r.answer, "network");
    /* Only now is the node itself shown: a check asked of the engineer, with the signature's words. */
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.stage, CB_WALK_STAGE_NODE);
    assert_string_equal(
        p.text, "Do the logs show this (at least 2 matching lines)?\n  - err: an error naming a host");
    assert_null(p.logs_answer);
    assert_int_equal(p.nchoices, 2);
    assert_int_equal(answer(w, "y").verdict, CB_ANSWER_ACCEPTED);
    const cb_walk_step *s = cb_walk_step_at(w, 0);
    assert_string_equal(s->answer, "yes");
    assert_string_equal(s->answered_by, "tester");
    assert_non_null(s->coach);
    assert_int_equal(s->coach->nattempts, 1);
    assert_true(s->coach->right_first_time);
    assert_int_equal(s->coach->hints_used, 0);
    assert_false(s->coach->revealed);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

static void test_coach_hints_in_order_then_reveal(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_COACH, NULL, &clock);

    /* Not a choice: refused, and it does not count as an attempt. */
    cb_walk_result r = answer(w, "database");
    assert_int_equal(r.verdict, CB_ANSWER_INVALID);
    assert_non_null(strstr(r.message, "not one of the choices"));
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.attempts, 0);

    r = answer(w, "storage");
    assert_int_equal(r.verdict, CB_ANSWER_WRONG);
    assert_false(r.correct);
    assert_int_equal(r.hint_number, 1);
    assert_int_equal(r.nhints, 2);
    assert_string_equal(r.hint, "Hint one");
    r = answer(w, "1"); /* application, by number */
    assert_int_equal(r.verdict, CB_ANSWER_WRONG);
    assert_int_equal(r.hint_number, 2);
    assert_string_equal(r.hint, "Hint two about {{host}}"); /* no bundle: the variable stays visible */
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.stage, CB_WALK_STAGE_COACH);
    assert_int_equal(p.attempts, 2);
    assert_int_equal(p.hints_used, 2);
    /* Wrong after the last hint: the answer is revealed and the node is shown. */
    r = answer(w, "storage");
    assert_int_equal(r.verdict, CB_ANSWER_REVEALED);
    assert_string_equal(r.expected, "network");
    expect_at(w, "first", CB_WALK_STAGE_NODE);
    assert_int_equal(answer(w, "no").verdict, CB_ANSWER_ACCEPTED);
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);

    const cb_walk_coaching *c = cb_walk_step_at(w, 0)->coach;
    assert_int_equal(c->nattempts, 3);
    assert_string_equal(c->attempts[0].answer, "storage");
    assert_string_equal(c->attempts[0].hint, "Hint one");
    assert_string_equal(c->attempts[1].answer, "application");
    assert_string_equal(c->attempts[1].hint, "Hint two about {{host}}");
    assert_null(c->attempts[2].hint);
    assert_int_equal(c->hints_used, 2);
    assert_true(c->revealed);
    assert_false(c->right_first_time);

    cb_walk_summary s;
    cb_walk_get_summary(w, &s);
    assert_int_equal(s.steps, 2);
    assert_int_equal(s.coach_questions, 1);
    assert_int_equal(s.right_first_time, 0);
    assert_int_equal(s.hints_used, 2);
    assert_int_equal(s.reveals, 1);
    assert_false(s.concluded_without_reveal);

    json_t *j = roundtrip(w);
    check_schema(j);
    json_t *cj = json_object_get(json_array_get(json_object_get(j, "steps"), 0), "coach");
    assert_string_equal(jstr(json_array_get(json_object_get(cj, "attempts"), 1), "hint_given"),
                        "Hint two about {{host}}");
    assert_true(
        json_is_false(json_object_get(json_array_get(json_object_get(cj, "attempts"), 0), "correct")));
    assert_true(json_is_true(json_object_get(cj, "revealed")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(cj, "expect"), 0)), "network");
    json_decref(j);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

static void test_coach_wrong_then_right_and_free_text(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    assert_int_equal(answer(w, "storage").verdict, CB_ANSWER_WRONG);
    cb_walk_result r = answer(w, "Network");
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    assert_true(r.correct);
    assert_int_equal(answer(w, "yes").verdict, CB_ANSWER_ACCEPTED);

    /* Free text: right when one keyword appears, in any case. */
    expect_at(w, "pick", CB_WALK_STAGE_COACH);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.nchoices, 0);
    r = answer(w, "a firewall in between");
    assert_int_equal(r.verdict, CB_ANSWER_WRONG);
    assert_string_equal(r.hint, "Think about packet size");
    r = answer(w, "  Packets need to FRAGMENT somewhere  ");
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    assert_true(r.correct);
    assert_string_equal(r.answer, "Packets need to FRAGMENT somewhere"); /* blanks around are dropped */
    assert_int_equal(answer(w, "Capture").verdict, CB_ANSWER_ACCEPTED);

    /* No expect: every answer is accepted, ungraded. */
    expect_at(w, "capture", CB_WALK_STAGE_COACH);
    r = answer(w, "nothing really");
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    assert_false(r.graded);
    assert_int_equal(answer(w, "ok").verdict, CB_ANSWER_INVALID); /* a do node waits for "done" */
    assert_int_equal(answer(w, "DONE").verdict, CB_ANSWER_ACCEPTED);
    expect_at(w, "capture", CB_WALK_STAGE_RECORD);
    assert_int_equal(answer(w, "   ").verdict, CB_ANSWER_INVALID);
    assert_int_equal(answer(w, "retransmissions").verdict, CB_ANSWER_ACCEPTED);
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);

    /* The conclusion's texts have the record answer filled in; unknown values stay visible. */
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.stage, CB_WALK_STAGE_END);
    assert_string_equal(p.text, "Finished with retransmissions on {{host}} in {{bundle}}");
    assert_int_equal(p.unknown, 2);
    assert_string_equal(p.cause, "It was retransmissions");
    assert_string_equal(p.article, "KB-1");

    /* A second wrong free-text answer after the only hint reveals the keywords. */
    cb_walk *w2 = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    answer(w2, "network");
    answer(w2, "yes");
    assert_int_equal(answer(w2, "dns").verdict, CB_ANSWER_WRONG);
    r = answer(w2, "still dns");
    assert_int_equal(r.verdict, CB_ANSWER_REVEALED);
    assert_string_equal(r.expected, "mtu or fragment");

    cb_walk_summary s;
    cb_walk_get_summary(w, &s);
    assert_int_equal(s.coach_questions, 3);
    assert_int_equal(s.right_first_time, 1); /* the ungraded one */
    assert_int_equal(s.hints_used, 2);
    assert_int_equal(s.reveals, 0);
    assert_true(s.concluded_without_reveal);
    cb_walk_free(w2);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* back                                                                */
/* ------------------------------------------------------------------ */

static void test_back_in_guide_mode(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, NULL, &clock);
    assert_int_equal(cb_walk_back(w), CB_ENOTFOUND);
    expect_at(w, "first", CB_WALK_STAGE_NODE);
    answer(w, "yes");
    answer(w, "capture");
    answer(w, "done");
    expect_at(w, "capture", CB_WALK_STAGE_RECORD);
    /* From the record question back to "done?" of the same node. */
    assert_int_equal(cb_walk_back(w), CB_OK);
    expect_at(w, "capture", CB_WALK_STAGE_NODE);
    assert_int_equal(cb_walk_step_count(w), 2);
    answer(w, "done");
    answer(w, "first capture");
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);
    assert_string_equal(cb_walk_var(w, "capture"), "first capture");
    /* A concluded walk can go back too: the record answer is undone, and its value with it. */
    assert_int_equal(cb_walk_back(w), CB_OK);
    assert_int_equal(cb_walk_get_status(w), CB_WS_ACTIVE);
    expect_at(w, "capture", CB_WALK_STAGE_RECORD);
    assert_null(cb_walk_var(w, "capture"));
    assert_int_equal(cb_walk_back(w), CB_OK);
    assert_int_equal(cb_walk_back(w), CB_OK);
    expect_at(w, "pick", CB_WALK_STAGE_NODE);
    answer(w, "rule it out");
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);
    assert_int_equal(cb_walk_step_count(w), 3);
    assert_string_equal(cb_walk_step_at(w, 1)->answer, "rule it out");
    cb_walk_free(w);
    cb_playbook_free(pb);
}

static void test_back_across_coach_stages(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    answer(w, "storage"); /* wrong, hint 1 */
    answer(w, "network");
    expect_at(w, "first", CB_WALK_STAGE_NODE);
    answer(w, "yes");
    expect_at(w, "pick", CB_WALK_STAGE_COACH);
    answer(w, "dns"); /* a pending wrong attempt */

    /* Back from pick's coach question undoes first's answer; pick's pending attempt goes too. */
    assert_int_equal(cb_walk_back(w), CB_OK);
    expect_at(w, "first", CB_WALK_STAGE_NODE);
    assert_int_equal(cb_walk_step_count(w), 0);
    /* first's coach record survives: it belongs to the answer before. */
    answer(w, "yes");
    const cb_walk_coaching *c = cb_walk_step_at(w, 0)->coach;
    assert_int_equal(c->nattempts, 2);
    assert_int_equal(c->hints_used, 1);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.attempts, 0);

    /* Back twice: first's answer, then its coach answer with its wrong attempt. */
    assert_int_equal(cb_walk_back(w), CB_OK);
    assert_int_equal(cb_walk_back(w), CB_OK);
    expect_at(w, "first", CB_WALK_STAGE_COACH);
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.attempts, 0);
    assert_int_equal(p.hints_used, 0);
    assert_int_equal(cb_walk_back(w), CB_ENOTFOUND);
    assert_int_equal(answer(w, "network").verdict, CB_ANSWER_ACCEPTED);
    answer(w, "yes");
    assert_true(cb_walk_step_at(w, 0)->coach->right_first_time);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* checks answered by the logs                                         */
/* ------------------------------------------------------------------ */

static cb_triage *triage_tmp_bundle(cb_playbook *pb, const char *bundle)
{
    cb_library one = {.playbooks = &pb, .n = 1, .cap = 1};
    cb_triage_opts to;
    cb_triage_opts_init(&to);
    to.scan.threads = 1;
    cb_triage *t = NULL;
    cb_error err;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, bundle);
    assert_int_equal(cb_triage_run(&one, path, &to, &t, &err), CB_OK);
    return t;
}

static void test_logs_answer_checks(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    write_tmp("bundle-a/app.log", "2024-03-12T10:00:00Z ERROR db01.example\n"
                                  "2024-03-12T10:00:01Z INFO fine\n"
                                  "2024-03-12T10:00:02Z ERROR db01.example\n"
                                  "2024-03-12T10:00:03Z ERROR web02\n");
    cb_triage *t = triage_tmp_bundle(pb, "bundle-a");
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, t, &clock);
    assert_true(cb_walk_has_logs(w));
    assert_int_equal(cb_walk_hits(w, 0), 3);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_string_equal(p.logs_answer, "yes");
    assert_int_equal(p.hits, 3);
    assert_int_equal(p.nevidence, 2);
    assert_int_equal(p.evidence[0].line, 1);
    assert_int_equal(p.evidence[1].line, 3);
    assert_string_equal(p.evidence[0].file, "app.log");
    cb_walk_result r = answer(w, NULL);
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    const cb_walk_step *s = cb_walk_step_at(w, 0);
    assert_string_equal(s->answered_by, "logs");
    assert_int_equal(s->nevidence, 2);
    assert_true(s->evidence[0].has_time);
    /* Variables come from the captures and the bundle's name. */
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_string_equal(p.text, "Which way on db01.example?");
    assert_int_equal(p.unknown, 0);
    /* Back skips over what the logs answered: nothing a person said yet. */
    assert_int_equal(cb_walk_back(w), CB_ENOTFOUND);
    answer(w, "capture");
    answer(w, "done");
    answer(w, "nothing");
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_string_equal(p.text, "Finished with nothing on db01.example in bundle-a");
    json_t *j = roundtrip(w);
    json_t *vars = json_object_get(j, "variables");
    assert_string_equal(jstr(vars, "host"), "db01.example");
    assert_string_equal(jstr(vars, "bundle"), "bundle-a");
    assert_string_equal(jstr(vars, "capture"), "nothing");
    json_t *ev =
        json_array_get(json_object_get(json_array_get(json_object_get(j, "steps"), 0), "evidence"), 1);
    assert_string_equal(jstr(ev, "file"), "app.log");
    assert_int_equal(json_integer_value(json_object_get(ev, "line")), 3);
    assert_string_equal(jstr(ev, "time"), "2024-03-12T10:00:02.000Z");
    assert_string_equal(jstr(ev, "text"), "2024-03-12T10:00:02Z ERROR db01.example");

    /* Resuming without the bundle: the logs' answer is replayed as saved, the values come from the file. */
    cb_walk *w2 = new_walk(pb, CB_WALK_GUIDE, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(w2, j, &rep, &err), CB_OK);
    assert_int_equal(rep.nwarnings, 0);
    assert_int_equal(cb_walk_get_status(w2), CB_WS_CONCLUDED);
    assert_string_equal(cb_walk_step_at(w2, 0)->answered_by, "logs");
    assert_int_equal(cb_walk_current(w2, &p), CB_OK);
    assert_string_equal(p.text, "Finished with nothing on db01.example in bundle-a");
    cb_walk_replay_release(&rep);
    cb_walk_free(w2);
    json_decref(j);
    cb_walk_free(w);
    cb_triage_free(t);

    /* Too few hits: the logs say no.  A NULL answer without logs is refused. */
    write_tmp("bundle-b/app.log", "2024-03-12T10:00:00Z ERROR one\n");
    t = triage_tmp_bundle(pb, "bundle-b");
    w = new_walk(pb, CB_WALK_GUIDE, t, &clock);
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_string_equal(p.logs_answer, "no");
    answer(w, NULL);
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);
    cb_walk_free(w);
    cb_triage_free(t);
    w = new_walk(pb, CB_WALK_GUIDE, NULL, &clock);
    assert_int_equal(answer(w, NULL).verdict, CB_ANSWER_INVALID);
    assert_int_equal(answer(w, "maybe").verdict, CB_ANSWER_INVALID);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* halting and saving                                                  */
/* ------------------------------------------------------------------ */

static void test_halt_and_pending_step(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    answer(w, "network");
    answer(w, "yes");
    answer(w, "dns"); /* pick's coach: wrong, hint given */
    /* An unfinished walk saves as stopped, with the current node last and its attempts so far. */
    json_t *j = roundtrip(w);
    check_schema(j);
    assert_string_equal(jstr(j, "status"), "stopped");
    assert_string_equal(jstr(j, "stopped_at"), "pick");
    assert_true(json_is_null(json_object_get(j, "conclusion")));
    json_t *last = json_array_get(json_object_get(j, "steps"), 1);
    assert_string_equal(jstr(last, "node"), "pick");
    assert_true(json_is_null(json_object_get(last, "answer")));
    assert_int_equal(json_array_size(json_object_get(json_object_get(last, "coach"), "attempts")), 1);

    /* Resume: the pending attempt is replayed, and the walk is back at pick's coach question. */
    cb_walk *w2 = new_walk(pb, CB_WALK_COACH, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(w2, j, &rep, &err), CB_OK);
    assert_int_equal(rep.saved, 1);
    assert_int_equal(rep.replayed, 1);
    assert_int_equal(rep.nwarnings, 0);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w2, &p), CB_OK);
    assert_int_equal(p.stage, CB_WALK_STAGE_COACH);
    assert_string_equal(p.n->id, "pick");
    assert_int_equal(p.attempts, 1);
    assert_int_equal(p.hints_used, 1);
    cb_walk_replay_release(&rep);
    cb_walk_free(w2);
    json_decref(j);

    assert_int_equal(cb_walk_halt(w, CB_WS_CONCLUDED), CB_EINVAL);
    assert_int_equal(cb_walk_halt(w, CB_WS_SKIPPED), CB_OK);
    cb_walk_result r;
    assert_int_equal(cb_walk_answer(w, "x", NULL, &r), CB_EINVAL);
    assert_int_equal(cb_walk_halt(w, CB_WS_QUIT), CB_EINVAL);
    j = roundtrip(w);
    assert_string_equal(jstr(j, "status"), "skipped");
    assert_string_equal(jstr(j, "stopped_at"), "pick");
    assert_string_equal(cb_walk_status_name(CB_WS_QUIT), "quit");
    json_decref(j);
    cb_walk_free(w);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* resuming against a changed playbook                                 */
/* ------------------------------------------------------------------ */

static const char base_pb[] = "casebook: 1\n"
                              "id: change-test\n"
                              "title: A playbook that changes\n"
                              "signatures: {}\n"
                              "start: one\n"
                              "nodes:\n"
                              "  one:\n"
                              "    ask: First?\n"
                              "    choices: {go: two, stop: end-a}\n"
                              "  two:\n"
                              "    ask: Second?\n"
                              "    choices: {left: three, right: end-b}\n"
                              "  three:\n"
                              "    do: Do it\n"
                              "    record: Result?\n"
                              "    next: four\n"
                              "  four:\n"
                              "    ask: Fourth, after {{three}}?\n"
                              "    choices: {up: end-a, down: end-b}\n"
                              "  end-a:\n"
                              "    conclude: A\n"
                              "  end-b:\n"
                              "    conclude: B\n";

/* Walk base_pb to node four and return the transcript. */
static json_t *saved_walk(const cb_playbook *pb, int64_t *clock)
{
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, NULL, clock);
    answer(w, "go");
    answer(w, "left");
    answer(w, "done");
    answer(w, "it worked");
    expect_at(w, "four", CB_WALK_STAGE_NODE);
    json_t *j = roundtrip(w);
    cb_walk_free(w);
    return j;
}

static void test_resume_unchanged_and_errors(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("base.yaml", base_pb);
    int64_t clock = 0;
    json_t *j = saved_walk(pb, &clock);
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(w, j, &rep, &err), CB_OK);
    assert_false(rep.playbook_changed);
    assert_int_equal(rep.saved, 3);
    assert_int_equal(rep.replayed, 3);
    assert_int_equal(rep.nwarnings, 0);
    expect_at(w, "four", CB_WALK_STAGE_NODE);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_string_equal(p.text, "Fourth, after it worked?");
    /* The replayed answers can be undone like any other. */
    assert_int_equal(cb_walk_back(w), CB_OK);
    expect_at(w, "three", CB_WALK_STAGE_RECORD);
    cb_walk_replay_release(&rep);
    cb_walk_free(w);

    /* A transcript of another playbook, or not a transcript at all. */
    cb_playbook *other = load_text("coach.yaml", coach_pb);
    w = new_walk(other, CB_WALK_GUIDE, NULL, &clock);
    assert_int_equal(cb_walk_resume(w, j, &rep, &err), CB_EINVAL);
    assert_non_null(strstr(err.msg, "change-test"));
    cb_walk_replay_release(&rep);
    json_t *junk = json_pack("{s:i}", "steps", 3);
    assert_int_equal(cb_walk_resume(w, junk, &rep, &err), CB_EPARSE);
    json_decref(junk);
    junk = json_pack("{s:i, s:s, s:[{s:i}]}", "casebook_transcript", 1, "playbook", "coach-test", "steps",
                     "x", 1);
    assert_int_equal(cb_walk_resume(w, junk, &rep, &err), CB_EPARSE);
    json_decref(junk);
    cb_walk_free(w);
    cb_playbook_free(other);
    json_decref(j);
    cb_playbook_free(pb);
}

static bool has_warning(const cb_walk_replay *rep, const char *part)
{
    for (size_t i = 0; i < rep->nwarnings; i++)
        if (strstr(rep->warnings[i], part))
            return true;
    for (size_t i = 0; i < rep->nwarnings; i++)
        fprintf(stderr, "  warning: %s\n", rep->warnings[i]);
    return false;
}

static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    assert_non_null(r);
    snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return r;
}

static void test_resume_after_choice_renamed(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("base.yaml", base_pb);
    int64_t clock = 0;
    json_t *j = saved_walk(pb, &clock);
    char *text = replace(base_pb, "{left: three, right: end-b}", "{\"to the left\": three, right: end-b}");
    cb_playbook *changed = load_text("renamed.yaml", text);
    free(text);
    cb_walk *w = new_walk(changed, CB_WALK_GUIDE, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(w, j, &rep, &err), CB_OK);
    assert_true(rep.playbook_changed);
    assert_int_equal(rep.saved, 3);
    assert_int_equal(rep.replayed, 1);
    assert_true(has_warning(&rep, "the playbook changed since the walk was saved: replayed 1 of 3 answers"));
    assert_true(has_warning(&rep, "the saved answer 'left' to 'two' is no longer one of its choices"));
    assert_true(has_warning(&rep, "'three' was not replayed"));
    assert_string_equal(rep.warnings[0],
                        "the playbook changed since the walk was saved: replayed 1 of 3 answers");
    expect_at(w, "two", CB_WALK_STAGE_NODE);
    assert_int_equal(answer(w, "to the left").verdict, CB_ANSWER_ACCEPTED);
    expect_at(w, "three", CB_WALK_STAGE_NODE);
    json_t *j2 = roundtrip(w);
    assert_string_equal(jstr(j2, "playbook_hash"), changed->hash);
    assert_string_not_equal(jstr(j2, "playbook_hash"), pb->hash);
    json_decref(j2);
    cb_walk_replay_release(&rep);
    cb_walk_free(w);
    cb_playbook_free(changed);
    json_decref(j);
    cb_playbook_free(pb);
}

static void test_resume_after_node_removed(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("base.yaml", base_pb);
    int64_t clock = 0;
    json_t *j = saved_walk(pb, &clock);
    /* "two" is gone: "go" leads straight to "three", whose saved answer still applies. */
    char *t1 = replace(base_pb, "{go: two, stop: end-a}", "{go: three, stop: end-a}");
    char *t2 = replace(t1, "  two:\n    ask: Second?\n    choices: {left: three, right: end-b}\n", "");
    cb_playbook *changed = load_text("removed.yaml", t2);
    free(t1);
    free(t2);
    cb_walk *w = new_walk(changed, CB_WALK_GUIDE, NULL, &clock);
    cb_walk_replay rep;
    cb_error err;
    assert_int_equal(cb_walk_resume(w, j, &rep, &err), CB_OK);
    assert_true(rep.playbook_changed);
    assert_int_equal(rep.replayed, 2);
    assert_true(has_warning(&rep, "replayed 2 of 3 answers"));
    assert_true(has_warning(&rep, "'two' is no longer in the playbook: its answer is dropped"));
    expect_at(w, "four", CB_WALK_STAGE_NODE);
    assert_int_equal(cb_walk_step_count(w), 2);
    assert_string_equal(cb_walk_step_at(w, 1)->answer, "it worked");
    /* The replayed steps keep the times they were answered at. */
    json_t *j2 = roundtrip(w);
    assert_string_equal(jstr(json_array_get(json_object_get(j2, "steps"), 1), "time"),
                        jstr(json_array_get(json_object_get(j, "steps"), 2), "time"));
    json_decref(j2);
    cb_walk_replay_release(&rep);
    cb_walk_free(w);
    cb_playbook_free(changed);
    json_decref(j);
    cb_playbook_free(pb);
}

static void test_broken_tree_refused(void **state)
{
    (void)state;
    char *text = replace(base_pb, "{up: end-a, down: end-b}", "{up: end-a, down: nowhere}");
    cb_playbook *pb = load_text("broken.yaml", text);
    free(text);
    cb_walk *w = NULL;
    cb_error err;
    assert_int_equal(cb_walk_new(pb, NULL, &w, &err), CB_EINVAL);
    assert_null(w);
    assert_non_null(strstr(err.msg, "leads to unknown node 'nowhere'"));
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* one definition of an answer, one engine                             */
/* ------------------------------------------------------------------ */

static void test_answer_definitions(void **state)
{
    (void)state;
    static const char *const yes[] = {"yes", "YES", " y ", "Y", "1", "Yes\n"};
    static const char *const no[] = {"no", "No", "n", "N", "2", "\tno"};
    static const char *const neither[] = {"", "maybe", "yess", "3", "0", "yes please", "n o"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_int_equal(cb_answer_yes_no(yes[i]), 1);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_int_equal(cb_answer_yes_no(no[i]), 0);
    for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
        assert_int_equal(cb_answer_yes_no(neither[i]), -1);
    assert_int_equal(cb_answer_yes_no(NULL), -1);

    const char *labels[] = {"Yes, it does", "2", "{{host}} only"};
    const char *shown[] = {NULL, NULL, "db01 only"};
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "Yes, it does"), 0);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, " yes, IT does "), 0);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "2"), 1); /* the label "2", not choice 2 */
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "1"), 0);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "3"), 2);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "4"), -1);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "0"), -1);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "DB01 only"), -1);
    assert_int_equal(cb_answer_choice(labels, shown, 3, "DB01 only"), 2);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, ""), -1);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, NULL), -1);
    assert_int_equal(cb_answer_choice(labels, NULL, 3, "0000001"), -1);

    assert_true(cb_answer_done("done"));
    assert_true(cb_answer_done(" DONE "));
    assert_false(cb_answer_done("done!"));
    assert_false(cb_answer_done(NULL));
}

static const char loop_pb[] = "casebook: 1\n"
                              "id: loop-test\n"
                              "title: Two checks in a loop\n"
                              "signatures:\n"
                              "  err: {pattern: 'ERROR', severity: error}\n"
                              "start: a\n"
                              "nodes:\n"
                              "  a: {check: err, yes: b, no: b}\n"
                              "  b: {check: err, yes: a, no: a}\n";

static void test_cycle_refused(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("loop.yaml", loop_pb);
    cb_walk *w = NULL;
    cb_error err;
    assert_int_equal(cb_walk_new(pb, NULL, &w, &err), CB_EINVAL);
    assert_null(w);
    assert_non_null(strstr(err.msg, "loop.yaml:9:"));
    assert_non_null(strstr(err.msg, "cycle: a -> b -> a"));
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_playbook_check_sound(pb, NULL, NULL, &d), CB_OK);
    assert_int_equal(d.n, 2); /* both edges of b close the cycle */
    cb_diags_release(&d);

    /* A triage skips it, with the reason, instead of walking a -> b -> a -> b. */
    write_tmp("bundle-loop/app.log", "2024-03-12T10:00:00Z ERROR x\n");
    cb_library one = {.playbooks = &pb, .n = 1, .cap = 1};
    cb_triage *t = NULL;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/bundle-loop", tmpdir);
    assert_int_equal(cb_triage_run(&one, dir, NULL, &t, &err), CB_OK);
    assert_int_equal(t->nskipped, 1);
    assert_true(t->all[0].skipped);
    assert_int_equal(t->nranked, 0);
    assert_int_equal(t->skipped.n, 2);
    assert_non_null(strstr(t->skipped.v[0].msg, "cycle: a -> b -> a"));
    assert_int_equal(t->all[0].walk.npath, 0);
    cb_triage_free(t);
    cb_playbook_free(pb);
}

/* A tree changed under a walk cannot make it loop: no node twice without a person's answer. */
static void test_no_node_twice_without_a_person(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    write_tmp("bundle-b/app.log", "2024-03-12T10:00:00Z ERROR db01.example\n2024-03-12T10:00:01Z ERROR db01.example\n");
    cb_triage *t = triage_tmp_bundle(pb, "bundle-b");
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, t, &clock);
    cb_walk_prompt p;
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.kind, CB_NODE_CHECK);
    /* Point the check's yes back at itself: the logs' answer would enter it again. */
    cb_node *n = &pb->nodes[p.node];
    int saved = n->yes.index;
    n->yes.index = p.node;
    cb_walk_result r;
    assert_int_equal(cb_walk_answer(w, NULL, NULL, &r), CB_EINVAL);
    assert_int_equal(cb_walk_get_status(w), CB_WS_STOPPED);
    assert_int_equal(cb_walk_answer(w, "yes", NULL, &r), CB_EINVAL); /* stopped: nothing more is taken */
    cb_walk_free(w);
    /* A person's answer in between makes coming back legitimate. */
    n->yes.index = saved;
    w = new_walk(pb, CB_WALK_GUIDE, t, &clock);
    n->yes.index = p.node;
    assert_int_equal(cb_walk_answer(w, "yes", NULL, &r), CB_OK);
    assert_int_equal(r.verdict, CB_ANSWER_ACCEPTED);
    assert_int_equal(cb_walk_get_status(w), CB_WS_ACTIVE);
    assert_int_equal(cb_walk_current(w, &p), CB_OK);
    assert_int_equal(p.node, (int)(n - pb->nodes));
    cb_walk_free(w);
    n->yes.index = saved;
    cb_triage_free(t);
    cb_playbook_free(pb);
}

typedef struct script {
    const char *const *pairs; /* node id, answer, ..., NULL */
} script;

static const char *script_answer(void *ctx, const cb_node *n)
{
    const script *s = ctx;
    for (size_t i = 0; s->pairs[i]; i += 2)
        if (!strcmp(s->pairs[i], n->id))
            return s->pairs[i + 1];
    return NULL;
}

/* triage's and casebook test's walks are the engine's: the same answers take the same path. */
static void test_autowalk_is_the_walk(void **state)
{
    (void)state;
    cb_playbook *pb = load_text("coach.yaml", coach_pb);
    write_tmp("bundle-c/app.log", "2024-03-12T10:00:00Z ERROR db01.example\n2024-03-12T10:00:01Z ERROR db01.example\n");
    cb_triage *t = triage_tmp_bundle(pb, "bundle-c");
    const cb_finding *f = &t->all[0];
    /* triage's own walk: the logs answer the check, the ask needs a person */
    assert_int_equal(f->walk.stop, CB_WALK_NEEDS_HUMAN);
    assert_int_equal(f->walk.npath, 2);
    assert_string_equal(pb->nodes[f->walk.stop_node].text.s, "Which way on {{host}}?");
    assert_int_equal(f->walk.nwhy, 1);
    assert_string_equal(f->walk.why[0], "first: err 2 >= min 2: yes");

    /* answered by number, then a do node whose text answers its record question */
    const char *pairs[] = {"pick", "1", "capture", "nothing", NULL};
    script sc = {pairs};
    cb_autowalk a;
    cb_error err;
    assert_int_equal(cb_autowalk_run(t, f, script_answer, &sc, &a, &err), CB_OK);
    assert_int_equal(a.stop, CB_WALK_CONCLUDED);
    int64_t clock = 0;
    cb_walk *w = new_walk(pb, CB_WALK_GUIDE, t, &clock);
    answer(w, NULL);
    answer(w, "1");
    answer(w, "done");
    answer(w, "nothing");
    assert_int_equal(cb_walk_get_status(w), CB_WS_CONCLUDED);
    assert_int_equal(cb_walk_step_count(w), a.npath);
    for (size_t i = 0; i < a.npath; i++)
        assert_int_equal(cb_walk_step_at(w, i)->node, a.path[i]);
    cb_walk_free(w);
    cb_autowalk_release(&a);

    /* a text that is no answer stops there, saying why, as it would be refused in a walk */
    const char *bad[] = {"pick", "sideways", NULL};
    sc.pairs = bad;
    assert_int_equal(cb_autowalk_run(t, f, script_answer, &sc, &a, &err), CB_OK);
    assert_int_equal(a.stop, CB_WALK_NEEDS_HUMAN);
    assert_non_null(strstr(a.why[a.nwhy - 1], "'sideways' is not an answer to it"));
    cb_autowalk_release(&a);
    cb_triage_free(t);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* answers files                                                       */
/* ------------------------------------------------------------------ */

static void test_answers_yaml_and_json(void **state)
{
    (void)state;
    cb_answers *a = NULL;
    cb_error err;
    const char *y = write_tmp("a.yaml", "# answers\n"
                                        "df-ping: \"no, it needs to fragment\"\n"
                                        "check-it: no\n"
                                        "count: 12\n"
                                        "coach:\n"
                                        "  df-ping: [storage, network]\n"
                                        "  other: network\n");
    assert_int_equal(cb_answers_load(y, &a, &err), CB_OK);
    assert_int_equal(a->nanswers, 3);
    assert_string_equal(cb_answers_get(a, "df-ping")->text, "no, it needs to fragment");
    assert_int_equal(cb_answers_get(a, "df-ping")->line, 2);
    assert_int_equal(cb_answers_get(a, "df-ping")->col, 10);
    assert_string_equal(cb_answers_get(a, "check-it")->text, "no"); /* the word, not a boolean */
    assert_string_equal(cb_answers_get(a, "count")->text, "12");
    assert_null(cb_answers_get(a, "coach"));
    const cb_coach_entry *c = cb_answers_coach(a, "df-ping");
    assert_int_equal(c->nattempts, 2);
    assert_string_equal(c->attempts[1], "network");
    assert_int_equal(cb_answers_coach(a, "other")->nattempts, 1);
    assert_null(cb_answers_coach(a, "nope"));
    cb_answers_free(a);

    const char *j =
        write_tmp("a.json", "  {\"df-ping\": \"yes, it gets replies\", \"coach\": {\"x\": [\"a\", \"b\"]}}");
    assert_int_equal(cb_answers_load(j, &a, &err), CB_OK);
    assert_string_equal(cb_answers_get(a, "df-ping")->text, "yes, it gets replies");
    assert_int_equal(cb_answers_coach(a, "x")->nattempts, 2);
    cb_answers_free(a);

    assert_int_equal(cb_answers_load(write_tmp("empty.yaml", "# nothing yet\n"), &a, &err), CB_OK);
    assert_int_equal(a->nanswers, 0);
    cb_answers_free(a);
}

typedef struct bad_answers {
    const char *name, *text;
    int line, col;
    const char *msg;
} bad_answers;

static void test_answers_errors(void **state)
{
    (void)state;
    static const bad_answers cases[] = {
        {"q.yaml", "a: yes\nb: \"unclosed\n", 3, 1,
         "found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)"},
        {"m.yaml", "a: x\n  b: y\n", 2, 4, "mapping values are not allowed in this context"},
        {"l.yaml", "- a\n- b\n", 1, 1, "an answers file is a mapping of node id to answer, not a list"},
        {"v.yaml", "a:\n  - x\n", 2, 3, "the answer for node 'a' must be text, not a list"},
        {"n.yaml", "a: ~\n", 1, 4, "the answer for node 'a' has no value"},
        {"d.yaml", "a: x\nb: y\na: z\n", 3, 4, "node 'a' is answered twice (first at line 1, column 4)"},
        {"c.yaml", "coach: {a: [x, {y: z}]}\n", 1, 16,
         "the coach answer for node 'a' must be text, not a mapping"},
        {"s.json", "{\"a\": \"x\",\n \"b\": }\n", 2, 7, "unexpected token near '}'"},
        {"t.json", "{\"a\": 1}", 0, 0, "the answer for node 'a' must be a string, not a number"},
        {"u.json", "{\"a\": \"x\", \"a\": \"y\"}", 1, 14, "duplicate object key near '\"a\"'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cb_answers *a = (cb_answers *)1;
        cb_error err;
        const char *path = write_tmp(cases[i].name, cases[i].text);
        cb_status st = cb_answers_load(path, &a, &err);
        if (st != CB_EPARSE || strcmp(err.msg, cases[i].msg) || err.line != cases[i].line ||
            err.col != cases[i].col)
            fprintf(stderr, "  %s: %d %d:%d: %s\n", cases[i].name, st, err.line, err.col, err.msg);
        assert_int_equal(st, CB_EPARSE);
        assert_null(a);
        assert_string_equal(err.file, path);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.col, cases[i].col);
    }
    cb_answers *a;
    cb_error err;
    char missing[300];
    snprintf(missing, sizeof missing, "%s/missing.yaml", tmpdir);
    assert_int_equal(cb_answers_load(missing, &a, &err), CB_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_example_path_guide),
        cmocka_unit_test(test_every_example_path_coach),
        cmocka_unit_test(test_coach_right_first_time),
        cmocka_unit_test(test_coach_hints_in_order_then_reveal),
        cmocka_unit_test(test_coach_wrong_then_right_and_free_text),
        cmocka_unit_test(test_back_in_guide_mode),
        cmocka_unit_test(test_back_across_coach_stages),
        cmocka_unit_test(test_logs_answer_checks),
        cmocka_unit_test(test_halt_and_pending_step),
        cmocka_unit_test(test_resume_unchanged_and_errors),
        cmocka_unit_test(test_resume_after_choice_renamed),
        cmocka_unit_test(test_resume_after_node_removed),
        cmocka_unit_test(test_broken_tree_refused),
        cmocka_unit_test(test_answer_definitions),
        cmocka_unit_test(test_cycle_refused),
        cmocka_unit_test(test_no_node_twice_without_a_person),
        cmocka_unit_test(test_autowalk_is_the_walk),
        cmocka_unit_test(test_answers_yaml_and_json),
        cmocka_unit_test(test_answers_errors),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
