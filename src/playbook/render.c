/*
 * render.c — a playbook drawn for people (render.h): Markdown for a
 * knowledge base, Graphviz DOT, SVG laid out in process by libgvc, and
 * Mermaid; with the path of a walk highlighted when one is given.
 *
 * Every format is produced from one `graph`: the nodes in walk order
 * (breadth-first from start, then the unreachable ones in file order), their
 * step numbers, and the edges in branch order (yes, no; choices; next), each
 * marked when it lies on the highlighted path.  Each format then only decides
 * how to quote: DOT quoted strings, Mermaid entity codes, Markdown backslash
 * escapes.  Author text is collapsed and shortened for the diagrams, kept
 * whole (line breaks included) in Markdown.
 *
 * Graphviz reports problems through a process-wide error callback and keeps
 * other global state, so SVG rendering holds a mutex, routes the messages
 * into a buffer for the duration of the call, and puts the previous callback
 * back afterwards.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include <cgraph.h>
#include <gvc.h>

#include "casebook/buf.h"
#include "casebook/render.h"
#include "casebook/utf8.h"
#include "core/internal.h"

/* Diagram labels: node text cut to LABEL_MAX characters, wrapped at LABEL_WIDTH; edge labels likewise. */
enum { LABEL_WIDTH = 40, LABEL_MAX = 100, EDGE_WIDTH = 24, EDGE_MAX = 60, TITLE_WIDTH = 70, TITLE_MAX = 200 };

/* The largest output built (a 4 MiB playbook renders to well under this). */
#define RENDER_OUT_MAX ((size_t)256 << 20)

/* Colours shared by DOT and Mermaid. */
#define COL_LINE "#4b5563"
#define COL_HOT "#dc2626"
#define COL_CHECK "#fef3c7"
#define COL_ASK "#dbeafe"
#define COL_DO "#ede9fe"
#define COL_CONCLUDE "#dcfce7"
#define COL_ESCALATE "#fed7aa"
#define COL_DEADEND "#f3f4f6"
#define FONT "Helvetica,Arial,sans-serif"

const char *cb_render_format_name(cb_render_format fmt)
{
    static const char *const names[] = {"md", "dot", "svg", "mermaid"};
    return (unsigned)fmt < CB_ARRAY_LEN(names) ? names[fmt] : "unknown";
}

bool cb_render_format_parse(const char *name, cb_render_format *fmt)
{
    for (unsigned i = CB_RENDER_MD; i <= CB_RENDER_MERMAID; i++) {
        if (name && strcmp(name, cb_render_format_name((cb_render_format)i)) == 0) {
            *fmt = (cb_render_format)i;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Output with a sticky status                                         */
/* ------------------------------------------------------------------ */

/* A buffer whose first failure sticks, so that emitters need not check every append. */
typedef struct sink {
    cb_buf b;
    cb_status st;
} sink;

static void putn(sink *o, const char *s, size_t n)
{
    if (o->st == CB_OK && n)
        o->st = cb_buf_append(&o->b, s, n);
}

static void put(sink *o, const char *s)
{
    putn(o, s, strlen(s));
}

static void putf(sink *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(sink *o, const char *fmt, ...)
{
    va_list ap;
    if (o->st != CB_OK)
        return;
    va_start(ap, fmt);
    o->st = cb_buf_vprintf(&o->b, fmt, ap);
    va_end(ap);
}

/* Quoting of a piece of text for one output syntax. */
typedef void (*escape_fn)(sink *o, const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* The graph every format draws                                        */
/* ------------------------------------------------------------------ */

typedef struct edge {
    int from;           /* node index */
    int to;             /* node index, or -1 when the target does not exist */
    const char *target; /* the target id as written */
    const char *label;  /* "yes", "no", a choice label, "done" */
    bool hot;           /* on the highlighted path */
} edge;

typedef struct graph {
    const cb_playbook *pb;
    int *order;     /* node indices in walk order */
    size_t nreach;  /* order[0..nreach) are reachable from start */
    size_t *step;   /* node index -> 1-based step number */
    size_t *efirst; /* node index -> its first edge; efirst[nnodes] == ne */
    edge *e;
    size_t ne;
    bool *visited; /* node index -> on the highlighted path */
    int *path;     /* the highlighted path's known nodes, in order */
    size_t npath;
} graph;

static void graph_release(graph *g)
{
    free(g->order);
    free(g->step);
    free(g->efirst);
    free(g->e);
    free(g->visited);
    free(g->path);
}

/* Append the edge for reference r (skipped when the reference is absent). */
static void add_edge(graph *g, int from, const cb_pbref *r, const char *label)
{
    if (!r->id)
        return;
    edge *e = &g->e[g->ne++];
    e->from = from;
    e->to = r->index >= 0 && (size_t)r->index < g->pb->nnodes ? r->index : -1;
    e->target = r->id;
    e->label = label;
    e->hot = false;
}

/*
 * Build the graph of pb: edges in branch order, the breadth-first walk order
 * with step numbers, and the highlighted path (ids pb lacks skipped).
 */
static cb_status graph_build(graph *g, const cb_playbook *pb, const char *const *path_ids, size_t npath)
{
    size_t n = pb->nnodes, ne = 0;
    memset(g, 0, sizeof *g);
    g->pb = pb;
    for (size_t i = 0; i < n; i++)
        ne += pb->nodes[i].nchoices + 2;
    g->order = calloc(n + 1, sizeof *g->order);
    g->step = calloc(n + 1, sizeof *g->step);
    g->efirst = calloc(n + 1, sizeof *g->efirst);
    g->e = calloc(ne + 1, sizeof *g->e);
    g->visited = calloc(n + 1, sizeof *g->visited);
    g->path = calloc(npath + 1, sizeof *g->path);
    if (!g->order || !g->step || !g->efirst || !g->e || !g->visited || !g->path)
        return CB_ENOMEM;

    for (size_t i = 0; i < n; i++) {
        const cb_node *nd = &pb->nodes[i];
        g->efirst[i] = g->ne;
        switch (nd->kind) {
        case CB_NODE_CHECK:
            add_edge(g, (int)i, &nd->yes, "yes");
            add_edge(g, (int)i, &nd->no, "no");
            break;
        case CB_NODE_ASK:
            for (size_t c = 0; c < nd->nchoices; c++)
                add_edge(g, (int)i, &nd->choices[c].target,
                         nd->choices[c].label.s ? nd->choices[c].label.s : "");
            break;
        case CB_NODE_DO:
            add_edge(g, (int)i, &nd->next, "done");
            break;
        case CB_NODE_CONCLUDE:
            break;
        }
    }
    g->efirst[n] = g->ne;

    /* Breadth-first from start; `step` doubles as the "queued" mark. */
    size_t len = 0;
    int start = pb->start.index;
    if (start >= 0 && (size_t)start < n) {
        g->order[len++] = start;
        g->step[start] = len;
        for (size_t q = 0; q < len; q++) {
            int v = g->order[q];
            for (size_t k = g->efirst[v]; k < g->efirst[v + 1]; k++) {
                int w = g->e[k].to;
                if (w >= 0 && !g->step[w]) {
                    g->order[len++] = w;
                    g->step[w] = len;
                }
            }
        }
    }
    g->nreach = len;
    for (size_t i = 0; i < n; i++) {
        if (!g->step[i]) {
            g->order[len++] = (int)i;
            g->step[i] = len;
        }
    }

    for (size_t i = 0; i < npath; i++) {
        int v = path_ids[i] ? cb_playbook_node(pb, path_ids[i]) : -1;
        if (v < 0)
            continue;
        g->visited[v] = true;
        if (g->npath) {
            int u = g->path[g->npath - 1];
            for (size_t k = g->efirst[u]; k < g->efirst[u + 1]; k++)
                if (g->e[k].to == v)
                    g->e[k].hot = true;
        }
        g->path[g->npath++] = v;
    }
    return CB_OK;
}

/* ------------------------------------------------------------------ */
/* Short, wrapped labels                                               */
/* ------------------------------------------------------------------ */

/* Characters (code points) in s[0..n) of valid UTF-8. */
static size_t u8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte length of the first `chars` characters of s[0..n). */
static size_t u8_prefix(const char *s, size_t n, size_t chars)
{
    size_t i = 0;
    while (i < n && chars) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars--;
    }
    return i;
}

/*
 * `text` as a diagram label: whitespace runs (line breaks included) become one
 * space, at most `max` characters are kept (cut at the last space when there
 * is one in the second half, "…" added), and the result is broken into lines
 * of at most `width` characters at spaces (a longer word is split).  Each
 * piece is quoted by esc; lines are joined by `nl`, written as is.
 */
static void put_label(sink *o, const char *text, size_t width, size_t max, const char *nl, escape_fn esc)
{
    cb_buf t;
    cb_buf_init(&t, CB_BUF_UNLIMITED);
    bool space = false;
    for (const char *p = text ? text : ""; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            space = t.len > 0;
            continue;
        }
        if (space && cb_buf_putc(&t, ' ') != CB_OK)
            goto oom;
        space = false;
        if (cb_buf_putc(&t, *p) != CB_OK)
            goto oom;
    }
    size_t len = t.len;
    bool cut = false;
    if (len && u8_chars(t.data, len) > max) {
        size_t keep = u8_prefix(t.data, len, max - 1), sp = keep;
        while (sp > keep / 2 && t.data[sp] != ' ')
            sp--;
        len = sp > keep / 2 ? sp : keep;
        cut = true;
    }

    /* Greedy wrap over the words of t.data[0..len). */
    size_t col = 0, i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && t.data[j] != ' ')
            j++;
        size_t wlen = j - i, wchars = u8_chars(t.data + i, wlen);
        if (col && col + 1 + wchars > width) {
            put(o, nl);
            col = 0;
        } else if (col) {
            esc(o, " ", 1);
            col++;
        }
        while (wchars > width) {
            size_t b = u8_prefix(t.data + i, wlen, width);
            esc(o, t.data + i, b);
            put(o, nl);
            i += b;
            wlen -= b;
            wchars -= width;
        }
        esc(o, t.data + i, wlen);
        col += wchars;
        i = j + 1;
    }
    if (cut) {
        if (col + 1 > width)
            put(o, nl);
        put(o, "…");
    }
    cb_buf_release(&t);
    return;
oom:
    cb_buf_release(&t);
    if (o->st == CB_OK)
        o->st = CB_ENOMEM;
}

/*
 * The one-line summary of a check node: "logs show a + b ≥ 3?" (quoted later
 * like any label text).
 */
static void check_summary(sink *t, const cb_node *nd)
{
    put(t, "logs show ");
    for (size_t s = 0; s < nd->nsigs; s++) {
        put(t, s ? " + " : "");
        put(t, nd->sigs[s].id ? nd->sigs[s].id : "?");
    }
    if (nd->min > 1)
        putf(t, " ≥ %llu", (unsigned long long)nd->min);
    put(t, "?");
}

/* The text under a node's id in the diagrams; NULL when out of memory.  Caller frees. */
static char *node_summary(const cb_node *nd)
{
    sink t = {.st = CB_OK};
    cb_buf_init(&t.b, CB_BUF_UNLIMITED);
    if (nd->kind == CB_NODE_CHECK)
        check_summary(&t, nd);
    else
        put(&t, nd->text.s ? nd->text.s : "");
    if (t.st != CB_OK) {
        cb_buf_release(&t.b);
        return NULL;
    }
    return cb_buf_detach(&t.b, NULL);
}

/* " (escalate)" / " (dead end)" / "" after a conclusion's id. */
static const char *node_tag(const cb_node *nd)
{
    if (nd->kind != CB_NODE_CONCLUDE)
        return "";
    return nd->escalate ? " (escalate)" : nd->dead_end ? " (dead end)" : "";
}

/*
 * Bytes of the control character at s[i] that is not ASCII (a C1 control, a
 * bidi override or isolate: cb_utf8_is_control's rule), or 0.  Every format
 * shows those as a space, as it shows C0 controls.
 */
static size_t wide_control(const char *s, size_t n, size_t i)
{
    const unsigned char *p = (const unsigned char *)s + i;
    if (*p != 0xC2 && *p != 0xE2)
        return 0;
    size_t k = cb_utf8_seqlen(p, n - i);
    return k > 1 && cb_utf8_is_control(p, k) ? k : 0;
}

/*
 * Copy s[0..n) to o, replacing each byte for which rep() gives a string by
 * that string: the one loop behind every quoted-label escaper.
 */
static void esc_with(sink *o, const char *s, size_t n, const char *(*rep)(unsigned char c))
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = wide_control(s, n, i);
        const char *r = k ? " " : rep((unsigned char)s[i]);
        if (!r)
            continue;
        putn(o, s + run, i - run);
        put(o, r);
        i += k ? k - 1 : 0;
        run = i + 1;
    }
    putn(o, s + run, n - run);
}

/* ------------------------------------------------------------------ */
/* DOT                                                                 */
/* ------------------------------------------------------------------ */

/*
 * Inside a DOT quoted string: `"` and `\` are escaped (so that no `\n`,
 * `\N`... of the author's is taken as a Graphviz escape), `&` becomes `&amp;`
 * (Graphviz reads HTML entities in labels), control characters a space.
 */
static const char *dot_rep(unsigned char c)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '&':
        return "&amp;";
    }
    return c < ' ' || c == 0x7f ? " " : NULL;
}

static void dot_esc(sink *o, const char *s, size_t n)
{
    esc_with(o, s, n, dot_rep);
}

static void dot_id(sink *o, const char *id)
{
    put(o, "\"");
    dot_esc(o, id, strlen(id));
    put(o, "\"");
}

/* Node attributes by kind: shape, style, fill. */
static void dot_node_style(sink *o, const cb_node *nd)
{
    switch (nd->kind) {
    case CB_NODE_CHECK:
        put(o, "shape=diamond, fillcolor=\"" COL_CHECK "\"");
        break;
    case CB_NODE_ASK:
        put(o, "shape=box, style=\"rounded,filled\", fillcolor=\"" COL_ASK "\"");
        break;
    case CB_NODE_DO:
        put(o, "shape=parallelogram, fillcolor=\"" COL_DO "\"");
        break;
    case CB_NODE_CONCLUDE:
        if (nd->escalate)
            put(o, "shape=doubleoctagon, style=\"filled,bold\", fillcolor=\"" COL_ESCALATE "\"");
        else if (nd->dead_end)
            put(o, "shape=doubleoctagon, style=\"filled,dashed\", fillcolor=\"" COL_DEADEND
                   "\", fontcolor=\"" COL_LINE "\"");
        else
            put(o, "shape=doubleoctagon, fillcolor=\"" COL_CONCLUDE "\"");
        break;
    }
}

/*
 * The DOT graph: one statement per node in walk order, then the edges in
 * the same order, then a placeholder node for each edge to a missing node.
 */
static void render_dot(sink *o, const graph *g)
{
    const cb_playbook *pb = g->pb;
    put(o, "digraph ");
    dot_id(o, pb->id.s ? pb->id.s : "playbook");
    put(o, " {\n    graph [label=\"");
    put_label(o, pb->title.s, TITLE_WIDTH, TITLE_MAX, "\\n", dot_esc);
    put(o, "\", labelloc=t, fontname=\"" FONT "\", fontsize=14, nodesep=0.35, ranksep=0.45];\n"
           "    node [fontname=\"" FONT "\", fontsize=10, style=filled, color=\"" COL_LINE
           "\", margin=\"0.12,0.06\"];\n"
           "    edge [fontname=\"" FONT "\", fontsize=9, color=\"" COL_LINE "\"];\n\n");
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        const cb_node *nd = &pb->nodes[v];
        char *sum = node_summary(nd);
        if (!sum) {
            o->st = CB_ENOMEM;
            return;
        }
        put(o, "    ");
        dot_id(o, nd->id);
        put(o, " [");
        dot_node_style(o, nd);
        put(o, ", label=\"");
        dot_esc(o, nd->id, strlen(nd->id));
        put(o, node_tag(nd));
        if (*sum) {
            put(o, "\\n");
            put_label(o, sum, LABEL_WIDTH, LABEL_MAX, "\\n", dot_esc);
        }
        put(o, "\"");
        if (g->visited[v])
            put(o, ", penwidth=3, color=\"" COL_HOT "\"");
        put(o, "];\n");
        free(sum);
    }
    put(o, "\n");
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        for (size_t x = g->efirst[v]; x < g->efirst[v + 1]; x++) {
            const edge *e = &g->e[x];
            put(o, "    ");
            dot_id(o, pb->nodes[v].id);
            put(o, " -> ");
            if (e->to >= 0)
                dot_id(o, pb->nodes[e->to].id);
            else
                putf(o, "\"?missing-%zu\"", x);
            put(o, " [label=\"");
            put_label(o, e->label, EDGE_WIDTH, EDGE_MAX, "\\n", dot_esc);
            put(o, "\"");
            if (e->hot)
                put(o, ", penwidth=3, color=\"" COL_HOT "\", fontcolor=\"" COL_HOT "\"");
            put(o, "];\n");
        }
    }
    for (size_t x = 0; x < g->ne; x++) {
        if (g->e[x].to >= 0)
            continue;
        putf(o, "    \"?missing-%zu\" [shape=box, style=dashed, color=\"" COL_HOT "\", label=\"", x);
        put_label(o, g->e[x].target, LABEL_WIDTH, LABEL_MAX, "\\n", dot_esc);
        put(o, "\\n(no such node)\"];\n");
    }
    put(o, "}\n");
}

/* ------------------------------------------------------------------ */
/* SVG through libgvc                                                  */
/* ------------------------------------------------------------------ */

enum { GV_MSG_MAX = 2048 };

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static cb_buf gv_msgs; /* what Graphviz reported during the current call; guarded by gv_lock */

/*
 * One Graphviz context for the life of the process, created on first use
 * (guarded by gv_lock).  A context reads Graphviz's plugin configuration and
 * loads the layout, renderer and text-layout plugins (pango, fontconfig);
 * gvFreeContext unloads them again, orphaning the configuration text and
 * fontconfig's caches, which those libraries never free.  Kept loaded, that
 * memory stays reachable and the cost is paid once.
 */
static GVC_t *gv_ctx;

/*
 * fontconfig (which Graphviz's pango text layout uses to measure labels)
 * keeps its caches behind pointers stored as offsets, so LeakSanitizer takes
 * them for leaks when the process exits.  Suppress exactly those in sanitized
 * builds, without the "Suppressions used" report on stderr; both weak, so
 * that a program's own settings (and LSAN_OPTIONS) take precedence.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define CB_RENDER_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(CB_RENDER_LSAN)
const char *__lsan_default_suppressions(void);
__attribute__((weak)) const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
const char *__lsan_default_options(void);
__attribute__((weak)) const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

/* Graphviz's error callback: keep the text (it arrives in pieces: "Error", ": ", the message). */
static int gv_collect(char *msg)
{
    if (msg)
        (void)cb_buf_puts(&gv_msgs, msg); /* past GV_MSG_MAX the rest is dropped */
    return 0;
}

/*
 * Fail with code and Graphviz's collected messages ("Error: " / "Warning: "
 * prefixes dropped, lines joined by "; "), or `fallback` when it said nothing.
 */
static cb_status gv_fail(cb_error *err, cb_status code, const char *fallback)
{
    char msg[CB_ERROR_MSG_MAX];
    size_t n = 0;
    const char *p = gv_msgs.data ? gv_msgs.data : "";
    while (*p && n + 1 < sizeof msg) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *line = p;
        if (len >= 7 && strncmp(line, "Error: ", 7) == 0)
            line += 7, len -= 7;
        else if (len >= 9 && strncmp(line, "Warning: ", 9) == 0)
            line += 9, len -= 9;
        while (len && isspace((unsigned char)line[len - 1]))
            len--;
        if (len) {
            int w = snprintf(msg + n, sizeof msg - n, "%s%.*s", n ? "; " : "", (int)len, line);
            n = w > 0 ? CB_MIN(n + (size_t)w, sizeof msg - 1) : n;
        }
        p = eol ? eol + 1 : p + strlen(p);
    }
    if (!n)
        return cb_error_set(err, code, "graphviz: %s", fallback);
    if (code != CB_EUNSUPPORTED && strstr(msg, "not recognized"))
        code = CB_EUNSUPPORTED; /* "Layout type: "dot" not recognized", "Format: "svg" not recognized" */
    return cb_error_set(err, code, "graphviz: %s", msg);
}

/* Parse, lay out and render `text` (NUL-terminated) with the error callback already in place. */
static cb_status gv_render(const char *text, char **out, size_t *outlen, cb_error *err)
{
    cb_status st = CB_OK;
    if (!gv_ctx && !(gv_ctx = gvContext()))
        return gv_fail(err, CB_ENOMEM, "cannot create a context");
    GVC_t *gvc = gv_ctx;
    Agraph_t *g = agmemread(text);
    if (!g)
        return gv_fail(err, CB_EPARSE, "cannot read the graph");
    if (gvLayout(gvc, g, "dot") != 0) {
        st = gv_fail(err, CB_EINVAL, "the dot layout failed");
        agclose(g);
        return st;
    }
    char *data = NULL;
    unsigned int n = 0;
    if (gvRenderData(gvc, g, "svg", &data, &n) != 0 || !data) {
        st = gv_fail(err, CB_EINVAL, "rendering SVG failed");
    } else if (!(*out = malloc((size_t)n + 1))) {
        st = cb_error_set(err, CB_ENOMEM, "out of memory");
    } else {
        memcpy(*out, data, n);
        (*out)[n] = '\0';
        if (outlen)
            *outlen = n;
    }
    if (data)
        gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    agclose(g);
    return st;
}

cb_status cb_render_dot_to_svg(const char *dot, size_t len, char **out, size_t *outlen, cb_error *err)
{
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!dot || !out)
        return cb_error_set(err, CB_EINVAL, "cb_render_dot_to_svg: NULL argument");
    char *text = malloc(len + 1);
    if (!text)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    memcpy(text, dot, len);
    text[len] = '\0';

    pthread_mutex_lock(&gv_lock);
    cb_buf_init(&gv_msgs, GV_MSG_MAX);
    agusererrf old_fn = agseterrf(gv_collect);
    agerrlevel_t old_level = agseterr(AGWARN);
    agreseterrors();
    cb_status st = gv_render(text, out, outlen, err);
    agseterr(old_level);
    agseterrf(old_fn);
    cb_buf_release(&gv_msgs);
    pthread_mutex_unlock(&gv_lock);

    free(text);
    return st;
}

/* ------------------------------------------------------------------ */
/* Mermaid                                                             */
/* ------------------------------------------------------------------ */

/*
 * Inside a Mermaid quoted label: characters that end the string, start an
 * entity, a markdown string or a comment, or would be read as HTML become
 * entity codes (#quot; #35; #lt; #gt; #amp; #96; #37;); control characters
 * a space.  Brackets and pipes are safe inside the quotes.
 */
static const char *mmd_rep(unsigned char c)
{
    switch (c) {
    case '"':
        return "#quot;";
    case '#':
        return "#35;";
    case '<':
        return "#lt;";
    case '>':
        return "#gt;";
    case '&':
        return "#amp;";
    case '`':
        return "#96;";
    case '%':
        return "#37;";
    }
    return c < ' ' || c == 0x7f ? " " : NULL;
}

static void mmd_esc(sink *o, const char *s, size_t n)
{
    esc_with(o, s, n, mmd_rep);
}

/* A node's Mermaid id: "n<step>_", then its id with each character outside [A-Za-z0-9_] as '_'. */
static void mmd_id(sink *o, const graph *g, int v)
{
    putf(o, "n%zu_", g->step[v]);
    for (const char *p = g->pb->nodes[v].id; *p; p++) {
        char c = isalnum((unsigned char)*p) || *p == '_' ? *p : '_';
        putn(o, &c, 1);
    }
}

/*
 * The Mermaid flowchart: class definitions, one line per node in walk order
 * (shape by kind, class by kind), the edges (numbered from 0 in the order
 * written, as linkStyle counts them), placeholders for missing targets, and
 * the highlight.
 */
static void render_mermaid(sink *o, const graph *g)
{
    const cb_playbook *pb = g->pb;
    put(o, "flowchart TD\n    %% ");
    put(o, pb->id.s ? pb->id.s : "playbook");
    put(o, ": ");
    put_label(o, pb->title.s, (size_t)-1, TITLE_MAX, "", mmd_esc);
    put(o, "\n"
           "    classDef check fill:" COL_CHECK ",stroke:" COL_LINE "\n"
           "    classDef ask fill:" COL_ASK ",stroke:" COL_LINE "\n"
           "    classDef action fill:" COL_DO ",stroke:" COL_LINE "\n"
           "    classDef conclude fill:" COL_CONCLUDE ",stroke:" COL_LINE "\n"
           "    classDef escalate fill:" COL_ESCALATE ",stroke:" COL_LINE ",stroke-width:2px\n"
           "    classDef deadend fill:" COL_DEADEND ",stroke:" COL_LINE
           ",stroke-dasharray:5 5,color:" COL_LINE "\n"
           "    classDef missing fill:#ffffff,stroke:" COL_HOT ",stroke-dasharray:5 5\n");
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        const cb_node *nd = &pb->nodes[v];
        static const char *const open[] = {"{\"", "(\"", "[/\"", "([\""};
        static const char *const close[] = {"\"}", "\")", "\"/]", "\"])"};
        const char *cls = nd->kind == CB_NODE_CHECK ? "check"
                          : nd->kind == CB_NODE_ASK ? "ask"
                          : nd->kind == CB_NODE_DO  ? "action"
                          : nd->escalate            ? "escalate"
                          : nd->dead_end            ? "deadend"
                                                    : "conclude";
        char *sum = node_summary(nd);
        if (!sum) {
            o->st = CB_ENOMEM;
            return;
        }
        put(o, "    ");
        mmd_id(o, g, v);
        put(o, open[nd->kind]);
        mmd_esc(o, nd->id, strlen(nd->id));
        put(o, node_tag(nd));
        if (*sum) {
            put(o, "<br/>");
            put_label(o, sum, LABEL_WIDTH, LABEL_MAX, "<br/>", mmd_esc);
        }
        put(o, close[nd->kind]);
        putf(o, ":::%s\n", cls);
        free(sum);
    }
    size_t nhot = 0;
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        for (size_t x = g->efirst[v]; x < g->efirst[v + 1]; x++) {
            const edge *e = &g->e[x];
            put(o, "    ");
            mmd_id(o, g, v);
            put(o, " -->|\"");
            put_label(o, e->label, EDGE_WIDTH, EDGE_MAX, "<br/>", mmd_esc);
            put(o, "\"| ");
            if (e->to >= 0)
                mmd_id(o, g, e->to);
            else
                putf(o, "missing%zu", x);
            put(o, "\n");
            nhot += e->hot;
        }
    }
    for (size_t x = 0; x < g->ne; x++) {
        if (g->e[x].to >= 0)
            continue;
        putf(o, "    missing%zu[\"", x);
        put_label(o, g->e[x].target, LABEL_WIDTH, LABEL_MAX, "<br/>", mmd_esc);
        put(o, "<br/>(no such node)\"]:::missing\n");
    }
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        if (!g->visited[v])
            continue;
        put(o, "    style ");
        mmd_id(o, g, v);
        put(o, " stroke:" COL_HOT ",stroke-width:3px\n");
    }
    if (nhot) {
        /* linkStyle numbers edges in the order written above: walk order, then branch order. */
        put(o, "    linkStyle ");
        size_t idx = 0, written = 0;
        for (size_t k = 0; k < pb->nnodes; k++) {
            int v = g->order[k];
            for (size_t x = g->efirst[v]; x < g->efirst[v + 1]; x++, idx++)
                if (g->e[x].hot)
                    putf(o, "%s%zu", written++ ? "," : "", idx);
        }
        put(o, " stroke:" COL_HOT ",stroke-width:3px\n");
    }
}

/* ------------------------------------------------------------------ */
/* Markdown                                                            */
/* ------------------------------------------------------------------ */

/* True when s starts a list item: optional spaces, then "- ", "* ", "+ ", or digits and ". " / ") ". */
static bool md_list_item(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ')
        return true;
    size_t d = i;
    while (d < n && isdigit((unsigned char)s[d]))
        d++;
    return d > i && d - i <= 9 && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ';
}

/*
 * Markdown-escape inline text s[0..n): the characters that start emphasis,
 * code, links, HTML, tables or strikethrough get a backslash; `_` only where
 * it is not between two letters or digits; `&` only where it would start an
 * entity.  Line breaks and other control characters become spaces.  With
 * line_start, the text begins a line: a leading `#` or `>`, a leading "--" /
 * "==" are escaped, and a list marker ("- ", "1. ") is left to make a list
 * when `list` is true and escaped otherwise.
 */
static void md_inline(sink *o, const char *s, size_t n, bool line_start, bool list)
{
    size_t i = 0;
    if (line_start) {
        while (i < n && s[i] == ' ')
            i++;
        putn(o, s, i);
        if (i < n) {
            bool item = md_list_item(s + i, n - i);
            if (item && !list) {
                size_t d = i;
                while (d < n && isdigit((unsigned char)s[d]))
                    d++;
                putn(o, s + i, d - i);
                put(o, "\\");
                i = d;
            } else if (!item && (s[i] == '#' || s[i] == '>' ||
                                 ((s[i] == '-' || s[i] == '=') && i + 1 < n && s[i + 1] == s[i]))) {
                put(o, "\\");
            }
        }
    }
    size_t run = i;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool esc = false;
        if (strchr("\\`*[]<|~", c) && c)
            esc = true;
        else if (c == '_')
            esc =
                !(i > 0 && isalnum((unsigned char)s[i - 1]) && i + 1 < n && isalnum((unsigned char)s[i + 1]));
        else if (c == '&') {
            size_t j = i + 1;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '#'))
                j++;
            esc = j > i + 1 && j < n && s[j] == ';';
        }
        size_t k = wide_control(s, n, i);
        if (c < ' ' || c == 0x7f || k) {
            putn(o, s + run, i - run);
            put(o, " ");
            i += k ? k - 1 : 0;
            run = i + 1;
        } else if (esc) {
            putn(o, s + run, i - run);
            put(o, "\\");
            run = i;
        }
    }
    putn(o, s + run, n - run);
}

static void md_text(sink *o, const char *s)
{
    md_inline(o, s, strlen(s), false, false);
}

/* s without the trailing line break(s) and spaces YAML block scalars leave. */
static size_t md_trimmed_len(const char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

/*
 * Multi-line author text as Markdown lines, each escaped: the author's line
 * breaks are kept (a trailing backslash, Markdown's hard break, where the
 * next line continues the same paragraph), their lists stay lists, blank
 * lines stay paragraph breaks.  Each line is prefixed by `prefix` ("" or "> ").
 */
static void md_block(sink *o, const char *s, const char *prefix)
{
    size_t n = md_trimmed_len(s), i = 0;
    while (i < n) {
        const char *eol = memchr(s + i, '\n', n - i);
        size_t len = eol ? (size_t)(eol - (s + i)) : n - i;
        while (len && (s[i + len - 1] == ' ' || s[i + len - 1] == '\r' || s[i + len - 1] == '\t'))
            len--;
        put(o, len ? prefix : prefix[0] ? ">" : "");
        md_inline(o, s + i, len, true, true);
        if (eol) {
            const char *next = eol + 1;
            const char *nend = memchr(next, '\n', (size_t)(s + n - next));
            size_t nlen = nend ? (size_t)(nend - next) : (size_t)(s + n - next);
            bool next_blank = true;
            for (size_t k = 0; k < nlen; k++)
                next_blank = next_blank && isspace((unsigned char)next[k]);
            if (len && !next_blank && !md_list_item(next, nlen))
                put(o, "\\");
        }
        put(o, "\n");
        i = eol ? (size_t)(eol - s) + 1 : n;
    }
}

/* A code span around s (newlines as spaces); in a table cell `|` is written `\|`, as GFM requires there. */
static void md_code(sink *o, const char *s, bool in_table)
{
    size_t longest = 0, cur = 0, n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        cur = s[i] == '`' ? cur + 1 : 0;
        longest = CB_MAX(longest, cur);
    }
    for (size_t k = 0; k <= longest; k++)
        put(o, "`");
    bool pad = n && (s[0] == '`' || s[n - 1] == '`' || (s[0] == ' ' && s[n - 1] == ' '));
    if (pad)
        put(o, " ");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|' && in_table)
            put(o, "\\|");
        else if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            put(o, " ");
        else if (wide_control(s, n, i)) {
            put(o, " ");
            i += wide_control(s, n, i) - 1;
        } else
            putn(o, s + i, 1);
    }
    if (pad)
        put(o, " ");
    for (size_t k = 0; k <= longest; k++)
        put(o, "`");
}

/* "step 3 (`id`)", or "`id` (no such node)". */
static void md_target(sink *o, const graph *g, const edge *e)
{
    if (e->to >= 0) {
        putf(o, "step %zu (", g->step[e->to]);
        md_code(o, e->target, false);
        put(o, ")");
    } else {
        md_code(o, e->target, false);
        put(o, " (no such node)");
    }
}

/* "**Label:** text" for a one-line text, or the label then the text as its own block. */
static void md_field(sink *o, const char *label, const char *text)
{
    if (!text)
        return;
    size_t n = md_trimmed_len(text);
    const char *nl = memchr(text, '\n', n);
    putf(o, "\n**%s:**", label);
    if (nl) {
        put(o, "\n\n");
        md_block(o, text, "");
    } else {
        put(o, " ");
        md_inline(o, text, n, false, false);
        put(o, "\n");
    }
}

static void md_coach(sink *o, const cb_coach *c)
{
    put(o, "\n> **Coach:** ");
    md_inline(o, c->ask.s ? c->ask.s : "", c->ask.s ? md_trimmed_len(c->ask.s) : 0, false, false);
    put(o, "\n");
    if (c->nchoices) {
        put(o, ">\n> Choices: ");
        for (size_t i = 0; i < c->nchoices; i++) {
            bool right = false;
            for (size_t x = 0; x < c->nexpect; x++)
                right = right || strcmp(c->expect[x].s, c->choices[i].s) == 0;
            put(o, i ? " · " : "");
            put(o, right ? "**" : "");
            md_text(o, c->choices[i].s);
            put(o, right ? "** (expected)" : "");
        }
        put(o, "\n");
    } else if (c->nexpect) {
        put(o, ">\n> Expected keywords (one must appear): ");
        for (size_t x = 0; x < c->nexpect; x++) {
            put(o, x ? ", " : "");
            md_text(o, c->expect[x].s);
        }
        put(o, "\n");
    }
    if (c->nhints) {
        put(o, ">\n> Hints:\n");
        for (size_t h = 0; h < c->nhints; h++) {
            putf(o, "> %zu. ", h + 1);
            md_inline(o, c->hints[h].s, md_trimmed_len(c->hints[h].s), false, false);
            put(o, "\n");
        }
    }
}

/* The question a check node asks of the logs, in words. */
static void md_check(sink *o, const cb_playbook *pb, const cb_node *nd)
{
    if (nd->min > 1)
        putf(o, "Do the logs have at least %llu lines matching ", (unsigned long long)nd->min);
    else
        put(o, "Do the logs have a line matching ");
    for (size_t s = 0; s < nd->nsigs; s++) {
        put(o, s == 0 ? "" : s + 1 == nd->nsigs ? " or " : ", ");
        md_code(o, nd->sigs[s].id ? nd->sigs[s].id : "", false);
        int si = nd->sigs[s].index;
        if (si < 0 || (size_t)si >= pb->nsignatures)
            put(o, " (no such signature)");
    }
    put(o, nd->nsigs > 1 && nd->min > 1 ? " (counted together)?\n" : "?\n");
}

static void md_step(sink *o, const graph *g, size_t k)
{
    static const char *const kinds[] = {"Check", "Ask", "Do", "Conclusion"};
    int v = g->order[k];
    const cb_node *nd = &g->pb->nodes[v];
    putf(o, "\n### %zu. %s", k + 1, kinds[nd->kind]);
    put(o, nd->kind == CB_NODE_CONCLUDE && nd->escalate   ? " (escalate)"
           : nd->kind == CB_NODE_CONCLUDE && nd->dead_end ? " (dead end)"
                                                          : "");
    put(o, " ");
    md_code(o, nd->id, false);
    put(o, g->visited[v] ? " ✓ visited\n\n" : "\n\n");
    if (k >= g->nreach)
        put(o, "*Not reachable from the start node.*\n\n");

    switch (nd->kind) {
    case CB_NODE_CHECK:
        md_check(o, g->pb, nd);
        break;
    case CB_NODE_ASK:
    case CB_NODE_DO:
        md_block(o, nd->text.s ? nd->text.s : "", "");
        if (nd->kind == CB_NODE_DO && nd->record.s) {
            put(o, "\n**Record:** ");
            md_inline(o, nd->record.s, md_trimmed_len(nd->record.s), false, false);
            put(o, " — the answer becomes `{{");
            put(o, nd->id);
            put(o, "}}`\n");
        }
        break;
    case CB_NODE_CONCLUDE:
        put(o, "**");
        md_inline(o, nd->text.s ? nd->text.s : "", nd->text.s ? md_trimmed_len(nd->text.s) : 0, false, false);
        put(o, "**\n");
        md_field(o, "Cause", nd->cause.s);
        md_field(o, "Resolution", nd->resolution.s);
        md_field(o, "Article", nd->article.s);
        break;
    }

    if (g->efirst[v] < g->efirst[v + 1])
        put(o, "\n");
    for (size_t x = g->efirst[v]; x < g->efirst[v + 1]; x++) {
        const edge *e = &g->e[x];
        if (nd->kind == CB_NODE_CHECK) {
            putf(o, "- If %s → ", e->label);
        } else if (nd->kind == CB_NODE_DO) {
            put(o, "- When done → ");
        } else {
            put(o, "- If “");
            md_text(o, e->label);
            put(o, "” → ");
        }
        md_target(o, g, e);
        put(o, e->hot ? " (taken)\n" : "\n");
    }
    if (nd->coach)
        md_coach(o, nd->coach);
}

static void md_cell_esc(sink *o, const char *s, size_t n)
{
    md_inline(o, s, n, false, false);
}

/* A table cell: inline text with whitespace runs (line breaks too) collapsed to one space. */
static void md_cell(sink *o, const char *s)
{
    put_label(o, s, (size_t)-1, (size_t)-1, "", md_cell_esc);
}

static void render_md(sink *o, const graph *g)
{
    const cb_playbook *pb = g->pb;
    put(o, "# ");
    md_inline(o, pb->title.s ? pb->title.s : "", pb->title.s ? md_trimmed_len(pb->title.s) : 0, false, false);
    put(o, "\n\n- **Playbook:** ");
    md_code(o, pb->id.s ? pb->id.s : "", false);
    put(o, "\n");
    if (pb->product.s) {
        put(o, "- **Product:** ");
        md_text(o, pb->product.s);
        put(o, "\n");
    }
    if (pb->versions.s) {
        put(o, "- **Versions:** ");
        md_text(o, pb->versions.s);
        put(o, "\n");
    }
    if (pb->ntags) {
        put(o, "- **Tags:** ");
        for (size_t t = 0; t < pb->ntags; t++) {
            put(o, t ? ", " : "");
            md_text(o, pb->tags[t].s);
        }
        put(o, "\n");
    }
    if (pb->article.s) {
        put(o, "- **Article:** ");
        md_text(o, pb->article.s);
        put(o, "\n");
    }
    put(o, "- **Start:** ");
    if (g->nreach) {
        putf(o, "step 1 (");
        md_code(o, pb->nodes[g->order[0]].id, false);
        put(o, ")\n");
    } else {
        md_code(o, pb->start.id ? pb->start.id : "", false);
        put(o, " (no such node)\n");
    }

    if (g->npath) {
        put(o, "\n## Path walked\n\n");
        for (size_t i = 0; i < g->npath; i++) {
            putf(o, "%s%zu (", i ? " → " : "Step ", g->step[g->path[i]]);
            md_code(o, pb->nodes[g->path[i]].id, false);
            put(o, ")");
        }
        put(o, "\n");
    }

    put(o, "\n## Signatures\n\n");
    if (!pb->nsignatures)
        put(o, "None: this playbook is walked by questions only.\n");
    else
        put(o, "| Signature | Severity | Pattern | Files | Description |\n|---|---|---|---|---|\n");
    for (size_t s = 0; s < pb->nsignatures; s++) {
        const cb_signature *sig = &pb->signatures[s];
        put(o, "| ");
        md_code(o, sig->id, true);
        putf(o, " | %s | ", cb_severity_name(sig->severity));
        md_code(o, sig->pattern.s ? sig->pattern.s : "", true);
        put(o, sig->caseless ? " (any case) | " : " | ");
        if (!sig->nfiles)
            put(o, "every text file");
        for (size_t f = 0; f < sig->nfiles; f++) {
            put(o, f ? ", " : "");
            md_code(o, sig->files[f].s, true);
        }
        put(o, " | ");
        if (sig->describe.s)
            md_cell(o, sig->describe.s);
        put(o, " |\n");
    }

    put(o, "\n## Steps\n");
    for (size_t k = 0; k < pb->nnodes; k++)
        md_step(o, g, k);
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

cb_status cb_render_playbook(const cb_playbook *pb, cb_render_format fmt, const char *const *path_nodes,
                             size_t npath, char **out, size_t *outlen, cb_error *err)
{
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!pb || !out || (npath && !path_nodes))
        return cb_error_set(err, CB_EINVAL, "cb_render_playbook: NULL argument");
    if ((unsigned)fmt > CB_RENDER_MERMAID)
        return cb_error_set(err, CB_EINVAL, "unknown render format %d", (int)fmt);
    if (fmt == CB_RENDER_SVG && pb->nnodes > CB_RENDER_SVG_MAX_NODES)
        return cb_error_set(err, CB_ELIMIT,
                            "%s: %zu nodes are too many to lay out as SVG (at most %d): use dot",
                            pb->id.s ? pb->id.s : "playbook", pb->nnodes, CB_RENDER_SVG_MAX_NODES);

    graph g;
    sink o = {.st = CB_OK};
    cb_buf_init(&o.b, RENDER_OUT_MAX);
    cb_status st = graph_build(&g, pb, path_nodes, npath);
    if (st == CB_OK) {
        if (fmt == CB_RENDER_MD)
            render_md(&o, &g);
        else if (fmt == CB_RENDER_MERMAID)
            render_mermaid(&o, &g);
        else
            render_dot(&o, &g);
        st = o.st;
    }
    graph_release(&g);
    if (st != CB_OK) {
        cb_buf_release(&o.b);
        return st == CB_ELIMIT
                   ? cb_error_set(err, st, "the rendering is larger than %zu MiB", RENDER_OUT_MAX >> 20)
                   : cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    if (fmt == CB_RENDER_SVG) {
        st = cb_render_dot_to_svg(o.b.data, o.b.len, out, outlen, err);
        cb_buf_release(&o.b);
        return st;
    }
    size_t len;
    *out = cb_buf_detach(&o.b, &len);
    if (!*out)
        return cb_error_set(err, CB_ENOMEM, "out of memory");
    if (outlen)
        *outlen = len;
    return CB_OK;
}
