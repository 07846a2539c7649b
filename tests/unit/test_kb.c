/*
 * test_kb.c — the KCS article model (casebook/kb.h): the file form and its
 * byte-for-byte round trip over examples/articles, every bad-input class
 * with its line, the state/audience/edit/link rules for every role (tables),
 * and the search terms of typed queries and pasted log lines.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casebook/kb.h"
#include "casebook/timefmt.h"
#include "casebook/utf8.h"

#define ART_DIR CB_SOURCE_ROOT "/examples/articles"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static cb_article *parse_ok(const char *text)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    cb_status st = cb_article_parse("t.md", text, strlen(text), &a, &d);
    if (st != CB_OK) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    }
    assert_int_equal(st, CB_OK);
    assert_int_equal(d.n, 0);
    cb_diags_release(&d);
    return a;
}

/* ---- file form --------------------------------------------------------------------------------- */

static void test_examples_round_trip(void **state)
{
    (void)state;
    DIR *dir = opendir(ART_DIR);
    assert_non_null(dir);
    int count = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t nl = strlen(de->d_name);
        if (nl < 4 || strcmp(de->d_name + nl - 3, ".md"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", ART_DIR, de->d_name);
        size_t len;
        char *text = slurp(path, &len);
        cb_diags d;
        cb_diags_init(&d);
        cb_article *a = NULL;
        cb_status st = cb_article_parse(path, text, len, &a, &d);
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%s:%d:%d: %s\n", d.v[i].file, d.v[i].line, d.v[i].col, d.v[i].msg);
        assert_int_equal(st, CB_OK);
        /* The file name is the id. */
        assert_int_equal(strncmp(de->d_name, a->id, nl - 3), 0);
        char *out = cb_article_format(a);
        assert_non_null(out);
        if (strcmp(out, text))
            fprintf(stderr, "%s does not round-trip:\n%s\n", path, out);
        assert_string_equal(out, text);
        cb_article *b = parse_ok(out);
        assert_true(cb_article_equal(a, b));
        cb_article_free(a);
        cb_article_free(b);
        cb_diags_release(&d);
        free(out);
        free(text);
        count++;
    }
    closedir(dir);
    assert_int_equal(count, 27);
}

static void test_fields(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(ART_DIR "/KB-NET-0001.md", &len);
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    assert_int_equal(cb_article_parse("x", text, len, &a, &d), CB_OK);
    assert_string_equal(a->id, "KB-NET-0001");
    assert_int_equal(a->state, CB_KB_VALIDATED);
    assert_int_equal(a->audience, CB_KB_PUBLIC);
    assert_string_equal(a->product, "Veeam Backup & Replication");
    assert_string_equal(a->versions, ">= 11");
    assert_int_equal(a->tags.n, 5);
    assert_string_equal(a->tags.v[0], "replication");
    assert_string_equal(a->tags.v[4], "vpn");
    assert_string_equal(a->owner, "network-domain");
    assert_string_equal(a->created, "2026-11-29");
    assert_string_equal(a->reviewed, "2026-11-29");
    assert_int_equal(a->playbooks.n, 2);
    assert_string_equal(a->playbooks.v[1], "replication-mtu-mismatch");
    assert_null(a->defect);
    assert_int_equal(a->section_line[CB_KB_ISSUE], 15);
    assert_true(strncmp(a->section[CB_KB_ISSUE], "Replication (or backup copy) to the DR site", 43) == 0);
    assert_true(strstr(a->section[CB_KB_INTERNAL_NOTES], "Catalogue V01") != NULL);
    size_t sl = strlen(a->section[CB_KB_INTERNAL_NOTES]);
    assert_int_equal(a->section[CB_KB_INTERNAL_NOTES][sl - 1], '\n');
    cb_article_free(a);
    free(text);
    cb_diags_release(&d);
}

/* Values the canonical form must quote, a BOM, CR LF, a fence hiding a heading, and a missing final newline. */
static void test_canonical(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF---\r\n"
                     "title: 'a: b # c'\r\n"
                     "id: KB-K8S-12345\r\n"
                     "state: wip\r\n"
                     "audience: internal\r\n"
                     "product: \"~\"\r\n"
                     "versions: \"\"\r\n"
                     "tags:\r\n  - \"x, y\"\r\n  - '[z]'\r\n  - plain\r\n"
                     "owner: \"-lead\"\r\n"
                     "defect: 'say \"hi\" \\ back'\r\n"
                     "---\r\n"
                     "\r\n"
                     "## Issue\r\n"
                     "```\r\n## Cause\r\n```\r\n"
                     "end";
    cb_article *a = parse_ok(in);
    assert_string_equal(a->title, "a: b # c");
    assert_string_equal(a->product, "~");
    assert_string_equal(a->versions, "");
    assert_int_equal(a->tags.n, 3);
    assert_string_equal(a->tags.v[0], "x, y");
    assert_null(a->section[CB_KB_CAUSE]);
    assert_string_equal(a->section[CB_KB_ISSUE], "```\n## Cause\n```\nend\n");
    char *out = cb_article_format(a);
    assert_string_equal(out, "---\n"
                             "id: KB-K8S-12345\n"
                             "title: \"a: b # c\"\n"
                             "state: wip\n"
                             "audience: internal\n"
                             "product: \"~\"\n"
                             "versions: \"\"\n"
                             "tags: [\"x, y\", \"[z]\", plain]\n"
                             "owner: \"-lead\"\n"
                             "defect: say \"hi\" \\ back\n"
                             "---\n"
                             "## Issue\n"
                             "```\n## Cause\n```\nend\n");
    cb_article *b = parse_ok(out);
    assert_true(cb_article_equal(a, b));
    /* A CR ending the file ends the last line. */
    size_t ol = strlen(out);
    out[ol - 1] = '\r';
    cb_article *c = parse_ok(out);
    assert_true(cb_article_equal(a, c));
    cb_article_free(c);
    out[ol - 1] = '\n';
    /* CRs before a line end all go, so that a formatted article holds no CR LF (found by fuzz_article). */
    const char *crcr = "---\r\r\nid: KB-AB-0001\ntitle: T\nstate: wip\naudience: internal\n---\n## Issue\na\r\r\nb\r\n";
    cb_article *d = parse_ok(crcr);
    assert_string_equal(d->section[CB_KB_ISSUE], "a\nb\n");
    cb_article_free(d);
    char *again = cb_article_format(b);
    assert_string_equal(out, again);
    free(again);
    free(out);
    cb_article_free(a);
    cb_article_free(b);
}

#define HEAD "---\nid: KB-NET-0001\ntitle: T\nstate: wip\naudience: internal\n"

typedef struct bad_case {
    const char *text;
    int line, col; /* col 0: not checked */
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {"no front matter\n", 1, 1, "starts with a line '---'"},
    {"---\nid: KB-NET-0001\n## Issue\nx\n", 1, 1, "not closed"},
    {"---\nid: [a\n---\n## Issue\nx\n", 3, 0, "did not find expected"},
    {"---\n- a\n- b\n---\n## Issue\nx\n", 2, 1, "must be a mapping"},
    {"---\n---\n## Issue\nx\n", 1, 1, "front matter is empty"},
    {HEAD "---\n## Issue\nx\n## Solution\ny\n", 9, 4, "unknown section 'Solution'"},
    {HEAD "---\n## Issue\nx\n## Issue\ny\n", 9, 4, "given twice (first at line 7)"},
    {HEAD "---\nintro\n## Issue\nx\n", 7, 1, "text before the first section"},
    {HEAD "---\n## Cause\nx\n", 4, 1, "missing section '## Issue': a wip article needs it"},
    {HEAD "---\n## Issue\n\n\n## Cause\nc\n", 7, 1, "section 'Issue' is empty"},
    {"---\nid: KB-NET-0001\ntitle: T\nstate: not-validated\naudience: internal\n---\n## Issue\nx\n## Resolution\nr\n", 4,
     1, "missing section '## Environment': a not-validated article needs it"},
    {"---\nid: KB-NET-0001\ntitle: T\nstate: done\naudience: internal\n---\n## Issue\nx\n", 4, 8, "unknown state 'done'"},
    {"---\nid: KB-NET-0001\ntitle: T\nstate: wip\naudience: world\n---\n## Issue\nx\n", 5, 11, "unknown audience 'world'"},
    {"---\nid: kb-net-1\ntitle: T\nstate: wip\naudience: internal\n---\n## Issue\nx\n", 2, 5, "does not follow the id rule"},
    {"---\nid: KB-NET-0001\nstate: wip\naudience: internal\n---\n## Issue\nx\n", 1, 1, "missing required key 'title'"},
    {"---\nid: KB-NET-0001\ntitle: T\nstate: wip\n---\n## Issue\nx\n", 1, 1, "missing required key 'audience'"},
    {HEAD "colour: red\n---\n## Issue\nx\n", 6, 1, "unknown key 'colour'"},
    {HEAD "reuse: 3\n---\n## Issue\nx\n", 6, 1, "'reuse' is derived"},
    {HEAD "state: wip\n---\n## Issue\nx\n", 6, 1, "duplicate key 'state'"},
    {HEAD "tags: replication\n---\n## Issue\nx\n", 6, 7, "must be a list"},
    {HEAD "title2: x\n---\n## Issue\nx\n", 6, 1, "unknown key"},
    {HEAD "created: 2026-02-30\n---\n## Issue\nx\n", 6, 10, "must be a date"},
    {HEAD "product: \"a\\nb\"\n---\n## Issue\nx\n", 6, 10, "must be one line"},
    {HEAD "product: \"a\\x1bb\"\n---\n## Issue\nx\n", 6, 10, "control character"},
    {HEAD "product: &x a\n---\n## Issue\nx\n", 6, 10, "anchors and aliases"},
    {HEAD "product: !!str a\n---\n## Issue\nx\n", 6, 10, "tags are not supported"},
    {HEAD "---\n## Issue\nx \xff y\n", 8, 3, "invalid UTF-8 (byte 0xFF)"},
    {HEAD "---\n## Issue\n```\n## Cause\n", 8, 1, "code block opened here is not closed"},
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        cb_diags d;
        cb_diags_init(&d);
        cb_article *a = (cb_article *)1;
        cb_status st = cb_article_parse("bad.md", c->text, strlen(c->text), &a, &d);
        bool found = false;
        for (size_t k = 0; k < d.n; k++)
            if (strstr(d.v[k].msg, c->msg) && d.v[k].line == c->line && (!c->col || d.v[k].col == c->col) &&
                !strcmp(d.v[k].file, "bad.md"))
                found = true;
        if (!found || st != CB_EPARSE) {
            fprintf(stderr, "case %zu: want %d:%d: %s, got status %d:\n", i, c->line, c->col, c->msg, (int)st);
            for (size_t k = 0; k < d.n; k++)
                fprintf(stderr, "  %d:%d: %s\n", d.v[k].line, d.v[k].col, d.v[k].msg);
        }
        assert_int_equal(st, CB_EPARSE);
        assert_true(found);
        assert_null(a);
        cb_diags_release(&d);
    }
    /* A NUL byte inside the length. */
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    const char nul[] = HEAD "---\n## Issue\nx\0y\n";
    assert_int_equal(cb_article_parse("n.md", nul, sizeof nul - 1, &a, &d), CB_EPARSE);
    assert_int_equal(d.v[0].line, 8);
    assert_non_null(strstr(d.v[0].msg, "NUL byte"));
    cb_diags_release(&d);
    /* Too large. */
    size_t big = (size_t)CB_KB_ARTICLE_MAX + 1;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    assert_int_equal(cb_article_parse("h.md", huge, big, &a, &d), CB_EPARSE);
    assert_non_null(strstr(d.v[0].msg, "larger than"));
    free(huge);
    cb_diags_release(&d);
    /* An unknown state is reported once, without the sections some state would need. */
    const char *bad_state = "---\nid: KB-AB-0001\ntitle: T\nstate: [wip]\naudience: internal\n---\n## Cause\nc\n";
    assert_int_equal(cb_article_parse("s.md", bad_state, strlen(bad_state), &a, &d), CB_EPARSE);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "'state' must be a string, not a list"));
    cb_diags_release(&d);
    /* Several problems are reported in one pass. */
    const char *many = "---\nid: nope\ntitle: T\nstate: wip\naudience: world\nfoo: 1\n---\n## Bogus\n## Issue\nx\n";
    assert_int_equal(cb_article_parse("m.md", many, strlen(many), &a, &d), CB_EPARSE);
    assert_int_equal(d.n, 4);
    cb_diags_release(&d);
    assert_int_equal(cb_article_parse("m.md", NULL, 3, &a, &d), CB_EINVAL);
    assert_int_equal(cb_article_parse("m.md", "x", 1, &a, NULL), CB_EINVAL);
    assert_null(a);
    assert_int_equal(cb_article_parse("m.md", "", 0, &a, &d), CB_EPARSE); /* an empty file: no front matter */
    cb_diags_release(&d);
    cb_article_free(NULL);
    assert_null(cb_article_format(NULL));
}

static void test_names_and_ids(void **state)
{
    (void)state;
    static const char *const good[] = {"KB-NET-0001", "KB-VBR-0012", "KB-K8S-12345", "KB-AB-00000000"};
    static const char *const bad[] = {"KB-NET-001",  "kb-net-0001", "KB-N-0001",   "KB-8NET-0001", "KB-NET-000000001",
                                      "KB-NET-0001 ", "KB-NETWORKSX-0001", "KB-NET_0001", "KB--0001", ""};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(cb_kb_id_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cb_kb_id_valid(bad[i]));
    assert_false(cb_kb_id_valid(NULL));
    for (int s = 0; s < CB_KB__STATES; s++) {
        cb_kb_state back;
        assert_true(cb_kb_state_from_name(cb_kb_state_name((cb_kb_state)s), &back));
        assert_int_equal(back, s);
    }
    for (int r = 0; r < CB_KB__ROLES; r++) {
        cb_kb_role back;
        assert_true(cb_kb_role_from_name(cb_kb_role_name((cb_kb_role)r), &back));
        assert_int_equal(back, r);
    }
    cb_kb_audience au;
    assert_true(cb_kb_audience_from_name("partner", &au));
    assert_int_equal(au, CB_KB_PARTNER);
    assert_false(cb_kb_audience_from_name("Public", &au));
    assert_string_equal(cb_kb_section_name(CB_KB_INTERNAL_NOTES), "Internal");
}

/* ---- rules ------------------------------------------------------------------------------------- */

static cb_article full_article(cb_kb_state st, cb_kb_audience au)
{
    cb_article a;
    memset(&a, 0, sizeof a);
    a.id = (char *)"KB-NET-0001";
    a.title = (char *)"T";
    a.state = st;
    a.audience = au;
    a.section[CB_KB_ISSUE] = (char *)"i\n";
    a.section[CB_KB_ENVIRONMENT] = (char *)"e\n";
    a.section[CB_KB_RESOLUTION] = (char *)"r\n";
    return a;
}

enum { C = CB_KB_CANDIDATE, T = CB_KB_CONTRIBUTOR, P = CB_KB_PUBLISHER };
enum { W = CB_KB_WIP, N = CB_KB_NOT_VALIDATED, V = CB_KB_VALIDATED, A = CB_KB_ARCHIVED };

/*
 * Every (role, from, to) with a complete internal article, an actor who is
 * not its author, and no open case: the rule that refuses it, or NULL.
 */
typedef struct tr_case {
    int role, from, to;
    const char *rule;
} tr_case;

static const tr_case transitions[] = {
    {C, W, W, "same-state"},    {C, W, N, NULL},           {C, W, V, "validate-role"}, {C, W, A, "archive-role"},
    {C, N, W, NULL},            {C, N, N, "same-state"},   {C, N, V, "validate-role"}, {C, N, A, "archive-role"},
    {C, V, W, "edit-role"},     {C, V, N, "edit-role"},    {C, V, V, "same-state"},    {C, V, A, "archive-role"},
    {C, A, W, "archive-role"},  {C, A, N, "archive-role"}, {C, A, V, "validate-role"}, {C, A, A, "same-state"},
    {T, W, W, "same-state"},    {T, W, N, NULL},           {T, W, V, NULL},            {T, W, A, NULL},
    {T, N, W, NULL},            {T, N, N, "same-state"},   {T, N, V, NULL},            {T, N, A, NULL},
    {T, V, W, NULL},            {T, V, N, NULL},           {T, V, V, "same-state"},    {T, V, A, NULL},
    {T, A, W, NULL},            {T, A, N, NULL},           {T, A, V, NULL},            {T, A, A, "same-state"},
    {P, W, W, "same-state"},    {P, W, N, NULL},           {P, W, V, NULL},            {P, W, A, NULL},
    {P, N, W, NULL},            {P, N, N, "same-state"},   {P, N, V, NULL},            {P, N, A, NULL},
    {P, V, W, NULL},            {P, V, N, NULL},           {P, V, V, "same-state"},    {P, V, A, NULL},
    {P, A, W, NULL},            {P, A, N, NULL},           {P, A, V, NULL},            {P, A, A, "same-state"},
};

static void expect(cb_kb_verdict v, const char *why, const char *rule, const char *label)
{
    if (rule) {
        char tag[64];
        snprintf(tag, sizeof tag, "[%s] ", rule);
        if (v != CB_KB_REFUSED || strncmp(why, tag, strlen(tag)))
            fprintf(stderr, "%s: want %s, got %s '%s'\n", label, rule, v ? "refused" : "allowed", why);
        assert_int_equal(v, CB_KB_REFUSED);
        assert_int_equal(strncmp(why, tag, strlen(tag)), 0);
    } else {
        if (v != CB_KB_ALLOWED)
            fprintf(stderr, "%s: want allowed, got '%s'\n", label, why);
        assert_int_equal(v, CB_KB_ALLOWED);
        assert_string_equal(why, "");
    }
}

static void test_transition_table(void **state)
{
    (void)state;
    assert_int_equal(sizeof transitions / sizeof transitions[0], CB_KB__ROLES * CB_KB__STATES * CB_KB__STATES);
    cb_kb_context ctx = {.author = "alice"};
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
        const tr_case *c = &transitions[i];
        cb_article a = full_article((cb_kb_state)c->from, CB_KB_INTERNAL);
        cb_kb_actor who = {"bob", (cb_kb_role)c->role};
        char why[256], label[64];
        snprintf(label, sizeof label, "%s %s->%s", cb_kb_role_name(who.role), cb_kb_state_name(a.state),
                 cb_kb_state_name((cb_kb_state)c->to));
        expect(cb_kb_check_transition(&a, (cb_kb_state)c->to, &who, &ctx, false, why, sizeof why), why, c->rule,
               label);
    }
}

/* The rules that depend on more than role and states, each with a case on either side. */
static void test_transition_conditions(void **state)
{
    (void)state;
    char why[256];
    cb_kb_actor alice_t = {"alice", CB_KB_CONTRIBUTOR}, bob_t = {"bob", CB_KB_CONTRIBUTOR};
    cb_article nv = full_article(CB_KB_NOT_VALIDATED, CB_KB_INTERNAL);
    cb_kb_context by_alice = {.author = "alice"};
    /* The author validating her own article: needs another reviewer or two reuses. */
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &alice_t, &by_alice, false, why, sizeof why), why,
           "validate-review", "self-validate");
    assert_non_null(strstr(why, "(alice)"));
    cb_kb_context reviewed_by_self = {.author = "alice", .reviewed_by = "alice"};
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &alice_t, &reviewed_by_self, false, why, sizeof why), why,
           "validate-review", "self-reviewed");
    cb_kb_context reviewed = {.author = "alice", .reviewed_by = "carol"};
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &alice_t, &reviewed, false, why, sizeof why), why, NULL,
           "reviewed by carol");
    cb_kb_context reused1 = {.author = "alice", .reuse = 1}, reused2 = {.author = "alice", .reuse = 2};
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &alice_t, &reused1, false, why, sizeof why), why,
           "validate-review", "reuse 1");
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &alice_t, &reused2, false, why, sizeof why), why, NULL,
           "reuse 2");
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &bob_t, &by_alice, false, why, sizeof why), why, NULL,
           "bob validates alice's");
    expect(cb_kb_check_transition(&nv, CB_KB_VALIDATED, &bob_t, NULL, false, why, sizeof why), why,
           "validate-review", "author unknown");

    /* Content of the target state. */
    cb_article wip = full_article(CB_KB_WIP, CB_KB_INTERNAL);
    wip.section[CB_KB_RESOLUTION] = NULL;
    expect(cb_kb_check_transition(&wip, CB_KB_NOT_VALIDATED, &bob_t, &by_alice, false, why, sizeof why), why,
           "content", "no resolution");
    assert_non_null(strstr(why, "'## Resolution'"));
    wip.section[CB_KB_RESOLUTION] = (char *)"  \n\n";
    expect(cb_kb_check_transition(&wip, CB_KB_NOT_VALIDATED, &bob_t, &by_alice, false, why, sizeof why), why,
           "content", "blank resolution");
    expect(cb_kb_check_transition(&wip, CB_KB_ARCHIVED, &bob_t, &by_alice, false, why, sizeof why), why, NULL,
           "archive a wip");
    wip.title = (char *)"";
    expect(cb_kb_check_content(&wip, CB_KB_WIP, why, sizeof why), why, "content", "no title");

    /* Open cases: refused with the cases named, unless forced. */
    cb_article v = full_article(CB_KB_VALIDATED, CB_KB_INTERNAL);
    const char *cases[] = {"C-0001", "C-0007"};
    cb_kb_context open = {.author = "alice", .open_cases = cases, .nopen_cases = 2};
    expect(cb_kb_check_transition(&v, CB_KB_ARCHIVED, &bob_t, &open, false, why, sizeof why), why,
           "archive-open-cases", "open cases");
    assert_non_null(strstr(why, "C-0001, C-0007"));
    expect(cb_kb_check_transition(&v, CB_KB_ARCHIVED, &bob_t, &open, true, why, sizeof why), why, NULL, "forced");
    expect(cb_kb_check_transition(&v, CB_KB_NOT_VALIDATED, &bob_t, &open, false, why, sizeof why), why, NULL,
           "open cases do not stop a demotion");
    cb_kb_actor cand = {"carl", CB_KB_CANDIDATE};
    expect(cb_kb_check_transition(&v, CB_KB_ARCHIVED, &cand, &open, true, why, sizeof why), why, "archive-role",
           "force does not lift roles");

    /* A public article leaves validated only for archived. */
    cb_article pub = full_article(CB_KB_VALIDATED, CB_KB_PUBLIC);
    expect(cb_kb_check_transition(&pub, CB_KB_NOT_VALIDATED, &bob_t, &by_alice, false, why, sizeof why), why,
           "audience-validated", "public demoted");
    expect(cb_kb_check_transition(&pub, CB_KB_ARCHIVED, &bob_t, &by_alice, false, why, sizeof why), why, NULL,
           "public archived");

    /* A small buffer is still terminated; NULL is fine. */
    char tiny[8];
    assert_int_equal(cb_kb_check_transition(&pub, CB_KB_WIP, &bob_t, NULL, false, tiny, sizeof tiny), CB_KB_REFUSED);
    assert_int_equal(strlen(tiny), 7);
    assert_int_equal(cb_kb_check_transition(&pub, CB_KB_WIP, &bob_t, NULL, false, NULL, 0), CB_KB_REFUSED);
}

/* Audience: every role x state x target audience, on an article that is internal (or public for internal). */
static void test_audience_table(void **state)
{
    (void)state;
    static const struct {
        int role, st, to;
        const char *rule;
    } cases[] = {
        {C, W, CB_KB_PUBLIC, "audience-role"},      {C, V, CB_KB_PARTNER, "audience-role"},
        {T, V, CB_KB_PUBLIC, "audience-role"},      {T, V, CB_KB_PARTNER, "audience-role"},
        {P, V, CB_KB_PUBLIC, NULL},                 {P, V, CB_KB_PARTNER, NULL},
        {P, W, CB_KB_PUBLIC, "audience-validated"}, {P, N, CB_KB_PARTNER, "audience-validated"},
        {P, A, CB_KB_PUBLIC, "audience-validated"}, {P, V, CB_KB_INTERNAL, "same-state"},
    };
    char why[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cb_article a = full_article((cb_kb_state)cases[i].st, CB_KB_INTERNAL);
        cb_kb_actor who = {"bob", (cb_kb_role)cases[i].role};
        expect(cb_kb_check_audience(&a, (cb_kb_audience)cases[i].to, &who, why, sizeof why), why, cases[i].rule,
               "audience");
    }
    /* Back to internal: whoever may edit. */
    static const struct {
        int role, st;
        const char *rule;
    } back[] = {
        {C, V, "edit-role"}, {T, V, NULL}, {P, V, NULL}, {P, A, "edit-archived"}, {C, A, "edit-archived"},
    };
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++) {
        cb_article a = full_article((cb_kb_state)back[i].st, CB_KB_PUBLIC);
        cb_kb_actor who = {"bob", (cb_kb_role)back[i].role};
        expect(cb_kb_check_audience(&a, CB_KB_INTERNAL, &who, why, sizeof why), why, back[i].rule, "to internal");
    }
}

static void test_edit_link_create(void **state)
{
    (void)state;
    /* edit: role x state */
    static const char *const edit[CB_KB__ROLES][CB_KB__STATES] = {
        {NULL, NULL, "edit-role", "edit-archived"},
        {NULL, NULL, NULL, "edit-archived"},
        {NULL, NULL, NULL, "edit-archived"},
    };
    char why[256];
    for (int r = 0; r < CB_KB__ROLES; r++)
        for (int s = 0; s < CB_KB__STATES; s++) {
            cb_article a = full_article((cb_kb_state)s, CB_KB_INTERNAL);
            cb_kb_actor who = {"bob", (cb_kb_role)r};
            expect(cb_kb_check_edit(&a, &who, why, sizeof why), why, edit[r][s], "edit");
        }
    for (int s = 0; s < CB_KB__STATES; s++) {
        cb_article a = full_article((cb_kb_state)s, CB_KB_INTERNAL);
        expect(cb_kb_check_link(&a, why, sizeof why), why, s == CB_KB_ARCHIVED ? "link-archived" : NULL, "link");
    }
    /* create: role x state (internal), the creator being the author */
    static const char *const create[CB_KB__ROLES][CB_KB__STATES] = {
        {NULL, NULL, "validate-role", "archive-role"},
        {NULL, NULL, "validate-review", NULL},
        {NULL, NULL, "validate-review", NULL},
    };
    cb_kb_context mine = {.author = "bob"};
    for (int r = 0; r < CB_KB__ROLES; r++)
        for (int s = 0; s < CB_KB__STATES; s++) {
            cb_article a = full_article((cb_kb_state)s, CB_KB_INTERNAL);
            cb_kb_actor who = {"bob", (cb_kb_role)r};
            expect(cb_kb_check_create(&a, &who, &mine, why, sizeof why), why, create[r][s], "create");
        }
    cb_article pub = full_article(CB_KB_VALIDATED, CB_KB_PUBLIC);
    cb_kb_context reviewed = {.author = "bob", .reviewed_by = "carol"};
    cb_kb_actor t = {"bob", CB_KB_CONTRIBUTOR}, p = {"bob", CB_KB_PUBLISHER};
    expect(cb_kb_check_create(&pub, &t, &reviewed, why, sizeof why), why, "audience-role", "create public");
    expect(cb_kb_check_create(&pub, &p, &reviewed, why, sizeof why), why, NULL, "publisher creates public");
    pub.state = CB_KB_WIP;
    expect(cb_kb_check_create(&pub, &p, &reviewed, why, sizeof why), why, "audience-validated", "public wip");
}

/* ---- queries ----------------------------------------------------------------------------------- */

static void assert_list(char **v, size_t n, const char *const *want)
{
    size_t k = 0;
    while (want[k])
        k++;
    if (n != k) {
        fprintf(stderr, "got %zu terms:", n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " [%s]", v[i]);
        fprintf(stderr, "\n");
    }
    assert_int_equal(n, k);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i], want[i]);
}

/* The property every query keeps: terms non-empty, valid UTF-8, no '"', no control character. */
static void check_terms(const cb_kb_query *q)
{
    char **lists[3] = {q->words, q->phrases, q->prefixes};
    size_t counts[3] = {q->nwords, q->nphrases, q->nprefixes};
    assert_true(counts[0] + counts[1] + counts[2] <= CB_KB_QUERY_TERMS_MAX);
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const char *t = lists[l][i];
            size_t n = strlen(t);
            assert_true(n > 0 && n <= CB_KB_TERM_MAX);
            assert_true(cb_utf8_valid(t, n));
            assert_null(strchr(t, '"'));
            assert_true(t[n - 1] != '*');
            for (size_t k = 0; k < n; k++)
                assert_true((unsigned char)t[k] >= 0x20 && t[k] != 0x7f);
        }
}

static void test_query_parse(void **state)
{
    (void)state;
    cb_kb_query q;
    assert_int_equal(cb_kb_query_parse("  Replication \"forcibly  closed\" resolv* 0x800f0805 WSAECONNRESET "
                                       "10.0.0.1:2503, (e1000e) the",
                                       &q),
                     CB_OK);
    check_terms(&q);
    assert_false(q.any);
    assert_false(q.from_log);
    assert_list(q.words, q.nwords,
                (const char *const[]){"replication", "0x800f0805", "wsaeconnreset", "10.0.0.1:2503", "e1000e", NULL});
    assert_list(q.phrases, q.nphrases, (const char *const[]){"forcibly closed", NULL});
    assert_list(q.prefixes, q.nprefixes, (const char *const[]){"resolv", NULL});
    cb_kb_query_release(&q);

    /* Only stop words: kept.  Duplicates: once. */
    assert_int_equal(cb_kb_query_parse("The the THE", &q), CB_OK);
    assert_list(q.words, q.nwords, (const char *const[]){"the", NULL});
    cb_kb_query_release(&q);

    /* Hostile strings. */
    static const char *const hostile[] = {
        "\"", "\"\"", "\"unbalanced phrase", "a\"b\"c", "***", "* foo*** \"*\"", "NEAR(a b) OR AND NOT -x ^y",
        "\x1b[2J\x1b]0;t\x07 title", "\xff\xfe\xc0\xaf \xed\xa0\x80 bad", "col:umn {a b} [c] (d)", "\xe2\x80\xae rtl",
        "tab\there\nnewline", "'single' `back`", "",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        assert_int_equal(cb_kb_query_parse(hostile[i], &q), CB_OK);
        check_terms(&q);
        cb_kb_query_release(&q);
        assert_int_equal(cb_kb_query_from_log(hostile[i], &q), CB_OK);
        check_terms(&q);
        cb_kb_query_release(&q);
    }
    assert_int_equal(cb_kb_query_parse("\"unbalanced phrase", &q), CB_OK);
    assert_list(q.phrases, q.nphrases, (const char *const[]){"unbalanced phrase", NULL});
    cb_kb_query_release(&q);
    assert_int_equal(cb_kb_query_parse("\"foo* \" \"(bar baz).\"", &q), CB_OK);
    assert_list(q.phrases, q.nphrases, (const char *const[]){"foo", "bar baz", NULL});
    cb_kb_query_release(&q);
    assert_int_equal(cb_kb_query_parse("t*%** resolv*). a*b", &q), CB_OK); /* found by fuzz_kbquery */
    assert_list(q.prefixes, q.nprefixes, (const char *const[]){"t", "resolv", NULL});
    assert_list(q.words, q.nwords, (const char *const[]){"a*b", NULL});
    cb_kb_query_release(&q);
    assert_int_equal(cb_kb_query_parse("NEAR(a b) OR -x", &q), CB_OK);
    assert_list(q.words, q.nwords, (const char *const[]){"near(a", "b", "x", NULL});
    cb_kb_query_release(&q);

    /* Huge input: capped, terms capped. */
    size_t big = 1 << 20;
    char *huge = malloc(big + 1);
    for (size_t i = 0; i + 8 <= big; i += 8)
        snprintf(huge + i, 9, "w%06zu ", (i / 8) % 1000000);
    huge[big] = '\0';
    assert_int_equal(cb_kb_query_parse(huge, &q), CB_OK);
    check_terms(&q);
    assert_int_equal(q.nwords, CB_KB_QUERY_TERMS_MAX);
    cb_kb_query_release(&q);
    assert_int_equal(cb_kb_query_from_log(huge, &q), CB_OK);
    check_terms(&q);
    cb_kb_query_release(&q);
    memset(huge, 'x', 200);
    huge[200] = '\0';
    assert_int_equal(cb_kb_query_parse(huge, &q), CB_OK);
    assert_int_equal(q.nwords, 0);
    cb_kb_query_release(&q);
    free(huge);

    assert_int_equal(cb_kb_query_parse(NULL, &q), CB_EINVAL);
    cb_kb_query_release(&q);
    cb_kb_query_release(NULL);
}

static void test_query_from_log(void **state)
{
    (void)state;
    const char *line = "[12.03.2024 20:03:47] <43> Warning [ReconnectableSocket] Connection to "
                       "'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly closed "
                       "by the remote host";
    assert_true(cb_kb_query_is_log(line));
    cb_kb_query q;
    assert_int_equal(cb_kb_query_from_log(line, &q), CB_OK);
    check_terms(&q);
    assert_true(q.any);
    assert_true(q.from_log);
    assert_list(q.words, q.nwords,
                (const char *const[]){"reconnectablesocket", "connection", "interrupted", "existing", "forcibly",
                                      "closed", "remote", "host", NULL});
    assert_int_equal(q.nphrases + q.nprefixes, 0);
    cb_kb_query_release(&q);

    /* Lines of the demo bundles (examples/bundles/generate.py) and of the kinds casebook reads. */
    const struct {
        const char *line;
        bool is_log;
        const char *const *words;
    } cases[] = {
        {"[12.03.2024 20:05:12.347] <47> Error    [AgentClient] Source agent on 'proxy01.corp.example': An existing "
         "connection was forcibly closed by the remote host.",
         true,
         (const char *const[]){"agentclient", "source", "agent", "existing", "connection", "forcibly", "closed",
                               "remote", "host", NULL}},
        {"[12.03.2024 20:05:13] <25> Error    Processing sql01 Error: An existing connection was forcibly closed by "
         "the remote host.",
         true,
         (const char *const[]){"processing", "error", "existing", "connection", "forcibly", "closed", "remote", "host",
                               NULL}},
        {"Mar 12 14:02:11 db01 kernel: [123.456] blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE)",
         true,
         (const char *const[]){"blk", "update", "request", "error", "dev", "sdb", "sector", "op", NULL}},
        {"2024-03-12 14:02:11,123 ERROR [main] Vss.KeepSnapshot failed 0x800401fd at C:\\Program Files\\Veeam "
         "{6F9619FF-8B86-D011-B42D-00CF4FC964FF} 10.10.20.31:6162 fe80::5d2c:9a41:1b7e:3c10%6 job.log",
         true,
         (const char *const[]){"main", "vss", "keepsnapshot", "failed", "0x800401fd", "files", "veeam",
                               NULL}},
        {"[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6", true,
         (const char *const[]){"mod", "jk", "child", "workerenv", "error", "state", NULL}},
        {"[  12.345678] e1000e 0000:00:1f.6 eth0: NIC Link is Down", true,
         (const char *const[]){"nic", "link", "down", NULL}},
        {"<43> Warning Timed out waiting for data from \"<target proxy>\"", true,
         (const char *const[]){"timed", "out", "waiting", "data", NULL}},
        {"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 "
         "terminating",
         true, (const char *const[]){"dfs", "datanode", "packetresponder", "block", "blk", "terminating", NULL}},
        {"could not connect to the proxy", false, (const char *const[]){"connect", "proxy", NULL}},
        /* Verbatim from the demo bundles that examples/bundles/generate.py writes. */
        {"[12.03.2024 20:03:47] <43> Warning      [TaskSession] 'sql01': Unstable connection: unable to transmit data.",
         true, (const char *const[]){"tasksession", "unstable", "connection", "unable", "transmit", "data", NULL}},
        {"[12.03.2024 20:33:25] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. "
         "(Veeam.Backup.Common.CTimeoutException)",
         true, (const char *const[]){"timed", "out", "waiting", "data", NULL}},
        {"[12.03.2024 20:33:25] <25> Info         Task session '9800f178-64eb-4be0-80e8-70ce34ba9574' has been "
         "completed, status: 'Failed', '6,753,836,072' of '18,253,611,008' bytes, '0' of '1' objects, details: 'Error: "
         "An existing connection was forcibly closed by the remote host.'",
         true, (const char *const[]){"task", "session", "completed", "status", "bytes", "objects", "details", NULL}},
        {"Mar 12 10:15:32 db01 kernel: [954208.037436] Out of memory: Killed process 4567 (postgres) "
         "total-vm:8123456kB, anon-rss:6283820kB, file-rss:0kB, shmem-rss:0kB, UID:113 pgtables:49188kB "
         "oom_score_adj:0",
         true,
         (const char *const[]){"out", "memory", "killed", "process", "postgres", "total", "vm", "anon", "rss", "file",
                               "shmem", "uid", "pgtables", "oom", "score", "adj", NULL}},
        {"[967834.514248] EXT4-fs warning (device sdb1): ext4_end_bio:342: I/O error 10 writing to inode 1835021 "
         "starting block 7618010)",
         true,
         (const char *const[]){"fs", "warning", "device", "end", "bio", "error", "writing", "inode", "starting",
                               "block", NULL}},
        {"[Tue Mar 12 00:00:02.118237 2024] [mpm_event:notice] [pid 733:tid 140245236135808] AH00493: SIGUSR1 "
         "received.  Doing graceful restart",
         true, (const char *const[]){"received", "doing", "graceful", "restart", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cb_kb_query_is_log(cases[i].line) != cases[i].is_log)
            fprintf(stderr, "case %zu: is_log should be %d\n", i, cases[i].is_log);
        assert_int_equal(cb_kb_query_is_log(cases[i].line), cases[i].is_log);
        assert_int_equal(cb_kb_query_from_log(cases[i].line, &q), CB_OK);
        check_terms(&q);
        assert_list(q.words, q.nwords, cases[i].words);
        cb_kb_query_release(&q);
    }
    assert_false(cb_kb_query_is_log("error in backup"));
    assert_true(cb_kb_query_is_log("[core:error] [pid 7] AH00052: child pid 12 exit signal Segmentation fault"));
    assert_int_equal(cb_kb_query_from_log("[core:error] [pid 7] AH00052: child pid 12 exit signal Segmentation fault",
                                          &q),
                     CB_OK);
    assert_list(q.words, q.nwords,
                (const char *const[]){"child", "pid", "exit", "signal", "segmentation", "fault", NULL});
    cb_kb_query_release(&q);
    /* The timestamp a pasted line starts with, and where it ends. */
    static const struct {
        const char *line;
        cb_time_kind kind;
        size_t end;
    } stamps[] = {
        {"[12.03.2024 20:03:47] <43> x", CB_TIME_VEEAM, 21},
        {"  2024-03-12T10:15:32.5Z msg", CB_TIME_ISO8601, 24},
        {"[2024-03-12 10:15:32] msg", CB_TIME_ISO8601, 20},
        {"2015-10-18 18:01:47,978 INFO", CB_TIME_JAVA, 23},
        {"Dec 10 06:55:46 host sshd[1]: x", CB_TIME_SYSLOG, 15},
        {"081109 203615 148 INFO", CB_TIME_HDFS, 13},
        {"no timestamp here", CB_TIME_NONE, 99},
    };
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        size_t end = 99;
        assert_int_equal(cb_time_prefix(stamps[i].line, strlen(stamps[i].line), &end), stamps[i].kind);
        assert_int_equal(end, stamps[i].end);
    }
    assert_false(cb_kb_query_is_log(NULL));
    assert_int_equal(cb_kb_query_from_log(NULL, &q), CB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_round_trip),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_names_and_ids),
        cmocka_unit_test(test_transition_table),
        cmocka_unit_test(test_transition_conditions),
        cmocka_unit_test(test_audience_table),
        cmocka_unit_test(test_edit_link_create),
        cmocka_unit_test(test_query_parse),
        cmocka_unit_test(test_query_from_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
