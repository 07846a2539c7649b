/*
 * store.c — the store's public functions: argument checks, the transaction
 * state and schema migrations, the same for every backend, which do the
 * work through the table of operations in store_int.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/internal.h"
#include "store/store_int.h"

static const cb_store_backend *const backends[] = {&cb__store_sqlite};

void cb_store_opts_init(cb_store_opts *o)
{
    o->backend = NULL;
    o->busy_timeout_ms = CB_STORE_BUSY_TIMEOUT_MS;
    o->schema_version = 0;
}

/* dir + tail as one heap string, or NULL when out of memory. */
static char *join(const char *dir, const char *tail)
{
    size_t n = strlen(dir) + strlen(tail) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s", dir, tail);
    return p;
}

cb_status cb_store_default_path(char **out, cb_error *err)
{
    *out = NULL;
    const char *db = getenv("CASEBOOK_DB"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (db && *db)
        *out = join(db, "");
    else if (xdg && xdg[0] == '/')
        *out = join(xdg, "/casebook/casebook.db");
    else if (home && *home)
        *out = join(home, "/.local/share/casebook/casebook.db");
    else
        return cb_error_set(err, CB_ENOTFOUND,
                            "no database: give --db, or set CASEBOOK_DB, XDG_DATA_HOME or HOME");
    return *out ? CB_OK : cb_error_set(err, CB_ENOMEM, "out of memory");
}

static cb_status refuse_newer(const char *path, int version, cb_error *err)
{
    return cb_error_set(
        err, CB_EUNSUPPORTED,
        "%s: the database has schema version %d, newer than this casebook's %d: use a newer casebook", path,
        version, CB_STORE_SCHEMA_VERSION);
}

static cb_status refuse_foreign(const char *path, cb_error *err)
{
    return cb_error_set(err, CB_EUNSUPPORTED,
                        "%s: not a casebook database (it has tables but no schema_migrations)", path);
}

/* Apply the statements of schema version v, then record it. */
static cb_status apply_version(cb_store *s, int v, cb_error *err)
{
    const cb_store_backend *be = s->ops;
    cb_status st = CB_OK;
    for (size_t i = 0; !st && i < cb__store_schema_len; i++)
        if (cb__store_schema[i].version == v)
            st = be->exec(s, cb__store_schema[i].sql, NULL, 0, NULL, err);
    for (size_t i = 0; !st && i < be->nsteps; i++)
        if (be->steps[i].version == v)
            st = be->exec(s, be->steps[i].sql, NULL, 0, NULL, err);
    char now[CB_STORE_TIME_SIZE];
    if (!st)
        st = be->now(s, now, err);
    if (!st) {
        cb_store_value p[] = {cb_store_int(v), cb_store_text(now)};
        st = be->exec(s, "INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)", p, 2, NULL, err);
    }
    return st;
}

/*
 * Bring the schema to `target`, one version per transaction.  The version is
 * read again once the write lock is held: another process opening the same
 * new database may have migrated it meanwhile.
 */
static cb_status migrate(cb_store *s, const char *path, int target, cb_error *err)
{
    const cb_store_backend *be = s->ops;
    int v;
    bool foreign;
    cb_status st = be->schema_probe(s, &v, &foreign, err);
    while (!st && v < target) {
        if (foreign)
            return refuse_foreign(path, err);
        if ((st = be->begin(s, err)))
            break;
        s->in_tx = true;
        st = be->schema_probe(s, &v, &foreign, err);
        if (!st && v < target && !foreign) {
            st = apply_version(s, v + 1, err);
            if (!st)
                v++;
        }
        if (!st)
            st = be->commit(s, err);
        if (st)
            be->rollback(s, NULL); /* the backend's message names the database */
        s->in_tx = false;
    }
    if (st)
        return st;
    if (v > CB_STORE_SCHEMA_VERSION)
        return refuse_newer(path, v, err);
    if (foreign)
        return refuse_foreign(path, err);
    s->version = v;
    return CB_OK;
}

cb_status cb_store_open(const char *path, const cb_store_opts *opts, cb_store **out, cb_error *err)
{
    *out = NULL;
    cb_store_opts def;
    if (!opts) {
        cb_store_opts_init(&def);
        opts = &def;
    }
    if (!path || !*path)
        return cb_error_set(err, CB_EINVAL, "no database path");
    if (opts->busy_timeout_ms < 0 || opts->busy_timeout_ms > 3600000)
        return cb_error_set(err, CB_EINVAL, "busy timeout %d ms is out of range (0 to 3600000)",
                            opts->busy_timeout_ms);
    if (opts->schema_version < 0 || opts->schema_version > CB_STORE_SCHEMA_VERSION)
        return cb_error_set(err, CB_EINVAL, "schema version %d is out of range (0 to %d)",
                            opts->schema_version, CB_STORE_SCHEMA_VERSION);
    const char *name = opts->backend ? opts->backend : "sqlite";
    const cb_store_backend *be = NULL;
    for (size_t i = 0; i < CB_ARRAY_LEN(backends); i++)
        if (strcmp(backends[i]->name, name) == 0)
            be = backends[i];
    if (!be)
        return cb_error_set(err, CB_EINVAL, "unknown store backend '%s'", name);
    cb_store *s = NULL;
    cb_status st = be->open(path, opts, &s, err);
    if (st)
        return st;
    s->ops = be;
    s->in_tx = false;
    st = migrate(s, path, opts->schema_version ? opts->schema_version : CB_STORE_SCHEMA_VERSION, err);
    if (st) {
        be->close(s);
        return st;
    }
    *out = s;
    return CB_OK;
}

void cb_store_close(cb_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        s->ops->rollback(s, NULL);
    s->ops->close(s);
}

const char *cb_store_backend_name(const cb_store *s)
{
    return s->ops->name;
}

int cb_store_version(const cb_store *s)
{
    return s->version;
}

static cb_status check_params(const char *sql, const cb_store_value *params, size_t n, cb_error *err)
{
    if (!sql)
        return cb_error_set(err, CB_EINVAL, "no SQL statement");
    if (n && !params)
        return cb_error_set(err, CB_EINVAL, "%zu parameters but no values", n);
    for (size_t i = 0; i < n; i++)
        if (params[i].type != CB_STORE_NULL && params[i].type != CB_STORE_INT &&
            (params[i].type != CB_STORE_TEXT || !params[i].s))
            return cb_error_set(err, CB_EINVAL, "parameter $%zu has no valid value", i + 1);
    return CB_OK;
}

cb_status cb_store_exec(cb_store *s, const char *sql, const cb_store_value *params, size_t nparams,
                        int64_t *changes, cb_error *err)
{
    if (changes)
        *changes = 0;
    cb_status st = check_params(sql, params, nparams, err);
    return st ? st : s->ops->exec(s, sql, params, nparams, changes, err);
}

cb_status cb_store_query(cb_store *s, const char *sql, const cb_store_value *params, size_t nparams,
                         cb_store_rows **out, cb_error *err)
{
    *out = NULL;
    cb_status st = check_params(sql, params, nparams, err);
    return st ? st : s->ops->query(s, sql, params, nparams, out, err);
}

cb_status cb_store_rows_next(cb_store_rows *r, bool *row, cb_error *err)
{
    return r->ops->rows_next(r, row, err);
}

int cb_store_rows_columns(const cb_store_rows *r)
{
    return r->ops->rows_columns(r);
}

bool cb_store_rows_is_null(const cb_store_rows *r, int col)
{
    return col < 0 || col >= r->ops->rows_columns(r) || r->ops->rows_is_null(r, col);
}

const char *cb_store_rows_text(const cb_store_rows *r, int col)
{
    return cb_store_rows_is_null(r, col) ? NULL : r->ops->rows_text(r, col);
}

int64_t cb_store_rows_int(const cb_store_rows *r, int col)
{
    return cb_store_rows_is_null(r, col) ? 0 : r->ops->rows_int(r, col);
}

void cb_store_rows_free(cb_store_rows *r)
{
    if (r)
        r->ops->rows_free(r);
}

cb_status cb_store_begin(cb_store *s, cb_error *err)
{
    if (s->in_tx)
        return cb_error_set(err, CB_EINVAL, "a transaction is already open (transactions do not nest)");
    cb_status st = s->ops->begin(s, err);
    if (!st)
        s->in_tx = true;
    return st;
}

cb_status cb_store_commit(cb_store *s, cb_error *err)
{
    if (!s->in_tx)
        return cb_error_set(err, CB_EINVAL, "no transaction to commit");
    cb_status st = s->ops->commit(s, err);
    if (st)
        s->ops->rollback(s, NULL);
    s->in_tx = false;
    return st;
}

cb_status cb_store_rollback(cb_store *s, cb_error *err)
{
    if (!s->in_tx)
        return CB_OK;
    s->in_tx = false;
    return s->ops->rollback(s, err);
}

bool cb_store_in_transaction(const cb_store *s)
{
    return s->in_tx;
}

cb_status cb_store_now(cb_store *s, char out[CB_STORE_TIME_SIZE], cb_error *err)
{
    return s->ops->now(s, out, err);
}

/* End the transaction an operation opened for itself: committed when it succeeded, else rolled back. */
static cb_status end_own(cb_store *s, cb_status st, cb_error *err)
{
    if (st) {
        cb_store_rollback(s, NULL);
        return st;
    }
    return cb_store_commit(s, err);
}

cb_status cb_store_fts_index(cb_store *s, const char *id, const char *title, const char *issue,
                             const char *environment, const char *cause, const char *resolution,
                             cb_error *err)
{
    if (!id)
        return cb_error_set(err, CB_EINVAL, "no article id to index");
    const char *text[5] = {title, issue, environment, cause, resolution};
    bool own = !s->in_tx;
    cb_status st = own ? cb_store_begin(s, err) : CB_OK;
    if (!st)
        st = s->ops->fts_index(s, id, text, err);
    return own ? end_own(s, st, err) : st;
}

cb_status cb_store_fts_remove(cb_store *s, const char *id, cb_error *err)
{
    if (!id)
        return cb_error_set(err, CB_EINVAL, "no article id to remove from the index");
    bool own = !s->in_tx;
    cb_status st = own ? cb_store_begin(s, err) : CB_OK;
    if (!st)
        st = s->ops->fts_remove(s, id, err);
    return own ? end_own(s, st, err) : st;
}

cb_status cb_store_fts_search(cb_store *s, const cb_store_fts_query *q, size_t limit, bool include_archived,
                              cb_store_fts_results *out, cb_error *err)
{
    out->hits = NULL;
    out->n = out->cap = 0;
    if (limit < 1 || limit > 100000)
        return cb_error_set(err, CB_EINVAL, "search limit %zu is out of range (1 to 100000)", limit);
    if (!q)
        return cb_error_set(err, CB_EINVAL, "no search query");
    return s->ops->fts_search(s, q, limit, include_archived, out, err);
}

void cb_store_fts_results_release(cb_store_fts_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->hits[i].id);
        free(r->hits[i].snippet);
    }
    free(r->hits);
    r->hits = NULL;
    r->n = r->cap = 0;
}
