/*
 * walks.c — the walks of a case (case.h): storing a walk's transcript and
 * summary in `case_walks` (new, or replacing one saved earlier and resumed),
 * and the article of the newest walk that concluded on one, which is what
 * `case close` offers to link.
 */
#include "core/internal.h"

#include <stdlib.h>

#include "case/case_int.h"

static cb_status check_walk(const cb_case_walk_new *w, cb_error *err)
{
    static const char *const modes[] = {"guide", "coach"};
    static const char *const statuses[] = {"stopped", "concluded", "skipped", "quit"};
    cb_status st = cb__case_text_check("a walk's playbook", w->playbook, CB_CASE_FIELD_MAX, true, false, err);
    if (st == CB_OK)
        st = cb__case_text_check("a walk's node", w->node, CB_CASE_FIELD_MAX, false, false, err);
    if (st == CB_OK)
        st = cb__case_text_check("a walk's article", w->article, CB_CASE_FIELD_MAX, false, false, err);
    if (st != CB_OK)
        return st;
    bool mode_ok = false, status_ok = false;
    for (size_t i = 0; w->mode && i < CB_ARRAY_LEN(modes); i++)
        mode_ok |= strcmp(w->mode, modes[i]) == 0;
    for (size_t i = 0; w->status && i < CB_ARRAY_LEN(statuses); i++)
        status_ok |= strcmp(w->status, statuses[i]) == 0;
    if (!mode_ok)
        return cb_error_set(err, CB_EINVAL, "unknown walk mode '%s' (guide or coach)", w->mode ? w->mode : "");
    if (!status_ok)
        return cb_error_set(err, CB_EINVAL, "unknown walk status '%s' (stopped, concluded, skipped or quit)",
                            w->status ? w->status : "");
    if (!w->transcript)
        return cb_error_set(err, CB_EINVAL, "a walk needs its transcript");
    size_t n = strlen(w->transcript);
    if (n > CB_CASE_TRIAGE_MAX)
        return cb_error_set(err, CB_EINVAL, "a walk's transcript is at most %d bytes (this one has %zu)",
                            CB_CASE_TRIAGE_MAX, n);
    if ((st = cb__case_json_check("a walk's transcript", w->transcript, n, err)) != CB_OK)
        return st;
    /* A transcript is an object (cb_walk_to_json); the shared check takes any JSON text. */
    size_t k = strspn(w->transcript, " \t\r\n");
    if (w->transcript[k] != '{')
        return cb_error_set(err, CB_EINVAL, "a walk's transcript is not a JSON object");
    return CB_OK;
}

/* Insert walk *n (0: the next number, stored in *n) or replace walk *n, inside the caller's transaction. */
static cb_status write_walk(cb_store *s, const char *id, const cb_case_walk_new *w, const char *who, unsigned *n,
                            cb_error *err)
{
    char now[CB_STORE_TIME_SIZE];
    cb_status st = cb__case_check_who(s, who, err);
    if (st == CB_OK)
        st = cb__case_check(s, id, NULL, err);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st != CB_OK)
        return st;
    if (*n == 0) {
        unsigned next = 0;
        if ((st = cb__case_next_n(s, "case_walks", id, &next, err)) != CB_OK)
            return st;
        cb_store_value v[13] = {
            cb_store_text(id), cb_store_int(next), cb_store_text(w->playbook), cb_store_text(w->mode),
            cb_store_text(w->status), cb_store_text(w->node), cb_store_text(w->article),
            cb_store_int(w->hints_used), cb_store_int(w->coach_questions), cb_store_int(w->reveals),
            cb_store_text(who), cb_store_text(now), cb_store_text(w->transcript),
        };
        st = cb_store_exec(s,
                           "INSERT INTO case_walks (case_id, n, playbook, mode, status, node, article, hints_used,"
                           " coach_questions, reveals, who, at, transcript)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                           v, 13, NULL, err);
        if (st == CB_OK)
            *n = next;
        return st;
    }
    cb_store_rows *r = NULL;
    bool row = false;
    cb_store_value k[2] = {cb_store_text(id), cb_store_int(*n)};
    st = cb_store_query(s, "SELECT playbook FROM case_walks WHERE case_id = $1 AND n = $2", k, 2, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    bool same = row && strcmp(cb_store_rows_text(r, 0) ? cb_store_rows_text(r, 0) : "", w->playbook) == 0;
    cb_store_rows_free(r);
    if (st != CB_OK)
        return st;
    if (!row)
        return cb_error_set(err, CB_ENOTFOUND, "case %s has no walk %u", id, *n);
    if (!same)
        return cb_error_set(err, CB_EINVAL, "walk %u of case %s is a walk of another playbook than '%s'", *n, id,
                            w->playbook);
    cb_store_value v[12] = {
        cb_store_text(id), cb_store_int(*n), cb_store_text(w->mode), cb_store_text(w->status),
        cb_store_text(w->node), cb_store_text(w->article), cb_store_int(w->hints_used),
        cb_store_int(w->coach_questions), cb_store_int(w->reveals), cb_store_text(who), cb_store_text(now),
        cb_store_text(w->transcript),
    };
    return cb_store_exec(s,
                         "UPDATE case_walks SET mode = $3, status = $4, node = $5, article = $6, hints_used = $7,"
                         " coach_questions = $8, reveals = $9, who = $10, at = $11, transcript = $12"
                         " WHERE case_id = $1 AND n = $2",
                         v, 12, NULL, err);
}

cb_status cb_case_walk_save(cb_store *s, const char *id, const cb_case_walk_new *w, const char *who, unsigned *n,
                            cb_error *err)
{
    if (!s || !id || !w || !n)
        return cb_error_set(err, CB_EINVAL, "cb_case_walk_save: NULL argument");
    cb_status st = check_walk(w, err);
    if (st != CB_OK)
        return st;
    unsigned k = *n;
    if ((st = cb_store_begin(s, err)) != CB_OK)
        return st;
    st = cb__case_finish(s, write_walk(s, id, w, who, &k, err), err);
    if (st == CB_OK)
        *n = k;
    return st;
}

cb_status cb_case_concluded_article(cb_store *s, const char *id, char *out, size_t article_size, cb_error *err)
{
    if (!s || !id || !out || article_size == 0)
        return cb_error_set(err, CB_EINVAL, "cb_case_concluded_article: NULL argument or no room");
    out[0] = '\0';
    cb_status st = cb__case_check(s, id, NULL, err);
    if (st != CB_OK)
        return st;
    /* Newest by when it was saved: a walk resumed and concluded today is newer than one started after it. */
    cb_store_rows *r = NULL;
    bool row = false;
    cb_store_value v = cb_store_text(id);
    st = cb_store_query(s,
                        "SELECT article FROM case_walks WHERE case_id = $1 AND status = 'concluded'"
                        " AND article IS NOT NULL AND article <> '' ORDER BY at DESC, n DESC LIMIT 1",
                        &v, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && row) {
        const char *a = cb_store_rows_text(r, 0);
        if (strlen(a) >= article_size)
            st = cb_error_set(err, CB_EINVAL, "the article id of case %s does not fit in %zu bytes", id,
                              article_size);
        else
            cb__strlcpy(out, a, article_size);
    }
    cb_store_rows_free(r);
    return st;
}
