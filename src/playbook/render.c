/*
 * render.c — a playbook drawn for people (render.h), the part every format
 * shares: the graph, label shaping and the entry point.  Each format has its
 * own file: render_md.c (Markdown for a knowledge base), render_dot.c
 * (Graphviz DOT), render_svg.c (SVG laid out in process by libgvc) and
 * render_mermaid.c; with the path of a walk highlighted when one is given.
 *
 * Every format is produced from one `graph`: the nodes in walk order
 * (breadth-first from start, then the unreachable ones in file order), their
 * step numbers, and the edges in branch order (yes, no; choices; next), each
 * marked when it lies on the highlighted path.  Each format then only decides
 * how to quote: DOT quoted strings, Mermaid entity codes, Markdown backslash
 * escapes.  Author text is collapsed and shortened for the diagrams, kept
 * whole (line breaks included) in Markdown.
 */
#include "casebook/utf8.h"
#include "playbook/render_int.h"

/* The largest output built (a 4 MiB playbook renders to well under this). */
#define RENDER_OUT_MAX ((size_t)256 << 20)

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

void cb__graph_release(graph *g)
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
cb_status cb__graph_build(graph *g, const cb_playbook *pb, const char *const *path_ids, size_t npath)
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
void cb__put_label(sink *o, const char *text, size_t width, size_t max, const char *nl, escape_fn esc)
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
char *cb__node_summary(const cb_node *nd)
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
const char *cb__node_tag(const cb_node *nd)
{
    if (nd->kind != CB_NODE_CONCLUDE)
        return "";
    return nd->escalate ? " (escalate)" : nd->dead_end ? " (dead end)" : "";
}

size_t cb__wide_control(const char *s, size_t n, size_t i)
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
void cb__esc_with(sink *o, const char *s, size_t n, const char *(*rep)(unsigned char c))
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = cb__wide_control(s, n, i);
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
    graph g;
    sink o = {.st = CB_OK};
    cb_buf_init(&o.b, RENDER_OUT_MAX);
    cb_status st = cb__graph_build(&g, pb, path_nodes, npath);
    const char *name = pb->id.s ? pb->id.s : "playbook";
    if (st == CB_OK && fmt == CB_RENDER_SVG) {
        /* Refused before any DOT is written: dot's layout time grows much faster than the graph. */
        size_t missing = 0;
        for (size_t i = 0; i < g.ne; i++)
            missing += g.e[i].to < 0;
        if (cb__svg_check(name, pb->nnodes + missing, g.ne, 0, err) != CB_OK) {
            cb__graph_release(&g);
            return CB_ELIMIT;
        }
    }
    if (st == CB_OK) {
        if (fmt == CB_RENDER_MD)
            cb__render_md(&o, &g);
        else if (fmt == CB_RENDER_MERMAID)
            cb__render_mermaid(&o, &g);
        else
            cb__render_dot(&o, &g);
        st = o.st;
    }
    cb__graph_release(&g);
    if (st != CB_OK) {
        cb_buf_release(&o.b);
        return st == CB_ELIMIT
                   ? cb_error_set(err, st, "the rendering is larger than %zu MiB", RENDER_OUT_MAX >> 20)
                   : cb_error_set(err, CB_ENOMEM, "out of memory");
    }
    if (fmt == CB_RENDER_SVG) {
        st = cb__svg_check(name, 0, 0, o.b.len, err);
        if (st == CB_OK)
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
