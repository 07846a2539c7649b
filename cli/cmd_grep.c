/*
 * cmd_grep.c — `casebook grep`: the raw multi-pattern scanner with grep's
 * habits.  Every pattern is searched in one pass over each bundle, whatever
 * their number; output is `path:text`, `path:line:text` with -n, counts with
 * -c, file names with -l.  Exit 0 when anything matched, 1 when nothing did,
 * 2 on error, as grep.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/scan.h"
#include "casebook/utf8.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN, OPT_E, OPT_F, OPT_I, OPT_C, OPT_L, OPT_N, OPT_THREADS, OPT_SINCE, OPT_UNTIL };

static const cli_opt grep_opts[] = {
    {OPT_E, 'e', "regexp", ARG_STRING, "RE", "a pattern (repeatable)"},
    {OPT_F, 'f', "file", ARG_STRING, "FILE", "patterns, one per line (blank lines are skipped)"},
    {OPT_I, 'i', "ignore-case", ARG_NONE, NULL, "match ignoring case"},
    {OPT_C, 'c', "count", ARG_NONE, NULL, "print the number of matching lines of every text file"},
    {OPT_L, 'l', "files-with-matches", ARG_NONE, NULL, "print only the names of files with a match"},
    {OPT_N, 'n', "line-number", ARG_NONE, NULL, "print the line number before each line"},
    {OPT_SINCE, 0, "since", ARG_STRING, "T", "only lines at or after T (2024-03-12T10:00Z, or 2h before the end)"},
    {OPT_UNTIL, 0, "until", ARG_STRING, "T", "only lines at or before T"},
    {OPT_FORMAT, 0, "format", ARG_STRING, "FMT", "text (default) or json"},
    {OPT_THREADS, 'j', "threads", ARG_STRING, "N", "scanning threads (default: one per CPU)"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_grep = {
    .name = "grep",
    .run = cmd_grep,
    .summary = "search bundles for many patterns at once, like grep",
    .synopsis = "[-e RE]... [-f FILE] [-i] [-c] [-l] [-n] [--since T] [--until T] [--format text|json] BUNDLE...",
    .description =
        "Patterns use PCRE syntax as Hyperscan accepts it (no back-references or look-around).  A line\n"
        "matches when any pattern matches it.  Paths are shown inside the bundle; with several BUNDLEs,\n"
        "under the bundle's name.  Binary files are skipped.  Exit status: 0 when a line matched, 1 when\n"
        "none did, 2 on an error (an invalid pattern is named with the engine's reason), when no line\n"
        "of a BUNDLE could be read (empty, all binary, unreadable or encrypted: stderr says which), or when\n"
        "a line could not be matched (a pattern reached PCRE2's limits: see the warnings).  With --since or\n"
        "--until, lines without a timestamp are kept whatever the window, and stderr says how many.",
    .opts = grep_opts,
};

typedef struct pats {
    char **regex;
    char **id;
    size_t n, cap;
} pats;

static bool pats_add(pats *p, const char *re, size_t len, const char *id)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **a = realloc(p->regex, cap * sizeof *a), **b;
        if (!a)
            return false;
        p->regex = a;
        if (!(b = realloc(p->id, cap * sizeof *b)))
            return false;
        p->id = b;
        p->cap = cap;
    }
    p->regex[p->n] = strndup(re, len);
    p->id[p->n] = strdup(id);
    if (!p->regex[p->n] || !p->id[p->n]) {
        free(p->regex[p->n]);
        free(p->id[p->n]);
        return false;
    }
    p->n++;
    return true;
}

static void pats_free(pats *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->regex[i]);
        free(p->id[i]);
    }
    free(p->regex);
    free(p->id);
}

/* Read patterns from FILE, one per line; returns false after printing an error. */
static bool read_pattern_file(const char *path, pats *p)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        cli_error("grep: %s: %s", path, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned no = 0;
    bool ok = true;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        no++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        char id[512];
        snprintf(id, sizeof id, "%s:%u", path, no);
        if (!pats_add(p, line, (size_t)n, id)) {
            cli_error("grep: out of memory");
            ok = false;
            break;
        }
    }
    if (ferror(fp)) {
        cli_error("grep: %s: %s", path, strerror(errno));
        ok = false;
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return ok;
}

typedef struct out {
    bool line_numbers, colour, multi;
    const char *bundle;
    json_t *matches;     /* JSON mode */
    const char *const *ids;
    uint64_t printed;
} out;

static void print_path(const out *o, const char *path)
{
    if (o->colour)
        fputs("\033[35m", stdout);
    if (o->multi) {
        cli_put_safe(o->bundle, strlen(o->bundle));
        putchar('/');
    }
    cli_put_safe(path, strlen(path));
    if (o->colour)
        fputs(CLI_RESET, stdout);
}

static void on_line(void *ctx, const cb_scan_line *L)
{
    out *o = ctx;
    o->printed++;
    if (o->matches) {
        char iso[40];
        json_t *pl = json_array();
        for (size_t i = 0; i < L->npatterns; i++)
            json_array_append_new(pl, cli_json_text(o->ids[L->patterns[i]], strlen(o->ids[L->patterns[i]])));
        json_t *m = json_pack("{s:o, s:o, s:I, s:o, s:o, s:o}", "bundle", cli_json_text(o->bundle, strlen(o->bundle)),
                              "file", cli_json_text(L->path, strlen(L->path)), "line", (json_int_t)L->line, "time",
                              L->has_time ? json_string(cb_time_format_iso(L->time_ms, iso, sizeof iso)) : json_null(),
                              "text", cli_json_text(L->text, L->len), "patterns", pl);
        if (m)
            json_array_append_new(o->matches, m);
        return;
    }
    print_path(o, L->path);
    putchar(':');
    if (o->line_numbers)
        printf(o->colour ? "\033[32m%llu" CLI_RESET ":" : "%llu:", (unsigned long long)L->line);
    cli_put_safe(L->text, L->len);
    putchar('\n');
}

int cmd_grep(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    cli_format fmt = FMT_TEXT;
    cb_scan_opts so;
    const char *arg;
    int id, rc = CLI_USAGE;
    bool caseless = false, count = false, list = false, numbers = false;
    pats pt = {0};
    cb_scanner *sc = NULL;
    cb_pattern *cp = NULL;
    json_t *root = NULL, *jfiles = NULL, *jwarn = NULL, *junread = NULL;
    cb_error err;
    unsigned ne = 0;
    cb_time_arg since, until;
    bool has_since = false, has_until = false;
    uint64_t *untimed = NULL;

    cb_scan_opts_init(&so);
    so.max_evidence = 0;
    so.captures = false;
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        char pid[32];
        uint64_t v;
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_E:
            snprintf(pid, sizeof pid, "-e #%u", ++ne);
            if (!pats_add(&pt, arg, strlen(arg), pid)) {
                cli_error("grep: out of memory");
                goto out;
            }
            break;
        case OPT_F:
            if (!read_pattern_file(arg, &pt))
                goto out;
            break;
        case OPT_I:
            caseless = true;
            break;
        case OPT_C:
            count = true;
            break;
        case OPT_L:
            list = true;
            break;
        case OPT_N:
            numbers = true;
            break;
        case OPT_THREADS:
            if (!cli_parse_uint(arg, &v) || v == 0 || v > 64) {
                rc = cli_usage_error(cmd, "--threads: '%s' is not a number from 1 to 64", arg);
                goto out;
            }
            so.threads = (unsigned)v;
            break;
        case OPT_SINCE:
        case OPT_UNTIL:
            if (cb_time_arg_parse(arg, id == OPT_SINCE ? &since : &until, &err)) {
                rc = cli_usage_error(cmd, "%s: %s", id == OPT_SINCE ? "--since" : "--until", err.msg);
                goto out;
            }
            if (id == OPT_SINCE)
                has_since = true;
            else
                has_until = true;
            break;
        case OPT_FORMAT:
            if (!(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON))) {
                rc = cli_usage_error(cmd, "unknown format '%s' (text or json)", arg);
                goto out;
            }
            break;
        default:
            if (cli_bundle_arg(cmd, id, arg, &so.bundle) != 1)
                goto out;
        }
    }
    /* As grep: without -e or -f, the first operand is the pattern. */
    int first = 0;
    if (pt.n == 0 && ne == 0) {
        if (p.noperands < 1) {
            rc = cli_usage_error(cmd, "no pattern given (-e RE, -f FILE, or a first operand)");
            goto out;
        }
        if (!pats_add(&pt, p.operands[0], strlen(p.operands[0]), "PATTERN")) {
            cli_error("grep: out of memory");
            goto out;
        }
        first = 1;
    }
    if (pt.n == 0) {
        cli_error("grep: no patterns (the pattern file is empty)");
        goto out;
    }
    if (p.noperands - first < 1) {
        rc = cli_usage_error(cmd, "missing BUNDLE");
        goto out;
    }
    cp = calloc(pt.n, sizeof *cp);
    if (!cp) {
        cli_error("grep: out of memory");
        goto out;
    }
    for (size_t i = 0; i < pt.n; i++) {
        cp[i].id = pt.id[i];
        cp[i].regex = pt.regex[i];
        cp[i].caseless = caseless;
    }
    if (cb_scanner_new(cp, pt.n, &sc, &err)) {
        cli_error("grep: invalid %s", err.msg);
        goto out;
    }

    out o = {.line_numbers = numbers, .colour = fmt == FMT_TEXT && cli_colour_stdout(),
             .multi = p.noperands - first > 1, .ids = (const char *const *)pt.id};
    if (fmt == FMT_JSON) {
        root = json_object();
        jfiles = json_array();
        jwarn = json_array();
        junread = json_array();
        if (!count && !list)
            o.matches = json_array();
        if (!root || !jfiles || !jwarn || !junread || (!count && !list && !o.matches)) {
            cli_error("grep: out of memory");
            goto out;
        }
    }
    if (!count && !list) {
        so.on_line = on_line;
        so.on_line_ctx = &o;
    } else {
        so.counts_only = !has_since && !has_until; /* a window needs each line's time */
    }
    if (!(untimed = calloc(pt.n, sizeof *untimed))) {
        cli_error("grep: out of memory");
        goto out;
    }
    bool any = false, failed = false;
    for (int bi = first; bi < p.noperands; bi++) {
        o.bundle = p.operands[bi];
        cb_scan_result *res;
        if (cb_scan_set_window(&so, o.bundle, has_since ? &since : NULL, has_until ? &until : NULL, &err) ||
            cb_scan_bundle(sc, o.bundle, &so, &res, &err)) {
            cli_print_error(&err);
            failed = true;
            continue;
        }
        if (cli_nothing_read("grep", o.bundle, res)) {
            failed = true; /* exit 2: nothing read is not "no match" */
            cb_scan_result_free(res);
            continue;
        }
        if (junread) {
            json_t *u = cli_json_unread(res), *e;
            size_t k;
            json_array_foreach(u, k, e) {
                json_object_set_new(e, "bundle", cli_json_text(o.bundle, strlen(o.bundle)));
                json_array_append(junread, e);
            }
            json_decref(u);
        }
        for (size_t f = 0; f < res->nfiles; f++) {
            const cb_scan_file *sf = &res->files[f];
            if (sf->matched_lines)
                any = true;
            if (!sf->scanned || !(count || list) || (list && !sf->matched_lines))
                continue;
            if (sf->status == CB_FILE_UNREADABLE)
                continue; /* not "0": nothing of it was read (said under "unread" and in the warnings) */
            if (fmt == FMT_JSON) {
                json_array_append_new(jfiles, json_pack("{s:o, s:o, s:I}", "bundle",
                                                        cli_json_text(o.bundle, strlen(o.bundle)), "file",
                                                        cli_json_text(sf->path, strlen(sf->path)), "count",
                                                        (json_int_t)sf->matched_lines));
                continue;
            }
            print_path(&o, sf->path);
            if (count)
                printf(":%llu", (unsigned long long)sf->matched_lines);
            putchar('\n');
        }
        for (size_t i = 0; i < res->npats; i++)
            if (res->pats[i].match_errors || res->pats[i].budget_exceeded)
                failed = true; /* lines left unmatched: like grep -P past its backtracking limit, exit 2 */
        for (size_t w = 0; w < res->nwarnings; w++) {
            const cb_warning *wn = &res->warnings[w];
            if (wn->notice)
                continue; /* like grep, say nothing about empty files */
            if (fmt == FMT_JSON)
                json_array_append_new(jwarn, json_pack("{s:o, s:o}", "path",
                                                       cli_json_text(wn->path, strlen(wn->path)), "message",
                                                       cli_json_text(wn->message, strlen(wn->message))));
            else
                cli_error("%s: %s: %s", o.bundle, wn->path, wn->message);
        }
        uint64_t nut = 0;
        for (size_t i = 0; i < res->npats; i++) {
            untimed[i] += res->pats[i].untimed;
            nut += res->pats[i].untimed;
        }
        if (res->windowed && nut && fmt != FMT_JSON)
            cli_error("grep: %s: %llu matching line%s without a timestamp kept whatever the window", o.bundle,
                      (unsigned long long)nut, nut == 1 ? "" : "s");
        cb_scan_result_free(res);
    }
    if (fmt == FMT_JSON) {
        json_t *jp = json_array();
        for (size_t i = 0; i < pt.n; i++)
            json_array_append_new(jp, json_pack("{s:o, s:o, s:I}", "id", cli_json_text(pt.id[i], strlen(pt.id[i])),
                                                "regex", cli_json_text(pt.regex[i], strlen(pt.regex[i])), "untimed",
                                                (json_int_t)untimed[i]));
        json_object_set_new(root, "patterns", jp);
        if (o.matches) {
            json_object_set_new(root, "matches", o.matches);
            o.matches = NULL;
        } else {
            json_object_set_new(root, "files", jfiles);
            jfiles = NULL;
        }
        json_object_set_new(root, "unread", junread);
        junread = NULL;
        json_object_set_new(root, "warnings", jwarn);
        jwarn = NULL;
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
    }
    rc = cli_finish_output(failed ? CLI_USAGE : any ? CLI_OK : CLI_FOUND);
out:
    json_decref(root);
    json_decref(jfiles);
    json_decref(jwarn);
    json_decref(junread);
    cb_scanner_free(sc);
    cb_scan_opts_release(&so);
    free(untimed);
    free(cp);
    pats_free(&pt);
    cli_parser_release(&p);
    return rc;
}
