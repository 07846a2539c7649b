/*
 * test_playbook.c — unit tests for the playbook module (playbook.h): the
 * loader's diagnostics (one test per problem class, exact message and
 * line:column), lint (one test per class), the model of the format's complete
 * example, yes/no keys, templates, the library, diagnostics, SHA-256, and
 * hostile input (alias bombs, bad encodings, huge and deeply nested files,
 * truncated and mutated files) that must give errors, never crashes.
 *
 * Fixtures live in tests/fixtures/playbooks/{valid,load,lint,library}; the
 * expected positions were counted by hand from those files.  Hostile inputs
 * are generated into a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casebook/playbook.h"
#include "playbook/pb_int.h"
#include "core/internal.h"

#ifndef CB_SOURCE_ROOT
#define CB_SOURCE_ROOT "."
#endif

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *source_root(void)
{
    const char *r = getenv("CB_SOURCE_ROOT_DIR");
    return r && *r ? r : CB_SOURCE_ROOT;
}

/* Full path of a fixture, in a static ring so that a test may hold a few at once. */
static const char *fx(const char *rel)
{
    static char ring[4][1024];
    static unsigned next;
    char *p = ring[next++ % 4];
    snprintf(p, sizeof ring[0], "%s/tests/fixtures/playbooks/%s", source_root(), rel);
    return p;
}

typedef struct want {
    int line, col;
    const char *msg;
} want;

static void dump(const cb_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char b[2048];
        cb_diag_format(&d->v[i], b, sizeof b);
        fprintf(stderr, "  diag: %s\n", b);
    }
}

/* The diagnostics, sorted, must be exactly `w`, all in file `path`. */
static void expect_diags(cb_diags *d, const char *path, const want *w, size_t n)
{
    cb_diags_sort(d);
    if (d->n != n)
        dump(d);
    assert_int_equal(d->n, n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(d->v[i].msg, w[i].msg) || d->v[i].line != w[i].line || d->v[i].col != w[i].col)
            dump(d);
        assert_string_equal(d->v[i].file, path);
        assert_string_equal(d->v[i].msg, w[i].msg);
        assert_int_equal(d->v[i].line, w[i].line);
        assert_int_equal(d->v[i].col, w[i].col);
    }
}

static ptrdiff_t find_diag(const cb_diags *d, const char *msg)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].msg, msg))
            return (ptrdiff_t)i;
    dump(d);
    return -1;
}

static void load_fails(const char *path, cb_status status, const want *w, size_t n)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = (cb_playbook *)&d; /* must be reset to NULL */
    assert_int_equal(cb_playbook_load(path, &pb, &d), status);
    assert_null(pb);
    expect_diags(&d, path, w, n);
    cb_diags_release(&d);
}

#define LOAD_FAILS(rel, w) load_fails(fx(rel), CB_EPARSE, w, sizeof(w) / sizeof((w)[0]))

/* The stand-in for Hyperscan: rejects back-references as it does. */
static bool stub_regex(void *ctx, const char *pattern, bool caseless, char *msg, size_t size)
{
    (void)caseless;
    if (ctx)
        ++*(int *)ctx;
    for (const char *p = pattern; *p; p++) {
        if (p[0] == '\\' && p[1] >= '1' && p[1] <= '9') {
            snprintf(msg, size, "Back-references are unsupported");
            return false;
        }
        if (p[0] == '\\' && p[1])
            p++;
    }
    return true;
}

static cb_playbook *load_ok(const char *path)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = NULL;
    cb_status st = cb_playbook_load(path, &pb, &d);
    if (st || d.n)
        dump(&d);
    assert_int_equal(st, CB_OK);
    assert_int_equal(d.n, 0);
    assert_non_null(pb);
    cb_diags_release(&d);
    return pb;
}

static void lint_gives(const char *rel, const want *w, size_t n)
{
    const char *path = fx(rel);
    cb_playbook *pb = load_ok(path);
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_playbook_lint(pb, stub_regex, NULL, &d), CB_OK);
    expect_diags(&d, path, w, n);
    cb_diags_release(&d);
    cb_playbook_free(pb);
}

#define LINT_GIVES(rel, w) lint_gives(rel, w, sizeof(w) / sizeof((w)[0]))

/* A scratch directory for generated inputs, removed by the teardown. */
static char tmpdir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb-playbook-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmp(const char *name, const void *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* ------------------------------------------------------------------ */
/* loader: one test per problem class                                  */
/* ------------------------------------------------------------------ */

static void test_load_syntax_error(void **state)
{
    (void)state;
    static const want w[] = {{3, 25, "mapping values are not allowed in this context"}};
    LOAD_FAILS("load/syntax-mapping-values.yaml", w);
    static const want w2[] = {
        {6, 1, "found unexpected end of stream (while scanning a quoted scalar at line 3, column 8)"}};
    LOAD_FAILS("load/syntax-unclosed-quote.yaml", w2);
}

static void test_load_unknown_keys(void **state)
{
    (void)state;
    static const want w[] = {
        {4, 1, "unknown key 'owner' at top level"},
        {8, 5, "unknown key 'severty' in signature 'conn-reset' (did you mean 'severity'?)"},
        {13, 5, "unknown key 'colour' in node 'a'"},
        {16, 7, "unknown key 'hint' in coach of node 'a' (did you mean 'hints'?)"},
        {20, 5, "unknown key 'answer' in test 't' (did you mean 'answers'?)"},
    };
    LOAD_FAILS("load/unknown-key.yaml", w);
}

static void test_load_missing_keys(void **state)
{
    (void)state;
    static const want w[] = {
        {1, 1, "missing key 'title' at top level"},
        {1, 1, "missing key 'start' at top level"},
        {4, 3, "missing key 'pattern' in signature 'conn-reset'"},
        {7, 3, "missing key 'no' in check node 'a'"},
        {10, 3, "missing key 'next' in do node 'b'"},
        {12, 3, "missing key 'choices' in ask node 'c'"},
        {14, 5, "missing key 'ask' in coach of node 'c'"},
        {17, 5, "missing key 'expect' in test 't'"},
    };
    LOAD_FAILS("load/missing-key.yaml", w);
}

static void test_load_wrong_types(void **state)
{
    (void)state;
    static const want w[] = {
        {3, 8, "'title' at top level must be a string, not a list"},
        {4, 7, "'tags' at top level must be a list of strings, not a string"},
        {8, 12, "'files' in signature 'conn-reset' must be a list of strings, not a string"},
        {9, 12, "signature 'timeout' must be a mapping (pattern, files, severity, ...), not a string"},
        {13, 12, "'check' in node 'a' must be a signature id or a list of them, not a mapping"},
        {15, 5, "'no' in check node 'a' has no value"},
        {18, 14, "'choices' in ask node 'b' must be a mapping of label to node id, not a list"},
        {19, 8, "'tests' must be a list of tests, not a mapping"},
    };
    LOAD_FAILS("load/wrong-type.yaml", w);
}

static void test_load_bad_version(void **state)
{
    (void)state;
    static const want w[] = {{1, 11, "unsupported format version '2': this casebook reads 'casebook: 1'"}};
    LOAD_FAILS("load/bad-version.yaml", w);
}

static void test_load_bad_ids(void **state)
{
    (void)state;
    static const want w[] = {
        {2, 5, "invalid playbook id 'Replication_MTU': use lowercase letters, digits and '-', not first"},
        {5, 3, "invalid signature id 'conn reset': use letters, digits, '_', '.' and '-'"},
        {9, 3, "invalid node id 'a/b': use letters, digits, '_', '.' and '-'"},
    };
    LOAD_FAILS("load/bad-id.yaml", w);
}

static void test_load_bad_severity(void **state)
{
    (void)state;
    static const want w[] = {
        {7, 15, "unknown severity 'fatal' in signature 'conn-reset': use info, warning, error or critical"}};
    LOAD_FAILS("load/bad-severity.yaml", w);
}

static void test_load_node_kinds(void **state)
{
    (void)state;
    static const want w[] = {
        {7, 3, "node 'a' has no kind: give it one of check, ask, do or conclude"},
        {12, 5, "node 'b' has several kinds ('ask' and 'do'): give it exactly one"},
        {16, 5, "key 'next' is not allowed in check node 'c' (it belongs in do nodes)"},
    };
    LOAD_FAILS("load/node-kinds.yaml", w);
}

static void test_load_duplicate_keys(void **state)
{
    (void)state;
    static const want w[] = {
        {4, 1, "duplicate key 'title' (first at line 3, column 1)"},
        {13, 7, "duplicate key 'one' (first at line 11, column 7)"},
    };
    LOAD_FAILS("load/duplicate-key.yaml", w);
}

static void test_load_bad_values(void **state)
{
    (void)state;
    static const want w[] = {
        {7, 15, "'caseless' in signature 'conn-reset' must be true or false, not 'maybe'"},
        {12, 10, "'min' in node 'a' must be a whole number of at least 1, not '0'"},
        {17, 15, "'escalate' in node 'b' must be true or false, not '1'"},
        {18, 15, "'dead-end' in node 'b' must be true or false, not a list"},
    };
    LOAD_FAILS("load/bad-values.yaml", w);
}

/* The billion-laughs file: refused at the first anchor, nothing is expanded. */
static void test_load_alias_bomb(void **state)
{
    (void)state;
    static const want w[] = {
        {6, 1, "unknown key 'lol1' at top level"},
        {6, 7, "anchors and aliases (&name, *name) are not supported in playbooks"},
        {7, 1, "unknown key 'lol2' at top level"},
        {8, 1, "unknown key 'lol3' at top level"},
        {9, 1, "unknown key 'lol4' at top level"},
        {10, 1, "unknown key 'lol5' at top level"},
        {11, 1, "unknown key 'lol6' at top level"},
        {12, 1, "unknown key 'lol7' at top level"},
        {13, 1, "unknown key 'lol8' at top level"},
        {14, 1, "unknown key 'lol9' at top level"},
    };
    LOAD_FAILS("load/anchors.yaml", w);
}

static void test_load_tags(void **state)
{
    (void)state;
    static const want w[] = {
        {3, 8,
         "YAML tags are not supported in playbooks ('tag:yaml.org,2002:str'): quote the value instead"}};
    LOAD_FAILS("load/tags.yaml", w);
}

static void test_load_two_documents(void **state)
{
    (void)state;
    static const want w[] = {{9, 1, "a second YAML document: a playbook file holds one"}};
    LOAD_FAILS("load/two-documents.yaml", w);
}

static void test_load_not_a_mapping(void **state)
{
    (void)state;
    static const want w[] = {
        {1, 1, "a playbook is a mapping (casebook, id, title, signatures, start, nodes, ...), not a list"}};
    LOAD_FAILS("load/not-a-mapping.yaml", w);
    static const want w2[] = {{1, 1, "file is empty: expected a playbook (casebook: 1, id, title, ...)"}};
    LOAD_FAILS("load/empty.yaml", w2);
}

/* `Yes` is not `yes`: keys are compared as written. */
static void test_load_yes_is_case_sensitive(void **state)
{
    (void)state;
    static const want w[] = {
        {9, 3, "missing key 'yes' in check node 'a'"},
        {11, 5, "unknown key 'Yes' in node 'a' (did you mean 'yes'?)"},
    };
    LOAD_FAILS("load/yes-no-case.yaml", w);
}

static void test_load_unreadable(void **state)
{
    (void)state;
    static const want w[] = {{0, 0, "cannot open: No such file or directory"}};
    load_fails(fx("load/no-such-file.yaml"), CB_ENOTFOUND, w, 1);
    static const want w2[] = {{0, 0, "is a directory"}};
    load_fails(fx("load"), CB_EUNSUPPORTED, w2, 1);
}

/* ------------------------------------------------------------------ */
/* hostile input                                                       */
/* ------------------------------------------------------------------ */

static void test_hostile_encodings(void **state)
{
    (void)state;
    static const char bad[] = "casebook: 1\nid: x\ntitle: caf\xc3\xa9 \xff\n";
    static const want w[] = {{3, 13, "invalid UTF-8 (byte 0xFF): a playbook must be UTF-8 text"}};
    const char *p = write_tmp("bad-utf8.yaml", bad, sizeof bad - 1);
    load_fails(p, CB_EPARSE, w, 1);

    static const char overlong[] = "casebook: 1\n\xc0\xaf: x\n";
    static const want w2[] = {{2, 1, "invalid UTF-8 (byte 0xC0): a playbook must be UTF-8 text"}};
    p = write_tmp("overlong.yaml", overlong, sizeof overlong - 1);
    load_fails(p, CB_EPARSE, w2, 1);

    static const char utf16[] = "\xff\xfe"
                                "c\0a\0s\0e\0";
    static const want w3[] = {{1, 1, "file is UTF-16 (it starts with a byte-order mark): save it as UTF-8"}};
    p = write_tmp("utf16.yaml", utf16, sizeof utf16 - 1);
    load_fails(p, CB_EPARSE, w3, 1);

    static const char nul[] = "casebook: 1\nid: a\0b\n";
    static const want w4[] = {{2, 6, "NUL byte: a playbook must be UTF-8 text"}};
    p = write_tmp("nul.yaml", nul, sizeof nul - 1);
    load_fails(p, CB_EPARSE, w4, 1);

    /* libyaml's own reader refuses control characters; its byte offset becomes line:col. */
    static const char ctl[] = "casebook: 1\nid: a\x07z\n";
    static const want w5[] = {{2, 6, "control characters are not allowed (0x07)"}};
    p = write_tmp("control.yaml", ctl, sizeof ctl - 1);
    load_fails(p, CB_EPARSE, w5, 1);

    /* A UTF-8 byte-order mark is allowed and, as in editors, takes no column. */
    static const char bom[] = "\xEF\xBB\xBF" "casebook: 2\nid: bom\ntitle: t\nsignatures: {}\nstart: a\n"
                              "nodes: {a: {conclude: x}}\n";
    static const want w6[] = {{1, 11, "unsupported format version '2': this casebook reads 'casebook: 1'"}};
    p = write_tmp("bom.yaml", bom, sizeof bom - 1);
    load_fails(p, CB_EPARSE, w6, 1);
    static const char bombad[] = "\xEF\xBB\xBF" "id: \xff\n";
    static const want w7[] = {{1, 5, "invalid UTF-8 (byte 0xFF): a playbook must be UTF-8 text"}};
    p = write_tmp("bom-bad.yaml", bombad, sizeof bombad - 1);
    load_fails(p, CB_EPARSE, w7, 1);

    /* An escaped NUL inside a double-quoted string. */
    static const char qnul[] = "casebook: 1\nid: \"a\\0b\"\n";
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb;
    p = write_tmp("quoted-nul.yaml", qnul, sizeof qnul - 1);
    assert_int_equal(cb_playbook_load(p, &pb, &d), CB_EPARSE);
    ptrdiff_t i = find_diag(&d, "a string must not contain a NUL character (\\0)");
    assert_true(i >= 0);
    assert_int_equal(d.v[i].line, 2);
    assert_int_equal(d.v[i].col, 5);
    cb_diags_release(&d);
}

static void test_hostile_huge_file(void **state)
{
    (void)state;
    size_t n = (4u << 20) + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, '#', n);
    big[n - 1] = '\n';
    static const want w[] = {{0, 0, "file is larger than the 4 MiB a playbook may have"}};
    load_fails(write_tmp("huge.yaml", big, n), CB_ELIMIT, w, 1);
    /* Exactly 4 MiB is allowed: one long comment and nothing else is an empty file. */
    static const want w2[] = {{1, 1, "file is empty: expected a playbook (casebook: 1, id, title, ...)"}};
    load_fails(write_tmp("huge.yaml", big, n - 1), CB_EPARSE, w2, 1);
    free(big);
}

static void test_hostile_deep_nesting(void **state)
{
    (void)state;
    /* 100000 nested flow sequences: refused at the 64th level, without recursion. */
    size_t depth = 100000, n = 3 + 2 * depth + 1;
    char *s = malloc(n);
    assert_non_null(s);
    memcpy(s, "x: ", 3);
    memset(s + 3, '[', depth);
    memset(s + 3 + depth, ']', depth);
    s[n - 1] = '\n';
    /* The root mapping is level 1; the 64th '[' (column 4 + 63) would be level 65. */
    static const want w[] = {{1, 67, "nested more than 64 levels deep: this is not a playbook"}};
    load_fails(write_tmp("deep.yaml", s, n), CB_EPARSE, w, 1);
    /* Unclosed, too. */
    load_fails(write_tmp("deep-open.yaml", s, 3 + depth), CB_EPARSE, w, 1);
    free(s);

    /* Deep block nesting is a syntax problem or the same limit, never a crash. */
    {
        size_t levels = 200, cap = levels * (levels + 8);
        char *b = malloc(cap);
        assert_non_null(b);
        size_t k = 0;
        for (size_t i = 0; i < levels; i++) {
            memset(b + k, ' ', i);
            k += i;
            k += (size_t)snprintf(b + k, cap - k, "k%zu:\n", i);
        }
        cb_diags d;
        cb_diags_init(&d);
        cb_playbook *pb;
        assert_int_equal(cb_playbook_load(write_tmp("deep-block.yaml", b, k), &pb, &d), CB_EPARSE);
        cb_diags_sort(&d);
        assert_int_equal(d.n, 1);
        assert_string_equal(d.v[0].msg, "nested more than 64 levels deep: this is not a playbook");
        /* Block mapping i (1-based) starts at line i, column i; the 65th is one too many. */
        assert_int_equal(d.v[0].line, 65);
        assert_int_equal(d.v[0].col, 65);
        cb_diags_release(&d);
        free(b);
    }
}

static void test_hostile_many_values(void **state)
{
    (void)state;
    /* 200000 list items: refused at the 100001st value. */
    size_t items = 200000, n = 4 + 2 * items + 1;
    char *s = malloc(n);
    assert_non_null(s);
    memcpy(s, "x: [", 4);
    for (size_t i = 0; i < items; i++) {
        s[4 + 2 * i] = 'a';
        s[5 + 2 * i] = ',';
    }
    s[n - 2] = ']';
    s[n - 1] = '\n';
    /* Values: the mapping, 'x', the list, then item i is value 4 + i; item 99997 is at column 5 + 2 * 99997.
     */
    static const want w[] = {{1, 199999, "more than 100000 YAML values: this is not a playbook"}};
    load_fails(write_tmp("wide.yaml", s, n), CB_EPARSE, w, 1);
    free(s);
}

static void test_hostile_many_problems(void **state)
{
    (void)state;
    /* 3000 unknown keys: 1000 diagnostics, then one saying the rest were dropped. */
    size_t cap = 3000 * 16 + 64, k = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 0; i < 3000; i++)
        k += (size_t)snprintf(s + k, cap - k, "key%d: 1\n", i);
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb;
    assert_int_equal(cb_playbook_load(write_tmp("noisy.yaml", s, k), &pb, &d), CB_EPARSE);
    assert_int_equal(d.n, 1001);
    assert_string_equal(d.v[0].msg, "unknown key 'key0' at top level");
    assert_string_equal(d.v[1000].msg, "too many problems; stopped after 1000");
    cb_diags_release(&d);
    free(s);
}

/*
 * Every prefix of the complete example, and a few thousand single-byte
 * mutations of it, must load or fail with diagnostics: never crash, never
 * fail silently.  ASan/UBSan watch the rest.
 */
static void test_hostile_truncations_and_mutations(void **state)
{
    (void)state;
    size_t n;
    char *text = read_all(fx("valid/replication-mtu-mismatch.yaml"), &n);
    char *m = malloc(n);
    assert_non_null(m);
    for (size_t len = 0; len < n; len += 3) {
        cb_diags d;
        cb_diags_init(&d);
        cb_playbook *pb;
        cb_status st = cb_playbook_load(write_tmp("prefix.yaml", text, len), &pb, &d);
        assert_true(st == CB_OK ? pb != NULL : d.n > 0);
        cb_playbook_free(pb);
        cb_diags_release(&d);
    }
    static const char bytes[] = ":-[]{}&*!|>'\"#%@`,? \n\t\x80\xff\0ab";
    unsigned seed = 12345;
    for (int i = 0; i < 1500; i++) {
        memcpy(m, text, n);
        for (int k = 0; k < 1 + i % 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            m[pos] = bytes[(seed >> 8) % (sizeof bytes - 1)];
        }
        cb_diags d;
        cb_diags_init(&d);
        cb_playbook *pb;
        cb_status st = cb_playbook_load(write_tmp("mutant.yaml", m, n), &pb, &d);
        assert_true(st == CB_OK ? pb != NULL : d.n > 0);
        if (pb)
            assert_int_equal(cb_playbook_lint(pb, stub_regex, NULL, &d), CB_OK);
        cb_playbook_free(pb);
        cb_diags_release(&d);
    }
    free(m);
    free(text);
}

/* ------------------------------------------------------------------ */
/* the model                                                           */
/* ------------------------------------------------------------------ */

static void assert_loc(cb_pbloc loc, int line, int col)
{
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, col);
}

static void test_spec_example_model(void **state)
{
    (void)state;
    const char *path = fx("valid/replication-mtu-mismatch.yaml");
    cb_playbook *pb = load_ok(path);

    assert_string_equal(pb->path, path);
    assert_int_equal(pb->version, 1);
    assert_string_equal(pb->id.s, "replication-mtu-mismatch");
    assert_loc(pb->id.loc, 2, 5);
    assert_string_equal(pb->title.s, "Replication stalls or fails with connection resets");
    assert_string_equal(pb->product.s, "Veeam Backup & Replication");
    assert_string_equal(pb->versions.s, ">= 11");
    assert_int_equal(pb->ntags, 2);
    assert_string_equal(pb->tags[1].s, "network");
    assert_string_equal(pb->article.s, "KB-NET-0001");

    size_t n;
    char *bytes = read_all(path, &n);
    char hash[65];
    cb__sha256_hex(bytes, n, hash);
    assert_string_equal(pb->hash, hash);
    free(bytes);

    assert_int_equal(pb->nsignatures, 2);
    const cb_signature *s = &pb->signatures[0];
    assert_string_equal(s->id, "conn-reset");
    assert_loc(s->loc, 10, 3);
    assert_string_equal(s->pattern.s, "An existing connection was forcibly closed by the remote host");
    assert_loc(s->pattern.loc, 11, 14);
    assert_int_equal(s->nfiles, 2);
    assert_string_equal(s->files[0].s, "**/Job.*.log");
    assert_string_equal(s->files[1].s, "**/Task.*.log");
    assert_loc(s->files[1].loc, 12, 29);
    assert_int_equal(s->severity, CB_SEV_ERROR);
    assert_false(s->caseless);
    assert_string_equal(s->describe.s, "Transport connection reset while data was flowing");
    s = &pb->signatures[1];
    assert_string_equal(s->id, "data-timeout");
    assert_true(s->caseless);
    assert_int_equal(s->severity, CB_SEV_WARNING);
    assert_int_equal(s->nfiles, 0);
    assert_null(s->describe.s);
    assert_string_equal(cb_severity_name(s->severity), "warning");

    assert_string_equal(pb->start.id, "resets-in-job-log");
    assert_int_equal(pb->start.index, 0);
    assert_int_equal(pb->nnodes, 6);
    assert_int_equal(cb_playbook_node(pb, "df-ping"), 1);
    assert_int_equal(cb_playbook_node(pb, "not-this-issue"), 5);
    assert_int_equal(cb_playbook_node(pb, "nope"), -1);
    assert_int_equal(cb_playbook_signature(pb, "data-timeout"), 1);
    assert_int_equal(cb_playbook_signature(pb, "df-ping"), -1);

    const cb_node *nd = &pb->nodes[0];
    assert_int_equal(nd->kind, CB_NODE_CHECK);
    assert_loc(nd->loc, 22, 3);
    assert_loc(nd->kind_loc, 23, 5);
    assert_null(nd->text.s);
    assert_int_equal(nd->nsigs, 1);
    assert_string_equal(nd->sigs[0].id, "conn-reset");
    assert_int_equal(nd->sigs[0].index, 0);
    assert_int_equal(nd->min, 3);
    assert_loc(nd->min_loc, 24, 10);
    assert_string_equal(nd->yes.id, "df-ping");
    assert_int_equal(nd->yes.index, 1);
    assert_int_equal(nd->no.index, 5);
    assert_loc(nd->no.loc, 33, 9);
    assert_non_null(nd->coach);
    assert_string_equal(nd->coach->ask.s,
                        "What do the job logs show, and which layer does that error point to?");
    assert_int_equal(nd->coach->nchoices, 3);
    assert_string_equal(nd->coach->choices[2].s, "storage");
    assert_int_equal(nd->coach->nexpect, 1);
    assert_string_equal(nd->coach->expect[0].s, "network");
    assert_int_equal(nd->coach->nhints, 2);
    /* Written unquoted with ": " inside: YAML sees a mapping, casebook reads the text as written. */
    assert_string_equal(nd->coach->hints[0].s,
                        "Who closed the connection: the application, or something between the two hosts?");
    assert_loc(nd->coach->hints[0].loc, 30, 11);
    assert_string_equal(nd->coach->hints[1].s,
                        "Resets after a steady stream of data often mean large packets are being dropped.");

    nd = &pb->nodes[1];
    assert_int_equal(nd->kind, CB_NODE_ASK);
    assert_string_equal(nd->text.s,
                        "From the source proxy, does a ping with the don't-fragment bit and a 1472-byte "
                        "payload reach {{target}}?  Windows: ping -f -l 1472 {{target}}   Linux: ping -M "
                        "do -s 1472 {{target}}\n");
    assert_int_equal(nd->nchoices, 2);
    assert_string_equal(nd->choices[0].label.s, "yes, it gets replies");
    assert_string_equal(nd->choices[0].target.id, "other-network-cause");
    assert_int_equal(nd->choices[0].target.index, 2);
    assert_string_equal(nd->choices[1].label.s, "no, it needs to fragment");
    assert_int_equal(nd->choices[1].target.index, 3);
    assert_loc(nd->choices[1].label.loc, 41, 7);
    assert_null(nd->coach);

    nd = &pb->nodes[2];
    assert_int_equal(nd->kind, CB_NODE_DO);
    assert_string_equal(nd->record.s, "What did the capture show?");
    assert_int_equal(nd->next.index, 4);

    nd = &pb->nodes[3];
    assert_int_equal(nd->kind, CB_NODE_CONCLUDE);
    assert_string_equal(nd->text.s, "Network MTU mismatch on the replication path");
    assert_string_equal(
        nd->resolution.s,
        "Lower the MTU on the proxies' replication interfaces to the path MTU, or fix the device.\n");
    assert_string_equal(nd->article.s, "KB-NET-0001");
    assert_false(nd->escalate);
    assert_int_equal(nd->yes.index, -1);
    assert_int_equal(nd->next.index, -1);
    assert_true(pb->nodes[4].escalate);
    assert_false(pb->nodes[4].dead_end);
    assert_true(pb->nodes[5].dead_end);

    assert_int_equal(pb->ntests, 2);
    const cb_pbtest *t = &pb->tests[0];
    assert_string_equal(t->name.s, "resets during replication, DF ping fails");
    assert_int_equal(t->nlogs, 1);
    assert_string_equal(t->logs[0].path.s, "Backup/Job.Replica_DC1.log");
    assert_non_null(strstr(t->logs[0].content.s, "10:15:51"));
    assert_int_equal(t->nanswers, 1);
    assert_string_equal(t->answers[0].node.id, "df-ping");
    assert_int_equal(t->answers[0].node.index, 1);
    assert_string_equal(t->answers[0].answer.s, "no, it needs to fragment");
    assert_int_equal(t->expect.index, 3);
    assert_int_equal(pb->tests[1].expect.index, 5);
    assert_int_equal(pb->tests[1].nanswers, 0);

    cb_diags d;
    cb_diags_init(&d);
    int compiled = 0;
    assert_int_equal(cb_playbook_lint(pb, stub_regex, &compiled, &d), CB_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.n, 0);
    assert_int_equal(compiled, 2);
    cb_diags_release(&d);
    cb_playbook_free(pb);
    cb_playbook_free(NULL);
}

static void test_yes_no_keys(void **state)
{
    (void)state;
    cb_playbook *pb = load_ok(fx("valid/yes-no.yaml"));
    const cb_node *check = &pb->nodes[cb_playbook_node(pb, "disk-full-in-logs")];
    assert_string_equal(check->yes.id, "ask-repo");
    assert_string_equal(check->no.id, "not-full");
    const cb_node *ask = &pb->nodes[cb_playbook_node(pb, "ask-repo")];
    assert_int_equal(ask->nchoices, 3);
    assert_string_equal(ask->choices[0].label.s, "yes");
    assert_string_equal(ask->choices[1].label.s, "no");
    assert_string_equal(ask->choices[2].label.s, "on");
    assert_true(pb->nodes[cb_playbook_node(pb, "dedupe")].escalate);
    assert_true(pb->nodes[cb_playbook_node(pb, "not-full")].dead_end);
    assert_false(pb->signatures[0].caseless);
    assert_loc(pb->signatures[0].caseless_loc, 8, 15);
    assert_string_equal(pb->tests[0].answers[0].answer.s, "yes");
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_playbook_lint(pb, stub_regex, NULL, &d), CB_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.n, 0);
    cb_diags_release(&d);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* lint: one test per class                                            */
/* ------------------------------------------------------------------ */

static void test_lint_missing_start(void **state)
{
    (void)state;
    static const want w[] = {{5, 8, "start node 'begin' does not exist"}};
    LINT_GIVES("lint/missing-start.yaml", w);
}

static void test_lint_missing_refs(void **state)
{
    (void)state;
    static const want w[] = {
        {10, 25, "node 'a' checks unknown signature 'conn-rest'"},
        {12, 9, "'no' of node 'a' names unknown node 'nowhere'"},
        {17, 16, "choice 'storage' of node 'b' leads to unknown node 'stroage'"},
    };
    LINT_GIVES("lint/missing-refs.yaml", w);
}

static void test_lint_unreachable(void **state)
{
    (void)state;
    static const want w[] = {
        {10, 3, "node 'orphan' is not reachable from start node 'a'"},
        {15, 3, "conclusion 'lost' is reached by no path from start node 'a'"},
    };
    LINT_GIVES("lint/unreachable.yaml", w);
}

static void test_lint_cycles(void **state)
{
    (void)state;
    static const want w[] = {
        {14, 20, "cycle: a -> b -> a"},
        {15, 16, "cycle: b -> b"},
    };
    LINT_GIVES("lint/cycle.yaml", w);
}

static void test_lint_dead_ends(void **state)
{
    (void)state;
    static const want w[] = {
        {7, 3, "ask node 'a' has only one choice: make it a do node, or add choices"},
        {11, 3, "ask node 'b' has no choices, so no way onward"},
    };
    LINT_GIVES("lint/dead-end.yaml", w);
}

static void test_lint_unused_signature(void **state)
{
    (void)state;
    /* 'evidence' is severity info; 'target' provides {{host}}: both count as used. */
    static const want w[] = {
        {7, 3,
         "signature 'orphan' is used by no node: check it in a node, or give it severity info "
         "to keep it as evidence only"}};
    LINT_GIVES("lint/unused-signature.yaml", w);
}

static void test_lint_bad_pattern(void **state)
{
    (void)state;
    static const want w[] = {
        {6, 14, "pattern of signature 'repeated-word' does not compile: Back-references are unsupported"}};
    LINT_GIVES("lint/bad-pattern.yaml", w);
    /* Without an engine, patterns are not compiled. */
    cb_playbook *pb = load_ok(fx("lint/bad-pattern.yaml"));
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_playbook_lint(pb, NULL, NULL, &d), CB_OK);
    assert_int_equal(d.n, 0);
    cb_diags_release(&d);
    cb_playbook_free(pb);
}

static void test_lint_bad_glob(void **state)
{
    (void)state;
    static const want w[] = {
        {7, 44, "invalid glob 'Backup/[abc.log' in signature 'conn-reset': unterminated '[' at column 8"}};
    LINT_GIVES("lint/bad-glob.yaml", w);
}

static void test_lint_unknown_variable(void **state)
{
    (void)state;
    static const want w[] = {
        {14, 9,
         "unknown variable '{{proxy}}' in node 'b': no signature captures it and no do node records it"}};
    LINT_GIVES("lint/unknown-variable.yaml", w);
}

static void test_lint_coach_expect(void **state)
{
    (void)state;
    static const want w[] = {
        {12, 48, "coach of node 'a' lists choice 'network' twice"},
        {13, 15, "coach of node 'a' expects 'netwrk', which is not among its choices"},
    };
    LINT_GIVES("lint/coach-expect.yaml", w);
}

static void test_lint_tests(void **state)
{
    (void)state;
    static const want w[] = {
        {23, 7, "log path '../outside.log' in test 'first' must be relative and stay inside the bundle"},
        {24, 18, "test 'first' answers check node 'a' with 'maybe': answer yes or no"},
        {24, 28, "test 'first' answers node 'b' with 'three', which is not one of its choices"},
        {24, 35, "test 'first' answers conclusion 'done', which asks nothing"},
        {24, 45, "test 'first' answers unknown node 'nowhere'"},
        {25, 13, "test 'first' expects unknown node 'finish'"},
        {26, 11, "test name 'first' is used twice (first at line 21, column 11)"},
    };
    LINT_GIVES("lint/tests.yaml", w);
}

static void test_lint_scope(void **state)
{
    (void)state;
    static const want w[] = {
        {3, 8, "the title spans several lines: it is shown as one"},
        {6, 11, "'versions' is not a version range: write '>= 11', '< 12', '12.1' or '11.0 - 12.1'"},
    };
    LINT_GIVES("lint/scope.yaml", w);
}

/* A long chain closed into a cycle: the walk is iterative and the message is cut in the middle. */
static void test_lint_long_cycle(void **state)
{
    (void)state;
    size_t nodes = 10000, cap = nodes * 64 + 256, k = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    k += (size_t)snprintf(s + k, cap - k,
                          "casebook: 1\nid: chain\ntitle: A long chain\nsignatures: {}\n"
                          "start: n0\nnodes:\n");
    for (size_t i = 0; i < nodes; i++)
        k += (size_t)snprintf(s + k, cap - k, "  n%zu: {do: step, next: n%zu}\n", i, (i + 1) % nodes);
    cb_playbook *pb = load_ok(write_tmp("chain.yaml", s, k));
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_playbook_lint(pb, NULL, NULL, &d), CB_OK);
    if (d.n != 1)
        dump(&d);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].msg,
                        "cycle: n0 -> n1 -> n2 -> n3 -> n4 -> ... (9990 more) -> n9995 -> n9996 -> "
                        "n9997 -> n9998 -> n9999 -> n0");
    assert_int_equal(d.v[0].line, 6 + (int)nodes);
    cb_diags_release(&d);
    cb_playbook_free(pb);
    free(s);
}

/* ------------------------------------------------------------------ */
/* library                                                             */
/* ------------------------------------------------------------------ */

static void test_library_directory(void **state)
{
    (void)state;
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s", fx("library"));
    cb_library lib;
    cb_library_init(&lib);
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_library_add_path(&lib, dir, &d), CB_OK);

    /*
     * broken.yaml fails and is skipped; .hidden.yaml and notes.txt are not
     * read; sub/ is.  sub/c.yaml defines lib-a again: it is refused, naming
     * the first definition.
     */
    cb_diags_sort(&d);
    if (d.n != 2)
        dump(&d);
    assert_int_equal(d.n, 2);
    snprintf(path, sizeof path, "%s/broken.yaml", dir);
    assert_string_equal(d.v[0].file, path);
    assert_int_equal(d.v[0].line, 4);
    assert_int_equal(d.v[0].col, 1);
    char msg[2600];
    snprintf(msg, sizeof msg, "duplicate playbook id 'lib-a' (also in %s/a.yaml:2:5): this file is not loaded", dir);
    assert_string_equal(d.v[1].msg, msg);
    snprintf(path, sizeof path, "%s/sub/c.yaml", dir);
    assert_string_equal(d.v[1].file, path);
    assert_int_equal(d.v[1].line, 2);
    assert_int_equal(d.v[1].col, 5);
    assert_int_equal(lib.n, 3);
    static const char *const order[] = {"a.yaml", "b.yml", "sub/d.yaml"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, order[i]);
        assert_string_equal(lib.playbooks[i]->path, path);
    }
    assert_int_equal(cb_library_signature_count(&lib), 3);
    assert_ptr_equal(cb_library_find(&lib, "lib-a"), lib.playbooks[0]);
    assert_ptr_equal(cb_library_find(&lib, "lib-d"), lib.playbooks[2]);
    assert_null(cb_library_find(&lib, "broken"));
    cb_diags_release(&d);
    assert_int_equal(cb_library_lint(&lib, stub_regex, NULL, &d), CB_OK);
    assert_int_equal(d.n, 0);

    /* The same files again, by the same path, through a subdirectory or by another name: nothing new. */
    size_t before = lib.n;
    assert_int_equal(cb_library_add_path(&lib, dir, &d), CB_OK);
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(cb_library_add_path(&lib, path, &d), CB_OK);
    snprintf(path, sizeof path, "%s/sub/../a.yaml", dir);
    assert_int_equal(cb_library_add_path(&lib, path, &d), CB_OK);
    char link[1300];
    snprintf(link, sizeof link, "%s-link.yaml", dir);
    unlink(link);
    snprintf(path, sizeof path, "%s/b.yml", dir);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(cb_library_add_path(&lib, link, &d), CB_OK);
    unlink(link);
    assert_int_equal(lib.n, before);
    /* sub/c.yaml is read again and refused again; nothing else is said */
    for (size_t i = 0; i < d.n; i++)
        assert_non_null(strstr(d.v[i].msg, "duplicate playbook id 'lib-a'"));

    cb_diags_release(&d);
    cb_library_release(&lib);
    cb_library_release(&lib); /* reusable, and releasing twice is harmless */
    cb_library_release(NULL);
}

static void test_library_errors(void **state)
{
    (void)state;
    cb_library lib;
    cb_library_init(&lib);
    cb_diags d;
    cb_diags_init(&d);
    const char *missing = fx("library/none");
    assert_int_equal(cb_library_add_path(&lib, missing, &d), CB_ENOTFOUND);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, missing);
    assert_string_equal(d.v[0].msg, "cannot open: No such file or directory");
    cb_diags_release(&d);

    /* A broken file given directly returns its status. */
    assert_int_equal(cb_library_add_path(&lib, fx("library/broken.yaml"), &d), CB_EPARSE);
    assert_int_equal(lib.n, 0);
    assert_int_equal(d.n, 1);
    cb_diags_release(&d);

    /* A directory symlinked into itself is entered once. */
    char sub[300], link[320];
    snprintf(sub, sizeof sub, "%s/loop", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(link, sizeof link, "%s/self", sub);
    assert_int_equal(symlink(sub, link), 0);
    static const char one[] =
        "casebook: 1\nid: one\ntitle: One\nsignatures: {}\nstart: a\nnodes: {a: {conclude: x}}\n";
    write_tmp("loop/one.yaml", one, sizeof one - 1);
    assert_int_equal(cb_library_add_path(&lib, sub, &d), CB_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.n, 0);
    assert_int_equal(lib.n, 1);
    cb_library_release(&lib);
    cb_diags_release(&d);
}

/* ------------------------------------------------------------------ */
/* diagnostics, templates, helpers                                     */
/* ------------------------------------------------------------------ */

static void test_diags(void **state)
{
    (void)state;
    cb_diags d;
    cb_diags_init(&d);
    assert_int_equal(cb_diags_add(&d, "b.yaml", 3, 1, "third %d", 3), CB_OK);
    assert_int_equal(cb_diags_add(&d, "a.yaml", 9, 9, "first"), CB_OK);
    assert_int_equal(cb_diags_add(&d, "b.yaml", 2, 5, "second"), CB_OK);
    assert_int_equal(cb_diags_add(&d, "b.yaml", 3, 1, "fourth, same place as third"), CB_OK);
    assert_int_equal(cb_diags_add(&d, NULL, 0, 0, "no file"), CB_OK);
    for (int i = 0; i < 40; i++) /* grows past the first allocation */
        assert_int_equal(cb_diags_add(&d, "z.yaml", 40 - i, 1, "z%d", i), CB_OK);
    cb_diags_sort(&d);
    assert_string_equal(d.v[0].msg, "no file");
    assert_string_equal(d.v[0].file, "");
    assert_string_equal(d.v[1].msg, "first");
    assert_string_equal(d.v[2].msg, "second");
    assert_string_equal(d.v[3].msg, "third 3");
    assert_string_equal(d.v[4].msg, "fourth, same place as third");
    assert_string_equal(d.v[5].msg, "z39");
    assert_int_equal(d.v[44].line, 40);

    char buf[64];
    assert_int_equal(cb_diag_format(&d.v[1], buf, sizeof buf), strlen("a.yaml:9:9: first"));
    assert_string_equal(buf, "a.yaml:9:9: first");
    cb_diag nocol = {"f.yaml", 4, 0, "m"}, noline = {"f.yaml", 0, 0, "m"};
    cb_diag_format(&nocol, buf, sizeof buf);
    assert_string_equal(buf, "f.yaml:4: m");
    cb_diag_format(&noline, buf, sizeof buf);
    assert_string_equal(buf, "f.yaml: m");
    assert_int_equal(cb_diag_format(&d.v[1], buf, 5), 17);
    assert_string_equal(buf, "a.ya");

    cb_diags_release(&d);
    assert_int_equal(d.n, 0);
    assert_null(d.v);
    cb_diags_release(NULL);

    /* Quoting author text into messages: escaped and cut. */
    cb__quoter q = {0};
    assert_string_equal(cb__q(&q, "a\nb\tc\x01"), "a\\nb\\tc\\x01");
    char long_id[200];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    const char *cut = cb__q(&q, long_id);
    assert_int_equal(strlen(cut), 63);
    assert_string_equal(cut + 60, "...");
    assert_string_equal(cb__q(&q, NULL), "");
    assert_string_equal(cb_node_kind_name(CB_NODE_CONCLUDE), "conclude");
    assert_string_equal(cb_severity_name((cb_severity)9), "unknown");
}

static const char *vars_lookup(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "target"))
        return "10.0.0.7";
    if (!strcmp(name, "bundle"))
        return "case-42.zip";
    if (!strcmp(name, "df-ping"))
        return "{{target}}"; /* values are not expanded again */
    if (!strcmp(name, "empty"))
        return "";
    return NULL;
}

static void fill_is(const char *text, const char *expect, size_t unknown)
{
    size_t u = 99;
    char *s = cb_template_fill(text, vars_lookup, NULL, &u);
    assert_non_null(s);
    assert_string_equal(s, expect);
    assert_int_equal(u, unknown);
    free(s);
}

static void test_template_fill(void **state)
{
    (void)state;
    fill_is("ping -f -l 1472 {{target}}", "ping -f -l 1472 10.0.0.7", 0);
    fill_is("{{ target }} and {{target}}, from {{bundle}}", "10.0.0.7 and 10.0.0.7, from case-42.zip", 0);
    fill_is("{{missing}} stays, {{ also.missing }} too", "{{missing}} stays, {{ also.missing }} too", 2);
    fill_is("{{df-ping}}", "{{target}}", 0);
    fill_is("[{{empty}}]", "[]", 0);
    fill_is("", "", 0);
    fill_is("no variables at all", "no variables at all", 0);
    /* Not references: copied as they are, not counted. */
    fill_is("{{}} {{ }} {{a b}} {{a}b} {target}} {{target", "{{}} {{ }} {{a b}} {{a}b} {target}} {{target",
            0);
    fill_is("{{{target}}}", "{10.0.0.7}", 0);
    fill_is("{{target}}{{target}}", "10.0.0.710.0.0.7", 0);

    /* A long name takes the heap path of the lookup key. */
    char text[400], name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(text, sizeof text, "<{{%s}}>", name);
    fill_is(text, text, 1);

    /* No lookup at all; unknown may be NULL. */
    char *s = cb_template_fill("a {{x}} b", NULL, NULL, NULL);
    assert_string_equal(s, "a {{x}} b");
    free(s);
}

static bool collect_group(void *ctx, const char *name, size_t len)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%s%.*s", n ? "," : "", (int)len, name);
    return true;
}

static void test_pattern_groups(void **state)
{
    (void)state;
    char out[256] = "";
    cb__pattern_groups("from (?<target>[a-z]+) (?P<port>\\d+) (?'user'\\w+) (?<=x)(?<!y)\\(?<no>) [(?<no2>)] "
                       "[]a(?<no3>)](?<last_1>.)",
                       collect_group, out);
    assert_string_equal(out, "target,port,user,last_1");
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    cb__sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    cb__sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    cb__sha256_hex(two_blocks, strlen(two_blocks), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    cb__sha256_hex(million, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
    /* 55, 56 and 64 bytes: the padding boundaries. */
    static const char *const at[] = {
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318", /* 55 x 'a' */
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a", /* 56 */
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb", /* 64 */
    };
    static const size_t lens[] = {55, 56, 64};
    char a[64];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < 3; i++) {
        cb__sha256_hex(a, lens[i], hex);
        assert_string_equal(hex, at[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_syntax_error),
        cmocka_unit_test(test_load_unknown_keys),
        cmocka_unit_test(test_load_missing_keys),
        cmocka_unit_test(test_load_wrong_types),
        cmocka_unit_test(test_load_bad_version),
        cmocka_unit_test(test_load_bad_ids),
        cmocka_unit_test(test_load_bad_severity),
        cmocka_unit_test(test_load_node_kinds),
        cmocka_unit_test(test_load_duplicate_keys),
        cmocka_unit_test(test_load_bad_values),
        cmocka_unit_test(test_load_alias_bomb),
        cmocka_unit_test(test_load_tags),
        cmocka_unit_test(test_load_two_documents),
        cmocka_unit_test(test_load_not_a_mapping),
        cmocka_unit_test(test_load_yes_is_case_sensitive),
        cmocka_unit_test(test_load_unreadable),
        cmocka_unit_test(test_hostile_encodings),
        cmocka_unit_test(test_hostile_huge_file),
        cmocka_unit_test(test_hostile_deep_nesting),
        cmocka_unit_test(test_hostile_many_values),
        cmocka_unit_test(test_hostile_many_problems),
        cmocka_unit_test(test_hostile_truncations_and_mutations),
        cmocka_unit_test(test_spec_example_model),
        cmocka_unit_test(test_yes_no_keys),
        cmocka_unit_test(test_lint_missing_start),
        cmocka_unit_test(test_lint_missing_refs),
        cmocka_unit_test(test_lint_unreachable),
        cmocka_unit_test(test_lint_cycles),
        cmocka_unit_test(test_lint_dead_ends),
        cmocka_unit_test(test_lint_unused_signature),
        cmocka_unit_test(test_lint_bad_pattern),
        cmocka_unit_test(test_lint_bad_glob),
        cmocka_unit_test(test_lint_unknown_variable),
        cmocka_unit_test(test_lint_coach_expect),
        cmocka_unit_test(test_lint_tests),
        cmocka_unit_test(test_lint_scope),
        cmocka_unit_test(test_lint_long_cycle),
        cmocka_unit_test(test_library_directory),
        cmocka_unit_test(test_library_errors),
        cmocka_unit_test(test_diags),
        cmocka_unit_test(test_template_fill),
        cmocka_unit_test(test_pattern_groups),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
