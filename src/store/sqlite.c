/*
 * sqlite.c — the store on SQLite (libsqlite3): one file, WAL journaling,
 * foreign keys on, a busy timeout so that processes wait for each other's
 * write lock, and FTS5 (porter stemming) for article search.
 *
 * Placeholders: SQLite reads "$1" as a *named* parameter and numbers named
 * parameters in order of first appearance, so "... $2 ... $1" has "$2" at
 * index 1.  Parameters are therefore bound by name ("$k" gets params[k-1]),
 * never by index, and any other spelling is refused (bind()).
 *
 * Statements are cached per connection, keyed by their SQL text: preparing
 * costs more than running most of the statements casebook writes (an import
 * runs the same seven per article), so a statement is prepared once, and
 * after each use it is reset and its bindings cleared (no borrowed string
 * stays bound) and put back.  A statement in use (a rows object still open on
 * it) is never handed out twice: the same SQL then gets a statement of its
 * own, finalized when it is done.  The cache never makes a call fail: when
 * it is full of statements in use or a copy of the SQL cannot be allocated,
 * the statement is simply not cached.  Close finalizes what it holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "store/store_int.h"

enum { SQ_CACHE = 32 }; /* statements kept per connection; casebook's commands use a dozen or two */

typedef struct sq_cached {
    char *sql;        /* heap copy of the key; NULL: the slot is free */
    sqlite3_stmt *st; /* prepared, reset, no bindings while not busy */
    bool busy;        /* handed out, not given back yet */
    uint64_t used;    /* when it was last handed out (the least recent idle one is evicted) */
} sq_cached;

typedef struct sq_store {
    cb_store base; /* first: the handle store.c sees */
    sqlite3 *db;
    char *path;
    int busy_ms;
    sq_cached cache[SQ_CACHE];
    uint64_t clock; /* counts hand-outs, for sq_cached.used */
} sq_store;

typedef struct sq_rows {
    cb_store_rows base; /* first */
    sq_store *s;
    sqlite3_stmt *st;
    bool row;  /* positioned on a row */
    bool done; /* stepped past the end: never step again (SQLite would restart the query) */
} sq_rows;

static cb_status status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return CB_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
        return CB_EIO;
    case SQLITE_CORRUPT:
        return CB_ECORRUPT;
    case SQLITE_NOTADB:
        return CB_EUNSUPPORTED;
    default: /* SQLITE_ERROR (bad SQL), SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_TOOBIG, SQLITE_RANGE ... */
        return CB_EINVAL;
    }
}

/* An error from SQLite, named after the database file. */
static cb_status fail(sq_store *s, int rc, cb_error *err)
{
    cb_status st = status_of(rc);
    if (st == CB_ENOMEM)
        return cb_error_set(err, st, "out of memory");
    const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return cb_error_set(err, st, "%s: %s (another process held it longer than the busy timeout, %d ms)",
                            s->path, msg, s->busy_ms);
    return cb_error_set(err, st, "%s: %s", s->path, msg);
}

/* Is `name` "$k" with k in 1..n written without leading zeros?  Then *k is set. */
static bool positional(const char *name, size_t n, size_t *k)
{
    if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
        return false;
    size_t v = 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9' || v > n)
            return false;
        v = v * 10 + (size_t)(*p - '0');
    }
    *k = v;
    return v >= 1 && v <= n;
}

/* Bind params to st's $k parameters by name; all of $1..$n must be used, nothing else. */
static cb_status bind(sq_store *s, sqlite3_stmt *st, const cb_store_value *p, size_t n, bool copy,
                      cb_error *err)
{
    int count = sqlite3_bind_parameter_count(st);
    for (int idx = 1; idx <= count; idx++) {
        const char *name = sqlite3_bind_parameter_name(st, idx);
        size_t k;
        if (!positional(name, n, &k)) {
            if (name && positional(name, SIZE_MAX / 16, &k))
                return cb_error_set(err, CB_EINVAL, "%s: the statement uses %s but %zu values were given",
                                    s->path, name, n);
            return cb_error_set(err, CB_EINVAL,
                                "%s: placeholder '%s' is not $1..$%zu (write placeholders $1, $2, ...)",
                                s->path, name ? name : "?", n);
        }
        const cb_store_value *v = &p[k - 1];
        int rc;
        if (v->type == CB_STORE_INT)
            rc = sqlite3_bind_int64(st, idx, v->i);
        else if (v->type == CB_STORE_TEXT)
            rc = sqlite3_bind_text(st, idx, v->s, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
        else
            rc = sqlite3_bind_null(st, idx);
        if (rc)
            return fail(s, rc, err);
    }
    /* Distinct names get distinct indexes, each checked to be in 1..n: count == n means every $k is used. */
    if ((size_t)count != n)
        return cb_error_set(err, CB_EINVAL, "%s: %zu values given but the statement uses %d of $1..$%zu",
                            s->path, n, count, n);
    return CB_OK;
}

/* The idle cached statement for sql, or NULL.  It is marked busy. */
static sqlite3_stmt *cache_take(sq_store *s, const char *sql)
{
    for (size_t i = 0; i < SQ_CACHE; i++) {
        sq_cached *c = &s->cache[i];
        if (c->sql && !c->busy && strcmp(c->sql, sql) == 0) {
            c->busy = true;
            c->used = ++s->clock;
            return c->st;
        }
    }
    return NULL;
}

/* Keep st (just prepared from sql, which passed every check) in the cache, busy; false when it cannot be kept. */
static bool cache_put(sq_store *s, const char *sql, sqlite3_stmt *st)
{
    sq_cached *slot = NULL;
    for (size_t i = 0; i < SQ_CACHE; i++) {
        sq_cached *c = &s->cache[i];
        if (!c->sql) {
            slot = c;
            break;
        }
        if (!c->busy && (!slot || c->used < slot->used))
            slot = c;
    }
    if (!slot)
        return false; /* every statement is in use */
    char *key = strdup(sql);
    if (!key)
        return false;
    if (slot->sql) {
        sqlite3_finalize(slot->st);
        free(slot->sql);
    }
    slot->sql = key;
    slot->st = st;
    slot->busy = true;
    slot->used = ++s->clock;
    return true;
}

/*
 * Give back a statement from prepare(): a cached one is reset, its bindings
 * cleared and made idle; any other is finalized.  Accepts NULL.
 */
static void release(sq_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < SQ_CACHE; i++) {
        sq_cached *c = &s->cache[i];
        if (c->sql && c->st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            c->busy = false;
            return;
        }
    }
    sqlite3_finalize(st);
}

/* Finalize the cached statements (only the idle ones when idle_only). */
static void cache_clear(sq_store *s, bool idle_only)
{
    for (size_t i = 0; i < SQ_CACHE; i++) {
        sq_cached *c = &s->cache[i];
        if (c->sql && !(idle_only && c->busy)) {
            sqlite3_finalize(c->st);
            free(c->sql);
            c->sql = NULL;
            c->st = NULL;
        }
    }
}

/*
 * Does sql change the schema (CREATE, ALTER, DROP)?  Such a statement is not
 * cached, and once it has run the idle cached statements are dropped: SQLite
 * prepares an outdated statement again when it is stepped, but until then it
 * reports the old columns (cb_store_rows_columns).
 */
static bool changes_schema(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')
        sql++;
    return !strncasecmp(sql, "CREATE", 6) || !strncasecmp(sql, "ALTER", 5) || !strncasecmp(sql, "DROP", 4);
}

/*
 * Prepare exactly one statement, or take it from the cache, and bind its
 * parameters (copied when the statement outlives the call).  Give it back
 * with release().
 */
static cb_status prepare(sq_store *s, const char *sql, const cb_store_value *p, size_t n, bool copy,
                         sqlite3_stmt **out, cb_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = cache_take(s, sql);
    if (!st) {
        const char *tail = NULL;
        int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
        if (rc)
            return fail(s, rc, err);
        if (!st)
            return cb_error_set(err, CB_EINVAL, "%s: empty SQL statement", s->path);
        while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
            tail++;
        if (tail && *tail) {
            sqlite3_finalize(st);
            return cb_error_set(err, CB_EINVAL, "%s: more than one SQL statement (at '%.40s')", s->path, tail);
        }
        if (!changes_schema(sql))
            cache_put(s, sql, st); /* not kept: release() finalizes it */
    }
    cb_status r = bind(s, st, p, n, copy, err);
    if (r) {
        release(s, st);
        return r;
    }
    *out = st;
    return CB_OK;
}

static cb_status sq_exec(cb_store *h, const char *sql, const cb_store_value *p, size_t n, int64_t *changes,
                         cb_error *err)
{
    sq_store *s = (sq_store *)h;
    sqlite3_stmt *st;
    cb_status r = prepare(s, sql, p, n, false, &st, err);
    if (r)
        return r;
    int64_t before = sqlite3_total_changes64(s->db);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc == SQLITE_DONE) {
        /* sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE: a CREATE changed nothing. */
        if (changes)
            *changes = sqlite3_total_changes64(s->db) != before ? sqlite3_changes64(s->db) : 0;
    } else {
        r = fail(s, rc, err);
    }
    release(s, st);
    if (changes_schema(sql))
        cache_clear(s, true);
    return r;
}

static cb_status sq_query(cb_store *h, const char *sql, const cb_store_value *p, size_t n,
                          cb_store_rows **out, cb_error *err)
{
    sq_store *s = (sq_store *)h;
    sq_rows *r = calloc(1, sizeof *r);
    if (!r)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_status st = prepare(s, sql, p, n, true, &r->st, err);
    if (st) {
        free(r);
        return st;
    }
    r->base.ops = &cb__store_sqlite;
    r->s = s;
    *out = &r->base;
    return CB_OK;
}

static cb_status sq_rows_next(cb_store_rows *h, bool *row, cb_error *err)
{
    sq_rows *r = (sq_rows *)h;
    *row = r->row = false;
    if (r->done)
        return CB_OK;
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW) {
        *row = r->row = true;
        return CB_OK;
    }
    r->done = true;
    return rc == SQLITE_DONE ? CB_OK : fail(r->s, rc, err);
}

static int sq_rows_columns(const cb_store_rows *h)
{
    return sqlite3_column_count(((const sq_rows *)h)->st);
}

static bool sq_rows_is_null(const cb_store_rows *h, int col)
{
    const sq_rows *r = (const sq_rows *)h;
    return !r->row || sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

static const char *sq_rows_text(const cb_store_rows *h, int col)
{
    return (const char *)sqlite3_column_text(((const sq_rows *)h)->st, col);
}

static int64_t sq_rows_int(const cb_store_rows *h, int col)
{
    return sqlite3_column_int64(((const sq_rows *)h)->st, col);
}

static void sq_rows_free(cb_store_rows *h)
{
    sq_rows *r = (sq_rows *)h;
    release(r->s, r->st);
    free(r);
}

/* A statement without parameters whose first row's first column is text: PRAGMAs, the clock. */
static cb_status text_of(sq_store *s, const char *sql, char *out, size_t size, cb_error *err)
{
    sqlite3_stmt *st;
    cb_status r = prepare(s, sql, NULL, 0, false, &st, err);
    if (r)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        cb__strlcpy(out, t ? t : "", size);
    } else {
        r = rc == SQLITE_DONE ? cb_error_set(err, CB_EIO, "%s: '%s' returned nothing", s->path, sql)
                              : fail(s, rc, err);
    }
    release(s, st);
    return r;
}

static cb_status sq_begin(cb_store *h, cb_error *err)
{
    /* IMMEDIATE: the write lock now, waiting under the busy timeout; a deferred transaction that read first
       could not upgrade to write once another process had written (SQLITE_BUSY at once, no wait). */
    return sq_exec(h, "BEGIN IMMEDIATE", NULL, 0, NULL, err);
}

static cb_status sq_commit(cb_store *h, cb_error *err)
{
    return sq_exec(h, "COMMIT", NULL, 0, NULL, err);
}

static cb_status sq_rollback(cb_store *h, cb_error *err)
{
    sq_store *s = (sq_store *)h;
    /* Some errors (a full disk, out of memory) make SQLite roll back by itself. */
    if (sqlite3_get_autocommit(s->db))
        return CB_OK;
    return sq_exec(h, "ROLLBACK", NULL, 0, NULL, err);
}

static cb_status sq_now(cb_store *h, char out[CB_STORE_TIME_SIZE], cb_error *err)
{
    return text_of((sq_store *)h, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", out, CB_STORE_TIME_SIZE,
                   err);
}

static cb_status sq_schema_probe(cb_store *h, int *version, bool *foreign, cb_error *err)
{
    sq_store *s = (sq_store *)h;
    *version = 0;
    *foreign = false;
    /* One statement, one snapshot: read apart, "no schema_migrations" then "tables" could straddle another
       process's first migration, and a new database looked like someone else's. */
    char tables[24], v[24];
    cb_status r = text_of(s,
                          "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'schema_migrations') THEN -1"
                          " ELSE (SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%') END",
                          tables, sizeof tables, err);
    if (!r && strcmp(tables, "-1") != 0) {
        *foreign = strcmp(tables, "0") != 0;
        return r;
    }
    if (!r)
        r = text_of(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", v, sizeof v, err);
    if (!r)
        *version = atoi(v);
    return r;
}

/* Create the missing parent directories of path, mode 0700. */
static cb_status make_parents(const char *path, cb_error *err)
{
    size_t n = strlen(path);
    char *dir = malloc(n + 1);
    if (!dir)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    memcpy(dir, path, n + 1);
    cb_status r = CB_OK;
    for (char *p = dir + 1; !r && (p = strchr(p, '/')); p++) {
        *p = '\0';
        struct stat sb;
        if (stat(dir, &sb) != 0 && mkdir(dir, 0700) != 0 && errno != EEXIST)
            r = cb_error_set(err, CB_EIO, "cannot create directory %s: %s", dir, strerror(errno));
        *p = '/';
    }
    free(dir);
    return r;
}

static void sq_close(cb_store *h)
{
    sq_store *s = (sq_store *)h;
    cache_clear(s, false);
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

static cb_status sq_open(const char *path, const cb_store_opts *opts, cb_store **out, cb_error *err)
{
    cb_status r = make_parents(path, err);
    if (r)
        return r;
    /* Created here rather than by SQLite, which would make it 0644: the store holds internal notes. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return cb_error_set(err, CB_EIO, "cannot open %s: %s", path, strerror(errno));
    /* SQLite takes a 1-byte file for an empty database (its unix VFS rounds the size down) and would
       overwrite it: a file that is not empty must begin with the header, or it is not a database. */
    char head[16];
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    if (got > 0 && memcmp(head, "SQLite format 3", (size_t)got < sizeof head ? (size_t)got : sizeof head))
        return cb_error_set(err, CB_EUNSUPPORTED, "%s: file is not a database", path);
    sq_store *s = calloc(1, sizeof *s);
    size_t n = strlen(path);
    if (s)
        s->path = malloc(n + 3);
    if (!s || !s->path) {
        free(s);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    /* "./" before a relative path: SQLite (built with SQLITE_USE_URI) would read "file:..." as a URI. */
    snprintf(s->path, n + 3, "%s%s", path[0] == '/' ? "" : "./", path);
    s->busy_ms = opts->busy_timeout_ms;
    int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    memmove(s->path, path, n + 1); /* messages name the path as given */
    if (rc) {
        r = fail(s, rc, err);
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, opts->busy_timeout_ms);
    /* Someone else's database is refused (store.c) as it is: switching it to WAL would rewrite its header. */
    int version;
    bool foreign;
    if ((r = sq_schema_probe(&s->base, &version, &foreign, err)) || foreign)
        goto out;
    /* The switch to WAL of a new file that other processes open at the same time can fail with SQLITE_BUSY
       at once, without the busy handler (a read lock upgraded to a write lock; seen about once in 50 rounds
       of 8 processes): it is retried here as the handler would, up to the busy timeout. */
    char mode[16], fk[16];
    for (int waited = 0;; waited += 5) {
        r = text_of(s, "PRAGMA journal_mode = WAL", mode, sizeof mode, err);
        if (!r || waited >= s->busy_ms || (sqlite3_errcode(s->db) & 0xff) != SQLITE_BUSY)
            break;
        sqlite3_sleep(5);
    }
    if (r)
        goto out;
    if (strcmp(mode, "wal") != 0) {
        r = cb_error_set(err, CB_EIO, "%s: cannot use WAL journaling (journal mode is %s)", path, mode);
        goto out;
    }
    if ((r = sq_exec(&s->base, "PRAGMA foreign_keys = ON", NULL, 0, NULL, err)) ||
        (r = text_of(s, "PRAGMA foreign_keys", fk, sizeof fk, err)))
        goto out;
    if (strcmp(fk, "1") != 0)
        r = cb_error_set(err, CB_EUNSUPPORTED, "%s: this SQLite does not enforce foreign keys", path);
out:
    if (r) {
        sq_close(&s->base);
        return r;
    }
    *out = &s->base;
    return CB_OK;
}

/* ---- full-text search ---- */

static cb_status sq_fts_index(cb_store *h, const char *id, const char *const text[5], cb_error *err)
{
    sq_store *s = (sq_store *)h;
    cb_store_value pid[] = {cb_store_text(id)};
    cb_store_rows *rows;
    bool found = false;
    cb_status r = sq_query(h, "SELECT docid FROM article_fts_docs WHERE article = $1", pid, 1, &rows, err);
    if (r)
        return r;
    r = sq_rows_next(rows, &found, err);
    int64_t docid = found ? sq_rows_int(rows, 0) : 0;
    sq_rows_free(rows);
    if (r)
        return r;
    if (!found) {
        int64_t added = 0;
        r = sq_exec(h, "INSERT INTO article_fts_docs (article) SELECT id FROM articles WHERE id = $1", pid, 1,
                    &added, err);
        if (!r && !added)
            return cb_error_set(err, CB_ENOTFOUND, "%s: no article '%s' to index", s->path, id);
        docid = sqlite3_last_insert_rowid(s->db);
    }
    cb_store_value p[] = {cb_store_int(docid),
                          cb_store_text(text[0] ? text[0] : ""),
                          cb_store_text(text[1] ? text[1] : ""),
                          cb_store_text(text[2] ? text[2] : ""),
                          cb_store_text(text[3] ? text[3] : ""),
                          cb_store_text(text[4] ? text[4] : "")};
    if (!r && found)
        r = sq_exec(h, "DELETE FROM article_fts WHERE rowid = $1", p, 1, NULL, err);
    if (!r)
        r = sq_exec(h,
                    "INSERT INTO article_fts (rowid, title, issue, environment, cause, resolution)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    p, 6, NULL, err);
    return r;
}

static cb_status sq_fts_remove(cb_store *h, const char *id, cb_error *err)
{
    /* The trigger article_fts_docs_delete removes the text. */
    cb_store_value p[] = {cb_store_text(id)};
    return sq_exec(h, "DELETE FROM article_fts_docs WHERE article = $1", p, 1, NULL, err);
}

/* Does FTS5's unicode61 tokenizer find a token in t?  ASCII letters and digits, or any non-ASCII byte. */
static bool has_token(const char *t)
{
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            return true;
    return false;
}

/*
 * The FTS5 MATCH text of q: every term a string in double quotes (an inner
 * quote doubled), so that nothing in it is syntax; prefixes followed by *;
 * joined by AND or OR.  skip (may be NULL) has one flag per term, words then
 * phrases then prefixes: the terms to leave out.  Returns NULL when out of
 * memory; *any_term false when no term has a token.
 */
static char *match_text(const cb_store_fts_query *q, const bool *skip, bool *any_term)
{
    char *const *lists[3] = {q->words, q->phrases, q->prefixes};
    size_t counts[3] = {q->nwords, q->nphrases, q->nprefixes};
    size_t need = 1;
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++)
            if (lists[l][i])
                need += 2 * strlen(lists[l][i]) + 8;
    char *out = malloc(need), *o = out;
    if (!out)
        return NULL;
    *any_term = false;
    size_t k = 0;
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++, k++) {
            const char *t = lists[l][i];
            if (!t || !has_token(t) || (skip && skip[k]))
                continue;
            if (*any_term) {
                memcpy(o, q->any ? " OR " : " AND ", q->any ? 4 : 5);
                o += q->any ? 4 : 5;
            }
            *o++ = '"';
            for (; *t; t++) {
                if (*t == '"')
                    *o++ = '"';
                *o++ = *t;
            }
            *o++ = '"';
            if (l == 2)
                *o++ = '*';
            *any_term = true;
        }
    *o = '\0';
    return out;
}

static char *dup_text(const char *t)
{
    return t ? strdup(t) : strdup("");
}

/* Free the hits of out from index `from` on. */
static void drop_hits(cb_store_fts_results *out, size_t from)
{
    for (size_t i = from; i < out->n; i++) {
        free(out->hits[i].id);
        free(out->hits[i].snippet);
    }
    out->n = from;
}

/* Best first, ties by id. */
static int cmp_hit(const void *a, const void *b)
{
    const cb_store_fts_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

/*
 * The `want` best entries for match (archived ones skipped unless asked),
 * appended to out without snippets.  FTS5 ranks inside the full-text index
 * (ORDER BY rank with a LIMIT keeps only the best rows as it scores them);
 * only those rows are then looked up to find their article and its state.
 * When archived articles were skipped, or a tie with the last hit may lie
 * past the rows read, it reads again with four times as many rows.
 */
static cb_status ranked(sq_store *s, const char *match, size_t want, bool include_archived,
                        cb_store_fts_results *out, cb_error *err)
{
    size_t base = out->n;
    for (int64_t k = (int64_t)want + 8;; k *= 4) {
        sqlite3_stmt *best = NULL, *doc = NULL;
        cb_store_value p[] = {cb_store_text(match), cb_store_int(k)};
        cb_status r = prepare(s,
                              "SELECT rowid, rank FROM article_fts"
                              " WHERE article_fts MATCH $1 AND rank MATCH 'bm25(10.0, 5.0, 1.0, 1.0, 1.0)'"
                              " ORDER BY rank LIMIT $2",
                              p, 2, false, &best, err);
        cb_store_value pd[] = {cb_store_int(0)};
        if (!r)
            r = prepare(s,
                        "SELECT d.article, a.state FROM article_fts_docs d CROSS JOIN articles a"
                        " WHERE d.docid = $1 AND a.id = d.article",
                        pd, 1, false, &doc, err);
        int64_t read = 0;
        double last = 0;
        int rc = SQLITE_OK;
        while (!r && (rc = sqlite3_step(best)) == SQLITE_ROW) {
            read++;
            last = -sqlite3_column_double(best, 1);
            sqlite3_reset(doc);
            if ((rc = sqlite3_bind_int64(doc, sqlite3_bind_parameter_index(doc, "$1"),
                                         sqlite3_column_int64(best, 0)))) {
                r = fail(s, rc, err);
                break;
            }
            rc = sqlite3_step(doc);
            if (rc == SQLITE_DONE)
                continue; /* an entry whose article is gone cannot happen (trigger); skip it if it does */
            if (rc != SQLITE_ROW) {
                r = fail(s, rc, err);
                break;
            }
            const char *state = (const char *)sqlite3_column_text(doc, 1);
            if (!include_archived && state && strcmp(state, "archived") == 0)
                continue;
            if (!cb__grow((void **)&out->hits, &out->cap, out->n + 1, sizeof *out->hits)) {
                r = cb_error_set(err, CB_ENOMEM, "out of memory");
                break;
            }
            cb_store_fts_hit *hit = &out->hits[out->n];
            hit->id = dup_text((const char *)sqlite3_column_text(doc, 0));
            hit->score = last;
            hit->snippet = NULL;
            out->n++;
            if (!hit->id)
                r = cb_error_set(err, CB_ENOMEM, "out of memory");
        }
        if (!r && rc != SQLITE_DONE && rc != SQLITE_ROW)
            r = fail(s, rc, err);
        release(s, best);
        release(s, doc);
        if (r)
            return r;
        size_t got = out->n - base;
        if (got > 1)
            qsort(out->hits + base, got, sizeof *out->hits, cmp_hit);
        /* Done when the index has no more rows, or enough hits and the last one kept is better than any unread. */
        if (read < k || (got >= want && out->hits[base + want - 1].score > last)) {
            drop_hits(out, base + (got < want ? got : want));
            return CB_OK;
        }
        drop_hits(out, base);
        if (k > INT64_MAX / 8)
            return CB_OK;
    }
}

/* For each usable term of q, its article count up to cap (-1: no cap) in df[], drop[] = count > most. */
static cb_status count_terms(sq_store *s, const cb_store_fts_query *q, int64_t cap, int64_t most, int64_t *df,
                             bool *drop, size_t *kept, cb_error *err)
{
    char *const *lists[3] = {q->words, q->phrases, q->prefixes};
    size_t counts[3] = {q->nwords, q->nphrases, q->nprefixes};
    size_t k = 0;
    cb_status r = CB_OK;
    *kept = 0;
    for (int l = 0; l < 3 && !r; l++)
        for (size_t i = 0; i < counts[l] && !r; i++, k++) {
            const char *t = lists[l][i];
            if (!t || !has_token(t))
                continue;
            cb_store_fts_query one = {.words = l == 0 ? &lists[0][i] : NULL, .nwords = l == 0,
                                      .phrases = l == 1 ? &lists[1][i] : NULL, .nphrases = l == 1,
                                      .prefixes = l == 2 ? &lists[2][i] : NULL, .nprefixes = l == 2};
            bool any;
            char *m = match_text(&one, NULL, &any);
            if (!m)
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            sqlite3_stmt *st = NULL;
            cb_store_value p[] = {cb_store_text(m), cb_store_int(cap)};
            r = prepare(s,
                        "SELECT count(*) FROM (SELECT 1 FROM article_fts WHERE article_fts MATCH $1 LIMIT $2)",
                        p, 2, false, &st, err);
            if (!r) {
                int rc = sqlite3_step(st);
                df[k] = sqlite3_column_int64(st, 0);
                if (rc != SQLITE_ROW)
                    r = fail(s, rc, err);
                release(s, st);
            }
            free(m);
            drop[k] = df[k] > most;
            *kept += !drop[k];
        }
    return r;
}

/*
 * Any-term searches (a pasted log line): which terms to leave out because
 * they are common.  A term in more than 1 article in 10 adds little to BM25
 * (its weight is the log of how rare it is), but every article holding it
 * must then be scored: on 100,000 articles a line with "connection", "error"
 * and "data" in it scored most of them.  So such terms are dropped while
 * rarer terms remain; when every term is that common, the two rarest are
 * kept.  Counting stops past the threshold, so the counts cost little (all
 * of each term's articles are counted only when every term is common).
 * *skip is NULL when nothing is dropped (or for an all-terms search).
 */
static cb_status common_terms(sq_store *s, const cb_store_fts_query *q, bool **skip, cb_error *err)
{
    *skip = NULL;
    size_t n = q->nwords + q->nphrases + q->nprefixes;
    if (!q->any || n < 2)
        return CB_OK;
    sqlite3_stmt *st = NULL;
    cb_status r = prepare(s, "SELECT max(docid) FROM article_fts_docs", NULL, 0, false, &st, err);
    if (r)
        return r;
    int rc = sqlite3_step(st);
    int64_t docs = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    release(s, st);
    if (rc != SQLITE_ROW)
        return fail(s, rc, err);
    int64_t most = docs / 10;
    if (most < 100)
        return CB_OK; /* a small base: scoring everything is cheap */
    int64_t *df = calloc(n, sizeof *df);
    bool *drop = calloc(n, sizeof *drop);
    if (!df || !drop) {
        free(df);
        free(drop);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    /* Count each term's articles, up to most + 1; when every term passes that, count them all. */
    size_t kept = 0;
    for (int pass = 0; pass < 2 && !r && kept == 0; pass++)
        r = count_terms(s, q, pass == 0 ? most + 1 : -1, most, df, drop, &kept, err);
    /* Every term common: keep the two rarest (the first of equals). */
    for (int round = 0; !r && kept == 0 && round < 2; round++) {
        size_t best = n;
        for (size_t j = 0; j < n; j++)
            if (drop[j] && (best == n || df[j] < df[best]))
                best = j;
        if (best == n)
            break;
        drop[best] = false;
    }
    free(df);
    if (r) {
        free(drop);
        return r;
    }
    *skip = drop;
    return CB_OK;
}

static cb_status sq_fts_search(cb_store *h, const cb_store_fts_query *q, size_t limit, bool include_archived,
                               cb_store_fts_results *out, cb_error *err)
{
    sq_store *s = (sq_store *)h;
    bool any_term, *skip = NULL;
    cb_status r = common_terms(s, q, &skip, err);
    if (r)
        return r;
    char *match = match_text(q, skip, &any_term);
    free(skip);
    if (!match)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    if (!any_term) {
        free(match);
        return CB_OK;
    }
    /* The ranked ids first, then a snippet for each of them only: a snippet costs a pass over the text. */
    r = ranked(s, match, limit, include_archived, out, err);
    sqlite3_stmt *snip = NULL;
    cb_store_value ps[] = {cb_store_text(match), cb_store_text(q->mark_open ? q->mark_open : "["),
                           cb_store_text(q->mark_close ? q->mark_close : "]"), cb_store_text("")};
    if (!r && out->n)
        r = prepare(s,
                    "SELECT snippet(article_fts, -1, $2, $3, '\xe2\x80\xa6', 16) FROM article_fts"
                    " WHERE article_fts MATCH $1"
                    " AND rowid = (SELECT docid FROM article_fts_docs WHERE article = $4)",
                    ps, 4, false, &snip, err);
    for (size_t i = 0; !r && snip && i < out->n; i++) {
        cb_store_fts_hit *hit = &out->hits[i];
        sqlite3_reset(snip);
        int rc = sqlite3_bind_text(snip, sqlite3_bind_parameter_index(snip, "$4"), hit->id, -1, SQLITE_STATIC);
        if (rc || (rc = sqlite3_step(snip)) != SQLITE_ROW) {
            r = fail(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, err);
            break;
        }
        hit->snippet = dup_text((const char *)sqlite3_column_text(snip, 0));
        if (!hit->snippet)
            r = cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    release(s, snip);
    free(match);
    return r;
}

/*
 * The SQLite part of each schema version.  Article search: an FTS5 table
 * whose rowid is article_fts_docs.docid (an article id is text, an FTS5 rowid
 * an integer); deleting the article deletes its docs row (foreign key) and
 * the trigger deletes the text, so the index never holds an article that is
 * gone.
 */
static const cb__store_step sq_steps[] = {
    {1, "CREATE TABLE article_fts_docs ("
        " docid INTEGER PRIMARY KEY,"
        " article TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE)"},
    {1, "CREATE VIRTUAL TABLE article_fts USING fts5("
        "title, issue, environment, cause, resolution, tokenize = 'porter unicode61')"},
    {1, "CREATE TRIGGER article_fts_docs_delete AFTER DELETE ON article_fts_docs"
        " BEGIN DELETE FROM article_fts WHERE rowid = old.docid; END"},
};

const cb_store_backend cb__store_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .query = sq_query,
    .rows_next = sq_rows_next,
    .rows_columns = sq_rows_columns,
    .rows_is_null = sq_rows_is_null,
    .rows_text = sq_rows_text,
    .rows_int = sq_rows_int,
    .rows_free = sq_rows_free,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .now = sq_now,
    .schema_probe = sq_schema_probe,
    .steps = sq_steps,
    .nsteps = CB_ARRAY_LEN(sq_steps),
    .fts_index = sq_fts_index,
    .fts_remove = sq_fts_remove,
    .fts_search = sq_fts_search,
};
