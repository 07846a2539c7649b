/*
 * rules.c — the KCS rules of the knowledge model (kb.h) as pure functions:
 * what each state needs, who may move an article between states, set its
 * audience, edit it or link to it.  Every refusal names its rule, so the
 * CLI can print it and the tests can check it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "casebook/kb.h"
#include "kb/kb_int.h"
#include "core/internal.h"

bool cb__kb_state_needs(cb_kb_state state, cb_kb_section sec)
{
    if (sec == CB_KB_ISSUE)
        return true; /* every article, archived ones included, was at least wip */
    return (sec == CB_KB_ENVIRONMENT || sec == CB_KB_RESOLUTION) &&
           (state == CB_KB_NOT_VALIDATED || state == CB_KB_VALIDATED);
}

static cb_kb_verdict refuse(char *why, size_t size, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static cb_kb_verdict refuse(char *why, size_t size, const char *rule, const char *fmt, ...)
{
    if (why && size) {
        int n = snprintf(why, size, "[%s] ", rule);
        if (n >= 0 && (size_t)n < size) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(why + n, size - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return CB_KB_REFUSED;
}

static cb_kb_verdict allow(char *why, size_t size)
{
    if (why && size)
        why[0] = '\0';
    return CB_KB_ALLOWED;
}

static const char *who_name(const cb_kb_actor *who)
{
    return who && who->handle ? who->handle : "this person";
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return false;
    return true;
}

cb_kb_verdict cb_kb_check_content(const cb_article *a, cb_kb_state state, char *why, size_t whysize)
{
    if (!a || blank(a->title))
        return refuse(why, whysize, "content", "a %s article needs a title", cb_kb_state_name(state));
    for (int i = 0; i < CB_KB__SECTIONS; i++)
        if (cb__kb_state_needs(state, (cb_kb_section)i) && blank(a->section[i]))
            return refuse(why, whysize, "content", "a %s article needs a section '## %s'", cb_kb_state_name(state),
                          cb_kb_section_name((cb_kb_section)i));
    return allow(why, whysize);
}

static bool same_person(const char *x, const char *y)
{
    return x && y && !strcmp(x, y);
}

/* validated: reviewed by someone other than the author (the validating contributor counts), or reused twice. */
static cb_kb_verdict check_evidence(const cb_kb_actor *who, const cb_kb_context *ctx, char *why, size_t whysize)
{
    const char *author = ctx ? ctx->author : NULL;
    unsigned reuse = ctx ? ctx->reuse : 0;
    if (reuse >= 2)
        return allow(why, whysize);
    if (ctx && ctx->reviewed_by && !same_person(ctx->reviewed_by, author))
        return allow(why, whysize);
    if (who && who->handle && author && !same_person(who->handle, author))
        return allow(why, whysize);
    return refuse(why, whysize, "validate-review",
                  "validated needs a review by someone other than the author%s%s%s, or reuse on at least 2 cases "
                  "(reused on %u): ask another contributor to validate it",
                  author ? " (" : "", author ? author : "", author ? ")" : "", reuse);
}

static cb_kb_verdict check_open_cases(const cb_kb_context *ctx, bool force, char *why, size_t whysize)
{
    if (force || !ctx || ctx->nopen_cases == 0)
        return allow(why, whysize);
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < ctx->nopen_cases && used + 1 < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                         ctx->open_cases && ctx->open_cases[i] ? ctx->open_cases[i] : "?");
        if (n < 0 || (size_t)n >= sizeof list - used) {
            used = sizeof list;
            break;
        }
        used += (size_t)n;
    }
    return refuse(why, whysize, "archive-open-cases",
                  "%zu open case%s link%s to it (%s%s): close %s first or archive with --force", ctx->nopen_cases,
                  ctx->nopen_cases == 1 ? "" : "s", ctx->nopen_cases == 1 ? "s" : "", list,
                  used >= sizeof list ? ", ..." : "", ctx->nopen_cases == 1 ? "it" : "them");
}

/* The transition rules shared by a state change (from = the article's state) and a creation (from < 0). */
static cb_kb_verdict transition(const cb_article *a, int from, cb_kb_state to, const cb_kb_actor *who,
                                const cb_kb_context *ctx, bool force, char *why, size_t whysize)
{
    if (!a || !who || (int)to < 0 || to >= CB_KB__STATES)
        return refuse(why, whysize, "content", "no article or no actor");
    cb_kb_role role = who->role;
    if (from == (int)to)
        return refuse(why, whysize, "same-state", "%s is already %s", a->id ? a->id : "the article",
                      cb_kb_state_name(to));
    if (to == CB_KB_VALIDATED && role < CB_KB_CONTRIBUTOR)
        return refuse(why, whysize, "validate-role",
                      "only a contributor or a publisher may validate an article; %s is a candidate", who_name(who));
    if ((to == CB_KB_ARCHIVED || from == CB_KB_ARCHIVED) && role < CB_KB_CONTRIBUTOR)
        return refuse(why, whysize, "archive-role",
                      "only a contributor or a publisher may archive an article or restore an archived one; %s is "
                      "a candidate",
                      who_name(who));
    if (from == CB_KB_VALIDATED && role < CB_KB_CONTRIBUTOR)
        return refuse(why, whysize, "edit-role",
                      "a candidate may change only wip and not-validated articles; flag the validated article "
                      "instead");
    cb_kb_verdict v = cb_kb_check_content(a, to, why, whysize);
    if (v != CB_KB_ALLOWED)
        return v;
    if (to == CB_KB_VALIDATED && (v = check_evidence(who, ctx, why, whysize)) != CB_KB_ALLOWED)
        return v;
    if (a->audience != CB_KB_INTERNAL && to != CB_KB_VALIDATED && to != CB_KB_ARCHIVED)
        return refuse(why, whysize, "audience-validated",
                      "a %s article must be validated; set its audience to internal first",
                      cb_kb_audience_name(a->audience));
    if (to == CB_KB_ARCHIVED && from >= 0)
        return check_open_cases(ctx, force, why, whysize);
    return allow(why, whysize);
}

cb_kb_verdict cb_kb_check_transition(const cb_article *a, cb_kb_state to, const cb_kb_actor *who,
                                     const cb_kb_context *ctx, bool force, char *why, size_t whysize)
{
    return transition(a, a ? (int)a->state : -1, to, who, ctx, force, why, whysize);
}

cb_kb_verdict cb_kb_check_create(const cb_article *a, const cb_kb_actor *who, const cb_kb_context *ctx,
                                 char *why, size_t whysize)
{
    if (!a || !who)
        return refuse(why, whysize, "content", "no article or no actor");
    cb_kb_verdict v = transition(a, -1, a->state, who, ctx, false, why, whysize);
    if (v != CB_KB_ALLOWED || a->audience == CB_KB_INTERNAL)
        return v;
    if (who->role < CB_KB_PUBLISHER)
        return refuse(why, whysize, "audience-role", "only a publisher may set audience %s; %s is a %s",
                      cb_kb_audience_name(a->audience), who_name(who), cb_kb_role_name(who->role));
    return allow(why, whysize); /* transition() already required validated (or archived) for partner/public */
}

cb_kb_verdict cb_kb_check_edit(const cb_article *a, const cb_kb_actor *who, char *why, size_t whysize)
{
    if (!a || !who)
        return refuse(why, whysize, "content", "no article or no actor");
    if (a->state == CB_KB_ARCHIVED)
        return refuse(why, whysize, "edit-archived",
                      "%s is archived: restore it to another state before editing it", a->id ? a->id : "the article");
    if (who->role == CB_KB_CANDIDATE && a->state == CB_KB_VALIDATED)
        return refuse(why, whysize, "edit-role",
                      "a candidate may edit only wip and not-validated articles; %s is validated: flag it instead",
                      a->id ? a->id : "the article");
    return allow(why, whysize);
}

cb_kb_verdict cb_kb_check_audience(const cb_article *a, cb_kb_audience to, const cb_kb_actor *who, char *why,
                                   size_t whysize)
{
    if (!a || !who || (int)to < 0 || to >= CB_KB__AUDIENCES)
        return refuse(why, whysize, "content", "no article or no actor");
    if (a->audience == to)
        return refuse(why, whysize, "same-state", "the audience of %s is already %s", a->id ? a->id : "the article",
                      cb_kb_audience_name(to));
    if (to != CB_KB_INTERNAL) {
        if (who->role < CB_KB_PUBLISHER)
            return refuse(why, whysize, "audience-role", "only a publisher may set audience %s; %s is a %s",
                          cb_kb_audience_name(to), who_name(who), cb_kb_role_name(who->role));
        if (a->state != CB_KB_VALIDATED)
            return refuse(why, whysize, "audience-validated",
                          "audience %s only on a validated article; %s is %s", cb_kb_audience_name(to),
                          a->id ? a->id : "the article", cb_kb_state_name(a->state));
        return allow(why, whysize);
    }
    return cb_kb_check_edit(a, who, why, whysize);
}

cb_kb_verdict cb_kb_check_link(const cb_article *a, char *why, size_t whysize)
{
    if (!a)
        return refuse(why, whysize, "content", "no article");
    if (a->state == CB_KB_ARCHIVED)
        return refuse(why, whysize, "link-archived", "%s is archived and cannot receive new links",
                      a->id ? a->id : "the article");
    return allow(why, whysize);
}
