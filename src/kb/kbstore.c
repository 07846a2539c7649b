/*
 * kbstore.c — the knowledge base's library operations on the store: import
 * and export of article files, reading one article with its derived fields,
 * and search (docs/knowledge.md, "Knowledge base operations").
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "casebook/json.h"
#include "casebook/fileio.h"
#include "casebook/kb.h"
#include "core/internal.h"
#include "kb/kb_int.h"

/* ------------------------------------------------------------------ */
/* Import                                                              */
/* ------------------------------------------------------------------ */

typedef struct kb_file {
    char *path;      /* dir/name, heap */
    cb_article *art; /* NULL when it did not parse */
} kb_file;

typedef struct kb_files {
    kb_file *v;
    size_t n, cap;
} kb_files;

static void kb_files_release(kb_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        cb_article_free(f->v[i].art);
    }
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const kb_file *)a)->path, ((const kb_file *)b)->path);
}

static bool ends_with_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* The *.md regular files of dir (symbolic links to regular files included), sorted. */
static cb_status list_md(const char *dir, kb_files *out, cb_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        return cb_error_set(err, e == ENOENT ? CB_ENOTFOUND : CB_EIO, "%s: %s", dir, strerror(e));
    }
    cb_status st = CB_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with_md(de->d_name))
            continue;
        size_t len = strlen(dir) + 1 + strlen(de->d_name) + 1;
        char *path = malloc(len);
        if (!path) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        snprintf(path, len, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(path);
            continue;
        }
        if (!cb__grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            free(path);
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        out->v[out->n].path = path;
        out->v[out->n].art = NULL;
        out->n++;
    }
    closedir(d);
    if (st == CB_OK && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_path);
    return st;
}

/* {"state": [null, "..."], "audience": [null, "..."]}: what the first revision set. */
static char *import_changes(const cb_article *a)
{
    json_t *o = json_pack("{s:[n,s],s:[n,s]}", "state", cb_kb_state_name(a->state), "audience",
                          cb_kb_audience_name(a->audience));
    if (!o)
        return NULL;
    char *s = cb_json_dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

cb_status cb__kb_insert_list(cb_store *s, const char *sql, const char *id, const cb_kb_strlist *l, cb_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        cb_store_value p[3] = {cb_store_text(id), cb_store_int((int64_t)i), cb_store_text(l->v[i])};
        cb_status st = cb_store_exec(s, sql, p, 3, NULL, err);
        if (st != CB_OK)
            return st;
    }
    return CB_OK;
}

static cb_status insert_article(cb_store *s, const cb_article *a, const char *actor, const char *now,
                                cb_error *err)
{
    cb_store_value p[17] = {
        cb_store_text(a->id),
        cb_store_text(a->title),
        cb_store_text(cb_kb_state_name(a->state)),
        cb_store_text(cb_kb_audience_name(a->audience)),
        cb_store_text(a->product),
        cb_store_text(a->versions),
        cb_store_text(a->owner),
        cb_store_text(a->defect),
        cb_store_text(a->section[CB_KB_ISSUE]),
        cb_store_text(a->section[CB_KB_ENVIRONMENT]),
        cb_store_text(a->section[CB_KB_RESOLUTION]),
        cb_store_text(a->section[CB_KB_CAUSE]),
        cb_store_text(a->section[CB_KB_INTERNAL_NOTES]),
        cb_store_text(a->created),
        cb_store_text(a->updated),
        cb_store_text(a->reviewed),
        cb_store_int(1),
    };
    cb_status st = cb_store_exec(s,
                                 "INSERT INTO articles (id, title, state, audience, product, versions, owner,"
                                 " defect, issue, environment, resolution, cause, internal, created, updated,"
                                 " reviewed, revision)"
                                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                                 " $16, $17)",
                                 p, 17, NULL, err);
    if (st == CB_OK)
        st = cb__kb_insert_list(s, "INSERT INTO article_tags (article, pos, tag) VALUES ($1, $2, $3)", a->id,
                                &a->tags, err);
    if (st == CB_OK)
        st = cb__kb_insert_list(s,
                                "INSERT INTO article_playbooks (article, pos, playbook) VALUES ($1, $2, $3)",
                                a->id, &a->playbooks, err);
    if (st != CB_OK)
        return st;
    char *changes = import_changes(a);
    if (!changes)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    cb_store_value r[4] = {cb_store_text(a->id), cb_store_text(actor), cb_store_text(now), cb_store_text(changes)};
    st = cb_store_exec(s,
                       "INSERT INTO article_revisions (article, n, who, at, changes, why)"
                       " VALUES ($1, 1, $2, $3, $4, 'imported')",
                       r, 4, NULL, err);
    free(changes);
    if (st != CB_OK)
        return st;
    return cb_store_fts_index(s, a->id, a->title, a->section[CB_KB_ISSUE], a->section[CB_KB_ENVIRONMENT],
                              a->section[CB_KB_CAUSE], a->section[CB_KB_RESOLUTION], err);
}

/* Does the store hold a row for `sql` ($1 = key)?  *found set on CB_OK. */
static cb_status row_exists(cb_store *s, const char *sql, const char *key, bool *found, cb_error *err)
{
    cb_store_value p[1] = {cb_store_text(key)};
    cb_store_rows *rows = NULL;
    cb_status st = cb_store_query(s, sql, p, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, found, err);
    cb_store_rows_free(rows);
    return st;
}

/* FNV-1a: the hash of an article id, for the table of ids seen. */
static size_t id_hash(const char *id)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)h;
}

/* Parse file i of files and check its id against those seen (table `seen`, mask+1 slots). */
static cb_status parse_one(kb_files *files, size_t i, size_t *seen, size_t mask, cb_diags *diags, cb_error *err)
{
    kb_file *f = &files->v[i];
    char *text = NULL;
    size_t len = 0;
    cb_status st = cb_file_read(f->path, CB_KB_ARTICLE_MAX, &text, &len, err);
    if (st == CB_ENOMEM)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    if (st == CB_ELIMIT) {
        if (cb_diags_add(diags, f->path, 0, 0, "larger than %d bytes", (int)CB_KB_ARTICLE_MAX) != CB_OK)
            return cb_error_set(err, CB_ENOMEM, "out of memory");
        return CB_OK;
    }
    if (st != CB_OK)
        return st;
    st = cb_article_parse(f->path, text, len, &f->art, diags);
    free(text);
    if (st == CB_ENOMEM)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    if (st != CB_OK && st != CB_EPARSE)
        return cb_error_set(err, st, "%s: cannot parse", f->path);
    if (!f->art)
        return CB_OK;
    for (size_t h = id_hash(f->art->id) & mask;; h = (h + 1) & mask) {
        if (!seen[h]) {
            seen[h] = i + 1;
            return CB_OK;
        }
        const kb_file *other = &files->v[seen[h] - 1];
        if (strcmp(other->art->id, f->art->id) == 0) {
            if (cb_diags_add(diags, f->path, 0, 0, "article id %s is also the id of %s", f->art->id, other->path) !=
                CB_OK)
                return cb_error_set(err, CB_ENOMEM, "out of memory");
            return CB_OK;
        }
    }
}

/*
 * Parse every file; problems (and ids given twice) go to diags.  The ids seen
 * are kept in an open-addressing table of file indexes (a directory of
 * 100,000 articles compared pairwise is 5 billion comparisons).
 */
static cb_status parse_all(kb_files *files, cb_diags *diags, cb_error *err)
{
    size_t size = 16;
    while (size < 2 * files->n)
        size *= 2;
    size_t *seen = malloc(size * sizeof *seen); /* file index + 1; 0 is empty */
    if (!seen)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    memset(seen, 0, size * sizeof *seen);
    cb_status st = CB_OK;
    for (size_t i = 0; st == CB_OK && i < files->n; i++)
        st = parse_one(files, i, seen, size - 1, diags, err);
    free(seen);
    return st;
}

cb_status cb_kb_import(cb_store *s, const char *dir, const char *actor, cb_diags *diags, size_t *imported,
                       cb_error *err)
{
    if (imported)
        *imported = 0;
    if (!s || !dir || !diags)
        return cb_error_set(err, CB_EINVAL, "cb_kb_import: NULL argument");
    kb_files files = {0};
    size_t before = diags->n;
    cb_status st = list_md(dir, &files, err);
    if (st == CB_OK)
        st = parse_all(&files, diags, err);
    if (st != CB_OK)
        goto out;
    st = cb_store_begin(s, err);
    if (st != CB_OK)
        goto out;
    if (actor) {
        bool found = false;
        st = row_exists(s, "SELECT 1 FROM people WHERE handle = $1", actor, &found, err);
        if (st == CB_OK && !found)
            st = cb_error_set(err, CB_ENOTFOUND, "no person %s in the store (add them first)", actor);
        if (st != CB_OK)
            goto rollback;
    }
    for (size_t i = 0; i < files.n; i++) {
        if (!files.v[i].art)
            continue;
        bool found = false;
        st = row_exists(s, "SELECT 1 FROM articles WHERE id = $1", files.v[i].art->id, &found, err);
        if (st != CB_OK)
            goto rollback;
        if (found && cb_diags_add(diags, files.v[i].path, 0, 0,
                                  "article %s is already in the store (nothing is overwritten)",
                                  files.v[i].art->id) != CB_OK) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            goto rollback;
        }
    }
    if (diags->n > before) {
        st = cb_error_set(err, CB_EPARSE, "%s: %zu problem%s; nothing imported", dir, diags->n - before,
                          diags->n - before == 1 ? "" : "s");
        goto rollback;
    }
    char now[CB_STORE_TIME_SIZE];
    st = cb_store_now(s, now, err);
    for (size_t i = 0; st == CB_OK && i < files.n; i++)
        st = insert_article(s, files.v[i].art, actor, now, err);
    if (st != CB_OK)
        goto rollback;
    st = cb_store_commit(s, err);
    if (st == CB_OK && imported)
        *imported = files.n;
    goto out;
rollback:
    cb_store_rollback(s, NULL);
out:
    kb_files_release(&files);
    return st;
}

/* ------------------------------------------------------------------ */
/* Get                                                                 */
/* ------------------------------------------------------------------ */

/* A heap copy of column col, or NULL for SQL NULL; *oom set when the copy failed. */
static char *col_dup(cb_store_rows *r, int col, bool *oom)
{
    const char *t = cb_store_rows_text(r, col);
    if (!t)
        return NULL;
    char *c = strdup(t);
    if (!c)
        *oom = true;
    return c;
}

cb_status cb__kb_read_list(cb_store *s, const char *sql, const char *id, cb_kb_strlist *l, cb_error *err)
{
    cb_store_value p[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    cb_status st = cb_store_query(s, sql, p, id ? 1 : 0, &rows, err);
    size_t cap = 0;
    bool row = false;
    while (st == CB_OK && (st = cb_store_rows_next(rows, &row, err)) == CB_OK && row) {
        bool oom = false;
        char *v = col_dup(rows, 0, &oom);
        if (!v || !cb__grow((void **)&l->v, &cap, l->n + 1, sizeof *l->v)) {
            free(v);
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        l->v[l->n++] = v;
    }
    cb_store_rows_free(rows);
    return st;
}

static cb_status count_of(cb_store *s, const char *sql, const char *id, unsigned *n, char *text, size_t textsize,
                          cb_error *err)
{
    cb_store_value p[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    bool row = false;
    cb_status st = cb_store_query(s, sql, p, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st == CB_OK && row) {
        *n = (unsigned)cb_store_rows_int(rows, 0);
        if (text) {
            const char *t = cb_store_rows_text(rows, 1);
            cb__strlcpy(text, t ? t : "", textsize);
        }
    }
    cb_store_rows_free(rows);
    return st;
}

static cb_status get_derived(cb_store *s, const char *id, cb_kb_derived *d, cb_error *err)
{
    memset(d, 0, sizeof *d);
    cb_status st = count_of(s, "SELECT COUNT(DISTINCT case_id), MAX(at) FROM article_links WHERE article = $1",
                            id, &d->reuse, d->last_linked, sizeof d->last_linked, err);
    if (st == CB_OK)
        st = count_of(s, "SELECT COUNT(*) FROM article_flags WHERE article = $1 AND resolved IS NULL", id,
                      &d->open_flags, NULL, 0, err);
    if (st == CB_OK)
        st = count_of(s, "SELECT COUNT(*) FROM article_revisions WHERE article = $1", id, &d->revisions, NULL, 0,
                      err);
    return st;
}

cb_status cb_kb_get(cb_store *s, const char *id, cb_article **out, cb_kb_derived *derived, cb_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !id || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_get: NULL argument");
    cb_store_value p[1] = {cb_store_text(id)};
    cb_store_rows *rows = NULL;
    bool row = false;
    cb_status st = cb_store_query(s,
                                  "SELECT id, title, state, audience, product, versions, owner, defect, issue,"
                                  " environment, resolution, cause, internal, created, updated, reviewed"
                                  " FROM articles WHERE id = $1",
                                  p, 1, &rows, err);
    if (st == CB_OK)
        st = cb_store_rows_next(rows, &row, err);
    if (st != CB_OK) {
        cb_store_rows_free(rows);
        return st;
    }
    if (!row) {
        cb_store_rows_free(rows);
        return cb_error_set(err, CB_ENOTFOUND, "no article %s", id);
    }
    cb_article *a = calloc(1, sizeof *a);
    bool oom = !a;
    if (a) {
        a->id = col_dup(rows, 0, &oom);
        a->title = col_dup(rows, 1, &oom);
        if (!cb_kb_state_from_name(cb_store_rows_text(rows, 2), &a->state) ||
            !cb_kb_audience_from_name(cb_store_rows_text(rows, 3), &a->audience))
            st = cb_error_set(err, CB_ECORRUPT, "article %s: unknown state or audience in the store", id);
        a->product = col_dup(rows, 4, &oom);
        a->versions = col_dup(rows, 5, &oom);
        a->owner = col_dup(rows, 6, &oom);
        a->defect = col_dup(rows, 7, &oom);
        static const cb_kb_section order[] = {CB_KB_ISSUE, CB_KB_ENVIRONMENT, CB_KB_RESOLUTION, CB_KB_CAUSE,
                                              CB_KB_INTERNAL_NOTES};
        for (size_t k = 0; k < CB_ARRAY_LEN(order); k++)
            a->section[order[k]] = col_dup(rows, 8 + (int)k, &oom);
        a->created = col_dup(rows, 13, &oom);
        a->updated = col_dup(rows, 14, &oom);
        a->reviewed = col_dup(rows, 15, &oom);
    }
    cb_store_rows_free(rows);
    if (oom && st == CB_OK)
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
    if (st == CB_OK)
        st = cb__kb_read_list(s, "SELECT tag FROM article_tags WHERE article = $1 ORDER BY pos", id, &a->tags,
                              err);
    if (st == CB_OK)
        st = cb__kb_read_list(s, "SELECT playbook FROM article_playbooks WHERE article = $1 ORDER BY pos", id,
                              &a->playbooks, err);
    if (st == CB_OK && derived)
        st = get_derived(s, id, derived, err);
    if (st != CB_OK) {
        cb_article_free(a);
        return st;
    }
    *out = a;
    return CB_OK;
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

static cb_status export_one(cb_store *s, const char *dir, const char *id, cb_error *err)
{
    cb_article *a = NULL;
    cb_status st = cb_kb_get(s, id, &a, NULL, err);
    if (st != CB_OK)
        return st;
    char *text = cb_article_format(a);
    cb_article_free(a);
    if (!text)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    size_t len = strlen(dir) + 1 + strlen(id) + 4;
    char *path = malloc(len);
    if (!path) {
        free(text);
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    snprintf(path, len, "%s/%s.md", dir, id);
    st = cb_file_write_atomic(path, text, strlen(text), err);
    free(path);
    free(text);
    return st;
}

cb_status cb_kb_export(cb_store *s, const char *dir, size_t *exported, cb_error *err)
{
    if (exported)
        *exported = 0;
    if (!s || !dir)
        return cb_error_set(err, CB_EINVAL, "cb_kb_export: NULL argument");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cb_error_set(err, CB_EIO, "%s: %s", dir, strerror(errno));
    /* The ids first: a query's rows stay open while cb_kb_get runs its own. */
    cb_kb_strlist ids = {0};
    cb_status st = cb__kb_read_list(s, "SELECT id FROM articles ORDER BY id", NULL, &ids, err);
    for (size_t i = 0; st == CB_OK && i < ids.n; i++) {
        st = export_one(s, dir, ids.v[i], err);
        if (st == CB_OK && exported)
            (*exported)++;
    }
    for (size_t i = 0; i < ids.n; i++)
        free(ids.v[i]);
    free(ids.v);
    return st;
}

/* ------------------------------------------------------------------ */
/* Search                                                              */
/* ------------------------------------------------------------------ */

void cb_kb_hits_release(cb_kb_hits *h)
{
    if (!h)
        return;
    cb_store_fts_results r = {h->hits, h->n, h->cap};
    cb_store_fts_results_release(&r);
    h->hits = NULL;
    h->n = h->cap = 0;
    h->from_log = false;
}

cb_status cb_kb_search(cb_store *s, const char *query, bool all, size_t limit, cb_kb_hits *out, cb_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !query || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_search: NULL argument");
    cb_kb_query q;
    cb_kb_query_init(&q);
    bool log = cb_kb_query_is_log(query);
    cb_status st = log ? cb_kb_query_from_log(query, &q) : cb_kb_query_parse(query, &q);
    if (st != CB_OK) {
        cb_kb_query_release(&q);
        return cb_error_set(err, st, "search: %s", st == CB_ENOMEM ? "out of memory" : "bad query");
    }
    cb_store_fts_query fq = {
        .words = q.words,
        .nwords = q.nwords,
        .phrases = q.phrases,
        .nphrases = q.nphrases,
        .prefixes = q.prefixes,
        .nprefixes = q.nprefixes,
        .any = q.any,
        .mark_open = "[",
        .mark_close = "]",
    };
    cb_store_fts_results r;
    st = cb_store_fts_search(s, &fq, limit, all, &r, err);
    cb_kb_query_release(&q);
    if (st != CB_OK) {
        cb_store_fts_results_release(&r);
        return st;
    }
    out->hits = r.hits;
    out->n = r.n;
    out->cap = r.cap;
    out->from_log = log;
    return CB_OK;
}

/* ------------------------------------------------------------------ */
/* List                                                                */
/* ------------------------------------------------------------------ */

void cb_kb_filter_init(cb_kb_filter *f)
{
    memset(f, 0, sizeof *f);
}

void cb_kb_listing_release(cb_kb_listing *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].title);
        free(l->v[i].product);
        free(l->v[i].reviewed);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* now less `days` days, as "YYYY-MM-DDTHH:MM:SSZ". */
static cb_status stale_cutoff(cb_store *s, unsigned days, char out[CB_STORE_TIME_SIZE], cb_error *err)
{
    char now[CB_STORE_TIME_SIZE];
    cb_status st = cb_store_now(s, now, err);
    if (st != CB_OK)
        return st;
    struct tm tm = {0};
    if (sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec) != 6)
        return cb_error_set(err, CB_EIO, "the store's clock gave \"%s\"", now);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) - (time_t)days * 86400;
    struct tm back;
    if (!gmtime_r(&t, &back) || strftime(out, CB_STORE_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &back) == 0)
        return cb_error_set(err, CB_EIO, "cannot compute %u days before %s", days, now);
    return CB_OK;
}

cb_status cb_kb_list(cb_store *s, const cb_kb_filter *f, cb_kb_listing *out, cb_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !out)
        return cb_error_set(err, CB_EINVAL, "cb_kb_list: NULL argument");
    cb_kb_filter none;
    cb_kb_filter_init(&none);
    if (!f)
        f = &none;
    if (f->stale_days > 100000)
        return cb_error_set(err, CB_EINVAL, "stale days %u out of range (0 to 100000)", f->stale_days);
    char cutoff[CB_STORE_TIME_SIZE] = "";
    if (f->stale_days) {
        cb_status st = stale_cutoff(s, f->stale_days, cutoff, err);
        if (st != CB_OK)
            return st;
    }
    /* Every condition is in the statement; $k IS NULL switches one off, so one statement serves every filter. */
    cb_store_value p[6] = {
        cb_store_text(f->has_state ? cb_kb_state_name(f->state) : NULL),
        cb_store_int(f->all || f->has_state),
        cb_store_text(f->tag),
        cb_store_text(f->product),
        cb_store_text(f->stale_days ? cutoff : NULL),
        cb_store_int(f->by_reuse),
    };
    cb_store_rows *rows = NULL;
    cb_status st = cb_store_query(
        s,
        "SELECT id, title, state, audience, product, reviewed, reuse, last_linked FROM"
        " (SELECT a.*,"
        "  (SELECT COUNT(DISTINCT l.case_id) FROM article_links l WHERE l.article = a.id) AS reuse,"
        "  (SELECT MAX(l.at) FROM article_links l WHERE l.article = a.id) AS last_linked"
        "  FROM articles a"
        "  WHERE ($1 IS NULL OR state = $1)"
        "  AND ($2 = 1 OR state <> 'archived')"
        "  AND ($3 IS NULL OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article = a.id AND t.tag = $3))"
        "  AND ($4 IS NULL OR product = $4)"
        "  AND ($5 IS NULL OR reviewed IS NULL OR reviewed < $5)) x"
        " ORDER BY CASE WHEN $6 = 1 THEN reuse ELSE 0 END DESC,"
        " CASE WHEN $6 = 1 THEN COALESCE(last_linked, '') ELSE '' END DESC, id",
        p, 6, &rows, err);
    bool row = false;
    while (st == CB_OK && (st = cb_store_rows_next(rows, &row, err)) == CB_OK && row) {
        if (!cb__grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        cb_kb_entry *e = &out->v[out->n++];
        memset(e, 0, sizeof *e);
        bool oom = false;
        e->id = col_dup(rows, 0, &oom);
        e->title = col_dup(rows, 1, &oom);
        e->product = col_dup(rows, 4, &oom);
        e->reviewed = col_dup(rows, 5, &oom);
        e->reuse = (unsigned)cb_store_rows_int(rows, 6);
        const char *ll = cb_store_rows_text(rows, 7);
        cb__strlcpy(e->last_linked, ll ? ll : "", sizeof e->last_linked);
        if (oom) {
            st = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        if (!cb_kb_state_from_name(cb_store_rows_text(rows, 2), &e->state) ||
            !cb_kb_audience_from_name(cb_store_rows_text(rows, 3), &e->audience)) {
            st = cb_error_set(err, CB_ECORRUPT, "article %s: unknown state or audience in the store", e->id);
            break;
        }
    }
    cb_store_rows_free(rows);
    return st;
}
