/*
 * test_render.c — unit tests for render.h: every example playbook in every
 * format (DOT: one statement per node and per edge; SVG: well-formed, one
 * node group per node; Mermaid: one line per node; Markdown: one step per
 * node, in walk order), path highlighting (exactly the given nodes and the
 * edges between consecutive ones), quoting of hostile text
 * (tests/fixtures/playbooks/render/hostile.yaml) in each syntax, playbooks
 * with broken references, limits, bad arguments, and Graphviz errors
 * returned rather than printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cgraph.h>

#include "casebook/render.h"

#ifndef CB_SOURCE_ROOT
#define CB_SOURCE_ROOT "."
#endif

#define HOT "#dc2626"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *source_root(void)
{
    const char *r = getenv("CB_SOURCE_ROOT_DIR");
    return r && *r ? r : CB_SOURCE_ROOT;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

static cb_playbook *load(const char *path)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_playbook *pb = NULL;
    cb_status st = cb_playbook_load(path, &pb, &d);
    for (size_t i = 0; i < d.n; i++) {
        char b[2048];
        cb_diag_format(&d.v[i], b, sizeof b);
        fprintf(stderr, "  diag: %s\n", b);
    }
    assert_int_equal(st, CB_OK);
    cb_diags_release(&d);
    return pb;
}

static cb_playbook *load_fixture(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/playbooks/%s", source_root(), rel);
    return load(path);
}

/* Render, asserting success; the caller frees. */
static char *render(const cb_playbook *pb, cb_render_format fmt, const char *const *path, size_t npath)
{
    char *out = NULL;
    size_t len = 0;
    cb_error err;
    cb_status st = cb_render_playbook(pb, fmt, path, npath, &out, &len, &err);
    if (st)
        fprintf(stderr, "render %s of %s: %s\n", cb_render_format_name(fmt), pb->id.s, err.msg);
    assert_int_equal(st, CB_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    return out;
}

/* The edges of node i in branch order, as (target id, count of that target among them). */
static size_t branches(const cb_node *nd, const char **targets, size_t max)
{
    size_t n = 0;
    if (nd->kind == CB_NODE_CHECK) {
        targets[n++] = nd->yes.id;
        targets[n++] = nd->no.id;
    } else if (nd->kind == CB_NODE_ASK) {
        for (size_t c = 0; c < nd->nchoices && n < max; c++)
            targets[n++] = nd->choices[c].target.id;
    } else if (nd->kind == CB_NODE_DO) {
        targets[n++] = nd->next.id;
    }
    return n;
}

static size_t total_edges(const cb_playbook *pb)
{
    const char *t[64];
    size_t n = 0;
    for (size_t i = 0; i < pb->nnodes; i++)
        n += branches(&pb->nodes[i], t, 64);
    return n;
}

/* Lines of text starting with `prefix` (a line is text after '\n', or the first). */
static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, prefix, len) == 0;
    return n;
}

/* The line of text starting with prefix (a static copy), or NULL. */
static const char *line_with(const char *text, const char *prefix)
{
    static char buf[8192];
    size_t len = strlen(prefix);
    for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, prefix, len) == 0) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            snprintf(buf, sizeof buf, "%.*s", (int)n, p);
            return buf;
        }
    }
    return NULL;
}

/* Mermaid id of a node as render.c makes it: "n<step>_" + id with [^A-Za-z0-9_] as '_'. */
static const char *mmd_id(size_t step, const char *id)
{
    static char buf[512];
    int n = snprintf(buf, sizeof buf, "n%zu_", step);
    for (const char *p = id; *p && (size_t)n + 1 < sizeof buf; p++)
        buf[n++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                                  *p == '_'
                              ? *p
                              : '_');
    buf[n] = '\0';
    return buf;
}

/*
 * A structural XML check without an XML library: every tag closed in order
 * (names compared), comments / declarations / DOCTYPE skipped, exactly one
 * <svg> element and nothing after it but blank space.
 */
static void assert_xml_balanced(const char *x)
{
    char stack[64][64];
    int depth = 0, roots = 0;
    const char *p = x;
    while ((p = strchr(p, '<')) != NULL) {
        if (strncmp(p, "<!--", 4) == 0) {
            p = strstr(p, "-->");
            assert_non_null(p);
            continue;
        }
        const char *end = strchr(p, '>');
        assert_non_null(end);
        if (p[1] == '?' || p[1] == '!') {
            p = end + 1;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        size_t nlen = strcspn(name, " \t\r\n/>");
        assert_true(nlen > 0 && nlen < 64);
        if (closing) {
            assert_true(depth > 0);
            depth--;
            assert_int_equal(strlen(stack[depth]), nlen);
            assert_memory_equal(stack[depth], name, nlen);
        } else if (end[-1] != '/') {
            if (depth == 0)
                roots++;
            assert_true(depth < 64);
            memcpy(stack[depth], name, nlen);
            stack[depth][nlen] = '\0';
            depth++;
        }
        p = end + 1;
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
    assert_int_equal(count(x, "<svg"), 1);
    assert_int_equal(count(x, "</svg>"), 1);
}

/* A node id as Graphviz writes it in an SVG <title> ('-' as &#45;). */
static const char *svg_title(const char *id)
{
    static char buf[1024];
    size_t n = (size_t)snprintf(buf, sizeof buf, "<title>");
    for (const char *p = id; *p && n + 16 < sizeof buf; p++)
        n +=
            (size_t)(*p == '-' ? snprintf(buf + n, sizeof buf - n, "&#45;") : snprintf(buf + n, 2, "%c", *p));
    snprintf(buf + n, sizeof buf - n, "</title>");
    return buf;
}

/* Run fn(ctx) with stderr redirected to a temporary file; return how many bytes were written to it. */
static long stderr_bytes(void (*fn)(void *), void *ctx)
{
    char tmpl[] = "/tmp/cb-render-stderr-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    unlink(tmpl);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    dup2(fd, 2);
    fn(ctx);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = (long)lseek(fd, 0, SEEK_END);
    close(fd);
    return n;
}

/* ------------------------------------------------------------------ */
/* The example library, walked and loaded once                         */
/* ------------------------------------------------------------------ */

static cb_playbook *examples[256];
static size_t nexamples;
static char *example_paths[256];
static size_t npaths;

static int collect_yaml(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 5 && strcmp(path + n - 5, ".yaml") == 0 && npaths < 256)
        example_paths[npaths++] = strdup(path);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int setup_examples(void **state)
{
    (void)state;
    char root[1024];
    snprintf(root, sizeof root, "%s/examples/playbooks", source_root());
    if (nftw(root, collect_yaml, 16, FTW_PHYS) != 0)
        return -1;
    qsort(example_paths, npaths, sizeof *example_paths, cmp_str);
    for (size_t i = 0; i < npaths; i++) {
        cb_diags d;
        cb_diags_init(&d);
        if (cb_playbook_load(example_paths[i], &examples[nexamples], &d) != CB_OK)
            return -1;
        nexamples++;
        cb_diags_release(&d);
    }
    return nexamples >= 20 ? 0 : -1;
}

static int teardown_examples(void **state)
{
    (void)state;
    for (size_t i = 0; i < nexamples; i++)
        cb_playbook_free(examples[i]);
    for (size_t i = 0; i < npaths; i++)
        free(example_paths[i]);
    nexamples = npaths = 0;
    return 0;
}

static const cb_playbook *example(const char *id)
{
    for (size_t i = 0; i < nexamples; i++)
        if (strcmp(examples[i]->id.s, id) == 0)
            return examples[i];
    fail_msg("no example playbook '%s'", id);
    return NULL;
}

/*
 * A path through pb: from start, always the last branch (so that it differs
 * from the yes-first layout), until a conclusion.  Returns its length.
 */
static size_t some_path(const cb_playbook *pb, const char **path, size_t max)
{
    size_t n = 0;
    int v = pb->start.index;
    while (v >= 0 && n < max) {
        path[n++] = pb->nodes[v].id;
        const char *t[64];
        size_t nb = branches(&pb->nodes[v], t, 64);
        if (!nb)
            break;
        v = cb_playbook_node(pb, t[nb - 1]);
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Every example in every format                                       */
/* ------------------------------------------------------------------ */

/* DOT: one node statement per node, one edge statement per branch (each pair as often as branches join it).
 */
static void test_examples_dot(void **state)
{
    (void)state;
    for (size_t x = 0; x < nexamples; x++) {
        const cb_playbook *pb = examples[x];
        char *dot = render(pb, CB_RENDER_DOT, NULL, 0);
        char want[1024];
        assert_true(strncmp(dot, "digraph \"", 9) == 0);
        assert_int_equal(count_lines(dot, "    \"") - count(dot, "\" -> \""), pb->nnodes);
        assert_int_equal(count(dot, "\" -> \""), total_edges(pb));
        for (size_t i = 0; i < pb->nnodes; i++) {
            const cb_node *nd = &pb->nodes[i];
            snprintf(want, sizeof want, "\n    \"%s\" [shape=", nd->id);
            assert_int_equal(count(dot, want), 1);
            const char *t[64];
            size_t nb = branches(nd, t, 64);
            for (size_t b = 0; b < nb; b++) {
                size_t same = 0;
                for (size_t c = 0; c < nb; c++)
                    same += strcmp(t[b], t[c]) == 0;
                snprintf(want, sizeof want, "\n    \"%s\" -> \"%s\" [label=\"", nd->id, t[b]);
                assert_int_equal(count(dot, want), same);
            }
        }
        assert_int_equal(count(dot, "no such node"), 0);
        assert_int_equal(count(dot, "penwidth"), 0);
        assert_string_equal(dot + strlen(dot) - 2, "}\n");
        free(dot);
    }
}

/* Label lines of DOT node statements: at most 40 characters once unescaped (the id line aside). */
static void test_examples_dot_wrapping(void **state)
{
    (void)state;
    size_t cut = 0;
    for (size_t x = 0; x < nexamples; x++) {
        char *dot = render(examples[x], CB_RENDER_DOT, NULL, 0);
        for (char *p = strstr(dot, ", label=\""); p; p = strstr(p, ", label=\"")) {
            p += 9;
            bool first = true;
            size_t chars = 0;
            for (; *p && !(*p == '"' && p[-1] != '\\'); p++) {
                if (p[0] == '\\' && p[1] == 'n') {
                    if (!first)
                        assert_in_range(chars, 1, 40);
                    first = false;
                    chars = 0;
                    p++;
                    continue;
                }
                if (p[0] == '\\')
                    p++;
                else if (strncmp(p, "&amp;", 5) == 0)
                    p += 4;
                chars += ((unsigned char)*p & 0xC0) != 0x80;
            }
            if (!first)
                assert_in_range(chars, 1, 40);
        }
        cut += count(dot, "…");
        free(dot);
    }
    assert_true(cut > 0); /* the examples have long texts: some were shortened */
}

typedef struct svg_job {
    const cb_playbook *pb;
    const char *const *path;
    size_t npath;
    char *svg;
} svg_job;

static void svg_job_run(void *ctx)
{
    svg_job *j = ctx;
    j->svg = render(j->pb, CB_RENDER_SVG, j->path, j->npath);
}

/* SVG: well-formed, a <g id="node..."> with its <title> per node, an edge group per branch; no stderr. */
static void test_examples_svg(void **state)
{
    (void)state;
    for (size_t x = 0; x < nexamples; x++) {
        const cb_playbook *pb = examples[x];
        svg_job j = {pb, NULL, 0, NULL};
        assert_int_equal(stderr_bytes(svg_job_run, &j), 0);
        char *svg = j.svg;
        assert_true(strncmp(svg, "<?xml", 5) == 0);
        assert_xml_balanced(svg);
        assert_int_equal(count(svg, "<g id=\"node"), pb->nnodes);
        assert_int_equal(count(svg, "class=\"node\""), pb->nnodes);
        assert_int_equal(count(svg, "class=\"edge\""), total_edges(pb));
        /* The graph's own <title> is the playbook id, which a node may share (ssh-brute-force does). */
        for (size_t i = 0; i < pb->nnodes; i++)
            assert_int_equal(count(svg, svg_title(pb->nodes[i].id)), 1 + !strcmp(pb->nodes[i].id, pb->id.s));
        assert_int_equal(count(svg, HOT), 0);
        free(svg);
    }
}

/* Mermaid: a flowchart with one definition line per node (shape and class), one line per edge. */
static void test_examples_mermaid(void **state)
{
    (void)state;
    static const char *const shape[] = {"{\"", "(\"", "[/\"", "([\""};
    for (size_t x = 0; x < nexamples; x++) {
        const cb_playbook *pb = examples[x];
        char *m = render(pb, CB_RENDER_MERMAID, NULL, 0);
        assert_true(strncmp(m, "flowchart TD\n", 13) == 0);
        assert_int_equal(count_lines(m, "    n") - count(m, " -->|\""), pb->nnodes);
        assert_int_equal(count(m, " -->|\""), total_edges(pb));
        /* The step numbers are the Markdown ones; find each node's by its definition line. */
        for (size_t i = 0; i < pb->nnodes; i++) {
            const cb_node *nd = &pb->nodes[i];
            size_t found = 0;
            for (size_t step = 1; step <= pb->nnodes; step++) {
                char want[600];
                snprintf(want, sizeof want, "\n    %s%s%s", mmd_id(step, nd->id), shape[nd->kind], nd->id);
                found += count(m, want);
            }
            assert_int_equal(found, 1);
        }
        /* Every label is one quoted string: two quotes on each node and edge line. */
        for (const char *p = strstr(m, "\n    n"); p; p = strstr(p + 1, "\n    n")) {
            size_t q = 0;
            for (const char *c = p + 1; *c && *c != '\n'; c++)
                q += *c == '"';
            assert_int_equal(q, 2);
        }
        assert_int_equal(count(m, "linkStyle"), 0);
        free(m);
    }
}

/* Markdown: title, one "### k. Kind `id`" heading per node, signatures table with a row per signature. */
static void test_examples_md(void **state)
{
    (void)state;
    for (size_t x = 0; x < nexamples; x++) {
        const cb_playbook *pb = examples[x];
        char *md = render(pb, CB_RENDER_MD, NULL, 0);
        assert_true(strncmp(md, "# ", 2) == 0);
        assert_int_equal(count_lines(md, "### "), pb->nnodes);
        for (size_t i = 0; i < pb->nnodes; i++) {
            char want[512];
            snprintf(want, sizeof want, " `%s`\n", pb->nodes[i].id);
            assert_int_equal(count(md, want),
                             1 + !strcmp(pb->nodes[i].id, pb->id.s)); /* "**Playbook:** `id`" */
        }
        for (size_t s = 0; s < pb->nsignatures; s++) {
            char want[512];
            snprintf(want, sizeof want, "\n| `%s` | %s | ", pb->signatures[s].id,
                     cb_severity_name(pb->signatures[s].severity));
            assert_int_equal(count(md, want), 1);
        }
        if (pb->article.s)
            assert_non_null(strstr(md, pb->article.s));
        assert_int_equal(count(md, "✓ visited"), 0);
        assert_null(strstr(md, "## Path walked"));
        free(md);
    }
}

/* The same input gives the same bytes, in every format. */
static void test_deterministic(void **state)
{
    (void)state;
    const cb_playbook *pb = example("replication-mtu-mismatch");
    for (int f = CB_RENDER_MD; f <= CB_RENDER_MERMAID; f++) {
        char *a = render(pb, (cb_render_format)f, NULL, 0), *b = render(pb, (cb_render_format)f, NULL, 0);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

/* Walk order: breadth-first from start, yes before no, choices in file order. */
static void test_walk_order(void **state)
{
    (void)state;
    static const char *const order[] = {
        "resets-in-job-log",  "stalls-before-reset", "not-this-issue",
        "small-packets-work", "ips-suspected",       "df-ping",
        "basic-connectivity", "jumbo-configured",    "find-path-mtu",
        "df-ping-jumbo",      "other-network-cause", "where-is-the-limit",
        "rst-source",         "mtu-mismatch",        "jumbo-mismatch",
        "escalate-network",
    };
    const cb_playbook *pb = example("replication-mtu-mismatch");
    assert_int_equal(pb->nnodes, sizeof order / sizeof *order);
    char *md = render(pb, CB_RENDER_MD, NULL, 0), *dot = render(pb, CB_RENDER_DOT, NULL, 0);
    const char *pm = md, *pd = dot;
    for (size_t i = 0; i < pb->nnodes; i++) {
        char want[256];
        snprintf(want, sizeof want, "\n### %zu. ", i + 1);
        pm = strstr(pm, want);
        assert_non_null(pm);
        snprintf(want, sizeof want, " `%s`\n", order[i]);
        assert_ptr_equal(strstr(pm, want), strchr(pm + 1, '\n') - strlen(want) + 1);
        snprintf(want, sizeof want, "\n    \"%s\" [", order[i]);
        pd = strstr(pd, want);
        assert_non_null(pd);
    }
    assert_non_null(strstr(md, "- If yes → step 2 (`stalls-before-reset`)\n"));
    assert_non_null(strstr(md, "- If “no, it needs to fragment” → step 9 (`find-path-mtu`)\n"));
    assert_non_null(strstr(md, "- When done → step 12 (`where-is-the-limit`)\n"));
    assert_non_null(strstr(md, "- **Start:** step 1 (`resets-in-job-log`)\n"));
    assert_non_null(strstr(md, "### 16. Conclusion (escalate) `escalate-network`\n"));
    assert_non_null(strstr(md, "### 3. Conclusion (dead end) `not-this-issue`\n"));
    assert_non_null(strstr(md, "> **Coach:** "));
    free(md);
    free(dot);
}

/* ------------------------------------------------------------------ */
/* Path highlighting                                                   */
/* ------------------------------------------------------------------ */

/* Count, in DOT text, highlighted node statements and highlighted edges. */
static void dot_hot(const char *dot, size_t *nodes, size_t *edges)
{
    *nodes = *edges = 0;
    for (const char *p = dot; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[8192];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        if (!strstr(line, "penwidth=3"))
            continue;
        if (strstr(line, "\" -> \""))
            ++*edges;
        else
            ++*nodes;
    }
}

/* Highlighted node groups in SVG (a stroke in the highlight colour inside <g id="node..."). */
static size_t svg_hot_nodes(const char *svg)
{
    size_t n = 0;
    for (const char *p = strstr(svg, "<g id=\"node"); p; p = strstr(p + 1, "<g id=\"node")) {
        const char *end = strstr(p, "</g>");
        const char *hot = strstr(p, "stroke=\"" HOT "\"");
        n += hot && hot < end;
    }
    return n;
}

/* The path of the MTU example's first test, with an id the playbook lacks in the middle. */
static void test_path_mtu(void **state)
{
    (void)state;
    const cb_playbook *pb = example("replication-mtu-mismatch");
    const char *path[] = {"resets-in-job-log", "stalls-before-reset", "small-packets-work", "df-ping",
                          "no-such-node",      "find-path-mtu",       "where-is-the-limit", "mtu-mismatch"};
    size_t n = sizeof path / sizeof *path, nodes, edges;

    char *dot = render(pb, CB_RENDER_DOT, path, n);
    dot_hot(dot, &nodes, &edges);
    assert_int_equal(nodes, 7);
    assert_int_equal(edges, 7); /* df-ping -> find-path-mtu twice: two choices lead there */
    for (size_t i = 0; i < n; i++) {
        char want[256];
        snprintf(want, sizeof want, "\n    \"%s\" [", path[i]);
        const char *line = strstr(dot, want);
        if (i == 4) {
            assert_null(line);
            continue;
        }
        assert_non_null(line);
        assert_true(strstr(line, "penwidth=3") < strchr(line + 1, '\n'));
    }
    assert_non_null(
        strstr(dot, "\"resets-in-job-log\" -> \"stalls-before-reset\" [label=\"yes\", penwidth=3"));
    assert_non_null(strstr(dot, "\"resets-in-job-log\" -> \"not-this-issue\" [label=\"no\"];"));
    assert_non_null(strstr(dot, "\"find-path-mtu\" -> \"where-is-the-limit\" [label=\"done\", penwidth=3"));
    free(dot);

    char *m = render(pb, CB_RENDER_MERMAID, path, n);
    assert_int_equal(count(m, "\n    style "), 7);
    assert_non_null(strstr(m, "\n    style n1_resets_in_job_log stroke:" HOT));
    assert_non_null(strstr(m, "\n    style n14_mtu_mismatch stroke:" HOT));
    assert_non_null(strstr(m, "\n    linkStyle 0,2,4,7,8,11,15 stroke:" HOT ",stroke-width:3px\n"));
    free(m);

    char *md = render(pb, CB_RENDER_MD, path, n);
    assert_int_equal(count(md, "✓ visited"), 7);
    assert_int_equal(count(md, "(taken)"), 7);
    assert_non_null(strstr(md, "### 9. Do `find-path-mtu` ✓ visited\n"));
    assert_non_null(strstr(md, "### 3. Conclusion (dead end) `not-this-issue`\n"));
    assert_non_null(strstr(md,
                           "\n## Path walked\n\nStep 1 (`resets-in-job-log`) → 2 (`stalls-before-reset`) → "
                           "4 (`small-packets-work`) → 6 (`df-ping`) → 9 (`find-path-mtu`) → "
                           "12 (`where-is-the-limit`) → 14 (`mtu-mismatch`)\n"));
    free(md);

    svg_job j = {pb, path, n, NULL};
    assert_int_equal(stderr_bytes(svg_job_run, &j), 0);
    assert_xml_balanced(j.svg);
    assert_int_equal(svg_hot_nodes(j.svg), 7);
    free(j.svg);
}

/* Every example with a path of its own: exactly its nodes are marked, in every format. */
static void test_path_examples(void **state)
{
    (void)state;
    for (size_t x = 0; x < nexamples; x++) {
        const cb_playbook *pb = examples[x];
        const char *path[256];
        size_t n = some_path(pb, path, 256), nodes, edges;
        assert_true(n >= 2);

        char *dot = render(pb, CB_RENDER_DOT, path, n);
        dot_hot(dot, &nodes, &edges);
        assert_int_equal(nodes, n);
        assert_true(edges >= n - 1);
        for (size_t i = 0; i + 1 < n; i++) {
            char want[512];
            snprintf(want, sizeof want, "\n    \"%s\" -> \"%s\" [label=\"", path[i], path[i + 1]);
            const char *e = strstr(dot, want);
            assert_non_null(e);
            assert_true(strstr(e, "penwidth=3") < strchr(e + 1, '\n'));
        }
        free(dot);

        char *m = render(pb, CB_RENDER_MERMAID, path, n);
        assert_int_equal(count(m, "\n    style "), n);
        assert_int_equal(count(m, "\n    linkStyle "), 1);
        free(m);

        char *md = render(pb, CB_RENDER_MD, path, n);
        assert_int_equal(count(md, "✓ visited"), n);
        assert_int_equal(count(md, "(taken)"), edges);
        for (size_t i = 0; i < n; i++) {
            char want[512];
            snprintf(want, sizeof want, " `%s` ✓ visited\n", path[i]);
            assert_int_equal(count(md, want), 1);
        }
        free(md);

        svg_job j = {pb, path, n, NULL};
        assert_int_equal(stderr_bytes(svg_job_run, &j), 0);
        assert_int_equal(svg_hot_nodes(j.svg), n);
        free(j.svg);
    }
}

/* Ids the playbook lacks are skipped; a path of only those highlights nothing. */
static void test_path_unknown(void **state)
{
    (void)state;
    const cb_playbook *pb = example("replication-mtu-mismatch");
    const char *path[] = {"nope", NULL, "also-nope"};
    size_t nodes, edges;
    char *dot = render(pb, CB_RENDER_DOT, path, 3);
    dot_hot(dot, &nodes, &edges);
    assert_int_equal(nodes + edges, 0);
    free(dot);
    char *md = render(pb, CB_RENDER_MD, path, 3);
    assert_null(strstr(md, "Path walked"));
    free(md);
}

/* ------------------------------------------------------------------ */
/* Hostile text                                                        */
/* ------------------------------------------------------------------ */

/* Quotes, backslashes (\n \N as text), &, <tags>, pipes, braces, Unicode: quoted for each syntax. */
static void test_hostile_dot(void **state)
{
    (void)state;
    cb_playbook *pb = load_fixture("render/hostile.yaml");
    char *dot = render(pb, CB_RENDER_DOT, NULL, 0);
    assert_string_equal(
        line_with(dot, "    graph ["),
        "    graph [label=\"Quotes \\\"like this\\\", C:\\\\Temp\\\\new &amp; <b>tags</b> | pipes # é "
        "✓ 🚀 日本\", labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", fontsize=14, nodesep=0.35, "
        "ranksep=0.45];");
    assert_string_equal(line_with(dot, "    \"end\" ["),
                        "    \"end\" [shape=doubleoctagon, style=\"filled,bold\", fillcolor=\"#fed7aa\", "
                        "label=\"end (escalate)\\nHe said \\\"stop\\\" \\\\N \\\\G \\\\L \\\\n and left\"];");
    assert_string_equal(
        line_with(dot, "    \"odd_ask\" ["),
        "    \"odd_ask\" [shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\", "
        "label=\"odd_ask\\nMulti-line \\\"question\\\" with {braces}\\n[brackets] (parens) |pipes| "
        "#hash;\\n`tick` %% and &amp;lt;\"];");
    assert_string_equal(line_with(dot, "    \"oops\" ["),
                        "    \"oops\" [shape=parallelogram, fillcolor=\"#ede9fe\", "
                        "label=\"oops\\nDo \\\"this\\\" &amp; that\\\\now\"];");
    assert_string_equal(line_with(dot, "    \"odd_ask\" -> \"xray\""),
                        "    \"odd_ask\" -> \"xray\" [label=\"C:\\\\Temp\\\\new\\\\\"];");
    assert_string_equal(line_with(dot, "    \"odd_ask\" -> \"oops\""),
                        "    \"odd_ask\" -> \"oops\" [label=\"say \\\"yes\\\" | [maybe]\"];");
    assert_string_equal(line_with(dot, "    \"odd_ask\" -> \"end\""),
                        "    \"odd_ask\" -> \"end\" [label=\"é ✓ 🚀 日本語のラベル\"];");
    /* No author line break or tab survives inside a statement: every line is a whole statement. */
    for (const char *p = dot; *p; p = strchr(p, '\n') + 1) {
        assert_true(strncmp(p, "    ", 4) == 0 || strncmp(p, "digraph ", 8) == 0 || *p == '}' || *p == '\n');
        assert_null(memchr(p, '\t', (size_t)(strchr(p, '\n') - p)));
    }

    /* Graphviz reads it back as the same text. */
    char *svg = NULL;
    cb_error err;
    assert_int_equal(cb_render_dot_to_svg(dot, strlen(dot), &svg, NULL, &err), CB_OK);
    assert_xml_balanced(svg);
    assert_non_null(strstr(svg, ">He said &quot;stop&quot; \\N \\G \\L \\n and left</text>"));
    assert_non_null(strstr(svg, ">C:\\Temp\\new\\</text>"));
    assert_non_null(strstr(svg, ">Do &quot;this&quot; &amp; that\\now</text>"));
    assert_non_null(strstr(svg, ">`tick` %% and &amp;lt;</text>"));
    assert_non_null(strstr(svg, ">é ✓ 🚀 日本語のラベル</text>"));
    assert_non_null(strstr(svg, "&lt;b&gt;tags&lt;/b&gt;"));
    assert_int_equal(count(svg, "<g id=\"node"), pb->nnodes);
    free(svg);
    free(dot);
    cb_playbook_free(pb);
}

static void test_hostile_mermaid(void **state)
{
    (void)state;
    cb_playbook *pb = load_fixture("render/hostile.yaml");
    char *m = render(pb, CB_RENDER_MERMAID, NULL, 0);
    assert_string_equal(line_with(m, "    n2_end("),
                        "    n2_end([\"end (escalate)<br/>He said #quot;stop#quot; \\N \\G \\L \\n and "
                        "left\"]):::escalate");
    assert_string_equal(
        line_with(m, "    n3_odd_ask("),
        "    n3_odd_ask(\"odd_ask<br/>Multi-line #quot;question#quot; with {braces}<br/>[brackets] "
        "(parens) |pipes| #35;hash;<br/>#96;tick#96; #37;#37; and #amp;lt;\"):::ask");
    assert_string_equal(line_with(m, "    n1_start_node{"),
                        "    n1_start_node{\"start.node<br/>logs show pipe.sig?\"}:::check");
    assert_string_equal(line_with(m, "    n3_odd_ask -->|\"say"),
                        "    n3_odd_ask -->|\"say #quot;yes#quot; | [maybe]\"| n4_oops");
    assert_string_equal(line_with(m, "    n4_oops["),
                        "    n4_oops[/\"oops<br/>Do #quot;this#quot; #amp; that\\now\"/]:::action");
    assert_non_null(strstr(m, "\n    n5_xray([\"xray (dead end)<br/>Nothing here\"]):::deadend\n"));
    assert_non_null(strstr(m, "#lt;b#gt;tags#lt;/b#gt;"));
    /* Only the delimiting quotes on node and edge lines, and no raw '<' but the <br/> separators. */
    for (const char *p = strstr(m, "\n    n"); p; p = strstr(p + 1, "\n    n")) {
        size_t q = 0, lt = 0, br = 0;
        const char *e = strchr(p + 1, '\n');
        for (const char *c = p + 1; c < e; c++) {
            q += *c == '"';
            lt += *c == '<';
            br += strncmp(c, "<br/>", 5) == 0;
        }
        assert_int_equal(q, 2);
        assert_int_equal(lt, br);
    }
    free(m);
    cb_playbook_free(pb);
}

static void test_hostile_md(void **state)
{
    (void)state;
    cb_playbook *pb = load_fixture("render/hostile.yaml");
    char *md = render(pb, CB_RENDER_MD, NULL, 0);
    assert_string_equal(line_with(md, "# "),
                        "# Quotes \"like this\", C:\\\\Temp\\\\new & \\<b>tags\\</b> \\| pipes # é ✓ 🚀 日本");
    assert_string_equal(line_with(md, "- **Product:**"),
                        "- **Product:** Product \\`with\\` \\*stars\\* & \\[links\\](x)");
    assert_string_equal(
        line_with(md, "| `pipe.sig`"),
        "| `pipe.sig` | error | ``a\\|b`c`\\d+ \"q\"`` | `logs/*\\|x.log` | Line one line two \\| "
        "with pipe and \\`tick\\` and \\*star\\* |");
    /* A literal block: its headings, quotes and rules escaped, its list kept, hard breaks between its lines.
     */
    assert_non_null(strstr(md,
                           "\n**Resolution:**\n\n\\# not a heading\\\n\\> not a quote\n1. a real list item\n"
                           "2. with \\<script>alert(1)\\</script> & \\&amp; and \\*emph\\* \\_under\\_ "
                           "snake_case\\\n\\---\\\ntab here\n"));
    assert_non_null(strstr(md, "\n**Cause:**\n\nTwo lines:\\\nthe second\n"));
    assert_non_null(strstr(md, "- If “say \"yes\" \\| \\[maybe\\]” → step 4 (`oops`)\n"));
    assert_non_null(strstr(md, "- If “C:\\\\Temp\\\\new\\\\” → step 5 (`xray`)\n"));
    assert_non_null(strstr(md, "- If “é ✓ 🚀 日本語のラベル” → step 2 (`end`)\n"));
    assert_non_null(strstr(md, "**Record:** What happened? — the answer becomes `{{oops}}`\n"));
    free(md);
    cb_playbook_free(pb);
}

/* ------------------------------------------------------------------ */
/* Broken playbooks, limits, arguments, Graphviz errors                */
/* ------------------------------------------------------------------ */

/* References to missing nodes render as placeholders; a missing start leaves every node unreachable. */
static void test_broken_references(void **state)
{
    (void)state;
    cb_playbook *pb = load_fixture("lint/missing-refs.yaml");
    char *dot = render(pb, CB_RENDER_DOT, NULL, 0);
    assert_int_equal(count(dot, "(no such node)"), 2);
    assert_non_null(strstr(dot, "\"a\" -> \"?missing-1\" [label=\"no\"];"));
    assert_non_null(strstr(dot, "\"?missing-1\" [shape=box, style=dashed, color=\"" HOT
                                "\", label=\"nowhere\\n(no such node)\"];"));
    free(dot);
    char *m = render(pb, CB_RENDER_MERMAID, NULL, 0);
    assert_non_null(strstr(m, "\n    missing3[\"stroage<br/>(no such node)\"]:::missing\n"));
    free(m);
    char *md = render(pb, CB_RENDER_MD, NULL, 0);
    assert_non_null(strstr(md, "- If no → `nowhere` (no such node)\n"));
    assert_non_null(strstr(md, "`conn-rest` (no such signature)"));
    free(md);
    svg_job j = {pb, NULL, 0, NULL};
    assert_int_equal(stderr_bytes(svg_job_run, &j), 0);
    assert_xml_balanced(j.svg);
    assert_int_equal(count(j.svg, "<g id=\"node"), pb->nnodes + 2);
    free(j.svg);
    cb_playbook_free(pb);

    pb = load_fixture("lint/missing-start.yaml");
    md = render(pb, CB_RENDER_MD, NULL, 0);
    assert_non_null(strstr(md, "- **Start:** `begin` (no such node)\n"));
    assert_non_null(strstr(md, "### 1. Conclusion `done`\n\n*Not reachable from the start node.*\n"));
    assert_non_null(strstr(md, "None: this playbook is walked by questions only.\n"));
    free(md);
    cb_playbook_free(pb);

    pb = load_fixture("lint/cycle.yaml");
    const char *path[] = {"a", "b", "b", "a", "b", "done"};
    md = render(pb, CB_RENDER_MD, path, 6);
    assert_int_equal(count(md, "✓ visited"), 3);
    assert_int_equal(count(md, "(taken)"), 4); /* a->b, b->b, b->a, b->done */
    free(md);
    cb_playbook_free(pb);
}

/* More nodes than dot should lay out: SVG refuses with CB_ELIMIT, the other formats still work. */
static void test_svg_limit(void **state)
{
    (void)state;
    char path[] = "/tmp/cb-render-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "casebook: 1\nid: big\ntitle: Big\nsignatures: {}\nstart: n0\nnodes:\n");
    for (int i = 0; i <= CB_RENDER_SVG_MAX_NODES; i++)
        fprintf(f, "  n%d:\n    do: Step %d\n    next: n%d\n", i, i, i + 1);
    fprintf(f, "  n%d:\n    conclude: Done\n", CB_RENDER_SVG_MAX_NODES + 1);
    fclose(f);
    cb_playbook *pb = load(path);
    unlink(path);
    char *out = (char *)path;
    size_t len = 7;
    cb_error err;
    assert_int_equal(cb_render_playbook(pb, CB_RENDER_SVG, NULL, 0, &out, &len, &err), CB_ELIMIT);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err.msg, "too many to lay out"));
    char *dot = render(pb, CB_RENDER_DOT, NULL, 0);
    assert_int_equal(count(dot, "\" -> \""), CB_RENDER_SVG_MAX_NODES + 1);
    free(dot);
    cb_playbook_free(pb);
}

/*
 * A playbook of `n` ask nodes with `c` choices each, written to a temporary
 * file and loaded.  Wired across the graph (cycles included), or, when dag,
 * each node to the next ones and past the last to a conclusion (Graphviz
 * leaks a little memory laying out cycles: LeakSanitizer would report it).
 */
static cb_playbook *wide_playbook(int n, int c, bool dag)
{
    char path[] = "/tmp/cb-render-wide-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "casebook: 1\nid: wide\ntitle: Wide\nsignatures: {}\nstart: n0\nnodes:\n");
    for (int i = 0; i < n; i++) {
        fprintf(f, "  n%d:\n    ask: Question number %d about something?\n    choices:\n", i, i);
        for (int k = 0; k < c; k++) {
            int to = dag ? i + 1 + k : (i * 7 + k * 3 + 1) % n;
            if (to < n)
                fprintf(f, "      \"choice %d of %d\": n%d\n", k, i, to);
            else
                fprintf(f, "      \"choice %d of %d\": end\n", k, i);
        }
    }
    fprintf(f, "  end:\n    conclude: Done\n");
    fclose(f);
    cb_playbook *pb = load(path);
    unlink(path);
    return pb;
}

/*
 * 40 nodes of 25 choices (1000 edges) kept Graphviz busy for minutes; 160
 * edges among 40 nodes some 5 s.  Past CB_RENDER_SVG_MAX_EDGES SVG is refused
 * before layout, at once, with a message that suggests DOT or Mermaid, which
 * still render.  Raw DOT given to cb_render_dot_to_svg is held to the same
 * caps, and to CB_RENDER_SVG_MAX_TEXT bytes.
 */
static void test_svg_caps_before_layout(void **state)
{
    (void)state;
    cb_playbook *pb = wide_playbook(40, 25, false);
    char *out = (char *)"x";
    cb_error err;
    clock_t t0 = clock();
    assert_int_equal(cb_render_playbook(pb, CB_RENDER_SVG, NULL, 0, &out, NULL, &err), CB_ELIMIT);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    assert_null(out);
    assert_string_equal(
        err.msg,
        "wide: 1000 edges are too many to lay out as SVG (at most 120): use --format dot or mermaid");
    char *dot = render(pb, CB_RENDER_DOT, NULL, 0);
    assert_int_equal(count(dot, "\" -> \""), 1000);
    char *mmd = render(pb, CB_RENDER_MERMAID, NULL, 0);
    assert_int_equal(count(mmd, " -->"), 1000);
    free(mmd);

    /* The same DOT, given directly: refused before layout too. */
    t0 = clock();
    assert_int_equal(cb_render_dot_to_svg(dot, strlen(dot), &out, NULL, &err), CB_ELIMIT);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    assert_string_equal(
        err.msg,
        "graph: 1000 edges are too many to lay out as SVG (at most 120): use --format dot or mermaid");
    free(dot);
    cb_playbook_free(pb);

    /* At the cap, it lays out. */
    pb = wide_playbook(40, 3, true);
    char *svg = render(pb, CB_RENDER_SVG, NULL, 0);
    assert_int_equal(count(svg, "class=\"edge\""), 120);
    free(svg);
    cb_playbook_free(pb);

    /* Text: one node whose label is past CB_RENDER_SVG_MAX_TEXT. */
    size_t n = CB_RENDER_SVG_MAX_TEXT + 100;
    char *big = malloc(n + 32);
    assert_non_null(big);
    int k = snprintf(big, n + 32, "digraph { a [label=\"");
    memset(big + k, 'x', n);
    memcpy(big + k + n, "\"]; }", 6);
    assert_int_equal(cb_render_dot_to_svg(big, strlen(big), &out, NULL, &err), CB_ELIMIT);
    assert_string_equal(err.msg,
                        "graph: 129 KiB of labels and graph text are too much to lay out as SVG (at most "
                        "128 KiB): use --format dot or mermaid");
    free(big);
}

static void test_arguments(void **state)
{
    (void)state;
    const cb_playbook *pb = example("replication-mtu-mismatch");
    char *out = (char *)"x";
    cb_error err;
    assert_int_equal(cb_render_playbook(NULL, CB_RENDER_MD, NULL, 0, &out, NULL, &err), CB_EINVAL);
    assert_null(out);
    assert_int_equal(cb_render_playbook(pb, CB_RENDER_MD, NULL, 0, NULL, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_render_playbook(pb, (cb_render_format)42, NULL, 0, &out, NULL, &err), CB_EINVAL);
    assert_int_equal(cb_render_playbook(pb, CB_RENDER_MD, NULL, 1, &out, NULL, NULL), CB_EINVAL);
    assert_int_equal(cb_render_dot_to_svg(NULL, 0, &out, NULL, &err), CB_EINVAL);

    cb_render_format f = CB_RENDER_DOT;
    assert_true(cb_render_format_parse("mermaid", &f));
    assert_int_equal(f, CB_RENDER_MERMAID);
    assert_true(cb_render_format_parse("md", &f));
    assert_int_equal(f, CB_RENDER_MD);
    assert_false(cb_render_format_parse("MD", &f));
    assert_false(cb_render_format_parse("png", &f));
    assert_false(cb_render_format_parse(NULL, &f));
    assert_int_equal(f, CB_RENDER_MD);
    assert_string_equal(cb_render_format_name(CB_RENDER_SVG), "svg");
    assert_string_equal(cb_render_format_name((cb_render_format)9), "unknown");
}

typedef struct gv_job {
    const char *dot;
    cb_status st;
    char *svg;
    cb_error err;
} gv_job;

static void gv_job_run(void *ctx)
{
    gv_job *j = ctx;
    j->st = cb_render_dot_to_svg(j->dot, strlen(j->dot), &j->svg, NULL, &j->err);
}

/* Graphviz's complaints come back in the cb_error, nothing reaches stderr, its error hook is restored. */
static void test_graphviz_errors(void **state)
{
    (void)state;
    gv_job j = {"digraph {\n  a -> b;\n  c -> ;\n}\n", CB_OK, NULL, {0}};
    assert_int_equal(stderr_bytes(gv_job_run, &j), 0);
    assert_int_equal(j.st, CB_EPARSE);
    assert_null(j.svg);
    /* The line is Graphviz's: 2.42's lexer keeps state from the previous read, which can put it one off. */
    assert_true(strncmp(j.err.msg, "graphviz: syntax error in line ", 31) == 0);
    assert_non_null(strstr(j.err.msg, " near ';'"));
    assert_null(strchr(j.err.msg, '\n'));
    assert_null(agseterrf(NULL)); /* the default (print to stderr) is back */

    gv_job k = {"graph { a -- b; }", CB_OK, NULL, {0}};
    assert_int_equal(stderr_bytes(gv_job_run, &k), 0);
    assert_int_equal(k.st, CB_OK);
    assert_xml_balanced(k.svg);
    free(k.svg);

    /* A graph that is not NUL-terminated where its length ends. */
    const char *text = "digraph { x -> y }TRAILING GARBAGE";
    char *svg = NULL;
    size_t len = 0;
    cb_error err;
    assert_int_equal(cb_render_dot_to_svg(text, 18, &svg, &len, &err), CB_OK);
    assert_int_equal(strlen(svg), len);
    assert_int_equal(count(svg, "class=\"node\""), 2);
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_dot),  cmocka_unit_test(test_examples_dot_wrapping),
        cmocka_unit_test(test_examples_svg),  cmocka_unit_test(test_examples_mermaid),
        cmocka_unit_test(test_examples_md),   cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_walk_order),    cmocka_unit_test(test_path_mtu),
        cmocka_unit_test(test_path_examples), cmocka_unit_test(test_path_unknown),
        cmocka_unit_test(test_hostile_dot),   cmocka_unit_test(test_hostile_mermaid),
        cmocka_unit_test(test_hostile_md),    cmocka_unit_test(test_broken_references),
        cmocka_unit_test(test_svg_limit),     cmocka_unit_test(test_svg_caps_before_layout),
        cmocka_unit_test(test_arguments),     cmocka_unit_test(test_graphviz_errors),
    };
    return cmocka_run_group_tests(tests, setup_examples, teardown_examples);
}
