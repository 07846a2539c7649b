/*
 * render_int.h — what the playbook renderers (render*.c) share, not
 * installed: the output sink with a sticky status, the graph every format
 * draws, label shaping and the colours DOT and Mermaid agree on.
 */
#ifndef CB_PLAYBOOK_RENDER_INT_H
#define CB_PLAYBOOK_RENDER_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "casebook/buf.h"
#include "casebook/render.h"
#include "core/internal.h"

/* Diagram labels: node text cut to LABEL_MAX characters, wrapped at LABEL_WIDTH; edge labels likewise. */
enum { LABEL_WIDTH = 40, LABEL_MAX = 100, EDGE_WIDTH = 24, EDGE_MAX = 60, TITLE_WIDTH = 70, TITLE_MAX = 200 };

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

/* ------------------------------------------------------------------ */
/* Output with a sticky status                                         */
/* ------------------------------------------------------------------ */

/* A buffer whose first failure sticks, so that emitters need not check every append. */
typedef struct sink {
    cb_buf b;
    cb_status st;
} sink;

static inline void putn(sink *o, const char *s, size_t n)
{
    if (o->st == CB_OK && n)
        o->st = cb_buf_append(&o->b, s, n);
}

static inline void put(sink *o, const char *s)
{
    putn(o, s, strlen(s));
}

static inline void putf(sink *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void putf(sink *o, const char *fmt, ...)
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

/*
 * Build the graph of pb: edges in branch order, the breadth-first walk order
 * with step numbers, and the highlighted path (ids pb lacks skipped).
 * CB_ENOMEM; release with cb__graph_release either way.
 */
cb_status cb__graph_build(graph *g, const cb_playbook *pb, const char *const *path_ids, size_t npath);
void cb__graph_release(graph *g);

/*
 * `text` as a diagram label: whitespace runs (line breaks included) become one
 * space, at most `max` characters are kept ("…" added), broken into lines of
 * at most `width` characters joined by `nl`; each piece quoted by esc.
 */
void cb__put_label(sink *o, const char *text, size_t width, size_t max, const char *nl, escape_fn esc);

/* The text under a node's id in the diagrams; NULL when out of memory.  Caller frees. */
char *cb__node_summary(const cb_node *nd);

/* " (escalate)" / " (dead end)" / "" after a conclusion's id. */
const char *cb__node_tag(const cb_node *nd);

/* Copy s[0..n) to o, replacing each byte for which rep() gives a string by that string. */
void cb__esc_with(sink *o, const char *s, size_t n, const char *(*rep)(unsigned char c));
/*
 * Bytes of the control character at s[i] that is not ASCII (a C1 control, a
 * bidi override or isolate: cb_utf8_is_control's rule), or 0.  Every format
 * shows those as a space, as it shows C0 controls.
 */
size_t cb__wide_control(const char *s, size_t n, size_t i);

/*
 * CB_ELIMIT, with a message naming `name` and the limit, when a graph of
 * `nodes` nodes, `edges` edges or `bytes` bytes of DOT text (labels
 * included) is past what SVG lays out (render.h: CB_RENDER_SVG_MAX_*); else
 * CB_OK.  A count of 0 is not checked.
 */
cb_status cb__svg_check(const char *name, size_t nodes, size_t edges, size_t bytes, cb_error *err);

/* The three text renderers (render_dot.c, render_mermaid.c, render_md.c): append g to o. */
void cb__render_dot(sink *o, const graph *g);
void cb__render_mermaid(sink *o, const graph *g);
void cb__render_md(sink *o, const graph *g);

#endif
