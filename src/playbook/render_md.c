/*
 * render_md.c — a playbook as a Markdown page for a knowledge base
 * (render.h, CB_RENDER_MD): scope, signatures, numbered steps, conclusions.
 */
#include <ctype.h>

#include "playbook/render_int.h"

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
        size_t k = cb__wide_control(s, n, i);
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
        else if (cb__wide_control(s, n, i)) {
            put(o, " ");
            i += cb__wide_control(s, n, i) - 1;
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
    cb__put_label(o, s, (size_t)-1, (size_t)-1, "", md_cell_esc);
}

void cb__render_md(sink *o, const graph *g)
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
