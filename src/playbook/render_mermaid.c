/*
 * render_mermaid.c — a playbook as a Mermaid `flowchart TD` (render.h,
 * CB_RENDER_MERMAID): the same nodes, shapes and edge labels as DOT.
 */
#include <ctype.h>

#include "playbook/render_int.h"

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
    cb__esc_with(o, s, n, mmd_rep);
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
void cb__render_mermaid(sink *o, const graph *g)
{
    const cb_playbook *pb = g->pb;
    put(o, "flowchart TD\n    %% ");
    put(o, pb->id.s ? pb->id.s : "playbook");
    put(o, ": ");
    cb__put_label(o, pb->title.s, (size_t)-1, TITLE_MAX, "", mmd_esc);
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
        char *sum = cb__node_summary(nd);
        if (!sum) {
            o->st = CB_ENOMEM;
            return;
        }
        put(o, "    ");
        mmd_id(o, g, v);
        put(o, open[nd->kind]);
        mmd_esc(o, nd->id, strlen(nd->id));
        put(o, cb__node_tag(nd));
        if (*sum) {
            put(o, "<br/>");
            cb__put_label(o, sum, LABEL_WIDTH, LABEL_MAX, "<br/>", mmd_esc);
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
            cb__put_label(o, e->label, EDGE_WIDTH, EDGE_MAX, "<br/>", mmd_esc);
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
        cb__put_label(o, g->e[x].target, LABEL_WIDTH, LABEL_MAX, "<br/>", mmd_esc);
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
