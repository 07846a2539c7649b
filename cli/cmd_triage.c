/*
 * cmd_triage.c — `casebook triage BUNDLE`: which known issues the bundle
 * shows, why casebook thinks so, and what to check next.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/triage.h"
#include "casebook/utf8.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN, OPT_SINCE, OPT_UNTIL, OPT_EXPLAIN, OPT_THREADS, OPT_EVIDENCE, OPT_ALL_FILES };

static const cli_opt triage_opts[] = {
    CLI_OPTION_PLAYBOOKS,
    {OPT_SINCE, 0, "since", ARG_STRING, "T", "only lines at or after T (2024-03-12T10:00Z, or 2h before the end)"},
    {OPT_UNTIL, 0, "until", ARG_STRING, "T", "only lines at or before T"},
    {OPT_EXPLAIN, 0, "explain", ARG_NONE, NULL, "say why each playbook that did not fire did not"},
    {OPT_ALL_FILES, 0, "all-files", ARG_NONE, NULL, "apply every signature to every text file, whatever its name"},
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "text (default), json or md"},
    {OPT_EVIDENCE, 0, "evidence", ARG_STRING, "N", "evidence lines kept per signature (5)"},
    {OPT_THREADS, 'j', "threads", ARG_STRING, "N", "scanning threads (default: one per CPU)"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_triage = {
    .name = "triage",
    .run = cmd_triage,
    .summary = "find the known issues in a bundle, with evidence and the next step",
    .synopsis = "BUNDLE [-p PATH]... [--since T] [--until T] [--explain] [--format text|json|md]",
    .description =
        "Scans the bundle once with every signature of the playbook library, ranks the playbooks whose\n"
        "signatures hit (severity-weighted, log-damped hit counts), and walks each one's decision tree\n"
        "through the checks the logs can answer: to a conclusion, or to the first step that needs a\n"
        "person.  Relative times (--since 2h) count back from the bundle's last timestamp.\n"
        "Exit status: 0 whether or not anything was found; 2 on an error, or when no line of the bundle\n"
        "could be read (empty, all binary, unreadable or encrypted: stderr says which).",
    .opts = triage_opts,
};

/* The knowledge base when a database is in use (cli_kb_open_existing), else NULL: then output is as without. */
static cb_store *triage_kb;

void cli_triage_use_kb(cb_store *s)
{
    triage_kb = s;
}

static const char *when(int64_t ms, bool has, char *buf, size_t size)
{
    if (!has)
        return "-";
    return cli_time(ms, buf, size);
}

static json_t *jtime(int64_t ms, bool has)
{
    char iso[40];
    return has ? json_string(cb_time_format_iso(ms, iso, sizeof iso)) : json_null();
}

static const char *node_id(const cb_playbook *pb, int i)
{
    return i >= 0 && (size_t)i < pb->nnodes ? pb->nodes[i].id : NULL;
}

/* ---- text ---- */

typedef struct style {
    const char *b, *d, *y, *z; /* bold, dim, yellow, reset */
} style;

/*
 * "   label: node — text": the text folded to the terminal's width on a terminal (wrap, 0 when not one: then
 * whole), its further lines under the text.
 */
static void put_step(const style *st, const char *label, const char *node, const char *text, size_t wrap)
{
    printf("   %s%s:%s %s — ", st->y, label, st->z, node);
    cli_put_wrapped(text, 3 + strlen(label) + 2 + strlen(node) + 3, "         ", wrap ? wrap : SIZE_MAX);
    putchar('\n');
}

static void text_finding(const cb_triage *t, const cb_finding *f, size_t rank, const style *st, size_t show,
                         size_t wrap)
{
    const cb_playbook *pb = f->pb;
    char a[32], b[32];
    printf("%s%zu. %s%s — ", st->b, rank, pb->id.s, st->z);
    cli_put_safe(pb->title.s, strlen(pb->title.s));
    printf("  %s[score %.1f%s", st->d, f->score, pb->article.s ? ", " : "");
    cli_put_safe(pb->article.s ? pb->article.s : "", pb->article.s ? strlen(pb->article.s) : 0);
    printf("]%s\n", st->z);
    for (size_t s = 0; s < pb->nsignatures; s++) {
        const cb_signature *sig = &pb->signatures[s];
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        if (!pr->count)
            continue;
        printf("   %s (%s): %llu line%s, %s → %s %s", sig->id, cb_severity_name(sig->severity),
               (unsigned long long)pr->count, pr->count == 1 ? "" : "s", when(pr->first_ms, pr->has_time, a, sizeof a),
               when(pr->last_ms, pr->has_time, b, sizeof b), cli_tz_name());
        if (pr->untimed && t->scan->windowed)
            printf(" (%llu without a timestamp, counted whatever the window)", (unsigned long long)pr->untimed);
        if (sig->describe.s) {
            printf("  %s", st->d);
            cli_put_safe(sig->describe.s, strlen(sig->describe.s));
            fputs(st->z, stdout);
        }
        putchar('\n');
        for (size_t e = 0; e < pr->nevidence && e < show; e++) {
            const cb_evidence *ev = &pr->evidence[e];
            const char *path = t->scan->files[ev->file_index].path;
            printf("     %s", st->d);
            cli_put_safe(path, strlen(path));
            printf(":%llu%s  ", (unsigned long long)ev->line, st->z);
            if (ev->has_time)
                printf("%s[%s]%s ", st->d, when(ev->time_ms, true, a, sizeof a), st->z);
            cli_put_safe(ev->text, strlen(ev->text)); /* whole: on a terminal, cut to its width (cli_fit) */
            putchar('\n');
        }
    }
    printf("   path: ");
    for (size_t i = 0; i < f->walk.npath; i++)
        printf("%s%s", i ? " → " : "", node_id(pb, f->walk.path[i]));
    putchar('\n');
    for (size_t i = 0; i < f->walk.nwhy; i++) {
        printf("     %s", st->d);
        cli_put_safe(f->walk.why[i], strlen(f->walk.why[i]));
        printf("%s\n", st->z);
    }
    const cb_node *stop = f->walk.stop_node >= 0 ? &pb->nodes[f->walk.stop_node] : NULL;
    if (stop && f->walk.stop == CB_WALK_CONCLUDED) {
        put_step(st, "conclusion", stop->id, stop->text.s ? stop->text.s : "", wrap);
    } else if (stop && f->next_text) {
        put_step(st, "next", stop->id, f->next_text, wrap);
        for (size_t c = 0; c < stop->nchoices; c++) {
            printf("       - ");
            cli_put_safe(stop->choices[c].label.s, strlen(stop->choices[c].label.s));
            putchar('\n');
        }
    }
    cli_kb_put_text(triage_kb, "triage", cli_finding_article(f), "   ", st->y, st->z);
    putchar('\n');
}

static void explain_text(const cb_triage *t, const style *st)
{
    printf("%sNot found:%s\n", st->b, st->z);
    for (size_t i = 0; i < t->nall; i++) {
        const cb_finding *f = &t->all[i];
        if (f->score > 0 || f->skipped)
            continue;
        const cb_playbook *pb = f->pb;
        printf("  %s: ", pb->id.s);
        if (f->sigs_hit)
            printf("only evidence-only (info) signatures hit; ");
        size_t none = 0;
        for (size_t s = 0; s < pb->nsignatures; s++)
            if (!t->scan->pats[f->first_pattern + s].count)
                printf("%s%s", none++ ? ", " : "no hits for ", pb->signatures[s].id);
        for (size_t s = 0; s < pb->nsignatures; s++) {
            const cb_signature *sig = &pb->signatures[s];
            if (sig->nfiles && !t->scan->pats[f->first_pattern + s].files_applicable) {
                printf("; no file matches the globs of %s (", sig->id);
                for (size_t g = 0; g < sig->nfiles; g++) {
                    printf("%s'", g ? ", " : "");
                    cli_put_name(stdout, sig->files[g].s);
                    putchar('\'');
                }
                putchar(')');
            }
        }
        if (!pb->nsignatures)
            printf("it has no signatures");
        putchar('\n');
    }
}

/* ---- JSON ---- */

static json_t *json_finding(const cb_triage *t, const cb_finding *f)
{
    const cb_playbook *pb = f->pb;
    json_t *sigs = json_array(), *path = json_array();
    for (size_t s = 0; s < pb->nsignatures; s++) {
        const cb_signature *sig = &pb->signatures[s];
        const cb_pattern_result *pr = &t->scan->pats[f->first_pattern + s];
        json_t *ev = json_array();
        for (size_t e = 0; e < pr->nevidence; e++) {
            const cb_evidence *x = &pr->evidence[e];
            const char *fp = t->scan->files[x->file_index].path;
            json_array_append_new(ev, json_pack("{s:o, s:I, s:o, s:o, s:b}", "file", cli_json_text(fp, strlen(fp)),
                                                "line", (json_int_t)x->line, "time", jtime(x->time_ms, x->has_time),
                                                "text", cli_json_text(x->text, strlen(x->text)), "truncated",
                                                x->truncated));
        }
        json_t *caps = json_object();
        for (size_t c = 0; c < pr->ncaptures; c++) {
            json_t *vals = json_array();
            for (size_t v = 0; v < pr->captures[c].nvalues && v < 10; v++)
                json_array_append_new(vals, json_pack("{s:o, s:I}", "value",
                                                      cli_json_text(pr->captures[c].values[v].value,
                                                                    strlen(pr->captures[c].values[v].value)),
                                                      "count", (json_int_t)pr->captures[c].values[v].count));
            json_object_set_new(caps, pr->captures[c].name, vals);
        }
        json_array_append_new(sigs, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "id", sig->id, "severity",
                                              cb_severity_name(sig->severity), "count", (json_int_t)pr->count,
                                              "untimed", (json_int_t)pr->untimed,
                                              "first_seen", jtime(pr->first_ms, pr->has_time), "last_seen",
                                              jtime(pr->last_ms, pr->has_time), "evidence", ev, "captures", caps));
    }
    for (size_t i = 0; i < f->walk.npath; i++)
        json_array_append_new(path, json_string(node_id(pb, f->walk.path[i])));
    json_t *whyl = json_array();
    for (size_t i = 0; i < f->walk.nwhy; i++)
        json_array_append_new(whyl, cli_json_text(f->walk.why[i], strlen(f->walk.why[i])));
    const char *stop = node_id(pb, f->walk.stop_node);
    bool concluded = f->walk.stop == CB_WALK_CONCLUDED;
    json_t *o = json_pack(
        "{s:s, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "playbook", pb->id.s, "title",
        cli_json_text(pb->title.s, strlen(pb->title.s)), "score", round(f->score * 1000) / 1000, "article",
        pb->article.s ? cli_json_text(pb->article.s, strlen(pb->article.s)) : json_null(), "signatures", sigs,
        "path", path, "why", whyl, "conclusion", concluded && stop ? json_string(stop) : json_null(), "next",
        !concluded && stop ? json_string(stop) : json_null(), "next_text",
        f->next_text ? cli_json_multiline(f->next_text) : json_null());
    if (triage_kb && o)
        json_object_set_new(o, "kb_article", cli_kb_json(triage_kb, "triage", cli_finding_article(f)));
    return o;
}

/* The playbooks triage skipped as unsound: [{"playbook", "file", "problems": ["line:col: message"]}]. */
static json_t *skipped_json(const cb_triage *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->nall; i++) {
        const cb_playbook *pb = t->all[i].pb;
        if (!t->all[i].skipped)
            continue;
        json_t *problems = json_array();
        for (size_t k = 0; k < t->skipped.n; k++) {
            const cb_diag *d = &t->skipped.v[k];
            if (!d->file || strcmp(d->file, pb->path) != 0)
                continue;
            char buf[1200];
            snprintf(buf, sizeof buf, "%d:%d: %s", d->line, d->col, d->msg);
            json_array_append_new(problems, cli_json_text(buf, strlen(buf)));
        }
        json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "playbook", cli_json_text(pb->id.s, strlen(pb->id.s)),
                                           "file", cli_json_text(pb->path, strlen(pb->path)), "problems", problems));
    }
    return a;
}

json_t *cli_triage_json(const char *bundle, const cb_triage *t, bool explain)
{
    json_t *root = json_object(), *findings = json_array(), *warns = json_array();
    const cb_scan_result *r = t->scan;
    json_object_set_new(root, "bundle", cli_json_text(bundle, strlen(bundle)));
    json_object_set_new(root, "scanned",
                        json_pack("{s:I, s:I, s:I, s:f, s:o, s:o}", "files", (json_int_t)r->files_scanned, "lines",
                                  (json_int_t)r->lines, "bytes", (json_int_t)r->bytes, "seconds",
                                  round(r->seconds * 1000) / 1000, "first_time", jtime(r->first_ms, r->has_time),
                                  "last_time", jtime(r->last_ms, r->has_time)));
    json_object_set_new(json_object_get(root, "scanned"), "files_unmatched", json_integer((json_int_t)r->files_unmatched));
    json_object_set_new(root, "unread", cli_json_unread(r));
    json_t *win = json_null();
    if (r->windowed) {
        json_t *boots = json_array();
        for (size_t i = 0; i < r->nboots; i++)
            json_array_append_new(boots, json_pack("{s:o, s:o, s:o}", "file",
                                                   cli_json_text(r->boots[i].path, strlen(r->boots[i].path)),
                                                   "boot_time", jtime(r->boots[i].boot_ms, true), "source",
                                                   cli_json_text(r->boots[i].source, strlen(r->boots[i].source))));
        win = json_pack("{s:o, s:o, s:o}", "since", jtime(r->since_ms, r->since_set), "until",
                        jtime(r->until_ms, r->until_set), "boot_times", boots);
    }
    json_object_set_new(root, "window", win);
    for (size_t i = 0; i < t->nranked; i++)
        json_array_append_new(findings, json_finding(t, t->ranked[i]));
    json_object_set_new(root, "findings", findings);
    if (explain) {
        json_t *nf = json_array();
        for (size_t i = 0; i < t->nall; i++) {
            const cb_finding *f = &t->all[i];
            if (f->score > 0 || f->skipped)
                continue;
            json_t *nohits = json_array(), *noglob = json_array();
            for (size_t s = 0; s < f->pb->nsignatures; s++) {
                const cb_pattern_result *pr = &r->pats[f->first_pattern + s];
                if (!pr->count)
                    json_array_append_new(nohits, json_string(f->pb->signatures[s].id));
                if (f->pb->signatures[s].nfiles && !pr->files_applicable)
                    json_array_append_new(noglob, json_string(f->pb->signatures[s].id));
            }
            json_array_append_new(nf, json_pack("{s:s, s:o, s:o, s:b}", "playbook", f->pb->id.s,
                                                "signatures_without_hits", nohits, "signatures_without_files",
                                                noglob, "only_info_hits", f->sigs_hit > 0));
        }
        json_object_set_new(root, "not_found", nf);
    }
    for (size_t i = 0; i < r->nwarnings; i++)
        json_array_append_new(warns, json_pack("{s:o, s:o, s:b}", "path",
                                               cli_json_text(r->warnings[i].path, strlen(r->warnings[i].path)),
                                               "message",
                                               cli_json_text(r->warnings[i].message, strlen(r->warnings[i].message)),
                                               "notice", r->warnings[i].notice));
    json_object_set_new(root, "warnings", warns);
    json_object_set_new(root, "skipped_playbooks", skipped_json(t));
    return root;
}

static int print_json(const char *bundle, const cb_triage *t, bool explain)
{
    json_t *root = cli_triage_json(bundle, t, explain);
    int rc = !root || json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(root);
    return rc ? CLI_USAGE : CLI_OK;
}

/* ---- Markdown ---- */

/* A case's Markdown goes into a ticket: the bundle is named by its display name, never by a local path. */
static void print_md(const char *bundle, const cb_triage *t)
{
    cb_buf o;
    cb_buf_init(&o, CB_BUF_UNLIMITED);
    char a[32], b[32];
    const cb_scan_result *r = t->scan;
    char *name = cb_bundle_name(bundle);
    cb_buf_puts(&o, "## casebook triage: ");
    cli_md_code(&o, name ? name : "bundle");
    free(name);
    cb_buf_printf(&o, "\n\nScanned %llu files, %llu lines", (unsigned long long)r->files_scanned,
                  (unsigned long long)r->lines);
    if (r->has_time)
        cb_buf_printf(&o, ", %s to %s %s", when(r->first_ms, true, a, sizeof a), when(r->last_ms, true, b, sizeof b),
                      cli_tz_name());
    cb_buf_printf(&o, ". %zu known issue%s found.\n", t->nranked, t->nranked == 1 ? "" : "s");
    if (r->windowed)
        cb_buf_printf(&o, "\nWindow: %s to %s %s; lines without a timestamp (untimed) are counted whatever the window.\n",
                      when(r->since_ms, r->since_set, a, sizeof a), when(r->until_ms, r->until_set, b, sizeof b),
                      cli_tz_name());
    for (size_t i = 0; i < t->nranked; i++) {
        const cb_finding *f = t->ranked[i];
        const cb_playbook *pb = f->pb;
        cb_buf_printf(&o, "\n### %zu. %s — ", i + 1, pb->id.s);
        cli_md_cell(&o, pb->title.s);
        cb_buf_printf(&o, "\n\nScore %.1f", f->score);
        if (pb->article.s) {
            cb_buf_puts(&o, " · article ");
            cli_md_cell(&o, pb->article.s);
        }
        cli_kb_md(&o, triage_kb, "triage", cli_finding_article(f));
        cb_buf_printf(&o, "\n\n| Signature | Severity | Lines | First seen (%s) | Last seen (%s) |\n"
                          "|---|---|---:|---|---|\n", cli_tz_name(), cli_tz_name());
        for (size_t s = 0; s < pb->nsignatures; s++) {
            const cb_pattern_result *pr = &r->pats[f->first_pattern + s];
            if (!pr->count)
                continue;
            char ut[48] = "";
            if (r->windowed && pr->untimed)
                snprintf(ut, sizeof ut, " (%llu untimed)", (unsigned long long)pr->untimed);
            cb_buf_printf(&o, "| %s | %s | %llu%s | %s | %s |\n", pb->signatures[s].id,
                          cb_severity_name(pb->signatures[s].severity), (unsigned long long)pr->count, ut,
                          when(pr->first_ms, pr->has_time, a, sizeof a), when(pr->last_ms, pr->has_time, b, sizeof b));
        }
        cb_buf ev;
        cb_buf_init(&ev, CB_BUF_UNLIMITED);
        for (size_t s = 0; s < pb->nsignatures; s++) {
            const cb_pattern_result *pr = &r->pats[f->first_pattern + s];
            for (size_t e = 0; e < pr->nevidence; e++) {
                const char *fp = r->files[pr->evidence[e].file_index].path;
                /* a code block: nothing to escape but controls */
                cb_utf8_sanitize(&ev, fp, strlen(fp), true);
                cb_buf_printf(&ev, ":%llu: ", (unsigned long long)pr->evidence[e].line);
                if (pr->evidence[e].has_time)
                    cb_buf_printf(&ev, "[%s] ", when(pr->evidence[e].time_ms, true, a, sizeof a));
                cb_utf8_sanitize(&ev, pr->evidence[e].text, strlen(pr->evidence[e].text), false);
                cb_buf_putc(&ev, '\n');
            }
        }
        /* A log line of backticks must not close the block early: the fence is longer than any run inside. */
        size_t fence = 3;
        for (size_t k = 0, run = 0; k < ev.len; k++)
            if ((run = ev.data[k] == '`' ? run + 1 : 0) >= fence)
                fence = run + 1;
        cb_buf_puts(&o, "\nEvidence:\n\n");
        for (size_t k = 0; k < fence; k++)
            cb_buf_putc(&o, '`');
        cb_buf_putc(&o, '\n');
        cb_buf_append(&o, ev.data ? ev.data : "", ev.len);
        for (size_t k = 0; k < fence; k++)
            cb_buf_putc(&o, '`');
        cb_buf_release(&ev);
        cb_buf_puts(&o, "\n\nPath: ");
        for (size_t p = 0; p < f->walk.npath; p++)
            cb_buf_printf(&o, "%s`%s`", p ? " → " : "", node_id(pb, f->walk.path[p]));
        cb_buf_puts(&o, "\n");
        const cb_node *stop = f->walk.stop_node >= 0 ? &pb->nodes[f->walk.stop_node] : NULL;
        if (stop && f->walk.stop == CB_WALK_CONCLUDED && stop->text.s) {
            cb_buf_puts(&o, "\n**Conclusion:** ");
            cli_md_text(&o, stop->text.s);
            cb_buf_puts(&o, "\n");
        } else if (stop && f->next_text) {
            cb_buf_printf(&o, "\n**Next step (`%s`):** ", stop->id);
            cli_md_text(&o, f->next_text);
            cb_buf_puts(&o, "\n");
        }
    }
    if (r->nwarnings) {
        cb_buf_puts(&o, "\n### Warnings\n\n");
        for (size_t i = 0; i < r->nwarnings; i++) {
            cb_buf_puts(&o, "- ");
            cli_md_code(&o, r->warnings[i].path);
            cb_buf_puts(&o, ": ");
            cli_md_cell(&o, r->warnings[i].message);
            cb_buf_putc(&o, '\n');
        }
    }
    if (t->nskipped) {
        cb_buf_puts(&o, "\n### Playbooks skipped as unsound\n\n");
        for (size_t i = 0; i < t->nall; i++) {
            const cb_playbook *pb = t->all[i].pb;
            for (size_t k = 0; t->all[i].skipped && k < t->skipped.n; k++) {
                const cb_diag *d = &t->skipped.v[k];
                if (!d->file || strcmp(d->file, pb->path) != 0)
                    continue;
                cb_buf_printf(&o, "- `%s` line %d, column %d: ", pb->id.s, d->line, d->col);
                cli_md_cell(&o, d->msg);
                cb_buf_putc(&o, '\n');
            }
        }
    }
    if (o.len)
        fwrite(o.data, 1, o.len, stdout);
    cb_buf_release(&o);
}

static void on_progress(void *ctx, uint64_t files, uint64_t bytes)
{
    char hb[32];
    cli_progress_update(ctx, "casebook: triage: %llu files, %s read ...", (unsigned long long)files,
                        cli_human_bytes(bytes, hb, sizeof hb));
}

/* Load, run and print a triage: shared with `casebook case new` (declared in cli.h). */
int cli_triage_load(const char *cmdname, const char *const *paths, size_t npaths, cb_library *lib)
{
    cb_diags diags;
    const char *used;
    cb_diags_init(&diags);
    int rc = cli_load_library(paths, npaths, lib, &diags, &used);
    if (diags.n) {
        cb_diags_sort(&diags);
        cli_print_diags(&diags, stderr, "casebook: warning: ");
    }
    cb_diags_release(&diags);
    if (rc == CLI_OK && lib->n == 0) {
        cli_error("%s: no playbooks found%s%s (give -p PATH or set CASEBOOK_PLAYBOOKS)", cmdname, used ? " in " : "",
                  used ? used : "");
        rc = CLI_USAGE;
    }
    return rc;
}

int cli_triage_exec(const char *cmdname, const char *bundle, const cb_library *lib, cb_triage_opts *to,
                    cb_triage **out)
{
    cb_error err;
    cli_progress prog;
    cli_progress_init(&prog);
    to->scan.on_progress = on_progress;
    to->scan.on_progress_ctx = &prog;
    cb_status st = cb_triage_run(lib, bundle, to, out, &err);
    cli_progress_done(&prog);
    to->scan.on_progress = NULL;
    to->scan.on_progress_ctx = NULL;
    if (st) {
        cli_print_error(&err);
        return CLI_USAGE;
    }
    /* Said on stderr whatever the format, like the library's load problems. */
    if ((*out)->skipped.n)
        cli_print_diags(&(*out)->skipped, stderr, "casebook: warning: playbook skipped: ");
    if (cli_nothing_read(cmdname, bundle, (*out)->scan))
        return CLI_USAGE; /* exit 2: nothing read is not "nothing found" */
    return CLI_OK;
}

/* The text output of `casebook triage` (case new prints it too). */
void cli_triage_text(const char *bundle, const cb_library *lib, const cb_triage *t, const cb_scan_opts *scan,
                     bool explain)
{
    cli_fit fit; /* on a terminal, lines longer than it are cut with … */
    cli_fit_begin(&fit);
    bool colour = cli_colour_stdout();
    style stl = {colour ? CLI_BOLD : "", colour ? CLI_DIM : "", colour ? CLI_YELLOW : "", colour ? CLI_RESET : ""};
    const cb_scan_result *r = t->scan;
    char hb[32], a[32], b2[32], g[32];
    printf("%s", stl.b);
    cli_put_safe(bundle, strlen(bundle));
    size_t nsig = r->npats, npb = lib->n - t->nskipped;
    printf("%s: %llu file%s, %s lines, %s scanned in %.2f s with %zu playbook%s (%zu signature%s)", stl.z,
           (unsigned long long)r->files_scanned, r->files_scanned == 1 ? "" : "s",
           cli_group_digits(r->lines, g, sizeof g), cli_human_bytes(r->bytes, hb, sizeof hb), r->seconds, npb,
           npb == 1 ? "" : "s", nsig, nsig == 1 ? "" : "s");
    if (t->nskipped)
        printf(", %zu skipped as unsound", t->nskipped);
    putchar('\n');
    if (r->has_time)
        printf("logs from %s to %s %s\n", when(r->first_ms, true, a, sizeof a), when(r->last_ms, true, b2, sizeof b2),
               cli_tz_name());
    if (scan->since_set || scan->until_set) {
        printf("window: %s to %s %s; lines without a timestamp are counted whatever the window\n",
               when(scan->since_ms, scan->since_set, a, sizeof a),
               when(scan->until_ms, scan->until_set, b2, sizeof b2), cli_tz_name());
        for (size_t i = 0; i < scan->nboots; i++) {
            printf("  %s: uptime stamps placed with the boot time %s %s, from ", scan->boots[i].path,
                   when(scan->boots[i].boot_ms, true, a, sizeof a), cli_tz_name());
            cli_put_safe(scan->boots[i].source, strlen(scan->boots[i].source));
            putchar('\n');
        }
    }
    if (cli_unread_count(r) || r->files_unmatched) {
        putchar('\n');
        cli_print_unread(r, stl.y, stl.z);
    }
    putchar('\n');
    if (!t->nranked)
        printf("No known issue found.\n\n");
    for (size_t i = 0; i < t->nranked; i++)
        text_finding(t, t->ranked[i], i + 1, &stl, scan->max_evidence < 3 ? scan->max_evidence : 3,
                     cli_terminal_width());
    if (explain)
        explain_text(t, &stl);
    size_t shown = 0;
    for (size_t i = 0; i < r->nwarnings; i++) {
        if (r->warnings[i].notice)
            continue;
        if (!shown++)
            printf("%swarnings:%s\n", stl.y, stl.z);
        printf("  ");
        cli_put_safe(r->warnings[i].path, strlen(r->warnings[i].path));
        printf(": ");
        cli_put_safe(r->warnings[i].message, strlen(r->warnings[i].message));
        putchar('\n');
    }
    cli_fit_end(&fit);
}

int cmd_triage(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    cli_format fmt = FMT_TEXT;
    cb_triage_opts to;
    const char *arg, *since = NULL, *until = NULL;
    int id, rc = CLI_USAGE;
    bool explain = false;
    cb_library lib;
    cb_triage *t = NULL;
    cb_error err;
    uint64_t v;

    cb_library_init(&lib);
    cb_triage_opts_init(&to);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_SINCE:
            since = arg;
            break;
        case OPT_UNTIL:
            until = arg;
            break;
        case OPT_EXPLAIN:
            explain = true;
            break;
        case OPT_ALL_FILES:
            to.scan.all_files = true;
            break;
        case OPT_FORMAT:
            if (!(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON | FMT_MD))) {
                rc = cli_usage_error(cmd, "unknown format '%s' (text, json or md)", arg);
                goto out;
            }
            break;
        case OPT_EVIDENCE:
            if (!cli_parse_uint(arg, &v) || v > 1000) {
                rc = cli_usage_error(cmd, "--evidence: '%s' is not a number from 0 to 1000", arg);
                goto out;
            }
            to.scan.max_evidence = (size_t)v;
            break;
        case OPT_THREADS:
            if (!cli_parse_uint(arg, &v) || v == 0 || v > 64) {
                rc = cli_usage_error(cmd, "--threads: '%s' is not a number from 1 to 64", arg);
                goto out;
            }
            to.scan.threads = (unsigned)v;
            break;
        default:
            if (cli_bundle_arg(cmd, id, arg, &to.scan.bundle) != 1)
                goto out;
        }
    }
    if (p.noperands == 0) {
        rc = cli_usage_error(cmd, "missing BUNDLE");
        goto out;
    }
    if (p.noperands > 1) {
        rc = cli_usage_error(cmd, "expected one BUNDLE, got %d", p.noperands);
        goto out;
    }
    const char *bundle = p.operands[0];
    if (cli_triage_load("triage", p.playbooks, p.nplaybooks, &lib) != CLI_OK)
        goto out;

    /* Time window: the library resolves relative values against the bundle's last timestamp. */
    cb_time_arg asince, auntil;
    if (since && cb_time_arg_parse(since, &asince, &err)) {
        rc = cli_usage_error(cmd, "--since: %s", err.msg);
        goto out;
    }
    if (until && cb_time_arg_parse(until, &auntil, &err)) {
        rc = cli_usage_error(cmd, "--until: %s", err.msg);
        goto out;
    }
    if (cb_scan_set_window(&to.scan, bundle, since ? &asince : NULL, until ? &auntil : NULL, &err)) {
        cli_print_error(&err);
        goto out;
    }

    if (cli_triage_exec("triage", bundle, &lib, &to, &t) != CLI_OK)
        goto out;
    triage_kb = cli_kb_open_existing("triage");

    if (fmt == FMT_JSON) {
        rc = cli_finish_output(print_json(bundle, t, explain));
        goto out;
    }
    if (fmt == FMT_MD) {
        print_md(bundle, t);
        rc = cli_finish_output(CLI_OK);
        goto out;
    }
    cli_triage_text(bundle, &lib, t, &to.scan, explain);
    rc = cli_finish_output(CLI_OK);
out:
    cb_store_close(triage_kb);
    triage_kb = NULL;
    cb_triage_free(t);
    cb_scan_opts_release(&to.scan);
    cb_library_release(&lib);
    cli_parser_release(&p);
    return rc;
}
