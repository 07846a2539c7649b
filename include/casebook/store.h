/*
 * store.h — the database casebook keeps its knowledge base, people and cases
 * in: one interface over interchangeable backends (SQLite here; PostgreSQL
 * later, against the same interface and tests).  docs/knowledge.md ("The
 * store") explains the design; the schema is src/store/schema.c.
 *
 * The upper layers write portable SQL with positional placeholders $1, $2,
 * ... (the spelling both SQLite and PostgreSQL accept), read rows through
 * cb_store_rows, and group each command's writes in one transaction
 * (cb_store_begin / cb_store_commit).  What SQL cannot say portably is a
 * function here with a documented contract: the clock (cb_store_now) and
 * full-text search over articles (cb_store_fts_*).  Upserts need no function:
 * `INSERT ... ON CONFLICT (key) DO UPDATE SET col = excluded.col` and
 * `RETURNING` are spelled the same in both backends.
 *
 * Times are stored as ISO 8601 UTC text, "YYYY-MM-DDTHH:MM:SSZ" (a date
 * alone, "YYYY-MM-DD", where an article file gives only a date): fixed
 * width, so text order is time order in either backend, and readable as is.
 *
 * A cb_store is used by one thread at a time.  Every string passed in is
 * borrowed for the call; every string handed out says who owns it.
 */
#ifndef CASEBOOK_STORE_H
#define CASEBOOK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_store cb_store;           /* an open database (opaque) */
typedef struct cb_store_rows cb_store_rows; /* the rows of one query (opaque) */

enum {
    CB_STORE_SCHEMA_VERSION = 1,     /* the newest schema this casebook knows */
    CB_STORE_BUSY_TIMEOUT_MS = 5000, /* default wait for another process's write lock */
    CB_STORE_TIME_SIZE = 24,         /* bytes for cb_store_now's text and its NUL */
};

typedef struct cb_store_opts {
    const char *backend; /* "sqlite"; NULL is "sqlite" */
    /* How long a statement waits for another process's lock before failing with CB_EIO, in milliseconds
       (0 to 3,600,000).  Set by cb_store_opts_init to CB_STORE_BUSY_TIMEOUT_MS. */
    int busy_timeout_ms;
    /* Migrate only up to this schema version (1 to CB_STORE_SCHEMA_VERSION); 0, the default, is the newest.
       Tests use it to build a database of an earlier schema. */
    int schema_version;
} cb_store_opts;

/* Defaults: the SQLite backend, a 5 s busy timeout, the newest schema. */
void cb_store_opts_init(cb_store_opts *o);

/*
 * Where the database is when the command line names none (the CLI checks its
 * --db option first): $CASEBOOK_DB if set and not empty; else
 * $XDG_DATA_HOME/casebook/casebook.db if XDG_DATA_HOME is an absolute path
 * (the XDG rule: a relative one is ignored); else
 * $HOME/.local/share/casebook/casebook.db.  Nothing is created here.
 * On CB_OK *out is a heap string the caller frees with free().  Fails with
 * CB_ENOTFOUND when none of the three is set (*out NULL), CB_ENOMEM.
 */
cb_status cb_store_default_path(char **out, cb_error *err);

/*
 * Open the database at `path` (SQLite: a file path; a relative one is taken
 * from the current directory, and no path is read as an SQLite URI), creating
 * its missing parent directories (mode 0700) and the file (mode 0600) on
 * first use.  The connection uses WAL journaling, enforces foreign keys, and
 * waits up to opts->busy_timeout_ms for other processes' locks.  Schema
 * migrations the database lacks are then applied, each version in its own
 * transaction and recorded in the table schema_migrations, so a database is
 * always at a version this casebook wrote completely.  opts may be NULL
 * (cb_store_opts_init's defaults).
 *
 * On CB_OK *out is an open store the caller closes with cb_store_close.
 * Fails, with *out NULL and err naming path, with:
 *   CB_EUNSUPPORTED  the database's schema is newer than this casebook's (the
 *                    message names both versions); the file is not a
 *                    database; or it is a database with tables but no
 *                    schema_migrations (not casebook's): nothing is changed
 *   CB_EINVAL        an option is out of range or the backend is unknown
 *   CB_EIO           a directory or the file cannot be created or opened; a
 *                    lock held longer than the busy timeout
 *   CB_ECORRUPT      the database is damaged
 *   CB_ENOMEM
 */
cb_status cb_store_open(const char *path, const cb_store_opts *opts, cb_store **out, cb_error *err);

/*
 * Close the store.  A transaction still open is rolled back.  Every rows
 * object must have been freed before.  Accepts NULL.
 */
void cb_store_close(cb_store *s);

/* The backend's name ("sqlite") and the schema version the database is at. */
const char *cb_store_backend_name(const cb_store *s);
int cb_store_version(const cb_store *s);

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

typedef enum cb_store_type {
    CB_STORE_NULL = 0,
    CB_STORE_INT = 1,  /* a 64-bit integer (booleans are 0 and 1) */
    CB_STORE_TEXT = 2, /* NUL-terminated UTF-8 */
} cb_store_type;

/* A value bound to a placeholder.  Build with cb_store_int / cb_store_text / cb_store_null. */
typedef struct cb_store_value {
    cb_store_type type;
    int64_t i;     /* CB_STORE_INT */
    const char *s; /* CB_STORE_TEXT: borrowed for the call */
} cb_store_value;

static inline cb_store_value cb_store_int(int64_t i)
{
    cb_store_value v = {CB_STORE_INT, i, NULL};
    return v;
}

/* A text value; NULL binds SQL NULL (handy for optional fields). */
static inline cb_store_value cb_store_text(const char *s)
{
    cb_store_value v = {s ? CB_STORE_TEXT : CB_STORE_NULL, 0, s};
    return v;
}

static inline cb_store_value cb_store_null(void)
{
    cb_store_value v = {CB_STORE_NULL, 0, NULL};
    return v;
}

/*
 * Placeholders.  `sql` is one statement whose parameters are written $1, $2,
 * ... $n, each bound to params[k-1] by its number, wherever and however often
 * it appears (SQLite numbers "$k" parameters in order of first appearance,
 * so binding by that order would swap $2 and $1 in "... $2 ... $1": the
 * backend binds by name).  The statement must use exactly $1..$nparams, every
 * one of them (PostgreSQL refuses unused parameters); any other parameter
 * spelling (?, ?NNN, :name, @name, $name) is refused, so SQL that would only
 * work on one backend fails on both.
 */

/*
 * Run one statement (INSERT, UPDATE, DELETE, CREATE ...), stepping it to its
 * end; rows it returns are discarded.  *changes (may be NULL) receives the
 * number of rows inserted, updated or deleted.  Outside a transaction the
 * statement commits on its own.  Fails with CB_EINVAL (SQL error, more than
 * one statement, bad placeholders, a constraint such as a CHECK, UNIQUE or
 * FOREIGN KEY violated: the message is the backend's), CB_EIO (lock wait
 * past the busy timeout, disk error), CB_ECORRUPT, CB_ENOMEM.
 */
cb_status cb_store_exec(cb_store *s, const char *sql, const cb_store_value *params, size_t nparams,
                        int64_t *changes, cb_error *err);

/*
 * Prepare a query (one statement, placeholders as above) and bind its
 * parameters; rows are read with cb_store_rows_next.  On CB_OK *out owns the
 * rows (free with cb_store_rows_free, before cb_store_close).  Fails as
 * cb_store_exec, with *out NULL.
 */
cb_status cb_store_query(cb_store *s, const char *sql, const cb_store_value *params, size_t nparams,
                         cb_store_rows **out, cb_error *err);

/*
 * Step to the next row: *row is true when there is one, false at the end
 * (and after an error).  Fails as cb_store_exec.
 */
cb_status cb_store_rows_next(cb_store_rows *r, bool *row, cb_error *err);

/* Columns of the query (0-based below). */
int cb_store_rows_columns(const cb_store_rows *r);

/* Is column `col` of the current row NULL?  True for a column out of range. */
bool cb_store_rows_is_null(const cb_store_rows *r, int col);

/*
 * Column `col` of the current row as text; NULL for SQL NULL or a column out
 * of range.  The string is owned by the rows object and valid until the next
 * cb_store_rows_next or cb_store_rows_free.  Integers come back as their
 * decimal text.
 */
const char *cb_store_rows_text(const cb_store_rows *r, int col);

/* Column `col` of the current row as an integer; 0 for NULL or a column out of range. */
int64_t cb_store_rows_int(const cb_store_rows *r, int col);

/* Free the rows (the statement ends).  Accepts NULL. */
void cb_store_rows_free(cb_store_rows *r);

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

/*
 * Start a write transaction: everything until cb_store_commit is kept all
 * together or not at all (a crash or a kill leaves none of it).  The write
 * lock is taken here (SQLite: BEGIN IMMEDIATE), waiting up to the busy
 * timeout, so that two processes never both read then fail to write.
 * Transactions do not nest: CB_EINVAL when one is open.  CB_EIO when the
 * lock was not had within the busy timeout.
 */
cb_status cb_store_begin(cb_store *s, cb_error *err);

/*
 * Make the transaction durable.  CB_EINVAL when none is open.  On any failure
 * the transaction is rolled back (nothing of it is written) and no
 * transaction is open any more.
 */
cb_status cb_store_commit(cb_store *s, cb_error *err);

/*
 * Undo the transaction.  With none open it does nothing and returns CB_OK,
 * so that cleanup paths may call it unconditionally.
 */
cb_status cb_store_rollback(cb_store *s, cb_error *err);

/* Is a transaction open? */
bool cb_store_in_transaction(const cb_store *s);

/* ------------------------------------------------------------------ */
/* Backend operations: what portable SQL cannot say                     */
/* ------------------------------------------------------------------ */

/*
 * The current time, from the database's clock (the server's, for a
 * client-server backend), in UTC as "YYYY-MM-DDTHH:MM:SSZ", written into out
 * with its NUL.  Fails with CB_EIO / CB_ENOMEM.
 */
cb_status cb_store_now(cb_store *s, char out[CB_STORE_TIME_SIZE], cb_error *err);

/*
 * Full-text search over articles: title, issue, environment, cause and
 * resolution, stemmed (SQLite: FTS5, tokenize='porter unicode61').
 *
 * cb_store_fts_index stores or replaces the index entry of article `id`,
 * which must be a row of `articles` (CB_ENOTFOUND otherwise); the texts may
 * be NULL (empty).  Call it in the transaction that writes the article
 * (outside a transaction it runs in one of its own: the entry is replaced
 * whole or not at all).  The entry goes when the article row is deleted, or
 * with cb_store_fts_remove (removing an id that has no entry does nothing).
 * Fail as cb_store_exec.
 */
cb_status cb_store_fts_index(cb_store *s, const char *id, const char *title, const char *issue,
                             const char *environment, const char *cause, const char *resolution,
                             cb_error *err);
cb_status cb_store_fts_remove(cb_store *s, const char *id, cb_error *err);

/*
 * A search, as lists: no user syntax ever reaches the engine.  Each term is
 * matched as text, tokenized like the articles (so 0x800f0805 and
 * WSAECONNRESET are single tokens, and "dr-proxy01" is the two tokens dr,
 * proxy01 in a row); quotes, parentheses, *, ^, :, AND/OR/NOT/NEAR and column
 * names inside a term are just text.  A term with no letter or digit (as
 * "()" or "--") is ignored.
 *   words     single terms, stemmed (resolving finds resolved)
 *   phrases   terms whose tokens must appear in a row ("forcibly closed")
 *   prefixes  terms matching every token they begin ("resolv" finds resolve, resolving)
 *   any       false: an article must match every term; true: any term, ranked by
 *             how many and how rare (the pasted-log-line search)
 * mark_open / mark_close surround each matched token in the snippet (NULL:
 * "[" and "]").
 */
typedef struct cb_store_fts_query {
    char *const *words;
    size_t nwords;
    char *const *phrases;
    size_t nphrases;
    char *const *prefixes;
    size_t nprefixes;
    bool any;
    const char *mark_open, *mark_close;
} cb_store_fts_query;

typedef struct cb_store_fts_hit {
    char *id; /* the article's id */
    double
        score; /* BM25, title weighted 10 and issue 5 against 1 for the others, negated: higher is better */
    char *snippet; /* up to 16 tokens around the best match, matched tokens marked, "…" where text was cut */
} cb_store_fts_hit;

typedef struct cb_store_fts_results {
    cb_store_fts_hit *hits; /* best first; ties by id */
    size_t n;
    size_t cap;
} cb_store_fts_results;

/*
 * Search: at most `limit` (1 to 100,000) articles, archived ones only when
 * include_archived.  *out is initialised here (what it held is not freed) and
 * owns its hits: release it with cb_store_fts_results_release whatever is
 * returned.  A query with no usable term finds nothing (CB_OK, n == 0).
 * Fails with CB_EINVAL (limit out of range), CB_EIO, CB_ENOMEM.
 */
cb_status cb_store_fts_search(cb_store *s, const cb_store_fts_query *q, size_t limit, bool include_archived,
                              cb_store_fts_results *out, cb_error *err);

/* Free every hit and empty r.  Accepts NULL. */
void cb_store_fts_results_release(cb_store_fts_results *r);

#ifdef __cplusplus
}
#endif
#endif
