/*
 * render_svg.c — DOT laid out and rendered to SVG in process by libgvc
 * (cb_render_dot_to_svg, CB_RENDER_SVG).
 *
 * Graphviz reports problems through a process-wide error callback and keeps
 * other global state, so SVG rendering holds a mutex, routes the messages
 * into a buffer for the duration of the call, and puts the previous callback
 * back afterwards.
 */
#include <ctype.h>
#include <pthread.h>

#include <cgraph.h>
#include <gvc.h>

#include "playbook/render_int.h"

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

cb_status cb__svg_check(const char *name, size_t nodes, size_t edges, size_t bytes, cb_error *err)
{
    static const char hint[] = "use --format dot or mermaid";
    if (nodes > CB_RENDER_SVG_MAX_NODES)
        return cb_error_set(err, CB_ELIMIT, "%s: %zu nodes are too many to lay out as SVG (at most %d): %s",
                            name, nodes, CB_RENDER_SVG_MAX_NODES, hint);
    if (edges > CB_RENDER_SVG_MAX_EDGES)
        return cb_error_set(err, CB_ELIMIT, "%s: %zu edges are too many to lay out as SVG (at most %d): %s",
                            name, edges, CB_RENDER_SVG_MAX_EDGES, hint);
    if (bytes > CB_RENDER_SVG_MAX_TEXT)
        return cb_error_set(
            err, CB_ELIMIT,
            "%s: %zu KiB of labels and graph text are too much to lay out as SVG (at most %d KiB): %s", name,
            (bytes + 1023) >> 10, CB_RENDER_SVG_MAX_TEXT >> 10, hint);
    return CB_OK;
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
    /* Read, not yet laid out: the caps hold for DOT from any caller. */
    st = cb__svg_check("graph", (size_t)agnnodes(g), (size_t)agnedges(g), 0, err);
    if (st) {
        agclose(g);
        return st;
    }
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
    cb_status st = cb__svg_check("graph", 0, 0, len, err);
    if (st)
        return st;
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
    st = gv_render(text, out, outlen, err);
    agseterr(old_level);
    agseterrf(old_fn);
    cb_buf_release(&gv_msgs);
    pthread_mutex_unlock(&gv_lock);

    free(text);
    return st;
}
