/*
 * people.c — people on the store (people.h): the rules for handles, names
 * and domains, and their rows in `people` and `people_domains`, each write
 * in one transaction.
 */
#include "core/internal.h"

#include <stdlib.h>

#include "casebook/people.h"
#include "casebook/utf8.h"

static const char *const role_names[] = {NULL, "candidate", "contributor", "publisher"};

const char *cb_role_name(cb_role r)
{
    return (unsigned)r < CB_ARRAY_LEN(role_names) ? role_names[r] : NULL;
}

cb_role cb_role_parse(const char *s)
{
    for (size_t i = 1; s && i < CB_ARRAY_LEN(role_names); i++)
        if (strcmp(s, role_names[i]) == 0)
            return (cb_role)i;
    return CB_ROLE_NONE;
}

static bool handle_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool cb_people_handle_valid(const char *s)
{
    if (!s || !*s)
        return false;
    size_t n = strlen(s);
    if (n > CB_PEOPLE_HANDLE_MAX || s[0] == '.' || s[0] == '_' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!handle_char(s[i]))
            return false;
    return true;
}

cb_status cb_people_name_check(const char *s, cb_error *err)
{
    if (!s || !*s)
        return cb_error_set(err, CB_EINVAL, "a name must not be empty");
    size_t n = strlen(s);
    if (n > CB_PEOPLE_NAME_MAX)
        return cb_error_set(err, CB_EINVAL, "a name is at most %d bytes (this one has %zu)", CB_PEOPLE_NAME_MAX,
                            n);
    if (!cb_utf8_valid(s, n))
        return cb_error_set(err, CB_EINVAL, "a name must be valid UTF-8");
    bool blank = true;
    for (size_t i = 0; i < n;) {
        size_t k = cb_utf8_seqlen((const unsigned char *)s + i, n - i);
        if (k == 0)
            k = 1;
        if (cb_utf8_is_control((const unsigned char *)s + i, k))
            return cb_error_set(err, CB_EINVAL, "a name must not contain control characters: '%s'", s);
        if (s[i] != ' ')
            blank = false;
        i += k;
    }
    if (blank)
        return cb_error_set(err, CB_EINVAL, "a name must not be only spaces");
    return CB_OK;
}

static cb_status check_domains(const char *const *d, size_t n, cb_error *err)
{
    if (n > CB_PEOPLE_DOMAINS_MAX)
        return cb_error_set(err, CB_EINVAL, "at most %d domains per person", CB_PEOPLE_DOMAINS_MAX);
    for (size_t i = 0; i < n; i++)
        if (!cb_people_handle_valid(d[i]))
            return cb_error_set(err, CB_EINVAL,
                                "invalid domain '%s': 1 to %d of a-z 0-9 . _ -, beginning with a letter or digit",
                                d[i] ? d[i] : "", CB_PEOPLE_HANDLE_MAX);
    return CB_OK;
}

/* Replace the domains of `handle` (inside the caller's transaction). */
static cb_status write_domains(cb_store *s, const char *handle, const char *const *d, size_t n, cb_error *err)
{
    cb_store_value h = cb_store_text(handle);
    cb_status st = cb_store_exec(s, "DELETE FROM people_domains WHERE handle = $1", &h, 1, NULL, err);
    for (size_t i = 0; st == CB_OK && i < n; i++) {
        cb_store_value v[2] = {cb_store_text(handle), cb_store_text(d[i])};
        st = cb_store_exec(s, "INSERT INTO people_domains (handle, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                           v, 2, NULL, err);
    }
    return st;
}

static cb_status exists(cb_store *s, const char *handle, bool *yes, cb_error *err)
{
    cb_store_rows *r = NULL;
    cb_store_value h = cb_store_text(handle);
    cb_status st = cb_store_query(s, "SELECT 1 FROM people WHERE handle = $1", &h, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, yes, err);
    cb_store_rows_free(r);
    return st;
}

static cb_status finish(cb_store *s, cb_status st, cb_error *err)
{
    if (st == CB_OK)
        return cb_store_commit(s, err);
    cb_store_rollback(s, NULL);
    return st;
}

cb_status cb_people_add(cb_store *s, const cb_person_new *p, cb_error *err)
{
    if (!cb_people_handle_valid(p->handle))
        return cb_error_set(err, CB_EINVAL,
                            "invalid handle '%s': 1 to %d of a-z 0-9 . _ -, beginning with a letter or digit",
                            p->handle ? p->handle : "", CB_PEOPLE_HANDLE_MAX);
    cb_status st = cb_people_name_check(p->name, err);
    if (st)
        return st;
    if (!cb_role_name(p->role) || p->role == CB_ROLE_NONE)
        return cb_error_set(err, CB_EINVAL, "a role is candidate, contributor or publisher");
    if ((st = check_domains(p->domains, p->ndomains, err)) || (st = cb_store_begin(s, err)))
        return st;
    bool taken = false;
    char now[CB_STORE_TIME_SIZE];
    st = exists(s, p->handle, &taken, err);
    if (st == CB_OK && taken)
        st = cb_error_set(err, CB_EINVAL, "person '%s' already exists", p->handle);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        cb_store_value v[5] = {cb_store_text(p->handle), cb_store_text(p->name), cb_store_text(cb_role_name(p->role)),
                               cb_store_int(p->coach ? 1 : 0), cb_store_text(now)};
        st = cb_store_exec(s,
                           "INSERT INTO people (handle, name, role, coach, created, updated)"
                           " VALUES ($1, $2, $3, $4, $5, $5)",
                           v, 5, NULL, err);
    }
    if (st == CB_OK)
        st = write_domains(s, p->handle, p->domains, p->ndomains, err);
    return finish(s, st, err);
}

cb_status cb_people_set(cb_store *s, const char *handle, const cb_person_change *c, cb_error *err)
{
    cb_status st;
    if (!cb_people_handle_valid(handle))
        return cb_error_set(err, CB_ENOTFOUND, "no person '%s'", handle ? handle : "");
    if (c->name && (st = cb_people_name_check(c->name, err)))
        return st;
    if (c->role != CB_ROLE_NONE && !cb_role_name(c->role))
        return cb_error_set(err, CB_EINVAL, "a role is candidate, contributor or publisher");
    if (c->domains_set && (st = check_domains(c->domains, c->ndomains, err)))
        return st;
    if ((st = cb_store_begin(s, err)))
        return st;
    bool found = false;
    char now[CB_STORE_TIME_SIZE];
    st = exists(s, handle, &found, err);
    if (st == CB_OK && !found)
        st = cb_error_set(err, CB_ENOTFOUND, "no person '%s'", handle);
    if (st == CB_OK)
        st = cb_store_now(s, now, err);
    if (st == CB_OK) {
        /* NULL parameters keep the column: one statement for any set of changes. */
        cb_store_value v[5] = {cb_store_text(handle), cb_store_text(c->name),
                               cb_store_text(c->role != CB_ROLE_NONE ? cb_role_name(c->role) : NULL),
                               c->coach_set ? cb_store_int(c->coach ? 1 : 0) : cb_store_null(),
                               cb_store_text(now)};
        st = cb_store_exec(s,
                           "UPDATE people SET name = COALESCE($2, name), role = COALESCE($3, role),"
                           " coach = COALESCE($4, coach), updated = $5 WHERE handle = $1",
                           v, 5, NULL, err);
    }
    if (st == CB_OK && c->domains_set)
        st = write_domains(s, handle, c->domains, c->ndomains, err);
    return finish(s, st, err);
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* Fill p from a row of PERSON_COLUMNS. */
#define PERSON_COLUMNS "handle, name, role, coach, created, updated"
static cb_status fill(cb_person *p, const cb_store_rows *r, cb_error *err)
{
    memset(p, 0, sizeof *p);
    p->role = cb_role_parse(cb_store_rows_text(r, 2));
    p->coach = cb_store_rows_int(r, 3) != 0;
    if (!(p->handle = dup_or_empty(cb_store_rows_text(r, 0))) || !(p->name = dup_or_empty(cb_store_rows_text(r, 1))) ||
        !(p->created = dup_or_empty(cb_store_rows_text(r, 4))) ||
        !(p->updated = dup_or_empty(cb_store_rows_text(r, 5))))
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    return CB_OK;
}

static cb_status load_domains(cb_store *s, cb_person *p, cb_error *err)
{
    cb_store_rows *r = NULL;
    cb_store_value h = cb_store_text(p->handle);
    cb_status st = cb_store_query(s, "SELECT domain FROM people_domains WHERE handle = $1 ORDER BY domain", &h, 1,
                                  &r, err);
    bool row = true;
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row) {
        char *d = dup_or_empty(cb_store_rows_text(r, 0));
        if (!d || !cb__grow((void **)&p->domains, &p->cap, p->ndomains + 1, sizeof *p->domains)) {
            free(d);
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        p->domains[p->ndomains++] = d;
    }
    cb_store_rows_free(r);
    return st;
}

void cb_person_release(cb_person *p)
{
    if (!p)
        return;
    free(p->handle);
    free(p->name);
    free(p->created);
    free(p->updated);
    for (size_t i = 0; i < p->ndomains; i++)
        free(p->domains[i]);
    free(p->domains);
    memset(p, 0, sizeof *p);
}

void cb_people_release(cb_people *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        cb_person_release(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

cb_status cb_people_get(cb_store *s, const char *handle, cb_person *out, cb_error *err)
{
    memset(out, 0, sizeof *out);
    if (!cb_people_handle_valid(handle))
        return cb_error_set(err, CB_ENOTFOUND, "no person '%s'", handle ? handle : "");
    cb_store_rows *r = NULL;
    cb_store_value h = cb_store_text(handle);
    bool row = false;
    cb_status st = cb_store_query(s, "SELECT " PERSON_COLUMNS " FROM people WHERE handle = $1", &h, 1, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && !row)
        st = cb_error_set(err, CB_ENOTFOUND, "no person '%s'", handle);
    if (st == CB_OK)
        st = fill(out, r, err);
    cb_store_rows_free(r);
    if (st == CB_OK)
        st = load_domains(s, out, err);
    if (st)
        cb_person_release(out);
    return st;
}

cb_status cb_people_list(cb_store *s, cb_people *out, cb_error *err)
{
    memset(out, 0, sizeof *out);
    cb_store_rows *r = NULL;
    bool row = true;
    cb_status st = cb_store_query(s, "SELECT " PERSON_COLUMNS " FROM people ORDER BY handle", NULL, 0, &r, err);
    while (st == CB_OK && (st = cb_store_rows_next(r, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        st = fill(&out->v[out->n], r, err);
        out->n++; /* counted even when partly filled, so that release frees what was */
    }
    cb_store_rows_free(r);
    for (size_t i = 0; st == CB_OK && i < out->n; i++)
        st = load_domains(s, &out->v[i], err);
    return st;
}

cb_status cb_people_count(cb_store *s, int64_t *n, cb_error *err)
{
    cb_store_rows *r = NULL;
    bool row = false;
    *n = 0;
    cb_status st = cb_store_query(s, "SELECT COUNT(*) FROM people", NULL, 0, &r, err);
    if (st == CB_OK)
        st = cb_store_rows_next(r, &row, err);
    if (st == CB_OK && row)
        *n = cb_store_rows_int(r, 0);
    cb_store_rows_free(r);
    return st;
}
