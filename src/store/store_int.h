/*
 * store_int.h — the table of operations every store backend provides (as
 * libuv keeps its platforms), and the schema steps.  store.c is the only
 * caller of these operations: it checks arguments and keeps the transaction
 * state, so a backend does only the work.  A backend allocates its handle
 * and rows with struct cb_store / struct cb_store_rows as their first member.
 */
#ifndef CB_STORE_INT_H
#define CB_STORE_INT_H

#include "casebook/store.h"

typedef struct cb_store_backend cb_store_backend;

struct cb_store {
    const cb_store_backend *ops;
    bool in_tx;  /* a transaction is open (kept by store.c) */
    int version; /* schema version after migration */
};

struct cb_store_rows {
    const cb_store_backend *ops;
};

/* One statement of a schema migration. */
typedef struct cb__store_step {
    int version;     /* the schema version the statement belongs to */
    const char *sql; /* one statement, no parameters */
} cb__store_step;

/* The portable statements of every version, in order (schema.c). */
extern const cb__store_step cb__store_schema[];
extern const size_t cb__store_schema_len;

struct cb_store_backend {
    const char *name;

    /* Open or create the database at path (opts checked, busy timeout applied); no migration. */
    cb_status (*open)(const char *path, const cb_store_opts *opts, cb_store **out, cb_error *err);
    void (*close)(cb_store *s);

    /* One statement; params validated by the backend ($1..$n exactly).  See store.h. */
    cb_status (*exec)(cb_store *s, const char *sql, const cb_store_value *params, size_t n, int64_t *changes,
                      cb_error *err);
    cb_status (*query)(cb_store *s, const char *sql, const cb_store_value *params, size_t n,
                       cb_store_rows **out, cb_error *err);
    cb_status (*rows_next)(cb_store_rows *r, bool *row, cb_error *err);
    int (*rows_columns)(const cb_store_rows *r);
    bool (*rows_is_null)(const cb_store_rows *r, int col);
    const char *(*rows_text)(const cb_store_rows *r, int col);
    int64_t (*rows_int)(const cb_store_rows *r, int col);
    void (*rows_free)(cb_store_rows *r);

    /* A write transaction that holds the write lock from its start; store.c forbids nesting. */
    cb_status (*begin)(cb_store *s, cb_error *err);
    cb_status (*commit)(cb_store *s, cb_error *err);
    cb_status (*rollback)(cb_store *s, cb_error *err);

    cb_status (*now)(cb_store *s, char out[CB_STORE_TIME_SIZE], cb_error *err);

    /*
     * What the schema is: *version is the highest recorded in schema_migrations
     * (0 without that table); *foreign tells whether, without that table, the
     * database holds other tables (then it is not casebook's).
     */
    cb_status (*schema_probe)(cb_store *s, int *version, bool *foreign, cb_error *err);
    /* The backend's own statements (run after the portable ones of the same version). */
    const cb__store_step *steps;
    size_t nsteps;

    cb_status (*fts_index)(cb_store *s, const char *id, const char *const text[5], cb_error *err);
    cb_status (*fts_remove)(cb_store *s, const char *id, cb_error *err);
    cb_status (*fts_search)(cb_store *s, const cb_store_fts_query *q, size_t limit, bool include_archived,
                            cb_store_fts_results *out, cb_error *err);
};

extern const cb_store_backend cb__store_sqlite;

#endif
