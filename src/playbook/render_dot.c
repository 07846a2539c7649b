/*
 * render_dot.c — a playbook as Graphviz DOT source (render.h, CB_RENDER_DOT):
 * shapes by node kind, edge labels by answer, the walked path bold.
 */
#include "playbook/render_int.h"

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
    cb__esc_with(o, s, n, dot_rep);
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
void cb__render_dot(sink *o, const graph *g)
{
    const cb_playbook *pb = g->pb;
    put(o, "digraph ");
    dot_id(o, pb->id.s ? pb->id.s : "playbook");
    put(o, " {\n    graph [label=\"");
    cb__put_label(o, pb->title.s, TITLE_WIDTH, TITLE_MAX, "\\n", dot_esc);
    put(o, "\", labelloc=t, fontname=\"" FONT "\", fontsize=14, nodesep=0.35, ranksep=0.45];\n"
           "    node [fontname=\"" FONT "\", fontsize=10, style=filled, color=\"" COL_LINE
           "\", margin=\"0.12,0.06\"];\n"
           "    edge [fontname=\"" FONT "\", fontsize=9, color=\"" COL_LINE "\"];\n\n");
    for (size_t k = 0; k < pb->nnodes; k++) {
        int v = g->order[k];
        const cb_node *nd = &pb->nodes[v];
        char *sum = cb__node_summary(nd);
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
        put(o, cb__node_tag(nd));
        if (*sum) {
            put(o, "\\n");
            cb__put_label(o, sum, LABEL_WIDTH, LABEL_MAX, "\\n", dot_esc);
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
            cb__put_label(o, e->label, EDGE_WIDTH, EDGE_MAX, "\\n", dot_esc);
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
        cb__put_label(o, g->e[x].target, LABEL_WIDTH, LABEL_MAX, "\\n", dot_esc);
        put(o, "\\n(no such node)\"];\n");
    }
    put(o, "}\n");
}
