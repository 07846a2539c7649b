/*
 * render.h — a playbook drawn for people: a Markdown page for a knowledge
 * base, a Graphviz DOT graph, an SVG picture of that graph (laid out by
 * libgvc, in process), or a Mermaid flowchart; optionally with the path a
 * walk took highlighted.
 *
 * Usage:
 *
 *     char *text;
 *     size_t len;
 *     cb_error err;
 *     const char *path[] = {"resets-in-job-log", "stalls-before-reset"};
 *     if (cb_render_playbook(pb, CB_RENDER_DOT, path, 2, &text, &len, &err) == CB_OK) {
 *         fwrite(text, 1, len, stdout);
 *         free(text);
 *     }
 *
 * Every output is deterministic: the same playbook and path give the same
 * bytes (SVG: for the same Graphviz version and fonts).  Nodes appear in walk
 * order — breadth-first from the start node, following yes before no, choices
 * in file order, then the nodes no walk reaches, in file order — which is
 * also the numbering of the Markdown steps.  Playbooks that did not pass lint
 * render too: a reference to a missing node is drawn as a "no such node"
 * placeholder (DOT, SVG, Mermaid) or named as missing (Markdown).
 *
 * The library never prints: Graphviz's messages are captured and returned
 * in the cb_error.  Graphviz keeps global state, so SVG rendering is
 * serialised by a mutex inside this module; other code of the same process
 * that uses Graphviz directly must not run at the same time.  The first SVG
 * rendering creates a Graphviz context (plugin configuration, the dot layout,
 * the SVG renderer, pango/fontconfig for text sizes) that is kept until the
 * process exits: freeing it would orphan memory those libraries never
 * release.  In sanitizer builds this module defines weak LeakSanitizer hooks
 * (__lsan_default_suppressions / __lsan_default_options) that suppress
 * fontconfig's caches, which LeakSanitizer cannot see through; a program's
 * own definitions replace them.
 */
#ifndef CASEBOOK_RENDER_H
#define CASEBOOK_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/error.h"
#include "casebook/playbook.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cb_render_format {
    CB_RENDER_MD = 0, /* Markdown: scope, signatures table, numbered steps, conclusions, coach notes */
    CB_RENDER_DOT,    /* Graphviz DOT source (shapes by node kind, edge labels by answer) */
    CB_RENDER_SVG,    /* that DOT graph laid out with "dot" and rendered to SVG by libgvc */
    CB_RENDER_MERMAID /* a Mermaid `flowchart TD` with the same nodes, shapes and edge labels */
} cb_render_format;

/*
 * Graphs past these sizes are not laid out as SVG: dot's layout time grows
 * much faster than the graph (40 nodes of 25 choices each, 1000 edges, took
 * minutes; 160 edges among 40 nodes some 5 s), so cb_render_playbook and
 * cb_render_dot_to_svg return CB_ELIMIT before layout, with a message that
 * suggests DOT or Mermaid.  Nodes count the "no such node" placeholders;
 * the text is the DOT source, labels included.  The example playbooks have
 * at most 16 nodes and 19 edges.  The other formats have no such limit.
 */
enum {
    CB_RENDER_SVG_MAX_NODES = 120,
    CB_RENDER_SVG_MAX_EDGES = 120,
    CB_RENDER_SVG_MAX_TEXT = 128 << 10,
};

/* "md", "dot", "svg" or "mermaid" ("unknown" out of range). */
const char *cb_render_format_name(cb_render_format fmt);

/* Parse one of the names above (exact, lowercase) into *fmt.  Returns false, *fmt untouched, otherwise. */
bool cb_render_format_parse(const char *name, cb_render_format *fmt);

/*
 * Render `pb` in format `fmt`.  path_nodes[0..npath) is the walk to
 * highlight, as node ids in the order visited (npath == 0, path_nodes may be
 * NULL: nothing is highlighted).  Ids the playbook does not have are skipped
 * (the caller warns about them if it wishes); of the others, every node is
 * marked visited and, for each two consecutive ones, every edge from the
 * first to the second (a path of nodes cannot tell apart two choices leading
 * to the same node).  Markdown marks visited steps "✓ visited", the branches
 * taken "(taken)", and lists the path; DOT/SVG draw them bold and coloured;
 * Mermaid adds `style` / `linkStyle` lines.
 *
 * On CB_OK *out is a NUL-terminated string the caller frees with free(), and
 * *outlen (outlen may be NULL) its length.  On failure *out is NULL and err
 * (may be NULL) says why:
 *   CB_EINVAL        pb or out is NULL, fmt is out of range, npath > 0 with path_nodes NULL,
 *                    or Graphviz failed to lay out or render the graph (its message)
 *   CB_ELIMIT        SVG of a graph past CB_RENDER_SVG_MAX_NODES, _EDGES or _TEXT
 *   CB_EUNSUPPORTED  SVG, and Graphviz lacks the "dot" layout or the "svg" renderer plugin
 *   CB_ENOMEM        out of memory
 */
cb_status cb_render_playbook(const cb_playbook *pb, cb_render_format fmt, const char *const *path_nodes,
                             size_t npath, char **out, size_t *outlen, cb_error *err);

/*
 * Lay out the DOT text dot[0..len) with Graphviz's "dot" engine and render it
 * as SVG, in process.  Ownership and *out / *outlen as for
 * cb_render_playbook.  Errors: CB_EPARSE when Graphviz cannot read the text
 * (err->msg holds Graphviz's message, "syntax error in line 3 near 'x'"),
 * CB_EINVAL (bad arguments, or layout / rendering failed: Graphviz's
 * message), CB_ELIMIT (past CB_RENDER_SVG_MAX_NODES, _EDGES or _TEXT;
 * nothing is laid out), CB_EUNSUPPORTED (plugin missing), CB_ENOMEM.  Nothing is
 * printed; warnings Graphviz emits while it succeeds are dropped.
 */
cb_status cb_render_dot_to_svg(const char *dot, size_t len, char **out, size_t *outlen, cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
