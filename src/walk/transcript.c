/*
 * transcript.c — a walk as a JSON transcript (cb_walk_to_json), and a saved
 * walk continued (cb_walk_resume) by replaying its answers through the
 * engine in walk.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/buf.h"
#include "casebook/utf8.h"
#include "core/internal.h"
#include "walk/walk_int.h"

/* ---- the transcript ---- */

/* A JSON string of untrusted text: each line made valid UTF-8, line ends kept.  json_null() for NULL. */
static json_t *jtext(const char *s)
{
    if (!s)
        return json_null();
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize_lines(&b, s, strlen(s), false)) {
        cb_buf_release(&b);
        return NULL;
    }
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    cb_buf_release(&b);
    return j;
}

static json_t *jtime(int64_t ms)
{
    char iso[40];
    return json_string(cb_time_format_iso(ms, iso, sizeof iso));
}

/* Set key to v (stealing it); false when v is NULL (out of memory) or the set fails. */
static bool jset(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

/* jset for a value the caller also frees on failure: the value is consumed either way, so *v becomes NULL. */
static bool jset_take(json_t *o, const char *key, json_t **v)
{
    json_t *x = *v;
    *v = NULL;
    return jset(o, key, x);
}

static bool jpush(json_t *a, json_t *v)
{
    return v && json_array_append_new(a, v) == 0;
}

static json_t *coach_json(const cb_walk_coaching *c)
{
    if (!c)
        return json_null();
    json_t *o = json_object(), *ex = json_array(), *at = json_array();
    bool ok = o && ex && at;
    for (size_t i = 0; ok && i < c->nexpect; i++)
        ok = jpush(ex, jtext(c->expect[i]));
    for (size_t i = 0; ok && i < c->nattempts; i++) {
        json_t *a = json_object();
        ok = a && jset(a, "answer", jtext(c->attempts[i].answer)) &&
             jset(a, "correct", json_boolean(c->attempts[i].correct)) &&
             jset(a, "hint_given", jtext(c->attempts[i].hint));
        ok = ok ? jpush(at, a) : (json_decref(a), false);
    }
    if (ok && jset(o, "question", jtext(c->question)) && jset_take(o, "expect", &ex) &&
        jset_take(o, "attempts", &at) && jset(o, "hints_used", json_integer((json_int_t)c->hints_used)) &&
        jset(o, "revealed", json_boolean(c->revealed)) &&
        jset(o, "right_first_time", json_boolean(c->right_first_time)))
        return o;
    json_decref(o);
    json_decref(ex);
    json_decref(at);
    return NULL;
}

static json_t *step_json(const cb_walk_step *s, const cb_playbook *pb)
{
    json_t *o = json_object(), *ch = json_array(), *ev = json_array();
    bool ok = o && ch && ev;
    for (size_t i = 0; ok && i < s->nchoices; i++)
        ok = jpush(ch, jtext(s->choices[i]));
    for (size_t i = 0; ok && i < s->nevidence; i++) {
        const cb_walk_evidence *e = &s->evidence[i];
        json_t *x = json_object();
        ok = x && jset(x, "file", jtext(e->file)) && jset(x, "line", json_integer((json_int_t)e->line)) &&
             jset(x, "time", e->has_time ? jtime(e->time_ms) : json_null()) &&
             jset(x, "text", jtext(e->text));
        ok = ok ? jpush(ev, x) : (json_decref(x), false);
    }
    if (ok && jset(o, "node", json_string(pb->nodes[s->node].id)) &&
        jset(o, "kind", json_string(cb_node_kind_name(s->kind))) && jset(o, "question", jtext(s->question)) &&
        jset_take(o, "choices", &ch) && jset(o, "answer", jtext(s->answer)) &&
        jset(o, "answered_by", jtext(s->answered_by)) && jset(o, "time", jtime(s->time_ms)) &&
        jset_take(o, "evidence", &ev) && jset(o, "coach", coach_json(s->coach)))
        return o;
    json_decref(o);
    json_decref(ch);
    json_decref(ev);
    return NULL;
}

/* Every value the walk knows: saved ones, then the bundle's captures, then record answers. */
static json_t *variables_json(const cb_walk *w)
{
    json_t *v = w->saved_vars ? json_deep_copy(w->saved_vars) : json_object();
    if (!v)
        return NULL;
    bool ok = true;
    if (w->t && w->f) {
        ok = jset(v, "bundle", jtext(w->t->bundle_name));
        for (size_t s = 0; ok && s < w->pb->nsignatures; s++) {
            const cb_pattern_result *pr = &w->t->scan->pats[w->f->first_pattern + s];
            for (size_t c = 0; ok && c < pr->ncaptures; c++) {
                const char *val = cb_triage_var(w->t, w->f, pr->captures[c].name);
                if (val)
                    ok = jset(v, pr->captures[c].name, jtext(val));
            }
        }
    }
    for (size_t i = 0; ok && i < w->nsteps; i++) {
        const cb_node *n = &w->pb->nodes[w->steps[i].node];
        if (n->kind == CB_NODE_DO && n->record.s && w->steps[i].answer)
            ok = jset(v, n->id, jtext(w->steps[i].answer));
    }
    if (ok)
        return v;
    json_decref(v);
    return NULL;
}

json_t *cb_walk_to_json(cb_walk *w)
{
    const cb_playbook *pb = w->pb;
    json_t *o = json_object(), *steps = json_array();
    cb_walk_step pending = {0};
    bool ok = o && steps;
    for (size_t i = 0; ok && i < w->nsteps; i++)
        ok = jpush(steps, step_json(&w->steps[i], pb));
    if (ok && cb__walk_has_pending(w)) {
        /* Borrow the pending coach record: the step is built, serialised and dropped here. */
        const cb_node *n = &pb->nodes[w->cur];
        pending.node = w->cur;
        pending.kind = n->kind;
        pending.time_ms = w->arrived;
        pending.coach = w->coach;
        pending.question = cb__walk_node_question(w, n, NULL);
        ok = pending.question && !cb__walk_node_choices(w, n, &pending.choices, &pending.nchoices, NULL) &&
             jpush(steps, step_json(&pending, pb));
        pending.coach = NULL;
        cb__walk_step_release(&pending);
    }
    cb_walk_summary s;
    cb_walk_get_summary(w, &s);
    json_t *sum = ok ? json_object() : NULL;
    ok = sum && jset(sum, "steps", json_integer((json_int_t)s.steps)) &&
         jset(sum, "coach_questions", json_integer((json_int_t)s.coach_questions)) &&
         jset(sum, "right_first_time", json_integer((json_int_t)s.right_first_time)) &&
         jset(sum, "hints_used", json_integer((json_int_t)s.hints_used)) &&
         jset(sum, "reveals", json_integer((json_int_t)s.reveals)) &&
         jset(sum, "concluded_without_reveal", json_boolean(s.concluded_without_reveal));
    /* An absolute path, so that the transcript still finds its playbook from another directory. */
    char *abs = realpath(pb->path, NULL);
    const char *at = w->cur >= 0 ? pb->nodes[w->cur].id : NULL;
    bool concluded = w->status == CB_WS_CONCLUDED;
    if (ok && jset(o, "casebook_transcript", json_integer(1)) && jset(o, "playbook", jtext(pb->id.s)) &&
        jset(o, "playbook_hash", json_string(pb->hash)) &&
        jset(o, "playbook_path", jtext(abs ? abs : pb->path)) && jset(o, "bundle", jtext(w->bundle)) &&
        jset(o, "bundle_fingerprint", jtext(w->bundle_fp)) && jset(o, "engineer", jtext(w->engineer)) &&
        jset(o, "mode", json_string(w->mode == CB_WALK_COACH ? "coach" : "guide")) &&
        jset(o, "started", jtime(w->started)) && jset(o, "updated", jtime(w->updated)) &&
        jset(o, "status", json_string(cb_walk_status_name(w->status))) &&
        jset(o, "stopped_at", !concluded && at ? json_string(at) : json_null()) &&
        jset(o, "conclusion", concluded && at ? json_string(at) : json_null()) &&
        jset(o, "variables", variables_json(w)) && jset_take(o, "steps", &steps) &&
        jset_take(o, "summary", &sum)) {
        free(abs);
        return o;
    }
    free(abs);
    json_decref(o);
    json_decref(steps);
    json_decref(sum);
    return NULL;
}

/* ---- resuming ---- */

void cb_walk_replay_release(cb_walk_replay *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    memset(r, 0, sizeof *r);
}

static cb_status warn(cb_walk_replay *r, bool first, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cb_status warn(cb_walk_replay *r, bool first, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!cb__grow((void **)&r->warnings, &r->capwarnings, r->nwarnings + 1, sizeof *r->warnings))
        return CB_ENOMEM;
    char **v = r->warnings;
    char *s = strdup(buf);
    if (!s)
        return CB_ENOMEM;
    if (first) {
        memmove(v + 1, v, r->nwarnings * sizeof *v);
        v[0] = s;
    } else {
        v[r->nwarnings] = s;
    }
    r->nwarnings++;
    return CB_OK;
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/*
 * Feed the saved answers of one step to the current node.  Returns CB_OK with
 * *applied true when the step's answers all went in and the walk moved past
 * the node; *applied false (and a warning when an answer was refused) when
 * the walk must ask here.
 */
static cb_status replay_step(cb_walk *w, const json_t *step, cb_walk_replay *rep, bool *applied)
{
    *applied = false;
    const cb_node *n = &w->pb->nodes[w->cur];
    const char *ans = jstr(step, "answer");
    const char *by = jstr(step, "answered_by");
    int64_t t;
    if (!cb__walk_parse_iso(jstr(step, "time"), &t))
        t = cb__walk_now(w);
    cb_walk_result r;
    cb_status st;
    char sb[200];
    if (w->stage == CB_WALK_STAGE_COACH) {
        const json_t *attempts = json_object_get(json_object_get(step, "coach"), "attempts");
        size_t i;
        const json_t *a;
        json_array_foreach(attempts, i, a)
        {
            const char *text = jstr(a, "answer");
            if (!text || w->stage != CB_WALK_STAGE_COACH)
                break;
            if ((st = cb__walk_answer_logged(w, text, by, t, &r)))
                return st;
            if (r.verdict == CB_ANSWER_INVALID)
                return warn(rep, false,
                            "the saved coach answer '%s' to '%s' is not one of its choices now: it is "
                            "asked again",
                            cb__walk_shorten(text, sb, sizeof sb), n->id);
        }
        if (w->stage == CB_WALK_STAGE_COACH)
            return CB_OK;
    }
    if (!ans || w->status != CB_WS_ACTIVE)
        return CB_OK;
    const char *feed = ans;
    if (n->kind == CB_NODE_CHECK && w->t)
        feed = NULL; /* the logs answer again, as they would in a new walk */
    else if (n->kind == CB_NODE_DO)
        feed = "done";
    if ((st = cb__walk_answer_logged(w, feed, by, t, &r)))
        return st;
    if (r.verdict == CB_ANSWER_INVALID && n->kind == CB_NODE_ASK)
        return warn(rep, false,
                    "the saved answer '%s' to '%s' is no longer one of its choices: it is asked again",
                    cb__walk_shorten(ans, sb, sizeof sb), n->id);
    if (r.verdict == CB_ANSWER_INVALID)
        return warn(rep, false,
                    "the saved answer '%s' to %s node '%s' does not fit it now: it is asked again",
                    cb__walk_shorten(ans, sb, sizeof sb), cb_node_kind_name(n->kind), n->id);
    if (w->stage == CB_WALK_STAGE_RECORD && w->status == CB_WS_ACTIVE) {
        if ((st = cb__walk_answer_logged(w, ans, by, t, &r)))
            return st;
        if (r.verdict == CB_ANSWER_INVALID)
            return CB_OK;
    }
    *applied = true;
    return CB_OK;
}

cb_status cb_walk_resume(cb_walk *w, const json_t *tr, cb_walk_replay *rep, cb_error *err)
{
    memset(rep, 0, sizeof *rep);
    const cb_playbook *pb = w->pb;
    const json_t *steps = json_object_get(tr, "steps");
    const char *id = jstr(tr, "playbook");
    if (!json_is_object(tr) || json_integer_value(json_object_get(tr, "casebook_transcript")) != 1 || !id ||
        !json_is_array(steps))
        return cb_error_set(
            err, CB_EPARSE,
            "not a casebook transcript (expected casebook_transcript: 1, playbook and steps)");
    size_t nsteps = json_array_size(steps);
    for (size_t i = 0; i < nsteps; i++) {
        const json_t *s = json_array_get(steps, i);
        if (!json_is_object(s) || !jstr(s, "node"))
            return cb_error_set(err, CB_EPARSE, "not a casebook transcript: step %zu has no node", i + 1);
    }
    if (strcmp(id, pb->id.s) != 0)
        return cb_error_set(err, CB_EINVAL, "the transcript is a walk of playbook '%s', not '%s'", id,
                            pb->id.s);

    const char *hash = jstr(tr, "playbook_hash");
    rep->playbook_changed = !hash || strcmp(hash, pb->hash) != 0;
    int64_t t;
    if (cb__walk_parse_iso(jstr(tr, "started"), &t))
        w->started = t;
    /* Saved values help a walk resumed without its bundle; record answers are derived from the steps again.
     */
    json_decref(w->saved_vars);
    w->saved_vars = NULL;
    const json_t *vars = json_object_get(tr, "variables");
    if (json_is_object(vars)) {
        if (!(w->saved_vars = json_object()))
            goto nomem;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)vars, k, v)
        {
            int ni = cb_playbook_node(pb, k);
            if (json_is_string(v) && !(ni >= 0 && pb->nodes[ni].kind == CB_NODE_DO) &&
                json_object_set(w->saved_vars, k, v))
                goto nomem;
        }
    }

    cb__walk_inputs_truncate(w, 0);
    if (cb__walk_restart(w))
        goto nomem;
    bool *used = calloc(nsteps ? nsteps : 1, sizeof *used);
    if (!used)
        goto nomem;
    for (size_t i = 0; i < nsteps; i++)
        rep->saved += jstr(json_array_get(steps, i), "answer") != NULL;
    cb_status st = CB_OK;
    while (w->status == CB_WS_ACTIVE) {
        const char *cur = pb->nodes[w->cur].id;
        size_t j = 0;
        while (j < nsteps && (used[j] || strcmp(jstr(json_array_get(steps, j), "node"), cur) != 0))
            j++;
        if (j == nsteps)
            break;
        used[j] = true;
        bool applied;
        if ((st = replay_step(w, json_array_get(steps, j), rep, &applied)))
            break;
        if (!applied)
            break;
        rep->replayed++;
    }
    /* Name the answers that were not replayed, so that the engineer knows what is asked again. */
    cb_buf gone, skipped;
    cb_buf_init(&gone, 4096);
    cb_buf_init(&skipped, 4096);
    size_t ngone = 0, nskipped = 0;
    for (size_t i = 0; i < nsteps && !st; i++) {
        const json_t *s = json_array_get(steps, i);
        const char *node = jstr(s, "node");
        if (!jstr(s, "answer") || used[i])
            continue;
        if (cb_playbook_node(pb, node) < 0)
            cb_buf_printf(&gone, "%s'%s'", ngone++ ? ", " : "", node);
        else
            cb_buf_printf(&skipped, "%s'%s'", nskipped++ ? ", " : "", node);
    }
    if (!st && ngone)
        st = warn(rep, false, "%s %s no longer in the playbook: %s dropped", gone.data,
                  ngone == 1 ? "is" : "are", ngone == 1 ? "its answer is" : "their answers are");
    if (!st && nskipped)
        st = warn(rep, false,
                  "the saved %s to %s %s not replayed: the walk does not reach %s with the answers that "
                  "still apply",
                  nskipped == 1 ? "answer" : "answers", skipped.data, nskipped == 1 ? "was" : "were",
                  nskipped == 1 ? "it" : "them");
    cb_buf_release(&gone);
    cb_buf_release(&skipped);
    if (!st && rep->playbook_changed)
        st = warn(rep, true, "the playbook changed since the walk was saved: replayed %zu of %zu answers",
                  rep->replayed, rep->saved);
    free(used);
    if (st == CB_ENOMEM)
        goto nomem;
    w->updated = cb__walk_now(w);
    return st;
nomem:
    return cb_error_set(err, CB_ENOMEM, "out of memory");
}

