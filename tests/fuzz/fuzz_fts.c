/*
 * fuzz_fts.c — libFuzzer target for article search (cb_store_fts_search,
 * casebook/store.h): whatever a user types, no term reaches FTS5 as syntax.
 *
 * The store is an SQLite database in the scratch directory, made once per
 * process with a few articles (one archived).  The input's first byte picks
 * the mode (bit 0: any term rather than every term; bit 1: archived articles
 * too; bits 2-3: the snippet marks); the rest is terms separated by '\n',
 * each term's first byte choosing its list (words, phrases, prefixes).
 * Properties besides no crash: every search returns CB_OK (an FTS5 syntax
 * error would be CB_EINVAL), finds at most `limit` articles, each one of the
 * articles stored, with a snippet, scores in order, and the archived one only
 * when asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/store.h"
#include "fuzz_util.h"

enum { MAX_TERMS = 128, LIMIT = 3 };

static cb_store *store;

static void add(const char *id, const char *state, const char *title, const char *issue,
                const char *resolution)
{
    cb_error err;
    cb_store_value p[] = {cb_store_text(id), cb_store_text(title), cb_store_text(state)};
    if (cb_store_exec(store, "INSERT INTO articles (id, title, state) VALUES ($1, $2, $3)", p, 3, NULL,
                      &err) ||
        cb_store_fts_index(store, id, title, issue, "Veeam Backup & Replication 12 (build 12.1.0.2131)", NULL,
                           resolution, &err))
        fuzz_fail("setup", "%s", err.msg);
}

static void open_store(void)
{
    cb_error err;
    if (cb_store_open(fuzz_file("fts.db", (const uint8_t *)"", 0), NULL, &store, &err))
        fuzz_fail("setup", "%s", err.msg);
    add("KB-NET-0001", "validated", "Replication stalls with connection resets (path MTU)",
        "An existing connection was forcibly closed by the remote host: WSAECONNRESET 10054",
        "Lower the MTU.");
    add("KB-WIN-0002", "wip", "Windows update fails with 0x800f0805 \"NEAR\" (title:x) AND OR NOT *",
        "DISM /Online /Cleanup-Image; resolv* ^start {title issue}: x", "Run DISM, then retry.");
    add("KB-OLD-0003", "archived", "Connection closed by the old proxy", "closed forcibly", "Upgrade.");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        open_store();
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *lists[3][MAX_TERMS];
    size_t n[3] = {0, 0, 0};
    for (char *t = text; t && t < text + size - 1;) {
        char *nl = memchr(t, '\n', (size_t)(text + size - 1 - t));
        if (nl)
            *nl = '\0';
        if (*t) {
            int l = (unsigned char)*t % 3;
            if (n[l] < MAX_TERMS)
                lists[l][n[l]++] = t + 1;
        }
        t = nl ? nl + 1 : NULL;
    }
    static const char *const marks[4][2] = {{NULL, NULL}, {"<b>", "</b>"}, {"\"", "\""}, {"", ""}};
    cb_store_fts_query q = {lists[0],
                            n[0],
                            lists[1],
                            n[1],
                            lists[2],
                            n[2],
                            mode & 1,
                            marks[(mode >> 2) & 3][0],
                            marks[(mode >> 2) & 3][1]};
    bool archived = mode & 2;
    cb_store_fts_results r;
    cb_error err;
    cb_status st = cb_store_fts_search(store, &q, LIMIT, archived, &r, &err);
    if (st)
        fuzz_fail("cb_store_fts_search", "%s (%s)", err.msg, cb_status_str(st));
    if (r.n > LIMIT)
        fuzz_fail("cb_store_fts_search", "%zu hits, limit %d", r.n, LIMIT);
    for (size_t i = 0; i < r.n; i++) {
        const char *id = r.hits[i].id;
        if (!id || !r.hits[i].snippet)
            fuzz_fail("cb_store_fts_search", "hit %zu without id or snippet", i);
        if (strcmp(id, "KB-NET-0001") && strcmp(id, "KB-WIN-0002") && strcmp(id, "KB-OLD-0003"))
            fuzz_fail("cb_store_fts_search", "unknown article %s", id);
        if (!archived && !strcmp(id, "KB-OLD-0003"))
            fuzz_fail("cb_store_fts_search", "the archived article without include_archived");
        if (i && r.hits[i].score > r.hits[i - 1].score)
            fuzz_fail("cb_store_fts_search", "hit %zu scores above the one before", i);
    }
    cb_store_fts_results_release(&r);
    free(text);
    return 0;
}
